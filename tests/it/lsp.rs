//! `journey lsp` through the protocol: the real binary is spawned and spoken to in
//! Content-Length framed JSON-RPC, as an editor would, and every feature is checked
//! on a two-file workspace (value streams in one file, the journey in the other).
//!
//! Every wait has a deadline, so a server that stops answering fails the test
//! instead of hanging the suite (the client: `support/lsp_client.rs`). The response
//! times on a generated workspace of about 10 MB are a benchmark: `benches/lsp.rs`.

use crate::support::lsp_client::{Client, Random, at, has_code, pos, uri};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

const STREAMS: &str = r#"team claims_ops "Claims Operations"
team finance "Finance"
persona policyholder "Policyholder"

capability intake "Claims Intake" {
  capacity 100 per day
  owner claims_ops
}

value stream deliver "Deliver Policy" {
  stakeholder policyholder
  stage process "Process Claims" {
    metric days "Days to settle" { target "10 days" }
    /// Keyed in by the handler from the first call.
    activity capture "Capture claim data" {
      owner claims_ops
      capability intake
      process 15 min
    }
    activity validate "Validate coverage" { owner finance capability intake }
    activity archive "Archive the file" { owner finance }
  }
}
"#;

const JOURNEYS: &str = r#"/// What a policyholder goes through after a loss.
journey claims "Claims Experience" {
  persona policyholder
  volume 500 per week
  stage report "Report claim" {
    maps to deliver.process
    touchpoint submit "Submit claim" {
      reach 60%
      traces to deliver.capture, deliver.validate
    }
    touchpoint call "Call the helpline" {
      traces to capture
    }
    touchpoint status "Ask for status" {
      channel phone
    }
  }
}
"#;

/// A workspace folder with the two files: (folder, streams URI, journeys URI).
struct Workspace {
    dir: tempfile::TempDir,
    streams: String,
    journeys: String,
}

fn workspace() -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("streams.journey"), STREAMS).unwrap();
    std::fs::write(dir.path().join("journeys.journey"), JOURNEYS).unwrap();
    let path = dir.path().to_path_buf();
    Workspace {
        streams: uri(&path.join("streams.journey")),
        journeys: uri(&path.join("journeys.journey")),
        dir,
    }
}

