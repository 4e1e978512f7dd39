//! A small SVG writer that knows how wide its text is: every text it writes is kept as a box, so
//! that labels can be placed where no other text is ([`super::labels`]), and a test can check that
//! no two texts of a plot overlap.

use std::fmt::Write as _;

/// The fonts plots ask for, widest first: widths are measured in DejaVu Sans (the first choice and
/// Debian's default sans-serif), so that a narrower fallback only leaves more room.
pub(crate) const FONT: &str = "'DejaVu Sans', Verdana, Arial, sans-serif";

/// Advance widths of DejaVu Sans for the printable ASCII characters (32 to 126), in thousandths of
/// an em, measured in Chromium (`measureText` on a 1000px canvas font).
const WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295,
    295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
    500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
    392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The same for DejaVu Sans Bold.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372,
    372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838,
    500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595,
    478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// Ascent and descent of DejaVu Sans, in ems: a text's box runs from `baseline - ASCENT * size` to
/// `baseline + DESCENT * size`.
const ASCENT: f64 = 0.93;
const DESCENT: f64 = 0.24;

/// The width in pixels of `text` at `size` pixels (a character outside ASCII counts as one em, wider
/// than any DejaVu Sans letter but a few symbols).
#[must_use]
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &WIDTHS };
    let thousandths: u32 = text
        .chars()
        .map(|c| {
            let k = u32::from(c);
            if (32..127).contains(&k) { u32::from(table[(k - 32) as usize]) } else { 1000 }
        })
        .sum();
    f64::from(thousandths) * size / 1000.0
}

/// An axis-aligned box, `x0 <= x1`, `y0 <= y1` (SVG coordinates: y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub(crate) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        Self { x0: x0.min(x1), y0: y0.min(y1), x1: x0.max(x1), y1: y0.max(y1) }
    }

    /// Whether the two boxes share any area (touching edges do not count).
    pub(crate) fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// Whether `other` lies wholly inside this box.
    pub(crate) fn contains(&self, other: &Rect) -> bool {
        other.x0 >= self.x0 && other.x1 <= self.x1 && other.y0 >= self.y0 && other.y1 <= self.y1
    }

    /// The box grown by `d` on every side.
    pub(crate) fn grow(&self, d: f64) -> Rect {
        Rect::new(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)
    }
}

/// Where a text's `x` is: its start, middle or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The box a text occupies when written at `(x, y)` (its baseline) with `anchor`.
#[must_use]
pub(crate) fn text_box(text: &str, x: f64, y: f64, size: f64, anchor: Anchor, bold: bool) -> Rect {
    let w = text_width(text, size, bold);
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Rect::new(x0, y - ASCENT * size, x0 + w, y + DESCENT * size)
}

/// Escapes text for SVG and HTML.
#[must_use]
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number for an SVG attribute: two decimals at most, no `-0`.
fn n(x: f64) -> String {
    let s = format!("{:.2}", if x.is_finite() { x } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    if s == "-0" { "0".into() } else { s }
}

/// A stroke: colour, width and an optional dash pattern.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stroke<'a> {
    pub colour: &'a str,
    pub width: f64,
    pub dash: Option<&'a str>,
    pub opacity: f64,
}

impl<'a> Stroke<'a> {
    pub(crate) fn solid(colour: &'a str, width: f64) -> Self {
        Self { colour, width, dash: None, opacity: 1.0 }
    }

    pub(crate) fn dashed(colour: &'a str, width: f64) -> Self {
        Self { colour, width, dash: Some("6 4"), opacity: 1.0 }
    }

    pub(crate) fn faint(self, opacity: f64) -> Self {
        Self { opacity, ..self }
    }

