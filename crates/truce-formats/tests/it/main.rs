//! Integration tests of `truce-formats`: one test binary, one module per area.

// Test helpers (fixtures, generators) unwrap what the tests themselves produce.
#![allow(clippy::unwrap_used)]

mod case_format;
