//! A case can arrive as JSON (a server's request, a Python object), so any JSON must either fail to
//! deserialise with an error or give a case that [`Case::validate`] judges without panicking; and a
//! case without validation errors must then be usable: its utilities, red lines and proposals
//! evaluate without panicking.
//!
//! Two sources of JSON: values shaped like a case with every number, index and list length drawn
//! from hostile sets (zero steps, reversed ranges, indices past the end, NaN-like extremes), and
//! mutations of a real case's JSON (a node replaced, deleted, duplicated, or swapped with another).

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use truce_model::*;

/// Numbers that break naive code: zero, negatives, extremes, values just past `u32`.
fn number() -> impl Strategy<Value = Json> {
    prop_oneof![
        (-3i64..12).prop_map(Json::from),
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(u32::MAX)),
        Just(json!(u64::from(u32::MAX) + 1)),
        Just(json!(i64::MIN)),
        Just(json!(i64::MAX)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(0.5)),
        Just(json!(1e-300)),
    ]
}

fn index() -> impl Strategy<Value = Json> {
    prop_oneof![12 => (0u32..2).prop_map(Json::from), 1 => (2u32..4).prop_map(Json::from), 1 => Just(json!(u32::MAX))]
}

fn name() -> impl Strategy<Value = Json> {
    prop_oneof![
        4 => (0u32..1000).prop_map(|k| json!(format!("n{k}"))),
        1 => Just(json!("a")),
        1 => Just(json!("")),
        1 => Just(json!("a\u{200b}")),
        1 => Just(json!("\u{202e}x")),
        1 => Just(json!("yes")),
    ]
}

fn basis() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(json!({"kind": "unsourced"})),
        index().prop_map(|s| json!({"kind": "sourced", "citations": [{"source": s}]})),
        index().prop_map(|s| json!({"kind": "assumption", "rationale": "", "citations": [{"source": s}]})),
        Just(json!({"kind": "sourced", "citations": []})),
    ]
}

fn date() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => Just(json!("2024")),
        3 => Just(json!("2024-02-29")),
        3 => Just(json!("2024-07")),
        1 => Just(json!("2023-02-29")),
    ]
}

/// A domain: mostly well-formed (so that the rest of the case is reached), sometimes hostile.
fn issue_domain() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => (-5i64..5, 1i64..5, 1i64..4).prop_map(|(min, count, step)| {
            json!({"type": "integer", "min": min, "max": min + (count - 1) * step, "step": step})
        }),
        2 => (-5.0f64..5.0, 2u32..5).prop_map(|(min, levels)| {
            json!({"type": "real", "min": min, "max": min + 10.0, "levels": levels})
        }),
        3 => (1usize..4, any::<bool>()).prop_map(|(count, ordered)| {
            let options: Vec<String> = ["no", "yes", "maybe"][..count].iter().map(|o| (*o).to_owned()).collect();
            json!({"type": "discrete", "options": options, "ordered": ordered})
        }),
        1 => (number(), number(), number()).prop_map(|(min, max, step)| {
            json!({"type": "integer", "min": min, "max": max, "step": step})
        }),
        1 => (number(), number(), number()).prop_map(|(min, max, levels)| {
            json!({"type": "real", "min": min, "max": max, "levels": levels})
        }),
        1 => (prop::collection::vec(name(), 0..4), any::<bool>()).prop_map(|(options, ordered)| {
            json!({"type": "discrete", "options": options, "ordered": ordered})
        }),
    ]
}

fn issues() -> impl Strategy<Value = Vec<Json>> {
    prop::collection::vec((issue_domain(), prop::option::weighted(0.1, name())), 3..5).prop_map(|issues| {
        issues
            .into_iter()
            .enumerate()
            .map(|(k, (domain, hostile))| {
                let name = hostile.unwrap_or_else(|| json!(format!("i{k}")));
                json!({"name": name, "domain": domain})
            })
            .collect()
    })
}

fn value() -> impl Strategy<Value = Json> {
    prop_oneof![
        index().prop_map(|i| json!({"option": i})),
        prop_oneof![4 => (-3i64..40).prop_map(Json::from), 1 => Just(json!(i64::MIN)), 1 => Just(json!(i64::MAX))]
            .prop_map(|n| json!({"int": n})),
        number().prop_map(|n| json!({"real": n})),
    ]
}

