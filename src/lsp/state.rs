//! The server's view of the workspace: every `.journey` file of the workspace
//! folders plus the documents open in the editor (whose unsaved text wins over the
//! disk), and the latest analysis of them all.
//!
//! The analysis is the command line's, made incremental by
//! [`analysis::Incremental`](crate::analysis::Incremental): each file's syntax tree
//! is kept, and only files whose text changed are parsed again.
//!
//! An analysis is a [`Job`]: it takes the kept trees and the texts, runs on another
//! thread, and comes back as [`Done`], so the server keeps answering (completion
//! from the text and the previous analysis's names) while it runs.

use super::convert::{Encoding, LineIndex, path_of};
use super::index::Index;
use crate::analysis::Incremental;
use crate::check::Levels;
use crate::diagnostic::Diagnostic;
use crate::model::{Figures, Model};
use crate::source::FileId;
use lsp_types::Uri;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One file of the workspace.
#[derive(Debug)]
pub struct Document {
    /// The file's path; for a document without one (`untitled:`), its URI as text.
    pub path: PathBuf,
    /// The URI the client uses for it, or one made from the path.
    pub uri: Uri,
    /// Shared with a running analysis, so that starting one copies no text.
    pub text: Arc<String>,
    pub lines: LineIndex,
    /// The editor's version while the document is open.
    pub version: Option<i32>,
    /// Whether it was found in a workspace folder, so that closing it goes back to
    /// the text on disk rather than dropping it.
    pub in_workspace: bool,
    /// Deleted or closed: it keeps its slot (and its `FileId`), empty.
    pub removed: bool,
}

/// The latest analysis.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub model: Model,
    pub figures: Option<Figures>,
    /// Per file, in the order `journey check` reports them.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    pub index: Index,
}

/// The workspace and its analysis.
pub struct State {
    pub encoding: Encoding,
    pub levels: Levels,
    pub folders: Vec<PathBuf>,
    pub docs: Vec<Document>,
    by_path: HashMap<PathBuf, FileId>,
    /// The syntax trees of the last analysis; `None` while a job has them.
    cache: Option<Incremental>,
    /// Files whose text changed since the last analysis started.
    changed: Vec<bool>,
    /// Files whose text changed in an analysis whose diagnostics were not published
    /// yet: theirs must be, even if equal, since equal spans may be on other lines.
    moved: Vec<bool>,
    pub snapshot: Snapshot,
    /// Whether some text changed since the last analysis started.
    pub stale: bool,
    /// How many analyses were made: 0 until the first.
    pub generation: u64,
    /// How long each step of the last analysis took, for `JOURNEY_LSP_LOG`.
    pub timings: Vec<(&'static str, Duration)>,
    /// A fingerprint of what was last published per file.
    published: Vec<Option<u64>>,
}

/// An analysis to run, away from the message loop.
pub struct Job {
    cache: Incremental,
    texts: Vec<Arc<String>>,
    changed: Vec<bool>,
    levels: Levels,
}

/// An analysis that panicked: a bug, which the server logs and survives (the next
/// change analyses again).
#[derive(Debug, thiserror::Error)]
#[error("the analysis failed: {panic}")]
pub struct AnalysisFailed {
    panic: String,
}

/// A finished analysis: the cache back, and the new snapshot unless it failed.
pub struct Done {
    cache: Incremental,
    changed: Vec<bool>,
    result: Result<Analysed, AnalysisFailed>,
}

struct Analysed {
    snapshot: Snapshot,
    /// Per file, a fingerprint of its diagnostics.
    fingerprints: Vec<u64>,
    timings: Vec<(&'static str, Duration)>,
}

impl State {
    pub fn new(encoding: Encoding, levels: Levels) -> State {
        State {
            encoding,
            levels,
            folders: Vec::new(),
            docs: Vec::new(),
            by_path: HashMap::new(),
            cache: Some(Incremental::new()),
            changed: Vec::new(),
            moved: Vec::new(),
            snapshot: Snapshot::default(),
            stale: true,
            generation: 0,
            timings: Vec::new(),
            published: Vec::new(),
        }
    }

    /// Reads every `.journey` file of the workspace folders (through the same
    /// walk as the command line) and returns what could not be read.
    pub fn load_folders(&mut self) -> Vec<String> {
        let folders: Vec<PathBuf> = self.folders.iter().filter(|f| f.is_dir()).cloned().collect();
        if folders.is_empty() {
            return Vec::new();
        }
        let (sources, errors) = crate::workspace::load(&folders);
        for (_, file) in sources.iter() {
            let path = file.path.clone();
            match self.by_path.get(&path) {
                // An open document's text wins over the disk.
                Some(&id) if self.docs[id.0 as usize].version.is_some() => {
                    self.docs[id.0 as usize].in_workspace = true;
                }
                Some(&id) => {
                    self.set_text(id, file.text.clone());
                    self.docs[id.0 as usize].in_workspace = true;
                }
                None => {
                    let uri = super::convert::uri_of(&path);
                    if let Some(uri) = uri {
                        self.push(path, uri, file.text.clone(), None, true);
                    }
                }
            }
        }
        errors
            .iter()
            .filter(|e| !matches!(e.problem, crate::workspace::Problem::NoFiles))
            .map(ToString::to_string)
            .collect()
    }

