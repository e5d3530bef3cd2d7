//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which the
//! runner shows in the log and as annotations on a pull request.
//!
//! The runner unescapes `%25`, `%0D` and `%0A` in a message, and also `%3A` and
//! `%2C` in a property value, where `:` and `,` are separators. Text from the
//! sources has its control characters and direction controls shown as escapes
//! first (see [`crate::text`]), since the log is read in a terminal-like view.

/// A command's message: source text shown as prose, then escaped as the runner
/// unescapes it. Line breaks in the text are shown as `\u{a}`; to break the
/// message's own lines, join the escaped parts with [`NEWLINE`].
pub fn message(text: &str) -> String {
    data(&super::visible(text))
}

/// A property value (a file name, a title): shown as prose, then escaped with the
/// separators.
pub fn property(text: &str) -> String {
    data(&super::visible(text)).replace(':', "%3A").replace(',', "%2C")
}

/// A line break inside a message, as the runner reads it.
pub const NEWLINE: &str = "%0A";

fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_separators() {
        assert_eq!(message("50%"), "50%25");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }

    /// Issue 21: a terminal escape in a message or a file name reached the log.
    #[test]
    fn control_characters_are_shown_not_written() {
        assert_eq!(message("x\u{1b}[2J\ny"), "x\\u{1b}[2J\\u{a}y");
        assert_eq!(property("a\u{1b}.journey"), "a\\u{1b}.journey");
        assert_eq!(message("a\u{202e}b"), "a\\u{202e}b");
    }
}
