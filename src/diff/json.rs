//! The JSON report, for tools: `"schema": "journey-diff/1"`, described field by
//! field in `docs/diff.md`. Fields may be added within version 1; a field that
//! changes meaning or disappears bumps the version.

use super::changes::{
    AttributeChange, Changes, ElementChange, LoadFigure, Named, Pair, Place, Problem, Value,
};
use crate::model::Ratio;
use serde::Serialize;

/// The value of the document's `schema` field.
pub const SCHEMA: &str = "journey-diff/1";

/// Renders the changes as pretty-printed JSON with a final newline.
///
/// # Panics
///
/// Never: the document has string keys only, which is all `serde_json` can fail on.
pub fn json(changes: &Changes) -> String {
    let document = Document {
        schema: SCHEMA,
        generator: Generator { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
        changed: !changes.is_empty(),
        summary: changes.summary(),
        files: changes.files,
        errors: Pair {
            old: changes.errors.old.iter().map(problem).collect(),
            new: changes.errors.new.iter().map(problem).collect(),
        },
        totals: Pair { old: totals(&changes.totals.old), new: totals(&changes.totals.new) },
        elements: changes.elements.iter().map(element).collect(),
        traces: Delta {
            added: changes.traces.added.iter().map(trace).collect(),
            removed: changes.traces.removed.iter().map(trace).collect(),
        },
        diagnostics: Diagnostics {
            introduced: changes.diagnostics.introduced.iter().map(problem).collect(),
            resolved: changes.diagnostics.resolved.iter().map(problem).collect(),
            changed: changes
                .diagnostics
                .changed
                .iter()
                .map(|p| Pair { old: problem(&p.old), new: problem(&p.new) })
                .collect(),
        },
        gaps: Delta {
            added: changes.gaps.added.iter().map(named).collect(),
            removed: changes.gaps.removed.iter().map(named).collect(),
        },
        waste: Delta {
            added: changes.waste.added.iter().map(named).collect(),
            removed: changes.waste.removed.iter().map(named).collect(),
        },
        handoffs: changes
            .handoffs
            .iter()
            .map(|h| Handoff {
                touchpoint: named(&h.touchpoint),
                teams: Pair { old: h.teams.old.as_deref(), new: h.teams.new.as_deref() },
            })
            .collect(),
        coverage: Coverage {
            touchpoints: ratios(&changes.coverage.touchpoints),
            activities: ratios(&changes.coverage.activities),
            journeys: changes
                .coverage
                .journeys
                .iter()
                .map(|j| JourneyCoverage {
                    journey: named(&j.journey),
                    touchpoints: Pair {
                        old: j.touchpoints.old.map(ratio),
                        new: j.touchpoints.new.map(ratio),
                    },
                    activities: Pair {
                        old: j.activities.old.map(ratio),
                        new: j.activities.new.map(ratio),
                    },
                })
                .collect(),
        },
        utilisation: changes
            .utilisation
            .iter()
            .map(|u| Utilisation {
                capability: named(&u.capability),
                scenario: u.scenario.as_str(),
                load: Pair { old: u.load.old.map(load), new: u.load.new.map(load) },
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document)
        .expect("the document has string keys and finite numbers only");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    generator: Generator,
    changed: bool,
    summary: Vec<String>,
    files: Pair<usize>,
    errors: Pair<Vec<ProblemJson<'a>>>,
    totals: Pair<Totals>,
    elements: Vec<Element<'a>>,
    traces: Delta<Trace<'a>>,
    diagnostics: Diagnostics<'a>,
    gaps: Delta<NamedJson<'a>>,
    waste: Delta<NamedJson<'a>>,
    handoffs: Vec<Handoff<'a>>,
    coverage: Coverage<'a>,
    utilisation: Vec<Utilisation<'a>>,
}

impl<T: Serialize> Serialize for Pair<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Pair", 2)?;
        st.serialize_field("old", &self.old)?;
        st.serialize_field("new", &self.new)?;
        st.end()
    }
}

#[derive(Serialize)]
struct Generator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Delta<T> {
    added: Vec<T>,
    removed: Vec<T>,
}

#[derive(Serialize)]
struct Source<'a> {
    file: &'a str,
    line: usize,
}

fn source(p: &Place) -> Source<'_> {
    Source { file: &p.file, line: p.line }
}

