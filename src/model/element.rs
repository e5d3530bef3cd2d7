//! Any element of the model, by kind and id.

use super::{
    ActivityId, CapabilityId, JourneyId, JourneyStageId, Meta, Model, PersonaId, StreamId,
    SystemId, TeamId, TouchpointId, VsStageId,
};
use crate::syntax::Kind;

/// An element of the model, by its id: what the editor's features point at, and
/// what an attribute refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
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

impl Element {
    /// The element of a kind at an index of its arena; `None` for metrics and
    /// opportunities, which are held by other elements rather than in arenas.
    pub fn nth(kind: Kind, index: usize) -> Option<Element> {
        let id = index as u32;
        Some(match kind {
            Kind::Persona => Element::Persona(PersonaId(id)),
            Kind::Team => Element::Team(TeamId(id)),
            Kind::System => Element::System(SystemId(id)),
            Kind::Capability => Element::Capability(CapabilityId(id)),
            Kind::ValueStream => Element::Stream(StreamId(id)),
            Kind::VsStage => Element::VsStage(VsStageId(id)),
            Kind::Activity => Element::Activity(ActivityId(id)),
            Kind::Journey => Element::Journey(JourneyId(id)),
            Kind::JourneyStage => Element::JourneyStage(JourneyStageId(id)),
            Kind::Touchpoint => Element::Touchpoint(TouchpointId(id)),
            Kind::Metric | Kind::Opportunity => return None,
        })
    }

    pub fn meta(self, model: &Model) -> &Meta {
        match self {
            Element::Persona(id) => &model[id].meta,
            Element::Team(id) => &model[id].meta,
            Element::System(id) => &model[id].meta,
            Element::Capability(id) => &model[id].meta,
            Element::Stream(id) => &model[id].meta,
            Element::VsStage(id) => &model[id].meta,
            Element::Activity(id) => &model[id].meta,
            Element::Journey(id) => &model[id].meta,
            Element::JourneyStage(id) => &model[id].meta,
            Element::Touchpoint(id) => &model[id].meta,
            Element::Opportunity(t, i) => &model[t].opportunities[i].meta,
        }
    }

    /// What kind of element it is.
    pub fn kind(self) -> Kind {
        match self {
            Element::Persona(_) => Kind::Persona,
            Element::Team(_) => Kind::Team,
            Element::System(_) => Kind::System,
            Element::Capability(_) => Kind::Capability,
            Element::Stream(_) => Kind::ValueStream,
            Element::VsStage(_) => Kind::VsStage,
            Element::Activity(_) => Kind::Activity,
            Element::Journey(_) => Kind::Journey,
            Element::JourneyStage(_) => Kind::JourneyStage,
            Element::Touchpoint(_) => Kind::Touchpoint,
            Element::Opportunity(..) => Kind::Opportunity,
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
            Element::VsStage(s) => format!("{}.{id}", model[model[s].stream].meta.id),
            Element::Activity(a) => format!("{}.{id}", model[model[a].stream].meta.id),
            Element::JourneyStage(s) => format!("{}.{id}", model[model[s].journey].meta.id),
            Element::Touchpoint(t) => {
                let t = &model[t];
                format!("{}.{}.{id}", model[t.journey].meta.id, model[t.stage].meta.id)
            }
            Element::Opportunity(t, _) => {
                format!("{}.{id}", Element::Touchpoint(t).qualified(model))
            }
            _ => id.clone(),
        }
    }

    /// Every element of a model, in arena order.
    pub fn all(model: &Model) -> impl Iterator<Item = Element> + '_ {
        let n = |len: usize| (0..len).map(|i| i as u32);
        n(model.personas.len())
            .map(|i| Element::Persona(PersonaId(i)))
            .chain(n(model.teams.len()).map(|i| Element::Team(TeamId(i))))
            .chain(n(model.systems.len()).map(|i| Element::System(SystemId(i))))
            .chain(n(model.capabilities.len()).map(|i| Element::Capability(CapabilityId(i))))
            .chain(n(model.streams.len()).map(|i| Element::Stream(StreamId(i))))
            .chain(n(model.vs_stages.len()).map(|i| Element::VsStage(VsStageId(i))))
            .chain(n(model.activities.len()).map(|i| Element::Activity(ActivityId(i))))
            .chain(n(model.journeys.len()).map(|i| Element::Journey(JourneyId(i))))
            .chain(n(model.journey_stages.len()).map(|i| Element::JourneyStage(JourneyStageId(i))))
            .chain(n(model.touchpoints.len()).flat_map(move |i| {
                let t = TouchpointId(i);
                std::iter::once(Element::Touchpoint(t)).chain(
                    (0..model[t].opportunities.len()).map(move |o| Element::Opportunity(t, o)),
                )
            }))
    }
}
