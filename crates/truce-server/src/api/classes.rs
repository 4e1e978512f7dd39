//! Classes: `POST /api/v1/classes` (a teacher creates one negotiation per group from a case in one
//! step) and `GET /api/v1/classes/{class}` (the results board: each group's agreement, or none,
//! against the Pareto frontier and the Nash point of the case's preferences, computed exactly by the
//! analysis). Both need the administrator's token.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use truce::AnalyzeOptions;

use crate::api::negotiations::{Created, NewNegotiation, create};
use crate::app::{AppState, JsonBody};
use crate::error::ApiError;
use crate::outcome;
use crate::token;

/// The body of `POST /api/v1/classes`: a negotiation's body, and how many groups.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClass {
    /// How many groups (1 to 200).
    pub groups: u32,
    /// What every group negotiates.
    #[serde(flatten)]
    pub negotiation: NewNegotiationFields,
}

/// The fields of a negotiation (as `POST /api/v1/negotiations`).
#[derive(Clone, Debug, Deserialize)]
pub struct NewNegotiationFields {
    case: String,
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    disclosure: Option<String>,
    #[serde(default)]
    rounds: Option<u32>,
    #[serde(default)]
    seats: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    observers: Vec<String>,
    #[serde(default)]
    guarantors: Vec<String>,
    #[serde(default)]
    seed: Option<u64>,
}

/// `POST /api/v1/classes`.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<NewClass>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    state.admin(&headers).await?;
    if !(1..=200).contains(&body.groups) {
        return Err(ApiError::bad_request("groups must be from 1 to 200"));
    }
    let class = token::id().map_err(|e| ApiError::internal(&e))?;
    let f = body.negotiation;
    let mut groups: Vec<Created> = Vec::new();
    for g in 0..body.groups {
        let new = NewNegotiation {
            case: f.case.clone(),
            protocol: f.protocol.clone().unwrap_or_else(|| "single_text".into()),
            disclosure: f.disclosure.clone().unwrap_or_else(|| "neutral".into()),
            rounds: f.rounds.unwrap_or(20),
            seats: f.seats.clone(),
            observers: f.observers.clone(),
            guarantors: f.guarantors.clone(),
            seed: f.seed.map(|s| s.wrapping_add(u64::from(g))),
        };
        groups.push(create(&state, new, Some(class.clone())).await?);
    }
    Ok((StatusCode::CREATED, Json(json!({"class": class, "groups": groups}))))
}

/// `GET /api/v1/classes/{class}`.
pub async fn board(
    State(state): State<AppState>,
    Path(class): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    state.admin(&headers).await?;
    Ok(Json(board_of(&state, &class).await?))
}

/// The utility-space plot of `truce analyze` (the report crate's), with each group's agreement as
/// a proposal of kind `agreement`.
fn plot(case: &truce::model::Case, agreed: &[(usize, Vec<u32>)]) -> Result<String, ApiError> {
    let mut case = case.clone();
    case.proposals = agreed
        .iter()
        .map(|(g, outcome)| truce::model::Proposal {
            id: format!("group-{g}"),
            title: format!("Group {g}"),
            kind: truce::model::ProposalKind::Agreement,
            date: None,
            tabled_by: Vec::new(),
            via: Vec::new(),
            responds_to: None,
            terms: case
                .domain
                .space()
                .issues()
                .iter()
                .zip(outcome)
                .enumerate()
                .filter_map(|(k, (issue, &d))| {
                    Some(truce::model::Term::set(
                        truce::model::IssueId::from_index(k),
                        issue.domain().grid_value(d)?,
                    ))
                })
                .collect(),
            responses: Vec::new(),
            basis: Default::default(),
            notes: None,
        })
        .collect();
    let findings = truce::analyze(
        &case,
        &AnalyzeOptions { bridging: 0, sensitivity: Some(false), ..Default::default() },
        None,
    )?;
    Ok(truce::report::svg::plot(&case, &findings))
}

/// The results board of a class.
///
/// # Errors
/// 404 when the class has no negotiation.
pub async fn board_of(state: &AppState, class: &str) -> Result<Value, ApiError> {
    let rows = state.store.class(class).await?;
    let Some(first) = rows.first() else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no class has this id"));
    };
    let rules = state.rules(&first.id).await?;
    let case = rules.case.clone();
    let findings = truce::analyze(
        &case,
        &AnalyzeOptions { bridging: 0, sensitivity: Some(false), ..Default::default() },
        None,
    )?;
    let parties: Vec<String> = findings
        .parties
        .iter()
        .map(|p| case.parties.get(p.party.index()).map_or_else(String::new, |c| c.id.clone()))
        .collect();
    let nash = findings.solutions.nash.as_ref().map(|s| json!({"utilities": s.point.utilities}));
    let frontier: Vec<Vec<f64>> = findings.frontier.points.iter().map(|p| p.utilities.clone()).collect();
    let mut groups = Vec::new();
    let mut agreed = Vec::new();
    for (g, row) in rows.iter().enumerate() {
        let slot = state.slot(&row.id);
        let mut guard = slot.live.lock().await;
        let live = state.load(&row.id, &mut guard).await?;
        let engine = live.engine().clone();
        drop(guard);
        let agreement = engine.result().and_then(|r| r.agreement.clone());
        if let Some(a) = &agreement {
            agreed.push((g + 1, a.clone()));
        }
        let evaluation = match &agreement {
            Some(a) => {
                let space = case.domain.space();
                let text: Vec<String> = space
                    .issues()
                    .iter()
                    .zip(a)
                    .filter_map(|(i, &d)| {
                        i.domain().grid_value(d).map(|v| format!("{}={}", i.name, i.format_value(v)))
                    })
                    .collect();
                let e = truce::evaluate(&case, &text.join(", "), None)?;
                json!({
                    "utilities": e.parties.iter().map(|p| p.utility.map(|u| u.low)).collect::<Vec<_>>(),
                    "verdict": e.verdict.as_str(),
                    "frontier_distance": e.frontier_distance,
                    "nash_distance": e.nash_distance,
                    "terms": outcome::to_json(space, a),
                })
            }
            None => Value::Null,
        };
        let status = match engine.result() {
            None => "open",
            Some(r) if r.agreement.is_some() => "agreed",
            Some(_) => "no_agreement",
        };
        groups
            .push(json!({"group": g + 1, "negotiation": row.id, "status": status, "agreement": evaluation}));
    }
    Ok(json!({"class": class, "title": case.title, "parties": parties, "nash": nash, "frontier": frontier,
            "groups": groups, "plot_svg": plot(&case, &agreed)?}))
}
