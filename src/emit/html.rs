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
use super::section::JourneySection;
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

/// Writes `index.html` and every journey's page into `sink`, and returns their
/// names in the site's order.
pub(super) fn pages_into(
    input: Input<'_>,
    names: &Names,
    title: &str,
    sink: &dyn Sink,
) -> std::io::Result<Vec<String>> {
    let model = &input.analysis.model;
    let heat: Vec<Heat> = input.analysis.figures.loads.as_is.iter().map(Heat::of).collect();
    let (files, stream_files) = page_names(model);
    let journey_files = files.clone();
    // Sections and pages are independent of each other, so they are built in
    // parallel; `collect` keeps them in journey order, so the output is the same.
    let journeys: Vec<JourneySection<'_>> = files
        .clone()
        .into_par_iter()
        .enumerate()
        .map(|(j, file)| JourneySection::of(input, names, &heat, JourneyId(j as u32), file, &files))
        .collect();
    let links = Links { model, names, journeys: &journey_files, streams: &stream_files };
    let mut nav: Vec<NavLink<'_>> =
        journeys.iter().map(|j| NavLink { href: &j.page, label: j.label }).collect();
    // A big workspace's streams would make every page's navigation longer than
    // the page (500 streams at 100,000 touchpoints); the overview lists them.
    let streams_in_nav = model.streams.len() <= NAV_STREAMS;
    if streams_in_nav {
        nav.extend(
            model
                .streams
                .iter()
                .zip(&stream_files)
                .map(|(s, f)| NavLink { href: f, label: &s.meta.label }),
        );
    }
    nav.push(NavLink { href: CAPABILITIES, label: "Capability map" });
    nav.push(NavLink { href: PEOPLE, label: "People" });
    let every_page: Vec<NavLink<'_>> = if streams_in_nav {
        nav.clone()
    } else {
        let (journey_links, views) = nav.split_at(journeys.len());
        let streams = model
            .streams
            .iter()
            .zip(&stream_files)
            .map(|(s, f)| NavLink { href: f, label: &s.meta.label });
        journey_links.iter().cloned().chain(streams).chain(views.iter().cloned()).collect()
    };
    let first_view = journeys.len();
    let places = views::Places {
        streams: streams_in_nav.then_some(first_view),
        capabilities: nav.len() - 2,
    };
    let page = |heading: Option<&'_ str>, current: Option<usize>, level: u8| Page {
        heading: heading.map(str::to_owned),
        site: title,
        csp: csp(),
        css: CSS,
        nav: &nav,
        current,
        version: env!("CARGO_PKG_VERSION"),
        files: input.files.len(),
        level,
    };
    let index = "index.html";
    let ((written, pages), model_pages) = rayon::join(
        || {
            rayon::join(
                || {
                    let overview =
                        Overview::of(input, names, &heat, &journeys, &files, &stream_files);
                    let page =
                        IndexPage { page: page(None, None, 1), overview, every_page: &every_page };
                    sink.file(index, &|out| buffered(out, |out| out.template(&page)))
                },
                || {
                    journeys.par_iter().enumerate().try_for_each(|(i, j)| {
                        let page = JourneyPage { page: page(Some(j.label), Some(i), 1), j };
                        sink.file(&j.page, &|out| buffered(out, |out| out.template(&page)))
                    })
                },
            )
        },
        || views::write(input, links, &stream_files, places, &page, sink),
    );
    written?;
    pages?;
    model_pages?;
    let mut out = vec![index.to_owned()];
    out.extend(journeys.iter().map(|j| j.page.clone()));
    out.extend(stream_files.iter().cloned());
    out.extend([CAPABILITIES.to_owned(), PEOPLE.to_owned()]);
    Ok(out)
}

/// The most value streams the navigation lists; past it, it lists none.
const NAV_STREAMS: usize = 20;

/// Page file names: `<journey-id>.html` for journeys, then `stream-<id>.html` for
/// value streams, made unique ignoring case (so that the site also works on
/// case-insensitive file systems) and never one of the site's own pages
/// (`index.html`, `capabilities.html`, `people.html`); a clash gets a numeric
/// suffix, in source order.
fn page_names(model: &Model) -> (Vec<String>, Vec<String>) {
    let mut taken = std::collections::HashSet::from(
        ["index", CAPABILITIES, PEOPLE].map(|n| n.trim_end_matches(".html").to_owned()),
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