fn constraint() -> impl Strategy<Value = Json> {
    let op = prop_oneof![Just("=="), Just("!="), Just("<"), Just("<="), Just(">"), Just(">=")];
    let leaf = prop_oneof![
        (index(), op, value())
            .prop_map(|(i, op, v)| json!({"type": "compare", "issue": i, "op": op, "value": v})),
        (index(), prop::collection::vec(value(), 0..3))
            .prop_map(|(i, values)| json!({"type": "one_of", "issue": i, "values": values})),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|parts| json!({"type": "all_of", "parts": parts})),
            prop::collection::vec(inner, 0..3).prop_map(|parts| json!({"type": "any_of", "parts": parts})),
        ]
    })
}

fn value_function() -> impl Strategy<Value = Json> {
    prop_oneof![
        prop::collection::vec(prop_oneof![4 => (0.0f64..100.0).prop_map(Json::from), 1 => number()], 0..4)
            .prop_map(|scores| json!({"type": "table", "scores": scores})),
        prop::collection::vec((number(), number()), 0..4)
            .prop_map(|points| json!({"type": "piecewise_linear", "points": points})),
    ]
}

fn preferences() -> impl Strategy<Value = Json> {
    let weight = prop_oneof![4 => (0.0f64..1.0).prop_map(Json::from), 1 => number()];
    let additive = prop::collection::vec((weight, value_function()), 3..5).prop_map(|issues| {
        let issues: Vec<Json> = issues.into_iter().map(|(w, v)| json!({"weight": w, "value": v})).collect();
        json!({"type": "additive", "issues": issues})
    });
    let rectangles = (number(), index(), number(), number()).prop_map(|(max, issue, lo, hi)| {
        json!({"type": "rectangles", "max_utility": max, "root": {
            "aggregation": "sum", "weight": 1.0, "children": [{
                "aggregation": "min", "weight": 0.5, "children": [],
                "rectangles": [{"inclusive": true, "bounds": [{"issue": issue, "min": lo, "max": hi}], "utility": 1.0, "weight": 1.0}]
            }],
            "rectangles": [{"inclusive": false, "bounds": [{"issue": issue, "min": lo, "max": hi}], "utility": 2.0, "weight": 1.0}]
        }})
    });
    let belief = prop_oneof![
        number().prop_map(|p| json!({"probability": p})),
        (index(), prop::collection::vec(number(), 0..4))
            .prop_map(|(issue, values)| json!({"probability": {"issue": issue, "values": values}})),
    ];
    (
        prop_oneof![3 => additive, 1 => rectangles],
        number(),
        prop::option::of(number()),
        prop::collection::vec(belief, 0..3),
        prop::collection::vec(
            (name(), constraint(), prop::option::of(date()), prop::option::of(date()), basis()),
            0..3,
        ),
        basis(),
    )
        .prop_map(|(utility, reservation, discount, continuation, red_lines, basis)| {
            let red_lines: Vec<Json> = red_lines
                .into_iter()
                .map(|(name, rule, since, until, basis)| {
                    json!({"name": name, "rule": rule, "since": since, "until": until, "basis": basis})
                })
                .collect();
            json!({"utility": utility, "reservation": reservation, "discount": discount,
                   "continuation": continuation, "red_lines": red_lines, "basis": basis})
        })
}

