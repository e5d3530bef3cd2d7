//! The front end as one call: sources in, model, figures and diagnostics out.

use crate::check::{self, Levels};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::model::{self, Figures, Model};
use crate::source::Sources;
use crate::syntax::{self, ast};
use rayon::prelude::*;

/// The result of analysing a workspace. Never partial: every file was parsed as far
/// as it could be, and every problem is in `diagnostics`, sorted by place.
///
/// The syntax trees are not kept: the model holds everything later phases read, and
/// dropping the trees as soon as it is built lowers peak memory by their size.
#[derive(Debug)]
pub struct Analysis {
    pub model: Model,
    pub figures: Figures,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many diagnostics there are of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Below this many bytes of source, files are parsed one after the other.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

/// Parses, resolves and checks a workspace.
pub fn analyze(sources: &Sources, levels: &Levels) -> Analysis {
    // Files are independent until resolution, so they are parsed in parallel; the
    // results are collected in file order, so nothing depends on scheduling. A small
    // workspace is parsed on this thread: starting rayon's pool costs more than it
    // saves there, and an example is checked in a few milliseconds.
    let files: Vec<_> = sources.iter().collect();
    let parse = |(id, f): (_, &crate::source::SourceFile)| syntax::parse(id, &f.text);
    let bytes: usize = files.iter().map(|(_, f)| f.text.len()).sum();
    let parsed: Vec<(ast::File, Vec<Diagnostic>)> = if bytes < PARALLEL_FROM_BYTES {
        files.into_iter().map(parse).collect()
    } else {
        files.into_par_iter().map(parse).collect()
    };
    let mut diagnostics = Vec::new();
    let mut files = Vec::with_capacity(parsed.len());
    for (file, diags) in parsed {
        files.push(file);
        diagnostics.extend(diags);
    }
    let (model, model_diagnostics) = model::build(&files);
    drop(files);
    diagnostics.extend(model_diagnostics);
    let figures = Figures::of(&model);
    diagnostics.extend(check::check(&model, &figures, levels));
    diagnostic::sort(&mut diagnostics);
    Analysis { model, figures, diagnostics }
}
