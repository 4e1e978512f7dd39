//! A GENIUS profile (`<utility_space>`): linear additive (weights and per-issue evaluators, GENIUS
//! `AdditiveUtilitySpace`) or nonlinear (hyper-rectangles, GENIUS `NonlinearUtilitySpace`, the ANAC
//! 2014 domains), with a reservation value and a discount factor.
//!
//! Semantics follow GENIUS 10.4 (`genius.core.utility`), quirk by quirk:
//! - discrete: `eval(v) / max eval`, the maximum taken over every item the profile scores
//!   (`EvaluatorDiscrete.normalize`; 0 when that maximum is below 1e-5); a repeated item keeps its
//!   last evaluation (`HashMap.put`);
//! - integer: `clamp01(offset + slope * (v - lowerbound))` (`EvaluatorInteger`); files of the older
//!   `parameter0`/`parameter1` form give `clamp01(parameter0 + parameter1 * v)`;
//! - real: linear `clamp01(parameter0 + parameter1 * v)`, constant `parameter0`, or triangular
//!   (`parameter0` lower, `parameter1` upper, `parameter2` top) (`EvaluatorReal`);
//! - the discount factor is dropped when it is not in (0, 1) (`validateDiscount`); the reservation
//!   value defaults to 0;
//! - nonlinear: `min(1, ufun(o) / maxutility)` where the first `<ufun>` aggregates (sum, min or max)
//!   its `hyperRectangle`s and weighted inner `ufun`s; a rectangle pays `utility * weight` when the
//!   outcome lies within all its `INCLUDES` bounds, or outside one of its `EXCLUDES` bounds.

use std::collections::HashMap;
use std::path::Path;

use truce_model::{
    AdditiveUtility, Aggregation, Bound, HyperRectangle, IssueDomain, IssueId, IssueUtility, Preferences,
    RectangleFunction, RectangleUtility, Utility, ValueFunction,
};

use super::domain::{GeniusDomain, Kind, bounds_element, collect_issues, declared_kind, objective_of};
use super::xml::{self, Element};
use crate::report::{Hint, Report};
use crate::writing::MAX_TABLE_VALUES;
use crate::{Diagnostic, LoadFailure, Position};

/// GENIUS scores a discrete issue 0 everywhere when its best evaluation is below this
/// (`EvaluatorDiscrete.normalize`).
const GENIUS_MIN_MAX_EVALUATION: f64 = 0.00001;

/// A GENIUS profile, read against its domain.
#[derive(Clone, Debug)]
pub struct GeniusProfile {
    /// The party's preferences.
    pub preferences: Preferences,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
    root: Position,
    issues: Vec<Option<Position>>,
}

impl GeniusProfile {
    /// Where the profile's `<utility_space>` starts.
    #[must_use]
    pub fn root_position(&self) -> Position {
        self.root
    }

    /// Where the profile evaluates a domain issue (additive profiles only).
    #[must_use]
    pub fn issue_position(&self, issue: IssueId) -> Option<Position> {
        self.issues.get(issue.index()).copied().flatten()
    }
}

/// Reads a GENIUS profile's text against `domain`; `file` names it in diagnostics. Profiles refer to
/// issues by their GENIUS `index`, which is why this takes the domain and not just its outcome space.
///
/// # Errors
/// Every problem found, when the text is not a usable profile of `domain`.
pub fn parse_profile(text: &str, file: &Path, domain: &GeniusDomain) -> Result<GeniusProfile, LoadFailure> {
    let mut report = Report::new(file, text);
    let profile = match xml::parse(text) {
        Ok(root) => read_profile(&mut report, &root, domain),
        Err(e) => {
            report.error("xml-syntax", e.offset, e.message);
            None
        }
    };
    let (mut profile, warnings) = report.finish(profile)?;
    profile.warnings = warnings;
    Ok(profile)
}

