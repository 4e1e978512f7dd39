//! The analysis of a whole case: the builder [`Analysis`] and its result, [`Findings`].

use num_bigint::BigUint;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_model::{Case, PartialDate, PartyId, ProposalId, Severity, Value};

use crate::bridging::{self, Bridging};
use crate::engine::Engine;
use crate::evaluate::{self, Evaluation, Setting, Subject};
use crate::frontier::enumerate::Grid;
use crate::frontier::{FrontierPoint, Method, solve, solve_compiled};
use crate::problem::{compile, red_lines_in_force};
use crate::rank::{self, Query};
use crate::record::{self, RecordCheck};
use crate::sensitivity::{self, Sensitivity};
use crate::solutions::{self, Choice};
use crate::zone::{self, Size, reaches};
use crate::{AnalysisError, Limits, Progress, Silent, Stage};

/// Outcomes plotted one by one at most; larger spaces are sampled.
const CLOUD_POINTS: u64 = 20_000;

/// An analysis of a case, configured by its builder methods and made by [`Analysis::run`].
///
/// ```
/// # use truce_analysis::Analysis;
/// # fn demo(case: &truce_model::Case) -> Result<(), truce_analysis::AnalysisError> {
/// let findings = Analysis::new(case).with_bridging(3).with_sensitivity(true).run()?;
/// println!("{} frontier points", findings.frontier.points.len());
/// # Ok(()) }
/// ```
pub struct Analysis<'a> {
    case: &'a Case,
    date: Option<PartialDate>,
    outcomes: Vec<(String, Vec<Setting>)>,
    bridging: usize,
    sensitivity: bool,
    cloud: bool,
    limits: Limits,
    seed: u64,
    progress: &'a dyn Progress,
}

impl<'a> Analysis<'a> {
    /// An analysis of `case`: frontiers, zone of agreement, solutions and the case's proposals; no
    /// bridging packages and no sensitivity unless asked for.
    #[must_use]
    pub fn new(case: &'a Case) -> Self {
        Self {
            case,
            date: case.as_of,
            outcomes: Vec::new(),
            bridging: 0,
            sensitivity: false,
            cloud: true,
            limits: Limits::default(),
            seed: 0,
            progress: &Silent,
        }
    }

    /// The date to analyse the case at (default: the case's `as_of`). Red lines count as they stand
    /// at that date ([`truce_model::RedLine::in_force_at`]) for the zone of agreement, the solutions,
    /// bridging and sensitivity; with no date, the red lines still in force at the end of the record
    /// (those without `until`) count. Each proposal is judged by the red lines in force on its own
    /// date, and each recorded response by those in force on the response's date.
    #[must_use]
    pub fn at(mut self, date: Option<PartialDate>) -> Self {
        self.date = date;
        self
    }

    /// Also evaluate this outcome (possibly partial), under the given label.
    #[must_use]
    pub fn with_outcome(mut self, label: impl Into<String>, settings: Vec<Setting>) -> Self {
        self.outcomes.push((label.into(), settings));
        self
    }

    /// Propose the `k` best bridging packages each way (or, when no outcome is acceptable to all, the
    /// red lines in the way). 0 turns bridging off.
    #[must_use]
    pub fn with_bridging(mut self, k: usize) -> Self {
        self.bridging = k;
        self
    }

    /// Whether to compute the sensitivity of the Nash point and of proposals' acceptability to
    /// weights and reservation values (many frontier computations: off by default).
    #[must_use]
    pub fn with_sensitivity(mut self, on: bool) -> Self {
        self.sensitivity = on;
        self
    }

    /// Whether to collect [`Findings::cloud`], the utilities of every outcome (or of a sample of
    /// 20,000) for plots: on by default; off leaves it empty and saves evaluating those outcomes.
    #[must_use]
    pub fn with_cloud(mut self, on: bool) -> Self {
        self.cloud = on;
        self
    }

