//! What the server answers: one [`Snapshot`] of the site per build, and [`route`],
//! a pure function from a request to a [`Reply`], so that every rule (paths,
//! types, headers, the `Host` check) is tested without a socket.
//!
//! Only the names a build produced are served, from memory: there is no file
//! system behind the routes, so no path can reach outside the site, and a path
//! that tries to (`..`, `%2e%2e`, a backslash) is refused before it is looked up.

use super::live::{self, Served};
use super::page;
use super::site::{Broken, Outcome, Problem};
use crate::emit::{Pages, TRACEABILITY};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The site at one version, as served: pages with the reload script, the JSON, and
/// the error page while the workspace is broken.
///
/// A page is rendered when it is first asked for and kept for the snapshot's life:
/// a save renders the page being looked at, not the hundreds of others (nor the
/// traceability document, larger than all of them together).
#[derive(Debug)]
pub struct Snapshot {
    /// Changes with every build that changes what is served; the reload script
    /// compares it with the one its page was served with.
    pub version: String,
    shown: Shown,
    not_found: Served,
    /// Heads the server's own pages.
    title: String,
}

/// What a snapshot shows: the site, or what stops it.
#[derive(Debug)]
enum Shown {
    /// The workspace has no errors.
    Site(Site),
    /// The workspace has errors: the error page, and the diagnostics as JSON.
    Broken { page: Served, json: String },
}

/// A site's files and those rendered so far.
#[derive(Debug)]
struct Site {
    files: Arc<Pages>,
    /// Every page by name, rendered on first use: known up front, so that
    /// an unknown name is answered without rendering anything.
    pages: HashMap<String, OnceLock<Rendered>>,
    json: OnceLock<Result<String, String>>,
}

/// A file as served, or why it could not be rendered.
type Rendered = Result<Served, String>;

impl Snapshot {
    /// The served form of a build's outcome. `title` heads the server's own pages.
    pub fn new(outcome: &Outcome, version: String, title: &str) -> Snapshot {
        let not_found = serve(&page::not_found(title), &version);
        let shown = match outcome {
            Outcome::Site(files) => {
                let pages =
                    files.names().filter(|n| is_page(n)).map(|n| (n.to_owned(), OnceLock::new()));
                Shown::Site(Site {
                    files: Arc::clone(files),
                    pages: pages.collect(),
                    json: OnceLock::new(),
                })
            }
            Outcome::Broken(b) => Shown::Broken {
                page: serve(&page::broken(title, b), &version),
                json: b.json.clone(),
            },
        };
        Snapshot { version, shown, not_found, title: title.to_owned() }
    }

    /// How many of the site's files have been rendered.
    #[cfg(test)]
    pub fn rendered(&self) -> usize {
        match &self.shown {
            Shown::Site(site) => {
                site.pages.values().filter(|p| p.get().is_some()).count()
                    + usize::from(site.json.get().is_some())
            }
            Shown::Broken { .. } => 0,
        }
    }

    /// A page of the site, rendered now if it has not been yet; `None` if the site
    /// has no page of this name.
    fn page(&self, site: &Site, name: &str) -> Option<Reply> {
        let cell = site.pages.get(name)?;
        let rendered =
            cell.get_or_init(|| render(&site.files, name).map(|html| serve(&html, &self.version)));
        Some(match rendered {
            Ok(page) => Reply::page(200, page),
            Err(e) => self.failed(e),
        })
    }

    /// `traceability.json`, rendered now if it has not been yet.
    fn json(&self, site: &Site) -> Reply {
        match site.json.get_or_init(|| render(&site.files, TRACEABILITY)) {
            Ok(json) => Reply::new(200, JSON, json.clone()),
            Err(e) => self.failed(e),
        }
    }

    /// The error page of a file that could not be rendered, which is a bug in
    /// journey: the emitters render every valid model, into memory.
    fn failed(&self, error: &str) -> Reply {
        let broken = Broken {
            problems: vec![Problem {
                code: None,
                place: String::new(),
                message: format!("cannot render the page: {error}"),
                help: None,
                report: String::new(),
            }],
            json: String::new(),
        };
        Reply::page(500, &serve(&page::broken(&self.title, &broken), &self.version))
    }
}

