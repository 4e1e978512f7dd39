//! Test support: small random cases and a plain brute force written from the definitions.
//!
//! Weights, scores, probabilities and reservation values are multiples of powers of two, so that every
//! utility is computed exactly in floating point and ties are real ties.

use proptest::prelude::*;
use truce_model::{
    AdditiveUtility, Basis, Case, CmpOp, Constraint, Continuation, Domain, Issue, IssueDomain, IssueId,
    IssueUtility, OutcomeSpace, Party, PartyId, Phase, Preferences, Probability, Proposal, ProposalKind,
    RedLine, Role, Term, TermValue, Utility, Value, ValueFunction,
};

/// The shape of a random case.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    pub radices: Vec<u32>,
    pub parties: Vec<PartySpec>,
    /// Issues of phase 1 and phase 2 (none: unphased).
    pub phases: Option<(Vec<u32>, Vec<u32>)>,
    /// Proposals: per issue, 0 open, 1 a range from the value to the top, 2 or more the value
    /// `code - 2` (modulo the issue's size); and the tabling party (modulo the parties).
    pub proposals: Vec<(Vec<u32>, usize)>,
}

#[derive(Clone, Debug)]
pub(crate) struct PartySpec {
    pub weights: Vec<u32>,     // sixteenths
    pub scores: Vec<Vec<u32>>, // quarters, per issue per value
    pub reservation: u32,      // eighths
    pub red_lines: Vec<RuleSpec>,
    pub belief: Option<BeliefSpec>,
}

#[derive(Clone, Debug)]
pub(crate) enum RuleSpec {
    /// issue op value (issue and value taken modulo the space).
    Compare(u32, u8, u32),
    /// any of two comparisons.
    Any(Box<RuleSpec>, Box<RuleSpec>),
    /// all of two comparisons.
    All(Box<RuleSpec>, Box<RuleSpec>),
}

#[derive(Clone, Debug)]
pub(crate) enum BeliefSpec {
    Fixed(u32),             // quarters
    ByIssue(u32, Vec<u32>), // issue, quarters per value
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    let cmp = (0u32..8, 0u8..6, 0u32..8).prop_map(|(i, op, v)| RuleSpec::Compare(i, op, v));
    prop_oneof![
        3 => cmp.clone(),
        1 => (cmp.clone(), cmp.clone()).prop_map(|(a, b)| RuleSpec::Any(Box::new(a), Box::new(b))),
        1 => (cmp.clone(), cmp).prop_map(|(a, b)| RuleSpec::All(Box::new(a), Box::new(b))),
    ]
}

/// Random specs: `issues` issues of 1 to `max_values` values, `parties` parties.
pub(crate) fn spec(
    issues: std::ops::RangeInclusive<usize>,
    max_values: u32,
    parties: std::ops::RangeInclusive<usize>,
    red_lines: bool,
    phases: bool,
) -> impl Strategy<Value = Spec> {
    (prop::collection::vec(1..=max_values, issues), parties).prop_flat_map(move |(radices, parties)| {
        let k = radices.len();
        let radices2 = radices.clone();
        let party =
            {
                let radices = radices.clone();
                let scores: Vec<_> =
                    radices.iter().map(|&r| prop::collection::vec(0u32..=4, r as usize)).collect();
                (
                    prop::collection::vec(0u32..=16, k),
                    scores,
                    0u32..=8,
                    prop::collection::vec(rule_spec(), if red_lines { 0..=2 } else { 0..=0 }),
                    prop_oneof![
                        Just(None),
                        (0u32..=4).prop_map(|q| Some(BeliefSpec::Fixed(q))),
                        (0u32..8, prop::collection::vec(0u32..=4, 8))
                            .prop_map(|(i, qs)| Some(BeliefSpec::ByIssue(i, qs))),
                    ],
                )
                    .prop_map(|(weights, scores, reservation, red_lines, belief)| {
                        PartySpec { weights, scores, reservation, red_lines, belief }
                    })
            };
        let split = if phases && k >= 2 { (1..k).prop_map(Some).boxed() } else { Just(None).boxed() };
        let proposal = (prop::collection::vec(0u32..8, k), 0usize..4);
        (prop::collection::vec(party, parties), split, prop::collection::vec(proposal, 0..=3)).prop_map(
            move |(parties, split, proposals)| Spec {
                radices: radices2.clone(),
                parties,
                proposals,
                phases: split.map(|s| {
                    let s = u32::try_from(s).unwrap();
                    ((0..s).collect(), (s..u32::try_from(k).unwrap()).collect())
                }),
            },
        )
    })
}

fn op(code: u8) -> CmpOp {
    [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge][usize::from(code % 6)]
}

