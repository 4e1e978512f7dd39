//! Agents: the [`Agent`] interface, one strategy per file, and the registry that names them.
//!
//! Strategies are named with the small syntax of [`Spec`](crate::Spec): `boulware`,
//! `boulware(e=0.1)`, `random(p_accept=0.2)`. [`registry`] lists them with their parameters, which is
//! what `truce agents` prints.

mod aspiration;
mod hardheaded;
mod interface;
mod micro;
mod naive_tit_for_tat;
mod nice_tit_for_tat;
mod opponent;
mod random;
mod time_dependent;

use rand_chacha::ChaCha8Rng;

pub use aspiration::Aspiration;
pub use hardheaded::HardHeaded;
pub use interface::{Agent, AgentFactory, Answer, Offer, Outcome, Turn, conceding_vote, truthful_vote};
pub use micro::Micro;
pub use naive_tit_for_tat::NaiveTitForTat;
pub use nice_tit_for_tat::NiceTitForTat;
pub use opponent::FrequencyModel;
pub use random::Random;
pub use time_dependent::TimeDependent;

use crate::spec::{self, ParamInfo, Spec};
use crate::{OutcomePool, PartyView, SimError};

type Build = fn(&[f64], PartyView, ChaCha8Rng) -> Box<dyn Agent>;

/// A registered strategy: its name, what it does, where it comes from, and its parameters.
#[derive(Debug)]
pub struct AgentInfo {
    /// The name used on the command line.
    pub name: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// The paper or system it follows.
    pub reference: &'static str,
    /// Its parameters.
    pub params: &'static [ParamInfo],
    build: Build,
}

const BOULWARE: [ParamInfo; 1] = time_dependent::params(0.2);
const LINEAR: [ParamInfo; 1] = time_dependent::params(1.0);
const CONCEDER: [ParamInfo; 1] = time_dependent::params(2.0);
const FARATIN: &str = "Faratin, Sierra & Jennings (1998), Robotics and Autonomous Systems 24(3-4)";

static REGISTRY: [AgentInfo; 10] = [
    AgentInfo {
        name: "boulware",
        summary: "time-dependent, concedes late: target = Pmin + (Pmax - Pmin)(1 - t^(1/e))",
        reference: FARATIN,
        params: &BOULWARE,
        build: TimeDependent::build,
    },
    AgentInfo {
        name: "linear",
        summary: "time-dependent, concedes at a constant rate",
        reference: FARATIN,
        params: &LINEAR,
        build: TimeDependent::build,
    },
    AgentInfo {
        name: "conceder",
        summary: "time-dependent, concedes early",
        reference: FARATIN,
        params: &CONCEDER,
        build: TimeDependent::build,
    },
    AgentInfo {
        name: "hardliner",
        summary: "time-dependent with e = 0: always offers its best outcome",
        reference: FARATIN,
        params: &[],
        build: |_, view, rng| TimeDependent::build(&[0.0], view, rng),
    },
    AgentInfo {
        name: "naive_tit_for_tat",
        summary: "mirrors each opponent concession, measured in its own utility",
        reference: "Axelrod (1984); Faratin et al. (1998) imitative tactics; NegMAS NaiveTitForTatNegotiator",
        params: &naive_tit_for_tat::PARAMS,
        build: NaiveTitForTat::build,
    },
    AgentInfo {
        name: "nice_tit_for_tat",
        summary: "reciprocates concession towards the estimated Nash point, never retaliates",
        reference: "Baarslag, Hindriks & Jonker (2013), Complex Automated Negotiations, SCI 435",
        params: &[],
        build: NiceTitForTat::build,
    },
    AgentInfo {
        name: "aspiration",
        summary: "NegMAS's polynomial aspiration curve: target share = max(1 - t^e)",
        reference: "Siegel & Fouraker (1960); NegMAS AspirationNegotiator",
        params: &aspiration::PARAMS,
        build: Aspiration::build,
    },
    AgentInfo {
        name: "micro",
        summary: "concedes one outcome at a time, only when it has sent no more distinct offers than received",
        reference: "de Jonge (2022), IJCAI 2022",
        params: &[],
        build: Micro::build,
    },
    AgentInfo {
        name: "hardheaded",
        summary: "Boulware target, offers chosen with a frequency opponent model",
        reference: "van Krimpen, Looije & Hajizadeh (2013), HardHeaded, ANAC 2011",
        params: &hardheaded::PARAMS,
        build: HardHeaded::build,
    },
    AgentInfo {
        name: "random",
        summary: "random acceptable offers; accepts with probability p_accept",
        reference: "baseline; NegMAS RandomNegotiator",
        params: &random::PARAMS,
        build: Random::build,
    },
];

