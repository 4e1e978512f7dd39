//! The state of play: what had been delivered under an agreement in force, and what was still there
//! to give, on a date.
//!
//! Texts are tabled part-way through agreements already in force: by the time a proposal is made,
//! some of what is exchanged has been delivered and less is left ("115 hostages remain"). A
//! [`StateOfPlay`] records, on a date, the counts delivered under the agreement in force (by issue:
//! `p1_hostages = 78`) and the counts still held (`p1_hostages = 115`). From that date on, no term
//! can give more of an issue than is held: [`Case::validate`](crate::Case::validate) flags a proposal
//! that asks for more, and the analysis at a date leaves out the outcomes that would
//! ([`Case::held_at`]). Delivering more than the agreement provides is an error.

use serde::{Deserialize, Serialize};

use crate::{Basis, Case, IssueId, PartialDate, ProposalId};

/// What was delivered and what was still held on one date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateOfPlay {
    /// The date of the record.
    pub date: PartialDate,
    /// The agreement in force, whose terms `delivered` counts against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<ProposalId>,
    /// Counts delivered under the agreement by this date, by integer issue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivered: Vec<Count>,
    /// Counts still held (the most any later term can give), by integer issue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<Count>,
    /// Where the figures are reported.
    #[serde(default)]
    pub basis: Basis,
    /// Anything else worth knowing (living and dead, who holds them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A count for one integer issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The issue counted.
    pub issue: IssueId,
    /// How many.
    pub count: i64,
}

impl StateOfPlay {
    /// The count still held for `issue`, if the record gives one.
    #[must_use]
    pub fn held(&self, issue: IssueId) -> Option<i64> {
        self.held.iter().find(|c| c.issue == issue).map(|c| c.count)
    }

    /// Whether the record applies on `date`: it was made by then (its last possible day is no later
    /// than the date's last possible day). With no date, every record applies.
    #[must_use]
    pub fn applies_at(&self, date: Option<PartialDate>) -> bool {
        date.is_none_or(|d| self.date.last_day() <= d.last_day())
    }
}

impl Case {
    /// The most of `issue` any term can give at `date`: the count held in the latest state of play
    /// that applies then and counts the issue (`None`: no record limits it).
    #[must_use]
    pub fn held_at(&self, issue: IssueId, date: Option<PartialDate>) -> Option<i64> {
        self.state_of_play
            .iter()
            .filter(|s| s.applies_at(date))
            .filter_map(|s| s.held(issue).map(|n| (s.date.last_day(), n)))
            .max_by_key(|(day, _)| *day)
            .map(|(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Domain, Issue, IssueDomain, OutcomeSpace};

    #[test]
    fn the_latest_record_by_a_date_says_what_is_held() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        let space = OutcomeSpace::new(vec![Issue::new("hostages", IssueDomain::integer(0, 240, 1).unwrap())])
            .unwrap();
        let mut case = Case::new("t", "t", Domain::unphased(space), vec![]);
        let record = |d: &str, n: i64| StateOfPlay {
            date: date(d),
            agreement: None,
            delivered: vec![],
            held: vec![Count { issue: IssueId(0), count: n }],
            basis: Basis::Unsourced,
            notes: None,
        };
        case.state_of_play = vec![record("2024-08-16", 115), record("2023-12-01", 136)];
        assert_eq!(case.held_at(IssueId(0), Some(date("2023-11-30"))), None);
        assert_eq!(case.held_at(IssueId(0), Some(date("2024-01"))), Some(136));
        assert_eq!(case.held_at(IssueId(0), Some(date("2024-08"))), Some(115), "August includes the 16th");
        assert_eq!(case.held_at(IssueId(0), Some(date("2024-09-01"))), Some(115));
        assert_eq!(case.held_at(IssueId(0), None), Some(115));
    }
}
