//! Mediator strategies: how a mediator drafts texts. One per file.
//!
//! A mediator sees the public domain, and whatever the protocol shows it (votes, private positions);
//! it never sees a party's preferences.

mod mutation;
mod split_difference;

pub use mutation::Mutation;
pub use split_difference::SplitDifference;
