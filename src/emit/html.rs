//! The HTML pages: `index.html` (the overview, then every journey) and one page per
//! journey. The templates live in `src/emit/templates/`; askama escapes every value
//! for HTML text and attributes, and no value from the sources is ever placed in a
//! URL, a script or a stylesheet.
//!
//! The pages run no script at all. Their Content-Security-Policy allows nothing but
//! the one inline stylesheet, by its hash, so even markup that slipped through
//! escaping could neither run code nor load anything.

use super::blueprint::{Blueprint, TeamChip};
use super::format::{Heat, bar, duration, number, percent};
use super::{Input, Names};
use crate::model::{
    ActivityId, CapabilityId, JourneyId, Model, Quadrant, Rating, Ratio, TouchpointId, VsStageId,
};
use askama::Template;
use base64::Engine;
use sha2::Digest;

/// askama's HTML escaper, plus bidirectional isolation: a value holding explicit
/// direction controls (a right-to-left override, say) is wrapped in FIRST STRONG
/// ISOLATE … POP DIRECTIONAL ISOLATE, which closes whatever the value opened, so a
/// label can never reverse the page's own text after it. Other values are only
/// escaped, so attributes and numbers are untouched.
#[derive(Clone, Copy, Default)]
pub(crate) struct Isolating;

impl askama::filters::Escaper for Isolating {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, text: &str) -> std::fmt::Result {
        let isolate = text.chars().any(is_direction_control);
        if isolate {
            dest.write_char('\u{2068}')?;
        }
        askama::filters::Html.write_escaped_str(&mut dest, text)?;
        if isolate {
            dest.write_char('\u{2069}')?;
        }
        Ok(())
    }
}

/// A message with quoted source text in it: direction controls are shown as
/// `\u{202e}`, as compilers do, since isolating the whole message cannot stop a
/// quoted label from reversing the message's own words after it.
fn visible_controls(text: &str) -> String {
    text.chars()
        .map(
            |c| {
                if is_direction_control(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            },
        )
        .collect()
}

/// The explicit embeddings, overrides and isolates of Unicode's bidirectional
/// algorithm: the characters whose effect can outlast the text they are in.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The stylesheet, inlined into every page.
const CSS: &str = include_str!("templates/style.css");

pub(super) fn pages(
    input: Input<'_>,
    names: &Names,
    title: &str,
) -> Result<Vec<(String, String)>, askama::Error> {
    let model = &input.analysis.model;
    let heat: Vec<Heat> = input.analysis.figures.loads.iter().map(Heat::of).collect();
    let files = page_names(model);
    let journeys: Vec<JourneySection<'_>> = files
        .into_iter()
        .enumerate()
        .map(|(j, file)| JourneySection::of(input, names, &heat, JourneyId(j as u32), file))
        .collect();
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(CSS.as_bytes()))
    );
    let nav: Vec<NavLink<'_>> =
        journeys.iter().map(|j| NavLink { href: &j.page, label: j.label }).collect();
    let page = |heading: Option<&'_ str>, current: Option<usize>, level: u8| Page {
        heading: heading.map(str::to_owned),
        site: title,
        csp: &csp,
        css: CSS,
        nav: &nav,
        current,
        version: env!("CARGO_PKG_VERSION"),
        files: input.files.len(),
        level,
    };
    let mut out = Vec::with_capacity(journeys.len() + 1);
    let overview = Overview::of(input, names, &heat, &journeys);
    let index = IndexPage { page: page(None, None, 2), overview, journeys: &journeys };
    out.push(("index.html".to_owned(), index.render()?));
    for (i, j) in journeys.iter().enumerate() {
        let page = JourneyPage { page: page(Some(j.label), Some(i), 1), j };
        out.push((j.page.clone(), page.render()?));
    }
    Ok(out)
}

/// Page file names: `<journey-id>.html`, made unique ignoring case (so that the site
/// also works on case-insensitive file systems) and never `index.html`; a clash gets
/// a numeric suffix, in source order.
fn page_names(model: &Model) -> Vec<String> {
    let mut taken = std::collections::HashSet::from(["index".to_owned()]);
    model
        .journeys
        .iter()
        .map(|j| {
            let base = j.meta.id.clone();
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            format!("{name}.html")
        })
        .collect()
}

/// What every page shares: the head, the navigation and the footer.
struct Page<'a> {
    /// What the page is about, before the site's title in the `<title>`; `None` on
    /// the overview. Kept apart so that each is escaped and isolated on its own.
    heading: Option<String>,
    site: &'a str,
    csp: &'a str,
    css: &'static str,
    nav: &'a [NavLink<'a>],
    /// The journey whose page this is; `None` on the overview.
    current: Option<usize>,
    version: &'static str,
    files: usize,
    /// The level of the journey sections' headings: 2 on the overview, where they sit
    /// under the site's title, 1 on a journey's own page.
    level: u8,
}