fn party() -> impl Strategy<Value = Json> {
    let role = prop_oneof![Just("negotiator"), Just("mediator"), Just("observer")];
    (
        name(),
        prop::collection::vec(role, 1..3),
        prop::collection::vec(index(), 0..2),
        prop::option::of(preferences()),
        prop::collection::vec((date(), prop::option::of(date()), prop::option::of(name()), basis()), 0..2),
        prop::collection::vec((name(), number(), prop::collection::vec((name(), constraint()), 0..2), basis()), 0..3),
        prop::option::of((prop_oneof![Just("majority"), Just("veto"), Just("all_of")], prop::collection::vec(name(), 0..3))),
    )
        .prop_map(|(id, roles, aligned_with, preferences, positions, constituencies, approval)| {
            let constituencies: Vec<Json> = constituencies
                .into_iter()
                .map(|(id, weight, red_lines, basis)| {
                    let red_lines: Vec<Json> = red_lines
                        .into_iter()
                        .map(|(name, rule)| json!({"name": name, "rule": rule, "basis": basis}))
                        .collect();
                    json!({"id": id, "name": "c", "weight": weight, "red_lines": red_lines, "basis": basis})
                })
                .collect();
            let approval = approval.map(|(rule, named)| match rule {
                "all_of" => json!({"rule": {"type": "all_of", "constituencies": named}}),
                rule => json!({"rule": {"type": rule}}),
            });
            let positions: Vec<Json> = positions
                .into_iter()
                .map(|(date, until, red_line, basis)| {
                    json!({"date": date, "until": until, "kind": "red_line", "text": "t", "red_line": red_line, "basis": basis})
                })
                .collect();
            json!({"id": id, "name": "n", "roles": roles, "aligned_with": aligned_with,
                   "preferences": preferences, "stated_positions": positions,
                   "constituencies": constituencies, "approval": approval})
        })
}

fn term_value() -> impl Strategy<Value = Json> {
    prop_oneof![
        value().prop_map(|v| json!({"kind": "set", "value": v})),
        (value(), value()).prop_map(|(min, max)| json!({"kind": "range", "min": min, "max": max})),
        Just(json!({"kind": "open"})),
    ]
}

fn proposal() -> impl Strategy<Value = Json> {
    let term = (index(), term_value(), basis(), prop::collection::vec(term_value(), 0..2)).prop_map(
        |(issue, value, basis, alternatives)| {
            let alternatives: Vec<Json> = alternatives.into_iter().map(|v| json!({"value": v})).collect();
            json!({"issue": issue, "value": value, "basis": basis, "alternatives": alternatives})
        },
    );
    let stance = prop_oneof![Just("accepted"), Just("rejected"), Just("countered"), Just("unknown")];
    let response = (index(), stance, prop::option::of(index()), prop::option::of(date()), basis()).prop_map(
        |(party, stance, countered_with, date, basis)| {
            json!({"party": party, "stance": stance, "countered_with": countered_with, "date": date, "basis": basis})
        },
    );
    (
        name(),
        prop::option::of(date()),
        prop::collection::vec(index(), 0..2),
        prop::option::of(index()),
        prop::collection::vec(term, 0..4),
        prop::collection::vec(response, 0..3),
        basis(),
    )
        .prop_map(|(id, date, tabled_by, responds_to, terms, responses, basis)| {
            json!({"id": id, "title": "t", "kind": "proposal", "date": date, "tabled_by": tabled_by,
                   "responds_to": responds_to, "terms": terms, "responses": responses, "basis": basis})
        })
}

/// JSON shaped like a case, every slot drawn from hostile values.
fn case_shaped() -> impl Strategy<Value = Json> {
    // One issue per phase, in order, so that most domains build; sometimes a hostile index.
    let phases = (0usize..4, prop::collection::vec((prop::option::weighted(0.1, index()), basis()), 3))
        .prop_map(|(count, phases)| {
            let phases: Vec<Json> = phases
                .into_iter()
                .take(count)
                .enumerate()
                .map(|(k, (hostile, basis))| {
                    let issues = hostile.unwrap_or_else(|| json!(k));
                    json!({"name": format!("phase_{k}"), "issues": [issues], "basis": basis})
                })
                .collect();
            phases
        });
    let source = (name(), prop::option::of(date()))
        .prop_map(|(id, date)| json!({"id": id, "title": "t", "date": date}));
    (
        issues(),
        phases,
        prop::collection::vec(party(), 2..4),
        prop::collection::vec(proposal(), 2..4),
        prop::collection::vec(source, 2..3),
        prop::option::of(date()),
    )
        .prop_map(|(issues, phases, parties, proposals, sources, as_of)| {
            json!({"id": "c", "title": "t", "as_of": as_of,
                   "domain": {"space": issues, "phases": phases},
                   "parties": parties, "proposals": proposals, "sources": sources})
        })
}

