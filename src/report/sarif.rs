//! `--format sarif`: a SARIF 2.1.0 log (OASIS), which GitHub code scanning, the VS Code
//! SARIF viewer and many dashboards read. One run, with every code of the registry as a
//! rule and one result per diagnostic.
//!
//! Choices a consumer may need to know (documented in `docs/ci.md`):
//! - columns count Unicode code points (`columnKind: unicodeCodePoints`), as the line
//!   and column of every other format do, from 1; `endColumn` is just after the span;
//! - file URIs are relative to the folder `journey` ran in (`uriBaseId: %SRCROOT%`),
//!   percent-encoded; a path given as absolute becomes a `file://` URI;
//! - messages are prose: control characters and direction controls from the sources
//!   are shown as escapes (`\u{1b}`), as in `--format github`; JSON escapes the rest;
//! - `partialFingerprints` holds `journey/v1`, which moving lines does not change (see
//!   [`fingerprint`](super::fingerprint)).

use super::fingerprint::fingerprints;
use super::{Streamed, json_document, written};
use crate::diagnostic::{Code, Diagnostic, Label, Lint, Severity};
use crate::source::Sources;
use crate::text;
use serde::Serialize;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Where each rule's documentation is: `docs/diagnostics.md` on the project's
/// repository (`repository` in Cargo.toml, the one place it is written), with the
/// code's section as the anchor.
pub const RULE_DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/diagnostics.md");

/// The schema a log names in `$schema`: the OASIS standard's, of which
/// `docs/schema/sarif-2.1.0.json` is a copy.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; the version changes if the
/// way it is computed ever does, so that consumers do not compare unlike values.
pub const FINGERPRINT: &str = "journey/v1";

/// Renders diagnostics as a pretty-printed SARIF log with a final newline.
pub fn sarif(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    written(|out| sarif_to(out, sources, diagnostics))
}

/// [`sarif`], written to `out` as it is made.
pub fn sarif_to<W: io::Write + ?Sized>(
    out: &mut W,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> io::Result<()> {
    let fingerprints = fingerprints(sources, diagnostics);
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: Code::ALL.iter().map(|&code| rule(code)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: Streamed(
                diagnostics
                    .iter()
                    .zip(&fingerprints)
                    .map(|(d, fingerprint)| result(sources, d, fingerprint.clone())),
            ),
        }],
    };
    json_document(out, &log)
}

/// The `helpUri` of a code: its section of `docs/diagnostics.md`, whose anchor is
/// the code without its `::` (GitHub's anchor for the heading `` `journey::gap` ``).
pub fn help_uri(code: Code) -> String {
    format!("{RULE_DOCS}#{}", code.as_str().replace("::", ""))
}

#[derive(Serialize)]
#[serde(bound = "Streamed<I>: Serialize")]
struct Log<I> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<I>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase", bound = "Streamed<I>: Serialize")]
struct Run<I> {
    tool: Tool,
    column_kind: &'static str,
    /// The results, made as they are written.
    results: Streamed<I>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "journey/v1")]
    journey: String,
}

// The field names are SARIF's.
#[allow(clippy::struct_field_names)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    /// Related locations are numbered from 1, as SARIF's examples do; the primary
    /// location has no id.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn rule(code: Code) -> Rule {
    let severity = code.lint().map_or(Severity::Error, Lint::default_severity);
    Rule {
        id: code.as_str(),
        name: code.name(),
        short_description: Text { text: code.summary().to_owned() },
        help_uri: help_uri(code),
        default_configuration: Configuration { level: level(severity) },
    }
}

fn result(sources: &Sources, d: &Diagnostic, fingerprint: String) -> SarifResult {
    let mut message = text::message(&d.message).into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(&text::message(help));
    }
    SarifResult {
        rule_id: d.code.as_str(),
        // `Code::ALL` lists every code, so the position is always found.
        rule_index: Code::ALL.iter().position(|&c| c == d.code).unwrap_or_default(),
        level: level(d.severity),
        message: Text { text: message },
        locations: [location(sources, &d.primary, None)],
        related_locations: d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| location(sources, label, Some(i + 1)))
            .collect(),
        partial_fingerprints: Fingerprints { journey: fingerprint },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn location(sources: &Sources, label: &Label, id: Option<usize>) -> Location {
    let f = sources.get(label.span.file);
    let (from, to) = (f.line_col(label.span.start), f.line_col(label.span.end));
    let absolute = f.path.is_absolute();
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&f.path),
                uri_base_id: (!absolute).then_some("%SRCROOT%"),
            },
            region: Region {
                start_line: from.line,
                start_column: from.column,
                end_line: to.line,
                end_column: to.column,
            },
        },
        message: Text { text: text::message(&label.message).into_owned() },
    }
}

/// A path as a URI reference: relative paths stay relative, with `/` separators;
/// absolute ones become `file:` URIs. Every byte outside RFC 3986's unreserved
/// characters and `/` is percent-encoded (a space, `#`, `%`, non-ASCII letters).
fn uri(path: &Path) -> String {
    let shown = crate::source::display_path(path);
    let mut out = String::with_capacity(shown.len() + 8);
    if path.is_absolute() {
        out.push_str("file://");
        // `C:/maps` on Windows: a `file:` URI's path starts with `/`.
        if !shown.starts_with('/') {
            out.push('/');
        }
    }
    for byte in shown.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri(Path::new("maps/claims.journey")), "maps/claims.journey");
        assert_eq!(uri(Path::new("./a b#1%.journey")), "a%20b%231%25.journey");
        assert_eq!(uri(Path::new("../é.journey")), "../%C3%A9.journey");
        assert_eq!(uri(Path::new("/srv/maps/a.journey")), "file:///srv/maps/a.journey");
    }

    #[test]
    fn help_uris_point_at_the_codes_section() {
        assert!(help_uri(Code::Gap).ends_with("/docs/diagnostics.md#journeygap"));
        assert!(help_uri(Code::WrongKind).ends_with("#journeywrong-kind"));
        assert!(RULE_DOCS.starts_with("https://"));
    }
}
