//! The zone of possible agreement: outcomes that break no negotiator's red line and give every
//! negotiator at least its reservation value (to within `10^-12`).
//!
//! Its frontier is the frontier within the red lines restricted to `u >= d` (an outcome dominating a
//! zone outcome is itself in the zone). Its size is counted exactly: all outcomes allowed by the red
//! lines when no reservation value binds, by meet in the middle otherwise ([`crate::count`]), by
//! enumeration for utilities without additive structure, or box by box for hyper-rectangle utilities
//! too many to enumerate; beyond the limits it is estimated by seeded sampling with a 95% confidence
//! interval, and labelled so.

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use truce_model::Value;

use crate::count::Counter;
use crate::estimate::wilson;
use crate::fixed::KEY_DIV;
use crate::frontier::boxes::{self, slack};
use crate::frontier::enumerate::Grid;
use crate::problem::{Additive, Problem};
use crate::{Limits, Progress, Stage};

/// Utilities this far below a reservation value still reach it (the reference's tolerance).
pub(crate) const RESERVATION_TOLERANCE: f64 = 1e-12;

/// How many outcomes a set holds: counted exactly, or estimated.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Size {
    /// The exact number.
    Exact(BigUint),
    /// An estimate from uniform random samples, with a 95% confidence interval.
    Estimate {
        /// The estimate.
        value: f64,
        /// Lower end of the interval.
        low: f64,
        /// Upper end of the interval.
        high: f64,
        /// Outcomes sampled.
        samples: u64,
    },
}

impl Size {
    /// Whether the size is exact.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        matches!(self, Self::Exact(_))
    }

    /// Whether the set is certainly empty (an estimate is never certain, unless the interval is 0).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Exact(n) => *n == BigUint::from(0u32),
            Self::Estimate { high, .. } => *high == 0.0,
        }
    }

    /// The size as a float (the estimate for estimates).
    #[must_use]
    pub fn as_f64(&self) -> f64 {
        match self {
            Self::Exact(n) => n.to_f64().unwrap_or(f64::INFINITY),
            Self::Estimate { value, .. } => *value,
        }
    }
}

/// Whether utilities `u` reach every reservation value of the problem's parties.
pub(crate) fn reaches(problem: &Problem<'_>, u: &[f64]) -> bool {
    problem.parties.iter().zip(u).all(|(p, &x)| x >= p.reservation - RESERVATION_TOLERANCE)
}

/// The number of outcomes of `problem` (with its red lines) that reach every reservation value.
pub(crate) fn size(
    problem: &Problem<'_>,
    additive: Option<&Additive>,
    limits: &Limits,
    seed: u64,
    progress: &dyn Progress,
) -> Size {
    progress.start(Stage::Zone, 0);
    let size = match additive {
        Some(a) => additive_size(problem, a, limits, seed),
        None => match Grid::new(problem) {
            Some(grid) if grid.size() <= limits.enumeration => {
                let count = grid.fold(
                    || 0u64,
                    |acc, _, outcome| {
                        if problem.respects_red_lines(outcome)
                            && problem.utilities(outcome).is_some_and(|u| reaches(problem, &u))
                        {
                            *acc += 1;
                        }
                    },
                    |a, b| a + b,
                    progress,
                );
                Size::Exact(BigUint::from(count))
            }
            _ => {
                // Hyper-rectangles too many to enumerate: counted box by box, within a budget.
                let d: Vec<f64> =
                    problem.parties.iter().map(|p| p.reservation - RESERVATION_TOLERANCE).collect();
                let test = |iv: &[(f64, f64)], exact: bool| {
                    if exact {
                        return Some(iv.iter().zip(&d).all(|((u, _), d)| u >= d));
                    }
                    if iv.iter().zip(&d).all(|((lo, _), d)| lo - slack(*lo) >= *d) {
                        Some(true)
                    } else if iv.iter().zip(&d).any(|((_, hi), d)| hi + slack(*hi) < *d) {
                        Some(false)
                    } else {
                        None
                    }
                };
                match boxes::count(problem, &test, limits.enumeration) {
                    Some(n) => Size::Exact(BigUint::from(n)),
                    None => sampled_size(problem, limits, seed),
                }
            }
        },
    };
    progress.finish();
    size
}

