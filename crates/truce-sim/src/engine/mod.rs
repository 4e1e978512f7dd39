//! The negotiation engine: one negotiation under any [`Protocol`], driven one move at a time.
//!
//! An [`Engine`] holds the state of one negotiation and nothing else: no agents, no clock, no
//! threads. It says whose move it is and what is asked of that seat ([`Engine::request`]: a
//! [`Request`] holding an [`Ask`]), accepts an [`Action`] from that seat ([`Engine::act`]), and hands
//! each [`Event`] to a [`Sink`] as it happens. Whoever drives it decides who plays each seat: the
//! simulation runner ([`Negotiation::run`](crate::Negotiation::run)) asks [`Agent`](crate::Agent)s and
//! a built-in [`Mediator`](crate::Mediator); a server would ask people for some seats.
//!
//! **Bad actions are refused** with an [`ActionError`] and leave the engine unchanged: an action out
//! of turn, from a seat that is not asked, of the wrong kind (a mediator's text where an answer is
//! due), with an outcome outside the space, after the end.
//!
//! **Preferences may be unknown.** A scenario can hold a seat whose preferences the engine does not
//! know (a person keeps theirs, see [`Scenario::with_unknown`](crate::Scenario)). Every protocol's rules
//! work without preferences; the checks that need them (an offer must be one the party may agree to
//! itself, an acceptance must be of such an outcome) apply only to the seats whose preferences the
//! engine holds, and the utilities in events and results are `null` for the others.
//!
//! **Save and resume from events alone.** The transcript is the save file: [`Engine::resume`] replays
//! it, checking that it belongs to this negotiation (header, seed, protocol, parties) and that every
//! event is what the engine itself would have written, and continues from where it stopped. The same
//! setup and the same actions give the same transcript, byte for byte.

mod protocol;
mod sao;
mod shuttle;
mod single_text;
mod sink;

use std::sync::Arc;
use std::time::Duration;

pub use protocol::Protocol;
pub use sink::{Counter, Discard, JsonLines, Sink};

use crate::transcript::{Header, IssueHeader, PartyHeader, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION};
use crate::{Event, Failure, FailureKind, NegotiationResult, Outcome, Scenario, SimError, Status};

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

/// Everything that fixes one negotiation's rules, as the engine sees it: what is negotiated, under
/// which protocol and deadline, with which seed, who moves first, and who plays each seat (for the
/// transcript's header).
#[derive(Clone, Debug)]
pub struct Setup {
    /// What is negotiated, and by whom.
    pub scenario: Arc<Scenario>,
    /// The protocol.
    pub protocol: Protocol,
    /// When it must end.
    pub deadline: Deadline,
    /// The seed every random choice derives from (see [`seed`](crate::seed)).
    pub seed: u64,
    /// The seat that moves first; the others follow in seat order, wrapping around.
    pub first: usize,
    /// Who plays each seat, in seat order (an agent's label, or `person`): written in the header.
    pub players: Vec<String>,
    /// Who plays the mediator of a mediated protocol (a mediator strategy's name, or `person`).
    pub mediator: Option<String>,
}

impl Setup {
    /// Checks that the negotiation can run: the deadline, one player per party, a protocol that takes
    /// this many parties, a first seat that exists, a mediator exactly for mediated protocols.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), SimError> {
        self.deadline.validate()?;
        let parties = self.scenario.party_count();
        if self.players.len() != parties {
            return Err(SimError::AgentCount {
                scenario: self.scenario.name().to_string(),
                agents: self.players.len(),
                parties,
            });
        }
        self.protocol.check(&self.scenario, &self.deadline)?;
        if self.first >= parties {
            return Err(SimError::Deadline {
                reason: format!(
                    "party {} cannot move first: there are {parties} parties, numbered 0 to {}",
                    self.first,
                    parties - 1
                ),
            });
        }
        Ok(())
    }

    /// The transcript's first line.
    #[must_use]
    pub fn header(&self) -> Header {
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
                .enumerate()
                .zip(&self.players)
                .map(|((k, seat), player)| PartyHeader {
                    id: seat.id.clone(),
                    agent: player.clone(),
                    reservation: self.scenario.known_preferences(k).map(|p| p.reservation),
                })
                .collect(),
            mediator: self.mediator.clone(),
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

/// Who acts: a negotiating party by seat, or the mediator of a mediated protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The party in this seat.
    Party(usize),
    /// The mediator.
    Mediator,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Party(seat) => write!(f, "party {seat}"),
            Self::Mediator => f.write_str("the mediator"),
        }
    }
}

