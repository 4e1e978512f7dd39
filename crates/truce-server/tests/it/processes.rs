//! Several server processes on one PostgreSQL database (two applications over their own pools, as
//! two `truce serve` processes are): a move made through one reaches the other's event streams and
//! views at once, told by PostgreSQL's NOTIFY rather than found by the streams' 5-second poll.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use serde_json::json;
use tower::ServiceExt;

use super::{App, harbour, harbour_text, tok};

/// Reads `stream` until its text holds `needle`, for at most `within`; returns whether it did.
async fn read_until(
    stream: &mut (impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
    text: &mut String,
    needle: &str,
    within: std::time::Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while !text.contains(needle) {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            _ => return false,
        }
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_through_one_process_reaches_the_others_pages_at_once() {
    let Some(url) = super::postgres() else { return };
    let (a, b) = (App::on(&url).await, App::on(&url).await);
    assert!(a.state.follow_appends().await.expect("A listens"), "PostgreSQL tells appends");
    assert!(b.state.follow_appends().await.expect("B listens"));
    let (id, inv) = a.create(json!({"case": harbour(), "rounds": 1, "seed": 3})).await;
    let (mediator, north) = (tok(&inv, "mediator"), tok(&inv, "north"));

    // B loads the negotiation as the record stands, and North follows it through B.
    assert_eq!(b.view(&id, &north).await["turn"]["actor"], "mediator");
    let req = Request::builder()
        .uri(format!("/api/v1/negotiations/{id}/events"))
        .header("authorization", format!("Bearer {north}"))
        .body(Body::empty())
        .expect("request");
    let response = truce_server::router(b.state.clone()).oneshot(req).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let mut stream = response.into_body().into_data_stream();
    let mut text = String::new();
    let wait = std::time::Duration::from_secs(2);
    assert!(read_until(&mut stream, &mut text, "\"event\":\"start\"", wait).await, "{text}");
    // The stream is pulled: pull it once more, so that it has looked at the record and waits.
    let idle = std::time::Duration::from_millis(200);
    assert!(!read_until(&mut stream, &mut text, "\"event\":\"text\"", idle).await, "{text}");

    // The mediator tables a text through A: North's stream on B has it well before B's poll (5 s).
    let (status, body) = a.act(&id, &mediator, json!({"type": "text", "outcome": harbour_text()})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(read_until(&mut stream, &mut text, "\"event\":\"text\"", wait).await, "not told: {text}");

    // B's view is the record's, not the one it loaded: North's turn, and North answers through B.
    let view = b.view(&id, &north).await;
    assert_eq!(view["turn"]["actor"], "north", "{view}");
    let (status, body) = b.act(&id, &north, json!({"type": "accept"})).await;
    assert_eq!(status, StatusCode::OK, "B acted on the record, not on a stale state: {body}");
}

/// SQLite has one server process per file: nothing to listen to, and the streams poll.
#[tokio::test]
async fn sqlite_has_no_appends_to_follow() {
    let app = App::new().await;
    assert!(!app.state.follow_appends().await.expect("no error"));
}
