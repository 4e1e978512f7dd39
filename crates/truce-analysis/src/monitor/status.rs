//! The status of one commitment on one day, from one account's daily quantities: the rules of
//! `docs/monitoring.md`, one function per kind of commitment.

use std::collections::BTreeMap;

use truce_model::{Commitment, CommitmentKind};

use super::{Projection, Reading, Status};

/// Another commitment of the same account, by id: its status and the agreement day it is due by.
pub(crate) type Named<'a> = dyn Fn(&str) -> Option<(Status, Option<u32>)> + 'a;

/// Quantities below this are nothing (sums of decimals).
const EPS: f64 = 1e-9;

/// The reading of `c` at the end of agreement day `day`, from `values` (agreement day to quantity;
/// absent days unknown). `gate` gives the status of another commitment (by id) in the same account,
/// and the agreement day it is due by.
pub(crate) fn read(c: &Commitment, values: &BTreeMap<i64, f64>, day: i64, gate: &Named<'_>) -> Reading {
    match &c.kind {
        CommitmentKind::Total { total, schedule, .. } => {
            let expected = if schedule.is_empty() {
                c.due_day().filter(|&due| day >= i64::from(due)).map_or(0.0, |_| *total)
            } else {
                schedule
                    .iter()
                    .filter(|b| i64::from(c.agreement_day(b.day)) <= day)
                    .map(|b| f64::from(b.count))
                    .sum()
            };
            // A stage is covered when the account reports a day of it (after the last batch's day, up to
            // its own): a shortfall where a stage is not covered is unknown, not a breach.
            let mut previous = i64::from(c.phase_start) - 1;
            let mut covered = true;
            for b in schedule {
                let d = i64::from(c.agreement_day(b.day));
                if d <= day && between(values, previous + 1, d).next().is_none() {
                    covered = false;
                }
                previous = d;
            }
            total_reading(c, *total, (expected, !schedule.is_empty()), covered, values, day)
        }
        CommitmentKind::Rate { per_day, tolerance, window_days } => {
            rate_reading(c, *per_day, *tolerance, *window_days, values, day)
        }
        CommitmentKind::Deadline { by_day } => {
            deadline_reading(i64::from(c.agreement_day(*by_day)), values, day)
        }
        CommitmentKind::Hold => hold_reading(c, values, day),
        CommitmentKind::Gate { after } => gate_reading(c, after, values, day, gate),
    }
}

/// The days of `values` from `from` to `to` (none when `from` is after `to`: a range would panic).
fn between(
    values: &BTreeMap<i64, f64>,
    from: i64,
    to: i64,
) -> std::collections::btree_map::Range<'_, i64, f64> {
    values.range(from..to.saturating_add(1).max(from))
}

fn score_of_fraction(delivered: f64, full: f64) -> u8 {
    if delivered <= EPS {
        0
    } else if delivered + EPS >= full {
        3
    } else if delivered * 2.0 + EPS >= full {
        2
    } else {
        1
    }
}

fn total_reading(
    c: &Commitment,
    total: f64,
    (expected, scheduled): (f64, bool),
    covered: bool,
    values: &BTreeMap<i64, f64>,
    day: i64,
) -> Reading {
    let upto: f64 = values.range(..=day).map(|(_, v)| v).sum();
    let reported = values.range(..=day).next().is_some();
    let due = c.due_day().map(i64::from);
    let status = if reported && upto + EPS >= total {
        Status::Met
    } else if due.is_some_and(|due| day >= due) {
        if reported && covered { Status::Breached } else { Status::Unknown }
    } else if !reported || (!covered && upto + EPS < expected) {
        if expected <= EPS { Status::NotYetDue } else { Status::Unknown }
    } else if expected <= EPS && upto <= EPS {
        Status::NotYetDue
    } else if upto + EPS >= expected {
        Status::OnTrack
    } else {
        Status::Behind
    };
    let projection = match (status, due) {
        (Status::OnTrack | Status::Behind, Some(due)) => {
            let start = i64::from(c.phase_start);
            let elapsed = (day - start + 1).max(1);
            let span = (due - start + 1).max(1);
            // On a schedule, the pace is the share of what was due that was delivered; without one,
            // what was delivered per day so far.
            #[allow(clippy::cast_precision_loss)] // day counts are small
            let projected = if scheduled && expected > EPS {
                upto / expected * total
            } else {
                upto / elapsed as f64 * span as f64
            };
            Some(Projection { due_day: due, projected, required: total, will_meet: projected + EPS >= total })
        }
        _ => None,
    };
    Reading {
        status,
        delivered: reported.then_some(upto),
        expected: Some(expected),
        score: match status {
            Status::Unknown => None,
            _ => Some(score_of_fraction(upto, total)),
        },
        projection,
    }
}

