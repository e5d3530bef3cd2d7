//! Moving a syntax tree along its text: every span shifted by the same number of
//! bytes. A re-parse after an edit keeps the declarations after the edit as they
//! were, moved by the change in the text's length ([`super::parse::reparse`]).
//!
//! Every node with a span, directly or below, implements [`Shift`]. The test
//! `shifting_a_tree_is_parsing_the_text_moved` holds it to the parser: the tree of a
//! text shifted by n is the tree of the same text after n more bytes, for every
//! example, so a span forgotten here fails there.

use super::ast::{
    Activity, Attribute, Capability, Decl, Duration, Header, Ident, Journey, JourneyItem,
    JourneyStage, JourneyStageItem, KpiValue, Metric, MixPart, Opportunity, Path, Period, Persona,
    Quantity, Spanned, System, Team, Text, TimeUnit, Touchpoint, TouchpointItem, Typed, Value,
    ValueStream, ValueStreamItem, VsStage, VsStageItem, Word,
};
use crate::source::Span;

/// Moves every span in a node by `by` bytes.
pub trait Shift {
    fn shift(&mut self, by: i64);
}

impl Shift for Span {
    fn shift(&mut self, by: i64) {
        // Both ends stay in the text, which `Sources` keeps under 4 GiB.
        let moved = |at: u32| u32::try_from(i64::from(at) + by).unwrap_or(at);
        self.start = moved(self.start);
        self.end = moved(self.end);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: i64) {
        for t in self {
            t.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: i64) {
        if let Some(t) = self {
            t.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: i64) {
        (**self).shift(by);
    }
}

impl<T: Shift> Shift for Spanned<T> {
    fn shift(&mut self, by: i64) {
        self.node.shift(by);
        self.span.shift(by);
    }
}

/// Values without a span.
macro_rules! unspanned {
    ($($t:ty),*) => {
        $(impl Shift for $t {
            fn shift(&mut self, _: i64) {}
        })*
    };
}

unspanned!(f64, String, Period, TimeUnit);

/// Structures, field by field: every field that holds a span, directly or below.
macro_rules! fields {
    ($($t:ty => $($field:ident),+;)*) => {
        $(impl Shift for $t {
            fn shift(&mut self, by: i64) {
                $(self.$field.shift(by);)+
            }
        })*
    };
}

fields! {
    Ident => span;
    Text => span;
    Path => stream, item;
    Quantity => amount, period, span;
    Duration => amount, unit, span;
    Typed => amount, span;
    MixPart => name, share;
    Header => keyword, id, label, doc, span;
    Attribute => value;
    Metric => keyword, id, label, doc, span, items;
    Persona => header, items;
    Team => header, items;
    System => header, items;
    Capability => header, items;
    Activity => header, items;
    Opportunity => header, items;
    ValueStream => header, items;
    VsStage => header, items;
    Journey => header, items;
    JourneyStage => header, items;
    Touchpoint => header, items;
}

/// Enumerations whose every variant holds one value.
macro_rules! variants {
    ($($t:ident => $($variant:ident),+;)*) => {
        $(impl Shift for $t {
            fn shift(&mut self, by: i64) {
                match self {
                    $($t::$variant(inner) => inner.shift(by),)+
                }
            }
        })*
    };
}

variants! {
    Word => Text, Ident;
    KpiValue => Text, Typed;
    Decl => Persona, Team, System, Capability, ValueStream, Journey;
    ValueStreamItem => Attribute, Stage;
    VsStageItem => Attribute, Metric, Activity;
    JourneyItem => Attribute, Stage;
    JourneyStageItem => Attribute, Touchpoint;
    TouchpointItem => Attribute, Metric, Opportunity;
}

impl Shift for Value {
    fn shift(&mut self, by: i64) {
        match self {
            Value::Flag => {}
            Value::Text(t) => t.shift(by),
            Value::Word(w) => w.shift(by),
            Value::Ident(i) => i.shift(by),
            Value::Idents(ids) => ids.shift(by),
            Value::Paths(paths) => paths.shift(by),
            Value::Number(n) => n.shift(by),
            Value::Quantity(q) => q.shift(by),
            Value::Duration(d) => d.shift(by),
            Value::Mix(parts) => parts.shift(by),
            Value::LintCodes(codes) => codes.shift(by),
            Value::Kpi(k) => k.shift(by),
        }
    }
}
