//! Stated positions: what a party said it demands or refuses, when, and where it is reported.
//!
//! Red lines ([`RedLine`](crate::RedLine)) are the analyst's formal rules over issue values; stated
//! positions are the record they rest on, in the party's own words and over time ("ending the offensive
//! is a red line", January 2024; "dropped the requirement of an upfront permanent ceasefire", July
//! 2024). A position may name the formal red line it backs, so that reports can show how each rule is
//! grounded, and the positions that no rule captures (demands the model leaves out) stay visible.

use serde::{Deserialize, Serialize};

use crate::source::period_overlaps;
use crate::{Basis, PartialDate};

/// One position a party stated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatedPosition {
    /// When it was stated (or first stated), as precisely as known.
    pub date: PartialDate,
    /// The last date it is reported as held, when it is reported over a period (`2024-07` to
    /// `2024-09`), included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    /// A red line (a condition for any agreement) or a core demand (something sought).
    pub kind: PositionKind,
    /// The position, in the words of the report.
    pub text: String,
    /// The name of the party's formal red line this position backs, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub red_line: Option<String>,
    /// Where it is reported.
    #[serde(default)]
    pub basis: Basis,
}

impl StatedPosition {
    /// Whether the position is reported as held at `date`: from the first day of `date` to the last
    /// day of `until` (or of `date` itself when `until` is unset), sharing at least one day with the
    /// days `at` may be.
    #[must_use]
    pub fn held_at(&self, at: PartialDate) -> bool {
        period_overlaps(Some(self.date), Some(self.until.unwrap_or(self.date)), at)
    }
}

/// What kind of position a party stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    /// A condition the party says any agreement must meet.
    RedLine,
    /// Something the party seeks, without calling it a condition.
    CoreDemand,
}

impl PositionKind {
    /// The kind as written in case files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RedLine => "red_line",
            Self::CoreDemand => "core_demand",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_held_over_its_period() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        let mut p = StatedPosition {
            date: date("2024-07"),
            until: Some(date("2024-09")),
            kind: PositionKind::RedLine,
            text: "Stay on the Philadelphi corridor".into(),
            red_line: None,
            basis: Basis::Unsourced,
        };
        assert!(p.held_at(date("2024-08-19")));
        assert!(p.held_at(date("2024-09-30")));
        assert!(!p.held_at(date("2024-10-01")));
        p.until = None;
        assert!(p.held_at(date("2024-07-31")));
        assert!(!p.held_at(date("2024-08-01")));
        assert_eq!(p.kind.as_str(), "red_line");
    }
}
