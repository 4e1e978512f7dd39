//! Nice tit-for-tat: reciprocate the opponent's concession towards the estimated Nash point, never
//! retaliating.
//!
//! # Behaviour
//! The agent models the opponents' preferences with the HardHeaded frequency model
//! ([`FrequencyModel`](crate::FrequencyModel)) and estimates the Nash point as the outcome of its pool
//! maximising `(u_self - reservation) * u_opponent_estimated` (scanning at most 2048 evenly spaced
//! ranks of the pool, refreshed every 10 offers). The opponents' concession ratio is how far their best
//! offer so far has moved, in the agent's utility, from their first offer towards the Nash point:
//! `c = (u(best offer) - u(first offer)) / (u(Nash) - u(first offer))`, clamped to `[0, 1]`. The agent
//! concedes the same share of the way from its best utility to the Nash point:
//! `target = Pmax - c * (Pmax - max(u(Nash), Pmin))`, and never raises its target again ("nice").
//! Among the outcomes within 0.02 above the target it offers the one the model rates best for the
//! opponent, and accepts an offer worth at least its next offer (`AC_next`).
//!
//! # Parameters
//! None.
//!
//! # References
//! T. Baarslag, K. Hindriks & C. Jonker (2013), "A tit for tat negotiation strategy for real-time
//! bilateral negotiations", in *Complex Automated Negotiations: Theories, Models, and Software
//! Competitions*, Studies in Computational Intelligence 435, 229-233.

use rand_chacha::ChaCha8Rng;

use super::best_for_opponent;
use crate::{Agent, Answer, FrequencyModel, Offer, Outcome, PartyView, Turn};

const WINDOW: f64 = 0.02;
const REFRESH: usize = 10;
const NASH_SCAN: usize = 2048;

/// A nice tit-for-tat agent.
#[derive(Debug)]
pub struct NiceTitForTat {
    view: PartyView,
    model: FrequencyModel,
    first: Option<f64>,
    best: f64,
    nash: Option<f64>,
    target: f64,
}

impl NiceTitForTat {
    /// A nice tit-for-tat agent.
    #[must_use]
    pub fn new(view: PartyView) -> Self {
        let model = FrequencyModel::new(view.space().radices(), 0.2);
        let target = view.ceiling();
        Self { view, model, first: None, best: f64::NEG_INFINITY, nash: None, target }
    }

    pub(crate) fn build(_values: &[f64], view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(Self::new(view))
    }

    fn estimate_nash(&self) -> f64 {
        let pool = self.view.pool();
        let rv = self.view.reservation();
        let n = pool.at_least(rv).max(1).min(pool.len());
        let stride = (n / NASH_SCAN).max(1);
        let mut best = (f64::NEG_INFINITY, self.view.ceiling());
        for rank in (0..n).step_by(stride) {
            let u = pool.utility(rank);
            let product = (u - rv) * self.model.utility(pool.outcome(rank));
            if product > best.0 {
                best = (product, u);
            }
        }
        best.1
    }

    fn planned(&self) -> usize {
        best_for_opponent(self.view.pool(), self.target, WINDOW, &self.model)
    }
}

impl Agent for NiceTitForTat {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, _turn: &Turn) -> Outcome {
        self.view.pool().outcome(self.planned()).to_vec()
    }

    fn respond(&mut self, _turn: &Turn, offer: Offer<'_>) -> Answer {
        let u = self.view.utility(offer.outcome);
        // Under mediation the offers it sees are the mediator's texts: it reciprocates those.
        self.model.observe(offer.outcome);
        if self.nash.is_none() || self.model.offers().is_multiple_of(REFRESH) {
            self.nash = Some(self.estimate_nash());
        }
        let first = *self.first.get_or_insert(u);
        self.best = self.best.max(u);
        let pmax = self.view.ceiling();
        let nash = self.nash.unwrap_or(pmax).max(self.view.floor());
        let span = nash - first;
        let ratio = if span <= 1e-12 { 1.0 } else { ((self.best - first) / span).clamp(0.0, 1.0) };
        self.target = self.target.min(pmax - ratio * (pmax - nash));
        let next = self.view.pool().utility(self.planned());
        if self.view.acceptable(offer.outcome) && u >= next { Answer::Accept } else { Answer::Reject }
    }
}
