//! The engine driven one move at a time: a seat whose preferences the engine does not hold, save and
//! resume from the transcript, bad actions refused.

use std::sync::Arc;

use proptest::prelude::*;
use truce_sim::{
    Action, ActionError, Actor, Agent, AgentFactory, Ask, Ballot, Deadline, Engine, Event, Mediator,
    Negotiation, PartyView, Protocol, ResumeError, Scenario, Setup, Status, Turn, seed,
};

use crate::fixtures::{Scripted, agent, random_scenario, split};

/// What the test's scripted person does: the same as the fixtures' [`Scripted`] agent (offers its
/// list in turn, repeating the last, rejects everything, votes truthfully by its own preferences,
/// which the engine does not hold).
struct Person {
    offers: Vec<Vec<u32>>,
    next: usize,
    own: PartyView,
}

impl Person {
    fn act(&mut self, ask: Ask<'_>) -> Action {
        match ask {
            Ask::Offer | Ask::Position => {
                let o = self.offers[self.next.min(self.offers.len() - 1)].clone();
                self.next += 1;
                if matches!(ask, Ask::Offer) { Action::Offer(o) } else { Action::Position(o) }
            }
            Ask::Answer { .. } => Action::Reject,
            Ask::Vote { candidate, incumbent } => {
                Action::Vote(truce_sim::truthful_vote(&self.own, candidate, incumbent))
            }
            Ask::Text { .. } | Ask::Decide { .. } => unreachable!("a person in a party's seat"),
        }
    }
}

fn build(
    factory: &dyn AgentFactory,
    scenario: &Arc<Scenario>,
    seat: usize,
    n: &Negotiation,
) -> Box<dyn Agent> {
    factory.build(view(scenario, seat, n), seed::stream(n.seed, seat as u64 + 1))
}

fn view(scenario: &Arc<Scenario>, seat: usize, n: &Negotiation) -> PartyView {
    PartyView::new(
        seat,
        scenario.party_count(),
        scenario.domain().clone(),
        Arc::new(own_preferences(scenario, seat)),
        scenario.pool(seat),
        n.deadline,
    )
}

fn own_preferences(scenario: &Scenario, seat: usize) -> truce_model::Preferences {
    // The fixtures' split scenario, rebuilt: the engine's preferences are private to the crate.
    let _ = scenario;
    use truce_model::{AdditiveUtility, IssueUtility, Preferences, Utility, ValueFunction};
    let (from, to) = if seat == 0 { (0.0, 1.0) } else { (1.0, 0.0) };
    Preferences::new(Utility::Additive(AdditiveUtility {
        issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, from, 10.0, to) }],
    }))
}

/// Drives `engine` to the end: seat 0 by `agent`, seat 1 by `person`, the mediator by the protocol's
/// built-in one.
fn drive(engine: &mut Engine, agent: &mut dyn Agent, person: &mut Person, events: &mut Vec<Event>) {
    let setup = engine.setup().clone();
    let mut mediator = <dyn Mediator>::for_protocol(setup.protocol, setup.seed);
    let space = setup.scenario.domain().space().clone();
    while let Some(request) = engine.request() {
        let turn = Turn { round: request.round, time: request.time };
        let action = match (request.actor, request.ask) {
            (Actor::Party(0), Ask::Offer) => Action::Offer(agent.propose(&turn)),
            (Actor::Party(0), Ask::Position) => Action::Position(agent.propose(&turn)),
            (Actor::Party(0), Ask::Answer { offer, from }) => {
                match agent.respond(&turn, truce_sim::Offer { outcome: offer, from }) {
                    truce_sim::Answer::Accept => Action::Accept,
                    truce_sim::Answer::Reject => Action::Reject,
                    truce_sim::Answer::End => Action::End,
                }
            }
            (Actor::Party(0), Ask::Vote { candidate, incumbent }) => {
                Action::Vote(agent.vote(&turn, candidate, incumbent))
            }
            (Actor::Party(_), ask) => person.act(ask),
            (Actor::Mediator, Ask::Text { text, positions }) => {
                Action::Text(mediator.as_mut().unwrap().text(&space, &turn, text, positions))
            }
            (Actor::Mediator, Ask::Decide { candidate, incumbent, votes, objections }) => {
                let ballot = Ballot { candidate, incumbent, votes, objections };
                Action::Decide(mediator.as_mut().unwrap().decide(&turn, &ballot))
            }
            (Actor::Mediator, ask) => panic!("the mediator asked {ask:?}"),
        };
        let actor = request.actor;
        engine.act(actor, action, events).unwrap();
    }
}

