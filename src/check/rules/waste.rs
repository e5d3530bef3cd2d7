//! `journey::waste`: a non-enabling activity that no touchpoint traces to.
//!
//! Work that serves no customer moment is either internal by design (then it is
//! marked `enabling`) or possible operational waste (docs/diagnostics.md,
//! `journey::waste`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    // With declarations or trace paths lost to errors, an activity may look unused
    // only because the touchpoint that uses it could not be read.
    if model.damage.lost_declarations || model.damage.lost_traces() {
        return;
    }
    for &a in &cx.figures.waste {
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
