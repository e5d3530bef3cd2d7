//! The lints, one module per rule, run in the order of the registry
//! (`src/diagnostic/registry.rs`).
//!
//! Each rule module has one function, `check`, that reports [`Finding`]s: what it
//! found and the element it is about. Whether a finding is shown, and at what
//! severity, is decided in `check/mod.rs`, once for all rules. A rule's reference
//! is its section of `docs/diagnostics.md` and its golden case is
//! `tests/cases/<name>*.journey`.

use super::Finding;
use crate::model::{Figures, Model, PARALLEL_FROM_TOUCHPOINTS};
use rayon::prelude::*;

/// What every rule reads: the resolved model and its derived figures.
pub(super) struct Context<'a> {
    pub model: &'a Model,
    pub figures: &'a Figures,
}

/// Declares a module per lint of the registry and `run`, which calls them all.
macro_rules! declare_rules {
    (
        errors { $($errors:tt)* }
        lints {
            $($lint:ident = $name:literal in $module:ident, $level:ident,
                ($one:literal, $many:literal) : $summary:literal;)*
        }
    ) => {
        $(mod $module;)*

        /// Runs every rule over the model; the findings come in the registry's
        /// order of rules. The rules read the model and nothing else, so on a
        /// large workspace they run side by side: an editor or `serve` rebuilding
        /// after one file's change waits for the slowest rule, not for all of them.
        pub(super) fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
            run_in(cx, out, cx.model.touchpoints.len() >= PARALLEL_FROM_TOUCHPOINTS);
        }

        /// [`run`], in parallel or not: the findings are the same either way.
        pub(super) fn run_in(cx: &Context<'_>, out: &mut Vec<Finding>, parallel: bool) {
            let rules: &[fn(&Context<'_>, &mut Vec<Finding>)] = &[$($module::check),*];
            if !parallel {
                for rule in rules {
                    rule(cx, out);
                }
                return;
            }
            let found: Vec<Vec<Finding>> = rules
                .par_iter()
                .map(|rule| {
                    let mut found = Vec::new();
                    rule(cx, &mut found);
                    found
                })
                .collect();
            // Reserved at once: tens of thousands of findings grown by doubling left
            // copies of the list behind at the memory peak.
            out.reserve(found.iter().map(Vec::len).sum());
            out.extend(found.into_iter().flatten());
        }
    };
}

crate::diagnostic::registry!(declare_rules);
