//! Phases: an agreement as a sequence of stages, each fixing some issues, each entered only if the one
//! before holds; and each party's belief that each transition actually happens.
//!
//! Phase-weighted utility: with `reach_k` the probability (in a party's eyes) that phase `k` is reached,
//! `reach_0 = 1` and `reach_{k+1} = reach_k * p_k`, an issue fixed by phase `k` counts with weight
//! `w_i * reach_k`; issues no phase fixes count fully. One phase, or probabilities of 1, give plain
//! additive utility. A transition probability may depend on the value of one issue (say, whether the
//! ceasefire is guaranteed), which makes the utility non-additive in that issue and additive given it.

use serde::{Deserialize, Serialize};

use crate::{Basis, IssueId, ModelError, OutcomeSpace, PhaseId, Value};

/// One stage of a phased agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// The phase's name (`phase_1`), unique in the case.
    pub name: String,
    /// How long the phase lasts, in days, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_days: Option<u32>,
    /// The issues whose values this phase fixes. An issue belongs to at most one phase.
    pub issues: Vec<IssueId>,
    /// The condition for entering the next phase, in words, if there is a next phase
    /// ("talks on phase 2 begin by day 16; the ceasefire holds while talks continue").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_condition: Option<String>,
    /// What the phase is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the phase structure is stated.
    #[serde(default)]
    pub basis: Basis,
}

/// The outcome space and the phases that partition (some of) its issues: everything that defines what
/// an agreement is, before anyone values it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DomainParts", into = "DomainParts")]
pub struct Domain {
    space: OutcomeSpace,
    phases: Vec<Phase>,
    phase_of: Vec<Option<PhaseId>>,
}

#[derive(Serialize, Deserialize)]
struct DomainParts {
    space: OutcomeSpace,
    phases: Vec<Phase>,
}

impl Domain {
    /// A domain with phases; each issue may be fixed by at most one phase.
    ///
    /// # Errors
    /// [`ModelError::IssueInTwoPhases`], [`ModelError::UnknownIssue`] or [`ModelError::DuplicatePhase`].
    pub fn new(space: OutcomeSpace, phases: Vec<Phase>) -> Result<Self, ModelError> {
        let mut phase_of = vec![None; space.len()];
        let mut names = std::collections::HashSet::new();
        for (k, phase) in phases.iter().enumerate() {
            if !names.insert(phase.name.as_str()) {
                return Err(ModelError::DuplicatePhase { name: phase.name.clone() });
            }
            for &issue in &phase.issues {
                let slot = phase_of.get_mut(issue.index()).ok_or(ModelError::UnknownIssue { id: issue })?;
                if let Some(first) = *slot {
                    let first: &Phase = &phases[PhaseId::index(first)];
                    return Err(ModelError::IssueInTwoPhases {
                        issue: space.issue(issue).name.clone(),
                        first: first.name.clone(),
                        second: phase.name.clone(),
                    });
                }
                *slot = Some(PhaseId::from_index(k));
            }
        }
        Ok(Self { space, phases, phase_of })
    }

    /// A domain without phases.
    #[must_use]
    pub fn unphased(space: OutcomeSpace) -> Self {
        let phase_of = vec![None; space.len()];
        Self { space, phases: Vec::new(), phase_of }
    }

    /// The outcome space.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// The phases, in order.
    #[must_use]
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// The phase that fixes `issue`, if any.
    #[must_use]
    pub fn phase_of(&self, issue: IssueId) -> Option<PhaseId> {
        self.phase_of[issue.index()]
    }
}

impl TryFrom<DomainParts> for Domain {
    type Error = ModelError;
    fn try_from(parts: DomainParts) -> Result<Self, Self::Error> {
        Self::new(parts.space, parts.phases)
    }
}

impl From<Domain> for DomainParts {
    fn from(domain: Domain) -> Self {
        Self { space: domain.space, phases: domain.phases }
    }
}

/// A party's belief that the transition from phase `k` to phase `k + 1` happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Continuation {
    /// The probability.
    pub probability: Probability,
    /// Usually an assumption, with its rationale.
    #[serde(default)]
    pub basis: Basis,
}

