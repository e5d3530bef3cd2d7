//! `journey export`: snapshots of every example in every format
//! (`tests/outputs/<example>.export.<suffix>.snap`), the Mermaid
//! output parsed back by a parser that follows Mermaid's own grammar, the CSV read
//! back by the `csv` crate, the escaping of hostile labels in all three formats,
//! and the command's refusals (errors, unsafe targets), `-o` and determinism. The
//! SVG pictures (`--format svg`, and the Markdown report's) are parsed as XML and
//! held to what a picture may hold; their tests are in the last part.

use crate::support::{self, Ending};

use assert_cmd::Command;
use journey::analysis::Analysis;
use journey::model::Names;
use journey::model::{Emotion, Model};
use predicates::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

const EXAMPLES: [&str; 3] = ["insurance-claims", "hospital-onboarding", "b2b-order"];

/// The three formats, with the suffix of their snapshots and how their text ends.
const FORMATS: [(&str, &str, Ending); 3] = [
    ("mermaid", "mermaid.md", Ending::Newline),
    ("csv", "csv", Ending::CrLf),
    ("markdown", "md", Ending::Newline),
];

/// `journey` run from the crate root, with a clean environment.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(support::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

/// `journey export --format FORMAT PATH`.
fn export(format: &str, path: &Path) -> Command {
    let mut cmd = journey();
    cmd.arg("export").arg("--format").arg(format).arg(path);
    cmd
}

/// Exports successfully and returns standard output.
fn exported(format: &str, path: &Path) -> String {
    let output = export(format, path).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "export --format {format} {} failed:\n{}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the export is UTF-8")
}

fn example_path(example: &str) -> std::path::PathBuf {
    Path::new("examples").join(example)
}

fn analyze_example(example: &str) -> Analysis {
    support::analyze_default(&support::load(&format!("examples/{example}")))
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Labels that try to break out of every format: Mermaid's separators and comments,
/// CSV quoting and formulas, Markdown links, emphasis, tables and HTML.
const HOSTILE: &str = r#"
persona p "Smith, Jo: #1; <b>bold</b>"
team t1 "Team | *one*"
team t2 "=HYPERLINK(\"http://x\")"
capability c "Cap [x](javascript:alert(1))" { capacity 10 per week owner t1 }
value stream vs "Stream \"quoted\" & <i>" {
  stage s "set direction LR" {
    metric m { target "x" }
    activity a "=cmd|' /C calc'!A0" { owner t1 capability c }
    activity b "@SUM(1+1)*cmd|' /C calc'!A0" { owner t2 }
    activity w "`waste` _here_ www.example.com ~~x~~ $x$" { owner t2 }
  }
}
journey j "journey: <script>alert(1)</script>" {
  persona p
  volume 5 per week
  stage st "section #; x %% y" {
    maps to vs.s
    touchpoint t1 "Title, \"quoted\",\nnext line" { emotion -3 traces to vs.a }
    touchpoint t2 "=cmd|' /C calc'!A0" { emotion 2 traces to vs.a, vs.b }
    touchpoint t3 "| *x* [x](javascript:alert(1)) <img src=x onerror=alert(1)>" { emotion 0 }
    touchpoint t4 "-1 %%{init: {}}%% accDescr { ¶ß ﬂ°x" { }
    touchpoint t5 "   " { }
    touchpoint t6 "bell \u{7}, tab\tand \u{202e}reversed\u{1b}[2J" { }
  }
}
"#;

/// A workspace with one error (an unresolved `traces to`).
const WITH_ERROR: &str = r#"
team ops
value stream v {
  stage s {
    metric m { target "x" }
    activity a { owner ops }
  }
}
journey j { stage s { touchpoint t { traces to a, nowhere } } }
"#;

/// Writes the hostile workspace into `dir` and returns its folder and analysis.
fn hostile(dir: &Path) -> (std::path::PathBuf, Analysis) {
    let ws = dir.join("hostile");
    write(&ws.join("main.journey"), HOSTILE);
    let analysis = support::analyze_default(&support::single(HOSTILE));
    assert!(!analysis.has_errors(), "the hostile workspace has errors: {:?}", analysis.diagnostics);
    (ws, analysis)
}

// ------------------------------------------------------------------ goldens

/// One example in one format, named as its snapshot.
struct Export {
    example: &'static str,
    format: &'static str,
    suffix: &'static str,
    ending: Ending,
}

impl std::fmt::Display for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.export.{}", self.example, self.suffix)
    }
}

#[test]
fn every_example_matches_its_golden_files() {
    let exports = EXAMPLES.into_iter().flat_map(|example| {
        FORMATS.map(|(format, suffix, ending)| Export { example, format, suffix, ending })
    });
    support::each(exports, |export| {
        let text = exported(export.format, &example_path(export.example));
        support::snapshot!("tests/outputs", export.to_string(), text, export.ending);
    });
}

#[test]
fn exports_are_deterministic() {
    for example in EXAMPLES {
        for (format, ..) in FORMATS {
            let first = exported(format, &example_path(example));
            let second = exported(format, &example_path(example));
            assert!(first == second, "{example} --format {format}: two runs differ");
            // From inside the example, with `.` as the path: file names are relative
            // to the workspace root either way.
            let output = journey()
                .current_dir(support::root().join("examples").join(example))
                .args(["export", "--format", format, "."])
                .output()
                .unwrap();
            assert!(
                output.stdout == first.as_bytes(),
                "{example} --format {format}: exporting from inside the example differs"
            );
        }
    }
}

// ------------------------------------------------------------------ Mermaid

/// The score the export promises for an emotion (docs/export.md).
fn expected_score(emotion: Option<Emotion>) -> u8 {
    match emotion.map(Emotion::value) {
        Some(-3) => 1,
        Some(-2 | -1) => 2,
        None | Some(0) => 3,
        Some(1 | 2) => 4,
        Some(3) => 5,
        Some(e) => panic!("emotion {e} is out of range"),
    }
}

/// Where a text lands in a journey diagram.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Title,
    Section,
    Task,
    Actor,
}

