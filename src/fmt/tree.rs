//! The syntax tree reduced to what layout needs: lines of canonical text, nested.
//! Every attribute becomes one line (`traces to a.b, c`); every declaration a head
//! line (`touchpoint submit "Submit claim"`) and its children.

use std::fmt::Write;

use crate::syntax::ast::{
    Activity, ActivityAttr, Capability, CapabilityAttr, CommonAttr, Decl, Duration, File, Header,
    Ident, Item, Journey, JourneyItem, JourneyStage, JourneyStageItem, Metric, MetricAttr,
    Opportunity, OpportunityAttr, Path, Quantity, SystemAttr, Text, TimeUnit, Touchpoint,
    TouchpointItem, ValueStream, ValueStreamItem, VsStage, VsStageItem, Word,
};

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
        Decl::Persona(p) => Node::decl(&p.header, "persona", commons(&p.items)),
        Decl::Team(t) => Node::decl(&t.header, "team", commons(&t.items)),
        Decl::System(s) => {
            let items = s.items.iter().map(|i| {
                Node::attr(
                    i,
                    match &i.node {
                        SystemAttr::Common(c) => common(c),
                        SystemAttr::Owner(t) => format!("owner {}", t.name),
                    },
                )
            });
            Node::decl(&s.header, "system", items.collect())
        }
        Decl::Capability(c) => capability(c),
        Decl::ValueStream(v) => value_stream(v),
        Decl::Journey(j) => journey(j),
    }
}

fn commons(items: &[Item<CommonAttr>]) -> Vec<Node> {
    items.iter().map(|i| Node::attr(i, common(&i.node))).collect()
}

