//! The history of a negotiation's texts and the responses to them, in the order they were tabled:
//! a column per proposal (numbered as in the tables), and for each negotiator a row of its verdict
//! (the cell's colour) and its recorded response (the mark); above them, when the viewer may see
//! utilities, each negotiator's utility of every text as a line, its reservation value dashed. The
//! live-mediation server draws it for a negotiation in progress; proposals need no dates.

use truce_analysis::{Findings, Subject, Verdict};
use truce_model::{Case, Stance};

use super::canvas::{Anchor, Canvas, Rect, Stroke, Text, text_width};
use super::{legend, numbered, party_colour};

/// The colours of the verdicts' cells (light, so that the marks stay legible on them).
const ACCEPTABLE: &str = "#cdebd3";
const UNACCEPTABLE: &str = "#f6cccc";
const UNDECIDED: &str = "#ececec";

/// A response's mark: shape, colour, words.
fn mark(stance: Stance) -> (char, &'static str, &'static str) {
    match stance {
        Stance::Accepted => ('o', "#1a7f37", "accepted"),
        Stance::Rejected => ('x', "#b42318", "rejected"),
        Stance::Countered => ('d', "#9a6700", "proposed amendments"),
        Stance::Unknown => ('s', "#777777", "answered (unknown how)"),
    }
}

