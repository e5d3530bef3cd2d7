//! Drives pest over a file one top-level declaration at a time.
//!
//! pest stops at the first error. Parsing declaration by declaration lets us report
//! the error, skip to the next line that starts a top-level declaration in column 0,
//! and go on: one typo costs one declaration, not the rest of the file. It also
//! keeps pest's token queue small, since it only ever holds one declaration.

use super::ast::{Broken, File, TopKind};
use super::expected;
use super::lower::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/journey.pest"]
pub(super) struct JourneyParser;

/// Parses one file's text. Never fails: what cannot be parsed is reported.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let mut out = File::default();
    let mut diagnostics = Vec::new();
    let mut pos = 0;
    while pos <= text.len() {
        let rest = &text[pos..];
        match JourneyParser::parse(Rule::item, rest) {
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
                            let mut lowerer =
                                Lowerer { file, offset: pos, diagnostics: &mut diagnostics };
                            out.decls.extend(lowerer.top_decl(p, &docs));
                        }
                        _ => {}
                    }
                }
                if finished || end == 0 {
                    break;
                }
                pos += end;
            }
            Err(error) => {
                diagnostics.push(expected::diagnostic(&error, file, text, pos));
                out.broken.extend(broken_header(rest));
                out.lost = true;
                let at = pos + error_offset(&error);
                match resync(text, skip_trivia(text, pos), at) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
        }
    }
    (out, diagnostics)
}

fn error_offset(error: &pest::error::Error<Rule>) -> usize {
    match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// The kind and id of the declaration that starts `rest`, if its header parses.
fn broken_header(rest: &str) -> Option<Broken> {
    let head = JourneyParser::parse(Rule::head, rest).ok()?.next()?;
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

fn top_kind(keyword: &Pair<'_, Rule>) -> Option<TopKind> {
    Some(match keyword.as_rule() {
        Rule::kw_persona => TopKind::Persona,
        Rule::kw_team => TopKind::Team,
        Rule::kw_system => TopKind::System,
        Rule::kw_capability => TopKind::Capability,
        Rule::kw_value_stream => TopKind::ValueStream,
        Rule::kw_journey => TopKind::Journey,
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

    #[test]
    fn broken_header_reads_kind_and_id() {
        assert_eq!(
            broken_header("/// doc\nvalue  stream vs \"x\" { oops"),
            Some(Broken { kind: TopKind::ValueStream, id: "vs".into() })
        );
        assert_eq!(broken_header("nonsense"), None);
    }
}