/// What the engine asks of the seat whose move it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ask<'a> {
    /// Make an offer ([`Action::Offer`]): alternating offers.
    Offer,
    /// Answer the offer or text on the table ([`Action::Accept`], [`Action::Reject`] or
    /// [`Action::End`]).
    Answer {
        /// The outcome on the table.
        offer: &'a [u32],
        /// Who put it there: a party's seat, or `None` for the mediator.
        from: Option<usize>,
    },
    /// Vote on whether the mediator's candidate should replace the current text ([`Action::Vote`]).
    Vote {
        /// The candidate text.
        candidate: &'a [u32],
        /// The current text.
        incumbent: &'a [u32],
    },
    /// State a private position to the mediator ([`Action::Position`]): shuttle mediation.
    Position,
    /// (Mediator) table a text ([`Action::Text`]).
    Text {
        /// The current single text; `None` for the first.
        text: Option<&'a [u32]>,
        /// The positions the parties stated this round, by seat (shuttle mediation; empty otherwise).
        positions: &'a [Outcome],
    },
    /// (Mediator) decide whether the candidate replaces the current text, having seen the votes
    /// ([`Action::Decide`]).
    Decide {
        /// The candidate text.
        candidate: &'a [u32],
        /// The current text.
        incumbent: &'a [u32],
        /// Each party's vote, by seat.
        votes: &'a [bool],
        /// Who rejected the text at the last poll, by seat (all `false` before the first poll).
        objections: &'a [bool],
    },
}

impl Ask<'_> {
    /// The name of what is asked (`offer`, `answer`, `vote`, `position`, `text`, `decision`).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Offer => "an offer",
            Self::Answer { .. } => "an answer (accept, reject or end)",
            Self::Vote { .. } => "a vote",
            Self::Position => "a position",
            Self::Text { .. } => "a mediator's text",
            Self::Decide { .. } => "a mediator's decision",
        }
    }
}

/// What the engine asks, of whom, when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Request<'a> {
    /// Whose move it is.
    pub actor: Actor,
    /// The round, from 0.
    pub round: u32,
    /// Normalised time in `[0, 1]`.
    pub time: f64,
    /// What is asked.
    pub ask: Ask<'a>,
}

/// A seat's move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// An offer: it replaces the offer on the table.
    Offer(Outcome),
    /// Agree to the offer or text on the table.
    Accept,
    /// Do not agree (in alternating offers the party then makes a counter-offer).
    Reject,
    /// Walk away: the negotiation ends without agreement.
    End,
    /// A vote on the candidate text: `true` for the candidate.
    Vote(bool),
    /// A private position (shuttle mediation).
    Position(Outcome),
    /// A mediator's text.
    Text(Outcome),
    /// A mediator's decision on the candidate text: `true` to adopt it.
    Decide(bool),
}

impl Action {
    /// What kind of action this is, as [`Ask::name`] names what is asked.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Offer(_) => "an offer",
            Self::Accept => "an acceptance",
            Self::Reject => "a rejection",
            Self::End => "a walk-away",
            Self::Vote(_) => "a vote",
            Self::Position(_) => "a position",
            Self::Text(_) => "a mediator's text",
            Self::Decide(_) => "a mediator's decision",
        }
    }
}

