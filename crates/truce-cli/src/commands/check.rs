//! `truce check PATH [--strict] [--json]`: every problem in a case, at its file, line and column.
//!
//! Reading problems (malformed TOML, unknown names, ...) and the model's checks (`Case::validate`)
//! are reported together, sorted by file and position, then a summary line. Exit code 0 when clean,
//! 2 on errors (or on warnings with `--strict`). The `--json` object is documented in
//! `docs/json-output.md`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use truce::{Diagnostic, Severity};

use crate::error::{CliError, EXIT_INPUT, EXIT_OK};

/// Arguments of `truce check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case: a .toml file, a folder holding case.toml, or a GENIUS/GeniusWeb/NegMAS domain.
    pub path: PathBuf,
    /// Treat warnings as errors (exit code 2 when there are any).
    #[arg(long)]
    pub strict: bool,
    /// Print a JSON object (documented in docs/json-output.md) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `truce check --json`: a stable object for scripts.
#[derive(Serialize)]
struct Report<'a> {
    path: String,
    format: Option<truce::Format>,
    strict: bool,
    ok: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let checked = truce::check(&args.path);
    let (errors, warnings) = (checked.errors(), checked.warnings());
    let ok = checked.passes(args.strict);
    let (format, diagnostics) = (checked.format, &checked.diagnostics);
    if args.json {
        let report = Report {
            path: args.path.display().to_string(),
            format,
            strict: args.strict,
            ok,
            errors,
            warnings,
            diagnostics: diagnostics.iter().map(json_diagnostic).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| CliError::Failure(e.into()))?;
        writeln!(out)?;
    } else {
        out.write_all(checked.render().as_bytes())?;
        writeln!(out, "{}", summary(&args.path, errors, warnings, args.strict))?;
    }
    Ok(ExitCode::from(if ok { EXIT_OK } else { EXIT_INPUT }))
}

fn json_diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        severity: d.severity,
        code: d.code,
        file: d.file.display().to_string(),
        line: d.position.map(|p| p.line),
        column: d.position.map(|p| p.column),
        message: &d.message,
        hint: d.hint.as_deref(),
    }
}

fn summary(path: &std::path::Path, errors: usize, warnings: usize, strict: bool) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let path = path.display();
    match (errors, warnings) {
        (0, 0) => format!("{path}: no problems"),
        (e, 0) => format!("{path}: {}", count(e, "error")),
        (e, w) => {
            let strict = if strict { " (errors with --strict)" } else { "" };
            if e == 0 {
                format!("{path}: {}{strict}", count(w, "warning"))
            } else {
                format!("{path}: {}, {}{strict}", count(e, "error"), count(w, "warning"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_and_says_what_strict_does() {
        let p = std::path::Path::new("c.toml");
        assert_eq!(summary(p, 0, 0, false), "c.toml: no problems");
        assert_eq!(summary(p, 1, 0, false), "c.toml: 1 error");
        assert_eq!(summary(p, 2, 1, true), "c.toml: 2 errors, 1 warning (errors with --strict)");
        assert_eq!(summary(p, 0, 3, false), "c.toml: 3 warnings");
    }
}
