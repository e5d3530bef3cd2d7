//! Helpers shared by `html.rs` and by `tests/browser.rs` (which includes this file): building a site with the
//! real binary, reading its pages with a small HTML tokenizer, and the hostile
//! workspace (`tests/fixtures/hostile/`) with the strings it is made of.
//!
//! The tokenizer is deliberately simple and conservative: only `<style>` and
//! `<script>` hold raw text, so markup that escaped escaping anywhere else (even
//! inside a `<title>` or `<textarea>`) shows up as a tag.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example workspace: the folders of `examples/`, sorted.
pub fn examples() -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "examples/ has no example");
    out
}

/// `journey` run from the crate root, with a clean environment.
pub fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

/// A built site in a temporary folder.
pub struct Site {
    /// Keeps the folder alive; `dir` is inside it.
    pub tmp: tempfile::TempDir,
    pub dir: PathBuf,
    /// The names of the files written, sorted.
    pub files: Vec<String>,
    pub json: Value,
}

/// One journey of a site: its id, its page and its touchpoints' paths, in order.
#[derive(Debug, Clone)]
pub struct Journey {
    pub id: String,
    pub label: String,
    pub page: String,
    pub touchpoints: Vec<String>,
}

impl Site {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    /// The HTML pages written: `index.html` first, then the journeys' pages.
    pub fn pages(&self) -> Vec<String> {
        let mut pages: Vec<String> =
            self.files.iter().filter(|f| has_extension(f, "html")).cloned().collect();
        pages.sort_by_key(|p| (p != "index.html", p.clone()));
        pages
    }

    /// The journeys, from traceability.json; each page is `<journey-id>.html`.
    pub fn journeys(&self) -> Vec<Journey> {
        self.json["journeys"]
            .as_array()
            .expect("traceability.json has journeys")
            .iter()
            .map(|j| {
                let id = j["id"].as_str().expect("a journey has an id").to_owned();
                let touchpoints = j["stages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|s| s["touchpoints"].as_array().unwrap())
                    .map(|t| t["path"].as_str().expect("a touchpoint has a path").to_owned())
                    .collect();
                Journey {
                    page: format!("{id}.html"),
                    label: j["label"].as_str().unwrap().to_owned(),
                    id,
                    touchpoints,
                }
            })
            .collect()
    }

    /// Every touchpoint path of the workspace, in order.
    pub fn touchpoints(&self) -> Vec<String> {
        self.journeys().into_iter().flat_map(|j| j.touchpoints).collect()
    }

    /// The touchpoints a page must show: a journey's own on its page, none on any
    /// other page (the overview shows the journeys, not their touchpoints).
    pub fn expected_touchpoints(&self, page: &str) -> Vec<String> {
        let journey = self.journeys().into_iter().find(|j| j.page == page);
        journey.map(|j| j.touchpoints).unwrap_or_default()
    }

    /// The pages of the model's other views: one per value stream
    /// (`stream-<id>.html`), the capability map and the people.
    pub fn view_pages(&self) -> Vec<String> {
        let mut out: Vec<String> = self.json["value_streams"]
            .as_array()
            .expect("traceability.json has value streams")
            .iter()
            .map(|v| format!("stream-{}.html", v["id"].as_str().expect("a value stream has an id")))
            .collect();
        out.extend(["capabilities.html".to_owned(), "people.html".to_owned()]);
        out
    }

    /// Whether `page` is a journey's page.
    pub fn is_journey_page(&self, page: &str) -> bool {
        self.journeys().iter().any(|j| j.page == page)
    }

    /// Every activity path of the workspace.
    pub fn activities(&self) -> Vec<String> {
        self.json["value_streams"]
            .as_array()
            .expect("traceability.json has value streams")
            .iter()
            .flat_map(|v| v["stages"].as_array().unwrap())
            .flat_map(|s| s["activities"].as_array().unwrap())
            .map(|a| a["path"].as_str().expect("an activity has a path").to_owned())
            .collect()
    }
}

fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| e == extension)
}

