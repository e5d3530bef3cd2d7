//! Replays the fuzz target's seeds and every past finding through the whole
//! pipeline (`tests/fuzz/harness.rs`), so a finding, once fixed, stays fixed.

#[path = "../fuzz/harness.rs"]
mod harness;

use crate::support;

/// Every `.journey` file the project ships is a seed: the examples, the golden
/// cases, the fixtures. The fuzz script starts from the same files.
#[test]
fn the_seeds_pass_the_whole_pipeline() {
    let root = support::root();
    let mut seeds = 0;
    for dir in ["examples", "tests/cases", "tests/fixtures"] {
        for file in support::journey_files(&root.join(dir)) {
            harness::pipeline(&std::fs::read(&file).unwrap());
            seeds += 1;
        }
    }
    assert!(seeds > 50, "only {seeds} seeds found");
    // Whole example workspaces, files joined with the harness's separator.
    for example in ["insurance-claims", "hospital-onboarding", "b2b-order"] {
        let files = support::journey_files(&root.join("examples").join(example));
        let joined: Vec<u8> = files
            .iter()
            .take(3)
            .map(|f| std::fs::read(f).unwrap())
            .collect::<Vec<_>>()
            .join(&[0u8, 1][..]);
        harness::pipeline(&joined);
    }
}

/// Every input the fuzzer ever crashed on, kept in `tests/fuzz/findings/`.
#[test]
fn every_past_finding_passes() {
    let dir = support::root().join("tests/fuzz/findings");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let result = std::panic::catch_unwind(|| harness::pipeline(&bytes));
        assert!(result.is_ok(), "finding {name} fails again");
    }
}
