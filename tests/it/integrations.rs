//! The formats and files other tools read: `--format sarif` (validated against the
//! SARIF 2.1.0 schema), `--format gitlab`, `journey completions` and
//! `journey manpage`.

use crate::support;

use assert_cmd::Command;
use journey::diagnostic::{Code, Lint, Severity};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// The OASIS schema of SARIF 2.1.0 (JSON Schema draft 4); where the copy comes from
/// is in `docs/ci.md`.
const SARIF_SCHEMA: &str = "docs/schema/sarif-2.1.0.json";

fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).timeout(Duration::from_secs(60));
    cmd
}

/// Every workspace the tests know: the examples, each golden case (errors of every
/// code, several files, secondary labels) and the hostile labels.
fn workspaces() -> Vec<String> {
    let mut all = Vec::new();
    for folder in ["examples", "tests/cases"] {
        let mut entries: Vec<_> = fs::read_dir(support::root().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "journey"))
            .collect();
        entries.sort();
        all.extend(entries.iter().map(|p| {
            p.strip_prefix(support::root()).unwrap().to_string_lossy().replace('\\', "/")
        }));
    }
    all.push("tests/fixtures/hostile".into());
    all
}

fn sarif_of(rel: &str) -> (Value, journey::Analysis) {
    let sources = support::load(rel);
    let analysis = support::analyze_default(&sources);
    let text = journey::report::sarif(&sources, &analysis.diagnostics);
    (serde_json::from_str(&text).expect("the log is JSON"), analysis)
}

fn sarif_validator() -> jsonschema::Validator {
    let text = fs::read_to_string(support::root().join(SARIF_SCHEMA)).expect("the schema exists");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    // Formats too (`uri`, `uri-reference`): a relative path must be a URI reference.
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{SARIF_SCHEMA} does not compile: {e}"))
}

fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator.iter_errors(document).map(|e| format!("at `{}`: {e}", e.instance_path())).collect()
}

// ------------------------------------------------------------------ SARIF

#[test]
fn every_sarif_log_validates_against_the_sarif_2_1_0_schema() {
    let validator = sarif_validator();
    let mut results = 0;
    for rel in workspaces() {
        let (log, _) = sarif_of(&rel);
        let errors = schema_errors(&validator, &log);
        assert!(
            errors.is_empty(),
            "the SARIF log of `{rel}` is not valid:\n  {}",
            errors.join("\n  ")
        );
        results += log["runs"][0]["results"].as_array().unwrap().len();
    }
    assert!(results > 50, "the workspaces gave only {results} results");
}

/// The validator is not a formality: logs broken in the ways a renderer could break
/// them are rejected.
#[test]
fn the_sarif_schema_rejects_broken_logs() {
    let validator = sarif_validator();
    let (log, _) = sarif_of("tests/cases/gap.journey");
    assert!(schema_errors(&validator, &log).is_empty());
    let result = "/runs/0/results/0";
    let breakages: [(&str, Value); 5] = [
        ("/version", "2.0.0".into()),
        ("/runs/0/columnKind", "bytes".into()),
        (&format!("{result}/level"), "fatal".into()),
        (&format!("{result}/locations/0/physicalLocation/region/startLine"), 0.into()),
        (&format!("{result}/partialFingerprints/journey~1v1"), 5.into()),
    ];
    for (pointer, value) in breakages {
        let mut broken = log.clone();
        *broken.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = value;
        assert!(!schema_errors(&validator, &broken).is_empty(), "{pointer} broken, still valid");
    }
}

#[test]
fn sarif_rules_are_the_registry_with_links_to_each_codes_section() {
    let (log, _) = sarif_of("tests/cases/clean.journey");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "journey");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Code::ALL.len());
    let docs = fs::read_to_string(support::root().join("docs/diagnostics.md")).unwrap();
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["shortDescription"]["text"], code.summary());
        let level = code.lint().map_or(Severity::Error, Lint::default_severity).as_str();
        assert_eq!(rule["defaultConfiguration"]["level"], level);
        let uri = rule["helpUri"].as_str().unwrap();
        let (page, anchor) = uri.split_once('#').unwrap();
        assert!(page.ends_with("/blob/main/docs/diagnostics.md"), "{uri}");
        // GitHub's anchor for the section heading `journey::gap`.
        assert_eq!(anchor, code.as_str().replace("::", ""));
        assert!(docs.contains(&format!("\n### `{code}`\n")), "no section for {code}");
    }
}

