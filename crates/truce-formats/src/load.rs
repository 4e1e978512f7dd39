//! Format detection and the entry points [`load`] and [`save`].
//!
//! Detection, from the path alone:
//! - a `.toml` file, or a folder holding `case.toml`: a Truce case;
//! - a `.json` file, or a folder of `.json` files: GeniusWeb;
//! - a `.yaml`/`.yml` file, or a folder of them: a NegMAS scenario;
//! - a folder of `.xml` files: a GENIUS domain (one domain file, one profile per party).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use truce_model::{Case, Location, Problem};

use crate::{Diagnostic, Position};

/// A file format Truce reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Truce's own case format: a `.toml` file, or a folder holding `case.toml`.
    TruceToml,
    /// A GENIUS domain folder: a domain XML file and one XML profile per party.
    GeniusXml,
    /// GeniusWeb JSON: a domain and one profile per party.
    GeniusWebJson,
    /// A NegMAS scenario (YAML).
    NegmasYaml,
}

impl Format {
    /// The format's name as the CLI prints it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::TruceToml => "Truce TOML",
            Self::GeniusXml => "GENIUS XML",
            Self::GeniusWebJson => "GeniusWeb JSON",
            Self::NegmasYaml => "NegMAS YAML",
        }
    }
}

/// A case read from disk, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The case.
    pub case: Case,
    /// The format it was read from.
    pub format: Format,
    /// Warnings (lenient readings of known quirks); never errors.
    pub warnings: Vec<Diagnostic>,
    /// Where each part of the case was read from.
    pub source_map: SourceMap,
}

impl Loaded {
    /// The model's semantic problems (`Case::validate`), at their file positions.
    #[must_use]
    pub fn validate(&self) -> Vec<Diagnostic> {
        self.case.validate().iter().map(|p| self.source_map.diagnostic(p)).collect()
    }
}

/// Where each part of a loaded case was read from: the file, and the position when the format keeps
/// one, for every model [`Location`] a reader recorded. Locations not recorded fall back to the
/// enclosing one (a term to its proposal, a red line to its party's preferences, then the party, a
/// stated position to its party), and
/// finally to the file or folder the case was loaded from.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    root: PathBuf,
    entries: HashMap<Location, (PathBuf, Option<Position>)>,
}

impl SourceMap {
    /// An empty map whose fallback is `root`, the path the case was loaded from.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into(), entries: HashMap::new() }
    }

    /// Records where `location` was read from.
    pub fn insert(&mut self, location: Location, file: impl Into<PathBuf>, position: Option<Position>) {
        self.entries.insert(location, (file.into(), position));
    }

    /// The file and position of `location`, or of the nearest enclosing location recorded.
    #[must_use]
    pub fn locate(&self, location: Location) -> (PathBuf, Option<Position>) {
        let mut current = Some(location);
        while let Some(loc) = current {
            if let Some((file, position)) = self.entries.get(&loc) {
                return (file.clone(), *position);
            }
            current = enclosing(loc);
        }
        (self.root.clone(), None)
    }

    /// A model problem as a diagnostic at its file position.
    #[must_use]
    pub fn diagnostic(&self, problem: &Problem) -> Diagnostic {
        let (file, position) = self.locate(problem.location);
        Diagnostic {
            severity: problem.severity,
            code: problem.code,
            file,
            position,
            message: problem.message.clone(),
            hint: problem.hint.clone(),
        }
    }
}

fn enclosing(location: Location) -> Option<Location> {
    match location {
        Location::Case => None,
        Location::Issue { .. } | Location::Phase { .. } | Location::Source { .. } => Some(Location::Case),
        Location::Party { .. } => Some(Location::Case),
        Location::Preferences { party } | Location::StatedPosition { party, .. } => {
            Some(Location::Party { party })
        }
        Location::IssueUtility { party, .. }
        | Location::Continuation { party, .. }
        | Location::RedLine { party, .. } => Some(Location::Preferences { party }),
        Location::Proposal { .. } => Some(Location::Case),
        Location::Term { proposal, .. } | Location::Response { proposal, .. } => {
            Some(Location::Proposal { proposal })
        }
    }
}

