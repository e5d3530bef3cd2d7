//! How far `journey`'s parsing is from pest's floor on the same input: the fastest a
//! pest grammar can read a workspace at all. See `docs/performance.md`.
//!
//! ```sh
//! cargo bench --bench pest_floor                # 10k and 100k touchpoints
//! cargo bench --bench pest_floor -- 1k 1M       # chosen sizes (`k` and `M` allowed)
//! ```
//!
//! The floor is a grammar that only splits the text into tokens (identifiers,
//! strings, numbers, punctuation), one pair per token, with `journey`'s own white
//! space and comment rule: no structure, no keywords, no lowering. Whatever grammar
//! `journey` used, pest would have to do at least this. For each size it times, over
//! rayon's pool as `journey check` parses (files in parallel), medians of 5 runs:
//!
//! * `floor`: the token grammar, its pairs walked once (`Pairs::flatten`);
//! * `parse`: `journey::syntax::parse` of every file (pest and lowering to the AST);
//! * `analyze`: `journey::analyze`, the whole front end.
//!
//! Under `cargo test --benches` it runs once at 1k touchpoints, as a test of the
//! harness and of the floor grammar (it must accept every generated file).

#[path = "support/floor.rs"]
mod floor;
#[path = "support/generate.rs"]
mod generate;
#[path = "support/sizes.rs"]
mod sizes;

use journey::check::Levels;
use journey::{analyze, syntax, workspace};
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Files per workspace, as in the other benchmarks.
const FILES: usize = 20;

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sizes = if benchmarking { sizes() } else { vec![1000] };
    let runs = if benchmarking { 5 } else { 1 };
    println!(
        "| touchpoints | input | floor (pest, tokens only) | `syntax::parse` | parse ÷ floor | `analyze` |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for touchpoints in sizes {
        let dir = generate::cached(&generate::bench_root(), touchpoints, FILES)
            .expect("the workspace is generated");
        let (sources, errors) = workspace::load(std::slice::from_ref(&dir));
        assert!(errors.is_empty(), "cannot read {}", dir.display());
        let texts: Vec<&str> = sources.iter().map(|(_, f)| f.text.as_str()).collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();

        let floor = median(runs, || {
            let tokens = floor::parse_all(&texts);
            assert!(tokens > bytes / 20, "{tokens} tokens in {bytes} bytes");
        });
        let parse = median(runs, || {
            let files: Vec<_> = sources
                .iter()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|(id, f)| syntax::parse(id, &f.text))
                .collect();
            assert!(files.iter().all(|(_, diagnostics)| diagnostics.is_empty()));
        });
        let analyzed = median(runs, || {
            assert!(!analyze(&sources, &Levels::default()).has_errors());
        });
        #[allow(clippy::cast_precision_loss)] // a workspace is far below 2^52 bytes
        let mb = bytes as f64 / 1e6;
        let shown = |d: Duration| format!("{} ({:.0} MB/s)", seconds(d), mb / d.as_secs_f64());
        println!(
            "| {touchpoints} | {mb:.1} MB | {} | {} | {:.2}× | {} |",
            shown(floor),
            shown(parse),
            parse.as_secs_f64() / floor.as_secs_f64(),
            shown(analyzed),
        );
    }
}

/// The median wall time of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 { format!("{:.0} ms", s * 1e3) } else { format!("{s:.2} s") }
}

/// The sizes named after `--`, else 10k and 100k.
fn sizes() -> Vec<usize> {
    let named = sizes::named();
    if named.is_empty() { vec![10_000, 100_000] } else { named }
}