/// The split scenario with seat 1's preferences unknown to the engine.
fn split_with_a_person() -> Arc<Scenario> {
    let s = split(10);
    let parties = s
        .seats()
        .iter()
        .enumerate()
        .map(|(k, seat)| (seat.id.clone(), seat.name.clone(), (k == 0).then(|| own_preferences(&s, 0))))
        .collect();
    Arc::new(Scenario::with_unknown("split", s.domain().as_ref().clone(), parties).unwrap())
}

/// Seat `seat`'s utilities and reservation blanked, and `label` as its player: what the same
/// negotiation's transcript says when the engine does not hold that seat's preferences.
fn blank(events: &[Event], seat: usize, label: &str) -> Vec<Event> {
    events
        .iter()
        .cloned()
        .map(|mut e| {
            match &mut e {
                Event::Start(h) => {
                    h.parties[seat].reservation = None;
                    h.parties[seat].agent = label.into();
                }
                Event::Offer { utilities, .. }
                | Event::Position { utilities, .. }
                | Event::Text { utilities, .. } => {
                    utilities[seat] = None;
                }
                Event::Result(r) => r.utilities[seat] = None,
                _ => {}
            }
            e
        })
        .collect()
}

#[test]
fn a_person_whose_preferences_the_engine_does_not_hold_gives_the_same_transcript_as_a_scripted_agent() {
    let script = vec![vec![3], vec![4], vec![5]];
    for protocol in Protocol::ALL {
        let mut n = Negotiation::new(
            Arc::new(split(10)),
            vec![agent("boulware"), Arc::new(Scripted(script.clone()))],
        );
        n.protocol = protocol;
        n.deadline = Deadline::rounds(12);
        n.seed = 9;
        let by_agents = n.run(None).unwrap();

        let mut setup = n.setup();
        setup.scenario = split_with_a_person();
        setup.players[1] = "person".into();
        let mut events = Vec::new();
        let mut engine = Engine::new(setup, &mut events).unwrap();
        let full = Arc::new(split(10));
        let mut boulware = build(agent("boulware").as_ref(), &full, 0, &n);
        let mut person = Person { offers: script.clone(), next: 0, own: view(&full, 1, &n) };
        drive(&mut engine, boulware.as_mut(), &mut person, &mut events);
        assert_eq!(events, blank(&by_agents.events, 1, "person"), "{protocol}");
        assert!(matches!(&events[0], Event::Start(h) if h.parties[1].reservation.is_none()));
        assert_eq!(engine.result().unwrap().utilities[1], None);
    }
}

#[test]
fn a_seat_without_preferences_cannot_be_played_by_an_agent() {
    let n = Negotiation::new(split_with_a_person(), vec![agent("boulware"), agent("conceder")]);
    let e = n.run(None).unwrap_err();
    assert!(e.to_string().contains("no preferences the engine knows"), "{e}");
}

/// The actions an event records (as the engine's own replay reads them).
fn action_of(e: &Event) -> Option<(Actor, Action)> {
    Some(match e {
        Event::Offer { party, outcome, .. } => (Actor::Party(*party), Action::Offer(outcome.clone())),
        Event::Accept { party, .. } => (Actor::Party(*party), Action::Accept),
        Event::Reject { party, .. } => (Actor::Party(*party), Action::Reject),
        Event::End { party, .. } => (Actor::Party(*party), Action::End),
        Event::Position { party, outcome, .. } => (Actor::Party(*party), Action::Position(outcome.clone())),
        Event::Text { outcome, .. } => (Actor::Mediator, Action::Text(outcome.clone())),
        Event::Vote { party, accept, .. } => (Actor::Party(*party), Action::Vote(*accept)),
        Event::Decision { adopt, .. } => (Actor::Mediator, Action::Decide(*adopt)),
        Event::Start(_) | Event::Result(_) => return None,
    })
}

