//! The words of the language, written down once: the keywords each block accepts,
//! what each keyword takes, and the fixed words values are chosen from.
//!
//! Syntax errors (did-you-mean, "a touchpoint takes …"), the model's validation of
//! lanes, states, ratings and mixes, and the editor's completion and colouring read
//! these tables. The tests beside this file (`vocabulary/tests.rs`) check them
//! against `grammar/journey.pest` and against the VS Code grammar
//! (`editors/vscode/syntaxes/journey.tmLanguage.json`): a keyword added to, moved in
//! or removed from either one fails a test until the tables say the same.

/// What may be written in one kind of block (or at the top level of a file).
pub struct Block {
    /// The kind as messages name it: `"a touchpoint"`.
    pub what: &'static str,
    /// The grammar rule of the block's items (`touchpoint_item`), which the tests
    /// check the keywords against.
    pub rule: &'static str,
    /// Every keyword that starts an item of the block, in the order messages list
    /// them and completion offers them.
    pub keywords: &'static [Keyword],
}

/// A keyword and what follows it. A keyword of several words (`traces to`) is
/// written with single spaces; in a file any white space may separate its words.
#[derive(Clone, Copy, Debug)]
pub struct Keyword {
    pub word: &'static str,
    pub takes: Takes,
}

/// What follows a keyword: for an attribute, the shape of its value, which the
/// syntax tree keeps (`ast::Value`) and the formatter prints.
#[derive(Clone, Copy, Debug)]
pub enum Takes {
    /// A new element with this kind of block: an id and an optional label (for a
    /// `kpi` or `metric`, either or both), then optionally the block.
    Declaration(&'static Block),
    /// The id of an element declared elsewhere (`owner ops`).
    Reference,
    /// Comma-separated ids of elements declared elsewhere (`capability a, b`).
    References,
    /// Comma-separated paths `stream.item` or bare items (`traces to`, `maps to`).
    Paths,
    /// One of these words (`lane support`).
    Choice(&'static [&'static str]),
    /// Lint codes (`allow gap, journey::waste`).
    LintCodes,
    /// A string (`failure "Photos lost"`).
    Text,
    /// A string or an id (`channel phone`).
    Word,
    /// A number (`level 3`).
    Number,
    /// A number whose sign is always written (`emotion +2`, `emotion -1`).
    SignedNumber,
    /// A percentage (`reach 60%`).
    Percentage,
    /// A quantity (`500 per week`).
    Quantity,
    /// A duration (`15 min`).
    Duration,
    /// A kpi's target: a string, or a comparison with a typed value (`<= 12 min`).
    Target,
    /// A kpi's current value: a string, or a typed value (`17 min`, `95%`, `4.2`).
    Measure,
    /// Shares of categories (`simple 60% complex 40%`).
    Mix,
    /// Nothing: the keyword alone is the attribute (`enabling`).
    Flag,
}

impl PartialEq for Keyword {
    /// Keywords are the same when their words are: a block has each word once. A
    /// word that several blocks accept takes the same shape of value in each
    /// (`owner`), though a choice may offer other words (`state`).
    fn eq(&self, other: &Keyword) -> bool {
        self.word == other.word
    }
}

impl Block {
    /// The keywords, as written in messages.
    pub fn words(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.keywords.iter().map(|k| k.word)
    }

    /// The keyword `word` of this block.
    pub fn keyword(&self, word: &str) -> Option<&'static Keyword> {
        self.keywords.iter().find(|k| k.word == word)
    }

    /// The keyword of this block that `written` is, whatever white space separates
    /// the words of a multi-word keyword (`traces\n  to`).
    pub fn keyword_written(&self, written: &str) -> Option<&'static Keyword> {
        self.keywords.iter().find(|k| k.word.split(' ').eq(written.split_whitespace()))
    }

    /// The block that a declaration of this block opens, found by the keyword's
    /// last word (`stream` of `value stream`): the word before the new id.
    pub fn child(&self, last_word: &str) -> Option<&'static Block> {
        self.keywords.iter().find_map(|k| match k.takes {
            Takes::Declaration(block) if k.word.rsplit(' ').next() == Some(last_word) => {
                Some(block)
            }
            _ => None,
        })
    }
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what)
    }
}

/// The lanes of the service blueprint, in the blueprint's order (`lane support`).
pub const LANES: [&str; 3] = ["frontstage", "backstage", "support"];
/// A journey's states (`state future`).
pub const STATES: [&str; 2] = ["current", "future"];
/// An activity's states (`state retired`), `current` when none is written.
pub const ACTIVITY_STATES: [&str; 3] = ["current", "future", "retired"];
/// An opportunity's impact and effort (`impact high`).
pub const RATINGS: [&str; 3] = ["low", "medium", "high"];
/// The categories of a journey's mix (`mix simple 60% complex 40%`).
pub const MIX_CATEGORIES: [&str; 3] = ["simple", "standard", "complex"];
/// The periods of a quantity (`500 per week`).
pub const PERIODS: [&str; 6] = ["hour", "day", "week", "month", "quarter", "year"];
/// The units of a duration (`15 min`), shortest first within each unit.
pub const TIME_UNITS: [&str; 11] =
    ["min", "mins", "minute", "minutes", "h", "hour", "hours", "day", "days", "week", "weeks"];

/// The keyword of a quantity (`500 per week`), the one keyword that starts no item.
pub const PER: &str = "per";

