//! The resolved model's elements: flat arenas indexed by typed ids.
//!
//! References are resolved to ids; values are validated and typed (an [`Emotion`]
//! is always within −3…+3), so consumers never re-check what the builder checked.

use super::Period;
use super::kpi::{Reading, Target};
use crate::diagnostic::LintSet;
use crate::source::Span;
use crate::syntax::vocabulary;
use std::collections::HashSet;
use thin_vec::ThinVec;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $field:ident: $elem:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub struct $name(pub u32);

            impl $name {
                pub fn index(self) -> usize {
                    self.0 as usize
                }
            }

            impl std::ops::Index<$name> for Model {
                type Output = $elem;
                fn index(&self, id: $name) -> &$elem {
                    &self.$field[id.index()]
                }
            }
        )*
    };
}

ids! {
    PersonaId => personas: Persona;
    TeamId => teams: Team;
    SystemId => systems: System;
    CapabilityId => capabilities: Capability;
    StreamId => streams: ValueStream;
    VsStageId => vs_stages: VsStage;
    ActivityId => activities: Activity;
    JourneyId => journeys: Journey;
    JourneyStageId => journey_stages: JourneyStage;
    TouchpointId => touchpoints: Touchpoint;
    /// A `traces to` link from a touchpoint to an activity.
    TraceId => traces: Trace;
}

/// The whole workspace, resolved. Elements are in source order (files in the order
/// given, declarations in the order written), which every output keeps.
#[derive(Debug, Default, Clone)]
pub struct Model {
    pub personas: Vec<Persona>,
    pub teams: Vec<Team>,
    pub systems: Vec<System>,
    pub capabilities: Vec<Capability>,
    pub streams: Vec<ValueStream>,
    pub vs_stages: Vec<VsStage>,
    pub activities: Vec<Activity>,
    pub journeys: Vec<Journey>,
    pub journey_stages: Vec<JourneyStage>,
    pub touchpoints: Vec<Touchpoint>,
    pub traces: Vec<Trace>,
    /// Whether the workspace describes a to-be as well as the as-is (spec §4a): a
    /// `future` journey, or an activity that is `future` or `retired`.
    pub future: bool,
    /// What could not be resolved, so that checks avoid reporting its consequences.
    pub damage: Damage,
}

/// Where the model is incomplete because of an error already reported.
#[derive(Debug, Default, Clone)]
pub struct Damage {
    /// Some declaration was lost to a syntax error, so workspace-wide figures
    /// (waste, load) would be wrong.
    pub lost_declarations: bool,
    pub touchpoints_with_lost_traces: HashSet<TouchpointId>,
    pub activities_with_lost_owner: HashSet<ActivityId>,
    pub stages_with_lost_maps: HashSet<JourneyStageId>,
}

impl Damage {
    /// Whether some `traces to` path did not resolve.
    pub fn lost_traces(&self) -> bool {
        !self.touchpoints_with_lost_traces.is_empty()
    }
}

/// What every element has.
#[derive(Debug, Clone)]
pub struct Meta {
    pub id: String,
    pub label: String,
    pub description: Option<Box<str>>,
    /// Where the id is written: the span diagnostics about the element point at.
    pub id_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// The lints allowed on this element, including those allowed on its ancestors.
    pub allow: LintSet,
}

impl Meta {
    /// The element's name for a reader: its label, or its id when the label is
    /// blank (`""`), so that nothing shown is left without a name.
    pub fn name(&self) -> &str {
        if self.label.trim().is_empty() { &self.id } else { &self.label }
    }
}

/// A resolved reference and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref<I> {
    pub target: I,
    pub span: Span,
}

/// A rate such as `500 per week`: always finite and non-negative.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub amount: f64,
    pub period: Period,
}

impl Rate {
    /// The same rate expressed per `period`.
    pub fn per(self, period: Period) -> f64 {
        self.amount * period.days() / self.period.days()
    }
}

/// A customer's emotion, from −3 to +3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Emotion(i8);

impl Emotion {
    pub fn new(value: i8) -> Option<Emotion> {
        (-3..=3).contains(&value).then_some(Emotion(value))
    }

    pub fn value(self) -> i8 {
        self.0
    }
}

/// A share between 0 and 1 (written as a percentage).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Share(f64);

impl Share {
    pub const ALL: Share = Share(1.0);

