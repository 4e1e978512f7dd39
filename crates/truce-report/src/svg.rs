//! The utility-space plot: outcomes (each one, or their density when there are many), the Pareto
//! frontier, the zone of agreement, the reservation values, the bargaining solutions and every
//! proposal, labelled. The first negotiator's utility is the horizontal axis, the second's the
//! vertical (with more than two negotiators, the plot shows the first two).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use truce_analysis::{Findings, Solution, Subject, label};
use truce_model::Case;

/// Outcomes drawn one by one at most; more are drawn as a density.
const POINTS: usize = 3_000;
/// Density grid.
const CELLS: (usize, usize) = (90, 70);
/// Plot size in pixels.
const SIZE: (u32, u32) = (760, 600);

const GREY: RGBColor = RGBColor(150, 150, 150);
const ZONE: RGBColor = RGBColor(46, 160, 67);
const FRONTIER: RGBColor = RGBColor(31, 90, 200);
const RESERVATION: RGBColor = RGBColor(200, 60, 60);

/// The SVG plot of an analysis of `case`.
#[must_use]
pub fn plot(case: &Case, findings: &Findings) -> String {
    let mut svg = String::new();
    if findings.parties.len() < 2 {
        return message("Only one negotiating party: there is no utility space to plot.");
    }
    if draw(&mut svg, case, findings).is_err() {
        return message("The plot could not be drawn.");
    }
    svg
}

fn message(text: &str) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, 60)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let _ = root.draw(&Text::new(text.to_owned(), (10, 25), ("sans-serif", 15)));
        let _ = root.present();
    }
    svg
}

type Failure = Box<dyn std::error::Error>;

