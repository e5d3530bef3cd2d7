//! `journey::handoff` and `journey::unowned`: who does the work.

use super::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::{ActivityId, Figures, Model};

/// A touchpoint served by activities of two or more owning teams: every hand-off
/// between teams is a place where the customer's case can wait or get lost.
pub(super) fn handoffs(model: &Model, figures: &Figures, out: &mut Vec<Finding>) {
    for handoff in &figures.handoffs {
        let t = &model[handoff.touchpoint];
        let teams: Vec<String> =
            handoff.teams.iter().map(|&team| format!("`{}`", model[team].meta.id)).collect();
        let mut diagnostic = Diagnostic::lint(
            Lint::Handoff,
            format!(
                "touchpoint `{}` is served by {} teams: {}",
                t.meta.id,
                teams.len(),
                teams.join(", ")
            ),
            Label::new(t.meta.id_span, "a hand-off between teams"),
        );
        for &trace in &t.traces {
            let activity = &model[model[trace].activity];
            if let Some(owner) = activity.owner {
                diagnostic = diagnostic.with_label(Label::new(
                    model[trace].span,
                    format!("owned by `{}`", model[owner.target].meta.id),
                ));
            }
        }
        out.push(Finding::new(t.meta.allow,
            diagnostic.with_help("make sure the hand-off is designed: who passes what, and how the customer is kept informed"),
        ));
    }
}

/// An activity with no `owner`.
pub(super) fn unowned(model: &Model, out: &mut Vec<Finding>) {
    for (i, a) in model.activities.iter().enumerate() {
        // An owner that failed to resolve is an error already reported.
        if a.owner.is_some()
            || model.damage.activities_with_lost_owner.contains(&ActivityId(i as u32))
        {
            continue;
        }
        out.push(Finding::new(
            a.meta.allow,
            Diagnostic::lint(
                Lint::Unowned,
                format!("activity `{}` has no owner", a.meta.id),
                Label::new(a.meta.id_span, "no team owns this activity"),
            )
            .with_help("add `owner TEAM` naming the team that performs it"),
        ));
    }
}
