//! One negotiation between automated agents (`truce negotiate`): every parameter checked and
//! explained in a person's words before anything runs, on the red lines of a chosen day.

use std::sync::Arc;
use std::time::Duration;

use truce_model::{Case, PartialDate};
use truce_sim::{
    AgentFactory, AgentSpec, Clock, Deadline, MAX_TRANSCRIPT_EVENTS, Negotiation, Protocol, Run, Scenario,
    SimError, TimeLimits, registry, run_all,
};

use crate::day::Day;
use crate::suggest::closest;
use crate::{Error, ErrorKind};

/// The longest one agent call may take, in seconds, by default, in negotiations and tournaments
/// alike. The built-in agents answer in microseconds: the limit only stops an agent that hangs.
pub const DEFAULT_CALL_LIMIT: f64 = 5.0;

/// The longest one negotiation may take, in seconds, by default, in negotiations and tournaments
/// alike: ample for thousands of rounds of the built-in agents, short enough that a tournament is not
/// held up for long by an agent that loops.
pub const DEFAULT_NEGOTIATION_LIMIT: f64 = 60.0;

/// A negotiation to run. `Default` is `truce negotiate`'s defaults (agents aside).
#[derive(Clone, Debug, PartialEq)]
pub struct NegotiateOptions {
    /// One agent per negotiating party, in party order: `boulware,micro` or
    /// `boulware(e=0.1),random(p_accept=0.2)`.
    pub agents: String,
    /// The protocol's name.
    pub protocol: String,
    /// Deadline in rounds.
    pub rounds: u32,
    /// Also a deadline in seconds.
    pub time: Option<f64>,
    /// The seed of every random choice.
    pub seed: u64,
    /// The party (by position, from 0) that moves first.
    pub first: usize,
    /// The longest one agent call may take, in seconds.
    pub call_limit: f64,
    /// The longest the negotiation may take, in seconds.
    pub time_limit: f64,
    /// The day whose red lines count (`None`: the case's `as_of`).
    pub at: Option<PartialDate>,
    /// The most events a kept transcript may hold (`--max-events`; default
    /// [`MAX_TRANSCRIPT_EVENTS`], some 30 MB): a negotiation that would record more stops there,
    /// failed with `transcript_limit`. A negotiation that keeps no transcript is not capped.
    pub max_events: usize,
}

impl Default for NegotiateOptions {
    fn default() -> Self {
        Self {
            agents: String::new(),
            protocol: "sao".into(),
            rounds: 100,
            time: None,
            seed: 0,
            first: 0,
            call_limit: DEFAULT_CALL_LIMIT,
            time_limit: DEFAULT_NEGOTIATION_LIMIT,
            at: None,
            max_events: MAX_TRANSCRIPT_EVENTS,
        }
    }
}

/// A day of a case made ready for negotiations: its verdict, its scenario and its analysis. The
/// scenario builds each party's pool once, on first use; negotiating the same day again with
/// [`prepare_on`] reuses all three (a front end that runs many negotiations of one case keeps it).
#[derive(Clone, Debug)]
pub struct Stage {
    /// The day.
    pub day: Day,
    /// What is negotiated, and by whom.
    pub scenario: Arc<Scenario>,
    /// The analysis of the day (`None` past the analysis' limits).
    pub findings: Option<Arc<truce_analysis::Findings>>,
}

impl Stage {
    /// The day `at` of `case` (`None`: the case's `as_of`).
    ///
    /// # Errors
    /// [`ErrorKind::Input`] for a case that cannot be negotiated on that day.
    pub fn of(case: &Case, at: Option<PartialDate>) -> Result<Self, Error> {
        let (day, findings) = Day::of(case, at);
        let scenario = Arc::new(day.scenario(case, 0)?);
        Ok(Self { day, scenario, findings: findings.map(Arc::new) })
    }
}

/// A negotiation ready to run: its day (say [`Day::notes`] before running) and its scenario.
pub struct Prepared {
    /// The day it is negotiated on.
    pub day: Day,
    /// What is negotiated, and by whom.
    pub scenario: Arc<Scenario>,
    /// The protocol.
    pub protocol: Protocol,
    /// The analysis of the day (`None` past the analysis' limits): what [`Prepared::reference`]
    /// measures the negotiation against.
    pub findings: Option<Arc<truce_analysis::Findings>>,
    negotiation: Negotiation,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("day", &self.day).field("negotiation", &self.negotiation).finish()
    }
}

impl NegotiateOptions {
    /// Checks every option that does not depend on the case (names, limits, deadline), so that a
    /// front end can refuse a bad one before reading anything.
    ///
    /// # Errors
    /// As [`prepare`], for those options.
    pub fn check(&self) -> Result<(), Error> {
        parse_agents(&self.agents)?;
        self.check_run()
    }

    /// Every option [`check`](Self::check) checks but the agents.
    fn check_run(&self) -> Result<(), Error> {
        parse_protocol(&self.protocol)?;
        limits(self.call_limit, self.time_limit)?;
        self.time.map(|t| seconds("time", t)).transpose()?;
        if self.rounds == 0 {
            return Err(Error::parameter("rounds", "a negotiation needs at least 1 round"));
        }
        max_events(self.max_events)
    }
}

