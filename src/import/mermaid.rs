//! Mermaid user-journey diagrams: `journey`, `title`, `section` and task lines
//! `Task name: 5: Me, Cat`, on their own or in the ```` ```mermaid ```` blocks of a
//! Markdown file.
//!
//! The syntax followed is Mermaid's own (its `journey.jison` lexer and grammar):
//!
//! * Keywords are case-insensitive. Indentation and blank lines do not matter.
//! * A line whose first non-blank characters are `%%` is a comment; this includes
//!   `%%{init: …}%%` directives. A `#` starts a comment that runs to the end of the
//!   line, except in an entity code (`#35;`, `#quot;`), which stands for a character.
//! * `accTitle: …` and `accDescr: …` (or `accDescr { … }` over several lines) take
//!   the rest of the line, comments and all.
//! * Front matter (`---` lines) before the diagram may give a `title:`.
//! * `;` is not allowed (Mermaid's lexer has no token for it).
//!
//! Where Mermaid would silently lose something (a second `title`, a third `:` on a
//! task line, a score that is not a whole number from 1 to 5), the import stops
//! with an error instead of guessing.

use super::text::Ids;
use super::{At, Import, ImportError, Journey, Persona, Stage, Tool, Touchpoint};
use std::collections::BTreeMap;

/// Reads a Mermaid user-journey diagram, or every ```` ```mermaid ```` block of a
/// Markdown text that holds a `journey` diagram (other diagrams are skipped), into
/// personas and journeys with their ids chosen. `origin` names the input in the
/// comments of the generated files. Either every journey is read, or the errors
/// say why not, in line order.
pub fn mermaid(text: &str, origin: &str) -> Result<Import, Vec<ImportError>> {
    let lines = lines(text);
    let mut errors = Vec::new();
    let mut diagrams = Vec::new();
    match mermaid_blocks(&lines) {
        // Markdown: only the blocks holding a journey diagram count.
        Some(blocks) => {
            let total = blocks.len();
            for block in blocks {
                let mut reader = Reader::default();
                if reader.read(block, false) {
                    errors.append(&mut reader.errors);
                    diagrams.push(reader.diagram);
                }
            }
            if diagrams.is_empty() && errors.is_empty() {
                errors.push(ImportError::whole(if total == 1 {
                    "its ```mermaid block is not a `journey` diagram".to_owned()
                } else {
                    format!("none of its {total} ```mermaid blocks is a `journey` diagram")
                }));
            }
        }
        None => {
            if text.trim().is_empty() {
                errors.push(ImportError::whole(
                    "it is empty: expected a Mermaid `journey` diagram".to_owned(),
                ));
            } else {
                let mut reader = Reader::default();
                reader.read(&lines, true);
                errors.append(&mut reader.errors);
                diagrams.push(reader.diagram);
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.at.as_ref().map(|at| (at.line, at.column)));
        return Err(errors);
    }
    Ok(assign_ids(diagrams, origin))
}

/// One line of the input, without its line break.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Counted from 1.
    number: usize,
    text: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(i, l)| Line { number: i + 1, text: l.strip_suffix('\r').unwrap_or(l) })
        .collect()
}

/// The contents of the ```` ```mermaid ```` fenced blocks, if the text has any (it
/// is then Markdown). Fences follow `CommonMark`: three or more backticks or tildes,
/// closed by a line of at least as many of the same character; a block left open
/// runs to the end. Blocks of other languages are skipped whole, so a ```` ```mermaid ````
/// shown inside a longer fence is not a diagram.
fn mermaid_blocks<'a, 'b>(lines: &'b [Line<'a>]) -> Option<Vec<&'b [Line<'a>]>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((fence, length, info)) = fence_open(lines[i].text) else {
            i += 1;
            continue;
        };
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !fence_closes(lines[end].text, fence, length) {
            end += 1;
        }
        if info.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("mermaid")) {
            blocks.push(&lines[start..end]);
        }
        i = end + 1;
    }
    (!blocks.is_empty()).then_some(blocks)
}

/// A fence's character, length and info string, if the line opens a fenced block.
fn fence_open(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start();
    let fence = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let length = t.chars().take_while(|&c| c == fence).count();
    let info = t[length..].trim();
    (length >= 3 && !(fence == '`' && info.contains('`'))).then_some((fence, length, info))
}

fn fence_closes(line: &str, fence: char, length: usize) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == fence) && t.chars().count() >= length
}

