//! Every diagnostic code, declared once.
//!
//! Codes are stable: users name them in `allow` attributes, on the command line and
//! in CI configurations, so a published code is never renamed. This list is the one
//! place a code is written down; the [`Code`](super::Code) and [`Lint`](super::Lint)
//! enums, their names, `ALL`, parsing, default levels, the wording `journey diff`
//! uses, and the set of lint modules that `check` runs are all made from it.
//!
//! A lint entry names the module under `src/check/rules/` that holds its function;
//! its documentation is its section of `docs/diagnostics.md` and its golden case is
//! `tests/cases/<name>*.journey` (tests hold each lint to both). Adding a lint is
//! this entry, the rule's module, its doc section and its case.
//!
//! The list is handed to a macro (`$callback`) rather than expanded here, so that
//! the layers that need it each make their part: `diagnostic` the enums, `check`
//! the calls to the rules, without `diagnostic` naming anything of `check`. The
//! order of the entries is the order diagnostics at one place are sorted in.

/// Calls `$callback!` with every code: errors as `Variant = "name": "summary"`,
/// lints as `Variant = "name" in module, Level, ("noun", "nouns"): "summary"`.
macro_rules! registry {
    ($callback:path) => {
        $callback! {
            errors {
                Syntax = "syntax":
                    "the text does not parse, or a string has a bad escape";
                Duplicate = "duplicate":
                    "an id is declared twice, or a single-valued attribute is given twice";
                Unresolved = "unresolved":
                    "a reference names nothing";
                Ambiguous = "ambiguous":
                    "a bare activity or stage id names several, in different value streams";
                WrongKind = "wrong-kind":
                    "a reference names an element of the wrong kind";
                InvalidValue = "invalid-value":
                    "a value is out of range or not one of the allowed words";
            }
            lints {
                Gap = "gap" in gap, Warning, ("gap", "gaps"):
                    "a touchpoint traces to no activity";
                Waste = "waste" in waste, Warning, ("unused activity", "unused activities"):
                    "a non-`enabling` activity that no touchpoint traces to";
                Misaligned = "misaligned" in misaligned, Warning,
                    ("misaligned trace", "misaligned traces"):
                    "a trace leaves the value-stream stages its journey stage `maps to`";
                Overload = "overload" in overload, Warning, ("overload", "overloads"):
                    "a capability's load exceeds its capacity";
                Unmeasured = "unmeasured" in unmeasured, Warning,
                    ("missing measure", "missing measures"):
                    "a moment of truth without a `kpi`, a value-stream stage without a `metric`";
                Handoff = "handoff" in handoff, Note, ("hand-off", "hand-offs"):
                    "a touchpoint is served by activities of two or more teams";
                Unowned = "unowned" in unowned, Warning, ("unowned activity", "unowned activities"):
                    "an activity has no `owner`";
                State = "state" in state, Warning, ("trace across states", "traces across states"):
                    "a current journey traces to a future activity, or a future journey to a retired one";
                KpiMissed = "kpi-missed" in kpi_missed, Warning, ("missed kpi", "missed kpis"):
                    "a kpi or metric whose current value does not meet its typed target";
            }
        }
    };
}

pub(crate) use registry;
