//! `textDocument/semanticTokens/full`: every token of a file, with ids coloured by
//! what they name (a team, an activity, …), declarations marked as such.
//!
//! Keywords, strings, numbers and comments come from the forgiving lexer, so a
//! file that does not parse is still coloured; ids come from the symbol index.

use crate::lsp::convert::width;
use crate::lsp::state::State;
use crate::model::Element;
use crate::source::FileId;
use crate::syntax::lex::{self, TokenKind};
use crate::syntax::vocabulary;
use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Token types, in legend order.
const TYPES: [SemanticTokenType; 14] = [
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
    SemanticTokenType::OPERATOR,
];
const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const ENUM_MEMBER: u32 = 12;
const OPERATOR: u32 = 13;

/// Modifiers, in legend order.
const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 2;

/// The token type of every keyword and fixed word, built once from the syntax
/// layer's vocabulary, which its error messages and completion read too: a keyword
/// added there is coloured here without a second list to update.
fn fixed_words() -> &'static HashMap<&'static str, u32> {
    static WORDS: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = HashMap::new();
        for word in vocabulary::value_words() {
            words.insert(word, ENUM_MEMBER);
        }
        // Keywords last: `current` is both a state and a metric's attribute.
        for word in vocabulary::keywords().flat_map(str::split_whitespace) {
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

fn type_of(symbol: Element) -> u32 {
    match symbol {
        Element::Stream(_) | Element::Journey(_) => 4,
        Element::Capability(_) => 5,
        Element::Team(_) => 6,
        Element::Persona(_) => 7,
        Element::System(_) => 8,
        Element::Activity(_) => 9,
        Element::Touchpoint(_) => 10,
        Element::VsStage(_) | Element::JourneyStage(_) | Element::Opportunity(..) => 11,
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
    for token in lex::tokens(text) {
        let word = token.text(text);
        let (kind, modifiers) = match token.kind {
            TokenKind::Comment => (COMMENT, 0),
            TokenKind::DocComment => (COMMENT, DOCUMENTATION),
            TokenKind::Str { .. } => (STRING, 0),
            TokenKind::Number => (NUMBER, 0),
            TokenKind::Operator => (OPERATOR, 0),
            TokenKind::Punct | TokenKind::Unknown | TokenKind::Blank | TokenKind::Newline => {
                continue;
            }
            TokenKind::Word => {
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

    /// Every word of every keyword is coloured as a keyword, every other fixed word
    /// as a value (the vocabulary's tests hold it to the grammar).
    #[test]
    fn keywords_and_fixed_words_are_coloured() {
        let mut count = 0;
        for word in vocabulary::keywords().flat_map(str::split_whitespace) {
            assert_eq!(fixed_words().get(word), Some(&KEYWORD), "`{word}`");
            count += 1;
        }
        assert!(count > 40, "the vocabulary's keywords were not found");
        for word in ["frontstage", "future", "high", "quarter", "minutes", "complex"] {
            assert_eq!(fixed_words().get(word), Some(&ENUM_MEMBER), "{word}");
        }
        assert_eq!(fixed_words().get("current"), Some(&KEYWORD));
    }
}
