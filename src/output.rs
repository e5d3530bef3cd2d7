//! Writing generated files: the only phase that writes to disk.
//!
//! A build is all or nothing. The files are written into a fresh temporary folder
//! beside the output folder, flushed to disk, and only then swapped into place, so an
//! interrupted or failed build leaves the previous output exactly as it was.
//!
//! Replacing a folder wholesale is only safe when that folder is ours, so the output
//! folder must be new, empty, or a previous build's output (it holds a
//! `traceability.json` of our schema), and it must not contain any source file.

use crate::emit::{SCHEMA, Sink, Site};
use crate::source::{Sources, display_path};
use rayon::prelude::*;
use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

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
    /// The file to replace is read-only: its owner said it is not to be changed.
    ReadOnly(PathBuf),
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
            OutputError::ReadOnly(path) => write!(
                f,
                "refusing to write `{}`: it is read-only; make it writable (`chmod u+w`) to replace it",
                display_path(path)
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
    write_with(dir, sources, |sink| {
        site.files
            .par_iter()
            .try_for_each(|(name, text)| sink.file(name, &|out| out.write_all(text.as_bytes())))
    })
}

/// Replaces the folder `dir`, atomically, with the files `generate` writes into the sink
/// it is given (as `emit::site_into` does): each file is streamed to disk as it is
/// generated, and the folder only takes the new files' place once `generate` has
/// succeeded and every file is synced. Returns what `generate` returned.
pub fn write_with<T>(
    dir: &Path,
    sources: &Sources,
    generate: impl FnOnce(&dyn Sink) -> std::io::Result<T>,
) -> Result<T, OutputError> {
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
    let sink = Staging { folder: staging.path(), dir, failed: Mutex::new(None) };
    let result = match generate(&sink) {
        Ok(result) => result,
        // The staging folder is deleted as `staging` is dropped.
        Err(error) => {
            let failed = sink.failed.into_inner().unwrap_or_else(PoisonError::into_inner);
            return Err(OutputError::Io {
                path: failed.unwrap_or_else(|| dir.to_path_buf()),
                error,
            });
        }
    };

    let staged = staging.keep();
    if !exists {
        return fs::rename(&staged, dir).map(|()| result).map_err(|e| {
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
    Ok(result)
}

/// The staging folder of a build, as a [`Sink`]: each file is written as it is
/// generated, then synced, so that the swap only ever moves files that are complete
/// on disk. Files are written from several threads at once, so one
/// file's sync overlaps the next one's rendering.
struct Staging<'a> {
    folder: &'a Path,
    /// The output folder, to name a file that failed as the user will look for it.
    dir: &'a Path,
    /// The first file that could not be written.
    failed: Mutex<Option<PathBuf>>,
}

impl Sink for Staging<'_> {
    fn file(
        &self,
        name: &str,
        render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        // `render` writes in large chunks (see `emit`), so the file needs no buffer.
        let write = || {
            let mut file = fs::File::create(self.folder.join(name))?;
            render(&mut file)?;
            file.sync_all()
        };
        write().inspect_err(|_| {
            let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
            failed.get_or_insert_with(|| self.dir.join(name));
        })
    }
}

/// Whether an existing folder may be replaced: it is empty, or an earlier build's.
fn replaceable(dir: &Path) -> std::io::Result<bool> {
    if fs::read_dir(dir)?.next().is_none() {
        return Ok(true);
    }
    Ok(ours(&dir.join("traceability.json")))
}

/// Whether a `traceability.json` is a build's: its first key is `schema`, naming
/// our schema. Only the start is read, since the file is ten times the size of the
/// sources (parsing a 217 MB one whole took a gigabyte of memory on every rebuild).
fn ours(path: &Path) -> bool {
    let mut head = Vec::new();
    let Ok(file) = fs::File::open(path) else { return false };
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let value = head
        .trim_ascii_start()
        .strip_prefix(b"{")
        .map(<[u8]>::trim_ascii_start)
        .and_then(|rest| rest.strip_prefix(b"\"schema\""))
        .map(<[u8]>::trim_ascii_start)
        .and_then(|rest| rest.strip_prefix(b":"));
    // The first value only: the rest of the document is not needed.
    let schema = value.and_then(|rest| {
        serde_json::Deserializer::from_slice(rest).into_iter::<String>().next()?.ok()
    });
    let family = SCHEMA.split('/').next().unwrap_or(SCHEMA);
    schema.is_some_and(|s| s.starts_with(family))
}

/// Replaces one file's contents atomically: the text is written to a temporary file
/// beside it, flushed, and renamed over it, so readers see the old or the new text,
/// never a part. A new file gets the usual permissions; an existing one keeps its
/// mode and owner.
///
/// A rename replaces the name it is given, so the file is the one the name leads
/// to: a symbolic link is followed to its target (which is replaced; the link
/// stays a link), however many links lead there. A file with other hard links, or
/// whose owner the temporary file cannot be given, is rewritten in place instead,
/// since a rename would give its name a new file and leave the other links, or the
/// owner, with the old one. A read-only file is refused.
pub fn write_file(path: &Path, text: &str) -> Result<(), OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| OutputError::Io { path, error }
    };
    let path = &follow_links(path).map_err(io(path))?;
    let existing = match fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => {
            return Err(OutputError::ReadOnly(path.clone()));
        }
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(path)(e)),
    };
    if existing.as_ref().is_some_and(other_links) {
        return write_in_place(path, text).map_err(io(path));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| OutputError::NotAFolder(path.clone()))?;
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{}.new-", name.to_string_lossy()))
        .tempfile_in(parent)
        .map_err(io(path))?;
    file.write_all(text.as_bytes()).map_err(io(path))?;
    file.as_file().sync_all().map_err(io(path))?;
    let permissions = if let Some(meta) = &existing {
        if !same_owner(file.as_file(), meta) {
            // The temporary file is dropped, and deleted, here.
            return write_in_place(path, text).map_err(io(path));
        }
        meta.permissions()
    } else {
        // tempfile creates files readable by their owner only; a new output file
        // should be as readable as any other the user creates.
        let mut p = file.as_file().metadata().map_err(io(path))?.permissions();
        set_default_mode(&mut p);
        p
    };
    file.as_file().set_permissions(permissions).map_err(io(path))?;
    file.persist(path).map_err(|e| io(path)(e.error))?;
    Ok(())
}

