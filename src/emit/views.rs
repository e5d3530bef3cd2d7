//! The pages of the model's other views, beside the journeys: one page per value
//! stream (`stream-<id>.html`), the capability map (`capabilities.html`) and the
//! people (`people.html`). They share the journeys' frame (`html::Page`): the same
//! navigation, stylesheet and Content-Security-Policy.

use super::capmap::CapabilityMap;
use super::html::Page;
use super::links::{self, CAPABILITIES, Links, PEOPLE};
use super::people::People;
use super::stream::StreamPage;
use super::{Input, Sink};
use crate::model::StreamId;
use askama::Template;
use rayon::prelude::*;

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

/// Writes every value stream's page, the capability map and the people's page.
pub(super) fn write(
    input: Input<'_>,
    links: Links<'_>,
    files: &[String],
    places: Places,
    frame: &Frame<'_, '_>,
    sink: &dyn Sink,
) -> std::io::Result<()> {
    let figures = &input.analysis.figures;
    let model = links.model;
    let mut waste = vec![false; model.activities.len()];
    for a in &figures.waste {
        waste[a.index()] = true;
    }
    let (streams_written, (map, people)) = rayon::join(
        || {
            files.par_iter().enumerate().try_for_each(|(i, file)| {
                let s = StreamPage::of(links, figures, &waste, StreamId(i as u32));
                // A stream the navigation does not list is none of its links.
                let current = places.streams.map_or(usize::MAX, |first| first + i);
                let page = StreamTemplate { page: frame(Some(s.label), Some(current), 1), s };
                links::write(sink, file, &page)
            })
        },
        || {
            rayon::join(
                || {
                    let map = CapabilityMap::of(links, figures);
                    let page = CapabilitiesTemplate {
                        page: frame(Some("Capability map"), Some(places.capabilities), 1),
                        map,
                    };
                    links::write(sink, CAPABILITIES, &page)
                },
                || {
                    let people = People::of(links, figures);
                    let page = PeopleTemplate {
                        page: frame(Some("People"), Some(places.capabilities + 1), 1),
                        people,
                    };
                    links::write(sink, PEOPLE, &page)
                },
            )
        },
    );
    streams_written?;
    map?;
    people
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
