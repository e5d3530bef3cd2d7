//! Values in the words users write them in: `-1`, `60%`, `400 per week`, `2 days`.
//! Figures are rounded by `text::number`, as on the published pages, so that a
//! figure reads the same in a pull-request comment as on the pages. `journey diff`
//! and the comparison of current and future journeys show attributes so.

use super::attributes::Single;
use super::{Element, Emotion, Mix, Rate, Ratio};
use crate::text::number::{self, percent, written};

impl Single<'_> {
    /// The value as a user writes it; an element by `name`, which each output
    /// chooses (a qualified id in a diff, a label on a page).
    pub fn written(self, name: impl Fn(Element) -> String) -> String {
        match self {
            Single::Text(t) => t.to_owned(),
            Single::Element(e) => name(e),
            Single::Whole(n) => n.to_string(),
            Single::Emotion(e) => emotion(e),
            Single::Share(s) => share(s.fraction()),
            Single::Rate(r) => rate(r),
            Single::Minutes(m) => number::duration(m),
            Single::Flag(on) => flag(on),
            Single::Word(w) => w.to_owned(),
            Single::Mix(m) => mix(m),
        }
    }
}

/// An emotion as written, with its sign: `-1`, `0`, `+2`.
pub fn emotion(e: Emotion) -> String {
    match e.value() {
        0 => "0".to_owned(),
        v => format!("{v:+}"),
    }
}

/// A share written as a percentage, to two decimals at most: `60%`, `12.5%`.
pub fn share(fraction: f64) -> String {
    format!("{}%", written((fraction * 10_000.0).round() / 100.0))
}

/// `500 per week`.
pub fn rate(rate: Rate) -> String {
    format!("{} per {}", written(rate.amount), rate.period.as_str())
}

/// `simple 60% standard 30% complex 10%`.
pub fn mix(mix: Mix) -> String {
    format!(
        "simple {} standard {} complex {}",
        share(mix.simple),
        share(mix.standard),
        share(mix.complex)
    )
}

/// A flag: `on` or `off`.
pub fn flag(on: bool) -> String {
    (if on { "on" } else { "off" }).to_owned()
}

/// A count out of a total with its share: `3/4 (75%)`.
pub fn ratio(r: Ratio) -> String {
    format!("{}/{} ({})", r.count, r.total, percent(r.fraction()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_written() {
        assert_eq!(emotion(Emotion::new(-1).unwrap()), "-1");
        assert_eq!(emotion(Emotion::new(2).unwrap()), "+2");
        assert_eq!(emotion(Emotion::new(0).unwrap()), "0");
        assert_eq!(share(0.6), "60%");
        assert_eq!(share(0.125), "12.5%");
    }
}
