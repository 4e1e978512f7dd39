//! The facade's one error type: what went wrong, of which [`ErrorKind`] (which a front end maps to an
//! exit code, an HTTP status or a Python exception), the parameter it concerns, and the diagnostics of
//! an input that could not be used, with the texts they point into.

use truce_formats::{Diagnostic, LoadFailure, Loaded, Sources};
use truce_model::{IssueId, Location};

/// What kind of failure an [`Error`] is: the one thing a front end needs to choose its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An input that cannot be used: a file that cannot be read or parsed, a case with errors. The
    /// error carries every [`Diagnostic`] (CLI: exit 2; HTTP: 422).
    Input,
    /// A parameter that is not valid: an unknown agent or protocol, a seat that does not exist, a
    /// limit that is not a positive number (CLI: exit 2; HTTP: 400). [`Error::parameter`] names it.
    Parameter,
    /// A computation past the limits it was given (CLI: exit 1; HTTP: 413).
    TooLarge,
    /// An output that could not be written (CLI: exit 1; HTTP: 500).
    Output,
}

/// Why a facade call failed. The message is a sentence for a person; the kind, the parameter and the
/// diagnostics are for the front end.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    parameter: Option<&'static str>,
    message: String,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
    /// The issue a computation past a limit concerns, until [`Error::located`] turns it into a
    /// diagnostic at the issue's definition.
    issue: Option<IssueId>,
}

impl Error {
    /// An error of `kind` with a message.
    #[must_use]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            parameter: None,
            message: message.into(),
            diagnostics: Vec::new(),
            sources: Sources::new(),
            issue: None,
        }
    }

    /// A computation past a limit that one issue of the case passes (too many values): a front end
    /// holding the case's source map locates it with [`Error::located`].
    #[must_use]
    pub(crate) fn too_large_issue(issue: IssueId, message: impl Into<String>) -> Self {
        Self { issue: Some(issue), ..Self::new(ErrorKind::TooLarge, message) }
    }

    /// The error with the file, line and column of what it concerns in `loaded` (the issue an
    /// analysis limit refused), rendered with its source line as an input's diagnostics are; other
    /// errors are returned as they are. The kind stays what it was.
    #[must_use]
    pub fn located(self, loaded: &Loaded) -> Self {
        let Some(issue) = self.issue else { return self };
        if !self.diagnostics.is_empty() || issue.index() >= loaded.case.space().len() {
            return self;
        }
        let (file, position) = loaded.source_map.locate(Location::Issue { issue });
        let mut diagnostic = Diagnostic::error("too-many-values", file, self.message.clone())
            .with_hint("use a larger step, or a real issue with fewer levels");
        diagnostic.position = position;
        Self { diagnostics: vec![diagnostic], sources: loaded.sources.clone(), issue: None, ..self }
    }

    /// A bad value of the parameter `name` (`agents`, `first`, `call_limit`: the option's name in
    /// snake case, which the CLI writes `--first` and a server or Python names as it is).
    #[must_use]
    pub fn parameter(name: &'static str, message: impl Into<String>) -> Self {
        Self { parameter: Some(name), ..Self::new(ErrorKind::Parameter, message) }
    }

    /// A computation past a limit the parameter `name` sets (`memory_limit`), which a person can raise.
    #[must_use]
    pub fn too_large(name: &'static str, message: impl Into<String>) -> Self {
        Self { parameter: Some(name), ..Self::new(ErrorKind::TooLarge, message) }
    }

    /// An input with problems: `diagnostics` (at least one error) in the files of `sources`.
    #[must_use]
    pub fn input(message: impl Into<String>, diagnostics: Vec<Diagnostic>, sources: Sources) -> Self {
        Self { diagnostics, sources, ..Self::new(ErrorKind::Input, message) }
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The parameter whose value is wrong, for [`ErrorKind::Parameter`], or whose limit was passed, for
    /// [`ErrorKind::TooLarge`].
    #[must_use]
    pub fn parameter_name(&self) -> Option<&'static str> {
        self.parameter
    }

    /// The message, without the parameter's name.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Every problem found in the input, in file order (empty unless [`ErrorKind::Input`]).
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The texts of the files read, which the diagnostics point into.
    #[must_use]
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The diagnostics rendered with their source lines ([`truce_formats::render`]), or the message
    /// when there are none.
    #[must_use]
    pub fn render(&self) -> String {
        if self.diagnostics.is_empty() {
            format!("error: {}\n", self.message)
        } else {
            truce_formats::render(&self.diagnostics, &self.sources)
        }
    }
}

impl From<LoadFailure> for Error {
    fn from(failure: LoadFailure) -> Self {
        let message = failure.to_string();
        Self::input(message, failure.diagnostics, failure.sources)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_failure_keeps_its_diagnostics_and_texts() {
        let failure =
            truce_formats::parse_case("[case]\nid = 3\n", std::path::Path::new("bad.toml")).unwrap_err();
        let error = Error::from(failure);
        assert_eq!(error.kind(), ErrorKind::Input);
        assert_eq!(error.diagnostics()[0].code, "wrong-type");
        assert!(error.render().contains("2 | id = 3"), "{}", error.render());
    }

    #[test]
    fn a_parameter_error_names_its_parameter() {
        let error = Error::parameter("first", "there is no seat 5");
        assert_eq!((error.kind(), error.parameter_name()), (ErrorKind::Parameter, Some("first")));
        assert_eq!(error.render(), "error: there is no seat 5\n");
    }
}
