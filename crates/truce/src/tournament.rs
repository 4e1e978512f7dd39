//! Tournaments (`truce tournament`): every domain read and checked first, each scenario's pools seeded
//! from the tournament's seed, the exact reference points the distances are measured against, the
//! plan (whole or a shard) and its estimated memory, the run (in memory, or into a result folder
//! written as it goes and resumable: [`run_to_folder`]), and the merge of shards' results
//! ([`merge_folders`], which verifies each folder's manifest).

mod folder;

use std::sync::Arc;

pub use folder::{
    Existing, FolderRun, MANIFEST, NEGOTIATIONS_CSV, RANKING_CSV, RESULTS, TRANSCRIPTS, check_out,
    merge_folders, run_to_folder, write_folder,
};
use truce_analysis::Findings;
use truce_model::{Case, PartialDate};
use truce_sim::{
    Clock, Deadline, Estimate, MAX_TRANSCRIPT_EVENTS, Match, Reference, ResultsFile, Run, Seatings, Shard,
    Tournament, seed,
};

use crate::day::Day;
use crate::negotiate::{
    DEFAULT_CALL_LIMIT, DEFAULT_NEGOTIATION_LIMIT, limits, max_events, parse_agents, parse_protocol, plural,
    sim_error,
};
use crate::{Error, ErrorKind};

/// From this many negotiations on, a front end should announce a tournament's size before it starts
/// ([`Prepared::size_note`]).
pub const LARGE_TOURNAMENT: usize = 100_000;

/// A tournament to run. `Default` is `truce tournament`'s defaults (agents aside).
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentOptions {
    /// The competing agents: `boulware,conceder,micro`.
    pub agents: String,
    /// The protocol's name.
    pub protocol: String,
    /// Deadline in rounds.
    pub rounds: u32,
    /// Repetitions of every pairing.
    pub reps: u32,
    /// The tournament's seed.
    pub seed: u64,
    /// The longest one agent call may take, in seconds.
    pub call_limit: f64,
    /// The longest one negotiation may take, in seconds.
    pub time_limit: f64,
    /// The day whose red lines count, in every domain (`None`: each case's `as_of`).
    pub at: Option<PartialDate>,
    /// Whether to keep every negotiation's transcript.
    pub transcripts: bool,
    /// How agents are seated in domains of more than two parties: `all`, `rotate` or `sample:N`
    /// (see [`Seatings`]).
    pub seatings: String,
    /// The most memory, in MiB, a run may be estimated to hold before it starts
    /// ([`Prepared::estimate`]); [`DEFAULT_MEMORY_LIMIT`] by default.
    pub memory_limit: u64,
    /// The most events one kept transcript may hold (`--max-events`; default
    /// [`MAX_TRANSCRIPT_EVENTS`]): a negotiation that would record more stops there, failed with
    /// `transcript_limit`. Only transcripts kept (`transcripts`) are capped.
    pub max_events: usize,
}

/// The default memory limit of a tournament run, in MiB (`--memory-limit`).
pub const DEFAULT_MEMORY_LIMIT: u64 = 2048;

impl Default for TournamentOptions {
    fn default() -> Self {
        Self {
            agents: String::new(),
            protocol: "sao".into(),
            rounds: 100,
            reps: 1,
            seed: 0,
            call_limit: DEFAULT_CALL_LIMIT,
            time_limit: DEFAULT_NEGOTIATION_LIMIT,
            at: None,
            transcripts: false,
            seatings: "rotate".into(),
            memory_limit: DEFAULT_MEMORY_LIMIT,
            max_events: MAX_TRANSCRIPT_EVENTS,
        }
    }
}

/// A tournament ready to plan and run.
pub struct Prepared {
    /// The tournament.
    pub tournament: Tournament,
    /// Each domain's day (say [`Day::notes`] before running), in domain order.
    pub days: Vec<Day>,
    memory_limit: u64,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("days", &self.days).finish_non_exhaustive()
    }
}

/// The pool seed of domain `i` of a tournament seeded `seed`: a stream of its own, away from the
/// negotiations' (which count up from 0).
#[must_use]
pub fn pool_seed(seed: u64, i: usize) -> u64 {
    seed::mix(seed, u64::MAX - i as u64)
}

impl TournamentOptions {
    /// Checks every option that does not depend on the domains (names, limits, deadline,
    /// repetitions), so that a front end can refuse a bad one before reading anything.
    ///
    /// # Errors
    /// As [`prepare`], for those options.
    pub fn check(&self) -> Result<(), Error> {
        parse_agents(&self.agents)?;
        self.check_run()
    }

