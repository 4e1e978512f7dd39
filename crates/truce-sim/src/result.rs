//! How a negotiation ended.

use serde::{Deserialize, Serialize};

use crate::Outcome;

/// How a negotiation ended, with each party's payoff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NegotiationResult {
    /// Agreement, no agreement by the deadline, a party walked away, an agent failed, or time ran out.
    pub status: Status,
    /// The outcome agreed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Outcome>,
    /// Each party's payoff, by seat: its discounted utility of the agreement, or its discounted
    /// reservation value without one (GENIUS semantics), at the time the negotiation ended; `None`
    /// (`null`) for a party whose preferences the engine does not hold.
    pub utilities: Vec<Option<f64>>,
    /// Rounds begun.
    pub rounds: u32,
    /// Normalised time at the end, in `[0, 1]`.
    pub time: f64,
    /// What went wrong, when an agent failed or time ran out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl NegotiationResult {
    /// Whether the parties agreed.
    #[must_use]
    pub fn agreed(&self) -> bool {
        self.status == Status::Agreement
    }

    /// The payoffs of every party, when the engine holds every party's preferences (always so for
    /// negotiations between agents); `None` when one is unknown.
    #[must_use]
    pub fn payoffs(&self) -> Option<Vec<f64>> {
        self.utilities.iter().copied().collect()
    }
}

/// How a negotiation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every party accepted one outcome.
    Agreement,
    /// The deadline passed without agreement.
    NoAgreement,
    /// A party walked away.
    Ended,
    /// An agent panicked or broke the protocol's rules; see [`Failure`].
    Failed,
    /// An agent overran its time, or the negotiation its time limit; see [`Failure`].
    Timeout,
}

impl Status {
    /// The status as written in results (`no_agreement`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agreement => "agreement",
            Self::NoAgreement => "no_agreement",
            Self::Ended => "ended",
            Self::Failed => "failed",
            Self::Timeout => "timeout",
        }
    }
}

/// What went wrong in a negotiation that did not end by the protocol's rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The seat of the agent at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<usize>,
    /// The agent's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// What happened, for people (a panic's message, the offending outcome).
    pub message: String,
}

/// Kinds of [`Failure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The agent panicked.
    Panic,
    /// The agent offered something that is not an outcome of the space, or an outcome it may not
    /// agree to itself.
    InvalidOffer,
    /// The agent accepted an outcome that breaks its red lines or is worth less than its reservation
    /// value.
    Irrational,
    /// One call to the agent took longer than the per-call limit (it returned late).
    CallLimit,
    /// The negotiation took longer than its time limit.
    TimeLimit,
    /// An agent call never returned; the watchdog abandoned the negotiation.
    Stuck,
    /// The transcript kept in memory reached its cap
    /// ([`Negotiation::max_events`](crate::Negotiation), [`MAX_TRANSCRIPT_EVENTS`](crate::MAX_TRANSCRIPT_EVENTS)
    /// by default); the negotiation was stopped there.
    TranscriptLimit,
}

impl FailureKind {
    /// Whether this failure is a timeout (status [`Status::Timeout`]) rather than a fault.
    #[must_use]
    pub fn is_timeout(self) -> bool {
        matches!(self, Self::CallLimit | Self::TimeLimit | Self::Stuck)
    }
}
