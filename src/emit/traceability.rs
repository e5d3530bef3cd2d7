//! `traceability.json`: the model, its trace links, the matrix and every derived
//! figure, for tools. The shape is a published contract, versioned by [`SCHEMA`]
//! and described by `docs/schema/traceability.schema.json`.
//!
//! Determinism: elements are in source order (files in workspace order), sets are in
//! a defined order, file names are relative to the workspace root, and nothing
//! depends on the clock or on where the build ran.

use super::{Input, Names};
use crate::diagnostic::Diagnostic;
use crate::model::kpi::{Dimension, Measure, Reading, Target};
use crate::model::{
    self, ActivityId, CapabilityId, Figures, JourneyId, Meta, Metric, Model, Rate, Rating, Ratio,
    Ref, Scenario, TeamId,
};
use crate::source::Span;
use serde::Serialize;

/// The value of the document's `schema` field. Bumped when a field changes meaning
/// or disappears; adding a field keeps it.
pub const SCHEMA: &str = "journey-traceability/2";

/// Renders the traceability document: pretty-printed JSON with a final newline.
///
/// # Panics
///
/// Never: the document has string keys only, which is all `serde_json` can fail on.
pub fn traceability(input: Input<'_>, names: &Names) -> String {
    let mut out = Vec::new();
    traceability_into(&mut out, input, names).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes `traceability.json` into `out` as it is serialised, without holding it.
pub fn traceability_into(
    mut out: impl std::io::Write,
    input: Input<'_>,
    names: &Names,
) -> std::io::Result<()> {
    let document = Writer { input, names, model: &input.analysis.model }.document();
    // One value per line without indentation: a change still shows as the lines of
    // the values it touched, and the file is about 37% smaller than with two-space
    // indentation (the indentation was a third of it at 100k touchpoints); `jq .`
    // indents it for reading. The document has string keys and finite numbers only,
    // so serde_json can only fail by the writer failing.
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    document.serialize(&mut serializer).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    generator: Generator,
    files: &'a [String],
    /// The scenarios the workspace describes (spec §4a): the as-is, then the
    /// to-be when it has a future state.
    scenarios: Vec<&'static str>,
    personas: Vec<Element<'a>>,
    teams: Vec<Element<'a>>,
    systems: Vec<System<'a>>,
    capabilities: Vec<Capability<'a>>,
    value_streams: Vec<ValueStream<'a>>,
    journeys: Vec<Journey<'a>>,
    traces: Vec<Trace<'a>>,
    matrix: Matrix<'a>,
    gaps: Vec<&'a str>,
    waste: Vec<&'a str>,
    handoffs: Vec<Handoff<'a>>,
    capability_load: Vec<ScenarioLoads<'a>>,
    coverage: Coverage<'a>,
    lean: Vec<ScenarioLean<'a>>,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Source<'a> {
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Element<'a> {
    id: &'a str,
    label: &'a str,
    description: Option<&'a str>,
    source: Source<'a>,
}

#[derive(Serialize)]
struct System<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    owner: Option<&'a str>,
}

#[derive(Serialize)]
struct Capability<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    level: Option<u8>,
    parent: Option<&'a str>,
    owner: Option<&'a str>,
    capacity: Option<Quantity>,
}

#[derive(Serialize)]
struct Quantity {
    amount: f64,
    per: &'static str,
}

#[derive(Serialize)]
struct ValueStream<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    stakeholders: Vec<&'a str>,
    stages: Vec<VsStage<'a>>,
}

#[derive(Serialize)]
struct VsStage<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    path: &'a str,
    entrance: &'a [String],
    exit: &'a [String],
    value: &'a [String],
    metrics: Vec<MetricJson<'a>>,
    activities: Vec<Activity<'a>>,
}

#[derive(Serialize)]
struct MetricJson<'a> {
    id: Option<&'a str>,
    label: &'a str,
    description: Option<&'a str>,
    target: Option<TargetJson<'a>>,
    current: Option<CurrentJson<'a>>,
    /// `met`, `missed`, or `unchecked` when either value is free text, missing, or
    /// of a unit the other cannot be compared with.
    status: &'static str,
}

/// A typed `target` (spec §5b).
#[derive(Serialize)]
struct TargetJson<'a> {
    written: &'a str,
    typed: Option<TypedJson>,
}