    /// Size limits of the exact methods.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The seed of every random choice (samples for estimates and approximations). Default 0.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Where to report progress.
    #[must_use]
    pub fn with_progress(mut self, progress: &'a dyn Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Runs the analysis.
    ///
    /// # Errors
    /// [`AnalysisError::InvalidCase`] if the case has validation errors, [`AnalysisError::NoNegotiators`]
    /// if no negotiating party has preferences, [`AnalysisError::InvalidOutcome`] for a given outcome
    /// that does not fit the case, [`AnalysisError::TooLarge`] when a frontier outgrows the limits.
    pub fn run(self) -> Result<Findings, AnalysisError> {
        let case = self.case;
        let problems: Vec<_> =
            case.validate().into_iter().filter(|p| p.severity == Severity::Error).collect();
        if !problems.is_empty() {
            return Err(AnalysisError::InvalidCase { problems });
        }
        let (parties, prefs): (Vec<PartyId>, Vec<_>) =
            case.negotiators().map(|(id, p)| (id, p.clone())).unzip();
        if parties.is_empty() {
            return Err(AnalysisError::NoNegotiators);
        }
        check_issue_sizes(case, &self.limits)?;
        for (label, settings) in &self.outcomes {
            if settings.len() != case.space().len() {
                return Err(AnalysisError::InvalidOutcome {
                    label: label.clone(),
                    reason: format!("{} settings for {} issues", settings.len(), case.space().len()),
                });
            }
        }
        let engine = Engine {
            case,
            parties,
            prefs,
            date: self.date,
            limits: self.limits,
            seed: self.seed,
            progress: self.progress,
        };
        let n = engine.prefs.len();
        let mut notes = Vec::new();
        if n < 2 {
            notes.push("only one negotiating party has preferences: frontiers and solutions are that party's best outcomes".into());
        }
        // Frontiers: over every outcome, and within the red lines.
        // Without red lines in force the two are one problem: compiled and solved once.
        let open = engine.problem();
        let open_compiled = compile(&open, &engine.limits);
        let full = solve_compiled(&open, &open_compiled, &engine.limits, engine.seed, engine.progress)?;
        let constrained = engine.constrained();
        let has_red_lines = !constrained.red_lines.is_empty();
        let constrained_compiled = has_red_lines.then(|| compile(&constrained, &engine.limits));
        let within = match &constrained_compiled {
            Some(compiled) => {
                Some(solve_compiled(&constrained, compiled, &engine.limits, engine.seed, engine.progress)?)
            }
            None => None,
        };
        let feasible = within.as_ref().unwrap_or(&full);
        for (what, method) in
            [("frontier", &full.method), ("frontier within the red lines", &feasible.method)]
        {
            if let Method::Sampling { samples, reason, .. } = method {
                notes.push(format!(
                    "the {what} is approximate ({reason}): {samples} sampled outcomes improved by local search; points of the true frontier may be missing"
                ));
            }
        }
        let best: Vec<f64> = (0..n)
            .map(|p| full.points.iter().map(|f| f.utilities[p]).fold(f64::NEG_INFINITY, f64::max))
            .map(|b| if b.is_finite() { b } else { 0.0 })
            .collect();
        // Zone of agreement.
        let d: Vec<f64> = engine.prefs.iter().map(|p| p.reservation).collect();
        let zone_points: Vec<FrontierPoint> =
            feasible.points.iter().filter(|f| reaches(&constrained, &f.utilities)).cloned().collect();
        let size = zone::size(
            &constrained,
            constrained_compiled.as_ref().unwrap_or(&open_compiled).as_ref().ok(),
            &engine.limits,
            engine.seed,
            engine.progress,
        );
        if !size.is_exact() {
            notes.push(
                "the size of the zone of agreement is estimated from samples (95% interval given)".into(),
            );
        }
        // Solutions.
        engine.progress.start(Stage::Solutions, 4);
        let utilities: Vec<&[f64]> = zone_points.iter().map(|f| f.utilities.as_slice()).collect();
        let pick = |choice: Option<Choice>| {
            choice.map(|c| Solution { value: c.value, point: zone_points[c.index].clone() })
        };
        let solutions = Solutions {
            nash: pick(solutions::nash(&utilities, &d)),
            kalai_smorodinsky: pick(solutions::kalai_smorodinsky(&utilities, &d)),
            egalitarian: pick(solutions::egalitarian(&utilities, &d)),
            max_welfare: pick(solutions::max_welfare(&utilities, &d)),
        };
        let opposition = solutions::opposition(&utilities, &best);
        engine.progress.finish();
        // Proposals and given outcomes.
        // Each proposal is judged by the red lines in force on its date; given outcomes at the
        // analysis date.
        let subjects: Vec<(Subject, Vec<Setting>, Option<PartialDate>)> = case
            .proposals
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let subject = Subject::Proposal(ProposalId::from_index(k));
                (subject, Setting::of_proposal(case.space(), p), p.date.or(self.date))
            })
            .chain(
                self.outcomes
                    .iter()
                    .map(|(label, s)| (Subject::Outcome(label.clone()), s.clone(), self.date)),
            )
            .collect();
        engine.progress.start(Stage::Proposals, subjects.len() as u64);
        let mut evaluations = Vec::with_capacity(subjects.len());
        for (subject, settings, date) in subjects {
            evaluations.push(evaluate::evaluate(
                &engine,
                subject,
                settings,
                date,
                &feasible.points,
                &full.points,
                solutions.nash.as_ref().map(|s| &s.point),
            )?);
            engine.progress.advance(1);
        }
        let mut queries = Vec::new();
        for e in &evaluations {
            for (p, view) in e.parties.iter().enumerate() {
                if let Some(u) = view.utility {
                    queries.push(Query { party: p, utility: u.low });
                    queries.push(Query { party: p, utility: u.high });
                }
            }
        }
        let ranks =
            rank::ranks(&open, open_compiled.as_ref().ok(), &queries, &engine.limits, engine.seed, &Silent);
        let mut next = ranks.into_iter();
        for e in &mut evaluations {
            for view in &mut e.parties {
                if view.utility.is_some()
                    && let (Some(low), Some(high)) = (next.next(), next.next())
                {
                    view.rank = Some((low, high));
                }
            }
        }
        engine.progress.finish();
        // Bridging.
        let bridging = if self.bridging == 0 {
            None
        } else {
            engine.progress.start(Stage::Bridging, 0);
            let anchors = bridging::anchors(&engine, &evaluations, &best);
            let b = if zone_points.is_empty() {
                bridging::relaxations(&engine, anchors, self.bridging)?
            } else {
                let (by_nash, by_concession) =
                    bridging::packages(&engine, &zone_points, &anchors, self.bridging);
                Bridging::Packages { anchors, by_nash, by_concession }
            };
            engine.progress.finish();
            Some(b)
        };
        // Who must approve: each text against the constituencies' red lines in force on its date.
        let approvals: Vec<Vec<crate::PartyApproval>> =
            evaluations.iter().map(|e| crate::approvals(case, &e.settings, e.date)).collect();
        let mut bridging = bridging;
        if let Some(b) = &mut bridging {
            let date = self.date;
            let with_approvals = |packages: &mut Vec<bridging::Package>| {
                for p in packages {
                    p.approvals = crate::approvals(case, &crate::settings_of(&p.point.outcome), date);
                }
            };
            match b {
                Bridging::Packages { by_nash, by_concession, .. } => {
                    with_approvals(by_nash);
                    with_approvals(by_concession);
                }
                Bridging::Blocked { if_relaxed, .. } => {
                    for r in if_relaxed {
                        with_approvals(&mut r.by_nash);
                        with_approvals(&mut r.by_concession);
                    }
                }
            }
        }
        let sensitivity = if self.sensitivity {
            Some(sensitivity::sensitivity(&engine, &evaluations, &best, engine.progress)?)
        } else {
            None
        };
        let judged = judge_responses(&engine, &evaluations, &feasible.points, &full.points)?;
        let record = record::check(case, &engine.parties, &d, &judged);
        let cloud = if self.cloud {
            cloud(&engine, &constrained)
        } else {
            Cloud { utilities: Vec::new(), acceptable: Vec::new(), complete: false }
        };
        let parties = engine
            .parties
            .iter()
            .enumerate()
            .map(|(p, &party)| PartyFacts {
                party,
                reservation: d[p],
                best: best[p],
                zone_best: zone_points
                    .iter()
                    .map(|f| f.utilities[p])
                    .fold(None, |acc: Option<f64>, x| Some(acc.map_or(x, |a| a.max(x)))),
            })
            .collect();
        Ok(Findings {
            date: self.date,
            parties,
            outcomes: case.space().size(),
            frontier: Frontier { points: full.points, method: full.method },
            zone: Zone {
                size,
                frontier: zone_points,
                red_lines: within.map(|f| Frontier { points: f.points, method: f.method }),
            },
            solutions,
            opposition,
            evaluations,
            approvals,
            bridging,
            sensitivity,
            record,
            cloud,
            notes,
            play: None,
        })
    }
}

