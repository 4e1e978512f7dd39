//! `POST /api/v1/negotiations` (the administrator creates one) and `GET /api/v1/negotiations/{id}`
//! (what the bearer's role may see of it).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use truce::model::Preferences;
use truce::sim::{Actor, Ask, Protocol};

use crate::app::{AppState, JsonBody, Participant};
use crate::error::ApiError;
use crate::live::{Live, Player, Rules};
use crate::store::{EventRow, InvitationRow, NegotiationRow};
use crate::view::{self, Role, Viewer};
use crate::{now_ms, outcome, token};

/// The body of `POST /api/v1/negotiations`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNegotiation {
    /// The case, as the text of a Truce case file (TOML).
    pub case: String,
    /// `single_text` (the default), `shuttle` or `sao`.
    #[serde(default = "default_protocol")]
    pub protocol: String,
    /// `neutral` (the default) or `mediator`.
    #[serde(default = "default_disclosure")]
    pub disclosure: String,
    /// The deadline in rounds (default 20).
    #[serde(default = "default_rounds")]
    pub rounds: u32,
    /// Party id (or `mediator`) to `human` (the default) or an agent spec (`boulware(e=0.2)`; for
    /// the mediator, `agent`).
    #[serde(default)]
    pub seats: BTreeMap<String, String>,
    /// The names of observers to invite (none by default).
    #[serde(default)]
    pub observers: Vec<String>,
    /// The names of guarantors to invite (none by default): they follow the negotiation as observers
    /// do and, once it ends in an agreement, record what happened on its monitoring page.
    #[serde(default)]
    pub guarantors: Vec<String>,
    /// The seed of every random choice (agents, the built-in mediator); drawn at random if absent.
    #[serde(default)]
    pub seed: Option<u64>,
}

fn default_protocol() -> String {
    "single_text".into()
}
fn default_disclosure() -> String {
    "neutral".into()
}
fn default_rounds() -> u32 {
    20
}

/// An invitation as the creator receives it: the only time the token is shown.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Invitation {
    /// `mediator`, `party`, `observer` or `guarantor`.
    pub role: String,
    /// The token for `Authorization: Bearer`.
    pub token: String,
    /// The page's link (carrying the token once; the page moves it into a cookie).
    pub url: String,
}

/// The answer to `POST /api/v1/negotiations`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Created {
    /// The negotiation's id.
    pub id: String,
    /// One per participant.
    pub invitations: BTreeMap<String, Invitation>,
}

/// A participant name: letters, digits, `_`, `-`, `.`; 1 to 64 characters.
pub(crate) fn check_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{name:?} is not a participant name: use 1 to 64 letters, digits, `_`, `-` or `.`"
        )))
    }
}

/// Creates a negotiation: checks everything first, then stores it with its invitations, the
/// parties' first preferences (the case's) and its first events in one transaction.
///
/// # Errors
/// A 4xx naming what is wrong; nothing is stored then.
pub async fn create(
    state: &AppState,
    new: NewNegotiation,
    class_id: Option<String>,
) -> Result<Created, ApiError> {
    for name in new.observers.iter().chain(&new.guarantors) {
        check_name(name)?;
    }
    let id = token::id().map_err(|e| ApiError::internal(&e))?;
    let seed = match new.seed {
        Some(s) => s,
        None => {
            let mut bytes = [0_u8; 8];
            getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(&e))?;
            u64::from_le_bytes(bytes) >> 1
        }
    };
    let seats = serde_json::to_string(&new.seats).map_err(|e| ApiError::internal(&e))?;
    let now = now_ms();
    let row = NegotiationRow {
        id: id.clone(),
        created_at: now,
        title: String::new(),
        protocol: new.protocol.clone(),
        disclosure: new.disclosure.clone(),
        rounds: i64::from(new.rounds),
        seed: i64::try_from(seed).map_err(|_| ApiError::bad_request("seed must be below 2^63"))?,
        case_toml: new.case.clone(),
        seats,
        class_id,
    };
    let mut rules = Rules::new(row)?;
    rules.row.title = rules.case.title.clone();
    let rules = Arc::new(rules);
    let (mut live, step) = Live::start(rules.clone())?;
    let rows = rows_of(&rules, 0, now, &step.events);

    let mut participants: Vec<(String, &str)> = Vec::new();
    if matches!(rules.mediator, Some(Player::Human)) {
        participants.push(("mediator".into(), "mediator"));
    }
    for seat in rules.seats.iter().filter(|s| s.player.is_human()) {
        participants.push((seat.id.clone(), "party"));
    }
    let watchers =
        new.observers.iter().map(|n| (n, "observer")).chain(new.guarantors.iter().map(|n| (n, "guarantor")));
    for (name, role) in watchers {
        if participants.iter().any(|(p, _)| p == name) {
            return Err(ApiError::bad_request(format!(
                "{role} `{name}` has the name of another participant"
            )));
        }
        participants.push((name.clone(), role));
    }
    let mut invitations = BTreeMap::new();
    let mut stored = Vec::new();
    for (participant, role) in participants {
        let secret = token::generate().map_err(|e| ApiError::internal(&e))?;
        stored.push(InvitationRow {
            token_sha256: token::hash(&secret),
            negotiation_id: id.clone(),
            participant: participant.clone(),
            role: role.into(),
            revoked: false,
            created_at: now,
        });
        let url = format!("{}/n/{id}?token={secret}", state.base_url);
        invitations.insert(participant, Invitation { role: role.into(), token: secret, url });
    }
    let mut preferences = Vec::new();
    for (k, seat) in rules.seats.iter().enumerate() {
        if seat.player.is_human()
            && let Some(p) = rules.case_preferences(k)
        {
            preferences
                .push((seat.id.clone(), serde_json::to_string(p).map_err(|e| ApiError::internal(&e))?));
        }
    }
    state.store.create(&rules.row, &stored, &preferences, &rows).await?;
    live.next_seq = i64::try_from(rows.len()).unwrap_or(0);
    live.commit(step);
    let slot = state.slot(&id);
    *slot.live.lock().await = Some(live);
    Ok(Created { id, invitations })
}

