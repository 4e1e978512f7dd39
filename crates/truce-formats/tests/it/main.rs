//! Integration tests of `truce-formats`: one binary, one module per format.

mod common;
mod genius;
