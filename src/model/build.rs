//! Builds the model from the syntax trees of all files, in two passes.
//!
//! Pass 1 declares every element, so that pass 2 can resolve references in any
//! direction and across files. Every problem is reported and building goes on: a
//! bad value is left unset, a bad reference is dropped and recorded in [`Damage`].

use super::elements::{
    Activity, ActivityId, Capability, CapabilityId, Emotion, Journey, JourneyId, JourneyStage,
    JourneyStageId, Lane, Meta, Metric, Mix, Model, Opportunity, Persona, PersonaId, Rate, Rating,
    Ref, Share, State, StreamId, System, SystemId, Team, TeamId, Touchpoint, TouchpointId, Trace,
    TraceId, ValueStream, VsStage, VsStageId,
};
use super::names::{Names, RefKind, article, declare, suggest};
use crate::diagnostic::{Code, Diagnostic, Label, Lint, LintSet};
use crate::source::Span;
use crate::syntax::ast::{
    self, ActivityAttr, CapabilityAttr, CommonAttr, Decl, Header, Ident, Item, JourneyItem,
    JourneyStageItem, MetricAttr, OpportunityAttr, SystemAttr, Text, TouchpointItem,
    ValueStreamItem, VsStageItem,
};

/// Builds the model of a workspace from its files' syntax trees.
pub fn build(files: &[ast::File]) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::default();
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
    (b.model, b.diagnostics)
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
    diagnostics: Vec<Diagnostic>,
    names: Names<'a>,
    syntax: Syntax<'a>,
}

/// Item enums that hold the attributes every declaration takes.
trait HasCommon {
    fn common(&self) -> Option<&CommonAttr>;
}

