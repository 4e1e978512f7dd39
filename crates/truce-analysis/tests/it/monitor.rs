//! Monitoring the fictional Lakeside pause: every status and every reconciliation rule, with the
//! expected readings worked out by hand from `lakeside-events.csv` in each test; and a property:
//! an observation of one commitment never changes another's status (gates excepted: they read
//! the commitments they name).
//!
//! The log, by agreement day (day 1 = 2031-05-01; phase 1 is days 1-6, phase 2 days 7-16):
//! aid trucks (rate 100/day, tolerance 0.1, window 2): day 1 S2 120, S3 100; days 2-6 S2 90, 60, 80,
//! 100, 100.
//! hostages (30, batches of 10 on days 2, 4, 6): day 2 S2 10, S3 10; day 4 S2 10, S3 8; day 6 S2 0.
//! checkpoint (deadline day 3): day 3 S2 done. no_fire (hold): day 5 S2 0, S3 2 violations.
//! withdrawal (gate of phase 2): after hostages.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use truce_analysis::monitor::{MonitorOptions, Monitoring, Status, monitor};
use truce_model::{Case, Observation, PartialDate, Reconciliation};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../truce-formats/tests/data/monitor").join(path)
}

fn lakeside(log: &str) -> (Case, Vec<Observation>) {
    let loaded = truce_formats::load(&data("lakeside.toml")).unwrap();
    let path = data(log);
    let text = std::fs::read_to_string(&path).unwrap();
    let events =
        truce_formats::events::read_events(&loaded.case, &loaded.case.agreements[0], &path, &text).unwrap();
    (loaded.case, events.observations)
}

fn date(text: &str) -> PartialDate {
    text.parse().unwrap()
}

fn run(case: &Case, observations: &[Observation], at: &str) -> Monitoring {
    monitor(case, 0, observations, &MonitorOptions { at: Some(date(at)), source: None }).unwrap()
}

fn status(m: &Monitoring, id: &str) -> Status {
    m.commitments.iter().find(|c| c.commitment.id == id).unwrap().reading.status
}

fn daily(m: &Monitoring, id: &str) -> Vec<Status> {
    m.commitments.iter().find(|c| c.commitment.id == id).unwrap().daily.iter().map(|r| r.status).collect()
}

fn with_rule(mut case: Case, rule: Reconciliation) -> Case {
    case.agreements[0].reconcile = rule;
    case
}

#[test]
fn most_conservative_reads_the_smallest_delivery_and_the_most_violations() {
    use Status::*;
    let (case, log) = lakeside("lakeside-events.csv");
    let m = run(&case, &log, "2031-05-06");
    assert_eq!(m.at_day, 6);
    // Hostages: day 2 min(10, 10) = 10 against 10 due; day 4 min(10, 8) = 8, so 18 against 20; day 6
    // S2's 0: 18 of 30 when all were due, every stage reported.
    assert_eq!(daily(&m, "hostages"), vec![NotYetDue, OnTrack, OnTrack, Behind, Behind, Breached]);
    let hostages = &m.commitments[0];
    assert_eq!(hostages.reading.delivered, Some(18.0));
    assert_eq!(hostages.reading.score, Some(2), "18 of 30: at least half, not all");
    assert_eq!(hostages.sources_differ, vec![date("2031-05-04")], "10 and 8 kept side by side");
    // Aid: day 1 min(120, 100) = 100; day 2 90 (window avg 95 >= 90); day 3 60 (window 75); day 4 80
    // (window 70); day 5 100 (window 90); day 6 the phase is over: (100 + 90 + 60 + 80 + 100 + 100) / 6
    // = 88.3 < 90.
    assert_eq!(daily(&m, "aid_trucks_per_day"), vec![OnTrack, OnTrack, Behind, Behind, OnTrack, Breached]);
    // Checkpoint: done on day 3, its deadline.
    assert_eq!(daily(&m, "checkpoint"), vec![NotYetDue, NotYetDue, Met, Met, Met, Met]);
    // No fire: nothing reported on days 1-4; day 5 max(0, 2) = 2 violations.
    assert_eq!(daily(&m, "no_fire"), vec![Unknown, Unknown, Unknown, Unknown, Breached, Breached]);
    // The gate of phase 2 reads hostages, due on day 6: it follows them, and is breached on day 6.
    assert_eq!(daily(&m, "withdrawal"), vec![NotYetDue, OnTrack, OnTrack, Behind, Behind, Breached]);
    let by_source: Vec<(String, Status)> =
        m.commitments[0].by_source.iter().map(|(s, r)| (case.source(*s).id.clone(), r.status)).collect();
    // S2: 20 of 30, every stage reported; S3 says nothing of the third stage: unknown, not breached.
    assert_eq!(by_source, vec![("S2".into(), Breached), ("S3".into(), Unknown)]);
}

