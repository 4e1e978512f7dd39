//! Implementation monitoring: a signed agreement followed day by day against what happened.
//!
//! [`monitor`] takes a case, one of its [`SignedAgreement`]s and the [`Observation`]s of its event
//! logs, and reads every commitment ([`Case::commitments`]) on every day of the agreement up to a
//! date: its [`Status`] (not yet due, on track, behind, met, breached, disputed, or unknown when the
//! log does not cover it), a 0-3 score as the Peace Accords Matrix gives it (not begun, minimal,
//! intermediate, full), and a projection at the pace so far. Every source's account is read on its
//! own and kept ([`CommitmentReport::by_source`]); the agreement's [`Reconciliation`] rule says which
//! account the status is read from, and none averages them. A source contradicting itself (two
//! quantities for one place and day) is read at both ends: the commitment is disputed when they give
//! different statuses. The rules for each kind are in `status.rs` and `docs/monitoring.md`.
//! [`PlayFromEvents`] (`play.rs`) turns the deliveries read to a date into the state of play the
//! analysis reads (`truce analyze --at DATE --events FILE...`).

mod play;
mod series;
mod status;

pub use play::{Disagreement, Figure, HeldFrom, PlayCount, PlayFromEvents, TooMuch};

use std::collections::BTreeMap;

use truce_model::{
    Case, Commitment, CommitmentKind, Observation, PartialDate, PartyId, PhaseId, Reconciliation,
    SignedAgreement, SourceId, date_of_day, day_number,
};

use series::{Series, differing_days, end, reconcile, source_series};

/// Where a commitment stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Nothing is due yet, and nothing reported delivered.
    NotYetDue,
    /// Delivered at least what was due by now (a rate kept over its window; a state held so far).
    OnTrack,
    /// Delivered less than was due by now, with time left.
    Behind,
    /// Delivered in full (a rate kept over the phase and a state held through it, every day of it
    /// reported; a gate opened).
    Met,
    /// Not delivered by its day (or a state not held, a rate not kept, a deadline missed).
    Breached,
    /// The accounts give different statuses (under `per_source`), or a source contradicts itself in
    /// a way that changes it.
    Disputed,
    /// The log does not cover it: nothing reported where something was due.
    Unknown,
}

impl Status {
    /// The status as the JSON and the text write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotYetDue => "not_yet_due",
            Self::OnTrack => "on_track",
            Self::Behind => "behind",
            Self::Met => "met",
            Self::Breached => "breached",
            Self::Disputed => "disputed",
            Self::Unknown => "unknown",
        }
    }

    /// Every status, in the order reports list them.
    pub const ALL: [Self; 7] = [
        Self::Met,
        Self::OnTrack,
        Self::NotYetDue,
        Self::Behind,
        Self::Breached,
        Self::Disputed,
        Self::Unknown,
    ];
}

/// Whether a commitment will be met by its day at the pace so far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    /// The agreement day it is due by.
    pub due_day: i64,
    /// What the pace so far gives by then (a total; for a rate, the average per day).
    pub projected: f64,
    /// What is required (the total; for a rate, the rate less its tolerance).
    pub required: f64,
    /// Whether `projected` reaches `required`.
    pub will_meet: bool,
}

/// A commitment read on one day from one account.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// Where it stands.
    pub status: Status,
    /// Delivered so far: a total's sum, a rate's average per reported day, a deadline's 1 or 0, a
    /// state's violations (`None`: nothing reported).
    pub delivered: Option<f64>,
    /// Due by now: a total's scheduled sum, a rate, a deadline's 1, a state's 0 violations.
    pub expected: Option<f64>,
    /// The Peace Accords Matrix score, 0 (not begun) to 3 (full); `None` when unknown.
    pub score: Option<u8>,
    /// At the pace so far, met by its day? (totals and rates still running).
    pub projection: Option<Projection>,
}

/// One commitment followed to the date.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitmentReport {
    /// The commitment.
    pub commitment: Commitment,
    /// Its reading at the date, from the account the rule gives.
    pub reading: Reading,
    /// Its reading at the date in each source's account that reports it, kept side by side.
    pub by_source: Vec<(SourceId, Reading)>,
    /// Its reading on every day from day 1 to the date.
    pub daily: Vec<Reading>,
    /// The quantity the rule's account gives each reported day (the conservative end where a source
    /// contradicts itself), for plots: agreement day to quantity.
    pub reported: Vec<(i64, f64)>,
    /// The dates on which the sources give different quantities (kept, and shown).
    pub sources_differ: Vec<PartialDate>,
    /// How many observations concern it.
    pub observations: usize,
}

