//! Measurements (spec §5c): CSV files of measured kpi values, each row naming a kpi
//! or metric by its path, that replace the `current` values written in the source.
//!
//! The files are in [`Sources`] as [`FileKind::Measurements`], so that every
//! diagnostic about them points into the CSV text, with a line, a column and a
//! snippet, like any other. [`apply`] runs on a built model, before the checks,
//! so `journey::kpi-missed` judges the measured values. The format and its rules
//! are in `docs/measurements.md`.
//!
//! The `csv` crate reads the records. A small scanner beside it finds where each
//! field is in the text, which the crate does not say, and refuses quoting that the
//! crate would silently accept (an unterminated quote swallows the rest of the
//! file; text after a closing quote is glued to the field), so that what is read
//! is what the file says.

use super::kpi::{Measure, Measured, Reading};
use super::names::suggest;
use super::{Model, TouchpointId, VsStageId};
use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::{FileId, FileKind, Sources, Span};
use crate::syntax::typed::{Role, read};
use crate::syntax::vocabulary::TIME_UNITS;
use rustc_hash::FxHashMap;
use std::ops::Range;

/// Replaces the `current` value of every kpi and metric that the measurements files
/// of `sources` name, and returns the problems found in them.
///
/// For each kpi the row with the latest date wins; of rows with the same date (or
/// none), the last one, in the order the files were given. A row without a date
/// counts as older than any dated row.
pub fn apply(model: &mut Model, sources: &Sources) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut rows = Vec::new();
    for (id, file) in sources.iter().filter(|(_, f)| f.kind == FileKind::Measurements) {
        rows.extend(rows_of(id, &file.text, &mut diagnostics));
    }
    if rows.is_empty() {
        return diagnostics;
    }
    let table = Table::of(model);
    let mut latest: FxHashMap<Place, Row> = FxHashMap::default();
    for row in rows {
        let Some(&place) = table.places.get(row.kpi.as_str()) else {
            // A kpi lost to a syntax error (already reported) is not unknown.
            if !model.damage.lost_declarations {
                diagnostics.push(table.unresolved(&row));
            }
            continue;
        };
        // Rows come in file and row order, so a later row of the same date wins.
        match latest.get(&place) {
            Some(kept) if kept.date > row.date => {}
            _ => {
                latest.insert(place, row);
            }
        }
    }
    for (place, row) in latest {
        let metric = match place {
            Place::Stage(stage, i) => &mut model.vs_stages[stage.index()].metrics[i],
            Place::Touchpoint(touchpoint, i) => {
                &mut model.touchpoints[touchpoint.index()].metrics[i]
            }
        };
        metric.current = Some(Reading {
            written: row.written,
            measure: Some(row.measure),
            // A measured value is never "written bare": a unit that cannot be
            // compared with the target leaves the kpi unchecked, as for a string.
            bare: false,
            span: row.value_span,
            measured: Some(Measured { date: row.date }),
        });
    }
    diagnostics
}

/// The columns a measurements file must name, and the optional one.
const KPI: &str = "kpi";
const VALUE: &str = "value";
const DATE: &str = "date";

/// How every "missing column" help shows a valid header.
const HEADER_HELP: &str = "the first line names the columns, in any order: `kpi,value,date` \
                           (`date` is optional; other columns are ignored)";

/// How a kpi's path is written.
const PATH_HELP: &str = "name a kpi as `journey.stage.touchpoint.kpi_id` or a metric as \
                         `value_stream.stage.metric_id` (a kpi without an id cannot be measured)";

/// One valid row: a kpi path, its typed value and its date.
#[derive(Debug)]
struct Row {
    kpi: String,
    kpi_span: Span,
    written: String,
    measure: Measure,
    value_span: Span,
    date: Option<String>,
}

/// Where a kpi or metric is in the model: its element and its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Place {
    Stage(VsStageId, usize),
    Touchpoint(TouchpointId, usize),
}

/// Every kpi and metric with an id, by path, and the paths in source order for
/// did-you-mean.
struct Table {
    places: FxHashMap<String, Place>,
    in_order: Vec<String>,
}

