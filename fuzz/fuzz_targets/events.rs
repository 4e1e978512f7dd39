//! Event logs (`truce monitor --events`), read against the fictional Lakeside pause (a signed,
//! phased, extended agreement with a total on a schedule, a rate, a deadline and a state to hold):
//! any text, read both as CSV and as JSON Lines, gives observations or located diagnostics without
//! panicking, and what reads is followed by the monitor to the last reported day without a panic and
//! with every number it reports finite.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_analysis::monitor::{MonitorOptions, Monitoring, Reading, monitor};
use truce_formats::events::read_events;
use truce_formats::{Severity, parse_case};
use truce_model::Case;

static CASE: LazyLock<Case> = LazyLock::new(|| {
    let text = include_str!("../../crates/truce-formats/tests/data/monitor/lakeside.toml");
    let loaded = parse_case(text, Path::new("lakeside.toml")).expect("the fixture case reads");
    let errors = loaded.validate().into_iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 0, "the fixture case is valid");
    loaded.case
});

fuzz_target!(|text: &str| {
    let case = &*CASE;
    let agreement = &case.agreements[0];
    for file in ["fuzz.csv", "fuzz.jsonl"] {
        let Ok(log) = read_events(case, agreement, Path::new(file), text) else { continue };
        for o in &log.observations {
            assert!(o.quantity.is_finite() && o.quantity >= 0.0, "a quantity read is finite and at least 0");
        }
        if let Ok(m) = monitor(case, 0, &log.observations, &MonitorOptions::default()) {
            finite(&m);
        }
    }
});

/// Asserts that every number the monitoring reports is finite.
fn finite(m: &Monitoring) {
    let reading = |r: &Reading| {
        let numbers =
            [r.delivered, r.expected, r.projection.map(|p| p.projected), r.projection.map(|p| p.required)];
        assert!(numbers.iter().flatten().all(|x| x.is_finite()), "a reading is finite: {r:?}");
    };
    for c in &m.commitments {
        reading(&c.reading);
        c.by_source.iter().for_each(|(_, r)| reading(r));
        c.daily.iter().for_each(reading);
        assert!(c.reported.iter().all(|(_, q)| q.is_finite()), "a reported quantity is finite");
    }
    for (_, days) in &m.parties {
        assert!(
            days.iter().filter_map(|c| c.share).all(|s| (0.0..=1.0).contains(&s)),
            "a share is in [0, 1]"
        );
    }
}
