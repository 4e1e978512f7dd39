//! GeniusWeb JSON: utilities match GeniusWeb's formula computed from the raw JSON, bad input fails
//! with line and column, and cases round-trip through the writer.

use std::path::Path;

use truce_formats::{Diagnostic, Format, Position};
use truce_model::{Domain, IssueDomain, Utility};

use crate::common;
use crate::genius::assert_same_utilities;

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// GeniusWeb's utility of a grid outcome, from the profile's raw JSON: `sum w * u(v)` with discrete
/// utilities as written and number utilities interpolated between the low and high value.
fn geniusweb_utility(profile: &serde_json::Value, case: &truce_model::Case, outcome: &[u32]) -> f64 {
    let space = &profile["LinearAdditiveUtilitySpace"];
    let mut total = 0.0;
    for (issue, &d) in case.space().issues().iter().zip(outcome) {
        let value = issue.domain().grid_value(d).expect("a grid value");
        let w = space["issueWeights"][&issue.name].as_f64().expect("a weight");
        let utils = &space["issueUtilities"][&issue.name];
        let discrete = utils.get("discreteutils").or_else(|| utils.get("DiscreteValueSetUtilities"));
        let u = match discrete {
            Some(d) => d["valueUtilities"][issue.domain().format_value(value)].as_f64().unwrap_or(0.0),
            None => {
                let n = utils
                    .get("numberutils")
                    .or_else(|| utils.get("NumberValueSetUtilities"))
                    .expect("utilities");
                let (lv, lu, hv, hu) = (
                    n["lowValue"].as_f64().unwrap(),
                    n["lowUtility"].as_f64().unwrap(),
                    n["highValue"].as_f64().unwrap(),
                    n["highUtility"].as_f64().unwrap(),
                );
                let x = value.as_f64();
                if x < lv || x > hv { 0.0 } else { lu + (hu - lu) * (x - lv) / (hv - lv) }
            }
        };
        total += w * u;
    }
    total
}

#[test]
fn profiles_follow_geniusweb_semantics() {
    let folder = common::data("geniusweb/lease");
    let loaded = truce_formats::load(&folder).expect("the fixture loads");
    assert_eq!(loaded.format, Format::GeniusWebJson);
    assert_eq!(
        codes(&loaded.warnings),
        ["geniusweb-ignored-file"],
        "settings.json is not a domain or profile"
    );
    let case = &loaded.case;
    let kinds: Vec<_> = case.space().issues().iter().map(|i| (i.name.as_str(), i.cardinality())).collect();
    assert_eq!(kinds, [("car", 3), ("term", 3), ("hours", 3), ("bonus", 4)], "issues in file order");
    assert!(matches!(case.space().issues()[2].domain(), IssueDomain::Integer(_)));
    assert!(matches!(case.space().issues()[3].domain(), IssueDomain::Real(_)));
    let ids: Vec<_> = case.parties.iter().map(|p| (p.id.as_str(), p.name.as_str())).collect();
    assert_eq!(ids, [("lease_employer", "employer"), ("lease_worker", "worker")]);

    let domain = Domain::unphased(case.space().clone());
    let mut cursor = case.space().outcomes();
    let mut checked = 0;
    let profiles: Vec<serde_json::Value> = ["lease_employer.json", "lease_worker.json"]
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(folder.join(f)).unwrap()).unwrap())
        .collect();
    while let Some(outcome) = cursor.next() {
        for (party, raw) in case.parties.iter().zip(&profiles) {
            let expected = geniusweb_utility(raw, case, outcome);
            let actual = party.preferences.as_ref().unwrap().utility(&domain, outcome);
            assert!((expected - actual).abs() < 1e-12, "{}: {actual} vs {expected} at {outcome:?}", party.id);
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * 3 * 3 * 3 * 4);

    // The employer's reservation is the utility of its reservation bid (small, 2 years, 32, 1.5).
    let employer = case.parties[0].preferences.as_ref().unwrap();
    let expected = 0.3 * 0.6 + 0.2 * 0.5 + 0.35 * 0.6 + 0.15 * (1.0 / 3.0);
    assert!((employer.reservation - expected).abs() < 1e-12);
    assert_eq!(case.parties[1].preferences.as_ref().unwrap().reservation, 0.0);
    // Discrete utilities are not divided by their maximum: the worker's best outcome is worth
    // 0.25 * 0.75 + 0.25 * 0.8 + 0.2 * 0.9 + 0.3 * 1 = 0.8675, as in GeniusWeb.
    let worker = case.parties[1].preferences.as_ref().unwrap();
    let mut best = f64::MIN;
    let mut cursor = case.space().outcomes();
    while let Some(o) = cursor.next() {
        best = best.max(worker.utility(&domain, o));
    }
    assert!((best - 0.8675).abs() < 1e-12, "{best}");
}

#[test]
fn a_single_profile_file_is_a_one_party_case() {
    let file = common::data("geniusweb/lease/lease_worker.json");
    let loaded = truce_formats::load(&file).expect("loads");
    assert_eq!(loaded.case.parties.len(), 1);
    assert_eq!(loaded.case.space().len(), 4, "the embedded domain");
    assert_eq!(loaded.case.id, "lease_worker");
}

fn first_error(files: &[(&str, &str)]) -> Diagnostic {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let failure = truce_formats::load(dir.path()).expect_err("bad input");
    failure.diagnostics.into_iter().find(Diagnostic::is_error).expect("an error")
}

const DOMAIN: &str = "{\"name\": \"d\", \"issuesValues\": {\n  \"a\": {\"values\": [\"x\", \"y\"]},\n  \"n\": {\"range\": {\"low\": 0, \"high\": 4, \"step\": 1}}\n}}";

