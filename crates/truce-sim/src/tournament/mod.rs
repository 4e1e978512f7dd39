//! Tournaments: every agent against every other on every scenario, in every role and move order,
//! repeated; in parallel, deterministic, shardable.
//!
//! The plan ([`Tournament::plan`]) numbers the negotiations in a fixed order: for each scenario (in
//! the order given), each assignment of agents to its parties (all `A^n` tuples of the `A` agents,
//! self-play included, in lexicographic order), each first mover (`n` move orders), each repetition.
//! Negotiation `k` is seeded with `mix(seed, k)` (see [`seed`](crate::seed)), so its result depends
//! on nothing but the tournament and `k`: the same with 1 thread or 16, in one process or split into
//! shards ([`Shard`]) whose result files [`merge`] back into the unsplit tournament's, byte for byte.

mod rank;
mod results;

use std::sync::Arc;

pub use rank::{ConfidenceInterval, Ranking, RankingRow, t_critical_95, wilson_95};
pub use results::{
    FORMAT, FORMAT_VERSION, NegotiationRecord, Reference, ResultsFile, ScenarioInfo, TournamentInfo, merge,
};

use crate::{
    AgentFactory, Clock, Deadline, Negotiation, Protocol, Run, Scenario, SimError, TimeLimits, seed,
};

/// The largest number of negotiations one tournament may plan.
pub const MAX_NEGOTIATIONS: u64 = 10_000_000;

/// A tournament's definition.
#[derive(Clone)]
pub struct Tournament {
    /// The competing agents.
    pub agents: Vec<Arc<dyn AgentFactory>>,
    /// The scenarios.
    pub scenarios: Vec<Arc<Scenario>>,
    /// The protocol of every negotiation.
    pub protocol: Protocol,
    /// The deadline of every negotiation.
    pub deadline: Deadline,
    /// Containment limits of every negotiation.
    pub limits: TimeLimits,
    /// Repetitions of each pairing.
    pub reps: u32,
    /// The tournament's seed.
    pub seed: u64,
    /// Whether to keep every negotiation's transcript.
    pub record: bool,
}

/// One planned negotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Its number in the whole tournament.
    pub index: u64,
    /// Which scenario.
    pub scenario: usize,
    /// Which agent sits in each seat.
    pub agents: Vec<usize>,
    /// The seat that moves first.
    pub first: usize,
    /// Which repetition.
    pub rep: u32,
}

/// A deterministic slice of a tournament: negotiations whose index `k` has `k mod count == index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which slice, from 0.
    pub index: u64,
    /// Into how many slices.
    pub count: u64,
}

impl Shard {
    /// The whole tournament.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Reads `I/N`.
    ///
    /// # Errors
    /// [`SimError::Shard`] unless `0 <= I < N`.
    pub fn parse(text: &str) -> Result<Self, SimError> {
        let err = || SimError::Shard { spec: text.to_string() };
        let (i, n) = text.split_once('/').ok_or_else(err)?;
        let index: u64 = i.trim().parse().map_err(|_| err())?;
        let count: u64 = n.trim().parse().map_err(|_| err())?;
        if count == 0 || index >= count {
            return Err(err());
        }
        Ok(Self { index, count })
    }

    /// Whether negotiation `k` belongs to this shard.
    #[must_use]
    pub fn contains(&self, k: u64) -> bool {
        k % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Tournament {
    /// The number of negotiations in the whole tournament.
    #[must_use]
    pub fn size(&self) -> u128 {
        let a = self.agents.len() as u128;
        self.scenarios
            .iter()
            .map(|s| {
                let n = s.party_count() as u32;
                a.saturating_pow(n).saturating_mul(u128::from(n)).saturating_mul(u128::from(self.reps))
            })
            .fold(0u128, u128::saturating_add)
    }

    /// Every negotiation of `shard`, in index order.
    ///
    /// # Errors
    /// [`SimError::EmptyTournament`] without agents, scenarios or repetitions; [`SimError::TooLarge`]
    /// beyond [`MAX_NEGOTIATIONS`]; the deadline's and scenarios' own errors.
    pub fn plan(&self, shard: Shard) -> Result<Vec<Match>, SimError> {
        let empty = |reason: &str| Err(SimError::EmptyTournament { reason: reason.into() });
        if self.agents.is_empty() {
            return empty("no agents");
        }
        if self.scenarios.is_empty() {
            return empty("no domains");
        }
        if self.reps == 0 {
            return empty("zero repetitions");
        }
        self.deadline.validate()?;
        let size = self.size();
        if size > u128::from(MAX_NEGOTIATIONS) {
            return Err(SimError::TooLarge { planned: size, limit: MAX_NEGOTIATIONS });
        }
        for s in &self.scenarios {
            self.protocol.check(s, &self.deadline)?;
        }
        let a = self.agents.len();
        let mut plan = Vec::new();
        let mut index = 0u64;
        for (si, scenario) in self.scenarios.iter().enumerate() {
            let n = scenario.party_count();
            let mut tuple = vec![0usize; n];
            loop {
                for first in 0..n {
                    for rep in 0..self.reps {
                        if shard.contains(index) {
                            plan.push(Match { index, scenario: si, agents: tuple.clone(), first, rep });
                        }
                        index += 1;
                    }
                }
                // Next tuple, last seat fastest.
                let mut k = n;
                loop {
                    if k == 0 {
                        break;
                    }
                    k -= 1;
                    tuple[k] += 1;
                    if tuple[k] < a {
                        break;
                    }
                    tuple[k] = 0;
                }
                if tuple.iter().all(|&x| x == 0) {
                    break;
                }
            }
        }
        Ok(plan)
    }

    /// The negotiation of one planned match.
    #[must_use]
    pub fn negotiation(&self, m: &Match) -> Negotiation {
        Negotiation {
            scenario: self.scenarios[m.scenario].clone(),
            agents: m.agents.iter().map(|&i| self.agents[i].clone()).collect(),
            protocol: self.protocol,
            deadline: self.deadline,
            limits: self.limits,
            seed: seed::mix(self.seed, m.index),
            first: m.first,
            record: self.record,
            max_events: crate::MAX_TRANSCRIPT_EVENTS,
        }
    }

    /// Runs `shard` on `threads` threads and returns its result file and the runs (with their
    /// transcripts when recording), in index order.
    ///
    /// # Errors
    /// As [`Tournament::plan`], and when a scenario has no acceptable outcome.
    pub fn run(
        &self,
        shard: Shard,
        threads: usize,
        clock: Option<Arc<dyn Clock>>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(ResultsFile, Vec<(Match, Run)>), SimError> {
        let plan = self.plan(shard)?;
        for s in &self.scenarios {
            s.check_acceptable()?;
        }
        let jobs = plan.iter().map(|m| self.negotiation(m)).collect();
        let runs = crate::run_all(jobs, threads, clock, progress).map_err(|(_, e)| e)?;
        let mut file = ResultsFile::new(self, shard);
        file.negotiations =
            plan.iter().zip(&runs).map(|(m, run)| NegotiationRecord::new(self, m, &run.result)).collect();
        Ok((file, plan.into_iter().zip(runs).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!(Shard::parse("1/4").unwrap(), Shard { index: 1, count: 4 });
        for bad in ["4/4", "1", "a/2", "0/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let shards: Vec<_> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for k in 0..30 {
            assert_eq!(shards.iter().filter(|s| s.contains(k)).count(), 1);
        }
    }
}
