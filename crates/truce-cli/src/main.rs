//! `truce`: the command-line front end. Parses arguments, calls the `truce` library, prints what it
//! returns and maps failures to exit codes (`error.rs`). It computes nothing: every computation lives
//! in the library, which the server and the Python bindings call too.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod error;

use cli::{Cli, Command};
use error::CliError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = run(cli.command, &mut out);
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(error) => error.report(),
    }
}

fn run(command: Command, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    match command {
        Command::Check(args) => commands::check::run(&args, out),
        Command::Show(args) => commands::show::run(&args, out),
        Command::Convert(args) => commands::convert::run(&args, out),
        Command::Analyze(args) => commands::analyze::run(&args, out),
        Command::Monitor(args) => commands::monitor::run(&args, out),
        Command::Negotiate(args) => commands::negotiate::run(&args, out),
        Command::Tournament(args) => commands::tournament::run(args, out),
        Command::Agents(args) => commands::agents::run(&args, out),
        Command::Serve(args) => commands::serve::run(&args, out),
    }
}
