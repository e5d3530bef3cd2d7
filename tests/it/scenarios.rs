//! Scenarios, roll-up and typed kpis (spec §4a, §5a, §5b) against a reference.
//!
//! A property test draws workspaces with capability hierarchies, activity and
//! journey states, `replaces` and typed kpis, writes them as text, and compares
//! every load of both scenarios and every `journey::kpi-missed` with a brute-force
//! computation written here from the spec's words, not from the model's code: for
//! each capability, each journey of the scenario and each of its touchpoints, it
//! asks whether some trace of the scenario reaches an activity using the capability
//! or one below it.

use crate::support;
use journey::diagnostic::Code;
use journey::model::Scenario;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write;

#[derive(Debug, Clone)]
struct Capability {
    /// Always an earlier capability, so that the hierarchy is a tree.
    parent: Option<usize>,
    /// Per day or per week.
    capacity: Option<(u32, bool)>,
}

#[derive(Debug, Clone)]
struct Activity {
    /// 0 current, 1 future, 2 retired.
    state: usize,
    capabilities: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Kpi {
    /// `<`, `<=`, `>`, `>=`, `=`.
    op: usize,
    target: u32,
    current: u32,
    /// Index into [`UNITS`], of the target and of the current value.
    units: (usize, usize),
}

#[derive(Debug, Clone)]
struct Touchpoint {
    reach: u32,
    traces: Vec<usize>,
    kpi: Option<Kpi>,
}

#[derive(Debug, Clone)]
struct Journey {
    future: bool,
    /// For a future journey: the journey it replaces, if that one is current.
    replaces: Option<usize>,
    /// Per week.
    volume: Option<u32>,
    /// simple, standard, complex shares in percent, or none.
    mix: Option<(u32, u32)>,
    touchpoints: Vec<Touchpoint>,
}

#[derive(Debug, Clone)]
struct Workspace {
    capabilities: Vec<Capability>,
    activities: Vec<Activity>,
    journeys: Vec<Journey>,
}

const OPS: [&str; 5] = ["<", "<=", ">", ">=", "="];
/// A unit as written, and its size in the unit its dimension compares in: minutes
/// for durations, the number itself for `%` and plain numbers.
const UNITS: [(&str, u32, &str); 6] = [
    (" min", 1, "time"),
    (" h", 60, "time"),
    (" days", 24 * 60, "time"),
    (" weeks", 7 * 24 * 60, "time"),
    ("%", 1, "percent"),
    ("", 1, "plain"),
];

fn workspace() -> impl Strategy<Value = Workspace> {
    let capabilities = prop::collection::vec(
        (any::<prop::sample::Index>(), prop::option::of((1u32..400, any::<bool>()))),
        1..6,
    );
    let activities = prop::collection::vec(
        (0usize..3, prop::collection::vec(any::<prop::sample::Index>(), 0..3)),
        1..7,
    );
    let kpi = (0usize..5, 0u32..20, 0u32..20, 0usize..6, 0usize..6);
    let touchpoint = (
        0u32..=100,
        prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        prop::option::of(kpi),
    );
    let journey = (
        any::<bool>(),
        prop::option::of(any::<prop::sample::Index>()),
        prop::option::of(0u32..5000),
        prop::option::of((0u32..=100, 0u32..=100)),
        prop::collection::vec(touchpoint, 1..4),
    );
    (capabilities, activities, prop::collection::vec(journey, 1..5)).prop_map(|(caps, acts, js)| {
        let capabilities: Vec<Capability> = caps
            .iter()
            .enumerate()
            .map(|(i, (parent, capacity))| Capability {
                parent: (i > 0 && parent.index(3) > 0).then(|| parent.index(i)),
                capacity: *capacity,
            })
            .collect();
        let activities: Vec<Activity> = acts
            .into_iter()
            .map(|(state, caps)| {
                let set: BTreeSet<usize> =
                    caps.iter().map(|c| c.index(capabilities.len())).collect();
                Activity { state, capabilities: set.into_iter().collect() }
            })
            .collect();
        let futures: Vec<bool> = js.iter().map(|j| j.0).collect();
        let journeys = js
            .into_iter()
            .map(|(future, replaces, volume, mix, tps)| Journey {
                future,
                replaces: replaces
                    .map(|r| r.index(futures.len()))
                    .filter(|&r| future && !futures[r]),
                volume,
                mix: mix.map(|(a, b)| (a, b.min(100 - a))),
                touchpoints: tps
                    .into_iter()
                    .map(|(reach, traces, kpi)| Touchpoint {
                        reach,
                        traces: traces
                            .iter()
                            .map(|t| t.index(activities.len()))
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .collect(),
                        kpi: kpi.map(|(op, target, current, tu, cu)| Kpi {
                            op,
                            target,
                            current,
                            // Unquoted values must compare: the current value takes a
                            // unit of the target's dimension.
                            units: (tu, if UNITS[cu].2 == UNITS[tu].2 { cu } else { tu }),
                        }),
                    })
                    .collect(),
            })
            .collect();
        Workspace { capabilities, activities, journeys }
    })
}

fn text(ws: &Workspace) -> String {
    let mut out = String::from("team ops\n");
    for (i, c) in ws.capabilities.iter().enumerate() {
        // Overloads far above capacity are errors; allowed, so that nothing else is
        // held back.
        write!(out, "capability c{i} {{ owner ops allow overload").unwrap();
        if let Some(p) = c.parent {
            write!(out, " parent c{p}").unwrap();
        }
        if let Some((amount, daily)) = c.capacity {
            write!(out, " capacity {amount} per {}", if daily { "day" } else { "week" }).unwrap();
        }
        out.push_str(" }\n");
    }
    out.push_str("value stream v { stage s { metric m allow unmeasured\n");
    for (i, a) in ws.activities.iter().enumerate() {
        let state = ["current", "future", "retired"][a.state];
        write!(out, "  activity a{i} {{ owner ops enabling state {state}").unwrap();
        if !a.capabilities.is_empty() {
            let caps: Vec<String> = a.capabilities.iter().map(|c| format!("c{c}")).collect();
            write!(out, " capability {}", caps.join(", ")).unwrap();
        }
        out.push_str(" }\n");
    }
    out.push_str("} }\n");
    for (j, journey) in ws.journeys.iter().enumerate() {
        writeln!(out, "journey j{j} {{ allow gap, state").unwrap();
        if journey.future {
            out.push_str("  state future\n");
        }
        if let Some(r) = journey.replaces {
            writeln!(out, "  replaces j{r}").unwrap();
        }
        if let Some(v) = journey.volume {
            writeln!(out, "  volume {v} per week").unwrap();
        }
        if let Some((simple, standard)) = journey.mix {
            let complex = 100 - simple - standard;
            writeln!(out, "  mix simple {simple}% standard {standard}% complex {complex}%")
                .unwrap();
        }
        out.push_str("  stage st {\n");
        for (t, tp) in journey.touchpoints.iter().enumerate() {
            write!(out, "    touchpoint t{t} {{ reach {}%", tp.reach).unwrap();
            if let Some(k) = &tp.kpi {
                write!(
                    out,
                    " kpi k \"K\" {{ target {} {}{} current {}{} }}",
                    OPS[k.op], k.target, UNITS[k.units.0].0, k.current, UNITS[k.units.1].0
                )
                .unwrap();
            }
            if !tp.traces.is_empty() {
                let traces: Vec<String> = tp.traces.iter().map(|a| format!("a{a}")).collect();
                write!(out, " traces to {}", traces.join(", ")).unwrap();
            }
            out.push_str(" }\n");
        }
        out.push_str("  }\n}\n");
    }
    out
}

/// Whether capability `c` is `below` or `below` itself, by the `parent` chain.
fn at_or_below(ws: &Workspace, below: usize, c: usize) -> bool {
    let mut at = Some(below);
    while let Some(x) = at {
        if x == c {
            return true;
        }
        at = ws.capabilities[x].parent;
    }
    false
}

/// The journeys and activities of a scenario, in the spec's words (§4a).
fn in_scenario(ws: &Workspace, to_be: bool) -> (Vec<bool>, Vec<bool>) {
    let replaced: BTreeSet<usize> = ws.journeys.iter().filter_map(|j| j.replaces).collect();
    let journeys = (0..ws.journeys.len())
        .map(|j| {
            let future = ws.journeys[j].future;
            if to_be { future || !replaced.contains(&j) } else { !future }
        })
        .collect();
    let activities =
        ws.activities.iter().map(|a| if to_be { a.state != 2 } else { a.state != 1 }).collect();
    (journeys, activities)
}

/// `load_S(C)`, per the capacity's period (a week without capacity), by brute force.
fn reference_load(ws: &Workspace, to_be: bool, c: usize) -> f64 {
    let (journeys, activities) = in_scenario(ws, to_be);
    let mut per_week = 0.0;
    for (j, journey) in ws.journeys.iter().enumerate() {
        let Some(volume) = journey.volume else { continue };
        if !journeys[j] {
            continue;
        }
        let complexity = journey.mix.map_or(1.0, |(simple, standard)| {
            let complex = 100 - simple - standard;
            (0.5 * f64::from(simple) + f64::from(standard) + 2.0 * f64::from(complex)) / 100.0
        });
        for t in &journey.touchpoints {
            let reaches = t.traces.iter().any(|&a| {
                activities[a]
                    && ws.activities[a].capabilities.iter().any(|&d| at_or_below(ws, d, c))
            });
            if reaches {
                per_week += f64::from(volume) * f64::from(t.reach) / 100.0 * complexity;
            }
        }
    }
    match ws.capabilities[c].capacity {
        Some((_, true)) => per_week / 7.0,
        _ => per_week,
    }
}

/// Whether a kpi misses its target, by brute force (§5b).
fn reference_missed(k: &Kpi) -> bool {
    let target = i64::from(k.target * UNITS[k.units.0].1);
    let current = i64::from(k.current * UNITS[k.units.1].1);
    let holds = match OPS[k.op] {
        "<" => current < target,
        "<=" => current <= target,
        ">" => current > target,
        ">=" => current >= target,
        _ => current == target,
    };
    !holds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn loads_and_missed_kpis_match_a_brute_force_reference(ws in workspace()) {
        let source = text(&ws);
        let sources = support::single(&source);
        let analysis = support::analyze_default(&sources);
        let errors: Vec<_> =
            analysis.diagnostics.iter().filter(|d| d.code.lint().is_none()).collect();
        prop_assert!(errors.is_empty(), "errors: {errors:#?}\n{source}");

        let future = ws.journeys.iter().any(|j| j.future)
            || ws.activities.iter().any(|a| a.state != 0);
        prop_assert_eq!(analysis.figures.loads.to_be.is_some(), future);
        for scenario in analysis.model.scenarios() {
            let loads = analysis.figures.loads.get(*scenario).unwrap();
            for (c, load) in loads.iter().enumerate() {
                let expected = reference_load(&ws, *scenario == Scenario::ToBe, c);
                prop_assert!(
                    (load.load - expected).abs() <= 1e-9 * expected.max(1.0),
                    "{} load of c{c}: {} against {expected}\n{source}",
                    scenario.as_str(),
                    load.load
                );
            }
        }

        let mut expected = Vec::new();
        for (j, journey) in ws.journeys.iter().enumerate() {
            for (t, tp) in journey.touchpoints.iter().enumerate() {
                if tp.kpi.as_ref().is_some_and(reference_missed) {
                    expected.push(format!("j{j}.t{t}"));
                }
            }
        }
        let mut missed: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::KpiMissed)
            .map(|d| {
                // Each touchpoint is one line, below its journey's.
                let at = sources.get(d.primary.span.file).line_index(d.primary.span.start as usize);
                let line = source.lines().nth(at).unwrap_or_default();
                let t = line.split_whitespace().nth(1).unwrap_or_default().to_owned();
                let j = source.lines().take(at).filter(|l| l.starts_with("journey ")).count() - 1;
                format!("j{j}.{t}")
            })
            .collect();
        missed.sort();
        expected.sort();
        prop_assert_eq!(missed, expected, "{}", source);
    }
}
