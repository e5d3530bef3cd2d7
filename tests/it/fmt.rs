//! `journey fmt`: canonical, idempotent, meaning-preserving, comment-preserving; and
//! the command line around it.

use crate::support;

use assert_cmd::Command;
use journey::fmt::{Unformattable, format};
use journey::source::FileId;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn every_example_file() -> Vec<PathBuf> {
    let files = support::journey_files(&support::root().join("examples"));
    assert!(files.len() >= 10, "the examples are missing");
    files
}

fn formatted(text: &str) -> String {
    match format(FileId(0), text) {
        Ok(out) => out,
        Err(Unformattable::Syntax(d)) => panic!("does not parse: {d:?}\n{text}"),
        Err(Unformattable::Internal(why)) => panic!("formatter bug: {why}\n{text}"),
    }
}

#[test]
fn the_examples_are_formatted() {
    for path in every_example_file() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(formatted(&text) == text, "{} is not formatted: run `journey fmt`", path.display());
    }
}

#[test]
fn formatting_is_idempotent() {
    for path in every_example_file() {
        let text = std::fs::read_to_string(&path).unwrap();
        let once = formatted(&scramble(&text, 7));
        assert_eq!(formatted(&once), once, "{}", path.display());
    }
}

#[test]
fn a_scrambled_layout_formats_to_the_same_text() {
    for path in every_example_file() {
        let text = std::fs::read_to_string(&path).unwrap();
        let canonical = formatted(&text);
        for seed in 0..4 {
            let scrambled = scramble(&text, seed);
            assert_ne!(scrambled, text, "the scrambler changed nothing");
            let out = formatted(&scrambled);
            assert!(
                out == canonical,
                "{} scrambled with seed {seed} formats differently:\n{}",
                path.display(),
                support::diff(&canonical, &out)
            );
        }
    }
}

/// The model of every example, as `journey build` describes it in
/// `traceability.json`, is the same after formatting every file (source
/// locations aside).
#[test]
fn formatting_preserves_the_model() {
    for example in ["insurance-claims", "hospital-onboarding", "b2b-order"] {
        let tmp = tempfile::tempdir().unwrap();
        let source = support::root().join("examples").join(example);
        let scrambled = tmp.path().join("ws");
        for file in support::journey_files(&source) {
            let rel = file.strip_prefix(&source).unwrap();
            let target = scrambled.join(rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            let text = std::fs::read_to_string(&file).unwrap();
            std::fs::write(&target, scramble(&text, 3)).unwrap();
        }
        let before = model(&scrambled, &tmp.path().join("before"));
        Command::cargo_bin("journey").unwrap().arg("fmt").arg(&scrambled).assert().success();
        let after = model(&scrambled, &tmp.path().join("after"));
        assert_eq!(before, after, "{example}");
    }
}

/// `traceability.json` without its source locations.
fn model(workspace: &Path, out: &Path) -> Value {
    Command::cargo_bin("journey")
        .unwrap()
        .arg("build")
        .arg(workspace)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("traceability.json")).unwrap())
            .unwrap();
    support::strip_sources(&mut json);
    json
}

#[test]
fn comments_stay_where_they_were() {
    let text = "\
// File header.

/// The customer.
persona p \"P\" // trailing on a one-liner

team t { // on the head line
  // before the description
  description \"D\" // after the description
  // before the closing brace
} // after the brace
// at the end
";
    let out = formatted(text);
    assert_eq!(
        out,
        "\
// File header.

/// The customer.
persona p \"P\" // trailing on a one-liner

team t { // on the head line
  // before the description
  description \"D\" // after the description
  // before the closing brace
} // after the brace
// at the end
"
    );
}

