//! What changed between two versions of a workspace, as data: the one value the
//! Markdown, text and JSON renderings are made from.
//!
//! Everything is owned and already in the order it is shown: elements in the new
//! version's source order, then removed elements in the old version's order.
//! Values are words for people (`-1`, `60%`, `400 per week`), computed once here
//! so that the renderings cannot disagree.

use crate::diagnostic::{Code, Severity, UnknownCode};
use crate::model::Period;
use crate::model::Ratio;
use crate::model::Scenario;

/// The semantic changes from an old to a new version of a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// How many files each version has.
    pub files: Pair<usize>,
    /// Every error of each version (not only those the change introduced): a
    /// version with errors has incomplete figures, which a reviewer must know.
    pub errors: Pair<Vec<Problem>>,
    /// Counts of each version, for the before/after table.
    pub totals: Pair<Totals>,
    /// Elements added, removed or changed.
    pub elements: Vec<ElementChange>,
    /// `traces to` links added and removed.
    pub traces: Delta<TraceLink>,
    pub diagnostics: DiagnosticChanges,
    /// Touchpoints that became gaps (`added`) or stopped being gaps (`removed`).
    pub gaps: Delta<Named>,
    /// Activities that became possible waste, or stopped being it.
    pub waste: Delta<Named>,
    /// Touchpoints whose hand-off appeared, disappeared or changed teams.
    pub handoffs: Vec<HandoffChange>,
    pub coverage: CoverageChanges,
    /// The scenarios whose capability loads are compared (spec §4a): the as-is,
    /// and the to-be when either version has a future state.
    pub scenarios: &'static [Scenario],
    /// Capabilities whose load, capacity or utilisation changed, capability by
    /// capability, each in the order of `scenarios`.
    pub utilisation: Vec<UtilisationChange>,
}

/// A value in the old and in the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pair<T> {
    pub old: T,
    pub new: T,
}

impl<T: PartialEq> Pair<T> {
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// Items that appeared and items that disappeared.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta<T> {
    /// In the new version only, in its source order.
    pub added: Vec<T>,
    /// In the old version only, in its source order.
    pub removed: Vec<T>,
}

impl<T> Default for Delta<T> {
    fn default() -> Self {
        Delta { added: Vec::new(), removed: Vec::new() }
    }
}

impl<T> Delta<T> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    pub fn len(&self) -> usize {
        self.added.len() + self.removed.len()
    }
}

pub use crate::syntax::Kind;

/// The kinds of element `journey diff` compares, in the order the report shows
/// them: customer side first. (Metrics and opportunities are compared as
/// attributes of the element that holds them.)
pub const KINDS: [Kind; 10] = [
    Kind::Journey,
    Kind::JourneyStage,
    Kind::Touchpoint,
    Kind::Persona,
    Kind::ValueStream,
    Kind::VsStage,
    Kind::Activity,
    Kind::Capability,
    Kind::Team,
    Kind::System,
];

/// Which part of the report an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Journeys, their stages and touchpoints, personas: what the customer meets.
    Customer,
    /// Value streams, their stages and activities, capabilities, teams, systems.
    Operation,
}

impl Audience {
    pub fn of(kind: Kind) -> Audience {
        match kind {
            Kind::Journey | Kind::JourneyStage | Kind::Touchpoint | Kind::Persona => {
                Audience::Customer
            }
            _ => Audience::Operation,
        }
    }
}

/// What happened to an element as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Removed,
    /// In both versions, with a different label, place or attribute.
    Changed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// One element that was added, removed or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementChange {
    pub kind: Kind,
    pub status: Status,
    /// The qualified name (`stream.activity`, `journey.stage.touchpoint`) in the new
    /// version, or in the old one for a removed element.
    pub path: String,
    /// The label in the new version (the old one for a removed element).
    pub label: String,
    /// The old label, when the label changed.
    pub old_label: Option<String>,
    /// The stage it moved from and to, for a touchpoint or an activity.
    pub moved: Option<Move>,
    /// For an added or removed element, a few attributes that say what it is (its
    /// stage, owner, channel…), so that a reviewer need not open the file.
    pub facts: Vec<Fact>,
    /// For a changed element, what changed, attribute by attribute.
    pub attributes: Vec<AttributeChange>,
    /// Where it is declared (in the old version for a removed element).
    pub place: Place,
    /// For a removed element: its file has a syntax error in the new version, so it
    /// may be missing only because it could not be read.
    pub unreadable: bool,
}

