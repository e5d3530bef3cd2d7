//! The pages of the model's other views (issue 18): one per value stream, the
//! capability map and the people. Every description written in the sources is on
//! a page; the hospital example's views, as text, are snapshots
//! (`tests/outputs/views-*.snap`); measured kpis show their dates; the lists that
//! grow with the trace links are capped.
//!
//! Their structure, policy and escaping are checked with every other page by
//! `html.rs`, and in a browser by `tests/browser.rs`.

use crate::support::{self, pages};
use journey::model::{Element, Model};
use pages::Token;
use std::fmt::Write as _;
use std::fs;

/// Every description of a model, with what it describes: the `description`
/// attribute or doc comment of every element (`Element::all`, so a new kind of
/// element is counted), kpi and metric.
fn descriptions(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |what: &str, label: &str, d: Option<&str>| {
        if let Some(d) = d {
            out.push((format!("{what} {label:?}"), d.to_owned()));
        }
    };
    for element in Element::all(model) {
        let meta = element.meta(model);
        add(element.kind_name(), &meta.label, meta.description.as_deref());
    }
    let metrics = model.vs_stages.iter().flat_map(|s| s.metrics.iter().map(|m| ("metric", m)));
    let kpis = model.touchpoints.iter().flat_map(|t| t.metrics.iter().map(|m| ("kpi", m)));
    for (what, m) in metrics.chain(kpis) {
        add(what, &m.label, m.description.as_deref());
    }
    out
}

/// The site of a workspace, in memory.
fn site_of(rel: &str) -> (Model, journey::emit::Site) {
    let sources = support::load(rel);
    let analysis = support::analyze_default(&sources);
    let files: Vec<String> = sources.iter().map(|(_, f)| f.path.display().to_string()).collect();
    let input = journey::emit::Input { analysis: &analysis, sources: &sources, files: &files };
    let site = journey::emit::site(input, "Site").expect("the site renders");
    (analysis.model.clone(), site)
}

/// Issue 18: "every description in the sources appears on its element's page".
/// Each description, escaped as the pages escape text, is in some page of the
/// site; the element kinds without a page of their own (systems, metrics) are on
/// the page of the view they belong to.
#[test]
fn every_description_of_every_example_is_on_a_page() {
    let mut problems = Vec::new();
    let mut seen = 0;
    for example in pages::examples().into_iter().chain(["../tests/fixtures/hostile".to_owned()]) {
        let (model, site) = site_of(&format!("examples/{example}"));
        for (what, description) in descriptions(&model) {
            seen += 1;
            let escaped = journey::text::html::escape(&description);
            if !site
                .files
                .iter()
                .any(|(name, text)| name != "traceability.json" && text.contains(&escaped))
            {
                problems.push(format!("{example}: the description of {what} is on no page"));
            }
        }
    }
    assert!(seen > 40, "the examples have only {seen} descriptions");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each kind of description is on the page of its element's view, not only on the
/// overview.
#[test]
fn descriptions_are_on_their_elements_pages() {
    let (model, site) = site_of("examples/hospital-onboarding");
    let page = |name: &str| {
        &site.files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1
    };
    let escaped = |d: &Option<Box<str>>| journey::text::html::escape(d.as_deref().unwrap());
    let stream = page("stream-patient_access_vs.html");
    assert!(stream.contains(&escaped(&model.streams[0].meta.description)));
    let capabilities = page("capabilities.html");
    for c in model.capabilities.iter().filter(|c| c.meta.description.is_some()) {
        assert!(capabilities.contains(&escaped(&c.meta.description)), "{}", c.meta.label);
    }
    for s in model.systems.iter().filter(|s| s.meta.description.is_some()) {
        assert!(capabilities.contains(&escaped(&s.meta.description)), "{}", s.meta.label);
    }
    let people = page("people.html");
    for p in model.personas.iter().filter(|p| p.meta.description.is_some()) {
        assert!(people.contains(&escaped(&p.meta.description)), "{}", p.meta.label);
    }
    for t in model.teams.iter().filter(|t| t.meta.description.is_some()) {
        assert!(people.contains(&escaped(&t.meta.description)), "{}", t.meta.label);
    }
}

/// The text of a page's `<main>`, a line per block and a row of a table per line
/// (cells apart by ` | `), for snapshots that follow what the page says rather
/// than its markup and stylesheet.
fn main_text(html: &str) -> String {
    let tokens = pages::tokenize(html);
    let start = tokens
        .iter()
        .position(|t| matches!(t, Token::Start(tag) if tag.name == "main"))
        .expect("a <main>");
    let inline =
        |name: &str| matches!(name, "a" | "span" | "strong" | "code" | "br" | "svg" | "rect");
    let mut out = String::new();
    let mut line = String::new();
    for token in &tokens[start + 1..] {
        match token {
            Token::End(name) if name == "main" => break,
            Token::Text(text) => line.push_str(text),
            Token::Start(tag)
                if matches!(tag.name.as_str(), "td" | "th") && !line.trim().is_empty() =>
            {
                line.push_str(" | ");
            }
            Token::Start(tag) if matches!(tag.name.as_str(), "td" | "th") => {}
            Token::End(name) if matches!(name.as_str(), "td" | "th") => {}
            Token::Start(tag) if inline(&tag.name) => line.push(' '),
            Token::End(name) if inline(name) => line.push(' '),
            Token::Start(_) | Token::End(_) => flush(&mut line, &mut out),
            _ => {}
        }
    }
    flush(&mut line, &mut out);
    out
}

fn flush(line: &mut String, out: &mut String) {
    let text = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        out.push_str(&text);
        out.push('\n');
    }
    line.clear();
}

