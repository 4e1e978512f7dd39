//! Writing a case as GeniusWeb JSON: a folder holding `<case id>.json` (the domain) and one
//! `<party id>.json` `LinearAdditiveUtilitySpace` per negotiating party, or, for a path ending in
//! `.json`, the one profile of a case with a single negotiating party.
//!
//! GeniusWeb profiles are linear additive with discrete utilities in [0, 1] and straight lines over
//! number ranges; their reservation is a bid. So:
//! - refused: model errors, hyper-rectangle utilities, phase-weighted preferences;
//! - written as discrete, with a warning: numeric issues whose functions are not straight lines in
//!   [0, 1] over the range (utilities on the grid are kept);
//! - the reservation value: as the `reservationBid` when an outcome has exactly that utility, and
//!   always as NegMAS' `reserved_value` key (GeniusWeb ignores it: warned when no bid carries it);
//!   the discount factor as NegMAS' `discount_factor` key, with a warning;
//! - dropped with a warning: what GENIUS also drops (red lines, phases, proposals, sources, ...).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use truce_model::{Case, Domain, Issue, IssueDomain, Party, Preferences, Utility, ValueFunction};

use crate::writing::{
    MAX_TABLE_VALUES, dropped_facts, line, prepare_folder, refuse_rectangles, too_many_values, writable,
};
use crate::{Diagnostic, LoadFailure};

/// Outcomes searched for one whose utility is the reservation value.
const MAX_RESERVATION_SEARCH: u64 = 1_000_000;

/// How an issue is written.
#[derive(Clone, Debug, PartialEq)]
enum Written {
    Discrete,
    /// `{"range": {low, high, step}}` with `numberutils`.
    Range {
        low: f64,
        high: f64,
        step: f64,
    },
    /// A numeric issue written as discrete values (its grid values as text).
    Grid,
}

/// Writes `case` as GeniusWeb JSON to the folder `path` (or, when `path` ends in `.json`, the single
/// profile of a one-party case) and returns warnings about what GeniusWeb cannot hold.
///
/// # Errors
/// What prevents writing (see the module documentation), an existing output, or a file that cannot be
/// written (code `io`).
pub fn save(case: &Case, path: &Path) -> Result<Vec<Diagnostic>, LoadFailure> {
    let fail = |diagnostics: Vec<Diagnostic>| LoadFailure::new(path, diagnostics);
    let (parties, mut warnings, mut errors) = writable(case, path, "GeniusWeb")?;
    refuse_rectangles(
        &parties,
        path,
        "a hyper-rectangle utility: GeniusWeb profiles are linear additive",
        &mut errors,
    );
    let single_file = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if single_file && parties.len() != 1 {
        errors.push(
            Diagnostic::error(
                "unsupported",
                path,
                format!("a GeniusWeb JSON file holds one profile, but {} parties negotiate", parties.len()),
            )
            .with_hint("give a folder name instead: the domain and every profile are written into it"),
        );
    }
    let plan = plan_issues(case, &parties, path, &mut warnings, &mut errors);
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    dropped_facts(case, path, "GeniusWeb", &mut warnings);

    let domain = domain_json(case, &plan);
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for party in &parties {
        let Some(prefs) = &party.preferences else { continue };
        let profile = profile_json(case, &plan, party, prefs, &domain, path, &mut warnings);
        let file = if single_file { path.to_path_buf() } else { path.join(format!("{}.json", party.id)) };
        files.push((file, pretty(&profile)));
    }
    if single_file {
        if path.exists() {
            return Err(fail(vec![
                Diagnostic::error("output-exists", path, "the file exists")
                    .with_hint("nothing is overwritten: give a new name"),
            ]));
        }
    } else {
        prepare_folder(path, "json").map_err(|d| fail(vec![d]))?;
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
        files.insert(0, (path.join(format!("{stem}.json")), pretty(&domain)));
    }
    for (file, text) in files {
        std::fs::write(&file, text)
            .map_err(|e| fail(vec![Diagnostic::error("io", &file, format!("cannot write: {e}"))]))?;
    }
    Ok(warnings)
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
            let functions: Vec<&ValueFunction> = parties
                .iter()
                .filter_map(|p| p.preferences.as_ref()?.utility.as_additive())
                .filter_map(|a| a.issues.get(id.index()).map(|iu| &iu.value))
                .collect();
            let plan = plan_issue(issue, &functions);
            if plan == Written::Grid && issue.cardinality() > MAX_TABLE_VALUES {
                errors.push(too_many_values(issue, path, "would have to be written as a discrete issue of"));
            } else if plan == Written::Grid {
                warnings.push(Diagnostic::warning(
                    "geniusweb-issue-as-discrete",
                    path,
                    format!(
                        "`{}` is written as a discrete issue over its {} grid values (utilities on the grid are \
                         kept): GeniusWeb number utilities are straight lines in [0, 1]",
                        issue.name,
                        issue.cardinality()
                    ),
                ));
            }
            plan
        })
        .collect()
}

