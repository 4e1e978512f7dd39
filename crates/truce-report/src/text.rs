//! The analysis as a readable text report, for a terminal.
//!
//! Ordered as a mediator reads it: where the parties stand (the zone of agreement, or the red lines
//! that close it), what a mediator could table (bridging packages, or what would become possible if
//! a red line gave way), every proposal at a glance and in detail, how positions moved, the record of
//! responses against the model (what it cannot explain is listed, never hidden), how much the
//! conclusions depend on the analyst's assumptions, and finally the Pareto frontier itself.

use std::fmt::Write as _;

use truce_analysis::{
    Anchor, Blocker, Bridging, Evaluation, Findings, FrontierPoint, Method, Package, PartyApproval,
    PartyEvaluation, Reason, RecordCheck, RecordStatus, Size, Subject, Verdict, describe, timeline,
};
use truce_model::{Basis, Case, PartialDate, PartyId, RedLine, Sourcing};

use crate::fmt::{approx, count, frontier_total, pct, share, table, table_wrapped, u, wrap};

/// Frontier points listed in full at most; of a longer frontier, this many evenly spread (both ends
/// included): the text report, and the HTML report on paper.
pub(crate) const FRONTIER_ROWS: usize = 20;

/// Columns the report's prose wraps at when no width is given (a terminal's width is better:
/// [`report_wrapped`]).
pub const WIDTH: usize = 100;

/// The text report of an analysis of `case`, its prose wrapped at [`WIDTH`] columns.
#[must_use]
pub fn report(case: &Case, findings: &Findings) -> String {
    report_wrapped(case, findings, WIDTH)
}

/// The text report of an analysis of `case`, its prose (packages, terms, reasons) wrapped at
/// `width` columns (tables keep their rows whole).
#[must_use]
pub fn report_wrapped(case: &Case, findings: &Findings, width: usize) -> String {
    let width = width.max(40);
    let mut out = String::new();
    let names: Vec<&str> = findings.parties.iter().map(|p| case.party(p.party).id.as_str()).collect();
    header(&mut out, case, findings, &names, width);
    play(&mut out, case, findings, width);
    zone(&mut out, case, findings, width);
    solutions(&mut out, case, findings, &names, width);
    bridging(&mut out, case, findings, &names, width);
    glance(&mut out, case, findings, &names);
    approvals(&mut out, case, findings, width);
    sourcing(&mut out, case, findings, &names);
    proposals(&mut out, case, findings, &names, width);
    positions(&mut out, case, findings, &names);
    red_lines_over_time(&mut out, case, findings);
    record(&mut out, case, findings, width);
    sensitivity(&mut out, case, findings, width);
    frontier(&mut out, case, findings, &names, width);
    if !findings.notes.is_empty() {
        out.push_str("\nNotes\n");
        for n in &findings.notes {
            out.push_str(&wrap(&format!("- {n}"), width, "  ", "    "));
        }
    }
    // Names print as they are: a control, bidirectional or invisible character escaped.
    truce_model::escape_text(&out).into_owned()
}

/// The state of play read from a signed agreement's event logs, when it was.
fn play(out: &mut String, case: &Case, f: &Findings, width: usize) {
    let Some(play) = &f.play else { return };
    let text = crate::play::PlayText::new(case, play);
    out.push('\n');
    out.push_str(&wrap(&text.title, width, "", ""));
    for line in &text.counts {
        out.push_str(&wrap(&format!("- {line}"), width, "  ", "    "));
    }
    for line in &text.warnings {
        out.push_str(&wrap(&format!("! {line}"), width, "  ", "    "));
    }
}

pub(crate) fn vector(x: &[f64]) -> String {
    format!("({})", x.iter().map(|&v| u(v)).collect::<Vec<_>>().join(", "))
}

pub(crate) fn method(m: &Method) -> String {
    match m {
        Method::Minkowski { groups, largest_frontier, .. } if *groups > 1 => format!(
            "exact: per-issue frontiers combined, {groups} groups for the issues beliefs depend on, largest intermediate frontier {}",
            count(&largest_frontier.to_string())
        ),
        Method::Minkowski { largest_frontier, .. } => {
            format!(
                "exact: per-issue frontiers combined, largest intermediate frontier {}",
                count(&largest_frontier.to_string())
            )
        }
        Method::Enumeration { outcomes } => {
            format!("exact: {} outcomes enumerated", count(&outcomes.to_string()))
        }
        Method::BranchAndBound { nodes } => {
            format!(
                "exact: branch and bound over boxes of outcomes, {} boxes visited",
                count(&nodes.to_string())
            )
        }
        Method::Sampling { samples, searches, reason } => format!(
            "APPROXIMATE ({reason}): {} sampled outcomes and {} local searches; true frontier points may be missing",
            count(&samples.to_string()),
            count(&searches.to_string())
        ),
        _ => "other".into(),
    }
}

/// The negotiators' red lines, with their parties.
pub(crate) fn all_red_lines<'c>(case: &'c Case, f: &Findings) -> Vec<(PartyId, &'c RedLine)> {
    f.parties
        .iter()
        .flat_map(|p| {
            let prefs = case.party(p.party).preferences.as_ref();
            prefs.into_iter().flat_map(|x| &x.red_lines).map(move |r| (p.party, r))
        })
        .collect()
}

