//! Phase 2: syntax trees of all files to one resolved, indexed model.
//!
//! [`build`] declares every element, then resolves every reference across files;
//! it never fails, reporting duplicates, unresolved or wrong-kind references and
//! invalid values as diagnostics. [`Figures`] derives the cross-map figures.

pub mod attributes;
mod build;
mod element;
mod elements;
mod figures;
pub mod kpi;
pub mod measurements;
mod names;
mod period;
mod qualified;
mod scenario;
mod values;
pub mod written;

pub use build::{Builder, build};
pub use element::Element;
pub use elements::*;
pub use figures::{
    Contribution, Coverage, Figures, Handoff, JourneyCoverage, Lean, LeanFigures, Load, Ratio,
    SEVERE_OVERLOAD, contributions,
};
pub use period::Period;
pub use qualified::Names;
pub use scenario::{Scenario, Scenarios};

/// From how many touchpoints the passes over the whole model (the figures, the
/// rules) run in parallel: below it (every example, most real workspaces) they
/// take well under a millisecond, less than handing them to rayon's threads costs.
pub const PARALLEL_FROM_TOUCHPOINTS: usize = 5_000;

/// What the unit tests of the model and of the checks share.
#[cfg(test)]
pub(crate) mod testing {
    use super::Model;
    /// The model of an example, parsed and resolved file by file (its files in
    /// path order, as the workspace loader orders them).
    pub(crate) fn example_model(name: &str) -> Model {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "journey") {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name),
            &mut paths,
        );
        paths.sort();
        let texts: Vec<String> =
            paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let files: Vec<_> = (0..texts.len())
            .map(|i| crate::syntax::parse(crate::source::FileId(i as u32), texts[i]).0)
            .collect();
        let (model, diagnostics) = crate::model::build(&texts, &files);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
        model
    }
}
