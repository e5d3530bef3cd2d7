//! Lowers pest's pairs into the typed AST: one function per grammar rule.
//!
//! This is the only module that walks `Pair`s. The grammar guarantees the shape of
//! every pair it hands us, so the walkers read children positionally; a shape the
//! grammar cannot produce is a bug in this file, caught by the tests over every
//! example and by the fuzz target.

use super::ast::{
    Activity, ActivityAttr, Capability, CapabilityAttr, CommonAttr, Decl, Duration, Header, Ident,
    Item, Journey, JourneyItem, JourneyStage, JourneyStageItem, LintCode, Metric, MetricAttr,
    MixPart, Number, Opportunity, OpportunityAttr, Path, Period, Persona, Quantity, Spanned,
    System, SystemAttr, Team, Text, TimeUnit, Touchpoint, TouchpointItem, ValueStream,
    ValueStreamItem, VsStage, VsStageItem, Word,
};
use super::escape::unescape;
use super::parse::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use pest::iterators::{Pair, Pairs};

/// Lowering state for one parsed chunk of a file.
pub(super) struct Lowerer<'d> {
    pub file: FileId,
    /// Where the chunk handed to pest starts in the file.
    pub offset: usize,
    pub diagnostics: &'d mut Vec<Diagnostic>,
}