/// What a journey diagram must show for a text: the label, trimmed (the id when
/// that leaves nothing), with line breaks kept in sections and tasks (as `<br>`)
/// and shown as spaces elsewhere, tabs as spaces, other control characters as
/// `\u{1b}`, and the whole isolated (U+2068 … U+2069) when it holds a direction
/// control (the text policy, `src/text/mod.rs`).
fn expected_journey_text(label: &str, id: &str, slot: Slot) -> String {
    let text = if label.trim().is_empty() { id } else { label.trim() };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let breaks = matches!(slot, Slot::Section | Slot::Task);
    let shown: String = text
        .chars()
        .map(|c| match c {
            '\n' if breaks => "\n".to_owned(),
            '\n' | '\t' => " ".to_owned(),
            c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    if shown.chars().any(journey::text::is_direction_control) {
        format!("\u{2068}{shown}\u{2069}")
    } else {
        shown
    }
}

/// Mermaid's `encodeEntities`, which runs on every diagram before it is parsed:
/// each `#code;` becomes a placeholder that no grammar reads, `ﬂ°°code¶ß` for a
/// number and `ﬂ°code¶ß` for a name.
fn encode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let word =
            after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        if word > 0 && after[word..].starts_with(';') {
            let inner = &after[..word];
            let numeric = inner.chars().all(|c| c.is_ascii_digit());
            out.push_str(if numeric { "ﬂ°°" } else { "ﬂ°" });
            out.push_str(inner);
            out.push_str("¶ß");
            rest = &after[word + 1..];
        } else {
            out.push('#');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What a parsed text shows once Mermaid has turned its placeholders back into
/// entities in the drawing (`decodeEntities`) and split lines at `<br>`.
fn rendered(text: &str) -> Result<String, String> {
    let html = text.replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";");
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find(['&', '<']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("<br>") {
            out.push('\n');
            rest = after;
            continue;
        }
        let entity = tail.strip_prefix('&').and_then(|t| t.split_once(';'));
        let decoded = entity.and_then(|(name, _)| match name {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            n => n.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some((name, after)), Some(c)) if !name.is_empty() => {
                out.push(c);
                rest = after;
            }
            _ if tail.starts_with('<') => return Err(format!("markup in `{text}`")),
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The fenced ` ```mermaid ` blocks of a Markdown document, in order.
fn mermaid_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line == "```mermaid" => current = Some(String::new()),
            None => assert!(!line.starts_with("```"), "an unexpected fence: {line}"),
            Some(_) if line == "```" => blocks.push(current.take().unwrap()),
            Some(block) => {
                // No line of a diagram may close the fence early.
                assert!(!line.trim_start().starts_with("```"), "a fence inside a block: {line}");
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    assert!(current.is_none(), "an unclosed ```mermaid block");
    blocks
}

/// A token of Mermaid's journey lexer (`journey.jison`).
#[derive(Debug, PartialEq)]
enum Token {
    Newline,
    Journey,
    Title(String),
    Section(String),
    TaskName(String),
    TaskData(String),
    Colon,
    Invalid(String),
}

/// JavaScript's `\s`.
fn js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Mermaid's journey lexer, rule by rule in its order (jison takes the first rule
/// that matches, not the longest), case-insensitive like the original.
fn lex_journey(text: &str) -> Vec<Token> {
    fn until_end_of_line(rest: &str) -> usize {
        rest.find('\n').unwrap_or(rest.len())
    }
    /// The length of the longest prefix of characters not in `stop`.
    fn run(rest: &str, stop: &[char]) -> usize {
        rest.find(|c: char| stop.contains(&c)).unwrap_or(rest.len())
    }
    let mut tokens = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        let mut chars = rest.chars();
        let first = chars.next().unwrap();
        let after_first = chars.as_str();
        // \%%(?!\{)[^\n]*  and  [^\}]\%\%[^\n]*  (comments)
        if (rest.starts_with("%%") && !rest[2..].starts_with('{'))
            || (first != '}' && after_first.starts_with("%%"))
        {
            rest = &rest[until_end_of_line(rest)..];
            continue;
        }
        // [\n]+
        if first == '\n' {
            rest = rest.trim_start_matches('\n');
            tokens.push(Token::Newline);
            continue;
        }
        // \s+
        if js_space(first) {
            rest = rest.trim_start_matches(js_space);
            continue;
        }
        // \#[^\n]*
        if first == '#' {
            rest = &rest[until_end_of_line(rest)..];
            continue;
        }
        if lower.starts_with("journey") {
            tokens.push(Token::Journey);
            rest = &rest[7..];
            continue;
        }
        // "title"\s[^#\n;]+
        if lower.starts_with("title") && rest[5..].starts_with(js_space) {
            let space = rest[5..].chars().next().unwrap().len_utf8();
            let n = run(&rest[5 + space..], &['#', '\n', ';']);
            if n > 0 {
                let len = 5 + space + n;
                // `$1.substr(6)`
                tokens.push(Token::Title(rest[6.min(len)..len].to_owned()));
                rest = &rest[len..];
                continue;
            }
        }
        if lower.starts_with("acctitle") || lower.starts_with("accdescr") {
            tokens.push(Token::Invalid(rest[..until_end_of_line(rest)].to_owned()));
            rest = &rest[until_end_of_line(rest)..];
            continue;
        }
        // "section"\s[^#:\n;]+
        if lower.starts_with("section") && rest[7..].starts_with(js_space) {
            let space = rest[7..].chars().next().unwrap().len_utf8();
            let n = run(&rest[7 + space..], &['#', ':', '\n', ';']);
            if n > 0 {
                let len = 7 + space + n;
                tokens.push(Token::Section(rest[8.min(len)..len].to_owned()));
                rest = &rest[len..];
                continue;
            }
        }
        // [^#:\n;]+
        let n = run(rest, &['#', ':', '\n', ';']);
        if n > 0 {
            tokens.push(Token::TaskName(rest[..n].to_owned()));
            rest = &rest[n..];
            continue;
        }
        // ":"[^#\n;]+  and  ":"
        if first == ':' {
            let n = run(&rest[1..], &['#', '\n', ';']);
            if n > 0 {
                tokens.push(Token::TaskData(rest[..=n].to_owned()));
                rest = &rest[1 + n..];
            } else {
                tokens.push(Token::Colon);
                rest = &rest[1..];
            }
            continue;
        }
        tokens.push(Token::Invalid(first.to_string()));
        rest = after_first;
    }
    tokens
}

#[derive(Debug, PartialEq)]
struct Task {
    name: String,
    score: u8,
    actors: Vec<String>,
}

#[derive(Debug, Default)]
struct JourneyDiagram {
    title: Option<String>,
    sections: Vec<(String, Vec<Task>)>,
}

/// Mermaid's journey grammar over the tokens of the entity-encoded text: `journey`,
/// then statements (`title`, `section`, or a task name followed by its data),
/// separated by newlines. A task's data is `: score` or `: score: actor, actor`,
/// split as `journeyDb.addTask` does; the score must be a whole number from 1 to 5.
/// Texts are returned as they are drawn.
fn parse_journey(block: &str) -> Result<JourneyDiagram, String> {
    let tokens = lex_journey(&encode_entities(block));
    let mut tokens = tokens.into_iter().filter(|t| *t != Token::Newline).peekable();
    if tokens.next() != Some(Token::Journey) {
        return Err("a journey diagram starts with `journey`".into());
    }
    let mut diagram = JourneyDiagram::default();
    while let Some(token) = tokens.next() {
        match token {
            Token::Title(t) => diagram.title = Some(rendered(t.trim())?),
            Token::Section(s) => diagram.sections.push((rendered(s.trim())?, Vec::new())),
            Token::TaskName(name) => {
                let Some(Token::TaskData(data)) = tokens.next() else {
                    return Err(format!("the task `{name}` has no `: score`"));
                };
                let pieces: Vec<&str> = data[1..].split(':').collect();
                if pieces.len() > 2 {
                    return Err(format!("the task `{name}` has a `:` among its actors: {data}"));
                }
                let score: u8 = pieces[0]
                    .trim()
                    .parse()
                    .map_err(|_| format!("the task `{name}` has the score `{}`", pieces[0]))?;
                if !(1..=5).contains(&score) {
                    return Err(format!("the task `{name}` has the score {score}, not 1 to 5"));
                }
                let actors = pieces
                    .get(1)
                    .map(|a| a.split(',').map(|s| rendered(s.trim())).collect())
                    .transpose()?
                    .unwrap_or_default();
                let Some((_, tasks)) = diagram.sections.last_mut() else {
                    return Err(format!("the task `{name}` comes before any section"));
                };
                tasks.push(Task { name: rendered(&name)?, score, actors });
            }
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    Ok(diagram)
}

#[derive(Debug, Default)]
struct Flowchart {
    /// Node id → (label, enclosing subgraphs from the outermost).
    nodes: BTreeMap<String, (String, Vec<String>)>,
    /// Subgraph id → (label, parent).
    subgraphs: BTreeMap<String, (String, Option<String>)>,
    edges: Vec<(String, String)>,
    /// Class → node ids.
    classes: BTreeMap<String, BTreeSet<String>>,
}

/// A node or subgraph id that Mermaid's flowchart lexer reads as one name: letters
/// then digits, not starting like a keyword or an arrow head.
fn check_id(id: &str) -> Result<(), String> {
    let letters = id.trim_end_matches(|c: char| c.is_ascii_digit());
    let ok = !letters.is_empty()
        && letters.len() < id.len()
        && letters.chars().all(|c| c.is_ascii_lowercase())
        && !["v", "o", "x"].iter().any(|p| id.starts_with(p))
        && ![
            "end",
            "style",
            "class",
            "default",
            "click",
            "call",
            "href",
            "graph",
            "flowchart",
            "subgraph",
            "direction",
            "linkstyle",
            "interpolate",
        ]
        .iter()
        .any(|k| id.to_ascii_lowercase().starts_with(k));
    if ok { Ok(()) } else { Err(format!("`{id}` is not a safe node id")) }
}

/// A quoted label: no `"` inside, no `#` but entity codes, no `%%`, no markup but
/// `<br>`; returned as drawn.
fn quoted_label(text: &str) -> Result<String, String> {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .ok_or_else(|| format!("the label {text} is not quoted"))?;
    if inner.contains('"') {
        return Err(format!("a quote inside the label {text}"));
    }
    if inner.contains("%%") {
        return Err(format!("a comment inside the label {text}"));
    }
    let encoded = encode_entities(inner);
    if encoded.contains('#') {
        return Err(format!("a `#` that is not an entity code in the label {text}"));
    }
    rendered(&encoded)
}

/// The flowchart subset the export writes, checked against Mermaid's flowchart
/// lexer where labels could interfere with it.
fn parse_flowchart(block: &str) -> Result<Flowchart, String> {
    let mut lines = block.lines();
    if lines.next() != Some("flowchart LR") {
        return Err("a flowchart starts with `flowchart LR`".into());
    }
    let mut chart = Flowchart::default();
    let mut stack: Vec<String> = Vec::new();
    for line in lines {
        // Mermaid reads a line holding `direction` and white space as a direction
        // statement, before it sees any quote.
        let lower = line.to_ascii_lowercase();
        if let Some(at) = lower.find("direction") {
            if lower[at + 9..].starts_with(js_space) {
                return Err(format!("a direction statement: {line}"));
            }
        }
        let line = line.trim();
        // Mermaid drops the last character of a line that holds `style` or
        // `classDef`, a `:`, a `#` and a `;`: only our classDef lines have a `:`.
        if !line.starts_with("classDef ") && line.contains(':') {
            return Err(format!("a raw `:` outside a classDef: {line}"));
        }
        let words: Vec<&str> = line.splitn(3, ' ').collect();
        if line == "end" {
            stack.pop().ok_or("an `end` without a subgraph")?;
        } else if words[0] == "subgraph" {
            let id = words.get(1).ok_or("a subgraph without an id")?;
            check_id(id)?;
            let rest = words.get(2).ok_or("a subgraph without a title")?;
            let label = rest
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .ok_or_else(|| format!("the subgraph title {rest} is not in brackets"))?;
            let label = quoted_label(label)?;
            if chart.subgraphs.insert((*id).to_owned(), (label, stack.last().cloned())).is_some() {
                return Err(format!("the subgraph `{id}` is declared twice"));
            }
            stack.push((*id).to_owned());
        } else if words[0] == "classDef" {
            if line.contains(';') {
                return Err(format!("a `;` in a classDef is rewritten by Mermaid: {line}"));
            }
        } else if words[0] == "class" {
            let ids = words.get(1).ok_or("a class statement without ids")?;
            let class = words.get(2).ok_or("a class statement without a class")?;
            for id in ids.split(',') {
                if !chart.nodes.contains_key(id) {
                    return Err(format!("the class statement names the unknown node `{id}`"));
                }
                chart.classes.entry((*class).to_owned()).or_default().insert(id.to_owned());
            }
        } else if words.len() == 3 && words[1] == "-->" {
            for id in [words[0], words[2]] {
                if !chart.nodes.contains_key(id) {
                    return Err(format!("the edge `{line}` names the unknown node `{id}`"));
                }
            }
            chart.edges.push((words[0].to_owned(), words[2].to_owned()));
        } else if let Some((id, rest)) = line.split_once('[') {
            check_id(id)?;
            let label =
                rest.strip_suffix(']').ok_or_else(|| format!("a node without `]`: {line}"))?;
            let label = quoted_label(label)?;
            if chart.nodes.insert(id.to_owned(), (label, stack.clone())).is_some() {
                return Err(format!("the node `{id}` is declared twice"));
            }
        } else {
            return Err(format!("an unknown statement: {line}"));
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed subgraphs: {stack:?}"));
    }
    Ok(chart)
}

/// What a flowchart label must show: the label, trimmed (the id when that leaves
/// nothing), with its line breaks and other control characters as spaces.
fn expected_flow_label(label: &str, id: &str) -> String {
    expected_journey_text(label, id, Slot::Section)
}

/// Parses a Mermaid export and checks it against the model: one journey diagram per
/// journey with every touchpoint once, with its score and the personas as actors;
/// one flowchart whose nodes are the touchpoints and activities, in their stages,
/// and whose edges are exactly the trace links.
fn check_mermaid(what: &str, text: &str, analysis: &Analysis) {
    let model = &analysis.model;
    let blocks = mermaid_blocks(text);
    assert_eq!(blocks.len(), model.journeys.len() + 1, "{what}: a block per journey, and one more");
    for (journey, block) in model.journeys.iter().zip(&blocks) {
        let diagram = parse_journey(block).unwrap_or_else(|e| panic!("{what}: {e}\n{block}"));
        assert_eq!(
            diagram.title.as_deref().map(str::trim),
            Some(
                expected_journey_text(&journey.meta.label, &journey.meta.id, Slot::Title).as_str()
            ),
            "{what}: the title"
        );
        let actors: Vec<String> = journey
            .personas
            .iter()
            .map(|p| {
                let meta = &model[p.target].meta;
                expected_journey_text(&meta.label, &meta.id, Slot::Actor)
            })
            .collect();
        assert_eq!(diagram.sections.len(), journey.stages.len(), "{what}: a section per stage");
        for (&stage, (section, tasks)) in journey.stages.iter().zip(&diagram.sections) {
            let st = &model[stage];
            assert_eq!(
                section.trim(),
                expected_journey_text(&st.meta.label, &st.meta.id, Slot::Section),
                "{what}: the section of `{}`",
                st.meta.id
            );
            let expected: Vec<Task> = st
                .touchpoints
                .iter()
                .map(|&t| Task {
                    name: expected_journey_text(
                        &model[t].meta.label,
                        &model[t].meta.id,
                        Slot::Task,
                    ),
                    score: expected_score(model[t].emotion),
                    actors: actors.clone(),
                })
                .collect();
            assert_eq!(tasks, &expected, "{what}: the tasks of `{}`", st.meta.id);
        }
    }
    let chart = parse_flowchart(&blocks[model.journeys.len()])
        .unwrap_or_else(|e| panic!("{what}: {e}\n{}", blocks[model.journeys.len()]));
    check_flowchart(what, &chart, analysis);
}

fn check_flowchart(what: &str, chart: &Flowchart, analysis: &Analysis) {
    let model = &analysis.model;
    assert_eq!(
        chart.nodes.len(),
        model.touchpoints.len() + model.activities.len(),
        "{what}: nodes"
    );
    for (i, t) in model.touchpoints.iter().enumerate() {
        let (label, parents) = &chart.nodes[&format!("tp{i}")];
        assert_eq!(label, &expected_flow_label(&t.meta.label, &t.meta.id), "{what}: tp{i}");
        let parents_expected =
            [format!("j{}", t.journey.index()), format!("js{}", t.stage.index())];
        assert_eq!(parents, &parents_expected, "{what}: where tp{i} is");
        let (stage_label, _) = &chart.subgraphs[&format!("js{}", t.stage.index())];
        let stage = &model[t.stage].meta;
        assert_eq!(stage_label, &expected_flow_label(&stage.label, &stage.id), "{what}");
    }
    for (i, a) in model.activities.iter().enumerate() {
        let (label, parents) = &chart.nodes[&format!("ac{i}")];
        assert_eq!(label, &expected_flow_label(&a.meta.label, &a.meta.id), "{what}: ac{i}");
        assert_eq!(parents, &[format!("st{}", a.stream.index()), format!("ss{}", a.stage.index())]);
    }
    let mut edges = chart.edges.clone();
    let mut traces: Vec<(String, String)> = model
        .traces
        .iter()
        .map(|t| (format!("tp{}", t.touchpoint.index()), format!("ac{}", t.activity.index())))
        .collect();
    edges.sort();
    traces.sort();
    assert_eq!(edges, traces, "{what}: the edges are the trace links");
    let gaps: BTreeSet<String> =
        analysis.figures.gaps.iter().map(|t| format!("tp{}", t.index())).collect();
    assert_eq!(chart.classes.get("gap").cloned().unwrap_or_default(), gaps, "{what}: gaps");
    let waste: BTreeSet<String> =
        analysis.figures.waste.iter().map(|a| format!("ac{}", a.index())).collect();
    assert_eq!(chart.classes.get("waste").cloned().unwrap_or_default(), waste, "{what}: waste");
}

#[test]
fn the_test_parsers_reject_what_mermaid_rejects() {
    let journey =
        |task: &str| parse_journey(&format!("journey\n  title T\n  section S\n    {task}\n"));
    assert!(journey("Make tea: 5: Me, Cat").is_ok());
    assert_eq!(journey("a #35; b#58; c: 3: Me").unwrap().sections[0].1[0].name, "a # b: c");
    for bad in [
        "a # b: 3: Me",        // a comment
        "a; b: 3: Me",         // a statement ends
        "a: b: 3: Me",         // the score is `b`
        "a: 6: Me",            // out of range
        "a: 2.5: Me",          // not whole
        "Journey home: 3: Me", // a keyword
        "a: 3: Me: Cat",       // a `:` among actors
    ] {
        assert!(journey(bad).is_err(), "accepted `{bad}`");
    }
    // A task that starts with `title` is read as the diagram's title, and one whose
    // second character starts a `%%` as a comment.
    assert!(journey("Title deeds: 3: Me").unwrap().sections[0].1.is_empty());
    assert!(journey("x%% y: 3: Me").unwrap().sections[0].1.is_empty());

    let flow = |node: &str| parse_flowchart(&format!("flowchart LR\n  {node}\n"));
    assert!(flow("tp0[\"a #quot;b#quot; #35;1\"]").is_ok());
    for bad in [
        "tp0[\"a\"b\"]",             // a quote
        "tp0[\"C# code\"]",          // a `#` that is no code
        "tp0[\"a <b>b</b>\"]",       // markup
        "tp0[\"set direction LR\"]", // a direction statement
        "tp0[\"a: b\"]",             // a raw `:`
        "vs0[\"a\"]",                // `v` is an arrow head
        "end0[\"a\"]",               // a keyword
    ] {
        assert!(flow(bad).is_err(), "accepted `{bad}`");
    }
}

#[test]
fn the_mermaid_export_of_every_example_parses_back() {
    for example in EXAMPLES {
        let text = exported("mermaid", &example_path(example));
        check_mermaid(example, &text, &analyze_example(example));
    }
}

#[test]
fn hostile_labels_cannot_break_the_mermaid_syntax() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, analysis) = hostile(tmp.path());
    let text = exported("mermaid", &ws);
    check_mermaid("hostile", &text, &analysis);
    // The checks above compare what Mermaid draws with the labels; spot-check the
    // codes themselves.
    assert!(
        text.contains(
            "    #84;itle, \"quoted\",<br>next line: 1: Smith#44; Jo#58; #35;1#59; #lt;b#gt;bold#lt;/b#gt;\n"
        ),
        "{text}"
    );
    assert!(text.contains("  section section #35;#59; x #37;% y\n"), "{text}");
    assert!(text.contains("#37;%{init#58; {}}#37;% accDescr { #182;ß #64258;°x: 3"), "{text}");
    assert!(text.contains("    t5: 3: "), "an empty label falls back to the id:\n{text}");
    assert!(text.contains("[\"set direction#32;LR\"]"), "{text}");
    assert!(text.contains("## journey\\: \\<script\\>alert(1)\\</script\\>\n"), "{text}");
}

#[test]
fn emotions_map_onto_mermaid_scores() {
    let mut text = String::from("journey j { stage s {\n");
    for (i, e) in ["-3", "-2", "-1", "0", "+1", "2", "3"].iter().enumerate() {
        let _ = writeln!(text, "  touchpoint t{i} {{ emotion {e} }}");
    }
    text.push_str("  touchpoint none\n} }\n");
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("ws/main.journey"), &text);
    let out = exported("mermaid", &tmp.path().join("ws"));
    let diagram = parse_journey(&mermaid_blocks(&out)[0]).unwrap();
    let scores: Vec<u8> = diagram.sections[0].1.iter().map(|t| t.score).collect();
    assert_eq!(scores, [1, 2, 2, 3, 4, 4, 5, 3]);
    // Without personas a task has no actors.
    assert!(out.contains("    t0: 1\n"), "{out}");
}

// ------------------------------------------------------------------ CSV

/// Reads a CSV export back with the `csv` crate: the header and every record.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// What a text cell must hold: the text, its control characters (but line breaks
/// and tabs) shown as `\u{1b}`, with a `'` before a formula.
fn neutralised(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => c.to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\0' | '＝' | '＋' | '－' | '＠') => {
            format!("'{text}")
        }
        _ => text,
    }
}

/// Checks a CSV export against the model: the header names every activity in
/// value-stream and stage order, there is a row per touchpoint in journey order,
/// and the marks are exactly the trace links.
fn check_csv(what: &str, text: &str, model: &Model) {
    assert!(text.ends_with("\r\n"), "{what}: records end with CRLF");
    let names = Names::of(model);
    let (header, rows) = read_csv(text);
    let mut expected_header: Vec<String> =
        ["journey", "stage", "touchpoint", "label"].iter().map(|&s| s.to_owned()).collect();
    let mut activities = Vec::new();
    for stream in &model.streams {
        for &stage in &stream.stages {
            for &a in &model[stage].activities {
                // The label before the path, isolated when it holds a direction control.
                let label = &model[a].meta.label;
                let label = if label.contains([
                    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}',
                    '\u{2067}', '\u{2068}', '\u{2069}',
                ]) {
                    format!("\u{2068}{label}\u{2069}")
                } else {
                    label.clone()
                };
                expected_header.push(neutralised(&format!("{label} ({})", names.activity(a))));
                activities.push(a);
            }
        }
    }
    assert_eq!(header, expected_header, "{what}: the header");
    assert_eq!(activities.len(), model.activities.len(), "{what}: every activity has a column");
    let touchpoints: Vec<_> = model
        .journeys
        .iter()
        .flat_map(|j| j.stages.iter().flat_map(|&s| model[s].touchpoints.iter().copied()))
        .collect();
    assert_eq!(rows.len(), model.touchpoints.len(), "{what}: a row per touchpoint");
    for (row, &t) in rows.iter().zip(&touchpoints) {
        let tp = &model[t];
        assert_eq!(row.len(), header.len(), "{what}: every row is as long as the header");
        assert_eq!(row[0], neutralised(&model[tp.journey].meta.label), "{what}");
        assert_eq!(row[1], neutralised(&model[tp.stage].meta.label), "{what}");
        assert_eq!(row[2], names.touchpoint(t), "{what}");
        assert_eq!(row[3], neutralised(&tp.meta.label), "{what}");
        let traced: BTreeSet<usize> = tp
            .traces
            .iter()
            .map(|&tr| 4 + activities.iter().position(|&a| a == model[tr].activity).unwrap())
            .collect();
        for (i, cell) in row.iter().enumerate().skip(4) {
            let mark = if traced.contains(&i) { "x" } else { "" };
            assert_eq!(cell, mark, "{what}: `{}` under `{}`", row[2], header[i]);
        }
    }
}

#[test]
fn the_csv_export_of_every_example_reads_back() {
    for example in EXAMPLES {
        let text = exported("csv", &example_path(example));
        check_csv(example, &text, &analyze_example(example).model);
    }
}

#[test]
fn hostile_labels_round_trip_through_csv_and_are_neutralised() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, analysis) = hostile(tmp.path());
    let text = exported("csv", &ws);
    check_csv("hostile", &text, &analysis.model);
    let (header, rows) = read_csv(&text);
    // An activity's label heads its column, before its path, and is neutralised too.
    assert!(
        header.iter().any(|h| h.starts_with("'=cmd|' /C calc'!A0 (") && h.ends_with(".a)")),
        "{header:?}"
    );
    // Commas, quotes and the line break survive, exactly.
    assert_eq!(rows[0][3], "Title, \"quoted\",\nnext line");
    // A formula is shown, not run.
    assert_eq!(rows[1][3], "'=cmd|' /C calc'!A0");
    assert_eq!(rows[3][3], "'-1 %%{init: {}}%% accDescr { ¶ß ﬂ°x");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "the cell `{cell}` would run as a formula"
            );
        }
    }
}

