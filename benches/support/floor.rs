//! pest's floor on a workspace: a grammar that only splits the text into tokens
//! (identifiers, strings, numbers, punctuation, doc comments), one pair per token,
//! with `journey`'s own white space and comment rule: no structure, no keywords, no
//! lowering. Whatever grammar `journey` used, pest would have to do at least this, so
//! its time is the floor under `syntax::parse` (docs/performance.md). Shared by
//! `pest_floor.rs` and `scale.rs`, which report their times as ratios to it.

use pest::Parser as _;
use rayon::prelude::*;

#[derive(pest_derive::Parser)]
#[grammar_inline = r#"
WHITESPACE = _{
    (' '..' ' | '\t'..'\n' | '\r'..'\r' | "\u{FEFF}")+ | "//" ~ (!"/" | &"//") ~ (!("\n" | "\r") ~ ANY)*
}
file   = { SOI ~ token* ~ EOI }
token  = _{ ident | string | number | doc | punct }
doc    = @{ "///" ~ (!("\n" | "\r") ~ ANY)* }
ident  = @{ (ASCII_ALPHA | "_") ~ ('a'..'z' | "_" | '0'..'9' | 'A'..'Z' | "-")* }
string = @{ "\"" ~ (!("\"" | "\\") ~ ANY | "\\" ~ ANY)* ~ "\"" }
number = @{ ("+" | "-")? ~ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }
punct  = @{ "{" | "}" | "," | "." | "%" | ";" | ":" }
"#]
pub struct Tokens;

/// Parses every text with the floor grammar on rayon's pool, as `journey check`
/// parses its files, walks the pairs once, and returns how many there are.
pub fn parse_all(texts: &[&str]) -> usize {
    texts
        .par_iter()
        .map(|text| match Tokens::parse(Rule::file, text) {
            Ok(pairs) => pairs.flatten().count(),
            Err(e) => panic!("the floor grammar refuses a generated file: {e}"),
        })
        .sum()
}
