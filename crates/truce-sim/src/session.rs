//! One negotiation between agents ([`Negotiation`]): the simulation runner that drives the
//! [`Engine`](crate::Engine) with [`Agent`]s and the protocol's built-in [`Mediator`], enforces the time
//! limits, contains failing agents and keeps or streams the transcript.
//!
//! **Containment.** Every call into an agent is wrapped in [`std::panic::catch_unwind`]: a panic ends
//! the negotiation with [`FailureKind::Panic`] and the agent's message. With a clock, every call is
//! timed: a call that returns after the per-call limit ends the negotiation with
//! [`FailureKind::CallLimit`], and the negotiation's own limit is checked before every move, so it
//! stops with [`FailureKind::TimeLimit`] at the first move past it. A call that never returns cannot
//! be stopped from inside; the [`runner`](crate::run_all) watches every negotiation from another
//! thread and abandons it ([`FailureKind::Stuck`]). An action the engine refuses (an offer outside
//! the space, an acceptance the agent may not make) ends it with [`FailureKind::InvalidOffer`] or
//! [`FailureKind::Irrational`].
//!
//! **Memory.** Events go to a [`Sink`] as they happen ([`Negotiation::run_to`]); a negotiation that
//! keeps no transcript (`record: false`) builds no events at all, and a kept transcript holds at most
//! [`Negotiation::max_events`] events ([`MAX_TRANSCRIPT_EVENTS`] by default): the negotiation stops
//! there with [`FailureKind::TranscriptLimit`], naming the limit.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::engine::{Action, Actor, Ask, Discard, Engine, Setup, Sink};
use crate::transcript::{Event, Header};
use crate::watchdog::{IDLE, Slot};
use crate::{
    Agent, AgentFactory, Answer, Ballot, Clock, Deadline, Failure, FailureKind, Mediator, NegotiationResult,
    Offer, PartyView, Protocol, Scenario, SimError, Status, Turn, seed,
};

/// The default cap on a transcript kept in memory ([`Negotiation::max_events`]): 200,000 events, some
/// 30 MB; 50,000 rounds of bilateral alternating offers.
pub const MAX_TRANSCRIPT_EVENTS: usize = 200_000;

/// Time limits that contain misbehaving agents (not part of the protocol: see [`Deadline`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeLimits {
    /// The longest one agent call may take.
    pub per_call: Option<Duration>,
    /// The longest the whole negotiation may take.
    pub per_negotiation: Option<Duration>,
}

/// Everything that defines one negotiation. Running it twice with the same seed and a deadline in
/// rounds gives the same result and transcript.
#[derive(Clone)]
pub struct Negotiation {
    /// What is negotiated, and by whom.
    pub scenario: Arc<Scenario>,
    /// The agent playing each seat, in seat order.
    pub agents: Vec<Arc<dyn AgentFactory>>,
    /// The protocol.
    pub protocol: Protocol,
    /// When it must end.
    pub deadline: Deadline,
    /// Containment limits (they need a clock).
    pub limits: TimeLimits,
    /// The seed every random choice derives from (see [`seed`](crate::seed)).
    pub seed: u64,
    /// The seat that moves first; the others follow in seat order, wrapping around.
    pub first: usize,
    /// Whether to keep the transcript (in [`Run::events`]).
    pub record: bool,
    /// The most events a kept transcript may hold; the negotiation stops with
    /// [`FailureKind::TranscriptLimit`] when it would hold more. Streamed transcripts
    /// ([`Negotiation::run_to`]) are not capped.
    pub max_events: usize,
}

impl std::fmt::Debug for Negotiation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Negotiation")
            .field("scenario", &self.scenario.name())
            .field("agents", &self.agents.iter().map(|a| a.label()).collect::<Vec<_>>())
            .field("protocol", &self.protocol)
            .field("deadline", &self.deadline)
            .field("seed", &self.seed)
            .field("first", &self.first)
            .finish_non_exhaustive()
    }
}

