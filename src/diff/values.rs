//! Values in the words users write them in: `-1`, `60%`, `400 per week`, `2 days`.
//!
//! `percent` and `duration` are copies of the pages' rounding in `emit/format.rs`
//! (private to `emit`), so that a figure reads the same in a pull-request comment as
//! on the published pages.

use crate::model::{Emotion, Mix, Rate, Ratio, format_number};
use std::fmt::Write as _;

/// An emotion as written, with its sign: `-1`, `0`, `+2`.
pub fn emotion(e: Emotion) -> String {
    match e.value() {
        0 => "0".to_owned(),
        v => format!("{v:+}"),
    }
}

/// A share written as a percentage, to two decimals at most: `60%`, `12.5%`.
pub fn share(fraction: f64) -> String {
    format!("{}%", format_number((fraction * 10_000.0).round() / 100.0))
}

/// `500 per week`.
pub fn rate(rate: Rate) -> String {
    format!("{} per {}", format_number(rate.amount), rate.period.as_str())
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

/// A rate or load: at most two decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    format_number((v * 100.0).round() / 100.0)
}

pub use crate::emit::format::{duration, is_direction_control, percent};

/// Text with control characters and direction controls shown as `\u{1b}`, so that a
/// label can neither drive a terminal nor reverse the words after it.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_direction_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
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
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.9951), ">99%");
        assert_eq!(duration(2880.0), "2 days");
        assert_eq!(visible("a\u{202e}b\u{1b}[31m\n"), "a\\u{202e}b\\u{1b}[31m\\u{a}");
    }
}
