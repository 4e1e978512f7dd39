//! The monitoring of an agreement reached live (issue 12): once every party has accepted the same
//! text, the agreement is signed on the day it was reached, with the provisions and declared
//! commitments of the case the negotiation was opened on ([`truce::sign_live_agreement`]), and
//! followed against the observations the monitors record.
//!
//! - `POST /api/v1/negotiations/{id}/monitoring/events`: one observation (date, commitment,
//!   quantity, unit, actor, place, source, quote, note), read by the event-log reader with its rules
//!   and messages; a source the monitor names that the record lacks is added to its sources with
//!   its kind. Recorded by the guarantors, the observers and the mediator; a party follows the
//!   status and records nothing (its own account would be a party's word on its own compliance).
//! - `GET /api/v1/negotiations/{id}/monitoring[?at=DATE]`: the `truce-monitor/1` JSON (default: as
//!   of today, UTC), for every participant.
//! - `GET /api/v1/negotiations/{id}/monitoring/events[?format=csv]`: the log as JSON Lines (or
//!   CSV), which `truce monitor` reads with the record exported by `GET .../case`.
//!
//! Every observation is stored with an `observation` event of the record, in one transaction, so
//! that the event streams wake every open page. Nothing here computes: the reading, the checks and
//! the views are the facade's.

use std::path::PathBuf;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use truce::formats::events::{EventRecord, write_csv, write_jsonl};
use truce::model::{Case, PartialDate, Source, SourceKind};
use truce::sim::{Event, Status};

use crate::api::actions::MAX_COMMENT;
use crate::api::export::{date_of, record_case};
use crate::api::negotiations::check_name;
use crate::app::{AppState, JsonBody, Participant};
use crate::error::ApiError;
use crate::live::Rules;
use crate::now_ms;
use crate::store::{EventRow, ObservationRow};
use crate::view::{Role, Viewer};

/// The roles that record observations.
pub const MONITOR_ROLES: [&str; 3] = ["guarantor", "observer", "mediator"];

/// The longest title of a source a monitor names, in characters.
pub const MAX_TITLE: usize = 300;

/// The name the stored log is read under (its extension says JSON Lines).
const LOG_NAME: &str = "monitoring.jsonl";

/// The source of an observation: one of the record's by its id, or a new one with its title and
/// kind, added to the record's sources.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    /// Its id (letters, digits, `_`, `-`, `.`).
    pub id: String,
    /// A new source's title.
    #[serde(default)]
    pub title: Option<String>,
    /// A new source's kind: `report`, `unnamed_officials`, `named_official` or `official_text`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Who published it.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Where to find it (a web address).
    #[serde(default)]
    pub location: Option<String>,
}

/// The body of `POST .../monitoring/events`: one row of an event log.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationBody {
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when that is all the source says (its precision).
    pub date: String,
    /// The commitment's id (a term's issue, or a declared commitment).
    pub commitment: String,
    /// A number at least 0 (or its text).
    pub quantity: Value,
    /// The commitment's unit.
    pub unit: String,
    /// The party that delivered or violated.
    #[serde(default)]
    pub actor: Option<String>,
    /// Where.
    #[serde(default)]
    pub place: Option<String>,
    /// Where it is reported.
    pub source: SourceBody,
    /// The source's words, verbatim.
    #[serde(default)]
    pub quote: Option<String>,
    /// Anything else.
    #[serde(default)]
    pub note: Option<String>,
}

/// `?at=DATE`.
#[derive(Debug, Default, Deserialize)]
pub struct AtQuery {
    /// The date to read at.
    pub at: Option<String>,
}

/// `?format=jsonl|csv`.
#[derive(Debug, Default, Deserialize)]
pub struct FormatQuery {
    /// `jsonl` (the default) or `csv`.
    pub format: Option<String>,
}

