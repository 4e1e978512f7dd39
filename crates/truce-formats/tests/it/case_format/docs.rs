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
