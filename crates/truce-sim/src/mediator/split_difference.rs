//! The bridging mediator of shuttle mediation: split the difference between the positions.
//!
//! # Behaviour
//! From the parties' latest private positions the mediator drafts, issue by issue:
//! - on an ordered issue (numeric, or discrete with an order), the median of the positions' grid
//!   indices; with an even number of parties, the two middle positions are split, rounding towards the
//!   lower index on even rounds and the higher on odd rounds, so no side is favoured over time;
//! - on an unordered issue, the value most positions share; a tie goes to the position of party
//!   `(round + issue) mod n` among the tied values, rotating who is favoured across issues and rounds.
//!
//! When all positions agree on an issue the text keeps that value, so a text the parties already
//! share is relayed unchanged.
//!
//! # Parameters
//! None: the mediator is deterministic.
//!
//! # References
//! H. Raiffa (1982), *The Art and Science of Negotiation*, ch. 14 (splitting the difference, the
//! mediator's bridging proposals); D. G. Pruitt (1981), *Negotiation Behavior*, Academic Press
//! (bridging).

use truce_model::OutcomeSpace;

use crate::{Mediator, Outcome, Turn};

/// A mediator that splits the difference between positions.
#[derive(Debug, Default)]
pub struct SplitDifference;

impl SplitDifference {
    /// The mediator.
    #[must_use]
    pub fn new() -> Self {
        Self
    }

    /// The bridging text for `positions` (one per party, each an outcome of `space`) in `round`.
    #[must_use]
    pub fn bridge(&mut self, space: &OutcomeSpace, positions: &[Outcome], round: u32) -> Outcome {
        let n = positions.len();
        (0..space.len())
            .map(|issue| {
                let mut values: Vec<u32> = positions.iter().map(|p| p[issue]).collect();
                if space.issues()[issue].domain().is_ordered() {
                    values.sort_unstable();
                    if n % 2 == 1 {
                        values[n / 2]
                    } else {
                        let (lo, hi) = (values[n / 2 - 1], values[n / 2]);
                        let sum = lo + hi;
                        if round.is_multiple_of(2) { sum / 2 } else { sum.div_ceil(2) }
                    }
                } else {
                    let count = |v: u32| values.iter().filter(|&&x| x == v).count();
                    let top = values.iter().map(|&v| count(v)).max().unwrap_or(0);
                    let favoured = (round as usize + issue) % n.max(1);
                    // The favoured party's value if it is among the most shared, else the first that is.
                    (0..n).map(|k| values[(favoured + k) % n]).find(|&v| count(v) == top).unwrap_or(values[0])
                }
            })
            .collect()
    }
}

impl Mediator for SplitDifference {
    fn label(&self) -> String {
        "split_difference".into()
    }

    fn text(
        &mut self,
        space: &OutcomeSpace,
        turn: &Turn,
        _: Option<&[u32]>,
        positions: &[Outcome],
    ) -> Outcome {
        self.bridge(space, positions, turn.round)
    }
}

#[cfg(test)]
mod tests {
    use truce_model::{Issue, IssueDomain};

    use super::*;

    #[test]
    fn splits_ordered_issues_and_rotates_ties_on_unordered_ones() {
        let space = OutcomeSpace::new(vec![
            Issue::new("trucks", IssueDomain::integer(0, 10, 1).unwrap()),
            Issue::new(
                "where",
                IssueDomain::discrete(vec!["a".into(), "b".into(), "c".into()], false).unwrap(),
            ),
        ])
        .unwrap();
        let mut m = SplitDifference::new();
        let positions = vec![vec![2, 0], vec![7, 2]];
        assert_eq!(m.bridge(&space, &positions, 0), vec![4, 2]); // (2+7)/2 down; tie -> party 1 on issue 1
        assert_eq!(m.bridge(&space, &positions, 1), vec![5, 0]); // up; tie -> party 0
        let three = vec![vec![1, 1], vec![9, 1], vec![4, 2]];
        assert_eq!(m.bridge(&space, &three, 0), vec![4, 1]); // median; majority
    }
}
