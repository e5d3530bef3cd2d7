//! What the examples and the documentation report.
//!
//! * Every workspace (sub-folder) of `examples/` reports the diagnostics of its
//!   snapshot, `tests/outputs/<example>.diagnostics.snap`: one line each, as
//!   `code file:line:column severity: message`. The examples carry no test
//!   annotations, since users copy them.
//! * Every ```` ```journey ```` block in `docs/*.md` is a standalone single-file
//!   workspace that checks with exactly its `//~` annotations (see
//!   `support/mod.rs`), a convention of the docs (`docs/language.md`). A block
//!   whose info string also says `ignore` or `fragment` (```` ```journey fragment ````)
//!   is skipped, for snippets that are not complete workspaces.

use crate::support::{self, Ending, snapshot};
use journey::diagnostic::Diagnostic;
use journey::source::Sources;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn example_workspaces() -> Vec<PathBuf> {
    let dir = support::root().join("examples");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The diagnostics as a snapshot shows them: `code file:line:column severity: message`,
/// one a line, in the order they are reported (by place).
fn listed(sources: &Sources, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let file = sources.get(d.primary.span.file);
        let at = file.line_col(d.primary.span.start);
        let (path, severity) = (file.display_path(), d.severity.as_str());
        writeln!(out, "{} {path}:{}:{} {severity}: {}", d.code, at.line, at.column, d.message)
            .unwrap();
    }
    out
}

#[test]
fn examples_report_the_diagnostics_of_their_snapshots() {
    let workspaces = example_workspaces();
    assert!(!workspaces.is_empty(), "no workspace under examples/");
    support::each(workspaces.iter().map(|ws| ws.file_name().unwrap().to_string_lossy()), |name| {
        let sources = support::load(&format!("examples/{name}"));
        assert!(!sources.is_empty(), "`examples/{name}` has no .journey file");
        let analysis = support::analyze_default(&sources);
        if let Err(e) = support::check_spans(&sources, &analysis.diagnostics) {
            panic!("{e}");
        }
        let listed = listed(&sources, &analysis.diagnostics);
        snapshot!("tests/outputs", format!("{name}.diagnostics"), listed, Ending::Newline);
    });
}

/// The examples are what users copy: no test machinery in them.
#[test]
fn examples_carry_no_test_annotations() {
    let files = support::journey_files(&support::root().join("examples"));
    assert!(files.len() > 10, "only {} example files", files.len());
    let annotated: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains("//~"))
        .map(|f| f.strip_prefix(support::root()).unwrap().display().to_string())
        .collect();
    assert!(
        annotated.is_empty(),
        "`//~` annotations in {annotated:?}: expected diagnostics belong in tests/outputs/<example>.diagnostics.snap"
    );
}

/// Every `.journey` file under `examples/` belongs to a workspace folder, so the
/// test above sees it.
#[test]
fn every_example_file_is_in_a_workspace() {
    let dir = support::root().join("examples");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            path.is_dir() || path.extension().is_none_or(|x| x != "journey"),
            "`{}` is outside every example workspace",
            path.display()
        );
    }
}

/// A fenced ```` ```journey ```` block of a Markdown file.
struct Block {
    /// 1-based line of the opening fence.
    fence_line: usize,
    text: String,
}