impl Page<'_> {
    // Templates pass loop indexes by reference.
    #[allow(clippy::trivially_copy_pass_by_ref)]
    fn is_current(&self, journey: &usize) -> bool {
        self.current == Some(*journey)
    }
}

struct NavLink<'a> {
    href: &'a str,
    label: &'a str,
}

#[derive(Template)]
#[template(path = "index.html", config = "src/emit/askama.toml")]
struct IndexPage<'a> {
    page: Page<'a>,
    overview: Overview<'a>,
    journeys: &'a [JourneySection<'a>],
}

#[derive(Template)]
#[template(path = "journey.html", config = "src/emit/askama.toml")]
struct JourneyPage<'a> {
    page: Page<'a>,
    j: &'a JourneySection<'a>,
}

/// A share for the pages: the count, the total, the percentage and a bar length.
struct Share {
    count: usize,
    total: usize,
    percent: String,
    /// The bar's length out of 100.
    bar: u32,
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

/// One journey: its header, blueprint, matrix and opportunities. The same section
/// is the body of the journey's page and a part of the overview.
struct JourneySection<'a> {
    anchor: String,
    page: String,
    label: &'a str,
    description: Option<&'a str>,
    personas: Vec<&'a str>,
    future: bool,
    volume: Option<String>,
    mix: Option<String>,
    touchpoints: Share,
    activities: Share,
    gaps: usize,
    handoffs: usize,
    moments: usize,
    blueprint: Blueprint<'a>,
    matrix: Matrix<'a>,
    opportunities: Grid<'a>,
    gap_list: Vec<GapRow<'a>>,
    /// Waste in the value-stream stages the journey maps to.
    waste_list: Vec<WasteRow<'a>>,
    /// The capabilities the journey's traced activities use, with their whole load.
    heat: Vec<HeatRow<'a>>,
}

impl<'a> JourneySection<'a> {
    fn of(
        input: Input<'a>,
        names: &'a Names,
        heat: &[Heat],
        id: JourneyId,
        page: String,
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
        let handoffs = blueprint.columns.iter().filter(|c| !c.handoff.is_empty()).count();
        JourneySection {
            anchor: format!("j-{}", j.meta.id),
            page,
            label: &j.meta.label,
            description: j.meta.description.as_deref(),
            personas: j.personas.iter().map(|p| model[p.target].meta.label.as_str()).collect(),
            future: j.state == crate::model::State::Future,
            volume: j.volume.map(|v| format!("{} per {}", number(v.amount), v.period.as_str())),
            mix: j.mix.map(|m| {
                format!(
                    "simple {} · standard {} · complex {} (complexity ×{})",
                    percent(m.simple),
                    percent(m.standard),
                    percent(m.complex),
                    number(m.complexity())
                )
            }),
            touchpoints: coverage.touchpoints.into(),
            activities: coverage.activities.into(),
            gaps: gaps.len(),
            handoffs,
            moments: touchpoints.iter().filter(|&&t| model[t].moment_of_truth.is_some()).count(),
            blueprint,
            matrix: Matrix::of(model, names, id),
            opportunities: Grid::of(model, names, &touchpoints),
            gap_list: gap_rows(input, names, &gaps),
            waste_list: waste_rows(input, &waste),
            heat: heat_rows(input, heat, Some(&used)),
        }
    }
}

/// The traceability matrix of one journey: its touchpoints as rows, grouped by
/// journey stage; as columns, the activities of every value-stream stage the journey
/// maps to or traces into, grouped by stage.
struct Matrix<'a> {
    groups: Vec<MatrixGroup<'a>>,
    columns: Vec<MatrixColumn<'a>>,
    stages: Vec<MatrixStage<'a>>,
}

struct MatrixGroup<'a> {
    stream: &'a str,
    stage: &'a str,
    span: usize,
}

struct MatrixColumn<'a> {
    label: &'a str,
    path: &'a str,
    team: Option<TeamChip<'a>>,
}

struct MatrixStage<'a> {
    label: &'a str,
    rows: Vec<MatrixRow<'a>>,
}

struct MatrixRow<'a> {
    label: &'a str,
    anchor: String,
    /// One per column: whether the touchpoint traces to it.
    cells: Vec<bool>,
    gap: bool,
}

