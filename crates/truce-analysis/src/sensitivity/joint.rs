//! The joint frontier of one issue weight for two negotiators, from parts shared by every weight.
//!
//! [`super::Along`] needs, for party `p` and issue `i`, the Pareto frontier in `(A, the other's
//! utility, B)`: `A` is `p`'s utility with its whole weight on `i`, `B` with none on it (the other
//! weights as they are). Every block but the one holding `i` adds 0 to `A` and to the other
//! coordinates exactly what it adds to the two parties' utilities, so the frontier is made of
//! - the two-party frontier of the group's other blocks, one per block of each group
//!   ([`Rests`], computed once and shared by every issue of the block and by both parties), and
//! - the choices of the issue's block, each a copy of that frontier shifted by its contribution, at
//!   the height of its `A`.
//!
//! The copies are swept in decreasing `A` against the staircase of everything kept above them: a
//! candidate is dominated exactly when a point of a higher copy is at least as good in the two other
//! coordinates, or one of its own height is. Comparisons are made on rounded keys, as everywhere in
//! the engine ([`crate::fixed`]), so equal points are kept once. This replaces a three-coordinate
//! merge per group and per weight, a filter of the groups' union, and the outcomes of every point.
//!
//! The shared parts are used only after checking that the joint problem's other blocks are, value
//! for value, the two-party problem's; otherwise the caller solves the joint problem whole.

use rayon::prelude::*;

use crate::fixed::key;
use crate::frontier::block_order;
use crate::frontier::minkowski::{self, Points};
use crate::problem::Additive;

/// Per group and per block, the two-party frontier of the group's other blocks (`None` when one of
/// them has no choice left, or the frontier outgrew the budget).
pub(crate) struct Rests {
    per_group: Vec<Vec<Option<Points>>>,
}

impl Rests {
    /// The rests of a two-party problem's groups; intermediate frontiers are held to `budget` points.
    pub(crate) fn new(two: &Additive, budget: usize) -> Self {
        let per_group = two
            .groups
            .iter()
            .map(|group| {
                // Each block reduced once, for every rest it is part of.
                let reduced: Vec<Points> = group.blocks.iter().map(|b| b.points.pareto()).collect();
                (0..reduced.len())
                    .into_par_iter()
                    .map(|j| {
                        let others: Vec<Points> = reduced
                            .iter()
                            .enumerate()
                            .filter(|&(b, _)| b != j)
                            .map(|(_, p)| p.clone())
                            .collect();
                        if others.iter().any(|b| b.len() == 0) {
                            return None;
                        }
                        let order = block_order(&others);
                        minkowski::combine(2, &others, &order, budget).ok().map(|c| c.front)
                    })
                    .collect()
            })
            .collect();
        Self { per_group }
    }
}

/// The joint frontier of party `p`'s issue `issue`, as fixed-point vectors `(A or the first party's
/// utility, ..., B)` in the joint problem's party order (`p`'s place holds `A`, the last `B`); `None`
/// when the joint problem's blocks other than the issue's are not the two-party problem's.
pub(crate) fn frontier(
    joint: &Additive,
    two: &Additive,
    rests: &Rests,
    p: usize,
    issue: usize,
) -> Option<Vec<[i64; 3]>> {
    let o = 1 - p;
    if joint.scale != two.scale || joint.groups.len() != two.groups.len() {
        return None;
    }
    // Every copy: its height (the rounded `A`), its group and its choice in the issue's block; per
    // group, the issue's block and its index.
    let mut copies: Vec<(i64, usize, usize)> = Vec::new();
    let mut blocks = Vec::with_capacity(joint.groups.len());
    for (g, (group, base)) in joint.groups.iter().zip(&two.groups).enumerate() {
        let j = group.block_of(issue);
        if group.blocks.len() != base.blocks.len() || base.block_of(issue) != j {
            return None;
        }
        // The other blocks: nothing on `A`, and the two parties' own values elsewhere.
        for (b, (mine, theirs)) in group.blocks.iter().zip(&base.blocks).enumerate() {
            if b == j {
                continue;
            }
            let (mine, theirs) = (&mine.points, &theirs.points);
            if mine.len() != theirs.len()
                || !(0..mine.len()).all(|c| {
                    let (x, y) = (mine.point(c), theirs.point(c));
                    x[p] == 0 && x[o] == y[o] && x[2] == y[p]
                })
            {
                return None;
            }
        }
        let block = &group.blocks[j].points;
        blocks.push((block, j));
        if rests.per_group[g][j].is_some() {
            copies.extend((0..block.len()).map(|c| (key(block.point(c)[p]), g, c)));
        }
    }
    copies.sort_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut out: Vec<[i64; 3]> = Vec::new();
    // Everything kept so far, as a staircase of rounded (other, B): decreasing other, increasing B.
    let mut above: Vec<(i64, i64)> = Vec::new();
    let mut level: Vec<(i64, i64, [i64; 3])> = Vec::new();
    let mut kept: Vec<(i64, i64)> = Vec::new();
    let mut start = 0;
    while start < copies.len() {
        let height = copies[start].0;
        let end = start + copies[start..].iter().take_while(|c| c.0 == height).count();
        level.clear();
        for &(_, g, c) in &copies[start..end] {
            let shift = blocks[g].0.point(c);
            let (_, j) = blocks[g];
            let Some(rest) = rests.per_group[g][j].as_ref() else { continue };
            for r in rest.values.chunks_exact(2) {
                let exact = {
                    let mut v = [0i64; 3];
                    v[p] = shift[p];
                    v[o] = shift[o] + r[o];
                    v[2] = shift[2] + r[p];
                    v
                };
                let (ko, kb) = (key(exact[o]), key(exact[2]));
                if !dominated(&above, ko, kb) {
                    level.push((ko, kb, exact));
                }
            }
        }
        // Within the level: decreasing other, then decreasing B; a point is kept when its B beats
        // every point before it (equal points: the first).
        level.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)));
        kept.clear();
        let mut best = i64::MIN;
        for &(ko, kb, exact) in &level {
            if kb > best {
                best = kb;
                kept.push((ko, kb));
                out.push(exact);
            }
        }
        above = merged(&above, &kept);
        start = end;
    }
    Some(out)
}

