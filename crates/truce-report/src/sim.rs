//! SVG plots of one negotiation from its transcript: utilities over time, and the offers in utility
//! space.
//!
//! The left panel draws, for each party, the utility to that party of each offer it made (its
//! concession curve, solid) and of each offer made to it (dots). The right panel places every offer,
//! position and mediator text at its utilities to the first two parties (coloured by who made it; texts
//! in grey), and rings the agreement. The SVG is plain text, the same for the same transcript.

use std::fmt::Write as _;

use truce_sim::{Event, Protocol, Run, Scenario, Status};

const PALETTE: [&str; 8] =
    ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const PANEL: f64 = 360.0;
const MARGIN: f64 = 50.0;

struct Point {
    time: f64,
    by: Option<usize>,
    /// `None` for a party whose preferences the engine did not hold: such points are not plotted
    /// for it.
    utilities: Vec<Option<f64>>,
    outcome: Vec<u32>,
}

/// The summary `truce negotiate` prints: the scenario, protocol, deadline and seed; how it ended;
/// any failure; each party's agent (`agents`, in seat order) and utility (`unknown` for a seat whose
/// preferences the engine does not hold); then `notes` (what the day's verdict rests on), one a
/// line.
#[must_use]
pub fn summary(
    scenario: &Scenario,
    protocol: Protocol,
    rounds: u32,
    seed: u64,
    agents: &[String],
    run: &Run,
    notes: &[String],
) -> String {
    let mut out = String::new();
    let r = &run.result;
    let space = scenario.domain().space();
    let _ = writeln!(out, "{} under {} ({} rounds, seed {})", scenario.name(), protocol, rounds, seed);
    match (&r.status, &r.agreement) {
        (Status::Agreement, Some(outcome)) => {
            let _ = writeln!(
                out,
                "agreement in round {} (t = {:.3}): {}",
                r.rounds.saturating_sub(1),
                r.time,
                space.describe(outcome)
            );
        }
        (status, _) => {
            let _ = writeln!(out, "{} after {} rounds", status.as_str().replace('_', " "), r.rounds);
        }
    }
    if let Some(f) = &r.failure {
        let _ = writeln!(
            out,
            "failure ({:?}): {}{}",
            f.kind,
            f.agent.as_deref().map(|a| format!("{a}: ")).unwrap_or_default(),
            f.message
        );
    }
    for ((header, agent), u) in scenario.seats().iter().zip(agents).zip(&r.utilities) {
        let u = u.map_or_else(|| "unknown".to_string(), |u| format!("{u:.4}"));
        let _ = writeln!(out, "  {:<24} {:<28} utility {u}", header.id, agent);
    }
    for note in notes {
        let _ = writeln!(out, "note: {note}");
    }
    // Names print as they are: a control, bidirectional or invisible character escaped.
    truce_model::escape_text(&out).into_owned()
}

