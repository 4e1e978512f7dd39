//! Exact counting of the outcomes of an additive group whose utilities reach given thresholds, by
//! meet in the middle.
//!
//! The group's blocks are split into two halves of about equal size; each half's partial utility
//! vectors are enumerated (dropping those that cannot reach the thresholds whatever the other half
//! adds), and the pairs `(x, y)` with `x + y >= t` are counted:
//! - one party: both halves made in sorted order (a merge of sorted runs per block), two pointers;
//! - two parties: the halves swept in decreasing first coordinate with a Fenwick tree over the second
//!   (offline dominance counting);
//! - three parties: CDQ divide and conquer over the first coordinate, the same sweep inside
//!   (dominance counting in `O(N log^2 N)`);
//! - more: every pair, within a budget.
//!
//! Before counting directly, the counter looks for conditions to turn around: when few outcomes fail
//! them (two opposed parties each asking a moderate utility rarely both go without), it counts those
//! and subtracts, by inclusion and exclusion ([`Counter::at_least`]). The halves that can fail are
//! then small, and the terms with fewer conditions are cheaper counts of their own.
//!
//! Each half holds at most [`Limits::counting`](crate::Limits::counting) vectors, so spaces of up to
//! about its square are counted exactly; beyond that the caller estimates.

use num_bigint::{BigInt, BigUint};
use num_traits::{Signed, Zero};
use rayon::slice::ParallelSliceMut;

use crate::frontier::minkowski::Points;
use crate::problem::Group;

/// Pair budget for four or more parties.
const PAIR_BUDGET: u128 = 200_000_000;

/// A counted condition is turned around (see [`Counter::at_least`]) only when the turned-around
/// condition's halves hold at most `1 / FLIP_SHARE` of the vectors the halves could hold: past that
/// the direct count is as quick, and trying costs at most that share of an enumeration per attempt.
const FLIP_SHARE: u64 = 8;

/// Halves that could hold fewer vectors than this together are counted directly and made on the
/// calling thread: handing them to another thread, or trying other ways, costs more than the count.
const SMALL: u64 = 1 << 16;

/// The per-party columns of a group's blocks the count is about.
pub(crate) struct Counter<'a> {
    blocks: Vec<&'a Points>,
    columns: Vec<usize>,
}

/// The blocks of each half of a meet in the middle, and the vectors both halves hold together before
/// pruning (the product of each half's choices, added).
struct Split {
    left: Vec<usize>,
    right: Vec<usize>,
    unpruned: u64,
}

/// One condition on an outcome's sums: party column `column`'s sum at least `threshold`, or (when
/// `below`) less than it.
#[derive(Clone, Copy, Debug)]
struct Axis {
    column: usize,
    below: bool,
    threshold: i64,
}

impl Axis {
    /// The opposite condition.
    fn flipped(self) -> Self {
        Self { below: !self.below, ..self }
    }

    /// The value this axis compares: the sum, or its negation for `below` (`s < t` is `-s >= 1 - t`).
    fn signed(self, v: i64) -> i64 {
        if self.below { -v } else { v }
    }

    /// The threshold the signed sum must reach.
    fn signed_threshold(self) -> i64 {
        if self.below { 1 - self.threshold } else { self.threshold }
    }
}

/// The blocks' values along some axes, contiguous per block: choice `c`'s values are
/// `blocks[b][c * dims..(c + 1) * dims]`, each signed so that every condition reads "at least".
struct View {
    blocks: Vec<Vec<i64>>,
    dims: usize,
    thresholds: Vec<i64>,
}

impl View {
    fn new(counter: &Counter<'_>, axes: &[Axis]) -> Self {
        let blocks = counter
            .blocks
            .iter()
            .map(|b| {
                (0..b.len()).flat_map(|c| axes.iter().map(move |a| a.signed(b.point(c)[a.column]))).collect()
            })
            .collect();
        Self { blocks, dims: axes.len(), thresholds: axes.iter().map(|a| a.signed_threshold()).collect() }
    }

    fn choices(&self, block: usize) -> usize {
        self.blocks[block].len() / self.dims.max(1)
    }

