//! The Kalai-Smorodinsky solution.
//!
//! # Behaviour
//! The outcome maximising the smallest *normalised* gain, `min_p (u_p - d_p) / (ideal_p - d_p)`, where
//! `ideal_p` is the best utility party `p` can get among the candidates: on a continuous frontier,
//! the point where every party gets the same share of its possible gain. A party whose ideal is no
//! better than its disagreement value has its gain divided by 1 instead.
//!
//! Not to be confused with the egalitarian solution ([`egalitarian`](super::egalitarian)), which NegMAS
//! calls `kalai_points`; NegMAS's `ks_points` is this one.
//!
//! # References
//! E. Kalai and M. Smorodinsky (1975), "Other Solutions to Nash's Bargaining Problem",
//! *Econometrica* 43(3): 513-518.

use super::{Choice, best_by, ideal};

/// The Kalai-Smorodinsky point among `candidates`, with the ideal point taken over them.
#[must_use]
pub fn kalai_smorodinsky<U: AsRef<[f64]>>(candidates: &[U], disagreement: &[f64]) -> Option<Choice> {
    let ideal = ideal(candidates)?;
    let span: Vec<f64> =
        ideal.iter().zip(disagreement).map(|(i, d)| if i - d > 0.0 { i - d } else { 1.0 }).collect();
    best_by(candidates, |u| {
        u.iter().zip(disagreement).zip(&span).map(|((x, d), s)| (x - d) / s).fold(f64::INFINITY, f64::min)
    })
}
