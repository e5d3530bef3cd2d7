//! The generated pages in a real browser: headless Chromium loads every page of
//! every example and of the hostile workspace, and dumps the DOM it ends up with.
//!
//! * Every touchpoint is in the DOM, and the console shows no Content-Security-Policy
//!   violation and no uncaught error. A copy of a page with a wrong style hash does
//!   show the violation, so the check cannot pass for want of looking.
//! * A journey page, and each view of the example with a future state, renders to a
//!   screenshot that is not blank.
//! * The hostile workspace's pages run nothing, with their policy and without it
//!   (escaping alone must hold); a page with a real injected script shows that the
//!   checks would see one.
//! * The SVG pictures of `journey export --format svg` render to screenshots that
//!   are not blank, and the emotion curve's picture draws as many pixels as the
//!   site's curve drawn alone at the same size.
//!
//! The browser is the `CHROMIUM` environment variable, else `chromium` or
//! `chromium-browser` on `PATH`. Without one the tests are skipped with a note on
//! standard error, except under CI (`CI` set), where they fail.

#[path = "it/support/pages.rs"]
mod pages;

use pages::{Site, Token};
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Chromium can hang; a run that takes longer is killed and fails.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Browsers run at once by one test.
const PARALLEL: usize = 3;

// ------------------------------------------------------------------ the browser

fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "CHROMIUM={} is not a file", path.display());
        return Some(path);
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

static SKIP_NOTE: std::sync::Once = std::sync::Once::new();

/// The browser to run, or `None` when the tests are to be skipped. Under CI a
/// missing browser is a failure: CI must run these tests.
fn browser() -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "no Chromium: set CHROMIUM or put `chromium` or `chromium-browser` on PATH \
             (.ci/run installs Debian's `chromium` with apt); CI must run the browser tests"
        );
        // Once per run, and past the test harness's capture (which `eprintln!` is
        // not), so that the skip is seen without `--nocapture`.
        SKIP_NOTE.call_once(|| {
            let _ = std::io::stderr().write_all(
                b"\n**********************************************************************\n\
                  * skipping: no chromium (set CHROMIUM or install chromium to run the *\n\
                  * browser tests in tests/browser.rs)                                 *\n\
                  **********************************************************************\n",
            );
        });
    }
    found
}

/// What a run asks of the browser.
#[derive(Clone)]
enum Mode {
    /// `--dump-dom`: the DOM after load, on standard output.
    Dom,
    /// `--screenshot=PATH` of a 1400 × 1000 window.
    Screenshot(PathBuf),
    /// `--screenshot=PATH` of a window of the given width and height.
    Sized(PathBuf, u32, u32),
    /// `--dump-dom` of a wrapper page ([`probe_jobs`]) after its frame's probe has
    /// reported, in a window wide enough for the frame; dark with `dark`.
    Probe { dark: bool },
    /// `--print-to-pdf=PATH`.
    Pdf(PathBuf),
}

/// What a run gave: the dumped DOM (empty for a screenshot) and the log, where
/// console messages go.
struct Run {
    dom: String,
    log: String,
}

/// Opens one local page in a fresh headless Chromium, killed after `TIMEOUT`.
fn open(browser: &Path, page: &Path, mode: &Mode) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let stdout = tmp.path().join("stdout");
    let stderr = tmp.path().join("stderr");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
    ])
    .arg(format!("--user-data-dir={}", tmp.path().join("profile").display()))
    .args(["--enable-logging=stderr", "--v=0"]);
    match mode {
        Mode::Dom => cmd.arg("--dump-dom"),
        Mode::Screenshot(png) => {
            cmd.arg(format!("--screenshot={}", png.display())).arg("--window-size=1400,1000")
        }
        Mode::Sized(png, width, height) => cmd
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("--window-size={width},{height}"))
            .arg("--hide-scrollbars"),
        // The probe posts its findings after the page's load event: virtual time
        // lets the browser run that task before it dumps the DOM.
        Mode::Probe { dark } => {
            cmd.args([
                "--dump-dom",
                "--hide-scrollbars",
                "--window-size=1320,1000",
                "--virtual-time-budget=10000",
            ]);
            if *dark {
                cmd.arg("--blink-settings=preferredColorScheme=0");
            }
            &mut cmd
        }
        Mode::Pdf(pdf) => {
            cmd.arg(format!("--print-to-pdf={}", pdf.display())).arg("--no-pdf-header-footer")
        }
    };
    cmd.arg(file_url(page))
        .current_dir(tmp.path())
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    // Its own process group, so that a hung browser is killed with its children.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child =
        cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            kill(&mut child);
            panic!(
                "Chromium did not finish within {TIMEOUT:?} on {}; its log:\n{}",
                page.display(),
                fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = String::from_utf8_lossy(&fs::read(&stdout).unwrap()).into_owned();
    let log = String::from_utf8_lossy(&fs::read(&stderr).unwrap()).into_owned();
    assert!(status.success(), "Chromium failed ({status}) on {}:\n{log}", page.display());
    Run { dom, log }
}

