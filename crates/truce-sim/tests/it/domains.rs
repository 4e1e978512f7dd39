//! A small tournament over the ANAC domains in `../shared/domains` (skipped, with a message, when the
//! folder is absent), and the scale of pools on large spaces.

use std::sync::Arc;

use truce_sim::{Deadline, OutcomePool, Protocol, Shard, Tournament};

use crate::fixtures::{agents, random_parts};

#[test]
fn pools_of_spaces_too_large_to_enumerate_are_sampled_quickly() {
    // 12 issues of 10 values: 10^12 outcomes.
    let (domain, parties) = random_parts(3, &[10; 12], 2, 0.0);
    let started = std::time::Instant::now();
    let pool = OutcomePool::build(&domain, &parties[0].2, 1);
    assert!(!pool.is_exhaustive());
    assert!(pool.len() > 1000);
    let best_possible: f64 = 1.0; // every table has a value scoring its maximum
    assert!((pool.best_utility().unwrap() - best_possible).abs() < 1e-9, "additive climbs reach the optimum");
    eprintln!("sampled pool of {} outcomes in {:?}", pool.len(), started.elapsed());
    let scenario = Arc::new(truce_sim::Scenario::new("huge", domain, parties).unwrap());
    let t = Tournament {
        agents: agents(&["boulware", "micro"]),
        scenarios: vec![scenario],
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(50),
        limits: Default::default(),
        reps: 1,
        seed: 0,
        record: false,
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: truce_sim::Seatings::All,
        references: Vec::new(),
    };
    let (results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert_eq!(results.negotiations.len(), 8);
}

/// The shared ANAC domains (see [`truce_testdata::domains`]).
fn shared_domains() -> Option<std::path::PathBuf> {
    truce_testdata::domains()
}

#[test]
fn a_small_tournament_over_the_anac_domains_agrees_with_the_genius_reference() {
    let Some(root) = shared_domains() else { return };
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("reference.json")).unwrap()).unwrap();
    let mut folders: Vec<_> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    folders.sort();
    let mut scenarios = Vec::new();
    let mut references = Vec::new();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let Ok(loaded) = truce_formats::load(&folder) else { continue };
        let Ok(scenario) = truce_sim::Scenario::from_case(&loaded.case) else { continue };
        // Keep the suite small: bilateral and 3-party domains of up to 400k outcomes.
        let size = scenario.domain().space().size_u64().unwrap_or(u64::MAX);
        if scenario.party_count() > 3 || size > 400_000 || scenario.check_acceptable().is_err() {
            continue;
        }
        let entry = reference.as_array().unwrap().iter().find(|e| e["domain"] == name.as_str());
        // (Domains with an empty zone of agreement, like Lunch, have no Nash point.)
        let usable =
            |e: &&serde_json::Value| e.get("frontier").is_some() && e["nash"]["utilities"].is_array();
        references.push(entry.filter(usable).map(|e| (e.clone(), seat_order(&scenario, e))));
        scenarios.push(Arc::new(scenario));
    }
    assert!(scenarios.len() >= 20, "only {} ANAC domains loaded", scenarios.len());
    let t = Tournament {
        agents: agents(&["boulware", "micro"]),
        scenarios: scenarios.clone(),
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(40),
        limits: Default::default(),
        reps: 1,
        seed: 3,
        record: false,
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: truce_sim::Seatings::All,
        references: Vec::new(),
    };
    let (mut results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert!(results.complete);
    assert!(results.negotiations.iter().all(|n| n.failure.is_none()));
    // Reference points in seat order, from GENIUS semantics computed by brute force in Python.
    let refs: Vec<Option<truce_sim::Reference>> = references
        .iter()
        .map(|r| {
            r.as_ref().map(|(e, order)| {
                let vector = |v: &serde_json::Value| -> Vec<f64> {
                    order.iter().map(|&i| v[i].as_f64().unwrap()).collect()
                };
                truce_sim::Reference {
                    nash: vector(&e["nash"]["utilities"]),
                    frontier: e["frontier"].as_array().unwrap().iter().map(vector).collect(),
                }
            })
        })
        .collect();
    results.add_distances(&scenarios, &refs);
    let mut checked = 0;
    for n in &results.negotiations {
        let Some((scenario, Some((entry, _)))) =
            scenarios.iter().zip(&references).find(|(s, _)| s.name() == n.scenario)
        else {
            continue;
        };
        let Some(agreement) = &n.agreement else { continue };
        let u = scenario.utilities(agreement);
        let welfare: f64 = u.iter().sum();
        let max_welfare = entry["max_welfare"]["value"].as_f64().unwrap();
        assert!(
            welfare <= max_welfare + 1e-9,
            "{}: welfare {welfare} above the maximum {max_welfare}",
            n.scenario
        );
        // No agreement strictly dominates a point of the exact frontier.
        let reference =
            refs[scenarios.iter().position(|s| s.name() == n.scenario).unwrap()].as_ref().unwrap();
        for f in &reference.frontier {
            assert!(
                !u.iter().zip(f).all(|(a, b)| a > &(b + 1e-9)),
                "{}: {u:?} dominates frontier point {f:?}",
                n.scenario
            );
        }
        assert!(n.pareto_distance.unwrap() >= 0.0 && n.nash_distance.is_some());
        checked += 1;
    }
    assert!(checked > 50, "checked {checked} agreements against the reference");
}

/// For each seat, the position of its profile in the reference's party list.
fn seat_order(scenario: &truce_sim::Scenario, entry: &serde_json::Value) -> Vec<usize> {
    let parties: Vec<String> = entry["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().trim_end_matches(".xml").to_string())
        .collect();
    scenario
        .seats()
        .iter()
        .map(|s| {
            parties
                .iter()
                .position(|p| *p == s.id || s.id.ends_with(p.as_str()) || p.ends_with(s.id.as_str()))
                .unwrap_or_else(|| panic!("seat {} not among the reference parties {parties:?}", s.id))
        })
        .collect()
}

#[test]
fn four_agents_on_the_nine_party_anac_2015_domain_run_by_default_in_the_hundreds() {
    let Some(root) = shared_domains() else { return };
    let folder = root.join("anac2015_group1-university");
    let loaded = truce_formats::load(&folder).unwrap();
    let scenario = Arc::new(truce_sim::Scenario::from_case(&loaded.case).unwrap());
    assert_eq!(scenario.party_count(), 9);
    let mut t = Tournament::new(agents(&["boulware", "conceder", "micro", "hardheaded"]), vec![scenario]);
    t.deadline = Deadline::rounds(30);
    assert_eq!(t.size(), 16 * 9, "rotate: 4² seatings, 9 first movers");
    let (results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert_eq!(results.negotiations.len(), 144);
    let mut all = t.clone();
    all.seatings = truce_sim::Seatings::All;
    assert_eq!(all.size(), 4u128.pow(9) * 9, "every seating is still there: 2.4 million");
    let estimate = all.estimate(Shard::ALL, 2).unwrap();
    assert_eq!(estimate.negotiations, 2_359_296);
    assert!(estimate.bytes > 1 << 30, "results of 2.4 million 9-party negotiations take gigabytes");
}
