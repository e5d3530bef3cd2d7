//! `textDocument/semanticTokens/full`: every token of a file, with ids coloured by
//! what they name (a team, an activity, …), declarations marked as such.
//!
//! Keywords, strings, numbers and comments come from the forgiving lexer, so a
//! file that does not parse is still coloured; ids come from the symbol index.

use super::completion::Block;
use crate::lsp::convert::width;
use crate::lsp::index::Symbol;
use crate::lsp::lex::{Kind, lex};
use crate::lsp::state::State;
use crate::model::{Lane, Rating, State as JourneyState};
use crate::source::FileId;
use crate::syntax::ast::Period;
use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Token types, in legend order.
const TYPES: [SemanticTokenType; 13] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::CLASS,
    SemanticTokenType::STRUCT,
    SemanticTokenType::INTERFACE,
    SemanticTokenType::TYPE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::EVENT,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
];
const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const ENUM_MEMBER: u32 = 12;

/// Modifiers, in legend order.
const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 2;

/// Words of fixed sets the syntax and model modules do not list publicly: mix
/// categories (validated in `model::build`) and time units (only in the grammar).
const OTHER_WORDS: &[&str] = &[
    "simple", "standard", "complex", "min", "mins", "minute", "minutes", "h", "hour", "hours",
    "day", "days", "week", "weeks",
];

/// The token type of every keyword and fixed word, built once from the tables the
/// compiler itself uses: the syntax layer's keywords of each block (which its error
/// messages and completion read too) and the model's lanes, states, ratings and
/// periods. A keyword added there is coloured here without a second list to update.
fn fixed_words() -> &'static HashMap<&'static str, u32> {
    static WORDS: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = HashMap::new();
        let enumerated = Lane::NAMES
            .iter()
            .chain(&JourneyState::NAMES)
            .chain(&Rating::NAMES)
            .copied()
            .chain(Period::ALL.map(Period::as_str))
            .chain(OTHER_WORDS.iter().copied());
        for word in enumerated {
            words.insert(word, ENUM_MEMBER);
        }
        // Keywords last: `current` is both a state and a metric's attribute.
        // `per` (in `500 per week`) belongs to no block's list.
        let keywords = Block::ALL.iter().flat_map(|b| b.keywords()).chain(&["per"]);
        for word in keywords.flat_map(|k| k.split_whitespace()) {
            words.insert(word, KEYWORD);
        }
        words
    })
}

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DOCUMENTATION,
        ],
    }
}

fn type_of(symbol: Symbol) -> u32 {
    match symbol {
        Symbol::Stream(_) | Symbol::Journey(_) => 4,
        Symbol::Capability(_) => 5,
        Symbol::Team(_) => 6,
        Symbol::Persona(_) => 7,
        Symbol::System(_) => 8,
        Symbol::Activity(_) => 9,
        Symbol::Touchpoint(_) => 10,
        Symbol::VsStage(_) | Symbol::JourneyStage(_) | Symbol::Opportunity(..) => 11,
    }
}

/// The tokens of a file, encoded as the protocol wants (relative positions).
pub fn tokens(state: &State, file: FileId) -> Vec<SemanticToken> {
    let doc = state.doc(file);
    let text = &doc.text;
    let occurrences = state.snapshot.index.in_file(file);
    let mut next = 0;
    let mut out = Vec::new();
    let (mut line, mut column) = (0, 0);
    for token in lex(text) {
        let word = token.text(text);
        let (kind, modifiers) = match token.kind {
            Kind::Comment => (COMMENT, 0),
            Kind::DocComment => (COMMENT, DOCUMENTATION),
            Kind::Str => (STRING, 0),
            Kind::Number => (NUMBER, 0),
            Kind::Punct => continue,
            Kind::Word => {
                while next < occurrences.len()
                    && (occurrences[next].span.start as usize) < token.start
                {
                    next += 1;
                }
                match occurrences.get(next) {
                    Some(o)
                        if o.span.start as usize == token.start
                            && o.span.end as usize == token.end =>
                    {
                        (type_of(o.symbol), if o.definition { DECLARATION } else { 0 })
                    }
                    _ => match fixed_words().get(word) {
                        Some(&kind) => (kind, 0),
                        None => continue,
                    },
                }
            }
        };
        let at = doc.lines.position(text, token.start, state.encoding);
        let delta_line = at.line - line;
        let delta_start = if delta_line == 0 { at.character - column } else { at.character };
        (line, column) = (at.line, at.character);
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: width(word, state.encoding),
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every keyword of the grammar (each word of every `kw_*` rule) is coloured as
    /// a keyword: the tables the colours are built from miss none.
    #[test]
    fn every_keyword_of_the_grammar_is_a_keyword() {
        let grammar = include_str!("../../../grammar/journey.pest");
        let rules = grammar.lines().filter(|l| l.starts_with("kw_"));
        let mut count = 0;
        for rule in rules {
            for word in rule.split('"').skip(1).step_by(2) {
                assert_eq!(fixed_words().get(word), Some(&KEYWORD), "`{word}` in {rule}");
                count += 1;
            }
        }
        assert!(count > 40, "the grammar's keywords were not found");
        for word in ["frontstage", "future", "high", "quarter", "minutes", "complex"] {
            assert_eq!(fixed_words().get(word), Some(&ENUM_MEMBER), "{word}");
        }
    }
}
