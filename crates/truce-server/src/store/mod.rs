//! The store: negotiations, invitations (by token hash), private preferences, the append-only
//! record of events, and the event logs of agreements being followed (the observations). One trait,
//! [`Store`], with one implementation over SQL ([`SqlStore`]) that runs the same portable statements
//! and migrations on SQLite and PostgreSQL; both pass one suite of store tests
//! (`tests/it/store.rs`). Appends are committed in groups by one writer task (`group.rs`); on
//! SQLite the invitations looked up are kept in memory (`tokens.rs`).

mod group;
mod sql;
mod tokens;

pub use sql::SqlStore;

use async_trait::async_trait;

/// A store failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer appended events with the same numbers first: nothing was written.
    #[error("another writer appended to this negotiation first")]
    Conflict,
    /// The database URL is not one the store opens.
    #[error("{0}")]
    Url(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be migrated.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A negotiation's row: its rules, fixed at creation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NegotiationRow {
    /// Its id.
    pub id: String,
    /// When it was created, Unix milliseconds.
    pub created_at: i64,
    /// Its title (the case's).
    pub title: String,
    /// The protocol's name.
    pub protocol: String,
    /// `neutral` or `mediator`.
    pub disclosure: String,
    /// The deadline in rounds.
    pub rounds: i64,
    /// The seed of every random choice.
    pub seed: i64,
    /// The case, as given.
    pub case_toml: String,
    /// Seats as JSON: party id (or `mediator`) to `human` or an agent spec.
    pub seats: String,
    /// The class it belongs to, if any.
    pub class_id: Option<String>,
}

/// An invitation: a participant of a negotiation, found by its token's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationRow {
    /// The token's SHA-256.
    pub token_sha256: String,
    /// The negotiation.
    pub negotiation_id: String,
    /// The participant: `mediator`, a party id, or an observer's name.
    pub participant: String,
    /// `mediator`, `party` or `observer`.
    pub role: String,
    /// Whether it was revoked.
    pub revoked: bool,
    /// When it was created, Unix milliseconds.
    pub created_at: i64,
}

/// One event of the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Its number in the negotiation, from 0.
    pub seq: i64,
    /// When it was recorded, Unix milliseconds.
    pub at: i64,
    /// Who caused it: a participant, or `agent:<party>` for an agent's move.
    pub author: String,
    /// `engine` (a transcript event), `note` (a comment or an amendment) or `observation` (an
    /// observation recorded on the monitoring page: `{"observation": seq}`).
    pub kind: String,
    /// The event as JSON.
    pub body: String,
}

/// One observation of an agreed negotiation's event log (`observations`, append-only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservationRow {
    /// Its number in the negotiation's log, from 0.
    pub seq: i64,
    /// When it was recorded, Unix milliseconds.
    pub at: i64,
    /// The monitor who recorded it.
    pub author: String,
    /// The row as an event log writes it (JSON).
    pub record: String,
    /// The source the monitor added with it (the model's JSON), if it named a new one.
    pub source: Option<String>,
}
/// Appends as they commit, from any server process on the same database: the negotiation's id and
/// the number of the last event appended.
pub type Appended = futures_util::stream::BoxStream<'static, (String, i64)>;

/// Where the server keeps everything. Every method is one transaction.
#[async_trait]
pub trait Store: Send + Sync {
    /// The administrator token's hash, if one was set.
    async fn admin_token_hash(&self) -> Result<Option<String>, StoreError>;
    /// Sets the administrator token's hash unless one is set; returns whether it was set now.
    async fn init_admin_token_hash(&self, hash: &str) -> Result<bool, StoreError>;
    /// Replaces the administrator token's hash (from `TRUCE_ADMIN_TOKEN`).
    async fn set_admin_token_hash(&self, hash: &str) -> Result<(), StoreError>;
    /// Creates a negotiation with its invitations, the parties' first preferences and its first
    /// events, all or nothing.
    async fn create(
        &self,
        negotiation: &NegotiationRow,
        invitations: &[InvitationRow],
        preferences: &[(String, String)],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// A negotiation by id.
    async fn negotiation(&self, id: &str) -> Result<Option<NegotiationRow>, StoreError>;
    /// Every negotiation of a class, oldest first.
    async fn class(&self, class_id: &str) -> Result<Vec<NegotiationRow>, StoreError>;
    /// Every negotiation's id, oldest first.
    async fn negotiation_ids(&self) -> Result<Vec<String>, StoreError>;
    /// An invitation by its token's hash (revoked ones included: the caller refuses them).
    async fn invitation(&self, token_sha256: &str) -> Result<Option<InvitationRow>, StoreError>;
    /// The invitations of a negotiation.
    async fn invitations(&self, negotiation_id: &str) -> Result<Vec<InvitationRow>, StoreError>;
    /// Revokes every invitation of `participant` in a negotiation; returns how many were.
    async fn revoke(&self, negotiation_id: &str, participant: &str) -> Result<u64, StoreError>;
    /// Adds an invitation.
    async fn invite(&self, invitation: &InvitationRow) -> Result<(), StoreError>;
    /// A party's preferences (JSON), if set.
    async fn preferences(&self, negotiation_id: &str, party: &str) -> Result<Option<String>, StoreError>;
    /// Sets a party's preferences.
    async fn set_preferences(
        &self,
        negotiation_id: &str,
        party: &str,
        body: &str,
        at: i64,
    ) -> Result<(), StoreError>;
    /// The events numbered `from` and later, in order.
    async fn events(&self, negotiation_id: &str, from: i64) -> Result<Vec<EventRow>, StoreError>;
    /// Appends events (numbered consecutively by the caller) in one transaction;
    /// [`StoreError::Conflict`] when a number is taken, and then nothing is written.
    async fn append(&self, negotiation_id: &str, events: &[EventRow]) -> Result<(), StoreError>;
    /// The observations of a negotiation's event log, in order.
    async fn observations(&self, negotiation_id: &str) -> Result<Vec<ObservationRow>, StoreError>;
    /// Appends an observation and the event that records it, in one transaction;
    /// [`StoreError::Conflict`] when either number is taken, and then nothing is written.
    async fn append_observation(
        &self,
        negotiation_id: &str,
        observation: &ObservationRow,
        event: &EventRow,
    ) -> Result<(), StoreError>;
    /// Every append that commits from now on, by any process, when the database can tell (PostgreSQL's
    /// LISTEN/NOTIFY); `None` when it cannot (one SQLite file has one server process), and the
    /// callers look at the record instead. The stream ends when the connection is lost (appends
    /// made meanwhile are not told): call again to follow again.
    async fn appended(&self) -> Result<Option<Appended>, StoreError> {
        Ok(None)
    }
}
