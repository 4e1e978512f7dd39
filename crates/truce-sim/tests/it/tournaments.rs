//! Tournaments on fixtures built in code.

use std::sync::Arc;

use truce_sim::{Deadline, Protocol, Ranking, Reference, ResultsFile, Seatings, Shard, SimError, Tournament};

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
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: Seatings::All,
        references: Vec::new(),
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

fn three_party() -> Tournament {
    let mut t = tournament();
    t.scenarios = vec![Arc::new(random_scenario(5, &[3, 3], 3, 0.1)), Arc::new(split(6))];
    t.seatings = Seatings::Rotate;
    t
}

#[test]
fn seatings_size_the_plan_and_rotate_is_all_on_two_parties() {
    let mut t = three_party();
    // 4 agents: rotate seats 16 tuples on the 3-party domain, all 16 pairs on the bilateral one.
    assert_eq!(t.size(), 16 * 3 + 16 * 2);
    let rotate = t.plan(Shard::ALL).unwrap();
    assert_eq!(rotate.len() as u128, t.size());
    let bilateral: Vec<_> = rotate.iter().filter(|m| m.scenario == 1).map(|m| (&m.agents, m.first)).collect();
    t.seatings = Seatings::All;
    assert_eq!(t.size(), 64 * 3 + 16 * 2);
    let all = t.plan(Shard::ALL).unwrap();
    let all_bilateral: Vec<_> =
        all.iter().filter(|m| m.scenario == 1).map(|m| (&m.agents, m.first)).collect();
    assert_eq!(bilateral, all_bilateral, "on two parties, rotate is all, in the same order");
    // Every rotate seating of the 3-party domain is one of all's, each agent in each seat 4 times.
    for seat in 0..3 {
        for agent in 0..4 {
            let n =
                rotate.iter().filter(|m| m.scenario == 0 && m.first == 0 && m.agents[seat] == agent).count();
            assert_eq!(n, 4, "agent {agent} in seat {seat}");
        }
    }
    t.seatings = Seatings::Sample(5);
    assert_eq!(t.size(), 5 * 3 + 5 * 2);
    let a = t.plan(Shard::ALL).unwrap();
    assert_eq!(a, t.plan(Shard::ALL).unwrap(), "seeded");
    t.seed += 1;
    assert_ne!(a, t.plan(Shard::ALL).unwrap(), "another seed, another sample");
}

