//! The annealing mediator of single-text negotiation (Klein, Faratin, Sayama & Bar-Yam).
//!
//! # Behaviour
//! The mediator drafts texts as [`Mutation`] does: the first splits the difference (the middle of
//! every ordered issue), each candidate changes one or two issues of the current text at random. The
//! parties vote truthfully (a party votes for a candidate that is at least as good for it). The
//! mediator decides:
//! - a candidate every party votes for is adopted (a weak Pareto improvement);
//! - a candidate that `k` of the `n` parties vote against is adopted with probability
//!   `exp(-k / T)`, where the *temperature* `T` falls linearly from `t0` at the start to 0 at
//!   normalised time `cool`, and stays 0 after.
//!
//! Early on, the text can thus move away from a local optimum (every one- or two-issue change makes
//! someone worse off) and find a better basin; after `cool` the mediator adopts only Pareto
//! improvements, so the text climbs to the frontier it has reached and the parties ratify it.
//!
//! A text on the frontier may still be one that a party rejects (on a small domain, the text can
//! climb to the outcome best for one side). When parties rejected the text at the last poll (see
//! the protocol's polls), the mediator also adopts, with probability `exp(-k / bridge)`, a
//! candidate that every objecting party votes for and `k` of the others vote against: the text
//! moves toward those who reject it, as a mediator revises a text after hearing its critics
//! (Raiffa), and unanimous improvements then take it back toward the frontier.
//!
//! **Why the mediator anneals and the parties do not.** Klein et al. first let the *agents* anneal
//! (vote for worse contracts with a probability that falls over time): that reaches better
//! contracts but is a prisoner's dilemma, since each agent gains by voting truthfully while the
//! others anneal. With the mediator annealing over truthful votes, truth-telling is every party's
//! interest and the social welfare is kept (their 2002 follow-up). It is also what reaches the
//! target here: with agents that vote for anything above their falling target (the earlier scheme
//! of this crate), the text wandered within the acceptable region and ended, on average, 0.39 from
//! the Pareto frontier on ANAC Travel; annealing by the mediator over truthful votes ends near it
//! (see `docs/performance.md`).
//!
//! The mediator never sees a party's preferences: only the votes.
//!
//! # Parameters
//! - `t0` = 1: the starting temperature (with `k = 1` of 2 parties against, a 37% chance of adoption
//!   at the start);
//! - `cool` = 0.5: the normalised time at which the temperature reaches 0;
//! - `bridge` = 1: the temperature at which a candidate every objecting party votes for is
//!   adopted against the others' votes (with one party against, a 37% chance).
//!
//! Its random stream is stream 0 of the negotiation's seed.
//!
//! # References
//! M. Klein, P. Faratin, H. Sayama & Y. Bar-Yam (2003), "Negotiating complex contracts", *Group
//! Decision and Negotiation* 12(2), 111-125; M. Klein, P. Faratin, H. Sayama & Y. Bar-Yam (2002),
//! "Using an annealing mediator to solve the prisoners' dilemma in the negotiation of complex
//! contracts", *Agent-Mediated Electronic Commerce IV*, LNCS 2531, 194-202; S. Kirkpatrick, C. D.
//! Gelatt & M. P. Vecchi (1983), "Optimization by simulated annealing", *Science* 220(4598).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use truce_model::OutcomeSpace;

use crate::{Ballot, Mediator, Mutation, Outcome, Turn};

/// A single-text mediator that mutates the text and anneals over the parties' votes.
#[derive(Debug)]
pub struct Annealing {
    drafts: Mutation,
    rng: ChaCha8Rng,
    t0: f64,
    cool: f64,
    bridge: f64,
}

impl Annealing {
    /// The mediator with starting temperature `t0` and cooling time `cool` (in `(0, 1]`), drafting
    /// and deciding with random streams split from `rng`.
    #[must_use]
    pub fn new(mut rng: ChaCha8Rng, t0: f64, cool: f64) -> Self {
        use rand::SeedableRng;
        let drafts = Mutation::new(ChaCha8Rng::seed_from_u64(rng.random()));
        Self { drafts, rng, t0, cool: cool.clamp(f64::MIN_POSITIVE, 1.0), bridge: 1.0 }
    }

    /// The temperature at normalised time `t`.
    #[must_use]
    pub fn temperature(&self, t: f64) -> f64 {
        (self.t0 * (1.0 - t / self.cool)).max(0.0)
    }

    /// The probability of adopting a candidate that `against` parties vote against at time `t`.
    #[must_use]
    pub fn adoption(&self, against: usize, t: f64) -> f64 {
        boltzmann(against, self.temperature(t))
    }