fn draw(svg: &mut String, case: &Case, f: &Findings) -> Result<(), Failure> {
    let x_name = &case.party(f.parties[0].party).id;
    let y_name = &case.party(f.parties[1].party).id;
    let xy = |u: &[f64]| (u[0], u[1]);
    // Axis ranges: everything drawn, with a margin.
    let mut xs: Vec<f64> = vec![0.0, f.parties[0].best, f.parties[0].reservation];
    let mut ys: Vec<f64> = vec![0.0, f.parties[1].best, f.parties[1].reservation];
    for u in &f.cloud.utilities {
        xs.push(u[0]);
        ys.push(u[1]);
    }
    for e in &f.evaluations {
        if let (Some(a), Some(b)) = (e.parties[0].utility, e.parties[1].utility) {
            xs.extend([a.low, a.high]);
            ys.extend([b.low, b.high]);
        }
    }
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.04).max(0.01);
        (lo - pad)..(hi + pad)
    };
    let (xr, yr) = (range(&xs), range(&ys));
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = if f.parties.len() > 2 {
        format!("{}: utility space (first two of {} negotiators)", case.title, f.parties.len())
    } else {
        format!("{}: utility space", case.title)
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(xr.clone(), yr.clone())?;
    chart
        .configure_mesh()
        .x_desc(format!("utility of {x_name}"))
        .y_desc(format!("utility of {y_name}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    // Outcomes.
    let cloud = &f.cloud;
    let what = if cloud.complete { "outcomes" } else { "sampled outcomes" };
    if cloud.utilities.len() <= POINTS {
        chart
            .draw_series(
                cloud
                    .utilities
                    .iter()
                    .zip(&cloud.acceptable)
                    .filter(|(_, a)| !**a)
                    .map(|(u, _)| Circle::new(xy(u), 2, GREY.mix(0.5).filled())),
            )?
            .label(what)
            .legend(|(x, y)| Circle::new((x + 10, y), 3, GREY.filled()));
        chart
            .draw_series(
                cloud
                    .utilities
                    .iter()
                    .zip(&cloud.acceptable)
                    .filter(|(_, a)| **a)
                    .map(|(u, _)| Circle::new(xy(u), 2, ZONE.mix(0.6).filled())),
            )?
            .label("in the zone of agreement")
            .legend(|(x, y)| Circle::new((x + 10, y), 3, ZONE.filled()));
    } else {
        for (zone, colour, name) in [(false, GREY, what), (true, ZONE, "in the zone of agreement")] {
            let cells = density(cloud, zone, &xr, &yr);
            let max = cells.iter().map(|c| c.2).max().unwrap_or(1).max(1);
            let (w, h) = ((xr.end - xr.start) / CELLS.0 as f64, (yr.end - yr.start) / CELLS.1 as f64);
            chart
                .draw_series(cells.into_iter().map(|(i, j, n)| {
                    #[allow(clippy::cast_precision_loss)]
                    let alpha = 0.15 + 0.7 * ((n as f64).ln_1p() / (max as f64).ln_1p());
                    let (x0, y0) = (xr.start + i as f64 * w, yr.start + j as f64 * h);
                    Rectangle::new([(x0, y0), (x0 + w, y0 + h)], colour.mix(alpha).filled())
                }))?
                .label(format!("{name} (density)"))
                .legend(move |(x, y)| Rectangle::new([(x + 5, y - 4), (x + 15, y + 4)], colour.filled()));
        }
    }
    // Reservation values.
    let (d0, d1) = (f.parties[0].reservation, f.parties[1].reservation);
    chart
        .draw_series(LineSeries::new(vec![(d0, yr.start), (d0, yr.end)], RESERVATION.stroke_width(1)))?
        .label("reservation values")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RESERVATION));
    chart.draw_series(LineSeries::new(vec![(xr.start, d1), (xr.end, d1)], RESERVATION.stroke_width(1)))?;
    // Frontiers.
    let line: Vec<(f64, f64)> = f.frontier.points.iter().map(|p| xy(&p.utilities)).collect();
    let label_frontier =
        if f.frontier.method.is_exact() { "Pareto frontier" } else { "Pareto frontier (approximate)" };
    chart
        .draw_series(LineSeries::new(line.clone(), FRONTIER.stroke_width(2)))?
        .label(label_frontier)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FRONTIER.stroke_width(2)));
    if line.len() <= 2_000 {
        chart.draw_series(line.iter().map(|&p| Circle::new(p, 2, FRONTIER.filled())))?;
    }
    chart
        .draw_series(f.zone.frontier.iter().map(|p| Circle::new(xy(&p.utilities), 4, ZONE.stroke_width(2))))?
        .label("frontier of the zone")
        .legend(|(x, y)| Circle::new((x + 10, y), 4, ZONE.stroke_width(2)));
    // Solutions.
    let solutions: [(&str, &Option<Solution>, RGBColor); 4] = [
        ("Nash", &f.solutions.nash, RGBColor(220, 30, 30)),
        ("KS", &f.solutions.kalai_smorodinsky, RGBColor(230, 130, 0)),
        ("egalitarian", &f.solutions.egalitarian, RGBColor(140, 40, 170)),
        ("max welfare", &f.solutions.max_welfare, RGBColor(110, 70, 30)),
    ];
    // Solutions that coincide share one label ("Nash = Kalai-Smorodinsky").
    let mut drawn: Vec<(f64, f64)> = Vec::new();
    for (k, &(name, solution, colour)) in solutions.iter().enumerate() {
        let Some(s) = solution else { continue };
        let at = xy(&s.point.utilities);
        let same: Vec<&str> = solutions
            .iter()
            .filter(|(_, other, _)| other.as_ref().is_some_and(|o| xy(&o.point.utilities) == at))
            .map(|(n, ..)| *n)
            .collect();
        let text = if drawn.contains(&at) { String::new() } else { same.join(" = ") };
        drawn.push(at);
        // Labels go left of points in the right half, so that they stay inside the plot.
        let right = at.0 > 0.5 * (xr.start + xr.end);
        let dy = -16 + 12 * i32::try_from(k).unwrap_or(0);
        let (offset, anchor) = if right { ((-10, dy), HPos::Right) } else { ((10, dy), HPos::Left) };
        let style = ("sans-serif", 12).into_font().color(&colour).pos(Pos::new(anchor, VPos::Top));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(at)
                    + TriangleMarker::new((0, 0), 7, colour.filled())
                    + Text::new(text, offset, style),
            ))?
            .label(name)
            .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 5, colour.filled()));
    }
    // Proposals: a point if complete, the box of possible utilities if partial.
    for e in &f.evaluations {
        let (Some(a), Some(b)) = (e.parties[0].utility, e.parties[1].utility) else { continue };
        let name = match &e.subject {
            Subject::Proposal(_) => label(case, &e.subject).to_owned(),
            Subject::Outcome(l) => format!("[{l}]"),
        };
        if e.complete {
            chart.draw_series(std::iter::once(
                EmptyElement::at((a.low, b.low))
                    + Cross::new((0, 0), 5, BLACK.stroke_width(2))
                    + Text::new(name, (6, 4), ("sans-serif", 12)),
            ))?;
        } else {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a.low, b.low), (a.high, b.high)],
                BLACK.mix(0.6).stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(
                EmptyElement::at((a.low, b.high))
                    + Text::new(format!("{name} (open issues)"), (2, -14), ("sans-serif", 12)),
            ))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Non-empty density cells `(column, row, count)` of the cloud points in or out of the zone.
