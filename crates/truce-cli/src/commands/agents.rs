//! `truce agents`: the strategies `--agents` accepts, with their parameters, and the protocols.

use std::io::Write;
use std::process::ExitCode;

use truce::sim::{Protocol, registry};

use crate::error::CliError;

/// Arguments of `truce agents`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    if args.json {
        let agents: Vec<_> = registry()
            .iter()
            .map(|a| {
                serde_json::json!({
                    "name": a.name,
                    "summary": a.summary,
                    "reference": a.reference,
                    "parameters": a.params.iter().map(|p| serde_json::json!({
                        "name": p.name, "default": p.default, "min": p.min, "max": p.max, "doc": p.doc,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let protocols: Vec<_> = Protocol::ALL
            .iter()
            .map(|p| serde_json::json!({ "name": p.name(), "summary": p.summary() }))
            .collect();
        let doc = serde_json::json!({ "agents": agents, "protocols": protocols });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).map_err(|e| CliError::Failure(e.into()))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Agents (use as --agents NAME or NAME(param=value,...)):")?;
    for a in registry() {
        writeln!(out)?;
        writeln!(out, "  {}", a.name)?;
        writeln!(out, "    {}", a.summary)?;
        for p in a.params {
            writeln!(out, "    {}={} ({} to {}): {}", p.name, p.default, p.min, p.max, p.doc)?;
        }
        writeln!(out, "    reference: {}", a.reference)?;
    }
    writeln!(out)?;
    writeln!(out, "Protocols (use as --protocol NAME):")?;
    for p in Protocol::ALL {
        writeln!(out, "  {:<12} {}", p.name(), p.summary())?;
    }
    Ok(ExitCode::SUCCESS)
}