fn bytes(events: &[Event]) -> Vec<u8> {
    let mut out = Vec::new();
    truce_sim::write_jsonl(events, &mut out).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Save after any move, resume from the saved events, make the same moves: the same bytes.
    #[test]
    fn save_after_any_move_and_resume_gives_identical_bytes(
        seed in any::<u64>(),
        protocol in 0usize..3,
        picks in prop::collection::vec(0usize..10, 2),
        rounds in 1u32..30,
        cut in 0.0f64..1.0,
    ) {
        let scenario = Arc::new(random_scenario(seed, &[3, 4], 2, 0.3));
        prop_assume!(scenario.check_acceptable().is_ok());
        let names: Vec<_> = truce_sim::registry().iter().map(|a| a.name).collect();
        let mut n = Negotiation::new(scenario, picks.iter().map(|&p| agent(names[p % names.len()])).collect());
        n.protocol = Protocol::ALL[protocol];
        n.deadline = Deadline::rounds(rounds);
        n.seed = seed;
        let all = n.run(None).unwrap().events;
        // Move boundaries: after the header, and after each action with what it caused.
        let moves: Vec<usize> = (1..all.len()).filter(|&i| action_of(&all[i]).is_some()).collect();
        let mut cuts = vec![1];
        cuts.extend(moves.iter().skip(1).copied());
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let k = cuts[((cut * cuts.len() as f64) as usize).min(cuts.len() - 1)];
        let mut engine = Engine::resume(n.setup(), &all[..k]).unwrap();
        let mut events = all[..k].to_vec();
        for e in &all[k..] {
            if let Some((actor, action)) = action_of(e) {
                engine.act(actor, action, &mut events).unwrap();
            }
        }
        prop_assert_eq!(bytes(&events), bytes(&all));
        prop_assert!(engine.is_finished());
        // The whole transcript resumes to a finished engine with the same result.
        let done = Engine::resume(n.setup(), &all).unwrap();
        prop_assert_eq!(done.result(), engine.result());
        // Replaying hands over every recorded move, in order, with what was asked of its actor then
        // (what a server asks its agents again after a restart).
        let mut observed = Vec::new();
        let again = Engine::resume_observed(n.setup(), &all, |request, action| {
            observed.push((request.actor, action.clone()));
        })
        .unwrap();
        prop_assert_eq!(again.result(), engine.result());
        let recorded: Vec<(Actor, Action)> = all.iter().filter_map(action_of).collect();
        prop_assert_eq!(observed, recorded);
    }
}

fn sao_engine() -> (Engine, Vec<Event>) {
    let mut n = Negotiation::new(Arc::new(split(10)), vec![agent("boulware"), agent("boulware")]);
    n.deadline = Deadline::rounds(3);
    let mut events = Vec::new();
    let engine = Engine::new(n.setup(), &mut events).unwrap();
    (engine, events)
}

/// `action` by `actor` is refused with an error matching `check`, and changes nothing.
fn refused(engine: &mut Engine, actor: Actor, action: Action, check: impl Fn(&ActionError) -> bool) {
    let before = format!("{engine:?}");
    let mut sink = Vec::new();
    let e = engine.act(actor, action.clone(), &mut sink).unwrap_err();
    assert!(check(&e), "{actor:?} {action:?}: {e}");
    assert!(!e.to_string().is_empty());
    assert_eq!(format!("{engine:?}"), before, "the engine changed after {e}");
    assert!(sink.is_empty(), "events after a refused action: {sink:?}");
}

