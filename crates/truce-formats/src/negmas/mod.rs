//! NegMAS YAML scenarios: the folders `Scenario.dumpas(folder, type="yml")` writes in
//! NegMAS 0.16, one outcome-space file and one utility-function file per party.
//!
//! Parties are the utility-function files in file-name order (as NegMAS loads them), their ids the
//! file stems, their names the functions' `name`s. Utilities are NegMAS': a linear additive function
//! is `sum_i w_i * f_i(v_i)` with its value functions as written (tables are not divided by their
//! maximum, unlike GENIUS; Truce folds each table's maximum into its weight, which keeps utilities
//! exact); a hyper-rectangle function sums the utilities of the boxes holding the outcome, a box
//! `[min, max]` holding the values strictly between min and max, as NegMAS' `outcome_in_range` does.
//!
//! Supported: outcome spaces of `CategoricalIssue`, `DiscreteOrdinalIssue`/`DiscreteCardinalIssue`,
//! `ContiguousIssue` and `ContinuousIssue` (with its `n_levels`, 10 when absent as in NegMAS);
//! `LinearAdditiveUtilityFunction` (value functions `TableFun`, `AffineFun`, `LinearFun`,
//! `IdentityFun`, `ConstFun`, `TriangularFun`), `LinearUtilityFunction`, `AffineUtilityFunction`
//! and `HyperRectangleUtilityFunction` with constant box utilities, optionally wrapped in an
//! `ExpDiscountedUFun`. Anything else is refused with its type named.
//!
//! ```no_run
//! let loaded = truce_formats::negmas::load(std::path::Path::new("scenario"))?;
//! println!("{} parties", loaded.case.parties.len());
//! # Ok::<(), truce_formats::LoadFailure>(())
//! ```

mod write;
mod yaml;

pub use write::{ScenarioFiles, save, texts};

use std::path::Path;

use truce_model::{
    AdditiveUtility, Aggregation, Bound, Case, Domain, HyperRectangle, Issue, IssueDomain, IssueId,
    IssueUtility, Location, OutcomeSpace, PartyId, Preferences, RectangleFunction, RectangleUtility, Utility,
    Value, ValueFunction,
};

use crate::folder::{case_id, file_name, locate_profile, negotiator};
use crate::load::Files;
use crate::report::{Hint, Report, read_text};
use crate::writing::MAX_TABLE_VALUES;
use crate::{Diagnostic, Format, LoadFailure, Loaded, Position, SourceMap, Sources};
use yaml::{Node, Y};

/// NegMAS' default number of levels of a continuous issue.
const NEGMAS_LEVELS: u32 = 10;

/// A NegMAS outcome space, read.
#[derive(Clone, Debug)]
pub struct NegmasDomain {
    name: String,
    space: OutcomeSpace,
    positions: Vec<Position>,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
}

impl NegmasDomain {
    /// The outcome space's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The issues, in file order.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }
}

/// A NegMAS utility function, read.
#[derive(Clone, Debug)]
pub struct NegmasUfun {
    /// The function's `name`.
    pub name: Option<String>,
    /// The party's preferences.
    pub preferences: Preferences,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
    issues: Vec<Option<Position>>,
}

/// The class name of a `type` (`negmas.preferences.TableFun` is `TableFun`).
fn class(node: &Node) -> Option<&str> {
    node.get("type").and_then(Node::as_str).map(|t| t.rsplit('.').next().unwrap_or(t))
}

/// Reads a NegMAS outcome-space file's text; `file` names it in diagnostics.
///
/// # Errors
/// Every problem found, when the text is not a usable outcome space.
pub fn parse_domain(text: &str, file: &Path) -> Result<NegmasDomain, LoadFailure> {
    let mut report = Report::new(file, text);
    let domain = match yaml::parse(text) {
        Ok(root) => read_domain(&mut report, &root),
        Err(e) => {
            report.error_at("yaml-syntax", e.at, e.message);
            None
        }
    };
    let (mut domain, warnings) = report.finish(domain)?;
    domain.warnings = warnings;
    Ok(domain)
}

