//! `index.html`: the overview of the workspace. Headline figures, the journeys, the
//! gaps and waste, the capability heat map (as-is, and to-be beside it when the
//! workspace has a future state), the cross-map, the flow of each value stream, the
//! opportunities, the warnings and notes, and a link to every page.
//!
//! The overview grows with the journeys, capabilities and findings, never with the
//! touchpoints: the journeys' own pages show them. Every list that could grow with
//! the workspace is capped (`and N more`, pointing to where the rest is), so the
//! page stays small enough to open at 100,000 touchpoints.

use super::capped::Capped;
use super::formula::Formula;
use super::heat::{Heat, bar};
use super::rows::{GapRow, HeatRow, WasteRow, capability_tree, gap_rows, heat_row, waste_rows};
use super::section::{Grid, JourneySummary};
use super::{Input, Names};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{ActivityId, JourneyStageId, Model, TouchpointId, VsStageId};
use crate::text::{
    self,
    number::{duration, grouped, percent},
};
use std::collections::HashMap;

/// The overview's content.
pub(super) struct Overview<'a> {
    pub(super) stats: Vec<Stat>,
    pub(super) journeys: Vec<JourneyRow<'a>>,
    pub(super) gaps: Capped<GapRow<'a>>,
    pub(super) waste: Capped<WasteRow<'a>>,
    pub(super) heat: Capped<HeatRow<'a>>,
    /// Whether the heat map shows the to-be beside the as-is.
    pub(super) to_be: bool,
    pub(super) legend: Vec<(&'static str, &'static str)>,
    pub(super) rollup: Rollup<'a>,
    pub(super) lean: Capped<LeanRow<'a>>,
    pub(super) opportunities: Grid<'a>,
    pub(super) diagnostics: Vec<DiagnosticGroup>,
    /// How many warnings and notes there are in all.
    pub(super) findings: usize,
    /// The capability map's page, which lists every capability.
    pub(super) capability_map: &'static str,
    pub(super) formula: Formula,
}

/// How many gaps, unused activities, value streams and cross-map pairs the
/// overview lists before it says how many more there are.
pub(super) const LIST_CAP: usize = 50;
/// How many capabilities the heat map shows before it keeps only the busiest.
pub(super) const HEAT_CAP: usize = 200;
/// How many findings of each code the overview shows.
pub(super) const DIAGNOSTICS_PER_CODE: usize = 8;
/// How many opportunities each quadrant of the overview's grid shows.
pub(super) const OPPORTUNITIES_PER_QUADRANT: usize = 8;

/// A headline figure: its value, what it counts, and a note on what it leaves out.
pub(super) struct Stat {
    pub(super) value: String,
    pub(super) label: &'static str,
    pub(super) note: Option<String>,
    /// `good`, `bad` or empty.
    pub(super) tone: &'static str,
}

pub(super) struct JourneyRow<'a> {
    pub(super) journey: &'a JourneySummary<'a>,
    pub(super) stages: usize,
    pub(super) touchpoints: usize,
    /// The current journey a future one replaces: its label and page.
    pub(super) replaces: Option<(&'a str, &'a str)>,
    /// The future journeys that replace a current one.
    pub(super) replaced_by: Vec<(&'a str, &'a str)>,
}

/// Journey stages × value-stream stages: the trace links between them. A grid when
/// it is small enough to read; otherwise the pairs that are linked or mapped, the
/// problems first, since the full grid grows with the product of the two (a
/// workspace of 100,000 touchpoints has 10,000 × 5,000 cells).
pub(super) struct Rollup<'a> {
    /// Value-stream stages: (stream, stage) labels; empty when `pairs` is used.
    pub(super) columns: Vec<(&'a str, &'a str)>,
    pub(super) rows: Vec<RollupRow<'a>>,
    /// The linked or mapped pairs, when the grid would be too big.
    pub(super) pairs: Capped<RollupPair<'a>>,
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

    /// Whether the cell shows a problem: links outside the mapped stages, or a
    /// mapped stage without links.
    fn is_problem(&self) -> bool {
        (self.links > 0) != self.mapped
    }
}

