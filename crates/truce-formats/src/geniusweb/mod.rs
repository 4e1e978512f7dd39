//! GeniusWeb JSON (the successor of GENIUS, TU Delft): linear additive profiles over a domain.
//!
//! On disk, as GeniusWeb's profile server and NegMAS lay them out: a folder holding one domain file
//! (`{"name": ..., "issuesValues": {...}}`) and one profile per party
//! (`{"LinearAdditiveUtilitySpace": {...}}`, which also embeds the domain). A single profile file is
//! read as a case with one party. Parties are the profiles in file-name order, their ids the file
//! stems, their names the profiles' `name`s.
//!
//! Semantics follow GeniusWeb: `u(bid) = sum_i w_i * u_i(v_i)` where discrete utilities are used as
//! written (in [0, 1], not divided by their maximum), and `numberutils` interpolate linearly between
//! the utilities of the low and the high value. The reservation value is the utility of the
//! `reservationBid` (0 without one). Number value sets (`{"range": {low, high, step}}`) become integer
//! issues when all three are integers, real issues with one grid value per step otherwise.
//! NegMAS' extra keys `reserved_value` and `discount_factor` are read too.
//!
//! ```no_run
//! let loaded = truce_formats::geniusweb::load(std::path::Path::new("jobs"))?;
//! println!("{} parties", loaded.case.parties.len());
//! # Ok::<(), truce_formats::LoadFailure>(())
//! ```

mod raw;
mod write;

use std::path::Path;

use truce_model::{
    AdditiveUtility, Case, Domain, Issue, IssueDomain, IssueUtility, Location, MAX_ISSUE_VALUES,
    OutcomeSpace, PartyId, Preferences, Utility, Value, ValueFunction,
};

pub use write::save;

use crate::folder::{case_id, file_name, locate_profile, negotiator};
use crate::load::Files;
use crate::report::{Hint, Report, read_text};
use crate::{Diagnostic, Format, LoadFailure, Loaded, Position, SourceMap, Sources};
use raw::{RawDomain, RawLinearAdditive, RawProfileFile, RawValue, RawValueSetUtilities};

/// A GeniusWeb domain, read.
#[derive(Clone, Debug)]
pub struct GeniusWebDomain {
    name: String,
    space: OutcomeSpace,
    positions: Vec<Option<Position>>,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
}

impl GeniusWebDomain {
    /// The domain's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The issues, in file order.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// Whether two domains have the same issues with the same values.
    fn same_issues(&self, other: &Self) -> bool {
        self.space.issues().len() == other.space.issues().len()
            && self.space.issues().iter().all(|i| {
                other.space.issue_id(&i.name).is_some_and(|j| other.space.issue(j).domain() == i.domain())
            })
    }
}

/// A GeniusWeb profile, read.
#[derive(Clone, Debug)]
pub struct GeniusWebProfile {
    /// The profile's `name`.
    pub name: Option<String>,
    /// The party's preferences, over the domain given to [`parse_profile`] (or the embedded one).
    pub preferences: Preferences,
    /// The domain the profile embeds, if any.
    pub domain: Option<GeniusWebDomain>,
    /// Lenient readings of known quirks.
    pub warnings: Vec<Diagnostic>,
    issues: Vec<Option<Position>>,
}

/// Reads a GeniusWeb domain file's text; `file` names it in diagnostics.
///
/// # Errors
/// Every problem found, when the text is not a usable domain.
pub fn parse_domain(text: &str, file: &Path) -> Result<GeniusWebDomain, LoadFailure> {
    let mut report = Report::new(file, text);
    let domain = match serde_json::from_str::<RawDomain>(text) {
        Ok(raw) => build_domain(&mut report, &raw, &[]),
        Err(e) => {
            json_error(&mut report, &e);
            None
        }
    };
    let (mut domain, warnings) = report.finish(domain)?;
    domain.warnings = warnings;
    Ok(domain)
}

