//! `textDocument/documentSymbol` (the outline of a file) and `workspace/symbol`
//! (every element of the workspace, by id or label).

use super::diagnostics::{location, range};
use crate::lsp::state::State;
use crate::model::Element;
use crate::model::{Metric, Model};
use crate::source::FileId;
use lsp_types::{DocumentSymbol, SymbolInformation, SymbolKind};

/// How many workspace symbols one query returns at most.
const MAX_WORKSPACE_SYMBOLS: usize = 256;

/// The icon an element gets in outlines.
pub fn kind(symbol: Element) -> SymbolKind {
    match symbol {
        Element::Persona(_) => SymbolKind::INTERFACE,
        Element::Team(_) => SymbolKind::STRUCT,
        Element::System(_) => SymbolKind::MODULE,
        Element::Capability(_) => SymbolKind::CLASS,
        Element::Stream(_) | Element::Journey(_) => SymbolKind::NAMESPACE,
        Element::VsStage(_) | Element::JourneyStage(_) => SymbolKind::PACKAGE,
        Element::Activity(_) => SymbolKind::FUNCTION,
        Element::Touchpoint(_) => SymbolKind::EVENT,
        Element::Opportunity(..) => SymbolKind::CONSTANT,
    }
}

/// The outline of a file: its declarations, nested as written.
pub fn document(state: &State, file: FileId) -> Vec<DocumentSymbol> {
    let model = &state.snapshot.model;
    let mut top: Vec<Element> = Element::all(model)
        .filter(|s| {
            matches!(
                s,
                Element::Persona(_)
                    | Element::Team(_)
                    | Element::System(_)
                    | Element::Capability(_)
                    | Element::Stream(_)
                    | Element::Journey(_)
            ) && s.meta(model).span.file == file
        })
        .collect();
    top.sort_by_key(|s| s.meta(model).span.start);
    top.into_iter().map(|s| node(state, s)).collect()
}

fn node(state: &State, symbol: Element) -> DocumentSymbol {
    let model = &state.snapshot.model;
    let meta = symbol.meta(model);
    let mut children: Vec<DocumentSymbol> = match symbol {
        Element::Stream(s) => {
            model[s].stages.iter().map(|&st| node(state, Element::VsStage(st))).collect()
        }
        Element::VsStage(st) => {
            let vs_stage = &model[st];
            let mut out: Vec<DocumentSymbol> =
                vs_stage.activities.iter().map(|&a| node(state, Element::Activity(a))).collect();
            out.extend(vs_stage.metrics.iter().map(|m| metric(state, m)));
            out
        }
        Element::Journey(j) => {
            model[j].stages.iter().map(|&st| node(state, Element::JourneyStage(st))).collect()
        }
        Element::JourneyStage(st) => {
            model[st].touchpoints.iter().map(|&t| node(state, Element::Touchpoint(t))).collect()
        }
        Element::Touchpoint(t) => {
            let tp = &model[t];
            let mut out: Vec<DocumentSymbol> =
                tp.metrics.iter().map(|m| metric(state, m)).collect();
            out.extend(
                (0..tp.opportunities.len()).map(|i| node(state, Element::Opportunity(t, i))),
            );
            out
        }
        _ => Vec::new(),
    };
    children.sort_by_key(|c| (c.range.start.line, c.range.start.character));
    let full = range(state, meta.span);
    #[allow(deprecated)]
    DocumentSymbol {
        name: meta.id.clone(),
        detail: Some(detail(model, symbol)),
        kind: kind(symbol),
        tags: None,
        deprecated: None,
        range: full,
        selection_range: range(state, meta.id_span),
        children: (!children.is_empty()).then_some(children),
    }
}

fn metric(state: &State, m: &Metric) -> DocumentSymbol {
    let at = range(state, m.span);
    #[allow(deprecated)]
    DocumentSymbol {
        name: m.id.clone().unwrap_or_else(|| m.label.clone()),
        detail: Some(if m.id.as_deref() == Some(m.label.as_str()) || m.id.is_none() {
            "metric".to_owned()
        } else {
            format!("{} · metric", m.label)
        }),
        kind: SymbolKind::FIELD,
        tags: None,
        deprecated: None,
        range: at,
        selection_range: at,
        children: None,
    }
}

/// "Label · kind", or the kind alone when the label is the id.
fn detail(model: &Model, symbol: Element) -> String {
    let meta = symbol.meta(model);
    if meta.label == meta.id {
        symbol.kind_name().to_owned()
    } else {
        format!("{} · {}", meta.label, symbol.kind_name())
    }
}

/// The elements whose qualified id or label matches a query, best matches first.
pub fn workspace(state: &State, query: &str) -> Vec<SymbolInformation> {
    let model = &state.snapshot.model;
    let query = query.to_lowercase();
    let mut found: Vec<(u8, String, Element)> = Element::all(model)
        .filter_map(|s| {
            let meta = s.meta(model);
            let qualified = s.qualified(model);
            let score = score(
                &query,
                &meta.id.to_lowercase(),
                &qualified.to_lowercase(),
                &meta.label.to_lowercase(),
            )?;
            Some((score, qualified, s))
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    found
        .into_iter()
        .take(MAX_WORKSPACE_SYMBOLS)
        .filter_map(|(_, qualified, s)| {
            let meta = s.meta(model);
            let container = qualified.rsplit_once('.').map(|(c, _)| c.to_owned());
            #[allow(deprecated)]
            Some(SymbolInformation {
                name: meta.id.clone(),
                kind: kind(s),
                tags: None,
                deprecated: None,
                location: location(state, meta.id_span)?,
                container_name: container,
            })
        })
        .collect()
}

/// How well a query matches: lower is better, `None` is no match.
fn score(query: &str, id: &str, qualified: &str, label: &str) -> Option<u8> {
    if query.is_empty() || id == query {
        Some(0)
    } else if id.starts_with(query) {
        Some(1)
    } else if qualified.contains(query) || label.contains(query) {
        Some(2)
    } else if subsequence(query, qualified) {
        Some(3)
    } else {
        None
    }
}

/// Whether the query's characters appear in order in the text.
pub fn subsequence(query: &str, text: &str) -> bool {
    let mut rest = text.chars();
    query.chars().all(|q| rest.any(|c| c == q))
}
