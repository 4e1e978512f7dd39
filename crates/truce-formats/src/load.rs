//! Format detection and the entry points [`load`] and [`save`].
//!
//! Detection, from the path alone:
//! - a `.toml` file, or a folder holding `case.toml`: a Truce case;
//! - a `.json` file, or a folder of `.json` files: GeniusWeb;
//! - a `.yaml`/`.yml` file, or a folder of them: a NegMAS scenario;
//! - a folder of `.xml` files: a GENIUS domain (one domain file, one profile per party).
//!
//! [`load_memory`] reads the same formats from texts held in memory ([`Sources`]), detected the same
//! way from their names; the readers read through a crate-private [`Files`], which is either the disk
//! (keeping every text read, so that diagnostics render without reading the disk again) or those
//! texts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use truce_model::{Case, Location, Problem};

use crate::{Diagnostic, Position, Sources};

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
    /// The text of every file read, for rendering diagnostics ([`crate::render`]).
    pub sources: Sources,
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

    /// The path the case was loaded from.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
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

pub(crate) fn enclosing(location: Location) -> Option<Location> {
    match location {
        Location::Case => None,
        Location::Issue { .. }
        | Location::Phase { .. }
        | Location::Source { .. }
        | Location::StateOfPlay { .. }
        | Location::Agreement { .. } => Some(Location::Case),
        Location::DeclaredCommitment { agreement, .. } => Some(Location::Agreement { index: agreement }),
        Location::Party { .. } => Some(Location::Case),
        Location::Preferences { party }
        | Location::StatedPosition { party, .. }
        | Location::Constituency { party, .. }
        | Location::Approval { party } => Some(Location::Party { party }),
        Location::IssueUtility { party, .. }
        | Location::Continuation { party, .. }
        | Location::RedLine { party, .. } => Some(Location::Preferences { party }),
        Location::ConstituencyRedLine { party, constituency, .. } => {
            Some(Location::Constituency { party, index: constituency })
        }
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
    /// The text of every file read before the failure, for rendering the diagnostics.
    pub sources: Sources,
}

impl LoadFailure {
    /// A failure with these diagnostics (and no file texts yet).
    #[must_use]
    pub fn new(path: &Path, diagnostics: Vec<Diagnostic>) -> Self {
        Self { path: path.to_path_buf(), diagnostics, sources: Sources::new() }
    }

    /// A failure with a single error.
    #[must_use]
    pub fn single(path: &Path, diagnostic: Diagnostic) -> Self {
        Self::new(path, vec![diagnostic])
    }

    /// Every diagnostic rendered with its source line ([`crate::render`]).
    #[must_use]
    pub fn render(&self) -> String {
        crate::render(&self.diagnostics, &self.sources)
    }
}

/// Where the readers get files from: the disk (keeping a copy of every text read), or texts in
/// memory, addressed by the same paths.
pub(crate) struct Files {
    memory: bool,
    sources: Sources,
}

impl Files {
    /// The disk.
    pub(crate) fn disk() -> Self {
        Self { memory: false, sources: Sources::new() }
    }

    /// The texts of `sources`, as if they were files.
    pub(crate) fn memory(sources: Sources) -> Self {
        Self { memory: true, sources }
    }

    /// Whether `path` is a folder: on disk, or, in memory, a prefix of some file's path.
    pub(crate) fn is_dir(&self, path: &Path) -> bool {
        if self.memory {
            self.sources.iter().any(|(p, _)| p != path && p.starts_with(path))
        } else {
            path.is_dir()
        }
    }

    /// The files directly in the folder `path` whose extension is one of `extensions` (any case),
    /// hidden files left out, in file-name order; or `path` itself when it is a file.
    pub(crate) fn list(&self, path: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, LoadFailure> {
        if !self.memory {
            return crate::folder::files_with_extension(path, extensions);
        }
        if self.sources.get(path).is_some() {
            return Ok(vec![path.to_path_buf()]);
        }
        let mut files: Vec<PathBuf> = self
            .sources
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.parent() == Some(path) && !crate::folder::file_name(p).starts_with('.'))
            .filter(|p| p.extension().is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x))))
            .map(Path::to_path_buf)
            .collect();
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        Ok(files)
    }

    /// Every file under the folder `root` in memory, as paths relative to it (for a case folder).
    pub(crate) fn memory_tree(&self, root: &Path) -> Option<Vec<PathBuf>> {
        self.memory.then(|| {
            self.sources
                .iter()
                .filter_map(|(p, _)| p.strip_prefix(root).ok().map(Path::to_path_buf))
                .collect()
        })
    }

    /// The text of `path`: from memory, or read from disk with `read` and kept.
    pub(crate) fn read(
        &mut self,
        path: &Path,
        read: impl FnOnce(&Path) -> Result<String, Diagnostic>,
    ) -> Result<std::sync::Arc<str>, Diagnostic> {
        if self.memory {
            return self
                .sources
                .get(path)
                .cloned()
                .ok_or_else(|| Diagnostic::error("io", path, "no such file among the texts given"));
        }
        let text: std::sync::Arc<str> = read(path)?.into();
        self.sources.insert(path, text.clone());
        Ok(text)
    }

    /// Hands the texts read to the result.
    pub(crate) fn attach(self, result: Result<Loaded, LoadFailure>) -> Result<Loaded, LoadFailure> {
        match result {
            Ok(mut loaded) => {
                loaded.sources = self.sources;
                Ok(loaded)
            }
            Err(mut failure) => {
                failure.sources = self.sources;
                Err(failure)
            }
        }
    }
}

