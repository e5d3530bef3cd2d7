//! Reads the typed form of a kpi value from a string (§5b of the spec): a string
//! is typed when its whole text, trimmed, reads as the unquoted form would.
//!
//! The same grammar rules read both, so `"<= 12 min"` and `<= 12 min` can never
//! mean different things.

use super::ast::Typed;
use super::lower::typed;
use super::parse::{JourneyParser, Rule};
use crate::source::Span;
use pest::Parser as _;

/// Whether a value is a kpi's `target` (a comparison and a value) or its `current`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Target,
    Current,
}

/// The typed value that `text` holds, every part spanned by `span` (the string's),
/// or `None` when it is free text.
pub fn read(text: &str, role: Role, span: Span) -> Option<Typed> {
    let text = text.trim();
    // The grammar's white space includes comments, which a string cannot hold.
    if text.contains("//") || text.contains(['\n', '\r']) {
        return None;
    }
    let entry = match role {
        Role::Target => Rule::bound,
        Role::Current => Rule::measure,
    };
    let pair = JourneyParser::parse(entry, text).ok()?.next()?;
    if pair.as_span().end() != text.len() {
        return None;
    }
    typed(&pair, |_| span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{Comparison, MeasureUnit, TimeUnit};

    fn span() -> Span {
        Span::new(crate::source::FileId(0), 0, 1)
    }

    #[test]
    #[allow(clippy::float_cmp)] // the numbers are read exactly
    fn typed_strings_read_as_the_unquoted_form() {
        let t = read("  <= 12 min ", Role::Target, span()).unwrap();
        assert_eq!(t.comparison, Some(Comparison::LessOrEqual));
        assert_eq!(t.amount.node, 12.0);
        assert_eq!(t.unit, Some(MeasureUnit::Time(TimeUnit::Minute)));
        let c = read("95%", Role::Current, span()).unwrap();
        assert_eq!((c.comparison, c.amount.node, c.unit), (None, 95.0, Some(MeasureUnit::Percent)));
        assert_eq!(read("4.2", Role::Current, span()).unwrap().unit, None);
        assert_eq!(read(">= 2 hours", Role::Target, span()).unwrap().to_string(), ">= 2 h");
    }

    #[test]
    fn free_text_is_not_typed() {
        for (text, role) in [
            ("fewer complaints", Role::Target),
            ("12 min", Role::Target),
            ("< 12 min", Role::Current),
            ("< 12 min // about", Role::Target),
            ("<= 12 minutes or so", Role::Target),
            ("12 parsecs", Role::Current),
            ("", Role::Current),
        ] {
            assert!(read(text, role, span()).is_none(), "{text:?}");
        }
    }
}
