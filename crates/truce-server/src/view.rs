//! What each role may see: the one place that decides it, so that every page, endpoint, event
//! stream, transcript and export shows the same.
//!
//! - **A party** sees the public record (the header, texts and offers on the table, the mediator's
//!   decisions, the result), its own private moves (positions, votes, answers in a mediated
//!   protocol), its own notes, and its own utilities only: another party's utility, reservation
//!   value or preferences never.
//! - **The mediator** sees every move and note; utilities and reservation values only under
//!   `mediator` disclosure. Under `neutral` disclosure it sees verdicts only ([`evaluate`]).
//! - **An observer** sees the public record, without any utility.

use serde_json::{Value, json};
use truce::model::{Case, Preferences};
use truce::report::html::Utilities;
use truce::sim::{Event, Protocol};

use crate::live::{Disclosure, Rules};
use crate::outcome;
use crate::store::EventRow;

/// A participant's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The mediator.
    Mediator,
    /// The party in this seat.
    Party(usize),
    /// An observer (or a guarantor).
    Observer,
}

impl Role {
    /// The role's name: `mediator`, `party` or `observer`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Mediator => "mediator",
            Self::Party(_) => "party",
            Self::Observer => "observer",
        }
    }
}

/// Who is looking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The participant (`mediator`, a party id, an observer's name).
    pub participant: String,
    /// Its role.
    pub role: Role,
}

impl Viewer {
    /// Whether this viewer may see party `seat`'s utilities.
    fn sees_utilities_of(&self, seat: usize, disclosure: Disclosure) -> bool {
        match self.role {
            Role::Party(own) => own == seat,
            Role::Mediator => disclosure == Disclosure::Mediator,
            Role::Observer => false,
        }
    }

    /// Whether this viewer sees party `seat`'s private moves.
    fn sees_moves_of(&self, seat: usize) -> bool {
        match self.role {
            Role::Party(own) => own == seat,
            Role::Mediator => true,
            Role::Observer => false,
        }
    }
}

fn mask(utilities: &mut [Option<f64>], viewer: &Viewer, disclosure: Disclosure) {
    for (k, u) in utilities.iter_mut().enumerate() {
        if !viewer.sees_utilities_of(k, disclosure) {
            *u = None;
        }
    }
}

/// The engine event as `viewer` may see it, or `None` when it is not theirs to see.
#[must_use]
pub fn event(rules: &Rules, viewer: &Viewer, event: &Event) -> Option<Event> {
    let disclosure = rules.disclosure;
    let public_answers = rules.protocol == Protocol::Sao;
    let mut event = event.clone();
    match &mut event {
        Event::Start(header) => {
            for (k, party) in header.parties.iter_mut().enumerate() {
                if !viewer.sees_utilities_of(k, disclosure) {
                    party.reservation = None;
                }
            }
        }
        Event::Offer { utilities, .. } | Event::Text { utilities, .. } => mask(utilities, viewer, disclosure),
        Event::Position { party, utilities, .. } => {
            if !viewer.sees_moves_of(*party) {
                return None;
            }
            mask(utilities, viewer, disclosure);
        }
        Event::Vote { party, .. } => {
            if !viewer.sees_moves_of(*party) {
                return None;
            }
        }
        Event::Accept { party, .. } | Event::Reject { party, .. } | Event::End { party, .. } => {
            if !public_answers && !viewer.sees_moves_of(*party) {
                return None;
            }
        }
        Event::Decision { .. } => {}
        Event::Result(result) => {
            let mut utilities: Vec<Option<f64>> = result.utilities.clone();
            mask(&mut utilities, viewer, disclosure);
            result.utilities = utilities;
        }
    }
    Some(event)
}

