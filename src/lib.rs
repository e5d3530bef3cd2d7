//! `journey`: a compiler for customer journeys and value streams written as text.
//!
//! The pipeline, one module per phase, data flowing one way:
//! [`syntax`] (text → AST) → [`model`] (resolved, indexed) → [`check`] (lints) →
//! `emit` (outputs). [`report`] renders diagnostics; [`cli`] is a thin layer on top.
//! See `docs/architecture.md`.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod fmt;
pub mod import;
pub mod init;
pub mod lsp;
pub mod model;
pub mod output;
pub mod report;
pub mod serve;
pub mod source;
pub mod syntax;
pub mod workspace;

pub use analysis::{Analysis, analyze};
