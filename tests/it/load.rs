//! Capability load (spec §5a) through the public API: `analyze` → `Figures::loads`.

use crate::support;

use journey::Analysis;
use journey::diagnostic::{Code, Severity};
use journey::model::Scenario;
use journey::syntax::ast::Period;

/// The load figure of the capability with this id.
fn load_of<'a>(analysis: &'a Analysis, id: &str) -> &'a journey::model::Load {
    scenario_load(analysis, Scenario::AsIs, id)
}

/// The load figure of the capability with this id in `scenario`.
fn scenario_load<'a>(
    analysis: &'a Analysis,
    scenario: Scenario,
    id: &str,
) -> &'a journey::model::Load {
    analysis
        .figures
        .loads
        .get(scenario)
        .unwrap_or_else(|| panic!("no {} scenario", scenario.as_str()))
        .iter()
        .find(|l| analysis.model[l.capability].meta.id == id)
        .unwrap_or_else(|| panic!("no load figure for capability `{id}`"))
}

fn analyze(text: &str) -> Analysis {
    let sources = support::single(text);
    let analysis = support::analyze_default(&sources);
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != Code::Overload)
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    analysis
}

fn overloads(analysis: &Analysis) -> Vec<(Severity, &str)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Overload)
        .map(|d| (d.severity, d.message.as_str()))
        .collect()
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9 * expected.abs().max(1.0)
}

/// The worked example of spec §5a, word for word.
const WORKED_EXAMPLE: &str = include_str!("../fixtures/worked-example/identity.journey");

#[test]
fn worked_example_of_the_spec() {
    let analysis = analyze(WORKED_EXAMPLE);
    let load = load_of(&analysis, "identity");
    assert_eq!(load.period, Period::Day);
    assert_eq!(load.capacity, Some(40.0));
    // 500 × 0.6 / 7, counted once although two activities use the capability.
    assert!(close(load.load, 500.0 * 0.6 / 7.0), "load {}", load.load);
    assert_eq!(format!("{:.2}", load.load), "42.86");
    let utilisation = load.utilisation().unwrap();
    assert!(close(utilisation, 300.0 / 7.0 / 40.0), "utilisation {utilisation}");
    assert_eq!(format!("{:.0}", utilisation * 100.0), "107");
    assert_eq!(
        overloads(&analysis),
        vec![(
            Severity::Warning,
            "capability `identity` carries 42.86 per day against a capacity of 40 per day (107%)"
        )]
    );
    // The overload is the only diagnostic of the example.
    assert_eq!(analysis.diagnostics.len(), 1, "{:#?}", analysis.diagnostics);
}

/// The second worked example of spec §5a: roll-up to the parent, and the to-be.
const SCENARIOS: &str = include_str!("../fixtures/worked-example/scenarios.journey");

#[test]
fn worked_example_of_roll_up_and_scenarios() {
    let analysis = analyze(SCENARIOS);
    let shown = |scenario, id| {
        let load = scenario_load(&analysis, scenario, id);
        let utilisation = load.utilisation().unwrap() * 100.0;
        (format!("{:.2}", load.load), format!("{utilisation:.0}%"))
    };
    assert_eq!(shown(Scenario::AsIs, "identity"), ("42.86".into(), "107%".into()));
    // 500 × 0.6 / 7 rolled up from `identity`, plus 500 × 1.0 / 7 of its own.
    assert_eq!(shown(Scenario::AsIs, "customer_data"), ("114.29".into(), "95%".into()));
    assert!(close(
        scenario_load(&analysis, Scenario::AsIs, "customer_data").load,
        500.0 * 0.6 / 7.0 + 500.0 / 7.0
    ));
    assert_eq!(shown(Scenario::ToBe, "identity"), ("35.71".into(), "89%".into()));
    assert_eq!(shown(Scenario::ToBe, "customer_data"), ("35.71".into(), "30%".into()));
    // The overload is the as-is scenario's only, and says so.
    assert_eq!(
        overloads(&analysis),
        vec![(
            Severity::Warning,
            "capability `identity` carries 42.86 per day against a capacity of 40 per day \
             (107%) in the current state"
        )]
    );
}

#[test]
fn without_a_future_state_there_is_no_to_be() {
    let analysis = analyze(WORKED_EXAMPLE);
    assert!(analysis.figures.loads.to_be.is_none());
    assert!(analysis.figures.lean.to_be.is_none());
    assert!(!overloads(&analysis)[0].1.contains("state"), "{:?}", overloads(&analysis));
}

