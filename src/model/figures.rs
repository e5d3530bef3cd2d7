//! Figures derived from the resolved model: gaps, waste, hand-offs, coverage and
//! capability load. Checks turn them into diagnostics; emitters show them.
//!
//! Every figure is computed in one pass over the trace links, so the cost is linear
//! in the size of the model.

use super::Period;
use super::elements::{
    ActivityId, ActivityState, CapabilityId, JourneyId, Model, TeamId, TouchpointId,
};
use super::scenario::{Scenario, Scenarios};

/// Everything derived from a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Touchpoints that trace to no activity, in source order.
    pub gaps: Vec<TouchpointId>,
    /// Activities that are neither enabling nor retired and that no touchpoint
    /// traces to, in source order.
    pub waste: Vec<ActivityId>,
    /// Touchpoints served by activities of two or more owning teams.
    pub handoffs: Vec<Handoff>,
    pub coverage: Coverage,
    /// Per scenario, one entry per capability, in source order.
    pub loads: Scenarios<Vec<Load>>,
    /// Per scenario, the lean figures of each value-stream stage and stream.
    pub lean: Scenarios<LeanFigures>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    pub touchpoint: TouchpointId,
    /// The owning teams, in the order their activities are traced.
    pub teams: Vec<TeamId>,
}

/// A count out of a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub count: usize,
    pub total: usize,
}

impl Ratio {
    /// The share as a fraction; 1 when there is nothing to cover.
    #[allow(clippy::cast_precision_loss)]
    pub fn fraction(self) -> f64 {
        if self.total == 0 { 1.0 } else { self.count as f64 / self.total as f64 }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage {
    /// Per journey, in source order.
    pub journeys: Vec<JourneyCoverage>,
    /// Touchpoints with at least one trace, over all journeys.
    pub touchpoints: Ratio,
    /// Non-enabling activities with at least one trace. Enabling activities are
    /// internal by design, so counting them would only dilute the figure.
    pub activities: Ratio,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JourneyCoverage {
    pub journey: JourneyId,
    /// The journey's touchpoints with at least one trace.
    pub touchpoints: Ratio,
    /// The non-enabling activities of the value-stream stages the journey `maps to`
    /// that its touchpoints trace to: how much of the operation it claims it uses.
    pub activities: Ratio,
}

/// The lean figures of one scenario (spec §5d).
#[derive(Debug, Clone, PartialEq)]
pub struct LeanFigures {
    /// One entry per value-stream stage, in source order.
    pub stages: Vec<Lean>,
    /// One entry per value stream, in source order: the sums over its stages, and
    /// the product of their rolled %C&A.
    pub streams: Vec<Lean>,
}

/// Lean figures of a value-stream stage or stream, over the activities of one
/// scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lean {
    /// Minutes of `process` time, over the activities that give one.
    pub process: f64,
    /// Minutes of `wait` time, over the activities that give one.
    pub wait: f64,
    /// Activities with a `process` or `wait` time.
    pub timed: usize,
    /// The rolled %C&A, as a fraction: the product of the activities' `accuracy`,
    /// an activity without one counting as 100%.
    pub accuracy: f64,
    /// Activities with an `accuracy`: without any, the rolled %C&A says nothing.
    pub rated: usize,
}

impl Lean {
    const NONE: Lean = Lean { process: 0.0, wait: 0.0, timed: 0, accuracy: 1.0, rated: 0 };

    /// Process time plus wait time, in minutes.
    pub fn lead(&self) -> f64 {
        self.process + self.wait
    }

    /// Process time over lead time (process + wait); `None` when no time is given.
    pub fn flow_efficiency(&self) -> Option<f64> {
        let lead = self.lead();
        (self.timed > 0 && lead > 0.0).then(|| self.process / lead)
    }

    /// The rolled %C&A as a fraction, when some activity gives an `accuracy`.
    pub fn rolled_accuracy(&self) -> Option<f64> {
        (self.rated > 0).then_some(self.accuracy)
    }

    fn add(&mut self, other: &Lean) {
        self.process += other.process;
        self.wait += other.wait;
        self.timed += other.timed;
        self.accuracy *= other.accuracy;
        self.rated += other.rated;
    }
}

/// Above this utilisation an overload is severe: an error, not a warning (spec §5).
pub const SEVERE_OVERLOAD: f64 = 1.5;

/// The journey volume a capability carries (spec §5a).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub capability: CapabilityId,
    /// The load per `period`.
    pub load: f64,
    /// The capacity's period, or a week for a capability without capacity.
    pub period: Period,
    /// The capacity per `period`, if the capability has one.
    pub capacity: Option<f64>,
}

impl Load {
    /// Load over capacity; `None` without a capacity.
    pub fn utilisation(&self) -> Option<f64> {
        self.capacity.map(|c| self.load / c)
    }
}

impl Figures {
    pub fn of(model: &Model) -> Figures {
        Figures::made(model, model.touchpoints.len() >= super::PARALLEL_FROM_TOUCHPOINTS)
    }

