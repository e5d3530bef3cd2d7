//! `textDocument/hover`: what an element is (label, kind, qualified id,
//! description) and what the compiler derives about it: who traces to an
//! activity, which teams serve a touchpoint, a capability's load and utilisation.

use super::diagnostics::range;
use super::navigation::occurrence;
use crate::lsp::state::State;
use crate::model::Element;
use crate::model::attributes::{self, Single, Value};
use crate::model::{ActivityId, Metric, Model, TeamId, TouchpointId};
use crate::text::markdown::{document, document_lines};
use crate::text::number::{duration, grouped, percent};
use crate::text::plural;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Uri};
use std::fmt::Write as _;

/// How many related elements a hover lists before saying "and N more".
const LISTED: usize = 5;

pub fn hover(state: &State, uri: &Uri, position: Position) -> Option<Hover> {
    let found = occurrence(state, uri, position)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown(state, found.symbol),
        }),
        range: Some(range(state, found.span)),
    })
}

/// The hover text of an element, in Markdown.
pub fn markdown(state: &State, symbol: Element) -> String {
    let model = &state.snapshot.model;
    let meta = symbol.meta(model);
    let mut out = format!(
        "**{}** — {} `{}`\n\n",
        document(&meta.label),
        symbol.kind_name(),
        symbol.qualified(model)
    );
    if let Some(description) = &meta.description {
        let _ = write!(out, "{}\n\n", document_lines(description));
    }
    let mut facts = written(model, symbol);
    facts.extend(facts_of(state, symbol));
    if !facts.is_empty() {
        out.push_str("---\n\n");
        for fact in facts {
            let _ = writeln!(out, "- {fact}");
        }
    }
    out
}

/// The element's attributes as written, one line each (its description is shown
/// above them): the one list of attributes every output shares
/// (`model::attributes`). Unset attributes and flags that are off are left out.
fn written(model: &Model, element: Element) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in attributes::of(model, element) {
        let keyword = attribute.keyword;
        let value = match attribute.value {
            _ if keyword == "description" => continue,
            Value::One(None | Some(Single::Flag(false)))
            | Value::Metrics([])
            | Value::Opportunities([]) => continue,
            Value::Many(values) if values.is_empty() => continue,
            Value::One(Some(Single::Flag(true))) => {
                out.push(keyword.to_owned());
                continue;
            }
            Value::One(Some(value)) => shown(model, value),
            Value::Many(values) => {
                let elements: Vec<Element> = values
                    .iter()
                    .filter_map(|v| if let Single::Element(e) = v { Some(*e) } else { None })
                    .collect();
                if elements.len() == values.len() {
                    listed(model, &elements)
                } else {
                    values.iter().map(|&v| shown(model, v)).collect::<Vec<_>>().join("; ")
                }
            }
            Value::Metrics(metrics) => metrics.iter().map(metric).collect::<Vec<_>>().join("; "),
            Value::Opportunities(list) => {
                list.iter().map(|o| document(&o.meta.label)).collect::<Vec<_>>().join("; ")
            }
        };
        out.push(format!("{keyword}: {value}"));
    }
    out
}

/// A kpi with its figures: `Calls answered (target >= 80%, current 52%: missed)`,
/// the current value's measurement date when it was measured (spec §5b, §5c).
fn metric(m: &Metric) -> String {
    let mut figures = Vec::new();
    if let Some(target) = &m.target {
        figures.push(format!("target {}", target.written));
    }
    if let Some(current) = &m.current {
        figures.push(format!("current {}{}", current.written, current.when()));
    }
    let status = match m.met() {
        Some(true) => ": met",
        Some(false) => ": missed",
        None => "",
    };
    if figures.is_empty() {
        return document(&m.label);
    }
    document(&format!("{} ({}{status})", m.label, figures.join(", ")))
}

/// One value, for people: an element by its label and id.
fn shown(model: &Model, value: Single) -> String {
    match value {
        Single::Text(t) => document(t),
        Single::Element(e) => name(model, e),
        Single::Whole(n) => n.to_string(),
        Single::Emotion(e) => format!("{:+}", e.value()),
        Single::Share(s) => percent(s.fraction()),
        Single::Rate(r) => format!("{} per {}", grouped(r.amount), r.period.as_str()),
        Single::Minutes(m) => duration(m),
        Single::Flag(on) => (if on { "yes" } else { "no" }).to_owned(),
        Single::Word(w) => w.to_owned(),
        Single::Mix(m) => format!(
            "simple {}, standard {}, complex {}",
            percent(m.simple),
            percent(m.standard),
            percent(m.complex)
        ),
    }
}

