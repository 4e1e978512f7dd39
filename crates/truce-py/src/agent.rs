//! Agents written in Python, playing through the simulation's own [`Agent`] interface: a
//! [`PyAgentFactory`] builds, for each negotiation, a fresh Python agent (a `truce.Agent`) bound to
//! an [`AgentView`] of its own seat, and [`PyAgent`] calls its `propose`, `respond` and `vote` holding
//! the GIL.
//!
//! **What a Python agent sees:** its own utility function, evaluated in Rust (`AgentView.utility`),
//! its own outcomes best first, the public domain, the round and the time: never another party's
//! preferences, as for the built-in agents.
//!
//! **Containment:** the session contains a failing call as it does a Rust agent's. A Python exception
//! and an answer of the wrong type end the call with an unwinding payload that carries the message
//! (`resume_unwind`, so no panic hook prints anything), which the session records as the agent's
//! failure; an outcome outside the space is handed to the engine, which refuses it as an invalid offer;
//! a call that never returns is abandoned by the runner's watchdog, and the Python layer then
//! interrupts the thread (`truce._agents.interrupt`).

use std::panic::resume_unwind;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice, PyString, PyTuple};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use truce::model::{IssueDomain, OutcomeSpace, Value};
use truce::sim::{Agent, AgentFactory, Answer, Offer, Outcome, PartyView, Turn, truthful_vote};

/// Builds a Python agent for each negotiation by calling `make()` (a `truce.Agent` subclass, or any
/// callable returning an instance of one).
pub struct PyAgentFactory {
    make: Py<PyAny>,
    label: String,
    /// Every agent built, so that the Python layer can interrupt one the watchdog abandoned.
    built: Arc<Mutex<Vec<Py<PyAny>>>>,
}

impl PyAgentFactory {
    pub fn new(make: Py<PyAny>, label: String) -> Self {
        Self { make, label, built: Arc::default() }
    }

    /// The agents built so far.
    pub fn built(&self, py: Python<'_>) -> Vec<Py<PyAny>> {
        self.built.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|a| a.clone_ref(py)).collect()
    }
}

impl AgentFactory for PyAgentFactory {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn build(&self, view: PartyView, mut rng: ChaCha8Rng) -> Box<dyn Agent> {
        let seed: u64 = rng.next_u64();
        let built = Python::attach(|py| -> PyResult<(Py<PyAny>, Arc<Values>)> {
            let agent = self.make.bind(py).call0()?;
            let values = Arc::new(Values::of(py, &view)?);
            let bound = AgentView { view: view.clone(), values: values.clone() };
            agent.call_method1("_truce_bind", (bound, seed))?;
            self.built.lock().unwrap_or_else(PoisonError::into_inner).push(agent.clone().unbind());
            Ok((agent.unbind(), values))
        });
        match built {
            Ok((agent, values)) => Box::new(PyAgent { agent, view, values }),
            Err(e) => fail(&self.label, "could not be built", &e),
        }
    }

    /// Gives the worker thread one interpreter state for the whole negotiation: attached once and
    /// detached at once, so that each call re-attaches to it. Without it every call would make and
    /// free a thread state (and its frame stack), which costs more than a small agent's move.
    fn within(&self, negotiation: &mut (dyn FnMut() + Send)) {
        Python::attach(|py| py.detach(negotiation));
    }
}

/// One Python agent in one negotiation.
pub struct PyAgent {
    agent: Py<PyAny>,
    view: PartyView,
    values: Arc<Values>,
}

/// Ends the call as a failure of the agent, with `what` happened and the Python error.
fn fail(who: &str, what: &str, e: &PyErr) -> ! {
    let text = Python::attach(|py| {
        let kind = e.get_type(py).name().map(|n| n.to_string()).unwrap_or_else(|_| "Exception".into());
        format!("{kind}: {}", e.value(py))
    });
    resume_unwind(Box::new(format!("{who} {what}: {text}")))
}

fn wrong(who: &str, what: String) -> ! {
    resume_unwind(Box::new(format!("{who} {what}")))
}

