//! Tournament result files: versioned JSON Lines (the complete record, written as negotiations finish,
//! what `merge` reads), long-format CSV (one row per negotiation and party, for spreadsheets and data
//! frames), and the manifest of a finished result folder (each file's SHA-256).
//!
//! **`results.jsonl`.** The first line is the header: the format, its version, the Truce version, the
//! tournament's definition ([`TournamentInfo`]) and the shards covered. Every further line is one
//! negotiation's [`NegotiationRecord`], in number order. Every line is compact JSON ending in `\n`, so
//! a file cut short loses at most its last, incomplete line, and a run resumes after the last whole
//! one; since records are written in number order, whatever the threads, a resumed file is the same
//! bytes as one written in a single run.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Match, Seatings, Shard, Tournament};
use crate::{Failure, NegotiationResult, Outcome, Scenario, SimError, Status};

/// The result files' format name.
pub const FORMAT: &str = "truce-tournament-results";
/// The result files' format version; `merge` refuses any other. Version 2: JSON Lines, with the
/// agents' parameters, the limits, the seatings, each domain's digest and pool seed.
pub const FORMAT_VERSION: u32 = 2;
/// The manifests' format name.
pub const MANIFEST_FORMAT: &str = "truce-tournament-manifest";

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
    /// Whether every negotiation of the tournament is here (not written: the count tells).
    #[serde(default, skip_serializing)]
    pub complete: bool,
    /// The negotiations, by index.
    #[serde(default)]
    pub negotiations: Vec<NegotiationRecord>,
}

/// The first line of a results file: all of [`ResultsFile`] but the negotiations.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: u32,
    truce_version: String,
    tournament: TournamentInfo,
    shards: Vec<Shard>,
}

/// What defines a tournament: files merge only when this is the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TournamentInfo {
    /// The agents, in the order given.
    pub agents: Vec<AgentRecord>,
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
    /// The longest one agent call may take, in seconds, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_limit: Option<f64>,
    /// The longest one negotiation may take, in seconds, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<f64>,
    /// How agents are seated in each domain.
    pub seatings: Seatings,
    /// Repetitions.
    pub reps: u32,
    /// The seed.
    pub seed: u64,
    /// Negotiations in the whole tournament.
    pub total: u64,
}

/// An agent in a result file: its label and what defines it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentRecord {
    /// The label results use (`boulware(e=0.1)`).
    pub label: String,
    /// The strategy (`boulware`).
    pub strategy: String,
    /// Every parameter's value, defaults included.
    pub parameters: BTreeMap<String, f64>,
}

/// A scenario in a result file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// Its name.
    pub name: String,
    /// Its parties' ids, by seat.
    pub parties: Vec<String>,
    /// The SHA-256 of its content ([`Scenario::digest`]).
    pub sha256: String,
    /// The seed of its sampled outcome pools.
    pub pool_seed: u64,
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

/// The SHA-256 of `bytes`, in lower-case hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest of a finished result folder: every file's size and SHA-256, written last, so that a
/// folder without one did not finish, and a file that was edited or cut short no longer matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The files, in the order written.
    pub files: Vec<ManifestEntry>,
}

/// One file of a [`Manifest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Its path in the folder.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
}

impl Manifest {
    /// The manifest of `files` (`(path, content)`).
    #[must_use]
    pub fn of(files: &[(&str, &[u8])]) -> Self {
        Self {
            format: MANIFEST_FORMAT.into(),
            format_version: FORMAT_VERSION,
            files: files
                .iter()
                .map(|(path, bytes)| ManifestEntry {
                    path: (*path).to_string(),
                    bytes: bytes.len() as u64,
                    sha256: sha256_hex(bytes),
                })
                .collect(),
        }
    }

    /// The manifest as pretty JSON, ending in a new line.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a manifest.
    ///
    /// # Errors
    /// [`SimError::ResultFile`] naming `file`.
    pub fn from_json(text: &str, file: &str) -> Result<Self, SimError> {
        let err = |reason: String| SimError::ResultFile { file: file.to_string(), reason };
        let manifest: Self =
            serde_json::from_str(text).map_err(|e| err(format!("not a tournament manifest: {e}")))?;
        if manifest.format != MANIFEST_FORMAT || manifest.format_version != FORMAT_VERSION {
            return Err(err(format!(
                "not a manifest of this version (expected format `{MANIFEST_FORMAT}` version {FORMAT_VERSION})"
            )));
        }
        Ok(manifest)
    }

