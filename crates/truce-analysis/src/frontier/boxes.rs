//! The exact frontier of hyper-rectangle utilities (ANAC 2014: 10^10 outcomes) by branch and bound
//! over boxes of outcomes.
//!
//! Each issue's values are first grouped into classes that no rectangle bound, score or red line tells
//! apart (an ANAC 2014 issue of 10 values often has 3 or 4); the search branches on classes and
//! counts each class's values at once. A node fixes the first issues (in an order that puts the
//! issues most rectangles bound first) and leaves the rest free. Over a node every rectangle is certainly paid, certainly not, or maybe, so
//! each party's utility lies in an interval computed by aggregating those payments as the utility
//! does (sums, minima, maxima, weights, the final division and cap). A node is dropped when a point
//! already found strictly dominates the upper ends of its intervals; it is a *leaf* when every
//! interval is a single value and every red line is decided: all its outcomes then share one utility
//! vector, counted at once. When a first search runs out of budget, points found by the approximation
//! seed a second (with no outcomes counted), so that pruning starts strong; every frontier point and
//! count still comes from leaves. The same boxes count outcomes passing a test (zone sizes, ranks).
//!
//! The search visits at most a budget of nodes; past it the caller falls back to the labelled
//! approximation. Additive parties without phase weighting may take part (their interval is the sum of
//! fixed and free per-issue extremes).

use truce_model::{Aggregation, Constraint, IssueId, RectangleFunction, Utility, Value};

use super::FrontierPoint;
use super::minkowski::Points;
use crate::fixed::{Scale, key};
use crate::problem::Problem;

/// Absorbs floating-point error in the bounds (a bound is a sum in another order than the model's),
/// relative to the bound: far more than the error of summing a few hundred terms, far less than the
/// 10^-12 at which ties are judged (a larger slack would stop nodes from ever being pruned by a point
/// they can only tie).
const SLACK: f64 = 1e-14;

/// One party's utility as the search sees it.
enum Party {
    /// `flat`: for a root that sums rectangles only (every ANAC 2014 profile), the rectangles that
    /// read each issue, so that fixing an issue updates only those.
    Rectangles { root: Function, max_utility: f64, flat: Option<Vec<Vec<usize>>> },
    /// Per issue, per candidate value, the weighted score.
    Additive(Vec<Vec<f64>>),
}

/// A rectangle function with its bounds resolved to candidate-value masks.
struct Function {
    aggregation: Aggregation,
    rectangles: Vec<Rectangle>,
    children: Vec<(f64, Function)>,
}

struct Rectangle {
    inclusive: bool,
    pays: f64,
    /// Per bound: the issue, which of its candidate values lie inside, and how many do.
    bounds: Vec<(usize, Vec<bool>, usize)>,
}

/// Where a rectangle stands over a node.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inside {
    Yes,
    No,
    Maybe,
}

impl Rectangle {
    fn inside(&self, node: &[Option<usize>]) -> Inside {
        let mut all = true;
        for (issue, mask, count) in &self.bounds {
            match node[*issue] {
                Some(v) if !mask[v] => return Inside::No,
                Some(_) => {}
                None => {
                    if *count == 0 {
                        return Inside::No;
                    }
                    all &= *count == mask.len();
                }
            }
        }
        if all { Inside::Yes } else { Inside::Maybe }
    }

    fn interval(&self, node: &[Option<usize>]) -> (f64, f64) {
        let paid = match (self.inside(node), self.inclusive) {
            (Inside::Yes, true) | (Inside::No, false) => return (self.pays, self.pays),
            (Inside::No, true) | (Inside::Yes, false) => return (0.0, 0.0),
            (Inside::Maybe, _) => self.pays,
        };
        (paid.min(0.0), paid.max(0.0))
    }
}

impl Function {
    fn interval(&self, node: &[Option<usize>]) -> (f64, f64) {
        let parts =
            self.rectangles.iter().map(|r| r.interval(node)).chain(self.children.iter().map(|(w, c)| {
                let (lo, hi) = c.interval(node);
                if *w >= 0.0 { (lo * w, hi * w) } else { (hi * w, lo * w) }
            }));
        match self.aggregation {
            Aggregation::Sum => parts.fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi)),
            Aggregation::Min => {
                let start = f64::from(i32::MAX);
                parts.fold((start, start), |(a, b), (lo, hi)| (a.min(lo), b.min(hi)))
            }
            Aggregation::Max => {
                let start = -f64::from(i32::MAX);
                parts.fold((start, start), |(a, b), (lo, hi)| (a.max(lo), b.max(hi)))
            }
        }
    }
}

