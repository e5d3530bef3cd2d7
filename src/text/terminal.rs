//! Terminals and logs: the human report of `journey check`, the `fmt --check` diff,
//! `journey diff --format text`, and what the commands print on standard error.
//!
//! Prose (messages, help, labels, quoted text) shows control characters and
//! direction controls as `\u{1b}` ([`crate::text::visible`]). A source excerpt
//! shows each as a one-column picture instead ([`excerpt`]), so that the columns of
//! the lines under it stay right: `␛` for ESC, `␀` for NUL (the Control Pictures
//! block, U+2400…), `␡` for DEL, and `�` for C1 and direction controls, which have
//! no picture, as rustc shows them. A carriage return that ends a line on its own is
//! shown as `␍` before the line break it is to the compiler, since a terminal would
//! move back over the line instead.

use super::Special;
use crate::diagnostic::Diagnostic;
use crate::source::{MAX_FILE_LEN, SourceFile, Sources, Span};
use std::borrow::Cow;
use std::path::PathBuf;

/// Source text as a terminal may show it, line for line and column for column:
/// control characters and direction controls as pictures, a lone carriage return
/// as `␍` and a line feed. Tabs, line feeds and CRLF are left as they are.
pub fn excerpt(text: &str) -> Cow<'_, str> {
    Excerpt::of(text, Fit::Pictures).map_or(Cow::Borrowed(text), |e| Cow::Owned(e.text))
}

/// A file's name as a terminal may show it in a report's header: every control
/// character, line breaks and tabs included, and every direction control as a
/// picture, so that the name stays on its line.
pub fn name(text: &str) -> Cow<'_, str> {
    let shown = |c: char| c.is_control() || super::is_direction_control(c);
    if !text.chars().any(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            out.push_str(picture(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Diagnostics and the files they point into, as a terminal may show them: their
/// messages, help and labels as prose; the files' text (so the report's source
/// excerpts) and names as in [`excerpt`], with the diagnostics' spans moved to
/// match. Each is borrowed, nothing copied, when nothing in it needs showing so.
pub struct Shown<'a> {
    pub sources: Cow<'a, Sources>,
    pub diagnostics: Cow<'a, [Diagnostic]>,
}

impl<'a> Shown<'a> {
    pub fn of(sources: &'a Sources, diagnostics: &'a [Diagnostic]) -> Shown<'a> {
        // Only the files a diagnostic points into are shown; each is looked at once.
        let mut pointed = vec![false; sources.len()];
        for d in diagnostics {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                pointed[label.span.file.0 as usize] = true;
            }
        }
        // For each file that must be shown otherwise: its copy, and how its offsets move.
        let changed: Vec<Option<(SourceFile, Moves)>> = sources
            .iter()
            .map(|(id, file)| {
                if !pointed[id.0 as usize] {
                    return None;
                }
                let shown_name = match name(&file.display_path()) {
                    Cow::Owned(shown) => Some(shown),
                    Cow::Borrowed(_) => None,
                };
                let text = Excerpt::for_file(&file.text);
                if shown_name.is_none() && text.is_none() {
                    return None;
                }
                let path = shown_name.map_or_else(|| file.path.clone(), PathBuf::from);
                let (text, moves) = text
                    .map_or_else(|| (file.text.clone(), Moves::default()), |e| (e.text, e.moves));
                Some((SourceFile::new(path, text), moves))
            })
            .collect();
        let prose = diagnostics.iter().any(|d| {
            needs_prose(&d.message)
                || d.help.as_deref().is_some_and(needs_prose)
                || std::iter::once(&d.primary).chain(&d.secondary).any(|l| needs_prose(&l.message))
        });
        let files_changed = changed.iter().any(Option::is_some);
        if !prose && !files_changed {
            return Shown {
                sources: Cow::Borrowed(sources),
                diagnostics: Cow::Borrowed(diagnostics),
            };
        }
        let mut moves = Vec::with_capacity(sources.len());
        let sources = if files_changed {
            let mut shown = Sources::new();
            for ((id, file), changed) in sources.iter().zip(changed) {
                let (copy, file_moves) = match changed {
                    Some(changed) => changed,
                    // A file no diagnostic points into is never read by the report.
                    None if !pointed[id.0 as usize] => {
                        (SourceFile::new(file.path.clone(), String::new()), Moves::default())
                    }
                    None => (file.clone(), Moves::default()),
                };
                // The copy fits: `Excerpt::for_file` keeps it under the limit.
                let _ = shown.push(copy);
                moves.push(file_moves);
            }
            Cow::Owned(shown)
        } else {
            moves.resize_with(sources.len(), Moves::default);
            Cow::Borrowed(sources)
        };
        let shift = |span: Span| {
            let moves = &moves[span.file.0 as usize];
            Span { file: span.file, start: moves.of(span.start), end: moves.of(span.end) }
        };
        let diagnostics = diagnostics
            .iter()
            .map(|d| {
                let label = |l: &crate::diagnostic::Label| crate::diagnostic::Label {
                    span: shift(l.span),
                    message: super::visible(&l.message).into_owned().into(),
                };
                Diagnostic {
                    code: d.code,
                    severity: d.severity,
                    message: super::visible(&d.message).into_owned(),
                    primary: label(&d.primary),
                    secondary: d.secondary.iter().map(label).collect(),
                    help: d.help.as_deref().map(|h| super::visible(h).into_owned().into()),
                }
            })
            .collect();
        Shown { sources, diagnostics: Cow::Owned(diagnostics) }
    }
}

