//! The Markdown report: a pull-request comment that says what a change does to the
//! customer's journey and to the organisation's operations.
//!
//! Every piece of source text (labels, pains, messages, file names) is escaped for
//! a GitHub comment ([`crate::text::markdown::comment`]), so that a label can neither
//! add markup, nor mention a person or an issue, nor break a table. Ids and qualified names are shown as
//! code: the grammar limits them to letters, digits, `_` and `-`.

use super::changes::{Audience, Changes, ElementChange, Named, Pair, Problem, Status};
use super::render::{self, Style, says_more};
use crate::model::Ratio;
use crate::model::written as values;
use crate::text::markdown::{comment, fits_code_span};
use crate::text::plural;
use std::fmt::Write as _;

/// The first line of the comment: lets a CI job find the comment it posted before
/// and update it instead of adding another.
pub const MARKER: &str = "<!-- journey-diff -->";

/// Tables longer than this fold into a `<details>` block.
const FOLD: usize = 10;

/// Errors listed in the banner before "and N more".
const ERRORS_SHOWN: usize = 20;

/// Renders the changes as a Markdown document ending with a newline.
pub fn markdown(changes: &Changes) -> String {
    let mut out = String::new();
    out.push_str(MARKER);
    out.push_str("\n## journey diff\n\n");
    if changes.is_empty() {
        out.push_str("**No changes** to the journeys, the value streams or their figures.\n");
    } else {
        let summary = render::capitalise(&changes.summary().join(", "));
        // The summary is made of counts and words of ours: nothing to escape.
        let _ = writeln!(out, "**{summary}**");
    }
    errors(&mut out, changes);
    if changes.is_empty() {
        return out;
    }
    for (audience, title) in
        [(Audience::Customer, "For the customer"), (Audience::Operation, "For the operation")]
    {
        let rows: Vec<Vec<String>> = changes
            .elements
            .iter()
            .filter(|e| Audience::of(e.kind) == audience)
            .map(|e| vec![verb(e), element(e), render::details(&Markdown, e).join("<br>")])
            .collect();
        if !rows.is_empty() {
            let _ = write!(out, "\n### {title}\n\n");
            table(&mut out, &["Change", "Element", "Details"], rows, "element changes");
        }
    }
    if !changes.traces.is_empty() {
        out.push_str("\n### Traceability\n\n");
        out.push_str("Links from touchpoints (`traces to`) to the activities that serve them.\n\n");
        let rows = changes
            .traces
            .added
            .iter()
            .map(|t| ("**added**", t))
            .chain(changes.traces.removed.iter().map(|t| ("**removed**", t)))
            .map(|(verb, t)| vec![verb.to_owned(), cell(&t.touchpoint), cell(&t.activity)])
            .collect();
        table(&mut out, &["Change", "Touchpoint", "Activity"], rows, "trace links");
    }
    consequences(&mut out, changes);
    out
}

/// The banners for versions with errors: their figures are incomplete.
fn errors(out: &mut String, changes: &Changes) {
    let Pair { old, new } = &changes.errors;
    if !new.is_empty() {
        let _ = write!(
            out,
            "\n> [!CAUTION]\n> **The new version has {}.** Its figures are incomplete until {} fixed.\n>\n",
            plural(new.len(), "error", "errors"),
            if new.len() == 1 { "it is" } else { "they are" },
        );
        for p in new.iter().take(ERRORS_SHOWN) {
            let _ = writeln!(
                out,
                "> - {} at {}: {}",
                code(p.code.as_str()),
                code(&p.place.to_string()),
                message(&p.message)
            );
        }
        if new.len() > ERRORS_SHOWN {
            let _ = writeln!(out, "> - and {} more", new.len() - ERRORS_SHOWN);
        }
    }
    if !old.is_empty() {
        let _ = writeln!(
            out,
            "\n> [!NOTE]\n> The old version has {}, so figures compared with it may be incomplete.",
            plural(old.len(), "error", "errors"),
        );
    }
}

