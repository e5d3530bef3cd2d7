//! Matching the elements of two versions and comparing them attribute by attribute.
//!
//! Elements are matched by qualified name: top-level elements by id, stages as
//! `journey.stage` and `stream.stage`, activities as `stream.activity` (so an
//! activity that changed stage is the same activity, moved). Touchpoint ids are only
//! unique within their stage, so touchpoints are matched by `journey.stage.touchpoint`
//! first, then the rest by `journey.touchpoint` where that is unique on both sides:
//! a touchpoint whose stage changed is reported as moved, not removed and added.

use super::Version;
use super::changes::{
    AttributeChange, ElementChange, Fact, KINDS, Kind, Move, Place, Status, Value,
};
use crate::diagnostic::Code;
use crate::model::Names;
use crate::model::attributes::{self, Attribute, Single};
use crate::model::written as values;
use crate::model::{
    ActivityId, ActivityState, Element, JourneyStageId, Meta, Metric, Model, Opportunity, Ref,
    TeamId, TouchpointId, VsStageId,
};
use crate::source::Span;
use std::collections::{HashMap, HashSet, VecDeque};

/// One version, indexed for comparison.
pub(super) struct Side<'a> {
    pub version: &'a Version,
    pub model: &'a Model,
    pub names: Names,
}

impl<'a> Side<'a> {
    pub fn new(version: &'a Version) -> Side<'a> {
        let model = &version.analysis.model;
        Side { version, model, names: Names::of(model) }
    }

    /// `file:line` of a span.
    pub fn place(&self, span: Span) -> Place {
        let sources = &self.version.snapshot.sources;
        let line = if (span.file.0 as usize) < sources.len() {
            sources.get(span.file).line_col(span.start).line
        } else {
            0
        };
        let file = self.version.snapshot.files.get(span.file.0 as usize).cloned();
        Place { file: file.unwrap_or_default(), line }
    }

    /// How many elements of a kind there are.
    pub fn len(&self, kind: Kind) -> usize {
        let m = self.model;
        match kind {
            Kind::Journey => m.journeys.len(),
            Kind::JourneyStage => m.journey_stages.len(),
            Kind::Touchpoint => m.touchpoints.len(),
            Kind::Persona => m.personas.len(),
            Kind::ValueStream => m.streams.len(),
            Kind::VsStage => m.vs_stages.len(),
            Kind::Activity => m.activities.len(),
            Kind::Capability => m.capabilities.len(),
            Kind::Team => m.teams.len(),
            Kind::System => m.systems.len(),
            // Compared as attributes of the element that holds them (see `KINDS`).
            Kind::Metric | Kind::Opportunity => 0,
        }
    }

    pub fn meta(&self, kind: Kind, i: usize) -> &'a Meta {
        let m = self.model;
        match kind {
            Kind::Journey => &m.journeys[i].meta,
            Kind::JourneyStage => &m.journey_stages[i].meta,
            Kind::Touchpoint => &m.touchpoints[i].meta,
            Kind::Persona => &m.personas[i].meta,
            Kind::ValueStream => &m.streams[i].meta,
            Kind::VsStage => &m.vs_stages[i].meta,
            Kind::Activity => &m.activities[i].meta,
            Kind::Capability => &m.capabilities[i].meta,
            Kind::Team => &m.teams[i].meta,
            Kind::System => &m.systems[i].meta,
            Kind::Metric | Kind::Opportunity => {
                unreachable!("there are no {} to index: `len` is 0 for them", kind.plural())
            }
        }
    }

    /// The qualified name: `journey.stage.touchpoint`, `stream.activity`, an id.
    pub fn path(&self, kind: Kind, i: usize) -> String {
        let n = &self.names;
        match kind {
            Kind::JourneyStage => n.journey_stage(JourneyStageId(i as u32)).to_owned(),
            Kind::Touchpoint => n.touchpoint(TouchpointId(i as u32)).to_owned(),
            Kind::VsStage => n.vs_stage(VsStageId(i as u32)).to_owned(),
            Kind::Activity => n.activity(ActivityId(i as u32)).to_owned(),
            _ => self.meta(kind, i).id.clone(),
        }
    }