/// Every registered strategy, in the order `truce agents` lists them.
#[must_use]
pub fn registry() -> &'static [AgentInfo] {
    &REGISTRY
}

/// A registered strategy with its parameter values: what `--agents boulware(e=0.1)` names.
#[derive(Clone, Debug)]
pub struct AgentSpec {
    info: &'static AgentInfo,
    values: Vec<f64>,
}

impl AgentSpec {
    /// Reads `name` or `name(key=value, ...)`.
    ///
    /// # Errors
    /// [`SimError::Syntax`], [`SimError::UnknownName`] or [`SimError::Parameter`].
    pub fn parse(text: &str) -> Result<Self, SimError> {
        let spec = Spec::parse(text)?;
        let info = REGISTRY.iter().find(|a| a.name == spec.name).ok_or_else(|| SimError::UnknownName {
            kind: "agent",
            name: spec.name.clone(),
            expected: REGISTRY.iter().map(|a| a.name).collect::<Vec<_>>().join(", "),
        })?;
        let values = spec::resolve(info.name, info.params, &spec)?;
        Ok(Self { info, values })
    }

    /// Reads a comma-separated list, where commas inside parentheses belong to parameters:
    /// `boulware,random(p_accept=0.2,p_end=0.1),micro`.
    ///
    /// # Errors
    /// As [`AgentSpec::parse`], for the first bad entry.
    pub fn parse_list(text: &str) -> Result<Vec<Self>, SimError> {
        split_list(text).into_iter().map(Self::parse).collect()
    }

    /// The strategy.
    #[must_use]
    pub fn info(&self) -> &'static AgentInfo {
        self.info
    }

    /// The parameter values, in the order of `info().params`.
    #[must_use]
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

impl AgentFactory for AgentSpec {
    fn label(&self) -> String {
        spec::label(self.info.name, self.info.params, &self.values)
    }

    fn build(&self, view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent> {
        (self.info.build)(&self.values, view, rng)
    }

    fn strategy(&self) -> String {
        self.info.name.to_string()
    }

    fn parameters(&self) -> Vec<(String, f64)> {
        self.info.params.iter().zip(&self.values).map(|(p, v)| (p.name.to_string(), *v)).collect()
    }
}

/// Splits `a,b(x=1,y=2),c` at the commas outside parentheses.
#[must_use]
pub fn split_list(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// Among the outcomes worth between `target` and `target + window` to the agent (at most 256 of them,
/// nearest the target first), the one `model` rates best for the opponents; ties go to the better one
/// for the agent. The outcome closest above `target` when the band is empty.
pub(crate) fn best_for_opponent(
    pool: &OutcomePool,
    target: f64,
    window: f64,
    model: &FrequencyModel,
) -> usize {
    const MAX_CANDIDATES: usize = 256;
    let worst = pool.closest_above(target);
    let best = pool.at_least(target + window).min(worst).max(worst.saturating_sub(MAX_CANDIDATES - 1));
    let mut choice = (f64::NEG_INFINITY, worst);
    for rank in best..=worst {
        let v = model.utility(pool.outcome(rank));
        if v > choice.0 {
            choice = (v, rank);
        }
    }
    choice.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_name_parses_and_labels_round_trip() {
        for info in registry() {
            let spec = AgentSpec::parse(info.name).unwrap();
            assert_eq!(spec.label(), info.name);
        }
        let spec = AgentSpec::parse("Boulware(e=0.1)").unwrap();
        assert_eq!(spec.label(), "boulware(e=0.1)");
        assert_eq!(AgentSpec::parse(&spec.label()).unwrap().values(), &[0.1]);
    }

    #[test]
    fn unknown_names_and_parameters_are_clear_errors() {
        let e = AgentSpec::parse("bouldware").unwrap_err();
        assert!(e.to_string().contains("unknown agent `bouldware`"), "{e}");
        assert!(e.to_string().contains("boulware"), "{e}");
        assert!(matches!(AgentSpec::parse("micro(e=1)"), Err(SimError::Parameter { .. })));
        assert!(matches!(AgentSpec::parse("random(p_accept=2)"), Err(SimError::Parameter { .. })));
    }

    #[test]
    fn lists_split_outside_parentheses() {
        assert_eq!(split_list("a, b(x=1,y=2) ,c"), vec!["a", "b(x=1,y=2)", "c"]);
        let specs = AgentSpec::parse_list("boulware,random(p_accept=0.2,p_end=0.1)").unwrap();
        assert_eq!(specs[1].values(), &[0.2, 0.1]);
    }
}
