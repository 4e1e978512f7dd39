//! What an agent knows: its own preferences, the public domain, the deadline. Nothing else.

use std::sync::Arc;

use truce_model::{Domain, OutcomeSpace, Preferences};

use crate::{Deadline, OutcomePool};

/// One party's view of a negotiation: the public domain and deadline, and the party's *own*
/// preferences and outcome pool.
///
/// **Architecture invariant:** the engine builds each agent from the view of its own seat and
/// never passes any other party's preferences to an agent; nothing in the [`Agent`](crate::Agent)
/// interface carries them. What an agent learns about the others comes only from the offers, votes
/// and texts the protocol shows it.
#[derive(Clone, Debug)]
pub struct PartyView {
    seat: usize,
    parties: usize,
    domain: Arc<Domain>,
    preferences: Arc<Preferences>,
    pool: Arc<OutcomePool>,
    deadline: Deadline,
}

impl PartyView {
    /// A view for seat `seat` of `parties`. The engine makes these; build one yourself to unit-test
    /// an agent. `pool` must be built from `preferences` ([`OutcomePool::build`]): the view scores
    /// outcomes with its tables.
    #[must_use]
    pub fn new(
        seat: usize,
        parties: usize,
        domain: Arc<Domain>,
        preferences: Arc<Preferences>,
        pool: Arc<OutcomePool>,
        deadline: Deadline,
    ) -> Self {
        Self { seat, parties, domain, preferences, pool, deadline }
    }

    /// This party's seat (position in the scenario's party list).
    #[must_use]
    pub fn seat(&self) -> usize {
        self.seat
    }

    /// How many parties negotiate (mediators not counted).
    #[must_use]
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The public domain: issues and phases.
    #[must_use]
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The outcome space.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        self.domain.space()
    }

    /// This party's own preferences.
    #[must_use]
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }

    /// This party's outcomes, best first.
    #[must_use]
    pub fn pool(&self) -> &OutcomePool {
        &self.pool
    }

    /// The negotiation's deadline.
    #[must_use]
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// This party's utility of an outcome (undiscounted, phase-weighted): looked up in the pool's
    /// tables when it keeps them ([`OutcomePool::utility_of`]), the same number either way.
    #[must_use]
    pub fn utility(&self, outcome: &[u32]) -> f64 {
        self.pool.utility_of(outcome).unwrap_or_else(|| self.preferences.utility(&self.domain, outcome))
    }

    /// This party's reservation value: the utility of no agreement.
    #[must_use]
    pub fn reservation(&self) -> f64 {
        self.preferences.reservation
    }

    /// Whether this party may agree to `outcome`: no red line broken, utility at least the
    /// reservation value. The engine refuses any agreement or offer that fails this test.
    #[must_use]
    pub fn acceptable(&self, outcome: &[u32]) -> bool {
        // `Preferences::accepts`, scoring through the pool's tables.
        self.space().is_outcome(outcome)
            && self.preferences.broken_red_lines(&self.domain, outcome).next().is_none()
            && self.utility(outcome) >= self.preferences.reservation
    }

    /// The lowest utility this party will ever target: `max(worst utility in its pool, reservation)`
    /// (Faratin et al.'s `Pmin`).
    #[must_use]
    pub fn floor(&self) -> f64 {
        self.pool.worst_utility().unwrap_or(0.0).max(self.reservation())
    }

    /// The best utility this party can get (`Pmax`).
    #[must_use]
    pub fn ceiling(&self) -> f64 {
        self.pool.best_utility().unwrap_or(0.0)
    }
}
