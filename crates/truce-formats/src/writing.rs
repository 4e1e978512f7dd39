//! What every writer shares: refusing cases with model errors, choosing the parties a format can
//! hold, reporting every fact it drops, recognising straight lines, and never overwriting files.

use std::path::Path;

use truce_model::{Case, Issue, Party, Value, ValueFunction};

use crate::Diagnostic;

/// The most values a table over a numeric issue may have, read or written: beyond this a table is
/// refused rather than allocated.
pub(crate) const MAX_TABLE_VALUES: u32 = 1 << 20;

/// The model errors of a case, which no writer writes.
pub(crate) fn model_errors(case: &Case, path: &Path) -> Vec<Diagnostic> {
    case.validate()
        .into_iter()
        .filter(|p| p.severity == truce_model::Severity::Error)
        .map(|p| {
            Diagnostic::error(p.code, path, format!("the case has an error: {}", p.message))
                .with_hint("fix the case before converting it")
        })
        .collect()
}

/// The negotiating parties with preferences; the others are reported as dropped.
pub(crate) fn writable_parties<'c>(
    case: &'c Case,
    path: &Path,
    format: &str,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<&'c Party> {
    let mut parties = Vec::new();
    let mut dropped = Vec::new();
    for party in &case.parties {
        if !(party.negotiates() && party.preferences.is_some()) {
            dropped.push(format!("`{}`", party.id));
            continue;
        }
        if !is_file_stem(&party.id) {
            errors.push(
                Diagnostic::error(
                    "unwritable-id",
                    path,
                    format!("party id `{}` cannot name a profile file", party.id),
                )
                .with_hint("use ids of letters, digits, `-` and `_`"),
            );
            continue;
        }
        if party.preferences.as_ref().is_some_and(|p| p.is_phase_weighted(&case.domain)) {
            errors.push(
                Diagnostic::error(
                    "unsupported",
                    path,
                    format!(
                        "`{}` believes some phase transitions uncertain: {format} utilities have no phases, so its \
                         utilities cannot be written",
                        party.id
                    ),
                )
                .with_hint("set every continuation probability to 1, or convert to Truce TOML"),
            );
            continue;
        }
        parties.push(party);
    }
    if !dropped.is_empty() {
        warnings.push(Diagnostic::warning(
            "dropped",
            path,
            format!(
                "{format} profiles hold negotiating parties with preferences: {} not written",
                dropped.join(", ")
            ),
        ));
    }
    if parties.is_empty() {
        warnings.push(Diagnostic::warning(
            "dropped",
            path,
            "no party negotiates with preferences: only the domain file is written",
        ));
    }
    parties
}

fn is_file_stem(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && !id.eq_ignore_ascii_case("pareto")
        && id.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '+' | '(' | ')'))
}

/// The function's values at the issue's bounds, when it is exactly a line between them over the
/// whole range (checked at every breakpoint and wherever clamping could bend it).
///
/// The values may lie outside [0, 1]: a two-point function whose points span the range is the clamped
/// line through them, which is exactly what GENIUS' clamped linear evaluators compute.
pub(crate) fn line(issue: &Issue, f: &ValueFunction) -> Option<(f64, f64)> {
    let ValueFunction::PiecewiseLinear { points } = f else { return None };
    let (min, max) = issue.domain().numeric_bounds()?;
    match points[..] {
        [(_, y)] => return Some((y, y)),
        [(x0, y0), (x1, y1)] if x0 <= min && x1 >= max && x0 < x1 => {
            let at = |x: f64| {
                if x == x0 {
                    y0
                } else if x == x1 {
                    y1
                } else {
                    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                }
            };
            return Some((at(min), at(max)));
        }
        _ => {}
    }
    let score = |x: f64| f.score(issue, Value::Real(x));
    let (a, b) = (score(min)?, score(max)?);
    if min == max {
        return Some((a, a));
    }
    let on_line = |x: f64| a + (b - a) * (x - min) / (max - min);
    let mut probes: Vec<f64> = points.iter().map(|p| p.0).collect();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if y1 != y0 {
            for level in [0.0, 1.0] {
                probes.push(x0 + (level - y0) / (y1 - y0) * (x1 - x0));
            }
        }
    }
    let exact = probes
        .into_iter()
        .filter(|x| x.is_finite() && *x > min && *x < max)
        .all(|x| score(x).is_some_and(|y| (y - on_line(x)).abs() <= 1e-12));
    exact.then_some((a, b))
}

/// Warns about every fact of the case GENIUS files have no place for.
pub(crate) fn dropped_facts(case: &Case, path: &Path, format: &str, warnings: &mut Vec<Diagnostic>) {
    let mut dropped = Vec::new();
    let red_lines: usize =
        case.parties.iter().filter_map(|p| p.preferences.as_ref()).map(|p| p.red_lines.len()).sum();
    if red_lines > 0 {
        dropped.push(format!("{red_lines} red line(s)"));
    }
    if !case.domain.phases().is_empty() {
        dropped.push(format!("{} phase(s)", case.domain.phases().len()));
    }
    if !case.proposals.is_empty() {
        dropped.push(format!("{} proposal(s)", case.proposals.len()));
    }
    if !case.sources.is_empty() {
        dropped.push(format!("{} source(s)", case.sources.len()));
    }
    let ordered: Vec<_> = case
        .space()
        .issues()
        .iter()
        .filter(|i| !i.domain().is_numeric() && i.domain().is_ordered())
        .map(|i| format!("`{}`", i.name))
        .collect();
    if !ordered.is_empty() {
        dropped.push(format!("the order of the options of {}", ordered.join(", ")));
    }
    if case.parties.iter().any(|p| !p.aligned_with.is_empty()) {
        dropped.push("alignments between parties".to_owned());
    }
    if !dropped.is_empty() {
        warnings.push(
            Diagnostic::warning(
                "dropped",
                path,
                format!("{format} files cannot hold {}: not written", dropped.join(", ")),
            )
            .with_hint(
                "keep the Truce TOML case as the record; the GENIUS files carry issues and utilities only",
            ),
        );
    }
}

/// Creates the folder, or checks that an existing one holds no files with the given extension.
pub(crate) fn prepare_folder(path: &Path, extension: &str) -> Result<(), Diagnostic> {
    if path.is_file() {
        return Err(Diagnostic::error("output-exists", path, "is a file: the output is a folder")
            .with_hint("give a folder name for the domain and its profiles"));
    }
    if path.is_dir() {
        let entries = std::fs::read_dir(path)
            .map_err(|e| Diagnostic::error("io", path, format!("cannot list the folder: {e}")))?;
        let taken = entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case(extension)));
        if taken {
            return Err(Diagnostic::error(
                "output-exists",
                path,
                format!("the folder already holds .{extension} files"),
            )
            .with_hint("write to a new or empty folder; nothing is overwritten"));
        }
        return Ok(());
    }
    std::fs::create_dir_all(path)
        .map_err(|e| Diagnostic::error("io", path, format!("cannot create the folder: {e}")))
}
