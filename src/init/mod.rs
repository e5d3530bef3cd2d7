//! `journey init`: the starter workspace, a small valid model whose comments teach
//! the language.
//!
//! The files live in `src/init/starter/` as ordinary `.journey` files, included in
//! the binary as they are; the tests check that they give no diagnostic at all.

use crate::import::{NewFilesError, write_new_files};
use std::path::{Path, PathBuf};

/// The starter workspace: `(path relative to the workspace folder, text)`, in the
/// order they are meant to be read, split the way the examples are.
pub const FILES: &[(&str, &str)] = &[
    ("organisation.journey", include_str!("starter/organisation.journey")),
    ("capabilities.journey", include_str!("starter/capabilities.journey")),
    (
        "value-streams/connect-customer.journey",
        include_str!("starter/value-streams/connect-customer.journey"),
    ),
    ("journeys/get-connected.journey", include_str!("starter/journeys/get-connected.journey")),
];

/// Writes the starter workspace into `dir`, creating it when missing. Nothing is
/// written if any of the files already exists. Returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, NewFilesError> {
    let files: Vec<(String, String)> =
        FILES.iter().map(|&(name, text)| (name.to_owned(), text.to_owned())).collect();
    write_new_files(dir, &files)
}