/// The hospital example has a future state and measured kpis: its views, as text,
/// built with its measurements file.
#[test]
fn the_hospital_examples_views_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let example = support::root().join("examples/hospital-onboarding");
    let status = pages::journey()
        .arg("build")
        .arg(&example)
        .arg("--measurements")
        .arg(example.join("measurements/kpis.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    for page in ["stream-patient_access_vs.html", "capabilities.html", "people.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        let name = format!("views-hospital-onboarding-{}", page.trim_end_matches(".html"));
        support::snapshot!("tests/outputs", name, main_text(&html), support::Ending::Newline);
    }
    let stream = fs::read_to_string(out.join("stream-patient_access_vs.html")).unwrap();
    // A measured metric shows its value and its date, and whether it is met.
    assert!(
        stream.contains("93%<span class=\"when\"> (measured on 2026-02-28)</span>"),
        "{stream}"
    );
    assert!(stream.contains("status-met") && stream.contains("status-missed"));
    // Both scenarios' ladders, each stage on each.
    assert_eq!(stream.matches("<ol class=\"ladder\">").count(), 2);
    assert_eq!(stream.matches("<li class=\"step\">").count(), 2 * 5);
    let map = fs::read_to_string(out.join("capabilities.html")).unwrap();
    assert!(map.contains("id=\"map-as-is\"") && map.contains("id=\"map-to-be\""));
}

/// Without a future state the views show the as-is only, and say nothing of a to-be.
#[test]
fn a_workspace_without_a_future_state_shows_the_as_is_only() {
    let (model, site) = site_of("examples/insurance-claims");
    assert!(!model.future);
    for (name, html) in &site.files {
        if name.starts_with("stream-") || name == "capabilities.html" {
            let text = main_text(html);
            assert!(text.contains("as-is"), "{name}");
            assert!(!text.contains("to-be"), "{name} speaks of a to-be");
        }
    }
}

/// The lists that grow with the trace links are capped: an activity lists a few of
/// the touchpoints it serves and counts the others, a load's breakdown a few of each
/// journey's touchpoints with their sum, a team a few of its activities. The views
/// then grow with the elements, about linearly with the workspace.
#[test]
fn the_views_of_a_big_workspace_are_capped_and_grow_linearly() {
    let mut sizes = Vec::new();
    for touchpoints in [3_000, 6_000] {
        let tmp = tempfile::tempdir().unwrap();
        support::generate::write(tmp.path(), support::generate::Style::Realistic, touchpoints, 4)
            .unwrap();
        let input = support::generate::size_of(tmp.path()).unwrap();
        let site = pages::build(tmp.path(), None);
        let views = site.view_pages();
        assert!(views.len() > 3, "{views:?}");
        let mut total = 0;
        for page in &views {
            total += fs::metadata(site.path(page)).unwrap().len();
        }
        let map = site.read("capabilities.html");
        assert!(map.contains("more touchpoints</th>"), "no breakdown was capped");
        let people = site.read("people.html");
        assert!(people.contains("<li class=\"more\">and "), "no team's list was capped");
        // The views together stay within a few times the sources (4.5× at 3,000
        // touchpoints: an activity's row with its links is larger than its text).
        assert!(total < 5 * input, "{touchpoints}: views of {total} bytes for {input} of sources");
        sizes.push(total);
    }
    assert!(5 * sizes[1] < 12 * sizes[0], "views grew more than 2.4×: {sizes:?}");
}

