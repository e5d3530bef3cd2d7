//! The diagnostics of building, and the checks of values that need nothing but the
//! syntax: ranges, words from a fixed set, repeated attributes, duplicate ids.
//!
//! They live apart from the builder so that each thread of parallel resolution
//! (`build.rs`) reports into its own [`Sink`], merged in source order afterwards.

use super::elements::{
    Meta, Metric, Mix, Opportunity, PersonaId, Rate, Rating, Ref, Share, TeamId,
};
use super::kpi;
use super::names::{Names, suggest};
use crate::diagnostic::{Code, Diagnostic, Label, Lint, LintSet};
use crate::source::Span;
use crate::syntax::Kind;
use crate::syntax::ast::{self, AsAttribute, Header, Ident, Item, Text, Value};
use crate::text::number;
use crate::text::{article, join_list};
use std::borrow::Cow;

/// Single-valued attributes seen so far on one element, to report repeats. No kind of
/// element has more than [`Seen::INLINE`] of them, so this never allocates: it is
/// made for each element, and a `Vec` here was one allocation per touchpoint.
#[derive(Default)]
pub(super) struct Seen {
    inline: [Option<(&'static str, Span)>; Seen::INLINE],
    /// Only if a kind of element ever gets more single-valued attributes.
    more: Vec<(&'static str, Span)>,
}

impl Seen {
    const INLINE: usize = 6;

    fn first(&self, key: &str) -> Option<Span> {
        let inline = self.inline.iter().map_while(|e| *e);
        inline.chain(self.more.iter().copied()).find(|(k, _)| *k == key).map(|(_, s)| s)
    }

    fn insert(&mut self, key: &'static str, span: Span) {
        match self.inline.iter_mut().find(|e| e.is_none()) {
            Some(free) => *free = Some((key, span)),
            None => self.more.push((key, span)),
        }
    }
}

/// Where the diagnostics of building go, in the order they are found.
#[derive(Default)]
pub(super) struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub(super) fn duplicate(&mut self, ident: &Ident, what: &str, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("`{}` is declared twice as {}", ident.name, article(what)),
                Label::new(ident.span, "declared again here"),
            )
            .with_label(Label::new(first, "first declared here"))
            .with_help("rename one of them, or merge the two declarations"),
        );
    }

    /// The id, label, description and effective `allow` set of a declaration.
    pub(super) fn meta<I: AsAttribute>(
        &mut self,
        header: &Header,
        items: &[Item<I>],
        inherited: LintSet,
    ) -> Meta {
        let mut description = header.doc.as_ref().map(|d| (d.value.clone(), d.span));
        let mut allow = inherited;
        for item in items {
            let Some(attribute) = item.node.attribute() else { continue };
            match (attribute.word(), &attribute.value) {
                ("description", Value::Text(text)) => {
                    if let Some((_, first)) = &description {
                        let first = *first;
                        self.repeated("description", item.span, first);
                    } else {
                        description = Some((text.value.clone(), item.span));
                    }
                }
                ("allow", Value::LintCodes(codes)) => {
                    for code in codes {
                        if let Some(lint) = self.lint_code(code) {
                            allow.insert(lint);
                        }
                    }
                }
                _ => {}
            }
        }
        let id = header.id.name.to_string();
        Meta {
            label: header.label.as_ref().map_or_else(|| id.clone(), |l| l.value.to_string()),
            id,
            description: description.map(|(d, _)| d),
            id_span: header.id.span,
            span: header.span,
            allow,
        }
    }

