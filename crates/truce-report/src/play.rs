//! The state of play an analysis read from a signed agreement's event logs
//! (`truce analyze --at DATE --events FILE...`), in the words every view prints: the text report,
//! the HTML page and the JSON's `state_of_play.summary`.

use truce_analysis::monitor::{Figure, PlayCount, PlayFromEvents};
use truce_model::Case;

/// The sentences of the state of play from events.
pub(crate) struct PlayText {
    /// Where the figures come from: the date, the agreement, the rule, the sources.
    pub title: String,
    /// One line per count.
    pub counts: Vec<String>,
    /// What the reader must check: proposals asking for more than is left, records that disagree.
    pub warnings: Vec<String>,
}

fn figure(x: f64) -> String {
    crate::fmt::approx(x)
}

fn count_line(case: &Case, c: &PlayCount) -> String {
    let issue = &case.space().issue(c.issue).name;
    let mut parts = Vec::new();
    parts.push(match c.delivered {
        Some(d) => format!("{d} delivered of {} agreed", figure(c.agreed)),
        None => format!("delivered unknown of {} agreed", figure(c.agreed)),
    });
    if c.by_source.len() > 1 && !c.sources_differ.is_empty() {
        let accounts: Vec<String> = c
            .by_source
            .iter()
            .map(|(s, d)| {
                let id = &case.source(*s).id;
                d.map_or_else(|| format!("{id} nothing"), |d| format!("{id} {}", figure(d)))
            })
            .collect();
        parts.push(format!("by source: {}", accounts.join(", ")));
    }
    if !c.sources_differ.is_empty() {
        let days: Vec<String> = c.sources_differ.iter().map(ToString::to_string).collect();
        parts.push(format!("sources differ on {}", days.join(", ")));
    }
    let mut line = format!("{issue}: {}", parts.join("; "));
    match (c.held, c.from) {
        (Some(held), Some(from)) => {
            line.push_str(&format!(
                ". Still held: {held} ({} held on {}, less {} delivered since)",
                from.held,
                from.date,
                c.delivered.unwrap_or(0) - from.delivered_then
            ));
        }
        _ => line.push_str(". Still held: not derived"),
    }
    if let Some(note) = &c.note {
        line.push_str(&format!(" ({note})"));
    }
    line
}

impl PlayText {
    pub(crate) fn new(case: &Case, play: &PlayFromEvents) -> Self {
        let agreement = &case.agreements[play.agreement];
        let id = case.proposals.get(agreement.proposal.index()).map_or("?", |p| p.id.as_str());
        let sources: Vec<&str> = play.sources.iter().map(|s| case.source(*s).id.as_str()).collect();
        let title = format!(
            "State of play from the events up to {} (day {} of `{id}`, which began {}; sources reconciled: {}; \
             sources read: {}). The zone, solutions and bridging read these counts, and so does every \
             proposal dated {} or later.",
            play.at,
            play.at_day,
            agreement.began,
            play.rule.as_str(),
            if sources.is_empty() { "none".to_owned() } else { sources.join(", ") },
            play.at
        );
        let counts = if play.counts.is_empty() {
            vec![
                "The agreement commits to no total of an integer issue: the events change no count."
                    .to_owned(),
            ]
        } else {
            play.counts.iter().map(|c| count_line(case, c)).collect()
        };
        let mut warnings = Vec::new();
        for t in &play.too_much {
            warnings.push(format!(
                "`{}` asks for {} of `{}`, but the events leave {} held on its date.",
                case.proposal(t.proposal).id,
                t.asked,
                case.space().issue(t.issue).name,
                t.held
            ));
        }
        for d in &play.disagreements {
            let what = match d.figure {
                Figure::Delivered => "delivered",
                Figure::Held => "still held",
            };
            warnings.push(format!(
                "The case's state of play on {} says {} of `{}` {what}; the events give {}: the analysis reads \
                 the events' figure.",
                d.date,
                d.case,
                case.space().issue(d.issue).name,
                d.events
            ));
        }
        Self { title, counts, warnings }
    }
}
