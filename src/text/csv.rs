//! CSV cells (RFC 4180; quoting is the `csv` crate's), for spreadsheets.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so
//! every text cell that could start like that is neutralised with a leading `'`
//! (OWASP's advice against CSV injection). Control characters are shown as
//! `\u{1b}` (see [`crate::text`]); line breaks and tabs are kept, quoted.

use std::borrow::Cow;

/// A text cell as a spreadsheet will show it: control characters shown as escapes,
/// then a leading `'` before a first character that would start a formula (`=`, `+`,
/// `-`, `@`, their full-width forms), or that spreadsheets skip before one (tab,
/// carriage return, NUL). The `'` shows in the cell; it is the price of never
/// running a formula from the sources.
pub fn cell(text: &str) -> Cow<'_, str> {
    match super::escape_controls(text) {
        Cow::Borrowed(text) => neutralise(text),
        Cow::Owned(text) => Cow::Owned(neutralise(&text).into_owned()),
    }
}

fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\0' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}'
            | '\u{ff20}',
        ) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\u{ff1d}1+1"), "'\u{ff1d}1+1");
        assert_eq!(cell("Submit claim"), "Submit claim");
        assert_eq!(cell("two\nlines"), "two\nlines");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn control_characters_are_shown_not_written() {
        assert_eq!(cell("\u{1b}[2Jx"), "\\u{1b}[2Jx");
        assert_eq!(cell("\u{0}=1"), "\\u{0}=1");
    }
}