macro_rules! has_common {
    ($($t:ty),*) => {$(
        impl HasCommon for $t {
            fn common(&self) -> Option<&CommonAttr> {
                match self {
                    Self::Common(c) => Some(c),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    )*};
}

has_common!(
    SystemAttr,
    CapabilityAttr,
    ValueStreamItem,
    VsStageItem,
    ActivityAttr,
    JourneyItem,
    JourneyStageItem,
    TouchpointItem,
    MetricAttr,
    OpportunityAttr
);

impl HasCommon for CommonAttr {
    fn common(&self) -> Option<&CommonAttr> {
        Some(self)
    }
}

/// Single-valued attributes seen so far on one element, to report repeats.
#[derive(Default)]
struct Seen(Vec<(&'static str, Span)>);

impl<'a> Builder<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    // ------------------------------------------------------------ pass 1

    fn declare(&mut self, decl: &'a Decl) {
        let none = LintSet::default();
        match decl {
            Decl::Persona(p) => {
                let id = PersonaId(self.model.personas.len() as u32);
                let meta = self.meta(&p.header, &p.items, none);
                self.top(&TopName::Persona(id), &p.header.id);
                self.model.personas.push(Persona { meta });
            }
            Decl::Team(t) => {
                let id = TeamId(self.model.teams.len() as u32);
                let meta = self.meta(&t.header, &t.items, none);
                self.top(&TopName::Team(id), &t.header.id);
                self.model.teams.push(Team { meta });
            }
            Decl::System(s) => {
                let id = SystemId(self.model.systems.len() as u32);
                let meta = self.meta(&s.header, &s.items, none);
                self.top(&TopName::System(id), &s.header.id);
                self.model.systems.push(System { meta, owner: None });
                self.syntax.systems.push(s);
            }
            Decl::Capability(c) => {
                let id = CapabilityId(self.model.capabilities.len() as u32);
                let meta = self.meta(&c.header, &c.items, none);
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
        let meta = self.meta(&vs.header, &vs.items, LintSet::default());
        let allow = meta.allow;
        self.top(&TopName::Stream(stream), &vs.header.id);
        // Members of a duplicate value stream are registered under the first one, so
        // that paths to them resolve and the duplicate is the only error reported.
        let stream_key =
            self.names.streams.get(vs.header.id.name.as_str()).copied().unwrap_or(stream);
        self.model.streams.push(ValueStream { meta, stakeholders: Vec::new(), stages: Vec::new() });
        self.syntax.streams.push(vs);
        for item in &vs.items {
            let ValueStreamItem::Stage(st) = &item.node else { continue };
            let stage = VsStageId(self.model.vs_stages.len() as u32);
            let meta = self.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            let name = st.header.id.name.as_str();
            if let Err(first) = declare(&mut self.names.vs_stages, (stream_key, name), stage) {
                let first = self.model[first].meta.id_span;
                self.duplicate(&st.header.id, "stage in this value stream", first);
            } else {
                self.names.vs_stages_by_name.entry(name).or_default().push(stage);
            }
            self.model.streams[stream.index()].stages.push(stage);
            self.model.vs_stages.push(VsStage {
                meta,
                stream,
                entrance: Vec::new(),
                exit: Vec::new(),
                value: Vec::new(),
                metrics: Vec::new(),
                activities: Vec::new(),
            });
            self.syntax.vs_stages.push(st);
            for item in &st.items {
                let VsStageItem::Activity(a) = &item.node else { continue };
                let id = ActivityId(self.model.activities.len() as u32);
                let meta = self.meta(&a.header, &a.items, stage_allow);
                let name = a.header.id.name.as_str();
                // Activity ids are unique in their whole value stream, so that a
                // path `stream.activity` needs no stage.
                if let Err(first) = declare(&mut self.names.activities, (stream_key, name), id) {
                    let first = self.model[first].meta.id_span;
                    self.duplicate(&a.header.id, "activity in this value stream", first);
                } else {
                    self.names.activities_by_name.entry(name).or_default().push(id);
                }
                self.model.vs_stages[stage.index()].activities.push(id);
                self.model.activities.push(Activity {
                    meta,
                    stream,
                    stage,
                    owner: None,
                    lane: Lane::default(),
                    capabilities: Vec::new(),
                    systems: Vec::new(),
                    process: None,
                    wait: None,
                    failures: Vec::new(),
                    enabling: false,
                    traced_by: Vec::new(),
                });
                self.syntax.activities.push(a);
            }
        }
    }

    fn declare_journey(&mut self, j: &'a ast::Journey) {
        let journey = JourneyId(self.model.journeys.len() as u32);
        let meta = self.meta(&j.header, &j.items, LintSet::default());
        let allow = meta.allow;
        self.top(&TopName::Journey(journey), &j.header.id);
        self.model.journeys.push(Journey {
            meta,
            personas: Vec::new(),
            state: State::default(),
            volume: None,
            mix: None,
            stages: Vec::new(),
        });
        self.syntax.journeys.push(j);
        let mut stage_names = std::collections::HashMap::new();
        for item in &j.items {
            let JourneyItem::Stage(st) = &item.node else { continue };
            let stage = JourneyStageId(self.model.journey_stages.len() as u32);
            let meta = self.meta(&st.header, &st.items, allow);
            let stage_allow = meta.allow;
            if let Err(first) = declare(&mut stage_names, st.header.id.name.as_str(), stage) {
                let first = self.model[first].meta.id_span;
                self.duplicate(&st.header.id, "stage in this journey", first);
            }
            self.names.journey_stages.insert(&st.header.id.name);
            self.model.journeys[journey.index()].stages.push(stage);
            self.model.journey_stages.push(JourneyStage {
                meta,
                journey,
                maps_to: Vec::new(),
                maps_to_span: None,
                touchpoints: Vec::new(),
            });
            self.syntax.journey_stages.push(st);
            let mut touchpoint_names = std::collections::HashMap::new();
            for item in &st.items {
                let JourneyStageItem::Touchpoint(t) = &item.node else { continue };
                let id = TouchpointId(self.model.touchpoints.len() as u32);
                let meta = self.meta(&t.header, &t.items, stage_allow);
                if let Err(first) = declare(&mut touchpoint_names, t.header.id.name.as_str(), id) {
                    let first = self.model[first].meta.id_span;
                    self.duplicate(&t.header.id, "touchpoint in this stage", first);
                }
                self.names.touchpoints.insert(&t.header.id.name);
                self.model.journey_stages[stage.index()].touchpoints.push(id);
                self.model.touchpoints.push(Touchpoint {
                    meta,
                    journey,
                    stage,
                    channel: None,
                    emotion: None,
                    reach: Share::ALL,
                    moment_of_truth: None,
                    evidence: Vec::new(),
                    pains: Vec::new(),
                    failures: Vec::new(),
                    metrics: Vec::new(),
                    opportunities: Vec::new(),
                    traces: Vec::new(),
                });
                self.syntax.touchpoints.push(t);
            }
        }
    }

    /// Registers a top-level name, reporting a duplicate of the same kind.
    fn top(&mut self, name: &TopName, ident: &'a Ident) {
        let key = ident.name.as_str();
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
            self.duplicate(ident, name.what(), first);
        }
    }

    fn duplicate(&mut self, ident: &Ident, what: &str, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("`{}` is declared twice as {}", ident.name, article(what)),
                Label::new(ident.span, "declared again here"),
            )
            .with_label(Label::new(first, "first declared here"))
            .with_help("rename one of them, or merge the two declarations"),
        );
    }

    /// The id, label, description and effective `allow` set of a declaration.
    fn meta<I: HasCommon>(
        &mut self,
        header: &Header,
        items: &[Item<I>],
        inherited: LintSet,
    ) -> Meta {
        let mut description = header.doc.as_ref().map(|d| (d.value.clone(), d.span));
        let mut allow = inherited;
        for item in items {
            match item.node.common() {
                Some(CommonAttr::Description(text)) => {
                    if let Some((_, first)) = &description {
                        let first = *first;
                        self.repeated("description", item.span, first);
                    } else {
                        description = Some((text.value.clone(), item.span));
                    }
                }
                Some(CommonAttr::Allow(codes)) => {
                    for code in codes {
                        if let Some(lint) = self.lint_code(code) {
                            allow.insert(lint);
                        }
                    }
                }
                None => {}
            }
        }
        let id = header.id.name.clone();
        Meta {
            label: header.label.as_ref().map_or_else(|| id.clone(), |l| l.value.clone()),
            id,
            description: description.map(|(d, _)| d),
            id_span: header.id.span,
            span: header.span,
            allow,
        }
    }

    fn lint_code(&mut self, code: &ast::LintCode) -> Option<Lint> {
        if let Some(c) = crate::diagnostic::Code::parse(&code.node) {
            if let Some(lint) = c.lint() {
                Some(lint)
            } else {
                self.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{c}` is an error and cannot be allowed"),
                        Label::new(code.span, "not a lint"),
                    )
                    .with_help(format!(
                        "errors must be fixed; only these can be allowed: {}",
                        lint_list()
                    )),
                );
                None
            }
        } else {
            let name = code.node.strip_prefix("journey::").unwrap_or(&code.node);
            let hint = suggest(name, Lint::ALL.iter().map(|l| l.code().name()));
            let help = match hint {
                Some(h) => format!("did you mean `journey::{h}`?"),
                None => format!("the lints are {}", lint_list()),
            };
            self.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a diagnostic code", code.node),
                    Label::new(code.span, "unknown code"),
                )
                .with_help(help),
            );
            None
        }
    }

    /// Records a single-valued attribute; reports it if it was given before.
    fn once(&mut self, seen: &mut Seen, key: &'static str, span: Span) -> bool {
        if let Some(&(_, first)) = seen.0.iter().find(|(k, _)| *k == key) {
            self.repeated(key, span, first);
            false
        } else {
            seen.0.push((key, span));
            true
        }
    }

    fn repeated(&mut self, key: &str, span: Span, first: Span) {
        self.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("`{key}` is given twice"),
                Label::new(span, "given again here"),
            )
            .with_label(Label::new(first, "first given here"))
            .with_help(format!("an element has at most one `{key}`; keep one of them")),
        );
    }

    // ------------------------------------------------------------ pass 2

    fn resolve(&mut self) {
        for i in 0..self.syntax.systems.len() {
            let s = self.syntax.systems[i];
            let mut seen = Seen::default();
            for item in &s.items {
                if let SystemAttr::Owner(team) = &item.node {
                    if self.once(&mut seen, "owner", item.span) {
                        self.model.systems[i].owner = self.team(team, "owner");
                    }
                }
            }
        }
        for i in 0..self.syntax.capabilities.len() {
            self.resolve_capability(i);
        }
        for i in 0..self.syntax.streams.len() {
            let vs = self.syntax.streams[i];
            for item in &vs.items {
                if let ValueStreamItem::Stakeholder(personas) = &item.node {
                    for p in personas {
                        if let Some(r) = self.persona(p, "stakeholder") {
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
                    VsStageItem::Entrance(t) => stage.entrance.push(t.value.clone()),
                    VsStageItem::Exit(t) => stage.exit.push(t.value.clone()),
                    VsStageItem::Value(t) => stage.value.push(t.value.clone()),
                    VsStageItem::Metric(m) => {
                        self.metric_id(&mut metric_ids, m);
                        let metric = self.metric(m);
                        self.model.vs_stages[i].metrics.push(metric);
                    }
                    VsStageItem::Activity(_) | VsStageItem::Common(_) => {}
                }
            }
        }
        for i in 0..self.syntax.activities.len() {
            self.resolve_activity(i);
        }
        for i in 0..self.syntax.journeys.len() {
            self.resolve_journey(i);
        }
        for i in 0..self.syntax.journey_stages.len() {
            let st = self.syntax.journey_stages[i];
            let mut lost = false;
            for item in &st.items {
                if let JourneyStageItem::MapsTo(paths) = &item.node {
                    let stage = &mut self.model.journey_stages[i];
                    stage.maps_to_span =
                        Some(stage.maps_to_span.map_or(item.span, |s| s.to(item.span)));
                    for path in paths {
                        match self.names.vs_stage(path) {
                            Ok(target) => {
                                self.model.journey_stages[i]
                                    .maps_to
                                    .push(Ref { target, span: path.span });
                            }
                            Err(failure) => {
                                lost = true;
                                self.diagnostics.extend(failure);
                            }
                        }
                    }
                }
            }
            if lost {
                self.model.damage.stages_with_lost_maps.insert(JourneyStageId(i as u32));
            }
        }
        for i in 0..self.syntax.touchpoints.len() {
            self.resolve_touchpoint(i);
        }
    }

    fn resolve_capability(&mut self, i: usize) {
        let c = self.syntax.capabilities[i];
        let mut seen = Seen::default();
        for item in &c.items {
            match &item.node {
                CapabilityAttr::Owner(team) => {
                    if self.once(&mut seen, "owner", item.span) {
                        self.model.capabilities[i].owner = self.team(team, "owner");
                    }
                }
                CapabilityAttr::Level(n) => {
                    if self.once(&mut seen, "level", item.span) {
                        self.model.capabilities[i].level = self
                            .whole(n, 1, 4, "a capability `level`")
                            .and_then(|l| u8::try_from(l).ok());
                    }
                }
                CapabilityAttr::Parent(p) => {
                    if self.once(&mut seen, "parent", item.span) {
                        let parent = self.names.simple(
                            &self.names.capabilities,
                            RefKind::Capability,
                            "parent",
                            p,
                        );
                        let parent = self.settle(parent);
                        if parent == Some(CapabilityId(i as u32)) {
                            self.push(
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
                }
                CapabilityAttr::Capacity(q) => {
                    if self.once(&mut seen, "capacity", item.span) {
                        let rate = self.rate(q, "a `capacity`", true);
                        self.model.capabilities[i].capacity = rate.map(|r| (r, q.span));
                    }
                }
                CapabilityAttr::Common(_) => {}
            }
        }
    }

    fn resolve_activity(&mut self, i: usize) {
        let a = self.syntax.activities[i];
        let mut seen = Seen::default();
        for item in &a.items {
            match &item.node {
                ActivityAttr::Owner(team) => {
                    if self.once(&mut seen, "owner", item.span) {
                        let owner = self.team(team, "owner");
                        if owner.is_none() {
                            self.model
                                .damage
                                .activities_with_lost_owner
                                .insert(ActivityId(i as u32));
                        }
                        self.model.activities[i].owner = owner;
                    }
                }
                ActivityAttr::Lane(lane) => {
                    if self.once(&mut seen, "lane", item.span) {
                        let lane = self.word(lane, "lane", &Lane::NAMES).map(|n| match n {
                            0 => Lane::Frontstage,
                            1 => Lane::Backstage,
                            _ => Lane::Support,
                        });
                        self.model.activities[i].lane = lane.unwrap_or_default();
                    }
                }
                ActivityAttr::Capability(ids) => {
                    for c in ids {
                        let r = self.names.simple(
                            &self.names.capabilities,
                            RefKind::Capability,
                            "capability",
                            c,
                        );
                        if let Some(target) = self.settle(r) {
                            self.model.activities[i]
                                .capabilities
                                .push(Ref { target, span: c.span });
                        }
                    }
                }
                ActivityAttr::System(ids) => {
                    for s in ids {
                        let r =
                            self.names.simple(&self.names.systems, RefKind::System, "system", s);
                        if let Some(target) = self.settle(r) {
                            self.model.activities[i].systems.push(Ref { target, span: s.span });
                        }
                    }
                }
                ActivityAttr::Process(d) => {
                    if self.once(&mut seen, "process", item.span) {
                        self.model.activities[i].process = self.duration(d);
                    }
                }
                ActivityAttr::Wait(d) => {
                    if self.once(&mut seen, "wait", item.span) {
                        self.model.activities[i].wait = self.duration(d);
                    }
                }
                ActivityAttr::Failure(t) => self.model.activities[i].failures.push(t.value.clone()),
                ActivityAttr::Enabling => {
                    if self.once(&mut seen, "enabling", item.span) {
                        self.model.activities[i].enabling = true;
                    }
                }
                ActivityAttr::Common(_) => {}
            }
        }
    }

    fn resolve_journey(&mut self, i: usize) {
        let j = self.syntax.journeys[i];
        let mut seen = Seen::default();
        for item in &j.items {
            match &item.node {
                JourneyItem::Persona(personas) => {
                    for p in personas {
                        if let Some(r) = self.persona(p, "persona") {
                            self.model.journeys[i].personas.push(r);
                        }
                    }
                }
                JourneyItem::State(s) => {
                    if self.once(&mut seen, "state", item.span) {
                        let state = self.word(s, "state", &State::NAMES);
                        self.model.journeys[i].state =
                            if state == Some(1) { State::Future } else { State::Current };
                    }
                }
                JourneyItem::Volume(q) => {
                    if self.once(&mut seen, "volume", item.span) {
                        self.model.journeys[i].volume = self.rate(q, "a `volume`", false);
                    }
                }
                JourneyItem::Mix(parts) => {
                    if self.once(&mut seen, "mix", item.span) {
                        self.model.journeys[i].mix = self.mix(parts, item.span);
                    }
                }
                JourneyItem::Stage(_) | JourneyItem::Common(_) => {}
            }
        }
    }

    fn resolve_touchpoint(&mut self, i: usize) {
        let t = self.syntax.touchpoints[i];
        let id = TouchpointId(i as u32);
        let mut seen = Seen::default();
        let mut lost = false;
        let mut metric_ids = Vec::new();
        for item in &t.items {
            match &item.node {
                TouchpointItem::Channel(w) => {
                    if self.once(&mut seen, "channel", item.span) {
                        self.model.touchpoints[i].channel = Some(w.value().to_owned());
                    }
                }
                TouchpointItem::Emotion(n) => {
                    if self.once(&mut seen, "emotion", item.span) {
                        self.model.touchpoints[i].emotion = self
                            .whole(n, -3, 3, "an `emotion`")
                            .and_then(|e| Emotion::new(e as i8));
                    }
                }
                TouchpointItem::Reach(n) => {
                    if self.once(&mut seen, "reach", item.span) {
                        if let Some(share) = self.percent(n, "a `reach`") {
                            self.model.touchpoints[i].reach = share;
                        }
                    }
                }
                TouchpointItem::MomentOfTruth => {
                    if self.once(&mut seen, "moment of truth", item.span) {
                        self.model.touchpoints[i].moment_of_truth = Some(item.span);
                    }
                }
                TouchpointItem::Evidence(w) => {
                    self.model.touchpoints[i].evidence.push(w.value().to_owned());
                }
                TouchpointItem::Pain(w) => {
                    self.model.touchpoints[i].pains.push(w.value().to_owned());
                }
                TouchpointItem::Failure(f) => {
                    self.model.touchpoints[i].failures.push(f.value.clone());
                }
                TouchpointItem::Metric(m) => {
                    self.metric_id(&mut metric_ids, m);
                    let metric = self.metric(m);
                    self.model.touchpoints[i].metrics.push(metric);
                }
                TouchpointItem::Opportunity(o) => {
                    let allow = self.model.touchpoints[i].meta.allow;
                    let opportunity = self.opportunity(o, allow);
                    if let Some(first) = self.model.touchpoints[i]
                        .opportunities
                        .iter()
                        .find(|p| p.meta.id == opportunity.meta.id)
                    {
                        let first = first.meta.id_span;
                        self.duplicate(&o.header.id, "opportunity of this touchpoint", first);
                    }
                    self.model.touchpoints[i].opportunities.push(opportunity);
                }
                TouchpointItem::TracesTo(paths) => {
                    for path in paths {
                        match self.names.activity(path) {
                            Ok(activity) => {
                                let trace = TraceId(self.model.traces.len() as u32);
                                self.model.traces.push(Trace {
                                    touchpoint: id,
                                    activity,
                                    span: path.span,
                                });
                                self.model.touchpoints[i].traces.push(trace);
                                self.model.activities[activity.index()].traced_by.push(trace);
                            }
                            Err(failure) => {
                                lost = true;
                                self.diagnostics.extend(failure);
                            }
                        }
                    }
                }
                TouchpointItem::Common(_) => {}
            }
        }
        if lost {
            self.model.damage.touchpoints_with_lost_traces.insert(id);
        }
    }

    /// Reports a metric id already used by a sibling metric.
    fn metric_id(&mut self, seen: &mut Vec<&'a Ident>, m: &'a ast::Metric) {
        let Some(id) = &m.id else { return };
        if let Some(first) = seen.iter().find(|f| f.name == id.name) {
            let first = first.span;
            self.duplicate(id, "metric of this element", first);
        } else {
            seen.push(id);
        }
    }

    fn metric(&mut self, m: &ast::Metric) -> Metric {
        let mut seen = Seen::default();
        let mut metric = Metric {
            id: m.id.as_ref().map(|i| i.name.clone()),
            label: m.label.as_ref().or(None).map_or_else(
                || m.id.as_ref().map_or_else(String::new, |i| i.name.clone()),
                |l: &Text| l.value.clone(),
            ),
            description: m.doc.as_ref().map(|d| d.value.clone()),
            target: None,
            current: None,
            span: m.span,
        };
        let mut description_span = m.doc.as_ref().map(|d| d.span);
        for item in &m.items {
            match &item.node {
                MetricAttr::Target(t) => {
                    if self.once(&mut seen, "target", item.span) {
                        metric.target = Some(t.value.clone());
                    }
                }
                MetricAttr::Current(t) => {
                    if self.once(&mut seen, "current", item.span) {
                        metric.current = Some(t.value.clone());
                    }
                }
                MetricAttr::Common(CommonAttr::Description(t)) => {
                    if let Some(first) = description_span {
                        self.repeated("description", item.span, first);
                    } else {
                        description_span = Some(item.span);
                        metric.description = Some(t.value.clone());
                    }
                }
                MetricAttr::Common(CommonAttr::Allow(codes)) => {
                    for code in codes {
                        self.lint_code(code);
                    }
                }
            }
        }
        metric
    }

    fn opportunity(&mut self, o: &ast::Opportunity, allow: LintSet) -> Opportunity {
        let meta = self.meta(&o.header, &o.items, allow);
        let mut opportunity = Opportunity { meta, impact: None, effort: None, owner: None };
        let mut seen = Seen::default();
        for item in &o.items {
            match &item.node {
                OpportunityAttr::Impact(r) => {
                    if self.once(&mut seen, "impact", item.span) {
                        opportunity.impact = self.rating(r, "impact");
                    }
                }
                OpportunityAttr::Effort(r) => {
                    if self.once(&mut seen, "effort", item.span) {
                        opportunity.effort = self.rating(r, "effort");
                    }
                }
                OpportunityAttr::Owner(team) => {
                    if self.once(&mut seen, "owner", item.span) {
                        opportunity.owner = self.team(team, "owner");
                    }
                }
                OpportunityAttr::Common(_) => {}
            }
        }
        opportunity
    }

    // ------------------------------------------------------------ references

    fn team(&mut self, ident: &Ident, attribute: &str) -> Option<Ref<TeamId>> {
        let r = self.names.simple(&self.names.teams, RefKind::Team, attribute, ident);
        self.settle(r).map(|target| Ref { target, span: ident.span })
    }

    fn persona(&mut self, ident: &Ident, attribute: &str) -> Option<Ref<PersonaId>> {
        let r = self.names.simple(&self.names.personas, RefKind::Persona, attribute, ident);
        self.settle(r).map(|target| Ref { target, span: ident.span })
    }

    /// Keeps a resolved id, or reports why there is none.
    fn settle<I>(&mut self, result: Result<I, Option<Diagnostic>>) -> Option<I> {
        match result {
            Ok(id) => Some(id),
            Err(failure) => {
                self.diagnostics.extend(failure);
                None
            }
        }
    }

    // ------------------------------------------------------------ values

    fn invalid(&mut self, span: Span, message: String, label: &str, help: String) {
        self.push(
            Diagnostic::error(Code::InvalidValue, message, Label::new(span, label)).with_help(help),
        );
    }

    /// A whole number within `min..=max`.
    fn whole(&mut self, n: &ast::Number, min: i64, max: i64, what: &str) -> Option<i64> {
        let v = n.node;
        #[allow(clippy::cast_precision_loss)]
        let in_range = v.fract() == 0.0 && v >= min as f64 && v <= max as f64;
        if in_range {
            #[allow(clippy::cast_possible_truncation)]
            return Some(v as i64);
        }
        let shown = format_number(v);
        // A signed range reads best with explicit signs: "from -3 to +3".
        let max = if min < 0 { format!("+{max}") } else { max.to_string() };
        self.invalid(
            n.span,
            format!("{what} must be a whole number from {min} to {max}, not {shown}"),
            "out of range",
            format!("use a whole number from {min} to {max}"),
        );
        None
    }

    fn percent(&mut self, n: &ast::Number, what: &str) -> Option<Share> {
        let share = Share::from_percent(n.node);
        if share.is_none() {
            self.invalid(
                n.span,
                format!("{what} must be between 0% and 100%, not {}%", format_number(n.node)),
                "out of range",
                "a percentage is a share of the journey's volume, from 0% to 100%".into(),
            );
        }
        share
    }

    fn rate(&mut self, q: &ast::Quantity, what: &str, positive: bool) -> Option<Rate> {
        let amount = q.amount.node;
        // The bounds keep every derived figure (loads, utilisations) finite, so the
        // outputs never carry infinities, which JSON cannot represent.
        let low = if positive { MIN_CAPACITY } else { 0.0 };
        if (low..=MAX_AMOUNT).contains(&amount) {
            return Some(Rate { amount, period: q.period.node });
        }
        let bound = if positive { "greater than 0" } else { "0 or more" };
        let message = if amount > MAX_AMOUNT {
            format!("{what} is too large: at most 10^12")
        } else if positive && amount > 0.0 {
            format!("{what} is too small: at least 10^-6")
        } else {
            format!("{what} must be {bound}, not {}", format_number(amount))
        };
        self.invalid(
            q.amount.span,
            message,
            "out of range",
            format!("write a number {bound}, such as `500 per week`"),
        );
        None
    }

    fn duration(&mut self, d: &ast::Duration) -> Option<f64> {
        let amount = d.amount.node;
        if (0.0..=MAX_AMOUNT).contains(&amount) {
            return Some(amount * d.unit.node.minutes());
        }
        let message = if amount > MAX_AMOUNT {
            "a duration is too large: at most 10^12".to_owned()
        } else {
            format!("a duration must be 0 or more, not {}", format_number(amount))
        };
        self.invalid(
            d.amount.span,
            message,
            "out of range",
            "write a duration such as `15 min` or `2 days`".into(),
        );
        None
    }

    /// One of a fixed set of words: returns its index in `names`.
    fn word(&mut self, ident: &Ident, what: &str, names: &[&str]) -> Option<usize> {
        if let Some(i) = names.iter().position(|n| *n == ident.name) {
            return Some(i);
        }
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let help = match suggest(&ident.name, names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!("{} is {}", article(what), join(&quoted, "or")),
        };
        self.invalid(
            ident.span,
            format!("`{}` is not {}", ident.name, article(what)),
            &format!("expected {}", join(&quoted, "or")),
            help,
        );
        None
    }

    fn rating(&mut self, ident: &Ident, what: &str) -> Option<Rating> {
        self.word(ident, what, &Rating::NAMES).map(|i| match i {
            0 => Rating::Low,
            1 => Rating::Medium,
            _ => Rating::High,
        })
    }

    fn mix(&mut self, parts: &[ast::MixPart], span: Span) -> Option<Mix> {
        const NAMES: [&str; 3] = ["simple", "standard", "complex"];
        let mut shares = [None::<(f64, Span)>; 3];
        let mut ok = true;
        for part in parts {
            let Some(i) = self.word(&part.name, "mix category", &NAMES) else {
                ok = false;
                continue;
            };
            if let Some((_, first)) = shares[i] {
                self.repeated(NAMES[i], part.name.span, first);
                ok = false;
                continue;
            }
            if let Some(s) = Share::from_percent(part.share.node) {
                shares[i] = Some((s.fraction(), part.name.span.to(part.share.span)));
            } else {
                self.percent(&part.share, "a mix share");
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let [simple, standard, complex] = shares.map(|s| s.map_or(0.0, |(f, _)| f));
        let total = simple + standard + complex;
        if (total - 1.0).abs() > 1e-9 {
            self.invalid(
                span,
                format!("the `mix` adds up to {}%, not 100%", format_number(total * 100.0)),
                "shares must add up to 100%",
                "a mix splits the journey's volume: `mix simple 60% standard 30% complex 10%`"
                    .into(),
            );
            return None;
        }
        Some(Mix { simple, standard, complex })
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
    fn what(&self) -> &'static str {
        match self {
            TopName::Persona(_) => "persona",
            TopName::Team(_) => "team",
            TopName::System(_) => "system",
            TopName::Capability(_) => "capability",
            TopName::Stream(_) => "value stream",
            TopName::Journey(_) => "journey",
        }
    }
}

fn lint_list() -> String {
    let names: Vec<String> = Lint::ALL.iter().map(|l| format!("`{}`", l.code())).collect();
    join(&names, "and")
}

fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// A number as users write it: no trailing `.0`.
/// The largest volume, capacity or duration accepted: far beyond any real operation,
/// and small enough that every load and utilisation derived from it stays finite.
const MAX_AMOUNT: f64 = 1e12;

/// The smallest capacity accepted, so that a utilisation is always finite.
const MIN_CAPACITY: f64 = 1e-6;

pub(crate) fn format_number(v: f64) -> String {
    if v.is_infinite() {
        return "a number too large to represent".into();
    }
    // Past 15 digits an f64 no longer holds what was written (`99999999999999999999`
    // would show as `100000000000000000000`), so huge numbers are shown in scientific
    // notation, which says how big without pretending to digits nobody wrote.
    if v.abs() >= 1e15 {
        let s = format!("{v:.3e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}
