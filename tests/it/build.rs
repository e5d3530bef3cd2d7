//! `journey build`: the traceability document against its JSON Schema and its
//! snapshots (`tests/outputs/<example>.traceability.json.snap`), the invariants that tie its parts together, determinism, and how the
//! output folder is written (atomically, only when ours, never over the sources).
//!
//! Nothing here looks inside the HTML pages: only their presence and bytes are
//! compared where a test compares whole output folders.

use crate::support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::Duration;

const EXAMPLES: [&str; 3] = ["insurance-claims", "hospital-onboarding", "b2b-order"];

const SCHEMA_PATH: &str = "docs/schema/traceability.schema.json";

/// `journey` run from the crate root, with a clean environment.
fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").expect("the binary is built");
    cmd.current_dir(support::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(60));
    cmd
}

/// `journey build PATH -o OUT`, run from the crate root.
fn build(path: &Path, out: &Path) -> Command {
    let mut cmd = journey();
    cmd.arg("build").arg(path).arg("-o").arg(out);
    cmd
}

/// Builds an example into `out`, expecting success, and returns the document's text.
fn build_example(example: &str, out: &Path) -> String {
    build(&Path::new("examples").join(example), out).assert().code(0);
    fs::read_to_string(out.join("traceability.json")).expect("the build wrote traceability.json")
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("traceability.json is JSON")
}

// ------------------------------------------------------------------ schema

fn schema() -> Value {
    let text = fs::read_to_string(support::root().join(SCHEMA_PATH)).expect("the schema exists");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema())
        .unwrap_or_else(|e| panic!("{SCHEMA_PATH} does not compile: {e}"))
}

/// Every validation error, one per line, with where it is in the document.
fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("at `{}` (schema `{}`): {e}", e.instance_path(), e.schema_path()))
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value, what: &str) {
    let errors = schema_errors(validator, document);
    assert!(errors.is_empty(), "{what} does not match {SCHEMA_PATH}:\n  {}", errors.join("\n  "));
}

// ------------------------------------------------------------------ folders

/// A folder's whole content: every entry's path relative to `dir`, with the bytes
/// of files (`None` for folders). Comparing two of these compares everything.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in
            fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                out.insert(rel, None);
                walk(base, &path, out);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn names(snapshot: &BTreeMap<String, Option<Vec<u8>>>) -> Vec<&str> {
    snapshot.keys().map(String::as_str).collect()
}

/// No staging (`.NAME.new-*`) or swapped-out (`.NAME.old-*`) folder is left in `parent`.
fn assert_no_leftovers(parent: &Path) {
    let leftovers: Vec<String> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && (n.contains(".new-") || n.contains(".old-")))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left in {}: {leftovers:?}", parent.display());
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn stderr_of(cmd: &mut Command) -> (i32, String) {
    let output = cmd.output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8(output.stderr).unwrap())
}

/// A clean workspace: no diagnostic at all.
fn clean(journey_id: &str) -> String {
    format!(
        r#"
team ops
value stream v {{
  stage s {{
    metric m {{ target "x" }}
    activity a {{ owner ops }}
  }}
}}
journey {journey_id} {{ stage s {{ touchpoint t {{ traces to a }} }} }}
"#
    )
}

/// A workspace with one error (an unresolved `traces to`).
const WITH_ERROR: &str = r#"
team ops
value stream v {
  stage s {
    metric m { target "x" }
    activity a { owner ops }
  }
}
journey j { stage s { touchpoint t { traces to a, nowhere } } }
"#;

/// Warnings only: `b` is waste.
const WARNINGS_ONLY: &str = include_str!("../fixtures/warnings-only/ws.journey");

/// The worked example of spec §5a, word for word.
const WORKED_EXAMPLE: &str = include_str!("../fixtures/worked-example/identity.journey");

/// The second worked example of spec §5a: roll-up and scenarios.
const WORKED_SCENARIOS: &str = include_str!("../fixtures/worked-example/scenarios.journey");

// ------------------------------------------------------------------ examples

/// Builds an example, validates it against the schema and compares it with its
/// snapshot.
fn check_example(example: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let text = build_example(example, &tmp.path().join("out"));
    assert!(text.ends_with("}\n"), "the document ends with a newline");
    assert_valid(&validator(), &parse(&text), &format!("the output of {example}"));
    support::snapshot!(
        "tests/outputs",
        format!("{example}.traceability.json"),
        text,
        support::Ending::Newline
    );
}

#[test]
fn insurance_claims_matches_schema_and_golden() {
    check_example("insurance-claims");
}

#[test]
fn hospital_onboarding_matches_schema_and_golden() {
    check_example("hospital-onboarding");
}

#[test]
fn b2b_order_matches_schema_and_golden() {
    check_example("b2b-order");
}

// ------------------------------------------------------------------ the schema itself

