//! Plots of a monitoring: cumulative deliveries against the schedule (totals), quantities per day
//! against the rate committed (rates), and the phase timeline with the events on it.

use std::fmt::Write;

use truce_analysis::monitor::{CommitmentReport, Monitoring};
use truce_model::{Case, CommitmentKind};

use crate::plot::canvas::{Anchor, Canvas, Rect, Stroke, Text, ticks};

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 40.0;

/// Every plot of the monitoring, one SVG document each: each total, each rate, and the timeline.
#[must_use]
pub fn plots(case: &Case, m: &Monitoring) -> Vec<String> {
    let mut out: Vec<String> = m.commitments.iter().filter_map(|c| commitment_plot(m, c)).collect();
    out.push(timeline(case, m));
    out
}

/// All the plots in one SVG document, stacked.
#[must_use]
pub fn plot(case: &Case, m: &Monitoring) -> String {
    let plots = plots(case, m);
    #[allow(clippy::cast_precision_loss)]
    let height = H * plots.len() as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{height}\" viewBox=\"0 0 {W} {height}\">\n"
    );
    for (k, p) in plots.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = H * k as f64;
        let _ = writeln!(s, "<g transform=\"translate(0 {y})\">{}</g>", strip_svg(p));
    }
    s.push_str("</svg>\n");
    s
}

/// The inside of an `<svg>` element.
fn strip_svg(svg: &str) -> &str {
    let start = svg.find('>').map_or(0, |i| i + 1);
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.get(start..end).unwrap_or("")
}

fn frame(
    c: &mut Canvas,
    title: &str,
    days: i64,
    max: f64,
) -> (impl Fn(f64) -> f64 + use<>, impl Fn(f64) -> f64 + use<>) {
    #[allow(clippy::cast_precision_loss)]
    let span = days.max(1) as f64;
    let max = if max > 0.0 { max * 1.1 } else { 1.0 };
    let x = move |d: f64| LEFT + (d - 0.5) / span * (W - LEFT - RIGHT);
    let y = move |v: f64| H - BOTTOM - v / max * (H - TOP - BOTTOM);
    c.text(LEFT, 20.0, title, Text::plain(11.0).bold());
    c.line((LEFT, H - BOTTOM), (W - RIGHT, H - BOTTOM), Stroke::solid("#444", 1.0));
    c.line((LEFT, TOP), (LEFT, H - BOTTOM), Stroke::solid("#444", 1.0));
    for t in ticks(0.0, max, 5) {
        c.text(LEFT - 6.0, y(t) + 4.0, &crate::monitor::num(t), Text::plain(11.0).anchor(Anchor::End));
        c.line((LEFT, y(t)), (W - RIGHT, y(t)), Stroke::solid("#ddd", 0.5));
    }
    let step = (days / 10).max(1);
    for d in (1..=days).step_by(usize::try_from(step).unwrap_or(1)) {
        #[allow(clippy::cast_precision_loss)]
        let xd = x(d as f64);
        c.text(xd, H - BOTTOM + 16.0, &format!("{d}"), Text::plain(11.0).anchor(Anchor::Middle));
    }
    c.text(W - RIGHT, H - 8.0, "day of the agreement", Text::plain(11.0).anchor(Anchor::End));
    (x, y)
}

