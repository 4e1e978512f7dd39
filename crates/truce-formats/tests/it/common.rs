//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared ANAC domains (see [`truce_testdata::domains`]).
pub fn domains() -> Option<PathBuf> {
    truce_testdata::domains()
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