/// Whether a red line counts at the analysis date (with none: whether it is still in force at the
/// end of the record).
pub(crate) fn in_force(r: &RedLine, date: Option<PartialDate>) -> bool {
    r.in_force(date)
}

/// ` at 2024-11-09` when some red line is dated (so that the date matters), else nothing.
pub(crate) fn when(case: &Case, f: &Findings) -> String {
    if all_red_lines(case, f).iter().any(|(_, r)| r.is_dated()) {
        format!(" {}", at(f.date))
    } else {
        String::new()
    }
}

/// `at 2024-11-09`, or `at the end of the record` when the analysis has no date.
pub(crate) fn at(date: Option<PartialDate>) -> String {
    date.map_or_else(|| "at the end of the record".into(), |d| format!("at {d}"))
}

fn header(out: &mut String, case: &Case, f: &Findings, names: &[&str], width: usize) {
    let _ = writeln!(out, "{} ({})", case.title, case.id);
    let _ = writeln!(
        out,
        "{} outcomes over {} issues; negotiators: {}",
        count(&f.outcomes.to_string()),
        case.space().len(),
        names.join(", ")
    );
    let dated = all_red_lines(case, f).iter().any(|(_, r)| r.is_dated());
    if dated {
        out.push_str(&wrap(
            &format!(
                "Analysed {}: the zone, solutions and bridging use the red lines in force then; each \
                 proposal and each recorded response is judged by the red lines in force on its own date.",
                at(f.date)
            ),
            width,
            "",
            "",
        ));
    }
    out.push_str(&wrap(
        &format!(
            "Pareto frontier: {} points ({}); listed at the end.",
            count(&f.frontier.points.len().to_string()),
            method(&f.frontier.method)
        ),
        width,
        "",
        "  ",
    ));
    out.push('\n');
    let rows: Vec<Vec<String>> = f
        .parties
        .iter()
        .zip(names)
        .map(|(p, name)| {
            let lines: Vec<&RedLine> = case
                .party(p.party)
                .preferences
                .as_ref()
                .map(|x| x.red_lines.iter().collect())
                .unwrap_or_default();
            let now = lines.iter().filter(|r| in_force(r, f.date)).count();
            vec![
                (*name).to_owned(),
                u(p.reservation),
                u(p.best),
                p.zone_best.map_or_else(|| "-".into(), u),
                if dated { format!("{now} of {}", lines.len()) } else { lines.len().to_string() },
            ]
        })
        .collect();
    let last = if dated { "red lines in force" } else { "red lines" };
    out.push_str(&table("  ", &["party", "reservation", "best", "best in zone", last], &rows));
}

fn point_row(case: &Case, p: &FrontierPoint) -> Vec<String> {
    let mut row: Vec<String> = p.utilities.iter().map(|&x| u(x)).collect();
    row.push(match p.count {
        u128::MAX => format!("x{} or more", count(&p.count.to_string())),
        c if c > 1 => format!("x{}", count(&c.to_string())),
        _ => String::new(),
    });
    row.push(describe(case.space(), &p.outcome));
    row
}

fn points(out: &mut String, case: &Case, names: &[&str], points: &[FrontierPoint], width: usize) {
    let mut header: Vec<&str> = names.to_vec();
    header.extend(["ties", "outcome"]);
    let rows: Vec<Vec<String>> = if points.len() <= FRONTIER_ROWS {
        points.iter().map(|p| point_row(case, p)).collect()
    } else {
        // Evenly spread over the frontier, both ends included.
        let k = FRONTIER_ROWS - 1;
        (0..=k).map(|i| point_row(case, &points[i * (points.len() - 1) / k])).collect()
    };
    out.push_str(&table_wrapped("  ", &header, &rows, width));
    if points.len() > FRONTIER_ROWS {
        let _ = writeln!(
            out,
            "  ({FRONTIER_ROWS} of {} points shown, evenly spread; --json lists all)",
            points.len()
        );
    }
}

fn frontier(out: &mut String, case: &Case, f: &Findings, names: &[&str], width: usize) {
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "Pareto frontier (every outcome, red lines and reservation values ignored): {} points, reached by {} outcomes",
            count(&f.frontier.points.len().to_string()),
            frontier_total(&f.frontier.points),
        ),
        width,
        "",
        "  ",
    ));
    out.push_str(&wrap(&format!("method: {}", method(&f.frontier.method)), width, "  ", "    "));
    points(out, case, names, &f.frontier.points, width);
}

fn zone(out: &mut String, case: &Case, f: &Findings, width: usize) {
    let size = match &f.zone.size {
        Size::Exact(n) => {
            format!("{} outcomes ({} of all)", count(&n.to_string()), pct(100.0 * share(n, &f.outcomes)))
        }
        Size::Estimate { value, low, high, samples } => format!(
            "about {} outcomes (95% interval {} to {}; estimated from {} samples)",
            approx(*value),
            approx(*low),
            approx(*high),
            count(&samples.to_string())
        ),
        _ => "unknown".into(),
    };
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "Zone of agreement{} (no red line broken, every party at or above its reservation value): {size}",
            when(case, f)
        ),
        width,
        "",
        "  ",
    ));
    if let Some(r) = &f.zone.red_lines {
        out.push_str(&wrap(
            &format!(
                "frontier within the red lines: {} points ({})",
                count(&r.points.len().to_string()),
                method(&r.method)
            ),
            width,
            "  ",
            "    ",
        ));
    }
    let _ = writeln!(out, "  frontier of the zone: {} points", count(&f.zone.frontier.len().to_string()));
}

