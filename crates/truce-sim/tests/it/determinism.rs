//! The same seed gives byte-identical transcripts and results, whatever the number of threads.

use std::sync::Arc;

use truce_sim::{Deadline, Negotiation, Protocol, Shard, Tournament, run_all, write_jsonl};

use crate::fixtures::{agents, random_scenario};

fn bytes(run: &truce_sim::Run) -> Vec<u8> {
    let mut out = Vec::new();
    write_jsonl(&run.events, &mut out).unwrap();
    out
}

fn jobs() -> Vec<Negotiation> {
    let scenario = Arc::new(random_scenario(21, &[4, 3, 5], 2, 0.2));
    let mut jobs = Vec::new();
    for (k, protocol) in Protocol::ALL.into_iter().enumerate() {
        for pair in [
            ["random", "aspiration(stochastic=1)"],
            ["micro", "random(p_accept=0.05)"],
            ["nice_tit_for_tat", "hardheaded"],
        ] {
            let mut n = Negotiation::new(scenario.clone(), agents(&pair));
            n.protocol = protocol;
            n.deadline = Deadline::rounds(40);
            n.seed = 1000 + k as u64;
            jobs.push(n);
        }
    }
    jobs
}

#[test]
fn same_seed_same_bytes_different_seed_different_random_play() {
    for job in jobs() {
        let a = bytes(&job.run(None).unwrap());
        let b = bytes(&job.run(None).unwrap());
        assert_eq!(a, b, "{job:?}");
    }
    let mut job = jobs().remove(0);
    let a = bytes(&job.run(None).unwrap());
    job.seed += 1;
    assert_ne!(a, bytes(&job.run(None).unwrap()), "the seed drives the random agents");
}

#[test]
fn one_thread_or_two_give_identical_bytes() {
    let one: Vec<_> = run_all(jobs(), 1, None, &mut |_, _| {}).unwrap().iter().map(bytes).collect();
    let two: Vec<_> = run_all(jobs(), 2, None, &mut |_, _| {}).unwrap().iter().map(bytes).collect();
    assert_eq!(one, two);
    let direct: Vec<_> = jobs().iter().map(|j| bytes(&j.run(None).unwrap())).collect();
    assert_eq!(one, direct, "running in the pool changes nothing");
}

#[test]
fn shards_merge_into_the_unsharded_tournament_byte_for_byte() {
    let t = Tournament {
        agents: agents(&["boulware", "random", "micro"]),
        scenarios: vec![
            Arc::new(random_scenario(1, &[3, 3], 2, 0.1)),
            Arc::new(random_scenario(2, &[2, 4], 3, 0.1)),
        ],
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(20),
        limits: Default::default(),
        reps: 2,
        seed: 99,
        record: false,
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: truce_sim::Seatings::All,
        references: Vec::new(),
    };
    let (whole, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert!(whole.complete);
    assert_eq!(whole.negotiations.len() as u128, t.size());
    assert_eq!(t.size(), 2 * (9 * 2 + 27 * 3));
    let mut parts = Vec::new();
    for i in 0..3 {
        let (part, _) = t.run(Shard { index: i, count: 3 }, 1, None, &mut |_, _| {}).unwrap();
        assert!(!part.complete);
        parts.push((format!("shard{i}"), truce_sim::ResultsFile::from_json(&part.to_json(), "x").unwrap()));
    }
    parts.reverse();
    let merged = truce_sim::merge(parts).unwrap();
    assert_eq!(merged.to_jsonl(), whole.to_jsonl(), "the results files, byte for byte");
    let reread = truce_sim::ResultsFile::from_jsonl(&whole.to_jsonl(), "whole").unwrap();
    assert_eq!(reread.to_jsonl(), whole.to_jsonl(), "a results file reads back to the same bytes");
    if merged.to_json() != whole.to_json() {
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("truce-merged.json"), merged.to_json()).unwrap();
        std::fs::write(dir.join("truce-whole.json"), whole.to_json()).unwrap();
        panic!(
            "merged shards differ from the whole tournament: see truce-merged.json and truce-whole.json in {}",
            dir.display()
        );
    }
}
