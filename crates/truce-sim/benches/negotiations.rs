//! Micro-benchmarks of the simulator: one negotiation, and a small tournament, on domains built in
//! code. Run with `cargo bench -p truce-sim`; the side-by-side comparison with NegMAS is
//! `bench/sim.py`.

use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_model::{
    AdditiveUtility, Domain, Issue, IssueDomain, IssueUtility, OutcomeSpace, Preferences, Utility,
    ValueFunction,
};
use truce_sim::{AgentFactory, AgentSpec, Deadline, Negotiation, Protocol, Scenario, Shard, Tournament};

fn main() {
    divan::main();
}

/// Two parties with random additive preferences over `radices` (4 issues of 3-5 values: 180 outcomes,
/// the size of ANAC 2010's ItexvsCypress).
fn scenario(radices: &[u32]) -> Arc<Scenario> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let space = OutcomeSpace::new(
        radices
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let options = (0..r).map(|v| format!("v{v}")).collect();
                Issue::new(format!("i{i}"), IssueDomain::discrete(options, false).expect("options"))
            })
            .collect(),
    )
    .expect("space");
    let parties = (0..2)
        .map(|p| {
            let prefs = Preferences::new(Utility::Additive(AdditiveUtility {
                issues: radices
                    .iter()
                    .map(|&r| IssueUtility {
                        weight: 1.0 / radices.len() as f64,
                        value: ValueFunction::Table {
                            scores: (0..r).map(|_| rng.random_range(0.0..1.0)).collect(),
                        },
                    })
                    .collect(),
            }));
            (format!("p{p}"), format!("P{p}"), prefs)
        })
        .collect();
    let s = Scenario::new("bench", Domain::unphased(space), parties).expect("scenario");
    let _ = (s.pool(0), s.pool(1));
    Arc::new(s)
}

fn agents(names: &[&str]) -> Vec<Arc<dyn AgentFactory>> {
    names.iter().map(|n| Arc::new(AgentSpec::parse(n).expect("agent")) as Arc<dyn AgentFactory>).collect()
}

#[divan::bench(args = ["boulware,conceder", "micro,micro", "hardheaded,nice_tit_for_tat"])]
fn one_negotiation_100_rounds(bencher: divan::Bencher, pair: &str) {
    let s = scenario(&[3, 4, 3, 5]);
    let names: Vec<&str> = pair.split(',').collect();
    let mut n = Negotiation::new(s, agents(&names));
    n.deadline = Deadline::rounds(100);
    n.record = false;
    bencher.bench_local(|| n.run(None).expect("valid"));
}

#[divan::bench]
fn tournament_4_agents_2_threads(bencher: divan::Bencher) {
    let t = Tournament {
        agents: agents(&["boulware", "conceder", "linear", "micro"]),
        scenarios: vec![scenario(&[3, 4, 3, 5])],
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(100),
        limits: Default::default(),
        reps: 4,
        seed: 0,
        record: false,
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: truce_sim::Seatings::All,
        references: Vec::new(),
    };
    bencher.bench_local(|| t.run(Shard::ALL, 2, None, &mut |_, _| {}).expect("valid"));
}

#[divan::bench(args = ["single_text", "shuttle"])]
fn one_mediated_negotiation_1000_rounds(bencher: divan::Bencher, protocol: &str) {
    let s = scenario(&[3, 4, 3, 5]);
    let mut n = Negotiation::new(s, agents(&["boulware", "conceder"]));
    n.protocol = Protocol::parse(protocol).expect("protocol");
    n.deadline = Deadline::rounds(1000);
    n.record = false;
    bencher.bench_local(|| n.run(None).expect("valid"));
}
