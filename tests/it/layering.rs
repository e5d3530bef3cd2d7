//! The layers of the library (`docs/architecture.md`): every `crate::` path in
//! `src/` (a `use`, grouped or not, or a path written inline, and `super::` paths
//! that leave their top-level module) must name a module that [`MAY_IMPORT`] lets
//! its module use. A new top-level module fails the test until it has a row.
//!
//! The layers, lowest first, are `source`; `diagnostic`, `text` (the text layer)
//! and `workspace` (files in); `syntax`; `model`; `check`; `analysis`; the back ends
//! `emit`, `report`, `fmt`, `diff`, `import`, `init`; `output` (files out); the
//! servers `lsp` and `serve`; and `cli`. A module may use the layers below it. Within
//! a layer, and for files in and out, each row says what it may use and why.

use crate::support;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The front end and what it rests on: every module of the library may use these.
const FRONT_END: [&str; 7] =
    ["source", "diagnostic", "text", "syntax", "model", "check", "analysis"];

/// For each top-level module of `src/`, the top-level modules it may import. The
/// rows from `syntax` to `analysis` list the layers below them; every later row is
/// [`FRONT_END`] plus what its own list adds.
const MAY_IMPORT: &[(&str, &[&str])] = &[
    ("source", &[]),
    ("diagnostic", &["source"]),
    // The escapers, number formats and prose helpers that every back end shares
    // (issue 16, item 3).
    ("text", &["source", "diagnostic"]),
    // Only `workspace` reads from disk, into `Sources`: it knows nothing of the
    // language.
    ("workspace", &["source", "diagnostic", "text"]),
    ("syntax", &["source", "diagnostic", "text"]),
    ("model", &["source", "diagnostic", "text", "syntax"]),
    ("check", &["source", "diagnostic", "text", "syntax", "model"]),
    ("analysis", &["source", "diagnostic", "text", "syntax", "model", "check"]),
    // The back ends: no input or output of their own, and none uses another, but
    // for the rows below.
    ("emit", &[]),
    ("report", &[]),
    ("fmt", &[]),
    // `diff` reads the two versions it compares, from folders or from git.
    ("diff", &["workspace"]),
    // `import` formats the text it makes and writes it as new files.
    ("import", &["fmt", "output"]),
    // `journey init` writes its starter workspace through `import`.
    ("init", &["import"]),
    // Only `output` writes to disk: the site that `emit` hands it a file at a time.
    ("output", &["workspace", "emit"]),
    ("lsp", &["workspace", "fmt"]),
    // `serve` builds the site in memory and shows the report when the build fails.
    ("serve", &["workspace", "emit", "report"]),
    (
        "cli",
        &["workspace", "emit", "report", "fmt", "diff", "import", "init", "output", "lsp", "serve"],
    ),
];

/// Modules that must not import `emit`, whatever their rows say: display helpers
/// belong to the text layer, below every back end (issue 16, item 3).
const NEVER_EMIT: [&str; 6] = ["syntax", "model", "check", "fmt", "diff", "lsp"];

/// Modules that do no input or output: they must not import `workspace` or `output`
/// (architecture.md: only `workspace.rs` reads and only `output.rs` writes).
const NO_IO: [&str; 8] =
    ["source", "text", "syntax", "model", "check", "analysis", "emit", "report"];

/// Imports known to run the wrong way, each `(file, module)`, to be removed: a
/// layering change that cannot be made in one step lists what is left here. An
/// entry that no longer occurs fails the test, so that the list cannot outlive the
/// imports it excuses. (The text layer emptied it: `diff` and `lsp` no longer
/// import `emit`.)
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[];

/// What a module may import: its row, plus [`FRONT_END`] from `emit` on.
fn may_import() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out = BTreeMap::new();
    let mut past_front_end = false;
    for &(module, row) in MAY_IMPORT {
        past_front_end |= module == "emit";
        let mut allowed: BTreeSet<&str> = row.iter().copied().collect();
        if past_front_end {
            allowed.extend(FRONT_END);
        }
        allowed.remove(module);
        out.insert(module, allowed);
    }
    out
}

