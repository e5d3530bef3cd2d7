//! Drives pest over a file one top-level declaration at a time.
//!
//! pest stops at the first error. Parsing declaration by declaration lets us report
//! the error, skip to the next line that starts a top-level declaration in column 0,
//! and go on: one typo costs one declaration, not the rest of the file. It also
//! keeps pest's token queue small, since it only ever holds one declaration.

use super::Kind;
use super::ast::{Broken, Decl, File};
use super::expected;
use super::lower::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use pest::Parser as _;
use pest::error::Error;
use pest::iterators::{Pair, Pairs};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/journey.pest"]
pub(super) struct JourneyParser;

/// Parses one file's text. Never fails: what cannot be parsed is reported.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    parse_with(file, text, WINDOW)
}

/// How much text, at least, a parse after a file's first syntax error is first tried
/// on ([`Parser::run`]).
const WINDOW: usize = 4096;

/// [`parse`], with the window of the parses after an error.
fn parse_with(file: FileId, text: &str, window: usize) -> (File, Vec<Diagnostic>) {
    let mut out = File::default();
    let mut diagnostics = Vec::new();
    parse_from(file, text, window, 0, None, &mut out, &mut diagnostics);
    (out, diagnostics)
}

/// Parses `text`, the new text of a file whose last text `before` parsed to `old`:
/// what [`parse`] returns, parsing only what the edit may have changed.
///
/// The parse of a declaration reads its own text and, for one without a block, a
/// few bytes after it ([`LOOKAHEAD`]), never the text before it. So when `before` parsed
/// without a single diagnostic (`had_diagnostics` false), the declarations that end
/// before the first changed byte are kept, the parse starts where the last of them
/// ended, and when it reaches, without an error, the place where a declaration
/// ended in the unchanged tail, the declarations after it are kept too, moved by
/// the change in length. Editing one journey of a file of many parses that journey.
/// The tests hold the result to [`parse`]'s on random edits of every example.
pub fn reparse(
    file: FileId,
    before: &str,
    mut old: File,
    had_diagnostics: bool,
    text: &str,
) -> (File, Vec<Diagnostic>) {
    if had_diagnostics || old.lost || !old.broken.is_empty() || old.ends.len() != old.decls.len() {
        return parse(file, text);
    }
    let (was, now) = (before.as_bytes(), text.as_bytes());
    let prefix = was.iter().zip(now).take_while(|(a, b)| a == b).count();
    let suffix = was[prefix..]
        .iter()
        .rev()
        .zip(now[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let tail = was.len() - suffix;
    // Texts are under 4 GiB (`Sources::add`), so their lengths and offsets fit.
    let by = length(now.len()) - length(was.len());
    // Declarations whose parse read nothing the edit changed.
    let kept = old.ends.partition_point(|&end| end as usize + LOOKAHEAD <= prefix);
    // The first declaration whose parse starts in the unchanged tail.
    let after = (kept + 1..old.decls.len()).find(|&k| old.ends[k - 1] as usize >= tail);
    let resume = kept.checked_sub(1).map_or(0, |last| old.ends[last] as usize);
    let stop = after.and_then(|k| usize::try_from(i64::from(old.ends[k - 1]) + by).ok());
    let kept_after = after.map(|k| (old.decls.split_off(k), old.ends.split_off(k)));
    old.decls.truncate(kept);
    old.ends.truncate(kept);
    let mut diagnostics = Vec::new();
    let stopped = parse_from(file, text, WINDOW, resume, stop, &mut old, &mut diagnostics);
    if let (true, Some((mut decls, mut ends))) = (stopped, kept_after) {
        use super::shift::Shift as _;
        decls.shift(by);
        for end in &mut ends {
            *end = u32::try_from(i64::from(*end) + by).unwrap_or(*end);
        }
        old.decls.append(&mut decls);
        old.ends.append(&mut ends);
    }
    (old, diagnostics)
}

/// A length or offset in a text, as a signed number.
fn length(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// How far past its end the parse of a declaration may have read: one without a
/// block ends where the next token starts, after trying a comment there (`//`, but
/// not `///`: four bytes) and a `"` or `{`.
const LOOKAHEAD: usize = 4;

/// Parses `text` from `pos` into `out`, to the end, or until it stands at `stop`
/// with nothing reported; returns whether it stopped there.
fn parse_from(
    file: FileId,
    text: &str,
    window: usize,
    mut pos: usize,
    stop: Option<usize>,
    out: &mut File,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    while pos <= text.len() {
        if stop == Some(pos) && !out.lost && diagnostics.is_empty() {
            return true;
        }
        let parser = Parser { window: if out.lost { Some(window) } else { None } };
        if let Some((decl, end, lowered)) = stepped(parser, file, text, pos) {
            out.decls.push(decl);
            out.ends.push(end as u32);
            diagnostics.extend(lowered);
            pos = end;
            continue;
        }
        let rest = &text[pos..];
        match parser.run(Rule::item, rest) {
            Ok(mut pairs) => {
                let Some(item) = pairs.next() else { break };
                let end = item.as_span().end();
                let mut docs = Vec::new();
                let mut finished = false;
                for p in item.into_inner() {
                    match p.as_rule() {
                        Rule::end => finished = true,
                        Rule::doc => docs.push(p),
                        Rule::top_decl => {
                            let mut lowerer = Lowerer { file, offset: pos, diagnostics };
                            out.decls.extend(lowerer.top_decl(p, &docs));
                        }
                        _ => {}
                    }
                }
                out.ends.resize(out.decls.len(), (pos + end) as u32);
                if finished || end == 0 {
                    break;
                }
                pos += end;
            }
            Err(error) => {
                diagnostics.push(expected::diagnostic(&error, file, text, pos));
                out.broken.extend(broken_header(parser, rest));
                out.lost = true;
                let at = pos + error_offset(&error);
                match resync(text, skip_trivia(text, pos), at) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
        }
    }
    false
}

/// Parses the journey or value stream at `pos` one block item at a time: the
/// declaration, where it ends, and the diagnostics of its lowering. `None` if there
/// is no journey or value stream at `pos`, or it does not parse; the caller then
/// parses the declaration whole, which reports the error exactly as it always has.
///
/// These are the big declarations: a journey of 1 000 touchpoints queues about 3 MB
/// of pest tokens when parsed whole, which is slow to grow, to walk and to page in;
/// stage by stage the queue stays small and hot in the cache. The language is the
/// same: `block_open` and the `_step` rules split the declaration's rule at its
/// items. Errors are not reported from here because pest names the furthest point
/// any alternative reached, which may lie in an earlier step than the one that
/// failed; the whole parse sees them all. Diagnostics of the lowering are held back
/// until the `}`, since a declaration lost to a syntax error reports nothing else.
fn stepped(
    parser: Parser,
    file: FileId,
    text: &str,
    pos: usize,
) -> Option<(Decl, usize, Vec<Diagnostic>)> {
    if !opens_block(text, pos) {
        return None;
    }
    let open = parser.run(Rule::block_open, &text[pos..]).ok()?.next()?;
    let mut lowered = Vec::new();
    let mut at = pos + open.as_span().end();
    let mut decl = Lowerer { file, offset: pos, diagnostics: &mut lowered }.block_open(open)?;
    let step = match decl {
        Decl::Journey(_) => Rule::journey_step,
        _ => Rule::value_stream_step,
    };
    loop {
        let pair = parser.run(step, &text[at..]).ok()?.next()?;
        let len = pair.as_span().end();
        let mut step_lowerer = Lowerer { file, offset: at, diagnostics: &mut lowered };
        let closed = step_lowerer.block_step(&mut decl, pair);
        at += len;
        // Every step takes at least a `}` or a keyword; `len == 0` would loop forever.
        if closed || len == 0 {
            return Some((decl, at, lowered));
        }
    }
}

/// How a parse is run: on the whole rest of the text, or, after the file's first
/// syntax error, first on windows of it.
///
/// pest pays for an error in the length of its input after the error
/// (`Position::find_line_start`, which builds the error's line, walks back from the
/// input's end), so a file of n syntax errors, each parsed on the rest of the file,
/// took n × its length: 20 000 unclosed declarations took 16 s. A broken file is
/// therefore parsed on a window of whole lines first, growing fourfold. No token
/// crosses a line break, so no attempt reads past a window that ends after one
/// without starting at its end; an error before the window's end is then exactly
/// the error of the whole text, and anything else is tried again on more.
#[derive(Clone, Copy)]
struct Parser {
    window: Option<usize>,
}

impl Parser {
    fn run(self, rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, Box<Error<Rule>>> {
        if let Some(mut size) = self.window {
            while size < text.len() {
                // A byte search: the byte after a `\n` always starts a character.
                let end = text.as_bytes()[size..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(text.len(), |i| size + i + 1);
                if end >= text.len() {
                    break;
                }
                match JourneyParser::parse(rule, &text[..end]) {
                    Err(error) if error_offset(&error) < end => return Err(Box::new(error)),
                    _ => size = end.saturating_mul(4),
                }
            }
        }
        JourneyParser::parse(rule, text).map_err(Box::new)
    }
}

fn error_offset(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// The kind and id of the declaration that starts `rest`, if its header parses.
fn broken_header(parser: Parser, rest: &str) -> Option<Broken> {
    let head = parser.run(Rule::head, rest).ok()?.next()?;
    let mut kind = None;
    let mut id = None;
    for p in head.into_inner() {
        match p.as_rule() {
            Rule::top_kw => kind = p.into_inner().next().map(|k| top_kind(&k)),
            Rule::ident => id = Some(p.as_str().to_owned()),
            _ => {}
        }
    }
    Some(Broken { kind: kind??, id: id? })
}

fn top_kind(keyword: &Pair<'_, Rule>) -> Option<Kind> {
    Some(match keyword.as_rule() {
        Rule::kw_persona => Kind::Persona,
        Rule::kw_team => Kind::Team,
        Rule::kw_system => Kind::System,
        Rule::kw_capability => Kind::Capability,
        Rule::kw_value_stream => Kind::ValueStream,
        Rule::kw_journey => Kind::Journey,
        _ => return None,
    })
}

/// Where to resume after an error at `at` in the chunk starting at `from`: the
/// first line starting after `from`, from the error's own line on, that begins in
/// column 0 with a letter or a doc comment. The error's own line counts, because a
/// missing `}` is found at the next declaration's keyword.
/// Column 0 is the heuristic: nested declarations and attributes are indented in
/// every conventional layout, so a word there starts a new top-level declaration
/// (or a misspelt one, which then gets its own error instead of vanishing).
fn resync(text: &str, from: usize, at: usize) -> Option<usize> {
    let mut line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line = &text[line_start..];
        let starts = line.starts_with("///") || line.starts_with(|c: char| c.is_ascii_alphabetic());
        if starts && line_start > from {
            return Some(line_start);
        }
        line_start += line.find('\n')? + 1;
    }
}

/// Whether the declaration at `pos`, after its doc comments, starts with `journey` or
/// `value`. A textual test, because a failed pest parse is not cheap: building its
/// error scans the rest of the file.
fn opens_block(text: &str, mut pos: usize) -> bool {
    loop {
        pos = skip_trivia(text, pos);
        let rest = &text[pos..];
        if rest.starts_with("///") {
            pos += rest.find('\n').unwrap_or(rest.len());
            continue;
        }
        return ["journey", "value"].iter().any(|keyword| {
            rest.strip_prefix(keyword)
                .is_some_and(|after| after.starts_with(|c: char| c.is_whitespace() || c == '/'))
        });
    }
}

/// The offset of the first token at or after `pos`: white space and plain comments
/// are skipped, doc comments are not (they belong to the declaration after them).
fn skip_trivia(text: &str, mut pos: usize) -> usize {
    loop {
        let rest = &text[pos..];
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        pos += rest.len() - trimmed.len();
        let plain = trimmed.starts_with("////")
            || (trimmed.starts_with("//") && !trimmed.starts_with("///"));
        if !plain {
            return pos;
        }
        pos += trimmed.find('\n').unwrap_or(trimmed.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resync_finds_next_top_level_line() {
        let text = "journey j {\n  stage s {\n  persona p\n}\nteam t\n";
        let team = text.find("team").unwrap();
        assert_eq!(resync(text, 0, 3), Some(team));
        // An error on a column-0 line after the chunk's start resumes on that line.
        assert_eq!(resync(text, 0, team + 2), Some(team));
        assert_eq!(resync(text, team, team + 2), None);
    }

    /// Lowers the declaration at the start of `text` the old way, parsed whole.
    fn whole(text: &str) -> (Decl, usize, Vec<Diagnostic>) {
        let item = JourneyParser::parse(Rule::item, text).unwrap().next().unwrap();
        let end = item.as_span().end();
        let mut docs = Vec::new();
        let mut diagnostics = Vec::new();
        let mut decl = None;
        for p in item.into_inner() {
            match p.as_rule() {
                Rule::doc => docs.push(p),
                Rule::top_decl => {
                    let mut lowerer =
                        Lowerer { file: FileId(0), offset: 0, diagnostics: &mut diagnostics };
                    decl = lowerer.top_decl(p, &docs);
                }
                _ => {}
            }
        }
        (decl.unwrap(), end, diagnostics)
    }

    #[test]
    fn stepped_blocks_lower_as_whole_ones() {
        let journey = "/// The journey.\n/// Two lines.\njourney j \"J\" {\n  persona p, q\n  \
            /// A stage.\n  stage s \"S\" { maps to v.x\n touchpoint t { traces to a, v.b } }\n  \
            description \"bad \\q escape\"; mix a 60% b 40%\n  volume 5 per week\n}\n";
        let stream =
            "value  stream v { stakeholder p\n /// Doc.\n stage x { activity a { owner t } } }";
        for text in [journey, stream] {
            let (decl, end, diagnostics) =
                stepped(Parser { window: None }, FileId(0), text, 0).expect("parses stepped");
            let (whole_decl, whole_end, whole_diagnostics) = whole(text);
            assert_eq!(decl, whole_decl);
            assert_eq!(diagnostics, whole_diagnostics);
            // The whole parse also takes the white space after the `}`.
            assert_eq!(text[..whole_end].trim_end(), &text[..end]);
        }
        assert!(!whole(journey).2.is_empty(), "the bad escape is reported");
    }

    /// After a syntax error the parses run on windows first; whatever the window, a
    /// broken file gives exactly the declarations and diagnostics of parses on the
    /// whole rest of the text: the golden cases, every example with lines cut out,
    /// and files of many errors.
    #[test]
    fn windows_after_an_error_change_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = Vec::new();
        for folder in ["tests/cases", "examples/insurance-claims/journeys"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "journey") {
                    texts.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        // Every 7th line cut: braces and strings left open all over.
        let cut: Vec<String> = texts
            .iter()
            .map(|t| {
                t.lines()
                    .enumerate()
                    .filter(|(i, _)| i % 7 != 3)
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        texts.extend(cut);
        texts.push("journey j {\n stage s {\n".repeat(200));
        texts.push("team\n\"open\npersona p { description \"x\" }\n".repeat(100));
        texts.push(format!("team t {{\n{}}}\n{}", "  bogus 1\n".repeat(50), "}\n".repeat(50)));
        let mut broken = 0;
        for text in &texts {
            let whole = parse_with(FileId(0), text, usize::MAX);
            broken += usize::from(whole.0.lost);
            for window in [1, 16, 300] {
                assert!(
                    parse_with(FileId(0), text, window) == whole,
                    "window {window}: {text:.200}"
                );
            }
        }
        assert!(broken > texts.len() / 3, "only {broken} of {} texts are broken", texts.len());
    }

    #[test]
    fn stepping_leaves_other_and_broken_declarations_to_the_whole_parse() {
        for text in [
            "team t { }",
            "journey j",
            "journey j { stage s { touchpoint t { tracez to a } } }",
            "journey j { stage s { }",
            "/// Doc.\nvalue stream v \"unterminated\n{ }",
        ] {
            assert!(stepped(Parser { window: None }, FileId(0), text, 0).is_none(), "{text:?}");
        }
    }

    #[test]
    fn broken_header_reads_kind_and_id() {
        assert_eq!(
            broken_header(Parser { window: None }, "/// doc\nvalue  stream vs \"x\" { oops"),
            Some(Broken { kind: Kind::ValueStream, id: "vs".into() })
        );
        assert_eq!(broken_header(Parser { window: None }, "nonsense"), None);
    }

    /// Every `.journey` text of the golden cases and the examples.
    fn corpus() -> Vec<String> {
        fn walk(dir: &std::path::Path, texts: &mut Vec<String>) {
            let mut entries: Vec<_> =
                std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    walk(&path, texts);
                } else if path.extension().is_some_and(|e| e == "journey") {
                    texts.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        walk(&root.join("tests/cases"), &mut texts);
        walk(&root.join("examples"), &mut texts);
        texts
    }

    /// The tree of a text moved by n bytes is the tree of the same text after n more
    /// bytes: every span of every node is shifted (`syntax::shift`).
    #[test]
    fn shifting_a_tree_is_parsing_the_text_moved() {
        use crate::syntax::shift::Shift as _;
        let texts = corpus();
        assert!(texts.len() > 40, "{} texts", texts.len());
        for text in &texts {
            let (tree, diagnostics) = parse(FileId(0), text);
            if !diagnostics.is_empty() {
                continue;
            }
            let moved = format!("\n  // moved\n{text}");
            let by = length(moved.len() - text.len());
            let (mut there, _) = parse(FileId(0), &moved);
            let mut here = tree.decls.clone();
            here.shift(by);
            assert!(here == there.decls, "{text:.200}");
            there.decls.shift(-by);
            assert!(there.decls == tree.decls, "{text:.200}");
            let ends: Vec<i64> = tree.ends.iter().map(|&e| i64::from(e) + by).collect();
            let there_ends: Vec<i64> = there.ends.iter().map(|&e| i64::from(e)).collect();
            assert_eq!(ends, there_ends);
        }
    }

    /// Re-parsing after an edit gives exactly the tree and diagnostics of a parse of
    /// the new text, whatever the edit: an edit somewhere in every text of the
    /// corpus, replaced by text that opens and closes declarations, strings and
    /// comments, one after the other, each re-parse starting from the last.
    #[test]
    fn a_reparse_is_a_parse() {
        const PIECES: [&str; 16] = [
            "",
            "x",
            "}",
            "{",
            "\"",
            "\n",
            " ",
            "é",
            ",",
            ";",
            "// c\n",
            "/// d\n",
            "journey j {\n",
            "touchpoint t \"T\" { traces to a, v.b }\n",
            "team t2 \"T\"\n",
            "\n}\nteam z\n",
        ];
        let mut seed = 7_u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n.max(1)
        };
        for text in corpus() {
            let (mut tree, mut diagnostics) = parse(FileId(3), &text);
            let mut before = text;
            for _ in 0..6 {
                let mut at = next(before.len() + 1);
                while !before.is_char_boundary(at) {
                    at -= 1;
                }
                let mut to = (at + next(40)).min(before.len());
                while !before.is_char_boundary(to) {
                    to -= 1;
                }
                let mut after = before.clone();
                after.replace_range(at..to, PIECES[next(PIECES.len())]);
                let (fresh, fresh_diagnostics) = parse(FileId(3), &after);
                let old = std::mem::take(&mut tree);
                (tree, diagnostics) =
                    reparse(FileId(3), &before, old, !diagnostics.is_empty(), &after);
                assert!(tree == fresh, "{at}..{to} of {before:.300}\n->\n{after:.300}");
                assert_eq!(diagnostics, fresh_diagnostics, "{after:.300}");
                before = after;
            }
        }
    }

    /// An edit in one declaration parses that one: the others are kept as they were
    /// (moved, not parsed again: their names are the same allocations).
    #[test]
    fn a_reparse_keeps_the_declarations_the_edit_did_not_touch() {
        let text = "team a \"A\"\n\njourney j \"J\" {\n  stage s {\n    touchpoint t \"Old\" { }\n  }\n}\n\nteam c\n";
        let (tree, diagnostics) = parse(FileId(0), text);
        assert!(diagnostics.is_empty());
        let names = |f: &File| -> Vec<*const u8> {
            f.decls
                .iter()
                .map(|d| match d {
                    Decl::Team(t) => t.header.id.name.as_ptr(),
                    Decl::Journey(j) => j.header.id.name.as_ptr(),
                    _ => std::ptr::null(),
                })
                .collect()
        };
        let old = names(&tree);
        let after = text.replace("\"Old\"", "\"A longer label\"");
        let (new, diagnostics) = reparse(FileId(0), text, tree, false, &after);
        assert!(diagnostics.is_empty());
        assert!(new == parse(FileId(0), &after).0);
        let now = names(&new);
        assert_eq!(now[0], old[0], "the team before the edit is kept");
        assert_ne!(now[1], old[1], "the journey edited is parsed again");
        assert_eq!(now[2], old[2], "the team after the edit is kept, moved");
        let Decl::Team(c) = &new.decls[2] else { panic!() };
        assert_eq!(&after[c.header.id.span.range()], "c");
    }

    /// Edits at the edges of declarations: right where one without a block ends
    /// (its parse looked at the character there), a `}` removed or added so that
    /// declarations merge or split, and the very start and end of the text.
    #[test]
    fn a_reparse_at_the_edges_of_declarations_is_a_parse() {
        let text = "team a\nteam c \"C\"\njourney j {\n  stage s { }\n}\nteam d { }\nteam e\n///x\nteam f\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let edits: [(usize, usize, &str); 10] = [
            (at("///x") + 2, at("///x") + 3, "x"),
            (at("team c"), at("team c"), "\"A\" "),
            (at("team c"), at("team c"), "{ }\n"),
            (at("team c") - 1, at("team c"), " "),
            (at("}\nteam d"), at("}\nteam d") + 1, ""),
            (at("  stage"), at("  stage"), "}\n"),
            (0, 0, "/// Doc.\n"),
            (text.len(), text.len(), "team e\n"),
            (text.len() - 2, text.len(), ""),
            (at("journey"), at("journey") + 1, "J"),
        ];
        for (from, to, piece) in edits {
            let mut after = text.to_owned();
            after.replace_range(from..to, piece);
            let (tree, diagnostics) = parse(FileId(0), text);
            assert!(diagnostics.is_empty());
            let (new, new_diagnostics) = reparse(FileId(0), text, tree, false, &after);
            let (fresh, fresh_diagnostics) = parse(FileId(0), &after);
            assert!(new == fresh, "{after:?}");
            assert_eq!(new_diagnostics, fresh_diagnostics, "{after:?}");
        }
    }
}
