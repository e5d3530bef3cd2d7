//! The capability map as a picture: what the site's capability map shows
//! (`emit::capmap`'s tiles), drawn as SVG. Each capability is a tile coloured by
//! its utilisation, holding the capabilities below it; each tile names its load,
//! with its period, and its utilisation and capacity when it has one. With a future
//! state, the as-is and the to-be stand side by side.

use super::super::Input;
use super::super::capmap::{Tile, TileMap, tile_maps};
use super::super::heat::Heat;
use super::super::rows::capability_tree;
use super::{Font, Svg, colour, columns, px};

/// A scenario's panel's width.
const PANEL: i32 = 560;
/// The space between panels, and between tiles.
const GAP: i32 = 8;
/// The padding inside a tile.
const PAD: i32 = 8;
/// The narrowest a tile is laid out beside another: narrower, children stack.
const MIN_TILE: i32 = 170;
/// The narrowest a tile ever gets, however deep the tree.
const NARROWEST: i32 = 90;

const HEADING: Font = Font::new(15, true, colour::INK);

/// A tile and the tiles below it.
struct Node {
    tile: usize,
    children: Vec<Node>,
}

/// The tiles of a map as a tree, from their depths in tree order.
fn tree(tiles: &[Tile<'_>]) -> Vec<Node> {
    fn take(tiles: &[Tile<'_>], at: &mut usize, depth: usize) -> Vec<Node> {
        let mut nodes = Vec::new();
        while *at < tiles.len() && tiles[*at].depth == depth {
            let tile = *at;
            *at += 1;
            let children = if tiles.get(*at).is_some_and(|t| t.depth > depth) {
                take(tiles, at, depth + 1)
            } else {
                Vec::new()
            };
            nodes.push(Node { tile, children });
        }
        nodes
    }
    let mut at = 0;
    let mut roots = Vec::new();
    // Depths only ever step down by one, so this takes every tile; the loop guards
    // against a sequence that does not start at depth 0.
    while at < tiles.len() {
        let depth = tiles[at].depth;
        let before = at;
        roots.extend(take(tiles, &mut at, depth));
        if at == before {
            at += 1;
        }
    }
    roots
}

/// A tile's name and its figures, in the tile's ink.
fn texts(t: &Tile<'_>) -> (String, String) {
    let name = match t.level {
        Some(l) => format!("{} (L{l})", t.label),
        None => t.label.to_owned(),
    };
    let load = format!("{} per {}", t.load, t.per);
    let figures = match (&t.utilisation, &t.capacity) {
        (Some(u), Some(c)) => format!("{u} of capacity · load {load} of {c} per {}", t.per),
        _ => format!("load {load} · no capacity given"),
    };
    (name, figures)
}

fn fonts(heat: Heat) -> (Font, Font) {
    (Font::new(13, true, heat.ink()), Font::new(11, false, heat.ink()))
}

/// The height of a tile's own texts in `room` pixels.
fn head_height(t: &Tile<'_>, room: i32) -> i32 {
    let (name, figures) = texts(t);
    let (bold, small) = fonts(t.heat);
    bold.height(bold.wrap(&name, room, 3).lines.len())
        + 2
        + small.height(small.wrap(&figures, room, 3).lines.len())
}

/// How children are set out in `room` pixels: how many per row, and how wide.
fn grid(count: usize, room: i32) -> (usize, i32) {
    let fit = usize::try_from((room + GAP) / (MIN_TILE + GAP)).unwrap_or(1).max(1);
    let per_row = fit.min(count.max(1));
    let w = ((room - GAP * (px(per_row) - 1)) / px(per_row)).max(NARROWEST);
    (per_row, w)
}

fn height(node: &Node, tiles: &[Tile<'_>], w: i32) -> i32 {
    let room = w - 2 * PAD;
    let mut h = PAD + head_height(&tiles[node.tile], room) + PAD;
    if !node.children.is_empty() {
        h += rows_height(&node.children, tiles, room) + PAD;
    }
    h
}

fn rows_height(nodes: &[Node], tiles: &[Tile<'_>], room: i32) -> i32 {
    let (per_row, w) = grid(nodes.len(), room);
    let rows: Vec<i32> = nodes
        .chunks(per_row)
        .map(|row| row.iter().map(|n| height(n, tiles, w)).max().unwrap_or(0))
        .collect();
    rows.iter().sum::<i32>() + GAP * (px(rows.len()) - 1).max(0)
}

fn draw(
    svg: &mut Svg,
    node: &Node,
    tiles: &[Tile<'_>],
    (x, y): (i32, i32),
    (width, height): (i32, i32),
) {
    let tile = &tiles[node.tile];
    let (name, figures) = texts(tile);
    let (bold, small) = fonts(tile.heat);
    let stroke = if tile.depth == 0 { colour::MUTED } else { colour::RULE };
    svg.rect((x, y, width, height), tile.heat.fill(), Some((stroke, 1, false)), 6);
    let room = width - 2 * PAD;
    let mut at = y + PAD;
    at += svg.label(x + PAD, at, room, &name, bold, 3) + 2;
    at += svg.label(x + PAD, at, room, &figures, small, 3) + PAD;
    draw_rows(svg, &node.children, tiles, x + PAD, at, room);
}

fn draw_rows(svg: &mut Svg, nodes: &[Node], tiles: &[Tile<'_>], x: i32, mut y: i32, room: i32) {
    let (per_row, w) = grid(nodes.len(), room);
    for row in nodes.chunks(per_row) {
        let h = row.iter().map(|n| height(n, tiles, w)).max().unwrap_or(0);
        for (i, n) in row.iter().enumerate() {
            draw(svg, n, tiles, (x + columns(i, w + GAP), y), (w, h));
        }
        y += h + GAP;
    }
}

/// The capability map as a picture.
pub fn picture(input: Input<'_>) -> String {
    let model = &input.analysis.model;
    let order = capability_tree(model);
    let maps: Vec<TileMap<'_>> = tile_maps(model, &order, &input.analysis.figures);
    let trees: Vec<Vec<Node>> = maps.iter().map(|m| tree(&m.tiles)).collect();
    let panels = px(maps.len());
    let width = 16 + panels * PANEL + (panels - 1) * 3 * GAP + 16;
    let title_font = Font::new(18, true, colour::INK);
    let note = Font::new(12, false, colour::MUTED);
    let side = if maps.len() > 1 {
        ": the current state (as-is) and the future state (to-be) side by side"
    } else {
        ""
    };
    let explain = format!(
        "Each capability is a tile holding the capabilities below it, coloured by its utilisation (load ÷ capacity){side}. \
         Loads count every journey's touchpoints that reach the capability, per the period of its capacity."
    );
    let explained = note.wrap(&explain, width - 32, 4);
    let top = 16 + title_font.line_height() + 4 + note.height(explained.lines.len()) + 12;
    let tiles_top = top + HEADING.line_height() + 8;
    let heights: Vec<i32> = maps
        .iter()
        .zip(&trees)
        .map(|(m, roots)| {
            // Each capability without a parent is a row of its own, as on the page.
            roots.iter().map(|n| height(n, &m.tiles, PANEL) + GAP).sum::<i32>()
        })
        .collect();
    let legend_top = tiles_top + heights.iter().copied().max().unwrap_or(0) + 8;
    let per_row = usize::try_from(((width - 110 - 16) / 190).clamp(1, 6)).unwrap_or(1);
    let legend_rows = px(Heat::ALL.len().div_ceil(per_row));
    let full_height = legend_top + legend_rows * 26 + 16;

    let total = model.capabilities.len();
    let over = |m: &TileMap<'_>| {
        m.tiles.iter().filter(|t| matches!(t.heat, Heat::Over | Heat::Critical)).count()
    };
    let summary: Vec<String> =
        maps.iter().map(|m| format!("{} over capacity in the {}", over(m), m.scenario)).collect();
    let desc = format!(
        "The capability map: {} as nested tiles coloured by utilisation; {}.",
        crate::text::plural(total, "capability", "capabilities"),
        summary.join(", ")
    );
    let mut svg = Svg::document(width, full_height, "Capability map", &desc);
    svg.label(16, 16, width - 32, "Capability map", title_font, 1);
    svg.text(
        16,
        16 + title_font.line_height() + 4,
        &explained,
        &explain,
        note,
        super::Anchor::Start,
    );
    for (i, (m, roots)) in maps.iter().zip(&trees).enumerate() {
        let x = 16 + columns(i, PANEL + 3 * GAP);
        let heading = if m.scenario == "as-is" {
            "As-is: the current state"
        } else {
            "To-be: the future state"
        };
        svg.label(x, top, PANEL, heading, HEADING, 1);
        if roots.is_empty() {
            svg.label(x, tiles_top, PANEL, "The workspace declares no capabilities.", note, 1);
        }
        let mut y = tiles_top;
        for n in roots {
            let h = height(n, &m.tiles, PANEL);
            draw(&mut svg, n, &m.tiles, (x, y), (PANEL, h));
            y += h + GAP;
        }
    }
    // The legend: the colours and what they mean, as many to a row as fit.
    let small = Font::new(11, false, colour::INK);
    svg.label(16, legend_top, 120, "Utilisation:", Font::new(11, true, colour::INK), 1);
    for (i, heat) in Heat::ALL.iter().enumerate() {
        let (row, col) = (px(i / per_row), px(i % per_row));
        let x = 110 + col * 190;
        let y = legend_top + row * 26;
        svg.rect((x, y, 18, 16), heat.fill(), Some((colour::RULE, 1, false)), 3);
        svg.label(x + 24, y + 1, 160, heat.words(), small, 1);
    }
    svg.finish()
}