/// A stored event as `viewer` may see it, for people and scripts: `{seq, at, author, kind, event}`
/// with the outcome's terms by name; `None` when it is not theirs to see.
#[must_use]
pub fn row(rules: &Rules, viewer: &Viewer, row: &EventRow) -> Option<Value> {
    let space = rules.case.domain.space();
    let body = match row.kind.as_str() {
        "engine" => {
            let parsed: Event = serde_json::from_str(&row.body).ok()?;
            let seen = event(rules, viewer, &parsed)?;
            let mut value = serde_json::to_value(&seen).ok()?;
            let outcome = match &seen {
                Event::Offer { outcome, .. }
                | Event::Position { outcome, .. }
                | Event::Text { outcome, .. } => Some(outcome.clone()),
                Event::Result(r) => r.agreement.clone(),
                _ => None,
            };
            if let (Some(o), Some(map)) = (outcome, value.as_object_mut()) {
                map.insert("terms".into(), outcome::to_json(space, &o));
            }
            if let Some(map) = value.as_object_mut()
                && let Some(party) = map.get("party").and_then(Value::as_u64)
            {
                let name = usize::try_from(party).ok().and_then(|p| rules.seats.get(p)).map(|s| s.id.clone());
                map.insert("party_id".into(), json!(name));
            }
            value
        }
        "note" => {
            let note: Value = serde_json::from_str(&row.body).ok()?;
            let party = note.get("party").and_then(Value::as_str).unwrap_or_default();
            let mine = viewer.participant == party;
            if !(mine || viewer.role == Role::Mediator) {
                return None;
            }
            note
        }
        _ => return None,
    };
    // Agents' moves, the administrator's, the viewer's own, and (for the mediator, or in alternating
    // offers) everyone's name their author; a party does not learn who moved privately.
    let named = row.author.starts_with("agent:")
        || row.author == "admin"
        || row.author == viewer.participant
        || viewer.role == Role::Mediator
        || rules.protocol == Protocol::Sao;
    let author = if named { row.author.clone() } else { String::new() };
    Some(json!({"seq": row.seq, "at": row.at, "author": author, "kind": row.kind, "event": body}))
}

/// Whether `viewer` gets the analysis views (the frontier plot, the verdicts, the history chart) and
/// with what: a party, computed from its own preferences alone, with its utilities; the mediator,
/// from every party's, with utilities under `mediator` disclosure only; an observer, none (`None`).
/// The caller analyses the record with the preferences [`crate::api`]'s `preferences_for` gives the
/// viewer, so that no view of a party is computed from another party's preferences.
#[must_use]
pub fn analysis(rules: &Rules, viewer: &Viewer) -> Option<Utilities> {
    match viewer.role {
        Role::Party(_) => Some(Utilities::Shown),
        Role::Mediator if rules.disclosure == Disclosure::Mediator => Some(Utilities::Shown),
        Role::Mediator => Some(Utilities::Hidden),
        // An observer, and any role without a rule of its own here: nothing computed from a
        // preference.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// How one party judges an outcome by its preferences: utility, whether it may agree, the red lines
/// it breaks (those in force on the case's date).
#[must_use]
pub fn judge(case: &Case, prefs: &Preferences, outcome: &[u32]) -> Value {
    let prefs = prefs.in_force(case.as_of);
    let utility = prefs.utility(&case.domain, outcome);
    let broken: Vec<&str> = prefs.broken_red_lines(&case.domain, outcome).map(|r| r.name.as_str()).collect();
    json!({
        "utility": utility,
        "reservation": prefs.reservation,
        "acceptable": prefs.accepts(&case.domain, outcome),
        "breaks": broken,
    })
}

/// An outcome judged for `viewer` by the parties' current preferences (`prefs` by seat; `None` where
/// a party has none): a party's own judgement; for the mediator each party's verdict and broken red
/// lines, with utilities and reservation values only under `mediator` disclosure; nothing for an
/// observer.
#[must_use]
pub fn evaluate(rules: &Rules, viewer: &Viewer, prefs: &[Option<Preferences>], outcome: &[u32]) -> Value {
    let case = &rules.case;
    match viewer.role {
        Role::Party(seat) => match prefs.get(seat).and_then(Option::as_ref) {
            Some(p) => judge(case, p, outcome),
            None => Value::Null,
        },
        Role::Mediator => {
            let parties: Vec<Value> = rules
                .seats
                .iter()
                .enumerate()
                .map(|(k, seat)| {
                    let Some(p) = prefs.get(k).and_then(Option::as_ref) else {
                        return json!({"party": seat.id, "acceptable": Value::Null, "breaks": []});
                    };
                    let mut judged = judge(case, p, outcome);
                    if rules.disclosure == Disclosure::Neutral
                        && let Some(map) = judged.as_object_mut()
                    {
                        map.remove("utility");
                        map.remove("reservation");
                    }
                    if let Some(map) = judged.as_object_mut() {
                        map.insert("party".into(), json!(seat.id));
                    }
                    judged
                })
                .collect();
            let all = parties.iter().all(|p| p.get("acceptable") == Some(&Value::Bool(true)));
            json!({"parties": parties, "acceptable_to_all": all})
        }
        Role::Observer => Value::Null,
    }
}
