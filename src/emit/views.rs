//! The pages of the model's other views, beside the journeys: one page per value
//! stream (`stream-<id>.html`), the capability map (`capabilities.html`) and the
//! people (`people.html`). They share the journeys' frame (`html::Page`): the same
//! navigation, stylesheet and Content-Security-Policy.

use super::capmap::CapabilityMap;
use super::html::Page;
use super::links::Links;
use super::people::People;
use super::stream::StreamPage;
use super::{Input, buffered};
use crate::model::{Figures, Model, StreamId};
use askama::Template;

/// Makes a page's frame: its heading, its place in the navigation and the level of
/// its sections' headings.
pub(super) type Frame<'f, 'a> = dyn Fn(Option<&str>, Option<usize>, u8) -> Page<'a> + Sync + 'f;

/// Where the views are in the navigation.
#[derive(Clone, Copy)]
pub(super) struct Places {
    /// The first value stream's link, when the navigation lists the streams.
    pub(super) streams: Option<usize>,
    /// The capability map's link; the people's follows it.
    pub(super) capabilities: usize,
}

/// Whether each activity is waste, indexed by `ActivityId`, for the streams' pages.
pub(super) fn waste(model: &Model, figures: &Figures) -> Vec<bool> {
    let mut waste = vec![false; model.activities.len()];
    for a in &figures.waste {
        waste[a.index()] = true;
    }
    waste
}

/// Renders the page of value stream `i` into `out`; `waste` is [`waste`]'s.
pub(super) fn stream(
    input: Input<'_>,
    links: Links<'_>,
    waste: &[bool],
    i: usize,
    places: Places,
    frame: &Frame<'_, '_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let s = StreamPage::of(links, &input.analysis.figures, waste, StreamId(i as u32));
    // A stream the navigation does not list is none of its links.
    let current = places.streams.map_or(usize::MAX, |first| first + i);
    let page = StreamTemplate { page: frame(Some(s.label), Some(current), 1), s };
    buffered(out, |out| out.template(&page))
}

/// Renders the capability map into `out`.
pub(super) fn capabilities(
    input: Input<'_>,
    links: Links<'_>,
    places: Places,
    frame: &Frame<'_, '_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let map = CapabilityMap::of(links, &input.analysis.figures);
    let page = CapabilitiesTemplate {
        page: frame(Some("Capability map"), Some(places.capabilities), 1),
        map,
    };
    buffered(out, |out| out.template(&page))
}

/// Renders the people's page into `out`.
pub(super) fn people(
    input: Input<'_>,
    links: Links<'_>,
    places: Places,
    frame: &Frame<'_, '_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let people = People::of(links, &input.analysis.figures);
    let page =
        PeopleTemplate { page: frame(Some("People"), Some(places.capabilities + 1), 1), people };
    buffered(out, |out| out.template(&page))
}

#[derive(Template)]
#[template(path = "stream.html", config = "src/emit/askama.toml")]
struct StreamTemplate<'a> {
    page: Page<'a>,
    s: StreamPage<'a>,
}

#[derive(Template)]
#[template(path = "capabilities.html", config = "src/emit/askama.toml")]
struct CapabilitiesTemplate<'a> {
    page: Page<'a>,
    map: CapabilityMap<'a>,
}

#[derive(Template)]
#[template(path = "people.html", config = "src/emit/askama.toml")]
struct PeopleTemplate<'a> {
    page: Page<'a>,
    people: People<'a>,
}
