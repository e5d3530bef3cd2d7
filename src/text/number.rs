//! Numbers for people. Figures are rounded, always the same way, wherever they are
//! shown (pages, exports, `journey diff`, hover, messages); the JSON outputs keep
//! full precision. No figure is written in e-notation, and none that is not zero
//! shows as `0` (or as `0%`, or `100%` when it is short of all), so a small value
//! stays visible.

/// A number the user wrote, as they wrote it, for messages that quote it: the
/// shortest decimal that reads back as the same number, no trailing `.0`.
///
/// Past 15 digits an `f64` no longer holds what was written (`99999999999999999999`
/// would show as `100000000000000000000`), so such a number is quoted in scientific
/// notation, which says how big it is without pretending to digits nobody wrote. It
/// is the only number shown so.
pub fn written(v: f64) -> String {
    if v.is_infinite() {
        return TOO_LARGE.to_owned();
    }
    if v.abs() >= 1e15 {
        let s = format!("{v:.3e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    // `Display` writes the shortest round-tripping decimal, never in e-notation.
    let s = v.to_string();
    if s == "-0" { "0".to_owned() } else { s }
}

/// A figure (a load, a rate, a capacity): at most two decimals, no trailing zeros,
/// every digit of a large one. A figure that is not zero but would round to it shows
/// its first two significant digits: `0.000001`, `0.0012`.
pub fn plain(v: f64) -> String {
    rounded(v, 100.0)
}

/// [`plain`], with thousands separated by a thin space so that large volumes stay
/// readable: `1 234 567.5`. For documents (the pages, the Markdown export).
pub fn grouped(v: f64) -> String {
    let text = plain(v);
    if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return text;
    }
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::with_capacity(text.len() + digits.len() / 3 * 3);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

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

/// Minutes as the largest sensible unit, to one decimal: `15 min`, `1.5 h`,
/// `2 days`.
pub fn duration(minutes: f64) -> String {
    let (value, unit) = if minutes < 60.0 {
        (minutes, "min")
    } else if minutes < 24.0 * 60.0 {
        (minutes / 60.0, "h")
    } else {
        let days = minutes / (24.0 * 60.0);
        (days, if (days - 1.0).abs() < f64::EPSILON { "day" } else { "days" })
    };
    format!("{} {unit}", rounded(value, 10.0))
}

/// What an infinite figure reads as.
const TOO_LARGE: &str = "a number too large to represent";

/// `v` rounded to the decimals `scale` stands for (100 for two), trailing zeros
/// dropped; two significant digits for a figure that would round to zero.
fn rounded(v: f64, scale: f64) -> String {
    if !v.is_finite() {
        return TOO_LARGE.to_owned();
    }
    let r = (v * scale).round() / scale;
    if r == 0.0 && v != 0.0 {
        // The first significant digit is at decimal place ⌈-log₁₀|v|⌉; one more
        // place gives two digits. (A place too many, from rounding in the
        // logarithm, only adds a zero that is trimmed.)
        #[allow(clippy::cast_sign_loss)]
        let places = (-v.abs().log10()).ceil() as usize + 1;
        return trimmed(&format!("{v:.places$}"));
    }
    // Four places, as the rounding above leaves at most two: `{:.4}` never writes
    // e-notation and hides the binary noise of `0.1 + 0.2`.
    trimmed(&format!("{r:.4}"))
}

/// A decimal without trailing zeros or a bare point; `-0` as `0`.
fn trimmed(s: &str) -> String {
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s };
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
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
        assert_eq!(grouped(42.857_142), "42.86");
        assert_eq!(grouped(1_234_567.0), "1\u{2009}234\u{2009}567");
        assert_eq!(grouped(-1_234.5), "-1\u{2009}234.5");
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.999), "1\u{2009}000");
        assert_eq!(plain(1_234_567.0), "1234567");
        assert_eq!(plain(-0.001), "-0.001");
        assert_eq!(plain(0.1 + 0.2), "0.3");
    }

    /// Issue 21: `capacity 0.000001 per year` showed as "capacity of 0", with a load
    /// of "8.76e15".
    #[test]
    fn small_and_large_figures_are_never_zero_nor_in_e_notation() {
        assert_eq!(plain(0.000_001), "0.000001");
        assert_eq!(plain(0.001_234_5), "0.0012");
        assert_eq!(plain(0.004_9), "0.0049");
        assert_eq!(plain(8.76e15), "8760000000000000");
        assert_eq!(grouped(8.76e15), "8\u{2009}760\u{2009}000\u{2009}000\u{2009}000\u{2009}000");
        assert_eq!(grouped(0.000_001), "0.000001");
        assert_eq!(written(0.000_001), "0.000001");
        assert_eq!(written(0.000_000_123_456), "0.000000123456");
        assert_eq!(duration(0.01), "0.01 min");
        for v in [1e-9, 3.3e-7, 8.76e15, 1e20, 123_456.789] {
            assert!(!plain(v).contains('e'), "{v}: {}", plain(v));
            assert_ne!(plain(v), "0", "{v}");
        }
    }

    #[test]
    fn written_numbers_read_as_written() {
        assert_eq!(written(1.5), "1.5");
        assert_eq!(written(100.0), "100");
        assert_eq!(written(-0.0), "0");
        assert_eq!(written(100.000_000_1), "100.0000001");
        assert_eq!(written(1e23), "1e23");
        assert_eq!(written(f64::INFINITY), "a number too large to represent");
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
