//! The outcome space: the cartesian product of the issues' grids, its exact size, mixed-radix indexing
//! and allocation-free iteration.
//!
//! An *outcome* is one grid position per issue, `&[u32]`, in issue order. Outcomes are numbered in
//! lexicographic order with the first issue most significant, so outcome `k` of a space with radices
//! `[r0, r1, r2]` has digits `k = ((d0 * r1) + d1) * r2 + d2`.

use num_bigint::BigUint;
use serde::{Deserialize, Serialize};

use crate::{Issue, IssueId, ModelError, Value};

/// The issues of a negotiation and the outcomes they span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Issue>", into = "Vec<Issue>")]
pub struct OutcomeSpace {
    issues: Vec<Issue>,
    radices: Vec<u32>,
}

impl OutcomeSpace {
    /// A space over `issues`, which must be non-empty with distinct names.
    ///
    /// # Errors
    /// [`ModelError::NoIssues`] or [`ModelError::DuplicateIssue`].
    pub fn new(issues: Vec<Issue>) -> Result<Self, ModelError> {
        if issues.is_empty() {
            return Err(ModelError::NoIssues);
        }
        let mut seen = std::collections::HashSet::with_capacity(issues.len());
        for issue in &issues {
            if !seen.insert(issue.name.as_str()) {
                return Err(ModelError::DuplicateIssue { name: issue.name.clone() });
            }
        }
        let radices = issues.iter().map(Issue::cardinality).collect();
        Ok(Self { issues, radices })
    }

    /// The issues, in order.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The issue with the given id.
    ///
    /// # Panics
    /// If the id does not belong to this space.
    #[must_use]
    pub fn issue(&self, id: IssueId) -> &Issue {
        &self.issues[id.index()]
    }

    /// The id of the issue called `name`.
    #[must_use]
    pub fn issue_id(&self, name: &str) -> Option<IssueId> {
        self.issues.iter().position(|i| i.name == name).map(IssueId::from_index)
    }

    /// The ids of all issues, in order.
    pub fn issue_ids(&self) -> impl ExactSizeIterator<Item = IssueId> + use<> {
        (0..self.issues.len()).map(IssueId::from_index)
    }

    /// The number of issues.
    #[must_use]
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    /// Always false: a space has at least one issue.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The number of grid values of each issue.
    #[must_use]
    pub fn radices(&self) -> &[u32] {
        &self.radices
    }

    /// The exact number of outcomes, however large (50 issues of 10 values is 10^50).
    #[must_use]
    pub fn size(&self) -> BigUint {
        self.radices.iter().fold(BigUint::from(1u32), |acc, &r| acc * r)
    }

    /// The number of outcomes if it fits in a `u128`.
    #[must_use]
    pub fn size_u128(&self) -> Option<u128> {
        self.radices.iter().try_fold(1u128, |acc, &r| acc.checked_mul(u128::from(r)))
    }

    /// The number of outcomes if it fits in a `u64`.
    #[must_use]
    pub fn size_u64(&self) -> Option<u64> {
        self.size_u128().and_then(|n| u64::try_from(n).ok())
    }

    /// The number of outcomes as a float (for densities and percentages; exact up to 2^53).
    #[must_use]
    pub fn size_f64(&self) -> f64 {
        self.radices.iter().map(|&r| f64::from(r)).product()
    }

    /// Whether `outcome` is a grid point of this space.
    #[must_use]
    pub fn is_outcome(&self, outcome: &[u32]) -> bool {
        outcome.len() == self.radices.len() && outcome.iter().zip(&self.radices).all(|(d, r)| d < r)
    }

    /// The index of `outcome` in lexicographic order, or `None` if it is not an outcome of this space or
    /// its index does not fit in a `u128` (possible only in spaces of more than `u128::MAX` outcomes).
    #[must_use]
    pub fn index_of(&self, outcome: &[u32]) -> Option<u128> {
        if !self.is_outcome(outcome) {
            return None;
        }
        outcome
            .iter()
            .zip(&self.radices)
            .try_fold(0u128, |acc, (&d, &r)| acc.checked_mul(u128::from(r))?.checked_add(u128::from(d)))
    }

    /// Writes outcome number `index` into `out` (which must have one slot per issue). Returns `false`,
    /// leaving `out` unspecified, when `index` is past the last outcome or `out` has the wrong length.
    pub fn outcome_at(&self, mut index: u128, out: &mut [u32]) -> bool {
        if out.len() != self.radices.len() {
            return false;
        }
        for (slot, &r) in out.iter_mut().zip(&self.radices).rev() {
            let r = u128::from(r);
            #[allow(clippy::cast_possible_truncation)]
            {
                *slot = (index % r) as u32;
            }
            index /= r;
        }
        index == 0
    }

    /// The values of an outcome.
    ///
    /// # Panics
    /// If `outcome` is not an outcome of this space.
    #[must_use]
    pub fn values(&self, outcome: &[u32]) -> Vec<Value> {
        assert!(self.is_outcome(outcome), "not an outcome of this space");
        self.issues
            .iter()
            .zip(outcome)
            .map(|(issue, &d)| issue.domain().grid_value(d).expect("digit within radix"))
            .collect()
    }

