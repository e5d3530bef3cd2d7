//! Every attribute of every kind of element, as the model holds it, listed once.
//!
//! `journey diff` compares two versions of an element through these lists and the
//! editor's hover shows them, so an attribute added to the model reaches both. Each
//! list destructures its element without `..`: a field added to an element does not
//! compile until it is listed here, or named as what it is instead (a parent, a
//! derived list). The keywords are the vocabulary's (`syntax/vocabulary.rs`); a test
//! holds every keyword of every block to an attribute here.

use super::{
    Activity, Capability, Element, Emotion, Journey, JourneyStage, Meta, Metric, Mix, Model,
    Opportunity, Persona, Rate, Ref, Share, System, Team, Touchpoint, ValueStream, VsStage,
};

/// One attribute of an element: its keyword and its value.
#[derive(Debug, Clone)]
pub struct Attribute<'m> {
    /// The keyword, as the language writes it (`moment of truth`).
    pub keyword: &'static str,
    pub value: Value<'m>,
}

/// What an attribute holds.
#[derive(Debug, Clone)]
pub enum Value<'m> {
    /// A single-valued attribute (`owner`): unset, or its value. Attributes with a
    /// default (`lane`, `reach`) are always set.
    One(Option<Single<'m>>),
    /// A repeated attribute (`pain`): every value, in source order.
    Many(Vec<Single<'m>>),
    /// The `kpi`s of a touchpoint or the `metric`s of a value-stream stage.
    Metrics(&'m [Metric]),
    /// The opportunities of a touchpoint.
    Opportunities(&'m [Opportunity]),
}

/// One value, typed: how it is shown is for each output to decide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Single<'m> {
    Text(&'m str),
    /// A reference to another element.
    Element(Element),
    /// A whole number (`level`).
    Whole(u8),
    Emotion(Emotion),
    Share(Share),
    Rate(Rate),
    /// A duration, in minutes.
    Minutes(f64),
    Flag(bool),
    /// One of a fixed set of words (a lane, a state, a rating).
    Word(&'static str),
    Mix(Mix),
}

impl<'m> Attribute<'m> {
    fn one(keyword: &'static str, value: Option<Single<'m>>) -> Attribute<'m> {
        Attribute { keyword, value: Value::One(value) }
    }

    fn many(keyword: &'static str, values: impl IntoIterator<Item = Single<'m>>) -> Attribute<'m> {
        Attribute { keyword, value: Value::Many(values.into_iter().collect()) }
    }
}

/// The attributes of an element, `description` first, then in the order the
/// language reference lists them. The `allow` lists are not attributes of what an
/// element means: they change what is reported about it, which every output shows.
pub fn of(model: &Model, element: Element) -> Vec<Attribute<'_>> {
    let mut out = Vec::new();
    match element {
        Element::Persona(id) => {
            let Persona { meta } = &model[id];
            out.push(description(meta));
        }
        Element::Team(id) => {
            let Team { meta } = &model[id];
            out.push(description(meta));
        }
        Element::System(id) => {
            let System { meta, owner } = &model[id];
            out.push(description(meta));
            out.push(Attribute::one("owner", reference(*owner, Element::Team)));
        }
        Element::Capability(id) => {
            let Capability { meta, owner, level, parent, capacity } = &model[id];
            out.push(description(meta));
            out.push(Attribute::one("level", level.map(Single::Whole)));
            out.push(Attribute::one("parent", reference(*parent, Element::Capability)));
            out.push(Attribute::one("owner", reference(*owner, Element::Team)));
            out.push(Attribute::one("capacity", capacity.map(|(rate, _)| Single::Rate(rate))));
        }
        Element::Stream(id) => {
            // Its stages are children, not attributes.
            let ValueStream { meta, stakeholders, stages: _ } = &model[id];
            out.push(description(meta));
            out.push(Attribute::many("stakeholder", references(stakeholders, Element::Persona)));
        }
        Element::VsStage(id) => {
            // Its stream is its parent; its activities are children.
            let VsStage { meta, stream: _, entrance, exit, value, metrics, activities: _ } =
                &model[id];
            out.push(description(meta));
            out.push(Attribute::many("entrance", texts(entrance)));
            out.push(Attribute::many("exit", texts(exit)));
            out.push(Attribute::many("value", texts(value)));
            out.push(Attribute { keyword: "metric", value: Value::Metrics(metrics) });
        }
        Element::Activity(id) => {
            // Its stream and stage are its parents; `traced_by` is derived from the
            // touchpoints' `traces to`.
            let Activity {
                meta,
                stream: _,
                stage: _,
                owner,
                lane,
                state,
                capabilities,
                systems,
                process,
                wait,
                accuracy,
                failures,
                enabling,
                traced_by: _,
            } = &model[id];
            out.push(description(meta));
            out.push(Attribute::one("owner", reference(*owner, Element::Team)));
            out.push(Attribute::one("lane", Some(Single::Word(lane.as_str()))));
            out.push(Attribute::one("state", Some(Single::Word(state.as_str()))));
            out.push(Attribute::many("capability", references(capabilities, Element::Capability)));
            out.push(Attribute::many("system", references(systems, Element::System)));
            out.push(Attribute::one("process", process.map(Single::Minutes)));
            out.push(Attribute::one("wait", wait.map(Single::Minutes)));
            out.push(Attribute::one("accuracy", accuracy.map(Single::Share)));
            out.push(Attribute::many("failure", texts(failures)));
            out.push(Attribute::one("enabling", Some(Single::Flag(*enabling))));
        }
        Element::Journey(id) => {
            // Its stages are children.
            // `replaced` is derived from the future journeys' `replaces`.
            let Journey { meta, personas, state, replaces, replaced: _, volume, mix, stages: _ } =
                &model[id];
            out.push(description(meta));
            out.push(Attribute::many("persona", references(personas, Element::Persona)));
            out.push(Attribute::one("state", Some(Single::Word(state.as_str()))));
            out.push(Attribute::one("replaces", reference(*replaces, Element::Journey)));
            out.push(Attribute::one("volume", volume.map(Single::Rate)));
            out.push(Attribute::one("mix", mix.map(Single::Mix)));
        }
        Element::JourneyStage(id) => {
            // Its journey is its parent, its touchpoints children; `maps_to_span` is
            // where its `maps to` is written.
            let JourneyStage { meta, journey: _, maps_to, maps_to_span: _, touchpoints: _ } =
                &model[id];
            out.push(description(meta));
            out.push(Attribute::many("maps to", references(maps_to, Element::VsStage)));
        }
        Element::Touchpoint(id) => {
            // Its journey and stage are its parents.
            let Touchpoint {
                meta,
                journey: _,
                stage: _,
                channel,
                emotion,
                reach,
                moment_of_truth,
                evidence,
                pains,
                failures,
                metrics,
                opportunities,
                traces,
            } = &model[id];
            out.push(description(meta));
            out.push(Attribute::one("channel", channel.as_deref().map(Single::Text)));
            out.push(Attribute::one("emotion", emotion.map(Single::Emotion)));
            out.push(Attribute::one("reach", Some(Single::Share(*reach))));
            out.push(Attribute::one(
                "moment of truth",
                Some(Single::Flag(moment_of_truth.is_some())),
            ));
            out.push(Attribute::many("evidence", texts(evidence)));
            out.push(Attribute::many("pain", texts(pains)));
            out.push(Attribute::many("failure", texts(failures)));
            out.push(Attribute { keyword: "kpi", value: Value::Metrics(metrics) });
            out.push(Attribute {
                keyword: "opportunity",
                value: Value::Opportunities(opportunities),
            });
            out.push(Attribute::many(
                "traces to",
                traces.iter().map(|&t| Single::Element(Element::Activity(model[t].activity))),
            ));
        }
        Element::Opportunity(t, i) => return of_opportunity(&model[t].opportunities[i]),
    }
    out
}

/// The attributes of an opportunity, `description` first.
pub fn of_opportunity(opportunity: &Opportunity) -> Vec<Attribute<'_>> {
    let Opportunity { meta, impact, effort, owner } = opportunity;
    vec![
        description(meta),
        Attribute::one("impact", impact.map(|r| Single::Word(r.as_str()))),
        Attribute::one("effort", effort.map(|r| Single::Word(r.as_str()))),
        Attribute::one("owner", reference(*owner, Element::Team)),
    ]
}