fn read_profile(report: &mut Report<'_>, root: &Element<'_>, domain: &GeniusDomain) -> Option<GeniusProfile> {
    if root.name != "utility_space" {
        report
            .error(
                "genius-not-a-profile",
                root.offset,
                format!("the root element is <{}>, not a GENIUS profile", root.name),
            )
            .hint("a profile's root is <utility_space> with weights and evaluations");
        return None;
    }
    let reservation = match root.child("reservation") {
        Some(r) => report.number(r, "value").unwrap_or(0.0),
        None => 0.0,
    };
    let discount = root.child("discount_factor").and_then(|d| discount(report, d));
    let space_type = root.get("type").unwrap_or("").trim().to_ascii_lowercase();
    let objective = objective_of(root);
    let nonlinear =
        space_type == "nonlinear" || objective.child("utility").is_some() || root.child("utility").is_some();
    let (utility, issues) = if space_type == "constraint" {
        report
            .error(
                "genius-unsupported-profile",
                root.offset,
                "constraint utility spaces (GENIUS ConstraintUtilitySpace) are not supported",
            )
            .hint("Truce reads additive and nonlinear (hyper-rectangle) GENIUS profiles");
        return None;
    } else if nonlinear {
        (read_nonlinear(report, root, objective, domain)?, vec![None; domain.space().len()])
    } else {
        read_additive(report, objective, domain)?
    };
    let mut preferences = Preferences::new(utility);
    preferences.reservation = reservation;
    preferences.discount = discount;
    Some(GeniusProfile {
        preferences,
        warnings: Vec::new(),
        root: Position::from_offset(report.text, root.offset),
        issues,
    })
}

/// GENIUS `validateDiscount`: a factor outside (0, 1) means no discounting; outside [0, 1] it is also
/// reported as discarded.
fn discount(report: &mut Report<'_>, element: &Element<'_>) -> Option<f64> {
    let d = report.number(element, "value")?;
    if !(0.0..=1.0).contains(&d) {
        report.warning(
            "genius-discount-discarded",
            element.offset,
            format!("discount factor {d} is outside [0, 1]: discarded (no discounting), as GENIUS does"),
        );
    }
    (d > 0.0 && d < 1.0).then_some(d)
}

/// One evaluated issue of an additive profile, before weights are settled.
struct Evaluated {
    weight: Option<f64>,
    value: ValueFunction,
    /// Multiplies the weight: discrete issues whose best evaluation is an item the domain lacks.
    scale: f64,
    offset: usize,
}

fn read_additive(
    report: &mut Report<'_>,
    objective: &Element<'_>,
    domain: &GeniusDomain,
) -> Option<(Utility, Vec<Option<Position>>)> {
    let space = domain.space();
    let mut elements = Vec::new();
    collect_issues(objective, &mut elements);
    let mut weights: HashMap<i64, (f64, usize)> = HashMap::new();
    collect_weights(report, objective, &mut weights);

    let similar: Vec<_> = elements.iter().filter_map(|e| e.child("similarity_function")).collect();
    if let Some(first) = similar.first() {
        report.warning(
            "genius-similarity-ignored",
            first.offset,
            format!(
                "{} <similarity_function> block(s) ignored: GENIUS does not use them for utilities",
                similar.len()
            ),
        );
    }
    let mut evaluated: Vec<Option<Evaluated>> = (0..space.len()).map(|_| None).collect();
    let mut used_weights = Vec::new();
    for element in elements {
        let Some(index) = report.integer(element, "index") else { continue };
        let name = element.get("name");
        let issue = match (domain.issue_by_index(index), name.and_then(|n| space.issue_id(n))) {
            (Some(by_index), _) => by_index,
            (None, Some(by_name)) => {
                report.warning(
                    "genius-index-mismatch",
                    element.offset,
                    format!(
                        "issue `{}` has index {index} here but {} in the domain: matched by name",
                        name.unwrap_or_default(),
                        domain.index_of(by_name)
                    ),
                );
                by_name
            }
            (None, None) => {
                report
                    .error(
                        "genius-unknown-issue",
                        element.offset,
                        format!(
                            "the profile evaluates issue `{}` (index {index}), which the domain does not have",
                            name.unwrap_or("?")
                        ),
                    )
                    .hint("a profile's issues must be the domain's, with the same `index` attributes");
                continue;
            }
        };
        if evaluated[issue.index()].is_some() {
            report.error(
                "genius-duplicate-issue",
                element.offset,
                format!("issue `{}` is evaluated twice", space.issue(issue).name),
            );
            continue;
        }
        let Some((value, scale)) = read_evaluator(report, element, domain, issue) else { continue };
        let weight = weights.get(&index).map(|&(w, _)| w);
        used_weights.push(index);
        evaluated[issue.index()] = Some(Evaluated { weight, value, scale, offset: element.offset });
    }

    for (&index, &(_, offset)) in &weights {
        if !used_weights.contains(&index) && domain.issue_by_index(index).is_some() && !report.has_errors() {
            report.warning(
                "genius-unused-weight",
                offset,
                format!("a weight is given for issue index {index}, which this profile does not evaluate"),
            );
        }
    }
    let missing: Vec<_> = space
        .issue_ids()
        .filter(|i| evaluated[i.index()].is_none())
        .map(|i| format!("`{}`", space.issue(i).name))
        .collect();
    if !missing.is_empty() && !report.has_errors() {
        report
            .error(
                "genius-missing-issue",
                objective.offset,
                format!("the profile does not evaluate the domain's issue(s) {}", crate::diagnostic::summarise(&missing)),
            )
            .hint("a profile needs an <issue> with evaluations for every issue of the domain (GENIUS fails otherwise)");
    }
    if report.has_errors() {
        return None;
    }
    let evaluated: Vec<Evaluated> = evaluated.into_iter().flatten().collect();
    settle_missing_weights(report, objective, space, &evaluated).map(|weights| {
        let positions =
            evaluated.iter().map(|e| Some(Position::from_offset(report.text, e.offset))).collect();
        let issues = evaluated
            .into_iter()
            .zip(weights)
            .map(|(e, w)| IssueUtility { weight: w * e.scale, value: e.value })
            .collect();
        (Utility::Additive(AdditiveUtility { issues }), positions)
    })
}