/// For each recorded response, the date it is judged at (its own date, else its proposal's, else the
/// analysis date) and the evaluation of its proposal by the red lines in force then: the proposal's
/// own evaluation when the same red lines were in force on the proposal's date, else a new one
/// (shared by responses that see the same red lines).
fn judge_responses(
    engine: &Engine<'_>,
    evaluations: &[Evaluation],
    feasible: &[FrontierPoint],
    full: &[FrontierPoint],
) -> Result<Vec<record::Judged>, AnalysisError> {
    let case = engine.case;
    let mut extra: Vec<(ProposalId, Vec<crate::problem::RedLineRef>, Evaluation)> = Vec::new();
    let mut out = Vec::new();
    for e in evaluations {
        let Subject::Proposal(id) = e.subject else { continue };
        let proposal = case.proposal(id);
        let own = red_lines_in_force(&engine.prefs, e.date);
        for (r, response) in proposal.responses.iter().enumerate() {
            let date = response.date.or(proposal.date).or(engine.date);
            let lines = red_lines_in_force(&engine.prefs, date);
            let evaluation = if lines == own {
                e.clone()
            } else if let Some((_, _, cached)) = extra.iter().find(|(p, l, _)| *p == id && *l == lines) {
                cached.clone()
            } else {
                let fresh = evaluate::evaluate(
                    engine,
                    e.subject.clone(),
                    e.settings.clone(),
                    date,
                    feasible,
                    full,
                    None,
                )?;
                extra.push((id, lines, fresh.clone()));
                fresh
            };
            out.push(record::Judged { proposal: id, response: r, date, evaluation });
        }
    }
    Ok(out)
}

