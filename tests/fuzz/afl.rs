//! The AFL fuzz target: the whole pipeline on each input. Build and run it with
//! `tests/fuzz/run.sh` (see docs/reliability.md).

#[path = "harness.rs"]
mod harness;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        harness::pipeline(data);
    });
}
