//! The egalitarian solution.
//!
//! # Behaviour
//! The outcome maximising the smallest gain over the disagreement point, `min_p (u_p - d_p)`: the
//! worst-off party is as well off as possible. NegMAS calls this `kalai_points`.
//!
//! # References
//! E. Kalai (1977), "Proportional Solutions to Bargaining Situations: Interpersonal Utility
//! Comparisons", *Econometrica* 45(7): 1623-1630.

use super::{Choice, best_by};

/// The egalitarian point among `candidates`.
#[must_use]
pub fn egalitarian<U: AsRef<[f64]>>(candidates: &[U], disagreement: &[f64]) -> Option<Choice> {
    best_by(candidates, |u| u.iter().zip(disagreement).map(|(x, d)| x - d).fold(f64::INFINITY, f64::min))
}