/// Renders one file of the site. A bug in an emitter must not take the server
/// down, nor leave the page unanswered: a panic becomes the page's error, kept
/// like the page would have been (the render would panic again).
fn render(files: &Pages, name: &str) -> Result<String, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| files.render(name))) {
        Ok(Some(Ok(text))) => Ok(text),
        Ok(Some(Err(e))) => Err(e.to_string()),
        Ok(None) => Err(format!("the site has no file {name}")),
        Err(_) => Err("rendering failed, which is a bug in journey".to_owned()),
    }
}

/// The served copy of a page, with the reload script of `version`.
fn serve(html: &str, version: &str) -> Served {
    live::serve_copy(html, version).unwrap_or_else(|| {
        // The emitter always writes the policy `<meta>`; should that ever change,
        // the page is still served, only without live reload.
        Served { html: html.to_owned(), csp: String::from(FALLBACK_CSP) }
    })
}

/// The policy of anything served that is not a page: nothing may load or run.
const FALLBACK_CSP: &str = "default-src 'none'";

/// What `route` reads of a request.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// As sent: path and query, percent-encoded.
    pub url: &'a str,
    /// The `Host` header, if any.
    pub host: Option<&'a str>,
}

/// An answer, with everything needed to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// The Content-Security-Policy header; for a page, the same as its `<meta>`.
    pub csp: String,
    /// Whether the method was refused (the reply then names the ones allowed).
    pub method_refused: bool,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: String) -> Reply {
        Reply { status, content_type, body, csp: FALLBACK_CSP.to_owned(), method_refused: false }
    }

    fn page(status: u16, page: &Served) -> Reply {
        Reply { csp: page.csp.clone(), ..Reply::new(status, HTML, page.html.clone()) }
    }

    fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, TEXT, format!("{body}\n"))
    }

    /// Every header but the length: the type, no caching (every save changes the
    /// site), no type sniffing, no referrer, no framing and no use by other origins.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Content-Type", self.content_type.to_owned()),
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
            ("Referrer-Policy", "no-referrer".to_owned()),
            ("Cross-Origin-Resource-Policy", "same-origin".to_owned()),
            ("X-Frame-Options", "DENY".to_owned()),
            // `frame-ancestors` only works in a header, not in the pages' `<meta>`.
            ("Content-Security-Policy", format!("{}; frame-ancestors 'none'", self.csp)),
        ];
        if self.method_refused {
            headers.push(("Allow", "GET, HEAD".to_owned()));
        }
        headers
    }
}

const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// Answers one request from one snapshot. `loopback_only`: the server listens on a
/// loopback address, so only requests naming a loopback host are answered.
pub fn route(snapshot: &Snapshot, request: Request<'_>, loopback_only: bool) -> Reply {
    if loopback_only && !request.host.is_none_or(is_loopback_host) {
        // A page elsewhere can point its own name at 127.0.0.1 (DNS rebinding) and
        // then read this site as its own origin; its requests name its host.
        return Reply::text(403, "journey serve answers only requests for localhost");
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Reply { method_refused: true, ..Reply::text(405, "only GET and HEAD") };
    }
    let Some(path) = request_path(request.url) else {
        return Reply::text(400, "bad path");
    };
    match path.as_str() {
        live::SCRIPT_PATH => Reply::new(200, JAVASCRIPT, live::SCRIPT.to_owned()),
        live::VERSION_PATH => Reply::new(200, TEXT, snapshot.version.clone()),
        "/traceability.json" => match &snapshot.shown {
            Shown::Site(site) => snapshot.json(site),
            Shown::Broken { json, .. } => Reply::new(503, JSON, json.clone()),
        },
        _ => {
            let name = match path.strip_prefix('/') {
                Some("") => "index.html",
                Some(name) if !name.contains('/') && is_page(name) => name,
                _ => return Reply::page(404, &snapshot.not_found),
            };
            match &snapshot.shown {
                Shown::Site(site) => snapshot
                    .page(site, name)
                    .unwrap_or_else(|| Reply::page(404, &snapshot.not_found)),
                // Every page shows the errors, with status 200 like the page it
                // replaces, and keeps reloading until a save fixes them.
                Shown::Broken { page, .. } => Reply::page(200, page),
            }
        }
    }
}

