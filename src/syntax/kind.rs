//! The kinds of element the language declares, named once.
//!
//! Every part of the compiler that speaks of "a touchpoint" or "value streams"
//! (messages, the editor's symbols, `journey diff`'s JSON and prose) takes the
//! words from here, and the keywords each kind's block accepts from
//! [`vocabulary`](super::vocabulary).

use super::vocabulary::{self, Block};

/// A kind of declared element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Persona,
    Team,
    System,
    Capability,
    ValueStream,
    /// A stage of a value stream.
    VsStage,
    Activity,
    Journey,
    /// A stage of a journey.
    JourneyStage,
    Touchpoint,
    /// A `metric` of a value-stream stage or a `kpi` of a touchpoint.
    Metric,
    Opportunity,
}

impl Kind {
    /// Every kind, top-level declarations first, each followed by what it holds.
    pub const ALL: [Kind; 12] = [
        Kind::Persona,
        Kind::Team,
        Kind::System,
        Kind::Capability,
        Kind::ValueStream,
        Kind::VsStage,
        Kind::Activity,
        Kind::Journey,
        Kind::JourneyStage,
        Kind::Touchpoint,
        Kind::Metric,
        Kind::Opportunity,
    ];

    /// The name for people, singular: `value-stream stage`.
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Persona => "persona",
            Kind::Team => "team",
            Kind::System => "system",
            Kind::Capability => "capability",
            Kind::ValueStream => "value stream",
            Kind::VsStage => "value-stream stage",
            Kind::Activity => "activity",
            Kind::Journey => "journey",
            Kind::JourneyStage => "journey stage",
            Kind::Touchpoint => "touchpoint",
            Kind::Metric => "metric",
            Kind::Opportunity => "opportunity",
        }
    }

    /// The name for people, plural: `value-stream stages`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Persona => "personas",
            Kind::Team => "teams",
            Kind::System => "systems",
            Kind::Capability => "capabilities",
            Kind::ValueStream => "value streams",
            Kind::VsStage => "value-stream stages",
            Kind::Activity => "activities",
            Kind::Journey => "journeys",
            Kind::JourneyStage => "journey stages",
            Kind::Touchpoint => "touchpoints",
            Kind::Metric => "metrics",
            Kind::Opportunity => "opportunities",
        }
    }

    /// The name in machine-readable outputs (JSON): the singular, hyphenated.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::ValueStream => "value-stream",
            Kind::VsStage => "value-stream-stage",
            Kind::JourneyStage => "journey-stage",
            kind => kind.singular(),
        }
    }

    /// What the element's block may hold.
    pub fn block(self) -> &'static Block {
        match self {
            Kind::Persona => &vocabulary::PERSONA,
            Kind::Team => &vocabulary::TEAM,
            Kind::System => &vocabulary::SYSTEM,
            Kind::Capability => &vocabulary::CAPABILITY,
            Kind::ValueStream => &vocabulary::VALUE_STREAM,
            Kind::VsStage => &vocabulary::VS_STAGE,
            Kind::Activity => &vocabulary::ACTIVITY,
            Kind::Journey => &vocabulary::JOURNEY,
            Kind::JourneyStage => &vocabulary::JOURNEY_STAGE,
            Kind::Touchpoint => &vocabulary::TOUCHPOINT,
            Kind::Metric => &vocabulary::METRIC,
            Kind::Opportunity => &vocabulary::OPPORTUNITY,
        }
    }

    /// Whether elements of this kind are declared at the top level of a file.
    pub fn is_top_level(self) -> bool {
        matches!(
            self,
            Kind::Persona
                | Kind::Team
                | Kind::System
                | Kind::Capability
                | Kind::ValueStream
                | Kind::Journey
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds and the vocabulary's blocks are the same set: a block added to
    /// the language needs its kind here.
    #[test]
    fn every_block_but_the_top_level_is_a_kind() {
        let blocks: Vec<&str> = vocabulary::BLOCKS.iter().skip(1).map(|b| b.what).collect();
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.block().what).collect();
        assert_eq!(kinds, blocks);
        for kind in Kind::ALL {
            // `a value-stream stage`: the block names the kind in the same words.
            assert!(kind.block().what.ends_with(kind.singular()), "{kind:?}");
        }
    }

    /// The top level declares exactly the top-level kinds.
    #[test]
    fn the_top_level_declares_the_top_level_kinds() {
        let declared: Vec<&str> = vocabulary::TOP.words().collect();
        let top: Vec<&str> =
            Kind::ALL.iter().filter(|k| k.is_top_level()).map(|k| k.singular()).collect();
        assert_eq!(declared, top);
    }
}
