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
    assert!(err.contains("--agents: unknown agent `bouldware`: expected one of boulware"), "{err}");
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "boulware(e=-1),micro"]);
    assert_eq!(code, 2);
    assert!(err.contains("parameter `e`: -1 is out of range"), "{err}");
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--protocol", "auction"]);
    assert_eq!(code, 2);
    assert!(err.contains("--protocol: unknown protocol `auction`"), "{err}");
    let (code, err) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--time-limit=-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("-3 is not a positive number of seconds"), "{err}");
    let (code, _) = stderr(&["negotiate", "nowhere", "--agents", "micro,micro", "--rounds", "-5"]);
    assert_eq!(code, 2, "clap refuses a negative deadline");
}

#[test]
fn a_missing_input_is_an_input_error() {
    let (code, err) = stderr(&["negotiate", "no/such/case.toml", "--agents", "micro,micro"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/case.toml"), "{err}");
}