/// Calls `f` on every subschema of `schema` with its JSON pointer.
fn each_subschema(
    schema: &Value,
    at: &str,
    f: &mut impl FnMut(&str, &serde_json::Map<String, Value>),
) {
    let Value::Object(map) = schema else { return };
    f(at, map);
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties" | "$defs", Value::Object(children)) => {
                for (name, child) in children {
                    each_subschema(child, &format!("{at}/{key}/{name}"), f);
                }
            }
            ("items" | "if" | "then" | "else" | "not", child) => {
                each_subschema(child, &format!("{at}/{key}"), f);
            }
            ("oneOf" | "anyOf" | "allOf", Value::Array(children)) => {
                for (i, child) in children.iter().enumerate() {
                    each_subschema(child, &format!("{at}/{key}/{i}"), f);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_schema_is_valid_draft_2020_12_and_strict() {
    let schema = schema();
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{SCHEMA_PATH} is not a valid draft 2020-12 schema: {e} at `{}`", e.instance_path());
    }
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["$id"], "https://journey.dev/schema/traceability/2");
    assert_eq!(schema["properties"]["schema"]["const"], journey::emit::SCHEMA);

    // Strict and documented: every object closed, every field required, every
    // property described (on itself or on the definition it refers to).
    let described = |property: &Value| {
        property.get("description").is_some()
            || property.get("$ref").and_then(Value::as_str).is_some_and(|r| {
                let pointer = r.strip_prefix('#').unwrap_or(r);
                schema.pointer(pointer).is_some_and(|d| d.get("description").is_some())
            })
    };
    let mut problems = Vec::new();
    each_subschema(&schema, "#", &mut |at, map| {
        let Some(Value::Object(properties)) = map.get("properties") else { return };
        // `then` and `else` only narrow properties the enclosing object declares.
        if at.ends_with("/then") || at.ends_with("/else") || at.ends_with("/if") {
            return;
        }
        if map.get("additionalProperties") != Some(&Value::Bool(false)) {
            problems.push(format!("{at}: no `additionalProperties: false`"));
        }
        let required: BTreeSet<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let declared: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
        if required != declared {
            problems.push(format!("{at}: required {required:?} but properties {declared:?}"));
        }
        for (name, property) in properties {
            if !described(property) {
                problems.push(format!("{at}/properties/{name}: no description"));
            }
        }
    });
    assert!(problems.is_empty(), "{SCHEMA_PATH}:\n  {}", problems.join("\n  "));
}

/// Replaces the value at a JSON pointer, which must exist (so that a breakage cannot
/// turn into an extra field by a typo).
fn set(document: &mut Value, pointer: &str, value: Value) {
    *document.pointer_mut(pointer).unwrap_or_else(|| panic!("no `{pointer}` in the document")) =
        value;
}

/// Adds a field to the object at a JSON pointer.
fn add(document: &mut Value, object: &str, field: &str, value: Value) {
    let map = document.pointer_mut(object).and_then(Value::as_object_mut);
    let map = map.unwrap_or_else(|| panic!("no object `{object}` in the document"));
    assert!(map.insert(field.to_owned(), value).is_none(), "`{object}` has `{field}` already");
}

/// Removes the field at a JSON pointer.
fn remove(document: &mut Value, pointer: &str) {
    let (parent, field) = pointer.rsplit_once('/').unwrap();
    let removed =
        document.pointer_mut(parent).and_then(Value::as_object_mut).unwrap().remove(field);
    assert!(removed.is_some(), "no `{pointer}` in the document");
}

/// A named way to break a valid document.
type Breakage<'a> = (&'a str, Box<dyn Fn(&mut Value) + 'a>);

#[test]
fn the_schema_rejects_broken_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let good = parse(&build_example("insurance-claims", &tmp.path().join("out")));
    let validator = validator();
    assert_valid(&validator, &good, "the unbroken document");

    let activity = "/value_streams/0/stages/0/activities/0";
    let touchpoint = "/journeys/0/stages/0/touchpoints/0";
    // The first capability has no capacity; the second has one.
    let loads = "/capability_load/0/loads";
    assert!(good.pointer(&format!("{loads}/0/capacity")).unwrap().is_null());
    assert!(good.pointer(&format!("{loads}/1/capacity")).unwrap().is_number());
    assert!(!good.pointer(&format!("{loads}/1/breakdown")).unwrap().as_array().unwrap().is_empty());
    let kpi = format!("{touchpoint}/kpis/0");
    assert!(good.pointer(&format!("{kpi}/target/typed")).unwrap().is_object());
    let breakages: Vec<Breakage> = vec![
        ("an unknown lane", Box::new(|d| set(d, &format!("{activity}/lane"), json!("sideways")))),
        ("a missing top-level field", Box::new(|d| remove(d, "/gaps"))),
        ("a missing nullable field", Box::new(|d| remove(d, "/personas/0/description"))),
        ("a missing flattened field", Box::new(|d| remove(d, &format!("{touchpoint}/source")))),
        ("an extra field", Box::new(|d| add(d, touchpoint, "extra", json!(1)))),
        ("an extra top-level field", Box::new(|d| add(d, "", "extra", json!([])))),
        ("an extra nested field", Box::new(|d| add(d, "/matrix/rows/0", "x", json!(1)))),
        ("an earlier schema", Box::new(|d| set(d, "/schema", json!("journey-traceability/1")))),
        ("a later schema", Box::new(|d| set(d, "/schema", json!("journey-traceability/3")))),
        ("an unknown scenario", Box::new(|d| set(d, "/scenarios/0", json!("could-be")))),
        ("a to-be first", Box::new(|d| set(d, "/capability_load/0/scenario", json!("to-be")))),
        ("no scenario", Box::new(|d| set(d, "/scenarios", json!([])))),
        ("a third scenario", Box::new(|d| set(d, "/scenarios", json!(["as-is", "to-be", "x"])))),
        (
            "an unknown activity state",
            Box::new(|d| set(d, &format!("{activity}/state"), json!("past"))),
        ),
        ("an accuracy of 97", Box::new(|d| set(d, &format!("{activity}/accuracy"), json!(97)))),
        ("a replaces of no id", Box::new(|d| set(d, "/journeys/0/replaces", json!("a.b")))),
        ("an unknown kpi status", Box::new(|d| set(d, &format!("{kpi}/status"), json!("late")))),
        (
            "an unknown comparison",
            Box::new(|d| set(d, &format!("{kpi}/target/typed/comparison"), json!("=="))),
        ),
        ("an unknown unit", Box::new(|d| set(d, &format!("{kpi}/current/typed/unit"), json!("h")))),
        (
            "a comparison on a current value",
            Box::new(|d| add(d, &format!("{kpi}/current/typed"), "comparison", json!("<"))),
        ),
        (
            "a measurement's date not as YYYY-MM-DD",
            Box::new(|d| add(d, &format!("{kpi}/current/source"), "date", json!("2 May"))),
        ),
        (
            "a breakdown without touchpoint",
            Box::new(|d| remove(d, &format!("{loads}/1/breakdown/0/touchpoint"))),
        ),
        (
            "a negative contribution",
            Box::new(|d| set(d, &format!("{loads}/1/breakdown/0/contribution"), json!(-1))),
        ),
        ("a lean without lead time", Box::new(|d| remove(d, "/lean/0/stages/0/lead_minutes"))),
        (
            "a rolled accuracy above 1",
            Box::new(|d| set(d, "/lean/0/streams/0/rolled_accuracy", json!(2))),
        ),
        ("an emotion of 4", Box::new(|d| set(d, &format!("{touchpoint}/emotion"), json!(4)))),
        ("a reach above 1", Box::new(|d| set(d, &format!("{touchpoint}/reach"), json!(1.5)))),
        ("a line 0", Box::new(|d| set(d, "/personas/0/source/line", json!(0)))),
        ("a column 0", Box::new(|d| set(d, "/traces/0/source/column", json!(0)))),
        ("an absolute file", Box::new(|d| set(d, "/files/0", json!("/etc/a.journey")))),
        ("a backslash", Box::new(|d| set(d, "/personas/0/source/file", json!("a\\b.journey")))),
        ("a string count", Box::new(|d| set(d, "/coverage/touchpoints/count", json!("3")))),
        ("a negative count", Box::new(|d| set(d, "/matrix/rollup/0/links", json!(-1)))),
        ("a share above 1", Box::new(|d| set(d, "/coverage/activities/share", json!(1.01)))),
        ("an unknown period", Box::new(|d| set(d, &format!("{loads}/1/per"), json!("fortnight")))),
        ("an unknown state", Box::new(|d| set(d, "/journeys/0/state", json!("past")))),
        ("an unknown status", Box::new(|d| set(d, &format!("{loads}/1/status"), json!("fine")))),
        (
            "a utilisation without capacity",
            Box::new(|d| set(d, &format!("{loads}/0/utilisation"), json!(0.5))),
        ),
        (
            "a null utilisation with a capacity",
            Box::new(|d| set(d, &format!("{loads}/1/utilisation"), Value::Null)),
        ),
        ("a null load", Box::new(|d| set(d, &format!("{loads}/1/load"), Value::Null))),
        ("an unknown severity", Box::new(|d| set(d, "/diagnostics/0/severity", json!("fatal")))),
        ("a code without prefix", Box::new(|d| set(d, "/diagnostics/0/code", json!("gap")))),
        (
            "an unknown quadrant",
            Box::new(|d| {
                set(d, "/journeys/1/stages/0/touchpoints/0/opportunities/0/quadrant", json!("win"));
            }),
        ),
        ("a non-integer index", Box::new(|d| set(d, "/matrix/rows/0/traced/0", json!(0.5)))),
        ("a bad path", Box::new(|d| set(d, "/gaps", json!(["not-a-touchpoint"])))),
    ];
    let mut accepted = Vec::new();
    for (what, breakage) in &breakages {
        let mut broken = good.clone();
        breakage(&mut broken);
        if validator.is_valid(&broken) {
            accepted.push(*what);
        }
    }
    assert!(accepted.is_empty(), "the schema accepts broken documents: {accepted:?}");
}