/// Reads a NegMAS utility-function file's text over `domain`; `file` names it in diagnostics.
///
/// # Errors
/// Every problem found, when the text is not a usable utility function of `domain`.
pub fn parse_ufun(text: &str, file: &Path, domain: &NegmasDomain) -> Result<NegmasUfun, LoadFailure> {
    let mut report = Report::new(file, text);
    let ufun = match yaml::parse(text) {
        Ok(root) => read_ufun(&mut report, &root, domain),
        Err(e) => {
            report.error_at("yaml-syntax", e.at, e.message);
            None
        }
    };
    let (mut ufun, warnings) = report.finish(ufun)?;
    ufun.warnings = warnings;
    Ok(ufun)
}

fn read_domain(report: &mut Report<'_>, root: &Node) -> Option<NegmasDomain> {
    let Some(issues) = root.get("issues").and_then(Node::as_seq) else {
        report
            .error_at("negmas-invalid", Some(root.at), "the outcome space has no `issues` list")
            .hint("a NegMAS outcome space is `issues: [{name, type, values}, ...]`");
        return None;
    };
    let mut built = Vec::new();
    let mut positions = Vec::new();
    for node in issues {
        let Some(name) = node.get("name").and_then(Node::scalar_text) else {
            report.error_at("negmas-invalid", Some(node.at), "an issue has no `name`");
            continue;
        };
        if let Some(domain) = issue_domain(report, node, &name) {
            built.push(Issue::new(name, domain));
            positions.push(node.at);
        }
    }
    if report.has_errors() {
        return None;
    }
    match OutcomeSpace::new(built) {
        Ok(space) => Some(NegmasDomain {
            name: root.get("name").and_then(Node::scalar_text).unwrap_or_default(),
            space,
            positions,
            warnings: Vec::new(),
        }),
        Err(e) => {
            report.error_at("invalid-domain", Some(root.at), e.to_string());
            None
        }
    }
}

fn issue_domain(report: &mut Report<'_>, node: &Node, name: &str) -> Option<IssueDomain> {
    let kind = class(node).unwrap_or("CategoricalIssue");
    let values = node.get("values");
    let bounds = || -> Option<(f64, f64)> {
        match values.and_then(Node::as_seq) {
            Some([lo, hi]) => Some((lo.as_f64()?, hi.as_f64()?)),
            _ => None,
        }
    };
    let built = match kind {
        "CategoricalIssue" | "DiscreteOrdinalIssue" | "DiscreteCardinalIssue" | "DiscreteIssue" => {
            let Some(items) = values.and_then(Node::as_seq) else {
                report.error_at(
                    "negmas-invalid",
                    Some(node.at),
                    format!("issue `{name}` has no `values` list"),
                );
                return None;
            };
            let ordered = kind != "CategoricalIssue";
            let ints: Option<Vec<i64>> =
                items.iter().map(|v| if let Y::Int(i) = v.y { Some(i) } else { None }).collect();
            match ints.as_deref() {
                // Ordered integers evenly spaced are an integer issue.
                Some([first, second, ..])
                    if ordered && second > first && {
                        let step = second - first;
                        ints.as_deref().is_some_and(|v| v.windows(2).all(|w| w[1] - w[0] == step))
                    } =>
                {
                    IssueDomain::integer(
                        *first,
                        ints.as_deref().and_then(|v| v.last().copied()).unwrap_or(*first),
                        second - first,
                    )
                }
                _ => {
                    let mut options: Vec<String> = Vec::new();
                    for item in items {
                        let Some(text) = item.scalar_text() else {
                            report.error_at(
                                "negmas-invalid",
                                Some(item.at),
                                format!("a value of `{name}` is {}, not a scalar", item.kind()),
                            );
                            continue;
                        };
                        if options.contains(&text) {
                            report.warning_at(
                                "negmas-duplicate-value",
                                Some(item.at),
                                format!("`{name}` lists `{text}` twice: the repetition is ignored"),
                            );
                        } else {
                            options.push(text);
                        }
                    }
                    IssueDomain::discrete(options, ordered)
                }
            }
        }
        "ContiguousIssue" => {
            let Some((lo, hi)) = bounds() else {
                report.error_at(
                    "negmas-invalid",
                    Some(node.at),
                    format!("issue `{name}` needs `values: [min, max]`"),
                );
                return None;
            };
            #[allow(clippy::cast_possible_truncation)]
            IssueDomain::integer(lo as i64, hi as i64, 1)
        }
        "ContinuousIssue" => {
            let Some((lo, hi)) = bounds() else {
                report.error_at(
                    "negmas-invalid",
                    Some(node.at),
                    format!("issue `{name}` needs `values: [min, max]`"),
                );
                return None;
            };
            let levels = match node.get("n_levels") {
                None => NEGMAS_LEVELS,
                Some(n) => match n.y {
                    Y::Int(n) if n >= 1 && n <= i64::from(u32::MAX) => {
                        u32::try_from(n).unwrap_or(NEGMAS_LEVELS)
                    }
                    _ => {
                        report.error_at(
                            "negmas-invalid",
                            Some(n.at),
                            format!("`n_levels` of `{name}` is not a positive integer"),
                        );
                        return None;
                    }
                },
            };
            IssueDomain::real(lo, hi, if lo == hi { 1 } else { levels.max(2) })
        }
        other => {
            report
                .error_at("negmas-unsupported", Some(node.at), format!("issue `{name}` is a `{other}`"))
                .hint("Truce reads categorical, ordinal, contiguous and continuous NegMAS issues");
            return None;
        }
    };
    match built {
        Ok(d) => Some(d),
        Err(e) => {
            report.error_at("invalid-issue", Some(node.at), format!("issue `{name}`: {e}"));
            None
        }
    }
}

