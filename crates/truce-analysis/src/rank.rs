//! Percentile ranks: where a utility stands among a party's utilities of every outcome.
//!
//! The percentile rank of utility `x` for party `p` is `100 * (below + equal / 2) / outcomes`, with
//! `below` the outcomes `p` values less than `x` and `equal` those it values the same (at 12 decimals):
//! 0 for the party's worst outcome, 100 for its best when that best is unique. Counted exactly by meet
//! in the middle (both halves' partial utilities sorted once, two pointers per query), by
//! enumeration, or box by box for hyper-rectangle utilities; beyond the limits estimated from seeded
//! uniform samples, with the 95% margin.

use num_traits::ToPrimitive;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_model::Value;

use crate::count::Counter;
use crate::fixed::{KEY_DIV, Scale, key};
use crate::frontier::boxes::{self, slack};
use crate::frontier::enumerate::{Grid, utility_bound};
use crate::problem::{Additive, Problem};
use crate::{Limits, Progress};

/// A percentile rank.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rank {
    /// In `[0, 100]`.
    pub percentile: f64,
    /// Half-width of the 95% confidence interval; 0 when counted exactly.
    pub margin: f64,
}

impl Rank {
    /// Whether the rank was counted exactly.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.margin == 0.0
    }
}

/// A rank to compute: party (index among the problem's parties) and utility.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Query {
    pub(crate) party: usize,
    pub(crate) utility: f64,
}