/// A phase on the agreement's calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseReport {
    /// The phase (`None` in an unphased case).
    pub phase: Option<PhaseId>,
    /// The agreement day it begins on, and its date.
    pub start_day: u32,
    /// Its first date.
    pub start: Option<PartialDate>,
    /// Its last date, if its length is known.
    pub end: Option<PartialDate>,
    /// The indices (in [`Monitoring::commitments`]) of the gates on it: read under each source.
    pub gates: Vec<usize>,
}

/// One party's compliance on one day: how many of the commitments it owes stand where.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Compliance {
    /// Commitments by status.
    pub counts: BTreeMap<Status, usize>,
    /// The share of the commitments due and known (met, on track, behind, breached) that are met or
    /// on track (`None`: none is).
    pub share: Option<f64>,
}

/// A day coming up: a batch due, a deadline, a phase's end.
#[derive(Clone, Debug, PartialEq)]
pub struct Upcoming {
    /// The agreement day.
    pub day: i64,
    /// Its date.
    pub date: Option<PartialDate>,
    /// The commitment (index in [`Monitoring::commitments`]), if it is one's.
    pub commitment: Option<usize>,
    /// What falls due, in words.
    pub what: String,
}

/// An agreement followed to a date.
#[derive(Clone, Debug, PartialEq)]
pub struct Monitoring {
    /// The agreement (its index in the case's `agreements`).
    pub agreement: usize,
    /// The date it is read at, and its agreement day (day 1 is the day it began).
    pub at: PartialDate,
    /// The agreement day of `at`.
    pub at_day: i64,
    /// The rule the status is read under.
    pub rule: Reconciliation,
    /// The one source whose account is read (`--source`), if one is.
    pub only_source: Option<SourceId>,
    /// The sources whose accounts are read, in the case's order.
    pub sources: Vec<SourceId>,
    /// The phases, with their gates.
    pub phases: Vec<PhaseReport>,
    /// Every commitment, in the order [`Case::commitments`] gives.
    pub commitments: Vec<CommitmentReport>,
    /// Each party that owes something: its compliance on every day from day 1 to the date.
    pub parties: Vec<(PartyId, Vec<Compliance>)>,
    /// What falls due after the date.
    pub upcoming: Vec<Upcoming>,
}

impl Monitoring {
    /// The date of an agreement day of this agreement.
    #[must_use]
    pub fn date_of(agreement: &SignedAgreement, day: i64) -> Option<PartialDate> {
        date_of_day(day_number(agreement.began) + day - 1)
    }
}

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct MonitorOptions {
    /// The date to read at (default: the last date of the observations; the day it began if none).
    pub at: Option<PartialDate>,
    /// Read only this source's account.
    pub source: Option<SourceId>,
}

/// Why an agreement cannot be followed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MonitorError {
    /// The case has no such agreement.
    #[error("the case has no signed agreement #{0}")]
    NoAgreement(usize),
    /// The date is before the agreement began.
    #[error("{at} is before the agreement began on {began}")]
    BeforeStart {
        /// The date asked for.
        at: PartialDate,
        /// The day it began.
        began: PartialDate,
    },
    /// The date is so far after the start that days cannot be counted (more than 100 years).
    #[error("{0} is more than 100 years after the agreement began")]
    TooLate(PartialDate),
}

/// The longest agreement followed day by day.
const MAX_DAYS: i64 = 36_525;