#[test]
fn a_parent_counts_a_touchpoint_once_however_many_children_it_reaches() {
    let analysis = analyze(
        "team ops
capability top { owner ops capacity 100 per week }
capability a { owner ops parent top }
capability b { owner ops parent top }
value stream v { stage s { metric m { target \"< 1 day\" }
  activity x { owner ops capability a }
  activity y { owner ops capability b, top } } }
journey j { volume 70 per week stage st { touchpoint t { traces to x, y } } }",
    );
    assert!(close(load_of(&analysis, "top").load, 70.0));
    assert!(close(load_of(&analysis, "a").load, 70.0));
}

#[test]
fn a_touchpoint_counts_once_per_capability() {
    // Three activities of the touchpoint use `identity`, two use `scoring`: each
    // capability carries the touchpoint's volume once.
    let analysis = analyze(
        r#"
        team ops
        capability identity { owner ops capacity 1000 per day }
        capability scoring { owner ops capacity 1000 per day }
        value stream v { stage s {
          metric m { target "x" }
          activity a { owner ops capability identity, scoring }
          activity b { owner ops capability identity }
          activity c { owner ops capability identity, scoring, identity }
        } }
        journey j { volume 70 per day stage s {
          touchpoint t { traces to a, b, c }
          touchpoint u { reach 50% traces to b }
        } }
        "#,
    );
    assert!(close(load_of(&analysis, "identity").load, 70.0 + 35.0));
    assert!(close(load_of(&analysis, "scoring").load, 70.0));
}

#[test]
fn mix_complexity_weights_the_volume() {
    // simple 60% × 0.5 + standard 30% × 1 + complex 10% × 2 = 0.8
    let analysis = analyze(
        r#"
        team ops
        capability c { owner ops capacity 1000 per week }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j {
          volume 500 per week
          mix simple 60% standard 30% complex 10%
          stage s { touchpoint t { traces to a } }
        }
        "#,
    );
    let mix = analysis.model.journeys[0].mix.expect("a valid mix");
    assert!(close(mix.complexity(), 0.8));
    assert!(close(analysis.model.journeys[0].complexity(), 0.8));
    assert!(close(load_of(&analysis, "c").load, 400.0));
    assert!(overloads(&analysis).is_empty());
}

#[test]
fn mix_parts_may_be_given_in_any_order_with_commas_and_default_to_zero() {
    let analysis = analyze(
        r#"
        team ops
        capability c { owner ops capacity 1000 per week }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j {
          volume 100 per week
          mix complex 50%, simple 50%
          stage s { touchpoint t { traces to a } }
        }
        "#,
    );
    // 0.5 × 2 + 0.5 × 0.5 = 1.25
    assert!(close(load_of(&analysis, "c").load, 125.0));
}

#[test]
fn a_journey_without_mix_has_complexity_one() {
    let analysis = analyze("journey j { volume 10 per day }");
    assert!(close(analysis.model.journeys[0].complexity(), 1.0));
}

/// The load of one touchpoint of `volume` on a capability of `capacity`.
fn load_for(volume: &str, capacity: &str) -> (f64, Period) {
    let text = format!(
        r#"
        team ops
        capability c {{ owner ops capacity {capacity} }}
        value stream v {{ stage s {{ metric m {{ target "x" }} activity a {{ owner ops capability c }} }} }}
        journey j {{ volume {volume} stage s {{ touchpoint t {{ traces to a }} }} }}
        "#
    );
    let sources = support::single(&text);
    let analysis = support::analyze_default(&sources);
    let load = load_of(&analysis, "c");
    (load.load, load.period)
}

#[test]
fn volume_is_converted_to_the_capacity_period() {
    const DAY: f64 = 1.0;
    let days = |p: &str| match p {
        "hour" => DAY / 24.0,
        "day" => DAY,
        "week" => 7.0,
        "month" => 365.0 / 12.0,
        "quarter" => 365.0 / 4.0,
        "year" => 365.0,
        _ => unreachable!(),
    };
    let periods = ["hour", "day", "week", "month", "quarter", "year"];
    for from in periods {
        for to in periods {
            // A capacity large enough never to overload.
            let (load, period) =
                load_for(&format!("1000 per {from}"), &format!("1000000000 per {to}"));
            assert_eq!(period.as_str(), to);
            let expected = 1000.0 / days(from) * days(to);
            assert!(close(load, expected), "1000 per {from} in {to}: {load}, expected {expected}");
        }
    }
}

#[test]
fn period_lengths_follow_the_spec() {
    assert!(close(Period::Hour.days(), 1.0 / 24.0));
    assert!(close(Period::Day.days(), 1.0));
    assert!(close(Period::Week.days(), 7.0));
    assert!(close(Period::Month.days(), 365.0 / 12.0));
    assert!(close(Period::Quarter.days(), 365.0 / 4.0));
    assert!(close(Period::Year.days(), 365.0));
    // A month of 1 per day is 30.4166… per month; a year of 1200 per year is 100 per month.
    let (load, _) = load_for("1 per day", "1000 per month");
    assert!(close(load, 365.0 / 12.0));
    let (load, _) = load_for("1200 per year", "1000 per month");
    assert!(close(load, 100.0));
    let (load, _) = load_for("365 per year", "1000 per quarter");
    assert!(close(load, 365.0 / 4.0));
}

#[test]
fn a_capability_without_capacity_has_a_weekly_load_and_no_utilisation() {
    let analysis = analyze(
        r#"
        team ops
        capability archive { owner ops }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability archive } } }
        journey j { volume 10 per day stage s { touchpoint t { reach 50% traces to a } } }
        "#,
    );
    let load = load_of(&analysis, "archive");
    assert_eq!(load.period, Period::Week);
    assert_eq!(load.capacity, None);
    assert_eq!(load.utilisation(), None);
    assert!(close(load.load, 35.0));
    assert!(overloads(&analysis).is_empty());
}

