//! Typed indices into a [`Case`](crate::Case)'s tables.
//!
//! Files refer to issues, parties, proposals and sources by name; once a case is loaded every reference
//! is resolved to one of these indices, so a dangling reference cannot exist in a built model.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the owning table.
            #[must_use]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the item at `index` in the owning table.
            ///
            /// # Panics
            /// If `index` does not fit in `u32` (tables are far smaller than that).
            #[must_use]
            pub fn from_index(index: usize) -> Self {
                Self(u32::try_from(index).expect("table index fits in u32"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// An issue of the outcome space, by position.
    IssueId
);
id_type!(
    /// A party of the case, by position.
    PartyId
);
id_type!(
    /// A phase of the agreement, by position (phase 0 comes first).
    PhaseId
);
id_type!(
    /// A proposal of the case, by position.
    ProposalId
);
id_type!(
    /// A source of the case, by position.
    SourceId
);
