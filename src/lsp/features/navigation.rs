//! `textDocument/definition` and `textDocument/references`: from an id to its
//! declaration, and from an element to every place that names it (for an
//! activity, the `traces to` paths of the touchpoints that trace to it).

use super::diagnostics::location;
use crate::lsp::index::Occurrence;
use crate::lsp::state::State;
use lsp_types::{Location, Position, Uri};

/// The occurrence of an element under a cursor.
pub fn occurrence(state: &State, uri: &Uri, position: Position) -> Option<Occurrence> {
    let file = state.file(uri)?;
    let doc = state.doc(file);
    let offset = doc.lines.offset(&doc.text, position, state.encoding);
    state.snapshot.index.at(file, offset)
}

pub fn definition(state: &State, uri: &Uri, position: Position) -> Option<Location> {
    let found = occurrence(state, uri, position)?;
    location(state, found.symbol.meta(&state.snapshot.model).id_span)
}

pub fn references(
    state: &State,
    uri: &Uri,
    position: Position,
    declaration: bool,
) -> Vec<Location> {
    let Some(found) = occurrence(state, uri, position) else { return Vec::new() };
    let index = &state.snapshot.index;
    let declared = found.symbol.meta(&state.snapshot.model).id_span;
    declaration
        .then_some(declared)
        .into_iter()
        .chain(index.references(found.symbol).iter().copied())
        .filter_map(|span| location(state, span))
        .collect()
}
