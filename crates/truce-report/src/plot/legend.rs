//! Legends: one entry per kind of mark, each with its swatch drawn as the mark is (a line, a dashed
//! line, a band, a dot, a marker), laid out in rows that wrap at the given width.

use super::canvas::{Anchor, Canvas, Rect, Stroke, Text, text_width};

/// What a legend entry's swatch looks like.
#[derive(Clone, Debug)]
pub(crate) enum Swatch {
    Line(String),
    Dashed(String),
    Band(String, f64),
    Marker(char, String),
    Ring(String),
    None,
}

/// A legend entry: a swatch and what it means.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub swatch: Swatch,
    pub text: String,
}

impl Entry {
    pub(crate) fn line(text: impl Into<String>, colour: &str) -> Self {
        Self { swatch: Swatch::Line(colour.into()), text: text.into() }
    }
    pub(crate) fn dashed(text: impl Into<String>, colour: &str) -> Self {
        Self { swatch: Swatch::Dashed(colour.into()), text: text.into() }
    }
    pub(crate) fn band(text: impl Into<String>, colour: &str) -> Self {
        Self { swatch: Swatch::Band(colour.into(), 0.8), text: text.into() }
    }
    pub(crate) fn faint_band(text: impl Into<String>, colour: &str) -> Self {
        Self { swatch: Swatch::Band(colour.into(), 0.28), text: text.into() }
    }
    pub(crate) fn marker(text: impl Into<String>, shape: char, colour: &str) -> Self {
        Self { swatch: Swatch::Marker(shape, colour.into()), text: text.into() }
    }
    pub(crate) fn ring(text: impl Into<String>, colour: &str) -> Self {
        Self { swatch: Swatch::Ring(colour.into()), text: text.into() }
    }
    pub(crate) fn text_only(text: impl Into<String>) -> Self {
        Self { swatch: Swatch::None, text: text.into() }
    }
}

const SIZE: f64 = 11.5;
const ROW: f64 = 18.0;
const SWATCH: f64 = 22.0;

/// Draws the entries from `(x, y)` (the top of the first row), wrapping at `width`; returns the
/// bottom of the last row.
pub(crate) fn draw(c: &mut Canvas, x: f64, y: f64, width: f64, entries: &[Entry]) -> f64 {
    let (mut cx, mut cy) = (x, y);
    for e in entries {
        let swatch = if matches!(e.swatch, Swatch::None) { 0.0 } else { SWATCH + 5.0 };
        let w = swatch + text_width(&e.text, SIZE, false);
        if cx > x && cx + w > x + width {
            cx = x;
            cy += ROW;
        }
        let mid = cy + ROW / 2.0;
        match &e.swatch {
            Swatch::Line(colour) => c.line((cx, mid), (cx + SWATCH, mid), Stroke::solid(colour, 2.0)),
            Swatch::Dashed(colour) => c.line((cx, mid), (cx + SWATCH, mid), Stroke::dashed(colour, 1.5)),
            Swatch::Band(colour, opacity) => {
                c.rect(Rect::new(cx, mid - 5.0, cx + SWATCH, mid + 5.0), colour, *opacity, None, "");
            }
            Swatch::Marker(shape, colour) => c.marker(*shape, (cx + SWATCH / 2.0, mid), 5.0, colour, ""),
            Swatch::Ring(colour) => {
                c.circle((cx + SWATCH / 2.0, mid), 6.0, "none", Some(Stroke::solid(colour, 2.0)), "");
            }
            Swatch::None => {}
        }
        c.text(cx + swatch, mid + 4.0, &e.text, Text::plain(SIZE).anchor(Anchor::Start).colour("#333"));
        cx += w + 18.0;
    }
    cy + ROW
}
