//! The capability map's page: the capabilities as nested tiles coloured by
//! utilisation, one map per scenario (spec §4a), then each capability with its
//! load's breakdown (spec §5a) and the activities that use it, and the systems.

use super::capped::Capped;
use super::formula::Formula;
use super::heat::Heat;
use super::links::{Link, Links, TeamLink};
use super::rows::capability_tree;
use crate::model::{
    ActivityId, CapabilityId, Load, Model, Scenario, SystemId, TouchpointId, contributions,
};
use crate::text::number::{grouped, percent};

/// The most touchpoints listed in one journey's share of a load; the others are
/// counted and summed, so that every journey's subtotal stays whole.
pub(super) const TOUCHPOINTS_LISTED: usize = 5;

/// The most activities listed under a capability or a system.
pub(super) const ACTIVITIES_LISTED: usize = 20;

/// The contributions to one capability's load: each touchpoint with what it adds
/// per day.
type Parts = Vec<(TouchpointId, f64)>;

pub(super) struct CapabilityMap<'a> {
    pub(super) legend: Vec<(&'static str, &'static str)>,
    /// One map per scenario, the as-is first.
    pub(super) maps: Vec<TileMap<'a>>,
    /// Every capability, in tree order.
    pub(super) capabilities: Vec<CapabilityView<'a>>,
    pub(super) systems: Vec<SystemView<'a>>,
    pub(super) formula: Formula,
}

pub(super) struct TileMap<'a> {
    pub(super) scenario: &'static str,
    /// The tiles in tree order: a tile with children opens a list that the last
    /// of its descendants closes.
    pub(super) tiles: Vec<Tile<'a>>,
}

pub(super) struct Tile<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) level: Option<u8>,
    pub(super) load: String,
    pub(super) per: &'static str,
    pub(super) capacity: Option<String>,
    pub(super) utilisation: Option<String>,
    pub(super) heat: Heat,
    /// How deep in the tree: 0 for a capability without a parent.
    pub(super) depth: usize,
    pub(super) children: bool,
    /// How many lists of tiles end after this one (when it has no children).
    pub(super) close: usize,
}

pub(super) struct CapabilityView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) level: Option<u8>,
    pub(super) owner: Option<TeamLink<'a>>,
    pub(super) parent: Option<Link<'a>>,
    pub(super) children: Vec<Link<'a>>,
    /// `320 per week`.
    pub(super) capacity: Option<String>,
    pub(super) loads: Vec<LoadView<'a>>,
    pub(super) activities: Capped<ActivityLink<'a>>,
}

/// A capability's load in one scenario, with where it comes from.
pub(super) struct LoadView<'a> {
    pub(super) scenario: &'static str,
    pub(super) load: String,
    pub(super) per: &'static str,
    pub(super) utilisation: Option<String>,
    pub(super) heat: Heat,
    /// Per journey, in source order.
    pub(super) journeys: Vec<JourneyPart<'a>>,
    /// How many touchpoints contribute.
    pub(super) touchpoints: usize,
}

/// One journey's share of a load.
pub(super) struct JourneyPart<'a> {
    pub(super) label: &'a str,
    pub(super) href: &'a str,
    /// `1 850 per quarter`.
    pub(super) volume: String,
    pub(super) complexity: String,
    pub(super) subtotal: String,
    pub(super) touchpoints: Capped<TouchpointPart<'a>>,
    /// What the touchpoints left out of the list add, when some are.
    pub(super) rest: String,
}

pub(super) struct TouchpointPart<'a> {
    pub(super) label: &'a str,
    pub(super) href: String,
    pub(super) reach: String,
    pub(super) contribution: String,
}

pub(super) struct ActivityLink<'a> {
    pub(super) href: String,
    pub(super) label: &'a str,
    pub(super) stream: &'a str,
}

pub(super) struct SystemView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) owner: Option<TeamLink<'a>>,
    pub(super) activities: Capped<ActivityLink<'a>>,
}

