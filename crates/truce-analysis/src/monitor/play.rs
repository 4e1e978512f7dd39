//! The state of play at a date, from the event logs (`truce analyze --at DATE --events FILE...`).
//!
//! A case records what had been delivered under an agreement in force, and what was still held, by
//! hand ([`StateOfPlay`]). During a signed agreement the same figures follow from the events
//! `truce monitor` reads: [`PlayFromEvents::derive`] takes each `total` commitment whose id names an
//! integer issue, reads what was delivered by the date under the agreement's reconciliation rule,
//! and works out what is still held from the latest record of the case that gives a count held
//! before the date, less what the events say was delivered since. [`PlayFromEvents::apply`] adds the
//! result to the case as one more state-of-play record dated the date, which the analysis reads as
//! it reads any other ([`Case::held_at`]): no package proposes more than the events leave.
//!
//! Nothing the case says is dropped: a record of the case dated the same day whose figures differ
//! from the events' is listed ([`Disagreement`]), and so is every proposal that asks for more than
//! the events leave ([`TooMuch`]).

use truce_model::{
    Basis, Case, CommitmentKind, Count, IssueDomain, IssueId, PartialDate, ProposalId, Reconciliation,
    SourceId, StateOfPlay, TermValue, Value,
};

use super::{Monitoring, Status};

/// One count of the state of play, as the events give it at the date.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayCount {
    /// The integer issue counted (the commitment's id is its name).
    pub issue: IssueId,
    /// The commitment read (its index in [`Monitoring::commitments`]).
    pub commitment: usize,
    /// What the agreement commits to in all.
    pub agreed: f64,
    /// Delivered by the date under the rule, in whole units (`None`: no single figure; `note` says why).
    pub delivered: Option<i64>,
    /// Each source's account of what was delivered by the date (`None`: it reports nothing by then).
    pub by_source: Vec<(SourceId, Option<f64>)>,
    /// The dates, up to the date, on which the sources give different quantities.
    pub sources_differ: Vec<PartialDate>,
    /// The record of the case the count held starts from, if one gives it before the date.
    pub from: Option<HeldFrom>,
    /// Still held at the date: the record's count less what was delivered since (never below 0).
    pub held: Option<i64>,
    /// Why a figure is missing, in words.
    pub note: Option<String>,
}

/// The count held a derived one starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeldFrom {
    /// The record (its index in the case's `state_of_play`).
    pub record: usize,
    /// Its date.
    pub date: PartialDate,
    /// The count it gives as held.
    pub held: i64,
    /// What the events say was delivered by its date (0 before the agreement began).
    pub delivered_then: i64,
}

/// Which figure of a record differs from the events'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Delivered under the agreement.
    Delivered,
    /// Still held.
    Held,
}

impl Figure {
    /// The figure as the reports write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Held => "held",
        }
    }
}

/// A record of the case, dated the date, whose figure differs from the events'. The analysis reads
/// the events' figure; the report names both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The record (its index in the case's `state_of_play`).
    pub record: usize,
    /// Its date (the date the state of play was read at).
    pub date: PartialDate,
    /// The issue.
    pub issue: IssueId,
    /// Which figure.
    pub figure: Figure,
    /// What the record says.
    pub case: i64,
    /// What the events give.
    pub events: i64,
}

/// A proposal's term that asks for more than the events leave held on its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooMuch {
    /// The proposal.
    pub proposal: ProposalId,
    /// The issue.
    pub issue: IssueId,
    /// What the term asks for (its value, or the least of its range).
    pub asked: i64,
    /// What the events leave held.
    pub held: i64,
}

/// The state of play at a date, from the event logs of a signed agreement.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayFromEvents {
    /// The agreement (its index in the case's `agreements`).
    pub agreement: usize,
    /// The date (its last day), and its agreement day.
    pub at: PartialDate,
    /// The agreement day of `at` (day 1 is the day it began).
    pub at_day: i64,
    /// The rule the sources were reconciled by.
    pub rule: Reconciliation,
    /// The sources whose accounts were read.
    pub sources: Vec<SourceId>,
    /// One count per integer issue a `total` commitment of the agreement names.
    pub counts: Vec<PlayCount>,
    /// The record the analysis reads: dated `at`, under the agreement, with every figure found.
    pub record: StateOfPlay,
    /// The case's records dated `at` whose figures differ from the events'.
    pub disagreements: Vec<Disagreement>,
    /// The terms asking for more than the events leave held on their proposal's date.
    pub too_much: Vec<TooMuch>,
}

/// A delivered quantity in whole units (a count is whole; a fraction reported is rounded down).
#[allow(clippy::cast_possible_truncation)]
fn whole(x: f64) -> i64 {
    // Quantities are finite and at least 0 (the event reader refuses others).
    x.floor().clamp(0.0, 1e15) as i64
}

