//! Integration tests of the `truce` binary, one module per command.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

mod agents;
mod negotiate;
mod tournament;