/// A transition probability in `[0, 1]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Probability {
    /// The same whatever is agreed.
    Fixed(f64),
    /// Depends on the value agreed for one issue: one probability per grid value of `issue`.
    ByIssue {
        /// The issue the probability depends on (e.g. the guarantees offered).
        issue: IssueId,
        /// The probability for each grid value of the issue, in grid order.
        values: Vec<f64>,
    },
}

impl Probability {
    /// The probability given the issue values, or `None` if it depends on an unknown or off-grid value.
    pub fn eval(&self, space: &OutcomeSpace, value: &impl Fn(IssueId) -> Option<Value>) -> Option<f64> {
        match self {
            Self::Fixed(p) => Some(clamp_probability(*p)),
            Self::ByIssue { issue, values } => {
                let v = value(*issue)?;
                let index = space.issue(*issue).domain().grid_index(v)?;
                values.get(index as usize).map(|p| clamp_probability(*p))
            }
        }
    }

    /// The issue the probability depends on, if any.
    #[must_use]
    pub fn issue(&self) -> Option<IssueId> {
        match self {
            Self::Fixed(_) => None,
            Self::ByIssue { issue, .. } => Some(*issue),
        }
    }
}

fn clamp_probability(p: f64) -> f64 {
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
}

/// The probability of reaching each phase, `reach_0 = 1`, `reach_{k+1} = reach_k * p_k`; transitions a
/// party did not give a belief for count as certain. `None` if a probability depends on an unknown value.
pub fn reach_probabilities(
    domain: &Domain,
    continuation: &[Continuation],
    value: &impl Fn(IssueId) -> Option<Value>,
) -> Option<Vec<f64>> {
    let mut reach = Vec::with_capacity(domain.phases().len());
    let mut p = 1.0;
    for k in 0..domain.phases().len() {
        reach.push(p);
        if let Some(c) = continuation.get(k) {
            p *= c.probability.eval(domain.space(), value)?;
        }
    }
    Some(reach)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Issue, IssueDomain};

    fn domain() -> Domain {
        let space = OutcomeSpace::new(vec![
            Issue::new("a", IssueDomain::integer(0, 1, 1).unwrap()),
            Issue::new("b", IssueDomain::integer(0, 1, 1).unwrap()),
            Issue::new(
                "guarantee",
                IssueDomain::discrete(vec!["none".into(), "written".into()], true).unwrap(),
            ),
        ])
        .unwrap();
        let phase = |name: &str, issues: Vec<u32>| Phase {
            name: name.into(),
            duration_days: Some(42),
            issues: issues.into_iter().map(IssueId).collect(),
            next_condition: None,
            description: None,
            basis: Basis::Unsourced,
        };
        Domain::new(space, vec![phase("one", vec![0]), phase("two", vec![1])]).unwrap()
    }

    #[test]
    fn an_issue_belongs_to_one_phase_at_most() {
        let d = domain();
        let mut phases = d.phases().to_vec();
        phases[1].issues.push(IssueId(0));
        let err = Domain::new(d.space().clone(), phases).unwrap_err();
        assert!(matches!(err, ModelError::IssueInTwoPhases { .. }), "{err}");
        assert_eq!(d.phase_of(IssueId(2)), None);
    }

    #[test]
    fn reach_probabilities_chain_and_may_depend_on_an_issue() {
        let d = domain();
        let beliefs = vec![Continuation {
            probability: Probability::ByIssue { issue: IssueId(2), values: vec![0.25, 0.75] },
            basis: Basis::Unsourced,
        }];
        let written = |i: IssueId| Some(if i == IssueId(2) { Value::Option(1) } else { Value::Int(0) });
        assert_eq!(reach_probabilities(&d, &beliefs, &written), Some(vec![1.0, 0.75]));
        let unknown = |i: IssueId| (i != IssueId(2)).then_some(Value::Int(0));
        assert_eq!(reach_probabilities(&d, &beliefs, &unknown), None);
        assert_eq!(reach_probabilities(&d, &[], &unknown), Some(vec![1.0, 1.0]));
    }
}