/// Reads a GeniusWeb profile's text, over `domain` (or, when `None`, over the domain the profile
/// embeds); `file` names it in diagnostics.
///
/// # Errors
/// Every problem found, when the text is not a usable profile.
pub fn parse_profile(
    text: &str,
    file: &Path,
    domain: Option<&GeniusWebDomain>,
) -> Result<GeniusWebProfile, LoadFailure> {
    let mut report = Report::new(file, text);
    let profile = match serde_json::from_str::<RawProfileFile>(text) {
        Ok(RawProfileFile::LinearAdditive(raw)) => build_profile(&mut report, &raw, domain),
        Ok(RawProfileFile::Other(kind)) => {
            report
                .error("geniusweb-unsupported-profile", 0, format!("`{kind}` profiles are not supported"))
                .hint("Truce reads GeniusWeb's LinearAdditiveUtilitySpace profiles");
            None
        }
        Err(e) => {
            json_error(&mut report, &e);
            None
        }
    };
    let (mut profile, warnings) = report.finish(profile)?;
    profile.warnings = warnings;
    Ok(profile)
}

/// A serde_json error at its line and column.
fn json_error(report: &mut Report<'_>, e: &serde_json::Error) {
    let message = e.to_string();
    let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]).to_owned();
    let code = if e.is_data() { "geniusweb-invalid" } else { "json-syntax" };
    let d = report.error(code, None, message);
    if e.line() > 0 {
        d.position = Some(Position { line: e.line(), column: e.column().max(1) });
    }
}

/// The byte offset of the value of the JSON key path `keys` (each key searched after the previous
/// one): good enough to point a reader at an issue named in a message.
fn key_offset(text: &str, keys: &[&str]) -> Option<usize> {
    let mut at = 0;
    for key in keys {
        let quoted = serde_json::to_string(key).ok()?;
        at += text.get(at..)?.find(&quoted)?;
    }
    Some(at)
}

fn build_domain(report: &mut Report<'_>, raw: &RawDomain, path: &[&str]) -> Option<GeniusWebDomain> {
    let mut issues = Vec::new();
    let mut positions = Vec::new();
    for (name, set) in &raw.issues_values.0 {
        let keys: Vec<&str> = path.iter().copied().chain(["issuesValues", name.as_str()]).collect();
        let offset = key_offset(report.text, &keys);
        let domain = match (&set.values, &set.range) {
            (Some(values), None) => {
                let mut options: Vec<String> = Vec::new();
                for v in values {
                    if options.contains(v) {
                        report.warning(
                            "geniusweb-duplicate-value",
                            offset,
                            format!("issue `{name}` lists `{v}` twice: the repetition is ignored"),
                        );
                    } else {
                        options.push(v.clone());
                    }
                }
                IssueDomain::discrete(options, false)
            }
            (None, Some(range)) => number_domain(report, name, range, offset)?,
            _ => {
                report
                    .error("geniusweb-invalid", offset, format!("issue `{name}` needs either `values` or a `range`"))
                    .hint("{\"values\": [\"a\", \"b\"]} or {\"range\": {\"low\": 0, \"high\": 10, \"step\": 1}}");
                continue;
            }
        };
        match domain {
            Ok(d) => {
                issues.push(Issue::new(name, d));
                positions.push(offset.map(|o| Position::from_offset(report.text, o)));
            }
            Err(e) => {
                report.error("invalid-issue", offset, format!("issue `{name}`: {e}"));
            }
        }
    }
    if report.has_errors() {
        return None;
    }
    match OutcomeSpace::new(issues) {
        Ok(space) => Some(GeniusWebDomain { name: raw.name.clone(), space, positions, warnings: Vec::new() }),
        Err(e) => {
            let keys = [path, &["issuesValues"]].concat();
            report.error("invalid-domain", key_offset(report.text, &keys), e.to_string());
            None
        }
    }
}

