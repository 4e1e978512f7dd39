//! Bad inputs: every problem is reported at once, each with its code at the line and column where
//! it is written (positions checked by hand against the fixtures), and nothing panics.

use proptest::prelude::*;

use super::{data, problems, repo};

/// Only the errors, in (code, line, column) form.
fn errors(fixture: &str) -> Vec<(&'static str, usize, usize)> {
    let path = data(fixture);
    let loaded = truce_formats::load(&path);
    let codes_of_errors: Vec<&str> = match &loaded {
        Ok(l) => l.validate().into_iter().filter(|d| d.is_error()).map(|d| d.code).collect(),
        Err(f) => f.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect(),
    };
    let mut all = problems(&path);
    // Keep errors only: a code can be both (never in these fixtures), so filter by membership.
    all.retain(|(code, ..)| codes_of_errors.contains(code));
    all
}

#[test]
fn malformed_toml_reports_every_syntax_error() {
    let found = errors("bad/malformed.toml");
    assert_eq!(found.iter().filter(|e| e.0 == "toml-syntax").count(), found.len(), "{found:?}");
    assert_eq!(found[0], ("toml-syntax", 4, 9), "the unquoted title");
    assert!(found.iter().any(|e| e.1 == 12), "the second [case] table: {found:?}");
}

#[test]
fn wrong_types_are_reported_one_per_item() {
    assert_eq!(
        errors("bad/wrong-types.toml"),
        [
            ("unknown-field", 5, 1),
            ("wrong-type", 18, 10),
            ("invalid-choice", 22, 8),
            ("wrong-type", 27, 17),
            ("wrong-type", 33, 9),
            ("invalid-choice", 38, 10),
            ("wrong-type", 43, 13),
        ]
    );
}

#[test]
fn unknown_names_are_all_reported_with_their_positions() {
    assert_eq!(
        errors("bad/unknown-names.toml"),
        [
            ("unknown-issue", 23, 11),
            ("unknown-party", 29, 17),
            ("unknown-source", 30, 9),
            ("missing-weight", 32, 1),
            ("unknown-issue", 37, 1),
            ("missing-score", 40, 25),
            ("unknown-option", 40, 37),
            ("unknown-option", 45, 23),
            ("unknown-issue", 45, 33),
            ("unknown-party", 56, 14),
            ("unknown-proposal", 57, 15),
            ("unknown-source", 58, 20),
            ("unknown-option", 61, 14),
            ("wrong-value-kind", 62, 9),
            ("unknown-issue", 63, 1),
            ("unknown-proposal", 68, 18),
        ]
    );
}

#[test]
fn unknown_names_come_with_a_suggestion_when_one_is_close() {
    let failure = truce_formats::load(&data("bad/unknown-names.toml")).unwrap_err();
    let hint = |line: usize| {
        failure
            .diagnostics
            .iter()
            .find(|d| d.position.is_some_and(|p| p.line == line))
            .and_then(|d| d.hint.clone())
    };
    assert_eq!(hint(23).as_deref(), Some("did you mean `withdrawal`?"));
    assert_eq!(hint(29).as_deref(), Some("did you mean `south`?"));
    assert_eq!(hint(37).as_deref(), Some("did you mean `ratio`?"));
}

#[test]
fn duplicates_point_at_the_second_and_name_the_first() {
    assert_eq!(
        errors("bad/duplicates.toml"),
        [
            ("duplicate-id", 11, 6),
            ("duplicate-option", 16, 28),
            ("duplicate-issue", 25, 8),
            ("issue-in-two-phases", 36, 11),
            ("duplicate-phase", 39, 8),
            ("duplicate-id", 47, 6),
            ("duplicate-id", 56, 6),
        ]
    );
    let failure = truce_formats::load(&data("bad/duplicates.toml")).unwrap_err();
    let hint = failure.diagnostics[0].hint.as_deref().unwrap();
    assert!(hint.contains("duplicates.toml:7:6"), "{hint}");
}

#[test]
fn values_out_of_range_are_found_with_every_other_problem_at_their_positions() {
    // The reader checks each value's range where it is written (inside a rule too, beside the
    // rule's other errors); the model's checks run on the rest at the same time.
    assert!(truce_formats::load(&data("bad/out-of-range.toml")).is_err());
    assert_eq!(
        errors("bad/out-of-range.toml"),
        [
            ("invalid-weight", 32, 9),
            ("unsorted-points", 35, 1),
            ("value-out-of-range", 40, 18),
            ("unordered-comparison", 40, 25),
            ("value-out-of-range", 54, 9),
            ("unordered-range", 55, 9),
            ("reversed-range", 63, 9),
            ("value-out-of-range", 63, 57),
        ]
    );
}

