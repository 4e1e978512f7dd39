//! The utility space, honestly at any number of parties. Two parties: one panel, the frontier a
//! line. More: a small multiple per pair of parties, where the frontier is drawn as the points it is
//! seen from that pair (never a line through a projection), and a parallel-coordinates view where
//! every party has an axis and every frontier point, solution and proposal is a line across them.

use super::canvas::{Anchor, Canvas, Rect, Stroke, Text, text_width, ticks};
use super::labels::Placer;
use super::legend::{self, Entry};

/// Outcomes drawn one by one at most; more are drawn as a density.
const POINTS: usize = 2_500;
/// Frontier points drawn as lines in the parallel coordinates at most (evenly spread).
const PARALLEL_LINES: usize = 300;

pub(crate) const GREY: &str = "#9a9a9a";
pub(crate) const ZONE: &str = "#2ea043";
pub(crate) const FRONTIER: &str = "#15325f";
pub(crate) const RESERVATION: &str = "#c83c3c";

/// What a mark stands for.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// A proposal or given outcome: a cross when complete, the box of its completions when not.
    Proposal,
    /// A bargaining solution, with its marker's shape and colour.
    Solution(char, &'static str),
    /// An offer made in a negotiation, in its party's colour, unlabelled.
    Offer(&'static str),
    /// The agreement of a negotiation: a ring.
    Agreement,
}

/// One mark in the space: its utilities to every party (a range when partial).
#[derive(Clone, Debug)]
pub(crate) struct Mark {
    /// What is written next to it (empty: nothing).
    pub label: String,
    /// Its tooltip.
    pub title: String,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
    pub kind: Kind,
}

/// Outcomes' utilities, whether each is in the zone, and whether they are every outcome.
pub(crate) type Cloud<'a> = (&'a [Vec<f64>], &'a [bool], bool);

/// Everything the views of the utility space draw.
#[derive(Clone, Debug, Default)]
pub(crate) struct Space<'a> {
    pub title: String,
    pub names: Vec<String>,
    pub reservation: Vec<f64>,
    pub frontier: Vec<&'a [f64]>,
    pub frontier_exact: bool,
    pub zone_frontier: Vec<&'a [f64]>,
    /// Outcomes' utilities and whether each is in the zone, and whether they are all of them.
    pub cloud: Option<Cloud<'a>>,
    pub marks: Vec<Mark>,
    /// Lines drawn from the first mark's point to the second's, with a label (distances).
    pub links: Vec<(Vec<f64>, Vec<f64>, String)>,
}

impl Space<'_> {
    fn range(&self, p: usize) -> (f64, f64) {
        let mut lo = 0.0f64;
        let mut hi = 1.0f64;
        let mut see = |x: f64| {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        };
        self.frontier.iter().for_each(|u| see(u[p]));
        self.marks.iter().for_each(|m| {
            see(m.low[p]);
            see(m.high[p]);
        });
        if let Some((cloud, _, _)) = self.cloud {
            cloud.iter().for_each(|u| see(u[p]));
        }
        see(self.reservation.get(p).copied().unwrap_or(0.0));
        let pad = (hi - lo) * 0.03;
        (lo - pad, hi + pad)
    }

    fn legend(&self, pairwise: bool) -> Vec<Entry> {
        let mut out = Vec::new();
        if let Some((_, _, complete)) = self.cloud {
            let what = if complete { "outcomes" } else { "sampled outcomes" };
            out.push(Entry::band(format!("{what} (darker: more of them)"), GREY));
            out.push(Entry::band("outcomes in the zone of agreement", ZONE));
        }
        if !self.frontier.is_empty() {
            let approx = if self.frontier_exact { "" } else { " (approximate)" };
            out.push(if pairwise {
                Entry::marker(format!("Pareto frontier points{approx}, seen from each pair"), 'o', FRONTIER)
            } else {
                Entry::line(format!("Pareto frontier{approx}"), FRONTIER)
            });
        }
        if !self.zone_frontier.is_empty() {
            out.push(Entry::ring("frontier of the zone", ZONE));
        }
        if !self.reservation.is_empty() {
            out.push(Entry::dashed("reservation values", RESERVATION));
        }
        let mut seen: Vec<String> = Vec::new();
        for m in &self.marks {
            let entry = match &m.kind {
                Kind::Solution(shape, colour) => Entry::marker(m.title.clone(), *shape, colour),
                Kind::Proposal if !seen.iter().any(|s| s == "proposal") => {
                    seen.push("proposal".into());
                    out.push(Entry::marker("complete proposal (numbered by date)", 'x', "#111"));
                    Entry::faint_band("partial proposal: the utilities of its completions", "#111")
                }
                Kind::Agreement => Entry::ring("agreement", "#000"),
                _ => continue,
            };
            out.push(entry);
        }
        out
    }
}

