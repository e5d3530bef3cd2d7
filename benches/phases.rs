//! In-process timing of each phase of the compiler on generated workspaces
//! (`benches/support/generate.rs`), in 20 files each; see `docs/performance.md`.
//!
//! ```sh
//! cargo bench --bench phases                                # 1k, 10k and 100k touchpoints
//! JOURNEY_BENCH_SIZES=1000,10000 cargo bench --bench phases # chosen sizes
//! JOURNEY_BENCH_1M=1 cargo bench --bench phases             # also 1M (slow, ~5 GB)
//! cargo bench --bench phases -- resolve check               # only some phases
//! ```
//!
//! Each benchmark reports its time, its throughput in bytes of source (MB/s) and in
//! touchpoints (items/s), and what it allocates (divan's allocation profiler).
//! The phases, in pipeline order:
//!
//! * `read`: `workspace::load` of the generated folder (the files are in the page
//!   cache after the first run, so this is the cost of the walk, the reads and
//!   UTF-8 validation, not of the disk);
//! * `parse`: `syntax::parse` of every file on one thread. Parsing (pest) and
//!   lowering to the AST are interleaved declaration by declaration inside
//!   `syntax::parse`, and the library has no public way to run one without the
//!   other, so they are timed together;
//! * `parse_parallel`: the same over rayon's pool, as `analyze` does it;
//! * `resolve`: `model::build` (declare, then resolve every reference);
//! * `figures`: `Figures::of` (gaps, waste, hand-offs, coverage, load);
//! * `check`: `check::check` (the lints, at the default levels);
//! * `analyze`: the whole front end (`parse_parallel` + `resolve` + `figures` +
//!   `check` + sorting the diagnostics), as `journey check` runs it;
//! * `report`: rendering the human report that `journey check` prints;
//! * `json`: `traceability.json` (`emit::traceability`, with `Names::of`);
//! * `site`: `emit::site`, every page and `traceability.json`: the HTML alone is
//!   `site` − `json`, since the pages' renderer is private to `emit`;
//! * `write`: `output::write` of the site into a folder, as `journey build` ends.
//!
//! `site` and `write` are skipped above 100k touchpoints (`JOURNEY_BENCH_HTML_MAX`),
//! since `index.html` grows quadratically (see `docs/performance.md`).

#[path = "support/generate.rs"]
mod generate;

use divan::counter::{BytesCount, ItemsCount};
use divan::{AllocProfiler, Bencher, black_box};
use journey::check::Levels;
use journey::emit::{self, Site};
use journey::model::Names;
use journey::model::{self, Figures};
use journey::report::{self, Human};
use journey::source::Sources;
use journey::syntax::{self, ast};
use journey::{Analysis, analyze, output, workspace};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

/// Files per workspace.
const FILES: usize = 20;

/// The time budget of one benchmark at one size: at 100k touchpoints it allows a few
/// samples of the slow phases; small sizes reach divan's 100 samples first.
const MAX_TIME: Duration = Duration::from_secs(5);

fn main() {
    divan::main();
}

/// Whether this is a real run (`cargo bench`) rather than `cargo test --benches`,
/// which runs each benchmark once and should stay quick.
fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn env_size(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// The sizes to run: `JOURNEY_BENCH_SIZES` (comma-separated), else 1k, 10k and 100k,
/// and 1M with `JOURNEY_BENCH_1M=1`; only 1k under `cargo test`.
fn sizes() -> Vec<usize> {
    if !benchmarking() {
        return vec![1000];
    }
    if let Ok(list) = std::env::var("JOURNEY_BENCH_SIZES") {
        return list.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    }
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var("JOURNEY_BENCH_1M").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    sizes
}

/// The sizes at which the site is rendered: the others, up to `JOURNEY_BENCH_HTML_MAX`
/// (100k by default).
fn site_sizes() -> Vec<usize> {
    let max = env_size("JOURNEY_BENCH_HTML_MAX").unwrap_or(100_000);
    sizes().into_iter().filter(|&n| n <= max).collect()
}

/// A generated workspace, read and analysed once, shared by every benchmark.
struct Prepared {
    dir: PathBuf,
    touchpoints: usize,
    sources: Sources,
    bytes: usize,
    analysis: Analysis,
    /// The syntax trees, for `resolve` (`Analysis` does not keep them).
    files: Vec<ast::File>,
    /// The files' names relative to the workspace root, as `journey build` names them.
    names: Vec<String>,
}

impl Prepared {
    fn load(touchpoints: usize) -> Prepared {
        let dir = generate::cached(&generate::bench_root(), touchpoints, FILES)
            .expect("the workspace is generated");
        let (sources, errors) = workspace::load(std::slice::from_ref(&dir));
        assert!(errors.is_empty(), "cannot read {}: {:?}", dir.display(), errors.first());
        let bytes = sources.iter().map(|(_, f)| f.text.len()).sum();
        let analysis = analyze(&sources, &Levels::default());
        assert!(!analysis.has_errors(), "the generated workspace has errors");
        let root = workspace::root(std::slice::from_ref(&dir)).expect("a root");
        let names = workspace::relative_names(&root, &sources);
        let files = sources.iter().map(|(id, f)| syntax::parse(id, &f.text).0).collect();
        Prepared { dir, touchpoints, sources, bytes, analysis, files, names }
    }

    fn input(&self) -> emit::Input<'_> {
        emit::Input { analysis: &self.analysis, sources: &self.sources, files: &self.names }
    }

    /// The bytes and touchpoints every phase is measured against.
    fn counted<'a, 'b>(&self, bencher: Bencher<'a, 'b>) -> Bencher<'a, 'b> {
        bencher.counter(BytesCount::new(self.bytes)).counter(ItemsCount::new(self.touchpoints))
    }
}

