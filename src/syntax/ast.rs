//! The typed syntax tree: what was written, with a span on every node.
//!
//! The tree is faithful to the text: attributes stay in the order written, repeated
//! ones stay repeated, and values are not range-checked. Deciding what the text
//! *means* (defaults, duplicates, ranges, references) is the model's job.

use crate::source::Span;
pub use crate::syntax::Kind;

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

/// The attributes every simple declaration takes.
#[derive(Clone, Debug, PartialEq)]
pub enum CommonAttr {
    Description(Text),
    Allow(Vec<LintCode>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Persona {
    pub header: Header,
    pub items: Vec<Item<CommonAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    pub header: Header,
    pub items: Vec<Item<CommonAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct System {
    pub header: Header,
    pub items: Vec<Item<SystemAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SystemAttr {
    Common(CommonAttr),
    Owner(Ident),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Capability {
    pub header: Header,
    pub items: Vec<Item<CapabilityAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CapabilityAttr {
    Common(CommonAttr),
    Owner(Ident),
    Level(Number),
    Parent(Ident),
    Capacity(Quantity),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueStream {
    pub header: Header,
    pub items: Vec<Item<ValueStreamItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueStreamItem {
    Common(CommonAttr),
    Stakeholder(Vec<Ident>),
    Stage(VsStage),
}

#[derive(Clone, Debug, PartialEq)]
pub struct VsStage {
    pub header: Header,
    pub items: Vec<Item<VsStageItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VsStageItem {
    Common(CommonAttr),
    Entrance(Text),
    Exit(Text),
    Value(Text),
    Metric(Metric),
    Activity(Activity),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub header: Header,
    pub items: Vec<Item<ActivityAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ActivityAttr {
    Common(CommonAttr),
    Owner(Ident),
    Lane(Ident),
    Capability(Vec<Ident>),
    System(Vec<Ident>),
    /// Boxed, like `Wait`: inline, durations would make every attribute of every
    /// activity a third larger.
    Process(Box<Duration>),
    Wait(Box<Duration>),
    Failure(Text),
    Enabling,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub header: Header,
    pub items: Vec<Item<JourneyItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JourneyItem {
    Common(CommonAttr),
    Persona(Vec<Ident>),
    State(Ident),
    Volume(Quantity),
    Mix(Vec<MixPart>),
    Stage(JourneyStage),
}

#[derive(Clone, Debug, PartialEq)]
pub struct JourneyStage {
    pub header: Header,
    pub items: Vec<Item<JourneyStageItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JourneyStageItem {
    Common(CommonAttr),
    MapsTo(Vec<Path>),
    Touchpoint(Touchpoint),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Touchpoint {
    pub header: Header,
    pub items: Vec<Item<TouchpointItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TouchpointItem {
    Common(CommonAttr),
    Channel(Word),
    Emotion(Number),
    /// The percentage as written: `60%` is 60.
    Reach(Number),
    MomentOfTruth,
    Evidence(Word),
    Pain(Word),
    Failure(Text),
    /// Boxed, like `Opportunity`: they are rare, and inline they would make every
    /// item of every touchpoint three times the size.
    Metric(Box<Metric>),
    Opportunity(Box<Opportunity>),
    TracesTo(Vec<Path>),
}

/// `metric ID "Label" { … }` or `kpi "Label" { … }`: at least one of id and label.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub keyword: Span,
    pub id: Option<Ident>,
    pub label: Option<Text>,
    pub doc: Option<Box<Text>>,
    pub span: Span,
    pub items: Vec<Item<MetricAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MetricAttr {
    Common(CommonAttr),
    Target(Text),
    Current(Text),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    pub header: Header,
    pub items: Vec<Item<OpportunityAttr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OpportunityAttr {
    Common(CommonAttr),
    Impact(Ident),
    Effort(Ident),
    Owner(Ident),
}
