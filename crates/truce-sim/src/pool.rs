//! Outcome pools: one party's outcomes sorted from best to worst, the structure every agent searches.
//!
//! Agents never enumerate the outcome space themselves. Each party gets a pool, built once per
//! scenario and shared read-only (an [`Arc`](std::sync::Arc)) by every negotiation that uses it:
//!
//! - **Exhaustive** when the space has at most [`EXHAUSTIVE_LIMIT`] outcomes (every ANAC 2010-2013
//!   domain): every outcome that breaks none of the party's red lines, by utility, best first, ties in
//!   outcome-index order.
//! - **Sampled** above that: up to [`SAMPLE_STARTS`] seeded random outcomes (within an
//!   [`EVALUATION_BUDGET`]), each followed by coordinate
//!   ascent on the party's utility (change the one issue that gains most, repeatedly), keeping every
//!   outcome visited. The ascent ends at local optima, so the pool covers the high-utility end that
//!   negotiations are about as well as the middle; for additive utilities, where coordinate ascent
//!   reaches the optimum, the best outcome is exact. The pool is then deduplicated and sorted like an
//!   exhaustive one. It is a subset: agents offer valid outcomes, but not necessarily the very closest
//!   to a target utility. Its memory is bounded by [`MAX_POOL_CELLS`] issue values, whatever the
//!   number of issues.
//!
//! Searching is by utility: [`OutcomePool::at_least`] finds the outcomes at or above a target with a
//! binary search, so a per-round decision costs `O(log n)` whatever the space.
//!
//! Scoring any outcome: for an additive utility without phase weighting, the pool keeps the
//! contribution tables it was sorted by ([`OutcomePool::utility_of`]: a sum of lookups, the same
//! number [`Preferences::utility`] computes, value function by value function), which the agents
//! ([`PartyView::utility`](crate::PartyView::utility)) and the engine's checks score offers with.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_model::{Domain, Preferences};

/// Spaces up to this many outcomes get an exhaustive pool.
pub const EXHAUSTIVE_LIMIT: u64 = 1 << 20;

/// How many random starting points a sampled pool climbs from, at most.
pub const SAMPLE_STARTS: usize = 4096;

/// Full utility evaluations (nonlinear utilities; additive ones are evaluated incrementally and not
/// counted) a sampled pool may spend; once spent, no new climb starts (but at least
/// [`MIN_STARTS`] are made). Keeps pools of slow, nonlinear utilities to about a second.
pub const EVALUATION_BUDGET: u64 = 2_000_000;

/// Climbs a sampled pool always makes (unless [`MAX_POOL_CELLS`] is reached first).
pub const MIN_STARTS: usize = 64;

/// The most issue values a sampled pool holds (outcomes times issues: 2^24, 64 MiB of digits), so
/// that its memory is bounded whatever the number of issues: 300 boolean issues keep some 55,000
/// outcomes, 10,000 keep about 1,700. Once reached, the climb under way runs to its end (its last
/// outcome, the optimum for an additive utility, is kept) and no new climb starts.
pub const MAX_POOL_CELLS: usize = 1 << 24;

/// One party's outcomes, best first.
#[derive(Clone, Debug)]
pub struct OutcomePool {
    issues: usize,
    digits: Vec<u32>,
    utilities: Vec<f64>,
    exhaustive: bool,
    /// The party's contribution tables ([`fast_tables`]), when it has them and they hold at most
    /// [`MAX_KEPT_VALUES`] numbers.
    tables: Option<Vec<Vec<f64>>>,
}