/// The weights of every issue: as written, or, for issues without one, an assumption reported as a
/// warning: equal weights when the profile gives none, otherwise what the given weights leave of 1,
/// shared equally (0 when they already reach 1). GENIUS itself cannot evaluate such a profile.
fn settle_missing_weights(
    report: &mut Report<'_>,
    objective: &Element<'_>,
    space: &truce_model::OutcomeSpace,
    evaluated: &[Evaluated],
) -> Option<Vec<f64>> {
    let given: f64 = evaluated.iter().filter_map(|e| e.weight).sum();
    let missing: Vec<_> = evaluated
        .iter()
        .zip(space.issues())
        .filter(|(e, _)| e.weight.is_none())
        .map(|(_, i)| &i.name)
        .collect();
    if missing.is_empty() {
        return Some(evaluated.iter().map(|e| e.weight.unwrap_or(0.0)).collect());
    }
    #[allow(clippy::cast_precision_loss)]
    let share = if missing.len() == evaluated.len() {
        1.0 / evaluated.len() as f64
    } else {
        (1.0 - given).max(0.0) / missing.len() as f64
    };
    let names: Vec<_> = missing.iter().map(|n| format!("`{n}`")).collect();
    report.warning(
        "genius-missing-weight",
        objective.offset,
        if missing.len() == evaluated.len() {
            format!("the profile gives no <weight>: every issue is assumed to weigh {share}")
        } else {
            format!(
                "no <weight> for {}: assumed to weigh {share} each (what the given weights leave of 1)",
                crate::diagnostic::summarise(&names)
            )
        },
    );
    Some(evaluated.iter().map(|e| e.weight.unwrap_or(share)).collect())
}

fn collect_weights(report: &mut Report<'_>, element: &Element<'_>, out: &mut HashMap<i64, (f64, usize)>) {
    for child in &element.children {
        match child.name {
            "weight" => {
                let (Some(index), Some(value)) =
                    (report.integer(child, "index"), report.number(child, "value"))
                else {
                    continue;
                };
                if value < 0.0 {
                    report.error(
                        "genius-invalid-weight",
                        child.attr("value").map_or(child.offset, |a| a.offset),
                        format!("weight {value} for index {index} is negative"),
                    );
                    continue;
                }
                if out.insert(index, (value, child.offset)).is_some() {
                    report.warning(
                        "genius-duplicate-weight",
                        child.offset,
                        format!("index {index} has two weights: the last, {value}, is kept (as GENIUS does)"),
                    );
                }
            }
            "objective" => collect_weights(report, child, out),
            _ => {}
        }
    }
}

