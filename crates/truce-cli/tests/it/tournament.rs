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
    assert!(err.contains("unknown agent `nobody`"), "{err}");
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