/// Kills a browser that hangs: its process group (which we created), then itself.
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// A `file://` URL for an absolute path, percent-encoding what needs it.
fn file_url(path: &Path) -> String {
    let path = path.canonicalize().unwrap();
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            write!(url, "%{b:02X}").unwrap();
        }
    }
    url
}

/// Runs the browser on every page, a few at a time; results in the same order.
fn open_all(browser: &Path, jobs: &[(PathBuf, Mode)]) -> Vec<Run> {
    let next = Mutex::new(0..jobs.len());
    let results: Mutex<Vec<Option<Run>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let Some(i) = next.lock().unwrap().next() else { break };
                    let (page, mode) = &jobs[i];
                    let run = open(browser, page, mode);
                    results.lock().unwrap()[i] = Some(run);
                }
            });
        }
    });
    results.into_inner().unwrap().into_iter().map(|r| r.expect("every job ran")).collect()
}

// ------------------------------------------------------------------ checks

/// Console messages about a Content-Security-Policy violation.
fn csp_violations(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains("Content Security Policy")).collect()
}

/// Console messages about an uncaught error.
fn uncaught(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains("Uncaught")).collect()
}

/// A copy of `html` without its Content-Security-Policy `<meta>` element.
fn without_policy(html: &str) -> String {
    let at = html.to_ascii_lowercase().find("content-security-policy").expect("a policy");
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap() + 1;
    assert!(html[start..].starts_with("<meta"), "the policy is not in a <meta>");
    format!("{}{}", &html[..start], &html[end..])
}

/// What the browser's DOM shows of hostile text that ran or became markup: a title
/// that is not the one the page was written with (every payload sets the title to
/// `PWNED`), elements that run script, and event handlers.
fn ran_or_became_markup(written: &str, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let tokens = pages::tokenize(&run.dom);
    let expected = pages::title(&pages::tokenize(written));
    let title = pages::title(&tokens);
    if title.as_deref() == Some("PWNED") || title != expected {
        problems.push(format!("the title became {title:?}, not {expected:?}"));
    }
    problems.extend(pages::markup_problems(&run.dom));
    problems
}

fn example_sites() -> Vec<(String, Site)> {
    pages::examples().into_iter().map(|e| (e.clone(), pages::build_example(&e))).collect()
}

// ------------------------------------------------------------------ tests

