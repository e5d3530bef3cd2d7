//! A Markdown report for wikis: coverage, gaps, possible waste, hand-offs, the
//! capability heat map (as-is, and to-be beside it), the kpis and the warnings, as GitHub-flavoured Markdown tables.
//!
//! Source text never becomes markup: every label, message and file name goes
//! through [`document`], which shows it as written wherever it lands.

use super::Input;
use super::heat::Heat;
use super::rows::capability_tree;
use crate::model::{Load, Meta, Model, Rate, Ratio, Ref, TeamId};
use crate::text::markdown::document;
use crate::text::number::{grouped, percent};
use crate::text::{self, plural};
use std::fmt::Write as _;

/// Renders the report.
pub fn report(input: Input<'_>) -> String {
    report_with(input, None)
}

/// Renders the report with its pictures (`emit::svg::pictures`), which are in the
/// folder `folder`, relative to the report: each journey's blueprint and emotion
/// curve and the capability map, linked as images after the summary.
pub fn report_with_pictures(input: Input<'_>, folder: &str) -> String {
    report_with(input, Some(folder))
}

fn report_with(input: Input<'_>, pictures: Option<&str>) -> String {
    let mut out = String::from("# Journey report\n");
    let files: Vec<String> = input.files.iter().map(|f| document(f)).collect();
    let _ = writeln!(out, "\nFrom {}: {}.", plural(files.len(), "file", "files"), files.join(", "));
    summary(input, &mut out);
    if let Some(folder) = pictures {
        pictures_section(input, folder, &mut out);
    }
    coverage(input, &mut out);
    gaps(input, &mut out);
    waste(input, &mut out);
    handoffs(input, &mut out);
    heat(input, &mut out);
    kpis(input, &mut out);
    diagnostics(input, &mut out);
    out
}

/// An element's label, escaped; its id when the label is blank, so that no row is
/// left without a name.
pub(super) fn label(meta: &Meta) -> String {
    document(meta.name())
}

/// `20 of 24 (83%)`.
fn ratio(r: Ratio) -> String {
    format!("{} of {} ({})", r.count, r.total, percent(r.fraction()))
}

fn rate(r: Rate) -> String {
    format!("{} per {}", grouped(r.amount), r.period.as_str())
}

fn team(model: &Model, owner: Option<Ref<TeamId>>) -> String {
    owner.map_or_else(|| "—".to_owned(), |o| label(&model[o.target].meta))
}

fn summary(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let figures = &input.analysis.figures;
    let over = |loads: &[Load]| {
        loads.iter().filter(|l| l.utilisation().is_some_and(|u| u > 1.0)).count().to_string()
    };
    out.push_str("\n## Summary\n\n| Figure | Value |\n|---|---:|\n");
    for (label, value) in [
        ("Journeys", model.journeys.len().to_string()),
        ("Touchpoints", model.touchpoints.len().to_string()),
        ("Activities", model.activities.len().to_string()),
        ("Touchpoints traced", ratio(figures.coverage.touchpoints)),
        ("Activities used (not counting enabling ones)", ratio(figures.coverage.activities)),
        ("Gaps", figures.gaps.len().to_string()),
        ("Possible waste", figures.waste.len().to_string()),
        ("Hand-offs", figures.handoffs.len().to_string()),
        ("Capabilities over capacity", over(&figures.loads.as_is)),
    ] {
        let _ = writeln!(out, "| {label} | {value} |");
    }
    if let Some(to_be) = &figures.loads.to_be {
        let _ = writeln!(out, "| Capabilities over capacity in the to-be | {} |", over(to_be));
    }
}

/// The pictures, as images linked by relative paths, which Markdown renderers
/// (GitHub, GitLab, `MkDocs`, mdBook) resolve from the report's own folder.
fn pictures_section(input: Input<'_>, folder: &str, out: &mut String) {
    let model = &input.analysis.model;
    let names = super::svg::names_of(model);
    let link = |file: &str| text::markdown::destination(&format!("{folder}/{file}"));
    out.push_str("\n## Pictures\n");
    for (j, name) in model.journeys.iter().zip(&names.journeys) {
        let journey = label(&j.meta);
        let _ = writeln!(
            out,
            "\n### {journey}\n\n![Service blueprint of {journey}]({})\n\n![Emotion curve of {journey}]({})",
            link(&format!("{name}.svg")),
            link(&format!("{name}-emotion.svg")),
        );
    }
    let _ = writeln!(
        out,
        "\n### Capability map\n\n![Capability map]({})",
        link(super::svg::CAPABILITIES)
    );
}

