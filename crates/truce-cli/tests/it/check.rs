//! `truce check`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{EXAMPLE, fixture, root, truce};

#[test]
fn the_example_is_clean_and_strict_mode_agrees() {
    for args in [&["check", EXAMPLE][..], &["check", "--strict", EXAMPLE]] {
        let run = truce(args);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert_eq!(run.stdout, "cases/harbour-truce.toml: no problems\n");
        assert_eq!(run.stderr, "");
    }
}

#[test]
fn every_bad_fixture_is_reported_in_full_with_exit_code_2() {
    for name in [
        "malformed",
        "wrong-types",
        "unknown-names",
        "duplicates",
        "out-of-range",
        "cycle",
        "red-lines",
        "dates",
        "empty-issues",
        "huge-numbers",
        "preferences",
        "periods",
        "agreements",
        "many-kinds",
    ] {
        let path = fixture(&format!("bad/{name}.toml"));
        let run = truce(&["check", &path]);
        assert_eq!(run.code, 2, "{name}");
        assert_eq!(run.stderr, "", "{name}: everything goes to stdout");
        insta::assert_snapshot!(format!("check_{name}"), run.stdout);
    }
}

#[test]
fn every_kind_of_mistake_is_reported_in_one_run() {
    // A reading error, unknown names, rule errors, a wrong kind beside an out-of-range value, the
    // model's checks and lints (names that render alike or hide characters, a red line that can never
    // hold): all at once, each at its line and column.
    let run = truce(&["check", "--json", &fixture("bad/many-kinds.toml")]);
    assert_eq!(run.code, 2);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in [
        "invalid-choice",
        "unknown-party",
        "red-line-syntax",
        "wrong-value-kind",
        "value-out-of-range",
        "invalid-weight",
        "reversed-range",
        "red-line-never-holds",
        "confusable-names",
        "control-character",
        "invisible-character",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let rendered = truce(&["check", &fixture("bad/many-kinds.toml")]).stdout;
    assert!(!rendered.chars().any(|c| c == '\u{202e}' || c == '\u{200b}'), "hidden characters are escaped");
    assert!(rendered.contains("`scope\\u{202e}`"), "{rendered}");
}

#[test]
fn lints_pass_unless_strict() {
    let path = fixture("bad/lints.toml");
    let run = truce(&["check", &path]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("check_lints", run.stdout);
    let strict = truce(&["check", "--strict", &path]);
    assert_eq!(strict.code, 2);
    assert!(strict.stdout.ends_with("lints.toml: 3 warnings (errors with --strict)\n"), "{}", strict.stdout);
}

#[test]
fn json_output_is_stable() {
    let run = truce(&["check", "--json", &fixture("bad/unknown-names.toml")]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("check_json_unknown_names", run.stdout);
    let run = truce(&["check", "--json", "--strict", &fixture("bad/lints.toml")]);
    assert_eq!(run.code, 2);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["strict"], true);
    assert_eq!(report["warnings"], 3);
    assert_eq!(report["diagnostics"][0]["line"], 28);
    let clean: serde_json::Value =
        serde_json::from_str(&truce(&["check", "--json", EXAMPLE]).stdout).unwrap();
    assert_eq!(clean["ok"], true);
    assert_eq!(clean["format"], "truce-toml");
    assert_eq!(clean["diagnostics"], serde_json::json!([]));
}

#[test]
fn a_folder_case_is_checked_across_its_files() {
    let run = truce(&["check", "--strict", &fixture("folder")]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "crates/truce-formats/tests/data/case/folder: no problems\n")
    );
}

#[test]
fn a_missing_path_is_an_input_error() {
    let run = truce(&["check", "no/such/case.toml"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.starts_with("error[io]: cannot read: "), "{}", run.stdout);
    let run = truce(&["check", "--json", "no/such/case.toml"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["format"], serde_json::Value::Null);
    assert_eq!(report["diagnostics"][0]["line"], serde_json::Value::Null);
}

#[test]
fn checking_never_modifies_the_input() {
    let mut paths: Vec<PathBuf> = vec![root().join(EXAMPLE)];
    for dir in ["bad", "good", "folder", "folder/parties", "folder/proposals"] {
        for entry in std::fs::read_dir(root().join(fixture(dir))).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                paths.push(path);
            }
        }
    }
    let before: BTreeMap<PathBuf, Vec<u8>> =
        paths.iter().map(|p| (p.clone(), std::fs::read(p).unwrap())).collect();
    let mut targets = vec![EXAMPLE.to_owned(), fixture("folder")];
    targets.extend(
        paths.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")).map(|p| p.display().to_string()),
    );
    for target in &targets {
        truce(&["check", target]);
        truce(&["check", "--json", "--strict", target]);
        truce(&["show", target]);
    }
    for (path, bytes) in before {
        assert!(std::fs::read(&path).unwrap() == bytes, "{} changed", path.display());
    }
}

#[test]
fn domains_in_the_fields_formats_go_through_the_same_checks() {
    for (path, format) in [("genius/small", "genius-xml"), ("geniusweb/lease", "genius-web-json")] {
        let path = format!("crates/truce-formats/tests/data/{path}");
        let run = truce(&["check", "--json", &path]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["format"], format);
        assert_eq!(report["errors"], 0);
        let shown: serde_json::Value =
            serde_json::from_str(&truce(&["show", "--json", &path]).stdout).unwrap();
        assert_eq!(shown["format"], format);
        assert_eq!(shown["parties"].as_array().unwrap().len(), 2);
    }
}

/// A FIFO in a case or domain folder is a located error (exit 2), never a read that blocks for ever
/// (issue 14). Checked on every command that reads a case.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_case_folder_is_refused_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("harbour");
    std::fs::create_dir(&case).unwrap();
    std::fs::copy(root().join(EXAMPLE), case.join("case.toml")).unwrap();
    let domain = dir.path().join("market");
    std::fs::create_dir(&domain).unwrap();
    for file in ["buyer.xml", "market-domain.xml", "seller.xml"] {
        std::fs::copy(root().join("crates/truce-cli/tests/data/market").join(file), domain.join(file))
            .unwrap();
    }
    for fifo in [case.join("parties.toml"), domain.join("zz.xml")] {
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success(), "mkfifo");
    }
    for folder in [&case, &domain] {
        let folder = folder.to_str().unwrap();
        for args in [
            &["check", folder][..],
            &["show", folder],
            &["analyze", folder],
            &["negotiate", folder, "--agents", "boulware,conceder"],
        ] {
            let run = truce(args);
            assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
            let all = run.stdout + &run.stderr;
            assert!(all.contains("named pipe (FIFO)") && all.contains("not-a-file"), "{args:?}: {all}");
        }
    }
}
