//! Evaluating a proposal, or any outcome given by the caller, against every negotiator's preferences.
//!
//! A proposal may leave issues open (no term, an explicit open term, or a range of values): it is then
//! evaluated as the set of its *completions*. Each party's utility becomes a range (its worst and best
//! completion, red lines ignored); each red line holds for every completion, for none, or depends on
//! the open issues; and the proposal is acceptable to a party when every completion is, unacceptable
//! when none is, and otherwise depends on how the open issues are settled. For a partial proposal the
//! best completion acceptable to every party (by Nash product) is given; for a complete one, whether
//! it is Pareto-dominated and by which outcome, and its distance to the frontier and to the Nash point.

use truce_model::{
    Case, IssueDomain, IssueId, OutcomeSpace, PartialDate, PartyId, Proposal, ProposalId, TermValue, Value,
};

use crate::AnalysisError;
use crate::engine::Engine;
use crate::frontier::enumerate::Grid;
use crate::frontier::{FrontierPoint, Method};
use crate::problem::{NotAdditive, Problem, RedLineRef, Restriction, compile, red_lines_in_force};
use crate::rank::Rank;
use crate::solutions;
use crate::zone::{RESERVATION_TOLERANCE, reaches};

/// What is evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A proposal of the case.
    Proposal(ProposalId),
    /// An outcome given by the caller, with the caller's label for it.
    Outcome(String),
}

/// How a proposal or a given outcome settles one issue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting {
    /// A definite value (possibly off the issue's grid).
    Set(Value),
    /// Any grid value from the first to the second, both included (an ordered issue).
    Range(Value, Value),
    /// Not settled.
    Open,
}

impl Setting {
    /// The settings of a proposal, one per issue of `space`.
    #[must_use]
    pub fn of_proposal(space: &OutcomeSpace, proposal: &Proposal) -> Vec<Self> {
        let mut out = vec![Self::Open; space.len()];
        for term in &proposal.terms {
            if let Some(slot) = out.get_mut(term.issue.index()) {
                *slot = match term.value {
                    TermValue::Set { value } => Self::Set(value),
                    TermValue::Range { min, max } => Self::Range(min, max),
                    TermValue::Open => Self::Open,
                };
            }
        }
        out
    }

    /// Settings from text such as `withdrawal=full, aid_trucks_per_day=600, ratio=30..50`: issue
    /// names, `=`, an option name or a number, or a range `low..high`. Issues not named are open.
    ///
    /// # Errors
    /// A message naming the part that cannot be read and what was expected.
    pub fn parse(space: &OutcomeSpace, text: &str) -> Result<Vec<Self>, String> {
        let mut out = vec![Self::Open; space.len()];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, value)) = part.split_once('=') else {
                return Err(format!("`{part}`: expected `issue=value`"));
            };
            let (name, value) = (name.trim(), value.trim());
            let Some(id) = space.issue_id(name) else {
                let names: Vec<&str> = space.issues().iter().map(|i| i.name.as_str()).collect();
                return Err(format!("`{name}` is not an issue; the issues are: {}", names.join(", ")));
            };
            let issue = space.issue(id);
            let read = |text: &str| {
                parse_value(issue.domain(), text).ok_or_else(|| {
                    format!("`{text}` is not a value of `{name}`: expected {}", issue.domain().expected())
                })
            };
            out[id.index()] = match value.split_once("..") {
                Some((lo, hi)) if issue.domain().is_ordered() => {
                    Self::Range(read(lo.trim())?, read(hi.trim())?)
                }
                _ => Self::Set(read(value)?),
            };
        }
        Ok(out)
    }
}

fn parse_value(domain: &IssueDomain, text: &str) -> Option<Value> {
    let value = match domain {
        IssueDomain::Discrete(_) => Value::Option(domain.option_index(text)?),
        IssueDomain::Integer(_) => Value::Int(text.parse().ok()?),
        IssueDomain::Real(_) => Value::Real(text.parse().ok().filter(|x: &f64| x.is_finite())?),
    };
    domain.contains(value).then_some(value)
}

/// Whether something is acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Acceptable however its open issues are settled.
    Acceptable,
    /// Unacceptable however its open issues are settled.
    Unacceptable,
    /// Acceptable for some completions of its open issues, not for others.
    Depends,
    /// Cannot be decided: a utility cannot be evaluated (a value off a table-scored issue's grid).
    Unknown,
}