fn thresholds(problem: &Problem<'_>, additive: &Additive) -> Vec<i64> {
    problem.parties.iter().map(|p| additive.scale.to_fixed(p.reservation) - KEY_DIV).collect()
}

fn additive_size(problem: &Problem<'_>, additive: &Additive, limits: &Limits, seed: u64) -> Size {
    let columns: Vec<usize> = (0..problem.len()).collect();
    let t = thresholds(problem, additive);
    // Groups are counted side by side, each a count of its own (one alone needs no worker threads,
    // which a fresh process would first have to start).
    let count = |group| Counter::new(group, &columns).at_least(&t, limits.counting);
    let counts: Option<Vec<BigUint>> = if additive.groups.len() > 1 {
        additive.groups.par_iter().map(count).collect()
    } else {
        additive.groups.iter().map(count).collect()
    };
    match counts {
        Some(counts) => Size::Exact(counts.into_iter().sum()),
        None => sampled_additive(problem, additive, limits, seed),
    }
}

fn sampled_additive(problem: &Problem<'_>, additive: &Additive, limits: &Limits, seed: u64) -> Size {
    let t = thresholds(problem, additive);
    let n = problem.len();
    let sizes: Vec<f64> =
        additive.groups.iter().map(|g| g.size().to_f64().unwrap_or(f64::INFINITY)).collect();
    let whole: f64 = sizes.iter().sum();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut value, mut low, mut high) = (0.0, 0.0, 0.0);
    let mut drawn = 0u64;
    let mut sum = vec![0i64; n];
    for (group, &size) in additive.groups.iter().zip(&sizes) {
        if group.is_empty() || size == 0.0 {
            continue;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let samples = ((limits.samples as f64 * size / whole).ceil() as u64).max(1);
        let mut hits = 0u64;
        for _ in 0..samples {
            sum.iter_mut().for_each(|s| *s = 0);
            for block in &group.blocks {
                let c = rng.random_range(0..block.points.len());
                for (s, v) in sum.iter_mut().zip(block.points.point(c)) {
                    *s += v;
                }
            }
            hits += u64::from(sum.iter().zip(&t).all(|(s, t)| s >= t));
        }
        drawn += samples;
        let (lo, hi) = wilson(hits, samples);
        #[allow(clippy::cast_precision_loss)]
        {
            value += size * hits as f64 / samples as f64;
        }
        low += size * lo;
        high += size * hi;
    }
    Size::Estimate { value, low, high, samples: drawn }
}

fn sampled_size(problem: &Problem<'_>, limits: &Limits, seed: u64) -> Size {
    let issues = problem.domain.space().len();
    let values: Vec<Vec<Value>> = (0..issues).map(|i| problem.candidate_values(i)).collect();
    let whole: f64 = values.iter().map(|v| v.len() as f64).product();
    if whole == 0.0 {
        return Size::Exact(BigUint::from(0u32));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hits = 0u64;
    let mut outcome = vec![Value::Option(0); issues];
    for _ in 0..limits.samples {
        for (slot, v) in outcome.iter_mut().zip(&values) {
            *slot = v[rng.random_range(0..v.len())];
        }
        if problem.respects_red_lines(&outcome)
            && problem.utilities(&outcome).is_some_and(|u| reaches(problem, &u))
        {
            hits += 1;
        }
    }
    let (lo, hi) = wilson(hits, limits.samples);
    #[allow(clippy::cast_precision_loss)]
    let value = whole * hits as f64 / limits.samples.max(1) as f64;
    Size::Estimate { value, low: whole * lo, high: whole * hi, samples: limits.samples }
}