    /// `issue=value` pairs of an outcome, for people.
    #[must_use]
    pub fn describe(&self, outcome: &[u32]) -> String {
        self.values(outcome)
            .into_iter()
            .zip(&self.issues)
            .map(|(v, issue)| format!("{}={}", issue.name, issue.format_value(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A cursor over every outcome in index order that allocates once.
    #[must_use]
    pub fn outcomes(&self) -> Outcomes<'_> {
        Outcomes { radices: &self.radices, current: vec![0; self.radices.len()], started: false, done: false }
    }
}

impl TryFrom<Vec<Issue>> for OutcomeSpace {
    type Error = ModelError;
    fn try_from(issues: Vec<Issue>) -> Result<Self, Self::Error> {
        Self::new(issues)
    }
}

impl From<OutcomeSpace> for Vec<Issue> {
    fn from(space: OutcomeSpace) -> Self {
        space.issues
    }
}

/// Every outcome of a space, in index order, through one reused buffer.
///
/// A lending cursor rather than an [`Iterator`], so that no outcome is allocated:
///
/// ```
/// # use truce_model::{Issue, IssueDomain, OutcomeSpace};
/// let space = OutcomeSpace::new(vec![
///     Issue::new("a", IssueDomain::integer(0, 2, 1)?),
///     Issue::new("b", IssueDomain::discrete(vec!["x".into(), "y".into()], false)?),
/// ])?;
/// let mut cursor = space.outcomes();
/// let mut count = 0;
/// while let Some(outcome) = cursor.next() {
///     assert_eq!(space.index_of(outcome), Some(count));
///     count += 1;
/// }
/// assert_eq!(count, 6);
/// # Ok::<(), truce_model::ModelError>(())
/// ```
#[derive(Debug)]
pub struct Outcomes<'a> {
    radices: &'a [u32],
    current: Vec<u32>,
    started: bool,
    done: bool,
}

impl Outcomes<'_> {
    /// The next outcome, or `None` after the last.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&[u32]> {
        if self.done {
            return None;
        }
        if self.started {
            // Odometer step: increment the last digit, carrying to the left.
            let mut position = self.radices.len();
            loop {
                if position == 0 {
                    self.done = true;
                    return None;
                }
                position -= 1;
                self.current[position] += 1;
                if self.current[position] < self.radices[position] {
                    break;
                }
                self.current[position] = 0;
            }
        }
        self.started = true;
        Some(&self.current)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::IssueDomain;

    fn space(radices: &[u32]) -> OutcomeSpace {
        OutcomeSpace::new(
            radices
                .iter()
                .enumerate()
                .map(|(i, &r)| {
                    Issue::new(format!("i{i}"), IssueDomain::integer(0, i64::from(r) - 1, 1).unwrap())
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn size_of_fifty_issues_of_ten_values_is_exact() {
        let s = space(&[10; 50]);
        assert_eq!(s.size(), num_traits::pow(BigUint::from(10u32), 50));
        assert_eq!(s.size_u128(), None);
        assert_eq!(s.size_u64(), None);
        let mut out = vec![0; 50];
        assert!(s.outcome_at(12345, &mut out));
        assert_eq!(s.index_of(&out), Some(12345), "small indices work in any space");
        assert_eq!(s.index_of(&[9; 50]), None, "10^50 - 1 overflows u128");
    }

    #[test]
    fn rejects_duplicate_and_missing_issues() {
        assert_eq!(OutcomeSpace::new(vec![]), Err(ModelError::NoIssues));
        let i = Issue::new("a", IssueDomain::integer(0, 1, 1).unwrap());
        assert_eq!(
            OutcomeSpace::new(vec![i.clone(), i]),
            Err(ModelError::DuplicateIssue { name: "a".into() })
        );
    }

    #[test]
    fn index_order_is_lexicographic_first_issue_most_significant() {
        let s = space(&[2, 3]);
        let mut cursor = s.outcomes();
        let mut seen = vec![];
        while let Some(o) = cursor.next() {
            seen.push(o.to_vec());
        }
        assert_eq!(seen, vec![vec![0, 0], vec![0, 1], vec![0, 2], vec![1, 0], vec![1, 1], vec![1, 2]]);
        assert!(cursor.next().is_none(), "stays exhausted");
    }

    #[test]
    fn outcome_at_rejects_out_of_range_index() {
        let s = space(&[2, 3]);
        let mut out = [0; 2];
        assert!(s.outcome_at(5, &mut out));
        assert_eq!(out, [1, 2]);
        assert!(!s.outcome_at(6, &mut out));
        assert!(!s.outcome_at(0, &mut [0; 3]));
        assert_eq!(s.index_of(&[2, 0]), None);
        assert_eq!(s.index_of(&[0]), None);
    }

    proptest! {
        #[test]
        fn index_outcome_index_round_trip(radices in prop::collection::vec(1u32..12, 1..8), seed in any::<u128>()) {
            let s = space(&radices);
            let size = s.size_u128().unwrap();
            let index = seed % size;
            let mut out = vec![0; radices.len()];
            prop_assert!(s.outcome_at(index, &mut out));
            prop_assert!(s.is_outcome(&out));
            prop_assert_eq!(s.index_of(&out), Some(index));
        }

        #[test]
        fn cursor_visits_every_index_once_in_order(radices in prop::collection::vec(1u32..5, 1..5)) {
            let s = space(&radices);
            let mut cursor = s.outcomes();
            let mut expected = 0u128;
            while let Some(o) = cursor.next() {
                prop_assert_eq!(s.index_of(o), Some(expected));
                expected += 1;
            }
            prop_assert_eq!(expected, s.size_u128().unwrap());
        }
    }
}
