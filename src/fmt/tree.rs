//! The syntax tree reduced to what layout needs: lines of canonical text, nested.
//! Every attribute becomes one line (`traces to a.b, c`); every declaration a head
//! line (`touchpoint submit "Submit claim"`) and its children.

use std::fmt::Write;

use crate::syntax::ast::{
    Attribute, Decl, Duration, File, Header, Ident, Item, Journey, JourneyItem, JourneyStage,
    JourneyStageItem, KpiValue, Metric, Path, Quantity, Text, Touchpoint, TouchpointItem, Value,
    ValueStream, ValueStreamItem, VsStage, VsStageItem, Word,
};
use crate::syntax::vocabulary::Takes;

/// An attribute or a declaration, with the byte range it came from.
pub struct Node {
    pub start: u32,
    pub end: u32,
    /// The attribute, or the declaration's head, in canonical form.
    pub line: String,
    /// `None` for an attribute; a declaration's children (maybe none) otherwise.
    pub children: Option<Vec<Node>>,
}

impl Node {
    fn attr<T>(item: &Item<T>, line: String) -> Node {
        Node { start: item.span.start, end: item.span.end, line, children: None }
    }

    fn decl(header: &Header, keyword: &str, children: Vec<Node>) -> Node {
        let mut line = format!("{keyword} {}", header.id.name);
        if let Some(label) = &header.label {
            line.push(' ');
            line.push_str(&string(label));
        }
        Node { start: header.span.start, end: header.span.end, line, children: Some(children) }
    }

    /// Whether it is printed on one line with nothing below it.
    pub fn is_leaf(&self) -> bool {
        self.children.as_ref().is_none_or(Vec::is_empty)
    }
}

/// The top-level declarations of a file.
pub fn file(file: &File) -> Vec<Node> {
    file.decls.iter().map(decl).collect()
}

fn decl(d: &Decl) -> Node {
    match d {
        Decl::Persona(p) => Node::decl(&p.header, "persona", attributes(&p.items)),
        Decl::Team(t) => Node::decl(&t.header, "team", attributes(&t.items)),
        Decl::System(s) => Node::decl(&s.header, "system", attributes(&s.items)),
        Decl::Capability(c) => Node::decl(&c.header, "capability", attributes(&c.items)),
        Decl::ValueStream(v) => value_stream(v),
        Decl::Journey(j) => journey(j),
    }
}

fn attributes(items: &[Item<Attribute>]) -> Vec<Node> {
    items.iter().map(|i| Node::attr(i, attribute(&i.node))).collect()
}

/// An attribute's one line: its keyword, then its value in the canonical form of
/// its shape.
fn attribute(a: &Attribute) -> String {
    let keyword = a.word();
    let value = match (&a.value, a.keyword.takes) {
        (Value::Flag, _) => return keyword.to_owned(),
        (Value::Number(n), Takes::SignedNumber) => {
            let sign = if n.node > 0.0 { "+" } else { "" };
            format!("{sign}{}", number(n.node))
        }
        (Value::Number(n), Takes::Percentage) => format!("{}%", number(n.node)),
        (Value::Number(n), _) => number(n.node),
        (Value::Text(t), _) => string(t),
        (Value::Word(w), _) => word(w),
        (Value::Ident(i), _) => i.name.to_string(),
        (Value::Idents(ids), _) => idents(ids),
        (Value::Paths(p), _) => paths(p),
        (Value::Quantity(q), _) => quantity(q),
        (Value::Duration(d), _) => duration(d),
        (Value::Mix(parts), _) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}%", p.name.name, number(p.share.node)))
                .collect();
            parts.join(" ")
        }
        (Value::Kpi(kpi), _) => match &**kpi {
            KpiValue::Text(t) => string(t),
            KpiValue::Typed(typed) => typed.to_string(),
        },
        (Value::LintCodes(codes), _) => {
            codes.iter().map(|c| c.node.as_str()).collect::<Vec<_>>().join(", ")
        }
    };
    format!("{keyword} {value}")
}