fn codes(list: &[Value]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = list
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------- the tests

#[test]
fn initialize_announces_every_feature() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let caps = client.initialized["capabilities"].clone();
    assert_eq!(caps["positionEncoding"], "utf-16");
    for feature in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "documentFormattingProvider",
    ] {
        assert_eq!(caps[feature], true, "{feature} in {caps}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert_eq!(caps["textDocumentSync"]["change"], 1);
    assert!(caps["completionProvider"]["triggerCharacters"].to_string().contains("\".\""));
    assert!(caps["semanticTokensProvider"]["legend"]["tokenTypes"].as_array().unwrap().len() > 5);
    assert_eq!(client.initialized["serverInfo"]["name"], "journey");
    let unknown = client.request("textDocument/unheardOf", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    assert!(client.shutdown().success());

    // A client that offers UTF-8 gets it.
    let client = Client::start(
        ws.dir.path(),
        json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
    );
    assert_eq!(client.initialized["capabilities"]["positionEncoding"], "utf-8");
}

#[test]
fn diagnostics_are_those_of_journey_check() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    // Files of the workspace are analysed without being opened.
    let streams = client.diagnostics(&ws.streams, |l| !l.is_empty());
    let journeys = client.diagnostics(&ws.journeys, |l| !l.is_empty());

    let output = Command::new(env!("CARGO_BIN_EXE_journey"))
        .args(["check", "--format", "json"])
        .arg(ws.dir.path())
        .output()
        .unwrap();
    let checked: Value = serde_json::from_slice(&output.stdout).unwrap();
    for (name, published) in [("streams.journey", &streams), ("journeys.journey", &journeys)] {
        let expected: Vec<&Value> = checked["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(name))
            .collect();
        let mut want: Vec<(String, u64, u64, String)> = expected
            .iter()
            .map(|d| {
                let label = &d["labels"][0];
                (
                    d["code"].as_str().unwrap().to_owned(),
                    label["line"].as_u64().unwrap() - 1,
                    label["column"].as_u64().unwrap() - 1,
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let mut got: Vec<(String, u64, u64, String)> = published
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_owned(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                    d["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "diagnostics of {name}");
        for d in published {
            assert_eq!(d["source"], "journey");
        }
    }
    // Severities: waste is a warning, a hand-off a note (information).
    let waste = streams.iter().find(|d| d["code"] == "journey::waste").unwrap();
    assert_eq!(waste["severity"], 2);
    let handoff = journeys.iter().find(|d| d["code"] == "journey::handoff").unwrap();
    assert_eq!(handoff["severity"], 3);
    // Secondary labels and help become related information.
    assert!(handoff["relatedInformation"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(client.shutdown().success());
}

#[test]
fn edits_publish_new_errors_and_clear_fixed_ones() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.open(&ws.journeys, JOURNEYS);
    client.diagnostics(&ws.journeys, |l| has_code(l, "journey::gap"));

    // The unsaved text wins over the disk: an unresolved trace, reported with help.
    let broken = JOURNEYS.replace("traces to capture", "traces to captur");
    client.change(&ws.journeys, 2, &broken);
    let list = client.diagnostics(&ws.journeys, |l| has_code(l, "journey::unresolved"));
    let unresolved = list.iter().find(|d| d["code"] == "journey::unresolved").unwrap();
    assert_eq!(unresolved["severity"], 1);
    assert_eq!(unresolved["range"]["start"], pos(&broken, "captur\n", 0));
    assert_eq!(unresolved["range"]["end"], pos(&broken, "captur\n", 6));
    assert!(unresolved["relatedInformation"].to_string().contains("did you mean `capture`?"));

    // A syntax error half-way through typing.
    let half = JOURNEYS.replace("channel phone", "channel");
    client.change(&ws.journeys, 3, &half);
    client.diagnostics(&ws.journeys, |l| has_code(l, "journey::syntax"));

    // Fixed: the errors are gone, the warnings of the valid text are back.
    client.change(&ws.journeys, 4, JOURNEYS);
    let list = client.diagnostics(&ws.journeys, |l| {
        !has_code(l, "journey::syntax") && !has_code(l, "journey::unresolved")
    });
    assert_eq!(codes(&list).iter().filter(|(c, _)| c == "journey::gap").count(), 1);

    // A change in one file republishes another: archive's waste goes away when a
    // touchpoint traces to it.
    client.diagnostics(&ws.streams, |l| has_code(l, "journey::waste"));
    let tracing = JOURNEYS.replace("channel phone", "channel phone\n      traces to archive");
    client.change(&ws.journeys, 5, &tracing);
    client.diagnostics(&ws.streams, |l| !has_code(l, "journey::waste"));

    // Closing a workspace file goes back to the text on disk.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": ws.journeys } }));
    client.diagnostics(&ws.streams, |l| has_code(l, "journey::waste"));
    assert!(client.shutdown().success());
}

#[test]
fn definition_and_references_cross_files() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.open(&ws.journeys, JOURNEYS);

    // From `deliver.capture` in the journey to the activity in the other file.
    let found = client
        .result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 10)));
    assert_eq!(found["uri"], ws.streams.as_str());
    assert_eq!(found["range"]["start"], pos(STREAMS, "capture \"", 0));
    assert_eq!(found["range"]["end"], pos(STREAMS, "capture \"", 7));
    // The head of a path goes to the value stream; a bare id to its activity.
    let stream = client
        .result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 2)));
    assert_eq!(stream["range"]["start"], pos(STREAMS, "deliver \"", 0));
    let bare =
        client.result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "to capture", 5)));
    assert_eq!(bare["range"]["start"], pos(STREAMS, "capture \"", 0));
    let persona = client.result(
        "textDocument/definition",
        at(&ws.journeys, pos(JOURNEYS, "persona policyholder", 10)),
    );
    assert_eq!(persona["range"]["start"], pos(STREAMS, "policyholder \"", 0));
    // Nothing under the cursor: no location.
    let nothing =
        client.result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "volume", 1)));
    assert_eq!(nothing, Value::Null);

    // Which touchpoints trace to `capture`: `submit` (qualified) and `call` (bare).
    let mut params = at(&ws.streams, pos(STREAMS, "capture \"", 2));
    params["context"] = json!({ "includeDeclaration": false });
    let refs = client.result("textDocument/references", params.clone());
    let refs = refs.as_array().unwrap();
    assert_eq!(refs.len(), 2, "{refs:?}");
    assert!(refs.iter().all(|r| r["uri"] == ws.journeys.as_str()));
    let starts: Vec<&Value> = refs.iter().map(|r| &r["range"]["start"]).collect();
    assert!(starts.contains(&&pos(JOURNEYS, "deliver.capture", 8)));
    assert!(starts.contains(&&pos(JOURNEYS, "to capture", 3)));
    params["context"] = json!({ "includeDeclaration": true });
    let with = client.result("textDocument/references", params);
    assert_eq!(with.as_array().unwrap().len(), 3);
    // References of a team: the owners.
    let mut params = at(&ws.streams, pos(STREAMS, "team finance", 6));
    params["context"] = json!({ "includeDeclaration": false });
    assert_eq!(client.result("textDocument/references", params).as_array().unwrap().len(), 2);
    assert!(client.shutdown().success());
}