fn profile(utilities: &str, weights: &str) -> String {
    format!(
        "{{\"LinearAdditiveUtilitySpace\": {{\n\"issueUtilities\": {{\n{utilities}\n}},\n\"issueWeights\": {weights},\n\"name\": \"p\"}}}}"
    )
}

const UTILS: &str = "\"a\": {\"discreteutils\": {\"valueUtilities\": {\"x\": 1, \"y\": 0.5}}},\n\"n\": {\"numberutils\": {\"lowValue\": 0, \"lowUtility\": 0, \"highValue\": 4, \"highUtility\": 1}}";
const WEIGHTS: &str = "{\"a\": 0.5, \"n\": 0.5}";

#[test]
fn the_baseline_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.json"), DOMAIN).unwrap();
    std::fs::write(dir.path().join("p.json"), profile(UTILS, WEIGHTS)).unwrap();
    let loaded = truce_formats::load(dir.path()).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn bad_json_is_reported_with_line_and_column() {
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(UTILS, "{\"a\": 0.5, \"n\": }"))]);
    assert_eq!((e.code, e.position), ("json-syntax", Some(Position { line: 6, column: 33 })), "{e}");
    let bad = UTILS.replace("\"y\": 0.5", "\"y\": 1.5");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(&bad, WEIGHTS))]);
    assert_eq!(e.code, "geniusweb-invalid");
    assert!(e.message.contains("outside [0, 1]"), "{e}");
    assert_eq!(e.position.map(|p| p.line), Some(3), "{e}");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(UTILS, "{\"a\": -0.5, \"n\": 0.5}"))]);
    assert!(e.message.contains("negative"), "{e}");
    let e = first_error(&[("d.json", &DOMAIN.replace("\"values\"", "\"valuez\""))]);
    assert!(e.message.contains("valuez"), "{e}");
}

#[test]
fn mismatches_with_the_domain_are_reported_at_the_issue() {
    let unknown = UTILS.replace("\"n\": {\"numberutils\"", "\"m\": {\"numberutils\"");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.json"), DOMAIN).unwrap();
    std::fs::write(dir.path().join("p.json"), profile(&unknown, "{\"a\": 0.5, \"m\": 0.5}")).unwrap();
    let failure = truce_formats::load(dir.path()).expect_err("bad");
    let e = failure.diagnostics.iter().find(|d| d.code == "geniusweb-unknown-issue").expect("reported");
    assert_eq!(e.position, Some(Position { line: 4, column: 1 }), "at the key `m`");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(UTILS, "{\"a\": 1}"))]);
    assert_eq!(e.code, "geniusweb-missing-issue");
    let narrow = UTILS.replace("\"highValue\": 4", "\"highValue\": 3");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(&narrow, WEIGHTS))]);
    assert_eq!(e.code, "geniusweb-not-fitting");
    let swapped = UTILS.replace("\"n\": {\"numberutils\": {\"lowValue\": 0, \"lowUtility\": 0, \"highValue\": 4, \"highUtility\": 1}}", "\"n\": {\"discreteutils\": {\"valueUtilities\": {\"0\": 1}}}");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", &profile(&swapped, WEIGHTS))]);
    assert_eq!(e.code, "geniusweb-kind-mismatch");
    let e = first_error(&[("d.json", DOMAIN), ("p.json", "{\"SumOfGroupsUtilitySpace\": {}}")]);
    assert_eq!(e.code, "geniusweb-unsupported-profile");
}

fn round_trip(folder: &Path) -> (truce_model::Case, Vec<Diagnostic>) {
    let before = truce_formats::load(folder).expect("loads");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let warnings = truce_formats::geniusweb::save(&before.case, &out).expect("writes");
    let after = truce_formats::load(&out).expect("reads back");
    assert_eq!(after.format, Format::GeniusWebJson);
    assert_same_utilities(&before.case, &after.case, &folder.display().to_string());
    (after.case, warnings)
}

#[test]
fn geniusweb_folders_round_trip() {
    let (after, warnings) = round_trip(&common::data("geniusweb/lease"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(after.parties[1].name, "worker");
}

#[test]
fn genius_domains_round_trip_through_geniusweb() {
    let (_, warnings) = round_trip(&common::data("genius/small"));
    // The buyer's discount factor has no place in GeniusWeb; the speed functions are no straight lines
    // within [0, 1] (a clamped line and a triangle), so speed becomes discrete.
    assert_eq!(
        codes(&warnings),
        ["geniusweb-discount", "geniusweb-issue-as-discrete", "geniusweb-reservation"]
    );
    let Some(root) = common::domains() else { return };
    for folder in common::domain_folders(&root) {
        let Ok(loaded) = truce_formats::load(&folder) else { continue };
        if loaded
            .case
            .parties
            .iter()
            .any(|p| matches!(p.preferences.as_ref().map(|p| &p.utility), Some(Utility::Rectangles(_))))
        {
            let dir = tempfile::tempdir().unwrap();
            let failure = truce_formats::geniusweb::save(&loaded.case, dir.path()).expect_err("refused");
            assert_eq!(failure.diagnostics[0].code, "unsupported");
            continue;
        }
        round_trip(&folder);
    }
}

#[test]
fn a_one_party_case_can_be_written_as_one_file() {
    let loaded = truce_formats::load(&common::data("geniusweb/lease/lease_worker.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lease_worker.json");
    truce_formats::geniusweb::save(&loaded.case, &out).expect("written");
    let again = truce_formats::load(&out).expect("reads back");
    assert_same_utilities(&loaded.case, &again.case, "single file");
    let failure = truce_formats::geniusweb::save(&loaded.case, &out).expect_err("never overwrites");
    assert_eq!(failure.diagnostics[0].code, "output-exists");
}