    fn attributes(&self) -> String {
        let mut s = format!(r#"stroke="{}" stroke-width="{}""#, self.colour, n(self.width));
        if let Some(d) = self.dash {
            let _ = write!(s, r#" stroke-dasharray="{d}""#);
        }
        if self.opacity < 1.0 {
            let _ = write!(s, r#" stroke-opacity="{}""#, n(self.opacity));
        }
        s
    }
}

/// An SVG document being written.
pub(crate) struct Canvas {
    pub width: f64,
    pub height: f64,
    body: String,
}

impl Canvas {
    pub(crate) fn new(width: f64, height: f64) -> Self {
        Self { width, height, body: String::new() }
    }

    pub(crate) fn raw(&mut self, s: &str) {
        self.body.push_str(s);
        self.body.push('\n');
    }

    pub(crate) fn line(&mut self, a: (f64, f64), b: (f64, f64), stroke: Stroke<'_>) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1),
            stroke.attributes()
        );
    }

    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke<'_>, class: &str) {
        if points.len() < 2 {
            return;
        }
        let list: Vec<String> = points.iter().map(|&(x, y)| format!("{},{}", n(x), n(y))).collect();
        let _ = writeln!(
            self.body,
            r#"<polyline class="{class}" fill="none" {} points="{}"/>"#,
            stroke.attributes(),
            list.join(" ")
        );
    }

    /// A circle; `fill` may be `none`.
    pub(crate) fn circle(
        &mut self,
        c: (f64, f64),
        r: f64,
        fill: &str,
        stroke: Option<Stroke<'_>>,
        title: &str,
    ) {
        let stroke = stroke.map(|s| format!(" {}", s.attributes())).unwrap_or_default();
        let _ = write!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"{stroke}"#,
            n(c.0),
            n(c.1),
            n(r)
        );
        self.close(title);
    }

    pub(crate) fn rect(
        &mut self,
        r: Rect,
        fill: &str,
        opacity: f64,
        stroke: Option<Stroke<'_>>,
        title: &str,
    ) {
        let stroke = stroke.map(|s| format!(" {}", s.attributes())).unwrap_or_default();
        let op = if opacity < 1.0 { format!(r#" fill-opacity="{}""#, n(opacity)) } else { String::new() };
        let _ = write!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{op}{stroke}"#,
            n(r.x0),
            n(r.y0),
            n(r.x1 - r.x0),
            n(r.y1 - r.y0)
        );
        self.close(title);
    }

    /// A marker centred on `c`: `"x"` a cross, `"^"` a triangle, `"d"` a diamond, `"s"` a square.
    pub(crate) fn marker(&mut self, shape: char, c: (f64, f64), r: f64, colour: &str, title: &str) {
        let (x, y) = c;
        match shape {
            'x' => {
                let _ = write!(
                    self.body,
                    r#"<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{colour}" stroke-width="2" fill="none""#,
                    n(x - r),
                    n(y - r),
                    n(x + r),
                    n(y + r),
                    n(x - r),
                    n(y + r),
                    n(x + r),
                    n(y - r)
                );
                self.close(title);
            }
            '^' | 'v' | 'd' => {
                let pts: Vec<(f64, f64)> = match shape {
                    '^' => vec![(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)],
                    'v' => vec![(x, y + r), (x + r, y - r * 0.8), (x - r, y - r * 0.8)],
                    _ => vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
                };
                let list: Vec<String> = pts.iter().map(|&(a, b)| format!("{},{}", n(a), n(b))).collect();
                let _ = write!(
                    self.body,
                    r#"<polygon points="{}" fill="{colour}" stroke="white" stroke-width="0.8""#,
                    list.join(" ")
                );
                self.close(title);
            }
            's' => self.rect(Rect::new(x - r, y - r, x + r, y + r), colour, 1.0, None, title),
            _ => self.circle(c, r, colour, None, title),
        }
    }

    fn close(&mut self, title: &str) {
        if title.is_empty() {
            self.body.push_str("/>\n");
        } else {
            let _ = writeln!(self.body, "><title>{}</title></{}>", esc(title), self.last_tag());
        }
    }

    fn last_tag(&self) -> &'static str {
        let start = self.body.rfind('<').unwrap_or(0);
        let tag = &self.body[start + 1..];
        ["circle", "rect", "path", "polygon"].into_iter().find(|t| tag.starts_with(t)).unwrap_or("g")
    }

