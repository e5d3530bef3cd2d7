//! The overview at the top of `index.html`: the workspace's figures, findings,
//! heat map, cross-map, flow, opportunities and diagnostics.

use super::heat::{Heat, bar};
use super::rows::{GapRow, HeatRow, WasteRow, gap_rows, heat_rows, waste_rows};
use super::section::{Grid, JourneySection};
use super::{Input, Names};
use crate::model::{Model, TouchpointId, VsStageId};
use crate::text::{
    self,
    number::{duration, percent},
};

/// The overview's content, before the journeys.
pub(super) struct Overview<'a> {
    pub(super) stats: Vec<Stat>,
    pub(super) journeys: Vec<JourneyRow<'a>>,
    pub(super) gaps: Vec<GapRow<'a>>,
    pub(super) waste: Vec<WasteRow<'a>>,
    pub(super) heat: Vec<HeatRow<'a>>,
    pub(super) legend: Vec<(&'static str, &'static str)>,
    pub(super) rollup: Rollup<'a>,
    pub(super) lean: Vec<LeanRow<'a>>,
    pub(super) opportunities: Grid<'a>,
    pub(super) diagnostics: Vec<DiagnosticRow>,
}

pub(super) struct Stat {
    pub(super) value: String,
    pub(super) label: &'static str,
    /// `good`, `bad` or empty.
    pub(super) tone: &'static str,
}

pub(super) struct JourneyRow<'a> {
    pub(super) section: &'a JourneySection<'a>,
    pub(super) stages: usize,
    pub(super) touchpoints: usize,
}

/// Journey stages × value-stream stages: the trace links between them. A grid when
/// it is small enough to read; otherwise only the pairs that are linked or mapped,
/// since the full grid grows with the product of the two (a workspace of 100,000
/// touchpoints has 10,000 × 5,000 cells) while the pairs grow with the links.
pub(super) struct Rollup<'a> {
    /// Value-stream stages: (stream, stage) labels; empty when `pairs` is used.
    pub(super) columns: Vec<(&'a str, &'a str)>,
    pub(super) rows: Vec<RollupRow<'a>>,
    /// The linked or mapped pairs, when the grid would be too big.
    pub(super) pairs: Vec<RollupPair<'a>>,
    /// The grid's size in cells, named when it is replaced by `pairs`.
    pub(super) cells: usize,
}

/// The most cells the roll-up grid may have; past it, the pairs are listed.
pub(super) const ROLLUP_GRID_CELLS: usize = 2_500;

pub(super) struct RollupRow<'a> {
    pub(super) journey: &'a str,
    pub(super) stage: &'a str,
    pub(super) cells: Vec<RollupCell>,
}

pub(super) struct RollupPair<'a> {
    pub(super) journey: &'a str,
    pub(super) stage: &'a str,
    pub(super) stream: &'a str,
    pub(super) vs_stage: &'a str,
    pub(super) cell: RollupCell,
}

#[derive(Default)]
pub(super) struct RollupCell {
    pub(super) links: usize,
    pub(super) mapped: bool,
}

impl RollupCell {
    pub(super) fn class(&self) -> &'static str {
        match (self.links > 0, self.mapped) {
            (true, true) => "linked",
            (true, false) => "unmapped",
            (false, true) => "mapped-empty",
            (false, false) => "",
        }
    }
}

pub(super) struct LeanRow<'a> {
    pub(super) stream: &'a str,
    pub(super) stage: &'a str,
    pub(super) process: String,
    pub(super) wait: String,
    pub(super) efficiency: Option<String>,
    pub(super) bar: u32,
    pub(super) timed: usize,
    pub(super) activities: usize,
}

pub(super) struct DiagnosticRow {
    pub(super) severity: &'static str,
    pub(super) code: &'static str,
    pub(super) message: String,
    pub(super) help: Option<String>,
    pub(super) source: String,
}

