//! The phrases the Markdown and text reports share, written once over a [`Style`]
//! that says how to show source text, names and emphasis in each.

use super::changes::{
    AttributeChange, ElementChange, Fact, HandoffChange, LoadFigure, Named, Pair, Value,
};
use crate::text::{self, number};

/// Said above the resolved diagnostics when the new version has errors.
pub(super) const RESOLVED_WITH_ERRORS: &str = "Errors stop some checks, so a warning may \
     show as resolved here only because the new version could not be checked for it.";

/// How a report shows the three kinds of text it is made of.
pub(super) trait Style {
    /// Source text: a label, a pain, a channel.
    fn text(&self, s: &str) -> String;
    /// An id, a qualified name or a `file:line`.
    fn code(&self, s: &str) -> String;
    /// A diagnostic message, which quotes names in backticks.
    fn message(&self, s: &str) -> String;
    /// Emphasis.
    fn strong(&self, s: &str) -> String;

    /// Source text in quotation marks, where it runs on with words of ours.
    fn quoted(&self, s: &str) -> String;

    /// An element in running text: its qualified name, and its label when the label
    /// says more than the id.
    fn named(&self, n: &Named) -> String {
        if says_more(n) {
            format!("{} ({})", self.code(&n.path), self.text(&n.label))
        } else {
            self.code(&n.path)
        }
    }
}

/// Whether a label says more than the id it defaults to.
pub(super) fn says_more(n: &Named) -> bool {
    n.path.rsplit('.').next() != Some(n.label.as_str())
}

/// What changed in an element, one phrase per change.
pub(super) fn details(s: &impl Style, e: &ElementChange) -> Vec<String> {
    let mut parts = Vec::new();
    if e.unreadable {
        parts.push(format!(
            "missing from the new version, where {} has a syntax error: it may only be unreadable",
            s.code(&e.place.file)
        ));
    }
    if let Some(m) = &e.moved {
        parts.push(format!("moved from stage {} to {}", s.code(&m.from), s.code(&m.to)));
    }
    if let Some(old) = &e.old_label {
        parts.push(format!("label: {} → {}", s.text(old), s.text(&e.label)));
    }
    for Fact { name, value } in &e.facts {
        parts.push(format!("{name}: {}", value_of(s, name, value)));
    }
    for a in &e.attributes {
        parts.push(attribute(s, a));
    }
    parts
}

fn attribute(s: &impl Style, a: &AttributeChange) -> String {
    // A nested item's field reads `kpi "Time to submit" target`.
    let name = match &a.item {
        Some(item) => {
            let (what, field) = a.attribute.split_once(' ').unwrap_or((&a.attribute, ""));
            let item = if what == "opportunity" { s.code(item) } else { s.quoted(item) };
            format!("{what} {item}{}{field}", if field.is_empty() { "" } else { " " })
        }
        None => a.attribute.clone(),
    };
    let show = |v: &Option<String>| {
        v.as_ref().map_or_else(|| "none".to_owned(), |v| value_of(s, &a.attribute, v))
    };
    match &a.value {
        Value::Set { old, new } => format!("{name}: {} → {}", show(old), show(new)),
        Value::Added(v) => format!("{name} added: {}", value_of(s, &a.attribute, v)),
        Value::Removed(v) => format!("{name} removed: {}", value_of(s, &a.attribute, v)),
    }
}

/// Attributes whose values are ids or qualified names.
const NAMES: [&str; 13] = [
    "stage",
    "owner",
    "parent",
    "replaces",
    "persona",
    "stakeholder",
    "maps to",
    "capability",
    "system",
    "opportunity owner",
    "stage order",
    "touchpoint order",
    "activity order",
];

/// Attributes whose values the compiler writes (`-1`, `60%`, `on`), not the user.
const FIGURES: [&str; 14] = [
    "emotion",
    "reach",
    "moment of truth",
    "lane",
    "process",
    "wait",
    "enabling",
    "level",
    "capacity",
    "state",
    "volume",
    "mix",
    "opportunity impact",
    "opportunity effort",
];

fn value_of(s: &impl Style, attribute: &str, value: &str) -> String {
    if NAMES.contains(&attribute) {
        s.code(value)
    } else if FIGURES.contains(&attribute) {
        text::visible(value).into_owned()
    } else {
        s.text(value)
    }
}

/// A hand-off that appeared, disappeared or changed teams: a title (`new
/// hand-off`, `hand-off gone`, `hand-off changed`) and what it says.
pub(super) fn handoff(s: &impl Style, h: &HandoffChange) -> (&'static str, String) {
    let teams = |t: &[String]| t.iter().map(|t| s.code(t)).collect::<Vec<_>>().join(", ");
    let tp = s.named(&h.touchpoint);
    match (&h.teams.old, &h.teams.new) {
        (Some(old), Some(new)) => {
            ("hand-off changed", format!("{tp}: between {} → {}", teams(old), teams(new)))
        }
        (Some(old), None) => ("hand-off gone", format!("{tp}: no longer between {}", teams(old))),
        (None, Some(new)) => ("new hand-off", format!("{tp}: between {}", teams(new))),
        (None, None) => ("hand-off", tp),
    }
}

/// `300 per week`.
pub(super) fn load(amount: f64, l: LoadFigure) -> String {
    format!("{} per {}", number::plain(amount), l.period.as_str())
}

/// A capability's utilisation before and after, with its state when it is over.
pub(super) fn utilisation(s: &impl Style, loads: &Pair<Option<LoadFigure>>) -> String {
    let shown = |l: &Option<LoadFigure>| {
        l.and_then(|l| l.utilisation().map(|u| (number::percent(u), l.status())))
    };
    let (old, new) = (shown(&loads.old), shown(&loads.new));
    let words = |status: &str| match status {
        "over" => format!(" {}", s.strong("over capacity")),
        "critical" => format!(" {}", s.strong("over 150% of capacity")),
        _ => String::new(),
    };
    match (old, new) {
        (None, None) => "—".to_owned(),
        (old, new) if old == new => {
            new.map(|(p, status)| format!("{p}{}", words(status))).unwrap_or_default()
        }
        (old, new) => format!(
            "{} → {}{}",
            old.as_ref().map_or("—", |(p, _)| p.as_str()),
            new.as_ref().map_or("—", |(p, _)| p.as_str()),
            new.as_ref().map_or(String::new(), |(_, status)| words(status)),
        ),
    }
}

/// `before → after`, or the value once when it did not change; `—` for nothing.
pub(super) fn pair<T: Copy>(p: &Pair<T>, show: impl Fn(T) -> Option<String>) -> String {
    let (old, new) = (show(p.old), show(p.new));
    if old == new {
        return new.unwrap_or_else(|| "—".to_owned());
    }
    format!("{} → {}", old.as_deref().unwrap_or("—"), new.as_deref().unwrap_or("—"))
}

/// The summary with its first letter in upper case.
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
