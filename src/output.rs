//! Writing generated files: the only phase that writes to disk.
//!
//! A build is all or nothing. The files are written into a fresh temporary folder
//! beside the output folder, flushed to disk, and only then swapped into place, so an
//! interrupted or failed build leaves the previous output exactly as it was.
//!
//! Replacing a folder wholesale is only safe when that folder is ours, so the output
//! folder must be new, empty, or a previous build's output, and it must not contain
//! any source file. A build writes a manifest, [`MANIFEST`], listing its files: a
//! folder is an earlier build's when it holds exactly those (a folder written before
//! manifests existed, when it holds only pages and a `traceability.json` of our
//! schema). Anything else is refused, naming the first file a build did not write.
//!
//! The temporary folders are named after the output folder and the process
//! (`.DIR.new-PID-*`, `.DIR.old-PID-*`), so that a later build can delete those
//! that an interrupted or failed build left behind, and only those.

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
    /// The output folder has files that a previous build did not write: the first
    /// of them, or none when the folder only lacks the files that would show it
    /// is a build's.
    NotOurs {
        dir: PathBuf,
        unexpected: Option<PathBuf>,
    },
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
            OutputError::NotOurs { dir, unexpected: Some(file) } => write!(
                f,
                "refusing to replace `{}`: it holds `{}`, which no earlier `journey build` or `journey export` wrote there; choose a new or empty folder",
                display_path(dir),
                display_path(file)
            ),
            OutputError::NotOurs { dir, unexpected: None } => write!(
                f,
                "refusing to replace `{}`: it is not empty and is not the output of an earlier `journey build` or `journey export`; choose a new or empty folder",
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
    write_with_then(dir, sources, generate, || Ok(()))
}

/// Replaces the folder `dir` with the files `generate` writes, as [`write_with`]
/// does, and the file `file` with `text` (as [`write_file`] does) once the folder
/// is in place: a document and the folder of pictures it links to. If the file
/// cannot be written, the folder is put back as it was, so the two change together
/// or not at all (but for the moment between the two renames).
pub fn write_folder_and_file<T>(
    dir: &Path,
    file: &Path,
    text: &str,
    sources: &Sources,
    generate: impl FnOnce(&dyn Sink) -> std::io::Result<T>,
) -> Result<T, OutputError> {
    write_with_then(dir, sources, generate, || write_file(file, text))
}

/// [`write_with`], running `then` once the new folder is in place; if `then`
/// fails, the new folder is removed and the old one, if any, put back.
fn write_with_then<T>(
    dir: &Path,
    sources: &Sources,
    generate: impl FnOnce(&dyn Sink) -> std::io::Result<T>,
    then: impl FnOnce() -> Result<(), OutputError>,
) -> Result<T, OutputError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| OutputError::Io { path, error }
    };
    let not_ours = |unexpected| OutputError::NotOurs { dir: dir.to_path_buf(), unexpected };
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
        return Err(not_ours(None));
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let full = fs::canonicalize(parent).map_err(io(parent))?.join(name);
    // `-o LINK/` (a trailing slash) makes the look-up above follow a symbolic link
    // to a folder; the name itself must not be one either.
    if fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputError::NotAFolder(dir.to_path_buf()));
    }

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
    if exists {
        unexpected(dir).map_err(io(dir))?.map_err(not_ours)?;
    }
    let name = name.to_string_lossy();
    remove_leftovers(parent, &name);

    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(io(parent))?;
    let sink = Staging {
        folder: staging.path(),
        dir,
        failed: Mutex::new(None),
        written: Mutex::new(Vec::new()),
    };
    let generated = generate(&sink).and_then(|result| {
        let mut written = sink.written.lock().unwrap_or_else(PoisonError::into_inner);
        written.sort_unstable();
        let mut manifest = fs::File::create(staging.path().join(MANIFEST))?;
        manifest.write_all(MANIFEST_HEAD.as_bytes())?;
        manifest.write_all(written.join("\n").as_bytes())?;
        manifest.write_all(b"\n")?;
        manifest.sync_all()?;
        Ok(result)
    });
    let result = match generated {
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
        fs::rename(&staged, dir).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            io(dir)(e)
        })?;
        // The folder is the one just moved into place: ours to remove.
        return then().map(|()| result).inspect_err(|_| {
            let _ = remove_tree(dir);
        });
    }
    // Swap: move the old output aside, move the new one in, then delete the old. If
    // a move fails, everything goes back as it was.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-{}-", std::process::id()))
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
    if let Err(e) = then() {
        // The new folder goes back where it was staged, and the old one returns.
        let _ = fs::rename(dir, &staged);
        let _ = fs::rename(&old, dir);
        let _ = remove_tree(&staged);
        return Err(e);
    }
    // The new output is in place; failing to delete the old copy loses nothing, and
    // the next build deletes it.
    let _ = remove_tree(&old);
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
    /// The names of the files written, for the manifest.
    written: Mutex<Vec<String>>,
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
        })?;
        self.written.lock().unwrap_or_else(PoisonError::into_inner).push(name.to_owned());
        Ok(())
    }
}