    /// Per dimension, the smallest and largest sum the blocks in `which` can reach.
    fn range(&self, which: &[usize]) -> (Vec<i64>, Vec<i64>) {
        let k = self.dims;
        let mut lo = vec![0i64; k];
        let mut hi = vec![0i64; k];
        for &b in which {
            for d in 0..k {
                let col = self.blocks[b].iter().skip(d).step_by(k.max(1)).copied();
                lo[d] += col.clone().min().unwrap_or(0);
                hi[d] += col.max().unwrap_or(0);
            }
        }
        (lo, hi)
    }

    /// Every partial sum of the blocks in `which` that can still reach the thresholds with at most
    /// `other_hi` from the other half; flattened, `dims` values per vector, and in increasing order
    /// for one dimension. `None` past `limit` vectors at any step.
    fn half(&self, which: &[usize], other_hi: &[i64], limit: u64) -> Option<Vec<i64>> {
        let k = self.dims;
        let mut sums: Vec<i64> = vec![0; k];
        let mut need = vec![0i64; k];
        for (j, &b) in which.iter().enumerate() {
            let (_, rest_hi) = self.range(&which[j + 1..]);
            for d in 0..k {
                need[d] = self.thresholds[d].saturating_sub(rest_hi[d]).saturating_sub(other_hi[d]);
            }
            let block = &self.blocks[b];
            let room =
                usize::try_from(limit).unwrap_or(usize::MAX).saturating_add(1).saturating_mul(k.max(1));
            let mut next = Vec::with_capacity((sums.len() * self.choices(b)).min(room));
            if k == 1 {
                // One dimension: the sums come out sorted. `sums` is sorted, so each value's shifted
                // copy is a sorted run whose reachable part is a suffix; the runs are appended and
                // merged by the standard sort, which finds and merges runs (about `n log runs`).
                let mut values = block.clone();
                values.sort_unstable();
                for &v in &values {
                    let from = sums.partition_point(|&s| s + v < need[0]);
                    next.extend(sums[from..].iter().map(|&s| s + v));
                    if next.len() as u64 > limit {
                        return None;
                    }
                }
                next.sort();
            } else {
                for s in sums.chunks_exact(k) {
                    for v in block.chunks_exact(k) {
                        if (0..k).all(|d| s[d] + v[d] >= need[d]) {
                            next.extend((0..k).map(|d| s[d] + v[d]));
                        }
                    }
                    if (next.len() / k) as u64 > limit {
                        return None;
                    }
                }
            }
            sums = next;
        }
        Some(sums)
    }

    /// Both halves of `split`, or `None` when either passes `limit` vectors.
    fn halves(&self, split: &Split, limit: u64) -> Option<(Vec<i64>, Vec<i64>)> {
        let (left, right) = (split.left.as_slice(), split.right.as_slice());
        let (_, right_hi) = self.range(right);
        let (_, left_hi) = self.range(left);
        let (l, r) = if split.unpruned < SMALL {
            (self.half(left, &right_hi, limit), self.half(right, &left_hi, limit))
        } else {
            rayon::join(|| self.half(left, &right_hi, limit), || self.half(right, &left_hi, limit))
        };
        Some((l?, r?))
    }

    /// The number of pairs of the halves whose sums reach every threshold; `None` past the pair
    /// budget (four or more dimensions).
    fn pairs(&self, l: Vec<i64>, r: Vec<i64>) -> Option<u128> {
        let k = self.dims;
        let t = &self.thresholds;
        Some(match k {
            0 => 1,
            1 => count_sorted(&l, &r, t[0]),
            2 => count_2(&l, &r, t),
            3 => count_3(&l, &r, t),
            _ => {
                let (nl, nr) = (l.len() / k, r.len() / k);
                if (nl as u128) * (nr as u128) > PAIR_BUDGET {
                    return None;
                }
                let mut c = 0u128;
                for x in l.chunks_exact(k) {
                    for y in r.chunks_exact(k) {
                        c += u128::from((0..k).all(|d| x[d] + y[d] >= t[d]));
                    }
                }
                c
            }
        })
    }
}

impl<'a> Counter<'a> {
    /// A counter over `group` for the parties in `columns`.
    pub(crate) fn new(group: &'a Group, columns: &[usize]) -> Self {
        Self { blocks: group.blocks.iter().map(|b| &b.points).collect(), columns: columns.to_vec() }
    }

