//! Importers: maps drawn in other tools turned into `.journey` text.
//!
//! An importer reads another tool's text into an [`Import`]: personas and journeys
//! whose ids are already chosen (slugged from their labels, unique where the
//! language needs them to be). [`Import::text`] and [`Import::files`] write it as
//! `.journey` text that checks without errors. What the other tool cannot express,
//! the traces from touchpoints to the work that serves them, is left for people to
//! add: until they do, `journey check` reports every touchpoint as a gap.
//!
//! Like the syntax layer, importers do no I/O: text in, [`Import`] or errors out.
//! [`write_new_files`] is the one function here that writes, for the command line.

mod mermaid;
mod text;
mod write;

pub use mermaid::{emotion as emotion_of_score, mermaid};
pub use text::{quote, slug};
pub use write::{NewFilesError, write_new_files};

use std::fmt::{self, Write as _};
use text::plain;

/// The name of the file that holds the personas, when an import is written as
/// files; no journey gets this id, so no journey's file takes its name.
pub const PERSONAS: &str = "personas";

/// The tool a map was imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Mermaid,
}

impl Tool {
    /// The name on the command line: `journey import mermaid`.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Mermaid => "mermaid",
        }
    }

    /// What the generated files say about the translation, as `//` comment lines.
    fn notes(self) -> &'static str {
        match self {
            Tool::Mermaid => concat!(
                "// Mermaid's scores 1 to 5 became emotions -3, -2, 0, +2 and +3, and its actors\n",
                "// became personas. Mermaid cannot say which work serves a touchpoint, so each\n",
                "// one is a gap for now: add `traces to` to the touchpoints (and `maps to` to\n",
                "// the stages), then run `journey check` to see what is left.\n",
            ),
        }
    }
}

/// Personas and journeys read from another tool, with their ids chosen.
#[derive(Clone, Debug)]
pub struct Import {
    /// Where the map came from (a path, or "standard input"), for the comments at
    /// the top of the generated files.
    pub origin: String,
    pub tool: Tool,
    pub personas: Vec<Persona>,
    pub journeys: Vec<Journey>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persona {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journey {
    pub id: String,
    /// `None` when the map had no title: the label is then the id.
    pub label: Option<String>,
    pub description: Option<String>,
    /// The line of the input where the journey starts, counted from 1.
    pub line: usize,
    /// Indexes into [`Import::personas`], in order of first appearance.
    pub personas: Vec<usize>,
    pub stages: Vec<Stage>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub id: String,
    /// `None` for the stage `main`, which holds what came before any stage.
    pub label: Option<String>,
    pub touchpoints: Vec<Touchpoint>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Touchpoint {
    pub id: String,
    pub label: String,
    /// −3…+3.
    pub emotion: i8,
    /// Indexes into [`Import::personas`]: who takes part at this touchpoint.
    pub actors: Vec<usize>,
}

impl Import {
    /// The whole import as one `.journey` text: a comment saying where it came
    /// from, the personas, then the journeys.
    pub fn text(&self) -> String {
        let mut out = format!(
            "// Imported by `journey import {}` from `{}`.\n",
            self.tool.name(),
            plain(&self.origin)
        );
        out.push_str(self.tool.notes());
        if !self.personas.is_empty() {
            out.push('\n');
            out.push_str(&self.personas_text());
        }
        for journey in &self.journeys {
            out.push('\n');
            if self.journeys.len() > 1 {
                let _ = writeln!(out, "// The diagram at line {}.", journey.line);
            }
            out.push_str(&self.journey_text(journey));
        }
        canonical(out)
    }

    /// The import as files, `(name, text)`: `personas.journey` when there are
    /// personas, then one `<journey-id>.journey` per journey.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        if !self.personas.is_empty() {
            let text = format!(
                "// Imported by `journey import {}` from `{}`: one persona for each\n\
                 // actor of its diagrams. Say who they are with a `///` doc comment.\n\n{}",
                self.tool.name(),
                plain(&self.origin),
                self.personas_text()
            );
            files.push((format!("{PERSONAS}.journey"), canonical(text)));
        }
        for journey in &self.journeys {
            let text = format!(
                "// Imported by `journey import {}` from `{}` (the diagram at line {}).\n{}\n{}",
                self.tool.name(),
                plain(&self.origin),
                journey.line,
                self.tool.notes(),
                self.journey_text(journey)
            );
            files.push((format!("{}.journey", journey.id), canonical(text)));
        }
        files
    }

    fn personas_text(&self) -> String {
        let mut out = String::new();
        for p in &self.personas {
            let _ = writeln!(out, "persona {} {}", p.id, quote(&p.label));
        }
        out
    }

    fn journey_text(&self, j: &Journey) -> String {
        let mut out = String::new();
        let _ = write!(out, "journey {}{}", j.id, label(j.label.as_deref()));
        if j.description.is_none() && j.personas.is_empty() && j.stages.is_empty() {
            out.push_str(" { }\n");
            return out;
        }
        out.push_str(" {\n");
        if let Some(d) = &j.description {
            let _ = writeln!(out, "  description {}", quote(d));
        }
        for &p in &j.personas {
            let _ = writeln!(out, "  persona {}", self.personas[p].id);
        }
        // Which actors take part is worth keeping when there is a choice.
        let several = j.personas.len() > 1;
        for (i, stage) in j.stages.iter().enumerate() {
            if i > 0 || j.description.is_some() || !j.personas.is_empty() {
                out.push('\n');
            }
            let _ = write!(out, "  stage {}{}", stage.id, label(stage.label.as_deref()));
            if stage.touchpoints.is_empty() {
                out.push_str(" { }\n");
                continue;
            }
            out.push_str(" {\n");
            for t in &stage.touchpoints {
                let _ = writeln!(out, "    touchpoint {} {} {{", t.id, quote(&t.label));
                let _ = writeln!(out, "      emotion {}", signed(t.emotion));
                if several && !t.actors.is_empty() {
                    let names: Vec<String> =
                        t.actors.iter().map(|&a| plain(&self.personas[a].label)).collect();
                    let _ = writeln!(out, "      // actors: {}", names.join(", "));
                }
                out.push_str("    }\n");
            }
            out.push_str("  }\n");
        }
        out.push_str("}\n");
        out
    }
}

/// ` "Label"` after an id, or nothing when the label is the id.
fn label(label: Option<&str>) -> String {
    label.map(|l| format!(" {}", quote(l))).unwrap_or_default()
}

/// An emotion as the examples write it: `-2`, `0`, `+2`.
fn signed(emotion: i8) -> String {
    if emotion > 0 { format!("+{emotion}") } else { emotion.to_string() }
}

/// Why an input could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// Where; `None` for a problem with the input as a whole (it is empty).
    pub at: Option<At>,
    pub message: String,
}

