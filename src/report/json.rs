//! `--format json`: one document, `{"diagnostics": [...]}`.

use crate::diagnostic::{Diagnostic, Label};
use crate::source::{Sources, Span};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
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
    let document = Document {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
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
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
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
