//! Aspiration: NegMAS's default time-based negotiator, with a polynomial aspiration curve.
//!
//! # Behaviour
//! The agent's aspiration at normalised time `t` is `a(t) = max * (1 - t^e)`, a share of the way from
//! `Pmin = max(lowest utility, reservation value)` to its best utility `Pmax`: it targets
//! `Pmin + (Pmax - Pmin) * a(t)`. It offers the worst outcome at or above the target or, when
//! `stochastic = 1`, a random one among those within `tolerance` above it; it accepts any offer worth at
//! least the target. Note the exponent is the reciprocal of Faratin's: `e = 4` is Boulware-like,
//! `e = 0.25` Conceder-like.
//!
//! # Parameters
//! - `e`: the aspiration exponent (NegMAS: boulware 4, linear 1, conceder 0.25).
//! - `max`: the starting aspiration, a share of the utility range.
//! - `stochastic`: 1 to offer a random outcome in the band, 0 for the worst one above the target.
//! - `tolerance`: the width of the band.
//!
//! # References
//! S. Siegel & L. E. Fouraker (1960), *Bargaining and Group Decision Making*, McGraw-Hill
//! (aspiration levels); NegMAS `AspirationNegotiator` and `PolyAspiration` (Y. Mohammad et al.).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::spec::ParamInfo;
use crate::{Agent, Answer, Offer, Outcome, PartyView, Turn};

pub(crate) const PARAMS: [ParamInfo; 4] = [
    ParamInfo {
        name: "e",
        default: 4.0,
        min: 0.0,
        max: 1000.0,
        doc: "aspiration exponent: 4 boulware, 1 linear, 0.25 conceder",
    },
    ParamInfo {
        name: "max",
        default: 1.0,
        min: 0.0,
        max: 1.0,
        doc: "starting aspiration, share of the utility range",
    },
    ParamInfo {
        name: "stochastic",
        default: 0.0,
        min: 0.0,
        max: 1.0,
        doc: "1: random outcome in the band; 0: the worst above the target",
    },
    ParamInfo {
        name: "tolerance",
        default: 0.001,
        min: 0.0,
        max: 1.0,
        doc: "width of the band above the target",
    },
];

/// An aspiration agent.
#[derive(Debug)]
pub struct Aspiration {
    view: PartyView,
    e: f64,
    max: f64,
    stochastic: bool,
    tolerance: f64,
    rng: ChaCha8Rng,
}

impl Aspiration {
    pub(crate) fn build(values: &[f64], view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent> {
        let v = |i: usize| values.get(i).copied().unwrap_or(PARAMS[i].default);
        Box::new(Self { view, e: v(0), max: v(1), stochastic: v(2) >= 0.5, tolerance: v(3), rng })
    }

    /// The target utility at normalised time `t`.
    #[must_use]
    pub fn target(&self, t: f64) -> f64 {
        let (pmin, pmax) = (self.view.floor(), self.view.ceiling());
        let a = self.max * (1.0 - t.clamp(0.0, 1.0).powf(self.e));
        pmin + (pmax - pmin).max(0.0) * a
    }
}

impl Agent for Aspiration {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, turn: &Turn) -> Outcome {
        let pool = self.view.pool();
        let target = self.target(turn.time);
        let worst = pool.closest_above(target);
        let rank = if self.stochastic {
            let best = pool.at_least(target + self.tolerance).min(worst);
            self.rng.random_range(best..=worst)
        } else {
            worst
        };
        pool.outcome(rank).to_vec()
    }

    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        if self.view.acceptable(offer.outcome) && self.view.utility(offer.outcome) >= self.target(turn.time) {
            Answer::Accept
        } else {
            Answer::Reject
        }
    }
}