impl PyAgent {
    /// Calls `method`, marking the agent busy meanwhile (the Python layer interrupts an agent that
    /// is still busy after the watchdog abandoned its negotiation).
    fn call<'py>(
        &self,
        py: Python<'py>,
        method: &Bound<'py, PyString>,
        args: impl pyo3::call::PyCallArgs<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let agent = self.agent.bind(py);
        let busy = intern!(py, "_truce_busy");
        agent.setattr(busy, true)?;
        let reply = agent.call_method1(method, args);
        agent.setattr(busy, false)?;
        reply
    }

    /// The state of the turn, and the offer answered as Python (the same tuple the state holds).
    fn state<'py>(
        &self,
        py: Python<'py>,
        turn: &Turn,
        offer: Option<Offer<'_>>,
    ) -> PyResult<(Bound<'py, State>, Option<Py<PyTuple>>)> {
        let outcome = offer.map(|o| self.values.outcome(py, o.outcome)).transpose()?;
        let state = State {
            round: turn.round,
            time: turn.time,
            rounds: self.view.deadline().rounds,
            current_offer: outcome.as_ref().map(|o| o.clone_ref(py)),
            current_proposer: offer.and_then(|o| o.from),
        };
        Ok((Bound::new(py, state)?, outcome))
    }
}

impl Agent for PyAgent {
    fn view(&self) -> &PartyView {
        &self.view
    }

    fn propose(&mut self, turn: &Turn) -> Outcome {
        let answer = Python::attach(|py| -> PyResult<Result<Outcome, String>> {
            let (state, _) = self.state(py, turn, None)?;
            let offer = self.call(py, intern!(py, "propose"), (state,))?;
            Ok(outcome_from_py(self.view.space(), &offer))
        });
        match answer {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(why)) => wrong("propose", format!("returned {why}")),
            Err(e) => fail("propose", "raised", &e),
        }
    }

    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer {
        let answer = Python::attach(|py| -> PyResult<Result<Answer, String>> {
            let (state, outcome) = self.state(py, turn, Some(offer))?;
            let reply = self.call(py, intern!(py, "respond"), (state, outcome))?;
            Ok(answer_from_py(&reply))
        });
        match answer {
            Ok(Ok(answer)) => answer,
            Ok(Err(why)) => wrong("respond", format!("returned {why}")),
            Err(e) => fail("respond", "raised", &e),
        }
    }

    fn vote(&mut self, turn: &Turn, candidate: &[u32], incumbent: &[u32]) -> bool {
        let answer = Python::attach(|py| -> PyResult<Result<bool, String>> {
            let (state, _) = self.state(py, turn, None)?;
            let (c, i) = (self.values.outcome(py, candidate)?, self.values.outcome(py, incumbent)?);
            let reply = self.call(py, intern!(py, "vote"), (state, c, i))?;
            Ok(reply.extract::<bool>().map_err(|_| format!("{}, not a bool", describe(&reply))))
        });
        match answer {
            Ok(Ok(vote)) => vote,
            Ok(Err(why)) => wrong("vote", format!("returned {why}")),
            Err(e) => fail("vote", "raised", &e),
        }
    }
}

/// What a Python agent is told when asked to act: NegMAS's names where NegMAS has one.
#[pyclass(module = "truce._truce", frozen, get_all)]
pub struct State {
    /// The round, from 0 (NegMAS: `step`).
    pub round: u32,
    /// Normalised time in `[0, 1]` (NegMAS: `relative_time`).
    pub time: f64,
    /// The deadline in rounds, when there is one (NegMAS: `n_steps`).
    pub rounds: Option<u32>,
    /// The offer answered, in `respond`.
    pub current_offer: Option<Py<PyTuple>>,
    /// The seat that made it (`None` for a mediator's text).
    pub current_proposer: Option<usize>,
}

#[pymethods]
impl State {
    /// NegMAS's name of `round`.
    #[getter]
    fn step(&self) -> u32 {
        self.round
    }

    /// NegMAS's name of `time`.
    #[getter]
    fn relative_time(&self) -> f64 {
        self.time
    }

    /// NegMAS's name of `rounds`.
    #[getter]
    fn n_steps(&self) -> Option<u32> {
        self.rounds
    }

    fn __repr__(&self) -> String {
        format!("<State round {} time {:.3}>", self.round, self.time)
    }
}

/// A Python agent's view of its seat: its own preferences (evaluated here, in Rust), its outcomes
/// best first, the public domain and the deadline.
#[pyclass(module = "truce._truce", frozen)]
pub struct AgentView {
    view: PartyView,
    values: Arc<Values>,
}

#[pymethods]
impl AgentView {
    /// The agent's seat (its party's position among the negotiators).
    #[getter]
    fn seat(&self) -> usize {
        self.view.seat()
    }

    /// How many parties negotiate.
    #[getter]
    fn parties(&self) -> usize {
        self.view.parties()
    }

    /// The deadline in rounds, when there is one.
    #[getter]
    fn rounds(&self) -> Option<u32> {
        self.view.deadline().rounds
    }

