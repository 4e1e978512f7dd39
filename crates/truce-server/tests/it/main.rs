//! Integration tests of the server: the store on both databases, the API for every role, privacy,
//! bad input, concurrency.

mod api;
mod fuzz;
mod monitoring;
mod privacy;
mod processes;
mod store;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use truce_server::{AppState, SqlStore, Store, router, token};

pub(crate) const ADMIN: &str = "test-admin-token";

/// The teaching case.
pub(crate) fn harbour() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../cases/harbour-truce.toml"))
        .expect("the case")
}

/// The PostgreSQL URL of the tests, when set; under CI its absence fails the test that asks.
pub(crate) fn postgres() -> Option<String> {
    match std::env::var("TRUCE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "TRUCE_TEST_POSTGRES is not set: under CI, .ci/services starts PostgreSQL and sets it"
            );
            #[allow(clippy::print_stderr)]
            {
                eprintln!("TRUCE_TEST_POSTGRES is not set: skipping the PostgreSQL half of this test");
            }
            None
        }
    }
}

/// A server over a fresh in-memory SQLite database.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) state: AppState,
    pub(crate) store: SqlStore,
}

impl App {
    pub(crate) async fn new() -> Self {
        Self::on("sqlite::memory:").await
    }

    pub(crate) async fn on(url: &str) -> Self {
        let store = SqlStore::open(url).await.expect("the store opens");
        store.set_admin_token_hash(&token::hash(ADMIN)).await.expect("admin token");
        let state = AppState::new(Arc::new(store.clone()), "http://test");
        Self { state, store }
    }

    /// A request; returns the status and the body (JSON when it parses, else a string).
    pub(crate) async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("a request");
        self.raw(req).await
    }

    pub(crate) async fn raw(&self, req: Request<Body>) -> (StatusCode, Value) {
        let response = router(self.state.clone()).oneshot(req).await.expect("a response");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.expect("a body");
        let text = String::from_utf8_lossy(&bytes).to_string();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Creates a negotiation of the harbour case; returns its id and the invitations.
    pub(crate) async fn create(&self, body: Value) -> (String, Value) {
        let (status, created) = self.call("POST", "/api/v1/negotiations", Some(ADMIN), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        (created["id"].as_str().expect("an id").to_owned(), created["invitations"].clone())
    }

    pub(crate) async fn act(&self, id: &str, token: &str, action: Value) -> (StatusCode, Value) {
        self.call("POST", &format!("/api/v1/negotiations/{id}/actions"), Some(token), Some(action)).await
    }

    pub(crate) async fn view(&self, id: &str, token: &str) -> Value {
        let (status, view) = self.call("GET", &format!("/api/v1/negotiations/{id}"), Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        view
    }
}

/// A text of the harbour case that both parties' case preferences accept.
pub(crate) fn harbour_text() -> Value {
    json!({"hostages_released": 40, "prisoners_per_hostage": 12, "aid_trucks_per_day": 300,
           "withdrawal": "populated_areas", "permanent_ceasefire": true, "guarantees": "written"})
}

pub(crate) fn tok(invitations: &Value, who: &str) -> String {
    invitations[who]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no invitation for {who}: {invitations}"))
        .to_owned()
}