#[test]
fn hover_shows_derived_facts() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let hover = |client: &mut Client, uri: &str, position: Value| -> String {
        let result = client.result("textDocument/hover", at(uri, position));
        result["contents"]["value"].as_str().unwrap_or_default().to_owned()
    };
    let activity = hover(&mut client, &ws.journeys, pos(JOURNEYS, "deliver.capture", 9));
    assert!(activity.contains("**Capture claim data**"), "{activity}");
    assert!(activity.contains("activity `deliver.capture`"), "{activity}");
    assert!(activity.contains("Keyed in by the handler"), "{activity}");
    assert!(activity.contains("traced by 2 touchpoints"), "{activity}");
    assert!(activity.contains("owner: Claims Operations"), "{activity}");
    assert!(activity.contains("process: 15 min"), "{activity}");

    // Load = 500 per week × (60% + 100%) / 7 = 114.29 per day, over a capacity of 100.
    let capability = hover(&mut client, &ws.streams, pos(STREAMS, "capability intake", 12));
    assert!(capability.contains("load 114.29 per day"), "{capability}");
    assert!(capability.contains("utilisation **114%** (overloaded)"), "{capability}");
    assert!(capability.contains("used by 2 activities"), "{capability}");

    let touchpoint = hover(&mut client, &ws.journeys, pos(JOURNEYS, "submit", 1));
    assert!(touchpoint.contains("a hand-off"), "{touchpoint}");
    let gap = hover(&mut client, &ws.journeys, pos(JOURNEYS, "status \"", 1));
    assert!(gap.contains("a customer-experience gap"), "{gap}");
    let waste = hover(&mut client, &ws.streams, pos(STREAMS, "archive", 1));
    assert!(waste.contains("possible waste"), "{waste}");
    let journey = hover(&mut client, &ws.journeys, pos(JOURNEYS, "claims \"", 1));
    assert!(journey.contains("What a policyholder goes through"), "{journey}");
    assert!(journey.contains("67% of touchpoints traced (2 of 3)"), "{journey}");
    // A stage's metrics with their figures (spec §5b).
    let stage = hover(&mut client, &ws.streams, pos(STREAMS, "process \"", 1));
    assert!(stage.contains("metric: Days to settle (target 10 days)"), "{stage}");
    let team = hover(&mut client, &ws.streams, pos(STREAMS, "team finance", 6));
    assert!(team.contains("owns 2 activities"), "{team}");
    assert!(client.shutdown().success());
}

