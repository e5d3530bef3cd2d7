//! Measurements files (spec §5c, `docs/measurements.md`): which row wins, every
//! problem located in the CSV and rendered like any other diagnostic, and the
//! command line's `--measurements`.
//!
//! The workspace is `tests/fixtures/measurements/ws.journey`: a metric
//! `referral.intake.triage_time` (target `<= 2 days`) and a kpi
//! `booking.call.phone.answered` (target `>= 80%`), both met as written.

use crate::support::{self, Ending, pages::journey};
use journey::analysis::{Analysis, analyze};
use journey::check::Levels;
use journey::diagnostic::{Code, Severity};
use journey::model::kpi::Reading;
use journey::report::{self, Human};
use journey::source::{FileKind, SourceFile, Sources};
use predicates::prelude::*;
use std::path::Path;

const WS: &str = include_str!("../fixtures/measurements/ws.journey");
const WS_PATH: &str = "tests/fixtures/measurements/ws.journey";

/// The workspace with these measurements files, in this order.
fn workspace(csvs: &[(&str, &str)]) -> Sources {
    let mut sources = support::sources(&[("ws.journey", WS)]);
    for (name, text) in csvs {
        let file = SourceFile::new((*name).into(), (*text).to_owned());
        sources.push(file.of_kind(FileKind::Measurements)).unwrap();
    }
    sources
}

fn analyzed(csvs: &[(&str, &str)]) -> (Sources, Analysis) {
    let sources = workspace(csvs);
    let analysis = analyze(&sources, &Levels::default());
    (sources, analysis)
}

/// The kpi `booking.call.phone.answered`.
fn answered(analysis: &Analysis) -> &Reading {
    analysis.model.touchpoints[0].metrics[0].current.as_ref().unwrap()
}

/// The metric `referral.intake.triage_time`.
fn triage_time(analysis: &Analysis) -> &Reading {
    analysis.model.vs_stages[0].metrics[0].current.as_ref().unwrap()
}

/// The text a measured value's span covers in its CSV file, and its date.
fn shown<'s>(sources: &'s Sources, reading: &Reading) -> (&'s str, String) {
    let date = reading.measured.as_ref().expect("a measured value").date.clone();
    (sources.slice(reading.span), date.unwrap_or_default())
}

