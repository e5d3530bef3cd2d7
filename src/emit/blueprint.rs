//! The service blueprint of a journey, laid out for the page: one column per
//! touchpoint under its stage, and what each lane shows in that column.
//!
//! This is the one place that decides what goes where on the blueprint; the
//! templates only draw it. Lanes follow the service-design convention: physical
//! evidence, customer actions, line of interaction, frontstage, line of visibility,
//! backstage, line of internal interaction, support processes.

use super::heat::Heat;
use super::svg::emotion::{Curve, Mark, Point, STRIP_STEP, Strip, curve_x, curve_y};
use super::{Input, Names};
use crate::model::{
    ActivityId, CapabilityId, JourneyId, Lane, Metric, Model, SystemId, TeamId, TouchpointId,
    VsStageId,
};
use crate::text::number::{duration, percent};

/// One journey's blueprint.
pub struct Blueprint<'a> {
    pub stages: Vec<Stage<'a>>,
    /// Every column, left to right; a stage without touchpoints has one empty column
    /// so that it still shows.
    pub columns: Vec<Column<'a>>,
    /// The emotion lane's curve, drawn by `svg::emotion` on the page and in the
    /// pictures.
    pub emotion: Curve<'a>,
    /// The whole journey at once, above the blueprint.
    pub strip: Strip<'a>,
}

pub struct Stage<'a> {
    pub label: &'a str,
    pub description: Option<&'a str>,
    /// The value-stream stages it `maps to`, by label.
    pub maps_to: Vec<&'a str>,
    /// How many columns it spans.
    pub span: usize,
}

pub struct Column<'a> {
    pub touchpoint: Option<TouchpointCard<'a>>,
    pub frontstage: Vec<ActivityCard<'a>>,
    pub backstage: Vec<ActivityCard<'a>>,
    pub support: Vec<ActivityCard<'a>>,
    /// Systems used by the column's activities, in first-use order.
    pub systems: Vec<&'a str>,
    /// Capabilities used by the column's activities, with their utilisation.
    pub capabilities: Vec<CapabilityChip<'a>>,
    /// The owning teams in the order the touchpoint reaches them, when there are two
    /// or more (a hand-off).
    pub handoff: Vec<TeamChip<'a>>,
}

pub struct TouchpointCard<'a> {
    /// The anchor: `tp-journey.stage.touchpoint`.
    pub anchor: String,
    pub path: &'a str,
    pub label: &'a str,
    pub description: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub emotion: Option<i8>,
    /// `60%`, or `None` when the whole volume reaches it.
    pub reach: Option<String>,
    pub moment_of_truth: bool,
    pub gap: bool,
    pub evidence: &'a [String],
    pub pains: &'a [String],
    pub failures: &'a [String],
    pub kpis: Vec<Kpi<'a>>,
    pub opportunities: usize,
    pub source: String,
}

impl TouchpointCard<'_> {
    /// The emotion with its sign, `+2` or `−1` (a real minus sign).
    pub fn emotion_text(&self) -> Option<String> {
        self.emotion.map(signed)
    }

    /// `pos`, `neu` or `neg`, for the emotion's colour.
    pub fn tone(&self) -> &'static str {
        self.emotion.map_or("neu", tone)
    }
}

/// An emotion with its sign, `+2` or `−1` (a real minus sign).
pub fn signed(e: i8) -> String {
    match e {
        1.. => format!("+{e}"),
        0 => "0".to_owned(),
        _ => format!("\u{2212}{}", e.unsigned_abs()),
    }
}

/// `pos`, `neu` or `neg`: an emotion's colour.
pub fn tone(e: i8) -> &'static str {
    match e {
        1.. => "pos",
        0 => "neu",
        _ => "neg",
    }
}

pub struct Kpi<'a> {
    pub label: &'a str,
    pub target: Option<&'a str>,
    /// The value and, when measured, its date.
    pub current: Option<String>,
}

impl<'a> Kpi<'a> {
    pub fn of(m: &'a Metric) -> Kpi<'a> {
        Kpi {
            label: &m.label,
            target: m.target.as_ref().map(|t| t.written.as_str()),
            current: m.current.as_ref().map(|c| format!("{}{}", c.written, c.when())),
        }
    }
}

pub struct ActivityCard<'a> {
    pub label: &'a str,
    pub path: &'a str,
    pub team: Option<TeamChip<'a>>,
    pub process: Option<String>,
    pub wait: Option<String>,
    pub failures: &'a [String],
    pub enabling: bool,
    /// Traced from a journey stage that does not `map to` the activity's stage.
    pub misaligned: bool,
}

#[derive(Clone, Copy)]
pub struct TeamChip<'a> {
    pub label: &'a str,
    /// A colour slot, so each team keeps its colour across the site.
    pub hue: usize,
}

impl<'a> TeamChip<'a> {
    pub fn of(model: &'a Model, team: TeamId) -> TeamChip<'a> {
        TeamChip { label: &model[team].meta.label, hue: team.index() % TEAM_HUES }
    }
}

/// How many team colours the stylesheet defines (`.team-0` …).
pub const TEAM_HUES: usize = 8;

pub struct CapabilityChip<'a> {
    pub label: &'a str,
    pub heat: Heat,
    pub utilisation: Option<String>,
}

