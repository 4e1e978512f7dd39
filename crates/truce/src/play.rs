//! The warnings of an analysis at the state of play from events (`truce analyze --at DATE --events`):
//! each record of the case dated the date whose figure the events contradict, at the record in its
//! file. (Its own file: `docs/checks.md`'s test reads the codes emitted here.)

use truce_analysis::Findings;
use truce_analysis::monitor::Figure;
use truce_formats::Diagnostic;
use truce_model::{Location, Problem, Severity};

use crate::Valid;

/// The warnings an analysis at the state of play from events leaves (none without events): each
/// record of the case dated the analysis date whose figure differs from the events', at the record
/// in its file, naming both figures and their sources.
#[must_use]
pub fn play_warnings(valid: &Valid, findings: &Findings) -> Vec<Diagnostic> {
    let Some(play) = &findings.play else { return Vec::new() };
    let case = valid.case();
    let sources = |basis: &truce_model::Basis| {
        let mut ids: Vec<&str> = Vec::new();
        for c in basis.citations() {
            let id = case.source(c.source).id.as_str();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() { "cited to no source".to_owned() } else { format!("per {}", ids.join(", ")) }
    };
    // Each source's account of the count, as the events give it.
    let accounts = |issue: truce_model::IssueId| {
        let list: Vec<String> = play
            .counts
            .iter()
            .filter(|c| c.issue == issue)
            .flat_map(|c| &c.by_source)
            .filter_map(|(s, d)| d.map(|d| format!("{} {d}", case.source(*s).id)))
            .collect();
        list.join(", ")
    };
    play.disagreements
        .iter()
        .map(|d| {
            let basis = case.state_of_play.get(d.record).map(|r| &r.basis);
            let issue = &case.space().issue(d.issue).name;
            let (what, how) = match d.figure {
                Figure::Delivered => ("delivered", String::new()),
                Figure::Held => {
                    let from = play.counts.iter().find(|c| c.issue == d.issue).and_then(|c| {
                        c.from.map(|f| {
                            let delivered = c.delivered.unwrap_or(0) - f.delivered_then;
                            format!(" ({} held on {}, less {delivered} delivered since)", f.held, f.date)
                        })
                    });
                    ("still held", from.unwrap_or_default())
                }
            };
            let problem = Problem {
                severity: Severity::Warning,
                code: "events-disagree-with-state-of-play",
                location: Location::StateOfPlay { index: d.record },
                message: format!(
                    "the state of play on {} says {} of `{issue}` {what} ({}); the events up to {} give {}{how} \
                     (under `{}`; sources: {}): the analysis reads the events' figure",
                    d.date,
                    d.case,
                    basis.map_or_else(|| "cited to no source".to_owned(), sources),
                    play.at,
                    d.events,
                    play.rule.as_str(),
                    accounts(d.issue)
                ),
                hint: Some(
                    "check the record against the event log (`truce monitor`), or analyse without --events \
                     to read the record"
                        .into(),
                ),
            };
            valid.loaded.source_map.diagnostic(&problem)
        })
        .collect()
}
