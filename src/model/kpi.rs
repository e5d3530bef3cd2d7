//! Typed kpi values (spec §5b): a target such as `<= 12 min` and a current value
//! such as `17 min`, read from the source or from a measurements file (§5c).
//!
//! A value keeps the text it was written as, which the outputs show, beside the
//! number it stands for, which the check compares. Free text has no number and is
//! never checked.

use crate::source::Span;
use crate::syntax::ast::{Comparison, KpiValue, MeasureUnit, Typed};
use crate::syntax::typed::{Role, read};

/// What a typed value measures. Values compare only within one dimension:
/// durations in minutes, percentages with percentages, plain numbers with plain
/// numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Duration,
    Percent,
    Plain,
}

impl Dimension {
    /// The dimension as messages name it.
    pub fn noun(self) -> &'static str {
        match self {
            Dimension::Duration => "a duration",
            Dimension::Percent => "a percentage",
            Dimension::Plain => "a plain number",
        }
    }
}

/// A typed value: its number in its dimension's unit (minutes for durations, the
/// percentage as written for `%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    pub amount: f64,
    pub dimension: Dimension,
}

impl Measure {
    pub fn of(typed: &Typed) -> Measure {
        let (amount, dimension) = match typed.unit {
            Some(MeasureUnit::Time(unit)) => {
                (typed.amount.node * unit.minutes(), Dimension::Duration)
            }
            Some(MeasureUnit::Percent) => (typed.amount.node, Dimension::Percent),
            None => (typed.amount.node, Dimension::Plain),
        };
        Measure { amount, dimension }
    }
}

/// A kpi's `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As written, without quotes: `<= 12 min`, `fewer complaints`.
    pub written: String,
    /// The comparison and value, when typed.
    pub bound: Option<(Comparison, Measure)>,
    /// Whether it was written without quotes, which makes a unit that cannot be
    /// compared an error rather than a kpi left unchecked.
    pub bare: bool,
    pub span: Span,
}

impl Target {
    /// Whether `current` meets this target; `None` when either is free text or
    /// their dimensions differ.
    pub fn met_by(&self, current: &Reading) -> Option<bool> {
        let (comparison, target) = self.bound?;
        let current = current.measure?;
        (current.dimension == target.dimension)
            .then(|| comparison.holds(current.amount, target.amount))
    }
}

/// A kpi's current value, from the source or a measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// As written, without quotes: `17 min`.
    pub written: String,
    pub measure: Option<Measure>,
    /// Whether it was written without quotes (see [`Target::bare`]).
    pub bare: bool,
    /// Where it was written: in a `.journey` file, or on a measurements file's row.
    pub span: Span,
    /// The row's date (`YYYY-MM-DD`) when the value is a measurement.
    pub measured: Option<Measured>,
}

impl Reading {
    /// How messages and pages say where the value comes from: ` (measured on
    /// 2026-03-31)`, ` (measured)` for an undated measurement, nothing for a value
    /// written in the source.
    pub fn when(&self) -> String {
        match self.measured.as_ref().map(|m| &m.date) {
            Some(Some(date)) => format!(" (measured on {date})"),
            Some(None) => " (measured)".to_owned(),
            None => String::new(),
        }
    }
}

/// Where a measured value comes from (spec §5c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    /// The row's `date`, if the file has the column and the row a date.
    pub date: Option<String>,
}

/// A `target` as written in the source.
pub fn target(value: &KpiValue) -> Target {
    match value {
        KpiValue::Typed(t) => Target {
            written: t.to_string(),
            // The grammar always writes a comparison before a bare target.
            bound: t.comparison.map(|c| (c, Measure::of(t))),
            bare: true,
            span: t.span,
        },
        KpiValue::Text(text) => {
            let typed = read(&text.value, Role::Target, text.span);
            Target {
                written: text.value.to_string(),
                bound: typed.and_then(|t| Some((t.comparison?, Measure::of(&t)))),
                bare: false,
                span: text.span,
            }
        }
    }
}

/// A `current` value as written in the source.
pub fn reading(value: &KpiValue) -> Reading {
    let (written, typed, bare, span) = match value {
        KpiValue::Typed(t) => (t.to_string(), Some(t.clone()), true, t.span),
        KpiValue::Text(text) => {
            (text.value.to_string(), read(&text.value, Role::Current, text.span), false, text.span)
        }
    };
    Reading { written, measure: typed.as_ref().map(Measure::of), bare, span, measured: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::typed::{Role, read};

    fn span() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    fn target(text: &str) -> Target {
        let typed = read(text, Role::Target, span());
        Target {
            written: text.into(),
            bound: typed.map(|t| (t.comparison.unwrap(), Measure::of(&t))),
            bare: false,
            span: span(),
        }
    }

    fn reading(text: &str) -> Reading {
        Reading {
            written: text.into(),
            measure: read(text, Role::Current, span()).map(|t| Measure::of(&t)),
            bare: false,
            span: span(),
            measured: None,
        }
    }

    #[test]
    fn durations_compare_in_minutes() {
        assert_eq!(target("<= 12 min").met_by(&reading("17 min")), Some(false));
        assert_eq!(target("<= 1 h").met_by(&reading("59 min")), Some(true));
        assert_eq!(target("< 2 days").met_by(&reading("1 week")), Some(false));
        assert_eq!(target("= 6 min").met_by(&reading("0.1 h")), Some(true));
    }

    #[test]
    fn only_one_dimension_compares() {
        assert_eq!(target(">= 95%").met_by(&reading("96%")), Some(true));
        assert_eq!(target(">= 95%").met_by(&reading("96")), None);
        assert_eq!(target("> 4").met_by(&reading("4")), Some(false));
        assert_eq!(target("fewer complaints").met_by(&reading("3")), None);
        assert_eq!(target("< 3").met_by(&reading("a few")), None);
    }
}