#[test]
fn loads_add_up_over_journeys_and_touchpoints() {
    let analysis = analyze(
        r#"
        team ops
        capability c { owner ops capacity 10000 per week }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j1 { volume 100 per week stage s {
          touchpoint t1 { reach 50% traces to a }
          touchpoint t2 { reach 25% traces to a }
        } }
        journey j2 { volume 10 per day mix complex 100% stage s { touchpoint t { traces to a } } }
        journey j3 { stage s { touchpoint t { traces to a } } }
        "#,
    );
    // j1: 100 × 0.75; j2: 70 × 2; j3 has no volume and adds nothing.
    assert!(close(load_of(&analysis, "c").load, 75.0 + 140.0));
}

#[test]
fn exactly_full_is_not_an_overload() {
    let (load, _) = load_for("40 per day", "40 per day");
    assert!(close(load, 40.0));
    let sources = support::single(
        r#"
        team ops
        capability c { owner ops capacity 40 per day }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j { volume 40 per day stage s { touchpoint t { traces to a } } }
        "#,
    );
    assert!(overloads(&support::analyze_default(&sources)).is_empty());
}

/// The overload diagnostics for a volume per day against a capacity of 100 per day.
fn overload_at(volume: u32) -> Vec<(Severity, String)> {
    let text = format!(
        r#"
        team ops
        capability c {{ owner ops capacity 100 per day }}
        value stream v {{ stage s {{ metric m {{ target "x" }} activity a {{ owner ops capability c }} }} }}
        journey j {{ volume {volume} per day stage s {{ touchpoint t {{ traces to a }} }} }}
        "#
    );
    let sources = support::single(&text);
    let analysis = support::analyze_default(&sources);
    overloads(&analysis).into_iter().map(|(s, m)| (s, m.to_owned())).collect()
}

#[test]
fn above_150_percent_an_overload_is_an_error() {
    assert_eq!(overload_at(100), vec![]);
    assert_eq!(overload_at(101)[0].0, Severity::Warning);
    assert_eq!(overload_at(150)[0].0, Severity::Warning);
    assert_eq!(
        overload_at(151),
        vec![(
            Severity::Error,
            "capability `c` carries 151 per day against a capacity of 100 per day (151%)"
                .to_owned()
        )]
    );
    assert_eq!(overload_at(1000)[0].0, Severity::Error);
}

#[test]
fn one_overload_per_capability_however_many_journeys() {
    let analysis = analyze(
        r#"
        team ops
        capability c { owner ops capacity 1 per day }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j1 { volume 10 per day stage s { touchpoint t { traces to a } touchpoint u { traces to a } } }
        journey j2 { volume 10 per day stage s { touchpoint t { traces to a } } }
        "#,
    );
    assert_eq!(overloads(&analysis).len(), 1);
    assert_eq!(overloads(&analysis)[0].0, Severity::Error);
}

#[test]
fn an_allowed_overload_is_not_reported_even_above_150_percent() {
    let analysis = analyze(
        r#"
        team ops
        capability c { owner ops capacity 1 per day allow journey::overload }
        value stream v { stage s { metric m { target "x" } activity a { owner ops capability c } } }
        journey j { volume 10 per day stage s { touchpoint t { traces to a } } }
        "#,
    );
    assert!(overloads(&analysis).is_empty());
    assert!(close(load_of(&analysis, "c").load, 10.0), "the figure is still computed");
}

#[test]
fn loads_are_one_per_capability_in_source_order() {
    let analysis = analyze(
        "
        team ops
        capability b { owner ops }
        capability a { owner ops capacity 1 per week }
        capability c { owner ops }
        ",
    );
    let ids: Vec<&str> = analysis
        .figures
        .loads
        .as_is
        .iter()
        .map(|l| analysis.model[l.capability].meta.id.as_str())
        .collect();
    assert_eq!(ids, ["b", "a", "c"]);
    assert!(analysis.figures.loads.as_is.iter().all(|l| l.load == 0.0));
}