/// A finished negotiation: its result and, when recorded, its transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// How it ended.
    pub result: NegotiationResult,
    /// Every event, header and result included (empty unless recording was asked for).
    pub events: Vec<Event>,
}

impl Negotiation {
    /// A negotiation of `scenario` between `agents` (one per party, in seat order) under stacked
    /// alternating offers, 100 rounds, seed 0, seat 0 first, no time limits, transcript recorded.
    #[must_use]
    pub fn new(scenario: Arc<Scenario>, agents: Vec<Arc<dyn AgentFactory>>) -> Self {
        Self {
            scenario,
            agents,
            protocol: Protocol::Sao,
            deadline: Deadline::rounds(100),
            limits: TimeLimits::default(),
            seed: 0,
            first: 0,
            record: true,
            max_events: MAX_TRANSCRIPT_EVENTS,
        }
    }

    /// Checks that the negotiation can run: the deadline, one agent per party, a protocol that takes
    /// this many parties, every party's preferences (agents need their own), limits only with a clock.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self, has_clock: bool) -> Result<(), SimError> {
        self.setup().validate()?;
        if let Some(seat) = (0..self.scenario.party_count()).find(|&k| !self.scenario.knows(k)) {
            return Err(SimError::UnknownPreferences {
                scenario: self.scenario.name().to_string(),
                party: self.scenario.seats()[seat].id.clone(),
            });
        }
        if !has_clock && (self.deadline.time.is_some() || self.limits != TimeLimits::default()) {
            return Err(SimError::Deadline { reason: "a deadline or limit in time needs a clock".into() });
        }
        Ok(())
    }

    /// The engine's setup of this negotiation: the agents' labels play the seats, the protocol's
    /// built-in mediator the mediator's.
    #[must_use]
    pub fn setup(&self) -> Setup {
        Setup {
            scenario: self.scenario.clone(),
            protocol: self.protocol,
            deadline: self.deadline,
            seed: self.seed,
            first: self.first,
            players: self.agents.iter().map(|a| a.label()).collect(),
            mediator: <dyn Mediator>::for_protocol(self.protocol, self.seed).map(|m| m.label()),
        }
    }

    /// Runs the negotiation on this thread, keeping the transcript in [`Run::events`] when `record`
    /// is set. Panics and slow calls are contained; a call that never returns is not (use
    /// [`run_all`](crate::run_all) for that).
    ///
    /// # Errors
    /// When [`Negotiation::validate`] fails.
    pub fn run(&self, clock: Option<&dyn Clock>) -> Result<Run, SimError> {
        self.validate(clock.is_some())?;
        Ok(self.run_unchecked(clock, None))
    }

    /// Runs the negotiation on this thread, handing every event to `sink` as it happens (a
    /// [`JsonLines`](crate::JsonLines) writer streams the transcript in constant memory). `record`
    /// and `max_events` do not apply: the sink decides what to keep.
    ///
    /// # Errors
    /// When [`Negotiation::validate`] fails.
    pub fn run_to(
        &self,
        clock: Option<&dyn Clock>,
        sink: &mut (dyn Sink + Send),
    ) -> Result<NegotiationResult, SimError> {
        self.validate(clock.is_some())?;
        Ok(self.drive(clock, None, sink, usize::MAX))
    }

    pub(crate) fn run_unchecked(&self, clock: Option<&dyn Clock>, slot: Option<&Slot>) -> Run {
        if self.record {
            let mut events = Vec::new();
            let result = self.drive(clock, slot, &mut events, self.max_events);
            Run { result, events }
        } else {
            Run { result: self.drive(clock, slot, &mut Discard, usize::MAX), events: Vec::new() }
        }
    }

    pub(crate) fn header(&self) -> Header {
        self.setup().header()
    }

    /// Drives the engine with the agents until the negotiation ends, inside each agent factory's
    /// [`within`](AgentFactory::within). `cap` bounds the events a `Vec` sink holds (checked by
    /// counting what the sink was handed).
    fn drive(
        &self,
        clock: Option<&dyn Clock>,
        slot: Option<&Slot>,
        sink: &mut (dyn Sink + Send),
        cap: usize,
    ) -> NegotiationResult {
        fn within(factories: &[Arc<dyn AgentFactory>], negotiation: &mut (dyn FnMut() + Send)) {
            match factories.split_first() {
                None => negotiation(),
                Some((first, rest)) => first.within(&mut || within(rest, negotiation)),
            }
        }
        let mut result = None;
        within(&self.agents, &mut || result = Some(self.drive_agents(clock, slot, sink, cap)));
        result
            .unwrap_or_else(|| self.broken(0, 0.0, "an agent factory's `within` did not run the negotiation"))
    }

    /// The result of a negotiation that the engine or an agent factory broke off, a bug of theirs
    /// rather than an agent's failure.
    fn broken(&self, rounds: u32, time: f64, message: &str) -> NegotiationResult {
        NegotiationResult {
            status: Status::Failed,
            agreement: None,
            utilities: self.scenario.known_payoffs(None, 1.0),
            rounds,
            time,
            failure: Some(Failure {
                kind: FailureKind::Panic,
                party: None,
                agent: None,
                message: message.into(),
            }),
        }
    }

    fn drive_agents(
        &self,
        clock: Option<&dyn Clock>,
        slot: Option<&Slot>,
        sink: &mut dyn Sink,
        cap: usize,
    ) -> NegotiationResult {
        let mut counted = CountingSink { inner: sink, count: 0 };
        let mut engine = match Engine::new(self.setup(), &mut counted) {
            Ok(engine) => engine,
            // Validated by every caller; a failure here is a bug, reported rather than hidden.
            Err(e) => unreachable_setup(self, &e),
        };
        let mut runner = Runner::new(self, clock, slot);
        if let Err(failure) = runner.build_agents() {
            engine.abort(failure, &mut counted);
        }
        let mut mediator = <dyn Mediator>::for_protocol(self.protocol, self.seed);
        let space = self.scenario.domain().space();
        while !engine.is_finished() {
            if runner.clock.is_some() && engine.tick(runner.mark(), &mut counted) {
                break;
            }
            if counted.count >= cap {
                let failure = runner.failure(
                    None,
                    FailureKind::TranscriptLimit,
                    format!(
                        "the transcript reached its limit of {cap} events in round {}: raise the limit (Negotiation::max_events; `--max-events` in the CLI), or stream the events to a sink as they happen (Negotiation::run_to)",
                        engine.round()
                    ),
                );
                engine.abort(failure, &mut counted);
                break;
            }
            let Some(request) = engine.request() else { break };
            let actor = request.actor;
            let turn = Turn { round: request.round, time: request.time };
            let action = match (actor, request.ask) {
                (Actor::Party(seat), ask) => runner.call(seat, |agent| agent_action(agent, &turn, ask)),
                (Actor::Mediator, ask) => match mediator.as_deref_mut() {
                    Some(m) => runner.contain(None, || mediator_action(m, space, &turn, ask)),
                    None => Err(runner.failure(
                        None,
                        FailureKind::Panic,
                        "no mediator for a mediated protocol".into(),
                    )),
                },
            };
            let refused = match action {
                Ok(action) => engine.act(actor, action, &mut counted).err().map(|e| {
                    let seat = match actor {
                        Actor::Party(seat) => Some(seat),
                        Actor::Mediator => None,
                    };
                    runner.failure(seat, e.failure_kind(), e.to_string())
                }),
                Err(failure) => Some(failure),
            };
            if let Some(failure) = refused {
                engine.abort(failure, &mut counted);
            }
        }
        engine.result().cloned().unwrap_or_else(|| {
            self.broken(engine.round(), 1.0, "the engine stopped asking before the negotiation ended")
        })
    }
}

