//! Writing `.journey` text from imported names: quoted labels, comments and ids.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The longest id made from a label, in bytes (ids are ASCII). File names are made
/// of ids, and most file systems refuse names longer than 255 bytes.
const MAX_ID_LEN: usize = 60;

/// A label as a `.journey` string, in double quotes, with `\"`, `\\`, `\n` and `\t`
/// escaped and every other character that could end the line or hide in it
/// (control characters, line and paragraph separators, the byte-order mark)
/// written as `\u{…}`.
pub fn quote(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 2);
    out.push('"');
    for c in label.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text made safe for a `//` comment or a terminal: characters that would end the
/// line or hide in it are written as `\u{…}`.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) || c == '\t' || c == '\n' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that end a line, or are invisible, in a `.journey` file or a terminal.
pub(crate) fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{202a}'..='\u{202e}')
        || matches!(c, '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// An id made from a label: ASCII letters and digits lower-cased, every run of
/// other characters one `_`, no `_` at either end, at most 60 bytes. An id must
/// start with a letter or `_`, so a label starting with a digit gets `kind_` in
/// front; a label with no letter or digit at all becomes `kind`.
pub fn slug(label: &str, kind: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.is_empty() {
        return kind.to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("{kind}_{out}");
    }
    if out.len() > MAX_ID_LEN {
        out.truncate(MAX_ID_LEN);
        while out.ends_with('_') {
            out.pop();
        }
    }
    out
}

/// The ids already taken in one scope (the journeys of an import, the stages of a
/// journey, the touchpoints of a stage), so that each new one is unique.
#[derive(Debug, Default)]
pub struct Ids {
    taken: BTreeSet<String>,
    /// For each slug handed out, the next number to try after it, so that a
    /// thousand tasks of one name take linear time.
    next: BTreeMap<String, u64>,
}

impl Ids {
    /// A scope where some ids are reserved from the start.
    pub fn reserving(ids: &[&str]) -> Self {
        Ids { taken: ids.iter().map(|&id| id.to_owned()).collect(), next: BTreeMap::new() }
    }

    /// A new id for a label: its slug, or the slug with `_2`, `_3`… appended when
    /// that is taken.
    pub fn fresh(&mut self, label: &str, kind: &str) -> String {
        let base = slug(label, kind);
        let mut id = base.clone();
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        while self.taken.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.next.insert(base, n);
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape_what_the_language_needs() {
        assert_eq!(quote(r#"Say "hi" \ bye"#), r#""Say \"hi\" \\ bye""#);
        assert_eq!(quote("a\nb\tc\rd\u{0}e\u{1b}f"), r#""a\nb\tc\u{d}d\u{0}e\u{1b}f""#);
        assert_eq!(quote("Café — ☕ 🚗"), "\"Café — ☕ 🚗\"");
        assert_eq!(quote("a\u{2028}b\u{feff}"), r#""a\u{2028}b\u{feff}""#);
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Make tea", "touchpoint"), "make_tea");
        assert_eq!(slug("  Go -- home!  ", "stage"), "go_home");
        assert_eq!(slug("Café au lait", "touchpoint"), "caf_au_lait");
        assert_eq!(slug("2FA setup", "stage"), "stage_2fa_setup");
        assert_eq!(slug("☕", "touchpoint"), "touchpoint");
        assert_eq!(slug("", "journey"), "journey");
        let long = slug(&"ab ".repeat(100), "journey");
        assert!(long.len() <= MAX_ID_LEN && !long.ends_with('_'));
    }

    #[test]
    fn fresh_ids_are_unique() {
        let mut ids = Ids::reserving(&["personas"]);
        assert_eq!(ids.fresh("Personas", "journey"), "personas_2");
        assert_eq!(ids.fresh("Make tea", "t"), "make_tea");
        assert_eq!(ids.fresh("Make tea!", "t"), "make_tea_2");
        assert_eq!(ids.fresh("make tea 2", "t"), "make_tea_2_2");
    }
}