#[derive(Serialize)]
struct TypedJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<&'static str>,
    /// In the unit's terms: minutes for a duration, the percentage as written.
    value: f64,
    unit: Option<&'static str>,
}

/// A `current` value, from the source or from a measurements file (spec §5c).
#[derive(Serialize)]
struct CurrentJson<'a> {
    written: &'a str,
    typed: Option<TypedJson>,
    source: CurrentSource<'a>,
}

/// Where a current value comes from: the source, or a measurement's row with its
/// date (`null` without one).
#[derive(Serialize)]
#[serde(untagged)]
enum CurrentSource<'a> {
    Source(Source<'a>),
    Measurement {
        #[serde(flatten)]
        at: Source<'a>,
        date: Option<&'a str>,
    },
}

#[derive(Serialize)]
struct Activity<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    path: &'a str,
    owner: Option<&'a str>,
    lane: &'static str,
    state: &'static str,
    capabilities: Vec<&'a str>,
    systems: Vec<&'a str>,
    process_minutes: Option<f64>,
    wait_minutes: Option<f64>,
    /// %C&A as a fraction, like `reach`.
    accuracy: Option<f64>,
    failures: &'a [String],
    enabling: bool,
    traced_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct Journey<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    personas: Vec<&'a str>,
    state: &'static str,
    /// The current journey this future journey supersedes.
    replaces: Option<&'a str>,
    /// The future journeys that supersede this current journey, in source order.
    replaced_by: Vec<&'a str>,
    volume: Option<Quantity>,
    mix: Option<Mix>,
    /// The mix-weighted complexity factor of spec §5a (1 without a mix).
    complexity: f64,
    stages: Vec<JourneyStage<'a>>,
}

#[derive(Serialize)]
struct Mix {
    simple: f64,
    standard: f64,
    complex: f64,
}

#[derive(Serialize)]
struct JourneyStage<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    path: &'a str,
    maps_to: Vec<&'a str>,
    touchpoints: Vec<Touchpoint<'a>>,
}

#[derive(Serialize)]
struct Touchpoint<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    path: &'a str,
    channel: Option<&'a str>,
    emotion: Option<i8>,
    reach: f64,
    moment_of_truth: bool,
    evidence: &'a [String],
    pains: &'a [String],
    failures: &'a [String],
    kpis: Vec<MetricJson<'a>>,
    opportunities: Vec<Opportunity<'a>>,
    traces_to: Vec<&'a str>,
}

#[derive(Serialize)]
struct Opportunity<'a> {
    #[serde(flatten)]
    element: Element<'a>,
    impact: Option<&'static str>,
    effort: Option<&'static str>,
    owner: Option<&'a str>,
    quadrant: Option<&'static str>,
}

#[derive(Serialize)]
struct Trace<'a> {
    touchpoint: &'a str,
    activity: &'a str,
    source: Source<'a>,
}

/// Touchpoints × activities, kept sparse: a row lists the columns it traces to.
#[derive(Serialize)]
struct Matrix<'a> {
    columns: Vec<Column<'a>>,
    rows: Vec<Row<'a>>,
    rollup: Vec<Rollup<'a>>,
}

#[derive(Serialize)]
struct Column<'a> {
    activity: &'a str,
    stage: &'a str,
}

#[derive(Serialize)]
struct Row<'a> {
    touchpoint: &'a str,
    stage: &'a str,
    /// Indexes into `columns`, ascending.
    traced: Vec<usize>,
}

/// One journey stage against one value-stream stage: the trace links between them.
#[derive(Serialize)]
struct Rollup<'a> {
    journey_stage: &'a str,
    value_stream_stage: &'a str,
    /// Trace links from the journey stage's touchpoints to the value-stream stage's
    /// activities.
    links: usize,
    /// Touchpoints of the journey stage with at least one such link.
    touchpoints: usize,
    /// Whether the journey stage `maps to` the value-stream stage.
    mapped: bool,
}

#[derive(Serialize)]
struct Handoff<'a> {
    touchpoint: &'a str,
    teams: Vec<&'a str>,
}

/// The capability heat map of one scenario.
#[derive(Serialize)]
struct ScenarioLoads<'a> {
    scenario: &'static str,
    loads: Vec<CapabilityLoad<'a>>,
}

