//! Estimates by seeded uniform sampling, with 95% confidence intervals, for counts the exact methods
//! cannot reach.

/// The 95% Wilson score interval of a proportion observed as `hits` out of `trials`: an interval that
/// stays within `[0, 1]` and is honest when the proportion is close to 0 or 1.
///
/// E. B. Wilson (1927), "Probable Inference, the Law of Succession, and Statistical Inference",
/// *Journal of the American Statistical Association* 22(158): 209-212.
pub(crate) fn wilson(hits: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    #[allow(clippy::cast_precision_loss)]
    let (k, n) = (hits as f64, trials as f64);
    let p = k / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    let low = if hits == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if hits >= trials { 1.0 } else { (centre + half).min(1.0) };
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_contain_the_observation_and_stay_in_range() {
        let (lo, hi) = wilson(0, 100);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.05, "{hi}");
        let (lo, hi) = wilson(50, 100);
        assert!(lo < 0.5 && hi > 0.5 && (0.5 - lo - (hi - 0.5)).abs() < 1e-12);
        // Textbook value: 95% Wilson interval for 8 of 10 is about [0.490, 0.943].
        let (lo, hi) = wilson(8, 10);
        assert!((lo - 0.4902).abs() < 1e-3 && (hi - 0.9433).abs() < 1e-3, "{lo} {hi}");
    }
}
