//! Protocol invariants, on small random domains.

use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use truce_model::Preferences;
use truce_sim::{
    Agent, AgentFactory, Answer, Deadline, Event, Negotiation, PartyView, Protocol, Scenario, Status,
};

use crate::fixtures::{agent, random_parts, random_scenario};

fn names() -> Vec<&'static str> {
    truce_sim::registry().iter().map(|a| a.name).collect()
}

fn event_round(e: &Event) -> Option<u32> {
    match e {
        Event::Offer { round, .. }
        | Event::Accept { round, .. }
        | Event::Reject { round, .. }
        | Event::End { round, .. }
        | Event::Position { round, .. }
        | Event::Text { round, .. }
        | Event::Vote { round, .. }
        | Event::Decision { round, .. } => Some(*round),
        Event::Start(_) | Event::Result(_) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_negotiation_ends_by_its_deadline_and_agreements_are_acceptable_to_all(
        seed in any::<u64>(),
        radices in prop::collection::vec(2u32..5, 1..4),
        parties in 2usize..4,
        picks in prop::collection::vec(0usize..10, 3),
        protocol in 0usize..3,
        rounds in 1u32..40,
    ) {
        let scenario = Arc::new(random_scenario(seed, &radices, parties, 0.4));
        prop_assume!(scenario.check_acceptable().is_ok());
        let names = names();
        let agents = (0..parties).map(|p| agent(names[picks[p] % names.len()])).collect();
        let mut n = Negotiation::new(scenario.clone(), agents);
        n.protocol = Protocol::ALL[protocol];
        n.deadline = Deadline::rounds(rounds);
        n.seed = seed;
        let run = n.run(None).unwrap();
        let r = &run.result;
        prop_assert!(r.rounds <= rounds, "{} rounds of {rounds}", r.rounds);
        prop_assert!((0.0..=1.0).contains(&r.time));
        for e in &run.events {
            if let Some(round) = event_round(e) {
                prop_assert!(round < rounds, "event in round {round} past the deadline {rounds}: {e:?}");
            }
        }
        prop_assert!(r.failure.is_none(), "built-in agents never fail: {:?}", r.failure);
        if let Some(outcome) = &r.agreement {
            prop_assert_eq!(r.status, Status::Agreement);
            // Everyone accepted it, so it must be acceptable to every party.
            prop_assert!(scenario.acceptable_to_all(outcome));
            for (u, rv) in r.utilities.iter().zip(scenario.reservations()) {
                prop_assert!(u.unwrap() >= rv - 1e-12);
            }
        }
    }
}

/// Records the preferences each agent is handed.
struct Spy(Arc<Mutex<Vec<(usize, Preferences, usize)>>>);

struct SpyAgent(PartyView);

impl AgentFactory for Spy {
    fn label(&self) -> String {
        "spy".into()
    }
    fn build(&self, view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        self.0.lock().unwrap().push((view.seat(), view.preferences().clone(), view.parties()));
        Box::new(SpyAgent(view))
    }
}

impl Agent for SpyAgent {
    fn view(&self) -> &PartyView {
        &self.0
    }
    fn propose(&mut self, _turn: &truce_sim::Turn) -> truce_sim::Outcome {
        self.0.pool().outcome(0).to_vec()
    }
    fn respond(&mut self, _turn: &truce_sim::Turn, _offer: truce_sim::Offer<'_>) -> Answer {
        Answer::Reject
    }
}

#[test]
fn each_agent_is_handed_its_own_preferences_and_no_one_elses() {
    let (_, parties) = random_parts(5, &[3, 3], 3, 0.0);
    assert_ne!(parties[0].2, parties[1].2);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let spy: Arc<dyn AgentFactory> = Arc::new(Spy(seen.clone()));
    for protocol in Protocol::ALL {
        seen.lock().unwrap().clear();
        let mut n = Negotiation::new(Arc::new(random_scenario(5, &[3, 3], 3, 0.0)), vec![spy.clone(); 3]);
        n.protocol = protocol;
        n.deadline = Deadline::rounds(3);
        n.run(None).unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        for (seat, prefs, count) in seen.iter() {
            assert_eq!(*count, 3);
            assert_eq!(prefs, &parties[*seat].2, "seat {seat} got someone else's preferences");
        }
    }
}

#[test]
fn single_text_anneals_then_climbs_and_polls_in_the_last_tenth() {
    let scenario = Arc::new(random_scenario(9, &[4, 4, 3], 2, 0.0));
    // Random agents vote truthfully (the default). The annealing mediator may adopt a candidate some
    // party votes against before half time; after it, only a (weak) Pareto improvement, or a
    // candidate every party that rejected the text at the last poll votes for. Polls come in the
    // last tenth of the rounds (54 to 59 of 60), and an agreement is the text polled.
    let mut n = Negotiation::new(scenario.clone(), vec![agent("random"), agent("random")]);
    n.protocol = Protocol::SingleText;
    n.deadline = Deadline::rounds(60);
    let (mut against_adopted, mut toward_objectors, mut polls_failed) = (0, 0, 0);
    for seed in 0..40 {
        n.seed = seed;
        let run = n.run(None).unwrap();
        let mut text: Option<Vec<u32>> = None;
        let mut candidate: Option<Vec<u32>> = None;
        let mut votes = Vec::new();
        let mut objections = [false, false];
        let mut answers = 0;
        for e in &run.events {
            match e {
                Event::Text { outcome, .. } => {
                    if text.is_none() {
                        text = Some(outcome.clone());
                    } else {
                        candidate = Some(outcome.clone());
                        votes.clear();
                    }
                }
                Event::Vote { accept, .. } => votes.push(*accept),
                Event::Decision { adopt, time, .. } => {
                    assert_eq!(votes.len(), 2);
                    let unanimous = votes.iter().all(|v| *v);
                    if unanimous {
                        assert!(adopt, "a candidate every party votes for is adopted");
                    }
                    if *adopt {
                        let (t, c) = (text.as_ref().unwrap(), candidate.as_ref().unwrap());
                        if *time >= 0.5 && !unanimous {
                            assert!(objections.iter().any(|o| *o), "adopted against a vote after cooling");
                            assert!(
                                votes.iter().zip(objections).all(|(v, o)| *v || !o),
                                "adopted after cooling against a party that objected"
                            );
                            toward_objectors += 1;
                        } else if *time >= 0.5 {
                            for (ut, uc) in scenario.utilities(t).iter().zip(scenario.utilities(c)) {
                                assert!(uc >= *ut);
                            }
                        }
                        against_adopted += usize::from(!unanimous);
                        text = candidate.clone();
                    }
                }
                Event::Accept { round, party, .. } | Event::Reject { round, party, .. } => {
                    assert!((54..60).contains(round), "a poll in round {round}");
                    objections[*party] = matches!(e, Event::Reject { .. });
                    answers += 1;
                    if answers % 2 == 0 && objections.iter().any(|o| *o) {
                        polls_failed += 1;
                    }
                }
                _ => {}
            }
        }
        if let Some(agreement) = &run.result.agreement {
            assert_eq!(Some(agreement), text.as_ref(), "the agreement is the text polled");
            assert!(objections.iter().all(|o| !o));
        }
    }
    assert!(against_adopted > 0, "the mediator anneals early on");
    assert!(polls_failed > 0 && toward_objectors > 0, "polls fail and the text moves toward objectors");
}

#[test]
fn shuttle_parties_only_ever_see_mediator_texts() {
    struct Watcher(Arc<Mutex<Vec<Option<usize>>>>);
    struct WatcherAgent(PartyView, Arc<Mutex<Vec<Option<usize>>>>);
    impl AgentFactory for Watcher {
        fn label(&self) -> String {
            "watcher".into()
        }
        fn build(&self, view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
            Box::new(WatcherAgent(view, self.0.clone()))
        }
    }
    impl Agent for WatcherAgent {
        fn view(&self) -> &PartyView {
            &self.0
        }
        fn propose(&mut self, _t: &truce_sim::Turn) -> truce_sim::Outcome {
            self.0.pool().outcome(0).to_vec()
        }
        fn respond(&mut self, _t: &truce_sim::Turn, offer: truce_sim::Offer<'_>) -> Answer {
            self.1.lock().unwrap().push(offer.from);
            Answer::Reject
        }
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let scenario = Arc::new(random_scenario(2, &[3, 3], 2, 0.0));
    let mut n = Negotiation::new(scenario, vec![Arc::new(Watcher(seen.clone())), agent("boulware")]);
    n.protocol = Protocol::Shuttle;
    n.deadline = Deadline::rounds(5);
    n.run(None).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(Option::is_none), "an offer from a party reached another party: {seen:?}");
}

#[test]
fn impossible_settings_are_clear_errors() {
    let scenario = Arc::new(random_scenario(1, &[2], 2, 0.0));
    let mut n = Negotiation::new(scenario.clone(), vec![agent("boulware")]);
    assert!(n.run(None).unwrap_err().to_string().contains("1 agent(s) given for 2"));
    n.agents.push(agent("micro"));
    n.deadline = Deadline::rounds(0);
    assert!(n.run(None).unwrap_err().to_string().contains("at least 1"));
    n.deadline = Deadline::time(std::time::Duration::from_secs(1));
    assert!(n.run(None).unwrap_err().to_string().contains("needs a clock"));
    n.protocol = Protocol::SingleText;
    let clock = truce_sim::ManualClock::new(std::time::Duration::ZERO);
    assert!(n.run(Some(&clock)).unwrap_err().to_string().contains("deadline in rounds"));
    let e = Scenario::new("lonely", scenario.domain().as_ref().clone(), vec![]).unwrap_err();
    assert!(e.to_string().contains("needs at least 2"), "{e}");
}

#[test]
fn a_party_with_no_acceptable_outcome_is_refused_and_an_empty_zone_runs_without_agreement() {
    let (domain, mut parties) = random_parts(4, &[3, 3], 2, 0.0);
    parties[0].2.reservation = 1.01;
    let s = Scenario::new("impossible", domain.clone(), parties.clone()).unwrap();
    let e = s.check_acceptable().unwrap_err();
    assert!(e.to_string().contains("below its reservation value"), "{e}");
    // Each party alone can be satisfied, but not both: opposed preferences, high reservation values.
    let s = crate::fixtures::split(10);
    assert!(s.check_acceptable().is_ok());
    assert_eq!(s.zone_of_agreement_exists(), Some(true));
    let (_, mut opposed) = random_parts(4, &[3, 3], 2, 0.0);
    opposed[1].2 = opposed[0].2.clone();
    if let truce_model::Utility::Additive(a) = &mut opposed[1].2.utility {
        for iu in &mut a.issues {
            if let truce_model::ValueFunction::Table { scores } = &mut iu.value {
                let max = scores.iter().copied().fold(0.0, f64::max);
                for s in scores.iter_mut() {
                    *s = max - *s;
                }
            }
        }
    }
    opposed[0].2.reservation = 0.9;
    opposed[1].2.reservation = 0.9;
    let s = Arc::new(Scenario::new("opposed", domain, opposed).unwrap());
    assert!(s.check_acceptable().is_ok(), "each party alone has outcomes it may offer");
    assert_eq!(s.zone_of_agreement_exists(), Some(false));
    // Such a negotiation runs, and ends without agreement.
    let mut n = Negotiation::new(s, vec![agent("conceder"), agent("random(p_accept=1)")]);
    n.deadline = Deadline::rounds(20);
    assert_eq!(n.run(None).unwrap().result.status, Status::NoAgreement);
}
