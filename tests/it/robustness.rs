//! No input makes the compiler panic, and every span it reports is sound: inside
//! its file and on character boundaries. Checked on every prefix of the examples,
//! on random mutations of them, and on arbitrary text.

use crate::support;

use journey::report::{self, Human};
use journey::source::Sources;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Analyses a workspace and renders it every way; returns a problem, if any.
fn check(sources: &Sources) -> Result<(), String> {
    let analysis = support::analyze_default(sources);
    support::check_spans(sources, &analysis.diagnostics)?;
    // The renderers index into the text with the spans: they must not panic either.
    let _ = report::human(sources, &analysis.diagnostics, Human { color: false, width: 80 });
    let _ = report::json(sources, &analysis.diagnostics);
    let _ = report::github(sources, &analysis.diagnostics);
    Ok(())
}

fn check_text(text: &str) -> Result<(), String> {
    check(&support::single(text))
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// Every `.journey` file of the examples: (path relative to the crate root, text).
fn example_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = support::root();
        support::journey_files(&root.join("examples"))
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                (rel, std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    })
}

/// The char boundaries of a text, every `step`-th one, and always the end.
fn boundaries(text: &str, step: usize) -> Vec<usize> {
    let mut out: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(step).collect();
    out.push(text.len());
    out
}

fn check_prefixes(name: &str, text: &str, step: usize) {
    for end in boundaries(text, step) {
        let prefix = &text[..end];
        let result = std::panic::catch_unwind(|| check_text(prefix));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("{name}, prefix of {end} bytes: {e}\n--- prefix ---\n{prefix}"),
            Err(payload) => panic!(
                "{name}, prefix of {end} bytes: panicked: {}\n--- prefix ---\n{prefix}",
                panic_message(payload.as_ref())
            ),
        }
    }
}

/// One example file, in full: every prefix at every char boundary. The file with
/// non-ASCII text and every escape is the most interesting one.
#[test]
fn every_prefix_of_one_example() {
    let (name, text) = example_files()
        .iter()
        .find(|(n, _)| n.ends_with("hospital-onboarding/journeys/new-patient.journey"))
        .or_else(|| example_files().first())
        .expect("an example file");
    check_prefixes(name, text, 1);
}

/// Every small example file with non-ASCII text, in full: the cuts fall next to
/// multi-byte characters.
#[test]
fn every_prefix_of_the_examples_with_non_ascii_text() {
    let files: Vec<_> =
        example_files().iter().filter(|(_, t)| !t.is_ascii() && t.len() < 2500).collect();
    assert!(!files.is_empty(), "no small example file has non-ASCII text");
    for (name, text) in files {
        check_prefixes(name, text, 1);
    }
}

/// Every example file: prefixes at about 200 places each, at an odd step so that
/// the cuts fall at different offsets in every line.
#[test]
fn prefixes_of_every_example() {
    for (name, text) in example_files() {
        let step = (text.chars().count() / 200).max(1) | 1;
        check_prefixes(name, text, step);
    }
}

/// Every suffix too: starting in the middle of a declaration is the parser's
/// recovery path.
#[test]
fn suffixes_of_every_example() {
    for (name, text) in example_files() {
        let step = (text.chars().count() / 150).max(1) | 1;
        for start in boundaries(text, step) {
            let suffix = &text[start..];
            if let Err(e) = check_text(suffix) {
                panic!("{name}, suffix from byte {start}: {e}\n--- suffix ---\n{suffix}");
            }
        }
    }
}

/// Whole example workspaces with one file truncated: spans must stay in the
/// right file.
#[test]
fn workspaces_with_a_truncated_file() {
    for ws in ["examples/b2b-order", "examples/insurance-claims"] {
        let sources = support::load(ws);
        for (victim, f) in sources.iter() {
            for end in boundaries(&f.text, (f.text.len() / 20).max(1)) {
                let mut s = Sources::new();
                for (id, g) in sources.iter() {
                    let text = if id == victim { f.text[..end].to_owned() } else { g.text.clone() };
                    s.add(g.path.clone(), text).unwrap();
                }
                if let Err(e) = check(&s) {
                    panic!("{ws} with {} cut at {end}: {e}", f.display_path());
                }
            }
        }
    }
}

