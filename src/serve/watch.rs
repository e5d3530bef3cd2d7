//! Watching the workspace: `notify`'s recommended watcher on every path given,
//! filtered down to changes that can change the site, and gathered into batches so
//! that one save (which editors make of several events) is one rebuild.
//!
//! A folder is watched recursively and every `*.journey` file under it counts, as
//! `workspace::load` reads them: names starting with `.` (and so editors' lock and
//! swap files) and everything in dot-folders are ignored. A file given by name is
//! watched through its folder, since editors that save by writing a new file and
//! renaming it over the old one replace the very file a direct watch would follow.

use notify::event::{EventKind, ModifyKind};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long the workspace must stay quiet before a rebuild: editors save in
/// several steps (truncate, write, rename) within a few milliseconds.
const QUIET: Duration = Duration::from_millis(100);

/// The longest a batch waits for quiet, so that a stream of changes (a checkout,
/// a generator) still rebuilds now and then.
const MOST: Duration = Duration::from_secs(1);

/// What the watcher tells the builder.
#[derive(Debug)]
pub enum Signal {
    /// Something that may change the site changed.
    Changed,
    /// The watcher failed (too many watches, say); the message says why.
    Failed(String),
}

/// The paths of a workspace, as the watcher matches events against them.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Folders: every `*.journey` file below them counts.
    folders: Vec<Vec<PathBuf>>,
    /// Files given by name: only they count.
    files: Vec<Vec<PathBuf>>,
}

impl Targets {
    /// Each path in the forms events may name it by: as made absolute, and with its
    /// links resolved (macOS reports `/private/tmp` for `/tmp`).
    pub fn of(paths: &[PathBuf]) -> Targets {
        let mut targets = Targets { folders: Vec::new(), files: Vec::new() };
        for path in paths {
            let mut forms: Vec<PathBuf> =
                crate::workspace::lexical_absolute(path).into_iter().collect();
            if let Ok(real) = std::fs::canonicalize(path) {
                if !forms.contains(&real) {
                    forms.push(real);
                }
            }
            if path.is_dir() {
                targets.folders.push(forms);
            } else {
                targets.files.push(forms);
            }
        }
        targets
    }

    /// Whether an event may change the site.
    pub fn relevant(&self, event: &Event) -> bool {
        if event.need_rescan() {
            return true;
        }
        match event.kind {
            // Reading the workspace opens and closes its files: were those events
            // counted, every rebuild would cause the next.
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
            _ => {}
        }
        // A folder renamed or removed may carry `.journey` files with it; its path
        // has no extension. Other extensionless changes cost a rebuild that changes
        // nothing, which serves no new version.
        let moves = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        event.paths.iter().any(|path| {
            self.files.iter().flatten().any(|file| file == path)
                || self.folders.iter().flatten().any(|folder| in_folder(folder, path, moves))
        })
    }

    /// Starts a watcher that sends [`Signal`]s for relevant events.
    pub fn watch(
        &self,
        paths: &[PathBuf],
        to: Sender<Signal>,
    ) -> notify::Result<RecommendedWatcher> {
        let targets = self.clone();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
            let signal = match event {
                Ok(event) if targets.relevant(&event) => Signal::Changed,
                Ok(_) => return,
                Err(e) => Signal::Failed(e.to_string()),
            };
            // The builder is gone only when the server stops.
            let _ = to.send(signal);
        })?;
        for path in paths {
            let full = crate::workspace::lexical_absolute(path).unwrap_or_else(|| path.clone());
            if full.is_dir() {
                watcher.watch(&full, RecursiveMode::Recursive)?;
            } else {
                let folder = full.parent().unwrap_or(Path::new("/"));
                watcher.watch(folder, RecursiveMode::NonRecursive)?;
            }
        }
        Ok(watcher)
    }
}

/// Whether `path`, below `folder`, is a file the workspace reads (or, with
/// `moves`, a folder that may hold some).
fn in_folder(folder: &Path, path: &Path, moves: bool) -> bool {
    let Ok(inside) = path.strip_prefix(folder) else { return false };
    let hidden = inside.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if hidden {
        return false;
    }
    match path.extension() {
        Some(extension) => extension == "journey",
        None => moves,
    }
}

/// Waits for the next batch of changes: blocks until one arrives, then until the
/// workspace has been quiet for [`QUIET`] (at most [`MOST`]). Returns when the
/// first change was seen, or `None` once the watcher is gone. Failures are
/// printed, and count as changes: the watch may have missed some.
pub fn next_batch(signals: &Receiver<Signal>) -> Option<Instant> {
    let first = signals.recv().ok()?;
    let seen = Instant::now();
    report(&first);
    loop {
        let left = MOST.saturating_sub(seen.elapsed());
        if left.is_zero() {
            return Some(seen);
        }
        match signals.recv_timeout(QUIET.min(left)) {
            Ok(signal) => report(&signal),
            Err(RecvTimeoutError::Timeout) => return Some(seen),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

fn report(signal: &Signal) {
    if let Signal::Failed(message) = signal {
        eprintln!(
            "warning: watching the workspace: {message}; a change may be missed until the next save"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, MetadataKind, RemoveKind, RenameMode};

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths.iter().fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
    }

    fn targets() -> Targets {
        Targets {
            folders: vec![vec![PathBuf::from("/ws")]],
            files: vec![vec![PathBuf::from("/other/one.journey")]],
        }
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));

    #[test]
    fn journey_files_in_the_workspace_count() {
        let t = targets();
        for path in ["/ws/a.journey", "/ws/sub/b.journey", "/other/one.journey"] {
            assert!(t.relevant(&event(WRITE, &[path])), "{path}");
        }
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(t.relevant(&event(rename, &["/ws/a.journey.tmp", "/ws/a.journey"])));
        assert!(t.relevant(&event(EventKind::Remove(RemoveKind::File), &["/ws/a.journey"])));
        assert!(t.relevant(&event(EventKind::Remove(RemoveKind::Folder), &["/ws/sub"])));
        assert!(t.relevant(&event(EventKind::Create(CreateKind::Folder), &["/ws/new"])));
    }

    #[test]
    fn reads_other_files_and_hidden_ones_do_not() {
        let t = targets();
        for path in [
            "/ws/notes.md",
            "/ws/a.journey~",
            "/ws/.a.journey.swp",
            "/ws/.#a.journey",
            "/ws/.git/index",
            "/ws/.hidden/a.journey",
            "/ws/#a.journey#",
            "/other/two.journey",
            "/elsewhere/a.journey",
        ] {
            assert!(!t.relevant(&event(WRITE, &[path])), "{path}");
        }
        let open = EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any));
        assert!(!t.relevant(&event(open, &["/ws/a.journey"])));
        let touch = EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any));
        assert!(!t.relevant(&event(touch, &["/ws/a.journey"])));
        assert!(!t.relevant(&event(WRITE, &["/ws/folder"])));
    }
}
