//! Tournaments: agents against each other on every scenario, in every seat and move order,
//! repeated; in parallel, deterministic, shardable, resumable.
//!
//! The plan ([`Tournament::plan`]) numbers the negotiations in a fixed order: for each scenario (in
//! the order given), each seating of agents to its parties ([`Seatings`]: by default each agent in
//! each seat with the others filled in turn; `all` for every `A^n` tuple), each first mover (`n` move
//! orders), each repetition. Negotiation `k` is seeded with `mix(seed, k)` (see [`seed`]), so its
//! result depends on nothing but the tournament and `k`: the same with 1 thread or 16, in one process
//! or split into shards ([`Shard`]) whose result files [`merge`] back into the unsplit tournament's,
//! byte for byte.
//!
//! [`Tournament::run_into`] hands each negotiation to a [`Collector`] as it ends (its transcript, in
//! completion order) and each record in number order, so that a front end writes results as they
//! come and resumes a run cut short after the records it holds ([`ResultsFile::read_prefix`]).

mod rank;
mod results;
mod seating;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

pub use rank::{
    ALL_DOMAINS, ConfidenceInterval, DomainRanking, Ranking, RankingRow, t_critical_95, wilson_95,
};
pub use results::{
    AgentRecord, FORMAT, FORMAT_VERSION, MANIFEST_FORMAT, Manifest, ManifestEntry, NegotiationRecord,
    Reference, ResultsFile, ScenarioInfo, TournamentInfo, merge, sha256_hex,
};
pub use seating::{Seatings, seating_seed};

use crate::runner::{JobFn, run_each};
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
    /// How agents are seated in each scenario.
    pub seatings: Seatings,
    /// Repetitions of each pairing.
    pub reps: u32,
    /// The tournament's seed.
    pub seed: u64,
    /// Whether to keep every negotiation's transcript.
    pub record: bool,
    /// The most events one kept transcript may hold ([`Negotiation::max_events`]; default
    /// [`MAX_TRANSCRIPT_EVENTS`](crate::MAX_TRANSCRIPT_EVENTS)): a negotiation that would record more
    /// stops with [`FailureKind::TranscriptLimit`](crate::FailureKind::TranscriptLimit).
    pub max_events: usize,
    /// Each scenario's exact reference points (`references[i]` for `scenarios[i]`; missing or `None`:
    /// no distances), against which every record is measured.
    pub references: Vec<Option<Reference>>,
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

    /// How many of the negotiations `from .. to` belong to this shard.
    #[must_use]
    pub fn count_in(&self, from: u64, to: u64) -> u64 {
        // Negotiations below `x` in this shard: those `k < x` with `k = index + j * count`.
        let below = |x: u64| if x <= self.index { 0 } else { (x - self.index).div_ceil(self.count) };
        below(to).saturating_sub(below(from))
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a tournament's run will take, estimated before it starts ([`Tournament::estimate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Estimate {
    /// Negotiations to run.
    pub negotiations: u64,
    /// Bytes of memory the results held in memory take, and the transcripts of the negotiations
    /// running at once (each up to [`Tournament::max_events`] events):
    /// an estimate, within a factor of two, not counting the outcome pools.
    pub bytes: u64,
    /// Bytes of one negotiation's transcript (the longest domain's) when the tournament records
    /// them, else 0: what a run that keeps every transcript in memory ([`Tournament::run`]) adds per
    /// negotiation.
    pub transcript_bytes: u64,
}

/// Receives a tournament's runs as they end ([`Tournament::run_into`]).
pub trait Collector {
    /// A negotiation has ended (in completion order; `run.events` holds its transcript when the
    /// tournament records them). Nothing is kept after this returns.
    ///
    /// # Errors
    /// A write that failed: the tournament stops.
    fn finished(&mut self, m: &Match, run: &Run) -> std::io::Result<()> {
        let _ = (m, run);
        Ok(())
    }

    /// The next record, in number order.
    ///
    /// # Errors
    /// A write that failed: the tournament stops.
    fn record(&mut self, record: NegotiationRecord) -> std::io::Result<()>;

    /// `done` of `total` negotiations have ended.
    fn progress(&mut self, done: u64, total: u64) {
        let _ = (done, total);
    }

    /// The records of the negotiations ended so far have been handed over (called after each
    /// batch: with a clock at least every [`POLL`](crate::POLL) while negotiations end, and at the
    /// end): a collector that buffers its writes writes them out now.
    ///
    /// # Errors
    /// A write that failed: the tournament stops.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Each scenario's seatings and where its negotiations start.
struct Layout {
    blocks: Vec<Block>,
    total: u64,
}

struct Block {
    /// The listed tuples, or `None` for every tuple (numbered).
    tuples: Option<Vec<Vec<usize>>>,
    parties: usize,
    offset: u64,
    size: u64,
}

impl Tournament {
    /// A tournament of `agents` on `scenarios`: stacked alternating offers, 100 rounds, the default
    /// seatings, one repetition, seed 0, no time limits, no transcripts, no reference points.
    #[must_use]
    pub fn new(agents: Vec<Arc<dyn AgentFactory>>, scenarios: Vec<Arc<Scenario>>) -> Self {
        Self {
            agents,
            scenarios,
            protocol: Protocol::Sao,
            deadline: Deadline::rounds(100),
            limits: TimeLimits::default(),
            seatings: Seatings::default(),
            reps: 1,
            seed: 0,
            record: false,
            max_events: crate::MAX_TRANSCRIPT_EVENTS,
            references: Vec::new(),
        }
    }