// ------------------------------------------------------------------ Markdown

/// The markup characters the report escapes with a backslash.
const MARKUP: &str = "!#$&*+:<=>@[\\]^_`{|}~";

/// Splits a table row into its cells at the pipes that are not escaped.
fn cells(row: &str) -> Vec<String> {
    let inner = row.strip_prefix("| ").and_then(|r| r.strip_suffix(" |")).expect("a table row");
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            cells.last_mut().unwrap().push(c);
            if let Some(next) = chars.next() {
                cells.last_mut().unwrap().push(next);
            }
        } else if c == '|' {
            cells.push(String::new());
        } else {
            cells.last_mut().unwrap().push(c);
        }
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// The text a cell shows, or the markup character it leaves unescaped.
fn unescape(cell: &str) -> Result<String, char> {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push(chars.next().unwrap_or('\\'));
        } else if MARKUP.contains(c) {
            return Err(c);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

#[test]
fn hostile_labels_cannot_inject_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, analysis) = hostile(tmp.path());
    let text = exported("markdown", &ws);
    let model = &analysis.model;
    // Markup from a label only ever appears escaped.
    for needle in ["<script", "<img", "<b>", "](javascript", "*one*", "_here_", "`waste`", "$x$"] {
        let bare = text.match_indices(needle).any(|(at, _)| !text[..at].ends_with('\\'));
        assert!(!bare, "`{needle}` reached the report unescaped:\n{text}");
    }
    // Every table row keeps its number of cells, and every cell shows its text.
    let mut width = 0;
    let mut shown = BTreeSet::new();
    for line in text.lines() {
        if !line.starts_with('|') {
            width = 0;
            continue;
        }
        if line.starts_with("|---") {
            width = line.matches('|').count() - 1;
            continue;
        }
        let row = cells(line);
        if width > 0 {
            assert_eq!(row.len(), width, "a cell was split: {line}");
        }
        for cell in &row {
            // Code spans of our own, such as `journey::gap`, are not source text.
            if cell.starts_with('`')
                && cell.ends_with('`')
                && !cell[1..cell.len() - 1].contains('`')
            {
                continue;
            }
            let plain = unescape(cell).unwrap_or_else(|c| panic!("`{c}` is unescaped in: {line}"));
            shown.insert(plain);
        }
    }
    let expected = [
        &model.touchpoints[2].meta.label,  // the gap
        &model.activities[2].meta.label,   // the waste
        &model.teams[0].meta.label,        // its owner
        &model.journeys[0].meta.label,     // coverage
        &model.capabilities[0].meta.label, // the heat map
        &model.vs_stages[0].meta.label,
        &model.streams[0].meta.label,
    ];
    for label in expected {
        assert!(
            shown.iter().any(|s| s.contains(label.as_str())),
            "`{label}` is not shown as written:\n{text}"
        );
    }
    // The persona and both teams of the hand-off, joined.
    assert!(
        shown.contains("Team | *one* → =HYPERLINK(\"http://x\")"),
        "the hand-off's teams:\n{text}"
    );
    assert!(shown.contains("Smith, Jo: #1; <b>bold</b>"), "the persona:\n{text}");
}

