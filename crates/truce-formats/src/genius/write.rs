//! Writing a case as a GENIUS domain folder: `<case id>-domain.xml` and one `<party id>.xml` profile
//! per negotiating party with preferences, in the layout of the ANAC files (so GENIUS 10.4 and NegMAS
//! read them, and Truce reads them back with the same utility on every outcome).
//!
//! What GENIUS cannot express is either refused or written with a warning, case by case:
//! - refused: a case with model errors; phase-weighted preferences (GENIUS utilities have no phases,
//!   so every utility would change); hyper-rectangles bounding a non-integer issue (GENIUS rectangles
//!   read integer values only); a party id that cannot be a file name;
//! - written as a discrete issue over its grid values, with a warning: a numeric issue that GENIUS'
//!   integer or real evaluators cannot carry exactly (a step other than 1, score tables, or
//!   piecewise-linear functions that are not a line or, for real issues, a triangle);
//! - dropped with a warning: red lines, proposals, sources, the phase structure, parties that do not
//!   negotiate or have no preferences, alignments between parties; the grid of a real issue (GENIUS
//!   real issues are continuous; Truce reads them back with [`REAL_LEVELS`](super::REAL_LEVELS)).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use truce_model::{
    Case, Issue, IssueDomain, IssueId, Party, Preferences, RectangleFunction, Utility, ValueFunction,
};

use super::REAL_LEVELS;
use crate::writing::{MAX_TABLE_VALUES, dropped_facts, line, prepare_folder, too_many_values, writable};
use crate::{Diagnostic, LoadFailure};

/// How an issue is written.
#[derive(Clone, Debug, PartialEq)]
enum Written {
    Discrete,
    Integer {
        min: i64,
        max: i64,
    },
    Real {
        min: f64,
        max: f64,
    },
    /// A numeric issue written as a discrete one over its grid values.
    Grid,
}

/// Writes `case` to the folder `path` as a GENIUS domain and one profile per negotiating party, and
/// returns warnings about what GENIUS cannot hold. The folder is created; it must not already hold
/// XML files.
///
/// # Errors
/// What prevents writing: model errors in the case, what GENIUS cannot express (see the module
/// documentation), a folder that already holds XML files, or a file that cannot be written (code
/// `io`).
pub fn save(case: &Case, path: &Path) -> Result<Vec<Diagnostic>, LoadFailure> {
    let fail = |diagnostics: Vec<Diagnostic>| LoadFailure::new(path, diagnostics);
    let (parties, mut warnings, mut errors) = writable(case, path, "GENIUS")?;
    let plan = plan_issues(case, &parties, path, &mut warnings, &mut errors);
    let domain_stem = domain_stem(case, &parties);
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    dropped_facts(case, path, "GENIUS", &mut warnings);

    prepare_folder(path, "xml").map_err(|d| fail(vec![d]))?;
    let mut written: Vec<(PathBuf, String)> = Vec::new();
    written.push((path.join(format!("{domain_stem}.xml")), domain_xml(case, &plan, &parties)));
    for party in &parties {
        if let Some(prefs) = &party.preferences {
            written.push((path.join(format!("{}.xml", party.id)), profile_xml(case, &plan, prefs)));
        }
    }
    for (file, text) in written {
        std::fs::write(&file, text)
            .map_err(|e| fail(vec![Diagnostic::error("io", &file, format!("cannot write: {e}"))]))?;
    }
    Ok(warnings)
}

/// The domain file's stem: `<case id>-domain`, made a valid file name and distinct from every profile.
fn domain_stem(case: &Case, parties: &[&Party]) -> String {
    let base: String = case
        .id
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' })
        .collect();
    let mut stem = if base.is_empty() { "domain".to_owned() } else { format!("{base}-domain") };
    while parties.iter().any(|p| p.id.eq_ignore_ascii_case(&stem)) {
        stem.push('_');
    }
    stem
}