impl Table {
    fn of(model: &Model) -> Table {
        let mut in_order = Vec::new();
        let mut places = FxHashMap::default();
        let mut add = |path: String, place: Place| {
            in_order.push(path.clone());
            places.insert(path, place);
        };
        for (i, stage) in model.vs_stages.iter().enumerate() {
            let owner = format!("{}.{}", model[stage.stream].meta.id, stage.meta.id);
            for (m, metric) in stage.metrics.iter().enumerate() {
                if let Some(id) = &metric.id {
                    add(format!("{owner}.{id}"), Place::Stage(VsStageId(i as u32), m));
                }
            }
        }
        for (i, touchpoint) in model.touchpoints.iter().enumerate() {
            if touchpoint.metrics.iter().all(|m| m.id.is_none()) {
                continue;
            }
            let owner = format!(
                "{}.{}.{}",
                model[touchpoint.journey].meta.id,
                model[touchpoint.stage].meta.id,
                touchpoint.meta.id
            );
            for (m, metric) in touchpoint.metrics.iter().enumerate() {
                if let Some(id) = &metric.id {
                    add(format!("{owner}.{id}"), Place::Touchpoint(TouchpointId(i as u32), m));
                }
            }
        }
        Table { places, in_order }
    }

    fn unresolved(&self, row: &Row) -> Diagnostic {
        let prefix = format!("{}.", row.kpi);
        let below: Vec<String> = self
            .in_order
            .iter()
            .filter(|p| p.starts_with(&prefix))
            .take(5)
            .map(|p| format!("`{p}`"))
            .collect();
        let help = match suggest(&row.kpi, self.in_order.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            // The path of an element that has kpis: name one of them.
            None if !below.is_empty() => {
                format!("`{}` holds kpis; name one of them: {}", row.kpi, below.join(", "))
            }
            None => PATH_HELP.to_owned(),
        };
        Diagnostic::error(
            Code::Unresolved,
            format!("no kpi or metric has the path `{}`", row.kpi),
            Label::new(row.kpi_span, "no such kpi or metric"),
        )
        .with_help(help)
    }

    /// A row whose `kpi` cell is empty.
    fn unnamed(span: Span) -> Diagnostic {
        Diagnostic::error(
            Code::Unresolved,
            "this row names no kpi or metric",
            Label::new(span, "expected the path of a kpi or metric"),
        )
        .with_help(PATH_HELP)
    }
}

/// The valid rows of one file, reporting every problem in it.
fn rows_of(file: FileId, text: &str, out: &mut Vec<Diagnostic>) -> Vec<Row> {
    let span = |range: Range<usize>| Span::new(file, range.start, range.end);
    if let Some(problem) = quoting(text) {
        out.push(problem.diagnostic(span));
        return Vec::new();
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let Some(header) = records.next() else {
        out.push(
            Diagnostic::error(
                Code::InvalidValue,
                "this measurements file is empty: it has no header",
                Label::new(span(0..0), "expected a header such as `kpi,value,date`"),
            )
            .with_help(HEADER_HELP),
        );
        return Vec::new();
    };
    // The first record sets the number of fields: it cannot be unequal.
    let Ok(header) = header else { return Vec::new() };
    let header_start = header.position().map_or(0, |p| p.byte() as usize);
    let header_fields = fields(text, header_start);
    let Some(columns) = Columns::of(&header, &header_fields, span, out) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(record) => {
                let start = record.position().map_or(0, |p| p.byte() as usize);
                if let Some(row) = columns.row(&record, &fields(text, start), span, out) {
                    rows.push(row);
                }
            }
            Err(e) => out.push(malformed(text, &e, header_fields.len(), span)),
        }
    }
    rows
}

/// Where the columns are in each record.
struct Columns {
    kpi: usize,
    value: usize,
    date: Option<usize>,
}

