//! A negotiation problem as the engine sees it (the negotiators' preferences, the red lines that
//! count, the values each issue may take) and its compilation into additive *blocks*.
//!
//! Compilation is where the structure that makes exact analysis fast is found:
//! - a red line is split into its `all_of` parts; a part that reads one issue removes values from that
//!   issue, a part that reads several ties those issues into one block whose choices are the joint
//!   values that satisfy it (issues tied by several parts form one block);
//! - a continuation belief that depends on an issue (`Probability::ByIssue`) makes utility additive only
//!   once that issue is fixed, so the problem is split into one *group* per joint value of such
//!   issues, each additive, and the frontier of the whole is the frontier of the union of the groups.
//!
//! Hyper-rectangle utilities have no such structure; they are left to enumeration.

use truce_model::{
    Constraint, Domain, IssueId, PartialDate, Preferences, Scorer, Utility, Value, reach_probabilities,
};

use crate::Limits;
use crate::fixed::Scale;
use crate::frontier::minkowski::Points;

/// Which values an issue may take.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Restriction {
    /// Any grid value.
    Free,
    /// The grid values whose entry is `true`.
    Allowed(Vec<bool>),
    /// Exactly this value, which may lie off the grid (a proposal's term).
    Pinned(Value),
}

/// One of the red lines in force: `parties[party].red_lines[index]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct RedLineRef {
    pub(crate) party: usize,
    pub(crate) index: usize,
}

/// What the engine analyses.
#[derive(Clone, Debug)]
pub(crate) struct Problem<'a> {
    pub(crate) domain: &'a Domain,
    /// The negotiators' preferences (reservation values included), in case order.
    pub(crate) parties: Vec<Preferences>,
    /// The red lines in force.
    pub(crate) red_lines: Vec<RedLineRef>,
    /// One per issue.
    pub(crate) restrictions: Vec<Restriction>,
}

impl<'a> Problem<'a> {
    /// Every outcome, no red line.
    pub(crate) fn unrestricted(domain: &'a Domain, parties: Vec<Preferences>) -> Self {
        let restrictions = vec![Restriction::Free; domain.space().len()];
        Self { domain, parties, red_lines: Vec::new(), restrictions }
    }

    /// The same problem with every red line of every party in force, whatever their dates.
    #[cfg(test)]
    pub(crate) fn with_all_red_lines(mut self) -> Self {
        self.red_lines = all_red_lines(&self.parties);
        self
    }

    /// The same problem with no issue above what the case's state of play says is held at `date`
    /// ([`truce_model::Case::held_at`]): no package proposes more of something than exists. A value a
    /// proposal pins stays (validation flags it: `more-than-exists`).
    pub(crate) fn within_what_is_held(mut self, case: &truce_model::Case, date: Option<PartialDate>) -> Self {
        if case.state_of_play.is_empty() {
            return self;
        }
        let space = self.domain.space();
        for (i, restriction) in self.restrictions.iter_mut().enumerate() {
            let Some(held) = case.held_at(IssueId::from_index(i), date) else { continue };
            let domain = space.issues()[i].domain();
            let mask: Vec<bool> = (0..domain.cardinality())
                .map(|d| match domain.grid_value(d) {
                    Some(Value::Int(v)) => v <= held,
                    _ => true,
                })
                .collect();
            *restriction = match std::mem::replace(restriction, Restriction::Free) {
                Restriction::Free if mask.iter().all(|x| *x) => Restriction::Free,
                Restriction::Free => Restriction::Allowed(mask),
                Restriction::Allowed(m) => {
                    Restriction::Allowed(m.iter().zip(&mask).map(|(a, b)| *a && *b).collect())
                }
                pinned @ Restriction::Pinned(_) => pinned,
            };
        }
        self
    }

    /// The same problem with the given red lines in force.
    pub(crate) fn with_red_lines(mut self, red_lines: Vec<RedLineRef>) -> Self {
        self.red_lines = red_lines;
        self
    }