/// The chart, or `None` when there is no proposal or no negotiator. `utilities` draws the top
/// panel of utilities; without it, nothing drawn depends on a utility's value except the verdict.
pub(crate) fn history(case: &Case, f: &Findings, utilities: bool) -> Option<String> {
    let items = numbered(case, f);
    let n = f.parties.len();
    if items.is_empty() || n == 0 {
        return None;
    }
    let names: Vec<String> = f.parties.iter().map(|p| case.party(p.party).id.clone()).collect();
    let width = 720.0;
    let left = 20.0 + names.iter().map(|s| text_width(s, 11.5, false)).fold(60.0_f64, f64::max) + 10.0;
    let right = width - 20.0;
    #[allow(clippy::cast_precision_loss)]
    let step = (right - left) / items.len() as f64;
    let x = |k: usize| {
        #[allow(clippy::cast_precision_loss)]
        let at = left + step * (k as f64 - 0.5);
        at
    };
    let mut c = Canvas::new(width, 0.0);
    let title = "Texts and responses in the order tabled";
    c.text(20.0, 22.0, title, Text::plain(14.0).bold());
    let mut y = 40.0;
    // Top: utilities of every text.
    if utilities {
        let (top, height) = (y + 4.0, 180.0);
        let ty = |u: f64| top + (1.0 - u.clamp(0.0, 1.0)) * height;
        c.rect(Rect::new(left, top, right, top + height), "none", 1.0, Some(Stroke::solid("#333", 1.0)), "");
        for k in 0..=4 {
            let v = f64::from(k) / 4.0;
            c.line((left, ty(v)), (right, ty(v)), Stroke::solid("#eee", 1.0));
            c.text(
                left - 6.0,
                ty(v) + 4.0,
                &format!("{v:.2}"),
                Text::plain(10.5).anchor(Anchor::End).colour("#333"),
            );
        }
        for (p, facts) in f.parties.iter().enumerate() {
            let colour = party_colour(p);
            c.line(
                (left, ty(facts.reservation)),
                (right, ty(facts.reservation)),
                Stroke::dashed(colour, 1.2),
            );
            let points: Vec<(f64, f64)> = items
                .iter()
                .enumerate()
                .filter_map(|(k, (_, e))| {
                    let u = e.parties.get(p)?.utility?;
                    Some((x(k + 1), ty(u.low)))
                })
                .collect();
            c.polyline(&points, Stroke::solid(colour, 1.6), "utility");
            for (k, (number, e)) in items.iter().enumerate() {
                let Some(u) = e.parties.get(p).and_then(|v| v.utility) else { continue };
                c.circle(
                    (x(k + 1), ty(u.low)),
                    2.6,
                    colour,
                    None,
                    &format!("{number}: {} {}", names[p], crate::fmt::u(u.low)),
                );
            }
        }
        y = top + height + 14.0;
    }
    // Rows: each negotiator's verdict and response per text.
    let row = 24.0;
    let rows_top = y;
    for (p, name) in names.iter().enumerate() {
        let top = rows_top + row * f64::from(u16::try_from(p).unwrap_or(u16::MAX));
        c.text(left - 8.0, top + row / 2.0 + 4.0, name, Text::plain(11.5).anchor(Anchor::End));
        for (k, (number, e)) in items.iter().enumerate() {
            let Some(v) = e.parties.get(p) else { continue };
            let (fill, words) = match v.verdict {
                Verdict::Acceptable => (ACCEPTABLE, "acceptable"),
                Verdict::Unacceptable => (UNACCEPTABLE, "not acceptable"),
                Verdict::Depends => (UNDECIDED, "depends"),
                Verdict::Unknown => (UNDECIDED, "unknown"),
            };
            let cell = Rect::new(
                x(k + 1) - step / 2.0 + 1.0,
                top + 1.0,
                x(k + 1) + step / 2.0 - 1.0,
                top + row - 1.0,
            );
            c.rect(cell, fill, 1.0, None, &format!("{number}: {words} to {name}"));
            let Subject::Proposal(id) = e.subject else { continue };
            let party = f.parties[p].party;
            for r in case.proposal(id).responses.iter().filter(|r| r.party == party) {
                let (shape, colour, said) = mark(r.stance);
                let radius = (step / 2.0 - 2.0).clamp(1.5, 5.0);
                c.marker(
                    shape,
                    (x(k + 1), top + row / 2.0),
                    radius,
                    colour,
                    &format!("{number}: {name} {said}"),
                );
            }
        }
    }
    y = rows_top + row * f64::from(u16::try_from(n).unwrap_or(u16::MAX));
    c.line((left, y), (right, y), Stroke::solid("#333", 1.0));
    // The texts' numbers: every one, or every 2nd, 5th, 10th... so that none touches the next.
    let widest = text_width(&items.len().to_string(), 10.5, false) + 4.0;
    let every = [1_usize, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|&e| {
            #[allow(clippy::cast_precision_loss)]
            let room = step * e as f64;
            room >= widest
        })
        .unwrap_or(10_000);
    for (k, (number, _)) in items.iter().enumerate() {
        if every == 1 || number % every == 0 {
            let text = number.to_string();
            c.text(x(k + 1), y + 15.0, &text, Text::plain(10.5).anchor(Anchor::Middle).colour("#333"));
        }
    }
    c.text(
        (left + right) / 2.0,
        y + 32.0,
        "texts and offers, numbered as in the tables",
        Text::plain(12.0).anchor(Anchor::Middle),
    );
    let mut entries = Vec::new();
    if utilities {
        for (p, name) in names.iter().enumerate() {
            entries.push(legend::Entry::line(format!("utility to {name}"), party_colour(p)));
        }
        entries.push(legend::Entry::dashed("reservation values", "#555555"));
    }
    // The legend explains every colour and mark drawn: always the common ones, the rest when used.
    let verdicts = || items.iter().flat_map(|(_, e)| e.parties.iter().map(|v| v.verdict));
    entries.push(legend::Entry::band("acceptable", ACCEPTABLE));
    entries.push(legend::Entry::band("not acceptable", UNACCEPTABLE));
    if verdicts().any(|v| matches!(v, Verdict::Depends | Verdict::Unknown)) {
        entries.push(legend::Entry::band("depends, or unknown", UNDECIDED));
    }
    let answered = |stance: Stance| {
        items.iter().any(|(_, e)| match e.subject {
            Subject::Proposal(id) => case.proposal(id).responses.iter().any(|r| r.stance == stance),
            _ => false,
        })
    };
    for stance in [Stance::Accepted, Stance::Rejected, Stance::Countered, Stance::Unknown] {
        if stance != Stance::Unknown || answered(stance) {
            let (shape, colour, said) = mark(stance);
            entries.push(legend::Entry::marker(said, shape, colour));
        }
    }
    let bottom = legend::draw(&mut c, 20.0, y + 44.0, width - 40.0, &entries);
    c.height = bottom + 8.0;
    Some(c.finish(title, "plot history"))
}

#[cfg(test)]
mod tests {
    use truce_analysis::Analysis;
    use truce_model::*;

    use super::*;