// ------------------------------------------------------------------ invariants

fn array<'a>(value: &'a Value, what: &str) -> &'a Vec<Value> {
    value.as_array().unwrap_or_else(|| panic!("`{what}` is not an array: {value}"))
}

fn string<'a>(value: &'a Value, what: &str) -> &'a str {
    value.as_str().unwrap_or_else(|| panic!("`{what}` is not a string: {value}"))
}

/// Every `source` object anywhere in the document.
fn sources_in<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "source" {
                    out.push(child);
                } else {
                    sources_in(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| sources_in(v, out)),
        _ => {}
    }
}

fn check_invariants(example: &str, d: &Value) {
    // The elements, walked in document order.
    let mut touchpoints = Vec::new(); // (path, journey stage path, traces_to)
    for journey in array(&d["journeys"], "journeys") {
        for stage in array(&journey["stages"], "stages") {
            let stage_path = string(&stage["path"], "stage path");
            for t in array(&stage["touchpoints"], "touchpoints") {
                let traces: Vec<&str> = array(&t["traces_to"], "traces_to")
                    .iter()
                    .map(|a| string(a, "traces_to"))
                    .collect();
                touchpoints.push((string(&t["path"], "path"), stage_path, traces));
            }
        }
    }
    // (path, stage path, enabling, not waste by design, traced_by)
    let mut activities = Vec::new();
    for stream in array(&d["value_streams"], "value_streams") {
        for stage in array(&stream["stages"], "stages") {
            let stage_path = string(&stage["path"], "stage path");
            for a in array(&stage["activities"], "activities") {
                let by: Vec<&str> = array(&a["traced_by"], "traced_by")
                    .iter()
                    .map(|t| string(t, "traced_by"))
                    .collect();
                // Neither enabling nor retired activities can be waste (spec §5).
                let enabling = a["enabling"].as_bool().unwrap();
                let exempt = enabling || a["state"] == "retired";
                activities.push((string(&a["path"], "path"), stage_path, enabling, exempt, by));
            }
        }
    }
    assert!(!touchpoints.is_empty() && !activities.is_empty(), "{example}: an empty model");

    // The matrix: one column per activity, one row per touchpoint, in order.
    let matrix = &d["matrix"];
    let columns = array(&matrix["columns"], "columns");
    let column_names: Vec<(&str, &str)> = columns
        .iter()
        .map(|c| (string(&c["activity"], "activity"), string(&c["stage"], "stage")))
        .collect();
    let expected: Vec<(&str, &str)> = activities.iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(column_names, expected, "{example}: columns are not the activities in order");
    let rows = array(&matrix["rows"], "rows");
    let row_names: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (string(&r["touchpoint"], "touchpoint"), string(&r["stage"], "stage")))
        .collect();
    let expected: Vec<(&str, &str)> = touchpoints.iter().map(|t| (t.0, t.1)).collect();
    assert_eq!(row_names, expected, "{example}: rows are not the touchpoints in order");

    for (row, (path, _, traces_to)) in rows.iter().zip(&touchpoints) {
        let traced: Vec<usize> = array(&row["traced"], "traced")
            .iter()
            .map(|i| usize::try_from(i.as_u64().expect("an index")).unwrap())
            .collect();
        assert!(traced.iter().all(|&i| i < columns.len()), "{example}: {path}: {traced:?}");
        assert!(traced.windows(2).all(|w| w[0] < w[1]), "{example}: {path}: {traced:?}");
        let from_matrix: BTreeSet<&str> = traced.iter().map(|&i| column_names[i].0).collect();
        let from_model: BTreeSet<&str> = traces_to.iter().copied().collect();
        assert_eq!(from_matrix, from_model, "{example}: row {path} and its traces_to differ");
    }

    // Trace links: the same multiset seen from `traces`, `traces_to` and `traced_by`.
    let traces = array(&d["traces"], "traces");
    let mut from_traces: Vec<(&str, &str)> = traces
        .iter()
        .map(|t| (string(&t["touchpoint"], "touchpoint"), string(&t["activity"], "activity")))
        .collect();
    let mut from_touchpoints: Vec<(&str, &str)> =
        touchpoints.iter().flat_map(|(t, _, to)| to.iter().map(move |a| (*t, *a))).collect();
    let mut from_activities: Vec<(&str, &str)> =
        activities.iter().flat_map(|(a, _, _, _, by)| by.iter().map(move |t| (*t, *a))).collect();
    from_traces.sort_unstable();
    from_touchpoints.sort_unstable();
    from_activities.sort_unstable();
    assert_eq!(from_traces, from_touchpoints, "{example}: traces and traces_to differ");
    assert_eq!(from_traces, from_activities, "{example}: traces and traced_by differ");

    let links: u64 =
        array(&matrix["rollup"], "rollup").iter().map(|r| r["links"].as_u64().unwrap()).sum();
    assert_eq!(links, traces.len() as u64, "{example}: rollup links do not add up to the traces");

    // Gaps and waste, in source order.
    let gaps: Vec<&str> = array(&d["gaps"], "gaps").iter().map(|g| string(g, "gap")).collect();
    let expected: Vec<&str> = touchpoints.iter().filter(|t| t.2.is_empty()).map(|t| t.0).collect();
    assert_eq!(gaps, expected, "{example}: gaps");
    let waste: Vec<&str> = array(&d["waste"], "waste").iter().map(|w| string(w, "waste")).collect();
    let expected: Vec<&str> =
        activities.iter().filter(|a| !a.3 && a.4.is_empty()).map(|a| a.0).collect();
    assert_eq!(waste, expected, "{example}: waste");

    // Per scenario, in the order of `scenarios`: one load per capability, one lean
    // entry per value-stream stage and per stream, in order.
    let scenarios = array(&d["scenarios"], "scenarios");
    let future = d["journeys"].as_array().unwrap().iter().any(|j| j["state"] == "future")
        || activities_in(d).any(|a| a["state"] != "current");
    let expected = if future { json!(["as-is", "to-be"]) } else { json!(["as-is"]) };
    assert_eq!(d["scenarios"], expected, "{example}: scenarios");
    let capabilities: Vec<&str> =
        array(&d["capabilities"], "capabilities").iter().map(|c| string(&c["id"], "id")).collect();
    let streams: Vec<&str> = array(&d["value_streams"], "value_streams")
        .iter()
        .map(|s| string(&s["id"], "id"))
        .collect();
    let vs_stages: Vec<&str> = array(&d["value_streams"], "value_streams")
        .iter()
        .flat_map(|s| array(&s["stages"], "stages"))
        .map(|s| string(&s["path"], "path"))
        .collect();
    let field = |list: &Value, key: &str| -> Vec<String> {
        array(list, key).iter().map(|x| string(&x[key], key).to_owned()).collect()
    };
    for (i, scenario) in scenarios.iter().enumerate() {
        let loads = &d["capability_load"][i];
        assert_eq!(&loads["scenario"], scenario, "{example}: capability_load {i}");
        assert_eq!(field(&loads["loads"], "capability"), capabilities, "{example}: {scenario}");
        let lean = &d["lean"][i];
        assert_eq!(&lean["scenario"], scenario, "{example}: lean {i}");
        assert_eq!(field(&lean["stages"], "stage"), vs_stages, "{example}: {scenario} lean");
        assert_eq!(field(&lean["streams"], "stream"), streams, "{example}: {scenario} lean");
    }
    assert_eq!(array(&d["capability_load"], "loads").len(), scenarios.len(), "{example}");
    assert_eq!(array(&d["lean"], "lean").len(), scenarios.len(), "{example}");

    check_loads(example, d);

    // Coverage, counted again from the elements.
    let covered = |count: usize, total: usize| {
        #[allow(clippy::cast_precision_loss)]
        let share = if total == 0 { 1.0 } else { count as f64 / total as f64 };
        json!({ "count": count, "total": total, "share": share })
    };
    let with_traces = touchpoints.iter().filter(|t| !t.2.is_empty()).count();
    assert_eq!(d["coverage"]["touchpoints"], covered(with_traces, touchpoints.len()), "{example}");
    // Retired activities are operational in the as-is, so coverage counts them.
    let operational: Vec<_> = activities.iter().filter(|a| !a.2).collect();
    let used = operational.iter().filter(|a| !a.4.is_empty()).count();
    assert_eq!(d["coverage"]["activities"], covered(used, operational.len()), "{example}");

    // Every source location names a listed, relative, forward-slash file.
    let files: BTreeSet<&str> =
        array(&d["files"], "files").iter().map(|f| string(f, "file")).collect();
    for file in &files {
        assert!(
            !file.starts_with('/') && !file.contains('\\') && !file.contains(':'),
            "{example}: file `{file}` is not a relative forward-slash path"
        );
    }
    let mut sources = Vec::new();
    sources_in(d, &mut sources);
    assert!(sources.len() > touchpoints.len() + activities.len());
    for source in sources {
        let file = string(&source["file"], "source.file");
        assert!(files.contains(file), "{example}: `{file}` is not in `files` ({files:?})");
        assert!(source["line"].as_u64().unwrap() >= 1 && source["column"].as_u64().unwrap() >= 1);
    }
}

