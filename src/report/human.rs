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
    super::written(|out| human_to(out, sources, diagnostics, style))
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
    // Enough chunks to keep both cores busy, few enough that little text waits.
    const BATCH: usize = 4 * CHUNK;
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

/// A file's lines around one diagnostic's labels, under the file's display name.
///
/// miette lays out whatever text `read_span` hands it, and pads each underline to
/// its column with a format width, which panics past column 65 535 (`u16::MAX`).
/// It also reads the context lines from the start of the text it is given, so a
/// report on a long line cost the whole line, once per label and per report, and
/// a file of one long line with many findings was quadratic. So it is handed an
/// excerpt instead: only the lines around the labels, and each long line cut down
/// to windows around the labels' ends, joined by `…`. The labels are moved into the
/// excerpt, and `read_span` gives the lines and columns they have in the file.
struct File<'s> {
    name: String,
    source: &'s SourceFile,
    excerpt: Excerpt,
}

/// A line longer than this many bytes is shown as windows around the labels.
const LONG_LINE: usize = 160;
/// Bytes of a long line shown on each side of a label's start and end.
const MARGIN: usize = 40;
/// A part of a label on a long line longer than this shows its two ends only.
const LONG_LABEL: usize = 2 * MARGIN;
/// Lines shown around each label: miette's one line of context and one spare, so
/// that its own scan finds the end of the context inside the excerpt.
const AROUND: usize = 2;
/// Labels this many lines apart or fewer are shown in one snippet, with the lines
/// between them, as miette shows them in a whole text; farther apart, each has a
/// snippet of its own, so a report never costs the lines between two far labels.
const JOIN: usize = 40;

/// The excerpt's text, made of runs of consecutive lines of the file.
struct Excerpt {
    text: String,
    runs: Vec<Run>,
    lines: Vec<ShownLine>,
}

/// Consecutive lines of the file, `text[at..end]` of the excerpt.
struct Run {
    at: usize,
    end: usize,
    /// The 0-based line of the file the run starts with.
    first_line: usize,
}

/// One line of the file in the excerpt: its parts that are shown, in order.
struct ShownLine {
    at: usize,
    line: usize,
    pieces: Vec<Piece>,
}

/// `text[at..at + to - from]` of the excerpt is `from..to` of the file.
#[derive(Clone, Copy)]
struct Piece {
    at: usize,
    from: usize,
    to: usize,
}

impl Excerpt {
    /// The lines of `f` around `spans` (byte ranges of the file).
    fn new(f: &SourceFile, spans: &[(usize, usize)]) -> Excerpt {
        let len = f.text.len();
        let spans: Vec<(usize, usize)> =
            spans.iter().map(|&(s, e)| (s.min(len), e.clamp(s.min(len), len))).collect();
        let last_line = f.line_index(len);
        let mut wanted: Vec<(usize, usize)> = spans
            .iter()
            .map(|&(s, e)| {
                (f.line_index(s).saturating_sub(AROUND), (f.line_index(e) + AROUND).min(last_line))
            })
            .collect();
        wanted.sort_unstable();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (first, last) in wanted {
            match runs.last_mut() {
                Some(run) if first <= run.1 + JOIN => run.1 = run.1.max(last),
                _ => runs.push((first, last)),
            }
        }
        let mut excerpt = Excerpt { text: String::new(), runs: Vec::new(), lines: Vec::new() };
        for (first, last) in runs {
            let at = excerpt.text.len();
            for line in first..=last {
                excerpt.push_line(f, line, &spans);
            }
            excerpt.runs.push(Run { at, end: excerpt.text.len(), first_line: first });
        }
        excerpt
    }

