//! `journey import mermaid`: Mermaid user-journey diagrams into `.journey` text.
//!
//! The generated texts are snapshots (`tests/outputs/import-*.journey.snap`), and
//! every one must check without errors: the only
//! diagnostics allowed are the gaps, one per touchpoint, that the missing traces
//! leave.

use crate::support::{self, Ending, analyze_default, sources};
use assert_cmd::Command;
use journey::diagnostic::{Code, Severity};
use journey::import::{self, Import, ImportError};
use predicates::prelude::*;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// The example of Mermaid's documentation, as it is written there.
const DOCS: &str = "\
journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
";

/// Comments, odd whitespace and case, duplicate names, tasks before any section,
/// entity codes, line breaks and labels made to break quoting.
const ODD: &str = concat!(
    "%%{init: {'theme': 'forest'}}%%\r\n",
    "\r\n",
    "%% a comment before the diagram\r\n",
    "   JOURNEY   \r\n",
    "\tTitle   Claims \"fast\" track \\o/   # a comment after the title\r\n",
    "  accDescr {\r\n",
    "    How a claim\r\n",
    "    is reported\r\n",
    "  }\r\n",
    "Before any section: 4: Me\r\n",
    "\r\n",
    "   %% an indented comment\r\n",
    "SECTION Report\r\n",
    "  Call   the line :2:Me,Me ,  Agent\r\n",
    "  Call the line: 3  : Agent\r\n",
    "  Call-the-line!: 1\r\n",
    "  Path C#58;\\claims\\new: 5: \"Quoted\" actor\r\n",
    "  Café ☕ — 24/7: 4: Zoë\r\n",
    "  Tab\there: 3: Me\r\n",
    "  Step #35;1 #quot;done#quot; #9829; #colon; ok: 5: Me # trailing comment\r\n",
    "  Two<br>lines: 2: Me\r\n",
    "  2FA check: 3:\r\n",
    "  ☕☕☕: 3: Me\r\n",
    "section Report\r\n",
    "  Wait: 1: Me\r\n",
    "section   \u{202e}Evil\u{202c} \u{7} bell  \r\n",
);

/// A Markdown page with two journeys, a flowchart and a journey shown as an
/// example inside a longer fence, which is not a diagram.
const MARKDOWN: &str = "\
# Our maps

Some prose with `inline code`.

```mermaid
flowchart LR
  A --> B
```

```mermaid
journey
  section Sign up
    Fill in the form: 2: Visitor
```

````markdown
```mermaid
journey
  title Not a diagram: an example in a longer fence
  section Nope
    Nope: 1: Nobody
```
````

~~~ Mermaid title=x
---
title: \"Personas\"
---
journey
  accTitle: Accessible title
  section Use
    Log in: 4: Visitor, Admin
    Log in: 5: Admin
~~~

```mermaid
journey
```
";

fn imported(text: &str) -> Import {
    import::mermaid(text, "test.mmd").unwrap_or_else(|errors| {
        panic!("the import failed:\n{}", render_all(&errors, "test.mmd"));
    })
}

fn render_all(errors: &[ImportError], file: &str) -> String {
    errors.iter().map(|e| e.render(file)).collect()
}

/// The text checks with no errors; the only diagnostics are gaps, one per touchpoint.
fn assert_checks(name: &str, text: &str) {
    let sources = sources(&[(name, text)]);
    let analysis = analyze_default(&sources);
    let others: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| !(d.code == Code::Gap && d.severity == Severity::Warning))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(others.is_empty(), "{name} has diagnostics other than gaps: {others:#?}\n{text}");
    let gaps = analysis.diagnostics.len();
    assert_eq!(gaps, analysis.model.touchpoints.len(), "{name}: one gap per touchpoint");
}

/// The import's text is golden, and checks.
fn assert_golden(name: &str, import: &Import) {
    let text = import.text();
    support::snapshot!("tests/outputs", format!("import-{name}.journey"), text, Ending::Newline);
    assert_checks(&format!("{name}.journey"), &text);
}

// ------------------------------------------------------------------ imports

#[test]
fn mermaids_documentation_example() {
    let import = imported(DOCS);
    assert_golden("docs", &import);
    let journey = &import.journeys[0];
    assert_eq!(journey.id, "my_working_day");
    assert_eq!(journey.label.as_deref(), Some("My working day"));
    let stages: Vec<&str> = journey.stages.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(stages, ["go_to_work", "go_home"]);
    let emotions: Vec<i8> =
        journey.stages.iter().flat_map(|s| &s.touchpoints).map(|t| t.emotion).collect();
    assert_eq!(emotions, [3, 0, -3, 3, 3]);
    let personas: Vec<(&str, &str)> =
        import.personas.iter().map(|p| (p.id.as_str(), p.label.as_str())).collect();
    assert_eq!(personas, [("me", "Me"), ("cat", "Cat")]);
}