/// A diagram as written, before ids are chosen.
#[derive(Default)]
struct Diagram {
    /// The line of the `journey` keyword.
    line: usize,
    /// The `title`, with the line it is on.
    title: Option<(String, usize)>,
    /// The front matter's `title:`, used when there is no `title` line.
    front_title: Option<String>,
    /// `accTitle`, used when there is no other title.
    acc_title: Option<String>,
    /// `accDescr`, with the line it starts on.
    description: Option<(String, usize)>,
    sections: Vec<Section>,
}

struct Section {
    /// `None` for the tasks written before any `section`.
    name: Option<String>,
    tasks: Vec<Task>,
}

struct Task {
    name: String,
    score: u8,
    actors: Vec<String>,
}

/// Reads one diagram's lines into a [`Diagram`], collecting errors.
#[derive(Default)]
struct Reader {
    diagram: Diagram,
    errors: Vec<ImportError>,
    /// An `accDescr {` block is open: the line it started on and its lines so far.
    open_description: Option<(usize, Vec<String>)>,
}

impl Reader {
    /// Reads the lines of a diagram. Returns whether they are a `journey` diagram;
    /// when `required`, text that is not one is an error, otherwise it is skipped.
    fn read(&mut self, lines: &[Line], required: bool) -> bool {
        let body = self.front_matter(lines);
        if !self.errors.is_empty() {
            return required;
        }
        let Some(first) = body.iter().position(|l| !skipped(l.text)) else {
            if required {
                self.errors.push(ImportError::whole(
                    "it has no diagram: expected a Mermaid `journey` diagram".to_owned(),
                ));
            }
            return false;
        };
        let line = body[first];
        let t = line.text.trim_start();
        let Some(rest) = keyword(t, "journey") else {
            if required {
                let word = t.split_whitespace().next().unwrap_or(t);
                self.error(
                    line,
                    word,
                    format!(
                        "expected `journey`, found `{}`: this is not a Mermaid user-journey diagram, nor Markdown with a ```mermaid block",
                        shown(word)
                    ),
                );
            }
            return false;
        };
        self.diagram.line = line.number;
        // What follows `journey` on its line is read as Mermaid does: as the next
        // statement, or a comment.
        if !skipped(rest) {
            self.statement(line, rest.trim_start());
        }
        for &line in &body[first + 1..] {
            self.line(line);
        }
        if let Some((start, _)) = self.open_description.take() {
            self.errors.push(ImportError::at_line(
                start,
                "the `accDescr {` block that starts here has no closing `}`".to_owned(),
            ));
        }
        true
    }

