//! MiCRO: monotonic concession with rational offers.
//!
//! # Behaviour
//! The agent walks down its outcomes from best to worst. When it is to make an offer, it concedes to
//! the next outcome in that order only if the number of distinct offers it has sent is no more than
//! the number of distinct offers it has received, and only if that outcome is worth at least its
//! reservation value; otherwise it repeats one of its earlier offers, chosen at random. It accepts any
//! offer at least as good as its next own proposal: the next outcome if it is ready to concede, else
//! the worst outcome it has offered so far (and never below its reservation value). Under mediated
//! protocols the mediator's texts are the offers it receives.
//!
//! # Parameters
//! None: that is the point of MiCRO.
//!
//! # References
//! D. de Jonge (2022), "An analysis of the linear bilateral ANAC domains using the MiCRO benchmark
//! strategy", *Proceedings of IJCAI 2022*, 223-229; NegMAS `MiCRONegotiator` (acceptance as there).

use std::collections::HashSet;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::{Agent, Answer, Offer, Outcome, PartyView, Turn};

/// A MiCRO agent.
#[derive(Debug)]
pub struct Micro {
    view: PartyView,
    next: usize,
    received: HashSet<Vec<u32>>,
    rng: ChaCha8Rng,
}

impl Micro {
    /// A MiCRO agent drawing its repeated offers from `rng`.
    #[must_use]
    pub fn new(view: PartyView, rng: ChaCha8Rng) -> Self {
        Self { view, next: 0, received: HashSet::new(), rng }
    }

    pub(crate) fn build(_values: &[f64], view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(Self::new(view, rng))
    }

    /// Distinct offers sent so far (they are the `sent()` best outcomes of the pool).
    #[must_use]
    pub fn sent(&self) -> usize {
        self.next
    }

    /// Distinct offers received so far.
    #[must_use]
    pub fn received(&self) -> usize {
        self.received.len()
    }

    fn can_concede(&self) -> bool {
        let pool = self.view.pool();
        self.next < pool.len()
            && pool.utility(self.next) >= self.view.reservation()
            && self.sent() <= self.received()
    }

    /// The utility of the agent's next proposal, the threshold for accepting.
    fn threshold(&self) -> f64 {
        let pool = self.view.pool();
        let mine = if self.can_concede() {
            pool.utility(self.next)
        } else if self.next > 0 {
            pool.utility(self.next - 1)
        } else {
            self.view.ceiling()
        };
        mine.max(self.view.reservation())
    }
}

impl Agent for Micro {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, _turn: &Turn) -> Outcome {
        let rank = if self.can_concede() || self.next == 0 {
            self.next += 1;
            self.next - 1
        } else {
            self.rng.random_range(0..self.next)
        };
        self.view.pool().outcome(rank).to_vec()
    }

    fn respond(&mut self, _turn: &Turn, offer: Offer<'_>) -> Answer {
        // Offers from a party or texts from a mediator: whatever the protocol puts to it.
        if !self.received.contains(offer.outcome) {
            self.received.insert(offer.outcome.to_vec());
        }
        if self.view.acceptable(offer.outcome) && self.view.utility(offer.outcome) >= self.threshold() {
            Answer::Accept
        } else {
            Answer::Reject
        }
    }
}
