//! NegMAS YAML: a scenario NegMAS 0.16 wrote (`Scenario.dumpas(folder, type="yml")`) reads back with
//! the utilities NegMAS itself computed on every outcome (`relief_utilities.csv`, written by NegMAS
//! beside the scenario), and bad input fails with line and column.

use truce_formats::{Diagnostic, Format, Position};
use truce_model::{Domain, IssueDomain};

use crate::common;

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn a_negmas_scenario_reads_with_negmas_utilities() {
    let loaded = truce_formats::load(&common::data("negmas/relief")).expect("the fixture loads");
    assert_eq!(loaded.format, Format::NegmasYaml);
    assert_eq!(codes(&loaded.warnings), ["negmas-discount-per-step", "negmas-rectangles-scaled"]);
    let case = &loaded.case;
    let ids: Vec<_> = case.parties.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["aid_agency", "donor", "ministry"], "file-name order, as NegMAS loads them");
    let space = case.space();
    assert_eq!(space.radices(), &[3, 7, 10], "a continuous issue gets its n_levels");
    assert!(matches!(space.issues()[1].domain(), IssueDomain::Integer(_)));

    let prefs: Vec<_> = case.parties.iter().map(|p| p.preferences.as_ref().unwrap()).collect();
    assert_eq!(prefs[0].reservation, 0.25);
    assert_eq!(
        (prefs[2].reservation, prefs[2].discount),
        (0.1, Some(0.9)),
        "the inner function's reservation"
    );
    // The donor's boxes sum to 1.2 at most: its utilities and reservation are divided by 1.2.
    let donor_scale = 1.2;
    assert!((prefs[1].reservation - 0.2 / donor_scale).abs() < 1e-15);

    let domain = Domain::unphased(space.clone());
    let csv = std::fs::read_to_string(common::data("negmas/relief_utilities.csv")).unwrap();
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let zone = space.issues()[0].domain().option_index(cells[0]).unwrap();
        let trucks: u32 = cells[1].parse().unwrap();
        let days: f64 = cells[2].parse().unwrap();
        let day = space.issues()[2].domain().grid_index(truce_model::Value::Real(days)).unwrap();
        let outcome = [zone, trucks, day];
        // Columns: aid_agency, ministry (undiscounted), donor; parties: aid_agency, donor, ministry.
        let negmas: Vec<f64> = cells[3..].iter().map(|c| c.parse().unwrap()).collect();
        let truce = [
            prefs[0].utility(&domain, &outcome),
            prefs[2].utility(&domain, &outcome),
            prefs[1].utility(&domain, &outcome) * donor_scale,
        ];
        for (t, n) in truce.iter().zip(&negmas) {
            assert!((t - n).abs() < 1e-12, "{line}: Truce {truce:?}");
        }
        rows += 1;
    }
    assert_eq!(rows, 3 * 7 * 10, "every outcome of the grid");
}

fn first_error(files: &[(&str, &str)]) -> Diagnostic {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let failure = truce_formats::load(dir.path()).expect_err("bad input");
    failure.diagnostics.into_iter().find(Diagnostic::is_error).expect("an error")
}

const SPACE: &str = "issues:\n- name: a\n  type: CategoricalIssue\n  values: [x, y]\n- name: n\n  type: ContiguousIssue\n  values: [0, 4]\nname: s\ntype: DiscreteCartesianOutcomeSpace\n";
const UFUN: &str = "name: u\ntype: LinearAdditiveUtilityFunction\nvalues:\n- type: TableFun\n  mapping: {x: 1.0, y: 0.5}\n- type: LinearFun\n  slope: 0.25\nweights: [0.5, 0.5]\n";

#[test]
fn the_baseline_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yml"), SPACE).unwrap();
    std::fs::write(dir.path().join("u.yml"), UFUN).unwrap();
    let loaded = truce_formats::load(dir.path()).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let prefs = loaded.case.parties[0].preferences.as_ref().unwrap();
    let domain = Domain::unphased(loaded.case.space().clone());
    assert!((prefs.utility(&domain, &[1, 4]) - (0.5 * 0.5 + 0.5 * 1.0)).abs() < 1e-12);
}

