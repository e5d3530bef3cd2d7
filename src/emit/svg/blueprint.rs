//! A journey's service blueprint as a picture: what the site's journey page shows
//! (`emit::blueprint`'s layout, `templates/section.html`), drawn as SVG. Stages head
//! the columns; the lanes run from the physical evidence, the customer's actions
//! (the touchpoints) and their emotion, over the line of interaction to the
//! frontstage, over the line of visibility to the backstage, and over the line of
//! internal interaction to the support processes (with the systems and the
//! capabilities the column uses), and the hand-offs last.

use super::super::blueprint::{ActivityCard, Blueprint, Column};
use super::emotion::{COLUMN, HEIGHT, curve_y, plot};
use super::{Font, Svg, colour, columns, label_or_id, pill_height, px};
use crate::text::plural;
use std::fmt::Write as _;

/// The width of the lane labels, left of the columns: the site's (9.5rem).
pub const LANE: i32 = 152;
/// The margin right of the last column.
pub const MARGIN: i32 = 16;
/// The padding inside a cell and a card.
const PAD: i32 = 8;
/// The space between two blocks of a cell.
const GAP: i32 = 6;

const LANE_LABEL: Font = Font::new(12, true, colour::INK);
const STAGE: Font = Font::new(14, true, colour::INK);
const TITLE: Font = Font::new(13, true, colour::INK);
const BODY: Font = Font::new(12, true, colour::INK);
const SMALL: Font = Font::new(11, false, colour::MUTED);
const SMALL_INK: Font = Font::new(11, false, colour::INK);

/// Something drawn in a cell: a wrapped text, a pill, or a card holding blocks.
enum Block<'a> {
    Text { text: String, font: Font, lines: usize },
    Pill { text: &'a str, font: Font, fill: &'static str },
    Card { fill: &'static str, stroke: (&'static str, i32, bool), rows: Vec<Block<'a>> },
}

impl Block<'_> {
    fn text(text: impl Into<String>, font: Font, lines: usize) -> Self {
        Block::Text { text: text.into(), font, lines }
    }

    /// The height the block takes in `room` pixels of width.
    fn height(&self, room: i32) -> i32 {
        match self {
            Block::Text { text, font, lines } => {
                font.height(font.wrap(text, room, *lines).lines.len())
            }
            Block::Pill { font, .. } => pill_height(*font),
            Block::Card { rows, .. } => 2 * PAD + stack_height(rows, room - 2 * PAD),
        }
    }

    fn draw(&self, svg: &mut Svg, x: i32, y: i32, room: i32) -> i32 {
        match self {
            Block::Text { text, font, lines } => svg.label(x, y, room, text, *font, *lines),
            Block::Pill { text, font, fill } => {
                svg.pill(x, y, room, text, *font, fill);
                pill_height(*font)
            }
            Block::Card { fill, stroke, rows } => {
                let h = self.height(room);
                svg.rect((x, y, room, h), fill, Some(*stroke), 6);
                stack(svg, rows, x + PAD, y + PAD, room - 2 * PAD);
                h
            }
        }
    }
}

fn stack_height(blocks: &[Block<'_>], room: i32) -> i32 {
    let gaps = GAP * (px(blocks.len()) - 1).max(0);
    blocks.iter().map(|b| b.height(room)).sum::<i32>() + gaps
}

fn stack(svg: &mut Svg, blocks: &[Block<'_>], x: i32, mut y: i32, room: i32) {
    for b in blocks {
        y += b.draw(svg, x, y, room) + GAP;
    }
}

/// The height of the band of stage headers.
pub(super) fn stage_band_height(bp: &Blueprint<'_>) -> i32 {
    bp.stages
        .iter()
        .map(|s| stage_blocks(s, px(s.span)))
        .map(|(b, room)| stack_height(&b, room))
        .max()
        .unwrap_or(0)
        + 2 * PAD
}

fn stage_blocks<'a>(s: &super::super::blueprint::Stage<'a>, span: i32) -> (Vec<Block<'a>>, i32) {
    let mut blocks = vec![Block::text(s.label, STAGE, 3)];
    if !s.maps_to.is_empty() {
        blocks.push(Block::text(format!("maps to {}", s.maps_to.join(", ")), SMALL, 2));
    }
    (blocks, span * COLUMN - 4 - 2 * PAD)
}

/// Draws the stage headers from `(x, top)`, each as wide as its columns.
pub(super) fn stage_band(svg: &mut Svg, bp: &Blueprint<'_>, x: i32, top: i32) {
    let h = stage_band_height(bp);
    let mut at = x;
    for s in &bp.stages {
        let span = px(s.span);
        let (blocks, room) = stage_blocks(s, span);
        svg.rect(
            (at + 2, top, span * COLUMN - 4, h),
            colour::PAPER,
            Some((colour::RULE, 1, false)),
            6,
        );
        stack(svg, &blocks, at + 2 + PAD, top + PAD, room);
        at += span * COLUMN;
    }
}

/// A lane: its name, its colour and what each column shows in it.
struct Lane<'a> {
    name: &'static str,
    fill: &'static str,
    cells: Vec<Vec<Block<'a>>>,
    /// Whether a gap's cell is tinted in this lane.
    gaps: bool,
}

