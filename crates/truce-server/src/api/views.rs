//! `GET /api/v1/negotiations/{id}/views`: the analysis views of `truce analyze --html` (the report
//! crate's components, one set of templates for both) on the negotiation so far, as the bearer may
//! see them: the record as a case (its texts, offers and positions with their responses, as
//! [`super::export`] writes it) analysed by the facade with the preferences the bearer may use.
//!
//! - `frontier`: the utility space with the Pareto frontier, the bargaining solutions and every
//!   text placed on it, numbered as in the tables; the mediator's under `mediator` disclosure only.
//! - `verdicts`: each text's verdict per party (the red lines it breaks; utilities only where the
//!   bearer may see them).
//! - `history`: the texts and responses in the order tabled, as a chart.
//!
//! What the bearer may see is decided by [`view::analysis`]: a party's views are computed from its
//! own preferences alone (the case analysed has no other party's), the neutral mediator's from every
//! party's but shown without a utility, an observer gets none. Each view is an HTML fragment, or
//! `null` when there is nothing to show.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use truce::AnalyzeOptions;
use truce::report::html::{Utilities, components};

use crate::api::export::record_case;
use crate::api::negotiations::preferences_for;
use crate::app::{AppState, Participant};
use crate::error::ApiError;
use crate::view;

/// `GET .../views`.
pub async fn get(State(state): State<AppState>, who: Participant) -> Result<Json<Value>, ApiError> {
    let none = json!({"frontier": Value::Null, "verdicts": Value::Null, "history": Value::Null});
    let rules = state.rules(&who.negotiation).await?;
    let Some(utilities) = view::analysis(&rules, &who.viewer) else { return Ok(Json(none)) };
    let rows = state.store.events(&who.negotiation, 0).await?;
    let prefs = preferences_for(&state, &rules, &who.viewer).await?;
    let mut case = record_case(&rules, &who.viewer, &rows);
    if case.proposals.is_empty() {
        return Ok(Json(none));
    }
    // Judged as the rest of the server judges (by the red lines in force on the case's date), not
    // on the days the texts were tabled.
    for p in &mut case.proposals {
        p.date = None;
        for r in &mut p.responses {
            r.date = None;
        }
    }
    for (seat, p) in rules.seats.iter().zip(prefs.into_iter().chain(std::iter::repeat(None))) {
        if let Some(party) = case.parties.iter_mut().find(|c| c.id == seat.id) {
            party.preferences = p;
        }
    }
    if case.negotiators().next().is_none() {
        return Ok(Json(none));
    }
    let options = AnalyzeOptions { bridging: 0, sensitivity: Some(false), ..Default::default() };
    let body = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let f = truce::analyze(&case, &options, None)?;
        let frontier = (utilities == Utilities::Shown && f.parties.len() >= 2)
            .then(|| components::frontier_plot(&case, &f, &truce::report::svg::plot(&case, &f)));
        let history = components::history(&case, &f, utilities);
        Ok(json!({
            "frontier": frontier,
            "verdicts": (!f.evaluations.is_empty()).then(|| components::verdict_table_for(&case, &f, utilities)),
            "history": (!history.is_empty()).then(|| history.concat()),
        }))
    })
    .await
    .map_err(|e| ApiError::internal(&e))??;
    Ok(Json(body))
}