    /// The number of negotiations in the whole tournament (saturating).
    #[must_use]
    pub fn size(&self) -> u128 {
        let a = self.agents.len();
        self.scenarios
            .iter()
            .map(|s| {
                let n = s.party_count();
                self.seatings.count(a, n).saturating_mul(n as u128).saturating_mul(u128::from(self.reps))
            })
            .fold(0u128, u128::saturating_add)
    }

    /// Checks the tournament and lays out its negotiations.
    fn layout(&self) -> Result<Layout, SimError> {
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
        let mut blocks = Vec::new();
        let mut offset = 0u64;
        for (i, s) in self.scenarios.iter().enumerate() {
            let n = s.party_count();
            let tuples = self.seatings.tuples(a, n, self.seed, i);
            // Bounded by MAX_NEGOTIATIONS above.
            let seatings = self.seatings.count(a, n) as u64;
            let size = seatings * n as u64 * u64::from(self.reps);
            blocks.push(Block { tuples, parties: n, offset, size });
            offset += size;
        }
        Ok(Layout { blocks, total: offset })
    }

    /// Negotiation `k` of the tournament laid out as `layout` (`k < layout.total`).
    fn match_at(&self, layout: &Layout, k: u64) -> Match {
        let scenario = layout.blocks.partition_point(|b| b.offset + b.size <= k);
        let block = &layout.blocks[scenario];
        let r = k - block.offset;
        let n = block.parties as u64;
        let reps = u64::from(self.reps);
        let seating = r / (n * reps);
        let agents = match &block.tuples {
            Some(tuples) => tuples[seating as usize].clone(),
            None => seating::nth_tuple(u128::from(seating), self.agents.len(), block.parties),
        };
        Match { index: k, scenario, agents, first: ((r / reps) % n) as usize, rep: (r % reps) as u32 }
    }

    /// Every negotiation of `shard`, in index order.
    ///
    /// # Errors
    /// [`SimError::EmptyTournament`] without agents, scenarios or repetitions; [`SimError::TooLarge`]
    /// beyond [`MAX_NEGOTIATIONS`]; the deadline's and scenarios' own errors.
    pub fn plan(&self, shard: Shard) -> Result<Vec<Match>, SimError> {
        let layout = self.layout()?;
        Ok((shard.index..layout.total)
            .step_by(shard.count as usize)
            .map(|k| self.match_at(&layout, k))
            .collect())
    }

    /// How many negotiations `shard` holds, and the memory a run keeping its results (and
    /// transcripts of the `threads` negotiations running at once) takes, before anything runs.
    ///
    /// # Errors
    /// As [`Tournament::plan`].
    pub fn estimate(&self, shard: Shard, threads: usize) -> Result<Estimate, SimError> {
        let layout = self.layout()?;
        let label = self.agents.iter().map(|a| a.label().len() as u64).max().unwrap_or(0);
        let mut negotiations = 0u64;
        let mut bytes = 0u64;
        let mut transcript = 0u64;
        for (block, scenario) in layout.blocks.iter().zip(&self.scenarios) {
            let count = shard.count_in(block.offset, block.offset + block.size);
            let n = block.parties as u64;
            let issues = scenario.domain().space().issues().len() as u64;
            // The record, its strings and vectors (agents, utilities, agreement), with an allocator's
            // overhead per allocation.
            let record = size_of::<NegotiationRecord>() as u64
                + scenario.name().len() as u64
                + n * (size_of::<String>() as u64 + label + 16)
                + n * 8
                + issues * 4
                + (4 + n) * 16;
            negotiations += count;
            bytes = bytes.saturating_add(count.saturating_mul(record));
            if let Some(tuples) = &block.tuples {
                bytes = bytes.saturating_add(tuples.len() as u64 * (n * 8 + 40));
            }
            if self.record {
                // Events of one negotiation: a few per seat and round, each with an outcome.
                let rounds = u64::from(self.deadline.rounds.unwrap_or(u32::MAX));
                let events = (rounds.saturating_mul(2 * (n + 1)) + 8).min(self.max_events as u64);
                transcript = transcript.max(events * (160 + issues * 4 + n * 8));
            }
        }
        bytes = bytes.saturating_add(transcript.saturating_mul(threads.max(1) as u64));
        Ok(Estimate { negotiations, bytes, transcript_bytes: transcript })
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
            max_events: self.max_events,
        }
    }

