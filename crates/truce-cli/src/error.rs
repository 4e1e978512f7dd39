//! The one place where failures become messages and exit codes.
//!
//! Exit codes (documented in `truce --help` and the README):
//! - `0`: success;
//! - `1`: the command could not finish for a reason other than its input (an output file could not be
//!   written, an internal error);
//! - `2`: invalid input or usage: a file that cannot be read or parsed, a case with errors (or, with
//!   `--strict`, warnings), an unknown agent, an impossible parameter.

use std::process::ExitCode;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for a failure not caused by the input.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for invalid input or usage.
pub const EXIT_INPUT: u8 = 2;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
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
    #[allow(clippy::print_stderr)]
    pub fn report(self) -> ExitCode {
        match self {
            Self::Input(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_INPUT)
            }
            Self::Failure(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(EXIT_FAILURE)
            }
            Self::Reported(code) => ExitCode::from(code),
        }
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