    /// A value in the words users write it in: a reference by its qualified id.
    fn show(&self, value: Single) -> String {
        value.written(|e| e.qualified(self.model))
    }

    /// The name a touchpoint is matched by when its stage changed.
    fn loose(&self, kind: Kind, i: usize) -> Option<String> {
        (kind == Kind::Touchpoint).then(|| {
            let t = &self.model.touchpoints[i];
            format!("{}.{}", self.model[t.journey].meta.id, t.meta.id)
        })
    }

    fn team(&self, owner: Option<Ref<TeamId>>) -> Option<String> {
        owner.map(|r| self.model[r.target].meta.id.clone())
    }

    /// Where an element is in the source order: file, then offset.
    pub fn order(&self, kind: Kind, i: usize) -> (u32, u32) {
        let span = self.meta(kind, i).span;
        (span.file.0, span.start)
    }
}

/// Which element of the other version each element is, kind by kind.
pub(super) struct Matches {
    old_to_new: Vec<Vec<Option<usize>>>,
    new_to_old: Vec<Vec<Option<usize>>>,
}

impl Matches {
    pub fn of(old: &Side, new: &Side) -> Matches {
        // Indexed by `Kind as usize`; kinds not compared keep empty lists.
        let mut out = Matches {
            old_to_new: vec![Vec::new(); Kind::ALL.len()],
            new_to_old: vec![Vec::new(); Kind::ALL.len()],
        };
        for kind in KINDS {
            let (o2n, n2o) = pair(old, new, kind);
            out.old_to_new[kind as usize] = o2n;
            out.new_to_old[kind as usize] = n2o;
        }
        out
    }

    /// The new element an old one became.
    pub fn new_of(&self, kind: Kind, old: usize) -> Option<usize> {
        self.old_to_new[kind as usize][old]
    }

    /// The old element a new one was.
    pub fn old_of(&self, kind: Kind, new: usize) -> Option<usize> {
        self.new_to_old[kind as usize][new]
    }
}

/// Pairs the elements of one kind: by qualified name first (in order, so that
/// duplicates pair up one to one), then by the looser name where it is unique among
/// what is left on both sides.
fn pair(old: &Side, new: &Side, kind: Kind) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let (n_old, n_new) = (old.len(kind), new.len(kind));
    let mut o2n = vec![None; n_old];
    let mut n2o = vec![None; n_new];
    let mut by_path: HashMap<String, VecDeque<usize>> = HashMap::new();
    for j in 0..n_new {
        by_path.entry(new.path(kind, j)).or_default().push_back(j);
    }
    for (i, slot) in o2n.iter_mut().enumerate() {
        if let Some(j) = by_path.get_mut(&old.path(kind, i)).and_then(VecDeque::pop_front) {
            *slot = Some(j);
            n2o[j] = Some(i);
        }
    }
    if kind == Kind::Touchpoint {
        let mut old_left: HashMap<String, Vec<usize>> = HashMap::new();
        for i in (0..n_old).filter(|&i| o2n[i].is_none()) {
            old_left.entry(old.loose(kind, i).unwrap_or_default()).or_default().push(i);
        }
        let mut new_left: HashMap<String, Vec<usize>> = HashMap::new();
        for j in (0..n_new).filter(|&j| n2o[j].is_none()) {
            new_left.entry(new.loose(kind, j).unwrap_or_default()).or_default().push(j);
        }
        for (name, olds) in &old_left {
            if let (&[i], Some(&[j])) = (olds.as_slice(), new_left.get(name).map(Vec::as_slice)) {
                o2n[i] = Some(j);
                n2o[j] = Some(i);
            }
        }
    }
    (o2n, n2o)
}

