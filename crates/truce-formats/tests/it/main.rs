//! Integration tests of `truce-formats`: one binary, one module per format.

// Test helpers may unwrap: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod case_format;
mod common;
mod flatten;
mod genius;
mod geniusweb;
mod monitor;
mod negmas;
