//! Rows shown both on the overview and in a journey's section: gaps, waste and the
//! capability heat map.

use super::blueprint::TeamChip;
use super::heat::{Heat, bar};
use super::{Input, Names};
use crate::model::{ActivityId, CapabilityId, Model, TouchpointId};
use crate::text::number::{grouped, percent};

pub(super) struct GapRow<'a> {
    pub(super) label: &'a str,
    pub(super) anchor: String,
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
    pub(super) load: String,
    pub(super) capacity: Option<String>,
    pub(super) per: &'static str,
    pub(super) utilisation: Option<String>,
    pub(super) heat: Heat,
    /// The bar's length out of 150 (150% fills it).
    pub(super) bar: u32,
}

pub(super) fn gap_rows<'a>(
    input: Input<'a>,
    names: &Names,
    gaps: &[TouchpointId],
) -> Vec<GapRow<'a>> {
    let model = &input.analysis.model;
    gaps.iter()
        .map(|&t| {
            let tp = &model[t];
            GapRow {
                label: &tp.meta.label,
                anchor: format!("tp-{}", names.touchpoint(t)),
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
pub(super) fn heat_rows<'a>(
    input: Input<'a>,
    heat: &[Heat],
    only: Option<&[bool]>,
) -> Vec<HeatRow<'a>> {
    let model = &input.analysis.model;
    capability_tree(model)
        .into_iter()
        .filter(|(c, _)| only.is_none_or(|keep| keep[c.index()]))
        .map(|(c, depth)| {
            let cap = &model[c];
            let load = &input.analysis.figures.loads.as_is[c.index()];
            let utilisation = load.utilisation();
            HeatRow {
                depth: if only.is_some() { 0 } else { depth },
                label: &cap.meta.label,
                level: cap.level,
                owner: cap.owner.map(|o| TeamChip::of(model, o.target)),
                load: grouped(load.load),
                capacity: load.capacity.map(grouped),
                per: load.period.as_str(),
                utilisation: utilisation.map(percent),
                heat: heat[c.index()],
                bar: utilisation.map_or(0, |u| bar(u, 1.5)),
            }
        })
        .collect()
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
