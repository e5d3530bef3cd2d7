//! Phase 4: outputs generated from an analysed workspace.
//!
//! Emitters are pure: they turn the model, its figures and the diagnostics into
//! bytes and never touch the disk (writing is `output.rs`'s job). They only run on a
//! workspace without errors, so every reference in the model is resolved and every
//! path they print is unique.

mod blueprint;
pub mod csv;
pub(crate) mod format;
mod html;
pub mod markdown;
pub mod mermaid;
mod names;
mod overview;
mod rows;
mod section;
mod traceability;

pub use names::Names;
pub use traceability::{SCHEMA, traceability};

use crate::Analysis;
use crate::source::Sources;

/// What `emit` reads: the analysis and the names of the files it came from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub analysis: &'a Analysis,
    pub sources: &'a Sources,
    /// Each file's name relative to the workspace root, indexed by `FileId`.
    pub files: &'a [String],
}

impl Input<'_> {
    /// `file:line` of a span, as the pages show places.
    pub fn place(&self, span: crate::source::Span) -> String {
        let at = self.sources.get(span.file).line_col(span.start);
        format!("{}:{}", self.files[span.file.0 as usize], at.line)
    }
}

/// The generated files, in a fixed order: `index.html`, one page per journey in
/// source order, `traceability.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: Vec<(String, String)>,
}

/// The site's title when none is given.
pub const DEFAULT_TITLE: &str = "Service blueprints";

/// Generates every output of `journey build`. `title` heads every page.
pub fn site(input: Input<'_>, title: &str) -> Result<Site, askama::Error> {
    let names = Names::of(&input.analysis.model);
    // The JSON does not depend on the pages: render both at once.
    let (pages, json) =
        rayon::join(|| html::pages(input, &names, title), || traceability(input, &names));
    let mut files = pages?;
    files.push(("traceability.json".to_owned(), json));
    Ok(Site { files })
}
