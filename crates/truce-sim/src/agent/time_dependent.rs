//! Time-dependent concession: Boulware, Linear, Conceder and Hardliner.
//!
//! # Behaviour
//! At normalised time `t` the agent targets the utility
//!
//! ```text
//! target(t) = Pmin + (Pmax - Pmin) * (1 - t^(1/e))
//! ```
//!
//! with `Pmax` its best utility and `Pmin = max(lowest utility, reservation value)`, and offers the
//! outcome whose utility is the smallest at or above the target (ties: the first in outcome order). It
//! accepts an offer worth at least as much as the offer it would make now (`AC_next`). With `e = 0`
//! (Hardliner) the target stays at `Pmax`.
//!
//! # Parameters
//! - `e`: the concession exponent. `e < 1` concedes late (Boulware, `e = 0.2`), `e = 1` linearly,
//!   `e > 1` early (Conceder, `e = 2`), `e = 0` never (Hardliner).
//!
//! # References
//! P. Faratin, C. Sierra & N. R. Jennings (1998), "Negotiation decision functions for autonomous
//! agents", *Robotics and Autonomous Systems* 24(3-4), 159-182: the polynomial time-dependent tactic.

use rand_chacha::ChaCha8Rng;

use crate::spec::ParamInfo;
use crate::{Agent, Answer, Offer, Outcome, PartyView, Turn};

/// The exponent parameter.
pub(crate) const fn params(default: f64) -> [ParamInfo; 1] {
    [ParamInfo {
        name: "e",
        default,
        min: 0.0,
        max: 1000.0,
        doc: "concession exponent: <1 concedes late, 1 linearly, >1 early, 0 never",
    }]
}

/// A time-dependent agent.
#[derive(Debug)]
pub struct TimeDependent {
    view: PartyView,
    e: f64,
    /// The last time planned for and the rank planned: an agent that answers and then proposes
    /// asks twice at one time, and a power costs more than the rest of a move.
    planned: Option<(f64, usize)>,
}

impl TimeDependent {
    /// An agent conceding with exponent `e`.
    #[must_use]
    pub fn new(view: PartyView, e: f64) -> Self {
        Self { view, e, planned: None }
    }

    pub(crate) fn build(values: &[f64], view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(Self::new(view, values.first().copied().unwrap_or(0.0)))
    }

    /// The target utility at normalised time `t`.
    #[must_use]
    pub fn target(&self, t: f64) -> f64 {
        faratin(self.view.floor(), self.view.ceiling(), self.e, t)
    }

    fn planned(&mut self, t: f64) -> usize {
        match self.planned {
            Some((at, rank)) if at.to_bits() == t.to_bits() => rank,
            _ => {
                let rank = self.view.pool().closest_above(self.target(t));
                self.planned = Some((t, rank));
                rank
            }
        }
    }
}

/// `Pmin + (Pmax - Pmin) * (1 - t^(1/e))`, with `e = 0` meaning `Pmax` throughout.
pub(crate) fn faratin(pmin: f64, pmax: f64, e: f64, t: f64) -> f64 {
    if pmin >= pmax {
        return pmax;
    }
    let t = t.clamp(0.0, 1.0);
    let conceded = if e <= 0.0 { 0.0 } else { t.powf(1.0 / e) };
    pmin + (pmax - pmin) * (1.0 - conceded)
}

impl Agent for TimeDependent {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, turn: &Turn) -> Outcome {
        let rank = self.planned(turn.time);
        self.view.pool().outcome(rank).to_vec()
    }

    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        let rank = self.planned(turn.time);
        let next = self.view.pool().utility(rank);
        if self.view.acceptable(offer.outcome) && self.view.utility(offer.outcome) >= next {
            Answer::Accept
        } else {
            Answer::Reject
        }
    }
}
