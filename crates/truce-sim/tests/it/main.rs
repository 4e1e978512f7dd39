//! Integration tests of `truce-sim`: strategies against their papers' formulas, protocol invariants,
//! determinism, containment of broken agents, tournaments.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

mod cases;
mod containment;
mod determinism;
mod domains;
mod engine;
mod fixtures;
mod protocols;
mod strategies;
mod tournaments;
