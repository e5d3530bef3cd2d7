//! A journey's section: its header figures, blueprint, matrix, findings and
//! opportunity grid. The same section is the body of the journey's page and a part
//! of the overview.

use super::blueprint::{Blueprint, TeamChip};
use super::compare::Comparison;
use super::heat::{Heat, bar};
use super::rows::{GapRow, HeatRow, WasteRow, gap_rows, heat_rows, waste_rows};
use super::{Input, Names};
use crate::model::{ActivityId, JourneyId, Model, Quadrant, Rating, Ratio, TouchpointId};
use crate::text::number::{grouped, percent};

/// A share for the pages: the count, the total, the percentage and a bar length.
pub(super) struct Share {
    pub(super) count: usize,
    pub(super) total: usize,
    pub(super) percent: String,
    /// The bar's length out of 100.
    pub(super) bar: u32,
}

impl From<Ratio> for Share {
    fn from(r: Ratio) -> Share {
        Share {
            count: r.count,
            total: r.total,
            percent: percent(r.fraction()),
            bar: bar(r.fraction(), 1.0),
        }
    }
}

/// What the overview shows of a journey beside its link. It is read from the model
/// alone, without laying out the blueprint, so that the overview (and `journey
/// serve`, which renders one page at a time) never builds every journey's section;
/// the section's header shows the same figures, made here.
pub(super) struct JourneySummary<'a> {
    pub(super) page: &'a str,
    pub(super) label: &'a str,
    pub(super) personas: Vec<&'a str>,
    pub(super) future: bool,
    pub(super) volume: Option<String>,
    pub(super) touchpoints: Share,
    pub(super) gaps: usize,
    pub(super) handoffs: usize,
}

impl<'a> JourneySummary<'a> {
    /// Every journey's summary, indexed by `JourneyId`; `pages` names every
    /// journey's page. The gaps and hand-offs are the figures', counted by journey
    /// in one pass over them.
    pub(super) fn all(input: Input<'a>, pages: &'a [String]) -> Vec<JourneySummary<'a>> {
        let model = &input.analysis.model;
        let figures = &input.analysis.figures;
        let mut gaps = vec![0; model.journeys.len()];
        for &t in &figures.gaps {
            gaps[model[t].journey.index()] += 1;
        }
        let mut handoffs = vec![0; model.journeys.len()];
        for h in &figures.handoffs {
            handoffs[model[h.touchpoint].journey.index()] += 1;
        }
        (0..model.journeys.len())
            .map(|j| JourneySummary::of(input, JourneyId(j as u32), pages, gaps[j], handoffs[j]))
            .collect()
    }

    /// The summary of journey `id`, with its counts of gaps and hand-offs.
    fn of(
        input: Input<'a>,
        id: JourneyId,
        pages: &'a [String],
        gaps: usize,
        handoffs: usize,
    ) -> JourneySummary<'a> {
        let model = &input.analysis.model;
        let j = &model[id];
        JourneySummary {
            page: &pages[id.index()],
            label: &j.meta.label,
            personas: j.personas.iter().map(|p| model[p.target].meta.label.as_str()).collect(),
            future: j.state == crate::model::State::Future,
            volume: j.volume.map(|v| format!("{} per {}", grouped(v.amount), v.period.as_str())),
            touchpoints: input.analysis.figures.coverage.journeys[id.index()].touchpoints.into(),
            gaps,
            handoffs,
        }
    }
}

/// One journey: its header, blueprint, matrix and opportunities. The same section
/// is the body of the journey's page and a part of the overview.
pub(super) struct JourneySection<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) personas: Vec<&'a str>,
    pub(super) future: bool,
    pub(super) volume: Option<String>,
    pub(super) mix: Option<String>,
    pub(super) touchpoints: Share,
    pub(super) activities: Share,
    pub(super) gaps: usize,
    pub(super) handoffs: usize,
    pub(super) moments: usize,
    pub(super) blueprint: Blueprint<'a>,
    pub(super) matrix: Matrix<'a>,
    pub(super) opportunities: Grid<'a>,
    pub(super) gap_list: Vec<GapRow<'a>>,
    /// Waste in the value-stream stages the journey maps to.
    pub(super) waste_list: Vec<WasteRow<'a>>,
    /// The capabilities the journey's traced activities use, with their whole load.
    pub(super) heat: Vec<HeatRow<'a>>,
    /// For a future journey that replaces a current one: the two compared.
    pub(super) comparison: Option<Comparison<'a>>,
    /// The heat colours, for the blueprint's legend.
    pub(super) legend: Vec<(&'static str, &'static str)>,
}

