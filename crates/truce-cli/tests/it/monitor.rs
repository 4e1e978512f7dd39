//! `truce monitor`: the November 2023 truce as implemented (its report, and every quote of its
//! agreement and event log verbatim from the case material), the fictional Lakeside pause through
//! every option, and bad logs refused with every error located.

use std::path::Path;

use truce::model::Basis;

use super::{root, truce};

const GAZA: &str = "cases/gaza-2024";
const GAZA_EVENTS: &str = "cases/gaza-2024/events/2023-11-november-truce.csv";
const LAKESIDE: &str = "crates/truce-formats/tests/data/monitor/lakeside.toml";
const LAKESIDE_EVENTS: &str = "crates/truce-formats/tests/data/monitor/lakeside-events.csv";

#[test]
fn the_november_2023_truce_as_implemented() {
    for at in ["2023-11-28", "2023-12-01"] {
        let run = truce(&[
            "monitor",
            GAZA,
            "--agreement",
            "november-2023-truce",
            "--events",
            GAZA_EVENTS,
            "--at",
            at,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "", "no warning");
        insta::assert_snapshot!(format!("gaza_november_truce_{at}"), run.stdout);
    }
    let run = truce(&["monitor", GAZA, "--events", GAZA_EVENTS, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["schema"], "truce-monitor/1");
    assert_eq!(json["at"], "2023-11-30", "the last date in the log");
    let statuses: Vec<(&str, &str)> = json["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("phase1_days", "met"),
            ("p1_hostages", "met"),
            ("p1_prisoners", "met"),
            ("p1_aid_trucks", "unknown"),
            ("p1_fuel", "unknown"),
        ],
        "78 hostages and 240 prisoners in three stages; aid and fuel reported for day 1 only"
    );
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every quote of the agreement and of its event log is verbatim from the case material's timeline
/// (the outside pages' words, with their tags).
#[test]
fn every_quote_of_the_agreement_and_its_events_is_verbatim() {
    let Some(dir) = truce_testdata::case_material() else { return };
    let timeline = normalise(&std::fs::read_to_string(dir.join("gaza-talks-2023-2024.md")).unwrap());
    let case = truce::formats::load(&root().join(GAZA)).unwrap().case;
    let agreement = &case.agreements[0];
    let mut quotes: Vec<String> = Vec::new();
    let mut collect = |b: &Basis| quotes.extend(b.citations().iter().filter_map(|c| c.quote.clone()));
    collect(&agreement.basis);
    agreement.extensions.iter().for_each(|e| collect(&e.basis));
    agreement.commitments.iter().for_each(|c| collect(&c.basis));
    let path = root().join(GAZA_EVENTS);
    let text = std::fs::read_to_string(&path).unwrap();
    let log = truce::formats::events::read_events(&case, agreement, &path, &text).unwrap();
    assert!(log.observations.iter().all(|o| o.quote.is_some()), "every row quotes its source");
    quotes.extend(log.observations.iter().filter_map(|o| o.quote.clone()));
    assert!(quotes.len() >= 15, "only {} quotes", quotes.len());
    let missing: Vec<&String> = quotes.iter().filter(|q| !timeline.contains(&normalise(q))).collect();
    assert!(missing.is_empty(), "quotes not found verbatim in the case material: {missing:#?}");
}

#[test]
fn the_lakeside_pause_with_every_option() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("lakeside.svg");
    let html = dir.path().join("lakeside.html");
    let (svg_arg, html_arg) = (svg.to_str().unwrap(), html.to_str().unwrap());
    let run = truce(&[
        "monitor",
        LAKESIDE,
        "--events",
        LAKESIDE_EVENTS,
        "--at",
        "2031-05-06",
        "--svg",
        svg_arg,
        "--html",
        html_arg,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("lakeside_text", run.stdout);
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("hostages: delivered (cumulative) against the schedule"));
    assert!(svg.contains("aid_trucks_per_day: trucks per day against the 100 committed"));
    assert!(svg.contains("Phases, and the events reported on each day"));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("BREACHED"));

    let run =
        truce(&["monitor", LAKESIDE, "--events", LAKESIDE_EVENTS, "--at", "2031-05-06", "--source", "S3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Status from S3's account only; sources read: S3."), "{}", run.stdout);

    let run = truce(&["monitor", LAKESIDE, "--events", LAKESIDE_EVENTS, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["at_day"], 6);
    assert_eq!(json["commitments"][0]["by_source"][1]["status"], "unknown");
    assert_eq!(json["commitments"][0]["daily"][3]["status"], "behind");
    assert_eq!(json["parties"][0]["party"], "north");
}

#[test]
fn wrong_names_and_dates_are_refused_naming_the_parameter() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--agreement", "lakeside-paus"],
            "no signed agreement `lakeside-paus`; did you mean `lakeside-pause`?",
        ),
        (&["--source", "S9"], "the case has no source `S9`"),
        (&["--at", "2031-04-01"], "2031-04-01 is before the agreement began on 2031-05-01"),
        (
            &["--events", "crates/truce-formats/tests/data/monitor/lakeside.toml"],
            "an event log is a `.csv` or a `.jsonl` file",
        ),
    ];
    for (extra, message) in cases {
        let mut args = vec!["monitor", LAKESIDE, "--events", LAKESIDE_EVENTS];
        args.extend_from_slice(extra);
        let run = truce(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_bad_log_is_refused_with_every_error_located() {
    let run = truce(&[
        "monitor",
        LAKESIDE,
        "--events",
        "crates/truce-formats/tests/data/monitor/bad/bad-events.csv",
    ]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("bad_events_csv", run.stderr);
    let run = truce(&[
        "monitor",
        LAKESIDE,
        "--events",
        "crates/truce-formats/tests/data/monitor/bad/disputed-events.csv",
    ]);
    assert_eq!(run.code, 0, "a dispute is a warning: {}", run.stderr);
    assert!(run.stderr.contains("warning[event-dispute]"), "{}", run.stderr);
    assert!(Path::new(&root().join(LAKESIDE)).exists());
}

/// `truce analyze --at DATE --events`: the Lakeside pause at 2031-05-05 read from its log (40 held
/// the day before it began, 18 released on the most conservative account, so 22 left), in the text,
/// the JSON and the page.
#[test]
fn analyze_at_the_state_of_play_from_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("lakeside.html");
    let base = ["analyze", LAKESIDE, "--at", "2031-05-05", "--events", LAKESIDE_EVENTS];
    let mut args = base.to_vec();
    args.extend(["--html", html.to_str().unwrap()]);
    let run = truce(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "no warning");
    let text = normalise(&run.stdout);
    for expected in [
        "State of play from the events up to 2031-05-05 (day 5 of `lakeside-pause`, which began 2031-05-01; \
         sources reconciled: most_conservative; sources read: S2, S3).",
        "- hostages: 18 delivered of 30 agreed; by source: S2 20, S3 18; sources differ on 2031-05-04. Still \
         held: 22 (40 held on 2031-04-30, less 18 delivered since)",
        "! `lakeside-extension` asks for 25 of `hostages`, but the events leave 22 held on its date.",
    ] {
        assert!(text.contains(expected), "{expected}\nin\n{}", run.stdout);
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("State of play from the events up to 2031-05-05"), "the page says so too");
    let mut args = base.to_vec();
    args.push("--json");
    let run = truce(&args);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let play = &json["state_of_play"];
    assert_eq!(
        (&play["from"], &play["at"], &play["rule"]),
        (&"events".into(), &"2031-05-05".into(), &"most_conservative".into())
    );
    assert_eq!((&play["counts"][0]["delivered"], &play["counts"][0]["held"]), (&18.into(), &22.into()));
    assert_eq!(
        play["too_much"],
        serde_json::json!([{ "proposal": "lakeside-extension", "issue": "hostages", "asked": 25, "held": 22 }])
    );
    // Without the events, nothing is said of them and the case's 40 bound the analysis.
    let run = truce(&["analyze", LAKESIDE, "--at", "2031-05-05", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json.get("state_of_play").is_none());
    let run = truce(&["analyze", LAKESIDE, "--events", LAKESIDE_EVENTS]);
    assert_eq!(run.code, 2, "events need a date");
    assert!(run.stderr.contains("--at <DATE>"), "{}", run.stderr);
}

/// A record of the case dated the date that the events contradict: a warning at the record naming
/// both figures and their sources; the record is kept as written.
#[test]
fn a_state_of_play_the_events_contradict_is_named_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lakeside.toml");
    let text = std::fs::read_to_string(root().join(LAKESIDE)).unwrap().replace(
        "[[agreements]]",
        "[[state_of_play]]\ndate = \"2031-05-04\"\nagreement = \"lakeside-pause\"\ndelivered = { hostages = 20 }\n\
         cite = [\"S2\"]\n\n[[agreements]]",
    );
    std::fs::write(&path, &text).unwrap();
    let events = root().join(LAKESIDE_EVENTS);
    let run = truce(&[
        "analyze",
        path.to_str().unwrap(),
        "--at",
        "2031-05-04",
        "--events",
        events.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[events-disagree-with-state-of-play]"), "{}", run.stderr);
    let line = text.lines().position(|l| l == "date = \"2031-05-04\"").unwrap();
    assert!(run.stderr.contains(&format!("lakeside.toml:{line}:")), "{}", run.stderr);
    assert!(
        normalise(&run.stderr).contains(
            "the state of play on 2031-05-04 says 20 of `hostages` delivered (per S2); the events up to 2031-05-04 \
             give 18 (under `most_conservative`; sources: S2 20, S3 18)"
        ),
        "{}",
        run.stderr
    );
    assert!(normalise(&run.stdout).contains(
        "! The case's state of play on 2031-05-04 says 20 of `hostages` delivered; the events give 18"
    ));
}

/// The November 2023 truce on its last day: the events give the 78 releases the case records on
/// 1 December 2023, so no warning; the case counts no hostages held before the truce, so nothing
/// more is derived, and the report says why.
#[test]
fn the_november_2023_truce_at_its_end_from_its_events() {
    let run = truce(&[
        "analyze",
        GAZA,
        "--at",
        "2023-12-01",
        "--events",
        GAZA_EVENTS,
        "--no-sensitivity",
        "--bridging",
        "0",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "the case's 78 and the events' agree");
    let text = normalise(&run.stdout);
    assert!(text.contains("State of play from the events up to 2023-12-01 (day 8 of `november-2023-truce`, which began 2023-11-24;"), "{}", run.stdout);
    assert!(
        text.contains("- p1_hostages: 78 delivered of 78 agreed. Still held: not derived (the case gives no count of `p1_hostages` held before 2023-12-01"),
        "{}",
        run.stdout
    );
}