/// Every element added, removed or changed: the new version's elements in source
/// order, then the removed ones in the old version's order.
pub(super) fn compare(old: &Side, new: &Side, matches: &Matches) -> Vec<ElementChange> {
    // A syntax error loses the declaration it is in: what was declared in that
    // file may be missing from the new version only because it could not be read.
    let unreadable: HashSet<String> = new
        .version
        .analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Syntax)
        .map(|d| new.place(d.primary.span).file)
        .collect();
    let mut present = Vec::new();
    let mut removed = Vec::new();
    for kind in KINDS {
        for j in 0..new.len(kind) {
            let change = match matches.old_of(kind, j) {
                Some(i) => changed(old, i, new, j, kind, matches),
                None => Some(whole(new, j, kind, Status::Added)),
            };
            if let Some(change) = change {
                present.push((new.order(kind, j), change));
            }
        }
        for i in 0..old.len(kind) {
            if matches.new_of(kind, i).is_none() {
                let mut change = whole(old, i, kind, Status::Removed);
                change.unreadable = unreadable.contains(&change.place.file);
                removed.push((old.order(kind, i), change));
            }
        }
    }
    present.sort_by_key(|(order, _)| *order);
    removed.sort_by_key(|(order, _)| *order);
    present.into_iter().chain(removed).map(|(_, change)| change).collect()
}

/// An element added or removed as a whole, with the facts that say what it is.
fn whole(side: &Side, i: usize, kind: Kind, status: Status) -> ElementChange {
    let meta = side.meta(kind, i);
    ElementChange {
        kind,
        status,
        path: side.path(kind, i),
        label: meta.label.clone(),
        old_label: None,
        moved: None,
        facts: facts(side, kind, i),
        attributes: Vec::new(),
        place: side.place(meta.id_span),
        unreadable: false,
    }
}

fn facts(side: &Side, kind: Kind, i: usize) -> Vec<Fact> {
    let m = side.model;
    let mut out = Vec::new();
    let mut fact = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            out.push(Fact { name, value });
        }
    };
    match kind {
        Kind::Touchpoint => {
            let t = &m.touchpoints[i];
            fact("stage", Some(side.names.journey_stage(t.stage).to_owned()));
            fact("channel", t.channel.as_deref().map(str::to_owned));
            fact("emotion", t.emotion.map(values::emotion));
            fact("reach", (t.reach.fraction() < 1.0).then(|| values::share(t.reach.fraction())));
            fact("moment of truth", t.moment_of_truth.map(|_| values::flag(true)));
        }
        Kind::Activity => {
            let a = &m.activities[i];
            fact("stage", Some(side.names.vs_stage(a.stage).to_owned()));
            fact("owner", side.team(a.owner));
            fact("lane", Some(a.lane.as_str().to_owned()));
            // Which scenario it belongs to, when not both (spec §4a).
            fact("state", (a.state != ActivityState::Current).then(|| a.state.as_str().to_owned()));
            fact("enabling", a.enabling.then(|| values::flag(true)));
        }
        Kind::Capability => {
            let c = &m.capabilities[i];
            fact("level", c.level.map(|l| l.to_string()));
            fact("parent", c.parent.map(|p| m[p.target].meta.id.clone()));
            fact("owner", side.team(c.owner));
            fact("capacity", c.capacity.map(|(r, _)| values::rate(r)));
        }
        Kind::System => fact("owner", side.team(m.systems[i].owner)),
        Kind::Journey => {
            let j = &m.journeys[i];
            let personas: Vec<String> =
                j.personas.iter().map(|p| m[p.target].meta.id.clone()).collect();
            fact("persona", (!personas.is_empty()).then(|| personas.join(", ")));
            fact("state", Some(j.state.as_str().to_owned()));
            fact("replaces", j.replaces.map(|r| m[r.target].meta.id.clone()));
            fact("volume", j.volume.map(values::rate));
        }
        Kind::JourneyStage => {
            let maps: Vec<&str> =
                m.journey_stages[i].maps_to.iter().map(|r| side.names.vs_stage(r.target)).collect();
            fact("maps to", (!maps.is_empty()).then(|| maps.join(", ")));
        }
        Kind::ValueStream => {
            let stakeholders: Vec<String> =
                m.streams[i].stakeholders.iter().map(|p| m[p.target].meta.id.clone()).collect();
            fact("stakeholder", (!stakeholders.is_empty()).then(|| stakeholders.join(", ")));
        }
        Kind::Persona | Kind::Team | Kind::VsStage | Kind::Metric | Kind::Opportunity => {}
    }
    out
}