/// Whether a name is a page's: `.html`, as the emitter names them.
fn is_page(name: &str) -> bool {
    std::path::Path::new(name).extension().is_some_and(|extension| extension == "html")
}

/// The decoded path of a request's URL, without query or fragment; `None` if it is
/// not an absolute path of UTF-8 text, or has a `.` or `..` segment, a backslash or
/// a control character, once decoded.
fn request_path(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return None;
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = |i: usize| tail.get(i).and_then(|&h| char::from(h).to_digit(16));
            let (high, low) = (hex(0)?, hex(1)?);
            bytes.push(u8::try_from(high * 16 + low).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    let suspicious = path.contains('\\')
        || path.chars().any(char::is_control)
        || path.split('/').any(|segment| segment == "." || segment == "..");
    (!suspicious).then_some(path)
}

/// `localhost`, a name under `.localhost`, or a loopback address, with or without a
/// port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // `[::1]:8000`
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(super::is_loopback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Levels;
    use crate::serve::site::{Broken, Problem};
    use crate::source::Sources;

    /// The site of a workspace of one journey, `claims.html`.
    fn pages() -> Arc<Pages> {
        let mut sources = Sources::new();
        let text = "journey claims \"Claims\" { stage s { touchpoint t \"Call us\" } }\n";
        sources.add("a.journey", text.to_owned()).unwrap();
        let analysis = crate::analyze(&sources, &Levels::default());
        assert!(!analysis.has_errors());
        let files = vec!["a.journey".to_owned()];
        Arc::new(Pages::new(Arc::new(analysis), Arc::new(sources), files, "T"))
    }

    fn site() -> Snapshot {
        Snapshot::new(&Outcome::Site(pages()), "7.1".to_owned(), "T")
    }

    fn broken() -> Snapshot {
        let problem = Problem {
            code: Some("journey::syntax"),
            place: "a.journey:1:1".to_owned(),
            message: "expected `}`".to_owned(),
            help: None,
            report: String::new(),
        };
        let b = Broken { problems: vec![problem], json: "{\"diagnostics\":[]}".to_owned() };
        Snapshot::new(&Outcome::Broken(b), "7.2".to_owned(), "T")
    }

    fn get(snapshot: &Snapshot, url: &str) -> Reply {
        route(snapshot, Request { method: "GET", url, host: Some("127.0.0.1:8000") }, true)
    }

    #[test]
    fn serves_the_pages_the_json_and_the_script() {
        let s = site();
        let built = pages();
        for (url, name) in [
            ("/", "index.html"),
            ("/index.html", "index.html"),
            ("/claims.html?x=1", "claims.html"),
        ] {
            let reply = get(&s, url);
            assert_eq!((reply.status, reply.content_type), (200, HTML), "{url}");
            let page = built.render(name).unwrap().unwrap();
            assert_eq!(reply.body, live::serve_copy(&page, "7.1").unwrap().html, "{url}");
            assert!(reply.body.contains("data-version=\"7.1\""), "{url}");
            let live = "script-src 'self'; connect-src 'self'";
            assert_eq!(reply.csp, format!("{}; {live}", crate::emit::html::csp()));
        }
        assert!(get(&s, "/claims.html").body.contains("Call us"));
        let json = get(&s, "/traceability.json");
        assert_eq!((json.status, json.content_type), (200, JSON));
        assert!(json.body.contains(crate::emit::SCHEMA), "{}", json.body);
        let script = get(&s, live::SCRIPT_PATH);
        assert_eq!((script.status, script.content_type), (200, JAVASCRIPT));
        assert_eq!(get(&s, live::VERSION_PATH).body, "7.1");
    }

    #[test]
    fn every_reply_is_uncached_unsniffed_and_unframed() {
        let s = site();
        for url in ["/", "/traceability.json", "/nothing", "/../x"] {
            let headers = get(&s, url).headers();
            for expected in [
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
            ] {
                assert!(headers.iter().any(|(n, v)| (*n, v.as_str()) == expected), "{url}");
            }
            assert!(
                headers.iter().any(|(n, v)| *n == "Content-Security-Policy"
                    && v.ends_with("; frame-ancestors 'none'"))
            );
        }
    }

    /// Pages are rendered when asked for, once per snapshot; a name the site does
    /// not have renders nothing.
    #[test]
    fn renders_a_page_when_first_asked_for_and_nothing_for_unknown_names() {
        let s = site();
        assert_eq!(s.rendered(), 0);
        for url in ["/nothing.html", "/claims.htm", "/favicon.ico", "/../x"] {
            assert!(get(&s, url).status >= 400, "{url}");
        }
        assert_eq!(s.rendered(), 0);
        let first = get(&s, "/claims.html");
        assert_eq!(s.rendered(), 1);
        assert_eq!(get(&s, "/claims.html"), first);
        assert_eq!(s.rendered(), 1);
        get(&s, "/traceability.json");
        assert_eq!(s.rendered(), 2);
    }

    #[test]
    fn refuses_unknown_paths_and_traversal() {
        let s = site();
        for url in
            ["/nothing.html", "/index.htm", "/claims.html/x", "/a/index.html", "/favicon.ico"]
        {
            let reply = get(&s, url);
            assert_eq!(reply.status, 404, "{url}");
            assert!(reply.body.contains("No such page"), "{url}");
        }
        for url in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/..%5cCargo.toml",
            "/./index.html",
            "/%00",
            "/%zz",
            "/%c3",
            "index.html",
            "http://evil.example/",
        ] {
            assert_eq!(get(&s, url).status, 400, "{url}");
        }
    }

    #[test]
    fn a_broken_workspace_shows_its_errors_on_every_page() {
        let s = broken();
        for url in ["/", "/index.html", "/claims.html", "/gone.html"] {
            let reply = get(&s, url);
            assert_eq!((reply.status, reply.content_type), (200, HTML), "{url}");
            assert!(reply.body.contains("expected `}`"), "{url}");
            assert!(reply.body.contains("data-version=\"7.2\""), "{url}");
        }
        let json = get(&s, "/traceability.json");
        assert_eq!((json.status, json.body.as_str()), (503, "{\"diagnostics\":[]}"));
        assert_eq!(get(&s, "/other.txt").status, 404);
        assert_eq!(get(&s, live::VERSION_PATH).body, "7.2");
    }

    #[test]
    fn answers_only_loopback_hosts_when_listening_on_loopback() {
        let s = site();
        let with_host = |host: Option<&str>, loopback_only: bool| {
            route(&s, Request { method: "GET", url: "/", host }, loopback_only).status
        };
        for host in
            ["127.0.0.1:1234", "localhost:1", "LOCALHOST", "[::1]:80", "a.localhost", "127.1.2.3"]
        {
            assert_eq!(with_host(Some(host), true), 200, "{host}");
        }
        assert_eq!(with_host(None, true), 200);
        for host in ["evil.example", "evil.example:8000", "10.0.0.1", "localhost.evil.example", ""]
        {
            assert_eq!(with_host(Some(host), true), 403, "{host}");
            assert_eq!(with_host(Some(host), false), 200, "{host}");
        }
    }

    #[test]
    fn refuses_other_methods() {
        let s = site();
        let reply = route(&s, Request { method: "POST", url: "/", host: None }, true);
        assert_eq!(reply.status, 405);
        assert!(reply.headers().contains(&("Allow", "GET, HEAD".to_owned())));
        let head = route(&s, Request { method: "HEAD", url: "/", host: None }, true);
        assert_eq!(head.status, 200);
    }
}