/// Each result says what `--format json` says: code, level, message, place, every
/// label; and its rule index finds its rule.
#[test]
fn sarif_results_carry_every_diagnostic_and_label() {
    for rel in workspaces() {
        let (log, analysis) = sarif_of(&rel);
        let sources = support::load(&rel);
        let json: Value =
            serde_json::from_str(&journey::report::json(&sources, &analysis.diagnostics)).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let expected = json["diagnostics"].as_array().unwrap();
        assert_eq!(results.len(), expected.len(), "{rel}");
        for (r, d) in results.iter().zip(expected) {
            assert_eq!(r["ruleId"], d["code"]);
            assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], d["code"]);
            assert_eq!(r["level"], d["severity"]);
            let message = r["message"]["text"].as_str().unwrap();
            let first = message.split('\n').next().unwrap();
            if !rel.contains("hostile") {
                assert_eq!(first, d["message"], "{rel}");
            }
            if let Some(help) = d["help"].as_str().filter(|_| !rel.contains("hostile")) {
                assert!(message.ends_with(&format!("\nhelp: {help}")), "{message}");
            }
            let labels = d["labels"].as_array().unwrap();
            let mut locations = vec![&r["locations"][0]];
            locations.extend(r["relatedLocations"].as_array().into_iter().flatten());
            assert_eq!(locations.len(), labels.len(), "{rel}: {message}");
            for (at, label) in locations.iter().zip(labels) {
                let physical = &at["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
                assert_eq!(uri, label["file"].as_str().unwrap().replace(' ', "%20"));
                let region = &physical["region"];
                assert_eq!(region["startLine"], label["line"]);
                assert_eq!(region["startColumn"], label["column"]);
                assert_eq!(region["endLine"], label["end_line"]);
                assert_eq!(region["endColumn"], label["end_column"]);
            }
        }
    }
}

/// The fingerprint names the finding, not its line: lines added above it keep it.
#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let text = fs::read_to_string(support::root().join("tests/cases/handoff.journey")).unwrap();
    let moved = format!("// a comment\n\n\n{text}");
    let log = |text: &str| {
        let sources = support::sources(&[("maps/a.journey", text)]);
        let analysis = support::analyze_default(&sources);
        let log: Value =
            serde_json::from_str(&journey::report::sarif(&sources, &analysis.diagnostics)).unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
                (r["partialFingerprints"]["journey/v1"].as_str().unwrap().to_owned(), line.unwrap())
            })
            .collect::<Vec<_>>()
    };
    let (before, after) = (log(&text), log(&moved));
    assert!(!before.is_empty());
    assert_eq!(before.len(), after.len());
    for ((old, old_line), (new, new_line)) in before.iter().zip(&after) {
        assert_eq!(old, new);
        assert_eq!(old_line + 3, *new_line);
    }
    let mut distinct: Vec<_> = before.iter().map(|(f, _)| f).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), before.len(), "two results share a fingerprint");
}

/// Source text reaches the log as prose, as in `--format github`: no control
/// character, no direction override; and as JSON, not HTML or Markdown.
#[test]
fn sarif_messages_show_controls_and_escape_only_as_json() {
    let sources = support::single(
        "journey j \"J\" {\n  stage s \"S\" {\n    touchpoint t \"<b>\u{1b}[2J\u{202e}&\" {\n      traces to nowhere.x\n    }\n  }\n}\n",
    );
    let analysis = support::analyze_default(&sources);
    let text = journey::report::sarif(&sources, &analysis.diagnostics);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    assert!(!text.contains("&lt;") && !text.contains("&amp;"));
    let log: Value = serde_json::from_str(&text).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let all = serde_json::to_string(results).unwrap();
    assert!(all.contains("nowhere"), "{all}");
}

#[test]
fn check_and_build_print_sarif_deterministically() {
    let out = |args: &[&str]| {
        let output = journey().args(args).output().unwrap();
        (output.status.code(), String::from_utf8(output.stdout).unwrap(), output.stderr)
    };
    let (code, first, stderr) = out(&["check", "examples/b2b-order", "--format", "sarif"]);
    assert_eq!(code, Some(0));
    assert!(stderr.is_empty(), "{}", String::from_utf8_lossy(&stderr));
    let (_, second, _) = out(&["check", "examples/b2b-order", "--format", "sarif"]);
    assert_eq!(first, second);
    let log: Value = serde_json::from_str(&first).unwrap();
    assert!(schema_errors(&sarif_validator(), &log).is_empty());
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(uri["uri"].as_str().unwrap().starts_with("examples/b2b-order/"), "{uri}");
    assert_eq!(uri["uriBaseId"], "%SRCROOT%");

    let (code, _, _) = out(&["check", "tests/cases/unresolved.journey", "--format", "sarif"]);
    assert_eq!(code, Some(1));
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("site");
    let dir = dir.to_str().unwrap();
    let (code, built, stderr) =
        out(&["build", "examples/b2b-order", "-o", dir, "--format", "sarif"]);
    assert_eq!(code, Some(0), "{}", String::from_utf8_lossy(&stderr));
    assert_eq!(built, first, "build reports as check does");
    assert!(Path::new(dir).join("traceability.json").is_file());
}

// ------------------------------------------------------------------ GitLab

