//! The state of play at a date from the Lakeside pause's events (`PlayFromEvents`), with every
//! expected figure worked out by hand from `lakeside.toml` and `lakeside-events.csv`:
//! 40 hostages held on 2031-04-30, the day before the pause began; releases reported on day 2
//! (S2 10, S3 10) and day 4 (S2 10, S3 8), and S2's 0 on day 6. By 2031-05-05 (day 5) the most
//! conservative account is 10 + 8 = 18 delivered, S2's 20; 40 less what was delivered is held.

use std::path::{Path, PathBuf};

use truce_analysis::monitor::{Figure, MonitorOptions, Monitoring, PlayFromEvents, monitor};
use truce_model::{Case, Count, Observation, PartialDate, Reconciliation, StateOfPlay};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../truce-formats/tests/data/monitor").join(path)
}

fn lakeside() -> (Case, Vec<Observation>) {
    let loaded = truce_formats::load(&data("lakeside.toml")).unwrap();
    let path = data("lakeside-events.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let events =
        truce_formats::events::read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap();
    (loaded.case, events.observations)
}

fn date(text: &str) -> PartialDate {
    text.parse().unwrap()
}

fn run(case: &Case, log: &[Observation], at: &str) -> (Monitoring, PlayFromEvents) {
    let m = monitor(case, 0, log, &MonitorOptions { at: Some(date(at)), source: None }).unwrap();
    let play = PlayFromEvents::derive(case, &m);
    (m, play)
}

fn hostages(case: &Case) -> truce_model::IssueId {
    case.space().issue_id("hostages").unwrap()
}

fn record(case: &Case, at: &str, delivered: Option<i64>, held: Option<i64>) -> StateOfPlay {
    let issue = hostages(case);
    StateOfPlay {
        date: date(at),
        agreement: case
            .proposals
            .iter()
            .position(|p| p.id == "lakeside-pause")
            .map(truce_model::ProposalId::from_index),
        delivered: delivered.map(|count| Count { issue, count }).into_iter().collect(),
        held: held.map(|count| Count { issue, count }).into_iter().collect(),
        basis: truce_model::Basis::Unsourced,
        notes: None,
    }
}

#[test]
fn the_most_conservative_account_leaves_40_less_18_held() {
    let (case, log) = lakeside();
    let (_, play) = run(&case, &log, "2031-05-05");
    assert_eq!((play.at, play.at_day), (date("2031-05-05"), 5));
    // One integer issue with a total: the hostages (aid is a rate, the checkpoint a deadline).
    let [count] = play.counts.as_slice() else { panic!("{:?}", play.counts) };
    assert_eq!(count.issue, hostages(&case));
    assert_eq!(count.agreed, 30.0);
    assert_eq!(count.delivered, Some(18), "day 2 min(10, 10) + day 4 min(10, 8)");
    let accounts: Vec<(String, Option<f64>)> =
        count.by_source.iter().map(|(s, d)| (case.source(*s).id.clone(), *d)).collect();
    assert_eq!(accounts, [("S2".into(), Some(20.0)), ("S3".into(), Some(18.0))]);
    assert_eq!(count.sources_differ, [date("2031-05-04")]);
    let from = count.from.unwrap();
    assert_eq!((from.held, from.delivered_then), (40, 0), "the record is from before day 1");
    assert_eq!(case.state_of_play[from.record].date, date("2031-04-30"));
    assert_eq!(count.held, Some(40 - 18));
    assert_eq!(count.note, None);
    // The record the analysis reads, dated the date, under the agreement.
    assert_eq!(play.record.date, date("2031-05-05"));
    assert_eq!(play.record.delivered, [Count { issue: hostages(&case), count: 18 }]);
    assert_eq!(play.record.held, [Count { issue: hostages(&case), count: 22 }]);
    // The extension of 2031-05-05 asks for 25: more than the 22 left. The next phase (2031-05-06)
    // leaves the releases open and asks for nothing.
    assert_eq!(play.too_much.len(), 1);
    let t = play.too_much[0];
    assert_eq!((case.proposal(t.proposal).id.as_str(), t.asked, t.held), ("lakeside-extension", 25, 22));
    assert!(play.disagreements.is_empty(), "the case has no record dated 2031-05-05");
    // Applied, the case holds 22 from the date on, and still 40 the day before.
    let with = play.apply(&case);
    assert_eq!(with.held_at(hostages(&case), Some(date("2031-05-05"))), Some(22));
    assert_eq!(with.held_at(hostages(&case), Some(date("2031-05-04"))), Some(40));
}

#[test]
fn each_rule_gives_its_own_figure_and_one_view_per_source_gives_none_where_they_differ() {
    let (case, log) = lakeside();
    let s2 = case.source_id("S2").unwrap();
    let s3 = case.source_id("S3").unwrap();
    let mut trusting = case.clone();
    trusting.agreements[0].reconcile = Reconciliation::Trust { order: vec![s2, s3] };
    let (_, play) = run(&trusting, &log, "2031-05-05");
    // S2 reports both days: 10 + 10 = 20 delivered, 40 - 20 = 20 held; 25 is still too much.
    assert_eq!((play.counts[0].delivered, play.counts[0].held), (Some(20), Some(20)));
    assert_eq!(play.too_much[0].held, 20);
    let mut per_source = case.clone();
    per_source.agreements[0].reconcile = Reconciliation::PerSource;
    let (_, play) = run(&per_source, &log, "2031-05-05");
    // S2 20, S3 18: no single figure, so nothing is derived and the case's 40 still bounds.
    assert_eq!((play.counts[0].delivered, play.counts[0].held), (None, None));
    assert!(play.counts[0].note.as_deref().unwrap().contains("S2 20, S3 18"), "{:?}", play.counts[0].note);
    assert!(play.record.held.is_empty() && play.too_much.is_empty());
    // On day 3 they agree (10 each by day 2): 10 delivered, 30 held.
    let (_, play) = run(&per_source, &log, "2031-05-03");
    assert_eq!((play.counts[0].delivered, play.counts[0].held), (Some(10), Some(30)));
}

#[test]
fn a_count_held_during_the_agreement_is_less_what_was_delivered_since() {
    let (mut case, log) = lakeside();
    // 2031-05-03 (day 3): 31 held, by then 10 delivered (day 2). By day 5, 18: 8 more, so 23 held.
    case.state_of_play.push(record(&case, "2031-05-03", None, Some(31)));
    let (_, play) = run(&case, &log, "2031-05-05");
    let from = play.counts[0].from.unwrap();
    assert_eq!((from.held, from.delivered_then), (31, 10));
    assert_eq!(play.counts[0].held, Some(31 - (18 - 10)));
}

#[test]
fn a_record_of_the_same_date_that_disagrees_is_named_with_both_figures() {
    let (mut case, log) = lakeside();
    // The case says 20 delivered and 20 held on 2031-05-04 (S2's count); the most conservative
    // account gives 18 delivered by day 4, so 22 held.
    case.state_of_play.push(record(&case, "2031-05-04", Some(20), Some(20)));
    let (_, play) = run(&case, &log, "2031-05-04");
    let found: Vec<(Figure, i64, i64)> =
        play.disagreements.iter().map(|d| (d.figure, d.case, d.events)).collect();
    assert_eq!(found, [(Figure::Delivered, 20, 18), (Figure::Held, 20, 22)]);
    assert!(play.disagreements.iter().all(|d| d.record == 1));
    // The events' figure is the one read on that date (the case's record is kept, and named).
    assert_eq!(play.apply(&case).held_at(hostages(&case), Some(date("2031-05-04"))), Some(22));
    // A record that agrees is not named.
    let (mut agreeing, _) = lakeside();
    agreeing.state_of_play.push(record(&agreeing, "2031-05-04", Some(18), Some(22)));
    assert!(run(&agreeing, &log, "2031-05-04").1.disagreements.is_empty());
}

#[test]
fn without_a_count_held_before_the_date_only_deliveries_are_derived() {
    let (mut case, log) = lakeside();
    case.state_of_play.clear();
    let (_, play) = run(&case, &log, "2031-05-05");
    assert_eq!((play.counts[0].delivered, play.counts[0].held), (Some(18), None));
    assert!(play.counts[0].note.as_deref().unwrap().contains("no count of `hostages` held before"));
    assert!(play.record.held.is_empty() && play.too_much.is_empty());
    // Before anything is reported: nothing delivered is known.
    let (_, play) = run(&case, &log, "2031-05-01");
    assert_eq!(play.counts[0].delivered, None);
}
