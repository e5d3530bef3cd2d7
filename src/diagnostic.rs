//! Diagnostics as data: every phase returns them as values; `report` renders them.
//!
//! Codes are stable: they appear in users' CI configurations (`--deny journey::gap`),
//! in `allow` attributes and in the JSON output, so a code is never renamed. They are
//! declared once, in [`registry`].

use crate::source::Span;
use std::borrow::Cow;
use std::fmt;

mod registry;

pub(crate) use registry::registry;

/// Makes [`Code`], [`Lint`] and [`LintSet`] from the [`registry`] of codes.
macro_rules! declare_codes {
    (
        errors { $($error:ident = $error_name:literal : $error_summary:literal;)* }
        lints {
            $($lint:ident = $lint_name:literal in $module:ident, $level:ident,
                ($one:literal, $many:literal) : $lint_summary:literal;)*
        }
    ) => {
        /// The stable code of a diagnostic: errors (the model is wrong and no output
        /// is produced), then lints (the model is valid but something about the
        /// organisation needs a look).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($error,)*
            $($lint,)*
        }

        impl Code {
            /// Every code, errors first, in the registry's order.
            pub const ALL: [Code; [$($error_name,)* $($lint_name,)*].len()] =
                [$(Code::$error,)* $(Code::$lint,)*];

            /// The code's name without the `journey::` prefix.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$error => $error_name,)*
                    $(Code::$lint => $lint_name,)*
                }
            }

            /// The full code, such as `journey::gap`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$error => concat!("journey::", $error_name),)*
                    $(Code::$lint => concat!("journey::", $lint_name),)*
                }
            }

            /// One line on when the code is reported, as the docs' table says it.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$error => $error_summary,)*
                    $(Code::$lint => $lint_summary,)*
                }
            }

            /// The lint this code belongs to, or `None` for errors, which cannot be
            /// allowed.
            pub fn lint(self) -> Option<Lint> {
                match self {
                    $(Code::$lint => Some(Lint::$lint),)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// What `n` findings of this code are called in prose (`2 gaps`,
            /// `1 unused activity`); every error is an `error`.
            pub fn noun(self, n: usize) -> &'static str {
                let (one, many) = match self {
                    $(Code::$lint => ($one, $many),)*
                    #[allow(unreachable_patterns)]
                    _ => ("error", "errors"),
                };
                if n == 1 { one } else { many }
            }
        }

        /// The codes whose level users may change: the checks of a valid model.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Lint {
            $($lint,)*
        }

        impl Lint {
            pub const ALL: [Lint; [$($lint_name,)*].len()] = [$(Lint::$lint,)*];

            pub fn code(self) -> Code {
                match self {
                    $(Lint::$lint => Code::$lint,)*
                }
            }

            /// The severity a lint has when nobody changed its level.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Lint::$lint => Severity::$level,)*
                }
            }
        }
    };
}

registry!(declare_codes);

