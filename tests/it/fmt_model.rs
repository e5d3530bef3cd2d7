//! Any valid workspace, written in any layout the language allows, formats
//! (`journey fmt`) to text that parses back to the same model, and formatting is
//! idempotent.
//!
//! The file has three parts:
//!
//! * **Strategy**: a proptest strategy for a random but *valid* [`Workspace`]:
//!   every declaration kind and attribute of the language contract
//!   (`/work/shared/spec/LANGUAGE.md`, `docs/language.md`), with references that
//!   resolve, ids unique where the language requires it (and deliberately shared
//!   between kinds, or equal to keywords, where it allows it), values in range, and
//!   strings full of escapes, control characters, non-ASCII and right-to-left text
//!   and emoji.
//! * **Rendering**: the workspace written as `.journey` text in a deliberately
//!   non-canonical layout, driven by a seed: random white space (tabs, `\r\n`, lone
//!   `\r`, a byte-order mark), `//` and `////` comments between any two tokens, doc
//!   comments or `description` attributes, stray doc comments above attributes,
//!   optional `;` and `{ }`, labels that repeat the id written or left out, every
//!   equivalent escape of a character, every written form of a number, every
//!   spelling of a duration unit, `metric` or `kpi`, lists written at once or split
//!   over repeated attributes, attributes in any order, and the declarations split
//!   over one to three files that refer to each other.
//! * **Properties**: the text is valid; formatting keeps the model (the
//!   traceability JSON without source positions) and the diagnostics; formatting
//!   is idempotent; the model the compiler reads is the one that was generated.

use crate::support;

use journey::Analysis;
use journey::check::Levels;
use journey::diagnostic::Severity;
use journey::emit;
use journey::fmt::{Unformattable, format};
use journey::source::{FileId, Sources};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

// ================================================================== the model

/// The lints an `allow` may name: every lint of the registry.
fn lint_names() -> Vec<&'static str> {
    journey::diagnostic::Lint::ALL.iter().map(|l| l.code().name()).collect()
}
const LANES: [&str; 3] = ["frontstage", "backstage", "support"];
const STATES: [&str; 2] = ["current", "future"];
const RATINGS: [&str; 3] = ["low", "medium", "high"];
const MIX: [&str; 3] = ["simple", "standard", "complex"];
/// The complexity factor of each mix category (spec §5a).
const MIX_WEIGHTS: [f64; 3] = [0.5, 1.0, 2.0];
/// Quantity periods and their length in days.
const PERIODS: [(&str, f64); 6] = [
    ("hour", 1.0 / 24.0),
    ("day", 1.0),
    ("week", 7.0),
    ("month", 365.0 / 12.0),
    ("quarter", 365.0 / 4.0),
    ("year", 365.0),
];
/// Duration units: every spelling the grammar accepts, and the length in minutes.
const UNITS: [(&[&str], f64); 4] = [
    (&["min", "mins", "minute", "minutes"], 1.0),
    (&["h", "hour", "hours"], 60.0),
    (&["day", "days"], 1440.0),
    (&["week", "weeks"], 10080.0),
];

/// What every declaration has: id, label (the id when none is written),
/// description and the lints it allows.
#[derive(Clone, Debug)]
struct Meta {
    id: String,
    label: String,
    description: Option<String>,
    allow: Vec<&'static str>,
}

/// A number, as canonical decimal text (`12.5`, `-3`, `0`). The renderer writes it
/// in any equivalent form; the value is what the text parses to.
#[derive(Clone, Debug)]
struct Num(String);

impl Num {
    fn value(&self) -> f64 {
        self.0.parse().expect("a canonical number")
    }
}

#[derive(Clone, Debug)]
struct Quantity {
    amount: Num,
    /// Index into [`PERIODS`].
    period: usize,
}

#[derive(Clone, Debug)]
struct Duration {
    amount: Num,
    /// Index into [`UNITS`].
    unit: usize,
}

// References are indexes into the workspace's lists. The strategy draws them as
// arbitrary numbers, and `settle` reduces them to the lists' lengths.

#[derive(Clone, Debug)]
struct System {
    meta: Meta,
    owner: Option<usize>,
}

#[derive(Clone, Debug)]
struct Capability {
    meta: Meta,
    level: Option<Num>,
    parent: Option<usize>,
    capacity: Option<Quantity>,
    owner: Option<usize>,
    /// Whether `settle` sets the capacity just under the load, for an overload
    /// warning (utilisation about 110%).
    tight: bool,
}

/// A `metric` or `kpi`: an id, a label, or both.
#[derive(Clone, Debug)]
struct Metric {
    id: Option<String>,
    label: String,
    description: Option<String>,
    allow: Vec<&'static str>,
    target: Option<String>,
    current: Option<String>,
}

#[derive(Clone, Debug)]
struct Activity {
    meta: Meta,
    owner: Option<usize>,
    /// Index into [`LANES`]; `None` is the default, backstage.
    lane: Option<usize>,
    capabilities: Vec<usize>,
    systems: Vec<usize>,
    process: Option<Duration>,
    wait: Option<Duration>,
    failures: Vec<String>,
    enabling: bool,
}

#[derive(Clone, Debug)]
struct VsStage {
    meta: Meta,
    entrance: Vec<String>,
    exit: Vec<String>,
    value: Vec<String>,
    metrics: Vec<Metric>,
    activities: Vec<Activity>,
}

#[derive(Clone, Debug)]
struct Stream {
    meta: Meta,
    stakeholders: Vec<usize>,
    stages: Vec<VsStage>,
}

impl Stream {
    /// The activities of every stage, in order: trace targets index into this.
    fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.stages.iter().flat_map(|s| &s.activities)
    }

    fn activity(&self, i: usize) -> &Activity {
        self.activities().nth(i).expect("a settled trace")
    }
}

#[derive(Clone, Debug)]
struct Opportunity {
    meta: Meta,
    /// Indexes into [`RATINGS`].
    impact: Option<usize>,
    effort: Option<usize>,
    owner: Option<usize>,
}

#[derive(Clone, Debug)]
struct Touchpoint {
    meta: Meta,
    channel: Option<String>,
    emotion: Option<Num>,
    /// A percentage; `None` is the default, 100%.
    reach: Option<Num>,
    moment_of_truth: bool,
    evidence: Vec<String>,
    pains: Vec<String>,
    failures: Vec<String>,
    kpis: Vec<Metric>,
    opportunities: Vec<Opportunity>,
    /// (value stream, activity of that stream); drawn as (any, 0) until settled.
    traces: Vec<(usize, usize)>,
}

#[derive(Clone, Debug)]
struct JourneyStage {
    meta: Meta,
    /// (value stream, stage of that stream); drawn as (any, 0) until settled.
    maps_to: Vec<(usize, usize)>,
    touchpoints: Vec<Touchpoint>,
}

#[derive(Clone, Debug)]
struct Journey {
    meta: Meta,
    personas: Vec<usize>,
    /// Index into [`STATES`]; `None` is the default, current.
    state: Option<usize>,
    volume: Option<Quantity>,
    /// Shares of simple, standard and complex work in tenths of a percent: they add
    /// up to 1000 (100%) exactly.
    mix: Option<[u64; 3]>,
    stages: Vec<JourneyStage>,
}

#[derive(Clone, Debug)]
struct Workspace {
    personas: Vec<Meta>,
    teams: Vec<Meta>,
    systems: Vec<System>,
    capabilities: Vec<Capability>,
    streams: Vec<Stream>,
    journeys: Vec<Journey>,
}

impl Workspace {
    fn touchpoints(&self) -> impl Iterator<Item = &Touchpoint> {
        self.journeys.iter().flat_map(|j| &j.stages).flat_map(|s| &s.touchpoints)
    }
}

// ================================================================== strategy

