//! Builds the model from the syntax trees of all files, in two passes.
//!
//! Pass 1 ([`Builder::add`], one file at a time) declares every element and reads
//! every attribute that names nothing else; it keeps a copy of only the attributes
//! that refer to other elements, so that the file's tree can be freed at once.
//! Pass 2 ([`Builder::finish`]) resolves those references, in any direction and
//! across files. Every problem is reported and building goes on: a bad value is
//! left unset, a bad reference is dropped and recorded in
//! [`Damage`](super::elements::Damage).

use super::elements::{
    Activity, ActivityId, ActivityState, Capability, CapabilityId, Emotion, Journey, JourneyId,
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
    self, AsAttribute, Attribute, Decl, Ident, Item, JourneyItem, JourneyStageItem, TouchpointItem,
    Value, ValueStreamItem, VsStageItem,
};
use crate::syntax::vocabulary::Takes;
use rayon::prelude::*;
use thin_vec::ThinVec;

/// Builds the model of a workspace from its files' syntax trees. `texts` are the
/// texts the trees were parsed from, by `FileId`.
pub fn build(texts: &[&str], files: &[ast::File]) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::new(texts);
    b.reserve(&Counts::of(files));
    // Every tree is parsed already, so rayon's threads are free to read them.
    b.parallel = true;
    for file in files {
        b.read(file);
    }
    b.finish()
}

/// The references of an element, kept from pass 1 for pass 2: the attributes that
/// name other elements, copied out of the tree. Empty for most elements, which
/// then cost no allocation.
type Refs = ThinVec<Item<Attribute>>;

/// What pass 2 resolves, by element id. Value-stream stages refer to nothing.
#[derive(Default)]
struct Pending {
    systems: Vec<Refs>,
    capabilities: Vec<Refs>,
    streams: Vec<Refs>,
    activities: Vec<Refs>,
    journeys: Vec<Refs>,
    journey_stages: Vec<Refs>,
    /// Where each path after a touchpoint's `traces to` is written, touchpoint by
    /// touchpoint: pass 2 reads the path from the text again. Touchpoints are most
    /// of a workspace, and a span is 12 bytes where a copy of the syntax was 200.
    traces: Vec<Span>,
    /// Where each touchpoint's paths end in `traces`.
    trace_ends: Vec<usize>,
    /// Opportunities name their owner; they are rare, and kept whole.
    opportunities: Vec<(TouchpointId, Box<ast::Opportunity>)>,
}

/// Builds a model file by file: [`Builder::add`] each file's tree in `FileId`
/// order (the tree may be freed right after), then [`Builder::finish`]. Only a
/// copy of the references outlives a tree, so a workspace is never held as trees
/// and model at once: that was its peak memory.
pub struct Builder<'a> {
    /// The source texts by `FileId`: the name tables borrow their keys from them.
    texts: &'a [&'a str],
    model: Model,
    out: Sink,
    names: Names<'a>,
    pending: Pending,
    /// Whether a large file's touchpoints are read on rayon's threads. Not while
    /// files are parsed on those threads: the reading would wait for a whole parse.
    parallel: bool,
}

/// How many elements of each kind the files declare, so that arenas and tables are
/// allocated at their final size, or grown a file at a time, rather than element
/// by element (doubling copied the arenas about twice and left up to half of them
/// unused).
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
    /// At least as many touchpoints and activities as `texts` declare, counted
    /// before they are parsed: each is declared by its keyword, which a comment or a
    /// label may hold too.
    fn estimate(texts: &[&str]) -> Counts {
        let count = |word: &str| {
            let finder = memchr::memmem::Finder::new(word);
            texts.iter().map(|t| finder.find_iter(t.as_bytes()).count()).sum()
        };
        Counts {
            touchpoints: count("touchpoint"),
            activities: count("activity"),
            ..Counts::default()
        }
    }

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
                self.traces += paths_in(&t.items);
            }
        }
    }
}

/// The number of items of a kind in a block.
fn count<I>(items: &[Item<I>], kind: impl Fn(&I) -> bool) -> usize {
    items.iter().filter(|i| kind(&i.node)).count()
}

/// The number of paths written in a block's attributes (after `traces to`).
fn paths_in<I: AsAttribute>(items: &[Item<I>]) -> usize {
    let paths = items.iter().map(|item| match item.node.attribute() {
        Some(Attribute { value: Value::Paths(paths), .. }) => paths.len(),
        _ => 0,
    });
    paths.sum()
}