/// The SVG of a negotiation's transcript (as recorded by [`truce_sim::Negotiation`]).
#[must_use]
pub fn negotiation_svg(events: &[Event]) -> String {
    let mut parties: Vec<String> = Vec::new();
    let mut title = String::from("negotiation");
    let mut points: Vec<Point> = Vec::new();
    let mut result = None;
    for e in events {
        match e {
            Event::Start(h) => {
                parties = h.parties.iter().map(|p| format!("{} ({})", p.id, p.agent)).collect();
                title = format!("{} — {}", h.scenario, h.protocol);
            }
            Event::Offer { time, party, outcome, utilities, .. }
            | Event::Position { time, party, outcome, utilities, .. } => points.push(Point {
                time: *time,
                by: Some(*party),
                utilities: utilities.clone(),
                outcome: outcome.clone(),
            }),
            Event::Text { time, outcome, utilities, .. } => {
                points.push(Point {
                    time: *time,
                    by: None,
                    utilities: utilities.clone(),
                    outcome: outcome.clone(),
                });
            }
            Event::Result(r) => result = Some(r.as_ref().clone()),
            _ => {}
        }
    }
    let n = parties.len().max(points.first().map_or(0, |p| p.utilities.len()));
    let width = 2.0 * PANEL + 3.0 * MARGIN;
    let height = PANEL + 2.0 * MARGIN + 20.0 * n as f64;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(svg, r#"<text x="{MARGIN}" y="20" font-size="14">{}</text>"#, escape(&title));

    // Left panel: utility over time.
    let (x0, y0) = (MARGIN, MARGIN);
    axes(&mut svg, x0, y0, "time", "utility");
    for p in 0..n {
        let colour = PALETTE[p % PALETTE.len()];
        let own: Vec<String> = points
            .iter()
            .filter(|q| q.by == Some(p))
            .filter_map(|q| {
                let u = q.utilities.get(p).copied().flatten()?;
                Some(format!("{:.2},{:.2}", x0 + q.time * PANEL, y0 + (1.0 - u.clamp(0.0, 1.0)) * PANEL))
            })
            .collect();
        if !own.is_empty() {
            let _ = writeln!(
                svg,
                r#"<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{}"/>"#,
                own.join(" ")
            );
        }
        for q in points.iter().filter(|q| q.by != Some(p)) {
            let Some(u) = q.utilities.get(p).copied().flatten() else { continue };
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.2}" cy="{:.2}" r="1.5" fill="{colour}" opacity="0.5"/>"#,
                x0 + q.time * PANEL,
                y0 + (1.0 - u.clamp(0.0, 1.0)) * PANEL
            );
        }
    }

    // Right panel: offers in the utility space of the first two parties.
    let (x1, y1) = (2.0 * MARGIN + PANEL, MARGIN);
    let label = |p: usize| parties.get(p).cloned().unwrap_or_else(|| format!("party {p}"));
    axes(&mut svg, x1, y1, &format!("utility of {}", label(0)), &format!("utility of {}", label(1)));
    if n >= 2 {
        let xy =
            |q: &Point| match (q.utilities.first().copied().flatten(), q.utilities.get(1).copied().flatten())
            {
                (Some(a), Some(b)) => {
                    Some((x1 + a.clamp(0.0, 1.0) * PANEL, y1 + (1.0 - b.clamp(0.0, 1.0)) * PANEL))
                }
                _ => None,
            };
        for q in &points {
            let colour = q.by.map_or("#999999", |b| PALETTE[b % PALETTE.len()]);
            let Some((x, y)) = xy(q) else { continue };
            let _ = writeln!(svg, r#"<circle cx="{x:.2}" cy="{y:.2}" r="3" fill="{colour}" opacity="0.6"/>"#);
        }
        if let Some(agreement) = result.as_ref().and_then(|r| r.agreement.as_ref())
            && let Some((x, y)) = points.iter().rev().find(|q| &q.outcome == agreement).and_then(xy)
        {
            let _ = writeln!(
                svg,
                r#"<circle cx="{x:.2}" cy="{y:.2}" r="8" fill="none" stroke="black" stroke-width="2"><title>agreement</title></circle>"#,
            );
        }
    }

    // Legend and outcome.
    let mut y = MARGIN + PANEL + 40.0;
    for p in 0..n {
        let _ = writeln!(
            svg,
            r#"<rect x="{MARGIN}" y="{:.0}" width="12" height="12" fill="{}"/><text x="{:.0}" y="{:.0}">{}</text>"#,
            y - 10.0,
            PALETTE[p % PALETTE.len()],
            MARGIN + 18.0,
            y,
            escape(&label(p))
        );
        y += 20.0;
    }
    if let Some(r) = &result {
        let status = match r.status {
            Status::Agreement => format!("agreement after {} rounds (t = {:.3})", r.rounds, r.time),
            other => format!("{} after {} rounds", other.as_str().replace('_', " "), r.rounds),
        };
        let _ = writeln!(
            svg,
            r#"<text x="{:.0}" y="{:.0}">{}</text>"#,
            x1,
            MARGIN + PANEL + 40.0,
            escape(&status)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn axes(svg: &mut String, x: f64, y: f64, xlabel: &str, ylabel: &str) {
    let _ = writeln!(
        svg,
        r#"<rect x="{x}" y="{y}" width="{PANEL}" height="{PANEL}" fill="none" stroke="black"/>"#
    );
    for k in 0..=4 {
        let f = f64::from(k) / 4.0;
        let _ = writeln!(
            svg,
            r##"<line x1="{x}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#dddddd"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{f:.2}</text><text x="{xx:.1}" y="{by}" text-anchor="middle">{f:.2}</text>"##,
            yy = y + (1.0 - f) * PANEL,
            x2 = x + PANEL,
            tx = x - 4.0,
            ty = y + (1.0 - f) * PANEL + 4.0,
            xx = x + f * PANEL,
            by = y + PANEL + 14.0,
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        x + PANEL / 2.0,
        y + PANEL + 30.0,
        escape(xlabel)
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" transform="rotate(-90 {:.1} {:.1})">{}</text>"#,
        x - 34.0,
        y + PANEL / 2.0,
        x - 34.0,
        y + PANEL / 2.0,
        escape(ylabel)
    );
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use truce_model::*;
    use truce_sim::{AgentFactory, AgentSpec, Negotiation, Scenario};

    use super::*;

    #[test]
    fn plots_every_offer_and_rings_the_agreement() {
        let space =
            OutcomeSpace::new(vec![Issue::new("x", IssueDomain::integer(0, 10, 1).unwrap())]).unwrap();
        let prefs = |a: f64, b: f64| {
            Preferences::new(Utility::Additive(AdditiveUtility {
                issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, a, 10.0, b) }],
            }))
        };
        let scenario = Scenario::new(
            "a<b",
            Domain::unphased(space),
            vec![("a".into(), "A".into(), prefs(0.0, 1.0)), ("b".into(), "B".into(), prefs(1.0, 0.0))],
        )
        .unwrap();
        let agents: Vec<Arc<dyn AgentFactory>> = vec![
            Arc::new(AgentSpec::parse("linear").unwrap()),
            Arc::new(AgentSpec::parse("linear").unwrap()),
        ];
        let mut n = Negotiation::new(Arc::new(scenario), agents);
        n.deadline = truce_sim::Deadline::rounds(10);
        let run = n.run(None).unwrap();
        assert!(run.result.agreed());
        let svg = negotiation_svg(&run.events);
        let offers = run.events.iter().filter(|e| matches!(e, Event::Offer { .. })).count();
        // One dot per offer in the utility-space panel, one per offer and other party in the left one.
        assert_eq!(svg.matches(r#"r="3""#).count(), offers);
        assert_eq!(svg.matches(r#"r="1.5""#).count(), offers);
        assert_eq!(svg.matches("<title>agreement</title>").count(), 1);
        assert!(svg.contains("a&lt;b"), "names are escaped");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg, negotiation_svg(&run.events), "deterministic");
    }
}
