//! Rows shown both on the overview and in a journey's section: gaps, waste and the
//! capability heat map.

use super::blueprint::TeamChip;
use super::heat::{Heat, bar};
use super::{Input, Names};
use crate::model::{ActivityId, CapabilityId, Load, Model, TouchpointId};
use crate::text::number::{grouped, percent};

pub(super) struct GapRow<'a> {
    pub(super) label: &'a str,
    /// The touchpoint on its journey's page: `#tp-…` on that page, `page#tp-…`
    /// elsewhere.
    pub(super) href: String,
    pub(super) journey: &'a str,
    pub(super) stage: &'a str,
    pub(super) moment_of_truth: bool,
    pub(super) source: String,
}

pub(super) struct WasteRow<'a> {
    pub(super) label: &'a str,
    pub(super) stream: &'a str,
    pub(super) stage: &'a str,
    pub(super) team: Option<TeamChip<'a>>,
    pub(super) source: String,
}

pub(super) struct HeatRow<'a> {
    pub(super) depth: usize,
    pub(super) label: &'a str,
    pub(super) level: Option<u8>,
    pub(super) owner: Option<TeamChip<'a>>,
    pub(super) capacity: Option<String>,
    pub(super) per: &'static str,
    pub(super) as_is: HeatCell,
    /// The to-be, when the workspace has a future state and the table shows it.
    pub(super) to_be: Option<HeatCell>,
}

/// One scenario's load of a capability, as the heat map shows it.
pub(super) struct HeatCell {
    pub(super) load: String,
    pub(super) utilisation: Option<String>,
    pub(super) heat: Heat,
    /// The bar's length out of 150 (150% fills it).
    pub(super) bar: u32,
}

impl HeatCell {
    pub(super) fn of(load: &Load) -> HeatCell {
        let utilisation = load.utilisation();
        HeatCell {
            load: grouped(load.load),
            utilisation: utilisation.map(percent),
            heat: Heat::of(load),
            bar: utilisation.map_or(0, |u| bar(u, 1.5)),
        }
    }
}

/// The rows of `gaps`; `pages` names each journey's page when the rows link to
/// other pages (the overview), and is `None` on the journey's own page.
pub(super) fn gap_rows<'a>(
    input: Input<'a>,
    names: &Names,
    gaps: &[TouchpointId],
    pages: Option<&[String]>,
) -> Vec<GapRow<'a>> {
    let model = &input.analysis.model;
    gaps.iter()
        .map(|&t| {
            let tp = &model[t];
            let page = pages.map_or("", |p| p[tp.journey.index()].as_str());
            GapRow {
                label: &tp.meta.label,
                href: format!("{page}#tp-{}", names.touchpoint(t)),
                journey: &model[tp.journey].meta.label,
                stage: &model[tp.stage].meta.label,
                moment_of_truth: tp.moment_of_truth.is_some(),
                source: input.place(tp.meta.id_span),
            }
        })
        .collect()
}

pub(super) fn waste_rows<'a>(input: Input<'a>, waste: &[ActivityId]) -> Vec<WasteRow<'a>> {
    let model = &input.analysis.model;
    waste
        .iter()
        .map(|&a| {
            let act = &model[a];
            WasteRow {
                label: &act.meta.label,
                stream: &model[act.stream].meta.label,
                stage: &model[act.stage].meta.label,
                team: act.owner.map(|o| TeamChip::of(model, o.target)),
                source: input.place(act.meta.id_span),
            }
        })
        .collect()
}

/// The heat map's rows in capability tree order: every capability, or only those
/// marked in `only` (then without indentation, since their parents may be absent).
/// With `to_be`, each row has the to-be's load beside the as-is's.
pub(super) fn heat_rows<'a>(
    input: Input<'a>,
    only: Option<&[bool]>,
    to_be: bool,
) -> Vec<HeatRow<'a>> {
    capability_tree(&input.analysis.model)
        .into_iter()
        .filter(|(c, _)| only.is_none_or(|keep| keep[c.index()]))
        .map(|(c, depth)| heat_row(input, c, if only.is_some() { 0 } else { depth }, to_be))
        .collect()
}

/// One capability's row of the heat map.
pub(super) fn heat_row(
    input: Input<'_>,
    c: CapabilityId,
    depth: usize,
    to_be: bool,
) -> HeatRow<'_> {
    let model = &input.analysis.model;
    let loads = &input.analysis.figures.loads;
    let cap = &model[c];
    let load = &loads.as_is[c.index()];
    HeatRow {
        depth,
        label: &cap.meta.label,
        level: cap.level,
        owner: cap.owner.map(|o| TeamChip::of(model, o.target)),
        capacity: load.capacity.map(grouped),
        per: load.period.as_str(),
        as_is: HeatCell::of(load),
        to_be: if to_be { loads.to_be.as_ref().map(|l| HeatCell::of(&l[c.index()])) } else { None },
    }
}

/// Capabilities in tree order: each root (no parent) in source order, followed by its
/// children, depth first. Capabilities in a `parent` cycle have no root; they follow
/// at depth 0, so every capability appears exactly once.
pub(super) fn capability_tree(model: &Model) -> Vec<(CapabilityId, usize)> {
    let n = model.capabilities.len();
    let mut children: Vec<Vec<CapabilityId>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, c) in model.capabilities.iter().enumerate() {
        let id = CapabilityId(i as u32);
        match c.parent {
            Some(p) if p.target != id => children[p.target.index()].push(id),
            _ => roots.push(id),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    let mut stack: Vec<(CapabilityId, usize)> = Vec::new();
    let mut visit = |root: CapabilityId, out: &mut Vec<(CapabilityId, usize)>| {
        stack.push((root, 0));
        while let Some((c, depth)) = stack.pop() {
            if std::mem::replace(&mut placed[c.index()], true) {
                continue;
            }
            out.push((c, depth));
            stack.extend(children[c.index()].iter().rev().map(|&k| (k, depth + 1)));
        }
    };
    for root in roots {
        visit(root, &mut out);
    }
    for i in 0..n {
        visit(CapabilityId(i as u32), &mut out);
    }
    out
}
