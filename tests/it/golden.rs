//! Golden tests as data. Each case is `tests/cases/<name>.journey` (one file) or
//! `tests/cases/<name>/` (a folder: a multi-file workspace). For each case:
//!
//! * the diagnostics must match the `//~ CODE` annotations in its files exactly;
//! * `report::human` (no colour, 100 columns) must equal `<name>.human.txt`;
//! * `report::json` must equal `<name>.json`.
//!
//! Run with `BLESS=1` to rewrite the expected files after an intended change,
//! then review the diff. Paths in outputs are relative to the crate root.

use crate::support;

use journey::report::{self, Human};
use std::collections::BTreeSet;

fn run_case(name: &str) {
    let dir = support::root().join("tests/cases");
    let rel = if dir.join(name).is_dir() {
        format!("tests/cases/{name}")
    } else {
        format!("tests/cases/{name}.journey")
    };
    let sources = support::load(&rel);
    let analysis = support::analyze_default(&sources);
    let mut failures = Vec::new();
    if let Err(e) = support::check_annotations(&sources, &analysis.diagnostics) {
        failures.push(e);
    }
    if let Err(e) = support::check_spans(&sources, &analysis.diagnostics) {
        failures.push(e);
    }
    let human = report::human(&sources, &analysis.diagnostics, Human { color: false, width: 100 });
    let json = report::json(&sources, &analysis.diagnostics);
    for (ext, actual) in [("human.txt", &human), ("json", &json)] {
        if let Err(e) = support::golden(&format!("tests/cases/{name}.{ext}"), actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "case `{name}`:\n{}", failures.join("\n"));
}

macro_rules! cases {
    ($($name:ident)*) => {
        $(
            #[test]
            fn $name() {
                run_case(stringify!($name));
            }
        )*

        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

cases! {
    allow_element
    allow_inherited
    ambiguous
    clean
    duplicate_across_files
    duplicate_activity
    duplicate_attribute
    gap
    handoff
    invalid_value
    misaligned
    overload_error
    overload_warning
    syntax_attribute_wrong_block
    syntax_bad_escapes
    syntax_missing_brace
    syntax_missing_number
    syntax_misspelt_keyword
    syntax_no_cascade
    syntax_recovery
    syntax_unterminated_string
    unmeasured
    unowned
    unresolved
    waste
    wrong_kind
}

/// Every case on disk has a test, and every expected file belongs to a case.
#[test]
fn every_case_is_listed() {
    let dir = support::root().join("tests/cases");
    let listed: BTreeSet<&str> = CASES.iter().copied().collect();
    let mut on_disk = BTreeSet::new();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/cases exists") {
        let path = entry.expect("readable entry").path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            on_disk.insert(file);
        } else if let Some(stem) = file.strip_suffix(".journey") {
            on_disk.insert(stem.to_owned());
        } else if let Some(stem) =
            file.strip_suffix(".human.txt").or_else(|| file.strip_suffix(".json"))
        {
            if !listed.contains(stem) {
                orphans.push(file);
            }
        } else {
            orphans.push(file);
        }
    }
    let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty() && orphans.is_empty(),
        "cases on disk but not in `cases!`: {unlisted:?}\n\
         cases in `cases!` but not on disk: {missing:?}\n\
         files in tests/cases that belong to no case: {orphans:?}"
    );
}

/// Every error code and every lint has at least one case that annotates it.
#[test]
fn every_code_has_a_case() {
    use journey::diagnostic::Code;
    let mut seen = BTreeSet::new();
    for path in support::journey_files(&support::root().join("tests/cases")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (_, code) in support::annotations(&text).unwrap() {
            seen.insert(code);
        }
    }
    let missing: Vec<&str> =
        Code::ALL.iter().filter(|c| !seen.contains(c)).map(|c| c.as_str()).collect();
    assert!(missing.is_empty(), "codes without a golden case: {missing:?}");
}