    /// Checks `bytes` against the entry for `path`.
    ///
    /// # Errors
    /// [`SimError::ResultFile`] naming `file` (the file's name for people) when the manifest does not
    /// list `path`, or its size or checksum differs.
    pub fn verify(&self, path: &str, bytes: &[u8], file: &str) -> Result<(), SimError> {
        let err = |reason: String| SimError::ResultFile { file: file.to_string(), reason };
        let Some(entry) = self.files.iter().find(|e| e.path == path) else {
            return Err(err(format!("its manifest does not list `{path}`")));
        };
        if entry.bytes != bytes.len() as u64 {
            return Err(err(format!(
                "{} bytes where its manifest says {}: the file was cut short or edited; rerun that shard",
                bytes.len(),
                entry.bytes
            )));
        }
        if entry.sha256 != sha256_hex(bytes) {
            return Err(err(
                "its SHA-256 differs from its manifest's: the file was edited; rerun that shard".to_string(),
            ));
        }
        Ok(())
    }
}

impl NegotiationRecord {
    pub(crate) fn new(t: &Tournament, m: &Match, r: &NegotiationResult) -> Self {
        let scenario = &t.scenarios[m.scenario];
        let mut record = Self {
            index: m.index,
            scenario: scenario.name().to_string(),
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
        };
        if let Some(Some(reference)) = t.references.get(m.scenario) {
            record.measure(scenario, reference);
        }
        record
    }

    fn measure(&mut self, scenario: &Scenario, reference: &Reference) {
        let point = match &self.agreement {
            Some(outcome) => scenario.utilities(outcome),
            None => scenario.reservations(),
        };
        self.nash_distance = Some(distance(&point, &reference.nash));
        self.pareto_distance = reference.frontier.iter().map(|f| distance(&point, f)).min_by(f64::total_cmp);
    }

    /// The record as one line of a results file: compact JSON and a new line.
    #[must_use]
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default() + "\n"
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

impl TournamentInfo {
    pub(crate) fn of(t: &Tournament) -> Self {
        Self {
            agents: t
                .agents
                .iter()
                .map(|a| AgentRecord {
                    label: a.label(),
                    strategy: a.strategy(),
                    parameters: a.parameters().into_iter().collect(),
                })
                .collect(),
            scenarios: t
                .scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name().to_string(),
                    parties: s.seats().iter().map(|p| p.id.clone()).collect(),
                    sha256: s.digest(),
                    pool_seed: s.pool_seed(),
                })
                .collect(),
            protocol: t.protocol.name().into(),
            rounds: t.deadline.rounds,
            seconds: t.deadline.time.map(|d| d.as_secs_f64()),
            call_limit: t.limits.per_call.map(|d| d.as_secs_f64()),
            time_limit: t.limits.per_negotiation.map(|d| d.as_secs_f64()),
            seatings: t.seatings,
            reps: t.reps,
            seed: t.seed,
            total: u64::try_from(t.size()).unwrap_or(u64::MAX),
        }
    }

    /// What differs between two tournaments' definitions, in words (`the seed (1 here, 2 there)`);
    /// empty when they are the same.
    #[must_use]
    pub fn differences(&self, other: &Self) -> Vec<String> {
        fn show<T: std::fmt::Debug>(x: &T) -> String {
            format!("{x:?}")
        }
        let mut out = Vec::new();
        let mut differ = |what: &str, here: String, there: String| {
            if here != there {
                out.push(format!("{what} ({here} here, {there} there)"));
            }
        };
        let labels = |i: &Self| i.agents.iter().map(|a| a.label.clone()).collect::<Vec<_>>().join(",");
        differ("the agents", labels(self), labels(other));
        if labels(self) == labels(other) {
            for (a, b) in self.agents.iter().zip(&other.agents) {
                differ(&format!("the parameters of `{}`", a.label), show(&a.parameters), show(&b.parameters));
            }
        }
        let names = |i: &Self| i.scenarios.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(",");
        differ("the domains", names(self), names(other));
        if names(self) == names(other) {
            for (a, b) in self.scenarios.iter().zip(&other.scenarios) {
                differ(
                    &format!("the parties of domain `{}`", a.name),
                    a.parties.join(","),
                    b.parties.join(","),
                );
                differ(
                    &format!("the content (SHA-256) of domain `{}`", a.name),
                    a.sha256.clone(),
                    b.sha256.clone(),
                );
                differ(
                    &format!("the pool seed of domain `{}`", a.name),
                    a.pool_seed.to_string(),
                    b.pool_seed.to_string(),
                );
            }
        }
        differ("the protocol", self.protocol.clone(), other.protocol.clone());
        differ("the rounds", show(&self.rounds), show(&other.rounds));
        differ("the deadline in seconds", show(&self.seconds), show(&other.seconds));
        differ("the call limit", show(&self.call_limit), show(&other.call_limit));
        differ("the time limit", show(&self.time_limit), show(&other.time_limit));
        differ("the seatings", self.seatings.to_string(), other.seatings.to_string());
        differ("the repetitions", self.reps.to_string(), other.reps.to_string());
        differ("the seed", self.seed.to_string(), other.seed.to_string());
        differ("the number of negotiations", self.total.to_string(), other.total.to_string());
        out
    }
}

