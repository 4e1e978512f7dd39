//! SVG plots of one negotiation from its transcript: utilities over time, and the offers in utility
//! space.
//!
//! The left panel draws, for each party, the utility to that party of each offer it made (its
//! concession curve, solid) and of each offer made to it (dots). The right panel places every offer,
//! position and mediator text at its utilities to the two parties (coloured by who made it; texts in
//! grey), and rings the agreement; with three or more parties, a small panel per pair of parties
//! below it, as the analysis' pairwise view, so that every party appears. The SVG is plain text, the same for the same transcript.

use std::fmt::Write as _;

use truce_sim::{Event, Protocol, Run, Scenario, Status};

use crate::plot::canvas::{Anchor, Canvas, Rect, Stroke, Text};
use crate::plot::legend::{self, Entry};
use crate::plot::party_colour;
use crate::plot::space::{self, Kind, Mark, Space};

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
            let _ = writeln!(out, "{}: {}", ending(r), space.describe(outcome));
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
        let u = u.map_or_else(|| "unknown".to_string(), crate::fmt::u);
        let _ = writeln!(out, "  {:<24} {:<28} utility {u}", header.id, agent);
    }
    for note in notes {
        let _ = writeln!(out, "note: {note}");
    }
    // Names print as they are: a control, bidirectional or invisible character escaped.
    truce_model::escape_text(&out).into_owned()
}

/// The page of one negotiation (`truce negotiate --html`): the summary's lines, the parties' agents
/// and utilities as a table, and the plot of [`negotiation_plot`] with its caption.
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn negotiation_html(
    scenario: &Scenario,
    protocol: Protocol,
    rounds: u32,
    seed: u64,
    agents: &[String],
    run: &Run,
    notes: &[String],
    reference: Option<&Reference>,
) -> String {
    let text = summary(scenario, protocol, rounds, seed, agents, run, notes);
    let lines: Vec<String> = text.lines().filter(|l| !l.starts_with("  ")).map(str::to_owned).collect();
    let mut table = crate::html::Table::new(["party", "agent", "utility"]);
    table.caption = Some("Who negotiated, and what each got".into());
    for ((seat, agent), u) in scenario.seats().iter().zip(agents).zip(&run.result.utilities) {
        table.rows.push(
            vec![
                crate::html::Cell::new(seat.id.clone()),
                crate::html::Cell::new(agent.clone()),
                crate::html::Cell::num(u.map_or_else(|| "unknown".to_string(), crate::fmt::u)),
            ]
            .into(),
        );
    }
    let plot = negotiation_plot(&run.events, reference);
    crate::html::negotiation_page(scenario.name(), &lines, &table, &plot.svg, &plot.caption)
}

/// What a negotiation is measured against: the Pareto frontier of the day it is negotiated on and
/// its Nash and Kalai-Smorodinsky points (over the zone of agreement; `None` when it is empty), from
/// the analysis the facade runs before the negotiation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    /// The frontier's points' utilities, in seat order.
    pub frontier: Vec<Vec<f64>>,
    /// Whether the frontier is exact.
    pub exact: bool,
    /// The Nash point's utilities.
    pub nash: Option<Vec<f64>>,
    /// The Kalai-Smorodinsky point's utilities.
    pub kalai_smorodinsky: Option<Vec<f64>>,
    /// The reservation values.
    pub reservation: Vec<f64>,
}

impl Reference {
    /// The reference of an analysis.
    #[must_use]
    pub fn of(findings: &truce_analysis::Findings) -> Self {
        Self {
            frontier: findings.frontier.points.iter().map(|p| p.utilities.clone()).collect(),
            exact: findings.frontier.method.is_exact(),
            nash: findings.solutions.nash.as_ref().map(|s| s.point.utilities.clone()),
            kalai_smorodinsky: findings
                .solutions
                .kalai_smorodinsky
                .as_ref()
                .map(|s| s.point.utilities.clone()),
            reservation: findings.parties.iter().map(|p| p.reservation).collect(),
        }
    }
}

/// A negotiation's plot and the caption that says what it shows, in the summary's words.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// The SVG.
    pub svg: String,
    /// The caption: how it ended (`agreement in round 97`, as the summary says) and the agreement's
    /// distances to the Nash and Kalai-Smorodinsky points.
    pub caption: String,
}

