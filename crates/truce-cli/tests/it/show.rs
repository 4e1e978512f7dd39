//! `truce show`.

use super::{EXAMPLE, fixture, truce};

#[test]
fn shows_the_example_as_a_reader_wants_it() {
    let run = truce(&["show", EXAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("show_example", run.stdout);
}

#[test]
fn shows_the_example_as_json() {
    let run = truce(&["show", "--json", EXAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_example_json", run.stdout);
}

#[test]
fn shows_every_feature() {
    let run = truce(&["show", &fixture("good/everything.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_everything", run.stdout);
}

#[test]
fn proposals_come_in_date_order() {
    let run = truce(&["show", "--json", &fixture("good/everything.toml")]);
    let case: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let order: Vec<&str> =
        case["proposals"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    // p1 is dated 2024-03 and p5 2024-06-10; the undated ones follow in case order.
    assert_eq!(order, ["p1", "p5", "p2", "p3", "p4"]);
}

#[test]
fn the_outcome_count_is_exact_however_large() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[case]\nid = \"big\"\ntitle = \"Big\"\n");
    for i in 0..40 {
        text.push_str(&format!("[[issues]]\nname = \"i{i}\"\ntype = \"integer\"\nmin = 0\nmax = 9\n"));
    }
    let path = dir.path().join("big.toml");
    std::fs::write(&path, text).unwrap();
    let run = truce(&["show", path.to_str().unwrap()]);
    let expected = format!("Outcomes: 1{} (about 1.00e40)", "0".repeat(40));
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&truce(&["show", "--json", path.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(json["outcomes"]["digits"], 41);
    assert_eq!(json["outcomes"]["scientific"], "1.00e40");
}

#[test]
fn a_case_with_errors_is_refused_with_its_diagnostics() {
    let run = truce(&["show", &fixture("bad/cycle.toml")]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("show_refuses_errors", run.stderr);
}

#[test]
fn warnings_are_counted_on_stderr_and_the_case_is_shown() {
    let path = fixture("bad/lints.toml");
    let run = truce(&["show", &path]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("Lints\n"), "{}", run.stdout);
    assert_eq!(run.stderr, format!("note: 3 warnings; run `truce check {path}` to see them\n"));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `truce show case | head -1`: the reader closes the pipe before truce has written everything.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("truce"))
        .current_dir(super::root())
        .args(["show", EXAMPLE])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no 'Broken pipe' message");
}

#[test]
fn names_with_invisible_characters_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.toml");
    let case = "[case]\nid = \"x\"\ntitle = \"x\"\n[[issues]]\nname = \"w\\u200B\"\ntype = \"boolean\"\n";
    std::fs::write(&path, case).unwrap();
    let run = truce(&["show", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("w\\u{200b}"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{200b}'), "{}", run.stdout);
    assert!(run.stderr.contains("2 warnings"), "the warning is counted: {}", run.stderr);
}

#[test]
fn shows_who_must_approve() {
    let run = truce(&["show", &fixture("good/constituencies.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let section = run.stdout.split("\nConstituencies").nth(1).unwrap_or_default();
    assert!(section.contains("north  centre:"), "{}", run.stdout);
    assert!(
        section.contains("majority  weight 25  no_full_withdrawal: withdrawal <= \"partial\""),
        "{section}"
    );
    assert!(section.contains("coast  military_wing:  all_of"), "{section}");
}

/// `show --json` carries what the text shows beyond one value per issue (issue 11): who must approve
/// and the party's rule, each constituency's red lines, and an empty provision on a plain term. The
/// expected objects are written out from the fixture's text.
#[test]
fn the_json_has_constituencies_approval_rules_and_provisions() {
    let run = truce(&["show", "--json", &fixture("good/constituencies.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let case: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let north = &case["parties"][0];
    assert_eq!(north["approval"], serde_json::json!({ "rule": "majority", "constituencies": [] }));
    assert_eq!(
        north["constituencies"][1],
        serde_json::json!({
            "id": "hawks", "name": "Security hawks", "description": null, "weight": 25.0,
            "red_lines": [{ "name": "no_full_withdrawal", "rule": "withdrawal <= \"partial\"",
                            "since": null, "until": null, "conditions": [], "ends_with_position": false }]
        })
    );
    let coast = &case["parties"][1];
    assert_eq!(
        coast["approval"],
        serde_json::json!({ "rule": "all_of", "constituencies": ["bureau", "military_wing"] })
    );
    assert_eq!(coast["constituencies"][0]["weight"], 1.0, "1 unless given");
    let term = &case["proposals"][0]["terms"][0];
    assert_eq!(
        term["provision"],
        serde_json::json!({ "by_day": null, "on": null, "schedule": [], "by_category": [], "after": [],
                            "while_talks": false, "if_stalled": null })
    );
    assert_eq!(case["state_of_play"], serde_json::json!([]));
    assert_eq!(case["agreements"], serde_json::json!([]));
}

/// The fictional Lakeside pause: a signed agreement with its calendar and every commitment, derived
/// from the text or declared, and the provisions of its terms (a schedule, a day, a condition).
#[test]
fn the_json_has_signed_agreements_and_their_commitments() {
    let run = truce(&["show", "--json", "crates/truce-formats/tests/data/monitor/lakeside.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let case: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let agreement = &case["agreements"][0];
    assert_eq!(agreement["proposal"], "lakeside-pause");
    assert_eq!(agreement["began"], "2031-05-01");
    assert_eq!(agreement["days"], 4);
    assert_eq!(
        agreement["extensions"],
        serde_json::json!([{ "agreed": "2031-05-04", "phase": null, "days": 2, "notes": null }])
    );
    assert_eq!(
        (&agreement["reconcile"], &agreement["trust"]),
        (&"most_conservative".into(), &serde_json::json!([]))
    );
    // Phase 1: 4 days as signed + 2 of extension, days 1-6; phase 2: its 10 days from day 7.
    assert_eq!(
        agreement["phases"],
        serde_json::json!([{ "phase": "phase_1", "start_day": 1, "days": 6 },
                           { "phase": "phase_2", "start_day": 7, "days": 10 }])
    );
    let commitments: Vec<(&str, &str, &str, bool, Option<u64>)> = agreement["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["unit"].as_str().unwrap(),
                c["declared"].as_bool().unwrap(),
                c["due_day"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        commitments,
        vec![
            ("hostages", "total", "people", false, Some(6)),
            ("checkpoint", "deadline", "done", false, Some(3)),
            ("withdrawal", "gate", "met", false, Some(16)),
            ("aid_trucks_per_day", "rate", "trucks", true, Some(6)),
            ("no_fire", "hold", "violations", true, Some(6)),
        ]
    );
    assert_eq!(agreement["commitments"][4]["owed_by"], serde_json::json!(["north", "south"]));
    assert_eq!(
        agreement["commitments"][3]["commitment"],
        serde_json::json!({ "kind": "rate", "per_day": 100.0, "tolerance": 0.1, "window_days": 2 })
    );
    let terms = &case["proposals"][0]["terms"];
    assert_eq!(
        terms[0]["provision"]["schedule"],
        serde_json::json!([{ "day": 2, "count": 10 }, { "day": 4, "count": 10 }, { "day": 6, "count": 10 }])
    );
    assert_eq!(terms[2]["provision"]["by_day"], 3);
    assert_eq!(terms[3]["provision"]["after"], serde_json::json!(["hostages"]));
    assert_eq!(
        case["sources_by_kind"],
        serde_json::json!([{ "kind": "official_text", "count": 2 }, { "kind": "report", "count": 2 }])
    );
}
