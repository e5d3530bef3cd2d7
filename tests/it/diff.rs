//! `journey diff`: the semantic changes between two versions of a workspace.
//!
//! Cases are folders under `tests/fixtures/diff/`: each is a new version of
//! `base/`, with its reports as snapshots `tests/outputs/diff-CASE.{md,txt,json}.snap`.
//! Git tests build a repository in a temporary folder.

use crate::support;

use assert_cmd::Command;
use journey::check::Levels;
use journey::diagnostic::Code;
use journey::diff::{self, Changes, Kind, Snapshot, Status, Value, Version};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

const CASES: [&str; 6] = ["customer", "operation", "traces", "broken", "hostile", "future"];

fn fixture(name: &str) -> PathBuf {
    support::root().join("tests/fixtures/diff").join(name)
}

fn version(path: &Path) -> Version {
    let snapshot = Snapshot::read(path).unwrap_or_else(|e| panic!("cannot read: {e:?}"));
    Version::analyse(snapshot, &Levels::default())
}

/// The changes from `base` to a case.
fn changes(case: &str) -> Changes {
    diff::compare(&version(&fixture("base")), &version(&fixture(case)))
}

fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).timeout(Duration::from_secs(60));
    cmd
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("the output is UTF-8")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("the output is UTF-8")
}

fn element<'a>(changes: &'a Changes, kind: Kind, path: &str) -> &'a diff::ElementChange {
    changes
        .elements
        .iter()
        .find(|e| e.kind == kind && e.path == path)
        .unwrap_or_else(|| panic!("no change to {} `{path}`", kind.singular()))
}

fn set(attribute: &str, old: Option<&str>, new: Option<&str>) -> (String, Value) {
    (attribute.to_owned(), Value::Set { old: old.map(str::to_owned), new: new.map(str::to_owned) })
}

fn attributes(e: &diff::ElementChange) -> Vec<(String, Value)> {
    e.attributes.iter().map(|a| (a.attribute.clone(), a.value.clone())).collect()
}

// ------------------------------------------------------------------ goldens

#[test]
fn reports_match_their_goldens() {
    support::each(CASES, |case| {
        let changes = changes(case);
        for (ext, text) in [
            ("md", diff::markdown(&changes)),
            ("txt", diff::text(&changes)),
            ("json", diff::json(&changes)),
        ] {
            let name = format!("diff-{case}.{ext}");
            support::snapshot!("tests/outputs", name, text, support::Ending::Newline);
        }
    });
}

#[test]
fn the_binary_prints_the_library_reports() {
    let changes = changes("customer");
    for (format, expected) in [
        ("markdown", diff::markdown(&changes)),
        ("text", diff::text(&changes)),
        ("json", diff::json(&changes)),
    ] {
        let output = journey()
            .args([
                "diff",
                "tests/fixtures/diff/base",
                "tests/fixtures/diff/customer",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stdout(&output), expected, "--format {format}");
    }
    // Markdown is the default.
    let output = journey()
        .args(["diff", "tests/fixtures/diff/base", "tests/fixtures/diff/traces"])
        .output()
        .unwrap();
    assert!(stdout(&output).starts_with("<!-- journey-diff -->\n## journey diff\n"));
}

#[test]
fn json_has_a_stable_shape() {
    let json: serde_json::Value = serde_json::from_str(&diff::json(&changes("customer"))).unwrap();
    assert_eq!(json["schema"], diff::SCHEMA);
    assert_eq!(json["changed"], true);
    for field in [
        "generator",
        "summary",
        "files",
        "errors",
        "totals",
        "elements",
        "traces",
        "diagnostics",
        "gaps",
        "waste",
        "handoffs",
        "coverage",
        "utilisation",
    ] {
        assert!(json.get(field).is_some(), "no `{field}`");
    }
    let moved = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "claims.payout.status_call")
        .unwrap();
    assert_eq!(moved["verb"], "moved");
    assert_eq!(moved["moved"]["from"], "claims.report");
    assert_eq!(moved["moved"]["to"], "claims.payout");
    let introduced = json["diagnostics"]["introduced"].as_array().unwrap();
    assert!(introduced.iter().any(|d| d["code"] == "journey::gap"), "{introduced:?}");
    assert_eq!(json["utilisation"][0]["scenario"], "as-is");
    assert_eq!(json["coverage"]["touchpoints"]["new"]["share"], 0.75);
}

// ------------------------------------------------------------------ kinds of change

