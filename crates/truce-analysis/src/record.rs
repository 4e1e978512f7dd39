//! The record against the model: every recorded response to a proposal, explained by the model or
//! listed as an inconsistency. Nothing is hidden: a model that cannot explain what a party did is
//! either wrong or the party was bargaining, and the analyst must know which responses those are.

use truce_model::{PartyId, ProposalId, Stance};

use crate::evaluate::{Evaluation, Subject, Verdict};

/// How a recorded response compares with the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordStatus {
    /// A rejection or counter the model explains: the proposal is unacceptable to the party.
    Explained,
    /// An acceptance of a proposal the model finds acceptable.
    Consistent,
    /// The model disagrees with the record: a rejection of an acceptable proposal, or an acceptance
    /// of an unacceptable one.
    Inconsistent,
    /// A counterproposal to a proposal the model finds acceptable: consistent with bargaining for
    /// more, but not explained by a red line or the reservation value.
    Bargaining,
    /// The model cannot decide: the proposal leaves open issues that decide acceptability, or a
    /// utility cannot be evaluated.
    Undecided,
    /// The responding party is not a negotiator with preferences.
    Unmodelled,
}

impl RecordStatus {
    /// The status as written in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Explained => "explained",
            Self::Consistent => "consistent",
            Self::Inconsistent => "inconsistent",
            Self::Bargaining => "bargaining",
            Self::Undecided => "undecided",
            Self::Unmodelled => "unmodelled",
        }
    }
}

/// Why the model finds a proposal unacceptable (or possibly so) to a party.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reason {
    /// It breaks this red line (position in the party's list).
    RedLine {
        /// The red line.
        index: usize,
    },
    /// It may break this red line, depending on the open issues.
    RedLineAtRisk {
        /// The red line.
        index: usize,
    },
    /// The party's utility is below its reservation value (for a partial proposal: even its best
    /// completion, red lines ignored, is).
    BelowReservation {
        /// The utility (the best completion's, for a partial proposal).
        utility: f64,
        /// The reservation value.
        reservation: f64,
    },
    /// The proposal's completions that respect the party's red lines all fall below its reservation
    /// value.
    NoAcceptableCompletion,
    /// The party's utility may fall below its reservation value, depending on the open issues.
    MayFallBelowReservation {
        /// The worst completion's utility.
        low: f64,
        /// The reservation value.
        reservation: f64,
    },
}

/// One recorded response checked against the model.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordCheck {
    /// The proposal.
    pub proposal: ProposalId,
    /// The response's position among the proposal's responses.
    pub response: usize,
    /// The responding party.
    pub party: PartyId,
    /// What it said.
    pub stance: Stance,
    /// What the model says of the proposal for that party.
    pub verdict: Option<Verdict>,
    /// The comparison.
    pub status: RecordStatus,
    /// The model's reasons, when it finds the proposal unacceptable or possibly so.
    pub reasons: Vec<Reason>,
}

/// Every recorded response with a known stance, in proposal and response order.
pub(crate) fn check(
    case: &truce_model::Case,
    parties: &[PartyId],
    reservations: &[f64],
    evaluations: &[Evaluation],
) -> Vec<RecordCheck> {
    let mut out = Vec::new();
    for e in evaluations {
        let Subject::Proposal(id) = e.subject else { continue };
        for (r, response) in case.proposal(id).responses.iter().enumerate() {
            if response.stance == Stance::Unknown {
                continue;
            }
            let Some(p) = parties.iter().position(|&q| q == response.party) else {
                out.push(RecordCheck {
                    proposal: id,
                    response: r,
                    party: response.party,
                    stance: response.stance,
                    verdict: None,
                    status: RecordStatus::Unmodelled,
                    reasons: vec![],
                });
                continue;
            };
            let view = &e.parties[p];
            let d = reservations[p];
            let mut reasons: Vec<Reason> =
                view.broken.iter().map(|b| Reason::RedLine { index: b.red_line }).collect();
            match view.verdict {
                Verdict::Unacceptable if reasons.is_empty() => {
                    reasons.push(match view.utility {
                        Some(u) if u.high < d => Reason::BelowReservation { utility: u.high, reservation: d },
                        _ => Reason::NoAcceptableCompletion,
                    });
                }
                Verdict::Depends => {
                    reasons.extend(view.at_risk.iter().map(|b| Reason::RedLineAtRisk { index: b.red_line }));
                    if let Some(u) = view.utility
                        && u.low < d
                    {
                        reasons.push(Reason::MayFallBelowReservation { low: u.low, reservation: d });
                    }
                }
                _ => {}
            }
            let status = match (response.stance, view.verdict) {
                (_, Verdict::Depends | Verdict::Unknown) => RecordStatus::Undecided,
                (Stance::Rejected | Stance::Countered, Verdict::Unacceptable) => RecordStatus::Explained,
                (Stance::Rejected, Verdict::Acceptable) => RecordStatus::Inconsistent,
                (Stance::Countered, Verdict::Acceptable) => RecordStatus::Bargaining,
                (Stance::Accepted, Verdict::Acceptable) => RecordStatus::Consistent,
                (Stance::Accepted, Verdict::Unacceptable) => RecordStatus::Inconsistent,
                (Stance::Unknown, _) => continue,
            };
            out.push(RecordCheck {
                proposal: id,
                response: r,
                party: response.party,
                stance: response.stance,
                verdict: Some(view.verdict),
                status,
                reasons,
            });
        }
    }
    out
}
