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
use truce::sim::{Ranking, ResultsFile, Shard, SystemClock};
use truce::{DEFAULT_CALL_LIMIT, DEFAULT_NEGOTIATION_LIMIT, TournamentOptions};

use super::negotiate::{canonical_output, silence_worker_panics};
use crate::cli::parse_date;
use crate::error::{CliError, load_valid, print_day};

/// Arguments of `truce tournament`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "\
Time limits: --call-limit and --time-limit default to 5 and 60 seconds, in `truce negotiate` and `truce tournament` alike. The built-in agents answer in microseconds, so the limits only stop an agent that hangs.

Examples:
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --reps 2 --out results/
  truce tournament --agents boulware,conceder \\
      --domains cases/gaza-2024 --at 2024-05 --out gaza-results/
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --shard 0/2 --out shard0/
  truce tournament --agents boulware,conceder \\
      --domains cases/harbour-truce.toml --shard 1/2 --out shard1/
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
    };
    options.check()?;
    // Every domain is read before any is prepared, so that a bad one stops the run at once.
    let cases = args
        .domains
        .iter()
        .map(|path| load_valid(path, args.quiet).map(|v| v.loaded.case))
        .collect::<Result<Vec<_>, _>>()?;
    let prepared = truce::tournament::prepare(&cases, &options)?;
    prepare_out(&dir, &args.domains)?;
    let total = prepared.size(shard)?;
    if !args.quiet {
        for (day, scenario) in prepared.days.iter().zip(&prepared.tournament.scenarios) {
            print_day(day, scenario.name());
        }
        if let Some(note) = prepared.size_note(total) {
            let _ = writeln!(std::io::stderr(), "note: {note}");
        }
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
    let (results, runs) =
        prepared.run(shard, threads, Some(Arc::new(SystemClock::new())), &mut |done, _| {
            bar.set_position(done as u64);
        })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    if args.transcripts {
        let folder = dir.join("transcripts");
        std::fs::create_dir_all(&folder).map_err(|e| write_error(&folder, &e))?;
        for (m, run) in &runs {
            let path = folder.join(format!("{:06}.jsonl", m.index));
            let mut bytes = Vec::new();
            truce::sim::write_jsonl(&run.events, &mut bytes)?;
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
        files.push((file.display().to_string(), text));
    }
    let merged = truce::tournament::merge(files)?;
    let inputs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    prepare_out(&args.out, &inputs)?;
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