// ------------------------------------------------------------------ the command

#[test]
fn a_workspace_with_errors_exports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("ws/main.journey"), WITH_ERROR);
    let out = tmp.path().join("out.csv");
    for (format, ..) in FORMATS {
        export(format, &tmp.path().join("ws"))
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("not writing standard output"));
        export(format, &tmp.path().join("ws"))
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("not writing"));
        assert!(!out.exists(), "--format {format} wrote a file");
    }
    // An existing file is left as it was.
    write(&out, "before\n");
    export("csv", &tmp.path().join("ws")).arg("-o").arg(&out).assert().code(1);
    assert_eq!(fs::read_to_string(&out).unwrap(), "before\n");
    let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "temporary files were left: {names:?}");
}

#[test]
fn denied_warnings_export_nothing() {
    // `b2b-order` has warnings: with `--deny warnings` they are errors.
    export("markdown", &example_path("b2b-order"))
        .args(["--deny", "warnings"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn out_writes_the_file_that_stdout_would_show() {
    let tmp = tempfile::tempdir().unwrap();
    for (format, suffix, _) in FORMATS {
        let path = tmp.path().join("nested").join(format!("x.{suffix}"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        export(format, &example_path("insurance-claims"))
            .arg("-o")
            .arg(&path)
            .assert()
            .code(0)
            .stdout("")
            .stderr(predicate::str::contains("wrote `"));
        let written = fs::read_to_string(&path).unwrap();
        // The report in a file links its pictures, in a section of its own.
        let text = if format == "markdown" { without_pictures(&written) } else { written.clone() };
        assert_eq!(text, exported(format, &example_path("insurance-claims")), "{format}");
        // A second export replaces the file.
        fs::write(&path, "old").unwrap();
        export(format, &example_path("insurance-claims")).arg("-o").arg(&path).assert().code(0);
        assert_eq!(fs::read_to_string(&path).unwrap(), written);
    }
}

#[test]
fn machine_readable_diagnostics_need_an_output_file() {
    export("csv", &example_path("b2b-order"))
        .args(["--diagnostics", "json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("-o FILE"));
    // With `-o`, the diagnostics are on standard output and the export in the file.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("matrix.csv");
    let output = export("csv", &example_path("b2b-order"))
        .args(["--diagnostics", "json", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!report["diagnostics"].as_array().unwrap().is_empty());
    assert!(fs::read_to_string(&path).unwrap().starts_with("journey,stage,touchpoint,label,"));
}

#[test]
fn an_export_never_replaces_a_source() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("ws/main.journey");
    write(&source, HOSTILE);
    export("markdown", &tmp.path().join("ws"))
        .arg("-o")
        .arg(&source)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is the source"));
    assert_eq!(fs::read_to_string(&source).unwrap(), HOSTILE);
    // Nor a folder.
    export("markdown", &tmp.path().join("ws"))
        .arg("-o")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a folder"));
}

#[test]
fn the_format_is_required() {
    journey()
        .args(["export", "examples/b2b-order"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    journey()
        .args(["export", "--format", "pdf", "examples/b2b-order"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mermaid"));
}

/// The text policy (`src/text/mod.rs`) in every export, which `journey export` may
/// print to a terminal: no control character but line breaks and tabs, written as
/// itself; a label with a direction control is isolated in the Markdown and Mermaid
/// documents.
#[test]
fn exports_show_control_characters_and_isolate_direction_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, _) = hostile(tmp.path());
    for format in ["markdown", "mermaid", "csv"] {
        let text = exported(format, &ws);
        let raw: Vec<char> =
            text.chars().filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).collect();
        assert!(raw.is_empty(), "{format}: {raw:?}");
        // In Markdown the escape's own braces are escaped too.
        assert!(text.contains("u{7}") || text.contains("u\\{7\\}"), "{format}: the bell is shown");
        if format != "csv" {
            for (at, _) in text.match_indices('\u{202e}') {
                let before = text[..at].rfind('\u{2068}');
                let closed = text[..at].rfind('\u{2069}');
                assert!(before > closed, "{format}: a direction control outside an isolate");
            }
        }
    }
}

// ------------------------------------------------------------------ SVG pictures

/// The pictures of `workspace`, exported into `dir`: each file's name and text, in
/// name order.
fn pictures(workspace: &Path, dir: &Path) -> Vec<(String, String)> {
    export("svg", workspace).arg("-o").arg(dir).assert().code(0).stdout("");
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            (e.file_name().to_string_lossy().into_owned(), fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The report without its pictures: what standard output shows.
fn without_pictures(report: &str) -> String {
    let start = report.find("\n## Pictures\n").expect("a pictures section");
    let end = start + 1 + report[start + 1..].find("\n## ").expect("a section after the pictures");
    format!("{}{}", &report[..start], &report[end..])
}

/// Each `<text>` element's lines joined by spaces, and its `<title>` when it has
/// one (a label cut short): the texts a picture shows, without their isolates.
fn drawn_texts(doc: &roxmltree::Document<'_>) -> Vec<(String, Option<String>)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| {
            let lines: Vec<String> = t
                .children()
                .filter(|c| c.has_tag_name("tspan"))
                .map(|c| c.text().unwrap_or_default().to_owned())
                .collect();
            let title = t
                .children()
                .find(|c| c.has_tag_name("title"))
                .map(|c| without_isolates(c.text().unwrap_or_default()));
            (without_isolates(&lines.join(" ")), title)
        })
        .collect()
}

/// A label as a picture draws it, but for the isolates around each line that
/// holds a direction control (which [`drawn_texts`] leaves out): control
/// characters shown as escapes, white space collapsed to single spaces (the lines
/// are wrapped at white space).
fn as_drawn(label: &str) -> String {
    let shown = journey::text::svg::shown(label);
    let words: Vec<&str> = shown.split_whitespace().collect();
    words.join(" ")
}

fn without_isolates(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

/// What a picture may hold, wherever it is shown as an image: one standalone SVG
/// that parses as XML, with a title and a description, every colour written on
/// it, generic fonts, and nothing that runs or loads: no script, no event
/// attribute, no `<foreignObject>`, no link, no `url(…)`, no stylesheet.
fn check_picture<'a>(name: &str, svg: &'a str) -> roxmltree::Document<'a> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
    let root = doc.root_element();
    assert!(
        root.has_tag_name(("http://www.w3.org/2000/svg", "svg")),
        "{name}: the root is not an SVG element"
    );
    assert_eq!(root.attribute("version"), Some("1.1"), "{name}");
    for attr in ["width", "height", "viewBox"] {
        assert!(root.attribute(attr).is_some(), "{name}: no {attr}");
    }
    let first: Vec<&str> = root
        .children()
        .filter(roxmltree::Node::is_element)
        .take(2)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(first, ["title", "desc"], "{name}: a title and a description first");
    for (what, text) in [("title", 0), ("desc", 1)] {
        let node = root.children().filter(roxmltree::Node::is_element).nth(text).unwrap();
        assert!(!node.text().unwrap_or_default().trim().is_empty(), "{name}: an empty {what}");
    }
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = node.tag_name().name();
        assert!(
            !matches!(tag, "script" | "foreignObject" | "style" | "a" | "image" | "use" | "iframe"),
            "{name}: a <{tag}>"
        );
        for attr in node.attributes() {
            let (key, value) = (attr.name(), attr.value());
            assert!(
                !key.to_ascii_lowercase().starts_with("on"),
                "{name}: an event attribute {key}"
            );
            // Classes are inert without a stylesheet: the curve keeps the ones the
            // site's stylesheet recolours it by.
            assert!(!matches!(key, "href" | "style" | "src"), "{name}: a {key} on <{tag}>");
            assert!(!value.contains("url("), "{name}: {key}=\"{value}\"");
            assert!(!value.contains("var("), "{name}: a CSS variable in {key}");
            if key == "font-family" {
                assert_eq!(value, "system-ui, sans-serif", "{name}: a font that is not generic");
            }
        }
    }
    assert!(!svg.contains("<!DOCTYPE") && !svg.contains("<?xml-stylesheet"), "{name}");
    doc
}

/// Every touchpoint's label is drawn in its journey's blueprint and emotion curve:
/// whole, or cut short with the whole label in the text's `<title>`.
fn check_labels(name: &str, doc: &roxmltree::Document<'_>, labels: &[String]) {
    let texts = drawn_texts(doc);
    for label in labels {
        let drawn = as_drawn(label);
        let found = texts.iter().any(|(text, title)| {
            *text == drawn
                || text.ends_with(&format!(" {drawn}"))
                || title.as_deref().map(as_drawn).as_deref() == Some(drawn.as_str())
        });
        assert!(found, "{name}: the touchpoint {label:?} is not drawn as text (drawn: {drawn:?})");
    }
}

/// Each journey's picture names and touchpoint labels (labels before ids: a blank
/// label shows the touchpoint's id).
fn journey_pictures(analysis: &Analysis) -> Vec<(String, Vec<String>)> {
    let model = &analysis.model;
    let names = journey::emit::svg::names_of(model);
    model
        .journeys
        .iter()
        .zip(names.journeys)
        .map(|(j, name)| {
            let labels = j
                .stages
                .iter()
                .flat_map(|&s| model[s].touchpoints.iter())
                .map(|&t| {
                    let meta = &model[t].meta;
                    if meta.label.trim().is_empty() { meta.id.clone() } else { meta.label.clone() }
                })
                .collect();
            (name, labels)
        })
        .collect()
}

#[test]
fn every_picture_of_every_example_is_a_standalone_svg_with_its_touchpoints() {
    let tmp = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let files = pictures(&example_path(example), &tmp.path().join(example));
        let analysis = analyze_example(example);
        let journeys = journey_pictures(&analysis);
        assert_eq!(files.len(), 2 * journeys.len() + 1, "{example}: {files:?}");
        for (name, svg) in &files {
            check_picture(&format!("{example}/{name}"), svg);
        }
        for (journey, labels) in &journeys {
            for file in [format!("{journey}.svg"), format!("{journey}-emotion.svg")] {
                let (_, svg) = files
                    .iter()
                    .find(|(n, _)| *n == file)
                    .unwrap_or_else(|| panic!("{example}: no {file}"));
                check_labels(&format!("{example}/{file}"), &check_picture(&file, svg), labels);
            }
        }
        // The capability map names every capability, with its load's period.
        let (_, map) =
            files.iter().find(|(n, _)| n == "capabilities.svg").expect("capabilities.svg");
        let texts: Vec<String> =
            drawn_texts(&check_picture("capabilities.svg", map)).into_iter().map(|t| t.0).collect();
        for c in &analysis.model.capabilities {
            assert!(
                texts.iter().any(|t| t.starts_with(&as_drawn(&c.meta.label))),
                "{example}: the capability {:?} is not drawn",
                c.meta.label
            );
        }
        assert!(texts.iter().any(|t| t.contains(" per ")), "{example}: no load with its period");
    }
}

#[test]
fn the_example_with_a_future_state_draws_the_as_is_and_the_to_be() {
    let tmp = tempfile::tempdir().unwrap();
    let files = pictures(&example_path("hospital-onboarding"), tmp.path());
    let (_, map) = files.iter().find(|(n, _)| n == "capabilities.svg").unwrap();
    let doc = check_picture("capabilities.svg", map);
    let texts: Vec<String> = drawn_texts(&doc).into_iter().map(|t| t.0).collect();
    assert!(texts.iter().any(|t| t.starts_with("As-is")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("To-be")), "{texts:?}");
    // Without a future state, one map.
    let files = pictures(&example_path("insurance-claims"), &tmp.path().join("ic"));
    let (_, map) = files.iter().find(|(n, _)| n == "capabilities.svg").unwrap();
    let texts: Vec<String> =
        drawn_texts(&check_picture("capabilities.svg", map)).into_iter().map(|t| t.0).collect();
    assert!(!texts.iter().any(|t| t.starts_with("To-be")), "{texts:?}");
}

#[test]
fn the_pictures_of_an_example_match_their_golden_files() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, svg) in pictures(&example_path("insurance-claims"), tmp.path()) {
        support::snapshot!(
            "tests/outputs",
            format!("insurance-claims.export.svg.{name}"),
            svg,
            Ending::Newline
        );
    }
}

#[test]
fn pictures_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let first = pictures(&example_path(example), &tmp.path().join("a"));
        // Into the same folder again (an earlier export's, so it is replaced) and
        // into a new one.
        let again = pictures(&example_path(example), &tmp.path().join("a"));
        let other = pictures(&example_path(example), &tmp.path().join("b"));
        assert!(first == again && first == other, "{example}: two exports differ");
    }
}

#[test]
fn hostile_labels_are_escaped_in_the_pictures_and_shown_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, analysis) = hostile(tmp.path());
    let files = pictures(&ws, &tmp.path().join("out"));
    for (name, svg) in &files {
        let doc = check_picture(name, svg);
        // No control character but line breaks, as XML requires and the policy says.
        assert!(
            !svg.chars().any(|c| c.is_control() && c != '\n'),
            "{name}: a raw control character"
        );
        // A direction control is always inside an isolate that closes it, on its
        // line: each line is a text chunk of its own.
        for node in doc.descendants().filter(|n| n.has_tag_name("tspan") || n.has_tag_name("title"))
        {
            let text = node.text().unwrap_or_default();
            if text.contains('\u{202e}') {
                assert!(
                    text.starts_with('\u{2068}') && text.ends_with('\u{2069}'),
                    "{name}: {text:?}"
                );
            }
        }
    }
    for (journey, labels) in journey_pictures(&analysis) {
        let file = format!("{journey}.svg");
        let (_, svg) = files.iter().find(|(n, _)| *n == file).unwrap();
        check_labels(&file, &check_picture(&file, svg), &labels);
        // The markup in the labels is text: `<script>`, `<img …>` and `&` are drawn.
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"), "{file}");
        assert!(svg.contains("\\u{1b}[2J"), "{file}: the escape is shown");
    }
    let title = |name: &str| {
        let (_, svg) = files.iter().find(|(n, _)| n == name).unwrap();
        roxmltree::Document::parse(svg)
            .unwrap()
            .root_element()
            .first_element_child()
            .unwrap()
            .text()
            .unwrap()
            .to_owned()
    };
    assert_eq!(title("j.svg"), "Service blueprint: journey: <script>alert(1)</script>");
}