    /// The number of outcomes.
    pub(crate) fn size(&self) -> BigUint {
        self.blocks.iter().fold(BigUint::from(1u32), |acc, b| acc * b.len())
    }

    /// How many outcomes have every sum at least its threshold; `None` when the halves would exceed
    /// `limit` vectors (or the pairs the budget, past three parties).
    ///
    /// When the outcomes that fail some of the conditions are much fewer than those that meet them
    /// (two opposed parties each demanding a moderate utility: few outcomes fail both), those are
    /// counted instead, by inclusion and exclusion: with `F` the conditions turned around,
    /// `#(all hold) = sum over G within F of (-1)^|G| #(G fail, F \ G ignored, the rest hold)`.
    /// The term where all of `F` fails has the small halves; the others have fewer conditions, and
    /// one condition is a sort and a two-pointer sweep.
    pub(crate) fn at_least(&self, thresholds: &[i64], limit: u64) -> Option<BigUint> {
        let axes: Vec<Axis> = self
            .columns
            .iter()
            .zip(thresholds)
            .map(|(&column, &threshold)| Axis { column, below: false, threshold })
            .collect();
        self.count(&axes, limit).map(|n| n.magnitude().clone())
    }

    fn count(&self, axes: &[Axis], limit: u64) -> Option<BigInt> {
        if self.blocks.iter().any(|b| b.len() == 0) {
            return Some(BigInt::zero());
        }
        let view = View::new(self, axes);
        let k = view.dims;
        let all: Vec<usize> = (0..self.blocks.len()).collect();
        let (lo, hi) = view.range(&all);
        if (0..k).any(|d| hi[d] < view.thresholds[d]) {
            return Some(BigInt::zero());
        }
        if (0..k).all(|d| lo[d] >= view.thresholds[d]) {
            return Some(self.size().into());
        }
        let split = self.split(limit)?;
        if k >= 2
            && split.unpruned >= SMALL
            && let Some(n) = self.count_turned(axes, &split, split.unpruned / FLIP_SHARE, limit)
        {
            return Some(n);
        }
        let (l, r) = view.halves(&split, limit)?;
        view.pairs(l, r).map(BigInt::from)
    }

    /// The count by inclusion and exclusion over the cheapest set of conditions to turn around (see
    /// [`Self::at_least`]); `None` when no set's halves hold at most `budget` vectors or a term is
    /// past the limits (the direct count is then made).
    fn count_turned(&self, axes: &[Axis], split: &Split, budget: u64, limit: u64) -> Option<BigInt> {
        let (flip, view, l, r) = self.cheapest_flip(axes, split, budget)?;
        let mut total = BigInt::from(view.pairs(l, r)?);
        if flip.count_ones() % 2 == 1 {
            total = -total;
        }
        // Every proper subset G of F: G turned around, F \ G dropped.
        let mut g = (flip - 1) & flip;
        loop {
            let sub: Vec<Axis> = (0..axes.len())
                .filter(|&d| flip & (1 << d) == 0 || g & (1 << d) != 0)
                .map(|d| if g & (1 << d) != 0 { axes[d].flipped() } else { axes[d] })
                .collect();
            let term = self.count(&sub, limit)?;
            total += if g.count_ones() % 2 == 1 { -term } else { term };
            if g == 0 {
                break;
            }
            g = (g - 1) & flip;
        }
        debug_assert!(!total.is_negative(), "a count is never negative");
        Some(total)
    }

    /// Of the ways to turn some conditions around, the one whose fully turned term has the fewest
    /// vectors in its halves, if any has at most `budget`: the set (a bit per axis), its view and
    /// its halves.
    fn cheapest_flip(
        &self,
        axes: &[Axis],
        split: &Split,
        budget: u64,
    ) -> Option<(u32, View, Vec<i64>, Vec<i64>)> {
        let k = axes.len();
        let mut best: Option<(u32, View, Vec<i64>, Vec<i64>)> = None;
        let mut cap = budget;
        for flip in 1..(1u32 << k) {
            let turned: Vec<Axis> =
                (0..k).map(|d| if flip & (1 << d) != 0 { axes[d].flipped() } else { axes[d] }).collect();
            let view = View::new(self, &turned);
            if let Some((l, r)) = view.halves(split, cap) {
                let vectors = ((l.len() + r.len()) / k) as u64;
                if vectors <= cap {
                    cap = vectors.saturating_sub(1);
                    best = Some((flip, view, l, r));
                }
            }
        }
        best
    }