fn resolve(f: &RectangleFunction, values: &[Vec<Value>]) -> Function {
    Function {
        aggregation: f.aggregation,
        rectangles: f
            .rectangles
            .iter()
            .map(|r| Rectangle {
                inclusive: r.inclusive,
                pays: r.utility * r.weight,
                bounds: r
                    .bounds
                    .iter()
                    .map(|b| {
                        let i = b.issue.index();
                        let mask: Vec<bool> = values.get(i).map_or_else(Vec::new, |vs| {
                            vs.iter().map(|v| b.min <= v.as_f64() && v.as_f64() <= b.max).collect()
                        });
                        let count = mask.iter().filter(|&&m| m).count();
                        (i, mask, count)
                    })
                    .collect(),
            })
            .collect(),
        children: f.children.iter().map(|c| (c.weight, resolve(c, values))).collect(),
    }
}

fn bounded_issues(f: &RectangleFunction, counts: &mut [usize]) {
    for r in &f.rectangles {
        for b in &r.bounds {
            if let Some(c) = counts.get_mut(b.issue.index()) {
                *c += 1;
            }
        }
    }
    for c in &f.children {
        bounded_issues(c, counts);
    }
}

impl Party {
    /// The interval of the party's utility over a node, and whether it is a single value; `cache`
    /// holds the rectangles' intervals of a flat party.
    fn interval(&self, node: &[Option<usize>], cache: &[(f64, f64)]) -> ((f64, f64), bool) {
        match self {
            Self::Rectangles { root, max_utility, flat } => {
                let ((lo, hi), decided) = if flat.is_some() {
                    let sum = cache.iter().fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi));
                    (sum, cache.iter().all(|(lo, hi)| lo == hi))
                } else {
                    let i = root.interval(node);
                    (i, i.0 == i.1)
                };
                let cap = |x: f64| if x.is_nan() { 0.0 } else { (x / max_utility).min(1.0) };
                ((cap(lo), cap(hi)), decided)
            }
            Self::Additive(scores) => {
                let mut decided = true;
                let i = scores.iter().zip(node).fold((0.0, 0.0), |(a, b), (s, v)| match v {
                    Some(v) => (a + s[*v], b + s[*v]),
                    None => {
                        let lo = s.iter().copied().fold(f64::INFINITY, f64::min);
                        let hi = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        decided &= lo == hi;
                        (a + lo, b + hi)
                    }
                });
                (i, decided)
            }
        }
    }
}

/// The frontier found so far: non-dominated rounded vectors with their outcomes and counts.
struct Archive {
    keys: Vec<Vec<i64>>,
    points: Vec<FrontierPoint>,
}

impl Archive {
    /// Whether some archived point strictly dominates every vector whose keys are at most `upper`.
    fn prunes(&self, upper: &[i64]) -> bool {
        self.keys.iter().any(|k| k.iter().zip(upper).all(|(a, b)| a >= b) && k.as_slice() != upper)
    }

    fn insert(&mut self, keys: Vec<i64>, point: FrontierPoint) {
        let dominates = |a: &[i64], b: &[i64]| a.iter().zip(b).all(|(x, y)| x >= y) && a != b;
        if let Some(i) = self.keys.iter().position(|k| *k == keys) {
            let p = &mut self.points[i];
            if p.count == 0 {
                // A seed: the outcome found by the search replaces it.
                p.outcome = point.outcome;
                p.utilities = point.utilities;
            }
            p.count = p.count.saturating_add(point.count);
            return;
        }
        if self.keys.iter().any(|k| dominates(k, &keys)) {
            return;
        }
        let mut i = 0;
        while i < self.keys.len() {
            if dominates(&keys, &self.keys[i]) {
                self.keys.swap_remove(i);
                self.points.swap_remove(i);
            } else {
                i += 1;
            }
        }
        self.keys.push(keys);
        self.points.push(point);
    }
}

