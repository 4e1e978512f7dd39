//! The pages the binary serves: the mediator's workspace, a party's page (with its private
//! preferences editor and the utility of a package as it is built), an observer's page, and the
//! teacher's results board. One minijinja template each (escaping everything it prints), one script
//! (`static/app.js`, vanilla, with `EventSource`) and one stylesheet; nothing is fetched from
//! elsewhere.
//!
//! An invitation link (`/n/{id}?token=...`) moves its token into an `HttpOnly`, `SameSite=Strict`
//! cookie and redirects to the page without it; the page's script sends the CSRF token the page
//! carries with every request that changes anything.

use std::sync::OnceLock;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::{Environment, context};
use serde::Deserialize;

use crate::app::{AppState, cookie, cookie_name, csrf_of};
use crate::error::ApiError;
use crate::token;

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Autoescaping follows the template's name: `.html` escapes everything printed.
        for (name, text) in [
            ("base.html", include_str!("../templates/base.html")),
            ("negotiation.html", include_str!("../templates/negotiation.html")),
            ("board.html", include_str!("../templates/board.html")),
            ("index.html", include_str!("../templates/index.html")),
            ("monitoring.html", include_str!("../templates/monitoring.html")),
            ("monitoring_status.html", include_str!("../templates/monitoring_status.html")),
        ] {
            if let Err(e) = env.add_template(name, text) {
                // The templates are part of the binary and tested; a broken one is a build bug.
                unreachable!("template {name}: {e}");
            }
        }
        env
    })
}

/// Renders template `name` (every page's, the monitoring page's included) as the response.
pub(crate) fn render(name: &str, ctx: minijinja::Value) -> Response {
    match templates().get_template(name).and_then(|t| t.render(ctx)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(&e).into_response(),
    }
}

/// An SVG as a `data:` URI for an `<img>`: shown as an image, its styles and anything in it stay out
/// of the page (and out of reach of the page's Content-Security-Policy).
pub(crate) fn svg_data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for c in svg.chars() {
        match c {
            'A'..='Z'
            | 'a'..='z'
            | '0'..='9'
            | '-'
            | '_'
            | '.'
            | '~'
            | ' '
            | '='
            | ':'
            | '/'
            | ','
            | ';'
            | '('
            | ')' => {
                out.push(c);
            }
            c => {
                let mut buf = [0_u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/n/{id}", get(negotiation))
        .route("/classes/{class}", get(board))
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", include_str!("../static/app.js")) }),
        )
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", include_str!("../static/app.css")) }),
        )
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=300")], body).into_response()
}

async fn index() -> Response {
    render("index.html", context! {})
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

pub(crate) fn session_cookie(name: &str, value: &str, path: &str) -> String {
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age=2592000")
}

async fn negotiation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Response {
    let name = cookie_name(&id);
    if let Some(t) = q.token {
        // Only a token that opens this negotiation becomes a cookie.
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
        let mut response = Redirect::to(&format!("/n/{id}")).into_response();
        if let Ok(v) = session_cookie(&name, &t, "/").parse() {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        return response;
    }
    let Some(t) = cookie(&headers, &name) else {
        return (
            StatusCode::UNAUTHORIZED,
            Html(
                "<!doctype html><title>Truce</title><p>Open this page with the link of your invitation.</p>",
            ),
        )
            .into_response();
    };
    let Ok(Some(invitation)) = state.store.invitation(&token::hash(t)).await else {
        return ApiError::unauthorized().into_response();
    };
    if invitation.revoked || invitation.negotiation_id != id {
        return ApiError::unauthorized().into_response();
    }
    let disclosure = match state.rules(&id).await {
        Ok(rules) => rules.disclosure.name(),
        Err(e) => return e.into_response(),
    };
    render(
        "negotiation.html",
        context! { id => id, csrf => csrf_of(t), participant => invitation.participant, role => invitation.role, disclosure => disclosure },
    )
}

async fn board(
    State(state): State<AppState>,
    Path(class): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Response {
    let name = "truce_admin";
    if let Some(t) = q.token {
        let mut response = Redirect::to(&format!("/classes/{class}")).into_response();
        if let Ok(v) = session_cookie(name, &t, "/classes").parse() {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        return response;
    }
    let Some(t) = cookie(&headers, name) else { return ApiError::unauthorized().into_response() };
    let mut auth = HeaderMap::new();
    if let Ok(v) = format!("Bearer {t}").parse() {
        auth.insert(header::AUTHORIZATION, v);
    }
    if let Err(e) = state.admin(&auth).await {
        return e.into_response();
    }
    match crate::api::board(&state, &class).await {
        Ok(board) => {
            let plot = board.get("plot_svg").and_then(serde_json::Value::as_str).map(svg_data_uri);
            render(
                "board.html",
                context! { board => minijinja::Value::from(minijinja::value::Serde(board)), plot => plot },
            )
        }
        Err(e) => e.into_response(),
    }
}
