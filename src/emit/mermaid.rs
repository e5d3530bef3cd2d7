//! Mermaid diagrams, so that maps render wherever Markdown renders Mermaid (GitHub,
//! GitLab, many wikis): a Markdown document with a `journey` diagram per journey
//! and a `flowchart` of the trace links.
//!
//! Source text never becomes Mermaid syntax: labels are written by
//! [`crate::text::mermaid`], and node ids are built from element indexes, never
//! from labels.

use super::Input;
use super::markdown;
use crate::model::{Emotion, Model};
use crate::text::mermaid::{Slot, flow_label, journey_text};
use std::fmt::Write as _;

/// Renders the Mermaid document: Markdown with one ` ```mermaid ` block per journey,
/// then one for the trace links.
pub fn document(input: Input<'_>) -> String {
    let model = &input.analysis.model;
    let mut out = String::from("# Journey maps\n");
    for journey in &model.journeys {
        let _ = write!(out, "\n## {}\n\n```mermaid\n", markdown::label(&journey.meta));
        journey_diagram(model, journey, &mut out);
        out.push_str("```\n");
    }
    out.push_str("\n## Trace links\n\n");
    out.push_str(
        "Touchpoints (left) and the value-stream activities they trace to (right). A \
         touchpoint with a dashed red border traces to nothing (a gap); an activity with \
         a dashed grey border serves no touchpoint (possible waste).\n\n```mermaid\n",
    );
    flowchart(input, &mut out);
    out.push_str("```\n");
    out
}

/// A customer's emotion (−3…+3) as a Mermaid journey score (1…5):
/// round(3 + emotion × 2/3), so −3 → 1, −2 and −1 → 2, 0 → 3, +1 and +2 → 4,
/// +3 → 5. A touchpoint without an emotion is neutral, 3.
pub fn score(emotion: Option<Emotion>) -> u8 {
    match emotion.map_or(0, Emotion::value) {
        i8::MIN..=-3 => 1,
        -2..=-1 => 2,
        0 => 3,
        1..=2 => 4,
        3..=i8::MAX => 5,
    }
}

fn journey_diagram(model: &Model, journey: &crate::model::Journey, out: &mut String) {
    let actors: Vec<String> = journey
        .personas
        .iter()
        .map(|p| {
            let meta = &model[p.target].meta;
            journey_text(&meta.label, &meta.id, Slot::Actor)
        })
        .collect();
    let actors = actors.join(", ");
    out.push_str("journey\n");
    let _ = writeln!(
        out,
        "  title {}",
        journey_text(&journey.meta.label, &journey.meta.id, Slot::Title)
    );
    for &stage in &journey.stages {
        let stage = &model[stage];
        let _ = writeln!(
            out,
            "  section {}",
            journey_text(&stage.meta.label, &stage.meta.id, Slot::Section)
        );
        for &t in &stage.touchpoints {
            let t = &model[t];
            let name = journey_text(&t.meta.label, &t.meta.id, Slot::Task);
            let score = score(t.emotion);
            if actors.is_empty() {
                let _ = writeln!(out, "    {name}: {score}");
            } else {
                let _ = writeln!(out, "    {name}: {score}: {actors}");
            }
        }
    }
}

fn flowchart(input: Input<'_>, out: &mut String) {
    let model = &input.analysis.model;
    let figures = &input.analysis.figures;
    out.push_str("flowchart LR\n");
    for (j, journey) in model.journeys.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph j{j} [\"{}\"]",
            flow_label(&journey.meta.label, &journey.meta.id)
        );
        for &stage in &journey.stages {
            let st = &model[stage];
            let _ = writeln!(
                out,
                "    subgraph js{} [\"{}\"]",
                stage.index(),
                flow_label(&st.meta.label, &st.meta.id)
            );
            for &t in &st.touchpoints {
                let tp = &model[t];
                let _ = writeln!(
                    out,
                    "      tp{}[\"{}\"]",
                    t.index(),
                    flow_label(&tp.meta.label, &tp.meta.id)
                );
            }
            out.push_str("    end\n");
        }
        out.push_str("  end\n");
    }
    for (s, stream) in model.streams.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph st{s} [\"{}\"]",
            flow_label(&stream.meta.label, &stream.meta.id)
        );
        for &stage in &stream.stages {
            let st = &model[stage];
            let _ = writeln!(
                out,
                "    subgraph ss{} [\"{}\"]",
                stage.index(),
                flow_label(&st.meta.label, &st.meta.id)
            );
            for &a in &st.activities {
                let act = &model[a];
                let _ = writeln!(
                    out,
                    "      ac{}[\"{}\"]",
                    a.index(),
                    flow_label(&act.meta.label, &act.meta.id)
                );
            }
            out.push_str("    end\n");
        }
        out.push_str("  end\n");
    }
    for trace in &model.traces {
        let _ = writeln!(out, "  tp{} --> ac{}", trace.touchpoint.index(), trace.activity.index());
    }
    // No `;` on these lines: Mermaid's entity pre-pass rewrites a `classDef` line
    // with a `#` colour that ends in `;`.
    if !figures.gaps.is_empty() {
        out.push_str("  classDef gap stroke:#b42318,stroke-width:2px,stroke-dasharray:5 5\n");
        let ids: Vec<String> = figures.gaps.iter().map(|t| format!("tp{}", t.index())).collect();
        let _ = writeln!(out, "  class {} gap", ids.join(","));
    }
    if !figures.waste.is_empty() {
        out.push_str("  classDef waste stroke:#6b7280,stroke-width:2px,stroke-dasharray:2 4\n");
        let ids: Vec<String> = figures.waste.iter().map(|a| format!("ac{}", a.index())).collect();
        let _ = writeln!(out, "  class {} waste", ids.join(","));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emotions_map_onto_scores() {
        let scores: Vec<u8> = (-3..=3).map(|e| score(Emotion::new(e))).collect();
        assert_eq!(scores, [1, 2, 2, 3, 4, 4, 5]);
        assert_eq!(score(None), 3);
    }
}
