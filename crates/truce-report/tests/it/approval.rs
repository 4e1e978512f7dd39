//! Who must approve: the text, HTML and JSON reports say, for each proposal and bridging package,
//! whose approval within a party it lacks and whether the party's rule still carries it.

use truce_analysis::Analysis;
use truce_model::{Approval, ApprovalRule, Basis, CmpOp, Constituency, Constraint, IssueId, RedLine, Value};

use crate::fixture::ceasefire;

/// The fixture with a cabinet in which a far-right partner (a veto) refuses any permanent
/// ceasefire, and a Hamas whose bureau and military wing decide by majority, the wing refusing a
/// ratio under 30.
fn with_constituencies() -> truce_model::Case {
    let mut case = ceasefire();
    let red_line = |name: &str, rule: Constraint| RedLine::new(name, rule, Basis::Unsourced);
    case.parties[0].constituencies = vec![
        Constituency::new("war_cabinet", "War cabinet"),
        Constituency {
            red_lines: vec![red_line(
                "no_permanent_ceasefire",
                Constraint::Compare { issue: IssueId(3), op: CmpOp::Eq, value: Value::Option(0) },
            )],
            ..Constituency::new("far_right", "Far-right partners")
        },
    ];
    case.parties[0].approval = Some(Approval { rule: ApprovalRule::Veto, basis: Basis::Unsourced });
    case.parties[1].constituencies = vec![
        Constituency { weight: 2.0, ..Constituency::new("bureau", "Political bureau") },
        Constituency {
            red_lines: vec![red_line(
                "ratio_floor",
                Constraint::Compare { issue: IssueId(1), op: CmpOp::Ge, value: Value::Int(30) },
            )],
            ..Constituency::new("military_wing", "Military wing")
        },
    ];
    case.parties[1].approval = Some(Approval { rule: ApprovalRule::Majority, basis: Basis::Unsourced });
    case
}

#[test]
fn the_reports_say_whose_approval_each_proposal_and_package_lacks() {
    let case = with_constituencies();
    let f = Analysis::new(&case).with_bridging(2).run().unwrap();
    // The counterproposal sets a permanent ceasefire (the far right's veto) and leaves the ratio
    // open (the wing may refuse, but the bureau's weight carries Hamas).
    let text = truce_report::text::report_wrapped(&case, &f, 400);
    assert!(text.contains("\nWho must approve"), "{text}");
    assert!(
        text.contains("2024-02-06 hamas-counter: israel: blocked (veto), lacks far_right (no_permanent_ceasefire); hamas: carries (majority), military_wing (ratio_floor) depends on the open issues"),
        "{text}"
    );
    assert!(text.contains("2024-01-28 paris: israel: carries (veto); hamas: carries (majority), without military_wing (ratio_floor)"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&truce_report::json::to_string(&case, &f, None)).unwrap();
    let counter = &json["evaluations"][1]["approvals"];
    assert_eq!(counter[0]["party"], "israel");
    assert_eq!(counter[0]["carries"], false);
    assert_eq!(counter[0]["lacking"], serde_json::json!(["far_right"]));
    assert_eq!(counter[0]["constituencies"][1]["broken"][0]["red_line"], "no_permanent_ceasefire");
    assert_eq!(counter[1]["constituencies"][1]["approves"], serde_json::Value::Null);
    assert_eq!(counter[1]["carries"], true);
    // Every bridging package says whether it carries in each party.
    let packages: Vec<&serde_json::Value> = ["by_nash", "by_concession"]
        .iter()
        .flat_map(|k| json["bridging"][k].as_array().into_iter().flatten())
        .collect();
    assert!(!packages.is_empty());
    for p in packages {
        assert_eq!(p["approvals"].as_array().map(Vec::len), Some(2), "{p}");
    }

    let page = truce_report::html::page(&case, &f, "");
    assert!(page.contains("<h2>Who must approve</h2>"));
    assert!(page.contains("blocked (veto), lacks far_right (no_permanent_ceasefire)"));
}

#[test]
fn without_constituencies_nothing_is_said_about_approval() {
    let case = ceasefire();
    let f = Analysis::new(&case).with_bridging(2).run().unwrap();
    assert!(f.approvals.iter().all(Vec::is_empty));
    assert!(!truce_report::text::report(&case, &f).contains("Who must approve"));
    assert!(!truce_report::json::to_string(&case, &f, None).contains("\"approvals\""));
}
