//! Helpers shared by the integration tests.

use std::path::PathBuf;

use truce_model::{
    AdditiveUtility, Basis, Case, Domain, Issue, IssueDomain, IssueUtility, OutcomeSpace, Party, Preferences,
    Role, Utility, ValueFunction,
};

/// The shared ANAC domains (see [`truce_testdata::domains`]).
pub fn domains() -> Option<PathBuf> {
    truce_testdata::domains()
}

/// A negotiator with additive preferences: per issue a weight and table scores.
pub fn party(id: &str, issues: &[(f64, Vec<f64>)], reservation: f64) -> Party {
    let utility = Utility::Additive(AdditiveUtility {
        issues: issues
            .iter()
            .map(|(w, s)| IssueUtility { weight: *w, value: ValueFunction::Table { scores: s.clone() } })
            .collect(),
    });
    Party {
        id: id.into(),
        name: id.into(),
        roles: vec![Role::Negotiator],
        aligned_with: vec![],
        description: None,
        basis: Basis::Unsourced,
        preferences: Some(Preferences { reservation, ..Preferences::new(utility) }),
        stated_positions: vec![],
        constituencies: vec![],
        approval: None,
    }
}

/// A case over discrete issues with the given numbers of options.
pub fn case(radices: &[usize], parties: Vec<Party>) -> Case {
    let issues = radices
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let options = (0..r).map(|v| format!("v{v}")).collect();
            Issue::new(format!("i{i}"), IssueDomain::discrete(options, true).unwrap())
        })
        .collect();
    Case::new("test", "Test", Domain::unphased(OutcomeSpace::new(issues).unwrap()), parties)
}

/// `issues` issues of `values` options each and `parties` parties with pseudo-random weights and
/// scores from a fixed linear congruential sequence (deterministic, no RNG crate needed).
pub fn synthetic(parties: usize, issues: usize, values: usize, seed: u64) -> Case {
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = move || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        #[allow(clippy::cast_precision_loss)]
        let x = (s >> 11) as f64 / (1u64 << 53) as f64;
        x
    };
    let list = (0..parties)
        .map(|p| {
            let weights: Vec<f64> = (0..issues).map(|_| next()).collect();
            let total: f64 = weights.iter().sum();
            let spec: Vec<(f64, Vec<f64>)> =
                weights.iter().map(|w| (w / total, (0..values).map(|_| next()).collect())).collect();
            party(&format!("p{p}"), &spec, 0.0)
        })
        .collect();
    case(&vec![values; issues], list)
}
