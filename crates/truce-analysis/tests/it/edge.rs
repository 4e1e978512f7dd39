//! Inputs a user can hand the analysis that are odd but legal (or plainly invalid): meaningful results
//! or a clear error, never a panic, never NaN or infinity.

use num_bigint::BigUint;
use truce_analysis::{Analysis, AnalysisError, Blocker, Bridging, Findings, Limits, Method, Size};
use truce_model::{
    Aggregation, Basis, Bound, CmpOp, Constraint, HyperRectangle, IssueId, PartyId, Preferences,
    RectangleFunction, RectangleUtility, RedLine, Role, Utility, Value,
};

use crate::common::{case, party, synthetic};

/// Every number a report could print is finite.
fn all_finite(f: &Findings) {
    let mut numbers: Vec<f64> = Vec::new();
    for p in &f.parties {
        numbers.extend([p.reservation, p.best]);
        numbers.extend(p.zone_best);
    }
    for p in f.frontier.points.iter().chain(&f.zone.frontier) {
        numbers.extend(&p.utilities);
    }
    for s in [
        &f.solutions.nash,
        &f.solutions.kalai_smorodinsky,
        &f.solutions.egalitarian,
        &f.solutions.max_welfare,
    ]
    .into_iter()
    .flatten()
    {
        numbers.push(s.value);
        numbers.extend(&s.point.utilities);
    }
    numbers.extend(f.opposition);
    for e in &f.evaluations {
        numbers.extend(e.frontier_distance);
        numbers.extend(e.nash_distance);
        for v in &e.parties {
            if let Some(u) = v.utility {
                numbers.extend([u.low, u.high]);
            }
            if let Some((a, b)) = v.rank {
                numbers.extend([a.percentile, a.margin, b.percentile, b.margin]);
            }
        }
    }
    if let Size::Estimate { value, low, high, .. } = f.zone.size {
        numbers.extend([value, low, high]);
    }
    for u in &f.cloud.utilities {
        numbers.extend(u);
    }
    assert!(numbers.iter().all(|x| x.is_finite()), "a number is not finite");
}

fn red_line(name: &str, rule: Constraint) -> RedLine {
    RedLine::new(name, rule, Basis::Unsourced)
}

#[test]
fn no_acceptable_outcome_names_the_red_lines_in_the_way() {
    let mut a = party("a", &[(0.5, vec![0.0, 1.0]), (0.5, vec![0.0, 1.0])], 0.0);
    let mut b = party("b", &[(0.5, vec![1.0, 0.0]), (0.5, vec![1.0, 0.0])], 0.0);
    let ge = |issue: u32, v: u32| Constraint::Compare {
        issue: IssueId(issue),
        op: CmpOp::Ge,
        value: Value::Option(v),
    };
    let le = |issue: u32, v: u32| Constraint::Compare {
        issue: IssueId(issue),
        op: CmpOp::Le,
        value: Value::Option(v),
    };
    a.preferences.as_mut().unwrap().red_lines =
        vec![red_line("a_first", ge(0, 1)), red_line("a_second", ge(1, 1))];
    b.preferences.as_mut().unwrap().red_lines = vec![red_line("b_first", le(0, 0))];
    let c = case(&[2, 2], vec![a, b]);
    let f = Analysis::new(&c).with_bridging(3).run().unwrap();
    all_finite(&f);
    assert_eq!(f.zone.size, Size::Exact(BigUint::from(0u32)));
    assert!(f.zone.frontier.is_empty() && f.solutions.nash.is_none() && f.opposition.is_none());
    let Some(Bridging::Blocked { relaxations, reservations_conflict, exhaustive, if_relaxed, .. }) =
        f.bridging
    else {
        panic!("expected the red lines in the way")
    };
    assert!(!reservations_conflict && exhaustive);
    // Relaxing either side of the clash over the first issue opens a zone.
    assert_eq!(
        relaxations,
        vec![
            vec![Blocker::RedLine { party: PartyId(0), index: 0 }],
            vec![Blocker::RedLine { party: PartyId(1), index: 0 }],
        ]
    );
    // And each relaxation comes with what it makes possible: without a's first red line, only
    // (first = 0, second = 1) is left, worth 0.5 to each; without b's, only (1, 1), worth 1 and 0.
    assert_eq!(if_relaxed.len(), 2);
    assert_eq!(if_relaxed[0].relaxed, relaxations[0]);
    let best = &if_relaxed[0].by_nash[0];
    assert_eq!(best.point.outcome, vec![Value::Option(0), Value::Option(1)]);
    assert!((best.nash_product - 0.25).abs() < 1e-12);
    assert_eq!(if_relaxed[1].by_nash[0].point.outcome, vec![Value::Option(1), Value::Option(1)]);
}

