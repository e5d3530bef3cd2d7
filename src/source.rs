//! Source files and spans: the one vocabulary every phase uses to point into the text.
//!
//! A [`Span`] is a byte range in one file of a [`Sources`] set. Spans are plain copies
//! (no lifetimes), so the AST, the model and the diagnostics can all own them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        // `Sources::add` refuses texts of 4 GiB or more, so offsets always fit.
        Span { file, start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both (which must be in the same file).
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// One file of a workspace: the path it is reported under and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// What the text is: only `.journey` files are parsed; a measurements file is
    /// here so that diagnostics can point into it.
    pub kind: FileKind,
    /// Byte offset of the start of every line, for line/column look-ups. Made on
    /// first use: a workspace with nothing to report never needs them, and made
    /// up front they added 4 bytes a line to the analysis's peak memory.
    line_starts: OnceLock<Vec<u32>>,
    /// Characters before every block of the text, for columns far into a long
    /// line; made on first use, and only a line longer than a block uses it.
    columns: OnceLock<ColumnIndex>,
}

/// What a file of [`Sources`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A `.journey` file.
    Journey,
    /// A measurements CSV file (spec §5c), given with `--measurements`.
    Measurements,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        SourceFile {
            path,
            text,
            kind: FileKind::Journey,
            line_starts: OnceLock::new(),
            columns: OnceLock::new(),
        }
    }

    /// The same file as another kind.
    #[must_use]
    pub fn of_kind(self, kind: FileKind) -> Self {
        SourceFile { kind, ..self }
    }

    pub fn is_journey(&self) -> bool {
        self.kind == FileKind::Journey
    }

    fn starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text).map(|s| s as u32).collect())
    }

    /// The 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        let mut column = if end - start <= COLUMN_BLOCK {
            self.text.get(start..end).map_or(end - start, |s| s.chars().count())
        } else {
            let columns = self.columns.get_or_init(|| ColumnIndex::new(&self.text));
            columns.count(&self.text, start, end).0
        } + 1;
        // A byte-order mark is invisible in editors, so it does not count as a column.
        if line == 0 && end > 0 && self.text.starts_with('\u{feff}') {
            column -= 1;
        }
        LineCol { line: line + 1, column }
    }

    /// The 0-based index of the line holding a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.starts().partition_point(|&s| s as usize <= offset).saturating_sub(1)
    }

    /// The byte offset where a 0-based line starts; the text's length past the last.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts().get(line).map_or(self.text.len(), |&s| s as usize)
    }

    /// The path with forward slashes, as shown in every output.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }
}

/// The byte offset where each line of a text starts, the first line included.
/// `\n`, `\r\n` and a lone `\r` all end a line, as in the grammar (pest's
/// `NEWLINE`) and the Language Server Protocol, so every part of the compiler
/// agrees with editors on what a line is.
pub fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    // memchr finds the line ends a word at a time; a byte loop was most of the
    // time spent reading a large workspace.
    let bytes = text.as_bytes();
    let ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    std::iter::once(0).chain(ends.filter_map(move |i| {
        (bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n')).then_some(i + 1)
    }))
}

/// The number of characters and of UTF-16 code units before every
/// `COLUMN_BLOCK`-th byte of a text, so that a column far into a long line is
/// counted from the nearest block rather than from the line's start. Counted from
/// the line's start, a file of one long line with a finding on every declaration
/// (generated and minified files are real inputs) took time quadratic in its length.
/// It costs 8 bytes per 1 KiB of text.
#[derive(Debug, Clone, Default)]
pub struct ColumnIndex {
    /// `(characters, UTF-16 code units)` before byte `i * COLUMN_BLOCK`, for every
    /// block start up to the text's length.
    blocks: Vec<(u32, u32)>,
}

/// A block of [`ColumnIndex`], in bytes.
const COLUMN_BLOCK: usize = 1024;

impl ColumnIndex {
    pub fn new(text: &str) -> ColumnIndex {
        let mut blocks = Vec::with_capacity(text.len() / COLUMN_BLOCK + 1);
        let mut total = (0, 0);
        blocks.push(total);
        for chunk in text.as_bytes().chunks(COLUMN_BLOCK) {
            let (chars, units) = count(chunk);
            total = (total.0 + chars as u32, total.1 + units as u32);
            if chunk.len() == COLUMN_BLOCK {
                blocks.push(total);
            }
        }
        ColumnIndex { blocks }
    }

    /// The characters and UTF-16 code units of `text[from..to]` (an index of
    /// `text`; `from` and `to` on character boundaries).
    pub fn count(&self, text: &str, from: usize, to: usize) -> (usize, usize) {
        let to = to.min(text.len());
        let from = from.min(to);
        if to - from <= COLUMN_BLOCK {
            return count(&text.as_bytes()[from..to]);
        }
        let (a, b) = (self.before(text, from), self.before(text, to));
        (b.0 - a.0, b.1 - a.1)
    }