#[test]
fn completion_offers_ids_of_the_right_kind() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let labels = |result: &Value| -> Vec<String> {
        result["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };

    // After `traces to `: every activity, inserted as a qualified path.
    let text = JOURNEYS.replace("channel phone", "channel phone\n      traces to ");
    client.open(&ws.journeys, &text);
    let cursor = pos(&text, "traces to \n", 10);
    let list = client.result("textDocument/completion", at(&ws.journeys, cursor.clone()));
    let got = labels(&list);
    for id in ["capture", "validate", "archive", "deliver"] {
        assert!(got.contains(&id.to_owned()), "{id} in {got:?}");
    }
    assert!(!got.contains(&"intake".to_owned()), "a capability is not an activity: {got:?}");
    let capture =
        list["items"].as_array().unwrap().iter().find(|i| i["label"] == "capture").unwrap();
    assert_eq!(capture["textEdit"]["newText"], "deliver.capture");

    // After `deliver.`: that stream's activities, replacing only the part after the dot.
    let text = JOURNEYS.replace("channel phone", "channel phone\n      traces to deliver.va");
    client.change(&ws.journeys, 2, &text);
    let cursor = pos(&text, "deliver.va\n", 10);
    let list = client.result("textDocument/completion", at(&ws.journeys, cursor));
    assert_eq!(labels(&list), vec!["validate"]);
    let edit = &list["items"][0]["textEdit"];
    assert_eq!(edit["newText"], "validate");
    assert_eq!(edit["range"]["start"], pos(&text, "deliver.va\n", 8));

    // After `maps to deliver.`: its stages.
    let text = JOURNEYS.replace("maps to deliver.process", "maps to deliver.");
    client.change(&ws.journeys, 3, &text);
    let list =
        client.result("textDocument/completion", at(&ws.journeys, pos(&text, "deliver.\n", 8)));
    assert_eq!(labels(&list), vec!["process"]);

    // `owner`, `capability` and `lane` in an activity; keywords inside a block.
    let text = STREAMS.replace("process 15 min", "process 15 min\n      owner ");
    client.open(&ws.streams, &text);
    let list = client.result("textDocument/completion", at(&ws.streams, pos(&text, "owner \n", 6)));
    assert_eq!(labels(&list), vec!["claims_ops", "finance"]);
    let text = STREAMS.replace("process 15 min", "process 15 min\n      capability ");
    client.change(&ws.streams, 2, &text);
    let list =
        client.result("textDocument/completion", at(&ws.streams, pos(&text, "capability \n", 11)));
    assert_eq!(labels(&list), vec!["intake"]);
    let text = STREAMS.replace("process 15 min", "process 15 min\n      lane ");
    client.change(&ws.streams, 3, &text);
    let list = client.result("textDocument/completion", at(&ws.streams, pos(&text, "lane \n", 5)));
    assert_eq!(labels(&list), vec!["frontstage", "backstage", "support"]);
    let text = STREAMS.replace("process 15 min", "process 15 min\n      wa");
    client.change(&ws.streams, 4, &text);
    let list = client.result("textDocument/completion", at(&ws.streams, pos(&text, "wa\n", 2)));
    assert!(labels(&list).contains(&"wait".to_owned()), "{list}");
    assert!(!labels(&list).contains(&"traces to".to_owned()), "{list}");
    let text = STREAMS.replace("process 15 min", "process 15 min\n      ");
    client.change(&ws.streams, 5, &text);
    let list = client.result(
        "textDocument/completion",
        at(&ws.streams, pos(&text, "process 15 min\n      ", 21)),
    );
    let got = labels(&list);
    for keyword in ["owner", "lane", "capability", "system", "wait", "enabling"] {
        assert!(got.contains(&keyword.to_owned()), "{keyword} in {got:?}");
    }
    // In a string or a comment: nothing.
    let none =
        client.result("textDocument/completion", at(&ws.streams, pos(&text, "Archive the", 3)));
    assert_eq!(none, Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn symbols_of_a_document_and_of_the_workspace() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let outline = client
        .result("textDocument/documentSymbol", json!({ "textDocument": { "uri": ws.streams } }));
    let names: Vec<&str> =
        outline.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["claims_ops", "finance", "policyholder", "intake", "deliver"]);
    let stream = &outline[4];
    assert_eq!(stream["detail"], "Deliver Policy · value stream");
    let stage = &stream["children"][0];
    assert_eq!(stage["name"], "process");
    let children: Vec<&str> =
        stage["children"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(children, ["days", "capture", "validate", "archive"]);
    assert_eq!(stage["children"][1]["selectionRange"]["start"], pos(STREAMS, "capture \"", 0));

    let found = client.result("workspace/symbol", json!({ "query": "capt" }));
    let found = found.as_array().unwrap();
    assert_eq!(found[0]["name"], "capture");
    assert_eq!(found[0]["containerName"], "deliver");
    assert_eq!(found[0]["location"]["uri"], ws.streams.as_str());
    let by_label = client.result("workspace/symbol", json!({ "query": "helpline" }));
    assert_eq!(by_label[0]["name"], "call");
    assert_eq!(by_label[0]["location"]["uri"], ws.journeys.as_str());
    let all = client.result("workspace/symbol", json!({ "query": "" }));
    assert_eq!(all.as_array().unwrap().len(), 14);
    assert!(client.shutdown().success());
}

#[test]
fn rename_edits_every_file() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let prepared = client
        .result("textDocument/prepareRename", at(&ws.journeys, pos(JOURNEYS, "to capture", 5)));
    assert_eq!(prepared["placeholder"], "capture");
    assert_eq!(prepared["range"]["start"], pos(JOURNEYS, "to capture", 3));

    let mut params = at(&ws.journeys, pos(JOURNEYS, "to capture", 5));
    params["newName"] = json!("record");
    let edit = client.result("textDocument/rename", params.clone());
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[&ws.streams].as_array().unwrap().len(), 1);
    assert_eq!(changes[&ws.journeys].as_array().unwrap().len(), 2);
    let apply = |text: &str, edits: &Value| -> String {
        let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
        edits.sort_by_key(|e| {
            (e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64())
        });
        let mut out = text.to_owned();
        for e in edits.into_iter().rev() {
            let offset = |p: &Value| {
                let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
                let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
                start + usize::try_from(p["character"].as_u64().unwrap()).unwrap()
            };
            let (from, to) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
            out.replace_range(from..to, e["newText"].as_str().unwrap());
        }
        out
    };
    assert_eq!(
        apply(JOURNEYS, &changes[&ws.journeys]),
        JOURNEYS.replace("deliver.capture", "deliver.record").replace("to capture", "to record")
    );
    assert_eq!(apply(STREAMS, &changes[&ws.streams]), STREAMS.replace("capture \"", "record \""));

    // Renaming a value stream edits the heads of paths.
    let mut stream = at(&ws.streams, pos(STREAMS, "deliver \"", 1));
    stream["newName"] = json!("serve");
    let edit = client.result("textDocument/rename", stream);
    assert_eq!(edit["changes"][&ws.journeys].as_array().unwrap().len(), 3);

    // Refused: an invalid id, and an id already taken in the value stream.
    params["newName"] = json!("not an id");
    let refused = client.request("textDocument/rename", params.clone());
    assert!(refused["error"]["message"].as_str().unwrap().contains("not a valid id"), "{refused}");
    params["newName"] = json!("validate");
    let refused = client.request("textDocument/rename", params);
    assert!(refused["error"]["message"].as_str().unwrap().contains("already"), "{refused}");
    assert!(client.shutdown().success());
}

