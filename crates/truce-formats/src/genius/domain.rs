//! The GENIUS domain file: the issues, as a `<negotiation_template>` (or a bare `<utility_space>`)
//! holding an `<objective>` whose `<issue>` children are discrete (`<item>`s), integer
//! (`lowerbound`/`upperbound`) or real (a `<range>`).

use std::collections::HashMap;
use std::path::Path;

use truce_model::{Issue, IssueDomain, IssueId, OutcomeSpace};

use super::xml::{self, Element};
use crate::report::{Hint, Report};
use crate::{Diagnostic, LoadFailure, Position};

/// How many evenly spaced grid values a real GENIUS issue gets (both bounds included): a tenth of the
/// range per step. Real issues stay continuous for proposals and agents; the grid is what analysis
/// enumerates.
pub const REAL_LEVELS: u32 = 11;

/// A GENIUS domain file, read.
#[derive(Clone, Debug)]
pub struct GeniusDomain {
    space: OutcomeSpace,
    indices: Vec<i64>,
    positions: Vec<Position>,
    agents: Vec<Agent>,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
}

/// An `<agent>` of a negotiation template: a display name for the profile it names.
#[derive(Clone, Debug)]
struct Agent {
    name: String,
    utility_space: String,
}

impl GeniusDomain {
    /// The issues, in file order.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// The issue with GENIUS index `index` (the `index` attribute profiles refer to).
    #[must_use]
    pub fn issue_by_index(&self, index: i64) -> Option<IssueId> {
        self.indices.iter().position(|&i| i == index).map(IssueId::from_index)
    }

    /// The GENIUS index of an issue.
    #[must_use]
    pub fn index_of(&self, issue: IssueId) -> i64 {
        self.indices[issue.index()]
    }

    /// Where an issue is defined in the domain file.
    #[must_use]
    pub fn position_of(&self, issue: IssueId) -> Position {
        self.positions[issue.index()]
    }

    /// The agent name the template gives the profile in `file_name`, if any.
    #[must_use]
    pub fn agent_name(&self, file_name: &str) -> Option<&str> {
        self.agents
            .iter()
            .find(|a| a.utility_space == file_name && !a.name.trim().is_empty())
            .map(|a| a.name.as_str())
    }
}

/// Reads a GENIUS domain file's text; `file` names it in diagnostics.
///
/// # Errors
/// Every problem found, when the text is not a usable domain.
pub fn parse_domain(text: &str, file: &Path) -> Result<GeniusDomain, LoadFailure> {
    let mut report = Report::new(file, text);
    let domain = match xml::parse(text) {
        Ok(root) => read_domain(&mut report, &root),
        Err(e) => {
            report.error("xml-syntax", e.offset, e.message);
            None
        }
    };
    let (mut domain, warnings) = report.finish(domain)?;
    domain.warnings = warnings;
    Ok(domain)
}

/// The three kinds of GENIUS issue (objectives are not issues).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Discrete,
    Integer,
    Real,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Discrete => "discrete",
            Self::Integer => "integer",
            Self::Real => "real",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "discrete" => Some(Self::Discrete),
            "integer" => Some(Self::Integer),
            "real" => Some(Self::Real),
            _ => None,
        }
    }
}

/// The kind an `<issue>` declares: its `type` attribute (what GENIUS reads), else `vtype`, else
/// `etype`. `Ok(None)` when it declares none; an error when the declared kind is unknown.
pub(crate) fn declared_kind(report: &mut Report<'_>, issue: &Element<'_>) -> Result<Option<Kind>, ()> {
    let declared: Vec<_> = ["type", "vtype", "etype"].iter().filter_map(|&name| issue.attr(name)).collect();
    let Some(first) = declared.first() else { return Ok(None) };
    let Some(kind) = Kind::parse(&first.value) else {
        report
            .error(
                "genius-unknown-issue-type",
                first.offset,
                format!("issue type `{}` is not one GENIUS issues have", first.value),
            )
            .hint("expected discrete, integer or real");
        return Err(());
    };
    if let Some(other) = declared.iter().find(|a| Kind::parse(&a.value).is_some_and(|k| k != kind)) {
        report.warning(
            "genius-conflicting-types",
            other.offset,
            format!(
                "`{}` says {} but `{}` says {}: read as {} (GENIUS reads `{}`)",
                other.name,
                other.value,
                first.name,
                first.value,
                kind.name(),
                first.name
            ),
        );
    }
    Ok(Some(kind))
}

/// The issues of an objective tree in document order (GENIUS' preorder), nested objectives included.
pub(crate) fn collect_issues<'e, 'a>(element: &'e Element<'a>, out: &mut Vec<&'e Element<'a>>) {
    for child in &element.children {
        match child.name {
            "issue" => out.push(child),
            "objective" => collect_issues(child, out),
            _ => {}
        }
    }
}

/// The element that holds the issues: the first `<objective>` of the utility space, or the utility
/// space itself when issues sit directly in it.
pub(crate) fn objective_of<'e, 'a>(utility_space: &'e Element<'a>) -> &'e Element<'a> {
    utility_space.child("objective").unwrap_or(utility_space)
}