/// A value stream's lean figures (spec §5d), as-is.
pub(super) struct LeanRow<'a> {
    pub(super) stream: &'a str,
    /// The value stream's page.
    pub(super) page: &'a str,
    pub(super) stages: usize,
    pub(super) process: String,
    pub(super) wait: String,
    pub(super) efficiency: Option<String>,
    pub(super) bar: u32,
    pub(super) accuracy: Option<String>,
    pub(super) timed: usize,
    pub(super) activities: usize,
}

/// The warnings (or notes) of one code.
pub(super) struct DiagnosticGroup {
    pub(super) severity: &'static str,
    pub(super) code: &'static str,
    /// `3 gaps`.
    pub(super) title: String,
    /// When the code is reported, in words.
    pub(super) summary: String,
    pub(super) rows: Capped<DiagnosticRow>,
}

pub(super) struct DiagnosticRow {
    pub(super) message: String,
    pub(super) help: Option<String>,
    pub(super) source: String,
}

impl<'a> Overview<'a> {
    pub(super) fn of(
        input: Input<'a>,
        names: &'a Names,
        heat: &[Heat],
        journeys: &'a [JourneySummary<'a>],
        pages: &[String],
        streams: &'a [String],
    ) -> Overview<'a> {
        let model = &input.analysis.model;
        let figures = &input.analysis.figures;
        let to_be = figures.loads.to_be.is_some();
        let stats = stats(input, heat);
        let all: Vec<TouchpointId> = model
            .journeys
            .iter()
            .flat_map(|j| j.stages.iter().flat_map(|&s| model[s].touchpoints.iter().copied()))
            .collect();
        let page_of = |j: crate::model::JourneyId| journeys[j.index()].page;
        Overview {
            stats,
            journeys: journeys
                .iter()
                .enumerate()
                .map(|(i, journey)| {
                    let j = &model.journeys[i];
                    JourneyRow {
                        journey,
                        stages: j.stages.len(),
                        touchpoints: j.stages.iter().map(|&s| model[s].touchpoints.len()).sum(),
                        replaces: j
                            .replaces
                            .map(|r| (model[r.target].meta.label.as_str(), page_of(r.target))),
                        replaced_by: model
                            .journeys
                            .iter()
                            .enumerate()
                            .filter(|(_, f)| f.replaces.is_some_and(|r| r.target.index() == i))
                            .map(|(k, f)| (f.meta.label.as_str(), journeys[k].page))
                            .collect(),
                    }
                })
                .collect(),
            gaps: Capped {
                total: figures.gaps.len(),
                items: gap_rows(
                    input,
                    names,
                    &figures.gaps[..figures.gaps.len().min(LIST_CAP)],
                    Some(pages),
                ),
            },
            waste: Capped {
                total: figures.waste.len(),
                items: waste_rows(input, &figures.waste[..figures.waste.len().min(LIST_CAP)]),
            },
            heat: heat_map(input, to_be),
            to_be,
            legend: Heat::ALL.iter().map(|h| (h.class(), h.words())).collect(),
            rollup: rollup(model),
            lean: lean(model, &figures.lean.as_is, streams),
            opportunities: Grid::of(model, names, &all, Some(pages), OPPORTUNITIES_PER_QUADRANT),
            diagnostics: diagnostics(input, names, &input.analysis.diagnostics),
            findings: input.analysis.diagnostics.len(),
            capability_map: super::links::CAPABILITIES,
            formula: Formula::of(to_be),
        }
    }
}