    fn push_line(&mut self, f: &SourceFile, line: usize, spans: &[(usize, usize)]) {
        let (start, next) = (f.line_start(line), f.line_start(line + 1));
        let whole = &f.text[start..next];
        let content = start + whole.trim_end_matches(['\n', '\r']).len();
        let mut shown: Vec<(usize, usize)> = Vec::new();
        if content - start <= LONG_LINE {
            shown.push((start, content));
        } else {
            // The windows: around each end of each label's part on this line, or
            // around the whole part when it is short.
            for &(s, e) in spans {
                if e < start || s > content || (e == start && s < start) {
                    continue;
                }
                let (s, e) = (s.max(start), e.min(content));
                let around = |a: usize, b: usize| {
                    (
                        floor(&f.text, a.saturating_sub(MARGIN).max(start)),
                        ceil(&f.text, (b + MARGIN).min(content)),
                    )
                };
                if e - s <= LONG_LABEL {
                    shown.push(around(s, e));
                } else {
                    shown.push(around(s, s));
                    shown.push(around(e, e));
                }
            }
            if shown.is_empty() {
                shown.push((start, ceil(&f.text, start + LONG_LINE / 2)));
            }
            shown.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(shown.len());
            for (a, b) in shown {
                match merged.last_mut() {
                    // A gap shorter than the ` … ` that would replace it is shown.
                    Some(last) if a <= last.1 + 5 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            shown = merged;
        }
        let mut pieces = Vec::with_capacity(shown.len() + 1);
        let at = self.text.len();
        for (i, &(from, to)) in shown.iter().enumerate() {
            if i > 0 {
                self.text.push_str(" … ");
            } else if from > start {
                self.text.push('…');
            }
            pieces.push(Piece { at: self.text.len(), from, to });
            self.text.push_str(&f.text[from..to]);
        }
        if shown.last().is_some_and(|&(_, to)| to < content) {
            self.text.push('…');
        }
        // The line break, as it is: miette reads lines by it.
        pieces.push(Piece { at: self.text.len(), from: content, to: next });
        self.text.push_str(&f.text[content..next]);
        self.lines.push(ShownLine { at, line, pieces });
    }

    /// Where a byte offset of the file is in the excerpt (the offset must be on a
    /// line of it; one left out of the windows goes to the nearest shown place).
    fn to_excerpt(&self, f: &SourceFile, offset: usize) -> usize {
        let line = f.line_index(offset);
        let Ok(i) = self.lines.binary_search_by_key(&line, |l| l.line) else {
            return 0;
        };
        let pieces = &self.lines[i].pieces;
        let at = pieces.partition_point(|p| p.to < offset).min(pieces.len() - 1);
        let p = pieces[at];
        p.at + offset.clamp(p.from, p.to) - p.from
    }

    /// The byte offset of the file an offset of the excerpt shows, with its line.
    fn to_file(&self, at: usize) -> (usize, usize) {
        let i = self.lines.partition_point(|l| l.at <= at).saturating_sub(1);
        let Some(line) = self.lines.get(i) else { return (0, 0) };
        let j = line.pieces.partition_point(|p| p.at <= at).saturating_sub(1);
        let p = line.pieces[j];
        (line.line, p.from + (at - p.at).min(p.to - p.from))
    }
}

/// The char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The char boundary at or after `at`.
fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for File<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let e = &self.excerpt;
        // A span across two runs would be drawn as if their lines followed each
        // other: refused, so miette draws the runs as separate snippets.
        let end = span.offset() + span.len();
        let run = e.runs.iter().find(|r| r.at <= span.offset() && end <= r.end);
        let run = run.ok_or(MietteError::OutOfBounds)?;
        let window = &e.text[run.at..run.end];
        let local = SourceSpan::new((span.offset() - run.at).into(), span.len());
        let c = window.read_span(&local, before, after)?;
        // The column of the span's start in the file, in bytes as miette counts it
        // (a window of a long line does not start at the line's start).
        let (line, offset) = e.to_file(span.offset());
        let column = offset - self.source.line_start(line);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new((c.span().offset() + run.at).into(), c.span().len()),
            c.line() + run.first_line,
            column,
            // miette's `line_count` is the number of line breaks from the start of the
            // text to the end of the context (it merges snippets by it), so it shifts too.
            c.line_count() + run.first_line,
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
        let here: Vec<_> = std::iter::once(&d.primary)
            .chain(d.secondary.iter().filter(|l| l.span.file == file_id))
            .collect();
        let file = shown_file(sources, file_id, &here.iter().map(|l| l.span).collect::<Vec<_>>());
        let labels = here
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let (message, span) = (Some(label.message.to_string()), file.to_miette(label.span));
                if i == 0 {
                    LabeledSpan::new_primary_with_span(message, span)
                } else {
                    LabeledSpan::new_with_span(message, span)
                }
            })
            .collect();
        let related = d
            .secondary
            .iter()
            .filter(|l| l.span.file != file_id)
            .map(|label| {
                let file = shown_file(sources, label.span.file, &[label.span]);
                Report {
                    message: label.message.to_string(),
                    code: "",
                    severity: Severity::Note,
                    help: None,
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(label.message.to_string()),
                        file.to_miette(label.span),
                    )],
                    file,
                    related: Vec::new(),
                }
            })
            .collect();
        Report {
            message: d.message.clone(),
            code: d.code.as_str(),
            severity: d.severity,
            help: d.help.as_deref().map(str::to_owned),
            file,
            labels,
            related,
        }
    }
}