#[test]
fn comments_whitespace_duplicates_and_hostile_labels() {
    let import = imported(ODD);
    assert_golden("odd", &import);
    let journey = &import.journeys[0];
    assert_eq!(journey.id, "claims_fast_track_o");
    assert_eq!(journey.label.as_deref(), Some("Claims \"fast\" track \\o/"));
    assert_eq!(journey.description.as_deref(), Some("How a claim\nis reported"));
    let stages: Vec<(&str, Option<&str>)> =
        journey.stages.iter().map(|s| (s.id.as_str(), s.label.as_deref())).collect();
    assert_eq!(
        stages,
        [
            ("main", None),
            ("report", Some("Report")),
            ("report_2", Some("Report")),
            ("evil_bell", Some("\u{202e}Evil\u{202c} \u{7} bell")),
        ]
    );
    let report: Vec<(&str, &str)> =
        journey.stages[1].touchpoints.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect();
    assert_eq!(
        report,
        [
            ("call_the_line", "Call   the line"),
            ("call_the_line_2", "Call the line"),
            ("call_the_line_3", "Call-the-line!"),
            ("path_c_claims_new", "Path C:\\claims\\new"),
            ("caf_24_7", "Café ☕ — 24/7"),
            ("tab_here", "Tab\there"),
            ("step_1_done_ok", "Step #1 \"done\" ♥ : ok"),
            ("two_lines", "Two\nlines"),
            ("touchpoint_2fa_check", "2FA check"),
            ("touchpoint", "☕☕☕"),
        ]
    );
    // `Me,Me ,  Agent`: each actor once, in order; an empty actor list is none.
    let actors = |t: usize| -> Vec<&str> {
        journey.stages[1].touchpoints[t]
            .actors
            .iter()
            .map(|&a| import.personas[a].label.as_str())
            .collect()
    };
    assert_eq!(actors(0), ["Me", "Agent"]);
    assert_eq!(actors(2), Vec::<&str>::new());
    assert_eq!(actors(8), Vec::<&str>::new());
    let personas: Vec<(&str, &str)> =
        import.personas.iter().map(|p| (p.id.as_str(), p.label.as_str())).collect();
    assert_eq!(
        personas,
        [("me", "Me"), ("agent", "Agent"), ("quoted_actor", "\"Quoted\" actor"), ("zo", "Zoë")]
    );
}

#[test]
fn labels_survive_the_round_trip_through_the_language() {
    let import = imported(ODD);
    let sources = sources(&[("odd.journey", &import.text())]);
    let model = analyze_default(&sources).model;
    let expected: Vec<&str> = import.journeys[0]
        .stages
        .iter()
        .flat_map(|s| &s.touchpoints)
        .map(|t| t.label.as_str())
        .collect();
    let actual: Vec<&str> = model.touchpoints.iter().map(|t| t.meta.label.as_str()).collect();
    assert_eq!(actual, expected);
    let emotions: Vec<i8> = model
        .touchpoints
        .iter()
        .map(|t| t.emotion.expect("every task has a score").value())
        .collect();
    let expected: Vec<i8> =
        import.journeys[0].stages.iter().flat_map(|s| &s.touchpoints).map(|t| t.emotion).collect();
    assert_eq!(emotions, expected);
    assert_eq!(model.journeys[0].meta.label, "Claims \"fast\" track \\o/");
    assert_eq!(model.journeys[0].meta.description.as_deref(), Some("How a claim\nis reported"));
    let personas: Vec<&str> = model.personas.iter().map(|p| p.meta.label.as_str()).collect();
    assert_eq!(personas, ["Me", "Agent", "\"Quoted\" actor", "Zoë"]);
}