/// Follows agreement `index` of `case` to a date from `observations` (rows for commitments the
/// agreement does not have, or dated after the date, are not read).
///
/// # Errors
/// When the case has no such agreement, or the date is before it began.
pub fn monitor(
    case: &Case,
    index: usize,
    observations: &[Observation],
    options: &MonitorOptions,
) -> Result<Monitoring, MonitorError> {
    let agreement = case.agreements.get(index).ok_or(MonitorError::NoAgreement(index))?;
    let at = options
        .at
        .or_else(|| observations.iter().map(|o| o.date.last_day()).max())
        .unwrap_or(agreement.began)
        .last_day();
    let at_day = agreement.day_of(at);
    if at_day < 1 {
        return Err(MonitorError::BeforeStart { at, began: agreement.began });
    }
    if at_day > MAX_DAYS {
        return Err(MonitorError::TooLate(at));
    }
    let observations: Vec<&Observation> =
        observations.iter().filter(|o| options.source.is_none_or(|s| o.source == s)).collect();
    let mut sources: Vec<SourceId> = observations.iter().map(|o| o.source).collect();
    sources.sort_unstable();
    sources.dedup();
    let commitments = case.commitments(agreement);
    let rule =
        if options.source.is_some() { Reconciliation::MostConservative } else { agreement.reconcile.clone() };

    // Each commitment's accounts: one per source reporting it.
    let accounts: Vec<Vec<(SourceId, Series)>> = commitments
        .iter()
        .map(|c| {
            let rows: Vec<&Observation> =
                observations.iter().copied().filter(|o| o.commitment == c.id).collect();
            sources
                .iter()
                .map(|&s| (s, source_series(agreement, &rows, s, at_day)))
                .filter(|(_, series)| !series.is_empty())
                .collect()
        })
        .collect();
    let high: Vec<bool> = commitments.iter().map(|c| matches!(c.kind, CommitmentKind::Hold)).collect();

    // Every account read on every day: one per source, and the rule's.
    let per_source: Vec<(SourceId, Vec<Vec<Reading>>)> = sources
        .iter()
        .map(|&s| {
            let series: Vec<Series> = accounts
                .iter()
                .map(|a| {
                    a.iter().find(|(x, _)| *x == s).map(|(_, series)| series.clone()).unwrap_or_default()
                })
                .collect();
            (s, read_account(&commitments, &series, &high, at_day))
        })
        .collect();
    let reconciled: Vec<Option<Series>> =
        accounts.iter().zip(&high).map(|(a, &h)| reconcile(&rule, a, h)).collect();
    let ruled: Vec<Vec<Reading>> = if reconciled.iter().all(Option::is_some) {
        let series: Vec<Series> = reconciled.iter().map(|s| s.clone().unwrap_or_default()).collect();
        read_account(&commitments, &series, &high, at_day)
    } else {
        per_source_combined(&commitments, &per_source, &accounts, at_day)
    };

    let mut reports = Vec::with_capacity(commitments.len());
    for (k, c) in commitments.iter().enumerate() {
        let daily = ruled[k].clone();
        let reading = daily.last().copied().unwrap_or_else(unknown);
        let by_source = per_source
            .iter()
            .filter(|(s, _)| accounts[k].iter().any(|(x, _)| x == s))
            .filter_map(|(s, table)| table[k].last().map(|r| (*s, *r)))
            .collect();
        let reported = match &reconciled[k] {
            Some(series) => end(series, high[k]).into_iter().collect(),
            None => Vec::new(),
        };
        reports.push(CommitmentReport {
            commitment: c.clone(),
            reading,
            by_source,
            daily,
            reported,
            sources_differ: differing_days(&accounts[k])
                .into_iter()
                .filter_map(|d| Monitoring::date_of(agreement, d))
                .collect(),
            observations: observations.iter().filter(|o| o.commitment == c.id).count(),
        });
    }

    let phases = agreement
        .calendar(case)
        .iter()
        .map(|span| PhaseReport {
            phase: span.phase,
            start_day: span.start,
            start: Monitoring::date_of(agreement, i64::from(span.start)),
            end: span.days.and_then(|d| Monitoring::date_of(agreement, i64::from(span.start + d) - 1)),
            gates: commitments
                .iter()
                .enumerate()
                .filter(|(_, c)| c.phase == span.phase && matches!(c.kind, CommitmentKind::Gate { .. }))
                .map(|(k, _)| k)
                .collect(),
        })
        .collect::<Vec<_>>();

    let mut owing: Vec<PartyId> = commitments.iter().flat_map(|c| c.owed_by.iter().copied()).collect();
    owing.sort_unstable();
    owing.dedup();
    let parties = owing
        .into_iter()
        .map(|p| {
            let owed: Vec<usize> =
                (0..commitments.len()).filter(|&k| commitments[k].owed_by.contains(&p)).collect();
            let days = (0..ruled.first().map_or(0, Vec::len))
                .map(|d| {
                    let mut counts = BTreeMap::new();
                    for &k in &owed {
                        *counts.entry(ruled[k][d].status).or_insert(0) += 1;
                    }
                    let good =
                        counts.get(&Status::Met).unwrap_or(&0) + counts.get(&Status::OnTrack).unwrap_or(&0);
                    let known = good
                        + counts.get(&Status::Behind).unwrap_or(&0)
                        + counts.get(&Status::Breached).unwrap_or(&0);
                    #[allow(clippy::cast_precision_loss)]
                    let share = (known > 0).then(|| good as f64 / known as f64);
                    Compliance { counts, share }
                })
                .collect();
            (p, days)
        })
        .collect();

    let mut upcoming = Vec::new();
    for (k, c) in commitments.iter().enumerate() {
        let mut due = |day: u32, what: String| {
            let day = i64::from(day);
            if day > at_day {
                upcoming.push(Upcoming {
                    day,
                    date: Monitoring::date_of(agreement, day),
                    commitment: Some(k),
                    what,
                });
            }
        };
        match &c.kind {
            CommitmentKind::Total { schedule, by_day, total } => {
                for b in schedule {
                    due(
                        c.agreement_day(b.day),
                        format!("{} {} of `{}` (batch of day {} of the phase)", b.count, c.unit, c.id, b.day),
                    );
                }
                if let Some(d) = by_day.filter(|_| schedule.is_empty()) {
                    due(c.agreement_day(d), format!("{total} {} of `{}` in all", c.unit, c.id));
                }
            }
            CommitmentKind::Deadline { by_day } => due(c.agreement_day(*by_day), format!("`{}` done", c.id)),
            CommitmentKind::Gate { after } => {
                due(
                    c.phase_start.saturating_sub(1).max(1),
                    format!("gate `{}`: {} met", c.id, after.join(", ")),
                );
            }
            CommitmentKind::Rate { .. } | CommitmentKind::Hold => {}
        }
    }
    for span in &phases {
        let day = i64::from(span.start_day);
        if day > at_day {
            upcoming.push(Upcoming {
                day,
                date: span.start,
                commitment: None,
                what: "a phase begins".into(),
            });
        }
    }
    upcoming.sort_by_key(|u| (u.day, u.commitment));

    Ok(Monitoring {
        agreement: index,
        at,
        at_day,
        rule,
        only_source: options.source,
        sources,
        phases,
        commitments: reports,
        parties,
        upcoming,
    })
}

