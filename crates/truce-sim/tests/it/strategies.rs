//! Each strategy's offers follow its paper's formula.

use std::sync::Arc;

use truce_sim::{Event, Negotiation, Protocol, Run};

use crate::fixtures::{Scripted, agent, agents, random_scenario, split};

fn offers_by(run: &Run, seat: usize) -> Vec<(f64, Vec<u32>, Vec<f64>)> {
    run.events
        .iter()
        .filter_map(|e| match e {
            Event::Offer { party, time, outcome, utilities, .. } if *party == seat => {
                Some((*time, outcome.clone(), utilities.iter().map(|u| u.unwrap()).collect()))
            }
            _ => None,
        })
        .collect()
}

/// Faratin et al. (1998), written out independently of the crate.
fn faratin(pmin: f64, pmax: f64, e: f64, t: f64) -> f64 {
    if e == 0.0 { pmax } else { pmin + (pmax - pmin) * (1.0 - t.powf(1.0 / e)) }
}

#[test]
fn time_dependent_offers_are_the_closest_outcome_above_the_faratin_target() {
    // 0..=1000 gives utilities on a 0.001 grid.
    let scenario = Arc::new(split(1000));
    for (name, e) in [("boulware", 0.2), ("linear", 1.0), ("conceder", 2.0), ("hardliner", 0.0)] {
        let mut n = Negotiation::new(scenario.clone(), vec![agent(name), agent("hardliner")]);
        n.deadline = truce_sim::Deadline::rounds(50);
        let run = n.run(None).unwrap();
        let offers = offers_by(&run, 0);
        assert_eq!(offers.len(), 50, "{name} offers every round against a hardliner");
        for (t, outcome, utilities) in offers {
            let target = faratin(0.0, 1.0, e, t);
            assert!(
                utilities[0] >= target - 1e-12,
                "{name} offered {} below target {target} at t={t}",
                utilities[0]
            );
            // The closest from above: one step lower would fall below the target.
            // (Up to rounding: the crate and this test compute the target in different orders.)
            assert!(outcome[0] == 0 || f64::from(outcome[0] - 1) / 1000.0 < target + 1e-9, "{name} at t={t}");
        }
    }
}

#[test]
fn boulware_target_at_half_time_equals_the_formula() {
    let scenario = Arc::new(random_scenario(3, &[4, 5, 3], 2, 0.3));
    let mut n = Negotiation::new(scenario.clone(), vec![agent("boulware"), agent("hardliner")]);
    n.deadline = truce_sim::Deadline::rounds(10);
    let run = n.run(None).unwrap();
    let pool = scenario.pool(0);
    let reservation = scenario.reservations()[0];
    let pmin = pool.worst_utility().unwrap().max(reservation);
    let pmax = pool.best_utility().unwrap();
    let (t, outcome, utilities) =
        offers_by(&run, 0).into_iter().find(|(t, ..)| (*t - 0.5).abs() < 1e-12).unwrap();
    let target = faratin(pmin, pmax, 0.2, t);
    assert!((target - (pmin + (pmax - pmin) * (1.0 - 0.5f64.powi(5)))).abs() < 1e-12);
    assert!(utilities[0] >= target);
    // No outcome of the space lies in [target, u(offer)): brute force over the whole space.
    let space = scenario.domain().space();
    let mut cursor = space.outcomes();
    while let Some(o) = cursor.next() {
        let u = scenario.utilities(o)[0];
        assert!(
            !(u >= target && u < utilities[0] - 1e-12),
            "{o:?} ({u}) is closer to {target} than {outcome:?}"
        );
    }
}

