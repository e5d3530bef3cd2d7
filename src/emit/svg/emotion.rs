//! The emotion drawings: the curve of a journey's emotions (on its page, in the
//! blueprint's emotion lane, and as a picture of its own) and the strip of the
//! journey at a glance. This module holds their geometry and draws them, for the
//! pages and the pictures alike.

use super::super::blueprint::{Blueprint, signed};
use super::{Anchor, Font, Svg, colour, pill_height};
use crate::text::svg::escape;
use std::fmt::Write as _;

// ------------------------------------------------------------------ the curve

/// The width of one column of the curve, in pixels: the width of a blueprint's
/// column on the site (`--col`, 15rem) and in the pictures, so the curve drawn at
/// its own size sits under its touchpoints.
pub const COLUMN: i32 = 240;

/// The curve's height: +3 at [`curve_y`]`(3)`, −3 at `curve_y(-3)`, a margin above
/// and below for the dots.
pub const HEIGHT: i32 = 128;

/// The dots' radius.
const RADIUS: i32 = 6;

/// Where emotion `e` (−3…+3) sits on the curve's y axis, +3 at the top.
pub fn curve_y(e: i8) -> i32 {
    16 + (3 - i32::from(e)) * 16
}

/// Where column `i`'s point sits on the curve's x axis: the column's middle.
pub fn curve_x(column: usize) -> i32 {
    super::columns(column, COLUMN).saturating_add(COLUMN / 2)
}

/// The emotion curve: one point per touchpoint with an emotion.
pub struct Curve<'a> {
    pub width: i32,
    pub points: Vec<Point<'a>>,
}

pub struct Point<'a> {
    pub x: i32,
    pub y: i32,
    pub value: i8,
    pub label: &'a str,
}

impl Point<'_> {
    /// A class by sign: `pos`, `neu` or `neg`.
    pub fn tone(&self) -> &'static str {
        super::super::blueprint::tone(self.value)
    }

    fn fill(&self) -> &'static str {
        match self.value {
            1.. => colour::GOOD,
            0 => colour::MUTED,
            _ => colour::BAD,
        }
    }
}

impl<'a> Curve<'a> {
    /// The curve over `columns` columns through `points` (from [`curve_x`] and
    /// [`curve_y`]).
    pub fn new(columns: usize, points: Vec<Point<'a>>) -> Curve<'a> {
        Curve { width: super::columns(columns, COLUMN), points }
    }

    /// Draws the curve in its own coordinates, `width` × [`HEIGHT`]: the grid of
    /// the seven levels, the zero line, the line through the points and a dot per
    /// point, with its touchpoint and value as its `<title>`. Colours are written
    /// on each element, so the drawing stands alone; the classes let the site's
    /// stylesheet recolour it (its dark theme).
    pub fn draw(&self, out: &mut String) {
        let w = self.width;
        for e in (-3..=3).rev() {
            let y = curve_y(e);
            let _ = write!(
                out,
                "<line class=\"level\" x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1\"/>",
                colour::RULE
            );
        }
        let zero = curve_y(0);
        let _ = write!(
            out,
            "<line class=\"zero\" x1=\"0\" y1=\"{zero}\" x2=\"{w}\" y2=\"{zero}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"4 4\"/>",
            colour::RULE
        );
        if !self.points.is_empty() {
            let line: Vec<String> =
                self.points.iter().map(|p| format!("{},{}", p.x, p.y)).collect();
            let _ = write!(
                out,
                "<polyline class=\"trend\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                line.join(" "),
                colour::ACCENT
            );
        }
        for p in &self.points {
            let _ = write!(
                out,
                "<circle class=\"pt {}\" cx=\"{}\" cy=\"{}\" r=\"{RADIUS}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"><title>{}: emotion {}</title></circle>",
                p.tone(),
                p.x,
                p.y,
                p.fill(),
                colour::PAPER,
                escape(p.label),
                signed(p.value)
            );
        }
    }

    /// The curve as the site's blueprint inlines it in its emotion lane: drawn to
    /// the lane's width (`svg.curve` in the stylesheet).
    pub fn svg(&self) -> String {
        let mut out = format!(
            "<svg class=\"curve\" viewBox=\"0 0 {} {HEIGHT}\" role=\"img\" aria-label=\"Emotion across the touchpoints, from −3 at the bottom to +3 at the top\">",
            self.width
        );
        self.draw(&mut out);
        out.push_str("</svg>");
        out
    }
}

// ------------------------------------------------------------------ the strip

/// The journey at a glance: its stages, a mark per touchpoint (gaps and moments of
/// truth marked) and the emotion arc, drawn to the page's width however many
/// touchpoints there are. The SVG stretches (`preserveAspectRatio="none"`), so it
/// draws only lines, whose strokes do not stretch: a dot is a line of length zero
/// with round caps. Its colours are the stylesheet's (`svg.strip-svg`): it is
/// only ever part of a page.
pub struct Strip<'a> {
    /// The SVG's width: [`STRIP_STEP`] per column.
    pub width: usize,
    /// Stage boundaries, as x positions (between columns).
    pub bounds: Vec<usize>,
    pub marks: Vec<Mark<'a>>,
}