/// Whether a staircase point is at least `(ko, kb)` in both.
fn dominated(stairs: &[(i64, i64)], ko: i64, kb: i64) -> bool {
    // The points with other >= ko are a prefix; the last of it has the largest B.
    let m = stairs.partition_point(|s| s.0 >= ko);
    m > 0 && stairs[m - 1].1 >= kb
}

/// The staircase of two staircases together.
fn merged(a: &[(i64, i64)], b: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut all: Vec<(i64, i64)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a =
            j >= b.len() || (i < a.len() && (a[i].0 > b[j].0 || (a[i].0 == b[j].0 && a[i].1 >= b[j].1)));
        if take_a {
            all.push(a[i]);
            i += 1;
        } else {
            all.push(b[j]);
            j += 1;
        }
    }
    let mut out = Vec::with_capacity(all.len());
    let mut best = i64::MIN;
    for s in all {
        if s.1 > best {
            best = s.1;
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::frontier::solve;
    use crate::problem::{Problem, compile};
    use crate::sensitivity::Joint;
    use crate::testkit::{build, spec};
    use crate::{Limits, Silent};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// For every weight of both parties, the joint frontier made from the shared parts has the
        /// points (rounded to 12 decimals) of the joint problem solved whole; and the parts are used
        /// whenever the problem is additive.
        #[test]
        fn the_shared_joint_frontier_is_the_joint_problem_solved_whole(spec in spec(1..=4, 4, 2..=2, true, true)) {
            let case = build(&spec);
            let prefs: Vec<_> = case.negotiators().map(|(_, p)| p.clone()).collect();
            let limits = Limits::default();
            let two_problem = Problem::unrestricted(&case.domain, prefs.clone()).with_all_red_lines();
            let Ok(two) = compile(&two_problem, &limits) else { return Ok(()) };
            let rests = Rests::new(&two, limits.frontier_points);
            for p in 0..2 {
                for i in 0..case.space().len() {
                    let Some(joint) = Joint::of(&prefs, p, i) else { continue };
                    let problem = Problem::unrestricted(&case.domain, joint.parties)
                        .with_red_lines(two_problem.red_lines.clone());
                    let compiled = compile(&problem, &limits).unwrap();
                    let made = frontier(&compiled, &two, &rests, p, i);
                    prop_assert!(made.is_some(), "party {} issue {}: the shared parts were not used", p, i);
                    let mut made: Vec<Vec<i64>> =
                        made.unwrap().iter().map(|v| v.iter().map(|&x| key(x)).collect()).collect();
                    made.sort();
                    let whole = solve(&problem, &limits, 0, &Silent).unwrap();
                    let mut whole: Vec<Vec<i64>> = whole
                        .points
                        .iter()
                        .map(|f| f.utilities.iter().map(|&u| compiled.scale.key_of(u)).collect())
                        .collect();
                    whole.sort();
                    prop_assert_eq!(made, whole, "party {} issue {}", p, i);
                }
            }
        }
    }
}