#[test]
fn svg_needs_an_output_folder() {
    export("svg", &example_path("b2b-order"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("-o DIR"));
}

#[test]
fn a_workspace_with_errors_draws_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), WITH_ERROR);
    let out = tmp.path().join("out");
    export("svg", &ws).arg("-o").arg(&out).assert().code(1).stdout("");
    assert!(!out.exists(), "a folder was written");
    // An earlier export's folder stays as it was.
    pictures(&example_path("b2b-order"), &out);
    let before = fs::read_to_string(out.join("capabilities.svg")).unwrap();
    export("svg", &ws).arg("-o").arg(&out).assert().code(1);
    assert_eq!(fs::read_to_string(out.join("capabilities.svg")).unwrap(), before);
    // Nor a report with pictures.
    let report = tmp.path().join("report.md");
    export("markdown", &ws).arg("-o").arg(&report).assert().code(1);
    assert!(!report.exists() && !tmp.path().join("report").exists());
}

#[test]
fn pictures_never_replace_what_is_not_ours() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder of someone else's files.
    let theirs = tmp.path().join("theirs");
    write(&theirs.join("notes.txt"), "mine");
    export("svg", &example_path("b2b-order"))
        .arg("-o")
        .arg(&theirs)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notes.txt"));
    assert_eq!(fs::read_to_string(theirs.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(&theirs).unwrap().count(), 1);
    // A file.
    let file = tmp.path().join("file.svg");
    fs::write(&file, "x").unwrap();
    export("svg", &example_path("b2b-order")).arg("-o").arg(&file).assert().code(2);
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    // The workspace itself.
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), HOSTILE);
    export("svg", &ws)
        .arg("-o")
        .arg(&ws)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contains the source"));
    assert_eq!(fs::read_to_string(ws.join("main.journey")).unwrap(), HOSTILE);
}

