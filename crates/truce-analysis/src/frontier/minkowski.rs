//! The exact Pareto frontier of an additive problem by Minkowski combination.
//!
//! With additive utilities an outcome's utility vector is the sum of one contribution vector per
//! block (an issue, or a group of issues tied together by a red line). The Pareto set of a sum of sets
//! lies in the sum of their Pareto sets, so the frontier is built block by block,
//! `F <- ND(F + ND(B_k))`, and its size, not the size of the outcome space, bounds the work:
//! `F + B_k` is `|B_k|` shifted copies of `F`, each already in decreasing lexicographic order, so a
//! k-way merge produces the candidates in the order the streaming [`Skyline`] filter needs, with no
//! sort. Every outcome reaching a frontier vector has all its partial sums on the partial frontiers
//! (a dominated partial sum could be swapped for its dominator), so multiplying the counts of equal
//! vectors level by level counts every outcome reaching each frontier vector.
//!
//! Each level keeps one back-pointer per point (the previous point and the block choice), so any
//! frontier point can be turned back into a concrete outcome; memory is the sum of the level frontier
//! sizes.

use super::skyline::{Skyline, Verdict};
use crate::fixed::{KEY_DIV, key};

/// Utility vectors in fixed point, with how many outcomes (or block choices) reach each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Points {
    /// Coordinates per point.
    pub(crate) parties: usize,
    /// Row-major values: point `i` is `values[i * parties..(i + 1) * parties]`.
    pub(crate) values: Vec<i64>,
    /// Outcomes reaching each point (saturating at `u128::MAX`).
    pub(crate) counts: Vec<u128>,
    /// Per point, an identifier the caller chose (the block choice it stands for).
    pub(crate) ids: Vec<u32>,
}

impl Points {
    /// An empty set of vectors with `parties` coordinates.
    pub(crate) fn new(parties: usize) -> Self {
        Self { parties, ..Self::default() }
    }

    /// An empty set with room for `capacity` points.
    pub(crate) fn with_capacity(parties: usize, capacity: usize) -> Self {
        Self {
            parties,
            values: Vec::with_capacity(capacity * parties),
            counts: Vec::with_capacity(capacity),
            ids: Vec::with_capacity(capacity),
        }
    }

    /// Makes room for `more` points.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.values.reserve(more * self.parties);
        self.counts.reserve(more);
        self.ids.reserve(more);
    }

    /// The number of points.
    pub(crate) fn len(&self) -> usize {
        self.counts.len()
    }

    /// Point `i`.
    pub(crate) fn point(&self, i: usize) -> &[i64] {
        &self.values[i * self.parties..(i + 1) * self.parties]
    }

    /// Adds a point.
    pub(crate) fn push(&mut self, values: &[i64], count: u128, id: u32) {
        debug_assert_eq!(values.len(), self.parties);
        self.values.extend_from_slice(values);
        self.counts.push(count);
        self.ids.push(id);
    }

    /// The non-dominated points, equal ones merged (counts summed, the first id kept), in decreasing
    /// lexicographic order of their rounded values.
    pub(crate) fn pareto(&self) -> Points {
        let n = self.parties;
        let keys: Vec<i64> = self.values.iter().map(|&v| key(v)).collect();
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| keys[b * n..(b + 1) * n].cmp(&keys[a * n..(a + 1) * n]).then(a.cmp(&b)));
        let mut sky = Skyline::new(n);
        let mut out = Points::with_capacity(n, self.len());
        for i in order {
            match sky.offer(&keys[i * n..(i + 1) * n]) {
                Verdict::Kept => out.push(self.point(i), self.counts[i], self.ids[i]),
                Verdict::Equal => {
                    let last = out.counts.len() - 1;
                    out.counts[last] = out.counts[last].saturating_add(self.counts[i]);
                }
                Verdict::Dominated => {}
            }
        }
        out.sort_by_first();
        out
    }

    /// Sorts the points by exact first coordinate, decreasing, keeping the present order among equals.
    pub(crate) fn sort_by_first(&mut self) {
        let n = self.parties;
        if n == 0
            || self.values.chunks_exact(n).zip(self.values.chunks_exact(n).skip(1)).all(|(a, b)| a[0] >= b[0])
        {
            return;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| self.values[b * n].cmp(&self.values[a * n]));
        self.values = order.iter().flat_map(|&i| self.point(i).to_vec()).collect();
        self.counts = order.iter().map(|&i| self.counts[i]).collect();
        self.ids = order.iter().map(|&i| self.ids[i]).collect();
    }
}

