//! `flatten`: phases and beliefs folded into one profile per party, for the formats without phases.
//! On outcomes drawn from a seeded generator, a fold of fixed beliefs gives exactly the phased
//! utilities, and a fold of beliefs that depend on an issue stays within the bound it reports.

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn sampled(case: &truce_model::Case, n: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let radices = case.space().radices().to_vec();
    (0..n).map(|_| radices.iter().map(|&r| rng.random_range(0..r)).collect()).collect()
}

#[test]
fn a_fold_of_fixed_beliefs_keeps_every_utility_and_one_of_beliefs_by_issue_stays_within_its_bound() {
    for path in ["cases/harbour-truce.toml", "cases/gaza-2024"] {
        let case = truce_formats::load(&repo(path)).unwrap().case;
        let (flat, folded) = truce_formats::flatten(&case);
        assert!(flat.domain.phases().is_empty());
        assert!(flat.validate().iter().all(|p| p.severity != truce_model::Severity::Error), "{path}");
        for (party, flat_party) in case.parties.iter().zip(&flat.parties) {
            let (Some(phased), Some(folded_prefs)) = (&party.preferences, &flat_party.preferences) else {
                continue;
            };
            assert!(folded_prefs.continuation.is_empty());
            let bound = folded.iter().find(|f| f.party == party.id).and_then(|f| f.bound);
            let mut largest: f64 = 0.0;
            for outcome in sampled(&case, 2000, 11) {
                let before = phased.utility(&case.domain, &outcome);
                let after = folded_prefs.utility(&flat.domain, &outcome);
                largest = largest.max((before - after).abs());
            }
            match bound {
                None => assert!(largest < 1e-12, "{path} {}: exact fold off by {largest}", party.id),
                Some(b) => assert!(largest <= b + 1e-12, "{path} {}: {largest} past the bound {b}", party.id),
            }
        }
    }
}

#[test]
fn a_case_whose_beliefs_are_all_fixed_folds_exactly() {
    let mut case = truce_formats::load(&repo("cases/harbour-truce.toml")).unwrap().case;
    let coast = case.parties.iter_mut().find(|p| p.id == "coast").unwrap();
    coast.preferences.as_mut().unwrap().continuation[0].probability = truce_model::Probability::Fixed(0.6);
    let (flat, folded) = truce_formats::flatten(&case);
    assert_eq!(folded.len(), 2);
    assert!(folded.iter().all(|f| f.bound.is_none()), "{folded:?}");
    for party in &case.parties {
        let Some(phased) = &party.preferences else { continue };
        let flat_prefs =
            flat.parties.iter().find(|p| p.id == party.id).unwrap().preferences.as_ref().unwrap();
        for outcome in sampled(&case, 2000, 5) {
            let (a, b) = (phased.utility(&case.domain, &outcome), flat_prefs.utility(&flat.domain, &outcome));
            assert!((a - b).abs() < 1e-12, "{}: {a} against {b}", party.id);
        }
    }
    let warning = truce_formats::flattened_warning(&case, &folded, Path::new("out")).unwrap();
    assert_eq!(warning.code, "flattened");
    assert!(
        warning.message.contains("`coast`'s beliefs folded into its weights exactly"),
        "{}",
        warning.message
    );
}

#[test]
fn the_flattened_case_writes_where_the_phased_one_is_refused_and_reads_back_with_its_utilities() {
    let case = truce_formats::load(&repo("cases/harbour-truce.toml")).unwrap().case;
    let dir = tempfile::tempdir().unwrap();
    let refused =
        truce_formats::save(&case, &dir.path().join("phased"), Some(truce_formats::Format::GeniusXml));
    assert!(refused.is_err_and(|f| f.diagnostics.iter().any(|d| d.code == "unsupported")));
    let (flat, _) = truce_formats::flatten(&case);
    let out = dir.path().join("flat");
    truce_formats::save(&flat, &out, Some(truce_formats::Format::GeniusXml)).unwrap();
    let back = truce_formats::load(&out).unwrap().case;
    // Read back, each party values the sampled outcomes as the flattened case does.
    for party in &back.parties {
        let read = party.preferences.as_ref().unwrap();
        let written = flat.parties.iter().find(|p| p.id == party.id).unwrap().preferences.as_ref().unwrap();
        for outcome in sampled(&flat, 500, 3) {
            let (a, b) = (written.utility(&flat.domain, &outcome), read.utility(&back.domain, &outcome));
            assert!((a - b).abs() < 1e-9, "{}: {a} against {b}", party.id);
        }
    }
}
