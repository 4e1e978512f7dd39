//! Analysing a case (`truce analyze`) and evaluating one outcome against it; during a signed
//! agreement, at the state of play its event logs give (`truce analyze --at DATE --events FILE...`).

use std::path::PathBuf;

use truce_analysis::monitor::PlayFromEvents;
use truce_analysis::{Analysis, AnalysisError, Evaluation, Findings, Limits, Progress, Setting};
use truce_model::{Case, PartialDate};

use crate::{Error, ErrorKind, Valid};

/// What to compute. `Default` is what `truce analyze` does with no options.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyzeOptions {
    /// The date whose red lines count (`None`: the case's `as_of`).
    pub at: Option<PartialDate>,
    /// Bridging packages to propose each way (0: none).
    pub bridging: usize,
    /// Whether to compute the sensitivity to weights and reservation values (`None`: when the case
    /// has proposals).
    pub sensitivity: Option<bool>,
    /// Whether to keep outcomes' utilities for plots.
    pub cloud: bool,
    /// Enumeration and sampling limits.
    pub limits: Limits,
    /// Seed of the samples behind estimates and approximations.
    pub seed: u64,
    /// Outcomes to evaluate besides the proposals: `issue=value, issue=low..high, ...`.
    pub outcomes: Vec<String>,
    /// Event logs of a signed agreement (CSV or JSON Lines, as `truce monitor` reads them): when
    /// given, the state of play at `at` (required then) is derived from them and the analysis reads
    /// it ([`Findings::play`]).
    pub events: Vec<PathBuf>,
    /// The signed agreement the events follow, by its proposal's id (`None`: the case's only one).
    pub agreement: Option<String>,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        Self {
            at: None,
            bridging: 3,
            sensitivity: None,
            cloud: false,
            limits: Limits::default(),
            seed: 0,
            outcomes: Vec::new(),
            events: Vec::new(),
            agreement: None,
        }
    }
}