/// One level of back-pointers: for each point of the level's frontier, the point of the previous
/// level it extends and the id of the block choice added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Level {
    previous: Vec<u32>,
    choice: Vec<u32>,
}

/// The frontier of a sum of blocks, with the back-pointers that turn its points into block choices.
#[derive(Clone, Debug)]
pub(crate) struct Combined {
    /// The frontier, in decreasing lexicographic order; `ids` are the point's own indices.
    pub(crate) front: Points,
    /// The block combined at each level (indices into the caller's block list).
    order: Vec<usize>,
    levels: Vec<Level>,
    /// The largest intermediate frontier.
    pub(crate) peak: usize,
}

impl Combined {
    /// The block choice ids of frontier point `i`, one per block in the caller's block order, into a
    /// buffer the caller reuses.
    pub(crate) fn choices_into(&self, i: usize, out: &mut Vec<u32>) {
        out.clear();
        out.resize(self.order.len(), 0);
        let mut at = i;
        for (level, &block) in self.levels.iter().zip(&self.order).rev() {
            out[block] = level.choice[at];
            at = level.previous[at] as usize;
        }
    }
}

/// The frontier grew past the point budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge {
    /// The size it reached.
    pub(crate) points: usize,
}

/// The Pareto frontier of `{ b_1 + ... + b_k : b_j in blocks[j] }` (each block already reduced to its
/// Pareto set by [`Points::pareto`]), combining blocks in `order`. Stops with [`TooLarge`] as soon as
/// an intermediate frontier exceeds `budget` points.
pub(crate) fn combine(
    parties: usize,
    blocks: &[Points],
    order: &[usize],
    budget: usize,
) -> Result<Combined, TooLarge> {
    let mut front = Points::new(parties);
    front.push(&vec![0; parties], 1, 0);
    let mut levels = Vec::with_capacity(order.len());
    let mut peak = 1;
    let mut scratch = Scratch::default();
    for &b in order {
        let (next, level) = merge(&front, &blocks[b], budget, &mut scratch)?;
        peak = peak.max(next.len());
        front = next;
        levels.push(level);
    }
    let len = front.len();
    front.ids = (0..len).map(|i| u32::try_from(i).unwrap_or(u32::MAX)).collect();
    Ok(Combined { front, order: order.to_vec(), levels, peak })
}

/// Working buffers of [`merge`], kept from one level to the next so that a combination allocates
/// only its results.
#[derive(Default)]
struct Scratch {
    lists: Lists,
    slab: Vec<(u32, u32)>,
    slab_keys: Vec<i64>,
    order: Vec<usize>,
    kept: Vec<(i64, usize)>,
    sum: Vec<i64>,
}

/// `ND(front + block)`: [`merge_two`] for two parties, and for three when one coordinate is the
/// same in every point of both (see [`merge_flat`]); [`merge_streamed`] otherwise.
fn merge(
    front: &Points,
    block: &Points,
    budget: usize,
    scratch: &mut Scratch,
) -> Result<(Points, Level), TooLarge> {
    if front.parties == 2 {
        return merge_two(front, block, budget, scratch);
    }
    if front.parties == 3
        && let Some(merged) = merge_flat(front, block, budget, scratch)
    {
        return Ok(merged);
    }
    merge_streamed(front, block, budget, scratch)
}

