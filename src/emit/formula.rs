//! The load formula of spec §5a in words, written once: the overview, the capability
//! map and the Markdown report all state it, so a reader audits every load against
//! the same text (docs/outputs.md, "The capability heat map").

/// The formula, after `load_S(C) =`, and which journeys and activities its
/// scenarios count.
pub(super) struct Formula {
    pub(super) definition: &'static str,
    pub(super) scenarios: &'static str,
}

impl Formula {
    /// The formula for a workspace with a future state (`to_be`) or without one.
    pub(super) fn of(to_be: bool) -> Formula {
        Formula { definition: DEFINITION, scenarios: if to_be { TWO } else { ONE } }
    }
}

const DEFINITION: &str = "Σ volume(J) × reach(T) × complexity(J), for each scenario S, over \
    the journeys J of S and each of their touchpoints T that traces, within S, to an activity \
    using C or a capability below C in the tree of parents, so loads roll up to parent \
    capabilities; each touchpoint counts once per capability. Volumes are converted to C's \
    capacity period (day = 24 h, week = 7 days, month = 365/12 days, quarter = 365/4 days, \
    year = 365 days); complexity is the mix-weighted factor (simple 0.5, standard 1, complex 2; \
    1 without a mix). Utilisation = load ÷ capacity; a capability without a capacity has a \
    load per week and no utilisation.";

const TWO: &str = "The as-is counts the current journeys and the current and retired \
    activities; the to-be counts the future journeys, the current journeys that none \
    replaces, and the current and future activities.";

const ONE: &str = "The workspace has no future state, so there is one scenario, the as-is.";