    /// The file a URI names, if the workspace has it.
    pub fn file(&self, uri: &Uri) -> Option<FileId> {
        let id = *self.by_path.get(&key(uri))?;
        (!self.docs[id.0 as usize].removed).then_some(id)
    }

    pub fn doc(&self, file: FileId) -> &Document {
        &self.docs[file.0 as usize]
    }

    /// A document opened in the editor.
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = key(&uri);
        if let Some(&id) = self.by_path.get(&path) {
            let doc = &mut self.docs[id.0 as usize];
            doc.uri = uri;
            doc.version = Some(version);
            self.set_text(id, text);
        } else {
            self.push(path, uri, text, Some(version), false);
        }
    }

    /// An open document's new text.
    pub fn change(&mut self, uri: &Uri, text: String, version: i32) {
        match self.by_path.get(&key(uri)) {
            Some(&id) => {
                self.docs[id.0 as usize].version = Some(version);
                self.set_text(id, text);
            }
            // A change to a document never opened: treat it as opened now.
            None => self.open(uri.clone(), text, version),
        }
    }

    /// A document closed in the editor: the file on disk counts again if it is in
    /// the workspace; otherwise the document leaves the analysis.
    ///
    /// The disk decides, not what was known when the document was opened: a new
    /// document saved for the first time, or a file deleted while open, may not
    /// have been reported by the client's watcher (many clients have none).
    pub fn close(&mut self, uri: &Uri) {
        let Some(&id) = self.by_path.get(&key(uri)) else { return };
        let doc = &mut self.docs[id.0 as usize];
        doc.version = None;
        let path = doc.path.clone();
        let readable = path.extension().is_some_and(|x| x == "journey")
            && self.in_folders(&path)
            && path.is_file();
        self.docs[id.0 as usize].in_workspace = readable;
        if readable {
            self.reread(id);
        } else {
            self.remove(id);
        }
    }

    /// A file created, changed or deleted on disk, as the client's watcher saw it.
    pub fn disk_changed(&mut self, uri: &Uri, deleted: bool) {
        let Some(path) = path_of(uri) else { return };
        if path.extension().is_none_or(|x| x != "journey") || !self.in_folders(&path) {
            return;
        }
        match self.by_path.get(&path).copied() {
            Some(id) if self.docs[id.0 as usize].version.is_some() => {}
            Some(id) if deleted => self.remove(id),
            Some(id) => {
                self.docs[id.0 as usize].in_workspace = true;
                self.reread(id);
            }
            None if deleted => {}
            None => {
                if let (Ok(text), Some(uri)) =
                    (crate::workspace::read(&path), super::convert::uri_of(&path))
                {
                    self.push(path, uri, text, None, true);
                }
            }
        }
    }

