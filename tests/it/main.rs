//! The integration tests, one crate with a module per area: every test crate links
//! the whole library and its dependencies, so one crate is linked once where 21 were
//! linked one by one. The only other test crate is `tests/browser.rs` (Cargo.toml
//! says why). The map of the tests is in `docs/architecture.md` ("Tests").
//!
//! Run one area with its module path as the filter, e.g. `cargo test --test it fmt::`,
//! or one test by name: `cargo test --test it a_missing_brace`.

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
mod hostile;
mod html;
mod import;
mod init;
mod layout;
mod load;
mod lsp;
mod robustness;
mod roundtrip;
mod serve;