    /// The byte offset in `text[from..to]` (character boundaries) where `units` UTF-16
    /// code units after `from` end; inside a character, its start; past `to`, `to`.
    pub fn utf16_offset(&self, text: &str, from: usize, to: usize, units: usize) -> usize {
        let to = to.min(text.len());
        let target = self.before(text, from).1 + units;
        // The last block that starts before the target, or `from` if that is later.
        let block = self.blocks.partition_point(|b| b.1 as usize <= target).saturating_sub(1);
        let mut start = (block * COLUMN_BLOCK).clamp(from, to.max(from));
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut counted = self.before(text, start).1;
        for (i, c) in text[start..to].char_indices() {
            if counted + c.len_utf16() > target {
                return start + i;
            }
            counted += c.len_utf16();
        }
        to
    }

    /// Characters and UTF-16 code units before byte `at` of `text`.
    fn before(&self, text: &str, at: usize) -> (usize, usize) {
        let block = (at / COLUMN_BLOCK).min(self.blocks.len() - 1);
        let (chars, units) = self.blocks[block];
        let (c, u) = count(&text.as_bytes()[block * COLUMN_BLOCK..at]);
        (chars as usize + c, units as usize + u)
    }
}

/// Characters and UTF-16 code units in UTF-8 bytes (a run of whole characters, or
/// counting each character whose first byte is among them): every byte but a
/// continuation byte starts a character, and a four-byte character is two units.
fn count(bytes: &[u8]) -> (usize, usize) {
    let chars = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
    let long = bytes.iter().filter(|&&b| b >= 0xF0).count();
    (chars, chars + long)
}

/// A path as shown to users: forward slashes on every platform, so outputs are
/// identical wherever they are produced.
pub fn display_path(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    // Walking `.` yields `./a.journey`; users write and expect `a.journey`.
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => shown,
    }
}

/// The files of one workspace, in the order they were given: its `.journey` files,
/// then any measurements files (see [`FileKind`]).
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// Below this many bytes of source in all, a workspace's files are read and parsed
/// one after the other: starting rayon's pool costs more than it saves there, and
/// an example is checked in a few milliseconds.
pub const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// The largest text a span can address.
pub const MAX_FILE_LEN: usize = u32::MAX as usize;

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    /// Adds a file. Texts of 4 GiB or more are refused (spans are 32-bit).
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> Result<FileId, TooLarge> {
        if text.len() >= MAX_FILE_LEN {
            return Err(TooLarge);
        }
        self.push(SourceFile::new(path.into(), text))
    }

    /// Adds a file already indexed, as [`Sources::add`] does.
    pub fn push(&mut self, file: SourceFile) -> Result<FileId, TooLarge> {
        if file.text.len() >= MAX_FILE_LEN {
            return Err(TooLarge);
        }
        let id = FileId(self.files.len() as u32);
        self.files.push(file);
        Ok(id)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }
}

/// A text too large for 32-bit spans.
#[derive(Debug, Clone, Copy)]
pub struct TooLarge;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a".into(), "ab\ncé d\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes: the byte after it is the third character.
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_col(9), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn the_column_index_counts_as_a_scan_does() {
        // Characters of one to four bytes, across many block boundaries.
        let text: String = "aé€😀".repeat(2_000);
        let index = ColumnIndex::new(&text);
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for &from in bounds.iter().step_by(397) {
            for &to in bounds.iter().filter(|&&to| to >= from).step_by(389) {
                let piece = &text[from..to];
                let units = piece.chars().map(char::len_utf16).sum::<usize>();
                assert_eq!(index.count(&text, from, to), (piece.chars().count(), units));
                assert_eq!(index.utf16_offset(&text, from, text.len(), units), to);
            }
        }
        // Inside a surrogate pair: the start of the character.
        assert_eq!(index.utf16_offset(&text, 0, text.len(), 4), 6);
        let f = SourceFile::new("a".into(), format!("{text}\n{text}"));
        let second = text.len() + 1;
        assert_eq!(f.line_col((second + text.len()) as u32).column, 8_001);
    }

    #[test]
    fn every_kind_of_line_end_starts_a_line() {
        let starts = |text: &str| line_starts(text).collect::<Vec<_>>();
        assert_eq!(starts(""), [0]);
        assert_eq!(starts("a\nb\r\nc\rd"), [0, 2, 5, 7]);
        // `\r\n` is one end, `\n\r` two; a text may end on either.
        assert_eq!(starts("\r\n\n\r\r"), [0, 2, 3, 4, 5]);
        assert_eq!(starts("x\r"), [0, 2]);
    }
}