/// Refuses issues with more grid values than [`Limits::issue_values`] (an integer issue from 0 to
/// 10^9 by 1): their values alone would exhaust memory.
fn check_issue_sizes(case: &Case, limits: &Limits) -> Result<(), AnalysisError> {
    for (id, issue) in case.space().issue_ids().zip(case.space().issues()) {
        if issue.cardinality() > limits.issue_values {
            return Err(AnalysisError::TooLarge {
                issue: Some(id),
                what: format!("the issue `{}`", issue.name),
                reason: format!(
                    "it has {} values, more than the {} Truce analyses per issue; use a larger step",
                    issue.cardinality(),
                    limits.issue_values
                ),
            });
        }
    }
    Ok(())
}

/// Utilities of every outcome (or of a seeded uniform sample), for plots.
fn cloud(engine: &Engine<'_>, constrained: &crate::problem::Problem<'_>) -> Cloud {
    let open = engine.problem();
    let all = match Grid::new(&open) {
        Some(all) if all.size() <= CLOUD_POINTS => all,
        _ => return sampled_cloud(engine, constrained),
    };
    let mut outcome = vec![Value::Option(0); engine.case.space().len()];
    let mut points = Vec::new();
    let mut acceptable = Vec::new();
    for index in 0..all.size() {
        all.decode(index, &mut outcome);
        if let Some(u) = open.utilities(&outcome) {
            acceptable.push(constrained.respects_red_lines(&outcome) && reaches(constrained, &u));
            points.push(u);
        }
    }
    Cloud { utilities: points, acceptable, complete: true }
}

