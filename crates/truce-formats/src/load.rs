//! Format detection and the entry points [`load`] and [`save`].

use std::path::{Path, PathBuf};

use truce_model::Case;

use crate::Diagnostic;

/// A file format Truce reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Truce's own case format: a `.toml` file, or a folder holding `case.toml`.
    TruceToml,
    /// A GENIUS domain folder: a domain XML file and one XML profile per party.
    GeniusXml,
    /// GeniusWeb JSON profiles (with their domain).
    GeniusWebJson,
    /// A NegMAS scenario folder or file (YAML).
    NegmasYaml,
}

/// A case read from disk, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The case.
    pub case: Case,
    /// The format it was read from.
    pub format: Format,
    /// Warnings (lenient readings of known quirks, lints); never errors.
    pub warnings: Vec<Diagnostic>,
}

/// Why a case could not be read: every error found (at least one), and the warnings.
#[derive(Debug, thiserror::Error)]
#[error("{} could not be read: {} error(s)", path.display(), diagnostics.iter().filter(|d| d.is_error()).count())]
pub struct LoadFailure {
    /// The path given.
    pub path: PathBuf,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the case at `path`: a Truce case file or folder, or a GENIUS, GeniusWeb or NegMAS domain.
///
/// # Errors
/// A [`LoadFailure`] listing every problem when the input cannot be read.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    Err(LoadFailure {
        path: path.to_path_buf(),
        diagnostics: vec![Diagnostic::error("unsupported", path, "reading cases is not built yet")],
    })
}

/// Writes `case` to `path` in `format` (guessed from the path when `None`). Returns warnings about
/// anything the format cannot express exactly.
///
/// # Errors
/// A [`LoadFailure`]-style list of problems when the case cannot be written in that format.
pub fn save(case: &Case, path: &Path, format: Option<Format>) -> Result<Vec<Diagnostic>, LoadFailure> {
    let _ = (case, format);
    Err(LoadFailure {
        path: path.to_path_buf(),
        diagnostics: vec![Diagnostic::error("unsupported", path, "writing cases is not built yet")],
    })
}
