//! `truce monitor`: a signed agreement followed day by day against its event logs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::parse_date;
use crate::error::{CliError, eprint, load_valid};

/// Arguments of `truce monitor`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  truce monitor cases/gaza-2024 --agreement november-2023-truce \\
      --events cases/gaza-2024/events/2023-11-november-truce.csv --at 2023-11-28")]
pub struct Args {
    /// The case: a Truce case file or folder with a signed agreement (`[[agreements]]`).
    pub path: PathBuf,
    /// The signed agreement, by its proposal's id (default: the case's only one).
    #[arg(long, value_name = "ID")]
    pub agreement: Option<String>,
    /// The event logs: CSV or JSON Lines, one observation a row (see docs/monitoring.md).
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub events: Vec<PathBuf>,
    /// Read the agreement at this date (YYYY, YYYY-MM or YYYY-MM-DD; default: the last date in the logs).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub at: Option<truce::model::PartialDate>,
    /// Read only this source's account (a source id of the case).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Print JSON (schema `truce-monitor/1`, see docs/monitoring.md) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write a self-contained HTML page (the report and its plots) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the plots (deliveries against the schedule, rates, the timeline) as one SVG to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Print no warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let mut inputs: Vec<&Path> = vec![&args.path];
    inputs.extend(args.events.iter().map(PathBuf::as_path));
    for (parameter, output) in [("svg", &args.svg), ("html", &args.html)] {
        if let Some(output) = output {
            truce::refuse_overwrite(parameter, output, &inputs)?;
        }
    }
    if let (Some(a), Some(b)) = (&args.svg, &args.html)
        && a == b
    {
        return Err(CliError::input("--svg and --html name the same file"));
    }
    let valid = load_valid(&args.path, args.quiet)?;
    let case = valid.case();
    let options = truce::MonitorOptions {
        agreement: args.agreement.clone(),
        events: args.events.clone(),
        at: args.at,
        source: args.source.clone(),
    };
    let monitored = truce::monitor(case, &options)?;
    if !args.quiet && !monitored.warnings.is_empty() {
        eprint(&truce::render(&monitored.warnings, &monitored.sources));
    }
    let m = &monitored.monitoring;
    if args.json {
        writeln!(out, "{}", truce::report::monitor::json::to_string(case, m))?;
    } else {
        write!(out, "{}", truce::report::monitor::text::report(case, m))?;
    }
    if let Some(path) = &args.svg {
        write_file(path, &truce::report::monitor::svg::plot(case, m))?;
    }
    if let Some(path) = &args.html {
        write_file(path, &truce::report::monitor::html::page(case, m))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(CliError::Failure)
}
