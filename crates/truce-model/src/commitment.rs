//! Commitments: what a signed agreement's text commits a party to, in a form events can be counted
//! against.
//!
//! [`Case::commitments`] derives one per term whose provision says something measurable: a numeric
//! term with a schedule or a day is a total over its phase ([`CommitmentKind::Total`]); a term done by
//! a day or on a date is a deadline; a term that holds while talks continue is a state to hold; a term
//! that comes only after others is a gate. What the text does not let Truce derive (a rate of trucks
//! per day with its tolerance, who owes a release) is declared in the agreement's `commitments`, which
//! also complete derived ones (same id as the term's issue).

use serde::{Deserialize, Serialize};

use crate::{Basis, Batch, Case, PartyId, PhaseId, SignedAgreement, TermValue, Value, day_number};

/// What a commitment commits to. Days are days of its phase (day 1 is the phase's first day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommitmentKind {
    /// A total delivered over the phase, possibly in batches on named days, by a day at the latest
    /// (none: by the phase's end).
    Total {
        /// How many in all.
        total: f64,
        /// The batches, if the text gives them (their counts add up to the total).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        schedule: Vec<Batch>,
        /// Done by this day of the phase.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by_day: Option<u32>,
    },
    /// A rate per day, kept on average over a window of days, within a tolerance.
    Rate {
        /// How many a day.
        per_day: f64,
        /// The shortfall allowed, as a fraction of the rate (0.1: 90 % of the rate is on track).
        #[serde(default)]
        tolerance: f64,
        /// The days averaged over (1: every day on its own).
        #[serde(default = "one")]
        window_days: u32,
    },
    /// Something done by a day of the phase (events report it done with quantity 1).
    Deadline {
        /// The day of the phase.
        by_day: u32,
    },
    /// A state held through the phase (events count violations).
    Hold,
    /// A gate: what comes next (the next phase, an extension) only once these commitments are met.
    Gate {
        /// The ids of the commitments that must be met.
        after: Vec<String>,
    },
}

fn one() -> u32 {
    1
}

impl CommitmentKind {
    /// The kind as written in case files.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Total { .. } => "total",
            Self::Rate { .. } => "rate",
            Self::Deadline { .. } => "deadline",
            Self::Hold => "hold",
            Self::Gate { .. } => "gate",
        }
    }

    /// The unit events count the kind in when the case names none.
    #[must_use]
    pub fn default_unit(&self) -> &'static str {
        match self {
            Self::Total { .. } => "count",
            Self::Rate { .. } => "per_day",
            Self::Deadline { .. } => "done",
            Self::Hold => "violations",
            Self::Gate { .. } => "met",
        }
    }
}

/// One measurable commitment of a signed agreement, placed on the agreement's calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// The id events name: the term's issue name, or the declared id.
    pub id: String,
    /// The parties that owe it (empty: the case does not say).
    pub owed_by: Vec<PartyId>,
    /// The unit events count it in.
    pub unit: String,
    /// Its phase (`None` in an unphased case).
    pub phase: Option<PhaseId>,
    /// The agreement day its phase begins on (day 1 is the agreement's first day).
    pub phase_start: u32,
    /// How many days its phase lasts, extensions included (`None`: the case does not say).
    pub phase_days: Option<u32>,
    /// What it commits to.
    pub kind: CommitmentKind,
    /// Whether it is declared in the case rather than derived from the text.
    pub declared: bool,
    /// Where it is reported.
    pub basis: Basis,
}

impl Commitment {
    /// The agreement day a day of its phase falls on.
    #[must_use]
    pub fn agreement_day(&self, phase_day: u32) -> u32 {
        self.phase_start + phase_day.saturating_sub(1)
    }

    /// The last agreement day of its phase, if its length is known.
    #[must_use]
    pub fn last_day(&self) -> Option<u32> {
        self.phase_days.map(|d| self.agreement_day(d.max(1)))
    }

    /// The agreement day it is fully due by: its last batch, its `by_day`, its deadline, or its
    /// phase's end.
    #[must_use]
    pub fn due_day(&self) -> Option<u32> {
        match &self.kind {
            CommitmentKind::Total { schedule, by_day, .. } => by_day
                .or_else(|| schedule.iter().map(|b| b.day).max())
                .map(|d| self.agreement_day(d))
                .or_else(|| self.last_day()),
            CommitmentKind::Deadline { by_day } => Some(self.agreement_day(*by_day)),
            CommitmentKind::Rate { .. } | CommitmentKind::Hold | CommitmentKind::Gate { .. } => {
                self.last_day()
            }
        }
    }
}

/// One phase on an agreement's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseSpan {
    /// The phase (`None` in an unphased case).
    pub phase: Option<PhaseId>,
    /// The agreement day it begins on.
    pub start: u32,
    /// How many days it lasts, extensions included (`None`: not known; later phases are then not
    /// placed).
    pub days: Option<u32>,
}

