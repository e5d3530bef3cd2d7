//! The pictures: standalone SVG 1.1 files of each journey's service blueprint and
//! emotion curve and of the capability map (`journey export --format svg`, and the
//! Markdown report's pictures), and the emotion drawings the site's pages inline.
//!
//! The pictures draw the site's view models (`emit::blueprint`, `emit::capmap`)
//! in the site's colours (the light theme of `templates/style.css`, and
//! `emit::heat`), and the emotion curve is drawn by one function for the page and
//! the picture ([`emotion::Curve::draw`]), so that they never disagree.
//!
//! What a picture must be, wherever it is shown (an `<img>` in GitHub's Markdown, a
//! wiki, a slide): one file that draws itself. So every colour is written on its
//! element (no stylesheet, no CSS variables, no media queries), the background is
//! drawn, fonts are generic families, and nothing refers outside the file (no
//! `href`, no `url(…)`, no script, no `<foreignObject>`). Labels are `<text>` with a
//! `<tspan>` per line, wrapped to their box by estimated widths ([`wrap`]); a label
//! cut short ends in `…` and carries the whole text in a `<title>`. Every text
//! from the sources goes through `text::svg`.

mod blueprint;
mod capmap;
pub(super) mod emotion;
pub(super) mod wrap;

use super::{Input, Names};
use crate::text::svg::escape;
use std::fmt::Write as _;
use wrap::Wrapped;

/// The colours of the site's light theme (`templates/style.css`, `:root`), which a
/// unit test holds to the stylesheet.
pub(super) mod colour {
    pub const PAPER: &str = "#ffffff";
    pub const INK: &str = "#1d2433";
    pub const MUTED: &str = "#5e6675";
    pub const RULE: &str = "#d9dce3";
    pub const ACCENT: &str = "#3b4cca";
    pub const ACCENT_SOFT: &str = "#e7e9fb";
    pub const GOOD: &str = "#1f7a4d";
    pub const BAD: &str = "#b42318";
    pub const BAD_SOFT: &str = "#fde8e6";
    pub const WARN: &str = "#9a5b00";
    pub const WARN_SOFT: &str = "#fff1d6";
    pub const LANE_EVIDENCE: &str = "#f6f1e7";
    pub const LANE_CUSTOMER: &str = "#eaf1fd";
    pub const LANE_EMOTION: &str = "#f4f6fb";
    pub const LANE_FRONT: &str = "#e6f5f1";
    pub const LANE_BACK: &str = "#f0ebfa";
    pub const LANE_SUPPORT: &str = "#f1f2f4";
    pub const LANE_HANDOFF: &str = "#fbf7ee";
    /// The teams' colours, `.team-0` … `.team-7`.
    pub const TEAMS: [&str; super::super::blueprint::TEAM_HUES] =
        ["#1f5fbf", "#1a7f5a", "#8e44ad", "#b45309", "#0e7490", "#be185d", "#4d7c0f", "#6b5b95"];
}

/// The font of every picture: generic families only, so that the file names no
/// font the viewer may lack.
const FONT: &str = "system-ui, sans-serif";

/// A picture's file name and its text.
pub type Picture = (String, String);

/// Every picture of a workspace, in a fixed order: for each journey in source
/// order its blueprint and its emotion curve, then the capability map. The names
/// come from [`names`].
pub fn pictures(input: Input<'_>) -> Vec<Picture> {
    let model = &input.analysis.model;
    let names = Names::of(model);
    let heat: Vec<super::heat::Heat> =
        input.analysis.figures.loads.as_is.iter().map(super::heat::Heat::of).collect();
    let files = names_of(model);
    let mut out = Vec::with_capacity(2 * model.journeys.len() + 1);
    for (i, j) in model.journeys.iter().enumerate() {
        let id = crate::model::JourneyId(i as u32);
        let bp = super::blueprint::Blueprint::of(input, &names, &heat, id);
        let label = j.meta.name();
        out.push((format!("{}.svg", files.journeys[i]), blueprint::picture(&bp, label)));
        out.push((format!("{}-emotion.svg", files.journeys[i]), emotion::picture(&bp, label)));
    }
    out.push((CAPABILITIES.to_owned(), capmap::picture(input)));
    out
}

/// The capability map's file.
pub const CAPABILITIES: &str = "capabilities.svg";

/// The pictures' file names, without `.svg`: each journey's id, made unique
/// ignoring case (for case-insensitive file systems) and never `capabilities`;
/// since ids may hold `-`, a journey `a` (`a.svg`, `a-emotion.svg`) and a journey
/// `a-emotion` would clash, so each journey takes both its names, and a clash gets
/// a numeric suffix, in source order, as the site's pages do.
pub struct FileNames {
    pub journeys: Vec<String>,
}