/// The height of a line between lanes: room for its name on two lines.
const LINE: i32 = 34;
/// The height of the emotion lane.
const EMOTION: i32 = HEIGHT + 2 * PAD;

/// The service blueprint of a journey as a picture.
pub fn picture(bp: &Blueprint<'_>, journey: &str) -> String {
    let width = LANE.saturating_add(columns(bp.columns.len().max(1), COLUMN)) + MARGIN;
    let room = COLUMN - 2 * PAD;
    let head = format!("Service blueprint: {journey}");
    let title_font = Font::new(18, true, colour::INK);
    let title = title_font.wrap(&head, width - 32, 2);
    let touchpoints = bp.columns.iter().filter(|c| c.touchpoint.is_some()).count();
    let gaps = bp.columns.iter().filter(|c| c.is_gap()).count();
    let moments = bp
        .columns
        .iter()
        .filter(|c| c.touchpoint.as_ref().is_some_and(|t| t.moment_of_truth))
        .count();
    let handoffs = bp.columns.iter().filter(|c| !c.handoff.is_empty()).count();
    let summary = format!(
        "{} · {} · {} · {} · {}",
        plural(bp.stages.len(), "stage", "stages"),
        plural(touchpoints, "touchpoint", "touchpoints"),
        plural(gaps, "gap", "gaps"),
        plural(moments, "moment of truth", "moments of truth"),
        plural(handoffs, "hand-off", "hand-offs"),
    );

    let lanes = [
        Lane {
            name: "Physical evidence",
            fill: colour::LANE_EVIDENCE,
            cells: bp.columns.iter().map(evidence).collect(),
            gaps: false,
        },
        Lane {
            name: "Customer actions",
            fill: colour::LANE_CUSTOMER,
            cells: bp.columns.iter().map(touchpoint).collect(),
            gaps: false,
        },
    ];
    let below = [
        (
            "Line of interaction",
            Lane {
                name: "Frontstage",
                fill: colour::LANE_FRONT,
                cells: bp.columns.iter().map(frontstage).collect(),
                gaps: true,
            },
        ),
        (
            "Line of visibility",
            Lane {
                name: "Backstage",
                fill: colour::LANE_BACK,
                cells: bp.columns.iter().map(|c| activities(&c.backstage)).collect(),
                gaps: true,
            },
        ),
        (
            "Line of internal interaction",
            Lane {
                name: "Support processes",
                fill: colour::LANE_SUPPORT,
                cells: bp.columns.iter().map(support).collect(),
                gaps: true,
            },
        ),
    ];
    let handoff_lane = Lane {
        name: "Hand-offs",
        fill: colour::LANE_HANDOFF,
        cells: bp.columns.iter().map(handoff).collect(),
        gaps: false,
    };

    let lane_height = |lane: &Lane<'_>| {
        let content = lane.cells.iter().map(|c| stack_height(c, room)).max().unwrap_or(0);
        let name = LANE_LABEL.height(LANE_LABEL.wrap(lane.name, LANE - 24, 3).lines.len());
        content.max(name).max(20) + 2 * PAD
    };
    let top = 16 + title_font.height(title.lines.len()) + 4 + SMALL.height(1) + 12;
    let band = stage_band_height(bp);
    let mut height = top + band + 4;
    height += lanes.iter().map(|l| lane_height(l) + 4).sum::<i32>() + EMOTION + 4;
    height += below.iter().map(|(_, l)| LINE + lane_height(l) + 4).sum::<i32>();
    height += lane_height(&handoff_lane) + 4 + 12;

    let activities_count: usize =
        bp.columns.iter().map(|c| c.frontstage.len() + c.backstage.len() + c.support.len()).sum();
    let desc = format!(
        "The service blueprint of the journey {journey}: {summary}. Each column is a touchpoint under its stage, \
         with the customer's emotion from −3 to +3; below the line of interaction, the {} that serve the touchpoints \
         (frontstage, backstage and support) with their owning teams, the systems and the capabilities they use.",
        plural(activities_count, "activity", "activities"),
    );
    let mut svg = Svg::document(width, height, &head, &desc);
    svg.text(16, 16, &title, &head, title_font, super::Anchor::Start);
    svg.label(16, 16 + title_font.height(title.lines.len()) + 4, width - 32, &summary, SMALL, 1);
    svg.label(16, top + PAD, LANE - 24, "Stage", LANE_LABEL, 1);
    if bp.columns.is_empty() {
        svg.label(LANE + PAD, top + PAD, 2 * COLUMN, "This journey has no stages.", SMALL, 1);
    }
    stage_band(&mut svg, bp, LANE, top);
    let mut y = top + band + 4;
    let columns_of = |svg: &mut Svg, lane: &Lane<'_>, y: i32| -> i32 {
        let h = lane_height(lane);
        svg.rect((4, y, width - 8, h), lane.fill, None, 4);
        svg.label(16, y + PAD, LANE - 24, lane.name, LANE_LABEL, 3);
        for (i, (cell, column)) in lane.cells.iter().zip(&bp.columns).enumerate() {
            let x = LANE.saturating_add(columns(i, COLUMN));
            if lane.gaps && column.is_gap() {
                svg.rect(
                    (x + 2, y, COLUMN - 4, h),
                    colour::BAD_SOFT,
                    Some((colour::BAD, 1, true)),
                    4,
                );
            }
            stack(svg, cell, x + PAD, y + PAD, room);
        }
        h + 4
    };
    for lane in &lanes {
        y += columns_of(&mut svg, lane, y);
    }
    // The emotion lane: the site's curve, with its scale.
    svg.rect((4, y, width - 8, EMOTION), colour::LANE_EMOTION, None, 4);
    svg.label(16, y + PAD, LANE - 60, "Emotion", LANE_LABEL, 1);
    svg.label(16, y + PAD + LANE_LABEL.line_height(), LANE - 60, "−3 to +3", SMALL, 1);
    for (e, text) in [(3, "+3"), (0, "0"), (-3, "−3")] {
        let wrapped = SMALL.wrap(text, 30, 1);
        svg.text(LANE - 8, y + PAD + curve_y(e) - 8, &wrapped, text, SMALL, super::Anchor::End);
    }
    if !bp.columns.is_empty() {
        svg.rect((LANE, y + PAD, bp.emotion.width, HEIGHT), colour::PAPER, None, 0);
        plot(&mut svg, bp, LANE, y + PAD);
    }
    if bp.emotion.points.is_empty() {
        svg.label(LANE + PAD, y + PAD + 4, 2 * COLUMN, "No emotions recorded.", SMALL, 1);
    }
    y += EMOTION + 4;
    for (line, lane) in &below {
        svg.label(16, y + 3, LANE - 24, line, Font::new(11, true, colour::MUTED), 2);
        svg.line(
            (LANE, y + LINE / 2),
            (width - MARGIN, y + LINE / 2),
            colour::MUTED,
            1,
            Some("6 4"),
        );
        y += LINE;
        y += columns_of(&mut svg, lane, y);
    }
    columns_of(&mut svg, &handoff_lane, y);
    svg.finish()
}

