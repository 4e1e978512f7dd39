//! A property test over the whole HTTP API, in process: arbitrary methods, paths, query strings,
//! tokens and bodies (JSON of any shape, near-valid bodies with fields replaced, and raw bytes) for
//! every route, through the router with tower's `oneshot`. No request may get a 5xx or panic a
//! handler, and every 4xx must say what was wrong: a JSON `{"error": "..."}` from the API, a page
//! with text from the pages.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use proptest::prelude::*;
use serde_json::{Value, json};
use tower::ServiceExt;
use truce_server::router;

use super::{ADMIN, App, harbour, harbour_text, tok};

/// One server for the whole property: a negotiation of each protocol and a class, with their
/// invitations, so that requests reach past authorisation.
struct World {
    runtime: tokio::runtime::Runtime,
    app: App,
    /// Each negotiation's id and the tokens of its participants.
    negotiations: Vec<(String, Vec<String>)>,
    class: String,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let (app, negotiations, class) = runtime.block_on(async {
            let app = App::new().await;
            let mut negotiations = Vec::new();
            for protocol in ["single_text", "shuttle", "sao"] {
                let body =
                    json!({"case": harbour(), "protocol": protocol, "rounds": 50, "observers": ["ostland"]});
                let (id, inv) = app.create(body).await;
                let tokens = ["mediator", "north", "coast", "ostland"]
                    .into_iter()
                    .filter(|who| inv[*who]["token"].is_string())
                    .map(|who| tok(&inv, who))
                    .collect();
                negotiations.push((id, tokens));
            }
            // One agreed, for the monitoring's routes.
            let body =
                json!({"case": harbour(), "protocol": "single_text", "rounds": 1, "guarantors": ["ostland"]});
            let (id, inv) = app.create(body).await;
            app.act(&id, &tok(&inv, "mediator"), json!({"type": "text", "outcome": harbour_text()})).await;
            app.act(&id, &tok(&inv, "north"), json!({"type": "accept"})).await;
            app.act(&id, &tok(&inv, "coast"), json!({"type": "accept"})).await;
            assert_eq!(app.view(&id, &tok(&inv, "north")).await["status"], "agreed");
            negotiations.push((id, ["mediator", "north", "coast", "ostland"].map(|w| tok(&inv, w)).to_vec()));
            let body = json!({"groups": 2, "case": harbour(), "protocol": "sao", "rounds": 10});
            let (status, class) = app.call("POST", "/api/v1/classes", Some(ADMIN), Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{class}");
            let class = class["class"].as_str().expect("a class id").to_owned();
            (app, negotiations, class)
        });
        World { runtime, app, negotiations, class }
    })
}

/// Route templates: `{id}`, `{participant}` and `{class}` are filled in by the strategy.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/negotiations"),
    ("GET", "/api/v1/negotiations/{id}"),
    ("GET", "/api/v1/negotiations/{id}/preferences"),
    ("PUT", "/api/v1/negotiations/{id}/preferences"),
    ("POST", "/api/v1/negotiations/{id}/actions"),
    ("POST", "/api/v1/negotiations/{id}/evaluate"),
    ("GET", "/api/v1/negotiations/{id}/bridging"),
    ("GET", "/api/v1/negotiations/{id}/events"),
    ("GET", "/api/v1/negotiations/{id}/transcript"),
    ("GET", "/api/v1/negotiations/{id}/case"),
    ("GET", "/api/v1/negotiations/{id}/monitoring"),
    ("GET", "/api/v1/negotiations/{id}/monitoring/events"),
    ("POST", "/api/v1/negotiations/{id}/monitoring/events"),
    ("GET", "/api/v1/negotiations/{id}/views"),
    ("POST", "/api/v1/negotiations/{id}/invitations"),
    ("DELETE", "/api/v1/negotiations/{id}/invitations/{participant}"),
    ("POST", "/api/v1/classes"),
    ("GET", "/api/v1/classes/{class}"),
    ("GET", "/"),
    ("GET", "/n/{id}"),
    ("GET", "/classes/{class}"),
    ("GET", "/static/app.js"),
    ("GET", "/n/{id}/monitoring"),
    ("GET", "/n/{id}/monitoring/status"),
    ("GET", "/static/monitoring.js"),
    ("GET", "/api/v1/no-such-endpoint"),
];

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "text", "offer", "accept", "reject", "amend", "end", "sao", "human", "north"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    prop::sample::select(vec![
                        "type",
                        "outcome",
                        "comment",
                        "case",
                        "protocol",
                        "disclosure",
                        "rounds",
                        "seats",
                        "observers",
                        "seed",
                        "groups",
                        "negotiation",
                        "participant",
                        "role",
                        "weights",
                        "values",
                        "reservation",
                        "red_lines",
                        "hostages_released",
                        "withdrawal",
                        "date",
                        "commitment",
                        "quantity",
                        "unit",
                        "source",
                        "kind",
                    ])
                    .prop_map(str::to_owned),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies the route at `template` takes (none for the others: then any route's).
fn valid_bodies(template: &str) -> Vec<Value> {
    let actions = vec![
        json!({"type": "text", "outcome": harbour_text(), "comment": "x"}),
        json!({"type": "offer", "outcome": harbour_text()}),
        json!({"type": "accept"}),
        json!({"type": "reject", "comment": "no"}),
        json!({"type": "amend", "outcome": {"hostages_released": 10}, "comment": "<b>x</b>"}),
    ];
    let negotiation = json!({"case": harbour(), "protocol": "single_text", "rounds": 3});
    let class = json!({"groups": 1, "case": harbour(), "protocol": "sao", "rounds": 3});
    let invitation = json!({"participant": "ostland2", "role": "observer"});
    let preferences = json!({"weights": {"hostages_released": 1.0}, "values": {}, "reservation": 0.2});
    let observation = json!({"date": "2031-05-02", "commitment": "hostages_released", "quantity": 10,
                             "unit": "count", "source": {"id": "S9", "title": "<b>x</b>", "kind": "report"}});
    match template.rsplit('/').next() {
        Some("actions") => actions,
        Some("evaluate") => {
            vec![json!({"outcome": harbour_text()}), json!({"outcome": {"withdrawal": "full"}})]
        }
        Some("negotiations") => vec![negotiation],
        Some("classes") => vec![class],
        Some("invitations") => vec![invitation],
        Some("preferences") => vec![preferences],
        Some("events") => vec![observation],
        _ => actions.into_iter().chain([negotiation, class, invitation, preferences, observation]).collect(),
    }
}

/// A body: nothing, any JSON, a body the route takes (as it is, or with one field replaced), or
/// raw bytes.
fn any_body(valid: Vec<Value>) -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        1 => Just(None),
        1 => any_json().prop_map(|v| Some(v.to_string().into_bytes())),
        3 => prop::sample::select(valid.clone()).prop_map(|v| Some(v.to_string().into_bytes())),
        2 => (
            prop::sample::select(valid),
            prop::sample::select(vec![
                "type",
                "outcome",
                "case",
                "rounds",
                "groups",
                "protocol",
                "weights",
                "hostages_released"
            ]),
            any_json()
        )
            .prop_map(|(mut v, key, replacement)| {
                if let Some(object) = v.as_object_mut() {
                    object.insert(key.to_owned(), replacement);
                }
                Some(v.to_string().into_bytes())
            }),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Some),
    ]
}

