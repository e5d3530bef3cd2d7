//! Helpers shared by the integration tests: loading workspaces with stable paths,
//! `//~ CODE` expected-diagnostic annotations, span soundness and golden files.
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

// ------------------------------------------------------------------ golden files

/// Whether `BLESS=1` asks to rewrite expected files instead of comparing.
pub fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares `actual` with the file at `path` (relative to the crate root), or
/// writes it when blessing.
pub fn golden(path: &str, actual: &str) -> Result<(), String> {
    let full = root().join(path);
    if blessing() {
        std::fs::write(&full, actual).map_err(|e| format!("cannot write `{path}`: {e}"))?;
        return Ok(());
    }
    let expected = match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(e) => return Err(format!("cannot read `{path}` ({e}); run with BLESS=1 to create it")),
    };
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "`{path}` differs from the output (- expected, + actual); run with BLESS=1 to accept:\n{}",
        diff(&expected, actual)
    ))
}

/// Lines of context shown around each change in a diff.
const CONTEXT: usize = 2;

/// A line diff (longest common subsequence), with a few lines of context.
pub fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    // common[i][j]: the length of the longest common subsequence of old[i..] and new[j..].
    let mut common = vec![vec![0u32; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            ops.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || common[i + 1][j] >= common[i][j + 1]) {
            ops.push(('-', old[i]));
            i += 1;
        } else {
            ops.push(('+', new[j]));
            j += 1;
        }
    }
    let changed: Vec<usize> =
        ops.iter().enumerate().filter(|(_, (kind, _))| *kind != ' ').map(|(at, _)| at).collect();
    let mut out = String::new();
    let mut last_shown = None::<usize>;
    for (at, (kind, line)) in ops.iter().enumerate() {
        if !changed.iter().any(|&c| c.abs_diff(at) <= CONTEXT) {
            continue;
        }
        if last_shown.is_some_and(|shown| shown + 1 != at) {
            out.push_str("   …\n");
        }
        let _ = writeln!(out, "{kind}  {line}");
        last_shown = Some(at);
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    out
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
