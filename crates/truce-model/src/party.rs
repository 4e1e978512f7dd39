//! Parties, their roles, and their (private) preferences.

use serde::{Deserialize, Serialize};

use crate::{
    Approval, Basis, Constituency, Continuation, Domain, IssueId, PartialDate, PartyId, RedLine,
    StatedPosition, Utility, Value, reach_probabilities,
};

/// A party to the talks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// A short id, unique in the case (`israel`), used by references.
    pub id: String,
    /// The party's name for people.
    pub name: String,
    /// What the party does in the talks; at least one role.
    pub roles: Vec<Role>,
    /// Parties this one is aligned with (the United States with Israel).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aligned_with: Vec<PartyId>,
    /// The party's position in the talks, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the roles and description are stated.
    #[serde(default)]
    pub basis: Basis,
    /// How the party values outcomes: needed for negotiating parties, optional for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
    /// What the party said it demands or refuses, over time, as reported: the record its red lines
    /// rest on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stated_positions: Vec<StatedPosition>,
    /// The bodies within the party whose approval a text may need, each with its own red lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constituencies: Vec<Constituency>,
    /// What carries among the constituencies; set when there are constituencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
}

impl Party {
    /// A party with the given id, name and roles, and nothing else.
    #[must_use]
    pub fn new(id: impl Into<String>, name: impl Into<String>, roles: Vec<Role>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            roles,
            aligned_with: Vec::new(),
            description: None,
            basis: Basis::Unsourced,
            preferences: None,
            stated_positions: Vec::new(),
            constituencies: Vec::new(),
            approval: None,
        }
    }

    /// Whether the party negotiates (its agreement is needed).
    #[must_use]
    pub fn negotiates(&self) -> bool {
        self.roles.contains(&Role::Negotiator)
    }

    /// Whether the party has the given role.
    #[must_use]
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// What a party does in the talks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A party whose agreement is needed.
    Negotiator,
    /// Carries texts between the parties and drafts bridging proposals.
    Mediator,
    /// Undertakes to guarantee implementation.
    Guarantor,
    /// Follows the talks without a role in them.
    Observer,
}

impl Role {
    /// The role's name as written in case files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Negotiator => "negotiator",
            Self::Mediator => "mediator",
            Self::Guarantor => "guarantor",
            Self::Observer => "observer",
        }
    }
}

/// How one party values outcomes. Private to that party in simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// Utility of agreements.
    pub utility: Utility,
    /// Utility of no agreement (the disagreement point); outcomes below it are not acceptable.
    pub reservation: f64,
    /// Hard constraints: an outcome breaking one is unacceptable whatever its utility.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLine>,
    /// Per unit of normalised time, utility is multiplied by this factor (`u * d^t`, GENIUS
    /// semantics); `None` for no discounting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    /// Belief in each phase transition (entry `k`: phase `k` to `k + 1`); missing entries are certain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continuation: Vec<Continuation>,
    /// Where the weights and scores come from (usually the analyst's assumption).
    #[serde(default)]
    pub basis: Basis,
}

impl Preferences {
    /// Additive preferences with no red lines, no discount and reservation value 0.
    #[must_use]
    pub fn new(utility: Utility) -> Self {
        Self {
            utility,
            reservation: 0.0,
            red_lines: Vec::new(),
            discount: None,
            continuation: Vec::new(),
            basis: Basis::Unsourced,
        }
    }

    /// Whether phase weighting changes this party's utility (some belief below certainty).
    #[must_use]
    pub fn is_phase_weighted(&self, domain: &Domain) -> bool {
        !domain.phases().is_empty()
            && self
                .continuation
                .iter()
                .take(domain.phases().len().saturating_sub(1))
                .any(|c| !matches!(c.probability, crate::Probability::Fixed(p) if p >= 1.0))
    }