/// Every line break an editor may save (`\n`, `\r\n`, a lone `\r`) ends a comment,
/// and the output uses `\n` throughout. A lone `\r` once ended a comment for the
/// parser but not for the formatter (a fuzzing finding).
#[test]
fn any_line_break_ends_a_comment() {
    let expected = "// a\n\nteam t \"T\" // b\n// c\n";
    for text in [
        "// a\n\nteam t \"T\" // b\n// c\n",
        "// a\r\n\r\nteam t \"T\" // b\r\n// c\r\n",
        "// a\r\rteam t \"T\" // b\r// c\r",
        "// a\r\r\nteam t \"T\" // b\n// c",
    ] {
        assert_eq!(formatted(text), expected, "{text:?}");
    }
}

#[test]
fn the_canonical_layout() {
    let text = "team a \"A\" team b\nsystem s { owner a ; } capability c \"C\" { level 1 owner a capacity 5   per  week }
value   stream v { stage s { metric m { target \"x\" } activity x { owner a process 90 minutes wait 1 days } } }
journey j { volume 10 per day mix simple 50% , complex 50% stage s { touchpoint t \"T\" { emotion 2 reach 60.0% moment   of\ntruth traces\n to v.x, x } } }";
    let expected = "\
team a \"A\"
team b

system s { owner a }

capability c \"C\" {
  level 1
  owner a
  capacity 5 per week
}

value stream v {
  stage s {
    metric m { target \"x\" }

    activity x {
      owner a
      process 90 min
      wait 1 day
    }
  }
}

journey j {
  volume 10 per day
  mix simple 50% complex 50%

  stage s {
    touchpoint t \"T\" {
      emotion +2
      reach 60%
      moment of truth
      traces to v.x, x
    }
  }
}
";
    assert_eq!(formatted(text), expected);
}

/// Both forms of a typed kpi value (spec §5b) are kept as written, each laid out
/// canonically, with the scenario words of §4a.
#[test]
fn typed_kpis_and_scenarios_keep_their_form() {
    let text = "value stream v { stage s { metric m \"M\" { target   <=2  days current \"4 days\" }
activity old { state   retired accuracy 90.5% process 1 h } activity new { state future } } }
journey f { state future replaces   j stage s { touchpoint t { kpi \"K\" { target \">= 80%\" current 83% } } } }";
    let expected = "\
value stream v {
  stage s {
    metric m \"M\" { target <= 2 days current \"4 days\" }

    activity old {
      state retired
      accuracy 90.5%
      process 1 h
    }

    activity new { state future }
  }
}

journey f {
  state future
  replaces j

  stage s {
    touchpoint t {
      kpi \"K\" { target \">= 80%\" current 83% }
    }
  }
}
";
    assert_eq!(formatted(text), expected);
    assert_eq!(formatted(expected), expected);
}

#[test]
fn strings_are_written_back_with_canonical_escapes() {
    let out = formatted("persona p \"quote \\\" back\\\\slash tab\\t nl\\n \\u{41} \\u{7}\"\n");
    assert_eq!(out, "persona p \"quote \\\" back\\\\slash tab\\t nl\\n A \\u{7}\"\n");
}

#[test]
fn a_file_that_does_not_parse_is_refused() {
    assert!(matches!(format(FileId(0), "team {"), Err(Unformattable::Syntax(_))));
}

#[test]
fn check_lists_unformatted_files_with_a_diff_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let messy = tmp.path().join("messy.journey");
    let tidy = tmp.path().join("tidy.journey");
    std::fs::write(&messy, "team   a\n").unwrap();
    std::fs::write(&tidy, "team b\n").unwrap();
    let out = Command::cargo_bin("journey")
        .unwrap()
        .args(["fmt", "--check"])
        .arg(tmp.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("-team   a") && stdout.contains("+team a"), "{stdout}");
    assert!(!stdout.contains("tidy.journey"), "{stdout}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("1 file not formatted"));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), "team   a\n");
}

#[test]
fn fmt_rewrites_files_and_then_has_nothing_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a.journey");
    std::fs::write(&file, "team   a\n").unwrap();
    Command::cargo_bin("journey").unwrap().arg("fmt").arg(&file).assert().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "team a\n");
    Command::cargo_bin("journey").unwrap().args(["fmt", "--check"]).arg(&file).assert().success();
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");
}

#[test]
fn a_file_with_a_syntax_error_is_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.journey");
    let good = tmp.path().join("good.journey");
    std::fs::write(&bad, "team   a {\n").unwrap();
    std::fs::write(&good, "team   b\n").unwrap();
    Command::cargo_bin("journey")
        .unwrap()
        .arg("fmt")
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("journey::syntax"))
        .stderr(predicates::str::contains("left unchanged"));
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "team   a {\n");
    assert_eq!(std::fs::read_to_string(&good).unwrap(), "team b\n");
}