impl ResultsFile {
    pub(crate) fn new(t: &Tournament, shard: Shard) -> Self {
        Self {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            truce_version: crate::TRUCE_VERSION.into(),
            tournament: TournamentInfo::of(t),
            shards: vec![shard],
            complete: false,
            negotiations: Vec::new(),
        }
    }

    /// Adds the distances to each scenario's Nash point and Pareto frontier, for the scenarios that have
    /// a reference (`references[i]` belongs to `scenarios[i]`, matched by name). A tournament given its
    /// references ([`Tournament::references`]) measures every record as it is made.
    pub fn add_distances(&mut self, scenarios: &[Arc<Scenario>], references: &[Option<Reference>]) {
        for record in &mut self.negotiations {
            let Some((scenario, Some(reference))) =
                scenarios.iter().zip(references).find(|(s, _)| s.name() == record.scenario)
            else {
                continue;
            };
            record.measure(scenario, reference);
        }
    }

    /// The first line of the file: everything but the negotiations, compact, with a new line.
    #[must_use]
    pub fn header_line(&self) -> String {
        let header = Header {
            format: self.format.clone(),
            format_version: self.format_version,
            truce_version: self.truce_version.clone(),
            tournament: self.tournament.clone(),
            shards: self.shards.clone(),
        };
        serde_json::to_string(&header).unwrap_or_default() + "\n"
    }

    /// The results file: the header line, then one line per negotiation.
    #[must_use]
    pub fn to_jsonl(&self) -> String {
        let mut out = self.header_line();
        for n in &self.negotiations {
            out.push_str(&n.to_line());
        }
        out
    }