#[test]
fn red_lines_count_as_they_stand_at_the_analysis_date() {
    // a insists on the first issue's second value until June, then only on the second issue's; b
    // refuses the first issue's second value throughout.
    let date = |t: &str| t.parse::<truce_model::PartialDate>().unwrap();
    let mut a = party("a", &[(0.5, vec![0.0, 1.0]), (0.5, vec![0.0, 1.0])], 0.0);
    let mut b = party("b", &[(0.5, vec![1.0, 0.0]), (0.5, vec![1.0, 0.0])], 0.0);
    let ge =
        |issue: u32| Constraint::Compare { issue: IssueId(issue), op: CmpOp::Ge, value: Value::Option(1) };
    let le =
        |issue: u32| Constraint::Compare { issue: IssueId(issue), op: CmpOp::Le, value: Value::Option(0) };
    a.preferences.as_mut().unwrap().red_lines = vec![
        RedLine { until: Some(date("2024-06")), ..red_line("first", ge(0)) },
        RedLine { since: Some(date("2024-07")), ..red_line("second", ge(1)) },
    ];
    b.preferences.as_mut().unwrap().red_lines = vec![red_line("never_first", le(0))];
    let mut c = case(&[2, 2], vec![a, b]);
    // In May the red lines clash; in August the zone is (0, 1).
    let may = Analysis::new(&c).at(Some(date("2024-05"))).run().unwrap();
    assert_eq!(may.zone.size, Size::Exact(BigUint::from(0u32)));
    let august = Analysis::new(&c).at(Some(date("2024-08"))).run().unwrap();
    assert_eq!(august.zone.size, Size::Exact(BigUint::from(1u32)));
    assert_eq!(august.date, Some(date("2024-08")));
    // Without a date, the red lines still in force at the end of the record count: as in August.
    assert_eq!(Analysis::new(&c).at(None).run().unwrap().zone.size, august.zone.size);
    // The case's as_of is the default date.
    c.as_of = Some(date("2024-05-15"));
    assert_eq!(Analysis::new(&c).run().unwrap().zone.size, may.zone.size);
}

#[test]
fn conflicting_reservation_values_are_named_as_such() {
    let a = party("a", &[(1.0, vec![0.0, 0.5, 1.0])], 0.8);
    let b = party("b", &[(1.0, vec![1.0, 0.5, 0.0])], 0.8);
    let f = Analysis::new(&case(&[3], vec![a, b])).with_bridging(1).run().unwrap();
    all_finite(&f);
    let Some(Bridging::Blocked { relaxations, reservations_conflict, .. }) = f.bridging else { panic!() };
    assert!(reservations_conflict);
    assert_eq!(
        relaxations,
        vec![
            vec![Blocker::Reservation { party: PartyId(0) }],
            vec![Blocker::Reservation { party: PartyId(1) }]
        ]
    );
}

#[test]
fn an_issue_with_one_option_changes_nothing() {
    let a = party("a", &[(0.5, vec![1.0]), (0.5, vec![0.0, 0.4, 1.0])], 0.0);
    let b = party("b", &[(0.5, vec![1.0]), (0.5, vec![1.0, 0.7, 0.0])], 0.0);
    let f = Analysis::new(&case(&[1, 3], vec![a, b])).run().unwrap();
    all_finite(&f);
    assert_eq!(f.outcomes, BigUint::from(3u32));
    assert_eq!(f.frontier.points.len(), 3);
    let nash = f.solutions.nash.unwrap();
    assert!((nash.value - 0.7 * 0.85).abs() < 1e-12, "{}", nash.value);
}

