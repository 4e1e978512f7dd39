//! `truce tournament`: run a tournament (or one shard of it), or merge shards' results.
//!
//! Writes to `--out DIR` (see `truce::tournament::run_to_folder`): `results.jsonl` (the complete,
//! versioned record `merge` reads, written as negotiations finish), `negotiations.csv` (one row per
//! negotiation and party), `ranking.csv`, with `--transcripts` one JSON Lines transcript per
//! negotiation under `transcripts/`, and last `manifest.json`. Prints the ranking table.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use truce::sim::Shard;
use truce::tournament::{DEFAULT_MEMORY_LIMIT, Existing};
use truce::{DEFAULT_CALL_LIMIT, DEFAULT_NEGOTIATION_LIMIT, TournamentOptions};

use super::negotiate::silence_worker_panics;
use crate::cli::parse_date;
use crate::error::{CliError, load_valid, print_day};

/// Arguments of `truce tournament`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Time limits: --call-limit and --time-limit default to 5 and 60 seconds, in `truce negotiate` and `truce tournament` alike. The built-in agents answer in microseconds, so the limits only stop an agent that hangs.

Results are written as negotiations finish: a run cut short goes on where it stopped with the same arguments and --resume. On domains of more than two parties, --seatings rotate (the default) seats each agent in each seat A times (A² seatings for A agents), --seatings all every one of the A^n assignments.

Examples:
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --reps 2 --out results/
  truce tournament --agents boulware,conceder \\
      --domains cases/gaza-2024 --at 2024-05 --out gaza-results/
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --shard 0/2 --out shard0/
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --shard 1/2 --out shard1/ --resume
  truce tournament merge shard0/ shard1/ --out merged/"
)]
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
    #[arg(long, default_value_t = DEFAULT_CALL_LIMIT)]
    pub call_limit: f64,
    /// Longest one negotiation may take, in seconds.
    #[arg(long, default_value_t = DEFAULT_NEGOTIATION_LIMIT)]
    pub time_limit: f64,
    /// Negotiate on this date (YYYY, YYYY-MM or YYYY-MM-DD; default: each case's `as_of`): each
    /// party holds the red lines in force then, as `truce analyze --at` counts them.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub at: Option<truce::model::PartialDate>,
    /// How agents are seated on domains of more than two parties: `rotate` (each agent in each seat,
    /// the others filled in turn: A² seatings), `all` (every one of the A^n), or `sample:N` (N seeded
    /// random seatings per domain). On two parties `rotate` is `all`.
    #[arg(long, default_value = "rotate", value_name = "all|rotate|sample:N")]
    pub seatings: String,
    /// Also write every negotiation's transcript, each as its negotiation ends.
    #[arg(long)]
    pub transcripts: bool,
    /// Most events one transcript may hold with --transcripts: a negotiation that would record more
    /// stops there, failed with `transcript_limit` (200000 events: some 30 MB each).
    #[arg(long, value_name = "N", default_value_t = truce::sim::MAX_TRANSCRIPT_EVENTS)]
    pub max_events: usize,
    /// Refuse to start a run estimated to hold more than this many MiB of memory.
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MEMORY_LIMIT)]
    pub memory_limit: u64,
    /// The folder to write results to (created if needed; must not hold results already unless
    /// --force or --resume).
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// Replace the results a folder already holds.
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,
    /// Go on with the run whose results the folder holds (same arguments), running only the
    /// negotiations it does not hold; start afresh when it holds none.
    #[arg(long)]
    pub resume: bool,
    /// No progress bar, no warnings about the inputs.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `truce tournament merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Result folders (or their results.jsonl files) of the same tournament, each with its manifest.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// The folder to write the merged results to.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the results the folder already holds.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command.
pub fn run(args: Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match args.command {
        Some(Sub::Merge(merge)) => run_merge(&merge, out),
        None => run_tournament(&args.run, out),
    }
}

fn run_tournament(args: &RunArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let dir = args.out.clone().ok_or_else(|| CliError::input("--out DIR is required"))?;
    let shard = args.shard.as_deref().map(truce::tournament::parse_shard).transpose()?.unwrap_or(Shard::ALL);
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let options = TournamentOptions {
        agents: args.agents.clone().unwrap_or_default(),
        protocol: args.protocol.clone(),
        rounds: args.rounds,
        reps: args.reps,
        seed: args.seed,
        call_limit: args.call_limit,
        time_limit: args.time_limit,
        at: args.at,
        transcripts: args.transcripts,
        seatings: args.seatings.clone(),
        memory_limit: args.memory_limit,
        max_events: args.max_events,
    };
    options.check()?;
    let existing = if args.resume {
        Existing::Resume
    } else if args.force {
        Existing::Overwrite
    } else {
        Existing::Refuse
    };
    // The output folder is checked before any domain is read, so that a bad one stops the run at once.
    let inputs: Vec<&Path> = args.domains.iter().map(PathBuf::as_path).collect();
    truce::tournament::check_out(&dir, &inputs, existing)?;
    // Every domain is read before any is prepared, so that a bad one stops the run at once.
    let cases = args
        .domains
        .iter()
        .map(|path| load_valid(path, args.quiet).map(|v| v.loaded.case))
        .collect::<Result<Vec<_>, _>>()?;
    let prepared = truce::tournament::prepare(&cases, &options)?;
    let estimate = prepared.estimate(shard, threads)?;
    if !args.quiet {
        for (day, scenario) in prepared.days.iter().zip(&prepared.tournament.scenarios) {
            print_day(day, scenario.name());
        }
        if let Some(note) = prepared.size_note(usize::try_from(estimate.negotiations).unwrap_or(usize::MAX)) {
            let _ = writeln!(std::io::stderr(), "note: {note}");
        }
    }
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(estimate.negotiations), ProgressDrawTarget::stderr())
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} negotiations, {per_sec}, eta {eta}")
    {
        bar.set_style(style);
    }
    silence_worker_panics();
    let started = Instant::now();
    let run = truce::tournament::run_to_folder(
        &prepared,
        shard,
        &dir,
        existing,
        threads,
        Some(prepared.clock()),
        &mut |done, _| bar.set_position(done),
    )?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    write!(out, "{}", run.ranking.to_text())?;
    if !args.quiet {
        let ran = run.results.negotiations.len() as u64 - run.resumed;
        #[allow(clippy::cast_precision_loss)]
        let rate = ran as f64 / elapsed.as_secs_f64().max(1e-9);
        let resumed =
            if run.resumed > 0 { format!(" ({} found in the folder)", run.resumed) } else { String::new() };
        let _ = writeln!(
            std::io::stderr(),
            "{ran} negotiations (shard {shard}){resumed} in {:.2} s ({rate:.0}/s) on {threads} thread(s); results in {}",
            elapsed.as_secs_f64(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_merge(args: &MergeArgs, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let inputs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let existing = if args.force { Existing::Overwrite } else { Existing::Refuse };
    truce::tournament::check_out(&args.out, &inputs, existing)?;
    let merged = truce::tournament::merge_folders(&inputs)?;
    if !merged.complete {
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "warning: {} of {} negotiations present: some shards are missing",
            merged.negotiations.len(),
            merged.tournament.total
        );
    }
    let ranking = truce::tournament::write_folder(&args.out, &merged, true)?;
    write!(out, "{}", ranking.to_text())?;
    Ok(ExitCode::SUCCESS)
}
