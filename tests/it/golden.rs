//! Golden tests as data. Each case is `tests/cases/<name>.journey` (one file) or
//! `tests/cases/<name>/` (a folder: a multi-file workspace), found on disk: adding a
//! case is adding its file or folder, then accepting its two snapshots (`main.rs`
//! says how). For each case:
//!
//! * the diagnostics must match the `//~ CODE` annotations in its files exactly;
//! * every span lies inside its file, on character boundaries;
//! * `report::human` (no colour, 100 columns) must equal the snapshot
//!   `tests/cases/<name>.human.snap`;
//! * `report::json` must equal `tests/cases/<name>.json.snap`.
//!
//! Paths in outputs are relative to the crate root.

use crate::support::{self, Ending, snapshot};
use journey::report::{self, Human};
use std::collections::BTreeSet;

const CASES: &str = "tests/cases";

/// The snapshots each case has, by suffix.
const SNAPSHOTS: [&str; 2] = ["human", "json"];

/// Every case on disk, sorted: the stem of each `.journey` file and the name of each
/// folder of `tests/cases`.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(support::root().join(CASES)).expect("tests/cases exists") {
        let path = entry.expect("readable entry").path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            out.push(file);
        } else if let Some(stem) = file.strip_suffix(".journey") {
            out.push(stem.to_owned());
        }
    }
    out.sort();
    out
}

fn run_case(name: &str) {
    let rel = if support::root().join(CASES).join(name).is_dir() {
        format!("{CASES}/{name}")
    } else {
        format!("{CASES}/{name}.journey")
    };
    let sources = support::load(&rel);
    let analysis = support::analyze_default(&sources);
    if let Err(e) = support::check_annotations(&sources, &analysis.diagnostics) {
        panic!("{e}");
    }
    if let Err(e) = support::check_spans(&sources, &analysis.diagnostics) {
        panic!("{e}");
    }
    let human = report::human(&sources, &analysis.diagnostics, Human { color: false, width: 100 });
    snapshot!(CASES, format!("{name}.human"), human, Ending::BlankLine);
    snapshot!(
        CASES,
        format!("{name}.json"),
        report::json(&sources, &analysis.diagnostics),
        Ending::Newline
    );
}

/// Every case, each on its own: the failure names every case that failed.
#[test]
fn every_case_matches_its_annotations_and_snapshots() {
    let cases = cases();
    assert!(cases.len() > 20, "only {} cases in {CASES}", cases.len());
    support::each(&cases, |name| run_case(name));
}

/// Every file of `tests/cases` belongs to a case: a snapshot left behind by a
/// case that was removed or renamed would never be compared again.
#[test]
fn every_file_belongs_to_a_case() {
    let cases: BTreeSet<String> = cases().into_iter().collect();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(support::root().join(CASES)).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        // insta's pending snapshots of a failed run (`cargo insta review` takes them).
        if path.is_dir() || file.ends_with(".journey") || file.ends_with(".snap.new") {
            continue;
        }
        let case = file.strip_suffix(".snap").and_then(|stem| {
            SNAPSHOTS.iter().find_map(|suffix| stem.strip_suffix(&format!(".{suffix}")))
        });
        if case.is_none_or(|case| !cases.contains(case)) {
            orphans.push(file);
        }
    }
    assert!(orphans.is_empty(), "files in {CASES} that belong to no case: {orphans:?}");
}

/// Every error code and every lint has at least one case that annotates it.
#[test]
fn every_code_has_a_case() {
    use journey::diagnostic::Code;
    let mut seen = BTreeSet::new();
    for path in support::journey_files(&support::root().join(CASES)) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (_, code) in support::annotations(&text).unwrap() {
            seen.insert(code);
        }
    }
    let missing: Vec<&str> =
        Code::ALL.iter().filter(|c| !seen.contains(c)).map(|c| c.as_str()).collect();
    assert!(missing.is_empty(), "codes without a golden case: {missing:?}");
}
