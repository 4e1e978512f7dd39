//! The command line: one subcommand per file in `commands/`.

use clap::{Parser, Subcommand};

use crate::commands;

/// Written one paragraph a line, and examples under 80 columns, so that clap wraps the text at the
/// terminal's width without breaking a sentence in two.
const AFTER_HELP: &str = "\
PATH is a Truce case (a .toml file, or a folder holding case.toml), or a domain in one of the field's formats: a GENIUS folder (a domain XML file and one profile per party), a GeniusWeb folder or a NegMAS scenario.

Examples:
  truce check cases/gaza-2024 --strict
  truce show cases/gaza-2024
  truce analyze cases/gaza-2024 --svg gaza.svg
  truce monitor cases/gaza-2024 --events cases/gaza-2024/events/2023-11-november-truce.csv
  truce convert domains/anac2010_Travel travel.toml
  truce negotiate domains/anac2010_Travel --agents boulware,conceder --seed 7
  truce negotiate cases/gaza-2024 --agents boulware,conceder --at 2024-05-06

Exit codes:
  0  success
  1  failure not caused by the input (e.g. an output file could not be written)
  2  invalid input or usage (a bad file, a case with errors, an unknown name)";

/// Truce: model, analyse and simulate mediated, multi-party, phased negotiations.
#[derive(Debug, Parser)]
#[command(name = "truce", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a case for errors and lints, reporting every problem with its file, line and column.
    Check(commands::check::Args),
    /// Show a case: parties, issues, outcome-space size, phases, proposals and responses.
    Show(commands::show::Args),
    /// Convert between formats (Truce TOML, GENIUS XML, GeniusWeb JSON; NegMAS YAML input).
    Convert(commands::convert::Args),
    /// Analyse a case: Pareto frontier, bargaining solutions, zone of agreement, proposals, bridging.
    Analyze(commands::analyze::Args),
    /// Follow a signed agreement day by day against event logs: each commitment's status, score and
    /// projection, every source's account side by side.
    Monitor(commands::monitor::Args),
    /// Run one negotiation between automated agents.
    Negotiate(commands::negotiate::Args),
    /// Run a tournament of agents over domains, or merge tournament shards.
    Tournament(commands::tournament::Args),
    /// List the available agents and their parameters.
    Agents(commands::agents::Args),
    /// Serve live mediated negotiations: pages and a JSON API, on SQLite or PostgreSQL.
    Serve(commands::serve::Args),
}

/// Reads `--at DATE`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<truce::model::PartialDate, String> {
    text.parse().map_err(|e: truce::model::ModelError| e.to_string())
}