/// The length of a period in days (spec §5a).
fn days(period: &Value) -> f64 {
    match string(period, "period") {
        "hour" => 1.0 / 24.0,
        "day" => 1.0,
        "week" => 7.0,
        "month" => 365.0 / 12.0,
        "quarter" => 365.0 / 4.0,
        "year" => 365.0,
        other => panic!("unknown period `{other}`"),
    }
}

/// Every activity of the document, in order.
fn activities_in(d: &Value) -> impl Iterator<Item = &Value> {
    array(&d["value_streams"], "value_streams")
        .iter()
        .flat_map(|s| array(&s["stages"], "stages"))
        .flat_map(|s| array(&s["activities"], "activities"))
}

/// Recomputes every capability load of every scenario from the journeys, activities
/// and capabilities of the document, with the words of spec §4a and §5a, and
/// checks utilisation, status, and that each load is the sum of its breakdown.
fn check_loads(example: &str, d: &Value) {
    let parent: BTreeMap<&str, Option<&str>> = array(&d["capabilities"], "capabilities")
        .iter()
        .map(|c| (string(&c["id"], "id"), c["parent"].as_str()))
        .collect();
    let activity: BTreeMap<&str, &Value> =
        activities_in(d).map(|a| (string(&a["path"], "path"), a)).collect();
    for (i, scenario) in array(&d["scenarios"], "scenarios").iter().enumerate() {
        let as_is = scenario == "as-is";
        let activity_in = |a: &Value| match a["state"].as_str().unwrap() {
            "current" => true,
            "retired" => as_is,
            "future" => !as_is,
            other => panic!("state `{other}`"),
        };
        let journey_in = |j: &Value| {
            if as_is {
                j["state"] == "current"
            } else {
                j["state"] == "future" || j["replaced_by"].as_array().unwrap().is_empty()
            }
        };
        let mut per_day: BTreeMap<&str, f64> = BTreeMap::new();
        let mut parts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for journey in array(&d["journeys"], "journeys") {
            let volume = &journey["volume"];
            if volume.is_null() || !journey_in(journey) {
                continue;
            }
            let volume = volume["amount"].as_f64().unwrap() / days(&volume["per"]);
            let complexity = journey["complexity"].as_f64().unwrap();
            for stage in array(&journey["stages"], "stages") {
                for t in array(&stage["touchpoints"], "touchpoints") {
                    // Each touchpoint counts once per capability, its own or above.
                    let mut used: BTreeSet<&str> = BTreeSet::new();
                    for a in array(&t["traces_to"], "traces_to") {
                        let a = activity[string(a, "activity")];
                        if !activity_in(a) {
                            continue;
                        }
                        for c in array(&a["capabilities"], "capabilities") {
                            let mut at = c.as_str();
                            while let Some(c) = at {
                                used.insert(c);
                                at = parent[c];
                            }
                        }
                    }
                    for c in used {
                        *per_day.entry(c).or_default() +=
                            volume * t["reach"].as_f64().unwrap() * complexity;
                        parts.entry(c).or_default().push(string(&t["path"], "path"));
                    }
                }
            }
        }
        for load in array(&d["capability_load"][i]["loads"], "loads") {
            let id = string(&load["capability"], "capability");
            let what = format!("{example}: {scenario} load of `{id}`");
            let expected = per_day.get(id).copied().unwrap_or(0.0) * days(&load["per"]);
            let actual = load["load"].as_f64().unwrap();
            assert!(
                (actual - expected).abs() <= 1e-9 * expected.max(1.0),
                "{what} is {actual}, the formula gives {expected}"
            );
            let breakdown = array(&load["breakdown"], "breakdown");
            let sum: f64 = breakdown.iter().map(|p| p["contribution"].as_f64().unwrap()).sum();
            assert!(
                (actual - sum).abs() <= 1e-8 * actual.max(1.0),
                "{what} is {actual}, its breakdown adds up to {sum}"
            );
            let touchpoints: Vec<&str> =
                breakdown.iter().map(|p| string(&p["touchpoint"], "touchpoint")).collect();
            assert_eq!(touchpoints, parts.remove(id).unwrap_or_default(), "{what}: breakdown");
            for p in breakdown {
                let journey = string(&p["touchpoint"], "touchpoint").split('.').next();
                assert_eq!(p["journey"].as_str(), journey, "{what}: {p}");
            }
            if let Some(capacity) = load["capacity"].as_f64() {
                let utilisation = load["utilisation"].as_f64().unwrap();
                // The load is rounded to nine decimals in the document.
                assert!((utilisation - actual / capacity).abs() <= 1e-8 * utilisation.max(1.0));
                let status = match utilisation {
                    u if u > 1.5 => "critical",
                    u if u > 1.0 => "over",
                    _ => "ok",
                };
                assert_eq!(load["status"], status, "{what} at {utilisation}");
            } else {
                assert_eq!(load["status"], "no-capacity", "{what}");
                assert_eq!(load["per"], "week", "{what}");
            }
        }
    }
}