/// A real case with every kind of model value in it.
fn real_case() -> Case {
    let space = OutcomeSpace::new(vec![
        Issue::new("ratio", IssueDomain::integer(3, 30, 3).unwrap()),
        Issue::new("aid", IssueDomain::real(0.0, 600.0, 4).unwrap()),
        Issue::new(
            "withdrawal",
            IssueDomain::discrete(vec!["none".into(), "some".into(), "full".into()], true).unwrap(),
        ),
        Issue::new("ceasefire", IssueDomain::discrete(vec!["no".into(), "yes".into()], false).unwrap()),
    ])
    .unwrap();
    let cite = Basis::Sourced { citations: vec![Citation { source: SourceId(0), quote: Some("q".into()) }] };
    let phase = |name: &str, issues: Vec<u32>| Phase {
        name: name.into(),
        duration_days: Some(42),
        issues: issues.into_iter().map(IssueId).collect(),
        next_condition: None,
        description: None,
        basis: cite.clone(),
    };
    let domain = Domain::new(space, vec![phase("one", vec![0, 1]), phase("two", vec![2, 3])]).unwrap();
    let additive = Utility::Additive(AdditiveUtility {
        issues: vec![
            IssueUtility { weight: 0.4, value: ValueFunction::linear(3.0, 1.0, 30.0, 0.0) },
            IssueUtility {
                weight: 0.1,
                value: ValueFunction::PiecewiseLinear { points: vec![(0.0, 0.0), (300.0, 1.0)] },
            },
            IssueUtility { weight: 0.3, value: ValueFunction::Table { scores: vec![100.0, 50.0, 0.0] } },
            IssueUtility { weight: 0.2, value: ValueFunction::Table { scores: vec![1.0, 0.0] } },
        ],
    });
    let mut north = Party::new("north", "North", vec![Role::Negotiator]);
    north.preferences = Some(Preferences {
        reservation: 0.3,
        discount: Some(0.9),
        continuation: vec![Continuation {
            probability: Probability::ByIssue { issue: IssueId(3), values: vec![0.5, 0.9] },
            basis: Basis::Assumption { rationale: "r".into(), citations: vec![] },
        }],
        red_lines: vec![RedLine {
            since: Some("2024-01".parse().unwrap()),
            until: Some("2024-07-31".parse().unwrap()),
            ..RedLine::new(
                "cap",
                Constraint::AnyOf(vec![
                    Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Int(15) },
                    Constraint::AllOf(vec![
                        Constraint::OneOf {
                            issue: IssueId(2),
                            values: vec![Value::Option(0), Value::Option(1)],
                        },
                        Constraint::Compare { issue: IssueId(1), op: CmpOp::Ge, value: Value::Real(200.0) },
                    ]),
                ]),
                cite.clone(),
            )
        }],
        basis: Basis::Assumption { rationale: "r".into(), citations: vec![] },
        ..Preferences::new(additive)
    });
    north.stated_positions = vec![StatedPosition {
        date: "2024-01-28".parse().unwrap(),
        until: None,
        kind: PositionKind::RedLine,
        text: "t".into(),
        red_line: Some("cap".into()),
        basis: cite.clone(),
    }];
    north.constituencies = vec![Constituency {
        weight: 3.0,
        red_lines: vec![RedLine::new(
            "no_full",
            Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Int(21) },
            cite.clone(),
        )],
        basis: cite.clone(),
        ..Constituency::new("cabinet", "Cabinet")
    }];
    north.approval = Some(Approval {
        rule: ApprovalRule::AllOf { constituencies: vec!["cabinet".into()] },
        basis: cite.clone(),
    });
    let mut south = Party::new("south", "South", vec![Role::Negotiator]);
    south.preferences = Some(Preferences::new(Utility::Rectangles(RectangleUtility {
        max_utility: 2.0,
        root: RectangleFunction {
            aggregation: Aggregation::Sum,
            weight: 1.0,
            rectangles: vec![HyperRectangle {
                inclusive: true,
                bounds: vec![Bound { issue: IssueId(0), min: 9.0, max: 21.0 }],
                utility: 1.5,
                weight: 1.0,
            }],
            children: vec![RectangleFunction {
                aggregation: Aggregation::Max,
                weight: 0.5,
                rectangles: vec![],
                children: vec![],
            }],
        },
    })));
    let mut mediator = Party::new("mediator", "Mediator", vec![Role::Mediator]);
    mediator.aligned_with = vec![PartyId(0)];
    let mut case = Case::new("real", "Real", domain, vec![north, south, mediator]);
    case.as_of = Some("2024-08".parse().unwrap());
    case.sources = vec![Source {
        id: "S1".into(),
        title: "t".into(),
        publisher: None,
        date: Some("2024-01".parse().unwrap()),
        location: None,
        notes: None,
        kind: Some(SourceKind::OfficialText),
    }];
    let term = |issue: u32, value: TermValue| Term {
        issue: IssueId(issue),
        value,
        basis: cite.clone(),
        alternatives: vec![Alternative { value: TermValue::Open, basis: cite.clone(), notes: None }],
        notes: None,
        provision: Provision::default(),
    };
    case.proposals = vec![
        Proposal {
            id: "p1".into(),
            title: "P1".into(),
            kind: ProposalKind::Bridging,
            date: Some("2024-05".parse().unwrap()),
            tabled_by: vec![PartyId(2)],
            via: vec![PartyId(2)],
            responds_to: None,
            terms: vec![
                term(0, TermValue::Set { value: Value::Int(12) }),
                term(1, TermValue::Range { min: Value::Real(100.0), max: Value::Real(400.0) }),
                term(2, TermValue::Set { value: Value::Option(1) }),
                term(3, TermValue::Open),
            ],
            responses: vec![Response {
                party: PartyId(1),
                stance: Stance::Countered,
                date: None,
                countered_with: Some(ProposalId(1)),
                basis: cite.clone(),
                notes: None,
            }],
            basis: cite.clone(),
            notes: None,
        },
        Proposal {
            id: "p2".into(),
            title: "P2".into(),
            kind: ProposalKind::Counterproposal,
            date: Some("2024-06-01".parse().unwrap()),
            tabled_by: vec![PartyId(1)],
            via: vec![],
            responds_to: Some(ProposalId(0)),
            terms: vec![
                term(0, TermValue::Set { value: Value::Int(30) }),
                term(1, TermValue::Set { value: Value::Real(600.0) }),
                term(2, TermValue::Set { value: Value::Option(2) }),
                term(3, TermValue::Set { value: Value::Option(1) }),
            ],
            responses: vec![],
            basis: cite,
            notes: None,
        },
    ];
    // A provision, so that the mutations reach its schedule and its condition.
    case.proposals[0].terms[0].provision = Provision {
        schedule: vec![Batch::new(2, 5).unwrap(), Batch::new(3, 7).unwrap()],
        after: vec![IssueId(2)],
        ..Provision::default()
    };
    case
}