#[test]
fn bad_yaml_is_reported_with_line_and_column() {
    let e = first_error(&[
        ("s.yml", SPACE),
        ("u.yml", &UFUN.replace("weights: [0.5, 0.5]", "weights: [0.5, 0.5")),
    ]);
    assert_eq!(e.code, "yaml-syntax");
    assert_eq!(e.position.map(|p| p.line), Some(9), "{e}");
    let e = first_error(&[
        ("s.yml", SPACE),
        (
            "u.yml",
            &UFUN.replace("slope: 0.25", "slope: 0.25\n  bias: 0.1").replace("LinearFun", "PolynomialFun"),
        ),
    ]);
    assert_eq!((e.code, e.position), ("negmas-unsupported", Some(Position { line: 6, column: 3 })), "{e}");
    let e = first_error(&[("s.yml", SPACE), ("u.yml", &UFUN.replace("y: 0.5", "y: -0.5"))]);
    assert_eq!((e.code, e.position), ("negmas-negative", Some(Position { line: 5, column: 24 })), "{e}");
    let e = first_error(&[("s.yml", SPACE), ("u.yml", &format!("{UFUN}bias: 0.3\n"))]);
    assert_eq!(e.code, "negmas-unsupported");
    assert_eq!(e.position.map(|p| p.line), Some(9));
    let e =
        first_error(&[("s.yml", SPACE), ("u.yml", &UFUN.replace("weights: [0.5, 0.5]", "weights: [0.5]"))]);
    assert!(e.message.contains("1 weights for the 2 issues"), "{e}");
    let e = first_error(&[("u.yml", UFUN)]);
    assert_eq!(e.code, "negmas-no-domain");
    let e = first_error(&[
        ("s.yml", &SPACE.replace("ContiguousIssue", "CountableInfiniteIssue")),
        ("u.yml", UFUN),
    ]);
    assert_eq!((e.code, e.position), ("negmas-unsupported", Some(Position { line: 5, column: 3 })));
}

#[test]
fn tables_over_huge_ranges_are_refused_not_allocated() {
    let space = SPACE.replace("values: [0, 4]", "values: [0, 4000000000]");
    let ufun = UFUN.replace("- type: LinearFun\n  slope: 0.25", "- type: TableFun\n  mapping: {0: 1.0}");
    let e = first_error(&[("s.yml", &space), ("u.yml", &ufun)]);
    assert_eq!(e.code, "negmas-table-too-large", "{e}");
}

/// Writes `folder`'s case as a NegMAS scenario, reads it back, and checks every party's utilities.
fn round_trip(folder: &std::path::Path) -> (truce_model::Case, Vec<Diagnostic>) {
    let before = truce_formats::load(folder).expect("loads");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yaml");
    let warnings = truce_formats::save(&before.case, &out, None).expect("writes");
    let after = truce_formats::load(&out).expect("reads back");
    assert_eq!(after.format, Format::NegmasYaml);
    assert!(!after.warnings.iter().any(Diagnostic::is_error), "{:?}", after.warnings);
    crate::genius::assert_same_utilities(&before.case, &after.case, &folder.display().to_string());
    let issues =
        |c: &truce_model::Case| c.space().issues().iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(issues(&before.case), issues(&after.case));
    (after.case, warnings)
}

#[test]
fn genius_domains_round_trip_through_negmas_yaml() {
    let (after, warnings) = round_trip(&common::data("genius/small"));
    assert_eq!(after.parties.len(), 2);
    assert!(!warnings.iter().any(Diagnostic::is_error));
    let Some(root) = common::domains() else { return };
    let mut written = 0;
    for folder in common::domain_folders(&root) {
        let Ok(loaded) = truce_formats::load(&folder) else { continue };
        if loaded.case.parties.iter().any(|p| {
            matches!(p.preferences.as_ref().map(|p| &p.utility), Some(truce_model::Utility::Rectangles(_)))
        }) {
            let dir = tempfile::tempdir().unwrap();
            let failure =
                truce_formats::negmas::save(&loaded.case, &dir.path().join("x")).expect_err("refused");
            assert_eq!(failure.diagnostics[0].code, "unsupported");
            continue;
        }
        round_trip(&folder);
        written += 1;
    }
    assert!(written > 20, "only {written} ANAC domains written");
}

#[test]
fn the_written_yaml_reads_back_from_memory() {
    let before = truce_formats::load(&common::data("genius/small")).unwrap();
    let (files, _) = truce_formats::negmas::texts(&before.case, std::path::Path::new("small")).unwrap();
    assert!(files[0].1.contains("type: CartesianOutcomeSpace"), "{}", files[0].1);
    let mut sources = truce_formats::Sources::new();
    for (path, text) in &files {
        sources.insert(path.clone(), text.as_str());
    }
    let again = truce_formats::load_memory(std::path::Path::new("small"), sources, None).expect("reads");
    crate::genius::assert_same_utilities(&before.case, &again.case, "in memory");
    let (twice, _) = truce_formats::negmas::texts(&again.case, std::path::Path::new("small")).unwrap();
    assert_eq!(twice.len(), files.len());
}

#[test]
fn what_negmas_cannot_hold_is_refused_or_warned() {
    let relief = truce_formats::load(&common::data("negmas/relief")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let failure = truce_formats::negmas::save(&relief.case, &dir.path().join("relief")).expect_err("boxes");
    assert_eq!(codes(&failure.diagnostics), ["unsupported"]);
    let harbour = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/harbour-truce.toml");
    let case = truce_formats::load(&harbour).unwrap().case;
    match truce_formats::negmas::save(&case, &dir.path().join("harbour")) {
        Ok(warnings) => assert!(codes(&warnings).contains(&"dropped"), "{warnings:?}"),
        Err(failure) => assert_eq!(codes(&failure.diagnostics), ["unsupported"]),
    }
    let again = truce_formats::negmas::save(&relief.case, &dir.path().join("relief"));
    assert!(again.is_err());
}
