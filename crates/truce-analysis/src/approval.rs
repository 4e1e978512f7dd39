//! Who must approve: for a proposal or a package, which of each party's constituencies' red lines it
//! breaks (or may break, over its open issues), so whose approval it lacks, and whether the party's
//! rule for what carries ([`ApprovalRule::carries`](truce_model::ApprovalRule::carries)) still carries
//! it.
//!
//! Exact: a red line is decided from the values a text sets; when it reads an issue the text leaves
//! open or gives as a range, every grid value the issue may take is tried (over the red line's own
//! issues only), up to [`MAX_COMPLETIONS`] combinations, past which it is reported as at risk (may
//! break) rather than guessed. A constituency's red lines are those in force on the text's date
//! ([`RedLine::in_force`]), as for a party's.

use truce_model::{Case, IssueId, OutcomeSpace, PartialDate, PartyId, RedLine, Value};

use crate::evaluate::Setting;

/// Past this many combinations of the values a red line's open issues may take, a red line that the
/// set values do not decide is reported as at risk.
pub const MAX_COMPLETIONS: u64 = 1_000_000;

/// One constituency's verdict on a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstituencyVerdict {
    /// The constituency's position in the party's list.
    pub constituency: usize,
    /// Its red lines (positions in its list) the text breaks however its open issues are settled.
    pub broken: Vec<usize>,
    /// Its red lines the text breaks for some settlements of its open issues, not for others.
    pub at_risk: Vec<usize>,
    /// `Some(true)`: it approves (no red line broken or at risk); `Some(false)`: it does not;
    /// `None`: it depends on the open issues.
    pub approves: Option<bool>,
    /// Whether the party's rule needs this constituency's approval on its own (a veto, or one of
    /// the named set); under a majority, none does.
    pub needed: bool,
}

/// Whether a text carries within one party that has constituencies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyApproval {
    /// The party.
    pub party: PartyId,
    /// Each constituency's verdict, in the party's order.
    pub constituencies: Vec<ConstituencyVerdict>,
    /// Whether the party's rule carries the text: `None` when it depends on the open issues (decided
    /// over their joint settlements, since constituencies may read the same open issue).
    pub carries: Option<bool>,
}

impl PartyApproval {
    /// The constituencies whose approval the text lacks (a red line of theirs broken).
    pub fn lacking(&self) -> impl Iterator<Item = &ConstituencyVerdict> + '_ {
        self.constituencies.iter().filter(|c| c.approves == Some(false))
    }

    /// The constituencies whose approval depends on how the open issues are settled.
    pub fn undecided(&self) -> impl Iterator<Item = &ConstituencyVerdict> + '_ {
        self.constituencies.iter().filter(|c| c.approves.is_none())
    }
}

/// For every party with constituencies and an approval rule, in case order, whether a text settling
/// the issues as `settings` (one per issue) carries at `date`.
#[must_use]
pub fn approvals(case: &Case, settings: &[Setting], date: Option<PartialDate>) -> Vec<PartyApproval> {
    let space = case.space();
    case.parties
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.constituencies.is_empty())
        .filter_map(|(i, party)| {
            let approval = party.approval.as_ref()?;
            let needed = approval.rule.needs(&party.constituencies);
            let constituencies: Vec<ConstituencyVerdict> = party
                .constituencies
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let (mut broken, mut at_risk) = (Vec::new(), Vec::new());
                    for (r, red_line) in c.red_lines.iter().enumerate().filter(|(_, r)| r.in_force(date)) {
                        match holds(space, red_line, settings) {
                            Some(true) => {}
                            Some(false) => broken.push(r),
                            None => at_risk.push(r),
                        }
                    }
                    let approves = if !broken.is_empty() {
                        Some(false)
                    } else if at_risk.is_empty() {
                        Some(true)
                    } else {
                        None
                    };
                    ConstituencyVerdict {
                        constituency: k,
                        broken,
                        at_risk,
                        approves,
                        needed: needed.get(k).copied().unwrap_or(false),
                    }
                })
                .collect();
            let verdicts: Vec<Option<bool>> = constituencies.iter().map(|c| c.approves).collect();
            let carries = match approval.rule.carries(&party.constituencies, &verdicts) {
                Some(decided) => Some(decided),
                None => carries_jointly(space, party, &constituencies, settings),
            };
            Some(PartyApproval { party: PartyId::from_index(i), constituencies, carries })
        })
        .collect()
}

