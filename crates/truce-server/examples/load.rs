//! A bounded load test of `truce serve` on loopback, the scenario of `bench/server.py` with a client
//! cheap enough not to take the server's processor: N single-text negotiations of the Harbour Truce
//! at once, each driven by one task playing the mediator and both parties over the JSON API (one
//! HTTP/1.1 connection per participant, hyper's client on one thread), every action acknowledged
//! only once stored. Prints throughput and p50/p99 latency of the actions and of the mediator's
//! evaluation of a text against every party's private preferences, the server's and the client's
//! processor time, and the load average.
//!
//! ```text
//! cargo build --release -p truce-cli
//! cargo run --release -p truce-server --example load                # SQLite, 100 negotiations, 10 rounds
//! cargo run --release -p truce-server --example load -- --db postgres://truce@127.0.0.1:55432/truce
//! cargo run --release -p truce-server --example load -- --negotiations 20 --rounds 3
//! cargo run --release -p truce-server --example load -- --rate 2000 --rounds 25  # open loop
//! ```
//!
//! Options: `--binary PATH` (default `target/release/truce`), `--db URL` (default a fresh SQLite file),
//! `--negotiations N`, `--rounds N`, `--rate R`. It exits with 1 when a request failed.
//!
//! By default each negotiation's client sends its next request as soon as the last is answered
//! (closed loop): the server runs flat out, and with many negotiations the latency is mostly time
//! spent queueing behind the others. `--rate R` offers R actions per second in all instead (open
//! loop): each negotiation sends on a schedule of R / N per second, and a request's latency counts
//! from when it was due, so a server that falls behind shows it in the latency rather than by
//! quietly being sent less (no coordinated omission).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

const ADMIN: &str = "bench-admin-token";

type Error = Box<dyn std::error::Error + Send + Sync>;

/// One participant's connection.
struct Client {
    sender: SendRequest<Full<Bytes>>,
    token: String,
}

impl Client {
    async fn connect(port: u16, token: &str) -> Result<Self, Error> {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Self { sender, token: token.to_owned() })
    }

    /// `POST path` with a JSON body: the status, the body, and how long it took.
    async fn post(&mut self, path: &str, body: &Value) -> Result<(u16, Bytes, Duration), Error> {
        let request = hyper::Request::post(path)
            .header("host", "127.0.0.1")
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))?;
        let start = Instant::now();
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes, start.elapsed()))
    }
}

#[derive(Default)]
struct Measured {
    actions: Vec<Duration>,
    evaluations: Vec<Duration>,
    errors: Vec<String>,
}

fn text(aid: u32) -> Value {
    json!({"hostages_released": 40, "prisoners_per_hostage": 12, "aid_trucks_per_day": aid,
           "withdrawal": "populated_areas", "permanent_ceasefire": true, "guarantees": "written"})
}

/// When each request of one negotiation is due: now, or on a schedule (`--rate`).
struct Pace {
    every: Option<Duration>,
    next: tokio::time::Instant,
}

impl Pace {
    /// Waits until the next request is due and returns when it was due.
    async fn due(&mut self) -> tokio::time::Instant {
        let Some(every) = self.every else { return tokio::time::Instant::now() };
        let due = self.next;
        tokio::time::sleep_until(due).await;
        self.next += every;
        due
    }
}

async fn negotiate(
    port: u16,
    created: Value,
    rounds: u32,
    mut pace: Pace,
    measured: Arc<Mutex<Measured>>,
) -> Result<(), Error> {
    let id = created["id"].as_str().ok_or("no id")?.to_owned();
    let token = |who: &str| created["invitations"][who]["token"].as_str().unwrap_or_default().to_owned();
    let mut mediator = Client::connect(port, &token("mediator")).await?;
    let mut north = Client::connect(port, &token("north")).await?;
    let mut coast = Client::connect(port, &token("coast")).await?;
    let actions = format!("/api/v1/negotiations/{id}/actions");
    let evaluate = format!("/api/v1/negotiations/{id}/evaluate");
    let texts = [text(300), text(400), text(500), text(200)];
    let mut mine = Measured::default();
    let p = &mut pace;
    act(&mut mediator, &actions, json!({"type": "text", "outcome": texts[0]}), p, &mut mine).await?;
    for r in 1..rounds {
        let t = &texts[r as usize % texts.len()];
        let (_, _, took) = mediator.post(&evaluate, &json!({"outcome": t})).await?;
        mine.evaluations.push(took);
        act(&mut mediator, &actions, json!({"type": "text", "outcome": t}), p, &mut mine).await?;
        act(&mut north, &actions, json!({"type": "accept"}), p, &mut mine).await?;
        act(&mut coast, &actions, json!({"type": "accept"}), p, &mut mine).await?;
        act(&mut mediator, &actions, json!({"type": "accept"}), p, &mut mine).await?;
    }
    act(&mut north, &actions, json!({"type": "accept"}), p, &mut mine).await?;
    act(&mut coast, &actions, json!({"type": "accept"}), p, &mut mine).await?;
    let mut all = measured.lock().map_err(|_| "poisoned")?;
    all.actions.extend(mine.actions);
    all.evaluations.extend(mine.evaluations);
    all.errors.extend(mine.errors);
    Ok(())
}

/// One action, sent when due: its latency (from when it was due), and its answer if it was refused.
async fn act(
    client: &mut Client,
    path: &str,
    body: Value,
    pace: &mut Pace,
    mine: &mut Measured,
) -> Result<(), Error> {
    let due = pace.due().await;
    let (status, data, _) = client.post(path, &body).await?;
    if status != 200 {
        mine.errors.push(format!("{status}: {}", String::from_utf8_lossy(&data)));
    }
    mine.actions.push(due.elapsed());
    Ok(())
}