/// `ND(front + block)` for three coordinates one of which is constant in `front` and constant in
/// `block` (the sensitivity's joint frontier: the coordinate of the issue whose weight moves is 0
/// in every other issue's block), by [`merge_two`] on the other two; `None` when no coordinate is
/// constant in both, when the two left are not ordered as [`merge_two`] needs, or when the result
/// outgrows the budget (the caller's [`merge_streamed`] then says by how much).
///
/// Every sum then has the same value in that coordinate, so dominance, equality at the tie
/// resolution and the order of keys are decided by the other two, and [`merge_streamed`] gives the
/// same points, counts, representatives and order as [`merge_two`] on them: with the constant
/// first, its one slab sorted by keys yields, per rounded second coordinate, the earliest candidate
/// with the largest third, kept if that beats every earlier one; otherwise each slab yields one
/// point the same way. A test checks the two point for point.
fn merge_flat(
    front: &Points,
    block: &Points,
    budget: usize,
    scratch: &mut Scratch,
) -> Option<(Points, Level)> {
    let n = front.parties;
    if front.len() == 0 || block.len() == 0 {
        return None;
    }
    let constant = |p: &Points, d: usize| p.values.chunks_exact(n).all(|x| x[d] == p.values[d]);
    let d = (0..n).find(|&d| constant(front, d) && constant(block, d))?;
    let project = |p: &Points| {
        let mut out = Points::with_capacity(2, p.len());
        out.values.extend(p.values.chunks_exact(n).flat_map(|x| (0..n).filter(|&k| k != d).map(|k| x[k])));
        out.counts.clone_from(&p.counts);
        out.ids.clone_from(&p.ids);
        out
    };
    let (front2, block2) = (project(front), project(block));
    let sorted = |p: &Points| {
        p.values.chunks_exact(2).zip(p.values.chunks_exact(2).skip(1)).all(|(a, b)| a[0] >= b[0])
    };
    if !sorted(&front2) || !sorted(&block2) {
        return None;
    }
    let (flat, level) = merge_two(&front2, &block2, budget, scratch).ok()?;
    let c = front.values[d] + block.values[d];
    let mut out = Points::with_capacity(n, flat.len());
    for x in flat.values.chunks_exact(2) {
        let (mut it, mut row) = (x.iter(), [0i64; 3]);
        for (k, slot) in row.iter_mut().enumerate() {
            *slot = if k == d { c } else { it.next().copied().unwrap_or(0) };
        }
        out.values.extend_from_slice(&row);
    }
    out.counts = flat.counts;
    out.ids = flat.ids;
    Some((out, level))
}

/// `ND(front + block)` for two parties: [`merge_streamed`]'s k-way merge, with each slab decided at
/// once instead of sorted into the filter.
///
/// With two parties, of a slab of candidates sharing a rounded first coordinate only those with the
/// slab's largest rounded second coordinate can survive, and they are equal: the slab yields one
/// point, kept if that coordinate beats every earlier slab's. Its representative is the candidate
/// [`merge_streamed`] would offer first (the earliest front point, then block choice), and its
/// count sums theirs, so both merges give the same points; and one point per slab keeps the output
/// in decreasing exact first coordinate.
fn merge_two(
    front: &Points,
    block: &Points,
    budget: usize,
    scratch: &mut Scratch,
) -> Result<(Points, Level), TooLarge> {
    debug_assert_eq!(front.parties, 2);
    let mut sums = Sums::new(front, block, &mut scratch.lists);
    let (mut out, mut level) = output(front, block, budget);
    // The largest rounded second coordinate kept so far.
    let mut best = i64::MIN;
    // Candidates at or below it are dominated, and along each list the second coordinate grows
    // (the longer input is a frontier: decreasing first, increasing second), so a list's dominated
    // run is skipped by a search instead of being taken one candidate at a time.
    let skip = sums.long_is_a_staircase();
    while let Some(floor) = sums.slab_floor() {
        // The slab's largest rounded second coordinate, its first candidate, and their count.
        let mut slab_best = i64::MIN;
        let mut chosen = (u32::MAX, u32::MAX);
        let mut count = 0u128;
        while let Some((f, b)) = sums.pop_above(floor, skip.then_some(best)) {
            let second = key(front.values[f * 2 + 1] + block.values[b * 2 + 1]);
            #[allow(clippy::cast_possible_truncation)]
            let candidate = (f as u32, b as u32);
            if second > slab_best {
                slab_best = second;
                chosen = candidate;
                count = 0;
            }
            if second == slab_best {
                chosen = chosen.min(candidate);
                count = count.saturating_add(count_product(front.counts[f], block.counts[b]));
            }
        }
        if slab_best > best {
            best = slab_best;
            let (f, b) = (chosen.0 as usize, chosen.1 as usize);
            let (pf, pb) = (front.point(f), block.point(b));
            out.push(&[pf[0] + pb[0], pf[1] + pb[1]], count, 0);
            level.previous.push(chosen.0);
            level.choice.push(block.ids[b]);
            if out.len() > budget {
                return Err(TooLarge { points: out.len() });
            }
        }
    }
    Ok((out, level))
}