#[test]
fn markdown_with_several_diagrams() {
    let import = imported(MARKDOWN);
    assert_golden("markdown", &import);
    let journeys: Vec<(&str, Option<&str>, usize)> =
        import.journeys.iter().map(|j| (j.id.as_str(), j.label.as_deref(), j.line)).collect();
    // Untitled journeys are `journey`, `journey_2`…; no journey is `personas`, the
    // name of the personas file.
    assert_eq!(
        journeys,
        [("journey", None, 11), ("personas_2", Some("Personas"), 29), ("journey_2", None, 37)]
    );
    // Personas are shared by the journeys of one import.
    let personas: Vec<&str> = import.personas.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(personas, ["visitor", "admin"]);
    let files = import.files();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["personas.journey", "journey.journey", "personas_2.journey", "journey_2.journey"]
    );
    // The files, read as one workspace, check like the single text.
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let analysis = analyze_default(&sources(&pairs));
    assert!(
        analysis.diagnostics.iter().all(|d| d.code == Code::Gap),
        "{:#?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.diagnostics.len(), 3);
}

#[test]
fn journey_ids_are_safe_file_names_everywhere() {
    let import =
        imported("```mermaid\njourney\n  title CON\n```\n```mermaid\njourney\n  title nul!\n```\n");
    let ids: Vec<&str> = import.journeys.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["con_2", "nul_2"]);
}

#[test]
fn long_lines_of_statements_do_not_overflow_the_stack() {
    let text = format!("journey\n  {}\n", "accDescr{}".repeat(200_000));
    let errors = errors_of(&text);
    assert!(errors.contains("a diagram has one `accDescr`"), "{}", &errors[..200]);
}

#[test]
fn many_tasks_of_one_name_import_quickly() {
    let mut text = String::from("journey\n  section S\n");
    for _ in 0..20_000 {
        text.push_str("    Same: 3: Me\n");
    }
    let started = std::time::Instant::now();
    let import = imported(&text);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let last = import.journeys[0].stages[0].touchpoints.last().unwrap();
    assert_eq!(last.id, "same_20000");
}

#[test]
fn a_markdown_file_without_a_journey_diagram_is_an_error() {
    let errors = import::mermaid("# Title\n\n```mermaid\nflowchart LR\n  A --> B\n```\n", "x.md")
        .expect_err("no journey");
    assert_eq!(
        render_all(&errors, "x.md"),
        "error: x.md: its ```mermaid block is not a `journey` diagram\n"
    );
}

#[test]
fn scores_survive_import_then_export() {
    // The exporter writes score = round(3 + emotion × 2/3).
    for score in 1..=5u8 {
        let emotion = f64::from(import::emotion_of_score(score));
        assert!((-3.0..=3.0).contains(&emotion));
        let back = (3.0 + emotion * 2.0 / 3.0).round();
        assert!(
            (back - f64::from(score)).abs() < f64::EPSILON,
            "score {score} came back as {back}"
        );
    }
}

// ------------------------------------------------------------------ errors

/// Imports a text that must fail, and returns its rendered errors.
fn errors_of(text: &str) -> String {
    match import::mermaid(text, "bad.mmd") {
        Ok(import) => panic!("expected errors, got:\n{}", import.text()),
        Err(errors) => render_all(&errors, "bad.mmd"),
    }
}

#[test]
fn errors_name_the_place_and_show_the_line() {
    assert_eq!(
        errors_of("journey\n  section S\n    Do work: 7: Me, Cat\n"),
        "\
error: bad.mmd:3:14: the score must be a whole number from 1 to 5, found `7`
  |
3 |     Do work: 7: Me, Cat
  |              ^
"
    );
}

