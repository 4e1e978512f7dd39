//! Who must approve: a party's constituencies (a cabinet, coalition partners, a political bureau and
//! a military wing), each with red lines of its own, and the rule for what carries.
//!
//! A party's own red lines are what its negotiators hold to; a constituency's are what it says it
//! will not approve. Whether a text carries inside the party follows its [`Approval`] rule:
//! a weighted majority of the constituencies ([`ApprovalRule::Majority`], each constituency's
//! `weight`: seats, votes, or 1), every one of them ([`ApprovalRule::Veto`]: each can block), or a
//! named set that must all approve ([`ApprovalRule::AllOf`]: the others are heard but cannot block).
//!
//! Verdicts are three-valued, as red lines are over partial proposals: a constituency approves, does
//! not, or its approval depends on how the open issues are settled (`None`), and the rule carries,
//! fails, or is open accordingly ([`ApprovalRule::carries`]).

use serde::{Deserialize, Serialize};

use crate::{Basis, RedLine};

/// A body within a party whose approval a text may need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constituency {
    /// A short id, unique within the party (`security_cabinet`).
    pub id: String,
    /// Its name for people.
    pub name: String,
    /// What it is and how it decides, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its weight under a majority rule (seats, votes); 1 by default.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: f64,
    /// What it says it will not approve: the same vocabulary as a party's red lines (dated,
    /// conditional, cited).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RedLine>,
    /// Where its existence and role are stated.
    #[serde(default)]
    pub basis: Basis,
}

fn one() -> f64 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

impl Constituency {
    /// A constituency of weight 1 with no red lines.
    #[must_use]
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            description: None,
            weight: 1.0,
            red_lines: Vec::new(),
            basis: Basis::Unsourced,
        }
    }
}

/// The rule for what carries inside a party, and where it is stated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// What carries.
    pub rule: ApprovalRule,
    /// Where the rule is stated, or the analyst's assumption.
    #[serde(default)]
    pub basis: Basis,
}

/// What carries inside a party.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ApprovalRule {
    /// More than half of the constituencies' total weight approves.
    Majority,
    /// Every constituency approves: each can block.
    Veto,
    /// The named constituencies (by id) all approve; the others cannot block.
    AllOf {
        /// The ids of the constituencies that must approve.
        constituencies: Vec<String>,
    },
}

impl ApprovalRule {
    /// The rule as written in case files (`majority`, `veto`, `all_of`).
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Majority => "majority",
            Self::Veto => "veto",
            Self::AllOf { .. } => "all_of",
        }
    }

    /// Whether the constituencies whose approval the rule needs are `needed` (one flag per
    /// constituency): under a majority, none alone.
    #[must_use]
    pub fn needs(&self, constituencies: &[Constituency]) -> Vec<bool> {
        match self {
            Self::Majority => vec![false; constituencies.len()],
            Self::Veto => vec![true; constituencies.len()],
            Self::AllOf { constituencies: named } => {
                constituencies.iter().map(|c| named.contains(&c.id)).collect()
            }
        }
    }

    /// Whether a text carries, given each constituency's approval (`Some(true)` approves,
    /// `Some(false)` does not, `None` depends on the open issues): `None` when it can go either
    /// way. Missing entries count as undecided.
    #[must_use]
    pub fn carries(&self, constituencies: &[Constituency], approves: &[Option<bool>]) -> Option<bool> {
        let approval = |k: usize| approves.get(k).copied().flatten();
        match self {
            Self::Majority => {
                let total: f64 = constituencies.iter().map(|c| c.weight).sum();
                let (mut yes, mut open) = (0.0, 0.0);
                for (k, c) in constituencies.iter().enumerate() {
                    match approval(k) {
                        Some(true) => yes += c.weight,
                        None => open += c.weight,
                        Some(false) => {}
                    }
                }
                if yes * 2.0 > total {
                    Some(true)
                } else if (yes + open) * 2.0 > total {
                    None
                } else {
                    Some(false)
                }
            }
            Self::Veto | Self::AllOf { .. } => {
                let mut undecided = false;
                for (k, needed) in self.needs(constituencies).into_iter().enumerate() {
                    if !needed {
                        continue;
                    }
                    match approval(k) {
                        Some(false) => return Some(false),
                        None => undecided = true,
                        Some(true) => {}
                    }
                }
                (!undecided).then_some(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(weights: &[f64]) -> Vec<Constituency> {
        weights
            .iter()
            .enumerate()
            .map(|(k, w)| Constituency { weight: *w, ..Constituency::new(format!("c{k}"), format!("C{k}")) })
            .collect()
    }

    /// Brute force: every completion of the undecided approvals, each judged on its own.
    fn by_completions(rule: &ApprovalRule, cs: &[Constituency], approves: &[Option<bool>]) -> Option<bool> {
        let open: Vec<usize> = (0..approves.len()).filter(|&k| approves[k].is_none()).collect();
        let mut seen = Vec::new();
        for mask in 0..(1u32 << open.len()) {
            let mut full: Vec<Option<bool>> = approves.to_vec();
            for (bit, &k) in open.iter().enumerate() {
                full[k] = Some(mask & (1 << bit) != 0);
            }
            let decided = rule.carries(cs, &full);
            assert!(decided.is_some(), "a full set of approvals decides");
            seen.push(decided);
        }
        if seen.iter().all(|s| *s == seen[0]) { seen[0] } else { None }
    }

    #[test]
    fn each_rule_decides_as_every_completion_of_the_open_approvals_agrees() {
        let cs = bodies(&[4.0, 2.0, 1.0]);
        let rules = [
            ApprovalRule::Majority,
            ApprovalRule::Veto,
            ApprovalRule::AllOf { constituencies: vec!["c0".into(), "c2".into()] },
        ];
        let states = [Some(true), Some(false), None];
        for rule in &rules {
            for a in states {
                for b in states {
                    for c in states {
                        let approves = [a, b, c];
                        assert_eq!(
                            rule.carries(&cs, &approves),
                            by_completions(rule, &cs, &approves),
                            "{rule:?} {approves:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_weighted_majority_carries_and_a_veto_blocks() {
        let cs = bodies(&[4.0, 2.0, 1.0]);
        assert_eq!(ApprovalRule::Majority.carries(&cs, &[Some(true), Some(false), Some(false)]), Some(true));
        assert_eq!(ApprovalRule::Majority.carries(&cs, &[Some(false), Some(true), Some(true)]), Some(false));
        assert_eq!(ApprovalRule::Veto.carries(&cs, &[Some(true), Some(true), Some(false)]), Some(false));
        let named = ApprovalRule::AllOf { constituencies: vec!["c0".into()] };
        assert_eq!(named.carries(&cs, &[Some(true), Some(false), Some(false)]), Some(true));
        assert_eq!(named.needs(&cs), vec![true, false, false]);
        assert_eq!(named.as_str(), "all_of");
    }
}
