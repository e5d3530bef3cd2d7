//! Turns pest's errors into diagnostics in the user's words.
//!
//! pest reports the grammar rules it tried at the furthest position it reached. We
//! rename each rule to what a user would call it ("a team id", "`}`"), say what was
//! found there instead, and suggest the closest keyword when the user misspelt one.
//! The keywords and fixed words come from the vocabulary (`vocabulary.rs`).

use super::parse::Rule;
use super::vocabulary::{self, Block};
use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use crate::text::join_list;
use pest::error::{Error, ErrorVariant};
use std::sync::LazyLock;

/// A block's items as errors name them: the grammar rule pest reports, the block's
/// keywords in the vocabulary, and a short phrase for the message.
struct Items {
    rule: Rule,
    block: &'static Block,
    phrase: &'static str,
}

/// In the order `help` searches them for a keyword written in the wrong block.
static BLOCKS: [Items; 12] = [
    Items {
        rule: Rule::persona_item,
        block: &vocabulary::PERSONA,
        phrase: "an attribute such as `description`",
    },
    Items {
        rule: Rule::team_item,
        block: &vocabulary::TEAM,
        phrase: "an attribute such as `description`",
    },
    Items {
        rule: Rule::system_item,
        block: &vocabulary::SYSTEM,
        phrase: "an attribute such as `owner`",
    },
    Items {
        rule: Rule::capability_item,
        block: &vocabulary::CAPABILITY,
        phrase: "an attribute such as `capacity`",
    },
    Items {
        rule: Rule::value_stream_item,
        block: &vocabulary::VALUE_STREAM,
        phrase: "a `stage` or an attribute such as `stakeholder`",
    },
    Items {
        rule: Rule::vs_stage_item,
        block: &vocabulary::VS_STAGE,
        phrase: "an `activity`, a `metric` or an attribute such as `entrance`",
    },
    Items {
        rule: Rule::activity_item,
        block: &vocabulary::ACTIVITY,
        phrase: "an attribute such as `owner`",
    },
    Items {
        rule: Rule::journey_item,
        block: &vocabulary::JOURNEY,
        phrase: "a `stage` or an attribute such as `persona`",
    },
    Items {
        rule: Rule::journey_stage_item,
        block: &vocabulary::JOURNEY_STAGE,
        phrase: "a `touchpoint` or an attribute such as `maps to`",
    },
    Items {
        rule: Rule::touchpoint_item,
        block: &vocabulary::TOUCHPOINT,
        phrase: "an attribute such as `traces to`",
    },
    Items {
        rule: Rule::metric_item,
        block: &vocabulary::METRIC,
        phrase: "an attribute such as `target`",
    },
    Items {
        rule: Rule::opportunity_item,
        block: &vocabulary::OPPORTUNITY,
        phrase: "an attribute such as `impact`",
    },
];

/// The names of rules whose words the vocabulary lists, written once from it.
struct Listed {
    declaration: String,
    declarations: String,
    lane: String,
    state: String,
    activity_state: String,
    measure_unit: String,
    rating: String,
    period: String,
    time_unit: String,
}

static LISTED: LazyLock<Listed> = LazyLock::new(|| {
    let list = |words: &[&str], word| {
        let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
        join_list(&quoted, word)
    };
    let top: Vec<&str> = vocabulary::TOP.words().collect();
    Listed {
        declaration: format!("a declaration ({})", list(&top, "or")),
        declarations: format!("a file holds {} declarations", list(&top, "and")),
        lane: format!("a lane ({})", list(&vocabulary::LANES, "or")),
        state: format!("a state ({})", list(&vocabulary::STATES, "or")),
        activity_state: format!("a state ({})", list(&vocabulary::ACTIVITY_STATES, "or")),
        measure_unit: format!("a unit ({})", {
            let units: Vec<&str> = vocabulary::TIME_UNITS.iter().copied().chain(["%"]).collect();
            list(&units, "or")
        }),
        rating: format!("a rating ({})", list(&vocabulary::RATINGS, "or")),
        period: format!("a period ({})", list(&vocabulary::PERIODS, "or")),
        time_unit: format!("a time unit ({})", list(&vocabulary::TIME_UNITS, "or")),
    }
});