    /// Skips front matter (`---` lines) at the start, keeping its `title:`, and
    /// returns the lines after it.
    fn front_matter<'a, 'b>(&mut self, lines: &'b [Line<'a>]) -> &'b [Line<'a>] {
        let Some(open) = lines.iter().position(|l| !l.text.trim().is_empty()) else {
            return lines;
        };
        if lines[open].text.trim() != "---" {
            return lines;
        }
        let Some(close) = lines[open + 1..].iter().position(|l| l.text.trim() == "---") else {
            self.error(
                lines[open],
                lines[open].text.trim(),
                "the front matter that starts here has no closing `---`".to_owned(),
            );
            return &[];
        };
        let close = open + 1 + close;
        for l in &lines[open + 1..close] {
            if let Some(value) = l.text.strip_prefix("title:") {
                self.diagram.front_title = Some(unquote_yaml(value.trim()));
            }
        }
        &lines[close + 1..]
    }

    fn line(&mut self, line: Line) {
        let t = line.text.trim_start();
        if let Some((start, mut parts)) = self.open_description.take() {
            if let Some(end) = t.find('}') {
                parts.push(t[..end].trim().to_owned());
                self.describe(start, &parts);
                let rest = t[end + 1..].trim_start();
                if !skipped(rest) {
                    self.statement(line, rest);
                }
            } else {
                parts.push(t.trim().to_owned());
                self.open_description = Some((start, parts));
            }
            return;
        }
        if !skipped(t) {
            self.statement(line, t);
        }
    }

    /// Reads the statements of a line: `t` is a slice of `line.text` that starts
    /// with the first. A line holds one statement, except that an `accDescr { … }`
    /// closed on its line may be followed by another.
    fn statement(&mut self, line: Line, t: &str) {
        let mut next = Some(t);
        while let Some(t) = next {
            next = self.one_statement(line, t);
        }
    }

    /// Reads one statement, and returns the rest of the line if it holds another.
    fn one_statement<'a>(&mut self, line: Line, t: &'a str) -> Option<&'a str> {
        // accTitle and accDescr take the rest of the line as it is.
        if let Some(rest) = acc_keyword(t, "accTitle") {
            if let Some(value) = rest.trim_start().strip_prefix(':') {
                self.diagram.acc_title = Some(label(value.trim()));
                return None;
            }
        }
        if let Some(rest) = acc_keyword(t, "accDescr") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix(':') {
                self.describe(line.number, &[value.trim().to_owned()]);
                return None;
            }
            if let Some(value) = rest.strip_prefix('{') {
                // The rest of the line is the block's first line, and may close it.
                let value = value.trim_start();
                let Some(end) = value.find('}') else {
                    self.open_description = Some((line.number, vec![value.trim().to_owned()]));
                    return None;
                };
                self.describe(line.number, &[value[..end].trim().to_owned()]);
                let after = value[end + 1..].trim_start();
                return (!skipped(after)).then_some(after);
            }
        }

        let content = self.content(line, t);
        if content.is_empty() {
            return None;
        }
        if let Some(rest) = keyword(content, "title") {
            self.title(line, content, rest);
        } else if let Some(rest) = keyword(content, "section") {
            self.section(line, content, rest);
        } else if keyword(content, "journey").is_some_and(|rest| rest.trim().is_empty()) {
            self.error(
                line,
                content,
                "a diagram has one `journey` line; in Markdown, put each diagram in its own ```mermaid block".to_owned(),
            );
        } else {
            self.task(line, content);
        }
        None
    }

    /// The statement without its `#` comment, trimmed at the end; a `;` in it is
    /// reported.
    fn content<'a>(&mut self, line: Line, t: &'a str) -> &'a str {
        let mut end = t.len();
        let mut rest = t;
        while let Some(at) = rest.find(['#', ';']) {
            let offset = t.len() - rest.len() + at;
            if t[offset..].starts_with(';') {
                // The rest of the statement is not read: one error per line is enough.
                self.error(
                    line,
                    &t[offset..=offset],
                    "Mermaid does not allow `;` in a journey diagram; write `#59;` for a semicolon"
                        .to_owned(),
                );
                return "";
            } else if let Some(length) = entity_length(&t[offset..]) {
                rest = &t[offset + length..];
            } else {
                end = offset;
                break;
            }
        }
        t[..end].trim_end()
    }

    fn title(&mut self, line: Line, content: &str, rest: &str) {
        let text = rest.trim();
        if text.is_empty() {
            self.error(line, content, "expected the journey's title after `title`".to_owned());
        } else if let Some((_, first)) = &self.diagram.title {
            let first = *first;
            self.error(
                line,
                content,
                format!(
                    "a diagram has one title, and this is a second (the first is on line {first}); Mermaid reads every line that starts with the word `title` as the title"
                ),
            );
        } else {
            self.diagram.title = Some((label(text), line.number));
        }
    }

    fn section(&mut self, line: Line, content: &str, rest: &str) {
        let name = rest.trim();
        if name.is_empty() {
            self.error(line, content, "expected the section's name after `section`".to_owned());
        } else if let Some(colon) = name.find(':') {
            self.error(
                line,
                &name[colon..=colon],
                "a section's name cannot contain `:`; Mermaid reads every line that starts with the word `section` as a section (write `#58;` for a colon)".to_owned(),
            );
        } else {
            self.diagram.sections.push(Section { name: Some(label(name)), tasks: Vec::new() });
        }
    }

    /// `Task name: score` or `Task name: score: actor, actor`.
    fn task(&mut self, line: Line, content: &str) {
        let Some(colon) = content.find(':') else {
            self.error(
                line,
                content,
                format!(
                    "expected `:` and a score after the task `{}`, as in `Make tea: 5: Me`",
                    shown(content)
                ),
            );
            return;
        };
        let name = content[..colon].trim();
        if name.is_empty() {
            self.error(line, &content[colon..=colon], "expected a task name before `:`".to_owned());
            return;
        }
        let data = &content[colon + 1..];
        let mut parts = data.split(':');
        let score_text = parts.next().unwrap_or("");
        let actors_text = parts.next();
        if parts.next().is_some() {
            let third = colon + 1 + score_text.len() + 1 + actors_text.map_or(0, str::len);
            self.error(
                line,
                &content[third..=third],
                "unexpected `:`: a task is `name: score` or `name: score: actors` (write `#58;` for a colon)".to_owned(),
            );
            return;
        }
        let Some(score) = self.score(line, content, colon, score_text) else { return };
        let actors = actors_text
            .into_iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(label)
            .collect();
        let task = Task { name: label(name), score, actors };
        match self.diagram.sections.last_mut() {
            Some(section) => section.tasks.push(task),
            None => self.diagram.sections.push(Section { name: None, tasks: vec![task] }),
        }
    }

    fn score(&mut self, line: Line, content: &str, colon: usize, text: &str) -> Option<u8> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.error(
                line,
                &content[colon..=colon],
                "expected a score from 1 to 5 after `:`".to_owned(),
            );
            return None;
        }
        let score = Some(trimmed)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|s| (1..=5).contains(s));
        if let Some(s) = score {
            u8::try_from(s).ok()
        } else {
            self.error(
                line,
                trimmed,
                format!("the score must be a whole number from 1 to 5, found `{}`", shown(trimmed)),
            );
            None
        }
    }

    fn describe(&mut self, start: usize, parts: &[String]) {
        let text: Vec<&str> = parts.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
        if let Some((_, first)) = &self.diagram.description {
            let first = *first;
            self.errors.push(ImportError::at_line(
                start,
                format!(
                    "a diagram has one `accDescr`, and this is a second (the first is on line {first})"
                ),
            ));
        } else {
            self.diagram.description = Some((label(&text.join("\n")), start));
        }
    }

    /// Records an error about `part`, a slice of `line.text`.
    fn error(&mut self, line: Line, part: &str, message: String) {
        let start = (part.as_ptr() as usize).saturating_sub(line.text.as_ptr() as usize);
        let start = start.min(line.text.len());
        let end = (start + part.len()).min(line.text.len());
        self.errors.push(ImportError::at(line.number, line.text, start..end, message));
    }
}