#[test]
fn touchpoints_are_added_removed_relabelled_moved_and_changed() {
    let c = changes("customer");
    let chat = element(&c, Kind::Touchpoint, "claims.payout.chat");
    assert_eq!(chat.status, Status::Added);
    assert_eq!(element(&c, Kind::Touchpoint, "claims.report.fax").status, Status::Removed);
    let paid = element(&c, Kind::Touchpoint, "claims.payout.paid");
    assert_eq!(
        (paid.verb(), paid.old_label.as_deref()),
        ("relabelled", Some("Receive the payment"))
    );
    // A touchpoint whose stage changed is the same touchpoint, moved.
    let moved = element(&c, Kind::Touchpoint, "claims.payout.status_call");
    assert_eq!(moved.verb(), "moved");
    let m = moved.moved.as_ref().unwrap();
    assert_eq!((m.from.as_str(), m.to.as_str()), ("claims.report", "claims.payout"));
    assert!(
        !c.elements.iter().any(|e| e.path.ends_with("status_call") && e.status != Status::Changed)
    );
    // Its trace link moved with it: no link added or removed for it.
    assert!(c.traces.added.is_empty());
    assert_eq!(c.traces.removed.len(), 1);
    assert_eq!(c.traces.removed[0].touchpoint.path, "claims.report.fax");

    let submit = attributes(element(&c, Kind::Touchpoint, "claims.report.submit"));
    for expected in [
        set("emotion", Some("-1"), Some("+1")),
        set("reach", Some("60%"), Some("80%")),
        ("evidence".to_owned(), Value::Added("Claim summary in the app".into())),
        ("pain".to_owned(), Value::Removed("Has to retype the policy number".into())),
        ("pain".to_owned(), Value::Added("Photos fail to upload on slow networks".into())),
        set("kpi target", Some("< 5 min"), Some("< 3 min")),
        set("opportunity impact", Some("high"), Some("medium")),
        ("opportunity".to_owned(), Value::Added("Queue photos while offline".into())),
    ] {
        assert!(submit.contains(&expected), "{expected:?} not in {submit:?}");
    }
    let journey = attributes(element(&c, Kind::Journey, "claims"));
    assert!(journey.contains(&set("volume", Some("500 per week"), Some("650 per week"))));
    assert!(journey.contains(&("persona".to_owned(), Value::Added("broker".into()))));
}

#[test]
fn operations_changes_and_capacity_over_100_percent() {
    let c = changes("operation");
    let triage = element(&c, Kind::Activity, "deliver.triage");
    let m = triage.moved.as_ref().unwrap();
    assert_eq!((m.from.as_str(), m.to.as_str()), ("deliver.intake", "deliver.settle"));
    let validate = attributes(element(&c, Kind::Activity, "deliver.validate"));
    for expected in [
        set("owner", Some("underwriting"), Some("claims_ops")),
        set("lane", Some("backstage"), Some("frontstage")),
        ("system".to_owned(), Value::Added("claims_center".into())),
        set("process", Some("30 min"), Some("45 min")),
        set("wait", None, Some("1 day")),
    ] {
        assert!(validate.contains(&expected), "{expected:?} not in {validate:?}");
    }
    assert_eq!(
        attributes(element(&c, Kind::Activity, "deliver.reconcile")),
        vec![set("enabling", Some("on"), Some("off"))]
    );
    assert_eq!(
        attributes(element(&c, Kind::Capability, "claims_intake")),
        vec![set("capacity", Some("1000 per week"), Some("800 per week"))]
    );
    assert_eq!(element(&c, Kind::Team, "fraud").status, Status::Added);
    assert_eq!(element(&c, Kind::Persona, "broker").status, Status::Removed);
    assert_eq!(element(&c, Kind::Team, "finance").verb(), "relabelled");

    // The capacity cut pushes the capability over 100%: a new overload.
    let intake = c.utilisation.iter().find(|u| u.capability.path == "claims_intake").unwrap();
    let (old, new) = (intake.load.old.unwrap(), intake.load.new.unwrap());
    assert!(old.utilisation().unwrap() < 1.0 && new.utilisation().unwrap() > 1.0);
    assert_eq!(new.status(), "over");
    let codes: Vec<Code> = c.diagnostics.introduced.iter().map(|p| p.code).collect();
    assert_eq!(codes, [Code::Overload, Code::Waste]);
    // Un-marking `enabling` makes the activity possible waste.
    assert_eq!(
        c.waste.added.iter().map(|n| n.path.as_str()).collect::<Vec<_>>(),
        ["deliver.reconcile"]
    );
}

/// A change that adds a future state moves the to-be loads, not the as-is ones:
/// the old version, without a future state, has a to-be that is its as-is.
#[test]
fn a_future_state_moves_the_to_be_loads_labelled() {
    use journey::model::Scenario;
    let c = changes("future");
    assert_eq!(c.scenarios, Scenario::ALL);
    let moved: Vec<(&str, Scenario)> =
        c.utilisation.iter().map(|u| (u.capability.path.as_str(), u.scenario)).collect();
    assert_eq!(
        moved,
        [
            ("claims_management", Scenario::ToBe),
            ("claims_intake", Scenario::ToBe),
            ("payments", Scenario::ToBe),
        ]
    );
    // The to-be keeps only the future journey, 1200 a week: 90% of it self-serves,
    // which overloads intake in the to-be only.
    let intake = &c.utilisation[1].load;
    assert!((intake.old.unwrap().load - 500.0 * 0.6 - 500.0 - 500.0 * 0.05).abs() < 1e-9);
    assert!((intake.new.unwrap().load - 1200.0 * 0.9).abs() < 1e-9);
    assert_eq!(intake.new.unwrap().status(), "over");
    assert_eq!((c.totals.old.overloaded, c.totals.new.overloaded), (0, 0));
    assert_eq!((c.totals.old.overloaded_to_be, c.totals.new.overloaded_to_be), (0, 1));

    let markdown = diff::markdown(&c);
    assert!(markdown.contains("| Capability | Scenario | Load |"), "{markdown}");
    assert!(markdown.contains("| to-be |"), "{markdown}");
    assert!(markdown.contains("| Capabilities over capacity (to-be) | 0 | 1 |"), "{markdown}");
    assert!(diff::text(&c).contains("utilisation of claims_intake \"Claims Intake\" (to-be): "));
    let json: serde_json::Value = serde_json::from_str(&diff::json(&c)).unwrap();
    assert_eq!(json["utilisation"][1]["scenario"], "to-be");

    // The other way round, the to-be loads come back; without a future state on
    // either side, only the as-is is compared and no scenario is named.
    let back = diff::compare(&version(&fixture("future")), &version(&fixture("base")));
    assert!(back.utilisation.iter().all(|u| u.scenario == Scenario::ToBe));
    assert_eq!(back.utilisation.len(), 3);
    let plain = changes("operation");
    assert_eq!(plain.scenarios, [Scenario::AsIs]);
    assert!(!diff::markdown(&plain).contains("Scenario"));
    assert!(!diff::text(&plain).contains("(as-is)"));
}