#[test]
fn four_agents_on_a_nine_party_domain_plan_in_the_hundreds_by_default() {
    let mut t = tournament();
    t.scenarios = vec![Arc::new(random_scenario(1, &[2, 2], 9, 0.0))];
    t.seatings = Seatings::default();
    t.deadline = Deadline::rounds(5);
    assert_eq!(t.size(), 16 * 9);
    let (results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert_eq!(results.negotiations.len(), 144);
    t.seatings = Seatings::All;
    assert_eq!(t.size(), 4u128.pow(9) * 9, "all is still there");
}

/// Collects records as a file would, stopping (as a crash would) after `stop_after` records.
struct Cut {
    lines: String,
    stop_after: usize,
    written: usize,
}

impl truce_sim::Collector for Cut {
    fn record(&mut self, record: truce_sim::NegotiationRecord) -> std::io::Result<()> {
        if self.written == self.stop_after {
            return Err(std::io::Error::other("interrupted"));
        }
        self.lines.push_str(&record.to_line());
        self.written += 1;
        Ok(())
    }
}

#[test]
fn a_run_cut_short_resumes_to_the_same_bytes() {
    let t = three_party();
    let shard = Shard { index: 1, count: 2 };
    let (whole, _) = t.run(shard, 2, None, &mut |_, _| {}).unwrap();
    let expected = whole.to_jsonl();
    let mut cut = Cut { lines: t.results_header(shard).header_line(), stop_after: 7, written: 0 };
    let e = t.run_into(shard, 0, 2, None, &mut cut).unwrap_err();
    assert!(matches!(e, SimError::Write { .. }), "{e}");
    // Cut the file in the middle of a line, as a killed process leaves it.
    let mut text = cut.lines.clone();
    text.push_str(&whole.negotiations[7].to_line()[..20]);
    assert!(ResultsFile::from_jsonl(&text, "r").unwrap_err().to_string().contains("cut short"));
    let (partial, whole_prefix) = ResultsFile::read_prefix(&text, "r").unwrap();
    assert_eq!(partial.negotiations.len(), 7);
    assert_eq!(whole_prefix, cut.lines.len());
    text.truncate(whole_prefix);
    let mut rest = Cut { lines: text, stop_after: usize::MAX, written: 0 };
    t.run_into(shard, partial.negotiations.len() as u64, 1, None, &mut rest).unwrap();
    assert_eq!(rest.lines, expected, "resumed bytes equal an uninterrupted run's");
    let read = ResultsFile::from_jsonl(&rest.lines, "r").unwrap();
    assert_eq!(read.negotiations, whole.negotiations);
    // A record edited by hand does not read (an edit in Truce's own form is the manifest's to catch).
    let edited = expected.replacen("\"rep\":0", "\"rep\": 0", 1);
    assert!(ResultsFile::from_jsonl(&edited, "r").unwrap_err().to_string().contains("edited"));
    let swapped = expected.replacen("\"index\":1,", "\"index\":0,", 1);
    assert!(ResultsFile::from_jsonl(&swapped, "r").unwrap_err().to_string().contains("out of order"));
}

#[test]
fn merge_names_what_differs_between_tournaments() {
    let t = tournament();
    let (a, _) = t.run(Shard { index: 0, count: 2 }, 1, None, &mut |_, _| {}).unwrap();
    let other = |change: &dyn Fn(&mut Tournament)| {
        let mut t = tournament();
        change(&mut t);
        t.run(Shard { index: 1, count: 2 }, 1, None, &mut |_, _| {}).unwrap().0
    };
    type Change<'a> = &'a dyn Fn(&mut Tournament);
    let cases: [(Change, &str); 5] = [
        (&|t| t.seed = 9, "the seed (1 here, 9 there)"),
        (&|t| t.agents[0] = agents(&["boulware(e=0.05)"])[0].clone(), "the agents"),
        (&|t| t.deadline = Deadline::rounds(31), "the rounds"),
        (&|t| t.scenarios[0] = Arc::new(split(20).with_pool_seed(3)), "the pool seed of domain `split`"),
        (&|t| t.scenarios[0] = Arc::new(split(21)), "the content (SHA-256) of domain `split`"),
    ];
    for (change, says) in cases {
        let e = truce_sim::merge(vec![("a".into(), a.clone()), ("b".into(), other(change))]).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
    let e = ResultsFile::from_jsonl(&a.to_jsonl(), "x").map(|f| f.tournament.agents[0].parameters.clone());
    assert_eq!(e.unwrap().get("e"), Some(&0.2), "defaults are recorded too");
}

#[test]
fn the_ranking_has_rows_per_domain_and_mean_distances() {
    let mut t = tournament();
    let frontier: Vec<Vec<f64>> =
        (0..=20).map(|k| vec![f64::from(k) / 20.0, 1.0 - f64::from(k) / 20.0]).collect();
    t.references = vec![Some(Reference { nash: vec![0.5, 0.5], frontier }), None];
    let (results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    let ranking = Ranking::of(&results);
    assert_eq!(ranking.domains.len(), 2);
    for row in &ranking.rows {
        let split = ranking.domains[0].rows.iter().find(|r| r.agent == row.agent).unwrap();
        let other = ranking.domains[1].rows.iter().find(|r| r.agent == row.agent).unwrap();
        assert_eq!(split.negotiations + other.negotiations, row.negotiations);
        assert!(other.nash_distance.is_none(), "no reference, no distance");
        // Only the split domain is measured: the mean over every domain is its mean.
        let mine: Vec<f64> = results
            .negotiations
            .iter()
            .filter(|n| n.scenario == "split")
            .flat_map(|n| n.agents.iter().filter(|a| **a == row.agent).map(|_| n.nash_distance.unwrap()))
            .collect();
        let mean = mine.iter().sum::<f64>() / mine.len() as f64;
        assert!((row.nash_distance.unwrap().mean - mean).abs() < 1e-12);
        assert_eq!(split.nash_distance.unwrap().mean, row.nash_distance.unwrap().mean);
    }
    let mut csv = Vec::new();
    ranking.write_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4 * 3, "all, then each domain");
    assert!(csv.lines().nth(1).unwrap().starts_with("(all),1,"));
    assert!(ranking.to_text().contains("\nsplit:\n"));
}

#[test]
fn the_estimate_counts_what_a_run_holds() {
    let t = tournament();
    let whole = t.estimate(Shard::ALL, 2).unwrap();
    assert_eq!(whole.negotiations as u128, t.size());
    let half = t.estimate(Shard { index: 0, count: 2 }, 2).unwrap();
    assert_eq!(half.negotiations, whole.negotiations / 2);
    assert!(half.bytes < whole.bytes && whole.bytes > 100 * whole.negotiations);
    let mut recording = tournament();
    recording.record = true;
    assert!(recording.estimate(Shard::ALL, 8).unwrap().bytes > whole.bytes + 8 * 10_000);
}
