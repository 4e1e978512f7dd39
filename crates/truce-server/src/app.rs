//! The application: shared state (the store, the live negotiations, the administrator token), who
//! is asking (a bearer token or a page's cookie, checked per negotiation), the router and the headers
//! every response carries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde::de::DeserializeOwned;
use tokio::sync::{Mutex, broadcast};

use crate::error::ApiError;
use crate::live::{Live, Rules};
use crate::store::{EventRow, InvitationRow, Store, StoreError};
use crate::token;
use crate::view::{Role, Viewer};
use crate::{api, monitoring_page, pages};

/// The largest request body taken: 1 MiB (a case file fits many times over).
pub const BODY_LIMIT: usize = 1 << 20;

/// The Content-Security-Policy of every response: nothing but this server's own scripts, styles and
/// connections; no inline script, no frames, no form posted elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// One negotiation's slot: the live state, loaded on first use, and the channel that wakes its event
/// streams.
pub struct Slot {
    /// The live state; `None` until loaded (or after a failed write, to reload from the record).
    pub live: Mutex<Option<Live>>,
    /// Rings when events were appended.
    pub wake: broadcast::Sender<i64>,
}

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    slots: Arc<StdMutex<HashMap<String, Arc<Slot>>>>,
    /// The server's address for invitation links (`http://127.0.0.1:8080`).
    pub base_url: Arc<str>,
}

impl AppState {
    /// State over `store`, writing links under `base_url`.
    pub fn new(store: Arc<dyn Store>, base_url: &str) -> Self {
        Self { store, slots: Arc::default(), base_url: base_url.trim_end_matches('/').into() }
    }

    /// The slot of negotiation `id` (created empty on first use).
    pub fn slot(&self, id: &str) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        slots
            .entry(id.to_owned())
            .or_insert_with(|| Arc::new(Slot { live: Mutex::new(None), wake: broadcast::channel(64).0 }))
            .clone()
    }

    /// The rules of negotiation `id`, read from the store (the caller has authorised the request).
    ///
    /// # Errors
    /// 401 when it does not exist; a 500 when it cannot be read.
    pub async fn rules(&self, id: &str) -> Result<Arc<Rules>, ApiError> {
        let slot = self.slot(id);
        let mut live = slot.live.lock().await;
        Ok(self.load(id, &mut live).await?.rules.clone())
    }

    /// Loads negotiation `id` into `live` from the record if it is not there.
    ///
    /// # Errors
    /// 401 when it does not exist; a 500 when the record does not replay.
    pub async fn load<'a>(&self, id: &str, live: &'a mut Option<Live>) -> Result<&'a mut Live, ApiError> {
        if live.is_none() {
            let row = self.store.negotiation(id).await?.ok_or_else(ApiError::unauthorized)?;
            let rules = Arc::new(Rules::new(row)?);
            let rows = self.store.events(id, 0).await?;
            *live = Some(Live::resume(rules, &rows)?);
        }
        live.as_mut().ok_or_else(ApiError::unauthorized)
    }

    /// Stores `rows` and wakes the event streams; on failure the live state is dropped, so that the
    /// next request reloads it from the record.
    ///
    /// # Errors
    /// 409 when another writer appended first; a 500 when the store fails.
    pub async fn append(
        &self,
        id: &str,
        slot: &Slot,
        live: &mut Option<Live>,
        rows: &[EventRow],
    ) -> Result<(), ApiError> {
        if let Err(e) = self.store.append(id, rows).await {
            *live = None;
            return Err(e.into());
        }
        if let Some(last) = rows.last() {
            let _ = slot.wake.send(last.seq);
        }
        Ok(())
    }

    /// Follows the appends of other server processes on the same database (PostgreSQL's
    /// LISTEN/NOTIFY), so that their moves reach this process's pages at once; returns whether the
    /// store can tell. The event streams still look at the record every few seconds, for what a lost
    /// connection missed.
    ///
    /// # Errors
    /// When the store cannot start listening.
    pub async fn follow_appends(&self) -> Result<bool, StoreError> {
        use futures_util::StreamExt;
        let Some(mut appended) = self.store.appended().await? else { return Ok(false) };
        let state = self.clone();
        tokio::spawn(async move {
            loop {
                while let Some((id, seq)) = appended.next().await {
                    state.appended(&id, seq).await;
                }
                // The connection was lost: listen again (the streams' poll covers the gap).
                appended = loop {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    match state.store.appended().await {
                        Ok(Some(s)) => break s,
                        Ok(None) => return,
                        Err(_) => {}
                    }
                };
            }
        });
        Ok(true)
    }

    /// The record of negotiation `id` holds events up to `seq` (appended by this process or
    /// another): a live state that stops before is dropped, to be rebuilt from the record, and the
    /// event streams wake.
    pub async fn appended(&self, id: &str, seq: i64) {
        let slot = {
            let slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            slots.get(id).cloned()
        };
        let Some(slot) = slot else { return };
        self.forget_if_behind(&slot, seq).await;
        let _ = slot.wake.send(seq);
    }

    /// Drops the live state of `slot` if it stops before event `seq` (another process moved).
    pub async fn forget_if_behind(&self, slot: &Slot, seq: i64) {
        let mut live = slot.live.lock().await;
        if live.as_ref().is_some_and(|l| l.next_seq <= seq) {
            *live = None;
        }
    }

    /// Checks the administrator token.
    ///
    /// # Errors
    /// 401 when it is not the administrator's.
    pub async fn admin(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let given = bearer(headers).ok_or_else(admin_needed)?;
        match self.store.admin_token_hash().await? {
            Some(hash) if hash == token::hash(given) => Ok(()),
            _ => Err(admin_needed()),
        }
    }
}

