//! The traceability matrix as CSV (RFC 4180), for spreadsheets: a row per
//! touchpoint, a column per activity, an `x` where the touchpoint traces to it.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so
//! every text cell that could start like that is neutralised with a leading `'`
//! (OWASP's advice against CSV injection). Quoting is the `csv` crate's.

use super::{Input, Names};
use std::borrow::Cow;

/// The header of the columns before the activities.
pub const HEADER: [&str; 4] = ["journey", "stage", "touchpoint", "label"];

/// What marks a trace link in the matrix.
pub const MARK: &str = "x";

/// Renders the matrix: a header row (`journey,stage,touchpoint,label`, then the path
/// `stream.activity` of every activity in value-stream and stage order), then one
/// row per touchpoint in journey order: the journey's and the stage's labels, the
/// touchpoint's path and label, and `x` under each activity it traces to. Records
/// end with CRLF, as RFC 4180 asks.
///
/// # Panics
///
/// Never: the records are written into memory, and all have the same length.
pub fn matrix(input: Input<'_>) -> String {
    let model = &input.analysis.model;
    let names = Names::of(model);
    let mut column_of = vec![0usize; model.activities.len()];
    let mut header: Vec<Cow<'_, str>> = HEADER.iter().map(|&h| Cow::Borrowed(h)).collect();
    for stream in &model.streams {
        for &stage in &stream.stages {
            for &a in &model[stage].activities {
                column_of[a.index()] = header.len();
                header.push(neutralise(names.activity(a)));
            }
        }
    }
    let mut writer =
        ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(header.iter().map(|h| h.as_bytes())).expect("writing into memory");
    let mut row: Vec<Cow<'_, str>> = Vec::with_capacity(header.len());
    for journey in &model.journeys {
        for &stage in &journey.stages {
            for &t in &model[stage].touchpoints {
                let tp = &model[t];
                row.clear();
                row.push(neutralise(&journey.meta.label));
                row.push(neutralise(&model[stage].meta.label));
                row.push(neutralise(names.touchpoint(t)));
                row.push(neutralise(&tp.meta.label));
                row.resize(header.len(), Cow::Borrowed(""));
                for &trace in &tp.traces {
                    row[column_of[model[trace].activity.index()]] = Cow::Borrowed(MARK);
                }
                writer.write_record(row.iter().map(|c| c.as_bytes())).expect("writing into memory");
            }
        }
    }
    let bytes = writer.into_inner().expect("writing into memory");
    String::from_utf8(bytes).expect("the records are UTF-8 text")
}

/// A cell as a spreadsheet will show it: a leading `'` before a first character that
/// would start a formula (`=`, `+`, `-`, `@`, their full-width forms), or that
/// spreadsheets skip before one (tab, carriage return, NUL). The `'` shows in the
/// cell; it is the price of never running a formula from the sources.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\0' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}'
            | '\u{ff20}',
        ) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Submit claim"), "Submit claim");
        assert_eq!(neutralise(""), "");
    }
}
