//! Phase 2: syntax trees of all files to one resolved, indexed model.
//!
//! [`build`] declares every element, then resolves every reference across files;
//! it never fails, reporting duplicates, unresolved or wrong-kind references and
//! invalid values as diagnostics. [`Figures`] derives the cross-map figures.

pub mod attributes;
mod build;
mod element;
mod elements;
mod figures;
pub mod kpi;
pub mod measurements;
mod names;
mod period;
mod qualified;
mod scenario;
mod values;

pub use build::build;
pub use element::Element;
pub use elements::*;
pub use figures::{
    Contribution, Coverage, Figures, Handoff, JourneyCoverage, Lean, LeanFigures, Load, Ratio,
    SEVERE_OVERLOAD, contributions,
};
pub use period::Period;
pub use qualified::Names;
pub use scenario::{Scenario, Scenarios};
