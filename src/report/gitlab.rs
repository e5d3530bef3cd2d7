//! `--format gitlab`: a GitLab Code Quality report, which GitLab shows in a merge
//! request's widget and on its changed lines when a job publishes it as
//! `artifacts:reports:codequality`. It is a JSON array of Code Climate issues with
//! the fields GitLab reads: `description`, `check_name`, `fingerprint`, `severity`
//! and `location` (`path`, `lines.begin`).
//!
//! GitLab's severities are `info`, `minor`, `major`, `critical` and `blocker`: errors
//! are `major`, warnings `minor` and notes `info`, as most linters' GitLab reports
//! map them. Descriptions are prose: control characters and direction controls from
//! the sources are shown as escapes (`\u{1b}`), and the help follows the message after
//! ` — help: `, since GitLab shows the description as one line.

use super::fingerprint::fingerprints;
use super::{Streamed, json_document, written};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;
use crate::text;
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Renders diagnostics as a pretty-printed Code Quality report with a final newline.
pub fn gitlab(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    written(|out| gitlab_to(out, sources, diagnostics))
}

/// [`gitlab`], written to `out` as it is made.
pub fn gitlab_to<W: io::Write + ?Sized>(
    out: &mut W,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let fingerprints = fingerprints(sources, diagnostics);
    let issues = diagnostics.iter().zip(&fingerprints).map(|(d, fingerprint)| {
        let f = sources.get(d.primary.span.file);
        let (from, to) = (f.line_col(d.primary.span.start), f.line_col(d.primary.span.end));
        let mut description = text::visible(&d.message).into_owned();
        if let Some(help) = &d.help {
            description.push_str(" — help: ");
            description.push_str(&text::visible(help));
        }
        Issue {
            description,
            check_name: d.code.as_str(),
            fingerprint: fingerprint.clone(),
            severity: match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            },
            location: Location {
                path: f.display_path(),
                lines: Lines { begin: from.line, end: to.line },
            },
        }
    });
    json_document(out, &Streamed(issues))
}