fn plan_issue(issue: &Issue, functions: &[&ValueFunction]) -> Written {
    let domain = issue.domain();
    let Some((low, high)) = domain.numeric_bounds() else { return Written::Discrete };
    if issue.cardinality() < 2 {
        return Written::Grid;
    }
    let straight = functions
        .iter()
        .all(|f| line(issue, f).is_some_and(|(a, b)| (0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b)));
    if !straight {
        return Written::Grid;
    }
    #[allow(clippy::cast_precision_loss)]
    let step = match domain {
        IssueDomain::Integer(_) => domain.integer_step().unwrap_or(1) as f64,
        _ => (high - low) / f64::from(issue.cardinality() - 1),
    };
    Written::Range { low, high, step }
}

/// A JSON value whose objects keep their key order.
enum J {
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn obj(entries: Vec<(&str, J)>) -> J {
    J::Obj(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn pretty(j: &J) -> String {
    fn go(j: &J, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth + 1);
        match j {
            J::Num(x) => {
                let _ = write!(out, "{x}");
            }
            J::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())),
            J::Arr(items) if items.iter().all(|i| matches!(i, J::Str(_) | J::Num(_))) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    go(item, depth, out);
                }
                out.push(']');
            }
            J::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    go(item, depth + 1, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{}]", "  ".repeat(depth));
            }
            J::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            J::Obj(entries) => {
                out.push_str("{\n");
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(k).unwrap_or_else(|_| "\"\"".to_owned()));
                    out.push_str(": ");
                    go(v, depth + 1, out);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                let _ = write!(out, "{}}}", "  ".repeat(depth));
            }
        }
    }
    let mut out = String::new();
    go(j, 0, &mut out);
    out.push('\n');
    out
}

/// The values of an issue written as discrete: its options, or its grid values as text.
fn values(issue: &Issue) -> Vec<String> {
    let domain = issue.domain();
    match domain.options() {
        Some(options) => options.to_vec(),
        None => (0..issue.cardinality())
            .filter_map(|d| domain.grid_value(d).map(|v| domain.format_value(v)))
            .collect(),
    }
}

fn domain_json(case: &Case, plan: &[Written]) -> J {
    let issues = case
        .space()
        .issues()
        .iter()
        .zip(plan)
        .map(|(issue, p)| {
            let set = match p {
                Written::Range { low, high, step } => obj(vec![(
                    "range",
                    obj(vec![("low", J::Num(*low)), ("high", J::Num(*high)), ("step", J::Num(*step))]),
                )]),
                _ => obj(vec![("values", J::Arr(values(issue).into_iter().map(J::Str).collect()))]),
            };
            (issue.name.clone(), set)
        })
        .collect();
    obj(vec![("name", J::Str(case.id.clone())), ("issuesValues", J::Obj(issues))])
}