/// Refuses a transcript cap of 0 events (the header alone is one).
pub(crate) fn max_events(max_events: usize) -> Result<(), Error> {
    if max_events == 0 {
        return Err(Error::parameter(
            "max_events",
            format!("a transcript holds at least one event (the default cap is {MAX_TRANSCRIPT_EVENTS})"),
        ));
    }
    Ok(())
}

/// Checks every option of a negotiation of `case` and prepares it.
///
/// # Errors
/// [`ErrorKind::Parameter`] naming the option at fault (`agents`, `protocol`, `first`, `rounds`,
/// `time`, `call_limit`, `time_limit`); [`ErrorKind::Input`] for a case that cannot be negotiated.
pub fn prepare(case: &Case, options: &NegotiateOptions) -> Result<Prepared, Error> {
    options.check()?;
    prepare_with(case, options, parse_agents(&options.agents)?)
}

/// [`prepare`] with agents of the caller's own (a front end's agents written in another language,
/// say) instead of `options.agents`, which is not read: one per negotiating party, in party order.
///
/// # Errors
/// As [`prepare`].
pub fn prepare_with(
    case: &Case,
    options: &NegotiateOptions,
    agents: Vec<Arc<dyn AgentFactory>>,
) -> Result<Prepared, Error> {
    options.check_run()?;
    prepare_on(&Stage::of(case, options.at)?, options, agents)
}

/// [`prepare_with`] on a day already made ready: `options.at` is not read (the stage's day counts).
///
/// # Errors
/// As [`prepare`], for the options.
pub fn prepare_on(
    stage: &Stage,
    options: &NegotiateOptions,
    agents: Vec<Arc<dyn AgentFactory>>,
) -> Result<Prepared, Error> {
    options.check_run()?;
    let protocol = parse_protocol(&options.protocol)?;
    let limits = limits(options.call_limit, options.time_limit)?;
    let time = options.time.map(|t| seconds("time", t)).transpose()?;
    let Stage { day, scenario, findings } = stage.clone();
    check_seats(&scenario, agents.len(), options.first)?;
    let mut negotiation = Negotiation::new(scenario.clone(), agents);
    negotiation.protocol = protocol;
    negotiation.deadline = Deadline { rounds: Some(options.rounds), time };
    negotiation.limits = limits;
    negotiation.seed = options.seed;
    negotiation.first = options.first;
    negotiation.record = true;
    negotiation.max_events = options.max_events;
    Ok(Prepared { day, scenario, protocol, findings, negotiation })
}

impl Prepared {
    /// Whether to keep the transcript (the default): a summary needs the result alone, and a
    /// negotiation that keeps no transcript runs in constant memory however many rounds it has.
    #[must_use]
    pub fn keep_transcript(mut self, keep: bool) -> Self {
        self.negotiation.record = keep;
        self
    }

    /// What the negotiation's plot measures it against: the day's Pareto frontier and its Nash and
    /// Kalai-Smorodinsky points (`None` when the day could not be analysed).
    #[must_use]
    pub fn reference(&self) -> Option<truce_report::sim::Reference> {
        self.findings.as_deref().map(truce_report::sim::Reference::of)
    }

    /// The label of the agent in each seat, in seat order.
    #[must_use]
    pub fn agent_labels(&self) -> Vec<String> {
        self.negotiation.agents.iter().map(|a| a.label()).collect()
    }

    /// Runs the negotiation on a worker under the watchdog, timed by `clock` (needed for time limits;
    /// `None` runs without them).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when the engine refuses the negotiation.
    pub fn run(self, clock: Option<Arc<dyn Clock>>) -> Result<Run, Error> {
        let negotiation = if clock.is_none() {
            Negotiation {
                limits: TimeLimits::default(),
                deadline: Deadline { time: None, ..self.negotiation.deadline },
                ..self.negotiation
            }
        } else {
            self.negotiation
        };
        run_all(vec![negotiation], 1, clock, &mut |_, _| {})
            .map_err(|(_, e)| sim_error(&e))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::new(ErrorKind::Input, "the negotiation produced no result"))
    }
}

/// The agents of a comma-separated list, each name checked against the registry with a "did you
/// mean" for a misspelt one.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`agents`).
pub fn parse_agents(text: &str) -> Result<Vec<Arc<dyn AgentFactory>>, Error> {
    if text.trim().is_empty() {
        return Err(Error::parameter(
            "agents",
            "no agent given: name one per party, e.g. boulware,conceder (see `truce agents`)",
        ));
    }
    let specs = AgentSpec::parse_list(text).map_err(|e| match &e {
        SimError::UnknownName { name, expected, .. } => {
            let hint = closest(name, registry().iter().map(|a| a.name))
                .map_or(String::new(), |n| format!("did you mean `{n}`? "));
            Error::parameter(
                "agents",
                format!(
                    "there is no agent called `{name}`: {hint}The agents are {expected} (see `truce agents`)"
                ),
            )
        }
        _ => Error::parameter("agents", e.to_string()),
    })?;
    Ok(specs.into_iter().map(|s| Arc::new(s) as Arc<dyn AgentFactory>).collect())
}

