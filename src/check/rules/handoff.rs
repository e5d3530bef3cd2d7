//! `journey::handoff`: a touchpoint served by activities of two or more owning teams.
//!
//! Every hand-off between teams is a place where the customer's case can wait or get
//! lost (docs/diagnostics.md, `journey::handoff`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for handoff in &cx.figures.handoffs {
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