/// Everything a front end does with a case that passed validation, none of which may panic.
fn use_case(case: &Case) {
    let problems = case.validate();
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return;
    }
    let domain = &case.domain;
    let first = vec![0; case.space().len()];
    let mut last = case.space().radices().to_vec();
    for digit in &mut last {
        *digit -= 1;
    }
    for (_, prefs) in case.negotiators() {
        for outcome in [&first, &last] {
            let _ = prefs.utility(domain, outcome);
            let _ = prefs.accepts(domain, outcome);
            for red_line in &prefs.red_lines {
                let _ = red_line.rule.describe(case.space());
                let _ = red_line.rule.allowed_grid_values(case.space());
            }
        }
        for proposal in &case.proposals {
            let _ = prefs.utility_of_values(domain, &proposal.values(case.space().len()));
        }
        // As its callers do, only for issues of a size they take (an issue may have 2^32 values).
        if let Utility::Additive(a) = &prefs.utility
            && case.space().issues().iter().all(|i| i.cardinality() <= 1 << 20)
        {
            let _ = a.contribution_tables(case.space());
        }
        let _ = prefs.in_force(case.as_of);
    }
    for party in &case.parties {
        if let Some(approval) = &party.approval {
            let _ = approval.rule.carries(&party.constituencies, &[Some(true), None, Some(false)]);
        }
        for c in &party.constituencies {
            for red_line in &c.red_lines {
                let _ = red_line.rule.describe(case.space());
                let _ = red_line.rule.holds_for(case.space(), &last);
            }
        }
    }
    let _ = case.chronological();
    let _ = case.space().describe(&first);
}