fn solutions(out: &mut String, case: &Case, f: &Findings, names: &[&str], width: usize) {
    let d: Vec<f64> = f.parties.iter().map(|p| p.reservation).collect();
    let _ = writeln!(out, "\nSolutions over the zone (disagreement point {})", vector(&d));
    let s = &f.solutions;
    let rows = [
        ("Nash (1950)", "product of gains", &s.nash),
        ("Kalai-Smorodinsky (1975)", "smallest share of possible gain", &s.kalai_smorodinsky),
        ("egalitarian (Kalai 1977)", "smallest gain", &s.egalitarian),
        ("maximum welfare", "sum of utilities", &s.max_welfare),
    ];
    if s.nash.is_none() {
        out.push_str("  none: the zone of agreement is empty\n");
        return;
    }
    let mut header: Vec<&str> = vec!["solution", "criterion", "value"];
    header.extend(names);
    header.push("outcome");
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .filter_map(|(name, criterion, sol)| {
            let sol = sol.as_ref()?;
            let mut row = vec![(*name).to_owned(), (*criterion).to_owned(), u(sol.value)];
            row.extend(sol.point.utilities.iter().map(|&x| u(x)));
            row.push(describe(case.space(), &sol.point.outcome));
            Some(row)
        })
        .collect();
    out.push_str(&table_wrapped("  ", &header, &table_rows, width));
    if let Some(o) = f.opposition {
        let _ = writeln!(
            out,
            "  opposition (distance from everyone's best to the nearest acceptable outcome): {}",
            u(o)
        );
    }
}

pub(crate) fn red_line_name(case: &Case, party: PartyId, index: usize) -> String {
    case.party(party)
        .preferences
        .as_ref()
        .and_then(|p| p.red_lines.get(index))
        .map_or_else(|| format!("#{index}"), |r| format!("`{}` ({})", r.name, r.rule.describe(case.space())))
}

fn proposals(out: &mut String, case: &Case, f: &Findings, names: &[&str], width: usize) {
    if f.evaluations.is_empty() {
        return;
    }
    let given = f.evaluations.iter().filter(|e| matches!(e.subject, Subject::Outcome(_))).count();
    out.push_str(match (given, f.evaluations.len() - given) {
        (0, _) => "\nProposals\n",
        (_, 0) => "\nOutcomes evaluated\n",
        _ => "\nProposals and outcomes evaluated\n",
    });
    for e in &f.evaluations {
        let (title, date, by) = match e.subject {
            Subject::Proposal(id) => {
                let p = case.proposal(id);
                let by: Vec<&str> = p.tabled_by.iter().map(|&q| case.party(q).id.as_str()).collect();
                (
                    format!("{} \"{}\"", p.id, p.title),
                    p.date.map(|d| format!(" {d}")).unwrap_or_default(),
                    if by.is_empty() { String::new() } else { format!(" by {}", by.join(", ")) },
                )
            }
            Subject::Outcome(ref label) => (format!("outcome `{label}`"), String::new(), String::new()),
        };
        out.push_str(&wrap(
            &format!(
                "{title}{date}{by}: {}{}",
                e.verdict.as_str().to_uppercase(),
                if e.complete { "" } else { " (partial: ranges over the open issues)" }
            ),
            width,
            "  ",
            "    ",
        ));
        terms_by_phase(out, &crate::terms::settings(case, &e.settings), width);
        for (v, name) in e.parties.iter().zip(names) {
            let utility = match v.utility {
                Some(x) if e.complete => u(x.low),
                Some(x) => format!("{} to {}", u(x.low), u(x.high)),
                None => "cannot be evaluated".into(),
            };
            let rank = match v.rank {
                Some((a, _)) if e.complete => {
                    let margin = if a.is_exact() { String::new() } else { format!(" ±{:.1}", a.margin) };
                    format!(", percentile {:.1}{margin}", a.percentile)
                }
                Some((a, b)) => format!(", percentiles {:.1} to {:.1}", a.percentile, b.percentile),
                None => String::new(),
            };
            let _ = writeln!(out, "    {name}: utility {utility}{rank}: {}", v.verdict.as_str());
            for b in &v.broken {
                let terms: Vec<&str> = b.terms.iter().map(|&i| case.space().issue(i).name.as_str()).collect();
                out.push_str(&wrap(
                    &format!(
                        "breaks red line {}{}",
                        red_line_name(case, v.party, b.red_line),
                        if terms.is_empty() {
                            String::new()
                        } else {
                            format!(" through its terms on {}", terms.join(", "))
                        }
                    ),
                    width,
                    "      ",
                    "        ",
                ));
            }
            for b in &v.at_risk {
                out.push_str(&wrap(
                    &format!(
                        "may break red line {}, depending on the open issues",
                        red_line_name(case, v.party, b.red_line)
                    ),
                    width,
                    "      ",
                    "        ",
                ));
            }
        }
        if let Some(list) =
            f.evaluations.iter().position(|x| std::ptr::eq(x, e)).and_then(|k| f.approvals.get(k))
        {
            for a in list.iter().filter(|a| approval_notable(a)) {
                out.push_str(&wrap(
                    &format!("approval: {}", approval_text(case, a)),
                    width,
                    "    ",
                    "      ",
                ));
            }
        }
        if let Some(d) = &e.dominated_by {
            let changes: Vec<String> = d
                .changes
                .iter()
                .map(|c| {
                    let i = case.space().issue(c.issue);
                    format!(
                        "{}: {} -> {}",
                        i.name,
                        c.from.map_or_else(|| "open".into(), |v| i.format_value(v)),
                        i.format_value(c.to)
                    )
                })
                .collect();
            out.push_str(&wrap(
                &format!(
                    "dominated{}: gains {} by changing {}",
                    if d.respects_red_lines { "" } else { " (only by outcomes that break a red line)" },
                    vector(&d.gains),
                    changes.join("; ")
                ),
                width,
                "    ",
                "      ",
            ));
        } else if e.complete && e.parties.iter().all(|v| v.utility.is_some()) {
            out.push_str("    not dominated: no outcome is better for every party\n");
        }
        if let (Some(fd), Some(nd)) = (e.frontier_distance, e.nash_distance) {
            let _ = writeln!(out, "    distance to the frontier {}, to the Nash point {}", u(fd), u(nd));
        }
        if let Some(c) = &e.best_completion {
            out.push_str(&wrap(
                &format!(
                    "best completion for all: {} {}",
                    vector(&c.utilities),
                    describe(case.space(), &c.outcome)
                ),
                width,
                "    ",
                "      ",
            ));
        }
        for n in &e.notes {
            out.push_str(&wrap(&format!("note: {n}"), width, "    ", "      "));
        }
    }
}

