//! Lowers pest's pairs into the typed AST: one function per grammar rule.
//!
//! This is the only module that walks `Pair`s. The grammar guarantees the shape of
//! every pair it hands us, so the walkers read children positionally; a shape the
//! grammar cannot produce is a bug in this file, caught by the tests over every
//! example and by the fuzz target.

use super::ast::{
    Activity, Attribute, Capability, Comparison, Decl, Duration, Header, Ident, Item, Journey,
    JourneyItem, JourneyStage, JourneyStageItem, KpiValue, LintCode, MeasureUnit, Metric, MixPart,
    Number, Opportunity, Path, Period, Persona, Quantity, Spanned, System, Team, Text, TimeUnit,
    Touchpoint, TouchpointItem, Typed, Value, ValueStream, ValueStreamItem, VsStage, VsStageItem,
    Word,
};
use super::escape::unescape;
use super::parse::Rule;
use super::vocabulary::{self, Block, Takes};
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
                Decl::Persona(Persona {
                    header,
                    items: self.attributes(&vocabulary::PERSONA, items),
                })
            }
            Rule::team => {
                let (header, items) = self.header(inner, doc);
                Decl::Team(Team { header, items: self.attributes(&vocabulary::TEAM, items) })
            }
            Rule::system => {
                let (header, items) = self.header(inner, doc);
                Decl::System(System { header, items: self.attributes(&vocabulary::SYSTEM, items) })
            }
            Rule::capability => {
                let (header, items) = self.header(inner, doc);
                let items = self.attributes(&vocabulary::CAPABILITY, items);
                Decl::Capability(Capability { header, items })
            }
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
        // Doc comments before a `;` or the `}` document nothing: a step of them
        // alone is dropped.
        let Some(inner) = step.into_inner().find(|p| p.as_rule() != Rule::doc) else {
            return false;
        };
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
                // A doc comment before the `}` documents nothing.
                Rule::open | Rule::close | Rule::doc => {}
                _ => items.push(split_item(p)),
            }
        }
        let id = id.unwrap_or(Ident { name: "".into(), span: keyword });
        (Header { keyword, id, label, doc, span }, items)
    }

    /// Lowers the items of a block that holds only attributes.
    fn attributes(
        &mut self,
        block: &'static Block,
        items: Vec<ItemPair<'_>>,
    ) -> Vec<Item<Attribute>> {
        lowered(items, |(_, p)| {
            let span = self.span(&p);
            self.attribute(block, &p).map(|a| Spanned::new(a, span))
        })
    }

    /// Lowers an attribute of `block`: its keyword (the pair's first child), found
    /// in the block's vocabulary by its words, and its value, read in the shape the
    /// vocabulary says the keyword takes. Every attribute rule is `kw_x ~ value`.
    fn attribute(&mut self, block: &'static Block, p: &Pair<'_, Rule>) -> Option<Attribute> {
        let mut inner = p.clone().into_inner();
        let keyword = block.keyword_written(inner.next()?.as_str())?;
        let value = match keyword.takes {
            Takes::Flag => Value::Flag,
            Takes::Text => Value::Text(self.string(&inner.next()?)),
            Takes::Word => Value::Word(self.word(&inner.next()?)?),
            Takes::Reference | Takes::Choice(_) => Value::Ident(self.ident(&inner.next()?)),
            // `capability a, b` lists the references; `persona a, b` wraps them in a
            // named list rule.
            Takes::References => Value::Idents(
                inner
                    .flat_map(|r| match r.as_rule() {
                        Rule::persona_ref_list => r.into_inner().collect(),
                        _ => vec![r],
                    })
                    .map(|r| self.ident(&r))
                    .collect(),
            ),
            Takes::Paths => Value::Paths(self.paths(p)),
            Takes::Number | Takes::SignedNumber => Value::Number(self.number(&inner.next()?)),
            Takes::Percentage => Value::Number(self.number(&nth(&inner.next()?, 0)?)),
            Takes::Quantity => Value::Quantity(Box::new(self.quantity(&inner.next()?)?)),
            Takes::Duration => Value::Duration(Box::new(self.duration(&inner.next()?)?)),
            Takes::Mix => Value::Mix(
                inner
                    .filter_map(|part| {
                        let mut inner = part.into_inner();
                        let name = self.ident(&inner.next()?);
                        let share = self.number(&inner.next()?.into_inner().next()?);
                        Some(MixPart { name, share })
                    })
                    .collect(),
            ),
            Takes::LintCodes => Value::LintCodes(
                inner.map(|c| LintCode::new(c.as_str().to_owned(), self.span(&c))).collect(),
            ),
            Takes::Target | Takes::Measure => {
                let p = inner.next()?;
                Value::Kpi(Box::new(match p.as_rule() {
                    Rule::string => KpiValue::Text(self.string(&p)),
                    _ => KpiValue::Typed(typed(&p, |q| self.span(q))?),
                }))
            }
            Takes::Declaration(_) => return None,
        };
        Some(Attribute { keyword, value })
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
            _ => ValueStreamItem::Attribute(self.attribute(&vocabulary::VALUE_STREAM, &p)?),
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
                _ => VsStageItem::Attribute(self.attribute(&vocabulary::VS_STAGE, &p)?),
            };
            Some(Spanned::new(item, span))
        });
        VsStage { header, items }
    }

    fn activity(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Activity {
        let (header, items) = self.header(pair, doc);
        Activity { header, items: self.attributes(&vocabulary::ACTIVITY, items) }
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
            _ => JourneyItem::Attribute(self.attribute(&vocabulary::JOURNEY, &p)?),
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
                _ => JourneyStageItem::Attribute(self.attribute(&vocabulary::JOURNEY_STAGE, &p)?),
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
                _ => TouchpointItem::Attribute(self.attribute(&vocabulary::TOUCHPOINT, &p)?),
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
                    if let Some(attr) = self.attribute(&vocabulary::METRIC, &p) {
                        items.push(Spanned::new(attr, self.span(&p)));
                    }
                }
            }
        }
        Metric { keyword, id, label, doc, span, items }
    }

    fn opportunity(&mut self, pair: Pair<'_, Rule>, doc: Option<Box<Text>>) -> Opportunity {
        let (header, items) = self.header(pair, doc);
        Opportunity { header, items: self.attributes(&vocabulary::OPPORTUNITY, items) }
    }

    // ------------------------------------------------------------ values

    /// An identifier, or a wrapper rule around one (`team_ref`, `lane_name`, …).
    fn ident(&self, p: &Pair<'_, Rule>) -> Ident {
        let p = innermost(p.clone());
        Ident { name: p.as_str().into(), span: self.span(&p) }
    }

    /// The `stream.item` or bare `item` paths after an attribute's keyword. Paths are
    /// atomic in the grammar, so the parts are split here.
    fn paths(&self, p: &Pair<'_, Rule>) -> Vec<Path> {
        p.clone()
            .into_inner()
            .skip(1)
            .map(|path| Path::split(path.as_str(), self.span(&path)))
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
        let unit = time_unit(unit_pair.as_str())?;
        Some(Duration { amount, unit: Spanned::new(unit, self.span(&unit_pair)), span })
    }
}

