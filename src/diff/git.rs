//! Reading a version of a workspace from git: a revision's files from git's object
//! store (`git ls-tree`, `git cat-file --batch`), or the working tree's files that
//! git would see (`git ls-files`, tracked and untracked but not ignored).
//!
//! `git` is run as a command, from the folder given (the current folder on the
//! command line), so it finds the repository exactly as it would for the user.
//! Paths select files as `journey check` does: a file is read whatever its name, a
//! folder means every `*.journey` file below it, skipping dot-folders. Symbolic
//! links and submodules are skipped, since a revision stores a link as its target's
//! name and a submodule as a commit, not as text.

use super::Snapshot;
use crate::source::Sources;
use crate::workspace::{LoadError, Problem};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a version could not be read from git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("`{0}` is not in a git repository; `--git` compares revisions of one")]
    NotARepository(String),
    #[error("`--git` needs a working tree; this repository has none")]
    NoWorkingTree,
    #[error("`{0}` is not a commit of this repository")]
    UnknownRevision(String),
    #[error("`{path}` is outside the repository at `{top}`")]
    Outside { path: String, top: String },
    #[error("cannot run `git`: {0}")]
    CannotRun(#[source] std::io::Error),
    /// `git` ran and failed: the subcommand and the first line of its error.
    #[error("`git {command}` failed: {message}")]
    Failed { command: String, message: String },
    #[error("`git cat-file` gave no contents for object {0}")]
    NoContents(String),
    #[error("{0}")]
    Load(LoadError),
}

impl From<LoadError> for GitError {
    fn from(e: LoadError) -> GitError {
        GitError::Load(e)
    }
}

/// A git repository, seen from a folder inside it.
#[derive(Debug, Clone)]
pub struct Repository {
    /// The folder `git` runs in and relative paths start from.
    dir: PathBuf,
    /// The top of the working tree.
    top: PathBuf,
    /// `dir` relative to `top`, with `/` separators, ending in `/` unless empty.
    prefix: String,
}

impl Repository {
    /// The repository that contains `dir`.
    pub fn open(dir: &Path) -> Result<Repository, GitError> {
        let out = git(dir, &["rev-parse", "--show-toplevel", "--show-prefix"], None).map_err(
            |e| match e {
                GitError::Failed { message, .. } if message.contains("not a git repository") => {
                    GitError::NotARepository(crate::source::display_path(dir))
                }
                e => e,
            },
        )?;
        let text = String::from_utf8_lossy(&out);
        let mut lines = text.lines();
        let top = lines.next().filter(|l| !l.is_empty()).ok_or(GitError::NoWorkingTree)?;
        let prefix = lines.next().unwrap_or("").to_owned();
        Ok(Repository { dir: dir.to_path_buf(), top: PathBuf::from(top), prefix })
    }

    /// The commit a revision names, as an object id.
    pub fn commit(&self, revision: &str) -> Result<String, GitError> {
        let unknown = || GitError::UnknownRevision(revision.to_owned());
        // A revision starting with `-` would be read as an option.
        if revision.is_empty() || revision.starts_with('-') {
            return Err(unknown());
        }
        let spec = format!("{revision}^{{commit}}");
        let out = git(&self.dir, &["rev-parse", "--verify", "--quiet", &spec], None)
            .map_err(|_| unknown())?;
        let oid = String::from_utf8_lossy(&out).trim().to_owned();
        if oid.is_empty() { Err(unknown()) } else { Ok(oid) }
    }

