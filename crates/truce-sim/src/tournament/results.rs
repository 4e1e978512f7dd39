//! Tournament result files: versioned JSON (the complete record, what `merge` reads) and long-format
//! CSV (one row per negotiation and party, for spreadsheets and data frames).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Match, Shard, Tournament};
use crate::{Failure, NegotiationResult, Outcome, Scenario, SimError, Status};

/// The result files' format name.
pub const FORMAT: &str = "truce-tournament-results";
/// The result files' format version; `merge` refuses any other.
pub const FORMAT_VERSION: u32 = 1;

/// A tournament's results, or a shard's, or a merge of shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The Truce version that wrote the file; `merge` requires its own.
    pub truce_version: String,
    /// What tournament this is.
    pub tournament: TournamentInfo,
    /// The shards these results cover, sorted.
    pub shards: Vec<Shard>,
    /// Whether every negotiation of the tournament is here.
    pub complete: bool,
    /// The negotiations, by index.
    pub negotiations: Vec<NegotiationRecord>,
}

/// What defines a tournament: files merge only when this is the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TournamentInfo {
    /// The agents' labels.
    pub agents: Vec<String>,
    /// The scenarios.
    pub scenarios: Vec<ScenarioInfo>,
    /// The protocol's name.
    pub protocol: String,
    /// The deadline in rounds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u32>,
    /// The deadline in seconds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
    /// Repetitions.
    pub reps: u32,
    /// The seed.
    pub seed: u64,
    /// Negotiations in the whole tournament.
    pub total: u64,
}

/// A scenario in a result file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// Its name.
    pub name: String,
    /// Its parties' ids, by seat.
    pub parties: Vec<String>,
}

/// One negotiation's result in a tournament.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NegotiationRecord {
    /// Its number in the tournament.
    pub index: u64,
    /// The scenario's name.
    pub scenario: String,
    /// The repetition.
    pub rep: u32,
    /// The seat that moved first.
    pub first: usize,
    /// The agent in each seat.
    pub agents: Vec<String>,
    /// How it ended.
    pub status: Status,
    /// The agreement, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Outcome>,
    /// Each seat's payoff (discounted utility, or reservation value without agreement).
    pub utilities: Vec<f64>,
    /// The sum of the payoffs.
    pub welfare: f64,
    /// Rounds begun.
    pub rounds: u32,
    /// Normalised time at the end.
    pub time: f64,
    /// What went wrong, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// Euclidean distance in utility space from the outcome (the reservation values without agreement)
    /// to the Nash point; present when a [`Reference`] was given for the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nash_distance: Option<f64>,
    /// Euclidean distance from the outcome to the nearest point of the Pareto frontier; present when a
    /// [`Reference`] was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pareto_distance: Option<f64>,
}

/// A scenario's exact reference points, computed once by an analysis engine, against which each
/// negotiation's outcome is measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The Nash point's utilities, by seat.
    pub nash: Vec<f64>,
    /// The Pareto frontier's utility vectors, by seat.
    pub frontier: Vec<Vec<f64>>,
}

impl NegotiationRecord {
    pub(crate) fn new(t: &Tournament, m: &Match, r: &NegotiationResult) -> Self {
        Self {
            index: m.index,
            scenario: t.scenarios[m.scenario].name().to_string(),
            rep: m.rep,
            first: m.first,
            agents: m.agents.iter().map(|&a| t.agents[a].label()).collect(),
            status: r.status,
            agreement: r.agreement.clone(),
            // A tournament's negotiations are between agents, which hold every seat's preferences.
            welfare: r.utilities.iter().flatten().sum(),
            utilities: r.utilities.iter().map(|u| u.unwrap_or_default()).collect(),
            rounds: r.rounds,
            time: r.time,
            failure: r.failure.clone(),
            nash_distance: None,
            pareto_distance: None,
        }
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

impl ResultsFile {
    pub(crate) fn new(t: &Tournament, shard: Shard) -> Self {
        Self {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            truce_version: crate::TRUCE_VERSION.into(),
            tournament: TournamentInfo {
                agents: t.agents.iter().map(|a| a.label()).collect(),
                scenarios: t
                    .scenarios
                    .iter()
                    .map(|s| ScenarioInfo {
                        name: s.name().to_string(),
                        parties: s.seats().iter().map(|p| p.id.clone()).collect(),
                    })
                    .collect(),
                protocol: t.protocol.name().into(),
                rounds: t.deadline.rounds,
                seconds: t.deadline.time.map(|d| d.as_secs_f64()),
                reps: t.reps,
                seed: t.seed,
                total: u64::try_from(t.size()).unwrap_or(u64::MAX),
            },
            shards: vec![shard],
            complete: shard.count == 1,
            negotiations: Vec::new(),
        }
    }

    /// Adds the distances to each scenario's Nash point and Pareto frontier, for the scenarios that have
    /// a reference (`references[i]` belongs to `scenarios[i]`, matched by name).
    pub fn add_distances(&mut self, scenarios: &[Arc<Scenario>], references: &[Option<Reference>]) {
        for record in &mut self.negotiations {
            let Some((scenario, Some(reference))) =
                scenarios.iter().zip(references).find(|(s, _)| s.name() == record.scenario)
            else {
                continue;
            };
            let point = match &record.agreement {
                Some(outcome) => scenario.utilities(outcome),
                None => scenario.reservations(),
            };
            record.nash_distance = Some(distance(&point, &reference.nash));
            record.pareto_distance =
                reference.frontier.iter().map(|f| distance(&point, f)).min_by(f64::total_cmp);
        }
    }

    /// The file as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a result file, refusing other formats and versions with a clear message.
    ///
    /// # Errors
    /// [`SimError::ResultFile`] naming `file`.
    pub fn from_json(text: &str, file: &str) -> Result<Self, SimError> {
        let err = |reason: String| SimError::ResultFile { file: file.to_string(), reason };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| err(format!("not JSON: {e}")))?;
        if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT) {
            return Err(err(format!("not a Truce tournament result file (no \"format\": \"{FORMAT}\")")));
        }
        let version = value.get("format_version").and_then(serde_json::Value::as_u64);
        let truce = value.get("truce_version").and_then(|v| v.as_str()).unwrap_or("unknown");
        if version != Some(u64::from(FORMAT_VERSION)) || truce != crate::TRUCE_VERSION {
            return Err(err(format!(
                "written by Truce {truce} (result format {}), this is Truce {} (format {FORMAT_VERSION}): rerun that shard with this version",
                version.map_or("unknown".to_string(), |v| v.to_string()),
                crate::TRUCE_VERSION
            )));
        }
        serde_json::from_value(value).map_err(|e| err(format!("malformed: {e}")))
    }