/// The changes to an element in both versions, or `None` when it is the same.
fn changed(
    old: &Side,
    i: usize,
    new: &Side,
    j: usize,
    kind: Kind,
    matches: &Matches,
) -> Option<ElementChange> {
    let (old_meta, new_meta) = (old.meta(kind, i), new.meta(kind, j));
    let mut attrs = Attrs::default();
    let (o, n) = (old.model, new.model);
    // Both lists are of one kind of element, so attribute for attribute the same.
    let (Some(was), Some(is)) = (Element::nth(kind, i), Element::nth(kind, j)) else {
        return None;
    };
    let (before, after) = (attributes::of(o, was), attributes::of(n, is));
    for (a, b) in before.iter().zip(&after) {
        attrs.compare(old, new, a, b, None);
    }
    // What the element holds and where it is: its children's order, its parent.
    let mut moved = None;
    match kind {
        Kind::ValueStream => {
            let (os, ns) = (&o.streams[i], &n.streams[j]);
            attrs.order(
                "stage order",
                children(
                    old,
                    new,
                    matches,
                    Kind::VsStage,
                    os.stages.iter().map(|x| x.index()),
                    ns.stages.iter().map(|x| x.index()),
                    |_, _| true,
                ),
            );
        }
        Kind::VsStage => {
            let (os, ns) = (&o.vs_stages[i], &n.vs_stages[j]);
            // Only the activities in this stage on both sides; the others moved.
            let same_stage = |oa: usize, na: usize| {
                matches.new_of(Kind::VsStage, o.activities[oa].stage.index())
                    == Some(n.activities[na].stage.index())
            };
            attrs.order(
                "activity order",
                children(
                    old,
                    new,
                    matches,
                    Kind::Activity,
                    os.activities.iter().map(|x| x.index()),
                    ns.activities.iter().map(|x| x.index()),
                    same_stage,
                ),
            );
        }
        Kind::Activity => {
            let (oa, na) = (&o.activities[i], &n.activities[j]);
            if matches.new_of(Kind::VsStage, oa.stage.index()) != Some(na.stage.index()) {
                moved = Some(Move {
                    from: old.names.vs_stage(oa.stage).to_owned(),
                    to: new.names.vs_stage(na.stage).to_owned(),
                });
            }
        }
        Kind::Journey => {
            let (oj, nj) = (&o.journeys[i], &n.journeys[j]);
            attrs.order(
                "stage order",
                children(
                    old,
                    new,
                    matches,
                    Kind::JourneyStage,
                    oj.stages.iter().map(|x| x.index()),
                    nj.stages.iter().map(|x| x.index()),
                    |_, _| true,
                ),
            );
        }
        Kind::JourneyStage => {
            let (os, ns) = (&o.journey_stages[i], &n.journey_stages[j]);
            let same_stage = |ot: usize, nt: usize| {
                matches.new_of(Kind::JourneyStage, o.touchpoints[ot].stage.index())
                    == Some(n.touchpoints[nt].stage.index())
            };
            attrs.order(
                "touchpoint order",
                children(
                    old,
                    new,
                    matches,
                    Kind::Touchpoint,
                    os.touchpoints.iter().map(|x| x.index()),
                    ns.touchpoints.iter().map(|x| x.index()),
                    same_stage,
                ),
            );
        }
        Kind::Touchpoint => {
            let (ot, nt) = (&o.touchpoints[i], &n.touchpoints[j]);
            if matches.new_of(Kind::JourneyStage, ot.stage.index()) != Some(nt.stage.index()) {
                moved = Some(Move {
                    from: old.names.journey_stage(ot.stage).to_owned(),
                    to: new.names.journey_stage(nt.stage).to_owned(),
                });
            }
        }
        Kind::Persona
        | Kind::Team
        | Kind::System
        | Kind::Capability
        | Kind::Metric
        | Kind::Opportunity => {}
    }
    let old_label = (old_meta.label != new_meta.label).then(|| old_meta.label.clone());
    if attrs.list.is_empty() && old_label.is_none() && moved.is_none() {
        return None;
    }
    Some(ElementChange {
        kind,
        status: Status::Changed,
        path: new.path(kind, j),
        label: new_meta.label.clone(),
        old_label,
        moved,
        facts: Vec::new(),
        attributes: attrs.list,
        place: new.place(new_meta.id_span),
        unreadable: false,
    })
}

