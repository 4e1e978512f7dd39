//! Writing a case as a GENIUS domain folder.

use std::path::Path;

use truce_model::Case;

use crate::{Diagnostic, LoadFailure};

/// Writes `case` to the folder `path` as a GENIUS domain and one profile per negotiating party.
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
