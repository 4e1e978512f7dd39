//! A live negotiation: its rules (read once from its row), the engine where the record leaves it,
//! and the agents that play its agent seats.
//!
//! **The record is the truth.** A [`Live`] is rebuilt from the stored events alone
//! ([`Live::resume`]: the engine replays them), so a restart, or another server process on the same
//! PostgreSQL database, continues where the record stops. Agents are rebuilt from the seed on
//! resume and asked again, in order, everything the record shows they were asked
//! ([`truce::sim::Engine::resume_observed`]): the engine and the agents are deterministic from the
//! seed, so they end with the memory of agents that never stopped, and a negotiation continued after
//! a restart goes on as one that was never interrupted.
//!
//! **One move at a time.** [`Live::act`] takes a participant's action, then lets every agent seat
//! whose turn follows move, and returns every event this caused, for the caller to store in one
//! transaction; the engine is changed only by [`Live::commit`], after the store has acknowledged.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use truce::model::{Case, Preferences};
use truce::sim::{
    Action, ActionError, Actor, Agent, AgentFactory, AgentSpec, Deadline, Engine, Event, Failure,
    FailureKind, Mediator, PartyView, Protocol, Scenario, Setup, Turn, agent_action, mediator_action, seed,
};

use crate::error::ApiError;
use crate::store::{EventRow, NegotiationRow};

/// What the mediator may see of the parties' preferences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disclosure {
    /// Only what is computed from them: verdicts, red lines broken, whether a zone exists, bridging.
    Neutral,
    /// The preferences themselves.
    Mediator,
}

impl Disclosure {
    /// Reads `neutral` or `mediator`.
    ///
    /// # Errors
    /// A 400 naming the values allowed.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        match text {
            "neutral" => Ok(Self::Neutral),
            "mediator" => Ok(Self::Mediator),
            _ => Err(ApiError::bad_request(format!(
                "disclosure `{text}` is not one of `neutral` (the mediator sees verdicts only) or `mediator` (the mediator sees the preferences)"
            ))),
        }
    }

    /// Its name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Neutral => "neutral",
            Self::Mediator => "mediator",
        }
    }
}

/// Who plays a seat.
#[derive(Clone, Debug)]
pub enum Player {
    /// A person with an invitation.
    Human,
    /// A built-in agent (for the mediator's seat: the protocol's built-in mediator).
    Agent(Option<Arc<AgentSpec>>),
}

impl Player {
    /// The label written in the transcript's header.
    fn label(&self) -> String {
        match self {
            Self::Human => "person".into(),
            Self::Agent(Some(spec)) => spec.label(),
            Self::Agent(None) => "agent".into(),
        }
    }

    /// Whether a person plays it.
    #[must_use]
    pub fn is_human(&self) -> bool {
        matches!(self, Self::Human)
    }
}

/// One negotiating party's seat.
#[derive(Clone, Debug)]
pub struct SeatRule {
    /// The party's id in the case.
    pub id: String,
    /// Its name for people.
    pub name: String,
    /// Who plays it.
    pub player: Player,
}

/// A negotiation's fixed rules, read from its row.
#[derive(Debug)]
pub struct Rules {
    /// The row.
    pub row: NegotiationRow,
    /// The case, validated (with the preferences the case file gives, if any).
    pub case: Case,
    /// The protocol.
    pub protocol: Protocol,
    /// The disclosure.
    pub disclosure: Disclosure,
    /// The negotiating parties' seats, in engine order.
    pub seats: Vec<SeatRule>,
    /// Who plays the mediator, in a mediated protocol.
    pub mediator: Option<Player>,
    /// The engine's setup.
    pub setup: Setup,
}

