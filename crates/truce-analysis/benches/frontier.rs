//! Frontier and full-analysis benchmarks on synthetic additive domains (seeded), from 10^4 to 10^50
//! outcomes for two parties and up to 10^9 for three.
//!
//! Run with `cargo bench -p truce-analysis`. The last two walk up to documented limits: 10^6 values
//! in one issue, and 1,030 boolean issues.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_analysis::{Analysis, Limits, pareto_frontier};
use truce_model::{
    AdditiveUtility, Basis, Case, Domain, Issue, IssueDomain, IssueUtility, OutcomeSpace, Party, Preferences,
    Role, Utility, ValueFunction,
};

fn main() {
    divan::main();
}

/// `issues` issues of `values` values, `parties` parties with random normalised weights and random
/// option scores (seeded).
fn synthetic(parties: usize, issues: usize, values: usize, seed: u64) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let space = OutcomeSpace::new(
        (0..issues)
            .map(|i| {
                let options = (0..values).map(|v| format!("v{v}")).collect();
                Issue::new(format!("i{i}"), IssueDomain::discrete(options, false).expect("valid"))
            })
            .collect(),
    )
    .expect("valid");
    let parties = (0..parties)
        .map(|p| {
            let weights: Vec<f64> = (0..issues).map(|_| rng.random::<f64>()).collect();
            let total: f64 = weights.iter().sum();
            let utility = Utility::Additive(AdditiveUtility {
                issues: weights
                    .iter()
                    .map(|w| IssueUtility {
                        weight: w / total,
                        value: ValueFunction::Table {
                            scores: (0..values).map(|_| rng.random::<f64>()).collect(),
                        },
                    })
                    .collect(),
            });
            Party {
                id: format!("p{p}"),
                name: format!("p{p}"),
                roles: vec![Role::Negotiator],
                aligned_with: vec![],
                description: None,
                basis: Basis::Unsourced,
                preferences: Some(Preferences::new(utility)),
                stated_positions: vec![],
                constituencies: vec![],
                approval: None,
            }
        })
        .collect();
    Case::new("synthetic", "Synthetic", Domain::unphased(space), parties)
}

/// Two parties, `10^k` outcomes (k issues of 10 values).
#[divan::bench(args = [4, 6, 9, 12, 50])]
fn frontier_two_parties(bencher: divan::Bencher, k: usize) {
    let case = synthetic(2, k, 10, 7);
    bencher.bench(|| pareto_frontier(&case, false, &Limits::default()).expect("solves"));
}

/// Three parties, `10^k` outcomes.
#[divan::bench(args = [4, 6, 9])]
fn frontier_three_parties(bencher: divan::Bencher, k: usize) {
    let case = synthetic(3, k, 10, 7);
    bencher.bench(|| pareto_frontier(&case, false, &Limits::default()).expect("solves"));
}

/// The whole analysis (frontier, zone size, solutions, opposition), two parties, `10^k` outcomes,
/// without the plot cloud (as `truce analyze` runs it when no plot is asked for).
#[divan::bench(args = [4, 6, 12, 50])]
fn analysis_two_parties(bencher: divan::Bencher, k: usize) {
    let case = synthetic(2, k, 10, 7);
    bencher.bench(|| Analysis::new(&case).with_cloud(false).run().expect("runs"));
}

/// The same for three parties.
#[divan::bench(args = [4, 6, 9])]
fn analysis_three_parties(bencher: divan::Bencher, k: usize) {
    let case = synthetic(3, k, 10, 7);
    bencher.bench(|| Analysis::new(&case).with_cloud(false).run().expect("runs"));
}

/// One issue of `n` options, up to the documented limit of 10^6 values per issue (issue 14: the
/// score of each value was found by rescanning the whole table, so 10^6 ran past 300 s).
#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 3)]
fn analysis_one_issue_up_to_the_value_limit(bencher: divan::Bencher, n: usize) {
    let case = synthetic(2, 1, n, 7);
    bencher.bench(|| Analysis::new(&case).with_cloud(false).run().expect("runs"));
}

/// `k` boolean issues, up to 1,030 (issue 14: 2^1030 outcomes, a space past f64).
#[divan::bench(args = [140, 300, 1030], sample_count = 3)]
fn analysis_many_boolean_issues(bencher: divan::Bencher, k: usize) {
    let case = synthetic(2, k, 2, 7);
    bencher.bench(|| Analysis::new(&case).with_cloud(false).run().expect("runs"));
}