/// The children two matched containers have in common, in each one's order, as
/// ids: `kept(old child, new child)` says whether a matched pair stayed in this
/// container (rather than moving to another).
fn children(
    old: &Side,
    new: &Side,
    matches: &Matches,
    kind: Kind,
    old_children: impl Iterator<Item = usize>,
    new_children: impl Iterator<Item = usize>,
    kept: impl Fn(usize, usize) -> bool,
) -> (Vec<String>, Vec<String>) {
    let olds = old_children
        .filter(|&c| matches.new_of(kind, c).is_some_and(|n| kept(c, n)))
        .map(|c| old.meta(kind, c).id.clone())
        .collect();
    let news = new_children
        .filter(|&c| matches.old_of(kind, c).is_some_and(|o| kept(o, c)))
        .map(|c| new.meta(kind, c).id.clone())
        .collect();
    (olds, news)
}

/// The attribute changes of one element, collected in the order attributes are
/// listed in the language reference.
#[derive(Default)]
struct Attrs {
    list: Vec<AttributeChange>,
}

impl Attrs {
    fn push(&mut self, attribute: impl Into<String>, item: Option<String>, value: Value) {
        self.list.push(AttributeChange { attribute: attribute.into(), item, value });
    }

    /// One attribute of an element in both versions (of `item`, when it is an
    /// attribute of something the element holds: `kpi target` of kpi `t`).
    fn compare(
        &mut self,
        old: &Side,
        new: &Side,
        a: &Attribute,
        b: &Attribute,
        within: Option<(&str, &str)>,
    ) {
        let name = || match within {
            Some((what, _)) => format!("{what} {}", a.keyword),
            None => a.keyword.to_owned(),
        };
        let item = || within.map(|(_, item)| item.to_owned());
        match (&a.value, &b.value) {
            (attributes::Value::One(x), attributes::Value::One(y)) => {
                let (x, y) = (x.map(|v| old.show(v)), y.map(|v| new.show(v)));
                if x != y {
                    self.push(name(), item(), Value::Set { old: x, new: y });
                }
            }
            // Reported as trace links, not as an attribute of the touchpoint.
            (attributes::Value::Many(_), _) if a.keyword == "traces to" => {}
            (attributes::Value::Many(x), attributes::Value::Many(y)) => {
                let x = x.iter().map(|&v| old.show(v)).collect();
                let y = y.iter().map(|&v| new.show(v)).collect();
                self.list(&name(), x, y);
            }
            (attributes::Value::Metrics(x), attributes::Value::Metrics(y)) => {
                self.metrics(old, new, a.keyword, x, y);
            }
            (attributes::Value::Opportunities(x), attributes::Value::Opportunities(y)) => {
                self.opportunities(old, new, x, y);
            }
            // The two lists are of one kind of element: never.
            _ => {}
        }
    }

    /// A repeated attribute, compared as a multiset: order does not matter.
    fn list(&mut self, attribute: &str, old: Vec<String>, new: Vec<String>) {
        let (removed, added) = multiset_difference(old, new);
        for value in removed {
            self.push(attribute, None, Value::Removed(value));
        }
        for value in added {
            self.push(attribute, None, Value::Added(value));
        }
    }

    /// The order of the children both versions have, when it changed.
    fn order(&mut self, attribute: &'static str, (old, new): (Vec<String>, Vec<String>)) {
        if old != new {
            self.push(
                attribute,
                None,
                Value::Set { old: Some(old.join(", ")), new: Some(new.join(", ")) },
            );
        }
    }