#[test]
fn invariants_hold_for_every_example() {
    let tmp = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let text = build_example(example, &tmp.path().join(example));
        check_invariants(example, &parse(&text));
    }
}

#[test]
fn the_worked_example_of_the_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("worked.journey"), WORKED_EXAMPLE);
    let out = tmp.path().join("out");
    build(&ws, &out).assert().code(0);
    let d = parse(&fs::read_to_string(out.join("traceability.json")).unwrap());
    assert_valid(&validator(), &d, "the worked example's document");
    check_invariants("the worked example", &d);

    assert_eq!(d["scenarios"], json!(["as-is"]));
    let loads = array(&d["capability_load"][0]["loads"], "loads");
    assert_eq!(loads.len(), 1);
    let load = &loads[0];
    assert_eq!(load["capability"], "identity");
    assert_eq!(load["per"], "day");
    assert_eq!(load["capacity"], 40.0);
    let close = |actual: &Value, expected: f64| {
        actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-9 * expected)
    };
    // 500 per week × 60% / 7, counted once although two activities use `identity`.
    assert!(close(&load["load"], 500.0 * 0.6 / 7.0), "load {}", load["load"]);
    assert!((load["load"].as_f64().unwrap() - 42.857).abs() < 1e-3);
    assert!(close(&load["utilisation"], 300.0 / 7.0 / 40.0), "utilisation {}", load["utilisation"]);
    assert!((load["utilisation"].as_f64().unwrap() - 1.0714).abs() < 1e-4);
    assert_eq!(load["status"], "over");

    let overloads: Vec<&Value> = array(&d["diagnostics"], "diagnostics")
        .iter()
        .filter(|x| x["code"] == "journey::overload")
        .collect();
    assert_eq!(overloads.len(), 1, "{overloads:#?}");
    assert_eq!(overloads[0]["severity"], "warning");
    assert_eq!(overloads[0]["source"]["file"], "worked.journey");
    assert_eq!(overloads[0]["source"]["line"], 2);
}