/// Analyses `case` (which should have passed [`load_valid`](crate::load_valid)): frontiers, zone,
/// solutions, proposals, bridging, sensitivity, the record.
///
/// With `events`, the agreement is followed to `at` ([`crate::monitor`]), the deliveries become one
/// more state-of-play record dated `at` ([`PlayFromEvents`]), and the case with it is analysed; the
/// findings keep what was derived ([`Findings::play`]): the counts, the case's records that disagree,
/// the proposals asking for more than the events leave.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`outcome`) for an outcome that does not parse, (`samples`) for 0 samples,
/// (`at`) for events without a date or a date before the agreement began, (`agreement`) for an
/// agreement the case does not sign; [`ErrorKind::TooLarge`] past the limits; [`ErrorKind::Input`]
/// for a case the analysis cannot use or an event log with errors.
pub fn analyze(
    case: &Case,
    options: &AnalyzeOptions,
    progress: Option<&dyn Progress>,
) -> Result<Findings, Error> {
    if options.events.is_empty() {
        if options.agreement.is_some() {
            return Err(Error::parameter(
                "agreement",
                "an agreement is read from its event logs: give them too (--events FILE)",
            ));
        }
        return analyze_case(case, options, progress);
    }
    let Some(at) = options.at else {
        return Err(Error::parameter(
            "at",
            "give the date (--at DATE) to which the events are read: the state of play is the one on that date",
        ));
    };
    let monitored = crate::monitor(
        case,
        &crate::MonitorOptions {
            agreement: options.agreement.clone(),
            events: options.events.clone(),
            at: Some(at),
            source: None,
        },
    )?;
    let play = PlayFromEvents::derive(case, &monitored.monitoring);
    let mut findings = analyze_case(&play.apply(case), options, progress)?;
    if !monitored.warnings.is_empty() {
        let n = monitored.warnings.len();
        findings.notes.push(format!(
            "The event logs have {n} warning{} (a source contradicting itself); `truce monitor` shows {}.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        ));
    }
    findings.play = Some(play);
    Ok(findings)
}

fn analyze_case(
    case: &Case,
    options: &AnalyzeOptions,
    progress: Option<&dyn Progress>,
) -> Result<Findings, Error> {
    // Zero samples used to run silently as one; an estimate needs some.
    if options.limits.samples == 0 {
        return Err(Error::parameter(
            "samples",
            "the estimates need at least 1 sample (the default is 200000)",
        ));
    }
    let sensitivity = options.sensitivity.unwrap_or(!case.proposals.is_empty());
    let mut analysis = Analysis::new(case)
        .at(options.at.or(case.as_of))
        .with_bridging(options.bridging)
        .with_sensitivity(sensitivity)
        .with_cloud(options.cloud)
        .with_limits(options.limits)
        .with_seed(options.seed);
    if let Some(progress) = progress {
        analysis = analysis.with_progress(progress);
    }
    for text in &options.outcomes {
        let settings = Setting::parse(case.space(), text)
            .map_err(|e| Error::parameter("outcome", format!("{text:?}: {e}")))?;
        analysis = analysis.with_outcome(text.trim(), settings);
    }
    analysis.run().map_err(analysis_error)
}

/// [`analyze`] of a case read and checked, whose errors point into its files: an issue past the
/// limit of values is reported at its definition (file, line, column), as the reader's errors are.
///
/// # Errors
/// As [`analyze`].
pub fn analyze_valid(
    valid: &Valid,
    options: &AnalyzeOptions,
    progress: Option<&dyn Progress>,
) -> Result<Findings, Error> {
    analyze(valid.case(), options, progress).map_err(|e| e.located(&valid.loaded))
}

/// One outcome (`issue=value, ...`; issues not named are open) evaluated against `case` at `at`
/// (default its `as_of`): each negotiator's utility, the red lines it breaks, the verdict.
///
/// # Errors
/// As [`analyze`].
pub fn evaluate(case: &Case, outcome: &str, at: Option<PartialDate>) -> Result<Evaluation, Error> {
    let options = AnalyzeOptions {
        at,
        bridging: 0,
        sensitivity: Some(false),
        outcomes: vec![outcome.to_owned()],
        ..AnalyzeOptions::default()
    };
    let findings = analyze(case, &options, None)?;
    findings
        .evaluations
        .into_iter()
        .last()
        .ok_or_else(|| Error::new(ErrorKind::Input, "the analysis evaluated nothing"))
}

pub(crate) fn analysis_error(e: AnalysisError) -> Error {
    match e {
        AnalysisError::TooLarge { issue: Some(issue), .. } => Error::too_large_issue(issue, e.to_string()),
        AnalysisError::TooLarge { .. } => Error::new(ErrorKind::TooLarge, e.to_string()),
        _ => Error::new(ErrorKind::Input, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testcases::harbour;
    use crate::{Severity, play_warnings};

    #[test]
    fn an_outcome_is_evaluated_and_a_bad_one_names_its_parameter() {
        let case = harbour();
        let issue = &case.space().issues()[0];
        let value = issue.format_value(issue.domain().grid_value(0).unwrap());
        let evaluation = evaluate(&case, &format!("{}={value}", issue.name), None).unwrap();
        assert_eq!(evaluation.parties.len(), case.negotiators().count());
        let error = evaluate(&case, "no_such_issue=1", None).unwrap_err();
        assert_eq!((error.kind(), error.parameter_name()), (ErrorKind::Parameter, Some("outcome")));
    }

    /// A real issue of 1,000,001 levels (one past the analysis' limit) failed with no location
    /// (issue 14): the error points at the issue's definition, with its source line.
    #[test]
    fn an_issue_past_the_limit_of_values_is_located() {
        let party = |id: &str, slope: &str| {
            format!(
                "[[parties]]\nid = \"{id}\"\nname = \"{id}\"\nroles = [\"negotiator\"]\n\
                 [parties.preferences]\nreservation = 0\nassumption = \"test\"\n\
                 [parties.preferences.weights]\nshare = 1\n\
                 [parties.preferences.values]\nshare = {{ linear = \"{slope}\" }}\n"
            )
        };
        let text = format!(
            "[case]\nid = \"fine\"\ntitle = \"Fine\"\n\n[[issues]]\nname = \"share\"\ntype = \"real\"\n\
             min = 0\nmax = 1\nlevels = 1000001\n\n{}{}",
            party("a", "increasing"),
            party("b", "decreasing")
        );
        let valid = crate::validated(crate::load_text("fine.toml", &text).unwrap()).unwrap();
        let error = analyze_valid(&valid, &AnalyzeOptions::default(), None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::TooLarge);
        let [diagnostic] = error.diagnostics() else { panic!("{}", error.render()) };
        assert_eq!(diagnostic.code, "too-many-values");
        assert_eq!(diagnostic.file, std::path::Path::new("fine.toml"));
        assert_eq!(diagnostic.position.map(|p| p.line), Some(6), "{}", error.render());
        let rendered = error.render();
        assert!(rendered.contains("fine.toml:6:") && rendered.contains("1000001 values"), "{rendered}");
        // Without the source map, the message alone, as before.
        let bare = analyze(valid.case(), &AnalyzeOptions::default(), None).unwrap_err();
        assert!(bare.diagnostics().is_empty() && bare.message().contains("`share`"));
    }

    fn lakeside(file: &str) -> PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../truce-formats/tests/data/monitor")
            .join(file)
    }

    /// The highest utility to north of the next phase (`lakeside-phase-2`: a full withdrawal, the
    /// releases and the rest left open).
    fn next_phase_best_for_north(findings: &Findings, case: &Case) -> f64 {
        let k = case.proposals.iter().position(|p| p.id == "lakeside-phase-2").unwrap();
        findings.evaluations[k].parties[0].utility.unwrap().high
    }

    /// The Lakeside pause at 2031-05-05, worked out by hand: 40 hostages held the day before it began,
    /// 18 released by then on the most conservative account, so 22 left. North's utility is
    /// 0.4 * hostages / 60 + 0.2 * (1 - trucks / 300) + 0.2 * [checkpoint kept] + 0.2 * [no withdrawal];
    /// with the withdrawal full and the rest open, its best is 0.4 * 22 / 60 + 0.4 (40 without the
    /// events).
    #[test]
    fn the_events_bound_what_the_next_phase_can_give() {
        let valid = crate::load_valid(&lakeside("lakeside.toml")).unwrap();
        let case = valid.case();
        let at = "2031-05-05".parse().ok();
        let plain = analyze(
            case,
            &AnalyzeOptions { at, sensitivity: Some(false), ..AnalyzeOptions::default() },
            None,
        )
        .unwrap();
        assert!(plain.play.is_none());
        assert!((next_phase_best_for_north(&plain, case) - (0.4 * 40.0 / 60.0 + 0.4)).abs() < 1e-9);
        let options = AnalyzeOptions {
            at,
            sensitivity: Some(false),
            events: vec![lakeside("lakeside-events.csv")],
            ..AnalyzeOptions::default()
        };
        let findings = analyze_valid(&valid, &options, None).unwrap();
        assert!((next_phase_best_for_north(&findings, case) - (0.4 * 22.0 / 60.0 + 0.4)).abs() < 1e-9);
        let play = findings.play.as_ref().unwrap();
        assert_eq!((play.counts[0].delivered, play.counts[0].held), (Some(18), Some(22)));
        // The zone's best for north gives at most the 22 left: 0.4 * 22 / 60 + 0.6.
        assert!((findings.parties[0].best - (0.4 * 22.0 / 60.0 + 0.6)).abs() < 1e-9);
        assert!(play_warnings(&valid, &findings).is_empty(), "no record of the case is dated 2031-05-05");
        assert!(play_warnings(&valid, &plain).is_empty());
    }

    #[test]
    fn a_record_the_events_contradict_is_a_warning_at_the_record() {
        let text = std::fs::read_to_string(lakeside("lakeside.toml")).unwrap().replace(
            "[[agreements]]",
            "[[state_of_play]]\ndate = \"2031-05-04\"\nagreement = \"lakeside-pause\"\n\
             delivered = { hostages = 20 }\nheld = { hostages = 20 }\ncite = [\"S2\"]\n\n[[agreements]]",
        );
        let valid = crate::validated(crate::load_text("lakeside.toml", &text).unwrap()).unwrap();
        let options = AnalyzeOptions {
            at: "2031-05-04".parse().ok(),
            bridging: 0,
            sensitivity: Some(false),
            events: vec![lakeside("lakeside-events.csv")],
            ..AnalyzeOptions::default()
        };
        let findings = analyze_valid(&valid, &options, None).unwrap();
        let warnings = play_warnings(&valid, &findings);
        let messages: Vec<&str> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the state of play on 2031-05-04 says 20 of `hostages` delivered (per S2); the events up to \
                 2031-05-04 give 18 (under `most_conservative`; sources: S2 20, S3 18): the analysis reads \
                 the events' figure",
                "the state of play on 2031-05-04 says 20 of `hostages` still held (per S2); the events up to \
                 2031-05-04 give 22 (40 held on 2031-04-30, less 18 delivered since) (under \
                 `most_conservative`; sources: S2 20, S3 18): the analysis reads the events' figure",
            ]
        );
        let line = text.lines().position(|l| l == "date = \"2031-05-04\"").unwrap();
        assert!(
            warnings.iter().all(|d| d.code == "events-disagree-with-state-of-play"
                && d.severity == Severity::Warning
                && d.position.map(|p| p.line) == Some(line)),
            "at the record's header: {warnings:?}"
        );
    }

    #[test]
    fn events_need_a_date_and_an_agreement_needs_events() {
        let case = crate::load_valid(&lakeside("lakeside.toml")).unwrap().loaded.case;
        let options =
            AnalyzeOptions { events: vec![lakeside("lakeside-events.csv")], ..AnalyzeOptions::default() };
        let error = analyze(&case, &options, None).unwrap_err();
        assert_eq!((error.kind(), error.parameter_name()), (ErrorKind::Parameter, Some("at")));
        let options = AnalyzeOptions {
            at: "2031-04-01".parse().ok(),
            events: vec![lakeside("lakeside-events.csv")],
            ..AnalyzeOptions::default()
        };
        let error = analyze(&case, &options, None).unwrap_err();
        assert_eq!(error.parameter_name(), Some("at"), "before the agreement began: {}", error.message());
        let options =
            AnalyzeOptions { agreement: Some("lakeside-pause".into()), ..AnalyzeOptions::default() };
        assert_eq!(analyze(&case, &options, None).unwrap_err().parameter_name(), Some("agreement"));
    }

    /// `--samples 0` ran silently as 1 (issue 14).
    #[test]
    fn zero_samples_are_refused() {
        let mut options = AnalyzeOptions::default();
        options.limits.samples = 0;
        let error = analyze(&harbour(), &options, None).unwrap_err();
        assert_eq!((error.kind(), error.parameter_name()), (ErrorKind::Parameter, Some("samples")));
    }
}
