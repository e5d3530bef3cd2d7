//! Response times of `journey lsp` on a generated workspace of about 10 MB (100
//! journeys of 1,000 touchpoints, 2,000 activities), spoken to through the protocol
//! as an editor would (the client of the protocol tests, `tests/it/support/lsp_client.rs`):
//! start-up and the first diagnostics, an edit that breaks a reference and the edit
//! that fixes it, hover, definition, references, completion, symbols and semantic
//! tokens. Three workspaces: `gaps` (a stage's activities share a team; one touchpoint
//! in 20 is a gap: 5,000 warnings), `handoffs` (every touchpoint is a hand-off:
//! 95,000 notes), and `files`, `gaps` written ten journeys to a file (1 MB files, the
//! edit in the first journey of one). See `docs/editors.md` for the figures.
//!
//! ```sh
//! cargo bench --bench lsp               # every workspace
//! cargo bench --bench lsp -- handoffs   # one of them: `gaps`, `handoffs` or `files`
//! JOURNEY_LSP_LOG=1 cargo bench --bench lsp   # with the server's own timings
//! ```
//!
//! Under `cargo test --benches` (no `--bench` argument) it runs once on a workspace of
//! two journeys, to check the harness itself.

#[path = "../tests/it/support/lsp_client.rs"]
mod client;

use client::{Client, Random, at, has_code, pos, uri};
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The workspaces: `(name, every touchpoint a hand-off, journeys a file)`.
const WORKSPACES: [(&str, bool, usize); 3] =
    [("gaps", false, 1), ("handoffs", true, 1), ("files", false, 10)];

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let chosen: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if let Some(unknown) = chosen.iter().find(|c| WORKSPACES.iter().all(|(name, ..)| name != c)) {
        eprintln!(
            "lsp: no workspace `{unknown}`; the workspaces are `gaps`, `handoffs` and `files`"
        );
        std::process::exit(2);
    }
    let journeys = if benchmarking { 100 } else { 2 };
    for (name, handoffs, per_file) in WORKSPACES {
        if chosen.is_empty() || chosen.iter().any(|c| c == name) {
            println!("\n{name}: {journeys} journeys, {per_file} a file");
            measure(handoffs, journeys, per_file);
        }
    }
}

/// Writes a workspace of about 10 MB at 100 journeys: one organisation file, 10 value
/// streams of 200 activities, and the journeys of 1,000 touchpoints, each tracing to two
/// activities of one stage. With `handoffs`, the activities of a stage have
/// different owners, so that every touchpoint is a hand-off (95,000 notes); without,
/// a stage's activities share a team and one touchpoint in 20 is a gap (5,000
/// warnings). The journeys are written `per_file` to a file. Returns the file of the
/// middle journey, which is the first of its file.
fn large_workspace(root: &Path, handoffs: bool, journeys: usize, per_file: usize) -> PathBuf {
    let mut random = Random(42);
    let mut org = String::from("persona customer \"Customer\"\n");
    for t in 0..30 {
        writeln!(org, "team team_{t} \"Team {t}\"").unwrap();
    }
    for c in 0..60 {
        let (capacity, owner) = (100 + random.below(100_000), c % 30);
        writeln!(
            org,
            "capability cap_{c} \"Capability {c}\" {{ level 2 owner team_{owner} capacity {capacity} per week }}"
        )
        .unwrap();
    }
    for s in 0..40 {
        writeln!(org, "system sys_{s} \"System {s}\" {{ owner team_{} }}", s % 30).unwrap();
    }
    std::fs::write(root.join("organisation.journey"), org).unwrap();
    std::fs::create_dir_all(root.join("streams")).unwrap();
    std::fs::create_dir_all(root.join("journeys")).unwrap();
    for v in 0..10 {
        let mut text =
            format!("value stream vs_{v} \"Value stream {v}\" {{\n  stakeholder customer\n");
        for st in 0..10 {
            writeln!(text, "  stage st_{st} \"Stage {st}\" {{").unwrap();
            writeln!(text, "    metric m \"Lead time\" {{ target \"< 2 days\" }}").unwrap();
            for a in 0..20 {
                let owner = if handoffs { (v + a) % 30 } else { (v * 10 + st) % 30 };
                let (capability, system) = ((st * 7 + a) % 60, a % 40);
                writeln!(text, "    activity act_{st}_{a} \"Activity {st}.{a} of stream {v}\" {{")
                    .unwrap();
                writeln!(text, "      owner team_{owner}\n      capability cap_{capability}")
                    .unwrap();
                writeln!(
                    text,
                    "      system sys_{system}\n      process 15 min\n      wait 2 days"
                )
                .unwrap();
                writeln!(text, "    }}").unwrap();
            }
            writeln!(text, "  }}").unwrap();
        }
        writeln!(text, "}}").unwrap();
        std::fs::write(root.join(format!("streams/vs_{v}.journey")), text).unwrap();
    }
    let file_of = |j: usize| root.join(format!("journeys/journey_{:03}.journey", j / per_file));
    let mut text = String::new();
    for j in 0..journeys {
        let volume = 10 + random.below(490);
        write!(
            text,
            "journey j_{j} \"Journey {j}\" {{\n  persona customer\n  volume {volume} per week\n"
        )
        .unwrap();
        for st in 0..20 {
            let (v, vst) = (random.below(10), random.below(10));
            writeln!(text, "  stage s_{st} \"Stage {st}\" {{\n    maps to vs_{v}.st_{vst}")
                .unwrap();
            for t in 0..50 {
                let emotion = i64::try_from(random.below(7)).unwrap() - 3;
                if !handoffs && t % 20 == 7 {
                    writeln!(
                        text,
                        "    touchpoint t_{t} \"Touchpoint {t}\" {{ emotion {emotion} }}"
                    )
                    .unwrap();
                    continue;
                }
                let (a, b) = (random.below(20), random.below(20));
                writeln!(
                    text,
                    "    touchpoint t_{t} \"Touchpoint {t}\" {{\n      emotion {emotion}"
                )
                .unwrap();
                writeln!(
                    text,
                    "      traces to vs_{v}.act_{vst}_{a}, vs_{v}.act_{vst}_{b}\n    }}"
                )
                .unwrap();
            }
            writeln!(text, "  }}").unwrap();
        }
        writeln!(text, "}}").unwrap();
        if (j + 1) % per_file == 0 || j + 1 == journeys {
            std::fs::write(file_of(j), std::mem::take(&mut text)).unwrap();
        }
    }
    file_of(journeys / 2 / per_file * per_file)
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    println!("{what:<48} {took:>10.1?}");
    (out, took)
}

