//! A labelled approximation of the frontier, for spaces too large to enumerate whose utilities have no
//! additive structure, when the exact branch and bound over boxes ([`super::boxes`]) exceeds its
//! budget. Its points also seed that branch and bound.
//!
//! Method: [`Limits::samples`] outcomes drawn uniformly at random (seeded), plus, for hyper-rectangle
//! utilities, outcomes drawn inside every rectangle and inside intersections of random pairs of
//! rectangles (where the utility pays and uniform samples rarely land); then, for each of a fan of
//! directions `λ` in utility space, a steepest-ascent local search on `λ · u` over single-issue changes
//! started from the best sample in that direction, then one round of Pareto local search (every
//! single-issue change of every frontier point). The result is the frontier of every outcome visited:
//! each point is a real outcome with its exact utilities, but the true frontier may hold points that
//! were never visited. Reports say so.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use truce_model::{RectangleFunction, Utility, Value};

use super::minkowski::Points;
use super::{FrontierPoint, Method};
use crate::fixed::Scale;
use crate::problem::Problem;
use crate::{Limits, Progress, Stage};

/// Samples per parallel work item (each with its own seeded stream).
const CHUNK: u64 = 4096;
/// Steps of one local search at most.
const MAX_STEPS: usize = 200;

struct Pool {
    points: Points,
    outcomes: Vec<Vec<Value>>,
}

impl Pool {
    fn new(n: usize) -> Self {
        Self { points: Points::new(n), outcomes: Vec::new() }
    }

    fn add(&mut self, problem: &Problem<'_>, scale: Scale, outcome: Vec<Value>) -> Option<Vec<f64>> {
        if !problem.respects_red_lines(&outcome) {
            return None;
        }
        let u = problem.utilities(&outcome)?;
        let fixed: Vec<i64> = u.iter().map(|&x| scale.to_fixed(x)).collect();
        self.points.push(&fixed, 1, u32::try_from(self.outcomes.len()).unwrap_or(u32::MAX));
        self.outcomes.push(outcome);
        if self.outcomes.len() >= 8192 && self.outcomes.len().is_power_of_two() {
            self.prune();
        }
        Some(u)
    }

    fn prune(&mut self) {
        let mut front = self.points.pareto();
        let outcomes: Vec<Vec<Value>> =
            front.ids.iter().map(|&id| self.outcomes[id as usize].clone()).collect();
        for (k, id) in front.ids.iter_mut().enumerate() {
            *id = u32::try_from(k).unwrap_or(u32::MAX);
        }
        self.points = front;
        self.outcomes = outcomes;
    }

    fn merge(mut self, other: Self) -> Self {
        let offset = self.outcomes.len();
        for i in 0..other.points.len() {
            let id = u32::try_from(offset + other.points.ids[i] as usize).unwrap_or(u32::MAX);
            self.points.push(other.points.point(i), 1, id);
        }
        self.outcomes.extend(other.outcomes);
        self.prune();
        self
    }
}

/// The approximate frontier, and the method's description.
pub(crate) fn frontier(
    problem: &Problem<'_>,
    limits: &Limits,
    seed: u64,
    reason: String,
    progress: &dyn Progress,
) -> (Vec<FrontierPoint>, Method) {
    let n = problem.len();
    let issues = problem.domain.space().len();
    let values: Vec<Vec<Value>> = (0..issues).map(|i| problem.candidate_values(i)).collect();
    let scale = Scale::for_bound(super::enumerate::utility_bound(problem));
    if values.iter().any(Vec::is_empty) {
        return (Vec::new(), Method::Sampling { samples: 0, searches: 0, reason });
    }
    let samples = limits.samples;
    progress.start(Stage::Frontier, samples);
    let chunks = samples.div_ceil(CHUNK);
    let mut pool = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ c.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut pool = Pool::new(n);
            let end = ((c + 1) * CHUNK).min(samples);
            for _ in c * CHUNK..end {
                let outcome: Vec<Value> = values.iter().map(|v| v[rng.random_range(0..v.len())]).collect();
                pool.add(problem, scale, outcome);
            }
            progress.advance(end - c * CHUNK);
            pool
        })
        .reduce(|| Pool::new(n), Pool::merge);
    // Outcomes inside the parties' rectangles and inside intersections of two parties' rectangles:
    // where rectangle utilities pay, and where a random sample rarely lands.
    let boxes = boxes(problem);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xB0C5);
    let mut seeded = 0u64;
    for b in &boxes {
        for _ in 0..BOX_SAMPLES {
            pool.add(problem, scale, inside(&values, &[b], &mut rng));
            seeded += 1;
        }
    }
    if boxes.len() > 1 {
        for _ in 0..limits.samples.min(BOX_PAIRS) {
            let (a, b) = (&boxes[rng.random_range(0..boxes.len())], &boxes[rng.random_range(0..boxes.len())]);
            pool.add(problem, scale, inside(&values, &[a, b], &mut rng));
            seeded += 1;
        }
    }
    pool.prune();
    // Local searches along a fan of directions.
    let directions = directions(n, seed);
    let starts: Vec<Vec<Value>> = directions
        .iter()
        .filter_map(|dir| {
            (0..pool.points.len())
                .max_by(|&a, &b| {
                    let score = |i: usize| dot(dir, pool.points.point(i));
                    score(a).total_cmp(&score(b)).then(b.cmp(&a))
                })
                .map(|i| pool.outcomes[pool.points.ids[i] as usize].clone())
        })
        .collect();
    let found: Vec<Pool> = directions
        .par_iter()
        .zip(starts)
        .map(|(dir, start)| climb(problem, scale, &values, dir, start))
        .collect();
    for other in found {
        pool = pool.merge(other);
    }
    // One round of Pareto local search: every single-issue change of every frontier point.
    let neighbours: Vec<Pool> = (0..pool.points.len())
        .into_par_iter()
        .map(|i| {
            let mut local = Pool::new(n);
            let base = &pool.outcomes[pool.points.ids[i] as usize];
            for (issue, options) in values.iter().enumerate() {
                for &v in options {
                    if v != base[issue] {
                        let mut o = base.clone();
                        o[issue] = v;
                        local.add(problem, scale, o);
                    }
                }
            }
            local.prune();
            local
        })
        .collect();
    for other in neighbours {
        pool = pool.merge(other);
    }
    progress.finish();
    let outcomes = pool.outcomes.clone();
    let points = super::finish(problem, &pool.points, |id| outcomes[id as usize].clone(), scale);
    (points, Method::Sampling { samples: samples + seeded, searches: directions.len() as u64, reason })
}