impl Verdict {
    /// The verdict as written in reports (`acceptable`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acceptable => "acceptable",
            Self::Unacceptable => "unacceptable",
            Self::Depends => "depends",
            Self::Unknown => "unknown",
        }
    }
}

/// A red line a proposal breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Breach {
    /// The red line's position in its party's list.
    pub red_line: usize,
    /// The issues it reads that the proposal settles (the terms that break it).
    pub terms: Vec<IssueId>,
    /// The issues it reads that the proposal leaves open.
    pub open: Vec<IssueId>,
}

/// A range of utilities.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UtilityRange {
    /// The lowest.
    pub low: f64,
    /// The highest.
    pub high: f64,
}

/// One party's view of an evaluated proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyEvaluation {
    /// The party.
    pub party: PartyId,
    /// Its utility (a single value when the proposal is complete); `None` when it cannot be evaluated.
    pub utility: Option<UtilityRange>,
    /// Whether `utility` is exact (it is estimated from samples for huge non-additive spaces).
    pub utility_exact: bool,
    /// Percentile ranks of the low and high ends of `utility` among all outcomes.
    pub rank: Option<(Rank, Rank)>,
    /// Red lines broken however the open issues are settled.
    pub broken: Vec<Breach>,
    /// Red lines broken by some completions only.
    pub at_risk: Vec<Breach>,
    /// Whether the party can accept it.
    pub verdict: Verdict,
}

/// An outcome that is better for every party.
#[derive(Clone, Debug, PartialEq)]
pub struct Dominance {
    /// The dominating outcome (a frontier point).
    pub by: FrontierPoint,
    /// What each party gains.
    pub gains: Vec<f64>,
    /// The issues whose values change, with the proposal's and the dominating outcome's values.
    pub changes: Vec<Change>,
    /// Whether the dominating outcome breaks no red line (otherwise only outcomes that break some
    /// red line dominate the proposal).
    pub respects_red_lines: bool,
}

/// One issue changed between two packages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The issue.
    pub issue: IssueId,
    /// Its value before (`None`: the issue was open).
    pub from: Option<Value>,
    /// Its value after.
    pub to: Value,
}

/// The changes that turn `settings` into `outcome`.
pub(crate) fn changes(settings: &[Setting], outcome: &[Value]) -> Vec<Change> {
    settings
        .iter()
        .zip(outcome)
        .enumerate()
        .filter_map(|(i, (s, &to))| {
            let from = match s {
                Setting::Set(v) => Some(*v),
                Setting::Range(..) | Setting::Open => None,
            };
            (from != Some(to)).then_some(Change { issue: IssueId::from_index(i), from, to })
        })
        .collect()
}

/// A proposal (or given outcome) evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// What was evaluated.
    pub subject: Subject,
    /// The date whose red lines it was judged by: the proposal's date, else the analysis date (see
    /// [`Analysis::at`](crate::Analysis::at)). Red lines not in force then are not counted.
    pub date: Option<PartialDate>,
    /// How it settles each issue.
    pub settings: Vec<Setting>,
    /// Whether every issue is settled to one value.
    pub complete: bool,
    /// Each negotiator's view, in case order.
    pub parties: Vec<PartyEvaluation>,
    /// Whether every negotiator can accept it.
    pub verdict: Verdict,
    /// Complete proposals: the outcome that improves on it for every party by the largest smallest
    /// gain, if any.
    pub dominated_by: Option<Dominance>,
    /// Complete proposals: Euclidean distance in utility space to the nearest point of the frontier
    /// within the red lines.
    pub frontier_distance: Option<f64>,
    /// Complete proposals: Euclidean distance to the Nash point.
    pub nash_distance: Option<f64>,
    /// Partial proposals: the completion acceptable to every party with the largest Nash product.
    pub best_completion: Option<FrontierPoint>,
    /// Anything the reader must know (ranges without grid values, values that cannot be scored).
    pub notes: Vec<String>,
}