/// The settings of a full outcome.
#[must_use]
pub fn settings_of(outcome: &[Value]) -> Vec<Setting> {
    outcome.iter().map(|v| Setting::Set(*v)).collect()
}

/// Whether `red_line` holds for every settlement of the open issues (`Some(true)`), for none
/// (`Some(false)`), or for some only (`None`; also past [`MAX_COMPLETIONS`]).
fn holds(space: &OutcomeSpace, red_line: &RedLine, settings: &[Setting]) -> Option<bool> {
    let set = |issue: IssueId| match settings.get(issue.index()) {
        Some(Setting::Set(v)) => Some(*v),
        _ => None,
    };
    if let Some(decided) = red_line.rule.eval(space, &set) {
        return Some(decided);
    }
    let issues = red_line.rule.issues();
    let choices = choices(space, &issues, settings)?;
    let (mut some_hold, mut some_break) = (false, false);
    each_completion(&issues, &choices, |value| {
        match red_line.rule.eval(space, &|issue| value(issue)) {
            Some(true) => some_hold = true,
            _ => some_break = true,
        }
        !(some_hold && some_break)
    });
    match (some_hold, some_break) {
        (true, true) => None,
        (false, true) => Some(false),
        _ => Some(true), // every settlement holds, or there is none
    }
}

/// The grid values each of `issues` may take under `settings`; `None` past [`MAX_COMPLETIONS`]
/// combinations.
fn choices(space: &OutcomeSpace, issues: &[IssueId], settings: &[Setting]) -> Option<Vec<Vec<Value>>> {
    let mut out: Vec<Vec<Value>> = Vec::with_capacity(issues.len());
    let mut total: u64 = 1;
    for &issue in issues {
        let domain = space.issues().get(issue.index())?.domain();
        let values: Vec<Value> = match settings.get(issue.index()).copied().unwrap_or(Setting::Open) {
            Setting::Set(v) => vec![v],
            Setting::Range(lo, hi) => (0..domain.cardinality())
                .filter_map(|d| domain.grid_value(d))
                .filter(|v| {
                    domain.compare(*v, lo).is_some_and(std::cmp::Ordering::is_ge)
                        && domain.compare(*v, hi).is_some_and(std::cmp::Ordering::is_le)
                })
                .collect(),
            Setting::Open => (0..domain.cardinality()).filter_map(|d| domain.grid_value(d)).collect(),
        };
        total = total.saturating_mul(values.len() as u64);
        if total > MAX_COMPLETIONS {
            return None;
        }
        out.push(values);
    }
    Some(out)
}

/// Calls `visit` with every combination of `choices` (one value per issue of `issues`, others
/// unknown) until it returns `false`.
fn each_completion(
    issues: &[IssueId],
    choices: &[Vec<Value>],
    mut visit: impl FnMut(&dyn Fn(IssueId) -> Option<Value>) -> bool,
) {
    if choices.iter().any(Vec::is_empty) {
        return;
    }
    let mut at = vec![0usize; issues.len()];
    loop {
        let value = |issue: IssueId| {
            issues.iter().position(|i| *i == issue).and_then(|k| choices[k].get(at[k]).copied())
        };
        if !visit(&value) {
            return;
        }
        // The next combination, last issue fastest.
        let mut k = issues.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            at[k] += 1;
            if at[k] < choices[k].len() {
                break;
            }
            at[k] = 0;
        }
    }
}

