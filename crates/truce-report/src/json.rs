//! The JSON form of an analysis: a documented, stable schema (`docs/json-analysis.md`), versioned by
//! [`SCHEMA`].
//!
//! Conventions: parties, issues, proposals and red lines are named by their ids; outcomes are objects
//! from issue name to value (as the case writes it); counts of outcomes are decimal strings (they can
//! exceed any JSON number: 10^50); utilities are numbers, always finite.

use std::collections::BTreeMap;

use serde::Serialize;
use truce_analysis::{
    Blocker, Bridging, Evaluation, Findings, FrontierPoint, Method, Package, Rank, Reason, Setting, Size,
    Solution, Subject, label, timeline,
};
use truce_model::{Case, PartyId, Value};

/// The schema identifier every analysis JSON document starts with.
pub const SCHEMA: &str = "truce-analysis/1";

/// Milliseconds spent in each stage, as measured by the caller (the library reads no clock).
pub type Timings = BTreeMap<String, f64>;

/// An analysis as JSON.
#[derive(Debug, Serialize)]
pub struct AnalysisJson {
    schema: &'static str,
    truce_version: &'static str,
    case: CaseJson,
    date: Option<String>,
    outcomes: String,
    parties: Vec<PartyJson>,
    red_lines: Vec<RedLineJson>,
    frontier: FrontierJson,
    zone: ZoneJson,
    solutions: SolutionsJson,
    opposition: Option<f64>,
    evaluations: Vec<EvaluationJson>,
    timeline: Vec<String>,
    bridging: Option<BridgingJson>,
    sensitivity: Option<SensitivityJson>,
    record: Vec<RecordJson>,
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_of_play: Option<PlayJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timings: Option<Timings>,
}