#[test]
fn formatting_gives_the_fmt_layout() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let messy = "team   a \"A\"{description \"x\"}\npersona p";
    client.open(&ws.streams, messy);
    let edits = client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": ws.streams }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let canonical = journey::fmt::format(journey::source::FileId(0), messy).unwrap();
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], canonical.as_str());
    assert_eq!(edits[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    assert_eq!(edits[0]["range"]["end"], json!({ "line": 1, "character": 9 }));
    // Already canonical: no edit. Does not parse: no edit either.
    client.change(&ws.streams, 2, &canonical);
    let none = client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": ws.streams }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(none, json!([]));
    client.change(&ws.streams, 3, "team {");
    let none = client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": ws.streams }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(none, json!([]));
    assert!(client.shutdown().success());
}

#[test]
fn semantic_tokens_colour_the_file() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let legend =
        client.initialized["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"]
            .as_array()
            .unwrap()
            .clone();
    let result = client.result(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": ws.journeys } }),
    );
    let data: Vec<u64> =
        result["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert!(!data.is_empty() && data.len() % 5 == 0);
    // Decode to (line, column, length, type) and look for known tokens.
    let mut tokens = Vec::new();
    let (mut line, mut column) = (0, 0);
    for t in data.chunks(5) {
        line += t[0];
        column = if t[0] == 0 { column + t[1] } else { t[1] };
        tokens.push((
            line,
            column,
            t[2],
            legend[usize::try_from(t[3]).unwrap()].as_str().unwrap().to_owned(),
        ));
    }
    let find = |needle: &str, nth: usize| {
        let p = pos(JOURNEYS, needle, nth);
        let (l, c) = (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
        tokens.iter().find(|t| t.0 == l && t.1 == c).map(|t| t.3.clone())
    };
    assert_eq!(find("/// What", 0).as_deref(), Some("comment"));
    assert_eq!(find("journey claims", 0).as_deref(), Some("keyword"));
    assert_eq!(find("\"Claims Experience\"", 0).as_deref(), Some("string"));
    assert_eq!(find("500 per", 0).as_deref(), Some("number"));
    assert_eq!(find("deliver.capture", 8).as_deref(), Some("function"));
    assert_eq!(find("deliver.capture", 0).as_deref(), Some("namespace"));
    assert_eq!(find("persona policyholder", 8).as_deref(), Some("interface"));
    assert!(client.shutdown().success());
}

#[test]
fn garbage_never_stops_the_server() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/insurance-claims/journeys/motor-claim.journey"),
    )
    .unwrap();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut texts: Vec<String> = vec![
        String::new(),
        "journey".into(),
        "journey j {".into(),
        "journey j { stage s { touchpoint t { traces to ".into(),
        "journey j { stage s { touchpoint t { traces to deliver.".into(),
        "value stream".into(),
        "value stream v { stage s { activity a { owner".into(),
        "}}}}{{{\"\\u{d800}\" \"\\".into(),
        "\u{feff}team t \"\u{1f697}\u{e9}\"\r\n\rpersona p\r".into(),
        "/// doc at the end".into(),
        "team a { allow journey::".into(),
        "capability c { capacity 99999999999999999999 per week level 1e9 }".into(),
    ];
    // Random bytes, read as text the way an editor would show them.
    for _ in 0..20 {
        let bytes: Vec<u8> = (0..random.below(200)).map(|_| random.next() as u8).collect();
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    // Prefixes of a real file, as if typed, and random mutations of it.
    for _ in 0..15 {
        let mut end = random.below(example.len());
        while !example.is_char_boundary(end) {
            end -= 1;
        }
        texts.push(example[..end].to_owned());
        let mut mutated = example.clone().into_bytes();
        for _ in 0..5 {
            let i = random.below(mutated.len());
            mutated[i] = b"{}\".,;/\\ \n-9az"[random.below(14)];
        }
        texts.push(String::from_utf8_lossy(&mutated).into_owned());
    }
    let requests = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/references",
        "textDocument/prepareRename",
        "textDocument/documentSymbol",
        "textDocument/semanticTokens/full",
        "textDocument/formatting",
        "textDocument/rename",
    ];
    client.open(&ws.journeys, JOURNEYS);
    for (version, text) in texts.iter().enumerate() {
        client.change(&ws.journeys, i64::try_from(version).unwrap() + 2, text);
        for method in requests {
            // Positions anywhere, including past the end of the text.
            let line = random.below(text.lines().count() + 2);
            let character = random.below(120);
            let mut params = at(&ws.journeys, json!({ "line": line, "character": character }));
            params["context"] = json!({ "includeDeclaration": true });
            params["newName"] = json!("renamed");
            params["options"] = json!({ "tabSize": 2, "insertSpaces": true });
            let answer = client.request(method, params);
            assert!(answer.get("result").is_some() || answer.get("error").is_some(), "{answer}");
            if let Some(error) = answer.get("error") {
                assert_ne!(error["code"], -32603, "{method} failed inside the server: {error}");
            }
        }
    }
    // Malformed parameters are an error answer, not a crash.
    let bad = client.request("textDocument/hover", json!({ "textDocument": 3 }));
    assert_eq!(bad["error"]["code"], -32602);
    client.notify("textDocument/didChange", json!({ "nonsense": true }));
    // Still answering, and right, once the text is valid again.
    client.change(&ws.journeys, 1000, JOURNEYS);
    let found = client
        .result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 10)));
    assert_eq!(found["uri"], ws.streams.as_str());
    assert!(client.shutdown().success());
}