/// An agreement reached live and what was recorded of it.
pub(crate) struct Followed {
    /// The record as a case, with the agreement signed and the monitors' sources.
    pub case: Case,
    /// The observations, as stored and as log rows.
    pub log: Vec<(ObservationRow, EventRecord)>,
}

/// The record of negotiation `id` signed as an agreement, or `None` while it has not ended in one.
pub(crate) async fn followed(
    state: &AppState,
    rules: &Rules,
    id: &str,
) -> Result<Option<Followed>, ApiError> {
    let rows = state.store.events(id, 0).await?;
    let reached = rows.iter().rev().find_map(|row| {
        let event: Event = serde_json::from_str(&row.body).ok().filter(|_| row.kind == "engine")?;
        match event {
            Event::Result(r) if r.status == Status::Agreement && r.agreement.is_some() => Some(row.at),
            _ => None,
        }
    });
    let Some(at) = reached else { return Ok(None) };
    let began = date_of(at).ok_or_else(|| ApiError::internal(&"the agreement's date"))?;
    // The public record: the signed text is the same for everyone.
    let public = Viewer { participant: String::new(), role: Role::Observer };
    let mut case = record_case(rules, &public, &rows);
    truce::sign_live_agreement(&mut case, &rules.case, "agreement", began)?;
    let mut log = Vec::new();
    for row in state.store.observations(id).await? {
        if let Some(source) = &row.source {
            let source: Source = serde_json::from_str(source).map_err(|e| ApiError::internal(&e))?;
            case.sources.push(source);
        }
        let record: EventRecord = serde_json::from_str(&row.record).map_err(|e| ApiError::internal(&e))?;
        log.push((row, record));
    }
    Ok(Some(Followed { case, log }))
}

/// Signs the agreement of an exported record, as [`followed`] does, and adds the sources the
/// monitors named; a record without an agreement signs none (the case's own `[[agreements]]` name
/// its proposals, which the record replaced).
///
/// # Errors
/// A 500 when the store fails.
pub(crate) async fn sign_export(
    state: &AppState,
    rules: &Rules,
    id: &str,
    case: &mut Case,
) -> Result<(), ApiError> {
    let Some(followed) = followed(state, rules, id).await? else {
        // The case's own agreements name its proposals, which the record replaced.
        case.agreements.clear();
        for play in &mut case.state_of_play {
            play.agreement = None;
        }
        return Ok(());
    };
    if let Some(agreement) = followed.case.agreements.first() {
        truce::sign_live_agreement(case, &rules.case, "agreement", agreement.began)?;
    }
    let known = case.sources.len();
    case.sources.extend(followed.case.sources.into_iter().skip(known));
    Ok(())
}

impl Followed {
    /// The log as JSON Lines.
    pub(crate) fn jsonl(&self) -> String {
        let records: Vec<EventRecord> = self.log.iter().map(|(_, r)| r.clone()).collect();
        write_jsonl(&records)
    }

    /// Every commitment read at `at` (default: today, UTC).
    pub(crate) fn monitor(&self, at: Option<PartialDate>) -> Result<truce::Monitored, ApiError> {
        let at = at.or_else(|| date_of(now_ms()));
        let options = truce::MonitorOptions { at, ..Default::default() };
        Ok(truce::monitor_texts(&self.case, &options, &[(PathBuf::from(LOG_NAME), self.jsonl())])?)
    }
}

fn not_agreed() -> ApiError {
    ApiError::conflict(
        "the negotiation has not ended in an agreement: its monitoring begins when every party has accepted the same text",
    )
}

/// Reads `?at=`.
///
/// # Errors
/// 400 for a date that is not one.
pub(crate) fn parse_at(q: &AtQuery) -> Result<Option<PartialDate>, ApiError> {
    q.at.as_deref()
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<PartialDate>()
                .map_err(|e| ApiError::bad_request(format!("at: {e}; write YYYY-MM-DD (or YYYY-MM, YYYY)")))
        })
        .transpose()
}

