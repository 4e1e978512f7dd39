//! The analysis of ANAC domains in a warm process: what `truce analyze --json` computes (frontier,
//! zone, solutions; no plot cloud), timed without process start, file reading or first-touch costs.
//! Beside `bench/analysis.py`, which times the same domains in a fresh process each run, it tells
//! the algorithm's time from the cold-start floor.
//!
//! Run with `cargo bench -p truce-analysis --bench anac` (the domains come from `$TRUCE_DOMAINS`,
//! default `../shared/domains` beside the workspace; without them nothing is timed).

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use truce_analysis::{Analysis, Limits, pareto_frontier};
use truce_model::Case;

fn main() {
    if CASES.is_empty() {
        eprintln!("no ANAC domains found: set TRUCE_DOMAINS to the shared domains");
    }
    divan::main();
}

/// The additive domains of 10^4 outcomes or more, and two small ones for the floor.
const DOMAINS: &[&str] = &[
    "anac2013_Laptop",
    "anac2013_Lunch",
    "anac2013_SmartPhone",
    "anac2011_Car",
    "anac2013_Kitchen",
    "anac2015_group2-politics",
    "anac2013_Wholesaler",
    "anac2010_Travel",
    "anac2011_Energy",
];

static CASES: LazyLock<BTreeMap<&'static str, Case>> = LazyLock::new(|| {
    let root = std::env::var_os("TRUCE_DOMAINS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/domains"),
        PathBuf::from,
    );
    DOMAINS
        .iter()
        .filter_map(|&name| truce_formats::load(&root.join(name)).ok().map(|l| (name, l.case)))
        .collect()
});

/// Frontier, zone and solutions, as `truce analyze --json --bridging 0 --no-sensitivity` runs them.
#[divan::bench(args = DOMAINS)]
fn analysis(bencher: divan::Bencher, name: &str) {
    let Some(case) = CASES.get(name) else { return };
    bencher.bench(|| Analysis::new(case).with_cloud(false).run().expect("runs"));
}

/// The Pareto frontier alone.
#[divan::bench(args = DOMAINS)]
fn frontier(bencher: divan::Bencher, name: &str) {
    let Some(case) = CASES.get(name) else { return };
    bencher.bench(|| pareto_frontier(case, false, &Limits::default()).expect("solves"));
}
