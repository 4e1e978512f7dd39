//! `truce negotiate`.

use std::io::Write;
use std::process::ExitCode;

use crate::error::CliError;

/// Arguments of `truce negotiate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: &Args, _out: &mut dyn Write) -> Result<ExitCode, CliError> {
    Err(CliError::Failure(anyhow::anyhow!("`truce negotiate` is not built yet")))
}
