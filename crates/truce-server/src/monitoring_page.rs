//! The monitoring page of an agreement reached live, `/n/{id}/monitoring`: every participant sees
//! the status (the same tables and plots as `truce monitor --html`, from the report crate's
//! components), the log of what was recorded, and, for the monitors (guarantors, observers, the
//! mediator), an accessible form to record an observation with its source. Server-rendered from
//! `templates/monitoring.html` (escaping everything it prints); `static/monitoring.js` sends the
//! form with the page's CSRF token and, on every event of the negotiation's stream, fetches the
//! status again (`/n/{id}/monitoring/status`, the same fragment) so that every open page shows a
//! change without reloading. No inline script or style: the plots are images (`data:` URIs).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;

use crate::api::monitoring::{AtQuery, MONITOR_ROLES, followed, parse_at};
use crate::app::{AppState, cookie, cookie_name, csrf_of};
use crate::error::ApiError;
use crate::pages::{render, session_cookie, svg_data_uri};
use crate::store::InvitationRow;
use crate::token;

/// The page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/n/{id}/monitoring", get(page))
        .route("/n/{id}/monitoring/status", get(status))
        .route(
            "/static/monitoring.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=300"),
                    ],
                    include_str!("../static/monitoring.js"),
                )
            }),
        )
}

#[derive(Deserialize)]
struct PageQuery {
    token: Option<String>,
    at: Option<String>,
}

/// The invitation of the page's cookie, if it opens negotiation `id`.
async fn invitation(state: &AppState, id: &str, headers: &HeaderMap) -> Option<(String, InvitationRow)> {
    let t = cookie(headers, &cookie_name(id))?;
    let invitation = state.store.invitation(&token::hash(t)).await.ok()??;
    (!invitation.revoked && invitation.negotiation_id == id).then(|| (t.to_owned(), invitation))
}

/// The status as the fragment both the page and `/status` show: `None` while there is no agreement.
async fn status_context(
    state: &AppState,
    id: &str,
    at: &AtQuery,
) -> Result<(minijinja::Value, bool), ApiError> {
    let at = parse_at(at)?;
    let rules = state.rules(id).await?;
    let Some(followed) = followed(state, &rules, id).await? else {
        return Ok((context! { agreed => false, title => rules.case.title.clone() }, false));
    };
    let monitored = followed.monitor(at)?;
    let (case, m) = (&followed.case, &monitored.monitoring);
    let plots: Vec<String> =
        truce::report::monitor::svg::plots(case, m).iter().map(|svg| svg_data_uri(svg)).collect();
    let log: Vec<minijinja::Value> = followed
        .log
        .iter()
        .map(|(row, r)| {
            minijinja::Value::from(minijinja::value::Serde(
                serde_json::json!({"by": row.author, "record": r}),
            ))
        })
        .collect();
    let commitments: Vec<minijinja::Value> = case
        .agreements
        .first()
        .map(|a| case.commitments(a))
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            minijinja::Value::from(minijinja::value::Serde(
                serde_json::json!({"id": c.id, "unit": c.unit, "kind": c.kind.as_str()}),
            ))
        })
        .collect();
    let sources: Vec<minijinja::Value> = case
        .sources
        .iter()
        .map(|s| {
            minijinja::Value::from(minijinja::value::Serde(serde_json::json!({"id": s.id, "title": s.title})))
        })
        .collect();
    let parties: Vec<String> = case.parties.iter().map(|p| p.id.clone()).collect();
    let began = case.agreements.first().map(|a| a.began.to_string());
    Ok((
        context! {
            agreed => true,
            title => case.title.clone(),
            began => began,
            at => m.at.to_string(),
            at_day => m.at_day,
            plots => plots,
            sections => minijinja::Value::from_safe_string(truce::report::monitor::html::sections(case, m)),
            log => log,
            commitments => commitments,
            sources => sources,
            parties => parties,
            warnings => monitored.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
        },
        true,
    ))
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(t) = q.token {
        let ok = state
            .store
            .invitation(&token::hash(&t))
            .await
            .ok()
            .flatten()
            .is_some_and(|i| !i.revoked && i.negotiation_id == id);
        if !ok {
            return ApiError::unauthorized().into_response();
        }
        let mut response = Redirect::to(&format!("/n/{id}/monitoring")).into_response();
        if let Ok(v) = session_cookie(&cookie_name(&id), &t, "/").parse() {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        return response;
    }
    let Some((t, invitation)) = invitation(&state, &id, &headers).await else {
        return (
            StatusCode::UNAUTHORIZED,
            Html(
                "<!doctype html><title>Truce</title><p>Open this page with the link of your invitation.</p>",
            ),
        )
            .into_response();
    };
    let at = AtQuery { at: q.at };
    let (status, _) = match status_context(&state, &id, &at).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let monitor = MONITOR_ROLES.contains(&invitation.role.as_str());
    render(
        "monitoring.html",
        context! {
            id => id, csrf => csrf_of(&t), participant => invitation.participant, role => invitation.role,
            monitor => monitor, at_asked => at.at, s => status,
        },
    )
}

async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(at): Query<AtQuery>,
    headers: HeaderMap,
) -> Response {
    if invitation(&state, &id, &headers).await.is_none() {
        return ApiError::unauthorized().into_response();
    }
    match status_context(&state, &id, &at).await {
        Ok((s, _)) => render("monitoring_status.html", context! { id => id, s => s }),
        Err(e) => e.into_response(),
    }
}
