//! Bridging: the packages a mediator could put on the table, or, when no outcome is acceptable to
//! every party, what stands in the way.
//!
//! Packages are drawn from the frontier of the zone of agreement (any other acceptable package is
//! beaten for every party by one of them) and ranked two ways:
//! - by Nash product `prod_p (u_p - d_p)` (Nash 1950), largest first;
//! - by least total concession: each party's *aspiration* is its utility of the last proposal it tabled
//!   (the best completion for it, if that proposal left issues open; its best possible utility if it
//!   tabled none), its concession is how far a package falls below that, and packages are ranked by
//!   the sum of concessions, smallest first (ties: larger Nash product).
//!
//! Criteria are compared at 12 decimals; remaining ties go to the larger welfare (Nash ranking) and
//! then to the frontier's order.
//!
//! Each package is explained as the changes from each party's last proposal.
//!
//! When the zone is empty, the smallest sets of red lines whose relaxation opens it are found by
//! testing sets of increasing size (every set of the smallest size that works is listed; supersets of
//! a working set are never listed). If relaxing every red line is not enough, the reservation values
//! themselves conflict, and sets of red lines and reservation values are searched instead. For the
//! first sets, the packages the relaxation would make possible are given too: what a mediator could
//! offer the party asked to give way.
//!
//! Red lines count as they stand at the analysis date (see [`truce_model::RedLine::in_force_at`]).

use truce_model::{PartyId, ProposalId};

use crate::AnalysisError;
use crate::engine::Engine;
use crate::evaluate::{Change, Evaluation, Setting, Subject, changes};
use crate::frontier::FrontierPoint;
use crate::problem::RedLineRef;
use crate::zone::reaches;

/// The most candidate sets tested when searching for relaxations.
const RELAXATION_BUDGET: usize = 4096;

/// Where a party stands before bridging: its last proposal (by the analysis date) and what it
/// aspires to.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    /// The party.
    pub party: PartyId,
    /// The last proposal it tabled, if any.
    pub proposal: Option<ProposalId>,
    /// Its utility of that proposal (of its best completion, if partial), or its best possible
    /// utility when it tabled none.
    pub aspiration: f64,
}

/// A package acceptable to every party.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// The package and its utilities.
    pub point: FrontierPoint,
    /// `prod_p (u_p - d_p)`.
    pub nash_product: f64,
    /// Per party, how far the package falls below its aspiration (0 when it does not).
    pub concessions: Vec<f64>,
    /// The sum of the concessions.
    pub total_concession: f64,
    /// Per party with a last proposal (index into the anchors), the changes from that proposal.
    pub changes: Vec<(usize, Vec<Change>)>,
    /// Within each party with constituencies: whose approval the package lacks, and whether it
    /// carries (at the analysis date).
    pub approvals: Vec<crate::PartyApproval>,
}

/// Something whose relaxation can open a zone of agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Blocker {
    /// A red line: the party, and the red line's position in its list.
    RedLine {
        /// The party.
        party: PartyId,
        /// The red line's position in the party's list.
        index: usize,
    },
    /// A party's reservation value.
    Reservation {
        /// The party.
        party: PartyId,
    },
}

/// What a mediator can work with.
#[derive(Clone, Debug, PartialEq)]
pub enum Bridging {
    /// Packages acceptable to every party.
    Packages {
        /// Each negotiator's position.
        anchors: Vec<Anchor>,
        /// The best packages by Nash product.
        by_nash: Vec<Package>,
        /// The best packages by least total concession.
        by_concession: Vec<Package>,
    },
    /// No outcome is acceptable to every party.
    Blocked {
        /// The smallest sets whose relaxation opens a zone of agreement (each a minimal set).
        relaxations: Vec<Vec<Blocker>>,
        /// Whether the reservation values conflict by themselves (relaxing every red line is not
        /// enough), so that sets include reservation values.
        reservations_conflict: bool,
        /// Whether every candidate set up to the size found was tested (false when the search
        /// stopped at its budget).
        exhaustive: bool,
        /// Each negotiator's position, which the packages of `if_relaxed` are explained against.
        anchors: Vec<Anchor>,
        /// For the first sets of `relaxations` that relax only red lines: the packages a mediator
        /// could put on the table if those red lines gave way.
        if_relaxed: Vec<Relaxed>,
    },
}

