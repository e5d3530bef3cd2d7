//! `--format json`: one document, `{"diagnostics": [...]}`.

use super::{Streamed, json_document, written};
use crate::diagnostic::{Diagnostic, Label};
use crate::source::{Sources, Span};
use serde::Serialize;
use std::io;

#[derive(Serialize)]
#[serde(bound = "Streamed<I>: Serialize")]
struct Document<I> {
    diagnostics: Streamed<I>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    primary: bool,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// Byte offsets into the file, for tools that prefer them.
    start: u32,
    end: u32,
}

/// Renders diagnostics as a pretty-printed JSON document with a final newline.
pub fn json(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    written(|out| json_to(out, sources, diagnostics))
}

/// [`json`], written to `out` as it is made.
pub fn json_to<W: io::Write + ?Sized>(
    out: &mut W,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let document = Document {
        diagnostics: Streamed(diagnostics.iter().map(|d| {
            let at = sources.get(d.primary.span.file).line_col(d.primary.span.start);
            let mut labels = vec![label(sources, &d.primary, true)];
            labels.extend(d.secondary.iter().map(|l| label(sources, l, false)));
            JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: &d.message,
                file: sources.get(d.primary.span.file).display_path(),
                line: at.line,
                column: at.column,
                help: d.help.as_deref(),
                labels,
            }
        })),
    };
    json_document(out, &document)
}

fn label<'a>(sources: &Sources, l: &'a Label, primary: bool) -> JsonLabel<'a> {
    let Span { file, start, end } = l.span;
    let f = sources.get(file);
    let (from, to) = (f.line_col(start), f.line_col(end));
    JsonLabel {
        primary,
        message: &l.message,
        file: f.display_path(),
        line: from.line,
        column: from.column,
        end_line: to.line,
        end_column: to.column,
        start,
        end,
    }
}