#[test]
fn a_party_with_all_weights_zero_is_indifferent() {
    let a = party("a", &[(0.0, vec![0.0, 1.0]), (0.0, vec![1.0, 0.0])], 0.0);
    let b = party("b", &[(0.5, vec![0.0, 1.0]), (0.5, vec![0.0, 1.0])], 0.0);
    let f = Analysis::new(&case(&[2, 2], vec![a, b])).with_bridging(2).run().unwrap();
    all_finite(&f);
    // One frontier point: b's best, where a gets 0 as everywhere.
    assert_eq!(f.frontier.points.len(), 1);
    assert_eq!(f.frontier.points[0].utilities, vec![0.0, 1.0]);
    // Every outcome gives a 0: the Nash product is 0 everywhere, ties go to the larger welfare.
    assert_eq!(f.solutions.nash.unwrap().point.utilities, vec![0.0, 1.0]);
}

#[test]
fn all_utilities_equal_gives_one_point_reached_by_every_outcome() {
    let a = party("a", &[(1.0, vec![2.0, 2.0, 2.0]), (0.0, vec![1.0, 1.0])], 0.0);
    let b = party("b", &[(1.0, vec![5.0, 5.0, 5.0]), (0.0, vec![0.0, 0.0])], 0.0);
    let f = Analysis::new(&case(&[3, 2], vec![a, b])).with_bridging(1).run().unwrap();
    all_finite(&f);
    assert_eq!(f.frontier.points.len(), 1);
    assert_eq!(f.frontier.outcomes(), 6);
    assert_eq!(f.frontier.points[0].utilities, vec![1.0, 1.0]);
    assert_eq!(f.opposition, Some(0.0));
}

#[test]
fn a_case_with_errors_is_refused_with_them() {
    let mut a = party("a", &[(f64::NAN, vec![0.0, 1.0])], 0.0);
    a.preferences.as_mut().unwrap().reservation = f64::INFINITY;
    let b = party("b", &[(1.0, vec![1.0, 0.0])], 0.0);
    let err = Analysis::new(&case(&[2], vec![a, b])).run().unwrap_err();
    let AnalysisError::InvalidCase { problems } = &err else { panic!("{err}") };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(err.to_string().contains("truce check"));
}

#[test]
fn a_case_without_negotiators_is_refused() {
    let mut a = party("a", &[(1.0, vec![0.0, 1.0])], 0.0);
    a.roles = vec![Role::Mediator];
    let err = Analysis::new(&case(&[2], vec![a])).run().unwrap_err();
    assert_eq!(err, AnalysisError::NoNegotiators);
}

#[test]
fn one_party_gets_its_best_outcome() {
    let a = party("a", &[(0.3, vec![0.0, 1.0, 0.5]), (0.7, vec![1.0, 0.0])], 0.2);
    let f = Analysis::new(&case(&[3, 2], vec![a])).run().unwrap();
    all_finite(&f);
    assert_eq!(f.frontier.points.len(), 1);
    assert!((f.frontier.points[0].utilities[0] - 1.0).abs() < 1e-15);
    assert!(f.notes.iter().any(|n| n.contains("only one negotiating party")));
}

/// A hyper-rectangle utility that pays when every issue is at least `from`.
fn rectangles(issues: usize, from: f64, pay: f64) -> Preferences {
    let bounds = (0..issues).map(|i| Bound { issue: IssueId::from_index(i), min: from, max: 1e9 }).collect();
    let root = RectangleFunction {
        aggregation: Aggregation::Sum,
        weight: 1.0,
        rectangles: vec![
            HyperRectangle { inclusive: true, bounds, utility: pay, weight: 1.0 },
            HyperRectangle {
                inclusive: true,
                bounds: vec![Bound { issue: IssueId(0), min: 0.0, max: from }],
                utility: 1.0,
                weight: 1.0,
            },
        ],
        children: vec![],
    };
    Preferences::new(Utility::Rectangles(RectangleUtility { max_utility: 10.0, root }))
}

