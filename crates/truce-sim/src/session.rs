//! One negotiation: its configuration ([`Negotiation`]), and the engine that runs it under a protocol,
//! enforces the deadline and the time limits, contains failing agents and records the transcript.
//!
//! **Containment.** Every call into an agent is wrapped in [`std::panic::catch_unwind`]: a panic ends
//! the negotiation with [`FailureKind::Panic`] and the agent's message. With a clock, every call is
//! timed: a call that returns after the per-call limit ends the negotiation with
//! [`FailureKind::CallLimit`], and the negotiation stops with [`FailureKind::TimeLimit`] once its own
//! limit has passed. A call that never returns cannot be stopped from inside; the
//! [`runner`](crate::run_all) watches every negotiation from another thread and abandons it
//! ([`FailureKind::Stuck`]).

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::protocol::Ending;
use crate::runner::Slot;
use crate::transcript::{Event, Header, IssueHeader, PartyHeader, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION};
use crate::{
    Agent, AgentFactory, Clock, Failure, FailureKind, NegotiationResult, PartyView, Protocol, Scenario,
    SimError, Status, Turn, seed,
};

/// When a negotiation must end: after a number of rounds, after some time, or whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadline {
    /// The number of rounds, if limited.
    pub rounds: Option<u32>,
    /// The time allowed, if limited (needs a clock).
    pub time: Option<Duration>,
}

impl Deadline {
    /// A deadline of `rounds` rounds.
    #[must_use]
    pub fn rounds(rounds: u32) -> Self {
        Self { rounds: Some(rounds), time: None }
    }

    /// A deadline in time.
    #[must_use]
    pub fn time(time: Duration) -> Self {
        Self { rounds: None, time: Some(time) }
    }

    /// Checks that the deadline can be met.
    ///
    /// # Errors
    /// [`SimError::Deadline`] for no deadline, zero rounds or zero time.
    pub fn validate(&self) -> Result<(), SimError> {
        let err = |reason: &str| Err(SimError::Deadline { reason: reason.into() });
        match (self.rounds, self.time) {
            (None, None) => err("give a number of rounds, a time, or both"),
            (Some(0), _) => err("the number of rounds must be at least 1"),
            (_, Some(t)) if t.is_zero() => err("the time must be positive"),
            _ => Ok(()),
        }
    }

    /// Normalised time at `round` with `elapsed` time gone: the larger of `round / rounds` and
    /// `elapsed / time`, at most 1.
    #[must_use]
    pub fn relative(&self, round: u32, elapsed: Duration) -> f64 {
        let by_rounds = self.rounds.map_or(0.0, |n| f64::from(round) / f64::from(n));
        let by_time = self.time.map_or(0.0, |t| elapsed.as_secs_f64() / t.as_secs_f64());
        by_rounds.max(by_time).min(1.0)
    }

    /// Whether the deadline has passed at `round` with `elapsed` time gone.
    #[must_use]
    pub fn passed(&self, round: u32, elapsed: Duration) -> bool {
        self.rounds.is_some_and(|n| round >= n) || self.time.is_some_and(|t| elapsed >= t)
    }
}

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
    /// Whether to keep the transcript.
    pub record: bool,
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
        }
    }

    /// Checks that the negotiation can run: the deadline, one agent per party, a protocol that takes
    /// this many parties, limits only with a clock.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self, has_clock: bool) -> Result<(), SimError> {
        self.deadline.validate()?;
        let parties = self.scenario.party_count();
        if self.agents.len() != parties {
            return Err(SimError::AgentCount {
                scenario: self.scenario.name().to_string(),
                agents: self.agents.len(),
                parties,
            });
        }
        self.protocol.check(&self.scenario, &self.deadline)?;
        if !has_clock && (self.deadline.time.is_some() || self.limits != TimeLimits::default()) {
            return Err(SimError::Deadline { reason: "a deadline or limit in time needs a clock".into() });
        }
        if self.first >= parties {
            return Err(SimError::Deadline {
                reason: format!("seat {} cannot move first: there are {parties} parties", self.first),
            });
        }
        Ok(())
    }

    /// Runs the negotiation on this thread. Panics and slow calls are contained; a call that never
    /// returns is not (use [`run_all`](crate::run_all) for that).
    ///
    /// # Errors
    /// When [`Negotiation::validate`] fails.
    pub fn run(&self, clock: Option<&dyn Clock>) -> Result<Run, SimError> {
        self.validate(clock.is_some())?;
        Ok(self.run_unchecked(clock, None))
    }

    pub(crate) fn run_unchecked(&self, clock: Option<&dyn Clock>, slot: Option<&Slot>) -> Run {
        let mut session = Session::new(self, clock, slot);
        let ending = match session.build_agents() {
            Ok(()) => self.protocol.run(&mut session),
            Err(stop) => Err(stop),
        };
        session.finish(ending)
    }

    pub(crate) fn header(&self) -> Header {
        let space = self.scenario.domain().space();
        Header {
            format: TRANSCRIPT_FORMAT.into(),
            format_version: TRANSCRIPT_VERSION,
            truce_version: crate::TRUCE_VERSION.into(),
            scenario: self.scenario.name().into(),
            protocol: self.protocol.name().into(),
            parties: self
                .scenario
                .seats()
                .iter()
                .zip(&self.agents)
                .zip(self.scenario.reservations())
                .map(|((seat, agent), reservation)| PartyHeader {
                    id: seat.id.clone(),
                    agent: agent.label(),
                    reservation,
                })
                .collect(),
            issues: space
                .issues()
                .iter()
                .map(|issue| IssueHeader {
                    name: issue.name.clone(),
                    values: if issue.cardinality() <= 1000 {
                        (0..issue.cardinality())
                            .filter_map(|d| issue.domain().grid_value(d).map(|v| issue.format_value(v)))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    cardinality: issue.cardinality(),
                })
                .collect(),
            first: self.first,
            rounds: self.deadline.rounds,
            seconds: self.deadline.time.map(|t| t.as_secs_f64()),
            seed: self.seed,
        }
    }
}