/// The value function of one profile issue, and the factor its weight is scaled by.
fn read_evaluator(
    report: &mut Report<'_>,
    element: &Element<'_>,
    domain: &GeniusDomain,
    issue: IssueId,
) -> Option<(ValueFunction, f64)> {
    let space = domain.space();
    let def = space.issue(issue);
    let declared = declared_kind(report, element).ok()?;
    let kind = match def.domain() {
        IssueDomain::Discrete(_) => Kind::Discrete,
        IssueDomain::Integer(_) => Kind::Integer,
        IssueDomain::Real(_) => Kind::Real,
    };
    let has_items = element.child("item").is_some();
    let has_evaluator = element.child("evaluator").is_some();
    match (kind, declared) {
        (Kind::Discrete, Some(Kind::Discrete) | None) => {
            read_discrete(report, element, &def.name, def.domain())
        }
        (Kind::Integer, _) if has_items && !has_evaluator => {
            report.warning(
                "genius-integer-items",
                element.offset,
                format!(
                    "integer issue `{}` is scored by <item>s: read as a table over its values, as NegMAS does \
                     (GENIUS 10.4 reads integer issues from <evaluator slope offset> only)",
                    def.name
                ),
            );
            read_discrete(report, element, &def.name, def.domain())
        }
        (Kind::Integer, Some(Kind::Integer) | None) => read_integer(report, element, &def.name, def.domain()),
        (Kind::Real, Some(Kind::Real) | None) => read_real(report, element, &def.name, def.domain()),
        (_, Some(declared)) => {
            report.error(
                "genius-kind-mismatch",
                element.offset,
                format!(
                    "`{}` is a {} issue in the domain but {} here",
                    def.name,
                    kind.name(),
                    declared.name()
                ),
            );
            None
        }
    }
}

/// Item evaluations; for integer issues the items name integer values.
fn read_discrete(
    report: &mut Report<'_>,
    element: &Element<'_>,
    name: &str,
    domain: &IssueDomain,
) -> Option<(ValueFunction, f64)> {
    let mut evaluations: Vec<(String, f64, usize)> = Vec::new();
    // Where each value's evaluation is in `evaluations`: duplicates found by hashing, not by search.
    let mut at: HashMap<String, usize> = HashMap::new();
    for item in element.children_named("item") {
        let Some(value) = report.required(item, "value") else { continue };
        let evaluation = match item.get("evaluation") {
            None | Some("null") => {
                report.warning(
                    "genius-missing-evaluation",
                    item.offset,
                    format!("item `{value}` of `{name}` has no evaluation: it scores 0"),
                );
                continue;
            }
            Some(_) => report.number(item, "evaluation")?,
        };
        if evaluation < 0.0 {
            report.error(
                "genius-invalid-evaluation",
                item.attr("evaluation").map_or(item.offset, |a| a.offset),
                format!("item `{value}` of `{name}` has a negative evaluation ({evaluation})"),
            );
            continue;
        }
        if let Some(previous) = at.get(value).and_then(|&i| evaluations.get_mut(i)) {
            report.warning(
                "genius-duplicate-item",
                item.offset,
                format!("item `{value}` of `{name}` is evaluated twice: the last, {evaluation}, is kept (as GENIUS does)"),
            );
            previous.1 = evaluation;
            previous.2 = item.offset;
        } else {
            at.insert(value.to_owned(), evaluations.len());
            evaluations.push((value.to_owned(), evaluation, item.offset));
        }
    }
    if domain.cardinality() > MAX_TABLE_VALUES {
        report.error(
            "genius-table-too-large",
            element.offset,
            format!("`{name}` has {} values: too many to score one by one", domain.cardinality()),
        );
        return None;
    }
    let grid: Vec<String> = (0..domain.cardinality())
        .filter_map(|d| domain.grid_value(d).map(|v| domain.format_value(v)))
        .collect();
    let index: HashMap<&str, usize> = grid.iter().enumerate().map(|(i, g)| (g.as_str(), i)).collect();
    let position = |v: &str| -> Option<usize> {
        match domain {
            IssueDomain::Discrete(_) => index.get(v).copied(),
            _ => {
                let n: i64 = v.trim().parse().ok()?;
                index.get(n.to_string().as_str()).copied()
            }
        }
    };
    let mut scores = vec![None; grid.len()];
    let mut unknown = Vec::new();
    for (value, evaluation, offset) in &evaluations {
        match position(value) {
            Some(i) => scores[i] = Some(*evaluation),
            None => unknown.push((value.as_str(), *evaluation, *offset)),
        }
    }
    let matched = scores.iter().filter(|s| s.is_some()).count();
    if matched == 0 && !evaluations.is_empty() && element.get("name").is_some_and(|n| n != name) {
        report
            .error(
                "genius-issue-mismatch",
                element.offset,
                format!(
                    "the profile's issue `{}` has the domain index of `{name}`, but none of its {} items is a value of `{name}`",
                    element.get("name").unwrap_or_default(),
                    evaluations.len()
                ),
            )
            .hint("the profile was written for another domain: its issues do not match the domain's");
        return None;
    }
    let missing: Vec<_> =
        grid.iter().zip(&scores).filter(|(_, s)| s.is_none()).map(|(g, _)| format!("`{g}`")).collect();
    if !missing.is_empty() {
        report.warning(
            "genius-missing-evaluation",
            element.offset,
            format!(
                "{} of `{name}` ha(s) no evaluation: scored 0 (GENIUS cannot evaluate such outcomes)",
                crate::diagnostic::summarise(&missing)
            ),
        );
    }
    let scores: Vec<f64> = scores.into_iter().map(|s| s.unwrap_or(0.0)).collect();
    let max_here = scores.iter().copied().fold(0.0_f64, f64::max);
    let max_all = evaluations.iter().map(|e| e.1).fold(0.0_f64, f64::max);
    if max_all > 0.0 && max_all < GENIUS_MIN_MAX_EVALUATION {
        report.warning(
            "genius-tiny-evaluations",
            element.offset,
            format!("the best evaluation of `{name}` is {max_all}, below 1e-5: GENIUS scores the issue 0 everywhere"),
        );
        return Some((ValueFunction::Table { scores: vec![0.0; grid.len()] }, 1.0));
    }
    // Tables are divided by their own maximum; GENIUS divides by the maximum over every item it read.
    let scale = if max_all > max_here && max_here > 0.0 { max_here / max_all } else { 1.0 };
    for (value, evaluation, offset) in &unknown {
        let scaled = if *evaluation == max_all && scale < 1.0 {
            format!("; as the issue's best evaluation it scales the issue's weight by {max_here}/{max_all}")
        } else {
            String::new()
        };
        report.warning(
            "genius-unknown-item",
            *offset,
            format!(
                "`{value}` is not a value of `{name}` in the domain: ignored, but its evaluation still counts in \
                 GENIUS' maximum{scaled}"
            ),
        );
    }
    Some((ValueFunction::Table { scores }, scale))
}