/// The text of Rust code without its comments, string and character literals
/// (each replaced by a space), so that only code is searched for paths.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    while i < chars.len() {
        let c = chars[i];
        if at(i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let mut depth = 0;
            while i < chars.len() {
                if at(i, "/*") {
                    depth += 1;
                    i += 2;
                } else if at(i, "*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (at(i + 1, "\"") || at(i + 1, "#"))
            && !ident_char(chars.get(i.wrapping_sub(1)))
        {
            // A raw string: r"…", r#"…"#, with as many `#` to close as to open.
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String =
                std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            i += 2 + hashes;
            while i < chars.len() && !at(i, &close) {
                i += 1;
            }
            i += close.len();
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' && (chars.get(i + 1) == Some(&'\\') || chars.get(i + 2) == Some(&'\''))
        {
            // A character literal ('x', '\n', '\u{…}'), not a lifetime.
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_char(c: Option<&char>) -> bool {
    c.is_some_and(|&c| c.is_alphanumeric() || c == '_')
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The first names of the items of a `{…}` group at the start of `text`:
/// `{a, b::c, d::{e, f}}` gives `a`, `b` and `d`.
fn group_heads(text: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    for (i, c) in text.char_indices() {
        match c {
            '{' => {
                depth += 1;
                item_start = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => item_start = true,
            c if c.is_whitespace() => {}
            _ if item_start && depth == 1 => {
                heads.push(ident(&text[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The top-level modules a source file imports, given the path of its module
/// (`["diff", "values"]` for `src/diff/values.rs`) and the names `lib.rs`
/// re-exports (`analyze` → `analysis`). Its own module is left out.
fn imports(module: &[&str], text: &str, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let code = code_only(text);
    let own = module.first().copied().unwrap_or("");
    let mut out = BTreeSet::new();
    let mut heads = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if ident_char(code[..at].chars().last().as_ref()) {
            continue; // part of a longer name, such as `mycrate::`
        }
        let rest = &code[at + "crate::".len()..];
        if rest.starts_with('{') {
            heads.extend(group_heads(rest));
        } else {
            heads.push(ident(rest));
        }
    }
    // `super::super::x` from `src/a/b.rs` leaves module `a` for the crate root; each
    // inline module (`mod tests { … }`) around the path takes one `super` more.
    let inline = inline_modules(&code);
    for (at, _) in code.match_indices("super::") {
        if ident_char(code[..at].chars().last().as_ref()) || code[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &code[at..];
        let mut up = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            rest = after;
            up += 1;
        }
        let depth = module.len() + inline.iter().filter(|r| r.contains(&at)).count();
        if up >= depth {
            if rest.starts_with('{') {
                heads.extend(group_heads(rest));
            } else {
                heads.push(ident(rest));
            }
        }
    }
    for head in heads {
        let target = reexports.get(head).map_or(head, String::as_str);
        if !target.is_empty() && target != own && target != "self" {
            out.insert(target.to_owned());
        }
    }
    out
}

/// The bodies of the inline modules (`mod name { … }`) of code without comments and
/// literals, as byte ranges.
fn inline_modules(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("mod ") {
        if ident_char(code[..at].chars().last().as_ref()) {
            continue;
        }
        let after = code[at + 4..].trim_start();
        let name = ident(after);
        if name.is_empty() || !after[name.len()..].trim_start().starts_with('{') {
            continue;
        }
        let open = at + 4 + (code[at + 4..].len() - after.len()) + name.len();
        let open = open + code[open..].find('{').unwrap();
        let mut depth = 0;
        for (i, c) in code[open..].char_indices() {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            if depth == 0 {
                out.push(open..open + i);
                break;
            }
        }
    }
    out
}

/// The names `lib.rs` re-exports at the crate root: `pub use analysis::{Analysis,
/// analyze};` maps `Analysis` and `analyze` to `analysis`.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for statement in code_only(lib).split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else { continue };
        let module = ident(path);
        let rest = &path[module.len()..].trim_start_matches("::");
        let names = if rest.starts_with('{') { group_heads(rest) } else { vec![ident(rest)] };
        for name in names {
            out.insert(name.to_owned(), module.to_owned());
        }
    }
    out
}

/// Every `.rs` file under `src/` with the path of its module: `src/diff/values.rs`
/// is `["diff", "values"]`, `src/diff/mod.rs` is `["diff"]`; `lib.rs` and `main.rs`
/// are the crate roots, `[]`.
fn modules(src: &Path) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for file in support::rust_files(src) {
        let rel = file.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        let mut path: Vec<String> =
            rel.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
        if path.last().is_some_and(|p| p == "mod") || path == ["lib"] || path == ["main"] {
            path.pop();
        }
        out.push((format!("src/{rel}"), path));
    }
    out
}

#[test]
fn imports_run_down_the_layers() {
    let root = support::root();
    let src = root.join("src");
    let reexports = reexports(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(reexports.contains_key("analyze"), "lib.rs re-exports `analyze`: {reexports:?}");
    let allowed = may_import();
    let mut top_level = BTreeSet::new();
    let mut wrong = Vec::new();
    let mut excused = BTreeSet::new();
    let mut edges = 0;
    for (file, module) in modules(&src) {
        let Some(own) = module.first() else { continue }; // lib.rs, main.rs
        top_level.insert(own.clone());
        let Some(may) = allowed.get(own.as_str()) else { continue };
        let module: Vec<&str> = module.iter().map(String::as_str).collect();
        let text = std::fs::read_to_string(root.join(&file)).unwrap();
        for target in imports(&module, &text, &reexports) {
            edges += 1;
            if may.contains(target.as_str()) {
                continue;
            }
            if KNOWN_VIOLATIONS.contains(&(file.as_str(), target.as_str())) {
                excused.insert((file.clone(), target));
                continue;
            }
            wrong.push(format!("{file} imports `{target}`, which `{own}` may not use"));
        }
    }
    assert!(edges > 50, "only {edges} imports found in src/: the parser is broken");

    let unknown: Vec<_> = top_level.iter().filter(|m| !allowed.contains_key(m.as_str())).collect();
    assert!(unknown.is_empty(), "top-level modules without a row in MAY_IMPORT: {unknown:?}");
    let absent: Vec<_> = allowed.keys().filter(|m| !top_level.contains(**m)).collect();
    assert!(absent.is_empty(), "rows of MAY_IMPORT for modules not in src/: {absent:?}");

    let stale: Vec<_> = KNOWN_VIOLATIONS
        .iter()
        .filter(|&&(file, target)| !excused.contains(&(file.to_owned(), target.to_owned())))
        .collect();
    assert!(stale.is_empty(), "KNOWN_VIOLATIONS that no longer occur, remove them: {stale:?}");
    assert!(wrong.is_empty(), "imports that run the wrong way:\n  {}", wrong.join("\n  "));
}

/// The table itself keeps the rules of the issue and of architecture.md, and is a
/// layering: no module can reach itself through what it may import.
#[test]
fn the_table_is_a_layering_that_keeps_the_rules() {
    let allowed = may_import();
    for module in NEVER_EMIT {
        assert!(!allowed[module].contains("emit"), "`{module}` may not import `emit`");
    }
    for module in NO_IO {
        for io in ["workspace", "output"] {
            assert!(!allowed[module].contains(io), "`{module}` does no I/O: no `{io}`");
        }
    }
    for &start in allowed.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = allowed[start].iter().copied().collect();
        while let Some(next) = stack.pop() {
            assert_ne!(next, start, "`{start}` can reach itself: the table is not a layering");
            if seen.insert(next) {
                stack.extend(allowed.get(next).into_iter().flatten().copied());
            }
        }
    }
}

/// The parser on a sample of every form an import takes, so that the tests above
/// cannot pass by finding nothing.
#[test]
fn imports_are_read_in_every_form() {
    let sample = r##"
//! A doc comment naming crate::cli is not an import.
use crate::{diagnostic::Diagnostic, model::{self, Model}, source};
use crate::syntax::ast;
use crate::{
    check::Levels, // crate::lsp in a comment
    workspace,
};
use super::super::emit::format;
use super::sibling::Thing;
/* crate::serve in a block comment */
fn f() -> String {
    let a = crate::report::human(x);
    let b = "crate::output in a string";
    let c = r#"crate::init in a raw string"#;
    let d = '"'; let e = crate::fmt::format(y);
    crate::analyze(z);
    $crate::import::x; not_crate::init::x;
    format!("{a}{b}{c}{d}")
}
"##;
    let reexports = reexports("pub mod analysis;\npub use analysis::{Analysis, analyze};\n");
    assert_eq!(reexports["analyze"], "analysis");
    let found = imports(&["diff", "values"], sample, &reexports);
    let expected = "analysis check diagnostic emit fmt import model report source syntax workspace";
    assert_eq!(found, expected.split(' ').map(str::to_owned).collect::<BTreeSet<_>>());
    // From `src/diff/mod.rs`, one `super` is already the crate root; its own module
    // is never an import of its own.
    let found = imports(&["diff"], "use super::emit::Names;\nuse crate::diff::x;\n", &reexports);
    assert_eq!(found, BTreeSet::from(["emit".to_owned()]));
    // In an inline module, `super` is the file's own module first.
    let tests = "mod tests {\n    use super::*;\n    fn f() { super::super::helper(); }\n}\n\
                 mod more { fn g() { super::super::super::report::x(); } }\n";
    let found = imports(&["text", "terminal"], tests, &reexports);
    assert_eq!(found, BTreeSet::from(["report".to_owned()]));
    assert_eq!(group_heads("{a, b::c, d::{e, f}, self}"), ["a", "b", "d", "self"]);
}