/// An action the engine refuses; the engine is left as it was.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ActionError {
    /// The negotiation has ended.
    #[error("the negotiation has ended: no more actions are taken")]
    Finished,
    /// The actor is not a seat of this negotiation (a seat number past the parties, or a mediator in a
    /// protocol without one).
    #[error("{actor} is not a seat of this negotiation ({reason})")]
    NotASeat {
        /// Who tried to act.
        actor: Actor,
        /// Why not.
        reason: String,
    },
    /// Another seat's move.
    #[error("{actor} acted out of turn: it is {expected}'s move ({asked} is asked)")]
    OutOfTurn {
        /// Who tried to act.
        actor: Actor,
        /// Whose move it is.
        expected: Actor,
        /// What is asked of them.
        asked: &'static str,
    },
    /// The right seat, the wrong kind of action.
    #[error("{actor} gave {given} where {asked} is asked")]
    WrongAction {
        /// Who acted.
        actor: Actor,
        /// What is asked.
        asked: &'static str,
        /// What was given.
        given: &'static str,
    },
    /// An outcome that is not one of the space.
    #[error(
        "{actor} gave {outcome:?}, which is not an outcome of the space (one value index per issue, below {radices:?})"
    )]
    NotAnOutcome {
        /// Who acted.
        actor: Actor,
        /// The outcome given.
        outcome: Outcome,
        /// How many values each issue has.
        radices: Vec<u32>,
    },
    /// An offer or position the party may not agree to itself (checked only for seats whose
    /// preferences the engine holds).
    #[error(
        "{actor} offered {outcome}, which it may not agree to itself (below its reservation value or across a red line)"
    )]
    Unacceptable {
        /// Who acted.
        actor: Actor,
        /// The outcome, described.
        outcome: String,
    },
    /// An acceptance of an outcome the party may not agree to (checked only for seats whose
    /// preferences the engine holds).
    #[error("{actor} accepted {outcome}, below its reservation value or across a red line")]
    Irrational {
        /// Who acted.
        actor: Actor,
        /// The outcome, described.
        outcome: String,
    },
}

impl ActionError {
    /// The failure a driver records when one of its agents makes this action.
    #[must_use]
    pub fn failure_kind(&self) -> FailureKind {
        match self {
            Self::Irrational { .. } => FailureKind::Irrational,
            _ => FailureKind::InvalidOffer,
        }
    }
}

/// A transcript that cannot be resumed; nothing is resumed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeError {
    /// The setup itself cannot run.
    #[error(transparent)]
    Setup(#[from] SimError),
    /// No events, or a first event that is not the header.
    #[error(
        "the transcript does not start with its header (a `start` event): it is empty or truncated at the front"
    )]
    NoHeader,
    /// The header belongs to another negotiation.
    #[error(
        "event 1: the transcript belongs to another negotiation: its {field} is {found}, this negotiation's is {expected}"
    )]
    Foreign {
        /// The field that differs (`seed`, `protocol`, `parties`, ...).
        field: &'static str,
        /// This negotiation's value.
        expected: String,
        /// The transcript's.
        found: String,
    },
    /// An event the engine would not have written here.
    #[error(
        "event {index}: the transcript diverges from this negotiation: expected {expected}, found {found}"
    )]
    Diverges {
        /// 1-based position of the event.
        index: usize,
        /// What the engine wrote (JSON), or what it expected.
        expected: String,
        /// What the transcript holds (JSON).
        found: String,
    },
    /// An action the engine refuses.
    #[error("event {index}: {error}")]
    Refused {
        /// 1-based position of the event.
        index: usize,
        /// Why.
        error: ActionError,
    },
    /// Events after the result.
    #[error("event {index}: the negotiation had already ended")]
    AfterEnd {
        /// 1-based position of the event.
        index: usize,
    },
}

/// How a protocol's rules ended a negotiation.
#[derive(Debug)]
pub(crate) enum Ending {
    Agreement(Outcome),
    Deadline,
    Walkaway,
}

#[derive(Clone, Debug)]
enum State {
    Sao(sao::Sao),
    SingleText(single_text::SingleText),
    Shuttle(shuttle::Shuttle),
}

/// The running state of one negotiation. See the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Engine {
    setup: Setup,
    order: Vec<usize>,
    round: u32,
    elapsed: Duration,
    /// During a replay of a deadline in time: the recorded time of the next event.
    forced_time: Option<f64>,
    state: State,
    result: Option<NegotiationResult>,
}

/// What the protocols see of the engine while they apply an action: the rules' common state and a
/// way to emit events.
pub(crate) struct Ctx<'a> {
    pub(crate) setup: &'a Setup,
    pub(crate) order: &'a [usize],
    pub(crate) round: &'a mut u32,
    pub(crate) time: f64,
    sink: &'a mut dyn Sink,
}

impl Ctx<'_> {
    /// Hands the event to the sink, building it only when the sink wants events.
    pub(crate) fn emit(&mut self, event: impl FnOnce(&Scenario, u32, f64) -> Event) {
        if self.sink.enabled() {
            let e = event(&self.setup.scenario, *self.round, self.time);
            self.sink.event(e);
        }
    }

    pub(crate) fn parties(&self) -> usize {
        self.order.len()
    }

    /// Whether the deadline in rounds has passed at the current round.
    pub(crate) fn rounds_over(&self) -> bool {
        self.setup.deadline.rounds.is_some_and(|n| *self.round >= n)
    }
}