    pub(super) fn lint_code(&mut self, code: &ast::LintCode) -> Option<Lint> {
        if let Some(c) = crate::diagnostic::Code::parse(&code.node) {
            if let Some(lint) = c.lint() {
                Some(lint)
            } else {
                self.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{c}` is an error and cannot be allowed"),
                        Label::new(code.span, "not a lint"),
                    )
                    .with_help(format!(
                        "errors must be fixed; only these can be allowed: {}",
                        lint_list()
                    )),
                );
                None
            }
        } else {
            let name = code.node.strip_prefix("journey::").unwrap_or(&code.node);
            let hint = suggest(name, Lint::ALL.iter().map(|l| l.code().name()));
            let help = match hint {
                Some(h) => format!("did you mean `journey::{h}`?"),
                None => format!("the lints are {}", lint_list()),
            };
            self.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a diagnostic code", code.node),
                    Label::new(code.span, "unknown code"),
                )
                .with_help(help),
            );
            None
        }
    }

    /// Records a single-valued attribute; reports it if it was given before.
    pub(super) fn once(&mut self, seen: &mut Seen, key: &'static str, span: Span) -> bool {
        if let Some(first) = seen.first(key) {
            self.repeated(key, span, first);
            false
        } else {
            seen.insert(key, span);
            true
        }
    }

    pub(super) fn repeated(&mut self, key: &str, span: Span, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("`{key}` is given twice"),
                Label::new(span, "given again here"),
            )
            .with_label(Label::new(first, "first given here"))
            .with_help(format!("an element has at most one `{key}`; keep one of them")),
        );
    }

    /// Reports a metric id already used by a sibling metric.
    pub(super) fn metric_id<'m>(&mut self, seen: &mut Vec<&'m Ident>, m: &'m ast::Metric) {
        let Some(id) = &m.id else { return };
        if let Some(first) = seen.iter().find(|f| f.name == id.name) {
            let first = first.span;
            self.duplicate(id, "metric of this element", first);
        } else {
            seen.push(id);
        }
    }

    /// A `metric` or `kpi`, with the lints allowed on its element (`inherited`).
    pub(super) fn metric(&mut self, m: &ast::Metric, inherited: LintSet) -> Metric {
        let mut seen = Seen::default();
        let mut metric = Metric {
            id: m.id.as_ref().map(|i| i.name.to_string()),
            label: m.label.as_ref().or(None).map_or_else(
                || m.id.as_ref().map_or_else(String::new, |i| i.name.to_string()),
                |l: &Text| l.value.to_string(),
            ),
            description: m.doc.as_ref().map(|d| d.value.clone()),
            target: None,
            current: None,
            allow: inherited,
            span: m.span,
        };
        let mut description_span = m.doc.as_ref().map(|d| d.span);
        for item in &m.items {
            match (item.node.word(), &item.node.value) {
                ("target", Value::Kpi(v)) if self.once(&mut seen, "target", item.span) => {
                    metric.target = Some(kpi::target(v));
                }
                ("current", Value::Kpi(v)) if self.once(&mut seen, "current", item.span) => {
                    metric.current = Some(kpi::reading(v));
                }
                ("description", Value::Text(t)) => {
                    if let Some(first) = description_span {
                        self.repeated("description", item.span, first);
                    } else {
                        description_span = Some(item.span);
                        metric.description = Some(t.value.clone());
                    }
                }
                ("allow", Value::LintCodes(codes)) => {
                    for code in codes {
                        if let Some(lint) = self.lint_code(code) {
                            metric.allow.insert(lint);
                        }
                    }
                }
                _ => {}
            }
        }
        if let (Some(target), Some(current)) = (&metric.target, &metric.current) {
            self.comparable(target, current);
        }
        metric
    }

    /// Reports a bare current value whose unit cannot be compared with its bare
    /// target (spec §5b); a string pair that cannot be compared is left unchecked.
    pub(super) fn comparable(&mut self, target: &kpi::Target, current: &kpi::Reading) {
        let (Some((_, bound)), Some(measure)) = (target.bound, current.measure) else { return };
        if !target.bare || !current.bare || bound.dimension == measure.dimension {
            return;
        }
        self.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "the current value `{}` is {}, which cannot be compared with the target \
                     `{}`, {}",
                    current.written,
                    measure.dimension.noun(),
                    target.written,
                    bound.dimension.noun()
                ),
                Label::new(current.span, measure.dimension.noun()),
            )
            .with_label(Label::new(
                target.span,
                format!("the target is {}", bound.dimension.noun()),
            ))
            .with_help(format!(
                "write the current value as {} too, or quote both to leave the kpi unchecked",
                bound.dimension.noun()
            )),
        );
    }

    pub(super) fn opportunity(
        &mut self,
        names: &Names,
        o: &ast::Opportunity,
        allow: LintSet,
    ) -> Opportunity {
        let meta = self.meta(&o.header, &o.items, allow);
        let mut opportunity = Opportunity { meta, impact: None, effort: None, owner: None };
        let mut seen = Seen::default();
        for item in &o.items {
            match (item.node.word(), &item.node.value) {
                ("impact", Value::Ident(r)) if self.once(&mut seen, "impact", item.span) => {
                    opportunity.impact = self.rating(r, "impact");
                }
                ("effort", Value::Ident(r)) if self.once(&mut seen, "effort", item.span) => {
                    opportunity.effort = self.rating(r, "effort");
                }
                ("owner", Value::Ident(team)) if self.once(&mut seen, "owner", item.span) => {
                    opportunity.owner = self.team(names, team, "owner");
                }
                _ => {}
            }
        }
        opportunity
    }

    // ------------------------------------------------------------ references

    pub(super) fn team(
        &mut self,
        names: &Names,
        ident: &Ident,
        attribute: &str,
    ) -> Option<Ref<TeamId>> {
        let r = names.simple(&names.teams, Kind::Team, attribute, ident);
        self.settle(r).map(|target| Ref { target, span: ident.span })
    }

    pub(super) fn persona(
        &mut self,
        names: &Names,
        ident: &Ident,
        attribute: &str,
    ) -> Option<Ref<PersonaId>> {
        let r = names.simple(&names.personas, Kind::Persona, attribute, ident);
        self.settle(r).map(|target| Ref { target, span: ident.span })
    }

    /// Keeps a resolved id, or reports why there is none.
    pub(super) fn settle<I>(&mut self, result: Result<I, Option<Diagnostic>>) -> Option<I> {
        match result {
            Ok(id) => Some(id),
            Err(failure) => {
                self.diagnostics.extend(failure);
                None
            }
        }
    }

    // ------------------------------------------------------------ values

    pub(super) fn invalid(
        &mut self,
        span: Span,
        message: String,
        label: impl Into<Cow<'static, str>>,
        help: String,
    ) {
        self.push(
            Diagnostic::error(Code::InvalidValue, message, Label::new(span, label)).with_help(help),
        );
    }

    /// A whole number within `min..=max`.
    pub(super) fn whole(&mut self, n: &ast::Number, min: i64, max: i64, what: &str) -> Option<i64> {
        let v = n.node;
        #[allow(clippy::cast_precision_loss)]
        let in_range = v.fract() == 0.0 && v >= min as f64 && v <= max as f64;
        if in_range {
            #[allow(clippy::cast_possible_truncation)]
            return Some(v as i64);
        }
        let shown = number::written(v);
        // A signed range reads best with explicit signs: "from -3 to +3".
        let max = if min < 0 { format!("+{max}") } else { max.to_string() };
        self.invalid(
            n.span,
            format!("{what} must be a whole number from {min} to {max}, not {shown}"),
            "out of range",
            format!("use a whole number from {min} to {max}"),
        );
        None
    }

    pub(super) fn percent(&mut self, n: &ast::Number, what: &str, help: &str) -> Option<Share> {
        let share = Share::from_percent(n.node);
        if share.is_none() {
            self.invalid(
                n.span,
                format!("{what} must be between 0% and 100%, not {}%", number::written(n.node)),
                "out of range",
                help.into(),
            );
        }
        share
    }

    pub(super) fn rate(&mut self, q: &ast::Quantity, what: &str, positive: bool) -> Option<Rate> {
        let amount = q.amount.node;
        // The bounds keep every derived figure (loads, utilisations) finite, so the
        // outputs never carry infinities, which JSON cannot represent.
        let low = if positive { MIN_CAPACITY } else { 0.0 };
        if (low..=MAX_AMOUNT).contains(&amount) {
            return Some(Rate { amount, period: q.period.node });
        }
        let bound = if positive { "greater than 0" } else { "0 or more" };
        let message = if amount > MAX_AMOUNT {
            format!("{what} is too large: at most 10^12")
        } else if positive && amount > 0.0 {
            format!("{what} is too small: at least 10^-6")
        } else {
            format!("{what} must be {bound}, not {}", number::written(amount))
        };
        self.invalid(
            q.amount.span,
            message,
            "out of range",
            format!("write a number {bound}, such as `500 per week`"),
        );
        None
    }

    pub(super) fn duration(&mut self, d: &ast::Duration) -> Option<f64> {
        let amount = d.amount.node;
        if (0.0..=MAX_AMOUNT).contains(&amount) {
            return Some(amount * d.unit.node.minutes());
        }
        let message = if amount > MAX_AMOUNT {
            "a duration is too large: at most 10^12".to_owned()
        } else {
            format!("a duration must be 0 or more, not {}", number::written(amount))
        };
        self.invalid(
            d.amount.span,
            message,
            "out of range",
            "write a duration such as `15 min` or `2 days`".into(),
        );
        None
    }

    /// One of a fixed set of words: returns its index in `names`.
    pub(super) fn word(&mut self, ident: &Ident, what: &str, names: &[&str]) -> Option<usize> {
        if let Some(i) = names.iter().position(|n| *n == &*ident.name) {
            return Some(i);
        }
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let help = match suggest(&ident.name, names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("{} is {}", article(what), join_list(&quoted, "or")),
        };
        self.invalid(
            ident.span,
            format!("`{}` is not {}", ident.name, article(what)),
            format!("expected {}", join_list(&quoted, "or")),
            help,
        );
        None
    }

    pub(super) fn rating(&mut self, ident: &Ident, what: &str) -> Option<Rating> {
        self.word(ident, what, &Rating::NAMES).map(|i| match i {
            0 => Rating::Low,
            1 => Rating::Medium,
            _ => Rating::High,
        })
    }

    pub(super) fn mix(&mut self, parts: &[ast::MixPart], span: Span) -> Option<Mix> {
        const NAMES: [&str; 3] = crate::syntax::vocabulary::MIX_CATEGORIES;
        let mut shares = [None::<(f64, Span)>; 3];
        let mut ok = true;
        for part in parts {
            let Some(i) = self.word(&part.name, "mix category", &NAMES) else {
                ok = false;
                continue;
            };
            if let Some((_, first)) = shares[i] {
                self.repeated(NAMES[i], part.name.span, first);
                ok = false;
                continue;
            }
            if let Some(s) = Share::from_percent(part.share.node) {
                shares[i] = Some((s.fraction(), part.name.span.to(part.share.span)));
            } else {
                self.percent(
                    &part.share,
                    "a mix share",
                    "a percentage is a share of the journey's volume, from 0% to 100%",
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let [simple, standard, complex] = shares.map(|s| s.map_or(0.0, |(f, _)| f));
        let total = simple + standard + complex;
        if (total - 1.0).abs() > 1e-9 {
            self.invalid(
                span,
                format!(
                    "the `mix` adds up to {}%, not 100%",
                    // To four decimals: the sum of shares carries binary noise.
                    number::written((total * 100.0 * 10_000.0).round() / 10_000.0)
                ),
                "shares must add up to 100%",
                "a mix splits the journey's volume: `mix simple 60% standard 30% complex 10%`"
                    .into(),
            );
            return None;
        }
        Some(Mix { simple, standard, complex })
    }
}

fn lint_list() -> String {
    let names: Vec<String> = Lint::ALL.iter().map(|l| format!("`{}`", l.code())).collect();
    join_list(&names, "and")
}

/// The largest volume, capacity or duration accepted: far beyond any real operation,
/// and small enough that every load and utilisation derived from it stays finite.
const MAX_AMOUNT: f64 = 1e12;

/// The smallest capacity accepted, so that a utilisation is always finite.
const MIN_CAPACITY: f64 = 1e-6;
