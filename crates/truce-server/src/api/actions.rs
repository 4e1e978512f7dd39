//! `POST /api/v1/negotiations/{id}/actions` (a participant's move) and
//! `POST /api/v1/negotiations/{id}/evaluate` (an outcome judged by the bearer's view of the
//! preferences, as a package is built).
//!
//! A move is read against what the engine asks of the bearer's seat: `text` (the mediator tables a
//! text), `offer` (an offer, or a position in shuttle mediation), `accept` / `reject` (an answer; a
//! vote on the mediator's candidate; the mediator's decision on it), `amend` (a rejection with the
//! terms the party would accept instead, recorded as a note), `end` (walk away). A comment is
//! recorded as a note beside the move. The note, the move, and the agents' moves that follow are
//! stored in one transaction before the answer is sent.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use truce::sim::{Action, ActionError, Actor, Ask};

use crate::api::negotiations::{preferences_for, rows_of};
use crate::app::{AppState, JsonBody, Participant};
use crate::error::ApiError;
use crate::store::EventRow;
use crate::view::{self, Role};
use crate::{now_ms, outcome};

/// The longest comment taken, in characters.
pub const MAX_COMMENT: usize = 4000;

/// The body of an action.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `text`, `offer`, `accept`, `reject`, `amend` or `end`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The terms, for `text`, `offer` and `amend`.
    #[serde(default)]
    pub outcome: Option<Map<String, Value>>,
    /// A comment, recorded with the move.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The body of an evaluation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateBody {
    /// The terms.
    pub outcome: Map<String, Value>,
}

fn refused(e: &ActionError) -> ApiError {
    match e {
        ActionError::NotAnOutcome { .. }
        | ActionError::Unacceptable { .. }
        | ActionError::Irrational { .. } => ApiError::unprocessable(e.to_string()),
        _ => ApiError::conflict(e.to_string()),
    }
}

/// `POST /api/v1/negotiations/{id}/actions`.
pub async fn post(
    State(state): State<AppState>,
    who: Participant,
    JsonBody(body): JsonBody<ActionBody>,
) -> Result<Json<Value>, ApiError> {
    let actor = match who.viewer.role {
        Role::Mediator => Actor::Mediator,
        Role::Party(seat) => Actor::Party(seat),
        Role::Observer => {
            return Err(ApiError::forbidden("an observer follows the negotiation and makes no move"));
        }
    };
    if let Some(c) = &body.comment
        && c.chars().count() > MAX_COMMENT
    {
        return Err(ApiError::bad_request(format!("a comment has at most {MAX_COMMENT} characters")));
    }
    let slot = state.slot(&who.negotiation);
    let mut guard = slot.live.lock().await;
    let live = state.load(&who.negotiation, &mut guard).await?;
    let rules = live.rules.clone();
    let space = rules.case.domain.space();
    let terms = body.outcome.as_ref().map(|o| outcome::parse(space, o)).transpose()?;
    let needs_terms = |what: &str| {
        terms
            .clone()
            .ok_or_else(|| ApiError::unprocessable(format!("{what} needs its terms: give \"outcome\"")))
    };
    let request = live
        .engine()
        .request()
        .ok_or_else(|| ApiError::conflict("the negotiation has ended: no more moves are taken"))?;
    if request.actor != actor {
        return Err(ApiError::conflict(format!(
            "it is not your move: {} is asked of {}",
            request.ask.name(),
            rules.actor_name(request.actor)
        )));
    }
    let round = request.round;
    let (action, amendment) = match (body.kind.as_str(), request.ask) {
        ("text", _) => (Action::Text(needs_terms("a text")?), None),
        ("offer", Ask::Position) => (Action::Position(needs_terms("a position")?), None),
        ("offer", _) => (Action::Offer(needs_terms("an offer")?), None),
        ("accept", Ask::Vote { .. }) => (Action::Vote(true), None),
        ("reject", Ask::Vote { .. }) => (Action::Vote(false), None),
        ("accept", Ask::Decide { .. }) => (Action::Decide(true), None),
        ("reject", Ask::Decide { .. }) => (Action::Decide(false), None),
        ("accept", _) => (Action::Accept, None),
        ("reject", _) => (Action::Reject, None),
        ("amend", Ask::Vote { .. }) => (Action::Vote(false), Some(needs_terms("an amendment")?)),
        ("amend", _) => (Action::Reject, Some(needs_terms("an amendment")?)),
        ("end", _) => (Action::End, None),
        (other, _) => {
            return Err(ApiError::bad_request(format!(
                "`{other}` is not an action: use text, offer, accept, reject, amend or end"
            )));
        }
    };
    if terms.is_some() && !matches!(body.kind.as_str(), "text" | "offer" | "amend") {
        return Err(ApiError::bad_request(format!("`{}` takes no outcome", body.kind)));
    }
    let step = live.act(&who.viewer.participant, actor, action).map_err(|e| refused(&e))?;
    let now = now_ms();
    let mut rows: Vec<EventRow> = Vec::new();
    if body.comment.is_some() || amendment.is_some() {
        let note = json!({
            "note": body.kind,
            "party": who.viewer.participant,
            "round": round,
            "comment": body.comment,
            "amendment": amendment.as_ref().map(|a| outcome::to_json(space, a)),
        });
        rows.push(EventRow {
            seq: live.next_seq,
            at: now,
            author: who.viewer.participant.clone(),
            kind: "note".into(),
            body: note.to_string(),
        });
    }
    let first = live.next_seq + i64::try_from(rows.len()).unwrap_or(0);
    rows.extend(rows_of(&rules, first, now, &step.events));
    let count = i64::try_from(rows.len()).unwrap_or(0);
    state.append(&who.negotiation, &slot, &mut guard, &rows).await?;
    if let Some(live) = guard.as_mut() {
        live.next_seq += count;
        live.commit(step);
    }
    drop(guard);
    let seen: Vec<Value> = rows.iter().filter_map(|r| view::row(&rules, &who.viewer, r)).collect();
    Ok(Json(json!({"recorded": seen})))
}

/// `POST /api/v1/negotiations/{id}/evaluate`.
pub async fn evaluate(
    State(state): State<AppState>,
    who: Participant,
    JsonBody(body): JsonBody<EvaluateBody>,
) -> Result<Json<Value>, ApiError> {
    if who.viewer.role == Role::Observer {
        return Err(ApiError::forbidden("an observer sees no evaluation"));
    }
    let rules = state.rules(&who.negotiation).await?;
    let outcome = outcome::parse(rules.case.domain.space(), &body.outcome)?;
    let prefs = preferences_for(&state, &rules, &who.viewer).await?;
    Ok(Json(view::evaluate(&rules, &who.viewer, &prefs, &outcome)))
}
