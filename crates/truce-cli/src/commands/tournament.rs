//! `truce tournament`: run a tournament (or one shard of it), or merge shards' results.
//!
//! Writes to `--out DIR`: `results.json` (the complete, versioned record `merge` reads),
//! `negotiations.csv` (one row per negotiation and party), `ranking.csv`, and with `--transcripts` one
//! JSON Lines transcript per negotiation under `transcripts/`. Prints the ranking table.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use truce_sim::{Deadline, Protocol, Ranking, ResultsFile, Shard, SystemClock, Tournament, seed};

use super::negotiate::{
    canonical_output, limits, load_valid, parse_agents, scenario_of, silence_worker_panics,
};
use crate::error::CliError;

/// Arguments of `truce tournament`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    /// `merge`, or nothing to run a tournament.
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// The tournament to run.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Subcommands of `truce tournament`.
#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Combine the result folders of a tournament's shards into one.
    Merge(MergeArgs),
}

/// Arguments of a tournament run.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The competing agents: `boulware,conceder,micro` (see `truce agents`).
    #[arg(long, required = true)]
    pub agents: Option<String>,
    /// Cases or GENIUS domain folders.
    #[arg(long, required = true, num_args = 1..)]
    pub domains: Vec<PathBuf>,
    /// Repetitions of every pairing.
    #[arg(long, default_value_t = 1)]
    pub reps: u32,
    /// Deadline in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: u32,
    /// The protocol: sao, single_text or shuttle.
    #[arg(long, default_value = "sao")]
    pub protocol: String,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Run only slice I of N (from 0): `--shard 3/10`. Merge the slices with `truce tournament merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Longest one agent call may take, in seconds.
    #[arg(long, default_value_t = 5.0)]
    pub call_limit: f64,
    /// Longest one negotiation may take, in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    /// Also write every negotiation's transcript.
    #[arg(long)]
    pub transcripts: bool,
    /// The folder to write results to (created if needed; must not hold results already).
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// No progress bar, no warnings about the inputs.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `truce tournament merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Result folders (or their results.json files) of the same tournament.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// The folder to write the merged results to.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs the command.
pub fn run(args: Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match args.command {
        Some(Sub::Merge(merge)) => run_merge(&merge, out),
        None => run_tournament(&args.run, out),
    }
}

/// From this many negotiations on, a tournament announces its size before it starts.
const LARGE_TOURNAMENT: usize = 100_000;

