//! The lexer on hand-picked texts, on any text (it never panics and its tokens tile
//! the text), and against pest on valid files: it finds the strings and comments
//! exactly where the grammar does, so the formatter and the editor can trust it.

use super::*;
use crate::syntax::parse::{JourneyParser, Rule};
use pest::Parser as _;
use proptest::prelude::*;

fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
    tokens(text).filter(|t| !t.is_space()).map(|t| (t.kind, t.text(text))).collect()
}

const CLOSED: TokenKind = TokenKind::Str { closed: true };
const OPEN: TokenKind = TokenKind::Str { closed: false };

#[test]
fn lexes_words_strings_numbers_and_comments() {
    assert_eq!(
        kinds("/// doc\nteam a-1 \"x \\\" y\" { reach 60% } // c\n\"open\n-3 vs.act"),
        vec![
            (TokenKind::DocComment, "/// doc"),
            (TokenKind::Word, "team"),
            (TokenKind::Word, "a-1"),
            (CLOSED, "\"x \\\" y\""),
            (TokenKind::Punct, "{"),
            (TokenKind::Word, "reach"),
            (TokenKind::Number, "60%"),
            (TokenKind::Punct, "}"),
            (TokenKind::Comment, "// c"),
            (OPEN, "\"open"),
            (TokenKind::Number, "-3"),
            (TokenKind::Word, "vs"),
            (TokenKind::Punct, "."),
            (TokenKind::Word, "act"),
        ]
    );
    assert_eq!(
        kinds("caf\u{e9}\"\\\u{e9}"),
        vec![(TokenKind::Word, "caf"), (TokenKind::Unknown, "\u{e9}"), (OPEN, "\"\\\u{e9}")]
    );
}

#[test]
fn comments_and_strings_end_where_the_grammar_ends_them() {
    assert_eq!(
        kinds("//// plain\n//x\n///x\n\"a\\\"\n\"b\\\r\n\"c\\"),
        vec![
            (TokenKind::Comment, "//// plain"),
            (TokenKind::Comment, "//x"),
            (TokenKind::DocComment, "///x"),
            (OPEN, "\"a\\\""),
            (OPEN, "\"b\\"),
            (OPEN, "\"c\\"),
        ]
    );
    assert_eq!(
        kinds("\"https://x\" // y"),
        vec![(CLOSED, "\"https://x\""), (TokenKind::Comment, "// y")]
    );
}

#[test]
fn white_space_is_kept_and_line_breaks_are_tokens_of_their_own() {
    let text = "\u{feff}a \t\u{feff} b\r\n\rc\n";
    let all: Vec<(TokenKind, &str)> = tokens(text).map(|t| (t.kind, t.text(text))).collect();
    assert_eq!(
        all,
        vec![
            (TokenKind::Blank, "\u{feff}"),
            (TokenKind::Word, "a"),
            (TokenKind::Blank, " \t\u{feff} "),
            (TokenKind::Word, "b"),
            (TokenKind::Newline, "\r\n"),
            (TokenKind::Newline, "\r"),
            (TokenKind::Word, "c"),
            (TokenKind::Newline, "\n"),
        ]
    );
}

#[test]
fn numbers_take_a_sign_decimals_and_a_percent_sign() {
    assert_eq!(
        kinds("+2.5 - 3. 7%% 12abc"),
        vec![
            (TokenKind::Number, "+2.5"),
            (TokenKind::Unknown, "-"),
            (TokenKind::Number, "3"),
            (TokenKind::Punct, "."),
            (TokenKind::Number, "7%"),
            (TokenKind::Unknown, "%"),
            (TokenKind::Number, "12"),
            (TokenKind::Word, "abc"),
        ]
    );
}

#[test]
fn ids_are_single_words() {
    assert!(is_ident("a-b_1"));
    assert!(is_ident("_x"));
    for not in ["", "1a", "a b", "a.b", "caf\u{e9}", "-a", "a\n"] {
        assert!(!is_ident(not), "{not:?}");
    }
}

/// The tokens tile the text: each starts where the last ended, on a character
/// boundary, none is empty, and together they are the text.
fn assert_tiles(text: &str) {
    let mut at = 0;
    for t in tokens(text) {
        assert_eq!(t.start, at, "{text:?}: a gap or an overlap before {t:?}");
        assert!(t.end > t.start, "{text:?}: empty token {t:?}");
        assert!(text.is_char_boundary(t.end), "{text:?}: {t:?} splits a character");
        if t.kind != TokenKind::Newline {
            assert!(!t.text(text).contains(['\n', '\r']), "{text:?}: {t:?} spans a line break");
        }
        at = t.end;
    }
    assert_eq!(at, text.len(), "{text:?}: the tokens stop short");
}

/// The texts `.journey` tools see, and some they should never see.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-z \"\\\\/{};,.:%+\\-0-9\n\r\t\u{feff}\u{e9}\u{1F600}]{0,40}",]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_tiled(text in any_text()) {
        assert_tiles(&text);
    }
}

/// The spans of a valid file's strings and doc comments as pest reads them, and the
/// spans of its leaf tokens (keywords, ids, numbers…). Plain comments are the
/// grammar's silent white space, so pest names none of them: they lie in the gaps
/// between leaves. `None` if the file does not parse.
struct PestView {
    strings: Vec<(usize, usize)>,
    docs: Vec<(usize, usize)>,
    leaves: Vec<(usize, usize)>,
}