impl ElementChange {
    /// A word for the change: `added`, `removed`, `unreadable` (removed, from a
    /// file with a syntax error), `moved`, `relabelled` or `changed`.
    pub fn verb(&self) -> &'static str {
        match self.status {
            Status::Removed if self.unreadable => "unreadable",
            Status::Changed if self.moved.is_some() => "moved",
            Status::Changed if self.attributes.is_empty() && self.old_label.is_some() => {
                "relabelled"
            }
            status => status.as_str(),
        }
    }
}

/// A move between stages: qualified stage names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// One attribute of an added or removed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub name: &'static str,
    pub value: String,
}

/// One change to one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeChange {
    /// The attribute as written in the language (`emotion`, `pain`, `capacity`), or
    /// a field of a nested item (`kpi target`, `opportunity impact`).
    pub attribute: String,
    /// The nested item the change is about: a `kpi`'s or `metric`'s label or id, an
    /// opportunity's id.
    pub item: Option<String>,
    pub value: Value,
}

/// How an attribute changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A single value changed; `None` is an attribute that is not written.
    Set { old: Option<String>, new: Option<String> },
    /// An entry of a repeated attribute was added (a `pain`, a `capability`).
    Added(String),
    /// An entry of a repeated attribute was removed.
    Removed(String),
}

/// `file:line`, with the file named relative to its version's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// An element named in a figure: its qualified name and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub path: String,
    pub label: String,
}

/// A `traces to` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceLink {
    pub touchpoint: Named,
    pub activity: Named,
    /// Where the path is written.
    pub place: Place,
}

/// A diagnostic of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The qualified name of the innermost element the diagnostic points into.
    pub element: Option<String>,
    pub place: Place,
}

/// Diagnostics compared by code, element and message, never by line, since an
/// edit above a diagnostic moves it without changing it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagnosticChanges {
    /// In the new version only, in its order.
    pub introduced: Vec<Problem>,
    /// In the old version only, in its order.
    pub resolved: Vec<Problem>,
    /// The same code on the same element, with another message or severity (an
    /// overload at 120% that is now at 160%).
    pub changed: Vec<Pair<Problem>>,
}

impl DiagnosticChanges {
    pub fn is_empty(&self) -> bool {
        self.introduced.is_empty() && self.resolved.is_empty() && self.changed.is_empty()
    }
}

/// A touchpoint's hand-off: the teams that serve it, before and after (`None`:
/// no hand-off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffChange {
    pub touchpoint: Named,
    pub teams: Pair<Option<Vec<String>>>,
}

/// Counts of one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub touchpoints: usize,
    pub activities: usize,
    pub gaps: usize,
    pub waste: usize,
    pub handoffs: usize,
    /// Capabilities whose utilisation is over 100%, in the as-is.
    pub overloaded: usize,
    /// The same in the to-be: the as-is's count in a version without a future
    /// state.
    pub overloaded_to_be: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// Coverage in both versions; journeys only where their coverage changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoverageChanges {
    /// Touchpoints with at least one trace, over all touchpoints.
    pub touchpoints: Pair<Ratio>,
    /// Non-enabling activities with at least one trace.
    pub activities: Pair<Ratio>,
    pub journeys: Vec<JourneyCoverageChange>,
}

impl CoverageChanges {
    pub fn is_empty(&self) -> bool {
        !self.touchpoints.changed() && !self.activities.changed() && self.journeys.is_empty()
    }
}

/// One journey's coverage before and after (`None`: the journey is not in that
/// version).
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyCoverageChange {
    pub journey: Named,
    pub touchpoints: Pair<Option<Ratio>>,
    /// Of the activities in the stages it maps to, those its touchpoints trace to.
    pub activities: Pair<Option<Ratio>>,
}

/// A capability's load before and after (`None`: not in that version, or carrying
/// nothing and without a capacity).
#[derive(Debug, Clone, PartialEq)]
pub struct UtilisationChange {
    pub capability: Named,
    /// The scenario whose load changed. A version without a future state has a
    /// to-be that is its as-is.
    pub scenario: Scenario,
    pub load: Pair<Option<LoadFigure>>,
}

/// A capability's load (spec §5a).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadFigure {
    /// The load per `period`.
    pub load: f64,
    pub period: Period,
    /// The capacity per `period`.
    pub capacity: Option<f64>,
}

