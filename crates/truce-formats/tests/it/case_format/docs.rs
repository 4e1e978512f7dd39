//! The documentation's examples are real: the complete example in `docs/case-format.md` is the
//! example case, byte for byte, and every TOML snippet in the document is valid TOML.

use super::{load_ok, repo};

/// The fenced blocks of a Markdown document with the given info string.
fn blocks<'a>(markdown: &'a str, info: &str) -> Vec<&'a str> {
    let fence = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let Some(end) = body.find("\n```") else { break };
        out.push(&body[..=end]);
        rest = &body[end..];
    }
    out
}

#[test]
fn the_complete_example_is_the_example_case() {
    let doc = std::fs::read_to_string(repo("docs/case-format.md")).unwrap();
    let example = std::fs::read_to_string(repo("cases/harbour-truce.toml")).unwrap();
    let toml = blocks(&doc, "toml");
    assert!(
        toml.contains(&example.as_str()),
        "docs/case-format.md must include cases/harbour-truce.toml verbatim in a ```toml block"
    );
    load_ok(&repo("cases/harbour-truce.toml"));
}

#[test]
fn every_toml_snippet_in_the_docs_is_valid_toml() {
    for path in ["docs/case-format.md"] {
        let doc = std::fs::read_to_string(repo(path)).unwrap();
        for block in blocks(&doc, "toml") {
            if let Err(e) = block.parse::<toml::Table>() {
                panic!("{path}: a ```toml block is not valid TOML: {e}\n{block}");
            }
        }
    }
}

/// Every diagnostic code the case reader, the writer, format detection, the model's checks and the
/// facade's analysis at the state of play from events can emit, found in their sources: kebab-case string literals, plus the one-word codes.
fn emitted_codes() -> std::collections::BTreeSet<String> {
    let mut files = vec![
        repo("crates/truce-formats/src/load.rs"),
        repo("crates/truce-formats/src/disk.rs"),
        repo("crates/truce-formats/src/events.rs"),
        repo("crates/truce-model/src/validate.rs"),
        repo("crates/truce/src/play.rs"),
    ];
    for folder in ["crates/truce-formats/src/case", "crates/truce-model/src/validate"] {
        let mut folders = vec![repo(folder)];
        while let Some(dir) = folders.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { folders.push(path) } else { files.push(path) }
            }
        }
    }
    let mut codes: std::collections::BTreeSet<String> = ["io", "unwritable"].map(String::from).into();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Every run of text between two double quotes: a superset of the string literals that does
        // not depend on quote parity (char literals such as '"' would break a plain split).
        let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
        for literal in quotes.windows(2).map(|w| &text[w[0] + 1..w[1]]) {
            let kebab = literal.split('-').count() > 1
                && literal.split('-').all(|w| {
                    !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            if kebab && literal != "kebab-case" {
                codes.insert(literal.to_owned());
            }
        }
    }
    codes
}

#[test]
fn checks_md_lists_every_code_and_only_real_ones() {
    let doc = std::fs::read_to_string(repo("docs/checks.md")).unwrap();
    let documented: std::collections::BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(code, _)| code.to_owned()))
        .collect();
    let emitted = emitted_codes();
    let undocumented: Vec<_> = emitted.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&emitted).collect();
    assert!(undocumented.is_empty(), "codes missing from docs/checks.md: {undocumented:?}");
    assert!(stale.is_empty(), "docs/checks.md lists codes nothing emits: {stale:?}");
}