fn common(c: &CommonAttr) -> String {
    match c {
        CommonAttr::Description(t) => format!("description {}", string(t)),
        CommonAttr::Allow(codes) => {
            format!(
                "allow {}",
                codes.iter().map(|c| c.node.as_str()).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

fn capability(c: &Capability) -> Node {
    let items = c.items.iter().map(|i| {
        Node::attr(
            i,
            match &i.node {
                CapabilityAttr::Common(x) => common(x),
                CapabilityAttr::Owner(t) => format!("owner {}", t.name),
                CapabilityAttr::Level(n) => format!("level {}", number(n.node)),
                CapabilityAttr::Parent(p) => format!("parent {}", p.name),
                CapabilityAttr::Capacity(q) => format!("capacity {}", quantity(q)),
            },
        )
    });
    Node::decl(&c.header, "capability", items.collect())
}

fn value_stream(v: &ValueStream) -> Node {
    let items = v.items.iter().map(|i| match &i.node {
        ValueStreamItem::Common(x) => Node::attr(i, common(x)),
        ValueStreamItem::Stakeholder(ids) => Node::attr(i, format!("stakeholder {}", idents(ids))),
        ValueStreamItem::Stage(s) => vs_stage(s),
    });
    Node::decl(&v.header, "value stream", items.collect())
}

fn vs_stage(s: &VsStage) -> Node {
    let items = s.items.iter().map(|i| match &i.node {
        VsStageItem::Common(x) => Node::attr(i, common(x)),
        VsStageItem::Entrance(t) => Node::attr(i, format!("entrance {}", string(t))),
        VsStageItem::Exit(t) => Node::attr(i, format!("exit {}", string(t))),
        VsStageItem::Value(t) => Node::attr(i, format!("value {}", string(t))),
        VsStageItem::Metric(m) => metric(m, "metric"),
        VsStageItem::Activity(a) => activity(a),
    });
    Node::decl(&s.header, "stage", items.collect())
}

fn activity(a: &Activity) -> Node {
    let items = a.items.iter().map(|i| {
        Node::attr(
            i,
            match &i.node {
                ActivityAttr::Common(x) => common(x),
                ActivityAttr::Owner(t) => format!("owner {}", t.name),
                ActivityAttr::Lane(l) => format!("lane {}", l.name),
                ActivityAttr::Capability(ids) => format!("capability {}", idents(ids)),
                ActivityAttr::System(ids) => format!("system {}", idents(ids)),
                ActivityAttr::Process(d) => format!("process {}", duration(d)),
                ActivityAttr::Wait(d) => format!("wait {}", duration(d)),
                ActivityAttr::Failure(t) => format!("failure {}", string(t)),
                ActivityAttr::Enabling => "enabling".to_owned(),
            },
        )
    });
    Node::decl(&a.header, "activity", items.collect())
}

fn journey(j: &Journey) -> Node {
    let items = j.items.iter().map(|i| match &i.node {
        JourneyItem::Common(x) => Node::attr(i, common(x)),
        JourneyItem::Persona(ids) => Node::attr(i, format!("persona {}", idents(ids))),
        JourneyItem::State(s) => Node::attr(i, format!("state {}", s.name)),
        JourneyItem::Volume(q) => Node::attr(i, format!("volume {}", quantity(q))),
        JourneyItem::Mix(parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}%", p.name.name, number(p.share.node)))
                .collect();
            Node::attr(i, format!("mix {}", parts.join(" ")))
        }
        JourneyItem::Stage(s) => journey_stage(s),
    });
    Node::decl(&j.header, "journey", items.collect())
}

fn journey_stage(s: &JourneyStage) -> Node {
    let items = s.items.iter().map(|i| match &i.node {
        JourneyStageItem::Common(x) => Node::attr(i, common(x)),
        JourneyStageItem::MapsTo(paths) => Node::attr(i, format!("maps to {}", self::paths(paths))),
        JourneyStageItem::Touchpoint(t) => touchpoint(t),
    });
    Node::decl(&s.header, "stage", items.collect())
}

fn touchpoint(t: &Touchpoint) -> Node {
    let items = t.items.iter().map(|i| match &i.node {
        TouchpointItem::Common(x) => Node::attr(i, common(x)),
        TouchpointItem::Channel(w) => Node::attr(i, format!("channel {}", word(w))),
        TouchpointItem::Emotion(n) => {
            let sign = if n.node > 0.0 { "+" } else { "" };
            Node::attr(i, format!("emotion {sign}{}", number(n.node)))
        }
        TouchpointItem::Reach(n) => Node::attr(i, format!("reach {}%", number(n.node))),
        TouchpointItem::MomentOfTruth => Node::attr(i, "moment of truth".to_owned()),
        TouchpointItem::Evidence(w) => Node::attr(i, format!("evidence {}", word(w))),
        TouchpointItem::Pain(w) => Node::attr(i, format!("pain {}", word(w))),
        TouchpointItem::Failure(s) => Node::attr(i, format!("failure {}", string(s))),
        TouchpointItem::Metric(m) => metric(m, "kpi"),
        TouchpointItem::Opportunity(o) => opportunity(o),
        TouchpointItem::TracesTo(p) => Node::attr(i, format!("traces to {}", paths(p))),
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
    let children = m.items.iter().map(|i| {
        Node::attr(
            i,
            match &i.node {
                MetricAttr::Common(x) => common(x),
                MetricAttr::Target(t) => format!("target {}", string(t)),
                MetricAttr::Current(t) => format!("current {}", string(t)),
            },
        )
    });
    Node { start: m.span.start, end: m.span.end, line, children: Some(children.collect()) }
}

fn opportunity(o: &Opportunity) -> Node {
    let items = o.items.iter().map(|i| {
        Node::attr(
            i,
            match &i.node {
                OpportunityAttr::Common(x) => common(x),
                OpportunityAttr::Impact(r) => format!("impact {}", r.name),
                OpportunityAttr::Effort(r) => format!("effort {}", r.name),
                OpportunityAttr::Owner(t) => format!("owner {}", t.name),
            },
        )
    });
    Node::decl(&o.header, "opportunity", items.collect())
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
    // Exactly one, as written: `1 day` but `1.5 days`.
    #[allow(clippy::float_cmp)]
    let one = d.amount.node == 1.0;
    let unit = match d.unit.node {
        TimeUnit::Minute => "min",
        TimeUnit::Hour => "h",
        TimeUnit::Day if one => "day",
        TimeUnit::Day => "days",
        TimeUnit::Week if one => "week",
        TimeUnit::Week => "weeks",
    };
    format!("{} {unit}", number(d.amount.node))
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
