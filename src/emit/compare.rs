//! The comparison on a future journey's page when it `replaces` a current one
//! (spec §4a, §6): both emotion curves on one chart; the touchpoints added, removed
//! and changed, matched by id; and the gaps, KPIs and capability loads before (the
//! current journey, as-is) and after (this journey, to-be).

use super::blueprint::{signed, tone};
use super::rows::{HeatRow, capability_tree, heat_row};
use super::{Input, Names};
use crate::model::attributes::{self, Single, Value};
use crate::model::{Element, JourneyId, Metric, Model, Opportunity, Scenario, TouchpointId};
use crate::text::number::grouped;
use std::collections::HashMap;

pub(super) struct Comparison<'a> {
    /// The current journey this one replaces: its label and page.
    pub(super) before: &'a str,
    pub(super) before_page: &'a str,
    pub(super) chart: Chart<'a>,
    pub(super) added: Vec<TouchpointRow<'a>>,
    pub(super) removed: Vec<TouchpointRow<'a>>,
    pub(super) changed: Vec<Changed<'a>>,
    /// Touchpoints with the same id and nothing changed.
    pub(super) unchanged: usize,
    pub(super) gaps_before: Vec<TouchpointRow<'a>>,
    pub(super) gaps_after: Vec<TouchpointRow<'a>>,
    pub(super) kpis: Vec<KpiRow<'a>>,
    /// The capabilities either journey reaches whose load differs between the
    /// as-is and the to-be, with both.
    pub(super) loads: Vec<HeatRow<'a>>,
}

/// Both emotion curves on one chart: each journey's touchpoints spread over the
/// chart's width in order, so that journeys of different lengths compare.
pub(super) struct Chart<'a> {
    pub(super) before: Curve<'a>,
    pub(super) after: Curve<'a>,
    /// The y of each emotion level, +3 to −3 (the chart is 80 high).
    pub(super) levels: [usize; 7],
}

pub(super) struct Curve<'a> {
    pub(super) line: String,
    pub(super) points: Vec<ChartPoint<'a>>,
    /// The mean emotion, signed, to one decimal.
    pub(super) mean: Option<String>,
}

pub(super) struct ChartPoint<'a> {
    pub(super) x: usize,
    pub(super) y: usize,
    pub(super) label: &'a str,
    pub(super) value: String,
    pub(super) tone: &'static str,
}

/// The chart's width and the y of the emotion levels +3 to −3 (its height is 80).
pub(super) const CHART_WIDTH: usize = 1000;

fn chart_y(e: i8) -> usize {
    (10 + (3 - i32::from(e)) * 10).unsigned_abs() as usize
}

pub(super) struct TouchpointRow<'a> {
    pub(super) label: &'a str,
    pub(super) stage: &'a str,
    pub(super) href: String,
}

pub(super) struct Changed<'a> {
    pub(super) row: TouchpointRow<'a>,
    pub(super) changes: Vec<String>,
}

pub(super) struct KpiRow<'a> {
    pub(super) label: &'a str,
    pub(super) before: Option<KpiSide<'a>>,
    pub(super) after: Option<KpiSide<'a>>,
}

pub(super) struct KpiSide<'a> {
    pub(super) touchpoint: &'a str,
    pub(super) target: Option<&'a str>,
    pub(super) current: Option<String>,
    /// `met`, `missed` or `unchecked`.
    pub(super) status: &'static str,
}