/// One touchpoint on the strip.
pub struct Mark<'a> {
    pub x: usize,
    pub label: &'a str,
    pub gap: bool,
    pub moment_of_truth: bool,
    /// The emotion, if recorded.
    pub emotion: Option<i8>,
}

/// The strip's width per column, in SVG units. Its height is 100: the emotion
/// from y 10 (+3) to 70 (−3), the touchpoint marks from 78 down.
pub const STRIP_STEP: usize = 20;

/// Where emotion `e` sits on the strip, +3 at the top.
fn strip_y(e: i8) -> usize {
    (10 + (3 - i32::from(e)) * 10).unsigned_abs() as usize
}

impl Strip<'_> {
    /// The strip as the journey's page inlines it.
    pub fn svg(&self) -> String {
        let w = self.width;
        let mut out = format!(
            "<svg class=\"strip-svg\" viewBox=\"0 0 {w} 100\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"The {} touchpoints in order, each a mark below the emotion arc (−3 at the bottom, +3 at the top); a red mark is a gap, an amber one a moment of truth\">",
            self.marks.len()
        );
        for y in [strip_y(3), strip_y(0), strip_y(-3)] {
            let _ =
                write!(out, "<line class=\"level\" x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\"/>");
        }
        for x in &self.bounds {
            let _ =
                write!(out, "<line class=\"bound\" x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"100\"/>");
        }
        let line: Vec<String> = self
            .marks
            .iter()
            .filter_map(|m| m.emotion.map(|e| format!("{},{}", m.x, strip_y(e))))
            .collect();
        let _ = write!(out, "<polyline class=\"trend\" points=\"{}\"/>", line.join(" "));
        for k in &self.marks {
            let x = k.x;
            let _ = write!(out, "<g><title>{}", escape(k.label));
            if let Some(e) = k.emotion {
                let _ = write!(out, ": emotion {}", signed(e));
            }
            if k.moment_of_truth {
                out.push_str(", moment of truth");
            }
            if k.gap {
                out.push_str(", gap");
            }
            out.push_str("</title>");
            if k.moment_of_truth {
                let (y1, y2) = if k.gap { (73, 77) } else { (78, 98) };
                let _ = write!(
                    out,
                    "<line class=\"mot\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\"/>"
                );
            }
            if k.gap || !k.moment_of_truth {
                let (class, y1) = if k.gap { ("tick gap", 78) } else { ("tick", 84) };
                let _ = write!(
                    out,
                    "<line class=\"{class}\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"98\"/>"
                );
            }
            if let Some(e) = k.emotion {
                let y = strip_y(e);
                let tone = super::super::blueprint::tone(e);
                let _ = write!(
                    out,
                    "<line class=\"dot {tone}\" x1=\"{x}\" y1=\"{y}\" x2=\"{x}\" y2=\"{y}\"/>"
                );
            }
            out.push_str("</g>");
        }
        out.push_str("</svg>");
        out
    }
}

// ------------------------------------------------------------------ the picture

/// The left margin of the picture, where the axis is labelled: as wide as the
/// blueprint's lane labels, so the two pictures' columns line up.
const AXIS: i32 = super::blueprint::LANE;