fn read_ufun(report: &mut Report<'_>, root: &Node, domain: &NegmasDomain) -> Option<NegmasUfun> {
    let mut node = root;
    let mut discount = None;
    let mut reservation = finite(root.get("reserved_value"));
    loop {
        match class(node) {
            Some("ExpDiscountedUFun") => {
                let d = node.get("discount").and_then(Node::as_f64);
                if let Some(d) = d {
                    if !(d > 0.0 && d <= 1.0) {
                        report.warning_at(
                            "negmas-discount-discarded",
                            node.get("discount").map(|n| n.at),
                            format!("discount {d} is outside (0, 1]: no discounting"),
                        );
                    } else if d < 1.0 {
                        discount = Some(d);
                    }
                }
                let factor = node.get("factor").and_then(Node::as_str).unwrap_or("step");
                if factor != "relative_time" && discount.is_some() {
                    report.warning_at(
                        "negmas-discount-per-step",
                        node.get("factor").map(|n| n.at),
                        format!(
                            "NegMAS discounts this function per `{factor}`; Truce, like GENIUS, per unit of \
                             normalised time: read as a GENIUS discount factor"
                        ),
                    );
                }
            }
            Some("LinDiscountedUFun") => {
                report.warning_at(
                    "negmas-discount-dropped",
                    Some(node.at),
                    "linear discounting (LinDiscountedUFun) has no Truce equivalent: dropped",
                );
            }
            _ => break,
        }
        let Some(inner) = node.get("ufun") else {
            report.error_at("negmas-invalid", Some(node.at), "the discounted function holds no `ufun`");
            return None;
        };
        node = inner;
        reservation = finite(node.get("reserved_value")).or(reservation);
    }
    let (utility, issues, scale) = match class(node) {
        Some("LinearAdditiveUtilityFunction") => {
            let (u, positions) = linear_additive(report, node, domain)?;
            (u, positions, 1.0)
        }
        Some(kind @ ("LinearUtilityFunction" | "AffineUtilityFunction")) => {
            let (u, positions) = linear(report, node, domain, kind)?;
            (u, positions, 1.0)
        }
        Some("HyperRectangleUtilityFunction") => {
            let (u, scale) = rectangles(report, node, domain)?;
            (u, vec![None; domain.space().len()], scale)
        }
        Some(other) => {
            report
                .error_at(
                    "negmas-unsupported",
                    node.get("type").map(|t| t.at),
                    format!("`{other}` utility functions are not supported"),
                )
                .hint("Truce reads linear additive and hyper-rectangle NegMAS utility functions");
            return None;
        }
        None => {
            report.error_at("negmas-invalid", Some(node.at), "the utility function has no `type`");
            return None;
        }
    };
    if report.has_errors() {
        return None;
    }
    let mut preferences = Preferences::new(utility);
    preferences.discount = discount;
    preferences.reservation = match reservation {
        Some(r) => r / scale,
        None => reserved_outcome(
            report,
            node.get("reserved_outcome").or(root.get("reserved_outcome")),
            domain,
            &preferences,
        )?,
    };
    Some(NegmasUfun {
        name: root.get("name").and_then(Node::scalar_text),
        preferences,
        warnings: Vec::new(),
        issues,
    })
}

