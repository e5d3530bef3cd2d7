//! `journey init`: the starter workspace is clean, teaches the language, and is
//! never written over anything.

use crate::support::{analyze_default, sources};
use assert_cmd::Command;
use journey::diagnostic::Code;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `journey` run with a clean environment.
fn journey(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(30));
    cmd
}

/// Every file under a folder with its contents, sorted by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn starter() -> Vec<(&'static str, &'static str)> {
    journey::init::FILES.to_vec()
}

// ------------------------------------------------------------------ the workspace

#[test]
fn the_starter_workspace_has_no_diagnostic_at_all() {
    let analysis = analyze_default(&sources(&starter()));
    assert!(analysis.diagnostics.is_empty(), "{:#?}", analysis.diagnostics);
    assert_eq!(analysis.model.journeys.len(), 1);
    assert_eq!(analysis.model.streams.len(), 1);
}

#[test]
fn uncommenting_the_gap_example_shows_one_gap() {
    let mut files = starter();
    let journey = files.iter_mut().find(|(name, _)| name.starts_with("journeys/")).unwrap();
    let original = journey.1;
    let uncommented = original
        .replace("    // touchpoint speed_test", "    touchpoint speed_test")
        .replace("    //   channel web\n    // }", "      channel web\n    }");
    assert_ne!(uncommented, original, "the commented-out gap example is where the test expects it");
    let uncommented: &'static str = Box::leak(uncommented.into_boxed_str());
    journey.1 = uncommented;
    let analysis = analyze_default(&sources(&files));
    let codes: Vec<Code> = analysis.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::Gap], "{:#?}", analysis.diagnostics);
}

#[test]
fn the_comments_teach_the_constructs() {
    let all: String = starter().iter().map(|(_, text)| *text).collect();
    for construct in [
        "///",
        "persona ",
        "team ",
        "system ",
        "capability ",
        "value stream ",
        "stage ",
        "activity ",
        "journey ",
        "touchpoint ",
        "traces to",
        "maps to",
        "lane frontstage",
        "lane backstage",
        "lane support",
        "moment of truth",
        "kpi ",
        "metric ",
        "capacity ",
        "volume ",
        "mix ",
        "reach ",
        "emotion ",
        "allow ",
        "enabling",
        "opportunity ",
        "journey check",
        "journey build",
    ] {
        assert!(all.contains(construct), "the starter workspace never shows `{construct}`");
    }
    // Small enough to read in five minutes.
    assert!(all.lines().count() < 250, "{} lines", all.lines().count());
}

#[test]
fn files_are_split_like_the_examples() {
    let names: Vec<&str> = starter().iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "organisation.journey",
            "capabilities.journey",
            "value-streams/connect-customer.journey",
            "journeys/get-connected.journey",
        ]
    );
}

// ------------------------------------------------------------------ the command

#[test]
fn init_then_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new/workspace");
    journey(tmp.path())
        .arg("init")
        .arg(&dir)
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("organisation.journey"))
        .stderr(predicate::str::contains("journeys/get-connected.journey"))
        .stderr(predicate::str::contains("journey check"))
        .stderr(predicate::str::contains("journey build"));
    let written: Vec<PathBuf> = snapshot(&dir).into_iter().map(|(p, _)| p).collect();
    assert_eq!(written.len(), 4, "{written:?}");
    for (name, text) in starter() {
        assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), text);
    }
    journey(tmp.path())
        .arg("check")
        .arg(&dir)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 4 files: 0 errors, 0 warnings, 0 notes"));
    journey(tmp.path()).args(["check", "--deny", "warnings"]).arg(&dir).assert().code(0);
    let site = tmp.path().join("site");
    journey(tmp.path()).arg("build").arg(&dir).arg("-o").arg(&site).assert().code(0);
    assert!(site.join("index.html").is_file());
    assert!(site.join("traceability.json").is_file());
}

#[test]
fn init_defaults_to_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    journey(tmp.path())
        .arg("init")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("journey check .\n"))
        .stderr(predicate::str::contains("journey build . -o site\n"));
    assert!(tmp.path().join("organisation.journey").is_file());
    assert!(tmp.path().join("value-streams/connect-customer.journey").is_file());
    journey(tmp.path()).args(["check", "."]).assert().code(0);
}

#[test]
fn init_twice_refuses_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    journey(tmp.path()).args(["init", "ws"]).assert().code(0);
    let edited = tmp.path().join("ws/capabilities.journey");
    std::fs::write(&edited, "// my own capabilities\n").unwrap();
    let before = snapshot(tmp.path());
    journey(tmp.path())
        .args(["init", "ws"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("already exist"))
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn init_refuses_when_any_one_file_exists() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("journeys")).unwrap();
    std::fs::write(tmp.path().join("journeys/get-connected.journey"), "// mine\n").unwrap();
    let before = snapshot(tmp.path());
    journey(tmp.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`journeys/get-connected.journey` already exists"));
    assert_eq!(snapshot(tmp.path()), before);
    // A file where a folder must go blocks it too.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("value-streams"), "").unwrap();
    journey(other.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`value-streams` already exists"));
    assert!(!other.path().join("organisation.journey").exists());
}

#[test]
fn init_into_a_folder_with_an_unrelated_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("README.md"), "# Our journeys\n").unwrap();
    journey(tmp.path()).arg("init").arg(".").assert().code(0);
    assert_eq!(std::fs::read_to_string(tmp.path().join("README.md")).unwrap(), "# Our journeys\n");
    assert_eq!(snapshot(tmp.path()).len(), 5);
    journey(tmp.path()).args(["check", "."]).assert().code(0);
}

#[test]
fn init_refuses_a_path_that_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("taken"), "").unwrap();
    journey(tmp.path())
        .args(["init", "taken"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`taken` exists and is not a folder"));
}

#[test]
fn init_quotes_a_folder_the_shell_would_split() {
    let tmp = tempfile::tempdir().unwrap();
    journey(tmp.path())
        .args(["init", "my maps"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("journey check 'my maps'\n"));
}

/// The starter is in `journey fmt`'s layout, so a new workspace passes
/// `journey fmt --check` from its first commit.
#[test]
fn the_starter_workspace_is_formatted() {
    let tmp = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("journey")
        .unwrap()
        .arg("init")
        .arg(tmp.path())
        .assert()
        .success();
    assert_cmd::Command::cargo_bin("journey")
        .unwrap()
        .args(["fmt", "--check"])
        .arg(tmp.path())
        .assert()
        .success();
}
