//! The flagship case, `cases/gaza-2024`: it passes the strictest check, its report is stable, every
//! recorded rejection is explained by the model or listed as not explained, and every quote in it is
//! verbatim from the case material (when the material is at hand).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use truce::model::{Basis, Case, PartialDate, Stance};

use super::{root, truce};

const CASE: &str = "cases/gaza-2024";

fn case() -> Case {
    match truce::formats::load(&root().join(CASE)) {
        Ok(loaded) => loaded.case,
        Err(failure) => panic!("{CASE} does not load: {failure}"),
    }
}

/// The text and JSON reports, each computed once for every test here (an analysis of this case
/// counts percentile ranks exactly over 2.4 * 10^13 outcomes, which takes seconds in the test profile).
fn report(json: bool) -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    static JSON: OnceLock<String> = OnceLock::new();
    let (cell, args): (_, &[&str]) = if json {
        (&JSON, &["analyze", CASE, "--json", "--quiet"])
    } else {
        (&TEXT, &["analyze", CASE, "--quiet"])
    };
    cell.get_or_init(|| {
        let run = truce(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    })
}

/// `truce show` prints what the case says beyond one value per issue: a term's schedule and
/// condition, a red line's conditions and end, the state of play, the sources by kind.
#[test]
fn show_prints_provisions_red_line_conditions_the_state_of_play_and_source_kinds() {
    let run = truce(&["show", CASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let case = case();
    let hostages = case.proposals.iter().flat_map(|p| &p.terms).find(|t| !t.provision.schedule.is_empty());
    let batch = hostages.expect("a scheduled term").provision.schedule[0];
    assert!(
        run.stdout.contains(&format!("schedule: {} on day {}", batch.count, batch.day)),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("; after "), "a term's condition");
    let conditional = case
        .parties
        .iter()
        .flat_map(|p| p.preferences.iter().flat_map(|prefs| &prefs.red_lines))
        .find(|r| !r.conditions.is_empty())
        .expect("a conditional red line");
    assert!(run.stdout.contains(&format!("gives way if: {}", conditional.conditions[0].text)));
    assert!(run.stdout.contains("(ends with the position it rests on)"));
    assert!(run.stdout.contains("\nState of play\n"));
    assert!(run.stdout.contains(&format!("\nSources ({}): ", case.sources.len())));
}

/// `truce show --json` carries the same (issue 11): the November 2023 truce as signed, with its
/// calendar and commitments; the state of play; a conditional red line with its conditions and one
/// that ends with its position; a scheduled term; who must approve. The expected values are the
/// case files' own, written out here.
#[test]
fn show_json_has_agreements_the_state_of_play_red_line_conditions_and_provisions() {
    let run = truce(&["show", "--json", CASE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let truce_ = &json["agreements"][0];
    assert_eq!(truce_["proposal"], "november-2023-truce");
    assert_eq!(
        (&truce_["began"], &truce_["days"], &truce_["last_phase"]),
        (&"2023-11-24".into(), &4.into(), &"phase_1".into())
    );
    let extensions: Vec<(&str, u64)> = truce_["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["agreed"].as_str().unwrap(), e["days"].as_u64().unwrap()))
        .collect();
    assert_eq!(extensions, [("2023-11-27", 2), ("2023-11-30", 1)]);
    // 4 days + 2 + 1: the first phase runs days 1 to 7, and the agreement covers no later phase.
    assert_eq!(truce_["phases"], serde_json::json!([{ "phase": "phase_1", "start_day": 1, "days": 7 }]));
    let ids: Vec<&str> =
        truce_["commitments"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["phase1_days", "p1_hostages", "p1_prisoners", "p1_aid_trucks", "p1_fuel"]);
    assert_eq!(
        truce_["commitments"][1]["commitment"],
        serde_json::json!({ "kind": "total", "total": 78.0,
                            "schedule": [{ "day": 4, "count": 50 }, { "day": 6, "count": 20 }, { "day": 7, "count": 8 }] })
    );
    assert_eq!(truce_["commitments"][1]["owed_by"], serde_json::json!(["hamas"]));
    assert_eq!(
        json["state_of_play"][0],
        serde_json::json!({
            "date": "2023-12-01", "agreement": "november-2023-truce",
            "delivered": [{ "issue": "p1_hostages", "count": 78 }], "held": [],
            "notes": "The truce's releases stage by stage: 50, then 20, then 8 (S01, S10); 80 by S09's count, 110 with foreign nationals released separately (S07, S11)."
        })
    );
    let held: Vec<(&str, i64)> = json["state_of_play"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["held"].as_array().unwrap())
        .map(|c| (c["issue"].as_str().unwrap(), c["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(held, [("p1_hostages", 136), ("p1_hostages", 134), ("p1_hostages", 115)]);
    let red_lines: Vec<&serde_json::Value> =
        json["parties"].as_array().unwrap().iter().flat_map(|p| p["red_lines"].as_array().unwrap()).collect();
    let conditional =
        red_lines.iter().find(|r| r["name"] == "no_permanent_ceasefire_before_war_aims").unwrap();
    let conditions: Vec<&str> =
        conditional["conditions"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert_eq!(
        conditions,
        [
            "The destruction of Hamas military and governing capabilities",
            "the freeing of all hostages",
            "ensuring that Gaza no longer poses a threat to Israel",
        ]
    );
    assert_eq!(conditional["conditions"][2]["rule"], "demilitarisation == \"committed\"");
    let corridors = red_lines.iter().find(|r| r["name"] == "corridors_in_phase_1").unwrap();
    assert_eq!((&corridors["ends_with_position"], &corridors["until"]), (&true.into(), &"2024-09-05".into()));
    let november =
        json["proposals"].as_array().unwrap().iter().find(|p| p["id"] == "november-2023-truce").unwrap();
    let hostages =
        november["terms"].as_array().unwrap().iter().find(|t| t["issue"] == "p1_hostages").unwrap();
    assert_eq!(hostages["provision"]["schedule"][0], serde_json::json!({ "day": 4, "count": 50 }));
    let days = november["terms"].as_array().unwrap().iter().find(|t| t["issue"] == "phase1_days").unwrap();
    assert_eq!(days["provision"]["after"], serde_json::json!(["p1_hostages"]));
    let israel = json["parties"].as_array().unwrap().iter().find(|p| p["id"] == "israel").unwrap();
    assert_eq!(
        israel["approval"],
        serde_json::json!({ "rule": "all_of", "constituencies": ["war_cabinet"] })
    );
    let kinds: usize = json["sources_by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["count"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(kinds, json["sources"].as_u64().unwrap() as usize, "every source counted once");
}

#[test]
fn the_case_passes_the_strict_check() {
    let run = truce(&["check", "--strict", CASE]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "cases/gaza-2024: no problems\n"), "{}", run.stderr);
}

#[test]
fn every_fact_is_sourced_and_every_judgement_marked_as_an_assumption() {
    let case = case();
    let sourced = |b: &Basis| !b.citations().is_empty();
    for party in case.parties.iter().filter(|p| p.negotiates()) {
        let prefs = party.preferences.as_ref().unwrap();
        assert!(prefs.basis.is_assumption(), "{}'s weights are the analyst's", party.id);
        assert!(prefs.continuation.iter().all(|c| c.basis.is_assumption()), "{}'s beliefs", party.id);
        for r in &prefs.red_lines {
            assert!(r.basis.is_sourced() && sourced(&r.basis), "red line {} of {}", r.name, party.id);
        }
        assert!(!party.stated_positions.is_empty());
        // Constituencies and their red lines are facts: cited; the rule for what carries is cited or
        // the analyst's, said so.
        for c in &party.constituencies {
            assert!(c.basis.is_sourced() && sourced(&c.basis), "constituency {} of {}", c.id, party.id);
            for r in &c.red_lines {
                assert!(r.basis.is_sourced() && sourced(&r.basis), "red line {} of {}", r.name, c.id);
            }
        }
        if let Some(a) = &party.approval {
            assert!(sourced(&a.basis) || a.basis.is_assumption(), "the approval rule of {}", party.id);
        }
    }
    for p in &case.proposals {
        assert!(sourced(&p.basis), "proposal {}", p.id);
        for r in &p.responses {
            assert!(r.basis.is_sourced() && r.date.is_some(), "a response to {}", p.id);
        }
        for t in &p.terms {
            // Every term cites its own source, or is the analyst's reading, said so.
            assert!(
                sourced(&t.basis) || t.basis.is_assumption(),
                "{}: {}",
                p.id,
                case.space().issue(t.issue).name
            );
        }
    }
}

#[test]
fn the_text_report_is_stable() {
    insta::assert_snapshot!("gaza_report", report(false));
}

/// The parts of the JSON report a reader relies on: the date, the red lines, the verdicts, the
/// record and bridging (the full document, with the frontier, is two megabytes).
#[test]
fn the_json_report_is_stable() {
    let mut v: serde_json::Value = serde_json::from_str(report(true)).unwrap();
    let verdicts: Vec<serde_json::Value> = v["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let parties: Vec<serde_json::Value> = e["parties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| serde_json::json!({ "party": p["party"], "verdict": p["verdict"], "utility": p["utility"] }))
                .collect();
            serde_json::json!({ "proposal": e["subject"]["proposal"], "judged_at": e["judged_at"], "parties": parties })
        })
        .collect();
    let digest = serde_json::json!({
        "schema": v["schema"].take(),
        "date": v["date"].take(),
        "zone": v["zone"]["size"].take(),
        "red_lines": v["red_lines"].take(),
        "timeline": v["timeline"].take(),
        "verdicts": verdicts,
        "record": v["record"].take(),
        "bridging": v["bridging"].take(),
    });
    insta::assert_json_snapshot!("gaza_json_digest", digest);
}

/// Every rejection or counter in the record is either explained by the model (a red line in force on
/// the response's date, or utility below the reservation value) or listed in the report's "Not
/// explained" section; the explanations are checked against the case itself.
#[test]
fn every_recorded_rejection_is_explained_or_listed() {
    let case = case();
    let v: serde_json::Value = serde_json::from_str(report(true)).unwrap();
    let listed = report(false).split("\nNot explained by the model").nth(1).unwrap_or("");
    let listed = listed.split("\n\n").next().unwrap_or("");
    let mut rejections = 0;
    for p in &case.proposals {
        for r in p.responses.iter().filter(|r| matches!(r.stance, Stance::Rejected | Stance::Countered)) {
            let party = &case.party(r.party);
            let date = r.date.map(|d| d.to_string());
            let record = v["record"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| {
                    x["proposal"] == p.id.as_str()
                        && x["party"] == party.id.as_str()
                        && x["date"].as_str() == date.as_deref()
                })
                .unwrap_or_else(|| panic!("no record of {}'s response to {}", party.id, p.id));
            let Some(prefs) = &party.preferences else {
                assert_eq!(record["status"], "unmodelled");
                continue;
            };
            rejections += 1;
            match record["status"].as_str().unwrap() {
                "explained" => {
                    // Each red line given as the reason was in force on the response's date.
                    let date: PartialDate = r.date.or(p.date).unwrap();
                    for reason in record["reasons"].as_array().unwrap() {
                        match reason["kind"].as_str().unwrap() {
                            "red_line" => {
                                let name = reason["red_line"].as_str().unwrap();
                                let line = prefs.red_lines.iter().find(|l| l.name == name).unwrap();
                                assert!(line.in_force_at(date), "{name} was not in force at {date}");
                            }
                            "below_reservation" | "no_acceptable_completion" => {}
                            other => panic!("{other} does not explain a rejection"),
                        }
                    }
                }
                status => {
                    let line = format!("  - {}, {} ({})", p.id, party.id, r.date.unwrap());
                    assert!(
                        listed.contains(&line),
                        "{}'s response to {} is {status} but not listed:\n{listed}",
                        party.id,
                        p.id
                    );
                }
            }
        }
    }
    assert!(rejections >= 10, "the case records {rejections} rejections or counters");
}

/// The red lines over time: closed while Israel refused to end the offensive and Hamas demanded a
/// permanent ceasefire upfront; open from 31 May on Israel's conditions for a permanent ceasefire
/// (demilitarisation, every hostage freed), and through July; closed while Hamas's corridor demand
/// (18 August to 5 September) met Israel's Philadelphi line; open again once that position ended.
#[test]
fn the_red_lines_left_a_zone_from_june_except_during_the_corridor_dispute() {
    use truce::analysis::{Analysis, Limits};
    let case = case();
    // Ranks estimated from samples: this test is about the zone, counted exactly regardless.
    let limits = Limits { counting: 1 << 12, samples: 1_000, ..Limits::default() };
    let zone = |date: &str| {
        let findings =
            Analysis::new(&case).at(Some(date.parse().unwrap())).with_limits(limits).run().unwrap();
        (findings.zone.frontier.is_empty(), findings.solutions.nash.is_some())
    };
    assert_eq!(zone("2024-03-15"), (true, false), "no end of the offensive against a ceasefire upfront");
    assert_eq!(zone("2024-06-15"), (false, true), "a permanent ceasefire on Israel's conditions");
    assert_eq!(zone("2024-07-05"), (false, true));
    assert_eq!(zone("2024-08-19"), (true, false), "the corridors closed it");
    assert_eq!(zone("2024-11-09"), (false, true), "Hamas's corridor demand ended with its position");
}

/// The Gaza case material (see [`truce_testdata::case_material`]); not part of the repository.
fn material() -> Option<PathBuf> {
    truce_testdata::case_material()
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every quote is verbatim from the case material: from the seed article it cites, or from the
/// timeline (which carries the outside pages' words with their tags).
#[test]
fn every_quote_is_verbatim_from_the_case_material() {
    let Some(dir) = material() else { return };
    let timeline = normalise(&std::fs::read_to_string(dir.join("gaza-talks-2023-2024.md")).unwrap());
    let case = case();
    let mut quotes = Vec::new();
    let mut collect =
        |b: &Basis| quotes.extend(b.citations().iter().filter_map(|c| Some((c.source, c.quote.clone()?))));
    for party in &case.parties {
        collect(&party.basis);
        party.stated_positions.iter().for_each(|s| collect(&s.basis));
        if let Some(prefs) = &party.preferences {
            collect(&prefs.basis);
            prefs.red_lines.iter().for_each(|r| collect(&r.basis));
            prefs.continuation.iter().for_each(|c| collect(&c.basis));
        }
        for constituency in &party.constituencies {
            collect(&constituency.basis);
            constituency.red_lines.iter().for_each(|r| collect(&r.basis));
        }
        if let Some(approval) = &party.approval {
            collect(&approval.basis);
        }
    }
    for phase in case.domain.phases() {
        collect(&phase.basis);
    }
    for p in &case.proposals {
        collect(&p.basis);
        for t in &p.terms {
            collect(&t.basis);
            t.alternatives.iter().for_each(|a| collect(&a.basis));
        }
        p.responses.iter().for_each(|r| collect(&r.basis));
    }
    assert!(quotes.len() > 200, "only {} quotes", quotes.len());
    let mut missing = BTreeSet::new();
    for (source, quote) in quotes {
        let source = case.source(source);
        let quote = normalise(&quote);
        let found = match source.location.as_deref() {
            Some(file) if file.starts_with("seeds/") => {
                normalise(&std::fs::read_to_string(dir.join(Path::new(file))).unwrap()).contains(&quote)
            }
            _ => timeline.contains(&quote),
        };
        if !found {
            missing.insert(format!("{}: {quote}", source.id));
        }
    }
    assert!(missing.is_empty(), "quotes not found verbatim in the case material:\n{missing:#?}");
}

#[test]
fn every_seed_article_is_cited_by_file_name() {
    let case = case();
    let seeds: Vec<&str> = case
        .sources
        .iter()
        .filter_map(|s| s.location.as_deref())
        .filter(|l| l.starts_with("seeds/"))
        .collect();
    assert_eq!(seeds.len(), 5, "{seeds:?}");
    if let Some(dir) = material() {
        for seed in seeds {
            assert!(dir.join(seed).is_file(), "{seed} is not in the case material");
        }
    }
}

#[test]
fn an_impossible_analysis_date_is_refused_as_bad_input() {
    let run = truce(&["analyze", CASE, "--at", "2024-13"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`2024-13` is not a date: the month must be between 01 and 12"),
        "{}",
        run.stderr
    );
}