    /// The number of parties.
    pub(crate) fn len(&self) -> usize {
        self.parties.len()
    }

    /// The values issue `i` may take before red lines: its grid values, or those the restriction
    /// allows.
    pub(crate) fn candidate_values(&self, i: usize) -> Vec<Value> {
        let domain = self.domain.space().issues()[i].domain();
        match &self.restrictions[i] {
            Restriction::Free => (0..domain.cardinality()).filter_map(|d| domain.grid_value(d)).collect(),
            Restriction::Allowed(mask) => (0..domain.cardinality())
                .filter(|&d| mask.get(d as usize).copied().unwrap_or(false))
                .filter_map(|d| domain.grid_value(d))
                .collect(),
            Restriction::Pinned(v) => vec![*v],
        }
    }

    /// The constraint of a red line in force.
    pub(crate) fn constraint(&self, r: RedLineRef) -> &Constraint {
        &self.parties[r.party].red_lines[r.index].rule
    }

    /// Every party's utility of a fully specified outcome (phase-weighted, summed in issue order as
    /// the model does); `None` when some utility cannot be evaluated (an off-grid value that a table
    /// or a belief cannot score).
    pub(crate) fn utilities(&self, values: &[Value]) -> Option<Vec<f64>> {
        self.utilities_with(values, &mut Vec::new())
    }

    /// [`utilities`](Self::utilities), with a buffer the caller reuses across outcomes.
    pub(crate) fn utilities_with(
        &self,
        values: &[Value],
        buffer: &mut Vec<Option<Value>>,
    ) -> Option<Vec<f64>> {
        buffer.clear();
        buffer.extend(values.iter().copied().map(Some));
        self.parties.iter().map(|p| p.utility_of_values(self.domain, buffer)).collect()
    }

    /// Whether an outcome breaks none of the red lines in force.
    pub(crate) fn respects_red_lines(&self, values: &[Value]) -> bool {
        let space = self.domain.space();
        self.red_lines.iter().all(|&r| {
            self.constraint(r).eval(space, &|i: IssueId| values.get(i.index()).copied()) == Some(true)
        })
    }

    /// Whether every party's utility is additive (possibly once some issues are fixed).
    pub(crate) fn is_additive(&self) -> bool {
        self.parties.iter().all(|p| matches!(p.utility, Utility::Additive(_)))
    }
}

/// Every red line of every party, whatever their dates.
#[cfg(test)]
pub(crate) fn all_red_lines(parties: &[Preferences]) -> Vec<RedLineRef> {
    parties
        .iter()
        .enumerate()
        .flat_map(|(party, p)| (0..p.red_lines.len()).map(move |index| RedLineRef { party, index }))
        .collect()
}

/// The red lines of every party in force at `date` (the model's rule, [`truce_model::RedLine::in_force`]:
/// with no date, the red lines still in force at the end of the record).
pub(crate) fn red_lines_in_force(parties: &[Preferences], date: Option<PartialDate>) -> Vec<RedLineRef> {
    parties
        .iter()
        .enumerate()
        .flat_map(|(party, p)| {
            p.red_lines
                .iter()
                .enumerate()
                .filter(move |(_, r)| r.in_force(date))
                .map(move |(index, _)| RedLineRef { party, index })
        })
        .collect()
}

/// One additive term of the problem: an issue, or issues tied together by a red line.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    /// The issues, in issue order.
    pub(crate) issues: Vec<usize>,
    /// The joint values each choice gives `issues`, flattened: choice `c` is
    /// `values[c * issues.len()..(c + 1) * issues.len()]`.
    values: Vec<Value>,
    /// Every choice's contribution vector (ids: choice indices).
    pub(crate) points: Points,
    /// The same contributions unrounded, one per choice, party and issue (in that nesting):
    /// `terms[(choice * parties + party) * issues.len() + k]` is `issues[k]`'s.
    terms: Vec<f64>,
}

