//! A HardHeaded-style agent: Boulware concession, offers chosen with a frequency opponent model.
//!
//! # Behaviour
//! The agent targets the time-dependent utility `Pmin + (Pmax - Pmin) * (1 - t^(1/e))` (Faratin et al.
//! 1998; a small `e` makes it hard-headed). It learns the opponents' preferences with the HardHeaded
//! frequency model ([`FrequencyModel`](crate::FrequencyModel); under mediation, from the mediator's
//! texts, which carry the other positions) and, among its outcomes worth between
//! the target and `target + window`, offers the one the model rates best for the opponents (ties: the
//! better for itself). It accepts an offer worth at least its next offer (`AC_next`). This follows
//! HardHeaded's bidding and opponent model, not every detail of the ANAC 2011 agent (no re-offering of
//! the opponent's best bid, no dynamic concession limit).
//!
//! # Parameters
//! - `e`: the concession exponent (small: concedes late).
//! - `window`: the utility band above the target searched for an offer good for the opponent.
//! - `l`: the opponent model's learning coefficient.
//!
//! # References
//! T. van Krimpen, D. Looije & S. Hajizadeh (2013), "HardHeaded", in *Complex Automated
//! Negotiations* (ANAC 2011 winner), Studies in Computational Intelligence 435, 223-227.

use rand_chacha::ChaCha8Rng;

use super::best_for_opponent;
use super::time_dependent::faratin;
use crate::spec::ParamInfo;
use crate::{Agent, Answer, FrequencyModel, Offer, Outcome, PartyView, Turn};

pub(crate) const PARAMS: [ParamInfo; 3] = [
    ParamInfo {
        name: "e",
        default: 0.05,
        min: 0.0,
        max: 1000.0,
        doc: "concession exponent (small: concedes late)",
    },
    ParamInfo {
        name: "window",
        default: 0.05,
        min: 0.0,
        max: 1.0,
        doc: "utility band above the target searched for the opponent's best",
    },
    ParamInfo { name: "l", default: 0.2, min: 0.0, max: 10.0, doc: "opponent model learning coefficient" },
];

/// A HardHeaded-style agent.
#[derive(Debug)]
pub struct HardHeaded {
    view: PartyView,
    e: f64,
    window: f64,
    model: FrequencyModel,
}

impl HardHeaded {
    pub(crate) fn build(values: &[f64], view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        let v = |i: usize| values.get(i).copied().unwrap_or(PARAMS[i].default);
        let model = FrequencyModel::new(view.space().radices(), v(2));
        Box::new(Self { view, e: v(0), window: v(1), model })
    }

    fn planned(&self, t: f64) -> usize {
        let target = faratin(self.view.floor(), self.view.ceiling(), self.e, t);
        best_for_opponent(self.view.pool(), target, self.window, &self.model)
    }
}

impl Agent for HardHeaded {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, turn: &Turn) -> Outcome {
        self.view.pool().outcome(self.planned(turn.time)).to_vec()
    }

    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        self.model.observe(offer.outcome);
        let next = self.view.pool().utility(self.planned(turn.time));
        if self.view.acceptable(offer.outcome) && self.view.utility(offer.outcome) >= next {
            Answer::Accept
        } else {
            Answer::Reject
        }
    }
}
