//! Broken agents are stopped and recorded; the tournament still finishes within its limits.

use std::sync::Arc;
use std::time::{Duration, Instant};

use truce_sim::{Clock, ManualClock};

use rand_chacha::ChaCha8Rng;
use truce_sim::{
    Agent, AgentFactory, Answer, Deadline, FailureKind, Negotiation, Offer, Outcome, PartyView, Protocol,
    Shard, Status, TimeLimits, Tournament, Turn,
};

use crate::fixtures::{agent, split};

#[derive(Clone)]
enum Fault {
    Panic,
    /// A call that never returns: only the watchdog can give up on it (a real thread, really blocked).
    /// It first moves the manual clock past its limit, so the watchdog's next look finds it overdue.
    SleepForever(Arc<ManualClock>),
    /// Every call takes 150 ms of the manual clock.
    Slow(Arc<ManualClock>),
    OffSpace,
    AcceptsAnything,
}

struct Broken(Fault);
struct BrokenAgent(PartyView, Fault);

impl AgentFactory for Broken {
    fn label(&self) -> String {
        match self.0 {
            Fault::Panic => "panicker",
            Fault::SleepForever(_) => "sleeper",
            Fault::Slow(_) => "slowpoke",
            Fault::OffSpace => "off_space",
            Fault::AcceptsAnything => "yes_man",
        }
        .into()
    }
    fn build(&self, view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(BrokenAgent(view, self.0.clone()))
    }
}

impl Agent for BrokenAgent {
    fn view(&self) -> &PartyView {
        &self.0
    }
    fn propose(&mut self, turn: &Turn) -> Outcome {
        match &self.1 {
            Fault::Panic if turn.round == 2 => panic!("deliberate failure in round {}", turn.round),
            Fault::SleepForever(clock) => {
                clock.advance(Duration::from_secs(10));
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            Fault::Slow(clock) => clock.advance(Duration::from_millis(150)),
            Fault::OffSpace => return vec![999],
            _ => {}
        }
        self.0.pool().outcome(0).to_vec()
    }
    fn respond(&mut self, turn: &Turn, _offer: Offer<'_>) -> Answer {
        let _ = self.propose(turn);
        if matches!(self.1, Fault::AcceptsAnything) { Answer::Accept } else { Answer::Reject }
    }
}

fn negotiation(fault: Fault) -> Negotiation {
    let mut n = Negotiation::new(Arc::new(split(10)), vec![Arc::new(Broken(fault)), agent("boulware")]);
    n.deadline = Deadline::rounds(10);
    n
}

#[test]
fn a_panicking_agent_is_recorded_with_its_name_and_message() {
    let run = negotiation(Fault::Panic).run(None).unwrap();
    assert_eq!(run.result.status, Status::Failed);
    let f = run.result.failure.unwrap();
    assert_eq!((f.kind, f.party, f.agent.as_deref()), (FailureKind::Panic, Some(0), Some("panicker")));
    assert!(f.message.contains("deliberate failure in round 2"), "{}", f.message);
}

#[test]
fn rule_breakers_are_stopped() {
    let f = negotiation(Fault::OffSpace).run(None).unwrap().result.failure.unwrap();
    assert_eq!(f.kind, FailureKind::InvalidOffer);
    assert!(f.message.contains("not an outcome"), "{}", f.message);
    // The yes-man accepts Boulware's opening offer, worth 0 to it: acceptable without a reservation value...
    let run = negotiation(Fault::AcceptsAnything).run(None).unwrap();
    assert_eq!(run.result.status, Status::Agreement);
    // ...but with a reservation value the same acceptance is irrational.
    let mut n = negotiation(Fault::AcceptsAnything);
    let s = split(10);
    let (domain, mut parties) = (s.domain().as_ref().clone(), Vec::new());
    for (k, seat) in s.seats().iter().enumerate() {
        let mut prefs = truce_model::Preferences::new(split_utility(k));
        prefs.reservation = 0.3;
        parties.push((seat.id.clone(), seat.name.clone(), prefs));
    }
    n.scenario = Arc::new(truce_sim::Scenario::new("split-rv", domain, parties).unwrap());
    n.first = 1;
    let f = n.run(None).unwrap().result.failure.unwrap();
    assert_eq!((f.kind, f.party), (FailureKind::Irrational, Some(0)));
}

fn split_utility(seat: usize) -> truce_model::Utility {
    use truce_model::{AdditiveUtility, IssueUtility, Utility, ValueFunction};
    let (from, to) = if seat == 0 { (0.0, 1.0) } else { (1.0, 0.0) };
    Utility::Additive(AdditiveUtility {
        issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, from, 10.0, to) }],
    })
}

#[test]
fn a_slow_call_is_stopped_at_the_call_limit() {
    let clock = Arc::new(ManualClock::new(Duration::ZERO));
    let mut n = negotiation(Fault::Slow(clock.clone()));
    n.limits = TimeLimits { per_call: Some(Duration::from_millis(50)), per_negotiation: None };
    let r = n.run(Some(clock.as_ref())).unwrap().result;
    assert_eq!(r.status, Status::Timeout);
    let f = r.failure.unwrap();
    assert_eq!((f.kind, f.party), (FailureKind::CallLimit, Some(0)));
    assert!(f.message.contains("150ms"), "{}", f.message);
    // Under a limit of 200 ms the same agent runs until the negotiation's own limit: checked before
    // every move, it stops the negotiation at the first move past it (1 s: the seventh call).
    let clock = Arc::new(ManualClock::new(Duration::ZERO));
    let mut n = negotiation(Fault::Slow(clock.clone()));
    n.limits = TimeLimits {
        per_call: Some(Duration::from_millis(200)),
        per_negotiation: Some(Duration::from_secs(1)),
    };
    let r = n.run(Some(clock.as_ref())).unwrap().result;
    assert_eq!(r.failure.unwrap().kind, FailureKind::TimeLimit);
    assert_eq!(clock.now(), Duration::from_millis(1050), "stopped at the first move past the limit");
}