#[test]
fn gitlab_reports_are_code_quality_issues() {
    for rel in workspaces() {
        let sources = support::load(&rel);
        let analysis = support::analyze_default(&sources);
        let report: Value =
            serde_json::from_str(&journey::report::gitlab(&sources, &analysis.diagnostics))
                .unwrap();
        let issues = report.as_array().expect("an array");
        assert_eq!(issues.len(), analysis.diagnostics.len(), "{rel}");
        let mut fingerprints: Vec<&str> = Vec::new();
        for (issue, d) in issues.iter().zip(&analysis.diagnostics) {
            assert_eq!(issue["check_name"], d.code.as_str());
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Note => "info",
            };
            assert_eq!(issue["severity"], severity);
            let description = issue["description"].as_str().unwrap();
            assert!(!description.chars().any(char::is_control), "{description:?}");
            let file = sources.get(d.primary.span.file);
            assert_eq!(issue["location"]["path"], file.display_path());
            let line = file.line_col(d.primary.span.start).line;
            assert_eq!(issue["location"]["lines"]["begin"], line);
            fingerprints.push(issue["fingerprint"].as_str().unwrap());
        }
        let count = fingerprints.len();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), count, "{rel}: fingerprints must be unique");
    }
}

#[test]
fn check_prints_a_gitlab_report() {
    let output =
        journey().args(["check", "examples/b2b-order", "--format", "gitlab"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.as_array().is_some_and(|a| !a.is_empty()));
}

// ------------------------------------------------------------------ completions

/// Every subcommand, as `journey --help` lists them.
fn subcommands() -> Vec<String> {
    let help = journey().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let list = help.split("Commands:").nth(1).unwrap().split("\n\n").next().unwrap();
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|&n| n != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 11 && names.contains(&"manpage".to_owned()), "{names:?}");
    names
}

#[test]
fn every_shell_gets_a_completion_script_naming_every_subcommand() {
    let subcommands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = journey().args(["completions", shell]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for name in &subcommands {
            assert!(script.contains(name.as_str()), "the {shell} script lacks `{name}`");
        }
        // The options of subcommands complete too.
        assert!(script.contains("deny") && script.contains("format"), "{shell}");
    }
    journey().args(["completions", "tcsh"]).assert().code(2);
}

/// The bash script is bash: it loads and completes `journey ch` to `check`.
#[test]
fn the_bash_completion_script_completes() {
    if std::process::Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash");
        return;
    }
    let output = journey().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("journey.bash");
    fs::write(&script, output.stdout).unwrap();
    let probe = format!(
        "source '{}'; COMP_WORDS=(journey ch); COMP_CWORD=1; COMP_LINE='journey ch'; \
         COMP_POINT=10; _journey journey ch journey; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash").args(["--norc", "-c", &probe]).output().unwrap();
    let words = String::from_utf8(out.stdout).unwrap();
    assert_eq!(words.trim(), "check", "stderr: {}", String::from_utf8_lossy(&out.stderr));
}

// ------------------------------------------------------------------ manual pages

#[test]
fn manpages_are_written_one_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    journey().args(["manpage", "-o"]).arg(&out).assert().code(0);
    let mut pages: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> =
        subcommands().iter().map(|s| format!("journey-{s}.1")).collect();
    expected.push("journey.1".into());
    expected.push("journey-import-mermaid.1".into());
    expected.sort();
    assert_eq!(pages, expected);
    let check = fs::read_to_string(out.join("journey-check.1")).unwrap();
    assert!(check.contains(".TH journey-check 1"), "{check}");
    assert!(check.contains("sarif") && check.contains("deny"));

    // Run again: our pages are replaced; a page of someone else's is not, and then
    // nothing is written at all.
    journey().args(["manpage", "-o"]).arg(&out).assert().code(0);
    fs::write(out.join("journey-fmt.1"), ".TH OTHER 1\n").unwrap();
    fs::remove_file(out.join("journey-check.1")).unwrap();
    let refused = journey().args(["manpage", "-o"]).arg(&out).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8(refused.stderr).unwrap();
    assert!(
        message.contains("refusing to replace") && message.contains("journey-fmt.1"),
        "{message}"
    );
    assert_eq!(fs::read_to_string(out.join("journey-fmt.1")).unwrap(), ".TH OTHER 1\n");
    assert!(!out.join("journey-check.1").exists(), "a page was written despite the refusal");
    let leftovers = fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'));
    assert_eq!(leftovers.count(), 0);

    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    journey().args(["manpage", "-o"]).arg(&file).assert().code(2);
}

/// `man` reads every page, when it is installed.
#[test]
fn man_reads_the_pages() {
    let has_man = std::process::Command::new("man").arg("--version").output();
    if !has_man.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no `man` here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    journey().args(["manpage", "-o"]).arg(dir.path()).assert().code(0);
    for entry in fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let output = std::process::Command::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "man -l {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(text.contains("NAME") && text.contains(&name), "{}:\n{text}", path.display());
        assert!(!text.contains("Written by"), "the mark is a comment, not text");
    }
}