/// Words that are keywords elsewhere: the language reserves none of them, so they
/// make fine ids (`team team`), and a parser or formatter that treats them as
/// keywords by position mistake is caught.
const KEYWORD_IDS: &[&str] = &[
    "team",
    "persona",
    "value",
    "stream",
    "stage",
    "current",
    "future",
    "owner",
    "traces",
    "to",
    "moment",
    "of",
    "truth",
    "kpi",
    "metric",
    "per",
    "week",
    "min",
    "allow",
    "journey",
    "enabling",
    "gap",
    "simple",
    "frontstage",
    "description",
    "channel",
    "pain",
    "_",
    "a-b",
    "x1",
    "Claims",
    "claims",
];

/// Pieces of strings that are hard to get right: every character that needs an
/// escape, control characters, comment and block syntax, non-ASCII, right-to-left
/// text and direction controls, zero-width and line-separator characters, emoji
/// (with joiners, flags and keycaps), and text that looks like an escape.
const FRAGMENTS: &[&str] = &[
    "\"",
    "\\",
    "\n",
    "\t",
    "\r",
    "\r\n",
    "//",
    "///",
    "// not a comment",
    "{",
    "}",
    ";",
    ",",
    "%",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "é",
    "e\u{301}",
    "ß",
    "日本語",
    "Ω",
    "שלום עולם",
    "مرحبا",
    "\u{202E}",
    "\u{2067}",
    "\u{200F}",
    "\u{200B}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{2028}",
    "\u{2029}",
    "\u{A0}",
    "\u{3000}",
    "🚗",
    "👩\u{200D}💻",
    "🇫🇷",
    "1\u{FE0F}\u{20E3}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\\u{41}",
    "\\n",
    " ",
    "  ",
    "https://example.com/a//b",
    "'",
    "`",
    "<b>&amp;</b>",
    "${x}",
    "< 5 min",
    ">= 95%",
];

fn id() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[A-Za-z_][A-Za-z0-9_-]{0,10}",
        1 => select(KEYWORD_IDS).prop_map(str::to_owned),
    ]
    .boxed()
}

