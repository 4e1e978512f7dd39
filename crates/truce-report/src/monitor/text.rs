//! A monitoring as text: the agreement and the date, the phases and their gates, every commitment
//! with its status, score and each source's account beside it, each party's compliance day by day,
//! and what falls due next.

use std::fmt::Write;

use truce_analysis::monitor::{Monitoring, Reading, Status};
use truce_model::{Case, CommitmentKind, Reconciliation};

use super::{agreement, agreement_id, date_of, num, terms};

pub(super) fn status_word(s: Status) -> &'static str {
    match s {
        Status::NotYetDue => "not yet due",
        Status::OnTrack => "on track",
        Status::Behind => "behind",
        Status::Met => "met",
        Status::Breached => "breached",
        Status::Disputed => "disputed",
        Status::Unknown => "unknown",
    }
}

pub(super) fn score(r: &Reading) -> String {
    r.score.map_or_else(|| "-".into(), |s| format!("{s}/3"))
}

pub(super) fn delivered(kind: &CommitmentKind, r: &Reading) -> String {
    match kind {
        CommitmentKind::Hold => {
            return r
                .delivered
                .map_or_else(|| "nothing reported".into(), |v| format!("{} violations reported", num(v)));
        }
        CommitmentKind::Gate { .. } => return String::new(),
        CommitmentKind::Deadline { .. } => {
            return match r.delivered {
                Some(v) if v > 0.0 => "reported done".into(),
                Some(_) => "reported not done".into(),
                None => "nothing reported".into(),
            };
        }
        _ => {}
    }
    match (r.delivered, r.expected) {
        (Some(d), Some(e)) => format!("{} of {} due", num(d), num(e)),
        (Some(d), None) => num(d),
        (None, Some(e)) => format!("nothing reported, {} due", num(e)),
        (None, None) => "nothing reported".into(),
    }
}

/// The report.
#[must_use]
pub fn report(case: &Case, m: &Monitoring) -> String {
    let mut out = String::new();
    let source = |s: truce_model::SourceId| case.sources.get(s.index()).map_or("?", |s| s.id.as_str());
    let party = |p: truce_model::PartyId| case.parties.get(p.index()).map_or("?", |p| p.id.as_str());
    let began = agreement(case, m).map_or_else(String::new, |a| a.began.to_string());
    let _ = writeln!(out, "{}: agreement `{}`", case.title, agreement_id(case, m));
    let _ = writeln!(out, "Began {began}; read at {} (day {}).", m.at, m.at_day);
    let sources: Vec<&str> = m.sources.iter().map(|s| source(*s)).collect();
    let rule = match (&m.rule, m.only_source) {
        (_, Some(s)) => format!("{}'s account only", source(s)),
        (Reconciliation::MostConservative, _) => "the most conservative figure each day".into(),
        (Reconciliation::PerSource, _) => "one view per source (disputed where they differ)".into(),
        (Reconciliation::Trust { order }, _) => {
            format!(
                "the most trusted source reporting each day ({})",
                order.iter().map(|s| source(*s)).collect::<Vec<_>>().join(" > ")
            )
        }
    };
    let _ = writeln!(
        out,
        "Status from {rule}; sources read: {}.",
        if sources.is_empty() { "none".into() } else { sources.join(", ") }
    );

    let _ = writeln!(out, "\nPhases");
    for p in &m.phases {
        let name = p
            .phase
            .and_then(|p| case.domain.phases().get(p.index()))
            .map_or("the agreement", |p| p.name.as_str());
        let span = match (p.start, p.end) {
            (Some(s), Some(e)) => format!("{s} to {e}"),
            (Some(s), None) => format!("from {s}"),
            _ => "not placed".into(),
        };
        let _ = writeln!(out, "  {name}: {span} (from day {})", p.start_day);
        for &k in &p.gates {
            let c = &m.commitments[k];
            let accounts: Vec<String> = c
                .by_source
                .iter()
                .map(|(s, r)| format!("{} {}", source(*s), status_word(r.status)))
                .collect();
            let _ = writeln!(
                out,
                "    gate `{}`: {}{}",
                c.commitment.id,
                status_word(c.reading.status),
                if accounts.is_empty() { String::new() } else { format!(" ({})", accounts.join("; ")) }
            );
        }
    }

    let _ = writeln!(out, "\nCommitments (score: Peace Accords Matrix, 0 not begun to 3 full)");
    for c in &m.commitments {
        let owed: Vec<&str> = c.commitment.owed_by.iter().map(|p| party(*p)).collect();
        let _ = writeln!(
            out,
            "  {} [{}] {}: {}, score {}{}",
            c.commitment.id,
            c.commitment.kind.as_str(),
            if owed.is_empty() {
                "(owed by: not said)".into()
            } else {
                format!("owed by {}", owed.join(", "))
            },
            status_word(c.reading.status).to_uppercase(),
            score(&c.reading),
            match delivered(&c.commitment.kind, &c.reading) {
                d if d.is_empty() => d,
                d => format!(", {d}"),
            }
        );
        let _ = writeln!(out, "      commits to: {}", terms(c));
        if let Some(d) = c.commitment.due_day().and_then(|d| date_of(case, m, i64::from(d))) {
            let _ = writeln!(out, "      due {d}");
        }
        for (s, r) in &c.by_source {
            let d = delivered(&c.commitment.kind, r);
            let _ = writeln!(
                out,
                "      {}: {}{}",
                source(*s),
                status_word(r.status),
                if d.is_empty() { d } else { format!(", {d}") }
            );
        }
        if let Some(p) = c.reading.projection {
            let _ = writeln!(
                out,
                "      at the pace so far: {} by day {} against {} required: {}",
                num(p.projected),
                p.due_day,
                num(p.required),
                if p.will_meet { "on course" } else { "short" }
            );
        }
        if !c.sources_differ.is_empty() {
            let days: Vec<String> = c.sources_differ.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "      sources differ on {} (kept side by side)", days.join(", "));
        }
        let days: String = c.daily.iter().map(|r| mark(r.status)).collect();
        let _ = writeln!(out, "      day by day: {days}");
    }

    if !m.parties.is_empty() {
        let _ =
            writeln!(out, "\nCompliance (share of the commitments due and known that are met or on track)");
        for (p, days) in &m.parties {
            let shares: Vec<String> = days
                .iter()
                .map(|c| c.share.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0)))
                .collect();
            let _ = writeln!(out, "  {}: {}", party(*p), shares.join(" "));
        }
    }

    let _ = writeln!(out, "\nComing up");
    if m.upcoming.is_empty() {
        let _ = writeln!(out, "  nothing more falls due");
    }
    for u in &m.upcoming {
        let date = u.date.map_or_else(|| format!("day {}", u.day), |d| d.to_string());
        let _ = writeln!(out, "  {date} (day {}): {}", u.day, u.what);
    }
    let _ = writeln!(
        out,
        "\nDay by day: . not yet due, + on track, - behind, M met, X breached, ! disputed, ? unknown."
    );
    out
}

fn mark(s: Status) -> char {
    match s {
        Status::NotYetDue => '.',
        Status::OnTrack => '+',
        Status::Behind => '-',
        Status::Met => 'M',
        Status::Breached => 'X',
        Status::Disputed => '!',
        Status::Unknown => '?',
    }
}
