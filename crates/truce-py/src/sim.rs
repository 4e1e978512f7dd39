//! Negotiations and tournaments: thin wrappers over the facade's `negotiate` and `tournament`,
//! with agents named by spec (`boulware(e=0.1)`) or written in Python ([`PyAgentFactory`]).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use truce::sim::{
    AgentFactory, Protocol, Ranking, ResultsFile, Run, Scenario, Shard, SystemClock, write_jsonl,
};
use truce::tournament::{
    Existing, check_out, merge_folders as facade_merge_folders, run_to_folder, write_folder,
};
use truce::{NegotiateOptions, TournamentOptions};

use crate::agent::{PyAgentFactory, outcome_to_py};
use crate::case::{Case, date};
use crate::error::{IntoPy, parameter};

/// Every agent of a call, and the Python ones among them.
type Factories = (Vec<Arc<dyn AgentFactory>>, Vec<Arc<PyAgentFactory>>);

/// The agents of a call: each a spec (`str`) or a `(label, make)` pair for an agent written in
/// Python. Returns the factories and the Python ones among them.
fn factories(py: Python<'_>, agents: &[Bound<'_, PyAny>]) -> PyResult<Factories> {
    let mut all: Vec<Arc<dyn AgentFactory>> = Vec::new();
    let mut python = Vec::new();
    for agent in agents {
        if let Ok(spec) = agent.extract::<String>() {
            let parsed = truce::negotiate::parse_agents(&spec).py()?;
            if parsed.len() != 1 {
                return Err(parameter(
                    "agents",
                    format!("`{spec}` names {} agents: give one agent per list item", parsed.len()),
                ));
            }
            all.extend(parsed);
        } else if let Ok((label, make)) = agent.extract::<(String, Py<PyAny>)>() {
            let factory = Arc::new(PyAgentFactory::new(make.clone_ref(py), label));
            python.push(factory.clone());
            all.push(factory);
        } else {
            return Err(parameter(
                "agents",
                "an agent is a name (`boulware`, `boulware(e=0.1)`) or a truce.Agent subclass",
            ));
        }
    }
    Ok((all, python))
}

/// A finished negotiation: its result and transcript, with what the report crate makes of them.
/// The result's JSON and the summary are made when first asked for: a caller that only looks at the
/// status (a benchmark, a loop of negotiations) does not pay for them.
#[pyclass(module = "truce._truce", frozen)]
pub struct NegotiationRun {
    run: Run,
    result_json: OnceLock<String>,
    summary: OnceLock<String>,
    summary_of: SummaryOf,
    agreement: Option<Py<PyTuple>>,
    labels: Vec<String>,
    built: Vec<Py<PyAny>>,
}

/// What the summary is made from, besides the run.
struct SummaryOf {
    scenario: Arc<Scenario>,
    protocol: Protocol,
    rounds: u32,
    seed: u64,
    notes: Vec<String>,
}

#[pymethods]
impl NegotiationRun {
    /// The result, as JSON (the simulation's own serialisation, as in transcripts).
    fn result_json(&self) -> PyResult<&str> {
        if let Some(json) = self.result_json.get() {
            return Ok(json);
        }
        let json = serde_json::to_string(&self.run.result).map_err(|e| parameter("result", e.to_string()))?;
        Ok(self.result_json.get_or_init(|| json))
    }

    /// How it ended: `agreement`, `no_agreement`, `ended`, `failed` or `timeout`.
    #[getter]
    fn status(&self) -> &'static str {
        self.run.result.status.as_str()
    }

    /// Whether it ended with a failure (see `result_json` for what failed).
    #[getter]
    fn failed(&self) -> bool {
        self.run.result.failure.is_some()
    }

    /// The agreement, as a tuple of values in issue order.
    #[getter]
    fn agreement(&self, py: Python<'_>) -> Option<Py<PyTuple>> {
        self.agreement.as_ref().map(|a| a.clone_ref(py))
    }

    /// The transcript, as JSON Lines (`truce-transcript`).
    fn transcript_jsonl(&self) -> PyResult<String> {
        let mut bytes = Vec::new();
        write_jsonl(&self.run.events, &mut bytes).map_err(|e| parameter("transcript", e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| parameter("transcript", e.to_string()))
    }

    /// The negotiation's plot (utilities over time, offers in utility space), as SVG.
    fn svg(&self) -> String {
        truce::report::sim::negotiation_svg(&self.run.events)
    }

    /// The summary `truce negotiate` prints.
    fn summary(&self) -> &str {
        self.summary.get_or_init(|| {
            let of = &self.summary_of;
            truce::report::sim::summary(
                &of.scenario,
                of.protocol,
                of.rounds,
                of.seed,
                &self.labels,
                &self.run,
                &of.notes,
            )
        })
    }

    /// The label of the agent in each seat.
    fn labels(&self) -> Vec<String> {
        self.labels.clone()
    }

    /// The Python agents built for this negotiation.
    fn python_agents(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.built.iter().map(|a| a.clone_ref(py)).collect()
    }
}

