//! A value stream's page: its stages (entrance, exit, value and metrics), their
//! activities with everything the model knows of them and the touchpoints each
//! serves, and the lean figures (spec §5d) of every scenario with their
//! process/wait ladder.

use super::heat::bar;
use super::links::{Link, Links, TeamLink};
use crate::model::{ActivityId, ActivityState, Lean, Metric, Model, Scenario, StreamId};
use crate::text::number::{duration, percent};

/// The most touchpoints listed under one activity; the others are counted. An
/// activity of a big workspace serves hundreds of touchpoints, which the journey
/// pages and `traceability.json` list in full.
pub(super) const TOUCHPOINTS_LISTED: usize = 5;

pub(super) struct StreamPage<'a> {
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) stakeholders: Vec<Link<'a>>,
    /// The journeys whose touchpoints trace into the stream, in source order.
    pub(super) journeys: Vec<Link<'a>>,
    pub(super) activities: usize,
    /// The lean figures of each scenario there is, the as-is first.
    pub(super) flows: Vec<Flow<'a>>,
    pub(super) stages: Vec<StageView<'a>>,
}

/// One scenario's lean figures: the ladder of its stages and the stream's total.
pub(super) struct Flow<'a> {
    /// `as-is` or `to-be`.
    pub(super) scenario: &'static str,
    pub(super) rungs: Vec<Rung<'a>>,
    pub(super) total: LeanView,
}

/// A stage on the ladder: its wait on the upper rung, its process time on the
/// lower one.
pub(super) struct Rung<'a> {
    pub(super) label: &'a str,
    pub(super) anchor: String,
    pub(super) lean: LeanView,
}

/// Lean figures for people (spec §5d).
pub(super) struct LeanView {
    pub(super) process: String,
    pub(super) wait: String,
    pub(super) lead: String,
    pub(super) efficiency: Option<String>,
    /// The flow-efficiency bar's length out of 100.
    pub(super) bar: u32,
    pub(super) accuracy: Option<String>,
    /// Activities with a `process` or `wait` time.
    pub(super) timed: usize,
    /// Activities in the scenario.
    pub(super) activities: usize,
}

impl LeanView {
    fn of(lean: &Lean, activities: usize) -> LeanView {
        LeanView {
            process: duration(lean.process),
            wait: duration(lean.wait),
            lead: duration(lean.lead()),
            efficiency: lean.flow_efficiency().map(percent),
            bar: lean.flow_efficiency().map_or(0, |e| bar(e, 1.0)),
            accuracy: lean.rolled_accuracy().map(percent),
            timed: lean.timed,
            activities,
        }
    }
}

pub(super) struct StageView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) entrance: &'a [String],
    pub(super) exit: &'a [String],
    pub(super) value: &'a [String],
    pub(super) metrics: Vec<MetricView<'a>>,
    pub(super) activities: Vec<ActivityView<'a>>,
}

pub(super) struct MetricView<'a> {
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) target: Option<&'a str>,
    pub(super) current: Option<&'a str>,
    /// ` (measured on 2026-02-28)` when the current value is a measurement.
    pub(super) when: String,
    /// `met`, `missed` or `unchecked`.
    pub(super) status: &'static str,
}

impl MetricView<'_> {
    pub(super) fn status_words(&self) -> &'static str {
        match self.status {
            "met" => "met",
            "missed" => "missed",
            _ => "not checked",
        }
    }
}

impl<'a> MetricView<'a> {
    pub(super) fn of(m: &'a Metric) -> MetricView<'a> {
        MetricView {
            label: &m.label,
            description: m.description.as_deref(),
            target: m.target.as_ref().map(|t| t.written.as_str()),
            current: m.current.as_ref().map(|c| c.written.as_str()),
            when: m.current.as_ref().map(crate::model::kpi::Reading::when).unwrap_or_default(),
            status: match m.met() {
                Some(true) => "met",
                Some(false) => "missed",
                None => "unchecked",
            },
        }
    }
}

pub(super) struct ActivityView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) owner: Option<TeamLink<'a>>,
    pub(super) lane: &'static str,
    pub(super) state: ActivityState,
    pub(super) systems: Vec<Link<'a>>,
    pub(super) capabilities: Vec<Link<'a>>,
    pub(super) process: Option<String>,
    pub(super) wait: Option<String>,
    /// %C&A.
    pub(super) accuracy: Option<String>,
    pub(super) failures: &'a [String],
    pub(super) enabling: bool,
    /// Neither enabling nor retired, and no touchpoint traces to it.
    pub(super) waste: bool,
    /// The touchpoints it serves, grouped by journey, the first few of them.
    pub(super) touchpoints: ServedBy<'a>,
}

/// The first touchpoints an activity serves, grouped by journey, and how many
/// touchpoints more: the groups are not what is counted, so this is not a
/// [`Capped`](super::capped::Capped) list.
pub(super) struct ServedBy<'a> {
    pub(super) items: Vec<Served<'a>>,
    more: usize,
}

impl ServedBy<'_> {
    /// How many touchpoints were left out.
    pub(super) fn more(&self) -> usize {
        self.more
    }

    /// The same, for people: `1 234`.
    pub(super) fn more_text(&self) -> String {
        super::capped::grouped(self.more)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty() && self.more == 0
    }
}

