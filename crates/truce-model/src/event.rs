//! Observations: one reported fact about a signed agreement's implementation, from one source.
//!
//! An event log (CSV or JSON Lines, read by `truce-formats`) holds one [`Observation`] a row: on a
//! date, so many of a commitment's unit (people released, trucks entered, violations, a deadline done),
//! by an actor, somewhere, as a source reports it in its words. Several sources' accounts of one fact
//! are kept side by side; the analysis reconciles them by the agreement's rule and never averages.

use serde::{Deserialize, Serialize};

use crate::{PartialDate, PartyId, SourceId};

/// One row of an event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// When, as precisely as known (a month or a year counts on its last possible day).
    pub date: PartialDate,
    /// The id of the commitment (or indicator) observed.
    pub commitment: String,
    /// How many of the commitment's unit on that date (at least 0).
    pub quantity: f64,
    /// The unit (the commitment's).
    pub unit: String,
    /// Who delivered (or violated), if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<PartyId>,
    /// Where, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The source reporting it.
    pub source: SourceId,
    /// The source's words, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Anything else worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the row was read (`events.csv:4`), for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}
