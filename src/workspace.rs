//! Reading a workspace from disk: the only phase that touches the file system on
//! the way in. Everything after it works on [`Sources`].

use crate::source::{FileKind, PARALLEL_FROM_BYTES, SourceFile, Sources, display_path};
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};

/// A path that could not be read as part of the workspace.
#[derive(Debug)]
pub struct LoadError {
    pub path: PathBuf,
    pub problem: Problem,
}

#[derive(Debug)]
pub enum Problem {
    /// The path does not exist, or cannot be read.
    Io(std::io::Error),
    /// Walking a folder failed: a symlink loop, a folder that cannot be listed.
    Walk(String),
    /// The file's bytes are not UTF-8.
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
        byte: u8,
    },
    TooLarge,
    /// A pipe, socket or device: reading one could block forever or never end.
    NotAFile,
    /// A folder with no `.journey` file under it.
    NoFiles,
    /// A symbolic link in a folder whose target does not exist: a warning, since
    /// the rest of the folder is read (an editor's or a tool's leftover link must
    /// not stop the whole workspace).
    DanglingLink,
}

impl LoadError {
    /// Whether the rest of the workspace is fine to use: the problem is reported,
    /// but does not make the command fail.
    pub fn is_warning(&self) -> bool {
        matches!(self.problem, Problem::DanglingLink)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = display_path(&self.path);
        match &self.problem {
            Problem::Io(e) => write!(f, "cannot read `{path}`: {}", io_message(e)),
            Problem::Walk(e) => write!(f, "cannot read folder `{path}`: {e}"),
            Problem::NotUtf8 { offset, line, column, byte } => write!(
                f,
                "`{path}` is not UTF-8 text: byte 0x{byte:02x} at offset {offset} (line {line}, column {column}) is not valid UTF-8"
            ),
            Problem::TooLarge => {
                write!(f, "`{path}` is too large: files must be smaller than 4 GiB")
            }
            Problem::NotAFile => write!(
                f,
                "`{path}` is not a regular file (a pipe, socket or device): give `.journey` files or folders"
            ),
            Problem::NoFiles => write!(f, "no `.journey` files under `{path}`"),
            Problem::DanglingLink => write!(
                f,
                "skipped `{path}`: it is a symbolic link to something that does not exist"
            ),
        }
    }
}

/// The operating system's message without its "(os error N)" suffix.
fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Reads every path: a file as given, a folder as every `*.journey` file below it
/// in sorted path order. Folders whose names start with `.` are skipped (`.git`).
/// A file named twice is read once. Returns what could be read and what could not.
pub fn load(paths: &[PathBuf]) -> (Sources, Vec<LoadError>) {
    load_from(paths, PARALLEL_FROM_BYTES)
}

/// [`load`], reading in parallel from `parallel_from` bytes in all.
fn load_from(paths: &[PathBuf], parallel_from: usize) -> (Sources, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(LoadError { path: path.clone(), problem: Problem::Io(e) }),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                walk(path, &mut files, &mut errors);
                if files.len() == before {
                    errors.push(LoadError { path: path.clone(), problem: Problem::NoFiles });
                }
            }
            // A pipe or device is refused by `read`, which every reader goes through.
            Ok(_) => files.push(path.clone()),
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));

    // Reading, decoding and indexing lines are independent per file, so a large
    // workspace is read in parallel; files are added in path order either way. A
    // small one is read on this thread: starting rayon's pool would cost more.
    let read_file = |path: PathBuf| {
        let file = read(&path).map(|text| SourceFile::new(path.clone(), text));
        (path, file)
    };
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let read: Vec<_> = if bytes < parallel_from as u64 {
        files.into_iter().map(read_file).collect()
    } else {
        files.into_par_iter().map(read_file).collect()
    };
    let mut sources = Sources::new();
    for (path, file) in read {
        match file {
            Ok(file) => {
                if sources.push(file).is_err() {
                    errors.push(LoadError { path, problem: Problem::TooLarge });
                }
            }
            Err(problem) => errors.push(LoadError { path, problem }),
        }
    }
    (sources, errors)
}

/// Reads measurements files (spec §5c) into `sources`, after its `.journey` files,
/// as [`FileKind::Measurements`]: the analysis applies them, and diagnostics point
/// into them. A file named twice is read once. Returns what could not be read.
pub fn load_measurements(sources: &mut Sources, paths: &[PathBuf]) -> Vec<LoadError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())) {
            continue;
        }
        let problem = if path.is_dir() {
            Problem::Io(std::io::Error::other("it is a folder, not a measurements file"))
        } else {
            match read(path) {
                Ok(text) => {
                    let file = SourceFile::new(path.clone(), text).of_kind(FileKind::Measurements);
                    match sources.push(file) {
                        Ok(_) => continue,
                        Err(_) => Problem::TooLarge,
                    }
                }
                Err(problem) => problem,
            }
        };
        errors.push(LoadError { path: path.clone(), problem });
    }
    errors
}