fn evidence<'a>(c: &Column<'a>) -> Vec<Block<'a>> {
    c.touchpoint.as_ref().map_or_else(Vec::new, |t| {
        t.evidence.iter().map(|e| Block::text(e.as_str(), SMALL_INK, 4)).collect()
    })
}

fn touchpoint<'a>(c: &Column<'a>) -> Vec<Block<'a>> {
    let Some(t) = c.touchpoint.as_ref() else {
        return vec![Block::text("No touchpoints", SMALL, 1)];
    };
    let mut rows = vec![Block::text(label_or_id(t.label, t.path), TITLE, 4)];
    let mut meta = Vec::new();
    if let Some(ch) = t.channel {
        meta.push(ch.to_owned());
    }
    if let Some(e) = t.emotion_text() {
        meta.push(format!("emotion {e}"));
    }
    if let Some(r) = &t.reach {
        meta.push(format!("{r} of volume"));
    }
    if !meta.is_empty() {
        rows.push(Block::text(meta.join(" · "), SMALL, 2));
    }
    if t.moment_of_truth {
        rows.push(Block::Pill {
            text: "Moment of truth",
            font: Font::new(11, true, colour::WARN),
            fill: colour::WARN_SOFT,
        });
    }
    if t.gap {
        rows.push(Block::Pill {
            text: "Gap: nothing serves this",
            font: Font::new(11, true, colour::BAD),
            fill: colour::BAD_SOFT,
        });
    }
    for p in t.pains {
        rows.push(Block::text(format!("Pain: {p}"), Font::new(11, false, colour::BAD), 3));
    }
    for f in t.failures {
        rows.push(Block::text(
            format!("Failure point: {f}"),
            Font::new(11, false, colour::WARN),
            3,
        ));
    }
    for k in &t.kpis {
        let mut text = format!("KPI: {}", k.label);
        if let Some(x) = k.target {
            let _ = write!(text, " · target {x}");
        }
        if let Some(x) = &k.current {
            let _ = write!(text, " · now {x}");
        }
        rows.push(Block::text(text, SMALL_INK, 3));
    }
    if t.opportunities > 0 {
        rows.push(Block::text(plural(t.opportunities, "opportunity", "opportunities"), SMALL, 1));
    }
    let stroke = if t.gap {
        (colour::BAD, 2, true)
    } else if t.moment_of_truth {
        (colour::WARN, 2, false)
    } else {
        (colour::RULE, 1, false)
    };
    vec![Block::Card { fill: colour::PAPER, stroke, rows }]
}

