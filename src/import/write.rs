//! Writing new files into a folder, never replacing one: what `journey import -o`
//! and `journey init` do with the text they make.

use crate::output::{OutputError, write_file};
use crate::source::display_path;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// Why the files were not written.
#[derive(Debug)]
pub enum NewFilesError {
    /// The folder to write into exists and is not a folder.
    NotAFolder(PathBuf),
    /// Some of the files (or a folder they go in, as a file) already exist; nothing
    /// was written.
    Exist(Vec<PathBuf>),
    /// Writing failed; the files written before the failure were removed again.
    Io(OutputError),
}

impl fmt::Display for NewFilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewFilesError::NotAFolder(dir) => {
                write!(f, "`{}` exists and is not a folder", display_path(dir))
            }
            NewFilesError::Exist(paths) => {
                let names: Vec<String> =
                    paths.iter().map(|p| format!("`{}`", display_path(p))).collect();
                let (list, verb) = match names.as_slice() {
                    [one] => (one.clone(), "exists"),
                    [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "exist"),
                    [] => (String::new(), "exist"),
                };
                write!(f, "{list} already {verb}; nothing was written")
            }
            NewFilesError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for NewFilesError {}

/// Writes each `(relative path, text)` under `dir`, creating `dir` and the folders
/// in between when missing. Nothing is written if any of the files already exists.
/// Each file is written atomically (see [`write_file`]). Returns the paths written,
/// in order.
pub fn write_new_files(
    dir: &Path,
    files: &[(String, String)],
) -> Result<Vec<PathBuf>, NewFilesError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| NewFilesError::Io(OutputError::Io { path, error })
    };
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(NewFilesError::NotAFolder(dir.to_path_buf()));
    }
    let mut existing = Vec::new();
    for (name, _) in files {
        let path = dir.join(name);
        // A folder on the way that is a file blocks the write as surely.
        let mut folder = path.parent();
        while let Some(f) = folder.filter(|f| f.starts_with(dir) && *f != dir) {
            if fs::metadata(f).is_ok_and(|m| !m.is_dir()) && !existing.contains(&f.to_path_buf()) {
                existing.push(f.to_path_buf());
            }
            folder = f.parent();
        }
        if fs::symlink_metadata(&path).is_ok() && !existing.contains(&path) {
            existing.push(path);
        }
    }
    if !existing.is_empty() {
        return Err(NewFilesError::Exist(existing));
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        let result = match path.parent() {
            Some(parent) => fs::create_dir_all(parent).map_err(io(parent)),
            None => Ok(()),
        }
        .and_then(|()| write_file(&path, text).map_err(NewFilesError::Io));
        if let Err(e) = result {
            // All or nothing: the files are new, so removing them loses nothing.
            for p in &written {
                let _ = fs::remove_file(p);
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(written)
}
