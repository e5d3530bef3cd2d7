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
use super::overview::Overview;
use super::section::JourneySection;
use super::{Input, Names, Sink, buffered};
use crate::model::{JourneyId, Model};
use askama::Template;
use base64::Engine;
use rayon::prelude::*;
use sha2::Digest;

/// The stylesheet, inlined into every page: the generated ones and `journey
/// serve`'s own.
const CSS: &str = include_str!("templates/style.css");

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
    let files = page_names(model);
    // Sections and pages are independent of each other, so they are built in
    // parallel; `collect` keeps them in journey order, so the output is the same.
    let journeys: Vec<JourneySection<'_>> = files
        .clone()
        .into_par_iter()
        .enumerate()
        .map(|(j, file)| JourneySection::of(input, names, &heat, JourneyId(j as u32), file, &files))
        .collect();
    let nav: Vec<NavLink<'_>> =
        journeys.iter().map(|j| NavLink { href: &j.page, label: j.label }).collect();
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
    let (written, pages) = rayon::join(
        || {
            let overview = Overview::of(input, names, &heat, &journeys, &files);
            let page = IndexPage { page: page(None, None, 1), overview };
            sink.file(index, &|out| buffered(out, |out| out.template(&page)))
        },
        || {
            journeys.par_iter().enumerate().try_for_each(|(i, j)| {
                let page = JourneyPage { page: page(Some(j.label), Some(i), 1), j };
                sink.file(&j.page, &|out| buffered(out, |out| out.template(&page)))
            })
        },
    );
    written?;
    pages?;
    let mut out = vec![index.to_owned()];
    out.extend(journeys.iter().map(|j| j.page.clone()));
    Ok(out)
}

/// Page file names: `<journey-id>.html`, made unique ignoring case (so that the site
/// also works on case-insensitive file systems) and never `index.html`; a clash gets
/// a numeric suffix, in source order.
fn page_names(model: &Model) -> Vec<String> {
    let mut taken = std::collections::HashSet::from(["index".to_owned()]);
    model
        .journeys
        .iter()
        .map(|j| {
            let base = j.meta.id.clone();
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            format!("{name}.html")
        })
        .collect()
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

pub(crate) struct NavLink<'a> {
    pub(crate) href: &'a str,
    pub(crate) label: &'a str,
}

#[derive(Template)]
#[template(path = "index.html", config = "src/emit/askama.toml")]
struct IndexPage<'a> {
    page: Page<'a>,
    overview: Overview<'a>,
}

#[derive(Template)]
#[template(path = "journey.html", config = "src/emit/askama.toml")]
struct JourneyPage<'a> {
    page: Page<'a>,
    j: &'a JourneySection<'a>,
}