fn rule(spec: &RuleSpec, radices: &[u32]) -> Constraint {
    match spec {
        RuleSpec::Compare(i, o, v) => {
            let issue = *i as usize % radices.len();
            let value = *v % radices[issue];
            Constraint::Compare {
                issue: IssueId::from_index(issue),
                op: op(*o),
                value: Value::Int(i64::from(value)),
            }
        }
        RuleSpec::Any(a, b) => Constraint::AnyOf(vec![rule(a, radices), rule(b, radices)]),
        RuleSpec::All(a, b) => Constraint::AllOf(vec![rule(a, radices), rule(b, radices)]),
    }
}

/// The case a spec describes: integer issues `x0, x1, ...` from 0 by 1, every party a negotiator.
pub(crate) fn build(spec: &Spec) -> Case {
    let issues: Vec<Issue> = spec
        .radices
        .iter()
        .enumerate()
        .map(|(i, &r)| Issue::new(format!("x{i}"), IssueDomain::integer(0, i64::from(r) - 1, 1).unwrap()))
        .collect();
    let space = OutcomeSpace::new(issues).unwrap();
    let domain = match &spec.phases {
        None => Domain::unphased(space),
        Some((a, b)) => {
            let phase = |name: &str, issues: &[u32]| Phase {
                name: name.into(),
                duration_days: None,
                issues: issues.iter().map(|&i| IssueId(i)).collect(),
                next_condition: None,
                description: None,
                basis: Basis::Unsourced,
            };
            Domain::new(space, vec![phase("one", a), phase("two", b)]).unwrap()
        }
    };
    let parties = spec
        .parties
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let utility = Utility::Additive(AdditiveUtility {
                issues: p
                    .weights
                    .iter()
                    .zip(&p.scores)
                    .map(|(&w, s)| {
                        // Scores in quarters with a forced maximum of 4 (or all zero), so that the
                        // division by the maximum is exact.
                        let mut scores: Vec<f64> = s.iter().map(|&x| f64::from(x)).collect();
                        if scores.iter().any(|&x| x > 0.0) {
                            let last = scores.len() - 1;
                            scores[last] = 4.0;
                        }
                        IssueUtility { weight: f64::from(w) / 16.0, value: ValueFunction::Table { scores } }
                    })
                    .collect(),
            });
            let mut prefs = Preferences::new(utility);
            prefs.reservation = f64::from(p.reservation) / 8.0;
            prefs.red_lines = p
                .red_lines
                .iter()
                .enumerate()
                .map(|(j, r)| RedLine::new(format!("r{k}_{j}"), rule(r, &spec.radices), Basis::Unsourced))
                .collect();
            if spec.phases.is_some() {
                prefs.continuation = match &p.belief {
                    None => vec![],
                    Some(BeliefSpec::Fixed(q)) => vec![Continuation {
                        probability: Probability::Fixed(f64::from(*q) / 4.0),
                        basis: Basis::Unsourced,
                    }],
                    Some(BeliefSpec::ByIssue(i, qs)) => {
                        let issue = *i as usize % spec.radices.len();
                        let values = (0..spec.radices[issue] as usize)
                            .map(|v| f64::from(qs[v % qs.len()]) / 4.0)
                            .collect();
                        vec![Continuation {
                            probability: Probability::ByIssue { issue: IssueId::from_index(issue), values },
                            basis: Basis::Unsourced,
                        }]
                    }
                };
            }
            Party {
                id: format!("p{k}"),
                name: format!("Party {k}"),
                roles: vec![Role::Negotiator],
                aligned_with: vec![],
                description: None,
                basis: Basis::Unsourced,
                preferences: Some(prefs),
                stated_positions: vec![],
                constituencies: vec![],
                approval: None,
            }
        })
        .collect();
    let mut case = Case::new("random", "Random case", domain, parties);
    for (k, (codes, by)) in spec.proposals.iter().enumerate() {
        let terms = codes
            .iter()
            .zip(&spec.radices)
            .enumerate()
            .filter(|(_, (c, _))| **c > 0)
            .map(|(i, (&c, &r))| {
                let value = if c == 1 {
                    let low = i64::from((c + u32::try_from(k).unwrap()) % r);
                    TermValue::Range { min: Value::Int(low), max: Value::Int(i64::from(r) - 1) }
                } else {
                    TermValue::Set { value: Value::Int(i64::from((c - 2) % r)) }
                };
                Term {
                    issue: IssueId::from_index(i),
                    value,
                    basis: Basis::Unsourced,
                    alternatives: vec![],
                    notes: None,
                    provision: truce_model::Provision::default(),
                }
            })
            .collect();
        case.proposals.push(Proposal {
            id: format!("q{k}"),
            title: format!("Proposal {k}"),
            kind: ProposalKind::Proposal,
            date: None,
            tabled_by: vec![PartyId::from_index(by % spec.parties.len())],
            via: vec![],
            responds_to: None,
            terms,
            responses: vec![],
            basis: Basis::Unsourced,
            notes: None,
        });
    }
    case
}