/// `journey build WORKSPACE -o OUT [--title TITLE]`, expecting success.
pub fn build(workspace: &Path, title: Option<&str>) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let mut cmd = journey();
    cmd.arg("build").arg(workspace).arg("-o").arg(&dir);
    if let Some(title) = title {
        cmd.arg("--title").arg(title);
    }
    let output = cmd.output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "`journey build {}` failed:\n{}",
        workspace.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let text = fs::read_to_string(dir.join("traceability.json")).expect("traceability.json");
    let json = serde_json::from_str(&text).expect("traceability.json is JSON");
    Site { tmp, dir, files, json }
}

pub fn build_example(example: &str) -> Site {
    build(&root().join("examples").join(example), None)
}

// ------------------------------------------------------------------ tokenizer

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `<!doctype …>` and other `<!…>` declarations.
    Declaration(String),
    Comment(String),
    Start(Tag),
    End(String),
    /// Text, with its character references decoded.
    Text(String),
    /// The content of a `<style>` or `<script>` element, as written.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower case.
    pub name: String,
    /// Names in lower case, values decoded, in order.
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class").is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
    }
}

/// Splits HTML into tokens. Never fails: anything it does not recognise is text.
pub fn tokenize(html: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Token>| {
        if !text.is_empty() {
            out.push(Token::Text(decode(text)));
            text.clear();
        }
    };
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            text.push_str(rest);
            break;
        };
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        let next = rest[1..].chars().next();
        if let Some(body) = rest.strip_prefix("<!--") {
            flush(&mut text, &mut out);
            let end = body.find("-->").unwrap_or(body.len());
            out.push(Token::Comment(body[..end].to_owned()));
            rest = body.get(end + 3..).unwrap_or("");
        } else if let Some(body) = rest.strip_prefix("<!") {
            flush(&mut text, &mut out);
            let end = body.find('>').unwrap_or(body.len());
            out.push(Token::Declaration(body[..end].to_owned()));
            rest = body.get(end + 1..).unwrap_or("");
        } else if rest.starts_with("</") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            flush(&mut text, &mut out);
            let body = &rest[2..];
            let end = body.find('>').unwrap_or(body.len());
            let name = body[..end].split(|c: char| c.is_whitespace() || c == '/').next().unwrap();
            out.push(Token::End(name.to_ascii_lowercase()));
            rest = body.get(end + 1..).unwrap_or("");
        } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
            flush(&mut text, &mut out);
            let (tag, after) = start_tag(&rest[1..]);
            rest = after;
            let raw = tag.name == "style" || tag.name == "script";
            let name = tag.name.clone();
            out.push(Token::Start(tag));
            if raw {
                let close = format!("</{name}");
                let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                out.push(Token::Raw(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        } else {
            text.push('<');
            rest = &rest[1..];
        }
    }
    flush(&mut text, &mut out);
    out
}

/// Reads a start tag after its `<`; returns it and the text after its `>`.
fn start_tag(s: &str) -> (Tag, &str) {
    let name_end = s.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(s.len());
    let name = s[..name_end].to_ascii_lowercase();
    let mut rest = &s[name_end..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
            break;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>').unwrap_or(1);
        let end = end.max(1);
        let attr = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            rest = after.trim_start();
            if let Some(q) = rest.chars().next().filter(|&c| c == '"' || c == '\'') {
                let body = &rest[1..];
                let close = body.find(q).unwrap_or(body.len());
                value = decode(&body[..close]);
                rest = body.get(close + 1..).unwrap_or("");
            } else {
                let close =
                    rest.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(rest.len());
                value = decode(&rest[..close]);
                rest = &rest[close..];
            }
        }
        attrs.push((attr, value));
    }
    (Tag { name, attrs }, rest)
}

