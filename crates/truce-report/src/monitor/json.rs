//! The JSON form of a monitoring: schema [`SCHEMA`], documented in `docs/monitoring.md`.
//! Commitments, parties, sources and phases are named by their ids; dates as the case writes them;
//! statuses as `not_yet_due`, `on_track`, `behind`, `met`, `breached`, `disputed`, `unknown`.

use std::collections::BTreeMap;

use serde::Serialize;
use truce_analysis::monitor::{Monitoring, Reading};
use truce_model::{Case, CommitmentKind, Reconciliation};

use super::{agreement, agreement_id, date_of};

/// The schema identifier every monitoring JSON document starts with.
pub const SCHEMA: &str = "truce-monitor/1";

/// A monitoring as JSON.
#[derive(Debug, Serialize)]
pub struct MonitorJson {
    schema: &'static str,
    truce_version: &'static str,
    case: String,
    agreement: AgreementJson,
    at: String,
    at_day: i64,
    rule: RuleJson,
    only_source: Option<String>,
    sources: Vec<String>,
    phases: Vec<PhaseJson>,
    commitments: Vec<CommitmentJson>,
    parties: Vec<PartyJson>,
    upcoming: Vec<UpcomingJson>,
}

#[derive(Debug, Serialize)]
struct AgreementJson {
    proposal: String,
    began: String,
    days: Option<u32>,
    extensions: Vec<ExtensionJson>,
}

#[derive(Debug, Serialize)]
struct ExtensionJson {
    agreed: Option<String>,
    phase: Option<String>,
    days: u32,
}