pub fn names_of(model: &crate::model::Model) -> FileNames {
    let mut taken = std::collections::HashSet::from(["capabilities".to_owned()]);
    let journeys = model
        .journeys
        .iter()
        .map(|j| {
            let base = &j.meta.id;
            let mut name = base.clone();
            let mut n = 2;
            loop {
                let (plain, emotion) =
                    (name.to_lowercase(), format!("{}-emotion", name.to_lowercase()));
                if !taken.contains(&plain) && !taken.contains(&emotion) {
                    taken.insert(plain);
                    taken.insert(emotion);
                    break name;
                }
                name = format!("{base}-{n}");
                n += 1;
            }
        })
        .collect();
    FileNames { journeys }
}

/// A count as pixels, saturating: a picture of millions of touchpoints is absurd,
/// but must not overflow.
pub(super) fn px(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The x of column `n`'s left edge, `n` columns of `width` from 0, saturating.
pub(super) fn columns(n: usize, width: i32) -> i32 {
    px(n).saturating_mul(width)
}

/// An element's label from a view model, or the last part of its path (its id)
/// when the label is blank.
pub(super) fn label_or_id<'a>(label: &'a str, path: &'a str) -> &'a str {
    if label.trim().is_empty() { path.rsplit('.').next().unwrap_or(path) } else { label }
}

/// A font: size in pixels, weight and colour.
#[derive(Clone, Copy)]
pub(super) struct Font {
    pub size: i32,
    pub bold: bool,
    pub fill: &'static str,
}

impl Font {
    pub const fn new(size: i32, bold: bool, fill: &'static str) -> Font {
        Font { size, bold, fill }
    }

    /// The distance between baselines.
    pub fn line_height(self) -> i32 {
        self.size * 13 / 10 + 1
    }

    /// The height of `lines` lines of text.
    pub fn height(self, lines: usize) -> i32 {
        self.line_height().saturating_mul(px(lines))
    }

    /// `text` wrapped to `room` pixels in at most `max_lines` lines. The text is
    /// measured as it will be drawn, with what XML cannot hold shown as escapes.
    pub fn wrap(self, text: &str, room: i32, max_lines: usize) -> Wrapped {
        let shown = crate::text::svg::shown(text);
        wrap::wrap(&shown, f64::from(room), f64::from(self.size), self.bold, max_lines)
    }
}

/// Where a text is anchored horizontally.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Anchor {
    Start,
    End,
}

/// An SVG document being written. Coordinates are whole pixels.
pub(super) struct Svg {
    out: String,
}

