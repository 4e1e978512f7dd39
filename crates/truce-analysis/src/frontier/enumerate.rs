//! Exact results by visiting every outcome, in parallel: the method for utilities without additive
//! structure (hyper-rectangles) or red lines that tie too many issues together, up to
//! [`Limits::enumeration`](crate::Limits::enumeration) outcomes.

use rayon::prelude::*;
use truce_model::{Preferences, RectangleFunction, Utility, Value};

use super::FrontierPoint;
use super::minkowski::Points;
use crate::fixed::Scale;
use crate::problem::Problem;
use crate::{Progress, Stage};

/// Outcomes per parallel work item.
const CHUNK: u64 = 1 << 16;

/// The outcomes a problem allows before red lines: the product of each issue's allowed values.
#[derive(Clone, Debug)]
pub(crate) struct Grid {
    values: Vec<Vec<Value>>,
    size: u64,
}

impl Grid {
    /// The grid of `problem`, or `None` when it has more than `u64::MAX` outcomes.
    pub(crate) fn new(problem: &Problem<'_>) -> Option<Self> {
        let values: Vec<Vec<Value>> =
            (0..problem.domain.space().len()).map(|i| problem.candidate_values(i)).collect();
        let size = values.iter().try_fold(1u64, |acc, v| acc.checked_mul(v.len() as u64))?;
        Some(Self { values, size })
    }

    /// The number of outcomes.
    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// Outcome number `index` (first issue most significant).
    pub(crate) fn decode(&self, mut index: u64, out: &mut [Value]) {
        for (slot, values) in out.iter_mut().zip(&self.values).rev() {
            let r = values.len() as u64;
            #[allow(clippy::cast_possible_truncation)]
            {
                *slot = values[(index % r) as usize];
            }
            index /= r;
        }
    }

    /// Folds `step` over every outcome in parallel chunks, then combines the chunks with `reduce`.
    pub(crate) fn fold<T: Send>(
        &self,
        identity: impl Fn() -> T + Sync + Send,
        step: impl Fn(&mut T, u64, &[Value]) + Sync + Send,
        reduce: impl Fn(T, T) -> T + Sync + Send,
        progress: &dyn Progress,
    ) -> T {
        let chunks = self.size.div_ceil(CHUNK);
        let issues = self.values.len();
        (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut acc = identity();
                let mut outcome = vec![Value::Option(0); issues];
                let end = ((c + 1) * CHUNK).min(self.size);
                for index in c * CHUNK..end {
                    self.decode(index, &mut outcome);
                    step(&mut acc, index, &outcome);
                }
                progress.advance(end - c * CHUNK);
                acc
            })
            .reduce(&identity, &reduce)
    }
}

/// The number of outcomes the problem allows before red lines, if it fits in a `u64`.
pub(crate) fn size(problem: &Problem<'_>) -> Option<u64> {
    Grid::new(problem).map(|g| g.size())
}

/// An upper bound on the magnitude of any utility of the problem, for the fixed-point scale.
pub(crate) fn utility_bound(problem: &Problem<'_>) -> f64 {
    problem.parties.iter().map(bound).fold(1.0, f64::max)
}

fn bound(prefs: &Preferences) -> f64 {
    fn function(f: &RectangleFunction) -> f64 {
        let own: f64 = f.rectangles.iter().map(|r| (r.utility * r.weight).abs()).sum();
        let children: f64 = f.children.iter().map(|c| function(c) * c.weight.abs()).sum();
        own + children
    }
    let b = match &prefs.utility {
        Utility::Additive(a) => a.issues.iter().map(|iu| iu.weight.abs()).sum(),
        Utility::Rectangles(r) if r.max_utility > 0.0 => function(&r.root) / r.max_utility,
        Utility::Rectangles(_) => 1.0,
    };
    if b.is_finite() { b } else { 1.0 }
}

/// Frontier candidates with the grid index of one outcome reaching each, kept small by pruning.
struct Collector {
    points: Points,
    index: Vec<u64>,
    pruned_at: usize,
}

impl Collector {
    fn new(parties: usize) -> Self {
        Self { points: Points::new(parties), index: Vec::new(), pruned_at: 0 }
    }

    fn push(&mut self, values: &[i64], index: u64) {
        let id = u32::try_from(self.index.len()).unwrap_or(u32::MAX);
        self.points.push(values, 1, id);
        self.index.push(index);
        if self.points.len() >= 2 * self.pruned_at.max(4096) {
            self.prune();
        }
    }

    fn prune(&mut self) {
        let mut front = self.points.pareto();
        let index: Vec<u64> = front.ids.iter().map(|&id| self.index[id as usize]).collect();
        for (k, id) in front.ids.iter_mut().enumerate() {
            *id = u32::try_from(k).unwrap_or(u32::MAX);
        }
        self.points = front;
        self.index = index;
        self.pruned_at = self.points.len();
    }

    fn merge(mut self, other: Self) -> Self {
        let offset = self.index.len();
        for i in 0..other.points.len() {
            let id = u32::try_from(offset + other.points.ids[i] as usize).unwrap_or(u32::MAX);
            self.points.push(other.points.point(i), other.points.counts[i], id);
        }
        self.index.extend(other.index);
        self.prune();
        self
    }
}

/// The exact frontier by enumeration (the problem's grid must fit in a `u64`).
pub(crate) fn frontier(problem: &Problem<'_>, progress: &dyn Progress) -> Vec<FrontierPoint> {
    let n = problem.len();
    let Some(grid) = Grid::new(problem) else { return Vec::new() };
    let scale = Scale::for_bound(utility_bound(problem));
    progress.start(Stage::Frontier, grid.size());
    let collected = grid.fold(
        || Collector::new(n),
        |acc, index, outcome| {
            if !problem.respects_red_lines(outcome) {
                return;
            }
            if let Some(u) = problem.utilities(outcome) {
                let fixed: Vec<i64> = u.iter().map(|&x| scale.to_fixed(x)).collect();
                acc.push(&fixed, index);
            }
        },
        Collector::merge,
        progress,
    );
    progress.finish();
    let mut collected = collected;
    collected.prune();
    let issues = problem.domain.space().len();
    super::finish(
        problem,
        &collected.points,
        |id| {
            let mut out = vec![Value::Option(0); issues];
            grid.decode(collected.index[id as usize], &mut out);
            out
        },
        scale,
    )
}