#[test]
fn trace_links_gaps_and_waste() {
    let c = changes("traces");
    let links = |list: &[diff::TraceLink]| {
        list.iter()
            .map(|t| format!("{} → {}", t.touchpoint.path, t.activity.path))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        links(&c.traces.added),
        ["claims.report.status_call → deliver.triage", "claims.payout.paid → deliver.reconcile"]
    );
    assert_eq!(
        links(&c.traces.removed),
        ["claims.report.submit → deliver.validate", "claims.report.fax → deliver.capture"]
    );
    assert!(c.elements.is_empty(), "trace links are not attribute changes: {:?}", c.elements);
    let paths = |list: &[diff::Named]| list.iter().map(|n| n.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&c.gaps.added), ["claims.report.fax"]);
    assert_eq!(paths(&c.waste.removed), ["deliver.triage"]);
    assert_eq!(paths(&c.waste.added), ["deliver.validate"]);
    let introduced: Vec<Code> = c.diagnostics.introduced.iter().map(|p| p.code).collect();
    let resolved: Vec<Code> = c.diagnostics.resolved.iter().map(|p| p.code).collect();
    assert_eq!(introduced, [Code::Gap, Code::Waste]);
    assert_eq!(resolved, [Code::Handoff, Code::Waste]);
    assert_eq!(c.handoffs.len(), 1);
    assert_eq!(c.handoffs[0].teams.new, None);
    assert_eq!((c.coverage.touchpoints.old.count, c.coverage.touchpoints.new.count), (4, 3));
}

#[test]
fn errors_are_shown_and_the_rest_still_compared() {
    let c = changes("broken");
    assert_eq!(c.errors.new.len(), 4);
    // The system in the declaration the syntax error lost is not simply removed.
    let ledger = element(&c, Kind::System, "ledger");
    assert_eq!((ledger.status, ledger.verb()), (Status::Removed, "unreadable"));
    assert!(c.errors.old.is_empty());
    assert_eq!(element(&c, Kind::Touchpoint, "claims.payout.paid").verb(), "relabelled");
    let md = diff::markdown(&c);
    let caution = md.find("> [!CAUTION]").expect("a banner");
    assert!(caution < md.find("### For the customer").unwrap(), "the banner comes first");
    assert!(md.contains("**The new version has 4 errors.**"));
    assert!(md.contains("value stream `deliver` has no activity `captur`"));
    assert!(md.contains("could not be checked"));
    // The other way round, the old version's errors are noted.
    let back = diff::compare(&version(&fixture("broken")), &version(&fixture("base")));
    assert!(diff::markdown(&back).contains("> [!NOTE]\n> The old version has 4 errors"));
}

// ------------------------------------------------------------------ no changes

#[test]
fn identical_versions_have_no_changes() {
    let c = changes("base");
    assert!(c.is_empty(), "{c:#?}");
    assert!(c.summary().is_empty());
    let output = journey()
        .args(["diff", "tests/fixtures/diff/base", "tests/fixtures/diff/base"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "<!-- journey-diff -->\n## journey diff\n\n**No changes** to the journeys, the value streams or their figures.\n"
    );
    let output = journey()
        .args(["diff", "tests/fixtures/diff/base", "tests/fixtures/diff/base", "--format", "text"])
        .output()
        .unwrap();
    assert_eq!(stdout(&output), "journey diff: no changes\n");
    let json: serde_json::Value = serde_json::from_str(&diff::json(&c)).unwrap();
    assert_eq!(json["changed"], false);
}

#[test]
fn reordering_and_reformatting_is_no_change() {
    // `same/` moves declarations between files, reorders teams, attributes and
    // trace paths, writes one block on one line and changes comments.
    let c = changes("same");
    assert!(c.is_empty(), "{c:#?}");
    assert_eq!(diff::text(&c), "journey diff: no changes\n");
}

#[test]
fn a_single_file_compares_with_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let merged: String = ["organisation.journey", "value-stream.journey", "claims.journey"]
        .iter()
        .map(|f| std::fs::read_to_string(fixture("base").join(f)).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("all.journey"), merged).unwrap();
    let c = diff::compare(&version(&fixture("base")), &version(&dir.path().join("all.journey")));
    assert!(c.is_empty(), "{c:#?}");
}