/// What the compiler derives about an element: where it is, what uses it, its
/// figures.
fn facts_of(state: &State, symbol: Element) -> Vec<String> {
    let model = &state.snapshot.model;
    match symbol {
        Element::Activity(a) => activity(state, a),
        Element::Touchpoint(t) => touchpoint(model, t),
        Element::Capability(c) => {
            let mut out = Vec::new();
            let figures = state.snapshot.figures.as_ref();
            let loads = figures.map(|f| f.loads.iter().collect::<Vec<_>>()).unwrap_or_default();
            let both = loads.len() > 1;
            for (scenario, loads) in loads {
                let Some(load) = loads.get(c.index()) else { continue };
                let mut line = if both { format!("{} ", scenario.as_str()) } else { String::new() };
                let _ = write!(line, "load {} per {}", grouped(load.load), load.period.as_str());
                match load.utilisation() {
                    Some(u) if u > 1.0 => {
                        let _ = write!(line, ", utilisation **{}** (overloaded)", percent(u));
                    }
                    Some(u) => {
                        let _ = write!(line, ", utilisation {}", percent(u));
                    }
                    None => line.push_str(" (no capacity, so no utilisation)"),
                }
                out.push(line);
            }
            let users: Vec<Element> = activities(model)
                .filter(|&a| model[a].capabilities.iter().any(|r| r.target == c))
                .map(Element::Activity)
                .collect();
            out.push(format!("used by {}", counted(model, &users, "activity", "activities")));
            out
        }
        Element::Team(t) => team(model, t),
        Element::System(s) => {
            let mut out = Vec::new();
            let users: Vec<Element> = activities(model)
                .filter(|&a| model[a].systems.iter().any(|r| r.target == s))
                .map(Element::Activity)
                .collect();
            out.push(format!("used by {}", counted(model, &users, "activity", "activities")));
            out
        }
        Element::Persona(p) => {
            let journeys: Vec<Element> = (0..model.journeys.len())
                .map(|j| crate::model::JourneyId(j as u32))
                .filter(|&j| model[j].personas.iter().any(|r| r.target == p))
                .map(Element::Journey)
                .collect();
            let streams: Vec<Element> = (0..model.streams.len())
                .map(|s| crate::model::StreamId(s as u32))
                .filter(|&s| model[s].stakeholders.iter().any(|r| r.target == p))
                .map(Element::Stream)
                .collect();
            vec![
                format!("in {}", counted(model, &journeys, "journey", "journeys")),
                format!(
                    "stakeholder of {}",
                    counted(model, &streams, "value stream", "value streams")
                ),
            ]
        }
        Element::Stream(s) => {
            let stream = &model[s];
            let mut out = Vec::new();
            let acts: Vec<ActivityId> =
                stream.stages.iter().flat_map(|&st| model[st].activities.iter().copied()).collect();
            out.push(format!(
                "{}, {}",
                plural(stream.stages.len(), "stage", "stages"),
                plural(acts.len(), "activity", "activities")
            ));
            let needed: Vec<&ActivityId> = acts.iter().filter(|&&a| !model[a].enabling).collect();
            let traced = needed.iter().filter(|&&&a| !model[a].traced_by.is_empty()).count();
            if !needed.is_empty() {
                out.push(format!(
                    "{traced} of {} non-enabling activities traced by a touchpoint",
                    needed.len()
                ));
            }
            out
        }
        Element::VsStage(st) => {
            let vs_stage = &model[st];
            let mut out = vec![
                format!("in value stream {}", name(model, Element::Stream(vs_stage.stream))),
                plural(vs_stage.activities.len(), "activity", "activities"),
            ];
            let lean =
                state.snapshot.figures.as_ref().and_then(|f| f.lean.as_is.stages.get(st.index()));
            if let Some(lean) = lean.filter(|l| l.timed > 0) {
                let mut line =
                    format!("process {}, wait {}", duration(lean.process), duration(lean.wait));
                if let Some(e) = lean.flow_efficiency() {
                    let _ = write!(line, ", flow efficiency {}", percent(e));
                }
                out.push(line);
            }
            let mapped = model
                .journey_stages
                .iter()
                .filter(|j| j.maps_to.iter().any(|m| m.target == st))
                .count();
            out.push(format!("mapped to by {}", plural(mapped, "journey stage", "journey stages")));
            out
        }
        Element::Journey(j) => {
            let journey = &model[j];
            let mut out = Vec::new();
            let touchpoints: usize =
                journey.stages.iter().map(|&s| model[s].touchpoints.len()).sum();
            out.push(format!(
                "{}, {}",
                plural(journey.stages.len(), "stage", "stages"),
                plural(touchpoints, "touchpoint", "touchpoints")
            ));
            let coverage = state
                .snapshot
                .figures
                .as_ref()
                .and_then(|f| f.coverage.journeys.iter().find(|c| c.journey == j));
            if let Some(c) = coverage {
                out.push(format!(
                    "{} of touchpoints traced ({} of {}); {} of the mapped activities used",
                    percent(c.touchpoints.fraction()),
                    c.touchpoints.count,
                    c.touchpoints.total,
                    percent(c.activities.fraction())
                ));
            }
            out
        }
        Element::JourneyStage(s) => {
            let journey_stage = &model[s];
            let journey = Element::Journey(journey_stage.journey);
            let mut out = vec![format!("in journey {}", name(model, journey))];
            let touchpoints = &journey_stage.touchpoints;
            let gaps = touchpoints.iter().filter(|&&t| model[t].traces.is_empty()).count();
            out.push(plural(touchpoints.len(), "touchpoint", "touchpoints"));
            if gaps > 0 {
                out.push(format!("{} tracing to no activity", plural(gaps, "gap", "gaps")));
            }
            out
        }
        Element::Opportunity(t, i) => {
            let o = &model[t].opportunities[i];
            let mut out = vec![format!("on touchpoint {}", name(model, Element::Touchpoint(t)))];
            out.extend(o.quadrant().map(|q| q.title().to_owned()));
            out
        }
    }
}