/// Reads the case at `path`: a Truce case file or folder, or a GENIUS, GeniusWeb or NegMAS domain.
///
/// # Errors
/// A [`LoadFailure`] listing every problem when the input cannot be read.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    let format = detect(path)?;
    read(format, path, Files::disk())
}

fn read(format: Format, path: &Path, mut files: Files) -> Result<Loaded, LoadFailure> {
    let result = match format {
        Format::TruceToml => crate::case::load_from(path, &mut files),
        Format::GeniusXml => crate::genius::load_from(path, &mut files),
        Format::GeniusWebJson => crate::geniusweb::load_from(path, &mut files),
        Format::NegmasYaml => crate::negmas::load_from(path, &mut files),
    };
    files.attach(result)
}

/// Reads a case from texts in memory, as [`load`] reads `root` from disk: `root` is either the path
/// of one of the texts (a single file) or the folder that holds them (`sources` paths start with
/// it). The format is detected from the names as [`detect`] does; `format` overrides it.
///
/// ```
/// use std::path::Path;
/// use truce_formats::{Sources, load_memory};
///
/// let text = "[case]\nid = \"demo\"\ntitle = \"Demo\"\n\n[[issues]]\nname = \"ratio\"\ntype = \"integer\"\nmin = 0\nmax = 3\n";
/// let loaded = load_memory(Path::new("demo.toml"), Sources::single("demo.toml", text), None).unwrap();
/// assert_eq!(loaded.case.space().size_u64(), Some(4));
/// assert_eq!(loaded.sources.get(Path::new("demo.toml")).map(|t| t.len()), Some(text.len()));
/// ```
///
/// # Errors
/// A [`LoadFailure`] listing every problem, with the texts for rendering.
pub fn load_memory(root: &Path, sources: Sources, format: Option<Format>) -> Result<Loaded, LoadFailure> {
    let format = match format {
        Some(format) => format,
        None => match detect_memory(root, &sources) {
            Ok(format) => format,
            Err(mut failure) => {
                failure.sources = sources;
                return Err(failure);
            }
        },
    };
    read(format, root, Files::memory(sources))
}

/// [`detect`] for texts in memory.
fn detect_memory(root: &Path, sources: &Sources) -> Result<Format, LoadFailure> {
    if sources.get(root).is_some() {
        return detect_file(root);
    }
    if sources.get(&root.join("case.toml")).is_some() {
        return Ok(Format::TruceToml);
    }
    let names: Vec<&Path> = sources.iter().map(|(p, _)| p).filter(|p| p.parent() == Some(root)).collect();
    detect_folder(root, names.iter().map(|p| extension(p)))
}

/// Writes `case` to `path` in `format` (guessed from the path when `None`: `.toml` for Truce, `.json`
/// for GeniusWeb, a folder named `.yaml` or `.yml` for a NegMAS scenario, anything else is a GENIUS
/// folder). Returns warnings about anything the format cannot
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
        Format::NegmasYaml => crate::negmas::save(case, path),
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
        return detect_file(path);
    }
    if !metadata.is_dir() {
        return Err(LoadFailure::single(path, crate::disk::not_regular(path, &metadata)));
    }
    if path.join("case.toml").exists() {
        return Ok(Format::TruceToml);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        LoadFailure::single(path, Diagnostic::error("io", path, format!("cannot list the folder: {e}")))
    })?;
    detect_folder(path, entries.flatten().map(|entry| extension(&entry.path())))
}

/// The format of the single file `path`, from its extension.
fn detect_file(path: &Path) -> Result<Format, LoadFailure> {
    match extension(path).as_deref() {
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
    }
}

/// The format of the folder `path` (without `case.toml`) from the extensions of its files.
fn detect_folder(
    path: &Path,
    extensions: impl Iterator<Item = Option<String>>,
) -> Result<Format, LoadFailure> {
    let mut counts = [0usize; 3]; // xml, json, yaml
    for extension in extensions {
        match extension.as_deref() {
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