    /// Every option [`check`](Self::check) checks but the agents.
    fn check_run(&self) -> Result<(), Error> {
        parse_protocol(&self.protocol)?;
        limits(self.call_limit, self.time_limit)?;
        if self.rounds == 0 {
            return Err(Error::parameter("rounds", "a negotiation needs at least 1 round"));
        }
        if self.reps == 0 {
            return Err(Error::parameter("reps", "a tournament needs at least 1 repetition"));
        }
        parse_seatings(&self.seatings)?;
        max_events(self.max_events)?;
        if self.memory_limit == 0 {
            return Err(Error::parameter(
                "memory_limit",
                "a tournament needs some memory: give at least 1 MiB",
            ));
        }
        Ok(())
    }
}

/// Reads `--seatings all | rotate | sample:N`.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`seatings`).
pub fn parse_seatings(text: &str) -> Result<Seatings, Error> {
    Seatings::parse(text).map_err(|e| Error::parameter("seatings", e.to_string()))
}

/// Prepares a tournament over `cases` (each passed [`load_valid`](crate::load_valid)).
///
/// # Errors
/// [`ErrorKind::Parameter`] naming the option at fault, or two domains with one name;
/// [`ErrorKind::Input`] for a case that cannot be negotiated.
pub fn prepare(cases: &[Case], options: &TournamentOptions) -> Result<Prepared, Error> {
    options.check()?;
    prepare_with(cases, options, parse_agents(&options.agents)?)
}

/// [`prepare`] with competing agents of the caller's own (a front end's agents written in another
/// language, say) instead of `options.agents`, which is not read.
///
/// # Errors
/// As [`prepare`].
pub fn prepare_with(
    cases: &[Case],
    options: &TournamentOptions,
    agents: Vec<Arc<dyn truce_sim::AgentFactory>>,
) -> Result<Prepared, Error> {
    options.check_run()?;
    let protocol = parse_protocol(&options.protocol)?;
    let limits = limits(options.call_limit, options.time_limit)?;
    let mut scenarios: Vec<Arc<truce_sim::Scenario>> = Vec::new();
    let mut days = Vec::new();
    let mut references = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let (day, findings) = Day::of(case, options.at);
        let scenario = day.scenario(case, pool_seed(options.seed, i))?;
        if scenarios.iter().any(|s| s.name() == scenario.name()) {
            return Err(Error::parameter(
                "domains",
                format!("two domains are named `{}`: give each domain once", scenario.name()),
            ));
        }
        scenarios.push(Arc::new(scenario));
        references.push(findings.and_then(reference));
        days.push(day);
    }
    let tournament = Tournament {
        agents,
        scenarios,
        protocol,
        deadline: Deadline::rounds(options.rounds),
        limits,
        seatings: parse_seatings(&options.seatings)?,
        reps: options.reps,
        seed: options.seed,
        record: options.transcripts,
        max_events: options.max_events,
        references,
    };
    Ok(Prepared { tournament, days, memory_limit: options.memory_limit })
}

/// Reads `--shard I/N`.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`shard`).
pub fn parse_shard(text: &str) -> Result<Shard, Error> {
    Shard::parse(text).map_err(|e| Error::parameter("shard", e.to_string()))
}

impl Prepared {
    /// The negotiations of `shard`, in number order: which domain, which agent in each seat, who
    /// moves first, which repetition.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a tournament that cannot be planned.
    pub fn plan(&self, shard: Shard) -> Result<Vec<Match>, Error> {
        self.tournament.plan(shard).map_err(|e| sim_error(&e))
    }

    /// How many negotiations `shard` of the tournament holds.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a tournament that cannot be planned.
    pub fn size(&self, shard: Shard) -> Result<usize, Error> {
        Ok(self.plan(shard)?.len())
    }

    /// How many negotiations `shard` holds and the memory a run of it on `threads` workers is
    /// estimated to hold, refused past the memory limit before anything runs.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a tournament that cannot be planned; [`ErrorKind::TooLarge`]
    /// (`memory_limit`) past the limit, saying how to raise it or make the run smaller.
    pub fn estimate(&self, shard: Shard, threads: usize) -> Result<Estimate, Error> {
        self.check_memory(self.tournament.estimate(shard, threads).map_err(|e| sim_error(&e))?)
    }

    fn check_memory(&self, estimate: Estimate) -> Result<Estimate, Error> {
        let limit = self.memory_limit.saturating_mul(1 << 20);
        if estimate.bytes > limit {
            #[allow(clippy::cast_precision_loss)]
            let mib = estimate.bytes as f64 / f64::from(1 << 20);
            return Err(Error::too_large(
                "memory_limit",
                format!(
                    "this run of {} negotiations would hold about {mib:.0} MiB in memory{}, more than the limit of {} MiB: raise it with --memory-limit, or make the run smaller (--shard I/N, --seatings rotate or sample:N, fewer --reps)",
                    estimate.negotiations,
                    if self.tournament.record {
                        " (results, and the transcripts of the negotiations running at once)"
                    } else {
                        " (its results)"
                    },
                    self.memory_limit
                ),
            ));
        }
        Ok(estimate)
    }