    /// For one party: both halves' partial sums, sorted once, for many thresholds.
    pub(crate) fn sorted(&self, limit: u64) -> Option<Sorted> {
        debug_assert_eq!(self.columns.len(), 1);
        let split = self.split(limit)?;
        let open = Axis { column: self.columns[0], below: false, threshold: i64::MIN / 4 };
        let view = View::new(self, &[open]);
        let (left, right) = view.halves(&split, limit)?;
        Some(Sorted { left, right })
    }

    /// Blocks split into two halves whose products are as even as possible, both at most `limit`.
    fn split(&self, limit: u64) -> Option<Split> {
        let mut order: Vec<usize> = (0..self.blocks.len()).collect();
        order.sort_by_key(|&b| std::cmp::Reverse(self.blocks[b].len()));
        let (mut left, mut right) = (Vec::new(), Vec::new());
        let (mut pl, mut pr) = (1u64, 1u64);
        for b in order {
            let size = self.blocks[b].len() as u64;
            if pl <= pr {
                pl = pl.checked_mul(size)?;
                left.push(b);
            } else {
                pr = pr.checked_mul(size)?;
                right.push(b);
            }
        }
        (pl <= limit && pr <= limit).then_some(Split { left, right, unpruned: pl + pr })
    }
}

/// One party's partial sums of both halves, sorted.
pub(crate) struct Sorted {
    left: Vec<i64>,
    right: Vec<i64>,
}

impl Sorted {
    /// How many outcomes reach at least `t`.
    pub(crate) fn at_least(&self, t: i64) -> u128 {
        count_sorted(&self.left, &self.right, t)
    }
}

/// Pairs with `x + y >= t` from sorted halves, by two pointers.
fn count_sorted(l: &[i64], r: &[i64], t: i64) -> u128 {
    // For x increasing, the first y with x + y >= t moves left.
    let mut j = r.len();
    let mut count = 0u128;
    for &x in l {
        while j > 0 && x + r[j - 1] >= t {
            j -= 1;
        }
        count += (r.len() - j) as u128;
    }
    count
}

