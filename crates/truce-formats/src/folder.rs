//! What the readers of the field's formats share: listing a folder's files of one kind, naming a
//! case after its folder, and making a party of each profile and recording where it was read.

use std::path::{Path, PathBuf};

use truce_model::{IssueId, Location, Party, PartyId, Preferences, Role};

use crate::{Diagnostic, LoadFailure, Position, SourceMap};

/// The files of the folder `path` whose extension is one of `extensions` (any case), hidden files
/// left out, in file-name order; or `path` itself when it is a file.
pub(crate) fn files_with_extension(path: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, LoadFailure> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| {
        LoadFailure::single(path, Diagnostic::error("io", path, format!("cannot list the folder: {e}")))
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !file_name(p).starts_with('.'))
        .filter(|p| p.extension().is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x))))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        .collect();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    // A FIFO, socket or device named like a file of the format is an error, never a read that blocks.
    let special: Vec<Diagnostic> = files
        .iter()
        .filter_map(|p| {
            std::fs::metadata(p).ok().filter(|m| !m.is_file()).map(|m| crate::disk::not_regular(p, &m))
        })
        .collect();
    if !special.is_empty() {
        return Err(LoadFailure::new(path, special));
    }
    Ok(files)
}

/// The last component of `path`, or "" when it has none.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// The id of a case read from `path`: the folder's name (a file's stem), resolving `.` and the
/// like; `fallback` when even that fails.
pub(crate) fn case_id(path: &Path, fallback: &str) -> String {
    let stem = if path.is_file() { path.file_stem() } else { path.file_name() };
    stem.map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            path.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| fallback.to_owned())
}

/// A negotiating party read from the profile `file`: its id is the file's stem, its name `name`
/// when one is given.
pub(crate) fn negotiator(file: &Path, name: Option<String>, preferences: Preferences) -> Party {
    let id = file.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| id.clone());
    Party { preferences: Some(preferences), ..Party::new(id, name, vec![Role::Negotiator]) }
}

/// Records where the profile `file` gave `party`: the party and its preferences at `root`, and each
/// issue's utility at its position in `issues` (by issue index; `None` where the profile has none).
pub(crate) fn locate_profile(
    source_map: &mut SourceMap,
    file: &Path,
    party: PartyId,
    root: Position,
    issues: impl IntoIterator<Item = Option<Position>>,
) {
    source_map.insert(Location::Party { party }, file, Some(root));
    source_map.insert(Location::Preferences { party }, file, Some(root));
    for (i, position) in issues.into_iter().enumerate() {
        if let Some(position) = position {
            source_map.insert(
                Location::IssueUtility { party, issue: IssueId::from_index(i) },
                file,
                Some(position),
            );
        }
    }
}