fn read_domain(report: &mut Report<'_>, root: &Element<'_>) -> Option<GeniusDomain> {
    let utility_space = match root.name {
        "negotiation_template" => {
            let Some(us) = root.child("utility_space") else {
                report.error(
                    "genius-no-issues",
                    root.offset,
                    "the <negotiation_template> has no <utility_space> listing the issues",
                );
                return None;
            };
            us
        }
        "utility_space" => root,
        other => {
            report
                .error(
                    "genius-not-a-domain",
                    root.offset,
                    format!("the root element is <{other}>, not a GENIUS domain"),
                )
                .hint("a domain file's root is <negotiation_template> (or <utility_space>)");
            return None;
        }
    };
    let agents = root
        .children_named("agent")
        .filter_map(|a| {
            Some(Agent { name: a.get("name")?.to_owned(), utility_space: a.get("utility_space")?.to_owned() })
        })
        .collect();
    let mut elements = Vec::new();
    collect_issues(objective_of(utility_space), &mut elements);
    if elements.is_empty() {
        report.error("genius-no-issues", utility_space.offset, "the domain lists no <issue>");
        return None;
    }

    let mut issues = Vec::new();
    let mut indices = Vec::new();
    let mut positions = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut by_index: HashMap<i64, usize> = HashMap::new();
    let mut untyped = Vec::new();
    for element in elements {
        let (Some(index), Some(name)) = (report.integer(element, "index"), report.required(element, "name"))
        else {
            continue;
        };
        if let Some(&first) = by_index.get(&index) {
            report.error(
                "genius-duplicate-index",
                element.attr("index").map_or(element.offset, |a| a.offset),
                format!("issue `{name}` has index {index}, like issue `{}`", issues_name(&issues, first)),
            );
            continue;
        }
        if by_name.contains_key(name) {
            report.error("genius-duplicate-issue", element.offset, format!("two issues are called `{name}`"));
            continue;
        }
        let Ok(kind) = declared_kind(report, element) else { continue };
        let kind = kind.unwrap_or_else(|| {
            untyped.push(name.to_owned());
            infer_kind(element)
        });
        let Some(domain) = read_issue_domain(report, element, name, kind) else { continue };
        let mut issue = Issue::new(name, domain);
        issue.description = element.get("description").filter(|d| !d.trim().is_empty()).map(str::to_owned);
        by_name.insert(name.to_owned(), issues.len());
        by_index.insert(index, issues.len());
        issues.push(issue);
        indices.push(index);
        positions.push(Position::from_offset(report.text, element.offset));
    }
    if !untyped.is_empty() {
        report.warning(
            "genius-untyped-issue",
            objective_of(utility_space).offset,
            format!(
                "{} issue(s) declare no type ({}): read as discrete when they list items, as GENIUS does",
                untyped.len(),
                crate::diagnostic::summarise(&untyped)
            ),
        );
    }
    let mut sorted = indices.clone();
    sorted.sort_unstable();
    if !sorted.iter().zip(1..).all(|(&i, expected)| i == expected) && !report.has_errors() {
        report.warning(
            "genius-index-gap",
            objective_of(utility_space).offset,
            format!(
                "issue indices are {sorted:?}, not 1 to {}: Truce takes the issues in file order and inserts no \
                 placeholder issues for the gaps (NegMAS' lenient reader adds a one-value DUMMY_ISSUE)",
                sorted.len()
            ),
        );
    }
    if report.has_errors() {
        return None;
    }
    match OutcomeSpace::new(issues) {
        Ok(space) => Some(GeniusDomain { space, indices, positions, agents, warnings: Vec::new() }),
        Err(e) => {
            report.error("invalid-domain", utility_space.offset, e.to_string());
            None
        }
    }
}

fn issues_name(issues: &[Issue], i: usize) -> &str {
    issues.get(i).map_or("?", |issue| issue.name.as_str())
}

/// The kind of an issue that declares none: discrete when it lists items (GENIUS' default), else
/// integer or real from its bounds.
fn infer_kind(element: &Element<'_>) -> Kind {
    if element.child("item").is_some() {
        return Kind::Discrete;
    }
    let bound =
        element.get("lowerbound").or_else(|| element.child("range").and_then(|r| r.get("lowerbound")));
    match bound {
        Some(b) if b.trim().parse::<i64>().is_ok() => Kind::Integer,
        Some(_) => Kind::Real,
        None => Kind::Discrete,
    }
}

/// The bounds of a numeric issue: `lowerbound`/`upperbound` attributes, or a `<range>` child's.
pub(crate) fn bounds_element<'e, 'a>(element: &'e Element<'a>) -> Option<&'e Element<'a>> {
    if element.attr("lowerbound").is_some() || element.attr("upperbound").is_some() {
        Some(element)
    } else {
        element.child("range")
    }
}

