//! Reading the case a command works on, printing the reader's diagnostics.

use std::io::Write;
use std::path::Path;

use truce_formats::{Diagnostic, Loaded};

use crate::error::{CliError, EXIT_INPUT};

/// Loads the case at `path`. Warnings go to stderr unless `quiet`; on failure every diagnostic is
/// printed and the error carries exit code 2.
pub fn load_case(path: &Path, quiet: bool) -> Result<Loaded, CliError> {
    match truce_formats::load(path) {
        Ok(loaded) => {
            if !quiet {
                print_diagnostics(&loaded.warnings);
            }
            Ok(loaded)
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics);
            Err(CliError::Reported(EXIT_INPUT))
        }
    }
}

/// Prints diagnostics to stderr, one block each.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
}