/// `ND(front + block)`, by a k-way merge of the shifted copies of the larger of the two into a
/// streaming filter.
///
/// Rounding is monotone in each coordinate but not in lexicographic order (two sums can round to the
/// same first coordinate while their exact first coordinates differ), so the merge orders candidates
/// by their exact first coordinate only, and each *slab* of candidates sharing a rounded first
/// coordinate is sorted on the rest before it meets the filter. Both inputs must be sorted by exact
/// first coordinate, decreasing; so is the output.
fn merge_streamed(
    front: &Points,
    block: &Points,
    budget: usize,
    scratch: &mut Scratch,
) -> Result<(Points, Level), TooLarge> {
    let n = front.parties;
    let Scratch { lists, slab, slab_keys, order, kept, sum } = scratch;
    let mut sums = Sums::new(front, block, lists);
    sum.clear();
    sum.resize(n, 0);
    let mut sky = Skyline::new(n);
    let (mut out, mut level) = output(front, block, budget);
    while let Some(floor) = sums.slab_floor() {
        // Collect the slab of candidates whose first coordinate rounds to the same key.
        slab.clear();
        slab_keys.clear();
        while let Some((f, b)) = sums.pop_from(floor) {
            let (pf, pb) = (front.point(f), block.point(b));
            slab_keys.extend(pf.iter().zip(pb).map(|(x, y)| key(x + y)));
            #[allow(clippy::cast_possible_truncation)]
            slab.push((f as u32, b as u32));
        }
        // Within the slab: decreasing keys, then the earlier front point and block choice first.
        order.clear();
        order.extend(0..slab.len());
        if slab.len() > 1 {
            order.sort_unstable_by(|&x, &y| {
                slab_keys[y * n..(y + 1) * n].cmp(&slab_keys[x * n..(x + 1) * n]).then(slab[x].cmp(&slab[y]))
            });
        }
        let start = out.len();
        kept.clear();
        for &i in order.iter() {
            let (f, b) = (slab[i].0 as usize, slab[i].1 as usize);
            let weight = || count_product(front.counts[f], block.counts[b]);
            match sky.offer(&slab_keys[i * n..(i + 1) * n]) {
                Verdict::Kept => {
                    let (pf, pb) = (front.point(f), block.point(b));
                    for p in 0..n {
                        sum[p] = pf[p] + pb[p];
                    }
                    kept.push((sum[0], out.len()));
                    out.push(sum, weight(), 0);
                    level.previous.push(slab[i].0);
                    level.choice.push(block.ids[b]);
                }
                Verdict::Equal => {
                    let last = out.counts.len() - 1;
                    out.counts[last] = out.counts[last].saturating_add(weight());
                }
                Verdict::Dominated => {}
            }
        }
        if out.len() > budget {
            return Err(TooLarge { points: out.len() });
        }
        // Restore the exact first-coordinate order the next merge needs.
        if kept.windows(2).any(|w| w[0].0 < w[1].0) {
            kept.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            permute_tail(&mut out, &mut level, start, kept);
        }
    }
    Ok((out, level))
}

/// The k-way merge's state, kept in [`Scratch`] between levels: per list, the position in the
/// longer input of its next sum and that sum's first coordinate; and the lists not yet exhausted,
/// as a max-heap on that coordinate.
#[derive(Default)]
struct Lists {
    at: Vec<usize>,
    first: Vec<i64>,
    heap: Vec<usize>,
}

/// The sums `front[f] + block[b]` in decreasing exact first coordinate (ties: the earlier list), by
/// a k-way merge of the shifted copies of the longer input, one list per point of the shorter:
/// fewer, longer lists.
struct Sums<'a> {
    short: &'a Points,
    long: &'a Points,
    block_is_short: bool,
    lists: &'a mut Lists,
}

