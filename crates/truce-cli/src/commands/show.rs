//! `truce show PATH [--json]`: a case as a reader wants it (the views are `truce_report::show`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::error::{CliError, EXIT_OK, load_valid};

/// Arguments of `truce show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case: a .toml file, a folder holding case.toml, or a GENIUS/GeniusWeb/NegMAS domain.
    pub path: PathBuf,
    /// Print a JSON object (documented in docs/json-output.md) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let valid = load_valid(&args.path, false)?;
    let (case, format) = (valid.case(), valid.loaded.format);
    if args.json {
        let json = truce::report::show::json(case, format);
        serde_json::to_writer_pretty(&mut *out, &json).map_err(|e| CliError::Failure(e.into()))?;
        writeln!(out)?;
    } else {
        out.write_all(truce::report::show::text(case, format).as_bytes())?;
    }
    Ok(ExitCode::from(EXIT_OK))
}