/// Runs one negotiation of `case` (see `truce negotiate`), with the session's containment and its
/// time limits on a system clock.
#[pyfunction]
#[pyo3(signature = (case, agents, protocol="sao", rounds=100, seed=0, first=0, at=None, time=None,
    call_limit=truce::DEFAULT_CALL_LIMIT, time_limit=truce::DEFAULT_NEGOTIATION_LIMIT,
    max_events=truce::sim::MAX_TRANSCRIPT_EVENTS))]
#[allow(clippy::too_many_arguments)]
pub fn negotiate(
    py: Python<'_>,
    case: &Case,
    agents: Vec<Bound<'_, PyAny>>,
    protocol: &str,
    rounds: u32,
    seed: u64,
    first: usize,
    at: Option<&str>,
    time: Option<f64>,
    call_limit: f64,
    time_limit: f64,
    max_events: usize,
) -> PyResult<NegotiationRun> {
    let options = NegotiateOptions {
        agents: String::new(),
        protocol: protocol.to_string(),
        rounds,
        time,
        seed,
        first,
        call_limit,
        time_limit,
        at: date(at)?,
        max_events,
    };
    let (factories, python) = factories(py, &agents)?;
    let stage = py.detach(|| case.stage(options.at)).py()?;
    let prepared = truce::negotiate::prepare_on(&stage, &options, factories).py()?;
    let labels = prepared.agent_labels();
    let notes = prepared.day.notes(prepared.scenario.name());
    let summary_of =
        SummaryOf { scenario: prepared.scenario.clone(), protocol: prepared.protocol, rounds, seed, notes };
    // The Python agents run on the runner's worker thread, which takes the GIL for each call.
    let run = py.detach(|| prepared.run(Some(Arc::new(SystemClock::new())))).py()?;
    let built = python.iter().flat_map(|f| f.built(py)).collect();
    let space = summary_of.scenario.domain().space();
    let agreement = run.result.agreement.as_ref().map(|a| outcome_to_py(py, space, a)).transpose()?;
    Ok(NegotiationRun {
        run,
        result_json: OnceLock::new(),
        summary: OnceLock::new(),
        summary_of,
        agreement,
        labels,
        built,
    })
}

/// A tournament's results (whole, a shard, or merged): what `truce tournament --out` writes.
#[pyclass(module = "truce._truce", frozen)]
pub struct Results {
    results: ResultsFile,
    transcripts: Vec<(u64, String)>,
    built: Vec<Py<PyAny>>,
}

#[pymethods]
impl Results {
    /// `results.jsonl`: the versioned record `merge` reads, as `truce tournament --out` writes it.
    fn to_jsonl(&self) -> String {
        self.results.to_jsonl()
    }

    /// The whole record as one JSON object.
    fn to_json(&self) -> String {
        self.results.to_json()
    }

    /// Writes a result folder as `truce tournament merge --out` does (`results.jsonl`, the CSV
    /// files, the manifest), refusing a folder that already holds results.
    fn write(&self, py: Python<'_>, out: PathBuf) -> PyResult<()> {
        py.detach(|| {
            check_out(&out, &[], Existing::Refuse)?;
            std::fs::create_dir_all(&out).map_err(|e| {
                truce::Error::new(truce::ErrorKind::Output, format!("cannot write {}: {e}", out.display()))
            })?;
            write_folder(&out, &self.results, true).map(|_| ())
        })
        .py()
    }

    /// `negotiations.csv`: one row per negotiation and party.
    fn negotiations_csv(&self) -> PyResult<String> {
        let mut csv = Vec::new();
        self.results.write_csv(&mut csv).map_err(|e| parameter("out", e.to_string()))?;
        String::from_utf8(csv).map_err(|e| parameter("out", e.to_string()))
    }

    /// `ranking.csv`.
    fn ranking_csv(&self) -> PyResult<String> {
        let mut csv = Vec::new();
        Ranking::of(&self.results).write_csv(&mut csv).map_err(|e| parameter("out", e.to_string()))?;
        String::from_utf8(csv).map_err(|e| parameter("out", e.to_string()))
    }

    /// The ranking table `truce tournament` prints.
    fn ranking_text(&self) -> String {
        Ranking::of(&self.results).to_text()
    }

