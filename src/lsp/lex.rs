//! A forgiving tokenizer for editor features that must work on text that does not
//! parse: completion reads the words before the cursor, semantic tokens colour
//! every word. It never fails; anything it does not know is punctuation.
//!
//! Every token lies on one line (strings and comments end at a line break), as
//! semantic tokens require.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An id or a keyword: `[A-Za-z_][A-Za-z0-9_-]*`.
    Word,
    /// A string, up to its closing quote or the end of its line.
    Str,
    /// A number, with its sign and a `%` if written.
    Number,
    /// `//` or `////` to the end of the line.
    Comment,
    /// `///` to the end of the line.
    DocComment,
    /// Any other character.
    Punct,
}

/// A token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token is this word, or this punctuation character.
    pub fn is(self, text: &str, word: &str) -> bool {
        matches!(self.kind, Kind::Word | Kind::Punct) && self.text(text) == word
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The tokens of a text, comments included, white space left out.
pub fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 6);
    let mut i = 0;
    let line_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |n| from + n)
    };
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = if b.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if bytes[i..].starts_with(b"//") {
            let doc = bytes[i..].starts_with(b"///") && !bytes[i..].starts_with(b"////");
            i = line_end(i);
            if doc { Kind::DocComment } else { Kind::Comment }
        } else if b == b'"' {
            i += 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\n' | b'\r' => break,
                    b'\\' if i + 1 < bytes.len() && !matches!(bytes[i + 1], b'\n' | b'\r') => {
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
            Kind::Str
        } else if b.is_ascii_digit()
            || (matches!(b, b'+' | b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if bytes.get(i) == Some(&b'%') {
                i += 1;
            }
            Kind::Number
        } else if is_ident_start(b) {
            while i < bytes.len() && is_ident_char(bytes[i]) {
                i += 1;
            }
            Kind::Word
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            Kind::Punct
        };
        // A string's escape can step over a multi-byte character's first byte only
        // when followed by it, so the end is always a boundary; checked regardless.
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        tokens.push(Token { kind, start, end: i });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        lex(text).into_iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn lexes_words_strings_numbers_and_comments() {
        assert_eq!(
            kinds("/// doc\nteam a-1 \"x \\\" y\" { reach 60% } // c\n\"open\n-3 vs.act"),
            vec![
                (Kind::DocComment, "/// doc"),
                (Kind::Word, "team"),
                (Kind::Word, "a-1"),
                (Kind::Str, "\"x \\\" y\""),
                (Kind::Punct, "{"),
                (Kind::Word, "reach"),
                (Kind::Number, "60%"),
                (Kind::Punct, "}"),
                (Kind::Comment, "// c"),
                (Kind::Str, "\"open"),
                (Kind::Number, "-3"),
                (Kind::Word, "vs"),
                (Kind::Punct, "."),
                (Kind::Word, "act"),
            ]
        );
        assert_eq!(
            kinds("caf\u{e9}\"\\\u{e9}"),
            vec![(Kind::Word, "caf"), (Kind::Punct, "\u{e9}"), (Kind::Str, "\"\\\u{e9}")]
        );
    }
}