/// The ranks of every query among all outcomes of `problem` (which should have no red lines and no
/// restrictions: ranks are among every outcome).
pub(crate) fn ranks(
    problem: &Problem<'_>,
    additive: Option<&Additive>,
    queries: &[Query],
    limits: &Limits,
    seed: u64,
    progress: &dyn Progress,
) -> Vec<Rank> {
    if queries.is_empty() {
        return Vec::new();
    }
    let n = problem.len();
    let mut out = vec![Rank { percentile: 0.0, margin: 0.0 }; queries.len()];
    match additive {
        Some(a) => {
            for p in 0..n {
                let mine: Vec<usize> = (0..queries.len()).filter(|&q| queries[q].party == p).collect();
                if mine.is_empty() {
                    continue;
                }
                let sorted: Option<Vec<_>> =
                    a.groups.iter().map(|g| Counter::new(g, &[p]).sorted(limits.counting)).collect();
                match sorted {
                    Some(halves) => {
                        let total: f64 =
                            a.groups.iter().map(|g| g.size().to_f64().unwrap_or(f64::INFINITY)).sum();
                        for q in mine {
                            let k = a.scale.key_of(queries[q].utility);
                            let at_least = |k: i64| -> f64 {
                                halves.iter().map(|h| h.at_least(k * KEY_DIV - KEY_DIV / 2) as f64).sum()
                            };
                            let (ge, gt) = (at_least(k), at_least(k + 1));
                            out[q] = exact(total - ge, ge - gt, total);
                        }
                    }
                    None => {
                        let keys = sample_additive(a, p, limits.samples, seed);
                        for q in mine {
                            out[q] = sampled(&keys, a.scale.key_of(queries[q].utility));
                        }
                    }
                }
            }
        }
        None => {
            let scale = Scale::for_bound(utility_bound(problem));
            match Grid::new(problem) {
                Some(grid) if grid.size() <= limits.enumeration => {
                    let targets: Vec<i64> = queries.iter().map(|q| scale.key_of(q.utility)).collect();
                    let counts = grid.fold(
                        || vec![(0u64, 0u64); queries.len()],
                        |acc, _, outcome| {
                            if let Some(u) = problem.utilities(outcome) {
                                for (i, q) in queries.iter().enumerate() {
                                    let k = scale.key_of(u[q.party]);
                                    if k < targets[i] {
                                        acc[i].0 += 1;
                                    } else if k == targets[i] {
                                        acc[i].1 += 1;
                                    }
                                }
                            }
                        },
                        |mut a, b| {
                            for (x, y) in a.iter_mut().zip(b) {
                                x.0 += y.0;
                                x.1 += y.1;
                            }
                            a
                        },
                        progress,
                    );
                    #[allow(clippy::cast_precision_loss)]
                    let total = grid.size() as f64;
                    for (i, (below, equal)) in counts.into_iter().enumerate() {
                        #[allow(clippy::cast_precision_loss)]
                        {
                            out[i] = exact(below as f64, equal as f64, total);
                        }
                    }
                }
                _ => {
                    let total = problem.domain.space().size_f64();
                    let mut samples: Option<Vec<Vec<i64>>> = None;
                    for (i, q) in queries.iter().enumerate() {
                        let k = scale.key_of(q.utility);
                        // Outcomes whose utility rounds below `k`, counted box by box.
                        let below = |k: i64| {
                            let test = move |iv: &[(f64, f64)], exact: bool| {
                                let (lo, hi) = iv[q.party];
                                if exact {
                                    return Some(scale.key_of(lo) < k);
                                }
                                if scale.key_of(hi + slack(hi)) < k {
                                    Some(true)
                                } else if scale.key_of(lo - slack(lo)) >= k {
                                    Some(false)
                                } else {
                                    None
                                }
                            };
                            boxes::count(problem, &test, limits.enumeration)
                        };
                        #[allow(clippy::cast_precision_loss)]
                        match (below(k), below(k + 1)) {
                            (Some(a), Some(b)) => out[i] = exact(a as f64, (b - a) as f64, total),
                            _ => {
                                let s = samples.get_or_insert_with(|| {
                                    sample_outcomes(problem, scale, limits.samples, seed)
                                });
                                out[i] = sampled(&s[q.party], k);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn exact(below: f64, equal: f64, total: f64) -> Rank {
    let percentile = if total > 0.0 { 100.0 * (below + equal / 2.0) / total } else { 0.0 };
    Rank { percentile: percentile.clamp(0.0, 100.0), margin: 0.0 }
}

/// The rank of key `k` among sorted sample keys, with the 95% margin (normal approximation, plus a
/// continuity allowance of one sample).
fn sampled(sorted: &[i64], k: i64) -> Rank {
    if sorted.is_empty() {
        return Rank { percentile: 0.0, margin: 100.0 };
    }
    let below = sorted.partition_point(|&x| x < k);
    let upto = sorted.partition_point(|&x| x <= k);
    #[allow(clippy::cast_precision_loss)]
    let (below, equal, n) = (below as f64, (upto - below) as f64, sorted.len() as f64);
    let p = (below + equal / 2.0) / n;
    let margin = 100.0 * (1.96 * (p * (1.0 - p) / n).sqrt() + 1.0 / n);
    Rank { percentile: 100.0 * p, margin }
}

/// Sorted keys of party `p`'s utility over uniform samples of the additive problem.
fn sample_additive(a: &Additive, p: usize, samples: u64, seed: u64) -> Vec<i64> {
    let sizes: Vec<f64> = a.groups.iter().map(|g| g.size().to_f64().unwrap_or(f64::INFINITY)).collect();
    let whole: f64 = sizes.iter().sum();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut keys = Vec::new();
    for (group, &size) in a.groups.iter().zip(&sizes) {
        if group.is_empty() || size == 0.0 {
            continue;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let count = ((samples as f64 * size / whole).round() as u64).max(1);
        for _ in 0..count {
            let sum: i64 =
                group.blocks.iter().map(|b| b.points.point(rng.random_range(0..b.points.len()))[p]).sum();
            keys.push(key(sum));
        }
    }
    keys.sort_unstable();
    keys
}

/// Per party, sorted keys of utilities over uniform samples of the problem's outcomes.
fn sample_outcomes(problem: &Problem<'_>, scale: Scale, samples: u64, seed: u64) -> Vec<Vec<i64>> {
    let issues = problem.domain.space().len();
    let values: Vec<Vec<Value>> = (0..issues).map(|i| problem.candidate_values(i)).collect();
    let mut keys = vec![Vec::new(); problem.len()];
    if values.iter().any(Vec::is_empty) {
        return keys;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut outcome = vec![Value::Option(0); issues];
    for _ in 0..samples {
        for (slot, v) in outcome.iter_mut().zip(&values) {
            *slot = v[rng.random_range(0..v.len())];
        }
        if let Some(u) = problem.utilities(&outcome) {
            for (k, x) in keys.iter_mut().zip(u) {
                k.push(scale.key_of(x));
            }
        }
    }
    keys.iter_mut().for_each(|k| k.sort_unstable());
    keys
}