fn read_integer(
    report: &mut Report<'_>,
    element: &Element<'_>,
    name: &str,
    domain: &IssueDomain,
) -> Option<(ValueFunction, f64)> {
    let (min, max) = domain.numeric_bounds()?;
    let Some(evaluator) = element.child("evaluator") else {
        report.warning(
            "genius-missing-evaluator",
            element.offset,
            format!("integer issue `{name}` has no <evaluator>: it scores 0 everywhere (GENIUS' default slope and offset)"),
        );
        return Some((ValueFunction::linear(min, 0.0, max, 0.0), 1.0));
    };
    let ftype = evaluator.get("ftype").unwrap_or("linear").trim().to_ascii_lowercase();
    let f = if evaluator.attr("slope").is_some() || evaluator.attr("offset").is_some() {
        // GENIUS 10.4: offset + slope * (v - lowerbound), the bound the profile states.
        let lower = match bounds_element(element) {
            Some(b) => report.optional_integer(b, "lowerbound").map_or(min, |l| l as f64),
            None => min,
        };
        let (slope, offset) = (report.number(evaluator, "slope")?, report.number(evaluator, "offset")?);
        let at = |x: f64| offset + slope * (x - lower);
        ValueFunction::linear(min, at(min), max, at(max))
    } else if ftype == "constant" {
        let c = report.number(evaluator, "parameter0")?;
        constant(report, evaluator, name, c, min, max)
    } else if ftype == "linear" {
        // The older form: parameter0 + parameter1 * v.
        let (p0, p1) = (report.number(evaluator, "parameter0")?, report.number(evaluator, "parameter1")?);
        ValueFunction::linear(min, p0 + p1 * min, max, p0 + p1 * max)
    } else {
        report.error(
            "genius-unsupported-evaluator",
            evaluator.offset,
            format!("integer issue `{name}` has an evaluator of type `{ftype}`: GENIUS integer evaluators are linear"),
        );
        return None;
    };
    Some((f, 1.0))
}