impl<'a> Blueprint<'a> {
    pub fn of(input: Input<'a>, names: &'a Names, heat: &[Heat], journey: JourneyId) -> Self {
        let model = &input.analysis.model;
        let j = &model[journey];
        let mut stages = Vec::new();
        let mut columns = Vec::new();
        let mut points = Vec::new();
        let mut marks = Vec::new();
        let mut bounds = Vec::new();
        for &s in &j.stages {
            if !columns.is_empty() {
                bounds.push(columns.len() * STRIP_STEP);
            }
            let stage = &model[s];
            stages.push(Stage {
                label: &stage.meta.label,
                description: stage.meta.description.as_deref(),
                maps_to: stage
                    .maps_to
                    .iter()
                    .map(|r| model[r.target].meta.label.as_str())
                    .collect(),
                span: stage.touchpoints.len().max(1),
            });
            if stage.touchpoints.is_empty() {
                columns.push(Column::empty());
            }
            for &t in &stage.touchpoints {
                let tp = &model[t];
                let x = columns.len() * STRIP_STEP + STRIP_STEP / 2;
                let emotion = tp.emotion.map(crate::model::Emotion::value);
                marks.push(Mark {
                    x,
                    label: &tp.meta.label,
                    gap: tp.traces.is_empty(),
                    moment_of_truth: tp.moment_of_truth.is_some(),
                    emotion,
                });
                if let Some(e) = emotion {
                    points.push(Point {
                        x: curve_x(columns.len()),
                        y: curve_y(e),
                        value: e,
                        label: &tp.meta.label,
                    });
                }
                columns.push(Column::of(input, names, heat, t));
            }
        }
        let strip = Strip { width: columns.len() * STRIP_STEP, bounds, marks };
        Blueprint { stages, emotion: Curve::new(columns.len(), points), columns, strip }
    }
}

impl<'a> Column<'a> {
    fn empty() -> Column<'a> {
        Column {
            touchpoint: None,
            frontstage: Vec::new(),
            backstage: Vec::new(),
            support: Vec::new(),
            systems: Vec::new(),
            capabilities: Vec::new(),
            handoff: Vec::new(),
        }
    }

    fn of(input: Input<'a>, names: &'a Names, heat: &[Heat], id: TouchpointId) -> Column<'a> {
        let model = &input.analysis.model;
        let t = &model[id];
        let mapped: Vec<VsStageId> = model[t.stage].maps_to.iter().map(|r| r.target).collect();
        let mut column = Column::empty();
        let mut systems: Vec<SystemId> = Vec::new();
        let mut capabilities: Vec<CapabilityId> = Vec::new();
        let mut teams: Vec<TeamId> = Vec::new();
        let mut seen: Vec<ActivityId> = Vec::new();
        for &trace in &t.traces {
            let a_id = model[trace].activity;
            // `traces to a, a` shows the activity once.
            if seen.contains(&a_id) {
                continue;
            }
            seen.push(a_id);
            let a = &model[a_id];
            if let Some(owner) = a.owner {
                if !teams.contains(&owner.target) {
                    teams.push(owner.target);
                }
            }
            for s in &a.systems {
                if !systems.contains(&s.target) {
                    systems.push(s.target);
                }
            }
            for c in &a.capabilities {
                if !capabilities.contains(&c.target) {
                    capabilities.push(c.target);
                }
            }
            let card = ActivityCard {
                label: &a.meta.label,
                path: names.activity(a_id),
                team: a.owner.map(|o| TeamChip::of(model, o.target)),
                process: a.process.map(duration),
                wait: a.wait.filter(|&w| w > 0.0).map(duration),
                failures: &a.failures,
                enabling: a.enabling,
                misaligned: !mapped.is_empty() && !mapped.contains(&a.stage),
            };
            match a.lane {
                Lane::Frontstage => column.frontstage.push(card),
                Lane::Backstage => column.backstage.push(card),
                Lane::Support => column.support.push(card),
            }
        }
        column.systems = systems.iter().map(|&s| model[s].meta.label.as_str()).collect();
        column.capabilities = capabilities
            .iter()
            .map(|&c| {
                let load = &input.analysis.figures.loads.as_is[c.index()];
                CapabilityChip {
                    label: &model[c].meta.label,
                    heat: heat[c.index()],
                    utilisation: load.utilisation().map(percent),
                }
            })
            .collect();
        if teams.len() >= 2 {
            column.handoff = teams.iter().map(|&team| TeamChip::of(model, team)).collect();
        }
        column.touchpoint = Some(TouchpointCard {
            anchor: format!("tp-{}", names.touchpoint(id)),
            path: names.touchpoint(id),
            label: &t.meta.label,
            description: t.meta.description.as_deref(),
            channel: t.channel.as_deref(),
            emotion: t.emotion.map(crate::model::Emotion::value),
            reach: (t.reach.fraction() < 1.0).then(|| percent(t.reach.fraction())),
            moment_of_truth: t.moment_of_truth.is_some(),
            gap: t.traces.is_empty(),
            evidence: &t.evidence,
            pains: &t.pains,
            failures: &t.failures,
            kpis: t.metrics.iter().map(Kpi::of).collect(),
            opportunities: t.opportunities.len(),
            source: input.place(t.meta.id_span),
        });
        column
    }

    /// Whether the column's touchpoint is a gap: it traces to nothing.
    pub fn is_gap(&self) -> bool {
        self.touchpoint.as_ref().is_some_and(|t| t.gap)
    }
}
