//! The symbol index: for every element of the model, where it is declared and
//! every place that names it, built after each analysis. Definition, references,
//! hover, rename and semantic tokens all start from the occurrence under a cursor.

use crate::model::{
    ActivityId, CapabilityId, JourneyId, JourneyStageId, Meta, Model, PersonaId, Ref, StreamId,
    SystemId, TeamId, TouchpointId, VsStageId,
};
use crate::source::{FileId, Span};
use crate::syntax::Kind;
use std::collections::HashMap;

/// An element that can be named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Persona(PersonaId),
    Team(TeamId),
    System(SystemId),
    Capability(CapabilityId),
    Stream(StreamId),
    VsStage(VsStageId),
    Activity(ActivityId),
    Journey(JourneyId),
    JourneyStage(JourneyStageId),
    Touchpoint(TouchpointId),
    /// The opportunity at this index of the touchpoint's `opportunities`.
    Opportunity(TouchpointId, usize),
}

impl Symbol {
    pub fn meta(self, model: &Model) -> &Meta {
        match self {
            Symbol::Persona(id) => &model[id].meta,
            Symbol::Team(id) => &model[id].meta,
            Symbol::System(id) => &model[id].meta,
            Symbol::Capability(id) => &model[id].meta,
            Symbol::Stream(id) => &model[id].meta,
            Symbol::VsStage(id) => &model[id].meta,
            Symbol::Activity(id) => &model[id].meta,
            Symbol::Journey(id) => &model[id].meta,
            Symbol::JourneyStage(id) => &model[id].meta,
            Symbol::Touchpoint(id) => &model[id].meta,
            Symbol::Opportunity(t, i) => &model[t].opportunities[i].meta,
        }
    }

    /// What kind of element it is.
    pub fn kind(self) -> Kind {
        match self {
            Symbol::Persona(_) => Kind::Persona,
            Symbol::Team(_) => Kind::Team,
            Symbol::System(_) => Kind::System,
            Symbol::Capability(_) => Kind::Capability,
            Symbol::Stream(_) => Kind::ValueStream,
            Symbol::VsStage(_) => Kind::VsStage,
            Symbol::Activity(_) => Kind::Activity,
            Symbol::Journey(_) => Kind::Journey,
            Symbol::JourneyStage(_) => Kind::JourneyStage,
            Symbol::Touchpoint(_) => Kind::Touchpoint,
            Symbol::Opportunity(..) => Kind::Opportunity,
        }
    }

    /// What the element is, in the words of the language.
    pub fn kind_name(self) -> &'static str {
        self.kind().singular()
    }

    /// The name outputs use: `stream.activity`, `journey.stage.touchpoint`.
    pub fn qualified(self, model: &Model) -> String {
        let id = &self.meta(model).id;
        match self {
            Symbol::VsStage(s) => format!("{}.{id}", model[model[s].stream].meta.id),
            Symbol::Activity(a) => format!("{}.{id}", model[model[a].stream].meta.id),
            Symbol::JourneyStage(s) => format!("{}.{id}", model[model[s].journey].meta.id),
            Symbol::Touchpoint(t) => {
                let t = &model[t];
                format!("{}.{}.{id}", model[t.journey].meta.id, model[t.stage].meta.id)
            }
            Symbol::Opportunity(t, _) => format!("{}.{id}", Symbol::Touchpoint(t).qualified(model)),
            _ => id.clone(),
        }
    }

    /// Every element of a model, in arena order.
    pub fn all(model: &Model) -> impl Iterator<Item = Symbol> + '_ {
        let n = |len: usize| (0..len).map(|i| i as u32);
        n(model.personas.len())
            .map(|i| Symbol::Persona(PersonaId(i)))
            .chain(n(model.teams.len()).map(|i| Symbol::Team(TeamId(i))))
            .chain(n(model.systems.len()).map(|i| Symbol::System(SystemId(i))))
            .chain(n(model.capabilities.len()).map(|i| Symbol::Capability(CapabilityId(i))))
            .chain(n(model.streams.len()).map(|i| Symbol::Stream(StreamId(i))))
            .chain(n(model.vs_stages.len()).map(|i| Symbol::VsStage(VsStageId(i))))
            .chain(n(model.activities.len()).map(|i| Symbol::Activity(ActivityId(i))))
            .chain(n(model.journeys.len()).map(|i| Symbol::Journey(JourneyId(i))))
            .chain(n(model.journey_stages.len()).map(|i| Symbol::JourneyStage(JourneyStageId(i))))
            .chain(n(model.touchpoints.len()).flat_map(move |i| {
                let t = TouchpointId(i);
                std::iter::once(Symbol::Touchpoint(t)).chain(
                    (0..model[t].opportunities.len()).map(move |o| Symbol::Opportunity(t, o)),
                )
            }))
    }
}