/// A Fenwick tree counting values at or above a rank.
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Self { tree: vec![0; n + 1] }
    }

    /// Adds one at `rank` (0-based, ranks counted from the largest value).
    fn add(&mut self, rank: usize) {
        let mut i = rank + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// How many were added at ranks `0..=rank`.
    fn prefix(&self, rank: usize) -> u64 {
        let mut i = rank + 1;
        let mut s = 0;
        while i > 0 {
            s += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        s
    }

    fn clear_at(&mut self, rank: usize) {
        let mut i = rank + 1;
        while i < self.tree.len() {
            self.tree[i] = 0;
            i += i & i.wrapping_neg();
        }
    }
}

/// Pairs with `x + y >= t` in both coordinates: points `y` dominating queries `t - x`.
fn count_2(l: &[i64], r: &[i64], t: &[i64]) -> u128 {
    let points: Vec<[i64; 2]> = r.chunks_exact(2).map(|y| [y[0], y[1]]).collect();
    let queries: Vec<[i64; 2]> = l.chunks_exact(2).map(|x| [t[0] - x[0], t[1] - x[1]]).collect();
    dominance_2(&points, &queries)
}

/// For 2-D points and queries, the number of (point, query) pairs with point >= query in both.
///
/// Sweep in decreasing first coordinate with a Fenwick tree over the ranks of the second. The ranks
/// come from one sort of points and queries together (points first on ties, so that a query counts
/// the points equal to it), and every sort moves the values themselves: on tens of millions of
/// vectors a binary search or an indirect comparison per element costs a cache miss each.
fn dominance_2(points: &[[i64; 2]], queries: &[[i64; 2]]) -> u128 {
    let mut by_y: Vec<(i64, bool, usize)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (p[1], false, i))
        .chain(queries.iter().enumerate().map(|(i, q)| (q[1], true, i)))
        .collect();
    // Small inputs are sorted on the calling thread (see [`SMALL`]).
    let small = ((points.len() + queries.len()) as u64) < SMALL;
    let by_y_order = |a: &(i64, bool, usize), b: &(i64, bool, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if small {
        by_y.sort_unstable_by(by_y_order);
    } else {
        by_y.par_sort_unstable_by(by_y_order);
    }
    // A point's rank among the distinct second coordinates of points, largest first; for a query,
    // how many of those are at least its own.
    let mut point_rank = vec![0usize; points.len()];
    let mut query_rank = vec![0usize; queries.len()];
    let (mut distinct, mut last) = (0usize, None);
    for &(y, is_query, i) in &by_y {
        if is_query {
            query_rank[i] = distinct;
        } else {
            if last != Some(y) {
                distinct += 1;
                last = Some(y);
            }
            point_rank[i] = distinct - 1;
        }
    }
    drop(by_y);
    let decreasing = |a: &(i64, usize), b: &(i64, usize)| b.0.cmp(&a.0);
    let mut ps: Vec<(i64, usize)> = points.iter().zip(point_rank).map(|(p, r)| (p[0], r)).collect();
    let mut qs: Vec<(i64, usize)> = queries.iter().zip(query_rank).map(|(q, r)| (q[0], r)).collect();
    if small {
        ps.sort_unstable_by(decreasing);
        qs.sort_unstable_by(decreasing);
    } else {
        rayon::join(|| ps.par_sort_unstable_by(decreasing), || qs.par_sort_unstable_by(decreasing));
    }
    let mut tree = Fenwick::new(distinct);
    let mut i = 0;
    let mut count = 0u128;
    for (a, k) in qs {
        while i < ps.len() && ps[i].0 >= a {
            tree.add(ps[i].1);
            i += 1;
        }
        if k > 0 {
            count += u128::from(tree.prefix(k - 1));
        }
    }
    count
}

/// Pairs with `x + y >= t` in three coordinates, by CDQ divide and conquer over the first.
fn count_3(l: &[i64], r: &[i64], t: &[i64]) -> u128 {
    // Elements: (coordinates, is_query). Sorted by first coordinate decreasing, points before
    // queries on ties, so that a point can only count for queries after it.
    let mut items: Vec<([i64; 3], bool)> = r.chunks_exact(3).map(|y| ([y[0], y[1], y[2]], false)).collect();
    items.extend(l.chunks_exact(3).map(|x| ([t[0] - x[0], t[1] - x[1], t[2] - x[2]], true)));
    items.sort_unstable_by(|a, b| b.0[0].cmp(&a.0[0]).then(a.1.cmp(&b.1)));
    let mut zs: Vec<i64> = items.iter().filter(|i| !i.1).map(|i| i.0[2]).collect();
    zs.sort_unstable_by(|a, b| b.cmp(a));
    zs.dedup();
    let mut tree = Fenwick::new(zs.len());
    let mut scratch = Vec::with_capacity(items.len());
    cdq(&mut items, &zs, &mut tree, &mut scratch)
}

/// Counts pairs (point before query in `items`) with point >= query in the 2nd and 3rd coordinates,
/// and leaves `items` sorted by the 2nd coordinate decreasing (points first on ties).
fn cdq(
    items: &mut [([i64; 3], bool)],
    zs: &[i64],
    tree: &mut Fenwick,
    scratch: &mut Vec<([i64; 3], bool)>,
) -> u128 {
    if items.len() <= 1 {
        return 0;
    }
    let mid = items.len() / 2;
    let mut count = {
        let (left, right) = items.split_at_mut(mid);
        cdq(left, zs, tree, scratch) + cdq(right, zs, tree, scratch)
    };
    // Left points count for right queries: merge by 2nd coordinate decreasing.
    let rank_at_least = |v: i64| zs.partition_point(|&z| z >= v);
    scratch.clear();
    let (mut i, mut j) = (0, mid);
    let mut added = Vec::new();
    while i < mid || j < items.len() {
        let take_left = j >= items.len()
            || (i < mid
                && (items[i].0[1] > items[j].0[1] || (items[i].0[1] == items[j].0[1] && !items[i].1)));
        if take_left {
            let item = items[i];
            if !item.1 {
                let rank = rank_at_least(item.0[2]) - 1;
                tree.add(rank);
                added.push(rank);
            }
            scratch.push(item);
            i += 1;
        } else {
            let item = items[j];
            if item.1 {
                let k = rank_at_least(item.0[2]);
                if k > 0 {
                    count += u128::from(tree.prefix(k - 1));
                }
            }
            scratch.push(item);
            j += 1;
        }
    }
    for rank in added {
        tree.clear_at(rank);
    }
    items.copy_from_slice(scratch);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(l: &[i64], r: &[i64], t: &[i64]) -> u128 {
        let k = t.len();
        let mut c = 0;
        for x in l.chunks_exact(k) {
            for y in r.chunks_exact(k) {
                c += u128::from((0..k).all(|d| x[d] + y[d] >= t[d]));
            }
        }
        c
    }

    /// Every outcome of blocks `blocks` (points of `k` coordinates), counted one by one.
    fn brute_outcomes(blocks: &[Points], t: &[i64]) -> u128 {
        let mut sums: Vec<Vec<i64>> = vec![vec![0; t.len()]];
        for b in blocks {
            sums = sums
                .iter()
                .flat_map(|s| {
                    (0..b.len()).map(move |c| s.iter().zip(b.point(c)).map(|(x, y)| x + y).collect())
                })
                .collect();
        }
        sums.iter().filter(|s| s.iter().zip(t).all(|(x, t)| x >= t)).count() as u128
    }

    proptest::proptest! {
        /// The direct count, and the count through each set of conditions turned around, equal the
        /// count of every outcome; so does `at_least`, whichever way it takes.
        #[test]
        fn turned_around_counts_agree_with_every_outcome(
            k in 1usize..=3,
            sizes in proptest::collection::vec(1usize..5, 1..6),
            seed in 0u64..1_000_000,
            cut in proptest::collection::vec(-20i64..20, 3),
        ) {
            let mut s = seed;
            let mut next = || {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((s >> 33) % 9) as i64 - 2
            };
            let blocks: Vec<Points> = sizes
                .iter()
                .map(|&n| {
                    let mut p = Points::new(k);
                    for c in 0..n {
                        let v: Vec<i64> = (0..k).map(|_| next()).collect();
                        p.push(&v, 1, c as u32);
                    }
                    p
                })
                .collect();
            let t: Vec<i64> = cut[..k].iter().map(|c| c / 3 + sizes.len() as i64).collect();
            let counter = Counter { blocks: blocks.iter().collect(), columns: (0..k).collect() };
            let expected = brute_outcomes(&blocks, &t);
            let axes: Vec<Axis> =
                (0..k).map(|d| Axis { column: d, below: false, threshold: t[d] }).collect();
            let split = counter.split(u64::MAX).unwrap();
            for budget in [0, u64::MAX] {
                if let Some(n) = counter.count_turned(&axes, &split, budget, u64::MAX) {
                    proptest::prop_assert_eq!(n, BigInt::from(expected), "budget {}", budget);
                }
            }
            if k >= 2 {
                proptest::prop_assert!(counter.count_turned(&axes, &split, u64::MAX, u64::MAX).is_some());
            }
            proptest::prop_assert_eq!(counter.at_least(&t, u64::MAX), Some(BigUint::from(expected)));
        }
    }

    #[test]
    fn pair_counts_agree_with_every_pair() {
        let mut s: u64 = 99;
        let mut next = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 33) % 7) as i64
        };
        for k in 1..=3 {
            for _ in 0..30 {
                let l: Vec<i64> = (0..k * 40).map(|_| next()).collect();
                let r: Vec<i64> = (0..k * 33).map(|_| next()).collect();
                let t: Vec<i64> = (0..k).map(|_| next() + 3).collect();
                let fast = match k {
                    1 => {
                        let (mut l, mut r) = (l.clone(), r.clone());
                        l.sort_unstable();
                        r.sort_unstable();
                        count_sorted(&l, &r, t[0])
                    }
                    2 => count_2(&l, &r, &t),
                    _ => count_3(&l, &r, &t),
                };
                assert_eq!(fast, brute(&l, &r, &t), "{k} dimensions");
            }
        }
    }
}