fn profile_json(
    case: &Case,
    plan: &[Written],
    party: &Party,
    prefs: &Preferences,
    domain: &J,
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> J {
    let space = case.space();
    let Utility::Additive(additive) = &prefs.utility else { return J::Obj(Vec::new()) };
    let mut utilities = Vec::new();
    let mut weights = Vec::new();
    for ((issue, p), iu) in space.issues().iter().zip(plan).zip(&additive.issues) {
        let utils = match p {
            Written::Range { low, high, .. } => {
                let (a, b) = line(issue, &iu.value).unwrap_or((0.0, 0.0));
                obj(vec![(
                    "numberutils",
                    obj(vec![
                        ("lowValue", J::Num(*low)),
                        ("lowUtility", J::Num(a)),
                        ("highValue", J::Num(*high)),
                        ("highUtility", J::Num(b)),
                    ]),
                )])
            }
            _ => {
                #[allow(clippy::cast_possible_truncation)]
                let scores: Vec<f64> =
                    (0..issue.cardinality()).map(|d| iu.value.grid_score(issue, d)).collect();
                let entries = values(issue).into_iter().zip(scores).map(|(v, s)| (v, J::Num(s))).collect();
                obj(vec![("discreteutils", obj(vec![("valueUtilities", J::Obj(entries))]))])
            }
        };
        utilities.push((issue.name.clone(), utils));
        weights.push((issue.name.clone(), J::Num(iu.weight)));
    }
    let mut body = vec![
        ("issueUtilities", J::Obj(utilities)),
        ("issueWeights", J::Obj(weights)),
        ("domain", clone_json(domain)),
        ("name", J::Str(party.name.clone())),
    ];
    let bid = (prefs.reservation != 0.0).then(|| reservation_bid(case, plan, prefs)).flatten();
    if prefs.reservation != 0.0 && bid.is_none() {
        warnings.push(Diagnostic::warning(
            "geniusweb-reservation",
            path,
            format!(
                "`{}`'s reservation value {} is the utility of no outcome: written as NegMAS' `reserved_value`, \
                 which GeniusWeb ignores",
                party.id, prefs.reservation
            ),
        ));
    }
    // Without a bid the key is left out (GeniusWeb's default) rather than null, which NegMAS 0.16
    // cannot read.
    if let Some(bid) = bid {
        body.push(("reservationBid", bid));
    }
    if prefs.reservation != 0.0 {
        body.push(("reserved_value", J::Num(prefs.reservation)));
    }
    if let Some(d) = prefs.discount {
        warnings.push(Diagnostic::warning(
            "geniusweb-discount",
            path,
            format!(
                "GeniusWeb has no discount factor: `{}`'s {d} is written as NegMAS' `discount_factor`",
                party.id
            ),
        ));
        body.push(("discount_factor", J::Num(d)));
    }
    obj(vec![("LinearAdditiveUtilitySpace", obj(body))])
}

fn clone_json(j: &J) -> J {
    match j {
        J::Num(x) => J::Num(*x),
        J::Str(s) => J::Str(s.clone()),
        J::Arr(a) => J::Arr(a.iter().map(clone_json).collect()),
        J::Obj(o) => J::Obj(o.iter().map(|(k, v)| (k.clone(), clone_json(v))).collect()),
    }
}

/// A bid whose utility is exactly the reservation value, searched among at most
/// [`MAX_RESERVATION_SEARCH`] outcomes.
fn reservation_bid(case: &Case, plan: &[Written], prefs: &Preferences) -> Option<J> {
    let space = case.space();
    if space.size_u64()? > MAX_RESERVATION_SEARCH {
        return None;
    }
    let domain = Domain::unphased(space.clone());
    let mut cursor = space.outcomes();
    while let Some(outcome) = cursor.next() {
        if prefs.utility(&domain, outcome) == prefs.reservation {
            let values = space
                .issues()
                .iter()
                .zip(plan)
                .zip(outcome)
                .map(|((issue, p), &d)| {
                    let v = issue.domain().grid_value(d)?;
                    Some((
                        issue.name.clone(),
                        match p {
                            Written::Range { .. } => J::Num(v.as_f64()),
                            _ => J::Str(issue.domain().format_value(v)),
                        },
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            return Some(obj(vec![("issuevalues", J::Obj(values))]));
        }
    }
    None
}
