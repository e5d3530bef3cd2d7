//! Finding the comments of a file. The grammar skips comments, so the formatter
//! finds them itself and puts them back among the declarations.

use crate::syntax::lex::{self, TokenKind};

/// A `//` comment (doc comments included) with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub start: u32,
    pub end: u32,
    /// The comment's text from `//`, without trailing whitespace.
    pub text: String,
    /// Whether only whitespace comes before it on its line.
    pub own_line: bool,
    /// Whether a blank line separates it from what comes before it (a comment or a
    /// declaration): comment paragraphs are kept apart.
    pub blank_before: bool,
}

impl Comment {
    /// A doc comment (`///`, not `////`): it documents the element after it, so it
    /// always starts its own line, even where it was written after a `}`.
    pub fn is_doc(&self) -> bool {
        self.text.starts_with("///") && !self.text.starts_with("////")
    }
}

/// Every comment of a file that parses, in order, as the syntax layer's lexer finds
/// them (so `//` inside a string is text, as the grammar reads it).
pub fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for token in lex::tokens(text) {
        match token.kind {
            TokenKind::Newline => line_start = token.end,
            TokenKind::Comment | TokenKind::DocComment => {
                let own_line = text[line_start..token.start].trim().is_empty();
                out.push(Comment {
                    start: token.start as u32,
                    end: token.end as u32,
                    text: token.text(text).trim_end().to_owned(),
                    own_line,
                    blank_before: own_line && blank_line_before(text, line_start),
                });
            }
            _ => {}
        }
    }
    out
}

/// Whether the line before the one starting at `line_start` is blank (and exists).
fn blank_line_before(text: &str, line_start: usize) -> bool {
    if line_start == 0 {
        return false;
    }
    let mut before = &text[..line_start - 1];
    if text.as_bytes()[line_start - 1] == b'\n' {
        before = before.strip_suffix('\r').unwrap_or(before);
    }
    let previous = before.rfind(['\n', '\r']).map_or(before, |n| &before[n + 1..]);
    previous.trim().is_empty() && !before.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let text = "// a\nteam t \"x // not\" // b\n\n  /// c\n";
        let found: Vec<(&str, bool, bool)> = comments(text)
            .iter()
            .map(|c| (&text[c.start as usize..c.end as usize], c.own_line, c.blank_before))
            .collect();
        assert_eq!(found, [("// a", true, false), ("// b", false, false), ("/// c", true, true)]);
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        let text = "team t \"a \\\" // still text\" // real\n";
        let found: Vec<String> = comments(text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, ["// real"]);
    }
}