fn no_errors(analysis: &Analysis) {
    let errors: Vec<_> =
        analysis.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

// ------------------------------------------------------------------ which row wins

#[test]
fn the_latest_date_wins_whatever_the_row_order() {
    let csv = "kpi,value,date\n\
               booking.call.phone.answered,90%,2026-03-01\n\
               booking.call.phone.answered,50%,2026-01-01\n\
               referral.intake.triage_time,3 days,2026-02-01\n\
               booking.call.phone.answered,70%,2026-02-01\n";
    let (sources, analysis) = analyzed(&[("kpis.csv", csv)]);
    no_errors(&analysis);
    let (text, date) = shown(&sources, answered(&analysis));
    assert_eq!((text, date.as_str()), ("90%", "2026-03-01"));
    assert_eq!(answered(&analysis).span.file, sources.iter().nth(1).unwrap().0);
    let (text, date) = shown(&sources, triage_time(&analysis));
    assert_eq!((text, date.as_str()), ("3 days", "2026-02-01"));
}

#[test]
fn of_rows_with_the_same_date_the_last_wins_across_files_too() {
    let first = "date,kpi,value\n\
                 2026-03-01,booking.call.phone.answered,60%\n\
                 2026-03-01,booking.call.phone.answered,65%\n";
    let (sources, analysis) = analyzed(&[("a.csv", first)]);
    assert_eq!(shown(&sources, answered(&analysis)).0, "65%");
    // A second file is read after the first: its row of the same date is later.
    let second = "value,kpi,date\n75%,booking.call.phone.answered,2026-03-01\n";
    let (sources, analysis) = analyzed(&[("a.csv", first), ("b.csv", second)]);
    no_errors(&analysis);
    let reading = answered(&analysis);
    assert_eq!(shown(&sources, reading).0, "75%");
    assert_eq!(sources.get(reading.span.file).path, Path::new("b.csv"));
}

#[test]
fn an_undated_row_is_older_than_any_dated_one() {
    let csv = "kpi,value,date\n\
               booking.call.phone.answered,70%,2020-01-01\n\
               booking.call.phone.answered,40%,\n\
               referral.intake.triage_time,5 days,\n\
               referral.intake.triage_time,30 h,\n";
    let (sources, analysis) = analyzed(&[("kpis.csv", csv)]);
    no_errors(&analysis);
    assert_eq!(shown(&sources, answered(&analysis)).0, "70%");
    // Among undated rows, the last wins; it has no date.
    let reading = triage_time(&analysis);
    assert_eq!(sources.slice(reading.span), "30 h");
    assert_eq!(reading.measured.as_ref().unwrap().date, None);
    // A file without a `date` column is all undated rows.
    let (sources, analysis) =
        analyzed(&[("kpis.csv", "kpi,value\nbooking.call.phone.answered,81%\n")]);
    no_errors(&analysis);
    assert_eq!(shown(&sources, answered(&analysis)).0, "81%");
}

#[test]
fn other_columns_spaces_quotes_blank_rows_and_crlf_are_read() {
    let csv = "\u{feff}\" KPI \",Note,Value,Date\r\n\
               booking.call.phone.answered ,\"a note, with a comma\",\"79 %\",2026-04-30\r\n\
               ,,,\r\n";
    let (sources, analysis) = analyzed(&[("kpis.csv", csv)]);
    no_errors(&analysis);
    let reading = answered(&analysis);
    // The span of a quoted cell covers its quotes.
    assert_eq!(sources.slice(reading.span), "\"79 %\"");
    assert_eq!(reading.written, "79 %");
    assert!((reading.measure.unwrap().amount - 79.0).abs() < 1e-9);
}

#[test]
fn a_missed_kpi_names_its_date_and_points_into_the_csv() {
    let csv = "kpi,value,date\n\
               booking.call.phone.answered,72%,2026-03-31\n\
               referral.intake.triage_time,36 h,2026-03-31\n";
    let (sources, analysis) = analyzed(&[("kpis.csv", csv)]);
    let missed: Vec<_> =
        analysis.diagnostics.iter().filter(|d| d.code == Code::KpiMissed).collect();
    assert_eq!(missed.len(), 1, "{missed:#?}");
    assert!(missed[0].message.contains("is 72% (measured on 2026-03-31)"), "{}", missed[0].message);
    let human = report::human(&sources, &analysis.diagnostics, Human { color: false, width: 100 });
    support::snapshot!("tests/outputs", "measurements-kpi-missed", human, Ending::BlankLine);
}

#[test]
fn a_unit_that_cannot_be_compared_leaves_the_kpi_unchecked() {
    // `>= 80%` against a duration: like a string pair, not checked, not an error.
    let csv = "kpi,value\nbooking.call.phone.answered,2 min\n";
    let (_, analysis) = analyzed(&[("kpis.csv", csv)]);
    assert!(analysis.diagnostics.is_empty(), "{:#?}", analysis.diagnostics);
    assert_eq!(analysis.model.touchpoints[0].metrics[0].met(), None);
}

// ------------------------------------------------------------------ problems

/// Each problem: its name (the snapshot is `tests/outputs/measurements-<name>.snap`),
/// the file, and the code, line and column of the diagnostic it gives.
const PROBLEMS: &[(&str, &str, Code, usize, usize)] = &[
    (
        "unknown-path",
        "kpi,value,date\nbooking.call.phone.answerd,90%,2026-03-01\n",
        Code::Unresolved,
        2,
        1,
    ),
    (
        "no-such-kpi",
        "date,kpi,value\n2026-03-01,booking.call.fax.pages,3\n",
        Code::Unresolved,
        2,
        12,
    ),
    ("no-kpi", "kpi,value\n  ,90%\n", Code::Unresolved, 2, 3),
    ("bad-value", "kpi,value\nbooking.call.phone.answered,about 90\n", Code::InvalidValue, 2, 29),
    (
        "bad-date",
        "kpi,value,date\nbooking.call.phone.answered,90%,2026-02-30\n",
        Code::InvalidValue,
        2,
        33,
    ),
    (
        "missing-column",
        "kpi,measured value,date\nbooking.call.phone.answered,90%,\n",
        Code::InvalidValue,
        1,
        1,
    ),
    ("column-twice", "kpi,value,KPI\na,1,b\n", Code::InvalidValue, 1, 11),
    ("empty-file", "", Code::InvalidValue, 1, 1),
    (
        "unterminated-quote",
        "kpi,value,date\nbooking.call.phone.answered,\"90%,2026-03-01\nreferral.intake.triage_time,1 day,\n",
        Code::Syntax,
        2,
        29,
    ),
    ("text-after-quote", "kpi,value\nbooking.call.phone.answered,\"90\"%\n", Code::Syntax, 2, 33),
    ("stray-quote", "kpi,value\nbooking.call.phone.answered,90\"%\n", Code::Syntax, 2, 31),
    ("too-few-fields", "kpi,value,date\nbooking.call.phone.answered,90%\n", Code::Syntax, 2, 1),
];

#[test]
fn every_problem_is_an_error_located_in_the_csv() {
    support::each(0..PROBLEMS.len(), |&i| {
        let (name, csv, code, line, column) = PROBLEMS[i];
        let (sources, analysis) = analyzed(&[("kpis.csv", csv)]);
        let [d] = &analysis.diagnostics[..] else {
            panic!("{name}: expected one diagnostic, got {:#?}", analysis.diagnostics)
        };
        assert_eq!((d.code, d.severity), (code, Severity::Error), "{name}: {d:#?}");
        let file = sources.get(d.primary.span.file);
        assert_eq!(file.path, Path::new("kpis.csv"), "{name}");
        let at = file.line_col(d.primary.span.start);
        assert_eq!((at.line, at.column), (line, column), "{name}: {d:#?}");
        assert!(d.help.is_some() && !d.primary.message.is_empty(), "{name}: {d:#?}");
        support::check_spans(&sources, &analysis.diagnostics).unwrap();
        let human =
            report::human(&sources, &analysis.diagnostics, Human { color: false, width: 100 });
        support::snapshot!(
            "tests/outputs",
            format!("measurements-{name}"),
            human,
            Ending::BlankLine
        );
    });
}

#[test]
fn the_unknown_path_suggests_the_nearest_kpi() {
    let csv = PROBLEMS[0].1;
    let (_, analysis) = analyzed(&[("kpis.csv", csv)]);
    assert_eq!(
        analysis.diagnostics[0].help.as_deref(),
        Some("did you mean `booking.call.phone.answered`?")
    );
}

#[test]
fn the_path_of_an_element_names_its_kpis() {
    let (_, analysis) = analyzed(&[("kpis.csv", "kpi,value\nbooking.call.phone,90%\n")]);
    assert_eq!(
        analysis.diagnostics[0].help.as_deref(),
        Some("`booking.call.phone` holds kpis; name one of them: `booking.call.phone.answered`")
    );
}

#[test]
fn a_measurements_file_is_never_parsed_as_journey_text() {
    // Text that would be a syntax error, and a declaration, were it parsed.
    let csv = "kpi,value\nbooking.call.phone.answered,90%\n";
    let mut sources = workspace(&[("kpis.csv", csv)]);
    let journey_like = SourceFile::new("more.csv".into(), "kpi,value\n".to_owned());
    sources.push(journey_like.of_kind(FileKind::Measurements)).unwrap();
    let analysis = analyze(&sources, &Levels::default());
    assert!(analysis.diagnostics.is_empty(), "{:#?}", analysis.diagnostics);
    assert_eq!(analysis.model.teams.len(), 1);
}

// ------------------------------------------------------------------ the command line

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const MISSED: &str = "kpi,value,date\n\
                      booking.call.phone.answered,84%,2026-02-28\n\
                      booking.call.phone.answered,72%,2026-03-31\n";

#[test]
fn a_kpi_missed_only_in_the_measurements_fails_the_check_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "kpis.csv", MISSED);
    journey()
        .args(["check", WS_PATH])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
    journey()
        .args(["check", WS_PATH, "--measurements", &csv])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("is 72% (measured on 2026-03-31)"))
        .stderr(predicate::str::contains("checked 2 files: 0 errors, 1 warning"));
    journey()
        .args(["check", WS_PATH, "--measurements", &csv, "--deny", "journey::kpi-missed"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 error, 0 warnings"));
}

#[test]
fn the_same_csv_given_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "kpis.csv", MISSED);
    let again = dir.path().join(".").join("kpis.csv");
    journey()
        .args(["check", WS_PATH, "--measurements", &csv, "--measurements"])
        .arg(&again)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 2 files: 0 errors, 1 warning"));
    // Through the library as well.
    let (mut sources, errors) = journey::workspace::load(&[support::root().join(WS_PATH)]);
    assert!(errors.is_empty());
    let errors = journey::workspace::load_measurements(
        &mut sources,
        &[csv.clone().into(), again, csv.into()],
    );
    assert!(errors.is_empty());
    assert_eq!(sources.len(), 2);
}

