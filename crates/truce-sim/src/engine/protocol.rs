//! Protocols: the rules of who moves when, what a round is, and what ends a negotiation. One per file.
//!
//! | name | protocol | parties |
//! |---|---|---|
//! | `sao` | stacked alternating offers (Aydogan et al. 2017) | 2 or more |
//! | `single_text` | mediated single negotiating text (Raiffa 1982; Klein et al. 2003) | 2 or more |
//! | `shuttle` | shuttle mediation: private positions, the mediator bridges | 2 or more |
//!
//! An agreement is on a whole outcome: on a phased case, every phase's terms at once.

use serde::{Deserialize, Serialize};

use crate::spec::Spec;
use crate::{Deadline, Scenario, SimError};

/// A negotiation protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Stacked alternating offers, bilateral and multilateral.
    Sao,
    /// Mediated single negotiating text: the mediator proposes, the parties vote.
    SingleText,
    /// Shuttle mediation: the parties never see each other's offers.
    Shuttle,
}

impl Protocol {
    /// Every protocol, in the order `truce agents` lists them.
    pub const ALL: [Protocol; 3] = [Protocol::Sao, Protocol::SingleText, Protocol::Shuttle];

    /// Reads a protocol name (`sao`, `single-text`, `shuttle`; `alternating-offers` and `mediated`
    /// are accepted too).
    ///
    /// # Errors
    /// [`SimError::UnknownName`], or [`SimError::Parameter`] when parameters are given.
    pub fn parse(text: &str) -> Result<Self, SimError> {
        let spec = Spec::parse(text)?;
        let protocol = match spec.name.as_str() {
            "sao" | "alternating_offers" | "stacked_alternating_offers" => Self::Sao,
            "single_text" | "mediated" | "one_text" => Self::SingleText,
            "shuttle" => Self::Shuttle,
            _ => {
                return Err(SimError::UnknownName {
                    kind: "protocol",
                    name: spec.name,
                    expected: "sao, single_text, shuttle".into(),
                });
            }
        };
        if let Some((name, _)) = spec.params.first() {
            return Err(SimError::Parameter {
                owner: protocol.name().into(),
                name: name.clone(),
                reason: "this protocol takes no parameters".into(),
            });
        }
        Ok(protocol)
    }

    /// The protocol's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Sao => "sao",
            Self::SingleText => "single_text",
            Self::Shuttle => "shuttle",
        }
    }

    /// One line on the protocol.
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            Self::Sao => {
                "stacked alternating offers: each party in turn accepts the offer on the table or counters (Aydogan et al. 2017)"
            }
            Self::SingleText => {
                "single negotiating text: a mediator mutates one text, parties vote, the final text is ratified (Raiffa 1982; Klein et al. 2003)"
            }
            Self::Shuttle => {
                "shuttle mediation: parties send private positions, the mediator proposes a bridging text each round"
            }
        }
    }

    pub(crate) fn check(self, scenario: &Scenario, deadline: &Deadline) -> Result<(), SimError> {
        if self == Self::SingleText && deadline.rounds.is_none() {
            return Err(SimError::Deadline {
                reason:
                    "single-text mediation ratifies its text in the last round: give a deadline in rounds"
                        .into(),
            });
        }
        if scenario.party_count() < 2 {
            return Err(SimError::ProtocolParties {
                protocol: self.name().into(),
                requirement: "at least 2 parties",
                scenario: scenario.name().into(),
                parties: scenario.party_count(),
            });
        }
        Ok(())
    }

    /// Whether the protocol has a mediator seat ([`Actor::Mediator`](crate::Actor)).
    #[must_use]
    pub fn is_mediated(self) -> bool {
        matches!(self, Self::SingleText | Self::Shuttle)
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