impl<'a> Overview<'a> {
    pub(super) fn of(
        input: Input<'a>,
        names: &'a Names,
        heat: &[Heat],
        journeys: &'a [JourneySection<'a>],
    ) -> Overview<'a> {
        let model = &input.analysis.model;
        let figures = &input.analysis.figures;
        let over = heat.iter().filter(|h| matches!(h, Heat::Over | Heat::Critical)).count();
        let stats = vec![
            Stat { value: model.journeys.len().to_string(), label: "journeys", tone: "" },
            Stat { value: model.touchpoints.len().to_string(), label: "touchpoints", tone: "" },
            Stat { value: model.activities.len().to_string(), label: "activities", tone: "" },
            Stat {
                value: percent(figures.coverage.touchpoints.fraction()),
                label: "of touchpoints traced",
                tone: tone(figures.gaps.is_empty()),
            },
            Stat {
                value: percent(figures.coverage.activities.fraction()),
                label: "of activities used",
                tone: tone(figures.waste.is_empty()),
            },
            Stat {
                value: figures.gaps.len().to_string(),
                label: "gaps",
                tone: tone(figures.gaps.is_empty()),
            },
            Stat {
                value: figures.waste.len().to_string(),
                label: "possible waste",
                tone: tone(figures.waste.is_empty()),
            },
            Stat { value: figures.handoffs.len().to_string(), label: "hand-offs", tone: "" },
            Stat {
                value: over.to_string(),
                label: "capabilities over capacity",
                tone: tone(over == 0),
            },
        ];
        let gaps = gap_rows(input, names, &figures.gaps);
        let waste = waste_rows(input, &figures.waste);
        let heat_rows = heat_rows(input, heat, None);
        let lean = model
            .vs_stages
            .iter()
            .zip(&figures.lean.as_is.stages)
            .map(|(stage, l)| {
                LeanRow {
                    stream: &model[stage.stream].meta.label,
                    stage: &stage.meta.label,
                    process: duration(l.process),
                    wait: duration(l.wait),
                    efficiency: l.flow_efficiency().map(percent),
                    bar: l.flow_efficiency().map_or(0, |e| bar(e, 1.0)),
                    timed: l.timed,
                    activities: stage.activities.len(),
                }
            })
            .collect();
        let all: Vec<TouchpointId> = model
            .journeys
            .iter()
            .flat_map(|j| j.stages.iter().flat_map(|&s| model[s].touchpoints.iter().copied()))
            .collect();
        let diagnostics = input
            .analysis
            .diagnostics
            .iter()
            .map(|d| DiagnosticRow {
                severity: d.severity.as_str(),
                code: d.code.as_str(),
                message: text::message(&d.message).into_owned(),
                help: d.help.as_deref().map(|h| text::message(h).into_owned()),
                source: input.place(d.primary.span),
            })
            .collect();
        Overview {
            stats,
            journeys: journeys
                .iter()
                .enumerate()
                .map(|(i, section)| {
                    let j = &model.journeys[i];
                    JourneyRow {
                        section,
                        stages: j.stages.len(),
                        touchpoints: j.stages.iter().map(|&s| model[s].touchpoints.len()).sum(),
                    }
                })
                .collect(),
            gaps,
            waste,
            heat: heat_rows,
            legend: Heat::ALL.iter().map(|h| (h.class(), h.words())).collect(),
            rollup: rollup(model),
            lean,
            opportunities: Grid::of(model, names, &all),
            diagnostics,
        }
    }
}

pub(super) fn tone(good: bool) -> &'static str {
    if good { "good" } else { "bad" }
}

pub(super) fn rollup(model: &Model) -> Rollup<'_> {
    let columns: Vec<VsStageId> =
        model.streams.iter().flat_map(|s| s.stages.iter().copied()).collect();
    let mut position = vec![0; model.vs_stages.len()];
    for (i, s) in columns.iter().enumerate() {
        position[s.index()] = i;
    }
    let labels =
        |s: VsStageId| (model[model[s].stream].meta.label.as_str(), model[s].meta.label.as_str());
    let stages = model.journeys.iter().map(|j| j.stages.len()).sum::<usize>();
    let cells = stages * columns.len();
    let grid = cells <= ROLLUP_GRID_CELLS;
    let (mut rows, mut pairs) = (Vec::new(), Vec::new());
    for j in &model.journeys {
        for &s in &j.stages {
            // Sparse first, in column order: linear in the links however big the grid.
            let mut sparse: std::collections::BTreeMap<usize, RollupCell> =
                std::collections::BTreeMap::new();
            for r in &model[s].maps_to {
                sparse.entry(position[r.target.index()]).or_default().mapped = true;
            }
            for &t in &model[s].touchpoints {
                for &trace in &model[t].traces {
                    let column = position[model[model[trace].activity].stage.index()];
                    sparse.entry(column).or_default().links += 1;
                }
            }
            let (journey, stage) = (j.meta.label.as_str(), model[s].meta.label.as_str());
            if grid {
                let mut row: Vec<RollupCell> =
                    columns.iter().map(|_| RollupCell::default()).collect();
                for (column, cell) in sparse {
                    row[column] = cell;
                }
                rows.push(RollupRow { journey, stage, cells: row });
            } else {
                pairs.extend(sparse.into_iter().map(|(column, cell)| {
                    let (stream, vs_stage) = labels(columns[column]);
                    RollupPair { journey, stage, stream, vs_stage, cell }
                }));
            }
        }
    }
    Rollup {
        columns: if grid { columns.iter().map(|&s| labels(s)).collect() } else { Vec::new() },
        rows,
        pairs,
        cells,
    }
}
