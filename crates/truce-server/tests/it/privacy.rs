//! Privacy: each role's view, event stream, transcript and export hold no other party's
//! preferences; under `neutral` disclosure the mediator sees verdicts only, under `mediator` it sees
//! utilities (the positive control that shows the check can fail).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use super::{App, harbour, harbour_text, tok};

/// Numbers no computation of the case gives by chance: Coast's secret weights and reservation.
const SECRET_RESERVATION: f64 = 0.2718281;
const SECRET_RED_LINE: &str = "coast_secret_red_line";

async fn coast_secret_preferences(app: &App, id: &str, coast: &str) {
    let (status, mut prefs) =
        app.call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(coast), None).await;
    assert_eq!(status, StatusCode::OK);
    prefs["reservation"] = json!(SECRET_RESERVATION);
    let issues = prefs["utility"]["issues"].as_array_mut().expect("additive preferences");
    for (k, issue) in issues.iter_mut().enumerate() {
        issue["weight"] = json!(0.1_f64 + 0.0314159 * (k as f64 + 1.0));
    }
    let lines = prefs["red_lines"].as_array_mut().expect("red lines");
    lines[0]["name"] = json!(SECRET_RED_LINE);
    let (status, stored) =
        app.call("PUT", &format!("/api/v1/negotiations/{id}/preferences"), Some(coast), Some(prefs)).await;
    assert_eq!(status, StatusCode::OK, "{stored}");
}

/// A text that breaks Coast's (renamed) red line `permanent_ceasefire == true`.
fn the_text() -> serde_json::Value {
    let mut text = harbour_text();
    text["permanent_ceasefire"] = json!(false);
    text
}

