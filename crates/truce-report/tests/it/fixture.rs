//! A small ceasefire case built in code: two phases, a belief that depends on guarantees, red lines
//! on one and on two issues, a mediator, dated proposals (one partial) and recorded responses.

use truce_model::{
    AdditiveUtility, Basis, Case, CmpOp, Constraint, Continuation, Domain, Issue, IssueDomain, IssueId,
    IssueUtility, OutcomeSpace, PartialDate, Party, PartyId, Phase, Preferences, Probability, Proposal,
    ProposalKind, RedLine, Response, Role, Stance, Term, TermValue, Utility, Value, ValueFunction,
};

fn options(names: &[&str]) -> IssueDomain {
    IssueDomain::discrete(names.iter().map(|s| (*s).to_owned()).collect(), true).unwrap()
}

fn phase(name: &str, issues: &[u32]) -> Phase {
    Phase {
        name: name.into(),
        duration_days: Some(42),
        issues: issues.iter().map(|&i| IssueId(i)).collect(),
        next_condition: None,
        description: None,
        basis: Basis::Unsourced,
    }
}

fn table(weight: f64, scores: &[f64]) -> IssueUtility {
    IssueUtility { weight, value: ValueFunction::Table { scores: scores.to_vec() } }
}

fn red_line(name: &str, rule: Constraint) -> RedLine {
    RedLine::new(name, rule, Basis::Unsourced)
}

fn party(id: &str, name: &str, roles: Vec<Role>, preferences: Option<Preferences>) -> Party {
    Party { preferences, ..Party::new(id, name, roles) }
}

fn set(issue: u32, value: Value) -> Term {
    Term {
        issue: IssueId(issue),
        value: TermValue::Set { value },
        basis: Basis::Unsourced,
        alternatives: vec![],
        notes: None,
    }
}

fn proposal(
    id: &str,
    title: &str,
    date: &str,
    by: u32,
    terms: Vec<Term>,
    responses: Vec<(u32, Stance)>,
) -> Proposal {
    Proposal {
        id: id.into(),
        title: title.into(),
        kind: ProposalKind::Proposal,
        date: Some(date.parse::<PartialDate>().unwrap()),
        tabled_by: vec![PartyId(by)],
        via: vec![],
        responds_to: None,
        terms,
        responses: responses
            .into_iter()
            .map(|(party, stance)| Response {
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

/// The fixture.
pub fn ceasefire() -> Case {
    let space = OutcomeSpace::new(vec![
        Issue::new("hostages", IssueDomain::integer(0, 40, 10).unwrap()),
        Issue::new("ratio", IssueDomain::integer(10, 50, 10).unwrap()),
        Issue::new("withdrawal", options(&["none", "populated_areas", "full"])),
        Issue::new("permanent_ceasefire", options(&["no", "yes"])),
        Issue::new("guarantees", options(&["none", "written"])),
    ])
    .unwrap();
    let domain = Domain::new(space, vec![phase("phase_1", &[0, 1]), phase("phase_2", &[2, 3, 4])]).unwrap();
    let israel = Preferences {
        reservation: 0.35,
        red_lines: vec![red_line(
            "no_full_withdrawal",
            Constraint::Compare { issue: IssueId(2), op: CmpOp::Ne, value: Value::Option(2) },
        )],
        continuation: vec![Continuation { probability: Probability::Fixed(0.8), basis: Basis::Unsourced }],
        ..Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![
                table(0.35, &[0.0, 1.0, 2.0, 3.0, 4.0]),
                table(0.15, &[5.0, 4.0, 3.0, 2.0, 1.0]),
                table(0.2, &[1.0, 0.5, 0.0]),
                table(0.2, &[1.0, 0.0]),
                table(0.1, &[1.0, 0.3]),
            ],
        }))
    };
    let hamas = Preferences {
        reservation: 0.3,
        red_lines: vec![red_line(
            "an_end_to_the_war",
            Constraint::AnyOf(vec![
                Constraint::Compare { issue: IssueId(3), op: CmpOp::Eq, value: Value::Option(1) },
                Constraint::Compare { issue: IssueId(4), op: CmpOp::Eq, value: Value::Option(1) },
            ]),
        )],
        continuation: vec![Continuation {
            probability: Probability::ByIssue { issue: IssueId(4), values: vec![0.5, 0.9] },
            basis: Basis::Unsourced,
        }],
        ..Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![
                table(0.1, &[4.0, 3.0, 2.0, 1.0, 0.0]),
                table(0.2, &[0.0, 1.0, 2.0, 3.0, 4.0]),
                table(0.3, &[0.0, 0.6, 1.0]),
                table(0.3, &[0.0, 1.0]),
                table(0.1, &[0.0, 1.0]),
            ],
        }))
    };
    let mut case = Case::new(
        "ceasefire",
        "Ceasefire fixture",
        domain,
        vec![
            party("israel", "Israel", vec![Role::Negotiator], Some(israel)),
            party("hamas", "Hamas", vec![Role::Negotiator], Some(hamas)),
            party("qatar", "Qatar", vec![Role::Mediator], None),
        ],
    );
    case.proposals = vec![
        proposal(
            "paris",
            "Paris framework",
            "2024-01-28",
            2,
            vec![
                set(0, Value::Int(40)),
                set(1, Value::Int(20)),
                set(2, Value::Option(1)),
                set(3, Value::Option(0)),
                set(4, Value::Option(1)),
            ],
            vec![(0, Stance::Accepted), (1, Stance::Countered)],
        ),
        proposal(
            "hamas-counter",
            "Hamas counterproposal",
            "2024-02-06",
            1,
            vec![set(0, Value::Int(20)), set(2, Value::Option(2)), set(3, Value::Option(1))],
            vec![(0, Stance::Rejected)],
        ),
        proposal(
            "may-27",
            "Israeli proposal",
            "2024-05-27",
            0,
            vec![
                set(0, Value::Int(30)),
                set(1, Value::Int(30)),
                set(2, Value::Option(1)),
                set(3, Value::Option(0)),
                set(4, Value::Option(0)),
            ],
            vec![(1, Stance::Rejected)],
        ),
    ];
    case
}

/// The fixture with three negotiators: the mediator given preferences of its own, a red line that
/// comes into force during the talks and a proposal dated only to the month.
pub fn three_parties() -> Case {
    let mut case = ceasefire();
    case.title = "Three-party fixture".into();
    case.id = "three-parties".into();
    let qatar = Preferences {
        reservation: 0.3,
        ..Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![
                table(0.3, &[0.0, 1.0, 2.0, 3.0, 4.0]),
                table(0.1, &[2.0, 4.0, 3.0, 1.0, 0.0]),
                table(0.2, &[0.0, 1.0, 0.4]),
                table(0.3, &[0.0, 1.0]),
                table(0.1, &[0.0, 1.0]),
            ],
        }))
    };
    case.parties[2] = party("qatar", "Qatar", vec![Role::Negotiator, Role::Mediator], Some(qatar));
    if let Some(prefs) = case.parties[0].preferences.as_mut() {
        let mut later = red_line(
            "no_permanent_ceasefire",
            Constraint::Compare { issue: IssueId(3), op: CmpOp::Eq, value: Value::Option(0) },
        );
        later.since = Some("2024-04".parse().unwrap());
        prefs.red_lines.push(later);
    }
    case.proposals.insert(
        2,
        proposal(
            "march-draft",
            "A draft known only to the month",
            "2024-03",
            2,
            vec![set(0, Value::Int(30)), set(2, Value::Option(1)), set(4, Value::Option(1))],
            vec![],
        ),
    );
    case
}