/// The state of play read from a signed agreement's event logs (only with `--events`).
#[derive(Debug, Serialize)]
struct PlayJson {
    from: &'static str,
    agreement: String,
    at: String,
    at_day: i64,
    rule: &'static str,
    sources: Vec<String>,
    counts: Vec<PlayCountJson>,
    disagreements: Vec<DisagreementJson>,
    too_much: Vec<TooMuchJson>,
    summary: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PlayCountJson {
    issue: String,
    agreed: f64,
    delivered: Option<i64>,
    by_source: Vec<PlaySourceJson>,
    sources_differ: Vec<String>,
    held: Option<i64>,
    held_from: Option<HeldFromJson>,
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct PlaySourceJson {
    source: String,
    delivered: Option<f64>,
}

#[derive(Debug, Serialize)]
struct HeldFromJson {
    date: String,
    held: i64,
    delivered_then: i64,
}

#[derive(Debug, Serialize)]
struct DisagreementJson {
    date: String,
    issue: String,
    figure: &'static str,
    case: i64,
    events: i64,
}

#[derive(Debug, Serialize)]
struct TooMuchJson {
    proposal: String,
    issue: String,
    asked: i64,
    held: i64,
}

fn play_json(case: &Case, play: &truce_analysis::monitor::PlayFromEvents) -> PlayJson {
    let source = |s: truce_model::SourceId| case.source(s).id.clone();
    let issue = |i: truce_model::IssueId| case.space().issue(i).name.clone();
    let text = crate::play::PlayText::new(case, play);
    let agreement = &case.agreements[play.agreement];
    PlayJson {
        from: "events",
        agreement: case.proposals.get(agreement.proposal.index()).map_or_else(String::new, |p| p.id.clone()),
        at: play.at.to_string(),
        at_day: play.at_day,
        rule: play.rule.as_str(),
        sources: play.sources.iter().map(|s| source(*s)).collect(),
        counts: play
            .counts
            .iter()
            .map(|c| PlayCountJson {
                issue: issue(c.issue),
                agreed: c.agreed,
                delivered: c.delivered,
                by_source: c
                    .by_source
                    .iter()
                    .map(|(s, d)| PlaySourceJson { source: source(*s), delivered: *d })
                    .collect(),
                sources_differ: c.sources_differ.iter().map(ToString::to_string).collect(),
                held: c.held,
                held_from: c.from.map(|f| HeldFromJson {
                    date: f.date.to_string(),
                    held: f.held,
                    delivered_then: f.delivered_then,
                }),
                note: c.note.clone(),
            })
            .collect(),
        disagreements: play
            .disagreements
            .iter()
            .map(|d| DisagreementJson {
                date: d.date.to_string(),
                issue: issue(d.issue),
                figure: d.figure.as_str(),
                case: d.case,
                events: d.events,
            })
            .collect(),
        too_much: play
            .too_much
            .iter()
            .map(|t| TooMuchJson {
                proposal: case.proposal(t.proposal).id.clone(),
                issue: issue(t.issue),
                asked: t.asked,
                held: t.held,
            })
            .collect(),
        summary: std::iter::once(text.title).chain(text.counts).chain(text.warnings).collect(),
    }
}

impl AnalysisJson {
    /// The top-level keys of the document, in order (then `state_of_play` only when the analysis
    /// read it from event logs, and `timings` only when measured).
    pub const KEYS: [&'static str; 17] = [
        "schema",
        "truce_version",
        "case",
        "date",
        "outcomes",
        "parties",
        "red_lines",
        "frontier",
        "zone",
        "solutions",
        "opposition",
        "evaluations",
        "timeline",
        "bridging",
        "sensitivity",
        "record",
        "notes",
    ];

    /// One top-level section of the document as compact JSON text (`None` for an unknown key), so
    /// that a caller wanting the solutions need not serialise the whole frontier.
    #[must_use]
    pub fn section(&self, key: &str) -> Option<String> {
        fn text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
            // Serialising plain data to a string cannot fail.
            serde_json::to_string(value).ok()
        }
        match key {
            "schema" => text(self.schema),
            "truce_version" => text(self.truce_version),
            "case" => text(&self.case),
            "date" => text(&self.date),
            "outcomes" => text(&self.outcomes),
            "parties" => text(&self.parties),
            "red_lines" => text(&self.red_lines),
            "frontier" => text(&self.frontier),
            "zone" => text(&self.zone),
            "solutions" => text(&self.solutions),
            "opposition" => text(&self.opposition),
            "evaluations" => text(&self.evaluations),
            "timeline" => text(&self.timeline),
            "bridging" => text(&self.bridging),
            "sensitivity" => text(&self.sensitivity),
            "record" => text(&self.record),
            "notes" => text(&self.notes),
            "state_of_play" => text(&self.state_of_play),
            "timings" => text(&self.timings),
            _ => None,
        }
    }
}

/// A JSON object whose keys keep the order given (issue order), unlike a `BTreeMap`.
#[derive(Debug)]
struct Ordered<V>(Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<V> FromIterator<(String, V)> for Ordered<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[derive(Debug, Serialize)]
struct CaseJson {
    id: String,
    title: String,
    issues: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PartyJson {
    id: String,
    name: String,
    reservation: f64,
    best: f64,
    zone_best: Option<f64>,
}

#[derive(Debug, Serialize)]
struct RedLineJson {
    party: String,
    red_line: String,
    rule: String,
    since: Option<String>,
    until: Option<String>,
    in_force: bool,
}

#[derive(Debug, Serialize)]
struct PointJson {
    utilities: Vec<f64>,
    outcome: Ordered<String>,
    count: String,
    /// The count saturated: at least `count` outcomes reach the point.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    count_at_least: bool,
}

#[derive(Debug, Serialize)]
struct MethodJson {
    kind: &'static str,
    exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    largest_frontier: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nodes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    searches: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct FrontierJson {
    method: MethodJson,
    size: usize,
    outcomes: String,
    /// Some point's count saturated: at least `outcomes` outcomes reach the frontier.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    outcomes_at_least: bool,
    points: Vec<PointJson>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum SizeJson {
    Exact { exact: bool, value: String },
    Estimate { exact: bool, estimate: f64, low: f64, high: f64, samples: u64 },
}

#[derive(Debug, Serialize)]
struct ZoneJson {
    size: SizeJson,
    frontier_size: usize,
    frontier: Vec<PointJson>,
    red_lines_frontier: Option<FrontierJson>,
}

#[derive(Debug, Serialize)]
struct SolutionJson {
    value: f64,
    utilities: Vec<f64>,
    outcome: Ordered<String>,
}

#[derive(Debug, Serialize)]
struct SolutionsJson {
    disagreement: Vec<f64>,
    nash: Option<SolutionJson>,
    kalai_smorodinsky: Option<SolutionJson>,
    egalitarian: Option<SolutionJson>,
    max_welfare: Option<SolutionJson>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum SubjectJson {
    Proposal(String),
    Outcome(String),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum SettingJson {
    Set(String),
    Range([String; 2]),
    Open,
}

#[derive(Debug, Serialize)]
struct IntervalJson {
    low: f64,
    high: f64,
}

#[derive(Debug, Serialize)]
struct PercentileJson {
    low: f64,
    high: f64,
    exact: bool,
    margin: f64,
}

#[derive(Debug, Serialize)]
struct BreachJson {
    red_line: String,
    rule: String,
    terms: Vec<String>,
    open: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ViewJson {
    party: String,
    utility: Option<IntervalJson>,
    utility_exact: bool,
    percentile: Option<PercentileJson>,
    verdict: &'static str,
    broken: Vec<BreachJson>,
    at_risk: Vec<BreachJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sourcing: Option<SourcingJson>,
}

/// How well sourced a "no" is: the weakest of what it rests on.
#[derive(Debug, Serialize)]
struct SourcingJson {
    /// `official_text`, `named_official`, `unnamed_officials`, `report`, or null (no kind given).
    strongest: Option<&'static str>,
    /// The number of distinct sources cited.
    sources: usize,
    /// In words: "an official text", "a named official", "unnamed officials", "a single report".
    grade: String,
}

#[derive(Debug, Serialize)]
struct ChangeJson {
    issue: String,
    from: Option<String>,
    to: String,
}

#[derive(Debug, Serialize)]
struct DominanceJson {
    utilities: Vec<f64>,
    outcome: Ordered<String>,
    gains: Vec<f64>,
    changes: Vec<ChangeJson>,
    respects_red_lines: bool,
}

#[derive(Debug, Serialize)]
struct EvaluationJson {
    subject: SubjectJson,
    title: Option<String>,
    date: Option<String>,
    judged_at: Option<String>,
    tabled_by: Vec<String>,
    complete: bool,
    settings: Ordered<SettingJson>,
    verdict: &'static str,
    parties: Vec<ViewJson>,
    dominated_by: Option<DominanceJson>,
    frontier_distance: Option<f64>,
    nash_distance: Option<f64>,
    best_completion: Option<SolutionJson>,
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<ApprovalJson>,
}

/// Whether a text carries within a party that has constituencies.
#[derive(Debug, Serialize)]
struct ApprovalJson {
    party: String,
    rule: &'static str,
    /// `null`: it depends on how the open issues are settled.
    carries: Option<bool>,
    /// The constituencies whose approval it lacks (a red line of theirs broken).
    lacking: Vec<String>,
    constituencies: Vec<ConstituencyJson>,
}

#[derive(Debug, Serialize)]
struct ConstituencyJson {
    id: String,
    /// `null`: it depends on how the open issues are settled.
    approves: Option<bool>,
    /// Whether the rule needs its approval on its own (a veto, or one of the named set).
    needed: bool,
    broken: Vec<ConstituencyBreachJson>,
    at_risk: Vec<ConstituencyBreachJson>,
}

#[derive(Debug, Serialize)]
struct ConstituencyBreachJson {
    red_line: String,
    rule: String,
}

#[derive(Debug, Serialize)]
struct AnchorJson {
    party: String,
    proposal: Option<String>,
    aspiration: f64,
}

#[derive(Debug, Serialize)]
struct PackageJson {
    utilities: Vec<f64>,
    outcome: Ordered<String>,
    nash_product: f64,
    concessions: Vec<f64>,
    total_concession: f64,
    changes: Vec<PackageChangesJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    approvals: Vec<ApprovalJson>,
}

#[derive(Debug, Serialize)]
struct PackageChangesJson {
    party: String,
    from_proposal: String,
    changes: Vec<ChangeJson>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BlockerJson {
    RedLine { party: String, red_line: String, rule: String },
    Reservation { party: String, reservation: f64 },
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BridgingJson {
    Packages {
        anchors: Vec<AnchorJson>,
        by_nash: Vec<PackageJson>,
        by_concession: Vec<PackageJson>,
    },
    Blocked {
        relaxations: Vec<Vec<BlockerJson>>,
        reservations_conflict: bool,
        exhaustive: bool,
        anchors: Vec<AnchorJson>,
        if_relaxed: Vec<RelaxedJson>,
    },
}

#[derive(Debug, Serialize)]
struct RelaxedJson {
    relaxed: Vec<BlockerJson>,
    by_nash: Vec<PackageJson>,
    by_concession: Vec<PackageJson>,
}

#[derive(Debug, Serialize)]
struct FlipJson {
    proposal: String,
    at: f64,
    becomes: &'static str,
}

#[derive(Debug, Serialize)]
struct WeightJson {
    party: String,
    issue: String,
    weight: f64,
    range: [f64; 2],
    nash_changes_below: Option<f64>,
    nash_changes_above: Option<f64>,
    flips: Vec<FlipJson>,
}

#[derive(Debug, Serialize)]
struct ReservationJson {
    party: String,
    reservation: f64,
    range: [f64; 2],
    nash_changes_below: Option<f64>,
    nash_changes_above: Option<f64>,
}

#[derive(Debug, Serialize)]
struct SensitivityJson {
    weights: Vec<WeightJson>,
    reservations: Vec<ReservationJson>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ReasonJson {
    RedLine { red_line: String, rule: String },
    RedLineAtRisk { red_line: String, rule: String },
    BelowReservation { utility: f64, reservation: f64 },
    NoAcceptableCompletion,
    MayFallBelowReservation { low: f64, reservation: f64 },
}

#[derive(Debug, Serialize)]
struct RecordJson {
    proposal: String,
    party: String,
    date: Option<String>,
    stance: &'static str,
    verdict: Option<&'static str>,
    status: &'static str,
    reasons: Vec<ReasonJson>,
}

/// Builds the JSON document of an analysis of `case`.
#[must_use]
pub fn analysis(case: &Case, findings: &Findings, timings: Option<&Timings>) -> AnalysisJson {
    let c = Ctx { case };
    let d: Vec<f64> = findings.parties.iter().map(|p| p.reservation).collect();
    AnalysisJson {
        schema: SCHEMA,
        truce_version: env!("CARGO_PKG_VERSION"),
        case: CaseJson {
            id: case.id.clone(),
            title: case.title.clone(),
            issues: case.space().issues().iter().map(|i| i.name.clone()).collect(),
        },
        date: findings.date.map(|d| d.to_string()),
        outcomes: findings.outcomes.to_string(),
        red_lines: findings
            .parties
            .iter()
            .flat_map(|p| {
                let prefs = case.party(p.party).preferences.as_ref();
                prefs.into_iter().flat_map(|x| &x.red_lines).map(|r| RedLineJson {
                    party: c.party(p.party),
                    red_line: r.name.clone(),
                    rule: r.rule.describe(case.space()),
                    since: r.since.map(|d| d.to_string()),
                    until: r.until.map(|d| d.to_string()),
                    in_force: r.in_force(findings.date),
                })
            })
            .collect(),
        parties: findings
            .parties
            .iter()
            .map(|p| PartyJson {
                id: c.party(p.party),
                name: case.party(p.party).name.clone(),
                reservation: p.reservation,
                best: p.best,
                zone_best: p.zone_best,
            })
            .collect(),
        frontier: c.frontier(&findings.frontier.points, &findings.frontier.method),
        zone: ZoneJson {
            size: match &findings.zone.size {
                Size::Exact(n) => SizeJson::Exact { exact: true, value: n.to_string() },
                Size::Estimate { value, low, high, samples } => SizeJson::Estimate {
                    exact: false,
                    estimate: *value,
                    low: *low,
                    high: *high,
                    samples: *samples,
                },
                _ => SizeJson::Exact { exact: false, value: "unknown".into() },
            },
            frontier_size: findings.zone.frontier.len(),
            frontier: findings.zone.frontier.iter().map(|p| c.point(p)).collect(),
            red_lines_frontier: findings.zone.red_lines.as_ref().map(|f| c.frontier(&f.points, &f.method)),
        },
        solutions: SolutionsJson {
            disagreement: d,
            nash: findings.solutions.nash.as_ref().map(|s| c.solution(s)),
            kalai_smorodinsky: findings.solutions.kalai_smorodinsky.as_ref().map(|s| c.solution(s)),
            egalitarian: findings.solutions.egalitarian.as_ref().map(|s| c.solution(s)),
            max_welfare: findings.solutions.max_welfare.as_ref().map(|s| c.solution(s)),
        },
        opposition: findings.opposition,
        evaluations: findings
            .evaluations
            .iter()
            .enumerate()
            .map(|(k, e)| {
                let mut json = c.evaluation(findings, e);
                json.approvals = findings.approvals.get(k).map(|a| c.approvals(a)).unwrap_or_default();
                json
            })
            .collect(),
        timeline: timeline(case).into_iter().map(|id| case.proposal(id).id.clone()).collect(),
        bridging: findings.bridging.as_ref().map(|b| c.bridging(findings, b)),
        sensitivity: findings.sensitivity.as_ref().map(|s| SensitivityJson {
            weights: s
                .weights
                .iter()
                .map(|w| WeightJson {
                    party: c.party(w.party),
                    issue: case.space().issue(w.issue).name.clone(),
                    weight: w.weight,
                    range: [w.range.0, w.range.1],
                    nash_changes_below: w.nash.below,
                    nash_changes_above: w.nash.above,
                    flips: w
                        .flips
                        .iter()
                        .map(|f| FlipJson {
                            proposal: case.proposal(f.proposal).id.clone(),
                            at: f.at,
                            becomes: f.becomes.as_str(),
                        })
                        .collect(),
                })
                .collect(),
            reservations: s
                .reservations
                .iter()
                .map(|r| ReservationJson {
                    party: c.party(r.party),
                    reservation: r.reservation,
                    range: [r.range.0, r.range.1],
                    nash_changes_below: r.nash.below,
                    nash_changes_above: r.nash.above,
                })
                .collect(),
        }),
        record: findings
            .record
            .iter()
            .map(|r| RecordJson {
                proposal: case.proposal(r.proposal).id.clone(),
                party: c.party(r.party),
                date: r.date.map(|d| d.to_string()),
                stance: r.stance.as_str(),
                verdict: r.verdict.map(|v| v.as_str()),
                status: r.status.as_str(),
                reasons: r.reasons.iter().map(|x| c.reason(r.party, x)).collect(),
            })
            .collect(),
        notes: findings.notes.clone(),
        state_of_play: findings.play.as_ref().map(|p| play_json(case, p)),
        timings: timings.cloned(),
    }
}

/// The JSON text of an analysis, pretty-printed.
#[must_use]
pub fn to_string(case: &Case, findings: &Findings, timings: Option<&Timings>) -> String {
    let doc = analysis(case, findings, timings);
    // Serialising plain data to a string cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

struct Ctx<'a> {
    case: &'a Case,
}

impl Ctx<'_> {
    fn party(&self, id: PartyId) -> String {
        self.case.party(id).id.clone()
    }

    fn outcome(&self, values: &[Value]) -> Ordered<String> {
        self.case
            .space()
            .issues()
            .iter()
            .zip(values)
            .map(|(i, &v)| (i.name.clone(), i.format_value(v)))
            .collect()
    }

    fn point(&self, p: &FrontierPoint) -> PointJson {
        PointJson {
            utilities: p.utilities.clone(),
            outcome: self.outcome(&p.outcome),
            count: p.count.to_string(),
            count_at_least: p.count == u128::MAX,
        }
    }

    fn frontier(&self, points: &[FrontierPoint], method: &Method) -> FrontierJson {
        // Summed exactly: 2^140 outcomes over 141 points is 2^140, not a saturated 2^128 - 1.
        let outcomes = points.iter().fold(num_bigint::BigUint::ZERO, |acc, p| acc + p.count);
        FrontierJson {
            method: method_json(method),
            size: points.len(),
            outcomes: outcomes.to_string(),
            outcomes_at_least: points.iter().any(|p| p.count == u128::MAX),
            points: points.iter().map(|p| self.point(p)).collect(),
        }
    }

    fn solution(&self, s: &Solution) -> SolutionJson {
        SolutionJson {
            value: s.value,
            utilities: s.point.utilities.clone(),
            outcome: self.outcome(&s.point.outcome),
        }
    }

    fn red_line(&self, party: PartyId, index: usize) -> (String, String) {
        let prefs = self.case.party(party).preferences.as_ref();
        prefs.and_then(|p| p.red_lines.get(index)).map_or_else(
            || (format!("#{index}"), String::new()),
            |r| (r.name.clone(), r.rule.describe(self.case.space())),
        )
    }

    fn issue(&self, id: truce_model::IssueId) -> String {
        self.case.space().issue(id).name.clone()
    }

    fn change(&self, c: &truce_analysis::Change) -> ChangeJson {
        let issue = self.case.space().issue(c.issue);
        ChangeJson {
            issue: issue.name.clone(),
            from: c.from.map(|v| issue.format_value(v)),
            to: issue.format_value(c.to),
        }
    }

    fn evaluation(&self, findings: &Findings, e: &Evaluation) -> EvaluationJson {
        let space = self.case.space();
        let proposal = match &e.subject {
            Subject::Proposal(id) => Some(self.case.proposal(*id)),
            Subject::Outcome(_) => None,
        };
        let parties: Vec<PartyId> = findings.parties.iter().map(|p| p.party).collect();
        EvaluationJson {
            subject: match &e.subject {
                Subject::Proposal(_) => SubjectJson::Proposal(label(self.case, &e.subject).to_owned()),
                Subject::Outcome(l) => SubjectJson::Outcome(l.clone()),
            },
            title: proposal.map(|p| p.title.clone()),
            date: proposal.and_then(|p| p.date).map(|d| d.to_string()),
            judged_at: e.date.map(|d| d.to_string()),
            tabled_by: proposal
                .map(|p| p.tabled_by.iter().map(|&id| self.party(id)).collect())
                .unwrap_or_default(),
            complete: e.complete,
            settings: space
                .issues()
                .iter()
                .zip(&e.settings)
                .map(|(i, s)| {
                    let s = match *s {
                        Setting::Set(v) => SettingJson::Set(i.format_value(v)),
                        Setting::Range(a, b) => SettingJson::Range([i.format_value(a), i.format_value(b)]),
                        Setting::Open => SettingJson::Open,
                    };
                    (i.name.clone(), s)
                })
                .collect(),
            verdict: e.verdict.as_str(),
            parties: e
                .parties
                .iter()
                .zip(&parties)
                .map(|(v, &party)| {
                    let breach = |b: &truce_analysis::Breach| {
                        let (name, rule) = self.red_line(party, b.red_line);
                        BreachJson {
                            red_line: name,
                            rule,
                            terms: b.terms.iter().map(|&i| self.issue(i)).collect(),
                            open: b.open.iter().map(|&i| self.issue(i)).collect(),
                        }
                    };
                    ViewJson {
                        party: self.party(v.party),
                        utility: v.utility.map(|u| IntervalJson { low: u.low, high: u.high }),
                        utility_exact: v.utility_exact,
                        percentile: v.rank.map(|(a, b): (Rank, Rank)| PercentileJson {
                            low: a.percentile,
                            high: b.percentile,
                            exact: a.is_exact() && b.is_exact(),
                            margin: a.margin.max(b.margin),
                        }),
                        verdict: v.verdict.as_str(),
                        broken: v.broken.iter().map(breach).collect(),
                        at_risk: v.at_risk.iter().map(breach).collect(),
                        sourcing: crate::text::no_sourcing(self.case, e, v).map(|s| SourcingJson {
                            strongest: s.strongest.map(truce_model::SourceKind::as_str),
                            sources: s.sources,
                            grade: s.describe(),
                        }),
                    }
                })
                .collect(),
            dominated_by: e.dominated_by.as_ref().map(|d| DominanceJson {
                utilities: d.by.utilities.clone(),
                outcome: self.outcome(&d.by.outcome),
                gains: d.gains.clone(),
                changes: d.changes.iter().map(|c| self.change(c)).collect(),
                respects_red_lines: d.respects_red_lines,
            }),
            frontier_distance: e.frontier_distance,
            nash_distance: e.nash_distance,
            best_completion: e.best_completion.as_ref().map(|p| SolutionJson {
                value: p.utilities.iter().zip(&findings.parties).map(|(u, f)| u - f.reservation).product(),
                utilities: p.utilities.clone(),
                outcome: self.outcome(&p.outcome),
            }),
            notes: e.notes.clone(),
            approvals: Vec::new(),
        }
    }

    fn approvals(&self, approvals: &[truce_analysis::PartyApproval]) -> Vec<ApprovalJson> {
        approvals
            .iter()
            .map(|a| {
                let party = self.case.party(a.party);
                let breach = |c: &truce_model::Constituency, r: usize| ConstituencyBreachJson {
                    red_line: c.red_lines.get(r).map_or_else(|| format!("#{r}"), |x| x.name.clone()),
                    rule: c.red_lines.get(r).map(|x| x.rule.describe(self.case.space())).unwrap_or_default(),
                };
                let constituencies = a
                    .constituencies
                    .iter()
                    .filter_map(|v| {
                        let c = party.constituencies.get(v.constituency)?;
                        Some(ConstituencyJson {
                            id: c.id.clone(),
                            approves: v.approves,
                            needed: v.needed,
                            broken: v.broken.iter().map(|&r| breach(c, r)).collect(),
                            at_risk: v.at_risk.iter().map(|&r| breach(c, r)).collect(),
                        })
                    })
                    .collect();
                ApprovalJson {
                    party: party.id.clone(),
                    rule: party.approval.as_ref().map_or("", |x| x.rule.as_str()),
                    carries: a.carries,
                    lacking: a
                        .lacking()
                        .filter_map(|v| party.constituencies.get(v.constituency).map(|c| c.id.clone()))
                        .collect(),
                    constituencies,
                }
            })
            .collect()
    }

    fn package(&self, p: &Package, anchors: &[truce_analysis::Anchor]) -> PackageJson {
        PackageJson {
            utilities: p.point.utilities.clone(),
            outcome: self.outcome(&p.point.outcome),
            nash_product: p.nash_product,
            concessions: p.concessions.clone(),
            total_concession: p.total_concession,
            changes: p
                .changes
                .iter()
                .filter_map(|(k, changes)| {
                    let anchor = anchors.get(*k)?;
                    Some(PackageChangesJson {
                        party: self.party(anchor.party),
                        from_proposal: self.case.proposal(anchor.proposal?).id.clone(),
                        changes: changes.iter().map(|c| self.change(c)).collect(),
                    })
                })
                .collect(),
            approvals: self.approvals(&p.approvals),
        }
    }

    fn anchors(&self, anchors: &[truce_analysis::Anchor]) -> Vec<AnchorJson> {
        anchors
            .iter()
            .map(|a| AnchorJson {
                party: self.party(a.party),
                proposal: a.proposal.map(|id| self.case.proposal(id).id.clone()),
                aspiration: a.aspiration,
            })
            .collect()
    }

    fn blocker(&self, findings: &Findings, b: &Blocker) -> BlockerJson {
        match *b {
            Blocker::RedLine { party, index } => {
                let (red_line, rule) = self.red_line(party, index);
                BlockerJson::RedLine { party: self.party(party), red_line, rule }
            }
            Blocker::Reservation { party } => BlockerJson::Reservation {
                party: self.party(party),
                reservation: findings
                    .parties
                    .iter()
                    .find(|p| p.party == party)
                    .map_or(0.0, |p| p.reservation),
            },
        }
    }

    fn bridging(&self, findings: &Findings, b: &Bridging) -> BridgingJson {
        match b {
            Bridging::Packages { anchors, by_nash, by_concession } => BridgingJson::Packages {
                anchors: self.anchors(anchors),
                by_nash: by_nash.iter().map(|p| self.package(p, anchors)).collect(),
                by_concession: by_concession.iter().map(|p| self.package(p, anchors)).collect(),
            },
            Bridging::Blocked { relaxations, reservations_conflict, exhaustive, anchors, if_relaxed } => {
                BridgingJson::Blocked {
                    relaxations: relaxations
                        .iter()
                        .map(|set| set.iter().map(|b| self.blocker(findings, b)).collect())
                        .collect(),
                    reservations_conflict: *reservations_conflict,
                    exhaustive: *exhaustive,
                    anchors: self.anchors(anchors),
                    if_relaxed: if_relaxed
                        .iter()
                        .map(|r| RelaxedJson {
                            relaxed: r.relaxed.iter().map(|b| self.blocker(findings, b)).collect(),
                            by_nash: r.by_nash.iter().map(|p| self.package(p, anchors)).collect(),
                            by_concession: r.by_concession.iter().map(|p| self.package(p, anchors)).collect(),
                        })
                        .collect(),
                }
            }
        }
    }

    fn reason(&self, party: PartyId, r: &Reason) -> ReasonJson {
        match *r {
            Reason::RedLine { index } => {
                let (red_line, rule) = self.red_line(party, index);
                ReasonJson::RedLine { red_line, rule }
            }
            Reason::RedLineAtRisk { index } => {
                let (red_line, rule) = self.red_line(party, index);
                ReasonJson::RedLineAtRisk { red_line, rule }
            }
            Reason::BelowReservation { utility, reservation } => {
                ReasonJson::BelowReservation { utility, reservation }
            }
            Reason::NoAcceptableCompletion => ReasonJson::NoAcceptableCompletion,
            Reason::MayFallBelowReservation { low, reservation } => {
                ReasonJson::MayFallBelowReservation { low, reservation }
            }
        }
    }
}

fn method_json(m: &Method) -> MethodJson {
    let base = MethodJson {
        kind: "",
        exact: m.is_exact(),
        groups: None,
        blocks: None,
        largest_frontier: None,
        outcomes: None,
        nodes: None,
        samples: None,
        searches: None,
        reason: None,
    };
    match m {
        Method::Minkowski { groups, blocks, largest_frontier } => MethodJson {
            kind: "minkowski",
            groups: Some(*groups),
            blocks: Some(*blocks),
            largest_frontier: Some(*largest_frontier),
            ..base
        },
        Method::Enumeration { outcomes } => {
            MethodJson { kind: "enumeration", outcomes: Some(outcomes.to_string()), ..base }
        }
        Method::BranchAndBound { nodes } => {
            MethodJson { kind: "branch_and_bound", nodes: Some(*nodes), ..base }
        }
        Method::Sampling { samples, searches, reason } => MethodJson {
            kind: "sampling",
            samples: Some(*samples),
            searches: Some(*searches),
            reason: Some(reason.clone()),
            ..base
        },
        _ => MethodJson { kind: "other", ..base },
    }
}
