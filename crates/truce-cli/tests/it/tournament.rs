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

/// A result folder holding `text` as its results, with a manifest that vouches for it.
fn folder_with_results(dir: &std::path::Path, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("results.jsonl"), text).unwrap();
    let manifest = truce::sim::Manifest::of(&[("results.jsonl", text.as_bytes())]);
    std::fs::write(dir.join("manifest.json"), manifest.to_json()).unwrap();
}

#[test]
fn merge_refuses_files_from_another_version_or_that_are_not_results() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    folder_with_results(
        &old,
        "{\"format\": \"truce-tournament-results\", \"format_version\": 0, \"truce_version\": \"0.0.1\", \"negotiations\": []}\n",
    );
    let out = dir.path().join("merged");
    let (code, _, err) = run(&["tournament", "merge", old.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("written by Truce 0.0.1 (result format 0)"), "{err}");
    assert!(err.contains("rerun that shard with this version"), "{err}");
    let junk = dir.path().join("junk");
    folder_with_results(&junk, "[1, 2]\n");
    let (code, _, err) =
        run(&["tournament", "merge", junk.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a Truce tournament result file"), "{err}");
    assert!(!out.exists());
}

/// The files of a finished result folder.
const FILES: [&str; 4] = ["results.jsonl", "negotiations.csv", "ranking.csv", "manifest.json"];

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
    for file in FILES {
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
    for file in FILES {
        assert_eq!(
            std::fs::read(dir.path().join("merged").join(file)).unwrap(),
            std::fs::read(dir.path().join("whole").join(file)).unwrap(),
            "{file} differs between the merged shards and the whole tournament"
        );
    }
    // Neither a finished output nor an input is ever written over.
    let before = std::fs::read(dir.path().join("whole/results.jsonl")).unwrap();
    let (code, _, err) = run_args(with(&["--out", &path("whole")]));
    assert_eq!(code, 2);
    assert!(
        err.contains("already holds results.jsonl, negotiations.csv, ranking.csv, manifest.json"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) = run(&["tournament", "merge", &path("s0"), "--out", &path("s0")]);
    assert_eq!(code, 2);
    assert!(err.contains("is an input, holds one, or lies inside one"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("whole/results.jsonl")).unwrap(), before);
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
    let results = truce::sim::ResultsFile::from_jsonl(
        &std::fs::read_to_string(out.join("results.jsonl")).unwrap(),
        "r",
    )
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

/// `args` with the value of `flag` replaced by `value`.
fn set(mut args: Vec<String>, flag: &str, value: &str) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap();
    args[at + 1] = value.to_string();
    args
}

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_string()).collect()
}

fn run_owned(args: &[String]) -> (i32, String, String) {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs)
}

/// `truce tournament` on the fixture with three agents, and `extra` arguments.
fn small(out: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let domain = fixture();
    let mut args = owned(&["tournament", "--agents", "boulware,micro,random", "--domains"]);
    args.push(domain.to_str().unwrap().to_string());
    args.extend(owned(&["--reps", "3", "--rounds", "30", "--seed", "8", "--quiet", "--out"]));
    args.push(out.to_str().unwrap().to_string());
    args.extend(owned(extra));
    args
}