/// Page names never clash: a journey named like a view (`people`, `capabilities`)
/// or like a value stream's page (`stream-x`) gets a suffix, and value streams
/// whose ids differ only in case get two pages.
#[test]
fn page_names_of_views_and_journeys_never_clash() {
    let text = "team t\nvalue stream x { stage s { activity a { owner t } } }\n\
                value stream X { stage s { activity b { owner t } } }\n\
                journey people { stage s { touchpoint p { traces to x.a } } }\n\
                journey capabilities { stage s { touchpoint p { traces to X.b } } }\n\
                journey stream-x { stage s { touchpoint p { traces to x.a } } }\n";
    let sources = support::single(text);
    let analysis = support::analyze_default(&sources);
    let files = vec!["test.journey".to_owned()];
    let input = journey::emit::Input { analysis: &analysis, sources: &sources, files: &files };
    let site = journey::emit::site(input, "Site").unwrap();
    let names: Vec<&str> = site.files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "index.html",
            "people-2.html",
            "capabilities-2.html",
            "stream-x.html",
            "stream-x-2.html",
            "stream-X-3.html",
            "capabilities.html",
            "people.html",
            "traceability.json"
        ]
    );
    // The stream's activities link to the touchpoints on their journeys' pages.
    let stream = &site.files[4].1;
    assert!(stream.contains("href=\"people-2.html#tp-people.s.p\""), "{stream}");
    assert!(stream.contains("href=\"stream-x.html#tp-stream-x.s.p\""), "{stream}");
}

/// The navigation lists every value stream of a small workspace, and none of a big
/// one, whose streams would make it longer than the page; a stream's page is then
/// none of its links, and the overview's list of every page links them all.
#[test]
fn the_navigation_lists_the_value_streams_of_a_small_workspace_only() {
    let nav_links = |streams: usize| {
        let mut text = String::from("team t\n");
        for i in 0..streams {
            writeln!(text, "value stream v{i} {{ stage s {{ activity a {{ owner t }} }} }}")
                .unwrap();
        }
        text.push_str("journey j { stage s { touchpoint p { traces to v0.a } } }\n");
        let sources = support::single(&text);
        let analysis = support::analyze_default(&sources);
        let files = vec!["test.journey".to_owned()];
        let input = journey::emit::Input { analysis: &analysis, sources: &sources, files: &files };
        let site = journey::emit::site(input, "Site").unwrap();
        let page = &site.files.iter().find(|(n, _)| n == "stream-v0.html").unwrap().1;
        let nav = &page[page.find("<nav").unwrap()..page.find("</nav>").unwrap()];
        // The overview's list of every page has each stream, in or out of the
        // navigation.
        let index = &site.files.iter().find(|(n, _)| n == "index.html").unwrap().1;
        let every = &index[index.find("id=\"pages\"").unwrap()..];
        let every = &every[..every.find("</ul>").unwrap()];
        for i in 0..streams {
            assert!(every.contains(&format!("href=\"stream-v{i}.html\"")), "{streams}: v{i}");
        }
        (
            nav.matches("<li>").count(),
            nav.contains("aria-current"),
            page.contains("<h1>v0</h1>"),
            every.matches("<li>").count(),
        )
    };
    // The journey, the streams, the capability map and the people (and the JSON on
    // the overview's list).
    assert_eq!(nav_links(20), (1 + 20 + 2, true, true, 1 + 20 + 2 + 1));
    assert_eq!(nav_links(21), (1 + 2, false, true, 1 + 21 + 2 + 1));
}

