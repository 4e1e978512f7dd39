//! Every number the analysis reports is finite, and every utility of normalised preferences lies in
//! [0, 1] (issue 14: weights of 1e308 once made a best utility 0 and a report print `NaN%`).

use proptest::prelude::*;
use truce_analysis::{Analysis, Findings};

use crate::common::{case, party};

/// Scores on wildly different scales (tables are divided by their maximum), weights normalised.
fn preferences(issues: usize, values: usize) -> impl Strategy<Value = (Vec<(f64, Vec<f64>)>, f64)> {
    let scale = prop_oneof![Just(1.0), Just(1e-300), Just(1e300), Just(1e12), 1e-6..1e6f64];
    let issue = (0.0..1.0f64, prop::collection::vec(0.0..1.0f64, values), scale)
        .prop_map(|(w, scores, k)| (w, scores.into_iter().map(|s| s * k).collect::<Vec<f64>>()));
    (prop::collection::vec(issue, issues), 0.0..0.6f64).prop_map(|(mut spec, reservation)| {
        let total: f64 = spec.iter().map(|(w, _)| *w).sum();
        for (w, _) in &mut spec {
            *w = if total > 0.0 { *w / total } else { 1.0 / 3.0 };
        }
        (spec, reservation)
    })
}

fn in_unit(x: f64) -> bool {
    x.is_finite() && (-1e-12..=1.0 + 1e-12).contains(&x)
}

fn check(findings: &Findings) -> Result<(), TestCaseError> {
    // Every f64 anywhere in the findings: Debug prints the ones that are not finite as `NaN`, `inf`.
    let debug = format!("{findings:?}");
    let bad = debug.split(|c: char| !(c.is_alphanumeric() || c == '.')).any(|t| t == "NaN" || t == "inf");
    prop_assert!(!bad, "a number that is not finite: {debug}");
    for p in &findings.parties {
        prop_assert!(in_unit(p.best) && in_unit(p.reservation), "{p:?}");
        prop_assert!(p.zone_best.is_none_or(in_unit), "{p:?}");
    }
    let solutions = [
        &findings.solutions.nash,
        &findings.solutions.kalai_smorodinsky,
        &findings.solutions.egalitarian,
        &findings.solutions.max_welfare,
    ];
    let points = findings
        .frontier
        .points
        .iter()
        .chain(&findings.zone.frontier)
        .chain(solutions.into_iter().flatten().map(|s| &s.point));
    for point in points {
        prop_assert!(point.utilities.iter().all(|&u| in_unit(u)), "{point:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn reported_utilities_are_finite_and_in_the_unit_interval(
        a in preferences(3, 4),
        b in preferences(3, 4),
    ) {
        let c = case(&[4, 4, 4], vec![party("a", &a.0, a.1), party("b", &b.0, b.1)]);
        let findings = Analysis::new(&c).run().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        check(&findings)?;
    }
}