/// The ```` ```journey ```` blocks of a Markdown text. The text of each block is
/// preceded by as many empty lines as come before it in the file, so that the
/// block's line numbers are the file's line numbers.
fn journey_blocks(markdown: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String, bool)> = None; // (line, fence, text, keep)
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                let fence: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
                if fence.len() >= 3 && fence.chars().all(|c| c == fence.chars().next().unwrap()) {
                    let info = trimmed[fence.len()..].trim();
                    let mut words = info.split(|c: char| c.is_whitespace() || c == ',');
                    let is_journey = words.next() == Some("journey");
                    let skip = info
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .any(|w| w == "ignore" || w == "fragment");
                    open = Some((i + 1, fence, "\n".repeat(i + 1), is_journey && !skip));
                }
            }
            Some((start, fence, text, keep)) => {
                if trimmed.starts_with(fence.as_str()) && trimmed.trim_end() == fence.as_str() {
                    if *keep {
                        blocks.push(Block { fence_line: *start, text: std::mem::take(text) });
                    }
                    open = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    if let Some((start, ..)) = open {
        return Err(format!("the code block opened at line {start} is never closed"));
    }
    Ok(blocks)
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn doc_blocks_check_with_exactly_their_annotations() {
    let docs = support::root().join("docs");
    if !docs.is_dir() {
        eprintln!("docs/ does not exist yet: nothing to check");
        return;
    }
    let mut failures = Vec::new();
    let mut count = 0;
    for md in markdown_files(&docs) {
        let rel = md.strip_prefix(support::root()).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&md).unwrap();
        let blocks = match journey_blocks(&text) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        for block in blocks {
            count += 1;
            let mut sources = Sources::new();
            sources.add(rel.clone(), block.text).unwrap();
            let analysis = support::analyze_default(&sources);
            if let Err(e) = support::check_annotations(&sources, &analysis.diagnostics) {
                failures.push(format!("{rel}, block at line {}: {e}", block.fence_line));
            }
            if let Err(e) = support::check_spans(&sources, &analysis.diagnostics) {
                failures.push(format!("{rel}, block at line {}: {e}", block.fence_line));
            }
        }
    }
    eprintln!("checked {count} ```journey blocks under docs/");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn markdown_blocks_are_found_with_their_line_numbers() {
    let md = "# Title\n\n```journey\nteam a //~ unowned\n```\n\n```text\nnot journey\n```\n\n\
              ````journey fragment\nstage s\n````\n\n  ```journey\n  team b\n  ```\n";
    let blocks = journey_blocks(md).unwrap();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].fence_line, 3);
    assert_eq!(support::annotations(&blocks[0].text).unwrap().len(), 1);
    assert_eq!(support::annotations(&blocks[0].text).unwrap()[0].0, 4);
    assert_eq!(blocks[1].fence_line, 15);
    assert_eq!(blocks[1].text.lines().nth(15), Some("  team b"));
    assert!(journey_blocks("```journey\nteam a\n").is_err());
}

#[test]
fn annotations_parse_codes_with_or_without_prefix() {
    use journey::diagnostic::Code;
    let text = "team a\nteam b //~ gap journey::waste\n// x //~ handoff, unowned\n";
    assert_eq!(
        support::annotations(text).unwrap(),
        vec![(2, Code::Gap), (2, Code::Waste), (3, Code::Handoff), (3, Code::Unowned)]
    );
    assert!(support::annotations("team a //~ journey::nope\n").is_err());
    assert!(support::annotations("team a //~\n").is_err());
}

#[test]
fn annotation_mismatches_are_reported_readably() {
    let sources = support::single("team a\nvalue stream v { stage s { activity x } } //~ gap\n");
    let analysis = support::analyze_default(&sources);
    let err = support::check_annotations(&sources, &analysis.diagnostics).unwrap_err();
    assert!(err.contains("test.journey:2: expected journey::gap"), "{err}");
    assert!(
        err.contains("test.journey:2: journey::unowned [warning] activity `x` has no owner"),
        "{err}"
    );
}

/// Windows line endings change nothing: the same diagnostics at the same lines
/// and columns.
#[test]
fn examples_with_crlf_line_endings_report_the_same_places() {
    for ws in example_workspaces() {
        let rel = ws.strip_prefix(support::root()).unwrap().to_string_lossy().replace('\\', "/");
        let lf = support::load(&rel);
        let mut crlf = Sources::new();
        for (_, f) in lf.iter() {
            crlf.add(f.path.clone(), f.text.replace('\n', "\r\n")).unwrap();
        }
        let places = |sources: &Sources| -> Vec<String> {
            let analysis = support::analyze_default(sources);
            analysis
                .diagnostics
                .iter()
                .map(|d| {
                    let f = sources.get(d.primary.span.file);
                    let at = f.line_col(d.primary.span.start);
                    format!(
                        "{}:{}:{} {} {}",
                        f.display_path(),
                        at.line,
                        at.column,
                        d.code,
                        d.message
                    )
                })
                .collect()
        };
        assert_eq!(places(&lf), places(&crlf), "{rel}");
    }
}