fn measure(handoffs: bool, journeys: usize, per_file: usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = large_workspace(dir.path(), handoffs, journeys, per_file);
    let size: u64 = walk_size(dir.path());
    println!("workspace: {} kB in {} files", size / 1000, journeys.div_ceil(per_file) + 11);
    let uri = uri(&file);
    let text = std::fs::read_to_string(&file).unwrap();

    let (mut client, _) = timed("start and initialize", || Client::start(dir.path(), json!({})));
    timed("initial analysis (first diagnostics)", || {
        client.diagnostics(&uri, |l| !l.is_empty());
    });
    // Wait until every file's first diagnostics are out.
    client.result("workspace/symbol", json!({ "query": "zzz_none" }));
    client.open(&uri, &text);
    client.result("textDocument/hover", at(&uri, pos(&text, "vs_", 1)));

    let line = text.lines().count() / 2;
    // On the activity of the first path: `traces to vs_N.act_…`.
    let traced = pos(&text, "traces to vs_", 16);
    let stream = pos(&text, "traces to vs_", 11);
    let mut worst = Duration::ZERO;
    for round in 0..5 {
        // An edit that introduces an error, then one that fixes it.
        let broken = text.replacen("traces to vs_", "traces to nowhere_vs_", 1);
        let ((), took) = timed("change + diagnostics (error introduced)", || {
            client.change(&uri, 2 * round + 2, &broken);
            client.diagnostics(&uri, |l| has_code(l, "journey::unresolved"));
        });
        worst = worst.max(took);
        let ((), took) = timed("change + diagnostics (error fixed)", || {
            client.change(&uri, 2 * round + 3, &text);
            client.diagnostics(&uri, |l| !has_code(l, "journey::unresolved"));
        });
        worst = worst.max(took);
    }
    for _ in 0..3 {
        timed("hover on an activity", || {
            client.result("textDocument/hover", at(&uri, traced.clone()))
        });
        timed("definition", || client.result("textDocument/definition", at(&uri, traced.clone())));
        let mut params = at(&uri, traced.clone());
        params["context"] = json!({ "includeDeclaration": true });
        timed("references of an activity", || client.result("textDocument/references", params));
        let mut params = at(&uri, stream.clone());
        params["context"] = json!({ "includeDeclaration": true });
        timed("references of a value stream (~20,000)", || {
            client.result("textDocument/references", params)
        });
        let edited = text.replacen("      emotion", "      traces to \n      emotion", 1);
        client.change(&uri, 100, &edited);
        let cursor = pos(&edited, "traces to \n", 10);
        timed("completion after `traces to ` (2,000 activities)", || {
            client.result("textDocument/completion", at(&uri, cursor))
        });
        let cursor = pos(&edited, "traces to vs_", 13);
        timed("completion after `vs_3.`", || {
            client.result("textDocument/completion", at(&uri, cursor))
        });
        client.change(&uri, 101, &text);
        // The two edits above are analysed before positions can be trusted again.
        timed("hover right after two edits (waits for analysis)", || {
            client.result("textDocument/hover", at(&uri, traced.clone()))
        });
        timed("document symbols", || {
            client.result("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }))
        });
        timed("semantic tokens", || {
            client.result(
                "textDocument/semanticTokens/full",
                json!({ "textDocument": { "uri": uri } }),
            )
        });
        timed("workspace symbols `act_3_1`", || {
            client.result("workspace/symbol", json!({ "query": "act_3_1" }))
        });
        timed(&format!("hover on line {line}"), || {
            client.result("textDocument/hover", at(&uri, json!({ "line": line, "character": 8 })))
        });
    }
    println!("worst change + diagnostics: {worst:.1?}");
    assert!(client.shutdown().success());
}

fn walk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk_size(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}
