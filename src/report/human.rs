//! miette's graphical report, with the file name and a source snippet.

use crate::diagnostic::{self, Severity};
use crate::source::{FileId, SourceFile, Sources};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;
use std::fmt;
use std::io;

/// How to draw the report.
#[derive(Clone, Copy, Debug)]
pub struct Human {
    pub color: bool,
    /// Columns to wrap at.
    pub width: usize,
}

/// Renders every diagnostic as miette's graphical report, one after another.
pub fn human(sources: &Sources, diagnostics: &[diagnostic::Diagnostic], style: Human) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the reports are UTF-8.
    let _ = human_to(&mut out, sources, diagnostics, style);
    String::from_utf8(out).unwrap_or_default()
}

/// Renders every diagnostic as miette's graphical report into `out`.
///
/// Rendering is most of the time `journey check` spends on a large workspace with
/// many findings (tens of thousands of hand-off notes), and each report is
/// independent, so chunks are rendered in parallel and written in order: the text
/// is the same as a sequential loop's, whatever the scheduling. It is written a
/// batch of chunks at a time, so a report of hundreds of megabytes is never held
/// whole in memory.
pub fn human_to(
    out: &mut impl io::Write,
    sources: &Sources,
    diagnostics: &[diagnostic::Diagnostic],
    style: Human,
) -> io::Result<()> {
    const CHUNK: usize = 256;
    const BATCH: usize = 16 * CHUNK;
    // Source text reaches a terminal here: messages, file names and source lines are
    // shown as the text policy says (pictures in the lines, so columns stay right).
    // Borrowed, nothing copied, unless something needs showing so.
    let shown = crate::text::terminal::Shown::of(sources, diagnostics);
    let (sources, diagnostics) = (&*shown.sources, &*shown.diagnostics);
    let render = |chunk: &[diagnostic::Diagnostic]| {
        let handler = handler(style);
        let mut text = String::new();
        for d in chunk {
            let report = Report::new(sources, d);
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut text, &report);
            text.push('\n');
        }
        text
    };
    // One chunk is rendered on this thread: a small report never starts rayon.
    if diagnostics.len() <= CHUNK {
        return out.write_all(render(diagnostics).as_bytes());
    }
    for batch in diagnostics.chunks(BATCH) {
        let chunks: Vec<String> = batch.par_chunks(CHUNK).map(render).collect();
        for text in chunks {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

fn handler(style: Human) -> GraphicalReportHandler {
    let theme =
        if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        // Break lines at spaces only: ids such as `take-payment` stay whole, and
        // Unicode line breaking was a tenth of rendering a large report.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_links(false)
        .without_syntax_highlighting()
}

/// A file's text under its display name, without copying the text.
struct File<'s> {
    name: String,
    source: &'s SourceFile,
}

impl SourceCode for File<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette counts lines by scanning the text from its start, which made many
        // reports in one large file quadratic. Hand it only the lines around the span
        // (one spare on each side), then shift what it found back into the file.
        let f = self.source;
        let first = f.line_index(span.offset()).saturating_sub(before + 1);
        let last = f.line_index(span.offset() + span.len()) + after + 2;
        let (from, to) = (f.line_start(first), f.line_start(last));
        let window = f.text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let c = window.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new((c.span().offset() + from).into(), c.span().len()),
            c.line() + first,
            c.column(),
            // miette's `line_count` is the number of line breaks from the start of the
            // text to the end of the context (it merges snippets by it), so it shifts too.
            c.line_count() + first,
        )))
    }
}

/// One diagnostic as miette sees it. Labels in other files than the primary one
/// become related reports, each with its own file.
struct Report<'s> {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    file: File<'s>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'s>>,
}

impl<'s> Report<'s> {
    fn new(sources: &'s Sources, d: &diagnostic::Diagnostic) -> Self {
        let file_id = d.primary.span.file;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(d.primary.message.clone()),
            to_miette(d.primary.span),
        )];
        let mut related = Vec::new();
        for label in &d.secondary {
            if label.span.file == file_id {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    to_miette(label.span),
                ));
            } else {
                related.push(Report {
                    message: label.message.clone(),
                    code: "",
                    severity: Severity::Note,
                    help: None,
                    file: file(sources, label.span.file),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(label.message.clone()),
                        to_miette(label.span),
                    )],
                    related: Vec::new(),
                });
            }
        }
        Report {
            message: d.message.clone(),
            code: d.code.as_str(),
            severity: d.severity,
            help: d.help.clone(),
            file: file(sources, file_id),
            labels,
            related,
        }
    }
}

fn file(sources: &Sources, id: FileId) -> File<'_> {
    let f = sources.get(id);
    File { name: f.display_path(), source: f }
}

fn to_miette(span: crate::source::Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic, Label};
    use crate::source::Span;

    #[test]
    fn a_report_in_batches_is_the_reports_one_after_another() {
        let mut sources = Sources::new();
        let text = (0..50).fold(String::new(), |text, i| text + &format!("team t{i}\n"));
        let file = sources.add("a.journey", text.clone()).unwrap();
        // More than one batch, and a last batch that is not full.
        let diagnostics: Vec<_> = (0..4_500)
            .map(|i| {
                let line = i % 50;
                let start = text.find(&format!("t{line}\n")).unwrap();
                let span = Span::new(file, start, start + format!("t{line}").len());
                Diagnostic::error(Code::Duplicate, format!("finding {i}"), Label::new(span, "here"))
            })
            .collect();
        let style = Human { color: false, width: 80 };
        let one_by_one: String =
            diagnostics.iter().map(|d| human(&sources, std::slice::from_ref(d), style)).collect();
        assert_eq!(human(&sources, &diagnostics, style), one_by_one);
        assert!(
            one_by_one.find("finding 4499").unwrap() > one_by_one.find("finding 4498").unwrap()
        );
    }
}
