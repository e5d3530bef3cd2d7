//! Name tables and reference resolution, with "did you mean" and "wrong kind" help.

use super::elements::{
    ActivityId, CapabilityId, JourneyId, PersonaId, StreamId, SystemId, TeamId, VsStageId,
};
use crate::diagnostic::{Code, Diagnostic, Label};
use crate::source::Span;
use crate::syntax::Kind;
use crate::syntax::ast::{Ident, Path};
use crate::text::article;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;
use std::hash::Hash;
use std::sync::OnceLock;

/// The name tables' map: names are short and not chosen by an attacker, so a fast
/// non-cryptographic hash is enough (Rust's default, `SipHash`, took a third of
/// `build`'s instructions).
pub(super) type Map<K, V> = FxHashMap<K, V>;

/// Every name declared in the workspace, by kind. Borrowed from the source texts,
/// not from the syntax trees, so that each file's tree can be freed as soon as it
/// is read (see `model::Builder`).
#[derive(Default)]
pub(super) struct Names<'a> {
    pub personas: Map<&'a str, PersonaId>,
    pub teams: Map<&'a str, TeamId>,
    pub systems: Map<&'a str, SystemId>,
    pub capabilities: Map<&'a str, CapabilityId>,
    pub streams: Map<&'a str, StreamId>,
    pub journeys: Map<&'a str, JourneyId>,
    /// Stages and activities are unique within their value stream.
    pub vs_stages: Map<(StreamId, &'a str), VsStageId>,
    pub activities: Map<(StreamId, &'a str), ActivityId>,
    /// Bare names, for `traces to capture` and for wrong-kind help.
    pub activities_by_name: Map<&'a str, Bearers<ActivityId>>,
    pub vs_stages_by_name: Map<&'a str, Bearers<VsStageId>>,
    /// Only wrong-kind help asks for these, so they are hashed on first need.
    pub journey_stages: Listed<'a>,
    pub touchpoints: Listed<'a>,
    /// Top-level declarations lost to syntax errors, by kind. Owned: the name of a
    /// broken header is not always a slice of its text.
    pub broken: Map<Kind, FxHashSet<Box<str>>>,
    /// Stream names, in declaration order, for deterministic suggestions.
    pub streams_in_order: Vec<&'a str>,
}

/// What a bare name designates in one kind: a single element, or elements of
/// several value streams (which makes a bare reference ambiguous).
#[derive(Clone, Copy)]
pub(super) enum Bearers<I> {
    One(I),
    Many,
}

/// Registers `id` under its bare `name`.
pub(super) fn bear<'a, I>(map: &mut Map<&'a str, Bearers<I>>, name: &'a str, id: I) {
    match map.entry(name) {
        Entry::Occupied(mut e) => *e.get_mut() = Bearers::Many,
        Entry::Vacant(e) => {
            e.insert(Bearers::One(id));
        }
    }
}

/// Names kept as a list while declaring, and put in a set only if a failed
/// reference asks whether one of them exists (most workspaces never do).
#[derive(Default)]
pub(super) struct Listed<'a> {
    list: Vec<&'a str>,
    set: OnceLock<FxHashSet<&'a str>>,
}

impl<'a> Listed<'a> {
    pub fn push(&mut self, name: &'a str) {
        self.list.push(name);
    }

    pub fn reserve(&mut self, additional: usize) {
        self.list.reserve(additional);
    }

    fn contains(&self, name: &str) -> bool {
        self.set.get_or_init(|| self.list.iter().copied().collect()).contains(name)
    }
}

/// The result of resolving a reference that failed: either a diagnostic, or
/// silence because the target was lost to a syntax error already reported.
pub(super) type Failure = Option<Diagnostic>;

impl<'a> Names<'a> {
    pub fn is_broken(&self, kind: Kind, name: &str) -> bool {
        self.broken.get(&kind).is_some_and(|names| names.contains(name))
    }

    pub fn any_broken(&self, kind: Kind) -> bool {
        self.broken.get(&kind).is_some_and(|names| !names.is_empty())
    }

