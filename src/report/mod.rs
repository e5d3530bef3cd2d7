//! Renders diagnostics for people (miette), for tools (JSON) and for GitHub Actions.
//!
//! Renderers only format: they never decide what is reported or at what level.

mod github;
mod human;
mod json;

pub use github::github;
pub use human::{Human, human, human_to};
pub use json::json;
