//! Sensitivity: how far each assumption may move before the analysis says something else.
//!
//! Weights and reservation values are usually the analyst's judgement. For each negotiator and each
//! issue weight, the weight is moved up and down (the party's other weights rescaled so that the sum
//! of weights stays the same) to find where the Nash point first moves (to other utilities: an
//! outcome tied with today's Nash outcome is the same point), and
//! where each proposal's acceptability to that party flips. Likewise each reservation value, for the
//! Nash point.
//!
//! When the zone of agreement is empty there is no Nash point to follow; only proposals' verdicts
//! can flip.
//!
//! Method: the Nash point is recomputed exactly on a grid of [`STEPS`] steps each way, and the first
//! change is then located by bisection to within [`RESOLUTION`] of the range. A complete proposal's
//! utility is linear in the weight, so its flip point is solved exactly; a partial proposal's verdict
//! depends on its lowest and highest completions, which are followed the same way as the Nash point.
//! Proposals that break one of the party's red lines (in force on their date) flip at no weight, and
//! those whose acceptability hangs on an open red line are left out.

mod joint;

use rayon::prelude::*;
use truce_model::{IssueId, PartyId, Preferences, ProposalId, Utility, Value};

use crate::engine::Engine;
use crate::evaluate::{Evaluation, Setting, Subject, Verdict, ranges, restrictions};
use crate::frontier::{FrontierPoint, Method, solve_compiled};
use crate::problem::{Additive, Problem, RedLineRef, compile};
use crate::solutions;
use crate::zone::RESERVATION_TOLERANCE;
use crate::{AnalysisError, Progress, Silent, Stage};

/// Grid steps between the current value and each end of its range.
pub const STEPS: u32 = 8;
/// Bisection stops when the bracket is narrower than this fraction of the range.
pub const RESOLUTION: f64 = 1e-3;
/// Utilities closer than this are the same point.
const SAME_POINT: f64 = 1e-9;

/// Where an assumption may move without changing a result: the values at which the result first
/// changes below and above the current one (`None`: it never changes within the range).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stable {
    /// The highest value below the current one at which the result differs.
    pub below: Option<f64>,
    /// The lowest value above the current one at which the result differs.
    pub above: Option<f64>,
}

/// A complete proposal whose acceptability to the party flips as a weight moves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flip {
    /// The proposal.
    pub proposal: ProposalId,
    /// The weight at which the party's utility of it crosses the reservation value.
    pub at: f64,
    /// The verdict beyond that weight.
    pub becomes: Verdict,
}

/// One issue weight of one negotiator.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightSensitivity {
    /// The party.
    pub party: PartyId,
    /// The issue.
    pub issue: IssueId,
    /// The weight now.
    pub weight: f64,
    /// The range of the weight (0 to the sum of the party's weights).
    pub range: (f64, f64),
    /// Where the Nash point changes.
    pub nash: Stable,
    /// Proposals whose acceptability flips within the range.
    pub flips: Vec<Flip>,
}

/// One negotiator's reservation value.
#[derive(Clone, Debug, PartialEq)]
pub struct ReservationSensitivity {
    /// The party.
    pub party: PartyId,
    /// The reservation value now.
    pub reservation: f64,
    /// The range searched (from 0, or the value if lower, to the party's best utility, or the value
    /// if higher).
    pub range: (f64, f64),
    /// Where the Nash point changes (or disappears).
    pub nash: Stable,
}

/// How far each assumption may move.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// Per negotiator with additive utility, per issue.
    pub weights: Vec<WeightSensitivity>,
    /// Per negotiator.
    pub reservations: Vec<ReservationSensitivity>,
}

/// The Nash outcome with the given preferences and red lines, or `None` when the zone is empty.
fn nash_outcome(
    engine: &Engine<'_>,
    prefs: Vec<Preferences>,
    red_lines: &[RedLineRef],
) -> Result<Option<Vec<Value>>, AnalysisError> {
    let problem = Problem::unrestricted(&engine.case.domain, prefs)
        .within_what_is_held(engine.case, engine.date)
        .with_red_lines(red_lines.to_vec());
    let solved = engine.solve(&problem)?;
    let d: Vec<f64> = problem.parties.iter().map(|p| p.reservation).collect();
    Ok(nash_of(&solved.points, &d))
}