fn sampled_cloud(engine: &Engine<'_>, constrained: &crate::problem::Problem<'_>) -> Cloud {
    let space = engine.case.space();
    let mut rng = ChaCha8Rng::seed_from_u64(engine.seed ^ 0xC10D);
    let mut points = Vec::new();
    let mut acceptable = Vec::new();
    for _ in 0..CLOUD_POINTS {
        let outcome: Vec<Value> = space
            .issues()
            .iter()
            .filter_map(|i| i.domain().grid_value(rng.random_range(0..i.cardinality())))
            .collect();
        if let Some(u) = constrained.utilities(&outcome) {
            acceptable.push(constrained.respects_red_lines(&outcome) && reaches(constrained, &u));
            points.push(u);
        }
    }
    Cloud { utilities: points, acceptable, complete: false }
}

/// A negotiating party's key numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyFacts {
    /// The party.
    pub party: PartyId,
    /// Its reservation value: its coordinate of the disagreement point.
    pub reservation: f64,
    /// Its best utility over all outcomes: its coordinate of the ideal point.
    pub best: f64,
    /// Its best utility within the zone of agreement, if the zone is not empty.
    pub zone_best: Option<f64>,
}

/// A Pareto frontier and how it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Frontier {
    /// The points, in decreasing order of the first party's utility (then the second's, ...).
    pub points: Vec<FrontierPoint>,
    /// How they were found (exactly, unless [`Method::is_exact`] says otherwise).
    pub method: Method,
}

impl Frontier {
    /// How many outcomes reach some point of the frontier (saturating at `u128::MAX`).
    #[must_use]
    pub fn outcomes(&self) -> u128 {
        self.points.iter().fold(0u128, |acc, p| acc.saturating_add(p.count))
    }
}

/// The zone of possible agreement.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    /// How many outcomes it holds.
    pub size: Size,
    /// Its Pareto frontier, in the order of [`Frontier::points`].
    pub frontier: Vec<FrontierPoint>,
    /// The frontier of the outcomes that break no red line (reservation values aside), when some
    /// party has red lines.
    pub red_lines: Option<Frontier>,
}

/// A bargaining solution.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// The criterion's value (Nash product, smallest normalised gain, smallest gain, welfare).
    pub value: f64,
    /// The outcome chosen and its utilities.
    pub point: FrontierPoint,
}

/// The bargaining solutions over the zone of agreement, relative to the disagreement point; `None`
/// when the zone is empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Solutions {
    /// Nash (1950): the largest product of gains.
    pub nash: Option<Solution>,
    /// Kalai and Smorodinsky (1975): the largest smallest gain relative to each party's ideal.
    pub kalai_smorodinsky: Option<Solution>,
    /// Egalitarian, Kalai (1977): the largest smallest gain.
    pub egalitarian: Option<Solution>,
    /// The largest sum of utilities.
    pub max_welfare: Option<Solution>,
}

/// Utility vectors of outcomes, for plots.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloud {
    /// One utility vector per outcome (per negotiator, in case order).
    pub utilities: Vec<Vec<f64>>,
    /// Whether each outcome is in the zone of agreement.
    pub acceptable: Vec<bool>,
    /// Whether these are every outcome (otherwise a seeded uniform sample).
    pub complete: bool,
}