/// The pixels of one panel: parties `i` (horizontal) and `j` (vertical) over `area`.
struct Panel {
    i: usize,
    j: usize,
    area: Rect,
    x: (f64, f64),
    y: (f64, f64),
}

impl Panel {
    fn at(&self, u: &[f64]) -> (f64, f64) {
        let a = &self.area;
        (
            a.x0 + (u[self.i] - self.x.0) / (self.x.1 - self.x.0) * (a.x1 - a.x0),
            a.y1 - (u[self.j] - self.y.0) / (self.y.1 - self.y.0) * (a.y1 - a.y0),
        )
    }
}

fn axes(c: &mut Canvas, s: &Space<'_>, p: &Panel, small: bool) {
    let a = p.area;
    c.rect(a, "none", 1.0, Some(Stroke::solid("#333", 1.0)), "");
    let size = if small { 10.0 } else { 11.0 };
    let most = if small { 4 } else { 6 };
    for t in ticks(p.x.0, p.x.1, most) {
        let x = a.x0 + (t - p.x.0) / (p.x.1 - p.x.0) * (a.x1 - a.x0);
        c.line((x, a.y1), (x, a.y1 + 4.0), Stroke::solid("#333", 1.0));
        c.text(x, a.y1 + 18.0, &format!("{t:.1}"), Text::plain(size).anchor(Anchor::Middle).colour("#333"));
    }
    for t in ticks(p.y.0, p.y.1, most) {
        let y = a.y1 - (t - p.y.0) / (p.y.1 - p.y.0) * (a.y1 - a.y0);
        c.line((a.x0 - 4.0, y), (a.x0, y), Stroke::solid("#333", 1.0));
        c.text(a.x0 - 6.0, y + 4.0, &format!("{t:.1}"), Text::plain(size).anchor(Anchor::End).colour("#333"));
    }
    let title = size + 1.0;
    c.text(
        (a.x0 + a.x1) / 2.0,
        a.y1 + 32.0,
        &format!("utility of {}", s.names[p.i]),
        Text::plain(title).anchor(Anchor::Middle),
    );
    c.vertical_text(a.x0 - 36.0, (a.y0 + a.y1) / 2.0, &format!("utility of {}", s.names[p.j]), title);
}