    /// The issues' names, in outcome order.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.view.space().issues().iter().map(|i| i.name.clone()).collect()
    }

    /// Each issue's values, in grid order (a discrete issue's options, an integer issue's integers, a
    /// real issue's grid).
    fn values(&self, py: Python<'_>) -> PyResult<Vec<Vec<Py<PyAny>>>> {
        let issues = self.view.space().issues();
        (0..issues.len())
            .map(|i| (0..issues[i].domain().cardinality()).map(|k| self.values.value(py, i, k)).collect())
            .collect()
    }

    /// This party's utility of `outcome` (a tuple of values in issue order, or a dict by issue name).
    fn utility(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let outcome = self.outcome(outcome)?;
        Ok(if self.view.space().is_outcome(&outcome) { self.view.utility(&outcome) } else { 0.0 })
    }

    /// Whether this party may agree to `outcome`: no red line broken, utility at least the
    /// reservation value.
    fn acceptable(&self, outcome: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.view.acceptable(&self.outcome(outcome)?))
    }

    /// The utility of no agreement.
    #[getter]
    fn reservation(&self) -> f64 {
        self.view.reservation()
    }

    /// How many outcomes this party's pool holds (every outcome it may agree to, in a small space).
    fn pool_size(&self) -> usize {
        self.view.pool().len()
    }

    /// The outcome of rank `rank` in this party's pool, best first (0: its best outcome).
    fn ranked(&self, py: Python<'_>, rank: usize) -> PyResult<Py<PyTuple>> {
        let pool = self.view.pool();
        if rank >= pool.len() {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "rank {rank} is past the pool's {} outcomes",
                pool.len()
            )));
        }
        self.values.outcome(py, pool.outcome(rank))
    }

    /// Every outcome of this party's pool, best first, each with its utility, as a read-only
    /// sequence of `(utility, outcome)` pairs made as they are read.
    fn ranking(&self) -> Ranking {
        Ranking { view: self.view.clone(), values: self.values.clone() }
    }

    /// The utility of the outcome of rank `rank`.
    fn ranked_utility(&self, rank: usize) -> Option<f64> {
        let pool = self.view.pool();
        (rank < pool.len()).then(|| pool.utility(rank))
    }

    /// The worst-ranked outcome worth at least `target` (the best outcome when none is).
    fn closest_above(&self, py: Python<'_>, target: f64) -> PyResult<Option<Py<PyTuple>>> {
        let pool = self.view.pool();
        if pool.is_empty() {
            return Ok(None);
        }
        self.values.outcome(py, pool.outcome(pool.closest_above(target))).map(Some)
    }

    /// The truthful vote: `candidate` over `incumbent` when it is at least as good.
    fn truthful_vote(&self, candidate: &Bound<'_, PyAny>, incumbent: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(truthful_vote(&self.view, &self.outcome(candidate)?, &self.outcome(incumbent)?))
    }
}

/// A party's pool, best first, as a read-only sequence of `(utility, outcome)` pairs: each pair is
/// made when it is read, so that an agent that keeps the ranking does not keep one Python tuple per
/// outcome (which the garbage collector would then walk again and again).
#[pyclass(module = "truce._truce", frozen, sequence)]
pub struct Ranking {
    view: PartyView,
    values: Arc<Values>,
}

#[pymethods]
impl Ranking {
    fn __len__(&self) -> usize {
        self.view.pool().len()
    }

    /// The pair of rank `index` (negative from the end), or a list of the pairs of a slice.
    fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let len = self.view.pool().len();
        if let Ok(slice) = index.cast::<PySlice>() {
            let range = slice.indices(isize::try_from(len).unwrap_or(isize::MAX))?;
            let mut pairs = Vec::with_capacity(range.slicelength);
            let mut k = range.start;
            for _ in 0..range.slicelength {
                pairs.push(self.pair(py, k.unsigned_abs())?);
                k += range.step;
            }
            return Ok(PyList::new(py, pairs)?.into_any().unbind());
        }
        let k: isize = index.extract()?;
        let at = if k < 0 { len.checked_sub(k.unsigned_abs()) } else { Some(k.unsigned_abs()) };
        match at.filter(|&at| at < len) {
            Some(at) => Ok(self.pair(py, at)?.into_any()),
            None => Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "rank {k} is outside the ranking's {len} outcomes"
            ))),
        }
    }

    /// The pairs in order, made one at a time (quicker than indexing one by one).
    fn __iter__(&self) -> RankingIter {
        RankingIter { ranking: Ranking { view: self.view.clone(), values: self.values.clone() }, next: 0 }
    }

    /// Every utility, best first, as a list of floats (no outcome made).
    fn utilities(&self) -> Vec<f64> {
        let pool = self.view.pool();
        (0..pool.len()).map(|k| pool.utility(k)).collect()
    }

    fn __repr__(&self) -> String {
        format!("<Ranking of {} outcomes>", self.view.pool().len())
    }
}

