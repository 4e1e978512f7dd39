//! Whether a red line can hold at all: decided exactly over the grid values of the issues it reads,
//! as [`Constraint::holds_for`] evaluates it, without enumerating the outcome space.
//!
//! Each comparison allows a set of grid positions of its issue, kept as sorted disjoint ranges (a
//! comparison on a numeric issue is a prefix, a suffix, one range or its complement, found by binary
//! search over the monotone grid; on a discrete issue each option is tried). An `and` intersects the
//! sets issue by issue; an `or` tries each branch in turn. A rule so branched that this would take
//! more than [`BUDGET`] steps is not decided (and not reported).

use std::collections::HashMap;

use crate::{CmpOp, Constraint, IssueDomain, IssueId, OutcomeSpace, Value};

/// Steps (comparisons intersected) before giving up on a rule.
pub(super) const BUDGET: u32 = 100_000;

/// Grid positions as sorted, disjoint, inclusive ranges.
type Set = Vec<(u32, u32)>;

/// `Some(false)` when no grid outcome satisfies `rule`; `None` when it reads an issue that does not
/// exist or is too branched to decide within the budget.
pub(super) fn can_hold(space: &OutcomeSpace, rule: &Constraint) -> Option<bool> {
    let mut budget = BUDGET;
    sat(space, vec![rule], &mut HashMap::new(), &mut budget)
}

fn sat(
    space: &OutcomeSpace,
    mut todo: Vec<&Constraint>,
    env: &mut HashMap<IssueId, Set>,
    budget: &mut u32,
) -> Option<bool> {
    while let Some(rule) = todo.pop() {
        *budget = budget.checked_sub(1)?;
        match rule {
            Constraint::Compare { issue, op, value } => {
                let domain = space.issues().get(issue.index())?.domain();
                if !restrict(env, *issue, domain, compare_set(domain, *op, *value)) {
                    return Some(false);
                }
            }
            Constraint::OneOf { issue, values } => {
                let domain = space.issues().get(issue.index())?.domain();
                let mut union = Vec::new();
                for &v in values {
                    union = unite(&union, &compare_set(domain, CmpOp::Eq, v));
                }
                if !restrict(env, *issue, domain, union) {
                    return Some(false);
                }
            }
            Constraint::AllOf(parts) => todo.extend(parts.iter()),
            Constraint::AnyOf(parts) => {
                for part in parts {
                    let mut branch = todo.clone();
                    branch.push(part);
                    if sat(space, branch, &mut env.clone(), budget)? {
                        return Some(true);
                    }
                }
                return Some(false);
            }
        }
    }
    Some(true)
}

/// Narrows the issue's allowed set; `false` when it becomes empty.
fn restrict(env: &mut HashMap<IssueId, Set>, issue: IssueId, domain: &IssueDomain, set: Set) -> bool {
    let all = vec![(0, domain.cardinality() - 1)];
    let current = env.remove(&issue).unwrap_or(all);
    let narrowed = intersect(&current, &set);
    let empty = narrowed.is_empty();
    env.insert(issue, narrowed);
    !empty
}

/// The grid positions `i` for which `grid(i) op value` holds, as `Constraint::eval` decides it.
fn compare_set(domain: &IssueDomain, op: CmpOp, value: Value) -> Set {
    let n = domain.cardinality();
    let holds = |i: u32| {
        domain.grid_value(i).is_some_and(|v| match domain.compare(v, value) {
            Some(ordering) => op_holds(op, ordering),
            None => op == CmpOp::Ne,
        })
    };
    if let IssueDomain::Discrete(_) = domain {
        let mut set = Vec::new();
        for i in 0..n {
            if holds(i) {
                push(&mut set, i);
            }
        }
        return set;
    }
    let ordering = |i: u32| domain.grid_value(i).and_then(|v| domain.compare(v, value));
    if ordering(0).is_none() {
        // A value that does not compare (NaN, or of another kind): only `!=` holds, everywhere.
        return if op == CmpOp::Ne { vec![(0, n - 1)] } else { Vec::new() };
    }
    // The grid is monotone: the first position not below `value`, and the first above it.
    let first = |pred: &dyn Fn(u32) -> bool| -> u32 {
        let (mut lo, mut hi) = (0u32, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) { hi = mid } else { lo = mid + 1 }
        }
        lo
    };
    use std::cmp::Ordering::{Greater, Less};
    let not_below = first(&|i| ordering(i) != Some(Less));
    let above = first(&|i| ordering(i) == Some(Greater));
    let range = |lo: u32, hi_exclusive: u32| {
        if lo < hi_exclusive { vec![(lo, hi_exclusive - 1)] } else { Vec::new() }
    };
    match op {
        CmpOp::Lt => range(0, not_below),
        CmpOp::Le => range(0, above),
        CmpOp::Gt => range(above, n),
        CmpOp::Ge => range(not_below, n),
        CmpOp::Eq => range(not_below, above),
        CmpOp::Ne => {
            let mut set = range(0, not_below);
            set.extend(range(above, n));
            set
        }
    }
}