fn unknown() -> Reading {
    Reading { status: Status::Unknown, delivered: None, expected: None, score: None, projection: None }
}

/// One account read on every day 1..=at_day: `[commitment][day - 1]`. A day a source contradicts
/// itself is read at both ends; different statuses make the commitment disputed.
fn read_account(
    commitments: &[Commitment],
    series: &[Series],
    high: &[bool],
    at_day: i64,
) -> Vec<Vec<Reading>> {
    let lows: Vec<BTreeMap<i64, f64>> = series.iter().map(|s| end(s, false)).collect();
    let highs: Vec<BTreeMap<i64, f64>> = series.iter().map(|s| end(s, true)).collect();
    let mut table: Vec<Vec<Reading>> =
        vec![Vec::with_capacity(usize::try_from(at_day).unwrap_or(0)); commitments.len()];
    for day in 1..=at_day {
        let mut today: Vec<Option<Reading>> = vec![None; commitments.len()];
        // Gates read the others first; a gate on a gate waits a pass (at most one pass per commitment).
        for _ in 0..=commitments.len() {
            let mut progressed = false;
            for (k, c) in commitments.iter().enumerate() {
                if today[k].is_some() {
                    continue;
                }
                let after_ready = match &c.kind {
                    CommitmentKind::Gate { after } => after.iter().all(|a| {
                        commitments.iter().position(|x| &x.id == a).is_none_or(|j| today[j].is_some())
                    }),
                    _ => true,
                };
                if !after_ready {
                    continue;
                }
                let gate = |id: &str| {
                    commitments
                        .iter()
                        .position(|x| x.id == id)
                        .and_then(|j| today[j].map(|r| (r.status, commitments[j].due_day())))
                };
                let lo = status::read(c, &lows[k], day, &gate);
                let hi = status::read(c, &highs[k], day, &gate);
                let conservative = if high[k] { hi } else { lo };
                today[k] = Some(if lo.status == hi.status {
                    conservative
                } else {
                    Reading { status: Status::Disputed, ..conservative }
                });
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
        for (k, r) in today.into_iter().enumerate() {
            // A cycle of gates (refused by validation) reads as unknown.
            table[k].push(r.unwrap_or_else(unknown));
        }
    }
    table
}

/// Under `per_source`: each day, the status the sources reporting a commitment agree on, or disputed.
fn per_source_combined(
    commitments: &[Commitment],
    per_source: &[(SourceId, Vec<Vec<Reading>>)],
    accounts: &[Vec<(SourceId, Series)>],
    at_day: i64,
) -> Vec<Vec<Reading>> {
    (0..commitments.len())
        .map(|k| {
            // No source reports it: the empty account (not yet due, or unknown).
            let empty = read_account(&commitments[k..=k], &[Series::new()], &[false], at_day);
            (0..usize::try_from(at_day).unwrap_or(0))
                .map(|d| {
                    // An account that does not cover the day (unknown) neither agrees nor disagrees.
                    let readings: Vec<Reading> = per_source
                        .iter()
                        .filter(|(s, _)| accounts[k].iter().any(|(x, _)| x == s))
                        .map(|(_, table)| table[k][d])
                        .filter(|r| r.status != Status::Unknown)
                        .collect();
                    match readings.split_first() {
                        None if accounts[k].is_empty() => empty[0][d],
                        None => unknown(),
                        Some((first, rest)) if rest.iter().all(|r| r.status == first.status) => *first,
                        Some((first, _)) => {
                            Reading { status: Status::Disputed, delivered: None, projection: None, ..*first }
                        }
                    }
                })
                .collect()
        })
        .collect()
}