fn needs_prose(text: &str) -> bool {
    matches!(super::visible(text), Cow::Owned(_))
}

/// How replacements fit into a text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Pictures, three bytes each in UTF-8: the text grows, and offsets move.
    Pictures,
    /// A stand-in of the same length as the character replaced, so that no offset
    /// moves: for a file so large that its pictures would not fit under
    /// [`MAX_FILE_LEN`]. A C0 control is then a `?`, a C1 control a `¿`.
    SameLength,
}

/// A text with its specials replaced, and how far each replacement moved what came
/// after it.
struct Excerpt {
    text: String,
    moves: Moves,
}

impl Excerpt {
    /// `None` when the text has nothing to replace.
    fn of(text: &str, fit: Fit) -> Option<Excerpt> {
        let mut specials = super::specials(text).peekable();
        specials.peek()?;
        let mut out = String::with_capacity(text.len() + 16);
        let mut moves = Moves::default();
        let mut done = 0;
        for (at, special) in specials {
            let c = text[at..].chars().next().unwrap_or(' ');
            out.push_str(&text[done..at]);
            let picture = match (special, fit) {
                (Special::LoneCr, Fit::Pictures) => "\u{240d}\n",
                (Special::LoneCr, Fit::SameLength) => "\n",
                (Special::Control, Fit::SameLength) if c.len_utf8() == 1 => "?",
                (Special::Control, Fit::SameLength) => "\u{bf}",
                (Special::Control, Fit::Pictures) => picture(c),
                (Special::Direction, _) => "\u{fffd}",
            };
            out.push_str(picture);
            done = at + c.len_utf8();
            if picture.len() != c.len_utf8() {
                // Offsets are below `MAX_FILE_LEN`, checked by the caller.
                moves.0.push((at as u32, (out.len() - done) as u32));
            }
        }
        out.push_str(&text[done..]);
        Some(Excerpt { text: out, moves })
    }

    /// A file's text, in pictures if they fit under the limit on a file's size.
    fn for_file(text: &str) -> Option<Excerpt> {
        let excerpt = Excerpt::of(text, Fit::Pictures)?;
        if excerpt.text.len() < MAX_FILE_LEN {
            return Some(excerpt);
        }
        Excerpt::of(text, Fit::SameLength)
    }
}

/// How the replacements in a text moved what came after them: for each replacement
/// that changed the length, in order, its offset in the original text and how many
/// bytes the text had grown by once it was made.
#[derive(Default)]
struct Moves(Vec<(u32, u32)>);

impl Moves {
    /// Where an offset of the original text is in the text with the replacements.
    fn of(&self, offset: u32) -> u32 {
        // The replacements before `offset` moved it; one that starts at `offset`
        // did not.
        let before = self.0.partition_point(|&(at, _)| at < offset);
        offset + before.checked_sub(1).map_or(0, |i| self.0[i].1)
    }
}