/// An iterator over a [`Ranking`]'s pairs, best first.
#[pyclass(module = "truce._truce")]
pub struct RankingIter {
    ranking: Ranking,
    next: usize,
}

#[pymethods]
impl RankingIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyTuple>>> {
        if self.next >= self.ranking.view.pool().len() {
            return Ok(None);
        }
        self.next += 1;
        self.ranking.pair(py, self.next - 1).map(Some)
    }
}

impl Ranking {
    fn pair(&self, py: Python<'_>, k: usize) -> PyResult<Py<PyTuple>> {
        let pool = self.view.pool();
        let outcome = self.values.outcome(py, pool.outcome(k))?;
        Ok(PyTuple::new(
            py,
            [pool.utility(k).into_pyobject(py)?.into_any(), outcome.into_bound(py).into_any()],
        )?
        .unbind())
    }
}

impl AgentView {
    fn outcome(&self, outcome: &Bound<'_, PyAny>) -> PyResult<Outcome> {
        outcome_from_py(self.view.space(), outcome).map_err(pyo3::exceptions::PyTypeError::new_err)
    }
}

/// The Python objects of an outcome space's values, made once per negotiation rather than once per
/// outcome handed to an agent (an issue with more than [`CACHED_VALUES`] values makes its values as
/// they are asked for).
pub struct Values {
    view: PartyView,
    cached: Vec<Option<Vec<Py<PyAny>>>>,
}

/// The most values of one issue [`Values`] keeps.
const CACHED_VALUES: u32 = 4096;

impl Values {
    fn of(py: Python<'_>, view: &PartyView) -> PyResult<Self> {
        let cached = view
            .space()
            .issues()
            .iter()
            .map(|issue| {
                let domain = issue.domain();
                (domain.cardinality() <= CACHED_VALUES)
                    .then(|| (0..domain.cardinality()).map(|k| value_to_py(py, domain, k)).collect())
                    .transpose()
            })
            .collect::<PyResult<_>>()?;
        Ok(Self { view: view.clone(), cached })
    }

    /// Value `k` of issue `i`.
    fn value(&self, py: Python<'_>, i: usize, k: u32) -> PyResult<Py<PyAny>> {
        match self.cached[i].as_ref().and_then(|values| values.get(k as usize)) {
            Some(v) => Ok(v.clone_ref(py)),
            None => value_to_py(py, self.view.space().issues()[i].domain(), k),
        }
    }

    /// An outcome (grid indices) as a tuple of values in issue order.
    fn outcome(&self, py: Python<'_>, outcome: &[u32]) -> PyResult<Py<PyTuple>> {
        let cached =
            |(i, &k): (usize, &u32)| self.cached[i].as_ref().and_then(|values| values.get(k as usize));
        if outcome.iter().enumerate().all(|at| cached(at).is_some()) {
            // The common case, made without an intermediate Vec.
            let values = outcome
                .iter()
                .enumerate()
                .map(|at| cached(at).map_or_else(|| py.None().into_bound(py), |v| v.bind(py).clone()));
            return Ok(PyTuple::new(py, values)?.unbind());
        }
        let values =
            outcome.iter().enumerate().map(|(i, &k)| self.value(py, i, k)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyTuple::new(py, values)?.unbind())
    }
}

/// A grid value as Python: a discrete issue's option (str), an integer (int), a real (float).
fn value_to_py(py: Python<'_>, domain: &IssueDomain, index: u32) -> PyResult<Py<PyAny>> {
    Ok(match domain.grid_value(index) {
        Some(Value::Int(v)) => v.into_pyobject(py)?.into_any().unbind(),
        Some(Value::Real(v)) => v.into_pyobject(py)?.into_any().unbind(),
        Some(v @ Value::Option(_)) => domain.format_value(v).into_pyobject(py)?.into_any().unbind(),
        None => py.None(),
    })
}

/// An outcome (grid indices) as a tuple of values in issue order.
pub fn outcome_to_py(py: Python<'_>, space: &OutcomeSpace, outcome: &[u32]) -> PyResult<Py<PyTuple>> {
    let values = space
        .issues()
        .iter()
        .zip(outcome)
        .map(|(issue, &k)| value_to_py(py, issue.domain(), k))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new(py, values)?.unbind())
}

/// Index of a value that is not in its issue: the engine refuses the outcome as outside the space.
const OUTSIDE: u32 = u32::MAX;

