//! The HTML pages of `journey build`, read without a browser: their structure
//! (doctype, language, headings, tables, ids and links), that they are
//! self-contained and locked down by their Content-Security-Policy, that every
//! touchpoint is on the pages it belongs on, and that hostile text from the
//! workspace (`tests/fixtures/hostile/`) is shown as text and never becomes markup.
//!
//! Every structural check runs over every example and over the hostile workspace.
//! The same pages in a real browser: `tests/browser.rs`, a crate of its own.

use crate::support::{self, pages};

use base64::Engine as _;
use pages::{Site, Tag, Token};
use sha2::Digest as _;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

/// Every example's site, then the hostile workspace's.
fn sites() -> Vec<(String, Site)> {
    let mut out: Vec<(String, Site)> =
        pages::examples().into_iter().map(|e| (e.clone(), pages::build_example(&e))).collect();
    out.push(("hostile".to_owned(), hostile()));
    out
}

fn hostile() -> Site {
    pages::build(&pages::hostile_dir(), Some(pages::HOSTILE_TITLE))
}

/// A check of one page: the site, the page's name, its text and its tokens; returns
/// the problems found, one per line.
type Check = fn(&Site, &str, &str, &[Token]) -> Vec<String>;

/// Runs `check` on every page of every site; fails with every problem found.
fn for_every_page(check: Check) {
    let mut problems = Vec::new();
    let mut pages_seen = 0;
    for (name, site) in sites() {
        let pages = site.pages();
        assert!(pages.len() >= 2, "{name}: no journey page was written: {:?}", site.files);
        for page in pages {
            let html = site.read(&page);
            let tokens = pages::tokenize(&html);
            problems.extend(
                check(&site, &page, &html, &tokens)
                    .into_iter()
                    .map(|p| format!("{name}/{page}: {p}")),
            );
            pages_seen += 1;
        }
    }
    assert!(pages_seen > 0);
    assert!(problems.is_empty(), "{} problems:\n  {}", problems.len(), problems.join("\n  "));
}

fn tags<'a>(tokens: &'a [Token], name: &'a str) -> impl Iterator<Item = &'a Tag> {
    pages::start_tags(tokens).filter(move |t| t.name == name)
}

// ------------------------------------------------------------------ documents

#[test]
fn every_page_is_an_english_html5_document() {
    for_every_page(document_problems);
}

fn document_problems(_site: &Site, _page: &str, html: &str, tokens: &[Token]) -> Vec<String> {
    let mut problems = Vec::new();
    if !html.starts_with("<!doctype html>") {
        let start: String = html.chars().take(40).collect();
        problems.push(format!("does not start with `<!doctype html>`: {start:?}"));
    }
    let roots: Vec<&Tag> = tags(tokens, "html").collect();
    if roots.len() != 1 || roots[0].attr("lang") != Some("en") {
        problems.push(format!("expected one <html lang=\"en\">, found {roots:?}"));
    }
    if tags(tokens, "head").count() != 1 || tags(tokens, "body").count() != 1 {
        problems.push("expected one <head> and one <body>".to_owned());
    }
    if tags(tokens, "meta").filter(|t| t.attr("charset") == Some("utf-8")).count() != 1 {
        problems.push("expected one <meta charset=\"utf-8\">".to_owned());
    }
    problems
}

#[test]
fn every_page_has_exactly_one_h1() {
    for_every_page(heading_problems);
}

fn heading_problems(_site: &Site, _page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let n = tags(tokens, "h1").count();
    if n == 1 { vec![] } else { vec![format!("{n} <h1> elements")] }
}

#[test]
fn the_content_security_policy_allows_only_the_inline_stylesheet_by_its_hash() {
    for_every_page(policy_problems);
}

fn policy_problems(_site: &Site, _page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let mut problems = Vec::new();
    let styles: Vec<usize> = positions(tokens, "style");
    let [style] = styles[..] else {
        return vec![format!("{} <style> elements, expected one", styles.len())];
    };
    let Some(Token::Raw(css)) = tokens.get(style + 1) else {
        return vec!["the <style> element has no content".to_owned()];
    };
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(css));
    let metas: Vec<usize> = positions(tokens, "meta")
        .into_iter()
        .filter(|&i| {
            tag_at(tokens, i)
                .attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"))
        })
        .collect();
    let [meta] = metas[..] else {
        return vec![format!("{} Content-Security-Policy <meta> elements", metas.len())];
    };
    if meta > style {
        problems.push("the policy comes after the stylesheet, which it then does not cover".into());
    }
    let policy = tag_at(tokens, meta).attr("content").unwrap_or_default();
    let directives: BTreeMap<&str, Vec<&str>> = policy
        .split(';')
        .map(str::split_ascii_whitespace)
        .filter_map(|mut words| Some((words.next()?, words.collect())))
        .collect();
    if directives.get("default-src") != Some(&vec!["'none'"]) {
        problems.push(format!("`default-src` is not exactly 'none' in {policy:?}"));
    }
    let expected = format!("'sha256-{hash}'");
    if directives.get("style-src") != Some(&vec![expected.as_str()]) {
        problems.push(format!(
            "`style-src` should be exactly {expected} (the stylesheet's hash) in {policy:?}"
        ));
    }
    for (name, values) in &directives {
        if *name != "style-src" && values.iter().any(|v| *v != "'none'") {
            problems.push(format!("`{name}` allows {values:?}"));
        }
    }
    // An inline `style` attribute would be blocked by this policy.
    for tag in pages::start_tags(tokens) {
        if tag.attr("style").is_some() {
            problems.push(format!("a `style` attribute, which the policy blocks: {tag:?}"));
        }
    }
    problems
}