/// The utility of a `reserved_outcome` (a list of one value per issue), 0 when there is none.
fn reserved_outcome(
    report: &mut Report<'_>,
    node: Option<&Node>,
    domain: &NegmasDomain,
    preferences: &Preferences,
) -> Option<f64> {
    let Some(node) = node.filter(|n| n.y != Y::Null) else { return Some(0.0) };
    let space = domain.space();
    let values: Option<Vec<Option<Value>>> = node.as_seq().filter(|v| v.len() == space.len()).map(|items| {
        items
            .iter()
            .zip(space.issues())
            .map(|(item, issue)| match issue.domain() {
                IssueDomain::Discrete(_) => {
                    item.scalar_text().and_then(|t| issue.domain().option_index(&t)).map(Value::Option)
                }
                IssueDomain::Integer(_) => match item.y {
                    Y::Int(i) => Some(Value::Int(i)),
                    _ => None,
                },
                IssueDomain::Real(_) => item.as_f64().map(Value::Real),
            })
            .collect()
    });
    let utility = values.and_then(|v| preferences.utility_of_values(&Domain::unphased(space.clone()), &v));
    if utility.is_none() {
        report.error_at(
            "negmas-invalid",
            Some(node.at),
            "`reserved_outcome` is not an outcome of the outcome space",
        );
    }
    utility
}

/// A finite number; NegMAS writes `-.inf` for "no reservation value", which is 0 for utilities that
/// are never negative.
fn finite(node: Option<&Node>) -> Option<f64> {
    node.and_then(Node::as_f64).filter(|x| x.is_finite())
}

/// The entries of a per-issue list or mapping (by issue name), in issue order.
fn per_issue<'n>(
    report: &mut Report<'_>,
    node: &'n Node,
    what: &str,
    domain: &NegmasDomain,
) -> Option<Vec<&'n Node>> {
    let space = domain.space();
    match &node.y {
        Y::Seq(items) if items.len() == space.len() => Some(items.iter().collect()),
        Y::Seq(items) => {
            report.error_at(
                "negmas-invalid",
                Some(node.at),
                format!("{} {what} for the {} issues of the outcome space", items.len(), space.len()),
            );
            None
        }
        Y::Map(entries) => {
            let mut out = Vec::with_capacity(space.len());
            for issue in space.issues() {
                let found = entries.iter().find(|(k, _)| k.scalar_text().as_deref() == Some(&issue.name));
                match found {
                    Some((_, v)) => out.push(v),
                    None => {
                        report.error_at(
                            "negmas-invalid",
                            Some(node.at),
                            format!("no {what} for issue `{}`", issue.name),
                        );
                        return None;
                    }
                }
            }
            Some(out)
        }
        _ => {
            report.error_at(
                "negmas-invalid",
                Some(node.at),
                format!("`{what}` is {}, not a list", node.kind()),
            );
            None
        }
    }
}

fn weights(report: &mut Report<'_>, node: &Node, domain: &NegmasDomain) -> Option<Vec<f64>> {
    let Some(w) = node.get("weights").filter(|w| w.y != Y::Null) else {
        return Some(vec![1.0; domain.space().len()]);
    };
    let items = per_issue(report, w, "weights", domain)?;
    items
        .into_iter()
        .map(|n| match n.as_f64() {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                report.error_at("negmas-invalid", Some(n.at), "a weight is not a non-negative number");
                None
            }
        })
        .collect()
}