#[test]
fn huge_non_additive_spaces_are_solved_by_boxes_or_labelled_approximate() {
    // 12 integer issues of 10 values: 10^12 outcomes, far past enumeration.
    let mut c = synthetic(2, 12, 10, 3);
    let space = truce_model::OutcomeSpace::new(
        (0..12)
            .map(|i| {
                truce_model::Issue::new(format!("i{i}"), truce_model::IssueDomain::integer(0, 9, 1).unwrap())
            })
            .collect(),
    )
    .unwrap();
    c.domain = truce_model::Domain::unphased(space);
    c.parties[0].preferences = Some(rectangles(12, 5.0, 9.0));
    c.parties[1].preferences = Some(rectangles(12, 3.0, 4.0));
    // Exact, box by box: party 0 gets 1.0 when every issue is at least 5 and the first is 5.
    let f = Analysis::new(&c).run().unwrap();
    all_finite(&f);
    assert!(matches!(f.frontier.method, Method::BranchAndBound { .. }), "{:?}", f.frontier.method);
    assert!(f.zone.size.is_exact());
    assert!((f.parties[0].best - 1.0).abs() < 1e-12, "{}", f.parties[0].best);
    // 5^11 outcomes have every issue at least 5 and the first at 5: the best for party 0 (1.0), and
    // for party 1 (0.4 from the all-at-least-3 box).
    let top = &f.frontier.points[0];
    assert_eq!(top.utilities, vec![1.0, 0.4]);
    assert_eq!(top.count, 5u128.pow(11));
    // With a budget too small for the frontier's boxes: a labelled approximation. (The zone is still
    // counted exactly: party 0 reaches 0.5 only inside one box, so a few boxes decide every outcome.)
    c.parties[0].preferences.as_mut().unwrap().reservation = 0.5;
    let limits = Limits { samples: 5_000, enumeration: 1_000, ..Limits::default() };
    let f = Analysis::new(&c).with_limits(limits).run().unwrap();
    all_finite(&f);
    assert!(matches!(f.frontier.method, Method::Sampling { .. }));
    assert!(!f.frontier.method.is_exact());
    assert!(f.notes.iter().any(|n| n.contains("approximate")), "{:?}", f.notes);
    assert_eq!(f.zone.size, Size::Exact(BigUint::from(5u64.pow(12))));
}

#[test]
fn small_non_additive_spaces_are_enumerated_exactly() {
    let mut c = synthetic(2, 3, 10, 3);
    let space = truce_model::OutcomeSpace::new(
        (0..3)
            .map(|i| {
                truce_model::Issue::new(format!("i{i}"), truce_model::IssueDomain::integer(0, 9, 1).unwrap())
            })
            .collect(),
    )
    .unwrap();
    c.domain = truce_model::Domain::unphased(space);
    c.parties[0].preferences = Some(rectangles(3, 5.0, 9.0));
    let f = Analysis::new(&c).run().unwrap();
    all_finite(&f);
    assert!(matches!(f.frontier.method, Method::Enumeration { outcomes: 1000 }));
    assert!(f.zone.size.is_exact());
}

fn proposal(
    id: &str,
    by: u32,
    terms: Vec<(u32, u32)>,
    responses: Vec<(u32, truce_model::Stance)>,
) -> truce_model::Proposal {
    truce_model::Proposal {
        id: id.into(),
        title: id.into(),
        kind: truce_model::ProposalKind::Proposal,
        date: None,
        tabled_by: vec![PartyId(by)],
        via: vec![],
        responds_to: None,
        terms: terms
            .into_iter()
            .map(|(issue, v)| truce_model::Term {
                issue: IssueId(issue),
                value: truce_model::TermValue::Set { value: Value::Option(v) },
                basis: Basis::Unsourced,
                alternatives: vec![],
                notes: None,
                provision: truce_model::Provision::default(),
            })
            .collect(),
        responses: responses
            .into_iter()
            .map(|(party, stance)| truce_model::Response {
                party: PartyId(party),
                stance,
                date: None,
                countered_with: None,
                basis: Basis::Unsourced,
                notes: None,
            })
            .collect(),
        basis: Basis::Unsourced,
        notes: None,
    }
}

