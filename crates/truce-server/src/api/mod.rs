//! The JSON API, `/api/v1`: one file per group of endpoints. `docs/server.md` documents it and
//! `openapi.json` describes it (served at `/api/v1/openapi.json`).

mod actions;
mod bridging;
mod classes;
mod events;
mod export;
mod invitations;
pub(crate) mod monitoring;
mod negotiations;
mod preferences;
mod views;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};

pub use classes::board_of as board;
pub use export::date_of;
pub use negotiations::{Created, NewNegotiation, create};

use crate::app::AppState;

/// The OpenAPI document of this API.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// The API's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/health", get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }))
        .route("/api/v1/negotiations", post(negotiations::post))
        .route("/api/v1/negotiations/{id}", get(negotiations::get))
        .route("/api/v1/negotiations/{id}/preferences", get(preferences::get).put(preferences::put))
        .route("/api/v1/negotiations/{id}/actions", post(actions::post))
        .route("/api/v1/negotiations/{id}/evaluate", post(actions::evaluate))
        .route("/api/v1/negotiations/{id}/bridging", get(bridging::get))
        .route("/api/v1/negotiations/{id}/events", get(events::stream))
        .route("/api/v1/negotiations/{id}/transcript", get(events::transcript))
        .route("/api/v1/negotiations/{id}/case", get(export::case))
        .route("/api/v1/negotiations/{id}/monitoring", get(monitoring::get))
        .route("/api/v1/negotiations/{id}/monitoring/events", get(monitoring::events).post(monitoring::post))
        .route("/api/v1/negotiations/{id}/views", get(views::get))
        .route("/api/v1/negotiations/{id}/invitations", post(invitations::post))
        .route(
            "/api/v1/negotiations/{id}/invitations/{participant}",
            axum::routing::delete(invitations::delete),
        )
        .route("/api/v1/classes", post(classes::post))
        .route("/api/v1/classes/{class}", get(classes::board))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