fn refuse_bias(report: &mut Report<'_>, node: &Node) -> Option<()> {
    match node.get("bias") {
        Some(b) if b.as_f64().is_some_and(|x| x != 0.0) => {
            report
                .error_at("negmas-unsupported", Some(b.at), "a non-zero `bias` has no Truce equivalent")
                .hint(
                    "fold the constant into the reservation value, or drop it: it shifts every utility alike",
                );
            None
        }
        _ => Some(()),
    }
}

fn linear_additive(
    report: &mut Report<'_>,
    node: &Node,
    domain: &NegmasDomain,
) -> Option<(Utility, Vec<Option<Position>>)> {
    refuse_bias(report, node)?;
    let Some(values) = node.get("values") else {
        report.error_at("negmas-invalid", Some(node.at), "the function has no `values`");
        return None;
    };
    let functions = per_issue(report, values, "value functions", domain)?;
    let weights = weights(report, node, domain)?;
    let mut issues = Vec::new();
    let mut positions = Vec::new();
    for ((f, w), issue) in functions.into_iter().zip(weights).zip(domain.space().issues()) {
        if let Some((value, scale)) = value_function(report, f, issue) {
            issues.push(IssueUtility { weight: w * scale, value });
            positions.push(Some(f.at));
        }
    }
    (!report.has_errors()).then_some((Utility::Additive(AdditiveUtility { issues }), positions))
}

/// `sum_i w_i * v_i` over numeric issues (identity value functions).
fn linear(
    report: &mut Report<'_>,
    node: &Node,
    domain: &NegmasDomain,
    kind: &str,
) -> Option<(Utility, Vec<Option<Position>>)> {
    refuse_bias(report, node)?;
    let weights = weights(report, node, domain)?;
    let mut issues = Vec::new();
    for (issue, w) in domain.space().issues().iter().zip(weights) {
        let Some((min, max)) = issue.domain().numeric_bounds() else {
            report.error_at(
                "negmas-kind-mismatch",
                Some(node.at),
                format!("a `{kind}` needs numeric issues, but `{}` is categorical", issue.name),
            );
            continue;
        };
        if let Some((value, scale)) = numeric(report, node.at, &issue.name, &[(min, min), (max, max)]) {
            issues.push(IssueUtility { weight: w * scale, value });
        }
    }
    let positions = vec![None; issues.len()];
    (!report.has_errors()).then_some((Utility::Additive(AdditiveUtility { issues }), positions))
}

/// A NegMAS value function as a Truce one, and the factor its weight is scaled by (so that values
/// above 1, which Truce functions cannot hold, keep their size).
fn value_function(report: &mut Report<'_>, node: &Node, issue: &Issue) -> Option<(ValueFunction, f64)> {
    let name = &issue.name;
    let kind = class(node).unwrap_or("");
    let param = |key: &str, default: Option<f64>| node.get(key).and_then(Node::as_f64).or(default);
    if kind == "TableFun" {
        return table(report, node, issue);
    }
    let Some((min, max)) = issue.domain().numeric_bounds() else {
        report.error_at(
            "negmas-kind-mismatch",
            Some(node.at),
            format!("`{name}` is categorical but its value function is a `{kind}`"),
        );
        return None;
    };
    let f = |x: f64| -> Option<f64> {
        Some(match kind {
            "AffineFun" => param("slope", None)? * x + param("bias", Some(0.0))?,
            "LinearFun" => param("slope", None)? * x,
            "IdentityFun" => x,
            "ConstFun" => param("bias", None)?,
            "TriangularFun" => {
                let (s, m, e) = (param("start", None)?, param("middle", None)?, param("end", None)?);
                let (b, k) = (param("bias", Some(0.0))?, param("scale", Some(1.0))?);
                if x <= s || x >= e {
                    b
                } else if x <= m {
                    b + k * (x - s) / (m - s)
                } else {
                    b + k * (e - x) / (e - m)
                }
            }
            _ => return None,
        })
    };
    let mut xs = vec![min, max];
    if kind == "TriangularFun" {
        for key in ["start", "middle", "end"] {
            xs.extend(param(key, None).filter(|x| *x > min && *x < max));
        }
    }
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let points: Option<Vec<(f64, f64)>> = xs.iter().map(|&x| f(x).map(|y| (x, y))).collect();
    let Some(points) = points else {
        if matches!(kind, "AffineFun" | "LinearFun" | "ConstFun" | "TriangularFun") {
            report.error_at(
                "negmas-invalid",
                Some(node.at),
                format!("the `{kind}` of `{name}` lacks a parameter"),
            );
        } else {
            report
                .error_at(
                    "negmas-unsupported",
                    Some(node.at),
                    format!("the value function of `{name}` is a `{kind}`"),
                )
                .hint("Truce reads TableFun, AffineFun, LinearFun, IdentityFun, ConstFun and TriangularFun");
        }
        return None;
    };
    numeric(report, node.at, name, &points)
}

