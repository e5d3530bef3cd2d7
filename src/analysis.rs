//! The front end as one call: sources in, model, figures and diagnostics out.

use crate::check::{self, Levels};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::model::{self, Figures, Model};
use crate::source::{PARALLEL_FROM_BYTES, SourceFile, Sources};
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
    analyze_from(sources, levels, PARALLEL_FROM_BYTES)
}

/// [`analyze`], parsing in parallel from `parallel_from` bytes of source.
fn analyze_from(sources: &Sources, levels: &Levels, parallel_from: usize) -> Analysis {
    // Files are independent until resolution, so they are parsed in parallel; the
    // results are collected in file order, so nothing depends on scheduling. A small
    // workspace is parsed on this thread: starting rayon's pool costs more than it
    // saves there, and an example is checked in a few milliseconds.
    let files: Vec<_> = sources.iter().collect();
    let parse = |(id, f): (_, &SourceFile)| syntax::parse(id, &f.text);
    let bytes: usize = files.iter().map(|(_, f)| f.text.len()).sum();
    let parsed: Vec<(ast::File, Vec<Diagnostic>)> = if bytes < parallel_from {
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
    diagnostics.extend(model_diagnostics);
    let checked = || {
        let figures = Figures::of(&model);
        let lints = check::check(&model, &figures, levels);
        (figures, lints)
    };
    // Freeing the syntax trees (millions of small allocations) takes about as long
    // as the checks, so on a large workspace it happens beside them.
    let (figures, lints) = if bytes < parallel_from {
        drop(files);
        checked()
    } else {
        rayon::join(move || drop(files), checked).1
    };
    diagnostics.extend(lints);
    diagnostic::sort(&mut diagnostics);
    Analysis { model, figures, diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn parsing_on_one_thread_or_many_gives_the_same_analysis() {
        let mut sources = Sources::new();
        let mut streams = String::from("team ops\nvalue stream s {\n  stage a {\n");
        for i in 0..40 {
            writeln!(streams, "    activity act{i} {{ owner ops }}").unwrap();
        }
        streams.push_str("  }\n}\n");
        sources.add("streams.journey", streams).unwrap();
        for f in 0..6 {
            let mut text = format!("journey j{f} {{\n");
            for st in 0..10 {
                writeln!(text, "  stage st{st} {{\n    maps to s.a").unwrap();
                for t in 0..50 {
                    // Some trace to nothing, so there are errors to order too.
                    let target = if t % 7 == 0 { "missing".to_owned() } else { format!("act{t}") };
                    writeln!(text, "    touchpoint t{t} \"T\" {{ traces to s.{target} }}").unwrap();
                }
                text.push_str("  }\n");
            }
            text.push_str("}\n");
            sources.add(format!("j{f}.journey"), text).unwrap();
        }
        let levels = Levels::default();
        let one = analyze_from(&sources, &levels, usize::MAX);
        let many = analyze_from(&sources, &levels, 0);
        assert!(one.has_errors());
        // Everything but `model.damage`, whose hash sets print in no fixed order.
        let shown = |a: &Analysis| {
            let m = &a.model;
            format!(
                "{:?}{:?}{:?}{:?}{:?}",
                a.diagnostics, a.figures, m.touchpoints, m.traces, m.activities
            )
        };
        assert_eq!(shown(&one), shown(&many));
    }
}