/// The outcomes (as digits) a proposal allows: set values pinned, ranges restricted, the rest open.
pub(crate) fn allows(case: &Case, proposal: &Proposal, outcome: &[u32]) -> bool {
    proposal.terms.iter().all(|t| {
        let v = i64::from(outcome[t.issue.index()]);
        match t.value {
            TermValue::Set { value: Value::Int(x) } => v == x,
            TermValue::Range { min: Value::Int(a), max: Value::Int(b) } => a <= v && v <= b,
            TermValue::Open => true,
            _ => {
                let _ = case;
                unreachable!("test cases use integer values")
            }
        }
    })
}

/// Brute force, from the definitions: every outcome's utilities and whether it is acceptable.
pub(crate) struct Brute {
    pub utilities: Vec<Vec<f64>>,
    /// Breaks no red line.
    pub feasible: Vec<bool>,
    /// Breaks no red line and gives every party at least its reservation value (to 1e-12).
    pub zone: Vec<bool>,
    pub outcomes: Vec<Vec<u32>>,
}

pub(crate) fn brute(case: &Case) -> Brute {
    let prefs: Vec<&Preferences> = case.negotiators().map(|(_, p)| p).collect();
    let mut out = Brute { utilities: vec![], feasible: vec![], zone: vec![], outcomes: vec![] };
    let mut cursor = case.space().outcomes();
    while let Some(o) = cursor.next() {
        let u: Vec<f64> = prefs.iter().map(|p| p.utility(&case.domain, o)).collect();
        let feasible = prefs.iter().all(|p| p.broken_red_lines(&case.domain, o).next().is_none());
        let zone = feasible && prefs.iter().zip(&u).all(|(p, &x)| x >= p.reservation - 1e-12);
        out.utilities.push(u);
        out.feasible.push(feasible);
        out.zone.push(zone);
        out.outcomes.push(o.to_vec());
    }
    out
}

/// Rounded to 12 decimals, as integers.
pub(crate) fn key(u: &[f64]) -> Vec<i64> {
    #[allow(clippy::cast_possible_truncation)]
    u.iter().map(|&x| (x * 1e12).round() as i64).collect()
}

/// The distinct non-dominated rounded vectors among `keep`ed outcomes, each with its outcome count,
/// sorted.
pub(crate) fn brute_frontier(b: &Brute, keep: &[bool]) -> Vec<(Vec<i64>, u128)> {
    let mut vectors: Vec<Vec<i64>> =
        b.utilities.iter().zip(keep).filter(|(_, k)| **k).map(|(u, _)| key(u)).collect();
    let all = vectors.clone();
    vectors.sort();
    vectors.dedup();
    let front: Vec<Vec<i64>> = vectors
        .iter()
        .filter(|v| !vectors.iter().any(|w| w != *v && w.iter().zip(v.iter()).all(|(a, b)| a >= b)))
        .cloned()
        .collect();
    front
        .into_iter()
        .map(|v| {
            let count = all.iter().filter(|w| **w == v).count() as u128;
            (v, count)
        })
        .collect()
}

/// A random hyper-rectangle utility over issues with the given radices (integer issues from 0).
pub(crate) fn rectangles(radices: Vec<u32>) -> impl Strategy<Value = truce_model::RectangleUtility> {
    use truce_model::{Aggregation, Bound, HyperRectangle, RectangleFunction, RectangleUtility};
    let k = radices.len();
    let rect = {
        let radices = radices.clone();
        (any::<bool>(), prop::collection::vec((0..k, 0u32..8, 0u32..8), 1..=2), -2i32..=5).prop_map(
            move |(inclusive, bounds, pays)| HyperRectangle {
                inclusive,
                bounds: bounds
                    .into_iter()
                    .map(|(i, a, b)| {
                        let r = radices[i];
                        let (a, b) = (a % r, b % r);
                        Bound {
                            issue: IssueId::from_index(i),
                            min: f64::from(a.min(b)),
                            max: f64::from(a.max(b)),
                        }
                    })
                    .collect(),
                utility: f64::from(pays),
                weight: 1.0,
            },
        )
    };
    let aggregation = prop_oneof![Just(Aggregation::Sum), Just(Aggregation::Min), Just(Aggregation::Max)];
    let leaf = (
        aggregation.clone(),
        prop::collection::vec(rect.clone(), 0..=3),
        prop_oneof![Just(0.5), Just(1.0), Just(-1.0)],
    )
        .prop_map(|(aggregation, rectangles, weight)| RectangleFunction {
            aggregation,
            weight,
            rectangles,
            children: vec![],
        });
    (aggregation, prop::collection::vec(rect, 1..=4), prop::collection::vec(leaf, 0..=1), 1u32..=6).prop_map(
        |(aggregation, rectangles, children, max)| RectangleUtility {
            max_utility: f64::from(max),
            root: RectangleFunction { aggregation, weight: 1.0, rectangles, children },
        },
    )
}