/// Whether an attribute names other elements, and so waits for pass 2.
fn refers(attribute: &Attribute) -> bool {
    matches!(attribute.keyword.takes, Takes::Reference | Takes::References | Takes::Paths)
}

/// The attributes of a block's items, each with its item's span.
fn attributes<I: AsAttribute>(
    items: &[Item<I>],
) -> impl Iterator<Item = (&Attribute, Span)> + Clone {
    items.iter().filter_map(|item| item.node.attribute().map(|a| (a, item.span)))
}

/// The attributes pass 1 reads: those that name nothing.
fn values<I: AsAttribute>(items: &[Item<I>]) -> impl Iterator<Item = (&Attribute, Span)> {
    attributes(items).filter(|(a, _)| !refers(a))
}

/// A copy of the attributes pass 2 resolves, in a list of the exact size.
fn refs<I: AsAttribute>(items: &[Item<I>]) -> Refs {
    let refs = attributes(items).filter(|(a, _)| refers(a));
    let mut kept = ThinVec::with_capacity(refs.clone().count());
    kept.extend(refs.map(|(a, span)| Item::new(a.clone(), span)));
    kept
}

/// The text a span covers, in the texts by `FileId` (as `Sources::slice`).
fn at<'a>(texts: &[&'a str], span: Span) -> &'a str {
    let text = texts.get(span.file.0 as usize).copied().unwrap_or_default();
    text.get(span.range()).unwrap_or_default()
}

/// The name `ident` is declared under: the same characters, borrowed from its
/// source text rather than from the tree, which is freed before pass 2.
fn key<'a>(texts: &[&'a str], ident: &Ident) -> &'a str {
    let slice = at(texts, ident.span);
    // A header that lost its id has an empty one, spanned at its keyword; every
    // other id is the text at its span (`syntax::lower`).
    debug_assert!(slice == &*ident.name || ident.name.is_empty(), "{ident:?} is not {slice:?}");
    if slice == &*ident.name { slice } else { "" }
}