/// `GET .../monitoring`.
pub async fn get(
    State(state): State<AppState>,
    who: Participant,
    Query(q): Query<AtQuery>,
) -> Result<Response, ApiError> {
    let at = parse_at(&q)?;
    let rules = state.rules(&who.negotiation).await?;
    let followed = followed(&state, &rules, &who.negotiation).await?.ok_or_else(not_agreed)?;
    let monitored = followed.monitor(at)?;
    let json = truce::report::monitor::json::to_string(&followed.case, &monitored.monitoring);
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// `GET .../monitoring/events`.
pub async fn events(
    State(state): State<AppState>,
    who: Participant,
    Query(q): Query<FormatQuery>,
) -> Result<Response, ApiError> {
    let rules = state.rules(&who.negotiation).await?;
    let followed = followed(&state, &rules, &who.negotiation).await?.ok_or_else(not_agreed)?;
    let records: Vec<EventRecord> = followed.log.iter().map(|(_, r)| r.clone()).collect();
    Ok(match q.format.as_deref() {
        None | Some("jsonl") => {
            ([(header::CONTENT_TYPE, "application/x-ndjson")], write_jsonl(&records)).into_response()
        }
        Some("csv") => {
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], write_csv(&records)).into_response()
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!("format `{other}` is not one of `jsonl` or `csv`")));
        }
    })
}

fn check_text(field: &str, value: Option<&String>, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.chars().count() > max => {
            Err(ApiError::bad_request(format!("`{field}` has at most {max} characters")))
        }
        _ => Ok(()),
    }
}

/// The source of an observation: `None` when the record has it (and the body says nothing
/// else of it), the new source to add otherwise.
fn source_of(case: &Case, body: &SourceBody) -> Result<Option<Source>, ApiError> {
    check_name(&body.id).map_err(|_| {
        ApiError::bad_request(format!(
            "source {:?} is not a source id: use 1 to 64 letters, digits, `_`, `-` or `.`",
            body.id
        ))
    })?;
    for (field, value, max) in [
        ("source.title", &body.title, MAX_TITLE),
        ("source.publisher", &body.publisher, MAX_TITLE),
        ("source.location", &body.location, MAX_COMMENT),
    ] {
        check_text(field, value.as_ref(), max)?;
    }
    let kind = body
        .kind
        .as_deref()
        .map(|k| {
            serde_json::from_value::<SourceKind>(Value::String(k.to_owned())).map_err(|_| {
                ApiError::unprocessable(format!(
                    "source kind `{k}` is not one of report, unnamed_officials, named_official or official_text"
                ))
            })
        })
        .transpose()?;
    if let Some(known) = case.sources.iter().find(|s| s.id == body.id) {
        let differs = body.title.as_ref().is_some_and(|t| t != &known.title)
            || kind.is_some_and(|k| Some(k) != known.kind)
            || body.publisher.as_ref().is_some_and(|p| Some(p) != known.publisher.as_ref())
            || body.location.as_ref().is_some_and(|l| Some(l) != known.location.as_ref());
        if differs {
            return Err(ApiError::conflict(format!(
                "the record already has a source `{}` (\"{}\"): name it by its id alone, or give a new source another id",
                known.id, known.title
            )));
        }
        return Ok(None);
    }
    let title = body.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (Some(title), Some(kind)) = (title, kind) else {
        let ids: Vec<&str> = case.sources.iter().map(|s| s.id.as_str()).collect();
        return Err(ApiError::unprocessable(format!(
            "the record has no source `{}`: name one of {} by its id, or give a new source its title and kind (report, unnamed_officials, named_official, official_text)",
            body.id,
            if ids.is_empty() { "none yet".into() } else { ids.join(", ") }
        )));
    };
    Ok(Some(Source {
        id: body.id.clone(),
        title: title.to_owned(),
        publisher: body.publisher.clone().filter(|p| !p.trim().is_empty()),
        date: None,
        location: body.location.clone().filter(|l| !l.trim().is_empty()),
        notes: Some("Named on the monitoring page.".into()),
        kind: Some(kind),
    }))
}

