//! A tournament on a small phased ceasefire domain built in code: every built-in agent against every
//! other, under stacked alternating offers and under shuttle mediation, with the ranking printed.
//!
//! Run with `cargo run -p truce-sim --example ceasefire_tournament`.

#![allow(clippy::print_stdout)]

use std::sync::Arc;

use truce_model::{
    AdditiveUtility, Basis, Continuation, Domain, Issue, IssueDomain, IssueId, IssueUtility, OutcomeSpace,
    Phase, Preferences, Probability, Utility, ValueFunction,
};
use truce_sim::{
    AgentFactory, AgentSpec, Deadline, Protocol, Ranking, Scenario, Shard, Tournament, registry,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Phase 1: hostages released per week and aid trucks per day; phase 2: withdrawal.
    let space = OutcomeSpace::new(vec![
        Issue::new("releases_per_week", IssueDomain::integer(0, 30, 5)?),
        Issue::new("aid_trucks_per_day", IssueDomain::integer(100, 600, 100)?),
        Issue::new(
            "withdrawal",
            IssueDomain::discrete(vec!["none".into(), "populated_areas".into(), "full".into()], true)?,
        ),
    ])?;
    let phase = |name: &str, issues: Vec<u32>| Phase {
        name: name.into(),
        duration_days: Some(42),
        issues: issues.into_iter().map(IssueId).collect(),
        next_condition: None,
        description: None,
        basis: Basis::Unsourced,
    };
    let domain = Domain::new(space, vec![phase("phase_1", vec![0, 1]), phase("phase_2", vec![2])])?;
    let party = |weights: [f64; 3],
                 releases: (f64, f64),
                 aid: (f64, f64),
                 withdrawal: Vec<f64>,
                 belief: f64| {
        let mut p = Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![
                IssueUtility {
                    weight: weights[0],
                    value: ValueFunction::linear(0.0, releases.0, 30.0, releases.1),
                },
                IssueUtility { weight: weights[1], value: ValueFunction::linear(100.0, aid.0, 600.0, aid.1) },
                IssueUtility { weight: weights[2], value: ValueFunction::Table { scores: withdrawal } },
            ],
        }));
        p.reservation = 0.25;
        // Each side doubts that phase 2 will follow phase 1.
        p.continuation =
            vec![Continuation { probability: Probability::Fixed(belief), basis: Basis::Unsourced }];
        p
    };
    let scenario = Scenario::new(
        "ceasefire",
        domain,
        vec![
            (
                "a".into(),
                "Side A".into(),
                party([0.6, 0.2, 0.2], (0.0, 1.0), (1.0, 0.0), vec![1.0, 0.6, 0.0], 0.7),
            ),
            (
                "b".into(),
                "Side B".into(),
                party([0.2, 0.3, 0.5], (1.0, 0.0), (0.0, 1.0), vec![0.0, 0.5, 1.0], 0.6),
            ),
        ],
    )?;
    let agents: Vec<Arc<dyn AgentFactory>> = registry()
        .iter()
        .map(|a| AgentSpec::parse(a.name).map(|s| Arc::new(s) as Arc<dyn AgentFactory>))
        .collect::<Result<_, _>>()?;
    let scenario = Arc::new(scenario);
    for protocol in [Protocol::Sao, Protocol::Shuttle] {
        let tournament = Tournament {
            agents: agents.clone(),
            scenarios: vec![scenario.clone()],
            protocol,
            deadline: Deadline::rounds(60),
            limits: Default::default(),
            reps: 2,
            seed: 2024,
            record: false,
            max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
            seatings: truce_sim::Seatings::All,
            references: Vec::new(),
        };
        let (results, _) = tournament.run(Shard::ALL, 2, None, &mut |_, _| {})?;
        println!("{protocol}: {} negotiations", results.negotiations.len());
        print!("{}", Ranking::of(&results).to_text());
        println!();
    }
    Ok(())
}