/// An outcome from Python: a tuple or list of values in issue order, or a dict by issue name. A value
/// that is not one of its issue's gives an outcome outside the space (for the engine to refuse); a
/// value of the wrong type, or the wrong number of values, is an error naming what was given.
pub fn outcome_from_py(space: &OutcomeSpace, value: &Bound<'_, PyAny>) -> Result<Outcome, String> {
    let issues = space.issues();
    let values: Vec<Bound<'_, PyAny>> = if let Ok(dict) = value.cast::<PyDict>() {
        let mut values = Vec::with_capacity(issues.len());
        for issue in issues {
            match dict.get_item(&issue.name) {
                Ok(Some(v)) => values.push(v),
                _ => {
                    return Err(format!(
                        "{}, which has no value for issue `{}`",
                        describe(value),
                        issue.name
                    ));
                }
            }
        }
        if dict.len() != issues.len() {
            return Err(format!("{}, which names issues the domain does not have", describe(value)));
        }
        values
    } else if value.is_instance_of::<PyString>() {
        return Err(format!("{}, not an outcome (a tuple of values in issue order)", describe(value)));
    } else if let Ok(seq) = value.extract::<Vec<Bound<'_, PyAny>>>() {
        if seq.len() != issues.len() {
            return Err(format!(
                "{} of {} values, but the domain has {} issues",
                describe(value),
                seq.len(),
                issues.len()
            ));
        }
        seq
    } else {
        return Err(format!("{}, not an outcome (a tuple of values in issue order)", describe(value)));
    };
    issues
        .iter()
        .zip(&values)
        .map(|(issue, v)| {
            let domain = issue.domain();
            let found = match domain {
                IssueDomain::Discrete(_) => match v.extract::<String>() {
                    Ok(name) => domain.option_index(&name),
                    Err(_) => return Err(wrong_value(&issue.name, v, "a str")),
                },
                IssueDomain::Integer(_) => {
                    if v.is_instance_of::<pyo3::types::PyBool>() {
                        return Err(wrong_value(&issue.name, v, "an int"));
                    }
                    match v.extract::<i64>() {
                        Ok(k) => domain.grid_index(Value::Int(k)),
                        Err(_) => return Err(wrong_value(&issue.name, v, "an int")),
                    }
                }
                IssueDomain::Real(_) => match v.extract::<f64>() {
                    Ok(x) => domain.grid_index(Value::Real(x)),
                    Err(_) => return Err(wrong_value(&issue.name, v, "a float")),
                },
            };
            Ok(found.unwrap_or(OUTSIDE))
        })
        .collect()
}

fn wrong_value(issue: &str, v: &Bound<'_, PyAny>, expected: &str) -> String {
    format!("an outcome whose value for issue `{issue}` is {}, not {expected}", describe(v))
}

/// `'north' (str)`: a value and its type, for messages.
fn describe(v: &Bound<'_, PyAny>) -> String {
    let repr = v.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".into());
    let repr = if repr.chars().count() > 60 {
        format!("{}...", repr.chars().take(57).collect::<String>())
    } else {
        repr
    };
    let kind = v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    format!("{repr} ({kind})")
}

/// An answer from Python: a `truce.Response` (NegMAS's `ResponseType` numbering: 0 accept, 1 reject,
/// 2 end), a bool (accept or reject), or NegMAS's names as strings.
fn answer_from_py(reply: &Bound<'_, PyAny>) -> Result<Answer, String> {
    if let Ok(b) = reply.cast::<pyo3::types::PyBool>() {
        return Ok(if b.is_true() { Answer::Accept } else { Answer::Reject });
    }
    if let Ok(k) = reply.extract::<i64>() {
        return match k {
            0 => Ok(Answer::Accept),
            1 => Ok(Answer::Reject),
            2 => Ok(Answer::End),
            _ => Err(format!("{}, not a Response (0 accept, 1 reject, 2 end)", describe(reply))),
        };
    }
    if let Ok(name) = reply.getattr("name").and_then(|n| n.extract::<String>()) {
        return match name.as_str() {
            "ACCEPT_OFFER" | "ACCEPT" => Ok(Answer::Accept),
            "REJECT_OFFER" | "REJECT" => Ok(Answer::Reject),
            "END_NEGOTIATION" | "END" => Ok(Answer::End),
            _ => Err(format!("{}, not a Response", describe(reply))),
        };
    }
    Err(format!("{}, not a Response (accept, reject or end)", describe(reply)))
}

/// Registers the agent classes in the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<State>()?;
    m.add_class::<AgentView>()?;
    m.add_class::<Ranking>()?;
    m.add_class::<RankingIter>()?;
    Ok(())
}