/// The file `id` as one report shows it, around the spans of its labels there.
fn shown_file<'s>(sources: &'s Sources, id: FileId, spans: &[crate::source::Span]) -> File<'s> {
    let f = sources.get(id);
    let ranges: Vec<(usize, usize)> =
        spans.iter().map(|s| (s.start as usize, s.end as usize)).collect();
    File { name: f.display_path(), source: f, excerpt: Excerpt::new(f, &ranges) }
}

impl File<'_> {
    /// A span of the file as a span of the excerpt.
    fn to_miette(&self, span: crate::source::Span) -> SourceSpan {
        let start = self.excerpt.to_excerpt(self.source, span.start as usize);
        let end = self.excerpt.to_excerpt(self.source, span.end as usize).max(start);
        SourceSpan::new(start.into(), end - start)
    }
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

    /// Spans anywhere on long lines, of any length, across them, at their ends and
    /// between multi-byte characters: each is reported, without a panic, every
    /// line of the report short, and the header names the span's line.
    #[test]
    fn spans_on_long_lines_are_shown_as_windows() {
        let long = "é😀a ".repeat(20_000);
        let texts = [
            format!("{long}\n{long}\r\n{long}"),
            format!("short\n{long}\nshort\n"),
            format!("{long}\r{long}"),
            long.clone(),
        ];
        let style = Human { color: false, width: 80 };
        for text in &texts {
            let mut sources = Sources::new();
            let file = sources.add("a.journey", text.clone()).unwrap();
            let len = text.len();
            let at = |i: usize| {
                let mut i = i.min(len);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let mut spans = Vec::new();
            for &start in &[0, 1, 7, 70_000, len / 2, len - 3, len] {
                for &width in &[0, 1, 5, 100, 100_000, len] {
                    spans.push(Span::new(file, at(start), at(start + width)));
                }
            }
            for (i, &span) in spans.iter().enumerate() {
                let other = spans[(i * 7 + 3) % spans.len()];
                let d = Diagnostic::error(Code::Duplicate, "finding", Label::new(span, "here"))
                    .with_label(Label::new(other, "there"));
                let report = human(&sources, std::slice::from_ref(&d), style);
                let line = sources.get(file).line_col(span.start).line;
                assert!(report.contains(&format!("[a.journey:{line}:")), "{span:?}\n{report}");
                let longest = report.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                assert!(longest < 600, "{span:?}: a line of {longest} characters");
            }
        }
    }

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
