//! How long reading the ANAC domains takes: every folder of `$TRUCE_DOMAINS` (default
//! `../shared/domains` beside the workspace), as `truce_formats::load` reads them, plus the GENIUS
//! writer and the GeniusWeb round trip on the largest additive one.
//!
//! Run with `cargo bench -p truce-formats --bench load_domains`.

#![allow(clippy::print_stderr)]

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::Bencher;

fn main() {
    if FOLDERS.is_empty() {
        eprintln!("no domain folders found: set TRUCE_DOMAINS to the shared ANAC domains");
    }
    divan::main();
}

static FOLDERS: LazyLock<Vec<PathBuf>> = LazyLock::new(|| {
    let root = std::env::var_os("TRUCE_DOMAINS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/domains"),
        PathBuf::from,
    );
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    folders.sort();
    folders
});

/// Every shared domain, one after the other (the failing one included: failing is part of reading).
#[divan::bench]
fn load_every_domain(bencher: Bencher<'_, '_>) {
    bencher.bench(|| {
        let mut parties = 0;
        for folder in FOLDERS.iter() {
            if let Ok(loaded) = truce_formats::load(folder) {
                parties += loaded.case.parties.len();
            }
        }
        divan::black_box(parties)
    });
}

fn travel() -> Option<PathBuf> {
    FOLDERS.iter().find(|f| f.ends_with("anac2010_Travel")).cloned()
}

/// The ANAC 2010 Travel domain (188 160 outcomes, two profiles).
#[divan::bench]
fn load_travel(bencher: Bencher<'_, '_>) {
    let Some(folder) = travel() else { return };
    bencher.bench(|| truce_formats::load(&folder).map(|l| l.case.parties.len()).ok());
}

/// Writing Travel as GENIUS XML into a fresh folder.
#[divan::bench]
fn write_travel_genius(bencher: Bencher<'_, '_>) {
    let Some(folder) = travel() else { return };
    let Ok(loaded) = truce_formats::load(&folder) else { return };
    let Ok(dir) = tempfile::tempdir() else { return };
    let mut n = 0;
    bencher.bench_local(|| {
        n += 1;
        truce_formats::genius::save(&loaded.case, &dir.path().join(n.to_string())).ok()
    });
}
