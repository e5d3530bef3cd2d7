//! The people's page: each persona with the journeys it appears in and the value
//! streams it is a stakeholder of; each team with what it owns (activities,
//! systems, capabilities, opportunities) and the hand-offs it takes part in.

use super::capmap::ActivityLink;
use super::capped::Capped;
use super::links::{Link, Links, TeamLink};
use crate::model::{ActivityId, Figures, TeamId, TouchpointId};

/// The most activities, opportunities and hand-offs listed under one team; the
/// others are counted.
pub(super) const LISTED: usize = 25;

pub(super) struct People<'a> {
    pub(super) personas: Vec<PersonaView<'a>>,
    pub(super) teams: Vec<TeamView<'a>>,
}

pub(super) struct PersonaView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) journeys: Vec<Link<'a>>,
    pub(super) streams: Vec<Link<'a>>,
}

pub(super) struct TeamView<'a> {
    pub(super) anchor: String,
    pub(super) label: &'a str,
    pub(super) hue: usize,
    pub(super) description: Option<&'a str>,
    pub(super) activities: Capped<ActivityLink<'a>>,
    pub(super) systems: Vec<Link<'a>>,
    pub(super) capabilities: Vec<Link<'a>>,
    pub(super) opportunities: Capped<OpportunityLink<'a>>,
    /// The teams it hands off with, each with how many touchpoints they share.
    pub(super) partners: Vec<(TeamLink<'a>, usize)>,
    pub(super) handoffs: Capped<HandoffView<'a>>,
}

impl TeamView<'_> {
    /// Whether the team owns nothing at all.
    pub(super) fn owns_nothing(&self) -> bool {
        self.activities.is_empty()
            && self.systems.is_empty()
            && self.capabilities.is_empty()
            && self.opportunities.is_empty()
    }
}

pub(super) struct OpportunityLink<'a> {
    pub(super) href: String,
    pub(super) label: &'a str,
    pub(super) touchpoint: &'a str,
}

/// A touchpoint served by several teams, in the order it reaches them.
pub(super) struct HandoffView<'a> {
    pub(super) href: String,
    pub(super) touchpoint: &'a str,
    pub(super) journey: &'a str,
    pub(super) teams: Vec<TeamLink<'a>>,
}

impl<'a> People<'a> {
    pub(super) fn of(links: Links<'a>, figures: &'a Figures) -> People<'a> {
        let model = links.model;
        let personas = model
            .personas
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let id = crate::model::PersonaId(i as u32);
                PersonaView {
                    anchor: format!("persona-{}", p.meta.id),
                    label: &p.meta.label,
                    description: p.meta.description.as_deref(),
                    journeys: model
                        .journeys
                        .iter()
                        .enumerate()
                        .filter(|(_, j)| j.personas.iter().any(|r| r.target == id))
                        .map(|(j, journey)| Link {
                            href: links.journey(crate::model::JourneyId(j as u32)).to_owned(),
                            label: &journey.meta.label,
                        })
                        .collect(),
                    streams: model
                        .streams
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.stakeholders.iter().any(|r| r.target == id))
                        .map(|(s, stream)| Link {
                            href: links.stream(crate::model::StreamId(s as u32)).to_owned(),
                            label: &stream.meta.label,
                        })
                        .collect(),
                }
            })
            .collect();
        let n = model.teams.len();
        let mut activities: Vec<Vec<ActivityId>> = vec![Vec::new(); n];
        for (i, a) in model.activities.iter().enumerate() {
            if let Some(o) = a.owner {
                activities[o.target.index()].push(ActivityId(i as u32));
            }
        }
        let mut systems: Vec<Vec<Link<'a>>> = (0..n).map(|_| Vec::new()).collect();
        for (i, s) in model.systems.iter().enumerate() {
            if let Some(o) = s.owner {
                systems[o.target.index()].push(Link {
                    href: links.system(crate::model::SystemId(i as u32)),
                    label: &s.meta.label,
                });
            }
        }
        let mut capabilities: Vec<Vec<Link<'a>>> = (0..n).map(|_| Vec::new()).collect();
        for (i, c) in model.capabilities.iter().enumerate() {
            if let Some(o) = c.owner {
                capabilities[o.target.index()].push(Link {
                    href: links.capability(crate::model::CapabilityId(i as u32)),
                    label: &c.meta.label,
                });
            }
        }
        let mut opportunities: Vec<Vec<(TouchpointId, usize)>> = vec![Vec::new(); n];
        for (i, t) in model.touchpoints.iter().enumerate() {
            for (k, o) in t.opportunities.iter().enumerate() {
                if let Some(owner) = o.owner {
                    opportunities[owner.target.index()].push((TouchpointId(i as u32), k));
                }
            }
        }
        let mut handoffs: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (h, handoff) in figures.handoffs.iter().enumerate() {
            for team in &handoff.teams {
                handoffs[team.index()].push(h);
            }
        }
        let teams = model
            .teams
            .iter()
            .enumerate()
            .map(|(i, team)| {
                let id = TeamId(i as u32);
                let chip = links.team(id);
                let mut partners: Vec<usize> = vec![0; n];
                for &h in &handoffs[i] {
                    for other in &figures.handoffs[h].teams {
                        if *other != id {
                            partners[other.index()] += 1;
                        }
                    }
                }
                TeamView {
                    anchor: format!("team-{}", team.meta.id),
                    label: chip.label,
                    hue: chip.hue,
                    description: team.meta.description.as_deref(),
                    activities: Capped::of(
                        activities[i].iter().map(|&a| ActivityLink {
                            href: links.activity(a),
                            label: &model[a].meta.label,
                            stream: &model[model[a].stream].meta.label,
                        }),
                        LISTED,
                    ),
                    systems: std::mem::take(&mut systems[i]),
                    capabilities: std::mem::take(&mut capabilities[i]),
                    opportunities: Capped::of(
                        opportunities[i].iter().map(|&(t, k)| OpportunityLink {
                            href: links.touchpoint(t),
                            label: &model[t].opportunities[k].meta.label,
                            touchpoint: &model[t].meta.label,
                        }),
                        LISTED,
                    ),
                    partners: partners
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| **n > 0)
                        .map(|(t, &count)| (links.team(TeamId(t as u32)), count))
                        .collect(),
                    handoffs: Capped::of(
                        handoffs[i].iter().map(|&h| {
                            let handoff = &figures.handoffs[h];
                            let t = handoff.touchpoint;
                            HandoffView {
                                href: links.touchpoint(t),
                                touchpoint: &model[t].meta.label,
                                journey: &model[model[t].journey].meta.label,
                                teams: handoff.teams.iter().map(|&x| links.team(x)).collect(),
                            }
                        }),
                        LISTED,
                    ),
                }
            })
            .collect();
        People { personas, teams }
    }
}
