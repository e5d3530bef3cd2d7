//! The site one page at a time, for `journey serve`: the names of every file
//! `journey build` writes are known at once, and each file is rendered only when it
//! is asked for, by the same code that writes the site (`html::Layout`), so that the
//! served pages and the built ones never differ.

use super::html::{self, Layout, Which};
use super::{Input, TRACEABILITY, buffered, traceability};
use crate::Analysis;
use crate::model::Names;
use crate::source::Sources;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The files of a site, rendered on request. Making one costs a pass over the
/// journeys and value streams (their pages' names); the qualified names of the
/// model are made on the first render and kept.
pub struct Pages {
    analysis: Arc<Analysis>,
    sources: Arc<Sources>,
    /// Each file's name relative to the workspace root, indexed by `FileId`.
    files: Vec<String>,
    title: String,
    /// Each journey's page, indexed by `JourneyId`; each stream's, by `StreamId`.
    journeys: Vec<String>,
    streams: Vec<String>,
    /// Every file's name, in the site's order, and what it is.
    order: Vec<(String, File)>,
    /// Where each name is in `order`.
    by_name: HashMap<String, usize>,
    names: OnceLock<Names>,
}

/// What a file of the site is.
#[derive(Debug, Clone, Copy)]
enum File {
    Page(Which),
    Traceability,
}

impl Pages {
    /// The site of an analysis without errors (emitters see only valid models), whose
    /// files are named `files` (indexed by `FileId`, relative to the workspace
    /// root); `title` heads every page.
    pub fn new(
        analysis: Arc<Analysis>,
        sources: Arc<Sources>,
        files: Vec<String>,
        title: &str,
    ) -> Pages {
        let (journeys, streams) = html::page_names(&analysis.model);
        let order: Vec<(String, File)> = html::order(&journeys, &streams)
            .map(|(which, name)| (name.to_owned(), File::Page(which)))
            .chain([(TRACEABILITY.to_owned(), File::Traceability)])
            .collect();
        let by_name = order.iter().enumerate().map(|(i, (name, _))| (name.clone(), i)).collect();
        Pages {
            analysis,
            sources,
            files,
            title: title.to_owned(),
            journeys,
            streams,
            order,
            by_name,
            names: OnceLock::new(),
        }
    }

    /// The same site, with the model's qualified names made already (`Names::of`
    /// of this analysis's model, which `journey serve` makes beside the checks):
    /// the first render then does not wait for them.
    #[must_use]
    pub fn with_names(self, names: Names) -> Pages {
        let _ = self.names.set(names);
        self
    }

    /// The names of the site's files, in the order of [`super::Site`].
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.order.iter().map(|(name, _)| name.as_str())
    }

    /// Whether the site has a file of this name; nothing is rendered.
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The file `name`, byte for byte as `journey build` writes it; `None` if the
    /// site has no such file (and then nothing is rendered).
    pub fn render(&self, name: &str) -> Option<std::io::Result<String>> {
        let &at = self.by_name.get(name)?;
        let names = self.names.get_or_init(|| Names::of(&self.analysis.model));
        let input = Input { analysis: &self.analysis, sources: &self.sources, files: &self.files };
        let mut bytes = Vec::new();
        let written = match self.order[at].1 {
            File::Page(which) => {
                Layout::of(input, names, &self.title, &self.journeys, &self.streams)
                    .write(which, &mut bytes)
            }
            File::Traceability => {
                buffered(&mut bytes, |out| traceability::traceability_into(out, input, names))
            }
        };
        Some(written.and_then(|()| String::from_utf8(bytes).map_err(std::io::Error::other)))
    }

    /// The analysis the site shows.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("files", &self.order.len()).finish_non_exhaustive()
    }
}
