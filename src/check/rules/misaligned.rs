//! `journey::misaligned`: a trace that leaves the value-stream stages its journey
//! stage `maps to`.
//!
//! A journey stage says which value-stream stages serve it; a touchpoint of that
//! stage served by work elsewhere is either a mapping that is out of date or a trace
//! to the wrong activity (docs/diagnostics.md, `journey::misaligned`).

use super::Context;
use crate::check::Finding;
use crate::diagnostic::{Diagnostic, Label, Lint};
use crate::model::JourneyStageId;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = cx.model;
    for (i, stage) in model.journey_stages.iter().enumerate() {
        // A stage without `maps to` is not checked; one whose `maps to` lost a path
        // to an error cannot be checked reliably.
        let Some(maps_span) = stage.maps_to_span else { continue };
        if model.damage.stages_with_lost_maps.contains(&JourneyStageId(i as u32)) {
            continue;
        }
        for &t in &stage.touchpoints {
            let touchpoint = &model[t];
            for &trace in &touchpoint.traces {
                let activity = &model[model[trace].activity];
                if stage.maps_to.iter().any(|m| m.target == activity.stage) {
                    continue;
                }
                let vs_stage = &model[activity.stage];
                let stream = &model[activity.stream].meta.id;
                out.push(Finding::new(touchpoint.meta.allow,
                    Diagnostic::lint(
                        Lint::Misaligned,
                        format!(
                            "`{stream}.{}` is in stage `{stream}.{}`, which journey stage `{}` does not map to",
                            activity.meta.id, vs_stage.meta.id, stage.meta.id
                        ),
                        Label::new(model[trace].span, format!("in `{stream}.{}`", vs_stage.meta.id)),
                    )
                    .with_label(Label::new(maps_span, "the stages this journey stage maps to"))
                    .with_help(format!(
                        "add `{stream}.{}` to the `maps to` of `{}`, or trace to an activity of a mapped stage",
                        vs_stage.meta.id, stage.meta.id
                    )),
                ));
            }
        }
    }
}
