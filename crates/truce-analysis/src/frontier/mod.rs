//! Pareto frontiers: exact by Minkowski combination where utilities are additive (possibly once some
//! issues are fixed); otherwise exact by enumeration up to [`Limits::enumeration`] outcomes, or by
//! branch and bound over boxes of outcomes (hyper-rectangle utilities) up to as many boxes; beyond
//! that a labelled approximation.

pub(crate) mod approximate;
pub(crate) mod boxes;
pub(crate) mod enumerate;
pub(crate) mod minkowski;
pub(crate) mod skyline;

use truce_model::Value;

use crate::fixed::{Scale, key};
use crate::problem::{Additive, NotAdditive, Problem, compile};
use crate::{AnalysisError, Limits, Progress, Stage};
use minkowski::Points;

/// How a frontier was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Exact: per-issue frontiers combined by Minkowski sums (utilities additive, possibly once the
    /// issues some beliefs depend on are fixed: one group per joint value of those issues).
    Minkowski {
        /// Additive groups combined (1 unless beliefs depend on issues).
        groups: usize,
        /// Blocks per group (issues, or issues tied by a red line).
        blocks: usize,
        /// The largest intermediate frontier, in points.
        largest_frontier: usize,
    },
    /// Exact: every outcome enumerated.
    Enumeration {
        /// Outcomes enumerated.
        outcomes: u64,
    },
    /// Exact: branch and bound over boxes of outcomes, for hyper-rectangle utilities too large to
    /// enumerate.
    BranchAndBound {
        /// Boxes visited.
        nodes: u64,
    },
    /// Approximate: the frontier of sampled outcomes improved by local search. Every point is a real
    /// outcome, but points of the true frontier may be missing and some points may be dominated by
    /// outcomes that were not found.
    Sampling {
        /// Outcomes sampled at random (seeded).
        samples: u64,
        /// Local searches run (one per direction in utility space).
        searches: u64,
        /// Why the exact methods were not used.
        reason: String,
    },
}

impl Method {
    /// Whether the frontier is exact.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        !matches!(self, Self::Sampling { .. })
    }
}

/// A point of a frontier: a utility vector, one outcome reaching it, and how many do.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    /// Every negotiator's utility, in case order, computed as the model computes it.
    pub utilities: Vec<f64>,
    /// One outcome reaching these utilities: a value per issue.
    pub outcome: Vec<Value>,
    /// How many outcomes reach these utilities (equal at 12 decimals); saturates at `u128::MAX`.
    pub count: u128,
}

/// A computed frontier.
#[derive(Clone, Debug)]
pub(crate) struct Solved {
    /// The points, in decreasing lexicographic order of utilities (first party's utility first).
    pub(crate) points: Vec<FrontierPoint>,
    /// How they were found.
    pub(crate) method: Method,
}