/// The attributes of a `kpi` or `metric`, `description` first.
pub fn of_metric(metric: &Metric) -> Vec<Attribute<'_>> {
    // Its id and label are its name; its span is where it is written; `allow` is
    // not an attribute (see `of`).
    let Metric { id: _, label: _, description, target, current, allow: _, span: _ } = metric;
    vec![
        Attribute::one("description", description.as_deref().map(Single::Text)),
        Attribute::one("target", target.as_ref().map(|t| Single::Text(&t.written))),
        Attribute::one("current", current.as_ref().map(|c| Single::Text(&c.written))),
    ]
}

fn description(meta: &Meta) -> Attribute<'_> {
    // The id, label and spans are the element's name and place; `allow` is not an
    // attribute (see `of`).
    let Meta { id: _, label: _, description, id_span: _, span: _, allow: _ } = meta;
    Attribute::one("description", description.as_deref().map(Single::Text))
}

fn reference<I: Copy>(r: Option<Ref<I>>, element: fn(I) -> Element) -> Option<Single<'static>> {
    r.map(|r| Single::Element(element(r.target)))
}

fn references<'m, I: Copy + 'm>(
    refs: impl IntoIterator<Item = &'m Ref<I>>,
    element: fn(I) -> Element,
) -> impl Iterator<Item = Single<'m>> {
    refs.into_iter().map(move |r| Single::Element(element(r.target)))
}

fn texts(texts: &[String]) -> impl Iterator<Item = Single<'_>> {
    texts.iter().map(|t| Single::Text(t))
}
