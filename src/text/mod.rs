//! The text layer: how text from the sources is written into each kind of output, and
//! how figures and counts read in English. It sits below every back end (`emit`,
//! `diff`, `report`, `lsp`, `serve`, `cli`) and above nothing but `source` and
//! `diagnostic`, so that every output escapes and words things the same way.
//!
//! One module per target: [`html`], [`markdown`] (documents, and GitHub comments),
//! [`mermaid`], [`svg`] (the pictures), [`csv`], [`github`] (workflow commands) and [`terminal`] (terminals and
//! logs); [`number`] for figures; and the prose helpers [`plural`], [`article`] and
//! [`join_list`].
//!
//! # Invisible and control characters: one policy
//!
//! Source text is written by one person and read by another: in a terminal, a CI log,
//! a browser, a pull request, a spreadsheet. Three kinds of characters in it can act
//! on what is around them, and each kind has one rule, which every escaper applies
//! in the form its target needs (`docs/outputs.md`, "Control and direction
//! characters"):
//!
//! 1. **Control characters** ([`is_control`]: C0 but tab and line breaks, DEL, C1;
//!    `ESC`, `NUL`, `BEL`, `CSI` …) can drive a terminal: clear the screen, move the
//!    cursor, hide what follows. They never reach an output as themselves. They are
//!    shown as the escape `journey` reads in strings, `\u{1b}` ([`visible`]), except in
//!    a source excerpt, where columns must stay right and each is one column wide: a
//!    control picture (`␛`, `␀`; `�` for C1), as rustc shows them
//!    ([`terminal::excerpt`]).
//! 2. **Direction controls** ([`is_direction_control`]: the embeddings, overrides and
//!    isolates U+202A–U+202E and U+2066–U+2069) can reverse the text after the one
//!    they are in. A label shown as a rendered document's text (a page, a Markdown
//!    export, a diagram) keeps them, since right-to-left writing may need them, but is
//!    wrapped in an isolate, U+2068 … U+2069 ([`isolated`]), which ends their effect
//!    with the label. Everywhere else (messages, which quote source text between
//!    words of ours; terminals and logs; the pull-request comment) they are shown as
//!    `\u{202e}`; in a source excerpt as `�`.
//! 3. **Line breaks and tabs** are layout: each target lays them out its way (kept in
//!    HTML, CSV and excerpts; a space in a table cell or a heading; `<br>` in a
//!    diagram's task; `\u{a}` where a text must stay on one line of prose).
//!
//! Other invisible characters (zero-width space and joiners, the marks LRM, RLM and
//! ALM, a byte-order mark) are left as they are: they cannot drive a terminal, and
//! their effect ends with the text they are in.
//!
//! The JSON outputs (`traceability.json`, `--format json`, `diff --format json`) are
//! for tools and hold the text exactly, as JSON escapes it (`\u001b`).

pub mod csv;
pub mod github;
pub mod html;
pub mod markdown;
pub mod mermaid;
pub mod number;
mod prose;
pub mod svg;
pub mod terminal;

pub use prose::{article, join_list, plural};

use std::borrow::Cow;
use std::fmt::Write as _;

/// A control character that is not layout: C0 but tab, line feed and carriage
/// return; DEL; C1. These can drive a terminal, so no output holds one as itself.
pub fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The explicit embeddings, overrides and isolates of Unicode's bidirectional
/// algorithm: the characters whose effect can outlast the text they are in.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text as prose shows it: every control character, line breaks and tabs included,
/// and every direction control as the escape `journey` reads in strings (`\u{1b}`,
/// `\u{202e}`), so that a label can neither drive a terminal nor reverse the words
/// after it, and stays on its line. Borrowed when there is nothing to show so.
pub fn visible(text: &str) -> Cow<'_, str> {
    escaped(text, |c| c.is_control() || is_direction_control(c))
}

/// Text with its control characters (not layout, not direction controls) shown as
/// escapes: what a rendered document does before it isolates or lays out the rest.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escaped(text, is_control)
}

/// A message, which quotes source text between words of ours, with its direction
/// controls shown as escapes as well as its control characters: isolating the whole
/// message could not stop a quoted label from reversing the message's own words
/// after it. Line breaks and tabs are left to the target.
pub fn message(text: &str) -> Cow<'_, str> {
    escaped(text, |c| is_control(c) || is_direction_control(c))
}

