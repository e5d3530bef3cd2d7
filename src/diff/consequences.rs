//! What a change does to the derived figures: trace links, diagnostics, gaps,
//! waste, hand-offs, coverage and capability load.
//!
//! Everything is compared through the element matching of `elements.rs`, so a
//! touchpoint that moved between stages keeps its trace links, its gap and its
//! diagnostics rather than losing them and gaining them again.

use super::changes::{
    Changes, CoverageChanges, Delta, DiagnosticChanges, ElementChange, HandoffChange,
    JourneyCoverageChange, KINDS, Kind, LoadFigure, Named, Pair, Problem, Totals, TraceLink,
    UtilisationChange,
};
use super::elements::{Matches, Side};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{JourneyCoverage, Load};
use crate::source::Span;
use crate::text::number;
use std::collections::{HashMap, HashSet, VecDeque};

/// An element's identity across both versions: its kind and its index in the new
/// and in the old version (`None` where it does not exist). A matched element has
/// the same key on both sides; an unmatched one a key no other element has.
type Key = (Kind, Option<usize>, Option<usize>);

/// Keys of both versions' elements.
struct Keys<'a> {
    old: &'a Side<'a>,
    new: &'a Side<'a>,
    matches: &'a Matches,
}

impl Keys<'_> {
    fn of_old(&self, kind: Kind, i: usize) -> Key {
        (kind, self.matches.new_of(kind, i), Some(i))
    }

    fn of_new(&self, kind: Kind, j: usize) -> Key {
        (kind, Some(j), self.matches.old_of(kind, j))
    }

    fn side(&self, new: bool) -> &Side<'_> {
        if new { self.new } else { self.old }
    }

    fn key(&self, new: bool, kind: Kind, i: usize) -> Key {
        if new { self.of_new(kind, i) } else { self.of_old(kind, i) }
    }

    fn named(&self, new: bool, kind: Kind, i: usize) -> Named {
        let side = self.side(new);
        Named { path: side.path(kind, i), label: side.meta(kind, i).label.clone() }
    }
}

/// Completes the changes of `elements` with every consequence.
pub(super) fn changes(
    old: &Side,
    new: &Side,
    matches: &Matches,
    elements: Vec<ElementChange>,
) -> Changes {
    let keys = Keys { old, new, matches };
    Changes {
        files: Pair {
            old: old.version.snapshot.sources.len(),
            new: new.version.snapshot.sources.len(),
        },
        errors: Pair { old: errors(old), new: errors(new) },
        totals: Pair { old: totals(old), new: totals(new) },
        elements,
        traces: traces(&keys),
        diagnostics: diagnostics(&keys),
        gaps: figure(&keys, Kind::Touchpoint, |s| {
            s.version.analysis.figures.gaps.iter().map(|t| t.index()).collect()
        }),
        waste: figure(&keys, Kind::Activity, |s| {
            s.version.analysis.figures.waste.iter().map(|a| a.index()).collect()
        }),
        handoffs: handoffs(&keys),
        coverage: coverage(&keys),
        utilisation: utilisation(&keys),
    }
}

fn totals(side: &Side) -> Totals {
    let a = &side.version.analysis;
    let f = &a.figures;
    Totals {
        touchpoints: side.model.touchpoints.len(),
        activities: side.model.activities.len(),
        gaps: f.gaps.len(),
        waste: f.waste.len(),
        handoffs: f.handoffs.len(),
        overloaded: f.loads.as_is.iter().filter(|l| l.utilisation().is_some_and(|u| u > 1.0)).count(),
        errors: a.count(Severity::Error),
        warnings: a.count(Severity::Warning),
        notes: a.count(Severity::Note),
    }
}

fn errors(side: &Side) -> Vec<Problem> {
    let diagnostics = &side.version.analysis.diagnostics;
    let owners = owners(side, diagnostics);
    diagnostics
        .iter()
        .zip(&owners)
        .filter(|(d, _)| d.severity == Severity::Error)
        .map(|(d, owner)| problem(side, d, *owner))
        .collect()
}

