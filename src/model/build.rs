//! Builds the model from the syntax trees of all files, in two passes.
//!
//! Pass 1 declares every element, so that pass 2 can resolve references in any
//! direction and across files. Every problem is reported and building goes on: a
//! bad value is left unset, a bad reference is dropped and recorded in [`Damage`].

use super::elements::{
    Activity, ActivityId, ActivityState, Capability, CapabilityId, Damage, Emotion, Journey, JourneyId,
    JourneyStage, JourneyStageId, Lane, Model, Persona, PersonaId, Ref, Share, State, StreamId,
    System, SystemId, Team, TeamId, Touchpoint, TouchpointId, Trace, TraceId, ValueStream, VsStage,
    VsStageId,
};
use super::names::{Map, Names, bear, declare};
use super::values::{Seen, Sink};
use crate::diagnostic::{Code, Diagnostic, Label, LintSet};
use crate::source::{FileId, Span};
use crate::syntax::Kind;
use crate::syntax::ast::{
    self, AsAttribute, Decl, Ident, Item, JourneyItem, JourneyStageItem, TouchpointItem, Value,
    ValueStreamItem, VsStageItem,
};
use rayon::prelude::*;
use thin_vec::ThinVec;

/// Builds the model of a workspace from its files' syntax trees.
pub fn build(files: &[ast::File]) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::with_capacity(&Counts::of(files));
    for file in files {
        for broken in &file.broken {
            b.names.broken.insert((broken.kind, broken.id.as_str()));
        }
        for decl in &file.decls {
            b.declare(decl);
        }
    }
    b.model.damage.lost_declarations = files.iter().any(|f| f.lost);
    b.resolve();
    (b.model, b.out.diagnostics)
}

/// The syntax of each element, by id, kept from pass 1 for pass 2.
#[derive(Default)]
struct Syntax<'a> {
    systems: Vec<&'a ast::System>,
    capabilities: Vec<&'a ast::Capability>,
    streams: Vec<&'a ast::ValueStream>,
    vs_stages: Vec<&'a ast::VsStage>,
    activities: Vec<&'a ast::Activity>,
    journeys: Vec<&'a ast::Journey>,
    journey_stages: Vec<&'a ast::JourneyStage>,
    touchpoints: Vec<&'a ast::Touchpoint>,
}

#[derive(Default)]
struct Builder<'a> {
    model: Model,
    out: Sink,
    names: Names<'a>,
    syntax: Syntax<'a>,
}

/// How many elements of each kind the files declare, so that every arena and
/// table is allocated once at its final size rather than grown by doubling (which
/// copied the arenas about twice and left up to half of them unused).
#[derive(Default)]
struct Counts {
    personas: usize,
    teams: usize,
    systems: usize,
    capabilities: usize,
    streams: usize,
    vs_stages: usize,
    activities: usize,
    journeys: usize,
    journey_stages: usize,
    touchpoints: usize,
    traces: usize,
}

impl Counts {
    fn of(files: &[ast::File]) -> Counts {
        let mut n = Counts::default();
        for decl in files.iter().flat_map(|f| &f.decls) {
            match decl {
                Decl::Persona(_) => n.personas += 1,
                Decl::Team(_) => n.teams += 1,
                Decl::System(_) => n.systems += 1,
                Decl::Capability(_) => n.capabilities += 1,
                Decl::ValueStream(vs) => n.stream(vs),
                Decl::Journey(j) => n.journey(j),
            }
        }
        n
    }

    fn stream(&mut self, vs: &ast::ValueStream) {
        self.streams += 1;
        for item in &vs.items {
            let ValueStreamItem::Stage(st) = &item.node else { continue };
            self.vs_stages += 1;
            self.activities +=
                st.items.iter().filter(|i| matches!(i.node, VsStageItem::Activity(_))).count();
        }
    }

    fn journey(&mut self, j: &ast::Journey) {
        self.journeys += 1;
        for item in &j.items {
            let JourneyItem::Stage(st) = &item.node else { continue };
            self.journey_stages += 1;
            for item in &st.items {
                let JourneyStageItem::Touchpoint(t) = &item.node else { continue };
                self.touchpoints += 1;
                self.traces += traces_of(t);
            }
        }
    }
}

/// The number of items of a kind in a block.
fn count<I>(items: &[Item<I>], kind: impl Fn(&I) -> bool) -> usize {
    items.iter().filter(|i| kind(&i.node)).count()
}

/// The number of paths after `traces to` in a touchpoint.
fn traces_of(t: &ast::Touchpoint) -> usize {
    let paths = t.items.iter().map(|item| match item.node.attribute() {
        Some(ast::Attribute { value: Value::Paths(paths), .. }) => paths.len(),
        _ => 0,
    });
    paths.sum()
}