#[test]
fn awkward_texts() {
    let texts = [
        "",
        "\n",
        "\u{feff}",
        "\u{feff}team ops",
        "\r\n\r\nteam ops\r\n",
        "team",
        "team ops {",
        "team ops }",
        "}",
        "{",
        "\"",
        "\\",
        "///",
        "/// doc",
        "/// doc\n",
        "////",
        "//",
        "team ops \"\\",
        "team ops \"\\u{",
        "team ops \"\\u{1F600}\" { description \"\\u{1F600\" }",
        "team ops \"é\\",
        "team ops \"é\\é\"",
        "team ops \"\\u{ffffffff}\"",
        "team ops \"\\u{}\"",
        "team ops \"\\u\"",
        "persona p \"x\ny\"",
        "journey j { volume 1e5 per week }",
        "journey j { volume 5 per fortnight }",
        "journey j { volume 18446744073709551616 per week stage s { touchpoint t { reach 100% } } }",
        "journey j { stage s { touchpoint t { emotion -0 reach 0% } } }",
        "journey j { stage s { touchpoint t { emotion +-1 } } }",
        "journey j { stage s { touchpoint t { reach 50 } } }",
        "journey j { stage s { touchpoint t { traces to } } }",
        "journey j { stage s { touchpoint t { traces to a. } } }",
        "journey j { stage s { touchpoint t { traces to .a } } }",
        "journey j { stage s { touchpoint t { traces to a.b.c } } }",
        "journey j { stage s { touchpoint t { traces to a,, b } } }",
        "journey j { mix } ",
        "journey j { mix simple } ",
        "journey j { mix simple 100%, } ",
        "value stream",
        "value\n\n\tstream v",
        "value stream v { stage s { activity a { process 5 } } }",
        "value stream v { stage s { activity a { process 5 fortnights } } }",
        "value stream v { stage s { metric { } } }",
        "value stream v { stage s { kpi } }",
        "capability c { capacity 1 per }",
        "capability c { level 99999999999999999999999 }",
        "capability c { level 2.5 }",
        "capability c { allow }",
        "capability c { allow journey:: }",
        "capability c { allow ::gap }",
        "team é",
        "team ops \"\u{0}\"",
        "team ops\u{0}",
        "\u{7f}\u{85}\u{2028}\u{2029}",
        "team ops ; ; ;",
        "team ops { ; }",
        "日本語 チーム",
        "team t { description \"日本語\" } 日本語",
        "team t \"🚀\" { description \"🚀\\q🚀\" }",
        "team t { descriptio\u{301}n \"x\" }",
        "journey j {\n  stage s {\n    touchpoint t {\n      moment of\n",
        "journey j { stage s { touchpoint t { moment of truth moment of truth } } }",
        "journey j { stage s { maps to } }",
    ];
    for text in texts {
        let result = std::panic::catch_unwind(|| check_text(text));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("{text:?}: {e}"),
            Err(payload) => panic!("{text:?}: panicked: {}", panic_message(payload.as_ref())),
        }
    }
}

#[test]
fn deep_nesting_and_long_lines_do_not_overflow() {
    let braces = "{".repeat(10_000);
    check_text(&format!("team t {braces}")).unwrap();
    let closes = "}".repeat(10_000);
    check_text(&closes).unwrap();
    let many = "team t\n".repeat(2_000);
    check_text(&many).unwrap();
    let long = format!("team t \"{}\"", "x".repeat(100_000));
    check_text(&long).unwrap();
    let long_id = format!("team {}", "a".repeat(100_000));
    check_text(&long_id).unwrap();
}

// ------------------------------------------------------------------ mutations

/// A token worth splicing into a journey file.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "\"",
    "\\",
    "\\u{",
    "\\u{d800}",
    "traces to",
    "traces\nto",
    "maps to",
    "///",
    "//",
    "/// doc\n",
    "%",
    "per",
    "per week",
    "0",
    "-1",
    "+3",
    "1.5",
    "99999999999999999999",
    "60%",
    "\n",
    " ",
    ";",
    ",",
    ".",
    "é",
    "日本",
    "🚀",
    "\u{feff}",
    "\r\n",
    "team",
    "persona",
    "capability",
    "value stream",
    "journey",
    "stage",
    "activity",
    "touchpoint",
    "metric",
    "kpi",
    "opportunity",
    "owner",
    "allow",
    "allow gap",
    "allow journey::syntax",
    "enabling",
    "moment of truth",
    "mix simple 50%",
    "capacity 1 per hour",
    "volume 10 per day",
    "lane",
    "emotion",
    "reach",
    "x.y",
    "\u{0}",
];