/// Every node of a JSON tree, as a path of object keys and array indices.
fn paths(json: &Json, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match json {
        Json::Object(map) => {
            for (key, value) in map {
                prefix.push(Step::Key(key.clone()));
                paths(value, prefix, out);
                prefix.pop();
            }
        }
        Json::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                paths(value, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn node<'a>(json: &'a mut Json, path: &[Step]) -> Option<&'a mut Json> {
    path.iter().try_fold(json, |at, step| match step {
        Step::Key(k) => at.get_mut(k.as_str()),
        Step::Index(i) => at.get_mut(*i),
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(Json),
    Delete,
    Duplicate,
    SwapWith(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => prop_oneof![number(), name(), Just(json!(null)), Just(json!([])), Just(json!({})), Just(json!(true))]
            .prop_map(Mutation::Replace),
        1 => Just(Mutation::Delete),
        1 => Just(Mutation::Duplicate),
        2 => any::<usize>().prop_map(Mutation::SwapWith),
    ]
}

fn mutate(json: &mut Json, at: usize, mutation: &Mutation) {
    let mut all = Vec::new();
    paths(json, &mut Vec::new(), &mut all);
    let path = &all[at % all.len()];
    match mutation {
        Mutation::Replace(v) => {
            if let Some(n) = node(json, path) {
                *n = v.clone();
            }
        }
        Mutation::Delete | Mutation::Duplicate => {
            let Some((last, parent)) = path.split_last() else { return };
            let Some(parent) = node(json, parent) else { return };
            match (parent, last) {
                (Json::Object(map), Step::Key(k)) if matches!(mutation, Mutation::Delete) => {
                    map.remove(k);
                }
                (Json::Array(items), Step::Index(i)) => {
                    if matches!(mutation, Mutation::Delete) {
                        items.remove(*i);
                    } else {
                        let copy = items[*i].clone();
                        items.insert(*i, copy);
                    }
                }
                _ => {}
            }
        }
        Mutation::SwapWith(other) => {
            let other = &all[other % all.len()];
            let Some(value) = node(json, other).map(|v| v.clone()) else { return };
            if let Some(n) = node(json, path) {
                *n = value;
            }
        }
    }
}

#[test]
fn the_real_case_round_trips_and_is_clean() {
    let case = real_case();
    let errors: Vec<_> = case.validate().into_iter().filter(|p| p.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let json = serde_json::to_value(&case).unwrap();
    assert_eq!(serde_json::from_value::<Case>(json).unwrap(), case);
}

#[test]
fn dangling_references_are_errors_not_panics() {
    let mut json = serde_json::to_value(real_case()).unwrap();
    json["proposals"][0]["terms"][0]["issue"] = json!(99);
    json["proposals"][0]["responses"][0]["party"] = json!(99);
    json["proposals"][0]["responds_to"] = json!(99);
    json["parties"][2]["aligned_with"] = json!([99]);
    json["sources"] = json!([]);
    let case: Case = serde_json::from_value(json).unwrap();
    let codes: Vec<&str> =
        case.validate().iter().filter(|p| p.severity == Severity::Error).map(|p| p.code).collect();
    for code in ["unknown-issue", "unknown-party", "unknown-proposal", "unknown-source"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn a_zero_step_issue_is_refused_when_deserialised() {
    let mut json = serde_json::to_value(real_case()).unwrap();
    json["domain"]["space"][0]["domain"]["step"] = json!(0);
    let error = serde_json::from_value::<Case>(json).unwrap_err().to_string();
    assert!(error.contains("step >= 1"), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn case_shaped_json_never_panics(json in case_shaped()) {
        if let Ok(case) = serde_json::from_value::<Case>(json) {
            use_case(&case);
        }
    }

    #[test]
    fn mutations_of_a_real_case_never_panic(
        mutations in prop::collection::vec((any::<usize>(), mutation()), 1..6),
    ) {
        let mut json = serde_json::to_value(real_case()).unwrap();
        for (at, m) in &mutations {
            mutate(&mut json, *at, m);
        }
        if let Ok(case) = serde_json::from_value::<Case>(json) {
            use_case(&case);
        }
    }
}