/// Restrictions for `settings`, with notes on anything that could not be followed.
pub(crate) fn restrictions(space: &OutcomeSpace, settings: &[Setting]) -> (Vec<Restriction>, Vec<String>) {
    let mut notes = Vec::new();
    let r = settings
        .iter()
        .zip(space.issues())
        .map(|(s, issue)| match *s {
            Setting::Set(v) => Restriction::Pinned(v),
            Setting::Open => Restriction::Free,
            Setting::Range(lo, hi) => {
                let d = issue.domain();
                let mask: Vec<bool> = (0..d.cardinality())
                    .map(|k| {
                        d.grid_value(k).is_some_and(|v| {
                            d.compare(lo, v).is_some_and(|o| o.is_le())
                                && d.compare(v, hi).is_some_and(|o| o.is_le())
                        })
                    })
                    .collect();
                if mask.iter().any(|&m| m) {
                    Restriction::Allowed(mask)
                } else {
                    notes.push(format!(
                        "the range {}..{} of `{}` holds no grid value: the issue is treated as open",
                        issue.format_value(lo),
                        issue.format_value(hi),
                        issue.name
                    ));
                    Restriction::Free
                }
            }
        })
        .collect();
    (r, notes)
}

/// Whether a red line holds for every completion, for none, or depends on the open issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Holds,
    Broken,
    Depends,
}

fn status(problem: &Problem<'_>, r: RedLineRef, limit: u64) -> Status {
    let constraint = problem.constraint(r);
    let space = problem.domain.space();
    let issues: Vec<usize> = constraint.issues().iter().map(|i| i.index()).collect();
    let values: Vec<Vec<Value>> = issues.iter().map(|&i| problem.candidate_values(i)).collect();
    let count = values.iter().try_fold(1u64, |acc, v| acc.checked_mul(v.len() as u64));
    if count.is_none_or(|c| c > limit) {
        return Status::Depends;
    }
    if values.iter().any(Vec::is_empty) {
        return Status::Broken;
    }
    let (mut holds, mut breaks) = (false, false);
    let mut index = vec![0usize; issues.len()];
    loop {
        let value = |id: IssueId| issues.iter().position(|&i| i == id.index()).map(|k| values[k][index[k]]);
        if constraint.eval(space, &value) == Some(true) {
            holds = true;
        } else {
            breaks = true;
        }
        // Odometer over the joint values.
        let mut k = issues.len();
        loop {
            if k == 0 {
                return match (holds, breaks) {
                    (true, false) => Status::Holds,
                    (false, _) => Status::Broken,
                    _ => Status::Depends,
                };
            }
            k -= 1;
            index[k] += 1;
            if index[k] < values[k].len() {
                break;
            }
            index[k] = 0;
        }
    }
}

/// Each party's lowest and highest utility over the problem's outcomes (red lines ignored), and
/// whether they are exact; `None` when a utility cannot be scored.
pub(crate) fn ranges(
    engine: &Engine<'_>,
    problem: &Problem<'_>,
) -> Result<Option<(Vec<UtilityRange>, bool)>, AnalysisError> {
    let n = problem.len();
    Ok(match compile(problem, &engine.limits) {
        Ok(additive) => {
            let issues = problem.domain.space().len();
            let mut out = Vec::with_capacity(n);
            for p in 0..n {
                let extreme = |better: fn(i64, i64) -> bool| -> Option<f64> {
                    let mut best: Option<(i64, Vec<Value>)> = None;
                    for group in additive.groups.iter().filter(|g| !g.is_empty()) {
                        let mut total = 0;
                        let choices: Vec<u32> = group
                            .blocks
                            .iter()
                            .map(|b| {
                                let mut pick = 0;
                                for c in 1..b.points.len() {
                                    if better(b.points.point(c)[p], b.points.point(pick)[p]) {
                                        pick = c;
                                    }
                                }
                                total += b.points.point(pick)[p];
                                u32::try_from(pick).unwrap_or(u32::MAX)
                            })
                            .collect();
                        if best.as_ref().is_none_or(|(t, _)| better(total, *t)) {
                            best = Some((total, group.outcome(issues, &choices)));
                        }
                    }
                    best.and_then(|(_, o)| problem.utilities(&o)).map(|u| u[p])
                };
                let (Some(high), Some(low)) = (extreme(|a, b| a > b), extreme(|a, b| a < b)) else {
                    return Ok(None);
                };
                out.push(UtilityRange { low, high });
            }
            Some((out, true))
        }
        Err(NotAdditive::Unscorable(_)) => None,
        Err(_) => {
            let Some(grid) = Grid::new(problem) else { return Ok(None) };
            let fold = |acc: &mut Option<Vec<UtilityRange>>, u: Vec<f64>| match acc {
                None => *acc = Some(u.iter().map(|&x| UtilityRange { low: x, high: x }).collect()),
                Some(r) => {
                    for (i, x) in r.iter_mut().zip(u) {
                        i.low = i.low.min(x);
                        i.high = i.high.max(x);
                    }
                }
            };
            if grid.size() <= engine.limits.enumeration {
                let r = grid.fold(
                    || None,
                    |acc, _, outcome| {
                        if let Some(u) = problem.utilities(outcome) {
                            fold(acc, u);
                        }
                    },
                    |a, b| match (a, b) {
                        (None, x) | (x, None) => x,
                        (Some(mut a), Some(b)) => {
                            for (x, y) in a.iter_mut().zip(b) {
                                x.low = x.low.min(y.low);
                                x.high = x.high.max(y.high);
                            }
                            Some(a)
                        }
                    },
                    &crate::Silent,
                );
                r.map(|r| (r, true))
            } else {
                // Too many completions to enumerate: the extremes of the frontier and of samples.
                let solved = engine.solve(problem)?;
                let mut acc = None;
                for p in solved.points {
                    fold(&mut acc, p.utilities);
                }
                acc.map(|r| (r, false))
            }
        }
    })
}

