//! How wide a text is drawn, estimated without a font, and labels wrapped to fit a
//! box.
//!
//! A picture names only generic font families (`system-ui, sans-serif`), so the
//! font that draws it is the viewer's: Arial or Helvetica on most systems, Segoe UI
//! on Windows, `DejaVu Sans` on many Linux systems. The widths below are Arial's,
//! in thousandths of the font size, made [`SAFETY`] wider (and bold text [`BOLD`]
//! wider again), since `DejaVu Sans`, the widest of those, sets lowercase text 14%
//! wider than Arial, and its bold 28% wider (measured in Chromium, with
//! `getComputedTextLength`, on a pangram). Wrapping to these widths leaves room to
//! spare in the narrower fonts, never too little.

/// Arial's advance widths for the printable ASCII characters, space to `~`, in
/// thousandths of an em.
const ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space … /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 … 9
    278, 278, 584, 584, 584, 556, 1015, // : … @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A … M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N … Z
    278, 278, 278, 469, 556, 333, // [ … `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a … m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n … z
    334, 260, 334, 584, // { … ~
];

/// How much wider than Arial's the estimate is (see the module's comment).
const SAFETY: f64 = 1.15;

/// How much wider bold text is than regular text: `DejaVu Sans Bold`'s 28% over
/// Arial, with the margin above.
const BOLD: f64 = 1.13;

/// The width of one character, in ems.
fn em(c: char) -> f64 {
    let thousandths = match u32::from(c) {
        code @ 0x20..=0x7e => ASCII[(code - 0x20) as usize],
        // Combining marks and zero-width characters take no room of their own.
        0x300..=0x36f | 0x200b..=0x200f | 0x2060..=0x206f | 0xfe00..=0xfe0f | 0xfeff => 0,
        // East Asian wide characters and emoji are an em wide.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd
        // The em dash of our own prose.
        | 0x2014 => 1000,
        // The minus sign and en dash of our own figures.
        0x2212 | 0x2013 => 584,
        // Latin, Greek and Cyrillic letters with accents, and everything else: as
        // wide as a typical capital, which over-estimates most lowercase letters.
        _ => 667,
    };
    f64::from(thousandths) / 1000.0
}

/// The estimated width of `text` at `size` pixels, bold or not.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = text.chars().map(em).sum();
    ems * size * SAFETY * if bold { BOLD } else { 1.0 }
}

/// A label broken into lines that fit a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub lines: Vec<String>,
    /// Whether the text did not fit in the lines allowed, and the last line ends in
    /// an ellipsis: the picture then gives the whole text in a `<title>`.
    pub cut: bool,
}

/// Breaks `text` into at most `max_lines` lines no wider than `room` pixels: at
/// white space, and inside a word only when the word alone is wider than a line
/// (a long identifier, a URL), so no word is ever cut short silently. When the
/// lines run out, the last one ends in `…` and [`Wrapped::cut`] is set. Line breaks
/// and tabs in the text are white space here. An empty text is one empty line.
pub fn wrap(text: &str, room: f64, size: f64, bold: bool, max_lines: usize) -> Wrapped {
    let max_lines = max_lines.max(1);
    let fits = |s: &str| width(s, size, bold) <= room;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if fits(word) {
            word.clone_into(&mut line);
            continue;
        }
        // A word wider than a line: as many characters as fit on each line.
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().nth(1).is_some() {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines {
        return Wrapped { lines, cut: false };
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        loop {
            let candidate = format!("{}…", last.trim_end());
            if fits(&candidate) || last.is_empty() {
                *last = candidate;
                break;
            }
            last.pop();
        }
    }
    Wrapped { lines, cut: true }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_table() {
        // "Hello" in Arial is 2.278 em; at 10 px, with the safety margin.
        let w = width("Hello", 10.0, false);
        assert!((w - 2.278 * 10.0 * SAFETY).abs() < 1e-9, "{w}");
        assert!(width("Hello", 10.0, true) > w);
        assert!(width("漢字", 10.0, false) > width("ab", 10.0, false));
        assert!(width("e\u{301}", 10.0, false) - width("e", 10.0, false) < 1e-9);
    }

    #[test]
    fn wraps_at_spaces_and_keeps_every_word() {
        let text = "Report the accident by phone to the claims line";
        let w = wrap(text, 100.0, 13.0, false, 10);
        assert!(!w.cut);
        assert!(w.lines.len() > 1);
        assert_eq!(w.lines.join(" "), text);
        for line in &w.lines {
            assert!(width(line, 13.0, false) <= 100.0, "{line}");
        }
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken_not_cut() {
        let word = "Averylongwordwithoutanyspacethatrunsonandon";
        let w = wrap(word, 80.0, 13.0, false, 20);
        assert!(!w.cut);
        assert_eq!(w.lines.concat(), word);
        assert!(w.lines.iter().all(|l| width(l, 13.0, false) <= 80.0));
    }

    #[test]
    fn too_many_lines_end_in_an_ellipsis_and_say_so() {
        let w = wrap("one two three four five six seven eight", 40.0, 13.0, false, 2);
        assert!(w.cut);
        assert_eq!(w.lines.len(), 2);
        assert!(w.lines[1].ends_with('…'), "{:?}", w.lines);
        assert!(w.lines.iter().all(|l| width(l, 13.0, false) <= 40.0));
    }

    #[test]
    fn empty_and_blank_texts_are_one_empty_line() {
        assert_eq!(wrap("", 50.0, 13.0, false, 3).lines, [""]);
        assert_eq!(wrap(" \n\t", 50.0, 13.0, false, 3).lines, [""]);
    }
}