/// Whether the rule carries for every joint settlement of the issues the undecided constituencies'
/// red lines read (constituencies may share an open issue, so their verdicts are not independent):
/// `None` when it depends, or past [`MAX_COMPLETIONS`].
fn carries_jointly(
    space: &OutcomeSpace,
    party: &truce_model::Party,
    verdicts: &[ConstituencyVerdict],
    settings: &[Setting],
) -> Option<bool> {
    let approval = party.approval.as_ref()?;
    let mut issues: Vec<IssueId> = Vec::new();
    for v in verdicts.iter().filter(|v| v.approves.is_none()) {
        for &r in &v.at_risk {
            for issue in party.constituencies.get(v.constituency)?.red_lines.get(r)?.rule.issues() {
                if !issues.contains(&issue) {
                    issues.push(issue);
                }
            }
        }
    }
    let choices = choices(space, &issues, settings)?;
    let mut seen: Option<bool> = None;
    let mut mixed = false;
    each_completion(&issues, &choices, |value| {
        let with_set = |issue: IssueId| {
            value(issue).or_else(|| match settings.get(issue.index()) {
                Some(Setting::Set(v)) => Some(*v),
                _ => None,
            })
        };
        let approves: Vec<Option<bool>> = verdicts
            .iter()
            .map(|v| {
                v.approves.or_else(|| {
                    let reds = &party.constituencies.get(v.constituency)?.red_lines;
                    Some(v.at_risk.iter().all(|&r| {
                        reds.get(r).is_some_and(|red| red.rule.eval(space, &with_set) == Some(true))
                    }))
                })
            })
            .collect();
        let carries = approval.rule.carries(&party.constituencies, &approves);
        match (seen, carries) {
            (_, None) => mixed = true,
            (None, c) => seen = c,
            (Some(a), Some(b)) if a != b => mixed = true,
            _ => {}
        }
        !mixed
    });
    if mixed { None } else { seen }
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{
        Approval, ApprovalRule, Basis, CmpOp, Constituency, Constraint, Domain, Issue, IssueDomain,
        OutcomeSpace, Party, Role,
    };

    fn case(rule: ApprovalRule, weights: &[f64]) -> Case {
        let space = OutcomeSpace::new(vec![
            Issue::new("ratio", IssueDomain::integer(10, 40, 10).unwrap()),
            Issue::new(
                "withdrawal",
                IssueDomain::discrete(vec!["none".into(), "partial".into(), "full".into()], true).unwrap(),
            ),
        ])
        .unwrap();
        let red_line = |name: &str, issue: u32, op: CmpOp, value: Value| {
            RedLine::new(name, Constraint::Compare { issue: IssueId(issue), op, value }, Basis::Unsourced)
        };
        let mut party = Party::new("north", "North", vec![Role::Negotiator]);
        party.constituencies = vec![
            Constituency { weight: weights[0], ..Constituency::new("centre", "Centre") },
            Constituency {
                weight: weights[1],
                red_lines: vec![red_line("stay", 1, CmpOp::Le, Value::Option(1))],
                ..Constituency::new("hawks", "Hawks")
            },
            Constituency {
                weight: weights[2],
                red_lines: vec![red_line("cap", 0, CmpOp::Le, Value::Int(30))],
                ..Constituency::new("liberals", "Liberals")
            },
        ];
        party.approval = Some(Approval { rule, basis: Basis::Unsourced });
        Case::new("c", "C", Domain::unphased(space), vec![party])
    }

    #[test]
    fn a_majority_carries_past_a_broken_red_line_and_a_veto_does_not() {
        let full_at_20 = [Setting::Set(Value::Int(20)), Setting::Set(Value::Option(2))];
        let majority = approvals(&case(ApprovalRule::Majority, &[40.0, 25.0, 20.0]), &full_at_20, None);
        assert_eq!(majority.len(), 1);
        assert_eq!(majority[0].carries, Some(true), "centre and liberals hold 60 of 85");
        let lacking: Vec<usize> = majority[0].lacking().map(|c| c.constituency).collect();
        assert_eq!(lacking, [1], "the hawks' red line is broken");
        assert_eq!(majority[0].constituencies[1].broken, [0]);
        let veto = approvals(&case(ApprovalRule::Veto, &[1.0, 1.0, 1.0]), &full_at_20, None);
        assert_eq!(veto[0].carries, Some(false), "the hawks block");
        assert!(veto[0].constituencies.iter().all(|c| c.needed));
        let named = ApprovalRule::AllOf { constituencies: vec!["centre".into(), "liberals".into()] };
        assert_eq!(approvals(&case(named, &[1.0, 1.0, 1.0]), &full_at_20, None)[0].carries, Some(true));
    }

    #[test]
    fn open_issues_leave_approval_open_when_some_settlements_break_a_red_line() {
        let c = case(ApprovalRule::Veto, &[1.0, 1.0, 1.0]);
        let open_ratio = [Setting::Open, Setting::Set(Value::Option(1))];
        let a = &approvals(&c, &open_ratio, None)[0];
        assert_eq!(a.constituencies[2].at_risk, [0]);
        assert_eq!(a.carries, None);
        let low_range = [Setting::Range(Value::Int(10), Value::Int(30)), Setting::Set(Value::Option(0))];
        assert_eq!(approvals(&c, &low_range, None)[0].carries, Some(true), "every ratio in range holds");
        let high_range = [Setting::Range(Value::Int(40), Value::Int(40)), Setting::Set(Value::Option(0))];
        assert_eq!(approvals(&c, &high_range, None)[0].constituencies[2].broken, [0]);
    }

    #[test]
    fn red_lines_out_of_force_are_not_held_against_a_text() {
        let mut c = case(ApprovalRule::Veto, &[1.0, 1.0, 1.0]);
        c.parties[0].constituencies[1].red_lines[0].until = Some("2024-01-31".parse().unwrap());
        let full = [Setting::Set(Value::Int(20)), Setting::Set(Value::Option(2))];
        assert_eq!(approvals(&c, &full, Some("2024-03-01".parse().unwrap()))[0].carries, Some(true));
        assert_eq!(approvals(&c, &full, Some("2024-01-15".parse().unwrap()))[0].carries, Some(false));
    }

    #[test]
    fn the_exact_verdict_agrees_with_every_grid_outcome() {
        // Brute force: for each open/range setting of the ratio, every grid outcome it allows.
        let c = case(ApprovalRule::Majority, &[1.0, 1.0, 1.0]);
        let space = c.space();
        for lo in 0..4u32 {
            for hi in lo..4 {
                let (l, h) = (
                    space.issue(IssueId(0)).domain().grid_value(lo).unwrap(),
                    space.issue(IssueId(0)).domain().grid_value(hi).unwrap(),
                );
                for w in 0..3 {
                    let settings = [Setting::Range(l, h), Setting::Set(Value::Option(w))];
                    let each: Vec<Option<bool>> = (lo..=hi)
                        .map(|d| {
                            let v = space.issue(IssueId(0)).domain().grid_value(d).unwrap();
                            approvals(&c, &[Setting::Set(v), Setting::Set(Value::Option(w))], None)[0].carries
                        })
                        .collect();
                    let expected = if each.iter().all(|x| *x == each[0]) { each[0] } else { None };
                    assert_eq!(approvals(&c, &settings, None)[0].carries, expected, "{lo}..{hi}, {w}");
                }
            }
        }
    }

    #[test]
    fn constituencies_reading_the_same_open_issue_are_judged_jointly() {
        // The hawks want the ratio at most 20, the liberals at least 30: with the ratio open, each may
        // approve, but never both; with the centre, one of them always makes a majority.
        let mut c = case(ApprovalRule::Veto, &[1.0, 1.0, 1.0]);
        c.parties[0].constituencies[1].red_lines[0].rule =
            Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Int(20) };
        c.parties[0].constituencies[2].red_lines[0].rule =
            Constraint::Compare { issue: IssueId(0), op: CmpOp::Ge, value: Value::Int(30) };
        let open = [Setting::Open, Setting::Set(Value::Option(0))];
        let veto = &approvals(&c, &open, None)[0];
        assert_eq!(veto.undecided().count(), 2);
        assert_eq!(veto.carries, Some(false), "no ratio satisfies both");
        c.parties[0].approval = Some(Approval { rule: ApprovalRule::Majority, basis: Basis::Unsourced });
        assert_eq!(approvals(&c, &open, None)[0].carries, Some(true), "every ratio makes a majority");
    }
}
