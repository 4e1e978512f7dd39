//! Negotiation simulation: protocols, agents and deterministic tournaments.
//!
//! - A [`Scenario`] is what is negotiated: a public [`Domain`](truce_model::Domain) and each negotiating
//!   party's private preferences, usually read from a case ([`Scenario::from_case`]).
//! - An [`Agent`] negotiates for one party. It is built from a [`PartyView`]: its own preferences, the
//!   public domain and the deadline, never another party's preferences. [`registry`] lists the built-in
//!   strategies; [`AgentSpec`] names one with parameters (`boulware(e=0.1)`).
//! - A [`Protocol`] sets the rules: stacked alternating offers, single-text mediation, shuttle
//!   mediation.
//! - An [`Engine`] is one negotiation under a protocol, driven one move at a time: it says whose move
//!   it is and what is asked ([`Request`], [`Ask`]), takes an [`Action`] from that seat (a party or
//!   the mediator), refuses bad ones ([`ActionError`]), hands each [`Event`] to a [`Sink`] as it
//!   happens, and resumes from its transcript alone ([`Engine::resume`]).
//! - A [`Negotiation`] drives the engine with agents and a built-in [`Mediator`], containing failing
//!   agents, and keeps or streams the transcript ([`Event`]s, written as JSON Lines by
//!   [`write_jsonl`] or [`JsonLines`]); [`run_all`] runs many on worker threads with a watchdog; a
//!   [`Tournament`] plans, shards, runs, [`merge`]s and ranks them.
//!
//! Layers, one direction: engine (and its protocols) <- runner and watchdog <- tournament.
//!
//! Everything is deterministic: every random choice derives from a seed handed in ([`seed`]), no clock
//! is read unless one is handed in ([`Clock`]), and nothing is read from or written to files.
//!
//! ```
//! use std::sync::Arc;
//! use truce_model::*;
//! use truce_sim::{AgentFactory, AgentSpec, Negotiation, Scenario, Status};
//!
//! // Two parties split 10 units of aid: each values its share linearly.
//! let space = OutcomeSpace::new(vec![Issue::new("share_a", IssueDomain::integer(0, 10, 1)?)])?;
//! let prefs = |from: f64, to: f64| Preferences::new(Utility::Additive(AdditiveUtility {
//!     issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, from, 10.0, to) }],
//! }));
//! let scenario = Scenario::new("split", Domain::unphased(space), vec![
//!     ("a".into(), "A".into(), prefs(0.0, 1.0)),
//!     ("b".into(), "B".into(), prefs(1.0, 0.0)),
//! ])?;
//! let agents: Vec<Arc<dyn AgentFactory>> =
//!     vec![Arc::new(AgentSpec::parse("boulware")?), Arc::new(AgentSpec::parse("conceder")?)];
//! let mut negotiation = Negotiation::new(Arc::new(scenario), agents);
//! negotiation.seed = 7;
//! let run = negotiation.run(None)?;
//! assert_eq!(run.result.status, Status::Agreement);
//! assert!(run.result.utilities[0] > run.result.utilities[1], "the Boulware agent gets more");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod agent;
mod clock;
mod engine;
mod error;
mod mediator;
mod pool;
mod result;
mod runner;
mod scenario;
pub mod seed;
mod session;
mod spec;
mod tournament;
mod transcript;
mod view;
mod watchdog;
mod workers;

pub use agent::{
    Agent, AgentFactory, AgentInfo, AgentSpec, Answer, Aspiration, FrequencyModel, HardHeaded, Micro,
    NaiveTitForTat, NiceTitForTat, Offer, Outcome, Random, TimeDependent, Turn, conceding_vote, registry,
    split_list, truthful_vote,
};
pub use clock::{Clock, ManualClock, SystemClock};
pub use engine::{
    Action, ActionError, Actor, Ask, Counter, Deadline, Discard, Engine, JsonLines, Protocol, Request,
    ResumeError, Setup, Sink,
};
pub use error::SimError;
pub use mediator::{Annealing, Ballot, Mediator, Mutation, NashBridge, SplitDifference};
pub use pool::{
    EVALUATION_BUDGET, EXHAUSTIVE_LIMIT, MAX_TABLE_VALUES, MIN_STARTS, OutcomePool, SAMPLE_STARTS,
};
pub use result::{Failure, FailureKind, NegotiationResult, Status};
pub use runner::{GRACE, POLL, run_all};
pub use scenario::{Scenario, Seat};
pub use session::{MAX_TRANSCRIPT_EVENTS, Negotiation, Run, TimeLimits, agent_action, mediator_action};
pub use spec::{ParamInfo, Spec};
pub use tournament::{
    ALL_DOMAINS, AgentRecord, Collector, ConfidenceInterval, DomainRanking, Estimate, FORMAT, FORMAT_VERSION,
    MANIFEST_FORMAT, MAX_NEGOTIATIONS, Manifest, ManifestEntry, Match, NegotiationRecord, Ranking,
    RankingRow, Reference, ResultsFile, ScenarioInfo, Seatings, Shard, Tournament, TournamentInfo, merge,
    seating_seed, sha256_hex, t_critical_95, wilson_95,
};
pub use transcript::{
    Event, Header, IssueHeader, PartyHeader, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, TranscriptError,
    read_jsonl, write_jsonl,
};
pub use view::PartyView;

/// The Truce version written into transcripts and result files.
pub const TRUCE_VERSION: &str = env!("CARGO_PKG_VERSION");
