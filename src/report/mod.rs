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

pub use github::{github, github_to};
pub use gitlab::{gitlab, gitlab_to};
pub use human::{Human, human, human_to};
pub use json::{json, json_to};
pub use sarif::{FINGERPRINT, RULE_DOCS, SCHEMA as SARIF_SCHEMA, help_uri, sarif, sarif_to};

use serde::{Serialize, Serializer};
use std::io;

/// A list serialised as it is made, item by item: a report of tens of thousands of
/// findings is written as it goes, never held whole (as a `Vec` of items and then
/// as text, a SARIF log of 38 000 findings took 360 MB). The same text as a `Vec`'s.
struct Streamed<I>(I);

impl<I> Serialize for Streamed<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// Writes `value` as pretty-printed JSON with a final newline.
fn json_document<W: io::Write + ?Sized>(out: &mut W, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// What `write` writes, as a string: the reports are UTF-8, and writing into memory
/// cannot fail.
fn written(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}