/// How a negotiation ended, in the words of [`summary`]: `agreement in round 97 (t = 0.980)`.
fn ending(r: &truce_sim::NegotiationResult) -> String {
    match r.status {
        Status::Agreement => format!("agreement in round {} (t = {:.3})", r.rounds.saturating_sub(1), r.time),
        other => format!("{} after {} rounds", other.as_str().replace('_', " "), r.rounds),
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// The SVG of a negotiation's transcript (as recorded by [`truce_sim::Negotiation`]), without a
/// reference.
#[must_use]
pub fn negotiation_svg(events: &[Event]) -> String {
    negotiation_plot(events, None).svg
}

/// The plot of a negotiation: on the left each party's utility over time (its own offers a line,
/// the offers made to it dots); on the right the offers in utility space with the Pareto frontier,
/// the Nash and Kalai-Smorodinsky points of `reference`, the agreement ringed and its distances to
/// both. With more than two parties the utility space is a small panel per pair of parties, under
/// the time panel, the frontier drawn as points.
#[must_use]
pub fn negotiation_plot(events: &[Event], reference: Option<&Reference>) -> Plot {
    let mut parties: Vec<String> = Vec::new();
    let mut title = String::from("negotiation");
    let mut points: Vec<Point> = Vec::new();
    let mut result = None;
    for e in events {
        match e {
            Event::Start(h) => {
                parties = h.parties.iter().map(|p| p.id.clone()).collect();
                title = format!("{} under {}", h.scenario, h.protocol);
            }
            Event::Offer { time, party, outcome, utilities, .. }
            | Event::Position { time, party, outcome, utilities, .. } => points.push(Point {
                time: *time,
                by: Some(*party),
                utilities: utilities.clone(),
                outcome: outcome.clone(),
            }),
            Event::Text { time, outcome, utilities, .. } => points.push(Point {
                time: *time,
                by: None,
                utilities: utilities.clone(),
                outcome: outcome.clone(),
            }),
            Event::Result(r) => result = Some(r.as_ref().clone()),
            _ => {}
        }
    }
    let n = parties.len().max(points.first().map_or(0, |p| p.utilities.len()));
    while parties.len() < n {
        parties.push(format!("party {}", parties.len()));
    }
    let (panel, gap, top): (f64, f64, f64) = (340.0, 110.0, 46.0);
    // Three or more parties: the utility space is a small panel per pair of parties, in rows of up
    // to three under the time panel (no pair is left out).
    let pairs: Vec<(usize, usize)> =
        if n > 2 { (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect() } else { Vec::new() };
    let (columns, cell) = (pairs.len().min(3), 300.0);
    #[allow(clippy::cast_precision_loss)]
    let width = (70.0 + panel + gap + panel + 30.0).max(20.0 + cell * columns as f64);
    let mut c = Canvas::new(width, 0.0);
    c.text(20.0, 24.0, &title, Text::plain(15.0).bold());
    // Left: utility over time.
    let (x0, y0) = (70.0, top);
    let tx = |t: f64| x0 + t.clamp(0.0, 1.0) * panel;
    let ty = |u: f64| y0 + (1.0 - u.clamp(0.0, 1.0)) * panel;
    c.rect(Rect::new(x0, y0, x0 + panel, y0 + panel), "none", 1.0, Some(Stroke::solid("#333", 1.0)), "");
    for k in 0..=4 {
        let f = f64::from(k) / 4.0;
        c.line((x0, ty(f)), (x0 + panel, ty(f)), Stroke::solid("#eee", 1.0));
        c.text(
            x0 - 6.0,
            ty(f) + 4.0,
            &format!("{f:.2}"),
            Text::plain(10.5).anchor(Anchor::End).colour("#333"),
        );
        c.text(
            tx(f),
            y0 + panel + 19.0,
            &format!("{f:.2}"),
            Text::plain(10.5).anchor(Anchor::Middle).colour("#333"),
        );
    }
    c.text(
        x0 + panel / 2.0,
        y0 + panel + 35.0,
        "time (share of the deadline)",
        Text::plain(12.0).anchor(Anchor::Middle),
    );
    c.vertical_text(x0 - 44.0, y0 + panel / 2.0, "utility", 12.0);
    for p in 0..n {
        let colour = party_colour(p);
        let own: Vec<(f64, f64)> = points
            .iter()
            .filter(|q| q.by == Some(p))
            .filter_map(|q| Some((tx(q.time), ty(q.utilities.get(p).copied().flatten()?))))
            .collect();
        c.polyline(&own, Stroke::solid(colour, 1.6), "own-offers");
        for q in points.iter().filter(|q| q.by != Some(p)) {
            let Some(u) = q.utilities.get(p).copied().flatten() else { continue };
            c.raw(&format!(
                r#"<circle class="offer-to" cx="{:.2}" cy="{:.2}" r="1.6" fill="{colour}" fill-opacity="0.5"/>"#,
                tx(q.time),
                ty(u)
            ));
        }
    }
    // Right: the offers in utility space.
    let agreement: Option<Vec<f64>> = result
        .as_ref()
        .and_then(|r| r.agreement.as_ref())
        .and_then(|a| points.iter().rev().find(|q| &q.outcome == a))
        .and_then(|q| q.utilities.iter().copied().collect::<Option<Vec<f64>>>());
    let mut marks: Vec<Mark> = points
        .iter()
        .filter_map(|q| {
            let u: Vec<f64> = q.utilities.iter().copied().collect::<Option<Vec<f64>>>()?;
            Some(Mark {
                label: String::new(),
                title: String::new(),
                low: u.clone(),
                high: u,
                kind: Kind::Offer(q.by.map_or("#888888", party_colour)),
            })
        })
        .collect();
    let mut links = Vec::new();
    let mut distances = Vec::new();
    if let Some(r) = reference {
        let ks = r.kalai_smorodinsky.as_deref();
        marks.extend(crate::plot::solution_marks([r.nash.as_deref(), ks, None, None]));
        if let Some(a) = &agreement {
            let same = r.nash.is_some() && r.nash == r.kalai_smorodinsky;
            for (name, short, point) in
                [("Nash", "Nash", r.nash.as_ref()), ("Kalai-Smorodinsky", "KS", r.kalai_smorodinsky.as_ref())]
            {
                let Some(point) = point else { continue };
                let d = crate::fmt::u(distance(a, point));
                distances.push(format!("{d} from the {name} point"));
                if same && short == "KS" {
                    continue;
                }
                let to = if same { "Nash = KS" } else { short };
                links.push((a.clone(), point.clone(), format!("{d} to {to}")));
            }
        }
    }
    if let Some(a) = &agreement {
        marks.push(Mark {
            label: "agreement".into(),
            title: "agreement".into(),
            low: a.clone(),
            high: a.clone(),
            kind: Kind::Agreement,
        });
    }
    let space = Space {
        title: title.clone(),
        names: parties.clone(),
        reservation: reference.map(|r| r.reservation.clone()).unwrap_or_default(),
        frontier: reference.map(|r| r.frontier.iter().map(Vec::as_slice).collect()).unwrap_or_default(),
        frontier_exact: reference.is_none_or(|r| r.exact),
        zone_frontier: Vec::new(),
        cloud: None,
        marks,
        links,
    };
    let mut below = y0 + panel + 46.0;
    if n == 2 {
        let x1 = x0 + panel + gap;
        space::panel_at(&mut c, &space, 0, 1, Rect::new(x1, y0, x1 + panel, y0 + panel), false);
    } else if n > 2 {
        let heading = format!("utility space, each pair of the {n} parties");
        c.text(20.0, below + 8.0, &heading, Text::plain(13.0).bold());
        let grid = below + 24.0;
        for (k, &(i, j)) in pairs.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let (col, row) = ((k % columns) as f64, (k / columns) as f64);
            let (px, py) = (20.0 + col * cell + 52.0, grid + row * cell);
            let area = Rect::new(px, py, px + cell - 72.0, py + cell - 72.0);
            space::panel_at(&mut c, &space, i, j, area, true);
            below = below.max(area.y1 + 46.0);
        }
    }
    let mut entries: Vec<Entry> = Vec::new();
    for (p, name) in parties.iter().enumerate() {
        entries.push(Entry::line(format!("{name}: utility of its own offers"), party_colour(p)));
        entries.push(Entry::marker(
            format!("offers {name} made, at every party's utility"),
            'o',
            party_colour(p),
        ));
    }
    if points.iter().any(|q| q.by.is_none()) {
        entries.push(Entry::marker("mediator's texts", 'o', "#888888"));
    }
    entries.extend(space::legend_entries(&space));
    let bottom = legend::draw(&mut c, 20.0, below, width - 40.0, &entries);
    c.height = bottom + 8.0;
    let mut caption = match &result {
        Some(r) => format!("{title}: {}", ending(r)),
        None => format!("{title}: no result recorded"),
    };
    if agreement.is_some() && !distances.is_empty() {
        caption.push_str(&format!("; the agreement is {}", distances.join(" and ")));
    } else if agreement.is_some() && reference.is_some_and(|r| r.nash.is_none()) {
        caption.push_str(
            "; the zone of agreement of the day is empty, so there is no Nash or Kalai-Smorodinsky point",
        );
    }
    if n > 2 {
        caption.push_str(&format!(
            "; utility space of each pair of the {n} parties ({}), the frontier's points seen from them",
            pairs
                .iter()
                .map(|&(i, j)| format!("{} and {}", parties[i], parties[j]))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    caption.push('.');
    Plot { svg: c.finish(&caption, "plot negotiation"), caption }
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
        assert_eq!(svg.matches(r#"r="2.6""#).count(), offers);
        assert_eq!(svg.matches(r#"class="offer-to""#).count(), offers);
        assert_eq!(svg.matches("<title>agreement</title>").count(), 1);
        assert!(svg.contains("a&lt;b"), "names are escaped");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg, negotiation_svg(&run.events), "deterministic");
        crate::plot::tests::assert_no_overlap(&svg);

        // Against a reference: the frontier, Nash and KS points, the distances, a caption in the
        // summary's words.
        let frontier: Vec<Vec<f64>> =
            (0..=10).map(|k| vec![f64::from(k) / 10.0, 1.0 - f64::from(k) / 10.0]).collect();
        let reference = Reference {
            frontier,
            exact: true,
            nash: Some(vec![0.5, 0.5]),
            kalai_smorodinsky: Some(vec![0.5, 0.5]),
            reservation: vec![0.0, 0.0],
        };
        let plot = negotiation_plot(&run.events, Some(&reference));
        let text =
            summary(&run_scenario(), Protocol::Sao, 10, 0, &["linear".into(), "linear".into()], &run, &[]);
        let said = text.lines().nth(1).unwrap().split(':').next().unwrap().to_owned();
        assert!(said.starts_with("agreement in round "), "{said}");
        assert!(plot.caption.contains(&said), "{} / {said}", plot.caption);
        assert!(
            plot.caption.contains("from the Nash point")
                && plot.caption.contains("from the Kalai-Smorodinsky point")
        );
        assert!(plot.svg.contains("class=\"frontier\"") && plot.svg.contains(">Nash = KS<"));
        assert!(plot.svg.contains("to Nash = KS<"), "the distance is labelled");
        for entry in [
            "Pareto frontier",
            "Nash (1950)",
            "Kalai-Smorodinsky (1975)",
            "agreement",
            "utility of its own offers",
        ] {
            assert!(plot.svg.contains(entry), "legend: {entry}");
        }
        crate::plot::tests::assert_no_overlap(&plot.svg);
    }

    /// With three parties the utility space showed the first two alone (issue 13): every pair of
    /// parties has a panel, and the caption names them.
    #[test]
    fn three_parties_get_a_panel_per_pair() {
        let space =
            OutcomeSpace::new(vec![Issue::new("x", IssueDomain::integer(0, 10, 1).unwrap())]).unwrap();
        let prefs = |a: f64, b: f64| {
            Preferences::new(Utility::Additive(AdditiveUtility {
                issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, a, 10.0, b) }],
            }))
        };
        let scenario = Scenario::new(
            "three",
            Domain::unphased(space),
            vec![
                ("a".into(), "A".into(), prefs(0.0, 1.0)),
                ("b".into(), "B".into(), prefs(1.0, 0.0)),
                ("c".into(), "C".into(), prefs(0.2, 0.8)),
            ],
        )
        .unwrap();
        let agents: Vec<Arc<dyn AgentFactory>> =
            (0..3).map(|_| Arc::new(AgentSpec::parse("linear").unwrap()) as Arc<dyn AgentFactory>).collect();
        let mut n = Negotiation::new(Arc::new(scenario), agents);
        n.deadline = truce_sim::Deadline::rounds(10);
        let run = n.run(None).unwrap();
        let plot = negotiation_plot(&run.events, None);
        for party in ["a", "b", "c"] {
            // Each party is an axis of the two panels of the pairs it is in.
            assert_eq!(plot.svg.matches(&format!(">utility of {party}<")).count(), 2, "{party}");
        }
        assert!(plot.svg.contains("each pair of the 3 parties"));
        assert!(
            plot.caption.contains("each pair of the 3 parties (a and b, a and c, b and c)"),
            "{}",
            plot.caption
        );
        let offers = run.events.iter().filter(|e| matches!(e, Event::Offer { .. })).count();
        // Every offer is a dot in each of the three panels.
        assert_eq!(plot.svg.matches(r#"r="2.6""#).count(), 3 * offers);
        crate::plot::tests::assert_no_overlap(&plot.svg);
    }

    fn run_scenario() -> Scenario {
        let space =
            OutcomeSpace::new(vec![Issue::new("x", IssueDomain::integer(0, 10, 1).unwrap())]).unwrap();
        let prefs = |a: f64, b: f64| {
            Preferences::new(Utility::Additive(AdditiveUtility {
                issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, a, 10.0, b) }],
            }))
        };
        Scenario::new(
            "a<b",
            Domain::unphased(space),
            vec![("a".into(), "A".into(), prefs(0.0, 1.0)), ("b".into(), "B".into(), prefs(1.0, 0.0))],
        )
        .unwrap()
    }
}