fn constant(
    report: &mut Report<'_>,
    evaluator: &Element<'_>,
    name: &str,
    c: f64,
    min: f64,
    max: f64,
) -> ValueFunction {
    if !(0.0..=1.0).contains(&c) {
        report.warning(
            "genius-constant-clamped",
            evaluator.offset,
            format!(
                "the constant evaluation {c} of `{name}` is outside [0, 1]: clamped (GENIUS uses it as is)"
            ),
        );
    }
    ValueFunction::linear(min, c, max, c)
}

fn read_real(
    report: &mut Report<'_>,
    element: &Element<'_>,
    name: &str,
    domain: &IssueDomain,
) -> Option<(ValueFunction, f64)> {
    let (min, max) = domain.numeric_bounds()?;
    let Some(evaluator) = element.child("evaluator") else {
        report
            .error(
                "genius-missing-evaluator",
                element.offset,
                format!("real issue `{name}` has no <evaluator>"),
            )
            .hint("give it <evaluator ftype=\"linear\" parameter0=\"...\" parameter1=\"...\"/>");
        return None;
    };
    let ftype = report.required(evaluator, "ftype").map(|f| f.trim().to_ascii_lowercase())?;
    let f = match ftype.as_str() {
        "linear" if evaluator.attr("parameter0").is_none() && evaluator.attr("parameter1").is_none() => {
            // NegMAS writes offset/slope, unshifted.
            let (offset, slope) = (report.number(evaluator, "offset")?, report.number(evaluator, "slope")?);
            ValueFunction::linear(min, offset + slope * min, max, offset + slope * max)
        }
        "linear" => {
            let (p0, p1) = (report.number(evaluator, "parameter0")?, report.number(evaluator, "parameter1")?);
            ValueFunction::linear(min, p0 + p1 * min, max, p0 + p1 * max)
        }
        "constant" => {
            let c = report.number(evaluator, "parameter0")?;
            constant(report, evaluator, name, c, min, max)
        }
        "triangular" => {
            let lower = report.number(evaluator, "parameter0")?;
            let upper = report.number(evaluator, "parameter1")?;
            let top = report.number(evaluator, "parameter2")?;
            if !(lower < top && top < upper) {
                report.error(
                    "genius-unsupported-evaluator",
                    evaluator.offset,
                    format!(
                        "the triangle of `{name}` needs lower < top < upper, got {lower}, {top}, {upper}"
                    ),
                );
                return None;
            }
            ValueFunction::PiecewiseLinear { points: vec![(lower, 0.0), (top, 1.0), (upper, 0.0)] }
        }
        other => {
            report
                .error(
                    "genius-unsupported-evaluator",
                    evaluator.offset,
                    format!("real issue `{name}` has an evaluator of type `{other}`"),
                )
                .hint("GENIUS real evaluators are linear, constant or triangular");
            return None;
        }
    };
    Some((f, 1.0))
}

fn read_nonlinear(
    report: &mut Report<'_>,
    root: &Element<'_>,
    objective: &Element<'_>,
    domain: &GeniusDomain,
) -> Option<Utility> {
    let Some(utility) = objective.child("utility").or_else(|| root.child("utility")) else {
        report
            .error(
                "genius-no-utility",
                objective.offset,
                "the nonlinear profile has no <utility maxutility=...>",
            )
            .hint("nonlinear GENIUS profiles hold <utility maxutility=\"...\"><ufun ...>");
        return None;
    };
    let max_utility = report.number(utility, "maxutility")?;
    if max_utility <= 0.0 {
        report.error(
            "genius-invalid-max-utility",
            utility.attr("maxutility").map_or(utility.offset, |a| a.offset),
            format!("maxutility is {max_utility}: it must be positive"),
        );
        return None;
    }
    let mut ufuns = utility.children_named("ufun");
    let Some(first) = ufuns.next() else {
        report.error("genius-no-utility", utility.offset, "<utility> holds no <ufun>");
        return None;
    };
    if let Some(extra) = ufuns.next() {
        report.warning(
            "genius-extra-ufun",
            extra.offset,
            "only the first <ufun> of <utility> counts (as in GENIUS); the others are ignored",
        );
    }
    let root_fn = read_ufun(report, first, domain)?;
    if report.has_errors() {
        return None;
    }
    Some(Utility::Rectangles(RectangleUtility { max_utility, root: root_fn }))
}