    /// Whether a path is under a workspace folder and not in a dot-folder, as the
    /// workspace walk decides.
    fn in_folders(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| {
            path.strip_prefix(f).is_ok_and(|rest| {
                !rest.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
        })
    }

    /// Drops the files of folders that left the workspace, unless they are open.
    pub fn forget_outside_folders(&mut self) {
        for i in 0..self.docs.len() {
            let doc = &self.docs[i];
            if doc.in_workspace && !self.in_folders(&doc.path) {
                if doc.version.is_some() {
                    self.docs[i].in_workspace = false;
                } else {
                    self.remove(FileId(i as u32));
                }
            }
        }
    }

    fn reread(&mut self, id: FileId) {
        let path = self.docs[id.0 as usize].path.clone();
        match crate::workspace::read(&path) {
            Ok(text) => {
                self.docs[id.0 as usize].removed = false;
                self.set_text(id, text);
            }
            Err(_) => self.remove(id),
        }
    }

    fn remove(&mut self, id: FileId) {
        let doc = &mut self.docs[id.0 as usize];
        if doc.removed {
            return;
        }
        doc.removed = true;
        doc.version = None;
        doc.text = Arc::new(String::new());
        doc.lines = LineIndex::new("");
        self.changed[id.0 as usize] = true;
        self.stale = true;
    }

    fn push(&mut self, path: PathBuf, uri: Uri, text: String, version: Option<i32>, disk: bool) {
        let id = FileId(self.docs.len() as u32);
        self.by_path.insert(path.clone(), id);
        self.docs.push(Document {
            path,
            uri,
            lines: LineIndex::new(&text),
            text: Arc::new(text),
            version,
            in_workspace: disk,
            removed: false,
        });
        self.changed.push(true);
        self.moved.push(false);
        self.published.push(None);
        self.stale = true;
    }

    fn set_text(&mut self, id: FileId, text: String) {
        let doc = &mut self.docs[id.0 as usize];
        doc.removed = false;
        if *doc.text == text {
            return;
        }
        // Spans are 32-bit: a text too large to address is analysed as empty.
        let text = if text.len() >= crate::source::MAX_FILE_LEN { String::new() } else { text };
        doc.lines = LineIndex::new(&text);
        doc.text = Arc::new(text);
        self.changed[id.0 as usize] = true;
        self.stale = true;
    }

    /// New lint levels: every file is checked again (nothing is parsed again).
    pub fn set_levels(&mut self, levels: Levels) {
        self.levels = levels;
        self.stale = true;
    }

    /// Whether an analysis is running.
    pub fn running(&self) -> bool {
        self.cache.is_none()
    }

    /// Whether the last analysis is of the current text: positions in it are right.
    pub fn fresh(&self) -> bool {
        !self.stale && !self.running()
    }

    /// The analysis of the current text, to run on another thread; `None` while
    /// one is running (the next starts when it is done).
    pub fn start(&mut self) -> Option<Job> {
        let cache = self.cache.take()?;
        let changed = std::mem::replace(&mut self.changed, vec![false; self.docs.len()]);
        self.stale = false;
        Some(Job {
            cache,
            texts: self.docs.iter().map(|d| Arc::clone(&d.text)).collect(),
            changed,
            levels: self.levels.clone(),
        })
    }

    /// Installs a finished analysis and returns the files whose diagnostics must be
    /// published: none if the text changed meanwhile (the next analysis will), else
    /// those whose diagnostics changed or moved. `Err` says why an analysis failed.
    pub fn finish(&mut self, done: Done) -> Result<Vec<FileId>, AnalysisFailed> {
        self.cache = Some(done.cache);
        let analysed = match done.result {
            Ok(analysed) => analysed,
            Err(failed) => {
                // What was being parsed is parsed again after the next change.
                for (i, &c) in done.changed.iter().enumerate() {
                    self.changed[i] |= c;
                }
                return Err(failed);
            }
        };
        for (i, &c) in done.changed.iter().enumerate() {
            self.moved[i] |= c;
        }
        let old = std::mem::replace(&mut self.snapshot, analysed.snapshot);
        // Freeing a large model takes a while; nobody needs to wait for it.
        std::thread::spawn(move || drop(old));
        self.generation += 1;
        self.timings = analysed.timings;
        if self.stale {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (i, &fingerprint) in analysed.fingerprints.iter().enumerate() {
            if self.moved[i] || self.published[i] != Some(fingerprint) {
                self.published[i] = Some(fingerprint);
                self.moved[i] = false;
                out.push(FileId(i as u32));
            }
        }
        Ok(out)
    }
}

impl Job {
    /// Parses the files that changed, then resolves and checks the whole workspace.
    /// A failure (a panic in a phase) is caught and reported; the cache comes back
    /// either way.
    pub fn run(mut self) -> Done {
        let texts = &self.texts;
        let levels = &self.levels;
        let cache = &mut self.cache;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            analyse(cache, texts, levels)
        }))
        .map_err(|panic| AnalysisFailed {
            panic: panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an internal error".to_owned()),
        });
        Done { cache: self.cache, changed: self.changed, result }
    }
}

fn analyse(cache: &mut Incremental, texts: &[Arc<String>], levels: &Levels) -> Analysed {
    let mut clock = Clock::default();
    let text = |f: FileId| texts.get(f.0 as usize).map_or("", |t| t.as_str());
    let (analysis, index) =
        cache.analyze_beside(texts, levels, |model| Index::build(model, texts.len(), text));
    clock.lap("analyse and index");
    let mut by_file = vec![Vec::new(); texts.len()];
    for d in analysis.diagnostics {
        if let Some(list) = by_file.get_mut(d.primary.span.file.0 as usize) {
            list.push(d);
        }
    }
    // A hash of every diagnostic, each time: with 95,000 hand-off notes that is
    // tens of milliseconds, so the files are hashed side by side.
    let fingerprints = by_file.par_iter().map(|list| fingerprint(list)).collect();
    clock.lap("diagnostics");
    let model = analysis.model;
    Analysed {
        snapshot: Snapshot { model, figures: Some(analysis.figures), diagnostics: by_file, index },
        fingerprints,
        timings: clock.laps,
    }
}

/// A hash of a file's diagnostics: equal lists have equal fingerprints.
fn fingerprint(list: &[Diagnostic]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for d in list {
        d.code.hash(&mut hasher);
        d.severity.hash(&mut hasher);
        d.message.hash(&mut hasher);
        d.help.hash(&mut hasher);
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            label.span.hash(&mut hasher);
            label.message.hash(&mut hasher);
        }
    }
    list.len().hash(&mut hasher);
    hasher.finish()
}

/// The key of a URI: its path, or the URI itself for documents without one.
fn key(uri: &Uri) -> PathBuf {
    path_of(uri).unwrap_or_else(|| PathBuf::from(uri.as_str()))
}

/// Times the steps of an analysis.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Default for Clock {
    fn default() -> Clock {
        Clock { last: Instant::now(), laps: Vec::new() }
    }
}

impl Clock {
    fn lap(&mut self, what: &'static str) {
        let now = Instant::now();
        self.laps.push((what, now - self.last));
        self.last = now;
    }
}
