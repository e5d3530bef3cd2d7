//! Numbers as people read them on the pages. The JSON keeps full precision; the
//! pages round, always the same way.

use crate::model::{Load, SEVERE_OVERLOAD};

/// A share as a whole percentage: `54%`. A share that is not zero never shows as
/// `0%`, and one short of all never as `100%`, so a single gap stays visible.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p > 0.0 && p < 1.0 {
        "<1%".to_owned()
    } else if p > 99.0 && p < 100.0 {
        ">99%".to_owned()
    } else {
        format!("{}%", p.round())
    }
}

/// A bar's length in hundredths, for a fraction shown up to `max` (1.5 lets an
/// overload show past the 100% mark).
#[allow(clippy::cast_sign_loss)]
pub fn bar(fraction: f64, max: f64) -> u32 {
    // Clamped to 0…max first, so the cast is exact and never negative.
    (fraction.clamp(0.0, max) * 100.0).round() as u32
}

/// A rate or count: at most two decimals, no trailing zeros, thousands separated
/// by a thin space so that large volumes stay readable.
pub fn number(v: f64) -> String {
    let text = crate::model::format_number((v * 100.0).round() / 100.0);
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{2009}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Minutes as the largest sensible unit: `15 min`, `4 h`, `2 days`.
pub fn duration(minutes: f64) -> String {
    let (value, unit) = if minutes < 60.0 {
        (minutes, "min")
    } else if minutes < 24.0 * 60.0 {
        (minutes / 60.0, "h")
    } else {
        let days = minutes / (24.0 * 60.0);
        (days, if (days - 1.0).abs() < f64::EPSILON { "day" } else { "days" })
    };
    format!("{} {unit}", crate::model::format_number((value * 10.0).round() / 10.0))
}

/// A message with quoted source text in it: direction controls are shown as
/// `\u{202e}`, as compilers do, since isolating the whole message cannot stop a
/// quoted label from reversing the message's own words after it.
pub fn visible_controls(text: &str) -> String {
    text.chars()
        .map(
            |c| {
                if is_direction_control(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            },
        )
        .collect()
}

/// The explicit embeddings, overrides and isolates of Unicode's bidirectional
/// algorithm: the characters whose effect can outlast the text they are in.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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

    #[test]
    fn percentages_keep_a_single_gap_visible() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.5432), "54%");
        assert_eq!(percent(0.9951), ">99%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(1.0714), "107%");
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(number(42.857_142), "42.86");
        assert_eq!(number(1_234_567.0), "1\u{2009}234\u{2009}567");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(999.999), "1\u{2009}000");
    }

    #[test]
    fn durations_use_the_largest_unit() {
        assert_eq!(duration(15.0), "15 min");
        assert_eq!(duration(240.0), "4 h");
        assert_eq!(duration(90.0), "1.5 h");
        assert_eq!(duration(2880.0), "2 days");
        assert_eq!(duration(1440.0), "1 day");
    }
}