    /// Runs `shard` on `threads` threads, skipping its first `skip` negotiations (those a resumed run
    /// already holds), and hands every run and record to `collector` as it ends.
    ///
    /// # Errors
    /// As [`Tournament::plan`]; when a scenario has no acceptable outcome; [`SimError::Write`] when
    /// the collector fails (the tournament stops at once).
    pub fn run_into(
        &self,
        shard: Shard,
        skip: u64,
        threads: usize,
        clock: Option<Arc<dyn Clock>>,
        collector: &mut dyn Collector,
    ) -> Result<(), SimError> {
        let layout = Arc::new(self.layout()?);
        for s in &self.scenarios {
            s.check_acceptable()?;
        }
        // One negotiation of each scenario stands for all of its: they differ only in agents, seed
        // and first mover.
        for block in &layout.blocks {
            if block.size > 0 {
                self.negotiation(&self.match_at(&layout, block.offset)).validate(clock.is_some())?;
            }
        }
        // Build every pool before any clock starts, so that no time limit counts preparation.
        for s in &self.scenarios {
            for seat in 0..s.party_count() {
                let _ = s.pool(seat);
            }
        }
        let in_shard = shard.count_in(0, layout.total);
        let skip = skip.min(in_shard);
        let count = usize::try_from(in_shard - skip).unwrap_or(usize::MAX);
        let number = move |i: usize| shard.index + (skip + i as u64) * shard.count;
        let job: Arc<JobFn> = {
            let (t, layout) = (self.clone(), layout.clone());
            Arc::new(move |i| t.negotiation(&t.match_at(&layout, number(i))))
        };
        let mut pending: BTreeMap<usize, NegotiationRecord> = BTreeMap::new();
        let mut next = 0usize;
        let mut done = 0u64;
        // Both callbacks below write through the collector, one at a time.
        let collector = std::cell::RefCell::new(collector);
        let failed = std::cell::RefCell::new(None::<std::io::Error>);
        let stop = |e: std::io::Error| {
            *failed.borrow_mut() = Some(e);
            ControlFlow::Break(())
        };
        let mut record = |i, run: Run| {
            let m = self.match_at(&layout, number(i));
            let mut collector = collector.borrow_mut();
            let mut step = || -> std::io::Result<()> {
                collector.finished(&m, &run)?;
                pending.insert(i, NegotiationRecord::new(self, &m, &run.result));
                while let Some(record) = pending.remove(&next) {
                    collector.record(record)?;
                    next += 1;
                }
                Ok(())
            };
            if let Err(e) = step() {
                return stop(e);
            }
            done += 1;
            collector.progress(skip + done, in_shard);
            ControlFlow::Continue(())
        };
        let mut handed = || match collector.borrow_mut().flush() {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => stop(e),
        };
        run_each(count, job, threads, clock, &mut record, &mut handed);
        match failed.into_inner() {
            Some(e) => Err(SimError::Write { reason: e.to_string() }),
            None => Ok(()),
        }
    }

    /// Runs `shard` on `threads` threads and returns its result file and the runs (with their
    /// transcripts when recording), in index order.
    ///
    /// # Errors
    /// As [`Tournament::run_into`].
    pub fn run(
        &self,
        shard: Shard,
        threads: usize,
        clock: Option<Arc<dyn Clock>>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(ResultsFile, Vec<(Match, Run)>), SimError> {
        struct Memory<'a> {
            file: ResultsFile,
            runs: Vec<(Match, Run)>,
            progress: &'a mut dyn FnMut(usize, usize),
        }
        impl Collector for Memory<'_> {
            fn finished(&mut self, m: &Match, run: &Run) -> std::io::Result<()> {
                self.runs.push((m.clone(), run.clone()));
                Ok(())
            }
            fn record(&mut self, record: NegotiationRecord) -> std::io::Result<()> {
                self.file.negotiations.push(record);
                Ok(())
            }
            fn progress(&mut self, done: u64, total: u64) {
                (self.progress)(done as usize, total as usize);
            }
        }
        let mut memory = Memory { file: ResultsFile::new(self, shard), runs: Vec::new(), progress };
        self.run_into(shard, 0, threads, clock, &mut memory)?;
        let Memory { mut file, mut runs, .. } = memory;
        file.complete = file.is_complete();
        runs.sort_by_key(|(m, _)| m.index);
        Ok((file, runs))
    }

    /// The header of this tournament's results for `shard`, without negotiations: the first line a
    /// results file written as the run goes starts with ([`ResultsFile::header_line`]).
    #[must_use]
    pub fn results_header(&self, shard: Shard) -> ResultsFile {
        ResultsFile::new(self, shard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_counts_match_a_brute_force() {
        for count in 1..5 {
            for index in 0..count {
                let shard = Shard { index, count };
                for from in 0..12 {
                    for to in from..12 {
                        let brute = (from..to).filter(|&k| shard.contains(k)).count() as u64;
                        assert_eq!(shard.count_in(from, to), brute, "{shard} in {from}..{to}");
                    }
                }
            }
        }
    }

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