/// Everything a participant can read of a negotiation, as one text.
async fn everything(app: &App, id: &str, token: &str) -> String {
    let mut out = String::new();
    for path in ["", "/transcript", "/case", "/bridging", "/views"] {
        let (status, body) =
            app.call("GET", &format!("/api/v1/negotiations/{id}{path}"), Some(token), None).await;
        if path == "/bridging" && status == StatusCode::FORBIDDEN {
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        out.push_str(&body.to_string());
    }
    let (_, evaluation) = app
        .call(
            "POST",
            &format!("/api/v1/negotiations/{id}/evaluate"),
            Some(token),
            Some(json!({"outcome": the_text()})),
        )
        .await;
    out.push_str(&evaluation.to_string());
    out.push_str(&sse(app, id, token).await);
    out
}

/// The event stream's events so far (the stream stays open: read until it has sent them).
async fn sse(app: &App, id: &str, token: &str) -> String {
    use futures_util::StreamExt;
    let req = Request::builder()
        .uri(format!("/api/v1/negotiations/{id}/events"))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response =
        tower::ServiceExt::oneshot(truce_server::router(app.state.clone()), req).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = response.into_body().into_data_stream();
    let mut text = String::new();
    // Every stored event is sent at once; the stream then waits for new ones.
    while let Ok(Some(Ok(chunk))) =
        tokio::time::timeout(std::time::Duration::from_millis(300), stream.next()).await
    {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains("event: event"), "{text}");
    text
}

fn secrets_of(app_text_utility: f64) -> Vec<String> {
    vec![
        format!("{SECRET_RESERVATION}"),
        SECRET_RED_LINE.to_owned(),
        "0.1314159".to_owned(),
        format!("{app_text_utility}"),
    ]
}

async fn run(disclosure: &str) -> (String, String, String, String, Vec<String>) {
    let app = App::new().await;
    let (id, inv) = app
        .create(json!({"case": harbour(), "protocol": "single_text", "disclosure": disclosure, "rounds": 1, "observers": ["ostland"], "seed": 9}))
        .await;
    let (mediator, north, coast, observer) =
        (tok(&inv, "mediator"), tok(&inv, "north"), tok(&inv, "coast"), tok(&inv, "ostland"));
    coast_secret_preferences(&app, &id, &coast).await;
    let text = the_text();
    let (status, body) =
        app.act(&id, &mediator, json!({"type": "text", "outcome": text, "comment": "Draft."})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.act(&id, &north, json!({"type": "accept", "comment": "north's private comment"})).await;
    let (status, _) =
        app.act(&id, &coast, json!({"type": "reject", "comment": "coast's private comment"})).await;
    assert_eq!(status, StatusCode::OK);
    // Coast's own utility of the text, as Coast sees it.
    let own = everything(&app, &id, &coast).await;
    let (_, judged) = app
        .call(
            "POST",
            &format!("/api/v1/negotiations/{id}/evaluate"),
            Some(&coast),
            Some(json!({"outcome": text})),
        )
        .await;
    let utility = judged["utility"].as_f64().expect("Coast sees its utility");
    assert!(own.contains(&utility.to_string()), "Coast's own view shows its utility");
    let secrets = secrets_of(utility);
    (
        everything(&app, &id, &north).await,
        everything(&app, &id, &mediator).await,
        everything(&app, &id, &observer).await,
        own,
        secrets,
    )
}

#[tokio::test]
async fn no_role_sees_another_partys_preferences_and_a_neutral_mediator_sees_verdicts_only() {
    let (north, mediator, observer, coast, secrets) = run("neutral").await;
    for secret in &secrets {
        assert!(coast.contains(secret.as_str()) || secret == "0.1314159", "Coast sees its own {secret}");
        assert!(!north.contains(secret.as_str()), "North sees Coast's {secret}");
        assert!(!observer.contains(secret.as_str()), "the observer sees Coast's {secret}");
    }
    // The neutral mediator sees the verdict and the red line broken, never a number of Coast's.
    for secret in secrets.iter().filter(|s| s.as_str() != SECRET_RED_LINE) {
        assert!(!mediator.contains(secret.as_str()), "the neutral mediator sees Coast's {secret}");
    }
    assert!(mediator.contains(SECRET_RED_LINE), "the mediator learns which red line a text breaks");
    assert!(mediator.contains("\"by_nash\""), "the mediator gets bridging packages: {mediator}");
    assert!(mediator.contains("\"acceptable\":false"));
    // Comments: the author's and the mediator's.
    assert!(mediator.contains("coast's private comment") && mediator.contains("north's private comment"));
    assert!(!north.contains("coast's private comment"));
    assert!(!observer.contains("private comment"));
    // A party's answer in a mediated protocol is the mediator's to know.
    assert!(!north.contains("\"event\":\"reject\""), "North does not see Coast's answer");
}

#[tokio::test]
async fn under_mediator_disclosure_the_mediator_sees_the_utilities() {
    let (north, mediator, _, _, secrets) = run("mediator").await;
    let utility = &secrets[3];
    assert!(mediator.contains(utility.as_str()), "the mediator sees Coast's utility");
    assert!(mediator.contains(&secrets[0]), "and its reservation value");
    assert!(!north.contains(utility.as_str()));
}

#[tokio::test]
async fn preferences_are_each_partys_own() {
    let app = App::new().await;
    let (id, inv) = app.create(json!({"case": harbour(), "observers": ["ostland"]})).await;
    for who in ["mediator", "ostland"] {
        let (status, _) = app
            .call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, who)), None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    let (status, north) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, "north")), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(north["reservation"], 0.35, "seeded from the case");
    // Preferences the model refuses are not stored.
    let mut bad = north.clone();
    bad["utility"]["issues"][0]["weight"] = json!(-1.0);
    let (status, body) = app
        .call("PUT", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, "north")), Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, again) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, "north")), None)
        .await;
    assert_eq!(again, north);

    // Under `mediator` disclosure the mediator reads them; a party still reads only its own.
    let (id, inv) = app.create(json!({"case": harbour(), "disclosure": "mediator"})).await;
    let (status, all) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, "mediator")), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["coast"]["reservation"], 0.4);
    assert_eq!(all["north"]["reservation"], 0.35);
    let (_, own) = app
        .call("GET", &format!("/api/v1/negotiations/{id}/preferences"), Some(&tok(&inv, "north")), None)
        .await;
    assert_eq!(own["reservation"], 0.35);
    assert!(own.get("coast").is_none());
}