/// A piecewise-linear function through `points` (exact between them), scaled into [0, 1].
fn numeric(
    report: &mut Report<'_>,
    at: Position,
    name: &str,
    points: &[(f64, f64)],
) -> Option<(ValueFunction, f64)> {
    if points.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        report.error_at("negmas-invalid", Some(at), format!("the value function of `{name}` is not finite"));
        return None;
    }
    if points.iter().any(|(_, y)| *y < 0.0) {
        report
            .error_at(
                "negmas-negative",
                Some(at),
                format!("the value function of `{name}` is negative on part of its range"),
            )
            .hint("Truce utilities are never negative: shift the function up");
        return None;
    }
    let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let scale = if top > 1.0 { top } else { 1.0 };
    let points = points.iter().map(|&(x, y)| (x, y / scale)).collect();
    Some((ValueFunction::PiecewiseLinear { points }, scale))
}

fn table(report: &mut Report<'_>, node: &Node, issue: &Issue) -> Option<(ValueFunction, f64)> {
    let name = &issue.name;
    let Some(mapping) = node.get("mapping").and_then(Node::as_map) else {
        report.error_at(
            "negmas-invalid",
            Some(node.at),
            format!("the TableFun of `{name}` has no `mapping`"),
        );
        return None;
    };
    let domain = issue.domain();
    if issue.cardinality() > MAX_TABLE_VALUES {
        report.error_at(
            "negmas-table-too-large",
            Some(node.at),
            format!("`{name}` has {} values: too many for a table", issue.cardinality()),
        );
        return None;
    }
    let grid: Vec<String> = (0..issue.cardinality())
        .filter_map(|d| domain.grid_value(d).map(|v| domain.format_value(v)))
        .collect();
    let mut scores = vec![None; grid.len()];
    for (key, value) in mapping {
        let Some(text) = key.scalar_text() else { continue };
        let Some(score) = value.as_f64().filter(|x| x.is_finite()) else {
            report.error_at(
                "negmas-invalid",
                Some(value.at),
                format!("the value of `{}` in `{name}` is not a number", crate::report::excerpt(&text)),
            );
            continue;
        };
        if score < 0.0 {
            report
                .error_at(
                    "negmas-negative",
                    Some(value.at),
                    format!("`{text}` of `{name}` has a negative value ({score})"),
                )
                .hint("Truce utilities are never negative: shift the table up");
            continue;
        }
        match grid.iter().position(|g| *g == text) {
            Some(i) => scores[i] = Some(score),
            None => {
                report.warning_at(
                    "negmas-unknown-value",
                    Some(key.at),
                    format!("`{text}` is not a value of `{name}`: ignored"),
                );
            }
        }
    }
    let missing: Vec<_> =
        grid.iter().zip(&scores).filter(|(_, s)| s.is_none()).map(|(g, _)| format!("`{g}`")).collect();
    if !missing.is_empty() {
        report.warning_at(
            "negmas-missing-value",
            Some(node.at),
            format!(
                "{} of `{name}` ha(s) no value in the table: scored 0 (NegMAS fails on them)",
                crate::diagnostic::summarise(&missing)
            ),
        );
    }
    let scores: Vec<f64> = scores.into_iter().map(|s| s.unwrap_or(0.0)).collect();
    let max = scores.iter().copied().fold(0.0_f64, f64::max);
    Some((ValueFunction::Table { scores }, if max > 0.0 { max } else { 1.0 }))
}