/// How each issue is written; numeric issues GENIUS cannot carry exactly become discrete ones.
fn plan_issues(
    case: &Case,
    parties: &[&Party],
    path: &Path,
    warnings: &mut Vec<Diagnostic>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Written> {
    let space = case.space();
    let mut bounded = vec![false; space.len()];
    for party in parties {
        if let Some(Utility::Rectangles(r)) = party.preferences.as_ref().map(|p| &p.utility) {
            mark_bounded(&r.root, &mut bounded);
        }
    }
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
            if bounded[id.index()] && !matches!(plan, Written::Integer { .. }) {
                errors.push(Diagnostic::error(
                    "unsupported",
                    path,
                    format!(
                        "hyper-rectangles bound `{}`, which GENIUS cannot hold as an integer issue with linear evaluators",
                        issue.name
                    ),
                ));
            }
            if plan == Written::Grid && issue.cardinality() > MAX_TABLE_VALUES {
                errors.push(too_many_values(issue, path, "would have to be written as a discrete issue of"));
            }
            match &plan {
                Written::Grid => warnings.push(Diagnostic::warning(
                    "genius-issue-as-discrete",
                    path,
                    format!(
                        "`{}` is written as a discrete issue over its {} grid values (utilities on the grid are kept): \
                         GENIUS' {} evaluators cannot express its step or value functions",
                        issue.name,
                        issue.cardinality(),
                        if matches!(issue.domain(), IssueDomain::Real(_)) { "real" } else { "integer" }
                    ),
                )),
                Written::Real { .. } if issue.cardinality() != REAL_LEVELS => warnings.push(Diagnostic::warning(
                    "genius-real-grid",
                    path,
                    format!(
                        "real issue `{}` has {} grid values; GENIUS real issues are continuous and Truce reads them \
                         back with {REAL_LEVELS}",
                        issue.name,
                        issue.cardinality()
                    ),
                )),
                _ => {}
            }
            plan
        })
        .collect()
}

fn mark_bounded(f: &RectangleFunction, bounded: &mut [bool]) {
    for r in &f.rectangles {
        for b in &r.bounds {
            if let Some(slot) = bounded.get_mut(b.issue.index()) {
                *slot = true;
            }
        }
    }
    for c in &f.children {
        mark_bounded(c, bounded);
    }
}

fn plan_issue(issue: &Issue, functions: &[&ValueFunction]) -> Written {
    match issue.domain() {
        IssueDomain::Discrete(_) => Written::Discrete,
        IssueDomain::Integer(_) => {
            let (Some((min, max)), Some(1)) =
                (issue.domain().numeric_bounds(), issue.domain().integer_step())
            else {
                return Written::Grid;
            };
            if functions.iter().all(|f| line(issue, f).is_some()) {
                #[allow(clippy::cast_possible_truncation)]
                Written::Integer { min: min as i64, max: max as i64 }
            } else {
                Written::Grid
            }
        }
        IssueDomain::Real(_) => {
            let Some((min, max)) = issue.domain().numeric_bounds() else { return Written::Grid };
            if functions.iter().all(|f| line(issue, f).is_some() || triangle(f).is_some()) {
                Written::Real { min, max }
            } else {
                Written::Grid
            }
        }
    }
}

/// `(lower, top, upper)` of a GENIUS triangular evaluator equal to the function.
fn triangle(f: &ValueFunction) -> Option<(f64, f64, f64)> {
    match f {
        ValueFunction::PiecewiseLinear { points } => match points[..] {
            [(lower, 0.0), (top, 1.0), (upper, 0.0)] => Some((lower, top, upper)),
            _ => None,
        },
        ValueFunction::Table { .. } => None,
    }
}

/// Escapes text for a double-quoted XML attribute.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A number as GENIUS' `Double.valueOf` reads it back exactly (Rust prints the shortest round-trip form).
fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 { format!("{x:.1}") } else { format!("{x}") }
}

/// The grid values of an issue written as discrete, as item names.
fn grid_items(issue: &Issue) -> Vec<String> {
    let domain = issue.domain();
    (0..issue.cardinality()).filter_map(|d| domain.grid_value(d).map(|v| domain.format_value(v))).collect()
}

/// The opening of an `<issue>` element and its bounds, shared by domain and profiles.
fn issue_open(out: &mut String, index: usize, issue: &Issue, plan: &Written, with_description: bool) {
    let kind = match plan {
        Written::Discrete | Written::Grid => "discrete",
        Written::Integer { .. } => "integer",
        Written::Real { .. } => "real",
    };
    let _ = write!(
        out,
        "\t\t<issue index=\"{}\" etype=\"{kind}\" type=\"{kind}\" vtype=\"{kind}\" name=\"{}\"",
        index + 1,
        esc(&issue.name)
    );
    if with_description && let Some(d) = &issue.description {
        let _ = write!(out, " description=\"{}\"", esc(d));
    }
    if let Written::Integer { min, max } = plan {
        let _ = write!(out, " lowerbound=\"{min}\" upperbound=\"{max}\"");
    }
    out.push_str(">\n");
    if let Written::Real { min, max } = plan {
        let _ = writeln!(out, "\t\t\t<range lowerbound=\"{}\" upperbound=\"{}\"/>", num(*min), num(*max));
    }
}

