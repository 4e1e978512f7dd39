//! [`Store`] over SQL: one set of portable statements (`$1` parameters, TEXT and BIGINT columns) on
//! SQLite (`sqlite://PATH`, created on first use) or PostgreSQL (`postgres://...`), through sqlx's
//! `Any` driver, with the versioned migrations of `migrations/` applied at [`SqlStore::open`].
//!
//! **Durability:** SQLite runs in WAL mode with `synchronous = FULL`, so a committed transaction
//! survives the process being killed and the machine losing power; PostgreSQL commits durably by
//! default.
//!
//! **Writing:** appends go through one writer task that commits the appends of every request
//! waiting in one transaction ([`super::group`]). On SQLite every write goes through one connection
//! (a pool of one, for the writer task and the other writes), so that writers of this process queue
//! in order instead of waiting on SQLite's lock (whose busy handler sleeps for milliseconds), and
//! reads go through a pool of their own (WAL lets them run beside the writer). On SQLite this
//! process is the file's one writer, so the invitations it has looked up are kept in memory
//! ([`super::tokens`]), dropped as they are revoked.

use std::borrow::Cow;

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row, SqlSafeStr};

use super::group::{self, Pending};
use super::tokens::TokenCache;
use super::{EventRow, InvitationRow, NegotiationRow, ObservationRow, Store, StoreError};

/// The schema's migrations, in version order.
const MIGRATIONS: [(i64, &str, &str); 2] = [
    (1, "init", include_str!("../../migrations/0001_init.sql")),
    (2, "monitoring", include_str!("../../migrations/0002_monitoring.sql")),
];

/// The store over an SQLite file or a PostgreSQL database.
#[derive(Clone, Debug)]
pub struct SqlStore {
    /// Reads (on PostgreSQL, everything).
    pool: AnyPool,
    /// Writes: on SQLite one connection; on PostgreSQL the pool.
    writer: AnyPool,
    /// The group-commit writer of appends.
    appends: tokio::sync::mpsc::UnboundedSender<Pending>,
    /// The invitations looked up, on SQLite.
    tokens: Option<Arc<TokenCache>>,
    backend: &'static str,
    /// The URL, to open the PostgreSQL connection that listens for appends.
    url: Arc<str>,
}

/// The PostgreSQL channel on which every append is told, as `<negotiation id> <last seq>`.
pub const CHANNEL: &str = "truce_events";

impl SqlStore {
    /// Opens (creating an SQLite file if needed) and migrates the database at `url`:
    /// `sqlite://PATH`, `sqlite::memory:` or `postgres://USER@HOST:PORT/DB`.
    ///
    /// # Errors
    /// [`StoreError::Url`] for another scheme; the database's or the migration's failure.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend, max, memory) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let memory = rest.contains(":memory:");
            let url = if memory || rest.contains("mode=") {
                url.to_owned()
            } else if rest.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            // An in-memory database exists once per connection: keep one.
            (url, "sqlite", if memory { 1 } else { 4 }, memory)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_owned(), "postgres", 8, false)
        } else {
            return Err(StoreError::Url(format!(
                "`{url}` is not a database this server opens: give sqlite://PATH or postgres://USER@HOST:PORT/DATABASE"
            )));
        };
        let sqlite = backend == "sqlite";
        let options = move |max: u32| {
            // An SQLite connection is a file in this process: nothing to test before each use.
            AnyPoolOptions::new().max_connections(max).test_before_acquire(!sqlite).after_connect(
                move |conn, _| {
                    Box::pin(async move {
                        if sqlite {
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                        }
                        Ok(())
                    })
                },
            )
        };
        let pool = options(max).connect(&url).await?;
        let migrations = MIGRATIONS
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations).run(&pool).await?;
        // An in-memory database is one connection's: it reads and writes through it.
        let writer = if sqlite && !memory { options(1).connect(&url).await? } else { pool.clone() };
        let appends = group::start(writer.clone(), !sqlite);
        let tokens = sqlite.then(Arc::default);
        Ok(Self { pool, writer, appends, tokens, backend, url: url.into() })
    }

    /// `sqlite` or `postgres`.
    #[must_use]
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Closes the pools, waiting for connections to finish.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    /// On PostgreSQL, tells every listener ([`Store::appended`]) that the negotiation's record now
    /// runs to `last`, when (and only if) the transaction commits; nothing on SQLite.
    async fn notify(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        negotiation_id: &str,
        last: i64,
    ) -> Result<(), StoreError> {
        if self.backend == "postgres" {
            notify(tx, &[(negotiation_id, last)]).await?;
        }
        Ok(())
    }
}