impl<'a> JourneySection<'a> {
    /// `pages` names every journey's page, indexed by `JourneyId`.
    pub(super) fn of(
        input: Input<'a>,
        names: &'a Names,
        heat: &[Heat],
        id: JourneyId,
        pages: &'a [String],
    ) -> JourneySection<'a> {
        let model = &input.analysis.model;
        let figures = &input.analysis.figures;
        let j = &model[id];
        let coverage = &figures.coverage.journeys[id.index()];
        let touchpoints: Vec<TouchpointId> =
            j.stages.iter().flat_map(|&s| model[s].touchpoints.iter().copied()).collect();
        let blueprint = Blueprint::of(input, names, heat, id);
        let gaps: Vec<TouchpointId> =
            touchpoints.iter().copied().filter(|&t| model[t].traces.is_empty()).collect();
        let mut mapped = vec![false; model.vs_stages.len()];
        let mut used = vec![false; model.capabilities.len()];
        for &s in &j.stages {
            for r in &model[s].maps_to {
                mapped[r.target.index()] = true;
            }
        }
        for &t in &touchpoints {
            for &trace in &model[t].traces {
                for c in &model[model[trace].activity].capabilities {
                    used[c.target.index()] = true;
                }
            }
        }
        let waste: Vec<ActivityId> =
            figures.waste.iter().copied().filter(|&a| mapped[model[a].stage.index()]).collect();
        // The gaps are listed below and the hand-offs drawn on the blueprint, so
        // they are counted from those.
        let handoffs = blueprint.columns.iter().filter(|c| !c.handoff.is_empty()).count();
        let JourneySummary { label, personas, future, volume, touchpoints: traced, .. } =
            JourneySummary::of(input, id, pages, gaps.len(), handoffs);
        JourneySection {
            anchor: format!("j-{}", j.meta.id),
            label,
            description: j.meta.description.as_deref(),
            personas,
            future,
            volume,
            mix: j.mix.map(|m| {
                format!(
                    "simple {} · standard {} · complex {} (complexity ×{})",
                    percent(m.simple),
                    percent(m.standard),
                    percent(m.complex),
                    grouped(m.complexity())
                )
            }),
            touchpoints: traced,
            activities: coverage.activities.into(),
            gaps: gaps.len(),
            handoffs,
            moments: touchpoints.iter().filter(|&&t| model[t].moment_of_truth.is_some()).count(),
            blueprint,
            matrix: Matrix::of(model, names, id),
            opportunities: Grid::of(model, names, &touchpoints, None, usize::MAX),
            gap_list: gap_rows(input, names, &gaps, None),
            waste_list: waste_rows(input, &waste),
            heat: heat_rows(input, Some(&used), false),
            legend: Heat::ALL.iter().map(|h| (h.class(), h.words())).collect(),
            comparison: Comparison::of(input, names, id, pages),
        }
    }
}

/// The traceability matrix of one journey: its touchpoints as rows, grouped by
/// journey stage; as columns, the activities of every value-stream stage the journey
/// maps to or traces into, grouped by stage.
///
/// Past [`MATRIX_GRID_CELLS`] cells the grid is collapsed: each touchpoint lists the
/// activities it traces to, so the page grows with the links, not with touchpoints
/// × activities (a 10,000-touchpoint journey would otherwise need 10⁷ cells).
pub(super) struct Matrix<'a> {
    /// Whether rows list their traced activities instead of a cell per column.
    pub(super) collapsed: bool,
    pub(super) groups: Vec<MatrixGroup<'a>>,
    pub(super) columns: Vec<MatrixColumn<'a>>,
    pub(super) stages: Vec<MatrixStage<'a>>,
}

pub(super) struct MatrixGroup<'a> {
    pub(super) stream: &'a str,
    pub(super) stage: &'a str,
    pub(super) span: usize,
}

pub(super) struct MatrixColumn<'a> {
    pub(super) label: &'a str,
    pub(super) path: &'a str,
    pub(super) team: Option<TeamChip<'a>>,
}

pub(super) struct MatrixStage<'a> {
    pub(super) label: &'a str,
    pub(super) rows: Vec<MatrixRow<'a>>,
}

/// The most cells a journey's matrix may have before it is collapsed.
pub(super) const MATRIX_GRID_CELLS: usize = 40_000;

pub(super) struct MatrixRow<'a> {
    pub(super) label: &'a str,
    pub(super) anchor: String,
    /// One per column: whether the touchpoint traces to it (empty when collapsed).
    pub(super) cells: Vec<bool>,
    /// The columns it traces to, when the matrix is collapsed.
    pub(super) traced: Vec<usize>,
    pub(super) gap: bool,
}