/// Decodes character references: numeric ones and the few named ones pages use.
/// An unknown or unterminated reference is kept as written.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map(|e| e + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => {
                let name = &rest[1..end];
                let c = if let Some(hex) =
                    name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{a0}'),
                        _ => None,
                    }
                };
                c.map(|c| (c, end + 1))
            }
            _ => None,
        };
        if let Some((c, len)) = decoded {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The start tags of a token list.
pub fn start_tags(tokens: &[Token]) -> impl Iterator<Item = &Tag> {
    tokens.iter().filter_map(|t| match t {
        Token::Start(tag) => Some(tag),
        _ => None,
    })
}

/// The decoded text nodes of a token list.
pub fn texts(tokens: &[Token]) -> impl Iterator<Item = &str> {
    tokens.iter().filter_map(|t| match t {
        Token::Text(text) => Some(text.as_str()),
        _ => None,
    })
}

/// The text of the document's first `<title>` element, decoded.
pub fn title(tokens: &[Token]) -> Option<String> {
    let start =
        tokens.iter().position(|t| matches!(t, Token::Start(tag) if tag.name == "title"))?;
    let mut out = String::new();
    for t in &tokens[start + 1..] {
        match t {
            Token::Text(text) => out.push_str(text),
            _ => break,
        }
    }
    Some(out)
}

/// Every value of `data-touchpoint`, in order.
pub fn data_touchpoints(tokens: &[Token]) -> Vec<String> {
    start_tags(tokens).filter_map(|t| t.attr("data-touchpoint")).map(str::to_owned).collect()
}

/// How many times each value occurs.
pub fn counts<I: IntoIterator<Item = String>>(items: I) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for item in items {
        *out.entry(item).or_insert(0) += 1;
    }
    out
}

/// Compares the `data-touchpoint` values of a page with the touchpoints it must show,
/// each exactly once. Returns the problems, one per line.
pub fn touchpoint_problems(tokens: &[Token], expected: &[String]) -> Vec<String> {
    let found = counts(data_touchpoints(tokens));
    let mut problems = Vec::new();
    for path in expected {
        match found.get(path) {
            Some(1) => {}
            Some(n) => problems.push(format!("touchpoint `{path}` appears {n} times")),
            None => problems.push(format!("touchpoint `{path}` is missing")),
        }
    }
    for path in found.keys() {
        if !expected.contains(path) {
            problems.push(format!("touchpoint `{path}` does not belong on this page"));
        }
    }
    problems
}

// ------------------------------------------------------------------ hostile input

/// The folder of the hostile workspace.
pub fn hostile_dir() -> PathBuf {
    root().join("tests/fixtures/hostile")
}

pub fn hostile_text() -> String {
    fs::read_to_string(hostile_dir().join("hostile.journey")).expect("the hostile fixture exists")
}

/// The site title used with the hostile workspace: hostile too.
pub const HOSTILE_TITLE: &str = "Title <script>document.title='PWNED'</script> {{ 7*7 }} &amp;&lt;";

/// The attacks the hostile workspace is made of; each occurs in it, decoded.
pub const PAYLOADS: [&str; 11] = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "\"><svg onload=\"document.title='PWNED'\">",
    "</style><script>document.title='PWNED'</script>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "</textarea><!--",
    "' onmouseover='x",
    "&amp;&lt;",
    // A right-to-left override: the fixture combines it with emoji.
    "\u{202e}",
];

/// What a string of the `.journey` text is: a `"…"` literal or a `///` comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Literal,
    Doc,
}

/// A string of a `.journey` text: where it is (the literal with its quotes, or
/// the doc comment line after its `///`), what it is and its value.
#[derive(Debug, Clone)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub value: String,
}