/// The load of capability `id` in the document's entry for `scenario`.
fn load_in<'a>(d: &'a Value, scenario: &str, id: &str) -> &'a Value {
    let loads = array(&d["capability_load"], "capability_load")
        .iter()
        .find(|l| l["scenario"] == scenario)
        .unwrap_or_else(|| panic!("no `{scenario}` in capability_load"));
    array(&loads["loads"], "loads")
        .iter()
        .find(|l| l["capability"] == id)
        .unwrap_or_else(|| panic!("no load of `{id}` in the {scenario}"))
}

/// The touchpoints and contributions of a load's breakdown.
fn breakdown(load: &Value) -> Vec<(&str, f64)> {
    array(&load["breakdown"], "breakdown")
        .iter()
        .map(|p| (string(&p["touchpoint"], "touchpoint"), p["contribution"].as_f64().unwrap()))
        .collect()
}

#[test]
fn the_worked_example_of_roll_up_and_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("scenarios.journey"), WORKED_SCENARIOS);
    let out = tmp.path().join("out");
    build(&ws, &out).assert().code(0);
    let d = parse(&fs::read_to_string(out.join("traceability.json")).unwrap());
    assert_valid(&validator(), &d, "the worked example's document");
    check_invariants("the worked example", &d);
    assert_eq!(d["scenarios"], json!(["as-is", "to-be"]));
    assert_eq!(d["journeys"][0]["replaced_by"], json!(["open_account_in_app"]));
    assert_eq!(d["journeys"][1]["replaces"], "open_account");
    let close = |a: f64, b: f64| (a - b).abs() < 5e-3;

    // As-is: the parent carries both touchpoints, one through its child.
    let parent = load_in(&d, "as-is", "customer_data");
    assert!(close(parent["load"].as_f64().unwrap(), 114.29), "{parent}");
    assert!(close(parent["utilisation"].as_f64().unwrap(), 0.952), "{parent}");
    let parts = breakdown(parent);
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0].0, "open_account.apply.upload");
    assert!(close(parts[0].1, 42.86), "{parts:?}");
    assert_eq!(parts[1].0, "open_account.apply.confirm");
    assert!(close(parts[1].1, 71.43), "{parts:?}");
    let child = load_in(&d, "as-is", "identity");
    assert_eq!(breakdown(child).len(), 1);
    assert!(close(child["load"].as_f64().unwrap(), 42.86));
    assert_eq!(child["status"], "over");

    // To-be: only the future journey, through the future activity.
    for id in ["identity", "customer_data"] {
        let load = load_in(&d, "to-be", id);
        assert!(close(load["load"].as_f64().unwrap(), 35.71), "{id}: {load}");
        assert_eq!(
            breakdown(load).iter().map(|p| p.0).collect::<Vec<_>>(),
            ["open_account_in_app.apply.scan"]
        );
        assert_eq!(load["breakdown"][0]["journey"], "open_account_in_app");
    }
    assert!(close(load_in(&d, "to-be", "identity")["utilisation"].as_f64().unwrap(), 0.893));
    assert_eq!(load_in(&d, "to-be", "identity")["status"], "ok");

    // The activities' states, and the lean figures of each scenario.
    let states: Vec<&str> = activities_in(&d).map(|a| string(&a["state"], "state")).collect();
    assert_eq!(states, ["current", "current", "current", "future"]);
    assert_eq!(d["lean"][1]["scenario"], "to-be");
}