impl<'a> Comparison<'a> {
    /// The comparison of `after` with the journey it replaces, if it replaces one.
    pub(super) fn of(
        input: Input<'a>,
        names: &'a Names,
        after: JourneyId,
        pages: &'a [String],
    ) -> Option<Comparison<'a>> {
        let model = &input.analysis.model;
        let before = model[after].replaces?.target;
        let tps = |j: JourneyId| -> Vec<TouchpointId> {
            model[j].stages.iter().flat_map(|&s| model[s].touchpoints.iter().copied()).collect()
        };
        let (old, new) = (tps(before), tps(after));
        let row = |t: TouchpointId, page: &str| TouchpointRow {
            label: &model[t].meta.label,
            stage: &model[model[t].stage].meta.label,
            href: format!("{page}#tp-{}", names.touchpoint(t)),
        };
        let before_page = pages[before.index()].as_str();
        // Each id's first touchpoint in the current journey, by its place there.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, &t) in old.iter().enumerate().rev() {
            by_id.insert(&model[t].meta.id, i);
        }
        let mut matched = vec![false; old.len()];
        let (mut added, mut changed, mut unchanged) = (Vec::new(), Vec::new(), 0);
        for &t in &new {
            match by_id.remove(model[t].meta.id.as_str()) {
                Some(i) => {
                    matched[i] = true;
                    let o = old[i];
                    let what = changes(model, o, t);
                    if what.is_empty() {
                        unchanged += 1;
                    } else {
                        changed.push(Changed { row: row(t, ""), changes: what });
                    }
                }
                None => added.push(row(t, "")),
            }
        }
        let removed = old
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(&t, _)| row(t, before_page))
            .collect();
        let gaps = |list: &[TouchpointId], page: &str| -> Vec<TouchpointRow<'a>> {
            list.iter().filter(|&&t| model[t].traces.is_empty()).map(|&t| row(t, page)).collect()
        };
        Some(Comparison {
            before: &model[before].meta.label,
            before_page,
            chart: Chart {
                before: curve(model, &old),
                after: curve(model, &new),
                levels: [3, 2, 1, 0, -1, -2, -3].map(chart_y),
            },
            added,
            removed,
            changed,
            unchanged,
            gaps_before: gaps(&old, before_page),
            gaps_after: gaps(&new, ""),
            kpis: kpis(model, &old, &new),
            loads: loads(input, before, after),
        })
    }
}

fn curve<'a>(model: &'a Model, touchpoints: &[TouchpointId]) -> Curve<'a> {
    let n = touchpoints.len().max(1);
    let points: Vec<ChartPoint<'a>> = touchpoints
        .iter()
        .enumerate()
        .filter_map(|(i, &t)| {
            let e = model[t].emotion?.value();
            Some(ChartPoint {
                x: (2 * i + 1) * CHART_WIDTH / (2 * n),
                y: chart_y(e),
                label: &model[t].meta.label,
                value: signed(e),
                tone: tone(e),
            })
        })
        .collect();
    let line = points.iter().map(|p| format!("{},{}", p.x, p.y)).collect::<Vec<_>>().join(" ");
    let values: Vec<f64> = touchpoints
        .iter()
        .filter_map(|&t| model[t].emotion.map(|e| f64::from(e.value())))
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let mean = (!values.is_empty()).then(|| {
        let m = values.iter().sum::<f64>() / values.len() as f64;
        let text = format!("{:.1}", m.abs());
        if m >= 0.05 {
            format!("+{text}")
        } else if m <= -0.05 {
            format!("\u{2212}{text}")
        } else {
            "0.0".to_owned()
        }
    });
    Curve { line, points, mean }
}

/// What differs between two touchpoints with the same id, in words: the label, the
/// stage, and every attribute of a touchpoint as `model::attributes` lists them (so
/// an attribute added to the language is compared here too), each as `keyword old →
/// new` in the words the source writes it in, references by their labels. The kpis
/// are left to the table of kpis below; a description, often long, is said to have
/// changed.
fn changes(model: &Model, old: TouchpointId, new: TouchpointId) -> Vec<String> {
    let (o, n) = (&model[old], &model[new]);
    let mut out = Vec::new();
    if o.meta.label != n.meta.label {
        out.push(format!("label “{}” → “{}”", o.meta.label, n.meta.label));
    }
    let (os, ns) = (&model[o.stage].meta, &model[n.stage].meta);
    if os.id != ns.id {
        out.push(format!("stage {} → {}", os.label, ns.label));
    }
    let before = attributes::of(model, Element::Touchpoint(old));
    let after = attributes::of(model, Element::Touchpoint(new));
    for (a, b) in before.iter().zip(&after) {
        let shown = match (&a.value, &b.value) {
            // `moment of truth`, the one flag of a touchpoint.
            (Value::One(Some(Single::Flag(x))), Value::One(Some(Single::Flag(y)))) => {
                match (x, y) {
                    (false, true) => out.push(format!("now a {}", a.keyword)),
                    (true, false) => out.push(format!("no longer a {}", a.keyword)),
                    _ => {}
                }
                continue;
            }
            (Value::One(x), Value::One(y)) if x != y => (one(model, *x), one(model, *y)),
            (Value::Many(x), Value::Many(y)) if x != y => (many(model, x), many(model, y)),
            (Value::Opportunities(x), Value::Opportunities(y)) => {
                let names = |list: &[Opportunity]| -> Vec<String> {
                    list.iter().map(|o| format!("“{}”", o.meta.name())).collect()
                };
                let (x, y) = (names(x), names(y));
                if x == y {
                    continue;
                }
                (listed(&x), listed(&y))
            }
            _ => continue,
        };
        if a.keyword == "description" {
            out.push("description changed".to_owned());
        } else {
            out.push(format!("{} {} → {}", a.keyword, shown.0, shown.1));
        }
    }
    out
}

