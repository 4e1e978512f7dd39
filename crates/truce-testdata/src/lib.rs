//! Where the tests find the material that lives outside the repository: the shared ANAC domains and
//! the Gaza case material.
//!
//! A fresh clone has neither, and its tests then check only the fixtures in the repository, saying so
//! on stderr. CI sets `TRUCE_REQUIRE_SHARED=1`: there a missing folder fails the test instead of
//! skipping it, so a green CI run always includes the checks against the shared references.
//!
//! | folder | variable | default |
//! |---|---|---|
//! | ANAC domains (GENIUS XML, `reference.json`) | `TRUCE_DOMAINS` | `../shared/domains` beside the workspace |
//! | case material (seed articles, timeline) | `TRUCE_CASE_MATERIAL` | `../shared/case-material` beside the workspace |

use std::path::{Path, PathBuf};

/// The variable that makes missing shared material an error rather than a skip.
pub const REQUIRE: &str = "TRUCE_REQUIRE_SHARED";

/// The shared ANAC domains, or `None` (after saying so) when they are absent and not required.
///
/// # Panics
/// When they are absent and `TRUCE_REQUIRE_SHARED` is set.
#[must_use]
pub fn domains() -> Option<PathBuf> {
    find("TRUCE_DOMAINS", "domains", "reference.json", "the checks against the shared ANAC domains")
}

/// The Gaza case material, or `None` (after saying so) when it is absent and not required.
///
/// # Panics
/// When it is absent and `TRUCE_REQUIRE_SHARED` is set.
#[must_use]
pub fn case_material() -> Option<PathBuf> {
    find(
        "TRUCE_CASE_MATERIAL",
        "case-material",
        "gaza-talks-2023-2024.md",
        "the quotes against the case material",
    )
}

/// The folder of the workspace (the repository's root).
#[must_use]
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether CI asked for the shared material to be present.
#[must_use]
pub fn required() -> bool {
    std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0")
}

#[allow(clippy::print_stderr)]
fn find(variable: &str, folder: &str, marker: &str, what: &str) -> Option<PathBuf> {
    let path =
        std::env::var_os(variable).map_or_else(|| workspace().join("../shared").join(folder), PathBuf::from);
    if path.join(marker).is_file() {
        return Some(path.canonicalize().unwrap_or(path));
    }
    assert!(
        !required(),
        "{} has no {marker}: set {variable} to the shared {folder} ({REQUIRE} is set, so {what} may not be skipped)",
        path.display()
    );
    eprintln!("{} is absent (set {variable}): skipping {what}", path.display());
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_holds_the_root_manifest() {
        assert!(workspace().join("Cargo.toml").is_file());
        assert!(workspace().join("crates/truce-testdata").is_dir());
    }
}