impl<'a> Builder<'a> {
    /// A builder for the workspace whose texts these are, by `FileId`.
    fn new(texts: &'a [&'a str]) -> Builder<'a> {
        Builder {
            texts,
            model: Model::default(),
            out: Sink::default(),
            names: Names::default(),
            pending: Pending::default(),
            parallel: false,
        }
    }

    /// A builder for the workspace whose texts these are, by `FileId`, with room
    /// for the touchpoints and activities the texts seem to declare, for files
    /// added as they are parsed: their arenas are most of the model, and growing
    /// them file by file copied each about twice, leaving the old copies resident.
    pub fn for_texts(texts: &'a [&'a str]) -> Builder<'a> {
        let mut b = Builder::new(texts);
        b.reserve(&Counts::estimate(texts));
        b
    }

    /// Makes room for `n` more elements of each kind.
    fn reserve(&mut self, n: &Counts) {
        let model = &mut self.model;
        model.personas.reserve(n.personas);
        model.teams.reserve(n.teams);
        model.systems.reserve(n.systems);
        model.capabilities.reserve(n.capabilities);
        model.streams.reserve(n.streams);
        model.vs_stages.reserve(n.vs_stages);
        model.activities.reserve(n.activities);
        model.journeys.reserve(n.journeys);
        model.journey_stages.reserve(n.journey_stages);
        model.touchpoints.reserve(n.touchpoints);
        let names = &mut self.names;
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
        let pending = &mut self.pending;
        pending.systems.reserve(n.systems);
        pending.capabilities.reserve(n.capabilities);
        pending.streams.reserve(n.streams);
        pending.activities.reserve(n.activities);
        pending.journeys.reserve(n.journeys);
        pending.journey_stages.reserve(n.journey_stages);
        pending.traces.reserve(n.traces);
        pending.trace_ends.reserve(n.touchpoints);
    }

    /// Pass 1 for one file, which must come after every file with a lower `FileId`
    /// (ids are given in source order). Nothing of `file` is kept borrowed.
    pub fn add(&mut self, file: &ast::File) {
        self.reserve(&Counts::of(std::slice::from_ref(file)));
        self.read(file);
    }

    /// [`Builder::add`], with room made already.
    fn read(&mut self, file: &ast::File) {
        for broken in &file.broken {
            let names = self.names.broken.entry(broken.kind).or_default();
            names.insert(broken.id.as_str().into());
        }
        let first = self.model.touchpoints.len();
        let mut touchpoints = Vec::new();
        for decl in &file.decls {
            self.declare(decl, &mut touchpoints);
        }
        self.read_touchpoints(first, &touchpoints);
        self.model.damage.lost_declarations |= file.lost;
    }

    /// Pass 1 for the touchpoints of a file, the model's from `first` on: their
    /// values, then what pass 2 needs of them. Each reads only its own items, so a
    /// large file's may be read in parallel, by chunks merged in source order.
    fn read_touchpoints(&mut self, first: usize, syntax: &[&ast::Touchpoint]) {
        let model = &mut self.model.touchpoints[first..];
        let read = |(model, syntax): (&mut [Touchpoint], &[&ast::Touchpoint])| {
            let mut out = Sink::default();
            for (tp, t) in model.iter_mut().zip(syntax) {
                read_touchpoint(&mut out, &t.items, tp);
            }
            out.diagnostics
        };
        let found: Vec<Vec<Diagnostic>> = if !self.parallel || syntax.len() <= CHUNK {
            vec![read((model, syntax))]
        } else {
            model.par_chunks_mut(CHUNK).zip(syntax.par_chunks(CHUNK)).map(read).collect()
        };
        self.out.diagnostics.extend(found.into_iter().flatten());
        for (k, t) in syntax.iter().enumerate() {
            self.defer_touchpoint(TouchpointId((first + k) as u32), &t.items);
        }
    }

    /// Pass 2: resolves every reference, then links what points both ways.
    pub fn finish(mut self) -> (Model, Vec<Diagnostic>) {
        self.resolve();
        (self.model, self.out.diagnostics)
    }

    // ------------------------------------------------------------ pass 1

    fn declare<'f>(&mut self, decl: &'f Decl, touchpoints: &mut Vec<&'f ast::Touchpoint>) {
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
                self.pending.systems.push(refs(&s.items));
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
                self.read_capability(id.index(), values(&c.items));
                self.pending.capabilities.push(refs(&c.items));
            }
            Decl::ValueStream(vs) => self.declare_stream(vs),
            Decl::Journey(j) => self.declare_journey(j, touchpoints),
        }
    }

    fn declare_stream(&mut self, vs: &ast::ValueStream) {
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
        self.pending.streams.push(refs(&vs.items));
        for item in &vs.items {
            let ValueStreamItem::Stage(st) = &item.node else { continue };
            let stage = VsStageId(self.model.vs_stages.len() as u32);
            let meta = self.out.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            let name = key(self.texts, &st.header.id);
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
            self.read_vs_stage(stage.index(), st);
            for item in &st.items {
                let VsStageItem::Activity(a) = &item.node else { continue };
                let id = ActivityId(self.model.activities.len() as u32);
                let meta = self.out.meta(&a.header, &a.items, stage_allow);
                let name = key(self.texts, &a.header.id);
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
                self.read_activity(id.index(), values(&a.items));
                self.pending.activities.push(refs(&a.items));
            }
        }
    }

    /// A value-stream stage's attributes and metrics, none of which names anything.
    fn read_vs_stage(&mut self, i: usize, st: &ast::VsStage) {
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
                    let allow = stage.meta.allow;
                    let metric = self.out.metric(m, allow);
                    self.model.vs_stages[i].metrics.push(metric);
                }
                VsStageItem::Activity(_) => {}
            }
        }
    }

    /// Declares a journey, its stages and its touchpoints, whose syntax goes to
    /// `touchpoints` for [`Builder::read_touchpoints`].
    fn declare_journey<'f>(
        &mut self,
        j: &'f ast::Journey,
        touchpoints: &mut Vec<&'f ast::Touchpoint>,
    ) {
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
        self.read_journey(journey.index(), values(&j.items));
        self.pending.journeys.push(refs(&j.items));
        let mut stage_names = Map::default();
        // Reused from stage to stage: one allocation per journey, not per stage.
        let mut touchpoint_names = Map::default();
        for item in &j.items {
            let JourneyItem::Stage(st) = &item.node else { continue };
            let stage = JourneyStageId(self.model.journey_stages.len() as u32);
            let meta = self.out.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            let name = key(self.texts, &st.header.id);
            if let Err(first) = declare(&mut stage_names, name, stage) {
                let first = self.model[first].meta.id_span;
                self.out.duplicate(&st.header.id, "stage in this journey", first);
            }
            self.names.journey_stages.push(name);
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
            self.pending.journey_stages.push(refs(&st.items));
            touchpoint_names.clear();
            for item in &st.items {
                let JourneyStageItem::Touchpoint(t) = &item.node else { continue };
                let id = TouchpointId(self.model.touchpoints.len() as u32);
                let meta = self.out.meta(&t.header, &t.items, stage_allow);
                let name = key(self.texts, &t.header.id);
                if let Err(first) = declare(&mut touchpoint_names, name, id) {
                    let first = self.model[first].meta.id_span;
                    self.out.duplicate(&t.header.id, "touchpoint in this stage", first);
                }
                self.names.touchpoints.push(name);
                self.model.journey_stages[stage.index()].touchpoints.push(id);
                let tp = Touchpoint {
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
                };
                self.model.touchpoints.push(tp);
                touchpoints.push(t);
            }
        }
    }

    /// Keeps what pass 2 resolves of a touchpoint: where its paths are written, and
    /// its opportunities.
    fn defer_touchpoint(&mut self, id: TouchpointId, items: &[Item<TouchpointItem>]) {
        for item in items {
            match &item.node {
                TouchpointItem::Attribute(Attribute { value: Value::Paths(paths), keyword })
                    if keyword.word == "traces to" =>
                {
                    self.pending.traces.extend(paths.iter().map(ast::Path::span));
                }
                TouchpointItem::Opportunity(o) => {
                    self.pending.opportunities.push((id, o.clone()));
                }
                TouchpointItem::Attribute(_) | TouchpointItem::Metric(_) => {}
            }
        }
        self.pending.trace_ends.push(self.pending.traces.len());
    }

    /// Registers a top-level name, reporting a duplicate of the same kind.
    fn top(&mut self, name: &TopName, ident: &Ident) {
        let key = key(self.texts, ident);
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
        let systems = std::mem::take(&mut self.pending.systems);
        for (i, refs) in systems.iter().enumerate() {
            let mut seen = Seen::default();
            for item in refs {
                if let ("owner", Value::Ident(team)) = (item.node.word(), &item.node.value) {
                    if self.out.once(&mut seen, "owner", item.span) {
                        self.model.systems[i].owner = self.out.team(&self.names, team, "owner");
                    }
                }
            }
        }
        let capabilities = std::mem::take(&mut self.pending.capabilities);
        for (i, refs) in capabilities.iter().enumerate() {
            self.read_capability(i, attributes(refs));
        }
        self.cut_parent_loops();
        let streams = std::mem::take(&mut self.pending.streams);
        for (i, refs) in streams.iter().enumerate() {
            for (attribute, _) in attributes(refs) {
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
        let activities = std::mem::take(&mut self.pending.activities);
        for (i, refs) in activities.iter().enumerate() {
            self.read_activity(i, attributes(refs));
        }
        drop(activities);
        let journeys = std::mem::take(&mut self.pending.journeys);
        for (i, refs) in journeys.iter().enumerate() {
            self.read_journey(i, attributes(refs));
        }
        self.link_replaced();
        let journey_stages = std::mem::take(&mut self.pending.journey_stages);
        for (i, refs) in journey_stages.iter().enumerate() {
            let mut lost = false;
            for (attribute, span) in attributes(refs) {
                if let ("maps to", Value::Paths(paths)) = (attribute.word(), &attribute.value) {
                    let stage = &mut self.model.journey_stages[i];
                    stage.maps_to_span = Some(stage.maps_to_span.map_or(span, |s| s.to(span)));
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
        drop(journey_stages);
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
        let paths = std::mem::take(&mut self.pending.traces);
        let ends = std::mem::take(&mut self.pending.trace_ends);
        // The paths of each chunk of touchpoints: where they start and end.
        let bounds: Vec<(usize, usize)> = ends
            .chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let start = if c == 0 { 0 } else { ends[c * CHUNK - 1] };
                (start, chunk.last().copied().unwrap_or(start))
            })
            .collect();
        let span = Span::new(FileId(0), 0, 0);
        let unused = Trace { touchpoint: TouchpointId(0), activity: ActivityId(0), span };
        self.model.traces.reserve_exact(paths.len());
        self.model.traces.resize(paths.len(), unused);
        let mut slots = Vec::with_capacity(bounds.len());
        let mut rest = &mut self.model.traces[..];
        for &(start, end) in &bounds {
            let (slot, tail) = rest.split_at_mut(end - start);
            slots.push(slot);
            rest = tail;
        }
        let (names, texts) = (&self.names, self.texts);
        let resolve = |(c, (touchpoints, slot)): (usize, (&mut [Touchpoint], &mut [Trace]))| {
            let mut chunk = Resolved { slot, ..Resolved::default() };
            let first = c * CHUNK;
            for (k, tp) in touchpoints.iter_mut().enumerate() {
                let at = first + k;
                let start = if at == 0 { 0 } else { ends[at - 1] };
                let id = TouchpointId(at as u32);
                chunk.traces_to(names, texts, id, &paths[start..ends[at]], tp);
            }
            chunk.into_merged()
        };
        let model = &mut self.model.touchpoints;
        let chunks: Vec<Merged> = if model.len() <= CHUNK {
            model.chunks_mut(CHUNK).zip(slots).enumerate().map(resolve).collect()
        } else {
            model.par_chunks_mut(CHUNK).zip(slots).enumerate().map(resolve).collect()
        };
        let (mut from, mut to) = (0, 0);
        for (c, (chunk, (start, end))) in chunks.into_iter().zip(bounds).enumerate() {
            if from != to {
                self.model.traces.copy_within(from..from + chunk.traces, to);
            }
            let base = to as u32;
            let last = ((c + 1) * CHUNK).min(self.model.touchpoints.len());
            for tp in &mut self.model.touchpoints[c * CHUNK..last] {
                tp.traces.iter_mut().for_each(|trace| trace.0 += base);
            }
            (from, to) = (from + (end - start), to + chunk.traces);
            self.out.diagnostics.extend(chunk.diagnostics);
            self.model.damage.touchpoints_with_lost_traces.extend(chunk.lost);
        }
        self.model.traces.truncate(to);
        for (id, o) in std::mem::take(&mut self.pending.opportunities) {
            let tp = &mut self.model.touchpoints[id.index()];
            let opportunity = self.out.opportunity(&self.names, &o, tp.meta.allow);
            if let Some(first) = tp.opportunities.iter().find(|p| p.meta.id == opportunity.meta.id)
            {
                let first = first.meta.id_span;
                self.out.duplicate(&o.header.id, "opportunity of this touchpoint", first);
            }
            tp.opportunities.push(opportunity);
        }
        for tp in &mut self.model.touchpoints {
            tp.opportunities.shrink_to_fit();
        }
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

    /// A capability's attributes: those that name nothing in pass 1, the others in
    /// pass 2 (each `once` check sees every instance of its keyword either way).
    fn read_capability<'i>(
        &mut self,
        i: usize,
        items: impl Iterator<Item = (&'i Attribute, Span)>,
    ) {
        let mut seen = Seen::default();
        for (attribute, span) in items {
            match (attribute.word(), &attribute.value) {
                ("owner", Value::Ident(team)) if self.out.once(&mut seen, "owner", span) => {
                    self.model.capabilities[i].owner = self.out.team(&self.names, team, "owner");
                }
                ("level", Value::Number(n)) if self.out.once(&mut seen, "level", span) => {
                    self.model.capabilities[i].level = self
                        .out
                        .whole(n, 1, 4, "a capability `level`")
                        .and_then(|l| u8::try_from(l).ok());
                }
                ("parent", Value::Ident(p)) if self.out.once(&mut seen, "parent", span) => {
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
                ("capacity", Value::Quantity(q)) if self.out.once(&mut seen, "capacity", span) => {
                    let rate = self.out.rate(q, "a `capacity`", true);
                    self.model.capabilities[i].capacity = rate.map(|r| (r, q.span));
                }
                _ => {}
            }
        }
    }

    /// An activity's attributes, in pass 1 or 2 as for [`Builder::read_capability`].
    fn read_activity<'i>(&mut self, i: usize, items: impl Iterator<Item = (&'i Attribute, Span)>) {
        let mut seen = Seen::default();
        for (attribute, span) in items {
            match (attribute.word(), &attribute.value) {
                ("owner", Value::Ident(team)) if self.out.once(&mut seen, "owner", span) => {
                    let owner = self.out.team(&self.names, team, "owner");
                    if owner.is_none() {
                        self.model.damage.activities_with_lost_owner.insert(ActivityId(i as u32));
                    }
                    self.model.activities[i].owner = owner;
                }
                ("lane", Value::Ident(lane)) if self.out.once(&mut seen, "lane", span) => {
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
                ("process", Value::Duration(d)) if self.out.once(&mut seen, "process", span) => {
                    self.model.activities[i].process = self.out.duration(d);
                }
                ("wait", Value::Duration(d)) if self.out.once(&mut seen, "wait", span) => {
                    self.model.activities[i].wait = self.out.duration(d);
                }
                ("failure", Value::Text(t)) => {
                    self.model.activities[i].failures.push(t.value.to_string());
                }
                ("enabling", Value::Flag) if self.out.once(&mut seen, "enabling", span) => {
                    self.model.activities[i].enabling = true;
                }
                ("state", Value::Ident(s)) if self.out.once(&mut seen, "state", span) => {
                    let state = self.out.word(s, "state", &ActivityState::NAMES);
                    self.model.activities[i].state = match state {
                        Some(1) => ActivityState::Future,
                        Some(2) => ActivityState::Retired,
                        _ => ActivityState::Current,
                    };
                }
                ("accuracy", Value::Number(n)) if self.out.once(&mut seen, "accuracy", span) => {
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

    /// A journey's attributes, in pass 1 or 2 as for [`Builder::read_capability`].
    fn read_journey<'i>(&mut self, i: usize, items: impl Iterator<Item = (&'i Attribute, Span)>) {
        let mut seen = Seen::default();
        for (attribute, span) in items {
            match (attribute.word(), &attribute.value) {
                ("persona", Value::Idents(personas)) => {
                    for p in personas {
                        if let Some(r) = self.out.persona(&self.names, p, "persona") {
                            self.model.journeys[i].personas.push(r);
                        }
                    }
                }
                ("state", Value::Ident(s)) if self.out.once(&mut seen, "state", span) => {
                    let state = self.out.word(s, "state", &State::NAMES);
                    self.model.journeys[i].state =
                        if state == Some(1) { State::Future } else { State::Current };
                }
                ("replaces", Value::Ident(r)) if self.out.once(&mut seen, "replaces", span) => {
                    let target =
                        self.names.simple(&self.names.journeys, Kind::Journey, "replaces", r);
                    self.model.journeys[i].replaces =
                        self.out.settle(target).map(|target| Ref { target, span: r.span });
                }
                ("volume", Value::Quantity(q)) if self.out.once(&mut seen, "volume", span) => {
                    self.model.journeys[i].volume = self.out.rate(q, "a `volume`", false);
                }
                ("mix", Value::Mix(parts)) if self.out.once(&mut seen, "mix", span) => {
                    self.model.journeys[i].mix = self.out.mix(parts, span);
                }
                _ => {}
            }
        }
    }
}

const REACH_HELP: &str = "a percentage is a share of the journey's volume, from 0% to 100%";

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

    /// Pass 2 for a touchpoint: the paths of its `traces to`, written at `paths`.
    fn traces_to(
        &mut self,
        names: &Names,
        texts: &[&str],
        id: TouchpointId,
        paths: &[Span],
        tp: &mut Touchpoint,
    ) {
        // The list is then exact.
        tp.traces.reserve_exact(paths.len());
        let mut lost = false;
        for &span in paths {
            match names.activity_at(at(texts, span), span) {
                Ok(activity) => {
                    // The slot has room for every path.
                    self.slot[self.traces] = Trace { touchpoint: id, activity, span };
                    tp.traces.push(TraceId(self.traces as u32));
                    self.traces += 1;
                }
                Err(failure) => {
                    lost = true;
                    self.out.diagnostics.extend(failure);
                }
            }
        }
        if lost {
            self.lost.push(id);
        }
    }
}

/// Pass 1 for a touchpoint: its kpis and every attribute that names nothing.
fn read_touchpoint(out: &mut Sink, items: &[Item<TouchpointItem>], tp: &mut Touchpoint) {
    let mut seen = Seen::default();
    let mut metric_ids = Vec::new();
    for item in items {
        let attribute = match &item.node {
            TouchpointItem::Attribute(a) if !refers(a) => a,
            TouchpointItem::Metric(m) => {
                out.metric_id(&mut metric_ids, m);
                let metric = out.metric(m, tp.meta.allow);
                tp.metrics.push(metric);
                continue;
            }
            TouchpointItem::Attribute(_) | TouchpointItem::Opportunity(_) => continue,
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
            _ => {}
        }
    }
    // A vector grown by `push` keeps room for four, and a touchpoint rarely has
    // more than one of these (a kpi would keep room for four).
    tp.evidence.shrink_to_fit();
    tp.pains.shrink_to_fit();
    tp.failures.shrink_to_fit();
    tp.metrics.shrink_to_fit();
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
        let (model, diagnostics) = build(&[&text], &[file]);
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
