//! Truce as a library: what every front end calls (the `truce` command, the server, the Python
//! bindings), as ripgrep's `grep` crate is for its binary. A front end parses its input, calls these
//! functions and shows what they return; it computes nothing itself.
//!
//! - **Reading** ([`load`], [`load_text`], [`load_files`]): a case from a path or from texts in memory,
//!   in any format Truce reads (Truce TOML, GENIUS XML, GeniusWeb JSON, NegMAS YAML). The texts read
//!   are kept, so diagnostics render ([`render`]) without reading a file again.
//! - **Checking** ([`check`], [`load_valid`], [`validated`]): every problem at once, or a case refused
//!   with them.
//! - **Analysis** ([`analyze`], [`evaluate`]): frontiers, zone, solutions, proposals, bridging,
//!   sensitivity; one outcome against the case. During a signed agreement, at the state of play its
//!   event logs give (`AnalyzeOptions::events`; [`play_warnings`] for the case's records they
//!   contradict).
//! - **A day** ([`Day`]): the red lines in force on a date, whether any outcome is acceptable to
//!   every party then, and what closes the zone when none is.
//! - **Simulation** ([`negotiate::prepare`], [`tournament::prepare`], [`tournament::run_to_folder`],
//!   [`tournament::merge_folders`]): a negotiation, a tournament (whole or a shard, its memory
//!   estimated first, written to a result folder as it goes and resumable) and the verified merge of
//!   shards, every option checked and explained in words first.
//! - **Monitoring** ([`monitor`], [`monitor_texts`], [`sign_live_agreement`]): a signed agreement
//!   followed day by day against its event logs (files, or texts in memory); a live negotiation's
//!   agreement signed with its provisions from the case it was opened on.
//! - **Writing** ([`refuse_overwrite`]): an output path that would overwrite an input (the same
//!   path, inside an input folder, or the same file by device and inode: hard links too) is refused.
//! - **Errors** ([`Error`], [`ErrorKind`]): one type, with the kind a front end maps to an exit code,
//!   an HTTP status or a Python exception, the parameter at fault, and the diagnostics.
//!
//! The crates below are re-exported whole ([`model`], [`formats`], [`analysis`], [`sim`],
//! [`report`]), so that a front end depends on `truce` alone.
//!
//! ```
//! let text = r#"
//! [case]
//! id = "demo"
//! title = "Demo"
//!
//! [[issues]]
//! name = "ratio"
//! type = "integer"
//! min = 0
//! max = 10
//!
//! [[parties]]
//! id = "north"
//! name = "North"
//! roles = ["negotiator"]
//! [parties.preferences]
//! weights = { ratio = 1 }
//! values = { ratio = { linear = "increasing" } }
//! assumption = "For the example."
//!
//! [[parties]]
//! id = "south"
//! name = "South"
//! roles = ["negotiator"]
//! [parties.preferences]
//! weights = { ratio = 1 }
//! values = { ratio = { linear = "decreasing" } }
//! assumption = "For the example."
//! "#;
//! let valid = truce::validated(truce::load_text("demo.toml", text)?)?;
//! let case = valid.case();
//!
//! let findings = truce::analyze(case, &truce::AnalyzeOptions::default(), None)?;
//! assert_eq!(findings.frontier.points.len(), 11);
//!
//! let options = truce::NegotiateOptions { agents: "boulware,conceder".into(), seed: 7, ..Default::default() };
//! let negotiation = truce::negotiate::prepare(case, &options)?;
//! assert!(negotiation.day.notes("demo").is_empty(), "the zone is open");
//! let run = negotiation.run(None)?;
//! assert!(run.result.agreement.is_some());
//!
//! // A misspelt agent is refused, naming the parameter, with a suggestion.
//! let bad = truce::NegotiateOptions { agents: "boulwar,conceder".into(), ..Default::default() };
//! let error = truce::negotiate::prepare(case, &bad).unwrap_err();
//! assert_eq!(error.parameter_name(), Some("agents"));
//! assert!(error.message().contains("did you mean `boulware`?"));
//! # Ok::<(), truce::Error>(())
//! ```

mod analyze;
mod day;
mod error;
mod input;
mod monitor;
pub mod negotiate;
mod output;
mod play;
mod signed;
mod suggest;
#[cfg(test)]
mod testcases;
pub mod tournament;

pub use analyze::{AnalyzeOptions, analyze, analyze_valid, evaluate};
pub use day::{Closer, Day, RedLineName, ZoneVerdict};
pub use error::{Error, ErrorKind};
pub use input::{Checked, Valid, check, check_files, load, load_files, load_text, load_valid, validated};
pub use monitor::{MonitorOptions, Monitored, monitor, monitor_texts};
pub use negotiate::{DEFAULT_CALL_LIMIT, DEFAULT_NEGOTIATION_LIMIT, NegotiateOptions};
pub use output::refuse_overwrite;
pub use play::play_warnings;
pub use signed::sign_live_agreement;
pub use suggest::closest;
pub use tournament::TournamentOptions;

pub use truce_analysis as analysis;
pub use truce_formats as formats;
pub use truce_formats::{Diagnostic, Format, Loaded, Position, Severity, Sources, render};
pub use truce_model as model;
pub use truce_report as report;
pub use truce_sim as sim;