    /// From a percentage as written (`60` for `60%`).
    pub fn from_percent(percent: f64) -> Option<Share> {
        (0.0..=100.0).contains(&percent).then_some(Share(percent / 100.0))
    }

    pub fn fraction(self) -> f64 {
        self.0
    }
}

/// The case mix of a journey's volume (spec §5a), fractions summing to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    pub simple: f64,
    pub standard: f64,
    pub complex: f64,
}

impl Mix {
    /// The mix-weighted complexity factor: simple 0.5, standard 1, complex 2.
    pub fn complexity(self) -> f64 {
        0.5 * self.simple + self.standard + 2.0 * self.complex
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lane {
    Frontstage,
    #[default]
    Backstage,
    Support,
}

impl Lane {
    pub const NAMES: [&'static str; 3] = vocabulary::LANES;

    pub fn as_str(self) -> &'static str {
        Lane::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    #[default]
    Current,
    Future,
}

impl State {
    pub const NAMES: [&'static str; 2] = vocabulary::STATES;

    pub fn as_str(self) -> &'static str {
        State::NAMES[self as usize]
    }
}

/// Where an activity stands between the as-is and the to-be (spec §4a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActivityState {
    /// In both scenarios.
    #[default]
    Current,
    /// Only in the to-be: a new activity.
    Future,
    /// Only in the as-is: an activity the to-be does without.
    Retired,
}

impl ActivityState {
    pub const NAMES: [&'static str; 3] = vocabulary::ACTIVITY_STATES;

    pub fn as_str(self) -> &'static str {
        ActivityState::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rating {
    Low,
    Medium,
    High,
}

impl Rating {
    pub const NAMES: [&'static str; 3] = vocabulary::RATINGS;

    pub fn as_str(self) -> &'static str {
        Rating::NAMES[self as usize]
    }
}

/// Where an opportunity falls on the impact × effort grid. The grid splits at
/// `medium`, which counts on the cautious side: a quick win needs high impact *and*
/// low effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quadrant {
    /// High impact, low effort.
    QuickWin,
    /// High impact, medium or high effort.
    MajorProject,
    /// Low or medium impact, low effort.
    FillIn,
    /// Low or medium impact, medium or high effort.
    Thankless,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] =
        [Quadrant::QuickWin, Quadrant::MajorProject, Quadrant::FillIn, Quadrant::Thankless];

    pub fn of(impact: Rating, effort: Rating) -> Quadrant {
        match (impact == Rating::High, effort == Rating::Low) {
            (true, true) => Quadrant::QuickWin,
            (true, false) => Quadrant::MajorProject,
            (false, true) => Quadrant::FillIn,
            (false, false) => Quadrant::Thankless,
        }
    }

    /// The name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "quick-win",
            Quadrant::MajorProject => "major-project",
            Quadrant::FillIn => "fill-in",
            Quadrant::Thankless => "thankless",
        }
    }