fn walk(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<LoadError>) {
    // walkdir detects symlink loops when following links and reports them as
    // errors instead of descending forever.
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "journey") {
                    files.push(e.into_path());
                }
            }
            Err(e) => {
                let path = e.path().map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let dangling = e.depth() > 0
                    && e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                    && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                if dangling {
                    errors.push(LoadError { path, problem: Problem::DanglingLink });
                    continue;
                }
                let message = if e.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_owned()
                } else {
                    e.io_error().map_or_else(|| e.to_string(), io_message)
                };
                errors.push(LoadError { path, problem: Problem::Walk(message) });
            }
        }
    }
}

/// Reads a file as UTF-8 text, naming the first bad byte if it is not.
pub fn read(path: &Path) -> Result<String, Problem> {
    // Checked before opening: opening a named pipe blocks until a writer comes.
    if !std::fs::metadata(path).map_err(Problem::Io)?.is_file() {
        return Err(Problem::NotAFile);
    }
    let bytes = std::fs::read(path).map_err(Problem::Io)?;
    decode(bytes)
}

/// Decodes UTF-8, naming the first bad byte's offset, line and column.
pub fn decode(bytes: Vec<u8>) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // Everything before the bad byte is valid, so it can be counted as text.
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
        // Lines as everywhere else: a lone `\r` ends one too.
        let (line, start) = crate::source::line_starts(valid)
            .enumerate()
            .last()
            .map_or((1, 0), |(i, start)| (i + 1, start));
        let column = valid[start..].chars().count() + 1;
        Problem::NotUtf8 { offset, line, column, byte: bytes[offset] }
    })
}

/// The folder a workspace's file names are relative to in generated outputs: the
/// deepest folder that contains every path given (a file counts as its folder).
/// Outputs name files relative to it, so they do not depend on where the command
/// ran or where the checkout lives.
///
/// Paths are made absolute lexically, without resolving symbolic links, so that a
/// linked file keeps the name it has inside the workspace.
pub fn root(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut root: Option<PathBuf> = None;
    for path in paths {
        let full = lexical_absolute(path)?;
        let folder = if path.is_dir() { full } else { full.parent()?.to_path_buf() };
        root = Some(match root {
            None => folder,
            Some(r) => r.ancestors().find(|a| folder.starts_with(a))?.to_path_buf(),
        });
    }
    root
}

/// Each file's path relative to `root`, with forward slashes: its name in outputs.
/// A file outside `root` (which `root` rules out) keeps its path as given.
pub fn relative_names(root: &Path, sources: &Sources) -> Vec<String> {
    sources
        .iter()
        .map(|(_, file)| {
            lexical_absolute(&file.path)
                .and_then(|full| full.strip_prefix(root).ok().map(display_path))
                .unwrap_or_else(|| file.display_path())
        })
        .collect()
}

/// The absolute form of a path, with `.` and `..` resolved by the text alone.
pub fn lexical_absolute(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in std::path::absolute(path).ok()?.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_bad_byte() {
        let Err(Problem::NotUtf8 { offset, line, column, byte }) =
            decode(b"team a\nt\xc3\xa9\xff".to_vec())
        else {
            panic!("expected a decoding error");
        };
        assert_eq!((offset, line, column, byte), (10, 2, 3, 0xff));
        // Every line break counts, as in diagnostics: `\r\n`, `\n` and a lone `\r`.
        let Err(Problem::NotUtf8 { line, column, .. }) = decode(b"a\r\nb\rc\nd\re\xff".to_vec())
        else {
            panic!("expected a decoding error");
        };
        assert_eq!((line, column), (5, 2));
    }

    #[test]
    fn reading_on_one_thread_or_many_gives_the_same_sources() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("b.journey", "team b\r\nteam c\r"), ("a.journey", "team a\n")] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::write(dir.path().join("bad.journey"), b"team \xff").unwrap();
        let paths = [dir.path().to_path_buf(), dir.path().join("missing.journey")];
        let shown = |(sources, errors): (Sources, Vec<LoadError>)| {
            let files: Vec<_> = sources
                .iter()
                .map(|(id, f)| {
                    (id, f.display_path(), f.text.clone(), f.line_col(f.text.len() as u32))
                })
                .collect();
            let errors: Vec<_> = errors.iter().map(ToString::to_string).collect();
            format!("{files:?}{errors:?}")
        };
        let one = shown(load_from(&paths, usize::MAX));
        assert_eq!(one, shown(load_from(&paths, 0)));
        assert!(
            one.contains("a.journey") && one.contains("LineCol { line: 3, column: 1 }"),
            "{one}"
        );
        assert!(one.contains("not UTF-8") && one.contains("cannot read"), "{one}");
    }
}