/// One place an element's id is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Exactly the id: for a path `stream.activity`, the part that names this element.
    pub span: Span,
    pub symbol: Symbol,
    /// Whether this is the declaration rather than a reference.
    pub definition: bool,
}

/// Every occurrence of every element, by file and by element.
#[derive(Debug, Default)]
pub struct Index {
    /// Per file, sorted by position.
    by_file: Vec<Vec<Occurrence>>,
    /// The references to each element (declarations excluded), in source order.
    references: HashMap<Symbol, Vec<Span>>,
}

impl Index {
    /// Indexes a model; `text` gives each file's text, to split paths into parts.
    pub fn build<'t>(model: &Model, files: usize, text: impl Fn(FileId) -> &'t str) -> Index {
        let mut index = Index { by_file: vec![Vec::new(); files], references: HashMap::new() };
        for symbol in Symbol::all(model) {
            let span = symbol.meta(model).id_span;
            index.add(Occurrence { span, symbol, definition: true });
        }
        let mut refs: Vec<(Span, Symbol)> = Vec::new();
        let simple = |refs: &mut Vec<(Span, Symbol)>, r: Option<&Ref<TeamId>>| {
            if let Some(r) = r {
                refs.push((r.span, Symbol::Team(r.target)));
            }
        };
        for s in &model.systems {
            simple(&mut refs, s.owner.as_ref());
        }
        for c in &model.capabilities {
            simple(&mut refs, c.owner.as_ref());
            if let Some(p) = c.parent {
                refs.push((p.span, Symbol::Capability(p.target)));
            }
        }
        for s in &model.streams {
            refs.extend(s.stakeholders.iter().map(|p| (p.span, Symbol::Persona(p.target))));
        }
        for a in &model.activities {
            simple(&mut refs, a.owner.as_ref());
            refs.extend(a.capabilities.iter().map(|c| (c.span, Symbol::Capability(c.target))));
            refs.extend(a.systems.iter().map(|s| (s.span, Symbol::System(s.target))));
        }
        for j in &model.journeys {
            refs.extend(j.personas.iter().map(|p| (p.span, Symbol::Persona(p.target))));
        }
        for t in &model.touchpoints {
            for o in &t.opportunities {
                simple(&mut refs, o.owner.as_ref());
            }
        }
        // Paths: the item names the member, the head (if written) its value stream.
        let path = |refs: &mut Vec<(Span, Symbol)>, span: Span, item: Symbol, stream| {
            let written = text(span.file).get(span.range()).unwrap_or("");
            match written.find('.') {
                Some(dot) => {
                    let dot = span.start as usize + dot;
                    refs.push((
                        Span::new(span.file, span.start as usize, dot),
                        Symbol::Stream(stream),
                    ));
                    refs.push((Span::new(span.file, dot + 1, span.end as usize), item));
                }
                None => refs.push((span, item)),
            }
        };
        for st in &model.journey_stages {
            for m in &st.maps_to {
                path(&mut refs, m.span, Symbol::VsStage(m.target), model[m.target].stream);
            }
        }
        for t in &model.traces {
            path(&mut refs, t.span, Symbol::Activity(t.activity), model[t.activity].stream);
        }
        for (span, symbol) in refs {
            index.add(Occurrence { span, symbol, definition: false });
            index.references.entry(symbol).or_default().push(span);
        }
        for file in &mut index.by_file {
            file.sort_by_key(|o| (o.span.start, o.span.end));
        }
        for spans in index.references.values_mut() {
            spans.sort();
        }
        index
    }

    fn add(&mut self, occurrence: Occurrence) {
        if let Some(file) = self.by_file.get_mut(occurrence.span.file.0 as usize) {
            file.push(occurrence);
        }
    }

    /// The occurrence at a byte offset: the one containing it, or the one ending
    /// there (a cursor just after an id is on it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<Occurrence> {
        let list = self.by_file.get(file.0 as usize)?;
        let after = list.partition_point(|o| o.span.start as usize <= offset);
        let candidate = list[..after].last()?;
        (offset <= candidate.span.end as usize).then_some(*candidate)
    }

    /// The occurrences in a file, in order.
    pub fn in_file(&self, file: FileId) -> &[Occurrence] {
        self.by_file.get(file.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// Where an element is named, its declaration excluded.
    pub fn references(&self, symbol: Symbol) -> &[Span] {
        self.references.get(&symbol).map_or(&[], Vec::as_slice)
    }
}
