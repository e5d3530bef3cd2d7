//! The `journey` binary: exit statuses, formats, lint levels, workspace loading.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use std::time::Duration;

/// `journey` run from the crate root, with a clean environment for colour and width.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(30));
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn stderr_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stderr).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const WARNINGS_ONLY: &str = include_str!("../fixtures/warnings-only/ws.journey");

// ------------------------------------------------------------------ exit statuses

#[test]
fn exit_0_on_a_clean_workspace() {
    journey()
        .args(["check", "tests/cases/clean.journey"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("0 errors, 0 warnings, 0 notes"));
}

#[test]
fn exit_0_with_warnings_and_1_when_warnings_are_denied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "w.journey", WARNINGS_ONLY);
    journey()
        .arg("check")
        .arg(dir.path().join("w.journey"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("activity `b` serves no touchpoint"))
        .stderr(predicate::str::contains("0 errors, 1 warning, 0 notes"));
    journey()
        .arg("check")
        .arg(dir.path().join("w.journey"))
        .args(["--deny", "warnings"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 error, 0 warnings, 0 notes"));
    journey().args(["check", "examples/b2b-order", "--deny", "warnings"]).assert().code(1);
}

#[test]
fn exit_1_with_errors() {
    journey()
        .args(["check", "tests/cases/unresolved.journey"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("journey::unresolved"))
        .stderr(predicate::str::contains("checked 1 file: 4 errors"));
}

#[test]
fn exit_2_on_a_missing_path() {
    journey()
        .args(["check", "examples/does-not-exist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("examples/does-not-exist"));
}

#[test]
fn exit_2_without_a_path() {
    journey().arg("check").assert().code(2);
}

#[test]
fn exit_2_on_a_folder_without_journey_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "not a journey file");
    journey()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no `.journey` files under"));
}

#[test]
fn exit_2_on_a_file_that_is_not_utf8_naming_the_file_and_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.journey");
    std::fs::write(&path, b"team ops\nteam caf\xe9 \"Caf\xe9\"\n").unwrap();
    journey()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("latin1.journey"))
        .stderr(predicate::str::contains("not UTF-8"))
        .stderr(predicate::str::contains("0xe9"))
        .stderr(predicate::str::contains("offset 17"))
        .stderr(predicate::str::contains("line 2, column 9"));
}

#[test]
fn a_bad_file_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.journey"), b"team \xff\n").unwrap();
    write(dir.path(), "b.journey", WARNINGS_ONLY);
    journey()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.journey"))
        .stderr(predicate::str::contains("activity `b` serves no touchpoint"));
}

