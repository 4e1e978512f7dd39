//! Integration tests of the `truce` binary: each runs the real program and checks its output and exit
//! code. One module per command.

// Test helpers unwrap what the tests themselves set up.
#![allow(clippy::unwrap_used)]

mod agents;
mod analyze;
mod browser;
mod check;
mod convert;
mod examples;
mod gaza;
mod monitor;
mod negotiate;
mod serve;
mod show;
mod tournament;

use std::path::{Path, PathBuf};

/// The workspace root: commands run from there, so that paths in snapshots are short and stable.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The output of one run of `truce` with `args`, from the workspace root.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn truce(args: &[&str]) -> Run {
    let output =
        assert_cmd::Command::cargo_bin("truce").unwrap().current_dir(root()).args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A case-format fixture of `truce-formats`, as a path from the workspace root.
fn fixture(name: &str) -> String {
    format!("crates/truce-formats/tests/data/case/{name}")
}

const EXAMPLE: &str = "cases/harbour-truce.toml";