/// Evaluates `settings` for every negotiator by the red lines in force at `date`. Ranks are filled in
/// later, in one batch.
pub(crate) fn evaluate(
    engine: &Engine<'_>,
    subject: Subject,
    settings: Vec<Setting>,
    date: Option<PartialDate>,
    feasible: &[FrontierPoint],
    full: &[FrontierPoint],
    nash: Option<&FrontierPoint>,
) -> Result<Evaluation, AnalysisError> {
    let domain = &engine.case.domain;
    let space = domain.space();
    let (restrictions, mut notes) = restrictions(space, &settings);
    let complete = settings.iter().all(|s| matches!(s, Setting::Set(_)));
    let n = engine.prefs.len();
    let mut open = Problem::unrestricted(domain, engine.prefs.clone());
    open.restrictions = restrictions;
    // A proposal made part-way through an agreement is evaluated against what is left then.
    let open = open.within_what_is_held(engine.case, date);
    let in_force = red_lines_in_force(&engine.prefs, date);
    let constrained = open.clone().with_red_lines(in_force.clone());
    let limit = engine.limits.conditioning;
    let ranges = ranges(engine, &open)?;
    if ranges.is_none() {
        notes.push("some utilities cannot be evaluated: a value is off the grid of an issue scored by a table, or a belief depends on it".into());
    }
    let mut parties = Vec::with_capacity(n);
    for p in 0..n {
        let prefs = &engine.prefs[p];
        let (mut broken, mut at_risk) = (Vec::new(), Vec::new());
        let mut all_hold = true;
        for (index, red_line) in prefs.red_lines.iter().enumerate() {
            let r = RedLineRef { party: p, index };
            if !in_force.contains(&r) {
                continue;
            }
            let issues = red_line.rule.issues();
            let (terms, open_issues): (Vec<IssueId>, Vec<IssueId>) =
                issues.iter().partition(|i| matches!(settings[i.index()], Setting::Set(_)));
            let breach = Breach { red_line: index, terms, open: open_issues };
            match status(&constrained, r, limit) {
                Status::Holds => {}
                Status::Broken => {
                    all_hold = false;
                    broken.push(breach);
                }
                Status::Depends => {
                    all_hold = false;
                    at_risk.push(breach);
                }
            }
        }
        let range = ranges.as_ref().map(|(r, _)| r[p]);
        let d = prefs.reservation - RESERVATION_TOLERANCE;
        let verdict = if !broken.is_empty() {
            Verdict::Unacceptable
        } else if let Some(range) = range {
            if all_hold && range.low >= d {
                Verdict::Acceptable
            } else if range.high < d {
                Verdict::Unacceptable
            } else if all_hold {
                Verdict::Depends
            } else {
                // Red lines and utility together: the best completion within this party's red lines.
                let mut own = Problem::unrestricted(domain, vec![prefs.clone()]);
                own.restrictions = open.restrictions.clone();
                own.red_lines = in_force
                    .iter()
                    .filter(|r| r.party == p)
                    .map(|r| RedLineRef { party: 0, index: r.index })
                    .collect();
                let best = engine.solve(&own)?.points.first().map(|f| f.utilities[0]);
                if best.is_none_or(|b| b < d) { Verdict::Unacceptable } else { Verdict::Depends }
            }
        } else {
            Verdict::Unknown
        };
        parties.push(PartyEvaluation {
            party: engine.parties[p],
            utility: range,
            utility_exact: ranges.as_ref().is_some_and(|(_, e)| *e),
            rank: None,
            broken,
            at_risk,
            verdict,
        });
    }
    let verdicts: Vec<Verdict> = parties.iter().map(|v| v.verdict).collect();
    let mut verdict = if verdicts.contains(&Verdict::Unacceptable) {
        Verdict::Unacceptable
    } else if verdicts.contains(&Verdict::Unknown) {
        Verdict::Unknown
    } else if verdicts.iter().all(|&v| v == Verdict::Acceptable) {
        Verdict::Acceptable
    } else {
        Verdict::Depends
    };
    let mut evaluation = Evaluation {
        subject,
        date,
        settings,
        complete,
        parties,
        verdict,
        dominated_by: None,
        frontier_distance: None,
        nash_distance: None,
        best_completion: None,
        notes,
    };
    if complete {
        let values: Vec<Value> = evaluation
            .settings
            .iter()
            .filter_map(|s| match s {
                Setting::Set(v) => Some(*v),
                _ => None,
            })
            .collect();
        if let Some(u) = open.utilities(&values) {
            evaluation.dominated_by = dominance(&u, &evaluation.settings, feasible, true)
                .or_else(|| dominance(&u, &evaluation.settings, full, false));
            evaluation.frontier_distance =
                feasible.iter().map(|f| distance(&f.utilities, &u)).min_by(f64::total_cmp);
            evaluation.nash_distance = nash.map(|f| distance(&f.utilities, &u));
        }
    } else if verdict != Verdict::Unacceptable && verdict != Verdict::Unknown {
        let solved = engine.solve(&constrained)?;
        let zone: Vec<FrontierPoint> =
            solved.points.into_iter().filter(|f| reaches(&constrained, &f.utilities)).collect();
        let d: Vec<f64> = engine.prefs.iter().map(|p| p.reservation).collect();
        let utilities: Vec<&[f64]> = zone.iter().map(|f| f.utilities.as_slice()).collect();
        match solutions::nash(&utilities, &d) {
            Some(choice) => evaluation.best_completion = Some(zone[choice.index].clone()),
            None => verdict = Verdict::Unacceptable,
        }
        if !matches!(solved.method, Method::Minkowski { .. } | Method::Enumeration { .. }) {
            evaluation.notes.push("the best completion was found by an approximate search".into());
        }
        evaluation.verdict = verdict;
    }
    Ok(evaluation)
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// Rounded to 12 decimals, for dominance tests between reported utilities.
fn round12(x: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let k = (x * 1e12).round() as i64;
    k
}

/// The point of `frontier` dominating `u` with the largest smallest gain (ties: the largest total
/// gain, then the first).
fn dominance(
    u: &[f64],
    settings: &[Setting],
    frontier: &[FrontierPoint],
    respects_red_lines: bool,
) -> Option<Dominance> {
    let mut best: Option<(f64, f64, usize)> = None;
    for (i, f) in frontier.iter().enumerate() {
        let (mut ge, mut gt) = (true, false);
        for (&a, &b) in f.utilities.iter().zip(u) {
            let (a, b) = (round12(a), round12(b));
            ge &= a >= b;
            gt |= a > b;
        }
        if !(ge && gt) {
            continue;
        }
        let gains: Vec<f64> = f.utilities.iter().zip(u).map(|(a, b)| a - b).collect();
        let min = gains.iter().copied().fold(f64::INFINITY, f64::min);
        let sum: f64 = gains.iter().sum();
        if best.is_none_or(|(m, s, _)| min > m + 1e-12 || (min >= m - 1e-12 && sum > s + 1e-12)) {
            best = Some((min, sum, i));
        }
    }
    best.map(|(_, _, i)| {
        let by = frontier[i].clone();
        Dominance {
            gains: by.utilities.iter().zip(u).map(|(a, b)| a - b).collect(),
            changes: changes(settings, &by.outcome),
            by,
            respects_red_lines,
        }
    })
}

/// The subject's label for people: a proposal's id, or the caller's label.
#[must_use]
pub fn label<'a>(case: &'a Case, subject: &'a Subject) -> &'a str {
    match subject {
        Subject::Proposal(id) => &case.proposal(*id).id,
        Subject::Outcome(label) => label,
    }
}

/// `issue=value` pairs of an outcome given by its values, for people (`aid=600, withdrawal=partial`).
#[must_use]
pub fn describe(space: &OutcomeSpace, values: &[Value]) -> String {
    space
        .issues()
        .iter()
        .zip(values)
        .map(|(i, &v)| format!("{}={}", i.name, i.format_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}