#[test]
fn one_view_per_source_disputes_what_the_sources_read_differently() {
    use Status::*;
    let (case, log) = lakeside("lakeside-events.csv");
    let case = with_rule(case, Reconciliation::PerSource);
    let m = run(&case, &log, "2031-05-06");
    // Aid: S2 (120 + 90 + 60 + 80 + 100 + 100) / 6 = 91.7 >= 90 on every day, met; S3 reports day 1
    // alone: unknown, which neither agrees nor disagrees.
    assert_eq!(status(&m, "aid_trucks_per_day"), Met);
    // No fire: S2 reports one quiet day of six (unknown), S3 two violations (breached).
    assert_eq!(status(&m, "no_fire"), Breached);
    // Hostages: S2 20 of 30 (breached); S3 silent on the third stage (unknown).
    assert_eq!(status(&m, "hostages"), Breached);
    // Day 4: S2 has 20 of 20 (on track), S3 18 (behind).
    assert_eq!(daily(&m, "hostages")[3], Disputed);
}

#[test]
fn an_order_of_trust_reads_the_most_trusted_source_reporting_each_day() {
    use Status::*;
    let (case, log) = lakeside("lakeside-events.csv");
    let s2 = case.source_id("S2").unwrap();
    let s3 = case.source_id("S3").unwrap();
    let trusting_s2 = with_rule(case.clone(), Reconciliation::Trust { order: vec![s2, s3] });
    let m = run(&trusting_s2, &log, "2031-05-06");
    // Aid: S2 on every day: 91.7, met. No fire: S2's one quiet day of six: unknown, not met.
    // Hostages: 20 of 30.
    assert_eq!(status(&m, "aid_trucks_per_day"), Met);
    assert_eq!(status(&m, "no_fire"), Unknown);
    assert_eq!(m.commitments[0].reading.delivered, Some(20.0));
    let trusting_s3 = with_rule(case, Reconciliation::Trust { order: vec![s3, s2] });
    let m = run(&trusting_s3, &log, "2031-05-06");
    // Aid: S3's 100 on day 1, S2's on days 2-6 (S3 silent): (100 + 90 + 60 + 80 + 100 + 100) / 6 =
    // 88.3, breached.
    assert_eq!(status(&m, "aid_trucks_per_day"), Breached);
    assert_eq!(status(&m, "no_fire"), Breached);
    assert_eq!(m.commitments[0].reading.delivered, Some(18.0));
}

#[test]
fn a_source_contradicting_itself_disputes_the_day_when_its_two_figures_read_differently() {
    use Status::*;
    let (case, log) = lakeside("bad/disputed-events.csv");
    let m = run(&case, &log, "2031-05-02");
    // S2 gives 10 and 9 hostages on day 2, when 10 are due: on track at one end, behind at the other.
    assert_eq!(status(&m, "hostages"), Disputed);
    // Two crossings are not a contradiction: 50 + 40 = 90 trucks on day 2, the window's only day.
    assert_eq!(status(&m, "aid_trucks_per_day"), OnTrack);
    assert_eq!(m.commitments[3].reading.delivered, Some(90.0));
}

