//! Turns pest's errors into diagnostics in the user's words.
//!
//! pest reports the grammar rules it tried at the furthest position it reached. We
//! rename each rule to what a user would call it ("a team id", "`}`"), say what was
//! found there instead, and suggest the closest keyword when the user misspelt one.

use super::parse::Rule;
use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::{FileId, Span};
use crate::text::join_list;
use pest::error::{Error, ErrorVariant};

/// A block's items: what the block is, a short phrase for the message, and every
/// keyword it accepts (for `help:` and for did-you-mean).
struct Block {
    rule: Rule,
    what: &'static str,
    phrase: &'static str,
    keywords: &'static [&'static str],
}

const COMMON: [&str; 2] = ["description", "allow"];

/// The keywords accepted inside a declaration's block, the kind named as in
/// messages (`"a touchpoint"`); none for an unknown kind. Editors complete from it,
/// so completion and syntax errors always agree.
pub fn keywords_in(what: &str) -> &'static [&'static str] {
    BLOCKS.iter().find(|b| b.what == what).map_or(&[], |b| b.keywords)
}

const BLOCKS: &[Block] = &[
    Block {
        rule: Rule::persona_item,
        what: "a persona",
        phrase: "an attribute such as `description`",
        keywords: &COMMON,
    },
    Block {
        rule: Rule::team_item,
        what: "a team",
        phrase: "an attribute such as `description`",
        keywords: &COMMON,
    },
    Block {
        rule: Rule::system_item,
        what: "a system",
        phrase: "an attribute such as `owner`",
        keywords: &["owner", "description", "allow"],
    },
    Block {
        rule: Rule::capability_item,
        what: "a capability",
        phrase: "an attribute such as `capacity`",
        keywords: &["owner", "level", "parent", "capacity", "description", "allow"],
    },
    Block {
        rule: Rule::value_stream_item,
        what: "a value stream",
        phrase: "a `stage` or an attribute such as `stakeholder`",
        keywords: &["stage", "stakeholder", "description", "allow"],
    },
    Block {
        rule: Rule::vs_stage_item,
        what: "a value-stream stage",
        phrase: "an `activity`, a `metric` or an attribute such as `entrance`",
        keywords: &[
            "activity",
            "metric",
            "kpi",
            "entrance",
            "exit",
            "value",
            "description",
            "allow",
        ],
    },
    Block {
        rule: Rule::activity_item,
        what: "an activity",
        phrase: "an attribute such as `owner`",
        keywords: &[
            "owner",
            "lane",
            "capability",
            "system",
            "process",
            "wait",
            "failure",
            "enabling",
            "description",
            "allow",
        ],
    },
    Block {
        rule: Rule::journey_item,
        what: "a journey",
        phrase: "a `stage` or an attribute such as `persona`",
        keywords: &["stage", "persona", "state", "volume", "mix", "description", "allow"],
    },
    Block {
        rule: Rule::journey_stage_item,
        what: "a journey stage",
        phrase: "a `touchpoint` or an attribute such as `maps to`",
        keywords: &["touchpoint", "maps to", "description", "allow"],
    },
    Block {
        rule: Rule::touchpoint_item,
        what: "a touchpoint",
        phrase: "an attribute such as `traces to`",
        keywords: &[
            "channel",
            "emotion",
            "reach",
            "moment of truth",
            "evidence",
            "pain",
            "failure",
            "kpi",
            "metric",
            "opportunity",
            "traces to",
            "description",
            "allow",
        ],
    },
    Block {
        rule: Rule::metric_item,
        what: "a metric",
        phrase: "an attribute such as `target`",
        keywords: &["target", "current", "description", "allow"],
    },
    Block {
        rule: Rule::opportunity_item,
        what: "an opportunity",
        phrase: "an attribute such as `impact`",
        keywords: &["impact", "effort", "owner", "description", "allow"],
    },
];

/// The keywords that start a top-level declaration.
pub const TOP_KEYWORDS: &[&str] =
    &["persona", "team", "system", "capability", "value stream", "journey"];

/// What a user would call a rule, or `None` for rules not worth naming.
fn name(rule: Rule) -> Option<&'static str> {
    if let Some(block) = BLOCKS.iter().find(|b| b.rule == rule) {
        return Some(block.phrase);
    }
    Some(match rule {
        Rule::item | Rule::top_decl => {
            "a declaration (`persona`, `team`, `system`, `capability`, `value stream` or `journey`)"
        }
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
        Rule::lane_name => "a lane (`frontstage`, `backstage` or `support`)",
        Rule::state_name => "a state (`current` or `future`)",
        Rule::rating => "a rating (`low`, `medium` or `high`)",
        Rule::emotion_value => "an emotion from -3 to +3",
        Rule::activity_path | Rule::activity_head => "an activity such as `stream.activity`",
        Rule::activity_name => "an activity id",
        Rule::stage_path | Rule::stage_head => "a value-stream stage such as `stream.stage`",
        Rule::stage_name => "a stage id",
        Rule::lint_code => "a diagnostic code such as `journey::waste`",
        Rule::mix_part | Rule::mix_name => "a share such as `simple 60%`",
        Rule::word => "a string or an id",
        Rule::quantity => "a quantity such as `500 per week`",
        Rule::period => "a period (`hour`, `day`, `week`, `month`, `quarter` or `year`)",
        Rule::duration => "a duration such as `15 min`",
        Rule::time_unit => {
            "a time unit (`min`, `mins`, `minute`, `minutes`, `h`, `hour`, `hours`, `day`, `days`, `week` or `weeks`)"
        }
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
        if let Some(k) = is_word.then(|| closest(word, TOP_KEYWORDS)).flatten() {
            return Some(format!("did you mean `{k}`?"));
        }
        return Some("a file holds `persona`, `team`, `system`, `capability`, `value stream` and `journey` declarations".into());
    }
    let block = BLOCKS.iter().find(|b| positives.contains(&b.rule))?;
    if is_word {
        if let Some(k) = closest(word, block.keywords) {
            return Some(format!("did you mean `{k}`?"));
        }
        if let Some(other) = BLOCKS.iter().find(|b| b.keywords.contains(&word)) {
            return Some(format!("`{word}` belongs in {}, not in {}", other.what, block.what));
        }
    }
    let list: Vec<String> = block.keywords.iter().map(|k| format!("`{k}`")).collect();
    Some(format!("{} takes {}", block.what, join_list(&list, "and")))
}

/// The keyword nearest to `word` by edit distance, if it is near enough to be a typo.
fn closest<'k>(word: &str, keywords: &[&'k str]) -> Option<&'k str> {
    let word = word.to_ascii_lowercase();
    keywords
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&word, &k.replace(' ', "")), *k))
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
