//! The good fixtures and the example case read as written.

use truce_model::{
    Basis, CmpOp, Constraint, IssueId, PartialDate, PositionKind, Probability, ProposalKind, Role, Severity,
    Stance, TermValue, Utility, Value, ValueFunction,
};

use super::{data, load_ok, repo, show};

#[test]
fn the_example_case_is_clean_even_in_strict_mode() {
    let loaded = load_ok(&repo("cases/harbour-truce.toml"));
    let mut problems = loaded.warnings.clone();
    problems.extend(loaded.validate());
    assert!(problems.is_empty(), "{}", show(&problems));
}

#[test]
fn the_example_case_reads_as_written() {
    let case = load_ok(&repo("cases/harbour-truce.toml")).case;
    assert_eq!(case.id, "harbour-truce");
    assert_eq!(case.as_of, Some(PartialDate::ymd(2031, 4, 20).unwrap()));
    let names: Vec<&str> = case.space().issues().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "hostages_released",
            "prisoners_per_hostage",
            "aid_trucks_per_day",
            "withdrawal",
            "permanent_ceasefire",
            "guarantees"
        ]
    );
    // 7 * 10 * 7 * 3 * 2 * 3 grid values.
    assert_eq!(case.space().size_u64(), Some(8820));
    assert_eq!(case.domain.phases()[0].duration_days, Some(42));
    assert_eq!(case.domain.phase_of(IssueId(4)).map(|p| p.index()), Some(1));
    assert_eq!(case.domain.phase_of(IssueId(5)), None, "guarantees are fixed by no phase");

    let veloria = &case.parties[2];
    assert_eq!(veloria.roles, [Role::Mediator, Role::Guarantor]);
    assert!(veloria.preferences.is_none());
    assert_eq!(case.parties[3].aligned_with, [case.party_id("north").unwrap()]);

    let coast = case.parties[1].preferences.as_ref().unwrap();
    assert_eq!(coast.reservation, 0.4);
    assert_eq!(coast.discount, Some(0.95));
    assert_eq!(
        coast.continuation[0].probability,
        Probability::ByIssue { issue: IssueId(5), values: vec![0.3, 0.5, 0.9] }
    );
    assert_eq!(
        coast.red_lines[1].rule,
        Constraint::Compare { issue: IssueId(3), op: CmpOp::Ge, value: Value::Option(1) }
    );
    let Utility::Additive(u) = &coast.utility else { panic!("additive") };
    assert_eq!(u.issues[0].value, ValueFunction::linear(0.0, 1.0, 60.0, 0.0), "linear decreasing over 0..60");
    assert_eq!(u.issues[3].value, ValueFunction::Table { scores: vec![0.0, 60.0, 100.0] });

    let p1 = &case.proposals[0];
    assert_eq!(p1.kind, ProposalKind::Bridging);
    assert_eq!(p1.terms.len(), 6);
    assert_eq!(p1.terms[1].value, TermValue::Range { min: Value::Int(3), max: Value::Int(9) });
    assert_eq!(p1.terms[4].value, TermValue::Open);
    assert_eq!(p1.terms[0].alternatives[0].value, TermValue::Set { value: Value::Int(30) });
    assert_eq!(p1.responses[1].stance, Stance::Countered);
    assert_eq!(p1.responses[1].countered_with, case.proposal_id("P2"));
    assert_eq!(case.proposals[1].terms[4].value, TermValue::Set { value: Value::Option(1) }, "true is `yes`");
}

