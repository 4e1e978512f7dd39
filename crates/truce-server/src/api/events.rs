//! `GET /api/v1/negotiations/{id}/events` (server-sent events: every stored event the bearer may
//! see as an `event`, then each new one as it is stored, and a bare `tick` for one it may not see;
//! `Last-Event-ID` resumes after a reconnection) and
//! `GET /api/v1/negotiations/{id}/transcript` (the transcript format, JSON Lines, as the bearer may
//! see it).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::stream;
use tokio::sync::broadcast;

use crate::app::{AppState, Participant};
use crate::error::ApiError;
use crate::live::Rules;
use crate::view;

struct Follow {
    state: AppState,
    rules: Arc<Rules>,
    who: Participant,
    next: i64,
    wake: broadcast::Receiver<i64>,
    pending: std::collections::VecDeque<SseEvent>,
}

/// `GET .../events`.
pub async fn stream(
    State(state): State<AppState>,
    who: Participant,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let rules = state.rules(&who.negotiation).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0, |seq| seq + 1);
    let wake = state.slot(&who.negotiation).wake.subscribe();
    let follow = Follow { state, rules, who, next: after, wake, pending: Default::default() };
    let events = stream::unfold(follow, |mut f| async move {
        loop {
            if let Some(event) = f.pending.pop_front() {
                return Some((Ok::<_, Infallible>(event), f));
            }
            match f.state.store.events(&f.who.negotiation, f.next).await {
                Ok(rows) if !rows.is_empty() => {
                    // Rows this process may not have written (another process's, when no notice
                    // came): a live state that stops before them is stale.
                    if let Some(last) = rows.last() {
                        f.state.forget_if_behind(&f.state.slot(&f.who.negotiation), last.seq).await;
                    }
                    for row in &rows {
                        f.next = row.seq + 1;
                        let event = SseEvent::default().id(row.seq.to_string());
                        // An event the bearer may not see still says that the negotiation moved (whose
                        // turn it is is public), so that every screen updates.
                        f.pending.push_back(match view::row(&f.rules, &f.who.viewer, row) {
                            Some(value) => event.event("event").data(value.to_string()),
                            None => event.event("tick").data(format!("{{\"seq\":{}}}", row.seq)),
                        });
                    }
                    continue;
                }
                Ok(_) => {}
                // The store failed: end the stream; the browser's EventSource reconnects.
                Err(_) => return None,
            }
            // Wait for the next append, told by this process or (PostgreSQL) by another; look again
            // after a while in case a notice was lost.
            if let Ok(Err(broadcast::error::RecvError::Closed)) =
                tokio::time::timeout(Duration::from_secs(5), f.wake.recv()).await
            {
                return None;
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// `GET .../transcript`.
pub async fn transcript(
    State(state): State<AppState>,
    who: Participant,
) -> Result<impl IntoResponse, ApiError> {
    let rules = state.rules(&who.negotiation).await?;
    let rows = state.store.events(&who.negotiation, 0).await?;
    let mut out = String::new();
    for row in rows.iter().filter(|r| r.kind == "engine") {
        let Ok(event) = serde_json::from_str::<truce::sim::Event>(&row.body) else { continue };
        if let Some(seen) = view::event(&rules, &who.viewer, &event) {
            out.push_str(&serde_json::to_string(&seen).map_err(|e| ApiError::internal(&e))?);
            out.push('\n');
        }
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out))
}