    /// [`Figures::of`], in parallel or not: the figures are the same either way.
    fn made(model: &Model, parallel: bool) -> Figures {
        let gaps = model
            .touchpoints
            .iter()
            .enumerate()
            .filter(|(_, t)| t.traces.is_empty())
            .map(|(i, _)| TouchpointId(i as u32))
            .collect();
        let waste = model
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                !a.enabling && a.state != ActivityState::Retired && a.traced_by.is_empty()
            })
            .map(|(i, _)| ActivityId(i as u32))
            .collect();
        // The figures are independent of each other: on a large workspace the
        // load of each scenario and the rest are made side by side.
        let (loads, (handoffs, coverage, lean)) = if parallel {
            rayon::join(
                || Scenarios::of(model, |s| loads(model, s)),
                || {
                    let (handoffs, (coverage, lean)) = rayon::join(
                        || handoffs(model),
                        || (coverage(model), Scenarios::of(model, |s| lean(model, s))),
                    );
                    (handoffs, coverage, lean)
                },
            )
        } else {
            (
                Scenarios::of(model, |s| loads(model, s)),
                (handoffs(model), coverage(model), Scenarios::of(model, |s| lean(model, s))),
            )
        };
        Figures { gaps, waste, handoffs, coverage, loads, lean }
    }
}

fn handoffs(model: &Model) -> Vec<Handoff> {
    let mut out = Vec::new();
    // Reused for every touchpoint, and copied only for the few that hand off: most
    // touchpoints have an owning team, so a fresh list each was an allocation each.
    let mut teams: Vec<TeamId> = Vec::new();
    // The last touchpoint (plus one) that met each team, so that a team is found
    // among the touchpoint's teams in constant time, however many traces it has.
    let mut met = vec![0_u32; model.teams.len()];
    for (i, t) in model.touchpoints.iter().enumerate() {
        let stamp = i as u32 + 1;
        teams.clear();
        for &trace in &t.traces {
            if let Some(owner) = model[model[trace].activity].owner {
                let seen = &mut met[owner.target.index()];
                if *seen != stamp {
                    *seen = stamp;
                    teams.push(owner.target);
                }
            }
        }
        if teams.len() >= 2 {
            out.push(Handoff { touchpoint: TouchpointId(i as u32), teams: teams.clone() });
        }
    }
    out
}

fn coverage(model: &Model) -> Coverage {
    let mut coverage = Coverage::default();
    // Marks reused across journeys: which activities this journey uses, and which
    // are in the stages it maps to. Cleared per journey through the lists below.
    let mut used = vec![false; model.activities.len()];
    let mut mapped = vec![false; model.activities.len()];
    for (j, journey) in model.journeys.iter().enumerate() {
        let mut touchpoints = Ratio::default();
        let mut mapped_list = Vec::new();
        let mut used_list = Vec::new();
        for &stage in &journey.stages {
            for target in &model[stage].maps_to {
                for &a in &model[target.target].activities {
                    if !mapped[a.index()] && !model[a].enabling {
                        mapped[a.index()] = true;
                        mapped_list.push(a);
                    }
                }
            }
            for &t in &model[stage].touchpoints {
                touchpoints.total += 1;
                touchpoints.count += usize::from(!model[t].traces.is_empty());
                for &trace in &model[t].traces {
                    let a = model[trace].activity;
                    if !used[a.index()] {
                        used[a.index()] = true;
                        used_list.push(a);
                    }
                }
            }
        }
        let activities = Ratio {
            count: mapped_list.iter().filter(|a| used[a.index()]).count(),
            total: mapped_list.len(),
        };
        for a in mapped_list {
            mapped[a.index()] = false;
        }
        for a in used_list {
            used[a.index()] = false;
        }
        coverage.touchpoints.total += touchpoints.total;
        coverage.touchpoints.count += touchpoints.count;
        coverage.journeys.push(JourneyCoverage {
            journey: JourneyId(j as u32),
            touchpoints,
            activities,
        });
    }
    for a in model.activities.iter().filter(|a| !a.enabling) {
        coverage.activities.total += 1;
        coverage.activities.count += usize::from(!a.traced_by.is_empty());
    }
    coverage
}

