//! Tournaments on fixtures built in code.

use std::sync::Arc;

use truce_sim::{Deadline, Protocol, Ranking, Reference, ResultsFile, Shard, SimError, Tournament};

use crate::fixtures::{agents, random_scenario, split};

fn tournament() -> Tournament {
    Tournament {
        agents: agents(&["boulware", "conceder", "micro", "hardliner"]),
        scenarios: vec![Arc::new(split(20)), Arc::new(random_scenario(8, &[3, 4, 2], 2, 0.2))],
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(30),
        limits: Default::default(),
        reps: 1,
        seed: 1,
        record: false,
    }
}

#[test]
fn the_plan_is_cartesian_over_agents_domains_orders_and_repetitions() {
    let mut t = tournament();
    t.reps = 3;
    let plan = t.plan(Shard::ALL).unwrap();
    assert_eq!(plan.len(), 2 * 16 * 2 * 3);
    assert!(plan.iter().enumerate().all(|(i, m)| m.index == i as u64));
    let mut seen = std::collections::BTreeSet::new();
    for m in &plan {
        assert!(seen.insert((m.scenario, m.agents.clone(), m.first, m.rep)), "duplicate {m:?}");
    }
    let shard = t.plan(Shard { index: 1, count: 5 }).unwrap();
    assert!(shard.iter().all(|m| m.index % 5 == 1));
}

#[test]
fn results_rank_hardliners_against_conceders_and_record_everything() {
    let (results, _) = tournament().run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert!(results.complete);
    for n in &results.negotiations {
        assert!((n.welfare - n.utilities.iter().sum::<f64>()).abs() < 1e-12);
        assert_eq!(n.agreement.is_some(), n.status == truce_sim::Status::Agreement);
    }
    let ranking = Ranking::of(&results);
    assert_eq!(ranking.rows.len(), 4);
    let position = |a: &str| ranking.rows.iter().position(|r| r.agent == a).unwrap();
    assert!(position("conceder") > position("boulware"), "{}", ranking.to_text());
    for r in &ranking.rows {
        assert_eq!(r.negotiations, 2 * 2 * 8, "each agent sits in 8 of 16 pairings x 2 orders x 2 domains");
        assert!(r.utility.low <= r.utility.mean && r.utility.mean <= r.utility.high);
        assert!((0.0..=1.0).contains(&r.agreement_rate.low) && r.agreement_rate.high <= 1.0);
    }
    let mut csv = Vec::new();
    results.write_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 64, "one row per negotiation and seat");
    assert!(csv.starts_with("index,scenario,rep,first,seat,party,agent,status,utility"));
}

#[test]
fn distances_to_reference_points_are_computed_when_a_reference_is_given() {
    let t = tournament();
    let (mut results, _) = t.run(Shard::ALL, 1, None, &mut |_, _| {}).unwrap();
    assert!(results.negotiations.iter().all(|n| n.nash_distance.is_none()), "no reference, no column");
    // The split domain's frontier is u_a + u_b = 1, its Nash point (0.5, 0.5): brute force over 0..=20.
    let frontier: Vec<Vec<f64>> =
        (0..=20).map(|k| vec![f64::from(k) / 20.0, 1.0 - f64::from(k) / 20.0]).collect();
    let reference = Reference { nash: vec![0.5, 0.5], frontier };
    results.add_distances(&t.scenarios, &[Some(reference), None]);
    for n in &results.negotiations {
        if n.scenario == "split" {
            let d = n.pareto_distance.unwrap();
            if n.agreement.is_some() {
                assert!(d < 1e-9, "agreements on a 1-issue split are Pareto optimal: {d}");
            } else {
                assert!((d - (0.5f64).sqrt()).abs() < 1e-9, "the origin is sqrt(0.5) from the frontier");
            }
            assert!(n.nash_distance.unwrap() <= 2f64.sqrt() / 2.0 + 1e-9);
        } else {
            assert!(n.nash_distance.is_none());
        }
    }
}

#[test]
fn merge_refuses_other_versions_and_other_tournaments() {
    let t = tournament();
    let (a, _) = t.run(Shard { index: 0, count: 2 }, 1, None, &mut |_, _| {}).unwrap();
    let old = a
        .to_json()
        .replace(&format!("\"format_version\": {}", truce_sim::FORMAT_VERSION), "\"format_version\": 0");
    let e = ResultsFile::from_json(&old, "old/results.json").unwrap_err();
    assert!(e.to_string().contains("old/results.json: written by Truce"), "{e}");
    assert!(
        ResultsFile::from_json("{}", "x.json")
            .unwrap_err()
            .to_string()
            .contains("not a Truce tournament result file")
    );
    assert!(ResultsFile::from_json("nonsense", "x.json").unwrap_err().to_string().contains("not JSON"));
    let mut other = tournament();
    other.seed = 2;
    let (b, _) = other.run(Shard { index: 1, count: 2 }, 1, None, &mut |_, _| {}).unwrap();
    let e = truce_sim::merge(vec![("a".into(), a.clone()), ("b".into(), b)]).unwrap_err();
    assert!(matches!(e, SimError::Merge { .. }), "{e}");
    assert!(e.to_string().contains("different tournament"));
    let merged = truce_sim::merge(vec![("a".into(), a.clone()), ("a2".into(), a)]).unwrap();
    assert!(!merged.complete, "half a tournament merged with itself is still half");
}

#[test]
fn empty_or_impossible_tournaments_are_errors() {
    let mut t = tournament();
    t.agents.clear();
    assert!(t.plan(Shard::ALL).unwrap_err().to_string().contains("no agents"));
    let mut t = tournament();
    t.reps = 0;
    assert!(t.plan(Shard::ALL).is_err());
    let mut t = tournament();
    t.deadline = Deadline::rounds(0);
    assert!(t.plan(Shard::ALL).is_err());
    let mut t = tournament();
    t.scenarios = vec![Arc::new(random_scenario(1, &[2], 9, 0.0))];
    t.agents = agents(&["boulware"; 7]);
    let e = t.plan(Shard::ALL).unwrap_err();
    assert!(matches!(e, SimError::TooLarge { planned, .. } if planned == 7u128.pow(9) * 9), "{e}");
}
