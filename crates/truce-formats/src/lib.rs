//! Reading and writing negotiation files: Truce's own case format (TOML) and the formats the field
//! already uses (GENIUS XML, GeniusWeb JSON, NegMAS YAML). This is the only crate that touches files.
//!
//! [`load`] reads any supported input into a [`truce_model::Case`], reporting every problem at once
//! as [`Diagnostic`]s with file, line and column; [`save`] writes a case in a chosen [`Format`].

mod case;
mod diagnostic;
pub mod genius;
pub mod geniusweb;
mod load;
mod negmas;

pub use case::{json_schema as case_json_schema, parse_case, rule_text, to_toml as case_to_toml};
pub use diagnostic::{Diagnostic, Position, Severity};
pub use load::{Format, LoadFailure, Loaded, SourceMap, detect, load, save};