/// Every string literal (escapes resolved) and doc-comment line (one space after
/// `///` and trailing white space dropped) of a `.journey` text, in order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if text[i..].starts_with("//") => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                if text[i..].starts_with("///") && !text[i..].starts_with("////") {
                    let body = &text[i + 3..end];
                    let value = body.strip_prefix(' ').unwrap_or(body).trim_end().to_owned();
                    out.push(Piece { start: i + 3, end, kind: Kind::Doc, value });
                }
                i = end;
            }
            b'"' => {
                let mut value = String::new();
                let mut chars = text[i + 1..].char_indices();
                let mut end = text.len();
                while let Some((at, c)) = chars.next() {
                    match c {
                        '"' => {
                            end = i + 1 + at + 1;
                            break;
                        }
                        '\\' => match chars.next().map(|(_, c)| c) {
                            Some('n') => value.push('\n'),
                            Some('t') => value.push('\t'),
                            Some('u') => {
                                let mut hex = String::new();
                                for (_, c) in chars.by_ref() {
                                    if c == '}' {
                                        break;
                                    }
                                    if c != '{' {
                                        hex.push(c);
                                    }
                                }
                                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                                value.push(c.expect("a valid \\u escape"));
                            }
                            Some(c) => value.push(c),
                            None => {}
                        },
                        c => value.push(c),
                    }
                }
                out.push(Piece { start: i, end, kind: Kind::Literal, value });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// The values an element's strings take in the model: literals as they are, and
/// consecutive doc-comment lines joined with line breaks.
pub fn string_values(text: &str) -> Vec<String> {
    let pieces = pieces(text);
    let mut out: Vec<String> = Vec::new();
    let mut last_doc_line = None::<usize>;
    for p in pieces {
        match p.kind {
            Kind::Literal => {
                out.push(p.value);
                last_doc_line = None;
            }
            Kind::Doc => {
                let line = text[..p.start].matches('\n').count();
                if last_doc_line == Some(line.wrapping_sub(1)) {
                    let joined = out.last_mut().unwrap();
                    joined.push('\n');
                    joined.push_str(&p.value);
                } else {
                    out.push(p.value);
                }
                last_doc_line = Some(line);
            }
        }
    }
    out
}

/// The same text with every string and doc comment replaced by a harmless one:
/// the twin whose pages must have the same markup as the hostile ones.
pub fn harmless_twin(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (n, p) in pieces(text).into_iter().enumerate() {
        out.push_str(&text[at..p.start]);
        match p.kind {
            Kind::Literal => write!(out, "\"harmless text {n}\""),
            Kind::Doc => write!(out, " harmless doc {n}"),
        }
        .unwrap();
        at = p.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Every string of a JSON value, recursively (object keys excluded).
pub fn json_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// What in a page shows that the hostile text became markup, or ran. Works on the
/// generated file and on the DOM Chromium dumps (which escapes its text nodes).
pub fn markup_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    for needle in ["<script", "<img", "<svg onload", "</textarea", "<iframe"] {
        if lower.contains(needle) {
            problems.push(format!("the page contains `{needle}`"));
        }
    }
    let tokens = tokenize(html);
    for token in &tokens {
        // `</textarea><!--` let through would open a comment that swallows the page.
        if let Token::Comment(c) = token {
            if ["PWNED", "alert(", "7*7", "onmouseover", "textarea"].iter().any(|w| c.contains(w)) {
                problems.push(format!("a comment swallowed text of the workspace: {c:?}"));
            }
        }
    }
    for tag in start_tags(&tokens) {
        if ["script", "img", "iframe", "textarea", "object", "embed", "base", "form", "link"]
            .contains(&tag.name.as_str())
        {
            problems.push(format!("a <{}> element: {tag:?}", tag.name));
        }
        for (name, value) in &tag.attrs {
            if name.starts_with("on") {
                problems.push(format!("an event handler `{name}` on <{}>: {value:?}", tag.name));
            }
            if value.trim_start().to_ascii_lowercase().starts_with("javascript:") {
                problems.push(format!("a `javascript:` URL in `{name}` on <{}>", tag.name));
            }
        }
    }
    problems
}
