//! `journey fmt`: the one canonical layout of `.journey` files.
//!
//! The file is parsed, reduced to lines of canonical text ([`tree`]), and laid out
//! with its comments put back ([`print`]). Formatting never changes meaning, and
//! this is checked on every run rather than trusted: the output is parsed again and
//! must give the same syntax tree (spans aside) and the same comments, or the file
//! is left as it was.

mod comments;
mod print;
mod tree;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::FileId;
use crate::syntax;

/// Why a file was not formatted.
#[derive(Debug)]
pub enum Unformattable {
    /// It does not parse; the diagnostics say where.
    Syntax(Vec<Diagnostic>),
    /// The formatter would have changed its meaning or lost a comment: a bug in the
    /// formatter, reported rather than written.
    Internal(String),
}

/// The canonical text of a file.
pub fn format(file: FileId, text: &str) -> Result<String, Unformattable> {
    let (ast, diagnostics) = syntax::parse(file, text);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) || ast.lost {
        return Err(Unformattable::Syntax(diagnostics));
    }
    let found = comments::comments(text);
    let before: Vec<String> = found.iter().map(|c| c.text.clone()).collect();
    let out = print::print(text, &tree::file(&ast), found);

    let (again, problems) = syntax::parse(file, &out);
    if !problems.is_empty() {
        return Err(Unformattable::Internal("the formatted text does not parse".into()));
    }
    if without_spans(&format!("{:?}", again.decls)) != without_spans(&format!("{:?}", ast.decls)) {
        return Err(Unformattable::Internal("formatting would change the meaning".into()));
    }
    let after: Vec<String> = comments::comments(&out).into_iter().map(|c| c.text).collect();
    if after != before {
        return Err(Unformattable::Internal("formatting would move or lose a comment".into()));
    }
    Ok(out)
}

/// A syntax tree's debug text with every `Span { … }` reduced to `Span`, so that two
/// trees of the same text laid out differently compare equal.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { file: ") {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        rest = rest[at..].find(" }").map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out
}
