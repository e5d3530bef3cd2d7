//! Issue 21, "Hardening, second round": long lines, files and folders that are not
//! ours, slow clients and the language server's framing. One test (or a few) per
//! item, each named in `docs/reliability.md`.

use crate::support;
use assert_cmd::Command;
use journey::report::{Human, human};
use std::time::Duration;

/// `journey` run with a clean environment for colour and width.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

const STYLE: Human = Human { color: false, width: 80 };

// ------------------------------------------------------------------ long lines

/// A second `persona a` past column 65 535 of one line: miette's graphical report
/// pads to the column with a format width, which panics past `u16::MAX`.
fn far_duplicate() -> String {
    format!("persona a{}persona a \"far\"\n", " ".repeat(70_000))
}

/// Item 1: a diagnostic past column 65 535 is reported, not a panic, and its label
/// still points at the text it names.
#[test]
fn a_diagnostic_past_column_65535_is_reported() {
    let sources = support::single(&far_duplicate());
    let analysis = support::analyze_default(&sources);
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    let report = human(&sources, &analysis.diagnostics, STYLE);
    assert!(report.contains("[test.journey:1:70018]"), "{report}");
    // The line is shown as a window around each label, with an ellipsis where text
    // is left out; each underline stands under its `a`.
    let line = report.lines().find(|l| l.contains("persona a \"far\"")).expect(&report);
    assert!(line.contains('…'), "{line}");
    let unders: Vec<&str> = report.lines().filter(|l| l.contains('┬')).collect();
    assert_eq!(unders.len(), 1, "{report}");
    let column = |text: &str, at: usize| text[..at].chars().count();
    let marks: Vec<usize> = unders[0]
        .char_indices()
        .filter(|(_, c)| *c == '┬')
        .map(|(i, _)| column(unders[0], i))
        .collect();
    let names: Vec<usize> =
        line.match_indices("persona a").map(|(i, _)| column(line, i) + 8).collect();
    assert_eq!(marks, names, "{report}");
}

/// Item 1 through the binary: `check`, `build` and `export` report it and exit 1.
#[test]
fn check_build_and_export_report_a_diagnostic_past_column_65535() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.journey");
    std::fs::write(&file, far_duplicate()).unwrap();
    let out = dir.path().join("site");
    for args in [
        vec!["check".as_ref(), file.as_os_str()],
        vec!["build".as_ref(), file.as_os_str(), "-o".as_ref(), out.as_os_str()],
        vec!["export".as_ref(), "--format".as_ref(), "mermaid".as_ref(), file.as_os_str()],
    ] {
        let output = journey().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("declared twice"), "{args:?}: {stderr}");
    }
}

/// Item 2: a report on a long line shows a window of it, whatever the line's
/// length, and the JSON report's columns count characters on it as on any line.
/// (The human report was 5 MB for this 28 kB line: the whole line per finding.)
#[test]
fn reports_on_one_long_line_show_a_bounded_window() {
    let text = "persona p \"é\" ".repeat(2_000);
    let sources = support::single(&text);
    let analysis = support::analyze_default(&sources);
    assert_eq!(analysis.diagnostics.len(), 1_999);
    let report = human(&sources, &analysis.diagnostics, STYLE);
    let longest = report.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest <= 200, "a line of {longest} characters");
    assert!(report.len() < 1_999 * 1_200, "{} bytes", report.len());
    let json: serde_json::Value =
        serde_json::from_str(&journey::report::json(&sources, &analysis.diagnostics)).unwrap();
    let last = &json["diagnostics"][1_998];
    // The 2 000th declaration's id, after 1 999 declarations of 14 characters (15 bytes).
    assert_eq!((&last["line"], &last["column"]), (&1.into(), &(1_999 * 14 + 9).into()), "{last}");
}