/// A GeniusWeb number range `low, low + step, ..., <= high`: integer when all three are integers,
/// real with one grid value per step otherwise.
fn number_domain(
    report: &mut Report<'_>,
    name: &str,
    range: &raw::RawRange,
    offset: Option<usize>,
) -> Option<Result<IssueDomain, truce_model::ModelError>> {
    let (low, high, step) = (range.low.0, range.high.0, range.step.0);
    if step <= 0.0 || high < low {
        report.error(
            "geniusweb-invalid",
            offset,
            format!(
                "the range of `{name}` ({low} to {high} by {step}) needs low <= high and a positive step"
            ),
        );
        return None;
    }
    let n = (high - low) / step;
    let steps = if (n - n.round()).abs() <= 1e-9 * n.abs().max(1.0) { n.round() } else { n.floor() };
    #[allow(clippy::cast_precision_loss)]
    if steps + 1.0 > MAX_ISSUE_VALUES as f64 {
        report.error(
            "invalid-issue",
            offset,
            format!(
                "the range of `{name}` has {} values; at most {MAX_ISSUE_VALUES} are supported",
                steps + 1.0
            ),
        );
        return None;
    }
    // When the range ends on its step, its last value *is* `high`: `low + steps * step` may miss it by
    // an ulp, and a profile giving `high` as its `highValue` must still fit the issue.
    let top = if steps == n.round() { high } else { low + steps * step };
    if steps != n.round() {
        report.warning(
            "geniusweb-range-top",
            offset,
            format!("the range of `{name}` ends at {high}, off its step: its last value is {top}"),
        );
    }
    let integral = |x: f64| x == x.trunc() && x.abs() < 9.0e15;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(if integral(low) && integral(step) && integral(top) {
        IssueDomain::integer(low as i64, top as i64, step as i64)
    } else {
        IssueDomain::real(low, if steps == 0.0 { low } else { top }, steps as u32 + 1)
    })
}