impl Rules {
    /// Reads and checks the rules of a negotiation: the case, the protocol, the seats (`human` or
    /// an agent spec per party id; `mediator` as `human` or `agent`), the rounds.
    ///
    /// # Errors
    /// A 4xx naming what is wrong.
    pub fn new(row: NegotiationRow) -> Result<Self, ApiError> {
        let valid = truce::validated(truce::load_text("case.toml", &row.case_toml)?)?;
        let case = valid.loaded.case;
        let protocol =
            Protocol::parse(&row.protocol).map_err(|e| ApiError::bad_request(format!("protocol: {e}")))?;
        let disclosure = Disclosure::parse(&row.disclosure)?;
        let rounds = u32::try_from(row.rounds)
            .ok()
            .filter(|r| (1..=10_000).contains(r))
            .ok_or_else(|| ApiError::bad_request("rounds must be a whole number from 1 to 10000"))?;
        let given: BTreeMap<String, String> = serde_json::from_str(&row.seats).map_err(|e| {
            ApiError::bad_request(format!("seats: an object of party id to \"human\" or an agent: {e}"))
        })?;
        let negotiators: Vec<_> = case.parties.iter().filter(|p| p.negotiates()).collect();
        for key in given.keys() {
            if key != "mediator" && !negotiators.iter().any(|p| &p.id == key) {
                let ids: Vec<_> = negotiators.iter().map(|p| p.id.as_str()).collect();
                return Err(ApiError::bad_request(format!(
                    "seats: `{key}` is not a negotiating party of the case (they are {})",
                    ids.join(", ")
                )));
            }
        }
        let mut seats = Vec::new();
        for party in &negotiators {
            let player = match given.get(&party.id).map(String::as_str) {
                None | Some("human") => Player::Human,
                Some(spec) => {
                    let spec = AgentSpec::parse(spec)
                        .map_err(|e| ApiError::bad_request(format!("seats: `{}`: {e}", party.id)))?;
                    if party.preferences.is_none() {
                        return Err(ApiError::bad_request(format!(
                            "seats: `{}` has no preferences in the case, so no agent can play it",
                            party.id
                        )));
                    }
                    Player::Agent(Some(Arc::new(spec)))
                }
            };
            seats.push(SeatRule { id: party.id.clone(), name: party.name.clone(), player });
        }
        let mediator = if protocol.is_mediated() {
            Some(match given.get("mediator").map(String::as_str) {
                None | Some("human") => Player::Human,
                Some("agent" | "auto") => Player::Agent(None),
                Some(other) => {
                    return Err(ApiError::bad_request(format!(
                        "seats: the mediator is `human` or `agent` (the protocol's built-in mediator), not `{other}`"
                    )));
                }
            })
        } else if given.contains_key("mediator") {
            return Err(ApiError::bad_request(format!("seats: {protocol} has no mediator")));
        } else {
            None
        };
        let scenario = Scenario::with_unknown(
            case.id.clone(),
            case.domain.clone(),
            seats
                .iter()
                .zip(&negotiators)
                .map(|(seat, party)| {
                    let prefs = if seat.player.is_human() { None } else { party.preferences.clone() };
                    (seat.id.clone(), seat.name.clone(), prefs)
                })
                .collect(),
        )
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        #[allow(clippy::cast_sign_loss)]
        let seed = row.seed as u64;
        let setup = Setup {
            scenario: Arc::new(scenario),
            protocol,
            deadline: Deadline::rounds(rounds),
            seed,
            first: 0,
            players: seats.iter().map(|s| s.player.label()).collect(),
            mediator: mediator.as_ref().map(|m| match m {
                Player::Human => "person".into(),
                Player::Agent(_) => {
                    <dyn Mediator>::for_protocol(protocol, seed).map_or_else(|| "agent".into(), |m| m.label())
                }
            }),
        };
        setup.validate().map_err(|e| ApiError::bad_request(e.to_string()))?;
        Ok(Self { row, case, protocol, disclosure, seats, mediator, setup })
    }

    /// The seat of party `id`.
    #[must_use]
    pub fn seat_of(&self, id: &str) -> Option<usize> {
        self.seats.iter().position(|s| s.id == id)
    }

    /// The name of an actor for people and for the record: `mediator` or the party's id.
    #[must_use]
    pub fn actor_name(&self, actor: Actor) -> String {
        match actor {
            Actor::Mediator => "mediator".into(),
            Actor::Party(seat) => {
                self.seats.get(seat).map_or_else(|| format!("party {seat}"), |s| s.id.clone())
            }
        }
    }

