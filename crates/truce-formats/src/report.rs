//! Collects the diagnostics of one input file, turning byte offsets into lines and columns; shared by
//! every reader.

use std::path::Path;

use crate::{Diagnostic, LoadFailure, Position};

/// The diagnostics found so far in one file.
pub(crate) struct Report<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        Self { file, text, diagnostics: Vec::new() }
    }

    fn push(&mut self, diagnostic: Diagnostic, offset: Option<usize>) -> &mut Diagnostic {
        let diagnostic = match offset {
            Some(offset) => diagnostic.at_offset(self.text, offset),
            None => diagnostic,
        };
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Records an error at byte `offset` (or for the whole file).
    pub fn error(
        &mut self,
        code: &'static str,
        offset: impl Into<Option<usize>>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.file, message);
        self.push(d, offset.into())
    }

    /// Records a warning at byte `offset` (or for the whole file).
    pub fn warning(
        &mut self,
        code: &'static str,
        offset: impl Into<Option<usize>>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, self.file, message);
        self.push(d, offset.into())
    }

    /// Records an error at a line and column (or for the whole file).
    pub fn error_at(
        &mut self,
        code: &'static str,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::error(code, self.file, message);
        d.position = position;
        self.push(d, None)
    }

    /// Records a warning at a line and column (or for the whole file).
    pub fn warning_at(
        &mut self,
        code: &'static str,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::warning(code, self.file, message);
        d.position = position;
        self.push(d, None)
    }

    /// Whether an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The value with the warnings, or every diagnostic when there was an error.
    pub fn finish<T>(mut self, value: Option<T>) -> Result<(T, Vec<Diagnostic>), LoadFailure> {
        // In file order; diagnostics about the whole file first.
        self.diagnostics.sort_by_key(|d| d.position);
        match value {
            Some(value) if !self.has_errors() => Ok((value, self.diagnostics)),
            _ => {
                let mut diagnostics = self.diagnostics;
                if !diagnostics.iter().any(Diagnostic::is_error) {
                    diagnostics.push(Diagnostic::error("invalid", self.file, "the file could not be read"));
                }
                Err(LoadFailure::new(self.file, diagnostics))
            }
        }
    }
}

/// Sets the hint of a just-recorded diagnostic: `report.error(..).hint("...")`.
pub(crate) trait Hint {
    fn hint(&mut self, hint: impl Into<String>);
}

impl Hint for Diagnostic {
    fn hint(&mut self, hint: impl Into<String>) {
        self.hint = Some(hint.into());
    }
}

/// Reads a file as UTF-8 text (a leading byte-order mark is dropped), or says why it cannot: a regular
/// file of at most [`crate::MAX_FILE_BYTES`] only ([`crate::disk::read_bytes`]).
pub(crate) fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::disk::read_bytes(path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let d = Diagnostic::error(
                "not-utf8",
                path,
                format!("the file is not UTF-8 text (invalid byte at offset {})", e.valid_up_to()),
            )
            .at_offset(&text, text.len())
            .with_hint("save the file as UTF-8");
            Err(d)
        }
    }
}

/// A value quoted in a message, shortened when long: a 300-digit number is shown as its first and
/// last digits and its length, never echoed whole (the diagnostic's position shows where it is).
pub(crate) fn excerpt(text: &str) -> String {
    const KEEP: usize = 24;
    let count = text.chars().count();
    if count <= 2 * KEEP {
        return text.to_owned();
    }
    let head: String = text.chars().take(KEEP).collect();
    let tail: String = text.chars().skip(count - 8).collect();
    format!("{head}...{tail} ({count} characters)")
}

#[cfg(test)]
mod excerpt_tests {
    #[test]
    fn long_values_are_shortened() {
        assert_eq!(super::excerpt("12.5"), "12.5");
        let long = "9".repeat(300);
        let short = super::excerpt(&long);
        assert_eq!(short, format!("{}...99999999 (300 characters)", "9".repeat(24)));
    }
}