fn build_profile(
    report: &mut Report<'_>,
    raw: &RawLinearAdditive,
    given: Option<&GeniusWebDomain>,
) -> Option<GeniusWebProfile> {
    let embedded = match &raw.domain {
        Some(d) => build_domain(report, d, &["domain"]),
        None => None,
    };
    let domain = match (given, &embedded) {
        (Some(given), Some(embedded)) => {
            if !given.same_issues(embedded) {
                report
                    .error(
                        "geniusweb-domain-mismatch",
                        key_offset(report.text, &["domain"]),
                        format!(
                            "the profile embeds domain `{}`, whose issues differ from those of domain `{}`",
                            embedded.name, given.name
                        ),
                    )
                    .hint("profiles in one folder must share the domain file's issues and values");
                return None;
            }
            given
        }
        (Some(given), None) => given,
        (None, Some(embedded)) => embedded,
        (None, None) => {
            report
                .error(
                    "geniusweb-no-domain",
                    0,
                    "the profile embeds no `domain` and no domain file was given",
                )
                .hint("put the domain file (with `issuesValues`) in the same folder");
            return None;
        }
    };
    let space = domain.space();
    let mut issues = Vec::with_capacity(space.len());
    let mut positions = Vec::with_capacity(space.len());
    for (name, _) in &raw.issue_utilities.0 {
        if space.issue_id(name).is_none() {
            report.error(
                "geniusweb-unknown-issue",
                key_offset(report.text, &["issueUtilities", name]),
                format!("the profile gives utilities for `{name}`, which the domain does not have"),
            );
        }
    }
    for (name, _) in &raw.issue_weights.0 {
        if space.issue_id(name).is_none() {
            report.error(
                "geniusweb-unknown-issue",
                key_offset(report.text, &["issueWeights", name]),
                format!("the profile weighs `{name}`, which the domain does not have"),
            );
        }
    }
    for issue in space.issues() {
        let at = key_offset(report.text, &["issueUtilities", &issue.name]);
        let (Some(utils), Some(weight)) =
            (raw.issue_utilities.get(&issue.name), raw.issue_weights.get(&issue.name))
        else {
            report
                .error(
                    "geniusweb-missing-issue",
                    key_offset(report.text, &["issueUtilities"]),
                    format!("the profile gives no utilities or no weight for `{}`", issue.name),
                )
                .hint("every issue of the domain needs issueUtilities and issueWeights entries");
            continue;
        };
        let Some((value, scale)) = value_function(report, issue, utils, at) else { continue };
        issues.push(IssueUtility { weight: weight.0 * scale, value });
        positions.push(at.map(|o| Position::from_offset(report.text, o)));
    }
    if report.has_errors() {
        return None;
    }
    let mut preferences = Preferences::new(Utility::Additive(AdditiveUtility { issues }));
    let truce_domain = Domain::unphased(space.clone());
    preferences.reservation = match (&raw.reservation_bid, raw.reserved_value) {
        (Some(bid), Some(value)) => {
            let of_bid = bid_utility(report, &preferences, &truce_domain, bid)?;
            if (of_bid - value.0).abs() <= 1e-9 {
                value.0 // the exact value the bid stands for
            } else {
                report.warning(
                    "geniusweb-reservation-conflict",
                    key_offset(report.text, &["reserved_value"]),
                    format!(
                        "reserved_value {} differs from the utility {of_bid} of the reservation bid: the bid's is used, \
                         as in GeniusWeb and NegMAS",
                        value.0
                    ),
                );
                of_bid
            }
        }
        (Some(bid), None) => bid_utility(report, &preferences, &truce_domain, bid)?,
        (None, Some(value)) => value.0,
        (None, None) => 0.0,
    };
    preferences.discount = raw.discount_factor.and_then(|d| {
        if !(0.0..=1.0).contains(&d.0) {
            report.warning(
                "geniusweb-discount-discarded",
                key_offset(report.text, &["discount_factor"]),
                format!("discount factor {} is outside [0, 1]: no discounting", d.0),
            );
        }
        (d.0 > 0.0 && d.0 < 1.0).then_some(d.0)
    });
    Some(GeniusWebProfile {
        name: raw.name.clone(),
        preferences,
        domain: embedded,
        warnings: Vec::new(),
        issues: positions,
    })
}