/// The headline figures, each with its unit and what it leaves out.
fn stats(input: Input<'_>, heat: &[Heat]) -> Vec<Stat> {
    let model = &input.analysis.model;
    let figures = &input.analysis.figures;
    let future = model.journeys.iter().filter(|j| j.state == crate::model::State::Future).count();
    let enabling = model.activities.iter().filter(|a| a.enabling).count();
    let over = heat.iter().filter(|h| matches!(h, Heat::Over | Heat::Critical)).count();
    let capped = figures.loads.as_is.iter().filter(|l| l.capacity.is_some()).count();
    let over_to_be = figures.loads.to_be.as_ref().map(|loads| {
        loads.iter().filter(|l| matches!(Heat::of(l), Heat::Over | Heat::Critical)).count()
    });
    let touchpoints = figures.coverage.touchpoints;
    let activities = figures.coverage.activities;
    vec![
        Stat {
            value: grouped_count(model.journeys.len()),
            label: "journeys",
            note: (future > 0)
                .then(|| format!("{} current, {} future", model.journeys.len() - future, future)),
            tone: "",
        },
        Stat {
            value: grouped_count(model.touchpoints.len()),
            label: "touchpoints",
            note: Some(format!("in {} journey stages", grouped_count(model.journey_stages.len()))),
            tone: "",
        },
        Stat {
            value: grouped_count(model.activities.len()),
            label: "activities",
            note: Some(if enabling > 0 {
                format!("{} of them enabling", grouped_count(enabling))
            } else {
                format!("in {} value-stream stages", grouped_count(model.vs_stages.len()))
            }),
            tone: "",
        },
        Stat {
            value: percent(touchpoints.fraction()),
            label: "of touchpoints traced",
            note: Some(format!(
                "{} of {} touchpoints trace to an activity",
                grouped_count(touchpoints.count),
                grouped_count(touchpoints.total)
            )),
            tone: tone(figures.gaps.is_empty()),
        },
        Stat {
            value: percent(activities.fraction()),
            label: "of activities used",
            note: Some(format!(
                "{} of {} activities serve a touchpoint; {}",
                grouped_count(activities.count),
                grouped_count(activities.total),
                match enabling {
                    0 => "no activity is enabling".to_owned(),
                    1 => "the enabling activity is not counted".to_owned(),
                    n => format!("the {} enabling activities are not counted", grouped_count(n)),
                }
            )),
            tone: tone(figures.waste.is_empty()),
        },
        Stat {
            value: grouped_count(figures.gaps.len()),
            label: "gaps",
            note: Some("touchpoints that no activity serves".to_owned()),
            tone: tone(figures.gaps.is_empty()),
        },
        Stat {
            value: grouped_count(figures.waste.len()),
            label: "possible waste",
            note: Some("activities that serve no touchpoint and are not enabling".to_owned()),
            tone: tone(figures.waste.is_empty()),
        },
        Stat {
            value: grouped_count(figures.handoffs.len()),
            label: "hand-offs",
            note: Some("touchpoints served by two teams or more".to_owned()),
            tone: "",
        },
        Stat {
            value: grouped_count(over),
            label: "capabilities over capacity",
            note: Some(match over_to_be {
                Some(n) => format!(
                    "as-is, of {} with a capacity; {} to-be",
                    grouped_count(capped),
                    grouped_count(n)
                ),
                None => format!("of {} with a capacity", grouped_count(capped)),
            }),
            tone: tone(over == 0),
        },
    ]
}

fn grouped_count(n: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    grouped(n as f64)
}

pub(super) fn tone(good: bool) -> &'static str {
    if good { "good" } else { "bad" }
}