#[derive(Serialize)]
struct CapabilityLoad<'a> {
    capability: &'a str,
    load: f64,
    per: &'static str,
    capacity: Option<f64>,
    utilisation: Option<f64>,
    status: &'static str,
    /// Every touchpoint the load comes from, in source order: `load` is their sum.
    breakdown: Vec<Part<'a>>,
}

/// What one touchpoint contributes to a capability's load.
#[derive(Serialize)]
struct Part<'a> {
    journey: &'a str,
    touchpoint: &'a str,
    /// Per the load's `per`.
    contribution: f64,
}

#[derive(Serialize)]
struct Covered {
    count: usize,
    total: usize,
    share: f64,
}

impl From<Ratio> for Covered {
    fn from(r: Ratio) -> Covered {
        Covered { count: r.count, total: r.total, share: r.fraction() }
    }
}

#[derive(Serialize)]
struct Coverage<'a> {
    touchpoints: Covered,
    activities: Covered,
    journeys: Vec<JourneyCoverage<'a>>,
}

#[derive(Serialize)]
struct JourneyCoverage<'a> {
    journey: &'a str,
    touchpoints: Covered,
    activities: Covered,
}

/// The lean figures of one scenario (spec §5d).
#[derive(Serialize)]
struct ScenarioLean<'a> {
    scenario: &'static str,
    stages: Vec<StageLean<'a>>,
    streams: Vec<StreamLean<'a>>,
}

#[derive(Serialize)]
struct StageLean<'a> {
    stage: &'a str,
    #[serde(flatten)]
    figures: Lean,
}

#[derive(Serialize)]
struct StreamLean<'a> {
    stream: &'a str,
    #[serde(flatten)]
    figures: Lean,
}

#[derive(Serialize)]
struct Lean {
    process_minutes: f64,
    wait_minutes: f64,
    lead_minutes: f64,
    flow_efficiency: Option<f64>,
    /// The rolled %C&A as a fraction; `null` when no activity gives an accuracy.
    rolled_accuracy: Option<f64>,
    timed_activities: usize,
    rated_activities: usize,
}

impl From<&model::Lean> for Lean {
    fn from(l: &model::Lean) -> Lean {
        Lean {
            process_minutes: tidy(l.process),
            wait_minutes: tidy(l.wait),
            lead_minutes: tidy(l.lead()),
            flow_efficiency: l.flow_efficiency(),
            rolled_accuracy: l.rolled_accuracy().map(tidy),
            timed_activities: l.timed,
            rated_activities: l.rated,
        }
    }
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    source: Source<'a>,
}

struct Writer<'a> {
    input: Input<'a>,
    names: &'a Names,
    model: &'a Model,
}