/// The value function of one issue and the factor its weight is scaled by: discrete utilities are
/// absolute in GeniusWeb, while Truce tables are divided by their maximum.
fn value_function(
    report: &mut Report<'_>,
    issue: &Issue,
    utils: &RawValueSetUtilities,
    at: Option<usize>,
) -> Option<(ValueFunction, f64)> {
    let name = &issue.name;
    match (utils, issue.domain()) {
        (RawValueSetUtilities::Discrete(map), IssueDomain::Discrete(_)) => {
            let options = issue.domain().options().unwrap_or_default();
            let mut scores = vec![None; options.len()];
            for (value, u) in &map.0 {
                match options.iter().position(|o| o == value) {
                    Some(i) => scores[i] = Some(u.0),
                    None => {
                        report.warning(
                            "geniusweb-unknown-value",
                            at,
                            format!("`{value}` is not a value of `{name}`: its utility is ignored"),
                        );
                    }
                }
            }
            let missing: Vec<_> = options
                .iter()
                .zip(&scores)
                .filter(|(_, s)| s.is_none())
                .map(|(o, _)| format!("`{o}`"))
                .collect();
            if !missing.is_empty() {
                report.warning(
                    "geniusweb-missing-utility",
                    at,
                    format!(
                        "{} of `{name}` ha(s) no utility: 0, as in GeniusWeb",
                        crate::diagnostic::summarise(&missing)
                    ),
                );
            }
            let scores: Vec<f64> = scores.into_iter().map(|s| s.unwrap_or(0.0)).collect();
            let max = scores.iter().copied().fold(0.0_f64, f64::max);
            Some((ValueFunction::Table { scores }, if max > 0.0 { max } else { 1.0 }))
        }
        (RawValueSetUtilities::Number(n), d) if d.is_numeric() => {
            let (low, high) = (n.low_value.0, n.high_value.0);
            if high <= low {
                report.error(
                    "geniusweb-invalid",
                    at,
                    format!(
                        "the number utilities of `{name}` need highValue > lowValue, got {low} and {high}"
                    ),
                );
                return None;
            }
            let (min, max) = d.numeric_bounds()?;
            if min < low || max > high {
                report
                    .error(
                        "geniusweb-not-fitting",
                        at,
                        format!(
                            "the utilities of `{name}` cover {low} to {high} but its values range from {min} to {max}: \
                             GeniusWeb scores values outside that interval 0"
                        ),
                    )
                    .hint("give lowValue and highValue the bounds of the issue's range");
                return None;
            }
            if min > low || max < high {
                report.warning(
                    "geniusweb-not-fitting",
                    at,
                    format!(
                        "the utilities of `{name}` cover {low} to {high}, wider than its range {min} to {max}"
                    ),
                );
            }
            Some((ValueFunction::linear(low, n.low_utility.0, high, n.high_utility.0), 1.0))
        }
        (RawValueSetUtilities::Discrete(_), _) => {
            report.error(
                "geniusweb-kind-mismatch",
                at,
                format!("`{name}` is a number issue but the profile gives it discrete utilities"),
            );
            None
        }
        (RawValueSetUtilities::Number(_), _) => {
            report.error(
                "geniusweb-kind-mismatch",
                at,
                format!("`{name}` is a discrete issue but the profile gives it number utilities"),
            );
            None
        }
    }
}

/// The utility of a (possibly partial) reservation bid, as GeniusWeb sums the issues it holds.
fn bid_utility(
    report: &mut Report<'_>,
    preferences: &Preferences,
    domain: &Domain,
    bid: &raw::RawBid,
) -> Option<f64> {
    let space = domain.space();
    let Utility::Additive(additive) = &preferences.utility else { return Some(0.0) };
    let mut total = 0.0;
    for (name, raw) in &bid.issuevalues.0 {
        let at = key_offset(report.text, &["reservationBid", name]);
        let Some(id) = space.issue_id(name) else {
            report.error(
                "geniusweb-unknown-issue",
                at,
                format!("the reservation bid sets `{name}`, which the domain does not have"),
            );
            continue;
        };
        let issue = space.issue(id);
        let value = match (raw, issue.domain()) {
            (RawValue::Text(t), IssueDomain::Discrete(_)) => {
                issue.domain().option_index(t).map(Value::Option)
            }
            #[allow(clippy::cast_possible_truncation)]
            (RawValue::Number(x), IssueDomain::Integer(_)) if *x == x.trunc() => Some(Value::Int(*x as i64)),
            (RawValue::Number(x), IssueDomain::Real(_)) => Some(Value::Real(*x)),
            _ => None,
        };
        let score = value.filter(|v| issue.domain().contains(*v)).and_then(|v| {
            additive.issues.get(id.index()).and_then(|iu| iu.value.score(issue, v).map(|s| iu.weight * s))
        });
        match score {
            Some(s) => total += s,
            None => {
                report.error(
                    "geniusweb-invalid",
                    at,
                    format!("the reservation bid's value for `{name}` is not one of its values"),
                );
            }
        }
    }
    Some(total)
}

/// What a JSON file of a GeniusWeb folder holds.
enum FileKind {
    Domain,
    Profile,
    Other,
}

fn classify(text: &str) -> Result<FileKind, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    Ok(match value.as_object() {
        Some(o) if o.contains_key("issuesValues") => FileKind::Domain,
        Some(o)
            if o.len() == 1 && o.keys().all(|k| k.ends_with("UtilitySpace") || k.ends_with("Ordering")) =>
        {
            FileKind::Profile
        }
        _ => FileKind::Other,
    })
}

