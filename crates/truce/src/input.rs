//! Reading a case: from a path, or from texts in memory (a server's upload, a Python string), in any
//! format Truce reads; checking it; and refusing one with errors before anything else uses it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use truce_formats::{Diagnostic, Format, Loaded, Sources};

use crate::Error;

/// Reads the case at `path`: a Truce case file or folder, or a GENIUS, GeniusWeb or NegMAS domain.
/// The texts read are kept in [`Loaded::sources`], so diagnostics render without reading again.
///
/// # Errors
/// [`ErrorKind::Input`](crate::ErrorKind::Input) with every problem found.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    Ok(truce_formats::load(path)?)
}

/// Reads a case from one text, named `name` (its extension says the format: `.toml`, `.json`,
/// `.yaml`; the name is also what diagnostics point at).
///
/// # Errors
/// As [`load`].
pub fn load_text(name: &str, text: &str) -> Result<Loaded, Error> {
    load_files(Path::new(name), Sources::single(name, text))
}

/// Reads a case from texts in memory as [`load`] reads `root` from disk: `root` is one of the paths
/// of `files` (one file) or the folder they are in (a GENIUS domain and its profiles, a case folder).
///
/// # Errors
/// As [`load`].
pub fn load_files(root: &Path, files: Sources) -> Result<Loaded, Error> {
    Ok(truce_formats::load_memory(root, files, None)?)
}

/// Every problem of a case, reading and validation together, in file order: what `truce check`
/// reports.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The path checked.
    pub path: PathBuf,
    /// Its format, when it could be told.
    pub format: Option<Format>,
    /// Errors and warnings: by file in the order files were first named, then by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the diagnostics point into.
    pub sources: Sources,
}

impl Checked {
    /// How many errors.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    #[must_use]
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Whether the case passes: no error, and, when `strict`, no warning either.
    #[must_use]
    pub fn passes(&self, strict: bool) -> bool {
        self.errors() == 0 && !(strict && self.warnings() > 0)
    }

    /// The diagnostics rendered with their source lines.
    #[must_use]
    pub fn render(&self) -> String {
        truce_formats::render(&self.diagnostics, &self.sources)
    }
}

/// Checks the case at `path`: reads it and, when it reads, runs the model's checks.
#[must_use]
pub fn check(path: &Path) -> Checked {
    let format = truce_formats::detect(path).ok();
    checked(path, format, truce_formats::load(path))
}

/// [`check`] for texts in memory (see [`load_files`]).
#[must_use]
pub fn check_files(root: &Path, files: Sources) -> Checked {
    let result = truce_formats::load_memory(root, files, None);
    let format = result.as_ref().ok().map(|l| l.format);
    checked(root, format, result)
}

fn checked(
    path: &Path,
    format: Option<Format>,
    result: Result<Loaded, truce_formats::LoadFailure>,
) -> Checked {
    let (mut diagnostics, sources) = match result {
        Ok(loaded) => {
            let mut all = loaded.warnings.clone();
            all.extend(loaded.validate());
            (all, loaded.sources)
        }
        Err(failure) => (failure.diagnostics, failure.sources),
    };
    sort(&mut diagnostics);
    Checked { path: path.to_path_buf(), format, diagnostics, sources }
}

/// By file, in the order files first appear (a case folder's `case.toml` first), then by position;
/// diagnostics at the same place keep the order they were found in.
fn sort(diagnostics: &mut [Diagnostic]) {
    let mut first_seen: HashMap<PathBuf, usize> = HashMap::new();
    for d in diagnostics.iter() {
        let next = first_seen.len();
        first_seen.entry(d.file.clone()).or_insert(next);
    }
    diagnostics.sort_by_key(|d| (first_seen[&d.file], d.position));
}

/// A case that read and passed the model's checks, with the warnings of both.
#[derive(Debug)]
pub struct Valid {
    /// The case as read.
    pub loaded: Loaded,
    /// Reading warnings, then the model's warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Valid {
    /// The case.
    #[must_use]
    pub fn case(&self) -> &truce_model::Case {
        &self.loaded.case
    }

    /// The warnings rendered with their source lines.
    #[must_use]
    pub fn render_warnings(&self) -> String {
        truce_formats::render(&self.warnings, &self.loaded.sources)
    }
}

/// Reads the case at `path` and runs the model's checks, refusing a case with errors.
///
/// # Errors
/// [`ErrorKind::Input`](crate::ErrorKind::Input) with every problem (warnings included) when it does
/// not read or has errors.
pub fn load_valid(path: &Path) -> Result<Valid, Error> {
    validated(load(path)?)
}

/// [`load_valid`] for a case already read (from memory, say).
///
/// # Errors
/// As [`load_valid`].
pub fn validated(loaded: Loaded) -> Result<Valid, Error> {
    let mut warnings = loaded.warnings.clone();
    warnings.extend(loaded.validate());
    if warnings.iter().any(Diagnostic::is_error) {
        let errors = warnings.iter().filter(|d| d.is_error()).count();
        let message = format!(
            "{}: {errors} error{}",
            loaded.source_map.root().display(),
            if errors == 1 { "" } else { "s" }
        );
        return Err(Error::input(message, warnings, loaded.sources));
    }
    Ok(Valid { loaded, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "[case]\nid = \"demo\"\ntitle = \"Demo\"\n\n[[issues]]\nname = \"ratio\"\ntype = \"integer\"\nmin = 0\nmax = 3\n";

    #[test]
    fn a_case_loads_from_memory_and_keeps_its_text() {
        let loaded = load_text("demo.toml", CASE).unwrap();
        assert_eq!(loaded.case.id, "demo");
        assert_eq!(loaded.sources.get(Path::new("demo.toml")).map(|t| &**t), Some(CASE));
    }

    #[test]
    fn a_genius_folder_loads_from_memory() {
        let domain = r#"<negotiation_template><utility_space><objective index="0" name="d">
            <issue index="1" name="route" type="discrete"><item index="1" value="north"/><item index="2" value="sea"/></issue>
            </objective></utility_space></negotiation_template>"#;
        let profile = |a: u8, b: u8| {
            format!(
                r#"<utility_space><objective index="0"><weight index="1" value="1"/>
            <issue index="1" name="route"><item index="1" value="north" evaluation="{a}"/><item index="2" value="sea" evaluation="{b}"/></issue>
            </objective></utility_space>"#
            )
        };
        let mut files = Sources::new();
        files.insert("relief/relief-domain.xml", domain);
        files.insert("relief/a.xml", profile(1, 2));
        files.insert("relief/b.xml", profile(2, 1));
        let loaded = load_files(Path::new("relief"), files).unwrap();
        assert_eq!(loaded.format, Format::GeniusXml);
        assert_eq!(loaded.case.parties.len(), 2);
        assert_eq!(loaded.sources.len(), 3);
    }

    #[test]
    fn errors_in_memory_render_against_the_text_given() {
        let error = load_text("bad.toml", "[case]\nid = 3\n").unwrap_err();
        let rendered = error.render();
        assert!(rendered.contains("--> bad.toml:2:6"), "{rendered}");
        assert!(rendered.contains("2 | id = 3"), "{rendered}");
    }

    #[test]
    fn check_sorts_and_counts() {
        let checked = check_files(Path::new("demo.toml"), Sources::single("demo.toml", CASE));
        assert_eq!(checked.errors(), 0);
        assert!(checked.passes(false));
        assert_eq!(checked.passes(true), checked.warnings() == 0);
    }
}
