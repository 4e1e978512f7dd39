//! Diagnostics: one problem in one input file, with its position and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
pub use truce_model::Severity;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the end of the text, and to a character
    /// boundary).
    #[must_use]
    pub fn from_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Self { line, column }
    }
}

/// One problem found in an input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case identifier of the kind of problem (`unknown-issue`, `toml-syntax`), for
    /// scripts and for the documentation's list of checks.
    pub code: &'static str,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: file.as_ref().to_path_buf(),
            position: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, file, message) }
    }

    /// The same diagnostic at a position.
    #[must_use]
    pub fn at(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// The same diagnostic at byte `offset` of `text`, the file's contents.
    #[must_use]
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        self.at(Position::from_offset(text, offset))
    }

    /// The same diagnostic with a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `error[code]: file:line:column: message` and, on the next line, `  hint: ...`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code, self.file.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\n";
        assert_eq!(Position::from_offset(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::from_offset(text, 3), Position { line: 2, column: 1 });
        assert_eq!(Position::from_offset(text, 5), Position { line: 2, column: 2 }, "ç is one character");
        assert_eq!(Position::from_offset(text, 4), Position { line: 2, column: 1 }, "inside ç: snapped back");
        assert_eq!(Position::from_offset(text, 999), Position { line: 3, column: 1 });
    }

    #[test]
    fn display_names_file_position_and_hint() {
        let d = Diagnostic::error("unknown-issue", "case.toml", "no issue `x`")
            .at(Position { line: 3, column: 7 })
            .with_hint("declare it under [[issues]]");
        assert_eq!(
            d.to_string(),
            "error[unknown-issue]: case.toml:3:7: no issue `x`\n  hint: declare it under [[issues]]"
        );
    }
}
