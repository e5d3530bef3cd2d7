//! The typed syntax tree: what was written, with a span on every node.
//!
//! The tree is faithful to the text: attributes stay in the order written, repeated
//! ones stay repeated, and values are not range-checked. Deciding what the text
//! *means* (defaults, duplicates, ranges, references) is the model's job.

use crate::source::Span;
pub use crate::syntax::Kind;
use crate::syntax::vocabulary::Keyword;
#[cfg(doc)]
use crate::syntax::vocabulary::Takes;

/// A value with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// An identifier as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: Box<str>,
    pub span: Span,
}

/// A string literal with its escapes resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: Box<str>,
    pub span: Span,
}

/// A number as written (`-1`, `2.5`).
pub type Number = Spanned<f64>;

/// A `string or id` value, as `channel` takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    Text(Text),
    Ident(Ident),
}

impl Word {
    pub fn value(&self) -> &str {
        match self {
            Word::Text(t) => &t.value,
            Word::Ident(i) => &i.name,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Word::Text(t) => t.span,
            Word::Ident(i) => i.span,
        }
    }
}

/// A reference path: `stream.item` or a bare `item`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// The value stream, when the path is qualified.
    pub stream: Option<Ident>,
    pub item: Ident,
}

impl Path {
    /// The path written as `text` at `span`: `stream.item`, or a bare `item`. Paths
    /// are atomic in the grammar, so the parts are split here.
    pub fn split(text: &str, span: Span) -> Path {
        let (stream, item) = Path::parts(text);
        let part = |start: usize, name: &str| Ident {
            name: name.into(),
            span: Span {
                start: span.start + start as u32,
                end: span.start + (start + name.len()) as u32,
                ..span
            },
        };
        match stream {
            Some(stream) => {
                Path { stream: Some(part(0, stream)), item: part(stream.len() + 1, item) }
            }
            None => Path { stream: None, item: part(0, item) },
        }
    }

    /// The value stream (if written) and the item of the path written as `text`.
    pub fn parts(text: &str) -> (Option<&str>, &str) {
        match text.split_once('.') {
            Some((stream, item)) => (Some(stream), item),
            None => (None, text),
        }
    }

    /// The whole path as written. Derived rather than stored: paths are the most
    /// numerous node of a large workspace, and the field made each a sixth larger.
    pub fn span(&self) -> Span {
        self.stream.as_ref().map_or(self.item.span, |s| s.span.to(self.item.span))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 6] =
        [Period::Hour, Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

/// `500 per week`.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub amount: Number,
    pub period: Spanned<Period>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Minute,
    Hour,
    Day,
    Week,
}

impl TimeUnit {
    /// The unit as the formatter writes it after `amount`: `1 day` but `1.5 days`.
    pub fn word(self, amount: f64) -> &'static str {
        #[allow(clippy::float_cmp)]
        let one = amount == 1.0;
        match self {
            TimeUnit::Minute => "min",
            TimeUnit::Hour => "h",
            TimeUnit::Day if one => "day",
            TimeUnit::Day => "days",
            TimeUnit::Week if one => "week",
            TimeUnit::Week => "weeks",
        }
    }

    pub fn minutes(self) -> f64 {
        match self {
            TimeUnit::Minute => 1.0,
            TimeUnit::Hour => 60.0,
            TimeUnit::Day => 24.0 * 60.0,
            TimeUnit::Week => 7.0 * 24.0 * 60.0,
        }
    }
}

/// `15 min`, `2 days`.
#[derive(Clone, Debug, PartialEq)]
pub struct Duration {
    pub amount: Number,
    pub unit: Spanned<TimeUnit>,
    pub span: Span,
}

/// A kpi's `target` or `current` as written (§5b of the spec).
#[derive(Clone, Debug, PartialEq)]
pub enum KpiValue {
    /// In quotes: free text, or the typed form, which the model reads from it.
    Text(Text),
    /// Without quotes: `<= 12 min`, `17 min`, `95%`, `4.2`.
    Typed(Typed),
}

/// A typed kpi value: a number with an optional unit, after a comparison when it
/// is a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    pub comparison: Option<Comparison>,
    pub amount: Number,
    pub unit: Option<MeasureUnit>,
    pub span: Span,
}

/// The unit of a typed kpi value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureUnit {
    Time(TimeUnit),
    Percent,
}

/// How a typed target compares the current value with its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}

impl Comparison {
    pub fn parse(text: &str) -> Option<Comparison> {
        Some(match text {
            "<" => Comparison::Less,
            "<=" => Comparison::LessOrEqual,
            ">" => Comparison::Greater,
            ">=" => Comparison::GreaterOrEqual,
            "=" => Comparison::Equal,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
            Comparison::Equal => "=",
        }
    }

    /// Whether `current` meets a target of `target` under this comparison. Equality
    /// allows for the rounding of decimal fractions (`0.1 h` is 6 min).
    pub fn holds(self, current: f64, target: f64) -> bool {
        let close = (current - target).abs() <= 1e-9 * current.abs().max(target.abs()).max(1.0);
        match self {
            Comparison::Less => current < target && !close,
            Comparison::LessOrEqual => current <= target || close,
            Comparison::Greater => current > target && !close,
            Comparison::GreaterOrEqual => current >= target || close,
            Comparison::Equal => close,
        }
    }
}

impl std::fmt::Display for Typed {
    /// The canonical form the formatter writes: `<= 12 min`, `95%`, `4.2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(c) = self.comparison {
            write!(f, "{} ", c.as_str())?;
        }
        write!(f, "{}", self.amount.node)?;
        match self.unit {
            Some(MeasureUnit::Percent) => f.write_str("%"),
            Some(MeasureUnit::Time(unit)) => write!(f, " {}", unit.word(self.amount.node)),
            None => Ok(()),
        }
    }
}

