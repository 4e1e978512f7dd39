//! One account of a commitment: what one source (or the sources reconciled by the agreement's rule)
//! reports on each day of the agreement.

use std::collections::BTreeMap;

use truce_model::{Observation, Reconciliation, SignedAgreement, SourceId};

/// What an account says on one day: the quantity, as a range when a source contradicts itself (two
/// rows for the same place with different quantities; different places add up).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Reported {
    pub low: f64,
    pub high: f64,
}

/// An account: agreement day to what it reports that day. Days without a report are absent (unknown,
/// never zero).
pub(crate) type Series = BTreeMap<i64, Reported>;

/// The agreement day an observation counts on: its date's last possible day.
pub(crate) fn day_of(agreement: &SignedAgreement, o: &Observation) -> i64 {
    agreement.day_of(o.date.last_day())
}

/// One source's account of one commitment up to `at_day`.
pub(crate) fn source_series(
    agreement: &SignedAgreement,
    observations: &[&Observation],
    source: SourceId,
    at_day: i64,
) -> Series {
    // Day -> place -> (low, high).
    let mut by_day: BTreeMap<i64, BTreeMap<Option<&str>, (f64, f64)>> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.source == source) {
        let day = day_of(agreement, o);
        if day < 1 || day > at_day {
            continue;
        }
        let slot =
            by_day.entry(day).or_default().entry(o.place.as_deref()).or_insert((o.quantity, o.quantity));
        slot.0 = slot.0.min(o.quantity);
        slot.1 = slot.1.max(o.quantity);
    }
    by_day
        .into_iter()
        .map(|(day, places)| {
            let (low, high) = places.values().fold((0.0, 0.0), |(l, h), (pl, ph)| (l + pl, h + ph));
            (day, Reported { low, high })
        })
        .collect()
}

/// The sources' accounts reconciled by `rule` into one (for `PerSource`, `None`: there is no one
/// account). `conservative_high` says which end is the conservative one (violations: the most).
pub(crate) fn reconcile(
    rule: &Reconciliation,
    accounts: &[(SourceId, Series)],
    conservative_high: bool,
) -> Option<Series> {
    let days: std::collections::BTreeSet<i64> =
        accounts.iter().flat_map(|(_, s)| s.keys().copied()).collect();
    match rule {
        Reconciliation::PerSource => None,
        Reconciliation::MostConservative => Some(
            days.into_iter()
                .map(|day| {
                    let reports = accounts.iter().filter_map(|(_, s)| s.get(&day));
                    let pick = |f: fn(f64, f64) -> f64, of: fn(&Reported) -> f64| {
                        reports.clone().map(of).reduce(f).unwrap_or(0.0)
                    };
                    let r = if conservative_high {
                        Reported { low: pick(f64::max, |r| r.low), high: pick(f64::max, |r| r.high) }
                    } else {
                        Reported { low: pick(f64::min, |r| r.low), high: pick(f64::min, |r| r.high) }
                    };
                    (day, r)
                })
                .collect(),
        ),
        Reconciliation::Trust { order } => Some(
            days.into_iter()
                .filter_map(|day| {
                    let rank =
                        |s: &SourceId| order.iter().position(|o| o == s).unwrap_or(order.len() + s.index());
                    accounts
                        .iter()
                        .filter(|(_, series)| series.contains_key(&day))
                        .min_by_key(|(s, _)| rank(s))
                        .and_then(|(_, series)| series.get(&day).map(|r| (day, *r)))
                })
                .collect(),
        ),
    }
}

/// The days on which the accounts give different quantities.
pub(crate) fn differing_days(accounts: &[(SourceId, Series)]) -> Vec<i64> {
    let days: std::collections::BTreeSet<i64> =
        accounts.iter().flat_map(|(_, s)| s.keys().copied()).collect();
    days.into_iter()
        .filter(|day| {
            let mut values = accounts.iter().filter_map(|(_, s)| s.get(day));
            let Some(first) = values.next() else { return false };
            values.any(|r| r != first)
        })
        .collect()
}

/// The series with each day's low end, or its high end.
pub(crate) fn end(series: &Series, high: bool) -> BTreeMap<i64, f64> {
    series.iter().map(|(d, r)| (*d, if high { r.high } else { r.low })).collect()
}
