//! The API for every role: a whole negotiation, authorisation, bad input, concurrency, agents,
//! resuming from the record, the exports, classes, and the headers of every response.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use super::{ADMIN, App, harbour, harbour_text, tok};

fn single_text(rounds: u32) -> Value {
    json!({"case": harbour(), "protocol": "single_text", "rounds": rounds, "observers": ["ostland"], "seed": 3})
}

async fn event_count(app: &App, id: &str) -> usize {
    use truce_server::Store;
    app.store.events(id, 0).await.expect("events").len()
}

#[tokio::test]
async fn a_mediated_text_agreed_by_both_parties_shows_on_every_screen() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(1)).await;
    for who in ["mediator", "north", "coast", "ostland"] {
        assert_eq!(inv[who]["token"].as_str().map(str::len), Some(64), "{who}: a 256-bit token");
        assert!(
            inv[who]["url"].as_str().is_some_and(|u| u.starts_with(&format!("http://test/n/{id}?token=")))
        );
    }
    let (mediator, north, coast, observer) =
        (tok(&inv, "mediator"), tok(&inv, "north"), tok(&inv, "coast"), tok(&inv, "ostland"));
    let view = app.view(&id, &mediator).await;
    assert_eq!(view["turn"]["asked"], "text");
    assert_eq!(view["turn"]["yours"], true);
    assert_eq!(view["phases"][0]["duration_days"], 42);

    let (status, body) = app
        .act(&id, &mediator, json!({"type": "text", "outcome": harbour_text(), "comment": "A first draft."}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view = app.view(&id, &north).await;
    assert_eq!(view["turn"]["actor"], "north");
    assert_eq!(view["table"]["text"]["terms"]["hostages_released"], 40);
    assert_eq!(view["table"]["text"]["evaluation"]["acceptable"], true, "{view}");

    let (status, body) = app.act(&id, &north, json!({"type": "accept"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.act(&id, &coast, json!({"type": "accept", "comment": "Agreed."})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for token in [&mediator, &north, &coast, &observer] {
        let view = app.view(&id, token).await;
        assert_eq!(view["status"], "agreed", "{view}");
        assert_eq!(view["agreement"]["terms"]["withdrawal"], "populated_areas");
        assert!(view["turn"].is_null());
    }
    // After the end, nothing more is taken, and nothing is stored.
    let before = event_count(&app, &id).await;
    let (status, body) = app.act(&id, &north, json!({"type": "accept"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("ended")), "{body}");
    assert_eq!(event_count(&app, &id).await, before);
}

/// Issue 15: the invitations a server has looked up are kept in memory (on SQLite), and a
/// revocation still takes effect for the very next request, on a file as in memory.
#[tokio::test]
async fn a_token_in_use_is_refused_from_the_moment_it_is_revoked() {
    let dir = tempfile::tempdir().expect("a folder");
    for url in ["sqlite::memory:".to_owned(), format!("sqlite://{}", dir.path().join("t.db").display())] {
        let app = App::on(&url).await;
        let (id, inv) = app.create(single_text(3)).await;
        let (north, mediator) = (tok(&inv, "north"), tok(&inv, "mediator"));
        let path = format!("/api/v1/negotiations/{id}");
        for _ in 0..2 {
            let (status, _) = app.call("GET", &path, Some(&north), None).await;
            assert_eq!(status, StatusCode::OK, "{url}");
        }
        let (status, body) =
            app.act(&id, &mediator, json!({"type": "text", "outcome": harbour_text()})).await;
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        let (status, body) =
            app.call("DELETE", &format!("{path}/invitations/north"), Some(ADMIN), None).await;
        assert_eq!((status, body["revoked"].as_u64()), (StatusCode::OK, Some(1)));
        let (status, _) = app.call("GET", &path, Some(&north), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{url}: revoked, refused at once");
        let (status, _) = app.act(&id, &north, json!({"type": "accept"})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{url}");
        // The other participants' tokens still work.
        let (status, _) = app.call("GET", &path, Some(&mediator), None).await;
        assert_eq!(status, StatusCode::OK, "{url}");
    }
}

#[tokio::test]
async fn tokens_are_checked_per_negotiation_and_a_wrong_one_learns_nothing() {
    let app = App::new().await;
    let (status, _) = app.call("POST", "/api/v1/negotiations", None, Some(single_text(3))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) =
        app.call("POST", "/api/v1/negotiations", Some("not-the-admin"), Some(single_text(3))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (a, inv_a) = app.create(single_text(3)).await;
    let (b, _) = app.create(single_text(3)).await;
    let north_a = tok(&inv_a, "north");
    let (s1, wrong_negotiation) =
        app.call("GET", &format!("/api/v1/negotiations/{b}"), Some(&north_a), None).await;
    let (s2, no_negotiation) =
        app.call("GET", "/api/v1/negotiations/0123456789abcdef01234567", Some(&north_a), None).await;
    let (s3, wrong_token) = app.call("GET", &format!("/api/v1/negotiations/{a}"), Some("0000"), None).await;
    let (s4, no_token) = app.call("GET", &format!("/api/v1/negotiations/{a}"), None, None).await;
    assert!([s1, s2, s3, s4].iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert_eq!(wrong_negotiation, no_negotiation, "the same answer whether or not it exists");
    assert_eq!(wrong_token, no_token);
    // The admin token is no participant's.
    let (status, _) = app.call("GET", &format!("/api/v1/negotiations/{a}"), Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Revoked: 401 from then on; a new invitation opens it again.
    let (status, body) =
        app.call("DELETE", &format!("/api/v1/negotiations/{a}/invitations/north"), Some(ADMIN), None).await;
    assert_eq!((status, body["revoked"].as_u64()), (StatusCode::OK, Some(1)));
    let (status, _) = app.call("GET", &format!("/api/v1/negotiations/{a}"), Some(&north_a), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, again) = app
        .call(
            "POST",
            &format!("/api/v1/negotiations/{a}/invitations"),
            Some(ADMIN),
            Some(json!({"participant": "north", "role": "party"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let view = app.view(&a, again["token"].as_str().expect("token")).await;
    assert_eq!(view["you"]["participant"], "north");
    // A party cannot be invited as the mediator.
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/v1/negotiations/{a}/invitations"),
            Some(ADMIN),
            Some(json!({"participant": "north", "role": "mediator"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn moves_out_of_turn_or_from_the_wrong_role_are_refused_and_store_nothing() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(3)).await;
    let before = event_count(&app, &id).await;
    let (status, body) = app.act(&id, &tok(&inv, "north"), json!({"type": "accept"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().is_some_and(|e| e.contains("not your move")), "{body}");
    let (status, _) =
        app.act(&id, &tok(&inv, "ostland"), json!({"type": "text", "outcome": harbour_text()})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The mediator answering instead of tabling a text: the engine refuses it.
    let (status, body) =
        app.act(&id, &tok(&inv, "mediator"), json!({"type": "offer", "outcome": harbour_text()})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(event_count(&app, &id).await, before, "nothing stored");
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_nothing_half_way() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(3)).await;
    let mediator = tok(&inv, "mediator");
    let path = format!("/api/v1/negotiations/{id}/actions");
    let before = event_count(&app, &id).await;
    let send = |body: &'static str, ctype: &'static str| {
        Request::builder()
            .method("POST")
            .uri(&path)
            .header("authorization", format!("Bearer {mediator}"))
            .header("content-type", ctype)
            .body(Body::from(body))
            .expect("request")
    };
    let (status, body) = app.raw(send("{\"type\": \"text\", ", "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("not the JSON expected")), "{body}");
    let (status, body) = app.raw(send("{\"type\": \"end\", \"colour\": 1}", "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("unknown field `colour`")), "{body}");
    let (status, _) = app.raw(send("{\"type\": \"end\"}", "text/plain")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = format!("{{\"type\": \"text\", \"comment\": \"{}\"}}", "x".repeat(2 << 20));
    let req = Request::builder()
        .method("POST")
        .uri(&path)
        .header("authorization", format!("Bearer {mediator}"))
        .header("content-type", "application/json")
        .body(Body::from(big))
        .expect("request");
    let (status, body) = app.raw(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let mut off = harbour_text();
    off["hostages_released"] = json!(45);
    let (status, body) = app.act(&id, &mediator, json!({"type": "text", "outcome": off})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("45 is not a value of `hostages_released`")),
        "{body}"
    );
    let (status, _) = app.act(&id, &mediator, json!({"type": "text"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.act(&id, &mediator, json!({"type": "dance"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(event_count(&app, &id).await, before, "nothing stored by any of them");

    // HTML and SQL in a comment are kept as text, and break nothing.
    let comment = "<script>alert(1)</script>'); DROP TABLE events; --";
    let (status, _) =
        app.act(&id, &mediator, json!({"type": "text", "outcome": harbour_text(), "comment": comment})).await;
    assert_eq!(status, StatusCode::OK);
    let view = app.view(&id, &mediator).await;
    assert!(view["events"].as_array().expect("events").iter().any(|e| e["event"]["comment"] == comment));
    // And in names: refused.
    let mut body = single_text(3);
    body["observers"] = json!(["<b>x</b>'); DROP TABLE negotiations; --"]);
    let (status, answer) = app.call("POST", "/api/v1/negotiations", Some(ADMIN), Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");

    // A bad case, protocol, seat or disclosure: refused before anything is stored.
    use truce_server::Store;
    let ids = app.store.negotiation_ids().await.expect("ids").len();
    for (field, value) in [
        ("case", json!("[case]\nid = ")),
        ("protocol", json!("auction")),
        ("disclosure", json!("everything")),
        ("seats", json!({"nobody": "human"})),
        ("seats", json!({"north": "boulwar"})),
        ("rounds", json!(0)),
    ] {
        let mut body = single_text(3);
        body[field] = value;
        let (status, answer) = app.call("POST", "/api/v1/negotiations", Some(ADMIN), Some(body)).await;
        assert!(status.is_client_error(), "{field}: {status} {answer}");
        assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    assert_eq!(app.store.negotiation_ids().await.expect("ids").len(), ids);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_moves_are_serialised_none_lost_none_twice() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(1)).await;
    let (status, _) =
        app.act(&id, &tok(&inv, "mediator"), json!({"type": "text", "outcome": harbour_text()})).await;
    assert_eq!(status, StatusCode::OK);
    // Each party sends its acceptance five times at once, retrying while it is not its turn yet.
    let mut tasks = Vec::new();
    for who in ["north", "coast"] {
        for _ in 0..5 {
            let (app, id, token) = (app.clone(), id.clone(), tok(&inv, who));
            tasks.push(tokio::spawn(async move {
                let mut codes = Vec::new();
                for _ in 0..50 {
                    let (status, _) = app.act(&id, &token, json!({"type": "accept"})).await;
                    codes.push(status);
                    if status == StatusCode::OK || codes.len() > 40 {
                        break;
                    }
                    tokio::task::yield_now().await;
                }
                codes
            }));
        }
    }
    let mut ok = 0;
    for t in tasks {
        ok += t.await.expect("task").iter().filter(|s| **s == StatusCode::OK).count();
    }
    assert_eq!(ok, 2, "exactly one acceptance per party was applied");
    let view = app.view(&id, &tok(&inv, "mediator")).await;
    assert_eq!(view["status"], "agreed");
    let accepts =
        view["events"].as_array().expect("events").iter().filter(|e| e["event"]["event"] == "accept").count();
    assert_eq!(accepts, 2);
}

#[tokio::test]
async fn agent_seats_move_by_themselves() {
    let app = App::new().await;
    // North is a person; Coast is a Boulware agent; alternating offers, North first.
    let (id, inv) = app.create(json!({"case": harbour(), "protocol": "sao", "rounds": 10, "seats": {"coast": "boulware"}, "seed": 1})).await;
    assert!(inv.get("coast").is_none(), "an agent seat gets no invitation");
    assert!(inv.get("mediator").is_none(), "alternating offers have no mediator");
    let north = tok(&inv, "north");
    let view = app.view(&id, &north).await;
    assert_eq!(view["turn"]["asked"], "offer");
    let (status, body) = app.act(&id, &north, json!({"type": "offer", "outcome": harbour_text()})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view = app.view(&id, &north).await;
    let events = view["events"].as_array().expect("events");
    assert!(events.iter().any(|e| e["author"] == "agent:coast"), "the agent answered: {view}");
    assert!(view["status"] != "open" || view["turn"]["actor"] == "north", "{view}");

    // A mediator agent and two agent parties run a whole negotiation at creation.
    let (id, inv) = app
        .create(json!({"case": harbour(), "protocol": "single_text", "rounds": 5, "observers": ["o"],
                       "seats": {"north": "boulware", "coast": "conceder", "mediator": "agent"}, "seed": 2}))
        .await;
    let view = app.view(&id, &tok(&inv, "o")).await;
    assert_ne!(view["status"], "open", "{view}");
}

#[tokio::test]
async fn a_negotiation_resumes_from_its_record() {
    let dir = tempfile::tempdir().expect("folder");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    let (id, inv) = {
        let app = App::on(&url).await;
        let (id, inv) = app.create(single_text(2)).await;
        let (status, _) =
            app.act(&id, &tok(&inv, "mediator"), json!({"type": "text", "outcome": harbour_text()})).await;
        assert_eq!(status, StatusCode::OK);
        app.store.close().await;
        (id, inv)
    };
    // A new server over the same file: the engine replays the record and continues.
    let app = App::on(&url).await;
    let view = app.view(&id, &tok(&inv, "mediator")).await;
    assert_eq!(view["turn"]["asked"], "text", "round 2 asks for a candidate: {view}");
    let mut candidate = harbour_text();
    candidate["aid_trucks_per_day"] = json!(400);
    let (status, body) =
        app.act(&id, &tok(&inv, "mediator"), json!({"type": "text", "outcome": candidate})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let view = app.view(&id, &tok(&inv, "north")).await;
    assert_eq!(view["turn"]["asked"], "vote");
}

/// North's best package: no agent across the table accepts it.
fn north_best() -> Value {
    json!({"hostages_released": 60, "prisoners_per_hostage": 3, "aid_trucks_per_day": 0,
           "withdrawal": "none", "permanent_ceasefire": false, "guarantees": "none"})
}

/// The people's moves: each offers North's best and rejects everything, for at most `moves` moves;
/// returns how many it made.
async fn play(app: &App, id: &str, people: &[String], moves: usize) -> usize {
    let mut made = 0;
    while made < moves {
        if app.view(id, &people[0]).await["status"] != "open" {
            break;
        }
        let mut moved = false;
        for token in people {
            let view = app.view(id, token).await;
            if view["turn"]["yours"] != true {
                continue;
            }
            let action = match view["turn"]["asked"].as_str() {
                Some("offer" | "position") => json!({"type": "offer", "outcome": north_best()}),
                _ => json!({"type": "reject"}),
            };
            let (status, body) = app.act(id, token, action).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            made += 1;
            moved = true;
            break;
        }
        assert!(moved, "an open negotiation waits for one of the people");
    }
    made
}

/// Issue 15: an agent rebuilt after a restart is asked again everything it was asked, so that a
/// negotiation continued after a restart is the one that was never interrupted, byte for byte: a
/// MiCRO agent (it remembers the offers it received and draws its repeats) and the single-text
/// mediator (it anneals with random draws).
#[tokio::test]
async fn agents_continue_after_a_restart_as_if_never_interrupted() {
    for (body, people) in [
        (
            json!({"case": harbour(), "protocol": "sao", "rounds": 12, "seats": {"coast": "micro"}, "seed": 5}),
            vec!["north"],
        ),
        (
            json!({"case": harbour(), "protocol": "single_text", "rounds": 6, "seats": {"mediator": "agent"}, "seed": 8}),
            vec!["north", "coast"],
        ),
    ] {
        let dir = tempfile::tempdir().expect("folder");
        let transcript = |app: App, id: String, token: String| async move {
            let (status, t) =
                app.call("GET", &format!("/api/v1/negotiations/{id}/transcript"), Some(&token), None).await;
            assert_eq!(status, StatusCode::OK);
            t.as_str().expect("JSON Lines").to_owned()
        };
        // Never interrupted.
        let app = App::on(&format!("sqlite://{}", dir.path().join("a.db").display())).await;
        let (id, inv) = app.create(body.clone()).await;
        let tokens: Vec<String> = people.iter().map(|p| tok(&inv, p)).collect();
        let all = play(&app, &id, &tokens, 1000).await;
        assert!(all > 4, "a negotiation long enough to restart in: {all} moves");
        let uninterrupted = transcript(app.clone(), id, tokens[0].clone()).await;

        // Stopped after 3 moves, and continued by a new server over the same file.
        let url = format!("sqlite://{}", dir.path().join("b.db").display());
        let app = App::on(&url).await;
        let (id, inv) = app.create(body.clone()).await;
        let tokens: Vec<String> = people.iter().map(|p| tok(&inv, p)).collect();
        assert_eq!(play(&app, &id, &tokens, 3).await, 3);
        app.store.close().await;
        drop(app);
        let app = App::on(&url).await;
        assert_eq!(play(&app, &id, &tokens, 1000).await, all - 3);
        let resumed = transcript(app, id, tokens[0].clone()).await;
        assert_eq!(resumed, uninterrupted, "{}", body["protocol"]);
    }
}

#[tokio::test]
async fn the_record_exports_as_a_transcript_and_as_a_case_truce_reads() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(1)).await;
    let mediator = tok(&inv, "mediator");
    app.act(&id, &mediator, json!({"type": "text", "outcome": harbour_text()})).await;
    app.act(&id, &tok(&inv, "north"), json!({"type": "accept", "comment": "Fine."})).await;
    app.act(&id, &tok(&inv, "coast"), json!({"type": "accept"})).await;
    let (status, transcript) =
        app.call("GET", &format!("/api/v1/negotiations/{id}/transcript"), Some(&mediator), None).await;
    assert_eq!(status, StatusCode::OK);
    let events = truce::sim::read_jsonl(transcript.as_str().expect("text")).expect("the transcript format");
    assert!(matches!(events.last(), Some(truce::sim::Event::Result(r)) if r.agreement.is_some()));
    let (status, case) =
        app.call("GET", &format!("/api/v1/negotiations/{id}/case"), Some(&mediator), None).await;
    assert_eq!(status, StatusCode::OK);
    let text = case.as_str().expect("toml");
    assert!(!text.contains("weights"), "no preferences in the export");
    let valid = truce::validated(truce::load_text("record.toml", text).expect("reads")).expect("valid");
    let proposals = &valid.case().proposals;
    assert_eq!(proposals.len(), 2, "the text and the agreement");
    assert_eq!(proposals[0].responses.len(), 2);
    assert_eq!(proposals[1].kind, truce::model::ProposalKind::Agreement);
}

#[tokio::test]
async fn a_class_and_its_results_board() {
    let app = App::new().await;
    let (status, class) = app
        .call(
            "POST",
            "/api/v1/classes",
            Some(ADMIN),
            Some(json!({"case": harbour(), "groups": 2, "rounds": 1, "seed": 5})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{class}");
    let groups = class["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 2);
    let first = &groups[0];
    let (id, inv) = (first["id"].as_str().expect("id"), &first["invitations"]);
    app.act(id, &tok(inv, "mediator"), json!({"type": "text", "outcome": harbour_text()})).await;
    app.act(id, &tok(inv, "north"), json!({"type": "accept"})).await;
    app.act(id, &tok(inv, "coast"), json!({"type": "accept"})).await;
    let path = format!("/api/v1/classes/{}", class["class"].as_str().expect("class"));
    let (status, _) = app.call("GET", &path, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, board) = app.call("GET", &path, Some(ADMIN), None).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_eq!(board["groups"][0]["status"], "agreed");
    assert_eq!(board["groups"][1]["status"], "open");
    let distance = board["groups"][0]["agreement"]["frontier_distance"].as_f64().expect("a distance");
    assert!(distance >= 0.0);
    assert!(board["nash"]["utilities"].as_array().is_some_and(|u| u.len() == 2));
    assert!(board["plot_svg"].as_str().is_some_and(|s| s.contains("<svg")), "the report's plot");

    // The board's page: the administrator's link moves the token into a cookie.
    let class_id = class["class"].as_str().expect("class");
    let req = Request::builder()
        .uri(format!("/classes/{class_id}?token={ADMIN}"))
        .body(Body::empty())
        .expect("request");
    let response =
        tower::ServiceExt::oneshot(truce_server::router(app.state.clone()), req).await.expect("response");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let page = Request::builder()
        .uri(format!("/classes/{class_id}"))
        .header("cookie", cookie)
        .body(Body::empty())
        .expect("request");
    let (status, html) = app.raw(page).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let html = html.as_str().expect("html");
    assert!(
        html.contains("data:image") && html.contains("svg+xml") && html.contains("no agreement"),
        "{html}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_the_openapi_document_lists_the_routes() {
    let app = App::new().await;
    let req = Request::builder().uri("/api/v1/openapi.json").body(Body::empty()).expect("request");
    let response =
        tower::ServiceExt::oneshot(truce_server::router(app.state.clone()), req).await.expect("response");
    let h = response.headers();
    assert_eq!(h["content-security-policy"], truce_server::app::CSP);
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let doc: Value = serde_json::from_str(truce_server::OPENAPI).expect("JSON");
    for path in [
        "/api/v1/negotiations",
        "/api/v1/negotiations/{id}",
        "/api/v1/negotiations/{id}/preferences",
        "/api/v1/negotiations/{id}/actions",
        "/api/v1/negotiations/{id}/events",
        "/api/v1/negotiations/{id}/transcript",
        "/api/v1/negotiations/{id}/case",
        "/api/v1/negotiations/{id}/monitoring",
        "/api/v1/negotiations/{id}/monitoring/events",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
}

#[tokio::test]
async fn pages_move_the_token_into_a_cookie_and_need_the_csrf_token() {
    let app = App::new().await;
    let (id, inv) = app.create(single_text(3)).await;
    let token = tok(&inv, "mediator");
    let req = Request::builder().uri(format!("/n/{id}?token={token}")).body(Body::empty()).expect("request");
    let response =
        tower::ServiceExt::oneshot(truce_server::router(app.state.clone()), req).await.expect("response");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], format!("/n/{id}"), "the token leaves the address");
    let cookie = response.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_owned();
    let page = Request::builder()
        .uri(format!("/n/{id}"))
        .header("cookie", &pair)
        .body(Body::empty())
        .expect("request");
    let (status, html) = app.raw(page).await;
    assert_eq!(status, StatusCode::OK);
    let html = html.as_str().expect("html").to_owned();
    assert!(!html.contains(&token), "the page does not carry the token");
    let csrf = truce_server::app::csrf_of(&token);
    assert!(html.contains(&csrf));
    // A cookie request that changes something needs the CSRF token.
    let action = |csrf: Option<&str>| {
        let mut r = Request::builder()
            .method("POST")
            .uri(format!("/api/v1/negotiations/{id}/actions"))
            .header("cookie", &pair)
            .header("content-type", "application/json");
        if let Some(c) = csrf {
            r = r.header("x-csrf-token", c);
        }
        r.body(Body::from(json!({"type": "text", "outcome": harbour_text()}).to_string())).expect("request")
    };
    let (status, _) = app.raw(action(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.raw(action(Some(&csrf))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A wrong link is refused and sets no cookie.
    let req = Request::builder().uri(format!("/n/{id}?token=0000")).body(Body::empty()).expect("request");
    let response =
        tower::ServiceExt::oneshot(truce_server::router(app.state.clone()), req).await.expect("response");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get("set-cookie").is_none());
}
