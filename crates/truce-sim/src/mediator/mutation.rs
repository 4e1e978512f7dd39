//! The hill-climbing mediator of single-text negotiation: random single-issue mutations.
//!
//! # Behaviour
//! The first text is an outcome drawn uniformly at random. Each candidate is the current text with one
//! issue, drawn uniformly, set to a different value drawn uniformly (issues with a single value are
//! never drawn). With truthful voters, a candidate is adopted only when no party loses, so the text
//! climbs towards the Pareto frontier and stops at a local optimum.
//!
//! # Parameters
//! None; its random stream is stream 0 of the negotiation's seed.
//!
//! # References
//! M. Klein, P. Faratin, H. Sayama & Y. Bar-Yam (2003), "Negotiating complex contracts", *Group
//! Decision and Negotiation* 12(2), 111-125.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use truce_model::OutcomeSpace;

use crate::Outcome;

/// A mediator that proposes random one-issue variations of the text.
#[derive(Debug)]
pub struct Mutation {
    rng: ChaCha8Rng,
}

impl Mutation {
    /// A mediator drawing from `rng`.
    #[must_use]
    pub fn new(rng: ChaCha8Rng) -> Self {
        Self { rng }
    }

    /// A uniformly random first text.
    pub fn first_text(&mut self, space: &OutcomeSpace) -> Outcome {
        space.radices().iter().map(|&r| self.rng.random_range(0..r)).collect()
    }

    /// `text` with one issue changed (or `text` itself when every issue has a single value).
    pub fn candidate(&mut self, space: &OutcomeSpace, text: &[u32]) -> Outcome {
        let mut candidate = text.to_vec();
        let mutable: Vec<usize> = (0..space.len()).filter(|&i| space.radices()[i] > 1).collect();
        if mutable.is_empty() {
            return candidate;
        }
        let issue = mutable[self.rng.random_range(0..mutable.len())];
        let r = space.radices()[issue];
        // A different value, uniformly: draw among r - 1 and skip the current one.
        let v = self.rng.random_range(0..r - 1);
        candidate[issue] = if v >= text[issue] { v + 1 } else { v };
        candidate
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use truce_model::{Issue, IssueDomain};

    use super::*;

    #[test]
    fn candidates_differ_from_the_text_on_exactly_one_issue() {
        let space = OutcomeSpace::new(vec![
            Issue::new("a", IssueDomain::integer(0, 4, 1).unwrap()),
            Issue::new("fixed", IssueDomain::integer(0, 0, 1).unwrap()),
            Issue::new("b", IssueDomain::integer(0, 1, 1).unwrap()),
        ])
        .unwrap();
        let mut m = Mutation::new(ChaCha8Rng::seed_from_u64(3));
        let mut text = m.first_text(&space);
        for _ in 0..200 {
            let c = m.candidate(&space, &text);
            assert!(space.is_outcome(&c));
            assert_eq!(c.iter().zip(&text).filter(|(x, y)| x != y).count(), 1);
            assert_eq!(c[1], 0);
            text = c;
        }
    }
}