#[test]
fn a_report_in_a_file_links_its_pictures_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("my report.md");
    export("markdown", &example_path("insurance-claims"))
        .arg("-o")
        .arg(&report)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("5 pictures"));
    let text = fs::read_to_string(&report).unwrap();
    let folder = tmp.path().join("my report");
    let links: Vec<&str> = text
        .match_indices("](")
        .map(|(at, _)| &text[at + 2..at + 2 + text[at + 2..].find(')').unwrap()])
        .collect();
    assert_eq!(links.len(), 5, "{links:?}");
    assert!(
        text.contains("![Service blueprint of Motor Claim](my%20report/motor_claim.svg)"),
        "{text}"
    );
    for link in links {
        let path = tmp.path().join(link.replace("%20", " "));
        assert!(path.is_file(), "{link} does not lead to a picture");
        check_picture(link, &fs::read_to_string(path).unwrap());
    }
    assert_eq!(
        fs::read_dir(&folder)
            .unwrap()
            .filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
            .count(),
        5
    );
    // Without `-o`, the report is text only.
    assert!(!exported("markdown", &example_path("insurance-claims")).contains("## Pictures"));
}

/// The report and its pictures change together: when the report cannot be written
/// (it is read-only, which `journey` refuses even as root), the folder of pictures
/// is left as it was.
#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_leaves_its_pictures_as_they_were() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("r.md");
    export("markdown", &example_path("b2b-order")).arg("-o").arg(&report).assert().code(0);
    let before = fs::read_to_string(tmp.path().join("r/capabilities.svg")).unwrap();
    fs::set_permissions(&report, fs::Permissions::from_mode(0o444)).unwrap();
    export("markdown", &example_path("insurance-claims"))
        .arg("-o")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read-only"));
    assert_eq!(fs::read_to_string(tmp.path().join("r/capabilities.svg")).unwrap(), before);
    assert!(!tmp.path().join("r/motor_claim.svg").exists());
    let left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| n == "r" || n == "r.md"), "{left:?}");
}