/// The example with a future state shows two heat maps that differ (issue 17,
/// "done when"), each load the sum of its breakdown (checked by the invariants).
#[test]
fn the_future_state_example_has_different_as_is_and_to_be_heat_maps() {
    let tmp = tempfile::tempdir().unwrap();
    let d = parse(&build_example("hospital-onboarding", &tmp.path().join("out")));
    check_invariants("hospital-onboarding", &d);
    assert_eq!(d["scenarios"], json!(["as-is", "to-be"]));
    let journey = |id: &str| {
        array(&d["journeys"], "journeys").iter().find(|j| j["id"] == id).unwrap().clone()
    };
    assert_eq!(journey("digital_front_door")["replaces"], "new_patient_journey");
    assert_eq!(journey("new_patient_journey")["replaced_by"], json!(["digital_front_door"]));

    let heat = |scenario: &str| -> Vec<(String, f64)> {
        let loads = array(&d["capability_load"], "capability_load")
            .iter()
            .find(|l| l["scenario"] == scenario)
            .unwrap();
        array(&loads["loads"], "loads")
            .iter()
            .map(|l| (string(&l["capability"], "id").to_owned(), l["load"].as_f64().unwrap()))
            .collect()
    };
    let (as_is, to_be) = (heat("as-is"), heat("to-be"));
    let differ: Vec<&str> = as_is
        .iter()
        .zip(&to_be)
        .filter(|(a, b)| (a.1 - b.1).abs() > 1e-6)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert!(!differ.is_empty(), "the as-is and to-be heat maps are the same: {as_is:?}");
    // Each scenario's breakdowns name only its own journeys.
    for (scenario, journey) in [("as-is", "digital_front_door"), ("to-be", "new_patient_journey")] {
        for (id, _) in heat(scenario) {
            let load = load_in(&d, scenario, &id);
            assert!(
                array(&load["breakdown"], "breakdown").iter().all(|p| p["journey"] != journey),
                "the {scenario} load of `{id}` counts `{journey}`: {load}"
            );
        }
    }
}

/// A current value from a measurements file (spec §5c) names the file's row and its
/// date. The file is read by `--measurements`; here its reading is put into the
/// model by hand, as the reader leaves it.
#[test]
fn a_measured_current_value_names_its_row_and_date() {
    use journey::model::kpi::{Dimension, Measure, Measured, Reading};
    use journey::source::{FileId, Sources, Span};
    let text = "team ops\nvalue stream v { stage s { activity a { owner ops } } }\n\
                journey j { stage s { touchpoint t {\n  kpi k \"Wait\" { target <= 5 min current 9 min }\n  traces to a\n} } }\n";
    let mut sources = Sources::new();
    sources.add("ws.journey", text.to_owned()).unwrap();
    let mut analysis = journey::analyze(&sources, &journey::check::Levels::default());
    let csv = "kpi,value,date\nj.s.t.k,4 min,2026-11-30\n";
    let file = sources.add("kpis.csv", csv.to_owned()).unwrap();
    assert_eq!(file, FileId(1));
    let at = csv.find("4 min").unwrap();
    let kpi = &mut analysis.model.touchpoints[0].metrics[0];
    assert_eq!(kpi.met(), Some(false), "the source's value misses the target");
    let measured = |date: Option<&str>| Reading {
        written: "4 min".into(),
        measure: Some(Measure { amount: 4.0, dimension: Dimension::Duration }),
        bare: false,
        span: Span::new(file, at, at + 5),
        measured: Some(Measured { date: date.map(str::to_owned) }),
    };
    kpi.current = Some(measured(Some("2026-11-30")));
    let files = ["ws.journey".to_owned(), "kpis.csv".to_owned()];
    let names = journey::model::Names::of(&analysis.model);
    let emit = |analysis: &journey::Analysis| {
        let input = journey::emit::Input { analysis, sources: &sources, files: &files };
        parse(&journey::emit::traceability(input, &names))
    };
    let d = emit(&analysis);
    assert_valid(&validator(), &d, "a document with a measured value");
    let kpi = &d["journeys"][0]["stages"][0]["touchpoints"][0]["kpis"][0];
    assert_eq!(kpi["status"], "met", "{kpi}");
    assert_eq!(kpi["current"]["typed"], json!({ "value": 4.0, "unit": "minutes" }));
    assert_eq!(
        kpi["current"]["source"],
        json!({ "file": "kpis.csv", "line": 2, "column": 9, "date": "2026-11-30" })
    );
    assert_eq!(
        kpi["target"]["typed"],
        json!({ "comparison": "<=", "value": 5.0, "unit": "minutes" })
    );

    // A row without a date still says it is a measurement.
    analysis.model.touchpoints[0].metrics[0].current = Some(measured(None));
    let d = emit(&analysis);
    assert_valid(&validator(), &d, "a document with an undated measurement");
    let source = &d["journeys"][0]["stages"][0]["touchpoints"][0]["kpis"][0]["current"]["source"];
    assert_eq!(source["date"], Value::Null, "{source}");
}

// ------------------------------------------------------------------ determinism

#[test]
fn builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    for example in EXAMPLES {
        let first = tmp.path().join(format!("{example}-1"));
        let second = tmp.path().join("elsewhere").join(format!("{example}-2"));
        build_example(example, &first);
        build_example(example, &second);
        let (a, b) = (snapshot(&first), snapshot(&second));
        assert!(a.contains_key("traceability.json"), "{example}: {:?}", names(&a));
        assert_eq!(names(&a), names(&b), "{example}: the two builds wrote different files");
        for (name, bytes) in &a {
            assert!(bytes == &b[name], "{example}: `{name}` differs between two builds");
        }
        let json = fs::read(first.join("traceability.json")).unwrap();

        // From inside the example, with `.` as the path.
        let third = tmp.path().join(format!("{example}-3"));
        journey()
            .current_dir(support::root().join("examples").join(example))
            .arg("build")
            .arg(".")
            .arg("-o")
            .arg(&third)
            .assert()
            .code(0);
        assert!(
            fs::read(third.join("traceability.json")).unwrap() == json,
            "{example}: building from inside the example changes traceability.json"
        );

        // With an absolute path, from another folder.
        let fourth = tmp.path().join(format!("{example}-4"));
        journey()
            .current_dir(tmp.path())
            .arg("build")
            .arg(support::root().join("examples").join(example))
            .arg("-o")
            .arg(&fourth)
            .assert()
            .code(0);
        assert!(
            fs::read(fourth.join("traceability.json")).unwrap() == json,
            "{example}: building with an absolute path changes traceability.json"
        );
    }
}

// ------------------------------------------------------------------ the output folder

