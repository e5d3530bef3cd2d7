//! Workspace sizes named on a benchmark's command line (`cargo bench --bench scale
//! -- 10k 1M`), shared by `benches/scale.rs` and `benches/pest_floor.rs`.

#![allow(dead_code)]

/// The sizes named as arguments (flags such as `--bench` are skipped), if any.
pub fn named() -> Vec<usize> {
    std::env::args().skip(1).filter(|a| !a.starts_with('-')).filter_map(|a| size(&a)).collect()
}

/// A number of touchpoints, with an optional `k` or `M` suffix: `10k`, `1M`, `2500`.
pub fn size(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, factor) = match text.strip_suffix(['k', 'K']) {
        Some(digits) => (digits, 1_000),
        None => match text.strip_suffix('M') {
            Some(digits) => (digits, 1_000_000),
            None => (text, 1),
        },
    };
    digits.parse::<usize>().ok().map(|n| n * factor)
}