impl<'a> Matrix<'a> {
    fn of(model: &'a Model, names: &'a Names, id: JourneyId) -> Matrix<'a> {
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
        let stages = j
            .stages
            .iter()
            .map(|&s| MatrixStage {
                label: &model[s].meta.label,
                rows: model[s]
                    .touchpoints
                    .iter()
                    .map(|&t| {
                        let mut cells = vec![false; columns.len()];
                        for &trace in &model[t].traces {
                            cells[column_of[model[trace].activity.index()]] = true;
                        }
                        MatrixRow {
                            label: &model[t].meta.label,
                            anchor: format!("tp-{}", names.touchpoint(t)),
                            cells,
                            gap: model[t].traces.is_empty(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Matrix { groups, columns, stages }
    }
}

/// Opportunities on the impact × effort grid.
struct Grid<'a> {
    quadrants: Vec<QuadrantView<'a>>,
    unrated: Vec<OpportunityItem<'a>>,
    total: usize,
}

struct QuadrantView<'a> {
    class: &'static str,
    title: &'static str,
    hint: &'static str,
    items: Vec<OpportunityItem<'a>>,
}

struct OpportunityItem<'a> {
    label: &'a str,
    description: Option<&'a str>,
    touchpoint: &'a str,
    anchor: String,
    impact: Option<&'static str>,
    effort: Option<&'static str>,
    owner: Option<TeamChip<'a>>,
}

impl<'a> Grid<'a> {
    fn of(model: &'a Model, names: &'a Names, touchpoints: &[TouchpointId]) -> Grid<'a> {
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
                    anchor: format!("tp-{}", names.touchpoint(t)),
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
        }
        Grid { quadrants, unrated, total }
    }
}

fn rank(rating: Option<&str>) -> usize {
    rating.and_then(|r| Rating::NAMES.iter().position(|n| *n == r)).unwrap_or(0)
}

/// The overview's content, before the journeys.
struct Overview<'a> {
    stats: Vec<Stat>,
    journeys: Vec<JourneyRow<'a>>,
    gaps: Vec<GapRow<'a>>,
    waste: Vec<WasteRow<'a>>,
    heat: Vec<HeatRow<'a>>,
    legend: Vec<(&'static str, &'static str)>,
    rollup: Rollup<'a>,
    lean: Vec<LeanRow<'a>>,
    opportunities: Grid<'a>,
    diagnostics: Vec<DiagnosticRow>,
}

struct Stat {
    value: String,
    label: &'static str,
    /// `good`, `bad` or empty.
    tone: &'static str,
}

struct JourneyRow<'a> {
    section: &'a JourneySection<'a>,
    stages: usize,
    touchpoints: usize,
}

struct GapRow<'a> {
    label: &'a str,
    anchor: String,
    journey: &'a str,
    stage: &'a str,
    moment_of_truth: bool,
    source: String,
}

struct WasteRow<'a> {
    label: &'a str,
    stream: &'a str,
    stage: &'a str,
    team: Option<TeamChip<'a>>,
    source: String,
}

struct HeatRow<'a> {
    depth: usize,
    label: &'a str,
    level: Option<u8>,
    owner: Option<TeamChip<'a>>,
    load: String,
    capacity: Option<String>,
    per: &'static str,
    utilisation: Option<String>,
    heat: Heat,
    /// The bar's length out of 150 (150% fills it).
    bar: u32,
}

/// Journey stages × value-stream stages: the trace links between them.
struct Rollup<'a> {
    /// Value-stream stages: (stream, stage) labels.
    columns: Vec<(&'a str, &'a str)>,
    rows: Vec<RollupRow<'a>>,
}

struct RollupRow<'a> {
    journey: &'a str,
    stage: &'a str,
    cells: Vec<RollupCell>,
}

struct RollupCell {
    links: usize,
    mapped: bool,
}

impl RollupCell {
    fn class(&self) -> &'static str {
        match (self.links > 0, self.mapped) {
            (true, true) => "linked",
            (true, false) => "unmapped",
            (false, true) => "mapped-empty",
            (false, false) => "",
        }
    }
}

struct LeanRow<'a> {
    stream: &'a str,
    stage: &'a str,
    process: String,
    wait: String,
    efficiency: Option<String>,
    bar: u32,
    timed: usize,
    activities: usize,
}

struct DiagnosticRow {
    severity: &'static str,
    code: &'static str,
    message: String,
    help: Option<String>,
    source: String,
}

