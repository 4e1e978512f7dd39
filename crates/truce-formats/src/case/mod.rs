//! Truce's own case format: TOML, one file or a folder of files. See `docs/case-format.md`.
//!
//! Reading goes in three steps, each in its own module:
//! 1. [`read`]: find the files, parse each as TOML, deserialize each item into the [`raw`] types (one
//!    malformed item does not hide the next one's problems);
//! 2. [`resolve`]: look up every name, parse red-line rules ([`expr`]), build the model `Case` and the
//!    `SourceMap` of where each part was written;
//! 3. the caller runs `Case::validate` and maps its problems through the source map.
//!
//! [`write`] is the inverse of the first two steps.

mod expr;
mod raw;
mod read;
mod resolve;
mod schema;
pub(crate) mod suggest;
mod tomlstr;
mod values;
mod write;

use std::path::Path;

use truce_model::Case;

use crate::load::Files;
use crate::{Diagnostic, LoadFailure, Loaded};

pub use schema::json_schema;

/// Reads a Truce case from `path` through `files`: a `.toml` file, or a folder holding `case.toml` and
/// other `.toml` files.
///
/// # Errors
/// A [`LoadFailure`] with every problem found, each at its file, line and column.
pub(crate) fn load_from(path: &Path, files: &mut Files) -> Result<Loaded, LoadFailure> {
    resolve::resolve(read::read_path(path, files), path)
}

/// Reads a single-file Truce case from `text`, as if read from `file` (which is only used in
/// diagnostics). The in-memory entry point, for tests and fuzzing.
///
/// ```
/// use std::path::Path;
///
/// let text = r#"
/// [case]
/// id = "demo"
/// title = "Demo"
///
/// [[issues]]
/// name = "ratio"
/// type = "integer"
/// min = 0
/// max = 30
///
/// [[parties]]
/// id = "north"
/// name = "North"
/// roles = ["negotiator"]
///
/// [parties.preferences]
/// weights = { ratio = 1 }
/// values = { ratio = { linear = "decreasing" } }
/// assumption = "For the example."
///
/// [[parties.red_lines]]
/// name = "cap"
/// rule = 'ratio <= 15'
/// "#;
/// let loaded = truce_formats::parse_case(text, Path::new("demo.toml")).unwrap();
/// assert_eq!(loaded.case.space().size_u64(), Some(31));
/// // The model's checks, at file positions: the red line cites no source.
/// let lints: Vec<_> = loaded.validate().iter().map(|d| (d.code, d.position.unwrap().line)).collect();
/// assert!(lints.contains(&("unsourced-red-line", 24)));
///
/// let failure = truce_formats::parse_case("[case]\nid = 3\n", Path::new("bad.toml")).unwrap_err();
/// assert_eq!(failure.diagnostics[0].to_string(), "error[wrong-type]: bad.toml:2:6: invalid type: integer `3`, expected a string");
/// ```
///
/// # Errors
/// A [`LoadFailure`] with every problem found.
pub fn parse_case(text: &str, file: &Path) -> Result<Loaded, LoadFailure> {
    Files::memory(crate::Sources::single(file, text))
        .attach(resolve::resolve(read::read_text_as_case(text, file), file))
}

/// `case` as the text of a single-file Truce case, with warnings about anything written differently
/// from the model (never dropped silently).
///
/// # Errors
/// A [`LoadFailure`] when the case holds something the format cannot express (e.g. a reference to a
/// party that does not exist).
pub fn to_toml(case: &Case, path: &Path) -> Result<(String, Vec<Diagnostic>), LoadFailure> {
    write::to_toml(case, path).map_err(|diagnostics| LoadFailure::new(path, diagnostics))
}

/// A red-line rule in the case-file syntax (`withdrawal >= "populated_areas"`), as `truce show` and
/// reports print it; `None` if it has no syntax (an empty combination, or a value of the wrong kind).
#[must_use]
pub fn rule_text(rule: &truce_model::Constraint, space: &truce_model::OutcomeSpace) -> Option<String> {
    expr::format(rule, space, &mut false).ok()
}

/// Writes `case` to `path` as a single-file Truce case. Returns warnings about anything written
/// differently from the model.
///
/// # Errors
/// A [`LoadFailure`] when the case cannot be expressed in the format, or the file cannot be written.
pub fn save(case: &Case, path: &Path) -> Result<Vec<Diagnostic>, LoadFailure> {
    let (text, warnings) = to_toml(case, path)?;
    std::fs::write(path, text).map_err(|e| {
        LoadFailure::single(path, Diagnostic::error("io", path, format!("cannot write: {e}")))
    })?;
    Ok(warnings)
}