/// Hyper-rectangles `sum_k w_k * u_k` over the boxes holding the outcome, and the factor utilities
/// are divided by (Truce caps nonlinear utilities at 1).
fn rectangles(report: &mut Report<'_>, node: &Node, domain: &NegmasDomain) -> Option<(Utility, f64)> {
    refuse_bias(report, node)?;
    let space = domain.space();
    let (Some(ranges), Some(utilities)) =
        (node.get("outcome_ranges").and_then(Node::as_seq), node.get("utilities").and_then(Node::as_seq))
    else {
        report.error_at(
            "negmas-invalid",
            Some(node.at),
            "the function needs `outcome_ranges` and `utilities` lists",
        );
        return None;
    };
    let weights: Vec<f64> = match node.get("weights").and_then(Node::as_seq) {
        Some(w) => w.iter().map(|n| n.as_f64().unwrap_or(f64::NAN)).collect(),
        None => vec![1.0; ranges.len()],
    };
    if utilities.len() != ranges.len()
        || weights.len() != ranges.len()
        || weights.iter().any(|w| !w.is_finite())
    {
        report.error_at(
            "negmas-invalid",
            Some(node.at),
            format!(
                "{} boxes, {} utilities and {} weights: expected as many of each",
                ranges.len(),
                utilities.len(),
                weights.len()
            ),
        );
        return None;
    }
    let mut boxes = Vec::new();
    for ((range, utility), weight) in ranges.iter().zip(utilities).zip(&weights) {
        let Some(u) = utility.as_f64().filter(|u| u.is_finite()) else {
            report
                .error_at("negmas-unsupported", Some(utility.at), "a box utility that is not a number")
                .hint("Truce reads boxes with constant utilities");
            continue;
        };
        let mut bounds = Vec::new();
        if let Some(entries) = range.as_map() {
            for (key, value) in entries {
                let issue = match &key.y {
                    Y::Int(i) => {
                        usize::try_from(*i).ok().filter(|i| *i < space.len()).map(IssueId::from_index)
                    }
                    _ => key.scalar_text().and_then(|n| space.issue_id(&n)),
                };
                let Some(issue) = issue else {
                    report.error_at(
                        "negmas-unknown-issue",
                        Some(key.at),
                        "a box bounds an issue the outcome space does not have",
                    );
                    continue;
                };
                if !space.issue(issue).domain().is_numeric() {
                    report.error_at(
                        "negmas-kind-mismatch",
                        Some(key.at),
                        format!("a box bounds `{}`, which is not numeric", space.issue(issue).name),
                    );
                    continue;
                }
                // NegMAS reads `[min, max]` as the open range min < v < max (`outcome_in_range`), and
                // a single number as that value.
                let bound = match value.as_seq() {
                    Some([lo, hi]) => {
                        lo.as_f64().zip(hi.as_f64()).map(|(lo, hi)| (lo.next_up(), hi.next_down()))
                    }
                    Some(_) => None,
                    None => value.as_f64().map(|v| (v, v)),
                };
                match bound {
                    Some((min, max)) => bounds.push(Bound { issue, min, max }),
                    None => {
                        report
                            .error_at(
                                "negmas-unsupported",
                                Some(value.at),
                                "a box bound that is not `[min, max]` or a number",
                            )
                            .hint("Truce reads NegMAS boxes whose bounds are ranges or single values");
                    }
                }
            }
        } else if range.y != Y::Null {
            report.error_at(
                "negmas-invalid",
                Some(range.at),
                format!("a box is {}, not a mapping", range.kind()),
            );
        }
        boxes.push(HyperRectangle { inclusive: true, bounds, utility: u, weight: *weight });
    }
    let total: f64 = boxes.iter().map(|b| (b.utility * b.weight).max(0.0)).sum();
    let scale = if total > 1.0 { total } else { 1.0 };
    if scale > 1.0 {
        report.warning_at(
            "negmas-rectangles-scaled",
            Some(node.at),
            format!(
                "box utilities sum to at most {total}: Truce caps nonlinear utilities at 1, so they (and the \
                 reservation value) are divided by {total}"
            ),
        );
    }
    let root = RectangleFunction {
        aggregation: Aggregation::Sum,
        weight: 1.0,
        rectangles: boxes,
        children: Vec::new(),
    };
    Some((Utility::Rectangles(RectangleUtility { max_utility: scale, root }), scale))
}

