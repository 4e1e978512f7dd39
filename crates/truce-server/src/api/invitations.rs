//! `POST /api/v1/negotiations/{id}/invitations` (the administrator invites one more participant, or
//! issues a new token to one) and `DELETE .../invitations/{participant}` (revokes every token of a
//! participant: its next request gets 401).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::negotiations::check_name;
use crate::app::{AppState, JsonBody};
use crate::error::ApiError;
use crate::store::InvitationRow;
use crate::{now_ms, token};

/// The body of an invitation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// The participant: `mediator`, a party id, or an observer's name.
    pub participant: String,
    /// `mediator`, `party`, `observer` or `guarantor`.
    pub role: String,
}

/// `POST .../invitations`.
pub async fn post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<InviteBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state.admin(&headers).await?;
    check_name(&body.participant)?;
    let rules = state.rules(&id).await?;
    match body.role.as_str() {
        "mediator"
            if body.participant == "mediator" && rules.mediator.as_ref().is_some_and(|m| m.is_human()) => {}
        "party" if rules.seat_of(&body.participant).is_some_and(|s| rules.seats[s].player.is_human()) => {}
        "observer" | "guarantor"
            if body.participant != "mediator" && rules.seat_of(&body.participant).is_none() => {}
        _ => {
            return Err(ApiError::bad_request(format!(
                "`{}` cannot be invited as {}: a human party by its id, the human mediator as `mediator`, an observer or a guarantor by another name",
                body.participant, body.role
            )));
        }
    }
    let secret = token::generate().map_err(|e| ApiError::internal(&e))?;
    state
        .store
        .invite(&InvitationRow {
            token_sha256: token::hash(&secret),
            negotiation_id: id.clone(),
            participant: body.participant.clone(),
            role: body.role.clone(),
            revoked: false,
            created_at: now_ms(),
        })
        .await?;
    let url = format!("{}/n/{id}?token={secret}", state.base_url);
    Ok((
        StatusCode::CREATED,
        Json(json!({"participant": body.participant, "role": body.role, "token": secret, "url": url})),
    ))
}

/// `DELETE .../invitations/{participant}`.
pub async fn delete(
    State(state): State<AppState>,
    Path((id, participant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    state.admin(&headers).await?;
    let revoked = state.store.revoke(&id, &participant).await?;
    Ok(Json(json!({"revoked": revoked})))
}
