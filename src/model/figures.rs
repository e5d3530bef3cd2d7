//! Figures derived from the resolved model: gaps, waste, hand-offs, coverage and
//! capability load. Checks turn them into diagnostics; emitters show them.
//!
//! Every figure is computed in one pass over the trace links, so the cost is linear
//! in the size of the model.

use super::elements::{ActivityId, CapabilityId, JourneyId, Model, TeamId, TouchpointId};
use crate::syntax::ast::Period;

/// Everything derived from a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Touchpoints that trace to no activity, in source order.
    pub gaps: Vec<TouchpointId>,
    /// Non-enabling activities that no touchpoint traces to, in source order.
    pub waste: Vec<ActivityId>,
    /// Touchpoints served by activities of two or more owning teams.
    pub handoffs: Vec<Handoff>,
    pub coverage: Coverage,
    /// One entry per capability, in source order.
    pub loads: Vec<Load>,
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
    /// Touchpoints with at least one trace, per journey in source order.
    pub journeys: Vec<(JourneyId, Ratio)>,
    /// Touchpoints with at least one trace, over all journeys.
    pub touchpoints: Ratio,
    /// Non-enabling activities with at least one trace. Enabling activities are
    /// internal by design, so counting them would only dilute the figure.
    pub activities: Ratio,
}

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
            .filter(|(_, a)| !a.enabling && a.traced_by.is_empty())
            .map(|(i, _)| ActivityId(i as u32))
            .collect();
        Figures {
            gaps,
            waste,
            handoffs: handoffs(model),
            coverage: coverage(model),
            loads: loads(model),
        }
    }
}

fn handoffs(model: &Model) -> Vec<Handoff> {
    let mut out = Vec::new();
    for (i, t) in model.touchpoints.iter().enumerate() {
        let mut teams: Vec<TeamId> = Vec::new();
        for &trace in &t.traces {
            if let Some(owner) = model[model[trace].activity].owner {
                if !teams.contains(&owner.target) {
                    teams.push(owner.target);
                }
            }
        }
        if teams.len() >= 2 {
            out.push(Handoff { touchpoint: TouchpointId(i as u32), teams });
        }
    }
    out
}

fn coverage(model: &Model) -> Coverage {
    let mut coverage = Coverage::default();
    for (j, journey) in model.journeys.iter().enumerate() {
        let mut ratio = Ratio::default();
        for &stage in &journey.stages {
            for &t in &model[stage].touchpoints {
                ratio.total += 1;
                ratio.count += usize::from(!model[t].traces.is_empty());
            }
        }
        coverage.touchpoints.total += ratio.total;
        coverage.touchpoints.count += ratio.count;
        coverage.journeys.push((JourneyId(j as u32), ratio));
    }
    for a in model.activities.iter().filter(|a| !a.enabling) {
        coverage.activities.total += 1;
        coverage.activities.count += usize::from(!a.traced_by.is_empty());
    }
    coverage
}

/// load(C) = Σ volume(J) × reach(T) × complexity(J) over the touchpoints T of each
/// journey J that trace to an activity using C; each touchpoint counts once per
/// capability, however many of its activities use it. Computed per day, then
/// expressed in the capacity's period. Journeys without a `volume` add nothing.
fn loads(model: &Model) -> Vec<Load> {
    let mut per_day = vec![0.0_f64; model.capabilities.len()];
    let mut used: Vec<CapabilityId> = Vec::new();
    for t in &model.touchpoints {
        let journey = &model[t.journey];
        let Some(volume) = journey.volume else { continue };
        used.clear();
        for &trace in &t.traces {
            for c in &model[model[trace].activity].capabilities {
                if !used.contains(&c.target) {
                    used.push(c.target);
                }
            }
        }
        let carried = volume.per(Period::Day) * t.reach.fraction() * journey.complexity();
        for c in &used {
            per_day[c.index()] += carried;
        }
    }
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