/// The parties' utilities prepared for the search, the issue order, and each issue's candidate
/// values grouped into *classes*: values no rectangle bound, no score and no red line tells apart,
/// one representative each with its multiplicity. A box then branches on classes, not values.
struct Model {
    parties: Vec<Party>,
    values: Vec<Vec<Value>>,
    multiplicity: Vec<Vec<u128>>,
    order: Vec<usize>,
}

/// The search's view of the problem; `None` when out of scope (phase-weighted utilities, additive
/// utilities that cannot score a candidate value, a non-positive rectangle maximum).
fn model(problem: &Problem<'_>) -> Option<Model> {
    let space = problem.domain.space();
    let issues = space.len();
    let (values, multiplicity) = classes(problem);
    let mut bounded = vec![0usize; issues];
    let mut parties = Vec::with_capacity(problem.len());
    for p in &problem.parties {
        if p.is_phase_weighted(problem.domain) {
            return None;
        }
        parties.push(match &p.utility {
            Utility::Rectangles(r) => {
                bounded_issues(&r.root, &mut bounded);
                if !(r.max_utility.is_finite() && r.max_utility > 0.0) {
                    return None;
                }
                let root = resolve(&r.root, &values);
                let flat = (root.aggregation == Aggregation::Sum && root.children.is_empty()).then(|| {
                    let mut by_issue = vec![Vec::new(); issues];
                    for (k, rect) in root.rectangles.iter().enumerate() {
                        for (i, ..) in &rect.bounds {
                            if let Some(list) = by_issue.get_mut(*i) {
                                list.push(k);
                            }
                        }
                    }
                    by_issue
                });
                Party::Rectangles { root, max_utility: r.max_utility, flat }
            }
            Utility::Additive(a) => Party::Additive(
                values
                    .iter()
                    .enumerate()
                    .map(|(i, vs)| {
                        let issue = &space.issues()[i];
                        vs.iter()
                            .map(|&v| {
                                a.issues.get(i).and_then(|iu| iu.value.score(issue, v).map(|s| iu.weight * s))
                            })
                            .collect::<Option<Vec<f64>>>()
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
        });
    }
    // Issues bounded by most rectangles first: leaves are reached sooner.
    let mut order: Vec<usize> = (0..issues).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(bounded[i]), i));
    Some(Model { parties, values, multiplicity, order })
}

/// Each issue's candidate values grouped by everything the search can see of a value: membership in
/// every rectangle bound on the issue, every additive score, the truth of every red-line comparison
/// reading the issue. Values of a class are interchangeable.
fn classes(problem: &Problem<'_>) -> (Vec<Vec<Value>>, Vec<Vec<u128>>) {
    fn bounds(f: &RectangleFunction, out: &mut Vec<(usize, f64, f64)>) {
        for r in &f.rectangles {
            out.extend(r.bounds.iter().map(|b| (b.issue.index(), b.min, b.max)));
        }
        for c in &f.children {
            bounds(c, out);
        }
    }
    fn leaves<'c>(c: &'c Constraint, out: &mut Vec<&'c Constraint>) {
        match c {
            Constraint::AllOf(parts) | Constraint::AnyOf(parts) => parts.iter().for_each(|p| leaves(p, out)),
            leaf => out.push(leaf),
        }
    }
    let space = problem.domain.space();
    let mut all_bounds = Vec::new();
    for p in &problem.parties {
        if let Utility::Rectangles(r) = &p.utility {
            bounds(&r.root, &mut all_bounds);
        }
    }
    let mut atoms = Vec::new();
    for &r in &problem.red_lines {
        leaves(problem.constraint(r), &mut atoms);
    }
    let mut values = Vec::with_capacity(space.len());
    let mut multiplicity = Vec::with_capacity(space.len());
    for i in 0..space.len() {
        let issue = &space.issues()[i];
        let mut reps: Vec<(Vec<u64>, Value, u128)> = Vec::new();
        for v in problem.candidate_values(i) {
            let x = v.as_f64();
            let mut signature: Vec<u64> = all_bounds
                .iter()
                .filter(|(j, ..)| *j == i)
                .map(|(_, lo, hi)| u64::from(*lo <= x && x <= *hi))
                .collect();
            for p in &problem.parties {
                if let Utility::Additive(a) = &p.utility {
                    let score = a.issues.get(i).and_then(|iu| iu.value.score(issue, v));
                    signature.push(score.map_or(u64::MAX, f64::to_bits));
                }
            }
            for atom in atoms.iter().filter(|a| a.issues().first().map(|id| id.index()) == Some(i)) {
                signature.push(u64::from(atom.eval(space, &|_| Some(v)) == Some(true)));
            }
            match reps.iter_mut().find(|(s, ..)| *s == signature) {
                Some(rep) => rep.2 += 1,
                None => reps.push((signature, v, 1)),
            }
        }
        values.push(reps.iter().map(|r| r.1).collect());
        multiplicity.push(reps.iter().map(|r| r.2).collect());
    }
    (values, multiplicity)
}