/// The file a path leads to through any symbolic links, which need not exist yet
/// (a dangling link is written through too, creating its target).
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // The kernel's own limit on links followed in one look-up.
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a file's new text into the file itself, keeping its inode, so its links,
/// mode and owner stay as they are. A reader may see a part of the text meanwhile.
fn write_in_place(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).truncate(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Whether the file has hard links besides the name it was reached by.
#[cfg(unix)]
fn other_links(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn other_links(_: &fs::Metadata) -> bool {
    false
}

/// Gives the new file the old one's owner and group, if they differ and the
/// system allows it (as root, or a group the user is in); whether they now match.
#[cfg(unix)]
fn same_owner(new: &fs::File, old: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = new.metadata() else { return false };
    if (meta.uid(), meta.gid()) == (old.uid(), old.gid()) {
        return true;
    }
    std::os::unix::fs::fchown(new, Some(old.uid()), Some(old.gid())).is_ok()
}

#[cfg(not(unix))]
fn same_owner(_: &fs::File, _: &fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn set_default_mode(p: &mut fs::Permissions) {
    use std::os::unix::fs::PermissionsExt;
    p.set_mode(0o644);
}

#[cfg(not(unix))]
fn set_default_mode(_: &mut fs::Permissions) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_build_is_recognised_from_the_start_of_its_matrix() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("traceability.json");
        // Only the first bytes are read: the rest (here cut off, as no build would
        // leave it) is never parsed.
        let long = format!("{{\n  \"schema\": \"{SCHEMA}\",\n  \"files\": [\"{}", "a".repeat(9000));
        fs::write(&path, long).unwrap();
        assert!(ours(&path));
        for other in [
            "{\"schema\": \"something-else/1\"}",
            "{\"files\": [], \"schema\": \"journey-traceability/1\"}",
            "[\"schema\", \"journey-traceability/1\"]",
            "",
        ] {
            fs::write(&path, other).unwrap();
            assert!(!ours(&path), "{other}");
        }
        assert!(!ours(&tmp.path().join("missing.json")));
    }

    fn read(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn streamed_files_replace_the_folder_only_when_all_are_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let sources = Sources::new();
        let site = |sink: &dyn Sink| {
            sink.file("index.html", &|w| w.write_all(b"<p>new</p>"))?;
            sink.file("traceability.json", &|w| {
                w.write_all(b"{\"schema\":\"journey-traceability/1\"}")
            })?;
            Ok(2)
        };
        assert_eq!(write_with(&out, &sources, site).unwrap(), 2);
        let first = read(&out);
        assert_eq!(first[0], ("index.html".into(), "<p>new</p>".into()));

        // A file that fails half-way: the error names it, the previous output stays
        // exactly as it was, and nothing is left beside it.
        let failing = |sink: &dyn Sink| {
            sink.file("index.html", &|w| w.write_all(b"<p>newer</p>"))?;
            sink.file("j.html", &|w| {
                w.write_all(b"<p>half")?;
                Err(std::io::Error::other("the disk is full"))
            })
        };
        let error = write_with(&out, &sources, failing).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("j.html") && message.contains("the disk is full"), "{message}");
        assert_eq!(read(&out), first);
        let names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out"], "the staging folder was left behind");
    }
}
