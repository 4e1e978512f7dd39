//! Truce's negotiation model: pure types, no IO.
//!
//! A [`Case`] is one negotiation: a [`Domain`] (the [`Issue`]s of an [`OutcomeSpace`], and the
//! [`Phase`]s an agreement runs through), the [`Party`]s with their private [`Preferences`] (a
//! [`Utility`], a reservation value, [`RedLine`]s in force over dated periods, beliefs that each phase
//! will follow the last) and the [`StatedPosition`]s their red lines rest on, their [`Constituency`]s
//! (who must approve, with red lines of their own, under an [`Approval`] rule), the [`Proposal`]s tabled
//! and the [`Response`]s to them (each [`Term`] with its [`Provision`]: when, in which batches, at
//! which rate per category, under which condition), and the [`Source`]s every stated fact cites.
//!
//! Everything here is built already resolved: references are typed indices ([`IssueId`], [`PartyId`],
//! ...), so a built model has no dangling names. Reading files is `truce-formats`' job; it maps the
//! [`Problem`]s of [`Case::validate`] back to file positions.
//!
//! ```
//! use truce_model::*;
//!
//! let space = OutcomeSpace::new(vec![
//!     Issue::new("aid_trucks_per_day", IssueDomain::integer(0, 600, 100)?),
//!     Issue::new("withdrawal", IssueDomain::discrete(vec!["none".into(), "populated_areas".into(), "full".into()], true)?),
//! ])?;
//! assert_eq!(space.size_u64(), Some(21));
//!
//! let prefs = Preferences::new(Utility::Additive(AdditiveUtility {
//!     issues: vec![
//!         IssueUtility { weight: 0.4, value: ValueFunction::linear(0.0, 0.0, 600.0, 1.0) },
//!         IssueUtility { weight: 0.6, value: ValueFunction::Table { scores: vec![0.0, 50.0, 100.0] } },
//!     ],
//! }));
//! let domain = Domain::unphased(space);
//! let u = prefs.utility(&domain, &[3, 1]); // 300 trucks, withdrawal from populated areas
//! assert!((u - (0.4 * 0.5 + 0.6 * 0.5)).abs() < 1e-12);
//! # Ok::<(), ModelError>(())
//! ```

mod agreement;
mod case;
mod commitment;
mod constituency;
mod display;
mod error;
mod event;
mod id;
mod issue;
mod party;
mod phase;
mod play;
mod position;
mod proposal;
mod provision;
mod redline;
mod source;
mod space;
mod utility;
mod validate;

pub use agreement::{
    DeclaredCommitment, Extension, Reconciliation, SignedAgreement, date_of_day, day_number,
};
pub use case::Case;
pub use commitment::{Commitment, CommitmentKind, PhaseSpan};
pub use constituency::{Approval, ApprovalRule, Constituency};
pub use display::{escape_name, escape_text, is_hidden};
pub use error::ModelError;
pub use event::Observation;
pub use id::{IssueId, PartyId, PhaseId, ProposalId, SourceId};
pub use issue::{DiscreteDomain, IntegerDomain, Issue, IssueDomain, MAX_ISSUE_VALUES, RealDomain, Value};
pub use party::{Party, Preferences, Role};
pub use phase::{Continuation, Domain, Phase, Probability, reach_probabilities};
pub use play::{Count, StateOfPlay};
pub use position::{PositionKind, StatedPosition};
pub use proposal::{Alternative, Proposal, ProposalKind, Response, Stance, Term, TermValue};
pub use provision::{Batch, CategoryRate, Provision, condition_cycle};
pub use redline::{CmpOp, Constraint, RedLine, RedLineCondition};
pub use source::{Basis, Citation, PartialDate, Source, SourceKind, Sourcing};
pub use space::{OutcomeSpace, Outcomes};
pub use utility::{
    AdditiveUtility, Aggregation, Bound, HyperRectangle, IssueUtility, RectangleFunction, RectangleUtility,
    Scorer, Utility, ValueFunction,
};
pub use validate::{Location, MAX_WEIGHT_SUM, Problem, Severity};

/// The version of Truce's model; result files record it so that stale ones are refused.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");