    /// `kpi`s or `metric`s (`keyword`), matched by id, or by label when they have
    /// no id; the attributes of a matched pair are compared one by one.
    fn metrics(&mut self, old: &Side, new: &Side, keyword: &str, o: &[Metric], n: &[Metric]) {
        let key = |m: &Metric| m.id.clone().unwrap_or_else(|| m.label.clone());
        for pair in pair_by(o, n, key) {
            match pair {
                (Some(o), None) => self.push(keyword, None, Value::Removed(o.label.clone())),
                (None, Some(n)) => self.push(keyword, None, Value::Added(n.label.clone())),
                (Some(o), Some(n)) => {
                    let item = n.id.clone().unwrap_or_else(|| n.label.clone());
                    if o.label != n.label {
                        let value =
                            Value::Set { old: Some(o.label.clone()), new: Some(n.label.clone()) };
                        self.push(format!("{keyword} label"), Some(item.clone()), value);
                    }
                    let within = Some((keyword, item.as_str()));
                    for (a, b) in attributes::of_metric(o).iter().zip(&attributes::of_metric(n)) {
                        self.compare(old, new, a, b, within);
                    }
                }
                (None, None) => {}
            }
        }
    }

    /// Opportunities, matched by id; the attributes of a matched pair are compared
    /// one by one.
    fn opportunities(
        &mut self,
        old: &Side,
        new: &Side,
        before: &[Opportunity],
        after: &[Opportunity],
    ) {
        for pair in pair_by(before, after, |x| x.meta.id.clone()) {
            match pair {
                (Some(gone), None) => {
                    let value = Value::Removed(gone.meta.label.clone());
                    self.push("opportunity", Some(gone.meta.id.clone()), value);
                }
                (None, Some(came)) => {
                    let value = Value::Added(came.meta.label.clone());
                    self.push("opportunity", Some(came.meta.id.clone()), value);
                }
                (Some(was), Some(is)) => {
                    let item = is.meta.id.clone();
                    if was.meta.label != is.meta.label {
                        let value = Value::Set {
                            old: Some(was.meta.label.clone()),
                            new: Some(is.meta.label.clone()),
                        };
                        self.push("opportunity label", Some(item.clone()), value);
                    }
                    let within = Some(("opportunity", item.as_str()));
                    let (x, y) = (attributes::of_opportunity(was), attributes::of_opportunity(is));
                    for (a, b) in x.iter().zip(&y) {
                        self.compare(old, new, a, b, within);
                    }
                }
                (None, None) => {}
            }
        }
    }
}

/// What is only in `old` and what is only in `new`, counting repeats, each in its
/// own order.
fn multiset_difference(old: Vec<String>, new: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut unmatched: HashMap<String, usize> = HashMap::new();
    for v in &new {
        *unmatched.entry(v.clone()).or_default() += 1;
    }
    let mut matched: HashMap<String, usize> = HashMap::new();
    let mut removed = Vec::new();
    for v in old {
        match unmatched.get_mut(&v) {
            Some(n) if *n > 0 => {
                *n -= 1;
                *matched.entry(v).or_default() += 1;
            }
            _ => removed.push(v),
        }
    }
    let mut added = Vec::new();
    for v in new {
        match matched.get_mut(&v) {
            Some(n) if *n > 0 => *n -= 1,
            _ => added.push(v),
        }
    }
    (removed, added)
}

/// Items of two lists paired by a key, in order: first the new list's items (with
/// their old counterpart, if any), then the old items nobody took.
fn pair_by<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> String,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, o) in old.iter().enumerate() {
        by_key.entry(key(o)).or_default().push_back(i);
    }
    let mut taken = vec![false; old.len()];
    let mut out = Vec::new();
    for n in new {
        let o = by_key.get_mut(&key(n)).and_then(VecDeque::pop_front);
        if let Some(i) = o {
            taken[i] = true;
        }
        out.push((o.map(|i| &old[i]), Some(n)));
    }
    out.extend(old.iter().zip(&taken).filter(|(_, t)| !**t).map(|(o, _)| (Some(o), None)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn lists_are_multisets() {
        let (removed, added) =
            multiset_difference(strings(&["a", "b", "b", "c"]), strings(&["c", "b", "d"]));
        assert_eq!(removed, strings(&["a", "b"]));
        assert_eq!(added, strings(&["d"]));
    }
}
