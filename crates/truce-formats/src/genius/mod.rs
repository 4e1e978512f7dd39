//! GENIUS XML domains and profiles.

use std::path::Path;

use crate::{Diagnostic, LoadFailure, Loaded};
use truce_model::Case;

/// Reads GENIUS XML domains and profiles from `path`.
///
/// # Errors
/// Every problem found.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    Err(LoadFailure::single(
        path,
        Diagnostic::error("unsupported", path, "reading GENIUS XML domains and profiles is not built yet"),
    ))
}

/// Writes `case` to `path`.
///
/// # Errors
/// Every problem that prevents writing.
pub fn save(case: &Case, path: &Path) -> Result<Vec<Diagnostic>, LoadFailure> {
    let _ = case;
    Err(LoadFailure::single(
        path,
        Diagnostic::error("unsupported", path, "writing GENIUS XML domains and profiles is not built yet"),
    ))
}