#[test]
fn a_tournament_with_agents_that_panic_or_never_return_finishes_within_its_limits() {
    // A clock that moves only when the sleeper moves it: every other call takes no time at all, so
    // nothing but the sleeper can pass a limit, however loaded the machine. One worker, because a
    // jump of the shared clock would otherwise land inside a call of a negotiation beside it.
    let clock = Arc::new(ManualClock::new(Duration::ZERO));
    let t = Tournament {
        agents: vec![
            agent("boulware"),
            Arc::new(Broken(Fault::Panic)),
            Arc::new(Broken(Fault::SleepForever(clock.clone()))),
        ],
        scenarios: vec![Arc::new(split(10))],
        protocol: Protocol::Sao,
        deadline: Deadline::rounds(10),
        limits: TimeLimits {
            per_call: Some(Duration::from_secs(1)),
            per_negotiation: Some(Duration::from_secs(60)),
        },
        reps: 1,
        seed: 5,
        record: true,
        max_events: truce_sim::MAX_TRANSCRIPT_EVENTS,
        seatings: truce_sim::Seatings::All,
        references: Vec::new(),
    };
    let started = Instant::now();
    // The panics here are expected: print nothing (nextest runs each test in its own process).
    std::panic::set_hook(Box::new(|_| {}));
    let (results, runs) = t.run(Shard::ALL, 1, Some(clock), &mut |_, _| {}).unwrap();
    let took = started.elapsed();
    // 18 negotiations; each of the 10 with the sleeper is abandoned at the watchdog's next look.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(results.negotiations.len(), 18);
    for (record, (m, run)) in results.negotiations.iter().zip(&runs) {
        let labels: Vec<&str> = record.agents.iter().map(String::as_str).collect();
        let _ = m;
        if labels.contains(&"sleeper") {
            assert_eq!(record.status, Status::Timeout, "{labels:?}");
            let f = record.failure.as_ref().unwrap();
            assert_eq!(f.kind, FailureKind::Stuck);
            assert_eq!(f.agent.as_deref(), Some("sleeper"));
            assert!(matches!(run.events.last(), Some(truce_sim::Event::Result(_))));
        }
        if labels == ["boulware", "boulware"] {
            assert_eq!(record.status, Status::Agreement);
        }
        if labels.contains(&"panicker") && !labels.contains(&"sleeper") {
            assert_eq!(record.status, Status::Failed, "{labels:?}");
        }
    }
    let ranking = truce_sim::Ranking::of(&results);
    assert_eq!(ranking.rows[0].agent, "boulware");
    let sleeper = ranking.rows.iter().find(|r| r.agent == "sleeper").unwrap();
    assert!(sleeper.failures >= 5, "{sleeper:?}");
}

thread_local! {
    /// Set while a [`Scoped`] factory's `within` runs on this thread.
    static INSIDE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Boulware, inside a scope of its own: its agents check that every call is made within it.
struct Scoped(Arc<dyn AgentFactory>, Arc<std::sync::atomic::AtomicUsize>);
struct ScopedAgent(Box<dyn Agent>);

impl AgentFactory for Scoped {
    fn label(&self) -> String {
        "scoped".into()
    }
    fn build(&self, view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent> {
        assert_eq!(INSIDE.get(), 1, "built outside the scope");
        Box::new(ScopedAgent(self.0.build(view, rng)))
    }
    fn within(&self, negotiation: &mut (dyn FnMut() + Send)) {
        self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        INSIDE.set(INSIDE.get() + 1);
        negotiation();
        INSIDE.set(INSIDE.get() - 1);
    }
}

impl Agent for ScopedAgent {
    fn view(&self) -> &PartyView {
        self.0.view()
    }
    fn propose(&mut self, turn: &Turn) -> Outcome {
        assert_eq!(INSIDE.get(), 1, "called outside the scope");
        self.0.propose(turn)
    }
    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        assert_eq!(INSIDE.get(), 1, "called outside the scope");
        self.0.respond(turn, offer)
    }
}

#[test]
fn a_factory_scope_wraps_each_negotiation_once_with_every_call_inside() {
    let entered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let scoped: Arc<dyn AgentFactory> = Arc::new(Scoped(agent("boulware"), entered.clone()));
    let mut n = Negotiation::new(Arc::new(split(10)), vec![scoped, agent("conceder")]);
    n.deadline = Deadline::rounds(10);
    let run = n.run(None).unwrap();
    // A failed assertion inside an agent would be contained and recorded as its failure.
    assert_eq!(run.result.failure, None);
    assert_eq!(run.result.status, Status::Agreement);
    assert_eq!(entered.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(INSIDE.get(), 0, "the scope is left when the negotiation ends");
}