    /// Writes a text with its baseline at `y`, and keeps its box.
    pub(crate) fn text(&mut self, x: f64, y: f64, text: &str, style: Text<'_>) -> Rect {
        let b = text_box(text, x, y, style.size, style.anchor, style.bold);
        let mut weight = if style.bold { r#" font-weight="bold""# } else { "" }.to_owned();
        if style.halo {
            weight
                .push_str(r#" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke""#);
        }
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{weight}>{}</text>"#,
            n(x),
            n(y),
            n(style.size),
            style.anchor.as_str(),
            style.colour,
            esc(text)
        );
        b
    }

    /// A text turned a quarter to the left (a vertical axis' title), centred on `(x, y)`.
    pub(crate) fn vertical_text(&mut self, x: f64, y: f64, text: &str, size: f64) {
        let w = text_width(text, size, false);
        let _ = writeln!(
            self.body,
            r##"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#333" transform="rotate(-90 {} {})">{}</text>"##,
            n(x),
            n(y),
            n(size),
            n(x),
            n(y),
            esc(text)
        );
        let _ = w;
    }

    /// The finished SVG, with `title` for screen readers and `class` on the root element.
    pub(crate) fn finish(self, title: &str, class: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\" role=\"img\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            esc(title),
            self.body,
            w = n(self.width),
            h = n(self.height),
        )
    }
}

/// How a text is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Text<'a> {
    pub size: f64,
    pub anchor: Anchor,
    pub colour: &'a str,
    pub bold: bool,
    /// A white outline behind the letters, for labels drawn over marks.
    pub halo: bool,
}

impl Text<'_> {
    pub(crate) const fn plain(size: f64) -> Text<'static> {
        Text { size, anchor: Anchor::Start, colour: "#222", bold: false, halo: false }
    }
}

impl<'a> Text<'a> {
    pub(crate) fn anchor(self, anchor: Anchor) -> Self {
        Self { anchor, ..self }
    }
    pub(crate) fn colour(self, colour: &'a str) -> Text<'a> {
        Text { colour, ..self }
    }
    pub(crate) fn bold(self) -> Self {
        Self { bold: true, ..self }
    }
    pub(crate) fn halo(self) -> Self {
        Self { halo: true, ..self }
    }
}

/// Ticks for a range: round steps (1, 2 or 5 times a power of ten) with at most `most` of them.
#[must_use]
pub(crate) fn ticks(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    #[allow(clippy::cast_precision_loss)]
    let raw = span / most.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(power * 10.0);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + 1e-9 {
        out.push(if t.abs() < 1e-12 { 0.0 } else { t });
        t += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_up_per_character() {
        assert!((text_width("ii", 10.0, false) - 5.56).abs() < 1e-9);
        assert!(text_width("W", 12.0, true) > text_width("W", 12.0, false));
        assert!((text_width("é", 10.0, false) - 10.0).abs() < 1e-9, "outside ASCII: one em");
    }

    #[test]
    fn boxes_follow_the_anchor() {
        let a = text_box("abc", 100.0, 50.0, 10.0, Anchor::End, false);
        assert!((a.x1 - 100.0).abs() < 1e-9 && a.y0 < 50.0 && a.y1 > 50.0);
        let m = text_box("abc", 100.0, 50.0, 10.0, Anchor::Middle, false);
        assert!(((m.x0 + m.x1) / 2.0 - 100.0).abs() < 1e-9);
        assert!(!Rect::new(0.0, 0.0, 1.0, 1.0).overlaps(&Rect::new(1.0, 0.0, 2.0, 1.0)), "touching");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(ticks(0.13, 0.52, 4), vec![0.2, 0.30000000000000004, 0.4, 0.5]);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(2.345), "2.35");
    }
}