/// A protocol by name, with a "did you mean" for a misspelt one.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`protocol`).
pub fn parse_protocol(text: &str) -> Result<Protocol, Error> {
    Protocol::parse(text).map_err(|e| match &e {
        SimError::UnknownName { name, expected, .. } => {
            let hint = closest(name, Protocol::ALL.iter().map(|p| p.name()))
                .map_or(String::new(), |n| format!("did you mean `{n}`? "));
            Error::parameter(
                "protocol",
                format!("there is no protocol called `{name}`: {hint}The protocols are {expected}"),
            )
        }
        _ => Error::parameter("protocol", e.to_string()),
    })
}

/// One agent per seat, and a first mover among the seats, in a person's words.
fn check_seats(scenario: &Scenario, agents: usize, first: usize) -> Result<(), Error> {
    let parties = scenario.party_count();
    let names: Vec<&str> = scenario.seats().iter().map(|s| s.id.as_str()).collect();
    if agents != parties {
        return Err(Error::parameter(
            "agents",
            format!(
                "{} given, but `{}` has {parties} negotiating parties ({}): give one agent per party, in that order",
                plural(agents, "agent"),
                scenario.name(),
                names.join(", ")
            ),
        ));
    }
    if first >= parties {
        return Err(Error::parameter(
            "first",
            format!(
                "there is no party {first}: parties are numbered from 0, so `{}`'s {parties} parties are 0 to {} ({})",
                scenario.name(),
                parties - 1,
                names.iter().enumerate().map(|(i, n)| format!("{i} = {n}")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(())
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A positive number of seconds.
pub(crate) fn seconds(parameter: &'static str, s: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Error::parameter(parameter, format!("{s} is not a positive number of seconds")))
}

/// The containment limits.
pub(crate) fn limits(call: f64, negotiation: f64) -> Result<TimeLimits, Error> {
    Ok(TimeLimits {
        per_call: Some(seconds("call_limit", call)?),
        per_negotiation: Some(seconds("time_limit", negotiation)?),
    })
}

pub(crate) fn sim_error(e: &SimError) -> Error {
    Error::new(ErrorKind::Parameter, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str) -> Case {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases").join(name);
        crate::load_valid(&path).unwrap().loaded.case
    }

    #[test]
    fn a_stage_negotiates_its_day_again_as_a_fresh_preparation_does() {
        let case = case("harbour-truce.toml");
        let options = NegotiateOptions { agents: "boulware,conceder".into(), seed: 3, ..Default::default() };
        let fresh = prepare(&case, &options).unwrap().run(None).unwrap();
        let stage = Stage::of(&case, options.at).unwrap();
        for seed in [3, 3] {
            let again = prepare_on(
                &stage,
                &NegotiateOptions { seed, ..options.clone() },
                parse_agents(&options.agents).unwrap(),
            )
            .unwrap();
            assert!(
                Arc::ptr_eq(&again.scenario, &stage.scenario),
                "the stage's scenario (and its pools) is reused"
            );
            assert_eq!(again.run(None).unwrap(), fresh);
        }
    }

    #[test]
    fn misspelt_names_get_a_suggestion() {
        let Err(e) = parse_agents("boulwar,conceder") else { panic!("boulwar is not an agent") };
        assert_eq!(e.parameter_name(), Some("agents"));
        assert!(e.message().contains("did you mean `boulware`?"), "{e}");
        let e = parse_protocol("shutle").unwrap_err();
        assert!(e.message().contains("did you mean `shuttle`?"), "{e}");
    }

    #[test]
    fn seats_are_explained_in_words() {
        let harbour = case("harbour-truce.toml");
        let one = NegotiateOptions { agents: "boulware".into(), ..NegotiateOptions::default() };
        let e = prepare(&harbour, &one).unwrap_err();
        assert_eq!(e.parameter_name(), Some("agents"));
        assert!(e.message().starts_with("1 agent given, but"), "{e}");
        let first =
            NegotiateOptions { agents: "boulware,conceder".into(), first: 5, ..NegotiateOptions::default() };
        let e = prepare(&harbour, &first).unwrap_err();
        assert_eq!(e.parameter_name(), Some("first"));
        assert!(e.message().starts_with("there is no party 5: parties are numbered from 0"), "{e}");
    }

    #[test]
    fn a_negotiation_runs_and_is_deterministic() {
        let harbour = case("harbour-truce.toml");
        let options =
            NegotiateOptions { agents: "boulware,conceder".into(), seed: 3, ..NegotiateOptions::default() };
        let a = prepare(&harbour, &options).unwrap().run(None).unwrap();
        let b = prepare(&harbour, &options).unwrap().run(None).unwrap();
        assert_eq!(a, b);
        assert!(!a.events.is_empty());
    }
}
