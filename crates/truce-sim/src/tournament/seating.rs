//! Seatings: which agents sit in which seats of a domain.
//!
//! - `all`: every assignment of agents to seats, self-play included: all `A^n` tuples of the `A`
//!   agents over the `n` seats, in lexicographic order (the last seat changing fastest).
//! - `rotate` (the default): for each agent `k` and each step `r` (`0 .. A`), seat `j` takes agent
//!   `(k + r·j) mod A`: each agent sits in each seat, and the other seats are filled in turn, walking
//!   the agent list from it in steps of `r`. That is `A²` tuples whatever the number of seats (each
//!   agent in each seat `A` times, every ordered pair of agents once in every two adjacent seats),
//!   sorted as `all` sorts them; on a two-party domain they are exactly `all`'s tuples, in the same
//!   order. 4 agents on a 9-party domain: 16 tuples instead of 262,144.
//! - `sample:N`: `N` distinct tuples drawn uniformly at random (all of them when `N >= A^n`) by
//!   Floyd's algorithm, from a stream of the tournament's seed of their own ([`seating_seed`]), sorted
//!   as `all` sorts them.

use std::collections::BTreeSet;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::{SimError, seed};

/// How the agents are seated in each domain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Seatings {
    /// Every assignment of agents to seats (`A^n` per domain).
    All,
    /// Each agent in each seat, the others filled in turn (`A²` per domain).
    #[default]
    Rotate,
    /// This many seeded random assignments per domain.
    Sample(u32),
}

impl Seatings {
    /// Reads `all`, `rotate` or `sample:N` (`N >= 1`).
    ///
    /// # Errors
    /// [`SimError::Syntax`] saying what is expected.
    pub fn parse(text: &str) -> Result<Self, SimError> {
        let t = text.trim().to_ascii_lowercase();
        let err = |reason: &str| SimError::Syntax { spec: text.to_string(), reason: reason.to_string() };
        match t.as_str() {
            "all" => Ok(Self::All),
            "rotate" => Ok(Self::Rotate),
            _ => match t.strip_prefix("sample:") {
                Some(n) => match n.trim().parse::<u32>() {
                    Ok(0) => Err(err("`sample:N` needs N of at least 1")),
                    Ok(n) => Ok(Self::Sample(n)),
                    Err(_) => Err(err("expected `sample:N` with N a whole number, e.g. `sample:100`")),
                },
                None => Err(err("expected `all`, `rotate` or `sample:N` (e.g. `sample:100`)")),
            },
        }
    }

    /// How many tuples a domain of `parties` seats gets with `agents` agents (saturating).
    #[must_use]
    pub fn count(&self, agents: usize, parties: usize) -> u128 {
        let all = (agents as u128).saturating_pow(u32::try_from(parties).unwrap_or(u32::MAX));
        match self {
            Self::All => all,
            Self::Rotate => all.min((agents as u128) * (agents as u128)),
            Self::Sample(n) => all.min(u128::from(*n)),
        }
    }

    /// The tuples of domain number `domain` (whose seed stream they may draw from), or `None` for
    /// every tuple (`all`, or a sample as large as all), which are numbered rather than listed.
    pub(crate) fn tuples(
        &self,
        agents: usize,
        parties: usize,
        tournament_seed: u64,
        domain: usize,
    ) -> Option<Vec<Vec<usize>>> {
        let all = self.count(agents, parties) == Seatings::All.count(agents, parties);
        match self {
            _ if all => None,
            Self::All => None,
            Self::Rotate => {
                let mut set = BTreeSet::new();
                for k in 0..agents {
                    for r in 0..agents {
                        set.insert((0..parties).map(|j| (k + r * j) % agents).collect::<Vec<_>>());
                    }
                }
                Some(set.into_iter().collect())
            }
            Self::Sample(n) => {
                let mut rng = seed::stream(seating_seed(tournament_seed), domain as u64);
                let total = Seatings::All.count(agents, parties);
                if total == u128::MAX {
                    // Past 2^128 tuples (the count saturated): draws seat by seat, which almost never
                    // repeat.
                    let mut set = BTreeSet::new();
                    while set.len() < *n as usize {
                        set.insert((0..parties).map(|_| rng.random_range(0..agents)).collect::<Vec<_>>());
                    }
                    return Some(set.into_iter().collect());
                }
                // Floyd's algorithm (Bentley & Floyd 1987, "A sample of brilliance", CACM 30(9)): `n`
                // distinct tuple numbers in exactly `n` draws, however close `n` is to the total.
                let mut chosen = BTreeSet::new();
                for j in total - u128::from(*n)..total {
                    let t = rng.random_range(0..=j);
                    if !chosen.insert(t) {
                        chosen.insert(j);
                    }
                }
                Some(chosen.into_iter().map(|t| nth_tuple(t, agents, parties)).collect())
            }
        }
    }
}

