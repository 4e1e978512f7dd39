//! The one place where failures become messages and exit codes.
//!
//! Exit codes (documented in `truce --help` and the README):
//! - `0`: success;
//! - `1`: the command could not finish for a reason other than its input (an output file could not be
//!   written, a computation past its limits);
//! - `2`: invalid input or usage: a file that cannot be read or parsed, a case with errors (or, with
//!   `--strict`, warnings), an unknown agent, an impossible parameter.

use std::io::Write;
use std::process::ExitCode;

use truce::ErrorKind;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for a failure not caused by the input.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for invalid input or usage.
pub const EXIT_INPUT: u8 = 2;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// A failure of the library, mapped by its kind.
    Truce(truce::Error),
    /// The input is invalid; the message says what and where.
    Input(anyhow::Error),
    /// Something other than the input failed.
    Failure(anyhow::Error),
    /// The problems were already printed (diagnostics); only the exit code remains.
    Reported(u8),
}

impl CliError {
    /// An invalid-input error with the given message.
    pub fn input(message: impl std::fmt::Display) -> Self {
        Self::Input(anyhow::anyhow!("{message}"))
    }

    /// Prints the error to stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        match self {
            Self::Truce(e) => {
                let code = match e.kind() {
                    ErrorKind::Input | ErrorKind::Parameter => EXIT_INPUT,
                    _ => EXIT_FAILURE,
                };
                let _ = match e.parameter_name() {
                    Some(name) => writeln!(err, "error: --{}: {}", name.replace('_', "-"), e.message()),
                    None if !e.diagnostics().is_empty() => write!(err, "{}", e.render()),
                    None => writeln!(err, "error: {}", e.message()),
                };
                ExitCode::from(code)
            }
            Self::Input(e) => {
                let _ = writeln!(err, "error: {e:#}");
                ExitCode::from(EXIT_INPUT)
            }
            Self::Failure(e) => {
                let _ = writeln!(err, "error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
            Self::Reported(code) => ExitCode::from(code),
        }
    }
}

impl From<truce::Error> for CliError {
    fn from(e: truce::Error) -> Self {
        Self::Truce(e)
    }
}

impl From<std::io::Error> for CliError {
    /// A closed output pipe (`truce show | head`) is not a failure: the reader has what it wanted, so the
    /// command stops quietly with exit code 0, as `ripgrep` and `cat` do.
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::Reported(EXIT_OK)
        } else {
            Self::Failure(e.into())
        }
    }
}

/// Prints `text` to stderr (diagnostics, notes), ignoring a closed stderr.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Loads and validates the case at `path` for a command that uses it: errors refuse it (exit code 2,
/// every diagnostic printed); warnings are summed up in one line on stderr unless `quiet`, pointing to
/// `truce check`.
pub fn load_valid(path: &std::path::Path, quiet: bool) -> Result<truce::Valid, CliError> {
    let valid = truce::load_valid(path)?;
    let n = valid.warnings.len();
    if !quiet && n > 0 {
        eprint(&format!(
            "note: {n} warning{}; run `truce check {}` to see {}\n",
            if n == 1 { "" } else { "s" },
            path.display(),
            if n == 1 { "it" } else { "them" },
        ));
    }
    Ok(valid)
}

/// Prints what a person should know about a day before a simulation of it runs.
pub fn print_day(day: &truce::Day, name: &str) {
    for note in day.notes(name) {
        eprint(&format!("note: {note}\n"));
    }
}