/// Tells PostgreSQL's listeners that each negotiation's record runs to its number, when (and only
/// if) the transaction commits: one statement for them all.
pub(super) async fn notify(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    told: &[(&str, i64)],
) -> Result<(), sqlx::Error> {
    if told.is_empty() {
        return Ok(());
    }
    // pg_notify returns void, which the `Any` driver does not decode: count the calls instead. (One
    // call a row of a VALUES list: a join of calls would make the planner search a join of many.)
    let rows: Vec<String> = (0..told.len()).map(|i| format!("(${}::text)", i + 2)).collect();
    let sql = format!("SELECT count(pg_notify($1, x)) AS told FROM (VALUES {}) AS t(x)", rows.join(", "));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(CHANNEL);
    for (negotiation_id, last) in told {
        query = query.bind(format!("{negotiation_id} {last}"));
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

fn negotiation_of(row: &AnyRow) -> Result<NegotiationRow, sqlx::Error> {
    Ok(NegotiationRow {
        id: row.try_get("id")?,
        created_at: row.try_get("created_at")?,
        title: row.try_get("title")?,
        protocol: row.try_get("protocol")?,
        disclosure: row.try_get("disclosure")?,
        rounds: row.try_get("rounds")?,
        seed: row.try_get("seed")?,
        case_toml: row.try_get("case_toml")?,
        seats: row.try_get("seats")?,
        class_id: row.try_get("class_id")?,
    })
}

fn invitation_of(row: &AnyRow) -> Result<InvitationRow, sqlx::Error> {
    Ok(InvitationRow {
        token_sha256: row.try_get("token_sha256")?,
        negotiation_id: row.try_get("negotiation_id")?,
        participant: row.try_get("participant")?,
        role: row.try_get("role")?,
        revoked: row.try_get::<i64, _>("revoked")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

const NEGOTIATION_COLUMNS: &str =
    "id, created_at, title, protocol, disclosure, rounds, seed, case_toml, seats, class_id";
const INVITATION_COLUMNS: &str = "token_sha256, negotiation_id, participant, role, revoked, created_at";

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

async fn insert_invitation<'c, E>(executor: E, i: &InvitationRow) -> Result<(), sqlx::Error>
where
    E: Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO invitations (token_sha256, negotiation_id, participant, role, revoked, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&i.token_sha256)
    .bind(&i.negotiation_id)
    .bind(&i.participant)
    .bind(&i.role)
    .bind(i64::from(i.revoked))
    .bind(i.created_at)
    .execute(executor)
    .await?;
    Ok(())
}

#[async_trait]
impl Store for SqlStore {
    async fn admin_token_hash(&self) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind("admin_token_sha256")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    async fn init_admin_token_hash(&self, hash: &str) -> Result<bool, StoreError> {
        let done =
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind("admin_token_sha256")
                .bind(hash)
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_admin_token_hash(&self, hash: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind("admin_token_sha256")
        .bind(hash)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn create(
        &self,
        n: &NegotiationRow,
        invitations: &[InvitationRow],
        preferences: &[(String, String)],
        events: &[EventRow],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO negotiations (id, created_at, title, protocol, disclosure, rounds, seed, case_toml, seats, class_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&n.id)
        .bind(n.created_at)
        .bind(&n.title)
        .bind(&n.protocol)
        .bind(&n.disclosure)
        .bind(n.rounds)
        .bind(n.seed)
        .bind(&n.case_toml)
        .bind(&n.seats)
        .bind(n.class_id.clone())
        .execute(&mut *tx)
        .await?;
        for i in invitations {
            insert_invitation(&mut *tx, i).await?;
        }
        for (party, body) in preferences {
            sqlx::query(
                "INSERT INTO preferences (negotiation_id, party, body, updated_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&n.id)
            .bind(party)
            .bind(body)
            .bind(n.created_at)
            .execute(&mut *tx)
            .await?;
        }
        let rows: Vec<(&str, &EventRow)> = events.iter().map(|e| (n.id.as_str(), e)).collect();
        group::insert_events(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn negotiation(&self, id: &str) -> Result<Option<NegotiationRow>, StoreError> {
        let sql = format!("SELECT {NEGOTIATION_COLUMNS} FROM negotiations WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.as_ref().map(negotiation_of).transpose()?)
    }

    async fn class(&self, class_id: &str) -> Result<Vec<NegotiationRow>, StoreError> {
        let sql = format!(
            "SELECT {NEGOTIATION_COLUMNS} FROM negotiations WHERE class_id = $1 ORDER BY created_at, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(class_id).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(negotiation_of).collect::<Result<_, _>>()?)
    }

    async fn negotiation_ids(&self) -> Result<Vec<String>, StoreError> {
        let rows =
            sqlx::query("SELECT id FROM negotiations ORDER BY created_at, id").fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?)
    }

    async fn invitation(&self, token_sha256: &str) -> Result<Option<InvitationRow>, StoreError> {
        if let Some(kept) = self.tokens.as_ref().and_then(|t| t.get(token_sha256)) {
            return Ok(Some(kept));
        }
        let epoch = self.tokens.as_ref().map(|t| t.epoch());
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_sha256 = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_sha256).fetch_optional(&self.pool).await?;
        let row = row.as_ref().map(invitation_of).transpose()?;
        if let (Some(tokens), Some(epoch), Some(row)) = (&self.tokens, epoch, &row) {
            tokens.keep(epoch, row);
        }
        Ok(row)
    }

    async fn invitations(&self, negotiation_id: &str) -> Result<Vec<InvitationRow>, StoreError> {
        let sql = format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE negotiation_id = $1 ORDER BY created_at, participant"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(negotiation_id).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(invitation_of).collect::<Result<_, _>>()?)
    }

    async fn revoke(&self, negotiation_id: &str, participant: &str) -> Result<u64, StoreError> {
        // Dropped before (so no lookup under way keeps them) and after (what was kept meanwhile).
        if let Some(tokens) = &self.tokens {
            tokens.revoked(negotiation_id, participant);
        }
        let done = sqlx::query(
            "UPDATE invitations SET revoked = 1 WHERE negotiation_id = $1 AND participant = $2 AND revoked = 0",
        )
        .bind(negotiation_id)
        .bind(participant)
        .execute(&self.writer)
        .await;
        if let Some(tokens) = &self.tokens {
            tokens.revoked(negotiation_id, participant);
        }
        Ok(done?.rows_affected())
    }

    async fn invite(&self, invitation: &InvitationRow) -> Result<(), StoreError> {
        insert_invitation(&self.writer, invitation).await?;
        Ok(())
    }

    async fn preferences(&self, negotiation_id: &str, party: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT body FROM preferences WHERE negotiation_id = $1 AND party = $2")
            .bind(negotiation_id)
            .bind(party)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("body")).transpose()?)
    }

    async fn set_preferences(
        &self,
        negotiation_id: &str,
        party: &str,
        body: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO preferences (negotiation_id, party, body, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (negotiation_id, party) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(negotiation_id)
        .bind(party)
        .bind(body)
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn events(&self, negotiation_id: &str, from: i64) -> Result<Vec<EventRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, author, kind, body FROM events WHERE negotiation_id = $1 AND seq >= $2 ORDER BY seq",
        )
        .bind(negotiation_id)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventRow {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    author: r.try_get("author")?,
                    kind: r.try_get("kind")?,
                    body: r.try_get("body")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    async fn append(&self, negotiation_id: &str, events: &[EventRow]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let (done, answer) = tokio::sync::oneshot::channel();
        let pending = Pending { negotiation_id: negotiation_id.to_owned(), events: events.to_vec(), done };
        let stopped = || StoreError::Database(sqlx::Error::PoolClosed);
        self.appends.send(pending).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    async fn observations(&self, negotiation_id: &str) -> Result<Vec<ObservationRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, author, record, source FROM observations WHERE negotiation_id = $1 ORDER BY seq",
        )
        .bind(negotiation_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ObservationRow {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    author: r.try_get("author")?,
                    record: r.try_get("record")?,
                    source: r.try_get("source")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    async fn append_observation(
        &self,
        negotiation_id: &str,
        observation: &ObservationRow,
        event: &EventRow,
    ) -> Result<(), StoreError> {
        let conflict = |e: sqlx::Error| if is_unique_violation(&e) { StoreError::Conflict } else { e.into() };
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO observations (negotiation_id, seq, at, author, record, source) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(negotiation_id)
        .bind(observation.seq)
        .bind(observation.at)
        .bind(&observation.author)
        .bind(&observation.record)
        .bind(observation.source.clone())
        .execute(&mut *tx)
        .await
        .map_err(conflict)?;
        group::insert_events(&mut tx, &[(negotiation_id, event)]).await.map_err(conflict)?;
        self.notify(&mut tx, negotiation_id, event.seq).await?;
        tx.commit().await.map_err(conflict)
    }

    async fn appended(&self) -> Result<Option<super::Appended>, StoreError> {
        use futures_util::StreamExt;
        if self.backend != "postgres" {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        let stream = listener.into_stream().take_while(|n| std::future::ready(n.is_ok())).filter_map(|n| {
            let told = n.ok().and_then(|n| {
                let (id, seq) = n.payload().rsplit_once(' ')?;
                Some((id.to_owned(), seq.parse::<i64>().ok()?))
            });
            std::future::ready(told)
        });
        Ok(Some(stream.boxed()))
    }
}