/// Processor seconds (user + system) of process `pid` (`self` for this one), from /proc (Linux).
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return f64::NAN };
    let Some((_, rest)) = stat.rsplit_once(')') else { return f64::NAN };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; clock ticks of
    // 1/100 s (USER_HZ) on every Linux.
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(values: &mut [Duration], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let i = ((p / 100.0 * (values.len() - 1) as f64).round() as usize).min(values.len() - 1);
    values[i].as_secs_f64() * 1000.0
}

struct Args {
    binary: String,
    db: Option<String>,
    negotiations: u32,
    rounds: u32,
    /// Actions per second offered in all (open loop); `None` for closed loop.
    rate: Option<f64>,
}

fn args() -> Result<Args, Error> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut args = Args {
        binary: std::env::var("CARGO_TARGET_DIR")
            .map_or_else(|_| format!("{root}/target/release/truce"), |t| format!("{t}/release/truce")),
        db: None,
        negotiations: 100,
        rounds: 10,
        rate: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--binary" => args.binary = value()?,
            "--db" => args.db = Some(value()?),
            "--negotiations" => args.negotiations = value()?.parse()?,
            "--rounds" => args.rounds = value()?.parse()?,
            "--rate" => args.rate = Some(value()?.parse::<f64>()?).filter(|r| r.is_finite() && *r > 0.0),
            other => return Err(format!("unknown option {other}: see the example's documentation").into()),
        }
    }
    Ok(args)
}

fn main() -> Result<(), Error> {
    let args = args()?;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let case = std::fs::read_to_string(format!("{root}/cases/harbour-truce.toml"))?;
    let dir = std::env::temp_dir().join(format!("truce-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = args.db.clone().unwrap_or_else(|| format!("sqlite://{}", dir.join("bench.db").display()));
    let mut server = Command::new(&args.binary)
        .args(["serve", "--addr", "127.0.0.1:0", "--db", &db])
        .env("TRUCE_ADMIN_TOKEN", ADMIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e} (build it: cargo build --release -p truce-cli)", args.binary))?;
    let result = run(&args, &case, &db, &mut server);
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run(args: &Args, case: &str, db: &str, server: &mut std::process::Child) -> Result<(), Error> {
    use std::io::BufRead;
    let stdout = server.stdout.take().ok_or("no output from the server")?;
    let mut first = String::new();
    std::io::BufReader::new(stdout).read_line(&mut first)?;
    let port: u16 = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .ok_or_else(|| format!("the server did not say its address: {first}"))?
        .parse()?;
    let server_pid = server.id().to_string();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let mut admin = Client::connect(port, ADMIN).await?;
        let mut created = Vec::new();
        for i in 0..args.negotiations {
            let (status, data, _) = admin
                .post("/api/v1/negotiations", &json!({"case": case, "rounds": args.rounds, "seed": i}))
                .await?;
            if status != 201 {
                return Err(format!("creating a negotiation: {status} {}", String::from_utf8_lossy(&data)).into());
            }
            created.push(serde_json::from_slice::<Value>(&data)?);
        }
        let measured = Arc::new(Mutex::new(Measured::default()));
        let (server_cpu, client_cpu, start) = (cpu_seconds(&server_pid), cpu_seconds("self"), Instant::now());
        // Open loop: each negotiation's schedule starts at its own offset, so that requests are spread
        // evenly rather than sent in bursts of N.
        let every = args.rate.map(|r| Duration::from_secs_f64(f64::from(args.negotiations) / r));
        let began = tokio::time::Instant::now();
        let tasks: Vec<_> = created
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let m = measured.clone();
                #[allow(clippy::cast_possible_truncation)]
                let offset = every.map_or(Duration::ZERO, |e| e * i as u32 / args.negotiations.max(1));
                let pace = Pace { every, next: began + offset };
                tokio::spawn(tokio::time::timeout(Duration::from_secs(600), negotiate(port, c, args.rounds, pace, m)))
            })
            .collect();
        let mut failed = Vec::new();
        for t in tasks {
            match t.await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => failed.push(e.to_string()),
                Ok(Err(_)) => failed.push("timed out".into()),
                Err(e) => failed.push(e.to_string()),
            }
        }
        let wall = start.elapsed().as_secs_f64();
        let server_cpu = cpu_seconds(&server_pid) - server_cpu;
        let client_cpu = cpu_seconds("self") - client_cpu;
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        let mut m = measured.lock().map_err(|_| "poisoned")?;
        let backend = db.split(':').next().unwrap_or_default();
        let (actions, requests) = (m.actions.len(), m.actions.len() + m.evaluations.len());
        #[allow(clippy::cast_precision_loss)]
        let (rate, per_request) = (actions as f64 / wall, server_cpu / requests as f64 * 1e6);
        println!(
            "{backend}: {} negotiations at once{}, {actions} actions in {wall:.2} s: {rate:.0} actions/s; \
             action latency p50 {:.1} ms, p99 {:.1} ms; evaluation of a text p50 {:.1} ms, p99 {:.1} ms; {} errors",
            args.negotiations,
            args.rate.map_or_else(|| ", closed loop".to_owned(), |r| format!(", {r:.0} actions/s offered")),
            percentile(&mut m.actions, 50.0),
            percentile(&mut m.actions, 99.0),
            percentile(&mut m.evaluations, 50.0),
            percentile(&mut m.evaluations, 99.0),
            m.errors.len() + failed.len(),
        );
        println!(
            "  server CPU {server_cpu:.2} s: {per_request:.0} us per request ({requests} requests); \
             client CPU {client_cpu:.2} s; load average {}",
            load.join(" ")
        );
        if let Some(e) = m.errors.first().or(failed.first()) {
            return Err(format!("first error: {e}").into());
        }
        Ok(())
    })
}