/// Why a case could not be read or written: every problem found (at least one error).
#[derive(Debug, thiserror::Error)]
#[error("{}: {} error(s)", path.display(), diagnostics.iter().filter(|d| d.is_error()).count())]
pub struct LoadFailure {
    /// The path given.
    pub path: PathBuf,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadFailure {
    /// A failure with a single error.
    #[must_use]
    pub fn single(path: &Path, diagnostic: Diagnostic) -> Self {
        Self { path: path.to_path_buf(), diagnostics: vec![diagnostic] }
    }
}

/// Reads the case at `path`: a Truce case file or folder, or a GENIUS, GeniusWeb or NegMAS domain.
///
/// # Errors
/// A [`LoadFailure`] listing every problem when the input cannot be read.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    match detect(path)? {
        Format::TruceToml => crate::case::load(path),
        Format::GeniusXml => crate::genius::load(path),
        Format::GeniusWebJson => crate::geniusweb::load(path),
        Format::NegmasYaml => crate::negmas::load(path),
    }
}

/// Writes `case` to `path` in `format` (guessed from the path when `None`: `.toml` for Truce, `.json`
/// for GeniusWeb, anything else is a GENIUS folder). Returns warnings about anything the format cannot
/// express exactly. Never overwrites the file a case was read from: that is the caller's job to refuse.
///
/// # Errors
/// A [`LoadFailure`] listing the problems when the case cannot be written in that format.
pub fn save(case: &Case, path: &Path, format: Option<Format>) -> Result<Vec<Diagnostic>, LoadFailure> {
    let format = format.unwrap_or_else(|| match extension(path).as_deref() {
        Some("toml") => Format::TruceToml,
        Some("json") => Format::GeniusWebJson,
        Some("yaml" | "yml") => Format::NegmasYaml,
        _ => Format::GeniusXml,
    });
    match format {
        Format::TruceToml => crate::case::save(case, path),
        Format::GeniusXml => crate::genius::save(case, path),
        Format::GeniusWebJson => crate::geniusweb::save(case, path),
        Format::NegmasYaml => Err(LoadFailure::single(
            path,
            Diagnostic::error("unsupported-output", path, "Truce reads NegMAS YAML but does not write it")
                .with_hint("write GENIUS XML (a folder) or GeniusWeb JSON, which NegMAS also reads"),
        )),
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase)
}

/// Which format `path` holds.
///
/// # Errors
/// When the path does not exist or holds nothing Truce can read.
pub fn detect(path: &Path) -> Result<Format, LoadFailure> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| LoadFailure::single(path, Diagnostic::error("io", path, format!("cannot read: {e}"))))?;
    if metadata.is_file() {
        return match extension(path).as_deref() {
            Some("toml") => Ok(Format::TruceToml),
            Some("json") => Ok(Format::GeniusWebJson),
            Some("yaml" | "yml") => Ok(Format::NegmasYaml),
            Some("xml") => Err(LoadFailure::single(
                path,
                Diagnostic::error("unknown-format", path, "a single GENIUS XML file is not a whole domain")
                    .with_hint("give the folder that holds the domain file and its profiles"),
            )),
            _ => Err(LoadFailure::single(
                path,
                Diagnostic::error("unknown-format", path, "not a file Truce reads").with_hint(
                    "expected a .toml case file, a GeniusWeb .json, a NegMAS .yaml, or a domain folder",
                ),
            )),
        };
    }
    if path.join("case.toml").is_file() {
        return Ok(Format::TruceToml);
    }
    let mut counts = [0usize; 3]; // xml, json, yaml
    let entries = std::fs::read_dir(path).map_err(|e| {
        LoadFailure::single(path, Diagnostic::error("io", path, format!("cannot list the folder: {e}")))
    })?;
    for entry in entries.flatten() {
        match extension(&entry.path()).as_deref() {
            Some("xml") => counts[0] += 1,
            Some("json") => counts[1] += 1,
            Some("yaml" | "yml") => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [x, _, _] if x > 0 => Ok(Format::GeniusXml),
        [0, j, _] if j > 0 => Ok(Format::GeniusWebJson),
        [0, 0, y] if y > 0 => Ok(Format::NegmasYaml),
        _ => Err(LoadFailure::single(
            path,
            Diagnostic::error(
                "unknown-format",
                path,
                "the folder holds no case.toml and no XML, JSON or YAML files",
            )
            .with_hint(
                "give a Truce case folder (with case.toml) or a GENIUS, GeniusWeb or NegMAS domain folder",
            ),
        )),
    }
}
