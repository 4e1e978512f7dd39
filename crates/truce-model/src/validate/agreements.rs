//! Signed agreements: a start known to the day, extensions that add days, declared commitments that
//! say what they commit to, with unique ids, sane numbers and gates naming commitments that exist.

use std::collections::HashSet;

use super::{Checker, Location};
use crate::CommitmentKind;

pub(super) fn check(c: &mut Checker<'_>) {
    let case = c.case;
    let mut signed = HashSet::new();
    for (k, agreement) in case.agreements.iter().enumerate() {
        let loc = Location::Agreement { index: k };
        // A dangling proposal is reported by `refs`.
        let Some(proposal) = case.proposals.get(agreement.proposal.index()) else { continue };
        if !signed.insert(agreement.proposal) {
            c.error(
                "duplicate-agreement",
                loc,
                format!("`{}` is signed twice", proposal.id),
                Some("one `[[agreements]]` entry per signed proposal; extensions go in `extensions`"),
            );
        }
        if agreement.began.day().is_none() {
            c.error(
                "agreement-start-imprecise",
                loc,
                format!("`{}` began on {}, not a day", proposal.id, agreement.began),
                Some("days are counted from the first day: give it as YYYY-MM-DD"),
            );
        }
        if agreement.days == Some(0) || agreement.extensions.iter().any(|e| e.days == 0) {
            c.error(
                "agreement-days",
                loc,
                "a phase or an extension of 0 days".into(),
                Some("`days` counts the days of the first phase as signed, from 1"),
            );
        }
        let phases = case.domain.phases().len();
        if let Some(p) = agreement.last_phase.filter(|p| p.index() >= phases.max(1)) {
            c.error(
                "unknown-phase",
                loc,
                format!("`last_phase` names phase #{p}, which does not exist"),
                Some("name one of the case's `phases`"),
            );
        }
        for e in &agreement.extensions {
            if let Some(p) = e.phase.filter(|p| p.index() >= phases.max(1)) {
                c.error(
                    "unknown-phase",
                    loc,
                    format!("an extension names phase #{p}, which does not exist"),
                    Some("name one of the case's `phases`"),
                );
            }
        }
        let derived = case.commitments(agreement);
        let mut ids = HashSet::new();
        for (i, declared) in agreement.commitments.iter().enumerate() {
            let at = Location::DeclaredCommitment { agreement: k, index: i };
            if !ids.insert(declared.id.as_str()) {
                c.error(
                    "duplicate-commitment",
                    at,
                    format!("commitment `{}` is declared twice", declared.id),
                    Some("give each commitment its own id"),
                );
            }
            if declared.kind.is_none() && !derived.iter().any(|d| d.id == declared.id && !d.declared) {
                c.error(
                    "commitment-underived",
                    at,
                    format!(
                        "`{}` is no term of `{}` with a measurable provision, and says no `kind`",
                        declared.id, proposal.id
                    ),
                    Some("say what it commits to: kind = \"total\", \"rate\", \"deadline\", \"hold\" or \"gate\""),
                );
            }
            if let Some(p) = declared.phase.filter(|p| p.index() >= phases.max(1)) {
                c.error(
                    "unknown-phase",
                    at,
                    format!("the commitment names phase #{p}, which does not exist"),
                    Some("name one of the case's `phases`"),
                );
            }
            let bad = |why: &str| Some(why.to_owned());
            let problem = match &declared.kind {
                Some(CommitmentKind::Total { total, schedule, by_day }) => {
                    let sum: f64 = schedule.iter().map(|b| f64::from(b.count)).sum();
                    if !total.is_finite() || *total < 0.0 {
                        bad("a total is a finite number at least 0")
                    } else if !schedule.is_empty() && (sum - total).abs() > 1e-9 {
                        Some(format!("the schedule adds up to {sum}, not the total {total}"))
                    } else if *by_day == Some(0) {
                        bad("days of a phase count from 1")
                    } else {
                        None
                    }
                }
                Some(CommitmentKind::Rate { per_day, tolerance, window_days }) => {
                    if !per_day.is_finite() || *per_day < 0.0 {
                        bad("a rate is a finite number at least 0")
                    } else if !(0.0..1.0).contains(tolerance) {
                        bad("a tolerance is a fraction of the rate, from 0 up to (not including) 1")
                    } else if *window_days == 0 {
                        bad("a window is at least 1 day")
                    } else {
                        None
                    }
                }
                Some(CommitmentKind::Deadline { by_day: 0 }) => bad("days of a phase count from 1"),
                Some(CommitmentKind::Gate { after }) => after
                    .iter()
                    .find(|a| !derived.iter().any(|d| &d.id == *a))
                    .map(|a| format!("the gate names `{a}`, which is no commitment of the agreement")),
                _ => None,
            };
            if let Some(message) = problem {
                c.error(
                    "commitment-shape",
                    at,
                    format!("commitment `{}`: {message}", declared.id),
                    Some("see docs/monitoring.md for what each kind of commitment holds"),
                );
            }
        }
        for commitment in &derived {
            let (Some(due), Some(last)) = (commitment.due_day(), commitment.last_day()) else { continue };
            if due > last {
                c.warning(
                    "commitment-after-phase",
                    loc,
                    format!(
                        "`{}` falls due on day {due} of the agreement, after its phase ends on day {last}",
                        commitment.id
                    ),
                    Some("check the phase's `duration_days`, the agreement's `days` and its extensions"),
                );
            }
        }
    }
}
