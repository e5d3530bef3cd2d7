//! `journey serve` on a generated workspace (`benches/support/generate.rs`, 100k
//! touchpoints in 20 files by default): how long a saved one-file change takes to
//! reach the page that shows it. See `docs/serve.md` ("How fast") and
//! `docs/performance.md`.
//!
//! ```sh
//! cargo bench --bench serve                        # 100k touchpoints, 5 saves
//! cargo bench --bench serve -- 10k                 # another size (`k` or `M` suffix)
//! JOURNEY_BENCH_RUNS=9 cargo bench --bench serve
//! ```
//!
//! Two parts, both medians of the runs with the minimum beside them:
//!
//! 1. **End to end**, the release binary: `journey serve` on a copy of the
//!    workspace; the first build (from the start of the process to the address
//!    printed) and the first requests of a journey page and of the overview; then,
//!    for each run, a touchpoint's label is changed in the last journey file and the
//!    time is taken from the write to that journey's page served with the new label,
//!    asked for as the reload script does (the next version, then the page). The
//!    server's own line (`rebuilt … in X ms, Y ms after the change`) gives the
//!    rebuild's share; the rest is the watcher's 50 ms of quiet and the render.
//! 2. **In process**, the phases of that rebuild through the library: reading the
//!    workspace, the incremental analysis of the change, and within it parsing the
//!    changed file, resolving and checking (the qualified names the pages use are
//!    made beside the checks, as the server makes them); then the page, the overview and the
//!    traceability document rendered on request. Beside them, what a rebuild did
//!    before pages were rendered on request: a fresh analysis and the whole site.
//!
//! Under `cargo test --benches` (no `--bench` argument) it runs once at 1k
//! touchpoints, to check the harness itself.

#[path = "support/generate.rs"]
mod generate;

use journey::analysis::Incremental;
use journey::check::Levels;
use journey::emit::{self, Pages};
use journey::model::{self, Figures, Names};
use journey::source::FileId;
use journey::{analyze, syntax, workspace};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

const JOURNEY: &str = env!("CARGO_BIN_EXE_journey");

/// Files per workspace, as the other benchmarks.
const FILES: usize = 20;

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| size(&a))
        .collect();
    let (sizes, runs) = if benchmarking {
        let runs = std::env::var("JOURNEY_BENCH_RUNS").ok().and_then(|r| r.parse().ok());
        (if sizes.is_empty() { vec![100_000] } else { sizes }, runs.unwrap_or(5))
    } else {
        (vec![1_000], 1)
    };
    for touchpoints in sizes {
        let root = generate::bench_root();
        let cached =
            generate::cached(&root, touchpoints, FILES).expect("the workspace is generated");
        let dir = root.join(format!("serve-{touchpoints}"));
        copy(&cached, &dir);
        let edit = Edit::of(&dir);
        println!(
            "\njourney serve, {touchpoints} touchpoints ({:.1} MB in {FILES} files), {runs} runs; \
             the change: a touchpoint's label in {} (page {})",
            f64::from(u32::try_from(generate::size_of(&dir).unwrap_or(0) / 1000).unwrap_or(0))
                / 1e3,
            edit.file.file_name().unwrap_or_default().to_string_lossy(),
            edit.page,
        );
        end_to_end(&dir, &edit, runs);
        in_process(&dir, &edit, runs);
        // The copy was changed: the next run starts from the generated text again.
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `100000`, `100k` or `1M`.
fn size(arg: &str) -> Option<usize> {
    let (digits, scale) = match arg.strip_suffix(['k', 'K']) {
        Some(d) => (d, 1_000),
        None => arg.strip_suffix('M').map_or((arg, 1), |d| (d, 1_000_000)),
    };
    digits.parse::<usize>().ok().map(|n| n * scale)
}

fn copy(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("the copy's folder is made");
    for entry in std::fs::read_dir(from).expect("the workspace is read") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "journey") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, to.join(name)).expect("the file is copied");
        }
    }
}

/// The change each run saves: the label of the first touchpoint of the last
/// journey file's first journey.
struct Edit {
    file: PathBuf,
    text: String,
    /// Where the label's text is in `text`.
    label: std::ops::Range<usize>,
    /// The journey's page.
    page: String,
}