/// Everything an analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct Findings {
    /// The date the case was analysed at: the zone, solutions, bridging and sensitivity use the red
    /// lines in force then (`None`: those still in force at the end of the record).
    pub date: Option<PartialDate>,
    /// The negotiators with preferences, in case order: the parties every utility vector is about.
    pub parties: Vec<PartyFacts>,
    /// The number of outcomes.
    pub outcomes: BigUint,
    /// The Pareto frontier over all outcomes (red lines and reservation values ignored).
    pub frontier: Frontier,
    /// The zone of agreement.
    pub zone: Zone,
    /// Bargaining solutions over the zone.
    pub solutions: Solutions,
    /// The opposition level (NegMAS's definition, over the zone); `None` when the zone is empty.
    pub opposition: Option<f64>,
    /// The case's proposals, in case order, then the outcomes given to the analysis.
    pub evaluations: Vec<Evaluation>,
    /// For each evaluation (same order), within each party with constituencies: whose approval it
    /// lacks, and whether it carries (by the red lines in force on its date).
    pub approvals: Vec<Vec<crate::PartyApproval>>,
    /// Bridging packages, or the red lines in the way, when asked for.
    pub bridging: Option<Bridging>,
    /// Sensitivity to weights and reservation values, when asked for.
    pub sensitivity: Option<Sensitivity>,
    /// Recorded responses against the model.
    pub record: Vec<RecordCheck>,
    /// Outcomes' utilities for plots.
    pub cloud: Cloud,
    /// What a reader must know: approximations and estimates used, parties left out.
    pub notes: Vec<String>,
    /// The state of play the analysis read, when it came from a signed agreement's event logs
    /// (`truce analyze --events`; set by the caller that derived it, `None` otherwise).
    pub play: Option<crate::monitor::PlayFromEvents>,
}

/// The case's proposals in date order ([`Case::chronological`]): dated ones by date (case order among
/// equal dates, an answer after what it answers), then the undated ones in case order.
#[must_use]
pub fn timeline(case: &Case) -> Vec<ProposalId> {
    case.chronological()
}