/// Why a protocol stopped before its rules ended the negotiation.
#[derive(Debug)]
pub(crate) struct Stop(pub Failure);

/// The running state the protocols drive.
pub(crate) struct Session<'a> {
    pub(crate) negotiation: &'a Negotiation,
    agents: Vec<Box<dyn Agent>>,
    labels: Vec<String>,
    clock: Option<&'a dyn Clock>,
    slot: Option<&'a Slot>,
    started: Duration,
    events: Vec<Event>,
    pub(crate) round: u32,
}

impl<'a> Session<'a> {
    fn new(negotiation: &'a Negotiation, clock: Option<&'a dyn Clock>, slot: Option<&'a Slot>) -> Self {
        let started = clock.map_or(Duration::ZERO, Clock::now);
        let labels = negotiation.agents.iter().map(|a| a.label()).collect();
        let mut events = Vec::new();
        if negotiation.record {
            events.push(Event::Start(Box::new(negotiation.header())));
        }
        Self { negotiation, agents: Vec::new(), labels, clock, slot, started, events, round: 0 }
    }

    fn build_agents(&mut self) -> Result<(), Stop> {
        let n = self.negotiation;
        let parties = n.scenario.party_count();
        for (seat, factory) in n.agents.iter().enumerate() {
            let view = PartyView::new(
                seat,
                parties,
                n.scenario.domain().clone(),
                n.scenario.preferences(seat).clone(),
                n.scenario.pool(seat),
                n.deadline,
            );
            let rng = seed::stream(n.seed, seat as u64 + 1);
            let agent = self.contain(seat, || factory.build(view, rng))?;
            self.agents.push(agent);
        }
        Ok(())
    }

    pub(crate) fn parties(&self) -> usize {
        self.negotiation.scenario.party_count()
    }

    pub(crate) fn scenario(&self) -> &Scenario {
        &self.negotiation.scenario
    }

    /// The seats in moving order: `first`, `first + 1`, ... wrapping around.
    pub(crate) fn order(&self) -> Vec<usize> {
        let n = self.parties();
        (0..n).map(|k| (self.negotiation.first + k) % n).collect()
    }

    fn elapsed(&self) -> Duration {
        self.clock.map_or(Duration::ZERO, |c| c.now().saturating_sub(self.started))
    }

    /// Whether the deadline has passed at the current round.
    pub(crate) fn deadline_passed(&self) -> bool {
        self.negotiation.deadline.passed(self.round, self.elapsed())
    }

    /// The turn for the current round, now.
    pub(crate) fn turn(&self) -> Turn {
        Turn { round: self.round, time: self.negotiation.deadline.relative(self.round, self.elapsed()) }
    }

    pub(crate) fn record(&mut self, event: impl FnOnce(&Scenario) -> Event) {
        if self.negotiation.record {
            let e = event(&self.negotiation.scenario);
            self.events.push(e);
        }
    }

    /// Calls agent `seat`, containing panics and enforcing the time limits.
    pub(crate) fn call<T>(&mut self, seat: usize, f: impl FnOnce(&mut dyn Agent) -> T) -> Result<T, Stop> {
        let mut agents = std::mem::take(&mut self.agents);
        let result = self.contain(seat, || f(agents[seat].as_mut()));
        self.agents = agents;
        result
    }

