//! Truce's TOML case format: fixtures, errors with their positions, folders, round trips, the docs.

mod docs;
mod errors;
mod fixtures;
mod folder;
mod roundtrip;

use std::path::{Path, PathBuf};

use truce_formats::{Diagnostic, Loaded};

/// A fixture under `tests/data/case/`.
fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/case").join(path)
}

/// A file of the repository, from its root.
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn show(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Loads a case that must read without errors.
fn load_ok(path: &Path) -> Loaded {
    match truce_formats::load(path) {
        Ok(loaded) => loaded,
        Err(failure) => panic!("{} should load:\n{}", path.display(), show(&failure.diagnostics)),
    }
}

/// Every diagnostic of a case, reading and validation together: (code, line, column).
fn problems(path: &Path) -> Vec<(&'static str, usize, usize)> {
    let diagnostics = match truce_formats::load(path) {
        Ok(loaded) => {
            let mut all = loaded.warnings.clone();
            all.extend(loaded.validate());
            all
        }
        Err(failure) => failure.diagnostics,
    };
    let mut out: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let p = d.position.unwrap_or_else(|| panic!("no position: {d}"));
            (d.code, p.line, p.column)
        })
        .collect();
    out.sort_by_key(|&(code, line, column)| (line, column, code));
    out
}