/// The picture of a control character: U+2400 + its code for C0, `␡` for DEL, `�`
/// for C1 (and for a direction control, which has no picture either).
fn picture(c: char) -> &'static str {
    const C0: [&str; 32] = [
        "␀", "␁", "␂", "␃", "␄", "␅", "␆", "␇", "␈", "␉", "␊", "␋", "␌", "␍", "␎", "␏", "␐", "␑",
        "␒", "␓", "␔", "␕", "␖", "␗", "␘", "␙", "␚", "␛", "␜", "␝", "␞", "␟",
    ];
    match u32::from(c) {
        n @ 0..0x20 => C0[n as usize],
        0x7f => "␡",
        _ => "\u{fffd}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Label};
    use crate::source::FileId;

    #[test]
    fn excerpts_show_each_control_as_one_column() {
        assert_eq!(excerpt("a\u{1b}[2J\u{0}b"), "a␛[2J␀b");
        assert_eq!(excerpt("\u{7f}\u{9b}\u{202e}x"), "␡\u{fffd}\u{fffd}x");
        assert_eq!(excerpt("tab\tcrlf\r\nlf\nlone\rcr"), "tab\tcrlf\r\nlf\nlone␍\ncr");
        assert!(matches!(excerpt("plain — text"), Cow::Borrowed(_)));
        for c in (0..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let shown = excerpt(&c.to_string()).into_owned();
            assert!(!shown.chars().any(|s| s.is_control() && s != '\t' && s != '\n'), "{c:?}");
        }
    }

    #[test]
    fn offsets_move_with_the_pictures() {
        let text = "ab\u{1b}cd\u{85}ef\u{202e}g\rh";
        let e = Excerpt::of(text, Fit::Pictures).unwrap();
        for (at, c) in text.char_indices() {
            let moved = e.moves.of(at as u32) as usize;
            let shown = e.text[moved..].chars().next().unwrap();
            if super::super::is_control(c) || super::super::is_direction_control(c) || c == '\r' {
                assert_ne!(shown, c);
            } else {
                assert_eq!(shown, c, "{at}");
            }
        }
        assert_eq!(e.moves.of(text.len() as u32) as usize, e.text.len());
    }

    #[test]
    fn a_file_too_large_for_pictures_keeps_its_offsets() {
        let text = "a\u{1b}\u{85}\u{202e}\rb";
        let e = Excerpt::of(text, Fit::SameLength).unwrap();
        assert_eq!(e.text, "a?\u{bf}\u{fffd}\nb");
        assert_eq!(e.text.len(), text.len());
        assert!(e.moves.0.is_empty());
    }

    #[test]
    fn a_report_is_borrowed_when_nothing_needs_showing() {
        let mut sources = Sources::new();
        let file = sources.add("a.journey", "team a\nteam a\n".into()).unwrap();
        let d = Diagnostic::error(
            Code::Duplicate,
            "twice",
            Label::new(Span::new(file, 12, 13), "here"),
        );
        let shown = Shown::of(&sources, std::slice::from_ref(&d));
        assert!(matches!(shown.sources, Cow::Borrowed(_)));
        assert!(matches!(shown.diagnostics, Cow::Borrowed(_)));
    }

    #[test]
    fn a_report_moves_its_spans_with_the_pictures() {
        let mut sources = Sources::new();
        let clean = sources.add("clean.journey", "team c\n".into()).unwrap();
        let text = "team a \"\u{1b}[2J\"\nteam a\n";
        let file = sources.add("x\u{1b}.journey", text.into()).unwrap();
        let unused = sources.add("unused.journey", "team u\n".into()).unwrap();
        let second = text.rfind('a').unwrap();
        let d = Diagnostic::error(
            Code::Duplicate,
            "`a` \u{1b}[8m twice",
            Label::new(Span::new(file, second, second + 1), "again"),
        )
        .with_label(Label::new(Span::new(file, 5, 6), "first\u{7}"))
        .with_label(Label::new(Span::new(clean, 5, 6), "elsewhere"))
        .with_help("rename \u{202e}it");
        let shown = Shown::of(&sources, std::slice::from_ref(&d));
        let d = &shown.diagnostics[0];
        assert_eq!(d.message, "`a` \\u{1b}[8m twice");
        assert_eq!(d.secondary[0].message, "first\\u{7}");
        assert_eq!(d.help.as_deref(), Some("rename \\u{202e}it"));
        assert_eq!(shown.sources.get(file).display_path(), "x␛.journey");
        assert_eq!(name("a\nb\t\r\u{202e}.journey"), "a␊b␉␍\u{fffd}.journey");
        assert_eq!(shown.sources.get(file).text, "team a \"␛[2J\"\nteam a\n");
        assert_eq!(shown.sources.slice(d.primary.span), "a");
        assert_eq!(shown.sources.slice(d.secondary[0].span), "a");
        assert_eq!(shown.sources.slice(d.secondary[1].span), "c");
        assert_eq!(shown.sources.get(unused).text, "");
        assert_eq!(shown.sources.get(FileId(0)).text, "team c\n");
    }
}
