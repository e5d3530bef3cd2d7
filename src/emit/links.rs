//! Where each element is shown on the site: the page and anchor that links to it.
//!
//! Anchors are made of ids, which the grammar limits to `[A-Za-z_][A-Za-z0-9_-]*`,
//! so they are safe in a URL's fragment; labels never are. Top-level ids are
//! unique per kind, so each kind has its own prefix (`cap-`, `team-` …).

use super::Names;
use super::blueprint::TeamChip;
use crate::model::{
    ActivityId, CapabilityId, JourneyId, Model, PersonaId, StreamId, SystemId, TeamId, TouchpointId,
};

/// The capability map's page.
pub const CAPABILITIES: &str = "capabilities.html";
/// The people's page: personas and teams.
pub const PEOPLE: &str = "people.html";

/// The pages of the site's model views and the links into them.
#[derive(Clone, Copy)]
pub(super) struct Links<'a> {
    pub(super) model: &'a Model,
    pub(super) names: &'a Names,
    /// Each journey's page, indexed by `JourneyId`.
    pub(super) journeys: &'a [String],
    /// Each value stream's page, indexed by `StreamId`.
    pub(super) streams: &'a [String],
}

impl<'a> Links<'a> {
    pub(super) fn journey(&self, j: JourneyId) -> &'a str {
        &self.journeys[j.index()]
    }

    pub(super) fn touchpoint(&self, t: TouchpointId) -> String {
        let journey = self.model[t].journey;
        format!("{}#tp-{}", self.journey(journey), self.names.touchpoint(t))
    }

    pub(super) fn stream(&self, s: StreamId) -> &'a str {
        &self.streams[s.index()]
    }

    pub(super) fn activity(&self, a: ActivityId) -> String {
        let activity = &self.model[a];
        format!("{}#act-{}", self.stream(activity.stream), activity.meta.id)
    }

    pub(super) fn capability(&self, c: CapabilityId) -> String {
        format!("{CAPABILITIES}#cap-{}", self.model[c].meta.id)
    }

    pub(super) fn system(&self, s: SystemId) -> String {
        format!("{CAPABILITIES}#sys-{}", self.model[s].meta.id)
    }

    pub(super) fn team(&self, t: TeamId) -> TeamLink<'a> {
        let chip = TeamChip::of(self.model, t);
        TeamLink {
            href: format!("{PEOPLE}#team-{}", self.model[t].meta.id),
            label: chip.label,
            hue: chip.hue,
        }
    }

    pub(super) fn persona(&self, p: PersonaId) -> Link<'a> {
        Link {
            href: format!("{PEOPLE}#persona-{}", self.model[p].meta.id),
            label: &self.model[p].meta.label,
        }
    }
}

/// A link to an element: where, and its label.
pub(super) struct Link<'a> {
    pub(super) href: String,
    pub(super) label: &'a str,
}

/// A team's chip, linked to the team on the people's page.
pub(super) struct TeamLink<'a> {
    pub(super) href: String,
    pub(super) label: &'a str,
    /// The team's colour slot (`TEAM_HUES`), as on the blueprint.
    pub(super) hue: usize,
}
