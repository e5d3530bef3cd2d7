//! The text report, for a terminal: the same sections as the Markdown report,
//! indented instead of tabulated. Source text is quoted, and its control and
//! direction characters are shown as escapes so that it cannot drive the terminal.

use super::changes::{Audience, Changes, Named, Problem};
use super::render::{self, Style};
use crate::model::Ratio;
use crate::model::written as values;
use crate::text::plural;
use std::fmt::Write as _;

/// Renders the changes as text ending with a newline.
pub fn text(changes: &Changes) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("journey diff: no changes\n");
    } else {
        let _ = writeln!(out, "journey diff: {}", changes.summary().join(", "));
    }
    let errors = &changes.errors;
    if !errors.new.is_empty() {
        let _ = writeln!(
            out,
            "\nerror: the new version has {}; its figures are incomplete until {} fixed",
            plural(errors.new.len(), "error", "errors"),
            if errors.new.len() == 1 { "it is" } else { "they are" },
        );
        for p in &errors.new {
            let _ = writeln!(out, "  {}", problem(p));
        }
    }
    if !errors.old.is_empty() {
        let _ = writeln!(
            out,
            "\nnote: the old version has {}, so figures compared with it may be incomplete",
            plural(errors.old.len(), "error", "errors"),
        );
    }
    if changes.is_empty() {
        return out;
    }
    for (audience, title) in
        [(Audience::Customer, "For the customer"), (Audience::Operation, "For the operation")]
    {
        let mut section = String::new();
        for e in changes.elements.iter().filter(|e| Audience::of(e.kind) == audience) {
            let named = Named { path: e.path.clone(), label: e.label.clone() };
            let _ =
                writeln!(section, "  {:<11}{} {}", e.verb(), e.kind.singular(), Text.named(&named));
            for part in render::details(&Text, e) {
                let _ = writeln!(section, "  {:<11}  {part}", "");
            }
        }
        if !section.is_empty() {
            let _ = write!(out, "\n{title}\n{section}");
        }
    }
    if !changes.traces.is_empty() {
        out.push_str("\nTraceability\n");
        let links = changes.traces.added.iter().map(|t| ("added", t));
        for (verb, t) in links.chain(changes.traces.removed.iter().map(|t| ("removed", t))) {
            let _ = writeln!(
                out,
                "  {verb:<11}{} → {}",
                Text.named(&t.touchpoint),
                Text.named(&t.activity)
            );
        }
    }
    let consequences = consequences(changes);
    if !consequences.is_empty() {
        let _ = write!(out, "\nConsequences\n{consequences}");
    }
    out
}

fn consequences(changes: &Changes) -> String {
    let mut out = String::new();
    let c = &changes.coverage;
    for (name, pair) in [("touchpoints traced", c.touchpoints), ("activities used", c.activities)] {
        if pair.changed() {
            let _ = writeln!(
                out,
                "  {name}: {} → {}",
                values::ratio(pair.old),
                values::ratio(pair.new)
            );
        }
    }
    let t = &changes.totals;
    let (as_is, to_be) = if changes.scenarios.len() > 1 {
        ("capabilities over capacity (as-is)", "capabilities over capacity (to-be)")
    } else {
        ("capabilities over capacity", "")
    };
    for (name, old, new) in [
        ("gaps", t.old.gaps, t.new.gaps),
        ("possible waste", t.old.waste, t.new.waste),
        ("hand-offs", t.old.handoffs, t.new.handoffs),
        (as_is, t.old.overloaded, t.new.overloaded),
        (to_be, t.old.overloaded_to_be, t.new.overloaded_to_be),
        ("errors", t.old.errors, t.new.errors),
        ("warnings", t.old.warnings, t.new.warnings),
        ("notes", t.old.notes, t.new.notes),
    ] {
        if old != new && !name.is_empty() {
            let _ = writeln!(out, "  {name}: {old} → {new}");
        }
    }
    for (title, list) in [
        ("new gaps", &changes.gaps.added),
        ("gaps closed", &changes.gaps.removed),
        ("new possible waste", &changes.waste.added),
        ("no longer waste", &changes.waste.removed),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|n| Text.named(n)).collect();
            let _ = writeln!(out, "  {title}: {}", items.join(", "));
        }
    }
    for h in &changes.handoffs {
        let (title, what) = render::handoff(&Text, h);
        let _ = writeln!(out, "  {title}: {what}");
    }
    let d = &changes.diagnostics;
    if !d.resolved.is_empty() && !changes.errors.new.is_empty() {
        let _ = writeln!(out, "  {}", render::RESOLVED_WITH_ERRORS);
    }
    for (verb, list) in [("introduced", &d.introduced), ("resolved", &d.resolved)] {
        for p in list {
            let _ = writeln!(out, "  {verb:<11}{}", problem(p));
        }
    }
    for p in &d.changed {
        let _ = writeln!(
            out,
            "  {:<11}{} at {}: {}: {} → {}: {}",
            "changed",
            p.new.code,
            Text.code(&p.new.place.to_string()),
            p.old.severity.as_str(),
            Text.message(&p.old.message),
            p.new.severity.as_str(),
            Text.message(&p.new.message),
        );
    }
    let ratio = |r: Option<Ratio>| r.map(values::ratio);
    for j in &c.journeys {
        let _ = writeln!(
            out,
            "  coverage of {}: touchpoints traced {}; mapped activities used {}",
            Text.named(&j.journey),
            render::pair(&j.touchpoints, ratio),
            render::pair(&j.activities, ratio),
        );
    }
    for u in &changes.utilisation {
        let _ = writeln!(
            out,
            "  utilisation of {}{}: {}; load {}; capacity {}",
            Text.named(&u.capability),
            // The scenario is named only when there is more than one.
            if changes.scenarios.len() > 1 {
                format!(" ({})", u.scenario.as_str())
            } else {
                String::new()
            },
            render::utilisation(&Text, &u.load),
            render::pair(&u.load, |l| l.map(|l| render::load(l.load, l))),
            render::pair(&u.load, |l| l.and_then(|l| l.capacity.map(|c| render::load(c, l)))),
        );
    }
    out
}

fn problem(p: &Problem) -> String {
    format!(
        "{} {} at {}: {}",
        p.severity.as_str(),
        p.code,
        Text.code(&p.place.to_string()),
        Text.message(&p.message)
    )
}

/// The text style of the shared phrases.
struct Text;

impl Style for Text {
    fn text(&self, s: &str) -> String {
        format!("\"{}\"", crate::text::visible(s))
    }

    fn code(&self, s: &str) -> String {
        crate::text::visible(s).into_owned()
    }

    fn message(&self, s: &str) -> String {
        crate::text::visible(s).into_owned()
    }

    fn strong(&self, s: &str) -> String {
        s.to_owned()
    }

    fn quoted(&self, s: &str) -> String {
        self.text(s)
    }

    fn named(&self, n: &Named) -> String {
        if render::says_more(n) {
            format!("{} {}", self.code(&n.path), self.text(&n.label))
        } else {
            self.code(&n.path)
        }
    }
}