fn cloud(c: &mut Canvas, s: &Space<'_>, p: &Panel, cells: (usize, usize)) {
    let Some((utilities, zone, _)) = s.cloud else { return };
    if utilities.len() <= POINTS {
        for (u, z) in utilities.iter().zip(zone) {
            let (colour, opacity) = if *z { (ZONE, 0.7) } else { (GREY, 0.45) };
            let at = p.at(u);
            c.raw(&format!(
                r#"<circle cx="{:.1}" cy="{:.1}" r="1.8" fill="{colour}" fill-opacity="{opacity}"/>"#,
                at.0, at.1
            ));
        }
        return;
    }
    for in_zone in [false, true] {
        let mut grid = vec![0u32; cells.0 * cells.1];
        let a = p.area;
        for (u, z) in utilities.iter().zip(zone) {
            if *z != in_zone {
                continue;
            }
            let (x, y) = p.at(u);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let i =
                (((x - a.x0) / (a.x1 - a.x0) * cells.0 as f64).floor().max(0.0) as usize).min(cells.0 - 1);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let j =
                (((y - a.y0) / (a.y1 - a.y0) * cells.1 as f64).floor().max(0.0) as usize).min(cells.1 - 1);
            grid[j * cells.0 + i] += 1;
        }
        let max = f64::from(grid.iter().copied().max().unwrap_or(1).max(1));
        #[allow(clippy::cast_precision_loss)]
        let (w, h) = ((a.x1 - a.x0) / cells.0 as f64, (a.y1 - a.y0) / cells.1 as f64);
        let colour = if in_zone { ZONE } else { GREY };
        // One path per shade (eight shades): far smaller than a rectangle per cell.
        let mut shades: Vec<String> = vec![String::new(); 8];
        for (k, &count) in grid.iter().enumerate().filter(|(_, n)| **n > 0) {
            let level = f64::from(count).ln_1p() / max.ln_1p();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let shade = ((level * 7.0).round() as usize).min(7);
            #[allow(clippy::cast_precision_loss)]
            let (x0, y0) = (a.x0 + (k % cells.0) as f64 * w, a.y0 + (k / cells.0) as f64 * h);
            shades[shade].push_str(&format!(
                "M{x0:.1} {y0:.1}h{:.2}v{:.2}h-{:.2}z",
                w + 0.1,
                h + 0.1,
                w + 0.1
            ));
        }
        for (shade, d) in shades.iter().enumerate().filter(|(_, d)| !d.is_empty()) {
            #[allow(clippy::cast_precision_loss)]
            let alpha = 0.12 + 0.7 * shade as f64 / 7.0;
            c.raw(&format!(r#"<path class="density" fill="{colour}" fill-opacity="{alpha:.2}" d="{d}"/>"#));
        }
    }
}

/// One panel: axes, outcomes, reservation values, frontier, solutions, proposals, labelled by the
/// placer.
fn panel(c: &mut Canvas, s: &Space<'_>, p: &Panel, small: bool) {
    axes(c, s, p, small);
    cloud(c, s, p, if small { (45, 45) } else { (90, 80) });
    let a = p.area;
    let (di, dj) = (s.reservation.get(p.i).copied(), s.reservation.get(p.j).copied());
    if let (Some(di), Some(dj)) = (di, dj) {
        let (x, _) = p.at(&with(p, di, p.y.0));
        let (_, y) = p.at(&with(p, p.x.0, dj));
        c.line((x, a.y0), (x, a.y1), Stroke::dashed(RESERVATION, 1.0));
        c.line((a.x0, y), (a.x1, y), Stroke::dashed(RESERVATION, 1.0));
    }
    let two = s.names.len() == 2;
    let points: Vec<(f64, f64)> = s.frontier.iter().map(|u| p.at(u)).collect();
    if two {
        let mut line = points.clone();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        c.polyline(&line, Stroke::solid(FRONTIER, 2.0), "frontier");
    }
    if points.len() <= 2_000 {
        let r = if small { 1.6 } else { 2.0 };
        for q in &points {
            c.raw(&format!(r#"<circle cx="{:.1}" cy="{:.1}" r="{r}" fill="{FRONTIER}"/>"#, q.0, q.1));
        }
    }
    for u in &s.zone_frontier {
        c.circle(p.at(u), if small { 3.0 } else { 4.0 }, "none", Some(Stroke::solid(ZONE, 1.6)), "");
    }
    let mut placer = Placer::new(a.grow(-1.0));
    let size = if small { 10.0 } else { 11.5 };
    // Marks first (so that labels avoid them all), then their labels.
    let mut labels = Vec::new();
    for m in &s.marks {
        let lo = p.at(&m.low);
        let hi = p.at(&m.high);
        let box_ = (lo.0 - hi.0).abs() > 0.5 || (lo.1 - hi.1).abs() > 0.5;
        match m.kind {
            Kind::Proposal if box_ => {
                let r = Rect::new(lo.0, lo.1, hi.0, hi.1);
                c.rect(r, "#111", 0.05, Some(Stroke::solid("#111", 0.8).faint(0.5)), &m.title);
                labels.push((r.x0, r.y0, m));
            }
            Kind::Proposal => {
                c.marker('x', lo, 4.5, "#111", &m.title);
                placer.block(Rect::new(lo.0 - 5.0, lo.1 - 5.0, lo.0 + 5.0, lo.1 + 5.0));
                labels.push((lo.0, lo.1, m));
            }
            Kind::Solution(shape, colour) => {
                c.marker(shape, lo, 6.0, colour, &m.title);
                placer.block(Rect::new(lo.0 - 6.0, lo.1 - 6.0, lo.0 + 6.0, lo.1 + 6.0));
                labels.push((lo.0, lo.1, m));
            }
            Kind::Offer(colour) => {
                c.raw(&format!(
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2.6" fill="{colour}" fill-opacity="0.65"/>"#,
                    lo.0, lo.1
                ));
            }
            Kind::Agreement => {
                c.circle(lo, 8.0, "none", Some(Stroke::solid("#000", 2.2)), &m.title);
                placer.block(Rect::new(lo.0 - 9.0, lo.1 - 9.0, lo.0 + 9.0, lo.1 + 9.0));
                labels.push((lo.0, lo.1, m));
            }
        }
    }
    for (from, to, text) in &s.links {
        let (a0, b0) = (p.at(from), p.at(to));
        c.line(a0, b0, Stroke::dashed("#000", 1.0));
        if !text.is_empty() && !small {
            labels_push_link(&mut placer, c, ((a0.0 + b0.0) / 2.0, (a0.1 + b0.1) / 2.0), text, size);
        }
    }
    for (x, y, m) in labels {
        if m.label.is_empty() {
            continue;
        }
        let colour = match m.kind {
            Kind::Solution(_, colour) => colour,
            _ => "#111",
        };
        placer.label(c, (x, y), &m.label, Text::plain(size).colour(colour));
    }
}

fn labels_push_link(placer: &mut Placer, c: &mut Canvas, at: (f64, f64), text: &str, size: f64) {
    placer.label(c, at, text, Text::plain(size).colour("#333"));
}

/// A utility vector with `x` for the panel's horizontal party and `y` for its vertical one.
fn with(p: &Panel, x: f64, y: f64) -> Vec<f64> {
    let mut u = vec![0.0; p.i.max(p.j) + 1];
    u[p.i] = x;
    u[p.j] = y;
    u
}

/// One panel of parties `i` (horizontal) and `j` (vertical) over `area`.
pub(crate) fn panel_at(c: &mut Canvas, s: &Space<'_>, i: usize, j: usize, area: Rect, small: bool) {
    let p = Panel { i, j, area, x: s.range(i), y: s.range(j) };
    panel(c, s, &p, small);
}

/// The legend entries of a space's marks.
pub(crate) fn legend_entries(s: &Space<'_>) -> Vec<Entry> {
    s.legend(s.names.len() != 2)
}

/// Two parties: one panel, with the legend below.
pub(crate) fn single(s: &Space<'_>) -> String {
    let width = 720.0;
    let area = Rect::new(70.0, 40.0, width - 20.0, 560.0);
    let mut c = Canvas::new(width, 0.0);
    c.text(20.0, 22.0, &format!("{}: utility space", s.title), Text::plain(15.0).bold());
    let p = Panel { i: 0, j: 1, area, x: s.range(0), y: s.range(1) };
    panel(&mut c, s, &p, false);
    let bottom = legend::draw(&mut c, 20.0, area.y1 + 44.0, width - 40.0, &s.legend(false));
    c.height = bottom + 8.0;
    c.finish(&format!("{}: utility space", s.title), "plot space")
}

/// Three or more parties: a panel per pair of parties, with one legend below.
pub(crate) fn pairwise(s: &Space<'_>) -> String {
    let n = s.names.len();
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect();
    let columns = pairs.len().min(3);
    let (cell_w, cell_h) = (300.0, 300.0);
    #[allow(clippy::cast_precision_loss)]
    let width = 20.0 + cell_w * columns as f64;
    let mut c = Canvas::new(width.max(560.0), 0.0);
    let title = format!("{}: utility space, each pair of the {n} negotiators", s.title);
    c.text(20.0, 22.0, &title, Text::plain(15.0).bold());
    let mut bottom = 0.0f64;
    for (k, &(i, j)) in pairs.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (col, row) = ((k % columns) as f64, (k / columns) as f64);
        let (x0, y0) = (20.0 + col * cell_w + 52.0, 40.0 + row * cell_h);
        let area = Rect::new(x0, y0, x0 + cell_w - 72.0, y0 + cell_h - 72.0);
        let p = Panel { i, j, area, x: s.range(i), y: s.range(j) };
        panel(&mut c, s, &p, true);
        bottom = bottom.max(area.y1 + 40.0);
    }
    let legend_width = c.width - 40.0;
    let end = legend::draw(&mut c, 20.0, bottom + 6.0, legend_width, &s.legend(true));
    c.height = end + 8.0;
    c.finish(&title, "plot pairwise")
}

/// Parallel coordinates: an axis per party, every frontier point (evenly spread past
/// [`PARALLEL_LINES`]), the zone's frontier, the solutions and the proposals a line across them.
pub(crate) fn parallel(s: &Space<'_>) -> String {
    let n = s.names.len();
    let label_w = s.marks.iter().map(|m| text_width(&m.label, 11.0, false)).fold(0.0, f64::max).min(160.0);
    let (left, right) = (60.0, 40.0 + label_w);
    #[allow(clippy::cast_precision_loss)]
    let width = (left + right + 170.0 * (n.max(2) - 1) as f64).max(600.0);
    let (top, height) = (50.0, 320.0);
    let mut c = Canvas::new(width, 0.0);
    let title = format!("{}: every party's utility, one axis each", s.title);
    c.text(20.0, 22.0, &title, Text::plain(15.0).bold());
    let lo = (0..n).map(|p| s.range(p).0).fold(f64::INFINITY, f64::min);
    let hi = (0..n).map(|p| s.range(p).1).fold(f64::NEG_INFINITY, f64::max);
    #[allow(clippy::cast_precision_loss)]
    let x = |p: usize| left + (width - left - right) * p as f64 / (n - 1).max(1) as f64;
    let y = |u: f64| top + (hi - u) / (hi - lo) * height;
    for t in ticks(lo, hi, 5) {
        c.line((x(0), y(t)), (x(n - 1), y(t)), Stroke::solid("#eee", 1.0));
        c.text(
            x(0) - 8.0,
            y(t) + 4.0,
            &format!("{t:.1}"),
            Text::plain(10.5).anchor(Anchor::End).colour("#333"),
        );
    }
    let path = |u: &[f64]| (0..n).map(|p| (x(p), y(u[p]))).collect::<Vec<_>>();
    let step = s.frontier.len().div_ceil(PARALLEL_LINES).max(1);
    for u in s.frontier.iter().step_by(step) {
        c.polyline(&path(u), Stroke::solid(FRONTIER, 0.8).faint(0.25), "frontier");
    }
    for u in &s.zone_frontier {
        c.polyline(&path(u), Stroke::solid(ZONE, 1.2).faint(0.6), "zone");
    }
    for p in 0..n {
        c.line((x(p), top), (x(p), top + height), Stroke::solid("#333", 1.2));
        if let Some(&d) = s.reservation.get(p) {
            c.line((x(p) - 7.0, y(d)), (x(p) + 7.0, y(d)), Stroke::solid(RESERVATION, 2.5));
        }
        c.text(x(p), top + height + 18.0, &s.names[p], Text::plain(12.0).anchor(Anchor::Middle).bold());
    }
    let mut placer = Placer::new(Rect::new(x(n - 1) + 4.0, top - 10.0, width - 2.0, top + height + 10.0));
    for m in &s.marks {
        let mid: Vec<f64> = m.low.iter().zip(&m.high).map(|(a, b)| 0.5 * (a + b)).collect();
        let (stroke, colour) = match m.kind {
            Kind::Solution(_, colour) => (Stroke::solid(colour, 2.4), colour),
            Kind::Proposal => (Stroke { dash: Some("4 3"), ..Stroke::solid("#111", 1.0) }, "#111"),
            Kind::Agreement => (Stroke::solid("#000", 3.0), "#000"),
            Kind::Offer(_) => continue,
        };
        c.polyline(&path(&mid), stroke, "mark");
        for p in 0..n {
            if m.high[p] - m.low[p] > 1e-4 {
                c.line((x(p), y(m.low[p])), (x(p), y(m.high[p])), Stroke::solid(colour, 4.0).faint(0.35));
            }
        }
        if !m.label.is_empty() {
            let end = (x(n - 1), y(mid[n - 1]));
            placer.label(&mut c, end, &m.label, Text::plain(11.0).colour(colour));
        }
    }
    let mut entries = vec![Entry::line("Pareto frontier points, one line each", FRONTIER)];
    if !s.zone_frontier.is_empty() {
        entries.push(Entry::line("frontier of the zone", ZONE));
    }
    entries.push(Entry::line("reservation value (tick on each axis)", RESERVATION));
    for m in &s.marks {
        if let Kind::Solution(_, colour) = m.kind {
            entries.push(Entry::line(m.title.clone(), colour));
        }
    }
    if s.marks.iter().any(|m| matches!(m.kind, Kind::Proposal)) {
        entries
            .push(Entry::dashed("proposal (middle of its range; bars: the range over open issues)", "#111"));
    }
    let bottom = legend::draw(&mut c, 20.0, top + height + 30.0, width - 40.0, &entries);
    c.height = bottom + 8.0;
    c.finish(&title, "plot parallel")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests::assert_no_overlap;

    fn crowded(parties: usize) -> (Vec<Vec<f64>>, Vec<Mark>) {
        let frontier: Vec<Vec<f64>> = (0..=40)
            .map(|k| {
                let t = f64::from(k) / 40.0;
                (0..parties).map(|p| if p % 2 == 0 { t } else { 1.0 - t * t }).collect()
            })
            .collect();
        let mut marks = crate::plot::solution_marks([
            Some(&frontier[20]),
            Some(&frontier[20]),
            Some(&frontier[22]),
            Some(&frontier[30]),
        ]);
        for k in 0..30 {
            let x = 0.4 + 0.01 * f64::from(k % 7);
            let low: Vec<f64> =
                (0..parties).map(|p| x - 0.02 * f64::from(u8::try_from(p).unwrap_or(0))).collect();
            let high = if k % 3 == 0 { low.iter().map(|v| v + 0.1).collect() } else { low.clone() };
            marks.push(Mark {
                label: (k + 1).to_string(),
                title: format!("proposal {k}"),
                low,
                high,
                kind: Kind::Proposal,
            });
        }
        (frontier, marks)
    }

    #[test]
    fn crowded_plots_have_no_overlapping_texts() {
        for parties in [2, 3, 4] {
            let (frontier, marks) = crowded(parties);
            let s = Space {
                title: "Crowded".into(),
                names: (0..parties).map(|p| format!("party_{p}")).collect(),
                reservation: vec![0.3; parties],
                frontier: frontier.iter().map(Vec::as_slice).collect(),
                frontier_exact: true,
                marks,
                ..Space::default()
            };
            let svg = if parties == 2 { single(&s) } else { pairwise(&s) };
            assert_no_overlap(&svg);
            assert_no_overlap(&parallel(&s));
            if parties > 2 {
                assert!(!svg.contains("class=\"frontier\""), "no frontier line through a projection");
            }
        }
    }
}
