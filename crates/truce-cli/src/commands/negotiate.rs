//! `truce negotiate`: one negotiation between automated agents, with its transcript and plot.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use truce::sim::SystemClock;
use truce::{DEFAULT_CALL_LIMIT, DEFAULT_NEGOTIATION_LIMIT, NegotiateOptions};

use crate::cli::parse_date;
use crate::error::{CliError, load_valid, print_day};

/// Arguments of `truce negotiate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Time limits: --call-limit and --time-limit default to 5 and 60 seconds, in `truce negotiate` and `truce tournament` alike. The built-in agents answer in microseconds, so the limits only stop an agent that hangs; the deadline that shapes a negotiation is --rounds.

Examples:
  truce negotiate domains/anac2010_Travel --agents boulware,micro --seed 7
  truce negotiate cases/harbour-truce.toml --agents conceder,linear --json
  truce negotiate cases/gaza-2024 --agents boulware,conceder --at 2024-07-05")]
pub struct Args {
    /// A Truce case (.toml, or a folder holding case.toml) or a GENIUS, GeniusWeb or NegMAS domain.
    pub path: PathBuf,
    /// One agent per negotiating party, in party order: `boulware,micro` or
    /// `boulware(e=0.1),random(p_accept=0.2)` (see `truce agents`).
    #[arg(long, required = true)]
    pub agents: String,
    /// The protocol: sao, single_text or shuttle.
    #[arg(long, default_value = "sao")]
    pub protocol: String,
    /// Deadline in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: u32,
    /// Also a deadline in seconds (makes the run depend on the machine's speed).
    #[arg(long)]
    pub time: Option<f64>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The party that moves first, by position from 0 (0 is the first negotiating party).
    #[arg(long, default_value_t = 0)]
    pub first: usize,
    /// Longest one agent call may take, in seconds.
    #[arg(long, default_value_t = DEFAULT_CALL_LIMIT)]
    pub call_limit: f64,
    /// Longest the negotiation may take, in seconds.
    #[arg(long, default_value_t = DEFAULT_NEGOTIATION_LIMIT)]
    pub time_limit: f64,
    /// Negotiate on this date (YYYY, YYYY-MM or YYYY-MM-DD; default: the case's `as_of`): each
    /// party holds the red lines in force then, as `truce analyze --at` counts them.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub at: Option<truce::model::PartialDate>,
    /// Most events the transcript may hold when it is kept (--json, --svg, --html): a negotiation
    /// that would record more stops there, failed with `transcript_limit` (200000 events: some 30
    /// MB).
    #[arg(long, value_name = "N", default_value_t = truce::sim::MAX_TRANSCRIPT_EVENTS)]
    pub max_events: usize,
    /// Print the transcript as JSON Lines instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Write an SVG plot of the negotiation to this file: the offers over time and in utility space,
    /// with the Pareto frontier and the Nash and Kalai-Smorodinsky points of the day.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write a self-contained HTML page of the negotiation (the summary and the plot) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print no warnings about the input.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let options = NegotiateOptions {
        agents: args.agents.clone(),
        protocol: args.protocol.clone(),
        rounds: args.rounds,
        time: args.time,
        seed: args.seed,
        first: args.first,
        call_limit: args.call_limit,
        time_limit: args.time_limit,
        max_events: args.max_events,
        at: args.at,
    };
    options.check()?;
    let valid = load_valid(&args.path, args.quiet)?;
    let case = valid.case();
    // Keep the transcript only when it is shown: a summary needs the result alone, in constant memory.
    let prepared = truce::negotiate::prepare(case, &options)?
        .keep_transcript(args.json || args.svg.is_some() || args.html.is_some());
    let agents = prepared.agent_labels();
    for (parameter, output) in [("svg", &args.svg), ("html", &args.html)] {
        if let Some(output) = output {
            truce::refuse_overwrite(parameter, output, &[args.path.as_path()])?;
        }
    }
    let reference = prepared.reference();
    let (day, scenario, protocol) = (prepared.day.clone(), prepared.scenario.clone(), prepared.protocol);
    print_day(&day, scenario.name());
    silence_worker_panics();
    let run = prepared.run(Some(Arc::new(SystemClock::new())))?;
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text)
            .map_err(|e| CliError::Failure(anyhow::anyhow!("cannot write {}: {e}", path.display())))
    };
    if let Some(path) = &args.svg {
        write(path, &truce::report::sim::negotiation_plot(&run.events, reference.as_ref()).svg)?;
    }
    let notes = day.notes(scenario.name());
    if let Some(path) = &args.html {
        let page = truce::report::sim::negotiation_html(
            &scenario,
            protocol,
            args.rounds,
            args.seed,
            &agents,
            &run,
            &notes,
            reference.as_ref(),
        );
        write(path, &page)?;
    }
    if args.json {
        truce::sim::write_jsonl(&run.events, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    write!(
        out,
        "{}",
        truce::report::sim::summary(&scenario, protocol, args.rounds, args.seed, &agents, &run, &notes)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Agents that panic are recorded in the results; their panic messages need not also go to stderr.
pub(crate) fn silence_worker_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let worker = std::thread::current().name().is_some_and(|n| n.starts_with("truce-sim-worker"));
        if !worker {
            default(info);
        }
    }));
}