/// Outcomes drawn inside each hyper-rectangle.
const BOX_SAMPLES: u64 = 8;
/// Outcomes drawn inside intersections of two random rectangles, at most.
const BOX_PAIRS: u64 = 20_000;

/// The bounds of every inclusive hyper-rectangle of every party (issue index, min, max).
fn boxes(problem: &Problem<'_>) -> Vec<Vec<(usize, f64, f64)>> {
    fn walk(f: &RectangleFunction, out: &mut Vec<Vec<(usize, f64, f64)>>) {
        for r in f.rectangles.iter().filter(|r| r.inclusive && !r.bounds.is_empty()) {
            out.push(r.bounds.iter().map(|b| (b.issue.index(), b.min, b.max)).collect());
        }
        for c in &f.children {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    for p in &problem.parties {
        if let Utility::Rectangles(r) = &p.utility {
            walk(&r.root, &mut out);
        }
    }
    out
}

/// A random outcome within the given boxes where they bound an issue (where the boxes leave no value
/// of an issue, or do not bound it, any value).
fn inside(values: &[Vec<Value>], boxes: &[&Vec<(usize, f64, f64)>], rng: &mut ChaCha8Rng) -> Vec<Value> {
    values
        .iter()
        .enumerate()
        .map(|(i, options)| {
            let within: Vec<Value> = options
                .iter()
                .copied()
                .filter(|v| {
                    let x = v.as_f64();
                    boxes
                        .iter()
                        .flat_map(|b| b.iter())
                        .filter(|(j, ..)| *j == i)
                        .all(|(_, lo, hi)| *lo <= x && x <= *hi)
                })
                .collect();
            let pool = if within.is_empty() { options } else { &within };
            pool[rng.random_range(0..pool.len())]
        })
        .collect()
}

fn dot(dir: &[f64], point: &[i64]) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    dir.iter().zip(point).map(|(d, &v)| d * v as f64).sum()
}

/// Directions in utility space: each axis, and an even fan (2 parties) or seeded random mixtures.
fn directions(n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> =
        (0..n).map(|p| (0..n).map(|q| if p == q { 1.0 } else { 0.0 }).collect()).collect();
    if n == 2 {
        for k in 1..32 {
            let t = f64::from(k) / 32.0 * std::f64::consts::FRAC_PI_2;
            out.push(vec![t.cos(), t.sin()]);
        }
    } else if n > 2 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xD1B5_4A32_D192_ED03);
        for _ in 0..32 {
            out.push((0..n).map(|_| rng.random::<f64>() + 1e-3).collect());
        }
    }
    out
}

/// Steepest ascent on `dir · u` over single-issue changes, recording every outcome visited.
fn climb(problem: &Problem<'_>, scale: Scale, values: &[Vec<Value>], dir: &[f64], start: Vec<Value>) -> Pool {
    let mut pool = Pool::new(problem.len());
    let score = |u: &[f64]| dir.iter().zip(u).map(|(d, x)| d * x).sum::<f64>();
    let Some(u) = pool.add(problem, scale, start.clone()) else { return pool };
    let mut current = (start, score(&u));
    for _ in 0..MAX_STEPS {
        let mut best: Option<(Vec<Value>, f64)> = None;
        for (issue, options) in values.iter().enumerate() {
            for &v in options {
                if v == current.0[issue] {
                    continue;
                }
                let mut o = current.0.clone();
                o[issue] = v;
                if let Some(u) = pool.add(problem, scale, o.clone()) {
                    let s = score(&u);
                    if s > current.1 + 1e-12 && best.as_ref().is_none_or(|b| s > b.1) {
                        best = Some((o, s));
                    }
                }
            }
        }
        match best {
            Some(b) => current = b,
            None => break,
        }
    }
    pool.prune();
    pool
}