#[test]
fn every_error_is_reported_in_line_order() {
    let text = "journey\n  title A\n  Task one: 0\n  Task two\n  title B\n  Task three: 3.5: Me\n";
    let rendered = errors_of(text);
    let heads: Vec<&str> = rendered.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        heads,
        [
            "error: bad.mmd:3:13: the score must be a whole number from 1 to 5, found `0`",
            "error: bad.mmd:4:3: expected `:` and a score after the task `Task two`, as in `Make tea: 5: Me`",
            "error: bad.mmd:5:3: a diagram has one title, and this is a second (the first is on line 2); Mermaid reads every line that starts with the word `title` as the title",
            "error: bad.mmd:6:15: the score must be a whole number from 1 to 5, found `3.5`",
        ]
    );
}

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        ("", "error: bad.mmd: it is empty: expected a Mermaid `journey` diagram"),
        (
            "\n  %% only a comment\n",
            "error: bad.mmd: it has no diagram: expected a Mermaid `journey` diagram",
        ),
        (
            "flowchart LR\n  A --> B\n",
            "error: bad.mmd:1:1: expected `journey`, found `flowchart`: this is not a Mermaid user-journey diagram, nor Markdown with a ```mermaid block",
        ),
        (
            "journey\n  Task: x: Me\n",
            "error: bad.mmd:2:9: the score must be a whole number from 1 to 5, found `x`",
        ),
        (
            "journey\n  Task: -1\n",
            "error: bad.mmd:2:9: the score must be a whole number from 1 to 5, found `-1`",
        ),
        (
            "journey\n  Task: 99999999999999999999999\n",
            "error: bad.mmd:2:9: the score must be a whole number from 1 to 5, found `99999999999999999999999`",
        ),
        ("journey\n  Task:  : Me\n", "error: bad.mmd:2:7: expected a score from 1 to 5 after `:`"),
        ("journey\n  Task:\n", "error: bad.mmd:2:7: expected a score from 1 to 5 after `:`"),
        ("journey\n  : 3: Me\n", "error: bad.mmd:2:3: expected a task name before `:`"),
        (
            "journey\n  Task: 3: Me: You\n",
            "error: bad.mmd:2:14: unexpected `:`: a task is `name: score` or `name: score: actors` (write `#58;` for a colon)",
        ),
        (
            "journey\n  Task: 3; Me\n",
            "error: bad.mmd:2:10: Mermaid does not allow `;` in a journey diagram; write `#59;` for a semicolon",
        ),
        (
            "journey\n  section Go: home\n",
            "error: bad.mmd:2:13: a section's name cannot contain `:`; Mermaid reads every line that starts with the word `section` as a section (write `#58;` for a colon)",
        ),
        ("journey\n  section\n", "error: bad.mmd:2:3: expected the section's name after `section`"),
        (
            "journey\n  title   # only a comment\n",
            "error: bad.mmd:2:3: expected the journey's title after `title`",
        ),
        (
            "journey\n  Make tea: 5: Me\njourney\n",
            "error: bad.mmd:3:1: a diagram has one `journey` line; in Markdown, put each diagram in its own ```mermaid block",
        ),
        (
            "journey\n  accDescr {\n  never closed\n",
            "error: bad.mmd:2: the `accDescr {` block that starts here has no closing `}`",
        ),
        (
            "journey\n  accDescr: one\n  accDescr: two\n",
            "error: bad.mmd:3: a diagram has one `accDescr`, and this is a second (the first is on line 2)",
        ),
        (
            "---\ntitle: x\njourney\n",
            "error: bad.mmd:1:1: the front matter that starts here has no closing `---`",
        ),
        (
            "journey\n  Step \u{1b}[31m: 9\n",
            "error: bad.mmd:2:15: the score must be a whole number from 1 to 5, found `9`",
        ),
    ];
    for (text, expected) in cases {
        let rendered = errors_of(text);
        let first = rendered.lines().next().unwrap_or_default();
        assert_eq!(first, *expected, "for {text:?}:\n{rendered}");
    }
}

#[test]
fn shown_lines_are_safe_for_a_terminal() {
    let rendered = errors_of("journey\n  Step \u{1b}[31m\tred: 9\n");
    assert!(!rendered.contains('\u{1b}'), "{rendered}");
    assert!(rendered.contains("2 |   Step \u{fffd}[31m red: 9\n"), "{rendered}");
    assert!(rendered.contains(&format!("  | {}^\n", " ".repeat(18))), "{rendered}");
    // A long line is cut around the place.
    let long = format!("journey\n  {}: 9\n", "x".repeat(500));
    let rendered = errors_of(&long);
    let shown = rendered.lines().nth(2).expect("the line is shown");
    assert!(shown.chars().count() < 120 && shown.contains('…'), "{shown}");
}

// ------------------------------------------------------------------ robustness

/// Pieces of Mermaid and Markdown, to reach deep into the reader more often than
/// random text does.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("journey".to_owned()),
        Just("title ".to_owned()),
        Just("section ".to_owned()),
        Just("accDescr {".to_owned()),
        Just("accDescr: ".to_owned()),
        Just("accTitle: ".to_owned()),
        Just("}".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("#".to_owned()),
        Just("#35;".to_owned()),
        Just("#quot;".to_owned()),
        Just("<br>".to_owned()),
        Just("%%".to_owned()),
        Just("---".to_owned()),
        Just("```mermaid".to_owned()),
        Just("```".to_owned()),
        Just("~~~~".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\u{feff}".to_owned()),
        "[1-9]",
        "[0-9.+-]{1,4}",
        "[a-zA-Z ]{1,8}",
        "\\PC{1,3}",
        any::<char>().prop_map(String::from),
    ]
}

