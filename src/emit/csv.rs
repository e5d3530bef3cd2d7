//! The traceability matrix as CSV (RFC 4180), for spreadsheets: a row per
//! touchpoint, a column per activity, an `x` where the touchpoint traces to it.
//!
//! An activity's column is headed by its label, then its path in parentheses
//! (`Capture claim data (deliver_policy.capture)`): the label is what a reader
//! looks for, the path keeps the header unique and says where the activity is. It is
//! one header row, not a second row of labels, since spreadsheets' filters and
//! tools such as pandas read every row after the first as data.
//!
//! Every text cell is written by [`text::csv::cell`]: a cell that a spreadsheet
//! would run as a formula is neutralised with a leading `'`, and control characters
//! are shown as escapes. Quoting is the `csv` crate's.

use super::{Input, Names};
use crate::text;
use std::borrow::Cow;

/// The header of the columns before the activities.
pub const HEADER: [&str; 4] = ["journey", "stage", "touchpoint", "label"];

/// What marks a trace link in the matrix.
pub const MARK: &str = "x";

/// Renders the matrix: a header row (`journey,stage,touchpoint,label`, then
/// [`activity_header`] of every activity in value-stream and stage order), then one
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
                let label = &model[a].meta.label;
                header.push(Cow::Owned(activity_header(label, names.activity(a))));
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
                row.push(text::csv::cell(&journey.meta.label));
                row.push(text::csv::cell(&model[stage].meta.label));
                row.push(text::csv::cell(names.touchpoint(t)));
                row.push(text::csv::cell(&tp.meta.label));
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

/// The header of an activity's column: `label (stream.activity)`, as a cell. A label
/// that holds a direction control is isolated, so that it cannot reverse the path
/// after it; the path is the text between the last `(` and the final `)`, since
/// paths hold neither.
pub fn activity_header(label: &str, path: &str) -> String {
    text::csv::cell(&format!("{} ({path})", text::isolated(label.to_owned()))).into_owned()
}