fn problem(side: &Side, d: &Diagnostic, owner: Option<(Kind, usize)>) -> Problem {
    Problem {
        code: d.code,
        severity: d.severity,
        message: d.message.clone(),
        element: owner.map(|(kind, i)| side.path(kind, i)),
        place: side.place(d.primary.span),
    }
}

// ------------------------------------------------------------------ trace links

fn traces(keys: &Keys) -> Delta<TraceLink> {
    let links = |new: bool| -> Vec<((Key, Key), TraceLink)> {
        let side = keys.side(new);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for trace in &side.model.traces {
            let (t, a) = (trace.touchpoint.index(), trace.activity.index());
            let pair = (keys.key(new, Kind::Touchpoint, t), keys.key(new, Kind::Activity, a));
            if seen.insert(pair) {
                out.push((
                    pair,
                    TraceLink {
                        touchpoint: keys.named(new, Kind::Touchpoint, t),
                        activity: keys.named(new, Kind::Activity, a),
                        place: side.place(trace.span),
                    },
                ));
            }
        }
        out
    };
    let (old, new) = (links(false), links(true));
    delta(old, new)
}

/// The items only in `new` and those only in `old`, each in its own order.
fn delta<K: Eq + std::hash::Hash, T>(old: Vec<(K, T)>, new: Vec<(K, T)>) -> Delta<T> {
    let old_keys: HashSet<&K> = old.iter().map(|(k, _)| k).collect();
    let new_keys: HashSet<&K> = new.iter().map(|(k, _)| k).collect();
    let added_at: Vec<bool> = new.iter().map(|(k, _)| !old_keys.contains(k)).collect();
    let removed_at: Vec<bool> = old.iter().map(|(k, _)| !new_keys.contains(k)).collect();
    Delta {
        added: new.into_iter().zip(added_at).filter(|(_, a)| *a).map(|((_, t), _)| t).collect(),
        removed: old.into_iter().zip(removed_at).filter(|(_, r)| *r).map(|((_, t), _)| t).collect(),
    }
}

// ------------------------------------------------------------------ figures

/// Elements in a figure (gaps, waste) in one version and not in the other.
fn figure(keys: &Keys, kind: Kind, list: impl Fn(&Side) -> Vec<usize>) -> Delta<Named> {
    let items = |new: bool| -> Vec<(Key, Named)> {
        list(keys.side(new))
            .into_iter()
            .map(|i| (keys.key(new, kind, i), keys.named(new, kind, i)))
            .collect()
    };
    delta(items(false), items(true))
}

fn handoffs(keys: &Keys) -> Vec<HandoffChange> {
    let teams = |new: bool| -> Vec<(Key, Named, Vec<String>)> {
        let side = keys.side(new);
        side.version
            .analysis
            .figures
            .handoffs
            .iter()
            .map(|h| {
                let t = h.touchpoint.index();
                let teams = h.teams.iter().map(|&team| side.model[team].meta.id.clone()).collect();
                (keys.key(new, Kind::Touchpoint, t), keys.named(new, Kind::Touchpoint, t), teams)
            })
            .collect()
    };
    let (old, new) = (teams(false), teams(true));
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let old_by_key: HashMap<&Key, &Vec<String>> = old.iter().map(|(k, _, t)| (k, t)).collect();
    let new_keys: HashSet<&Key> = new.iter().map(|(k, _, _)| k).collect();
    let mut out = Vec::new();
    for (key, named, teams) in &new {
        let before = old_by_key.get(key);
        // The same teams in another order is the same hand-off.
        if before.is_some_and(|b| sorted(b) == sorted(teams)) {
            continue;
        }
        out.push(HandoffChange {
            touchpoint: named.clone(),
            teams: Pair { old: before.map(|b| (*b).clone()), new: Some(teams.clone()) },
        });
    }
    for (key, named, teams) in &old {
        if !new_keys.contains(key) {
            out.push(HandoffChange {
                touchpoint: named.clone(),
                teams: Pair { old: Some(teams.clone()), new: None },
            });
        }
    }
    out
}

