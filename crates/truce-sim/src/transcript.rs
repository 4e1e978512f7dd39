//! Transcripts: every offer, response, vote and mediator text of a negotiation, with its round, its
//! normalised time and every party's utility, written as JSON Lines.
//!
//! The first line is a [`Event::Start`] header (format name and version, scenario, protocol, parties
//! and their agents, issues and their values, deadline, seed); the last is the [`Event::Result`]. Each
//! line in between is one event, tagged by `"event"`. Outcomes are arrays of value indices in issue
//! order (the header lists each issue's values); `utilities` are every party's undiscounted utility,
//! in party order, of the outcome the event is about, with `null` for a party whose preferences the
//! engine does not hold (a person's seat: its header `reservation` is `null` too).
//!
//! A transcript is also the negotiation's save file: [`Engine::resume`](crate::Engine::resume)
//! continues a negotiation from its events alone.
//!
//! **Version 2** (this one) added the mediator's [`Event::Decision`] (which replaced version 1's
//! `adopt`, written only when a candidate was adopted), the header's `mediator`, and `null` for
//! unknown utilities and reservation values.
//!
//! With a deadline in rounds, a transcript depends only on the scenario, the agents, the protocol and
//! the seed: the same inputs give the same bytes, whatever the machine or the number of threads.
//! Wall-clock durations are never written.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::{NegotiationResult, Outcome};

/// The transcript format's name, in every header.
pub const TRANSCRIPT_FORMAT: &str = "truce-transcript";
/// The transcript format's version; bumped on any incompatible change (3: single-text negotiations
/// poll the parties in the last tenth of the rounds, so a version-2 single-text transcript replays
/// differently).
pub const TRANSCRIPT_VERSION: u32 = 3;

/// One line of a transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The header.
    Start(Box<Header>),
    /// A party's offer, on the table for the others (alternating offers).
    Offer {
        /// Round, from 0.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The offering party's seat.
        party: usize,
        /// The outcome.
        outcome: Outcome,
        /// Every party's utility of it (`None` where the engine does not hold the preferences).
        utilities: Vec<Option<f64>>,
    },
    /// A party accepts the offer or text on the table.
    Accept {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The party.
        party: usize,
    },
    /// A party rejects the offer or text on the table.
    Reject {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The party.
        party: usize,
    },
    /// A party walks away.
    End {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The party.
        party: usize,
    },
    /// A party's private position, seen only by the mediator (shuttle mediation).
    Position {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The party.
        party: usize,
        /// The position.
        outcome: Outcome,
        /// Every party's utility of it (`None` where the engine does not hold the preferences).
        utilities: Vec<Option<f64>>,
    },
    /// A text the mediator puts to the parties.
    Text {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The text.
        outcome: Outcome,
        /// Every party's utility of it (`None` where the engine does not hold the preferences).
        utilities: Vec<Option<f64>>,
    },
    /// A party's vote on the mediator's candidate text (single-text mediation).
    Vote {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// The party.
        party: usize,
        /// Whether the party prefers the candidate to the current text.
        accept: bool,
    },
    /// The mediator's decision on the candidate text, having seen the votes (single-text
    /// mediation): adopt it as the text, or keep the current one.
    Decision {
        /// Round.
        round: u32,
        /// Normalised time.
        time: f64,
        /// Whether the candidate replaces the current text.
        adopt: bool,
    },
    /// How the negotiation ended.
    Result(Box<NegotiationResult>),
}

/// A transcript's first line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`TRANSCRIPT_FORMAT`].
    pub format: String,
    /// [`TRANSCRIPT_VERSION`].
    pub format_version: u32,
    /// The Truce version that wrote it.
    pub truce_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The protocol's name.
    pub protocol: String,
    /// The parties, by seat.
    pub parties: Vec<PartyHeader>,
    /// Who plays the mediator, in a mediated protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator: Option<String>,
    /// The issues, in outcome order.
    pub issues: Vec<IssueHeader>,
    /// The seat that moves first.
    pub first: usize,
    /// The deadline in rounds, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u32>,
    /// The deadline in seconds, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// The negotiation's seed.
    pub seed: u64,
}

/// A party in a transcript header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyHeader {
    /// The party's id in the scenario.
    pub id: String,
    /// Who plays it: an agent's label, or `person`.
    pub agent: String,
    /// The party's reservation value; `null` when the engine does not hold the party's preferences.
    pub reservation: Option<f64>,
}

/// An issue in a transcript header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueHeader {
    /// The issue's name.
    pub name: String,
    /// Its values in index order (omitted beyond 1000 values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// How many values it has.
    pub cardinality: u32,
}

/// Writes events as JSON Lines.
///
/// # Errors
/// When `out` fails.
pub fn write_jsonl(events: &[Event], out: &mut dyn Write) -> std::io::Result<()> {
    for event in events {
        serde_json::to_writer(&mut *out, event)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A transcript line that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct TranscriptError {
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Reads JSON Lines events (blank lines skipped). A header of another format or version is refused.
///
/// # Errors
/// The 1-based line number and the reason of the first line that is not an event of this version.
pub fn read_jsonl(text: &str) -> Result<Vec<Event>, TranscriptError> {
    let mut events = Vec::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line = i + 1;
        let event: Event = serde_json::from_str(l).map_err(|e| {
            let reason = if e.is_eof() {
                format!("the line is cut short (a truncated transcript?): {e}")
            } else {
                format!("not a transcript event: {e}")
            };
            TranscriptError { line, reason }
        })?;
        if let Event::Start(h) = &event
            && (h.format != TRANSCRIPT_FORMAT || h.format_version != TRANSCRIPT_VERSION)
        {
            return Err(TranscriptError {
                line,
                reason: format!(
                    "a `{}` version {} header: this Truce reads `{TRANSCRIPT_FORMAT}` version {TRANSCRIPT_VERSION}",
                    h.format, h.format_version
                ),
            });
        }
        events.push(event);
    }
    Ok(events)
}