fn density(
    cloud: &truce_analysis::Cloud,
    zone: bool,
    xr: &std::ops::Range<f64>,
    yr: &std::ops::Range<f64>,
) -> Vec<(usize, usize, u64)> {
    let mut grid = vec![0u64; CELLS.0 * CELLS.1];
    let cell = |v: f64, r: &std::ops::Range<f64>, n: usize| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let k = ((v - r.start) / (r.end - r.start) * n as f64).floor().max(0.0) as usize;
        k.min(n - 1)
    };
    for (u, &a) in cloud.utilities.iter().zip(&cloud.acceptable) {
        if a == zone {
            grid[cell(u[1], yr, CELLS.1) * CELLS.0 + cell(u[0], xr, CELLS.0)] += 1;
        }
    }
    grid.iter().enumerate().filter(|(_, n)| **n > 0).map(|(k, &n)| (k % CELLS.0, k / CELLS.0, n)).collect()
}

/// Colours of the parties' lines in the positions plot, in party order (repeating).
const PARTY_COLOURS: [RGBColor; 6] = [
    RGBColor(31, 90, 200),
    RGBColor(220, 30, 30),
    RGBColor(46, 160, 67),
    RGBColor(230, 130, 0),
    RGBColor(140, 40, 170),
    RGBColor(110, 70, 30),
];

/// The positions-over-time plot: each proposal (in date order) and its utility to each negotiator,
/// a line per party with its reservation value dashed; a partial proposal is a bar from its worst to
/// its best completion. `None` when the case has fewer than two proposals.
#[must_use]
pub fn positions(case: &Case, findings: &Findings) -> Option<String> {
    let order: Vec<&truce_analysis::Evaluation> = truce_analysis::timeline(case)
        .into_iter()
        .filter_map(|id| findings.evaluations.iter().find(|e| e.subject == Subject::Proposal(id)))
        .collect();
    if order.len() < 2 {
        return None;
    }
    let mut svg = String::new();
    if draw_positions(&mut svg, case, findings, &order).is_err() {
        return Some(message("The positions plot could not be drawn."));
    }
    Some(svg)
}

fn draw_positions(
    svg: &mut String,
    case: &Case,
    f: &Findings,
    order: &[&truce_analysis::Evaluation],
) -> Result<(), Failure> {
    let labels: Vec<String> = order
        .iter()
        .map(|e| {
            let id = label(case, &e.subject).to_owned();
            match e.subject {
                Subject::Proposal(p) => match case.proposal(p).date {
                    Some(d) => format!("{id} ({d})"),
                    None => id,
                },
                Subject::Outcome(_) => id,
            }
        })
        .collect();
    let mut lo = 0.0f64;
    let mut hi = 1.0f64;
    for e in order {
        for v in &e.parties {
            if let Some(u) = v.utility {
                lo = lo.min(u.low);
                hi = hi.max(u.high);
            }
        }
    }
    let root = SVGBackend::with_string(svg, (SIZE.0, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = order.len();
    #[allow(clippy::cast_precision_loss)]
    let xr = -0.5..(n as f64 - 0.5);
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("{}: positions over time", case.title), ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(xr.clone(), (lo - 0.02)..(hi + 0.02))?;
    chart
        .configure_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let k = x.round();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = k as usize;
            if (x - k).abs() < 1e-9 && k >= 0.0 {
                labels.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_desc("utility")
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (p, party) in f.parties.iter().enumerate() {
        let colour = PARTY_COLOURS[p % PARTY_COLOURS.len()];
        let name = case.party(party.party).id.clone();
        #[allow(clippy::cast_precision_loss)]
        let points: Vec<(f64, f64, f64)> = order
            .iter()
            .enumerate()
            .filter_map(|(k, e)| e.parties[p].utility.map(|u| (k as f64, u.low, u.high)))
            .collect();
        let mid: Vec<(f64, f64)> = points.iter().map(|&(x, a, b)| (x, 0.5 * (a + b))).collect();
        chart
            .draw_series(LineSeries::new(mid.clone(), colour.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2)));
        chart.draw_series(mid.iter().map(|&m| Circle::new(m, 4, colour.filled())))?;
        chart.draw_series(
            points
                .iter()
                .filter(|(_, a, b)| b - a > 1e-9)
                .map(|&(x, a, b)| PathElement::new(vec![(x, a), (x, b)], colour.stroke_width(3))),
        )?;
        let d = party.reservation;
        chart.draw_series(DashedLineSeries::new(
            vec![(xr.start, d), (xr.end, d)],
            6,
            4,
            colour.mix(0.6).stroke_width(1),
        ))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    root.present()?;
    Ok(())
}
