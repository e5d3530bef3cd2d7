//! A corpus of hostile inputs, each with the diagnostics it must give: the codes, the
//! lines they start on, and a word of the message. `robustness.rs` proves that
//! no input panics; this file proves that each kind of bad input is *explained*.
//! Big inputs (a megabyte string, 100 000 repeated declarations) are built here rather
//! than checked in. Bytes that are not UTF-8 never reach the parser: the loader names
//! the first bad byte (`workspace.rs` `names_the_first_bad_byte`, `cli.rs`).

use journey::check::Levels;
use journey::source::Sources;

/// The diagnostics of one file: (code name, line, message) in order.
fn diagnostics(text: &str) -> Vec<(&'static str, usize, String)> {
    let mut sources = Sources::new();
    let id = sources.add("hostile.journey", text.to_owned()).unwrap();
    let analysis = journey::analyze(&sources, &Levels::default());
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.primary.span.file, id);
            let line = sources.get(id).line_col(d.primary.span.start).line;
            (d.code.name(), line, d.message.clone())
        })
        .collect()
}

/// Asserts the codes and lines, and that each message contains its word.
fn expect(name: &str, text: &str, wanted: &[(&str, usize, &str)]) {
    let got = diagnostics(text);
    let shown = || format!("{name}: got {got:#?}");
    assert_eq!(got.len(), wanted.len(), "{}", shown());
    for ((code, line, message), (w_code, w_line, w_word)) in got.iter().zip(wanted) {
        assert_eq!((*code, *line), (*w_code, *w_line), "{}", shown());
        assert!(message.contains(w_word), "{name}: `{message}` lacks `{w_word}`");
    }
}

#[test]
fn truncated_declarations() {
    expect(
        "truncated in a label",
        "journey j {\n  stage s {\n    touchpoint t \"Chec",
        &[("syntax", 3, "unterminated string")],
    );
    expect("truncated after a keyword", "team ops\nvalue stream", &[("syntax", 2, "")]);
    expect("truncated block", "journey j {\n  stage s {\n", &[("syntax", 3, "")]);
}

#[test]
fn unbalanced_braces() {
    expect("a closing brace too many", "team t { }\n}\nteam u\n", &[("syntax", 2, "found `}`")]);
    expect("an opening brace too many", "team t { {\n}\nteam u\n", &[("syntax", 1, "")]);
}

#[test]
fn a_megabyte_string() {
    let label = "x".repeat(1 << 20);
    expect("a megabyte label", &format!("persona p \"{label}\"\n"), &[]);
    expect(
        "a megabyte unterminated label",
        &format!("persona p \"{label}\npersona q\n"),
        &[("syntax", 1, "unterminated string")],
    );
}

#[test]
fn a_hundred_thousand_repeated_declarations() {
    let text = "team ops\n".repeat(100_000);
    let got = diagnostics(&text);
    assert_eq!(got.len(), 99_999, "one duplicate for every repeat");
    assert!(got.iter().all(|(code, _, _)| *code == "duplicate"));
    assert_eq!(got[0].1, 2);
    assert_eq!(got[99_998].1, 100_000);
}

#[test]
fn nul_bytes() {
    expect("a NUL between declarations", "team a\n\0\nteam b\n", &[("syntax", 2, "found '\\0'")]);
    expect("a NUL in a label", "team a \"x\0y\"\n", &[]);
}

#[test]
fn invalid_escapes() {
    expect("a surrogate", "team a \"\\u{d800}\"\n", &[("syntax", 1, "invalid escape `\\u{d800}`")]);
    expect("past Unicode", "team a \"\\u{110000}\"\n", &[("syntax", 1, "invalid escape")]);
    expect("an unknown escape", "team a \"\\q\"\n", &[("syntax", 1, "escape")]);
}

#[test]
fn numbers_that_overflow() {
    expect(
        "a huge level",
        "capability c {\n  level 99999999999999999999999\n}\n",
        &[("invalid-value", 2, "from 1 to 4, not 1e23")],
    );
    expect(
        "a huge capacity",
        "capability c {\n  level 1\n  capacity 1e400 per week\n}\n",
        &[("syntax", 3, "")],
    );
}

#[test]
fn byte_order_marks_and_line_ends() {
    expect("a BOM", "\u{feff}team a\nteam b\n", &[]);
    expect("CRLF", "team a\r\nteam b {\r\n  description \"D\"\r\n}\r\n", &[]);
    expect("lone CR", "team a\rteam a\r", &[("duplicate", 2, "`a`")]);
}