/// Every fixed word a value is chosen from. `current` is also a keyword.
pub fn value_words() -> impl Iterator<Item = &'static str> {
    [&LANES[..], &ACTIVITY_STATES, &RATINGS, &MIX_CATEGORIES, &PERIODS, &TIME_UNITS]
        .into_iter()
        .flatten()
        .copied()
}

/// Every keyword: each block's, then [`PER`]. A keyword that several blocks accept
/// comes once per block.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    BLOCKS.into_iter().flat_map(Block::words).chain([PER])
}

/// Every block, the top level first, then in the order of `TOP`'s declarations and
/// their blocks'.
pub static BLOCKS: [&Block; 13] = [
    &TOP,
    &PERSONA,
    &TEAM,
    &SYSTEM,
    &CAPABILITY,
    &VALUE_STREAM,
    &VS_STAGE,
    &ACTIVITY,
    &JOURNEY,
    &JOURNEY_STAGE,
    &TOUCHPOINT,
    &METRIC,
    &OPPORTUNITY,
];

use Takes::{
    Choice, Declaration, Duration, Flag, LintCodes, Measure, Mix, Number, Paths, Percentage,
    Quantity, Reference, References, SignedNumber, Target, Text, Word,
};

const fn kw(word: &'static str, takes: Takes) -> Keyword {
    Keyword { word, takes }
}

/// The attributes every block accepts, last in its list.
const DESCRIPTION: Keyword = kw("description", Text);
const ALLOW: Keyword = kw("allow", LintCodes);

/// The top level of a file: its declarations.
pub static TOP: Block = Block {
    what: "a file",
    rule: "top_decl",
    keywords: &[
        kw("persona", Declaration(&PERSONA)),
        kw("team", Declaration(&TEAM)),
        kw("system", Declaration(&SYSTEM)),
        kw("capability", Declaration(&CAPABILITY)),
        kw("value stream", Declaration(&VALUE_STREAM)),
        kw("journey", Declaration(&JOURNEY)),
    ],
};

pub static PERSONA: Block =
    Block { what: "a persona", rule: "persona_item", keywords: &[DESCRIPTION, ALLOW] };

pub static TEAM: Block =
    Block { what: "a team", rule: "team_item", keywords: &[DESCRIPTION, ALLOW] };

pub static SYSTEM: Block = Block {
    what: "a system",
    rule: "system_item",
    keywords: &[kw("owner", Reference), DESCRIPTION, ALLOW],
};

pub static CAPABILITY: Block = Block {
    what: "a capability",
    rule: "capability_item",
    keywords: &[
        kw("owner", Reference),
        kw("level", Number),
        kw("parent", Reference),
        kw("capacity", Quantity),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static VALUE_STREAM: Block = Block {
    what: "a value stream",
    rule: "value_stream_item",
    keywords: &[
        kw("stage", Declaration(&VS_STAGE)),
        kw("stakeholder", References),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static VS_STAGE: Block = Block {
    what: "a value-stream stage",
    rule: "vs_stage_item",
    keywords: &[
        kw("activity", Declaration(&ACTIVITY)),
        kw("metric", Declaration(&METRIC)),
        kw("kpi", Declaration(&METRIC)),
        kw("entrance", Text),
        kw("exit", Text),
        kw("value", Text),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static ACTIVITY: Block = Block {
    what: "an activity",
    rule: "activity_item",
    keywords: &[
        kw("owner", Reference),
        kw("lane", Choice(&LANES)),
        kw("state", Choice(&ACTIVITY_STATES)),
        kw("capability", References),
        kw("system", References),
        kw("process", Duration),
        kw("wait", Duration),
        kw("accuracy", Percentage),
        kw("failure", Text),
        kw("enabling", Flag),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static JOURNEY: Block = Block {
    what: "a journey",
    rule: "journey_item",
    keywords: &[
        kw("stage", Declaration(&JOURNEY_STAGE)),
        kw("persona", References),
        kw("state", Choice(&STATES)),
        kw("replaces", Reference),
        kw("volume", Quantity),
        kw("mix", Mix),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static JOURNEY_STAGE: Block = Block {
    what: "a journey stage",
    rule: "journey_stage_item",
    keywords: &[
        kw("touchpoint", Declaration(&TOUCHPOINT)),
        kw("maps to", Paths),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static TOUCHPOINT: Block = Block {
    what: "a touchpoint",
    rule: "touchpoint_item",
    keywords: &[
        kw("channel", Word),
        kw("emotion", SignedNumber),
        kw("reach", Percentage),
        kw("moment of truth", Flag),
        kw("evidence", Word),
        kw("pain", Word),
        kw("failure", Text),
        kw("kpi", Declaration(&METRIC)),
        kw("metric", Declaration(&METRIC)),
        kw("opportunity", Declaration(&OPPORTUNITY)),
        kw("traces to", Paths),
        DESCRIPTION,
        ALLOW,
    ],
};

pub static METRIC: Block = Block {
    what: "a metric",
    rule: "metric_item",
    keywords: &[kw("target", Target), kw("current", Measure), DESCRIPTION, ALLOW],
};

pub static OPPORTUNITY: Block = Block {
    what: "an opportunity",
    rule: "opportunity_item",
    keywords: &[
        kw("impact", Choice(&RATINGS)),
        kw("effort", Choice(&RATINGS)),
        kw("owner", Reference),
        DESCRIPTION,
        ALLOW,
    ],
};

#[cfg(test)]
mod tests;
