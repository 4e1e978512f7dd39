//! Spaces no enumeration reaches, solved exactly: the results must be consistent with themselves and
//! with the estimates made independently by sampling.

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use truce_analysis::{Analysis, Limits, Method, Setting, Size, pareto_frontier};
use truce_model::Value;

use crate::common::synthetic;

fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

#[test]
fn a_frontier_of_ten_to_the_fifty_outcomes_is_exact_and_consistent() {
    let case = synthetic(2, 50, 10, 11);
    let f = pareto_frontier(&case, false, &Limits::default()).unwrap();
    assert!(matches!(f.method, Method::Minkowski { .. }));
    assert!(f.points.len() > 100, "{}", f.points.len());
    let prefs: Vec<_> = case.negotiators().map(|(_, p)| p).collect();
    let space = case.space();
    for (k, p) in f.points.iter().enumerate() {
        // Each point is a real outcome with exactly these utilities.
        let digits: Vec<u32> =
            p.outcome.iter().zip(space.issues()).map(|(v, i)| i.domain().grid_index(*v).unwrap()).collect();
        for (party, prefs) in prefs.iter().enumerate() {
            assert_eq!(prefs.utility(&case.domain, &digits), p.utilities[party]);
        }
        // Sorted by the first party's utility, and no point dominates another.
        if k > 0 {
            assert!(f.points[k - 1].utilities[0] > p.utilities[0]);
            assert!(f.points[k - 1].utilities[1] < p.utilities[1]);
        }
    }
    // No single-issue change of a frontier point dominates any frontier point (a necessary condition
    // an enumeration-free check can afford).
    for p in f.points.iter().step_by(97) {
        let digits: Vec<u32> =
            p.outcome.iter().zip(space.issues()).map(|(v, i)| i.domain().grid_index(*v).unwrap()).collect();
        for issue in 0..50 {
            for v in 0..10 {
                let mut o = digits.clone();
                o[issue] = v;
                let u: Vec<f64> = prefs.iter().map(|pr| pr.utility(&case.domain, &o)).collect();
                assert!(!dominates(&u, &p.utilities), "a neighbour dominates a frontier point");
            }
        }
    }
}

#[test]
fn exact_zone_counts_fall_inside_independent_estimates() {
    // 10^8 outcomes: too many to enumerate in a test, counted exactly by meet in the middle.
    let mut case = synthetic(2, 8, 10, 5);
    for party in &mut case.parties {
        party.preferences.as_mut().unwrap().reservation = 0.55;
    }
    let given: Vec<Setting> = (0..8).map(|i| Setting::Set(Value::Option(i % 10))).collect();
    let exact = Analysis::new(&case).with_outcome("given", given.clone()).run().unwrap();
    let Size::Exact(n) = &exact.zone.size else { panic!("not exact: {:?}", exact.zone.size) };
    assert!(*n > BigUint::from(0u32) && *n < BigUint::from(100_000_000u32));
    let limits = Limits { counting: 1_000, samples: 100_000, ..Limits::default() };
    let estimated = Analysis::new(&case).with_limits(limits).with_outcome("given", given).run().unwrap();
    let Size::Estimate { low, high, .. } = estimated.zone.size else { panic!("not estimated") };
    let n = n.to_f64().unwrap();
    assert!(low <= n && n <= high, "{n} outside [{low}, {high}]");
    // Percentile ranks, likewise.
    assert_eq!(exact.evaluations.len(), 1);
    for (e, f) in exact.evaluations.iter().zip(&estimated.evaluations) {
        for (a, b) in e.parties.iter().zip(&f.parties) {
            let (a, b) = (a.rank.unwrap().0, b.rank.unwrap().0);
            assert!(a.is_exact() && !b.is_exact());
            // Two margins: a 95% interval misses one time in twenty, and this checks four.
            assert!((a.percentile - b.percentile).abs() <= 2.0 * b.margin, "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn three_parties_over_a_million_outcomes_are_exact() {
    let case = synthetic(3, 6, 10, 2);
    let f = pareto_frontier(&case, false, &Limits::default()).unwrap();
    assert!(matches!(f.method, Method::Minkowski { .. }));
    for a in &f.points {
        for b in &f.points {
            assert!(!dominates(&a.utilities, &b.utilities));
        }
    }
}

#[test]
fn an_issue_of_a_million_values_is_solved_exactly() {
    use truce_model::{Issue, IssueDomain, IssueUtility, OutcomeSpace, Utility, ValueFunction};
    let mut case = synthetic(2, 2, 10, 4);
    let mut issues: Vec<Issue> = case.space().issues().to_vec();
    issues.push(Issue::new("amount", IssueDomain::integer(0, 999_999, 1).unwrap()));
    case.domain = truce_model::Domain::unphased(OutcomeSpace::new(issues).unwrap());
    for (k, party) in case.parties.iter_mut().enumerate() {
        let Utility::Additive(u) = &mut party.preferences.as_mut().unwrap().utility else { unreachable!() };
        let (at_0, at_max) = if k == 0 { (0.0, 1.0) } else { (1.0, 0.0) };
        u.issues
            .push(IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, at_0, 999_999.0, at_max) });
    }
    let f = Analysis::new(&case).run().unwrap();
    assert!(matches!(f.frontier.method, Method::Minkowski { .. }));
    // Every amount is on the frontier at least once: the two parties want opposite amounts.
    assert!(f.frontier.points.len() >= 1_000_000, "{}", f.frontier.points.len());
    assert!(f.solutions.nash.is_some());
}
