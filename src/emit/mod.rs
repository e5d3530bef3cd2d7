//! Phase 4: outputs generated from an analysed workspace.
//!
//! Emitters are pure: they turn the model, its figures and the diagnostics into
//! bytes and never touch the disk (writing is `output.rs`'s job). They only run on a
//! workspace without errors, so every reference in the model is resolved and every
//! path they print is unique.

mod blueprint;
mod capmap;
mod capped;
mod compare;
pub mod csv;
mod formula;
mod heat;
pub(crate) mod html;
mod links;
pub mod markdown;
pub mod mermaid;
mod overview;
mod pages;
mod people;
mod rows;
mod section;
mod stream;
pub mod svg;
mod traceability;
mod views;

pub use pages::Pages;
pub use traceability::{SCHEMA, traceability};

use crate::Analysis;
use crate::model::Names;
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
/// source order, one per value stream in source order, `capabilities.html`,
/// `people.html`, `traceability.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub files: Vec<(String, String)>,
}

/// The traceability document's name in the site.
pub const TRACEABILITY: &str = "traceability.json";

/// The site's title when none is given.
pub const DEFAULT_TITLE: &str = "Service blueprints";

/// Runs `render` on a buffer in front of `out`. Renderers write in small pieces (a
/// tag, an escaped value); through `dyn Write`, or even a `BufWriter`, each piece
/// costs a call, where appending to a `Vec` is inlined. So they append to a buffer
/// that is handed to `out` in chunks of about a megabyte.
fn buffered(
    out: &mut dyn std::io::Write,
    render: impl FnOnce(&mut Chunks<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut chunks = Chunks { buffer: Vec::with_capacity(CHUNK + CHUNK / 4), out, failed: None };
    render(&mut chunks)?;
    chunks.out.write_all(&chunks.buffer)
}

/// The size at which [`Chunks`] hands its buffer on.
const CHUNK: usize = 1 << 20;

/// A buffer that renderers write into as text (askama) or bytes (`serde_json`).
pub(crate) struct Chunks<'a> {
    buffer: Vec<u8>,
    out: &'a mut dyn std::io::Write,
    /// Why `out` failed, when it fails under askama, which only sees `fmt::Error`.
    failed: Option<std::io::Error>,
}

impl Chunks<'_> {
    // Inlined into every renderer's writes: that is the point of this buffer, and
    // the rare hand-over to `out` is kept out of line.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            return self.spill();
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn spill(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }

    /// Renders an askama template into the buffer.
    pub(crate) fn template(&mut self, template: &impl askama::Template) -> std::io::Result<()> {
        template
            .render_into(self)
            .map_err(|e| self.failed.take().unwrap_or_else(|| std::io::Error::other(e)))
    }
}

impl std::fmt::Write for Chunks<'_> {
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.append(text.as_bytes()).map_err(|e| {
            self.failed = Some(e);
            std::fmt::Error
        })
    }
}

impl std::io::Write for Chunks<'_> {
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.append(bytes)?;
        Ok(bytes.len())
    }

    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.append(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where [`site_into`] puts the files it generates. `journey build` streams each file
/// into its place in the output's staging folder (`output.rs`), so a site of hundreds
/// of megabytes is never held in memory; [`site`] keeps them in memory for `serve`
/// and the tests. Files are generated in parallel, so `file` is called from several
/// threads at once.
pub trait Sink: Sync {
    /// Creates the file `name` and has `render` write its contents.
    fn file(
        &self,
        name: &str,
        render: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()>;
}

/// Generates every output of `journey build` into `sink`, and returns the files'
/// names in the site's order (that of [`Site`]). `title` heads every page.
pub fn site_into(input: Input<'_>, title: &str, sink: &dyn Sink) -> std::io::Result<Vec<String>> {
    let names = Names::of(&input.analysis.model);
    let json = TRACEABILITY;
    // The JSON does not depend on the pages: write both at once.
    let (pages, written) = rayon::join(
        || html::pages_into(input, &names, title, sink),
        || {
            sink.file(json, &|out| {
                buffered(out, |out| traceability::traceability_into(out, input, &names))
            })
        },
    );
    let mut files = pages?;
    written?;
    files.push(json.to_owned());
    Ok(files)
}

/// Generates every output of `journey build` in memory. `title` heads every page.
pub fn site(input: Input<'_>, title: &str) -> Result<Site, askama::Error> {
    let memory = Memory::default();
    let order = site_into(input, title, &memory).map_err(|e| askama::Error::Custom(e.into()))?;
    let mut texts = memory.files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let files = order
        .into_iter()
        .map(|name| {
            let text = texts.remove(&name).unwrap_or_default();
            (name, text)
        })
        .collect();
    Ok(Site { files })
}

/// A [`Sink`] that keeps the files in memory.
#[derive(Default)]
struct Memory {
    files: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl Sink for Memory {
    fn file(
        &self,
        name: &str,
        render: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        render(&mut bytes)?;
        let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(name.to_owned(), text);
        Ok(())
    }
}
