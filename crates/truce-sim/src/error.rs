//! What can go wrong before a negotiation starts: bad names, impossible parameters, unusable domains.
//!
//! Failures *during* a negotiation (an agent that panics, loops or breaks the rules) are not errors:
//! they are recorded in the result as a [`Failure`](crate::Failure), and a tournament goes on.

/// A negotiation, tournament or result file that cannot be used. Each message says what is wrong and
/// what is expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// An agent, protocol or mediator name that is not in the registry.
    #[error("unknown {kind} `{name}`: expected one of {expected}")]
    UnknownName {
        /// What was named (`agent`, `protocol`, `mediator`).
        kind: &'static str,
        /// The name given.
        name: String,
        /// The names that exist, comma separated.
        expected: String,
    },
    /// A specification such as `boulware(e=0.1` that does not parse.
    #[error("cannot read `{spec}`: {reason}")]
    Syntax {
        /// The text given.
        spec: String,
        /// What is wrong, and what was expected.
        reason: String,
    },
    /// A parameter that the named strategy does not have, or whose value is impossible.
    #[error("{owner}: parameter `{name}`: {reason}")]
    Parameter {
        /// The agent, protocol or mediator.
        owner: String,
        /// The parameter.
        name: String,
        /// What is wrong, and what is allowed.
        reason: String,
    },
    /// A deadline or limit that cannot be met (zero rounds, a negative or non-finite time).
    #[error("invalid deadline: {reason}")]
    Deadline {
        /// What is wrong.
        reason: String,
    },
    /// The number of agents does not match the negotiating parties.
    #[error(
        "{agents} agent(s) given for {parties} negotiating part(y/ies) of `{scenario}`: give one agent per party"
    )]
    AgentCount {
        /// The scenario.
        scenario: String,
        /// Agents given.
        agents: usize,
        /// Negotiating parties with preferences.
        parties: usize,
    },
    /// The case has fewer than two negotiating parties with preferences.
    #[error(
        "`{scenario}` has {parties} negotiating part(y/ies) with preferences: a negotiation needs at least 2"
    )]
    TooFewParties {
        /// The scenario.
        scenario: String,
        /// How many it has.
        parties: usize,
    },
    /// A negotiation between agents over a scenario holding a seat without preferences (an agent
    /// needs its own; drive the [`Engine`](crate::Engine) directly to seat a person there).
    #[error(
        "party `{party}` of `{scenario}` has no preferences the engine knows: an agent cannot play it (drive the engine move by move to seat a person)"
    )]
    UnknownPreferences {
        /// The scenario.
        scenario: String,
        /// The party's id.
        party: String,
    },
    /// The protocol cannot run this many parties.
    #[error("the {protocol} protocol needs {requirement}; `{scenario}` has {parties} parties")]
    ProtocolParties {
        /// The protocol.
        protocol: String,
        /// What it needs.
        requirement: &'static str,
        /// The scenario.
        scenario: String,
        /// How many parties it has.
        parties: usize,
    },
    /// A party for which no outcome is acceptable (every outcome breaks a red line or falls below its
    /// reservation value), or a domain where no outcome is acceptable to all.
    #[error("no acceptable outcome in `{scenario}`: {reason}")]
    NoAcceptableOutcome {
        /// The scenario.
        scenario: String,
        /// Which party, or that no outcome satisfies everyone.
        reason: String,
    },
    /// A tournament with nothing to run.
    #[error("empty tournament: {reason}")]
    EmptyTournament {
        /// Why.
        reason: String,
    },
    /// A tournament too large to plan.
    #[error(
        "the tournament would run {planned} negotiations, more than the {limit} allowed: use fewer agents, fewer repetitions, fewer seatings (`rotate` or `sample:N` rather than `all`, whose count grows as agents^parties), or domains with fewer parties"
    )]
    TooLarge {
        /// Negotiations planned.
        planned: u128,
        /// The limit.
        limit: u64,
    },
    /// A `--shard I/N` that is not a slice of the tournament.
    #[error("invalid shard `{spec}`: expected I/N with 0 <= I < N (e.g. 0/4 for the first of four)")]
    Shard {
        /// The text given.
        spec: String,
    },
    /// A result file written by another version of Truce, or not a result file at all.
    #[error("{file}: {reason}")]
    ResultFile {
        /// The file.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Result files that belong to different tournaments, or overlap inconsistently.
    #[error("cannot merge: {reason}")]
    Merge {
        /// Why.
        reason: String,
    },
    /// A tournament's collector could not keep a result (a disk full, a folder removed): the
    /// tournament stopped.
    #[error("cannot write the results: {reason}")]
    Write {
        /// What failed.
        reason: String,
    },
}