impl<'a> Builder<'a> {
    fn with_capacity(n: &Counts) -> Builder<'a> {
        let model = Model {
            personas: Vec::with_capacity(n.personas),
            teams: Vec::with_capacity(n.teams),
            systems: Vec::with_capacity(n.systems),
            capabilities: Vec::with_capacity(n.capabilities),
            streams: Vec::with_capacity(n.streams),
            vs_stages: Vec::with_capacity(n.vs_stages),
            activities: Vec::with_capacity(n.activities),
            journeys: Vec::with_capacity(n.journeys),
            journey_stages: Vec::with_capacity(n.journey_stages),
            touchpoints: Vec::with_capacity(n.touchpoints),
            traces: Vec::with_capacity(n.traces),
            future: false,
            damage: Damage::default(),
        };
        let mut names = Names::default();
        names.personas.reserve(n.personas);
        names.teams.reserve(n.teams);
        names.systems.reserve(n.systems);
        names.capabilities.reserve(n.capabilities);
        names.streams.reserve(n.streams);
        names.journeys.reserve(n.journeys);
        names.vs_stages.reserve(n.vs_stages);
        names.activities.reserve(n.activities);
        names.vs_stages_by_name.reserve(n.vs_stages);
        names.activities_by_name.reserve(n.activities);
        names.journey_stages.reserve(n.journey_stages);
        names.touchpoints.reserve(n.touchpoints);
        let syntax = Syntax {
            systems: Vec::with_capacity(n.systems),
            capabilities: Vec::with_capacity(n.capabilities),
            streams: Vec::with_capacity(n.streams),
            vs_stages: Vec::with_capacity(n.vs_stages),
            activities: Vec::with_capacity(n.activities),
            journeys: Vec::with_capacity(n.journeys),
            journey_stages: Vec::with_capacity(n.journey_stages),
            touchpoints: Vec::with_capacity(n.touchpoints),
        };
        Builder { model, out: Sink::default(), names, syntax }
    }

    // ------------------------------------------------------------ pass 1

    fn declare(&mut self, decl: &'a Decl) {
        let none = LintSet::default();
        match decl {
            Decl::Persona(p) => {
                let id = PersonaId(self.model.personas.len() as u32);
                let meta = self.out.meta(&p.header, &p.items, none);
                self.top(&TopName::Persona(id), &p.header.id);
                self.model.personas.push(Persona { meta });
            }
            Decl::Team(t) => {
                let id = TeamId(self.model.teams.len() as u32);
                let meta = self.out.meta(&t.header, &t.items, none);
                self.top(&TopName::Team(id), &t.header.id);
                self.model.teams.push(Team { meta });
            }
            Decl::System(s) => {
                let id = SystemId(self.model.systems.len() as u32);
                let meta = self.out.meta(&s.header, &s.items, none);
                self.top(&TopName::System(id), &s.header.id);
                self.model.systems.push(System { meta, owner: None });
                self.syntax.systems.push(s);
            }
            Decl::Capability(c) => {
                let id = CapabilityId(self.model.capabilities.len() as u32);
                let meta = self.out.meta(&c.header, &c.items, none);
                self.top(&TopName::Capability(id), &c.header.id);
                self.model.capabilities.push(Capability {
                    meta,
                    owner: None,
                    level: None,
                    parent: None,
                    capacity: None,
                });
                self.syntax.capabilities.push(c);
            }
            Decl::ValueStream(vs) => self.declare_stream(vs),
            Decl::Journey(j) => self.declare_journey(j),
        }
    }

    fn declare_stream(&mut self, vs: &'a ast::ValueStream) {
        let stream = StreamId(self.model.streams.len() as u32);
        let meta = self.out.meta(&vs.header, &vs.items, LintSet::default());
        let allow = meta.allow;
        self.top(&TopName::Stream(stream), &vs.header.id);
        // Members of a duplicate value stream are registered under the first one, so
        // that paths to them resolve and the duplicate is the only error reported.
        let stream_key = self.names.streams.get(&*vs.header.id.name).copied().unwrap_or(stream);
        let stages =
            Vec::with_capacity(count(&vs.items, |i| matches!(i, ValueStreamItem::Stage(_))));
        self.model.streams.push(ValueStream { meta, stakeholders: Vec::new(), stages });
        self.syntax.streams.push(vs);
        for item in &vs.items {
            let ValueStreamItem::Stage(st) = &item.node else { continue };
            let stage = VsStageId(self.model.vs_stages.len() as u32);
            let meta = self.out.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            let name = &*st.header.id.name;
            if let Err(first) = declare(&mut self.names.vs_stages, (stream_key, name), stage) {
                let first = self.model[first].meta.id_span;
                self.out.duplicate(&st.header.id, "stage in this value stream", first);
            } else {
                bear(&mut self.names.vs_stages_by_name, name, stage);
            }
            self.model.streams[stream.index()].stages.push(stage);
            self.model.vs_stages.push(VsStage {
                meta,
                stream,
                entrance: Vec::new(),
                exit: Vec::new(),
                value: Vec::new(),
                metrics: Vec::new(),
                activities: Vec::with_capacity(count(&st.items, |i| {
                    matches!(i, VsStageItem::Activity(_))
                })),
            });
            self.syntax.vs_stages.push(st);
            for item in &st.items {
                let VsStageItem::Activity(a) = &item.node else { continue };
                let id = ActivityId(self.model.activities.len() as u32);
                let meta = self.out.meta(&a.header, &a.items, stage_allow);
                let name = &*a.header.id.name;
                // Activity ids are unique in their whole value stream, so that a
                // path `stream.activity` needs no stage.
                if let Err(first) = declare(&mut self.names.activities, (stream_key, name), id) {
                    let first = self.model[first].meta.id_span;
                    self.out.duplicate(&a.header.id, "activity in this value stream", first);
                } else {
                    bear(&mut self.names.activities_by_name, name, id);
                }
                self.model.vs_stages[stage.index()].activities.push(id);
                self.model.activities.push(Activity {
                    meta,
                    stream,
                    stage,
                    owner: None,
                    lane: Lane::default(),
                    state: ActivityState::default(),
                    capabilities: ThinVec::new(),
                    systems: ThinVec::new(),
                    process: None,
                    wait: None,
                    accuracy: None,
                    failures: ThinVec::new(),
                    enabling: false,
                    traced_by: ThinVec::new(),
                });
                self.syntax.activities.push(a);
            }
        }
    }

    fn declare_journey(&mut self, j: &'a ast::Journey) {
        let journey = JourneyId(self.model.journeys.len() as u32);
        let meta = self.out.meta(&j.header, &j.items, LintSet::default());
        let allow = meta.allow;
        self.top(&TopName::Journey(journey), &j.header.id);
        self.model.journeys.push(Journey {
            meta,
            personas: Vec::new(),
            state: State::default(),
            replaces: None,
            replaced: false,
            volume: None,
            mix: None,
            stages: Vec::with_capacity(count(&j.items, |i| matches!(i, JourneyItem::Stage(_)))),
        });
        self.syntax.journeys.push(j);
        let mut stage_names = Map::default();
        // Reused from stage to stage: one allocation per journey, not per stage.
        let mut touchpoint_names = Map::default();
        for item in &j.items {
            let JourneyItem::Stage(st) = &item.node else { continue };
            let stage = JourneyStageId(self.model.journey_stages.len() as u32);
            let meta = self.out.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            if let Err(first) = declare(&mut stage_names, &*st.header.id.name, stage) {
                let first = self.model[first].meta.id_span;
                self.out.duplicate(&st.header.id, "stage in this journey", first);
            }
            self.names.journey_stages.push(&st.header.id.name);
            self.model.journeys[journey.index()].stages.push(stage);
            self.model.journey_stages.push(JourneyStage {
                meta,
                journey,
                maps_to: Vec::new(),
                maps_to_span: None,
                touchpoints: Vec::with_capacity(count(&st.items, |i| {
                    matches!(i, JourneyStageItem::Touchpoint(_))
                })),
            });
            self.syntax.journey_stages.push(st);
            touchpoint_names.clear();
            for item in &st.items {
                let JourneyStageItem::Touchpoint(t) = &item.node else { continue };
                let id = TouchpointId(self.model.touchpoints.len() as u32);
                let meta = self.out.meta(&t.header, &t.items, stage_allow);
                if let Err(first) = declare(&mut touchpoint_names, &*t.header.id.name, id) {
                    let first = self.model[first].meta.id_span;
                    self.out.duplicate(&t.header.id, "touchpoint in this stage", first);
                }
                self.names.touchpoints.push(&t.header.id.name);
                self.model.journey_stages[stage.index()].touchpoints.push(id);
                self.model.touchpoints.push(Touchpoint {
                    meta,
                    journey,
                    stage,
                    channel: None,
                    emotion: None,
                    reach: Share::ALL,
                    moment_of_truth: None,
                    evidence: ThinVec::new(),
                    pains: ThinVec::new(),
                    failures: ThinVec::new(),
                    metrics: ThinVec::new(),
                    opportunities: ThinVec::new(),
                    traces: ThinVec::new(),
                });
                self.syntax.touchpoints.push(t);
            }
        }
    }

    /// Registers a top-level name, reporting a duplicate of the same kind.
    fn top(&mut self, name: &TopName, ident: &'a Ident) {
        let key = &*ident.name;
        let first = match *name {
            TopName::Persona(id) => {
                declare(&mut self.names.personas, key, id).err().map(|f| self.model[f].meta.id_span)
            }
            TopName::Team(id) => {
                declare(&mut self.names.teams, key, id).err().map(|f| self.model[f].meta.id_span)
            }
            TopName::System(id) => {
                declare(&mut self.names.systems, key, id).err().map(|f| self.model[f].meta.id_span)
            }
            TopName::Capability(id) => declare(&mut self.names.capabilities, key, id)
                .err()
                .map(|f| self.model[f].meta.id_span),
            TopName::Stream(id) => {
                let result = declare(&mut self.names.streams, key, id)
                    .err()
                    .map(|f| self.model[f].meta.id_span);
                if result.is_none() {
                    self.names.streams_in_order.push(key);
                }
                result
            }
            TopName::Journey(id) => {
                declare(&mut self.names.journeys, key, id).err().map(|f| self.model[f].meta.id_span)
            }
        };
        if let Some(first) = first {
            self.out.duplicate(ident, name.kind().singular(), first);
        }
    }

    // ------------------------------------------------------------ pass 2

    fn resolve(&mut self) {
        for i in 0..self.syntax.systems.len() {
            let s = self.syntax.systems[i];
            let mut seen = Seen::default();
            for item in &s.items {
                if let ("owner", Value::Ident(team)) = (item.node.word(), &item.node.value) {
                    if self.out.once(&mut seen, "owner", item.span) {
                        self.model.systems[i].owner = self.out.team(&self.names, team, "owner");
                    }
                }
            }
        }
        for i in 0..self.syntax.capabilities.len() {
            self.resolve_capability(i);
        }
        self.cut_parent_loops();
        for i in 0..self.syntax.streams.len() {
            let vs = self.syntax.streams[i];
            for item in &vs.items {
                let Some(attribute) = item.node.attribute() else { continue };
                if let ("stakeholder", Value::Idents(personas)) =
                    (attribute.word(), &attribute.value)
                {
                    for p in personas {
                        if let Some(r) = self.out.persona(&self.names, p, "stakeholder") {
                            self.model.streams[i].stakeholders.push(r);
                        }
                    }
                }
            }
        }
        for i in 0..self.syntax.vs_stages.len() {
            let st = self.syntax.vs_stages[i];
            let mut metric_ids = Vec::new();
            for item in &st.items {
                let stage = &mut self.model.vs_stages[i];
                match &item.node {
                    VsStageItem::Attribute(a) => match (a.word(), &a.value) {
                        ("entrance", Value::Text(t)) => stage.entrance.push(t.value.to_string()),
                        ("exit", Value::Text(t)) => stage.exit.push(t.value.to_string()),
                        ("value", Value::Text(t)) => stage.value.push(t.value.to_string()),
                        _ => {}
                    },
                    VsStageItem::Metric(m) => {
                        self.out.metric_id(&mut metric_ids, m);
                        let allow = self.model.vs_stages[i].meta.allow;
                        let metric = self.out.metric(m, allow);
                        self.model.vs_stages[i].metrics.push(metric);
                    }
                    VsStageItem::Activity(_) => {}
                }
            }
        }
        for i in 0..self.syntax.activities.len() {
            self.resolve_activity(i);
        }
        for i in 0..self.syntax.journeys.len() {
            self.resolve_journey(i);
        }
        self.link_replaced();
        for i in 0..self.syntax.journey_stages.len() {
            let st = self.syntax.journey_stages[i];
            let mut lost = false;
            for item in &st.items {
                let Some(attribute) = item.node.attribute() else { continue };
                if let ("maps to", Value::Paths(paths)) = (attribute.word(), &attribute.value) {
                    let stage = &mut self.model.journey_stages[i];
                    stage.maps_to_span =
                        Some(stage.maps_to_span.map_or(item.span, |s| s.to(item.span)));
                    for path in paths {
                        match self.names.vs_stage(path) {
                            Ok(target) => {
                                self.model.journey_stages[i]
                                    .maps_to
                                    .push(Ref { target, span: path.span() });
                            }
                            Err(failure) => {
                                lost = true;
                                self.out.diagnostics.extend(failure);
                            }
                        }
                    }
                }
            }
            if lost {
                self.model.damage.stages_with_lost_maps.insert(JourneyStageId(i as u32));
            }
        }
        self.resolve_touchpoints();
        self.link_traces();
        let m = &self.model;
        self.model.future = m.journeys.iter().any(|j| j.state == State::Future)
            || m.activities.iter().any(|a| a.state != ActivityState::Current);
    }

    /// Reports every capability whose `parent` chain loops back to itself, naming
    /// the whole loop, and drops the loop's `parent` links, so that the roll-up of
    /// loads (spec §5a) always climbs to a top.
    fn cut_parent_loops(&mut self) {
        let caps = &self.model.capabilities;
        // 0: not visited, 1: on the current chain, 2: done.
        let mut mark = vec![0_u8; caps.len()];
        let mut loops: Vec<Vec<CapabilityId>> = Vec::new();
        for start in 0..caps.len() {
            let mut chain = Vec::new();
            let mut at = Some(CapabilityId(start as u32));
            while let Some(c) = at {
                match mark[c.index()] {
                    0 => {
                        mark[c.index()] = 1;
                        chain.push(c);
                        at = caps[c.index()].parent.map(|p| p.target);
                    }
                    1 => {
                        let from = chain.iter().position(|&x| x == c).unwrap_or(0);
                        loops.push(chain[from..].to_vec());
                        break;
                    }
                    _ => break,
                }
            }
            for c in chain {
                mark[c.index()] = 2;
            }
        }
        for members in loops {
            for (k, &c) in members.iter().enumerate() {
                let Some(parent) = self.model.capabilities[c.index()].parent.take() else {
                    continue;
                };
                // The loop from this capability round to it again: `a` → `c` → `b` → `a`.
                let walk: Vec<String> = members[k..]
                    .iter()
                    .chain(&members[..=k])
                    .map(|&m| format!("`{}`", self.model[m].meta.id))
                    .collect();
                self.out.invalid(
                    parent.span,
                    format!(
                        "capability `{}` is its own ancestor: {}",
                        self.model[c].meta.id,
                        walk.join(" → ")
                    ),
                    "this `parent` closes a loop",
                    "capabilities form a tree: give one capability of the loop no `parent`, \
                     so that it is the top"
                        .into(),
                );
            }
        }
    }

    /// Checks each `replaces` (spec §4a): only a future journey replaces another,
    /// and only a current one. A valid link marks the replaced journey, which then
    /// leaves the to-be; an invalid one is reported and dropped.
    fn link_replaced(&mut self) {
        for i in 0..self.model.journeys.len() {
            let Some(r) = self.model.journeys[i].replaces else { continue };
            let journey = &self.model.journeys[i];
            let target = &self.model[r.target];
            let problem = if journey.state != State::Future {
                Some((
                    format!(
                        "`{}` is a current journey, so it cannot replace `{}`",
                        journey.meta.id, target.meta.id
                    ),
                    "only a `state future` journey replaces another",
                    "add `state future` to the journey that will supersede it, or remove \
                     `replaces`",
                ))
            } else if target.state == State::Future {
                Some((
                    format!(
                        "`{}` replaces `{}`, which is a future journey too",
                        journey.meta.id, target.meta.id
                    ),
                    "a future journey",
                    "name the current journey that both future journeys supersede",
                ))
            } else {
                None
            };
            match problem {
                Some((message, label, help)) => {
                    self.out.invalid(r.span, message, label, help.into());
                    self.model.journeys[i].replaces = None;
                }
                None => self.model.journeys[r.target.index()].replaced = true,
            }
        }
    }

    /// Touchpoints are most of the model and depend on nothing but the name tables,
    /// so they are resolved in parallel, by chunks merged in source order: the model
    /// and the diagnostics are exactly those of resolving them one by one. A single
    /// chunk is resolved on this thread, so a small workspace never starts rayon.
    ///
    /// Each chunk writes its trace links straight into the model, in a slot sized
    /// for every path its touchpoints name; a path that does not resolve leaves its
    /// place empty, and the slots are closed up afterwards. Chunks with their own
    /// lists, copied into the model, held every link twice at the memory peak.
    fn resolve_touchpoints(&mut self) {
        let syntax = &self.syntax.touchpoints;
        let bounds: Vec<usize> =
            syntax.chunks(CHUNK).map(|c| c.iter().map(|t| traces_of(t)).sum()).collect();
        let span = Span::new(FileId(0), 0, 0);
        let unused = Trace { touchpoint: TouchpointId(0), activity: ActivityId(0), span };
        self.model.traces.resize(bounds.iter().sum(), unused);
        let mut slots = Vec::with_capacity(bounds.len());
        let mut rest = &mut self.model.traces[..];
        for &bound in &bounds {
            let (slot, tail) = rest.split_at_mut(bound);
            slots.push(slot);
            rest = tail;
        }
        let names = &self.names;
        let resolve = |(c, ((touchpoints, syntax), slot)): (usize, Chunk<'_, '_>)| {
            let mut chunk = Resolved { slot, ..Resolved::default() };
            for (k, (tp, t)) in touchpoints.iter_mut().zip(syntax).enumerate() {
                chunk.touchpoint(names, TouchpointId((c * CHUNK + k) as u32), t, tp);
            }
            chunk.into_merged()
        };
        let model = &mut self.model.touchpoints;
        let chunks: Vec<Merged> = if model.len() <= CHUNK {
            let pairs = model.chunks_mut(CHUNK).zip(syntax.chunks(CHUNK)).zip(slots);
            pairs.enumerate().map(resolve).collect()
        } else {
            let pairs = model.par_chunks_mut(CHUNK).zip(syntax.par_chunks(CHUNK)).zip(slots);
            pairs.enumerate().map(resolve).collect()
        };
        let (mut from, mut to) = (0, 0);
        for (c, (chunk, bound)) in chunks.into_iter().zip(bounds).enumerate() {
            if from != to {
                self.model.traces.copy_within(from..from + chunk.traces, to);
            }
            let base = to as u32;
            let end = ((c + 1) * CHUNK).min(self.model.touchpoints.len());
            for tp in &mut self.model.touchpoints[c * CHUNK..end] {
                tp.traces.iter_mut().for_each(|trace| trace.0 += base);
            }
            (from, to) = (from + bound, to + chunk.traces);
            self.out.diagnostics.extend(chunk.diagnostics);
            self.model.damage.touchpoints_with_lost_traces.extend(chunk.lost);
        }
        self.model.traces.truncate(to);
    }

    /// Lists each activity's trace links, in trace order (source order), with one
    /// allocation of the exact size per activity instead of growing each list.
    fn link_traces(&mut self) {
        let mut counts = vec![0_u32; self.model.activities.len()];
        for trace in &self.model.traces {
            counts[trace.activity.index()] += 1;
        }
        for (activity, &n) in self.model.activities.iter_mut().zip(&counts) {
            activity.traced_by.reserve_exact(n as usize);
        }
        for (i, trace) in self.model.traces.iter().enumerate() {
            self.model.activities[trace.activity.index()].traced_by.push(TraceId(i as u32));
        }
    }

    fn resolve_capability(&mut self, i: usize) {
        let c = self.syntax.capabilities[i];
        let mut seen = Seen::default();
        for item in &c.items {
            match (item.node.word(), &item.node.value) {
                ("owner", Value::Ident(team)) if self.out.once(&mut seen, "owner", item.span) => {
                    self.model.capabilities[i].owner = self.out.team(&self.names, team, "owner");
                }
                ("level", Value::Number(n)) if self.out.once(&mut seen, "level", item.span) => {
                    self.model.capabilities[i].level = self
                        .out
                        .whole(n, 1, 4, "a capability `level`")
                        .and_then(|l| u8::try_from(l).ok());
                }
                ("parent", Value::Ident(p)) if self.out.once(&mut seen, "parent", item.span) => {
                    let parent =
                        self.names.simple(&self.names.capabilities, Kind::Capability, "parent", p);
                    let parent = self.out.settle(parent);
                    if parent == Some(CapabilityId(i as u32)) {
                        self.out.push(
                            Diagnostic::error(
                                Code::InvalidValue,
                                format!("capability `{}` cannot be its own parent", p.name),
                                Label::new(p.span, "the capability itself"),
                            )
                            .with_help("name the capability one level up, or remove `parent`"),
                        );
                    } else {
                        self.model.capabilities[i].parent =
                            parent.map(|target| Ref { target, span: p.span });
                    }
                }
                ("capacity", Value::Quantity(q))
                    if self.out.once(&mut seen, "capacity", item.span) =>
                {
                    let rate = self.out.rate(q, "a `capacity`", true);
                    self.model.capabilities[i].capacity = rate.map(|r| (r, q.span));
                }
                _ => {}
            }
        }
    }

    fn resolve_activity(&mut self, i: usize) {
        let a = self.syntax.activities[i];
        let mut seen = Seen::default();
        for item in &a.items {
            match (item.node.word(), &item.node.value) {
                ("owner", Value::Ident(team)) if self.out.once(&mut seen, "owner", item.span) => {
                    let owner = self.out.team(&self.names, team, "owner");
                    if owner.is_none() {
                        self.model.damage.activities_with_lost_owner.insert(ActivityId(i as u32));
                    }
                    self.model.activities[i].owner = owner;
                }
                ("lane", Value::Ident(lane)) if self.out.once(&mut seen, "lane", item.span) => {
                    let lane = self.out.word(lane, "lane", &Lane::NAMES).map(|n| match n {
                        0 => Lane::Frontstage,
                        1 => Lane::Backstage,
                        _ => Lane::Support,
                    });
                    self.model.activities[i].lane = lane.unwrap_or_default();
                }
                ("capability", Value::Idents(ids)) => {
                    for c in ids {
                        let r = self.names.simple(
                            &self.names.capabilities,
                            Kind::Capability,
                            "capability",
                            c,
                        );
                        if let Some(target) = self.out.settle(r) {
                            self.model.activities[i]
                                .capabilities
                                .push(Ref { target, span: c.span });
                        }
                    }
                }
                ("system", Value::Idents(ids)) => {
                    for s in ids {
                        let r = self.names.simple(&self.names.systems, Kind::System, "system", s);
                        if let Some(target) = self.out.settle(r) {
                            self.model.activities[i].systems.push(Ref { target, span: s.span });
                        }
                    }
                }
                ("process", Value::Duration(d))
                    if self.out.once(&mut seen, "process", item.span) =>
                {
                    self.model.activities[i].process = self.out.duration(d);
                }
                ("wait", Value::Duration(d)) if self.out.once(&mut seen, "wait", item.span) => {
                    self.model.activities[i].wait = self.out.duration(d);
                }
                ("failure", Value::Text(t)) => {
                    self.model.activities[i].failures.push(t.value.to_string());
                }
                ("enabling", Value::Flag) if self.out.once(&mut seen, "enabling", item.span) => {
                    self.model.activities[i].enabling = true;
                }
                ("state", Value::Ident(s)) if self.out.once(&mut seen, "state", item.span) => {
                    let state = self.out.word(s, "state", &ActivityState::NAMES);
                    self.model.activities[i].state = match state {
                        Some(1) => ActivityState::Future,
                        Some(2) => ActivityState::Retired,
                        _ => ActivityState::Current,
                    };
                }
                ("accuracy", Value::Number(n))
                    if self.out.once(&mut seen, "accuracy", item.span) =>
                {
                    self.model.activities[i].accuracy = self.out.percent(
                        n,
                        "an `accuracy`",
                        "`accuracy` is the share of the activity's output that is complete and \
                         accurate, from 0% to 100%",
                    );
                }
                _ => {}
            }
        }
    }

    fn resolve_journey(&mut self, i: usize) {
        let j = self.syntax.journeys[i];
        let mut seen = Seen::default();
        for item in &j.items {
            let Some(attribute) = item.node.attribute() else { continue };
            match (attribute.word(), &attribute.value) {
                ("persona", Value::Idents(personas)) => {
                    for p in personas {
                        if let Some(r) = self.out.persona(&self.names, p, "persona") {
                            self.model.journeys[i].personas.push(r);
                        }
                    }
                }
                ("state", Value::Ident(s)) if self.out.once(&mut seen, "state", item.span) => {
                    let state = self.out.word(s, "state", &State::NAMES);
                    self.model.journeys[i].state =
                        if state == Some(1) { State::Future } else { State::Current };
                }
                ("replaces", Value::Ident(r)) if self.out.once(&mut seen, "replaces", item.span) => {
                    let target =
                        self.names.simple(&self.names.journeys, Kind::Journey, "replaces", r);
                    self.model.journeys[i].replaces =
                        self.out.settle(target).map(|target| Ref { target, span: r.span });
                }
                ("volume", Value::Quantity(q)) if self.out.once(&mut seen, "volume", item.span) => {
                    self.model.journeys[i].volume = self.out.rate(q, "a `volume`", false);
                }
                ("mix", Value::Mix(parts)) if self.out.once(&mut seen, "mix", item.span) => {
                    self.model.journeys[i].mix = self.out.mix(parts, item.span);
                }
                _ => {}
            }
        }
    }
}