impl OutcomePool {
    /// The pool of `prefs` over `domain`; `seed` drives the sample when the space is too large to
    /// enumerate (and is unused otherwise).
    #[must_use]
    pub fn build(domain: &Domain, prefs: &Preferences, seed: u64) -> Self {
        let space = domain.space();
        let issues = space.len();
        let exhaustive = space.size_u64().is_some_and(|n| n <= EXHAUSTIVE_LIMIT);
        let tables = fast_tables(domain, prefs);
        if exhaustive {
            // Outcomes come in index (lexicographic) order, each once: sorting their numbers by
            // utility, ties by that order, gives the order below without moving an outcome.
            let mut found = Vec::new();
            let mut scored: Vec<(f64, usize)> = Vec::new();
            let mut cursor = space.outcomes();
            while let Some(outcome) = cursor.next() {
                if prefs.broken_red_lines(domain, outcome).next().is_some() {
                    continue;
                }
                let u = match &tables {
                    Some(t) => outcome.iter().zip(t).map(|(&d, row)| row[d as usize]).sum(),
                    None => prefs.utility(domain, outcome),
                };
                scored.push((u, scored.len()));
                found.extend_from_slice(outcome);
            }
            scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut digits = Vec::with_capacity(found.len());
            for &(_, k) in &scored {
                digits.extend_from_slice(&found[k * issues..(k + 1) * issues]);
            }
            let utilities = scored.into_iter().map(|(u, _)| u).collect();
            return Self { issues, digits, utilities, exhaustive, tables: kept(tables) };
        }
        let mut entries = sample(domain, prefs, tables.as_deref(), seed);
        // Best first; ties in lexicographic (outcome-index) order, so pools are reproducible.
        entries.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        entries.dedup_by(|a, b| a.1 == b.1);
        let mut digits = Vec::with_capacity(entries.len() * issues);
        let mut utilities = Vec::with_capacity(entries.len());
        for (u, o) in entries {
            utilities.push(u);
            digits.extend_from_slice(&o);
        }
        Self { issues, digits, utilities, exhaustive, tables: kept(tables) }
    }

    /// The party's utility of any grid outcome, by its contribution tables: the same number as
    /// [`Preferences::utility`] for the preferences the pool was built from. `None` when the pool
    /// keeps no tables (a utility that is not additive, phase weighting, tables of more than
    /// [`MAX_KEPT_VALUES`] numbers) or `outcome` has a value off an issue's grid.
    #[must_use]
    pub fn utility_of(&self, outcome: &[u32]) -> Option<f64> {
        let tables = self.tables.as_ref()?;
        outcome.iter().zip(tables).map(|(&d, row)| row.get(d as usize).copied()).sum()
    }

    /// How many outcomes the pool holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.utilities.len()
    }

    /// Whether the pool is empty (every outcome breaks a red line).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.utilities.is_empty()
    }

    /// Whether the pool holds every outcome that breaks no red line.
    #[must_use]
    pub fn is_exhaustive(&self) -> bool {
        self.exhaustive
    }

    /// The `rank`-th best outcome (0 is the best).
    ///
    /// # Panics
    /// If `rank >= len()`.
    #[must_use]
    pub fn outcome(&self, rank: usize) -> &[u32] {
        &self.digits[rank * self.issues..(rank + 1) * self.issues]
    }

    /// The utility of the `rank`-th best outcome.
    ///
    /// # Panics
    /// If `rank >= len()`.
    #[must_use]
    pub fn utility(&self, rank: usize) -> f64 {
        self.utilities[rank]
    }

    /// The utilities, best first.
    #[must_use]
    pub fn utilities(&self) -> &[f64] {
        &self.utilities
    }

    /// The best utility in the pool (`None` when empty).
    #[must_use]
    pub fn best_utility(&self) -> Option<f64> {
        self.utilities.first().copied()
    }

    /// The worst utility in the pool (`None` when empty).
    #[must_use]
    pub fn worst_utility(&self) -> Option<f64> {
        self.utilities.last().copied()
    }

    /// How many outcomes have utility at least `target`: ranks `0..at_least(target)` are exactly those.
    #[must_use]
    pub fn at_least(&self, target: f64) -> usize {
        self.utilities.partition_point(|&u| u >= target)
    }

    /// The rank of the worst outcome with utility at least `target` (the one closest to `target` from
    /// above), or the best outcome when none reaches it.
    #[must_use]
    pub fn closest_above(&self, target: f64) -> usize {
        self.at_least(target).saturating_sub(1)
    }
}

/// The most values of one issue a contribution table is made for (8 MiB of scores): a larger issue
/// (the model allows up to `u32::MAX` values) is scored value by value instead.
pub const MAX_TABLE_VALUES: u32 = 1 << 20;

/// The most numbers of contribution tables a pool keeps after it is built (8 MiB), to score offers
/// with ([`OutcomePool::utility_of`]); larger tables are dropped, and offers scored by the
/// preferences.
pub const MAX_KEPT_VALUES: usize = 1 << 20;