    /// Whether a person plays `actor`.
    #[must_use]
    pub fn is_human(&self, actor: Actor) -> bool {
        match actor {
            Actor::Mediator => self.mediator.as_ref().is_some_and(Player::is_human),
            Actor::Party(seat) => self.seats.get(seat).is_some_and(|s| s.player.is_human()),
        }
    }

    /// The case's preferences of party `seat` (what agents play with, and the seed of a person's).
    #[must_use]
    pub fn case_preferences(&self, seat: usize) -> Option<&Preferences> {
        let id = &self.seats.get(seat)?.id;
        self.case.parties.iter().find(|p| &p.id == id)?.preferences.as_ref()
    }
}

/// A negotiation in memory: rules, engine, agents, and the number of the next event.
pub struct Live {
    /// Its rules.
    pub rules: Arc<Rules>,
    engine: Engine,
    agents: Vec<Option<Box<dyn Agent>>>,
    mediator: Option<Box<dyn Mediator>>,
    /// The number the next stored event takes.
    pub next_seq: i64,
}

/// What one action produced: the events to store, by author, and the engine after them.
pub struct Step {
    /// Each event with the participant (or `agent:<id>`) that caused it.
    pub events: Vec<(String, Event)>,
    engine: Engine,
}

impl Live {
    /// Starts a negotiation: its header, then the moves of the agent seats that open it.
    ///
    /// # Errors
    /// A 4xx when the engine refuses the setup.
    pub fn start(rules: Arc<Rules>) -> Result<(Self, Step), ApiError> {
        let mut header = Vec::new();
        let engine = Engine::new(rules.setup.clone(), &mut header)
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let mut live = Self::with_engine(rules, engine.clone());
        let mut events: Vec<(String, Event)> = header.into_iter().map(|e| ("admin".to_owned(), e)).collect();
        let mut engine = engine;
        live.drive_agents(&mut engine, &mut events);
        Ok((live, Step { events, engine }))
    }

    /// Rebuilds a negotiation from its stored events.
    ///
    /// # Errors
    /// A 500 when the record does not replay (it was not written by this server).
    pub fn resume(rules: Arc<Rules>, rows: &[EventRow]) -> Result<Self, ApiError> {
        let events: Vec<Event> = rows
            .iter()
            .filter(|r| r.kind == "engine")
            .map(|r| serde_json::from_str(&r.body))
            .collect::<Result<_, _>>()
            .map_err(|e| ApiError::internal(&e))?;
        let (mut agents, mut mediator) = Self::players(&rules);
        let space = rules.setup.scenario.domain().space().clone();
        // Every agent is asked again what it was asked, in order, so that it has the memory (offers
        // seen, random draws made) of one that never stopped; the record's moves are the ones kept.
        let engine = Engine::resume_observed(rules.setup.clone(), &events, |request, _recorded| {
            let turn = Turn { round: request.round, time: request.time };
            let _ = catch_unwind(AssertUnwindSafe(|| match request.actor {
                Actor::Party(seat) => {
                    if let Some(agent) = agents.get_mut(seat).and_then(Option::as_mut) {
                        agent_action(agent.as_mut(), &turn, request.ask);
                    }
                }
                Actor::Mediator => {
                    if let Some(m) = mediator.as_mut() {
                        mediator_action(m.as_mut(), &space, &turn, request.ask);
                    }
                }
            }));
        })
        .map_err(|e| ApiError::internal(&e))?;
        let next_seq = rows.last().map_or(0, |r| r.seq + 1);
        Ok(Self { rules, engine, agents, mediator, next_seq })
    }

    fn with_engine(rules: Arc<Rules>, engine: Engine) -> Self {
        let (agents, mediator) = Self::players(&rules);
        Self { rules, engine, agents, mediator, next_seq: 0 }
    }