fn coverage(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let figures = &input.analysis.figures;
    out.push_str(
        "\n## Coverage\n\n\
         *Touchpoints traced*: the journey's touchpoints with at least one `traces to`. \
         *Mapped activities used*: of the non-enabling activities in the value-stream \
         stages the journey's stages `maps to`, those its touchpoints trace to. A share \
         of nothing is 100%.\n\n\
         | Journey | Personas | State | Volume | Touchpoints traced | Mapped activities used | Gaps | Hand-offs |\n\
         |---|---|---|---:|---:|---:|---:|---:|\n",
    );
    for c in &figures.coverage.journeys {
        let journey = &model[c.journey];
        let personas: Vec<String> =
            journey.personas.iter().map(|p| label(&model[p.target].meta)).collect();
        let in_journey = |t: &crate::model::TouchpointId| model[*t].journey == c.journey;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            label(&journey.meta),
            if personas.is_empty() { "—".to_owned() } else { personas.join(", ") },
            journey.state.as_str(),
            journey.volume.map_or_else(|| "—".to_owned(), rate),
            ratio(c.touchpoints),
            ratio(c.activities),
            figures.gaps.iter().filter(|t| in_journey(t)).count(),
            figures.handoffs.iter().filter(|h| in_journey(&h.touchpoint)).count(),
        );
    }
}

fn gaps(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let gaps = &input.analysis.figures.gaps;
    out.push_str("\n## Gaps\n\nTouchpoints that trace to no activity: no part of the operation serves them.\n\n");
    if gaps.is_empty() {
        out.push_str("None: every touchpoint traces to an activity.\n");
        return;
    }
    out.push_str(
        "| Touchpoint | Journey | Stage | Moment of truth | Source |\n|---|---|---|---|---|\n",
    );
    for &t in gaps {
        let tp = &model[t];
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            label(&tp.meta),
            label(&model[tp.journey].meta),
            label(&model[tp.stage].meta),
            if tp.moment_of_truth.is_some() { "yes" } else { "" },
            document(&input.place(tp.meta.id_span)),
        );
    }
}

fn waste(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let waste = &input.analysis.figures.waste;
    out.push_str(
        "\n## Possible waste\n\nActivities that no touchpoint traces to and that are not marked \
         `enabling`.\n\n",
    );
    if waste.is_empty() {
        out.push_str("None: every activity serves a touchpoint or is enabling.\n");
        return;
    }
    out.push_str("| Activity | Value stream | Stage | Owner | Source |\n|---|---|---|---|---|\n");
    for &a in waste {
        let act = &model[a];
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            label(&act.meta),
            label(&model[act.stream].meta),
            label(&model[act.stage].meta),
            team(model, act.owner),
            document(&input.place(act.meta.id_span)),
        );
    }
}

fn handoffs(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let handoffs = &input.analysis.figures.handoffs;
    out.push_str(
        "\n## Hand-offs\n\nTouchpoints served by activities of two or more teams, with the teams \
         in the order the touchpoint reaches them.\n\n",
    );
    if handoffs.is_empty() {
        out.push_str("None: every touchpoint is served by one team at most.\n");
        return;
    }
    out.push_str("| Touchpoint | Journey | Stage | Teams |\n|---|---|---|---|\n");
    for h in handoffs {
        let tp = &model[h.touchpoint];
        let teams: Vec<String> = h.teams.iter().map(|&t| label(&model[t].meta)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            label(&tp.meta),
            label(&model[tp.journey].meta),
            label(&model[tp.stage].meta),
            teams.join(" → "),
        );
    }
}