impl<'a> Overview<'a> {
    fn of(
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
        let lean = figures
            .lean
            .iter()
            .map(|l| {
                let stage = &model[l.stage];
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
                message: visible_controls(&d.message),
                help: d.help.as_deref().map(visible_controls),
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

fn gap_rows<'a>(input: Input<'a>, names: &Names, gaps: &[TouchpointId]) -> Vec<GapRow<'a>> {
    let model = &input.analysis.model;
    gaps.iter()
        .map(|&t| {
            let tp = &model[t];
            GapRow {
                label: &tp.meta.label,
                anchor: format!("tp-{}", names.touchpoint(t)),
                journey: &model[tp.journey].meta.label,
                stage: &model[tp.stage].meta.label,
                moment_of_truth: tp.moment_of_truth.is_some(),
                source: input.place(tp.meta.id_span),
            }
        })
        .collect()
}

fn waste_rows<'a>(input: Input<'a>, waste: &[ActivityId]) -> Vec<WasteRow<'a>> {
    let model = &input.analysis.model;
    waste
        .iter()
        .map(|&a| {
            let act = &model[a];
            WasteRow {
                label: &act.meta.label,
                stream: &model[act.stream].meta.label,
                stage: &model[act.stage].meta.label,
                team: act.owner.map(|o| TeamChip::of(model, o.target)),
                source: input.place(act.meta.id_span),
            }
        })
        .collect()
}

/// The heat map's rows in capability tree order: every capability, or only those
/// marked in `only` (then without indentation, since their parents may be absent).
fn heat_rows<'a>(input: Input<'a>, heat: &[Heat], only: Option<&[bool]>) -> Vec<HeatRow<'a>> {
    let model = &input.analysis.model;
    capability_tree(model)
        .into_iter()
        .filter(|(c, _)| only.is_none_or(|keep| keep[c.index()]))
        .map(|(c, depth)| {
            let cap = &model[c];
            let load = &input.analysis.figures.loads[c.index()];
            let utilisation = load.utilisation();
            HeatRow {
                depth: if only.is_some() { 0 } else { depth },
                label: &cap.meta.label,
                level: cap.level,
                owner: cap.owner.map(|o| TeamChip::of(model, o.target)),
                load: number(load.load),
                capacity: load.capacity.map(number),
                per: load.period.as_str(),
                utilisation: utilisation.map(percent),
                heat: heat[c.index()],
                bar: utilisation.map_or(0, |u| bar(u, 1.5)),
            }
        })
        .collect()
}

fn tone(good: bool) -> &'static str {
    if good { "good" } else { "bad" }
}

/// Capabilities in tree order: each root (no parent) in source order, followed by its
/// children, depth first. Capabilities in a `parent` cycle have no root; they follow
/// at depth 0, so every capability appears exactly once.
fn capability_tree(model: &Model) -> Vec<(CapabilityId, usize)> {
    let n = model.capabilities.len();
    let mut children: Vec<Vec<CapabilityId>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, c) in model.capabilities.iter().enumerate() {
        let id = CapabilityId(i as u32);
        match c.parent {
            Some(p) if p.target != id => children[p.target.index()].push(id),
            _ => roots.push(id),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    let mut stack: Vec<(CapabilityId, usize)> = Vec::new();
    let mut visit = |root: CapabilityId, out: &mut Vec<(CapabilityId, usize)>| {
        stack.push((root, 0));
        while let Some((c, depth)) = stack.pop() {
            if std::mem::replace(&mut placed[c.index()], true) {
                continue;
            }
            out.push((c, depth));
            stack.extend(children[c.index()].iter().rev().map(|&k| (k, depth + 1)));
        }
    };
    for root in roots {
        visit(root, &mut out);
    }
    for i in 0..n {
        visit(CapabilityId(i as u32), &mut out);
    }
    out
}

fn rollup(model: &Model) -> Rollup<'_> {
    let columns: Vec<VsStageId> =
        model.streams.iter().flat_map(|s| s.stages.iter().copied()).collect();
    let mut position = vec![0; model.vs_stages.len()];
    for (i, s) in columns.iter().enumerate() {
        position[s.index()] = i;
    }
    let mut rows = Vec::new();
    for j in &model.journeys {
        for &s in &j.stages {
            let mut cells: Vec<RollupCell> =
                columns.iter().map(|_| RollupCell { links: 0, mapped: false }).collect();
            for r in &model[s].maps_to {
                cells[position[r.target.index()]].mapped = true;
            }
            for &t in &model[s].touchpoints {
                for &trace in &model[t].traces {
                    cells[position[model[model[trace].activity].stage.index()]].links += 1;
                }
            }
            rows.push(RollupRow { journey: &j.meta.label, stage: &model[s].meta.label, cells });
        }
    }
    Rollup {
        columns: columns
            .iter()
            .map(|&s| (model[model[s].stream].meta.label.as_str(), model[s].meta.label.as_str()))
            .collect(),
        rows,
    }
}
