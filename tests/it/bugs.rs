//! Compiler bugs found while writing the test suite, one test each, stating the
//! expected behaviour. A fixed bug's test stays as a regression test; an open
//! bug's test is `#[ignore = "bug: …"]` so that the suite stays green. Run the
//! open ones with `cargo test --test it bugs:: -- --ignored`; when one passes, remove
//! its `#[ignore]`.

use crate::support;

use journey::Analysis;
use journey::diagnostic::{Code, Diagnostic};
use journey::source::Sources;

fn analyze(text: &str) -> (Sources, Analysis) {
    let sources = support::single(text);
    let analysis = support::analyze_default(&sources);
    (sources, analysis)
}

fn codes(analysis: &Analysis) -> Vec<Code> {
    analysis.diagnostics.iter().map(|d| d.code).collect()
}

fn only(analysis: &Analysis, code: Code) -> &Diagnostic {
    let found: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{:#?}", analysis.diagnostics);
    found[0]
}

#[test]
fn a_missing_brace_does_not_lose_the_next_declaration() {
    let (_, analysis) = analyze("team a {\nteam b\nsystem s { owner b }\n");
    // Actual: syntax (expected `}`, found `team`) + unresolved (no team is named `b`).
    assert_eq!(codes(&analysis), [Code::Syntax], "{:#?}", analysis.diagnostics);
}

#[test]
fn an_unterminated_label_at_the_top_level_is_an_unterminated_string() {
    let (_, analysis) = analyze("persona p \"Unterminated\nteam t\n");
    let d = only(&analysis, Code::Syntax);
    assert_eq!(d.message, "unterminated string");
}

#[test]
fn the_maps_to_label_covers_the_attribute_only() {
    let sources = support::load("tests/cases/misaligned.journey");
    let analysis = support::analyze_default(&sources);
    let d = analysis.diagnostics.iter().find(|d| d.code == Code::Misaligned).unwrap();
    let label = &d.secondary[0];
    assert_eq!(sources.slice(label.span), "maps to sell.order");
}

/// No label starts or ends with white space: a label underlines code, not the
/// blank after it. (Empty labels, which point between two characters, are fine.)
#[test]
fn labels_are_trimmed() {
    let mut problems = Vec::new();
    let mut inputs: Vec<Sources> = vec![
        support::load("examples/b2b-order"),
        support::single("persona p \"Unterminated\nteam t\n"),
    ];
    for path in support::journey_files(&support::root().join("tests/cases")) {
        let rel = path.strip_prefix(support::root()).unwrap().to_string_lossy().into_owned();
        inputs.push(support::load(&rel));
    }
    for sources in &inputs {
        let analysis = support::analyze_default(sources);
        for d in &analysis.diagnostics {
            for label in std::iter::once(&d.primary).chain(&d.secondary) {
                let text = sources.slice(label.span);
                if text.trim() != text {
                    let f = sources.get(label.span.file);
                    let at = f.line_col(label.span.start);
                    problems.push(format!(
                        "{}:{}:{} {} label `{}` covers {text:?}",
                        f.display_path(),
                        at.line,
                        at.column,
                        d.code,
                        label.message
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ambiguous_says_activities() {
    let sources = support::load("tests/cases/ambiguous.journey");
    let analysis = support::analyze_default(&sources);
    let d = only(&analysis, Code::Ambiguous);
    assert_eq!(d.message, "`capture` names 2 activities in different value streams");
}

#[test]
fn ratings_take_the_right_article() {
    let (_, analysis) = analyze(
        "team ops\njourney j { stage s { touchpoint t {\n\
         opportunity o { impact hgh effort lw owner ops }\n} } }\n",
    );
    let messages: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::InvalidValue)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages, ["`hgh` is not an impact", "`lw` is not an effort"]);
}

#[test]
fn a_repeated_metric_description_points_at_the_first_one() {
    let text =
        "value stream v { stage s {\n  kpi \"k\" { description \"a\" description \"b\" }\n} }\n";
    let (sources, analysis) = analyze(text);
    let d = only(&analysis, Code::Duplicate);
    assert_eq!(sources.slice(d.primary.span), "description \"b\"");
    assert_eq!(sources.slice(d.secondary[0].span), "description \"a\"");
}

#[test]
fn duplicate_metric_ids_are_reported() {
    let (_, analysis) = analyze(
        "team ops\nvalue stream v { stage s {\n  metric m { target \"x\" }\n  metric m { target \"y\" }\n\
         activity a { owner ops enabling }\n} }\n",
    );
    assert_eq!(codes(&analysis), [Code::Duplicate], "{:#?}", analysis.diagnostics);
}

#[test]
fn a_duplicate_value_stream_does_not_cascade() {
    let (_, analysis) = analyze(
        "team ops\n\
         value stream v { stage s { metric m { target \"x\" } activity a { owner ops } } }\n\
         value stream v { stage t { metric m { target \"x\" } activity b { owner ops } } }\n\
         journey j { stage s { maps to v.s, v.t touchpoint x { traces to v.a, v.b } } }\n",
    );
    // Actual: duplicate + unresolved `v.t` + unresolved `v.b`.
    assert_eq!(codes(&analysis), [Code::Duplicate], "{:#?}", analysis.diagnostics);
}
