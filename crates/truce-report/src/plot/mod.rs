//! The plots, written as SVG by hand so that every text is placed where nothing else is: a small
//! SVG writer that measures its text ([`canvas`]), the greedy label placement ([`labels`]), legends
//! ([`legend`]), the utility space at any number of parties ([`space`]) and time on a time axis
//! ([`time`]). The public entry points are in [`crate::svg`] and [`crate::sim`].

pub(crate) mod canvas;
pub(crate) mod history;
pub(crate) mod labels;
pub(crate) mod legend;
pub(crate) mod space;
pub(crate) mod time;

use truce_analysis::{Findings, Subject, label, timeline};
use truce_model::Case;

use space::{Kind, Mark, Space};

/// The parties' colours, in party order (repeating).
pub(crate) const PALETTE: [&str; 8] =
    ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

pub(crate) fn party_colour(p: usize) -> &'static str {
    PALETTE[p % PALETTE.len()]
}

/// The bargaining solutions as marks: name, marker and colour.
pub(crate) const SOLUTIONS: [(&str, &str, char, &str); 4] = [
    ("Nash", "Nash (1950)", '^', "#d21e1e"),
    ("KS", "Kalai-Smorodinsky (1975)", 'd', "#e08200"),
    ("egalitarian", "egalitarian (Kalai 1977)", 'v', "#8c28aa"),
    ("max welfare", "maximum welfare", 's', "#6e461e"),
];

/// Solution marks, coinciding ones sharing one label (`Nash = KS`).
pub(crate) fn solution_marks(points: [Option<&[f64]>; 4]) -> Vec<Mark> {
    let mut marks: Vec<Mark> = Vec::new();
    for (k, (short, long, shape, colour)) in SOLUTIONS.iter().enumerate() {
        let Some(u) = points[k] else { continue };
        let same: Vec<&str> = SOLUTIONS
            .iter()
            .zip(points)
            .filter(|(_, other)| other.is_some_and(|o| o == u))
            .map(|((s, ..), _)| *s)
            .collect();
        let first = same.first() == Some(short);
        marks.push(Mark {
            label: if first { same.join(" = ") } else { String::new() },
            title: (*long).to_owned(),
            low: u.to_vec(),
            high: u.to_vec(),
            kind: Kind::Solution(*shape, colour),
        });
    }
    marks
}

/// The number of each evaluated proposal or outcome in the plots and tables: proposals by date
/// from 1, then the outcomes given to the analysis.
#[must_use]
pub(crate) fn numbered<'f>(case: &Case, f: &'f Findings) -> Vec<(usize, &'f truce_analysis::Evaluation)> {
    let mut order: Vec<&truce_analysis::Evaluation> = timeline(case)
        .into_iter()
        .filter_map(|id| f.evaluations.iter().find(|e| e.subject == Subject::Proposal(id)))
        .collect();
    order.extend(f.evaluations.iter().filter(|e| matches!(e.subject, Subject::Outcome(_))));
    order.into_iter().enumerate().map(|(k, e)| (k + 1, e)).collect()
}

/// The utility space of an analysis.
pub(crate) fn analysis_space<'f>(case: &Case, f: &'f Findings) -> Space<'f> {
    let s = &f.solutions;
    let mut marks = solution_marks([
        s.nash.as_ref().map(|x| x.point.utilities.as_slice()),
        s.kalai_smorodinsky.as_ref().map(|x| x.point.utilities.as_slice()),
        s.egalitarian.as_ref().map(|x| x.point.utilities.as_slice()),
        s.max_welfare.as_ref().map(|x| x.point.utilities.as_slice()),
    ]);
    for (k, e) in numbered(case, f) {
        let ranges: Option<Vec<(f64, f64)>> =
            e.parties.iter().map(|v| v.utility.map(|u| (u.low, u.high))).collect();
        let Some(ranges) = ranges else { continue };
        let date = match e.subject {
            Subject::Proposal(id) => case.proposal(id).date.map(|d| format!(" ({d})")).unwrap_or_default(),
            Subject::Outcome(_) => String::new(),
        };
        marks.push(Mark {
            label: k.to_string(),
            title: format!("{k}. {}{date}", label(case, &e.subject)),
            low: ranges.iter().map(|r| r.0).collect(),
            high: ranges.iter().map(|r| r.1).collect(),
            kind: Kind::Proposal,
        });
    }
    Space {
        title: case.title.clone(),
        names: f.parties.iter().map(|p| case.party(p.party).id.clone()).collect(),
        reservation: f.parties.iter().map(|p| p.reservation).collect(),
        frontier: f.frontier.points.iter().map(|p| p.utilities.as_slice()).collect(),
        frontier_exact: f.frontier.method.is_exact(),
        zone_frontier: f.zone.frontier.iter().map(|p| p.utilities.as_slice()).collect(),
        cloud: (!f.cloud.utilities.is_empty()).then_some((
            f.cloud.utilities.as_slice(),
            f.cloud.acceptable.as_slice(),
            f.cloud.complete,
        )),
        marks,
        links: Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::canvas::Rect;

    /// The boxes of every `<text>` in an SVG written by [`super::canvas::Canvas`], recomputed from
    /// the markup (position, size, anchor and text), for tests that check that no two overlap.
    pub(crate) fn text_boxes(svg: &str) -> Vec<(String, Rect)> {
        let mut out = Vec::new();
        for part in svg.split("<text ").skip(1) {
            let part = part.split("</text>").next().unwrap_or("");
            let attr = |name: &str| -> Option<String> {
                let start = part
                    .find(&format!(" {name}=\""))
                    .map(|i| i + name.len() + 3)
                    .or_else(|| part.starts_with(&format!("{name}=\"")).then_some(name.len() + 2))?;
                let end = part[start..].find('"')? + start;
                Some(part[start..end].to_owned())
            };
            if part.contains("rotate(") {
                continue;
            }
            let num = |name: &str| attr(name).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
            let anchor = match attr("text-anchor").as_deref() {
                Some("middle") => super::canvas::Anchor::Middle,
                Some("end") => super::canvas::Anchor::End,
                _ => super::canvas::Anchor::Start,
            };
            let body = part.split_once('>').map(|(_, rest)| rest);
            let text = body
                .unwrap_or("")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'");
            let bold = part.split_once('>').is_some_and(|(head, _)| head.contains("bold"));
            let rect = super::canvas::text_box(&text, num("x"), num("y"), num("font-size"), anchor, bold);
            out.push((text, rect));
        }
        out
    }

    /// Panics naming the first two texts of `svg` whose boxes overlap.
    pub(crate) fn assert_no_overlap(svg: &str) {
        let boxes = text_boxes(svg);
        assert!(!boxes.is_empty());
        for (i, (a, ra)) in boxes.iter().enumerate() {
            for (b, rb) in &boxes[i + 1..] {
                assert!(!ra.overlaps(rb), "`{a}` {ra:?} overlaps `{b}` {rb:?}");
            }
        }
    }
}