/// `simple 60%` inside a `mix`.
#[derive(Clone, Debug, PartialEq)]
pub struct MixPart {
    pub name: Ident,
    /// The percentage as written: `60%` is 60.
    pub share: Number,
}

/// A lint code in an `allow` attribute, as written (`journey::waste` or `waste`).
pub type LintCode = Spanned<String>;

/// What every declaration starts with: `KIND ID "Label"`, and its doc comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The keyword (`touchpoint`, `value stream`).
    pub keyword: Span,
    pub id: Ident,
    pub label: Option<Text>,
    /// The `///` lines directly above, joined with newlines.
    pub doc: Option<Box<Text>>,
    /// The whole declaration, from its keyword to its closing brace.
    pub span: Span,
}

/// An attribute or child with the span of the whole item.
pub type Item<T> = Spanned<T>;

/// A parsed file: its top-level declarations in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub decls: Vec<Decl>,
    /// Declarations lost to syntax errors, as far as their header could be read.
    /// References to them are not reported as unresolved: that would only repeat
    /// the syntax error in other words, possibly in many other files.
    pub broken: Vec<Broken>,
    /// Whether any declaration was lost to a syntax error, named or not (a misspelt
    /// keyword leaves no kind or id to record in `broken`).
    pub lost: bool,
    /// Where the parser stood after each of `decls` (a byte offset in the text):
    /// where a re-parse after an edit may start, or stop and keep the rest.
    pub ends: Vec<u32>,
}

/// A top-level declaration that did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// A top-level kind.
    pub kind: Kind,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    Persona(Persona),
    Team(Team),
    System(System),
    Capability(Capability),
    ValueStream(ValueStream),
    Journey(Journey),
}

/// An attribute: a keyword of its block and the value written after it. Which
/// keywords a block accepts, and the shape of each one's value, is the
/// vocabulary's (`syntax/vocabulary.rs`); the model gives each its meaning.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub keyword: &'static Keyword,
    pub value: Value,
}

impl Attribute {
    /// The keyword, as the vocabulary writes it (`traces to`).
    pub fn word(&self) -> &'static str {
        self.keyword.word
    }
}

/// An attribute's value, in the shape its keyword takes ([`Takes`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// The keyword alone (`enabling`).
    Flag,
    Text(Text),
    Word(Word),
    /// One id: a reference (`owner ops`) or a word of a fixed choice (`lane support`).
    Ident(Ident),
    /// Comma-separated ids (`capability a, b`).
    Idents(Vec<Ident>),
    Paths(Vec<Path>),
    /// A number, or a percentage as written (`60%` is 60).
    Number(Number),
    /// Boxed, like durations: rare, and inline they would make every attribute of
    /// every element larger.
    Quantity(Box<Quantity>),
    Duration(Box<Duration>),
    Mix(Vec<MixPart>),
    LintCodes(Vec<LintCode>),
    /// A kpi's `target` or `current`; boxed, as rare.
    Kpi(Box<KpiValue>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Persona {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct System {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Capability {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueStream {
    pub header: Header,
    pub items: Vec<Item<ValueStreamItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueStreamItem {
    Attribute(Attribute),
    Stage(VsStage),
}

#[derive(Clone, Debug, PartialEq)]
pub struct VsStage {
    pub header: Header,
    pub items: Vec<Item<VsStageItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VsStageItem {
    Attribute(Attribute),
    Metric(Metric),
    Activity(Activity),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub header: Header,
    pub items: Vec<Item<JourneyItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JourneyItem {
    Attribute(Attribute),
    Stage(JourneyStage),
}

#[derive(Clone, Debug, PartialEq)]
pub struct JourneyStage {
    pub header: Header,
    pub items: Vec<Item<JourneyStageItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JourneyStageItem {
    Attribute(Attribute),
    Touchpoint(Touchpoint),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Touchpoint {
    pub header: Header,
    pub items: Vec<Item<TouchpointItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TouchpointItem {
    Attribute(Attribute),
    /// Boxed, like `Opportunity`: they are rare, and inline they would make every
    /// item of every touchpoint three times the size.
    Metric(Box<Metric>),
    Opportunity(Box<Opportunity>),
}

/// The attribute of an item, if it is one rather than a child declaration.
pub trait AsAttribute {
    fn attribute(&self) -> Option<&Attribute>;
}

impl AsAttribute for Attribute {
    fn attribute(&self) -> Option<&Attribute> {
        Some(self)
    }
}

macro_rules! as_attribute {
    ($($item:ident),*) => {
        $(impl AsAttribute for $item {
            fn attribute(&self) -> Option<&Attribute> {
                match self {
                    $item::Attribute(a) => Some(a),
                    _ => None,
                }
            }
        })*
    };
}

as_attribute!(ValueStreamItem, VsStageItem, JourneyItem, JourneyStageItem, TouchpointItem);

/// `metric ID "Label" { … }` or `kpi "Label" { … }`: at least one of id and label.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub keyword: Span,
    pub id: Option<Ident>,
    pub label: Option<Text>,
    pub doc: Option<Box<Text>>,
    pub span: Span,
    pub items: Vec<Item<Attribute>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    pub header: Header,
    pub items: Vec<Item<Attribute>>,
}