/// The packages that become possible when a set of red lines is relaxed.
#[derive(Clone, Debug, PartialEq)]
pub struct Relaxed {
    /// The red lines relaxed (one of [`Bridging::Blocked`]'s `relaxations`).
    pub relaxed: Vec<Blocker>,
    /// The best packages of the zone so opened, by Nash product.
    pub by_nash: Vec<Package>,
    /// The best packages of the zone so opened, by least total concession.
    pub by_concession: Vec<Package>,
}

/// Each negotiator's last proposal and aspiration.
pub(crate) fn anchors(engine: &Engine<'_>, evaluations: &[Evaluation], best: &[f64]) -> Vec<Anchor> {
    let case = engine.case;
    engine
        .parties
        .iter()
        .enumerate()
        .map(|(p, &party)| {
            // Proposals tabled by the analysis date (all of them when it has none).
            let tabled: Vec<usize> = (0..case.proposals.len())
                .filter(|&k| case.proposals[k].tabled_by.contains(&party))
                .filter(|&k| match (engine.date, case.proposals[k].date) {
                    (Some(at), Some(d)) => d.first_day() <= at.last_day(),
                    _ => true,
                })
                .collect();
            let dated = tabled.iter().all(|&k| case.proposals[k].date.is_some());
            let last = if dated {
                tabled.iter().copied().max_by_key(|&k| (case.proposals[k].date, k))
            } else {
                tabled.last().copied()
            };
            let proposal = last.map(ProposalId::from_index);
            let aspiration = proposal
                .and_then(|id| evaluations.iter().find(|e| e.subject == Subject::Proposal(id)))
                .and_then(|e| e.parties[p].utility)
                .map_or(best[p], |u| u.high);
            Anchor { party, proposal, aspiration }
        })
        .collect()
}

/// The `k` best packages of the zone frontier each way.
pub(crate) fn packages(
    engine: &Engine<'_>,
    zone: &[FrontierPoint],
    anchors: &[Anchor],
    k: usize,
) -> (Vec<Package>, Vec<Package>) {
    let d: Vec<f64> = engine.prefs.iter().map(|p| p.reservation).collect();
    let settings: Vec<Option<Vec<Setting>>> = anchors
        .iter()
        .map(|a| a.proposal.map(|id| Setting::of_proposal(engine.case.space(), engine.case.proposal(id))))
        .collect();
    let all: Vec<Package> = zone
        .iter()
        .map(|point| {
            let nash_product = point.utilities.iter().zip(&d).map(|(u, d)| u - d).product();
            let concessions: Vec<f64> =
                point.utilities.iter().zip(anchors).map(|(u, a)| (a.aspiration - u).max(0.0)).collect();
            let changes = settings
                .iter()
                .enumerate()
                .filter_map(|(p, s)| s.as_ref().map(|s| (p, changes(s, &point.outcome))))
                .collect();
            Package {
                point: point.clone(),
                nash_product,
                total_concession: concessions.iter().sum(),
                concessions,
                changes,
                approvals: Vec::new(),
            }
        })
        .collect();
    // Criteria are compared at 12 decimals, so that float noise does not decide ties.
    let r = |x: f64| (x * 1e12).round();
    let welfare = |p: &Package| r(p.point.utilities.iter().sum::<f64>());
    let mut by_nash: Vec<usize> = (0..all.len()).collect();
    by_nash.sort_by(|&a, &b| {
        r(all[b].nash_product)
            .total_cmp(&r(all[a].nash_product))
            .then(welfare(&all[b]).total_cmp(&welfare(&all[a])))
            .then(a.cmp(&b))
    });
    let mut by_concession: Vec<usize> = (0..all.len()).collect();
    by_concession.sort_by(|&a, &b| {
        r(all[a].total_concession)
            .total_cmp(&r(all[b].total_concession))
            .then(r(all[b].nash_product).total_cmp(&r(all[a].nash_product)))
            .then(a.cmp(&b))
    });
    let take = |order: Vec<usize>| order.into_iter().take(k).map(|i| all[i].clone()).collect();
    (take(by_nash), take(by_concession))
}

