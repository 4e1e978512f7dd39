//! Writing a case as a NegMAS scenario: a folder holding `<case id>.yml` (a `CartesianOutcomeSpace`)
//! and one `<party id>.yml` utility function per negotiating party, as NegMAS 0.16's
//! `Scenario.dumpas(folder, type="yml")` writes them and this crate's reader reads them.
//!
//! - issues: a discrete issue is a `CategoricalIssue` (`DiscreteOrdinalIssue` when ordered), an
//!   integer issue of step 1 a `ContiguousIssue`, of a larger step a `DiscreteCardinalIssue` of its
//!   values, a real issue a `ContinuousIssue` with its `n_levels`;
//! - utilities: a `LinearAdditiveUtilityFunction` with the case's weights; per issue a `TableFun`
//!   (a discrete issue's scores, divided by their maximum as Truce reads them, or an integer issue's
//!   values on its grid), or an `AffineFun` when the function is a straight line over a numeric range;
//!   the reservation value as `reserved_value`; a discount factor as an `ExpDiscountedUFun` per unit
//!   of relative time;
//! - written with a warning: a real issue whose function is not a straight line, as a
//!   `DiscreteCardinalIssue` of its grid values (utilities on the grid are kept); parties whose ids
//!   do not sort in party order (NegMAS, and this reader, take them in file-name order);
//! - refused: model errors, hyper-rectangle utilities, phase-weighted preferences;
//! - dropped with a warning: what GENIUS also drops (red lines, phases, proposals, sources, ...).
//!
//! The YAML is written by hand, in the block style NegMAS writes, every string quoted and every real
//! number with a decimal point (PyYAML reads `1e-07` as a string).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use truce_model::{Case, Issue, IssueDomain, Party, Preferences, Value};

use crate::writing::{MAX_TABLE_VALUES, dropped_facts, line, prepare_folder, refuse_rectangles, writable};
use crate::{Diagnostic, LoadFailure};

/// Writes `case` as a NegMAS scenario into the folder `path` and returns warnings about what NegMAS
/// cannot hold.
///
/// # Errors
/// What prevents writing (see the module documentation), a folder that already holds YAML files, or a
/// file that cannot be written (code `io`).
pub fn save(case: &Case, path: &Path) -> Result<Vec<Diagnostic>, LoadFailure> {
    let (files, warnings) = texts(case, path)?;
    let fail = |diagnostics: Vec<Diagnostic>| LoadFailure::new(path, diagnostics);
    prepare_folder(path, "yml").map_err(|d| fail(vec![d]))?;
    for (file, text) in files {
        std::fs::write(&file, text)
            .map_err(|e| fail(vec![Diagnostic::error("io", &file, format!("cannot write: {e}"))]))?;
    }
    Ok(warnings)
}

/// A scenario's files: `(path, YAML text)`, the outcome space first.
pub type ScenarioFiles = Vec<(PathBuf, String)>;

/// The files of the NegMAS scenario of `case` in the folder `path`, as `(path, YAML text)` (the
/// outcome space first, then one utility function per party), without writing anything: what
/// [`save`] writes, for a caller that keeps them in memory.
///
/// # Errors
/// As [`save`], but for the output.
pub fn texts(case: &Case, path: &Path) -> Result<(ScenarioFiles, Vec<Diagnostic>), LoadFailure> {
    let fail = |diagnostics: Vec<Diagnostic>| LoadFailure::new(path, diagnostics);
    let (parties, mut warnings, mut errors) = writable(case, path, "NegMAS")?;
    refuse_rectangles(
        &parties,
        path,
        "a GENIUS hyper-rectangle utility (nested, with exclusive boxes): NegMAS' hyper-rectangle functions \
         cannot hold it",
        &mut errors,
    );
    let plan = plan_issues(case, &parties, path, &mut warnings, &mut errors);
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    dropped_facts(case, path, "NegMAS", &mut warnings);
    let mut ids: Vec<&str> = parties.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    if ids.iter().zip(&parties).any(|(a, p)| *a != p.id) {
        warnings.push(
            Diagnostic::warning(
                "negmas-party-order",
                path,
                "NegMAS reads the utility functions in file-name order, which is not the case's party order",
            )
            .with_hint("name parties so that their ids sort in party order to keep it"),
        );
    }
    let stem = domain_stem(case, &parties);
    let mut files = vec![(path.join(format!("{stem}.yml")), domain_yaml(case, &plan))];
    for party in &parties {
        let Some(prefs) = &party.preferences else { continue };
        files.push((path.join(format!("{}.yml", party.id)), ufun_yaml(case, &plan, party, prefs)));
    }
    Ok((files, warnings))
}

