//! The hill-climbing mediator of single-text negotiation: random mutations of the text.
//!
//! # Behaviour
//! The first text splits the difference where it can: the middle value of each ordered issue (numeric,
//! or discrete with an order), a random value of each unordered one (the mediator knows no one's
//! preferences; Raiffa's single text also starts from a draft meant to be fair). Each candidate is the
//! current text with one issue, drawn uniformly, set to a different value drawn uniformly, and with
//! probability 1/2 a second issue changed the same way (issues with a single value are never drawn).
//! Klein et al. mutate one issue; the second lets a candidate trade one issue against another in a
//! single step, without which a text that breaks one party's red line stalls whenever fixing it costs
//! the other party (every one-issue step then makes someone worse off). With truthful voters a
//! candidate is adopted only when no party loses, so the text climbs towards the Pareto frontier;
//! conceding voters (see [`conceding_vote`](crate::conceding_vote)) let it move further as their
//! targets fall.
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

use crate::{Mediator, Outcome, Turn};

/// A mediator that proposes random one- or two-issue variations of the text.
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

    /// The first text, drafted without knowing anyone's preferences: the middle value of every ordered
    /// issue (the lower middle when there are two), a random value of every unordered one.
    pub fn first_text(&mut self, space: &OutcomeSpace) -> Outcome {
        space
            .issues()
            .iter()
            .map(|issue| {
                let r = issue.cardinality();
                if issue.domain().is_ordered() { (r - 1) / 2 } else { self.rng.random_range(0..r) }
            })
            .collect()
    }

    /// `text` with one issue changed, or two with probability 1/2 (`text` itself when every issue has a
    /// single value).
    pub fn candidate(&mut self, space: &OutcomeSpace, text: &[u32]) -> Outcome {
        let mut candidate = text.to_vec();
        let mutable: Vec<usize> = (0..space.len()).filter(|&i| space.radices()[i] > 1).collect();
        if mutable.is_empty() {
            return candidate;
        }
        let first = mutable[self.rng.random_range(0..mutable.len())];
        let mut issues = vec![first];
        if mutable.len() > 1 && self.rng.random_bool(0.5) {
            let k = self.rng.random_range(0..mutable.len() - 1);
            let other = mutable.iter().copied().filter(|&i| i != first).nth(k).unwrap_or(first);
            issues.push(other);
        }
        for issue in issues {
            let r = space.radices()[issue];
            // A different value, uniformly: draw among r - 1 and skip the current one.
            let v = self.rng.random_range(0..r - 1);
            candidate[issue] = if v >= text[issue] { v + 1 } else { v };
        }
        candidate
    }
}

impl Mediator for Mutation {
    fn label(&self) -> String {
        "mutation".into()
    }

    fn text(&mut self, space: &OutcomeSpace, _turn: &Turn, text: Option<&[u32]>, _: &[Outcome]) -> Outcome {
        match text {
            None => self.first_text(space),
            Some(text) => self.candidate(space, text),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use truce_model::{Issue, IssueDomain};

    use super::*;

    #[test]
    fn candidates_differ_from_the_text_on_one_or_two_issues() {
        let space = OutcomeSpace::new(vec![
            Issue::new("a", IssueDomain::integer(0, 4, 1).unwrap()),
            Issue::new("fixed", IssueDomain::integer(0, 0, 1).unwrap()),
            Issue::new("b", IssueDomain::integer(0, 1, 1).unwrap()),
        ])
        .unwrap();
        let mut m = Mutation::new(ChaCha8Rng::seed_from_u64(3));
        let mut text = m.first_text(&space);
        assert_eq!((text[0], text[1]), (2, 0), "ordered issues start in the middle");
        let mut twos = 0;
        for _ in 0..200 {
            let c = m.candidate(&space, &text);
            assert!(space.is_outcome(&c));
            let changed = c.iter().zip(&text).filter(|(x, y)| x != y).count();
            assert!(changed == 1 || changed == 2, "{changed}");
            twos += usize::from(changed == 2);
            assert_eq!(c[1], 0);
            text = c;
        }
        assert!((60..140).contains(&twos), "about half the candidates change two issues: {twos}");
    }
}