#[test]
fn every_recorded_response_is_explained_or_listed() {
    use truce_analysis::{Reason, RecordStatus, Verdict};
    use truce_model::Stance;
    let a = party("a", &[(0.5, vec![0.0, 1.0]), (0.5, vec![0.0, 1.0])], 0.4);
    let mut b = party("b", &[(0.5, vec![1.0, 0.0]), (0.5, vec![1.0, 0.0])], 0.4);
    b.preferences.as_mut().unwrap().red_lines = vec![red_line(
        "keep_first",
        Constraint::Compare { issue: IssueId(0), op: CmpOp::Eq, value: Value::Option(0) },
    )];
    let mut mediator = party("m", &[(1.0, vec![1.0, 1.0]), (0.0, vec![1.0, 1.0])], 0.0);
    mediator.roles = vec![Role::Mediator];
    let mut c = case(&[2, 2], vec![a, b, mediator]);
    c.proposals = vec![
        // (0, 1): a gets 0.5, b gets 0.5, no red line broken: acceptable to both.
        proposal(
            "fair",
            2,
            vec![(0, 0), (1, 1)],
            vec![(0, Stance::Rejected), (1, Stance::Accepted), (2, Stance::Accepted)],
        ),
        // (1, 1): breaks b's red line.
        proposal("greedy", 0, vec![(0, 1), (1, 1)], vec![(1, Stance::Rejected), (0, Stance::Accepted)]),
        // The second issue open: a gets 0 or 0.5, acceptable to a only if it is settled its way.
        proposal("open", 1, vec![(0, 0)], vec![(0, Stance::Countered), (1, Stance::Unknown)]),
    ];
    let f = Analysis::new(&c).run().unwrap();
    let statuses: Vec<(String, RecordStatus)> = f
        .record
        .iter()
        .map(|r| (format!("{}:{}", c.proposal(r.proposal).id, c.party(r.party).id), r.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("fair:a".into(), RecordStatus::Inconsistent),
            ("fair:b".into(), RecordStatus::Consistent),
            ("fair:m".into(), RecordStatus::Unmodelled),
            ("greedy:b".into(), RecordStatus::Explained),
            ("greedy:a".into(), RecordStatus::Consistent),
            ("open:a".into(), RecordStatus::Undecided),
        ]
    );
    let greedy = &f.record[3];
    assert_eq!(greedy.verdict, Some(Verdict::Unacceptable));
    assert_eq!(greedy.reasons, vec![Reason::RedLine { index: 0 }]);
    assert_eq!(f.record[5].reasons, vec![Reason::MayFallBelowReservation { low: 0.0, reservation: 0.4 }]);
}

#[test]
fn off_grid_values_are_scored_where_the_function_allows_and_flagged_where_not() {
    use truce_analysis::{Setting, Verdict};
    use truce_model::{Issue, IssueDomain, IssueUtility, OutcomeSpace, ValueFunction};
    // Aid trucks per day on a grid of 0, 250, 500; a press report says 300.
    let space = OutcomeSpace::new(vec![
        Issue::new("aid", IssueDomain::real(0.0, 500.0, 3).unwrap()),
        Issue::new("ratio", IssueDomain::real(10.0, 50.0, 3).unwrap()),
    ])
    .unwrap();
    let mut a = party("a", &[(0.5, vec![0.0, 0.5, 1.0]), (0.5, vec![1.0, 0.5, 0.0])], 0.0);
    let mut b = party("b", &[(0.5, vec![1.0, 0.5, 0.0]), (0.5, vec![0.0, 0.5, 1.0])], 0.0);
    for p in [&mut a, &mut b] {
        let prefs = p.preferences.as_mut().unwrap();
        let Utility::Additive(u) = &mut prefs.utility else { unreachable!() };
        // `aid` scored by a line for both (off-grid values can be scored), `ratio` by a table.
        u.issues[0] = IssueUtility { weight: 0.5, value: ValueFunction::linear(0.0, 0.0, 500.0, 1.0) };
    }
    let Utility::Additive(u) = &mut b.preferences.as_mut().unwrap().utility else { unreachable!() };
    u.issues[0].value = ValueFunction::linear(0.0, 1.0, 500.0, 0.0);
    let mut c = case(&[1], vec![a, b]);
    c.domain = truce_model::Domain::unphased(space);
    let scored = Setting::parse(c.space(), "aid=300, ratio=30").unwrap();
    let unscorable = Setting::parse(c.space(), "aid=300, ratio=35").unwrap();
    let f = Analysis::new(&c)
        .with_outcome("scored", scored)
        .with_outcome("unscorable", unscorable)
        .run()
        .unwrap();
    all_finite(&f);
    let scored = &f.evaluations[0];
    let u = scored.parties[0].utility.unwrap();
    assert!((u.low - (0.5 * 0.6 + 0.5 * 0.5)).abs() < 1e-12, "{u:?}");
    assert_eq!(scored.verdict, Verdict::Acceptable);
    let unscorable = &f.evaluations[1];
    assert!(unscorable.parties.iter().all(|v| v.utility.is_none() && v.verdict == Verdict::Unknown));
    assert_eq!(unscorable.verdict, Verdict::Unknown);
    assert!(unscorable.notes.iter().any(|n| n.contains("off the grid")), "{:?}", unscorable.notes);
}

