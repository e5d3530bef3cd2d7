//! The layout of the tests themselves: Cargo.toml lists the test crates
//! (`autotests = false`), so a test file that no crate compiles would never run and
//! never fail. Every `.rs` file under `tests/` must be reached from a target of
//! Cargo.toml through `mod` declarations, and there are at most four test crates,
//! since each one links the whole library (issue 16).

use crate::support;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Test crates allowed, at most.
const MOST_TEST_CRATES: usize = 4;

/// The targets of Cargo.toml: `(section, path)` for each `[[test]]`, `[[bin]]` and
/// `[[bench]]` with a `path`.
fn targets(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            line.clone_into(&mut section);
        } else if let Some(value) = line.strip_prefix("path") {
            let value = value.trim_start().trim_start_matches('=').trim();
            out.push((section.clone(), value.trim_matches('"').to_owned()));
        }
    }
    out
}

/// The files a Rust file declares as modules: `mod x;` (`x.rs` or `x/mod.rs` beside
/// a crate root or a `mod.rs`, or in a folder named after any other file) and
/// `#[path = "…"] mod x;` (relative to the file's folder).
fn modules(file: &Path, root: bool, text: &str) -> Vec<PathBuf> {
    let dir = file.parent().unwrap();
    let own_dir = if root || file.file_name().is_some_and(|n| n == "mod.rs") {
        dir.to_path_buf()
    } else {
        dir.join(file.file_stem().unwrap())
    };
    let mut out = Vec::new();
    let mut path_attribute = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[path = \"") {
            path_attribute = rest.strip_suffix("\"]").map(str::to_owned);
            continue;
        }
        let declared = line.strip_prefix("pub ").unwrap_or(line);
        let module = declared.strip_prefix("mod ").and_then(|m| m.strip_suffix(';'));
        if let Some(module) = module.filter(|m| m.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            if let Some(path) = path_attribute.take() {
                out.push(dir.join(path));
            } else {
                let flat = own_dir.join(format!("{module}.rs"));
                out.push(if flat.is_file() { flat } else { own_dir.join(module).join("mod.rs") });
            }
        } else if !line.starts_with("#[") {
            path_attribute = None;
        }
    }
    out
}

/// Normalises `a/b/../c` to `a/c`, so that paths reached through `#[path]` compare.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn every_test_file_is_compiled_and_test_crates_are_few() {
    let root = support::root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let targets = targets(&manifest);
    let crates = targets.iter().filter(|(section, _)| section == "[[test]]").count();
    assert!(
        (1..=MOST_TEST_CRATES).contains(&crates),
        "{crates} test crates in Cargo.toml; at most {MOST_TEST_CRATES}: add a module to \
         tests/it/main.rs instead"
    );
    assert!(manifest.contains("autotests = false"), "Cargo.toml lists its test crates");

    let mut reached = BTreeSet::new();
    let mut queue: Vec<(PathBuf, bool)> = targets
        .iter()
        .filter(|(_, path)| path.starts_with("tests/"))
        .map(|(_, path)| (root.join(path), true))
        .collect();
    while let Some((file, is_root)) = queue.pop() {
        let file = normalise(&file);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        queue.extend(modules(&file, is_root, &text).into_iter().map(|m| (m, false)));
        reached.insert(file);
    }
    let files = support::rust_files(&root.join("tests"));
    assert!(files.len() > 20, "only {} .rs files under tests/", files.len());
    let lost: Vec<_> = files.difference(&reached).collect();
    assert!(lost.is_empty(), "test files that no target of Cargo.toml compiles: {lost:#?}");
}

/// The module finder on a sample, so that the test above cannot pass by finding
/// nothing to check.
#[test]
fn modules_are_found_as_rustc_finds_them() {
    let text = "mod a;\npub mod b;\n#[path = \"../x/y.rs\"]\nmod c;\n// mod d;\nmod e {\n}\n\
                mod f { fn g() {} }\";\n";
    let root = Path::new("/t");
    assert_eq!(
        modules(&root.join("it/main.rs"), true, text),
        [root.join("it/a/mod.rs"), root.join("it/b/mod.rs"), root.join("it/../x/y.rs"),]
    );
    assert_eq!(modules(&root.join("it/cli.rs"), false, "mod a;\n"), [root.join("it/cli/a/mod.rs")]);
    assert_eq!(modules(&root.join("it/x/mod.rs"), false, "mod a;\n"), [root.join("it/x/a/mod.rs")]);
    assert_eq!(normalise(&root.join("it/../x/./y.rs")), root.join("x/y.rs"));
    let manifest =
        "[[test]]\nname = \"it\"\npath = \"tests/it/main.rs\"\n[lib]\npath = \"src/lib.rs\"\n";
    assert_eq!(
        targets(manifest),
        [
            ("[[test]]".to_owned(), "tests/it/main.rs".to_owned()),
            ("[lib]".to_owned(), "src/lib.rs".to_owned())
        ]
    );
}