    /// The files of a revision, or of the working tree when `revision` is `None`,
    /// under `paths` (relative to the folder the repository was opened from; none
    /// means that folder). Files are named relative to the top of the repository.
    pub fn snapshot(
        &self,
        revision: Option<&str>,
        paths: &[PathBuf],
    ) -> Result<Snapshot, GitError> {
        let specs = self.specs(paths)?;
        let mut files = match revision {
            Some(revision) => self.tree(&self.commit(revision)?, &specs)?,
            None => self.working_tree(&specs)?,
        };
        // In the order of the paths given, then as a sorted walk of folders would.
        files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        files.dedup_by(|a, b| a.2 == b.2);
        let blobs: Vec<&str> = files
            .iter()
            .filter_map(|f| if let Source::Blob(oid) = &f.3 { Some(oid.as_str()) } else { None })
            .collect();
        let mut contents = self.cat(&blobs)?.into_iter();
        let mut sources = Sources::new();
        let mut names = Vec::new();
        for (_, _, name, source) in files {
            let shown = match revision {
                Some(r) => PathBuf::from(format!("{r}:{name}")),
                None => PathBuf::from(&name),
            };
            let bytes = match source {
                Source::Blob(_) => contents.next().unwrap_or_default(),
                Source::Disk => {
                    let path = self.top.join(&name);
                    // Deleted but still in the index, a submodule, a link: not a file
                    // of this version.
                    match std::fs::symlink_metadata(&path) {
                        Ok(meta) if meta.is_file() => {}
                        _ => continue,
                    }
                    std::fs::read(&path)
                        .map_err(|e| LoadError { path: path.clone(), problem: Problem::Io(e) })?
                }
            };
            let text = crate::workspace::decode(bytes)
                .map_err(|problem| LoadError { path: shown.clone(), problem })?;
            if sources.add(PathBuf::from(&name), text).is_err() {
                return Err(LoadError { path: shown, problem: Problem::TooLarge }.into());
            }
            names.push(name);
        }
        Ok(Snapshot { sources, files: names })
    }

    /// The files of a commit that the paths select: `(path index, path parts, name,
    /// where the bytes are)`.
    fn tree(&self, commit: &str, specs: &[String]) -> Result<Vec<Listed>, GitError> {
        let mut args = vec!["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit];
        args.push("--");
        args.extend(specs.iter().map(|s| if s.is_empty() { "." } else { s.as_str() }));
        let out = git(&self.top, &args, None)?;
        let mut files = Vec::new();
        for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            // `<mode> SP <type> SP <object> TAB <path>`
            let record = String::from_utf8_lossy(record);
            let Some((info, name)) = record.split_once('\t') else { continue };
            let mut info = info.split(' ');
            let (Some(mode), Some("blob"), Some(oid)) = (info.next(), info.next(), info.next())
            else {
                continue;
            };
            if mode == "120000" {
                continue;
            }
            if let Some(spec) = selected(specs, name) {
                files.push((spec, components(name), name.to_owned(), Source::Blob(oid.to_owned())));
            }
        }
        Ok(files)
    }

    /// The files of the working tree that the paths select: tracked, and untracked
    /// but not ignored.
    fn working_tree(&self, specs: &[String]) -> Result<Vec<Listed>, GitError> {
        let mut args = vec![
            "--literal-pathspecs",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ];
        args.push("--");
        args.extend(specs.iter().map(|s| if s.is_empty() { "." } else { s.as_str() }));
        let out = git(&self.top, &args, None)?;
        let mut files = Vec::new();
        for name in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let name = String::from_utf8_lossy(name).into_owned();
            if let Some(spec) = selected(specs, &name) {
                files.push((spec, components(&name), name, Source::Disk));
            }
        }
        Ok(files)
    }

    /// Each path relative to the top of the repository, `/`-separated, `""` for
    /// the top itself.
    fn specs(&self, paths: &[PathBuf]) -> Result<Vec<String>, GitError> {
        if paths.is_empty() {
            return Ok(vec![self.prefix.trim_end_matches('/').to_owned()]);
        }
        paths.iter().map(|p| self.spec(p)).collect()
    }

    fn spec(&self, path: &Path) -> Result<String, GitError> {
        let outside = || GitError::Outside {
            path: crate::source::display_path(path),
            top: crate::source::display_path(&self.top),
        };
        let mut parts: Vec<String> = Vec::new();
        let relative = if path.is_absolute() {
            let top = std::fs::canonicalize(&self.top).unwrap_or_else(|_| self.top.clone());
            let full = crate::workspace::lexical_absolute(path).unwrap_or_else(|| path.into());
            let canonical = std::fs::canonicalize(&full).ok();
            match full
                .strip_prefix(&self.top)
                .ok()
                .or_else(|| full.strip_prefix(&top).ok())
                .or_else(|| canonical.as_deref().and_then(|c| c.strip_prefix(&top).ok()))
            {
                Some(rest) => rest.to_path_buf(),
                None => return Err(outside()),
            }
        } else {
            parts.extend(self.prefix.split('/').filter(|p| !p.is_empty()).map(str::to_owned));
            path.to_path_buf()
        };
        for part in relative.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop().ok_or_else(outside)?;
                }
                Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
                Component::RootDir | Component::Prefix(_) => return Err(outside()),
            }
        }
        Ok(parts.join("/"))
    }

    /// The contents of blobs, in order, through one `git cat-file --batch`.
    fn cat(&self, oids: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
        if oids.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = String::new();
        for oid in oids {
            input.push_str(oid);
            input.push('\n');
        }
        let out = git(&self.top, &["cat-file", "--batch"], Some(input.into_bytes()))?;
        let mut rest = out.as_slice();
        let mut contents = Vec::with_capacity(oids.len());
        for oid in oids {
            let broken = || GitError::NoContents((*oid).to_owned());
            let end = rest.iter().position(|&b| b == b'\n').ok_or_else(broken)?;
            let header = String::from_utf8_lossy(&rest[..end]).into_owned();
            let size: usize =
                header.rsplit(' ').next().and_then(|s| s.parse().ok()).ok_or_else(broken)?;
            let body = rest.get(end + 1..end + 1 + size).ok_or_else(broken)?;
            contents.push(body.to_vec());
            rest = rest.get(end + 2 + size..).unwrap_or_default();
        }
        Ok(contents)
    }
}

