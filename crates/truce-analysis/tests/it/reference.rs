//! Every domain of `reference.json` (brute force under GENIUS semantics, see its README): the same
//! frontier sizes, frontier points, zone sizes and solution values, to 1e-9.

use num_bigint::BigUint;
use serde_json::Value as Json;
use truce_analysis::{Analysis, Findings, Size};

use crate::common::domains;

fn num(j: &Json) -> f64 {
    j.as_f64().unwrap_or_else(|| panic!("not a number: {j}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

fn check(name: &str, expected: &Json, f: &Findings) -> Vec<String> {
    let mut errors = Vec::new();
    let mut fail = |what: String| errors.push(format!("{name}: {what}"));
    let outcomes = expected["outcomes"].as_u64().unwrap();
    if f.outcomes != BigUint::from(outcomes) {
        fail(format!("outcomes {} vs {outcomes}", f.outcomes));
    }
    let d: Vec<f64> = expected["disagreement"].as_array().unwrap().iter().map(num).collect();
    let ours: Vec<f64> = f.parties.iter().map(|p| p.reservation).collect();
    if ours.len() != d.len() || ours.iter().zip(&d).any(|(a, b)| !close(*a, *b)) {
        fail(format!("disagreement {ours:?} vs {d:?}"));
    }
    let size = expected["frontier_size"].as_u64().unwrap() as usize;
    if f.frontier.points.len() != size {
        fail(format!("frontier size {} vs {size}", f.frontier.points.len()));
    }
    let reaching = expected["frontier_outcomes"].as_u64().unwrap();
    if f.frontier.outcomes() != u128::from(reaching) {
        fail(format!("frontier outcomes {} vs {reaching}", f.frontier.outcomes()));
    }
    let mut points: Vec<Vec<f64>> = f.frontier.points.iter().map(|p| p.utilities.clone()).collect();
    points.sort_by(|a, b| {
        a.iter().zip(b).map(|(x, y)| x.total_cmp(y)).find(|o| o.is_ne()).unwrap_or(std::cmp::Ordering::Equal)
    });
    let reference: Vec<Vec<f64>> = expected["frontier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_array().unwrap().iter().map(num).collect())
        .collect();
    if points.len() == reference.len() {
        for (a, b) in points.iter().zip(&reference) {
            if a.iter().zip(b).any(|(x, y)| !close(*x, *y)) {
                fail(format!("frontier point {a:?} vs {b:?}"));
                break;
            }
        }
    }
    let zone = expected["zone_size"].as_u64().unwrap();
    if f.zone.size != Size::Exact(BigUint::from(zone)) {
        fail(format!("zone size {:?} vs {zone}", f.zone.size));
    }
    let zone_frontier = expected["zone_frontier_size"].as_u64().unwrap() as usize;
    if f.zone.frontier.len() != zone_frontier {
        fail(format!("zone frontier size {} vs {zone_frontier}", f.zone.frontier.len()));
    }
    let solutions = [
        ("nash", &f.solutions.nash),
        ("kalai_smorodinsky", &f.solutions.kalai_smorodinsky),
        ("egalitarian", &f.solutions.egalitarian),
        ("max_welfare", &f.solutions.max_welfare),
    ];
    for (key, ours) in solutions {
        match (expected.get(key), ours) {
            (None, None) => {}
            (Some(e), Some(s)) => {
                let value = num(&e["value"]);
                if !close(s.value, value) {
                    fail(format!("{key} {} vs {value}", s.value));
                }
            }
            (e, s) => fail(format!("{key}: expected {e:?}, found {:?}", s.as_ref().map(|s| s.value))),
        }
    }
    errors
}

#[test]
fn every_reference_domain_matches() {
    let Some(root) = domains() else { return };
    let text = std::fs::read_to_string(root.join("reference.json")).expect("reference.json is readable");
    let reference: Vec<Json> = serde_json::from_str(&text).expect("reference.json is JSON");
    let mut errors = Vec::new();
    let mut checked = 0;
    for entry in &reference {
        let name = entry["domain"].as_str().unwrap();
        if entry.get("skipped").is_some() {
            continue;
        }
        let loaded = truce_formats::load(&root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let findings = Analysis::new(&loaded.case).run().unwrap_or_else(|e| panic!("{name}: {e}"));
        errors.extend(check(name, entry, &findings));
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} domains checked");
    assert!(errors.is_empty(), "{} mismatches:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_skipped_domain_loads_and_analyses_or_fails_clearly() {
    let Some(root) = domains() else { return };
    let text = std::fs::read_to_string(root.join("reference.json")).expect("reference.json is readable");
    let reference: Vec<Json> = serde_json::from_str(&text).expect("reference.json is JSON");
    for entry in reference.iter().filter(|e| e.get("skipped").is_some()) {
        let name = entry["domain"].as_str().unwrap();
        let Ok(loaded) = truce_formats::load(&root.join(name)) else { continue };
        let limits = truce_analysis::Limits { samples: 2_000, enumeration: 200_000, ..Default::default() };
        match Analysis::new(&loaded.case).with_limits(limits).run() {
            Ok(f) => {
                for p in &f.frontier.points {
                    assert!(p.utilities.iter().all(|u| u.is_finite()), "{name}: {:?}", p.utilities);
                }
                assert!(!f.frontier.points.is_empty(), "{name}: empty frontier");
            }
            Err(e) => assert!(!e.to_string().is_empty(), "{name}"),
        }
    }
}

/// GENIUS's own frontiers of the ANAC 2014 hyper-rectangle domains (`pareto.xml`, 10^10 outcomes):
/// Truce's branch and bound finds every one of their points exactly, and its frontier has no point a
/// GENIUS point dominates. (It also finds a point GENIUS's file misses, in `10issueswithRV`:
/// (0.7108, 0.9792), which no point of that file dominates.)
#[test]
fn hyper_rectangle_domains_match_the_genius_frontier() {
    let Some(root) = domains() else { return };
    for name in ["anac2014_10issues", "anac2014_10issueswithRV", "anac2014_10issuesDiscounted"] {
        let folder = root.join(name);
        let Ok(text) = std::fs::read_to_string(folder.join("pareto.xml")) else { continue };
        let genius: Vec<Vec<f64>> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').map(|x| x.trim().parse().unwrap()).collect())
            .collect();
        let loaded = truce_formats::load(&folder).unwrap_or_else(|e| panic!("{name}: {e}"));
        let limits = truce_analysis::Limits { samples: 20_000, ..Default::default() };
        let f = truce_analysis::pareto_frontier(&loaded.case, false, &limits).unwrap();
        assert!(matches!(f.method, truce_analysis::Method::BranchAndBound { .. }), "{name}: {:?}", f.method);
        // GENIUS writes 8 significant digits.
        let near = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        for g in &genius {
            assert!(f.points.iter().any(|p| near(&p.utilities, g)), "{name}: GENIUS point {g:?} not found");
        }
        for p in &f.points {
            let beaten = genius.iter().any(|g| {
                g.iter().zip(&p.utilities).all(|(x, y)| *x >= y - 1e-6)
                    && g.iter().zip(&p.utilities).any(|(x, y)| *x > y + 1e-6)
            });
            assert!(!beaten, "{name}: {:?} is dominated by a GENIUS frontier point", p.utilities);
        }
    }
}