fn activity<'a>(a: &ActivityCard<'a>) -> Block<'a> {
    let mut rows = vec![Block::text(label_or_id(a.label, a.path), BODY, 3)];
    if let Some(team) = a.team {
        let hue = colour::TEAMS[team.hue % colour::TEAMS.len()];
        rows.push(Block::Pill {
            text: team.label,
            font: Font::new(11, true, hue),
            fill: colour::LANE_SUPPORT,
        });
    }
    let mut times = Vec::new();
    if let Some(p) = &a.process {
        times.push(format!("process {p}"));
    }
    if let Some(w) = &a.wait {
        times.push(format!("wait {w}"));
    }
    if !times.is_empty() {
        rows.push(Block::text(times.join(" · "), SMALL, 1));
    }
    for f in a.failures {
        rows.push(Block::text(
            format!("Failure point: {f}"),
            Font::new(11, false, colour::WARN),
            3,
        ));
    }
    if a.enabling {
        rows.push(Block::Pill {
            text: "enabling",
            font: Font::new(11, true, colour::ACCENT),
            fill: colour::ACCENT_SOFT,
        });
    }
    if a.misaligned {
        rows.push(Block::Pill {
            text: "outside the mapped stages",
            font: Font::new(11, true, colour::WARN),
            fill: colour::WARN_SOFT,
        });
    }
    Block::Card { fill: colour::PAPER, stroke: (colour::RULE, 1, false), rows }
}

fn activities<'a>(list: &[ActivityCard<'a>]) -> Vec<Block<'a>> {
    list.iter().map(activity).collect()
}

fn frontstage<'a>(c: &Column<'a>) -> Vec<Block<'a>> {
    let mut blocks = activities(&c.frontstage);
    if c.is_gap() {
        blocks.push(Block::text(
            "No activity serves this touchpoint",
            Font::new(11, true, colour::BAD),
            2,
        ));
    }
    blocks
}

fn support<'a>(c: &Column<'a>) -> Vec<Block<'a>> {
    let mut blocks = activities(&c.support);
    if !c.systems.is_empty() {
        blocks.push(Block::text(format!("Systems: {}", c.systems.join(", ")), SMALL_INK, 4));
    }
    if !c.capabilities.is_empty() {
        blocks.push(Block::text("Capabilities, as-is utilisation:", SMALL, 1));
        for cap in &c.capabilities {
            let text = match &cap.utilisation {
                Some(u) => format!("{} {u}", cap.label),
                None => format!("{} (no capacity given)", cap.label),
            };
            blocks.push(Block::Card {
                fill: cap.heat.fill(),
                stroke: (colour::RULE, 1, false),
                rows: vec![Block::text(text, Font::new(11, true, cap.heat.ink()), 2)],
            });
        }
    }
    blocks
}

fn handoff<'a>(c: &Column<'a>) -> Vec<Block<'a>> {
    if c.handoff.is_empty() {
        return Vec::new();
    }
    let teams: Vec<&str> = c.handoff.iter().map(|t| t.label).collect();
    vec![Block::text(teams.join(" → "), Font::new(11, true, colour::INK), 4)]
}