impl Model {
    fn search<'a>(&'a self, problem: &'a Problem<'a>, budget: u64) -> Search<'a> {
        let node = vec![None; self.values.len()];
        let cache = self
            .parties
            .iter()
            .map(|p| match p {
                Party::Rectangles { root, flat: Some(_), .. } => {
                    root.rectangles.iter().map(|r| r.interval(&node)).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        Search {
            problem,
            parties: &self.parties,
            values: &self.values,
            multiplicity: &self.multiplicity,
            order: &self.order,
            constraints: problem.red_lines.iter().map(|&r| problem.constraint(r)).collect(),
            nodes: 0,
            budget,
            cache,
            undo: Vec::new(),
        }
    }
}

/// The exact frontier and the boxes visited, or `None` when the problem is out of scope
/// (phase-weighted utilities) or the search needs more than `budget` boxes.
pub(crate) fn frontier(
    problem: &Problem<'_>,
    seeds: &[FrontierPoint],
    budget: u64,
) -> Option<(Vec<FrontierPoint>, u64)> {
    let model = model(problem)?;
    if model.values.iter().any(Vec::is_empty) {
        return Some((Vec::new(), 0));
    }
    let scale = Scale::for_bound(super::enumerate::utility_bound(problem));
    let keys = |u: &[f64]| -> Vec<i64> { u.iter().map(|&x| key(scale.to_fixed(x))).collect() };
    let mut archive = Archive { keys: Vec::new(), points: Vec::new() };
    for s in seeds {
        archive.insert(keys(&s.utilities), FrontierPoint { count: 0, ..s.clone() });
    }
    let mut search = model.search(problem, budget);
    let mut node = vec![None; model.values.len()];
    if !search.visit(0, &mut node, &mut archive, &keys) {
        return None;
    }
    // Seeds the search never reached are not frontier points of the problem (they were dominated or
    // broke nothing the search could confirm); only points with counted outcomes remain.
    let found: Vec<(Vec<i64>, FrontierPoint)> =
        archive.keys.into_iter().zip(archive.points).filter(|(_, p)| p.count > 0).collect();
    let mut points = Points::new(problem.len());
    for (k, (_, p)) in found.iter().enumerate() {
        let fixed: Vec<i64> = p.utilities.iter().map(|&x| scale.to_fixed(x)).collect();
        points.push(&fixed, p.count, u32::try_from(k).unwrap_or(u32::MAX));
    }
    let nodes = search.nodes;
    Some((super::finish(problem, &points, |id| found[id as usize].1.outcome.clone(), scale), nodes))
}

/// Decides a box from the parties' utility intervals: every outcome passes (`Some(true)`), none does
/// (`Some(false)`), or it cannot tell yet. The flag says the intervals are exact utilities of one
/// outcome; it must then decide.
pub(crate) type Test<'t> = &'t (dyn Fn(&[(f64, f64)], bool) -> Option<bool> + Sync);

/// How many outcomes of `problem` (its red lines included) pass `test`, counted box by box; `None`
/// when out of scope or past `budget` boxes.
pub(crate) fn count(problem: &Problem<'_>, test: Test<'_>, budget: u64) -> Option<u128> {
    let model = model(problem)?;
    if model.values.iter().any(Vec::is_empty) {
        return Some(0);
    }
    let mut search = model.search(problem, budget);
    let mut node = vec![None; model.values.len()];
    search.count(0, &mut node, test)
}

/// The slack to give a bound: see [`SLACK`].
pub(crate) fn slack(x: f64) -> f64 {
    SLACK * x.abs().max(1.0)
}

struct Search<'a> {
    problem: &'a Problem<'a>,
    parties: &'a [Party],
    values: &'a [Vec<Value>],
    multiplicity: &'a [Vec<u128>],
    order: &'a [usize],
    constraints: Vec<&'a Constraint>,
    nodes: u64,
    budget: u64,
    /// Per flat party, each rectangle's interval over the current node.
    cache: Vec<Vec<(f64, f64)>>,
    /// Undo log of `cache`: party, rectangle, previous interval.
    undo: Vec<(usize, usize, (f64, f64))>,
}

