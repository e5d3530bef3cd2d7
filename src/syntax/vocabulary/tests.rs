//! The vocabulary against the two other places the language's words are written:
//! `grammar/journey.pest`, read with pest's own grammar parser, and the VS Code
//! grammar. Each test names what differs, so a keyword added to the grammar tells
//! its author which table to extend.

use super::*;
use pest_meta::ast::Expr;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `grammar/journey.pest`, as rule names and expressions.
struct Grammar {
    rules: HashMap<String, Expr>,
}

impl Grammar {
    fn read() -> Grammar {
        Grammar::parse(&repository_file("grammar/journey.pest"))
    }

    fn parse(text: &str) -> Grammar {
        let pairs = pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, text)
            .expect("the grammar parses");
        let rules = pest_meta::parser::consume_rules(pairs).expect("the grammar is valid");
        Grammar { rules: rules.into_iter().map(|r| (r.name, r.expr)).collect() }
    }

    fn rule(&self, name: &str) -> &Expr {
        self.rules.get(name).unwrap_or_else(|| panic!("the grammar has no rule `{name}`"))
    }

    /// The keyword a `kw_` rule matches: its literals, one space between words.
    fn keyword(&self, rule: &str) -> String {
        literals(self.rule(rule)).join(" ")
    }

    /// The `kw_` rules an expression can start with, and whether it can match
    /// nothing (so that what follows it can start the sequence too).
    fn first(&self, expr: &Expr) -> (BTreeSet<String>, bool) {
        match expr {
            Expr::Ident(name) if name.starts_with("kw_") => ([name.clone()].into(), false),
            Expr::Ident(name) => match self.rules.get(name) {
                Some(rule) => self.first(rule),
                None => (BTreeSet::new(), matches!(name.as_str(), "SOI" | "EOI")),
            },
            Expr::Str(s) | Expr::Insens(s) => (BTreeSet::new(), s.is_empty()),
            Expr::PosPred(_) | Expr::NegPred(_) => (BTreeSet::new(), true),
            Expr::Seq(a, b) => {
                let (mut first, nullable) = self.first(a);
                if !nullable {
                    return (first, false);
                }
                let (rest, rest_nullable) = self.first(b);
                first.extend(rest);
                (first, rest_nullable)
            }
            Expr::Choice(a, b) => {
                let (mut first, a_nullable) = self.first(a);
                let (rest, b_nullable) = self.first(b);
                first.extend(rest);
                (first, a_nullable || b_nullable)
            }
            Expr::Opt(e) | Expr::Rep(e) => (self.first(e).0, true),
            Expr::RepOnce(e) | Expr::Push(e) => self.first(e),
            Expr::RepExact(e, n) | Expr::RepMin(e, n) | Expr::RepMinMax(e, n, _) => {
                let (first, nullable) = self.first(e);
                (first, nullable || *n == 0)
            }
            _ => (BTreeSet::new(), false),
        }
    }

    /// The rules an expression calls directly, in order.
    fn calls(&self, expr: &Expr) -> Vec<String> {
        expr.iter_top_down()
            .filter_map(|e| match e {
                Expr::Ident(name) if self.rules.contains_key(&name) => Some(name),
                _ => None,
            })
            .collect()
    }

    /// The items a block's rule (`touchpoint_item`, or `top_decl` for the top level)
    /// accepts: each item's keywords and what they take, as [`takes`] describes it.
    fn items(&self, block_rule: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for item in self.calls(self.rule(block_rule)) {
            if matches!(item.as_str(), "doc" | "semi") {
                continue;
            }
            let takes = self.takes(&item);
            let (keywords, _) = self.first(&Expr::Ident(item.clone()));
            assert!(!keywords.is_empty(), "`{item}` in `{block_rule}` starts with no keyword");
            for keyword in keywords {
                let word = self.keyword(&keyword);
                if let Some(before) = out.insert(word.clone(), takes.clone()) {
                    panic!("`{word}` starts two items of `{block_rule}`: {before} and {takes}");
                }
            }
        }
        out
    }

    /// What an item's keyword takes, read from the rules the item calls, in the
    /// words of [`described`].
    fn takes(&self, item: &str) -> String {
        let calls = self.calls(self.rule(item));
        if let Some(block) = calls.iter().find(|c| c.ends_with("_item")) {
            return format!("a declaration of `{block}`");
        }
        let values: Vec<&str> =
            calls.iter().map(String::as_str).filter(|c| !c.starts_with("kw_")).collect();
        let reference = |rule: &str| {
            matches!(rule, "team_ref" | "capability_ref" | "system_ref" | "journey_ref")
        };
        let path = |rule: &str| matches!(rule, "activity_path" | "stage_path");
        match values.as_slice() {
            [] => "nothing".into(),
            ["lint_code", ..] => "lint codes".into(),
            [rule] if reference(rule) => "a reference".into(),
            [rule, again] if reference(rule) && rule == again => "references".into(),
            ["persona_ref_list"] => "references".into(),
            [rule, again] if path(rule) && rule == again => "paths".into(),
            ["lane_name"] => format!("one of {LANES:?}"),
            ["state_name"] => format!("one of {STATES:?}"),
            ["activity_state_name"] => format!("one of {ACTIVITY_STATES:?}"),
            ["string", "bound"] => "a string or a typed target".into(),
            ["string", "measure"] => "a string or a typed value".into(),
            ["rating"] => format!("one of {RATINGS:?}"),
            ["string"] => "a string".into(),
            ["word"] => "a string or an id".into(),
            ["number"] => "a number".into(),
            ["emotion_value"] => "a signed number".into(),
            ["percentage"] => "a percentage".into(),
            ["quantity"] => "a quantity".into(),
            ["duration"] => "a duration".into(),
            ["mix_part", again] if *again == "mix_part" => "a mix".into(),
            other => format!("a value of an unknown shape ({other:?})"),
        }
    }
}

