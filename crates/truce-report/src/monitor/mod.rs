//! A signed agreement followed to a date (`truce monitor`): as text for people, as JSON with a
//! documented schema (`docs/monitoring.md`, [`json::SCHEMA`]), and as SVG plots and an HTML page
//! (cumulative deliveries against the schedule, rates per day against the commitment, the phase
//! timeline with the events on it).

pub mod html;
pub mod json;
pub mod svg;
pub mod text;

use truce_analysis::monitor::{CommitmentReport, Monitoring};
use truce_model::{Case, CommitmentKind, PartialDate, SignedAgreement};

/// The agreement a monitoring reads.
fn agreement<'c>(case: &'c Case, m: &Monitoring) -> Option<&'c SignedAgreement> {
    case.agreements.get(m.agreement)
}

/// The id of the proposal signed.
fn agreement_id(case: &Case, m: &Monitoring) -> String {
    agreement(case, m)
        .and_then(|a| case.proposals.get(a.proposal.index()))
        .map_or_else(String::new, |p| p.id.clone())
}

/// The date of an agreement day.
fn date_of(case: &Case, m: &Monitoring, day: i64) -> Option<PartialDate> {
    agreement(case, m).and_then(|a| Monitoring::date_of(a, day))
}

/// A number as people read it: whole numbers without decimals, others to one.
fn num(v: f64) -> String {
    // `+ 0.0` turns -0 (a due amount of nothing, computed) into 0.
    let v = v + 0.0;
    if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() + 0.0) } else { format!("{v:.1}") }
}

/// What a commitment commits to, in words.
fn terms(c: &CommitmentReport) -> String {
    let c = &c.commitment;
    match &c.kind {
        CommitmentKind::Total { total, schedule, by_day } => {
            let mut s = format!("{} {}", num(*total), c.unit);
            if !schedule.is_empty() {
                let batches: Vec<String> =
                    schedule.iter().map(|b| format!("{} on day {}", b.count, b.day)).collect();
                s.push_str(&format!(" ({})", batches.join(", ")));
            }
            if let Some(d) = by_day {
                s.push_str(&format!(" by day {d}"));
            }
            s
        }
        CommitmentKind::Rate { per_day, tolerance, window_days } => format!(
            "{} {} a day (tolerance {}%, over {} day{})",
            num(*per_day),
            c.unit,
            num(tolerance * 100.0),
            window_days,
            if *window_days == 1 { "" } else { "s" }
        ),
        CommitmentKind::Deadline { by_day } => format!("done by day {by_day} of its phase"),
        CommitmentKind::Hold => "held through its phase (events count violations)".into(),
        CommitmentKind::Gate { after } => format!("the next step only once {} met", after.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_never_print_a_negative_zero() {
        assert_eq!(super::num(-0.0), "0");
        assert_eq!(super::num(-0.0 * 5.0), "0");
        assert_eq!(super::num(30.0), "30");
        assert_eq!(super::num(2.5), "2.5");
    }
}