#[cold]
fn unreachable_setup(n: &Negotiation, e: &SimError) -> ! {
    panic!("negotiation of `{}` started without validation: {e}", n.scenario.name())
}

/// Counts the events handed to the sink, for the transcript cap.
struct CountingSink<'a> {
    inner: &'a mut dyn Sink,
    count: usize,
}

impl Sink for CountingSink<'_> {
    fn event(&mut self, event: Event) {
        self.count += 1;
        self.inner.event(event);
    }

    fn enabled(&self) -> bool {
        self.inner.enabled()
    }
}

/// What an agent does when the engine asks `ask` of its seat: the one mapping from an engine's
/// request to an agent's move, for every front end that seats agents (the runner, the server).
pub fn agent_action(agent: &mut dyn Agent, turn: &Turn, ask: Ask<'_>) -> Action {
    match ask {
        Ask::Offer => Action::Offer(agent.propose(turn)),
        Ask::Position => Action::Position(agent.propose(turn)),
        Ask::Answer { offer, from } => match agent.respond(turn, Offer { outcome: offer, from }) {
            Answer::Accept => Action::Accept,
            Answer::Reject => Action::Reject,
            Answer::End => Action::End,
        },
        Ask::Vote { candidate, incumbent } => Action::Vote(agent.vote(turn, candidate, incumbent)),
        // Asked only of the mediator; the engine refuses the answer with a clear error.
        Ask::Text { .. } | Ask::Decide { .. } => Action::Reject,
    }
}

