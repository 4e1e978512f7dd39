//! The opposition level of a negotiation.
//!
//! # Behaviour
//! How far the parties are from all getting what they want at once: the Euclidean distance from the
//! ideal point `(1, ..., 1)` to the nearest acceptable outcome, each party's utility first divided by
//! the best utility it can get anywhere, `sqrt(min_o sum_p (1 - u_p(o) / best_p)^2)` (a party whose
//! best is 0 counts `(1 - u_p)^2`). 0 when one outcome gives everyone their best; larger when
//! interests conflict. The nearest outcome always lies on the frontier of acceptable outcomes, so the
//! minimum is taken over it.
//!
//! # References
//! The definition of NegMAS (`negmas.preferences.ops.opposition_level`, Y. Mohammad et al.), where the
//! acceptable outcomes are those no party finds worse than disagreement; here they are the zone of
//! agreement (red lines included).

/// The opposition level, given the acceptable `candidates` and each party's `best` utility over all
/// outcomes; `None` without candidates.
#[must_use]
pub fn opposition<U: AsRef<[f64]>>(candidates: &[U], best: &[f64]) -> Option<f64> {
    candidates
        .iter()
        .map(|u| {
            u.as_ref()
                .iter()
                .zip(best)
                .map(|(&x, &b)| {
                    let r = if b != 0.0 { 1.0 - x / b } else { 1.0 - x };
                    r * r
                })
                .sum::<f64>()
        })
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.min(v))))
        .map(f64::sqrt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_negmas_on_its_documented_examples() {
        // NegMAS doc: u1 = x, u2 = 9 - x over x in 0..10, max utils 9: 0.7114582486036499.
        let c: Vec<Vec<f64>> = (0..10).map(|x| vec![f64::from(x), 9.0 - f64::from(x)]).collect();
        let o = opposition(&c, &[9.0, 9.0]).unwrap();
        assert!((o - 0.711_458_248_603_649_9).abs() < 1e-12, "{o}");
        // The same utility twice: 0.
        let same: Vec<Vec<f64>> = (0..10).map(|x| vec![f64::from(x), f64::from(x)]).collect();
        assert_eq!(opposition(&same, &[9.0, 9.0]), Some(0.0));
    }
}
