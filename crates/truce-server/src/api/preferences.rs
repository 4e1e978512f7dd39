//! `GET` and `PUT /api/v1/negotiations/{id}/preferences`: a party's own private preferences (the
//! model's JSON: utility, reservation value, red lines, discount, phase beliefs), and nothing else;
//! the mediator reads every party's only under `mediator` disclosure.

use axum::Json;
use axum::extract::State;
use serde_json::Value;
use truce::model::{Preferences, Severity};

use crate::api::negotiations::current_preferences;
use crate::app::{AppState, JsonBody, Participant};
use crate::error::ApiError;
use crate::live::Disclosure;
use crate::now_ms;
use crate::view::Role;

fn own_seat(who: &Participant) -> Result<usize, ApiError> {
    match who.viewer.role {
        Role::Party(seat) => Ok(seat),
        _ => Err(ApiError::forbidden("only a party has preferences here: each party sees and edits its own")),
    }
}

/// `GET`: the bearer party's preferences (`null` when it has none yet); for the mediator under
/// `mediator` disclosure, every party's, by id.
pub async fn get(State(state): State<AppState>, who: Participant) -> Result<Json<Value>, ApiError> {
    if who.viewer.role == Role::Mediator {
        let rules = state.rules(&who.negotiation).await?;
        if rules.disclosure != Disclosure::Mediator {
            return Err(ApiError::forbidden(
                "under neutral disclosure the mediator sees verdicts, never the parties' preferences",
            ));
        }
        let all = current_preferences(&state, &rules).await?;
        let map: serde_json::Map<String, Value> = rules
            .seats
            .iter()
            .zip(all)
            .map(|(seat, p)| (seat.id.clone(), serde_json::to_value(p).unwrap_or(Value::Null)))
            .collect();
        return Ok(Json(Value::Object(map)));
    }
    own_seat(&who)?;
    let body = state.store.preferences(&who.negotiation, &who.viewer.participant).await?;
    let value = match body {
        Some(b) => serde_json::from_str(&b).map_err(|e| ApiError::internal(&e))?,
        None => Value::Null,
    };
    Ok(Json(value))
}

/// `PUT`: replaces the bearer party's preferences, after the model's checks.
pub async fn put(
    State(state): State<AppState>,
    who: Participant,
    JsonBody(prefs): JsonBody<Preferences>,
) -> Result<Json<Value>, ApiError> {
    let seat = own_seat(&who)?;
    let rules = state.rules(&who.negotiation).await?;
    if !rules.seats[seat].player.is_human() {
        return Err(ApiError::forbidden("an agent plays this seat with the case's preferences"));
    }
    let mut case = rules.case.clone();
    let party = case
        .parties
        .iter_mut()
        .find(|p| p.id == who.viewer.participant)
        .ok_or_else(ApiError::unauthorized)?;
    party.preferences = Some(prefs.clone());
    let errors: Vec<String> = case
        .validate()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| match &p.hint {
            Some(h) => format!("{} ({h})", p.message),
            None => p.message.clone(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(format!(
            "these preferences do not pass the model's checks: {}",
            errors.join("; ")
        )));
    }
    let body = serde_json::to_string(&prefs).map_err(|e| ApiError::internal(&e))?;
    state.store.set_preferences(&who.negotiation, &who.viewer.participant, &body, now_ms()).await?;
    Ok(Json(serde_json::to_value(&prefs).map_err(|e| ApiError::internal(&e))?))
}