fn read_ufun(
    report: &mut Report<'_>,
    element: &Element<'_>,
    domain: &GeniusDomain,
) -> Option<RectangleFunction> {
    let aggregation = match element.get("aggregation").map(|a| a.trim().to_ascii_lowercase()) {
        Some(a) if a == "sum" => Aggregation::Sum,
        Some(a) if a == "min" => Aggregation::Min,
        Some(a) if a == "max" => Aggregation::Max,
        other => {
            report.warning(
                "genius-unknown-aggregation",
                element.offset,
                match other {
                    Some(a) => {
                        format!("aggregation `{a}` is not sum, min or max: read as sum (GENIUS' default)")
                    }
                    None => "the <ufun> has no aggregation: read as sum".to_owned(),
                },
            );
            Aggregation::Sum
        }
    };
    let weight = report.optional_number(element, "weight").unwrap_or(1.0);
    let mut rectangles = Vec::new();
    for rect in element.children_named("hyperRectangle") {
        if let Some(r) = read_rectangle(report, rect, domain) {
            rectangles.push(r);
        }
    }
    let mut children = Vec::new();
    for inner in element.children_named("ufun") {
        if let Some(f) = read_ufun(report, inner, domain) {
            children.push(f);
        }
    }
    Some(RectangleFunction { aggregation, weight, rectangles, children })
}

fn read_rectangle(
    report: &mut Report<'_>,
    element: &Element<'_>,
    domain: &GeniusDomain,
) -> Option<HyperRectangle> {
    let utility = report.number(element, "utility")?;
    let weight = report.optional_number(element, "weight").unwrap_or(1.0);
    let includes: Vec<_> = element.children_named("INCLUDES").collect();
    let excludes: Vec<_> = element.children_named("EXCLUDES").collect();
    if !includes.is_empty() && !excludes.is_empty() {
        report.warning(
            "genius-includes-and-excludes",
            element.offset,
            "a hyperRectangle with both INCLUDES and EXCLUDES is exclusive and its INCLUDES are ignored (as in GENIUS)",
        );
    }
    let (inclusive, bound_elements) = if excludes.is_empty() { (true, includes) } else { (false, excludes) };
    let mut bounds = Vec::new();
    for b in bound_elements {
        let (Some(index), Some(min), Some(max)) =
            (report.integer(b, "index"), report.number(b, "min"), report.number(b, "max"))
        else {
            continue;
        };
        let Some(issue) = domain.issue_by_index(index) else {
            report.error(
                "genius-unknown-issue",
                b.attr("index").map_or(b.offset, |a| a.offset),
                format!("the bound refers to issue index {index}, which the domain does not have"),
            );
            continue;
        };
        if !domain.space().issue(issue).domain().is_numeric() {
            report.error(
                "genius-kind-mismatch",
                b.offset,
                format!("the bound is on `{}`, which is not numeric", domain.space().issue(issue).name),
            );
            continue;
        }
        bounds.push(Bound { issue, min, max });
    }
    Some(HyperRectangle { inclusive, bounds, utility, weight })
}

#[cfg(test)]
mod tests {
    use super::super::domain::parse_domain;
    use super::*;
    use truce_model::Domain;

    const DOMAIN: &str = r#"<negotiation_template><utility_space><objective index="0" name="root">
        <issue index="1" name="colour" type="discrete"><item index="1" value="red"/><item index="2" value="blue"/><item index="3" value="green"/></issue>
        <issue index="2" name="price" type="integer" lowerbound="2" upperbound="6"/>
        </objective></utility_space></negotiation_template>"#;

    fn domain() -> GeniusDomain {
        parse_domain(DOMAIN, Path::new("d.xml")).unwrap()
    }

    fn profile(text: &str) -> Result<GeniusProfile, LoadFailure> {
        parse_profile(text, Path::new("p.xml"), &domain())
    }

    fn u(p: &GeniusProfile, outcome: &[u32]) -> f64 {
        p.preferences.utility(&Domain::unphased(domain().space().clone()), outcome)
    }

