//! Red lines: hard constraints over issue values. An outcome that breaks one of a party's red lines is
//! unacceptable to that party whatever its utility.
//!
//! A red line is a [`Constraint`] that must *hold*: `withdrawal >= "populated_areas"`,
//! `permanent_ceasefire == "yes"`, `prisoners_per_hostage <= 30`, or any/all combinations of these.
//!
//! Parties' red lines change over time (one side drops a precondition, the other adds a demand), so a
//! red line may be dated: in force from `since` until `until`, both included. Dates may be partial
//! (`2024-07`): the period runs from the first day `since` may be to the last day `until` may be, and
//! [`RedLine::in_force_at`] a date when that period includes at least one of the days the date may be.
//!
//! This module is the one place that decides whether a red line is in force: [`RedLine::in_force`]
//! also answers for no date (the red lines still in force at the end of the record: those without
//! `until`), [`RedLine::in_force_in_part`] says when a partial date straddles a red line's start or
//! end (so that a verdict resting on it can say so), and [`Preferences::in_force`](crate::Preferences::in_force)
//! restricts a party's preferences to the red lines in force on a date, for a simulation of that day.

use serde::{Deserialize, Serialize};

use crate::source::period_overlaps;
use crate::{Basis, IssueId, OutcomeSpace, PartialDate, Value};

/// One of a party's hard constraints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RedLine {
    /// A short name, unique within the party (`no_permanent_ceasefire_no_deal`).
    pub name: String,
    /// What must hold for an outcome to be acceptable.
    pub rule: Constraint,
    /// The red line in words, as stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// In force from this date on, from its first day (`2024-07`: from 1 July 2024); `None`: from
    /// before the case begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    /// In force up to and including this date, to its last day (`2024-07`: to 31 July 2024); `None`:
    /// still in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    /// Where it was stated, or the analyst's assumption.
    pub basis: Basis,
    /// The conditions under which the party says the red line gives way ("no permanent ceasefire
    /// *before these conditions are fulfilled*"), each in the quote's words. When every condition has
    /// a rule, `rule` is the stated rule *or* all of the conditions' rules (see
    /// [`RedLine::conditional`]); a condition the model cannot express leaves the red line standing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<RedLineCondition>,
    /// The red line ends with the stated positions it rests on: `until` is the last day any of them
    /// is reported as held (set when the case is read).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ends_with_position: bool,
}

/// A condition a party attaches to a red line, as its statement gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RedLineCondition {
    /// The condition in the statement's words.
    pub text: String,
    /// The analyst's reading of the condition over issue values, when the model can express it;
    /// `None`: outside the model, so never taken as met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Constraint>,
    /// Where the condition is stated (and, for a rule, why it reads so).
    #[serde(default)]
    pub basis: Basis,
}

impl RedLine {
    /// An undated red line with no description.
    #[must_use]
    pub fn new(name: impl Into<String>, rule: Constraint, basis: Basis) -> Self {
        Self {
            name: name.into(),
            rule,
            description: None,
            since: None,
            until: None,
            basis,
            conditions: Vec::new(),
            ends_with_position: false,
        }
    }

    /// The rule that must hold for a red line stated as `stated` with `conditions`: `stated` when
    /// there are no conditions or one of them is outside the model (it cannot be met in an outcome);
    /// otherwise `stated` or every condition's rule (once the conditions are fulfilled, the red line
    /// no longer binds).
    #[must_use]
    pub fn conditional(stated: Constraint, conditions: &[RedLineCondition]) -> Constraint {
        let rules: Option<Vec<Constraint>> = conditions.iter().map(|c| c.rule.clone()).collect();
        match rules {
            Some(rules) if !rules.is_empty() => Constraint::AnyOf(vec![stated, Constraint::AllOf(rules)]),
            _ => stated,
        }
    }

    /// The rule as the party states it, without its conditions (the inverse of
    /// [`RedLine::conditional`]).
    #[must_use]
    pub fn stated_rule(&self) -> &Constraint {
        match &self.rule {
            Constraint::AnyOf(parts)
                if !self.conditions.is_empty()
                    && self.conditions.iter().all(|c| c.rule.is_some())
                    && parts.len() == 2 =>
            {
                &parts[0]
            }
            rule => rule,
        }
    }

    /// Whether the red line's conditions can be met within the model (every one has a rule).
    #[must_use]
    pub fn conditions_modelled(&self) -> bool {
        !self.conditions.is_empty() && self.conditions.iter().all(|c| c.rule.is_some())
    }

    /// Whether the red line is in force at `date`: its period, from the first day of `since` to the
    /// last day of `until` (open ends when unset), includes at least one of the days `date` may be. An
    /// undated red line is always in force.
    #[must_use]
    pub fn in_force_at(&self, date: PartialDate) -> bool {
        period_overlaps(self.since, self.until, date)
    }

