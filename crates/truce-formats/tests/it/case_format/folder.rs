//! A case spread over a folder of TOML files.

use std::fs;

use super::{data, load_ok};

#[test]
fn a_folder_reads_case_toml_first_then_the_rest_in_path_order() {
    let loaded = load_ok(&data("folder"));
    assert!(loaded.validate().is_empty());
    let case = loaded.case;
    let ids = |v: Vec<&str>| v.join(",");
    assert_eq!(ids(case.sources.iter().map(|s| s.id.as_str()).collect()), "S1,S2");
    assert_eq!(
        ids(case.parties.iter().map(|p| p.id.as_str()).collect()),
        "north,south",
        "parties/north.toml < parties/south.toml"
    );
    assert_eq!(ids(case.proposals.iter().map(|p| p.id.as_str()).collect()), "p1,p2");
    assert!(case.party_id("hidden").is_none(), "dot files are skipped");
    assert_eq!(case.proposals[1].responds_to, case.proposal_id("p1"), "references cross files");
}

#[test]
fn diagnostics_name_the_file_they_are_in() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("case.toml"),
        "[case]\nid = \"f\"\ntitle = \"f\"\n[[issues]]\nname = \"x\"\ntype = \"boolean\"\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("more")).unwrap();
    fs::write(
        dir.path().join("more/extra.toml"),
        "[case]\nid = \"again\"\n\n[[parties]]\nid = \"a\"\nname = \"A\"\nroles = [\"negotiatr\"]\n",
    )
    .unwrap();
    let failure = truce_formats::load(dir.path()).unwrap_err();
    let found: Vec<_> = failure
        .diagnostics
        .iter()
        .map(|d| {
            (d.code, d.file.strip_prefix(dir.path()).unwrap().display().to_string(), d.position.unwrap().line)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("misplaced-case", "more/extra.toml".to_owned(), 1),
            ("invalid-choice", "more/extra.toml".to_owned(), 7)
        ]
    );
}

#[test]
fn a_folder_without_case_toml_is_not_a_truce_case() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("parties.toml"), "[[parties]]\n").unwrap();
    let failure = truce_formats::load(dir.path()).unwrap_err();
    assert_eq!(failure.diagnostics[0].code, "unknown-format");
}

#[cfg(unix)]
#[test]
fn symbolic_links_to_folders_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("case.toml"),
        "[case]\nid = \"f\"\ntitle = \"f\"\n[[issues]]\nname = \"x\"\ntype = \"boolean\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let loaded = load_ok(dir.path());
    let codes: Vec<_> = loaded.warnings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["ignored-symlink"], "a link back to the folder would be a cycle");
}
