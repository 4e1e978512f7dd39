//! The Nash bargaining solution.
//!
//! # Behaviour
//! The outcome maximising the product of the parties' gains over the disagreement point,
//! `prod_p (u_p - d_p)`, among outcomes every party finds at least as good as disagreement.
//!
//! # References
//! J. F. Nash (1950), "The Bargaining Problem", *Econometrica* 18(2): 155-162.

use super::{Choice, best_by};

/// The Nash point among `candidates` (utility vectors, all at or above `disagreement`).
#[must_use]
pub fn nash<U: AsRef<[f64]>>(candidates: &[U], disagreement: &[f64]) -> Option<Choice> {
    best_by(candidates, |u| u.iter().zip(disagreement).map(|(x, d)| x - d).product())
}