    /// Whether the red line is in force at `date`, or, with no date, whether it is still in force at
    /// the end of the record (it has no `until`). The rule the analysis, the reports and the
    /// simulations share.
    #[must_use]
    pub fn in_force(&self, date: Option<PartialDate>) -> bool {
        date.map_or(self.until.is_none(), |d| self.in_force_at(d))
    }

    /// Whether `date` is partial (a month or a year) and the red line is in force on some of the days
    /// it may be but not on all: [`in_force_at`](Self::in_force_at) counts it as in force, and a
    /// verdict that rests on that should say the date is not precise enough to be sure.
    #[must_use]
    pub fn in_force_in_part(&self, date: PartialDate) -> bool {
        let (first, last) = (date.first_day(), date.last_day());
        // The days of the date in force: from the later of the two starts to the earlier of the ends.
        let from = self.since.map_or(first, |s| s.first_day().max(first));
        let to = self.until.map_or(last, |u| u.last_day().min(last));
        from <= to && (from != first || to != last)
    }

    /// Whether the red line has a period (`since` or `until`).
    #[must_use]
    pub fn is_dated(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }
}

/// A condition over issue values.
///
/// Serialised as `{"type": "compare", "issue": 0, "op": "<=", "value": {"int": 30}}`, `{"type":
/// "one_of", "issue": 0, "values": [...]}`, `{"type": "all_of", "parts": [...]}` or `{"type":
/// "any_of", "parts": [...]}` (through a mirror type: serde cannot tag a newtype variant holding a
/// list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawConstraint", into = "RawConstraint")]
pub enum Constraint {
    /// `issue op value`. Ordered comparisons need an ordered issue.
    Compare {
        /// The issue compared.
        issue: IssueId,
        /// The comparison.
        op: CmpOp,
        /// The value compared with.
        value: Value,
    },
    /// `issue` takes one of `values`.
    OneOf {
        /// The issue.
        issue: IssueId,
        /// The allowed values.
        values: Vec<Value>,
    },
    /// Every part holds.
    AllOf(Vec<Constraint>),
    /// At least one part holds.
    AnyOf(Vec<Constraint>),
}

/// The serialised form of a [`Constraint`]: the same variants, combinations as `parts`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RawConstraint {
    Compare { issue: IssueId, op: CmpOp, value: Value },
    OneOf { issue: IssueId, values: Vec<Value> },
    AllOf { parts: Vec<Constraint> },
    AnyOf { parts: Vec<Constraint> },
}

impl From<RawConstraint> for Constraint {
    fn from(raw: RawConstraint) -> Self {
        match raw {
            RawConstraint::Compare { issue, op, value } => Self::Compare { issue, op, value },
            RawConstraint::OneOf { issue, values } => Self::OneOf { issue, values },
            RawConstraint::AllOf { parts } => Self::AllOf(parts),
            RawConstraint::AnyOf { parts } => Self::AnyOf(parts),
        }
    }
}

