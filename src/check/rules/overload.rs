//! `journey::overload`: a capability asked to carry more than its capacity.
//!
//! The load is the journey volume reaching the capability (spec §5a, docs/language.md
//! "Capability load"); above its capacity, the capability is a bottleneck, and far
//! above it (150%) the plan cannot work (docs/diagnostics.md, `journey::overload`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::SEVERE_OVERLOAD;
use crate::text::number;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let (model, figures) = (cx.model, cx.figures);
    // Lost journeys or traces would understate the load: report nothing rather
    // than a figure that changes when the errors are fixed.
    if model.damage.lost_declarations || model.damage.lost_traces() {
        return;
    }
    for (scenario, loads) in figures.loads.iter() {
        // Only a workspace with a future state says which state it means.
        let when = if model.future { format!(" in {}", scenario.state()) } else { String::new() };
        for load in loads {
            let (Some(utilisation), Some(capacity)) = (load.utilisation(), load.capacity) else {
                continue;
            };
            if utilisation <= 1.0 {
                continue;
            }
            let c = &model[load.capability];
            let Some((_, capacity_span)) = c.capacity else { continue };
            let period = load.period.as_str();
            let percent = (utilisation * 100.0).round();
            let message = format!(
                "capability `{}` carries {} per {period} against a capacity of {} per {period} \
                 ({percent}%){when}",
                c.meta.id,
                number::plain(load.load),
                number::written(capacity)
            );
            let label = Label::new(capacity_span, format!("{percent}% of this capacity{when}"));
            let mut finding = Finding::new(
                c.meta.allow,
                Diagnostic::lint(Lint::Overload, message, label).with_help(
                    "load = Σ journey volume × touchpoint reach × mix complexity over the \
                     touchpoints tracing to activities that use the capability or one below it; \
                     raise the capacity or move work elsewhere",
                ),
            );
            finding.severe = utilisation > SEVERE_OVERLOAD;
            out.push(finding);
        }
    }
}