fn lean(model: &Model, scenario: Scenario) -> LeanFigures {
    let stages: Vec<Lean> = model
        .vs_stages
        .iter()
        .map(|stage| {
            let mut lean = Lean::NONE;
            for &a in stage.activities.iter().filter(|&&a| model.activity_in(a, scenario)) {
                let a = &model[a];
                lean.process += a.process.unwrap_or(0.0);
                lean.wait += a.wait.unwrap_or(0.0);
                lean.timed += usize::from(a.process.is_some() || a.wait.is_some());
                if let Some(accuracy) = a.accuracy {
                    lean.accuracy *= accuracy.fraction();
                    lean.rated += 1;
                }
            }
            lean
        })
        .collect();
    let streams = model
        .streams
        .iter()
        .map(|stream| {
            let mut lean = Lean::NONE;
            for st in &stream.stages {
                lean.add(&stages[st.index()]);
            }
            lean
        })
        .collect();
    LeanFigures { stages, streams }
}

/// What one touchpoint adds to one capability's load: volume(J) × reach(T) ×
/// complexity(J), per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    pub touchpoint: TouchpointId,
    pub capability: CapabilityId,
    pub per_day: f64,
}

impl Model {
    /// `capability`, then the capability it is part of, and so on up to the top: the
    /// capabilities a load on `capability` rolls up to (spec §5a). The builder cuts
    /// `parent` loops, so the walk ends.
    pub fn rolls_up_to(&self, capability: CapabilityId) -> impl Iterator<Item = CapabilityId> + '_ {
        std::iter::successors(Some(capability), |&c| self[c].parent.map(|p| p.target))
    }
}

/// Calls `f` with every contribution to a capability's load in `scenario` (spec
/// §5a), touchpoint by touchpoint in source order: a touchpoint of a journey of the
/// scenario contributes to each capability that an activity it traces to within
/// the scenario uses, and to every capability above those by `parent`, once each
/// however many of its activities lead there. Journeys without a `volume` add
/// nothing. The loads and their breakdowns both come from here.
pub fn contributions(model: &Model, scenario: Scenario, mut f: impl FnMut(Contribution)) {
    let mut used: Vec<CapabilityId> = Vec::new();
    // The last touchpoint (plus one) that used each capability: counting it once per
    // touchpoint in constant time, however many traces and capabilities it has.
    let mut met = vec![0_u32; model.capabilities.len()];
    for (i, t) in model.touchpoints.iter().enumerate() {
        let journey = &model[t.journey];
        let Some(volume) = journey.volume else { continue };
        if !model.journey_in(t.journey, scenario) {
            continue;
        }
        let stamp = i as u32 + 1;
        used.clear();
        for &trace in &t.traces {
            let activity = model[trace].activity;
            if !model.activity_in(activity, scenario) {
                continue;
            }
            for c in &model[activity].capabilities {
                // Up to a capability this touchpoint already counted: its ancestors
                // are counted too.
                for c in model.rolls_up_to(c.target) {
                    let seen = &mut met[c.index()];
                    if *seen == stamp {
                        break;
                    }
                    *seen = stamp;
                    used.push(c);
                }
            }
        }
        let per_day = volume.per(Period::Day) * t.reach.fraction() * journey.complexity();
        for &capability in &used {
            f(Contribution { touchpoint: TouchpointId(i as u32), capability, per_day });
        }
    }
}

/// Each capability's load in `scenario`, in the capacity's period.
fn loads(model: &Model, scenario: Scenario) -> Vec<Load> {
    let mut per_day = vec![0.0_f64; model.capabilities.len()];
    contributions(model, scenario, |c| per_day[c.capability.index()] += c.per_day);
    model
        .capabilities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let period = c.capacity.map_or(Period::Week, |(rate, _)| rate.period);
            Load {
                capability: CapabilityId(i as u32),
                load: per_day[i] * period.days(),
                period,
                capacity: c.capacity.map(|(rate, _)| rate.amount),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::example_model;

    /// Made side by side or one after the other, the figures of every example
    /// (the one with a future state too) are the same.
    #[test]
    fn the_figures_are_the_same_in_parallel() {
        for example in ["b2b-order", "hospital-onboarding", "insurance-claims"] {
            let model = &example_model(example);
            assert_eq!(Figures::made(model, true), Figures::made(model, false), "{example}");
        }
    }
}
