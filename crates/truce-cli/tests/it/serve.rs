//! `truce serve` as a process: killed with SIGKILL in the middle of a negotiation and restarted on
//! the same SQLite file, it has lost nothing it acknowledged and the negotiation continues.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use super::root;

pub(crate) const ADMIN: &str = "serve-test-admin-token";

/// A running server: its process, its address and what it printed at start.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    printed: Vec<String>,
}

impl Server {
    pub(crate) fn start(db: &Path, open: bool) -> Self {
        let mut args = vec!["serve".to_owned(), "--addr".into(), "127.0.0.1:0".into(), "--db".into()];
        args.push(format!("sqlite://{}", db.display()));
        if open {
            args.extend(["--open".into(), root().join("cases/harbour-truce.toml").display().to_string()]);
        }
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("truce"))
            .args(&args)
            .env("TRUCE_ADMIN_TOKEN", ADMIN)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let addr = first.split("http://").nth(1).unwrap().split(' ').next().unwrap().to_owned();
        let mut printed = vec![first];
        if open {
            // "negotiation ID:" then one line per participant.
            for _ in 0..5 {
                printed.push(lines.next().unwrap().unwrap());
            }
        }
        Self { child, addr, printed }
    }

    /// One HTTP/1.1 request on a new connection; the status and the JSON body.
    pub(crate) fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split(' ').nth(1).unwrap().parse().unwrap();
        let (head, rest) = response.split_once("\r\n\r\n").unwrap();
        let text = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            unchunk(rest)
        } else {
            rest.to_owned()
        };
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub(crate) fn kill9(mut self) {
        // `Child::kill` sends SIGKILL on Unix: no shutdown, no flush.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn unchunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
    out
}

pub(crate) fn text(aid: u32) -> Value {
    json!({"hostages_released": 40, "prisoners_per_hostage": 12, "aid_trucks_per_day": aid,
           "withdrawal": "populated_areas", "permanent_ceasefire": true, "guarantees": "written"})
}

#[test]
fn a_killed_server_loses_nothing_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("truce.db");
    let server = Server::start(&db, true);
    let id = server.printed[1].trim_start_matches("negotiation ").trim_end_matches(':').to_owned();
    let token = |who: &str| -> String {
        let line = server.printed.iter().find(|l| l.trim_start().starts_with(&format!("{who} ("))).unwrap();
        line.split("token=").nth(1).unwrap().trim().to_owned()
    };
    let (mediator, north, coast) = (token("mediator"), token("north"), token("coast"));
    let api = format!("/api/v1/negotiations/{id}");
    let act = |s: &Server, t: &str, body: Value| s.call("POST", &format!("{api}/actions"), t, Some(body));
    assert_eq!(act(&server, &mediator, json!({"type": "text", "outcome": text(300)})).0, 200);
    assert_eq!(act(&server, &mediator, json!({"type": "text", "outcome": text(400)})).0, 200);
    assert_eq!(
        act(&server, &north, json!({"type": "accept", "comment": "Acknowledged before the crash."})).0,
        200
    );
    let (_, before) = server.call("GET", &api, &mediator, None);
    let events_before = before["events"].as_array().unwrap().len();
    server.kill9();

    let server = Server::start(&db, false);
    let (status, after) = server.call("GET", &api, &mediator, None);
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["events"].as_array().unwrap().len(), events_before, "every acknowledged event is there");
    assert!(after.to_string().contains("Acknowledged before the crash."));
    assert_eq!(after["turn"]["actor"], "coast", "{after}");
    assert_eq!(after["turn"]["asked"], "vote");
    // It continues where it was.
    assert_eq!(act(&server, &coast, json!({"type": "accept"})).0, 200);
    let (status, body) = act(&server, &mediator, json!({"type": "accept"}));
    assert_eq!(status, 200, "{body}");
    let (_, view) = server.call("GET", &api, &north, None);
    assert_eq!(
        view["table"]["text"]["terms"]["aid_trucks_per_day"], 400,
        "the candidate was adopted: {view}"
    );
    // A wrong token learns nothing.
    assert_eq!(server.call("GET", &api, "wrong", None).0, 401);
    server.kill9();
}

/// North's moves against an agent across the table: offer North's best, reject everything, for at
/// most `moves` moves; returns how many it made.
fn play(server: &Server, api: &str, north: &str, moves: usize) -> usize {
    let best = json!({"hostages_released": 60, "prisoners_per_hostage": 3, "aid_trucks_per_day": 0,
                      "withdrawal": "none", "permanent_ceasefire": false, "guarantees": "none"});
    let mut made = 0;
    while made < moves {
        let (_, view) = server.call("GET", api, north, None);
        if view["status"] != "open" {
            break;
        }
        assert_eq!(view["turn"]["yours"], true, "{view}");
        let action = match view["turn"]["asked"].as_str() {
            Some("offer") => json!({"type": "offer", "outcome": best}),
            _ => json!({"type": "reject"}),
        };
        let (status, body) = server.call("POST", &format!("{api}/actions"), north, Some(action));
        assert_eq!(status, 200, "{body}");
        made += 1;
    }
    made
}

/// Issue 15: after `kill -9` an agent seat is rebuilt from the seed and asked again what it was
/// asked, so the negotiation goes on exactly as one never interrupted (the same transcript, byte
/// for byte). A MiCRO agent remembers the offers it received and draws its repeats at random.
#[test]
fn after_kill_9_an_agent_continues_as_if_never_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let case = std::fs::read_to_string(root().join("cases/harbour-truce.toml")).unwrap();
    let body = json!({"case": case, "protocol": "sao", "rounds": 12, "seats": {"coast": "micro"}, "seed": 5});
    let run = |db: &str, stop_after: Option<usize>| -> String {
        let db = dir.path().join(db);
        let mut server = Server::start(&db, false);
        let (status, created) = server.call("POST", "/api/v1/negotiations", ADMIN, Some(body.clone()));
        assert_eq!(status, 201, "{created}");
        let api = format!("/api/v1/negotiations/{}", created["id"].as_str().unwrap());
        let north = created["invitations"]["north"]["token"].as_str().unwrap().to_owned();
        if let Some(k) = stop_after {
            assert_eq!(play(&server, &api, &north, k), k);
            server.kill9();
            server = Server::start(&db, false);
        }
        assert!(play(&server, &api, &north, 1000) > 3);
        let (status, transcript) = server.call("GET", &format!("{api}/transcript"), &north, None);
        assert_eq!(status, 200);
        server.kill9();
        transcript.as_str().unwrap().to_owned()
    };
    let uninterrupted = run("a.db", None);
    assert!(uninterrupted.contains("\"agent\":\"micro\"") && uninterrupted.contains("no_agreement"));
    assert_eq!(run("b.db", Some(3)), uninterrupted);
}
