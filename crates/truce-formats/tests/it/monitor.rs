//! Signed agreements and event logs (`truce monitor`): the fictional Lakeside pause reads, its
//! commitments are derived and declared as written, and every bad row is reported where it is.

use std::path::{Path, PathBuf};

use truce_formats::events::read_events;
use truce_model::{CommitmentKind, Reconciliation};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/monitor").join(path)
}

fn lakeside() -> truce_formats::Loaded {
    let loaded = truce_formats::load(&data("lakeside.toml")).unwrap();
    let problems: Vec<String> = loaded.validate().iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    loaded
}

#[test]
fn the_lakeside_commitments_are_derived_from_the_text_and_declared_where_it_is_silent() {
    let loaded = lakeside();
    let case = &loaded.case;
    let agreement = &case.agreements[0];
    assert_eq!(agreement.reconcile, Reconciliation::MostConservative);
    let calendar = agreement.calendar(case);
    assert_eq!(
        calendar.iter().map(|s| (s.start, s.days)).collect::<Vec<_>>(),
        vec![(1, Some(6)), (7, Some(10))]
    );
    let commitments = case.commitments(agreement);
    let summary: Vec<(&str, &str, &str, u32, Option<u32>)> = commitments
        .iter()
        .map(|c| (c.id.as_str(), c.kind.as_str(), c.unit.as_str(), c.phase_start, c.due_day()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("hostages", "total", "people", 1, Some(6)),
            ("checkpoint", "deadline", "done", 1, Some(3)),
            ("withdrawal", "gate", "met", 7, Some(16)),
            ("aid_trucks_per_day", "rate", "trucks", 1, Some(6)),
            ("no_fire", "hold", "violations", 1, Some(6)),
        ]
    );
    let south = case.party_id("south").unwrap();
    assert_eq!(commitments[0].owed_by, vec![south]);
    assert!(
        matches!(&commitments[2].kind, CommitmentKind::Gate { after } if after == &["hostages".to_owned()])
    );
    assert!(commitments[3].declared && !commitments[0].declared);
}

#[test]
fn a_case_with_agreements_writes_and_reads_back_the_same() {
    let loaded = lakeside();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lakeside.toml");
    let (text, warnings) = truce_formats::case_to_toml(&loaded.case, &path).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    std::fs::write(&path, text).unwrap();
    let again = truce_formats::load(&path).unwrap();
    assert_eq!(again.case.agreements, loaded.case.agreements);
}

