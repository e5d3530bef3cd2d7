//! The periods of volumes and capacities (`per week`), and how long each is.
//!
//! `Period` is defined in the syntax tree, because it is what was written: the AST
//! records the keyword (`Quantity::period`), and the syntax layer cannot import the
//! model. What a period *means*, its length by the conventions of spec §5a, is the
//! model's, so that conversion lives here, beside the loads it converts; everything
//! past the syntax layer names the type as `model::Period`.

pub use crate::syntax::ast::Period;

impl Period {
    /// The period's length in days, by the conventions of spec §5a: a month is a
    /// twelfth of a 365-day year, a quarter a quarter of it.
    pub fn days(self) -> f64 {
        match self {
            Period::Hour => 1.0 / 24.0,
            Period::Day => 1.0,
            Period::Week => 7.0,
            Period::Month => 365.0 / 12.0,
            Period::Quarter => 365.0 / 4.0,
            Period::Year => 365.0,
        }
    }
}
