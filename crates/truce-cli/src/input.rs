//! Reading the case a command works on, and showing diagnostics the way compilers do: the message, the
//! file position, the source line with a caret under the problem, and the hint.
//!
//! ```text
//! error[unknown-issue]: no issue is called `withdrawl`
//!   --> cases/broken.toml:41:1
//!    |
//! 41 | withdrawl = 0.2
//!    | ^^^^^^^^^
//!    = hint: did you mean `withdrawal`?
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use truce_formats::{Diagnostic, Loaded, Severity};

use crate::error::{CliError, EXIT_INPUT};

/// Loads the case at `path`. Warnings go to stderr unless `quiet`; on failure every diagnostic is
/// printed and the error carries exit code 2.
pub fn load_case(path: &Path, quiet: bool) -> Result<Loaded, CliError> {
    match truce_formats::load(path) {
        Ok(loaded) => {
            if !quiet {
                print_diagnostics(&loaded.warnings);
            }
            Ok(loaded)
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics);
            Err(CliError::Reported(EXIT_INPUT))
        }
    }
}

/// Loads the case at `path` and runs the model's checks: errors are printed and refused (exit code
/// 2); warnings are summed up in one line on stderr, pointing to `truce check`.
pub fn load_valid_case(path: &Path) -> Result<Loaded, CliError> {
    let loaded = load_case(path, true)?;
    let mut diagnostics = loaded.warnings.clone();
    diagnostics.extend(loaded.validate());
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&diagnostics);
        return Err(CliError::Reported(EXIT_INPUT));
    }
    if !diagnostics.is_empty() {
        let stderr = std::io::stderr();
        let _ = writeln!(
            stderr.lock(),
            "note: {} warning{}; run `truce check {}` to see {}",
            diagnostics.len(),
            if diagnostics.len() == 1 { "" } else { "s" },
            path.display(),
            if diagnostics.len() == 1 { "it" } else { "them" },
        );
    }
    Ok(loaded)
}

/// Prints diagnostics to stderr, rendered with their source lines.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let _ = stderr.lock().write_all(render_diagnostics(diagnostics).as_bytes());
}

/// Every diagnostic rendered, each followed by a blank line. Files are read once each, to show the
/// lines the diagnostics point at; a file that cannot be read is shown without its lines.
pub fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut files: HashMap<&Path, Option<Lines>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let lines = files.entry(&d.file).or_insert_with(|| read_small(&d.file).map(Lines::new));
        let line = d.position.and_then(|p| lines.as_ref()?.line(p.line));
        out.push_str(&render_line(d, line));
        out.push('\n');
    }
    out
}

/// A file's text with the offset of each line, to quote any line in constant time.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { text, starts }
    }

    /// Line `number` (from 1), without its line break.
    fn line(&self, number: usize) -> Option<&str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        let end = self.starts.get(number).map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }
}

/// Reads a file to quote lines from it, unless it is not a readable text file of reasonable size.
fn read_small(path: &Path) -> Option<String> {
    const LIMIT: u64 = 64 * 1024 * 1024;
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > LIMIT {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// One diagnostic, rendered with `source`, the line it points at, when available.
fn render_line(d: &Diagnostic, source: Option<&str>) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{severity}[{}]: {}\n", d.code, d.message);
    let line = d.position.zip(source);
    let gutter = line.map_or(1, |(p, _)| p.line.to_string().len());
    let pad = " ".repeat(gutter);
    match d.position {
        Some(p) => {
            let _ = writeln!(out, "{pad}--> {}:{}:{}", d.file.display(), p.line, p.column);
        }
        None => {
            let _ = writeln!(out, "{pad}--> {}", d.file.display());
        }
    }
    if let Some((p, source)) = line {
        let source = source.trim_end_matches('\r');
        let before: String = source
            .chars()
            .take(p.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = token_width(source.chars().skip(p.column.saturating_sub(1)));
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {source}", p.line);
        let _ = writeln!(out, "{pad} | {before}{}", "^".repeat(width));
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{pad} = hint: {hint}");
    }
    out
}

/// How many characters to underline from a position: a quoted string, a `[header]`, or a word.
fn token_width(mut rest: impl Iterator<Item = char>) -> usize {
    let Some(first) = rest.next() else { return 1 };
    match first {
        '"' | '\'' | '`' => {
            let mut n = 1;
            let mut escaped = false;
            for c in rest {
                n += 1;
                if c == first && !escaped {
                    return n;
                }
                escaped = c == '\\' && !escaped && first == '"';
            }
            n
        }
        '[' => {
            // Up to and including the run of `]` that closes a `[table]` or `[[array]]` header.
            let line: Vec<char> = rest.take_while(|c| *c != '\n').collect();
            line.iter()
                .position(|c| *c == ']')
                .map_or(1, |i| 1 + i + line[i..].iter().take_while(|c| **c == ']').count())
        }
        c if c.is_alphanumeric() || "_-.+".contains(c) => {
            1 + rest.take_while(|c| c.is_alphanumeric() || "_-.+".contains(*c)).count()
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use truce_formats::Position;

    use super::*;

    /// One diagnostic, rendered against a file's whole text.
    fn render(d: &Diagnostic, text: Option<&str>) -> String {
        let lines = text.map(|t| Lines::new(t.to_owned()));
        render_line(d, d.position.and_then(|p| lines.as_ref()?.line(p.line)))
    }

    #[test]
    fn renders_the_line_with_a_caret_under_the_word() {
        let d = Diagnostic::error("unknown-issue", "case.toml", "no issue is called `withdrawl`")
            .at(Position { line: 2, column: 2 })
            .with_hint("did you mean `withdrawal`?");
        let text = "[x]\n\twithdrawl = 0.2\n";
        assert_eq!(
            render(&d, Some(text)),
            "error[unknown-issue]: no issue is called `withdrawl`\n --> case.toml:2:2\n  |\n2 | \twithdrawl = 0.2\n  | \t^^^^^^^^^\n  = hint: did you mean `withdrawal`?\n"
        );
    }

    #[test]
    fn underlines_strings_and_headers_whole() {
        assert_eq!(token_width(r#""a \" b" = 1"#.chars()), 8);
        assert_eq!(token_width("[[parties]]\nid".chars()), 11);
        assert_eq!(token_width("= 3".chars()), 1);
        assert_eq!(token_width("".chars()), 1);
    }

    #[test]
    fn renders_without_a_position_or_a_file() {
        let d = Diagnostic::warning("io", "missing.toml", "cannot read");
        assert_eq!(render(&d, None), "warning[io]: cannot read\n --> missing.toml\n");
        let beyond = d.clone().at(Position { line: 9, column: 1 });
        assert_eq!(render(&beyond, Some("one line")), "warning[io]: cannot read\n --> missing.toml:9:1\n");
    }
}
