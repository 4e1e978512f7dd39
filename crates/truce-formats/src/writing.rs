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

/// The parties a writer can write, the warnings and the errors found so far.
pub(crate) type Writable<'c> = (Vec<&'c Party>, Vec<Diagnostic>, Vec<Diagnostic>);

/// What every writer checks first: the case's model errors (which refuse it at once), then the
/// parties it can write ([`writable_parties`]), with the warnings and errors found so far for the
/// writer to add its own to.
pub(crate) fn writable<'c>(
    case: &'c Case,
    path: &Path,
    format: &str,
) -> Result<Writable<'c>, crate::LoadFailure> {
    let mut errors = model_errors(case, path);
    if !errors.is_empty() {
        return Err(crate::LoadFailure::new(path, errors));
    }
    let mut warnings = Vec::new();
    let parties = writable_parties(case, path, format, &mut warnings, &mut errors);
    Ok((parties, warnings, errors))
}

/// Refuses every party with a hyper-rectangle utility, which a format of linear additive profiles
/// cannot hold (`why`, after the party's id).
pub(crate) fn refuse_rectangles(parties: &[&Party], path: &Path, why: &str, errors: &mut Vec<Diagnostic>) {
    for party in parties {
        if matches!(party.preferences.as_ref().map(|p| &p.utility), Some(truce_model::Utility::Rectangles(_)))
        {
            errors.push(
                Diagnostic::error("unsupported", path, format!("`{}` has {why}", party.id))
                    .with_hint("write GENIUS XML, which holds the ANAC 2014 nonlinear profiles"),
            );
        }
    }
}