/// An additive part of the problem: a frontier of its own, unioned with the other groups'.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    /// The blocks; every issue is in exactly one.
    pub(crate) blocks: Vec<Block>,
    /// Per issue, its block and its place among the block's issues.
    located: Vec<(usize, usize)>,
}

impl Group {
    /// Whether some block has no choice left (no outcome of the group is allowed).
    pub(crate) fn is_empty(&self) -> bool {
        self.blocks.iter().any(|b| b.points.len() == 0)
    }

    /// The number of outcomes of the group.
    pub(crate) fn size(&self) -> num_bigint::BigUint {
        self.blocks.iter().fold(num_bigint::BigUint::from(1u32), |acc, b| acc * b.points.len())
    }

    /// Every party's utility of the outcome made of one choice per block, as the model computes it:
    /// each issue's unrounded contribution added in issue order, the model's own order, so the result
    /// is the model's to the last bit without evaluating the outcome again.
    pub(crate) fn utilities(&self, parties: usize, choices: &[u32]) -> Vec<f64> {
        (0..parties)
            .map(|p| {
                let mut total = 0.0;
                for &(b, k) in &self.located {
                    let block = &self.blocks[b];
                    let c = choices[b] as usize;
                    total += block.terms[(c * parties + p) * block.issues.len() + k];
                }
                total
            })
            .collect()
    }

    /// The block holding `issue`.
    pub(crate) fn block_of(&self, issue: usize) -> usize {
        self.located[issue].0
    }

    /// The outcome made of one choice per block.
    pub(crate) fn outcome(&self, issues: usize, choices: &[u32]) -> Vec<Value> {
        let mut out = vec![Value::Option(0); issues];
        for (block, &c) in self.blocks.iter().zip(choices) {
            let k = block.issues.len();
            for (&i, &v) in block.issues.iter().zip(&block.values[c as usize * k..]) {
                out[i] = v;
            }
        }
        out
    }
}

/// The problem as a union of additive groups.
#[derive(Clone, Debug)]
pub(crate) struct Additive {
    /// The fixed-point scale of every contribution.
    pub(crate) scale: Scale,
    /// The groups (disjoint sets of outcomes).
    pub(crate) groups: Vec<Group>,
}

/// Why a problem was not compiled into additive groups.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NotAdditive {
    /// Some utility is not additive (hyper-rectangles).
    Utility,
    /// Too many joint values to condition on, or a red line over too many joint values.
    TooCoupled(String),
    /// A utility cannot be evaluated (an off-grid value a belief or a table needs on the grid).
    Unscorable(String),
}