fn assert_sound(text: &str) {
    match import::mermaid(text, "any") {
        Ok(import) => {
            // Whatever is imported is a valid workspace.
            let text = import.text();
            let analysis = analyze_default(&sources(&[("any.journey", &text)]));
            assert!(!analysis.has_errors(), "{:#?}\n{text}", analysis.diagnostics);
            for (name, text) in import.files() {
                assert!(name.ends_with(".journey") && !name.contains('/'));
                assert!(!text.is_empty());
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                let rendered = e.render("any");
                assert!(!rendered.chars().any(|c| c.is_control() && c != '\n'), "{rendered:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*|(.|\n)*") {
        assert_sound(&text);
    }

    #[test]
    fn mermaid_like_text_never_panics(pieces in prop::collection::vec(piece(), 0..60)) {
        assert_sound(&pieces.concat());
    }

    #[test]
    fn diagrams_with_any_labels_import_and_check(
        title in "\\PC{0,20}",
        sections in prop::collection::vec(
            ("[^:#;\n\r%]{1,12}", prop::collection::vec(("[^:#;\n\r]{1,12}", 1..=5u8, "[^:#;\n\r]{0,12}"), 0..4)),
            0..4,
        ),
    ) {
        let mut text = String::from("journey\n");
        if !title.contains(['#', ';', '\n', '\r']) && !title.trim().is_empty() {
            let _ = writeln!(text, "  title {title}");
        }
        for (name, tasks) in &sections {
            if name.trim().is_empty() || !name.trim_start().starts_with(|c: char| c != '%') {
                continue;
            }
            let _ = writeln!(text, "  section {name}");
            for (task, score, actors) in tasks {
                let _ = writeln!(text, "    {task}: {score}: {actors}");
            }
        }
        assert_sound(&text);
    }
}

// ------------------------------------------------------------------ command line

/// `journey` run from the crate root.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(30));
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn cli_prints_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "day.mmd", DOCS);
    let output = journey().args(["import", "mermaid"]).arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stderr, b"");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.ends_with(&imported(DOCS).text().split_once('\n').unwrap().1));
    assert!(text.contains("day.mmd"));
}

#[test]
fn cli_reads_standard_input() {
    let output = journey().args(["import", "mermaid", "-"]).write_stdin(DOCS).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("// Imported by `journey import mermaid` from `standard input`.\n"));
    assert_checks("stdin.journey", &text);
}

#[test]
fn cli_writes_files_that_check_and_never_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "maps.md", MARKDOWN);
    let out = dir.path().join("new/folder");
    journey()
        .args(["import", "mermaid"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("personas_2.journey"))
        .stderr(predicate::str::contains("add `traces to` to the touchpoints"));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["journey.journey", "journey_2.journey", "personas.journey", "personas_2.journey"]
    );
    journey()
        .arg("check")
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors, 3 warnings, 0 notes"));

    // A second import refuses, and changes nothing.
    std::fs::write(out.join("journey.journey"), "// edited\n").unwrap();
    journey()
        .args(["import", "mermaid"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exist"));
    assert_eq!(std::fs::read_to_string(out.join("journey.journey")).unwrap(), "// edited\n");
}

#[test]
fn cli_reports_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.mmd", "journey\n  section S\n    Do work: 7: Me\n");
    let out = dir.path().join("out");
    let output =
        journey().args(["import", "mermaid"]).arg(&file).arg("-o").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stdout, b"");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("bad.mmd:3:14: the score must be a whole number from 1 to 5, found `7`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing imported"), "{stderr}");
    assert!(!out.exists());
    journey()
        .args(["import", "mermaid", "-"])
        .write_stdin("graph TD\n")
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn cli_exit_2_when_the_input_cannot_be_read_or_the_output_written() {
    let dir = tempfile::tempdir().unwrap();
    journey()
        .args(["import", "mermaid"])
        .arg(dir.path().join("missing.mmd"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.mmd"));
    let latin1 = dir.path().join("latin1.mmd");
    std::fs::write(&latin1, b"journey\n  Caf\xe9: 5: Me\n").unwrap();
    journey()
        .args(["import", "mermaid"])
        .arg(&latin1)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
    let file = write(dir.path(), "day.mmd", DOCS);
    let blocker = write(dir.path(), "a-file", "");
    journey()
        .args(["import", "mermaid"])
        .arg(&file)
        .arg("-o")
        .arg(&blocker)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
    journey().args(["import"]).assert().code(2);
    journey().args(["import", "mermaid"]).assert().code(2);
}