#[test]
fn the_lakeside_log_reads_every_row_and_no_dispute() {
    let loaded = lakeside();
    let path = data("lakeside-events.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let log = read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap();
    assert_eq!(log.observations.len(), 15);
    assert!(log.warnings.is_empty(), "{:?}", log.warnings);
    let first = &log.observations[0];
    assert_eq!(
        (first.commitment.as_str(), first.quantity, first.unit.as_str()),
        ("aid_trucks_per_day", 120.0, "trucks")
    );
    assert_eq!(first.origin.as_deref(), Some("lakeside-events.csv:2"));
    assert_eq!(first.place.as_deref(), Some("north crossing"));
}

#[test]
fn the_lakeside_log_as_json_lines_reads_the_same_observations_as_the_csv() {
    let loaded = lakeside();
    let read = |name: &str| {
        let path = data(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let log = read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap();
        assert!(log.warnings.is_empty(), "{:?}", log.warnings);
        log.observations
    };
    let (csv, jsonl) = (read("lakeside-events.csv"), read("lakeside-events.jsonl"));
    assert_eq!((csv.len(), jsonl.len()), (15, 15));
    // The same rows, at one line earlier (JSON Lines has no header line).
    for (c, j) in csv.iter().zip(&jsonl) {
        let line = |o: &truce_model::Observation| {
            o.origin.as_deref().and_then(|s| s.rsplit(':').next()).unwrap().parse::<u32>().unwrap()
        };
        assert_eq!(line(c), line(j) + 1);
        let mut c = c.clone();
        c.origin.clone_from(&j.origin);
        assert_eq!(&c, j);
    }
}

fn located(path: &str) -> Vec<String> {
    let loaded = lakeside();
    let path = data(path);
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap_err();
    errors
        .iter()
        .map(|d| {
            let p = d.position.unwrap();
            format!("{}:{}: {} {}", p.line, p.column, d.code, d.message)
        })
        .collect()
}

#[test]
fn every_bad_csv_row_is_reported_at_its_line_and_column() {
    assert_eq!(
        located("bad/bad-events.csv"),
        vec![
            "2:12: event-unknown-commitment the agreement has no commitment `hostage`",
            "3:1: event-before-agreement 2031-04-30 is before the agreement began on 2031-05-01",
            "4:21: event-quantity a quantity of -3",
            "5:21: event-quantity `ten` is not a number",
            "6:24: event-unit `hostages` is counted in `people`, not `trucks`",
            "7:38: event-unknown-source the case has no source `S9`",
            "8:31: event-unknown-party the case has no party `west`",
            "9:1: event-date `2031-05-32` is not a date: that day does not exist in that month",
            "10:1: event-missing-field the row has no `quantity`",
        ]
    );
}

#[test]
fn every_bad_json_line_is_reported_at_its_line_and_column() {
    assert_eq!(
        located("bad/bad-events.jsonl"),
        vec![
            "2:50: event-quantity a quantity of -1",
            "3:107: event-syntax this line is not an event: unknown field `colour`, expected one of `date`, `commitment`, `quantity`, `unit`, `actor`, `place`, `source`, `quote`, `note` at line 1 column 107",
            "4:84: event-unknown-source the case has no source `S7`",
            "5:2: event-syntax this line is not an event: expected ident at line 1 column 2",
        ]
    );
}

/// Found by hand beside the `events` fuzz target: two rows of `1e308` hostages each read, and the
/// monitor summed them to infinity ("inf of 20 due", `null` in the JSON). A quantity past
/// `MAX_QUANTITY` is now a located error, and the largest allowed sums to a finite total. `inf`,
/// `NaN` and `true` in a CSV quantity were a syntax error at column 1 ("did not match any variant
/// of untagged enum"); they are now the quantity error at the quantity.
#[test]
fn huge_quantities_that_summed_to_infinity_are_refused_where_they_are_written() {
    let loaded = lakeside();
    let (case, agreement) = (&loaded.case, &loaded.case.agreements[0]);
    let header = "date,commitment,quantity,unit,source\n";
    let text = format!(
        "{header}2031-05-02,hostages,1e308,people,S2\n2031-05-04,hostages,1E16,people,S2\n2031-05-04,hostages,inf,people,S3\n2031-05-04,hostages,NaN,people,S3\n2031-05-04,hostages,true,people,S3\n"
    );
    let errors = read_events(case, agreement, Path::new("huge.csv"), &text).unwrap_err();
    let located: Vec<String> = errors
        .iter()
        .map(|d| {
            let p = d.position.unwrap();
            format!("{}:{}: {} {}", p.line, p.column, d.code, d.message)
        })
        .collect();
    assert_eq!(
        located,
        vec![
            "2:21: event-quantity a quantity of 1e308, more than the most a row may report (1e15)",
            "3:21: event-quantity a quantity of 1e16, more than the most a row may report (1e15)",
            "4:21: event-quantity a quantity of inf, more than the most a row may report (1e15)",
            "5:21: event-quantity a quantity of NaN",
            "6:21: event-quantity `true` is not a number",
        ]
    );
    let json = r#"{"date": "2031-05-02", "commitment": "hostages", "quantity": 1e308, "unit": "people", "source": "S2"}"#;
    let errors = read_events(case, agreement, Path::new("huge.jsonl"), json).unwrap_err();
    assert_eq!(errors[0].code, "event-quantity");
    // The most a row may report reads, and many such rows add up to a finite total.
    let most = truce_formats::events::MAX_QUANTITY;
    let rows: String = (0..1000).map(|_| format!("2031-05-02,hostages,{most},people,S2\n")).collect();
    let log = read_events(case, agreement, Path::new("most.csv"), &format!("{header}{rows}")).unwrap();
    let total: f64 = log.observations.iter().map(|o| o.quantity).sum();
    assert!(total.is_finite() && total == most * 1000.0);
}

#[test]
fn a_source_contradicting_itself_is_kept_and_flagged_but_two_places_are_not_a_contradiction() {
    let loaded = lakeside();
    let path = data("bad/disputed-events.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let log = read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap();
    assert_eq!(log.observations.len(), 4, "nothing dropped");
    let warnings: Vec<String> = log
        .warnings
        .iter()
        .map(|d| format!("{}: {} {}", d.position.unwrap().line, d.code, d.message))
        .collect();
    assert_eq!(
        warnings,
        vec![
            "3: event-dispute S2 gives 9 `hostages` on 2031-05-02 here and 10 at disputed-events.csv:2: both kept, the commitment disputed that day"
        ]
    );
}

fn all_problems(path: &str) -> Vec<String> {
    let diagnostics = match truce_formats::load(&data(path)) {
        Ok(loaded) => {
            let mut all = loaded.warnings.clone();
            all.extend(loaded.validate());
            all
        }
        Err(failure) => failure.diagnostics,
    };
    let mut out: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            let p = d.position.unwrap();
            format!("{}:{}: {} {}", p.line, p.column, d.code, d.message)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn agreements_that_do_not_read_are_reported_where_they_are_written() {
    assert_eq!(
        all_problems("bad/agreements.toml"),
        vec![
            "39:13: unknown-rule no reconciliation rule `average`",
            "43:8: unknown-kind no kind of commitment `quota`",
            "45:1: commitment-shape a `rate` commitment needs `per_day`",
            "52:12: unknown-party no party has the id `west`",
            "53:9: unknown-phase no phase is called `phase_9`",
        ]
    );
}

#[test]
fn agreements_that_do_not_hold_are_reported_at_the_agreement_or_the_commitment() {
    let problems = all_problems("bad/agreement-checks.toml");
    let ours: Vec<&str> = problems
        .iter()
        .map(String::as_str)
        .filter(|p| !p.contains("missing-preferences") && !p.contains("too-few-negotiators"))
        .collect();
    assert_eq!(
        ours,
        vec![
            "37:1: agreement-start-imprecise `pause` began on 2031-05, not a day",
            "37:1: commitment-after-phase `hostages` falls due on day 6 of the agreement, after its phase ends on day 4",
            "42:1: commitment-underived `trucks` is no term of `pause` with a measurable provision, and says no `kind`",
            "45:1: commitment-shape commitment `rate`: a tolerance is a fraction of the rate, from 0 up to (not including) 1",
            "51:1: commitment-shape commitment `gate`: the gate names `nothing`, which is no commitment of the agreement",
            "56:1: duplicate-commitment commitment `gate` is declared twice",
        ]
    );
}

#[test]
fn records_written_as_json_lines_and_csv_read_back_as_the_same_observations() {
    use truce_formats::events::{EventRecord, write_csv, write_jsonl};
    let loaded = lakeside();
    let agreement = &loaded.case.agreements[0];
    let records = vec![
        EventRecord {
            date: "2031-05-02".into(),
            commitment: "hostages".into(),
            quantity: "10".into(),
            unit: "people".into(),
            actor: Some("south".into()),
            place: Some("crossing, north".into()),
            source: "S2".into(),
            quote: Some("ten \"hostages\" were\nhanded over".into()),
            note: None,
        },
        EventRecord {
            date: "2031-05".into(),
            commitment: "aid_trucks_per_day".into(),
            quantity: "2.5".into(),
            unit: "trucks".into(),
            source: "S3".into(),
            ..EventRecord::default()
        },
    ];
    let jsonl = read_events(&loaded.case, agreement, Path::new("log.jsonl"), &write_jsonl(&records)).unwrap();
    let csv = read_events(&loaded.case, agreement, Path::new("log.csv"), &write_csv(&records)).unwrap();
    let strip = |mut o: Vec<truce_model::Observation>| {
        for x in &mut o {
            x.origin = None;
        }
        o
    };
    assert_eq!(jsonl.observations.len(), 2);
    assert_eq!(strip(jsonl.observations), strip(csv.observations));
    let back: EventRecord = serde_json::from_str(&records[0].to_line()).unwrap();
    assert_eq!(back, records[0]);
}