/// The file a build writes into its output folder, listing the other files it
/// wrote there, so that the next build recognises the folder as its own.
pub const MANIFEST: &str = ".journey-build";

/// The manifest's first line; a file named so without it is not ours.
const MANIFEST_HEAD: &str = "journey build 1: the files `journey build` wrote here, and replaces\n";

/// Whether an existing output folder may be replaced: it is empty, or holds only what
/// an earlier build wrote. If not, the first entry no build wrote (in name order),
/// or none when nothing shows that the folder is a build's.
fn unexpected(dir: &Path) -> std::io::Result<Result<(), Option<PathBuf>>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.push((entry.file_name(), entry.file_type()?));
    }
    if entries.is_empty() {
        return Ok(Ok(()));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let listed = fs::read_to_string(dir.join(MANIFEST)).ok().and_then(|text| {
        let names = text.strip_prefix(MANIFEST_HEAD)?;
        Some(names.lines().map(str::to_owned).collect::<std::collections::BTreeSet<_>>())
    });
    let first = entries.iter().find(|(name, kind)| {
        let name = name.to_string_lossy();
        let written = match &listed {
            Some(listed) => name == MANIFEST || listed.contains(&*name),
            // A folder built before manifests: its pages and `traceability.json`.
            None => {
                name.ends_with(".html")
                    || (name == "traceability.json" && ours(&dir.join("traceability.json")))
            }
        };
        !(written && kind.is_file())
    });
    if let Some((name, _)) = first {
        return Ok(Err(Some(dir.join(name))));
    }
    if listed.is_none() && !ours(&dir.join("traceability.json")) {
        return Ok(Err(None));
    }
    Ok(Ok(()))
}

/// Deletes the temporary folders that earlier builds of `name` left beside it: an
/// interrupted build's `.NAME.new-PID-*`, a failed deletion's `.NAME.old-PID-*`.
/// Only those of processes that have ended: another build of the same folder may
/// be running. Where processes cannot be looked up, those an hour old.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(rest) = prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str())) else {
            continue;
        };
        let pid = rest.split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok());
        if pid == Some(std::process::id()) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if ended(pid, &entry.path()) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Whether the process that made a temporary folder has ended.
fn ended(pid: Option<u32>, folder: &Path) -> bool {
    if cfg!(target_os = "linux") {
        if let Some(pid) = pid {
            return !Path::new("/proc").join(pid.to_string()).exists();
        }
    }
    let age = fs::metadata(folder).and_then(|m| m.modified()).map(|t| t.elapsed());
    age.is_ok_and(|age| age.is_ok_and(|age| age.as_secs() > 3600))
}

/// Deletes a folder of ours and everything in it, read-only folders included (an
/// earlier output made read-only, moved aside as `.NAME.old-*`).
fn remove_tree(path: &Path) -> std::io::Result<()> {
    if fs::remove_dir_all(path).is_ok() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        if entry.file_type().is_dir() {
            if let Ok(meta) = entry.metadata() {
                let mut permissions = meta.permissions();
                make_writable(&mut permissions);
                let _ = fs::set_permissions(entry.path(), permissions);
            }
        }
    }
    fs::remove_dir_all(path)
}

#[cfg(unix)]
fn make_writable(p: &mut fs::Permissions) {
    use std::os::unix::fs::PermissionsExt;
    p.set_mode(p.mode() | 0o700);
}

#[cfg(not(unix))]
#[allow(clippy::permissions_set_readonly_false)]
fn make_writable(p: &mut fs::Permissions) {
    p.set_readonly(false);
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
        // An earlier version of the document is an earlier build's all the same.
        fs::write(&path, "{\"schema\": \"journey-traceability/1\", \"files\": []}").unwrap();
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

    /// The files of a folder but the manifest.
    fn read(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != MANIFEST)
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
