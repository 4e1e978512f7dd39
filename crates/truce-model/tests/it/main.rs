//! Integration tests of `truce-model`: invariants that hold however a case arrives.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

mod arbitrary_json;