#[test]
fn standard_input_to_standard_output() {
    Command::cargo_bin("journey")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin("team   a  \"A\"")
        .assert()
        .success()
        .stdout("team a \"A\"\n");
    Command::cargo_bin("journey")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin("team {")
        .assert()
        .code(1)
        .stdout("");
}

/// Replaces the whitespace between tokens with other whitespace, leaving strings,
/// comments and the whitespace around comments alone (a comment's place is the
/// author's, and `//` runs to the end of its line).
fn scramble(text: &str, seed: u64) -> String {
    let fillers = [" ", "\n", "  ", "\n\n", "\t", " \n  ", "\n\n\n    "];
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            // A string, escapes included, copied as it is.
            out.push(c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            if i < chars.len() {
                out.push('"');
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            // A comment and the line break ending it.
            while i < chars.len() && chars[i] != '\n' {
                out.push(chars[i]);
                i += 1;
            }
        } else if c.is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let touches_comment = (start > 0 && is_comment_line_end(&chars, start))
                || (i + 1 < chars.len() && chars[i] == '/' && chars[i + 1] == '/');
            if touches_comment || start == 0 || i == chars.len() {
                out.push_str(&run);
            } else {
                out.push_str(fillers[next() % fillers.len()]);
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the whitespace at `at` follows a comment on the same line.
fn is_comment_line_end(chars: &[char], at: usize) -> bool {
    let line_start = chars[..at].iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1);
    let line: String = chars[line_start..at].iter().collect();
    let mut in_string = false;
    let mut prev = ' ';
    for c in line.chars() {
        if c == '"' && prev != '\\' {
            in_string = !in_string;
        }
        if !in_string && prev == '/' && c == '/' {
            return true;
        }
        prev = c;
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the layout of an example, formatting reaches the same fixed point.
    #[test]
    fn any_scramble_reaches_the_fixed_point(seed in any::<u64>(), which in 0usize..13) {
        let files = every_example_file();
        let text = std::fs::read_to_string(&files[which % files.len()]).unwrap();
        prop_assert_eq!(formatted(&scramble(&text, seed)), formatted(&text));
    }

    /// Formatting never panics, on any input.
    #[test]
    fn arbitrary_text_never_panics(text in "[ -~\\n]{0,200}") {
        let _ = format(FileId(0), &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Comments, doc comments, semicolons and line breaks dropped at random places
    /// of an example: whenever the result parses, it formats (the meaning and
    /// comment checks inside `format` pass) and formatting it again changes nothing.
    #[test]
    fn comments_anywhere_are_kept(
        which in 0usize..13,
        inserts in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..8), 1..6),
    ) {
        let snippets =
            ["// note\n", " // trailing\n", "\n/// doc\n", ";", "\n\n", "\n// a\n\n// b\n", "\t", " "];
        let files = every_example_file();
        let mut text = std::fs::read_to_string(&files[which % files.len()]).unwrap();
        for (at, snippet) in inserts {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.insert_str(i, snippets[snippet]);
        }
        match format(FileId(0), &text) {
            Ok(once) => prop_assert_eq!(formatted(&once), once),
            Err(Unformattable::Syntax(_)) => {}
            Err(Unformattable::Internal(why)) => {
                prop_assert!(false, "formatter bug: {}\n{}", why, text);
            }
        }
    }
}
