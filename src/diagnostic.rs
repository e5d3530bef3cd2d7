//! Diagnostics as data: every phase returns them as values; `report` renders them.
//!
//! Codes are stable: they appear in users' CI configurations (`--deny journey::gap`),
//! in `allow` attributes and in the JSON output, so a code is never renamed.

use crate::source::Span;
use std::fmt;

/// The stable code of a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Errors: the model is wrong and no output is produced.
    Syntax,
    Duplicate,
    Unresolved,
    Ambiguous,
    WrongKind,
    InvalidValue,
    // Lints: the model is valid but something about the organisation needs a look.
    Gap,
    Waste,
    Misaligned,
    Overload,
    Unmeasured,
    Handoff,
    Unowned,
}

impl Code {
    pub const ALL: [Code; 13] = [
        Code::Syntax,
        Code::Duplicate,
        Code::Unresolved,
        Code::Ambiguous,
        Code::WrongKind,
        Code::InvalidValue,
        Code::Gap,
        Code::Waste,
        Code::Misaligned,
        Code::Overload,
        Code::Unmeasured,
        Code::Handoff,
        Code::Unowned,
    ];

    /// The code's name without the `journey::` prefix.
    pub fn name(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::Duplicate => "duplicate",
            Code::Unresolved => "unresolved",
            Code::Ambiguous => "ambiguous",
            Code::WrongKind => "wrong-kind",
            Code::InvalidValue => "invalid-value",
            Code::Gap => "gap",
            Code::Waste => "waste",
            Code::Misaligned => "misaligned",
            Code::Overload => "overload",
            Code::Unmeasured => "unmeasured",
            Code::Handoff => "handoff",
            Code::Unowned => "unowned",
        }
    }

    /// The full code, such as `journey::gap`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "journey::syntax",
            Code::Duplicate => "journey::duplicate",
            Code::Unresolved => "journey::unresolved",
            Code::Ambiguous => "journey::ambiguous",
            Code::WrongKind => "journey::wrong-kind",
            Code::InvalidValue => "journey::invalid-value",
            Code::Gap => "journey::gap",
            Code::Waste => "journey::waste",
            Code::Misaligned => "journey::misaligned",
            Code::Overload => "journey::overload",
            Code::Unmeasured => "journey::unmeasured",
            Code::Handoff => "journey::handoff",
            Code::Unowned => "journey::unowned",
        }
    }

    /// Parses `journey::gap` or `gap`.
    pub fn parse(text: &str) -> Option<Code> {
        let name = text.strip_prefix("journey::").unwrap_or(text);
        Code::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The lint this code belongs to, or `None` for errors, which cannot be allowed.
    pub fn lint(self) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.code() == self)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codes whose level users may change: the checks of a valid model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lint {
    Gap,
    Waste,
    Misaligned,
    Overload,
    Unmeasured,
    Handoff,
    Unowned,
}

impl Lint {
    pub const ALL: [Lint; 7] = [
        Lint::Gap,
        Lint::Waste,
        Lint::Misaligned,
        Lint::Overload,
        Lint::Unmeasured,
        Lint::Handoff,
        Lint::Unowned,
    ];

    pub fn code(self) -> Code {
        match self {
            Lint::Gap => Code::Gap,
            Lint::Waste => Code::Waste,
            Lint::Misaligned => Code::Misaligned,
            Lint::Overload => Code::Overload,
            Lint::Unmeasured => Code::Unmeasured,
            Lint::Handoff => Code::Handoff,
            Lint::Unowned => Code::Unowned,
        }
    }

    /// The severity a lint has when nobody changed its level.
    pub fn default_severity(self) -> Severity {
        match self {
            Lint::Handoff => Severity::Note,
            _ => Severity::Warning,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of lints, as written in `allow` attributes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LintSet(u8);

impl LintSet {
    pub fn insert(&mut self, lint: Lint) {
        self.0 |= lint.bit();
    }

    pub fn contains(self, lint: Lint) -> bool {
        self.0 & lint.bit() != 0
    }

    #[must_use]
    pub fn union(self, other: LintSet) -> LintSet {
        LintSet(self.0 | other.0)
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

/// A span with the text shown beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
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
    pub help: Option<String>,
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
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
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
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
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
        let mut set = LintSet::default();
        set.insert(Lint::Unowned);
        assert!(set.contains(Lint::Unowned) && !set.contains(Lint::Gap));
    }
}
