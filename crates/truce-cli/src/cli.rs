//! The command line: one subcommand per file in `commands/`.

use clap::{Parser, Subcommand};

use crate::commands;

const AFTER_HELP: &str = "\
PATH is a Truce case (a .toml file, or a folder holding case.toml) or a GENIUS domain folder (a domain
XML file and its profiles, which become the parties).

Examples:
  truce check cases/gaza-2024 --strict
  truce show cases/gaza-2024
  truce analyze cases/gaza-2024 --svg gaza.svg
  truce convert domains/anac2010_Travel travel.toml
  truce negotiate domains/anac2010_Travel --agents boulware,conceder --rounds 100 --seed 7

Exit codes:
  0  success
  1  failure not caused by the input (e.g. an output file could not be written)
  2  invalid input or usage (unreadable or malformed files, a case with errors, unknown names)";

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
    /// Run one negotiation between automated agents.
    Negotiate(commands::negotiate::Args),
    /// Run a tournament of agents over domains, or merge tournament shards.
    Tournament(commands::tournament::Args),
    /// List the available agents and their parameters.
    Agents(commands::agents::Args),
}
