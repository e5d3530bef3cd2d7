//! The qualified names of nested elements (`stream.activity`,
//! `journey.stage.touchpoint`), computed once for a model: how every output (the
//! pages, `traceability.json`, the exports, `journey diff`) names an element.

use super::{ActivityId, JourneyStageId, Model, TouchpointId, VsStageId};

/// Qualified names of nested elements, indexed like the model's arenas. Top-level
/// elements are named by their id.
pub struct Names {
    vs_stages: Vec<String>,
    activities: Vec<String>,
    journey_stages: Vec<String>,
    touchpoints: Vec<String>,
}

impl Names {
    pub fn of(model: &Model) -> Names {
        Names {
            vs_stages: model
                .vs_stages
                .iter()
                .map(|s| format!("{}.{}", model[s.stream].meta.id, s.meta.id))
                .collect(),
            activities: model
                .activities
                .iter()
                .map(|a| format!("{}.{}", model[a.stream].meta.id, a.meta.id))
                .collect(),
            journey_stages: model
                .journey_stages
                .iter()
                .map(|s| format!("{}.{}", model[s.journey].meta.id, s.meta.id))
                .collect(),
            touchpoints: model
                .touchpoints
                .iter()
                .map(|t| {
                    format!("{}.{}.{}", model[t.journey].meta.id, model[t.stage].meta.id, t.meta.id)
                })
                .collect(),
        }
    }

    /// `stream.stage`
    pub fn vs_stage(&self, id: VsStageId) -> &str {
        &self.vs_stages[id.index()]
    }

    /// `stream.activity`
    pub fn activity(&self, id: ActivityId) -> &str {
        &self.activities[id.index()]
    }

    /// `journey.stage`
    pub fn journey_stage(&self, id: JourneyStageId) -> &str {
        &self.journey_stages[id.index()]
    }

    /// `journey.stage.touchpoint`
    pub fn touchpoint(&self, id: TouchpointId) -> &str {
        &self.touchpoints[id.index()]
    }
}