/// The heat map's rows: every capability in tree order, or past [`HEAT_CAP`] the
/// busiest ones (by as-is utilisation, then load), flat.
fn heat_map(input: Input<'_>, to_be: bool) -> Capped<HeatRow<'_>> {
    let model = &input.analysis.model;
    let tree = capability_tree(model);
    if tree.len() <= HEAT_CAP {
        let items: Vec<HeatRow<'_>> =
            tree.into_iter().map(|(c, depth)| heat_row(input, c, depth, to_be)).collect();
        return Capped { total: items.len(), items };
    }
    let loads = &input.analysis.figures.loads.as_is;
    let mut busiest: Vec<usize> = (0..loads.len()).collect();
    let key = |i: usize| (loads[i].utilisation().unwrap_or(-1.0), loads[i].load);
    busiest.sort_by(|&a, &b| key(b).partial_cmp(&key(a)).unwrap_or(std::cmp::Ordering::Equal));
    busiest.truncate(HEAT_CAP);
    Capped {
        total: tree.len(),
        items: busiest
            .into_iter()
            .map(|i| heat_row(input, crate::model::CapabilityId(i as u32), 0, to_be))
            .collect(),
    }
}

/// Each value stream's lean figures.
fn lean<'a>(
    model: &'a Model,
    lean: &crate::model::LeanFigures,
    pages: &'a [String],
) -> Capped<LeanRow<'a>> {
    Capped::of(
        model.streams.iter().zip(&lean.streams).zip(pages).map(|((stream, l), page)| LeanRow {
            stream: &stream.meta.label,
            page,
            stages: stream.stages.len(),
            process: duration(l.process),
            wait: duration(l.wait),
            efficiency: l.flow_efficiency().map(percent),
            bar: l.flow_efficiency().map_or(0, |e| bar(e, 1.0)),
            accuracy: l.rolled_accuracy().map(percent),
            timed: l.timed,
            activities: stream.stages.iter().map(|&s| model[s].activities.len()).sum(),
        }),
        LIST_CAP,
    )
}

/// The warnings and notes, by code in the registry's order, the first few of each
/// with their elements named by label.
fn diagnostics<'a>(input: Input<'a>, names: &'a Names, all: &[Diagnostic]) -> Vec<DiagnosticGroup> {
    if all.is_empty() {
        return Vec::new();
    }
    let labels = Labels::of(&input.analysis.model, names);
    let mut by_code: Vec<Vec<&Diagnostic>> = vec![Vec::new(); Code::ALL.len()];
    for d in all {
        if let Some(i) = Code::ALL.iter().position(|&c| c == d.code) {
            by_code[i].push(d);
        }
    }
    let mut groups: Vec<DiagnosticGroup> = Code::ALL
        .iter()
        .zip(by_code)
        .filter(|(_, ds)| !ds.is_empty())
        .map(|(&code, ds)| DiagnosticGroup {
            severity: ds.iter().map(|d| d.severity).max().unwrap_or(Severity::Note).as_str(),
            code: code.as_str(),
            title: format!("{} {}", grouped_count(ds.len()), code.noun(ds.len())),
            summary: code.summary().replace('`', ""),
            rows: Capped::of(
                ds.iter().map(|d| DiagnosticRow {
                    message: text::message(&labels.relabel(&d.message)).into_owned(),
                    help: d.help.as_deref().map(|h| text::message(h).into_owned()),
                    source: input.place(d.primary.span),
                }),
                DIAGNOSTICS_PER_CODE,
            ),
        })
        .collect();
    // Errors first, then warnings, then notes; the registry's order within each.
    groups.sort_by_key(|g| match g.severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    });
    groups
}

/// Every element's label by its id and by its qualified name, for messages that
/// name elements by id: the pages name them by label. An id that names two
/// elements of different labels stays an id.
struct Labels<'a> {
    by_id: HashMap<&'a str, Option<&'a str>>,
}

