//! Writing generated files: the only phase that writes to disk.
//!
//! A build is all or nothing. The files are written into a fresh temporary folder
//! beside the output folder, flushed to disk, and only then swapped into place, so an
//! interrupted or failed build leaves the previous output exactly as it was.
//!
//! Replacing a folder wholesale is only safe when that folder is ours, so the output
//! folder must be new, empty, or a previous build's output (it holds a
//! `traceability.json` of our schema), and it must not contain any source file.

use crate::emit::{SCHEMA, Site};
use crate::source::{Sources, display_path};
use rayon::prelude::*;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the output was not written. Nothing on disk changed, except the parent
/// folders of the output folder, which are created when missing.
#[derive(Debug)]
pub enum OutputError {
    /// The output path exists and is not a folder.
    NotAFolder(PathBuf),
    /// A source file lives inside the output folder, which a build replaces.
    HoldsSources {
        dir: PathBuf,
        source: PathBuf,
    },
    /// The output folder has files that a previous build did not write.
    NotOurs(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::NotAFolder(dir) => {
                write!(f, "the output path `{}` exists and is not a folder", display_path(dir))
            }
            OutputError::HoldsSources { dir, source } => write!(
                f,
                "refusing to write into `{}`: it contains the source `{}`, and a build replaces the whole folder",
                display_path(dir),
                display_path(source)
            ),
            OutputError::NotOurs(dir) => write!(
                f,
                "refusing to replace `{}`: it is not empty and is not the output of an earlier `journey build` (it has no `traceability.json`); choose a new or empty folder",
                display_path(dir)
            ),
            OutputError::Io { path, error } => {
                write!(f, "cannot write `{}`: {error}", display_path(path))
            }
        }
    }
}

impl std::error::Error for OutputError {}

/// Replaces the folder `dir` with the site's files, atomically.
pub fn write(dir: &Path, site: &Site, sources: &Sources) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| OutputError::Io { path, error }
    };
    let exists = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => true,
        // A symbolic link to a folder would be replaced by a folder: refuse it as well.
        Ok(_) => return Err(OutputError::NotAFolder(dir.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(dir)(e)),
    };
    // `-o .` or `-o ..` name a folder too: work with its absolute form.
    let absolute = crate::workspace::lexical_absolute(dir).ok_or_else(|| OutputError::Io {
        path: dir.to_path_buf(),
        error: std::io::Error::other("cannot find the current folder"),
    })?;
    let (Some(name), Some(parent)) = (absolute.file_name(), absolute.parent()) else {
        // The root of the file system.
        return Err(OutputError::NotOurs(dir.to_path_buf()));
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let full = fs::canonicalize(parent).map_err(io(parent))?.join(name);

    for (_, file) in sources.iter() {
        if let Ok(source) = fs::canonicalize(&file.path) {
            if source.starts_with(&full) {
                return Err(OutputError::HoldsSources {
                    dir: dir.to_path_buf(),
                    source: file.path.clone(),
                });
            }
        }
    }
    if exists && !replaceable(dir).map_err(io(dir))? {
        return Err(OutputError::NotOurs(dir.to_path_buf()));
    }

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{}.new-", name.to_string_lossy()))
        .tempdir_in(parent)
        .map_err(io(parent))?;
    // In parallel, so that one file's sync overlaps the next one's writing.
    site.files.par_iter().try_for_each(|(file, text)| {
        let path = staging.path().join(file);
        let mut out = fs::File::create(&path).map_err(io(&dir.join(file)))?;
        out.write_all(text.as_bytes()).map_err(io(&dir.join(file)))?;
        out.sync_all().map_err(io(&dir.join(file)))
    })?;

    let staged = staging.keep();
    if !exists {
        return fs::rename(&staged, dir).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            io(dir)(e)
        });
    }
    // Swap: move the old output aside, move the new one in, then delete the old. If
    // a move fails, everything goes back as it was.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{}.old-", name.to_string_lossy()))
        .tempdir_in(parent)
        .map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            io(parent)(e)
        })?
        .keep();
    // Renaming a folder onto an empty folder replaces it.
    if let Err(e) = fs::rename(dir, &old) {
        let _ = fs::remove_dir(&old);
        let _ = fs::remove_dir_all(&staged);
        return Err(io(dir)(e));
    }
    if let Err(e) = fs::rename(&staged, dir) {
        let _ = fs::rename(&old, dir);
        let _ = fs::remove_dir_all(&staged);
        return Err(io(dir)(e));
    }
    // The new output is in place; failing to delete the old copy loses nothing.
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Whether an existing folder may be replaced: it is empty, or an earlier build's.
fn replaceable(dir: &Path) -> std::io::Result<bool> {
    if fs::read_dir(dir)?.next().is_none() {
        return Ok(true);
    }
    let Ok(text) = fs::read_to_string(dir.join("traceability.json")) else {
        return Ok(false);
    };
    let family = SCHEMA.split('/').next().unwrap_or(SCHEMA);
    Ok(serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("schema")?.as_str().map(|s| s.starts_with(family)))
        .unwrap_or(false))
}

/// Replaces one file's contents atomically: the text is written to a temporary file
/// beside it, flushed, and renamed over it, so readers see the old or the new text,
/// never a part. A new file gets the usual permissions; an existing one keeps its own.
pub fn write_file(path: &Path, text: &str) -> Result<(), OutputError> {
    let io = |error| OutputError::Io { path: path.to_path_buf(), error };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| OutputError::NotAFolder(path.to_path_buf()))?;
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{}.new-", name.to_string_lossy()))
        .tempfile_in(parent)
        .map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    let permissions = if let Ok(meta) = fs::metadata(path) {
        meta.permissions()
    } else {
        // tempfile creates files readable by their owner only; a new output file
        // should be as readable as any other the user creates.
        let mut p = file.as_file().metadata().map_err(io)?.permissions();
        set_default_mode(&mut p);
        p
    };
    file.as_file().set_permissions(permissions).map_err(io)?;
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_default_mode(p: &mut fs::Permissions) {
    use std::os::unix::fs::PermissionsExt;
    p.set_mode(0o644);
}

#[cfg(not(unix))]
fn set_default_mode(_: &mut fs::Permissions) {}
