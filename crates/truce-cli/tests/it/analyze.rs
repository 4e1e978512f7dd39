//! `truce analyze` end to end: output, files, exit codes.

use std::path::PathBuf;

use assert_cmd::Command;

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = truce().arg("analyze").args(args).arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn text_report_of_a_genius_folder() {
    let output = truce()
        .args(["analyze", "--outcome", "price=mid, delivery=normal"])
        .arg(data("market"))
        .output()
        .unwrap();
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn json_has_the_frontier_the_solutions_and_timings() {
    let v = json(&[data("market").to_str().unwrap()]);
    assert_eq!(v["schema"], "truce-analysis/1");
    assert_eq!(v["frontier"]["size"], 10);
    assert_eq!(v["frontier"]["method"]["exact"], true);
    assert_eq!(v["zone"]["size"]["value"], "15");
    let nash = v["solutions"]["nash"]["value"].as_f64().unwrap();
    assert!((nash - 0.68 * 0.31).abs() < 1e-12, "{nash}");
    assert!(v["solutions"]["kalai_smorodinsky"]["utilities"].is_array());
    for stage in ["load", "frontier", "zone", "solutions", "total"] {
        assert!(v["timings"][stage].as_f64().unwrap() >= 0.0, "no timing for {stage}");
    }
}

#[test]
fn writes_the_plot_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, html) = (dir.path().join("plot.svg"), dir.path().join("report.html"));
    truce()
        .arg("analyze")
        .arg(data("market"))
        .arg("--svg")
        .arg(&svg)
        .arg("--html")
        .arg(&html)
        .arg("--quiet")
        .assert()
        .success();
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg"));
}

#[test]
fn a_missing_path_is_invalid_input() {
    let output = truce().args(["analyze", "no/such/case.toml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/case.toml"));
}

#[test]
fn a_bad_outcome_says_what_was_expected() {
    let output =
        truce().arg("analyze").arg(data("market")).args(["--outcome", "price=free"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`free` is not a value of `price`") && stderr.contains("option names"),
        "{stderr}"
    );
    let output =
        truce().arg("analyze").arg(data("market")).args(["--outcome", "colour=red"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the issues are: price, delivery, warranty"));
}

#[test]
fn never_overwrites_an_input_file() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["market-domain.xml", "buyer.xml", "seller.xml"] {
        std::fs::copy(data("market").join(f), dir.path().join(f)).unwrap();
    }
    let profile = dir.path().join("buyer.xml");
    let before = std::fs::read(&profile).unwrap();
    let output = truce().arg("analyze").arg(dir.path()).arg("--svg").arg(&profile).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is an input"));
    assert_eq!(std::fs::read(&profile).unwrap(), before);
}

/// A hard link to the case is the case: `ln harbour.toml out.svg; truce analyze harbour.toml --svg
/// out.svg` once replaced the case file with a plot (issue 14). Also `negotiate --svg` and `convert`.
#[test]
fn never_overwrites_an_input_through_a_hard_link() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("harbour.toml");
    std::fs::copy(super::root().join(super::EXAMPLE), &case).unwrap();
    let before = std::fs::read(&case).unwrap();
    let link = dir.path().join("out.svg");
    std::fs::hard_link(&case, &link).unwrap();
    let (c, l) = (case.to_str().unwrap(), link.to_str().unwrap());
    for args in [
        &["analyze", c, "--svg", l][..],
        &["analyze", c, "--html", l],
        &["negotiate", c, "--agents", "boulware,conceder", "--svg", l],
    ] {
        let output = truce().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is an input (the same file as"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read(&case).unwrap(), before, "{args:?}");
    }
    // A GENIUS profile hard-linked elsewhere, with the domain folder as the input.
    let domain = dir.path().join("market");
    std::fs::create_dir(&domain).unwrap();
    for f in ["market-domain.xml", "buyer.xml", "seller.xml"] {
        std::fs::copy(data("market").join(f), domain.join(f)).unwrap();
    }
    let profile_link = dir.path().join("plot.svg");
    std::fs::hard_link(domain.join("buyer.xml"), &profile_link).unwrap();
    let output = truce().arg("analyze").arg(&domain).arg("--svg").arg(&profile_link).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(std::fs::read_to_string(domain.join("buyer.xml")).unwrap().contains("utility_space"));
}

#[test]
fn a_malformed_domain_is_invalid_input_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("market").join("market-domain.xml"), dir.path().join("market-domain.xml")).unwrap();
    std::fs::write(dir.path().join("buyer.xml"), "<utility_space><objective>\n<issue name=").unwrap();
    std::fs::copy(data("market").join("seller.xml"), dir.path().join("seller.xml")).unwrap();
    let output = truce().arg("analyze").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("buyer.xml"), "{stderr}");
}

/// The shared ANAC domains (see [`truce_testdata::domains`]).
fn domains() -> Option<PathBuf> {
    truce_testdata::domains()
}

