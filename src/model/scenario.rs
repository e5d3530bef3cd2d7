//! The as-is and the to-be (spec §4a): which journeys, activities and trace links
//! count in each scenario.

use super::elements::{ActivityId, ActivityState, JourneyId, Model, State, TraceId};

/// One of the two states of the organisation a workspace can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// The organisation as it is: the current journeys, and the activities that
    /// are current or retired.
    AsIs,
    /// As it will be: the future journeys and the current ones no future journey
    /// replaces, and the activities that are current or future.
    ToBe,
}

impl Scenario {
    pub const ALL: [Scenario; 2] = [Scenario::AsIs, Scenario::ToBe];

    /// The name in outputs (`as-is`, `to-be`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::AsIs => "as-is",
            Scenario::ToBe => "to-be",
        }
    }

    /// The state it describes, as messages say it: "the current state".
    pub fn state(self) -> &'static str {
        match self {
            Scenario::AsIs => "the current state",
            Scenario::ToBe => "the future state",
        }
    }
}

/// A figure for each scenario: the to-be only when the workspace has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenarios<T> {
    pub as_is: T,
    pub to_be: Option<T>,
}

impl<T> Scenarios<T> {
    /// Computes `f` for the as-is and, when `model` has a future state, the to-be.
    pub fn of(model: &Model, mut f: impl FnMut(Scenario) -> T) -> Scenarios<T> {
        Scenarios { as_is: f(Scenario::AsIs), to_be: model.future.then(|| f(Scenario::ToBe)) }
    }

    pub fn get(&self, scenario: Scenario) -> Option<&T> {
        match scenario {
            Scenario::AsIs => Some(&self.as_is),
            Scenario::ToBe => self.to_be.as_ref(),
        }
    }

    /// The scenarios there are, the as-is first.
    pub fn iter(&self) -> impl Iterator<Item = (Scenario, &T)> {
        std::iter::once((Scenario::AsIs, &self.as_is))
            .chain(self.to_be.as_ref().map(|t| (Scenario::ToBe, t)))
    }
}

impl Model {
    /// The scenarios the workspace describes: the as-is, and the to-be if it has one.
    pub fn scenarios(&self) -> &'static [Scenario] {
        if self.future { &Scenario::ALL } else { &Scenario::ALL[..1] }
    }

    pub fn journey_in(&self, journey: JourneyId, scenario: Scenario) -> bool {
        let j = &self[journey];
        match scenario {
            Scenario::AsIs => j.state == State::Current,
            Scenario::ToBe => j.state == State::Future || !j.replaced,
        }
    }

    pub fn activity_in(&self, activity: ActivityId, scenario: Scenario) -> bool {
        match (scenario, self[activity].state) {
            (_, ActivityState::Current) => true,
            (Scenario::AsIs, state) => state == ActivityState::Retired,
            (Scenario::ToBe, state) => state == ActivityState::Future,
        }
    }

    /// Whether a trace link counts in `scenario`: its journey and its activity
    /// both belong to it.
    pub fn trace_in(&self, trace: TraceId, scenario: Scenario) -> bool {
        let t = &self[trace];
        self.activity_in(t.activity, scenario)
            && self.journey_in(self[t.touchpoint].journey, scenario)
    }
}