fn heat(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let loads = &input.analysis.figures.loads;
    let formula = super::formula::Formula::of(loads.to_be.is_some());
    let _ = write!(
        out,
        "\n## Capability heat map\n\n> load_S(C) = {} {}\n\n",
        formula.definition, formula.scenarios
    );
    if loads.as_is.is_empty() {
        out.push_str("No capabilities are declared.\n");
        return;
    }
    let to_be = loads.to_be.as_deref();
    out.push_str(if to_be.is_some() {
        "| Capability | Owner | Capacity | As-is load | As-is utilisation | To-be load | \
         To-be utilisation | To-be status |\n|---|---|---:|---:|---:|---:|---:|---|\n"
    } else {
        "| Capability | Owner | Capacity | Load | Utilisation | Status |\n\
         |---|---|---:|---:|---:|---|\n"
    });
    // A figure with its period, as every load and capacity is read.
    let per =
        |amount: f64, load: &Load| format!("{} per {}", grouped(amount), load.period.as_str());
    let utilisation = |load: &Load| load.utilisation().map_or_else(|| "—".to_owned(), percent);
    for (c, depth) in capability_tree(model) {
        let cap = &model[c];
        let as_is = &loads.as_is[c.index()];
        // Children are marked `↳` and indented with no-break spaces, which tables keep.
        let tree = match depth {
            0 => String::new(),
            d => format!("{}↳ ", "\u{a0}\u{a0}\u{a0}".repeat(d - 1)),
        };
        let _ = write!(
            out,
            "| {tree}{} | {} | {} | {} | {} |",
            label(&cap.meta),
            team(model, cap.owner),
            as_is.capacity.map_or_else(|| "—".to_owned(), |c| per(c, as_is)),
            per(as_is.load, as_is),
            utilisation(as_is),
        );
        let shown = match to_be {
            Some(to_be) => {
                let load = &to_be[c.index()];
                let _ = write!(out, " {} | {} |", per(load.load, load), utilisation(load));
                load
            }
            None => as_is,
        };
        let _ = writeln!(out, " {} |", Heat::of(shown).words());
    }
}

fn kpis(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    out.push_str(
        "\n## KPIs\n\nEach kpi and metric with its target and current value; *met* and \
         *missed* compare them where both are typed in the same unit (spec §5b). A measured \
         value names the date of its measurement.\n\n",
    );
    let stages = model.vs_stages.iter().map(|s| (&s.meta, &model[s.stream].meta, &s.metrics[..]));
    let touchpoints =
        model.touchpoints.iter().map(|t| (&t.meta, &model[t.journey].meta, &t.metrics[..]));
    let mut rows = stages.chain(touchpoints).filter(|(_, _, m)| !m.is_empty()).peekable();
    if rows.peek().is_none() {
        out.push_str("None written.\n");
        return;
    }
    out.push_str("| KPI | Of | In | Target | Current | Status |\n|---|---|---|---|---|---|\n");
    for (owner, within, metrics) in rows {
        for m in metrics {
            let status = match (m.met(), &m.target, &m.current) {
                (Some(true), ..) => "met",
                (Some(false), ..) => "missed",
                (None, Some(_), Some(_)) => "not compared",
                _ => "—",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                document(&m.label),
                label(owner),
                label(within),
                m.target.as_ref().map_or_else(|| "—".to_owned(), |t| document(&t.written)),
                m.current.as_ref().map_or_else(
                    || "—".to_owned(),
                    |c| document(&format!("{}{}", c.written, c.when()))
                ),
                status,
            );
        }
    }
}

fn diagnostics(input: Input<'_>, out: &mut String) {
    let diagnostics = &input.analysis.diagnostics;
    out.push_str("\n## Warnings and notes\n\n");
    if diagnostics.is_empty() {
        out.push_str("None.\n");
        return;
    }
    out.push_str("| Severity | Code | Message | Help | Source |\n|---|---|---|---|---|\n");
    for d in diagnostics {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            d.severity.as_str(),
            d.code.as_str(),
            document(&text::message(&d.message)),
            d.help.as_deref().map_or_else(String::new, |h| document(&text::message(h))),
            document(&input.place(d.primary.span)),
        );
    }
}