    /// Phase-weighted utility of a grid outcome.
    #[must_use]
    pub fn utility(&self, domain: &Domain, outcome: &[u32]) -> f64 {
        let space = domain.space();
        let grid = |issue: IssueId| space.issue(issue).domain().grid_value(outcome[issue.index()]);
        match &self.utility {
            Utility::Additive(additive) if self.is_phase_weighted(domain) => {
                let reach = reach_probabilities(domain, &self.continuation, &grid).unwrap_or_default();
                additive
                    .issues
                    .iter()
                    .zip(space.issues())
                    .enumerate()
                    .map(|(i, (iu, issue))| {
                        let multiplier = domain
                            .phase_of(IssueId::from_index(i))
                            .and_then(|k| reach.get(k.index()).copied())
                            .unwrap_or(1.0);
                        iu.weight * multiplier * iu.value.grid_score(issue, outcome[i])
                    })
                    .sum()
            }
            utility => utility.of_outcome(space, outcome),
        }
    }

    /// Phase-weighted utility of fully specified values, which may lie off the grid for issues with
    /// piecewise-linear value functions. `None` if any value is missing, or cannot be scored (off the
    /// grid of a table-scored issue, or of the wrong kind).
    #[must_use]
    pub fn utility_of_values(&self, domain: &Domain, values: &[Option<Value>]) -> Option<f64> {
        let space = domain.space();
        if values.len() != space.len() {
            return None;
        }
        let value = |issue: IssueId| values[issue.index()];
        match &self.utility {
            Utility::Additive(additive) => {
                let reach = reach_probabilities(domain, &self.continuation, &value)?;
                let mut total = 0.0;
                for (i, (iu, issue)) in additive.issues.iter().zip(space.issues()).enumerate() {
                    let multiplier = domain
                        .phase_of(IssueId::from_index(i))
                        .and_then(|k| reach.get(k.index()).copied())
                        .unwrap_or(1.0);
                    total += iu.weight * multiplier * iu.value.score(issue, values[i]?)?;
                }
                Some(total)
            }
            Utility::Rectangles(rectangles) => {
                if values.iter().any(Option::is_none) {
                    return None;
                }
                Some(rectangles.of_values(space, |issue| value(issue).map(Value::as_f64)))
            }
        }
    }