/// The seed of the stream `sample:N` draws domain `i`'s seatings from (`stream(seating_seed(s), i)`):
/// away from the negotiations' streams (which count up from 0) and the pools' (which count down from
/// `u64::MAX`).
#[must_use]
pub fn seating_seed(seed: u64) -> u64 {
    seed::mix(seed, 1 << 63)
}

/// The tuple number `t` of all `A^n`, in lexicographic order (seat 0 most significant).
pub(crate) fn nth_tuple(mut t: u128, agents: usize, parties: usize) -> Vec<usize> {
    let mut tuple = vec![0; parties];
    for seat in (0..parties).rev() {
        tuple[seat] = (t % agents as u128) as usize;
        t /= agents as u128;
    }
    tuple
}

impl std::fmt::Display for Seatings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Rotate => f.write_str("rotate"),
            Self::Sample(n) => write!(f, "sample:{n}"),
        }
    }
}

impl Serialize for Seatings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Seatings {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(agents: usize, parties: usize) -> Vec<Vec<usize>> {
        let n = Seatings::All.count(agents, parties);
        (0..n).map(|t| nth_tuple(t, agents, parties)).collect()
    }

    #[test]
    fn names_parse_and_print_back() {
        for text in ["all", "rotate", "sample:7"] {
            assert_eq!(Seatings::parse(text).unwrap().to_string(), text);
        }
        for bad in ["sample:0", "sample:", "sample:x", "every", ""] {
            assert!(Seatings::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn all_numbers_tuples_lexicographically() {
        let tuples = all(3, 2);
        assert_eq!(tuples.len(), 9);
        assert_eq!(tuples[0], vec![0, 0]);
        assert_eq!(tuples[1], vec![0, 1]);
        assert_eq!(tuples[8], vec![2, 2]);
        let mut sorted = tuples.clone();
        sorted.sort();
        assert_eq!(sorted, tuples);
    }

    #[test]
    fn rotate_is_all_on_two_seats_and_balanced_on_more() {
        for a in 1..6 {
            assert_eq!(Seatings::Rotate.tuples(a, 2, 0, 0), None, "{a} agents, 2 seats: all of them");
        }
        let tuples = Seatings::Rotate.tuples(4, 9, 0, 0).unwrap();
        assert_eq!(tuples.len(), 16);
        assert_eq!(Seatings::Rotate.count(4, 9), 16);
        for seat in 0..9 {
            for agent in 0..4 {
                let times = tuples.iter().filter(|t| t[seat] == agent).count();
                assert_eq!(times, 4, "agent {agent} in seat {seat}");
            }
        }
        for seat in 0..8 {
            let pairs: BTreeSet<_> = tuples.iter().map(|t| (t[seat], t[seat + 1])).collect();
            assert_eq!(pairs.len(), 16, "every ordered pair in seats {seat} and {}", seat + 1);
        }
    }

    #[test]
    fn samples_are_distinct_seeded_and_capped_at_all() {
        let a = Seatings::Sample(20).tuples(4, 9, 1, 0).unwrap();
        assert_eq!(a.len(), 20);
        assert_eq!(a.iter().collect::<BTreeSet<_>>().len(), 20);
        assert_eq!(Seatings::Sample(20).tuples(4, 9, 1, 0).unwrap(), a, "same seed, same sample");
        assert_ne!(Seatings::Sample(20).tuples(4, 9, 2, 0).unwrap(), a, "another seed, another sample");
        assert_ne!(Seatings::Sample(20).tuples(4, 9, 1, 1).unwrap(), a, "each domain its own");
        assert_eq!(Seatings::Sample(100).tuples(3, 2, 1, 0), None, "9 tuples: all of them");
        assert_eq!(Seatings::Sample(100).count(3, 2), 9);
        let nearly_all = Seatings::Sample(8).tuples(3, 2, 1, 0).unwrap();
        assert_eq!(nearly_all.iter().collect::<BTreeSet<_>>().len(), 8, "8 distinct of 9");
        assert!(nearly_all.windows(2).all(|w| w[0] < w[1]), "sorted");
    }
}