    /// Writes one row per negotiation and seat: `index, scenario, rep, first, seat, party, agent,
    /// status, utility, welfare, rounds, time, failure` (plus `nash_distance, pareto_distance` when
    /// known).
    ///
    /// # Errors
    /// When `out` fails.
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let distances = self.negotiations.iter().any(|n| n.nash_distance.is_some());
        let mut w = csv::Writer::from_writer(out);
        let mut header = vec![
            "index", "scenario", "rep", "first", "seat", "party", "agent", "status", "utility", "welfare",
            "rounds", "time", "failure",
        ];
        if distances {
            header.extend(["nash_distance", "pareto_distance"]);
        }
        w.write_record(&header)?;
        let parties: BTreeMap<&str, &[String]> =
            self.tournament.scenarios.iter().map(|s| (s.name.as_str(), s.parties.as_slice())).collect();
        for n in &self.negotiations {
            for (seat, (agent, utility)) in n.agents.iter().zip(&n.utilities).enumerate() {
                let party =
                    parties.get(n.scenario.as_str()).and_then(|p| p.get(seat)).map_or("", String::as_str);
                let failure = n.failure.as_ref().filter(|f| f.party.is_none_or(|p| p == seat));
                let mut row = vec![
                    n.index.to_string(),
                    n.scenario.clone(),
                    n.rep.to_string(),
                    n.first.to_string(),
                    seat.to_string(),
                    party.to_string(),
                    agent.clone(),
                    n.status.as_str().to_string(),
                    utility.to_string(),
                    n.welfare.to_string(),
                    n.rounds.to_string(),
                    n.time.to_string(),
                    failure.map_or(String::new(), |f| f.message.clone()),
                ];
                if distances {
                    row.push(n.nash_distance.map_or(String::new(), |d| d.to_string()));
                    row.push(n.pareto_distance.map_or(String::new(), |d| d.to_string()));
                }
                w.write_record(&row)?;
            }
        }
        w.flush()
    }
}

/// Combines result files of the same tournament (shards, or partial runs) into one.
///
/// # Errors
/// [`SimError::Merge`] when the files belong to different tournaments, or hold different results
/// for the same negotiation.
pub fn merge(files: Vec<(String, ResultsFile)>) -> Result<ResultsFile, SimError> {
    let mut files = files.into_iter();
    let Some((first_name, mut merged)) = files.next() else {
        return Err(SimError::Merge { reason: "no result files given".into() });
    };
    let mut by_index: BTreeMap<u64, NegotiationRecord> = BTreeMap::new();
    for record in std::mem::take(&mut merged.negotiations) {
        by_index.insert(record.index, record);
    }
    for (name, file) in files {
        if file.tournament != merged.tournament {
            return Err(SimError::Merge {
                reason: format!(
                    "`{name}` is from a different tournament than `{first_name}` (agents, domains, protocol, deadline, repetitions or seed differ)"
                ),
            });
        }
        merged.shards.extend(file.shards);
        for record in file.negotiations {
            match by_index.get(&record.index) {
                Some(existing) if *existing != record => {
                    return Err(SimError::Merge {
                        reason: format!(
                            "negotiation {} differs between `{name}` and an earlier file",
                            record.index
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    by_index.insert(record.index, record);
                }
            }
        }
    }
    merged.shards.sort_by_key(|s| (s.count, s.index));
    merged.shards.dedup();
    merged.negotiations = by_index.into_values().collect();
    merged.complete = merged.negotiations.len() as u64 == merged.tournament.total;
    if merged.complete {
        // A complete merge is the unsharded tournament's result, byte for byte.
        merged.shards = vec![Shard::ALL];
    }
    Ok(merged)
}