impl Engine {
    /// Starts a negotiation, handing its header to `sink`.
    ///
    /// # Errors
    /// When [`Setup::validate`] fails.
    pub fn new(setup: Setup, sink: &mut dyn Sink) -> Result<Self, SimError> {
        let engine = Self::unstarted(setup)?;
        if sink.enabled() {
            sink.event(Event::Start(Box::new(engine.setup.header())));
        }
        Ok(engine)
    }

    fn unstarted(setup: Setup) -> Result<Self, SimError> {
        setup.validate()?;
        let n = setup.scenario.party_count();
        let order = (0..n).map(|k| (setup.first + k) % n).collect();
        let state = match setup.protocol {
            Protocol::Sao => State::Sao(sao::Sao::new()),
            Protocol::SingleText => State::SingleText(single_text::SingleText::new(n)),
            Protocol::Shuttle => State::Shuttle(shuttle::Shuttle::new(n)),
        };
        Ok(Self { setup, order, round: 0, elapsed: Duration::ZERO, forced_time: None, state, result: None })
    }

    /// Resumes the negotiation that `events` (a transcript, or any prefix of one, header first)
    /// records: replays every action in it, checking each event against what the engine writes, and
    /// returns the engine where the transcript stops. Hand the engine's later events to the same sink
    /// to continue the transcript.
    ///
    /// # Errors
    /// [`ResumeError`] when the transcript is empty, belongs to another negotiation (header, seed,
    /// protocol, parties), or holds an event this negotiation would not have written.
    pub fn resume(setup: Setup, events: &[Event]) -> Result<Self, ResumeError> {
        Self::resume_observed(setup, events, |_, _| {})
    }

    /// [`Engine::resume`], handing `observe` each replayed move before it is applied: what the
    /// engine asked then (whose move, the round, the time, what was asked) and the recorded answer.
    /// A caller that seats agents asks them again, in order, so that an agent rebuilt from its seed
    /// after a restart has the memory of one that never stopped (the engine holds no agent).
    ///
    /// # Errors
    /// As [`Engine::resume`].
    pub fn resume_observed(
        setup: Setup,
        events: &[Event],
        mut observe: impl FnMut(&Request<'_>, &Action),
    ) -> Result<Self, ResumeError> {
        let mut engine = Self::unstarted(setup)?;
        let Some(Event::Start(header)) = events.first() else { return Err(ResumeError::NoHeader) };
        check_header(&engine.setup.header(), header)?;
        let timed = engine.setup.deadline.time.is_some();
        let mut produced = Vec::new();
        let mut i = 1;
        while i < events.len() {
            let event = &events[i];
            if engine.result.is_some() {
                return Err(ResumeError::AfterEnd { index: i + 1 });
            }
            produced.clear();
            if timed {
                engine.forced_time = event_time(event);
            }
            match action_of(event) {
                Some((actor, action)) => {
                    if let Some(request) = engine.request().filter(|r| r.actor == actor) {
                        observe(&request, &action);
                    }
                    engine
                        .act(actor, action, &mut produced)
                        .map_err(|error| ResumeError::Refused { index: i + 1, error })?;
                }
                None => match event {
                    Event::Result(r) if r.failure.is_some() || (timed && r.status == Status::NoAgreement) => {
                        if let Some(failure) = &r.failure {
                            engine.abort(failure.clone(), &mut produced);
                        } else {
                            engine.elapsed = engine.setup.deadline.time.unwrap_or_default();
                            engine.tick(engine.elapsed, &mut produced);
                        }
                    }
                    _ => {
                        return Err(ResumeError::Diverges {
                            index: i + 1,
                            expected: "an action (offer, answer, vote, position, text or decision)".into(),
                            found: json(event),
                        });
                    }
                },
            }
            for (k, made) in produced.iter().enumerate() {
                let index = i + k;
                match events.get(index) {
                    Some(recorded) if recorded == made => {}
                    Some(recorded) => {
                        return Err(ResumeError::Diverges {
                            index: index + 1,
                            expected: json(made),
                            found: json(recorded),
                        });
                    }
                    // The transcript stops inside what one action wrote (a result it did not keep):
                    // the engine is where the action left it.
                    None => break,
                }
            }
            i += produced.len().max(1);
        }
        engine.forced_time = None;
        Ok(engine)
    }

    /// The negotiation's setup.
    #[must_use]
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The current round, from 0.
    #[must_use]
    pub fn round(&self) -> u32 {
        self.round
    }

    /// Normalised time now.
    #[must_use]
    pub fn time(&self) -> f64 {
        self.forced_time.unwrap_or_else(|| self.setup.deadline.relative(self.round, self.elapsed))
    }

    /// How the negotiation ended, once it has.
    #[must_use]
    pub fn result(&self) -> Option<&NegotiationResult> {
        self.result.as_ref()
    }

    /// Whether the negotiation has ended.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    /// Whose move it is and what is asked of them; `None` once the negotiation has ended.
    #[must_use]
    pub fn request(&self) -> Option<Request<'_>> {
        if self.result.is_some() {
            return None;
        }
        let (actor, ask) = match &self.state {
            State::Sao(s) => s.request(&self.order),
            State::SingleText(s) => s.request(&self.order),
            State::Shuttle(s) => s.request(&self.order),
        };
        Some(Request { actor, round: self.round, time: self.time(), ask })
    }