impl<'a> Matrix<'a> {
    pub(super) fn of(model: &'a Model, names: &'a Names, id: JourneyId) -> Matrix<'a> {
        let j = &model[id];
        let mut wanted = vec![false; model.vs_stages.len()];
        for &s in &j.stages {
            for r in &model[s].maps_to {
                wanted[r.target.index()] = true;
            }
            for &t in &model[s].touchpoints {
                for &trace in &model[t].traces {
                    wanted[model[model[trace].activity].stage.index()] = true;
                }
            }
        }
        let mut groups = Vec::new();
        let mut columns = Vec::new();
        let mut column_of = vec![usize::MAX; model.activities.len()];
        for stream in &model.streams {
            for &stage in stream.stages.iter().filter(|s| wanted[s.index()]) {
                let activities = &model[stage].activities;
                if activities.is_empty() {
                    continue;
                }
                groups.push(MatrixGroup {
                    stream: &stream.meta.label,
                    stage: &model[stage].meta.label,
                    span: activities.len(),
                });
                for &a in activities {
                    column_of[a.index()] = columns.len();
                    columns.push(MatrixColumn {
                        label: &model[a].meta.label,
                        path: names.activity(a),
                        team: model[a].owner.map(|o| TeamChip::of(model, o.target)),
                    });
                }
            }
        }
        let touchpoints: usize = j.stages.iter().map(|&s| model[s].touchpoints.len()).sum();
        let collapsed = touchpoints * columns.len() > MATRIX_GRID_CELLS;
        let stages = j
            .stages
            .iter()
            .map(|&s| MatrixStage {
                label: &model[s].meta.label,
                rows: model[s]
                    .touchpoints
                    .iter()
                    .map(|&t| {
                        let traced: Vec<usize> = model[t]
                            .traces
                            .iter()
                            .map(|&trace| column_of[model[trace].activity.index()])
                            .collect();
                        let mut cells = Vec::new();
                        if !collapsed {
                            cells = vec![false; columns.len()];
                            for &c in &traced {
                                cells[c] = true;
                            }
                        }
                        MatrixRow {
                            label: &model[t].meta.label,
                            anchor: format!("tp-{}", names.touchpoint(t)),
                            cells,
                            traced: if collapsed { traced } else { Vec::new() },
                            gap: model[t].traces.is_empty(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Matrix { collapsed, groups, columns, stages }
    }
}

/// Opportunities on the impact × effort grid.
pub(super) struct Grid<'a> {
    pub(super) quadrants: Vec<QuadrantView<'a>>,
    pub(super) unrated: Vec<OpportunityItem<'a>>,
    /// Unrated opportunities left out of `unrated`.
    pub(super) unrated_more: usize,
    pub(super) total: usize,
}

pub(super) struct QuadrantView<'a> {
    pub(super) class: &'static str,
    pub(super) title: &'static str,
    pub(super) hint: &'static str,
    pub(super) items: Vec<OpportunityItem<'a>>,
    /// Opportunities of the quadrant left out of `items`.
    pub(super) more: usize,
}

pub(super) struct OpportunityItem<'a> {
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) touchpoint: &'a str,
    /// The touchpoint on its journey's page.
    pub(super) href: String,
    pub(super) impact: Option<&'static str>,
    pub(super) effort: Option<&'static str>,
    pub(super) owner: Option<TeamChip<'a>>,
}

impl<'a> Grid<'a> {
    /// The opportunities of `touchpoints`, at most `cap` per quadrant (and `cap`
    /// unrated). `pages` names each journey's page when the grid links to other
    /// pages (the overview).
    pub(super) fn of(
        model: &'a Model,
        names: &'a Names,
        touchpoints: &[TouchpointId],
        pages: Option<&[String]>,
        cap: usize,
    ) -> Grid<'a> {
        let mut quadrants: Vec<QuadrantView<'a>> = Quadrant::ALL
            .iter()
            .map(|q| QuadrantView {
                class: q.as_str(),
                title: q.title(),
                hint: match q {
                    Quadrant::QuickWin => "high impact, low effort: do first",
                    Quadrant::MajorProject => "high impact, more effort: plan",
                    Quadrant::FillIn => "lower impact, low effort: when there is time",
                    Quadrant::Thankless => "lower impact, more effort: question",
                },
                items: Vec::new(),
                more: 0,
            })
            .collect();
        let mut unrated = Vec::new();
        let mut total = 0;
        for &t in touchpoints {
            for o in &model[t].opportunities {
                total += 1;
                let item = OpportunityItem {
                    label: &o.meta.label,
                    description: o.meta.description.as_deref(),
                    touchpoint: &model[t].meta.label,
                    href: format!(
                        "{}#tp-{}",
                        pages.map_or("", |p| p[model[t].journey.index()].as_str()),
                        names.touchpoint(t)
                    ),
                    impact: o.impact.map(Rating::as_str),
                    effort: o.effort.map(Rating::as_str),
                    owner: o.owner.map(|r| TeamChip::of(model, r.target)),
                };
                match o.quadrant() {
                    Some(q) => quadrants[q as usize].items.push(item),
                    None => unrated.push(item),
                }
            }
        }
        // High impact first within a quadrant, then low effort; stable otherwise.
        for q in &mut quadrants {
            q.items.sort_by_key(|i| (std::cmp::Reverse(rank(i.impact)), rank(i.effort)));
            q.more = q.items.len().saturating_sub(cap);
            q.items.truncate(cap);
        }
        let unrated_more = unrated.len().saturating_sub(cap);
        unrated.truncate(cap);
        Grid { quadrants, unrated, unrated_more, total }
    }
}

pub(super) fn rank(rating: Option<&str>) -> usize {
    rating.and_then(|r| Rating::NAMES.iter().position(|n| *n == r)).unwrap_or(0)
}
