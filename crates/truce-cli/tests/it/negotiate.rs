//! `truce negotiate`.

use assert_cmd::Command;

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn stderr(args: &[&str]) -> (i32, String) {
    let out = truce().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn unknown_agents_protocols_and_impossible_limits_are_usage_errors() {
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "boulware,bouldware"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "--agents: there is no agent called `bouldware`: did you mean `boulware`? The agents are boulware"
        ),
        "{err}"
    );
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "boulware(e=-1),micro"]);
    assert_eq!(code, 2);
    assert!(err.contains("parameter `e`: -1 is out of range"), "{err}");
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--protocol", "auction"]);
    assert_eq!(code, 2);
    assert!(err.contains("--protocol: there is no protocol called `auction`"), "{err}");
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--time-limit=-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("--time-limit: -3 is not a positive number of seconds"), "{err}");
    let (code, _) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--rounds", "-5"]);
    assert_eq!(code, 2, "clap refuses a negative deadline");
}

#[test]
fn a_missing_input_is_an_input_error() {
    let (code, err) = stderr(&["negotiate", "no/such/case.toml", "--agents", "micro,micro"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/case.toml"), "{err}");
}

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sim/truce_talks")
}

fn stdout(args: &[&str]) -> String {
    let out = truce().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn summary_of_a_negotiation() {
    let path = fixture();
    let out = stdout(&[
        "negotiate",
        path.to_str().unwrap(),
        "--agents",
        "boulware,micro",
        "--rounds",
        "20",
        "--seed",
        "1",
    ]);
    insta::assert_snapshot!(out);
}

#[test]
fn json_transcript_is_deterministic_and_parses_back() {
    let path = fixture();
    let args = [
        "negotiate",
        path.to_str().unwrap(),
        "--agents",
        "conceder,random",
        "--rounds",
        "8",
        "--seed",
        "3",
        "--json",
    ];
    let first = stdout(&args);
    assert_eq!(first, stdout(&args), "same seed, same bytes");
    let events = truce::sim::read_jsonl(&first).unwrap();
    assert!(matches!(events.first(), Some(truce::sim::Event::Start(_))));
    assert!(matches!(events.last(), Some(truce::sim::Event::Result(_))));
    insta::assert_snapshot!(first);
}

#[test]
fn every_protocol_runs_from_the_command_line() {
    let path = fixture();
    for protocol in ["sao", "single_text", "shuttle"] {
        let out = stdout(&[
            "negotiate",
            path.to_str().unwrap(),
            "--agents",
            "linear,linear",
            "--protocol",
            protocol,
        ]);
        assert!(out.contains(&format!("under {protocol}")), "{out}");
    }
}

#[test]
fn svg_plot_is_written_and_inputs_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("run.svg");
    let path = fixture();
    stdout(&[
        "negotiate",
        path.to_str().unwrap(),
        "--agents",
        "boulware,conceder",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("<title>agreement</title>"));
    let input = path.join("truce_talks_side_a.xml");
    let before = std::fs::read(&input).unwrap();
    let (code, err) = stderr(&[
        "negotiate",
        path.to_str().unwrap(),
        "--agents",
        "boulware,conceder",
        "--svg",
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is an input"), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

/// The plot and the page measure the negotiation against the day's frontier and solutions, and say
/// how it ended in the summary's words.
#[test]
fn the_page_and_the_plot_show_the_frontier_and_agree_with_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, html) = (dir.path().join("run.svg"), dir.path().join("run.html"));
    let path = fixture();
    let out = stdout(&[
        "negotiate",
        path.to_str().unwrap(),
        "--agents",
        "boulware,conceder",
        "--svg",
        svg.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    let ending = out.lines().nth(1).unwrap().split(':').next().unwrap().to_owned();
    assert!(ending.starts_with("agreement in round "), "{out}");
    let plot = std::fs::read_to_string(&svg).unwrap();
    for mark in [
        "class=\"frontier\"",
        "Pareto frontier",
        "Nash (1950)",
        "Kalai-Smorodinsky (1975)",
        "from the Nash point",
    ] {
        assert!(plot.contains(mark), "{mark}");
    }
    assert!(plot.contains(&ending), "the plot's caption says what the summary says: {ending}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<figure class=\"negotiation\">"));
    assert!(page.contains(&ending) && page.contains("<table"), "{page}");
}

#[test]
fn wrong_agent_count_and_domains_with_no_acceptable_outcome_are_input_errors() {
    let path = fixture();
    let (code, err) = stderr(&["negotiate", path.to_str().unwrap(), "--agents", "boulware"]);
    assert_eq!(code, 2);
    assert!(err.contains("--agents: 1 agent given, but `truce_talks` has 2 negotiating parties"), "{err}");
    let (code, err) =
        stderr(&["negotiate", path.to_str().unwrap(), "--agents", "boulware,micro", "--first", "5"]);
    assert_eq!(code, 2);
    assert!(err.contains("--first: there is no party 5: parties are numbered from 0"), "{err}");
    // A party that may agree to nothing cannot make an offer: refused.
    let dir = with_reservations("1.5", "0.2");
    let (code, err) = stderr(&["negotiate", dir.path().to_str().unwrap(), "--agents", "boulware,micro"]);
    assert_eq!(code, 2);
    assert!(err.contains("no acceptable outcome"), "{err}");
    assert!(err.contains("below its reservation value 1.5"), "{err}");
    // Parties that may each agree to something, but never to the same thing: it runs, with a warning.
    let dir = with_reservations("0.95", "0.95");
    let out = truce()
        .args(["negotiate", dir.path().to_str().unwrap(), "--agents", "boulware,micro"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no agreement is possible"));
    assert!(String::from_utf8(out.stdout).unwrap().contains("no agreement after 100 rounds"));
}

/// The fixture with the two parties' reservation values replaced.
fn with_reservations(a: &str, b: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text
            .replace(r#"<reservation value="0.3">"#, &format!(r#"<reservation value="{a}">"#))
            .replace(r#"<reservation value="0.2">"#, &format!(r#"<reservation value="{b}">"#));
        std::fs::write(dir.path().join(entry.file_name()), text).unwrap();
    }
    dir
}

/// The engine's cap on a kept transcript was not reachable from the CLI (issue 14): `--max-events`
/// sets it, a negotiation that would record more stops there and says so, and 0 is refused.
#[test]
fn max_events_caps_a_kept_transcript() {
    let case = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/harbour-truce.toml");
    let case = case.to_str().unwrap();
    let args = ["negotiate", case, "--agents", "boulware,conceder", "--rounds", "1000", "--json"];
    let out = truce().args(args).args(["--max-events", "10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 11, "ten events, then the result: {stdout}");
    let result: serde_json::Value = serde_json::from_str(lines[10]).unwrap();
    assert_eq!(result["status"], "failed");
    assert_eq!(result["failure"]["kind"], "transcript_limit");
    assert!(result["failure"]["message"].as_str().unwrap().contains("--max-events"), "{result}");
    // The default cap lets the same negotiation end on its own.
    let out = truce().args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().last().unwrap().contains(r#""status":"agreement""#), "{stdout}");
    let (code, err) = stderr(&["negotiate", case, "--agents", "micro,micro", "--max-events", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--max-events: a transcript holds at least one event"), "{err}");
}