#[test]
fn positions_are_utf16_or_utf8_as_negotiated() {
    let ws = workspace();
    // Labels with characters outside the BMP, CRLF line ends, then a reference and
    // an error after them on their lines.
    let text = "team a \"\u{1f697}\u{e9}\"\r\nsystem b \"\u{1f697}\" { owner a }\r\nsystem c \"\u{1f697}\u{e9}\" { owner x }\r\n";
    let unicode = uri(&ws.dir.path().join("unicode.journey"));
    // (UTF-16 units, bytes) before `a` on line 1 and before `x` on line 2.
    for (offer, a, x) in [(json!(["utf-16"]), 22, 23), (json!(["utf-8"]), 24, 26)] {
        let mut client =
            Client::start(ws.dir.path(), json!({ "general": { "positionEncodings": offer } }));
        client.open(&unicode, text);
        let list = client.diagnostics(&unicode, |l| has_code(l, "journey::unresolved"));
        let d = list.iter().find(|d| d["code"] == "journey::unresolved").unwrap();
        assert_eq!(d["range"]["start"], json!({ "line": 2, "character": x }), "{d}");
        assert_eq!(d["range"]["end"], json!({ "line": 2, "character": x + 1 }), "{d}");
        let found = client
            .result("textDocument/definition", at(&unicode, json!({ "line": 1, "character": a })));
        assert_eq!(found["range"]["start"], json!({ "line": 0, "character": 5 }));
        // A position inside the surrogate pair or past the end of a line is clamped.
        let inside = json!({ "line": 1, "character": 11 });
        client.result("textDocument/hover", at(&unicode, inside));
        let past = client
            .result("textDocument/hover", at(&unicode, json!({ "line": 1, "character": 999 })));
        assert_eq!(past, Value::Null);
        assert!(client.shutdown().success());
    }
}

#[test]
fn documents_outside_the_workspace_join_and_leave() {
    let ws = workspace();
    let other = tempfile::tempdir().unwrap();
    let outside = uri(&other.path().join("extra.journey"));
    let mut client = Client::start(ws.dir.path(), json!({}));
    // It resolves against the workspace's value streams.
    let text =
        "journey extra {\n  stage s {\n    touchpoint t { traces to deliver.archive }\n  }\n}\n";
    client.open(&outside, text);
    client.diagnostics(&ws.streams, |l| !has_code(l, "journey::waste"));
    let list = client.diagnostics(&outside, <[Value]>::is_empty);
    assert!(list.is_empty());
    // Closed: its diagnostics are cleared and its traces no longer count.
    client.change(&outside, 2, "journey extra { stage s { touchpoint t } }");
    client.diagnostics(&outside, |l| has_code(l, "journey::gap"));
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": outside } }));
    client.diagnostics(&outside, <[Value]>::is_empty);
    client.diagnostics(&ws.streams, |l| has_code(l, "journey::waste"));

    // A file created on disk joins when the client's watcher reports it.
    let created = ws.dir.path().join("more.journey");
    std::fs::write(&created, "journey more { stage s { touchpoint t { traces to archive } } }\n")
        .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&created), "type": 1 }] }),
    );
    client.diagnostics(&ws.streams, |l| !has_code(l, "journey::waste"));
    std::fs::remove_file(&created).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&created), "type": 3 }] }),
    );
    client.diagnostics(&ws.streams, |l| has_code(l, "journey::waste"));
    assert!(client.shutdown().success());
}

#[test]
fn shutdown_then_exit_ends_cleanly() {
    let ws = workspace();
    let client = Client::start(ws.dir.path(), json!({}));
    let status = client.shutdown();
    assert_eq!(status.code(), Some(0));

    // `exit` without `shutdown` is an abnormal end (status 1, as the protocol says).
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(1));

    // After `shutdown`, requests are refused until `exit`.
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.result("shutdown", Value::Null);
    let refused =
        client.request("textDocument/hover", at(&ws.journeys, pos(JOURNEYS, "claims", 0)));
    assert_eq!(refused["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(0));
}

#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    // Not JSON, and JSON that is no JSON-RPC message: each is answered with an
    // error for the `null` id (JSON-RPC's "parse error"), and the server goes on.
    for body in ["{ not json", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":5}", "[]"] {
        write!(client.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        client.stdin.flush().unwrap();
        let answer = client.next_response();
        assert_eq!(answer["id"], Value::Null, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], -32700, "{body}: {answer}");
    }
    let found = client
        .result("textDocument/definition", at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 10)));
    assert_eq!(found["uri"], ws.streams.as_str());
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn an_example_folder_gives_diagnostics_navigation_completion_and_hover() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/insurance-claims");
    let journey = folder.join("journeys/motor-claim.journey");
    let streams = uri(&folder.join("value-streams/deliver-policy.journey"));
    let text = std::fs::read_to_string(&journey).unwrap();
    let journey = uri(&journey);
    let mut client = Client::start(&folder, json!({}));
    client.open(&journey, &text);
    // `journey check` reports hand-offs (notes) and missed kpis (warnings) on this
    // file of the example, as the editor does.
    let list = client.diagnostics(&journey, |_| true);
    let codes: std::collections::BTreeSet<&str> =
        list.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["journey::handoff", "journey::kpi-missed"].into(), "{list:?}");

    let path = "deliver_policy.take_fnol";
    let found = client.result("textDocument/definition", at(&journey, pos(&text, path, 16)));
    assert_eq!(found["uri"], streams.as_str());
    let hover = client.result("textDocument/hover", at(&journey, pos(&text, path, 16)));
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("traced by") && hover.contains("owner: "), "{hover}");

    let typed = text.replacen(path, "deliver_policy.", 1);
    client.change(&journey, 2, &typed);
    let cursor = pos(&typed, "deliver_policy., ", 15);
    let list = client.result("textDocument/completion", at(&journey, cursor));
    let labels: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"take_fnol") && labels.contains(&"verify_cover"), "{labels:?}");
    assert!(client.shutdown().success());
}

