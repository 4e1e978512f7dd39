//! The analysis as a readable text report, for a terminal.

use std::fmt::Write as _;

use truce_analysis::{
    Blocker, Bridging, Evaluation, Findings, FrontierPoint, Method, Reason, RecordStatus, Setting, Size,
    Subject, Verdict, describe, timeline,
};
use truce_model::{Case, PartyId};

use crate::fmt::{approx, count, pct, table, u};

/// Frontier points listed in full at most; longer frontiers are summarised.
const FRONTIER_ROWS: usize = 20;

/// The text report of an analysis of `case`.
#[must_use]
pub fn report(case: &Case, findings: &Findings) -> String {
    let mut out = String::new();
    let names: Vec<&str> = findings.parties.iter().map(|p| case.party(p.party).id.as_str()).collect();
    header(&mut out, case, findings, &names);
    frontier(&mut out, case, findings, &names);
    zone(&mut out, findings);
    solutions(&mut out, case, findings, &names);
    proposals(&mut out, case, findings, &names);
    positions(&mut out, case, findings, &names);
    record(&mut out, case, findings);
    bridging(&mut out, case, findings, &names);
    sensitivity(&mut out, case, findings);
    if !findings.notes.is_empty() {
        out.push_str("\nNotes\n");
        for n in &findings.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

fn vector(x: &[f64]) -> String {
    format!("({})", x.iter().map(|&v| u(v)).collect::<Vec<_>>().join(", "))
}

fn method(m: &Method) -> String {
    match m {
        Method::Minkowski { groups, largest_frontier, .. } if *groups > 1 => format!(
            "exact: per-issue frontiers combined, {groups} groups for the issues beliefs depend on, largest intermediate frontier {largest_frontier}"
        ),
        Method::Minkowski { largest_frontier, .. } => {
            format!("exact: per-issue frontiers combined, largest intermediate frontier {largest_frontier}")
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
            "APPROXIMATE ({reason}): {} sampled outcomes and {searches} local searches; true frontier points may be missing",
            count(&samples.to_string())
        ),
        _ => "other".into(),
    }
}

fn header(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let _ = writeln!(out, "{} ({})", case.title, case.id);
    let _ = writeln!(
        out,
        "{} outcomes over {} issues; negotiators: {}",
        count(&f.outcomes.to_string()),
        case.space().len(),
        names.join(", ")
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = f
        .parties
        .iter()
        .zip(names)
        .map(|(p, name)| {
            vec![
                (*name).to_owned(),
                u(p.reservation),
                u(p.best),
                p.zone_best.map_or_else(|| "-".into(), u),
                case.party(p.party).preferences.as_ref().map_or(0, |x| x.red_lines.len()).to_string(),
            ]
        })
        .collect();
    out.push_str(&table("  ", &["party", "reservation", "best", "best in zone", "red lines"], &rows));
}

fn point_row(case: &Case, p: &FrontierPoint) -> Vec<String> {
    let mut row: Vec<String> = p.utilities.iter().map(|&x| u(x)).collect();
    row.push(if p.count > 1 { format!("x{}", count(&p.count.to_string())) } else { String::new() });
    row.push(describe(case.space(), &p.outcome));
    row
}

fn points(out: &mut String, case: &Case, names: &[&str], points: &[FrontierPoint]) {
    let mut header: Vec<&str> = names.to_vec();
    header.extend(["ties", "outcome"]);
    let rows: Vec<Vec<String>> = if points.len() <= FRONTIER_ROWS {
        points.iter().map(|p| point_row(case, p)).collect()
    } else {
        // Evenly spread over the frontier, both ends included.
        let k = FRONTIER_ROWS - 1;
        (0..=k).map(|i| point_row(case, &points[i * (points.len() - 1) / k])).collect()
    };
    out.push_str(&table("  ", &header, &rows));
    if points.len() > FRONTIER_ROWS {
        let _ = writeln!(
            out,
            "  ({FRONTIER_ROWS} of {} points shown, evenly spread; --json lists all)",
            points.len()
        );
    }
}

fn frontier(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let _ = writeln!(
        out,
        "\nPareto frontier: {} points, reached by {} outcomes\n  method: {}",
        f.frontier.points.len(),
        count(&f.frontier.outcomes().to_string()),
        method(&f.frontier.method)
    );
    points(out, case, names, &f.frontier.points);
}

fn zone(out: &mut String, f: &Findings) {
    let size = match &f.zone.size {
        Size::Exact(n) => {
            let share = n.to_string().parse::<f64>().unwrap_or(0.0)
                / f.outcomes.to_string().parse::<f64>().unwrap_or(1.0);
            format!("{} outcomes ({} of all)", count(&n.to_string()), pct(100.0 * share))
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
    let _ = writeln!(
        out,
        "\nZone of agreement (no red line broken, every party at or above its reservation value): {size}"
    );
    if let Some(r) = &f.zone.red_lines {
        let _ = writeln!(
            out,
            "  frontier within the red lines: {} points ({})",
            r.points.len(),
            method(&r.method)
        );
    }
    let _ = writeln!(out, "  frontier of the zone: {} points", f.zone.frontier.len());
}

fn solutions(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
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
    out.push_str(&table("  ", &header, &table_rows));
    if let Some(o) = f.opposition {
        let _ = writeln!(
            out,
            "  opposition (distance from everyone's best to the nearest acceptable outcome): {}",
            u(o)
        );
    }
}

fn settings(case: &Case, e: &Evaluation) -> String {
    let parts: Vec<String> = case
        .space()
        .issues()
        .iter()
        .zip(&e.settings)
        .map(|(i, s)| match *s {
            Setting::Set(v) => format!("{}={}", i.name, i.format_value(v)),
            Setting::Range(a, b) => format!("{}={}..{}", i.name, i.format_value(a), i.format_value(b)),
            Setting::Open => format!("{}=open", i.name),
        })
        .collect();
    parts.join(", ")
}

fn red_line_name(case: &Case, party: PartyId, index: usize) -> String {
    case.party(party)
        .preferences
        .as_ref()
        .and_then(|p| p.red_lines.get(index))
        .map_or_else(|| format!("#{index}"), |r| format!("`{}` ({})", r.name, r.rule.describe(case.space())))
}

fn proposals(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
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
        let _ = writeln!(
            out,
            "  {title}{date}{by}: {}{}",
            e.verdict.as_str().to_uppercase(),
            if e.complete { "" } else { " (partial: ranges over the open issues)" }
        );
        let _ = writeln!(out, "    terms: {}", settings(case, e));
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
                let _ = writeln!(
                    out,
                    "      breaks red line {}{}",
                    red_line_name(case, v.party, b.red_line),
                    if terms.is_empty() {
                        String::new()
                    } else {
                        format!(" through its terms on {}", terms.join(", "))
                    }
                );
            }
            for b in &v.at_risk {
                let _ = writeln!(
                    out,
                    "      may break red line {}, depending on the open issues",
                    red_line_name(case, v.party, b.red_line)
                );
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
            let _ = writeln!(
                out,
                "    dominated{}: gains {} by changing {}",
                if d.respects_red_lines { "" } else { " (only by outcomes that break a red line)" },
                vector(&d.gains),
                changes.join("; ")
            );
        } else if e.complete && e.parties.iter().all(|v| v.utility.is_some()) {
            out.push_str("    not dominated: no outcome is better for every party\n");
        }
        if let (Some(fd), Some(nd)) = (e.frontier_distance, e.nash_distance) {
            let _ = writeln!(out, "    distance to the frontier {}, to the Nash point {}", u(fd), u(nd));
        }
        if let Some(c) = &e.best_completion {
            let _ = writeln!(
                out,
                "    best completion for all: {} {}",
                vector(&c.utilities),
                describe(case.space(), &c.outcome)
            );
        }
        for n in &e.notes {
            let _ = writeln!(out, "    note: {n}");
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

fn record(out: &mut String, case: &Case, f: &Findings) {
    if f.record.is_empty() {
        return;
    }
    out.push_str("\nRecorded responses against the model\n");
    let rows: Vec<Vec<String>> = f
        .record
        .iter()
        .map(|r| {
            let reasons: Vec<String> = r
                .reasons
                .iter()
                .map(|x| match *x {
                    Reason::RedLine { index } => format!("breaks {}", red_line_name(case, r.party, index)),
                    Reason::RedLineAtRisk { index } => {
                        format!("may break {}", red_line_name(case, r.party, index))
                    }
                    Reason::BelowReservation { utility, reservation } => {
                        format!("utility {} below reservation {}", u(utility), u(reservation))
                    }
                    Reason::NoAcceptableCompletion => {
                        "no completion within its red lines reaches its reservation".into()
                    }
                    Reason::MayFallBelowReservation { low, reservation } => {
                        format!("utility may fall to {} below reservation {}", u(low), u(reservation))
                    }
                })
                .collect();
            vec![
                case.proposal(r.proposal).id.clone(),
                case.party(r.party).id.clone(),
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
    out.push_str(&table("  ", &["proposal", "party", "said", "model", "status", "why"], &rows));
    let inconsistent = f.record.iter().filter(|r| r.status == RecordStatus::Inconsistent).count();
    if inconsistent > 0 {
        let _ = writeln!(
            out,
            "  {inconsistent} response(s) the model cannot explain: check the preferences or the record"
        );
    }
}

fn bridging(out: &mut String, case: &Case, f: &Findings, names: &[&str]) {
    let Some(b) = &f.bridging else { return };
    match b {
        Bridging::Packages { anchors, by_nash, by_concession } => {
            out.push_str("\nBridging packages (from the frontier of the zone)\n");
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
            for (title, list) in [("by Nash product", by_nash), ("by least total concession", by_concession)]
            {
                let _ = writeln!(out, "  {title}:");
                for (k, p) in list.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "    {}. {} Nash product {}, concessions {} (total {})",
                        k + 1,
                        vector(&p.point.utilities),
                        u(p.nash_product),
                        vector(&p.concessions),
                        u(p.total_concession)
                    );
                    let _ = writeln!(out, "       {}", describe(case.space(), &p.point.outcome));
                    for (party, changes) in &p.changes {
                        let Some(anchor) = anchors.get(*party).and_then(|a| a.proposal) else { continue };
                        let list: Vec<String> = changes
                            .iter()
                            .map(|c| {
                                let i = case.space().issue(c.issue);
                                format!(
                                    "{} {} -> {}",
                                    i.name,
                                    c.from.map_or_else(|| "open".into(), |v| i.format_value(v)),
                                    i.format_value(c.to)
                                )
                            })
                            .collect();
                        let _ = writeln!(
                            out,
                            "       from {}'s {}: {}",
                            names.get(*party).copied().unwrap_or("?"),
                            case.proposal(anchor).id,
                            if list.is_empty() { "no change".into() } else { list.join("; ") }
                        );
                    }
                }
            }
        }
        Bridging::Blocked { relaxations, reservations_conflict, exhaustive } => {
            out.push_str("\nNo outcome is acceptable to every party.\n");
            if *reservations_conflict {
                out.push_str("  Even without any red line the reservation values conflict.\n");
            }
            if relaxations.is_empty() {
                let _ = writeln!(
                    out,
                    "  No relaxation found{}.",
                    if *exhaustive { "" } else { " within the search budget" }
                );
            } else {
                out.push_str("  The smallest sets whose relaxation opens a zone of agreement:\n");
                for set in relaxations {
                    let items: Vec<String> = set
                        .iter()
                        .map(|b| match *b {
                            Blocker::RedLine { party, index } => {
                                format!(
                                    "{}'s red line {}",
                                    case.party(party).id,
                                    red_line_name(case, party, index)
                                )
                            }
                            Blocker::Reservation { party } => {
                                format!("{}'s reservation value", case.party(party).id)
                            }
                        })
                        .collect();
                    let _ = writeln!(out, "    - {}", items.join(" + "));
                }
            }
        }
    }
}

fn sensitivity(out: &mut String, case: &Case, f: &Findings) {
    let Some(s) = &f.sensitivity else { return };
    out.push_str("\nSensitivity (where the Nash point becomes a different outcome)\n");
    let edge = |x: Option<f64>| x.map_or_else(|| "never".into(), u);
    let rows: Vec<Vec<String>> = s
        .weights
        .iter()
        .map(|w| {
            let flips: Vec<String> = w
                .flips
                .iter()
                .map(|x| {
                    format!("{} becomes {} at {}", case.proposal(x.proposal).id, x.becomes.as_str(), u(x.at))
                })
                .collect();
            vec![
                case.party(w.party).id.clone(),
                case.space().issue(w.issue).name.clone(),
                u(w.weight),
                edge(w.nash.below),
                edge(w.nash.above),
                flips.join("; "),
            ]
        })
        .collect();
    out.push_str(&table(
        "  ",
        &["party", "weight of", "now", "changes below", "changes above", "proposals flip"],
        &rows,
    ));
    let rows: Vec<Vec<String>> = s
        .reservations
        .iter()
        .map(|r| {
            vec![case.party(r.party).id.clone(), u(r.reservation), edge(r.nash.below), edge(r.nash.above)]
        })
        .collect();
    out.push_str(&table("  ", &["party", "reservation", "changes below", "changes above"], &rows));
}