/// What a YAML file of a NegMAS folder holds.
enum FileKind {
    Domain,
    Ufun,
    Other,
}

/// Reads the NegMAS scenario folder at `path` (or a single outcome-space file).
///
/// # Errors
/// Every problem found in any of its files.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    let mut files = Files::disk();
    let result = load_from(path, &mut files);
    files.attach(result)
}

/// [`load`], reading through `files`.
pub(crate) fn load_from(path: &Path, files_in: &mut Files) -> Result<Loaded, LoadFailure> {
    let files = files_in.list(path, &["yaml", "yml"])?;
    let mut diagnostics = Vec::new();
    let mut domains = Vec::new();
    let mut ufuns = Vec::new();
    for file in files {
        let text = match files_in.read(&file, read_text) {
            Ok(t) => t,
            Err(f) => {
                diagnostics.push(f);
                continue;
            }
        };
        let kind = match yaml::parse(&text) {
            Ok(root) => match class(&root) {
                Some(t) if t.contains("OutcomeSpace") => FileKind::Domain,
                Some(t) if t.to_ascii_lowercase().contains("fun") => FileKind::Ufun,
                _ => FileKind::Other,
            },
            Err(e) => {
                let mut d = Diagnostic::error("yaml-syntax", &file, e.message);
                d.position = e.at;
                diagnostics.push(d);
                continue;
            }
        };
        match kind {
            FileKind::Domain => domains.push((file, text)),
            FileKind::Ufun => ufuns.push((file, text)),
            FileKind::Other => {
                let hidden = file.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_'));
                if !hidden {
                    diagnostics.push(Diagnostic::warning(
                        "negmas-ignored-file",
                        &file,
                        "neither a NegMAS outcome space nor a utility function: file ignored",
                    ));
                }
            }
        }
    }
    if domains.len() != 1 && !diagnostics.iter().any(Diagnostic::is_error) {
        let names: Vec<_> = domains.iter().map(|(f, _)| file_name(f)).collect();
        diagnostics.push(
            Diagnostic::error(
                "negmas-no-domain",
                path,
                if names.is_empty() {
                    "no NegMAS outcome space (a YAML file whose `type` is an OutcomeSpace)".to_owned()
                } else {
                    format!("{} outcome spaces ({}): expected one", names.len(), names.join(", "))
                },
            )
            .with_hint("a NegMAS scenario folder holds one outcome space and one utility function per party"),
        );
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure::new(path, diagnostics));
    }
    let (domain_file, domain_text) = &domains[0];
    let domain = match parse_domain(domain_text, domain_file) {
        Ok(d) => d,
        Err(f) => {
            diagnostics.extend(f.diagnostics);
            return Err(LoadFailure::new(path, diagnostics));
        }
    };
    diagnostics.extend(domain.warnings.iter().cloned());
    let mut source_map = SourceMap::new(path);
    source_map.insert(Location::Case, domain_file, None);
    for issue in domain.space().issue_ids() {
        source_map.insert(Location::Issue { issue }, domain_file, Some(domain.positions[issue.index()]));
    }
    let mut parties = Vec::new();
    for (file, text) in &ufuns {
        match parse_ufun(text, file, &domain) {
            Ok(ufun) => {
                diagnostics.extend(ufun.warnings.iter().cloned());
                let party = PartyId::from_index(parties.len());
                let root = Position { line: 1, column: 1 };
                locate_profile(&mut source_map, file, party, root, ufun.issues.iter().copied());
                parties.push(negotiator(file, ufun.name.clone(), ufun.preferences));
            }
            Err(f) => diagnostics.extend(f.diagnostics),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure::new(path, diagnostics));
    }
    if parties.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "negmas-no-ufuns",
            path,
            "no utility functions: the case has no parties",
        ));
    }
    let id = case_id(path, "negmas-scenario");
    let mut case = Case::new(&id, &id, Domain::unphased(domain.space().clone()), parties);
    case.description = Some(format!("NegMAS scenario with outcome space `{}`", domain.name()));
    Ok(Loaded {
        case,
        format: Format::NegmasYaml,
        warnings: diagnostics,
        source_map,
        sources: Sources::new(),
    })
}
