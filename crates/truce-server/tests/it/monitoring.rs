//! The monitoring of an agreement reached live: who may record and who may read, what each role
//! sees (no preferences), bad observations refused with the event-log reader's messages and nothing
//! stored, the log and the record read by `truce monitor`, and everything kept across a restart.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use truce::model::{PartialDate, date_of_day, day_number};
use truce_server::Store;

use super::{ADMIN, App, tok};

/// The fictional Lakeside pause: its text carries schedules and days, and it signs an agreement
/// whose declared commitments a live agreement takes.
fn lakeside() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../truce-formats/tests/data/monitor/lakeside.toml"
    ))
    .expect("the case")
}

fn today() -> PartialDate {
    truce_server::api_date_of(truce_server::now_ms()).expect("today")
}

/// A negotiation of the Lakeside pause agreed on its signed text; its id and invitations.
async fn agreed(app: &App) -> (String, Value) {
    let (status, created) = app
        .call(
            "POST",
            "/api/v1/negotiations",
            Some(ADMIN),
            Some(json!({"case": lakeside(), "protocol": "single_text", "rounds": 1, "seed": 5,
                        "observers": ["press"], "guarantors": ["monitors"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let inv = created["invitations"].clone();
    assert_eq!(inv["monitors"]["role"], "guarantor");
    let text =
        json!({"hostages": 30, "aid_trucks_per_day": 100, "checkpoint": "removed", "withdrawal": "partial"});
    // Before the agreement the record signs nothing (the case's own agreement named its proposals).
    let path = format!("/api/v1/negotiations/{id}/case");
    let (status, record) = app.call("GET", &path, Some(&tok(&inv, "north")), None).await;
    assert_eq!(status, StatusCode::OK);
    let record = record.as_str().expect("toml");
    assert!(!record.contains("[[agreements]]"), "{record}");
    truce::validated(truce::load_text("record.toml", record).expect("reads")).expect("valid");
    let before = monitoring(app, &id, &tok(&inv, "north")).await;
    assert_eq!(before.0, StatusCode::CONFLICT, "nothing to monitor before an agreement: {}", before.1);
    let (status, body) =
        observe(app, &id, &tok(&inv, "monitors"), checkpoint_done(&today().to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    for (who, action) in [
        ("mediator", json!({"type": "text", "outcome": text})),
        ("north", json!({"type": "accept"})),
        ("south", json!({"type": "accept"})),
    ] {
        let (status, body) = app.act(&id, &tok(&inv, who), action).await;
        assert_eq!(status, StatusCode::OK, "{who}: {body}");
    }
    (id, inv)
}

async fn monitoring(app: &App, id: &str, token: &str) -> (StatusCode, Value) {
    app.call("GET", &format!("/api/v1/negotiations/{id}/monitoring"), Some(token), None).await
}

async fn observe(app: &App, id: &str, token: &str, body: Value) -> (StatusCode, Value) {
    app.call("POST", &format!("/api/v1/negotiations/{id}/monitoring/events"), Some(token), Some(body)).await
}

fn checkpoint_done(date: &str) -> Value {
    json!({"date": date, "commitment": "checkpoint", "quantity": 1, "unit": "done", "actor": "north",
           "place": "the <b>bridge</b>", "quote": "the checkpoint was <script>removed</script>",
           "source": {"id": "M1", "title": "Guarantors' field report", "kind": "report"}})
}

fn status_of<'a>(m: &'a Value, commitment: &str) -> &'a Value {
    &m["commitments"].as_array().expect("commitments").iter().find(|c| c["id"] == commitment).expect("found")
        ["status"]
}

#[tokio::test]
async fn monitors_record_observations_and_every_participant_sees_the_status() {
    let app = App::new().await;
    let (id, inv) = agreed(&app).await;
    let today = today().to_string();
    let (status, m) = monitoring(&app, &id, &tok(&inv, "north")).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["schema"], "truce-monitor/1");
    assert_eq!(m["agreement"]["proposal"], "agreement");
    assert_eq!(m["agreement"]["began"], today, "signed the day it was reached");
    assert_eq!(m["agreement"]["days"], 4, "the case's agreement lends its days");
    let ids: Vec<&str> =
        m["commitments"].as_array().expect("list").iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["hostages", "checkpoint", "withdrawal", "aid_trucks_per_day", "no_fire"]);
    assert_eq!(status_of(&m, "checkpoint"), "not_yet_due");

    // A party reads and records nothing; a wrong token learns nothing.
    let (status, body) = observe(&app, &id, &tok(&inv, "north"), checkpoint_done(&today)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(observe(&app, &id, "wrong", checkpoint_done(&today)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(monitoring(&app, &id, "wrong").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(monitoring(&app, "nope", &tok(&inv, "north")).await.0, StatusCode::UNAUTHORIZED);

    // The guarantor records, naming a new source; the observer and the mediator record too.
    let (status, body) = observe(&app, &id, &tok(&inv, "monitors"), checkpoint_done(&today)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!((body["observation"].as_i64(), body["source_added"].as_str()), (Some(0), Some("M1")));
    let aid = json!({"date": today, "commitment": "aid_trucks_per_day", "quantity": "120", "unit": "trucks",
                     "source": {"id": "S2"}});
    let (status, body) = observe(&app, &id, &tok(&inv, "press"), aid).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["source_added"].is_null());
    let hostages = json!({"date": today, "commitment": "hostages", "quantity": 10, "unit": "people",
                          "actor": "south", "source": {"id": "M1"}});
    let (status, body) = observe(&app, &id, &tok(&inv, "mediator"), hostages).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Everyone sees the change: a deadline met, a rate on track.
    for who in ["north", "south", "mediator", "press", "monitors"] {
        let (status, m) = monitoring(&app, &id, &tok(&inv, who)).await;
        assert_eq!(status, StatusCode::OK, "{who}: {m}");
        assert_eq!(status_of(&m, "checkpoint"), "met", "{who}");
        assert_eq!(m["sources"], json!(["S2", "M1"]), "{who}: in the record's order");
        let text = m.to_string();
        for private in ["weights", "reservation", "\"values\"", "linear"] {
            assert!(!text.contains(private), "{who} sees no preferences ({private})");
        }
    }
    let later = date_of_day(day_number(self::today()) + 10).expect("a date").to_string();
    let (status, m) = app
        .call(
            "GET",
            &format!("/api/v1/negotiations/{id}/monitoring?at={later}"),
            Some(&tok(&inv, "north")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!((m["at"].as_str(), m["at_day"].as_i64()), (Some(later.as_str()), Some(11)));
    let (status, body) = app
        .call(
            "GET",
            &format!("/api/v1/negotiations/{id}/monitoring?at=2999-01-01"),
            Some(&tok(&inv, "north")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("more than 100 years")), "{body}");
    let (status, body) = app
        .call(
            "GET",
            &format!("/api/v1/negotiations/{id}/monitoring?at=tomorrow"),
            Some(&tok(&inv, "north")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Each observation is an event of the record, which wakes the event streams.
    let rows = app.store.events(&id, 0).await.expect("events");
    let marks: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.kind == "observation")
        .map(|r| (r.author.as_str(), r.body.as_str()))
        .collect();
    assert_eq!(
        marks,
        [
            ("monitors", "{\"observation\":0}"),
            ("press", "{\"observation\":1}"),
            ("mediator", "{\"observation\":2}")
        ]
    );
    // The negotiation itself is unchanged by them: its view and transcript read as before.
    assert_eq!(app.view(&id, &tok(&inv, "north")).await["status"], "agreed");
}

#[tokio::test]
async fn the_log_and_the_record_are_what_truce_monitor_reads() {
    let app = App::new().await;
    let (id, inv) = agreed(&app).await;
    let today = today().to_string();
    let guarantor = tok(&inv, "monitors");
    assert_eq!(observe(&app, &id, &guarantor, checkpoint_done(&today)).await.0, StatusCode::CREATED);
    let aid = json!({"date": today, "commitment": "aid_trucks_per_day", "quantity": 95.5, "unit": "trucks",
                     "place": "north crossing, gate 2", "source": {"id": "S3"}, "note": "a \"slow\" day"});
    assert_eq!(observe(&app, &id, &guarantor, aid).await.0, StatusCode::CREATED);
    let north = tok(&inv, "north");
    let (status, jsonl) =
        app.call("GET", &format!("/api/v1/negotiations/{id}/monitoring/events"), Some(&north), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, csv) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/monitoring/events?format=csv"), Some(&north), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().expect("csv").to_owned();
    assert!(csv.starts_with("date,commitment,quantity,unit,actor,place,source,quote,note\n"), "{csv}");
    let (status, case) =
        app.call("GET", &format!("/api/v1/negotiations/{id}/case"), Some(&north), None).await;
    assert_eq!(status, StatusCode::OK);
    let case = case.as_str().expect("toml").to_owned();
    assert!(case.contains("[[agreements]]") && case.contains("Guarantors' field report"), "{case}");
    assert!(!case.contains("weights"));
    let dir = tempfile::tempdir().expect("a folder");
    let (case_path, jsonl_path, csv_path) =
        (dir.path().join("record.toml"), dir.path().join("log.jsonl"), dir.path().join("log.csv"));
    std::fs::write(&case_path, case).expect("write");
    // `jsonl` is JSON Lines: not one JSON value, so the test client hands it back as text.
    std::fs::write(&jsonl_path, jsonl.as_str().expect("text")).expect("write");
    std::fs::write(&csv_path, &csv).expect("write");
    let record = truce::load_valid(&case_path).expect("the record reads and is valid").loaded.case;
    let (_, served) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/monitoring?at={today}"), Some(&north), None)
        .await;
    for log in [jsonl_path, csv_path] {
        let options = truce::MonitorOptions {
            events: vec![log.clone()],
            at: Some(today.parse().expect("date")),
            ..Default::default()
        };
        let monitored =
            truce::monitor(&record, &options).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
        let offline: Value =
            serde_json::from_str(&truce::report::monitor::json::to_string(&record, &monitored.monitoring))
                .expect("json");
        assert_eq!(offline["commitments"], served["commitments"], "{}", log.display());
        assert_eq!(offline["sources"], served["sources"]);
    }
}

#[tokio::test]
async fn bad_observations_get_a_4xx_that_says_what_and_store_nothing() {
    let app = App::new().await;
    let (id, inv) = agreed(&app).await;
    let guarantor = tok(&inv, "monitors");
    let today = today();
    let yesterday = date_of_day(day_number(today) - 1).expect("a date").to_string();
    let today = today.to_string();
    let base = json!({"date": today, "commitment": "hostages", "quantity": 10, "unit": "people", "source": {"id": "S2"}});
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b[field] = value;
        b
    };
    let events_before = app.store.events(&id, 0).await.expect("events").len();
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with("commitment", json!("hostage")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no commitment `hostage` (did you mean `hostages`?)",
        ),
        (with("date", json!(yesterday)), StatusCode::UNPROCESSABLE_ENTITY, "before the agreement began"),
        (
            with("date", json!("2031-13-01")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (with("quantity", json!(-3)), StatusCode::UNPROCESSABLE_ENTITY, "a quantity of -3"),
        (with("quantity", json!("ten")), StatusCode::UNPROCESSABLE_ENTITY, "`ten` is not a number"),
        (with("quantity", json!([1])), StatusCode::BAD_REQUEST, "`quantity` is a number"),
        (
            with("unit", json!("trucks")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "`hostages` is counted in `people`, not `trucks`",
        ),
        (with("actor", json!("east")), StatusCode::UNPROCESSABLE_ENTITY, "the case has no party `east`"),
        (
            with("source", json!({"id": "M9"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "the record has no source `M9`: name one of S1, S2, S3",
        ),
        (
            with("source", json!({"id": "M9", "title": "X", "kind": "rumour"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "source kind `rumour` is not one of",
        ),
        (
            with("source", json!({"id": "S2", "title": "Another title"})),
            StatusCode::CONFLICT,
            "already has a source `S2`",
        ),
        (
            with("source", json!({"id": "<script>", "title": "X", "kind": "report"})),
            StatusCode::BAD_REQUEST,
            "is not a source id",
        ),
        (with("source", json!("S2")), StatusCode::BAD_REQUEST, "the body is not the JSON expected"),
        (with("provision", json!("hostages")), StatusCode::BAD_REQUEST, "unknown field `provision`"),
        (
            with("note", json!("x".repeat(4001))),
            StatusCode::BAD_REQUEST,
            "`note` has at most 4000 characters",
        ),
    ];
    for (body, status, says) in cases {
        let (got, answer) = observe(&app, &id, &guarantor, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{body}: {error}");
    }
    assert!(app.store.observations(&id).await.expect("read").is_empty(), "nothing stored half-way");
    assert_eq!(app.store.events(&id, 0).await.expect("events").len(), events_before);
    // And a source contradicting itself is kept and flagged, never dropped.
    assert_eq!(observe(&app, &id, &guarantor, base.clone()).await.0, StatusCode::CREATED);
    let (status, body) = observe(&app, &id, &guarantor, with("quantity", json!(8))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["warnings"][0].as_str().is_some_and(|w| w.contains("both kept")), "{body}");
    let (_, m) = monitoring(&app, &id, &tok(&inv, "north")).await;
    assert_eq!(m["commitments"][0]["observations"], 2);
}

#[tokio::test]
async fn the_log_survives_a_restart() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let app = App::on(&url).await;
    let (id, inv) = agreed(&app).await;
    let today = today().to_string();
    assert_eq!(
        observe(&app, &id, &tok(&inv, "monitors"), checkpoint_done(&today)).await.0,
        StatusCode::CREATED
    );
    app.store.close().await;
    let app = App::on(&url).await;
    let (status, m) = monitoring(&app, &id, &tok(&inv, "south")).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(status_of(&m, "checkpoint"), "met");
    // The next observation and the next move of the record take the next numbers.
    let aid = json!({"date": today, "commitment": "aid_trucks_per_day", "quantity": 100, "unit": "trucks", "source": {"id": "M1"}});
    let (status, body) = observe(&app, &id, &tok(&inv, "monitors"), aid).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["observation"], 1);
}

#[tokio::test]
async fn the_page_shows_the_status_to_everyone_and_the_form_to_monitors_only() {
    let app = App::new().await;
    let (id, inv) = agreed(&app).await;
    assert_eq!(
        observe(&app, &id, &tok(&inv, "monitors"), checkpoint_done(&today().to_string())).await.0,
        StatusCode::CREATED
    );
    let page = |who: &str, path: &str| {
        let cookie = format!("truce_{id}={}", tok(&inv, who));
        Request::builder().uri(path.to_owned()).header("cookie", cookie).body(Body::empty()).expect("request")
    };
    for (who, monitor) in [("monitors", true), ("press", true), ("mediator", true), ("north", false)] {
        let (status, html) = app.raw(page(who, &format!("/n/{id}/monitoring"))).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        let html = html.as_str().expect("html");
        assert_eq!(html.contains("Record this observation"), monitor, "{who}");
        assert!(html.contains("class=\"status status-met\""), "{who}: the checkpoint is met");
        assert!(html.contains("<img src=\"data:image"), "{who}: the plots");
        assert!(!html.contains("<script>removed") && !html.contains("<b>bridge"), "{who}: user text escaped");
        assert!(html.contains("&lt;script&gt;removed"), "{who}");
        assert!(!html.contains("<script>") && !html.contains(" style="), "{who}: no inline script or style");
    }
    let (status, fragment) = app.raw(page("south", &format!("/n/{id}/monitoring/status"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.as_str().expect("html").starts_with("<div id=\"monitoring-status\">"));
    let anonymous =
        Request::builder().uri(format!("/n/{id}/monitoring/status")).body(Body::empty()).expect("request");
    assert_eq!(app.raw(anonymous).await.0, StatusCode::UNAUTHORIZED);
}