/// How an issue is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Written {
    /// Its options, `DiscreteOrdinalIssue` when ordered.
    Options { ordered: bool },
    /// `ContiguousIssue`, `[min, max]`.
    Contiguous,
    /// `ContinuousIssue`, `[min, max]` with `n_levels`.
    Continuous,
    /// `DiscreteCardinalIssue` of its grid values.
    Grid,
}

fn plan_issues(
    case: &Case,
    parties: &[&Party],
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Written> {
    let space = case.space();
    space
        .issue_ids()
        .map(|id| {
            let issue = space.issue(id);
            let functions: Vec<_> = parties
                .iter()
                .filter_map(|p| p.preferences.as_ref()?.utility.as_additive())
                .filter_map(|a| a.issues.get(id.index()).map(|iu| &iu.value))
                .collect();
            let straight = functions.iter().all(|f| affine(issue, f).is_some());
            let mut too_large = || {
                errors.push(
                    Diagnostic::error(
                        "unsupported",
                        path,
                        format!(
                            "`{}` has {} values: too many to list in a NegMAS issue or table",
                            issue.name,
                            issue.cardinality()
                        ),
                    )
                    .with_hint("write GENIUS XML or Truce TOML"),
                );
            };
            match issue.domain() {
                IssueDomain::Discrete(_) => Written::Options { ordered: issue.domain().is_ordered() },
                IssueDomain::Integer(_) if issue.domain().integer_step() == Some(1) => {
                    if !straight && issue.cardinality() > MAX_TABLE_VALUES {
                        too_large();
                    }
                    Written::Contiguous
                }
                IssueDomain::Integer(_) => {
                    if issue.cardinality() > MAX_TABLE_VALUES {
                        too_large();
                    }
                    Written::Grid
                }
                IssueDomain::Real(_) if straight => Written::Continuous,
                IssueDomain::Real(_) => {
                    if issue.cardinality() > MAX_TABLE_VALUES {
                        too_large();
                    }
                    warnings.push(Diagnostic::warning(
                        "converted",
                        path,
                        format!(
                            "`{}` is real but some utility over it is not a straight line: written as the \
                             discrete values of its grid (utilities on the grid are kept)",
                            issue.name
                        ),
                    ));
                    Written::Grid
                }
            }
        })
        .collect()
}

/// The function's values at the issue's bounds when it is a straight line that stays within [0, 1]
/// (NegMAS' `AffineFun` is not clamped, so a line that Truce clamps is written as a table).
fn affine(issue: &Issue, f: &truce_model::ValueFunction) -> Option<(f64, f64)> {
    line(issue, f).filter(|(a, b)| (0.0..=1.0).contains(a) && (0.0..=1.0).contains(b))
}

/// The outcome space's file stem: the case id, kept apart from the parties' files.
fn domain_stem(case: &Case, parties: &[&Party]) -> String {
    let mut stem = case
        .id
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
        .collect::<String>();
    if stem.is_empty() {
        stem = "domain".to_owned();
    }
    while parties.iter().any(|p| p.id.eq_ignore_ascii_case(&stem)) {
        stem.push_str("-domain");
    }
    stem
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A real number as YAML 1.1 reads it back as one: always with a decimal point.
fn real(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x };
    let text = format!("{x:?}");
    match text.find('e') {
        Some(e) if !text[..e].contains('.') => format!("{}.0{}", &text[..e], &text[e..]),
        _ => text,
    }
}

/// A grid value as a YAML scalar: an option quoted, an integer, a real.
fn scalar(issue: &Issue, value: Value) -> String {
    match value {
        Value::Option(_) => string(&issue.format_value(value)),
        Value::Int(v) => v.to_string(),
        Value::Real(v) => real(v),
    }
}

fn grid(issue: &Issue) -> Vec<Value> {
    (0..issue.cardinality()).filter_map(|k| issue.domain().grid_value(k)).collect()
}

fn domain_yaml(case: &Case, plan: &[Written]) -> String {
    let mut out = String::from("issues:\n");
    for (issue, written) in case.space().issues().iter().zip(plan) {
        let bounds = issue.domain().numeric_bounds().unwrap_or((0.0, 0.0));
        match written {
            Written::Options { ordered } => {
                let kind = if *ordered { "DiscreteOrdinalIssue" } else { "CategoricalIssue" };
                let _ = writeln!(out, "- name: {}\n  type: {kind}\n  values:", string(&issue.name));
                for v in grid(issue) {
                    let _ = writeln!(out, "  - {}", scalar(issue, v));
                }
            }
            Written::Contiguous => {
                #[allow(clippy::cast_possible_truncation)]
                let (lo, hi) = (bounds.0 as i64, bounds.1 as i64);
                let _ = writeln!(
                    out,
                    "- name: {}\n  type: ContiguousIssue\n  values:\n  - {lo}\n  - {hi}",
                    string(&issue.name)
                );
            }
            Written::Continuous => {
                let _ = writeln!(
                    out,
                    "- n_levels: {}\n  name: {}\n  type: ContinuousIssue\n  values:\n  - {}\n  - {}",
                    issue.cardinality(),
                    string(&issue.name),
                    real(bounds.0),
                    real(bounds.1)
                );
            }
            Written::Grid => {
                let _ = writeln!(
                    out,
                    "- name: {}\n  type: DiscreteCardinalIssue\n  values:",
                    string(&issue.name)
                );
                for v in grid(issue) {
                    let _ = writeln!(out, "  - {}", scalar(issue, v));
                }
            }
        }
    }
    let _ = writeln!(out, "name: {}\npath: null\ntype: CartesianOutcomeSpace", string(&case.id));
    out
}

/// One value function, indented under `values:`.
fn value_yaml(out: &mut String, issue: &Issue, written: Written, f: &truce_model::ValueFunction, pad: &str) {
    if matches!(written, Written::Contiguous | Written::Continuous)
        && let (Some((a, b)), Some((min, max))) = (affine(issue, f), issue.domain().numeric_bounds())
    {
        let slope = if max > min { (b - a) / (max - min) } else { 0.0 };
        let bias = a - slope * min;
        let _ = writeln!(
            out,
            "{pad}- bias: {}\n{pad}  slope: {}\n{pad}  type: AffineFun",
            real(bias),
            real(slope)
        );
        return;
    }
    let _ = writeln!(out, "{pad}- mapping:");
    for v in grid(issue) {
        let score = f.score(issue, v).unwrap_or(0.0);
        let _ = writeln!(out, "{pad}    {}: {}", scalar(issue, v), real(score));
    }
    let _ = writeln!(out, "{pad}  type: TableFun");
}

fn ufun_yaml(case: &Case, plan: &[Written], party: &Party, prefs: &Preferences) -> String {
    let mut body = String::new();
    let pad = if prefs.discount.is_some() { "  " } else { "" };
    let _ = writeln!(body, "{pad}name: {}", string(&party.name));
    let _ = writeln!(body, "{pad}reserved_outcome: null");
    let _ = writeln!(body, "{pad}reserved_value: {}", real(prefs.reservation));
    let _ = writeln!(body, "{pad}type: LinearAdditiveUtilityFunction");
    let _ = writeln!(body, "{pad}values:");
    let additive = prefs.utility.as_additive();
    for (k, (issue, written)) in case.space().issues().iter().zip(plan).enumerate() {
        match additive.and_then(|a| a.issues.get(k)) {
            Some(iu) => value_yaml(&mut body, issue, *written, &iu.value, pad),
            None => {
                let _ = writeln!(body, "{pad}- bias: 0.0\n{pad}  type: ConstFun");
            }
        }
    }
    let _ = writeln!(body, "{pad}weights:");
    for k in 0..case.space().len() {
        let w = additive.and_then(|a| a.issues.get(k)).map_or(0.0, |iu| iu.weight);
        let _ = writeln!(body, "{pad}- {}", real(w));
    }
    match prefs.discount {
        Some(d) => format!(
            "discount: {}\nfactor: relative_time\nname: {}\nreserved_outcome: null\nreserved_value: {}\n\
             type: ExpDiscountedUFun\nufun:\n{body}",
            real(d),
            string(&party.name),
            real(prefs.reservation)
        ),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_keep_a_decimal_point() {
        assert_eq!(real(1.0), "1.0");
        assert_eq!(real(1e-7), "1.0e-7");
        assert_eq!(real(2.5e-7), "2.5e-7");
        assert_eq!(real(-0.0), "0.0");
        assert_eq!(string("a \"b\""), "\"a \\\"b\\\"\"");
    }
}