#[test]
fn an_unreadable_measurements_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.csv");
    journey().args(["check", WS_PATH, "--measurements"]).arg(&missing).assert().code(2).stderr(
        predicate::str::contains("cannot read").and(predicate::str::contains("missing.csv")),
    );
    journey()
        .args(["check", WS_PATH, "--measurements"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is a folder"));
}

#[test]
fn errors_in_the_csv_fail_the_check_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "kpis.csv", PROBLEMS[0].1);
    journey()
        .args(["check", WS_PATH, "--format", "json", "--measurements", &csv])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"code\": \"journey::unresolved\""))
        .stdout(predicate::str::contains("\"line\": 2"));
}

#[test]
fn the_built_site_shows_the_measured_value_and_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "kpis.csv", MISSED);
    let out = dir.path().join("site");
    journey().args(["build", WS_PATH, "--measurements", &csv, "-o"]).arg(&out).assert().code(0);
    let json = std::fs::read_to_string(out.join("traceability.json")).unwrap();
    // Every file is named relative to the root of every path given, the CSV too.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let files: Vec<&str> =
        value["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.iter().all(|f| !Path::new(f).is_absolute()), "{files:?}");
    assert!(files.last().unwrap().ends_with("kpis.csv"), "{files:?}");
    assert!(json.contains("\"72%\""), "the measured value is in traceability.json");
    assert!(!json.contains("\"85%\""), "the written value is replaced");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap()
        + &std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .collect::<String>();
    assert!(
        page.contains("now 72% (measured on 2026-03-31)"),
        "a page shows the value and its date"
    );
}