// ------------------------------------------------------------------ in memory

/// A version made of in-memory files.
fn in_memory(text: &str) -> Version {
    let sources = support::single(text);
    Version::analyse(Snapshot { sources, files: vec!["test.journey".into()] }, &Levels::default())
}

fn compare(old: &str, new: &str) -> Changes {
    diff::compare(&in_memory(old), &in_memory(new))
}

const STREAM: &str = "team t\nvalue stream vs {\n  stage one { metric m activity a { owner t } activity b { owner t } }\n  stage two { metric m activity c { owner t } }\n}\n";

#[test]
fn order_stages_and_journey_attributes() {
    let old = format!(
        "{STREAM}journey j {{\n  stage s1 {{ maps to vs.one touchpoint x {{ traces to a }} touchpoint y {{ traces to b }} }}\n  stage s2 {{ touchpoint z {{ traces to c }} }}\n}}\n"
    );
    // The touchpoints of `s1` swap places and the stages swap places: the
    // sequence the customer goes through changed, so it is reported.
    let new = format!(
        "{STREAM}/// Now documented\njourney j {{\n  state future\n  volume 10 per day\n  mix simple 50% standard 50% complex 0%\n  stage s2 {{ touchpoint z {{ traces to c }} }}\n  stage s1 {{ maps to vs.one, vs.two touchpoint y {{ traces to b }} touchpoint x {{ traces to a }} }}\n  stage s3 \"New stage\"\n}}\n"
    );
    let c = compare(&old, &new);
    let journey = attributes(element(&c, Kind::Journey, "j"));
    assert_eq!(
        journey,
        [
            set("description", None, Some("Now documented")),
            set("state", Some("current"), Some("future")),
            set("volume", None, Some("10 per day")),
            set("mix", None, Some("simple 50% standard 50% complex 0%")),
            set("stage order", Some("s1, s2"), Some("s2, s1")),
        ]
    );
    let s1 = attributes(element(&c, Kind::JourneyStage, "j.s1"));
    assert_eq!(
        s1,
        [
            ("maps to".to_owned(), Value::Added("vs.two".into())),
            set("touchpoint order", Some("x, y"), Some("y, x")),
        ]
    );
    let s3 = element(&c, Kind::JourneyStage, "j.s3");
    assert_eq!((s3.status, s3.label.as_str()), (Status::Added, "New stage"));
    // A stage's new touchpoint is not an order change.
    let more = old.replace(
        "touchpoint y { traces to b }",
        "touchpoint w { traces to b } touchpoint y { traces to b }",
    );
    let c = compare(&old, &more);
    assert_eq!(c.elements.len(), 1, "{:#?}", c.elements);
    assert_eq!(c.elements[0].status, Status::Added);
}

#[test]
fn touchpoint_ids_repeat_across_stages() {
    // Touchpoint ids are unique within a stage only: `call` in two stages are two
    // touchpoints, matched by their full names.
    let old = format!(
        "{STREAM}journey j {{\n  stage s1 {{ touchpoint call {{ traces to a }} }}\n  stage s2 {{ touchpoint call {{ traces to b }} }}\n}}\n"
    );
    assert!(compare(&old, &old).is_empty());
    let new = old.replace(
        "stage s2 { touchpoint call { traces to b } }",
        "stage s2 { touchpoint call \"Call\" { traces to c } }",
    );
    let c = compare(&old, &new);
    assert_eq!(c.elements.len(), 1);
    assert_eq!(element(&c, Kind::Touchpoint, "j.s2.call").verb(), "relabelled");
    let links: Vec<_> = c.traces.added.iter().map(|t| t.activity.path.as_str()).collect();
    assert_eq!(links, ["vs.c"]);
    // One of two same-named touchpoints leaves: the other is not moved.
    let one = old.replace("stage s2 { touchpoint call { traces to b } }", "stage s2 { }");
    let c = compare(&old, &one);
    assert_eq!(element(&c, Kind::Touchpoint, "j.s2.call").status, Status::Removed);
    assert_eq!(c.elements.len(), 1);
}

