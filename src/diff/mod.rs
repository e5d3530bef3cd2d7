//! `journey diff`: the semantic differences between two versions of a workspace.
//!
//! Both versions are analysed with the same lint levels, then compared element by
//! element ([`compare`]) into one [`Changes`] value, which [`markdown`], [`text`]
//! and [`json`] render. A version is read from files and folders
//! ([`Snapshot::read`]) or from a git revision or the working tree ([`git`]).
//! See `docs/diff.md`.

mod changes;
mod consequences;
mod elements;
pub mod git;
mod json;
mod markdown;
mod render;
mod text;

pub use changes::*;
pub use json::{SCHEMA, json};
pub use markdown::markdown;
pub use text::text;

use crate::Analysis;
use crate::check::Levels;
use crate::source::Sources;
use std::path::Path;

/// The files of one version of a workspace, and the names they are shown under.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub sources: Sources,
    /// Each file's name in the report, indexed by `FileId`: relative to the
    /// workspace root, or to the repository for a git revision.
    pub files: Vec<String>,
}

impl Snapshot {
    /// Reads a file or a folder, as `journey check` does. Files are named relative
    /// to the path (a file relative to its folder), so that two copies of a
    /// workspace in different places name their files alike.
    pub fn read(path: &Path) -> Result<Snapshot, Vec<crate::workspace::LoadError>> {
        let paths = [path.to_path_buf()];
        let (sources, mut errors) = crate::workspace::load(&paths);
        errors.retain(|e| !e.is_warning());
        if !errors.is_empty() {
            return Err(errors);
        }
        let root = crate::workspace::root(&paths).unwrap_or_else(|| ".".into());
        let files = crate::workspace::relative_names(&root, &sources);
        Ok(Snapshot { sources, files })
    }
}

/// One version, analysed.
#[derive(Debug)]
pub struct Version {
    pub snapshot: Snapshot,
    pub analysis: Analysis,
}

impl Version {
    pub fn analyse(snapshot: Snapshot, levels: &Levels) -> Version {
        let analysis = crate::analyze(&snapshot.sources, levels);
        Version { snapshot, analysis }
    }
}

/// Everything that changed from `old` to `new`.
pub fn compare(old: &Version, new: &Version) -> Changes {
    let (old, new) = (elements::Side::new(old), elements::Side::new(new));
    let matches = elements::Matches::of(&old, &new);
    let elements = elements::compare(&old, &new, &matches);
    consequences::changes(&old, &new, &matches, elements)
}