#[test]
fn every_bad_action_is_refused_and_leaves_the_engine_unchanged() {
    let (mut engine, _) = sao_engine();
    assert_eq!(engine.request().unwrap().actor, Actor::Party(0));
    refused(&mut engine, Actor::Party(1), Action::Offer(vec![5]), |e| {
        matches!(e, ActionError::OutOfTurn { .. })
    });
    refused(&mut engine, Actor::Party(5), Action::Offer(vec![5]), |e| {
        matches!(e, ActionError::NotASeat { .. })
    });
    refused(&mut engine, Actor::Mediator, Action::Text(vec![5]), |e| {
        matches!(e, ActionError::NotASeat { .. })
    });
    refused(&mut engine, Actor::Party(0), Action::Accept, |e| matches!(e, ActionError::WrongAction { .. }));
    refused(&mut engine, Actor::Party(0), Action::Offer(vec![11]), |e| {
        matches!(e, ActionError::NotAnOutcome { .. }) && e.to_string().contains("not an outcome")
    });
    refused(&mut engine, Actor::Party(0), Action::Offer(vec![1, 2]), |e| {
        matches!(e, ActionError::NotAnOutcome { .. })
    });
    let mut sink = Vec::new();
    engine.act(Actor::Party(0), Action::Offer(vec![10]), &mut sink).unwrap();
    // A text where an answer is due, from the party and from a mediator.
    refused(&mut engine, Actor::Party(1), Action::Text(vec![3]), |e| {
        matches!(e, ActionError::WrongAction { .. })
    });
    refused(&mut engine, Actor::Party(1), Action::Vote(true), |e| {
        matches!(e, ActionError::WrongAction { .. })
    });
    engine.act(Actor::Party(1), Action::End, &mut sink).unwrap();
    assert!(engine.is_finished());
    assert_eq!(engine.result().unwrap().status, Status::Ended);
    refused(&mut engine, Actor::Party(0), Action::Offer(vec![5]), |e| matches!(e, ActionError::Finished));

    // With reservation values: an offer a party may not agree to itself, an acceptance it may not make.
    let mut n = Negotiation::new(Arc::new(split_rv(0.3)), vec![agent("boulware"), agent("boulware")]);
    n.deadline = Deadline::rounds(3);
    let mut engine = Engine::new(n.setup(), &mut sink).unwrap();
    refused(&mut engine, Actor::Party(0), Action::Offer(vec![1]), |e| {
        matches!(e, ActionError::Unacceptable { .. })
    });
    engine.act(Actor::Party(0), Action::Offer(vec![8]), &mut sink).unwrap();
    refused(&mut engine, Actor::Party(1), Action::Accept, |e| matches!(e, ActionError::Irrational { .. }));

    // Shuttle: the mediator's text where a party's position is due, and a party's where the
    // mediator's text is.
    n.protocol = Protocol::Shuttle;
    let mut engine = Engine::new(n.setup(), &mut sink).unwrap();
    refused(&mut engine, Actor::Mediator, Action::Text(vec![5]), |e| {
        matches!(e, ActionError::OutOfTurn { .. })
    });
    engine.act(Actor::Party(0), Action::Position(vec![9]), &mut sink).unwrap();
    engine.act(Actor::Party(1), Action::Position(vec![2]), &mut sink).unwrap();
    assert!(matches!(engine.request().unwrap().ask, Ask::Text { .. }));
    refused(&mut engine, Actor::Party(0), Action::Position(vec![5]), |e| {
        matches!(e, ActionError::OutOfTurn { .. })
    });
    refused(&mut engine, Actor::Mediator, Action::Decide(true), |e| {
        matches!(e, ActionError::WrongAction { .. })
    });
    engine.act(Actor::Mediator, Action::Text(vec![5]), &mut sink).unwrap();
    refused(&mut engine, Actor::Mediator, Action::Text(vec![5]), |e| {
        matches!(e, ActionError::OutOfTurn { .. })
    });
}