impl From<Constraint> for RawConstraint {
    fn from(constraint: Constraint) -> Self {
        match constraint {
            Constraint::Compare { issue, op, value } => Self::Compare { issue, op, value },
            Constraint::OneOf { issue, values } => Self::OneOf { issue, values },
            Constraint::AllOf(parts) => Self::AllOf { parts },
            Constraint::AnyOf(parts) => Self::AnyOf { parts },
        }
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl CmpOp {
    /// The operator as written (`">="`).
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    /// Whether the operator needs an order on the issue's values.
    #[must_use]
    pub fn needs_order(self) -> bool {
        !matches!(self, Self::Eq | Self::Ne)
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Self::Eq => ordering == Equal,
            Self::Ne => ordering != Equal,
            Self::Lt => ordering == Less,
            Self::Le => ordering != Greater,
            Self::Gt => ordering == Greater,
            Self::Ge => ordering != Less,
        }
    }
}

impl Constraint {
    /// Whether the constraint holds when each issue takes `value(issue)`; `None` when it depends on an
    /// issue whose value is unknown (`value` returned `None`), i.e. it can still go either way.
    pub fn eval(&self, space: &OutcomeSpace, value: &impl Fn(IssueId) -> Option<Value>) -> Option<bool> {
        match self {
            Self::Compare { issue, op, value: rhs } => {
                let lhs = value(*issue)?;
                let domain = space.issue(*issue).domain();
                Some(match domain.compare(lhs, *rhs) {
                    Some(ordering) => op.holds(ordering),
                    // Unordered values that differ: only == and != can be decided.
                    None => *op == CmpOp::Ne,
                })
            }
            Self::OneOf { issue, values } => {
                let lhs = value(*issue)?;
                let domain = space.issue(*issue).domain();
                Some(values.iter().any(|v| domain.compare(lhs, *v) == Some(std::cmp::Ordering::Equal)))
            }
            // Three-valued logic: a known false decides AllOf, a known true decides AnyOf.
            Self::AllOf(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.eval(space, value) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Self::AnyOf(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.eval(space, value) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
        }
    }

    /// Whether the constraint holds for a grid outcome.
    #[must_use]
    pub fn holds_for(&self, space: &OutcomeSpace, outcome: &[u32]) -> bool {
        self.eval(space, &|issue: IssueId| space.issue(issue).domain().grid_value(outcome[issue.index()]))
            .unwrap_or(false)
    }

    /// The issues the constraint reads, each once, in order of first appearance.
    #[must_use]
    pub fn issues(&self) -> Vec<IssueId> {
        let mut out = Vec::new();
        self.collect_issues(&mut out);
        out
    }

    fn collect_issues(&self, out: &mut Vec<IssueId>) {
        match self {
            Self::Compare { issue, .. } | Self::OneOf { issue, .. } => {
                if !out.contains(issue) {
                    out.push(*issue);
                }
            }
            Self::AllOf(parts) | Self::AnyOf(parts) => parts.iter().for_each(|p| p.collect_issues(out)),
        }
    }

    /// For a constraint over one issue, which grid values of that issue satisfy it.
    #[must_use]
    pub fn allowed_grid_values(&self, space: &OutcomeSpace) -> Option<(IssueId, Vec<bool>)> {
        let [issue] = self.issues()[..] else { return None };
        let domain = space.issue(issue).domain();
        let mask = (0..domain.cardinality())
            .map(|d| self.eval(space, &|_| domain.grid_value(d)).unwrap_or(false))
            .collect();
        Some((issue, mask))
    }

    /// The constraint in the case-file syntax, for reports (`withdrawal >= populated_areas`).
    #[must_use]
    pub fn describe(&self, space: &OutcomeSpace) -> String {
        match self {
            Self::Compare { issue, op, value } => {
                let issue = space.issue(*issue);
                format!("{} {} {}", issue.name, op.symbol(), issue.format_value(*value))
            }
            Self::OneOf { issue, values } => {
                let issue = space.issue(*issue);
                let values: Vec<_> = values.iter().map(|v| issue.format_value(*v)).collect();
                format!("{} in [{}]", issue.name, values.join(", "))
            }
            Self::AllOf(parts) => join(space, parts, " and "),
            Self::AnyOf(parts) => join(space, parts, " or "),
        }
    }
}

fn join(space: &OutcomeSpace, parts: &[Constraint], sep: &str) -> String {
    let inner: Vec<_> = parts
        .iter()
        .map(|p| match p {
            Constraint::AllOf(_) | Constraint::AnyOf(_) => format!("({})", p.describe(space)),
            _ => p.describe(space),
        })
        .collect();
    inner.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Issue, IssueDomain};

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::new(
                "withdrawal",
                IssueDomain::discrete(vec!["none".into(), "populated".into(), "full".into()], true).unwrap(),
            ),
            Issue::new("ratio", IssueDomain::integer(10, 50, 10).unwrap()),
        ])
        .unwrap()
    }

    #[test]
    fn ordered_comparison_on_an_ordered_issue() {
        let s = space();
        let c = Constraint::Compare { issue: IssueId(0), op: CmpOp::Ge, value: Value::Option(1) };
        assert!(!c.holds_for(&s, &[0, 0]));
        assert!(c.holds_for(&s, &[1, 0]));
        assert!(c.holds_for(&s, &[2, 0]));
        assert_eq!(c.describe(&s), "withdrawal >= populated");
    }

    #[test]
    fn unknown_values_leave_the_result_open_unless_decided() {
        let s = space();
        let ratio_ok = Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Int(30) };
        let full = Constraint::Compare { issue: IssueId(0), op: CmpOp::Eq, value: Value::Option(2) };
        let any = Constraint::AnyOf(vec![ratio_ok.clone(), full.clone()]);
        let only_withdrawal_full = |i: IssueId| (i == IssueId(0)).then_some(Value::Option(2));
        assert_eq!(any.eval(&s, &only_withdrawal_full), Some(true));
        let only_withdrawal_none = |i: IssueId| (i == IssueId(0)).then_some(Value::Option(0));
        assert_eq!(any.eval(&s, &only_withdrawal_none), None);
        let all = Constraint::AllOf(vec![ratio_ok, full]);
        assert_eq!(all.eval(&s, &only_withdrawal_none), Some(false));
        assert_eq!(all.issues(), vec![IssueId(1), IssueId(0)]);
    }

    #[test]
    fn a_red_line_is_in_force_on_any_day_its_period_shares_with_the_date() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        let rule = Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Int(30) };
        let mut r = RedLine::new("cap", rule, Basis::Unsourced);
        assert!(r.in_force_at(date("1990")), "an undated red line is always in force");
        r.since = Some(date("2024-01-28"));
        r.until = Some(date("2024-07"));
        assert!(!r.in_force_at(date("2024-01-27")));
        assert!(r.in_force_at(date("2024-01-28")), "since is inclusive");
        assert!(r.in_force_at(date("2024-01")), "January 2024 includes days in force");
        assert!(r.in_force_at(date("2024-07-31")), "until is inclusive, to the last day of its month");
        assert!(!r.in_force_at(date("2024-08-01")));
        assert!(r.in_force_at(date("2024")));
        r.since = None;
        assert!(r.in_force_at(date("2023-10-07")));
        assert!(r.in_force(Some(date("2024-01-28"))) && !r.in_force(Some(date("2024-08-01"))));
        assert!(!r.in_force(None), "with no date, only red lines without `until` are in force");
        assert!(RedLine { until: None, ..r.clone() }.in_force(None));
        assert!(r.is_dated());
    }

    #[test]
    fn a_conditional_red_line_gives_way_once_its_modelled_conditions_hold() {
        let s = space();
        let stated = Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Option(1) };
        let condition =
            |rule: Option<Constraint>| RedLineCondition { text: "x".into(), rule, basis: Basis::Unsourced };
        let met = Constraint::Compare { issue: IssueId(1), op: CmpOp::Ge, value: Value::Int(40) };
        let mut r = RedLine::new("r", stated.clone(), Basis::Unsourced);
        r.conditions = vec![condition(Some(met.clone()))];
        r.rule = RedLine::conditional(stated.clone(), &r.conditions);
        assert!(r.conditions_modelled());
        assert_eq!(r.stated_rule(), &stated);
        assert!(!r.rule.holds_for(&s, &[2, 0]), "the conditions unmet, the red line binds");
        assert!(r.rule.holds_for(&s, &[2, 3]), "the conditions met, it gives way");
        assert!(r.rule.holds_for(&s, &[0, 0]));
        // A condition outside the model leaves the red line as stated.
        r.conditions.push(condition(None));
        assert_eq!(RedLine::conditional(stated.clone(), &r.conditions), stated);
        r.rule = stated.clone();
        assert!(!r.conditions_modelled());
        assert_eq!(r.stated_rule(), &stated);
    }

    #[test]
    fn a_partial_date_is_in_force_in_part_when_some_but_not_all_of_its_days_are() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        // Brute force: every day the date may be, each asked on its own.
        let days = |d: PartialDate| -> Vec<PartialDate> {
            let months = d.month().map_or(1..=12, |m| m..=m);
            months
                .flat_map(|m| (1..=31).filter_map(move |day| PartialDate::ymd(d.year(), m, day).ok()))
                .filter(|x| d.day().is_none_or(|day| x.day() == Some(day)))
                .collect()
        };
        let rule = Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Int(30) };
        let ends = [None, Some("2024-01-28"), Some("2024-07"), Some("2024-02-29"), Some("2023")];
        for since in ends {
            for until in ends {
                let mut r = RedLine::new("cap", rule.clone(), Basis::Unsourced);
                r.since = since.map(date);
                r.until = until.map(date);
                for d in ["2024", "2024-01", "2024-02", "2024-07", "2024-07-15", "2023-12"] {
                    let d = date(d);
                    let each: Vec<bool> = days(d).iter().map(|x| r.in_force_at(*x)).collect();
                    let expected = each.iter().any(|x| *x) && !each.iter().all(|x| *x);
                    assert_eq!(r.in_force_in_part(d), expected, "{since:?} to {until:?} at {d}");
                    // A reversed period is a validation error; `in_force_at` need not agree there.
                    if !crate::source::period_is_reversed(r.since, r.until) {
                        assert_eq!(
                            r.in_force_at(d),
                            each.iter().any(|x| *x),
                            "{since:?} to {until:?} at {d}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn single_issue_constraints_give_a_grid_mask() {
        let s = space();
        let c = Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Int(30) };
        assert_eq!(c.allowed_grid_values(&s), Some((IssueId(1), vec![true, true, true, false, false])));
        let two = Constraint::AllOf(vec![
            c,
            Constraint::Compare { issue: IssueId(0), op: CmpOp::Eq, value: Value::Option(0) },
        ]);
        assert_eq!(two.allowed_grid_values(&s), None);
    }
}