/// The Nash outcome among frontier `points` for reservation values `d` (the frontier does not
/// depend on them, so one frontier serves every reservation value).
fn nash_of(points: &[FrontierPoint], d: &[f64]) -> Option<Vec<Value>> {
    let zone: Vec<&FrontierPoint> = points
        .iter()
        .filter(|f| f.utilities.iter().zip(d).all(|(u, d)| *u >= d - RESERVATION_TOLERANCE))
        .collect();
    let utilities: Vec<&[f64]> = zone.iter().map(|f| f.utilities.as_slice()).collect();
    solutions::nash(&utilities, d).map(|c| zone[c.index].outcome.clone())
}

/// The Nash outcome along one issue weight of one party, from one frontier.
///
/// With the other weights rescaled to keep their sum, the party's utility is linear in issue `i`'s
/// weight `x`: `(x·A + (sum − x)·B) / sum`, where `A` is its utility with the whole weight on issue
/// `i` and `B` with none on it. An outcome Pareto-optimal for some `x` is Pareto-optimal in
/// `(A, B, the other parties' utilities)`, so that frontier, solved once, holds the Nash point of
/// every `x`: each step of the search is then a scan instead of a new frontier. With two
/// negotiators that frontier is made from parts every weight shares ([`joint`]).
struct Along {
    /// The frontier's utilities in `(utilities with A in place of party p, then B)`, flattened:
    /// `n + 1` per point.
    points: Vec<f64>,
    p: usize,
    sum: f64,
    d: Vec<f64>,
    /// Today's Nash outcome in the same coordinates.
    base: Option<Vec<f64>>,
}

impl Along {
    /// Along issue `i`'s weight of party `p`, from today's Nash outcome `base`; `None` when the
    /// party's utility is not additive or the joint frontier is not exact (the caller then solves
    /// each step). With two negotiators the frontier is made from `shared` parts ([`joint`]) when
    /// they fit.
    fn new(
        engine: &Engine<'_>,
        p: usize,
        i: usize,
        red_lines: &[RedLineRef],
        base: Option<&[Value]>,
        shared: Option<&Shared>,
    ) -> Result<Option<Self>, AnalysisError> {
        let n = engine.prefs.len();
        let Some(Joint { parties, sum, factor }) = Joint::of(&engine.prefs, p, i) else { return Ok(None) };
        let problem = Problem::unrestricted(&engine.case.domain, parties)
            .within_what_is_held(engine.case, engine.date)
            .with_red_lines(red_lines.to_vec());
        let compiled = compile(&problem, &engine.limits);
        let made = match (&compiled, shared) {
            (Ok(joint), Some(shared)) if n == 2 => joint::frontier(joint, &shared.two, &shared.rests, p, i)
                .map(|front| front.iter().flatten().map(|&x| joint.scale.to_f64(x)).collect()),
            _ => None,
        };
        let mut points: Vec<f64> = match made {
            Some(points) => points,
            None => {
                let solved = solve_compiled(&problem, &compiled, &engine.limits, engine.seed, &Silent)?;
                if !matches!(solved.method, Method::Minkowski { .. } | Method::Enumeration { .. }) {
                    return Ok(None);
                }
                solved.points.into_iter().flat_map(|f| f.utilities).collect()
            }
        };
        for u in points.chunks_exact_mut(n + 1) {
            u[n] *= factor;
        }
        let d = engine.prefs.iter().map(|q| q.reservation).collect();
        let base = match base {
            Some(outcome) => match problem.utilities(outcome) {
                Some(mut u) => {
                    u[n] *= factor;
                    Some(u)
                }
                None => return Ok(None),
            },
            None => None,
        };
        Ok(Some(Self { points, p, sum, d, base }))
    }

    /// Utilities in the joint coordinates, with party `p`'s at weight `x`.
    fn at(&self, joint: &[f64], x: f64) -> Vec<f64> {
        let n = self.d.len();
        let mut u = joint[..n].to_vec();
        u[self.p] = (x * joint[self.p] + (self.sum - x) * joint[n]) / self.sum;
        u
    }