fn rate_reading(
    c: &Commitment,
    per_day: f64,
    tolerance: f64,
    window: u32,
    values: &BTreeMap<i64, f64>,
    day: i64,
) -> Reading {
    let start = i64::from(c.phase_start);
    let last = c.last_day().map(i64::from);
    let threshold = per_day * (1.0 - tolerance);
    let mean = |from: i64, to: i64| -> Option<f64> {
        let v: Vec<f64> = between(values, from, to).map(|(_, v)| *v).collect();
        #[allow(clippy::cast_precision_loss)]
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    if day < start {
        return Reading {
            status: Status::NotYetDue,
            delivered: None,
            expected: Some(per_day),
            score: Some(0),
            projection: None,
        };
    }
    let end = last.map_or(day, |l| day.min(l));
    let so_far = mean(start, end);
    let over = last.is_some_and(|l| day >= l);
    // Met only when every day of the phase is reported: a day the log does not cover is unknown.
    let covered =
        last.is_some_and(|l| i64::try_from(between(values, start, l).count()).is_ok_and(|n| n > l - start));
    let status = if over {
        match so_far {
            None => Status::Unknown,
            Some(avg) if avg + EPS >= threshold && covered => Status::Met,
            Some(avg) if avg + EPS >= threshold => Status::Unknown,
            Some(_) => Status::Breached,
        }
    } else {
        let from = (end - i64::from(window.max(1)) + 1).max(start);
        match mean(from, end) {
            None => Status::Unknown,
            Some(avg) if avg + EPS >= threshold => Status::OnTrack,
            Some(_) => Status::Behind,
        }
    };
    let projection = match (status, so_far, last) {
        (Status::OnTrack | Status::Behind, Some(avg), Some(l)) => Some(Projection {
            due_day: l,
            projected: avg,
            required: threshold,
            will_meet: avg + EPS >= threshold,
        }),
        _ => None,
    };
    let score = so_far
        .filter(|_| status != Status::Unknown)
        .map(|avg| if avg + EPS >= threshold { 3 } else { score_of_fraction(avg, per_day).min(2) });
    Reading { status, delivered: so_far, expected: Some(per_day), score, projection }
}

fn deadline_reading(due: i64, values: &BTreeMap<i64, f64>, day: i64) -> Reading {
    let done = values.range(..=day).find(|(_, v)| **v > EPS).map(|(d, _)| *d);
    let said_not_done = between(values, due, day).any(|(_, v)| *v <= EPS);
    let status = match done {
        Some(d) if d <= due => Status::Met,
        Some(_) => Status::Breached,
        None if day < due => Status::NotYetDue,
        None if said_not_done => Status::Breached,
        None => Status::Unknown,
    };
    let score = match status {
        Status::Unknown => None,
        _ if done.is_some() => Some(3),
        _ => Some(0),
    };
    Reading {
        status,
        delivered: done.map(|_| 1.0).or_else(|| values.range(..=day).next().map(|_| 0.0)),
        expected: Some(1.0),
        score,
        projection: None,
    }
}

fn hold_reading(c: &Commitment, values: &BTreeMap<i64, f64>, day: i64) -> Reading {
    let start = i64::from(c.phase_start);
    let last = c.last_day().map(i64::from);
    if day < start {
        return Reading {
            status: Status::NotYetDue,
            delivered: None,
            expected: Some(0.0),
            score: Some(0),
            projection: None,
        };
    }
    let end = last.map_or(day, |l| day.min(l));
    let reports: Vec<f64> = between(values, start, end).map(|(_, v)| *v).collect();
    let violations: f64 = reports.iter().sum();
    let status = if violations > EPS {
        Status::Breached
    } else if reports.is_empty() {
        Status::Unknown
    } else if last.is_some_and(|l| day >= l) {
        // Held through the phase only if every day of it is reported.
        if i64::try_from(reports.len()).is_ok_and(|n| n > end - start) {
            Status::Met
        } else {
            Status::Unknown
        }
    } else {
        Status::OnTrack
    };
    let score = match status {
        Status::Unknown => None,
        Status::Breached => Some(1),
        _ => Some(3),
    };
    Reading {
        status,
        delivered: (!reports.is_empty()).then_some(violations),
        expected: Some(0.0),
        score,
        projection: None,
    }
}

fn gate_reading(
    c: &Commitment,
    after: &[String],
    values: &BTreeMap<i64, f64>,
    day: i64,
    gate: &Named<'_>,
) -> Reading {
    let opened = values.range(..=day).any(|(_, v)| *v > EPS);
    let named: Vec<(Status, Option<u32>)> =
        after.iter().map(|a| gate(a).unwrap_or((Status::Unknown, None))).collect();
    let statuses: Vec<Status> = named.iter().map(|(s, _)| *s).collect();
    // Due when what it names falls due, and at the latest the day before its phase begins.
    let due = named
        .iter()
        .filter_map(|(_, d)| d.map(i64::from))
        .chain([i64::from(c.phase_start) - 1])
        .max()
        .unwrap_or(0);
    let status = if opened || (!statuses.is_empty() && statuses.iter().all(|s| *s == Status::Met)) {
        Status::Met
    } else if statuses.contains(&Status::Breached) {
        Status::Breached
    } else if statuses.contains(&Status::Disputed) {
        Status::Disputed
    } else if statuses.contains(&Status::Unknown) {
        Status::Unknown
    } else if day >= due {
        Status::Breached
    } else if statuses.contains(&Status::Behind) {
        Status::Behind
    } else if statuses.iter().any(|s| matches!(s, Status::OnTrack | Status::Met)) {
        Status::OnTrack
    } else {
        Status::NotYetDue
    };
    let score = match status {
        Status::Unknown | Status::Disputed => None,
        Status::Met => Some(3),
        _ => Some(0),
    };
    Reading { status, delivered: None, expected: None, score, projection: None }
}