fn consequences(out: &mut String, changes: &Changes) {
    let mut parts: Vec<String> = Vec::new();
    let t = &changes.totals;
    let c = &changes.coverage;
    let mut rows = Vec::new();
    let (as_is, to_be) = if changes.scenarios.len() > 1 {
        ("Capabilities over capacity (as-is)", "Capabilities over capacity (to-be)")
    } else {
        ("Capabilities over capacity", "")
    };
    for (name, pair) in [("Touchpoints traced", c.touchpoints), ("Activities used", c.activities)] {
        if pair.changed() {
            rows.push(vec![name.to_owned(), values::ratio(pair.old), values::ratio(pair.new)]);
        }
    }
    for (name, old, new) in [
        ("Gaps", t.old.gaps, t.new.gaps),
        ("Possible waste", t.old.waste, t.new.waste),
        ("Hand-offs", t.old.handoffs, t.new.handoffs),
        (as_is, t.old.overloaded, t.new.overloaded),
        (to_be, t.old.overloaded_to_be, t.new.overloaded_to_be),
        ("Errors", t.old.errors, t.new.errors),
        ("Warnings", t.old.warnings, t.new.warnings),
        ("Notes", t.old.notes, t.new.notes),
    ] {
        if old != new && !name.is_empty() {
            rows.push(vec![name.to_owned(), old.to_string(), new.to_string()]);
        }
    }
    if !rows.is_empty() {
        let mut body = String::new();
        table(&mut body, &["Figure", "Before", "After"], rows, "figures");
        parts.push(body);
    }

    let mut lines = Vec::new();
    for (title, list) in [
        ("New gaps:", &changes.gaps.added),
        ("Gaps closed:", &changes.gaps.removed),
        ("New possible waste:", &changes.waste.added),
        ("No longer waste:", &changes.waste.removed),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|n| Markdown.named(n)).collect();
            lines.push(format!("- **{title}** {}\n", items.join(", ")));
        }
    }
    for h in &changes.handoffs {
        let (title, what) = render::handoff(&Markdown, h);
        lines.push(format!("- **{}:** {what}\n", render::capitalise(title)));
    }
    if !lines.is_empty() {
        parts.push(lines.concat());
    }

    let d = &changes.diagnostics;
    for (title, list, resolved) in [
        ("Diagnostics introduced", &d.introduced, false),
        ("Diagnostics resolved", &d.resolved, true),
    ] {
        if !list.is_empty() {
            let mut body = format!("**{title}**\n\n");
            if resolved && !changes.errors.new.is_empty() {
                body.push_str(render::RESOLVED_WITH_ERRORS);
                body.push_str("\n\n");
            }
            let rows = list.iter().map(problem_row).collect();
            table(&mut body, &["Severity", "Code", "Where", "Message"], rows, "diagnostics");
            parts.push(body);
        }
    }
    if !d.changed.is_empty() {
        let mut body = "**Diagnostics changed**\n\n".to_owned();
        let rows = d
            .changed
            .iter()
            .map(|p| {
                vec![
                    code(p.new.code.as_str()),
                    code(&p.new.place.to_string()),
                    format!("{}: {}", p.old.severity.as_str(), message(&p.old.message)),
                    format!("{}: {}", p.new.severity.as_str(), message(&p.new.message)),
                ]
            })
            .collect();
        table(&mut body, &["Code", "Where", "Before", "After"], rows, "diagnostics");
        parts.push(body);
    }

    if !c.journeys.is_empty() {
        let mut body = "**Coverage by journey**\n\n".to_owned();
        let ratio = |r: Option<Ratio>| r.map(values::ratio);
        let rows = c
            .journeys
            .iter()
            .map(|j| {
                vec![
                    cell(&j.journey),
                    render::pair(&j.touchpoints, ratio),
                    render::pair(&j.activities, ratio),
                ]
            })
            .collect();
        let header = ["Journey", "Touchpoints traced", "Mapped activities used"];
        table(&mut body, &header, rows, "journeys");
        parts.push(body);
    }

    if !changes.utilisation.is_empty() {
        let mut body = "**Capability utilisation**\n\n".to_owned();
        let rows = changes
            .utilisation
            .iter()
            .map(|u| {
                let mut row = vec![cell(&u.capability)];
                // The scenario is named only when there is more than one.
                if changes.scenarios.len() > 1 {
                    row.push(u.scenario.as_str().to_owned());
                }
                row.extend([
                    render::pair(&u.load, |l| l.map(|l| render::load(l.load, l))),
                    render::pair(&u.load, |l| {
                        l.and_then(|l| l.capacity.map(|c| render::load(c, l)))
                    }),
                    render::utilisation(&Markdown, &u.load),
                ]);
                row
            })
            .collect();
        let header: &[&str] = if changes.scenarios.len() > 1 {
            &["Capability", "Scenario", "Load", "Capacity", "Utilisation"]
        } else {
            &["Capability", "Load", "Capacity", "Utilisation"]
        };
        table(&mut body, header, rows, "capabilities");
        parts.push(body);
    }

    if !parts.is_empty() {
        out.push_str("\n### Consequences\n\n");
        out.push_str(&parts.join("\n"));
    }
}