impl Columns {
    /// The columns the header names, or `None` (reported) when `kpi` or `value` is
    /// missing or a column is named twice.
    fn of(
        header: &csv::StringRecord,
        places: &[Range<usize>],
        span: impl Fn(Range<usize>) -> Span,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Columns> {
        let place = |i: usize| places.get(i).cloned().unwrap_or(0..0);
        let mut found: [Option<usize>; 3] = [None; 3];
        let mut ok = true;
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            let Some(which) = [KPI, VALUE, DATE].iter().position(|c| name.eq_ignore_ascii_case(c))
            else {
                continue;
            };
            if let Some(first) = found[which] {
                ok = false;
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("the column `{name}` is named twice"),
                        Label::new(span(place(i)), "named again here"),
                    )
                    .with_label(Label::new(span(place(first)), "first named here"))
                    .with_help("name each column once; remove or rename one of them"),
                );
            } else {
                found[which] = Some(i);
            }
        }
        let missing: Vec<String> = [KPI, VALUE]
            .iter()
            .zip(found)
            .filter(|(_, f)| f.is_none())
            .map(|(c, _)| format!("`{c}`"))
            .collect();
        if !missing.is_empty() {
            let line = places.first().map_or(0, |f| f.start)..places.last().map_or(0, |f| f.end);
            let (what, them) =
                if missing.len() == 1 { ("column", "it") } else { ("columns", "them") };
            out.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("the header has no {} {what}", missing.join(" or ")),
                    Label::new(span(line), format!("add {them} to this header")),
                )
                .with_help(HEADER_HELP),
            );
            return None;
        }
        let [Some(kpi), Some(value), date] = found else { return None };
        ok.then_some(Columns { kpi, value, date })
    }

    /// A record as a row, or `None` when it is blank or (reported) invalid.
    fn row(
        &self,
        record: &csv::StringRecord,
        places: &[Range<usize>],
        span: impl Fn(Range<usize>) -> Span,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Row> {
        if record.iter().all(|f| f.trim().is_empty()) {
            return None;
        }
        let cell = |i: usize| {
            (record.get(i).unwrap_or("").trim(), span(places.get(i).cloned().unwrap_or(0..0)))
        };
        let (kpi, kpi_span) = cell(self.kpi);
        let (value, value_span) = cell(self.value);
        let measure = read(value, Role::Current, value_span).map(|t| Measure::of(&t));
        if measure.is_none() {
            out.push(not_typed(value, value_span));
        }
        let mut dated = true;
        let date = match self.date.map(cell) {
            Some((date, date_span)) if !date.is_empty() => {
                dated = is_date(date);
                if !dated {
                    out.push(not_a_date(date, date_span));
                }
                Some(date.to_owned())
            }
            _ => None,
        };
        if kpi.is_empty() {
            out.push(Table::unnamed(kpi_span));
            return None;
        }
        Some(Row {
            kpi: kpi.to_owned(),
            kpi_span,
            written: value.to_owned(),
            measure: measure.filter(|_| dated)?,
            value_span,
            date,
        })
    }
}

fn not_typed(value: &str, span: Span) -> Diagnostic {
    let message = if value.is_empty() {
        "this row has no value".to_owned()
    } else {
        format!("`{value}` is not a typed value")
    };
    Diagnostic::error(
        Code::InvalidValue,
        message,
        Label::new(span, "expected a number, with a unit or `%`"),
    )
    .with_help(format!(
        "write a plain number (`4.2`), a percentage (`93%`) or a duration with one of \
         the units {} (`17 min`)",
        TIME_UNITS.map(|u| format!("`{u}`")).join(", ")
    ))
}

fn not_a_date(date: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidValue,
        format!("`{date}` is not a date"),
        Label::new(span, "expected a date as YYYY-MM-DD"),
    )
    .with_help(
        "write the date as year, month and day, such as `2026-03-31`, or leave the cell \
         empty for a row without a date",
    )
}

/// Whether `text` is a real date written `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let number = |r: Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A record that the `csv` crate refused: one with more or fewer fields than the
/// header (the quoting was checked before).
fn malformed(
    text: &str,
    error: &csv::Error,
    expected: usize,
    span: impl Fn(Range<usize>) -> Span,
) -> Diagnostic {
    let (start, found) = match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, len, .. } => {
            (pos.as_ref().map_or(0, |p| p.byte() as usize), Some(*len as usize))
        }
        _ => (error.position().map_or(0, |p| p.byte() as usize), None),
    };
    let end = start + text[start..].find(['\r', '\n']).unwrap_or(text.len() - start);
    let (message, label) = match found {
        Some(found) => (
            format!(
                "this row has {}, but the header has {expected}",
                crate::text::plural(found, "field", "fields")
            ),
            if found < expected { "too few fields" } else { "too many fields" },
        ),
        None => (format!("this row cannot be read: {error}"), "cannot be read"),
    };
    Diagnostic::error(Code::Syntax, message, Label::new(span(start..end), label)).with_help(
        "give every row one field per column of the header, separated by commas; enclose a \
         field that holds a comma in double quotes",
    )
}

/// A quoting problem, at a byte range of the text.
struct Quoting {
    place: Range<usize>,
    message: &'static str,
    label: &'static str,
    help: &'static str,
}

