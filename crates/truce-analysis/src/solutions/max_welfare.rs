//! The utilitarian (maximum welfare) solution.
//!
//! # Behaviour
//! The outcome maximising the sum of the parties' utilities, `sum_p u_p` (the disagreement point
//! does not change the choice among candidates that all reach it).
//!
//! # References
//! J. C. Harsanyi (1955), "Cardinal Welfare, Individualistic Ethics, and Interpersonal Comparisons
//! of Utility", *Journal of Political Economy* 63(4): 309-321.

use super::{Choice, best_by};

/// The maximum-welfare point among `candidates`.
#[must_use]
pub fn max_welfare<U: AsRef<[f64]>>(candidates: &[U], disagreement: &[f64]) -> Option<Choice> {
    let _ = disagreement;
    best_by(candidates, |u| u.iter().sum())
}
