//! Reading and writing negotiation files: Truce's own case format (TOML) and the formats the field
//! already uses (GENIUS XML, GeniusWeb JSON, NegMAS YAML). This is the only crate that touches files.
//!
//! [`load`] reads any supported input into a [`truce_model::Case`], reporting every problem at once
//! as [`Diagnostic`]s with file, line and column; [`save`] writes a case in a chosen [`Format`].
//!
//! The field's formats each have a module with text-level `parse_*` functions (used by tests and
//! fuzzing) beside `load` and `save`: [`genius`] (GENIUS XML domains and profiles, read and written),
//! [`geniusweb`] (GeniusWeb JSON, read and written) and [`negmas`] (NegMAS YAML scenarios, read).
//! `docs/formats.md` gives their semantics, quirks and diagnostic codes.

mod case;
mod diagnostic;
mod disk;
pub mod events;
mod folder;
pub mod genius;
pub mod geniusweb;
mod load;
pub mod negmas;
mod report;
mod writing;

pub use case::{json_schema as case_json_schema, parse_case, rule_text, to_toml as case_to_toml};
pub use diagnostic::{Diagnostic, Position, Severity, Sources, render};
pub use disk::MAX_FILE_BYTES;
pub use load::{Format, LoadFailure, Loaded, SourceMap, detect, load, load_memory, save};
pub use writing::{Folded, flatten, flattened_warning};