#[derive(Clone, Debug)]
enum Mutation {
    Insert {
        at: usize,
        byte: u8,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Replace {
        at: usize,
        byte: u8,
    },
    Splice {
        at: usize,
        token: usize,
    },
    /// Removes a range and puts it back elsewhere: swaps whole declarations.
    Move {
        from: usize,
        len: usize,
        to: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace { at, byte }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Splice { at, token }),
        (any::<usize>(), 1usize..400, any::<usize>()).prop_map(|(from, len, to)| Mutation::Move {
            from,
            len,
            to
        }),
    ]
}

/// Applies a mutation to bytes; the result is made UTF-8 by the caller (a file
/// that is not UTF-8 never reaches the compiler: the loader refuses it).
fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    match *m {
        Mutation::Insert { at, byte } => bytes.insert(at % (n + 1), byte),
        Mutation::Delete { at, len } => {
            if n > 0 {
                let at = at % n;
                bytes.drain(at..(at + len).min(n));
            }
        }
        Mutation::Replace { at, byte } => {
            if n > 0 {
                bytes[at % n] = byte;
            }
        }
        Mutation::Splice { at, token } => {
            let at = at % (n + 1);
            bytes.splice(at..at, TOKENS[token].bytes());
        }
        Mutation::Move { from, len, to } => {
            if n > 0 {
                let from = from % n;
                let piece: Vec<u8> = bytes.drain(from..(from + len).min(n)).collect();
                let to = to % (bytes.len() + 1);
                bytes.splice(to..to, piece);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_examples_never_panic(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let files = example_files();
        let (name, text) = &files[file.index(files.len())];
        let mut bytes = text.clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let result = std::panic::catch_unwind(|| check_text(&text));
        let checked = result.map_err(|p| panic_message(p.as_ref()));
        prop_assert!(checked.is_ok(), "{name} mutated by {mutations:?} panicked: {}", checked.unwrap_err());
        let checked = checked.unwrap();
        prop_assert!(checked.is_ok(), "{name} mutated by {mutations:?}: {}", checked.unwrap_err());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        prop_assert!(check_text(&text).is_ok());
    }

    /// Any byte string: the loader either decodes it, and then the compiler gives a
    /// result or diagnostics with sound spans, or names the first bad byte exactly.
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(prop_oneof![3 => 0x09u8..0x7f, 1 => any::<u8>()], 0..400),
    ) {
        match journey::workspace::decode(bytes.clone()) {
            Ok(text) => {
                let checked = check_text(&text);
                prop_assert!(checked.is_ok(), "{text:?}: {}", checked.unwrap_err());
            }
            Err(journey::workspace::Problem::NotUtf8 { offset, byte, .. }) => {
                prop_assert!(offset < bytes.len());
                prop_assert_eq!(bytes[offset], byte);
                prop_assert!(std::str::from_utf8(&bytes[..offset]).is_ok());
                prop_assert!(std::str::from_utf8(&bytes[..=offset]).is_err());
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn journey_like_text_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                (0..TOKENS.len()).prop_map(|i| TOKENS[i].to_owned()),
                "[a-z_]{1,8}",
                "[ \n\t]{1,3}",
                "\"[^\"\\\\\n]{0,8}\"",
            ],
            0..60,
        ),
    ) {
        let text = parts.join(" ");
        let result = std::panic::catch_unwind(|| check_text(&text));
        let checked = result.map_err(|p| panic_message(p.as_ref()));
        prop_assert!(checked.is_ok(), "panicked on {text:?}: {}", checked.unwrap_err());
        let checked = checked.unwrap();
        prop_assert!(checked.is_ok(), "{text:?}: {}", checked.unwrap_err());
    }
}