/// Stored rows for engine events, numbered from `first`.
pub(crate) fn rows_of(
    _rules: &Rules,
    first: i64,
    at: i64,
    events: &[(String, truce::sim::Event)],
) -> Vec<EventRow> {
    events
        .iter()
        .zip(first..)
        .map(|((author, event), seq)| EventRow {
            seq,
            at,
            author: author.clone(),
            kind: "engine".into(),
            body: serde_json::to_string(event).unwrap_or_default(),
        })
        .collect()
}

/// `POST /api/v1/negotiations`.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(new): JsonBody<NewNegotiation>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    state.admin(&headers).await?;
    Ok((StatusCode::CREATED, Json(create(&state, new, None).await?)))
}

/// The parties' current preferences, by seat: the stored ones for people, the case's for agents.
pub(crate) async fn current_preferences(
    state: &AppState,
    rules: &Rules,
) -> Result<Vec<Option<Preferences>>, ApiError> {
    let mut out = Vec::new();
    for (k, seat) in rules.seats.iter().enumerate() {
        if seat.player.is_human() {
            let body = state.store.preferences(&rules.row.id, &seat.id).await?;
            out.push(body.and_then(|b| serde_json::from_str(&b).ok()));
        } else {
            out.push(rules.case_preferences(k).cloned());
        }
    }
    Ok(out)
}

/// The preferences `viewer` may use to judge outcomes: its own (a party), every party's (the
/// mediator: `view::evaluate` shows only verdicts under neutral disclosure), none (an observer).
pub(crate) async fn preferences_for(
    state: &AppState,
    rules: &Rules,
    viewer: &Viewer,
) -> Result<Vec<Option<Preferences>>, ApiError> {
    Ok(match viewer.role {
        Role::Observer => Vec::new(),
        Role::Mediator => current_preferences(state, rules).await?,
        Role::Party(seat) => {
            let mut all = vec![None; rules.seats.len()];
            let body = state.store.preferences(&rules.row.id, &rules.seats[seat].id).await?;
            all[seat] = body.and_then(|b| serde_json::from_str(&b).ok());
            all
        }
    })
}

