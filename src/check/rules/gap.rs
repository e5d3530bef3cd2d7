//! `journey::gap`: a touchpoint that traces to no activity.
//!
//! The customer meets the organisation there, but no operational work is known to
//! serve that moment: a customer-experience gap, where journeys and processes drift
//! apart (docs/diagnostics.md, `journey::gap`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for &t in &cx.figures.gaps {
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