impl Edit {
    fn of(dir: &Path) -> Edit {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("the workspace is read")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "journey"))
            .collect();
        files.sort();
        for file in files.into_iter().rev() {
            let text = std::fs::read_to_string(&file).expect("the file is read");
            let Some(at) = text.find("\njourney ").map(|at| at + 1) else { continue };
            let id: String = text[at + "journey ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let touchpoint = at + text[at..].find("touchpoint ").expect("a touchpoint");
            let open = touchpoint + text[touchpoint..].find('"').expect("a label") + 1;
            let close = open + text[open..].find('"').expect("the label's end");
            return Edit { file, label: open..close, text, page: format!("{id}.html") };
        }
        panic!("no journey in {}", dir.display());
    }

    /// The file's text with the label replaced by `label`.
    fn with(&self, label: &str) -> String {
        let mut text = self.text.clone();
        text.replace_range(self.label.clone(), label);
        text
    }
}

/// The release binary, serving `dir`, with its standard error read line by line.
struct Server {
    child: Child,
    address: SocketAddr,
    lines: mpsc::Receiver<String>,
}

impl Server {
    /// Starts the server; returns it once it listens, with the time that took.
    fn start(dir: &Path) -> (Server, Duration) {
        let started = Instant::now();
        let mut child = Command::new(JOURNEY)
            .arg("serve")
            .arg(dir)
            .args(["--port", "0", "--color", "never"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("journey serve starts");
        let stderr = child.stderr.take().expect("standard error is piped");
        let (send, lines) = mpsc::channel();
        // The guard exists before the wait, so that the child is killed however
        // the wait ends.
        let mut server = Server { child, address: ([127, 0, 0, 1], 0).into(), lines };
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line =
                server.lines.recv_timeout(Duration::from_secs(600)).expect("the server starts");
            if let Some(url) = line.strip_prefix("serving http://") {
                let address =
                    url.split('/').next().and_then(|a| a.parse().ok()).expect("an address");
                server.address = address;
                return (server, started.elapsed());
            }
        }
    }

    /// The body of `GET path`, with its status.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.address).expect("the server accepts");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .expect("the request is sent");
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).expect("the reply is read");
        let reply = String::from_utf8_lossy(&reply);
        let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
        (status, body)
    }

    /// The next line of standard error that starts with `prefix`.
    fn line(&self, prefix: &str) -> String {
        loop {
            let line = self.lines.recv_timeout(Duration::from_secs(60)).expect("the server says");
            if line.starts_with(prefix) {
                return line;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The release binary: the first build, then `runs` saves.
fn end_to_end(dir: &Path, edit: &Edit, runs: usize) {
    let (server, started) = Server::start(dir);
    let timed = |path: &str| {
        let at = Instant::now();
        let (status, _) = server.get(path);
        assert_eq!(status, 200, "{path}");
        at.elapsed()
    };
    println!("\nend to end (the release binary)");
    println!("  first build, from the process's start to listening: {}", ms(started));
    println!(
        "  its first request of the page {}: {}",
        edit.page,
        ms(timed(&format!("/{}", edit.page)))
    );
    println!("  its first request of index.html: {}", ms(timed("/index.html")));
    let (mut saved, mut rebuilt, mut page, mut overview) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let label = format!("Edited label {run}");
        let (_, before) = server.get("/__journey/version");
        let written = Instant::now();
        std::fs::write(&edit.file, edit.with(&label)).expect("the change is saved");
        // As the reload script: the version after the page's, which the server
        // holds until the rebuild is served, then the page.
        loop {
            let (_, version) = server.get(&format!("/__journey/version?since={before}"));
            if version != before {
                break;
            }
        }
        let asked = Instant::now();
        let (status, body) = server.get(&format!("/{}", edit.page));
        let took = written.elapsed();
        assert_eq!(status, 200);
        assert!(body.contains(&label), "the page shows the change");
        page.push(asked.elapsed());
        saved.push(took);
        overview.push(timed("/index.html"));
        // `rebuilt 20 files in 262 ms, 371 ms after the change: …`
        let line = server.line("rebuilt ");
        let in_ms = line.split(" in ").nth(1).and_then(|r| r.split(' ').next());
        rebuilt.push(Duration::from_millis(in_ms.and_then(|m| m.parse().ok()).unwrap_or(0)));
        std::thread::sleep(Duration::from_millis(300));
    }
    println!("  a saved change, from the write to the page served with it: {}", stats(&saved));
    println!("    of which the rebuild (read and analyse; the server's line): {}", stats(&rebuilt));
    println!("    of which the page's request (rendered on it): {}", stats(&page));
    println!("  then index.html's first request (rendered on it): {}", stats(&overview));
    // Put the file back.
    std::fs::write(&edit.file, &edit.text).expect("the file is put back");
}

/// The phases of a rebuild through the library.
fn in_process(dir: &Path, edit: &Edit, runs: usize) {
    let levels = Levels::default();
    let dirs = [dir.to_path_buf()];
    let root = workspace::root(&dirs).expect("a root");
    let mut times: Vec<[Duration; 10]> = Vec::new();
    let mut before = Vec::new();
    let (first, ..) = workspace::load(&dirs);
    let mut incremental = Incremental::new();
    let started = Instant::now();
    let analysis = incremental.analyze_sources(&first, &levels);
    let first_analysis = started.elapsed();
    assert!(!analysis.has_errors(), "the generated workspace has errors");
    let changed = first
        .iter()
        .position(|(_, f)| f.path.file_name() == edit.file.file_name())
        .expect("the edited file is read");
    let id = FileId(changed as u32);
    let mut last_text = first.get(id).text.clone();
    for run in 0..runs {
        std::fs::write(&edit.file, edit.with(&format!("In process {run}"))).expect("saved");
        let at = Instant::now();
        let (sources, errors) = workspace::load(&dirs);
        let read = at.elapsed();
        assert!(errors.is_empty());
        let at = Instant::now();
        // As the server: the pages' qualified names are made beside the checks.
        let (analysis, names) = incremental.analyze_sources_beside(&sources, &levels, Names::of);
        let analysed = at.elapsed();
        // The same analysis, phase by phase.
        let text = &sources.get(id).text;
        let at = Instant::now();
        let _ = syntax::parse(id, text);
        let parse = at.elapsed();
        let (tree, _) = syntax::parse(id, &last_text);
        let at = Instant::now();
        let _ = syntax::reparse(id, &last_text, tree, false, text);
        let reparse = at.elapsed();
        last_text.clone_from(text);
        let trees: Vec<_> = sources.iter().map(|(id, f)| syntax::parse(id, &f.text).0).collect();
        let texts: Vec<&str> = sources.iter().map(|(_, f)| f.text.as_str()).collect();
        let at = Instant::now();
        let (model, _) = model::build(&texts, &trees);
        let resolve = at.elapsed();
        drop(trees);
        let at = Instant::now();
        let figures = Figures::of(&model);
        let _ = journey::check::check(&model, &figures, &levels);
        let checks = at.elapsed();
        let at = Instant::now();
        let qualified = Names::of(&model);
        let naming = at.elapsed();
        drop((model, figures, qualified));
        let files = workspace::relative_names(&root, &sources);
        let sources = Arc::new(sources);
        let pages = Pages::new(Arc::new(analysis), Arc::clone(&sources), files.clone(), "T")
            .with_names(names);
        let render = |name: &str| {
            let at = Instant::now();
            let text = pages.render(name).expect("the site has it").expect("it renders");
            (at.elapsed(), text.len())
        };
        // The page is what the browser asks for first.
        let (page, _) = render(&edit.page);
        let (index, _) = render("index.html");
        let (json, _) = render(emit::TRACEABILITY);
        times.push([read, analysed, parse, resolve, checks, naming, page, index, json, reparse]);
        if run < runs.min(3) {
            // Before: a fresh analysis and the whole site, as each rebuild did.
            let at = Instant::now();
            let (sources, _) = workspace::load(&dirs);
            let analysis = analyze(&sources, &levels);
            let input = emit::Input { analysis: &analysis, sources: &sources, files: &files };
            let site = emit::site(input, "T").expect("the site renders");
            before.push(at.elapsed());
            drop(site);
        }
    }
    std::fs::write(&edit.file, &edit.text).expect("the file is put back");
    let column = |i: usize| times.iter().map(|t| t[i]).collect::<Vec<_>>();
    println!("\nin process (the library), one rebuild");
    println!("  first analysis (every file parsed): {}", ms(first_analysis));
    println!("  read the workspace: {}", stats(&column(0)));
    println!("  analyse, incrementally (qualified names beside the checks): {}", stats(&column(1)));
    println!("    re-parse the changed file (what the edit touched): {}", stats(&column(9)));
    println!("    (parsing it whole: {})", stats(&column(2)));
    println!("    resolve (model::build): {}", stats(&column(3)));
    println!("    figures and checks: {}", stats(&column(4)));
    println!("  qualified names (alone): {}", stats(&column(5)));
    println!("  render {}: {}", edit.page, stats(&column(6)));
    println!("  render index.html: {}", stats(&column(7)));
    println!("  render traceability.json (only if asked for): {}", stats(&column(8)));
    let total: Vec<Duration> = times.iter().map(|t| t[0] + t[1] + t[6]).collect();
    println!("  read + analyse + render the page: {}", stats(&total));
    println!("  before: read, a fresh analysis and the whole site: {}", stats(&before));
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// The median and the minimum.
fn stats(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.as_slice() {
        [] => "—".to_owned(),
        [only] => ms(*only),
        _ => format!("median {} (min {})", ms(sorted[sorted.len() / 2]), ms(sorted[0])),
    }
}