impl<'a> CapabilityMap<'a> {
    pub(super) fn of(links: Links<'a>, figures: &crate::model::Figures) -> CapabilityMap<'a> {
        let model = links.model;
        let tree = capability_tree(model);
        let maps = tile_maps(model, &tree, figures);
        let mut children: Vec<Vec<Link<'a>>> =
            (0..model.capabilities.len()).map(|_| Vec::new()).collect();
        for &(c, _) in &tree {
            if let Some(p) = model[c].parent.filter(|p| p.target != c) {
                children[p.target.index()].push(Link {
                    href: format!("#cap-{}", model[c].meta.id),
                    label: &model[c].meta.label,
                });
            }
        }
        let mut using: Vec<Vec<ActivityId>> = vec![Vec::new(); model.capabilities.len()];
        let mut systems_using: Vec<Vec<ActivityId>> = vec![Vec::new(); model.systems.len()];
        for (i, a) in model.activities.iter().enumerate() {
            let id = ActivityId(i as u32);
            for c in &a.capabilities {
                let list = &mut using[c.target.index()];
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
            for s in &a.systems {
                let list = &mut systems_using[s.target.index()];
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        let activity = |a: &ActivityId| ActivityLink {
            href: links.activity(*a),
            label: &model[*a].meta.label,
            stream: &model[model[*a].stream].meta.label,
        };
        let breakdowns: Vec<(Scenario, Vec<Parts>)> = figures
            .loads
            .iter()
            .map(|(scenario, loads)| {
                let mut parts = vec![Vec::new(); loads.len()];
                contributions(model, scenario, |c| {
                    parts[c.capability.index()].push((c.touchpoint, c.per_day));
                });
                (scenario, parts)
            })
            .collect();
        let capabilities = tree
            .iter()
            .map(|&(c, _)| {
                let cap = &model[c];
                CapabilityView {
                    anchor: format!("cap-{}", cap.meta.id),
                    label: &cap.meta.label,
                    description: cap.meta.description.as_deref(),
                    level: cap.level,
                    owner: cap.owner.map(|o| links.team(o.target)),
                    parent: cap.parent.filter(|p| p.target != c).map(|p| Link {
                        href: format!("#cap-{}", model[p.target].meta.id),
                        label: &model[p.target].meta.label,
                    }),
                    children: std::mem::take(&mut children[c.index()]),
                    capacity: cap.capacity.map(|(rate, _)| {
                        format!("{} per {}", grouped(rate.amount), rate.period.as_str())
                    }),
                    loads: figures
                        .loads
                        .iter()
                        .zip(&breakdowns)
                        .map(|((scenario, loads), (_, parts))| {
                            load_view(links, scenario, &loads[c.index()], &parts[c.index()])
                        })
                        .collect(),
                    activities: Capped::of(
                        using[c.index()].iter().map(activity),
                        ACTIVITIES_LISTED,
                    ),
                }
            })
            .collect();
        let systems = model
            .systems
            .iter()
            .enumerate()
            .map(|(i, s)| SystemView {
                anchor: format!("sys-{}", s.meta.id),
                label: &s.meta.label,
                description: s.meta.description.as_deref(),
                owner: s.owner.map(|o| links.team(o.target)),
                activities: Capped::of(
                    systems_using[SystemId(i as u32).index()].iter().map(activity),
                    ACTIVITIES_LISTED,
                ),
            })
            .collect();
        CapabilityMap {
            legend: Heat::ALL.iter().map(|h| (h.class(), h.words())).collect(),
            formula: Formula::of(maps.len() > 1),
            maps,
            capabilities,
            systems,
        }
    }
}

/// The tiles of each scenario, the as-is first, laid out along `tree`
/// ([`capability_tree`]'s): the page's maps and the picture's (`svg::capmap`).
pub(super) fn tile_maps<'a>(
    model: &'a Model,
    tree: &[(CapabilityId, usize)],
    figures: &crate::model::Figures,
) -> Vec<TileMap<'a>> {
    figures
        .loads
        .iter()
        .map(|(scenario, loads)| TileMap {
            scenario: scenario.as_str(),
            tiles: tiles(model, tree, loads),
        })
        .collect()
}

/// The tiles of one scenario in tree order, with where each list of children ends.
fn tiles<'a>(model: &'a Model, tree: &[(CapabilityId, usize)], loads: &[Load]) -> Vec<Tile<'a>> {
    tree.iter()
        .enumerate()
        .map(|(i, &(c, depth))| {
            let next = tree.get(i + 1).map_or(0, |&(_, d)| d);
            let load = &loads[c.index()];
            Tile {
                anchor: format!("cap-{}", model[c].meta.id),
                label: &model[c].meta.label,
                level: model[c].level,
                load: grouped(load.load),
                per: load.period.as_str(),
                capacity: load.capacity.map(grouped),
                utilisation: load.utilisation().map(percent),
                heat: Heat::of(load),
                depth,
                children: next > depth,
                close: depth.saturating_sub(next),
            }
        })
        .collect()
}

fn load_view<'a>(
    links: Links<'a>,
    scenario: Scenario,
    load: &Load,
    parts: &[(TouchpointId, f64)],
) -> LoadView<'a> {
    let model = links.model;
    let days = load.period.days();
    let per = load.period.as_str();
    let mut journeys: Vec<JourneyPart<'a>> = Vec::new();
    // A journey's touchpoints are consecutive in the model, so its parts are too.
    for group in parts.chunk_by(|a, b| model[a.0].journey == model[b.0].journey) {
        let j = model[group[0].0].journey;
        let journey = &model[j];
        let subtotal: f64 = group.iter().map(|(_, d)| d * days).sum();
        let listed = TOUCHPOINTS_LISTED.min(group.len());
        let rest: f64 = group[listed..].iter().map(|(_, d)| d * days).sum();
        journeys.push(JourneyPart {
            label: &journey.meta.label,
            href: links.journey(j),
            volume: journey.volume.map_or_else(String::new, |v| {
                format!("{} per {}", grouped(v.amount), v.period.as_str())
            }),
            complexity: grouped(journey.complexity()),
            subtotal: grouped(subtotal),
            touchpoints: Capped::of(
                group.iter().map(|&(t, d)| TouchpointPart {
                    label: &model[t].meta.label,
                    href: links.touchpoint(t),
                    reach: percent(model[t].reach.fraction()),
                    contribution: grouped(d * days),
                }),
                TOUCHPOINTS_LISTED,
            ),
            rest: grouped(rest),
        });
    }
    LoadView {
        scenario: scenario.as_str(),
        load: grouped(load.load),
        per,
        utilisation: load.utilisation().map(percent),
        heat: Heat::of(load),
        journeys,
        touchpoints: parts.len(),
    }
}