fn time_unit(word: &str) -> Option<TimeUnit> {
    Some(match word {
        "min" | "mins" | "minute" | "minutes" => TimeUnit::Minute,
        "h" | "hour" | "hours" => TimeUnit::Hour,
        "day" | "days" => TimeUnit::Day,
        "week" | "weeks" => TimeUnit::Week,
        _ => return None,
    })
}

/// Lowers a `bound` or `measure` pair into a typed kpi value, with spans from
/// `span`: the pair's own in a file, the whole string's when read from one.
pub(super) fn typed(p: &Pair<'_, Rule>, span: impl Fn(&Pair<'_, Rule>) -> Span) -> Option<Typed> {
    let mut comparison = None;
    let mut measure = p.clone();
    if p.as_rule() == Rule::bound {
        let mut inner = p.clone().into_inner();
        comparison = Comparison::parse(inner.next()?.as_str());
        measure = inner.next()?;
    }
    let mut inner = measure.into_inner();
    let number = inner.next()?;
    let amount = Spanned::new(number.as_str().parse::<f64>().unwrap_or(f64::NAN), span(&number));
    let unit = match inner.next() {
        None => None,
        Some(u) if u.as_str() == "%" => Some(MeasureUnit::Percent),
        Some(u) => Some(MeasureUnit::Time(time_unit(u.as_str())?)),
    };
    Some(Typed { comparison, amount, unit, span: span(p) })
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
    for p in item.clone().into_inner() {
        if p.as_rule() == Rule::doc {
            docs.push(p);
        } else {
            return (docs, p);
        }
    }
    (docs, item)
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
