//! Whole-process timing of the release CLI on generated workspaces
//! (`benches/support/generate.rs`) of 1k to 1M touchpoints in 20 files; see
//! `docs/performance.md`.
//!
//! ```sh
//! cargo bench --bench scale                  # 1k, 10k, 100k and 1M touchpoints
//! cargo bench --bench scale -- 1000 10k      # chosen sizes (a `k` or `M` suffix is allowed)
//! JOURNEY_BENCH_RUNS=3 cargo bench --bench scale -- 100k
//! cargo bench --bench scale -- --lean 100k   # the lean workspace (about 100 bytes per touchpoint)
//! ```
//!
//! For each size it runs, several times each (5, or 3 from 1M touchpoints up;
//! `JOURNEY_BENCH_RUNS` overrides), after one untimed warm-up run below 1M:
//!
//! * `check`: `journey check DIR`, standard output and error to `/dev/null`. The
//!   human report is still rendered, only not kept;
//! * `check > file`: the same with the report written to a file, as a user
//!   redirecting it would (its size is shown);
//! * `check --allow all`: every lint allowed, so nothing is reported: the cost of
//!   the analysis alone;
//! * `build`: `journey build DIR -o OUT`, output to `/dev/null` (the site's size is
//!   shown). Skipped above `JOURNEY_BENCH_BUILD_MAX` touchpoints (100k by default):
//!   `index.html` grows quadratically and would not fit on the disk at 1M.
//!
//! Before and after each run it times pest's floor on the same files in process
//! (`support/floor.rs`), and reports each command's median as a ratio to the
//! floor's median: the machine's speed drifts, a ratio measured side by side does
//! not. It also reports the median and minimum wall time, throughput (MB of source
//! per second, touchpoints per second), the CPU time (user + system: above the wall
//! time when files are parsed in parallel) and the peak memory (the child's
//! maximum resident set size, from `wait4(2)`), also as a multiple of the input's
//! size; then how time grows from one size to the next. The table is printed and
//! written to `target/bench/scale.md` (`scale-lean.md` with `--lean`).
//!
//! Under `cargo test --benches` (no `--bench` argument) it only runs each command
//! once at 1k touchpoints, to check the harness itself.

#[path = "support/floor.rs"]
mod floor;
#[path = "support/generate.rs"]
mod generate;
#[path = "support/sizes.rs"]
mod sizes;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wait4::Wait4;

/// Files per workspace.
const FILES: usize = 20;

/// Every lint of the registry, for `check --allow all`: `gap,waste,…`.
fn all_lints() -> String {
    let names: Vec<&str> = journey::diagnostic::Lint::ALL.iter().map(|l| l.code().name()).collect();
    names.join(",")
}

const JOURNEY: &str = env!("CARGO_BIN_EXE_journey");

#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Check,
    CheckToFile,
    CheckQuiet,
    Build,
}

impl Variant {
    const ALL: [Variant; 4] =
        [Variant::Check, Variant::CheckToFile, Variant::CheckQuiet, Variant::Build];

    fn name(self) -> &'static str {
        match self {
            Variant::Check => "`check`",
            Variant::CheckToFile => "`check` > file",
            Variant::CheckQuiet => "`check --allow` all",
            Variant::Build => "`build`",
        }
    }
}

/// One run of the CLI.
struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss: u64,
}

/// The measurements of one command at one size.
struct Row {
    touchpoints: usize,
    input: u64,
    /// pest's floor on the same files, in process: the median of runs taken before
    /// and after the command's, so that the ratio compares like with like on a
    /// machine whose speed drifts.
    floor: Duration,
    variant: Variant,
    runs: Vec<Run>,
    /// The size of what the command wrote (the report or the site), if kept.
    output: Option<u64>,
    skipped: Option<String>,
}

impl Row {
    fn median(&self) -> Duration {
        let mut walls: Vec<Duration> = self.runs.iter().map(|r| r.wall).collect();
        walls.sort_unstable();
        let n = walls.len();
        if n % 2 == 1 { walls[n / 2] } else { (walls[n / 2 - 1] + walls[n / 2]) / 2 }
    }

    fn min(&self) -> Duration {
        self.runs.iter().map(|r| r.wall).min().unwrap_or_default()
    }

    fn cpu(&self) -> Duration {
        let mut cpu: Vec<Duration> = self.runs.iter().map(|r| r.cpu).collect();
        cpu.sort_unstable();
        cpu[cpu.len() / 2]
    }