#[test]
fn every_example_page_loads_with_its_touchpoints_and_no_console_error() {
    let Some(browser) = browser() else { return };
    let sites = example_sites();
    let mut jobs = Vec::new();
    let mut expected = Vec::new();
    for (name, site) in &sites {
        // The views are pages of the site like the journeys, and are opened too.
        for view in site.view_pages() {
            assert!(site.pages().contains(&view), "{name}: {view} was not written");
        }
        for page in site.pages() {
            jobs.push((site.path(&page), Mode::Dom));
            expected.push((format!("{name}/{page}"), site.expected_touchpoints(&page)));
        }
    }
    let runs = open_all(&browser, &jobs);
    let mut problems = Vec::new();
    for (run, (page, touchpoints)) in runs.iter().zip(&expected) {
        let tokens = pages::tokenize(&run.dom);
        if !tokens.iter().any(|t| matches!(t, Token::Start(tag) if tag.name == "main")) {
            problems.push(format!("{page}: the DOM has no <main>: {:?}", truncate(&run.dom)));
        }
        for p in pages::touchpoint_problems(&tokens, touchpoints) {
            problems.push(format!("{page}: in the DOM, {p}"));
        }
        for line in csp_violations(&run.log).into_iter().chain(uncaught(&run.log)) {
            problems.push(format!("{page}: the console says {line}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check above would see a policy violation: a page whose stylesheet does not
/// match the hash in its policy logs one, and the same page as written does not.
#[test]
fn a_stylesheet_that_does_not_match_its_hash_is_reported() {
    let Some(browser) = browser() else { return };
    let site = pages::build_example(&pages::examples()[0]);
    let html = site.read("index.html");
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original.html");
    let corrupted = tmp.path().join("corrupted.html");
    fs::write(&original, &html).unwrap();
    let changed = html.replacen("sha256-", "sha256-AAAA", 1);
    assert!(changed != html, "the page has no sha256 hash");
    fs::write(&corrupted, changed).unwrap();
    let runs = open_all(&browser, &[(original, Mode::Dom), (corrupted, Mode::Dom)]);
    assert_eq!(csp_violations(&runs[0].log), Vec::<&str>::new(), "the page as written");
    assert!(
        !csp_violations(&runs[1].log).is_empty(),
        "a wrong style hash logged no Content Security Policy violation:\n{}",
        runs[1].log
    );
}

#[test]
fn a_journey_page_renders_to_a_screenshot_that_is_not_blank() {
    let Some(browser) = browser() else { return };
    let site = pages::build_example(&pages::examples()[0]);
    let page = site.journeys()[0].page.clone();
    let png = site.tmp.path().join("screenshot.png");
    open_all(&browser, &[(site.path(&page), Mode::Screenshot(png.clone()))]);
    let bytes = fs::read(&png).unwrap_or_else(|e| panic!("no screenshot of {page}: {e}"));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1400, 1000), "the screenshot's size");
    // A blank page of that size compresses to about 6 KB; this one is ~150 KB.
    assert!(bytes.len() > 30_000, "the screenshot of {page} looks blank: {} bytes", bytes.len());
}

/// The views of the example with a future state render to screenshots that are
/// not blank: the value stream's ladders, the capability map's tiles, the people.
#[test]
fn the_views_render_to_screenshots_that_are_not_blank() {
    let Some(browser) = browser() else { return };
    let site = pages::build_example("hospital-onboarding");
    let jobs: Vec<(PathBuf, Mode)> = site
        .view_pages()
        .iter()
        .map(|page| {
            let png = site.tmp.path().join(format!("{page}.png"));
            (site.path(page), Mode::Screenshot(png))
        })
        .collect();
    open_all(&browser, &jobs);
    for (page, mode) in site.view_pages().iter().zip(&jobs) {
        let Mode::Screenshot(png) = &mode.1 else { unreachable!() };
        let bytes = fs::read(png).unwrap_or_else(|e| panic!("no screenshot of {page}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{page}: not a PNG");
        // A blank page compresses to about 6 KB; these are 130–200 KB.
        assert!(
            bytes.len() > 30_000,
            "the screenshot of {page} looks blank: {} bytes",
            bytes.len()
        );
    }
}

/// Hostile text runs nothing and becomes no markup: on the pages as written, and
/// with their Content-Security-Policy removed, so that escaping alone must hold.
#[test]
fn hostile_pages_run_nothing_with_or_without_their_policy() {
    let Some(browser) = browser() else { return };
    let site = pages::build(&pages::hostile_dir(), Some(pages::HOSTILE_TITLE));
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    let mut written = Vec::new();
    for page in site.pages() {
        let html = site.read(&page);
        let bare = without_policy(&html);
        let copy = tmp.path().join(format!("no-policy-{page}"));
        fs::write(&copy, &bare).unwrap();
        jobs.push((site.path(&page), Mode::Dom));
        written.push((page.clone(), html));
        jobs.push((copy, Mode::Dom));
        written.push((format!("{page} without its policy"), bare));
    }
    assert_eq!(
        jobs.len(),
        2 * (2 + site.view_pages().len()),
        "expected the index, one journey page and the views"
    );
    let runs = open_all(&browser, &jobs);
    let mut problems = Vec::new();
    for (run, (page, html)) in runs.iter().zip(&written) {
        let expected = site.expected_touchpoints(page.split(' ').next().unwrap());
        let tokens = pages::tokenize(&run.dom);
        for p in ran_or_became_markup(html, run)
            .into_iter()
            .chain(pages::touchpoint_problems(&tokens, &expected))
        {
            problems.push(format!("{page}: {p}"));
        }
        // Nothing even tried to run: the policy had nothing to block.
        for line in csp_violations(&run.log).into_iter().chain(uncaught(&run.log)) {
            problems.push(format!("{page}: the console says {line}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks above would see hostile text that ran: a script really injected into
/// a page without its policy changes the title and shows in the DOM, and the same
/// script on a page with its policy is blocked and logged.
#[test]
fn a_script_that_really_runs_is_seen() {
    let Some(browser) = browser() else { return };
    let site = pages::build(&pages::hostile_dir(), Some(pages::HOSTILE_TITLE));
    let page = site.journeys()[0].page.clone();
    let html = site.read(&page);
    let injected = "<img src=x onerror=\"document.title='PWNED'\">\
                    <script>document.title='PWNED'</script></main>";
    let tmp = tempfile::tempdir().unwrap();
    let open_page = tmp.path().join("open.html");
    let locked_page = tmp.path().join("locked.html");
    let open_html = without_policy(&html).replacen("</main>", injected, 1);
    let locked_html = html.replacen("</main>", injected, 1);
    fs::write(&open_page, &open_html).unwrap();
    fs::write(&locked_page, &locked_html).unwrap();
    let runs = open_all(&browser, &[(open_page, Mode::Dom), (locked_page, Mode::Dom)]);
    let open_title = pages::title(&pages::tokenize(&runs[0].dom));
    assert_eq!(open_title.as_deref(), Some("PWNED"), "the injected script did not run");
    let problems = ran_or_became_markup(&open_html, &runs[0]);
    assert!(problems.iter().any(|p| p.contains("title")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("<img")), "{problems:?}");
    // With the policy, the script is blocked (and the image's handler too).
    let locked_title = pages::title(&pages::tokenize(&runs[1].dom));
    assert_eq!(locked_title, pages::title(&pages::tokenize(&locked_html)), "{}", runs[1].log);
    assert!(!csp_violations(&runs[1].log).is_empty(), "{}", runs[1].log);
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(300) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

#[test]
fn file_urls_are_percent_encoded() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a b#é.html");
    fs::write(&path, "").unwrap();
    let url = file_url(&path);
    assert!(url.starts_with("file:///"), "{url}");
    assert!(url.ends_with("/a%20b%23%C3%A9.html"), "{url}");
}

/// Issue 21: a long word from the sources (an id-like label, a URL) ran out of its
/// table cell over the next one, since no cell let it wrap. A copy of each page,
/// without its policy, runs a probe that lists the table cells whose content is
/// wider than the cell.
#[test]
fn long_words_wrap_inside_their_table_cells() {
    let Some(browser) = browser() else { return };
    let word = "Averylongwordwithoutanyspacethatrunsonandon".repeat(4);
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    fs::create_dir_all(&ws).unwrap();
    fs::write(
        ws.join("a.journey"),
        format!(
            "team ops \"{word}\"\ncapability c \"{word}\" {{ owner ops capacity 10 per week }}\n\
             value stream vs \"{word}\" {{\n  stage s \"{word}\" {{\n    metric m {{ target \"x\" }}\n    \
             activity a \"{word}\" {{ owner ops capability c }}\n    activity b \"{word}\" {{ owner ops }}\n  }}\n}}\n\
             journey j \"{word}\" {{\n  volume 5 per week\n  stage t \"{word}\" {{\n    maps to vs.s\n    \
             touchpoint p \"{word}\" {{ channel \"{word}\" pain \"{word}\" traces to vs.a }}\n    \
             touchpoint q \"{word}\" {{ }}\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let site = pages::build(&ws, None);
    // The stage names of the journey at a glance are cut short on purpose (with an
    // ellipsis, the whole name in their title).
    let probe = "<script>const over = [...document.querySelectorAll('td, th')]\
        .filter(c => c.scrollWidth > c.clientWidth + 1 && !c.closest('table.strip'))\
        .map(c => (c.className || c.tagName) + ' ' + c.textContent.trim().slice(0, 20));\
        document.body.setAttribute('data-overflowing', over.length + ': ' + over.join(' | '));</script>";
    let mut jobs = Vec::new();
    for page in site.pages() {
        let html = without_policy(&site.read(&page)).replace("</body>", &format!("{probe}</body>"));
        let copy = tmp.path().join(format!("probe-{page}"));
        fs::write(&copy, html).unwrap();
        jobs.push((copy, Mode::Dom));
    }
    let mut problems = Vec::new();
    for (run, (page, _)) in open_all(&browser, &jobs).iter().zip(&jobs) {
        let at = run.dom.find("data-overflowing=\"").expect("the probe ran") + 18;
        let found = &run.dom[at..at + run.dom[at..].find('"').unwrap()];
        if !found.starts_with("0:") {
            problems.push(format!("{}: {found}", page.display()));
        }
    }
    assert!(problems.is_empty(), "cells overflow:\n{}", problems.join("\n"));
}

// ------------------------------------------------------------------ layout, contrast, print

/// What the probe checks in a page, from inside it (a script in a copy of the page
/// without its policy): no page-level horizontal overflow; text contrast of at
/// least 4.5:1 (3:1 for large text), each text's colour against the background
/// colours behind it; the defects of issue 18 that a layout can show: gap cells
/// hatched, a blueprint's frame no wider than its blueprint, the heat map's
/// utilisation column on screen, stage names clear of the lane labels when the
/// blueprint is scrolled. It posts `N: problem | problem …` to the wrapper page.
const PROBE: &str = r#"<script>
addEventListener('load', () => {
  const out = [];
  const W = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > W + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > W + 1 && !e.closest('.frame') && !e.closest('.skip'))
      .slice(0, 3).map(e => e.tagName + '.' + e.className);
    out.push('the page overflows: ' + document.documentElement.scrollWidth + ' px in ' + W + ' (' + wide.join(', ') + ')');
  }
  const parse = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, base) => [0, 1, 2].map(i => top[i] * top[3] + base[i] * (1 - top[3]));
  const behind = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let base = [255, 255, 255];
    for (const c of layers.reverse()) base = over(c, base);
    return base; };
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const text = n.textContent.trim();
    if (!text) continue;
    const el = n.parentElement;
    if (seen.has(el) || el.closest('svg, .visually-hidden, .skip, script')) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || st.visibility === 'hidden') continue;
    const bg = behind(el);
    const fg = over(parse(st.color), bg);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
    const min = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < min - 0.005) out.push('contrast ' + ratio.toFixed(2) + ' < ' + min + ' for "' + text.slice(0, 30) + '" (' + el.tagName + '.' + el.className + ')');
  }
  for (const td of document.querySelectorAll('td.gap-cell'))
    if (getComputedStyle(td).backgroundImage === 'none') out.push('a gap cell is not hatched');
  for (const f of document.querySelectorAll('.blueprint-frame')) {
    const t = f.querySelector('table');
    if (f.getBoundingClientRect().width > t.getBoundingClientRect().width + 4) out.push('the blueprint frame is wider than its blueprint');
  }
  for (const th of document.querySelectorAll('table.heatmap thead th:nth-child(2)'))
    if (th.getBoundingClientRect().right > W + 1) out.push('the heat map utilisation column is off-screen');
  for (const f of document.querySelectorAll('.blueprint-frame')) {
    const lane = f.querySelector('.lane-head');
    for (const th of f.querySelectorAll('.stage-head')) {
      f.scrollLeft = 0;
      const edge = lane.getBoundingClientRect().right;
      const start = th.getBoundingClientRect().left - edge;
      if (start <= 0) continue;
      f.scrollLeft = start + 40;
      const range = document.createRange();
      range.selectNodeContents(th.querySelector('.stage-name'));
      const name = range.getBoundingClientRect();
      const visible = th.getBoundingClientRect().right - edge;
      if (f.scrollLeft > start && visible > name.width + 20 && name.left < edge - 1)
        out.push('the stage name "' + th.querySelector('.stage-name').textContent + '" is under the lane labels');
    }
    f.scrollLeft = 0;
  }
  parent.postMessage(out.length + ': ' + out.join(' | '), '*');
});
</script>"#;

/// For each page: a copy without its policy, with [`PROBE`], and a wrapper page
/// that shows it in a frame `width` pixels wide (headless Chromium's window is at
/// least 500 wide, so a narrower viewport needs a frame) and keeps what it posts.
fn probe_jobs(site: &Site, dir: &Path, width: u32, dark: bool) -> Vec<(PathBuf, Mode)> {
    site.pages()
        .iter()
        .map(|page| {
            let html = without_policy(&site.read(page)).replacen("</body>", &format!("{PROBE}</body>"), 1);
            let copy = format!("probe-{width}-{page}");
            fs::write(dir.join(&copy), html).unwrap();
            let wrapper = dir.join(format!("wrap-{width}-{dark}-{page}"));
            fs::write(
                &wrapper,
                format!(
                    "<!doctype html><html><body><iframe src=\"{copy}\" width=\"{width}\" height=\"900\"></iframe>\
                     <script>addEventListener('message', e => document.body.setAttribute('data-probe', e.data));</script></body></html>"
                ),
            )
            .unwrap();
            (wrapper, Mode::Probe { dark })
        })
        .collect()
}

/// What the probe reported, or a problem when it did not report.
fn probe_result(run: &Run) -> Result<String, String> {
    let Some(at) = run.dom.find("data-probe=\"") else {
        return Err(format!("the probe did not report: {}", truncate(&run.dom)));
    };
    let at = at + "data-probe=\"".len();
    Ok(pages::decode(&run.dom[at..at + run.dom[at..].find('"').unwrap()]))
}

/// Every page of every example (and of the hostile workspace, whose labels are
/// long and odd) at 1280 and 390 pixels, light, and at 1280 dark:
/// no page-level horizontal overflow, text contrast of at least 4.5:1, and the
/// layout defects of issue 18 stay fixed.
#[test]
fn every_page_fits_its_width_with_readable_contrast_light_and_dark() {
    let Some(browser) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    let mut names = Vec::new();
    let mut sites = example_sites();
    sites.push((
        "hostile".to_owned(),
        pages::build(&pages::hostile_dir(), Some(pages::HOSTILE_TITLE)),
    ));
    for (name, site) in sites {
        let dir = tmp.path().join(&name);
        fs::create_dir_all(&dir).unwrap();
        for (width, dark) in [(1280, false), (390, false), (1280, true)] {
            for (job, page) in probe_jobs(&site, &dir, width, dark).into_iter().zip(site.pages()) {
                jobs.push(job);
                let scheme = if dark { "dark" } else { "light" };
                names.push(format!("{name}/{page} at {width} px, {scheme}"));
            }
        }
    }
    let mut problems = Vec::new();
    for (run, name) in open_all(&browser, &jobs).iter().zip(&names) {
        match probe_result(run) {
            Ok(found) if found.starts_with("0:") => {}
            Ok(found) | Err(found) => problems.push(format!("{name}: {found}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The probe finds what it looks for: a page made wider than the window, and grey
/// text on grey.
#[test]
fn the_probe_sees_overflow_and_poor_contrast() {
    let Some(browser) = browser() else { return };
    let site = pages::build_example(&pages::examples()[0]);
    let tmp = tempfile::tempdir().unwrap();
    let page = site.journeys()[0].page.clone();
    let html = site.read(&page).replacen(
        "</main>",
        "<p class=\"bad-probe\">grey on grey</p><div class=\"wide-probe\"></div></main>",
        1,
    );
    let html = html.replacen(
        "</style>",
        ".bad-probe { color: #999; background: #aaa; } .wide-probe { width: 3000px; height: 1px; }</style>",
        1,
    );
    let dir = tmp.path().join("site");
    fs::create_dir_all(&dir).unwrap();
    let broken = pages::Site {
        tmp: tempfile::tempdir().unwrap(),
        dir: dir.clone(),
        files: vec![page.clone()],
        json: site.json.clone(),
    };
    fs::write(dir.join(&page), html).unwrap();
    let jobs = probe_jobs(&broken, &dir, 390, false);
    let found = probe_result(&open_all(&browser, &jobs)[0]).unwrap();
    assert!(found.contains("the page overflows"), "{found}");
    assert!(found.contains("grey on grey"), "{found}");
    // Issue 18's defects, put back: a lane's background that hides the gap's
    // hatching, and stage names as wide as their stage, which scroll under the
    // lane labels with it.
    let page = site
        .journeys()
        .into_iter()
        .find(|j| {
            j.touchpoints
                .iter()
                .any(|t| site.json["gaps"].as_array().unwrap().iter().any(|g| g == t.as_str()))
        })
        .expect("a journey with a gap")
        .page;
    let html = site.read(&page).replacen(
        "</style>",
        ".lane-front td, .lane-back td { background: var(--lane-front); } \
         .stage-head .stage-name { width: auto; max-width: none; }</style>",
        1,
    );
    fs::write(dir.join(&page), html).unwrap();
    let broken = pages::Site { files: vec![page.clone()], ..broken };
    let jobs = probe_jobs(&broken, &dir, 1280, false);
    let found = probe_result(&open_all(&browser, &jobs)[0]).unwrap();
    assert!(found.contains("a gap cell is not hatched"), "{found}");
    assert!(found.contains("is under the lane labels"), "{found}");
}

/// Every page of every example prints to a PDF, on A3 landscape pages (the
/// stylesheet's `@page`).
#[test]
fn every_page_prints_to_an_a3_landscape_pdf() {
    let Some(browser) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    let mut names = Vec::new();
    let sites = example_sites();
    for (name, site) in &sites {
        for page in site.pages() {
            let pdf = tmp.path().join(format!("{name}-{page}.pdf"));
            jobs.push((site.path(&page), Mode::Pdf(pdf.clone())));
            names.push((format!("{name}/{page}"), pdf));
        }
    }
    open_all(&browser, &jobs);
    let mut problems = Vec::new();
    for (name, pdf) in names {
        let bytes = fs::read(&pdf).unwrap_or_default();
        if !bytes.starts_with(b"%PDF-") {
            problems.push(format!("{name}: no PDF was written"));
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        // A3 landscape: 420 × 297 mm, 1190.55 × 841.89 points.
        let boxes: Vec<&str> =
            text.match_indices("/MediaBox [").map(|(at, _)| &text[at..]).collect();
        let a3 = |b: &&str| {
            let numbers: Vec<f64> = b["/MediaBox [".len()..b.find(']').unwrap_or(b.len())]
                .split_ascii_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            matches!(numbers[..], [_, _, w, h] if (w - 1190.6).abs() < 2.0 && (h - 841.9).abs() < 2.0)
        };
        if boxes.is_empty() || !boxes.iter().all(a3) {
            problems.push(format!(
                "{name}: pages are not A3 landscape: {:?}",
                boxes.iter().map(|b| &b[..=b.find(']').unwrap_or(0)]).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ------------------------------------------------------------------ the SVG pictures

/// `journey export --format svg WORKSPACE -o DIR`: the pictures' paths, sorted.
fn export_pictures(workspace: &Path, dir: &Path) -> Vec<PathBuf> {
    let output = pages::journey()
        .args(["export", "--format", "svg"])
        .arg(workspace)
        .arg("-o")
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    files.sort();
    files
}

/// A picture's size, from its root element's `width` and `height`.
fn picture_size(svg: &str) -> (u32, u32) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let get = |name: &str| root.attribute(name).and_then(|v| v.parse().ok()).unwrap();
    (get("width"), get("height"))
}

/// The pixels of a screenshot in the rectangle `(x, y, width, height)` that are not
/// the white background: what is drawn there. A pixel counts when its channels
/// fall short of white by more than 30 in all (the lightest colour drawn, the grid's
/// `#d9dce3`, falls short by 101).
fn drawn_pixels(png: &Path, (x0, y0, w, h): (u32, u32, u32, u32)) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(info.bit_depth == png::BitDepth::Eight && channels >= 3, "{}: {info:?}", png.display());
    let mut count = 0;
    for y in y0..(y0 + h).min(info.height) {
        for x in x0..(x0 + w).min(info.width) {
            let at = (y * info.line_size as u32) as usize + x as usize * channels;
            let short: u32 = buf[at..at + 3].iter().map(|&c| 255 - u32::from(c)).sum();
            if short > 30 {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn every_picture_renders_to_a_screenshot_that_is_not_blank() {
    let Some(browser) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    for example in pages::examples() {
        let files = export_pictures(
            &pages::root().join("examples").join(&example),
            &tmp.path().join(&example),
        );
        for file in files {
            let (w, h) = picture_size(&fs::read_to_string(&file).unwrap());
            let png = file.with_extension("png");
            jobs.push((file, Mode::Sized(png, w, h)));
        }
    }
    open_all(&browser, &jobs);
    for (file, mode) in &jobs {
        let Mode::Sized(png, w, h) = mode else { unreachable!() };
        let drawn = drawn_pixels(png, (0, 0, *w, *h));
        // More than 5% of the area: the sparsest, an emotion curve, draws on about a
        // tenth of its area; a picture that failed to render draws nothing.
        let area = usize::try_from(w * h).unwrap();
        assert!(
            drawn * 20 > area,
            "{}: only {drawn} of its {area} pixels are drawn",
            file.display()
        );
    }
}

/// The emotion curve's picture and the journey's page draw the curve with the same
/// code (`src/emit/svg/emotion.rs`): rendered by Chromium, the picture's curve and
/// the site's curve, cut out of its page with its stylesheet and drawn alone at the
/// same place and size, draw the same number of pixels.
#[test]
fn the_emotion_picture_draws_the_curve_as_the_site_does() {
    let Some(browser) = browser() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let example = "insurance-claims";
    let files = export_pictures(
        &pages::root().join("examples").join(example),
        &tmp.path().join("pictures"),
    );
    let site = pages::build_example(example);
    let mut jobs = Vec::new();
    let mut places = Vec::new();
    for journey in site.journeys() {
        let picture = files
            .iter()
            .find(|f| {
                f.file_name().unwrap().to_string_lossy() == format!("{}-emotion.svg", journey.id)
            })
            .unwrap_or_else(|| panic!("no emotion picture of {}", journey.id));
        let svg = fs::read_to_string(picture).unwrap();
        let (width, height) = picture_size(&svg);
        // Where the picture puts the curve: its group's translation.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let group = doc
            .descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("class") == Some("curve"))
            .expect("the picture's curve");
        let translate = group.attribute("transform").unwrap();
        let (x, y) = translate
            .strip_prefix("translate(")
            .and_then(|t| t.strip_suffix(')'))
            .and_then(|t| t.split_once(','))
            .map(|(x, y)| (x.parse::<u32>().unwrap(), y.parse::<u32>().unwrap()))
            .unwrap();
        // The site's curve, with the page's stylesheet, in a page of its own.
        let page = site.read(&journey.page);
        let start = page.find("<svg class=\"curve\"").expect("the page's curve");
        let end = start + page[start..].find("</svg>").unwrap() + "</svg>".len();
        let style_start = page.find("<style>").unwrap();
        let style_end = page.find("</style>").unwrap() + "</style>".len();
        let curve_width: u32 = page[start..end]
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|v| v.split(' ').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        let alone = tmp.path().join(format!("{}-site.html", journey.id));
        fs::write(
            &alone,
            format!(
                "<!doctype html><html><head>{}<style>html, body {{ margin: 0; background: #ffffff; }} \
                 .at {{ position: absolute; left: {x}px; top: {y}px; width: {curve_width}px; }}</style></head>\
                 <body><div class=\"at\">{}</div></body></html>",
                &page[style_start..style_end],
                &page[start..end]
            ),
        )
        .unwrap();
        let height_of_curve = 128;
        jobs.push((
            picture.clone(),
            Mode::Sized(tmp.path().join(format!("{}-picture.png", journey.id)), width, height),
        ));
        jobs.push((
            alone,
            Mode::Sized(tmp.path().join(format!("{}-site.png", journey.id)), width, height),
        ));
        let stages = site.json["journeys"]
            .as_array()
            .and_then(|js| js.iter().find(|j| j["id"] == journey.id.as_str()))
            .and_then(|j| j["stages"].as_array())
            .map_or(1, Vec::len);
        places.push((journey.id.clone(), (x, y, curve_width, height_of_curve), stages));
    }
    open_all(&browser, &jobs);
    for (pair, (id, area, stages)) in jobs.chunks(2).zip(places) {
        let [(_, Mode::Sized(picture, ..)), (_, Mode::Sized(alone, ..))] = pair else {
            unreachable!()
        };
        let (a, b) = (drawn_pixels(picture, area), drawn_pixels(alone, area));
        // The same drawing at the same size and place renders the same pixels; the
        // picture adds only the dashed boundaries between stages (at most half of
        // a 128-pixel column each, with anti-aliasing two pixels wide), and 2% is
        // left for anti-aliasing at the curve's ends.
        let allowance = (stages.saturating_sub(1) * 128) + b / 50;
        assert!(b > 1000, "{id}: the site's curve drew {b} pixels");
        assert!(
            a.abs_diff(b) <= allowance,
            "{id}: the picture's curve drew {a} pixels, the site's {b} (allowed: {allowance})"
        );
    }
}
