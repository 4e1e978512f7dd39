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
    };
    let (results, _) = t.run(Shard::ALL, 2, None, &mut |_, _| {}).unwrap();
    assert_eq!(results.negotiations.len(), 8);
}
