//! What every part of an analysis shares: the case, its negotiators, the limits, the seed.

use truce_model::{Case, PartyId, Preferences};

use crate::frontier::{Solved, solve};
use crate::problem::Problem;
use crate::{AnalysisError, Limits, Progress, Silent};

/// The shared context of one analysis.
pub(crate) struct Engine<'a> {
    pub(crate) case: &'a Case,
    /// The negotiators with preferences, in case order.
    pub(crate) parties: Vec<PartyId>,
    /// Their preferences (reservation values included).
    pub(crate) prefs: Vec<Preferences>,
    pub(crate) limits: Limits,
    pub(crate) seed: u64,
    pub(crate) progress: &'a dyn Progress,
}

impl<'a> Engine<'a> {
    /// Every outcome, no red line.
    pub(crate) fn problem(&self) -> Problem<'a> {
        Problem::unrestricted(&self.case.domain, self.prefs.clone())
    }

    /// The frontier of a sub-problem, without progress reports.
    pub(crate) fn solve(&self, problem: &Problem<'_>) -> Result<Solved, AnalysisError> {
        solve(problem, &self.limits, self.seed, &Silent)
    }
}