/// The smallest sets of blockers whose relaxation opens a zone of agreement.
pub(crate) fn relaxations(
    engine: &Engine<'_>,
    anchors: Vec<Anchor>,
    k: usize,
) -> Result<Bridging, AnalysisError> {
    let red_lines = engine.red_lines_at(None);
    let mut tested = 0usize;
    let opens = |relaxed: &[Item], tested: &mut usize| -> Result<bool, AnalysisError> {
        *tested += 1;
        let mut problem = engine.problem();
        problem.red_lines =
            red_lines.iter().copied().filter(|r| !relaxed.contains(&Item::RedLine(*r))).collect();
        for item in relaxed {
            if let Item::Reservation(p) = item {
                problem.parties[*p].reservation = f64::NEG_INFINITY;
            }
        }
        let solved = engine.solve(&problem)?;
        Ok(solved.points.iter().any(|f| reaches(&problem, &f.utilities)))
    };
    let lines: Vec<Item> = red_lines.iter().copied().map(Item::RedLine).collect();
    let reservations_conflict = !opens(&lines, &mut tested)?;
    let items: Vec<Item> = if reservations_conflict {
        lines.into_iter().chain((0..engine.prefs.len()).map(Item::Reservation)).collect()
    } else {
        lines
    };
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut exhaustive = true;
    'sizes: for size in 1..=items.len() {
        let mut combo: Vec<usize> = (0..size).collect();
        loop {
            if tested >= RELAXATION_BUDGET {
                exhaustive = false;
                break 'sizes;
            }
            let relaxed: Vec<Item> = combo.iter().map(|&i| items[i]).collect();
            if opens(&relaxed, &mut tested)? {
                found.push(combo.clone());
            }
            if !next_combination(&mut combo, items.len()) {
                break;
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    // What a mediator could offer if each set of red lines were relaxed (sets that relax a
    // reservation value have no packages: a party below its reservation value gains nothing).
    let mut if_relaxed = Vec::new();
    for set in found.iter().filter(|set| set.iter().all(|&i| matches!(items[i], Item::RedLine(_)))).take(k) {
        let relaxed: Vec<Item> = set.iter().map(|&i| items[i]).collect();
        let problem = engine.problem().with_red_lines(
            red_lines.iter().copied().filter(|r| !relaxed.contains(&Item::RedLine(*r))).collect(),
        );
        let zone: Vec<FrontierPoint> =
            engine.solve(&problem)?.points.into_iter().filter(|f| reaches(&problem, &f.utilities)).collect();
        let (by_nash, by_concession) = packages(engine, &zone, &anchors, k);
        if_relaxed.push(Relaxed { relaxed: blockers(engine, &items, set), by_nash, by_concession });
    }
    let relaxations = found.iter().map(|set| blockers(engine, &items, set)).collect();
    Ok(Bridging::Blocked { relaxations, reservations_conflict, exhaustive, anchors, if_relaxed })
}

fn blockers(engine: &Engine<'_>, items: &[Item], set: &[usize]) -> Vec<Blocker> {
    set.iter()
        .map(|&i| match items[i] {
            Item::RedLine(r) => Blocker::RedLine { party: engine.parties[r.party], index: r.index },
            Item::Reservation(p) => Blocker::Reservation { party: engine.parties[p] },
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    RedLine(RedLineRef),
    Reservation(usize),
}

/// The next `k`-subset of `0..n` in lexicographic order; false after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let k = combo.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if combo[i] < n - k + i {
            combo[i] += 1;
            for j in i + 1..k {
                combo[j] = combo[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_in_lexicographic_order() {
        let mut c = vec![0, 1];
        let mut all = vec![c.clone()];
        while next_combination(&mut c, 4) {
            all.push(c.clone());
        }
        assert_eq!(all, vec![vec![0, 1], vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3], vec![2, 3]]);
    }
}