fn pest_view(text: &str) -> Option<PestView> {
    let mut view = PestView { strings: Vec::new(), docs: Vec::new(), leaves: Vec::new() };
    let mut pos = 0;
    loop {
        let item = JourneyParser::parse(Rule::item, &text[pos..]).ok()?.next()?;
        let len = item.as_span().end();
        let mut finished = false;
        for pair in item.into_inner().flatten() {
            let span = (pos + pair.as_span().start(), pos + pair.as_span().end());
            match pair.as_rule() {
                Rule::end => finished = true,
                Rule::string => view.strings.push(span),
                Rule::doc => view.docs.push(span),
                _ => {}
            }
            if pair.clone().into_inner().next().is_none() && span.0 < span.1 {
                view.leaves.push(span);
            }
        }
        if finished || len == 0 {
            return Some(view);
        }
        pos += len;
    }
}

/// The lexer agrees with pest on a valid file: the same strings and doc comments,
/// comments only outside pest's tokens, and outside them nothing but white space,
/// comments, punctuation and a percentage's `%`.
fn assert_agrees_with_pest(text: &str) {
    let view = pest_view(text).unwrap_or_else(|| panic!("does not parse: {text:?}"));
    let all: Vec<Token> = tokens(text).collect();
    let spans = |keep: fn(TokenKind) -> bool| -> Vec<(usize, usize)> {
        all.iter().filter(|t| keep(t.kind)).map(|t| (t.start, t.end)).collect()
    };
    assert_eq!(spans(|k| matches!(k, TokenKind::Str { .. })), view.strings, "strings in {text:?}");
    assert_eq!(spans(|k| k == TokenKind::DocComment), view.docs, "doc comments in {text:?}");
    let in_leaf = |at: usize| view.leaves.iter().any(|&(start, end)| (start..end).contains(&at));
    for t in &all {
        let outside = (t.start..t.end).filter(|&at| !in_leaf(at)).count();
        match t.kind {
            TokenKind::Comment => assert_eq!(outside, t.end - t.start, "{t:?} overlaps a token"),
            TokenKind::Word => {
                assert_eq!(outside, 0, "{t:?} is not one of pest's tokens in {text:?}");
            }
            TokenKind::Unknown => panic!("{t:?} in a valid file: {text:?}"),
            // A string's opening quote, `///`, punctuation and a `%` are no leaf of
            // their own in pest's tree.
            _ => {}
        }
    }
}

/// Every `.journey` file under a folder of the repository.
fn journey_files(folder: &str) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("the folder is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "journey") {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn agrees_with_pest_on_the_examples() {
    let files = journey_files("examples");
    assert!(files.len() >= 9, "found only {files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("the example is readable");
        assert_agrees_with_pest(&text);
    }
}

/// White space and plain comments, which may stand between any two tokens.
fn trivia() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just("\u{feff}".to_owned()),
        "([^/\n\r][^\n\r]{0,12})?".prop_map(|c| format!("//{c}\n")),
        "[^\n\r]{0,12}".prop_map(|c| format!("////{c}\r")),
    ];
    prop::collection::vec(piece, 1..4).prop_map(|pieces| pieces.concat())
}

/// A string, escapes, `//` and quotes included.
fn string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[^\"\\\\\n\r]{1,6}",
            Just("//".to_owned()),
            Just("\\\"".to_owned()),
            Just("\\\\".to_owned()),
            "\\\\[^\n\r]",
        ],
        0..5,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn doc() -> impl Strategy<Value = String> {
    "([^/\n\r][^\n\r]{0,12})?".prop_map(|c| format!("///{c}\n"))
}

/// A valid file, as its tokens: `$` stands for a string, `#` for doc comments, `~`
/// for the white space between the words of a keyword (where no comment may stand).
const FILE: &[&str] = &[
    "#",
    "team",
    "x-1",
    "$",
    "{",
    "description",
    "$",
    ";",
    "allow",
    "gap",
    ",",
    "journey::waste",
    "}",
    "#",
    "journey",
    "j",
    "{",
    "#",
    "stage",
    "s",
    "$",
    "{",
    "maps~to",
    "v.st",
    "#",
    "touchpoint",
    "t",
    "{",
    "traces~to",
    "v.a",
    ",",
    "b",
    "reach",
    "60%",
    "emotion",
    "-2",
    "channel",
    "$",
    "moment~of~truth",
    "kpi",
    "$",
    "{",
    "target",
    "$",
    "}",
    "}",
    "}",
    "volume",
    "1.5",
    "per",
    "week",
    "}",
    "#",
    "value~stream",
    "v",
    "{",
    "stage",
    "st",
    "{",
    "activity",
    "a",
    "$",
    "{",
    "process",
    "15",
    "min",
    "lane",
    "support",
    "enabling",
    "}",
    "}",
    "}",
];

/// A valid file with random strings, doc comments and trivia between its tokens.
fn valid_file() -> impl Strategy<Value = String> {
    let slots = FILE.len() + 1;
    let gap = prop_oneof![Just(" "), Just("\t"), Just("\n"), Just("\r\n"), Just(" \r ")];
    (
        prop::collection::vec(trivia(), slots),
        prop::collection::vec(string(), slots),
        prop::collection::vec(prop::collection::vec(doc(), 0..3), slots),
        prop::collection::vec(gap, slots),
    )
        .prop_map(|(trivia, strings, docs, gaps)| {
            let mut out = String::new();
            for (i, token) in FILE.iter().enumerate() {
                out.push_str(&trivia[i]);
                match *token {
                    "$" => out.push_str(&strings[i]),
                    "#" => out.push_str(&docs[i].concat()),
                    _ => out.push_str(&token.replace('~', gaps[i])),
                }
            }
            out.push_str(&trivia[FILE.len()]);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn agrees_with_pest_on_valid_files(text in valid_file()) {
        assert_tiles(&text);
        assert_agrees_with_pest(&text);
    }
}
