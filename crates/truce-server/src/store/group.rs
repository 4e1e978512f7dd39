//! Group commit: one writer task takes the appends of every request that is waiting, stores them in
//! one transaction (one multi-row `INSERT`, one commit, so one fsync on SQLite), and answers each
//! only after that commit. This is how a durable store reaches thousands of commits a second: the
//! cost of making a commit durable is paid once for all the appends waiting when it starts, and no
//! append is acknowledged before it is durable.
//!
//! An append that conflicts (a number another writer took first) must fail alone, writing nothing:
//! when a gathered transaction fails, it is rolled back whole and each of its appends is stored again
//! in a transaction of its own, so each gets its own answer.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

use sqlx::AnyPool;

use super::{EventRow, StoreError};

/// The writers on PostgreSQL.
const WRITERS_POSTGRES: usize = 4;
/// The most appends gathered into one transaction.
const MAX_GATHERED: usize = 256;
/// The most rows one `INSERT` statement carries (6 parameters each, far below both databases'
/// limits on parameters).
const ROWS_PER_STATEMENT: usize = 64;

/// One append waiting for its commit.
pub(super) struct Pending {
    pub negotiation_id: String,
    pub events: Vec<EventRow>,
    pub done: oneshot::Sender<Result<(), StoreError>>,
}

/// Starts the writers over `pool`: on SQLite one (over a pool of one connection, so that no two
/// writers of this process wait on each other's locks); on PostgreSQL, which commits many
/// transactions at once, `WRITERS_POSTGRES`, each gathering what waits when it is free. They stop
/// when every sender is dropped.
pub(super) fn start(pool: AnyPool, postgres: bool) -> mpsc::UnboundedSender<Pending> {
    let (tx, rx) = mpsc::unbounded_channel::<Pending>();
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..if postgres { WRITERS_POSTGRES } else { 1 } {
        let (pool, rx) = (pool.clone(), rx.clone());
        tokio::spawn(async move {
            loop {
                let batch = {
                    let mut rx = rx.lock().await;
                    let Some(first) = rx.recv().await else { return };
                    let mut batch = vec![first];
                    while batch.len() < MAX_GATHERED {
                        match rx.try_recv() {
                            Ok(p) => batch.push(p),
                            Err(_) => break,
                        }
                    }
                    batch
                };
                write(&pool, postgres, batch).await;
            }
        });
    }
    tx
}

/// Stores `batch` in one transaction, or, when that fails, each append in its own.
async fn write(pool: &AnyPool, postgres: bool, batch: Vec<Pending>) {
    let together = if batch.len() == 1 { None } else { Some(commit(pool, postgres, &batch).await) };
    match together {
        Some(Ok(())) => {
            for p in batch {
                let _ = p.done.send(Ok(()));
            }
        }
        _ => {
            for p in batch {
                let alone = commit(pool, postgres, std::slice::from_ref(&p)).await;
                let _ = p.done.send(alone);
            }
        }
    }
}

/// One transaction holding every append of `batch`; [`StoreError::Conflict`] when a number is
/// taken (nothing is written then).
async fn commit(pool: &AnyPool, postgres: bool, batch: &[Pending]) -> Result<(), StoreError> {
    let conflict = |e: sqlx::Error| {
        if matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()) {
            StoreError::Conflict
        } else {
            StoreError::Database(e)
        }
    };
    let rows: Vec<(&str, &EventRow)> =
        batch.iter().flat_map(|p| p.events.iter().map(|e| (p.negotiation_id.as_str(), e))).collect();
    let mut tx = pool.begin().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        insert_events(&mut tx, chunk).await.map_err(conflict)?;
    }
    if postgres {
        let told: Vec<(&str, i64)> =
            batch.iter().filter_map(|p| Some((p.negotiation_id.as_str(), p.events.last()?.seq))).collect();
        for chunk in told.chunks(ROWS_PER_STATEMENT) {
            super::sql::notify(&mut tx, chunk).await?;
        }
    }
    tx.commit().await.map_err(conflict)
}

/// One `INSERT` of `rows` (negotiation, event) into `events`.
pub(super) async fn insert_events(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[(&str, &EventRow)],
) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("INSERT INTO events (negotiation_id, seq, at, author, kind, body) VALUES ");
    for i in 0..rows.len() {
        let p = i * 6;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6));
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (negotiation_id, e) in rows {
        query = query
            .bind(*negotiation_id)
            .bind(e.seq)
            .bind(e.at)
            .bind(e.author.as_str())
            .bind(e.kind.as_str())
            .bind(e.body.as_str());
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