impl<'a> Labels<'a> {
    fn of(model: &'a Model, names: &'a Names) -> Labels<'a> {
        let mut labels = Labels { by_id: HashMap::new() };
        let metas = model
            .personas
            .iter()
            .map(|e| &e.meta)
            .chain(model.teams.iter().map(|e| &e.meta))
            .chain(model.systems.iter().map(|e| &e.meta))
            .chain(model.capabilities.iter().map(|e| &e.meta))
            .chain(model.streams.iter().map(|e| &e.meta))
            .chain(model.vs_stages.iter().map(|e| &e.meta))
            .chain(model.activities.iter().map(|e| &e.meta))
            .chain(model.journeys.iter().map(|e| &e.meta))
            .chain(model.journey_stages.iter().map(|e| &e.meta))
            .chain(model.touchpoints.iter().map(|e| &e.meta));
        for meta in metas {
            labels.add(&meta.id, &meta.label);
        }
        for (i, a) in model.activities.iter().enumerate() {
            labels.add(names.activity(ActivityId(i as u32)), &a.meta.label);
        }
        for (i, s) in model.vs_stages.iter().enumerate() {
            labels.add(names.vs_stage(VsStageId(i as u32)), &s.meta.label);
        }
        for (i, s) in model.journey_stages.iter().enumerate() {
            labels.add(names.journey_stage(JourneyStageId(i as u32)), &s.meta.label);
        }
        for (i, t) in model.touchpoints.iter().enumerate() {
            labels.add(names.touchpoint(TouchpointId(i as u32)), &t.meta.label);
        }
        labels
    }

    fn add(&mut self, id: &'a str, label: &'a str) {
        self.by_id
            .entry(id)
            .and_modify(|known| {
                if *known != Some(label) {
                    *known = None;
                }
            })
            .or_insert(Some(label));
    }

    /// `message` with each `id` that names one element replaced by its label in
    /// quotation marks.
    fn relabel(&self, message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        for (i, piece) in message.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(piece);
                continue;
            }
            match self.by_id.get(piece) {
                Some(Some(label)) if *label != piece => {
                    out.push('“');
                    out.push_str(label);
                    out.push('”');
                }
                _ => {
                    out.push('`');
                    out.push_str(piece);
                    out.push('`');
                }
            }
        }
        // An odd number of backticks: the last piece was not quoted after all.
        if message.matches('`').count() % 2 == 1 {
            return message.to_owned();
        }
        out
    }
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
    let (mut rows, mut problems, mut others) = (Vec::new(), Vec::new(), Vec::new());
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
                for (column, cell) in sparse {
                    let (stream, vs_stage) = labels(columns[column]);
                    let pair = RollupPair { journey, stage, stream, vs_stage, cell };
                    if pair.cell.is_problem() { &mut problems } else { &mut others }.push(pair);
                }
            }
        }
    }
    Rollup {
        columns: if grid { columns.iter().map(|&s| labels(s)).collect() } else { Vec::new() },
        rows,
        pairs: Capped::of(problems.into_iter().chain(others), LIST_CAP),
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::Labels;
    use std::collections::HashMap;

    fn labels() -> Labels<'static> {
        let mut labels = Labels { by_id: HashMap::new() };
        labels.add("eta_call", "Chase the delivery date by phone");
        labels.add("ops", "Operations");
        // Two elements with one id and different labels: the id stays.
        labels.add("review", "Review the claim");
        labels.add("review", "Review the invoice");
        // An element whose label is its id.
        labels.add("billing", "billing");
        labels
    }

    #[test]
    fn ids_that_name_one_element_become_its_label() {
        let l = labels();
        assert_eq!(
            l.relabel("touchpoint `eta_call` is served by 2 teams: `ops`, `billing`"),
            "touchpoint “Chase the delivery date by phone” is served by 2 teams: “Operations”, `billing`"
        );
        assert_eq!(
            l.relabel("activity `review` serves no touchpoint"),
            "activity `review` serves no touchpoint"
        );
        assert_eq!(
            l.relabel("moment of truth `x` has no `kpi`"),
            "moment of truth `x` has no `kpi`"
        );
        // An unpaired backtick leaves the message as it is.
        assert_eq!(l.relabel("a ` and `ops`"), "a ` and `ops`");
    }
}
