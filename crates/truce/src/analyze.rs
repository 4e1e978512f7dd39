//! Analysing a case (`truce analyze`) and evaluating one outcome against it.

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
        }
    }
}

/// Analyses `case` (which should have passed [`load_valid`](crate::load_valid)): frontiers, zone,
/// solutions, proposals, bridging, sensitivity, the record.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`outcome`) for an outcome that does not parse, (`samples`) for 0 samples, [`ErrorKind::TooLarge`]
/// past the limits, [`ErrorKind::Input`] for a case the analysis cannot use.
pub fn analyze(
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

    /// `--samples 0` ran silently as 1 (issue 14).
    #[test]
    fn zero_samples_are_refused() {
        let mut options = AnalyzeOptions::default();
        options.limits.samples = 0;
        let error = analyze(&harbour(), &options, None).unwrap_err();
        assert_eq!((error.kind(), error.parameter_name()), (ErrorKind::Parameter, Some("samples")));
    }
}