/// What an automated mediator does when the engine asks `ask` of the mediator's seat.
pub fn mediator_action(
    m: &mut dyn Mediator,
    space: &truce_model::OutcomeSpace,
    turn: &Turn,
    ask: Ask<'_>,
) -> Action {
    match ask {
        Ask::Text { text, positions } => Action::Text(m.text(space, turn, text, positions)),
        Ask::Decide { candidate, incumbent, votes, objections } => {
            Action::Decide(m.decide(turn, &Ballot { candidate, incumbent, votes, objections }))
        }
        // Asked only of parties.
        Ask::Offer | Ask::Position | Ask::Answer { .. } | Ask::Vote { .. } => Action::End,
    }
}

/// The agents of one negotiation, with the containment around every call.
struct Runner<'a> {
    negotiation: &'a Negotiation,
    agents: Vec<Box<dyn Agent>>,
    labels: Vec<String>,
    clock: Option<&'a dyn Clock>,
    slot: Option<&'a Slot>,
    started: Duration,
    /// The clock read before this move ([`Runner::mark`]), which the move's agent call starts
    /// from.
    marked: std::cell::Cell<Option<Duration>>,
    /// The clock read when the last call returned, which the next move starts from: a reading
    /// costs tens of nanoseconds (half a microsecond on some virtual machines), and between a call's
    /// return and the next move's start there is only the engine's work on the move, so a move reads
    /// the clock once.
    returned: std::cell::Cell<Option<Duration>>,
}

impl<'a> Runner<'a> {
    fn new(negotiation: &'a Negotiation, clock: Option<&'a dyn Clock>, slot: Option<&'a Slot>) -> Self {
        let started = clock.map_or(Duration::ZERO, Clock::now);
        let labels = negotiation.agents.iter().map(|a| a.label()).collect();
        Self {
            negotiation,
            agents: Vec::new(),
            labels,
            clock,
            slot,
            started,
            marked: std::cell::Cell::new(None),
            returned: std::cell::Cell::new(None),
        }
    }

    fn build_agents(&mut self) -> Result<(), Failure> {
        let n = self.negotiation;
        let parties = n.scenario.party_count();
        for (seat, factory) in n.agents.iter().enumerate() {
            let Some(prefs) = n.scenario.known_preferences(seat) else {
                return Err(self.failure(
                    Some(seat),
                    FailureKind::Panic,
                    "no preferences to build an agent from".into(),
                ));
            };
            let view = PartyView::new(
                seat,
                parties,
                n.scenario.domain().clone(),
                prefs.clone(),
                n.scenario.pool(seat),
                n.deadline,
            );
            let rng = seed::stream(n.seed, seat as u64 + 1);
            let agent = self.contain(Some(seat), || factory.build(view, rng))?;
            self.agents.push(agent);
        }
        Ok(())
    }