    /// The red lines in force at `date` (see [`RedLine::in_force_at`]), with their positions in
    /// [`red_lines`](Self::red_lines).
    pub fn red_lines_in_force_at(&self, date: PartialDate) -> impl Iterator<Item = (usize, &RedLine)> + '_ {
        self.red_lines.iter().enumerate().filter(move |(_, r)| r.in_force_at(date))
    }

    /// These preferences with only the red lines in force at `date` ([`RedLine::in_force`]: with no
    /// date, those without `until`): what a party negotiating on that day holds to.
    #[must_use]
    pub fn in_force(&self, date: Option<PartialDate>) -> Self {
        let mut prefs = self.clone();
        prefs.red_lines.retain(|r| r.in_force(date));
        prefs
    }

    /// The red lines a grid outcome breaks.
    pub fn broken_red_lines<'a>(
        &'a self,
        domain: &'a Domain,
        outcome: &'a [u32],
    ) -> impl Iterator<Item = &'a RedLine> + 'a {
        self.red_lines.iter().filter(move |r| !r.rule.holds_for(domain.space(), outcome))
    }

    /// Whether a grid outcome is acceptable: no red line broken and utility at least the reservation
    /// value.
    #[must_use]
    pub fn accepts(&self, domain: &Domain, outcome: &[u32]) -> bool {
        self.broken_red_lines(domain, outcome).next().is_none()
            && self.utility(domain, outcome) >= self.reservation
    }

    /// `u * d^t` for normalised time `t` in `[0, 1]`, with this party's discount factor.
    #[must_use]
    pub fn discounted(&self, utility: f64, t: f64) -> f64 {
        match self.discount {
            Some(d) if d > 0.0 && d < 1.0 => utility * d.powf(t.clamp(0.0, 1.0)),
            _ => utility,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AdditiveUtility, CmpOp, Constraint, Issue, IssueDomain, IssueUtility, OutcomeSpace, Phase,
        Probability, ValueFunction,
    };

    fn domain() -> Domain {
        let space = OutcomeSpace::new(vec![
            Issue::new("release", IssueDomain::integer(0, 10, 5).unwrap()),
            Issue::new("withdrawal", IssueDomain::integer(0, 2, 1).unwrap()),
        ])
        .unwrap();
        let phase = |name: &str, issue: u32| Phase {
            name: name.into(),
            duration_days: None,
            issues: vec![IssueId(issue)],
            next_condition: None,
            description: None,
            basis: Basis::Unsourced,
        };
        Domain::new(space, vec![phase("p1", 0), phase("p2", 1)]).unwrap()
    }

    fn prefs(p: f64) -> Preferences {
        let utility = Utility::Additive(AdditiveUtility {
            issues: vec![
                IssueUtility { weight: 0.5, value: ValueFunction::linear(0.0, 0.0, 10.0, 1.0) },
                IssueUtility { weight: 0.5, value: ValueFunction::Table { scores: vec![0.0, 1.0, 2.0] } },
            ],
        });
        Preferences {
            continuation: vec![Continuation { probability: Probability::Fixed(p), basis: Basis::Unsourced }],
            ..Preferences::new(utility)
        }
    }

    #[test]
    fn phase_weighting_discounts_later_phases_by_their_probability() {
        let d = domain();
        let certain = prefs(1.0);
        let doubtful = prefs(0.5);
        assert!(!certain.is_phase_weighted(&d));
        assert!(doubtful.is_phase_weighted(&d));
        assert!((certain.utility(&d, &[2, 2]) - 1.0).abs() < 1e-15);
        assert!((doubtful.utility(&d, &[2, 2]) - 0.75).abs() < 1e-15);
        let values = [Some(Value::Int(10)), Some(Value::Int(2))];
        assert_eq!(doubtful.utility_of_values(&d, &values), Some(doubtful.utility(&d, &[2, 2])));
        let off_grid = [Some(Value::Int(7)), Some(Value::Int(2))];
        assert!((doubtful.utility_of_values(&d, &off_grid).unwrap() - (0.35 + 0.25)).abs() < 1e-15);
        assert_eq!(doubtful.utility_of_values(&d, &[None, Some(Value::Int(2))]), None);
    }

    #[test]
    fn red_lines_make_outcomes_unacceptable_whatever_their_utility() {
        let d = domain();
        let mut p = prefs(1.0);
        p.red_lines.push(RedLine::new(
            "full_withdrawal",
            Constraint::Compare { issue: IssueId(1), op: CmpOp::Eq, value: Value::Int(2) },
            Basis::Unsourced,
        ));
        assert!(p.accepts(&d, &[0, 2]));
        assert!(!p.accepts(&d, &[2, 1]));
        assert_eq!(p.broken_red_lines(&d, &[2, 1]).count(), 1);
        p.reservation = 0.6;
        assert!(!p.accepts(&d, &[0, 2]), "0.5 is below the reservation value");
    }

    #[test]
    fn red_lines_in_force_follow_their_dates() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        let mut p = prefs(1.0);
        let rule = Constraint::Compare { issue: IssueId(1), op: CmpOp::Eq, value: Value::Int(2) };
        p.red_lines.push(RedLine {
            until: Some(date("2024-07-01")),
            ..RedLine::new("old", rule.clone(), Basis::Unsourced)
        });
        p.red_lines
            .push(RedLine { since: Some(date("2024-07-02")), ..RedLine::new("new", rule, Basis::Unsourced) });
        let names =
            |d: &str| p.red_lines_in_force_at(date(d)).map(|(k, r)| (k, r.name.as_str())).collect::<Vec<_>>();
        assert_eq!(names("2024-06-11"), vec![(0, "old")]);
        assert_eq!(names("2024-08-18"), vec![(1, "new")]);
        assert_eq!(names("2024-07"), vec![(0, "old"), (1, "new")], "a month spans both");
    }

    #[test]
    fn discounting_follows_genius() {
        let mut p = prefs(1.0);
        assert_eq!(p.discounted(0.8, 0.5), 0.8);
        p.discount = Some(0.25);
        assert!((p.discounted(0.8, 0.5) - 0.4).abs() < 1e-15);
    }
}
