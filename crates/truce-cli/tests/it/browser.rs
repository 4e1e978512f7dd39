//! The pages in real headless Chromium: `tests/browser/negotiation.mjs` (Playwright's library over
//! the Debian `chromium`) drives a whole negotiation against `truce serve`. Needs
//! `TRUCE_PLAYWRIGHT` (a `node_modules` folder holding `playwright-core`; `.ci/services` installs
//! it); skipped without it, except under CI (`CI=true`), where its absence fails.

use serde_json::json;

use super::root;
use super::serve::{ADMIN, Server};

#[test]
#[allow(clippy::print_stderr)]
fn a_mediated_agreement_in_three_browser_contexts() {
    let Some(playwright) = std::env::var("TRUCE_PLAYWRIGHT").ok().filter(|p| !p.is_empty()) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "TRUCE_PLAYWRIGHT is not set: under CI, .ci/services installs playwright-core and sets it"
        );
        eprintln!("TRUCE_PLAYWRIGHT is not set: skipping the browser test");
        return;
    };
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