/// Any text: plain words, hard fragments and arbitrary characters.
fn text() -> BoxedStrategy<String> {
    vec(
        prop_oneof![
            3 => "[a-zA-Z0-9 .,:-]{1,10}",
            3 => select(FRAGMENTS).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

/// The value of `channel`, `evidence` or `pain`: often id-shaped, so that the
/// renderer may write it bare (`channel phone`).
fn word() -> BoxedStrategy<String> {
    prop_oneof![id(), text()].boxed()
}

fn allow() -> BoxedStrategy<Vec<&'static str>> {
    prop::option::weighted(0.15, vec(select(lint_names()), 1..3))
        .prop_map(Option::unwrap_or_default)
        .boxed()
}

fn meta() -> BoxedStrategy<Meta> {
    (id(), prop::option::of(text()), prop::option::weighted(0.3, text()), allow())
        .prop_map(|(id, label, description, allow)| Meta {
            label: label.unwrap_or_else(|| id.clone()),
            id,
            description,
            allow,
        })
        .boxed()
}

/// A reference drawn before the list it points into is known.
fn reference() -> BoxedStrategy<Option<usize>> {
    prop::option::weighted(0.8, 0..64usize).boxed()
}

fn references() -> BoxedStrategy<Vec<usize>> {
    vec(0..64usize, 0..3).boxed()
}

/// `units / 10^scale` as canonical decimal text.
fn decimal(units: u64, scale: u32) -> Num {
    let p = 10u64.pow(scale);
    let mut text = (units / p).to_string();
    let fraction = units % p;
    if fraction > 0 {
        let digits = format!("{fraction:0width$}", width = scale as usize);
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    Num(text)
}

/// A `volume`: 0 or more, up to the largest amount accepted (10^12).
fn volume_amount() -> BoxedStrategy<Num> {
    prop_oneof![
        4 => (0u64..5000).prop_map(|u| decimal(u, 0)),
        4 => (0u64..100_000_000, 0u32..=4).prop_map(|(u, s)| decimal(u, s)),
        1 => Just(Num("1000000000000".into())),
        1 => Just(Num("0.0000001".into())),
    ]
    .boxed()
}

/// A `capacity`: greater than 0, from the smallest (10^-6) to the largest accepted.
fn capacity_amount() -> BoxedStrategy<Num> {
    prop_oneof![
        4 => (1u64..100_000).prop_map(|u| decimal(u, 0)),
        4 => (1u64..1_000_000_000, 1u32..=6).prop_map(|(u, s)| decimal(u, s)),
        1 => Just(Num("0.000001".into())),
        1 => Just(Num("1000000000000".into())),
    ]
    .boxed()
}

fn quantity(amount: BoxedStrategy<Num>) -> BoxedStrategy<Quantity> {
    (amount, 0..PERIODS.len()).prop_map(|(amount, period)| Quantity { amount, period }).boxed()
}

fn duration() -> BoxedStrategy<Duration> {
    ((0u64..10_000_000, 0u32..=3), 0..UNITS.len())
        .prop_map(|((u, s), unit)| Duration { amount: decimal(u, s), unit })
        .boxed()
}

/// A `reach`: 0% to 100%, whole or with up to three decimals.
fn percentage() -> BoxedStrategy<Num> {
    prop_oneof![
        (0u64..=100).prop_map(|u| decimal(u, 0)),
        (0u64..=100_000).prop_map(|u| decimal(u, 3)),
    ]
    .boxed()
}

/// A `mix` that adds up to exactly 100%, in tenths of a percent, with the rest in
/// any of the three categories.
fn mix() -> BoxedStrategy<[u64; 3]> {
    (0u64..=1000, 0u64..=1000, 0usize..3)
        .prop_map(|(a, b, rotate)| {
            let b = b.min(1000 - a);
            let mut shares = [a, b, 1000 - a - b];
            shares.rotate_left(rotate);
            shares
        })
        .boxed()
}

fn metric() -> BoxedStrategy<Metric> {
    (
        prop::option::of(id()),
        prop::option::of(text()),
        prop::option::weighted(0.2, text()),
        allow(),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(id, label, description, allow, target, current)| {
            // A metric needs an id or a label; without a label it is labelled by its id.
            let label = match (&id, label) {
                (_, Some(label)) => label,
                (Some(id), None) => id.clone(),
                (None, None) => String::new(),
            };
            Metric { id, label, description, allow, target, current }
        })
        .boxed()
}

fn system() -> BoxedStrategy<System> {
    (meta(), reference()).prop_map(|(meta, owner)| System { meta, owner }).boxed()
}

fn capability() -> BoxedStrategy<Capability> {
    (
        meta(),
        prop::option::of((1u64..=4).prop_map(|n| decimal(n, 0))),
        reference(),
        prop::option::of(quantity(capacity_amount())),
        reference(),
        prop::bool::weighted(0.4),
    )
        .prop_map(|(meta, level, parent, capacity, owner, tight)| Capability {
            meta,
            level,
            parent,
            capacity,
            owner,
            tight,
        })
        .boxed()
}

fn activity() -> BoxedStrategy<Activity> {
    (
        meta(),
        reference(),
        prop::option::of(0..LANES.len()),
        references(),
        references(),
        prop::option::of(duration()),
        prop::option::of(duration()),
        vec(text(), 0..2),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(meta, owner, lane, capabilities, systems, process, wait, failures, enabling)| {
                Activity {
                    meta,
                    owner,
                    lane,
                    capabilities,
                    systems,
                    process,
                    wait,
                    failures,
                    enabling,
                }
            },
        )
        .boxed()
}

fn vs_stage() -> BoxedStrategy<VsStage> {
    (
        meta(),
        vec(text(), 0..2),
        vec(text(), 0..2),
        vec(text(), 0..2),
        vec(metric(), 0..2),
        vec(activity(), 0..4),
    )
        .prop_map(|(meta, entrance, exit, value, metrics, activities)| VsStage {
            meta,
            entrance,
            exit,
            value,
            metrics,
            activities,
        })
        .boxed()
}

fn stream() -> BoxedStrategy<Stream> {
    (meta(), references(), vec(vs_stage(), 0..4))
        .prop_map(|(meta, stakeholders, stages)| Stream { meta, stakeholders, stages })
        .boxed()
}

fn opportunity() -> BoxedStrategy<Opportunity> {
    (meta(), prop::option::of(0..RATINGS.len()), prop::option::of(0..RATINGS.len()), reference())
        .prop_map(|(meta, impact, effort, owner)| Opportunity { meta, impact, effort, owner })
        .boxed()
}

fn touchpoint() -> BoxedStrategy<Touchpoint> {
    (
        meta(),
        prop::option::of(word()),
        prop::option::of((-3i64..=3).prop_map(|n| Num(n.to_string()))),
        prop::option::of(percentage()),
        any::<bool>(),
        vec(word(), 0..2),
        vec(word(), 0..2),
        vec(text(), 0..2),
        vec(metric(), 0..2),
        vec(opportunity(), 0..2),
        prop_oneof![1 => Just(vec![]), 3 => vec((0..64usize).prop_map(|r| (r, 0)), 1..4)],
    )
        .prop_map(
            |(
                meta,
                channel,
                emotion,
                reach,
                moment_of_truth,
                evidence,
                pains,
                failures,
                kpis,
                opportunities,
                traces,
            )| Touchpoint {
                meta,
                channel,
                emotion,
                reach,
                moment_of_truth,
                evidence,
                pains,
                failures,
                kpis,
                opportunities,
                traces,
            },
        )
        .boxed()
}

fn journey_stage() -> BoxedStrategy<JourneyStage> {
    (meta(), vec((0..64usize).prop_map(|r| (r, 0)), 0..2), vec(touchpoint(), 0..3))
        .prop_map(|(meta, maps_to, touchpoints)| JourneyStage { meta, maps_to, touchpoints })
        .boxed()
}

fn journey() -> BoxedStrategy<Journey> {
    (
        meta(),
        references(),
        prop::option::of(0..STATES.len()),
        prop::option::weighted(0.7, quantity(volume_amount())),
        prop::option::of(mix()),
        vec(journey_stage(), 0..3),
    )
        .prop_map(|(meta, personas, state, volume, mix, stages)| Journey {
            meta,
            personas,
            state,
            volume,
            mix,
            stages,
        })
        .boxed()
}

/// A random, valid workspace.
fn workspace() -> impl Strategy<Value = Workspace> {
    (
        vec(meta(), 0..3),
        vec(meta(), 0..4),
        vec(system(), 0..3),
        vec(capability(), 0..4),
        prop_oneof![1 => vec(stream(), 0..1), 4 => vec(stream(), 1..3)],
        prop_oneof![1 => vec(journey(), 0..1), 4 => vec(journey(), 1..3)],
    )
        .prop_map(|(personas, teams, systems, capabilities, streams, journeys)| {
            settle(Workspace { personas, teams, systems, capabilities, streams, journeys })
        })
}

/// Makes a drawn workspace valid: ids unique where they must be, references
/// resolved into the lists' lengths, `parent` links that never loop, and `allow
/// overload` on every capability that could be overloaded by more than 150%, which
/// is an error (with a wide margin, so that no rounding decides it).
fn settle(mut ws: Workspace) -> Workspace {
    unique(ws.personas.iter_mut().map(|m| &mut m.id));
    unique(ws.teams.iter_mut().map(|m| &mut m.id));
    unique(ws.systems.iter_mut().map(|s| &mut s.meta.id));
    unique(ws.capabilities.iter_mut().map(|c| &mut c.meta.id));
    unique(ws.streams.iter_mut().map(|s| &mut s.meta.id));
    unique(ws.journeys.iter_mut().map(|j| &mut j.meta.id));
    for s in &mut ws.streams {
        unique(s.stages.iter_mut().map(|st| &mut st.meta.id));
        // Activity ids are unique in their whole value stream.
        unique(s.stages.iter_mut().flat_map(|st| &mut st.activities).map(|a| &mut a.meta.id));
        for st in &mut s.stages {
            unique(st.metrics.iter_mut().filter_map(|m| m.id.as_mut()));
        }
    }
    for j in &mut ws.journeys {
        unique(j.stages.iter_mut().map(|st| &mut st.meta.id));
        for st in &mut j.stages {
            unique(st.touchpoints.iter_mut().map(|t| &mut t.meta.id));
            for t in &mut st.touchpoints {
                unique(t.opportunities.iter_mut().map(|o| &mut o.meta.id));
                unique(t.kpis.iter_mut().filter_map(|m| m.id.as_mut()));
            }
        }
    }

    let (personas, teams) = (ws.personas.len(), ws.teams.len());
    let (systems, capabilities) = (ws.systems.len(), ws.capabilities.len());
    let activities: Vec<(usize, usize)> = ws
        .streams
        .iter()
        .enumerate()
        .flat_map(|(s, stream)| (0..stream.activities().count()).map(move |a| (s, a)))
        .collect();
    let stages: Vec<(usize, usize)> = ws
        .streams
        .iter()
        .enumerate()
        .flat_map(|(s, stream)| (0..stream.stages.len()).map(move |st| (s, st)))
        .collect();

    for s in &mut ws.systems {
        settle_one(&mut s.owner, teams);
    }
    for (i, c) in ws.capabilities.iter_mut().enumerate() {
        settle_one(&mut c.owner, teams);
        settle_one(&mut c.parent, capabilities);
        // A parent comes earlier in the list, so that `parent` links never loop
        // (a loop is an error, and its links are dropped from the model).
        if let Some(p) = c.parent.filter(|&p| p >= i) {
            c.parent = (i > 0).then(|| p % i);
        }
    }
    for s in &mut ws.streams {
        settle_list(&mut s.stakeholders, personas);
        for a in s.stages.iter_mut().flat_map(|st| &mut st.activities) {
            settle_one(&mut a.owner, teams);
            settle_list(&mut a.capabilities, capabilities);
            settle_list(&mut a.systems, systems);
        }
    }
    for j in &mut ws.journeys {
        settle_list(&mut j.personas, personas);
        for st in &mut j.stages {
            settle_pairs(&mut st.maps_to, &stages);
            for t in &mut st.touchpoints {
                settle_pairs(&mut t.traces, &activities);
                for o in &mut t.opportunities {
                    settle_one(&mut o.owner, teams);
                }
            }
        }
    }

    // The load of spec §5a, per day, over every journey (the to-be of a workspace
    // without `replaces` has them all), rolled up to each capability's ancestors.
    let parents: Vec<Option<usize>> = ws.capabilities.iter().map(|c| c.parent).collect();
    let mut load = vec![0.0_f64; capabilities];
    for j in &ws.journeys {
        let Some(volume) = &j.volume else { continue };
        let per_day = volume.amount.value() / PERIODS[volume.period].1;
        let complexity = j.mix.map_or(1.0, |m| {
            (0..3).map(|i| decimal(m[i], 1).value() / 100.0 * MIX_WEIGHTS[i]).sum()
        });
        for t in j.stages.iter().flat_map(|s| &s.touchpoints) {
            let used: HashSet<usize> = t
                .traces
                .iter()
                .flat_map(|&(s, a)| ws.streams[s].activity(a).capabilities.iter().copied())
                .flat_map(|c| std::iter::successors(Some(c), |&c| parents[c]))
                .collect();
            let reach = t.reach.as_ref().map_or(1.0, |r| r.value() / 100.0);
            for c in used {
                load[c] += per_day * reach * complexity;
            }
        }
    }
    for (c, load) in ws.capabilities.iter_mut().zip(load) {
        if let (true, Some(capacity)) = (c.tight, &mut c.capacity) {
            let amount = load * PERIODS[capacity.period].1 / 1.1;
            if (1e-3..=1e12).contains(&amount) {
                let text = format!("{amount:.6}");
                capacity.amount = Num(text.trim_end_matches('0').trim_end_matches('.').to_owned());
            }
        }
        if let Some(capacity) = &c.capacity {
            let per_day = capacity.amount.value() / PERIODS[capacity.period].1;
            if load > 1.2 * per_day && !c.meta.allow.contains(&"overload") {
                c.meta.allow.push("overload");
            }
        }
    }
    ws
}

/// Renames repeated ids (`a`, `a` → `a`, `a_2`).
fn unique<'a>(ids: impl Iterator<Item = &'a mut String>) {
    let mut seen = HashSet::new();
    for id in ids {
        let base = id.clone();
        let mut n = 2;
        while !seen.insert(id.clone()) {
            *id = format!("{base}_{n}");
            n += 1;
        }
    }
}

fn settle_one(r: &mut Option<usize>, len: usize) {
    *r = r.and_then(|r| (len > 0).then(|| r % len));
}

fn settle_list(refs: &mut Vec<usize>, len: usize) {
    if len == 0 {
        refs.clear();
    }
    for r in refs {
        *r %= len.max(1);
    }
}

fn settle_pairs(refs: &mut Vec<(usize, usize)>, targets: &[(usize, usize)]) {
    if targets.is_empty() {
        refs.clear();
    }
    for r in refs {
        *r = targets[r.0 % targets.len().max(1)];
    }
}

// ================================================================== rendering

/// A small deterministic generator (`SplitMix64`): every layout choice comes from
/// the case's seed, so a failing case is reproduced exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 < u64::from(percent)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A token of the rendered text; the layout puts white space and comments between.
#[derive(Clone, Debug)]
enum Tok {
    /// A keyword, id, path, number or lint code: two words need a separator.
    Word(String),
    Punct(&'static str),
    /// A string literal, quotes and escapes included.
    Str(String),
    /// A whole `///` line, its line break included.
    Doc(String),
}

impl Tok {
    fn word(s: impl Into<String>) -> Tok {
        Tok::Word(s.into())
    }

    fn text(&self) -> &str {
        match self {
            Tok::Word(s) | Tok::Str(s) | Tok::Doc(s) => s,
            Tok::Punct(p) => p,
        }
    }
}

/// An attribute or nested declaration: its tokens.
type Item = Vec<Tok>;
/// Items whose relative order is meaningful (the stages of a stream, the `traces
/// to` of a touchpoint): they are interleaved with other sequences, never reordered.
type Seq = Vec<Item>;

/// How one file's gaps between tokens are filled, in percent.
#[derive(Clone, Copy)]
struct Style {
    /// Chance of each extra piece of white space or comment in a gap.
    extra: u32,
    /// Chance that an extra piece is a comment.
    comment: u32,
    /// Chance that a gap ends with a line break.
    newline: u32,
    /// Chance that a gap that may be empty is.
    tight: u32,
}

const STYLES: [Style; 4] = [
    // Everything on one line.
    Style { extra: 5, comment: 0, newline: 0, tight: 40 },
    // One token per line.
    Style { extra: 10, comment: 20, newline: 100, tight: 0 },
    // Chaos.
    Style { extra: 45, comment: 35, newline: 35, tight: 30 },
    // Almost conventional, with comments.
    Style { extra: 15, comment: 50, newline: 30, tight: 10 },
];

/// White space the grammar skips between tokens, the byte-order mark included.
const SPACES: &[&str] =
    &[" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\n\n\n", " \t ", "\u{FEFF}"];
/// White space allowed between the words of `value stream`, `maps to`, `traces to`
/// and `moment of truth`.
const KEYWORD_GAPS: &[&str] = &[" ", " ", "  ", "\t", "\n", "\r\n", "\r", " \n\t "];
const LINE_BREAKS: &[&str] = &["\n", "\n", "\n", "\r\n", "\r"];
const INDENTS: &[&str] = &["", "", "  ", "    ", "\t", " \t", "         "];
/// Comment bodies. None starts with `/`, so `//` + body is never a doc comment.
const COMMENTS: &[&str] = &[
    "",
    " note",
    "  trailing spaces   ",
    "\ttab",
    " \"unbalanced quote",
    " { braces } ; semis",
    " traces to v.a, b",
    " /// a doc comment inside a plain one",
    " émoji 🚗 and עברית",
    " \u{202E}reversed",
    " https://example.com/a//b",
    " ////",
    " `code` <html> &amp;",
    " \u{0}nul",
];

struct Render<'w> {
    ws: &'w Workspace,
    rng: Rng,
    /// Chance that a character of a string is written as a `\u{…}` escape.
    escape: u32,
    /// Chance that an optional `;` is written.
    semi: u32,
    /// Chance that a list is split into another attribute.
    split: u32,
    /// Activity and value-stream stage ids unique in the workspace: only these may
    /// be written as bare paths.
    bare_activities: HashSet<&'w str>,
    bare_stages: HashSet<&'w str>,
}

/// The `.journey` files of a workspace, laid out as the seed says: `(name, text)`.
fn render(ws: &Workspace, seed: u64) -> Vec<(String, String)> {
    let mut r = Render::new(ws, seed);
    let seqs = vec![
        ws.personas.iter().map(|p| r.plain("persona", p)).collect(),
        ws.teams.iter().map(|t| r.plain("team", t)).collect(),
        ws.systems.iter().map(|s| r.system(s)).collect(),
        ws.capabilities.iter().map(|c| r.capability(c)).collect(),
        ws.streams.iter().map(|s| r.stream(s)).collect(),
        ws.journeys.iter().map(|j| r.journey(j)).collect(),
    ];
    // Kinds interleave freely; each kind stays in order, which is the order the
    // outputs list it in (files in workspace order, then source order).
    let decls = r.interleave(seqs);
    let files = 1 + r.rng.below(3);
    let mut cuts: Vec<usize> = (1..files).map(|_| r.rng.below(decls.len() + 1)).collect();
    cuts.push(0);
    cuts.push(decls.len());
    cuts.sort_unstable();
    cuts.windows(2)
        .enumerate()
        .map(|(i, w)| (format!("ws/part{i}.journey"), r.file(&decls[w[0]..w[1]])))
        .collect()
}

impl<'w> Render<'w> {
    fn new(ws: &'w Workspace, seed: u64) -> Self {
        fn unique_names<'a>(names: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
            let mut count: HashMap<&str, usize> = HashMap::new();
            for n in names {
                *count.entry(n).or_default() += 1;
            }
            count.into_iter().filter(|&(_, c)| c == 1).map(|(n, _)| n).collect()
        }
        let mut rng = Rng(seed);
        let escape = rng.pick(&[0, 5, 30, 100]);
        let semi = rng.pick(&[0, 20, 100]);
        let split = rng.pick(&[0, 30, 100]);
        Render {
            ws,
            rng,
            escape,
            semi,
            split,
            bare_activities: unique_names(
                ws.streams.iter().flat_map(Stream::activities).map(|a| a.meta.id.as_str()),
            ),
            bare_stages: unique_names(
                ws.streams.iter().flat_map(|s| &s.stages).map(|s| s.meta.id.as_str()),
            ),
        }
    }

    // ------------------------------------------------------------ layout

    /// One file: its declarations with random gaps, comments and line breaks.
    fn file(&mut self, decls: &[Item]) -> String {
        let style = STYLES[self.rng.below(STYLES.len())];
        let mut out = String::new();
        if self.rng.chance(10) {
            out.push('\u{FEFF}');
        }
        out.push_str(&self.gap(style, false));
        let mut previous: Option<&Tok> = None;
        for tok in decls.iter().flatten() {
            if let Some(p) = previous {
                let needs_space = matches!((p, tok), (Tok::Word(_), Tok::Word(_)));
                let gap = self.gap(style, needs_space);
                out.push_str(&gap);
            }
            out.push_str(tok.text());
            previous = Some(tok);
        }
        let mut end = self.gap(style, false);
        if self.rng.chance(20) {
            // A comment may end the file without a line break.
            end.push_str(self.comment().trim_end_matches(['\n', '\r']));
        }
        out.push_str(&end);
        out
    }

    /// What goes between two tokens: white space and comments.
    fn gap(&mut self, style: Style, needs_space: bool) -> String {
        let mut out = String::new();
        for _ in 0..4 {
            if !self.rng.chance(style.extra) {
                break;
            }
            if self.rng.chance(style.comment) {
                out.push_str(self.rng.pick(&["", " ", "\t"]));
                out.push_str(&self.comment());
                out.push_str(self.rng.pick(INDENTS));
            } else {
                out.push_str(self.rng.pick(SPACES));
            }
        }
        if self.rng.chance(style.newline) {
            out.push_str(self.rng.pick(LINE_BREAKS));
            out.push_str(self.rng.pick(INDENTS));
        } else if out.is_empty() && (needs_space || !self.rng.chance(style.tight)) {
            out.push_str(self.rng.pick(&[" ", " ", "  ", "\t"]));
        }
        out
    }

    /// A plain comment (`//` or `////`) and the line break that ends it.
    fn comment(&mut self) -> String {
        let slashes = if self.rng.chance(80) { "//" } else { "////" };
        let body = self.rng.pick(COMMENTS);
        let end = self.rng.pick(LINE_BREAKS);
        format!("{slashes}{body}{end}")
    }

    /// A doc-comment line for `line` of a description (or a stray one).
    fn doc(&mut self, line: &str) -> Tok {
        // One space after `///` is dropped, so `///x` and `/// x` are the same; a
        // line starting with a space or `/` needs the space.
        let tight = !line.starts_with([' ', '/']) && self.rng.chance(40);
        let trailing = if self.rng.chance(10) { self.rng.pick(&[" ", "  ", "\t"]) } else { "" };
        let end = self.rng.pick(LINE_BREAKS);
        Tok::Doc(format!("{}{line}{trailing}{end}", if tight { "///" } else { "/// " }))
    }

    fn keyword(&mut self, words: &[&str]) -> Tok {
        let mut out = words[0].to_owned();
        for w in &words[1..] {
            out.push_str(self.rng.pick(KEYWORD_GAPS));
            out.push_str(w);
        }
        Tok::Word(out)
    }

    /// Sequences merged in a random order, each kept in its own order.
    fn interleave<T>(&mut self, seqs: Vec<Vec<T>>) -> Vec<T> {
        let mut queues: Vec<VecDeque<T>> =
            seqs.into_iter().filter(|s| !s.is_empty()).map(VecDeque::from).collect();
        let mut out = Vec::new();
        while !queues.is_empty() {
            let i = self.rng.below(queues.len());
            out.extend(queues[i].pop_front());
            if queues[i].is_empty() {
                queues.swap_remove(i);
            }
        }
        out
    }

    // ------------------------------------------------------------ values

    /// A string literal: each character as itself or any escape that means it.
    fn string(&mut self, s: &str) -> Tok {
        let mut out = String::from('"');
        for c in s.chars() {
            let escape = self.rng.chance(self.escape);
            let written = match c {
                '"' if !escape => "\\\"".to_owned(),
                '\\' if !escape => "\\\\".to_owned(),
                '\n' if !escape => "\\n".to_owned(),
                '\t' if !escape => self.rng.pick(&["\\t", "\t"]).to_owned(),
                '"' | '\\' | '\n' | '\r' | '\t' => self.hex(c),
                c if escape => self.hex(c),
                c => c.to_string(),
            };
            out.push_str(&written);
        }
        out.push('"');
        Tok::Str(out)
    }

    /// `\u{…}`: lower or upper case, with leading zeros up to six digits.
    fn hex(&mut self, c: char) -> String {
        let mut digits = format!("{:x}", u32::from(c));
        if self.rng.chance(50) {
            digits = digits.to_uppercase();
        }
        let width = digits.len() + self.rng.below(7 - digits.len());
        format!("\\u{{{digits:0>width$}}}")
    }

    /// A `channel`, `evidence` or `pain`: bare when it is id-shaped, or quoted.
    fn text_or_ident(&mut self, s: &str) -> Tok {
        if is_ident(s) && self.rng.chance(50) { Tok::word(s) } else { self.string(s) }
    }

    /// A number in any form that reads as the same value: leading zeros, trailing
    /// zeros after a point, a `+` sign, `-0`.
    fn number(&mut self, n: &Num) -> String {
        let (negative, body) = match n.0.strip_prefix('-') {
            Some(body) => (true, body),
            None => (false, n.0.as_str()),
        };
        let mut body = body.to_owned();
        if self.rng.chance(15) {
            body.insert_str(0, &"0".repeat(1 + self.rng.below(2)));
        }
        if self.rng.chance(20) {
            if !body.contains('.') {
                body.push('.');
            }
            body.push_str(&"0".repeat(1 + self.rng.below(2)));
        }
        let sign = if negative {
            "-"
        } else if self.rng.chance(10) {
            "+"
        } else if n.0 == "0" && self.rng.chance(20) {
            "-"
        } else {
            ""
        };
        format!("{sign}{body}")
    }

    fn quantity(&mut self, keyword: &str, q: &Quantity) -> Item {
        vec![
            Tok::word(keyword),
            Tok::Word(self.number(&q.amount)),
            Tok::word("per"),
            Tok::word(PERIODS[q.period].0),
        ]
    }

    /// `process` or `wait`: any spelling of the unit, singular or plural.
    fn duration(&mut self, keyword: &str, d: &Duration) -> Item {
        let unit = self.rng.pick(UNITS[d.unit].0);
        vec![Tok::word(keyword), Tok::Word(self.number(&d.amount)), Tok::word(unit)]
    }

    /// A comma-separated list, written as one attribute or split over several.
    fn list(&mut self, keyword: &[&str], items: Vec<String>) -> Seq {
        let mut out = Vec::new();
        let mut current: Item = Vec::new();
        for item in items {
            if current.is_empty() || self.rng.chance(self.split) {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                current.push(self.keyword(keyword));
            } else {
                current.push(Tok::Punct(","));
            }
            current.push(Tok::Word(item));
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    fn strings(&mut self, keyword: &str, values: &[String]) -> Seq {
        values.iter().map(|v| vec![Tok::word(keyword), self.string(v)]).collect()
    }

    fn words(&mut self, keyword: &str, values: &[String]) -> Seq {
        values.iter().map(|v| vec![Tok::word(keyword), self.text_or_ident(v)]).collect()
    }

    fn team(&self, i: usize) -> String {
        self.ws.teams[i].id.clone()
    }

    fn owner(&self, owner: Option<usize>) -> Seq {
        owner.map(|t| vec![Tok::word("owner"), Tok::Word(self.team(t))]).into_iter().collect()
    }

    // ------------------------------------------------------------ declarations

    /// `KIND id "label"?`: the label is left out when it is the id, or not.
    fn head(&mut self, keyword: Tok, meta: &Meta) -> Item {
        let mut head = vec![keyword, Tok::word(meta.id.clone())];
        if meta.label != meta.id || self.rng.chance(50) {
            head.push(self.string(&meta.label));
        }
        head
    }

    /// A declaration: its description as doc comments or as an attribute, its
    /// `allow`s, and its items interleaved in a block (left out when empty, or
    /// `{ }`), each with an optional `;`, attributes sometimes under a stray doc
    /// comment (which the model ignores).
    fn decl(
        &mut self,
        head: Item,
        description: Option<&str>,
        allow: &[&'static str],
        mut seqs: Vec<Seq>,
    ) -> Item {
        let mut out = Vec::new();
        if let Some(d) = description {
            if doc_comment_can_say(d) && self.rng.chance(50) {
                for line in d.split('\n') {
                    out.push(self.doc(line));
                }
            } else {
                let value = self.string(d);
                seqs.push(vec![vec![Tok::word("description"), value]]);
            }
        }
        if !allow.is_empty() {
            let codes = allow
                .iter()
                .map(
                    |c| if self.rng.chance(50) { format!("journey::{c}") } else { (*c).to_owned() },
                )
                .collect();
            // `allow`s are a set: each one its own sequence, in any order.
            for item in self.list(&["allow"], codes) {
                seqs.push(vec![item]);
            }
        }
        out.extend(head);
        let items = self.interleave(seqs);
        if items.is_empty() {
            if self.rng.chance(30) {
                out.extend([Tok::Punct("{"), Tok::Punct("}")]);
            }
            return out;
        }
        out.push(Tok::Punct("{"));
        for item in items {
            if !is_declaration(&item) && self.rng.chance(5) {
                let stray = self.rng.pick(COMMENTS);
                out.push(self.doc(stray.trim_start()));
            }
            out.extend(item);
            if self.rng.chance(self.semi) {
                out.push(Tok::Punct(";"));
            }
        }
        out.push(Tok::Punct("}"));
        out
    }

    fn plain(&mut self, kind: &str, meta: &Meta) -> Item {
        let head = self.head(Tok::word(kind), meta);
        self.decl(head, meta.description.as_deref(), &meta.allow, vec![])
    }

    fn system(&mut self, s: &System) -> Item {
        let head = self.head(Tok::word("system"), &s.meta);
        let seqs = vec![self.owner(s.owner)];
        self.decl(head, s.meta.description.as_deref(), &s.meta.allow, seqs)
    }

    fn capability(&mut self, c: &Capability) -> Item {
        let head = self.head(Tok::word("capability"), &c.meta);
        let mut seqs = vec![self.owner(c.owner)];
        if let Some(level) = &c.level {
            seqs.push(vec![vec![Tok::word("level"), Tok::Word(self.number(level))]]);
        }
        if let Some(parent) = c.parent {
            let id = self.ws.capabilities[parent].meta.id.clone();
            seqs.push(vec![vec![Tok::word("parent"), Tok::Word(id)]]);
        }
        if let Some(q) = &c.capacity {
            seqs.push(vec![self.quantity("capacity", q)]);
        }
        self.decl(head, c.meta.description.as_deref(), &c.meta.allow, seqs)
    }

    fn metric(&mut self, m: &Metric) -> Item {
        let mut head = vec![Tok::word(self.rng.pick(&["metric", "kpi"]))];
        if let Some(id) = &m.id {
            head.push(Tok::word(id.clone()));
        }
        if m.id.as_ref() != Some(&m.label) || self.rng.chance(50) {
            head.push(self.string(&m.label));
        }
        let mut seqs = Vec::new();
        if let Some(t) = &m.target {
            seqs.push(vec![vec![Tok::word("target"), self.string(t)]]);
        }
        if let Some(c) = &m.current {
            seqs.push(vec![vec![Tok::word("current"), self.string(c)]]);
        }
        self.decl(head, m.description.as_deref(), &m.allow, seqs)
    }

    fn stream(&mut self, s: &Stream) -> Item {
        let keyword = self.keyword(&["value", "stream"]);
        let head = self.head(keyword, &s.meta);
        let stakeholders = s.stakeholders.iter().map(|&p| self.ws.personas[p].id.clone()).collect();
        let seqs = vec![
            self.list(&["stakeholder"], stakeholders),
            s.stages.iter().map(|st| self.vs_stage(st)).collect(),
        ];
        self.decl(head, s.meta.description.as_deref(), &s.meta.allow, seqs)
    }

    fn vs_stage(&mut self, st: &VsStage) -> Item {
        let head = self.head(Tok::word("stage"), &st.meta);
        let seqs = vec![
            self.strings("entrance", &st.entrance),
            self.strings("exit", &st.exit),
            self.strings("value", &st.value),
            st.metrics.iter().map(|m| self.metric(m)).collect(),
            st.activities.iter().map(|a| self.activity(a)).collect(),
        ];
        self.decl(head, st.meta.description.as_deref(), &st.meta.allow, seqs)
    }

    fn activity(&mut self, a: &Activity) -> Item {
        let head = self.head(Tok::word("activity"), &a.meta);
        let capabilities =
            a.capabilities.iter().map(|&c| self.ws.capabilities[c].meta.id.clone()).collect();
        let systems = a.systems.iter().map(|&s| self.ws.systems[s].meta.id.clone()).collect();
        let mut seqs = vec![
            self.owner(a.owner),
            self.list(&["capability"], capabilities),
            self.list(&["system"], systems),
            self.strings("failure", &a.failures),
        ];
        if let Some(lane) = a.lane {
            seqs.push(vec![vec![Tok::word("lane"), Tok::word(LANES[lane])]]);
        }
        if let Some(d) = &a.process {
            seqs.push(vec![self.duration("process", d)]);
        }
        if let Some(d) = &a.wait {
            seqs.push(vec![self.duration("wait", d)]);
        }
        if a.enabling {
            seqs.push(vec![vec![Tok::word("enabling")]]);
        }
        self.decl(head, a.meta.description.as_deref(), &a.meta.allow, seqs)
    }

    fn journey(&mut self, j: &Journey) -> Item {
        let head = self.head(Tok::word("journey"), &j.meta);
        let personas = j.personas.iter().map(|&p| self.ws.personas[p].id.clone()).collect();
        let mut seqs = vec![
            self.list(&["persona"], personas),
            j.stages.iter().map(|st| self.journey_stage(st)).collect(),
        ];
        if let Some(state) = j.state {
            seqs.push(vec![vec![Tok::word("state"), Tok::word(STATES[state])]]);
        }
        if let Some(q) = &j.volume {
            seqs.push(vec![self.quantity("volume", q)]);
        }
        if let Some(shares) = j.mix {
            // Categories in any order, a 0% one written or left out, commas or not.
            let mut item = vec![Tok::word("mix")];
            let mut order = [0, 1, 2];
            for i in (1..3).rev() {
                order.swap(i, self.rng.below(i + 1));
            }
            for i in order {
                if shares[i] == 0 && self.rng.chance(50) {
                    continue;
                }
                if item.len() > 1 && self.rng.chance(50) {
                    item.push(Tok::Punct(","));
                }
                let share = self.number(&decimal(shares[i], 1));
                item.extend([Tok::word(MIX[i]), Tok::Word(format!("{share}%"))]);
            }
            seqs.push(vec![item]);
        }
        self.decl(head, j.meta.description.as_deref(), &j.meta.allow, seqs)
    }

    fn journey_stage(&mut self, st: &JourneyStage) -> Item {
        let head = self.head(Tok::word("stage"), &st.meta);
        let paths = st
            .maps_to
            .iter()
            .map(|&(s, stage)| {
                let stream = &self.ws.streams[s];
                let id = &stream.stages[stage].meta.id;
                if self.bare_stages.contains(id.as_str()) && self.rng.chance(50) {
                    id.clone()
                } else {
                    format!("{}.{id}", stream.meta.id)
                }
            })
            .collect();
        let seqs = vec![
            self.list(&["maps", "to"], paths),
            st.touchpoints.iter().map(|t| self.touchpoint(t)).collect(),
        ];
        self.decl(head, st.meta.description.as_deref(), &st.meta.allow, seqs)
    }

    fn touchpoint(&mut self, t: &Touchpoint) -> Item {
        let head = self.head(Tok::word("touchpoint"), &t.meta);
        let paths = t
            .traces
            .iter()
            .map(|&(s, a)| {
                let stream = &self.ws.streams[s];
                let id = &stream.activity(a).meta.id;
                if self.bare_activities.contains(id.as_str()) && self.rng.chance(50) {
                    id.clone()
                } else {
                    format!("{}.{id}", stream.meta.id)
                }
            })
            .collect();
        let mut seqs = vec![
            self.words("evidence", &t.evidence),
            self.words("pain", &t.pains),
            self.strings("failure", &t.failures),
            t.kpis.iter().map(|m| self.metric(m)).collect(),
            t.opportunities.iter().map(|o| self.opportunity(o)).collect(),
            self.list(&["traces", "to"], paths),
        ];
        if let Some(c) = &t.channel {
            seqs.push(vec![vec![Tok::word("channel"), self.text_or_ident(c)]]);
        }
        if let Some(e) = &t.emotion {
            seqs.push(vec![vec![Tok::word("emotion"), Tok::Word(self.number(e))]]);
        }
        if let Some(r) = &t.reach {
            let reach = self.number(r);
            seqs.push(vec![vec![Tok::word("reach"), Tok::Word(format!("{reach}%"))]]);
        }
        if t.moment_of_truth {
            seqs.push(vec![vec![self.keyword(&["moment", "of", "truth"])]]);
        }
        self.decl(head, t.meta.description.as_deref(), &t.meta.allow, seqs)
    }

    fn opportunity(&mut self, o: &Opportunity) -> Item {
        let head = self.head(Tok::word("opportunity"), &o.meta);
        let mut seqs = vec![self.owner(o.owner)];
        if let Some(r) = o.impact {
            seqs.push(vec![vec![Tok::word("impact"), Tok::word(RATINGS[r])]]);
        }
        if let Some(r) = o.effort {
            seqs.push(vec![vec![Tok::word("effort"), Tok::word(RATINGS[r])]]);
        }
        self.decl(head, o.meta.description.as_deref(), &o.meta.allow, seqs)
    }
}

/// `[A-Za-z_][A-Za-z0-9_-]*`
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `///` lines can carry this description: no carriage return, and no line
/// ending in white space (which doc comments drop).
fn doc_comment_can_say(description: &str) -> bool {
    !description.contains('\r') && description.split('\n').all(|l| l == l.trim_end())
}

/// Whether an item is a nested declaration (a doc comment above it would attach).
fn is_declaration(item: &[Tok]) -> bool {
    match item.first() {
        Some(Tok::Doc(_)) => true,
        Some(Tok::Word(w)) => ["stage", "activity", "touchpoint", "metric", "kpi", "opportunity"]
            .contains(&w.as_str()),
        _ => false,
    }
}

// ================================================================== the model as JSON

/// The part of `traceability.json` that the generated workspace determines: every
/// element with its id, label, description and attributes, in order.
fn expected(ws: &Workspace) -> Value {
    let element = |m: &Meta| json!({ "id": m.id, "label": m.label, "description": m.description });
    let team = |t: Option<usize>| t.map(|t| ws.teams[t].id.clone());
    let quantity = |q: &Quantity| json!({ "amount": q.amount.value(), "per": PERIODS[q.period].0 });
    let minutes = |d: &Duration| d.amount.value() * UNITS[d.unit].1;
    let metric = |m: &Metric| {
        json!({
            "id": m.id, "label": m.label, "description": m.description,
            "target": m.target.as_ref().map(|t| json!({ "written": t })),
            "current": m.current.as_ref().map(|c| json!({ "written": c })),
        })
    };
    let with = |m: &Meta, extra: Value| {
        let mut v = element(m);
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    json!({
        "personas": ws.personas.iter().map(element).collect::<Vec<_>>(),
        "teams": ws.teams.iter().map(element).collect::<Vec<_>>(),
        "systems": ws.systems.iter().map(|s| with(&s.meta, json!({ "owner": team(s.owner) }))).collect::<Vec<_>>(),
        "capabilities": ws.capabilities.iter().map(|c| with(&c.meta, json!({
            "level": c.level.as_ref().map(Num::value),
            "parent": c.parent.map(|p| ws.capabilities[p].meta.id.clone()),
            "owner": team(c.owner),
            "capacity": c.capacity.as_ref().map(quantity),
        }))).collect::<Vec<_>>(),
        "value_streams": ws.streams.iter().map(|s| with(&s.meta, json!({
            "stakeholders": s.stakeholders.iter().map(|&p| &ws.personas[p].id).collect::<Vec<_>>(),
            "stages": s.stages.iter().map(|st| with(&st.meta, json!({
                "entrance": st.entrance, "exit": st.exit, "value": st.value,
                "metrics": st.metrics.iter().map(metric).collect::<Vec<_>>(),
                "activities": st.activities.iter().map(|a| with(&a.meta, json!({
                    "owner": team(a.owner),
                    "lane": LANES[a.lane.unwrap_or(1)],
                    "capabilities": a.capabilities.iter().map(|&c| &ws.capabilities[c].meta.id).collect::<Vec<_>>(),
                    "systems": a.systems.iter().map(|&s| &ws.systems[s].meta.id).collect::<Vec<_>>(),
                    "process_minutes": a.process.as_ref().map(minutes),
                    "wait_minutes": a.wait.as_ref().map(minutes),
                    "failures": a.failures,
                    "enabling": a.enabling,
                }))).collect::<Vec<_>>(),
            }))).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "journeys": ws.journeys.iter().map(|j| with(&j.meta, json!({
            "personas": j.personas.iter().map(|&p| &ws.personas[p].id).collect::<Vec<_>>(),
            "state": STATES[j.state.unwrap_or(0)],
            "volume": j.volume.as_ref().map(quantity),
            "mix": j.mix.map(|m| {
                let share = |i: usize| decimal(m[i], 1).value() / 100.0;
                json!({ "simple": share(0), "standard": share(1), "complex": share(2) })
            }),
            "stages": j.stages.iter().map(|st| with(&st.meta, json!({
                "maps_to": st.maps_to.iter().map(|&(s, stage)| {
                    format!("{}.{}", ws.streams[s].meta.id, ws.streams[s].stages[stage].meta.id)
                }).collect::<Vec<_>>(),
                "touchpoints": st.touchpoints.iter().map(|t| with(&t.meta, json!({
                    "channel": t.channel,
                    "emotion": t.emotion.as_ref().map(Num::value),
                    "reach": t.reach.as_ref().map_or(1.0, |r| r.value() / 100.0),
                    "moment_of_truth": t.moment_of_truth,
                    "evidence": t.evidence,
                    "pains": t.pains,
                    "failures": t.failures,
                    "kpis": t.kpis.iter().map(metric).collect::<Vec<_>>(),
                    "opportunities": t.opportunities.iter().map(|o| with(&o.meta, json!({
                        "impact": o.impact.map(|r| RATINGS[r]),
                        "effort": o.effort.map(|r| RATINGS[r]),
                        "owner": team(o.owner),
                    }))).collect::<Vec<_>>(),
                    "traces_to": t.traces.iter().map(|&(s, a)| {
                        format!("{}.{}", ws.streams[s].meta.id, ws.streams[s].activity(a).meta.id)
                    }).collect::<Vec<_>>(),
                }))).collect::<Vec<_>>(),
            }))).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
    })
}

/// Whether `actual` has everything `expected` has: the same keys with matching
/// values (it may have more keys), arrays of the same length, numbers equal to
/// within rounding. Returns where they first differ.
fn matches(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let here = format!("{at}.{key}");
                let found = a.get(key).ok_or_else(|| format!("{here}: missing"))?;
                matches(value, found, &here)?;
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{at}: {} items expected, {} found:\n{actual:#}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                matches(e, a, &format!("{at}[{i}]"))?;
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if (e - a).abs() > 1e-9 * e.abs().max(a.abs()).max(1.0) {
                return Err(format!("{at}: expected {e}, found {a}"));
            }
        }
        _ if expected == actual => {}
        _ => return Err(format!("{at}: expected {expected}, found {actual}")),
    }
    Ok(())
}

// ================================================================== the pipeline

/// A generated workspace and its rendered files.
#[derive(Debug)]
struct Case {
    workspace: Workspace,
    files: Vec<(String, String)>,
}

fn case() -> impl Strategy<Value = Case> {
    (workspace(), any::<u64>()).prop_map(|(workspace, seed)| {
        let files = render(&workspace, seed);
        Case { workspace, files }
    })
}

fn sources(files: &[(String, String)]) -> Sources {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(name, text.clone()).expect("the generated files are small");
    }
    sources
}

fn analyse(files: &[(String, String)]) -> (Sources, Analysis) {
    let sources = sources(files);
    let analysis = journey::analyze(&sources, &Levels::default());
    (sources, analysis)
}

/// The files, with every invisible or unusual character escaped, for messages.
fn show(files: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, text) in files {
        let _ = writeln!(out, "--- {name}");
        for line in text.split('\n') {
            let _ = writeln!(out, "{}", line.escape_debug());
        }
    }
    out
}

/// The error diagnostics, with their places.
fn errors(sources: &Sources, analysis: &Analysis) -> Vec<String> {
    support::found(sources, &analysis.diagnostics)
        .into_iter()
        .zip(&analysis.diagnostics)
        .filter(|(_, d)| d.severity == Severity::Error)
        .map(|(f, d)| format!("{}:{}: {} {}", f.file, f.line, f.code, d.message))
        .collect()
}

/// Every diagnostic as `severity code: message`, in the order reported.
fn diagnostics(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}", d.severity.as_str(), d.code, d.message))
        .collect()
}

/// `traceability.json` without source positions (as in `fmt.rs`).
fn traceability(sources: &Sources, analysis: &Analysis) -> Value {
    let files: Vec<String> = sources.iter().map(|(_, f)| f.display_path()).collect();
    let input = emit::Input { analysis, sources, files: &files };
    let text = emit::traceability(input, &journey::model::Names::of(&analysis.model));
    let mut json: Value = serde_json::from_str(&text).expect("traceability.json is JSON");
    support::strip_sources(&mut json);
    json
}

fn formatted(text: &str) -> Result<String, String> {
    format(FileId(0), text).map_err(|e| match e {
        Unformattable::Syntax(d) => format!("does not parse: {d:?}"),
        Unformattable::Internal(why) => format!("formatter bug: {why}"),
    })
}

fn format_all(files: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    files
        .iter()
        .map(|(name, text)| {
            Ok((name.clone(), formatted(text).map_err(|e| format!("{name}: {e}"))?))
        })
        .collect()
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() }
}

// ================================================================== properties

proptest! {
    #![proptest_config(config())]

    /// The generated text is a valid workspace: it parses and analyses with no
    /// error (warnings and notes are expected). This guards the generator: every
    /// other property is only as good as the claim that its input is valid, and a
    /// failure here means either the generator wrote something the language does
    /// not allow or the compiler rejects something it does.
    #[test]
    fn the_generated_text_is_a_valid_workspace(case in case()) {
        let (sources, analysis) = analyse(&case.files);
        let errors = errors(&sources, &analysis);
        prop_assert!(errors.is_empty(), "{}\n{}", errors.join("\n"), show(&case.files));
    }

    /// Formatting every file keeps the model: the traceability JSON (the model, the
    /// trace links, every derived figure and the diagnostics, source positions
    /// aside) and the diagnostics (severity, code and message, in order) are the
    /// same before and after. This is `journey fmt`'s promise that it never changes
    /// meaning, checked on layouts, comments, escapes and number forms the
    /// examples never use.
    #[test]
    fn formatting_preserves_the_model(case in case()) {
        let (sources, before) = analyse(&case.files);
        prop_assert!(!before.has_errors(), "{}", show(&case.files));
        let formatted = match format_all(&case.files) {
            Ok(f) => f,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{}", show(&case.files)))),
        };
        let (sources_after, after) = analyse(&formatted);
        prop_assert_eq!(diagnostics(&before), diagnostics(&after), "{}", show(&case.files));
        let (a, b) = (traceability(&sources, &before), traceability(&sources_after, &after));
        prop_assert!(
            a == b,
            "the model changed:\n{}\n{}",
            support::diff(&format!("{a:#}"), &format!("{b:#}")),
            show(&case.files)
        );
    }

    /// Formatting is idempotent: a formatted file is already in the canonical
    /// layout, so `journey fmt --check` passes right after `journey fmt` and
    /// editors that format on save never fight over a file.
    #[test]
    fn formatting_is_idempotent(case in case()) {
        for (name, text) in &case.files {
            let once = formatted(text);
            prop_assert!(once.is_ok(), "{name}: {}\n{}", once.unwrap_err(), show(&case.files));
            let once = once.unwrap();
            let twice = formatted(&once);
            prop_assert!(twice.is_ok(), "{name}: {}\n{}", twice.unwrap_err(), once.escape_debug());
            let twice = twice.unwrap();
            prop_assert!(
                twice == once,
                "{name}: formatting twice changes the text:\n{}\n{}",
                support::diff(&once, &twice),
                show(&case.files)
            );
        }
    }

    /// The model the compiler reads is the one that was generated: every element
    /// with its label, description and attributes, in order, strings decoded from
    /// whichever escapes were written, numbers from whichever form, and one trace
    /// per `traces to` path. Without this, a bug that reads a string or a number
    /// wrongly the same way before and after formatting would pass the other
    /// properties, and the generator could silently stop covering what it claims.
    #[test]
    fn the_compiler_reads_the_generated_model(case in case()) {
        let (sources, analysis) = analyse(&case.files);
        prop_assert!(!analysis.has_errors(), "{}", show(&case.files));
        let actual = traceability(&sources, &analysis);
        let found = matches(&expected(&case.workspace), &actual, "$");
        prop_assert!(found.is_ok(), "{}\n{}", found.unwrap_err(), show(&case.files));
        let traces: usize = case.workspace.touchpoints().map(|t| t.traces.len()).sum();
        prop_assert_eq!(actual["traces"].as_array().map(Vec::len), Some(traces));
        let gaps = case.workspace.touchpoints().filter(|t| t.traces.is_empty()).count();
        prop_assert_eq!(actual["gaps"].as_array().map(Vec::len), Some(gaps));
    }
}

/// Found by this generator: a comment written right after a `}` with no space
/// (`}// c`, `}/// d`), when the block is printed over several lines, was moved
/// inside the block onto its last child's line (`src/fmt/print.rs`, `node`, bounded
/// the last child's trailing comments by the parent's end instead of its `}`). A
/// `///` there (the next declaration's doc) made the output unparsable.
#[test]
fn a_comment_glued_to_a_closing_brace_stays_after_it() {
    assert_eq!(
        formatted("journey j { stage a }/// d\nteam b\n").as_deref(),
        Ok("journey j {\n  stage a\n}\n\n/// d\nteam b\n")
    );
    assert_eq!(
        formatted("journey j { stage a }// c\n").as_deref(),
        Ok("journey j {\n  stage a\n} // c\n")
    );
}