/// The tables a built pool keeps: those of at most [`MAX_KEPT_VALUES`] numbers.
fn kept(tables: Option<Vec<Vec<f64>>>) -> Option<Vec<Vec<f64>>> {
    tables.filter(|t| t.iter().map(Vec::len).sum::<usize>() <= MAX_KEPT_VALUES)
}

/// Per-issue contribution tables when the utility is additive without issue-dependent phase beliefs,
/// so that evaluating an outcome is a sum of lookups; `None` (score each outcome) past
/// [`MAX_TABLE_VALUES`] values in an issue.
pub(crate) fn fast_tables(domain: &Domain, prefs: &Preferences) -> Option<Vec<Vec<f64>>> {
    let additive = prefs.utility.as_additive()?;
    if prefs.is_phase_weighted(domain)
        || domain.space().issues().iter().any(|i| i.cardinality() > MAX_TABLE_VALUES)
    {
        return None;
    }
    Some(additive.contribution_tables(domain.space()))
}

fn sample(
    domain: &Domain,
    prefs: &Preferences,
    tables: Option<&[Vec<f64>]>,
    seed: u64,
) -> Vec<(f64, Vec<u32>)> {
    let space = domain.space();
    let radices = space.radices();
    let utility = |o: &[u32]| match tables {
        Some(t) => o.iter().zip(t).map(|(&d, row)| row[d as usize]).sum(),
        None => prefs.utility(domain, o),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut current = vec![0u32; radices.len()];
    let neighbours: u64 = radices.iter().map(|&r| u64::from(r.saturating_sub(1))).sum();
    let max_steps = 4 * radices.len();
    let mut budget = EVALUATION_BUDGET;
    let max_outcomes = MAX_POOL_CELLS / radices.len().max(1);
    for start in 0..SAMPLE_STARTS {
        if (budget == 0 && start >= MIN_STARTS) || out.len() >= max_outcomes {
            break;
        }
        for (slot, &r) in current.iter_mut().zip(radices) {
            *slot = rng.random_range(0..r);
        }
        let mut u = utility(&current);
        keep(domain, prefs, &mut out, u, &current);
        for _ in 0..max_steps {
            if tables.is_none() {
                budget = budget.saturating_sub(neighbours);
            }
            let mut best: Option<(f64, usize, u32)> = None;
            for issue in 0..radices.len() {
                let was = current[issue];
                for d in 0..radices[issue] {
                    if d == was {
                        continue;
                    }
                    let v = match tables {
                        Some(t) => u - t[issue][was as usize] + t[issue][d as usize],
                        None => {
                            current[issue] = d;
                            let v = utility(&current);
                            current[issue] = was;
                            v
                        }
                    };
                    if v > u + 1e-12 && best.is_none_or(|(b, _, _)| v > b) {
                        best = Some((v, issue, d));
                    }
                }
            }
            let Some((_, issue, d)) = best else { break };
            current[issue] = d;
            // Recomputed rather than accumulated, so that pool utilities are exact.
            u = utility(&current);
            if out.len() < max_outcomes {
                keep(domain, prefs, &mut out, u, &current);
            }
        }
        // The end of the climb, kept even past the bound: for an additive utility, the optimum.
        if out.len() >= max_outcomes {
            keep(domain, prefs, &mut out, u, &current);
        }
    }
    out
}

fn keep(domain: &Domain, prefs: &Preferences, out: &mut Vec<(f64, Vec<u32>)>, u: f64, outcome: &[u32]) {
    if prefs.broken_red_lines(domain, outcome).next().is_none() {
        out.push((u, outcome.to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use truce_model::{
        AdditiveUtility, Issue, IssueDomain, IssueUtility, OutcomeSpace, Utility, ValueFunction,
    };

    use super::*;

    fn domain(radices: &[u32]) -> Domain {
        Domain::unphased(
            OutcomeSpace::new(
                radices
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| {
                        Issue::new(format!("i{i}"), IssueDomain::integer(0, i64::from(r) - 1, 1).unwrap())
                    })
                    .collect(),
            )
            .unwrap(),
        )
    }

    fn linear(radices: &[u32]) -> Preferences {
        let w = 1.0 / radices.len() as f64;
        Preferences::new(Utility::Additive(AdditiveUtility {
            issues: radices
                .iter()
                .map(|&r| IssueUtility {
                    weight: w,
                    value: ValueFunction::linear(0.0, 0.0, f64::from(r - 1), 1.0),
                })
                .collect(),
        }))
    }

    #[test]
    fn exhaustive_pool_is_every_outcome_sorted_best_first() {
        let d = domain(&[3, 4]);
        let p = linear(&[3, 4]);
        let pool = OutcomePool::build(&d, &p, 0);
        assert!(pool.is_exhaustive());
        assert_eq!(pool.len(), 12);
        assert_eq!(pool.outcome(0), &[2, 3]);
        assert_eq!(pool.outcome(11), &[0, 0]);
        for rank in 0..pool.len() {
            assert!((pool.utility(rank) - p.utility(&d, pool.outcome(rank))).abs() < 1e-12);
            if rank > 0 {
                assert!(pool.utility(rank - 1) >= pool.utility(rank));
            }
        }
        assert_eq!(pool.at_least(0.5), (0..12).filter(|&r| pool.utility(r) >= 0.5).count());
        let r = pool.closest_above(0.5);
        assert!(pool.utility(r) >= 0.5 && pool.utility(r + 1) < 0.5);
    }

    #[test]
    fn the_tables_a_pool_keeps_score_every_outcome_to_the_bit_as_the_preferences_do() {
        // Unequal weights and a table function, so that rounding has a chance to differ.
        let d = domain(&[3, 4, 5]);
        let mut p = linear(&[3, 4, 5]);
        let Utility::Additive(a) = &mut p.utility else { unreachable!() };
        a.issues[0].weight = 0.37;
        a.issues[1].value = ValueFunction::Table { scores: vec![3.0, 7.0, 1.5, 9.1] };
        let pool = OutcomePool::build(&d, &p, 0);
        let mut cursor = d.space().outcomes();
        while let Some(outcome) = cursor.next() {
            let by_table = pool.utility_of(outcome).unwrap();
            assert_eq!(by_table.to_bits(), p.utility(&d, outcome).to_bits(), "{outcome:?}");
        }
        assert_eq!(pool.utility_of(&[0, 4, 0]), None, "off the grid");
        // Best first, ties in outcome order: the order of sorting whole outcomes.
        let mut expected = Vec::new();
        let mut cursor = d.space().outcomes();
        while let Some(outcome) = cursor.next() {
            expected.push((p.utility(&d, outcome), outcome.to_vec()));
        }
        expected.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let ranked: Vec<_> = (0..pool.len()).map(|r| (pool.utility(r), pool.outcome(r).to_vec())).collect();
        assert_eq!(ranked, expected);
        // Tables too large to keep are dropped once the pool is sorted.
        let tables = |sizes: &[usize]| Some(sizes.iter().map(|&n| vec![0.0; n]).collect::<Vec<_>>());
        assert!(kept(tables(&[MAX_KEPT_VALUES - 2, 2])).is_some());
        assert!(kept(tables(&[MAX_KEPT_VALUES - 1, 2])).is_none());
    }

    #[test]
    fn sampled_pool_of_a_huge_space_finds_the_best_outcome() {
        let radices = [10; 25]; // 10^25 outcomes
        let d = domain(&radices);
        let p = linear(&radices);
        let pool = OutcomePool::build(&d, &p, 7);
        assert!(!pool.is_exhaustive());
        assert!((pool.best_utility().unwrap() - 1.0).abs() < 1e-9);
        assert!(pool.worst_utility().unwrap() < 0.7, "the pool spans a range of utilities");
        let again = OutcomePool::build(&d, &p, 7);
        assert_eq!(pool.utilities(), again.utilities(), "same seed, same pool");
    }

    #[test]
    fn no_table_is_made_for_an_issue_past_the_table_limit() {
        // 2^31 values: a table would take 16 GiB, and an allocation failure aborts the process.
        let radices = [1 << 31, 4];
        assert!(fast_tables(&domain(&radices), &linear(&radices)).is_none());
        let at_limit = [MAX_TABLE_VALUES, 4];
        let tables = fast_tables(&domain(&at_limit), &linear(&at_limit)).unwrap();
        assert_eq!(tables[0].len(), MAX_TABLE_VALUES as usize);
    }
}
