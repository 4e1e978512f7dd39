//! Sensitivity: how far each assumption may move before the analysis says something else.
//!
//! Weights and reservation values are usually the analyst's judgement. For each negotiator and each
//! issue weight, the weight is moved up and down (the party's other weights rescaled so that the sum
//! of weights stays the same) to find where the Nash point first becomes a different outcome, and
//! where each complete proposal's acceptability to that party flips. Likewise each reservation value,
//! for the Nash point.
//!
//! Method: the Nash point is recomputed exactly on a grid of [`STEPS`] steps each way, and the first
//! change is then located by bisection to within [`RESOLUTION`] of the range. A proposal's utility is
//! linear in the weight, so its flip point is solved exactly.

use rayon::prelude::*;
use truce_model::{IssueId, PartyId, Preferences, ProposalId, Utility, Value};

use crate::engine::Engine;
use crate::evaluate::{Evaluation, Setting, Subject, Verdict};
use crate::problem::Problem;
use crate::solutions;
use crate::zone::{RESERVATION_TOLERANCE, reaches};
use crate::{AnalysisError, Progress, Stage};

/// Grid steps between the current value and each end of its range.
pub const STEPS: u32 = 8;
/// Bisection stops when the bracket is narrower than this fraction of the range.
pub const RESOLUTION: f64 = 1e-3;

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

/// The Nash outcome with the given preferences, or `None` when the zone is empty.
fn nash_outcome(engine: &Engine<'_>, prefs: Vec<Preferences>) -> Result<Option<Vec<Value>>, AnalysisError> {
    let problem = Problem::unrestricted(&engine.case.domain, prefs).with_all_red_lines();
    let solved = engine.solve(&problem)?;
    let zone: Vec<&[f64]> = solved
        .points
        .iter()
        .filter(|f| reaches(&problem, &f.utilities))
        .map(|f| f.utilities.as_slice())
        .collect();
    let d: Vec<f64> = problem.parties.iter().map(|p| p.reservation).collect();
    let zone_points: Vec<usize> = solved
        .points
        .iter()
        .enumerate()
        .filter(|(_, f)| reaches(&problem, &f.utilities))
        .map(|(i, _)| i)
        .collect();
    Ok(solutions::nash(&zone, &d).map(|c| solved.points[zone_points[c.index]].outcome.clone()))
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
    let base = nash_outcome(engine, engine.prefs.clone())?;
    let n = engine.prefs.len();
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
            let changed = |x: f64| -> Result<bool, AnalysisError> {
                let mut all = engine.prefs.clone();
                all[p] = reweighted(prefs, i, x);
                Ok(nash_outcome(engine, all)? != base)
            };
            let nash = Stable {
                below: first_change(weight, 0.0, &changed)?,
                above: first_change(weight, sum, &changed)?,
            };
            let flips = flips(engine, evaluations, p, i, (0.0, sum));
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
            let changed = |x: f64| -> Result<bool, AnalysisError> {
                let mut all = engine.prefs.clone();
                all[p].reservation = x;
                Ok(nash_outcome(engine, all)? != base)
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
    use crate::testkit::{build, spec};
    use crate::{Analysis, Limits, Silent};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]
        #[test]
        fn change_points_bracket_a_change_of_the_nash_point(spec in spec(2..=3, 3, 2..=2, true, false)) {
            let case = build(&spec);
            let findings = Analysis::new(&case).with_sensitivity(true).run().unwrap();
            let s = findings.sensitivity.unwrap();
            let (parties, prefs): (Vec<PartyId>, Vec<Preferences>) = case.negotiators().map(|(id, p)| (id, p.clone())).unzip();
            let engine = Engine { case: &case, parties, prefs, limits: Limits::default(), seed: 0, progress: &Silent };
            let base = nash_outcome(&engine, engine.prefs.clone()).unwrap();
            for w in &s.weights {
                let p = w.party.index();
                let i = w.issue.index();
                let at = |x: f64| {
                    let mut all = engine.prefs.clone();
                    all[p] = reweighted(&engine.prefs[p], i, x);
                    nash_outcome(&engine, all).unwrap()
                };
                let tolerance = (w.range.1 - w.range.0) * RESOLUTION;
                for (edge, end, direction) in [(w.nash.below, w.range.0, -1.0), (w.nash.above, w.range.1, 1.0)] {
                    match edge {
                        Some(x) => {
                            prop_assert!(at(x) != base, "no change at {}", x);
                            // Just before the change point (within the resolution) nothing changed yet.
                            let before = x - direction * tolerance * 1.01;
                            if (before - w.weight) * direction > 0.0 {
                                prop_assert!(at(before) == base, "changed before {}", x);
                            }
                        }
                        None => prop_assert!(at(end) == base, "a change at the end of the range was missed"),
                    }
                }
                for flip in &w.flips {
                    let proposal = case.proposal(flip.proposal);
                    let values = proposal.values(case.space().len());
                    let u = reweighted(&engine.prefs[p], i, flip.at).utility_of_values(&case.domain, &values).unwrap();
                    prop_assert!((u - engine.prefs[p].reservation).abs() < 1e-9, "{} vs {}", u, engine.prefs[p].reservation);
                }
            }
        }
    }
}
