//! `truce negotiate`: one negotiation between automated agents, with its transcript and plot.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use truce_sim::{
    AgentFactory, AgentSpec, Deadline, Negotiation, Protocol, Scenario, Status, SystemClock, TimeLimits,
    run_all,
};

use crate::error::{CliError, EXIT_INPUT};
use crate::input::{load_case, print_diagnostics};

/// Arguments of `truce negotiate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A Truce case (.toml, or a folder holding case.toml) or a GENIUS domain folder.
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
    /// The party (by position, from 0) that moves first.
    #[arg(long, default_value_t = 0)]
    pub first: usize,
    /// Longest one agent call may take, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub call_limit: f64,
    /// Longest the negotiation may take, in seconds.
    #[arg(long, default_value_t = 300.0)]
    pub time_limit: f64,
    /// Print the transcript as JSON Lines instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Write an SVG plot of the negotiation to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Print no warnings about the input.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let agents = parse_agents(&args.agents)?;
    let protocol =
        Protocol::parse(&args.protocol).map_err(|e| CliError::input(format!("--protocol: {e}")))?;
    let limits = limits(args.call_limit, args.time_limit)?;
    let time = args.time.map(seconds).transpose()?;
    let scenario = Arc::new(load_scenario(&args.path, args.quiet, 0)?);
    if let Some(svg) = &args.svg {
        refuse_to_overwrite(svg, &[args.path.as_path()])?;
    }
    let mut negotiation = Negotiation::new(scenario.clone(), agents);
    negotiation.protocol = protocol;
    negotiation.deadline = Deadline { rounds: Some(args.rounds), time };
    negotiation.limits = limits;
    negotiation.seed = args.seed;
    negotiation.first = args.first;
    // Keep the transcript only when it is shown: a summary needs the result alone, in constant memory.
    negotiation.record = args.json || args.svg.is_some();
    let labels: Vec<String> = negotiation.agents.iter().map(|a| a.label()).collect();
    silence_worker_panics();
    let run = run_all(vec![negotiation], 1, Some(Arc::new(SystemClock::new())), &mut |_, _| {})
        .map_err(|(_, e)| CliError::input(e))?
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Failure(anyhow::anyhow!("the negotiation produced no result")))?;
    if let Some(path) = &args.svg {
        std::fs::write(path, truce_report::sim::negotiation_svg(&run.events))
            .map_err(|e| CliError::Failure(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    }
    if args.json {
        truce_sim::write_jsonl(&run.events, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = &run.result;
    let space = scenario.domain().space();
    writeln!(out, "{} under {} ({} rounds, seed {})", scenario.name(), protocol, args.rounds, args.seed)?;
    match (&r.status, &r.agreement) {
        (Status::Agreement, Some(outcome)) => {
            writeln!(
                out,
                "agreement in round {} (t = {:.3}): {}",
                r.rounds - 1,
                r.time,
                space.describe(outcome)
            )?;
        }
        (status, _) => writeln!(out, "{} after {} rounds", status.as_str().replace('_', " "), r.rounds)?,
    }
    if let Some(f) = &r.failure {
        writeln!(
            out,
            "failure ({:?}): {}{}",
            f.kind,
            f.agent.as_deref().map(|a| format!("{a}: ")).unwrap_or_default(),
            f.message
        )?;
    }
    for ((header, agent), u) in scenario.seats().iter().zip(&labels).zip(&r.utilities) {
        let u = u.map_or_else(|| "unknown".to_string(), |u| format!("{u:.4}"));
        writeln!(out, "  {:<24} {:<28} utility {u}", header.id, agent)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the case at `path` and makes it a scenario, refusing cases with errors and domains where
/// nothing is acceptable.
pub(crate) fn load_scenario(path: &Path, quiet: bool, pool_seed: u64) -> Result<Scenario, CliError> {
    load_case_and_scenario(path, quiet, pool_seed).map(|(_, scenario)| scenario)
}

/// As [`load_scenario`], keeping the case (for its analysis).
pub(crate) fn load_case_and_scenario(
    path: &Path,
    quiet: bool,
    pool_seed: u64,
) -> Result<(truce_model::Case, Scenario), CliError> {
    let case = load_valid(path, quiet)?;
    let scenario = scenario_of(&case, path, quiet, pool_seed)?;
    Ok((case, scenario))
}

/// The case at `path`, refused with its diagnostics if it has errors (its warnings printed unless
/// `quiet`).
pub(crate) fn load_valid(path: &Path, quiet: bool) -> Result<truce_model::Case, CliError> {
    let loaded = load_case(path, quiet)?;
    let problems = loaded.validate();
    if problems.iter().any(truce_formats::Diagnostic::is_error) {
        print_diagnostics(&problems);
        return Err(CliError::Reported(EXIT_INPUT));
    }
    Ok(loaded.case)
}

/// The scenario agents negotiate over (`path` names the case in messages); warns unless `quiet` when
/// no agreement is possible.
pub(crate) fn scenario_of(
    case: &truce_model::Case,
    path: &Path,
    quiet: bool,
    pool_seed: u64,
) -> Result<Scenario, CliError> {
    let scenario = Scenario::from_case(case)
        .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?
        .with_pool_seed(pool_seed);
    scenario.check_acceptable().map_err(|e| CliError::input(format!("{}: {e}", path.display())))?;
    if !quiet && scenario.zone_of_agreement_exists() == Some(false) {
        let mut err = std::io::stderr();
        let _ = writeln!(
            err,
            "warning: {}: no outcome is acceptable to every party (red lines, reservation values): no agreement is possible",
            path.display()
        );
    }
    Ok(scenario)
}

pub(crate) fn parse_agents(text: &str) -> Result<Vec<Arc<dyn AgentFactory>>, CliError> {
    let specs = AgentSpec::parse_list(text).map_err(|e| CliError::input(format!("--agents: {e}")))?;
    Ok(specs.into_iter().map(|s| Arc::new(s) as Arc<dyn AgentFactory>).collect())
}

pub(crate) fn seconds(s: f64) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| CliError::input(format!("{s} is not a positive number of seconds")))
}

pub(crate) fn limits(call: f64, negotiation: f64) -> Result<TimeLimits, CliError> {
    Ok(TimeLimits { per_call: Some(seconds(call)?), per_negotiation: Some(seconds(negotiation)?) })
}

/// Refuses an output path that is an input, or lies inside an input folder (a domain folder's files are
/// all part of the input).
pub(crate) fn refuse_to_overwrite(output: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    let out = canonical_output(output);
    for input in inputs {
        let Ok(input) = std::fs::canonicalize(input) else { continue };
        let clash = out.as_ref().is_some_and(|o| *o == input || (input.is_dir() && o.starts_with(&input)));
        if clash {
            return Err(CliError::input(format!(
                "{} is an input, or inside an input folder: choose another output path",
                output.display()
            )));
        }
    }
    Ok(())
}

/// The absolute path a file would be written to, whether or not it exists yet.
pub(crate) fn canonical_output(output: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(output) {
        return Some(path);
    }
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(parent).ok()?.join(output.file_name()?))
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
