//! The HTML pages: `index.html` (the overview, `overview.rs`) and one page per
//! journey (`section.rs`, with `blueprint.rs` and, for a future journey that replaces
//! a current one, `compare.rs`). The templates live in `src/emit/templates/`; askama escapes every value
//! for HTML text and attributes, and no value from the sources is ever placed in a
//! URL, a script or a stylesheet.
//!
//! The pages run no script at all. Their Content-Security-Policy allows nothing but
//! the one inline stylesheet, by its hash, so even markup that slipped through
//! escaping could neither run code nor load anything.

use super::heat::Heat;
use super::links::{CAPABILITIES, Links, PEOPLE};
use super::overview::Overview;
use super::section::{JourneySection, JourneySummary};
use super::{Input, Names, Sink, buffered, views};
use crate::model::{JourneyId, Model};
use askama::Template;
use base64::Engine;
use rayon::prelude::*;
use sha2::Digest;

/// The stylesheet, inlined into every page: the generated ones and `journey
/// serve`'s own.
const CSS: &str = concat!(include_str!("templates/style.css"), include_str!("templates/views.css"));

/// The Content-Security-Policy of every page: nothing may load or run but the one
/// inline stylesheet, allowed by its hash. `journey serve`'s copies extend it for
/// their reload script (`serve/live.rs`).
pub(crate) fn csp() -> &'static str {
    static CSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSP.get_or_init(|| {
        let hash = sha2::Sha256::digest(CSS.as_bytes());
        format!(
            "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
            base64::engine::general_purpose::STANDARD.encode(hash)
        )
    })
}

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Which {
    /// `index.html`, the overview.
    Index,
    /// A journey's page, by `JourneyId`.
    Journey(usize),
    /// A value stream's page, by `StreamId`.
    Stream(usize),
    Capabilities,
    People,
}

/// The site's pages in its order (that of [`super::Site`]), with their names:
/// `journeys` and `streams` are the pages' names of [`page_names`].
pub(super) fn order<'n>(
    journeys: &'n [String],
    streams: &'n [String],
) -> impl Iterator<Item = (Which, &'n str)> {
    std::iter::once((Which::Index, INDEX))
        .chain(journeys.iter().enumerate().map(|(i, n)| (Which::Journey(i), n.as_str())))
        .chain(streams.iter().enumerate().map(|(i, n)| (Which::Stream(i), n.as_str())))
        .chain([(Which::Capabilities, CAPABILITIES), (Which::People, PEOPLE)])
}

/// The overview's page.
const INDEX: &str = "index.html";

/// Writes `index.html` and every other page into `sink`, in parallel, and returns
/// their names in the site's order.
pub(super) fn pages_into(
    input: Input<'_>,
    names: &Names,
    title: &str,
    sink: &dyn Sink,
) -> std::io::Result<Vec<String>> {
    let (journeys, streams) = page_names(&input.analysis.model);
    let layout = Layout::of(input, names, title, &journeys, &streams);
    let pages: Vec<(Which, &str)> = order(&journeys, &streams).collect();
    // Pages are independent of each other, so they are rendered in parallel; each
    // goes to its own file, so the output does not depend on the order.
    pages
        .par_iter()
        .try_for_each(|&(which, name)| sink.file(name, &|out| layout.write(which, out)))?;
    Ok(pages.iter().map(|(_, name)| (*name).to_owned()).collect())
}

/// What every page of one site shares: the input, the pages' names, the
/// navigation and the heat of each capability. Making it costs a pass over the
/// journeys, streams, capabilities and activities, never over the touchpoints, so
/// `journey serve` makes one for each page it renders.
pub(super) struct Layout<'a> {
    input: Input<'a>,
    names: &'a Names,
    title: &'a str,
    /// Each journey's page, indexed by `JourneyId`.
    journeys: &'a [String],
    /// Each value stream's page, indexed by `StreamId`.
    streams: &'a [String],
    heat: Vec<Heat>,
    nav: Vec<NavLink<'a>>,
    /// Every page, value streams included when the navigation leaves them out.
    every_page: Vec<NavLink<'a>>,
    places: views::Places,
    /// Whether each activity is waste, for the value streams' pages.
    waste: Vec<bool>,
}

