//! `truce`: the command-line front end. Parses arguments, runs one command, maps its outcome to an exit
//! code. Every computation lives in the library crates; this binary only reads arguments, calls them
//! and prints.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod error;
mod input;

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
        Command::Negotiate(args) => commands::negotiate::run(&args, out),
        Command::Tournament(args) => commands::tournament::run(args, out),
        Command::Agents(args) => commands::agents::run(&args, out),
    }
}