fn positions(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let order = timeline(case);
    if order.len() < 2 {
        return;
    }
    out.push_str("\nPositions over time (utility of each proposal to each party)\n");
    let mut header = vec!["date", "proposal", "by"];
    header.extend(names);
    let rows: Vec<Vec<String>> = order
        .iter()
        .filter_map(|&id| {
            let e = f.evaluations.iter().find(|e| e.subject == Subject::Proposal(id))?;
            let p = case.proposal(id);
            let mut row = vec![
                p.date.map_or_else(|| "-".into(), |d| d.to_string()),
                p.id.clone(),
                p.tabled_by.iter().map(|&q| case.party(q).id.as_str()).collect::<Vec<_>>().join("+"),
            ];
            row.extend(e.parties.iter().map(|v| match v.utility {
                Some(x) if (x.high - x.low).abs() < 5e-5 => u(x.low),
                Some(x) => format!("{}..{}", u(x.low), u(x.high)),
                None => "?".into(),
            }));
            Some(row)
        })
        .collect();
    out.push_str(&table("  ", &header, &rows));
}

fn red_lines_over_time(out: &mut String, case: &Case, f: &Findings) {
    let lines = all_red_lines(case, f);
    if !lines.iter().any(|(_, r)| r.is_dated()) {
        return;
    }
    let _ = writeln!(out, "\nRed lines over time (* in force {})", at(f.date));
    let mut rows: Vec<(PartyId, Option<PartialDate>, Vec<String>)> = lines
        .iter()
        .map(|&(party, r)| {
            let period = match (r.since, r.until) {
                (None, None) => "throughout".to_owned(),
                (Some(s), None) => format!("since {s}"),
                (None, Some(u)) => format!("until {u}"),
                (Some(s), Some(u)) => format!("{s} to {u}"),
            };
            let mark = if in_force(r, f.date) { "*" } else { "" };
            let row = vec![
                case.party(party).id.clone(),
                mark.to_owned(),
                period,
                r.name.clone(),
                r.rule.describe(case.space()),
            ];
            (party, r.since, row)
        })
        .collect();
    // By party, then by the date each came into force (those in force from the start first).
    rows.sort_by_key(|(party, since, _)| (*party, *since));
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, _, row)| row).collect();
    out.push_str(&table("  ", &["party", "", "in force", "red line", "rule"], &rows));
}