/// A value as the source writes it: a reference by its label, an emotion with the
/// minus sign the page's other figures have.
fn single(model: &Model, value: Single<'_>) -> String {
    match value {
        Single::Emotion(e) => signed(e.value()),
        other => other.written(|e| e.meta(model).name().to_owned()),
    }
}

fn one(model: &Model, value: Option<Single<'_>>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| single(model, v))
}

/// The values of a repeated attribute, texts in quotes (they are sentences, and
/// commas separate them).
fn many(model: &Model, values: &[Single<'_>]) -> String {
    let shown = |&v: &Single<'_>| match v {
        Single::Text(t) => format!("“{t}”"),
        other => single(model, other),
    };
    listed(&values.iter().map(shown).collect::<Vec<_>>())
}

fn listed(values: &[String]) -> String {
    if values.is_empty() { "none".to_owned() } else { values.join(", ") }
}

fn kpis<'a>(model: &'a Model, old: &[TouchpointId], new: &[TouchpointId]) -> Vec<KpiRow<'a>> {
    let side = |t: TouchpointId, m: &'a Metric| KpiSide {
        touchpoint: &model[t].meta.label,
        target: m.target.as_ref().map(|x| x.written.as_str()),
        current: m.current.as_ref().map(|c| format!("{}{}", c.written, c.when())),
        status: match m.met() {
            Some(true) => "met",
            Some(false) => "missed",
            None => "unchecked",
        },
    };
    let key = |m: &'a Metric| m.id.as_deref().unwrap_or(&m.label);
    let mut rows: Vec<KpiRow<'a>> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for &t in old {
        for m in &model[t].metrics {
            at.insert(key(m), rows.len());
            rows.push(KpiRow { label: &m.label, before: Some(side(t, m)), after: None });
        }
    }
    for &t in new {
        for m in &model[t].metrics {
            match at.get(key(m)).copied().filter(|&i| rows[i].after.is_none()) {
                Some(i) => rows[i].after = Some(side(t, m)),
                None => {
                    rows.push(KpiRow { label: &m.label, before: None, after: Some(side(t, m)) });
                }
            }
        }
    }
    rows
}

/// The capabilities the current journey reaches as-is or the future one to-be
/// (through their traced activities, and up to the parents they roll up to),
/// whose load is not the same in both scenarios.
fn loads(input: Input<'_>, before: JourneyId, after: JourneyId) -> Vec<HeatRow<'_>> {
    let model = &input.analysis.model;
    let Some(to_be) = input.analysis.figures.loads.to_be.as_ref() else { return Vec::new() };
    let as_is = &input.analysis.figures.loads.as_is;
    let mut reached = vec![false; model.capabilities.len()];
    for (journey, scenario) in [(before, Scenario::AsIs), (after, Scenario::ToBe)] {
        for &s in &model[journey].stages {
            for &t in &model[s].touchpoints {
                for &trace in &model[t].traces {
                    let a = model[trace].activity;
                    if !model.activity_in(a, scenario) {
                        continue;
                    }
                    for c in &model[a].capabilities {
                        // Up to a capability already reached: so are its parents.
                        for id in model.rolls_up_to(c.target) {
                            if std::mem::replace(&mut reached[id.index()], true) {
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    capability_tree(model)
        .into_iter()
        .filter(|(c, _)| {
            let i = c.index();
            reached[i] && grouped(as_is[i].load) != grouped(to_be[i].load)
        })
        .map(|(c, _)| heat_row(input, c, 0, true))
        .collect()
}
