//! Helpers shared by the integration tests: loading workspaces with stable paths,
//! `//~ CODE` expected-diagnostic annotations, span soundness and snapshots.
//!
//! An annotation is a trailing comment `//~ CODE [CODE…]` on a line of a `.journey`
//! text. It means: a diagnostic with that code has its primary label starting on
//! that line. Codes may be written `journey::gap` or `gap`. A line without `//~`
//! must have no diagnostic.

#![allow(dead_code)]

#[path = "../../../benches/support/generate.rs"]
pub mod generate;
pub mod lsp_client;
pub mod pages;

use journey::analysis::{Analysis, analyze};
use journey::check::Levels;
use journey::diagnostic::{Code, Diagnostic};
use journey::source::{Sources, Span};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The crate root: every path in test outputs is relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a file or folder given relative to the crate root, through the real
/// workspace loader, and renames its files relative to the crate root so that
/// every output is the same on every machine.
pub fn load(rel: &str) -> Sources {
    let (sources, errors) = journey::workspace::load(&[root().join(rel)]);
    assert!(
        errors.is_empty(),
        "cannot load `{rel}`: {}",
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    );
    relativize(&sources)
}

/// The same sources with paths relative to the crate root, forward slashes.
pub fn relativize(sources: &Sources) -> Sources {
    let root = root();
    let mut out = Sources::new();
    for (_, f) in sources.iter() {
        let rel = f.path.strip_prefix(&root).unwrap_or(&f.path);
        let shown = rel.to_string_lossy().replace('\\', "/");
        out.add(shown, f.text.clone()).expect("test files are small");
    }
    out
}

/// A workspace of in-memory files: `(path, text)` pairs.
pub fn sources(files: &[(&str, &str)]) -> Sources {
    let mut s = Sources::new();
    for (path, text) in files {
        s.add(*path, (*text).to_owned()).expect("test files are small");
    }
    s
}

/// One single-file workspace named `test.journey`.
pub fn single(text: &str) -> Sources {
    sources(&[("test.journey", text)])
}

/// Analyses with the default lint levels.
pub fn analyze_default(sources: &Sources) -> Analysis {
    analyze(sources, &Levels::default())
}

// ------------------------------------------------------------------ annotations

/// The `//~` annotations of a text: `(1-based line, code)` pairs, in order.
pub fn annotations(text: &str) -> Result<Vec<(usize, Code)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("//~") else { continue };
        let rest = &line[at + 3..];
        let mut any = false;
        for word in rest.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()) {
            let code = Code::parse(word).ok_or_else(|| {
                format!("line {}: `{word}` in a `//~` annotation is not a diagnostic code", i + 1)
            })?;
            out.push((i + 1, code));
            any = true;
        }
        if !any {
            return Err(format!("line {}: a `//~` annotation names no code", i + 1));
        }
    }
    Ok(out)
}

/// A diagnostic as the annotations see it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub file: String,
    pub line: usize,
    pub code: Code,
    pub message: String,
}

/// Where each diagnostic's primary label starts.
pub fn found(sources: &Sources, diagnostics: &[Diagnostic]) -> Vec<Found> {
    diagnostics
        .iter()
        .map(|d| {
            let f = sources.get(d.primary.span.file);
            Found {
                file: f.display_path(),
                line: f.line_col(d.primary.span.start).line,
                code: d.code,
                message: format!("[{}] {}", d.severity.as_str(), d.message),
            }
        })
        .collect()
}

/// Compares the multiset of `(file, line, code)` annotated in every file of
/// `sources` with what was reported. On a mismatch, returns a readable report.
pub fn check_annotations(sources: &Sources, diagnostics: &[Diagnostic]) -> Result<(), String> {
    let mut expected: Vec<(String, usize, Code)> = Vec::new();
    let mut problems = String::new();
    for (_, f) in sources.iter() {
        match annotations(&f.text) {
            Ok(list) => {
                expected.extend(list.into_iter().map(|(l, c)| (f.display_path(), l, c)));
            }
            Err(e) => {
                let _ = writeln!(problems, "{}: bad annotation: {e}", f.display_path());
            }
        }
    }
    let actual = found(sources, diagnostics);
    let mut unexpected = Vec::new();
    for a in &actual {
        if let Some(i) =
            expected.iter().position(|(f, l, c)| *f == a.file && *l == a.line && *c == a.code)
        {
            expected.swap_remove(i);
        } else {
            unexpected.push(a);
        }
    }
    expected.sort();
    unexpected.sort();
    if expected.is_empty() && unexpected.is_empty() && problems.is_empty() {
        return Ok(());
    }
    let mut out = String::from("diagnostics do not match the `//~` annotations\n");
    out.push_str(&problems);
    if !expected.is_empty() {
        out.push_str("  annotated but not reported:\n");
        for (f, l, c) in &expected {
            let _ = writeln!(out, "    {f}:{l}: expected {c}");
        }
    }
    if !unexpected.is_empty() {
        out.push_str("  reported but not annotated:\n");
        for a in &unexpected {
            let _ = writeln!(out, "    {}:{}: {} {}", a.file, a.line, a.code, a.message);
        }
    }
    out.push_str("  everything reported:\n");
    let mut all = actual.clone();
    all.sort();
    for a in &all {
        let _ = writeln!(out, "    {}:{}: {} {}", a.file, a.line, a.code, a.message);
    }
    Err(out)
}

// ------------------------------------------------------------------ spans