impl Search<'_> {
    /// The outcomes a box holds: the fixed classes' sizes times every free issue's candidates.
    fn outcomes(&self, node: &[Option<usize>]) -> u128 {
        node.iter().zip(self.multiplicity).fold(1u128, |acc, (v, m)| {
            acc.saturating_mul(match v {
                Some(v) => m[*v],
                None => m.iter().sum(),
            })
        })
    }

    /// Fixes `issue` to its `v`-th value; returns the undo mark for [`Self::unassign`].
    fn assign(&mut self, node: &mut [Option<usize>], issue: usize, v: usize) -> usize {
        let mark = self.undo.len();
        node[issue] = Some(v);
        for (p, party) in self.parties.iter().enumerate() {
            if let Party::Rectangles { root, flat: Some(by_issue), .. } = party {
                for &r in &by_issue[issue] {
                    let new = root.rectangles[r].interval(node);
                    self.undo.push((p, r, self.cache[p][r]));
                    self.cache[p][r] = new;
                }
            }
        }
        mark
    }

    fn unassign(&mut self, node: &mut [Option<usize>], issue: usize, mark: usize) {
        node[issue] = None;
        while self.undo.len() > mark {
            if let Some((p, r, old)) = self.undo.pop() {
                self.cache[p][r] = old;
            }
        }
    }

    /// Every party's utility interval over the node, and whether all are single values.
    fn intervals(&self, node: &[Option<usize>]) -> (Vec<(f64, f64)>, bool) {
        let mut decided = true;
        let intervals = self
            .parties
            .iter()
            .zip(&self.cache)
            .map(|(p, cache)| {
                let (i, d) = p.interval(node, cache);
                decided &= d;
                i
            })
            .collect();
        (intervals, decided)
    }

    /// Explores the node with the first `depth` issues of `order` fixed; false when over budget.
    fn visit(
        &mut self,
        depth: usize,
        node: &mut Vec<Option<usize>>,
        archive: &mut Archive,
        keys: &impl Fn(&[f64]) -> Vec<i64>,
    ) -> bool {
        self.nodes += 1;
        if self.nodes > self.budget {
            return false;
        }
        let space = self.problem.domain.space();
        let value = |id: IssueId| node.get(id.index()).copied().flatten().map(|v| self.values[id.index()][v]);
        let mut decided = true;
        for c in &self.constraints {
            match c.eval(space, &value) {
                Some(false) => return true,
                None => decided = false,
                Some(true) => {}
            }
        }
        let (intervals, constant) = self.intervals(node);
        let upper: Vec<f64> = intervals.iter().map(|(_, hi)| hi + slack(*hi)).collect();
        if archive.prunes(&keys(&upper)) {
            return true;
        }
        if decided && constant || depth == self.order.len() {
            // Every outcome of the node has the same utilities: one representative, counted once.
            let outcome: Vec<Value> =
                node.iter().zip(self.values).map(|(v, vs)| vs[v.unwrap_or(0)]).collect();
            if !self.problem.respects_red_lines(&outcome) {
                return true;
            }
            let Some(utilities) = self.problem.utilities(&outcome) else { return true };
            let count = self.outcomes(node);
            archive.insert(keys(&utilities), FrontierPoint { utilities, outcome, count });
            return true;
        }
        let issue = self.order[depth];
        // Children with the best optimistic sum of utilities first: strong points early prune more.
        let mut children: Vec<(f64, usize)> = (0..self.values[issue].len())
            .map(|v| {
                let mark = self.assign(node, issue, v);
                let optimism = self.intervals(node).0.iter().map(|(_, hi)| hi).sum::<f64>();
                self.unassign(node, issue, mark);
                (optimism, v)
            })
            .collect();
        children.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, v) in children {
            let mark = self.assign(node, issue, v);
            let within = self.visit(depth + 1, node, archive, keys);
            self.unassign(node, issue, mark);
            if !within {
                return false;
            }
        }
        true
    }

    /// Counts the outcomes of the node that break no red line and pass `test`; `None` past budget.
    fn count(&mut self, depth: usize, node: &mut Vec<Option<usize>>, test: Test<'_>) -> Option<u128> {
        self.nodes += 1;
        if self.nodes > self.budget {
            return None;
        }
        let space = self.problem.domain.space();
        let value = |id: IssueId| node.get(id.index()).copied().flatten().map(|v| self.values[id.index()][v]);
        let mut decided = true;
        for c in &self.constraints {
            match c.eval(space, &value) {
                Some(false) => return Some(0),
                None => decided = false,
                Some(true) => {}
            }
        }
        if depth == self.order.len() {
            let outcome: Vec<Value> =
                node.iter().zip(self.values).map(|(v, vs)| vs[v.unwrap_or(0)]).collect();
            let Some(u) = self.problem.utilities(&outcome) else { return Some(0) };
            let exact: Vec<(f64, f64)> = u.iter().map(|&x| (x, x)).collect();
            return Some(if test(&exact, true) == Some(true) { self.outcomes(node) } else { 0 });
        }
        let (intervals, _) = self.intervals(node);
        match test(&intervals, false) {
            Some(false) => return Some(0),
            Some(true) if decided => {
                return Some(self.outcomes(node));
            }
            _ => {}
        }
        let issue = self.order[depth];
        let mut total = 0u128;
        for v in 0..self.values[issue].len() {
            let mark = self.assign(node, issue, v);
            let c = self.count(depth + 1, node, test);
            self.unassign(node, issue, mark);
            total = total.saturating_add(c?);
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Silent;
    use crate::testkit::{brute, brute_frontier, build, key as round, rectangles, spec};
    use crate::zone::RESERVATION_TOLERANCE;

    fn keyed(points: &[FrontierPoint]) -> Vec<(Vec<i64>, u128)> {
        let mut out: Vec<(Vec<i64>, u128)> = points.iter().map(|f| (round(&f.utilities), f.count)).collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn boxes_find_the_brute_force_frontier_and_counts(
            (spec, rects, which) in spec(1..=3, 4, 1..=3, true, false)
                .prop_flat_map(|s| (Just(s.clone()), prop::collection::vec(rectangles(s.radices.clone()), 3), prop::collection::vec(any::<bool>(), 3)))
        ) {
            let mut case = build(&spec);
            for ((party, r), &rectangular) in case.parties.iter_mut().zip(rects).zip(&which) {
                if rectangular {
                    party.preferences.as_mut().unwrap().utility = Utility::Rectangles(r);
                }
            }
            let b = brute(&case);
            let prefs = case.negotiators().map(|(_, p)| p.clone()).collect();
            let problem = Problem::unrestricted(&case.domain, prefs).with_all_red_lines();
            let expected = brute_frontier(&b, &b.feasible);
            let (exact, _) = frontier(&problem, &[], u64::MAX).unwrap();
            prop_assert_eq!(keyed(&exact), expected.clone());
            // Seeded by the approximation, the same.
            let limits = crate::Limits { samples: 50, ..crate::Limits::default() };
            let (seeds, _) = super::super::approximate::frontier(&problem, &limits, 3, String::new(), &Silent);
            let (seeded, _) = frontier(&problem, &seeds, u64::MAX).unwrap();
            prop_assert_eq!(keyed(&seeded), expected);
            // Zone counts.
            let d: Vec<f64> = problem.parties.iter().map(|p| p.reservation - RESERVATION_TOLERANCE).collect();
            let test = |iv: &[(f64, f64)], exact: bool| {
                if exact {
                    return Some(iv.iter().zip(&d).all(|((u, _), d)| u >= d));
                }
                if iv.iter().zip(&d).all(|((lo, _), d)| lo - slack(*lo) >= *d) {
                    Some(true)
                } else if iv.iter().zip(&d).any(|((_, hi), d)| hi + slack(*hi) < *d) {
                    Some(false)
                } else {
                    None
                }
            };
            let zone = b.zone.iter().filter(|&&z| z).count() as u128;
            prop_assert_eq!(count(&problem, &test, u64::MAX), Some(zone));
        }
    }
}
