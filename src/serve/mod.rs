//! `journey serve`: the site of a workspace, served from memory on this machine and
//! rebuilt on every save. See `docs/serve.md`.
//!
//! Three kinds of threads share one [`routes::Snapshot`] behind a lock
//! ([`current`]):
//!
//! - the watcher ([`watch`]) turns file-system events into batches of changes;
//! - the builder reads and analyses the workspace ([`site`]) after each batch,
//!   parsing again only the files that changed, and swaps in a new snapshot when
//!   what is served changes (when the files' texts, names or kinds do);
//! - a few HTTP workers answer requests from the current snapshot ([`routes`]),
//!   which renders each page, exactly as `journey build` would but into memory,
//!   when it is first asked for.
//!
//! A page is served as `journey build` writes it, plus a reload script ([`live`])
//! that asks for the snapshot's version and reloads the page when it changes. A
//! workspace with errors serves an error page ([`page`]) on every page's route
//! until a save fixes it. Nothing is ever written to disk.

mod current;
mod http;
mod live;
mod page;
mod routes;
mod site;
mod watch;

use crate::analysis::Incremental;
use crate::check::Levels;
use crate::diagnostic::Severity;
use crate::report;
use crate::source::Sources;
use crate::text::plural;
use current::Current;
use routes::Snapshot;
use site::{Outcome, Settings};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the server is set up; the command line's options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and folders of the workspace.
    pub paths: Vec<PathBuf>,
    /// Measurements files (spec §5c), watched like the workspace's files.
    pub measurements: Vec<PathBuf>,
    /// The address to listen on: a name or an IP address.
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The title at the head of every page.
    pub title: String,
    pub levels: Levels,
    /// How reports are drawn on standard error.
    pub style: report::Human,
}