impl PlayFromEvents {
    /// The state of play at the date `monitoring` was read to, from its readings.
    #[must_use]
    pub fn derive(case: &Case, monitoring: &Monitoring) -> Self {
        let agreement = &case.agreements[monitoring.agreement];
        let space = case.space();
        let at = monitoring.at;
        let per_source =
            matches!(monitoring.rule, Reconciliation::PerSource) && monitoring.only_source.is_none();
        let source_name = |s: SourceId| case.source(s).id.clone();
        let mut counts = Vec::new();
        for (k, report) in monitoring.commitments.iter().enumerate() {
            let c = &report.commitment;
            let CommitmentKind::Total { total, .. } = c.kind else { continue };
            let Some(issue) = space.issue_id(&c.id) else { continue };
            if !matches!(space.issue(issue).domain(), IssueDomain::Integer(_)) {
                continue;
            }
            let by_source: Vec<(SourceId, Option<f64>)> =
                report.by_source.iter().map(|(s, r)| (*s, r.delivered)).collect();
            let mut note = None;
            let delivered = if per_source {
                let figures: Vec<(SourceId, f64)> =
                    by_source.iter().filter_map(|(s, d)| d.map(|d| (*s, d))).collect();
                match figures.split_first() {
                    None => None,
                    Some((first, rest)) if rest.iter().all(|(_, d)| whole(*d) == whole(first.1)) => {
                        Some(whole(first.1))
                    }
                    Some(_) => {
                        let list: Vec<String> = figures
                            .iter()
                            .map(|(s, d)| format!("{} {}", source_name(*s), whole(*d)))
                            .collect();
                        note = Some(format!(
                            "the sources differ ({}) and the agreement keeps one view per source, so the \
                             events give no single figure",
                            list.join(", ")
                        ));
                        None
                    }
                }
            } else {
                report.reading.delivered.map(whole)
            };
            if delivered.is_none() && note.is_none() {
                note = Some(format!("no event reports `{}` delivered by {at}", c.id));
            }
            // The latest record before the date that gives a count held, and what the events say was
            // delivered by its date (ties on a date: the last in case order, as `Case::held_at`).
            let base = case
                .state_of_play
                .iter()
                .enumerate()
                .filter(|(_, r)| r.date.last_day() < at)
                .filter_map(|(j, r)| r.held(issue).map(|n| (j, r.date.last_day(), n)))
                .max_by_key(|(_, day, _)| *day);
            let mut from = None;
            let mut held = None;
            if let (Some((record, day, count)), Some(delivered)) = (base, delivered) {
                let record_day = agreement.day_of(day);
                let then = if record_day < 1 {
                    Some(0)
                } else {
                    usize::try_from(record_day - 1).ok().and_then(|d| report.daily.get(d)).and_then(
                        |r| match (r.delivered, r.status) {
                            (Some(x), _) => Some(whole(x)),
                            (None, Status::Disputed) => None,
                            (None, _) => Some(0),
                        },
                    )
                };
                match then {
                    Some(then) => {
                        let date = case.state_of_play[record].date;
                        from = Some(HeldFrom { record, date, held: count, delivered_then: then });
                        held = Some((count - (delivered - then).max(0)).max(0));
                        if delivered - then > count {
                            note = Some(format!(
                                "the events report {} delivered since {day}, more than the {count} the case \
                                 says were held then",
                                delivered - then
                            ));
                        }
                    }
                    None => {
                        note = Some(format!(
                            "the sources differ on what was delivered by {day}, the date of the count held \
                             the events start from"
                        ));
                    }
                }
            } else if delivered.is_some() {
                note = Some(format!(
                    "the case gives no count of `{}` held before {at} to subtract the deliveries from",
                    c.id
                ));
            }
            counts.push(PlayCount {
                issue,
                commitment: k,
                agreed: total,
                delivered,
                by_source,
                sources_differ: report.sources_differ.clone(),
                from,
                held,
                note,
            });
        }

        let record = StateOfPlay {
            date: at,
            agreement: Some(agreement.proposal),
            delivered: counts
                .iter()
                .filter_map(|c| c.delivered.map(|count| Count { issue: c.issue, count }))
                .collect(),
            held: counts.iter().filter_map(|c| c.held.map(|count| Count { issue: c.issue, count })).collect(),
            basis: Basis::Assumption {
                rationale: format!(
                    "Derived from the event logs up to {at} under the rule `{}`.",
                    monitoring.rule.as_str()
                ),
                citations: Vec::new(),
            },
            notes: None,
        };

        let mut disagreements = Vec::new();
        for (j, r) in case.state_of_play.iter().enumerate().filter(|(_, r)| r.date.last_day() == at) {
            for c in &counts {
                let written = r.delivered.iter().find(|x| x.issue == c.issue).map(|x| x.count);
                if let (Some(case_says), Some(events), true) =
                    (written, c.delivered, r.agreement == Some(agreement.proposal))
                    && case_says != events
                {
                    disagreements.push(Disagreement {
                        record: j,
                        date: r.date,
                        issue: c.issue,
                        figure: Figure::Delivered,
                        case: case_says,
                        events,
                    });
                }
                if let (Some(case_says), Some(events)) = (r.held(c.issue), c.held)
                    && case_says != events
                {
                    disagreements.push(Disagreement {
                        record: j,
                        date: r.date,
                        issue: c.issue,
                        figure: Figure::Held,
                        case: case_says,
                        events,
                    });
                }
            }
        }

        let mut play = Self {
            agreement: monitoring.agreement,
            at,
            at_day: monitoring.at_day,
            rule: monitoring.rule.clone(),
            sources: monitoring.sources.clone(),
            counts,
            record,
            disagreements,
            too_much: Vec::new(),
        };
        let with = play.apply(case);
        for (k, proposal) in case.proposals.iter().enumerate() {
            for term in &proposal.terms {
                let asked = match &term.value {
                    TermValue::Set { value: Value::Int(v) } | TermValue::Range { min: Value::Int(v), .. } => {
                        *v
                    }
                    _ => continue,
                };
                let after = with.held_at(term.issue, proposal.date);
                if after != case.held_at(term.issue, proposal.date)
                    && let Some(held) = after
                    && asked > held
                {
                    play.too_much.push(TooMuch {
                        proposal: ProposalId::from_index(k),
                        issue: term.issue,
                        asked,
                        held,
                    });
                }
            }
        }
        play
    }

    /// The case with the derived record added (after the case's own, so that on the same date the
    /// events' figures are the ones read).
    #[must_use]
    pub fn apply(&self, case: &Case) -> Case {
        let mut case = case.clone();
        case.state_of_play.push(self.record.clone());
        case
    }
}
