//! The pages in real headless Chromium: `tests/browser/negotiation.mjs` (Playwright's library over
//! the Debian `chromium`) drives a whole negotiation against `truce serve`, and
//! `tests/browser/monitoring.mjs` the monitoring of an agreement reached. Needs
//! `TRUCE_PLAYWRIGHT` (a `node_modules` folder holding `playwright-core`; `.ci/services` installs
//! it); skipped without it, except under CI (`CI=true`), where its absence fails.

use serde_json::json;

use super::root;
use super::serve::{ADMIN, Server};

/// Where `playwright-core` is; `None` (the test skips) without it, except under CI.
#[allow(clippy::print_stderr)]
fn playwright() -> Option<String> {
    let found = std::env::var("TRUCE_PLAYWRIGHT").ok().filter(|p| !p.is_empty());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "TRUCE_PLAYWRIGHT is not set: under CI, .ci/services installs playwright-core and sets it"
        );
        eprintln!("TRUCE_PLAYWRIGHT is not set: skipping the browser test");
    }
    found
}

#[test]
fn a_mediated_agreement_in_three_browser_contexts() {
    let Some(playwright) = playwright() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("truce.db"), false);
    let case = std::fs::read_to_string(root().join("cases/harbour-truce.toml")).unwrap();
    let (status, created) = server.call(
        "POST",
        "/api/v1/negotiations",
        ADMIN,
        Some(json!({"case": case, "protocol": "single_text", "disclosure": "mediator", "rounds": 1, "seed": 1})),
    );
    assert_eq!(status, 201, "{created}");
    let url = |who: &str| created["invitations"][who]["url"].as_str().unwrap().to_owned();
    let output = std::process::Command::new("node")
        .arg(root().join("crates/truce-cli/tests/browser/negotiation.mjs"))
        .env("TRUCE_PLAYWRIGHT", &playwright)
        .env("TRUCE_URL_MEDIATOR", url("mediator"))
        .env("TRUCE_URL_NORTH", url("north"))
        .env("TRUCE_URL_COAST", url("coast"))
        .output()
        .unwrap();
    server.kill9();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("browser: 10 passed, 0 failed"), "{stdout}");
}

#[test]
fn a_guarantor_records_an_observation_and_a_partys_page_shows_the_status_change() {
    let Some(playwright) = playwright() else { return };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("truce.db"), false);
    let case = std::fs::read_to_string(root().join("crates/truce-formats/tests/data/monitor/lakeside.toml"))
        .unwrap();
    let (status, created) = server.call(
        "POST",
        "/api/v1/negotiations",
        ADMIN,
        Some(json!({"case": case, "protocol": "single_text", "rounds": 1, "seed": 1, "guarantors": ["monitors"]})),
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let token = |who: &str| created["invitations"][who]["token"].as_str().unwrap().to_owned();
    let url = |who: &str| created["invitations"][who]["url"].as_str().unwrap().to_owned();
    let text =
        json!({"hostages": 30, "aid_trucks_per_day": 100, "checkpoint": "removed", "withdrawal": "partial"});
    for (who, action) in [
        ("mediator", json!({"type": "text", "outcome": text})),
        ("north", json!({"type": "accept"})),
        ("south", json!({"type": "accept"})),
    ] {
        let (status, body) =
            server.call("POST", &format!("/api/v1/negotiations/{id}/actions"), &token(who), Some(action));
        assert_eq!(status, 200, "{who}: {body}");
    }
    let output = std::process::Command::new("node")
        .arg(root().join("crates/truce-cli/tests/browser/monitoring.mjs"))
        .env("TRUCE_PLAYWRIGHT", &playwright)
        .env("TRUCE_URL_GUARANTOR", url("monitors"))
        .env("TRUCE_URL_NORTH", url("north"))
        .output()
        .unwrap();
    server.kill9();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("monitoring browser: 6 passed, 0 failed"), "{stdout}");
}