fn commitment_plot(m: &Monitoring, c: &CommitmentReport) -> Option<String> {
    let days = m.at_day.max(i64::from(c.commitment.last_day().unwrap_or(1)));
    let mut canvas = Canvas::new(W, H);
    match &c.commitment.kind {
        CommitmentKind::Total { total, schedule, .. } => {
            let mut cumulative = 0.0;
            let delivered: Vec<(i64, f64)> = c
                .reported
                .iter()
                .map(|(d, v)| {
                    cumulative += v;
                    (*d, cumulative)
                })
                .collect();
            let title = format!(
                "{}: delivered (cumulative) against the schedule, {}",
                c.commitment.id, c.commitment.unit
            );
            let (x, y) = frame(&mut canvas, &title, days, total.max(cumulative));
            let mut plan = vec![(x(0.5), y(0.0))];
            let mut so_far = 0.0;
            for b in schedule {
                let d = f64::from(c.commitment.agreement_day(b.day));
                plan.push((x(d), y(so_far)));
                so_far += f64::from(b.count);
                plan.push((x(d), y(so_far)));
            }
            if schedule.is_empty()
                && let Some(due) = c.commitment.due_day()
            {
                plan.push((x(f64::from(due)), y(0.0)));
                plan.push((x(f64::from(due)), y(*total)));
            }
            canvas.polyline(&plan, Stroke::dashed("#888", 1.5), "schedule");
            let mut line = vec![(x(0.5), y(0.0))];
            let mut last = 0.0;
            for (d, v) in &delivered {
                #[allow(clippy::cast_precision_loss)]
                let xd = x(*d as f64);
                line.push((xd, y(last)));
                line.push((xd, y(*v)));
                last = *v;
                canvas.circle(
                    (xd, y(*v)),
                    3.0,
                    "#1f77b4",
                    None,
                    &format!("day {d}: {}", crate::monitor::num(*v)),
                );
            }
            canvas.polyline(&line, Stroke::solid("#1f77b4", 2.0), "delivered");
            Some(canvas.finish(&title, "truce-monitor-total"))
        }
        CommitmentKind::Rate { per_day, tolerance, .. } => {
            let max = c.reported.iter().map(|(_, v)| *v).fold(*per_day, f64::max);
            let title = format!(
                "{}: {} per day against the {} committed",
                c.commitment.id,
                c.commitment.unit,
                crate::monitor::num(*per_day)
            );
            let (x, y) = frame(&mut canvas, &title, days, max);
            canvas.line((x(0.5), y(*per_day)), (W - RIGHT, y(*per_day)), Stroke::dashed("#888", 1.5));
            let floor = per_day * (1.0 - tolerance);
            canvas.line((x(0.5), y(floor)), (W - RIGHT, y(floor)), Stroke::dashed("#bbb", 1.0));
            for (d, v) in &c.reported {
                #[allow(clippy::cast_precision_loss)]
                let xd = x(*d as f64);
                let colour = if *v + 1e-9 >= floor { "#2ca02c" } else { "#d62728" };
                canvas.rect(
                    Rect::new(xd - 6.0, y(*v), xd + 6.0, y(0.0).max(y(*v) + 0.5)),
                    colour,
                    1.0,
                    None,
                    &format!("day {d}: {}", crate::monitor::num(*v)),
                );
            }
            Some(canvas.finish(&title, "truce-monitor-rate"))
        }
        _ => None,
    }
}

fn timeline(case: &Case, m: &Monitoring) -> String {
    let days = m
        .phases
        .iter()
        .filter_map(|p| p.end.map(|_| i64::from(p.start_day) + 1))
        .chain(m.phases.iter().map(|p| i64::from(p.start_day)))
        .chain([m.at_day])
        .max()
        .unwrap_or(1)
        .max(m.commitments.iter().filter_map(|c| c.commitment.last_day()).map(i64::from).max().unwrap_or(1));
    let mut canvas = Canvas::new(W, H);
    let title = "Phases, and the events reported on each day";
    #[allow(clippy::cast_precision_loss)]
    let rows = m.commitments.len().max(1) as f64;
    let (x, _) = frame(&mut canvas, title, days, 0.0);
    let colours = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b"];
    for (k, p) in m.phases.iter().enumerate() {
        let end = m
            .commitments
            .iter()
            .find(|c| c.commitment.phase == p.phase)
            .and_then(|c| c.commitment.last_day())
            .unwrap_or(p.start_day);
        let (x0, x1) = (x(f64::from(p.start_day) - 0.5), x(f64::from(end) + 0.5));
        let name = p
            .phase
            .and_then(|ph| case.domain.phases().get(ph.index()))
            .map_or("agreement", |ph| ph.name.as_str());
        canvas.rect(
            Rect::new(x0, TOP, x1.max(x0 + 1.0), TOP + 8.0),
            colours[k % colours.len()],
            0.8,
            None,
            name,
        );
        canvas.text(x0 + 2.0, TOP + 20.0, name, Text::plain(11.0));
    }
    #[allow(clippy::cast_precision_loss)]
    let at = x(m.at_day as f64 + 0.5);
    canvas.line((at, TOP), (at, H - BOTTOM), Stroke::dashed("#d62728", 1.0));
    let row_h = (H - TOP - BOTTOM - 30.0) / rows;
    for (k, c) in m.commitments.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let yk = TOP + 30.0 + row_h * (k as f64 + 0.5);
        canvas.text(LEFT + 2.0, yk - 6.0, &c.commitment.id, Text::plain(11.0));
        for (d, v) in &c.reported {
            #[allow(clippy::cast_precision_loss)]
            canvas.circle(
                (x(*d as f64), yk),
                3.5,
                "#333",
                None,
                &format!("{} day {d}: {}", c.commitment.id, crate::monitor::num(*v)),
            );
        }
    }
    canvas.finish(title, "truce-monitor-timeline")
}