/// The prepared workspace of a size, made on first use and kept for the run.
fn prepared(touchpoints: usize) -> Arc<Prepared> {
    static CACHE: OnceLock<Mutex<BTreeMap<usize, Arc<Prepared>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().expect("no benchmark panicked");
    Arc::clone(cache.entry(touchpoints).or_insert_with(|| Arc::new(Prepared::load(touchpoints))))
}

/// The rendered site of a size, for `write`.
fn site_of(touchpoints: usize) -> Arc<Site> {
    static CACHE: OnceLock<Mutex<BTreeMap<usize, Arc<Site>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().expect("no benchmark panicked");
    let site = cache.entry(touchpoints).or_insert_with(|| {
        let p = prepared(touchpoints);
        Arc::new(emit::site(p.input(), emit::DEFAULT_TITLE).expect("the pages render"))
    });
    Arc::clone(site)
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn read(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let paths = vec![p.dir.clone()];
    p.counted(bencher).bench_local(|| workspace::load(black_box(&paths)));
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn parse(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    p.counted(bencher).bench_local(|| {
        p.sources.iter().map(|(id, f)| syntax::parse(id, black_box(&f.text))).collect::<Vec<_>>()
    });
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn parse_parallel(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    p.counted(bencher).bench_local(|| {
        p.sources
            .iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(id, f)| syntax::parse(id, black_box(&f.text)))
            .collect::<Vec<_>>()
    });
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn resolve(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let files: &[ast::File] = &p.files;
    let texts: Vec<&str> = p.sources.iter().map(|(_, f)| f.text.as_str()).collect();
    p.counted(bencher).bench_local(|| model::build(&texts, black_box(files)));
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn figures(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    p.counted(bencher).bench_local(|| Figures::of(black_box(&p.analysis.model)));
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn check(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let levels = Levels::default();
    p.counted(bencher).bench_local(|| {
        journey::check::check(black_box(&p.analysis.model), &p.analysis.figures, &levels)
    });
}

#[divan::bench(name = "analyze", args = sizes(), max_time = MAX_TIME)]
fn analyze_all(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let levels = Levels::default();
    p.counted(bencher).bench_local(|| analyze(black_box(&p.sources), &levels));
}

#[divan::bench(name = "report", args = sizes(), max_time = MAX_TIME)]
fn report_human(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let style = Human { color: false, width: 100 };
    p.counted(bencher)
        .bench_local(|| report::human(&p.sources, black_box(&p.analysis.diagnostics), style));
}

#[divan::bench(args = sizes(), max_time = MAX_TIME)]
fn json(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    p.counted(bencher).bench_local(|| {
        let names = Names::of(&p.analysis.model);
        emit::traceability(black_box(p.input()), &names)
    });
}

#[divan::bench(args = site_sizes(), max_time = MAX_TIME)]
fn site(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    p.counted(bencher).bench_local(|| emit::site(black_box(p.input()), emit::DEFAULT_TITLE));
}

#[divan::bench(args = site_sizes(), max_time = MAX_TIME)]
fn write(bencher: Bencher, touchpoints: usize) {
    let p = prepared(touchpoints);
    let site = site_of(touchpoints);
    let out = generate::bench_root().join(format!("phases-site-{touchpoints}"));
    p.counted(bencher).bench_local(|| output::write(black_box(&out), &site, &p.sources));
    // A site at 100k touchpoints takes gigabytes: do not leave it behind.
    let _ = std::fs::remove_dir_all(&out);
}
