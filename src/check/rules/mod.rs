//! The lints, one module per rule, run in the order of the registry
//! (`src/diagnostic/registry.rs`).
//!
//! Each rule module has one function, `check`, that reports [`Finding`]s: what it
//! found and the element it is about. Whether a finding is shown, and at what
//! severity, is decided in `check/mod.rs`, once for all rules. A rule's reference
//! is its section of `docs/diagnostics.md` and its golden case is
//! `tests/cases/<name>*.journey`.

use super::Finding;
use crate::model::{Figures, Model};

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

        /// Runs every rule over the model, in the registry's order.
        pub(super) fn run(cx: &Context<'_>, out: &mut Vec<Finding>) {
            $($module::check(cx, out);)*
        }
    };
}

crate::diagnostic::registry!(declare_rules);
