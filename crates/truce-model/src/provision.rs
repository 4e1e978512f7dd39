//! Provisions: what a term says beyond its one value per issue.
//!
//! Real texts fix more than a number: *when* (forces leave a road by day 7 of the phase; talks on the
//! next phase begin by day 16; a crossing opens on a date), *how* (releases in batches on named days),
//! *by category* (three prisoners per civilian hostage, more per soldier) and *under which condition*
//! (a crossing opens once a category of hostages is out; the ceasefire holds while talks continue,
//! and what follows if they stall). A [`Provision`] records these on a [`Term`](crate::Term), in the
//! term's phase, and [`Case::validate`](crate::Case::validate) checks them: days inside the phase, a
//! schedule adding up to the term's total, conditions naming terms the proposal has, no cycle of
//! conditions.
//!
//! The analysis values a term by its value, as before: a provision is the text's detail, shown and
//! checked. Where timing matters to a party, the case makes the day an issue of its own (an integer
//! issue such as `p1_philadelphi_exit_day`) and the party's preferences value it per day, an additive
//! term the exact analysis combines as any other.

use serde::{Deserialize, Serialize};

use crate::{IssueId, PartialDate};

/// The detail of one term: its timing, its schedule, its rates by category and its conditions.
/// Every part is optional; a term without any has `Provision::default()`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provision {
    /// Done by this day of the term's phase (day 1 is the phase's first day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_day: Option<u32>,
    /// Done on (or by) this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<PartialDate>,
    /// Delivered in batches on days of the phase; the counts add up to the term's value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Batch>,
    /// A rate per category of exchanged people (`civilian` 3, `soldier` 10); the term's value is the
    /// rate the analysis uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_category: Vec<CategoryRate>,
    /// Terms of the same proposal (named by issue) that must be met first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<IssueId>,
    /// The term holds only while talks (on the next phase) continue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub while_talks: bool,
    /// What the text says follows if the talks stall, in its words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_stalled: Option<String>,
}

impl Provision {
    /// Whether the provision says nothing beyond the term's value.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The total of the schedule's batches (`None` for no schedule; saturating).
    #[must_use]
    pub fn scheduled_total(&self) -> Option<u64> {
        (!self.schedule.is_empty()).then(|| self.schedule.iter().map(|b| u64::from(b.count)).sum())
    }

    /// Every day of the phase the provision names (its `by_day` and its batches' days).
    pub fn days(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_day.into_iter().chain(self.schedule.iter().map(|b| b.day))
    }
}

/// One batch of a schedule: `count` delivered on `day` of the phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawBatch")]
pub struct Batch {
    /// The day of the phase, from 1.
    pub day: u32,
    /// How many.
    pub count: u32,
}

impl Batch {
    /// A batch; refuses day 0 (a phase's first day is day 1).
    ///
    /// # Errors
    /// When `day` is 0.
    pub fn new(day: u32, count: u32) -> Result<Self, String> {
        if day == 0 {
            return Err("a phase's days count from 1".into());
        }
        Ok(Self { day, count })
    }
}

#[derive(Deserialize)]
struct RawBatch {
    day: u32,
    count: u32,
}

impl TryFrom<RawBatch> for Batch {
    type Error = String;
    fn try_from(raw: RawBatch) -> Result<Self, String> {
        Self::new(raw.day, raw.count)
    }
}

/// A rate for one category of exchanged people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCategoryRate")]
pub struct CategoryRate {
    /// The category (`civilian`, `female_soldier`, `soldier`).
    pub category: String,
    /// The rate (prisoners per hostage of the category).
    pub rate: f64,
}

impl CategoryRate {
    /// A rate; refuses an empty category or a rate that is negative or not finite.
    ///
    /// # Errors
    /// When the category is empty or the rate is not a finite number at least 0.
    pub fn new(category: impl Into<String>, rate: f64) -> Result<Self, String> {
        let category = category.into();
        if category.trim().is_empty() {
            return Err("a category needs a name".into());
        }
        if !rate.is_finite() || rate < 0.0 {
            return Err(format!("a rate is a finite number at least 0, not {rate}"));
        }
        Ok(Self { category, rate })
    }
}

#[derive(Deserialize)]
struct RawCategoryRate {
    category: String,
    rate: f64,
}

impl TryFrom<RawCategoryRate> for CategoryRate {
    type Error = String;
    fn try_from(raw: RawCategoryRate) -> Result<Self, String> {
        Self::new(raw.category, raw.rate)
    }
}

/// The terms (by their index in `after`) that a cycle of conditions goes through, if the `after`
/// relation over a proposal's terms has one: each term's `after` names other terms by issue. Returns
/// the issues of the first cycle found, in order.
#[must_use]
pub fn condition_cycle(after: &[(IssueId, &[IssueId])]) -> Option<Vec<IssueId>> {
    // Depth-first search with colours: 0 unvisited, 1 on the stack, 2 done.
    fn visit(
        at: usize,
        after: &[(IssueId, &[IssueId])],
        colour: &mut [u8],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<IssueId>> {
        colour[at] = 1;
        stack.push(at);
        for next in after[at].1 {
            let Some(j) = after.iter().position(|(issue, _)| issue == next) else { continue };
            match colour[j] {
                1 => {
                    let from = stack.iter().position(|&s| s == j).unwrap_or(0);
                    return Some(stack[from..].iter().map(|&s| after[s].0).collect());
                }
                0 => {
                    if let Some(cycle) = visit(j, after, colour, stack) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour[at] = 2;
        None
    }
    let mut colour = vec![0u8; after.len()];
    let mut stack = Vec::new();
    (0..after.len())
        .find_map(|i| if colour[i] == 0 { visit(i, after, &mut colour, &mut stack) } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_and_rates_are_checked_when_read() {
        assert!(serde_json::from_str::<Batch>(r#"{"day":0,"count":3}"#).is_err());
        assert_eq!(serde_json::from_str::<Batch>(r#"{"day":2,"count":3}"#).ok(), Batch::new(2, 3).ok());
        assert!(serde_json::from_str::<CategoryRate>(r#"{"category":"","rate":3}"#).is_err());
        assert!(serde_json::from_str::<CategoryRate>(r#"{"category":"civilian","rate":-1}"#).is_err());
    }

    #[test]
    fn a_schedule_totals_its_batches() {
        let p = Provision {
            schedule: vec![Batch { day: 1, count: 13 }, Batch { day: 2, count: 13 }],
            by_day: Some(4),
            ..Provision::default()
        };
        assert_eq!(p.scheduled_total(), Some(26));
        assert_eq!(p.days().collect::<Vec<_>>(), vec![4, 1, 2]);
        assert!(!p.is_empty() && Provision::default().is_empty());
    }

    #[test]
    fn cycles_of_conditions_are_found_and_chains_are_not() {
        let (a, b, c) = (IssueId(0), IssueId(1), IssueId(2));
        let chain = [(a, &[b][..]), (b, &[c][..]), (c, &[][..])];
        assert_eq!(condition_cycle(&chain), None);
        let cycle = [(a, &[b][..]), (b, &[c][..]), (c, &[a][..])];
        assert_eq!(condition_cycle(&cycle), Some(vec![a, b, c]));
        let own = [(a, &[a][..])];
        assert_eq!(condition_cycle(&own), Some(vec![a]));
        // A name that is not a term is reported elsewhere; it does not make a cycle.
        assert_eq!(condition_cycle(&[(a, &[IssueId(9)][..])]), None);
    }
}