#[derive(Debug, Serialize)]
struct RuleJson {
    rule: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    order: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PhaseJson {
    phase: Option<String>,
    start_day: u32,
    start: Option<String>,
    end: Option<String>,
    gates: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ReadingJson {
    status: &'static str,
    score: Option<u8>,
    delivered: Option<f64>,
    expected: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    projection: Option<ProjectionJson>,
}

#[derive(Debug, Serialize)]
struct ProjectionJson {
    due_day: i64,
    due: Option<String>,
    projected: f64,
    required: f64,
    will_meet: bool,
}

#[derive(Debug, Serialize)]
struct SourceReadingJson {
    source: String,
    #[serde(flatten)]
    reading: ReadingJson,
}

#[derive(Debug, Serialize)]
struct DayJson {
    day: i64,
    date: Option<String>,
    #[serde(flatten)]
    reading: ReadingJson,
}

#[derive(Debug, Serialize)]
struct CommitmentJson {
    id: String,
    kind: &'static str,
    unit: String,
    owed_by: Vec<String>,
    phase: Option<String>,
    declared: bool,
    commitment: CommitmentKind,
    due_day: Option<u32>,
    due: Option<String>,
    #[serde(flatten)]
    reading: ReadingJson,
    by_source: Vec<SourceReadingJson>,
    sources_differ: Vec<String>,
    observations: usize,
    daily: Vec<DayJson>,
}

#[derive(Debug, Serialize)]
struct PartyJson {
    party: String,
    daily: Vec<ComplianceJson>,
}

#[derive(Debug, Serialize)]
struct ComplianceJson {
    day: i64,
    date: Option<String>,
    share: Option<f64>,
    counts: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Serialize)]
struct UpcomingJson {
    day: i64,
    date: Option<String>,
    commitment: Option<String>,
    what: String,
}

fn reading(case: &Case, m: &Monitoring, r: &Reading) -> ReadingJson {
    ReadingJson {
        status: r.status.as_str(),
        score: r.score,
        delivered: r.delivered,
        expected: r.expected,
        projection: r.projection.map(|p| ProjectionJson {
            due_day: p.due_day,
            due: date_of(case, m, p.due_day).map(|d| d.to_string()),
            projected: p.projected,
            required: p.required,
            will_meet: p.will_meet,
        }),
    }
}

/// The JSON document of a monitoring of `case`.
#[must_use]
pub fn monitoring(case: &Case, m: &Monitoring) -> MonitorJson {
    let source =
        |s: truce_model::SourceId| case.sources.get(s.index()).map_or_else(String::new, |s| s.id.clone());
    let party =
        |p: truce_model::PartyId| case.parties.get(p.index()).map_or_else(String::new, |p| p.id.clone());
    let phase = |p: Option<truce_model::PhaseId>| {
        p.and_then(|p| case.domain.phases().get(p.index())).map(|p| p.name.clone())
    };
    let signed = agreement(case, m);
    let date = |day: i64| date_of(case, m, day).map(|d| d.to_string());
    MonitorJson {
        schema: SCHEMA,
        truce_version: env!("CARGO_PKG_VERSION"),
        case: case.id.clone(),
        agreement: AgreementJson {
            proposal: agreement_id(case, m),
            began: signed.map_or_else(String::new, |a| a.began.to_string()),
            days: signed.and_then(|a| a.days),
            extensions: signed
                .map(|a| {
                    a.extensions
                        .iter()
                        .map(|e| ExtensionJson {
                            agreed: e.agreed.map(|d| d.to_string()),
                            phase: phase(e.phase),
                            days: e.days,
                        })
                        .collect()
                })
                .unwrap_or_default(),
        },
        at: m.at.to_string(),
        at_day: m.at_day,
        rule: RuleJson {
            rule: m.rule.as_str(),
            order: match &m.rule {
                Reconciliation::Trust { order } => order.iter().map(|s| source(*s)).collect(),
                _ => Vec::new(),
            },
        },
        only_source: m.only_source.map(source),
        sources: m.sources.iter().map(|s| source(*s)).collect(),
        phases: m
            .phases
            .iter()
            .map(|p| PhaseJson {
                phase: phase(p.phase),
                start_day: p.start_day,
                start: p.start.map(|d| d.to_string()),
                end: p.end.map(|d| d.to_string()),
                gates: p.gates.iter().map(|&k| m.commitments[k].commitment.id.clone()).collect(),
            })
            .collect(),
        commitments: m
            .commitments
            .iter()
            .map(|c| CommitmentJson {
                id: c.commitment.id.clone(),
                kind: c.commitment.kind.as_str(),
                unit: c.commitment.unit.clone(),
                owed_by: c.commitment.owed_by.iter().map(|p| party(*p)).collect(),
                phase: phase(c.commitment.phase),
                declared: c.commitment.declared,
                commitment: c.commitment.kind.clone(),
                due_day: c.commitment.due_day(),
                due: c.commitment.due_day().and_then(|d| date(i64::from(d))),
                reading: reading(case, m, &c.reading),
                by_source: c
                    .by_source
                    .iter()
                    .map(|(s, r)| SourceReadingJson { source: source(*s), reading: reading(case, m, r) })
                    .collect(),
                sources_differ: c.sources_differ.iter().map(ToString::to_string).collect(),
                observations: c.observations,
                daily: c
                    .daily
                    .iter()
                    .zip(1..)
                    .map(|(r, day)| DayJson { day, date: date(day), reading: reading(case, m, r) })
                    .collect(),
            })
            .collect(),
        parties: m
            .parties
            .iter()
            .map(|(p, days)| PartyJson {
                party: party(*p),
                daily: days
                    .iter()
                    .zip(1..)
                    .map(|(c, day)| ComplianceJson {
                        day,
                        date: date(day),
                        share: c.share,
                        counts: c.counts.iter().map(|(s, n)| (s.as_str(), *n)).collect(),
                    })
                    .collect(),
            })
            .collect(),
        upcoming: m
            .upcoming
            .iter()
            .map(|u| UpcomingJson {
                day: u.day,
                date: u.date.map(|d| d.to_string()),
                commitment: u.commitment.map(|k| m.commitments[k].commitment.id.clone()),
                what: u.what.clone(),
            })
            .collect(),
    }
}

/// The JSON document as pretty-printed text.
#[must_use]
pub fn to_string(case: &Case, m: &Monitoring) -> String {
    serde_json::to_string_pretty(&monitoring(case, m)).unwrap_or_default()
}
