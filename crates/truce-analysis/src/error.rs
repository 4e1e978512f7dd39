//! Why an analysis cannot be made.

use truce_model::{IssueId, Problem};

/// An analysis that cannot be made. Each message says what is wrong and what to do.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The case has validation errors: analysis needs a valid case.
    #[error("the case has {} error(s); run `truce check` and fix them first", problems.len())]
    InvalidCase {
        /// The errors.
        problems: Vec<Problem>,
    },
    /// No party both negotiates and has preferences.
    #[error(
        "no negotiating party has preferences: give at least one party the role `negotiator` and weights"
    )]
    NoNegotiators,
    /// An outcome given for evaluation does not fit the case.
    #[error("outcome `{label}`: {reason}")]
    InvalidOutcome {
        /// The outcome as the caller named it.
        label: String,
        /// What is wrong.
        reason: String,
    },
    /// The exact computation would need more memory than the configured limits allow.
    #[error("{what}: {reason}")]
    TooLarge {
        /// What could not be computed.
        what: String,
        /// Why, with the limit involved.
        reason: String,
        /// The issue at fault, when one issue is (too many values), so that a caller holding the
        /// case's source map can point at it.
        issue: Option<IssueId>,
    },
}