impl Svg {
    /// A document `width` × `height` pixels, with its `<title>` and `<desc>` (what
    /// a screen reader reads, and a browser shows as the image's name) and its
    /// background drawn.
    pub fn document(width: i32, height: i32, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"title desc\" \
             font-family=\"{FONT}\" font-size=\"13\" fill=\"{}\">\n<title id=\"title\">{}</title>\n<desc id=\"desc\">{}</desc>\n",
            colour::INK,
            escape(title),
            escape(desc),
        );
        let mut svg = Svg { out };
        svg.rect((0, 0, width, height), colour::PAPER, None, 0);
        svg
    }

    /// The document's text.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    /// Markup made by code of ours (a shared drawing), written as it is.
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A rectangle, with a border of `stroke` (colour, width, dashed) when given.
    pub fn rect(
        &mut self,
        (x, y, w, h): (i32, i32, i32, i32),
        fill: &str,
        stroke: Option<(&str, i32, bool)>,
        radius: i32,
    ) {
        let _ = write!(
            self.out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\"",
            w.max(0),
            h.max(0)
        );
        if radius > 0 {
            let _ = write!(self.out, " rx=\"{radius}\"");
        }
        let _ = write!(self.out, " fill=\"{fill}\"");
        if let Some((colour, width, dashed)) = stroke {
            let _ = write!(self.out, " stroke=\"{colour}\" stroke-width=\"{width}\"");
            if dashed {
                self.out.push_str(" stroke-dasharray=\"5 3\"");
            }
        }
        self.out.push_str("/>\n");
    }

    /// A line.
    pub fn line(
        &mut self,
        (x1, y1): (i32, i32),
        (x2, y2): (i32, i32),
        stroke: &str,
        width: i32,
        dash: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\" stroke-width=\"{width}\""
        );
        if let Some(dash) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{dash}\"");
        }
        self.out.push_str("/>\n");
    }

    /// Wrapped text whose first line's top is at `top`: a `<text>` with a
    /// `<tspan>` per line, and the whole `full` text in a `<title>` when the
    /// lines were cut short. Returns the height drawn.
    pub fn text(
        &mut self,
        x: i32,
        top: i32,
        wrapped: &Wrapped,
        full: &str,
        font: Font,
        anchor: Anchor,
    ) -> i32 {
        let _ = write!(
            self.out,
            "<text x=\"{x}\" y=\"{}\" font-size=\"{}\"",
            top + font.size,
            font.size
        );
        if font.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if font.fill != colour::INK {
            let _ = write!(self.out, " fill=\"{}\"", font.fill);
        }
        match anchor {
            Anchor::Start => {}
            Anchor::End => self.out.push_str(" text-anchor=\"end\""),
        }
        self.out.push('>');
        if wrapped.cut {
            let _ = write!(self.out, "<title>{}</title>", escape(full));
        }
        for (i, line) in wrapped.lines.iter().enumerate() {
            if i == 0 {
                let _ = write!(self.out, "<tspan x=\"{x}\">{}</tspan>", escape(line));
            } else {
                let _ = write!(
                    self.out,
                    "<tspan x=\"{x}\" dy=\"{}\">{}</tspan>",
                    font.line_height(),
                    escape(line)
                );
            }
        }
        self.out.push_str("</text>\n");
        font.height(wrapped.lines.len())
    }

    /// A label wrapped to `room` pixels in at most `max_lines` lines and drawn
    /// from `top`; returns the height drawn.
    pub fn label(
        &mut self,
        x: i32,
        top: i32,
        room: i32,
        text: &str,
        font: Font,
        max_lines: usize,
    ) -> i32 {
        let wrapped = font.wrap(text, room, max_lines);
        self.text(x, top, &wrapped, text, font, Anchor::Start)
    }

    /// A pill: a rounded box holding one line of text, cut to `room` pixels. Returns
    /// its width.
    pub fn pill(&mut self, x: i32, top: i32, room: i32, text: &str, font: Font, fill: &str) -> i32 {
        let wrapped = font.wrap(text, room - 12, 1);
        let inner = wrap::width(&wrapped.lines[0], f64::from(font.size), font.bold).ceil() as i32;
        let w = (inner + 12).min(room);
        self.rect((x, top, w, font.line_height() + 4), fill, None, 9);
        self.text(x + 6, top + 2, &wrapped, text, font, Anchor::Start);
        w
    }
}

/// The height of a pill in `font`.
pub(super) fn pill_height(font: Font) -> i32 {
    font.line_height() + 4
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The stylesheet's light theme: what comes before its dark one.
    pub(in crate::emit) fn light_theme() -> &'static str {
        let css = include_str!("../templates/style.css");
        &css[..css.find("@media (prefers-color-scheme: dark)").unwrap()]
    }

    /// The pictures' colours are the site's: each constant of [`colour`] is the
    /// light theme's value of its custom property.
    #[test]
    fn the_colours_are_the_stylesheets() {
        let css = include_str!("../templates/style.css");
        let light = light_theme();
        let value = |name: &str| {
            let at = light.find(&format!("--{name}:")).unwrap_or_else(|| panic!("--{name}"));
            light[at + name.len() + 3..].split(';').next().unwrap().trim().to_owned()
        };
        for (name, colour) in [
            ("paper", colour::PAPER),
            ("ink", colour::INK),
            ("muted", colour::MUTED),
            ("rule", colour::RULE),
            ("accent", colour::ACCENT),
            ("accent-soft", colour::ACCENT_SOFT),
            ("good", colour::GOOD),
            ("bad", colour::BAD),
            ("bad-soft", colour::BAD_SOFT),
            ("warn", colour::WARN),
            ("warn-soft", colour::WARN_SOFT),
            ("lane-evidence", colour::LANE_EVIDENCE),
            ("lane-customer", colour::LANE_CUSTOMER),
            ("lane-emotion", colour::LANE_EMOTION),
            ("lane-front", colour::LANE_FRONT),
            ("lane-back", colour::LANE_BACK),
            ("lane-support", colour::LANE_SUPPORT),
            ("lane-handoff", colour::LANE_HANDOFF),
        ] {
            assert_eq!(value(name), colour, "--{name}");
        }
        for (i, colour) in colour::TEAMS.iter().enumerate() {
            // The light rules come first; the dark ones are indented in their block.
            assert!(css.contains(&format!("\n.team-{i} {{ color: {colour}; }}")), ".team-{i}");
        }
    }

    #[test]
    fn a_document_is_standalone_and_escapes_its_title() {
        let mut svg = Svg::document(100, 50, "a <b> & \"c\"", "d");
        svg.label(0, 0, 100, "x < y", Font::new(13, false, colour::INK), 2);
        let text = svg.finish();
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(text.contains("<title id=\"title\">a &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert!(text.contains("<tspan x=\"0\">x &lt; y</tspan>"));
    }
}