#[test]
fn a_responds_to_cycle_is_reported_at_each_member() {
    assert_eq!(errors("bad/cycle.toml"), [("responds-to-cycle", 18, 6), ("responds-to-cycle", 23, 6)]);
}

#[test]
fn red_line_errors_point_inside_the_rule() {
    assert_eq!(
        errors("bad/red-lines.toml"),
        [
            ("red-line-syntax", 34, 24),
            ("red-line-syntax", 38, 20),
            ("red-line-syntax", 42, 21),
            ("red-line-syntax", 46, 43),
            ("unknown-option", 50, 23), // the backslash that starts \"nowhere\"
            ("wrong-value-kind", 54, 22),
            ("wrong-value-kind", 54, 56),
            ("red-line-syntax", 58, 21),
        ]
    );
}

#[test]
fn bad_dates_are_refused() {
    assert_eq!(
        errors("bad/dates.toml"),
        [("invalid-date", 5, 9), ("invalid-date", 10, 8), ("invalid-date", 15, 8), ("invalid-date", 31, 8)]
    );
}

#[test]
fn reversed_periods_and_unknown_red_lines_are_refused_where_written() {
    assert_eq!(
        errors("bad/periods.toml"),
        [
            ("reversed-period", 30, 9),
            ("reversed-period", 43, 9),
            ("unknown-red-line", 52, 12),
            ("invalid-date", 56, 8),
        ]
    );
    let failure = truce_formats::load(&data("bad/periods.toml")).unwrap_err();
    let typo = failure.diagnostics.iter().find(|d| d.code == "unknown-red-line").unwrap();
    assert_eq!(typo.hint.as_deref(), Some("did you mean `stay`?"));
}

#[test]
fn empty_and_impossible_issues_are_refused() {
    assert_eq!(
        errors("bad/empty-issues.toml"),
        [
            ("empty-issue", 8, 11),
            ("invalid-range", 13, 7),
            ("missing-field", 16, 1),
            ("invalid-range", 24, 7),
            ("issue-shape", 31, 11),
        ]
    );
}

#[test]
fn huge_numbers_are_refused_not_wrapped() {
    assert_eq!(
        errors("bad/huge-numbers.toml"),
        [("too-many-values", 9, 7), ("wrong-type", 16, 7), ("wrong-type", 23, 10), ("wrong-type", 27, 17)]
    );
}

#[test]
fn lints_are_warnings_that_do_not_stop_loading() {
    let loaded = truce_formats::load(&data("bad/lints.toml")).unwrap();
    let warnings: Vec<_> = loaded.validate().into_iter().map(|d| (d.code, d.severity)).collect();
    assert_eq!(
        warnings,
        [
            ("unsourced-red-line", truce_model::Severity::Warning),
            ("unsourced-term", truce_model::Severity::Warning),
            ("unsourced-response", truce_model::Severity::Warning),
        ]
    );
}

#[test]
fn a_missing_case_table_and_unknown_top_level_keys_are_reported() {
    let text = "[[issue]]\nname = \"x\"\n";
    let failure = truce_formats::parse_case(text, "x.toml".as_ref()).unwrap_err();
    let codes: Vec<_> = failure.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["unknown-field"]);
    assert_eq!(
        failure.diagnostics[0].hint.as_deref().unwrap().split('?').next(),
        Some("did you mean `issues`")
    );
    let failure = truce_formats::parse_case("", "x.toml".as_ref()).unwrap_err();
    assert_eq!(failure.diagnostics[0].code, "missing-case");
}

