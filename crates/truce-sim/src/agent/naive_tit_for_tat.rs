//! Naive tit-for-tat: concede exactly as much as the opponent just conceded.
//!
//! # Behaviour
//! The agent starts at its best outcome. Each time a party makes a new offer, the agent measures that
//! party's move in its *own* utility: if the offer is worth `delta` more to the agent than that party's
//! previous offer (a concession), the agent lowers its target by `delta`; if it is worth less (a
//! retraction), it raises its target by as much (under mediation, the mediator's successive texts are
//! mirrored the same way). It also concedes `kindness` every round. The target
//! stays between `Pmin = max(lowest utility, reservation value)` and its best utility. It offers the
//! outcome closest to the target from above and accepts an offer worth at least as much as its next
//! offer (`AC_next`). "Naive": no model of the opponent, the agent mirrors in its own utility.
//!
//! # Parameters
//! - `kindness`: utility conceded every round on top of mirroring (0 = pure reciprocity).
//!
//! # References
//! R. Axelrod (1984), *The Evolution of Cooperation*, Basic Books (tit-for-tat); P. Faratin,
//! C. Sierra & N. R. Jennings (1998), "Negotiation decision functions for autonomous agents",
//! *Robotics and Autonomous Systems* 24(3-4) (imitative tactics, relative tit-for-tat); NegMAS
//! `NaiveTitForTatNegotiator`.

use std::collections::HashMap;

use rand_chacha::ChaCha8Rng;

use crate::spec::ParamInfo;
use crate::{Agent, Answer, Offer, Outcome, PartyView, Turn};

pub(crate) const PARAMS: [ParamInfo; 1] = [ParamInfo {
    name: "kindness",
    default: 0.0,
    min: 0.0,
    max: 1.0,
    doc: "utility conceded every round on top of mirroring",
}];

/// A naive tit-for-tat agent.
#[derive(Debug)]
pub struct NaiveTitForTat {
    view: PartyView,
    kindness: f64,
    target: f64,
    last_from: HashMap<Option<usize>, f64>,
    last_round: Option<u32>,
}

impl NaiveTitForTat {
    /// An agent conceding `kindness` per round on top of mirroring.
    #[must_use]
    pub fn new(view: PartyView, kindness: f64) -> Self {
        let target = view.ceiling();
        Self { view, kindness, target, last_from: HashMap::new(), last_round: None }
    }

    pub(crate) fn build(values: &[f64], view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(Self::new(view, values.first().copied().unwrap_or(0.0)))
    }

    /// The utility the agent currently aims at.
    #[must_use]
    pub fn target(&self) -> f64 {
        self.target
    }

    fn tick(&mut self, round: u32) {
        if self.last_round.is_some_and(|r| r < round) {
            self.target -= self.kindness;
        }
        self.last_round = Some(round);
        self.target = self.target.clamp(self.view.floor(), self.view.ceiling());
    }
}

impl Agent for NaiveTitForTat {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, turn: &Turn) -> Outcome {
        self.tick(turn.round);
        self.view.pool().outcome(self.view.pool().closest_above(self.target)).to_vec()
    }

    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        let u = self.view.utility(offer.outcome);
        // Each party's moves are mirrored separately; a mediator's texts count as one more party.
        if let Some(previous) = self.last_from.insert(offer.from, u) {
            // Their concession, measured in our utility, is ours to return.
            self.target -= u - previous;
        }
        self.tick(turn.round);
        let next = self.view.pool().utility(self.view.pool().closest_above(self.target));
        if self.view.acceptable(offer.outcome) && u >= next { Answer::Accept } else { Answer::Reject }
    }
}