/// A file to read: the index of the path that selected it, its name's parts (to
/// sort by), its name, and where its bytes are.
type Listed = (usize, Vec<String>, String, Source);

/// Where a listed file's bytes are.
enum Source {
    Blob(String),
    Disk,
}

/// The index of the first path that selects a file: the file itself, or a folder
/// above it when it is a `*.journey` file outside dot-folders below that folder.
fn selected(specs: &[String], name: &str) -> Option<usize> {
    specs.iter().position(|spec| {
        if name == spec {
            return true;
        }
        let below = if spec.is_empty() {
            Some(name)
        } else {
            name.strip_prefix(spec.as_str()).and_then(|r| r.strip_prefix('/'))
        };
        below.is_some_and(|below| {
            name.ends_with(".journey") && !below.split('/').any(|part| part.starts_with('.'))
        })
    })
}

fn components(name: &str) -> Vec<String> {
    name.split('/').map(str::to_owned).collect()
}

/// Runs `git` in `dir`, feeding `input` on a thread so that neither side can block
/// the other; returns standard output, or standard error's first line on failure.
fn git(dir: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::CannotRun)?;
    let writer = child.stdin.take().zip(input).map(|(mut stdin, input)| {
        std::thread::spawn(move || {
            // A failed write shows as git's own error or as missing output.
            let _ = stdin.write_all(&input);
        })
    });
    // Reads standard output and standard error together, so neither can fill up.
    let output = child.wait_with_output().map_err(GitError::CannotRun)?;
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    if output.status.success() {
        return Ok(output.stdout);
    }
    let message = String::from_utf8_lossy(&output.stderr);
    let first = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let first = first.strip_prefix("fatal: ").unwrap_or(first);
    Err(GitError::Failed {
        command: (*args.iter().find(|a| !a.starts_with('-')).unwrap_or(&"")).to_owned(),
        message: first.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_select_like_a_folder_walk() {
        let specs = vec!["ws".to_owned(), "other/one.txt".to_owned()];
        assert_eq!(selected(&specs, "ws/a.journey"), Some(0));
        assert_eq!(selected(&specs, "ws/sub/b.journey"), Some(0));
        assert_eq!(selected(&specs, "ws/.hidden/c.journey"), None);
        assert_eq!(selected(&specs, "ws/readme.md"), None);
        assert_eq!(selected(&specs, "wsx/a.journey"), None);
        assert_eq!(selected(&specs, "other/one.txt"), Some(1));
        assert_eq!(selected(&[String::new()], "a/b.journey"), Some(0));
    }
}