impl Quoting {
    fn diagnostic(&self, span: impl Fn(Range<usize>) -> Span) -> Diagnostic {
        Diagnostic::error(
            Code::Syntax,
            self.message,
            Label::new(span(self.place.clone()), self.label),
        )
        .with_help(self.help)
    }
}

/// The first quoting problem of a text, as RFC 4180 has it: a quote may only open a
/// field, close it before a comma or the end of a line, or be doubled inside it.
fn quoting(text: &str) -> Option<Quoting> {
    let b = text.as_bytes();
    // A byte-order mark, which spreadsheets write, is not part of the first field.
    let mut i = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut at_field_start = true;
    while i < b.len() {
        match b[i] {
            b'"' if at_field_start => {
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => {
                            return Some(Quoting {
                                place: open..open + 1,
                                message: "this quote is never closed",
                                label: "opened here",
                                help: "close the field with a double quote; a double quote \
                                       inside a quoted field is written twice (`\"\"`)",
                            });
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
                if !matches!(b.get(i), None | Some(b',' | b'\n' | b'\r')) {
                    let end = i + text[i..].chars().next().map_or(0, char::len_utf8);
                    return Some(Quoting {
                        place: i..end,
                        message: "text follows the closing quote of a field",
                        label: "expected a comma or the end of the line",
                        help: "put the whole field inside the quotes; a double quote inside \
                               a quoted field is written twice (`\"\"`)",
                    });
                }
                at_field_start = false;
            }
            b'"' => {
                return Some(Quoting {
                    place: i..i + 1,
                    message: "a double quote inside a field that does not start with one",
                    label: "unexpected quote",
                    help: "enclose the whole field in double quotes and write this quote \
                           twice (`\"\"`)",
                });
            }
            b',' | b'\n' | b'\r' => {
                at_field_start = true;
                i += 1;
            }
            b' ' | b'\t' if at_field_start => i += 1,
            _ => {
                at_field_start = false;
                i += 1;
            }
        }
    }
    None
}

/// The places of the fields of the record that starts at byte `start`, each
/// without the spaces around it. The text's quoting is valid ([`quoting`]).
fn fields(text: &str, start: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    // The crate may place a record after `\r\n` at its `\n`, and the first one
    // before a byte-order mark, which it skips.
    let mut start = start;
    while matches!(b.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    if start == 0 && text.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
    }
    let mut out = Vec::new();
    let mut field = start;
    let mut quoted = false;
    let mut i = start;
    loop {
        let end = match b.get(i) {
            None => true,
            Some(b'"') => {
                if quoted && b.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = !quoted;
                }
                false
            }
            Some(b',' | b'\n' | b'\r') if !quoted => true,
            Some(_) => false,
        };
        if end {
            out.push(trim(text, field..i));
            if b.get(i) != Some(&b',') {
                return out;
            }
            field = i + 1;
        }
        i += 1;
    }
}

/// A range without the spaces and tabs at either end.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start_matches([' ', '\t']).len());
    let end = range.end - (slice.len() - slice.trim_end_matches([' ', '\t']).len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        for good in ["2026-03-31", "2024-02-29", "2000-02-29", "1999-12-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in ["2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31"] {
            assert!(!is_date(bad), "{bad}");
        }
        for bad in ["2026-3-31", "26-03-31", "2026/03/31", "2026-03-31 ", "２０２６-03-31", ""]
        {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn fields_are_found_without_their_spaces() {
        let text = "a, \"b,\"\"c\" ,,d\r\nnext";
        let places: Vec<&str> = fields(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(places, ["a", "\"b,\"\"c\"", "", "d"]);
        // A record placed at the `\n` of a `\r\n`.
        assert_eq!(fields(text, 15).into_iter().map(|r| &text[r]).collect::<Vec<_>>(), ["next"]);
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let at = |text: &str| quoting(text).map(|q| q.place.start);
        assert_eq!(at("a,\"b\"\"c\",d\n\"e\nf\"\n"), None);
        assert_eq!(at("a,\"b\nc"), Some(2));
        assert_eq!(at("a,\"b\"c"), Some(5));
        assert_eq!(at("a,b\"c"), Some(3));
        // Spaces may stand before an opening quote; a byte-order mark too.
        assert_eq!(at("\u{feff}\"kpi\", \"value\""), None);
    }
}