/// What a user would call a rule, or `None` for rules not worth naming.
fn name(rule: Rule) -> Option<&'static str> {
    if let Some(items) = BLOCKS.iter().find(|b| b.rule == rule) {
        return Some(items.phrase);
    }
    let listed = &*LISTED;
    Some(match rule {
        Rule::item | Rule::top_decl => &listed.declaration,
        Rule::end => "the end of the file",
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::ident => "an id",
        Rule::string => "a string in double quotes",
        Rule::string_close => "a closing `\"`",
        Rule::team_ref => "a team id",
        Rule::capability_ref => "a capability id",
        Rule::system_ref => "a system id",
        Rule::persona_ref_list | Rule::persona_id => "a persona id",
        Rule::lane_name => &listed.lane,
        Rule::state_name => &listed.state,
        Rule::activity_state_name => &listed.activity_state,
        Rule::journey_ref => "a journey id",
        Rule::bound => "a typed target such as `<= 12 min` or a string",
        Rule::comparison => "a comparison (`<`, `<=`, `>`, `>=` or `=`)",
        Rule::measure => "a value such as `17 min` or `95%`, or a string",
        Rule::measure_unit => &listed.measure_unit,
        Rule::rating => &listed.rating,
        Rule::emotion_value => "an emotion from -3 to +3",
        Rule::activity_path | Rule::activity_head => "an activity such as `stream.activity`",
        Rule::activity_name => "an activity id",
        Rule::stage_path | Rule::stage_head => "a value-stream stage such as `stream.stage`",
        Rule::stage_name => "a stage id",
        Rule::lint_code => "a diagnostic code such as `journey::waste`",
        Rule::mix_part | Rule::mix_name => "a share such as `simple 60%`",
        Rule::word => "a string or an id",
        Rule::quantity => "a quantity such as `500 per week`",
        Rule::period => &listed.period,
        Rule::duration => "a duration such as `15 min`",
        Rule::time_unit => &listed.time_unit,
        Rule::percentage => "a percentage such as `60%`",
        Rule::number => "a number",
        Rule::kw_per => "`per`",
        _ => return None,
    })
}

/// Converts a pest error in the chunk starting at `offset` of `text` into a diagnostic.
pub(super) fn diagnostic(
    error: &Error<Rule>,
    file: FileId,
    text: &str,
    offset: usize,
) -> Diagnostic {
    let at = offset
        + match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
    let positives: &[Rule] = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let (found, found_len) = found(text, at);
    let span = Span::new(file, at, at + found_len);

    if positives.contains(&Rule::string_close) || unterminated(&text[at..]) {
        return Diagnostic::error(
            Code::Syntax,
            "unterminated string",
            Label::new(span, "the string ends here without a closing `\"`"),
        )
        .with_help("strings cannot span lines; write `\\n` for a line break inside one");
    }

    let mut names: Vec<&str> = positives.iter().filter_map(|&r| name(r)).collect();
    // The end of the file is worth naming only when nothing else was possible.
    if names.len() > 1 {
        names.retain(|n| *n != "the end of the file");
    }
    // `}` first, as in "expected `}` or an attribute such as `traces to`".
    names.sort_by_key(|n| *n != "`}`");
    names.dedup();
    let expected = join_list(&names, "or");
    let message = if expected.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {expected}, found {found}")
    };
    let label = if expected.is_empty() {
        "not expected here".to_owned()
    } else {
        format!("expected {}", short(&names))
    };
    let diagnostic = Diagnostic::error(Code::Syntax, message, Label::new(span, label));
    match help(positives, &text[at..at + found_len]) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Whether `rest` starts with a string that has no closing quote on its line. pest