/// The Pareto frontier of the problem (with its red lines and restrictions).
pub(crate) fn solve(
    problem: &Problem<'_>,
    limits: &Limits,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Solved, AnalysisError> {
    solve_compiled(problem, &compile(problem, limits), limits, seed, progress)
}

/// [`solve`], for a caller that has compiled the problem already (and uses the compilation again).
pub(crate) fn solve_compiled(
    problem: &Problem<'_>,
    compiled: &Result<Additive, NotAdditive>,
    limits: &Limits,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Solved, AnalysisError> {
    let (points, method) = match compiled {
        Ok(additive) => solve_additive(problem, additive, limits, progress)?,
        Err(NotAdditive::Unscorable(reason)) => {
            return Err(AnalysisError::InvalidOutcome {
                label: "proposal terms".into(),
                reason: reason.clone(),
            });
        }
        Err(why) => {
            let reason = match why {
                NotAdditive::Utility => "utilities are not additive".to_owned(),
                NotAdditive::TooCoupled(r) | NotAdditive::Unscorable(r) => r.clone(),
            };
            match enumerate::size(problem) {
                Some(size) if size <= limits.enumeration => {
                    let points = enumerate::frontier(problem, progress);
                    (points, Method::Enumeration { outcomes: size })
                }
                _ => {
                    // Boxes first, unseeded, with a quarter of the budget; then seeded by the
                    // approximation (stronger pruning) with the whole budget; else the approximation.
                    progress.start(Stage::Frontier, 0);
                    let quick = boxes::frontier(problem, &[], limits.enumeration / 4);
                    progress.finish();
                    match quick {
                        Some((exact, nodes)) => (exact, Method::BranchAndBound { nodes }),
                        None => {
                            let (points, method) =
                                approximate::frontier(problem, limits, seed, reason, progress);
                            progress.start(Stage::Frontier, 0);
                            let seeded = boxes::frontier(problem, &points, limits.enumeration);
                            progress.finish();
                            match seeded {
                                Some((exact, nodes)) => (exact, Method::BranchAndBound { nodes }),
                                None => (points, method),
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Solved { points, method })
}

fn solve_additive(
    problem: &Problem<'_>,
    additive: &Additive,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<(Vec<FrontierPoint>, Method), AnalysisError> {
    let n = problem.len();
    let issues = problem.domain.space().len();
    let mut union = Points::new(n);
    // Per group, its combined frontier; per union point, its group and its place in that frontier.
    // Only the points left after the union's own Pareto filter are turned into outcomes.
    let mut combinations = Vec::with_capacity(additive.groups.len());
    let mut sources: Vec<(usize, usize)> = Vec::new();
    let mut largest = 0;
    let mut blocks = 0;
    progress.start(Stage::Frontier, additive.groups.len() as u64);
    for (g, group) in additive.groups.iter().enumerate() {
        blocks = blocks.max(group.blocks.len());
        if group.is_empty() {
            combinations.push(None);
            progress.advance(1);
            continue;
        }
        let reduced: Vec<Points> = group.blocks.iter().map(|b| b.points.pareto()).collect();
        let order = block_order(&reduced);
        let combined = minkowski::combine(n, &reduced, &order, limits.frontier_points).map_err(|e| {
            AnalysisError::TooLarge {
                issue: None,
                what: "the Pareto frontier".into(),
                reason: format!(
                    "an intermediate frontier reached {} points, above the limit of {}",
                    e.points, limits.frontier_points
                ),
            }
        })?;
        largest = largest.max(combined.peak);
        union.reserve(combined.front.len());
        sources.reserve(combined.front.len());
        for i in 0..combined.front.len() {
            let id = u32::try_from(sources.len()).unwrap_or(u32::MAX);
            union.push(combined.front.point(i), combined.front.counts[i], id);
            sources.push((g, i));
        }
        combinations.push(Some(combined));
        progress.advance(1);
    }
    progress.finish();
    let front = if additive.groups.len() > 1 { union.pareto() } else { union };
    let mut choices = Vec::new();
    let found = canonical_order(&front)
        .into_iter()
        .map(|i| {
            let (g, k) = sources[front.ids[i] as usize];
            let (group, combined) = (&additive.groups[g], combinations[g].as_ref());
            combined.expect("a union point comes from a combined group").choices_into(k, &mut choices);
            FrontierPoint {
                outcome: group.outcome(issues, &choices),
                utilities: group.utilities(n, &choices),
                count: front.counts[i],
            }
        })
        .collect();
    Ok((found, Method::Minkowski { groups: additive.groups.len(), blocks, largest_frontier: largest }))
}

/// Combines small blocks first: intermediate frontiers then stay small for longer. With three or
/// more coordinates, blocks that move fewer of them come first: their sums stay on a frontier of
/// lower dimension. Before either rule, a block that alone moves some coordinate comes last: the
/// sensitivity's joint frontier gives one coordinate to a single issue, every other block leaves it
/// at 0, so those combine as a two-party frontier ([`minkowski`]'s flat merge) and the issue's
/// block multiplies that frontier once, at the end.
pub(crate) fn block_order(blocks: &[Points]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    let Some(parties) = blocks.first().map(|b| b.parties).filter(|&n| n > 2) else {
        order.sort_by_key(|&b| blocks[b].len());
        return order;
    };
    let moves: Vec<Vec<bool>> = blocks
        .iter()
        .map(|b| (0..parties).map(|d| (1..b.len()).any(|c| b.point(c)[d] != b.point(0)[d])).collect())
        .collect();
    let movers: Vec<usize> = (0..parties).map(|d| moves.iter().filter(|m| m[d]).count()).collect();
    let alone = |b: usize| (0..parties).any(|d| moves[b][d] && movers[d] == 1);
    let varying = |b: usize| moves[b].iter().filter(|&&m| m).count();
    order.sort_by_key(|&b| (alone(b), varying(b), blocks[b].len()));
    order
}

/// The order frontier points are reported in: decreasing lexicographic order of rounded utilities,
/// ties in the engine's order.
fn canonical_order(front: &Points) -> Vec<usize> {
    let n = front.parties;
    let keys: Vec<i64> = front.values.iter().map(|&v| key(v)).collect();
    let mut order: Vec<usize> = (0..front.len()).collect();
    order.sort_by(|&a, &b| keys[b * n..(b + 1) * n].cmp(&keys[a * n..(a + 1) * n]));
    order
}

/// Frontier points with outcomes and utilities recomputed as the model computes them, in canonical
/// order.
pub(crate) fn finish(
    problem: &Problem<'_>,
    front: &Points,
    outcome: impl Fn(u32) -> Vec<Value>,
    scale: Scale,
) -> Vec<FrontierPoint> {
    let mut buffer = Vec::with_capacity(problem.domain.space().len());
    canonical_order(front)
        .into_iter()
        .map(|i| {
            let outcome = outcome(front.ids[i]);
            let utilities = problem
                .utilities_with(&outcome, &mut buffer)
                .unwrap_or_else(|| front.point(i).iter().map(|&v| scale.to_f64(v)).collect());
            FrontierPoint { outcome, utilities, count: front.counts[i] }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Silent;
    use crate::testkit::{brute, brute_frontier, build, key, spec};

    fn keyed(points: &[FrontierPoint]) -> Vec<(Vec<i64>, u128)> {
        let mut out: Vec<(Vec<i64>, u128)> = points.iter().map(|f| (key(&f.utilities), f.count)).collect();
        out.sort();
        out
    }

    fn check_points(problem: &Problem<'_>, points: &[FrontierPoint]) {
        for f in points {
            assert!(problem.respects_red_lines(&f.outcome), "{:?} breaks a red line", f.outcome);
            assert_eq!(problem.utilities(&f.outcome).as_deref(), Some(&f.utilities[..]));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn every_method_finds_the_brute_force_frontier(spec in spec(1..=4, 4, 1..=3, true, true)) {
            let case = build(&spec);
            let prefs = case.negotiators().map(|(_, p)| p.clone()).collect();
            let problem = Problem::unrestricted(&case.domain, prefs);
            let b = brute(&case);
            let limits = Limits { samples: 3000, ..Limits::default() };
            for problem in [problem.clone(), problem.with_all_red_lines()] {
                let keep: Vec<bool> = if problem.red_lines.is_empty() { vec![true; b.utilities.len()] } else { b.feasible.clone() };
                let expected = brute_frontier(&b, &keep);
                let exact = solve(&problem, &limits, 0, &Silent).unwrap();
                let minkowski = matches!(exact.method, Method::Minkowski { .. });
                prop_assert!(minkowski);
                check_points(&problem, &exact.points);
                prop_assert_eq!(keyed(&exact.points), expected.clone());
                let enumerated = enumerate::frontier(&problem, &Silent);
                check_points(&problem, &enumerated);
                prop_assert_eq!(keyed(&enumerated), expected.clone());
                let (approx, _) = approximate::frontier(&problem, &limits, 1, String::new(), &Silent);
                check_points(&problem, &approx);
                let approx_keys: Vec<Vec<i64>> = keyed(&approx).into_iter().map(|(k, _)| k).collect();
                let expected_keys: Vec<Vec<i64>> = expected.into_iter().map(|(k, _)| k).collect();
                prop_assert_eq!(approx_keys, expected_keys);
            }
        }
    }
}