fn positions(tokens: &[Token], name: &str) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Token::Start(tag) if tag.name == name))
        .map(|(i, _)| i)
        .collect()
}

fn tag_at(tokens: &[Token], i: usize) -> &Tag {
    match &tokens[i] {
        Token::Start(tag) => tag,
        other => panic!("not a start tag: {other:?}"),
    }
}

#[test]
fn pages_are_self_contained_and_run_no_script() {
    for_every_page(self_containment_problems);
}

fn self_containment_problems(
    _site: &Site,
    _page: &str,
    html: &str,
    tokens: &[Token],
) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        problems.push("contains `<script`".to_owned());
    }
    for tag in pages::start_tags(tokens) {
        if tag.name == "link"
            && tag.attr("rel").is_some_and(|r| r.to_ascii_lowercase().contains("stylesheet"))
        {
            problems.push(format!("a stylesheet link: {tag:?}"));
        }
        for (name, value) in &tag.attrs {
            let url_attribute = ["src", "href", "srcset", "action", "formaction", "poster"]
                .contains(&name.as_str())
                || name.ends_with(":href")
                || (tag.name == "object" && name == "data");
            let value = value.trim().to_ascii_lowercase();
            if url_attribute
                && (value.contains("http://")
                    || value.contains("https://")
                    || value.starts_with("//"))
            {
                problems.push(format!("an external URL in `{name}` of <{}>: {value}", tag.name));
            }
            if name.starts_with("on") {
                problems.push(format!("an event handler `{name}` on <{}>", tag.name));
            }
        }
    }
    for token in tokens {
        if let Token::Raw(css) = token {
            let css = css.to_ascii_lowercase();
            for bad in ["@import", "url("] {
                if css.contains(bad) {
                    problems.push(format!("the stylesheet contains `{bad}`"));
                }
            }
        }
    }
    problems
}

// ------------------------------------------------------------------ content

/// A journey's touchpoints are on its page, once; the overview shows none (it
/// stays small however many there are).
#[test]
fn every_touchpoint_appears_once_on_its_journey_page_and_nowhere_else() {
    for_every_page(touchpoint_problems);
}

fn touchpoint_problems(site: &Site, page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let expected = site.expected_touchpoints(page);
    let mut problems = pages::touchpoint_problems(tokens, &expected);
    for tag in pages::start_tags(tokens) {
        let Some(path) = tag.attr("data-touchpoint") else { continue };
        if tag.name != "article"
            || !tag.has_class("tp")
            || tag.attr("id") != Some(&format!("tp-{path}"))
        {
            problems.push(format!(
                "touchpoint `{path}` is not an <article class=\"tp\" id=\"tp-{path}\">: {tag:?}"
            ));
        }
    }
    problems
}

#[test]
fn every_journey_has_its_page() {
    for (name, site) in sites() {
        let journeys = site.journeys();
        assert!(!journeys.is_empty(), "{name} has no journey");
        let mut expected: Vec<String> = journeys.iter().map(|j| j.page.clone()).collect();
        expected.push("index.html".to_owned());
        expected.extend(site.view_pages());
        expected.sort();
        assert_eq!(site.pages().iter().cloned().collect::<BTreeSet<_>>(), {
            expected.into_iter().collect::<BTreeSet<_>>()
        });
        assert!(site.files.contains(&"traceability.json".to_owned()), "{name}: {:?}", site.files);
    }
}

#[test]
fn every_activity_card_names_an_activity() {
    for_every_page(activity_problems);
}

fn activity_problems(site: &Site, page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let activities = site.activities();
    let mut problems = Vec::new();
    let mut cards = 0;
    for tag in pages::start_tags(tokens) {
        if tag.name == "div" && tag.has_class("act") {
            cards += 1;
            match tag.attr("data-activity") {
                Some(path) if activities.iter().any(|a| a == path) => {}
                other => problems.push(format!("an activity card names {other:?}")),
            }
        }
    }
    if cards == 0 && site.is_journey_page(page) {
        problems.push("no activity card in the blueprint".to_owned());
    }
    problems
}

#[test]
fn every_table_has_header_cells() {
    for_every_page(table_problems);
}

fn table_problems(_site: &Site, _page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let mut problems = Vec::new();
    // For each open table: its class and how many <th> it has so far.
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut tables = 0;
    for token in tokens {
        match token {
            Token::Start(tag) if tag.name == "table" => {
                tables += 1;
                open.push((tag.attr("class").unwrap_or_default().to_owned(), 0));
            }
            Token::Start(tag) if tag.name == "th" => match open.last_mut() {
                Some((_, n)) => *n += 1,
                None => problems.push("a <th> outside any table".to_owned()),
            },
            Token::End(name) if name == "table" => match open.pop() {
                Some((class, 0)) => problems.push(format!("table `{class}` has no <th>")),
                Some(_) => {}
                None => problems.push("a </table> without a table".to_owned()),
            },
            _ => {}
        }
    }
    if !open.is_empty() {
        problems.push(format!("{} unclosed tables", open.len()));
    }
    if tables == 0 {
        problems.push("no table at all".to_owned());
    }
    problems
}