#[test]
fn value_streams_and_stages() {
    let old =
        format!("{STREAM}journey j {{ stage s {{ touchpoint x {{ traces to a, b, c }} }} }}\n");
    let new = old
        .replace("stage two { metric m activity c { owner t } }", "stage two \"Second\" { entrance \"Ready\" metric m { target \"1 day\" } activity c { owner t } }\n  stage three { metric m }")
        .replace("value stream vs {", "persona p\nvalue stream vs {\n  stakeholder p")
        .replace(
            "activity a { owner t } activity b { owner t }",
            "activity a { owner t } }\n  stage one_b { metric m activity b { owner t capability cap process 1 h }",
        )
        .replace("team t\n", "team t\ncapability cap { capacity 1 per day }\n");
    let c = compare(&old, &new);
    assert!(
        attributes(element(&c, Kind::ValueStream, "vs"))
            .contains(&("stakeholder".to_owned(), Value::Added("p".into())))
    );
    let two = element(&c, Kind::VsStage, "vs.two");
    assert_eq!(two.old_label.as_deref(), Some("two"));
    assert_eq!(
        attributes(two),
        [
            ("entrance".to_owned(), Value::Added("Ready".into())),
            set("metric target", None, Some("1 day"))
        ]
    );
    assert_eq!(element(&c, Kind::VsStage, "vs.three").status, Status::Added);
    let b = element(&c, Kind::Activity, "vs.b");
    assert_eq!(b.moved.as_ref().map(|m| m.to.as_str()), Some("vs.one_b"));
    assert_eq!(
        attributes(b),
        [("capability".to_owned(), Value::Added("cap".into())), set("process", None, Some("1 h"))]
    );
    // The new capability carries the journey's volume: none, so no figure; a
    // capability with a capacity has one.
    let cap = c.utilisation.iter().find(|u| u.capability.path == "cap").unwrap();
    assert_eq!(cap.load.old, None);
    assert_eq!(cap.load.new.unwrap().capacity, Some(1.0));
}

#[test]
fn long_tables_fold_into_details() {
    let touchpoints = (0..12).fold(String::new(), |mut out, i| {
        let _ = writeln!(out, "touchpoint t{i} {{ traces to a }}");
        out
    });
    let old =
        format!("{STREAM}journey j {{ stage s {{ touchpoint x {{ traces to a, b, c }} }} }}\n");
    let new = old.replace("touchpoint x", &format!("{touchpoints} touchpoint x"));
    let md = diff::markdown(&compare(&old, &new));
    assert!(md.contains("<details><summary>12 element changes</summary>\n\n| Change |"), "{md}");
    assert!(md.contains("<details><summary>12 trace links</summary>"), "{md}");
    assert!(md.contains("|\n\n</details>\n"), "{md}");
}

// ------------------------------------------------------------------ escaping

#[test]
fn hostile_labels_cannot_inject_markup() {
    let md = diff::markdown(&changes("hostile"));
    // Every tag is one of ours.
    let mut rest = md.as_str();
    while let Some(at) = rest.find('<') {
        let tail = &rest[at..];
        assert!(
            ["<!-- journey-diff -->", "<br>", "<details>", "</details>", "<summary>", "</summary>"]
                .iter()
                .any(|t| tail.starts_with(t)),
            "markup from the sources: {}",
            &tail[..tail.len().min(40)]
        );
        rest = &tail[1..];
    }
    // Nobody is mentioned and no issue is linked.
    for (i, _) in md.match_indices('@') {
        assert!(md[i + 1..].starts_with("&#8203;"), "a mention at {i}");
    }
    for line in md.lines().filter(|l| !l.starts_with('#')) {
        for (i, _) in line.match_indices('#') {
            assert!(line[i + 1..].starts_with("&#8203;") || line[..i].ends_with('&'), "{line}");
        }
    }
    // Every table row has as many cells as its header.
    let mut columns = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = 0;
            continue;
        }
        let bars =
            line.char_indices().filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\')).count();
        if columns == 0 {
            columns = bars;
        }
        assert_eq!(bars, columns, "a label broke the table: {line}");
    }
    for raw in
        ["<script", "<img", "</td>", "<details open", "**bold**", "[x](", "\u{202e}", "\u{1b}"]
    {
        assert!(!md.contains(raw), "`{raw}` is in the report");
    }
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the label is still shown");
    let text = diff::text(&changes("hostile"));
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    assert!(text.contains("\\u{1b}[31mred"));
}

// ------------------------------------------------------------------ exit statuses

#[test]
fn fail_on_exits_1_only_for_introduced_diagnostics() {
    let run = |old: &str, new: &str, extra: &[&str]| {
        let old = format!("tests/fixtures/diff/{old}");
        let new = format!("tests/fixtures/diff/{new}");
        let mut args = vec!["diff", old.as_str(), new.as_str()];
        args.extend_from_slice(extra);
        journey().args(&args).output().unwrap()
    };
    let status = |old, new, extra| run(old, new, extra).status.code();
    assert_eq!(status("base", "customer", &[]), Some(0), "changes alone do not fail");
    assert_eq!(status("base", "customer", &["--fail-on", "gap"]), Some(1));
    assert_eq!(status("base", "customer", &["--fail-on", "journey::gap"]), Some(1));
    assert_eq!(status("base", "customer", &["--fail-on", "waste,unowned"]), Some(0));
    assert_eq!(
        status("base", "customer", &["--fail-on", "waste", "--fail-on", "overload"]),
        Some(1)
    );
    // A resolved gap is no reason to fail.
    assert_eq!(status("customer", "base", &["--fail-on", "gap"]), Some(0));
    assert_eq!(status("base", "base", &["--fail-on", "gap"]), Some(0));
    // An allowed lint is reported in neither version.
    assert_eq!(status("base", "customer", &["--fail-on", "gap", "--allow", "gap"]), Some(0));
    // `errors` and `warnings` name every introduced error, or warning and error.
    assert_eq!(status("base", "broken", &[]), Some(0));
    assert_eq!(status("base", "broken", &["--fail-on", "errors"]), Some(1));
    assert_eq!(status("base", "customer", &["--fail-on", "errors"]), Some(0));
    assert_eq!(status("base", "customer", &["--fail-on", "warnings"]), Some(1));
    assert_eq!(status("base", "customer", &["--fail-on", "errors", "--deny", "gap"]), Some(1));
    // The report is printed either way.
    assert!(stdout(&run("base", "customer", &["--fail-on", "gap"])).contains("New gaps"));
    let bad = run("base", "customer", &["--fail-on", "gapp"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`gapp` is not a diagnostic code"));
    assert_eq!(status("base", "customer", &["--allow", "syntax"]), Some(2));
}

#[test]
fn usage_errors_exit_2() {
    let check = |args: &[&str], message: &str| {
        let output = journey().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).is_empty());
    };
    check(&["diff", "tests/fixtures/diff/base"], "needs two versions");
    check(&["diff", "tests/fixtures/diff/base", "tests/fixtures/diff/nope"], "cannot read `");
    check(&["diff", "a", "b", "c"], "unexpected value");
    check(&["diff", "a", "b", "--", "c"], "need `--git BASE`");
    check(
        &["diff", "tests/fixtures/diff/base", "tests/fixtures/diff/customer", "--format", "html"],
        "invalid value",
    );
}