/// Refuses an issue that would have to be listed value by value past [`MAX_TABLE_VALUES`].
pub(crate) fn too_many_values(issue: &Issue, path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(
        "unsupported",
        path,
        format!("`{}` {what} {} values (more than {MAX_TABLE_VALUES})", issue.name, issue.cardinality()),
    )
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
                .with_hint("set every continuation probability to 1, fold them into the weights (`truce convert --flatten`), or convert to Truce TOML"),
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
    let positions: usize = case.parties.iter().map(|p| p.stated_positions.len()).sum();
    if positions > 0 {
        dropped.push(format!("{positions} stated position(s)"));
    }
    if !case.domain.phases().is_empty() {
        dropped.push(format!("{} phase(s)", case.domain.phases().len()));
    }
    let conditions: usize = case
        .parties
        .iter()
        .filter_map(|p| p.preferences.as_ref())
        .flat_map(|p| &p.red_lines)
        .filter(|r| !r.conditions.is_empty() || r.is_dated())
        .count();
    if conditions > 0 {
        dropped.push(format!("the conditions and dates of {conditions} red line(s)"));
    }
    let constituencies: usize = case.parties.iter().map(|p| p.constituencies.len()).sum();
    if constituencies > 0 {
        dropped.push(format!("{constituencies} constituenc(ies) and their approval rules"));
    }
    if !case.proposals.is_empty() {
        dropped.push(format!("{} proposal(s)", case.proposals.len()));
    }
    let provisions: usize = case
        .proposals
        .iter()
        .flat_map(|p| &p.terms)
        .filter(|t| t.provision != truce_model::Provision::default())
        .count();
    if provisions > 0 {
        dropped.push(format!("the provisions (days, schedules, rates, conditions) of {provisions} term(s)"));
    }
    if !case.state_of_play.is_empty() {
        dropped.push(format!("{} state-of-play record(s)", case.state_of_play.len()));
    }
    if !case.agreements.is_empty() {
        dropped.push(format!("{} signed agreement(s) and their commitments", case.agreements.len()));
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

/// How much a flattened party's utility may differ from its phased one: `None` when the fold is
/// exact (every belief a fixed probability).
#[derive(Clone, Debug, PartialEq)]
pub struct Folded {
    /// The party's id.
    pub party: String,
    /// The largest difference between the flattened and the phased utility of any outcome, when the
    /// fold is approximate.
    pub bound: Option<f64>,
}

/// The case with its phases and beliefs folded into one profile per party, for the formats that
/// have no phases (GENIUS, GeniusWeb, NegMAS): each additive weight is multiplied by the probability
/// of reaching its issue's phase. Exact when every belief is a fixed probability; a belief that
/// depends on an issue's value is folded at its mean over that issue's values, and the largest
/// difference it can make is returned (`Folded::bound`). The phases are dropped, and with them the
/// terms' provisions (their days are days of a phase); everything else stays, for the writer to write
/// or report as dropped, but the signed agreements, whose commitments rest on the provisions and the
/// phases. [`flattened_warning`] says what was folded and lost, those included.
#[must_use]
pub fn flatten(case: &Case) -> (Case, Vec<Folded>) {
    let domain = &case.domain;
    let mut flat = case.clone();
    let mut folded = Vec::new();
    for party in &mut flat.parties {
        let Some(prefs) = &mut party.preferences else { continue };
        if !prefs.is_phase_weighted(domain) {
            prefs.continuation.clear();
            continue;
        }
        let truce_model::Utility::Additive(additive) = &mut prefs.utility else { continue };
        // Each transition at its mean, and its lowest and highest.
        let (mut mean, mut low, mut high) = (1.0, 1.0, 1.0);
        let mut reach = Vec::with_capacity(domain.phases().len());
        let mut exact = true;
        for k in 0..domain.phases().len() {
            reach.push((mean, low, high));
            let Some(c) = prefs.continuation.get(k) else { continue };
            let ps: Vec<f64> = match &c.probability {
                truce_model::Probability::Fixed(p) => vec![*p],
                truce_model::Probability::ByIssue { values, .. } => {
                    exact &= values.windows(2).all(|w| w[0] == w[1]);
                    values.clone()
                }
            };
            let ps: Vec<f64> =
                ps.into_iter().map(|p| if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }).collect();
            if ps.is_empty() {
                continue;
            }
            mean *= ps.iter().sum::<f64>() / ps.len() as f64;
            low *= ps.iter().copied().fold(f64::INFINITY, f64::min);
            high *= ps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        let mut bound = 0.0;
        for (i, iu) in additive.issues.iter_mut().enumerate() {
            let Some(phase) = domain.phase_of(truce_model::IssueId::from_index(i)) else { continue };
            let Some(&(m, lo, hi)) = reach.get(phase.index()) else { continue };
            // The largest score of the issue (looked for only when the fold is approximate).
            let best = match domain.space().issues().get(i) {
                Some(issue) if !exact && issue.cardinality() <= MAX_TABLE_VALUES => {
                    let scorer = iu.value.scorer();
                    (0..issue.cardinality()).map(|d| scorer.grid_score(issue, d).abs()).fold(0.0, f64::max)
                }
                _ => 1.0,
            };
            bound += iu.weight.abs() * best * (hi - m).max(m - lo);
            iu.weight *= m;
        }
        prefs.continuation.clear();
        folded.push(Folded { party: party.id.clone(), bound: (!exact).then_some(bound) });
    }
    flat.domain = truce_model::Domain::unphased(case.space().clone());
    for term in flat.proposals.iter_mut().flat_map(|p| &mut p.terms) {
        term.provision = truce_model::Provision::default();
    }
    // A signed agreement's commitments are read from the provisions and the phase calendar, both
    // gone: it goes with them (the dropped-parts warning lists it).
    flat.agreements.clear();
    (flat, folded)
}

/// The warning `--flatten` gives (code `flattened`): the phases folded, each party's beliefs folded
/// exactly or within a bound, and the provisions lost with the phases; `None` when nothing was.
#[must_use]
pub fn flattened_warning(case: &Case, folded: &[Folded], path: &Path) -> Option<Diagnostic> {
    let provisions = case
        .proposals
        .iter()
        .flat_map(|p| &p.terms)
        .filter(|t| t.provision != truce_model::Provision::default())
        .count();
    if case.domain.phases().is_empty() && folded.is_empty() && provisions == 0 {
        return None;
    }
    let mut parts =
        vec![format!("{} phase(s) folded into one profile per party", case.domain.phases().len())];
    for f in folded {
        parts.push(match f.bound {
            None => format!("`{}`'s beliefs folded into its weights exactly", f.party),
            Some(b) => format!(
                "`{}`'s beliefs depend on an issue's value: folded at their mean, so its utilities may move by up to {b:.4}",
                f.party
            ),
        });
    }
    if provisions > 0 {
        parts.push(format!(
            "the provisions (days, schedules, rates, conditions) of {provisions} term(s) dropped"
        ));
    }
    if !case.agreements.is_empty() {
        parts.push(format!(
            "{} signed agreement(s) dropped with them (their commitments are read from the provisions)",
            case.agreements.len()
        ));
    }
    Some(Diagnostic::warning("flattened", path, parts.join("; ")).with_hint(
        "keep the Truce TOML case as the record: the flattened profiles value outcomes without phases",
    ))
}
