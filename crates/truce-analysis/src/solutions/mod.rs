//! Bargaining solutions, one per file, each citing its paper, and the opposition measure.
//!
//! Each solution function takes utility vectors (one per candidate outcome, usually the frontier of
//! the zone of agreement: an optimiser of each criterion always lies on it) and the disagreement point,
//! and returns the index of the chosen vector with its criterion value.
//!
//! **Ties**: values within [`TIE`] of the best are tied; among them the vector with the largest sum of
//! utilities wins, then the first in the order given (the analysis gives frontiers in decreasing
//! order of the first party's utility, so the first party is favoured last of all).

mod egalitarian;
mod kalai_smorodinsky;
mod max_welfare;
mod nash;
mod opposition;

pub use egalitarian::egalitarian;
pub use kalai_smorodinsky::kalai_smorodinsky;
pub use max_welfare::max_welfare;
pub use nash::nash;
pub use opposition::opposition;

/// Criterion values closer than this are tied.
pub const TIE: f64 = 1e-12;

/// The choice a solution makes among candidate utility vectors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// Index of the chosen vector.
    pub index: usize,
    /// Its criterion value (the Nash product, the smallest normalised gain, ...).
    pub value: f64,
}

/// The best candidate by `criterion`, ties broken as documented in this module.
fn best_by<U: AsRef<[f64]>>(candidates: &[U], criterion: impl Fn(&[f64]) -> f64) -> Option<Choice> {
    let values: Vec<f64> = candidates.iter().map(|u| criterion(u.as_ref())).collect();
    let best = values.iter().copied().filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() {
        return None;
    }
    let welfare = |i: usize| candidates[i].as_ref().iter().sum::<f64>();
    let mut chosen: Option<usize> = None;
    for (i, &v) in values.iter().enumerate() {
        if v.is_finite() && v >= best - TIE && chosen.is_none_or(|c| welfare(i) > welfare(c) + TIE) {
            chosen = Some(i);
        }
    }
    chosen.map(|index| Choice { index, value: values[index] })
}

/// The highest utility of each party among the candidates (the ideal point); `None` when there are
/// no candidates.
#[must_use]
pub fn ideal<U: AsRef<[f64]>>(candidates: &[U]) -> Option<Vec<f64>> {
    let first = candidates.first()?.as_ref().to_vec();
    Some(candidates.iter().skip(1).fold(first, |mut acc, u| {
        for (a, &x) in acc.iter_mut().zip(u.as_ref()) {
            *a = a.max(x);
        }
        acc
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_larger_welfare_then_the_first() {
        let c = vec![vec![0.5, 0.5], vec![0.5, 0.5 + 1e-13], vec![0.6, 0.4]];
        // Egalitarian: 0.5 for the first two (tied within 1e-12), 0.4 for the third.
        let e = egalitarian(&c, &[0.0, 0.0]).unwrap();
        assert_eq!(e.index, 0, "equal welfare within the tie tolerance: the first wins");
        let c = vec![vec![0.5, 0.5], vec![0.7, 0.5]];
        assert_eq!(egalitarian(&c, &[0.0, 0.0]).unwrap().index, 1, "larger welfare wins a tie");
        assert_eq!(nash(&Vec::<Vec<f64>>::new(), &[0.0, 0.0]), None);
    }

    #[test]
    fn the_four_solutions_differ_where_they_should() {
        // Candidates on a frontier; d = 0.
        let c = vec![vec![1.0, 0.0], vec![0.95, 0.45], vec![0.6, 0.75], vec![0.0, 0.9]];
        let d = [0.0, 0.0];
        assert_eq!(nash(&c, &d).unwrap().index, 2); // 0.45 > 0.4275
        assert_eq!(max_welfare(&c, &d).unwrap().index, 1); // 1.4 > 1.35
        assert_eq!(egalitarian(&c, &d).unwrap().index, 2); // min 0.6
        // KS: ideal (1.0, 0.9): min(0.95, 0.5) = 0.5 < min(0.6, 0.833) = 0.6.
        assert_eq!(kalai_smorodinsky(&c, &d).unwrap().index, 2);
        // Raising the disagreement point moves Nash towards the other party.
        assert_eq!(nash(&c, &[0.0, 0.4]).unwrap().index, 2);
        assert_eq!(nash(&c, &[0.55, 0.0]).unwrap().index, 1);
        assert!((kalai_smorodinsky(&c, &d).unwrap().value - 0.6).abs() < 1e-15);
    }
}