/// Compiles the problem into additive groups.
pub(crate) fn compile(problem: &Problem<'_>, limits: &Limits) -> Result<Additive, NotAdditive> {
    if !problem.is_additive() {
        return Err(NotAdditive::Utility);
    }
    let space = problem.domain.space();
    let issues = space.len();
    // Values each issue may take, after the red-line parts that read only that issue.
    let mut allowed: Vec<Vec<Value>> = (0..issues).map(|i| problem.candidate_values(i)).collect();
    let mut multi: Vec<Constraint> = Vec::new();
    let mut impossible = false;
    for &r in &problem.red_lines {
        for atom in conjuncts(problem.constraint(r)) {
            match atom.issues()[..] {
                [] => impossible |= atom.eval(space, &|_| None) != Some(true),
                [issue] => {
                    let i = issue.index();
                    allowed[i].retain(|&v| atom.eval(space, &|_| Some(v)) == Some(true));
                }
                _ => multi.push(atom.clone()),
            }
        }
    }
    if impossible {
        allowed.iter_mut().for_each(Vec::clear);
    }
    // Issues tied together by multi-issue parts: union-find.
    let mut parent: Vec<usize> = (0..issues).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for atom in &multi {
        let ids = atom.issues();
        let first = root(&mut parent, ids[0].index());
        for id in &ids[1..] {
            let other = root(&mut parent, id.index());
            parent[other] = first;
        }
    }
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut component_of = vec![usize::MAX; issues];
    for i in 0..issues {
        let r = root(&mut parent, i);
        if component_of[r] == usize::MAX {
            component_of[r] = components.len();
            components.push(Vec::new());
        }
        components[component_of[r]].push(i);
    }
    let mut component_atoms: Vec<Vec<&Constraint>> = vec![Vec::new(); components.len()];
    for atom in &multi {
        let r = root(&mut parent, atom.issues()[0].index());
        component_atoms[component_of[r]].push(atom);
    }
    // Issues beliefs depend on.
    let mut conditioned: Vec<usize> = Vec::new();
    for p in &problem.parties {
        if !p.is_phase_weighted(problem.domain) {
            continue;
        }
        let transitions = problem.domain.phases().len().saturating_sub(1);
        for c in p.continuation.iter().take(transitions) {
            if let Some(issue) = c.probability.issue()
                && !conditioned.contains(&issue.index())
            {
                conditioned.push(issue.index());
            }
        }
    }
    conditioned.sort_unstable();
    let assignments = joint_values(&conditioned, &allowed, limits.conditioning).ok_or_else(|| {
        NotAdditive::TooCoupled(format!(
            "the continuation beliefs depend on {} issues with more than {} joint values",
            conditioned.len(),
            limits.conditioning
        ))
    })?;
    // Scores and reach probabilities lie in [0, 1], so no sum exceeds the largest total weight.
    let bound = problem
        .parties
        .iter()
        .filter_map(|p| p.utility.as_additive())
        .map(|a| a.issues.iter().map(|iu| iu.weight.abs()).filter(|w| w.is_finite()).sum::<f64>())
        .fold(0.0, f64::max);
    let scale = Scale::for_bound(bound);
    let mut groups = Vec::with_capacity(assignments.len());
    for assignment in &assignments {
        let mut group_allowed = allowed.clone();
        for (&i, &v) in conditioned.iter().zip(assignment) {
            group_allowed[i] = vec![v];
        }
        let multipliers = multipliers(problem, &conditioned, assignment)?;
        let mut blocks = Vec::with_capacity(issues);
        for (c, members) in components.iter().enumerate() {
            if component_atoms[c].is_empty() {
                for &i in members {
                    blocks.push(block(problem, scale, &multipliers, vec![i], group_allowed[i].clone())?);
                }
            } else {
                let joint = joint_values(members, &group_allowed, limits.conditioning).ok_or_else(|| {
                    let names: Vec<&str> = members.iter().map(|&i| space.issues()[i].name.as_str()).collect();
                    NotAdditive::TooCoupled(format!(
                        "red lines tie the issues {} together, with more than {} joint values",
                        names.join(", "),
                        limits.conditioning
                    ))
                })?;
                let satisfied: Vec<Value> = joint
                    .into_iter()
                    .filter(|values| {
                        let value =
                            |id: IssueId| members.iter().position(|&m| m == id.index()).map(|k| values[k]);
                        component_atoms[c].iter().all(|a| a.eval(space, &value) == Some(true))
                    })
                    .flatten()
                    .collect();
                blocks.push(block(problem, scale, &multipliers, members.clone(), satisfied)?);
            }
        }
        let mut located = vec![(0, 0); issues];
        for (b, block) in blocks.iter().enumerate() {
            for (k, &i) in block.issues.iter().enumerate() {
                located[i] = (b, k);
            }
        }
        groups.push(Group { blocks, located });
    }
    Ok(Additive { scale, groups })
}

