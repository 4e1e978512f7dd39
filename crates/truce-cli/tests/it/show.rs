//! `truce show`.

use super::{EXAMPLE, fixture, truce};

#[test]
fn shows_the_example_as_a_reader_wants_it() {
    let run = truce(&["show", EXAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("show_example", run.stdout);
}

#[test]
fn shows_the_example_as_json() {
    let run = truce(&["show", "--json", EXAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_example_json", run.stdout);
}

#[test]
fn shows_every_feature() {
    let run = truce(&["show", &fixture("good/everything.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_everything", run.stdout);
}

#[test]
fn proposals_come_in_date_order() {
    let run = truce(&["show", "--json", &fixture("good/everything.toml")]);
    let case: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let order: Vec<&str> =
        case["proposals"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    // p1 is dated 2024-03 and p5 2024-06-10; the undated ones follow in case order.
    assert_eq!(order, ["p1", "p5", "p2", "p3", "p4"]);
}

#[test]
fn the_outcome_count_is_exact_however_large() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[case]\nid = \"big\"\ntitle = \"Big\"\n");
    for i in 0..40 {
        text.push_str(&format!("[[issues]]\nname = \"i{i}\"\ntype = \"integer\"\nmin = 0\nmax = 9\n"));
    }
    let path = dir.path().join("big.toml");
    std::fs::write(&path, text).unwrap();
    let run = truce(&["show", path.to_str().unwrap()]);
    let expected = format!("Outcomes: 1{} (about 1.00e40)", "0".repeat(40));
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&truce(&["show", "--json", path.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(json["outcomes"]["digits"], 41);
    assert_eq!(json["outcomes"]["scientific"], "1.00e40");
}

#[test]
fn a_case_with_errors_is_refused_with_its_diagnostics() {
    let run = truce(&["show", &fixture("bad/cycle.toml")]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("show_refuses_errors", run.stderr);
}

#[test]
fn warnings_are_counted_on_stderr_and_the_case_is_shown() {
    let path = fixture("bad/lints.toml");
    let run = truce(&["show", &path]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("Lints\n"), "{}", run.stdout);
    assert_eq!(run.stderr, format!("note: 3 warnings; run `truce check {path}` to see them\n"));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `truce show case | head -1`: the reader closes the pipe before truce has written everything.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("truce"))
        .current_dir(super::root())
        .args(["show", EXAMPLE])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no 'Broken pipe' message");
}

#[test]
fn names_with_invisible_characters_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.toml");
    let case = "[case]\nid = \"x\"\ntitle = \"x\"\n[[issues]]\nname = \"w\\u200B\"\ntype = \"boolean\"\n";
    std::fs::write(&path, case).unwrap();
    let run = truce(&["show", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("w\\u{200b}"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{200b}'), "{}", run.stdout);
    assert!(run.stderr.contains("2 warnings"), "the warning is counted: {}", run.stderr);
}

#[test]
fn shows_who_must_approve() {
    let run = truce(&["show", &fixture("good/constituencies.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let section = run.stdout.split("\nConstituencies").nth(1).unwrap_or_default();
    assert!(section.contains("north  centre:"), "{}", run.stdout);
    assert!(
        section.contains("majority  weight 25  no_full_withdrawal: withdrawal <= \"partial\""),
        "{section}"
    );
    assert!(section.contains("coast  military_wing:  all_of"), "{section}");
}