/// Blank lines and `%%` comment lines.
fn skipped(t: &str) -> bool {
    let t = t.trim_start();
    t.is_empty() || t.starts_with("%%")
}

/// If `t` starts with the keyword (any case) followed by whitespace or the end,
/// the text after the keyword.
fn keyword<'a>(t: &'a str, word: &str) -> Option<&'a str> {
    let head = t.get(..word.len())?;
    let rest = &t[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.chars().next().is_none_or(char::is_whitespace))
        .then_some(rest)
}

/// `accTitle` and `accDescr` may be followed directly by `:` or `{`.
fn acc_keyword<'a>(t: &'a str, word: &str) -> Option<&'a str> {
    let head = t.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &t[word.len()..])
}

/// The length of the entity code (`#35;`, `#quot;`) at the start of `t`, if any.
fn entity_length(t: &str) -> Option<usize> {
    let body = t.strip_prefix('#')?;
    let name =
        body.len() - body.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    (name > 0 && body[name..].starts_with(';')).then_some(name + 2)
}

/// Mermaid text as a label: entity codes decoded and `<br>` line breaks as `\n`.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '#' {
            if let Some(length) = entity_length(rest) {
                let name = &rest[1..length - 1];
                if let Some(decoded) = entity(name) {
                    out.push(decoded);
                    rest = &rest[length..];
                    continue;
                }
            }
        } else if c == '<' {
            if let Some(length) = line_break_length(rest) {
                out.push('\n');
                rest = &rest[length..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The character an entity code stands for: a decimal code point (`#9829;`) or one
/// of the common HTML names. Unknown names are kept as written.
fn entity(name: &str) -> Option<char> {
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return name.parse::<u32>().ok().and_then(char::from_u32);
    }
    Some(match name {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "num" => '#',
        "semi" => ';',
        "colon" => ':',
        "percnt" => '%',
        "comma" => ',',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "deg" => '°',
        "times" => '×',
        "middot" => '·',
        "bull" => '•',
        "hearts" => '♥',
        "rarr" => '→',
        "larr" => '←',
        "infin" => '∞',
        _ => return None,
    })
}

/// The length of a `<br>`, `<br/>` or `<br />` (any case) at the start of `t`.
fn line_break_length(t: &str) -> Option<usize> {
    let head = t.get(..3)?;
    if !head.eq_ignore_ascii_case("<br") {
        return None;
    }
    let rest = t[3..].trim_start();
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    rest.starts_with('>').then(|| t.len() - rest.len() + 1)
}

/// A YAML scalar without its quotes.
fn unquote_yaml(value: &str) -> String {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        inner.replace("\\\"", "\"").replace("\\\\", "\\")
    } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        inner.replace("''", "'")
    } else {
        value.to_owned()
    }
}