/// A party's verdict on a proposal in a few words: `yes`, `no: <red lines>`, `depends: <why>`.
/// The names of the red lines of `v`'s party in `list`, joined.
fn breach_names(case: &Case, v: &PartyEvaluation, list: &[truce_analysis::Breach]) -> String {
    list.iter()
        .map(|b| {
            case.party(v.party)
                .preferences
                .as_ref()
                .and_then(|p| p.red_lines.get(b.red_line))
                .map_or_else(|| format!("#{}", b.red_line), |r| r.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A verdict in words that hold no number: the red lines broken (or at risk), else whether the
/// reservation value is reached, for a viewer who may not see utilities.
pub(crate) fn verdict_words(case: &Case, v: &PartyEvaluation) -> String {
    let names = |list: &[truce_analysis::Breach]| breach_names(case, v, list);
    match v.verdict {
        Verdict::Acceptable => "yes".into(),
        Verdict::Unacceptable if !v.broken.is_empty() => format!("no: {}", names(&v.broken)),
        Verdict::Unacceptable => "no: below its reservation value".into(),
        Verdict::Depends if !v.at_risk.is_empty() => format!("depends: may break {}", names(&v.at_risk)),
        Verdict::Depends => "depends on the open issues".into(),
        Verdict::Unknown => "?".into(),
    }
}

pub(crate) fn verdict_cell(case: &Case, v: &PartyEvaluation, reservation: f64) -> String {
    let names = |list: &[truce_analysis::Breach]| breach_names(case, v, list);
    match v.verdict {
        Verdict::Acceptable => "yes".into(),
        Verdict::Unacceptable if !v.broken.is_empty() => format!("no: {}", names(&v.broken)),
        Verdict::Unacceptable => match v.utility {
            Some(x) if x.high < reservation => format!("no: utility {} < {}", u(x.high), u(reservation)),
            _ => "no: nothing within its red lines reaches its reservation".into(),
        },
        Verdict::Depends if !v.at_risk.is_empty() => format!("depends: may break {}", names(&v.at_risk)),
        Verdict::Depends => match v.utility {
            Some(x) => format!("depends: utility {} to {}", u(x.low), u(x.high)),
            None => "depends".into(),
        },
        Verdict::Unknown => "?".into(),
    }
}

fn glance(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let order = timeline(case);
    if order.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nProposals at a glance (can each party accept it? judged by the red lines in force on its date)"
    );
    let mut header = vec!["date", "proposal"];
    header.extend(names);
    let rows: Vec<Vec<String>> = order
        .iter()
        .filter_map(|&id| {
            let e = f.evaluations.iter().find(|e| e.subject == Subject::Proposal(id))?;
            let p = case.proposal(id);
            let mut row = vec![p.date.map_or_else(|| "-".into(), |d| d.to_string()), p.id.clone()];
            row.extend(
                e.parties.iter().zip(&f.parties).map(|(v, facts)| verdict_cell(case, v, facts.reservation)),
            );
            Some(row)
        })
        .collect();
    out.push_str(&table("  ", &header, &rows));
}

/// Within a party with constituencies, whether a text carries, in words: `north: carries
/// (majority) without hawks (no_full_withdrawal)`, `coast: blocked (all_of): lacks military_wing
/// (full_withdrawal)`, `coast: open (veto): military_wing depends on the open issues`.
pub(crate) fn approval_text(case: &Case, a: &PartyApproval) -> String {
    let party = case.party(a.party);
    let rule = party.approval.as_ref().map_or("", |x| x.rule.as_str());
    let name = |k: usize, reds: &[usize]| {
        let Some(c) = party.constituencies.get(k) else { return format!("#{k}") };
        let lines: Vec<&str> =
            reds.iter().filter_map(|&r| c.red_lines.get(r).map(|x| x.name.as_str())).collect();
        if lines.is_empty() { c.id.clone() } else { format!("{} ({})", c.id, lines.join(", ")) }
    };
    let lacking: Vec<String> = a.lacking().map(|v| name(v.constituency, &v.broken)).collect();
    let undecided: Vec<String> = a.undecided().map(|v| name(v.constituency, &v.at_risk)).collect();
    let mut text = match a.carries {
        Some(true) if lacking.is_empty() && undecided.is_empty() => format!("{}: carries ({rule})", party.id),
        Some(true) => format!("{}: carries ({rule})", party.id),
        Some(false) => format!("{}: blocked ({rule})", party.id),
        None => format!("{}: open ({rule})", party.id),
    };
    if !lacking.is_empty() {
        let verb = if a.carries == Some(true) { "without" } else { "lacks" };
        let _ = write!(text, ", {verb} {}", lacking.join(", "));
    }
    if !undecided.is_empty() {
        let _ = write!(
            text,
            ", {} {} on the open issues",
            undecided.join(", "),
            if undecided.len() == 1 { "depends" } else { "depend" }
        );
    }
    text
}

/// Whether an approval says more than that the text carries with everyone's approval: what the
/// package and proposal details print (the "Who must approve" table says it for every proposal).
pub(crate) fn approval_notable(a: &PartyApproval) -> bool {
    a.carries != Some(true) || a.lacking().next().is_some() || a.undecided().next().is_some()
}

/// Who must approve each proposal within the parties that have constituencies: whose approval it
/// lacks and whether the party's rule still carries it (packages say so where they are listed).
fn approvals(out: &mut String, case: &Case, f: &Findings, width: usize) {
    if f.approvals.iter().all(Vec::is_empty) {
        return;
    }
    let _ = writeln!(
        out,
        "\nWho must approve (each party's constituencies, by their red lines in force on the proposal's date)"
    );
    for id in timeline(case) {
        let Some(k) = f.evaluations.iter().position(|e| e.subject == Subject::Proposal(id)) else { continue };
        let Some(list) = f.approvals.get(k).filter(|l| !l.is_empty()) else { continue };
        let p = case.proposal(id);
        let parts: Vec<String> = list.iter().map(|a| approval_text(case, a)).collect();
        let date = p.date.map_or_else(|| "-".into(), |d| d.to_string());
        out.push_str(&wrap(&format!("{date} {}: {}", p.id, parts.join("; ")), width, "  ", "    "));
    }
}

/// How well sourced each verdict of "no" is: as well as the weakest of what it rests on, each red
/// line it breaks and the proposal's terms that break it (an official text, a named official, unnamed
/// officials, a single report).
/// How well sourced a party's "no" to a proposal is: the weakest of the red lines it breaks and the
/// proposal's terms that break them (`None` for an outcome, or when no red line is broken). The text
/// report's table and the JSON's `sourcing` both come from here.
pub(crate) fn no_sourcing(case: &Case, e: &Evaluation, v: &PartyEvaluation) -> Option<Sourcing> {
    let Subject::Proposal(id) = e.subject else { return None };
    let proposal = case.proposal(id);
    let prefs = case.party(v.party).preferences.as_ref()?;
    let term_basis = |issue| -> &Basis {
        match proposal.terms.iter().find(|t| t.issue == issue).map(|t| &t.basis) {
            Some(b) if !b.citations().is_empty() => b,
            _ => &proposal.basis,
        }
    };
    v.broken
        .iter()
        .flat_map(|b| {
            let line = prefs.red_lines.get(b.red_line).map(|r| Sourcing::of(&r.basis, &case.sources));
            line.into_iter().chain(b.terms.iter().map(|&i| Sourcing::of(term_basis(i), &case.sources)))
        })
        .reduce(Sourcing::weaker)
}

fn sourcing(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let verdict = |e: &Evaluation, v: &PartyEvaluation| no_sourcing(case, e, v);
    let rows: Vec<Vec<String>> = f
        .evaluations
        .iter()
        .filter_map(|e| {
            let Subject::Proposal(id) = e.subject else { return None };
            let cells: Vec<String> = e
                .parties
                .iter()
                .map(|v| verdict(e, v).map_or_else(|| "-".into(), |s| format!("no, on {}", s.describe())))
                .collect();
            if cells.iter().all(|c| c == "-") {
                return None;
            }
            let p = case.proposal(id);
            let mut row = vec![p.date.map_or_else(|| "-".into(), |d| d.to_string()), p.id.clone()];
            row.extend(cells);
            Some(row)
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nHow well sourced each \"no\" is (the weakest of the red lines broken and the terms that break them)"
    );
    let mut header = vec!["date", "proposal"];
    header.extend(names);
    out.push_str(&table("  ", &header, &rows));
}

/// A reason in words, naming red lines by name (the rule is given once, in the red lines' table).
pub(crate) fn reason_text(case: &Case, party: PartyId, x: &Reason) -> String {
    let name = |index: usize| {
        case.party(party)
            .preferences
            .as_ref()
            .and_then(|p| p.red_lines.get(index))
            .map_or_else(|| format!("#{index}"), |r| format!("`{}`", r.name))
    };
    match *x {
        Reason::RedLine { index } => format!("breaks {}", name(index)),
        Reason::RedLineAtRisk { index } => format!("may break {}", name(index)),
        Reason::BelowReservation { utility, reservation } => {
            format!("utility {} below reservation {}", u(utility), u(reservation))
        }
        Reason::NoAcceptableCompletion => "no completion within its red lines reaches its reservation".into(),
        Reason::MayFallBelowReservation { low, reservation } => {
            format!("utility may fall to {} below reservation {}", u(low), u(reservation))
        }
    }
}

/// Why the model cannot explain a response, in a sentence.
pub(crate) fn unexplained(case: &Case, r: &RecordCheck) -> String {
    let reasons: Vec<String> = r.reasons.iter().map(|x| reason_text(case, r.party, x)).collect();
    let why = if reasons.is_empty() { String::new() } else { format!(": {}", reasons.join("; ")) };
    match r.status {
        RecordStatus::Inconsistent if r.stance == truce_model::Stance::Accepted => {
            format!("accepted, but the model finds it unacceptable{why}")
        }
        RecordStatus::Inconsistent => format!("{}, but the model finds it acceptable", r.stance.as_str()),
        RecordStatus::Bargaining => {
            "countered a proposal the model finds acceptable: bargaining for more, not a red line".into()
        }
        RecordStatus::Undecided => format!(
            "{}; the model cannot decide, it depends on how the open issues are settled{why}",
            r.stance.as_str()
        ),
        _ => r.stance.as_str().to_owned(),
    }
}

fn record(out: &mut String, case: &Case, f: &Findings, width: usize) {
    if f.record.is_empty() {
        return;
    }
    out.push_str(
        "\nRecorded responses against the model (each judged by the red lines in force on its date)\n",
    );
    let rows: Vec<Vec<String>> = f
        .record
        .iter()
        .map(|r| {
            let reasons: Vec<String> = r.reasons.iter().map(|x| reason_text(case, r.party, x)).collect();
            vec![
                case.proposal(r.proposal).id.clone(),
                case.party(r.party).id.clone(),
                r.date.map_or_else(|| "-".into(), |d| d.to_string()),
                r.stance.as_str().into(),
                r.verdict.map_or("-", Verdict::as_str).into(),
                match r.status {
                    RecordStatus::Inconsistent => "INCONSISTENT".into(),
                    s => s.as_str().into(),
                },
                reasons.join("; "),
            ]
        })
        .collect();
    out.push_str(&table("  ", &["proposal", "party", "date", "said", "model", "status", "why"], &rows));
    let n = |status: RecordStatus| f.record.iter().filter(|r| r.status == status).count();
    let not_explained: Vec<&RecordCheck> = f
        .record
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                RecordStatus::Inconsistent | RecordStatus::Undecided | RecordStatus::Bargaining
            )
        })
        .collect();
    out.push_str(&wrap(
        &format!(
            "{} rejection(s) or counter(s) explained, {} acceptance(s) consistent, {} response(s) of parties without preferences;",
            n(RecordStatus::Explained),
            n(RecordStatus::Consistent),
            n(RecordStatus::Unmodelled),
        ),
        width,
        "  ",
        "    ",
    ));
    let _ = writeln!(
        out,
        "  {} not explained by the model: {} inconsistent, {} undecided, {} bargaining",
        not_explained.len(),
        n(RecordStatus::Inconsistent),
        n(RecordStatus::Undecided),
        n(RecordStatus::Bargaining),
    );
    if !not_explained.is_empty() {
        out.push_str("\nNot explained by the model (check the preferences, the red lines or the record)\n");
        for r in not_explained {
            out.push_str(&wrap(
                &format!(
                    "- {}, {}{}: {}",
                    case.proposal(r.proposal).id,
                    case.party(r.party).id,
                    r.date.map_or_else(String::new, |d| format!(" ({d})")),
                    unexplained(case, r)
                ),
                width,
                "  ",
                "    ",
            ));
        }
    }
}

/// A proposal's terms, a phase a line (wrapped): `phase 1: phase1_days=42, p1_hostages=open, ...`.
fn terms_by_phase(out: &mut String, groups: &[(String, Vec<(String, String)>)], width: usize) {
    out.push_str("    terms:\n");
    for (phase, terms) in groups {
        let list: Vec<String> = terms.iter().map(|(i, v)| format!("{i}={v}")).collect();
        out.push_str(&wrap(&format!("{phase}: {}", list.join(", ")), width, "      ", "        "));
    }
}

/// One package: its utilities and criteria, then its terms as changes from each side's last
/// proposal, a phase a line (wrapped), and the terms it leaves as they were.
fn package(
    out: &mut String,
    case: &Case,
    names: &[&str],
    anchors: &[Anchor],
    label: &str,
    p: &Package,
    width: usize,
) {
    out.push_str(&wrap(
        &format!(
            "{label} utilities {}, Nash product {}, concessions {} (total {})",
            vector(&p.point.utilities),
            u(p.nash_product),
            vector(&p.concessions),
            u(p.total_concession)
        ),
        width,
        "    ",
        "      ",
    ));
    if p.approvals.iter().any(approval_notable) {
        let parts: Vec<String> = p.approvals.iter().map(|a| approval_text(case, a)).collect();
        out.push_str(&wrap(&format!("approval: {}", parts.join("; ")), width, "      ", "        "));
    }
    let groups = crate::terms::package(case, anchors, p);
    let sides: Vec<String> = anchors
        .iter()
        .enumerate()
        .filter_map(|(k, a)| {
            a.proposal
                .map(|id| format!("{}'s {}", names.get(k).copied().unwrap_or("?"), case.proposal(id).id))
        })
        .collect();
    if sides.is_empty() {
        for g in &groups {
            let list: Vec<String> = g.terms.iter().map(|t| format!("{}={}", t.issue, t.value)).collect();
            out.push_str(&wrap(&format!("{}: {}", g.phase, list.join(", ")), width, "      ", "        "));
        }
        return;
    }
    let _ = writeln!(out, "      changes from {}:", sides.join(" and "));
    let mut unchanged = Vec::new();
    for g in &groups {
        let changed: Vec<String> =
            g.terms.iter().filter(|t| t.changed()).map(|t| crate::terms::change_text(t, names)).collect();
        unchanged.extend(g.terms.iter().filter(|t| !t.changed()).map(|t| format!("{}={}", t.issue, t.value)));
        if !changed.is_empty() {
            out.push_str(&wrap(
                &format!("{}: {}", g.phase, changed.join("; ")),
                width,
                "        ",
                "          ",
            ));
        }
    }
    if !unchanged.is_empty() {
        let who = if sides.len() > 1 { "as each proposed" } else { "as proposed" };
        out.push_str(&wrap(
            &format!("unchanged ({who}): {}", unchanged.join(", ")),
            width,
            "        ",
            "          ",
        ));
    }
}

fn anchors_text(out: &mut String, case: &Case, anchors: &[Anchor]) {
    for a in anchors {
        let _ = writeln!(
            out,
            "  {} aspires to {} ({})",
            case.party(a.party).id,
            u(a.aspiration),
            a.proposal.map_or_else(
                || "its best outcome: it tabled no proposal".into(),
                |p| format!("its last proposal {}", case.proposal(p).id)
            )
        );
    }
}

pub(crate) fn blocker_text(case: &Case, b: &Blocker) -> String {
    match *b {
        Blocker::RedLine { party, index } => {
            format!("{}'s red line {}", case.party(party).id, red_line_name(case, party, index))
        }
        Blocker::Reservation { party } => format!("{}'s reservation value", case.party(party).id),
    }
}

fn bridging(out: &mut String, case: &Case, f: &Findings, names: &[&str], width: usize) {
    let Some(b) = &f.bridging else { return };
    match b {
        Bridging::Packages { anchors, by_nash, by_concession } => {
            let _ = writeln!(out, "\nBridging packages{} (from the frontier of the zone)", when(case, f));
            anchors_text(out, case, anchors);
            for (title, list) in [("by Nash product", by_nash), ("by least total concession", by_concession)]
            {
                let _ = writeln!(out, "  {title}:");
                for (k, p) in list.iter().enumerate() {
                    package(out, case, names, anchors, &format!("{}.", k + 1), p, width);
                }
            }
        }
        Bridging::Blocked { relaxations, reservations_conflict, exhaustive, anchors, if_relaxed } => {
            let _ = writeln!(out, "\nNo outcome is acceptable to every party{}.", when(case, f));
            if *reservations_conflict {
                out.push_str("  Even without any red line the reservation values conflict.\n");
            }
            if relaxations.is_empty() {
                let _ = writeln!(
                    out,
                    "  No relaxation found{}.",
                    if *exhaustive { "" } else { " within the search budget" }
                );
                return;
            }
            out.push_str("  The smallest sets whose relaxation opens a zone of agreement:\n");
            for set in relaxations {
                let items: Vec<String> = set.iter().map(|b| blocker_text(case, b)).collect();
                let _ = writeln!(out, "    - {}", items.join(" + "));
            }
            if if_relaxed.is_empty() {
                return;
            }
            out.push_str("\nWhat each relaxation would make possible (bridging packages, as changes from each side's last proposal)\n");
            anchors_text(out, case, anchors);
            for r in if_relaxed {
                let items: Vec<String> = r.relaxed.iter().map(|b| blocker_text(case, b)).collect();
                let _ = writeln!(out, "  If {} gave way:", items.join(" + "));
                match (r.by_nash.first(), r.by_concession.first()) {
                    (Some(a), Some(b)) if a.point.outcome == b.point.outcome => {
                        package(
                            out,
                            case,
                            names,
                            anchors,
                            "best by Nash product and by least concession:",
                            a,
                            width,
                        );
                    }
                    (a, b) => {
                        if let Some(a) = a {
                            package(out, case, names, anchors, "best by Nash product:", a, width);
                        }
                        if let Some(b) = b {
                            package(out, case, names, anchors, "best by least total concession:", b, width);
                        }
                    }
                }
            }
        }
    }
}

/// A table's rows of cells.
pub(crate) type Rows = Vec<Vec<String>>;

/// The sensitivity's three tables as rows: the Nash point as each weight moves, as each
/// reservation value moves, and per proposal and party the smallest move of one weight that
/// changes its verdict.
pub(crate) fn sensitivity_rows(
    case: &Case,
    f: &Findings,
    s: &truce_analysis::Sensitivity,
) -> (Rows, Rows, Rows) {
    let _ = f;
    let edge = |x: Option<f64>| x.map_or_else(|| "never".into(), u);
    let weights: Vec<Vec<String>> = s
        .weights
        .iter()
        .map(|w| {
            vec![
                case.party(w.party).id.clone(),
                case.space().issue(w.issue).name.clone(),
                u(w.weight),
                edge(w.nash.below),
                edge(w.nash.above),
            ]
        })
        .collect();
    let reservations: Vec<Vec<String>> = s
        .reservations
        .iter()
        .map(|r| {
            vec![case.party(r.party).id.clone(), u(r.reservation), edge(r.nash.below), edge(r.nash.above)]
        })
        .collect();
    // Per proposal and party, the smallest move of one weight that changes the verdict.
    let mut nearest: Vec<(usize, PartyId, f64, Vec<String>)> = Vec::new();
    for w in &s.weights {
        let span = (w.range.1 - w.range.0).max(f64::MIN_POSITIVE);
        for x in &w.flips {
            let distance = (x.at - w.weight).abs() / span;
            let row = vec![
                case.proposal(x.proposal).id.clone(),
                case.party(w.party).id.clone(),
                x.becomes.as_str().to_owned(),
                case.space().issue(w.issue).name.clone(),
                format!("{} -> {}", u(w.weight), u(x.at)),
            ];
            let key = x.proposal.index();
            match nearest.iter_mut().find(|(k, p, _, _)| *k == key && *p == w.party) {
                Some(entry) if distance < entry.2 => *entry = (key, w.party, distance, row),
                Some(_) => {}
                None => nearest.push((key, w.party, distance, row)),
            }
        }
    }
    nearest.sort_by_key(|entry| (entry.0, entry.1));
    (weights, reservations, nearest.into_iter().map(|(_, _, _, row)| row).collect())
}

fn sensitivity(out: &mut String, case: &Case, f: &Findings, width: usize) {
    let Some(s) = &f.sensitivity else { return };
    out.push_str(
        "\nSensitivity to the analyst's assumptions (how far each may move before a result changes)\n",
    );
    let (weights, reservations, flips) = sensitivity_rows(case, f, s);
    if f.solutions.nash.is_none() {
        let red_lines_alone = f.zone.red_lines.as_ref().is_some_and(|r| r.points.is_empty());
        let _ = writeln!(
            out,
            "  There is no Nash point{}: the zone of agreement is empty{}.",
            when(case, f),
            if red_lines_alone {
                ". No outcome keeps every red line in force,\n  so it stays empty whatever the weights and reservation values"
            } else {
                ""
            }
        );
    } else {
        out.push_str("  The Nash point, as each weight moves (the party's other weights rescaled to keep their sum):\n");
        out.push_str(&table("  ", &["party", "weight of", "now", "moves below", "moves above"], &weights));
        out.push_str("  and as each reservation value moves:\n");
        out.push_str(&table("  ", &["party", "reservation", "moves below", "moves above"], &reservations));
    }
    if flips.is_empty() {
        out.push_str("  No proposal's verdict changes when any one weight moves over its whole range.\n");
        return;
    }
    out.push_str(&wrap(
        "Proposals' verdicts: the smallest move of one weight that changes each (--json lists every change):",
        width,
        "  ",
        "    ",
    ));
    out.push_str(&table("  ", &["proposal", "party", "becomes", "weight of", "moving"], &flips));
}
