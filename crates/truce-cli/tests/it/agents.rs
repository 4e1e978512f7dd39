//! `truce agents`.

use assert_cmd::Command;

fn truce() -> Command {
    Command::cargo_bin("truce").unwrap()
}

#[test]
fn lists_every_agent_with_its_parameters_and_the_protocols() {
    let out = truce().arg("agents").assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn json_lists_the_registry() {
    let out = truce().args(["agents", "--json"]).assert().success().get_output().stdout.clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let names: Vec<&str> =
        doc["agents"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    let expected: Vec<&str> = truce::sim::registry().iter().map(|a| a.name).collect();
    assert_eq!(names, expected);
    assert_eq!(doc["protocols"].as_array().unwrap().len(), 3);
}