#[test]
fn micro_concedes_only_when_it_has_sent_no_more_distinct_offers_than_received() {
    let scenario = Arc::new(split(100));
    // The opponent repeats one offer for 5 rounds, then makes a new one every round.
    let mut script: Vec<Vec<u32>> = vec![vec![0]; 5];
    script.extend((1..=40).map(|k| vec![k]));
    let mut n = Negotiation::new(scenario, vec![agent("micro"), Arc::new(Scripted(script))]);
    n.deadline = truce_sim::Deadline::rounds(30);
    let run = n.run(None).unwrap();
    let mine = offers_by(&run, 0);
    let theirs = offers_by(&run, 1);
    let mut sent = std::collections::BTreeSet::new();
    let mut received = std::collections::BTreeSet::new();
    let mut previous_low = f64::INFINITY;
    for (round, (_, outcome, utilities)) in mine.iter().enumerate() {
        let new = !sent.contains(&outcome[0]);
        if new {
            // A concession needs sent <= received, counted before this offer.
            assert!(
                sent.len() <= received.len() || sent.is_empty(),
                "round {round}: conceded with {} sent, {} received",
                sent.len(),
                received.len()
            );
            assert!(utilities[0] <= previous_low, "concessions go down in its own utility");
            previous_low = utilities[0];
            sent.insert(outcome[0]);
        } else {
            assert!(sent.len() > received.len(), "round {round}: repeated although allowed to concede");
        }
        if let Some((_, o, _)) = theirs.get(round) {
            received.insert(o[0]);
        }
    }
    // Its distinct offers are its best outcomes in order: 100, 99, ..., with no gaps.
    let expected: std::collections::BTreeSet<u32> = (101 - sent.len() as u32..=100).collect();
    assert_eq!(sent, expected);
    assert!(sent.len() > 5, "it went on conceding once the opponent did");
}

#[test]
fn micro_accepts_exactly_what_is_at_least_its_next_proposal() {
    let scenario = Arc::new(split(10));
    // MiCRO against itself walks down 10, 9, ... / 0, 1, ... and meets in the middle.
    let mut n = Negotiation::new(scenario, agents(&["micro", "micro"]));
    n.deadline = truce_sim::Deadline::rounds(20);
    let run = n.run(None).unwrap();
    assert!(run.result.agreed());
    let agreement = run.result.agreement.clone().unwrap();
    assert!((4..=6).contains(&agreement[0]), "{agreement:?}");
}

#[test]
fn naive_tit_for_tat_mirrors_each_concession_in_its_own_utility() {
    let scenario = Arc::new(split(1000));
    // Seat 0 (scripted) concedes 0.05, 0.02, 0.1 of seat 1's utility in turn, then retracts 0.04.
    let script = vec![vec![1000], vec![950], vec![930], vec![830], vec![870], vec![870]];
    let mut n = Negotiation::new(scenario, vec![Arc::new(Scripted(script)), agent("naive_tit_for_tat")]);
    n.deadline = truce_sim::Deadline::rounds(6);
    let run = n.run(None).unwrap();
    let mine: Vec<f64> = offers_by(&run, 1).iter().map(|(_, _, u)| u[1]).collect();
    // Tit-for-tat's own utility: starts at 1, then 1 - 0.05, - 0.02, - 0.1, + 0.04.
    let expected = [1.0, 0.95, 0.93, 0.83, 0.87, 0.87];
    assert_eq!(mine.len(), expected.len());
    for (got, want) in mine.iter().zip(expected) {
        assert!((got - want).abs() < 1.5e-3, "{mine:?}"); // within one grid step
    }
}

#[test]
fn hardliner_never_moves_and_conceder_gives_way_to_it() {
    let scenario = Arc::new(split(20));
    let mut n = Negotiation::new(scenario, agents(&["hardliner", "conceder"]));
    n.deadline = truce_sim::Deadline::rounds(40);
    let run = n.run(None).unwrap();
    assert!(offers_by(&run, 0).iter().all(|(_, o, _)| o == &vec![20]));
    let conceder: Vec<f64> = offers_by(&run, 1).iter().map(|(_, _, u)| u[1]).collect();
    assert!(conceder.windows(2).all(|w| w[1] <= w[0]), "concessions only: {conceder:?}");
    // Its floor is 0 and it reaches it only at t = 1, so the hardliner's offer (worth 0 to it) is never
    // good enough before the deadline: no agreement, exactly as the formula says.
    assert_eq!(run.result.status, truce_sim::Status::NoAgreement);
    assert!(*conceder.last().unwrap() < 0.1);
}