    #[test]
    fn additive_profile_follows_genius() {
        let p = profile(
            r#"<utility_space><objective index="0">
            <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
            <issue index="1" name="colour" type="discrete"><item value="red" evaluation="2"/><item value="blue" evaluation="4"/><item value="green" evaluation="1"/></issue>
            <issue index="2" name="price" type="integer" lowerbound="2" upperbound="6"><evaluator ftype="linear" slope="-0.25" offset="1"/></issue>
            </objective><reservation value="0.3"/><discount_factor value="0.9"/></utility_space>"#,
        )
        .unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.preferences.reservation, 0.3);
        assert_eq!(p.preferences.discount, Some(0.9));
        // red (2/4) and price 4: 1 - 0.25 * (4 - 2) = 0.5
        assert!((u(&p, &[0, 2]) - (0.6 * 0.5 + 0.4 * 0.5)).abs() < 1e-12);
        assert!((u(&p, &[1, 0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn quirks_are_read_leniently_with_warnings() {
        // Duplicate item (last wins), an item the domain lacks holding the maximum, a missing value,
        // no weight for price, discount 1 meaning none.
        let p = profile(
            r#"<utility_space><objective index="0">
            <weight index="1" value="0.7"/>
            <issue index="1" name="colour"><item value="red" evaluation="9"/><item value="red" evaluation="2"/><item value="blue" evaluation="4"/><item value="pink" evaluation="8"/></issue>
            <issue index="2" name="price" type="integer"><evaluator ftype="linear" parameter0="0" parameter1="0.1"/></issue>
            </objective><discount_factor value="1.0"/></utility_space>"#,
        )
        .unwrap();
        let codes: Vec<_> = p.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [
                "genius-missing-weight",
                "genius-missing-evaluation",
                "genius-duplicate-item",
                "genius-unknown-item"
            ]
        );
        assert_eq!(p.preferences.discount, None);
        // blue = 4/8 of 0.7; price 6 -> 0.6 of the 0.3 left.
        assert!((u(&p, &[1, 4]) - (0.7 * 0.5 + 0.3 * 0.6)).abs() < 1e-12);
        assert!((u(&p, &[2, 0]) - 0.3 * 0.2).abs() < 1e-12, "green has no evaluation");
    }

    #[test]
    fn mismatched_profiles_fail_clearly() {
        let err = profile(
            r#"<utility_space><objective><weight index="1" value="1"/>
            <issue index="1" name="0"><item value="0" evaluation="1"/><item value="1" evaluation="2"/></issue>
            </objective></utility_space>"#,
        )
        .unwrap_err();
        let codes: Vec<_> = err.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["genius-issue-mismatch"]);

        let err = profile(
            r#"<utility_space><objective><weight index="1" value="1"/>
            <issue index="1" name="colour"><item value="red" evaluation="1"/></issue></objective></utility_space>"#,
        )
        .unwrap_err();
        let errors: Vec<_> = err.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        assert_eq!(errors, ["genius-missing-issue"]);

        let err = profile(
            r#"<utility_space><objective><issue index="7" name="size"/></objective></utility_space>"#,
        )
        .unwrap_err();
        assert_eq!(err.diagnostics[0].code, "genius-unknown-issue");

        let err = profile(
            r#"<utility_space><objective><weight index="1" value="NaN"/></objective></utility_space>"#,
        )
        .unwrap_err();
        assert_eq!(err.diagnostics[0].code, "genius-invalid-number");
        assert_eq!(err.diagnostics[0].position, Some(Position { line: 1, column: 45 }));
    }

    #[test]
    fn nonlinear_profiles_become_rectangles() {
        let p = profile(
            r#"<utility_space type="nonlinear"><objective>
            <utility maxutility="10"><ufun type="PlainUfun" weight="1" aggregation="sum">
              <hyperRectangle utility="4"><INCLUDES index="2" min="2" max="3"/></hyperRectangle>
              <hyperRectangle utility="30"><EXCLUDES index="2" min="2" max="5"/></hyperRectangle>
              <ufun aggregation="max" weight="0.5"><hyperRectangle utility="2"/></ufun>
            </ufun></utility></objective><reservation value="0.75"/></utility_space>"#,
        )
        .unwrap();
        assert!((u(&p, &[0, 0]) - (4.0 + 1.0) / 10.0).abs() < 1e-12);
        assert!((u(&p, &[0, 3]) - 1.0 / 10.0).abs() < 1e-12);
        assert_eq!(u(&p, &[0, 4]), 1.0, "(30 + 1) / 10 is capped at 1");
        assert_eq!(p.preferences.reservation, 0.75);
    }
}