fn coverage(keys: &Keys) -> CoverageChanges {
    let (old, new) = (&keys.old.version.analysis.figures, &keys.new.version.analysis.figures);
    let mut out = CoverageChanges {
        touchpoints: Pair { old: old.coverage.touchpoints, new: new.coverage.touchpoints },
        activities: Pair { old: old.coverage.activities, new: new.coverage.activities },
        journeys: Vec::new(),
    };
    let old_by_journey: HashMap<usize, _> =
        old.coverage.journeys.iter().map(|c| (c.journey.index(), c)).collect();
    let new_by_journey: HashMap<usize, _> =
        new.coverage.journeys.iter().map(|c| (c.journey.index(), c)).collect();
    let mut push = |named: Named, o: Option<&&JourneyCoverage>, n: Option<&&JourneyCoverage>| {
        let change = JourneyCoverageChange {
            journey: named,
            touchpoints: Pair { old: o.map(|c| c.touchpoints), new: n.map(|c| c.touchpoints) },
            activities: Pair { old: o.map(|c| c.activities), new: n.map(|c| c.activities) },
        };
        if change.touchpoints.changed() || change.activities.changed() {
            out.journeys.push(change);
        }
    };
    for j in 0..keys.new.len(Kind::Journey) {
        let o = keys.matches.old_of(Kind::Journey, j).and_then(|i| old_by_journey.get(&i));
        push(keys.named(true, Kind::Journey, j), o, new_by_journey.get(&j));
    }
    for i in 0..keys.old.len(Kind::Journey) {
        if keys.matches.new_of(Kind::Journey, i).is_none() {
            push(keys.named(false, Kind::Journey, i), old_by_journey.get(&i), None);
        }
    }
    out
}

fn utilisation(keys: &Keys) -> Vec<UtilisationChange> {
    let load = |side: &Side, i: usize| -> Option<LoadFigure> {
        let l: &Load = side.version.analysis.figures.loads.as_is.get(i)?;
        // A capability that carries nothing and has no capacity has no figure.
        (l.load != 0.0 || l.capacity.is_some()).then_some(LoadFigure {
            load: l.load,
            period: l.period,
            capacity: l.capacity,
        })
    };
    // Compared as shown, so that a change in the fifth decimal is no change.
    let shown = |f: Option<LoadFigure>| {
        f.map(|f| (number::plain(f.load), f.period, f.capacity.map(number::plain)))
    };
    let mut out = Vec::new();
    let mut push = |capability: Named, old: Option<LoadFigure>, new: Option<LoadFigure>| {
        if shown(old) != shown(new) {
            out.push(UtilisationChange { capability, load: Pair { old, new } });
        }
    };
    for j in 0..keys.new.len(Kind::Capability) {
        let old = keys.matches.old_of(Kind::Capability, j).and_then(|i| load(keys.old, i));
        push(keys.named(true, Kind::Capability, j), old, load(keys.new, j));
    }
    for i in 0..keys.old.len(Kind::Capability) {
        if keys.matches.new_of(Kind::Capability, i).is_none() {
            push(keys.named(false, Kind::Capability, i), load(keys.old, i), None);
        }
    }
    out
}

// ------------------------------------------------------------------ diagnostics

/// What a diagnostic is about: an element, or a file when it points into no
/// element (a syntax error between declarations).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Owner {
    Element(Key),
    File(String),
}