#[test]
fn the_travel_domain_matches_the_reference() {
    let Some(root) = domains() else { return };
    let v = json(&[root.join("anac2010_Travel").to_str().unwrap(), "--bridging", "0"]);
    assert_eq!(v["outcomes"], "188160");
    assert_eq!(v["frontier"]["size"], 12);
    let close = |x: &serde_json::Value, y: f64| (x.as_f64().unwrap() - y).abs() < 1e-9;
    assert!(close(&v["solutions"]["nash"]["value"], 0.707_708_203_576));
    assert!(close(&v["solutions"]["kalai_smorodinsky"]["value"], 0.802_015_468_103));
    assert!(v["bridging"].is_null());
}

#[test]
fn a_truce_case_gets_its_proposals_record_and_sensitivity() {
    let case = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases/harbour-truce.toml");
    let v = json(&[case.to_str().unwrap()]);
    let proposals = v["evaluations"].as_array().unwrap();
    assert!(!proposals.is_empty());
    assert!(proposals.iter().all(|e| e["subject"]["proposal"].is_string()));
    assert_eq!(v["timeline"].as_array().unwrap().len(), proposals.len());
    assert!(
        v["sensitivity"]["weights"].as_array().is_some_and(|w| !w.is_empty()),
        "sensitivity is on for cases with proposals"
    );
    for r in v["record"].as_array().unwrap() {
        let status = r["status"].as_str().unwrap();
        assert!(
            ["explained", "consistent", "inconsistent", "bargaining", "undecided", "unmodelled"]
                .contains(&status)
        );
    }
    let output = truce().arg("analyze").arg(&case).arg("--no-sensitivity").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for section in
        ["Proposals", "Positions over time", "Recorded responses against the model", "Bridging packages"]
    {
        assert!(text.contains(section), "no {section} section");
    }
    assert!(!text.contains("Sensitivity"));
}

/// `issues` boolean issues, party `a` wanting each, party `b` against, every weight 1.
fn opposed_booleans(issues: usize) -> String {
    let mut text = String::from("[case]\nid = \"bools\"\ntitle = \"Bools\"\n");
    for i in 0..issues {
        text += &format!("[[issues]]\nname = \"b{i}\"\ntype = \"boolean\"\n");
    }
    for (id, yes, no) in [("a", 1, 0), ("b", 0, 1)] {
        let weights: Vec<String> = (0..issues).map(|i| format!("b{i} = 1")).collect();
        let values: Vec<String> =
            (0..issues).map(|i| format!("b{i} = {{ scores = {{ no = {no}, yes = {yes} }} }}")).collect();
        text += &format!(
            "[[parties]]\nid = \"{id}\"\nname = \"{id}\"\nroles = [\"negotiator\"]\n[parties.preferences]\nweights = {{ {} }}\nvalues = {{ {} }}\nassumption = \"test\"\n",
            weights.join(", "),
            values.join(", ")
        );
    }
    text
}

/// Counts past 2^128 were printed as exact (`reached by 3.40e38 outcomes`) and shares of spaces past
/// f64 as `NaN%` (issue 14): a saturated count is now marked as a lower bound, in text and JSON, and
/// totals are summed exactly.
#[test]
fn counts_past_u128_are_lower_bounds_and_shares_are_finite() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("bools.toml");
    std::fs::write(&case, opposed_booleans(140)).unwrap();
    let output = truce().arg("analyze").arg(&case).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    // Wrapped to the terminal's width: compared with every run of spaces and newlines as one space.
    let text = String::from_utf8(output.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("1.39e42 outcomes (100.0% of all)"), "{text}");
    assert!(text.contains("141 points, reached by at least "), "{text}");
    assert!(text.contains(" or more"), "{text}");
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    let output = truce().arg("analyze").arg(&case).arg("--json").output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let frontier = &json["frontier"];
    assert_eq!(frontier["outcomes_at_least"], true);
    let saturated = frontier["points"].as_array().unwrap().iter().filter(|p| p["count_at_least"] == true);
    // C(140, k) passes 2^128 - 1 for k from 51 to 89.
    assert_eq!(saturated.count(), 39);
    // An exact count carries no mark.
    assert!(frontier["points"][0].get("count_at_least").is_none());
    assert_eq!(frontier["points"][0]["count"], "1");
}

/// A real issue of 1,000,001 levels (one past the analysis' limit of values per issue) failed with
/// exit 1 and no location (issue 14): the error points at the issue, with its source line.
#[test]
fn an_issue_past_the_limit_of_values_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("fine.toml");
    let party = |id: &str, slope: &str| {
        format!(
            "[[parties]]\nid = \"{id}\"\nname = \"{id}\"\nroles = [\"negotiator\"]\n[parties.preferences]\n\
             weights = {{ share = 1 }}\nvalues = {{ share = {{ linear = \"{slope}\" }} }}\nassumption = \"test\"\n"
        )
    };
    let text = format!(
        "[case]\nid = \"fine\"\ntitle = \"Fine\"\n[[issues]]\nname = \"share\"\ntype = \"real\"\nmin = 0\nmax = 1\n\
         levels = 1000001\n{}{}",
        party("a", "increasing"),
        party("b", "decreasing")
    );
    std::fs::write(&case, text).unwrap();
    let output = truce().arg("analyze").arg(&case).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[too-many-values]: the issue `share`: it has 1000001 values"), "{stderr}");
    assert!(stderr.contains("fine.toml:5:8") && stderr.contains("5 | name = \"share\""), "{stderr}");
    assert!(stderr.contains("hint: use a larger step"), "{stderr}");
}