    /// Two parties over one issue `x` from 0 to 10 (`a` wants it high, `b` low, reservation 0.3
    /// each), and texts at `x` = 2, 5, 9 with `a`'s and `b`'s answers.
    fn case() -> Case {
        let space =
            OutcomeSpace::new(vec![Issue::new("x", IssueDomain::integer(0, 10, 1).unwrap())]).unwrap();
        let prefs = |lo: f64, hi: f64| {
            let mut p = Preferences::new(Utility::Additive(AdditiveUtility {
                issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, lo, 10.0, hi) }],
            }));
            p.reservation = 0.3;
            p
        };
        let party =
            |id: &str, p| Party { preferences: Some(p), ..Party::new(id, id, vec![Role::Negotiator]) };
        let mut case = Case::new(
            "h",
            "History",
            Domain::unphased(space),
            vec![party("a<", prefs(0.0, 1.0)), party("b", prefs(1.0, 0.0))],
        );
        for (k, (x, answers)) in [
            (2, vec![(0, Stance::Rejected), (1, Stance::Accepted)]),
            (5, vec![(0, Stance::Countered), (1, Stance::Accepted)]),
            (9, vec![(0, Stance::Accepted), (1, Stance::Rejected)]),
        ]
        .into_iter()
        .enumerate()
        {
            case.proposals.push(Proposal {
                id: format!("text-{}", k + 1),
                title: format!("Text {}", k + 1),
                kind: ProposalKind::Bridging,
                date: None,
                tabled_by: Vec::new(),
                via: Vec::new(),
                responds_to: None,
                terms: vec![Term::set(IssueId(0), Value::Int(x))],
                responses: answers
                    .into_iter()
                    .map(|(p, stance)| Response {
                        party: PartyId(p),
                        stance,
                        date: None,
                        countered_with: None,
                        basis: Basis::Unsourced,
                        notes: None,
                    })
                    .collect(),
                basis: Basis::Unsourced,
                notes: None,
            });
        }
        case
    }

    #[test]
    fn every_text_has_a_column_and_every_answer_a_mark() {
        let case = case();
        let f = Analysis::new(&case).run().unwrap();
        let svg = history(&case, &f, true).unwrap();
        for (mark, count) in [("accepted", 3), ("rejected", 2), ("proposed amendments", 1)] {
            assert_eq!(svg.matches(&format!(" {mark}</title>")).count(), count, "{mark}: {svg}");
        }
        // Text 1 (x = 2) is below a's reservation, text 3 (x = 9) below b's.
        assert!(svg.contains("<title>1: not acceptable to a&lt;</title>"), "{svg}");
        assert!(svg.contains("<title>3: not acceptable to b</title>"));
        assert!(svg.contains("<title>2: acceptable to b</title>"));
        assert!(svg.contains("<title>1: a&lt; 0.2000</title>"), "utilities shown: {svg}");
        assert_eq!(svg.matches(r#"class="utility""#).count(), 2);
        crate::plot::tests::assert_no_overlap(&svg);

        // Without utilities: the verdicts and answers, no utility and no reservation value.
        let hidden = history(&case, &f, false).unwrap();
        assert!(!hidden.contains("0.2000") && !hidden.contains("utility") && !hidden.contains("reservation"));
        assert_eq!(hidden.matches(" accepted</title>").count(), 3);
        assert!(hidden.contains("<title>1: not acceptable to a&lt;</title>"));
        crate::plot::tests::assert_no_overlap(&hidden);
    }

    #[test]
    fn the_legend_explains_every_mark_drawn_and_only_those() {
        let mut case = case();
        let f = Analysis::new(&case).run().unwrap();
        let svg = history(&case, &f, true).unwrap();
        assert!(!svg.contains(">answered (unknown how)<") && !svg.contains(">depends, or unknown<"), "{svg}");
        case.proposals[1].responses[0].stance = Stance::Unknown;
        let f = Analysis::new(&case).run().unwrap();
        let svg = history(&case, &f, true).unwrap();
        assert_eq!(svg.matches(" answered (unknown how)</title>").count(), 1, "the mark: {svg}");
        assert!(svg.contains(">answered (unknown how)<"), "its legend entry: {svg}");
        crate::plot::tests::assert_no_overlap(&svg);
    }

    #[test]
    fn the_numbers_thin_out_rather_than_overlap() {
        let mut case = case();
        let first = case.proposals[0].clone();
        for k in 0..150 {
            let mut p = first.clone();
            p.id = format!("more-{k}");
            case.proposals.push(p);
        }
        let f = Analysis::new(&case).run().unwrap();
        let svg = history(&case, &f, true).unwrap();
        assert!(svg.contains(">153</text>") || svg.contains(">150</text>"), "the last numbers are shown");
        crate::plot::tests::assert_no_overlap(&svg);
    }
}