impl LoadFigure {
    pub fn utilisation(&self) -> Option<f64> {
        self.capacity.map(|c| self.load / c)
    }

    /// `ok`, `over` (above 100%), `critical` (above 150%) or `no-capacity`, as in
    /// `traceability.json`.
    pub fn status(&self) -> &'static str {
        match self.utilisation() {
            None => "no-capacity",
            Some(u) if u > crate::model::SEVERE_OVERLOAD => "critical",
            Some(u) if u > 1.0 => "over",
            Some(_) => "ok",
        }
    }
}

/// What the `--fail-on` option names: codes, or every introduced error or warning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailOn {
    pub codes: Vec<Code>,
    /// `errors`: any introduced diagnostic of error severity.
    pub errors: bool,
    /// `warnings`: any introduced warning or error.
    pub warnings: bool,
}

impl FailOn {
    /// Parses `gap`, `journey::gap`, `errors` or `warnings`.
    pub fn parse(words: &[String]) -> Result<FailOn, UnknownCode> {
        let mut out = FailOn::default();
        for word in words {
            match word.as_str() {
                "errors" => out.errors = true,
                "warnings" => out.warnings = true,
                _ => out.codes.push(Code::from_user(word)?),
            }
        }
        Ok(out)
    }

    fn matches(&self, problem: &Problem) -> bool {
        self.codes.contains(&problem.code)
            || (self.errors && problem.severity == Severity::Error)
            || (self.warnings && problem.severity >= Severity::Warning)
    }
}

impl Changes {
    /// Whether the two versions mean the same.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
            && self.traces.is_empty()
            && self.diagnostics.is_empty()
            && self.gaps.is_empty()
            && self.waste.is_empty()
            && self.handoffs.is_empty()
            && self.coverage.is_empty()
            && self.utilisation.is_empty()
    }

    /// The introduced diagnostics that `--fail-on` names.
    pub fn failing<'a>(&'a self, fail_on: &'a FailOn) -> impl Iterator<Item = &'a Problem> {
        self.diagnostics.introduced.iter().filter(|p| fail_on.matches(p))
    }

    /// The one-line summary, as phrases: `2 touchpoints added`, `1 new gap`,
    /// `touchpoints traced 75% → 80%`. Empty when nothing changed.
    pub fn summary(&self) -> Vec<String> {
        // Errors of the new version are announced on their own, above the summary.
        let mut out = Vec::new();
        for kind in KINDS {
            let of_kind = || self.elements.iter().filter(move |e| e.kind == kind);
            for verb in ["added", "removed", "unreadable", "moved", "relabelled", "changed"] {
                let n = of_kind().filter(|e| e.verb() == verb).count();
                if n > 0 {
                    let noun = if n == 1 { kind.singular() } else { kind.plural() };
                    out.push(format!("{n} {noun} {verb}"));
                }
            }
        }
        for (n, verb) in
            [(self.traces.added.len(), "added"), (self.traces.removed.len(), "removed")]
        {
            if n > 0 {
                out.push(format!("{} {verb}", count(n, "trace link", "trace links")));
            }
        }
        for (problems, new) in
            [(&self.diagnostics.introduced, true), (&self.diagnostics.resolved, false)]
        {
            // Grouped by code in a fixed order, errors first.
            let mut codes: Vec<Code> = problems.iter().map(|p| group(p.code)).collect();
            codes.sort_by_key(|&c| (c.lint().is_some(), c));
            codes.dedup();
            for code in codes {
                let n = problems.iter().filter(|p| group(p.code) == code).count();
                let noun = code.noun(n);
                out.push(if new {
                    format!("{n} new {noun}")
                } else {
                    format!("{n} {noun} resolved")
                });
            }
        }
        let changed = self.diagnostics.changed.len();
        if changed > 0 {
            out.push(format!("{} changed", count(changed, "diagnostic", "diagnostics")));
        }
        for (name, pair) in [
            ("touchpoints traced", self.coverage.touchpoints),
            ("activities used", self.coverage.activities),
        ] {
            let (old, new) = (
                crate::text::number::percent(pair.old.fraction()),
                crate::text::number::percent(pair.new.fraction()),
            );
            if old != new {
                out.push(format!("{name} {old} → {new}"));
            }
        }
        out
    }
}

/// Error codes are summed up as errors; each lint counts on its own.
fn group(code: Code) -> Code {
    if code.lint().is_some() { code } else { Code::Syntax }
}

/// `1 error`, `2 errors`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
