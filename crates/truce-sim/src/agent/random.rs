//! Random: a baseline that offers at random and accepts by chance.
//!
//! # Behaviour
//! The agent offers an outcome drawn uniformly from those of its pool worth at least its reservation
//! value. Offered an outcome it may accept (an acceptable one only), it accepts with probability
//! `p_accept`; otherwise it walks away with probability `p_end`, and else rejects.
//!
//! # Parameters
//! - `p_accept`: probability of accepting an acceptable offer.
//! - `p_end`: probability of ending the negotiation instead of rejecting.
//!
//! # References
//! The usual random baseline of tournaments; NegMAS `RandomNegotiator`.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::spec::ParamInfo;
use crate::{Agent, Answer, Offer, Outcome, PartyView, Turn};

pub(crate) const PARAMS: [ParamInfo; 2] = [
    ParamInfo {
        name: "p_accept",
        default: 0.1,
        min: 0.0,
        max: 1.0,
        doc: "probability of accepting an acceptable offer",
    },
    ParamInfo {
        name: "p_end",
        default: 0.0,
        min: 0.0,
        max: 1.0,
        doc: "probability of walking away instead of rejecting",
    },
];

/// A random agent.
#[derive(Debug)]
pub struct Random {
    view: PartyView,
    p_accept: f64,
    p_end: f64,
    rng: ChaCha8Rng,
}

impl Random {
    pub(crate) fn build(values: &[f64], view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent> {
        let v = |i: usize| values.get(i).copied().unwrap_or(PARAMS[i].default);
        Box::new(Self { view, p_accept: v(0), p_end: v(1), rng })
    }
}

impl Agent for Random {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, _turn: &Turn) -> Outcome {
        let pool = self.view.pool();
        let n = pool.at_least(self.view.reservation()).max(1);
        pool.outcome(self.rng.random_range(0..n)).to_vec()
    }

    fn respond(&mut self, _turn: &Turn, offer: Offer<'_>) -> Answer {
        if self.view.acceptable(offer.outcome) && self.rng.random_bool(self.p_accept) {
            Answer::Accept
        } else if self.rng.random_bool(self.p_end) {
            Answer::End
        } else {
            Answer::Reject
        }
    }
}