/// `POST .../monitoring/events`.
pub async fn post(
    State(state): State<AppState>,
    who: Participant,
    JsonBody(body): JsonBody<ObservationBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if !MONITOR_ROLES.contains(&who.invitation.role.as_str()) {
        return Err(ApiError::forbidden(
            "a party follows the monitoring and records no observation: the guarantors, the observers and the mediator record them",
        ));
    }
    for (field, value) in [("place", &body.place), ("quote", &body.quote), ("note", &body.note)] {
        check_text(field, value.as_ref(), MAX_COMMENT)?;
    }
    for (field, value) in [("date", &body.date), ("commitment", &body.commitment), ("unit", &body.unit)] {
        check_text(field, Some(value), MAX_TITLE)?;
    }
    check_text("actor", body.actor.as_ref(), MAX_TITLE)?;
    let quantity = match &body.quantity {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Err(ApiError::bad_request("`quantity` is a number at least 0")),
    };
    // One writer at a time per negotiation: the slot's lock orders the log and the record.
    let slot = state.slot(&who.negotiation);
    let mut guard = slot.live.lock().await;
    let live = state.load(&who.negotiation, &mut guard).await?;
    let rules = live.rules.clone();
    let next_seq = live.next_seq;
    let mut followed = followed(&state, &rules, &who.negotiation).await?.ok_or_else(not_agreed)?;
    let new_source = source_of(&followed.case, &body.source)?;
    if let Some(s) = &new_source {
        followed.case.sources.push(s.clone());
    }
    let nonempty = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
    let record = EventRecord {
        date: body.date.clone(),
        commitment: body.commitment.clone(),
        quantity,
        unit: body.unit.clone(),
        actor: nonempty(&body.actor),
        place: nonempty(&body.place),
        source: body.source.id.clone(),
        quote: nonempty(&body.quote),
        note: nonempty(&body.note),
    };
    // The event-log reader's rules and messages, on this row alone.
    let agreement = followed.case.agreements.first().ok_or_else(not_agreed)?;
    if let Err(problems) = truce::formats::events::read_events(
        &followed.case,
        agreement,
        std::path::Path::new("observation.jsonl"),
        &record.to_line(),
    ) {
        let said: Vec<String> = problems
            .iter()
            .map(|d| match &d.hint {
                Some(h) => format!("{} ({h})", d.message),
                None => d.message.clone(),
            })
            .collect();
        return Err(ApiError::unprocessable(format!("the observation is not recorded: {}", said.join("; "))));
    }
    followed.log.push((
        ObservationRow { seq: 0, at: 0, author: String::new(), record: String::new(), source: None },
        record.clone(),
    ));
    // The whole log again: a source contradicting itself is kept and flagged.
    let warnings: Vec<String> = match followed.monitor(None) {
        Ok(m) => m.warnings.iter().map(|w| w.message.clone()).collect(),
        Err(_) => Vec::new(),
    };
    let n = i64::try_from(followed.log.len()).unwrap_or(i64::MAX) - 1;
    let now = now_ms();
    let observation = ObservationRow {
        seq: n,
        at: now,
        author: who.viewer.participant.clone(),
        record: record.to_line(),
        source: new_source.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default()),
    };
    let event = EventRow {
        seq: next_seq,
        at: now,
        author: who.viewer.participant.clone(),
        kind: "observation".into(),
        body: json!({"observation": n}).to_string(),
    };
    if let Err(e) = state.store.append_observation(&who.negotiation, &observation, &event).await {
        *guard = None;
        return Err(e.into());
    }
    if let Some(live) = guard.as_mut() {
        live.next_seq += 1;
    }
    drop(guard);
    let _ = slot.wake.send(next_seq);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "observation": n,
            "record": record,
            "source_added": new_source.map(|s| s.id),
            "warnings": warnings,
        })),
    ))
}