fn domain_xml(case: &Case, plan: &[Written], parties: &[&Party]) -> String {
    let space = case.space();
    let mut out = String::from("<negotiation_template number_of_sessions=\"1\">\n");
    for party in parties {
        let _ = writeln!(
            out,
            "\t<agent name=\"{}\" utility_space=\"{}.xml\"/>",
            esc(&party.name),
            esc(&party.id)
        );
    }
    let _ = writeln!(out, "\t<utility_space number_of_issues=\"{}\">", space.len());
    let _ = writeln!(
        out,
        "\t<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        esc(&case.title)
    );
    for (i, (issue, p)) in space.issues().iter().zip(plan).enumerate() {
        issue_open(&mut out, i, issue, p, true);
        let items: Vec<String> = match p {
            Written::Discrete => issue.domain().options().map(<[String]>::to_vec).unwrap_or_default(),
            Written::Grid => grid_items(issue),
            _ => Vec::new(),
        };
        for (k, item) in items.iter().enumerate() {
            let _ = writeln!(out, "\t\t\t<item index=\"{}\" value=\"{}\"/>", k + 1, esc(item));
        }
        out.push_str("\t\t</issue>\n");
    }
    out.push_str("\t</objective>\n\t</utility_space>\n</negotiation_template>\n");
    out
}

fn profile_xml(case: &Case, plan: &[Written], prefs: &Preferences) -> String {
    let space = case.space();
    let mut out = String::new();
    let nonlinear = matches!(prefs.utility, Utility::Rectangles(_));
    let _ = writeln!(
        out,
        "<utility_space{} number_of_issues=\"{}\">",
        if nonlinear { " type=\"nonlinear\"" } else { "" },
        space.len()
    );
    let _ = writeln!(
        out,
        "\t<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">",
        esc(&case.title)
    );
    match &prefs.utility {
        Utility::Additive(additive) => {
            for (i, ((issue, p), iu)) in space.issues().iter().zip(plan).zip(&additive.issues).enumerate() {
                issue_open(&mut out, i, issue, p, false);
                evaluator_xml(&mut out, issue, p, &iu.value);
                out.push_str("\t\t</issue>\n");
            }
            for (i, ((issue, p), iu)) in space.issues().iter().zip(plan).zip(&additive.issues).enumerate() {
                let weight = iu.weight * grid_weight_factor(issue, p, &iu.value);
                let _ = writeln!(out, "\t\t<weight index=\"{}\" value=\"{}\"/>", i + 1, num(weight));
            }
        }
        Utility::Rectangles(r) => {
            for (i, (issue, p)) in space.issues().iter().zip(plan).enumerate() {
                issue_open(&mut out, i, issue, p, false);
                out.push_str("\t\t</issue>\n");
            }
            let _ = writeln!(out, "\t\t<utility maxutility=\"{}\">", num(r.max_utility));
            ufun_xml(&mut out, &r.root, 3);
            out.push_str("\t\t</utility>\n");
        }
    }
    out.push_str("\t</objective>\n");
    let _ = writeln!(out, "\t<discount_factor value=\"{}\"/>", num(prefs.discount.unwrap_or(1.0)));
    let _ = writeln!(out, "\t<reservation value=\"{}\"/>", num(prefs.reservation));
    out.push_str("</utility_space>\n");
    out
}

/// A piecewise-linear function written as a table of its grid scores is divided by the largest of
/// them when read back; the weight is multiplied by it so that utilities stay the same.
fn grid_weight_factor(issue: &Issue, plan: &Written, f: &ValueFunction) -> f64 {
    match (plan, f) {
        (Written::Grid, ValueFunction::PiecewiseLinear { .. }) => {
            let max = (0..issue.cardinality()).map(|d| f.grid_score(issue, d)).fold(0.0_f64, f64::max);
            if max > 0.0 { max } else { 1.0 }
        }
        _ => 1.0,
    }
}

fn evaluator_xml(out: &mut String, issue: &Issue, plan: &Written, f: &ValueFunction) {
    match plan {
        Written::Discrete | Written::Grid => {
            let items = match plan {
                Written::Discrete => issue.domain().options().map(<[String]>::to_vec).unwrap_or_default(),
                _ => grid_items(issue),
            };
            for (k, item) in items.iter().enumerate() {
                #[allow(clippy::cast_possible_truncation)]
                let evaluation = match f {
                    ValueFunction::Table { scores } => scores.get(k).copied().unwrap_or(0.0),
                    ValueFunction::PiecewiseLinear { .. } => f.grid_score(issue, k as u32),
                };
                let _ = writeln!(
                    out,
                    "\t\t\t<item index=\"{}\" value=\"{}\" evaluation=\"{}\"/>",
                    k + 1,
                    esc(item),
                    num(evaluation)
                );
            }
        }
        Written::Integer { min, max } => {
            let (a, b) = line(issue, f).unwrap_or((0.0, 0.0));
            #[allow(clippy::cast_precision_loss)]
            let slope = if max > min { (b - a) / (*max - *min) as f64 } else { 0.0 };
            let _ = writeln!(
                out,
                "\t\t\t<evaluator ftype=\"linear\" slope=\"{}\" offset=\"{}\"/>",
                num(slope),
                num(a)
            );
        }
        Written::Real { min, max } => {
            if let Some((a, b)) = line(issue, f) {
                let slope = if max > min { (b - a) / (max - min) } else { 0.0 };
                let _ = writeln!(
                    out,
                    "\t\t\t<evaluator ftype=\"linear\" parameter0=\"{}\" parameter1=\"{}\"/>",
                    num(a - slope * min),
                    num(slope)
                );
            } else if let Some((lower, top, upper)) = triangle(f) {
                let _ = writeln!(
                    out,
                    "\t\t\t<evaluator ftype=\"triangular\" parameter0=\"{}\" parameter1=\"{}\" parameter2=\"{}\"/>",
                    num(lower),
                    num(upper),
                    num(top)
                );
            }
        }
    }
}

