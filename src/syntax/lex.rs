//! The forgiving lexer: any text to tokens, for the tools that must read text the
//! grammar does not see or cannot parse. The formatter finds the comments the
//! grammar skips with it; the editor colours every word and reads the words before
//! the cursor with it, in files that do not parse.
//!
//! It never fails and its tokens tile the text: every byte belongs to exactly one
//! token, and tokens start and end on character boundaries. The lexical rules are
//! those of the language (spec §2) as `grammar/journey.pest` writes them; a token
//! ends at a line break (a string or a comment included), as semantic tokens require.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An id or a keyword: `[A-Za-z_][A-Za-z0-9_-]*`. A multi-word keyword
    /// (`traces to`) is one word per token.
    Word,
    /// A string from its opening quote: to its closing quote (`closed`), or, when
    /// it has none, to the end of its line or of the text.
    Str { closed: bool },
    /// A number, with its sign and a `%` if written: `-3`, `2.5`, `60%`.
    Number,
    /// One of the grammar's punctuation characters: `{ } ; , . :`.
    Punct,
    /// The comparison of a typed kpi target: `< <= > >= =`.
    Operator,
    /// `//` or `////` to the end of the line.
    Comment,
    /// `///` to the end of the line.
    DocComment,
    /// A run of spaces, tabs and byte-order marks.
    Blank,
    /// A line break: `\n`, `\r\n` or a lone `\r`.
    Newline,
    /// A character the language has no use for here (`é`, `@`, a `-` that starts
    /// no number).
    Unknown,
}

/// A token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in the text it was read from.
    pub fn text(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token is this word, or this punctuation character.
    pub fn is(self, text: &str, word: &str) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Punct) && self.text(text) == word
    }

    /// Whether the token is white space (a line break included), which no tool
    /// but the formatter looks at.
    pub fn is_space(self) -> bool {
        matches!(self.kind, TokenKind::Blank | TokenKind::Newline)
    }
}

/// The tokens of a text, in order, white space and comments included.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, at: 0 }
}

/// Whether `text` is one id (or keyword) and nothing else.
pub fn is_ident(text: &str) -> bool {
    let mut all = tokens(text);
    matches!(all.next(), Some(t) if t.kind == TokenKind::Word && t.end == text.len())
}

/// The iterator [`tokens`] returns.
#[derive(Clone, Debug)]
pub struct Tokens<'t> {
    text: &'t str,
    at: usize,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.at;
        let rest = &self.text.as_bytes()[start..];
        let &first = rest.first()?;
        let (kind, len) = match first {
            b' ' | b'\t' => (TokenKind::Blank, blank(rest)),
            b'\n' => (TokenKind::Newline, 1),
            b'\r' => (TokenKind::Newline, if rest.get(1) == Some(&b'\n') { 2 } else { 1 }),
            b'/' if rest.get(1) == Some(&b'/') => {
                // `///` documents; `////` is a plain comment again, as in the grammar.
                let doc = rest.get(2) == Some(&b'/') && rest.get(3) != Some(&b'/');
                (if doc { TokenKind::DocComment } else { TokenKind::Comment }, line(rest))
            }
            b'"' => string(rest),
            b'0'..=b'9' => (TokenKind::Number, number(rest)),
            b'+' | b'-' if rest.get(1).is_some_and(u8::is_ascii_digit) => {
                (TokenKind::Number, 1 + number(&rest[1..]))
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => (TokenKind::Word, word(rest)),
            b'{' | b'}' | b';' | b',' | b'.' | b':' => (TokenKind::Punct, 1),
            b'<' | b'>' => (TokenKind::Operator, if rest.get(1) == Some(&b'=') { 2 } else { 1 }),
            b'=' => (TokenKind::Operator, 1),
            _ if self.text[start..].starts_with(BOM) => (TokenKind::Blank, blank(rest)),
            _ => {
                let c = self.text[start..].chars().next().map_or(1, char::len_utf8);
                (TokenKind::Unknown, c)
            }
        };
        self.at = start + len;
        Some(Token { kind, start, end: self.at })
    }
}

/// The byte-order mark, which the grammar takes for white space anywhere.
const BOM: &str = "\u{feff}";

/// The length of the run of blanks that starts `rest`.
fn blank(rest: &[u8]) -> usize {
    let mut len = 0;
    loop {
        match rest[len..] {
            [b' ' | b'\t', ..] => len += 1,
            [0xEF, 0xBB, 0xBF, ..] => len += BOM.len(),
            _ => return len,
        }
    }
}

/// The length of `rest` up to its first line break.
fn line(rest: &[u8]) -> usize {
    rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len())
}

/// A string's kind and length. An escape takes the character after the `\`, but
/// never a line break: the string ends there, unclosed, as the grammar ends it.
fn string(rest: &[u8]) -> (TokenKind, usize) {
    let mut i = 1;
    while let Some(&b) = rest.get(i) {
        match b {
            b'"' => return (TokenKind::Str { closed: true }, i + 1),
            b'\n' | b'\r' => break,
            b'\\' => match rest.get(i + 1) {
                None | Some(b'\n' | b'\r') => i += 1,
                Some(&next) => i += 1 + utf8_len(next),
            },
            _ => i += 1,
        }
    }
    (TokenKind::Str { closed: false }, i)
}

/// The length of the character whose first byte is `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The length of the unsigned number that starts `rest` (a digit), with its
/// decimals and a `%`.
fn number(rest: &[u8]) -> usize {
    let digits = |from: usize| rest[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut len = digits(0);
    if rest.get(len) == Some(&b'.') && rest.get(len + 1).is_some_and(u8::is_ascii_digit) {
        len += 1 + digits(len + 1);
    }
    if rest.get(len) == Some(&b'%') {
        len += 1;
    }
    len
}

/// The length of the id that starts `rest` (a letter or `_`).
fn word(rest: &[u8]) -> usize {
    rest.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-').count()
}

#[cfg(test)]
mod tests;