#[test]
fn the_pace_so_far_projects_the_total_and_the_coming_days_are_listed() {
    let (case, log) = lakeside("lakeside-events.csv");
    let m = run(&case, &log, "2031-05-05");
    // 18 hostages delivered of the 20 due by day 5: at that share, 27 of 30 by day 6, short.
    let p = m.commitments[0].reading.projection.unwrap();
    assert_eq!((p.due_day, p.required, p.will_meet), (6, 30.0, false));
    assert!((p.projected - 27.0).abs() < 1e-9);
    let upcoming: Vec<(i64, String)> = m.upcoming.iter().map(|u| (u.day, u.what.clone())).collect();
    assert_eq!(
        upcoming,
        vec![
            (6, "10 people of `hostages` (batch of day 6 of the phase)".to_owned()),
            (6, "gate `withdrawal`: hostages met".to_owned()),
            (7, "a phase begins".to_owned()),
        ]
    );
}

#[test]
fn each_party_is_read_on_what_it_owes() {
    let (case, log) = lakeside("lakeside-events.csv");
    let m = run(&case, &log, "2031-05-06");
    let share = |id: &str| {
        let p = case.party_id(id).unwrap();
        m.parties.iter().find(|(x, _)| *x == p).unwrap().1.last().unwrap().share
    };
    // South owes the hostages (breached); North the checkpoint (met), the aid (breached) and no fire
    // (breached), with South.
    assert_eq!(share("south"), Some(0.0));
    assert_eq!(share("north"), Some(1.0 / 3.0));
}

#[test]
fn one_source_alone_and_a_date_before_the_start() {
    let (case, log) = lakeside("lakeside-events.csv");
    let s3 = case.source_id("S3").unwrap();
    let m =
        monitor(&case, 0, &log, &MonitorOptions { at: Some(date("2031-05-06")), source: Some(s3) }).unwrap();
    assert_eq!(m.sources, vec![s3]);
    assert_eq!(status(&m, "checkpoint"), Status::Unknown, "S3 never reports the checkpoint");
    assert_eq!(status(&m, "aid_trucks_per_day"), Status::Unknown, "S3 reports day 1 of 6");
    let early = monitor(&case, 0, &log, &MonitorOptions { at: Some(date("2031-04-30")), source: None });
    assert!(early.is_err());
    // Without a date: the last date of the log.
    let m = monitor(&case, 0, &log, &MonitorOptions::default()).unwrap();
    assert_eq!(m.at, date("2031-05-06"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Adding an observation of one commitment leaves every other commitment's daily statuses as
    /// they were, except the gates that name it.
    #[test]
    fn an_observation_changes_only_what_it_concerns(
        which in 0usize..4,
        day in 1u8..=9,
        quantity in 0u32..200,
        source in 0usize..3,
        rule in 0usize..3,
    ) {
        let (case, log) = lakeside("lakeside-events.csv");
        let order = vec![case.source_id("S3").unwrap(), case.source_id("S2").unwrap()];
        let rule = [Reconciliation::MostConservative, Reconciliation::PerSource, Reconciliation::Trust { order }][rule].clone();
        let case = with_rule(case, rule);
        let ids = ["hostages", "checkpoint", "aid_trucks_per_day", "no_fire"];
        let units = ["people", "done", "trucks", "violations"];
        let before = run(&case, &log, "2031-05-09");
        let mut more = log.clone();
        more.push(Observation {
            date: date(&format!("2031-05-{day:02}")),
            commitment: ids[which].into(),
            quantity: f64::from(quantity),
            unit: units[which].into(),
            actor: None,
            place: None,
            source: truce_model::SourceId::from_index(source),
            quote: None,
            note: None,
            origin: None,
        });
        let after = run(&case, &more, "2031-05-09");
        for (b, a) in before.commitments.iter().zip(&after.commitments) {
            let concerned = b.commitment.id == ids[which]
                || matches!(&b.commitment.kind, truce_model::CommitmentKind::Gate { after } if after.iter().any(|x| x == ids[which]));
            if !concerned {
                let (b, a): (Vec<Status>, Vec<Status>) = (b.daily.iter().map(|r| r.status).collect(), a.daily.iter().map(|r| r.status).collect());
                prop_assert_eq!(b, a, "{} changed", ids[which]);
            }
        }
    }
}