/// The analysis views (`/views`: the frontier plot, the verdicts, the history chart) within the
/// disclosure: a party's are computed from its own preferences alone, the neutral mediator's show
/// verdicts and red lines but no utility, the `mediator` mediator's show the utility space.
#[tokio::test]
async fn the_analysis_views_keep_to_the_disclosure() {
    for disclosure in ["neutral", "mediator"] {
        let app = App::new().await;
        let (id, inv) = app
            .create(json!({"case": harbour(), "disclosure": disclosure, "rounds": 1, "observers": ["ostland"], "seed": 9}))
            .await;
        let (mediator, north, coast, observer) =
            (tok(&inv, "mediator"), tok(&inv, "north"), tok(&inv, "coast"), tok(&inv, "ostland"));
        coast_secret_preferences(&app, &id, &coast).await;
        let views = |token: String| {
            let app = app.clone();
            let id = id.clone();
            async move {
                let (status, v) =
                    app.call("GET", &format!("/api/v1/negotiations/{id}/views"), Some(&token), None).await;
                assert_eq!(status, StatusCode::OK, "{v}");
                v
            }
        };
        // Nothing tabled: nothing to show.
        assert_eq!(views(mediator.clone()).await["history"], serde_json::Value::Null);
        let (status, _) = app.act(&id, &mediator, json!({"type": "text", "outcome": the_text()})).await;
        assert_eq!(status, StatusCode::OK);
        app.act(&id, &north, json!({"type": "accept"})).await;
        app.act(&id, &coast, json!({"type": "reject"})).await;
        let (_, judged) = app
            .call(
                "POST",
                &format!("/api/v1/negotiations/{id}/evaluate"),
                Some(&coast),
                Some(json!({"outcome": the_text()})),
            )
            .await;
        let coast_utility = format!("{:.4}", judged["utility"].as_f64().expect("Coast's utility"));

        let m = views(mediator.clone()).await;
        let text = m.to_string();
        assert!(m["history"].as_str().is_some_and(|h| h.contains("<svg")), "{m}");
        assert!(text.contains(SECRET_RED_LINE), "the mediator learns the red line the text breaks: {m}");
        assert!(text.contains("coast rejected"), "and Coast's answer: {m}");
        if disclosure == "neutral" {
            assert_eq!(m["frontier"], serde_json::Value::Null, "no utility space under neutral disclosure");
            assert!(!text.contains(&coast_utility), "the neutral mediator sees Coast's utility: {m}");
            assert!(!text.contains("class=\\\"utility\\\"") && !text.contains("reservation values"), "{m}");
            assert!(!text.contains("title=\\\"utility"), "{m}");
        } else {
            let frontier = m["frontier"].as_str().expect("the utility space under mediator disclosure");
            assert!(frontier.contains("<svg") && frontier.contains("Pareto frontier"), "{frontier}");
            assert!(text.contains(&coast_utility), "the mediator sees Coast's utility: {m}");
        }

        // North's views: its own column and utilities, nothing of Coast's.
        let n = views(north.clone()).await;
        let text = n.to_string();
        assert_eq!(n["frontier"], serde_json::Value::Null);
        assert!(n["verdicts"].as_str().is_some_and(|v| v.contains(">north<")), "{n}");
        assert!(!text.contains("coast") && !text.contains(SECRET_RED_LINE), "North sees Coast's: {n}");
        assert!(!text.contains(&coast_utility), "{n}");
        assert!(text.contains("north accepted") && text.contains("utility to north"), "{n}");
        // Coast's own: its secret red line broken, its utility.
        let c = views(coast.clone()).await.to_string();
        assert!(c.contains(SECRET_RED_LINE) && c.contains(&coast_utility) && !c.contains("north"), "{c}");
        // An observer: nothing computed from preferences.
        let o = views(observer.clone()).await;
        assert_eq!(o, json!({"frontier": null, "verdicts": null, "history": null}));
    }
}