/// A server that is running: it answers requests and rebuilds on changes until the
/// process ends.
pub struct Running {
    /// The address to open, such as `http://127.0.0.1:8000/`.
    pub url: String,
    /// The address listened on.
    pub address: SocketAddr,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Blocks while the server runs, which is until the process is stopped.
    pub fn wait(self) {
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// Why `journey serve` could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A path given on the command line cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Unreadable { path: String, source: std::io::Error },
    /// The address cannot be listened on (taken, or not this machine's).
    #[error("cannot listen on {address}: {source}")]
    Listen { address: String, source: std::io::Error },
    /// The workspace cannot be watched for changes.
    #[error("cannot watch the workspace: {0}")]
    Watch(#[from] notify::Error),
    /// A thread of the server could not be started.
    #[error("cannot start the {name}: {source}")]
    Thread { name: &'static str, source: std::io::Error },
}

/// Starts watching the workspace, builds the site, starts listening and prints the
/// address to standard error. `Err` says why the server could not start (a path
/// that does not exist, an address that cannot be listened on, a workspace that
/// cannot be watched).
pub fn start(options: &Options) -> Result<Running, StartError> {
    for path in options.paths.iter().chain(&options.measurements) {
        if let Err(e) = std::fs::metadata(path) {
            let path = crate::source::display_path(path);
            return Err(StartError::Unreadable { path, source: e });
        }
    }
    // `[::1]`, as an IPv6 address is written in a URL, names the address within.
    let host = options.host.as_str();
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let listen = |source| StartError::Listen {
        address: format!("{}:{}", options.host, options.port),
        source,
    };
    let listener = TcpListener::bind((host, options.port)).map_err(listen)?;
    let address = listener.local_addr().map_err(listen)?;

    // Watch before the first build: a save during it is then rebuilt after it.
    let (signals, received) = mpsc::channel();
    let watched: Vec<PathBuf> =
        options.paths.iter().chain(&options.measurements).cloned().collect();
    let mut watch = watch::Watch::start(&watch::Targets::of(&watched), &watched, signals)?;

    let settings = Settings {
        paths: options.paths.clone(),
        measurements: options.measurements.clone(),
        levels: options.levels.clone(),
        title: options.title.clone(),
    };
    let mut builder = Builder::first(settings, options.style);
    let current = Arc::clone(&builder.current);
    std::thread::Builder::new()
        .name("journey-build".to_owned())
        .spawn(move || {
            // The builder owns the watch: it moves the watches (a folder deleted
            // and made again) before reading the workspace, so that nothing
            // written after the move is missed.
            while let Some(seen) = watch::next_batch(&received) {
                watch.rearm();
                builder.rebuild(seen);
            }
        })
        .map_err(|source| StartError::Thread { name: "builder", source })?;

    let loopback_only = is_loopback(address.ip());
    let answer = move |request: &http::Request| answer(&current, request, loopback_only);
    let server = std::thread::Builder::new()
        .name("journey-http".to_owned())
        .spawn(move || http::run(&listener, &(Arc::new(answer) as Arc<_>)))
        .map_err(|source| StartError::Thread { name: "server", source })?;
    let workers = vec![server];

    let url = url_of(address);
    if !loopback_only {
        eprintln!(
            "warning: listening on {address}, not on a loopback address: every machine that \
             can reach this one can read the site"
        );
    }
    eprintln!("serving {url} (press Ctrl-C to stop)");
    Ok(Running { url, address, workers })
}

/// Whether an address is this machine's own: a loopback address, also written as
/// an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), which the standard library's
/// `is_loopback` does not count.
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        IpAddr::V4(v4) => v4.is_loopback(),
    }
}

/// The address to open in a browser: an unspecified address (`0.0.0.0`, `::`)
/// listens on loopback too.
fn url_of(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// Answers one request from the current snapshot; a page's request for the next
/// version waits for it (see [`current`]).
fn answer(current: &Current, request: &http::Request, loopback_only: bool) -> http::Response {
    let snapshot = match live::shown_version(&request.url) {
        Some(shown) => current.after(shown, current::HOLD),
        None => current.get(),
    };
    let asked = routes::Request {
        method: &request.method,
        url: &request.url,
        host: request.host.as_deref(),
    };
    let reply = routes::route(&snapshot, asked, loopback_only);
    let mut headers = reply.headers();
    headers.push(("Server", "journey".to_owned()));
    http::Response { status: reply.status, headers, body: reply.body.into_bytes() }
}

/// Turns builds into snapshots, numbers them and reports them on standard error.
struct Builder {
    settings: Settings,
    style: report::Human,
    current: Arc<Current>,
    /// What the current snapshot was made from, and the workspace it was read from.
    last: Outcome,
    last_sources: Arc<Sources>,
    /// The syntax trees of the last build: a save parses again only what changed.
    incremental: Incremental,
    /// Tells this server's versions from another's, so that pages reload after a
    /// restart even when the counts agree.
    instance: String,
    count: u64,
}

impl Builder {
    /// The first build, reported in full (every diagnostic, as `journey check`).
    fn first(settings: Settings, style: report::Human) -> Builder {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        let instance = format!("{:x}", since_epoch.as_nanos() ^ u128::from(std::process::id()));
        let mut incremental = Incremental::new();
        let build = site::build(&settings, &mut incremental);
        eprint!("{}", report::human(&build.sources, build.diagnostics(), style));
        let version = format!("{instance}.1");
        let snapshot = Snapshot::new(&build.outcome, version, &settings.title);
        let builder = Builder {
            settings,
            style,
            current: Arc::new(Current::new(snapshot)),
            last: build.outcome,
            last_sources: build.sources,
            incremental,
            instance,
            count: 1,
        };
        say(&build.summary, None, true);
        builder
    }

    /// Rebuilds after a change seen at `seen`; serves the result unless it serves
    /// what is served already. A rebuild reports only the errors that stop it.
    fn rebuild(&mut self, seen: Instant) {
        // A bug in a phase must not stop the server: the last build stays served
        // (the panic's message is printed by the hook).
        let (settings, incremental) = (&self.settings, &mut self.incremental);
        let attempt =
            std::panic::catch_unwind(AssertUnwindSafe(|| site::build(settings, incremental)));
        let Ok(build) = attempt else {
            // The kept trees may be half updated: the next build parses everything.
            self.incremental = Incremental::new();
            eprintln!(
                "error: the rebuild failed, which is a bug in journey; still serving the last build"
            );
            return;
        };
        if build.is_broken() {
            let errors: Vec<_> = build
                .diagnostics()
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            eprint!("{}", report::human(&build.sources, &errors, self.style));
        }
        let changed =
            !build.outcome.serves_the_same(&build.sources, &self.last, &self.last_sources);
        if changed {
            self.count += 1;
            let version = format!("{}.{}", self.instance, self.count);
            let snapshot = Snapshot::new(&build.outcome, version, &self.settings.title);
            self.current.swap(snapshot);
            self.last = build.outcome;
        }
        self.last_sources = build.sources;
        say(&build.summary, Some(seen), changed);
    }
}

/// One line about a build: how long it took, what it found, what is served.
fn say(summary: &site::Summary, seen: Option<Instant>, changed: bool) {
    for message in &summary.unreadable {
        // A message names a file, whose name may hold a terminal escape.
        eprintln!("error: {}", crate::text::visible(message));
    }
    let result = match (summary.broken, changed, seen.is_some()) {
        (true, _, _) => "the pages show the errors until a save fixes them",
        (false, false, _) => "no change to the site",
        (false, true, true) => "open pages reload",
        (false, true, false) => "serving the site",
    };
    let after = seen.map_or_else(String::new, |seen| {
        format!(", {} ms after the change", seen.elapsed().as_millis())
    });
    eprintln!(
        "{} {} in {} ms{after}: {}, {}, {}; {result}",
        if seen.is_some() { "rebuilt" } else { "built" },
        plural(summary.files, "file", "files"),
        summary.elapsed.as_millis(),
        plural(summary.errors, "error", "errors"),
        plural(summary.warnings, "warning", "warnings"),
        plural(summary.notes, "note", "notes"),
    );
}