fn activity(state: &State, a: ActivityId) -> Vec<String> {
    let model = &state.snapshot.model;
    let act = &model[a];
    let mut out = vec![format!("in stage {}", name(model, Element::VsStage(act.stage)))];
    if act.owner.is_none() {
        out.push("no owning team".to_owned());
    }
    let mut touchpoints: Vec<TouchpointId> = Vec::new();
    for &trace in &act.traced_by {
        let t = model[trace].touchpoint;
        if !touchpoints.contains(&t) {
            touchpoints.push(t);
        }
    }
    if touchpoints.is_empty() && !act.enabling {
        out.push("traced by no touchpoint: possible waste".to_owned());
    } else {
        let symbols: Vec<Element> = touchpoints.into_iter().map(Element::Touchpoint).collect();
        out.push(format!("traced by {}", counted(model, &symbols, "touchpoint", "touchpoints")));
    }
    out
}

fn touchpoint(model: &Model, t: TouchpointId) -> Vec<String> {
    let tp = &model[t];
    let mut out = vec![format!(
        "in journey {}, stage {}",
        name(model, Element::Journey(tp.journey)),
        name(model, Element::JourneyStage(tp.stage))
    )];
    let mut acts: Vec<ActivityId> = Vec::new();
    let mut teams: Vec<TeamId> = Vec::new();
    for &trace in &tp.traces {
        let a = model[trace].activity;
        if !acts.contains(&a) {
            acts.push(a);
        }
        if let Some(o) = model[a].owner {
            if !teams.contains(&o.target) {
                teams.push(o.target);
            }
        }
    }
    if acts.is_empty() {
        out.push("traces to no activity: a customer-experience gap".to_owned());
    } else {
        let symbols: Vec<Element> = teams.iter().map(|&t| Element::Team(t)).collect();
        if teams.len() >= 2 {
            out.push(format!(
                "served by {} teams (a hand-off): {}",
                teams.len(),
                listed(model, &symbols)
            ));
        } else if !teams.is_empty() {
            out.push(format!("served by {}", listed(model, &symbols)));
        }
    }
    out
}

fn team(model: &Model, t: TeamId) -> Vec<String> {
    let owned: Vec<ActivityId> =
        activities(model).filter(|&a| model[a].owner.is_some_and(|o| o.target == t)).collect();
    let capabilities =
        model.capabilities.iter().filter(|c| c.owner.is_some_and(|o| o.target == t)).count();
    let systems = model.systems.iter().filter(|s| s.owner.is_some_and(|o| o.target == t)).count();
    let mut served: Vec<TouchpointId> = Vec::new();
    for &a in &owned {
        for &trace in &model[a].traced_by {
            served.push(model[trace].touchpoint);
        }
    }
    served.sort_unstable();
    served.dedup();
    vec![
        format!(
            "owns {}, {}, {}",
            plural(owned.len(), "activity", "activities"),
            plural(capabilities, "capability", "capabilities"),
            plural(systems, "system", "systems")
        ),
        format!("serves {}", plural(served.len(), "touchpoint", "touchpoints")),
    ]
}

fn activities(model: &Model) -> impl Iterator<Item = ActivityId> {
    (0..model.activities.len()).map(|i| ActivityId(i as u32))
}

/// "Label (`id`)", or "`id`" when the label is the id.
fn name(model: &Model, symbol: Element) -> String {
    let meta = symbol.meta(model);
    let qualified = symbol.qualified(model);
    if meta.label == meta.id {
        format!("`{qualified}`")
    } else {
        format!("{} (`{qualified}`)", document(&meta.label))
    }
}

/// The first few elements, then how many more.
fn listed(model: &Model, symbols: &[Element]) -> String {
    let mut shown: Vec<String> = symbols.iter().take(LISTED).map(|&s| name(model, s)).collect();
    if symbols.len() > LISTED {
        shown.push(format!("and {} more", symbols.len() - LISTED));
    }
    shown.join(", ")
}

/// "3 touchpoints: a, b, c", or "no touchpoint".
fn counted(model: &Model, symbols: &[Element], one: &str, many: &str) -> String {
    if symbols.is_empty() {
        format!("no {one}")
    } else {
        format!("{}: {}", plural(symbols.len(), one, many), listed(model, symbols))
    }
}