    /// The whole record as one pretty JSON object (for programs; the file is [`ResultsFile::to_jsonl`]).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads [`ResultsFile::to_json`]'s form, refusing other formats and versions.
    ///
    /// # Errors
    /// [`SimError::ResultFile`] naming `file`.
    pub fn from_json(text: &str, file: &str) -> Result<Self, SimError> {
        let err = |reason: String| SimError::ResultFile { file: file.to_string(), reason };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| err(format!("not JSON: {e}")))?;
        check_version(&value, file)?;
        let mut results: Self = serde_json::from_value(value).map_err(|e| err(format!("malformed: {e}")))?;
        results.complete = results.is_complete();
        Ok(results)
    }

    /// Reads a results file, refusing other formats and versions with a clear message, records out of
    /// order or of another tournament, and a last line cut short.
    ///
    /// # Errors
    /// [`SimError::ResultFile`] naming `file` and the line at fault.
    pub fn from_jsonl(text: &str, file: &str) -> Result<Self, SimError> {
        let (results, whole) = Self::read_prefix(text, file)?;
        if whole < text.len() {
            let line = text[..whole].lines().count() + 1;
            return Err(SimError::ResultFile {
                file: file.to_string(),
                reason: format!("line {line} is cut short: the run did not finish (resume it with --resume)"),
            });
        }
        Ok(results)
    }

    /// Reads the whole lines of a results file that may have been cut short, and returns them with
    /// the length in bytes of the prefix they make up (where a resumed run appends).
    ///
    /// # Errors
    /// As [`ResultsFile::from_jsonl`], except for a last line without its new line, which is left out.
    pub fn read_prefix(text: &str, file: &str) -> Result<(Self, usize), SimError> {
        let err = |line: usize, reason: String| SimError::ResultFile {
            file: file.to_string(),
            reason: format!("line {line}: {reason}"),
        };
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().filter(|l| l.ends_with('\n')).ok_or_else(|| SimError::ResultFile {
            file: file.to_string(),
            reason: "empty, or cut short in its first line: not a Truce tournament result file".into(),
        })?;
        let value: serde_json::Value = match serde_json::from_str(first) {
            Ok(value) => value,
            Err(e) => {
                // A whole-file JSON object (format 1 was one) says which version wrote it.
                if let Ok(whole) = serde_json::from_str::<serde_json::Value>(text) {
                    check_version(&whole, file)?;
                }
                return Err(err(1, format!("not JSON: {e}")));
            }
        };
        check_version(&value, file)?;
        let header: Header = serde_json::from_value(value).map_err(|e| err(1, format!("malformed: {e}")))?;
        let mut results = Self {
            format: header.format,
            format_version: header.format_version,
            truce_version: header.truce_version,
            tournament: header.tournament,
            shards: header.shards,
            complete: false,
            negotiations: Vec::new(),
        };
        let mut whole = results.header_line().len();
        if results.header_line() != first {
            return Err(err(1, "not written by Truce (the header is not in its canonical form)".into()));
        }
        let shards = results.shards.clone();
        let scenarios: Vec<&str> = results.tournament.scenarios.iter().map(|s| s.name.as_str()).collect();
        let mut previous: Option<u64> = None;
        let mut records = Vec::new();
        for (i, line) in lines.enumerate() {
            if !line.ends_with('\n') {
                break;
            }
            let number = i + 2;
            let record: NegotiationRecord = serde_json::from_str(line)
                .map_err(|e| err(number, format!("not a negotiation record: {e}")))?;
            if record.to_line() != line {
                return Err(err(number, "edited: the record is not in the form Truce writes".into()));
            }
            if record.index >= results.tournament.total
                || !shards.iter().any(|s| s.contains(record.index))
                || previous.is_some_and(|p| record.index <= p)
                || !scenarios.contains(&record.scenario.as_str())
            {
                return Err(err(
                    number,
                    format!("negotiation {} does not belong here, or is out of order", record.index),
                ));
            }
            previous = Some(record.index);
            whole += line.len();
            records.push(record);
        }
        results.negotiations = records;
        results.complete = results.is_complete();
        Ok((results, whole))
    }

    /// Whether every negotiation of the tournament is here.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.negotiations.len() as u64 == self.tournament.total
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

fn check_version(value: &serde_json::Value, file: &str) -> Result<(), SimError> {
    let err = |reason: String| SimError::ResultFile { file: file.to_string(), reason };
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
    Ok(())
}

/// Combines result files of the same tournament (shards, or partial runs) into one.
///
/// # Errors
/// [`SimError::Merge`] when the files belong to different tournaments (naming what differs), or
/// hold different results for the same negotiation.
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
        let differences = merged.tournament.differences(&file.tournament);
        if !differences.is_empty() {
            return Err(SimError::Merge {
                reason: format!(
                    "`{first_name}` and `{name}` are from different tournaments: they differ in {}",
                    differences.join("; ")
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
    merged.complete = merged.is_complete();
    if merged.complete {
        // A complete merge is the unsharded tournament's result, byte for byte.
        merged.shards = vec![Shard::ALL];
    }
    Ok(merged)
}
