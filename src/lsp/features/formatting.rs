//! `textDocument/formatting`: the layout of `journey fmt`, as one edit.

use crate::fmt::{self, Unformattable};
use crate::lsp::state::State;
use crate::source::FileId;
use lsp_types::{Range, TextEdit};

/// The formatter failed on a file that parses: a bug, shown to the client.
#[derive(Debug, thiserror::Error)]
#[error("not formatted: {0}")]
pub struct NotFormatted(String);

/// The edits that give a file its canonical layout: none when it already has it.
/// A file that does not parse is left alone (its diagnostics say why); a formatter
/// failure is an error for the client to show.
pub fn format(state: &State, file: FileId) -> Result<Vec<TextEdit>, NotFormatted> {
    let doc = state.doc(file);
    match fmt::format(file, &doc.text) {
        Ok(text) if text == *doc.text => Ok(Vec::new()),
        Ok(text) => {
            let end = doc.lines.end(&doc.text, state.encoding);
            Ok(vec![TextEdit {
                range: Range::new(lsp_types::Position::new(0, 0), end),
                new_text: text,
            }])
        }
        Err(Unformattable::Syntax(_)) => Ok(Vec::new()),
        Err(Unformattable::Internal(message)) => Err(NotFormatted(message)),
    }
}