#[derive(Serialize)]
struct Totals {
    touchpoints: usize,
    activities: usize,
    gaps: usize,
    waste: usize,
    handoffs: usize,
    overloaded: usize,
    overloaded_to_be: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

fn totals(t: &super::changes::Totals) -> Totals {
    Totals {
        touchpoints: t.touchpoints,
        activities: t.activities,
        gaps: t.gaps,
        waste: t.waste,
        handoffs: t.handoffs,
        overloaded: t.overloaded,
        overloaded_to_be: t.overloaded_to_be,
        errors: t.errors,
        warnings: t.warnings,
        notes: t.notes,
    }
}

#[derive(Serialize)]
struct Element<'a> {
    kind: &'static str,
    change: &'static str,
    /// `added`, `removed`, `unreadable`, `moved`, `relabelled` or `changed`.
    verb: &'static str,
    path: &'a str,
    label: &'a str,
    old_label: Option<&'a str>,
    moved: Option<Move<'a>>,
    facts: Vec<Fact<'a>>,
    attributes: Vec<Attribute<'a>>,
    source: Source<'a>,
}

#[derive(Serialize)]
struct Move<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct Fact<'a> {
    name: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Attribute<'a> {
    #[serde(rename = "attribute")]
    name: &'a str,
    item: Option<&'a str>,
    #[serde(flatten)]
    value: ValueJson<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ValueJson<'a> {
    Set { old: Option<&'a str>, new: Option<&'a str> },
    Added { added: &'a str },
    Removed { removed: &'a str },
}

fn element(e: &ElementChange) -> Element<'_> {
    Element {
        kind: e.kind.slug(),
        change: e.status.as_str(),
        verb: e.verb(),
        path: &e.path,
        label: &e.label,
        old_label: e.old_label.as_deref(),
        moved: e.moved.as_ref().map(|m| Move { from: &m.from, to: &m.to }),
        facts: e.facts.iter().map(|f| Fact { name: f.name, value: &f.value }).collect(),
        attributes: e.attributes.iter().map(attribute).collect(),
        source: source(&e.place),
    }
}

fn attribute(a: &AttributeChange) -> Attribute<'_> {
    Attribute {
        name: &a.attribute,
        item: a.item.as_deref(),
        value: match &a.value {
            Value::Set { old, new } => ValueJson::Set { old: old.as_deref(), new: new.as_deref() },
            Value::Added(v) => ValueJson::Added { added: v },
            Value::Removed(v) => ValueJson::Removed { removed: v },
        },
    }
}

#[derive(Serialize)]
struct NamedJson<'a> {
    path: &'a str,
    label: &'a str,
}

fn named(n: &Named) -> NamedJson<'_> {
    NamedJson { path: &n.path, label: &n.label }
}

#[derive(Serialize)]
struct Trace<'a> {
    touchpoint: &'a str,
    activity: &'a str,
    source: Source<'a>,
}

fn trace(t: &super::changes::TraceLink) -> Trace<'_> {
    Trace { touchpoint: &t.touchpoint.path, activity: &t.activity.path, source: source(&t.place) }
}

#[derive(Serialize)]
struct Diagnostics<'a> {
    introduced: Vec<ProblemJson<'a>>,
    resolved: Vec<ProblemJson<'a>>,
    changed: Vec<Pair<ProblemJson<'a>>>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    element: Option<&'a str>,
    source: Source<'a>,
}

fn problem(p: &Problem) -> ProblemJson<'_> {
    ProblemJson {
        code: p.code.as_str(),
        severity: p.severity.as_str(),
        message: &p.message,
        element: p.element.as_deref(),
        source: source(&p.place),
    }
}

#[derive(Serialize)]
struct Handoff<'a> {
    touchpoint: NamedJson<'a>,
    teams: Pair<Option<&'a [String]>>,
}

#[derive(Serialize)]
struct Coverage<'a> {
    touchpoints: Pair<RatioJson>,
    activities: Pair<RatioJson>,
    journeys: Vec<JourneyCoverage<'a>>,
}

#[derive(Serialize)]
struct JourneyCoverage<'a> {
    journey: NamedJson<'a>,
    touchpoints: Pair<Option<RatioJson>>,
    activities: Pair<Option<RatioJson>>,
}

#[derive(Serialize)]
struct RatioJson {
    count: usize,
    total: usize,
    share: f64,
}

fn ratio(r: Ratio) -> RatioJson {
    RatioJson { count: r.count, total: r.total, share: r.fraction() }
}

fn ratios(p: &Pair<Ratio>) -> Pair<RatioJson> {
    Pair { old: ratio(p.old), new: ratio(p.new) }
}

#[derive(Serialize)]
struct Utilisation<'a> {
    capability: NamedJson<'a>,
    /// `as-is`, or `to-be` (spec §4a).
    scenario: &'static str,
    #[serde(flatten)]
    load: Pair<Option<LoadJson>>,
}

#[derive(Serialize)]
struct LoadJson {
    load: f64,
    per: &'static str,
    capacity: Option<f64>,
    utilisation: Option<f64>,
    status: &'static str,
}

fn load(l: LoadFigure) -> LoadJson {
    LoadJson {
        load: l.load,
        per: l.period.as_str(),
        capacity: l.capacity,
        utilisation: l.utilisation(),
        status: l.status(),
    }
}
