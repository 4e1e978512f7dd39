//! NegMAS YAML scenarios (read only).

use std::path::Path;

use crate::{Diagnostic, LoadFailure, Loaded};

/// Reads NegMAS YAML scenarios (read only) from `path`.
///
/// # Errors
/// Every problem found.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    Err(LoadFailure::single(
        path,
        Diagnostic::error("unsupported", path, "reading NegMAS YAML scenarios (read only) is not built yet"),
    ))
}