    /// A note for a tournament of [`LARGE_TOURNAMENT`] negotiations or more, which may run for hours:
    /// how many, and why (seatings grow as agents^parties).
    #[must_use]
    pub fn size_note(&self, total: usize) -> Option<String> {
        if total < LARGE_TOURNAMENT {
            return None;
        }
        let widest = self.tournament.scenarios.iter().max_by_key(|s| s.party_count());
        Some(format!(
            "{total} negotiations to run{}; --shard i/n splits the run, --seatings rotate or sample:N makes it smaller",
            widest.map_or(String::new(), |s| format!(
                " ({} seatings of {}: `{}` has {} parties)",
                self.tournament.seatings,
                plural(self.tournament.agents.len(), "agent"),
                s.name(),
                s.party_count()
            ))
        ))
    }

    /// The clock a front end times this tournament with: the kernel's coarse clock when its limits
    /// are of seconds, which costs a few nanoseconds a reading instead of tens
    /// ([`truce_sim::clock_for`]).
    #[must_use]
    pub fn clock(&self) -> Arc<dyn Clock> {
        truce_sim::clock_for(&self.tournament.deadline, &self.tournament.limits)
    }

    /// Runs `shard` on `threads` workers, timed by `clock`, reporting `progress(done, total)`; the
    /// results carry each agreement's distances to the exact Nash point and frontier of its day.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when the engine refuses the tournament.
    pub fn run(
        &self,
        shard: Shard,
        threads: usize,
        clock: Option<Arc<dyn Clock>>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(ResultsFile, Vec<(Match, Run)>), Error> {
        if threads == 0 {
            return Err(Error::parameter("threads", "a tournament needs at least 1 thread"));
        }
        // Every transcript is kept in memory here, not only those of the negotiations running.
        let mut estimate = self.tournament.estimate(shard, threads).map_err(|e| sim_error(&e))?;
        estimate.bytes =
            estimate.bytes.saturating_add(estimate.negotiations.saturating_mul(estimate.transcript_bytes));
        self.check_memory(estimate)?;
        self.tournament.run(shard, threads, clock, progress).map_err(|e| sim_error(&e))
    }
}

/// The domain's exact Nash point (over the zone of agreement) and Pareto frontier (over all outcomes)
/// on its day, in the scenario's party order (both follow the case's order of negotiators). `None`
/// when the zone is empty or the frontier only approximate: the distances are then left out rather
/// than measured against something inexact.
fn reference(findings: Findings) -> Option<Reference> {
    if !findings.frontier.method.is_exact() {
        return None;
    }
    let nash = findings.solutions.nash?.point.utilities;
    let frontier = findings.frontier.points.into_iter().map(|p| p.utilities).collect();
    Some(Reference { nash, frontier })
}

/// Merges the results of a tournament's shards, each given as `(name, text of its results.jsonl)`
/// (see [`merge_folders`] to read and verify result folders).
///
/// # Errors
/// [`ErrorKind::Input`] for a file that does not parse or belongs to another tournament.
pub fn merge(files: Vec<(String, String)>) -> Result<ResultsFile, Error> {
    let parsed = files
        .into_iter()
        .map(|(name, text)| {
            ResultsFile::from_jsonl(&text, &name)
                .map(|r| (name, r))
                .map_err(|e| Error::new(ErrorKind::Input, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    truce_sim::merge(parsed).map_err(|e| Error::new(ErrorKind::Input, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testcases::harbour;

    #[test]
    fn shards_merge_into_the_whole_tournament() {
        let options = TournamentOptions {
            agents: "boulware,conceder".into(),
            reps: 2,
            seed: 4,
            ..TournamentOptions::default()
        };
        let prepared = prepare(&[harbour()], &options).unwrap();
        let clock = || {
            Some(Arc::new(truce_sim::ManualClock::new(std::time::Duration::from_micros(1))) as Arc<dyn Clock>)
        };
        let (whole, _) = prepared.run(Shard::ALL, 1, clock(), &mut |_, _| {}).unwrap();
        let shards: Vec<(String, String)> = (0..2)
            .map(|i| {
                let (part, _) =
                    prepared.run(Shard { index: i, count: 2 }, 1, clock(), &mut |_, _| {}).unwrap();
                (format!("shard{i}"), part.to_jsonl())
            })
            .collect();
        let merged = merge(shards).unwrap();
        assert!(merged.complete);
        assert_eq!(merged.negotiations, whole.negotiations);
        assert_eq!(prepared.size(Shard::ALL).unwrap(), whole.negotiations.len());
        assert!(prepared.size_note(whole.negotiations.len()).is_none());
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = parse_shard("3/2").unwrap_err();
        assert_eq!(e.parameter_name(), Some("shard"));
        let options =
            TournamentOptions { agents: "boulware".into(), reps: 0, ..TournamentOptions::default() };
        assert_eq!(prepare(&[harbour()], &options).unwrap_err().parameter_name(), Some("reps"));
    }
}
