//! Errors from the model's checked constructors.

use crate::IssueId;

/// A model value that cannot be built. Each message says what is wrong and what is expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A domain needs issues.
    #[error("the domain has no issues: at least one is needed")]
    NoIssues,
    /// A discrete issue needs options.
    #[error("the issue has no values: at least one is needed")]
    EmptyIssue,
    /// Two issues share a name.
    #[error("two issues are called `{name}`: issue names must be unique")]
    DuplicateIssue {
        /// The repeated name.
        name: String,
    },
    /// Two options of one issue share a name.
    #[error("the option `{option}` is listed twice: option names must be unique within an issue")]
    DuplicateOption {
        /// The repeated option.
        option: String,
    },
    /// A range that is empty, reversed or not finite.
    #[error("{reason}")]
    InvalidRange {
        /// What is wrong with it.
        reason: String,
    },
    /// An issue with more values than an outcome index digit can hold.
    #[error("the issue has {count} values; at most 4294967295 are supported (use a larger step)")]
    TooManyValues {
        /// How many values it would have.
        count: u128,
    },
    /// Two phases share a name.
    #[error("two phases are called `{name}`: phase names must be unique")]
    DuplicatePhase {
        /// The repeated name.
        name: String,
    },
    /// An issue claimed by two phases.
    #[error(
        "the issue `{issue}` is fixed by both phase `{first}` and phase `{second}`: an issue belongs to one phase"
    )]
    IssueInTwoPhases {
        /// The issue.
        issue: String,
        /// The first phase that fixes it.
        first: String,
        /// The second.
        second: String,
    },
    /// An issue id outside the space.
    #[error("issue #{id} does not exist")]
    UnknownIssue {
        /// The id.
        id: IssueId,
    },
    /// A date that cannot be read or does not exist.
    #[error("`{text}` is not a date: {reason}")]
    InvalidDate {
        /// The text given.
        text: String,
        /// Why it is not a date.
        reason: String,
    },
}