#[test]
fn ids_are_unique_and_every_in_page_link_has_its_target() {
    for_every_page(id_problems);
}

fn id_problems(_site: &Site, _page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let mut problems = Vec::new();
    let ids =
        pages::counts(pages::start_tags(tokens).filter_map(|t| t.attr("id")).map(str::to_owned));
    for (id, n) in &ids {
        if *n > 1 {
            problems.push(format!("id `{id}` is used {n} times"));
        }
        if id.is_empty() || id.contains(char::is_whitespace) {
            problems.push(format!("id {id:?} is empty or has white space"));
        }
    }
    for tag in pages::start_tags(tokens) {
        for name in ["aria-labelledby", "aria-describedby"] {
            for target in tag.attr(name).unwrap_or_default().split_ascii_whitespace() {
                if !ids.contains_key(target) {
                    problems.push(format!("`{name}=\"{target}\"` on <{}> has no target", tag.name));
                }
            }
        }
    }
    let mut links = 0;
    for tag in pages::start_tags(tokens) {
        let Some(target) = tag.attr("href").and_then(|h| h.strip_prefix('#')) else { continue };
        links += 1;
        if !ids.contains_key(target) {
            problems
                .push(format!("`href=\"#{target}\"` on <{}> has no `id=\"{target}\"`", tag.name));
        }
    }
    if links == 0 {
        problems.push("no in-page link at all (the skip link is missing)".to_owned());
    }
    problems
}

#[test]
fn every_link_to_another_page_names_a_file_that_was_written() {
    for_every_page(page_link_problems);
}

fn page_link_problems(site: &Site, page: &str, _html: &str, tokens: &[Token]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut pages_linked = BTreeSet::new();
    for tag in pages::start_tags(tokens) {
        let Some(href) = tag.attr("href") else { continue };
        if href.starts_with('#') {
            continue;
        }
        let file = href.split('#').next().unwrap();
        if file.contains(['/', '\\', ':', '?']) || !site.files.iter().any(|f| f == file) {
            problems.push(format!("`href=\"{href}\"` names no file of the site"));
        }
        if let Some(fragment) = href.split_once('#').map(|(_, f)| f) {
            let target = pages::tokenize(&site.read(file));
            if !pages::start_tags(&target).any(|t| t.attr("id") == Some(fragment)) {
                problems.push(format!("`href=\"{href}\"`: {file} has no id `{fragment}`"));
            }
        }
        pages_linked.insert(file.to_owned());
    }
    // The navigation links every page from every page.
    for other in site.pages() {
        if !pages_linked.contains(&other) {
            problems.push(format!("no link to {other} from {page}"));
        }
    }
    problems
}

// ------------------------------------------------------------------ hostile input

#[test]
fn the_hostile_workspace_is_hostile_and_checks_with_warnings_only() {
    let text = pages::hostile_text();
    let values = pages::string_values(&text);
    for payload in pages::PAYLOADS {
        assert!(
            values.iter().filter(|v| v.contains(payload)).count() >= 3,
            "the hostile fixture should use {payload:?} at least three times"
        );
    }
    let emoji = values.iter().filter(|v| v.chars().any(|c| u32::from(c) > 0xFFFF)).count();
    assert!(emoji >= 3, "the hostile fixture should use emoji at least three times");
    let output = pages::journey().arg("check").arg(pages::hostile_dir()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(" 0 errors,"), "{stderr}");
}