impl Lowerer<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        Span::new(self.file, self.offset + pair.as_span().start(), self.offset + end(pair))
    }

    /// Lowers a `top_decl` pair preceded by the doc comments in `docs`.
    pub fn top_decl(&mut self, pair: Pair<'_, Rule>, docs: &[Pair<'_, Rule>]) -> Option<Decl> {
        let inner = pair.into_inner().next()?;
        let doc = self.docs(docs);
        Some(match inner.as_rule() {
            Rule::persona => {
                let (header, items) = self.header(inner, doc);
                Decl::Persona(Persona { header, items: self.common_items(items) })
            }
            Rule::team => {
                let (header, items) = self.header(inner, doc);
                Decl::Team(Team { header, items: self.common_items(items) })
            }
            Rule::system => Decl::System(self.system(inner, doc)),
            Rule::capability => Decl::Capability(self.capability(inner, doc)),
            Rule::value_stream => Decl::ValueStream(self.value_stream(inner, doc)),
            Rule::journey => Decl::Journey(self.journey(inner, doc)),
            _ => return None,
        })
    }

    /// Lowers a `block_open` pair: the start of a journey or value stream whose block
    /// [`Lowerer::block_step`] then lowers one `_step` pair at a time. Until the `}`,
    /// the header's span ends at the `{`.
    pub fn block_open(&mut self, pair: Pair<'_, Rule>) -> Option<Decl> {
        let mut docs = Vec::new();
        let mut parts = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => docs.push(p),
                _ => parts.push(p),
            }
        }
        let doc = self.docs(&docs);
        let mut parts = parts.into_iter();
        let keyword_pair = parts.next()?;
        let keyword = self.span(&keyword_pair);
        let mut id = None;
        let mut label = None;
        let mut span = keyword;
        for p in parts {
            span = span.to(self.span(&p));
            match p.as_rule() {
                Rule::ident => id = Some(self.ident(&p)),
                Rule::string => label = Some(self.string(&p)),
                _ => {}
            }
        }
        let header = Header { keyword, id: id?, label, doc, span };
        Some(match keyword_pair.as_rule() {
            Rule::kw_journey => Decl::Journey(Journey { header, items: Vec::new() }),
            _ => Decl::ValueStream(ValueStream { header, items: Vec::new() }),
        })
    }

    /// Lowers one `journey_step` or `value_stream_step` pair into `decl`, the
    /// declaration [`Lowerer::block_open`] started. Returns whether it was the `}`.
    pub fn block_step(&mut self, decl: &mut Decl, step: Pair<'_, Rule>) -> bool {
        let Some(inner) = step.into_inner().next() else { return true };
        let closed = inner.as_rule() == Rule::close;
        let close = self.span(&inner);
        match decl {
            Decl::Journey(Journey { header, .. })
            | Decl::ValueStream(ValueStream { header, .. })
                if closed =>
            {
                header.span = header.span.to(close);
            }
            Decl::Journey(j) => {
                let (docs, item) = split_item(inner);
                j.items.extend(self.journey_item(&docs, item));
            }
            Decl::ValueStream(v) => {
                let (docs, item) = split_item(inner);
                v.items.extend(self.value_stream_item(&docs, item));
            }
            // `block_open` starts nothing else.
            _ => return true,
        }
        closed
    }

    /// Joins consecutive `///` lines into one description, dropping the one space
    /// that conventionally follows the slashes.
    fn docs(&self, docs: &[Pair<'_, Rule>]) -> Option<Box<Text>> {
        let (first, last) = (docs.first()?, docs.last()?);
        let value = docs
            .iter()
            .map(|d| {
                let text = d.clone().into_inner().next().map_or("", |t| t.as_str());
                text.strip_prefix(' ').unwrap_or(text).trim_end()
            })
            .collect::<Vec<_>>()
            .join("\n");
        Some(Box::new(Text { value: value.into(), span: self.span(first).to(self.span(last)) }))
    }

    /// Splits a declaration into its header and its item pairs. Items are returned
    /// with the doc comments that precede them, which only child declarations use.
    fn header<'i>(
        &mut self,
        pair: Pair<'i, Rule>,
        doc: Option<Box<Text>>,
    ) -> (Header, Vec<ItemPair<'i>>) {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = inner.next().map_or(span, |k| self.span(&k));
        let mut id = None;
        let mut label = None;
        let mut items = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::ident => id = Some(self.ident(&p)),
                Rule::string => label = Some(self.string(&p)),
                Rule::open | Rule::close => {}
                _ => items.push(split_item(p)),
            }
        }
        let id = id.unwrap_or(Ident { name: "".into(), span: keyword });
        (Header { keyword, id, label, doc, span }, items)
    }

    fn common_items(
        &mut self,
        items: Vec<(Vec<Pair<'_, Rule>>, Pair<'_, Rule>)>,
    ) -> Vec<Item<CommonAttr>> {
        lowered(items, |(_, p)| self.common(&p).map(|c| Spanned::new(c, self.span(&p))))
    }

    /// Lowers `description` and `allow`, which every declaration takes.
    fn common(&mut self, p: &Pair<'_, Rule>) -> Option<CommonAttr> {
        match p.as_rule() {
            Rule::description => Some(CommonAttr::Description(self.string(&nth(p, 1)?))),
            Rule::allow => Some(CommonAttr::Allow(
                p.clone()
                    .into_inner()
                    .skip(1)
                    .map(|c| LintCode::new(c.as_str().to_owned(), self.span(&c)))
                    .collect(),
            )),
            _ => None,
        }
    }

    fn system(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> System {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(_, p)| {
            let attr = match p.as_rule() {
                Rule::owner => SystemAttr::Owner(self.ident(&nth(&p, 1)?)),
                _ => SystemAttr::Common(self.common(&p)?),
            };
            Some(Spanned::new(attr, self.span(&p)))
        });
        System { header, items }
    }

    fn capability(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Capability {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(_, p)| {
            let attr = match p.as_rule() {
                Rule::owner => CapabilityAttr::Owner(self.ident(&nth(&p, 1)?)),
                Rule::level => CapabilityAttr::Level(self.number(&nth(&p, 1)?)),
                Rule::parent => CapabilityAttr::Parent(self.ident(&nth(&p, 1)?)),
                Rule::capacity => CapabilityAttr::Capacity(self.quantity(&nth(&p, 1)?)?),
                _ => CapabilityAttr::Common(self.common(&p)?),
            };
            Some(Spanned::new(attr, self.span(&p)))
        });
        Capability { header, items }
    }

    fn value_stream(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> ValueStream {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(docs, p)| self.value_stream_item(&docs, p));
        ValueStream { header, items }
    }

    /// Lowers one item of a value stream's block, given its doc comments.
    fn value_stream_item(
        &mut self,
        docs: &[Pair<'_, Rule>],
        p: Pair<'_, Rule>,
    ) -> Option<Spanned<ValueStreamItem>> {
        let span = self.span(&p);
        let item = match p.as_rule() {
            Rule::vs_stage => {
                let doc = self.docs(docs);
                ValueStreamItem::Stage(self.vs_stage(p, doc))
            }
            Rule::stakeholder => ValueStreamItem::Stakeholder(self.ident_list(&nth(&p, 1)?)),
            _ => ValueStreamItem::Common(self.common(&p)?),
        };
        Some(Spanned::new(item, span))
    }

    fn vs_stage(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> VsStage {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(docs, p)| {
            let span = self.span(&p);
            let item = match p.as_rule() {
                Rule::activity => {
                    let doc = self.docs(&docs);
                    VsStageItem::Activity(self.activity(p, doc))
                }
                Rule::metric => {
                    let doc = self.docs(&docs);
                    VsStageItem::Metric(self.metric(p, doc))
                }
                Rule::entrance => VsStageItem::Entrance(self.string(&nth(&p, 1)?)),
                Rule::exit => VsStageItem::Exit(self.string(&nth(&p, 1)?)),
                Rule::value => VsStageItem::Value(self.string(&nth(&p, 1)?)),
                _ => VsStageItem::Common(self.common(&p)?),
            };
            Some(Spanned::new(item, span))
        });
        VsStage { header, items }
    }

    fn activity(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Activity {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(_, p)| {
            let attr = match p.as_rule() {
                Rule::owner => ActivityAttr::Owner(self.ident(&nth(&p, 1)?)),
                Rule::lane => ActivityAttr::Lane(self.ident(&nth(&p, 1)?)),
                Rule::uses_capability => ActivityAttr::Capability(self.idents_after_keyword(&p)),
                Rule::uses_system => ActivityAttr::System(self.idents_after_keyword(&p)),
                Rule::process => ActivityAttr::Process(Box::new(self.duration(&nth(&p, 1)?)?)),
                Rule::wait => ActivityAttr::Wait(Box::new(self.duration(&nth(&p, 1)?)?)),
                Rule::failure => ActivityAttr::Failure(self.string(&nth(&p, 1)?)),
                Rule::enabling => ActivityAttr::Enabling,
                _ => ActivityAttr::Common(self.common(&p)?),
            };
            Some(Spanned::new(attr, self.span(&p)))
        });
        Activity { header, items }
    }

    fn journey(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Journey {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(docs, p)| self.journey_item(&docs, p));
        Journey { header, items }
    }

    /// Lowers one item of a journey's block, given its doc comments.
    fn journey_item(
        &mut self,
        docs: &[Pair<'_, Rule>],
        p: Pair<'_, Rule>,
    ) -> Option<Spanned<JourneyItem>> {
        let span = self.span(&p);
        let item = match p.as_rule() {
            Rule::journey_stage => {
                let doc = self.docs(docs);
                JourneyItem::Stage(self.journey_stage(p, doc))
            }
            Rule::persona_ref => JourneyItem::Persona(self.ident_list(&nth(&p, 1)?)),
            Rule::state => JourneyItem::State(self.ident(&nth(&p, 1)?)),
            Rule::volume => JourneyItem::Volume(self.quantity(&nth(&p, 1)?)?),
            Rule::mix => JourneyItem::Mix(
                p.clone()
                    .into_inner()
                    .skip(1)
                    .filter_map(|part| {
                        let mut inner = part.into_inner();
                        let name = self.ident(&inner.next()?);
                        let share = self.number(&inner.next()?.into_inner().next()?);
                        Some(MixPart { name, share })
                    })
                    .collect(),
            ),
            _ => JourneyItem::Common(self.common(&p)?),
        };
        Some(Spanned::new(item, span))
    }

    fn journey_stage(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> JourneyStage {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(docs, p)| {
            let span = self.span(&p);
            let item = match p.as_rule() {
                Rule::touchpoint => {
                    let doc = self.docs(&docs);
                    JourneyStageItem::Touchpoint(self.touchpoint(p, doc))
                }
                Rule::maps_to => JourneyStageItem::MapsTo(self.paths(&p)),
                _ => JourneyStageItem::Common(self.common(&p)?),
            };
            Some(Spanned::new(item, span))
        });
        JourneyStage { header, items }
    }

    fn touchpoint(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Touchpoint {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(docs, p)| {
            let span = self.span(&p);
            let item = match p.as_rule() {
                Rule::metric => {
                    let doc = self.docs(&docs);
                    TouchpointItem::Metric(Box::new(self.metric(p, doc)))
                }
                Rule::opportunity => {
                    let doc = self.docs(&docs);
                    TouchpointItem::Opportunity(Box::new(self.opportunity(p, doc)))
                }
                Rule::channel => TouchpointItem::Channel(self.word(&nth(&p, 1)?)?),
                Rule::emotion => TouchpointItem::Emotion(self.number(&nth(&p, 1)?)),
                Rule::reach => TouchpointItem::Reach(self.number(&nth(&nth(&p, 1)?, 0)?)),
                Rule::moment_of_truth => TouchpointItem::MomentOfTruth,
                Rule::evidence => TouchpointItem::Evidence(self.word(&nth(&p, 1)?)?),
                Rule::pain => TouchpointItem::Pain(self.word(&nth(&p, 1)?)?),
                Rule::failure => TouchpointItem::Failure(self.string(&nth(&p, 1)?)),
                Rule::traces_to => TouchpointItem::TracesTo(self.paths(&p)),
                _ => TouchpointItem::Common(self.common(&p)?),
            };
            Some(Spanned::new(item, span))
        });
        Touchpoint { header, items }
    }

    fn metric(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Metric {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let keyword = inner.next().map_or(span, |k| self.span(&k));
        let (mut id, mut label, mut items) = (None, None, Vec::new());
        for p in inner {
            match p.as_rule() {
                Rule::ident => id = Some(self.ident(&p)),
                Rule::string => label = Some(self.string(&p)),
                Rule::open | Rule::close => {}
                _ => {
                    let (_, p) = split_item(p);
                    let attr = match p.as_rule() {
                        Rule::target => nth(&p, 1).map(|s| MetricAttr::Target(self.string(&s))),
                        Rule::current => nth(&p, 1).map(|s| MetricAttr::Current(self.string(&s))),
                        _ => self.common(&p).map(MetricAttr::Common),
                    };
                    if let Some(attr) = attr {
                        items.push(Spanned::new(attr, self.span(&p)));
                    }
                }
            }
        }
        Metric { keyword, id, label, doc, span, items }
    }

    fn opportunity(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Opportunity {
        let (header, items) = self.header(pair, doc);
        let items = lowered(items, |(_, p)| {
            let attr = match p.as_rule() {
                Rule::impact => OpportunityAttr::Impact(self.ident(&nth(&p, 1)?)),
                Rule::effort => OpportunityAttr::Effort(self.ident(&nth(&p, 1)?)),
                Rule::owner => OpportunityAttr::Owner(self.ident(&nth(&p, 1)?)),
                _ => OpportunityAttr::Common(self.common(&p)?),
            };
            Some(Spanned::new(attr, self.span(&p)))
        });
        Opportunity { header, items }
    }

    // ------------------------------------------------------------ values

    /// An identifier, or a wrapper rule around one (`team_ref`, `lane_name`, …).
    fn ident(&self, p: &Pair<'_, Rule>) -> Ident {
        let p = innermost(p.clone());
        Ident { name: p.as_str().into(), span: self.span(&p) }
    }

    fn ident_list(&self, p: &Pair<'_, Rule>) -> Vec<Ident> {
        p.clone().into_inner().map(|i| self.ident(&i)).collect()
    }

    /// The comma-separated references after an attribute's keyword.
    fn idents_after_keyword(&self, p: &Pair<'_, Rule>) -> Vec<Ident> {
        p.clone().into_inner().skip(1).map(|i| self.ident(&i)).collect()
    }

    /// The `stream.item` or bare `item` paths after an attribute's keyword. Paths are
    /// atomic in the grammar, so the parts are split here.
    fn paths(&self, p: &Pair<'_, Rule>) -> Vec<Path> {
        p.clone()
            .into_inner()
            .skip(1)
            .map(|path| {
                let span = self.span(&path);
                let text = path.as_str();
                let part = |start: usize, name: &str| Ident {
                    name: name.into(),
                    span: Span {
                        start: span.start + start as u32,
                        end: span.start + (start + name.len()) as u32,
                        ..span
                    },
                };
                match text.split_once('.') {
                    Some((stream, item)) => {
                        Path { stream: Some(part(0, stream)), item: part(stream.len() + 1, item) }
                    }
                    None => Path { stream: None, item: part(0, text) },
                }
            })
            .collect()
    }

    fn string(&mut self, p: &Pair<'_, Rule>) -> Text {
        let span = self.span(p);
        let inner = p.clone().into_inner().next();
        let (raw, raw_start) = inner
            .map_or(("", span.start as usize), |i| (i.as_str(), self.offset + i.as_span().start()));
        let value = unescape(raw, self.file, raw_start, self.diagnostics);
        Text { value: value.into(), span }
    }

    fn word(&mut self, p: &Pair<'_, Rule>) -> Option<Word> {
        let inner = p.clone().into_inner().next()?;
        Some(match inner.as_rule() {
            Rule::string => Word::Text(self.string(&inner)),
            _ => Word::Ident(self.ident(&inner)),
        })
    }

    fn number(&self, p: &Pair<'_, Rule>) -> Number {
        // The grammar admits only digits with an optional sign and fraction, which
        // always parse; a number too large for f64 becomes infinite, and the model
        // reports it as out of range.
        let value = p.as_str().parse::<f64>().unwrap_or(f64::NAN);
        Spanned::new(value, self.span(p))
    }

    fn quantity(&self, p: &Pair<'_, Rule>) -> Option<Quantity> {
        let span = self.span(p);
        let mut inner = p.clone().into_inner();
        let amount = self.number(&inner.next()?);
        let _per = inner.next()?;
        let period_pair = inner.next()?;
        let period = match period_pair.as_str() {
            "hour" => Period::Hour,
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            _ => return None,
        };
        Some(Quantity { amount, period: Spanned::new(period, self.span(&period_pair)), span })
    }

    fn duration(&self, p: &Pair<'_, Rule>) -> Option<Duration> {
        let span = self.span(p);
        let mut inner = p.clone().into_inner();
        let amount = self.number(&inner.next()?);
        let unit_pair = inner.next()?;
        let unit = match unit_pair.as_str() {
            "min" | "mins" | "minute" | "minutes" => TimeUnit::Minute,
            "h" | "hour" | "hours" => TimeUnit::Hour,
            "day" | "days" => TimeUnit::Day,
            "week" | "weeks" => TimeUnit::Week,
            _ => return None,
        };
        Some(Duration { amount, unit: Spanned::new(unit, self.span(&unit_pair)), span })
    }
}

/// Lowers a block's items into a vector of exactly their number. `filter_map`
/// cannot tell `collect` how many there will be, so the vector would grow by
/// doubling and leave up to half of it unused: items are large, and a workspace
/// has hundreds of thousands of them.
fn lowered<'i, T>(items: Vec<ItemPair<'i>>, f: impl FnMut(ItemPair<'i>) -> Option<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    out.extend(items.into_iter().filter_map(f));
    out
}

/// An item's doc comments and the attribute or child it holds.
type ItemPair<'i> = (Vec<Pair<'i, Rule>>, Pair<'i, Rule>);

/// Splits an `X_item` pair into its doc comments and the attribute or child it holds.
fn split_item(item: Pair<'_, Rule>) -> (Vec<Pair<'_, Rule>>, Pair<'_, Rule>) {
    let mut docs = Vec::new();
    let mut last = None;
    for p in item.clone().into_inner() {
        if p.as_rule() == Rule::doc {
            docs.push(p);
        } else {
            last = Some(p);
        }
    }
    (docs, last.unwrap_or(item))
}

/// Where a pair's text really ends. pest puts the implicit white space and comments
/// before a trailing repetition (`path ~ ("," ~ path)*`) inside the pair, so a
/// non-atomic pair ends where its last child ends. Compound-atomic rules have no
/// implicit white space but may end in a literal (`60%`), so they keep their end.
fn end(pair: &Pair<'_, Rule>) -> usize {
    // Not `pair.tokens()`: with debug assertions, pest checks the whole token queue
    // each time one is made, which made this quadratic in debug builds.
    let compound = matches!(
        pair.as_rule(),
        Rule::doc | Rule::string | Rule::percentage | Rule::activity_path | Rule::stage_path
    );
    match pair.clone().into_inner().next_back() {
        Some(last) if !compound => end(&last),
        _ => pair.as_span().end(),
    }
}

/// The `n`th child of a pair.
fn nth<'i>(p: &Pair<'i, Rule>, n: usize) -> Option<Pair<'i, Rule>> {
    p.clone().into_inner().nth(n)
}

/// Descends through single-child wrappers (`team_ref` → `ident`).
fn innermost(mut p: Pair<'_, Rule>) -> Pair<'_, Rule> {
    loop {
        let mut children: Pairs<'_, Rule> = p.clone().into_inner();
        match (children.next(), children.next()) {
            (Some(only), None) => p = only,
            _ => return p,
        }
    }
}
