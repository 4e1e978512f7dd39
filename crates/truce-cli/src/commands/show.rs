//! `truce show`.

use std::io::Write;
use std::process::ExitCode;

use crate::error::CliError;

/// Arguments of `truce show`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: &Args, _out: &mut dyn Write) -> Result<ExitCode, CliError> {
    Err(CliError::Failure(anyhow::anyhow!("`truce show` is not built yet")))
}