fn problem_row(p: &Problem) -> Vec<String> {
    vec![
        p.severity.as_str().to_owned(),
        code(p.code.as_str()),
        code(&p.place.to_string()),
        message(&p.message),
    ]
}

fn verb(e: &ElementChange) -> String {
    match e.status {
        Status::Added | Status::Removed => format!("**{}**", e.verb()),
        Status::Changed => e.verb().to_owned(),
    }
}

/// The element's kind, qualified name and label.
fn element(e: &ElementChange) -> String {
    let named = Named { path: e.path.clone(), label: e.label.clone() };
    format!("{} {}", e.kind.singular(), cell(&named))
}

/// An element in a table cell: the qualified name, and the label below it.
fn cell(n: &Named) -> String {
    if says_more(n) { format!("{}<br>{}", code(&n.path), comment(&n.label)) } else { code(&n.path) }
}

/// A table, folded into `<details>` when it is long.
fn table(out: &mut String, header: &[&str], rows: Vec<Vec<String>>, what: &str) {
    let fold = rows.len() > FOLD;
    if fold {
        let _ = write!(out, "<details><summary>{} {what}</summary>\n\n", rows.len());
    }
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    if fold {
        out.push_str("\n</details>\n");
    }
}

/// The Markdown style of the shared phrases.
struct Markdown;

impl Style for Markdown {
    fn text(&self, s: &str) -> String {
        comment(s)
    }

    fn code(&self, s: &str) -> String {
        code(s)
    }

    fn message(&self, s: &str) -> String {
        message(s)
    }

    fn strong(&self, s: &str) -> String {
        format!("**{s}**")
    }

    fn quoted(&self, s: &str) -> String {
        format!("“{}”", comment(s))
    }
}

/// An id or qualified name as code; other text, escaped, when it could not be.
fn code(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:/, ".contains(c)) {
        format!("`{s}`")
    } else {
        comment(s)
    }
}

/// A diagnostic message: the parts it quotes in backticks as code, the rest as
/// text. A quoted part is source text, so it is code only when nothing in it can
/// end the code span or the table cell.
fn message(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        return comment(s);
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(&comment(part));
        } else if fits_code_span(part) {
            let _ = write!(out, "`{part}`");
        } else {
            let _ = write!(out, "\\`{}\\`", comment(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_code() {
        assert_eq!(message("touchpoint `a` traces"), "touchpoint `a` traces");
        assert_eq!(message("found `<x|y>`"), "found \\`&lt;x\\|y&gt;\\`");
        assert_eq!(message("odd ` tick"), "odd \\` tick");
    }
}