#[test]
fn every_analysing_command_takes_measurements() {
    for command in ["check", "build", "export", "serve"] {
        journey()
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("--measurements <FILE>"));
    }
}

#[test]
fn export_stops_on_an_error_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "kpis.csv", PROBLEMS[3].1);
    journey()
        .args(["export", "--format", "markdown", WS_PATH, "--measurements", &csv])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("`about 90` is not a typed value"));
}

#[test]
fn the_hospital_example_reads_its_measurements() {
    let example = "examples/hospital-onboarding";
    let csv = "examples/hospital-onboarding/measurements/kpis.csv";
    journey()
        .args(["check", example, "--measurements", csv])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("⚠ \"Discharge summaries sent within 7 days\" of"))
        .stderr(predicate::str::contains("is 93% (measured on 2026-02-28)"))
        .stderr(predicate::str::contains("measurements/kpis.csv:10:53"))
        .stderr(predicate::str::contains("0 errors"));
    journey()
        .args(["check", example, "--measurements", csv, "--deny", "kpi-missed"])
        .assert()
        .code(1);
    // The kpis the README says now meet their targets are not reported.
    let out = journey().args(["check", example, "--measurements", csv]).output().unwrap();
    let report = String::from_utf8(out.stderr).unwrap();
    for met in ["Referral to triage", "Did-not-attend rate", "Calls answered within 60 s"] {
        let warning = format!("⚠ \"{met}\" of");
        assert!(!report.contains(&warning), "{met} is met by its measurement");
    }
}

proptest::proptest! {
    /// Any text, as a measurements file, gives diagnostics with sound spans and no
    /// panic: the file is user input.
    #[test]
    fn any_text_is_read_without_panic(
        body in "(booking\\.call\\.phone\\.answered|kpi|value|date|2026-0[1-3]-[0-3][0-9]|[0-9]{1,3}( ?(%|min|h|days))?|\"|,|\r|\n| |é|\u{feff}){0,40}"
    ) {
        let (sources, analysis) = analyzed(&[("kpis.csv", &body)]);
        proptest::prop_assert!(support::check_spans(&sources, &analysis.diagnostics).is_ok());
        for d in &analysis.diagnostics {
            proptest::prop_assert!(d.help.is_some(), "{d:#?}");
        }
        let header = "kpi,value,date\n".to_owned() + &body;
        let (sources, analysis) = analyzed(&[("kpis.csv", &header)]);
        proptest::prop_assert!(support::check_spans(&sources, &analysis.diagnostics).is_ok());
    }
}