    /// Whether every negotiation of the tournament is present.
    #[getter]
    fn complete(&self) -> bool {
        self.results.complete
    }

    /// Each kept transcript, as `(negotiation number, JSON Lines)`.
    fn transcripts(&self) -> Vec<(u64, String)> {
        self.transcripts.clone()
    }

    /// The Python agents built for these negotiations.
    fn python_agents(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.built.iter().map(|a| a.clone_ref(py)).collect()
    }
}

/// Runs a tournament, or one shard `(i, n)` of it (see `truce tournament`), on `threads` workers.
#[pyfunction]
#[pyo3(signature = (agents, domains, reps=1, rounds=100, seed=0, shard=None, protocol="sao", at=None,
    threads=1, call_limit=truce::DEFAULT_CALL_LIMIT, time_limit=truce::DEFAULT_NEGOTIATION_LIMIT,
    transcripts=false, seatings="rotate", memory_limit=truce::tournament::DEFAULT_MEMORY_LIMIT, out=None,
    resume=false, max_events=truce::sim::MAX_TRANSCRIPT_EVENTS))]
#[allow(clippy::too_many_arguments)]
pub fn tournament(
    py: Python<'_>,
    agents: Vec<Bound<'_, PyAny>>,
    domains: Vec<PathBuf>,
    reps: u32,
    rounds: u32,
    seed: u64,
    shard: Option<(u64, u64)>,
    protocol: &str,
    at: Option<&str>,
    threads: usize,
    call_limit: f64,
    time_limit: f64,
    transcripts: bool,
    seatings: &str,
    memory_limit: u64,
    out: Option<PathBuf>,
    resume: bool,
    max_events: usize,
) -> PyResult<Results> {
    let options = TournamentOptions {
        agents: String::new(),
        protocol: protocol.to_string(),
        rounds,
        reps,
        seed,
        call_limit,
        time_limit,
        at: date(at)?,
        transcripts,
        seatings: seatings.to_string(),
        memory_limit,
        max_events,
    };
    let shard = match shard {
        None => Shard::ALL,
        Some((index, count)) => truce::tournament::parse_shard(&format!("{index}/{count}")).py()?,
    };
    let (factories, python) = factories(py, &agents)?;
    let (results, runs) = py
        .detach(|| {
            let cases = domains
                .iter()
                .map(|path| truce::load_valid(path).map(|v| v.loaded.case))
                .collect::<Result<Vec<_>, _>>()?;
            let prepared = truce::tournament::prepare_with(&cases, &options, factories)?;
            let clock: Arc<dyn truce::sim::Clock> = Arc::new(SystemClock::new());
            match &out {
                // Written as negotiations finish, resumable, closed by a manifest: as the CLI.
                Some(dir) => {
                    let existing = if resume { Existing::Resume } else { Existing::Refuse };
                    let run =
                        run_to_folder(&prepared, shard, dir, existing, threads, Some(clock), &mut |_, _| {})?;
                    Ok((run.results, Vec::new()))
                }
                None => prepared.run(shard, threads, Some(clock), &mut |_, _| {}),
            }
        })
        .py()?;
    let mut kept = Vec::new();
    if transcripts {
        for (m, run) in &runs {
            let mut bytes = Vec::new();
            write_jsonl(&run.events, &mut bytes).map_err(|e| parameter("transcripts", e.to_string()))?;
            kept.push((m.index, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    let built = python.iter().flat_map(|f| f.built(py)).collect();
    Ok(Results { results, transcripts: kept, built })
}

/// Merges shards' results, each given as `(name, results.jsonl text)`; refuses shards of different
/// tournaments.
#[pyfunction]
pub fn merge(py: Python<'_>, files: Vec<(String, String)>) -> PyResult<Results> {
    let results = py.detach(|| truce::tournament::merge(files)).py()?;
    Ok(Results { results, transcripts: Vec::new(), built: Vec::new() })
}

/// Reads result folders (or their `results.jsonl`), verifies them against their manifests, and merges
/// them.
#[pyfunction]
pub fn merge_folders(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Results> {
    let results =
        py.detach(|| facade_merge_folders(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>())).py()?;
    Ok(Results { results, transcripts: Vec::new(), built: Vec::new() })
}

/// The registered agents, as `(name, summary, reference, [(parameter, default, summary)])`.
#[pyfunction]
pub fn agents() -> Vec<(String, String, String)> {
    truce::sim::registry()
        .iter()
        .map(|a| (a.name.to_string(), a.summary.to_string(), a.reference.to_string()))
        .collect()
}

/// The protocols' names.
#[pyfunction]
pub fn protocols() -> Vec<String> {
    Protocol::ALL.iter().map(|p| p.name().to_string()).collect()
}