/// The string literals of an expression, in order.
fn literals(expr: &Expr) -> Vec<String> {
    expr.iter_top_down()
        .filter_map(|e| match e {
            Expr::Str(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// What a keyword of the vocabulary takes, in the words of [`Grammar::takes`].
fn described(keyword: &Keyword) -> String {
    match keyword.takes {
        Takes::Declaration(block) => format!("a declaration of `{}`", block.rule),
        Takes::Reference => "a reference".into(),
        Takes::References => "references".into(),
        Takes::Paths => "paths".into(),
        Takes::Choice(words) => format!("one of {words:?}"),
        Takes::LintCodes => "lint codes".into(),
        Takes::Text => "a string".into(),
        Takes::Word => "a string or an id".into(),
        Takes::Number => "a number".into(),
        Takes::SignedNumber => "a signed number".into(),
        Takes::Percentage => "a percentage".into(),
        Takes::Quantity => "a quantity".into(),
        Takes::Duration => "a duration".into(),
        Takes::Mix => "a mix".into(),
        Takes::Flag => "nothing".into(),
        Takes::Target => "a string or a typed target".into(),
        Takes::Measure => "a string or a typed value".into(),
    }
}

fn repository_file(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every block's keywords against the grammar, and the blocks against the grammar's
/// `_item` rules: each keyword in the block the grammar puts it in, taking what the
/// grammar makes it take, and nothing the grammar lacks. Returns the differences.
fn drift(grammar: &Grammar) -> Vec<String> {
    let mut problems = Vec::new();
    for block in BLOCKS {
        let rule = block.rule;
        if !grammar.rules.contains_key(rule) {
            problems.push(format!("{block:?}: the grammar has no rule `{rule}`"));
            continue;
        }
        let expected = grammar.items(rule);
        let ours: BTreeMap<String, String> =
            block.keywords.iter().map(|k| (k.word.to_owned(), described(k))).collect();
        if ours.len() != block.keywords.len() {
            problems.push(format!("{block:?} lists a keyword twice"));
        }
        for (word, takes) in &expected {
            match ours.get(word) {
                None => problems.push(format!("{block:?} lacks `{word}` ({rule}), taking {takes}")),
                Some(t) if t != takes => problems.push(format!(
                    "`{word}` in {block:?} takes {takes} in the grammar, {t} in the vocabulary"
                )),
                Some(_) => {}
            }
        }
        for word in ours.keys().filter(|w| !expected.contains_key(*w)) {
            problems.push(format!("{block:?} has `{word}`, which `{rule}` does not accept"));
        }
    }
    let ours: BTreeSet<&str> = BLOCKS.iter().map(|b| b.rule).collect();
    for rule in grammar.rules.keys().filter(|r| r.ends_with("_item") && !ours.contains(r.as_str()))
    {
        problems.push(format!("no block of the vocabulary has the items of `{rule}`"));
    }
    let grammar_keywords: BTreeSet<String> =
        grammar.rules.keys().filter(|r| r.starts_with("kw_")).map(|r| grammar.keyword(r)).collect();
    let our_keywords: BTreeSet<String> = keywords().map(str::to_owned).collect();
    for word in grammar_keywords.symmetric_difference(&our_keywords) {
        problems
            .push(format!("`{word}` is a keyword of one of the grammar and the vocabulary only"));
    }
    for (rule, ours) in [("period", &PERIODS[..]), ("time_unit", &TIME_UNITS[..])] {
        let words: BTreeSet<String> = literals(grammar.rule(rule)).into_iter().collect();
        if words != ours.iter().map(|w| (*w).to_owned()).collect() {
            problems.push(format!("`{rule}` is {words:?} in the grammar, {ours:?} here"));
        }
    }
    problems
}

#[test]
fn the_vocabulary_is_the_grammars() {
    let problems = drift(&Grammar::read());
    assert!(
        problems.is_empty(),
        "the vocabulary and grammar/journey.pest differ:\n{}",
        problems.join("\n")
    );
}

/// The test above fails on each kind of drift: a keyword added to a block, one
/// taken away, one that takes something else, a new kind of declaration, a new
/// period.
#[test]
fn a_drifted_grammar_is_caught() {
    let grammar = repository_file("grammar/journey.pest");
    let reason = "reason = { kw_reason ~ string }\nkw_reason = @{ \"reason\" ~ !ident_char }\n";
    let place = "place = { kw_place ~ ident ~ (open ~ (!close ~ place_item)* ~ close | !open) }\n\
        place_item = { doc* ~ description }\nkw_place = @{ \"place\" ~ !ident_char }\n";
    let edits = [
        ("| failure | metric |", "| failure | reason | metric |", reason, "lacks `reason`"),
        ("| pain |", "|", "", "a touchpoint has `pain`"),
        ("= { kw_wait ~ duration }", "= { kw_wait ~ team_ref }", "", "`wait` in an activity takes"),
        ("(description | impact", "(metric | description | impact", "", "opportunity lacks `kpi`"),
        (
            "| journey }",
            "| journey | place }",
            place,
            "no block of the vocabulary has the items of `place_item`",
        ),
        ("| journey }", "| journey | place }", place, "a file lacks `place`"),
        ("| \"year\")", "| \"decade\" | \"year\")", "", "`period`"),
    ];
    for (from, to, rules, expected) in edits {
        assert!(grammar.contains(from), "the grammar no longer has {from:?}");
        let text = grammar.replacen(from, to, 1) + rules;
        let problems = drift(&Grammar::parse(&text)).join("\n");
        assert!(problems.contains(expected), "{from:?} -> {to:?} was not caught: {problems}");
    }
}

/// `Period`'s names are the vocabulary's periods, in the same order.
#[test]
fn periods_are_named_as_in_the_vocabulary() {
    use crate::syntax::ast::Period;
    assert_eq!(Period::ALL.map(Period::as_str), PERIODS);
}

/// Every time unit and period of the vocabulary lowers, so that the lowering's own
/// `match` misses none of them.
#[test]
fn every_unit_and_period_lowers() {
    for unit in TIME_UNITS {
        let text = format!("value stream v {{ stage s {{ activity a {{ process 2 {unit} }} }} }}");
        let (_, diagnostics) = crate::syntax::parse(crate::source::FileId(0), &text);
        assert!(diagnostics.is_empty(), "{unit}: {diagnostics:?}");
    }
    for period in PERIODS {
        let text = format!("journey j {{ volume 2 per {period} }}");
        let (file, diagnostics) = crate::syntax::parse(crate::source::FileId(0), &text);
        assert!(diagnostics.is_empty(), "{period}: {diagnostics:?}");
        assert!(format!("{file:?}").contains("Quantity"), "{period} lost: {file:?}");
    }
}

/// The blocks are paired with the grammar's rules by name: no two with one rule.
#[test]
fn every_block_has_its_own_rule() {
    let rules: BTreeSet<&str> = BLOCKS.iter().map(|b| b.rule).collect();
    assert_eq!(rules.len(), BLOCKS.len(), "{rules:?}");
    assert_eq!(TOUCHPOINT.child("kpi").map(|b| b.what), Some("a metric"));
    assert_eq!(TOP.child("stream").map(|b| b.what), Some("a value stream"));
    assert!(ACTIVITY.child("capability").is_none(), "a reference opens no block");
}

// ---------------------------------------------------------------- the VS Code grammar

/// The words a `TextMate` grammar highlights, by scope: every group of its patterns
/// that is an alternation of plain words (`(?:traces\s+to|maps\s+to)`), under the
/// scope of its capture or of its pattern, and every pattern that is one word.
fn textmate_words(json: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    fn walk(value: &serde_json::Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(regex)) = map.get("match") {
                    let scope = map.get("name").and_then(|n| n.as_str());
                    for (capture, words) in word_groups(regex) {
                        let captured = capture.and_then(|i| {
                            map.get("captures")?.get(i.to_string())?.get("name")?.as_str()
                        });
                        if let Some(scope) = captured.or(scope) {
                            out.entry(scope.to_owned()).or_default().extend(words);
                        }
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(json, &mut out);
    out
}

/// The groups of a regular expression that alternate plain words, with their
/// capture number (`None` for a non-capturing group or the whole expression).
fn word_groups(regex: &str) -> Vec<(Option<usize>, Vec<String>)> {
    let words = |body: &str| -> Option<Vec<String>> {
        body.split('|')
            .map(|alt| {
                let word = alt.replace("\\s+", " ");
                let plain = !word.is_empty()
                    && word
                        .split(' ')
                        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()));
                plain.then_some(word)
            })
            .collect()
    };
    let mut out = Vec::new();
    if let Some(w) = words(regex.trim_start_matches("\\b").trim_end_matches("\\b")) {
        out.push((None, w));
    }
    let bytes = regex.as_bytes();
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    let mut captures = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => {
                let capturing = bytes.get(i + 1) != Some(&b'?');
                let body = if regex[i + 1..].starts_with("?:") { i + 3 } else { i + 1 };
                if capturing {
                    captures += 1;
                }
                open.push((body, capturing.then_some(captures)));
            }
            b')' => {
                if let Some((body, capture)) = open.pop() {
                    if let Some(w) = words(&regex[body..i]) {
                        out.push((capture, w));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether a `TextMate` scope colours keywords (rather than values).
fn is_keyword_scope(scope: &str) -> bool {
    (scope.starts_with("keyword.") && !scope.starts_with("keyword.other.unit"))
        || scope.starts_with("storage.type")
}

/// Whether a `TextMate` scope colours the fixed words of values.
fn is_value_scope(scope: &str) -> bool {
    scope.starts_with("keyword.other.unit") || scope.starts_with("constant.language")
}

/// The VS Code grammar against the vocabulary. Returns the differences.
fn editor_drift(json: &serde_json::Value) -> Vec<String> {
    let scopes = textmate_words(json);
    let collect = |keep: fn(&str) -> bool| -> BTreeSet<&str> {
        scopes
            .iter()
            .filter(|(s, _)| keep(s))
            .flat_map(|(_, w)| w.iter().map(String::as_str))
            .collect()
    };
    let keywords: BTreeSet<&str> = super::keywords().collect();
    // A keyword is coloured as one where it is also a value's word (`current`), as
    // the editor's semantic tokens do.
    let values: BTreeSet<&str> = value_words().filter(|w| !keywords.contains(w)).collect();
    let declarations: BTreeSet<&str> = BLOCKS
        .iter()
        .flat_map(|b| b.keywords)
        .filter(|k| matches!(k.takes, Takes::Declaration(_)))
        .map(|k| k.word)
        .collect();
    let mut problems = Vec::new();
    for (what, theirs, ours) in [
        ("keywords", collect(is_keyword_scope), keywords),
        ("value words", collect(is_value_scope), values),
        ("declaration keywords", collect(|s| s.starts_with("storage.type")), declarations),
    ] {
        for w in theirs.difference(&ours) {
            problems.push(format!(
                "the editor colours `{w}` among the {what}, the vocabulary has no such"
            ));
        }
        for w in ours.difference(&theirs) {
            problems.push(format!("the editor does not colour `{w}` among the {what}"));
        }
    }
    problems
}

const TEXTMATE: &str = "editors/vscode/syntaxes/journey.tmLanguage.json";

#[test]
fn the_editor_grammar_colours_the_vocabulary() {
    let json = serde_json::from_str(&repository_file(TEXTMATE)).expect("the grammar is JSON");
    let problems = editor_drift(&json);
    assert!(problems.is_empty(), "{TEXTMATE} and the vocabulary differ:\n{}", problems.join("\n"));
}

/// The test above fails on a word missing from the editor's grammar, on an extra
/// one, and on a word coloured as the wrong kind.
#[test]
fn a_drifted_editor_grammar_is_caught() {
    let text = repository_file(TEXTMATE);
    let edits = [
        ("|wait|", "|", "does not colour `wait` among the keywords"),
        ("|wait|", "|wait|reason|", "colours `reason` among the keywords"),
        ("|medium|", "|", "does not colour `medium` among the value words"),
        ("mins|min|", "mins|min|secs|", "colours `secs` among the value words"),
        ("|opportunity|", "|", "does not colour `opportunity` among the declaration keywords"),
        ("\\\\bkpi\\\\b", "\\\\bkpx\\\\b", "colours `kpx`"),
        ("traces\\\\s+to|", "", "`traces to`"),
    ];
    for (from, to, expected) in edits {
        assert!(text.contains(from), "the editor's grammar no longer has {from:?}");
        let json = serde_json::from_str(&text.replacen(from, to, 1)).expect("still JSON");
        let problems = editor_drift(&json).join("\n");
        assert!(problems.contains(expected), "{from:?} -> {to:?} was not caught: {problems}");
    }
}
