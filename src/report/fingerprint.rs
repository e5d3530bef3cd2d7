//! Fingerprints that follow a finding across commits, for the formats whose consumers
//! track findings from run to run (`--format sarif`'s `partialFingerprints`,
//! `--format gitlab`'s `fingerprint`).
//!
//! A fingerprint is the SHA-256 of the code, the file's path and the message, which
//! names elements by id and never by line: adding, removing or moving lines above a
//! finding keeps it, so GitHub and GitLab see the same alert and not a fixed one and a
//! new one. Renaming the file, the element or changing a figure in the message (an
//! overload's percentage) makes a new fingerprint, as it is then arguably a new
//! finding. Two findings with the same code, file and message (two identical syntax
//! errors) are told apart by their rank among those, in reporting order (by place),
//! which moving lines does not change either.

use crate::diagnostic::Diagnostic;
use crate::source::Sources;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The fingerprint of every diagnostic, in the order given (which is reporting order):
/// 32 hexadecimal digits, then `:` and the rank among diagnostics of the same code,
/// file and message, from 1.
pub fn fingerprints(sources: &Sources, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: FxHashMap<[u8; 16], usize> = FxHashMap::default();
    diagnostics
        .iter()
        .map(|d| {
            let mut hash = Sha256::new();
            // The code and the path end with a NUL, which neither can hold, so that
            // no two different triples hash the same bytes.
            for part in [d.code.as_str(), &sources.get(d.primary.span.file).display_path()] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
            hash.update(d.message.as_bytes());
            let digest = hash.finalize();
            let mut key = [0u8; 16];
            key.copy_from_slice(&digest[..16]);
            let rank = seen.entry(key).or_default();
            *rank += 1;
            let mut text = String::with_capacity(40);
            for byte in key {
                let _ = write!(text, "{byte:02x}");
            }
            let _ = write!(text, ":{rank}");
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Label};
    use crate::source::Span;

    fn gap(sources: &Sources, file: crate::source::FileId, id: &str) -> Diagnostic {
        let text = &sources.get(file).text;
        let start = text.find(id).unwrap();
        Diagnostic::error(
            Code::Gap,
            format!("touchpoint `{id}` traces to no activity"),
            Label::new(Span::new(file, start, start + id.len()), "here"),
        )
    }

    #[test]
    fn moving_lines_keeps_a_fingerprint_and_the_element_changes_it() {
        let mut before = Sources::new();
        let a = before.add("m/a.journey", "x\ny\n".into()).unwrap();
        let mut after = Sources::new();
        let b = after.add("m/a.journey", "\n\n\n  y\n x\n".into()).unwrap();
        let old = fingerprints(&before, &[gap(&before, a, "x"), gap(&before, a, "y")]);
        let new = fingerprints(&after, &[gap(&after, b, "y"), gap(&after, b, "x")]);
        assert_eq!(old[0], new[1]);
        assert_eq!(old[1], new[0]);
        assert_ne!(old[0], old[1]);
        assert!(old[0].ends_with(":1") && old[0].len() == 34, "{}", old[0]);
    }

    #[test]
    fn the_same_finding_twice_is_told_apart_by_its_rank() {
        let mut sources = Sources::new();
        let a = sources.add("a.journey", "x x".into()).unwrap();
        let c = sources.add("c.journey", "x".into()).unwrap();
        let found = fingerprints(
            &sources,
            &[gap(&sources, a, "x"), gap(&sources, a, "x"), gap(&sources, c, "x")],
        );
        assert_eq!(found[0][..32], found[1][..32]);
        assert!(found[0].ends_with(":1") && found[1].ends_with(":2"));
        assert_ne!(found[0][..32], found[2][..32], "the file is part of it");
    }
}