#[test]
fn a_workspace_with_errors_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), WITH_ERROR);
    let out = tmp.path().join("out");
    build(&ws, &out).assert().code(1).stderr(predicate::str::contains("not writing"));
    assert!(!out.exists(), "the output folder was created");
    assert_no_leftovers(tmp.path());
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    let out = tmp.path().join("out");
    build(&ws, &out).assert().code(0);
    let before = snapshot(tmp.path());

    write(&ws.join("main.journey"), WITH_ERROR);
    let after_edit = snapshot(&out);
    build(&ws, &out).assert().code(1).stderr(predicate::str::contains("not writing"));
    assert_eq!(snapshot(&out), after_edit, "a failing build changed the previous output");
    let mut expected = before;
    expected.insert("ws/main.journey".into(), Some(WITH_ERROR.as_bytes().to_vec()));
    assert_eq!(snapshot(tmp.path()), expected);
    assert_no_leftovers(tmp.path());

    // `--deny warnings` fails the same way.
    write(&ws.join("main.journey"), WARNINGS_ONLY);
    build(&ws, &out)
        .args(["--deny", "warnings"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not writing"));
    assert_eq!(snapshot(&out), after_edit, "a denied build changed the previous output");
    assert_no_leftovers(tmp.path());
}

#[test]
fn denied_warnings_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), WARNINGS_ONLY);
    let out = tmp.path().join("out");
    build(&ws, &out)
        .args(["--deny", "warnings"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not writing"));
    assert!(!out.exists(), "the output folder was created");
    assert_no_leftovers(tmp.path());

    // Without `--deny`, the warnings are written into the document.
    build(&ws, &out).assert().code(0);
    let d = parse(&fs::read_to_string(out.join("traceability.json")).unwrap());
    assert!(array(&d["diagnostics"], "diagnostics").iter().any(|x| x["code"] == "journey::waste"));
    assert_eq!(d["waste"], json!(["v.b"]));
}

#[test]
fn an_output_path_naming_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    let out = tmp.path().join("out");
    write(&out, "not a folder\n");
    let before = snapshot(tmp.path());
    build(&ws, &out).assert().code(2).stderr(predicate::str::contains("is not a folder"));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn an_output_folder_holding_the_sources_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    write(&ws.join("notes.txt"), "mine\n");
    let before = snapshot(tmp.path());
    // The workspace folder itself, and a folder above it.
    for out in [ws.clone(), tmp.path().to_path_buf()] {
        let (code, stderr) = stderr_of(&mut build(&ws, &out));
        assert_eq!(code, 2, "-o {out:?}: {stderr}");
        assert!(stderr.contains("refusing"), "-o {out:?}: {stderr}");
        assert_eq!(snapshot(tmp.path()), before, "-o {out:?} changed something");
    }
    // `.` from inside the workspace: refused too (whatever the message says).
    let (code, stderr) = stderr_of(journey().current_dir(&ws).args(["build", ".", "-o", "."]));
    assert_eq!(code, 2, "-o .: {stderr}");
    assert_eq!(snapshot(tmp.path()), before, "-o . changed something");
    assert_no_leftovers(tmp.path());
}

#[test]
fn a_folder_not_made_by_journey_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    let out = tmp.path().join("out");
    write(&out.join("notes.txt"), "precious\n");
    let before = snapshot(tmp.path());
    build(&ws, &out).assert().code(2).stderr(predicate::str::contains("refusing"));
    assert_eq!(snapshot(tmp.path()), before);
    assert_no_leftovers(tmp.path());

    // A `traceability.json` of another program does not make it ours either.
    write(&out.join("traceability.json"), "{\"schema\": \"something-else/1\"}\n");
    let before = snapshot(tmp.path());
    build(&ws, &out).assert().code(2).stderr(predicate::str::contains("refusing"));
    assert_eq!(snapshot(tmp.path()), before);
    assert_no_leftovers(tmp.path());
}

#[test]
fn an_empty_folder_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    build(&ws, &out).assert().code(0);
    assert!(out.join("traceability.json").is_file());
    assert_no_leftovers(tmp.path());
}

#[test]
fn a_previous_output_is_replaced_as_a_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("old"));
    let out = tmp.path().join("out");
    build(&ws, &out).assert().code(0);
    // The page of journey `old`; planted if this build does not write pages yet,
    // so that the test cannot pass without the folder being replaced.
    let stale = out.join("old.html");
    if !stale.exists() {
        write(&stale, "<p>stale</p>\n");
    }

    write(&ws.join("main.journey"), &clean("new"));
    build(&ws, &out).assert().code(0);
    assert!(!stale.exists(), "the page of the renamed journey is still there");
    let d = parse(&fs::read_to_string(out.join("traceability.json")).unwrap());
    assert_eq!(d["journeys"][0]["id"], "new");

    // Exactly what a fresh build writes.
    let fresh = tmp.path().join("fresh");
    build(&ws, &fresh).assert().code(0);
    assert_eq!(snapshot(&out), snapshot(&fresh));
    assert_no_leftovers(tmp.path());
}

#[test]
fn missing_parent_folders_are_created() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    let out = tmp.path().join("a").join("b").join("c").join("out");
    build(&ws, &out).assert().code(0);
    assert!(out.join("traceability.json").is_file());
    assert_no_leftovers(out.parent().unwrap());
    assert_no_leftovers(tmp.path());
}

/// Paths given relative to the current folder land there, not beside the sources.
#[test]
fn a_relative_output_path_is_relative_to_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    write(&ws.join("main.journey"), &clean("j"));
    journey().current_dir(tmp.path()).args(["build", "ws", "-o", "site/out"]).assert().code(0);
    assert!(tmp.path().join("site/out/traceability.json").is_file());
    assert!(!ws.join("site").exists());
    let d = parse(&fs::read_to_string(tmp.path().join("site/out/traceability.json")).unwrap());
    assert_eq!(d["files"], json!(["main.journey"]));
}
