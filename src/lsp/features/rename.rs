//! `textDocument/prepareRename` and `textDocument/rename`: an element's id changed
//! in its declaration and everywhere it is named, across files. For a path
//! `stream.activity` only the part that names the element changes.

use super::diagnostics::range;
use super::navigation::occurrence;
use crate::lsp::state::State;
use crate::model::Element;
use crate::model::Model;
use crate::syntax::lex;
use crate::text::article;
use lsp_types::{Position, PrepareRenameResponse, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

pub fn prepare(state: &State, uri: &Uri, position: Position) -> Option<PrepareRenameResponse> {
    let found = occurrence(state, uri, position)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: range(state, found.span),
        placeholder: found.symbol.meta(&state.snapshot.model).id.clone(),
    })
}

/// Why a rename is refused; its words are what the editor shows.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("nothing to rename here: put the cursor on the id of an element")]
    Nothing,
    #[error(
        "`{0}` is not a valid id: an id starts with a letter or `_` and goes on with letters, digits, `_` and `-`"
    )]
    InvalidId(String),
    #[error("`{new}` is already the id of {other}")]
    Taken { new: String, other: String },
    #[error(
        "another value stream has {what} `{new}`, so the bare references to `{old}` would become ambiguous; qualify them first (`stream.{old}`)"
    )]
    Ambiguous { what: String, new: String, old: String },
}

/// The edits of a rename, or why it is refused.
// `WorkspaceEdit` keys its edits by `Uri`, whose parsed form caches data inside;
// the keys are never changed while in the map.
#[allow(clippy::mutable_key_type)]
pub fn rename(
    state: &State,
    uri: &Uri,
    position: Position,
    new: &str,
) -> Result<WorkspaceEdit, Refused> {
    let found = occurrence(state, uri, position).ok_or(Refused::Nothing)?;
    if !lex::is_ident(new) {
        return Err(Refused::InvalidId(new.to_owned()));
    }
    let model = &state.snapshot.model;
    let symbol = found.symbol;
    let old = &symbol.meta(model).id;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    if old == new {
        return Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() });
    }
    if let Some(other) = clash(model, symbol, new) {
        return Err(Refused::Taken { new: new.to_owned(), other });
    }
    let references = state.snapshot.index.references(symbol);
    if matches!(symbol, Element::Activity(_) | Element::VsStage(_)) {
        let bare = references.iter().any(|span| {
            let text = &state.doc(span.file).text;
            !text[..span.start as usize].ends_with('.')
        });
        if bare && member_elsewhere(model, symbol, new) {
            return Err(Refused::Ambiguous {
                what: article(symbol.kind_name()),
                new: new.to_owned(),
                old: old.clone(),
            });
        }
    }
    let declared = symbol.meta(model).id_span;
    for &span in std::iter::once(&declared).chain(references) {
        let doc = state.doc(span.file);
        changes
            .entry(doc.uri.clone())
            .or_default()
            .push(TextEdit { range: range(state, span), new_text: new.to_owned() });
    }
    Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// The element that already has the new id where ids must be unique.
fn clash(model: &Model, symbol: Element, new: &str) -> Option<String> {
    let what = symbol.kind_name();
    let found = match symbol {
        Element::Persona(_) => taken(new, model.personas.iter().map(|e| &e.meta.id)),
        Element::Team(_) => taken(new, model.teams.iter().map(|e| &e.meta.id)),
        Element::System(_) => taken(new, model.systems.iter().map(|e| &e.meta.id)),
        Element::Capability(_) => taken(new, model.capabilities.iter().map(|e| &e.meta.id)),
        Element::Stream(_) => taken(new, model.streams.iter().map(|e| &e.meta.id)),
        Element::Journey(_) => taken(new, model.journeys.iter().map(|e| &e.meta.id)),
        Element::VsStage(s) => {
            taken(new, model[model[s].stream].stages.iter().map(|&st| &model[st].meta.id))
        }
        Element::Activity(a) => {
            let stream = &model[model[a].stream];
            taken(
                new,
                stream
                    .stages
                    .iter()
                    .flat_map(|&st| model[st].activities.iter())
                    .map(|&x| &model[x].meta.id),
            )
        }
        Element::JourneyStage(s) => {
            taken(new, model[model[s].journey].stages.iter().map(|&st| &model[st].meta.id))
        }
        Element::Touchpoint(t) => {
            taken(new, model[model[t].stage].touchpoints.iter().map(|&x| &model[x].meta.id))
        }
        Element::Opportunity(t, _) => taken(new, model[t].opportunities.iter().map(|o| &o.meta.id)),
    };
    let scope = match symbol {
        Element::VsStage(_) | Element::Activity(_) => " in this value stream",
        Element::JourneyStage(_) => " in this journey",
        Element::Touchpoint(_) => " in this stage",
        Element::Opportunity(..) => " of this touchpoint",
        _ => "",
    };
    found.then(|| format!("{}{scope}", article(what)))
}

/// Whether another value stream has a stage or activity (as `symbol` is) called `new`.
fn member_elsewhere(model: &Model, symbol: Element, new: &str) -> bool {
    match symbol {
        Element::Activity(a) => {
            model.activities.iter().any(|x| x.stream != model[a].stream && x.meta.id == new)
        }
        Element::VsStage(s) => {
            model.vs_stages.iter().any(|x| x.stream != model[s].stream && x.meta.id == new)
        }
        _ => false,
    }
}

fn taken<'m>(new: &str, mut ids: impl Iterator<Item = &'m String>) -> bool {
    ids.any(|id| id == new)
}