fn read_issue_domain(
    report: &mut Report<'_>,
    element: &Element<'_>,
    name: &str,
    kind: Kind,
) -> Option<IssueDomain> {
    let built = match kind {
        Kind::Discrete => {
            let mut options: Vec<String> = Vec::new();
            // By hashing: a GENIUS issue may list hundreds of thousands of items.
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for item in element.children_named("item") {
                let Some(value) = report.required(item, "value") else { continue };
                if !seen.insert(value) {
                    report.warning(
                        "genius-duplicate-item",
                        item.offset,
                        format!("issue `{name}` lists `{value}` twice: the repetition is ignored"),
                    );
                } else {
                    options.push(value.to_owned());
                }
            }
            if options.is_empty() {
                report
                    .error(
                        "genius-empty-issue",
                        element.offset,
                        format!("discrete issue `{name}` lists no <item>"),
                    )
                    .hint("give it at least one <item value=\"...\"/>");
                return None;
            }
            IssueDomain::discrete(options, false)
        }
        Kind::Integer | Kind::Real => {
            let Some(bounds) = bounds_element(element) else {
                report
                    .error(
                        "genius-missing-bounds",
                        element.offset,
                        format!("{} issue `{name}` has no bounds", kind.name()),
                    )
                    .hint("give lowerbound and upperbound attributes (or a <range lowerbound upperbound> child)");
                return None;
            };
            if kind == Kind::Integer {
                let (lo, hi) = (report.integer(bounds, "lowerbound"), report.integer(bounds, "upperbound"));
                IssueDomain::integer(lo?, hi?, 1)
            } else {
                let (lo, hi) = (report.number(bounds, "lowerbound"), report.number(bounds, "upperbound"));
                let (lo, hi) = (lo?, hi?);
                let levels = if lo == hi { 1 } else { REAL_LEVELS };
                if lo < hi {
                    report.warning(
                        "genius-real-grid",
                        element.offset,
                        format!(
                            "real issue `{name}` ranges over [{lo}, {hi}]: analysis enumerates {REAL_LEVELS} evenly \
                             spaced values of it; utilities of other values stay exact"
                        ),
                    );
                }
                IssueDomain::real(lo, hi, levels)
            }
        }
    };
    match built {
        Ok(domain) => Some(domain),
        Err(e) => {
            report.error("invalid-issue", element.offset, format!("issue `{name}`: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<GeniusDomain, LoadFailure> {
        parse_domain(text, Path::new("domain.xml"))
    }

    #[test]
    fn reads_discrete_integer_and_real_issues_in_file_order() {
        let text = r#"<negotiation_template>
  <agent name="Buyer" utility_space="buyer.xml"/>
  <utility_space><objective index="0" name="root">
    <issue index="2" name="colour" type="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
    <issue index="1" name="price" type="integer" lowerbound="3" upperbound="7"/>
    <issue index="3" name="time" vtype="real"><range lowerbound="10" upperbound="40"/></issue>
  </objective></utility_space>
</negotiation_template>"#;
        let d = parse(text).unwrap();
        let names: Vec<_> = d.space().issues().iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["colour", "price", "time"]);
        assert_eq!(d.space().radices(), &[2, 5, REAL_LEVELS]);
        assert_eq!(d.issue_by_index(1), Some(IssueId(1)));
        assert_eq!(d.index_of(IssueId(0)), 2);
        assert_eq!(d.position_of(IssueId(1)), Position { line: 5, column: 5 });
        assert_eq!(d.agent_name("buyer.xml"), Some("Buyer"));
        let codes: Vec<_> = d.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["genius-real-grid"]);
    }

    #[test]
    fn untyped_issues_with_items_are_discrete_with_a_warning() {
        let d = parse(
            r#"<negotiation_template><utility_space><objective index="1">
            <issue index="2" name="a"><item index="1" value="x"/><item index="2" value="x"/><item value="y"/></issue>
            </objective></utility_space></negotiation_template>"#,
        )
        .unwrap();
        assert_eq!(d.space().issue(IssueId(0)).domain().options().unwrap(), ["x", "y"]);
        let codes: Vec<_> = d.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["genius-untyped-issue", "genius-index-gap", "genius-duplicate-item"]);
    }

    #[test]
    fn bad_domains_fail_with_positions() {
        let err = parse("<negotiation_template><utility_space><objective>\n<issue index=\"1\" name=\"a\" type=\"integer\" lowerbound=\"x\" upperbound=\"3\"/>\n</objective></utility_space></negotiation_template>").unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!((d.code, d.position), ("genius-invalid-number", Some(Position { line: 2, column: 42 })));

        let err = parse("<negotiation_template><utility_space><objective><issue index=\"1\" name=\"a\"/></objective></utility_space></negotiation_template>").unwrap_err();
        let first_error = err.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(first_error.code, "genius-empty-issue");

        let err = parse("<foo/>").unwrap_err();
        assert_eq!(err.diagnostics[0].code, "genius-not-a-domain");

        let err = parse("<negotiation_template><utility_space><objective><issue index=\"1\" name=\"a\" type=\"integer\" lowerbound=\"0\" upperbound=\"99999999999\"/></objective></utility_space></negotiation_template>").unwrap_err();
        assert_eq!(err.diagnostics[0].code, "invalid-issue");
        assert!(err.diagnostics[0].message.contains("at most"), "{}", err.diagnostics[0].message);
    }
}