/// A path segment: mostly `real`, or anything (percent-encoded so that the URI parses).
fn segment(real: String) -> impl Strategy<Value = String> {
    prop_oneof![3 => Just(real), 1 => "\\PC{0,16}".prop_map(|s| encode(&s))]
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Call {
    method: String,
    path: String,
    query: String,
    token: Option<String>,
    json: bool,
    body: Option<Vec<u8>>,
}

fn any_call() -> impl Strategy<Value = Call> {
    let w = world();
    // A negotiation, and mostly the token of one of its participants, so that requests get past
    // authorisation; sometimes the admin's, none, or anything.
    let seat = (0..w.negotiations.len(), 0..4usize).prop_flat_map(move |(k, who)| {
        let (id, tokens) = w.negotiations[k].clone();
        let own = tokens.get(who % tokens.len().max(1)).cloned();
        let token = prop_oneof![
            4 => Just(own),
            1 => Just(Some(ADMIN.to_owned())),
            1 => Just(None),
            1 => "[ -~]{0,20}".prop_map(Some),
        ];
        (segment(id), token)
    });
    // Revoking is fuzzed on the observer (and on names that do not exist), so that the tokens the
    // other requests carry stay valid.
    let participant = segment("ostland".to_owned());
    let method = prop_oneof![
        4 => Just(None),
        1 => prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]).prop_map(Some),
    ];
    let route = prop::sample::select(ROUTES.to_vec())
        .prop_flat_map(|route| (Just(route), any_body(valid_bodies(route.1))));
    (
        route,
        method,
        seat,
        participant,
        segment(w.class.clone()),
        prop::collection::vec(("[a-z]{1,6}", "\\PC{0,10}"), 0..3),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(((method, template), body), other, (id, token), participant, class, query, json)| {
            Call {
                method: other.unwrap_or(method).to_owned(),
                path: template
                    .replace("{id}", &id)
                    .replace("{participant}", &participant)
                    .replace("{class}", &class),
                query: query.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&"),
                token,
                json,
                body,
            }
        })
}

async fn send(app: &App, call: &Call) -> Option<(StatusCode, String, String)> {
    let uri = if call.query.is_empty() { call.path.clone() } else { format!("{}?{}", call.path, call.query) };
    let mut req = Request::builder().method(call.method.as_str()).uri(uri);
    if let Some(t) = &call.token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if call.json {
        req = req.header("content-type", "application/json");
    }
    // A request the client library cannot even build (a token that is no header value) is not the
    // server's to answer.
    let req = req.body(call.body.clone().map_or_else(Body::empty, Body::from)).ok()?;
    let response = router(app.state.clone()).oneshot(req).await.expect("a response");
    let status = response.status();
    let kind =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if kind.starts_with("text/event-stream") {
        // A live event stream never ends: its headers are the answer.
        return Some((status, kind, String::new()));
    }
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.expect("a body");
    Some((status, kind, String::from_utf8_lossy(&bytes).into_owned()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_request_gets_a_5xx_and_every_4xx_says_what_was_wrong(call in any_call()) {
        let w = world();
        let Some((status, kind, body)) = w.runtime.block_on(send(&w.app, &call)) else { return Ok(()) };
        prop_assert!(!status.is_server_error(), "{status} for {call:?}: {body}");
        if status.is_client_error() {
            if call.path.starts_with("/api/") {
                let json: Value = serde_json::from_str(&body)
                    .map_err(|_| TestCaseError::fail(format!("{status} for {call:?}: not JSON: {body:?}")))?;
                let error = json["error"].as_str().unwrap_or_default();
                prop_assert!(error.len() > 10, "{status} for {call:?}: {body}");
                prop_assert!(kind.starts_with("application/json"), "{status} {kind} for {call:?}");
            } else {
                prop_assert!(body.trim().len() > 10, "{status} for {call:?}: {body:?}");
            }
        }
    }
}
