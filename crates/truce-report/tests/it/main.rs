//! Integration tests of `truce-report`: snapshots of the text and JSON reports of a small fixture,
//! and the structure of the SVG and HTML output.

// Test helpers may unwrap: a panic is a failed test.
#![allow(clippy::unwrap_used)]

mod approval;
mod fixture;
mod page;
mod render;
