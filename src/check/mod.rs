//! Phase 3: the lints of a resolved model, at the levels the user chose.
//!
//! Each rule (`rules/`, one module per lint of the registry in
//! `diagnostic/registry.rs`) reports [`Finding`]s: a diagnostic and the element it
//! is about. This module decides, once for all lints, whether a finding is shown and at what
//! severity: an `allow` on the element (or an ancestor) wins, then the command
//! line's `--allow`/`--warn`/`--deny`, then the lint's default.

mod rules;

use crate::diagnostic::{Code, Diagnostic, Lint, LintSet, Severity, UnknownCode};
use crate::model::{Figures, Model};
use std::collections::HashMap;

/// A level set on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

/// Why a level cannot be set for a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    #[error(transparent)]
    UnknownCode(#[from] UnknownCode),
    #[error("`{0}` is an error; its level cannot be changed")]
    NotALint(Code),
}

/// The lint levels of one run.
#[derive(Clone, Debug, Default)]
pub struct Levels {
    levels: HashMap<Lint, Level>,
    /// `--deny warnings`: every warning becomes an error.
    pub deny_warnings: bool,
}

impl Levels {
    pub fn set(&mut self, lint: Lint, level: Level) {
        self.levels.insert(lint, level);
    }

    /// Applies one code as written by a user, on the command line (`--deny gap`) or
    /// in an editor's settings: a lint's code, or `warnings` to deny every warning.
    /// The error says why anything else cannot be applied.
    pub fn apply(&mut self, text: &str, level: Level) -> Result<(), LevelError> {
        if text == "warnings" && level == Level::Deny {
            self.deny_warnings = true;
            return Ok(());
        }
        let code = Code::from_user(text)?;
        let lint = code.lint().ok_or(LevelError::NotALint(code))?;
        self.set(lint, level);
        Ok(())
    }

    /// The severity of a finding of `lint`, or `None` when it is allowed.
    fn severity(&self, lint: Lint, allowed_here: LintSet) -> Option<Severity> {
        if allowed_here.contains(lint) {
            return None;
        }
        let severity = match self.levels.get(&lint) {
            Some(Level::Allow) => return None,
            Some(Level::Warn) => Severity::Warning,
            Some(Level::Deny) => Severity::Error,
            None => lint.default_severity(),
        };
        Some(if severity == Severity::Warning && self.deny_warnings {
            Severity::Error
        } else {
            severity
        })
    }
}

/// A lint's finding: the diagnostic (its severity still to be decided) and the
/// `allow` set of the element it is about.
pub(crate) struct Finding {
    pub allow: LintSet,
    pub diagnostic: Diagnostic,
    /// Set for findings that are errors whatever the level (an overload above 150%),
    /// unless allowed.
    pub severe: bool,
}

impl Finding {
    pub fn new(allow: LintSet, diagnostic: Diagnostic) -> Self {
        Finding { allow, diagnostic, severe: false }
    }
}

/// Runs every lint over a model and its figures.
pub fn check(model: &Model, figures: &Figures, levels: &Levels) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    rules::run(&rules::Context { model, figures }, &mut findings);
    findings
        .into_iter()
        .filter_map(|f| {
            // Lint modules build their diagnostics with `Diagnostic::lint`, so the
            // code always names a lint.
            let mut severity = levels.severity(f.diagnostic.code.lint()?, f.allow)?;
            if f.severe {
                severity = Severity::Error;
            }
            Some(Diagnostic { severity, ..f.diagnostic })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run side by side or one after the other, the rules find the same things in
    /// the same order, on every example.
    #[test]
    fn the_rules_find_the_same_in_parallel() {
        for example in ["b2b-order", "hospital-onboarding", "insurance-claims"] {
            let model = crate::model::testing::example_model(example);
            let figures = Figures::of(&model);
            let cx = rules::Context { model: &model, figures: &figures };
            let found = |parallel: bool| {
                let mut out = Vec::new();
                rules::run_in(&cx, &mut out, parallel);
                out.iter()
                    .map(|f| format!("{:?} {:?} {}", f.allow, f.diagnostic, f.severe))
                    .collect::<Vec<_>>()
            };
            let one_by_one = found(false);
            assert!(!one_by_one.is_empty(), "{example}");
            assert_eq!(found(true), one_by_one, "{example}");
        }
    }
}
