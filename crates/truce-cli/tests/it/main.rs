//! Integration tests of the `truce` binary: one module per command.

// Test helpers may unwrap: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod analyze;