    /// Tells the engine how much time has gone since the negotiation started (a driver with a clock
    /// calls this before each move). With a deadline in time that has passed, the negotiation ends
    /// without agreement; returns whether it has ended.
    pub fn tick(&mut self, elapsed: Duration, sink: &mut dyn Sink) -> bool {
        if self.result.is_none() {
            self.elapsed = elapsed;
            if self.setup.deadline.time.is_some_and(|t| elapsed >= t) {
                self.finish(Ok(Ending::Deadline), sink);
            }
        }
        self.result.is_some()
    }

    /// Ends the negotiation with a failure that is not the protocol's to judge (an agent that
    /// panicked, overran its time, or whose action was refused). Does nothing once it has ended.
    pub fn abort(&mut self, failure: Failure, sink: &mut dyn Sink) {
        if self.result.is_none() {
            self.finish(Err(failure), sink);
        }
    }

    /// Takes `actor`'s `action`, hands the events it causes to `sink`, and moves the negotiation on.
    ///
    /// # Errors
    /// [`ActionError`] when the action is refused; the engine is then unchanged and `sink` has been
    /// handed nothing.
    pub fn act(&mut self, actor: Actor, action: Action, sink: &mut dyn Sink) -> Result<(), ActionError> {
        self.check(actor, &action)?;
        let time = self.time();
        let mut ctx =
            Ctx { setup: &self.setup, order: &self.order, round: &mut self.round, time, sink: &mut *sink };
        let ending = match &mut self.state {
            State::Sao(s) => s.apply(&mut ctx, actor, action),
            State::SingleText(s) => s.apply(&mut ctx, actor, action),
            State::Shuttle(s) => s.apply(&mut ctx, actor, action),
        };
        if let Some(ending) = ending {
            self.finish(Ok(ending), sink);
        }
        Ok(())
    }