/// The kind of move asked, in the API's words.
fn ask_name(ask: &Ask<'_>) -> &'static str {
    match ask {
        Ask::Offer => "offer",
        Ask::Answer { .. } => "answer",
        Ask::Vote { .. } => "vote",
        Ask::Position => "position",
        Ask::Text { .. } => "text",
        Ask::Decide { .. } => "decision",
    }
}

/// What `viewer` may see of a negotiation.
pub(crate) async fn view_of(state: &AppState, who: &Participant) -> Result<Value, ApiError> {
    let slot = state.slot(&who.negotiation);
    let mut guard = slot.live.lock().await;
    let live = state.load(&who.negotiation, &mut guard).await?;
    let rules = live.rules.clone();
    let engine = live.engine().clone();
    drop(guard);
    let viewer = &who.viewer;
    let space = rules.case.domain.space();
    let rows = state.store.events(&who.negotiation, 0).await?;
    let events: Vec<Value> = rows.iter().filter_map(|r| view::row(&rules, viewer, r)).collect();
    let prefs = preferences_for(state, &rules, viewer).await?;
    let judge = |o: &[u32]| view::evaluate(&rules, viewer, &prefs, o);

    let mut table = serde_json::Map::new();
    let turn = engine.request().map(|request| {
        let actor = request.actor;
        let yours = match (actor, viewer.role) {
            (Actor::Mediator, Role::Mediator) => true,
            (Actor::Party(a), Role::Party(b)) => a == b,
            _ => false,
        };
        match request.ask {
            Ask::Answer { offer, from } => {
                table.insert("text".into(), json!({"terms": outcome::to_json(space, offer), "outcome": offer,
                    "from": from.map_or_else(|| "mediator".to_owned(), |s| rules.actor_name(Actor::Party(s))),
                    "evaluation": judge(offer)}));
            }
            Ask::Vote { candidate, incumbent } | Ask::Decide { candidate, incumbent, .. } => {
                table.insert("text".into(), json!({"terms": outcome::to_json(space, incumbent), "outcome": incumbent, "evaluation": judge(incumbent)}));
                table.insert("candidate".into(), json!({"terms": outcome::to_json(space, candidate), "outcome": candidate, "evaluation": judge(candidate)}));
            }
            Ask::Text { text: Some(text), .. } => {
                table.insert("text".into(), json!({"terms": outcome::to_json(space, text), "outcome": text, "evaluation": judge(text)}));
            }
            _ => {}
        }
        if let (Ask::Decide { votes, objections, .. }, Role::Mediator) = (request.ask, viewer.role) {
            let named = |flags: &[bool]| -> Value {
                Value::Object(rules.seats.iter().zip(flags).map(|(s, v)| (s.id.clone(), json!(v))).collect())
            };
            table.insert("votes".into(), named(votes));
            table.insert("objections".into(), named(objections));
        }
        if let (Ask::Text { positions, .. }, Role::Mediator) = (request.ask, viewer.role) {
            let named: serde_json::Map<String, Value> = rules
                .seats
                .iter()
                .zip(positions)
                .filter(|(_, p)| !p.is_empty())
                .map(|(s, p)| (s.id.clone(), outcome::to_json(space, p)))
                .collect();
            table.insert("positions".into(), Value::Object(named));
        }
        json!({"actor": rules.actor_name(actor), "asked": ask_name(&request.ask), "round": request.round, "yours": yours})
    });
    let result = engine.result();
    let status = match result {
        None => "open",
        Some(r) => match r.status {
            truce::sim::Status::Agreement => "agreed",
            truce::sim::Status::NoAgreement => "no_agreement",
            truce::sim::Status::Ended => "ended",
            _ => "failed",
        },
    };
    let agreement = result
        .and_then(|r| r.agreement.as_ref())
        .map(|a| json!({"terms": outcome::to_json(space, a), "outcome": a, "evaluation": judge(a)}));
    let issues: Vec<Value> = space
        .issues()
        .iter()
        .enumerate()
        .map(|(k, i)| json!({"name": i.name, "description": i.description, "values": outcome::values(space, k)}))
        .collect();
    let phases: Vec<Value> = rules
        .case
        .domain
        .phases()
        .iter()
        .map(|p| {
            json!({"name": p.name, "duration_days": p.duration_days, "next_condition": p.next_condition,
                "issues": p.issues.iter().filter_map(|i| space.issues().get(i.index()).map(|i| i.name.clone())).collect::<Vec<_>>()})
        })
        .collect();
    let parties: Vec<Value> = rules
        .seats
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name, "player": if s.player.is_human() { "human" } else { "agent" }}))
        .collect();
    Ok(json!({
        "id": rules.row.id,
        "title": rules.case.title,
        "description": rules.case.description,
        "protocol": rules.protocol.name(),
        "mediated": rules.protocol != Protocol::Sao,
        "disclosure": rules.disclosure.name(),
        "rounds": rules.row.rounds,
        "you": {"participant": viewer.participant, "role": viewer.role.name()},
        "status": status,
        "round": engine.round(),
        "turn": turn,
        "table": table,
        "agreement": agreement,
        "issues": issues,
        "phases": phases,
        "parties": parties,
        "mediator": rules.mediator.as_ref().map(|m| if m.is_human() { "human" } else { "agent" }),
        "events": events,
    }))
}

/// `GET /api/v1/negotiations/{id}`.
pub async fn get(State(state): State<AppState>, who: Participant) -> Result<Json<Value>, ApiError> {
    Ok(Json(view_of(&state, &who).await?))
}