#[test]
fn an_issue_too_large_to_hold_is_refused_with_the_remedy() {
    use truce_model::{Issue, IssueDomain, IssueUtility, OutcomeSpace, ValueFunction};
    let space =
        OutcomeSpace::new(vec![Issue::new("trucks", IssueDomain::integer(0, 1_000_000_000, 1).unwrap())])
            .unwrap();
    let line = |up: bool| IssueUtility {
        weight: 1.0,
        value: if up {
            ValueFunction::linear(0.0, 0.0, 1e9, 1.0)
        } else {
            ValueFunction::linear(0.0, 1.0, 1e9, 0.0)
        },
    };
    let mut a = party("a", &[(1.0, vec![1.0])], 0.0);
    let mut b = party("b", &[(1.0, vec![1.0])], 0.0);
    for (p, up) in [(&mut a, true), (&mut b, false)] {
        let Utility::Additive(u) = &mut p.preferences.as_mut().unwrap().utility else { unreachable!() };
        u.issues[0] = line(up);
    }
    let mut c = case(&[1], vec![a, b]);
    c.domain = truce_model::Domain::unphased(space);
    let err = Analysis::new(&c).run().unwrap_err();
    assert!(matches!(err, AnalysisError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("`trucks`") && err.to_string().contains("larger step"), "{err}");
}

#[test]
fn a_response_is_judged_by_the_red_lines_in_force_on_its_date() {
    use truce_analysis::{RecordStatus, Verdict};
    use truce_model::Stance;
    let date = |t: &str| t.parse::<truce_model::PartialDate>().unwrap();
    let a = party("a", &[(0.5, vec![0.0, 1.0]), (0.5, vec![0.0, 1.0])], 0.0);
    let mut b = party("b", &[(0.5, vec![1.0, 0.0]), (0.5, vec![1.0, 0.0])], 0.0);
    // b refuses the first issue's second value only from July.
    let never = Constraint::Compare { issue: IssueId(0), op: CmpOp::Eq, value: Value::Option(0) };
    b.preferences.as_mut().unwrap().red_lines =
        vec![RedLine { since: Some(date("2024-07")), ..red_line("never_first", never) }];
    let mut c = case(&[2, 2], vec![a, b]);
    let mut p = proposal("p", 0, vec![(0, 1), (1, 1)], vec![(1, Stance::Rejected), (1, Stance::Rejected)]);
    p.date = Some(date("2024-05"));
    p.responses[1].date = Some(date("2024-08-02"));
    c.proposals = vec![p];
    let f = Analysis::new(&c).run().unwrap();
    // Judged on its own date (May), the proposal breaks nothing b had stated yet.
    assert_eq!(f.evaluations[0].date, Some(date("2024-05")));
    assert_eq!(f.evaluations[0].parties[1].verdict, Verdict::Acceptable);
    // The first rejection (undated: the proposal's date) is not explained; the one in August is.
    let judged: Vec<_> = f.record.iter().map(|r| (r.date, r.status)).collect();
    assert_eq!(
        judged,
        vec![
            (Some(date("2024-05")), RecordStatus::Inconsistent),
            (Some(date("2024-08-02")), RecordStatus::Explained),
        ]
    );
}