impl<'a> Writer<'a> {
    fn document(&self) -> Document<'a> {
        let m = self.model;
        let figures: &'a Figures = &self.input.analysis.figures;
        Document {
            schema: SCHEMA,
            generator: Generator { name: "journey", version: env!("CARGO_PKG_VERSION") },
            files: self.input.files,
            scenarios: m.scenarios().iter().map(|s| s.as_str()).collect(),
            personas: m.personas.iter().map(|p| self.element(&p.meta)).collect(),
            teams: m.teams.iter().map(|t| self.element(&t.meta)).collect(),
            systems: m
                .systems
                .iter()
                .map(|s| System { element: self.element(&s.meta), owner: self.team(s.owner) })
                .collect(),
            capabilities: m
                .capabilities
                .iter()
                .map(|c| Capability {
                    element: self.element(&c.meta),
                    level: c.level,
                    parent: c.parent.map(|p| m[p.target].meta.id.as_str()),
                    owner: self.team(c.owner),
                    capacity: c.capacity.map(|(rate, _)| quantity(rate)),
                })
                .collect(),
            value_streams: m.streams.iter().map(|s| self.value_stream(s)).collect(),
            journeys: self
                .replaced_by()
                .into_iter()
                .enumerate()
                .map(|(j, by)| self.journey(JourneyId(j as u32), by))
                .collect(),
            traces: m
                .traces
                .iter()
                .map(|t| Trace {
                    touchpoint: self.names.touchpoint(t.touchpoint),
                    activity: self.names.activity(t.activity),
                    source: self.source(t.span),
                })
                .collect(),
            matrix: self.matrix(),
            gaps: figures.gaps.iter().map(|&t| self.names.touchpoint(t)).collect(),
            waste: figures.waste.iter().map(|&a| self.names.activity(a)).collect(),
            handoffs: figures
                .handoffs
                .iter()
                .map(|h| Handoff {
                    touchpoint: self.names.touchpoint(h.touchpoint),
                    teams: h.teams.iter().map(|&t| m[t].meta.id.as_str()).collect(),
                })
                .collect(),
            capability_load: figures
                .loads
                .iter()
                .map(|(scenario, loads)| self.loads(scenario, loads))
                .collect(),
            coverage: Coverage {
                touchpoints: figures.coverage.touchpoints.into(),
                activities: figures.coverage.activities.into(),
                journeys: figures
                    .coverage
                    .journeys
                    .iter()
                    .map(|c| JourneyCoverage {
                        journey: &m[c.journey].meta.id,
                        touchpoints: c.touchpoints.into(),
                        activities: c.activities.into(),
                    })
                    .collect(),
            },
            lean: figures
                .lean
                .iter()
                .map(|(scenario, lean)| ScenarioLean {
                    scenario: scenario.as_str(),
                    stages: lean
                        .stages
                        .iter()
                        .enumerate()
                        .map(|(i, l)| StageLean {
                            stage: self.names.vs_stage(model::VsStageId(i as u32)),
                            figures: l.into(),
                        })
                        .collect(),
                    streams: lean
                        .streams
                        .iter()
                        .zip(&m.streams)
                        .map(|(l, s)| StreamLean { stream: &s.meta.id, figures: l.into() })
                        .collect(),
                })
                .collect(),
            diagnostics: self
                .input
                .analysis
                .diagnostics
                .iter()
                .map(|d| self.diagnostic(d))
                .collect(),
        }
    }

    /// One scenario's heat map, each load with its breakdown: the contributions
    /// of `model::contributions`, the same the load is the sum of, grouped by
    /// capability in source order.
    fn loads(&self, scenario: Scenario, loads: &[model::Load]) -> ScenarioLoads<'a> {
        let m = self.model;
        let mut parts: Vec<Vec<(model::TouchpointId, f64)>> = vec![Vec::new(); loads.len()];
        model::contributions(m, scenario, |c| {
            parts[c.capability.index()].push((c.touchpoint, c.per_day));
        });
        ScenarioLoads {
            scenario: scenario.as_str(),
            loads: loads
                .iter()
                .zip(parts)
                .map(|(l, parts)| CapabilityLoad {
                    capability: self.capability(l.capability),
                    load: tidy(l.load),
                    per: l.period.as_str(),
                    capacity: l.capacity,
                    utilisation: l.utilisation(),
                    status: status(l),
                    breakdown: parts
                        .into_iter()
                        .map(|(t, per_day)| Part {
                            journey: &m[m[t].journey].meta.id,
                            touchpoint: self.names.touchpoint(t),
                            contribution: tidy(per_day * l.period.days()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn capability(&self, id: CapabilityId) -> &'a str {
        &self.model[id].meta.id
    }

    /// A kpi or metric, with its typed values and whether it meets its target.
    fn metric(&self, x: &'a Metric) -> MetricJson<'a> {
        MetricJson {
            id: x.id.as_deref(),
            label: &x.label,
            description: x.description.as_deref(),
            target: x.target.as_ref().map(target),
            current: x.current.as_ref().map(|c| self.current(c)),
            status: match x.met() {
                Some(true) => "met",
                Some(false) => "missed",
                None => "unchecked",
            },
        }
    }

    fn current(&self, c: &'a Reading) -> CurrentJson<'a> {
        let at = self.source(c.span);
        CurrentJson {
            written: &c.written,
            typed: c.measure.map(|m| typed(None, m)),
            source: match &c.measured {
                None => CurrentSource::Source(at),
                Some(m) => CurrentSource::Measurement { at, date: m.date.as_deref() },
            },
        }
    }

    fn source(&self, span: Span) -> Source<'a> {
        let at = self.input.sources.get(span.file).line_col(span.start);
        Source { file: &self.input.files[span.file.0 as usize], line: at.line, column: at.column }
    }

    fn element(&self, meta: &'a Meta) -> Element<'a> {
        Element {
            id: &meta.id,
            label: &meta.label,
            description: meta.description.as_deref(),
            source: self.source(meta.id_span),
        }
    }

    fn team(&self, owner: Option<Ref<TeamId>>) -> Option<&'a str> {
        owner.map(|o| self.model[o.target].meta.id.as_str())
    }

    fn value_stream(&self, s: &'a model::ValueStream) -> ValueStream<'a> {
        let m = self.model;
        ValueStream {
            element: self.element(&s.meta),
            stakeholders: s.stakeholders.iter().map(|p| m[p.target].meta.id.as_str()).collect(),
            stages: s
                .stages
                .iter()
                .map(|&stage| {
                    let st = &m[stage];
                    VsStage {
                        element: self.element(&st.meta),
                        path: self.names.vs_stage(stage),
                        entrance: &st.entrance,
                        exit: &st.exit,
                        value: &st.value,
                        metrics: st.metrics.iter().map(|x| self.metric(x)).collect(),
                        activities: st.activities.iter().map(|&a| self.activity(a)).collect(),
                    }
                })
                .collect(),
        }
    }

    fn activity(&self, id: ActivityId) -> Activity<'a> {
        let m = self.model;
        let a = &m[id];
        Activity {
            element: self.element(&a.meta),
            path: self.names.activity(id),
            owner: self.team(a.owner),
            lane: a.lane.as_str(),
            state: a.state.as_str(),
            capabilities: a.capabilities.iter().map(|c| m[c.target].meta.id.as_str()).collect(),
            systems: a.systems.iter().map(|s| m[s.target].meta.id.as_str()).collect(),
            process_minutes: a.process,
            wait_minutes: a.wait,
            accuracy: a.accuracy.map(model::Share::fraction),
            failures: &a.failures,
            enabling: a.enabling,
            traced_by: a
                .traced_by
                .iter()
                .map(|&t| self.names.touchpoint(m[t].touchpoint))
                .collect(),
        }
    }

    /// For each journey, the future journeys that replace it, in source order.
    fn replaced_by(&self) -> Vec<Vec<&'a str>> {
        let m = self.model;
        let mut by = vec![Vec::new(); m.journeys.len()];
        for j in &m.journeys {
            if let Some(r) = j.replaces {
                by[r.target.index()].push(j.meta.id.as_str());
            }
        }
        by
    }

    fn journey(&self, id: JourneyId, replaced_by: Vec<&'a str>) -> Journey<'a> {
        let m = self.model;
        let j = &m[id];
        Journey {
            element: self.element(&j.meta),
            personas: j.personas.iter().map(|p| m[p.target].meta.id.as_str()).collect(),
            state: j.state.as_str(),
            replaces: j.replaces.map(|r| m[r.target].meta.id.as_str()),
            replaced_by,
            volume: j.volume.map(quantity),
            mix: j.mix.map(|x| Mix { simple: x.simple, standard: x.standard, complex: x.complex }),
            complexity: tidy(j.complexity()),
            stages: j
                .stages
                .iter()
                .map(|&stage| {
                    let st = &m[stage];
                    JourneyStage {
                        element: self.element(&st.meta),
                        path: self.names.journey_stage(stage),
                        maps_to: st.maps_to.iter().map(|r| self.names.vs_stage(r.target)).collect(),
                        touchpoints: st.touchpoints.iter().map(|&t| self.touchpoint(t)).collect(),
                    }
                })
                .collect(),
        }
    }

    fn touchpoint(&self, id: model::TouchpointId) -> Touchpoint<'a> {
        let m = self.model;
        let t = &m[id];
        Touchpoint {
            element: self.element(&t.meta),
            path: self.names.touchpoint(id),
            channel: t.channel.as_deref(),
            emotion: t.emotion.map(model::Emotion::value),
            reach: t.reach.fraction(),
            moment_of_truth: t.moment_of_truth.is_some(),
            evidence: &t.evidence,
            pains: &t.pains,
            failures: &t.failures,
            kpis: t.metrics.iter().map(|x| self.metric(x)).collect(),
            opportunities: t
                .opportunities
                .iter()
                .map(|o| Opportunity {
                    element: self.element(&o.meta),
                    impact: o.impact.map(Rating::as_str),
                    effort: o.effort.map(Rating::as_str),
                    owner: self.team(o.owner),
                    quadrant: o.quadrant().map(model::Quadrant::as_str),
                })
                .collect(),
            traces_to: t.traces.iter().map(|&tr| self.names.activity(m[tr].activity)).collect(),
        }
    }

    fn matrix(&self) -> Matrix<'a> {
        let m = self.model;
        // Columns are the activities grouped by stage, in stream and stage order; an
        // activity's column is looked up by its id.
        let mut column_of = vec![0; m.activities.len()];
        let mut columns = Vec::with_capacity(m.activities.len());
        for stream in &m.streams {
            for &stage in &stream.stages {
                for &a in &m[stage].activities {
                    column_of[a.index()] = columns.len();
                    columns.push(Column {
                        activity: self.names.activity(a),
                        stage: self.names.vs_stage(stage),
                    });
                }
            }
        }
        let mut rows = Vec::with_capacity(m.touchpoints.len());
        let mut rollup = Vec::new();
        // Per value-stream stage: links and touchpoints from the current journey stage,
        // and the stages involved (traced into or mapped to), reset after each stage,
        // so the roll-up costs the links, not journey stages × value-stream stages.
        let mut links = vec![0usize; m.vs_stages.len()];
        let mut touched = vec![0usize; m.vs_stages.len()];
        let mut involved: Vec<model::VsStageId> = Vec::new();
        let mut seen: Vec<model::VsStageId> = Vec::new();
        for journey in &m.journeys {
            for &stage in &journey.stages {
                let st = &m[stage];
                for &t in &st.touchpoints {
                    let mut traced: Vec<usize> =
                        m[t].traces.iter().map(|&tr| column_of[m[tr].activity.index()]).collect();
                    traced.sort_unstable();
                    traced.dedup();
                    seen.clear();
                    for &tr in &m[t].traces {
                        let vs = m[m[tr].activity].stage;
                        links[vs.index()] += 1;
                        if !seen.contains(&vs) {
                            seen.push(vs);
                            touched[vs.index()] += 1;
                        }
                        involved.push(vs);
                    }
                    rows.push(Row {
                        touchpoint: self.names.touchpoint(t),
                        stage: self.names.journey_stage(stage),
                        traced,
                    });
                }
                involved.extend(st.maps_to.iter().map(|r| r.target));
                // Value-stream stages are numbered in stream and stage order.
                involved.sort_unstable();
                involved.dedup();
                for &vs in &involved {
                    rollup.push(Rollup {
                        journey_stage: self.names.journey_stage(stage),
                        value_stream_stage: self.names.vs_stage(vs),
                        links: links[vs.index()],
                        touchpoints: touched[vs.index()],
                        mapped: st.maps_to.iter().any(|r| r.target == vs),
                    });
                    links[vs.index()] = 0;
                    touched[vs.index()] = 0;
                }
                involved.clear();
            }
        }
        Matrix { columns, rows, rollup }
    }

    fn diagnostic(&self, d: &'a Diagnostic) -> Diag<'a> {
        Diag {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            source: self.source(d.primary.span),
        }
    }
}

/// A sum of products rounded to nine decimals: adding up decimal inputs leaves
/// binary noise (`0.8500000000000001`, `1144.0000000000002`) that only distracts.
/// Inputs and ratios (one correctly rounded division) are written as computed.
fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

fn quantity(rate: Rate) -> Quantity {
    Quantity { amount: rate.amount, per: rate.period.as_str() }
}

fn target(t: &Target) -> TargetJson<'_> {
    TargetJson { written: &t.written, typed: t.bound.map(|(c, m)| typed(Some(c.as_str()), m)) }
}

fn typed(comparison: Option<&'static str>, m: Measure) -> TypedJson {
    TypedJson {
        comparison,
        value: tidy(m.amount),
        unit: match m.dimension {
            Dimension::Duration => Some("minutes"),
            Dimension::Percent => Some("percent"),
            Dimension::Plain => None,
        },
    }
}

fn status(l: &model::Load) -> &'static str {
    match l.utilisation() {
        None => "no-capacity",
        Some(u) if u > model::SEVERE_OVERLOAD => "critical",
        Some(u) if u > 1.0 => "over",
        Some(_) => "ok",
    }
}