    /// The probability of adopting the candidate of `ballot` at time `t`: by the temperature, or, when
    /// every party that objected to the text at the last poll votes for it, by `bridge` if that is
    /// higher.
    #[must_use]
    pub fn adoption_of(&self, ballot: &Ballot<'_>, t: f64) -> f64 {
        let against = ballot.votes.iter().filter(|v| !**v).count();
        let p = self.adoption(against, t);
        let objected = ballot.objections.iter().any(|&o| o);
        let objectors_for = ballot.votes.iter().zip(ballot.objections).all(|(&v, &o)| v || !o);
        if objected && objectors_for { p.max(boltzmann(against, self.bridge)) } else { p }
    }
}

impl Mediator for Annealing {
    fn label(&self) -> String {
        "annealing".into()
    }

    fn text(
        &mut self,
        space: &OutcomeSpace,
        turn: &Turn,
        text: Option<&[u32]>,
        positions: &[Outcome],
    ) -> Outcome {
        self.drafts.text(space, turn, text, positions)
    }

    fn decide(&mut self, turn: &Turn, ballot: &Ballot<'_>) -> bool {
        let p = self.adoption_of(ballot, turn.time);
        // Draw only when the outcome is in doubt, so that the stream does not depend on unanimous
        // rounds.
        if p >= 1.0 {
            true
        } else if p <= 0.0 {
            false
        } else {
            self.rng.random_bool(p)
        }
    }
}

/// `exp(-against / temperature)`: 1 when nobody is against, 0 at temperature 0.
fn boltzmann(against: usize, temperature: f64) -> f64 {
    if against == 0 {
        return 1.0;
    }
    if temperature <= 0.0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)] // a count of parties
    (-(against as f64) / temperature).exp()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn the_temperature_falls_to_zero_at_the_cooling_time_and_unanimity_always_adopts() {
        let m = Annealing::new(ChaCha8Rng::seed_from_u64(1), 1.0, 0.5);
        assert!((m.temperature(0.0) - 1.0).abs() < 1e-12);
        assert!((m.temperature(0.25) - 0.5).abs() < 1e-12);
        assert_eq!(m.temperature(0.5), 0.0);
        assert_eq!(m.temperature(0.9), 0.0);
        assert!((m.adoption(1, 0.0) - (-1.0f64).exp()).abs() < 1e-12);
        assert!(m.adoption(2, 0.0) < m.adoption(1, 0.0), "more votes against, less likely");
        assert_eq!(m.adoption(1, 0.6), 0.0);
        assert_eq!(m.adoption(0, 0.9), 1.0);
    }

    #[test]
    fn decisions_follow_the_schedule() {
        let mut m = Annealing::new(ChaCha8Rng::seed_from_u64(2), 1.0, 0.5);
        let turn = |time| Turn { round: 0, time };
        let ballot = |votes: &'static [bool], objections: &'static [bool]| Ballot {
            candidate: &[],
            incumbent: &[],
            votes,
            objections,
        };
        let split = ballot(&[true, false], &[false, false]);
        let adopted = (0..2000).filter(|_| m.decide(&turn(0.0), &split)).count();
        // exp(-1) = 0.368 of 2000: 736, within five standard deviations (about 108).
        assert!((628..844).contains(&adopted), "{adopted}");
        assert!((0..100).all(|_| !m.decide(&turn(0.5), &split)));
        assert!((0..100).all(|_| m.decide(&turn(0.9), &ballot(&[true, true], &[false, false]))));
    }

    #[test]
    fn after_cooling_only_a_candidate_the_objectors_vote_for_can_pass_against_a_vote() {
        let m = Annealing::new(ChaCha8Rng::seed_from_u64(3), 1.0, 0.5);
        let ballot = |votes, objections| Ballot { candidate: &[], incumbent: &[], votes, objections };
        // Party 1 rejected the text; the candidate is better for it, worse for party 0.
        let toward = m.adoption_of(&ballot(&[false, true], &[false, true]), 0.9);
        assert!((toward - (-1.0f64).exp()).abs() < 1e-12, "{toward}");
        // The same candidate with no objection on record, or against the objector: never.
        assert_eq!(m.adoption_of(&ballot(&[false, true], &[false, false]), 0.9), 0.0);
        assert_eq!(m.adoption_of(&ballot(&[true, false], &[false, true]), 0.9), 0.0);
        // Unanimity still always passes; both objecting and both voting for it too.
        assert_eq!(m.adoption_of(&ballot(&[true, true], &[true, true]), 0.9), 1.0);
    }
}