    fn max_rss(&self) -> u64 {
        self.runs.iter().map(|r| r.max_rss).max().unwrap_or(0)
    }
}

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes = if benchmarking { sizes() } else { vec![1000] };
    let root = generate::bench_root();
    let style = if std::env::args().any(|a| a == "--lean") {
        generate::Style::Lean
    } else {
        generate::Style::Realistic
    };
    std::fs::create_dir_all(&root).expect("target/bench can be created");
    let build_max = env_number("JOURNEY_BENCH_BUILD_MAX").unwrap_or(100_000);

    let mut rows = Vec::new();
    for &touchpoints in &sizes {
        let started = Instant::now();
        let dir = generate::cached_in(&root, style, touchpoints, FILES)
            .expect("the workspace is generated");
        let input = generate::size_of(&dir).expect("the workspace can be measured");
        eprintln!(
            "{touchpoints} touchpoints: {} in {FILES} files, ready in {:.1} s",
            megabytes(input),
            started.elapsed().as_secs_f64()
        );
        let runs = if !benchmarking {
            1
        } else if let Some(runs) = env_number("JOURNEY_BENCH_RUNS") {
            runs.max(1)
        } else if touchpoints >= 1_000_000 {
            3
        } else {
            5
        };
        let texts = read(&dir);
        for variant in Variant::ALL {
            let mut row = Row {
                touchpoints,
                input,
                floor: Duration::ZERO,
                variant,
                runs: Vec::new(),
                output: None,
                skipped: None,
            };
            if variant == Variant::Build && touchpoints > build_max {
                row.skipped = Some(format!(
                    "skipped above {build_max} touchpoints (`JOURNEY_BENCH_BUILD_MAX`)"
                ));
                rows.push(row);
                continue;
            }
            let site = root.join(format!("site-{touchpoints}"));
            let report = root.join(format!("report-{touchpoints}.txt"));
            let warm_up = benchmarking && touchpoints < 1_000_000;
            let mut floors = Vec::new();
            for i in 0..runs + usize::from(warm_up) {
                if !(warm_up && i == 0) {
                    floors.push(floor_time(&texts));
                }
                let run = run(variant, &dir, &site, &report);
                eprintln!(
                    "  {} run {}: {:.3} s, {}",
                    variant.name(),
                    i + 1,
                    run.wall.as_secs_f64(),
                    megabytes(run.max_rss)
                );
                if !(warm_up && i == 0) {
                    row.runs.push(run);
                    floors.push(floor_time(&texts));
                }
            }
            floors.sort_unstable();
            row.floor = floors[floors.len() / 2];
            match variant {
                Variant::CheckToFile => {
                    row.output = std::fs::metadata(&report).ok().map(|m| m.len());
                    let _ = std::fs::remove_file(&report);
                }
                Variant::Build => {
                    row.output = generate::size_of_tree(&site).ok();
                    // Gigabytes at 100k touchpoints: do not leave it behind.
                    let _ = std::fs::remove_dir_all(&site);
                }
                Variant::Check | Variant::CheckQuiet => {}
            }
            rows.push(row);
        }
    }

    let table = markdown(&rows, style);
    println!("{table}");
    if benchmarking {
        let path = root.join(match style {
            generate::Style::Realistic => "scale.md",
            generate::Style::Lean => "scale-lean.md",
        });
        std::fs::write(&path, &table).expect("target/bench/scale.md can be written");
        eprintln!("wrote {}", path.display());
    }
}

/// The sizes named on the command line (`1000`, `10k`, `1M`), else
/// `JOURNEY_BENCH_SIZES`, else 1k, 10k, 100k and 1M.
fn sizes() -> Vec<usize> {
    let named = sizes::named();
    if !named.is_empty() {
        return named;
    }
    if let Ok(list) = std::env::var("JOURNEY_BENCH_SIZES") {
        return list.split(',').filter_map(sizes::size).collect();
    }
    vec![1_000, 10_000, 100_000, 1_000_000]
}

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| sizes::size(&v))
}

/// The text of every file of the workspace in `dir`.
fn read(dir: &Path) -> Vec<String> {
    let (sources, errors) = journey::workspace::load(&[dir.to_path_buf()]);
    assert!(errors.is_empty(), "cannot read {}", dir.display());
    sources.iter().map(|(_, f)| f.text.clone()).collect()
}

/// One run of pest's floor over `texts`.
fn floor_time(texts: &[String]) -> Duration {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    let tokens = floor::parse_all(&texts);
    let elapsed = started.elapsed();
    assert!(tokens > 0, "the floor read no token");
    elapsed
}