    /// Every check an action must pass, before anything changes.
    fn check(&self, actor: Actor, action: &Action) -> Result<(), ActionError> {
        let Some(request) = self.request() else { return Err(ActionError::Finished) };
        let parties = self.order.len();
        match actor {
            Actor::Party(seat) if seat >= parties => {
                return Err(ActionError::NotASeat {
                    actor,
                    reason: format!("the parties are 0 to {}", parties - 1),
                });
            }
            Actor::Mediator if !self.setup.protocol.is_mediated() => {
                return Err(ActionError::NotASeat {
                    actor,
                    reason: format!("{} has no mediator", self.setup.protocol),
                });
            }
            _ => {}
        }
        if actor != request.actor {
            return Err(ActionError::OutOfTurn { actor, expected: request.actor, asked: request.ask.name() });
        }
        let fits = matches!(
            (&request.ask, action),
            (Ask::Offer, Action::Offer(_))
                | (Ask::Answer { .. }, Action::Accept | Action::Reject | Action::End)
                | (Ask::Vote { .. }, Action::Vote(_))
                | (Ask::Position, Action::Position(_))
                | (Ask::Text { .. }, Action::Text(_))
                | (Ask::Decide { .. }, Action::Decide(_))
        );
        if !fits {
            return Err(ActionError::WrongAction { actor, asked: request.ask.name(), given: action.name() });
        }
        let scenario = &self.setup.scenario;
        let space = scenario.domain().space();
        let describe = |o: &[u32]| space.describe(o);
        match (action, actor) {
            (Action::Offer(o) | Action::Position(o) | Action::Text(o), _) if !space.is_outcome(o) => {
                Err(ActionError::NotAnOutcome {
                    actor,
                    outcome: o.clone(),
                    radices: space.radices().to_vec(),
                })
            }
            (Action::Offer(o) | Action::Position(o), Actor::Party(seat)) if !scenario.may_accept(seat, o) => {
                Err(ActionError::Unacceptable { actor, outcome: describe(o) })
            }
            (Action::Accept, Actor::Party(seat)) => match request.ask {
                Ask::Answer { offer, .. } if !scenario.may_accept(seat, offer) => {
                    Err(ActionError::Irrational { actor, outcome: describe(offer) })
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn finish(&mut self, ending: Result<Ending, Failure>, sink: &mut dyn Sink) {
        let time = self.time();
        let scenario = &self.setup.scenario;
        let round = self.round;
        let result = match ending {
            Ok(Ending::Agreement(outcome)) => NegotiationResult {
                status: Status::Agreement,
                utilities: scenario.known_payoffs(Some(&outcome), time),
                agreement: Some(outcome),
                rounds: round + 1,
                time,
                failure: None,
            },
            Ok(Ending::Deadline) => NegotiationResult {
                status: Status::NoAgreement,
                agreement: None,
                utilities: scenario.known_payoffs(None, 1.0),
                rounds: round.min(self.setup.deadline.rounds.unwrap_or(u32::MAX)),
                time: 1.0,
                failure: None,
            },
            Ok(Ending::Walkaway) => NegotiationResult {
                status: Status::Ended,
                agreement: None,
                utilities: scenario.known_payoffs(None, time),
                rounds: round + 1,
                time,
                failure: None,
            },
            Err(failure) => NegotiationResult {
                status: if failure.kind.is_timeout() { Status::Timeout } else { Status::Failed },
                agreement: None,
                utilities: scenario.known_payoffs(None, time),
                rounds: round.saturating_add(1),
                time,
                failure: Some(failure),
            },
        };
        if sink.enabled() {
            sink.event(Event::Result(Box::new(result.clone())));
        }
        self.result = Some(result);
    }
}

/// The action an event records, if it records one.
fn action_of(event: &Event) -> Option<(Actor, Action)> {
    Some(match event {
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

fn event_time(event: &Event) -> Option<f64> {
    match event {
        Event::Offer { time, .. }
        | Event::Accept { time, .. }
        | Event::Reject { time, .. }
        | Event::End { time, .. }
        | Event::Position { time, .. }
        | Event::Text { time, .. }
        | Event::Vote { time, .. }
        | Event::Decision { time, .. } => Some(*time),
        Event::Result(r) => Some(r.time),
        Event::Start(_) => None,
    }
}

fn json(event: &Event) -> String {
    serde_json::to_string(event).unwrap_or_else(|e| format!("(an event that does not serialise: {e})"))
}

fn check_header(expected: &Header, found: &Header) -> Result<(), ResumeError> {
    let differ = |field: &'static str, e: String, f: String| {
        if e == f { Ok(()) } else { Err(ResumeError::Foreign { field, expected: e, found: f }) }
    };
    differ("format", expected.format.clone(), found.format.clone())?;
    differ("format version", expected.format_version.to_string(), found.format_version.to_string())?;
    differ("scenario", expected.scenario.clone(), found.scenario.clone())?;
    differ("protocol", expected.protocol.clone(), found.protocol.clone())?;
    differ("seed", expected.seed.to_string(), found.seed.to_string())?;
    let ids = |h: &Header| h.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
    differ("parties", ids(expected), ids(found))?;
    let players = |h: &Header| h.parties.iter().map(|p| p.agent.as_str()).collect::<Vec<_>>().join(", ");
    differ("players", players(expected), players(found))?;
    differ("first party", expected.first.to_string(), found.first.to_string())?;
    differ("deadline in rounds", format!("{:?}", expected.rounds), format!("{:?}", found.rounds))?;
    differ("deadline in seconds", format!("{:?}", expected.seconds), format!("{:?}", found.seconds))?;
    if expected != found {
        // Issues, reservation values, mediator or version: the whole line differs.
        let line = |h: &Header| serde_json::to_string(h).unwrap_or_default();
        return Err(ResumeError::Foreign { field: "header", expected: line(expected), found: line(found) });
    }
    Ok(())
}
