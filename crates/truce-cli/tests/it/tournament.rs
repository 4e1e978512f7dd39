//! `truce tournament` and `truce tournament merge`.

use assert_cmd::Command;

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = truce().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bad_shards_and_agents_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let (code, _, err) =
        run(&["tournament", "--agents", "micro", "--domains", "x", "--shard", "4/4", "--out", out]);
    assert_eq!(code, 2);
    assert!(err.contains("--shard: invalid shard `4/4`"), "{err}");
    let (code, _, err) = run(&["tournament", "--agents", "micro,nobody", "--domains", "x", "--out", out]);
    assert_eq!(code, 2);
    assert!(err.contains("there is no agent called `nobody`"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing is written on a usage error");
}

#[test]
fn merge_refuses_files_from_another_version_or_that_are_not_results() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    std::fs::create_dir(&old).unwrap();
    std::fs::write(
        old.join("results.json"),
        r#"{"format": "truce-tournament-results", "format_version": 0, "truce_version": "0.0.1", "negotiations": []}"#,
    )
    .unwrap();
    let out = dir.path().join("merged");
    let (code, _, err) = run(&["tournament", "merge", old.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("written by Truce 0.0.1 (result format 0)"), "{err}");
    assert!(err.contains("rerun that shard with this version"), "{err}");
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "[1, 2]").unwrap();
    let (code, _, err) =
        run(&["tournament", "merge", junk.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a Truce tournament result file"), "{err}");
    assert!(!out.exists());
}

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sim/truce_talks")
}

#[test]
fn shards_merge_into_the_unsharded_results_and_outputs_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let domain = fixture();
    let domain = domain.to_str().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let base = [
        "tournament",
        "--agents",
        "boulware,micro,random",
        "--domains",
        domain,
        "--reps",
        "2",
        "--rounds",
        "30",
        "--seed",
        "5",
        "--quiet",
    ];
    let with = |extra: &[&str]| {
        base.iter().copied().chain(extra.iter().copied()).map(String::from).collect::<Vec<_>>()
    };
    let run_args = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs)
    };
    let (code, ranking, err) = run_args(with(&["--out", &path("whole")]));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(ranking);
    for file in ["results.json", "negotiations.csv", "ranking.csv"] {
        assert!(dir.path().join("whole").join(file).is_file(), "{file}");
    }
    for i in 0..2 {
        let (code, _, err) = run_args(with(&[
            "--shard",
            &format!("{i}/2"),
            "--threads",
            "1",
            "--out",
            &path(&format!("s{i}")),
        ]));
        assert_eq!(code, 0, "{err}");
    }
    let (code, merged_ranking, err) =
        run(&["tournament", "merge", &path("s1"), &path("s0"), "--out", &path("merged")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged_ranking, ranking);
    for file in ["results.json", "negotiations.csv", "ranking.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join("merged").join(file)).unwrap(),
            std::fs::read(dir.path().join("whole").join(file)).unwrap(),
            "{file} differs between the merged shards and the whole tournament"
        );
    }
    // Neither a finished output nor an input is ever written over.
    let before = std::fs::read(dir.path().join("whole/results.json")).unwrap();
    let (code, _, err) = run_args(with(&["--out", &path("whole")]));
    assert_eq!(code, 2);
    assert!(err.contains("already holds results.json"), "{err}");
    let (code, _, err) = run(&["tournament", "merge", &path("s0"), "--out", &path("s0")]);
    assert_eq!(code, 2);
    assert!(err.contains("is an input, holds one, or lies inside one"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("whole/results.json")).unwrap(), before);
    // Half the shards merge with a warning.
    let (code, _, err) = run(&["tournament", "merge", &path("s0"), "--out", &path("half")]);
    assert_eq!(code, 0);
    assert!(err.contains("some shards are missing"), "{err}");
}

#[test]
fn transcripts_are_written_per_negotiation() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    let domain = fixture();
    let (code, _, err) = run(&[
        "tournament",
        "--agents",
        "boulware,micro",
        "--domains",
        domain.to_str().unwrap(),
        "--rounds",
        "10",
        "--transcripts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let count = std::fs::read_dir(out.join("transcripts")).unwrap().count();
    assert_eq!(count, 8, "2 agents, 2 seats, 2 move orders");
    let text = std::fs::read_to_string(out.join("transcripts/000000.jsonl")).unwrap();
    assert!(truce::sim::read_jsonl(&text).is_ok());
}

#[test]
fn distances_to_the_nash_point_and_the_frontier_match_a_brute_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    let domain = fixture();
    let (code, _, err) = run(&[
        "tournament",
        "--agents",
        "boulware,conceder,random",
        "--domains",
        domain.to_str().unwrap(),
        "--rounds",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let results =
        truce::sim::ResultsFile::from_json(&std::fs::read_to_string(out.join("results.json")).unwrap(), "r")
            .unwrap();
    // Brute force over the fixture's 48 outcomes, independently of the analysis engine.
    let loaded = truce::formats::load(&domain).unwrap();
    let scenario = truce::sim::Scenario::from_case(&loaded.case).unwrap();
    let space = scenario.domain().space();
    let mut all = Vec::new();
    let mut cursor = space.outcomes();
    while let Some(o) = cursor.next() {
        all.push((scenario.utilities(o), scenario.acceptable_to_all(o)));
    }
    let dominated = |u: &Vec<f64>| {
        all.iter().any(|(v, _)| v.iter().zip(u).all(|(a, b)| a >= b) && v.iter().zip(u).any(|(a, b)| a > b))
    };
    let frontier: Vec<&Vec<f64>> = all.iter().map(|(u, _)| u).filter(|u| !dominated(u)).collect();
    let d = scenario.reservations();
    let product = |u: &Vec<f64>| (u[0] - d[0]) * (u[1] - d[1]);
    let nash = all
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(u, _)| u)
        .max_by(|a, b| product(a).total_cmp(&product(b)))
        .unwrap();
    let distance = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt();
    assert!(!results.negotiations.is_empty());
    for n in &results.negotiations {
        let point = n.agreement.as_ref().map_or_else(|| d.clone(), |o| scenario.utilities(o));
        let to_frontier = frontier.iter().map(|f| distance(&point, f)).fold(f64::INFINITY, f64::min);
        assert!((n.pareto_distance.unwrap() - to_frontier).abs() < 1e-9, "{n:?}");
        assert!((n.nash_distance.unwrap() - distance(&point, nash)).abs() < 1e-9, "{n:?}");
    }
    let csv = std::fs::read_to_string(out.join("negotiations.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with("nash_distance,pareto_distance"));
}