    /// The name for people.
    pub fn title(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "Quick wins",
            Quadrant::MajorProject => "Major projects",
            Quadrant::FillIn => "Fill-ins",
            Quadrant::Thankless => "Thankless tasks",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Persona {
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub struct System {
    pub meta: Meta,
    pub owner: Option<Ref<TeamId>>,
}

#[derive(Debug, Clone)]
pub struct Capability {
    pub meta: Meta,
    pub owner: Option<Ref<TeamId>>,
    /// 1 to 4.
    pub level: Option<u8>,
    pub parent: Option<Ref<CapabilityId>>,
    pub capacity: Option<(Rate, Span)>,
}

#[derive(Debug, Clone)]
pub struct ValueStream {
    pub meta: Meta,
    pub stakeholders: Vec<Ref<PersonaId>>,
    pub stages: Vec<VsStageId>,
}

#[derive(Debug, Clone)]
pub struct VsStage {
    pub meta: Meta,
    pub stream: StreamId,
    pub entrance: Vec<String>,
    pub exit: Vec<String>,
    pub value: Vec<String>,
    pub metrics: Vec<Metric>,
    pub activities: Vec<ActivityId>,
}

/// Its lists, like a touchpoint's, are `ThinVec`s: one word each instead of a
/// `Vec`'s three, since most are empty or short and activities are numerous.
#[derive(Debug, Clone)]
pub struct Activity {
    pub meta: Meta,
    pub stream: StreamId,
    pub stage: VsStageId,
    pub owner: Option<Ref<TeamId>>,
    pub lane: Lane,
    pub state: ActivityState,
    pub capabilities: ThinVec<Ref<CapabilityId>>,
    pub systems: ThinVec<Ref<SystemId>>,
    /// Minutes.
    pub process: Option<f64>,
    /// Minutes.
    pub wait: Option<f64>,
    /// The share of its output that is complete and accurate (%C&A).
    pub accuracy: Option<Share>,
    pub failures: ThinVec<String>,
    pub enabling: bool,
    /// The trace links that reach this activity, in source order.
    pub traced_by: ThinVec<TraceId>,
}

#[derive(Debug, Clone)]
pub struct Journey {
    pub meta: Meta,
    pub personas: Vec<Ref<PersonaId>>,
    pub state: State,
    /// The current journey this future journey supersedes (spec §4a).
    pub replaces: Option<Ref<JourneyId>>,
    /// For a current journey: whether a future journey replaces it, which leaves
    /// it out of the to-be.
    pub replaced: bool,
    pub volume: Option<Rate>,
    pub mix: Option<Mix>,
    pub stages: Vec<JourneyStageId>,
}

impl Journey {
    /// The complexity factor of spec §5a: 1 without a `mix`.
    pub fn complexity(&self) -> f64 {
        self.mix.map_or(1.0, Mix::complexity)
    }
}

#[derive(Debug, Clone)]
pub struct JourneyStage {
    pub meta: Meta,
    pub journey: JourneyId,
    pub maps_to: Vec<Ref<VsStageId>>,
    /// The span of the `maps to` attributes, for labels.
    pub maps_to_span: Option<Span>,
    pub touchpoints: Vec<TouchpointId>,
}

/// The most numerous element. Its lists are `ThinVec`s (one word each, where a
/// `Vec` takes three): most are empty, and they made up a third of a touchpoint's
/// size, which counts at the analysis's memory peak.
#[derive(Debug, Clone)]
pub struct Touchpoint {
    pub meta: Meta,
    pub journey: JourneyId,
    pub stage: JourneyStageId,
    pub channel: Option<Box<str>>,
    pub emotion: Option<Emotion>,
    pub reach: Share,
    /// Where `moment of truth` is written, if it is.
    pub moment_of_truth: Option<Span>,
    pub evidence: ThinVec<String>,
    pub pains: ThinVec<String>,
    pub failures: ThinVec<String>,
    pub metrics: ThinVec<Metric>,
    pub opportunities: ThinVec<Opportunity>,
    /// The trace links from this touchpoint, in source order.
    pub traces: ThinVec<TraceId>,
}

#[derive(Debug, Clone, Copy)]
pub struct Trace {
    pub touchpoint: TouchpointId,
    pub activity: ActivityId,
    /// The path as written after `traces to`.
    pub span: Span,
}

/// A `metric` or `kpi`.
#[derive(Debug, Clone)]
pub struct Metric {
    pub id: Option<String>,
    pub label: String,
    pub description: Option<Box<str>>,
    pub target: Option<Target>,
    /// The current value: as written in the source, or as measured (spec §5c).
    pub current: Option<Reading>,
    /// The lints allowed on it, including those allowed on its element.
    pub allow: LintSet,
    pub span: Span,
}

impl Metric {
    /// Whether the current value meets the target, when both are typed and their
    /// units compare; `None` when the kpi cannot be checked.
    pub fn met(&self) -> Option<bool> {
        self.target.as_ref()?.met_by(self.current.as_ref()?)
    }
}

#[derive(Debug, Clone)]
pub struct Opportunity {
    pub meta: Meta,
    pub impact: Option<Rating>,
    pub effort: Option<Rating>,
    pub owner: Option<Ref<TeamId>>,
}

impl Opportunity {
    /// The grid quadrant; `None` unless both impact and effort are rated.
    pub fn quadrant(&self) -> Option<Quadrant> {
        Some(Quadrant::of(self.impact?, self.effort?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Touchpoints and activities are most of the model, and the model is alive at
    /// the analysis's memory peak (docs/performance.md): a field that makes them
    /// larger should be a choice, not an accident.
    #[test]
    fn the_numerous_elements_stay_small() {
        assert!(size_of::<Touchpoint>() <= 216, "{}", size_of::<Touchpoint>());
        // 208 since `state` and `accuracy` (spec §4a, §5d): 4% of an activity.
        assert!(size_of::<Activity>() <= 208, "{}", size_of::<Activity>());
    }
}