/// Checks that a span lies inside its file and on character boundaries.
pub fn span_problem(sources: &Sources, span: Span) -> Option<String> {
    if span.file.0 as usize >= sources.len() {
        return Some(format!("{span:?} names a file that does not exist"));
    }
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    if start > end {
        return Some(format!("{span:?} ends before it starts"));
    }
    if end > text.len() {
        return Some(format!("{span:?} ends after the end of the file ({} bytes)", text.len()));
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Some(format!("{span:?} is not on character boundaries"));
    }
    None
}

/// Every label of every diagnostic lies inside its file, on character boundaries.
pub fn check_spans(sources: &Sources, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for d in diagnostics {
        for label in std::iter::once(&d.primary).chain(&d.secondary) {
            if let Some(p) = span_problem(sources, label.span) {
                return Err(format!("{} `{}` label `{}`: {p}", d.code, d.message, label.message));
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ snapshots

/// How a snapshotted text ends and breaks its lines. An insta snapshot holds the
/// text with its end trimmed and `\r\n` read as `\n`, and insta compares texts so;
/// [`snapshot!`] checks the rest against this, so that the two together hold every
/// byte of the text.
#[derive(Clone, Copy, Debug)]
pub enum Ending {
    /// One `\n` after the last line, `\n` between lines (or no text at all).
    Newline,
    /// A blank line after the last line, `\n` between lines (or no text at all): the
    /// human report, which ends every diagnostic with a blank line.
    BlankLine,
    /// `\r\n` after every line, the last one too: CSV records (RFC 4180).
    CrLf,
}

impl Ending {
    /// The whole text, from the snapshot's contents: the text as insta keeps it.
    pub fn restore(self, kept: &str) -> String {
        if kept.is_empty() {
            return String::new();
        }
        match self {
            Ending::Newline => format!("{kept}\n"),
            Ending::BlankLine => format!("{kept}\n\n"),
            Ending::CrLf => format!("{}\r\n", kept.replace('\n', "\r\n")),
        }
    }
}

/// The text as an insta snapshot keeps it (`TextSnapshotContents::normalize`).
pub fn kept(text: &str) -> String {
    text.trim_end().replace("\r\n", "\n")
}

/// insta's settings for the snapshots of a folder (relative to the crate root):
/// each file named `<name>.snap` after the snapshot alone, without the expression
/// that made it, so that the files read as the outputs they hold.
pub fn snapshots_in(dir: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Asserts that `text` equals the snapshot `<dir>/<name>.snap` (`dir` relative to
/// the crate root) and ends as `ending` says: `snapshot!(dir, name, text, ending)`.
/// A new or changed snapshot is accepted with `INSTA_UPDATE=always cargo test` or
/// `cargo insta review` (see `main.rs`).
macro_rules! snapshot {
    ($dir:expr, $name:expr, $text:expr, $ending:expr $(,)?) => {{
        let name: &str = &$name;
        let text: &str = &$text;
        $crate::support::snapshots_in($dir).bind(|| insta::assert_snapshot!(name, text));
        let ending: $crate::support::Ending = $ending;
        assert!(
            ending.restore(&$crate::support::kept(text)) == text,
            "`{name}` matches its snapshot but does not end as {ending:?} says: {:?}",
            &text[text.len().saturating_sub(40)..],
        );
    }};
}
pub(crate) use snapshot;

/// A line diff of two texts for a failure message: `-` expected, `+` actual, with
/// two lines of context.
pub fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected", "actual")
        .to_string()
}

/// Runs `check` on every item, each on its own, then fails naming every item whose
/// check panicked, rather than stopping at the first (each panic's message is
/// printed as it happens).
pub fn each<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, check: impl Fn(&T)) {
    let mut failed = Vec::new();
    let mut count = 0;
    for item in items {
        count += 1;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&item)));
        if outcome.is_err() {
            failed.push(item.to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {count} failed (see above): {}",
        failed.len(),
        failed.join(", ")
    );
}

/// What insta keeps of a text and [`Ending`] give back exactly that text, and
/// nothing else: a text that ends or breaks its lines otherwise fails.
#[test]
fn an_ending_holds_what_a_snapshot_trims() {
    let cases = [
        ("a\nb\n", Ending::Newline, true),
        ("a\nb", Ending::Newline, false),
        ("a\nb\n\n", Ending::Newline, false),
        ("a\nb \n", Ending::Newline, false),
        ("a\r\nb\n", Ending::Newline, false),
        ("", Ending::Newline, true),
        ("\n", Ending::Newline, false),
        ("a\n\nb\n\n", Ending::BlankLine, true),
        ("a\n", Ending::BlankLine, false),
        ("a\n\n\n", Ending::BlankLine, false),
        ("", Ending::BlankLine, true),
        ("a,b\r\nc,d\r\n", Ending::CrLf, true),
        ("a,b\nc,d\r\n", Ending::CrLf, false),
        ("a,b\r\nc,d\n", Ending::CrLf, false),
        ("a,b\r\nc,d", Ending::CrLf, false),
    ];
    for (text, ending, holds) in cases {
        assert_eq!(ending.restore(&kept(text)) == text, holds, "{text:?} as {ending:?}");
    }
}

/// Every `*.journey` file under a folder, sorted.
pub fn journey_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "journey") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every `.rs` file under a folder.
pub fn rust_files(dir: &Path) -> std::collections::BTreeSet<PathBuf> {
    let mut out = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.insert(path);
        }
    }
    out
}

/// Removes every `source` position from `traceability.json`, so that two layouts of
/// the same model compare equal.
pub fn strip_sources(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            map.remove("source");
            map.values_mut().for_each(strip_sources);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_sources),
        _ => {}
    }
}