/// Reads the GeniusWeb folder (or single profile file) at `path`.
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
    let files = files_in.list(path, &["json"])?;
    let mut diagnostics = Vec::new();
    let mut domain_files = Vec::new();
    let mut profile_files = Vec::new();
    for file in files {
        let text = match files_in.read(&file, read_text) {
            Ok(t) => t,
            Err(f) => {
                diagnostics.push(f);
                continue;
            }
        };
        match classify(&text) {
            Ok(FileKind::Domain) => domain_files.push((file, text)),
            Ok(FileKind::Profile) => profile_files.push((file, text)),
            Ok(FileKind::Other) => diagnostics.push(Diagnostic::warning(
                "geniusweb-ignored-file",
                &file,
                "neither a GeniusWeb domain (with `issuesValues`) nor a profile: file ignored",
            )),
            Err(e) => {
                let mut report = Report::new(&file, &text);
                json_error(&mut report, &e);
                diagnostics.extend(report.diagnostics);
            }
        }
    }
    if domain_files.len() > 1 {
        let names: Vec<_> = domain_files.iter().map(|(f, _)| file_name(f)).collect();
        diagnostics.push(Diagnostic::error(
            "geniusweb-two-domains",
            path,
            format!("{} domain files ({}): expected one", names.len(), names.join(", ")),
        ));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure::new(path, diagnostics));
    }
    let mut source_map = SourceMap::new(path);
    let mut domain = match domain_files.first() {
        Some((file, text)) => match parse_domain(text, file) {
            Ok(d) => {
                diagnostics.extend(d.warnings.iter().cloned());
                source_map.insert(Location::Case, file, None);
                for issue in d.space().issue_ids() {
                    source_map.insert(Location::Issue { issue }, file, d.positions[issue.index()]);
                }
                Some(d)
            }
            Err(f) => {
                diagnostics.extend(f.diagnostics);
                return Err(LoadFailure::new(path, diagnostics));
            }
        },
        None => None,
    };
    let mut parties = Vec::new();
    for (file, text) in &profile_files {
        match parse_profile(text, file, domain.as_ref()) {
            Ok(profile) => {
                diagnostics.extend(profile.warnings.iter().cloned());
                if domain.is_none() {
                    // The first profile's embedded domain is the case's.
                    domain = profile.domain.clone();
                    if let Some(d) = &domain {
                        source_map.insert(Location::Case, file, None);
                        for issue in d.space().issue_ids() {
                            source_map.insert(Location::Issue { issue }, file, d.positions[issue.index()]);
                        }
                    }
                }
                let party = PartyId::from_index(parties.len());
                let root = Position { line: 1, column: 1 };
                locate_profile(&mut source_map, file, party, root, profile.issues.iter().copied());
                parties.push(negotiator(file, profile.name.clone(), profile.preferences));
            }
            Err(f) => diagnostics.extend(f.diagnostics),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure::new(path, diagnostics));
    }
    let Some(domain) = domain else {
        diagnostics.push(
            Diagnostic::error("geniusweb-no-domain", path, "no GeniusWeb domain or profile found")
                .with_hint("a GeniusWeb folder holds a domain file (with `issuesValues`) and LinearAdditiveUtilitySpace profiles"),
        );
        return Err(LoadFailure::new(path, diagnostics));
    };
    if parties.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "geniusweb-no-profiles",
            path,
            "no profiles: the case has no parties",
        ));
    }
    let id = case_id(path, "geniusweb-domain");
    let mut case = Case::new(&id, &id, Domain::unphased(domain.space().clone()), parties);
    case.description = Some(format!("GeniusWeb domain `{}`", domain.name()));
    Ok(Loaded {
        case,
        format: Format::GeniusWebJson,
        warnings: diagnostics,
        source_map,
        sources: Sources::new(),
    })
}