impl<'a> Sums<'a> {
    fn new(front: &'a Points, block: &'a Points, lists: &'a mut Lists) -> Self {
        let block_is_short = block.len() <= front.len();
        let (short, long) = if block_is_short { (block, front) } else { (front, block) };
        lists.at.clear();
        lists.at.resize(short.len(), 0);
        lists.first.clear();
        let base = long.values.first().copied().unwrap_or(0);
        lists.first.extend((0..short.len()).map(|list| short.values[list * short.parties] + base));
        lists.heap.clear();
        if long.len() > 0 {
            lists.heap.extend(0..short.len());
        }
        let mut sums = Self { short, long, block_is_short, lists };
        for i in (0..sums.lists.heap.len() / 2).rev() {
            sums.sift_down(i);
        }
        sums
    }

    /// Where the slab of the next sum ends: the smallest first coordinate that rounds to the same
    /// key as the next sum's. Sums come in decreasing first coordinate, so the slab is every sum
    /// from the next one down to this floor. `None` when no sum is left.
    fn slab_floor(&self) -> Option<i64> {
        let &list = self.lists.heap.first()?;
        Some(key(self.lists.first[list]) * KEY_DIV - KEY_DIV / 2)
    }

    /// Takes the next sum, if its first coordinate is at least `floor`: its front point and block
    /// choice.
    fn pop_from(&mut self, floor: i64) -> Option<(usize, usize)> {
        let &list = self.lists.heap.first()?;
        if self.lists.first[list] < floor {
            return None;
        }
        let at = self.lists.at[list];
        if at + 1 < self.long.len() {
            self.lists.at[list] = at + 1;
            self.lists.first[list] =
                self.short.values[list * self.short.parties] + self.long.values[(at + 1) * self.long.parties];
        } else {
            self.lists.heap.swap_remove(0);
        }
        if !self.lists.heap.is_empty() {
            self.sift_down(0);
        }
        Some(if self.block_is_short { (at, list) } else { (list, at) })
    }

    /// Whether the longer input's second coordinate increases strictly along it (two coordinates).
    fn long_is_a_staircase(&self) -> bool {
        self.long.parties == 2
            && self
                .long
                .values
                .chunks_exact(2)
                .zip(self.long.values.chunks_exact(2).skip(1))
                .all(|(a, b)| a[1] < b[1])
    }

    /// [`Self::pop_from`], passing over every sum whose rounded second coordinate is at most
    /// `dominated` (when given): its list moves at once to its first sum above it, found by a
    /// search, as the second coordinate increases along every list ([`Self::long_is_a_staircase`]).
    fn pop_above(&mut self, floor: i64, dominated: Option<i64>) -> Option<(usize, usize)> {
        let Some(dominated) = dominated.filter(|&d| d > i64::MIN) else { return self.pop_from(floor) };
        // `key(v) > dominated` exactly when `v` reaches this.
        let above = (dominated + 1) * KEY_DIV - KEY_DIV / 2;
        loop {
            let &list = self.lists.heap.first()?;
            if self.lists.first[list] < floor {
                return None;
            }
            let at = self.lists.at[list];
            let (short_y, long_y) = (self.short.values[list * 2 + 1], self.long.values[at * 2 + 1]);
            if short_y + long_y >= above {
                return self.pop_from(floor);
            }
            // The first later sum above: a binary search over the rest of the list.
            let (mut next, mut end) = (at + 1, self.long.len());
            while next < end {
                let mid = next + (end - next) / 2;
                if short_y + self.long.values[mid * 2 + 1] < above {
                    next = mid + 1;
                } else {
                    end = mid;
                }
            }
            if next < self.long.len() {
                self.lists.at[list] = next;
                self.lists.first[list] = self.short.values[list * 2] + self.long.values[next * 2];
            } else {
                self.lists.heap.swap_remove(0);
            }
            if !self.lists.heap.is_empty() {
                self.sift_down(0);
            }
        }
    }

    /// Whether list `x` comes before list `y`: the larger head, then the lower index (deterministic).
    fn before(&self, x: usize, y: usize) -> bool {
        let first = &self.lists.first;
        first[x] > first[y] || (first[x] == first[y] && x < y)
    }

    fn sift_down(&mut self, mut i: usize) {
        let heap_len = self.lists.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= heap_len {
                return;
            }
            let heap = &self.lists.heap;
            let r = l + 1;
            let c = if r < heap_len && self.before(heap[r], heap[l]) { r } else { l };
            if self.before(heap[c], heap[i]) {
                self.lists.heap.swap(c, i);
                i = c;
            } else {
                return;
            }
        }
    }
}