#[test]
fn every_feature_fixture_reads_as_written() {
    let loaded = load_ok(&data("good/everything.toml"));
    let errors: Vec<_> = loaded.validate().into_iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{}", show(&errors));
    let case = loaded.case;
    assert_eq!(case.description.as_deref(), Some("Line one.\nLine two, with \"quotes\" and a tab:\t."));
    assert_eq!(case.as_of, Some(PartialDate::ymd(2024, 5, 31).unwrap()), "a TOML date literal");
    assert_eq!(case.sources[0].location.as_deref(), Some("https://example.org/page?id=1"));
    assert_eq!(case.sources[1].location.as_deref(), Some("docs/a document.pdf"));
    assert_eq!(case.space().issue_id("trucks per day"), Some(IssueId(1)));
    assert_eq!(case.space().issue(IssueId(2)).cardinality(), 5);

    let a = &case.parties[0];
    assert_eq!(
        a.basis.citations().iter().map(|c| c.quote.as_deref()).collect::<Vec<_>>(),
        [None, Some("A said \"yes\".")]
    );
    let prefs = a.preferences.as_ref().unwrap();
    assert_eq!(prefs.continuation.len(), 2);
    assert!(matches!(prefs.continuation[1].basis, Basis::Sourced { .. }));
    let Constraint::AllOf(parts) = &prefs.red_lines[0].rule else { panic!("{:?}", prefs.red_lines[0].rule) };
    assert_eq!(
        parts[1],
        Constraint::AnyOf(vec![
            Constraint::OneOf { issue: IssueId(0), values: vec![Value::Option(1), Value::Option(2)] },
            Constraint::Compare { issue: IssueId(4), op: CmpOp::Eq, value: Value::Option(1) },
        ])
    );
    assert!(
        matches!(&prefs.red_lines[1].basis, Basis::Assumption { rationale, .. } if rationale == "Inferred.")
    );
    let date = |t: &str| t.parse::<PartialDate>().unwrap();
    assert_eq!((prefs.red_lines[0].since, prefs.red_lines[0].until), (None, None));
    assert_eq!(prefs.red_lines[1].since, Some(date("2024-02")));
    assert_eq!(prefs.red_lines[1].until, Some(date("2024-07-01")), "a TOML date literal");
    assert!(
        prefs.red_lines[1].in_force_at(date("2024-02-01"))
            && !prefs.red_lines[1].in_force_at(date("2024-07-02"))
    );
    let positions = &a.stated_positions;
    assert_eq!(positions.len(), 2);
    assert_eq!((positions[0].date, positions[0].until), (date("2024-02-06"), Some(date("2024-07"))));
    assert_eq!(positions[0].kind, PositionKind::RedLine);
    assert_eq!(positions[0].red_line.as_deref(), Some("share"));
    assert_eq!(positions[0].basis.citations()[0].quote.as_deref(), Some("three quarters at most"));
    assert_eq!((positions[1].kind, positions[1].red_line.as_deref()), (PositionKind::CoreDemand, None));

    let Some(Utility::Rectangles(r)) = case.parties[1].preferences.as_ref().map(|p| &p.utility) else {
        panic!("party b has a rectangle utility")
    };
    assert_eq!(r.root.rectangles.len(), 2);
    assert_eq!(r.root.rectangles[1].weight, 0.5);
    assert_eq!(r.root.children[0].children.len(), 1);

    let p1 = &case.proposals[0];
    assert_eq!(p1.terms[2].value, TermValue::Set { value: Value::Real(0.375) }, "off the grid is allowed");
    assert_eq!(p1.terms[0].alternatives[1].value, TermValue::Open);
    assert_eq!(
        p1.terms[3].alternatives[0].value,
        TermValue::Range { min: Value::Option(1), max: Value::Option(2) }
    );
    assert_eq!(
        case.proposals[1].terms[2].value,
        TermValue::Set { value: Value::Real(1.0) },
        "an integer on a real issue"
    );
    assert_eq!(case.proposals[4].kind, ProposalKind::Resolution);
}

#[test]
fn terms_are_kept_in_issue_order_whatever_the_file_order() {
    let text = r#"
[case]
id = "x"
title = "x"
[[issues]]
name = "b"
type = "boolean"
[[issues]]
name = "a"
type = "boolean"
[[proposals]]
id = "p"
title = "p"
[proposals.terms]
a = true
b = false
"#;
    let case = truce_formats::parse_case(text, "x.toml".as_ref()).unwrap().case;
    let order: Vec<IssueId> = case.proposals[0].terms.iter().map(|t| t.issue).collect();
    assert_eq!(order, [IssueId(0), IssueId(1)]);
}

#[test]
fn constituencies_and_their_approval_rules_read_as_written() {
    let loaded = load_ok(&data("good/constituencies.toml"));
    let mut problems = loaded.warnings.clone();
    problems.extend(loaded.validate());
    assert!(problems.is_empty(), "{}", show(&problems));
    let case = loaded.case;
    let north = &case.parties[0];
    let ids: Vec<&str> = north.constituencies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["centre", "hawks", "liberals"]);
    assert_eq!(north.constituencies[1].weight, 25.0);
    assert_eq!(
        north.constituencies[1].red_lines[0].rule,
        Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Option(1) }
    );
    assert_eq!(north.approval.as_ref().map(|a| a.rule.clone()), Some(truce_model::ApprovalRule::Majority));
    let coast = &case.parties[1];
    assert_eq!(
        coast.approval.as_ref().map(|a| a.rule.clone()),
        Some(truce_model::ApprovalRule::AllOf {
            constituencies: vec!["bureau".into(), "military_wing".into()]
        })
    );
    assert!(matches!(coast.constituencies[1].basis, Basis::Sourced { .. }));
}