#[test]
fn hostile_text_never_becomes_markup() {
    let site = hostile();
    let mut problems = Vec::new();
    for page in site.pages() {
        let html = site.read(&page);
        problems.extend(pages::markup_problems(&html).into_iter().map(|p| format!("{page}: {p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn hostile_text_is_shown_as_text_escaped_exactly_once() {
    let site = hostile();
    let journey = &site.journeys()[0];
    for page in site.pages() {
        let html = site.read(&page);
        let tokens = pages::tokenize(&html);
        let texts: Vec<&str> = pages::texts(&tokens).collect();
        // Decoded once, the text is the workspace's string again: not left raw (it
        // would be markup), not escaped twice (`&amp;lt;` would show as such). The
        // journey pages show every kind of string; the other views some of them.
        let payloads: &[&str] =
            if site.is_journey_page(&page) { &pages::PAYLOADS } else { &pages::PAYLOADS[..3] };
        for payload in payloads {
            assert!(texts.iter().any(|t| t.contains(payload)), "{page}: no text shows {payload:?}");
        }
        // Template syntax in a value is not evaluated: it is never template code.
        assert!(html.contains("{{ 7*7 }}"), "{page}: `{{{{ 7*7 }}}}` is not in the page");
        assert!(html.contains("{% if true %}x{% endif %}"), "{page}");
        assert!(!html.contains("&amp;&lt;"), "{page}: `&amp;&lt;` was not escaped");
        let page_heading = view_heading(&site, &page).unwrap_or_else(|| journey.label.clone());
        let expected_title = if page == "index.html" {
            pages::HOSTILE_TITLE.to_owned()
        } else {
            format!("{page_heading} · {}", pages::HOSTILE_TITLE)
        };
        // A label with direction controls is isolated (U+2068 … U+2069); that is the
        // only change to its text.
        let unisolated = |t: &str| t.replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(pages::title(&tokens).map(|t| unisolated(&t)), Some(expected_title), "{page}");
        let h1 =
            tokens.iter().position(|t| matches!(t, Token::Start(t) if t.name == "h1")).unwrap();
        let Some(Token::Text(heading)) = tokens.get(h1 + 1) else {
            panic!("{page}: the <h1> does not start with text");
        };
        let expected = if page == "index.html" { pages::HOSTILE_TITLE } else { &page_heading };
        // (A future journey's heading goes on with a badge, after a space.)
        assert_eq!(unisolated(heading.trim_end()), expected, "{page}: the <h1>");
    }
}

/// The heading of a page of the model's other views: the value stream's label, or
/// the view's name; `None` for the index and the journeys' pages.
fn view_heading(site: &Site, page: &str) -> Option<String> {
    match page {
        "capabilities.html" => return Some("Capability map".to_owned()),
        "people.html" => return Some("People".to_owned()),
        _ => {}
    }
    let id = page.strip_prefix("stream-")?.strip_suffix(".html")?;
    let streams = site.json["value_streams"].as_array()?;
    let stream = streams.iter().find(|v| v["id"] == id)?;
    Some(stream["label"].as_str()?.to_owned())
}

/// The pages of the hostile workspace have exactly the elements and attributes of
/// the pages of its twin, where every string is harmless: no string added, closed
/// or broke out of anything.
#[test]
fn hostile_pages_have_the_markup_of_their_harmless_twin() {
    let text = pages::hostile_text();
    let twin_dir = tempfile::tempdir().unwrap();
    fs::write(twin_dir.path().join("hostile.journey"), pages::harmless_twin(&text)).unwrap();
    let twin = pages::build(twin_dir.path(), Some("Harmless title"));
    let twin_strings = pages::string_values(&pages::harmless_twin(&text));
    assert!(twin_strings.iter().all(|s| s.starts_with("harmless")), "{twin_strings:?}");
    let site = hostile();
    assert_eq!(site.pages(), twin.pages());
    for page in site.pages() {
        let hostile = shape(&pages::tokenize(&site.read(&page)));
        let harmless = shape(&pages::tokenize(&twin.read(&page)));
        let differences: Vec<String> = hostile
            .keys()
            .chain(harmless.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| hostile.get(*k) != harmless.get(*k))
            .map(|k| {
                format!("{k}: {} hostile, {} harmless", hostile.get(k).unwrap_or(&0), {
                    harmless.get(k).unwrap_or(&0)
                })
            })
            .collect();
        assert!(differences.is_empty(), "{page}:\n  {}", differences.join("\n  "));
    }
}

/// How many of each kind of element (with its attribute names), end tag, comment
/// and declaration a page has.
fn shape(tokens: &[Token]) -> BTreeMap<String, usize> {
    pages::counts(tokens.iter().filter_map(|t| match t {
        Token::Start(tag) => {
            let names: Vec<&str> = tag.attrs.iter().map(|(n, _)| n.as_str()).collect();
            Some(format!("<{} {}>", tag.name, names.join(" ")))
        }
        Token::End(name) => Some(format!("</{name}>")),
        Token::Comment(_) => Some("<!-- -->".to_owned()),
        Token::Declaration(d) => Some(format!("<!{d}>")),
        Token::Text(_) | Token::Raw(_) => None,
    }))
}

#[test]
fn hostile_strings_round_trip_through_traceability_json() {
    let site = hostile();
    let text = fs::read_to_string(site.path("traceability.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).expect("traceability.json is JSON");
    let mut strings = Vec::new();
    pages::json_strings(&json, &mut strings);
    let values = pages::string_values(&pages::hostile_text());
    assert!(values.len() > 40, "{values:?}");
    let missing: Vec<&String> = values.iter().filter(|v| !strings.contains(v)).collect();
    assert!(missing.is_empty(), "strings of the workspace not in traceability.json: {missing:#?}");
    for payload in pages::PAYLOADS {
        assert!(strings.iter().any(|s| s.contains(payload)), "{payload:?}");
    }
    // Serialising what was read gives the same document back.
    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&json).unwrap()).unwrap();
    assert_eq!(again, json);
}

// ------------------------------------------------------------------ the checks themselves

/// Each check above reports a page broken in the way it looks for, so that none of
/// them can pass for want of finding anything.
#[test]
fn every_check_catches_what_it_is_for() {
    let example = &pages::examples()[0];
    let site = pages::build_example(example);
    let journey = site.journeys().into_iter().next().unwrap();
    let page = journey.page.clone();
    let good = site.read(&page);
    let touchpoint = &journey.touchpoints[0];
    let article = format!("data-touchpoint=\"{touchpoint}\"");
    let mutations: Vec<(&str, Check, String)> = vec![
        ("no doctype", document_problems, good.replacen("<!doctype html>", "", 1)),
        ("another language", document_problems, good.replacen("lang=\"en\"", "lang=\"fr\"", 1)),
        ("a second h1", heading_problems, good.replacen("</main>", "<h1>Again</h1></main>", 1)),
        ("no h1", heading_problems, good.replace("<h1", "<h6").replace("</h1>", "</h6>")),
        ("a wrong hash", policy_problems, good.replacen("sha256-", "sha256-AAAA", 1)),
        ("a changed stylesheet", policy_problems, good.replacen("<style>", "<style>p{}", 1)),
        (
            "a script source",
            policy_problems,
            good.replacen("default-src", "script-src &#39;unsafe-inline&#39;; default-src", 1),
        ),
        ("a style attribute", policy_problems, good.replacen("<main ", "<main style=\"x\" ", 1)),
        ("a script", self_containment_problems, good.replacen("</body>", "<script></script>", 1)),
        (
            "an external stylesheet",
            self_containment_problems,
            good.replacen("</head>", "<link rel=stylesheet href=\"https://x.example/a.css\">", 1),
        ),
        ("an import", self_containment_problems, good.replacen("<style>", "<style>@import x;", 1)),
        ("a missing touchpoint", touchpoint_problems, good.replacen(&article, "", 1)),
        (
            "a touchpoint twice",
            touchpoint_problems,
            good.replacen(
                "</main>",
                &format!("<article class=\"tp\" {article}></article></main>"),
                1,
            ),
        ),
        (
            "a table without header cells",
            table_problems,
            good.replacen("</main>", "<table><tr><td>x</td></tr></table></main>", 1),
        ),
        ("a duplicate id", id_problems, good.replacen("</main>", "<p id=\"main\"></p></main>", 1)),
        (
            "a dangling link",
            id_problems,
            good.replacen("</main>", "<a href=\"#nowhere\"></a></main>", 1),
        ),
        (
            "a dangling label",
            id_problems,
            good.replacen("</main>", "<section aria-labelledby=\"nowhere\"></section></main>", 1),
        ),
        (
            "a link to a missing page",
            page_link_problems,
            good.replacen("</main>", "<a href=\"missing.html\"></a></main>", 1),
        ),
        (
            "an activity card naming nothing",
            activity_problems,
            good.replacen("data-activity=\"", "data-activity=\"nowhere", 1),
        ),
    ];
    assert!(document_problems(&site, &page, &good, &pages::tokenize(&good)).is_empty());
    for (what, check, bad) in mutations {
        assert!(bad != good, "the mutation `{what}` changed nothing");
        let tokens = pages::tokenize(&bad);
        assert!(!check(&site, &page, &bad, &tokens).is_empty(), "`{what}` was not reported");
    }
    for (what, bad) in [
        ("an image", "<img src=x onerror=\"x\">"),
        ("an event handler", "<p class=\"x\" onmouseover='x'>"),
        ("a script", "<script>x</script>"),
        ("a swallowing comment", "<!-- PWNED"),
        ("a javascript URL", "<a href=\" javascript:alert(1)\">"),
    ] {
        let bad = good.replacen("</main>", &format!("{bad}</main>"), 1);
        assert!(!pages::markup_problems(&bad).is_empty(), "{what} was not reported");
    }
    assert!(pages::markup_problems(&good).is_empty());
}

// ------------------------------------------------------------------ open bugs

/// A label may hold bidi controls; a right-to-left override (U+202E) runs to the
/// end of its paragraph unless something stops it. The text the page writes after
/// a label (`Claims \u{202e} › Report the accident` in the gap list, the persona list, a
/// page's `<title>`) must not be reversed with it: the label must be isolated
/// (`<bdi>`) or its override terminated (U+202C or U+2069 right after it).
#[test]
fn a_bidi_override_in_a_label_does_not_reach_the_text_after_it() {
    let labels: Vec<String> = pages::string_values(&pages::hostile_text())
        .into_iter()
        .filter(|v| v.contains('\u{202e}'))
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    let site = hostile();
    let mut problems = Vec::new();
    for page in site.pages() {
        let html = site.read(&page);
        for text in pages::texts(&pages::tokenize(&html)) {
            for label in &labels {
                for (at, _) in text.match_indices(label.as_str()) {
                    let after = &text[at + label.len()..];
                    let terminated = after.starts_with(['\u{202c}', '\u{2069}']);
                    if !terminated && !after.trim().is_empty() {
                        problems.push(format!("{page}: {label:?} reverses {after:?}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} places:\n  {}", problems.len(), problems.join("\n  "));
}

/// Big workspaces stay readable and linear in size: past a threshold the cross-map
/// roll-up lists only linked or mapped pairs, and a journey's matrix lists each
/// touchpoint's activities instead of a cell per activity. Doubling the workspace
/// must not much more than double the pages (the grids grew quadratically: 1.9 GB
/// of `index.html` at 100,000 touchpoints).
#[test]
fn big_workspaces_collapse_the_grids_and_grow_linearly() {
    let mut sizes = Vec::new();
    for touchpoints in [3_000, 6_000] {
        let tmp = tempfile::tempdir().unwrap();
        support::generate::write(tmp.path(), support::generate::Style::Realistic, touchpoints, 4)
            .unwrap();
        let site = pages::build(tmp.path(), None);
        let index = fs::read_to_string(site.dir.join("index.html")).unwrap();
        assert!(index.contains("too many to read"), "the roll-up grid was not collapsed");
        let traces: usize = site.json["traces"].as_array().map_or(0, Vec::len);
        assert!(traces > touchpoints, "the workspace has {traces} trace links");
        let mut listed = 0;
        let mut total = index.len();
        for page in site.pages() {
            // The other views are held to their own bound in `views.rs`.
            if page == "index.html" || !site.is_journey_page(&page) {
                continue;
            }
            let text = fs::read_to_string(site.dir.join(&page)).unwrap();
            assert!(text.contains("too big for a grid"), "{page}: the matrix was not collapsed");
            listed += text.matches("<span class=\"act-name\" data-activity=").count();
            total += text.len();
        }
        assert_eq!(listed, traces, "every trace link is listed once in the matrices");
        sizes.push(total);
    }
    // Within 2.4×: 5 × size(6k) < 12 × size(3k).
    assert!(
        5 * sizes[1] < 12 * sizes[0],
        "pages grew more than 2.4× for twice the touchpoints: {sizes:?}"
    );
}

/// Issue 21, item 6: labels holding terminal escapes and NUL (written as string
/// escapes) reached the pages as raw bytes. They are shown as `\u{1b}`, and a page
/// still isolates a label with direction controls.
#[test]
fn control_characters_reach_no_page_as_raw_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    fs::create_dir_all(&ws).unwrap();
    fs::write(
        ws.join("a.journey"),
        "team ops \"Ops \\u{1b}[2J\\u{0}\"\nvalue stream vs {\n  stage s {\n    metric m { target \"x\" }\n    \
         activity a \"Act \\u{7}\\u{9b}31m\" { owner ops }\n  }\n}\n\
         journey j \"J \\u{1b}]0;pwned\\u{7}\" {\n  stage t \"\\u{202e}evil\\u{1b}\" {\n    \
         touchpoint p \"P \\u{1b}[8m\\u{7f}\" { traces to vs.a }\n  }\n}\n",
    )
    .unwrap();
    let site = pages::build(&ws, None);
    for page in site.pages() {
        let html = site.read(&page);
        let raw: Vec<char> =
            html.chars().filter(|&c| c.is_control() && !matches!(c, '\n' | '\t')).collect();
        assert!(raw.is_empty(), "{page}: raw control characters {raw:?}");
        if !site.is_journey_page(&page) {
            continue;
        }
        assert!(html.contains("P \\u{1b}[8m\\u{7f}"), "{page}: the touchpoint's label is shown");
        assert!(html.contains("\u{2068}\u{202e}evil\\u{1b}\u{2069}"), "{page}: isolated");
    }
    let stream = site.read("stream-vs.html");
    assert!(stream.contains("Act \\u{7}\\u{9b}31m"), "the activity on its stream's page");
    let journey = site.read(&site.journeys()[0].page);
    assert!(journey.contains("Ops \\u{1b}[2J\\u{0}"), "the team");
    assert!(journey.contains("Act \\u{7}\\u{9b}31m"), "the activity");
}

/// The size of the site at the benchmarks' 100,000 touchpoints: `index.html` at
/// most 2 MB (issue 18's bound). The whole site is 22.1× its input, over issue 18's
/// 10× (`traceability.json` alone is 9.4×); the figures are in
/// `docs/performance.md` ("The size of the site"), and this test keeps it from
/// growing past 25×. Slow in a debug
/// build, so run on demand:
/// `cargo test --release --test it -- --ignored --nocapture site_size_at_100k`.
#[test]
#[ignore = "builds a 100,000-touchpoint workspace; run on demand"]
fn site_size_at_100k_touchpoints() {
    let tmp = tempfile::tempdir().unwrap();
    support::generate::write(tmp.path(), support::generate::Style::Realistic, 100_000, 20).unwrap();
    let input = support::generate::size_of(tmp.path()).unwrap();
    let dir = tmp.path().join("site");
    let mut build = pages::journey();
    build.arg("build").arg(tmp.path()).arg("-o").arg(&dir);
    let output = build.timeout(std::time::Duration::from_secs(900)).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let size = |name: &str| fs::metadata(dir.join(name)).unwrap().len();
    let pages: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| std::path::Path::new(name).extension().is_some_and(|e| e == "html"))
        .collect();
    let index = size("index.html");
    let json = size("traceability.json");
    let html: u64 = pages.iter().map(|p| size(p)).sum();
    let (largest, name) = pages.iter().map(|p| (size(p), p)).max().unwrap();
    let total = html + json;
    #[allow(clippy::cast_precision_loss)]
    let ratio = total as f64 / input as f64;
    println!(
        "input {input} B; index.html {index} B; {} pages {html} B (largest {name}, {largest} B); \
         traceability.json {json} B; site {total} B = {ratio:.2}× the input",
        pages.len()
    );
    assert!(index <= 2_000_000, "index.html is {index} bytes");
    assert!(ratio <= 25.0, "the site is {ratio:.2}× its input");
}

// ------------------------------------------------------------------ issue 18: overview, journey pages, comparison

/// The overview shows no journey in full (no touchpoint card, no blueprint), links
/// every journey's page, and stays small.
#[test]
fn the_overview_shows_the_journeys_without_repeating_them() {
    for (name, site) in sites() {
        let index = site.read("index.html");
        let tokens = pages::tokenize(&index);
        assert!(
            pages::data_touchpoints(&tokens).is_empty(),
            "{name}: a touchpoint on the overview"
        );
        assert!(!index.contains("class=\"blueprint\""), "{name}: a blueprint on the overview");
        for journey in site.journeys() {
            let href = format!("href=\"{}\"", journey.page);
            assert!(
                index.matches(&href).count() >= 2,
                "{name}: {} is not in the list",
                journey.page
            );
        }
        assert!(index.len() < 120_000, "{name}: index.html is {} bytes", index.len());
    }
}

/// Issue 18, defects 6, 8 and 9: the activities tile says that enabling activities
/// are left out; warnings name elements by label, not id; the hint of an unmeasured
/// moment of truth suggests no kpi of another domain; the load formula follows the
/// spec (per scenario, rolled up) and shows only when there are capabilities.
#[test]
fn the_overview_says_what_its_figures_count_and_names_elements_by_label() {
    let hospital_site = pages::build_example("hospital-onboarding");
    let hospital = hospital_site.read("index.html");
    assert!(hospital.contains("the enabling activity is not counted"), "the activities tile");
    assert!(hospital.contains("to-be"), "the heat map's to-be");
    assert!(hospital.contains("Utilisation to-be"), "the heat map's to-be column");
    let b2b_site = pages::build_example("b2b-order");
    let b2b = b2b_site.read("index.html");
    assert!(
        b2b.contains("touchpoint “Chase the delivery date by phone” traces to no activity"),
        "labels"
    );
    assert!(!b2b.contains("`eta_call`"), "an id where a label reads better");
    assert!(!b2b.contains("Time to submit"), "a canned hint from another domain");
    assert!(b2b.contains("journey::gap"), "the code stays at hand");
    // The overview and the capability map give the same formula.
    let maps = [hospital_site.read("capabilities.html"), b2b_site.read("capabilities.html")];
    for index in [&hospital, &b2b, &maps[0], &maps[1]] {
        assert!(index.contains("class=\"formula\""), "the formula");
        assert!(index.contains("roll up to parent capabilities"), "the formula rolls up");
        assert!(index.contains("for each scenario"), "the formula is per scenario");
        assert!(!index.contains("over every journey J"), "the outdated formula");
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("a.journey"),
        "team ops\nvalue stream vs {\n  stage s {\n    metric m { target \"x\" }\n    \
         activity a { owner ops }\n  }\n}\njourney j {\n  stage t {\n    \
         touchpoint p { traces to vs.a }\n  }\n}\n",
    )
    .unwrap();
    let bare = pages::build(tmp.path(), None).read("index.html");
    assert!(!bare.contains("class=\"formula\""), "the formula without capabilities");
    assert!(bare.contains("declares no capabilities"));
}

/// Each journey's page opens with the journey at a glance: a mark per touchpoint
/// (its label in the mark's title), the emotion arc, the stages; the emotion lane
/// has its scale, and the blueprint its legend.
#[test]
fn every_journey_page_has_the_journey_at_a_glance_and_a_legend() {
    for (name, site) in sites() {
        for journey in site.journeys() {
            let html = site.read(&journey.page);
            let page = format!("{name}/{}", journey.page);
            let strip = &html[html
                .find("<table class=\"strip\">")
                .unwrap_or_else(|| panic!("{page}: no strip"))..];
            let strip = &strip[..strip.find("</table>").unwrap()];
            assert_eq!(
                strip.matches("<g><title>").count(),
                journey.touchpoints.len(),
                "{page}: marks"
            );
            assert!(strip.contains("class=\"trend\""), "{page}: the emotion arc");
            let blueprint = html.find("class=\"blueprint\"").unwrap();
            assert!(
                html.find("class=\"strip\"").unwrap() < blueprint,
                "{page}: the strip is above"
            );
            assert!(
                html.contains("<span class=\"ax ax-p3\">+3</span>"),
                "{page}: the emotion scale"
            );
            assert!(html.contains("Line of visibility</b>"), "{page}: the legend");
            // The source stays reachable, quietly: in the touchpoint's title.
            assert!(!html.contains("<p class=\"src\">"), "{page}: file:line on a card");
        }
    }
}

/// hospital-onboarding's `digital_front_door` replaces `new_patient_journey`: its
/// page compares the two; the current journey's page does not.
#[test]
fn a_future_journey_that_replaces_a_current_one_is_compared_with_it() {
    let site = pages::build_example("hospital-onboarding");
    let future = site.read("digital_front_door.html");
    let current = site.read("new_patient_journey.html");
    assert!(!current.contains("class=\"compare\""), "the current journey compares nothing");
    let at = future.find("<section class=\"compare\"").expect("a comparison");
    let compare = &future[at..at + future[at..].find("</section>").unwrap()];
    assert!(compare.contains("<polyline class=\"before\" points=\""), "the current curve");
    assert!(compare.contains("<polyline class=\"after\" points=\""), "the future curve");
    assert!(compare.contains("href=\"new_patient_journey.html\""), "the replaced journey");
    // No touchpoint id is in both: the future journey's four are added, the
    // current journey's twelve removed (linked to its page).
    assert!(compare.contains("Added <span class=\"count\">4</span>"), "added");
    assert!(compare.contains("Removed <span class=\"count\">12</span>"), "removed");
    assert!(
        compare.contains(
            "href=\"new_patient_journey.html#tp-new_patient_journey.booking.booking_call\""
        )
    );
    assert!(compare.contains("Calls answered within 60 s"), "a kpi before");
    assert!(compare.contains("Appointments self-booked"), "a kpi after");
    assert!(compare.contains("kpi-status missed") && compare.contains("kpi-status met"));
    // Scheduling: 186.98 per week, 58% as-is; 141.92, 44% to-be (docs/outputs.md).
    let loads = &compare[compare.find("Capability loads that move").unwrap()..];
    let row = &loads[loads.find("Appointment Scheduling").expect("scheduling moves")..];
    let row = &row[..row.find("</tr>").unwrap()];
    for figure in ["58%", "44%", "186.98", "141.92"] {
        assert!(row.contains(figure), "{figure} in {row}");
    }
}

/// A journey's matching touchpoints are compared attribute by attribute, every
/// attribute `model::attributes` lists but the kpis (which have their own table).
#[test]
fn changed_touchpoints_say_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("a.journey"),
        "team ops\nvalue stream vs {\n  stage s {\n    metric m { target \"x\" }\n    \
         activity a \"Call\" { owner ops }\n    activity b \"App\" { owner ops state future }\n  }\n}\n\
         journey now \"Today\" {\n  stage t {\n    touchpoint p \"Ask\" { emotion -2 channel phone pain \"Long wait\" traces to vs.a }\n    \
         touchpoint q \"Wait\" { emotion -1 }\n  }\n}\n\
         journey next \"Tomorrow\" {\n  state future\n  replaces now\n  stage t {\n    \
         touchpoint p \"Ask\" { description \"In the app\" emotion 2 channel app moment of truth failure \"App down\" kpi k \"Asked\" { target >= 90% current 95% } traces to vs.b }\n    \
         touchpoint r \"Done\" { emotion 3 traces to vs.b }\n  }\n}\n",
    )
    .unwrap();
    let site = pages::build(tmp.path(), None);
    let html = site.read("next.html");
    for words in [
        "description changed",
        "emotion −2 → +2",
        "channel phone → app",
        "now a moment of truth",
        "pain “Long wait” → none",
        "failure none → “App down”",
        "traces to Call → App",
    ] {
        assert!(html.contains(words), "{words}");
    }
    assert!(html.contains("Added <span class=\"count\">1</span>"));
    assert!(html.contains("Removed <span class=\"count\">1</span>"));
    assert!(html.contains("Changed <span class=\"count\">1</span>"));
}

/// Issue 18, defect 5: in dark mode the 50–80% and 80–100% heat colours looked
/// alike. Each heat colour differs from the next by a colour difference (CIE76 ΔE)
/// of at least 20, light and dark, and the text on each has a contrast of 4.5:1.
#[test]
fn heat_colours_are_told_apart_and_readable_light_and_dark() {
    let css = include_str!("../../src/emit/templates/style.css");
    let dark_at = css.find("@media (prefers-color-scheme: dark)").unwrap();
    let var = |block: &str, name: &str| -> [f64; 3] {
        let at = block.find(&format!("--{name}:")).unwrap_or_else(|| panic!("--{name}"));
        let hex = block[at..].split('#').nth(1).unwrap();
        let channel = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
        [channel(0), channel(2), channel(4)]
    };
    let linear = |c: [f64; 3]| {
        c.map(|v| {
            let v = v / 255.0;
            if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        })
    };
    let luminance = |c| {
        let [r, g, b] = linear(c);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    };
    let lab = |c| {
        let [r, g, b] = linear(c);
        let xyz = [
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83,
        ];
        let f = xyz.map(|t: f64| if t > 0.008_856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 });
        [116.0 * f[1] - 16.0, 500.0 * (f[0] - f[1]), 200.0 * (f[1] - f[2])]
    };
    let heats = ["heat-cool", "heat-warm", "heat-hot", "heat-over", "heat-critical"];
    for (scheme, block) in [("light", &css[..dark_at]), ("dark", &css[dark_at..])] {
        let colours: Vec<[f64; 3]> = heats.iter().map(|h| var(block, h)).collect();
        for (pair, c) in heats.windows(2).zip(colours.windows(2)) {
            let (a, b) = (lab(c[0]), lab(c[1]));
            let delta =
                ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
            assert!(delta >= 20.0, "{scheme}: {} and {} are ΔE {delta:.1} apart", pair[0], pair[1]);
        }
        let ink = var(block, "ink");
        for (heat, colour) in heats.iter().zip(&colours) {
            let text = if *heat == "heat-critical" { var(css, "heat-critical-ink") } else { ink };
            let (l1, l2) = (luminance(text), luminance(*colour));
            let ratio = (l1.max(l2) + 0.05) / (l1.min(l2) + 0.05);
            assert!(ratio >= 4.5, "{scheme}: text on {heat} has a contrast of {ratio:.2}");
        }
    }
}