/// A place in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    /// Counted from 1.
    pub line: usize,
    /// Counted from 1, in characters.
    pub column: usize,
    /// How many characters the problem spans (0 when it is a whole line).
    pub width: usize,
    /// The text of the line, to show it.
    pub text: Option<String>,
}

/// How much of a long line is shown around the place of an error, in characters.
const SHOWN: usize = 100;

impl ImportError {
    /// The error as the command line prints it: `error: FILE:LINE:COLUMN: message`,
    /// then the line with the place underlined.
    pub fn render(&self, file: &str) -> String {
        let file = plain(file);
        let Some(at) = &self.at else {
            return format!("error: {file}: {}\n", self.message);
        };
        let Some(text) = &at.text else {
            return format!("error: {file}:{}: {}\n", at.line, self.message);
        };
        let mut out = format!("error: {file}:{}:{}: {}\n", at.line, at.column, self.message);
        // Tabs would move the underline, and control characters could drive the
        // terminal: each becomes one visible character.
        let chars: Vec<char> = text
            .chars()
            .map(|c| match c {
                '\t' => ' ',
                c if text::hidden(c) || c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect();
        let column = at.column.saturating_sub(1).min(chars.len());
        let from = column.saturating_sub(SHOWN / 2);
        let to = (from + SHOWN).min(chars.len());
        let mut line: String = chars[from..to].iter().collect();
        let mut indent = column - from;
        if from > 0 {
            line.insert(0, '…');
            indent += 1;
        }
        if to < chars.len() {
            line.push('…');
        }
        let width = at.width.clamp(1, (to.saturating_sub(column)).max(1));
        let gutter = " ".repeat(at.line.to_string().len());
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{} | {}", at.line, line.trim_end());
        let _ = writeln!(out, "{gutter} | {}{}", " ".repeat(indent), "^".repeat(width));
        out
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(At { line, column, text: Some(_), .. }) => {
                write!(f, "{line}:{column}: {}", self.message)
            }
            Some(At { line, .. }) => write!(f, "{line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// The text in `journey fmt`'s layout, so that an imported workspace passes
/// `journey fmt --check` from its first commit. The text always parses; should the
/// formatter refuse it anyway, it is kept as written.
fn canonical(text: String) -> String {
    crate::fmt::format(crate::source::FileId(0), &text).unwrap_or(text)
}