fn admin_needed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNAUTHORIZED,
        "this needs the administrator's token: send `Authorization: Bearer <admin token>`",
    )
}

/// The token of `Authorization: Bearer <token>`.
#[must_use]
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The cookie holding a page's token for negotiation `id`.
#[must_use]
pub fn cookie_name(id: &str) -> String {
    format!("truce_{id}")
}

/// The value of cookie `name`.
#[must_use]
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// The CSRF token of a page whose cookie holds `token`: derived from it, so the server keeps
/// nothing, and unknown to another site, which cannot read the page.
#[must_use]
pub fn csrf_of(token: &str) -> String {
    token::hash(&format!("csrf:{token}"))
}

/// A participant of the negotiation in the path, authorised by its invitation: from
/// `Authorization: Bearer`, or from the page's cookie (then a request that changes anything must
/// carry the page's `X-CSRF-Token`). A missing, wrong or revoked token and a negotiation that does not
/// exist all give the same 401.
#[derive(Clone, Debug)]
pub struct Participant {
    /// The negotiation's id.
    pub negotiation: String,
    /// Who.
    pub viewer: Viewer,
    /// Its invitation.
    pub invitation: InvitationRow,
}

impl FromRequestParts<AppState> for Participant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let id = parts.uri.path().split('/').nth(4).unwrap_or_default().to_owned();
        let (token, by_cookie) = match bearer(&parts.headers) {
            Some(t) => (t.to_owned(), false),
            None => (
                cookie(&parts.headers, &cookie_name(&id)).ok_or_else(ApiError::unauthorized)?.to_owned(),
                true,
            ),
        };
        let invitation = state
            .store
            .invitation(&token::hash(&token))
            .await?
            .filter(|i| !i.revoked && i.negotiation_id == id)
            .ok_or_else(ApiError::unauthorized)?;
        if by_cookie && parts.method != Method::GET && parts.method != Method::HEAD {
            let given = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
            if given != Some(csrf_of(&token).as_str()) {
                return Err(ApiError::forbidden("a request from a page must carry the page's X-CSRF-Token"));
            }
        }
        let role = match invitation.role.as_str() {
            "mediator" => Role::Mediator,
            "party" => {
                let rules = state.rules(&id).await?;
                Role::Party(rules.seat_of(&invitation.participant).ok_or_else(ApiError::unauthorized)?)
            }
            _ => Role::Observer,
        };
        Ok(Self {
            negotiation: id,
            viewer: Viewer { participant: invitation.participant.clone(), role },
            invitation,
        })
    }
}

/// A JSON body: at most [`BODY_LIMIT`] bytes, parsed into `T` (whose unknown fields are refused),
/// with a message that says where the JSON is wrong.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as JSON, with `Content-Type: application/json`",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than the limit of {} KiB", BODY_LIMIT / 1024),
            )
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("the body is not the JSON expected: {e}")))
    }
}

/// The headers every response carries: a strict Content-Security-Policy, no referrer (invitation
/// links carry tokens), no sniffing, no framing, and no caching of anything private.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// 404 for a path no route serves, saying so (axum's own has an empty body).
async fn no_such_endpoint(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        format!("there is no endpoint {method} {}: the API is described at /api/v1/openapi.json", uri.path()),
    )
}

/// 405 for a route asked with a method it does not take, saying so.
async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not take {method}: the API is described at /api/v1/openapi.json", uri.path()),
    )
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(monitoring_page::routes())
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}