/// The capability map nests each capability's tile in its parent's, however deep
/// the tree and wherever a branch ends: each tile sits at its depth in the tree, and
/// every list of tiles is closed.
#[test]
fn capability_tiles_nest_as_the_tree() {
    let text = "capability a \"A\" { level 1 }\ncapability b \"B\" { level 2 parent a }\n\
                capability c \"C\" { level 3 parent b }\ncapability g \"G\" { level 4 parent c }\n\
                capability d \"D\" { level 2 parent a }\ncapability e \"E\" { level 1 }\n\
                capability f \"F\" { level 2 parent e }\ncapability h \"H\" { level 1 }\n";
    let sources = support::single(text);
    let analysis = support::analyze_default(&sources);
    let files = vec!["test.journey".to_owned()];
    let input = journey::emit::Input { analysis: &analysis, sources: &sources, files: &files };
    let site = journey::emit::site(input, "Site").unwrap();
    let page = &site.files.iter().find(|(n, _)| n == "capabilities.html").unwrap().1;
    let tokens = pages::tokenize(page);
    let start = tokens
        .iter()
        .position(|t| matches!(t, Token::Start(tag) if tag.has_class("capmap")))
        .expect("a map");
    // The depth of the lists around each tile's link, and the lists left open.
    let (mut depth, mut tiles) = (0_i32, Vec::new());
    let mut in_link = false;
    for token in &tokens[start..] {
        match token {
            Token::Start(tag) if tag.name == "ul" => depth += 1,
            Token::End(name) if name == "ul" => depth -= 1,
            Token::Start(tag) if tag.name == "a" => in_link = true,
            Token::End(name) if name == "a" => in_link = false,
            Token::Text(label) if in_link => tiles.push((label.clone(), depth)),
            Token::End(name) if name == "section" => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "a list of tiles is left open");
    let expected: Vec<(String, i32)> =
        [("A", 1), ("B", 2), ("C", 3), ("G", 4), ("D", 2), ("E", 1), ("F", 2), ("H", 1)]
            .into_iter()
            .map(|(l, d)| (l.to_owned(), d))
            .collect();
    assert_eq!(tiles, expected);
    let map = &page[page.find("<section class=\"capmap\"").unwrap()..];
    let map = &map[..map.find("</section>").unwrap()];
    assert_eq!(map.matches("<li class=\"tile").count(), 8);
    assert_eq!(map.matches("</li>").count(), 8, "every tile is closed");
}

/// Issue 18, "done when": every label of every example is on a page, as every
/// description is (above).
#[test]
fn every_label_of_every_example_is_on_a_page() {
    let mut problems = Vec::new();
    for example in pages::examples().into_iter().chain(["../tests/fixtures/hostile".to_owned()]) {
        let (model, site) = site_of(&format!("examples/{example}"));
        let mut labels: Vec<(&str, &str)> = Vec::new();
        labels.extend(model.personas.iter().map(|x| ("persona", x.meta.label.as_str())));
        labels.extend(model.teams.iter().map(|x| ("team", x.meta.label.as_str())));
        labels.extend(model.systems.iter().map(|x| ("system", x.meta.label.as_str())));
        labels.extend(model.capabilities.iter().map(|x| ("capability", x.meta.label.as_str())));
        labels.extend(model.streams.iter().map(|x| ("value stream", x.meta.label.as_str())));
        labels
            .extend(model.vs_stages.iter().map(|x| ("value-stream stage", x.meta.label.as_str())));
        labels.extend(model.activities.iter().map(|x| ("activity", x.meta.label.as_str())));
        labels.extend(model.journeys.iter().map(|x| ("journey", x.meta.label.as_str())));
        labels
            .extend(model.journey_stages.iter().map(|x| ("journey stage", x.meta.label.as_str())));
        labels.extend(model.touchpoints.iter().map(|x| ("touchpoint", x.meta.label.as_str())));
        for s in &model.vs_stages {
            labels.extend(s.metrics.iter().map(|m| ("metric", m.label.as_str())));
        }
        for t in &model.touchpoints {
            labels.extend(t.metrics.iter().map(|m| ("kpi", m.label.as_str())));
            labels.extend(t.opportunities.iter().map(|o| ("opportunity", o.meta.label.as_str())));
        }
        for (what, label) in labels {
            let escaped = journey::text::html::escape(label);
            if !site
                .files
                .iter()
                .any(|(name, text)| name != "traceability.json" && text.contains(&escaped))
            {
                problems.push(format!("{example}: the {what} {label:?} is on no page"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
