//! Mermaid diagrams, so that maps render wherever Markdown renders Mermaid (GitHub,
//! GitLab, many wikis): a Markdown document with a `journey` diagram per journey
//! and a `flowchart` of the trace links.
//!
//! Source text never becomes Mermaid syntax. Mermaid reads entity codes such as
//! `#35;` before it parses any diagram, so every character that its grammars reserve
//! is written as a code: in `journey` diagrams, which have no quoting, and in
//! flowchart labels, which are quoted as well. Node ids are built from element
//! indexes, never from labels. Every replacement is listed in `docs/export.md`.

use super::Input;
use super::markdown;
use crate::model::{Emotion, Model};
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

/// Where a text lands in a `journey` diagram: each place reserves other characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Title,
    Section,
    Task,
    Actor,
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

/// Words that Mermaid's journey lexer reads as a keyword at the start of a task
/// line, whatever follows and in any case.
const TASK_KEYWORDS: [&str; 5] = ["journey", "title", "section", "acctitle", "accdescr"];

/// Text for a `journey` diagram. Mermaid's journey grammar has no quoting: `#`
/// starts a comment, `;` ends a statement, `:` separates a task from its score and
/// actors, `,` separates actors, `%%` starts a comment, a line ends the statement
/// and `<br>` breaks a line. Mermaid turns `#code;` into a character before it
/// parses any diagram, so those characters are written as entity codes (`#35;`,
/// `#59;`, `#58;`, `#44;`, `#37;`, `#lt;`, `#gt;`); see [`entity_safe`]. A line
/// break is `<br>` in a section or a task and a space elsewhere. A task that would
/// start with a keyword has its first letter written as a code.
fn journey_text(label: &str, id: &str, slot: Slot) -> String {
    let text = if label.trim().is_empty() { id } else { label.trim() };
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str(if matches!(slot, Slot::Section | Slot::Task) { "<br>" } else { " " });
            }
            '#' | ';' => code(&mut out, c),
            ':' if slot != Slot::Title => code(&mut out, c),
            ',' if slot == Slot::Actor => code(&mut out, c),
            '%' if chars.peek() == Some(&'%') => code(&mut out, c),
            c => entity_safe(&mut out, c),
        }
    }
    if slot == Slot::Task {
        let lower = out.to_ascii_lowercase();
        if TASK_KEYWORDS.iter().any(|k| lower.starts_with(k)) {
            // Keywords start with an ASCII letter, one byte long.
            let first = out.remove(0);
            out.insert_str(0, &format!("#{};", u32::from(first)));
        }
    }
    out
}

/// Writes a character as Mermaid's numeric entity code, `#35;` for `#`.
fn code(out: &mut String, c: char) {
    let _ = write!(out, "#{};", u32::from(c));
}

/// Writes a character that needs no code in its place, except those that Mermaid's
/// entity handling itself would change: `<` and `>` (`<br>` breaks a line, and
/// labels may be read as HTML), and `ﬂ` (U+FB02) and `¶`, which Mermaid uses to
/// mark the codes it has read. Control characters become spaces.
fn entity_safe(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("#lt;"),
        '>' => out.push_str("#gt;"),
        '\u{fb02}' | '\u{b6}' => code(out, c),
        c if c.is_control() => out.push(' '),
        c => out.push(c),
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

/// A flowchart label, to be written between double quotes. Inside quotes Mermaid
/// reads every character but `"`; before parsing, though, it turns `#code;` into
/// characters, renders labels as HTML, and reads a line holding `direction` and a
/// space as a direction statement. So `"`, `&`, `#`, `` ` ``, `%`, `\` and `:` are
/// written as entity codes (`#quot;`, `#amp;`, `#35;`, …) besides those of
/// [`entity_safe`], a space after `direction` as `#32;`, and a line break as `<br>`.
fn flow_label(label: &str, id: &str) -> String {
    let text = if label.trim().is_empty() { id } else { label.trim() };
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '#' | '`' | '%' | '\\' | ':' => code(&mut out, c),
            c if c.is_whitespace() && ends_with_direction(&out) => code(&mut out, c),
            c => entity_safe(&mut out, c),
        }
    }
    out
}

fn ends_with_direction(text: &str) -> bool {
    const WORD: &str = "direction";
    text.len() >= WORD.len()
        && text.is_char_boundary(text.len() - WORD.len())
        && text[text.len() - WORD.len()..].eq_ignore_ascii_case(WORD)
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

    #[test]
    fn journey_text_writes_what_the_grammar_reserves_as_codes() {
        assert_eq!(journey_text("a: b # c; d", "x", Slot::Task), "a#58; b #35; c#59; d");
        assert_eq!(journey_text("a: b", "x", Slot::Title), "a: b");
        assert_eq!(journey_text("Smith, Jo", "x", Slot::Actor), "Smith#44; Jo");
        assert_eq!(journey_text("Smith, Jo", "x", Slot::Task), "Smith, Jo");
        assert_eq!(journey_text(" two\nlines ", "x", Slot::Section), "two<br>lines");
        assert_eq!(journey_text("two\r\nlines", "x", Slot::Title), "two lines");
        assert_eq!(journey_text("a<br>b\tc", "x", Slot::Task), "a#lt;br#gt;b c");
        assert_eq!(journey_text("50%% off 5%", "x", Slot::Task), "50#37;% off 5%");
        assert_eq!(journey_text("  ", "fallback", Slot::Task), "fallback");
        assert_eq!(journey_text("Title deeds", "x", Slot::Task), "#84;itle deeds");
        assert_eq!(journey_text("journey", "x", Slot::Section), "journey");
    }

    #[test]
    fn flow_labels_use_entity_codes() {
        assert_eq!(flow_label("say \"hi\" & <b>", "x"), "say #quot;hi#quot; #amp; #lt;b#gt;");
        assert_eq!(flow_label("#1: 50%", "x"), "#35;1#58; 50#37;");
        assert_eq!(flow_label("a\nb", "x"), "a<br>b");
        assert_eq!(flow_label("set direction LR", "x"), "set direction#32;LR");
        assert_eq!(flow_label("", "id"), "id");
    }
}