#[test]
fn exit_2_on_codes_that_cannot_be_set() {
    journey()
        .args(["check", "examples/hospital-onboarding", "--allow", "journey::nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`journey::nope` is not a diagnostic code"));
    journey()
        .args(["check", "examples/hospital-onboarding", "--allow", "journey::syntax"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("journey::syntax"))
        .stderr(predicate::str::contains("cannot be changed"));
    journey()
        .args(["check", "examples/hospital-onboarding", "--warn", "warnings"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version_exit_0() {
    journey().arg("--help").assert().code(0).stdout(predicate::str::contains("check"));
    journey()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--format"))
        .stdout(predicate::str::contains("--deny"));
    journey().arg("--version").assert().code(0).stdout(predicate::str::contains("journey"));
}

#[test]
fn exit_2_on_an_unknown_subcommand_or_flag() {
    journey().arg("frobnicate").assert().code(2);
    journey().args(["check", "--frobnicate", "examples"]).assert().code(2);
    journey().args(["check", "--format", "xml", "examples/b2b-order"]).assert().code(2);
}

// ------------------------------------------------------------------ formats

#[test]
fn json_is_one_document_with_every_field() {
    let out = journey().args(["check", "examples/b2b-order", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).expect("one valid JSON document");
    let diagnostics = doc["diagnostics"].as_array().expect("a `diagnostics` array");
    assert_eq!(diagnostics.len(), 22);
    for d in diagnostics {
        let object = d.as_object().unwrap();
        for key in ["code", "severity", "message", "file", "line", "column", "help", "labels"] {
            assert!(object.contains_key(key), "`{key}` missing from {d}");
        }
        assert!(d["code"].as_str().unwrap().starts_with("journey::"));
        assert!(["error", "warning", "note"].contains(&d["severity"].as_str().unwrap()));
        assert!(d["file"].as_str().unwrap().starts_with("examples/b2b-order/"));
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        let labels = d["labels"].as_array().unwrap();
        assert_eq!(labels.iter().filter(|l| l["primary"] == true).count(), 1);
        assert_eq!(labels[0]["line"], d["line"]);
    }
    let gap = diagnostics.iter().find(|d| d["code"] == "journey::gap").unwrap();
    assert_eq!(gap["file"], "examples/b2b-order/journeys/order-to-cash.journey");
    assert_eq!(gap["line"], 81);
    assert_eq!(gap["severity"], "warning");
    // Nothing but the document goes to standard output.
    assert!(text.trim_start().starts_with('{') && text.ends_with("}\n"));
}

#[test]
fn json_of_a_clean_run_is_an_empty_list() {
    let text =
        stdout_of(journey().args(["check", "tests/cases/clean.journey", "--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc, serde_json::json!({ "diagnostics": [] }));
}

#[test]
fn github_lines_are_workflow_commands() {
    let out = stdout_of(journey().args(["check", "examples/b2b-order", "--format", "github"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 22, "{out}");
    // Properties are escaped as the runner expects: `:` is `%3A`, so that the
    // `::` that ends the properties is unambiguous.
    let gap =
        lines.iter().find(|l| l.contains("title=journey%3A%3Agap::")).expect("a gap annotation");
    assert!(
        gap.starts_with(
            "::warning file=examples/b2b-order/journeys/order-to-cash.journey,line=81,col=16,"
        ),
        "{gap}"
    );
    assert!(gap.contains("::touchpoint `eta_call` traces to no activity%0Ahelp: "), "{gap}");
    for line in &lines {
        assert!(
            line.starts_with("::warning file=")
                || line.starts_with("::error file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        for key in [",line=", ",col=", ",endLine=", ",endColumn=", ",title=journey%3A%3A"] {
            assert!(line.contains(key), "`{key}` missing from {line}");
        }
        assert!(!line.contains('\r'));
    }
    assert!(lines.iter().any(|l| l.starts_with("::notice ") && l.contains("handoff")));
}

#[test]
fn human_output_goes_to_stderr_with_a_summary() {
    journey()
        .args(["check", "examples/b2b-order"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("journey::misaligned"))
        .stderr(predicate::str::contains("checked 5 files: 0 errors, 19 warnings, 3 notes"));
}

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_with_no_color() {
    let plain = stderr_of(journey().args(["check", "examples/b2b-order"]));
    assert!(!plain.contains('\u{1b}'), "colour when not a terminal");
    let plain = stderr_of(
        journey().args(["check", "examples/b2b-order", "--color", "auto"]).env("NO_COLOR", "1"),
    );
    assert!(!plain.contains('\u{1b}'), "colour with NO_COLOR=1");
    let plain = stderr_of(journey().args(["check", "examples/b2b-order", "--color", "never"]));
    assert!(!plain.contains('\u{1b}'));
    // The check above would notice colour: `--color always` has it.
    let coloured = stderr_of(journey().args(["check", "examples/b2b-order", "--color", "always"]));
    assert!(coloured.contains('\u{1b}'), "no colour with --color always");
}

#[test]
fn columns_sets_the_width() {
    let narrow = stderr_of(journey().args(["check", "examples/b2b-order"]).env("COLUMNS", "60"));
    let wide = stderr_of(journey().args(["check", "examples/b2b-order"]).env("COLUMNS", "200"));
    assert_ne!(narrow, wide);
}

// ------------------------------------------------------------------ lint levels

fn codes(args: &[&str]) -> Vec<String> {
    let mut cmd = journey();
    cmd.args(["check", "--format", "json"]).args(args);
    let doc: serde_json::Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["severity"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect()
}

fn count(codes: &[String], wanted: &str) -> usize {
    codes.iter().filter(|c| *c == wanted).count()
}

#[test]
fn allow_removes_a_lint() {
    let all = codes(&["examples/b2b-order"]);
    assert_eq!(count(&all, "warning journey::gap"), 3);
    for allow in ["gap", "journey::gap"] {
        let fewer = codes(&["examples/b2b-order", "--allow", allow]);
        assert!(!fewer.iter().any(|c| c.ends_with("journey::gap")), "{fewer:?}");
        assert_eq!(fewer.len(), all.len() - 3);
    }
    let comma = codes(&["examples/b2b-order", "--allow", "gap,waste"]);
    assert_eq!(comma.len(), all.len() - 3 - 4);
}

#[test]
fn warn_turns_a_note_into_a_warning() {
    let all = codes(&["examples/b2b-order"]);
    assert_eq!(count(&all, "note journey::handoff"), 3);
    let warned = codes(&["examples/b2b-order", "--warn", "handoff"]);
    assert_eq!(count(&warned, "note journey::handoff"), 0);
    assert_eq!(count(&warned, "warning journey::handoff"), 3);
    journey().args(["check", "examples/b2b-order", "--warn", "handoff"]).assert().code(0);
}

#[test]
fn deny_turns_a_lint_into_an_error() {
    let denied = codes(&["examples/b2b-order", "--deny", "waste"]);
    assert_eq!(count(&denied, "error journey::waste"), 4);
    assert_eq!(count(&denied, "warning journey::waste"), 0);
    assert_eq!(count(&denied, "warning journey::gap"), 3, "other lints keep their level");
    journey()
        .args(["check", "examples/b2b-order", "--deny", "journey::waste"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("4 errors"));
}

#[test]
fn deny_warnings_leaves_notes_alone() {
    let denied = codes(&["examples/b2b-order", "--deny", "warnings"]);
    assert_eq!(count(&denied, "note journey::handoff"), 3);
    assert!(!denied.iter().any(|c| c.starts_with("warning ")));
}

#[test]
fn the_strictest_level_wins() {
    let both = codes(&["examples/b2b-order", "--allow", "gap", "--deny", "gap"]);
    assert_eq!(count(&both, "error journey::gap"), 3);
}

// ------------------------------------------------------------------ workspaces

#[test]
fn a_folder_is_walked_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    // Each file has one gap; the JSON lists them in file order.
    for name in ["b.journey", "a/z.journey", "a/b/c.journey", "c.journey", "a.journey"] {
        let id = name.replace(['/', '.'], "_");
        write(dir.path(), name, &format!("journey {id} {{ stage s {{ touchpoint t }} }}\n"));
    }
    write(dir.path(), "a/notes.md", "not a journey file");
    write(dir.path(), ".hidden/h.journey", "this is not even valid");
    let out = stdout_of(journey().arg("check").arg(dir.path()).args(["--format", "json"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let root = dir.path().to_string_lossy().replace('\\', "/");
    let files: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().strip_prefix(&root).unwrap().to_owned())
        .collect();
    // Sorted as paths, component by component: the folder `a` comes before the
    // file `a.journey`, as `ls -R` and walkdir list them.
    let mut sorted: Vec<std::path::PathBuf> = files.iter().map(std::path::PathBuf::from).collect();
    sorted.sort();
    assert_eq!(files.len(), 5, "{out}");
    assert_eq!(files, sorted.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>());
    assert_eq!(files, ["/a/b/c.journey", "/a/z.journey", "/a.journey", "/b.journey", "/c.journey"]);
}

#[test]
fn the_same_file_given_twice_is_read_once() {
    journey()
        .args([
            "check",
            "examples/b2b-order/organisation.journey",
            "examples/b2b-order/organisation.journey",
            "examples/b2b-order/./organisation.journey",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 1 file: 0 errors"));
    journey()
        .args(["check", "examples/b2b-order", "examples/b2b-order/capabilities.journey"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 5 files: 0 errors, 19 warnings, 3 notes"));
}

#[test]
fn files_and_folders_form_one_model() {
    // The journeys alone refer to teams and value streams declared elsewhere.
    journey()
        .args(["check", "examples/b2b-order/journeys"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("journey::unresolved"));
    journey()
        .args([
            "check",
            "examples/b2b-order/journeys",
            "examples/b2b-order/value-streams",
            "examples/b2b-order/organisation.journey",
            "examples/b2b-order/capabilities.journey",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 5 files: 0 errors, 19 warnings, 3 notes"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_does_not_hang_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.journey", "team ops\n");
    std::os::unix::fs::symlink("..", dir.path().join("ws/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("ws/self")).unwrap();
    journey()
        .arg("check")
        .arg(dir.path().join("ws"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("loop"))
        .stderr(predicate::str::contains("ws/up").or(predicate::str::contains("ws/self")));
}

/// A named pipe given as a file is refused at once instead of blocking forever on
/// the read (it did), and one inside a folder is not a `.journey` file to read.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.journey", "team ops\n");
    let fifo = dir.path().join("ws/pipe.journey");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    journey()
        .arg("check")
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pipe.journey` is not a regular file"));
    journey()
        .arg("check")
        .arg(dir.path().join("ws"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 1 file"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_and_its_target_are_read_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ws/a.journey", "team ops\n");
    std::os::unix::fs::symlink("a.journey", dir.path().join("ws/b.journey")).unwrap();
    journey()
        .arg("check")
        .arg(dir.path().join("ws"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 1 file"));
}

#[test]
fn diagnostics_in_several_files_name_each_file() {
    journey()
        .args(["check", "tests/cases/duplicate_across_files"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("tests/cases/duplicate_across_files/b.journey:5:6"))
        .stderr(predicate::str::contains("tests/cases/duplicate_across_files/a.journey:3:6"));
}

// ------------------------------------------------------------------ terminal escapes

/// Source text that tries to drive a terminal: clear the screen, move the cursor,
/// write "All good", hide what follows; a bell, an OSC title, NUL. The second
/// `persona a` duplicates the first on the same line, after the escapes, so its
/// report points at a column past them. The touchpoint is a gap, whose help quotes
/// its label.
const TERMINAL_ESCAPES: &str = "persona a \"\u{1b}[2J\u{1b}[1;1HAll good\u{1b}[8m\" persona a \"b\"\n\
    journey j {\n  stage s {\n    touchpoint t \"\u{1b}]0;pwned\u{7}\u{1b}[31mred\u{0}\" { }\n  }\n}\n";

/// Whether a text holds a character that could drive a terminal or reverse the
/// text after it (layout, tab and line feed, aside).
fn drives_a_terminal(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t') || journey::text::is_direction_control(c)
    })
}

/// Issue 21, item 6: the report of `journey check` passed escapes from the sources
/// (in source lines, help and file names) to the terminal.
#[test]
fn terminal_escapes_in_sources_never_reach_the_human_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x\u{1b}[31m.journey", TERMINAL_ESCAPES);
    let output =
        journey().arg("check").arg(dir.path()).args(["--color", "never"]).output().unwrap();
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(!drives_a_terminal(&report), "{report:?}");
    // The source line shows each escape as one picture, so the columns stay right:
    // the duplicate's underline is under the second `a`.
    let line = report.lines().find(|l| l.contains("persona a \"␛[2J␛[1;1HAll good␛[8m\"")).unwrap();
    let under = report.lines().skip_while(|l| *l != line).nth(1).unwrap();
    let column = |text: &str, at: usize| text[..at].chars().count();
    let second_a = line.rfind("persona a").unwrap() + "persona ".len();
    let mark = under.rfind('┬').unwrap();
    assert_eq!(column(under, mark), column(line, second_a), "{line}\n{under}");
    // The help quotes the label as prose, and the file name is shown too.
    assert!(report.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[31mred\\u{0}"), "{report}");
    assert!(report.contains("x␛[31m.journey"), "{report}");
}

/// Issue 21, item 6: the `fmt --check` diff printed the escapes in the lines it shows.
#[test]
fn the_fmt_check_diff_shows_control_characters_as_pictures() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.journey", "persona   p \"\u{1b}[2J\u{1b}[8m\"\rteam t\n");
    let output = journey().args(["fmt", "--check"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8(output.stdout).unwrap();
    assert!(!drives_a_terminal(&diff), "{diff:?}");
    // The line that ended with a lone carriage return ends with its picture, and the
    // next line starts on a line of its own instead of over it.
    assert!(diff.contains("\n-persona   p \"␛[2J␛[8m\"␍\n+persona p "), "{diff}");
}

/// Issue 21, item 6: GitHub annotations, which the runner shows in its log, carried
/// the escapes; `--format json` escapes them as JSON does.
#[test]
fn annotations_and_json_carry_no_terminal_escapes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x\u{1b}[31m.journey", TERMINAL_ESCAPES);
    let github = stdout_of(journey().arg("check").arg(dir.path()).args(["--format", "github"]));
    assert!(!drives_a_terminal(&github), "{github:?}");
    assert!(github.contains("file=") && github.contains("x\\u{1b}[31m.journey"), "{github}");
    assert!(github.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[31mred\\u{0}"), "{github}");
    let json = stdout_of(journey().arg("check").arg(dir.path()).args(["--format", "json"]));
    assert!(!drives_a_terminal(&json), "{json:?}");
    assert!(json.contains("\\u001b]0;pwned\\u0007\\u001b[31mred\\u0000"), "{json}");
}

/// Issue 21: `capacity 0.000001 per year` was shown as "a capacity of 0", and the
/// load as "8.76e15".
#[test]
fn tiny_capacities_and_huge_loads_are_shown_in_full() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.journey",
        "team ops\ncapability c { owner ops capacity 0.000001 per year }\n\
         value stream vs {\n  stage s {\n    metric m { target \"x\" }\n    activity a { owner ops capability c }\n  }\n}\n\
         journey j {\n  volume 1000000000000 per hour\n  stage t {\n    touchpoint p { traces to vs.a }\n  }\n}\n",
    );
    let report = stderr_of(journey().arg("check").arg(dir.path().join("a.journey")));
    assert!(
        report
            .contains("carries 8760000000000000 per year against a capacity of 0.000001 per year"),
        "{report}"
    );
    let markdown = stdout_of(
        journey().args(["export", "--format", "markdown", "--allow", "overload"]).arg(dir.path()),
    );
    let row = markdown.lines().find(|l| l.starts_with("| c |")).unwrap();
    assert!(
        row.contains(
            "| 0.000001 per year | 8\u{2009}760\u{2009}000\u{2009}000\u{2009}000\u{2009}000 per year |"
        ),
        "{row}"
    );
}