// ------------------------------------------------------------------ git

/// A git repository in a temporary folder, isolated from the user's settings.
struct Repo {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("gitconfig");
        std::fs::write(&config, "").unwrap();
        let repo = Repo { dir, config };
        std::fs::create_dir(repo.path()).unwrap();
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        repo
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn env(&self, cmd: &mut std::process::Command) {
        cmd.env("GIT_CONFIG_GLOBAL", &self.config)
            .env("GIT_CONFIG_SYSTEM", &self.config)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_CEILING_DIRECTORIES", self.dir.path())
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    fn git(&self, args: &[&str]) {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(self.path()).args(args);
        self.env(&mut cmd);
        let output = cmd.output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["-c", "commit.gpgsign=false", "commit", "-q", "-m", message]);
    }

    /// Replaces `ws/` with a fixture's files.
    fn put(&self, case: &str) {
        let ws = self.path().join("ws");
        let _ = std::fs::remove_dir_all(&ws);
        std::fs::create_dir_all(&ws).unwrap();
        for entry in std::fs::read_dir(fixture(case)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), ws.join(entry.file_name())).unwrap();
        }
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `journey diff ARGS --format json` run in `dir` (relative to the repository).
    fn diff(&self, dir: &str, args: &[&str]) -> std::process::Output {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("journey"));
        cmd.current_dir(self.path().join(dir)).arg("diff").args(args);
        self.env(&mut cmd);
        cmd.output().unwrap()
    }

    fn json(&self, dir: &str, args: &[&str]) -> serde_json::Value {
        // Before the arguments: after a `--`, everything is a path.
        let mut args = args.to_vec();
        args.splice(0..0, ["--format", "json"]);
        let output = self.diff(dir, &args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        serde_json::from_str(&stdout(&output)).unwrap()
    }
}

/// The summary of the path-based diff between two fixtures.
fn summary(old: &str, new: &str) -> serde_json::Value {
    let c = diff::compare(&version(&fixture(old)), &version(&fixture(new)));
    serde_json::from_str::<serde_json::Value>(&diff::json(&c)).unwrap()["summary"].clone()
}

#[test]
fn git_revisions_and_the_working_tree() {
    let repo = Repo::new();
    repo.put("base");
    repo.write("other/org.journey", "team other\n");
    repo.write("ws/.drafts/draft.journey", "team draft\n");
    repo.write(".gitignore", "ignored.journey\n");
    repo.commit("base");
    repo.put("customer");
    repo.write("other/org.journey", "team other\nteam another\n");
    repo.write("ws/.drafts/draft.journey", "team draft\nteam draft2\n");
    repo.commit("customer");
    // The working tree: the traces case, with an ignored and an untracked file.
    repo.put("traces");
    repo.write("ws/ignored.journey", "team ignored\n");

    let json = repo.json(".", &["--git", "main~1", "main", "--", "ws"]);
    assert_eq!(json["summary"], summary("base", "customer"));
    assert_eq!(json["files"]["new"], 3, "the dot-folder is skipped");
    assert_eq!(json["elements"][0]["source"]["file"], "ws/claims.journey");

    // Without HEAD: the working tree, which skips ignored files.
    let json = repo.json(".", &["--git", "HEAD", "--", "ws"]);
    assert_eq!(json["summary"], summary("customer", "traces"));
    assert_eq!(json["files"]["new"], 3);
    repo.write("ws/extra.journey", "team extra \"Extra team\"\n");
    let json = repo.json(".", &["--git", "HEAD", "--", "ws"]);
    assert_eq!(json["files"]["new"], 4, "an untracked file is part of the working tree");
    assert!(json["summary"].as_array().unwrap().contains(&serde_json::json!("1 team added")));
    std::fs::remove_file(repo.path().join("ws/extra.journey")).unwrap();

    // Paths limit the files; none means the current folder.
    let json = repo.json(".", &["--git", "HEAD~1", "HEAD", "--", "other"]);
    assert_eq!(json["summary"], serde_json::json!(["1 team added"]));
    let json = repo.json("ws", &["--git", "HEAD~1", "HEAD"]);
    assert_eq!(json["summary"], summary("base", "customer"));
    let json = repo.json(
        "ws",
        &["--git", "HEAD~1", "HEAD", "--", "claims.journey", "../ws/organisation.journey"],
    );
    assert_eq!(json["files"]["old"], 2);
    let json = repo.json(".", &["--git", "HEAD~1", "HEAD"]);
    let everything = json["summary"].as_array().unwrap();
    assert!(everything.contains(&serde_json::json!("1 team added")));
    assert!(everything.contains(&serde_json::json!("1 touchpoint moved")));

    // A deleted file is removed from the working tree's version.
    std::fs::remove_file(repo.path().join("ws/claims.journey")).unwrap();
    let json = repo.json(".", &["--git", "HEAD", "--", "ws"]);
    assert_eq!(json["files"]["new"], 2);
    assert!(json["summary"].as_array().unwrap().contains(&serde_json::json!("1 journey removed")));

    // The Markdown report names files relative to the repository.
    let output = repo.diff(".", &["--git", "HEAD~1", "HEAD", "--", "ws"]);
    assert!(stdout(&output).contains("| warning | `journey::gap` | `ws/claims.journey:35` |"));
}