/// Runs the CLI once and measures it.
fn run(variant: Variant, dir: &Path, site: &Path, report: &Path) -> Run {
    let mut args: Vec<OsString> = Vec::new();
    let mut stderr = Stdio::null();
    match variant {
        Variant::Check => args.extend(["check".into(), dir.into()]),
        Variant::CheckToFile => {
            args.extend(["check".into(), dir.into()]);
            stderr = File::create(report).expect("the report file can be created").into();
        }
        Variant::CheckQuiet => {
            args.extend(["check".into(), dir.into(), "--allow".into(), all_lints().into()]);
        }
        Variant::Build => args.extend(["build".into(), dir.into(), "-o".into(), site.into()]),
    }
    let start = Instant::now();
    let mut child = Command::new(JOURNEY)
        .args(&args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the journey binary runs");
    let usage = child.wait4().expect("the child can be waited for");
    let wall = start.elapsed();
    assert!(
        usage.status.success(),
        "`journey {}` failed: {}",
        args.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" "),
        usage.status
    );
    Run { wall, cpu: usage.rusage.utime + usage.rusage.stime, max_rss: usage.rusage.maxrss }
}

/// The results as Markdown: the machine, the table, and how time grows with size.
fn markdown(rows: &[Row], style: generate::Style) -> String {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let _ = writeln!(
        out,
        "Machine: {} ({cores} cores). Workspaces: generator version {}, {} style, {FILES} files. \
         Standard output and error go to `/dev/null` except for `check` > file. \
         ÷ floor: the median over pest's floor on the same files (`benches/support/floor.rs`), \
         timed in process between the command's runs.\n",
        cpu_model(),
        generate::VERSION,
        style.name()
    );
    out.push_str(
        "| touchpoints | command | input | runs | median | min | ÷ floor | MB/s | touchpoints/s | \
         CPU | peak RSS | RSS ÷ input | output |\n",
    );
    out.push_str("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in rows {
        let n = row.touchpoints;
        if let Some(why) = &row.skipped {
            let _ = writeln!(
                out,
                "| {n} | {} | {} | — | — | — | — | — | — | — | — | — | {why} |",
                row.variant.name(),
                megabytes(row.input)
            );
            continue;
        }
        let median = row.median().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let (input, items, rss) = (row.input as f64, n as f64, row.max_rss() as f64);
        let _ = writeln!(
            out,
            "| {n} | {} | {} | {} | {} | {} | {:.2}× | {:.1} | {} | {} | {} | {:.1}× | {} |",
            row.variant.name(),
            megabytes(row.input),
            row.runs.len(),
            seconds(median),
            seconds(row.min().as_secs_f64()),
            median / row.floor.as_secs_f64(),
            input / median / 1e6,
            count(items / median),
            seconds(row.cpu().as_secs_f64()),
            megabytes(row.max_rss()),
            rss / input,
            row.output.map_or_else(|| "—".to_owned(), megabytes)
        );
    }
    let mut growth = String::new();
    for variant in Variant::ALL {
        let measured: Vec<&Row> =
            rows.iter().filter(|r| r.variant == variant && !r.runs.is_empty()).collect();
        let ratios: Vec<String> = measured
            .windows(2)
            .map(|w| {
                let ratio = w[1].median().as_secs_f64() / w[0].median().as_secs_f64();
                format!("{}/{}: {ratio:.1}×", short(w[1].touchpoints), short(w[0].touchpoints))
            })
            .collect();
        if !ratios.is_empty() {
            let _ = writeln!(growth, "- {}: {}", variant.name(), ratios.join(", "));
        }
    }
    if !growth.is_empty() {
        out.push_str("\nTime ratio between consecutive sizes (linear is the ratio of sizes):\n\n");
        out.push_str(&growth);
    }
    out
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn seconds(s: f64) -> String {
    if s < 1.0 { format!("{:.1} ms", s * 1000.0) } else { format!("{s:.2} s") }
}

#[allow(clippy::cast_precision_loss)]
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 1000.0 { format!("{:.2} GB", mb / 1000.0) } else { format!("{mb:.1} MB") }
}

fn count(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M", per_second / 1e6)
    } else {
        format!("{:.0} k", per_second / 1e3)
    }
}

fn short(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1000 && n % 1000 == 0 => format!("{}k", n / 1000),
        n => n.to_string(),
    }
}