#[test]
fn every_registered_agent_runs_every_protocol_on_a_three_party_domain() {
    let scenario = Arc::new(random_scenario(11, &[3, 4, 2], 3, 0.2));
    for info in truce_sim::registry() {
        for protocol in Protocol::ALL {
            let mut n = Negotiation::new(scenario.clone(), agents(&[info.name, "conceder", "linear"]));
            n.protocol = protocol;
            n.deadline = truce_sim::Deadline::rounds(30);
            let run = n.run(None).unwrap();
            assert!(run.result.failure.is_none(), "{} under {protocol}: {:?}", info.name, run.result.failure);
        }
    }
}

#[test]
fn aspiration_offers_the_worst_outcome_above_negmas_polynomial_curve() {
    let scenario = Arc::new(split(1000));
    let mut n = Negotiation::new(scenario, vec![agent("aspiration(e=2)"), agent("hardliner")]);
    n.deadline = truce_sim::Deadline::rounds(20);
    let run = n.run(None).unwrap();
    for (t, outcome, utilities) in offers_by(&run, 0) {
        let target = 1.0 - t.powf(2.0); // Pmin 0, Pmax 1, max aspiration 1
        assert!(
            utilities[0] >= target - 1e-12
                && f64::from(outcome[0].saturating_sub(1)) / 1000.0 < target + 1e-9
        );
    }
}

#[test]
fn hardheaded_offers_stay_within_its_window_above_the_boulware_target() {
    let scenario = Arc::new(random_scenario(17, &[5, 4, 6, 3], 2, 0.0));
    let mut n =
        Negotiation::new(scenario.clone(), vec![agent("hardheaded(e=0.5,window=0.1)"), agent("linear")]);
    n.deadline = truce_sim::Deadline::rounds(30);
    let run = n.run(None).unwrap();
    let pool = scenario.pool(0);
    let (pmin, pmax) = (pool.worst_utility().unwrap(), pool.best_utility().unwrap());
    let offers = offers_by(&run, 0);
    assert!(!offers.is_empty());
    for (t, _, utilities) in offers {
        let target = faratin(pmin, pmax, 0.5, t);
        // Within the window, or the closest outcome above the target when the window holds none.
        let closest = pool.utility(pool.at_least(target) - 1);
        assert!(utilities[0] >= target - 1e-12, "below target at t={t}");
        assert!(utilities[0] <= (target + 0.1).max(closest) + 1e-12, "above the window at t={t}");
    }
}

#[test]
fn time_deadlines_are_deterministic_with_a_manual_clock() {
    let scenario = Arc::new(split(100));
    let run = || {
        let mut n = Negotiation::new(scenario.clone(), agents(&["boulware", "boulware"]));
        n.deadline = truce_sim::Deadline { rounds: None, time: Some(std::time::Duration::from_secs(1)) };
        // Every reading of the clock moves it 7 ms: time passes as the agents are called.
        let clock = truce_sim::ManualClock::new(std::time::Duration::from_millis(7));
        n.run(Some(&clock)).unwrap()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(a.result.time <= 1.0);
    let times: Vec<f64> = offers_by(&a, 0).iter().map(|(t, ..)| *t).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "time advances between turns");
    assert!(a.result.agreed() || a.result.status == truce_sim::Status::NoAgreement);
}

#[test]
fn under_shuttle_mediation_every_conceding_agent_reaches_agreement_with_a_linear_one() {
    // The mediator's texts are what the agents see: tit-for-tat mirrors them, MiCRO counts them.
    let scenario = Arc::new(split(20));
    for info in truce_sim::registry().iter().filter(|a| a.name != "hardliner") {
        let mut n = Negotiation::new(scenario.clone(), vec![agent(info.name), agent("linear")]);
        n.protocol = Protocol::Shuttle;
        n.deadline = truce_sim::Deadline::rounds(60);
        let run = n.run(None).unwrap();
        assert!(
            run.result.agreed(),
            "{} never agreed under shuttle mediation: {:?}",
            info.name,
            run.result.status
        );
    }
}
