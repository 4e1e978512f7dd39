//! What every part of an analysis shares: the case, its negotiators, the limits, the seed.

use truce_model::{Case, PartialDate, PartyId, Preferences};

use crate::frontier::{Solved, solve};
use crate::problem::{Problem, RedLineRef, red_lines_in_force};
use crate::{AnalysisError, Limits, Progress, Silent};

/// The shared context of one analysis.
pub(crate) struct Engine<'a> {
    pub(crate) case: &'a Case,
    /// The negotiators with preferences, in case order.
    pub(crate) parties: Vec<PartyId>,
    /// Their preferences (reservation values included).
    pub(crate) prefs: Vec<Preferences>,
    /// The date the analysis is made at: the zone, solutions, bridging and sensitivity use the red
    /// lines in force then (`None`: those still in force at the end of the record).
    pub(crate) date: Option<PartialDate>,
    pub(crate) limits: Limits,
    pub(crate) seed: u64,
    pub(crate) progress: &'a dyn Progress,
}

impl<'a> Engine<'a> {
    /// Every outcome that gives no more than is held at the analysis date, no red line.
    pub(crate) fn problem(&self) -> Problem<'a> {
        Problem::unrestricted(&self.case.domain, self.prefs.clone()).within_what_is_held(self.case, self.date)
    }

    /// The red lines in force at `date`, or at the analysis date when `date` is `None`.
    pub(crate) fn red_lines_at(&self, date: Option<PartialDate>) -> Vec<RedLineRef> {
        red_lines_in_force(&self.prefs, date.or(self.date))
    }

    /// Every outcome, with the red lines in force at the analysis date.
    pub(crate) fn constrained(&self) -> Problem<'a> {
        self.problem().with_red_lines(self.red_lines_at(None))
    }

    /// The frontier of a sub-problem, without progress reports.
    pub(crate) fn solve(&self, problem: &Problem<'_>) -> Result<Solved, AnalysisError> {
        solve(problem, &self.limits, self.seed, &Silent)
    }
}
