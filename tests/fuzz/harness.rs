//! The whole pipeline on one input, with every invariant that must hold asserted:
//! shared by the AFL fuzz target (`tests/fuzz/afl.rs`) and by `tests/it/fuzz_corpus.rs`,
//! which replays the seed corpus and every past finding under `cargo test`.
//!
//! An input is split into up to three files at `\x00\x01` markers, so the fuzzer
//! also explores references across files. A panic, or a broken invariant (which
//! panics here), is a finding.

use journey::check::Levels;
use journey::fmt::{Unformattable, format};
use journey::source::{FileId, Sources, Span};
use journey::{analyze, emit};

/// Runs parse → model → check → JSON and HTML → fmt on the input.
pub fn pipeline(data: &[u8]) {
    let mut sources = Sources::new();
    for (i, part) in data.split(|&b| b == 0).take(3).enumerate() {
        let part = part.strip_prefix(&[1]).unwrap_or(part);
        // Bytes that are not UTF-8 are the workspace loader's business (it names the
        // bad byte); the phases after it only ever see text.
        let Ok(text) = journey::workspace::decode(part.to_vec()) else { return };
        if sources.add(format!("f{i}.journey"), text).is_err() {
            return;
        }
    }

    reparse_is_parse(&sources);
    let analysis = analyze(&sources, &Levels::default());
    for d in &analysis.diagnostics {
        in_bounds(&sources, d.primary.span);
        for label in &d.secondary {
            in_bounds(&sources, label.span);
        }
    }
    let _ = journey::report::human(
        &sources,
        &analysis.diagnostics,
        journey::report::Human { color: false, width: 80 },
    );
    let _ = journey::report::json(&sources, &analysis.diagnostics);

    if !analysis.has_errors() {
        let files: Vec<String> = sources.iter().map(|(_, f)| f.display_path()).collect();
        let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
        let site = emit::site(input, "fuzz").expect("the pages render");
        let json = &site.files.last().expect("traceability.json").1;
        serde_json::from_str::<serde_json::Value>(json).expect("traceability.json is JSON");
        let _ = emit::mermaid::document(input);
        let _ = emit::csv::matrix(input);
        let _ = emit::markdown::report(input);
    }

    for (id, file) in sources.iter() {
        match format(id, &file.text) {
            // `format` itself checks that the tree and the comments are unchanged.
            Ok(once) => assert_eq!(
                format(FileId(0), &once).ok().as_deref(),
                Some(once.as_str()),
                "formatting is not idempotent"
            ),
            Err(Unformattable::Syntax(_)) => {}
            Err(Unformattable::Internal(why)) => panic!("formatter bug: {why}"),
        }
    }
}

/// Re-parsing the first file after an edit, the second file's text inserted into
/// it (as the editor and `journey serve` re-parse a saved file), gives what
/// parsing the edited text does.
fn reparse_is_parse(sources: &Sources) {
    let (Some((_, first)), Some((_, second))) = (sources.iter().next(), sources.iter().nth(1))
    else {
        return;
    };
    let (before, inserted) = (&first.text, &second.text);
    let mut at = inserted.len() % (before.len() + 1);
    while !before.is_char_boundary(at) {
        at -= 1;
    }
    let after = format!("{}{inserted}{}", &before[..at], &before[at..]);
    let (tree, diagnostics) = journey::syntax::parse(FileId(0), before);
    let reparsed =
        journey::syntax::reparse(FileId(0), before, tree, !diagnostics.is_empty(), &after);
    assert!(reparsed == journey::syntax::parse(FileId(0), &after), "a re-parse is not a parse");
}

fn in_bounds(sources: &Sources, span: Span) {
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(start <= end && end <= text.len(), "span {start}..{end} outside the file");
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {start}..{end} splits a character"
    );
}