/// Whether a text holds a direction control, and so must be isolated where it is
/// shown as a document's text.
pub fn needs_isolation(text: &str) -> bool {
    text.chars().any(is_direction_control)
}

/// A label as a rendered document shows it: wrapped in FIRST STRONG ISOLATE … POP
/// DIRECTIONAL ISOLATE when it holds a direction control, which closes whatever the
/// label opened; otherwise as it is.
pub fn isolated(text: String) -> String {
    if needs_isolation(&text) { format!("\u{2068}{text}\u{2069}") } else { text }
}

/// Writes `c` as the escape `journey` reads in strings: `\u{1b}`.
pub fn write_escape(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// A character the policy names, found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    /// A control character ([`is_control`]).
    Control,
    /// A direction control ([`is_direction_control`]).
    Direction,
    /// A carriage return not followed by a line feed: a line break to the compiler
    /// and to editors, but a terminal moves its cursor back over the line.
    LoneCr,
}

/// Where a text holds what the policy names, and what. Every value of a page and
/// every file of a report passes here, so it looks at bytes: all such characters
/// start with a byte below 0x20, 0x7F, 0xC2 (C1) or 0xE2 (the direction controls),
/// and most text has none of those.
pub(crate) fn specials(text: &str) -> impl Iterator<Item = (usize, Special)> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        let kind = match b {
            b'\t' | b'\n' => return None,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => return None,
            b'\r' => Special::LoneCr,
            0..0x20 | 0x7f => Special::Control,
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => Special::Control,
            0xe2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9)) => {
                    Special::Direction
                }
                _ => return None,
            },
            _ => return None,
        };
        Some((i, kind))
    })
}

fn escaped(text: &str, shown: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&shown) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if shown(c) {
            write_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_controls_are_classified_once() {
        for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}'] {
            assert!(is_control(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', 'a', '\u{200b}', '\u{200f}', '\u{feff}'] {
            assert!(!is_control(c), "{c:?}");
        }
        for c in ['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}'] {
            assert!(is_direction_control(c) && !is_control(c), "{c:?}");
        }
        assert!(!is_direction_control('\u{200e}') && !is_direction_control('\u{61c}'));
    }

    #[test]
    fn the_byte_scan_finds_what_the_policy_names() {
        let text = "a\r\nb\tc\u{1b}\u{85}\u{a0}—\u{202e}\u{2069}\u{2028}\rz\u{7f}";
        let found: Vec<(usize, Special)> = specials(text).collect();
        let expected: Vec<(usize, Special)> = text
            .char_indices()
            .filter_map(|(i, c)| {
                if is_control(c) {
                    Some((i, Special::Control))
                } else if is_direction_control(c) {
                    Some((i, Special::Direction))
                } else if c == '\r' && !text[i..].starts_with("\r\n") {
                    Some((i, Special::LoneCr))
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 6);
        // Every character that starts with 0xC2 or 0xE2.
        for c in ('\u{80}'..='\u{bf}').chain('\u{2000}'..='\u{2fff}') {
            let text = c.to_string();
            let special = specials(&text).next().map(|(_, s)| s);
            let expected = (is_control(c) || is_direction_control(c))
                .then(|| if is_control(c) { Special::Control } else { Special::Direction });
            assert_eq!(special, expected, "{c:?}");
        }
    }

    #[test]
    fn prose_shows_every_control_as_an_escape() {
        assert_eq!(visible("a\u{202e}b\u{1b}[31m\n"), "a\\u{202e}b\\u{1b}[31m\\u{a}");
        assert!(matches!(visible("plain → text"), Cow::Borrowed(_)));
        assert_eq!(escape_controls("a\u{202e}\u{0}\tb\n"), "a\u{202e}\\u{0}\tb\n");
        assert_eq!(message("found `\u{202e}x\u{1b}`\t"), "found `\\u{202e}x\\u{1b}`\t");
    }

    #[test]
    fn labels_with_direction_controls_are_isolated() {
        assert_eq!(isolated("a\u{202e}b".into()), "\u{2068}a\u{202e}b\u{2069}");
        assert_eq!(isolated("ab".into()), "ab");
    }
}