fn diagnostics(keys: &Keys) -> DiagnosticChanges {
    let listed = |new: bool| -> Vec<(Code, Owner, Problem)> {
        let side = keys.side(new);
        let diagnostics = &side.version.analysis.diagnostics;
        let owners = owners(side, diagnostics);
        diagnostics
            .iter()
            .zip(owners)
            .map(|(d, owner)| {
                let key = match owner {
                    Some((kind, i)) => Owner::Element(keys.key(new, kind, i)),
                    None => Owner::File(side.place(d.primary.span).file),
                };
                (d.code, key, problem(side, d, owner))
            })
            .collect()
    };
    let (old, new) = (listed(false), listed(true));
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    let mut changed = Vec::new();
    // First the same code on the same element with the same message; then the same
    // code on the same element, whose message or severity changed.
    let mut exact: HashMap<(Code, &Owner, String), VecDeque<usize>> = HashMap::new();
    for (i, (code, owner, p)) in old.iter().enumerate() {
        exact.entry((*code, owner, normal(&p.message))).or_default().push_back(i);
    }
    for (j, (code, owner, p)) in new.iter().enumerate() {
        let key = (*code, owner, normal(&p.message));
        if let Some(i) = exact.get_mut(&key).and_then(VecDeque::pop_front) {
            old_taken[i] = true;
            new_taken[j] = true;
            if old[i].2.severity != p.severity {
                changed.push((j, i));
            }
        }
    }
    let mut loose: HashMap<(Code, &Owner), VecDeque<usize>> = HashMap::new();
    for (i, (code, owner, _)) in old.iter().enumerate().filter(|(i, _)| !old_taken[*i]) {
        loose.entry((*code, owner)).or_default().push_back(i);
    }
    for (j, (code, owner, _)) in new.iter().enumerate() {
        if new_taken[j] {
            continue;
        }
        if let Some(i) = loose.get_mut(&(*code, owner)).and_then(VecDeque::pop_front) {
            old_taken[i] = true;
            new_taken[j] = true;
            changed.push((j, i));
        }
    }
    changed.sort_unstable();
    DiagnosticChanges {
        introduced: new
            .iter()
            .zip(&new_taken)
            .filter(|(_, t)| !**t)
            .map(|(d, _)| d.2.clone())
            .collect(),
        resolved: old
            .iter()
            .zip(&old_taken)
            .filter(|(_, t)| !**t)
            .map(|(d, _)| d.2.clone())
            .collect(),
        changed: changed
            .into_iter()
            .map(|(j, i)| Pair { old: old[i].2.clone(), new: new[j].2.clone() })
            .collect(),
    }
}

/// A message as diagnostics are matched by: the names it quotes in backticks are
/// sorted, so that a hand-off between `a`, `b` is the one between `b`, `a` (the
/// order follows the order of `traces to` paths, which means nothing).
fn normal(message: &str) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    if parts.len() % 2 == 0 {
        return message.to_owned();
    }
    let mut quoted: Vec<&str> = parts.iter().skip(1).step_by(2).copied().collect();
    quoted.sort_unstable();
    let words: Vec<&str> = parts.iter().step_by(2).copied().collect();
    format!("{}\u{0}{}", words.join("`"), quoted.join("`"))
}

/// The innermost element whose declaration contains each diagnostic's primary
/// span, in one sweep over both sorted by place.
fn owners(side: &Side, diagnostics: &[Diagnostic]) -> Vec<Option<(Kind, usize)>> {
    let mut elements: Vec<(Span, Kind, usize)> = Vec::new();
    for kind in KINDS {
        for i in 0..side.len(kind) {
            elements.push((side.meta(kind, i).span, kind, i));
        }
    }
    // Outer declarations first where two start together.
    let rank = |kind: &Kind| KINDS.iter().position(|k| k == kind);
    elements
        .sort_by_key(|(s, kind, i)| (s.file, s.start, std::cmp::Reverse(s.end), rank(kind), *i));
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&d| {
        let s = diagnostics[d].primary.span;
        (s.file, s.start)
    });
    let mut out = vec![None; diagnostics.len()];
    let mut next = 0;
    let mut open: Vec<(Span, Kind, usize)> = Vec::new();
    let ended = |open: &[(Span, Kind, usize)], at: Span| {
        open.last().is_some_and(|(s, _, _)| s.file != at.file || s.end <= at.start)
    };
    for d in order {
        let at = diagnostics[d].primary.span;
        while next < elements.len()
            && (elements[next].0.file, elements[next].0.start) <= (at.file, at.start)
        {
            let element = elements[next];
            while ended(&open, element.0) {
                open.pop();
            }
            open.push(element);
            next += 1;
        }
        while ended(&open, at) {
            open.pop();
        }
        out[d] = open.iter().rev().find(|(s, _, _)| s.end >= at.end).map(|&(_, kind, i)| (kind, i));
    }
    out
}
