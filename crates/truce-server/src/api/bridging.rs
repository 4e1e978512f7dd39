//! `GET /api/v1/negotiations/{id}/bridging` (the mediator only): whether a zone of agreement exists
//! under the parties' current private preferences, and the bridging packages the analysis computes
//! exactly from them (or, when none exists, the smallest sets of red lines whose relaxation would
//! open one). Under `neutral` disclosure the packages carry their terms and no utility; under
//! `mediator` disclosure, each party's utility too.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce::AnalyzeOptions;
use truce::analysis::{Blocker, Bridging, Package};

use crate::api::negotiations::current_preferences;
use crate::app::{AppState, Participant};
use crate::error::ApiError;
use crate::live::{Disclosure, Rules};
use crate::view::Role;

/// How many packages of each kind are listed.
const PACKAGES: usize = 5;

fn package(rules: &Rules, p: &Package) -> Value {
    let space = rules.case.domain.space();
    let terms: serde_json::Map<String, Value> = space
        .issues()
        .iter()
        .zip(&p.point.outcome)
        .map(|(issue, &v)| (issue.name.clone(), json!(issue.format_value(v))))
        .collect();
    let mut out = json!({"terms": terms});
    if rules.disclosure == Disclosure::Mediator {
        out["utilities"] = json!(p.point.utilities);
    }
    out
}

/// `GET .../bridging`.
pub async fn get(State(state): State<AppState>, who: Participant) -> Result<Json<Value>, ApiError> {
    if who.viewer.role != Role::Mediator {
        return Err(ApiError::forbidden("bridging packages are the mediator's"));
    }
    let rules = state.rules(&who.negotiation).await?;
    let prefs = current_preferences(&state, &rules).await?;
    let mut case = rules.case.clone();
    case.proposals.clear();
    for (seat, p) in rules.seats.iter().zip(prefs) {
        if let Some(party) = case.parties.iter_mut().find(|c| c.id == seat.id) {
            party.preferences = p;
        }
    }
    let options = AnalyzeOptions { bridging: PACKAGES, sensitivity: Some(false), ..Default::default() };
    let findings =
        tokio::task::spawn_blocking(move || truce::analyze(&case, &options, None).map(|f| (case, f)))
            .await
            .map_err(|e| ApiError::internal(&e))??;
    let (case, findings) = findings;
    let red_line = |b: &Blocker| -> Value {
        match *b {
            Blocker::RedLine { party, index } => {
                let p = case.parties.get(party.index());
                let name = p
                    .and_then(|p| p.preferences.as_ref())
                    .and_then(|prefs| prefs.red_lines.get(index))
                    .map(|r| r.name.clone());
                json!({"party": p.map(|p| p.id.clone()), "red_line": name})
            }
            Blocker::Reservation { party } => {
                json!({"party": case.parties.get(party.index()).map(|p| p.id.clone()), "reservation": true})
            }
        }
    };
    let body = match &findings.bridging {
        Some(Bridging::Packages { by_nash, by_concession, .. }) => json!({
            "zone": "open",
            "by_nash": by_nash.iter().map(|p| package(&rules, p)).collect::<Vec<_>>(),
            "by_concession": by_concession.iter().map(|p| package(&rules, p)).collect::<Vec<_>>(),
        }),
        Some(Bridging::Blocked { relaxations, .. }) => json!({
            "zone": "closed",
            "relaxations": relaxations.iter().map(|set| set.iter().map(red_line).collect::<Vec<_>>()).collect::<Vec<_>>(),
        }),
        None => json!({"zone": "unknown"}),
    };
    Ok(Json(body))
}