/// The emotion curve of a journey as a picture of its own: the stages, the curve
/// on a labelled −3…+3 axis, and under each point its touchpoint, its value and
/// whether it is a moment of truth or a gap.
pub fn picture(bp: &Blueprint<'_>, journey: &str) -> String {
    let columns = bp.columns.len();
    let width = AXIS.saturating_add(super::columns(columns, COLUMN)) + super::blueprint::MARGIN;
    let title_font = Font::new(18, true, colour::INK);
    let title = title_font.wrap(&format!("Emotion curve: {journey}"), width - 32, 2);
    let note = Font::new(12, false, colour::MUTED);
    let label_font = Font::new(12, true, colour::INK);
    let small = Font::new(11, false, colour::MUTED);
    // Each column's caption under the curve: the touchpoint, its value, its marks.
    let captions: Vec<Option<(super::wrap::Wrapped, &str)>> = bp
        .columns
        .iter()
        .map(|c| {
            c.touchpoint.as_ref().map(|t| {
                let label = super::label_or_id(t.label, t.path);
                (label_font.wrap(label, COLUMN - 16, 3), label)
            })
        })
        .collect();
    let caption_height = bp
        .columns
        .iter()
        .zip(&captions)
        .map(|(c, caption)| {
            let Some((wrapped, _)) = caption else { return small.height(1) };
            let t = c.touchpoint.as_ref();
            let badges = t.map_or(0, |t| i32::from(t.moment_of_truth) + i32::from(t.gap));
            label_font.height(wrapped.lines.len())
                + small.height(1)
                + badges * (pill_height(small) + 4)
        })
        .max()
        .unwrap_or(0);
    let top = 16 + title_font.height(title.lines.len()) + 4 + note.height(1) + 12;
    let stages = super::blueprint::stage_band_height(bp);
    let plot_top = top + stages + 12;
    let captions_top = plot_top + HEIGHT + 12;
    let height = captions_top + caption_height + 20;

    let points = bp.emotion.points.len();
    let desc = format!(
        "The emotion curve of the journey {journey}: how the customer feels at each of its {} touchpoints, from −3 (worst) to +3 (best); {points} with an emotion recorded.",
        bp.columns.iter().filter(|c| c.touchpoint.is_some()).count()
    );
    let mut svg = Svg::document(width, height, &format!("Emotion curve: {journey}"), &desc);
    svg.text(16, 16, &title, &format!("Emotion curve: {journey}"), title_font, Anchor::Start);
    let note_top = 16 + title_font.height(title.lines.len()) + 4;
    svg.label(
        16,
        note_top,
        width - 32,
        "How the customer feels at each touchpoint, from −3 (worst) to +3 (best)",
        note,
        1,
    );
    super::blueprint::stage_band(&mut svg, bp, AXIS, top);

    // The axis: the name of the scale, and each level beside its grid line.
    svg.label(
        16,
        plot_top + HEIGHT / 2 - 16,
        AXIS - 56,
        "Emotion",
        Font::new(12, true, colour::INK),
        1,
    );
    svg.label(16, plot_top + HEIGHT / 2, AXIS - 56, "−3 to +3", small, 1);
    for e in (-3..=3).rev() {
        let wrapped = small.wrap(&signed(e), 40, 1);
        svg.text(AXIS - 8, plot_top + curve_y(e) - 8, &wrapped, "", small, Anchor::End);
    }
    plot(&mut svg, bp, AXIS, plot_top);
    if bp.emotion.points.is_empty() {
        let wrapped = note.wrap("No emotions recorded", COLUMN * 2, 1);
        svg.text(
            AXIS + 8,
            plot_top + HEIGHT / 2 - 24,
            &wrapped,
            "No emotions recorded",
            note,
            Anchor::Start,
        );
    }

    for (i, (c, caption)) in bp.columns.iter().zip(&captions).enumerate() {
        let x = AXIS.saturating_add(super::columns(i, COLUMN)) + 8;
        let mut y = captions_top;
        let (Some(t), Some((wrapped, label))) = (c.touchpoint.as_ref(), caption) else {
            svg.label(x, y, COLUMN - 16, "No touchpoints", small, 1);
            continue;
        };
        y += svg.text(x, y, wrapped, label, label_font, Anchor::Start);
        let value = t
            .emotion_text()
            .map_or_else(|| "no emotion recorded".to_owned(), |e| format!("emotion {e}"));
        y += svg.label(x, y, COLUMN - 16, &value, small, 1) + 4;
        if t.moment_of_truth {
            svg.pill(
                x,
                y,
                COLUMN - 16,
                "Moment of truth",
                Font::new(11, true, colour::WARN),
                colour::WARN_SOFT,
            );
            y += pill_height(small) + 4;
        }
        if t.gap {
            svg.pill(
                x,
                y,
                COLUMN - 16,
                "Gap: nothing serves this",
                Font::new(11, true, colour::BAD),
                colour::BAD_SOFT,
            );
        }
    }
    svg.finish()
}

/// Draws the curve of `bp` at `(x, y)`, with the stages' boundaries through it: the
/// one drawing of the curve, which the blueprint's picture uses too.
pub(super) fn plot(svg: &mut Svg, bp: &Blueprint<'_>, x: i32, y: i32) {
    let mut markup = format!("<g class=\"curve\" transform=\"translate({x},{y})\">");
    bp.emotion.draw(&mut markup);
    markup.push_str("</g>\n");
    let mut column: i32 = 0;
    for s in bp.stages.iter().take(bp.stages.len().saturating_sub(1)) {
        column = column.saturating_add(super::px(s.span));
        let bx = x.saturating_add(column.saturating_mul(COLUMN));
        svg.line((bx, y), (bx, y + HEIGHT), colour::RULE, 1, Some("3 3"));
    }
    svg.raw(&markup);
}
