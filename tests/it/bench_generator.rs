//! The benchmarks' workspace generator (`benches/support/generate.rs`): its workspaces
//! analyse without errors, have the promised shape and the lints the benchmarks
//! should exercise, are laid out as `journey fmt` lays them out, and are the same
//! bytes every time.

use crate::support::generate::{Shape, Style, generate, generate_in};
use journey::check::Levels;
use journey::diagnostic::Severity;
use journey::fmt::{Unformattable, format};
use journey::source::{FileId, Sources};
use journey::{Analysis, analyze};

fn analysed(files: &[(String, String)]) -> (Sources, Analysis) {
    let mut sources = Sources::new();
    for (path, text) in files {
        sources.add(path.as_str(), text.clone()).expect("the file is not too large");
    }
    let analysis = analyze(&sources, &Levels::default());
    (sources, analysis)
}

/// Analyses a generated workspace and checks everything the benchmarks rely on.
fn check_workspace(touchpoints: usize, file_count: usize) {
    let files = generate(touchpoints, file_count);
    assert_eq!(files.len(), file_count);
    let mut paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), file_count, "file names are unique");
    assert!(
        files.windows(2).all(|w| w[0].0 < w[1].0),
        "files are named in declaration order, as the workspace loader sorts them"
    );

    let (_, analysis) = analysed(&files);
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{} errors, the first: {:?}", errors.len(), errors.first());

    let shape = Shape::of(touchpoints);
    let model = &analysis.model;
    assert_eq!(model.touchpoints.len(), touchpoints);
    assert_eq!(model.journey_stages.len(), touchpoints / 10);
    assert_eq!(model.journeys.len(), (touchpoints / 1000).max(1));
    assert_eq!(model.activities.len(), touchpoints / 2);
    assert_eq!(model.vs_stages.len(), touchpoints / 20);
    assert_eq!(model.streams.len(), (touchpoints / 200).max(1));
    assert_eq!(model.teams.len(), shape.teams);
    assert_eq!(model.capabilities.len(), shape.all_capabilities());
    assert_eq!(model.systems.len(), shape.systems);
    assert_eq!(model.personas.len(), shape.personas);

    let figures = &analysis.figures;
    assert!(!figures.gaps.is_empty(), "some touchpoints are gaps");
    assert!(figures.gaps.len() <= touchpoints / 20, "{} gaps", figures.gaps.len());
    assert!(!figures.waste.is_empty(), "some activities are waste");
    assert!(figures.waste.len() <= touchpoints / 20, "{} waste", figures.waste.len());
    assert!(!figures.handoffs.is_empty(), "some touchpoints are hand-offs");
    // 1–3 traces per touchpoint that has any.
    let tenths = model.traces.len() * 10 / (touchpoints - figures.gaps.len());
    assert!((15..=25).contains(&tenths), "{tenths} tenths of a trace per touchpoint");

    for code in ["journey::gap", "journey::waste", "journey::handoff"] {
        assert!(
            analysis.diagnostics.iter().any(|d| d.code.to_string() == code),
            "no {code} reported"
        );
    }
    let overloads =
        analysis.diagnostics.iter().filter(|d| d.code.to_string() == "journey::overload").count();
    assert!(overloads * 10 <= model.capabilities.len(), "{overloads} overloaded capabilities");

    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let per_touchpoint = bytes / touchpoints;
    assert!((60..=250).contains(&per_touchpoint), "{per_touchpoint} bytes per touchpoint");
}

#[test]
fn a_thousand_touchpoints_in_two_files_check_without_errors() {
    check_workspace(1000, 2);
}

#[test]
fn three_thousand_touchpoints_in_twenty_files_check_without_errors() {
    check_workspace(3000, 20);
}

#[test]
fn one_file_and_more_files_than_declarations_still_work() {
    check_workspace(1000, 1);
    let files = generate(200, 40);
    assert_eq!(files.len(), 40);
    let (_, analysis) = analysed(&files);
    assert!(!analysis.has_errors());
    assert_eq!(analysis.model.touchpoints.len(), 200);
}

/// The lean style is the same workspace in fewer bytes: the same elements, traces
/// and findings, about 100 bytes a touchpoint, formatted and without errors.
#[test]
fn the_lean_workspace_is_the_realistic_one_with_short_names() {
    let touchpoints = 3000;
    let (_, realistic) = analysed(&generate(touchpoints, 20));
    let lean_files = generate_in(Style::Lean, touchpoints, 20);
    let (_, lean) = analysed(&lean_files);
    assert!(!lean.has_errors());
    let counts = |a: &Analysis| {
        let m = &a.model;
        let mut codes: Vec<String> = a.diagnostics.iter().map(|d| d.code.to_string()).collect();
        codes.sort_unstable();
        (m.touchpoints.len(), m.activities.len(), m.traces.len(), m.journey_stages.len(), codes)
    };
    assert_eq!(counts(&lean), counts(&realistic));
    let bytes: usize = lean_files.iter().map(|(_, t)| t.len()).sum();
    let per_touchpoint = bytes / touchpoints;
    assert!((80..=130).contains(&per_touchpoint), "{per_touchpoint} bytes per touchpoint");
    for (i, (path, text)) in lean_files.iter().enumerate() {
        assert_eq!(format(FileId(i as u32), text).ok().as_deref(), Some(text.as_str()), "{path}");
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate(1000, 2), generate(1000, 2));
    assert_eq!(generate(3000, 20), generate(3000, 20));
    // The content depends on the size alone; the number of files only cuts it.
    let strip = |files: Vec<(String, String)>| -> String {
        files
            .into_iter()
            .map(|(_, t)| t.split_once("\n\n").map(|(_, rest)| rest.to_owned()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let one = strip(generate(1000, 1));
    let two = strip(generate(1000, 2));
    assert_eq!(one.replace("\n\n", "\n"), two.replace("\n\n", "\n"));
    assert_ne!(generate(1000, 1), generate(1001, 1));
}

#[test]
fn the_files_are_formatted() {
    for (touchpoints, file_count) in [(1000, 2), (3000, 20)] {
        for (i, (path, text)) in generate(touchpoints, file_count).iter().enumerate() {
            match format(FileId(i as u32), text) {
                Ok(formatted) => {
                    if formatted != *text {
                        let first = formatted
                            .lines()
                            .zip(text.lines())
                            .position(|(a, b)| a != b)
                            .unwrap_or(0);
                        panic!(
                            "{path} is not formatted; first difference at line {}:\n  fmt: {:?}\n  gen: {:?}",
                            first + 1,
                            formatted.lines().nth(first),
                            text.lines().nth(first)
                        );
                    }
                }
                Err(Unformattable::Syntax(d)) => panic!("{path} does not parse: {d:?}"),
                Err(Unformattable::Internal(why)) => panic!("formatter bug on {path}: {why}"),
            }
        }
    }
}