    /// What, other than `except`, is called `name` somewhere in the workspace.
    fn kinds_of(&self, name: &str, except: &str) -> Vec<&'static str> {
        let found = [
            (Kind::Persona, self.personas.contains_key(name)),
            (Kind::Team, self.teams.contains_key(name)),
            (Kind::System, self.systems.contains_key(name)),
            (Kind::Capability, self.capabilities.contains_key(name)),
            (Kind::ValueStream, self.streams.contains_key(name)),
            (Kind::Journey, self.journeys.contains_key(name)),
            (Kind::VsStage, self.vs_stages_by_name.contains_key(name)),
            (Kind::Activity, self.activities_by_name.contains_key(name)),
            (Kind::JourneyStage, self.journey_stages.contains(name)),
            (Kind::Touchpoint, self.touchpoints.contains(name)),
        ];
        found
            .into_iter()
            .filter(|&(k, f)| f && k.singular() != except)
            .map(|(k, _)| k.singular())
            .collect()
    }

    /// Resolves a persona, team, system or capability id.
    pub fn simple<I: Copy>(
        &self,
        table: &Map<&'a str, I>,
        kind: Kind,
        attribute: &str,
        ident: &Ident,
    ) -> Result<I, Failure> {
        if let Some(&id) = table.get(&*ident.name) {
            return Ok(id);
        }
        if self.is_broken(kind, &ident.name) {
            return Err(None);
        }
        let what = kind.singular();
        if let Some(other) = self.kinds_of(&ident.name, what).first() {
            return Err(Some(wrong_kind(ident, attribute, what, other)));
        }
        Err(Some(unresolved(
            ident,
            &format!("no {what} is named `{}`", ident.name),
            what,
            suggest_unordered(&ident.name, table.keys().copied()),
        )))
    }

    /// Resolves the `traces to` path written as `text` at `span`. A path that
    /// resolves is looked up in the text as it stands; only one that fails is
    /// split into a [`Path`], for its diagnostic.
    pub fn activity_at(&self, text: &str, span: Span) -> Result<ActivityId, Failure> {
        let (stream, item) = Path::parts(text);
        match self.found(stream, item, &self.activities, &self.activities_by_name) {
            Some(id) => Ok(id),
            None => self.activity(&Path::split(text, span)),
        }
    }

    /// Resolves a `traces to` path.
    pub fn activity(&self, path: &Path) -> Result<ActivityId, Failure> {
        self.path(path, "activity", "traces to", &self.activities, &self.activities_by_name)
    }

    /// Resolves a `maps to` path.
    pub fn vs_stage(&self, path: &Path) -> Result<VsStageId, Failure> {
        self.path(path, "value-stream stage", "maps to", &self.vs_stages, &self.vs_stages_by_name)
    }

    /// The one element a path names, written as its value stream (if any) and its
    /// item: a bare name must be unique in the workspace.
    fn found<I: Copy>(
        &self,
        stream: Option<&str>,
        item: &str,
        in_stream: &Map<(StreamId, &'a str), I>,
        by_name: &Map<&'a str, Bearers<I>>,
    ) -> Option<I> {
        match stream {
            None => match by_name.get(item) {
                Some(&Bearers::One(id)) => Some(id),
                _ => None,
            },
            Some(stream) => {
                let &stream = self.streams.get(stream)?;
                in_stream.get(&(stream, item)).copied()
            }
        }
    }

    fn path<I: Copy + Ord>(
        &self,
        path: &Path,
        what: &'static str,
        attribute: &str,
        in_stream: &Map<(StreamId, &'a str), I>,
        by_name: &Map<&'a str, Bearers<I>>,
    ) -> Result<I, Failure> {
        let stream = path.stream.as_ref().map(|s| &*s.name);
        if let Some(id) = self.found(stream, &path.item.name, in_stream, by_name) {
            return Ok(id);
        }
        // What is wrong with it.
        let item = &path.item;
        let Some(stream_ident) = &path.stream else {
            if by_name.contains_key(&*item.name) {
                return Err(Some(self.ambiguous(item, what, in_stream)));
            }
            if self.any_broken(Kind::ValueStream) {
                return Err(None);
            }
            if let Some(other) = self.kinds_of(&item.name, what).first() {
                return Err(Some(wrong_kind(item, attribute, what, other)));
            }
            let hint = suggest_unordered(&item.name, by_name.keys().copied());
            return Err(Some(unresolved(
                item,
                &format!("no {what} is named `{}`", item.name),
                what,
                hint,
            )));
        };
        let Some(&stream) = self.streams.get(&*stream_ident.name) else {
            if self.is_broken(Kind::ValueStream, &stream_ident.name) {
                return Err(None);
            }
            if let Some(other) = self.kinds_of(&stream_ident.name, "value stream").first() {
                return Err(Some(
                    Diagnostic::error(
                        Code::WrongKind,
                        format!("`{}` is a {other}, but a `{attribute}` path starts with a value stream", stream_ident.name),
                        Label::new(stream_ident.span, format!("a {other}, not a value stream")),
                    )
                    .with_help(format!("write `{attribute} value_stream.{}`", item.name)),
                ));
            }
            let hint = suggest(&stream_ident.name, self.streams_in_order.iter().copied());
            return Err(Some(unresolved(
                stream_ident,
                &format!("no value stream is named `{}`", stream_ident.name),
                "value stream",
                hint,
            )));
        };
        // The other kind of member of the same stream, for wrong-kind help.
        let other = if what == "activity" {
            self.vs_stages.contains_key(&(stream, &*item.name)).then_some("value-stream stage")
        } else {
            self.activities.contains_key(&(stream, &*item.name)).then_some("activity")
        };
        if let Some(other) = other {
            return Err(Some(wrong_kind(item, attribute, what, other)));
        }
        let candidates = in_stream.keys().filter(|(s, _)| *s == stream).map(|&(_, n)| n);
        let hint =
            suggest_unordered(&item.name, candidates).map(|n| format!("{}.{n}", stream_ident.name));
        Err(Some(unresolved(
            item,
            &format!("value stream `{}` has no {what} `{}`", stream_ident.name, item.name),
            what,
            hint.as_deref(),
        )))
    }

    fn ambiguous<I>(
        &self,
        item: &Ident,
        what: &str,
        in_stream: &Map<(StreamId, &'a str), I>,
    ) -> Diagnostic {
        let mut owners: Vec<&str> = self
            .streams
            .iter()
            .filter(|(_, s)| in_stream.contains_key(&(**s, &*item.name)))
            .map(|(n, _)| *n)
            .collect();
        owners.sort_unstable();
        let options: Vec<String> = owners.iter().map(|s| format!("`{s}.{}`", item.name)).collect();
        let plural = if what == "activity" { "activities" } else { "value-stream stages" };
        Diagnostic::error(
            Code::Ambiguous,
            format!("`{}` names {} {plural} in different value streams", item.name, owners.len()),
            Label::new(item.span, "which one?"),
        )
        .with_help(format!("write the value stream too: {}", options.join(" or ")))
    }
}

fn wrong_kind(ident: &Ident, attribute: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        Code::WrongKind,
        format!(
            "`{attribute}` expects {}, but `{}` is {}",
            article(expected),
            ident.name,
            article(found)
        ),
        Label::new(ident.span, format!("{} here", article(found))),
    )
    .with_help(format!("`{attribute}` takes the id of {}", article(expected)))
}

fn unresolved(ident: &Ident, message: &str, what: &str, hint: Option<&str>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::Unresolved,
        message,
        Label::new(ident.span, format!("no such {what}")),
    );
    match hint {
        Some(name) => diagnostic.with_help(format!("did you mean `{name}`?")),
        None => diagnostic.with_help(format!("declare the {what}, or check the spelling")),
    }
}

