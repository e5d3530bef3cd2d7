//! The protocol's coordinates and ours: byte offsets ↔ LSP positions (in the
//! negotiated encoding), spans ↔ ranges, and `file:` URIs ↔ paths.
//!
//! The compiler speaks in byte offsets. The protocol speaks in lines and columns
//! counted in UTF-16 code units unless the client accepts UTF-8, and counts `\n`,
//! `\r\n` and a lone `\r` as line breaks, as the grammar does.

use crate::source::ColumnIndex;
use lsp_types::{Position, Range, Uri};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes: what the compiler uses, so no conversion is needed on a line.
    Utf8,
    /// UTF-16 code units: the protocol's default.
    Utf16,
}

/// The start of every line of a text, for conversions both ways.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// UTF-16 columns far into a long line are counted from it, not from the
    /// line's start: a one-line file of 20 000 findings was quadratic.
    columns: ColumnIndex,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: crate::source::line_starts(text).collect(),
            columns: ColumnIndex::new(text),
        }
    }

    /// The position of a byte offset. Offsets past the end or inside a character
    /// are moved back to the nearest character boundary.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let column = match encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.columns.count(text, start, offset).1,
        };
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of a position. A line past the end means the end of the text;
    /// a column past the end of its line means the end of the line (as the protocol
    /// asks), and a column inside a character means the start of that character.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else { return text.len() };
        let content = self.line_content(text, line);
        let wanted = position.character as usize;
        let within = match encoding {
            Encoding::Utf8 => floor_boundary(content, wanted.min(content.len())),
            Encoding::Utf16 => {
                self.columns.utf16_offset(text, start, start + content.len(), wanted) - start
            }
        };
        start + within
    }

    /// The text of a 0-based line, without its line break.
    pub fn line_content<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line) else { return "" };
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let raw = text.get(start..end).unwrap_or("");
        raw.strip_suffix("\r\n")
            .or_else(|| raw.strip_suffix('\n'))
            .or_else(|| raw.strip_suffix('\r'))
            .unwrap_or(raw)
    }

    /// The range of a byte range.
    pub fn range(&self, text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(self.position(text, start, encoding), self.position(text, end, encoding))
    }

    /// The position just past the last character.
    pub fn end(&self, text: &str, encoding: Encoding) -> Position {
        self.position(text, text.len(), encoding)
    }
}

/// The length of a piece of text in the encoding's units.
pub fn width(text: &str, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => to_u32(text.len()),
        Encoding::Utf16 => to_u32(text.chars().map(char::len_utf16).sum()),
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The path of a `file:` URI; `None` for other schemes and for URIs that do not
/// decode to a local path.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://").or_else(|| text.strip_prefix("FILE://"))?;
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/Users/…` names `C:/Users/…`.
        let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
        let drive = trimmed.as_bytes();
        if drive.len() >= 2 && drive[0].is_ascii_alphabetic() && drive[1] == b':' {
            return Some(PathBuf::from(trimmed.replace('/', "\\")));
        }
    }
    if decoded.is_empty() {
        return None;
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !shown.starts_with('/') {
        out.push('/');
    }
    for b in shown.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a\u{e9}\u{1f697}b\r\nx\ry";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(index.position(text, b, Encoding::Utf16), Position::new(0, 4));
        assert_eq!(index.position(text, b, Encoding::Utf8), Position::new(0, 7));
        assert_eq!(index.offset(text, Position::new(0, 4), Encoding::Utf16), b);
        // Inside the surrogate pair: the start of the character.
        assert_eq!(index.offset(text, Position::new(0, 3), Encoding::Utf16), 3);
        // Past the end of a line: the end of that line, before `\r\n`.
        assert_eq!(index.offset(text, Position::new(0, 99), Encoding::Utf16), b + 1);
        let y = text.find('y').unwrap();
        assert_eq!(index.position(text, y, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(index.offset(text, Position::new(9, 0), Encoding::Utf16), text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        if cfg!(windows) {
            return;
        }
        let path = Path::new("/tmp/a b/caf\u{e9}#1.journey");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/caf%C3%A9%231.journey");
        assert_eq!(path_of(&uri).unwrap(), path);
        assert_eq!(path_of(&Uri::from_str("untitled:Untitled-1").unwrap()), None);
    }
}
