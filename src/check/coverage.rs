//! `journey::gap` and `journey::waste`: the two sides of the cross-map's coverage.

use super::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::{Figures, Model};

/// A touchpoint that traces to no activity: the customer meets the organisation
/// there, but no operational work is known to serve it.
pub(super) fn gaps(model: &Model, figures: &Figures, out: &mut Vec<Finding>) {
    for &t in &figures.gaps {
        // A touchpoint whose every path failed to resolve is an error, not a gap.
        if model.damage.touchpoints_with_lost_traces.contains(&t) {
            continue;
        }
        let touchpoint = &model[t];
        let stage = &model[touchpoint.stage];
        out.push(Finding::new(
            touchpoint.meta.allow,
            Diagnostic::lint(
                Lint::Gap,
                format!("touchpoint `{}` traces to no activity", touchpoint.meta.id),
                Label::new(
                    touchpoint.meta.id_span,
                    "no operational activity serves this touchpoint",
                ),
            )
            .with_help(format!(
                "add `traces to stream.activity` for the work that serves \"{}\" in stage `{}`",
                touchpoint.meta.label, stage.meta.id
            )),
        ));
    }
}

/// A non-enabling activity that no touchpoint traces to.
pub(super) fn waste(model: &Model, figures: &Figures, out: &mut Vec<Finding>) {
    // With declarations or trace paths lost to errors, an activity may look unused
    // only because the touchpoint that uses it could not be read.
    if model.damage.lost_declarations || model.damage.lost_traces() {
        return;
    }
    for &a in &figures.waste {
        let activity = &model[a];
        out.push(Finding::new(activity.meta.allow,
            Diagnostic::lint(
                Lint::Waste,
                format!("activity `{}` serves no touchpoint", activity.meta.id),
                Label::new(activity.meta.id_span, "no touchpoint traces to this activity"),
            )
            .with_help(format!(
                "trace a touchpoint to `{}.{}`, mark the activity `enabling` if it is internal by design, or remove it",
                model[activity.stream].meta.id, activity.meta.id
            )),
        ));
    }
}
