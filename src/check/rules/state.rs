//! `journey::state`: a trace between the as-is and the to-be (spec §4a).
//!
//! A current journey cannot be served by an activity that does not exist yet, nor
//! a future journey by one that will be gone: such a trace counts in neither
//! scenario, so it silently drops out of both heat maps (docs/diagnostics.md,
//! `journey::state`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::{ActivityState, State};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for trace in &model.traces {
        let t = &model[trace.touchpoint];
        let journey = &model[t.journey];
        let activity = &model[trace.activity];
        let (why, help) = match (journey.state, activity.state) {
            (State::Current, ActivityState::Future) => (
                "a future activity, which the current state does not have yet",
                "trace the current journey to the activity that serves it today, or make the \
                 journey `state future`",
            ),
            (State::Future, ActivityState::Retired) => (
                "a retired activity, which the future state no longer has",
                "trace the future journey to the activity that replaces it, or keep the \
                 activity `state current`",
            ),
            _ => continue,
        };
        let message = format!(
            "{} journey `{}` traces to `{}`, {why}",
            if journey.state == State::Future { "future" } else { "current" },
            journey.meta.id,
            activity.meta.id,
        );
        let diagnostic = Diagnostic::lint(
            Lint::State,
            message,
            Label::new(trace.span, format!("a `state {}` activity", activity.state.as_str())),
        )
        .with_label(Label::new(
            activity.meta.id_span,
            format!("declared `state {}` here", activity.state.as_str()),
        ))
        .with_help(help);
        out.push(Finding::new(t.meta.allow, diagnostic));
    }
}
