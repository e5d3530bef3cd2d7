//! Renders diagnostics for people (miette), for tools (JSON), for GitHub Actions
//! (workflow commands), for code scanning (SARIF) and for GitLab (Code Quality).
//!
//! Renderers only format: they never decide what is reported or at what level.

mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod sarif;

pub use github::github;
pub use gitlab::gitlab;
pub use human::{Human, human, human_to};
pub use json::json;
pub use sarif::{FINGERPRINT, RULE_DOCS, SCHEMA as SARIF_SCHEMA, help_uri, sarif};