    /// The clock before a move (the reading taken when the last call returned, or a fresh one): the
    /// time elapsed, kept for the move's call to start from.
    fn mark(&self) -> Duration {
        let now = self.returned.take().unwrap_or_else(|| self.clock.map_or(Duration::ZERO, Clock::now));
        self.marked.set(Some(now));
        now.saturating_sub(self.started)
    }

    /// Calls agent `seat`, containing panics and enforcing the time limits.
    fn call<T>(&mut self, seat: usize, f: impl FnOnce(&mut dyn Agent) -> T) -> Result<T, Failure> {
        let mut agents = std::mem::take(&mut self.agents);
        let result = self.contain(Some(seat), || f(agents[seat].as_mut()));
        self.agents = agents;
        result
    }

    fn contain<T>(&self, seat: Option<usize>, f: impl FnOnce() -> T) -> Result<T, Failure> {
        let limits = self.negotiation.limits;
        // The reading of this move's mark, or the one the last call returned at (building the
        // agents), or a fresh one.
        let before = self
            .clock
            .map(|c| self.marked.take().or_else(|| self.returned.take()).unwrap_or_else(|| c.now()));
        if let (Some(limit), Some(before)) = (limits.per_negotiation, before)
            && before.saturating_sub(self.started) > limit
        {
            return Err(self.failure(
                None,
                FailureKind::TimeLimit,
                format!("the negotiation ran past its limit of {limit:?}"),
            ));
        }
        if let Some(slot) = self.slot {
            if slot.cancelled.load(Ordering::Relaxed) {
                return Err(self.failure(seat, FailureKind::Stuck, "abandoned by the watchdog".into()));
            }
            slot.enter_call(seat.unwrap_or(IDLE), before.unwrap_or(Duration::ZERO));
        }
        let outcome = catch_unwind(AssertUnwindSafe(f));
        if let Some(slot) = self.slot {
            slot.leave_call();
        }
        let value = outcome.map_err(|payload| {
            self.failure(seat, FailureKind::Panic, format!("panicked: {}", panic_message(payload.as_ref())))
        })?;
        let after = self.clock.map(Clock::now);
        self.returned.set(after);
        if let (Some(limit), Some(before), Some(after)) = (limits.per_call, before, after) {
            let took = after.saturating_sub(before);
            if took > limit {
                return Err(self.failure(
                    seat,
                    FailureKind::CallLimit,
                    format!("one call took {took:?}, over the limit of {limit:?}"),
                ));
            }
        }
        Ok(value)
    }

    fn failure(&self, seat: Option<usize>, kind: FailureKind, message: String) -> Failure {
        Failure { kind, party: seat, agent: seat.and_then(|s| self.labels.get(s).cloned()), message }
    }
}

/// The message of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// `Run` for a negotiation the watchdog abandoned.
pub(crate) fn stuck_run(negotiation: &Negotiation, seat: Option<usize>, message: String) -> Run {
    let scenario = &negotiation.scenario;
    let failure = Failure {
        kind: FailureKind::Stuck,
        party: seat,
        agent: seat.and_then(|s| negotiation.agents.get(s)).map(|a| a.label()),
        message,
    };
    let result = NegotiationResult {
        status: Status::Timeout,
        agreement: None,
        utilities: scenario.known_payoffs(None, 1.0),
        rounds: 0,
        time: 1.0,
        failure: Some(failure),
    };
    let mut events = Vec::new();
    if negotiation.record {
        events.push(Event::Start(Box::new(negotiation.header())));
        events.push(Event::Result(Box::new(result.clone())));
    }
    Run { result, events }
}
