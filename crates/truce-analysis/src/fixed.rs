//! Fixed-point utilities: exact, order-independent sums, and the rule that decides when two utility
//! vectors are equal.
//!
//! Every utility the engine adds is first converted to an integer number of `10^-18` units (coarser
//! when utilities are larger than about 4, see [`Scale::for_bound`]), so that a sum is the same whatever
//! order the issues are combined in. Two utilities are *equal* when they agree after rounding to 12
//! decimals (the rule of the GENIUS reference results): every comparison of the engine, for ties and
//! for dominance, is made on these rounded values ([`key`]).

/// Units per rounding step: values are kept at `10^-18` and compared at `10^-12`.
pub(crate) const KEY_DIV: i64 = 1_000_000;

/// The largest magnitude a fixed-point sum may reach (leaves headroom below `i64::MAX`).
const LIMIT: f64 = 4.0e18;

/// How utilities are converted to fixed point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    factor: f64,
    decimals: i32,
}

impl Scale {
    /// The finest scale at which every sum of magnitude at most `bound` fits: `10^18` units per
    /// utility unit when `bound <= 4`, ten times coarser for each further factor of ten. Comparisons
    /// are then made at `10^-12` (or correspondingly coarser).
    pub(crate) fn for_bound(bound: f64) -> Self {
        let bound = if bound.is_finite() { bound.abs().max(1.0) } else { 1.0 };
        let mut decimals = 18;
        while decimals > 0 && bound * 10f64.powi(decimals) > LIMIT {
            decimals -= 1;
        }
        Self { factor: 10f64.powi(decimals), decimals }
    }

    /// `x` in fixed-point units, rounded to the nearest unit.
    pub(crate) fn to_fixed(self, x: f64) -> i64 {
        #[allow(clippy::cast_possible_truncation)]
        let v = (x * self.factor).round() as i64;
        v
    }

    /// A fixed-point value as a float.
    pub(crate) fn to_f64(self, v: i64) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let x = v as f64 / self.factor;
        x
    }

    /// A utility in key units (rounded to the tie resolution), for comparisons made outside the engine.
    pub(crate) fn key_of(self, x: f64) -> i64 {
        key(self.to_fixed(x))
    }
}

/// A fixed-point value rounded to the tie resolution (half away from zero rounds up).
#[inline]
pub(crate) fn key(v: i64) -> i64 {
    (v + KEY_DIV / 2).div_euclid(KEY_DIV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_do_not_depend_on_order_and_ties_are_judged_at_12_decimals() {
        let s = Scale::for_bound(1.0);
        let parts = [0.1, 0.2, 0.3, 1.0 / 7.0];
        let forward: i64 = parts.iter().map(|&x| s.to_fixed(x)).sum();
        let backward: i64 = parts.iter().rev().map(|&x| s.to_fixed(x)).sum();
        assert_eq!(forward, backward);
        assert_eq!(key(s.to_fixed(0.3)), key(s.to_fixed(0.1) + s.to_fixed(0.2)));
        assert_ne!(key(s.to_fixed(0.3)), key(s.to_fixed(0.3 + 2e-12)));
    }

    #[test]
    fn large_utilities_get_a_coarser_scale_that_cannot_overflow() {
        let s = Scale::for_bound(1e9);
        let v = s.to_fixed(1e9);
        assert!(v.checked_mul(2).is_some());
        assert!((s.to_f64(v) - 1e9).abs() < 1e-3);
        assert_eq!(key(-1), 0);
        assert_eq!(key(-KEY_DIV), -1);
    }
}