#[test]
fn red_lines_need_preferences_and_terms_need_one_form() {
    let text = r#"
[case]
id = "x"
title = "x"
[[issues]]
name = "n"
type = "integer"
min = 0
max = 9
[[parties]]
id = "a"
name = "A"
roles = ["negotiator"]
[[parties.red_lines]]
name = "r"
rule = "n <= 3"
[[proposals]]
id = "p"
title = "p"
terms.n = { value = 1, min = 0, max = 2 }
[[proposals.responses]]
party = "a"
stance = "accepted"
countered_with = "p"
"#;
    let failure = truce_formats::parse_case(text, "x.toml".as_ref()).unwrap_err();
    let found: Vec<_> = failure
        .diagnostics
        .iter()
        .map(|d| (d.code, d.position.unwrap().line, d.position.unwrap().column))
        .collect();
    assert_eq!(
        found,
        [
            // The model's checks run on what read, beside the reading errors: one negotiator.
            ("too-few-negotiators", 2, 1),
            ("red-lines-without-preferences", 14, 1),
            ("term-shape", 20, 21),
            ("response-shape", 24, 18)
        ]
    );
}

/// A few characters changed anywhere in a valid case never make the reader panic, and any failure
/// comes with at least one error.
fn mutations() -> impl Strategy<Value = Vec<(usize, u8, char)>> {
    prop::collection::vec((any::<usize>(), 0u8..3, prop::char::any()), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn mutated_cases_never_panic(edits in mutations()) {
        let mut text: Vec<char> =
            std::fs::read_to_string(repo("cases/harbour-truce.toml")).unwrap().chars().collect();
        for (at, kind, c) in edits {
            let at = at % (text.len() + 1);
            match kind {
                0 => text.insert(at, c),
                1 if at < text.len() => { text.remove(at); }
                _ if at < text.len() => text[at] = c,
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        match truce_formats::parse_case(&text, "mutated.toml".as_ref()) {
            Ok(loaded) => { let _ = loaded.validate(); }
            Err(failure) => prop_assert!(failure.diagnostics.iter().any(|d| d.is_error())),
        }
    }
}

#[test]
fn unreadable_preferences_and_beliefs_are_reported_where_written() {
    let found = problems(&data("bad/preferences.toml"));
    assert_eq!(
        found,
        [
            ("source-location", 9, 7),
            ("empty-name", 23, 8),
            // A lint of a phase that read, reported with the errors of the parts that did not.
            ("empty-phase", 35, 8),
            ("empty-assumption", 41, 14),
            ("missing-value-function", 43, 1),
            ("empty-cite", 51, 8),
            ("value-function-shape", 55, 27),
            ("value-function-shape", 56, 16),
            ("continuation-gap", 59, 1),
            ("missing-probability", 59, 51),
            ("no-next-phase", 60, 1),
            ("unknown-phase", 61, 1),
            ("preferences-shape", 70, 14),
        ]
    );
}

#[test]
fn text_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[case]\nid = \"caf\xe9\"\n").unwrap();
    let failure = truce_formats::load(&path).unwrap_err();
    let d = &failure.diagnostics[0];
    assert_eq!((d.code, d.position.map(|p| (p.line, p.column))), ("not-utf8", Some((2, 10))));
}

/// Agreements as written, wrong: each mistake at the term, red line or record it is in.
#[test]
fn provisions_red_line_ends_and_the_state_of_play_are_checked_where_written() {
    assert_eq!(
        errors("bad/agreements.toml"),
        [
            ("red-line-without-position", 48, 8),
            ("day-outside-phase", 73, 12),
            ("schedule-total", 73, 12),
            ("unknown-condition", 74, 9),
            ("condition-cycle", 83, 12),
            ("delivered-more-than-agreed", 86, 1),
        ]
    );
    let all = problems(&data("bad/agreements.toml"));
    for lint in
        [("quote-is-title", 48, 8), ("red-line-outlives-position", 54, 8), ("more-than-exists", 83, 12)]
    {
        assert!(all.contains(&lint), "{lint:?} missing from {all:?}");
    }
}

#[test]
fn constituencies_and_approval_rules_are_checked_where_written() {
    assert_eq!(
        errors("bad/constituencies.toml"),
        [
            ("constituency-weight", 18, 6),
            ("unknown-issue", 25, 9),
            ("duplicate-id", 29, 6),
            ("unknown-constituency", 35, 19),
            ("missing-approval", 39, 6),
            ("approval-shape", 55, 1),
            ("unknown-constituency", 57, 19),
        ]
    );
    let failure = truce_formats::load(&data("bad/constituencies.toml")).err();
    let hints: Vec<String> =
        failure.iter().flat_map(|f| &f.diagnostics).filter_map(|d| d.hint.clone()).collect();
    assert!(hints.iter().any(|h| h == "did you mean `cabinet`?"), "{hints:?}");
}