/// The candidate closest to `name`, if it is close enough to be a typo: within a
/// third of the name's length in edits. Ties go to the first candidate, so the
/// caller passes them in a stable order.
pub(super) fn suggest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    // `min_by_key` keeps the first of equal minima.
    near(name, candidates).min_by_key(|&(distance, _)| distance).map(|(_, c)| c)
}

/// The same over candidates in no particular order (a table's keys): ties go to the
/// alphabetically first, as if they had been sorted, without sorting the table.
pub(super) fn suggest_unordered<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    near(name, candidates).min().map(|(_, c)| c)
}

/// The candidates close enough to `name` to be a typo, with their distances.
fn near<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> impl Iterator<Item = (usize, &'c str)> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        // Cheap bound first: lengths that differ by more than the limit cannot match.
        .filter(move |c| c.len().abs_diff(name.len()) <= limit)
        .map(move |c| (strsim::damerau_levenshtein(name, c), c))
        .filter(move |&(distance, _)| distance <= limit)
}

/// Inserts a name, or returns the id already registered under it.
pub(super) fn declare<K: Eq + Hash, I: Copy>(map: &mut Map<K, I>, key: K, id: I) -> Result<(), I> {
    match map.entry(key) {
        Entry::Occupied(e) => Err(*e.get()),
        Entry::Vacant(e) => {
            e.insert(id);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["capture", "validate", "reconcile"];
        assert_eq!(suggest("captur", names.into_iter()), Some("capture"));
        assert_eq!(suggest("valdiate", names.into_iter()), Some("validate"));
        assert_eq!(suggest("xyz", names.into_iter()), None);
    }

    #[test]
    fn unordered_ties_go_to_the_first_alphabetically() {
        assert_eq!(suggest_unordered("cat", ["cut", "bat", "cot"].into_iter()), Some("bat"));
        assert_eq!(suggest("cat", ["cut", "bat", "cot"].into_iter()), Some("cut"));
    }
}