/// backtracks out of an optional label, so such a string can be reported at its
/// opening quote with positives that do not mention the closing quote.
fn unterminated(rest: &str) -> bool {
    let Some(body) = rest.strip_prefix('"') else { return false };
    let mut escaped = false;
    for c in body.chars() {
        match c {
            '\n' | '\r' => return true,
            '"' if !escaped => return false,
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    true
}

/// A short form of the expectation for the label under the source line.
fn short(names: &[&str]) -> String {
    match names {
        [one] => (*one).to_owned(),
        [first, ..] => format!("{first} or …"),
        [] => String::new(),
    }
}

/// Suggests the keyword the user probably meant, or lists what the block takes.
fn help(positives: &[Rule], found: &str) -> Option<String> {
    let word = found.trim();
    let is_word = word.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if positives.iter().any(|r| matches!(r, Rule::item | Rule::top_decl)) {
        if let Some(k) = is_word.then(|| closest(word, vocabulary::TOP.words())).flatten() {
            return Some(format!("did you mean `{k}`?"));
        }
        return Some(LISTED.declarations.clone());
    }
    let block = BLOCKS.iter().find(|b| positives.contains(&b.rule))?.block;
    if is_word {
        if let Some(k) = closest(word, block.words()) {
            return Some(format!("did you mean `{k}`?"));
        }
        if let Some(other) = BLOCKS.iter().find(|b| b.block.keyword(word).is_some()) {
            return Some(format!(
                "`{word}` belongs in {}, not in {}",
                other.block.what, block.what
            ));
        }
    }
    let list: Vec<String> = block.words().map(|k| format!("`{k}`")).collect();
    Some(format!("{} takes {}", block.what, join_list(&list, "and")))
}

/// The keyword nearest to `word` by edit distance, if it is near enough to be a typo.
fn closest(word: &str, keywords: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let word = word.to_ascii_lowercase();
    keywords
        .map(|k| (strsim::damerau_levenshtein(&word, &k.replace(' ', "")), k))
        .filter(|&(d, k)| d > 0 && d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

/// Describes the token at `at` and its length in bytes.
fn found(text: &str, at: usize) -> (String, usize) {
    let rest = &text[at.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return ("the end of the file".into(), 0);
    };
    if first.is_ascii_alphanumeric() || first == '_' {
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        return (format!("`{}`", &rest[..len]), len);
    }
    if first == '"' {
        // Up to and including the closing quote, or up to the end of the line.
        let len = match rest[1..].find(['"', '\n', '\r']) {
            Some(i) if rest[1 + i..].starts_with('"') => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        return ("a string".into(), len);
    }
    if first == '\n' || first == '\r' {
        return ("the end of the line".into(), 0);
    }
    if first.is_whitespace() {
        return ("white space".into(), first.len_utf8());
    }
    let shown = if first.is_control() { format!("{first:?}") } else { format!("`{first}`") };
    (shown, first.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pest rule is paired with the block of the vocabulary whose items it
    /// parses, every block but the top level has one, and each phrase names only
    /// keywords of its block.
    #[test]
    fn blocks_pair_rules_with_the_vocabulary() {
        for items in &BLOCKS {
            assert_eq!(format!("{:?}", items.rule), items.block.rule);
            for (i, word) in items.phrase.split('`').enumerate() {
                if i % 2 == 1 {
                    assert!(items.block.keyword(word).is_some(), "`{word}` in {:?}", items.block);
                }
            }
        }
        let ours: Vec<&str> = BLOCKS.iter().map(|b| b.block.what).collect();
        let all: Vec<&str> = vocabulary::BLOCKS[1..].iter().map(|b| b.what).collect();
        assert_eq!(ours, all);
    }

    /// The lists in messages are the vocabulary's, worded as before.
    #[test]
    fn lists_are_worded_from_the_vocabulary() {
        assert_eq!(
            name(Rule::item),
            Some(
                "a declaration (`persona`, `team`, `system`, `capability`, `value stream` or `journey`)"
            )
        );
        assert_eq!(name(Rule::state_name), Some("a state (`current` or `future`)"));
        assert_eq!(
            name(Rule::time_unit),
            Some(
                "a time unit (`min`, `mins`, `minute`, `minutes`, `h`, `hour`, `hours`, `day`, `days`, `week` or `weeks`)"
            )
        );
        assert_eq!(
            help(&[Rule::item], "@"),
            Some("a file holds `persona`, `team`, `system`, `capability`, `value stream` and `journey` declarations".into())
        );
        assert_eq!(
            help(&[Rule::touchpoint_item], "trace"),
            Some("did you mean `traces to`?".into())
        );
        assert_eq!(
            help(&[Rule::metric_item], "lane"),
            Some("`lane` belongs in an activity, not in a metric".into())
        );
    }
}
