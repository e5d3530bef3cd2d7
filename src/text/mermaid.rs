//! Mermaid: labels in `journey` diagrams and in flowcharts.
//!
//! Source text never becomes Mermaid syntax. Mermaid reads entity codes such as
//! `#35;` before it parses any diagram, so every character that its grammars reserve
//! is written as a code: in `journey` diagrams, which have no quoting, and in
//! flowchart labels, which are quoted as well. Every replacement is listed in
//! `docs/export.md`. Control characters are shown as `\u{1b}` and a label with
//! direction controls is isolated, as everywhere (see [`crate::text`]).

use std::fmt::Write as _;

/// Where a text lands in a `journey` diagram: each place reserves other characters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Slot {
    Title,
    Section,
    Task,
    Actor,
}

/// Words that Mermaid's journey lexer reads as a keyword at the start of a task
/// line, whatever follows and in any case.
const TASK_KEYWORDS: [&str; 5] = ["journey", "title", "section", "acctitle", "accdescr"];

/// Text for a `journey` diagram: the label, trimmed, or the id when that leaves
/// nothing. Mermaid's journey grammar has no quoting: `#` starts a comment, `;` ends
/// a statement, `:` separates a task from its score and actors, `,` separates
/// actors, `%%` starts a comment, a line ends the statement and `<br>` breaks a
/// line. Mermaid turns `#code;` into a character before it parses any diagram, so
/// those characters are written as entity codes (`#35;`, `#59;`, `#58;`, `#44;`,
/// `#37;`, `#lt;`, `#gt;`); see [`entity_safe`]. A line break is `<br>` in a section
/// or a task and a space elsewhere. A task that would start with a keyword has its
/// first letter written as a code.
pub fn journey_text(label: &str, id: &str, slot: Slot) -> String {
    let text = if label.trim().is_empty() { id } else { label.trim() };
    let text = super::escape_controls(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(if matches!(slot, Slot::Section | Slot::Task) { "<br>" } else { " " });
            }
            '#' | ';' => code(&mut out, c),
            ':' if slot != Slot::Title => code(&mut out, c),
            ',' if slot == Slot::Actor => code(&mut out, c),
            '%' if chars.peek() == Some(&'%') => code(&mut out, c),
            c => entity_safe(&mut out, c),
        }
    }
    if slot == Slot::Task {
        let lower = out.to_ascii_lowercase();
        if TASK_KEYWORDS.iter().any(|k| lower.starts_with(k)) {
            // Keywords start with an ASCII letter, one byte long.
            let first = out.remove(0);
            out.insert_str(0, &format!("#{};", u32::from(first)));
        }
    }
    super::isolated(out)
}

/// A flowchart label, to be written between double quotes: the label, trimmed, or
/// the id when that leaves nothing. Inside quotes Mermaid reads every character but
/// `"`; before parsing, though, it turns `#code;` into characters, renders labels as
/// HTML, and reads a line holding `direction` and a space as a direction statement.
/// So `"`, `&`, `#`, `` ` ``, `%`, `\` and `:` are written as entity codes
/// (`#quot;`, `#amp;`, `#35;`, …) besides those of [`entity_safe`], a space after
/// `direction` as `#32;`, and a line break as `<br>`.
pub fn flow_label(label: &str, id: &str) -> String {
    let text = if label.trim().is_empty() { id } else { label.trim() };
    let text = super::escape_controls(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '#' | '`' | '%' | '\\' | ':' => code(&mut out, c),
            c if c.is_whitespace() && ends_with_direction(&out) => code(&mut out, c),
            c => entity_safe(&mut out, c),
        }
    }
    super::isolated(out)
}

/// Writes a character as Mermaid's numeric entity code, `#35;` for `#`.
fn code(out: &mut String, c: char) {
    let _ = write!(out, "#{};", u32::from(c));
}

/// Writes a character that needs no code in its place, except those that Mermaid's
/// entity handling itself would change: `<` and `>` (`<br>` breaks a line, and
/// labels may be read as HTML), and `ﬂ` (U+FB02) and `¶`, which Mermaid uses to
/// mark the codes it has read. A tab (the only control character left by then)
/// becomes a space.
fn entity_safe(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("#lt;"),
        '>' => out.push_str("#gt;"),
        '\u{fb02}' | '\u{b6}' => code(out, c),
        c if c.is_control() => out.push(' '),
        c => out.push(c),
    }
}

fn ends_with_direction(text: &str) -> bool {
    const WORD: &str = "direction";
    text.len() >= WORD.len()
        && text.is_char_boundary(text.len() - WORD.len())
        && text[text.len() - WORD.len()..].eq_ignore_ascii_case(WORD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journey_text_writes_what_the_grammar_reserves_as_codes() {
        assert_eq!(journey_text("a: b # c; d", "x", Slot::Task), "a#58; b #35; c#59; d");
        assert_eq!(journey_text("a: b", "x", Slot::Title), "a: b");
        assert_eq!(journey_text("Smith, Jo", "x", Slot::Actor), "Smith#44; Jo");
        assert_eq!(journey_text("Smith, Jo", "x", Slot::Task), "Smith, Jo");
        assert_eq!(journey_text(" two\nlines ", "x", Slot::Section), "two<br>lines");
        assert_eq!(journey_text("two\r\nlines", "x", Slot::Title), "two lines");
        assert_eq!(journey_text("a<br>b\tc", "x", Slot::Task), "a#lt;br#gt;b c");
        assert_eq!(journey_text("50%% off 5%", "x", Slot::Task), "50#37;% off 5%");
        assert_eq!(journey_text("  ", "fallback", Slot::Task), "fallback");
        assert_eq!(journey_text("Title deeds", "x", Slot::Task), "#84;itle deeds");
        assert_eq!(journey_text("journey", "x", Slot::Section), "journey");
    }

    #[test]
    fn flow_labels_use_entity_codes() {
        assert_eq!(flow_label("say \"hi\" & <b>", "x"), "say #quot;hi#quot; #amp; #lt;b#gt;");
        assert_eq!(flow_label("#1: 50%", "x"), "#35;1#58; 50#37;");
        assert_eq!(flow_label("a\nb", "x"), "a<br>b");
        assert_eq!(flow_label("set direction LR", "x"), "set direction#32;LR");
        assert_eq!(flow_label("", "id"), "id");
    }

    /// Issue 21: control characters are shown, not passed on (they became spaces,
    /// which hid them), and direction controls are isolated.
    #[test]
    fn control_and_direction_characters_follow_the_text_policy() {
        assert_eq!(journey_text("a\u{1b}[2J", "x", Slot::Task), "a\\u{1b}[2J");
        assert_eq!(flow_label("a\u{0}", "x"), "a#92;u{0}");
        assert_eq!(journey_text("a\u{202e}b", "x", Slot::Task), "\u{2068}a\u{202e}b\u{2069}");
        assert_eq!(flow_label("\u{2067}x", "id"), "\u{2068}\u{2067}x\u{2069}");
    }
}