/// An empty result of merging `front` and `block`, with room for a frontier twice as large as both
/// together, which it seldom outgrows.
fn output(front: &Points, block: &Points, budget: usize) -> (Points, Level) {
    let capacity =
        (2 * (front.len() + block.len())).min(front.len() * block.len()).min(budget.saturating_add(1));
    let level = Level { previous: Vec::with_capacity(capacity), choice: Vec::with_capacity(capacity) };
    (Points::with_capacity(front.parties, capacity), level)
}

/// `a * b`, saturating; counts are almost always small, and a product of two 64-bit numbers cannot
/// overflow, so the general (slow) 128-bit check is left for the rare large ones.
#[inline]
fn count_product(a: u128, b: u128) -> u128 {
    if (a | b) >> 64 == 0 { a * b } else { a.saturating_mul(b) }
}

/// Reorders points `start..` of `out` (and their back-pointers) as listed in `kept`.
fn permute_tail(out: &mut Points, level: &mut Level, start: usize, kept: &[(i64, usize)]) {
    let n = out.parties;
    let values: Vec<i64> = kept.iter().flat_map(|&(_, i)| out.point(i).to_vec()).collect();
    let counts: Vec<u128> = kept.iter().map(|&(_, i)| out.counts[i]).collect();
    let previous: Vec<u32> = kept.iter().map(|&(_, i)| level.previous[i]).collect();
    let choice: Vec<u32> = kept.iter().map(|&(_, i)| level.choice[i]).collect();
    out.values[start * n..].copy_from_slice(&values);
    out.counts[start..].copy_from_slice(&counts);
    level.previous[start..].copy_from_slice(&previous);
    level.choice[start..].copy_from_slice(&choice);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The Pareto set of random 2-party points, values near multiples of the tie resolution so that
    /// sums often tie, or round alike while differing exactly.
    fn pareto_set(raw: &[(i64, i64, u8)]) -> Points {
        let mut p = Points::new(2);
        for (id, &(a, b, c)) in raw.iter().enumerate() {
            p.push(&[a * 700_000, b * 700_000], u128::from(c) + 1, id as u32);
        }
        p.pareto()
    }

    /// The Pareto set of random 3-coordinate points whose coordinate `d` is `c` in every point.
    fn flat_set(raw: &[(i64, i64, u8)], d: usize, c: i64) -> Points {
        let mut p = Points::new(3);
        for (id, &(a, b, n)) in raw.iter().enumerate() {
            let mut row = [a * 700_000, b * 700_000];
            let mut it = row.iter_mut();
            let point: Vec<i64> = (0..3).map(|k| if k == d { c } else { *it.next().unwrap() }).collect();
            p.push(&point, u128::from(n) + 1, id as u32);
        }
        p.pareto()
    }

    proptest! {
        #[test]
        fn a_merge_with_a_constant_coordinate_agrees_with_the_general_one_point_for_point(
            front in prop::collection::vec((0i64..40, 0i64..40, 0u8..3), 1..40),
            block in prop::collection::vec((0i64..40, 0i64..40, 0u8..3), 1..12),
            d in 0usize..3,
            constants in (-3_000_000i64..3_000_000, -3_000_000i64..3_000_000),
        ) {
            let (front, block) = (flat_set(&front, d, constants.0), flat_set(&block, d, constants.1));
            let flat = merge_flat(&front, &block, usize::MAX, &mut Scratch::default());
            prop_assert!(flat.is_some(), "the constant coordinate was not used");
            let streamed = merge_streamed(&front, &block, usize::MAX, &mut Scratch::default()).unwrap();
            prop_assert_eq!(flat.unwrap(), streamed);
        }

        #[test]
        fn the_two_party_merge_agrees_with_the_general_one_point_for_point(
            front in prop::collection::vec((0i64..40, 0i64..40, 0u8..3), 1..40),
            block in prop::collection::vec((0i64..40, 0i64..40, 0u8..3), 1..12),
            budget in 1usize..60,
        ) {
            let (front, block) = (pareto_set(&front), pareto_set(&block));
            let two = merge_two(&front, &block, budget, &mut Scratch::default());
            let streamed = merge_streamed(&front, &block, budget, &mut Scratch::default());
            match (two, streamed) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "one merge stopped at the budget: {a:?} / {b:?}"),
            }
        }
    }
}