/// A block over `issues` with the given choices (their joint values, flattened), each issue's
/// contribution converted to fixed point on its own, so that sums are exact.
fn block(
    problem: &Problem<'_>,
    scale: Scale,
    multipliers: &[Vec<f64>],
    issues: Vec<usize>,
    values: Vec<Value>,
) -> Result<Block, NotAdditive> {
    let n = problem.len();
    let choices = values.len() / issues.len().max(1);
    let mut points = Points::with_capacity(n, choices);
    let mut terms = Vec::with_capacity(values.len() * n);
    let mut row = vec![0i64; n];
    // Each party's scorer of each issue, found once: a table's divisor is then not searched per value.
    let scorers = problem
        .parties
        .iter()
        .map(|prefs| {
            let Utility::Additive(additive) = &prefs.utility else { return Err(NotAdditive::Utility) };
            Ok(issues
                .iter()
                .map(|&i| additive.issues.get(i).map(|iu| (iu.weight, iu.value.scorer())))
                .collect())
        })
        .collect::<Result<Vec<Vec<_>>, NotAdditive>>()?;
    for (c, values) in values.chunks_exact(issues.len().max(1)).enumerate() {
        for p in 0..problem.parties.len() {
            row[p] = 0;
            for (k, (&i, &v)) in issues.iter().zip(values).enumerate() {
                let term = contribution(problem, scorers[p][k], i, v, multipliers[p][i])?;
                terms.push(term);
                row[p] += scale.to_fixed(term);
            }
        }
        points.push(&row, 1, u32::try_from(c).unwrap_or(u32::MAX));
    }
    Ok(Block { issues, values, points, terms })
}

/// The parts of a constraint that must all hold (`all_of` flattened).
fn conjuncts(c: &Constraint) -> Vec<&Constraint> {
    match c {
        Constraint::AllOf(parts) => parts.iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

/// Every joint value of `issues` (in the order given), from each issue's allowed values; `None` when
/// there are more than `limit`.
fn joint_values(issues: &[usize], allowed: &[Vec<Value>], limit: u64) -> Option<Vec<Vec<Value>>> {
    let count = issues.iter().try_fold(1u64, |acc, &i| acc.checked_mul(allowed[i].len() as u64))?;
    if count > limit {
        return None;
    }
    let mut out: Vec<Vec<Value>> = vec![Vec::with_capacity(issues.len())];
    for &i in issues {
        out = out
            .into_iter()
            .flat_map(|prefix| allowed[i].iter().map(move |&v| [prefix.clone(), vec![v]].concat()))
            .collect();
    }
    Some(out)
}

/// Per party and issue, the factor an issue's weight is multiplied by (the probability of reaching
/// its phase), given the values of the conditioned issues.
fn multipliers(
    problem: &Problem<'_>,
    conditioned: &[usize],
    values: &[Value],
) -> Result<Vec<Vec<f64>>, NotAdditive> {
    let domain = problem.domain;
    let value = |id: IssueId| conditioned.iter().position(|&c| c == id.index()).map(|k| values[k]);
    problem
        .parties
        .iter()
        .map(|p| {
            let reach = reach_probabilities(domain, &p.continuation, &value).ok_or_else(|| {
                NotAdditive::Unscorable(
                    "a continuation belief depends on an issue whose value is off its grid".to_owned(),
                )
            })?;
            Ok(domain
                .space()
                .issue_ids()
                .map(|i| domain.phase_of(i).and_then(|k| reach.get(k.index()).copied()).unwrap_or(1.0))
                .collect())
        })
        .collect()
}

/// `w_i * multiplier * f_i(v)`, the same product (in the same order) as the model's utility.
fn contribution(
    problem: &Problem<'_>,
    scorer: Option<(f64, Scorer<'_>)>,
    i: usize,
    v: Value,
    multiplier: f64,
) -> Result<f64, NotAdditive> {
    let Some((weight, scorer)) = scorer else { return Ok(0.0) };
    let issue = &problem.domain.space().issues()[i];
    let score = scorer.score(issue, v).ok_or_else(|| {
        NotAdditive::Unscorable(format!(
            "`{}` = {} cannot be scored: it is off the issue's grid and the issue is scored by a table",
            issue.name,
            issue.format_value(v)
        ))
    })?;
    Ok(weight * multiplier * score)
}