impl Code {
    /// Parses `journey::gap` or `gap`.
    pub fn parse(text: &str) -> Option<Code> {
        let name = text.strip_prefix("journey::").unwrap_or(text);
        Code::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Parses a code a user wrote (on the command line, in a setting), saying what
    /// is wrong with one that names no code.
    pub fn from_user(text: &str) -> Result<Code, UnknownCode> {
        Code::parse(text).ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

/// A word given as a diagnostic code that names none.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a diagnostic code; see `docs/diagnostics.md`")]
pub struct UnknownCode(pub String);

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of lints, as written in `allow` attributes: a bit per lint, in as few
/// bytes as the registry needs (every element of the model carries one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LintSet([u8; Lint::ALL.len().div_ceil(8)]);

impl LintSet {
    pub fn insert(&mut self, lint: Lint) {
        let (byte, bit) = LintSet::position(lint);
        self.0[byte] |= bit;
    }

    pub fn contains(self, lint: Lint) -> bool {
        let (byte, bit) = LintSet::position(lint);
        self.0[byte] & bit != 0
    }

    #[must_use]
    pub fn union(mut self, other: LintSet) -> LintSet {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        self
    }

    fn position(lint: Lint) -> (usize, u8) {
        let i = lint as usize;
        (i / 8, 1 << (i % 8))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span with the text shown beside it. Most labels and helps are the same words
/// for every finding of a lint, so they are borrowed, not copied: a workspace can
/// have tens of thousands of findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: Cow<'static, str>,
}

impl Label {
    pub fn new(span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        Label { span, message: message.into() }
    }
}

/// One finding about the sources.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// One sentence, lower-case start, no trailing full stop.
    pub message: String,
    pub primary: Label,
    /// Related places: the first declaration of a duplicate, the activities of a hand-off.
    pub secondary: Vec<Label>,
    pub help: Option<Cow<'static, str>>,
}

impl Diagnostic {
    /// An error-level diagnostic.
    pub fn error(code: Code, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// A lint's diagnostic at the lint's default severity.
    pub fn lint(lint: Lint, message: impl Into<String>, primary: Label) -> Self {
        Diagnostic {
            severity: lint.default_severity(),
            ..Diagnostic::error(lint.code(), message, primary)
        }
    }

    #[must_use]
    pub fn with_label(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The order in which diagnostics are reported: by place, then by code.
    pub fn sort_key(&self) -> (Span, Code, &str) {
        (self.primary.span, self.code, &self.message)
    }
}

/// Sorts diagnostics into reporting order so that output never depends on the order
/// in which checks ran.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let order = |a: &Diagnostic, b: &Diagnostic| a.sort_key().cmp(&b.sort_key());
    // Both sorts are stable, so they give the same order; tens of thousands of
    // findings (hand-off notes at 100k touchpoints) sort in half the time on two
    // threads, which an editor waits for after every edit.
    if diagnostics.len() >= 10_000 {
        rayon::slice::ParallelSliceMut::par_sort_by(diagnostics, order);
    } else {
        diagnostics.sort_by(order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_or_without_prefix() {
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(Code::parse(code.name()), Some(code));
            assert_eq!(code.as_str(), format!("journey::{}", code.name()));
        }
        assert_eq!(Code::parse("journey::nope"), None);
    }

    #[test]
    fn only_lints_have_levels() {
        assert_eq!(Code::Syntax.lint(), None);
        assert_eq!(Code::Gap.lint(), Some(Lint::Gap));
        for lint in Lint::ALL {
            assert_eq!(lint.code().lint(), Some(lint));
        }
        assert!(Code::ALL.iter().filter(|c| c.lint().is_some()).count() == Lint::ALL.len());
    }

    #[test]
    fn a_lint_set_holds_each_lint_on_its_own() {
        for lint in Lint::ALL {
            let mut set = LintSet::default();
            set.insert(lint);
            for other in Lint::ALL {
                assert_eq!(set.contains(other), other == lint, "{lint:?} set, {other:?} asked");
            }
        }
        let mut a = LintSet::default();
        a.insert(Lint::Gap);
        let mut b = LintSet::default();
        b.insert(Lint::Unowned);
        let both = a.union(b);
        assert!(both.contains(Lint::Gap) && both.contains(Lint::Unowned));
        assert!(!both.contains(Lint::Waste));
    }

    #[test]
    fn codes_have_unique_names_and_errors_sort_first() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        let first_lint = Code::ALL.iter().position(|c| c.lint().is_some()).unwrap();
        assert!(Code::ALL[first_lint..].iter().all(|c| c.lint().is_some()));
        assert!(Code::ALL.windows(2).all(|w| w[0] < w[1]), "ALL is in declaration order");
        assert_eq!(Code::Gap.noun(1), "gap");
        assert_eq!(Code::Waste.noun(2), "unused activities");
        assert_eq!(Code::Syntax.noun(2), "errors");
    }

    /// Every code has its section in `docs/diagnostics.md` and its row in the table
    /// at the top, with the registry's summary and level: the docs cannot drift
    /// from the registry.
    #[test]
    fn every_code_is_documented_as_the_registry_says() {
        let docs = include_str!("../docs/diagnostics.md");
        for code in Code::ALL {
            let heading = format!("\n### `{code}`\n");
            assert!(docs.contains(&heading), "docs/diagnostics.md has no section `{heading}`");
            let anchor = code.as_str().replace("::", "");
            let level = code.lint().map_or("error", |l| l.default_severity().as_str());
            let row = format!("| [`{code}`](#{anchor}) | {level}");
            let line = docs.lines().find(|l| l.starts_with(&row)).unwrap_or_else(|| {
                panic!("docs/diagnostics.md's table has no row starting `{row}`")
            });
            assert!(
                line.trim_end().ends_with(&format!("| {} |", code.summary())),
                "the table row of `{code}` does not end with its summary `{}`:\n{line}",
                code.summary()
            );
        }
    }
}