fn run_tournament(args: &RunArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let dir = args.out.clone().ok_or_else(|| CliError::input("--out DIR is required"))?;
    let agents = parse_agents(args.agents.as_deref().unwrap_or_default())?;
    let protocol =
        Protocol::parse(&args.protocol).map_err(|e| CliError::input(format!("--protocol: {e}")))?;
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(|e| CliError::input(format!("--shard: {e}")))?
        .unwrap_or(Shard::ALL);
    let limits = limits(args.call_limit, args.time_limit)?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if threads == 0 {
        return Err(CliError::input("--threads must be at least 1"));
    }
    // Every domain is read before any is prepared, so that a bad one stops the run at once.
    let cases =
        args.domains.iter().map(|path| load_valid(path, args.quiet)).collect::<Result<Vec<_>, _>>()?;
    let mut scenarios = Vec::new();
    for (i, (path, case)) in args.domains.iter().zip(&cases).enumerate() {
        let scenario = scenario_of(case, path, args.quiet, seed::mix(args.seed, u64::MAX - i as u64))?;
        if scenarios.iter().any(|s: &Arc<truce_sim::Scenario>| s.name() == scenario.name()) {
            return Err(CliError::input(format!(
                "two domains are named `{}`: give each domain once",
                scenario.name()
            )));
        }
        scenarios.push(Arc::new(scenario));
    }
    let references: Vec<_> = cases.iter().map(reference).collect();
    let tournament = Tournament {
        agents,
        scenarios,
        protocol,
        deadline: Deadline::rounds(args.rounds),
        limits,
        reps: args.reps,
        seed: args.seed,
        record: args.transcripts,
    };
    prepare_out(&dir, &args.domains)?;
    let total = tournament.plan(shard).map_err(CliError::input)?.len();
    if !args.quiet && total >= LARGE_TOURNAMENT {
        // Seatings grow as agents^parties: say so before a run of hours starts.
        let widest = tournament.scenarios.iter().max_by_key(|s| s.party_count());
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "note: {total} negotiations to run{}; --shard i/n splits the run",
            widest.map_or(String::new(), |s| format!(
                " (every seating of {} agents: `{}` alone has {} parties)",
                tournament.agents.len(),
                s.name(),
                s.party_count()
            ))
        );
    }
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} negotiations, {per_sec}, eta {eta}")
    {
        bar.set_style(style);
    }
    silence_worker_panics();
    let started = Instant::now();
    let (mut results, runs) = tournament
        .run(shard, threads, Some(Arc::new(SystemClock::new())), &mut |done, _| bar.set_position(done as u64))
        .map_err(CliError::input)?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    results.add_distances(&tournament.scenarios, &references);
    if args.transcripts {
        let folder = dir.join("transcripts");
        std::fs::create_dir_all(&folder).map_err(|e| write_error(&folder, &e))?;
        for (m, run) in &runs {
            let path = folder.join(format!("{:06}.jsonl", m.index));
            let mut bytes = Vec::new();
            truce_sim::write_jsonl(&run.events, &mut bytes)?;
            std::fs::write(&path, bytes).map_err(|e| write_error(&path, &e))?;
        }
    }
    write_results(&dir, &results, out)?;
    if !args.quiet {
        #[allow(clippy::cast_precision_loss)]
        let rate = results.negotiations.len() as f64 / elapsed.as_secs_f64().max(1e-9);
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "{} negotiations (shard {shard}) in {:.2} s ({rate:.0}/s) on {threads} thread(s); results in {}",
            results.negotiations.len(),
            elapsed.as_secs_f64(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_merge(args: &MergeArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut files = Vec::new();
    for dir in &args.dirs {
        let file = if dir.is_dir() { dir.join("results.json") } else { dir.clone() };
        let text = std::fs::read_to_string(&file)
            .map_err(|e| CliError::input(format!("{}: cannot read: {e}", file.display())))?;
        let name = file.display().to_string();
        files.push((name.clone(), ResultsFile::from_json(&text, &name).map_err(CliError::input)?));
    }
    let inputs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    prepare_out(&args.out, &inputs)?;
    let merged = truce_sim::merge(files).map_err(CliError::input)?;
    if !merged.complete {
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "warning: {} of {} negotiations present: some shards are missing",
            merged.negotiations.len(),
            merged.tournament.total
        );
    }
    write_results(&args.out, &merged, out)?;
    Ok(ExitCode::SUCCESS)
}

/// The domain's exact Nash point (over the zone of agreement) and Pareto frontier (over all outcomes),
/// from the analysis engine, in the scenario's party order (both follow the case's order of
/// negotiators). `None` when the zone is empty, the frontier is only approximate, or the analysis fails:
/// the distance columns are then left empty rather than measured against something inexact.
fn reference(case: &truce_model::Case) -> Option<truce_sim::Reference> {
    let findings = truce_analysis::Analysis::new(case).with_cloud(false).run().ok()?;
    if !findings.frontier.method.is_exact() {
        return None;
    }
    let nash = findings.solutions.nash?.point.utilities;
    let frontier = findings.frontier.points.into_iter().map(|p| p.utilities).collect();
    Some(truce_sim::Reference { nash, frontier })
}

/// Creates the output folder, refusing one that is an input, holds one, or lies inside one, and one
/// that already holds results.
fn prepare_out(dir: &Path, inputs: &[impl AsRef<Path>]) -> Result<(), CliError> {
    if let Some(out) = canonical_output(dir) {
        for input in inputs {
            let Ok(input) = std::fs::canonicalize(input.as_ref()) else { continue };
            if out == input || input.starts_with(&out) || (input.is_dir() && out.starts_with(&input)) {
                return Err(CliError::input(format!(
                    "--out {} is an input, holds one, or lies inside one: choose another folder",
                    dir.display()
                )));
            }
        }
    }
    if dir.join("results.json").exists() {
        return Err(CliError::input(format!(
            "{} already holds results.json: choose another --out, or remove it first",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))
}

fn write_results(dir: &Path, results: &ResultsFile, out: &mut dyn Write) -> Result<(), CliError> {
    let path = dir.join("results.json");
    std::fs::write(&path, results.to_json() + "\n").map_err(|e| write_error(&path, &e))?;
    let mut csv = Vec::new();
    results.write_csv(&mut csv)?;
    let path = dir.join("negotiations.csv");
    std::fs::write(&path, csv).map_err(|e| write_error(&path, &e))?;
    let ranking = Ranking::of(results);
    let mut csv = Vec::new();
    ranking.write_csv(&mut csv)?;
    let path = dir.join("ranking.csv");
    std::fs::write(&path, csv).map_err(|e| write_error(&path, &e))?;
    write!(out, "{}", ranking.to_text())?;
    Ok(())
}

fn write_error(path: &Path, e: &std::io::Error) -> CliError {
    CliError::Failure(anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
