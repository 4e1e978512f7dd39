//! One file per subcommand: its arguments and its `run`.

pub mod agents;
pub mod analyze;
pub mod check;
pub mod convert;
pub mod monitor;
pub mod negotiate;
pub mod serve;
pub mod show;
pub mod tournament;
