//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared ANAC domains: `$TRUCE_DOMAINS`, or `../shared/domains` beside the workspace. `None`
/// (after saying so) when they are absent, as on a fresh clone.
#[allow(clippy::print_stderr)]
pub fn domains() -> Option<PathBuf> {
    let path = std::env::var_os("TRUCE_DOMAINS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/domains"),
        PathBuf::from,
    );
    if path.is_dir() {
        Some(path.canonicalize().unwrap_or(path))
    } else {
        eprintln!("{} is absent: skipping the checks against the shared ANAC domains", path.display());
        None
    }
}

/// The domain folders under `root`, sorted by name.
pub fn domain_folders(root: &std::path::Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("the domains folder can be listed")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

/// The test's own fixtures.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}