/// (code, severity) of every diagnostic, sorted.
fn severities(list: &[Value]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = list
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["severity"].as_u64().unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn lint_levels_are_those_of_journey_check_with_the_same_options() {
    let ws = workspace();
    // What `journey check --deny gap --allow waste` reports, per file, as the
    // protocol's severities (1 error, 2 warning, 3 information).
    let output = Command::new(env!("CARGO_BIN_EXE_journey"))
        .args(["check", "--format", "json", "--deny", "gap", "--allow", "waste"])
        .arg(ws.dir.path())
        .output()
        .unwrap();
    let checked: Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = |name: &str| -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = checked["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with(name))
            .map(|d| {
                let severity = match d["severity"].as_str().unwrap() {
                    "error" => 1,
                    "warning" => 2,
                    _ => 3,
                };
                (d["code"].as_str().unwrap().to_owned(), severity)
            })
            .collect();
        out.sort();
        out
    };
    assert!(expected("journeys.journey").contains(&("journey::gap".to_owned(), 1)));

    let options = json!({ "lints": { "deny": ["gap"], "allow": "journey::waste" } });
    let mut client = Client::start_with(ws.dir.path(), json!({}), &options);
    let journeys = client.diagnostics(&ws.journeys, |l| !l.is_empty());
    assert_eq!(severities(&journeys), expected("journeys.journey"));
    let streams = client.diagnostics(&ws.streams, |_| true);
    assert_eq!(severities(&streams), expected("streams.journey"));
    assert!(!has_code(&streams, "journey::waste"));

    // Changed settings, as VS Code sends them: the defaults again, all files
    // checked again.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "journey": { "lints": {} } } }),
    );
    let journeys = client.diagnostics(&ws.journeys, |l| {
        l.iter().any(|d| d["code"] == "journey::gap" && d["severity"] == 2)
    });
    assert!(!journeys.is_empty());
    client.diagnostics(&ws.streams, |l| has_code(l, "journey::waste"));

    // A code that is no lint is shown to the user and skipped; the rest applies.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "journey": { "lints": { "deny": ["nonsense", "warnings"] } } } }),
    );
    client.diagnostics(&ws.streams, |l| {
        l.iter().any(|d| d["code"] == "journey::waste" && d["severity"] == 1)
    });
    let shown = client
        .notifications
        .iter()
        .find(|n| n["method"] == "window/showMessage")
        .expect("the bad code is shown");
    assert!(shown["params"]["message"].as_str().unwrap().contains("`nonsense`"), "{shown}");
    assert!(client.shutdown().success());
}

/// The hover text of a position.
fn hover_text(client: &mut Client, uri: &str, position: Value) -> String {
    let result = client.result("textDocument/hover", at(uri, position));
    result["contents"]["value"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn closing_a_document_goes_back_to_the_disk_as_it_is_now() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    let archive = pos(STREAMS, "archive", 1);
    assert!(hover_text(&mut client, &ws.streams, archive.clone()).contains("possible waste"));

    // A new document in the workspace, saved for the first time while open, with no
    // watcher to say so: once closed, the file on disk counts.
    let path = ws.dir.path().join("new.journey");
    let new = uri(&path);
    let text = "journey more { stage s { touchpoint t { traces to archive } } }\n";
    client.open(&new, text);
    client.diagnostics(&ws.streams, |l| !has_code(l, "journey::waste"));
    std::fs::write(&path, text).unwrap();
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": new } }));
    let hover = hover_text(&mut client, &ws.streams, archive.clone());
    assert!(hover.contains("traced by 1 touchpoint"), "{hover}");

    // A workspace file deleted while open: its text counts while it is open (even
    // when the watcher reports the deletion), and not once it is closed.
    client.open(&ws.journeys, JOURNEYS);
    std::fs::remove_file(ws.dir.path().join("journeys.journey")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": ws.journeys, "type": 3 }] }),
    );
    let capture = pos(STREAMS, "capture \"", 1);
    let hover = hover_text(&mut client, &ws.streams, capture.clone());
    assert!(hover.contains("traced by 2 touchpoints"), "{hover}");
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": ws.journeys } }));
    client.diagnostics(&ws.journeys, <[Value]>::is_empty);
    let hover = hover_text(&mut client, &ws.streams, capture);
    assert!(hover.contains("possible waste"), "{hover}");
    assert!(client.shutdown().success());
}

#[test]
fn requests_about_unknown_documents_answer_nothing() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    for unknown in ["file:///no/such/folder/x.journey", "untitled:Untitled-9"] {
        let position = json!({ "line": 3, "character": 4 });
        for method in [
            "textDocument/definition",
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/prepareRename",
            "textDocument/documentSymbol",
            "textDocument/semanticTokens/full",
            "textDocument/formatting",
        ] {
            let mut params = at(unknown, position.clone());
            params["options"] = json!({ "tabSize": 2, "insertSpaces": true });
            assert_eq!(client.result(method, params), Value::Null, "{method} of {unknown}");
        }
        let mut params = at(unknown, position.clone());
        params["context"] = json!({ "includeDeclaration": true });
        assert_eq!(client.result("textDocument/references", params), json!([]));
        let mut params = at(unknown, position);
        params["newName"] = json!("x");
        let refused = client.request("textDocument/rename", params);
        assert!(refused["error"]["message"].as_str().unwrap().contains("nothing to rename"));
        // Closing or changing a document never opened does no harm either.
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": unknown } }));
    }
    assert!(client.shutdown().success());
}