/// The split scenario with both reservation values at `rv`.
fn split_rv(rv: f64) -> Scenario {
    let s = split(10);
    let parties = (0..2)
        .map(|k| {
            let mut p = own_preferences(&s, k);
            p.reservation = rv;
            (s.seats()[k].id.clone(), s.seats()[k].name.clone(), p)
        })
        .collect();
    Scenario::new("split-rv", s.domain().as_ref().clone(), parties).unwrap()
}

#[test]
fn a_foreign_or_broken_transcript_is_refused() {
    let mut n = Negotiation::new(Arc::new(split(10)), vec![agent("boulware"), agent("conceder")]);
    n.seed = 4;
    let events = n.run(None).unwrap().events;
    let resume = |setup: Setup, events: &[Event]| Engine::resume(setup, events).unwrap_err();
    assert_eq!(resume(n.setup(), &[]), ResumeError::NoHeader);
    assert_eq!(resume(n.setup(), &events[1..]), ResumeError::NoHeader);
    let mut other = n.setup();
    other.seed = 5;
    let e = resume(other, &events);
    assert!(matches!(&e, ResumeError::Foreign { field: "seed", .. }), "{e}");
    assert!(e.to_string().contains("belongs to another negotiation"), "{e}");
    let mut other = n.setup();
    other.protocol = Protocol::Shuttle;
    assert!(matches!(resume(other, &events), ResumeError::Foreign { field: "protocol", .. }));
    let mut other = n.setup();
    other.players[1] = "hardliner".into();
    assert!(matches!(resume(other, &events), ResumeError::Foreign { field: "players", .. }));
    // An edited event.
    let mut edited = events.clone();
    if let Event::Offer { utilities, .. } = &mut edited[1] {
        utilities[0] = Some(0.5);
    }
    let e = resume(n.setup(), &edited);
    assert!(matches!(e, ResumeError::Diverges { index: 2, .. }), "{e}");
    // An event out of turn, and events after the end.
    let mut edited = events.clone();
    edited.swap(1, 2);
    assert!(matches!(resume(n.setup(), &edited), ResumeError::Refused { index: 2, .. }));
    let mut edited = events.clone();
    edited.push(events[1].clone());
    assert!(matches!(resume(n.setup(), &edited), ResumeError::AfterEnd { .. }));
    // A transcript cut in the middle of a line does not read.
    let text = String::from_utf8(bytes(&events)).unwrap();
    let e = truce_sim::read_jsonl(&text[..text.len() - 10]).unwrap_err();
    assert!(e.to_string().contains("cut short"), "{e}");
}

#[test]
fn a_negotiation_that_would_run_for_ever_keeps_a_bounded_transcript_and_says_why_it_stopped() {
    let mut n = Negotiation::new(Arc::new(split(10)), vec![agent("hardliner"), agent("hardliner")]);
    n.deadline = Deadline::rounds(u32::MAX);
    n.max_events = 1000;
    let run = n.run(None).unwrap();
    assert_eq!(run.events.len(), 1001, "the cap, then the result");
    let f = run.result.failure.unwrap();
    assert_eq!(f.kind, truce_sim::FailureKind::TranscriptLimit);
    assert!(f.message.contains("limit of 1000 events") && f.message.contains("max_events"), "{}", f.message);
    // Without a transcript nothing is kept: the time limit ends it, checked on every move.
    let clock = truce_sim::ManualClock::new(std::time::Duration::from_millis(1));
    n.record = false;
    n.limits.per_negotiation = Some(std::time::Duration::from_secs(2));
    let run = n.run(Some(&clock)).unwrap();
    assert!(run.events.is_empty());
    assert_eq!(run.result.failure.unwrap().kind, truce_sim::FailureKind::TimeLimit);
    // Streamed, the transcript is the sink's to keep: a counter keeps none.
    let mut counter = truce_sim::Counter::default();
    let clock = truce_sim::ManualClock::new(std::time::Duration::from_millis(1));
    let result = n.run_to(Some(&clock), &mut counter).unwrap();
    assert_eq!(result.status, Status::Timeout);
    assert!(counter.events > 100, "{counter:?}");
}