impl ActivityView<'_> {
    /// What its state means, for the badge.
    pub(super) fn state_words(&self) -> Option<&'static str> {
        match self.state {
            ActivityState::Current => None,
            ActivityState::Future => Some("future: to-be only"),
            ActivityState::Retired => Some("retired: as-is only"),
        }
    }
}

/// Touchpoints of one journey that an activity serves.
pub(super) struct Served<'a> {
    pub(super) journey: &'a str,
    pub(super) touchpoints: Vec<Link<'a>>,
}

impl<'a> StreamPage<'a> {
    pub(super) fn of(
        links: Links<'a>,
        figures: &crate::model::Figures,
        waste: &[bool],
        id: StreamId,
    ) -> StreamPage<'a> {
        let model = links.model;
        let stream = &model[id];
        let in_scenario = |activities: &[ActivityId], s: Scenario| {
            activities.iter().filter(|&&a| model.activity_in(a, s)).count()
        };
        let flows = figures
            .lean
            .iter()
            .map(|(scenario, lean)| Flow {
                scenario: scenario.as_str(),
                rungs: stream
                    .stages
                    .iter()
                    .map(|&s| Rung {
                        label: &model[s].meta.label,
                        anchor: format!("stage-{}", model[s].meta.id),
                        lean: LeanView::of(
                            &lean.stages[s.index()],
                            in_scenario(&model[s].activities, scenario),
                        ),
                    })
                    .collect(),
                total: LeanView::of(
                    &lean.streams[id.index()],
                    stream
                        .stages
                        .iter()
                        .map(|&s| in_scenario(&model[s].activities, scenario))
                        .sum(),
                ),
            })
            .collect();
        let stages = stream
            .stages
            .iter()
            .map(|&s| {
                let stage = &model[s];
                StageView {
                    anchor: format!("stage-{}", stage.meta.id),
                    label: &stage.meta.label,
                    description: stage.meta.description.as_deref(),
                    entrance: &stage.entrance,
                    exit: &stage.exit,
                    value: &stage.value,
                    metrics: stage.metrics.iter().map(MetricView::of).collect(),
                    activities: stage
                        .activities
                        .iter()
                        .map(|&a| activity(links, waste, a))
                        .collect(),
                }
            })
            .collect();
        StreamPage {
            label: &stream.meta.label,
            description: stream.meta.description.as_deref(),
            stakeholders: stream.stakeholders.iter().map(|p| links.persona(p.target)).collect(),
            journeys: journeys(links, id),
            activities: stream.stages.iter().map(|&s| model[s].activities.len()).sum(),
            flows,
            stages,
        }
    }
}

fn activity<'a>(links: Links<'a>, waste: &[bool], id: ActivityId) -> ActivityView<'a> {
    let model = links.model;
    let a = &model[id];
    // A touchpoint that traces to the activity twice is listed once; its trace
    // links are consecutive.
    let mut last = None;
    let mut served = ServedBy { items: Vec::new(), more: 0 };
    let mut listed = 0;
    for &trace in &a.traced_by {
        let t = model[trace].touchpoint;
        if last.replace(t) == Some(t) {
            continue;
        }
        if listed == TOUCHPOINTS_LISTED {
            served.more += 1;
            continue;
        }
        listed += 1;
        let journey: &'a str = &model[model[t].journey].meta.label;
        let link = Link { href: links.touchpoint(t), label: &model[t].meta.label };
        match served.items.last_mut() {
            Some(group) if std::ptr::eq(group.journey, journey) => group.touchpoints.push(link),
            _ => served.items.push(Served { journey, touchpoints: vec![link] }),
        }
    }
    ActivityView {
        anchor: format!("act-{}", a.meta.id),
        label: &a.meta.label,
        description: a.meta.description.as_deref(),
        owner: a.owner.map(|o| links.team(o.target)),
        lane: a.lane.as_str(),
        state: a.state,
        systems: a
            .systems
            .iter()
            .map(|s| Link { href: links.system(s.target), label: &model[s.target].meta.label })
            .collect(),
        capabilities: a
            .capabilities
            .iter()
            .map(|c| Link { href: links.capability(c.target), label: &model[c.target].meta.label })
            .collect(),
        process: a.process.map(duration),
        wait: a.wait.map(duration),
        accuracy: a.accuracy.map(|x| percent(x.fraction())),
        failures: &a.failures,
        enabling: a.enabling,
        waste: waste[id.index()],
        touchpoints: served,
    }
}

/// The journeys with a touchpoint that traces into the stream, in source order.
fn journeys(links: Links<'_>, id: StreamId) -> Vec<Link<'_>> {
    let model: &Model = links.model;
    let mut seen = vec![false; model.journeys.len()];
    for &s in &model[id].stages {
        for &a in &model[s].activities {
            for &trace in &model[a].traced_by {
                seen[model[model[trace].touchpoint].journey.index()] = true;
            }
        }
    }
    seen.iter()
        .enumerate()
        .filter(|(_, s)| **s)
        .map(|(j, _)| {
            let j = crate::model::JourneyId(j as u32);
            Link { href: links.journey(j).to_owned(), label: &model[j].meta.label }
        })
        .collect()
}