    /// Whether the Nash point at weight `x` is elsewhere than today's Nash outcome is then: other
    /// utilities, or none where there was one (or one where there was none). Outcomes with the same
    /// utilities are one point: at the ends of the range, where one part of the utility drops out,
    /// many tie, and which of them stands for the point is immaterial.
    fn moved(&self, x: f64) -> bool {
        let now = self.nash(x).map(|k| self.at(self.point(k), x));
        let base = self.base.as_ref().map(|b| self.at(b, x));
        match (now, base) {
            (Some(a), Some(b)) => a.iter().zip(&b).any(|(a, b)| (a - b).abs() > SAME_POINT),
            (None, None) => false,
            _ => true,
        }
    }

    /// The Nash point with issue `i`'s weight at `x` (an index into the joint frontier), chosen as
    /// [`nash_of`] chooses among the frontier at `x` (the ties, in decreasing lexicographic order of
    /// utilities).
    fn nash(&self, x: f64) -> Option<usize> {
        // One pass over the frontier without allocating per point: the best product so far and the
        // points within the tie tolerance of it (dropped when a better one comes).
        let n = self.d.len();
        let mut u = vec![0.0; n];
        let mut ties: Vec<(f64, usize)> = Vec::new();
        let mut best = f64::NEG_INFINITY;
        for (k, joint) in self.points.chunks_exact(n + 1).enumerate() {
            if !self.in_zone(joint, x, &mut u) {
                continue;
            }
            let v = u.iter().zip(&self.d).map(|(x, d)| x - d).product::<f64>();
            if !v.is_finite() {
                continue;
            }
            if v > best {
                best = v;
                ties.retain(|&(w, _)| w >= best - solutions::TIE);
            }
            if v >= best - solutions::TIE {
                ties.push((v, k));
            }
        }
        // Only the ties can be chosen; ordered as a frontier lists them.
        let mut ties: Vec<(Vec<f64>, usize)> = ties
            .into_iter()
            .map(|(_, k)| {
                self.in_zone(self.point(k), x, &mut u);
                (u.clone(), k)
            })
            .collect();
        ties.sort_by(|a, b| {
            b.0.iter()
                .zip(&a.0)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let utilities: Vec<&[f64]> = ties.iter().map(|(u, _)| u.as_slice()).collect();
        solutions::nash(&utilities, &self.d).map(|c| ties[c.index].1)
    }

    /// Joint point `k`.
    fn point(&self, k: usize) -> &[f64] {
        let stride = self.d.len() + 1;
        &self.points[k * stride..(k + 1) * stride]
    }

    /// Whether joint utilities `joint` are in the zone at weight `x`, with the utilities then in `u`.
    fn in_zone(&self, joint: &[f64], x: f64, u: &mut Vec<f64>) -> bool {
        let n = self.d.len();
        u.clear();
        u.extend_from_slice(&joint[..n]);
        u[self.p] = (x * joint[self.p] + (self.sum - x) * joint[n]) / self.sum;
        u.iter().zip(&self.d).all(|(u, d)| *u >= d - RESERVATION_TOLERANCE)
    }
}

/// The parties of the joint problem of party `p`'s issue `i` (`A` in `p`'s place, `B` last), the sum
/// of `p`'s weights, and the factor that turns `B` (the other weights as they are) into the party's
/// utility with no weight on `i` and the others rescaled to keep the sum.
struct Joint {
    parties: Vec<Preferences>,
    sum: f64,
    factor: f64,
}

impl Joint {
    /// `None` when the party's utility is not additive or its weights do not sum above 0.
    fn of(prefs: &[Preferences], p: usize, i: usize) -> Option<Self> {
        let Utility::Additive(a) = &prefs[p].utility else { return None };
        let sum = a.weight_sum();
        if sum.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let mut parties = prefs.to_vec();
        parties[p] = reweighted(&prefs[p], i, sum);
        // `B` with the other weights as they are, so that every other block is the party's own.
        let mut rest = prefs[p].clone();
        if let Utility::Additive(b) = &mut rest.utility {
            b.issues[i].weight = 0.0;
        }
        rest.red_lines.clear(); // the party's red lines are in force once, through `A`
        parties.push(rest);
        let others = sum - a.issues[i].weight;
        let factor = if others > 0.0 { sum / others } else { 1.0 };
        Some(Self { parties, sum, factor })
    }
}

/// What every weight's joint frontier is made from, with two negotiators: the two-party problem
/// within the red lines, compiled, and the frontiers of its groups without each block.
struct Shared {
    two: Additive,
    rests: joint::Rests,
}

/// The party's preferences with issue `i`'s weight set to `x`, the others rescaled to keep the sum.
fn reweighted(prefs: &Preferences, i: usize, x: f64) -> Preferences {
    let mut out = prefs.clone();
    if let Utility::Additive(a) = &mut out.utility {
        let sum = a.weight_sum();
        let rest = sum - a.issues[i].weight;
        let factor = if rest > 0.0 { (sum - x) / rest } else { 1.0 };
        for (j, iu) in a.issues.iter_mut().enumerate() {
            iu.weight = if j == i { x } else { iu.weight * factor };
        }
    }
    out
}

/// From `current` towards `end`, the first value at which `changed` holds, to within the resolution.
fn first_change(
    current: f64,
    end: f64,
    changed: &(dyn Fn(f64) -> Result<bool, AnalysisError> + Sync),
) -> Result<Option<f64>, AnalysisError> {
    if (end - current).abs() <= f64::EPSILON {
        return Ok(None);
    }
    let tolerance = (end - current).abs() * RESOLUTION;
    let mut same = current;
    for step in 1..=STEPS {
        let x = current + (end - current) * f64::from(step) / f64::from(STEPS);
        if changed(x)? {
            let mut differs = x;
            while (differs - same).abs() > tolerance {
                let mid = 0.5 * (same + differs);
                if changed(mid)? {
                    differs = mid;
                } else {
                    same = mid;
                }
            }
            return Ok(Some(differs));
        }
        same = x;
    }
    Ok(None)
}

/// Sensitivity of the Nash point and of proposals' acceptability.
pub(crate) fn sensitivity(
    engine: &Engine<'_>,
    evaluations: &[Evaluation],
    best: &[f64],
    progress: &dyn Progress,
) -> Result<Sensitivity, AnalysisError> {
    let red_lines = engine.red_lines_at(None);
    let red_lines = red_lines.as_slice();
    let problem = Problem::unrestricted(&engine.case.domain, engine.prefs.clone())
        .within_what_is_held(engine.case, engine.date)
        .with_red_lines(red_lines.to_vec());
    let compiled = compile(&problem, &engine.limits);
    let frontier = solve_compiled(&problem, &compiled, &engine.limits, engine.seed, &Silent)?.points;
    let d: Vec<f64> = engine.prefs.iter().map(|p| p.reservation).collect();
    let base = nash_of(&frontier, &d);
    let n = engine.prefs.len();
    // With two negotiators, every weight's joint frontier is made from the same parts.
    let shared = match compiled {
        Ok(two) if n == 2 => {
            let rests = joint::Rests::new(&two, engine.limits.frontier_points);
            Some(Shared { two, rests })
        }
        _ => None,
    };
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for (p, prefs) in engine.prefs.iter().enumerate() {
        if let Utility::Additive(a) = &prefs.utility {
            jobs.extend((0..a.issues.len()).map(|i| (p, i)));
        }
    }
    progress.start(Stage::Sensitivity, (jobs.len() + n) as u64);
    let weights: Vec<WeightSensitivity> = jobs
        .par_iter()
        .map(|&(p, i)| {
            let prefs = &engine.prefs[p];
            let Utility::Additive(a) = &prefs.utility else { unreachable!("jobs are additive") };
            let weight = a.issues[i].weight;
            let sum = a.weight_sum();
            // One joint frontier for the whole search (a frontier per step when it cannot be had).
            let along = Along::new(engine, p, i, red_lines, base.as_deref(), shared.as_ref())?;
            let changed = |x: f64| -> Result<bool, AnalysisError> {
                if let Some(along) = &along {
                    return Ok(along.moved(x));
                }
                let mut all = engine.prefs.clone();
                all[p] = reweighted(prefs, i, x);
                Ok(nash_outcome(engine, all, red_lines)? != base)
            };
            let nash = Stable {
                below: first_change(weight, 0.0, &changed)?,
                above: first_change(weight, sum, &changed)?,
            };
            let mut flips = flips(engine, evaluations, p, i, (0.0, sum));
            flips.extend(partial_flips(engine, evaluations, p, i, weight, (0.0, sum))?);
            progress.advance(1);
            Ok(WeightSensitivity {
                party: engine.parties[p],
                issue: IssueId::from_index(i),
                weight,
                range: (0.0, sum),
                nash,
                flips,
            })
        })
        .collect::<Result<_, AnalysisError>>()?;
    let reservations = (0..n)
        .into_par_iter()
        .map(|p| {
            let reservation = engine.prefs[p].reservation;
            let range = (reservation.min(0.0), reservation.max(best[p]));
            // The frontier does not depend on reservation values: one serves every step.
            let changed = |x: f64| -> Result<bool, AnalysisError> {
                let mut d = d.clone();
                d[p] = x;
                Ok(nash_of(&frontier, &d) != base)
            };
            let nash = Stable {
                below: first_change(reservation, range.0, &changed)?,
                above: first_change(reservation, range.1, &changed)?,
            };
            progress.advance(1);
            Ok(ReservationSensitivity { party: engine.parties[p], reservation, range, nash })
        })
        .collect::<Result<_, AnalysisError>>()?;
    progress.finish();
    Ok(Sensitivity { weights, reservations })
}

/// Partial proposals whose acceptability to party `p` changes as issue `i`'s weight moves from
/// `weight` to either end of `range`: the first change each way, found as for the Nash point. Only
/// proposals whose red lines in force all hold for the party (so that utility alone decides).
fn partial_flips(
    engine: &Engine<'_>,
    evaluations: &[Evaluation],
    p: usize,
    i: usize,
    weight: f64,
    range: (f64, f64),
) -> Result<Vec<Flip>, AnalysisError> {
    let prefs = &engine.prefs[p];
    let d = prefs.reservation - RESERVATION_TOLERANCE;
    let mut out = Vec::new();
    for e in evaluations {
        let Subject::Proposal(proposal) = e.subject else { continue };
        let view = &e.parties[p];
        if e.complete || !view.broken.is_empty() || !view.at_risk.is_empty() || view.utility.is_none() {
            continue;
        }
        let (restrictions, _) = restrictions(engine.case.space(), &e.settings);
        let verdict_at = |x: f64| -> Result<Option<Verdict>, AnalysisError> {
            let mut problem = Problem::unrestricted(&engine.case.domain, vec![reweighted(prefs, i, x)]);
            problem.restrictions.clone_from(&restrictions);
            Ok(ranges(engine, &problem)?.map(|(r, _)| {
                if r[0].low >= d {
                    Verdict::Acceptable
                } else if r[0].high < d {
                    Verdict::Unacceptable
                } else {
                    Verdict::Depends
                }
            }))
        };
        let now = view.verdict;
        for end in [range.0, range.1] {
            let changed =
                |x: f64| -> Result<bool, AnalysisError> { Ok(verdict_at(x)?.is_some_and(|v| v != now)) };
            if let Some(at) = first_change(weight, end, &changed)?
                && let Some(becomes) = verdict_at(at)?
            {
                out.push(Flip { proposal, at, becomes });
            }
        }
    }
    Ok(out)
}

/// Complete proposals whose acceptability to party `p` flips as issue `i`'s weight moves over
/// `range`: the utility is linear in the weight, so the crossing is solved exactly.
fn flips(
    engine: &Engine<'_>,
    evaluations: &[Evaluation],
    p: usize,
    i: usize,
    range: (f64, f64),
) -> Vec<Flip> {
    let prefs = &engine.prefs[p];
    let domain = &engine.case.domain;
    let mut out = Vec::new();
    for e in evaluations {
        let Subject::Proposal(proposal) = e.subject else { continue };
        if !e.complete || !e.parties[p].broken.is_empty() {
            continue;
        }
        let values: Vec<Option<Value>> = e
            .settings
            .iter()
            .map(|s| match s {
                Setting::Set(v) => Some(*v),
                _ => None,
            })
            .collect();
        let at = |x: f64| reweighted(prefs, i, x).utility_of_values(domain, &values);
        let (Some(u0), Some(u1)) = (at(range.0), at(range.1)) else { continue };
        let d = prefs.reservation - RESERVATION_TOLERANCE;
        if (u0 - u1).abs() < 1e-15 || (u0 >= d) == (u1 >= d) {
            continue;
        }
        // Linear in the weight: one crossing, beyond which the verdict is the opposite of today's.
        let x = range.0 + (d - u0) / (u1 - u0) * (range.1 - range.0);
        let becomes = match e.parties[p].verdict {
            Verdict::Acceptable => Verdict::Unacceptable,
            Verdict::Unacceptable => Verdict::Acceptable,
            Verdict::Depends | Verdict::Unknown => continue,
        };
        out.push(Flip { proposal, at: x, becomes });
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testkit::{allows, brute, build, spec};
    use crate::{Analysis, Limits, Silent};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn change_points_bracket_a_change_of_the_nash_point(spec in spec(2..=3, 3, 2..=2, true, false)) {
            let case = build(&spec);
            let findings = Analysis::new(&case).with_sensitivity(true).run().unwrap();
            let s = findings.sensitivity.unwrap();
            let (parties, prefs): (Vec<PartyId>, Vec<Preferences>) = case.negotiators().map(|(id, p)| (id, p.clone())).unzip();
            let engine = Engine { case: &case, parties, prefs, date: case.as_of, limits: Limits::default(), seed: 0, progress: &Silent };
            let lines = engine.red_lines_at(None);
            let base = nash_outcome(&engine, engine.prefs.clone(), &lines).unwrap();
            let b = brute(&case);
            for w in &s.weights {
                let p = w.party.index();
                let i = w.issue.index();
                // Whether the Nash point at `x`, solved anew, is elsewhere than today's Nash outcome
                // then (other utilities; outcomes with the same utilities are one point).
                let moved = |x: f64| {
                    let mut all = engine.prefs.clone();
                    all[p] = reweighted(&engine.prefs[p], i, x);
                    let now = nash_outcome(&engine, all.clone(), &lines).unwrap();
                    let u = |o: &Vec<Value>| all.iter().map(|q| q.utility_of_values(&case.domain, &o.iter().map(|v| Some(*v)).collect::<Vec<_>>()).unwrap()).collect::<Vec<f64>>();
                    match (&now, &base) {
                        (Some(a), Some(b)) => u(a).iter().zip(u(b)).any(|(a, b)| (a - b).abs() > SAME_POINT),
                        (None, None) => false,
                        _ => true,
                    }
                };
                let tolerance = (w.range.1 - w.range.0) * RESOLUTION;
                for (edge, end, direction) in [(w.nash.below, w.range.0, -1.0), (w.nash.above, w.range.1, 1.0)] {
                    match edge {
                        Some(x) => {
                            prop_assert!(moved(x), "no change at {}", x);
                            // Just before the change point (within the resolution) nothing changed yet.
                            let before = x - direction * tolerance * 1.01;
                            if (before - w.weight) * direction > 0.0 {
                                prop_assert!(!moved(before), "changed before {}", x);
                            }
                        }
                        None => prop_assert!(!moved(end), "a change at the end of the range was missed"),
                    }
                }
                for flip in &w.flips {
                    let proposal = case.proposal(flip.proposal);
                    let d = engine.prefs[p].reservation;
                    if proposal.is_complete(case.space().len()) {
                        let values = proposal.values(case.space().len());
                        let u = reweighted(&engine.prefs[p], i, flip.at).utility_of_values(&case.domain, &values).unwrap();
                        prop_assert!((u - d).abs() < 1e-9, "{} vs {}", u, d);
                    } else {
                        // A partial proposal: at the flip, its completions' range says `becomes`.
                        let prefs = reweighted(&engine.prefs[p], i, flip.at);
                        let us: Vec<f64> = b.outcomes.iter().filter(|o| allows(&case, proposal, o)).map(|o| prefs.utility(&case.domain, o)).collect();
                        let low = us.iter().copied().fold(f64::INFINITY, f64::min);
                        let high = us.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let verdict = if low >= d - 1e-9 { Verdict::Acceptable } else if high < d - 1e-9 { Verdict::Unacceptable } else { Verdict::Depends };
                        prop_assert_eq!(verdict, flip.becomes);
                        let now = findings.evaluations[flip.proposal.index()].parties[p].verdict;
                        prop_assert!(flip.becomes != now);
                    }
                }
            }
        }
    }
}
