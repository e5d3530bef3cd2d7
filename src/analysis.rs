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

/// Parses, resolves and checks a workspace.
pub fn analyze(sources: &Sources, levels: &Levels) -> Analysis {
    // Files are independent until resolution, so they are parsed in parallel; the
    // results are collected in file order, so nothing depends on scheduling.
    let parsed: Vec<(ast::File, Vec<Diagnostic>)> = sources
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(id, f)| syntax::parse(id, &f.text))
        .collect();
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