    fn contain<T>(&self, seat: usize, f: impl FnOnce() -> T) -> Result<T, Stop> {
        let limits = self.negotiation.limits;
        if let Some(limit) = limits.per_negotiation
            && self.elapsed() > limit
        {
            return Err(self.failure(
                None,
                FailureKind::TimeLimit,
                format!("the negotiation ran past its limit of {limit:?}"),
            ));
        }
        if let Some(slot) = self.slot {
            if slot.cancelled.load(Ordering::Relaxed) {
                return Err(self.failure(Some(seat), FailureKind::Stuck, "abandoned by the watchdog".into()));
            }
            slot.enter_call(seat, self.clock.map_or(Duration::ZERO, Clock::now));
        }
        let before = self.clock.map(Clock::now);
        let outcome = catch_unwind(AssertUnwindSafe(f));
        if let Some(slot) = self.slot {
            slot.leave_call();
        }
        let value = outcome.map_err(|payload| {
            self.failure(
                Some(seat),
                FailureKind::Panic,
                format!("panicked: {}", panic_message(payload.as_ref())),
            )
        })?;
        if let (Some(limit), Some(before), Some(clock)) = (limits.per_call, before, self.clock) {
            let took = clock.now().saturating_sub(before);
            if took > limit {
                return Err(self.failure(
                    Some(seat),
                    FailureKind::CallLimit,
                    format!("one call took {took:?}, over the limit of {limit:?}"),
                ));
            }
        }
        Ok(value)
    }

    pub(crate) fn failure(&self, seat: Option<usize>, kind: FailureKind, message: String) -> Stop {
        Stop(Failure { kind, party: seat, agent: seat.map(|s| self.labels[s].clone()), message })
    }

    /// Checks an offer made by `seat`: an outcome of the space that `seat` may agree to.
    pub(crate) fn check_offer(&self, seat: usize, outcome: &[u32]) -> Result<(), Stop> {
        let scenario = self.scenario();
        let space = scenario.domain().space();
        if !space.is_outcome(outcome) {
            return Err(self.failure(
                Some(seat),
                FailureKind::InvalidOffer,
                format!(
                    "offered {outcome:?}, which is not an outcome of the space (radices {:?})",
                    space.radices()
                ),
            ));
        }
        if !scenario.preferences(seat).accepts(scenario.domain(), outcome) {
            return Err(self.failure(
                Some(seat),
                FailureKind::InvalidOffer,
                format!("offered {}, which it may not agree to itself (below its reservation value or across a red line)", space.describe(outcome)),
            ));
        }
        Ok(())
    }

    /// Checks that `seat` may accept `outcome`.
    pub(crate) fn check_accept(&self, seat: usize, outcome: &[u32]) -> Result<(), Stop> {
        let scenario = self.scenario();
        if scenario.preferences(seat).accepts(scenario.domain(), outcome) {
            Ok(())
        } else {
            Err(self.failure(
                Some(seat),
                FailureKind::Irrational,
                format!(
                    "accepted {}, below its reservation value or across a red line",
                    scenario.domain().space().describe(outcome)
                ),
            ))
        }
    }

    fn finish(mut self, ending: Result<Ending, Stop>) -> Run {
        let time = self.turn().time;
        let scenario = &self.negotiation.scenario;
        let result = match ending {
            Ok(Ending::Agreement(outcome)) => NegotiationResult {
                status: Status::Agreement,
                utilities: scenario.payoffs(Some(&outcome), time),
                agreement: Some(outcome),
                rounds: self.round + 1,
                time,
                failure: None,
            },
            Ok(Ending::Deadline) => NegotiationResult {
                status: Status::NoAgreement,
                agreement: None,
                utilities: scenario.payoffs(None, 1.0),
                rounds: self.round,
                time: 1.0,
                failure: None,
            },
            Ok(Ending::Walkaway) => NegotiationResult {
                status: Status::Ended,
                agreement: None,
                utilities: scenario.payoffs(None, time),
                rounds: self.round + 1,
                time,
                failure: None,
            },
            Err(Stop(failure)) => NegotiationResult {
                status: if failure.kind.is_timeout() { Status::Timeout } else { Status::Failed },
                agreement: None,
                utilities: scenario.payoffs(None, time),
                rounds: self.round + 1,
                time,
                failure: Some(failure),
            },
        };
        if self.negotiation.record {
            self.events.push(Event::Result(Box::new(result.clone())));
        }
        Run { result, events: self.events }
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
        utilities: scenario.payoffs(None, 1.0),
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