const REACH_HELP: &str =
    "a percentage is a share of the journey's volume, from 0% to 100%";

/// Touchpoints per task of parallel resolution: enough to outweigh a task's cost,
/// few enough to keep both cores busy at 10k touchpoints.
const CHUNK: usize = 2048;

/// One chunk of touchpoints, resolved on its own thread.
#[derive(Default)]
struct Resolved<'m> {
    out: Sink,
    /// Where the chunk's trace links go, room for one per path: the touchpoints'
    /// `traces` number them from 0 until the chunk is merged.
    slot: &'m mut [Trace],
    /// How many links are in `slot`.
    traces: usize,
    lost: Vec<TouchpointId>,
}

/// A chunk's work: its touchpoints in the model, their syntax, and the slot for
/// their trace links.
type Chunk<'m, 'a> = ((&'m mut [Touchpoint], &'m [&'a ast::Touchpoint]), &'m mut [Trace]);

/// What is left of a resolved chunk for the merge.
struct Merged {
    diagnostics: Vec<Diagnostic>,
    traces: usize,
    lost: Vec<TouchpointId>,
}

impl Resolved<'_> {
    fn into_merged(self) -> Merged {
        Merged { diagnostics: self.out.diagnostics, traces: self.traces, lost: self.lost }
    }

    fn touchpoint(
        &mut self,
        names: &Names,
        id: TouchpointId,
        t: &ast::Touchpoint,
        tp: &mut Touchpoint,
    ) {
        let out = &mut self.out;
        let mut seen = Seen::default();
        let mut lost = false;
        let mut metric_ids = Vec::new();
        for item in &t.items {
            let attribute = match &item.node {
                TouchpointItem::Attribute(a) => a,
                TouchpointItem::Metric(m) => {
                    out.metric_id(&mut metric_ids, m);
                    let metric = out.metric(m, tp.meta.allow);
                    tp.metrics.push(metric);
                    continue;
                }
                TouchpointItem::Opportunity(o) => {
                    let allow = tp.meta.allow;
                    let opportunity = out.opportunity(names, o, allow);
                    if let Some(first) =
                        tp.opportunities.iter().find(|p| p.meta.id == opportunity.meta.id)
                    {
                        let first = first.meta.id_span;
                        out.duplicate(&o.header.id, "opportunity of this touchpoint", first);
                    }
                    tp.opportunities.push(opportunity);
                    continue;
                }
            };
            match (attribute.word(), &attribute.value) {
                ("channel", Value::Word(w)) if out.once(&mut seen, "channel", item.span) => {
                    tp.channel = Some(w.value().into());
                }
                ("emotion", Value::Number(n)) if out.once(&mut seen, "emotion", item.span) => {
                    tp.emotion =
                        out.whole(n, -3, 3, "an `emotion`").and_then(|e| Emotion::new(e as i8));
                }
                ("reach", Value::Number(n)) if out.once(&mut seen, "reach", item.span) => {
                    if let Some(share) = out.percent(n, "a `reach`", REACH_HELP) {
                        tp.reach = share;
                    }
                }
                ("moment of truth", Value::Flag)
                    if out.once(&mut seen, "moment of truth", item.span) =>
                {
                    tp.moment_of_truth = Some(item.span);
                }
                ("evidence", Value::Word(w)) => {
                    tp.evidence.push(w.value().to_owned());
                }
                ("pain", Value::Word(w)) => {
                    tp.pains.push(w.value().to_owned());
                }
                ("failure", Value::Text(f)) => {
                    tp.failures.push(f.value.to_string());
                }
                ("traces to", Value::Paths(paths)) => {
                    // Most touchpoints have one `traces to`: their list is then exact.
                    tp.traces.reserve_exact(paths.len());
                    for path in paths {
                        match names.activity(path) {
                            Ok(activity) => {
                                // The slot has room for every path (`traces_of`).
                                self.slot[self.traces] =
                                    Trace { touchpoint: id, activity, span: path.span() };
                                tp.traces.push(TraceId(self.traces as u32));
                                self.traces += 1;
                            }
                            Err(failure) => {
                                lost = true;
                                out.diagnostics.extend(failure);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // A vector grown by `push` keeps room for four, and a touchpoint rarely has
        // more than one of these (a kpi would keep room for four).
        tp.evidence.shrink_to_fit();
        tp.pains.shrink_to_fit();
        tp.failures.shrink_to_fit();
        tp.metrics.shrink_to_fit();
        tp.opportunities.shrink_to_fit();
        if lost {
            self.lost.push(id);
        }
    }
}

enum TopName {
    Persona(PersonaId),
    Team(TeamId),
    System(SystemId),
    Capability(CapabilityId),
    Stream(StreamId),
    Journey(JourneyId),
}

impl TopName {
    fn kind(&self) -> Kind {
        match self {
            TopName::Persona(_) => Kind::Persona,
            TopName::Team(_) => Kind::Team,
            TopName::System(_) => Kind::System,
            TopName::Capability(_) => Kind::Capability,
            TopName::Stream(_) => Kind::ValueStream,
            TopName::Journey(_) => Kind::Journey,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use std::fmt::Write;

    /// More touchpoints than one chunk of parallel resolution, some tracing to a
    /// missing activity, so that merging chunks is exercised.
    fn workspace(touchpoints: usize) -> String {
        let mut text = String::from(
            "team ops\nvalue stream vs {\n  stage s {\n    activity a { owner ops }\n    activity b { owner ops }\n  }\n}\njourney j {\n  stage t {\n",
        );
        for i in 0..touchpoints {
            let target = ["a", "b", "a, b", "missing"][i % 4];
            writeln!(text, "    touchpoint p{i} {{ traces to {target} }}").unwrap();
        }
        text.push_str("  }\n}\n");
        text
    }

    #[test]
    fn chunks_merge_in_source_order() {
        let n = 2 * CHUNK + 3;
        let text = workspace(n);
        let (file, syntax_errors) = crate::syntax::parse(FileId(0), &text);
        assert!(syntax_errors.is_empty());
        let (model, diagnostics) = build(&[file]);
        // Every fourth touchpoint reports its missing activity, in order.
        assert_eq!(diagnostics.len(), (0..n).filter(|i| i % 4 == 3).count());
        assert!(diagnostics.windows(2).all(|w| w[0].primary.span.start < w[1].primary.span.start));
        for (i, trace) in model.traces.iter().enumerate() {
            let id = TraceId(i as u32);
            assert!(model[trace.touchpoint].traces.contains(&id));
            assert!(model[trace.activity].traced_by.contains(&id));
        }
        assert!(model.traces.windows(2).all(|w| w[0].touchpoint <= w[1].touchpoint));
        // Every link that resolves is kept, and no room left by one that does not.
        let resolved: usize = (0..n).map(|i| [1, 1, 2, 0][i % 4]).sum();
        assert_eq!(model.traces.len(), resolved);
        for (i, tp) in model.touchpoints.iter().enumerate() {
            let own = |id: &TraceId| model.traces[id.0 as usize].touchpoint.0 as usize == i;
            assert!(tp.traces.iter().all(own), "touchpoint {i}");
        }
        let traced_by: usize = model.activities.iter().map(|a| a.traced_by.len()).sum();
        assert_eq!(traced_by, model.traces.len());
        assert!(model.activities.iter().all(|a| a.traced_by.is_sorted()));
        assert_eq!(model.damage.touchpoints_with_lost_traces.len(), diagnostics.len());
    }
}
