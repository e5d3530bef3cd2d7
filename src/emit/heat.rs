//! How hot a capability runs, and how long a bar is: what the pages draw from the
//! figures. The numbers themselves are written by `text::number`.

use crate::model::{Load, SEVERE_OVERLOAD};

/// A bar's length in hundredths, for a fraction shown up to `max` (1.5 lets an
/// overload show past the 100% mark).
#[allow(clippy::cast_sign_loss)]
pub fn bar(fraction: f64, max: f64) -> u32 {
    // Clamped to 0…max first, so the cast is exact and never negative.
    (fraction.clamp(0.0, max) * 100.0).round() as u32
}

/// How hot a capability runs: the colour of its heat-map cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heat {
    /// No capacity given: a load, but no utilisation.
    Unknown,
    /// Under 50%.
    Cool,
    /// 50% to 80%.
    Warm,
    /// 80% to 100%.
    Hot,
    /// Over 100%: a `journey::overload` warning.
    Over,
    /// Over 150%: a `journey::overload` error.
    Critical,
}

impl Heat {
    pub fn of(load: &Load) -> Heat {
        match load.utilisation() {
            None => Heat::Unknown,
            Some(u) if u > SEVERE_OVERLOAD => Heat::Critical,
            Some(u) if u > 1.0 => Heat::Over,
            Some(u) if u >= 0.8 => Heat::Hot,
            Some(u) if u >= 0.5 => Heat::Warm,
            Some(_) => Heat::Cool,
        }
    }

    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Heat::Unknown => "heat-unknown",
            Heat::Cool => "heat-cool",
            Heat::Warm => "heat-warm",
            Heat::Hot => "heat-hot",
            Heat::Over => "heat-over",
            Heat::Critical => "heat-critical",
        }
    }

    /// The cell's colour in the light theme (`--heat-*` in `templates/style.css`,
    /// which a test holds to these): what the pictures fill a capability with.
    pub fn fill(self) -> &'static str {
        match self {
            Heat::Unknown => "#e6e7ea",
            Heat::Cool => "#d7eedd",
            Heat::Warm => "#f9e7a8",
            Heat::Hot => "#f5b46a",
            Heat::Over => "#f29a80",
            Heat::Critical => "#c0362c",
        }
    }

    /// The text's colour on [`Heat::fill`]: white on the darkest, the ink elsewhere.
    pub fn ink(self) -> &'static str {
        match self {
            Heat::Critical => "#ffffff",
            _ => super::svg::colour::INK,
        }
    }

    /// Words for the legend and for screen readers.
    pub fn words(self) -> &'static str {
        match self {
            Heat::Unknown => "no capacity given",
            Heat::Cool => "under 50%",
            Heat::Warm => "50% to 80%",
            Heat::Hot => "80% to 100%",
            Heat::Over => "over capacity",
            Heat::Critical => "over 150% of capacity",
        }
    }

    pub const ALL: [Heat; 6] =
        [Heat::Cool, Heat::Warm, Heat::Hot, Heat::Over, Heat::Critical, Heat::Unknown];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pictures colour capabilities as the pages do.
    #[test]
    fn the_colours_are_the_stylesheets() {
        let light = super::super::svg::tests::light_theme();
        for heat in Heat::ALL {
            let name = heat.class();
            assert!(light.contains(&format!("--{name}: {};", heat.fill())), "{name}");
        }
        assert!(light.contains(&format!("--heat-critical-ink: {};", Heat::Critical.ink())));
        assert!(light.contains(&format!("--ink: {};", Heat::Cool.ink())));
    }
}
