//! Watching the workspace: `notify`'s recommended watcher on every path given,
//! filtered down to changes that can change the site, and gathered into batches so
//! that one save (which editors make of several events) is one rebuild.
//!
//! A folder is watched recursively and every `*.journey` file under it counts, as
//! `workspace::load` reads them: names starting with `.` (and so editors' lock and
//! swap files) and everything in dot-folders are ignored. A file given by name is
//! watched through its folder, since editors that save by writing a new file and
//! renaming it over the old one replace the very file a direct watch would follow.
//! A folder deleted takes its watch with it: [`Watch::rearm`] puts the watches
//! back where they belong before each rebuild.

use notify::event::{EventKind, ModifyKind};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long the workspace must stay quiet before a rebuild: editors save in
/// several steps (truncate, write, rename) within a few milliseconds. 50 ms, as
/// `watchexec` debounces by default: enough to make one rebuild of one save, and
/// a tenth of the half second a save may take to reach the page.
const QUIET: Duration = Duration::from_millis(50);

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
                // A path of the workspace, or a folder above it, made again after it
                // was deleted: whatever its name (`my.claims`), the workspace is back.
                || (moves && self.all().any(|target| target.starts_with(path)))
        })
    }

    /// The paths of a removal or rename that are paths of the workspace or folders
    /// above them: watches there may have died with them.
    fn gone(&self, event: &Event) -> Vec<PathBuf> {
        if !matches!(event.kind, EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))) {
            return Vec::new();
        }
        let above = |path: &PathBuf| self.all().any(|target| target.starts_with(path));
        event.paths.iter().filter(|path| above(path)).cloned().collect()
    }

    /// Every form of every path.
    fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.folders.iter().chain(&self.files).flatten()
    }
}

/// The watcher, and where it watches each path of the workspace.
///
/// A watch dies with the folder it watches: the operating system drops it when the
/// folder is deleted, and a folder made again under the same name is not watched.
/// So before each rebuild the watches are armed again where they should be: a
/// folder that exists is watched recursively, a file through its folder, and a
/// path that is gone through its nearest ancestor that exists, whose events include
/// the path coming back (see [`Targets::relevant`]).
pub struct Watch {
    watcher: RecommendedWatcher,
    /// Per path given: its absolute form, and whether it was a folder at the start.
    paths: Vec<(PathBuf, bool)>,
    /// Where the watcher watches now.
    armed: Vec<(PathBuf, RecursiveMode)>,
    /// Paths of the workspace, or folders above them, removed or renamed since the
    /// last re-arming: a watch at or below them may be dead even if a folder of the
    /// same name is there again (deleted and made again within one batch).
    gone: Arc<Mutex<Vec<PathBuf>>>,
}

impl Watch {
    /// Starts a watcher that sends [`Signal`]s for relevant events. `Err` if a path
    /// cannot be watched at the start.
    pub fn start(
        targets: &Targets,
        paths: &[PathBuf],
        to: Sender<Signal>,
    ) -> notify::Result<Watch> {
        let targets = targets.clone();
        let gone = Arc::new(Mutex::new(Vec::new()));
        let noted = Arc::clone(&gone);
        let watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
            let signal = match event {
                Ok(event) if targets.relevant(&event) => {
                    // Noted before the signal, so the next re-arming sees it.
                    lock(&noted).extend(targets.gone(&event));
                    Signal::Changed
                }
                Ok(_) => return,
                Err(e) => Signal::Failed(e.to_string()),
            };
            // The builder is gone only when the server stops.
            let _ = to.send(signal);
        })?;
        let paths = paths
            .iter()
            .map(|path| {
                let full = crate::workspace::lexical_absolute(path).unwrap_or_else(|| path.clone());
                let folder = full.is_dir();
                (full, folder)
            })
            .collect();
        let mut watch = Watch { watcher, paths, armed: Vec::new(), gone };
        for (point, mode) in watch.wanted() {
            watch.watcher.watch(&point, mode)?;
            watch.armed.push((point, mode));
        }
        Ok(watch)
    }

    /// Moves the watches to where they should be now; a path that cannot be
    /// watched is reported, and tried again before the next rebuild.
    pub fn rearm(&mut self) {
        let wanted = self.wanted();
        let gone = std::mem::take(&mut *lock(&self.gone));
        for (point, mode) in std::mem::take(&mut self.armed) {
            let dead = gone.iter().any(|g| point.starts_with(g));
            if !dead && wanted.contains(&(point.clone(), mode)) {
                self.armed.push((point, mode));
            } else {
                // Gone with its folder, most likely: nothing to undo then.
                let _ = self.watcher.unwatch(&point);
            }
        }
        for (point, mode) in wanted {
            if self.armed.contains(&(point.clone(), mode)) {
                continue;
            }
            match self.watcher.watch(&point, mode) {
                Ok(()) => self.armed.push((point, mode)),
                Err(e) => eprintln!(
                    "warning: cannot watch `{}`: {e}; a change there may be missed",
                    crate::source::display_path(&point)
                ),
            }
        }
    }

    /// Where each path should be watched now, each place once (recursively if any
    /// path needs it so).
    fn wanted(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut wanted: Vec<(PathBuf, RecursiveMode)> = Vec::new();
        for (path, folder) in &self.paths {
            let point = if *folder && path.is_dir() {
                (path.clone(), RecursiveMode::Recursive)
            } else {
                let existing = path.ancestors().skip(1).find(|a| a.is_dir());
                (existing.unwrap_or(Path::new("/")).to_path_buf(), RecursiveMode::NonRecursive)
            };
            match wanted.iter_mut().find(|(p, _)| *p == point.0) {
                Some(found) if point.1 == RecursiveMode::Recursive => found.1 = point.1,
                Some(_) => {}
                None => wanted.push(point),
            }
        }
        wanted
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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

    /// A folder of the workspace made again after it was deleted, or a folder above
    /// it, counts whatever its name: it is how the server notices the workspace is
    /// back (the nearest existing ancestor is watched meanwhile).
    #[test]
    fn the_workspace_or_a_folder_above_it_made_again_counts() {
        let t = Targets { folders: vec![vec![PathBuf::from("/top/my.claims")]], files: vec![] };
        let made = |path| t.relevant(&event(EventKind::Create(CreateKind::Folder), &[path]));
        assert!(made("/top/my.claims"));
        assert!(made("/top"));
        assert!(!made("/top/other.d"));
        assert!(!made("/top/my.claims.bak"));
        assert!(!t.relevant(&event(WRITE, &["/top"])));
        // Removed or renamed: the watches there are to be armed again.
        let removed = |path| t.gone(&event(EventKind::Remove(RemoveKind::Folder), &[path]));
        assert_eq!(removed("/top/my.claims"), [PathBuf::from("/top/my.claims")]);
        assert!(removed("/top/my.claims/a.journey").is_empty());
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(t.gone(&event(renamed, &["/top"])), [PathBuf::from("/top")]);
        assert!(t.gone(&event(EventKind::Create(CreateKind::Folder), &["/top"])).is_empty());
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
