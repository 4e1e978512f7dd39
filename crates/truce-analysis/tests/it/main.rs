//! Integration tests of `truce-analysis`: against the GENIUS reference results, on the edge cases a
//! user can hand it, and on spaces no enumeration reaches.

// Test helpers may unwrap: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod common;
mod edge;
mod finite;
mod large;
mod monitor;
mod play;
mod reference;
