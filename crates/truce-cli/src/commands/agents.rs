//! `truce agents`.

use std::io::Write;
use std::process::ExitCode;

use crate::error::CliError;

/// Arguments of `truce agents`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: &Args, _out: &mut dyn Write) -> Result<ExitCode, CliError> {
    Err(CliError::Failure(anyhow::anyhow!("`truce agents` is not built yet")))
}