fn value_stream(v: &ValueStream) -> Node {
    let items = v.items.iter().map(|i| match &i.node {
        ValueStreamItem::Attribute(a) => Node::attr(i, attribute(a)),
        ValueStreamItem::Stage(s) => vs_stage(s),
    });
    Node::decl(&v.header, "value stream", items.collect())
}

fn vs_stage(s: &VsStage) -> Node {
    let items = s.items.iter().map(|i| match &i.node {
        VsStageItem::Attribute(a) => Node::attr(i, attribute(a)),
        VsStageItem::Metric(m) => metric(m, "metric"),
        VsStageItem::Activity(a) => Node::decl(&a.header, "activity", attributes(&a.items)),
    });
    Node::decl(&s.header, "stage", items.collect())
}

fn journey(j: &Journey) -> Node {
    let items = j.items.iter().map(|i| match &i.node {
        JourneyItem::Attribute(a) => Node::attr(i, attribute(a)),
        JourneyItem::Stage(s) => journey_stage(s),
    });
    Node::decl(&j.header, "journey", items.collect())
}

fn journey_stage(s: &JourneyStage) -> Node {
    let items = s.items.iter().map(|i| match &i.node {
        JourneyStageItem::Attribute(a) => Node::attr(i, attribute(a)),
        JourneyStageItem::Touchpoint(t) => touchpoint(t),
    });
    Node::decl(&s.header, "stage", items.collect())
}

fn touchpoint(t: &Touchpoint) -> Node {
    let items = t.items.iter().map(|i| match &i.node {
        TouchpointItem::Attribute(a) => Node::attr(i, attribute(a)),
        TouchpointItem::Metric(m) => metric(m, "kpi"),
        TouchpointItem::Opportunity(o) => {
            Node::decl(&o.header, "opportunity", attributes(&o.items))
        }
    });
    Node::decl(&t.header, "touchpoint", items.collect())
}

/// `metric` and `kpi` are one construct (docs/language.md); each is written with
/// the word its context uses: `metric` on value-stream stages, `kpi` on touchpoints.
fn metric(m: &Metric, keyword: &str) -> Node {
    let mut line = keyword.to_owned();
    if let Some(id) = &m.id {
        line.push(' ');
        line.push_str(&id.name);
    }
    if let Some(label) = &m.label {
        line.push(' ');
        line.push_str(&string(label));
    }
    let children = attributes(&m.items);
    Node { start: m.span.start, end: m.span.end, line, children: Some(children) }
}

fn idents(ids: &[Ident]) -> String {
    ids.iter().map(|i| &*i.name).collect::<Vec<_>>().join(", ")
}

fn paths(paths: &[Path]) -> String {
    paths
        .iter()
        .map(|p| match &p.stream {
            Some(s) => format!("{}.{}", s.name, p.item.name),
            None => p.item.name.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn word(w: &Word) -> String {
    match w {
        Word::Text(t) => string(t),
        Word::Ident(i) => i.name.to_string(),
    }
}

fn quantity(q: &Quantity) -> String {
    format!("{} per {}", number(q.amount.node), q.period.node.as_str())
}

fn duration(d: &Duration) -> String {
    format!("{} {}", number(d.amount.node), d.unit.node.word(d.amount.node))
}

/// A number in the shortest form that reads back as the same value; the grammar
/// has no exponents, and Rust's `Display` for `f64` writes none.
fn number(n: f64) -> String {
    n.to_string()
}

/// A string literal that reads back as the same text: `"` and `\` escaped, line
/// breaks and tabs as `\n` and `\t`, other control characters as `\u{…}`.
pub fn string(t: &Text) -> String {
    let mut out = String::with_capacity(t.value.len() + 2);
    out.push('"');
    for c in t.value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