impl SignedAgreement {
    /// The agreement's phases on its calendar: each begins the day after the last ends, and lasts its
    /// `duration_days` (the agreement's `days` for the first) plus its extensions.
    #[must_use]
    pub fn calendar(&self, case: &Case) -> Vec<PhaseSpan> {
        let phases = case.domain.phases();
        let extra = |p: Option<PhaseId>| -> u32 {
            self.extensions
                .iter()
                .filter(|e| e.phase.unwrap_or(PhaseId(0)) == p.unwrap_or(PhaseId(0)))
                .map(|e| e.days)
                .sum()
        };
        if phases.is_empty() {
            return vec![PhaseSpan { phase: None, start: 1, days: self.days.map(|d| d + extra(None)) }];
        }
        let mut out = Vec::new();
        let mut start = Some(1u32);
        for (k, phase) in phases.iter().enumerate() {
            let id = PhaseId::from_index(k);
            let Some(s) = start else { break };
            let base = if k == 0 { self.days.or(phase.duration_days) } else { phase.duration_days };
            let days = base.map(|d| d + extra(Some(id)));
            out.push(PhaseSpan { phase: Some(id), start: s, days });
            if self.last_phase == Some(id) {
                break;
            }
            start = days.map(|d| s + d);
        }
        out
    }

    /// The agreement day of a date (day 1 is the day it began; 0 or less before).
    #[must_use]
    pub fn day_of(&self, date: crate::PartialDate) -> i64 {
        day_number(date) - day_number(self.began) + 1
    }
}

impl Case {
    /// The measurable commitments of a signed agreement: those derived from its proposal's terms, as
    /// completed by the declared ones with the same id, then the declared ones of their own.
    /// Declared ones without a kind and without a term to take it from are left out (validation
    /// reports them).
    #[must_use]
    pub fn commitments(&self, agreement: &SignedAgreement) -> Vec<Commitment> {
        let Some(proposal) = self.proposals.get(agreement.proposal.index()) else { return Vec::new() };
        let calendar = agreement.calendar(self);
        // A phase the agreement does not cover has no place: its terms commit to nothing.
        let span = |phase: Option<PhaseId>| match phase {
            Some(_) => calendar.iter().find(|s| s.phase == phase).copied(),
            None => calendar.first().copied(),
        };
        let space = self.space();
        let mut out: Vec<Commitment> = Vec::new();
        for term in &proposal.terms {
            let Some(issue) = space.issues().get(term.issue.index()) else { continue };
            let phase = self.domain.phase_of(term.issue);
            let Some(placed) = span(phase) else { continue };
            let numeric = match term.value {
                TermValue::Set { value: v @ (Value::Int(_) | Value::Real(_)) } => Some(v.as_f64()),
                _ => None,
            };
            let p = &term.provision;
            let phase_start_day = placed.start;
            let on_day = p.on.and_then(|on| {
                let d = agreement.day_of(on) - i64::from(phase_start_day) + 1;
                u32::try_from(d).ok().filter(|&d| d >= 1)
            });
            let kind = match numeric {
                Some(total) if !p.schedule.is_empty() || p.by_day.is_some() || on_day.is_some() => {
                    CommitmentKind::Total { total, schedule: p.schedule.clone(), by_day: p.by_day.or(on_day) }
                }
                _ if p.by_day.is_some() || on_day.is_some() => {
                    CommitmentKind::Deadline { by_day: p.by_day.or(on_day).unwrap_or(1) }
                }
                _ if p.while_talks => CommitmentKind::Hold,
                _ if !p.after.is_empty() => CommitmentKind::Gate {
                    after: p
                        .after
                        .iter()
                        .filter_map(|i| space.issues().get(i.index()).map(|i| i.name.clone()))
                        .collect(),
                },
                _ => continue,
            };
            out.push(Commitment {
                id: issue.name.clone(),
                owed_by: Vec::new(),
                unit: kind.default_unit().into(),
                phase,
                phase_start: placed.start,
                phase_days: placed.days,
                kind,
                declared: false,
                basis: term.basis.clone(),
            });
        }
        for declared in &agreement.commitments {
            if let Some(derived) = out.iter_mut().find(|c| c.id == declared.id && !c.declared) {
                derived.owed_by.clone_from(&declared.owed_by);
                if let Some(kind) = &declared.kind {
                    derived.kind = kind.clone();
                    derived.unit = kind.default_unit().into();
                }
                if let Some(unit) = &declared.unit {
                    derived.unit.clone_from(unit);
                }
                if let Some(placed) = declared.phase.and_then(|p| span(Some(p))) {
                    derived.phase = placed.phase;
                    derived.phase_start = placed.start;
                    derived.phase_days = placed.days;
                }
                continue;
            }
            let Some(kind) = declared.kind.clone() else { continue };
            let Some(placed) = span(declared.phase) else { continue };
            out.push(Commitment {
                id: declared.id.clone(),
                owed_by: declared.owed_by.clone(),
                unit: declared.unit.clone().unwrap_or_else(|| kind.default_unit().into()),
                phase: placed.phase,
                phase_start: placed.start,
                phase_days: placed.days,
                kind,
                declared: true,
                basis: declared.basis.clone(),
            });
        }
        out
    }
}
