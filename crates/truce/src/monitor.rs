//! Following a signed agreement against what happened (`truce monitor`): the event logs read and
//! checked against the agreement, every commitment read on every day to a date
//! ([`truce_analysis::monitor`]).

use std::path::PathBuf;

use truce_analysis::monitor::{self, MonitorError, Monitoring};
use truce_formats::events::EventLog;
use truce_formats::{Diagnostic, Sources};
use truce_model::{Case, Observation, PartialDate, SourceId};

use crate::Error;

/// What to follow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonitorOptions {
    /// The signed agreement, by the id of its proposal (`None`: the case's only one).
    pub agreement: Option<String>,
    /// The event logs (CSV or JSON Lines), read together.
    pub events: Vec<PathBuf>,
    /// The date to read at (default: the last date in the logs).
    pub at: Option<PartialDate>,
    /// Read only this source's account (a source id of the case).
    pub source: Option<String>,
}

/// An agreement followed, with what it was read from.
#[derive(Clone, Debug)]
pub struct Monitored {
    /// Every commitment on every day.
    pub monitoring: Monitoring,
    /// The observations read, every log's rows in order.
    pub observations: Vec<Observation>,
    /// Warnings about the logs (a source contradicting itself).
    pub warnings: Vec<Diagnostic>,
    /// The logs' texts, which the warnings point into.
    pub sources: Sources,
}

/// Follows the agreement of `case` named in `options` against its event logs.
///
/// # Errors
/// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for an agreement or source the case does
/// not have (`agreement`, `source`), no event log (`events`) or a date before the agreement began
/// (`at`); [`ErrorKind::Input`](crate::ErrorKind::Input) with every problem of the logs, located.
pub fn monitor(case: &Case, options: &MonitorOptions) -> Result<Monitored, Error> {
    let (index, source) = resolve(case, options)?;
    if options.events.is_empty() {
        return Err(Error::parameter("events", "give at least one event log (--events FILE)"));
    }
    let agreement = &case.agreements[index];
    let read = options
        .events
        .iter()
        .map(|path| match truce_formats::events::load_events(case, agreement, path) {
            Ok((log, text)) => (path.clone(), Ok(log), Some(text)),
            Err((problems, text)) => (path.clone(), Err(problems), text),
        })
        .collect();
    follow(case, index, source, options.at, read)
}

/// Follows the agreement of `case` named in `options` against event logs held in memory, each a
/// name (its extension says CSV or JSON Lines; the diagnostics point into it) and its text, read as
/// [`monitor`] reads files; `options.events` is not used. A live negotiation's monitoring reads its
/// stored log this way.
///
/// # Errors
/// As [`monitor`]: an agreement, source or date the case does not have, every problem of the logs.
pub fn monitor_texts(
    case: &Case,
    options: &MonitorOptions,
    logs: &[(PathBuf, String)],
) -> Result<Monitored, Error> {
    let (index, source) = resolve(case, options)?;
    let agreement = &case.agreements[index];
    let read = logs
        .iter()
        .map(|(path, text)| {
            (
                path.clone(),
                truce_formats::events::read_events(case, agreement, path, text),
                Some(text.clone()),
            )
        })
        .collect();
    follow(case, index, source, options.at, read)
}

/// A log read: its name, its observations or its problems, and its text when it was read.
type Read = (PathBuf, Result<EventLog, Vec<Diagnostic>>, Option<String>);

/// The agreement's index and the source named in `options`, each checked with a "did you mean".
fn resolve(case: &Case, options: &MonitorOptions) -> Result<(usize, Option<SourceId>), Error> {
    let ids: Vec<&str> = case
        .agreements
        .iter()
        .map(|a| case.proposals.get(a.proposal.index()).map_or("", |p| p.id.as_str()))
        .collect();
    let index = match &options.agreement {
        Some(id) => ids.iter().position(|x| x == id).ok_or_else(|| {
            let hint = match crate::closest(id, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => {
                    "the case signs no agreement: add an [[agreements]] entry (docs/case-format.md)".into()
                }
                None => format!(
                    "the signed agreements are {}",
                    ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            Error::parameter("agreement", format!("no signed agreement `{id}`; {hint}"))
        })?,
        None if ids.len() == 1 => 0,
        None => {
            return Err(Error::parameter(
                "agreement",
                format!("name the agreement: the case signs {} ({})", ids.len(), ids.join(", ")),
            ));
        }
    };
    let source = match &options.source {
        None => None,
        Some(id) => Some(case.source_id(id).ok_or_else(|| {
            let hint = crate::closest(id, case.sources.iter().map(|s| s.id.as_str()))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            Error::parameter("source", format!("the case has no source `{id}`{hint}"))
        })?),
    };
    Ok((index, source))
}

/// Every commitment read from the logs read, or every problem of theirs at once.
fn follow(
    case: &Case,
    index: usize,
    source: Option<SourceId>,
    at: Option<PartialDate>,
    read: Vec<Read>,
) -> Result<Monitored, Error> {
    let (mut observations, mut warnings, mut errors, mut sources) =
        (Vec::new(), Vec::new(), Vec::new(), Sources::new());
    for (path, log, text) in read {
        match log {
            Ok(log) => {
                observations.extend(log.observations);
                warnings.extend(log.warnings);
            }
            Err(problems) => errors.extend(problems),
        }
        if let Some(text) = text {
            sources.insert(path, text);
        }
    }
    if !errors.is_empty() {
        let n = errors.len();
        return Err(Error::input(
            format!("the event logs have {n} error{}", if n == 1 { "" } else { "s" }),
            errors,
            sources,
        ));
    }
    let monitoring = monitor::monitor(case, index, &observations, &monitor::MonitorOptions { at, source })
        .map_err(|e| match e {
            MonitorError::BeforeStart { .. } | MonitorError::TooLate(_) => {
                Error::parameter("at", e.to_string())
            }
            MonitorError::NoAgreement(_) => Error::parameter("agreement", e.to_string()),
        })?;
    Ok(Monitored { monitoring, observations, warnings, sources })
}
