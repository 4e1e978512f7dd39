//! The one place Truce's errors become Python exceptions: [`truce::ErrorKind`] chooses the class of
//! the `TruceError` hierarchy, and the exception keeps the parameter at fault and every diagnostic
//! with its file, line, column and hint.
//!
//! ```text
//! TruceError            every error Truce raises
//! ├── InputError        a file or text that cannot be used (diagnostics attached)
//! ├── ParameterError    an argument that is not valid (`parameter` names it)
//! ├── TooLargeError     a computation past its limits
//! └── OutputError       a file that could not be written
//! ```

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyList;

create_exception!(truce, TruceError, PyException, "Every error Truce raises.");
create_exception!(truce, InputError, TruceError, "A file or text that cannot be used; see `diagnostics`.");
create_exception!(truce, ParameterError, TruceError, "An argument that is not valid; `parameter` names it.");
create_exception!(truce, TooLargeError, TruceError, "A computation past the limits it was given.");
create_exception!(truce, OutputError, TruceError, "An output that could not be written.");

/// One problem found in an input: where it is, what is wrong, and what to do about it.
#[pyclass(module = "truce._truce", frozen, get_all)]
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// A stable kebab-case code (`unknown-issue`, `toml-syntax`).
    pub code: &'static str,
    /// The file the problem is in.
    pub file: String,
    /// The line, from 1, when known.
    pub line: Option<usize>,
    /// The column, from 1, in characters, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        format!("<Diagnostic {} {} at {}>", self.severity, self.code, self.location())
    }

    fn __str__(&self) -> String {
        let hint = self.hint.as_deref().map(|h| format!(" (hint: {h})")).unwrap_or_default();
        format!("{}: {}[{}]: {}{hint}", self.location(), self.severity, self.code, self.message)
    }
}

impl Diagnostic {
    fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl From<&truce::Diagnostic> for Diagnostic {
    fn from(d: &truce::Diagnostic) -> Self {
        Self {
            severity: if d.is_error() { "error" } else { "warning" },
            code: d.code,
            file: d.file.display().to_string(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// The Python exception of a facade error: its class by kind, with `kind`, `parameter`,
/// `diagnostics` and `rendered` (the diagnostics quoted against the texts read) attached.
pub fn to_py(error: &truce::Error) -> PyErr {
    Python::attach(|py| {
        // What `str(e)` shows: the message, then every diagnostic quoted against its text.
        let message = if error.diagnostics().is_empty() {
            error.message().to_string()
        } else {
            format!("{}\n\n{}", error.message(), error.render().trim_end())
        };
        let err = match error.kind() {
            truce::ErrorKind::Input => InputError::new_err(message),
            truce::ErrorKind::Parameter => ParameterError::new_err(message),
            truce::ErrorKind::TooLarge => TooLargeError::new_err(message),
            _ => OutputError::new_err(message),
        };
        let value = err.value(py);
        let diagnostics: Vec<Diagnostic> = error.diagnostics().iter().map(Diagnostic::from).collect();
        let attached = (|| -> PyResult<()> {
            value.setattr("kind", kind_name(error.kind()))?;
            value.setattr("parameter", error.parameter_name())?;
            value.setattr("message", error.message())?;
            value.setattr("diagnostics", PyList::new(py, diagnostics)?)?;
            value.setattr("rendered", error.render())?;
            Ok(())
        })();
        attached.err().unwrap_or(err)
    })
}

/// A parameter error raised by the bindings themselves (a Python value of the wrong kind).
pub fn parameter(name: &'static str, message: impl Into<String>) -> PyErr {
    to_py(&truce::Error::parameter(name, message))
}

fn kind_name(kind: truce::ErrorKind) -> &'static str {
    match kind {
        truce::ErrorKind::Input => "input",
        truce::ErrorKind::Parameter => "parameter",
        truce::ErrorKind::TooLarge => "too_large",
        _ => "output",
    }
}

/// `?` on facade results in `#[pyfunction]`s.
pub trait IntoPy<T> {
    /// The result with a facade error turned into its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, truce::Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(|e| to_py(&e))
    }
}

/// Registers the exception classes and `Diagnostic` in the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("TruceError", py.get_type::<TruceError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ParameterError", py.get_type::<ParameterError>())?;
    m.add("TooLargeError", py.get_type::<TooLargeError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add_class::<Diagnostic>()?;
    Ok(())
}