fn op_holds(op: CmpOp, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        CmpOp::Eq => ordering == Equal,
        CmpOp::Ne => ordering != Equal,
        CmpOp::Lt => ordering == Less,
        CmpOp::Le => ordering != Greater,
        CmpOp::Gt => ordering == Greater,
        CmpOp::Ge => ordering != Less,
    }
}

fn push(set: &mut Set, i: u32) {
    match set.last_mut() {
        Some((_, hi)) if *hi + 1 == i => *hi = i,
        _ => set.push((i, i)),
    }
}

fn intersect(a: &Set, b: &Set) -> Set {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if lo <= hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
    }
    out
}

fn unite(a: &Set, b: &Set) -> Set {
    let mut all: Vec<(u32, u32)> = a.iter().chain(b).copied().collect();
    all.sort_unstable();
    let mut out: Set = Vec::with_capacity(all.len());
    for (lo, hi) in all {
        match out.last_mut() {
            Some((_, last)) if u64::from(lo) <= u64::from(*last) + 1 => *last = (*last).max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Issue;

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::new("p", IssueDomain::integer(0, 20, 2).unwrap()),
            Issue::new("x", IssueDomain::real(0.0, 1.0, 5).unwrap()),
            Issue::new(
                "w",
                IssueDomain::discrete(vec!["none".into(), "some".into(), "full".into()], true).unwrap(),
            ),
        ])
        .unwrap()
    }

    fn cmp(issue: u32, op: CmpOp, value: Value) -> Constraint {
        Constraint::Compare { issue: IssueId(issue), op, value }
    }

    #[test]
    fn contradictory_bounds_never_hold() {
        let s = space();
        let never =
            Constraint::AllOf(vec![cmp(0, CmpOp::Le, Value::Int(6)), cmp(0, CmpOp::Ge, Value::Int(12))]);
        assert_eq!(can_hold(&s, &never), Some(false));
        let either =
            Constraint::AnyOf(vec![cmp(0, CmpOp::Le, Value::Int(6)), cmp(0, CmpOp::Ge, Value::Int(12))]);
        assert_eq!(can_hold(&s, &either), Some(true));
        // Between two grid values: 7 < p < 8 holds for no even p.
        let gap = Constraint::AllOf(vec![cmp(0, CmpOp::Gt, Value::Int(6)), cmp(0, CmpOp::Lt, Value::Int(8))]);
        assert_eq!(can_hold(&s, &gap), Some(false));
        let off_grid = cmp(1, CmpOp::Eq, Value::Real(0.3));
        assert_eq!(can_hold(&s, &off_grid), Some(false), "0.3 is not on the grid 0, 0.25, ...");
        assert_eq!(can_hold(&s, &cmp(9, CmpOp::Eq, Value::Int(0))), None, "an unknown issue is not decided");
    }

    fn rule() -> impl Strategy<Value = Constraint> {
        let op = prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge)
        ];
        let leaf = prop_oneof![
            (op.clone(), -2i64..23).prop_map(|(op, v)| cmp(0, op, Value::Int(v))),
            (op.clone(), -0.2f64..1.2).prop_map(|(op, v)| cmp(1, op, Value::Real((v * 8.0).round() / 8.0))),
            (op, 0u32..3).prop_map(|(op, v)| cmp(2, op, Value::Option(v))),
            prop::collection::vec((0i64..21).prop_map(Value::Int), 0..3)
                .prop_map(|values| Constraint::OneOf { issue: IssueId(0), values }),
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Constraint::AllOf),
                prop::collection::vec(inner, 0..3).prop_map(Constraint::AnyOf),
            ]
        })
    }

    proptest! {
        /// Against brute force: a rule can hold exactly when some outcome of the space satisfies it.
        #[test]
        fn agrees_with_enumeration(rule in rule()) {
            let s = space();
            let mut cursor = s.outcomes();
            let mut any = false;
            while let Some(outcome) = cursor.next() {
                if rule.holds_for(&s, outcome) {
                    any = true;
                    break;
                }
            }
            prop_assert_eq!(can_hold(&s, &rule), Some(any));
        }
    }
}