    /// The agents of the agent seats and the built-in mediator, fresh from the seed.
    #[allow(clippy::type_complexity)]
    fn players(rules: &Rules) -> (Vec<Option<Box<dyn Agent>>>, Option<Box<dyn Mediator>>) {
        let setup = &rules.setup;
        let parties = rules.seats.len();
        let agents = rules
            .seats
            .iter()
            .enumerate()
            .map(|(seat, s)| match &s.player {
                Player::Agent(Some(spec)) => {
                    let prefs = rules.case_preferences(seat)?;
                    let view = PartyView::new(
                        seat,
                        parties,
                        setup.scenario.domain().clone(),
                        Arc::new(prefs.clone()),
                        setup.scenario.pool(seat),
                        setup.deadline,
                    );
                    let rng = seed::stream(setup.seed, seat as u64 + 1);
                    catch_unwind(AssertUnwindSafe(|| spec.build(view, rng))).ok()
                }
                _ => None,
            })
            .collect();
        let mediator = match &rules.mediator {
            Some(Player::Agent(_)) => <dyn Mediator>::for_protocol(rules.protocol, setup.seed),
            _ => None,
        };
        (agents, mediator)
    }

    /// The engine, where the record leaves it.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// `actor`'s action, then the agents' moves that follow, as events to store; the engine is
    /// unchanged until [`Live::commit`].
    ///
    /// # Errors
    /// The engine's refusal.
    pub fn act(&mut self, author: &str, actor: Actor, action: Action) -> Result<Step, ActionError> {
        let mut engine = self.engine.clone();
        let mut produced = Vec::new();
        engine.act(actor, action, &mut produced)?;
        let mut events: Vec<(String, Event)> = produced.into_iter().map(|e| (author.to_owned(), e)).collect();
        self.drive_agents(&mut engine, &mut events);
        Ok(Step { events, engine })
    }

    /// Makes a stored step the state (the caller advances [`Live::next_seq`] by the rows it stored).
    pub fn commit(&mut self, step: Step) {
        self.engine = step.engine;
    }

    /// Lets the agent seats (and an agent mediator) move while it is their turn.
    fn drive_agents(&mut self, engine: &mut Engine, events: &mut Vec<(String, Event)>) {
        let space = self.rules.setup.scenario.domain().space().clone();
        // Every move advances the protocol, and the rounds bound the moves: this is a guard only.
        for _ in 0..1_000_000 {
            let Some(request) = engine.request() else { return };
            let actor = request.actor;
            if self.rules.is_human(actor) {
                return;
            }
            let turn = Turn { round: request.round, time: request.time };
            let author = format!("agent:{}", self.rules.actor_name(actor));
            let action = match actor {
                Actor::Party(seat) => match self.agents.get_mut(seat).and_then(Option::as_mut) {
                    Some(agent) => {
                        catch_unwind(AssertUnwindSafe(|| agent_action(agent.as_mut(), &turn, request.ask)))
                    }
                    None => Err(Box::new("the agent could not be built") as Box<dyn std::any::Any + Send>),
                },
                Actor::Mediator => match self.mediator.as_mut() {
                    Some(m) => catch_unwind(AssertUnwindSafe(|| {
                        mediator_action(m.as_mut(), &space, &turn, request.ask)
                    })),
                    None => Err(Box::new("no built-in mediator") as Box<dyn std::any::Any + Send>),
                },
            };
            let seat = match actor {
                Actor::Party(seat) => Some(seat),
                Actor::Mediator => None,
            };
            let mut produced = Vec::new();
            let failure = match action {
                Ok(action) => engine.act(actor, action, &mut produced).err().map(|e| Failure {
                    kind: e.failure_kind(),
                    party: seat,
                    agent: Some(author.clone()),
                    message: e.to_string(),
                }),
                Err(_) => Some(Failure {
                    kind: FailureKind::Panic,
                    party: seat,
                    agent: Some(author.clone()),
                    message: "the agent failed".into(),
                }),
            };
            if let Some(failure) = failure {
                produced.clear();
                engine.abort(failure, &mut produced);
            }
            events.extend(produced.into_iter().map(|e| (author.clone(), e)));
        }
    }
}