/// A piece of the input quoted in a message: safe for a terminal, and short.
fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let plain = super::text::plain(text);
    if plain.chars().count() <= MAX {
        plain
    } else {
        let mut cut: String = plain.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

/// Mermaid's score 1…5 as an emotion −3…+3. The exporter writes
/// score = round(3 + emotion × 2/3), so a score survives import and export.
pub fn emotion(score: u8) -> i8 {
    match score {
        1 => -3,
        2 => -2,
        4 => 2,
        5 => 3,
        _ => 0,
    }
}

/// Names no journey gets, because its file would clash: the personas file, and
/// the names Windows keeps for devices (`con.journey` cannot be created there).
const RESERVED: &[&str] = &[
    super::PERSONAS,
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

/// Chooses the ids: journeys unique in the import (and never one of [`RESERVED`]),
/// stages unique in their journey, touchpoints in their stage,
/// one persona per distinct actor name across the whole import.
fn assign_ids(diagrams: Vec<Diagram>, origin: &str) -> Import {
    let mut journey_ids = Ids::reserving(RESERVED);
    let mut persona_ids = Ids::default();
    let mut persona_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut personas: Vec<Persona> = Vec::new();
    let mut journeys = Vec::new();
    for d in diagrams {
        let label = [d.title.map(|(t, _)| t), d.front_title, d.acc_title]
            .into_iter()
            .flatten()
            .find(|l| !l.trim().is_empty());
        let id = journey_ids.fresh(label.as_deref().unwrap_or(""), "journey");
        let mut journey_personas: Vec<usize> = Vec::new();
        let mut stage_ids = Ids::default();
        let mut stages = Vec::new();
        for section in d.sections {
            let stage_id = match &section.name {
                Some(name) => stage_ids.fresh(name, "stage"),
                None => stage_ids.fresh("main", "stage"),
            };
            let mut touchpoint_ids = Ids::default();
            let mut touchpoints = Vec::new();
            for task in section.tasks {
                let mut actors = Vec::new();
                for actor in task.actors {
                    let index = *persona_of.entry(actor.clone()).or_insert_with(|| {
                        personas.push(Persona {
                            id: persona_ids.fresh(&actor, "persona"),
                            label: actor.clone(),
                        });
                        personas.len() - 1
                    });
                    if !actors.contains(&index) {
                        actors.push(index);
                    }
                    if !journey_personas.contains(&index) {
                        journey_personas.push(index);
                    }
                }
                touchpoints.push(Touchpoint {
                    id: touchpoint_ids.fresh(&task.name, "touchpoint"),
                    label: task.name,
                    emotion: emotion(task.score),
                    actors,
                });
            }
            stages.push(Stage { id: stage_id, label: section.name, touchpoints });
        }
        journeys.push(Journey {
            id,
            label,
            description: d.description.map(|(t, _)| t).filter(|t| !t.trim().is_empty()),
            line: d.line,
            personas: journey_personas,
            stages,
        });
    }
    Import { origin: origin.to_owned(), tool: Tool::Mermaid, personas, journeys }
}

impl ImportError {
    fn whole(message: String) -> Self {
        ImportError { at: None, message }
    }

    fn at_line(line: usize, message: String) -> Self {
        ImportError { at: Some(At { line, column: 1, width: 0, text: None }), message }
    }

    fn at(line: usize, text: &str, range: std::ops::Range<usize>, message: String) -> Self {
        let column = text.get(..range.start).map_or(1, |before| before.chars().count() + 1);
        let width = text.get(range).map_or(1, |part| part.chars().count());
        ImportError { at: Some(At { line, column, width, text: Some(text.to_owned()) }), message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_decode_entities_and_line_breaks() {
        assert_eq!(label("A #quot;B#quot; #9829; #35;1"), "A \"B\" ♥ #1");
        assert_eq!(label("Line1<br>Line2<BR/>Line3<br />x"), "Line1\nLine2\nLine3\nx");
        assert_eq!(label("#unknown; #55296; #"), "#unknown; #55296; #");
    }

    #[test]
    fn scores_map_to_emotions_that_export_back() {
        for score in 1..=5u8 {
            let e = f64::from(emotion(score));
            let back = (3.0 + e * 2.0 / 3.0).round();
            assert!((back - f64::from(score)).abs() < f64::EPSILON, "score {score}");
        }
    }
}
