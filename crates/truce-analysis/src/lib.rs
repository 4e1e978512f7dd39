//! Exact analysis of negotiation cases: where the parties could agree, how far each proposal is from
//! that, and what package all could accept.
//!
//! [`Analysis`] takes a [`Case`](truce_model::Case) and returns [`Findings`]:
//! - the exact **Pareto frontier** over all outcomes, and within the parties' red lines
//!   ([`frontier`]): by Minkowski combination of per-issue frontiers when utilities are additive (a
//!   domain of 10^50 outcomes takes milliseconds), by enumeration otherwise, by a labelled
//!   approximation beyond [`Limits::enumeration`];
//! - the **zone of possible agreement** ([`Zone`]): its size, exact or a labelled estimate, and its
//!   frontier;
//! - the **bargaining solutions** over it ([`solutions`]: Nash, Kalai-Smorodinsky, egalitarian,
//!   maximum welfare) and the opposition level;
//! - every **proposal evaluated** ([`Evaluation`]): utilities and percentile ranks, red lines broken and
//!   the terms breaking them, dominance with the dominating outcome, distances to the frontier and the
//!   Nash point; partial proposals as ranges over their open issues;
//! - **bridging** packages, or the smallest sets of red lines blocking agreement ([`Bridging`]);
//! - **who must approve** each proposal and package within a party ([`PartyApproval`]): the
//!   constituencies whose red lines it breaks, and whether the party's rule still carries it;
//! - **sensitivity** of the results to weights and reservation values ([`Sensitivity`]);
//! - the **record** of responses checked against the model ([`RecordCheck`]);
//! - a signed agreement **monitored** day by day against what happened ([`monitor`]).
//!
//! The crate is pure: no IO, no clock; randomness only from the seed given; progress through a
//! [`Progress`] handed in.
//!
//! ```
//! use truce_analysis::Analysis;
//! use truce_model::*;
//!
//! // Two parties, two issues: aid trucks per day (0 to 600) and the scope of withdrawal.
//! let space = OutcomeSpace::new(vec![
//!     Issue::new("aid", IssueDomain::integer(0, 600, 100)?),
//!     Issue::new("withdrawal", IssueDomain::discrete(vec!["none".into(), "partial".into(), "full".into()], true)?),
//! ])?;
//! let party = |id: &str, aid: f64, withdrawal: Vec<f64>, reservation: f64| {
//!     let utility = Utility::Additive(AdditiveUtility {
//!         issues: vec![
//!             IssueUtility { weight: 0.5, value: ValueFunction::linear(0.0, 1.0 - aid, 600.0, aid) },
//!             IssueUtility { weight: 0.5, value: ValueFunction::Table { scores: withdrawal } },
//!         ],
//!     });
//!     Party {
//!         id: id.into(),
//!         name: id.into(),
//!         roles: vec![Role::Negotiator],
//!         aligned_with: vec![],
//!         description: None,
//!         basis: Basis::Unsourced,
//!         preferences: Some(Preferences { reservation, ..Preferences::new(utility) }),
//!         stated_positions: vec![],
//!         constituencies: vec![],
//!         approval: None,
//!     }
//! };
//! let case = Case::new(
//!     "demo",
//!     "Demo",
//!     Domain::unphased(space),
//!     vec![party("a", 1.0, vec![0.0, 0.5, 1.0], 0.3), party("b", 0.0, vec![1.0, 0.8, 0.0], 0.3)],
//! );
//!
//! let findings = Analysis::new(&case).with_bridging(2).run()?;
//! assert!(findings.frontier.method.is_exact());
//! let nash = findings.solutions.nash.as_ref().expect("the zone is not empty");
//! // The Nash point: partial withdrawal, which costs b little, and 400 trucks a day.
//! assert_eq!(truce_analysis::describe(case.space(), &nash.point.outcome), "aid=400, withdrawal=partial");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod analysis;
mod approval;
mod bridging;
mod count;
mod engine;
mod error;
mod estimate;
mod evaluate;
mod fixed;
pub mod frontier;
mod limits;
pub mod monitor;
mod problem;
mod progress;
mod rank;
mod record;
mod sensitivity;
pub mod solutions;
#[cfg(test)]
mod testkit;
mod zone;

pub use analysis::{
    Analysis, Cloud, Findings, Frontier, PartyFacts, Solution, Solutions, Zone, pareto_frontier, timeline,
};
pub use approval::{ConstituencyVerdict, MAX_COMPLETIONS, PartyApproval, approvals, settings_of};
pub use bridging::{Anchor, Blocker, Bridging, Package, Relaxed};
pub use error::AnalysisError;
pub use evaluate::{
    Breach, Change, Dominance, Evaluation, PartyEvaluation, Setting, Subject, UtilityRange, Verdict,
    describe, label,
};
pub use frontier::{FrontierPoint, Method};
pub use limits::Limits;
pub use progress::{Progress, Silent, Stage};
pub use rank::Rank;
pub use record::{Reason, RecordCheck, RecordStatus};
pub use sensitivity::{Flip, ReservationSensitivity, Sensitivity, Stable, WeightSensitivity};
pub use zone::Size;