#[test]
fn git_usage_errors_exit_2() {
    let repo = Repo::new();
    repo.put("base");
    repo.commit("base");
    let check = |dir: &str, args: &[&str], message: &str| {
        let output = repo.diff(dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stdout(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    };
    check(".", &["--git", "nope"], "`nope` is not a commit of this repository");
    check(".", &["--git", "HEAD", "nope", "--", "ws"], "`nope` is not a commit");
    check(".", &["--git", "HEAD", "HEAD", "ws"], "at most one more revision");
    check(
        ".",
        &["--git", "HEAD", "--", "nothing-here"],
        "no `.journey` files under `nothing-here`",
    );
    check(".", &["--git", "HEAD", "--", "../outside"], "is outside the repository");
    // Outside any repository.
    std::fs::create_dir(repo.dir.path().join("plain")).unwrap();
    let output = {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("journey"));
        cmd.current_dir(repo.dir.path().join("plain")).args(["diff", "--git", "HEAD"]);
        repo.env(&mut cmd);
        cmd.output().unwrap()
    };
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not in a git repository"), "{}", stderr(&output));
}

#[test]
fn git_snapshots_read_objects_not_the_disk() {
    let repo = Repo::new();
    repo.put("base");
    repo.commit("base");
    repo.put("customer");
    // The library reads HEAD from git's objects even though the disk has changed.
    let git = diff::git::Repository::open(&repo.path()).unwrap();
    let head = git.snapshot(Some("HEAD"), &[]).unwrap();
    assert_eq!(
        head.files,
        ["ws/claims.journey", "ws/organisation.journey", "ws/value-stream.journey"]
    );
    let disk = git.snapshot(None, &[PathBuf::from("ws")]).unwrap();
    let c = diff::compare(
        &Version::analyse(head, &Levels::default()),
        &Version::analyse(disk, &Levels::default()),
    );
    assert_eq!(c.summary(), changes("customer").summary());
}

/// Issue 21, item 7: GitHub links `GH-3` to issue 3, as it does `#3`; the docs
/// promise that a label links no issue. Nor does a `www.` address become a link.
#[test]
fn the_pr_comment_links_no_issue_written_gh_dash_number() {
    let tmp = tempfile::tempdir().unwrap();
    let workspace = |label: &str| {
        format!(
            "team ops\nvalue stream vs {{\n  stage s {{\n    metric m {{ target \"x\" }}\n    \
             activity a \"{label}\" {{ owner ops }}\n  }}\n}}\n"
        )
    };
    let (old, new) = (tmp.path().join("old.journey"), tmp.path().join("new.journey"));
    std::fs::write(&old, workspace("Archive")).unwrap();
    std::fs::write(&new, workspace("Archive, fixes GH-3 and gh-12; see www.example.com")).unwrap();
    let output = journey().arg("diff").arg(&old).arg(&new).output().unwrap();
    let md = stdout(&output);
    assert!(md.contains("relabelled"), "{md}");
    let lower = md.to_ascii_lowercase();
    for (at, _) in lower.match_indices("gh-") {
        let next = lower[at + 3..].chars().next();
        assert!(!next.is_some_and(|c| c.is_ascii_digit()), "an issue link at {at}:\n{md}");
    }
    assert!(md.contains("fixes GH&#8203;-3 and gh&#8203;-12"), "the label is still shown:\n{md}");
    assert!(!md.contains("www.example"), "a link:\n{md}");
}

// ------------------------------------------------------------------ every attribute

/// Two different values of a keyword's attribute, as written, or `None` for a
/// keyword that is not an attribute of what an element means (`allow`, whose
/// effect shows as diagnostics) or that declares a child.
fn two_values(keyword: &journey::syntax::vocabulary::Keyword) -> Option<(String, String)> {
    use journey::syntax::vocabulary::Takes;
    let pair =
        |a: &str, b: &str| Some((format!("{} {a}", keyword.word), format!("{} {b}", keyword.word)));
    match (keyword.takes, keyword.word) {
        (Takes::Declaration(_) | Takes::LintCodes, _) => None,
        (Takes::Reference, "owner") => pair("t1", "t2"),
        // Only a future journey replaces another.
        (Takes::Reference, "replaces") => {
            Some(("state future replaces j1".into(), "state future replaces j2".into()))
        }
        (Takes::Reference, _) | (Takes::References, "capability") => pair("c1", "c2"),
        (Takes::References, "system") => pair("s1", "s2"),
        (Takes::References, _) => pair("p1", "p2"),
        (Takes::Paths, "maps to") => pair("v.a", "v.b"),
        (Takes::Paths, _) => pair("v.x", "v.y"),
        (Takes::Choice(words), _) => pair(words[0], words[words.len() - 1]),
        (Takes::Text, _) => pair("\"one\"", "\"two\""),
        (Takes::Word, _) => pair("one", "\"two\""),
        (Takes::Number, _) => pair("1", "2"),
        (Takes::SignedNumber, _) => pair("-1", "+2"),
        (Takes::Percentage, _) => pair("50%", "60%"),
        (Takes::Quantity, _) => pair("10 per week", "20 per week"),
        (Takes::Duration, _) => pair("1 h", "2 h"),
        (Takes::Mix, _) => pair("simple 50% standard 50%", "simple 40% standard 60%"),
        (Takes::Flag, _) => Some((String::new(), keyword.word.to_owned())),
        (Takes::Target, _) => pair("< 1 h", "\"fewer\""),
        (Takes::Measure, _) => pair("20 min", "30 min"),
    }
}

/// A workspace whose one element `subject`, of the kind `block` describes, has the
/// attribute `attribute`; the elements it may refer to are declared beside it.
fn with_attribute(kind: journey::syntax::Kind, attribute: &str) -> Version {
    use journey::syntax::Kind as K;
    let subject = |keyword: &str| format!("{keyword} subject {{ {attribute} }}");
    let element = match kind {
        K::Persona => subject("persona"),
        K::Team => subject("team"),
        K::System => subject("system"),
        K::Capability => subject("capability"),
        K::ValueStream => subject("value stream"),
        K::Journey => subject("journey"),
        K::VsStage => format!("value stream w {{ {} }}", subject("stage")),
        K::Activity => format!("value stream w {{ stage s {{ {} }} }}", subject("activity")),
        K::JourneyStage => format!("journey k {{ {} }}", subject("stage")),
        K::Touchpoint => format!("journey k {{ stage s {{ {} }} }}", subject("touchpoint")),
        K::Metric => format!(
            "journey k {{ stage s {{ touchpoint t {{ kpi subject \"K\" {{ {attribute} }} }} }} }}"
        ),
        K::Opportunity => {
            format!("journey k {{ stage s {{ touchpoint t {{ {} }} }} }}", subject("opportunity"))
        }
    };
    let text = format!(
        "team t1\nteam t2\npersona p1\npersona p2\nsystem s1\nsystem s2\ncapability c1\n\
         capability c2\nvalue stream v {{ stage a {{ activity x activity y }} stage b }}\n\
         journey j1\njourney j2\n{element}\n"
    );
    let mut sources = journey::source::Sources::new();
    sources.add("test.journey", text).unwrap();
    let snapshot = Snapshot { sources, files: vec!["test.journey".to_owned()] };
    let version = Version::analyse(snapshot, &Levels::default());
    assert!(
        !version.analysis.has_errors(),
        "`{attribute}` on a {}: {:#?}",
        kind.singular(),
        version.analysis.diagnostics
    );
    version
}

/// Every attribute of every kind of element, changed on its own, is a change that
/// `journey diff` reports under the attribute's keyword (a `traces to` as a trace
/// link): an attribute added to the language and the model cannot be left out of
/// the comparison (it goes through `model::attributes`).
#[test]
fn diff_reports_a_change_to_every_attribute() {
    use journey::syntax::Kind;
    let mut missed = Vec::new();
    for kind in Kind::ALL {
        for keyword in kind.block().keywords {
            let Some((before, after)) = two_values(keyword) else { continue };
            let changes =
                diff::compare(&with_attribute(kind, &before), &with_attribute(kind, &after));
            let name = match kind {
                Kind::Metric => format!("kpi {}", keyword.word),
                Kind::Opportunity => format!("opportunity {}", keyword.word),
                _ => keyword.word.to_owned(),
            };
            let reported = if keyword.word == "traces to" {
                !changes.traces.is_empty()
            } else {
                changes.elements.iter().flat_map(|e| &e.attributes).any(|a| a.attribute == name)
            };
            if !reported {
                missed.push(format!("{} `{}`", kind.singular(), keyword.word));
            }
        }
    }
    assert!(missed.is_empty(), "`journey diff` misses a change to: {}", missed.join(", "));
}
