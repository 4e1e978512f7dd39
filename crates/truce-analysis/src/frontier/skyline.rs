//! Streaming Pareto filters: points arrive in decreasing lexicographic order of their rounded
//! utilities, and each is kept, merged with an equal predecessor, or dropped as dominated.
//!
//! In that order a point can only be dominated by points that came before it, so one pass decides
//! everything (the "sort-filter-skyline" idea of Chomicki, Godfrey, Gryz & Liang, 2003). What is
//! remembered of the kept points depends on the number of parties:
//! - 2: the largest second coordinate so far (a point is kept iff it beats it);
//! - 3: the staircase of kept `(u1, u2)` pairs in a `BTreeMap` (Kung, Luccio & Preparata, 1975);
//! - more: the kept points themselves, scanned newest first.

use std::collections::BTreeMap;

/// What became of an offered point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not dominated: a new frontier point.
    Kept,
    /// Equal (at the tie resolution) to the last kept point: its outcomes count towards that point.
    Equal,
    /// Dominated by a kept point.
    Dominated,
}

/// A streaming Pareto filter over rounded utility vectors of a fixed length.
pub(crate) struct Skyline {
    parties: usize,
    last: Vec<i64>,
    last_verdict: Option<Verdict>,
    best: i64,
    stairs: BTreeMap<i64, i64>,
    kept: Vec<i64>,
}

impl Skyline {
    /// A filter for vectors of `parties` coordinates.
    pub(crate) fn new(parties: usize) -> Self {
        Self {
            parties,
            last: vec![0; parties],
            last_verdict: None,
            best: i64::MIN,
            stairs: BTreeMap::new(),
            kept: Vec::new(),
        }
    }

    /// Offers the next point; points must arrive in non-increasing lexicographic order.
    pub(crate) fn offer(&mut self, keys: &[i64]) -> Verdict {
        debug_assert_eq!(keys.len(), self.parties);
        if let Some(previous) = self.last_verdict
            && self.last.iter().zip(keys).all(|(a, b)| a == b)
        {
            // Equal to the previous point: the same fate (a dominated point's equal is dominated).
            return if previous == Verdict::Dominated { Verdict::Dominated } else { Verdict::Equal };
        }
        let verdict = match self.parties {
            0 => Verdict::Kept,
            1 => {
                if self.last_verdict.is_none() {
                    Verdict::Kept
                } else {
                    Verdict::Dominated
                }
            }
            2 => {
                if keys[1] > self.best {
                    self.best = keys[1];
                    Verdict::Kept
                } else {
                    Verdict::Dominated
                }
            }
            3 => self.offer_3(keys[1], keys[2]),
            _ => self.offer_n(keys),
        };
        for (last, &k) in self.last.iter_mut().zip(keys) {
            *last = k;
        }
        self.last_verdict = Some(match (self.last_verdict, verdict) {
            (_, Verdict::Kept) => Verdict::Kept,
            _ => Verdict::Dominated,
        });
        verdict
    }

    fn offer_3(&mut self, a: i64, b: i64) -> Verdict {
        // The staircase maps u1 to u2, u2 strictly decreasing as u1 increases: the first step at or
        // right of `a` holds the largest u2 among kept points with u1 >= a.
        if let Some((_, &top)) = self.stairs.range(a..).next()
            && top >= b
        {
            return Verdict::Dominated;
        }
        // Remove the steps the new point covers: u1 <= a and u2 <= b.
        let covered: Vec<i64> =
            self.stairs.range(..=a).rev().take_while(|(_, v)| **v <= b).map(|(k, _)| *k).collect();
        for k in covered {
            self.stairs.remove(&k);
        }
        self.stairs.insert(a, b);
        Verdict::Kept
    }

    fn offer_n(&mut self, keys: &[i64]) -> Verdict {
        let n = self.parties;
        let dominated =
            self.kept.chunks_exact(n).rev().any(|p| p[1..].iter().zip(&keys[1..]).all(|(x, y)| x >= y));
        if dominated {
            return Verdict::Dominated;
        }
        self.kept.extend_from_slice(keys);
        Verdict::Kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parties: usize, mut points: Vec<Vec<i64>>) -> Vec<(Vec<i64>, Verdict)> {
        points.sort_by(|a, b| b.cmp(a));
        let mut s = Skyline::new(parties);
        points.into_iter().map(|p| (p.clone(), s.offer(&p))).collect()
    }

    fn brute(points: &[Vec<i64>]) -> Vec<Vec<i64>> {
        let mut out: Vec<Vec<i64>> = points
            .iter()
            .filter(|p| !points.iter().any(|q| q != *p && q.iter().zip(p.iter()).all(|(a, b)| a >= b)))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_dimension_agrees_with_a_brute_force() {
        // A fixed pseudo-random set with many ties and duplicates.
        let mut x: u64 = 12345;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) % 6) as i64
        };
        for parties in 1..=5 {
            let points: Vec<Vec<i64>> = (0..200).map(|_| (0..parties).map(|_| next()).collect()).collect();
            let result = run(parties, points.clone());
            let mut kept: Vec<Vec<i64>> =
                result.iter().filter(|(_, v)| *v == Verdict::Kept).map(|(p, _)| p.clone()).collect();
            kept.sort();
            assert_eq!(kept, brute(&points), "{parties} parties");
            for (p, v) in &result {
                if *v == Verdict::Equal {
                    assert!(kept.contains(p));
                }
            }
        }
    }
}