fn ufun_xml(out: &mut String, f: &RectangleFunction, depth: usize) {
    let indent = "\t".repeat(depth);
    let aggregation = match f.aggregation {
        truce_model::Aggregation::Sum => "sum",
        truce_model::Aggregation::Min => "min",
        truce_model::Aggregation::Max => "max",
    };
    let _ = writeln!(
        out,
        "{indent}<ufun type=\"PlainUfun\" weight=\"{}\" aggregation=\"{aggregation}\">",
        num(f.weight)
    );
    for r in &f.rectangles {
        let _ = write!(out, "{indent}\t<hyperRectangle utility=\"{}\"", num(r.utility));
        if r.weight != 1.0 {
            let _ = write!(out, " weight=\"{}\"", num(r.weight));
        }
        out.push_str(">\n");
        let tag = if r.inclusive { "INCLUDES" } else { "EXCLUDES" };
        for b in &r.bounds {
            // GENIUS bounds are integers; on an integer issue these are the same bounds.
            #[allow(clippy::cast_possible_truncation)]
            let (lo, hi) = (b.min.ceil() as i64, b.max.floor() as i64);
            let _ = writeln!(
                out,
                "{indent}\t\t<{tag} index=\"{}\" min=\"{lo}\" max=\"{hi}\"/>",
                IssueId::index(b.issue) + 1
            );
        }
        let _ = writeln!(out, "{indent}\t</hyperRectangle>");
    }
    for c in &f.children {
        ufun_xml(out, c, depth + 1);
    }
    let _ = writeln!(out, "{indent}</ufun>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writing::line;
    use truce_model::IssueDomain;

    fn issue(min: i64, max: i64) -> Issue {
        Issue::new("x", IssueDomain::integer(min, max, 1).unwrap())
    }

    #[test]
    fn lines_are_recognised_only_when_exact_over_the_range() {
        let i = issue(0, 10);
        assert_eq!(line(&i, &ValueFunction::linear(0.0, 0.0, 10.0, 1.0)), Some((0.0, 1.0)));
        assert_eq!(line(&i, &ValueFunction::linear(-10.0, 0.0, 20.0, 1.0)), Some((1.0 / 3.0, 2.0 / 3.0)));
        // Constant beyond its end point at 5: a bend inside the range.
        assert_eq!(line(&i, &ValueFunction::linear(0.0, 0.0, 5.0, 0.5)), None);
        // Spanning the range, a clamped line is what GENIUS computes: its unclamped end values.
        assert_eq!(line(&i, &ValueFunction::linear(0.0, 0.0, 10.0, 2.0)), Some((0.0, 2.0)));
        assert_eq!(line(&i, &ValueFunction::linear(0.0, 2.0, 10.0, 3.0)), Some((2.0, 3.0)));
        // Not spanning it: constant 0 below 2, then clamped at 1 from 6 on: bends.
        assert_eq!(line(&i, &ValueFunction::linear(2.0, 0.0, 10.0, 2.0)), None);
        // Not spanning it, but straight over the range after clamping.
        assert_eq!(line(&i, &ValueFunction::linear(2.0, 5.0, 10.0, 7.0)), Some((1.0, 1.0)));
        let kink = ValueFunction::PiecewiseLinear { points: vec![(0.0, 0.0), (5.0, 1.0), (10.0, 0.0)] };
        assert_eq!(line(&i, &kink), None);
        assert_eq!(triangle(&kink), Some((0.0, 5.0, 10.0)));
    }

    #[test]
    fn attributes_are_escaped_and_numbers_read_back_exactly() {
        assert_eq!(esc("a<\"b\">&'c'"), "a&lt;&quot;b&quot;&gt;&amp;&apos;c&apos;");
        for x in [0.1, 1.0 / 3.0, 1e-300, 123_456_789.0, -0.0, 2.5e20] {
            assert_eq!(num(x).parse::<f64>().unwrap(), x, "{x}");
        }
        assert_eq!(num(1.0), "1.0");
    }
}
