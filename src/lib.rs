//! `journey`: a compiler for customer journeys and value streams written as text.
//!
//! The pipeline, one module per phase, data flowing one way:
//! [`syntax`] (text → AST) → [`model`] (resolved, indexed) → [`check`] (lints) →
//! `emit` (outputs). [`report`] renders diagnostics; [`cli`] is a thin layer on top.
//! [`text`], below the back ends, escapes source text for every target and words
//! figures and counts.
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
pub mod text;
pub mod workspace;

pub use analysis::{Analysis, analyze};