impl<'a> Layout<'a> {
    pub(super) fn of(
        input: Input<'a>,
        names: &'a Names,
        title: &'a str,
        journeys: &'a [String],
        streams: &'a [String],
    ) -> Layout<'a> {
        let model = &input.analysis.model;
        let heat: Vec<Heat> = input.analysis.figures.loads.as_is.iter().map(Heat::of).collect();
        let mut nav: Vec<NavLink<'a>> = model
            .journeys
            .iter()
            .zip(journeys)
            .map(|(j, f)| NavLink { href: f, label: &j.meta.label })
            .collect();
        let stream_links = || {
            model
                .streams
                .iter()
                .zip(streams)
                .map(|(s, f)| NavLink { href: f, label: &s.meta.label })
        };
        // A big workspace's streams would make every page's navigation longer than
        // the page (500 streams at 100,000 touchpoints); the overview lists them.
        let streams_in_nav = model.streams.len() <= NAV_STREAMS;
        if streams_in_nav {
            nav.extend(stream_links());
        }
        nav.push(NavLink { href: CAPABILITIES, label: "Capability map" });
        nav.push(NavLink { href: PEOPLE, label: "People" });
        let every_page: Vec<NavLink<'a>> = if streams_in_nav {
            nav.clone()
        } else {
            let (journey_links, views) = nav.split_at(journeys.len());
            journey_links
                .iter()
                .cloned()
                .chain(stream_links())
                .chain(views.iter().cloned())
                .collect()
        };
        let places = views::Places {
            streams: streams_in_nav.then_some(journeys.len()),
            capabilities: nav.len() - 2,
        };
        let waste = views::waste(model, &input.analysis.figures);
        Layout { input, names, title, journeys, streams, heat, nav, every_page, places, waste }
    }

    /// The frame of one page.
    fn page(&self, heading: Option<&str>, current: Option<usize>, level: u8) -> Page<'_> {
        Page {
            heading: heading.map(str::to_owned),
            site: self.title,
            csp: csp(),
            css: CSS,
            nav: &self.nav,
            current,
            version: env!("CARGO_PKG_VERSION"),
            files: self.input.files.len(),
            level,
        }
    }

    /// Renders one page into `out`: only what that page shows is built (the
    /// overview reads a summary of each journey, never a journey's section).
    pub(super) fn write(&self, which: Which, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let input = self.input;
        let links = Links {
            model: &input.analysis.model,
            names: self.names,
            journeys: self.journeys,
            streams: self.streams,
        };
        let frame = |heading: Option<&str>, current: Option<usize>, level: u8| {
            self.page(heading, current, level)
        };
        match which {
            Which::Index => {
                let summaries = JourneySummary::all(input, self.journeys);
                let overview = Overview::of(
                    input,
                    self.names,
                    &self.heat,
                    &summaries,
                    self.journeys,
                    self.streams,
                );
                let page = IndexPage {
                    page: self.page(None, None, 1),
                    overview,
                    every_page: &self.every_page,
                };
                buffered(out, |out| out.template(&page))
            }
            Which::Journey(i) => {
                let j = JourneySection::of(
                    input,
                    self.names,
                    &self.heat,
                    JourneyId(i as u32),
                    self.journeys,
                );
                let page = JourneyPage { page: self.page(Some(j.label), Some(i), 1), j: &j };
                buffered(out, |out| out.template(&page))
            }
            Which::Stream(i) => {
                views::stream(input, links, &self.waste, i, self.places, &frame, out)
            }
            Which::Capabilities => views::capabilities(input, links, self.places, &frame, out),
            Which::People => views::people(input, links, self.places, &frame, out),
        }
    }
}

/// The most value streams the navigation lists; past it, it lists none.
const NAV_STREAMS: usize = 20;

/// Page file names: `<journey-id>.html` for journeys, then `stream-<id>.html` for
/// value streams, made unique ignoring case (so that the site also works on
/// case-insensitive file systems) and never one of the site's own pages
/// (`index.html`, `capabilities.html`, `people.html`); a clash gets a numeric
/// suffix, in source order.
pub(super) fn page_names(model: &Model) -> (Vec<String>, Vec<String>) {
    let mut taken = std::collections::HashSet::from(
        [INDEX, CAPABILITIES, PEOPLE].map(|n| n.trim_end_matches(".html").to_owned()),
    );
    let mut unique = |base: String| {
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        format!("{name}.html")
    };
    let journeys = model.journeys.iter().map(|j| unique(j.meta.id.clone())).collect();
    let streams = model.streams.iter().map(|s| unique(format!("stream-{}", s.meta.id))).collect();
    (journeys, streams)
}

/// What every page shares: the head, the navigation and the footer
/// (`templates/base.html`).
pub(crate) struct Page<'a> {
    /// What the page is about, before the site's title in the `<title>`; `None` on
    /// the overview. Kept apart so that each is escaped and isolated on its own.
    pub(crate) heading: Option<String>,
    pub(crate) site: &'a str,
    pub(crate) csp: &'a str,
    pub(crate) css: &'static str,
    pub(crate) nav: &'a [NavLink<'a>],
    /// The journey whose page this is; `None` on the overview.
    pub(crate) current: Option<usize>,
    pub(crate) version: &'static str,
    pub(crate) files: usize,
    /// The level of a journey section's first heading: 1, since a section is the
    /// whole of its page (the overview shows no section).
    pub(crate) level: u8,
}

impl<'a> Page<'a> {
    /// The frame of a page that `journey serve` shows in place of the site's: the
    /// same head, policy and stylesheet, headed `heading · site`, without the
    /// journeys' navigation (`serve/templates/served.html` replaces the masthead and
    /// the footer).
    pub(crate) fn served(site: &'a str, heading: String) -> Page<'a> {
        Page {
            heading: Some(heading),
            site,
            csp: csp(),
            css: CSS,
            nav: &[],
            current: None,
            version: env!("CARGO_PKG_VERSION"),
            files: 0,
            level: 1,
        }
    }

    // Templates pass loop indexes by reference.
    #[allow(clippy::trivially_copy_pass_by_ref)]
    pub(crate) fn is_current(&self, journey: &usize) -> bool {
        self.current == Some(*journey)
    }
}

#[derive(Clone)]
pub(crate) struct NavLink<'a> {
    pub(crate) href: &'a str,
    pub(crate) label: &'a str,
}

#[derive(Template)]
#[template(path = "index.html", config = "src/emit/askama.toml")]
struct IndexPage<'a> {
    page: Page<'a>,
    overview: Overview<'a>,
    /// Every page of the site, value streams included when the navigation leaves
    /// them out.
    every_page: &'a [NavLink<'a>],
}

#[derive(Template)]
#[template(path = "journey.html", config = "src/emit/askama.toml")]
struct JourneyPage<'a> {
    page: Page<'a>,
    j: &'a JourneySection<'a>,
}