#[test]
fn a_run_cut_short_resumes_to_the_bytes_of_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let (code, ranking, err) = run_owned(&small(&whole, &[]));
    assert_eq!(code, 0, "{err}");
    let cut = dir.path().join("cut");
    let (code, _, err) = run_owned(&small(&cut, &["--threads", "2"]));
    assert_eq!(code, 0, "{err}");
    // As a killed run leaves it: results.jsonl cut in the middle of a line, nothing else written.
    let results = std::fs::read(cut.join("results.jsonl")).unwrap();
    let lines = results.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, 1 + 9 * 2 * 3, "a header, then one line per negotiation");
    std::fs::write(cut.join("results.jsonl"), &results[..results.len() * 3 / 5]).unwrap();
    for file in ["negotiations.csv", "ranking.csv", "manifest.json"] {
        std::fs::remove_file(cut.join(file)).unwrap();
    }
    // An unfinished folder neither merges nor restarts silently.
    let (code, _, err) =
        run(&["tournament", "merge", cut.to_str().unwrap(), "--out", dir.path().join("m").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no manifest.json: its run did not finish (finish it with --resume)"), "{err}");
    let (code, _, err) = run_owned(&small(&cut, &[]));
    assert_eq!(code, 2);
    assert!(err.contains("--resume"), "{err}");
    // Resuming with other arguments is refused, naming what differs.
    let other = set(small(&cut, &["--resume"]), "--seed", "9");
    let (code, _, err) = run_owned(&other);
    assert_eq!(code, 2);
    assert!(err.contains("--resume:") && err.contains("the seed (9 here, 8 there)"), "{err}");
    // ... and leaves a finished folder finished.
    let (code, _, err) = run_owned(&set(small(&whole, &["--resume"]), "--seed", "9"));
    assert_eq!(code, 2, "{err}");
    assert!(whole.join("manifest.json").is_file());
    let (code, resumed_ranking, err) = run_owned(&small(&cut, &["--resume", "--threads", "1"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(resumed_ranking, ranking);
    for file in FILES {
        assert_eq!(
            std::fs::read(cut.join(file)).unwrap(),
            std::fs::read(whole.join(file)).unwrap(),
            "{file} differs between the resumed run and the uninterrupted one"
        );
    }
}

#[test]
fn merge_verifies_each_shard_against_its_manifest_and_its_tournament() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |i: u32, domain: &std::path::Path, name: &str| {
        let out = dir.path().join(name);
        let args = set(small(&out, &["--shard", &format!("{i}/2")]), "--domains", domain.to_str().unwrap());
        let (code, _, err) = run_owned(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let s0 = shard(0, &fixture(), "s0");
    let s1 = shard(1, &fixture(), "s1");
    let merged = dir.path().join("merged");
    let merge = |a: &std::path::Path, b: &std::path::Path| {
        let _ = std::fs::remove_dir_all(&merged);
        run(&[
            "tournament",
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ])
    };
    assert_eq!(merge(&s0, &s1).0, 0);
    // An edited shard, and one cut short, are refused.
    let results = s1.join("results.jsonl");
    let original = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, original.replacen("\"rounds\":", "\"rounds\":1", 1)).unwrap();
    let (code, _, err) = merge(&s0, &s1);
    assert_eq!(code, 2);
    assert!(err.contains("cut short or edited"), "{err}");
    let same_length = original.replacen("\"rep\":0", "\"rep\":1", 1);
    std::fs::write(&results, &same_length).unwrap();
    let (code, _, err) = merge(&s0, &s1);
    assert_eq!(code, 2);
    assert!(err.contains("its SHA-256 differs from its manifest's: the file was edited"), "{err}");
    std::fs::write(&results, &original[..original.len() - 10]).unwrap();
    let (code, _, err) = merge(&s0, &s1);
    assert_eq!(code, 2);
    assert!(err.contains("cut short or edited"), "{err}");
    std::fs::write(&results, &original).unwrap();
    // A domain changed between shards: the same name, another content.
    let changed = dir.path().join("truce_talks");
    std::fs::create_dir(&changed).unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = if entry.file_name() == "truce_talks_side_a.xml" {
            text.replacen("<reservation value=\"0.3\">", "<reservation value=\"0.25\">", 1)
        } else {
            text
        };
        std::fs::write(changed.join(entry.file_name()), text).unwrap();
    }
    let s1_changed = shard(1, &changed, "s1-changed");
    let (code, _, err) = merge(&s0, &s1_changed);
    assert_eq!(code, 2);
    assert!(err.contains("the content (SHA-256) of domain `truce_talks`"), "{err}");
}

#[test]
fn the_output_folder_is_checked_before_the_tournament_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    // A file as --out fails at once: before the (missing) domain is read.
    let (code, _, err) = run(&[
        "tournament",
        "--agents",
        "micro,boulware",
        "--domains",
        "no/such/domain",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--out:") && err.contains("is a file"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    // A folder holding a file the run would write is refused, unless --force.
    let stray = dir.path().join("stray");
    std::fs::create_dir(&stray).unwrap();
    std::fs::write(stray.join("negotiations.csv"), "mine").unwrap();
    let (code, _, err) = run_owned(&small(&stray, &[]));
    assert_eq!(code, 2);
    assert!(err.contains("already holds negotiations.csv"), "{err}");
    assert_eq!(std::fs::read_to_string(stray.join("negotiations.csv")).unwrap(), "mine");
    let (code, _, err) = run_owned(&small(&stray, &["--force"]));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(stray.join("negotiations.csv")).unwrap().starts_with("index,"));
}

#[test]
fn a_run_past_its_memory_limit_is_refused_before_it_starts_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let (code, _, err) = run_owned(&set(small(&out, &["--memory-limit", "1"]), "--reps", "20000"));
    assert_eq!(code, 1);
    assert!(err.contains("--memory-limit:") && err.contains("more than the limit of 1 MiB"), "{err}");
    assert!(!out.join("results.jsonl").exists(), "nothing ran");
    let (code, _, err) = run_owned(&small(&out, &["--seatings", "every"]));
    assert_eq!(code, 2);
    assert!(err.contains("--seatings:") && err.contains("sample:N"), "{err}");
}

#[test]
fn seatings_choose_who_sits_where_on_a_three_party_domain() {
    let dir = tempfile::tempdir().unwrap();
    let three = dir.path().join("three");
    std::fs::create_dir(&three).unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), three.join(entry.file_name())).unwrap();
    }
    std::fs::copy(fixture().join("truce_talks_side_b.xml"), three.join("truce_talks_side_c.xml")).unwrap();
    let count = |seatings: &str| {
        let out = dir.path().join(seatings.replace(':', "-"));
        let args = set(small(&out, &["--seatings", seatings]), "--reps", "1");
        let (code, _, err) = run_owned(&set(args, "--domains", three.to_str().unwrap()));
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
        text.lines().count() - 1
    };
    assert_eq!(count("all"), 27 * 3, "3 agents, 3 seats, 3 first movers");
    assert_eq!(count("rotate"), 9 * 3);
    assert_eq!(count("sample:4"), 4 * 3);
}

/// `--max-events` caps each transcript a tournament keeps (`--transcripts`), as in `truce negotiate`.
#[test]
fn max_events_caps_the_transcripts_of_a_tournament() {
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
        "50",
        "--transcripts",
        "--max-events",
        "6",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.join("transcripts/000000.jsonl")).unwrap();
    let last = text.lines().last().unwrap();
    assert!(last.contains("transcript_limit"), "{last}");
    assert_eq!(text.lines().count(), 7, "six events, then the result");
    let csv = std::fs::read_to_string(out.join("negotiations.csv")).unwrap();
    assert!(csv.contains("the transcript reached its limit of 6 events"), "{csv}");
}