/// The exact (or, past the limits, labelled approximate) Pareto frontier of a case's negotiators over
/// all outcomes, or over the outcomes that break no red line in force at the case's `as_of` date: the
/// frontier alone, without the rest of an analysis.
///
/// # Errors
/// As [`Analysis::run`].
pub fn pareto_frontier(case: &Case, red_lines: bool, limits: &Limits) -> Result<Frontier, AnalysisError> {
    let prefs: Vec<_> = case.negotiators().map(|(_, p)| p.clone()).collect();
    if prefs.is_empty() {
        return Err(AnalysisError::NoNegotiators);
    }
    check_issue_sizes(case, limits)?;
    let mut problem = crate::problem::Problem::unrestricted(&case.domain, prefs);
    if red_lines {
        let in_force = red_lines_in_force(&problem.parties, case.as_of);
        problem = problem.with_red_lines(in_force);
    }
    let solved = solve(&problem, limits, 0, &Silent)?;
    Ok(Frontier { points: solved.points, method: solved.method })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testkit::{Brute, allows, brute, brute_frontier, build, key, spec};
    use crate::{Blocker, Verdict};

    fn keys_of(points: &[FrontierPoint]) -> Vec<(Vec<i64>, u128)> {
        let mut out: Vec<_> = points.iter().map(|f| (key(&f.utilities), f.count)).collect();
        out.sort();
        out
    }

    /// The four criteria over the zone, from their definitions (as the GENIUS reference computes
    /// them).
    fn brute_solutions(b: &Brute, d: &[f64]) -> Option<[f64; 4]> {
        let zone: Vec<&Vec<f64>> =
            b.utilities.iter().zip(&b.zone).filter(|(_, z)| **z).map(|(u, _)| u).collect();
        if zone.is_empty() {
            return None;
        }
        let n = d.len();
        let ideal: Vec<f64> =
            (0..n).map(|p| zone.iter().map(|u| u[p]).fold(f64::NEG_INFINITY, f64::max)).collect();
        let max = |f: &dyn Fn(&[f64]) -> f64| zone.iter().map(|u| f(u)).fold(f64::NEG_INFINITY, f64::max);
        Some([
            max(&|u| u.iter().zip(d).map(|(x, d)| x - d).product()),
            max(&|u| {
                (0..n)
                    .map(|p| (u[p] - d[p]) / if ideal[p] - d[p] > 0.0 { ideal[p] - d[p] } else { 1.0 })
                    .fold(f64::INFINITY, f64::min)
            }),
            max(&|u| u.iter().zip(d).map(|(x, d)| x - d).fold(f64::INFINITY, f64::min)),
            max(&|u| u.iter().sum()),
        ])
    }

    /// Whether relaxing `relaxed` opens a zone, by brute force.
    fn opens(case: &Case, relaxed: &[Blocker]) -> bool {
        brute(&relax(case, relaxed)).zone.iter().any(|&z| z)
    }

    /// The case with the given red lines removed and reservation values dropped.
    fn relax(case: &Case, relaxed: &[Blocker]) -> Case {
        let mut case = case.clone();
        let mut removals: Vec<(usize, usize)> = Vec::new();
        for b in relaxed {
            match *b {
                Blocker::RedLine { party, index } => removals.push((party.index(), index)),
                Blocker::Reservation { party } => {
                    case.parties[party.index()].preferences.as_mut().unwrap().reservation = f64::NEG_INFINITY;
                }
            }
        }
        removals.sort_unstable();
        for (party, index) in removals.into_iter().rev() {
            case.parties[party].preferences.as_mut().unwrap().red_lines.remove(index);
        }
        case
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn findings_agree_with_a_brute_force(spec in spec(1..=4, 4, 1..=3, true, true)) {
            let case = build(&spec);
            let b = brute(&case);
            let n = case.parties.len();
            let d: Vec<f64> = case.negotiators().map(|(_, p)| p.reservation).collect();
            let f = Analysis::new(&case).with_bridging(2).run().unwrap();
            // Frontiers.
            prop_assert_eq!(keys_of(&f.frontier.points), brute_frontier(&b, &vec![true; b.zone.len()]));
            prop_assert_eq!(keys_of(&f.zone.frontier), brute_frontier(&b, &b.zone));
            // Zone size.
            let zone_size = b.zone.iter().filter(|&&z| z).count();
            prop_assert_eq!(f.zone.size.clone(), Size::Exact(BigUint::from(zone_size)));
            // Solutions.
            let expected = brute_solutions(&b, &d);
            let got = [&f.solutions.nash, &f.solutions.kalai_smorodinsky, &f.solutions.egalitarian, &f.solutions.max_welfare];
            match expected {
                None => prop_assert!(got.iter().all(|s| s.is_none())),
                Some(values) => {
                    for (s, v) in got.iter().zip(values) {
                        let s = s.as_ref().unwrap();
                        prop_assert!((s.value - v).abs() < 1e-9, "{} vs {}", s.value, v);
                    }
                }
            }
            // Proposals.
            for (k, proposal) in case.proposals.iter().enumerate() {
                let e = &f.evaluations[k];
                let idx: Vec<usize> = (0..b.outcomes.len()).filter(|&i| allows(&case, proposal, &b.outcomes[i])).collect();
                for p in 0..n {
                    let prefs = case.parties[p].preferences.as_ref().unwrap();
                    let view = &e.parties[p];
                    let us: Vec<f64> = idx.iter().map(|&i| b.utilities[i][p]).collect();
                    let low = us.iter().copied().fold(f64::INFINITY, f64::min);
                    let high = us.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let u = view.utility.unwrap();
                    prop_assert!((u.low - low).abs() < 1e-12 && (u.high - high).abs() < 1e-12);
                    let ok: Vec<bool> = idx.iter().map(|&i| {
                        prefs.broken_red_lines(&case.domain, &b.outcomes[i]).next().is_none()
                            && b.utilities[i][p] >= prefs.reservation - 1e-12
                    }).collect();
                    let verdict = if ok.iter().all(|&x| x) { Verdict::Acceptable } else if ok.iter().any(|&x| x) { Verdict::Depends } else { Verdict::Unacceptable };
                    prop_assert_eq!(view.verdict, verdict, "party {} proposal {}", p, k);
                    // Ranks of complete proposals.
                    if e.complete {
                        let kx = key(&[u.low])[0];
                        let below = b.utilities.iter().filter(|v| key(&[v[p]])[0] < kx).count() as f64;
                        let equal = b.utilities.iter().filter(|v| key(&[v[p]])[0] == kx).count() as f64;
                        let pct = 100.0 * (below + equal / 2.0) / b.utilities.len() as f64;
                        let (r, _) = view.rank.unwrap();
                        prop_assert!((r.percentile - pct).abs() < 1e-9 && r.is_exact());
                    }
                }
                let any_zone = idx.iter().any(|&i| b.zone[i]);
                let all_zone = idx.iter().all(|&i| b.zone[i]);
                let verdict = if all_zone { Verdict::Acceptable } else if any_zone { Verdict::Depends } else { Verdict::Unacceptable };
                if e.complete {
                    prop_assert_eq!(e.verdict, verdict);
                    let u = &b.utilities[idx[0]];
                    let dominates = |i: usize| {
                        let (a, c) = (key(&b.utilities[i]), key(u));
                        a.iter().zip(&c).all(|(x, y)| x >= y) && a != c
                    };
                    let by_feasible = (0..b.outcomes.len()).any(|i| b.feasible[i] && dominates(i));
                    let by_any = (0..b.outcomes.len()).any(dominates);
                    match &e.dominated_by {
                        None => prop_assert!(!by_any),
                        Some(dom) => {
                            prop_assert_eq!(dom.respects_red_lines, by_feasible);
                            prop_assert!(dom.gains.iter().all(|&g| g >= -1e-12));
                        }
                    }
                } else {
                    // A partial proposal is acceptable to all only if some completion is in the zone.
                    prop_assert_eq!(e.verdict == Verdict::Unacceptable, !any_zone, "proposal {}", k);
                    if any_zone {
                        let best = idx.iter().filter(|&&i| b.zone[i]).map(|&i| b.utilities[i].iter().zip(&d).map(|(x, d)| x - d).product::<f64>()).fold(f64::NEG_INFINITY, f64::max);
                        let c = e.best_completion.as_ref().unwrap();
                        let got: f64 = c.utilities.iter().zip(&d).map(|(x, d)| x - d).product();
                        prop_assert!((got - best).abs() < 1e-9);
                    }
                }
            }
            // Bridging.
            match f.bridging.unwrap() {
                Bridging::Packages { by_nash, by_concession, .. } => {
                    prop_assert!(zone_size > 0);
                    prop_assert!((by_nash[0].nash_product - expected.unwrap()[0]).abs() < 1e-9);
                    prop_assert!(!by_concession.is_empty());
                }
                Bridging::Blocked { relaxations, exhaustive, if_relaxed, .. } => {
                    prop_assert_eq!(zone_size, 0);
                    prop_assert!(exhaustive);
                    // The packages a relaxation makes possible: the best is the relaxed case's Nash point.
                    for r in &if_relaxed {
                        let expected = brute_solutions(&brute(&relax(&case, &r.relaxed)), &d).unwrap();
                        prop_assert!((r.by_nash[0].nash_product - expected[0]).abs() < 1e-9);
                    }
                    for set in &relaxations {
                        prop_assert!(opens(&case, set), "{:?} does not open the zone", set);
                        for skip in 0..set.len() {
                            let smaller: Vec<Blocker> = set.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, b)| *b).collect();
                            prop_assert!(!opens(&case, &smaller), "{:?} is not minimal", set);
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(50))]
        #[test]
        fn the_cloud_is_collected_only_when_asked(spec in spec(1..=4, 4, 1..=3, true, true)) {
            let case = build(&spec);
            let with = Analysis::new(&case).with_bridging(1).run().unwrap();
            let without = Analysis::new(&case).with_bridging(1).with_cloud(false).run().unwrap();
            prop_assert!(with.cloud.complete);
            prop_assert_eq!(with.cloud.utilities.len(), brute(&case).outcomes.len());
            prop_assert!(without.cloud.utilities.is_empty() && without.cloud.acceptable.is_empty());
            prop_assert_eq!(Findings { cloud: with.cloud.clone(), ..without }, with);
        }
    }
}
