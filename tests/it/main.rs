//! The integration tests, one crate with a module per area: every test crate links
//! the whole library and its dependencies, so one crate is linked once where 21 were
//! linked one by one. The only other test crate is `tests/browser.rs` (Cargo.toml
//! says why). The map of the tests is in `docs/architecture.md` ("Tests").
//!
//! Run one area with its module path as the filter, e.g. `cargo test --test it fmt::`,
//! or one test by name: `cargo test --test it a_missing_brace`.
//!
//! # Snapshots
//!
//! Expected outputs are insta snapshots, one `.snap` file each, named after what
//! they hold: `tests/cases/<case>.human.snap` and `<case>.json.snap` beside each
//! golden case, and `tests/outputs/<name>.snap` for the examples' outputs (their
//! diagnostics, `traceability.json`, exports) and the `diff` and `import` reports.
//! Below the `---` header a snapshot is the output itself; how it ends (a final
//! newline, a blank line, CRLF), which insta does not keep, is asserted with it
//! (`support::Ending`).
//!
//! After an intended change of output, accept the new snapshots and review them in
//! the diff before committing:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test it     # write every changed snapshot
//! cargo insta review                           # or one by one (cargo install cargo-insta)
//! ```
//!
//! Without `INSTA_UPDATE`, a changed or missing snapshot fails its test and insta
//! writes the new one beside it as `<name>.snap.new` for review (ignored by git).
//! Under CI (`CI` set) insta writes nothing, so a missing snapshot fails the run.

mod support;

mod bench_generator;
mod bugs;
mod build;
mod cli;
mod diff;
mod examples;
mod export;
mod fmt;
mod fmt_model;
mod fuzz_corpus;
mod golden;
mod grammar;
mod hardening;
mod hostile;
mod html;
mod import;
mod init;
mod integrations;
mod layering;
mod layout;
mod load;
mod lsp;
mod measurements;
mod robustness;
mod roundtrip;
mod scenarios;
mod serve;
mod views;
