//! `truce serve`: live mediated negotiation over HTTP. Parties keep their preferences private, the
//! mediator tables texts, agents can take any seat, and every move is an append-only event in
//! SQLite or PostgreSQL.
//!
//! - **Store** ([`store`]): the [`Store`] trait and [`SqlStore`], one set of portable statements and
//!   versioned migrations for SQLite (embedded, the default) and PostgreSQL.
//! - **Live negotiations** ([`live`]): the rules read from a negotiation's row, the engine
//!   ([`truce::sim::Engine`]) resumed from the stored events, the agents that play agent seats.
//! - **Privacy** ([`view`]): what each role may see of every event, and how outcomes are judged for
//!   it; every endpoint, page, stream and export goes through it.
//! - **API** (`api/`, one file per group of endpoints) and **pages** (`pages.rs`, minijinja
//!   templates and one script; `monitoring_page.rs`, the monitoring of an agreement reached live,
//!   with its own script), behind the checks of [`app`]: invitations by token hash, per
//!   negotiation and per role; a strict Content-Security-Policy; CSRF tokens for cookie sessions.
//!
//! The server computes nothing itself: loading, checking, judging an outcome, analysis and
//! evaluation come from the `truce` facade and the model.

mod api;
pub mod app;
pub mod error;
pub mod live;
mod monitoring_page;
pub mod outcome;
mod pages;
pub mod store;
pub mod token;
pub mod view;

use std::net::SocketAddr;
use std::sync::Arc;

pub use api::{Created, NewNegotiation, OPENAPI, date_of as api_date_of};
pub use app::{AppState, router};
pub use error::ApiError;
pub use store::{SqlStore, Store, StoreError};

/// The database when none is given: an SQLite file in the working folder, created on first start.
pub const DEFAULT_DB: &str = "sqlite://truce.db";

/// Unix time in milliseconds (the time events are recorded at).
#[must_use]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// How to run the server.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The database URL (`sqlite://PATH` or `postgres://...`).
    pub db: String,
    /// The administrator token to use (`TRUCE_ADMIN_TOKEN`); `None` keeps the stored one, or makes
    /// one at first start.
    pub admin_token: Option<String>,
    /// Negotiations to open at start (a teaching negotiation of a case, say).
    pub open: Vec<NewNegotiation>,
}

/// What a started server tells its caller once.
#[derive(Clone, Debug)]
pub struct Started {
    /// The address it listens on (the port chosen when 0 was asked).
    pub addr: SocketAddr,
    /// The administrator token made at this first start, to show once; `None` when one was already
    /// set or given.
    pub new_admin_token: Option<String>,
    /// The negotiations opened at start, with their invitations.
    pub opened: Vec<Created>,
}

/// A server failure at start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// No random source for the administrator token.
    #[error("no random source: {0}")]
    Random(String),
    /// A negotiation to open at start was refused.
    #[error("{}", .0.message)]
    Open(ApiError),
}

/// Opens the store, sets the administrator token, binds `config.addr`, calls `ready` once
/// listening, and serves until `shutdown` completes.
///
/// # Errors
/// When the store cannot be opened or migrated, or the address cannot be bound.
pub async fn serve(
    config: Config,
    ready: impl FnOnce(&Started),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let store = SqlStore::open(&config.db).await?;
    let new_admin_token = match &config.admin_token {
        Some(t) => {
            store.set_admin_token_hash(&token::hash(t)).await?;
            None
        }
        None => {
            let t = token::generate().map_err(|e| ServerError::Random(e.to_string()))?;
            store.init_admin_token_hash(&token::hash(&t)).await?.then_some(t)
        }
    };
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(Arc::new(store.clone()), &format!("http://{addr}"));
    state.follow_appends().await?;
    let mut opened = Vec::new();
    for new in config.open {
        opened.push(api::create(&state, new, None).await.map_err(ServerError::Open)?);
    }
    ready(&Started { addr, new_admin_token, opened });
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await?;
    store.close().await;
    Ok(())
}