#[test]
fn a_request_waiting_for_an_analysis_can_be_cancelled() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.open(&ws.journeys, JOURNEYS);
    client.diagnostics(&ws.journeys, |l| !l.is_empty());
    // A large text, so that its analysis is still running when the cancellation
    // arrives; the hover waits for that analysis.
    let mut large = JOURNEYS.to_owned();
    large.push_str("journey big {\n  stage s {\n");
    for i in 0..2_000 {
        writeln!(large, "    touchpoint t{i} \"T {i}\" {{ traces to capture }}").unwrap();
    }
    large.push_str("  }\n}\n");
    client.change(&ws.journeys, 2, &large);
    let hover =
        client.send_request("textDocument/hover", at(&ws.journeys, pos(&large, "submit", 1)));
    client.notify("$/cancelRequest", json!({ "id": hover }));
    let answer = client.response(hover);
    assert_eq!(answer["error"]["code"], -32800, "{answer}");

    // Cancelling a request already answered, or one never sent, changes nothing.
    let answered = client.send_request("workspace/symbol", json!({ "query": "capt" }));
    client.response(answered);
    client.notify("$/cancelRequest", json!({ "id": answered }));
    client.notify("$/cancelRequest", json!({ "id": 99_999 }));
    let text = hover_text(&mut client, &ws.journeys, pos(&large, "submit", 1));
    assert!(text.contains("Submit claim"), "{text}");
    assert!(client.notifications.iter().all(|n| n.get("id").is_none()), "a second answer");
    assert!(client.shutdown().success());
}

#[test]
fn rename_from_a_qualified_path() {
    let ws = workspace();
    let mut client = Client::start(ws.dir.path(), json!({}));
    client.open(&ws.journeys, JOURNEYS);
    // On the activity's part of `deliver.capture`: the activity, and only that
    // part of each path.
    let mut params = at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 10));
    params["newName"] = json!("record");
    let prepared = client.result("textDocument/prepareRename", params.clone());
    assert_eq!(prepared["range"]["start"], pos(JOURNEYS, "deliver.capture", 8));
    assert_eq!(prepared["placeholder"], "capture");
    let edit = client.result("textDocument/rename", params);
    let journeys = edit["changes"][&ws.journeys].as_array().unwrap();
    let starts: Vec<&Value> = journeys.iter().map(|e| &e["range"]["start"]).collect();
    assert_eq!(starts.len(), 2, "{journeys:?}");
    assert!(starts.contains(&&pos(JOURNEYS, "deliver.capture", 8)));
    assert!(starts.contains(&&pos(JOURNEYS, "to capture", 3)));
    let streams = edit["changes"][&ws.streams].as_array().unwrap();
    assert_eq!(streams[0]["range"]["start"], pos(STREAMS, "capture \"", 0));
    assert!(journeys.iter().chain(streams).all(|e| e["newText"] == "record"));

    // On the stream's part: the value stream, its declaration and every path head.
    let mut params = at(&ws.journeys, pos(JOURNEYS, "deliver.capture", 3));
    params["newName"] = json!("serve");
    let edit = client.result("textDocument/rename", params.clone());
    let journeys = edit["changes"][&ws.journeys].as_array().unwrap();
    assert_eq!(journeys.len(), 3, "{journeys:?}");
    assert!(journeys.iter().all(|e| e["range"]["end"]["character"].as_u64()
        == e["range"]["start"]["character"].as_u64().map(|c| c + 7)));
    assert_eq!(edit["changes"][&ws.streams][0]["range"]["start"], pos(STREAMS, "deliver \"", 0));

    // Refused with an error answer, never an edit that breaks the text.
    for bad in ["", "9lives", "two words", "a.b", "journey::gap", "caf\u{e9}"] {
        params["newName"] = json!(bad);
        let refused = client.request("textDocument/rename", params.clone());
        assert_eq!(refused["error"]["code"], -32803, "{bad:?}: {refused}");
    }
    assert!(client.shutdown().success());
}
