//! The raw case-file types: what a TOML file says, with byte spans where positions matter, before any
//! name is resolved (ruff's `Options` layer). [`super::resolve`] turns them into a `truce_model::Case`.
//!
//! Every struct rejects unknown fields. Types that accept more than one TOML shape (a citation is a
//! source id or a table; a term is a value or a table) have hand-written `Deserialize` impls that keep
//! the TOML deserializer, so that spans inside them still work (serde's `untagged` would lose them).
//! The JSON schema in `docs/case-format.schema.json` is generated from these types.

use std::collections::BTreeMap;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

/// A byte range in one file.
pub(crate) type Span = std::ops::Range<usize>;

/// A `cite` list, with its own span and each citation's.
pub(crate) type Cite = Option<Spanned<Vec<Spanned<RawCitation>>>>;

/// Names of the top-level keys a case file may hold.
pub(crate) const TOP_LEVEL_KEYS: &[&str] =
    &["case", "sources", "issues", "phases", "parties", "proposals", "state_of_play", "agreements"];

/// One case file: everything is optional here because a case folder spreads a case over several files;
/// `[case]` is required in `case.toml` (or in a single-file case) and allowed nowhere else.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Truce case file",
    description = "A negotiation case: sources, issues, phases, parties with their \
                   preferences and red lines, proposals and responses. See docs/case-format.md."
)]
#[allow(dead_code)] // read key by key (see `read.rs`); this struct documents the whole file for the schema
pub(crate) struct RawFile {
    /// The case's metadata; only in `case.toml` (or the single case file).
    pub case: Option<RawCase>,
    /// The documents the case cites.
    #[serde(default)]
    pub sources: Vec<RawSource>,
    /// The issues to agree on, in order (the first issue is the most significant in outcome numbering).
    #[serde(default)]
    pub issues: Vec<RawIssue>,
    /// The phases of the agreement, in order.
    #[serde(default)]
    pub phases: Vec<RawPhase>,
    /// The parties, mediators included.
    #[serde(default)]
    pub parties: Vec<RawParty>,
    /// The proposals tabled, usually in chronological order.
    #[serde(default)]
    pub proposals: Vec<RawProposal>,
    /// What had been delivered under an agreement in force, and what was still held, by date.
    #[serde(default)]
    pub state_of_play: Vec<RawStateOfPlay>,
    /// Proposals signed and followed as implemented (`truce monitor`).
    #[serde(default)]
    pub agreements: Vec<RawAgreement>,
}

/// `[[agreements]]`: a proposal signed, the day it began, its extensions and the commitments the
/// text does not let Truce derive.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Agreement")]
pub(crate) struct RawAgreement {
    /// The id of the proposal signed.
    #[schemars(with = "String")]
    pub proposal: Spanned<String>,
    /// The day its first phase began (`YYYY-MM-DD`).
    #[schemars(with = "RawDate")]
    pub began: Spanned<RawDate>,
    /// The first phase's length as signed, in days (else the phase's `duration_days`).
    pub days: Option<u32>,
    /// The last phase the agreement covers (default: every phase).
    #[schemars(with = "Option<String>")]
    pub last_phase: Option<Spanned<String>>,
    /// How several sources' accounts are reconciled: `most_conservative` (the default), `trust`
    /// (with `trust`) or `per_source`.
    #[schemars(with = "Option<String>")]
    pub reconcile: Option<Spanned<String>>,
    /// With `reconcile = "trust"`: source ids, the most trusted first.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub trust: Vec<Spanned<String>>,
    /// Extensions agreed after signature, in order.
    #[serde(default)]
    pub extensions: Vec<RawExtension>,
    /// Commitments declared (or completed: same id as a term's issue).
    #[serde(default)]
    #[schemars(with = "Vec<RawCommitment>")]
    pub commitments: Vec<Spanned<RawCommitment>>,
    /// Where the signature and start are reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes them, when no source reports them.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// `[[agreements.extensions]]`: days added to a phase.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Extension")]
pub(crate) struct RawExtension {
    /// When it was agreed.
    #[schemars(with = "Option<RawDate>")]
    pub agreed: Option<Spanned<RawDate>>,
    /// The phase extended (default: the first).
    #[schemars(with = "Option<String>")]
    pub phase: Option<Spanned<String>>,
    /// How many days it adds.
    #[schemars(with = "u32")]
    pub days: Spanned<u32>,
    /// Where it is reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// `[[agreements.commitments]]`: a commitment declared, or a derived one completed.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Commitment")]
pub(crate) struct RawCommitment {
    /// The id events name; a term's issue name completes that term's commitment.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `total`, `rate`, `deadline`, `hold` or `gate` (default: derived from the term).
    #[schemars(with = "Option<String>")]
    pub kind: Option<Spanned<String>>,
    /// The party ids that owe it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub owed_by: Vec<Spanned<String>>,
    /// The unit events count it in.
    pub unit: Option<String>,
    /// The phase it belongs to.
    #[schemars(with = "Option<String>")]
    pub phase: Option<Spanned<String>>,
    /// `total`: how many in all.
    pub total: Option<f64>,
    /// `total`: batches on days of the phase.
    #[serde(default)]
    pub schedule: Vec<RawBatch>,
    /// `total` or `deadline`: done by this day of the phase.
    pub by_day: Option<u32>,
    /// `rate`: how many a day.
    pub per_day: Option<f64>,
    /// `rate`: the shortfall allowed, a fraction of the rate.
    pub tolerance: Option<f64>,
    /// `rate`: the days averaged over.
    pub window_days: Option<u32>,
    /// `gate`: the commitments that must be met first.
    #[serde(default)]
    pub after: Vec<String>,
    /// Where it is reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// `[[state_of_play]]`: what was delivered and what was still held on a date.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StateOfPlay")]
pub(crate) struct RawStateOfPlay {
    /// The date of the record.
    #[schemars(with = "RawDate")]
    pub date: Spanned<RawDate>,
    /// The id of the agreement in force, whose terms `delivered` counts against.
    #[schemars(with = "Option<String>")]
    pub agreement: Option<Spanned<String>>,
    /// Counts delivered under the agreement by this date, by integer issue name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, i64>")]
    pub delivered: BTreeMap<Spanned<String>, i64>,
    /// Counts still held (the most any later term can give), by integer issue name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, i64>")]
    pub held: BTreeMap<Spanned<String>, i64>,
    /// Where the figures are reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes them, when no source reports them.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// `[case]`: what the case is.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Case")]
pub(crate) struct RawCase {
    /// A short id (`harbour-truce`).
    pub id: String,
    /// The title for people.
    pub title: String,
    /// What the case covers.
    pub description: Option<String>,
    /// The date the case describes the talks as of (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "Option<RawDate>")]
    pub as_of: Option<Spanned<RawDate>>,
}

/// `[[sources]]`: a document the case cites.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(crate) struct RawSource {
    /// A short id, unique in the case (`S01`), used by `cite`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The document's title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<Spanned<RawDate>>,
    /// Its web address (give `url` or `file`, not both).
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
    /// Its file name (give `url` or `file`, not both).
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
    /// Notes on the source and its reliability.
    pub notes: Option<String>,
    /// Whose word it carries (how well a fact citing it is sourced).
    pub kind: Option<RawSourceKind>,
}

/// Whose word a source carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "SourceKind")]
pub(crate) enum RawSourceKind {
    /// A report that names no official behind the fact.
    Report,
    /// What unnamed officials or sources said.
    UnnamedOfficials,
    /// What a named official said, or a party's own statement.
    NamedOfficial,
    /// The text itself: an agreement, a resolution, an official statement as issued.
    OfficialText,
}

/// The kind of values an issue takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum IssueType {
    /// Named `options`, optionally `ordered`.
    Discrete,
    /// Integers from `min` to `max` by `step` (default 1).
    Integer,
    /// Reals from `min` to `max`, enumerated on `levels` evenly spaced grid points.
    Real,
    /// The options `no` and `yes`; values may be written `false` and `true`.
    Boolean,
}

/// `[[issues]]`: one thing to agree on.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Issue")]
pub(crate) struct RawIssue {
    /// The issue's name, unique in the case; terms, weights and red lines refer to it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What the issue means.
    pub description: Option<String>,
    /// The kind of values; `discrete` when omitted and `options` are given.
    #[serde(rename = "type")]
    #[schemars(with = "Option<IssueType>")]
    pub kind: Option<Spanned<IssueType>>,
    /// A discrete issue's option names.
    #[schemars(with = "Option<Vec<String>>")]
    pub options: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether a discrete issue's options are listed in order, so that red lines may compare them
    /// with `<`, `>=`, ...
    #[schemars(with = "Option<bool>")]
    pub ordered: Option<Spanned<bool>>,
    /// The lowest value of a numeric issue.
    #[schemars(with = "Option<Number>")]
    pub min: Option<Spanned<Number>>,
    /// The highest value of a numeric issue.
    #[schemars(with = "Option<Number>")]
    pub max: Option<Spanned<Number>>,
    /// The step of an integer issue (default 1).
    #[schemars(with = "Option<i64>")]
    pub step: Option<Spanned<i64>>,
    /// The number of grid points of a real issue (1 when `min == max`, at least 2 otherwise).
    #[schemars(with = "Option<u32>")]
    pub levels: Option<Spanned<u32>>,
}

/// `[[phases]]`: one stage of a phased agreement.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Phase")]
pub(crate) struct RawPhase {
    /// The phase's name, unique in the case.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// How long the phase lasts, in days.
    pub duration_days: Option<u32>,
    /// The issues this phase fixes; an issue belongs to one phase at most.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub issues: Vec<Spanned<String>>,
    /// The condition for entering the next phase, in words.
    pub next_condition: Option<String>,
    /// What the phase is.
    pub description: Option<String>,
    /// Where the phase structure is stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source states it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// What a party does in the talks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Role")]
pub(crate) enum RawRole {
    /// Its agreement is needed.
    Negotiator,
    /// Carries texts and drafts bridging proposals.
    Mediator,
    /// Guarantees implementation.
    Guarantor,
    /// Follows the talks.
    Observer,
}

/// `[[parties]]`: a party to the talks.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Party")]
pub(crate) struct RawParty {
    /// A short id, unique in the case (`north`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The party's name for people.
    pub name: String,
    /// One or more of `negotiator`, `mediator`, `guarantor`, `observer`.
    pub roles: Vec<RawRole>,
    /// Ids of the parties this one is aligned with.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub aligned_with: Vec<Spanned<String>>,
    /// The party's position in the talks.
    pub description: Option<String>,
    /// Where the roles and description are stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes them, when no source states them.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// How the party values outcomes (needed for negotiators that analysis and simulation include).
    #[schemars(with = "Option<RawPreferences>")]
    pub preferences: Option<Spanned<RawPreferences>>,
    /// The party's hard constraints: an outcome breaking one is unacceptable to it. Needs `preferences`.
    #[serde(default)]
    #[schemars(with = "Vec<RawRedLine>")]
    pub red_lines: Vec<Spanned<RawRedLine>>,
    /// What the party said it demands or refuses, over time, as reported (the record its red lines
    /// rest on).
    #[serde(default)]
    #[schemars(with = "Vec<RawStatedPosition>")]
    pub stated_positions: Vec<Spanned<RawStatedPosition>>,
    /// The bodies within the party whose approval a text may need (a cabinet, coalition partners, a
    /// political bureau, a military wing), each with red lines of its own. Needs `approval`.
    #[serde(default)]
    #[schemars(with = "Vec<RawConstituency>")]
    pub constituencies: Vec<Spanned<RawConstituency>>,
    /// What carries among the constituencies.
    #[schemars(with = "Option<RawApproval>")]
    pub approval: Option<Spanned<RawApproval>>,
}

/// `[[parties.constituencies]]`: a body within a party whose approval a text may need.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Constituency")]
pub(crate) struct RawConstituency {
    /// A short id, unique within the party (`security_cabinet`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Its name for people.
    pub name: String,
    /// What it is and how it decides.
    pub description: Option<String>,
    /// Its weight under `rule = "majority"` (seats, votes); default 1.
    #[schemars(with = "Option<f64>")]
    pub weight: Option<Spanned<f64>>,
    /// What it says it will not approve: red lines as a party's are written.
    #[serde(default)]
    #[schemars(with = "Vec<RawRedLine>")]
    pub red_lines: Vec<Spanned<RawRedLine>>,
    /// Where its role in approving a deal is stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source states it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// What carries among a party's constituencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ApprovalRule")]
pub(crate) enum RawApprovalRule {
    /// More than half of the constituencies' total weight approves.
    Majority,
    /// Every constituency approves: each can block.
    Veto,
    /// The constituencies named in `constituencies` all approve; the others cannot block.
    AllOf,
}

/// `[parties.approval]`: the rule for what carries among a party's constituencies.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Approval")]
pub(crate) struct RawApproval {
    /// `majority`, `veto` or `all_of`.
    pub rule: RawApprovalRule,
    /// With `all_of`: the ids of the constituencies that must all approve.
    #[schemars(with = "Option<Vec<String>>")]
    pub constituencies: Option<Vec<Spanned<String>>>,
    /// Where the rule is stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source states it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// What kind of position a party stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "PositionKind")]
pub(crate) enum RawPositionKind {
    /// A condition the party says any agreement must meet.
    RedLine,
    /// Something the party seeks, without calling it a condition.
    CoreDemand,
}

/// `[[parties.stated_positions]]`: one position a party stated, as reported.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StatedPosition")]
pub(crate) struct RawStatedPosition {
    /// When it was stated (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "RawDate")]
    pub date: Spanned<RawDate>,
    /// The last date it is reported as held, when reported over a period; included.
    #[schemars(with = "Option<RawDate>")]
    pub until: Option<Spanned<RawDate>>,
    /// `red_line` (a condition for any agreement) or `core_demand` (something sought).
    pub kind: RawPositionKind,
    /// The position, in the words of the report.
    pub text: String,
    /// The name of the party's red line (under `[[parties.red_lines]]`) this position backs.
    #[schemars(with = "Option<String>")]
    pub red_line: Option<Spanned<String>>,
    /// Where it is reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// `[parties.preferences]`: how a party values outcomes. Either `weights` and `values` (additive
/// utility) or `rectangles` (nonlinear, as in the ANAC 2014 domains).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Preferences")]
pub(crate) struct RawPreferences {
    /// Each issue's weight, by issue name; every issue needs one (0 to ignore it).
    #[schemars(with = "Option<BTreeMap<String, f64>>")]
    pub weights: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Each issue's value function, by issue name.
    #[schemars(with = "Option<BTreeMap<String, RawValueFunction>>")]
    pub values: Option<BTreeMap<Spanned<String>, Spanned<RawValueFunction>>>,
    /// A nonlinear hyper-rectangle utility instead of `weights` and `values`.
    #[schemars(with = "Option<RawRectangles>")]
    pub rectangles: Option<Spanned<RawRectangles>>,
    /// The utility of no agreement (default 0): outcomes below it are unacceptable.
    #[schemars(with = "Option<f64>")]
    pub reservation: Option<Spanned<f64>>,
    /// Utility is multiplied by `discount^t` at normalised time `t` (GENIUS semantics).
    #[schemars(with = "Option<f64>")]
    pub discount: Option<Spanned<f64>>,
    /// The party's belief that the agreement continues past each phase, keyed by the phase it leaves.
    #[schemars(with = "Option<BTreeMap<String, RawContinuation>>")]
    pub continuation: Option<BTreeMap<Spanned<String>, Spanned<RawContinuation>>>,
    /// Sources for the weights and scores (with `assumption`: sources that informed the judgement).
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst chose these weights and scores.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// Which way a `linear` value function runs over a numeric issue's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// 0 at `min`, 1 at `max`.
    Increasing,
    /// 1 at `min`, 0 at `max`.
    Decreasing,
}

/// How a party scores one issue's values: exactly one of `scores`, `points`, `linear`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ValueFunction")]
pub(crate) struct RawValueFunction {
    /// Scores on any non-negative scale, divided by the largest (GENIUS semantics): by option name
    /// for a discrete issue, or a list with one score per grid value.
    #[schemars(with = "Option<GridNumbers>")]
    pub scores: Option<Spanned<GridNumbers>>,
    /// A piecewise-linear function of a numeric issue: `[value, score]` pairs in increasing order of
    /// value, scores in `[0, 1]`, constant beyond the ends.
    #[schemars(with = "Option<Vec<(f64, f64)>>")]
    pub points: Option<Spanned<Vec<(f64, f64)>>>,
    /// A straight line over a numeric issue's range.
    #[schemars(with = "Option<Direction>")]
    pub linear: Option<Spanned<Direction>>,
}

/// Numbers given per grid value of an issue: a table by option name, or a list in grid order.
pub(crate) enum GridNumbers {
    /// By option name.
    ByName(BTreeMap<Spanned<String>, Spanned<f64>>),
    /// In grid order.
    List(Vec<Spanned<f64>>),
}

/// `[parties.preferences.continuation.<phase>]`: the belief that the phase after `<phase>` is entered.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Continuation")]
pub(crate) struct RawContinuation {
    /// A probability in `[0, 1]`, or `{ issue = "...", values = ... }` when it depends on the value
    /// agreed for one issue.
    #[schemars(with = "RawProbability")]
    pub probability: Spanned<RawProbability>,
    /// Sources for the belief.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst holds it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// A transition probability.
pub(crate) enum RawProbability {
    /// The same whatever is agreed.
    Fixed(f64),
    /// Depends on one issue's value.
    ByIssue(RawProbabilityByIssue),
}

/// A probability per value of one issue.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ProbabilityByIssue")]
pub(crate) struct RawProbabilityByIssue {
    /// The issue it depends on.
    #[schemars(with = "String")]
    pub issue: Spanned<String>,
    /// One probability per value: by option name, or a list in grid order.
    #[schemars(with = "GridNumbers")]
    pub values: Spanned<GridNumbers>,
}

/// `[parties.preferences.rectangles]`: GENIUS's nonlinear utility, `min(1, root / max_utility)`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Rectangles")]
pub(crate) struct RawRectangles {
    /// The normaliser; positive.
    pub max_utility: f64,
    /// How the root's parts combine.
    pub aggregation: RawAggregation,
    /// The root's weight (default 1; GENIUS ignores it at the root).
    pub weight: Option<f64>,
    /// The root's rectangles.
    #[serde(default)]
    pub rectangles: Vec<RawRectangle>,
    /// Inner functions.
    #[serde(default)]
    pub children: Vec<RawRectangleFunction>,
}

/// An inner aggregation of rectangles.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RectangleFunction")]
pub(crate) struct RawRectangleFunction {
    /// How the parts combine.
    pub aggregation: RawAggregation,
    /// Multiplies the function's value.
    pub weight: f64,
    /// Its rectangles.
    #[serde(default)]
    pub rectangles: Vec<RawRectangle>,
    /// Its inner functions.
    #[serde(default)]
    pub children: Vec<RawRectangleFunction>,
}

/// How parts combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Aggregation")]
pub(crate) enum RawAggregation {
    /// Their sum.
    Sum,
    /// The smallest.
    Min,
    /// The largest.
    Max,
}

/// A box in the space of numeric values that pays `utility * weight`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Rectangle")]
pub(crate) struct RawRectangle {
    /// `true`: pays when the outcome lies inside every bound; `false`: when outside at least one.
    pub inclusive: bool,
    /// What it pays.
    pub utility: f64,
    /// Multiplies the utility (default 1).
    pub weight: Option<f64>,
    /// Per-issue bounds.
    #[serde(default)]
    pub bounds: Vec<RawBound>,
}

/// `min <= value(issue) <= max`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Bound")]
pub(crate) struct RawBound {
    /// A numeric issue.
    #[schemars(with = "String")]
    pub issue: Spanned<String>,
    /// Lowest value inside.
    pub min: f64,
    /// Highest value inside.
    pub max: f64,
}

/// `[[parties.red_lines]]`: a hard constraint.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RedLine")]
pub(crate) struct RawRedLine {
    /// A short name, unique within the party.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// What must hold, e.g. `'withdrawal >= "populated_areas" and permanent_ceasefire == true'`.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// The red line in words, as stated.
    pub description: Option<String>,
    /// In force from this date on, from its first day (`2024-07`: from 1 July); omitted: from
    /// before the case begins.
    #[schemars(with = "Option<RawDate>")]
    pub since: Option<Spanned<RawDate>>,
    /// In force up to and including this date, to its last day (`2024-07`: to 31 July); omitted:
    /// still in force.
    #[schemars(with = "Option<RawDate>")]
    pub until: Option<Spanned<RawDate>>,
    /// `true`: in force only while the stated positions that name it are held (to the last day any
    /// of them is reported held); instead of `until`.
    #[schemars(with = "Option<bool>")]
    pub ends_with_position: Option<Spanned<bool>>,
    /// The conditions under which the party says the red line gives way, as its statement gives them.
    #[serde(default)]
    #[schemars(with = "Vec<RawRedLineCondition>")]
    pub conditions: Vec<Spanned<RawRedLineCondition>>,
    /// Where it was stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source states it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// `[[parties.red_lines.conditions]]`: a condition under which a red line gives way.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RedLineCondition")]
pub(crate) struct RawRedLineCondition {
    /// The condition in the statement's words.
    pub text: String,
    /// The analyst's reading over issue values (the rule syntax); omitted: the model cannot express
    /// it, and the red line stands.
    #[schemars(with = "Option<String>")]
    pub rule: Option<Spanned<String>>,
    /// Where it is stated.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst reads it so.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// What kind of text a proposal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ProposalKind")]
pub(crate) enum RawProposalKind {
    /// A party's or a mediator's proposal.
    Proposal,
    /// An answer to an earlier proposal.
    Counterproposal,
    /// A mediators' bridging text.
    Bridging,
    /// Terms agreed and implemented.
    Agreement,
    /// A resolution endorsing terms.
    Resolution,
}

/// `[[proposals]]`: a text tabled in the talks.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Proposal")]
pub(crate) struct RawProposal {
    /// A short id, unique in the case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The proposal's name for people.
    pub title: String,
    /// What kind of text it is (default `proposal`).
    pub kind: Option<RawProposalKind>,
    /// When it was tabled (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<Spanned<RawDate>>,
    /// Ids of the parties that tabled it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tabled_by: Vec<Spanned<String>>,
    /// Ids of the mediators it was carried through.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub via: Vec<Spanned<String>>,
    /// The id of the proposal this one answers.
    #[schemars(with = "Option<String>")]
    pub responds_to: Option<Spanned<String>>,
    /// The terms, by issue name; issues without a term are open.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawTerm>")]
    pub terms: BTreeMap<Spanned<String>, Spanned<RawTerm>>,
    /// What each party said of it.
    #[serde(default)]
    #[schemars(with = "Vec<RawResponse>")]
    pub responses: Vec<Spanned<RawResponse>>,
    /// Where the proposal as a whole is reported (covers its terms).
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// A term: a bare value, or a table with exactly one of `value`, `min` and `max`, or `open = true`.
pub(crate) enum RawTerm {
    /// `issue = value`.
    Value(RawValue),
    /// `issue = { ... }`.
    Table(Box<RawTermTable>),
}

/// The table form of a term.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TermTable")]
pub(crate) struct RawTermTable {
    /// A definite value.
    #[schemars(with = "Option<RawValue>")]
    pub value: Option<Spanned<RawValue>>,
    /// With `max`: somewhere between the two values of an ordered issue, both included.
    #[schemars(with = "Option<RawValue>")]
    pub min: Option<Spanned<RawValue>>,
    /// With `min`: the highest value of a range.
    #[schemars(with = "Option<RawValue>")]
    pub max: Option<Spanned<RawValue>>,
    /// `true`: the proposal explicitly leaves the issue open (say why in `notes`).
    #[schemars(with = "Option<bool>")]
    pub open: Option<Spanned<bool>>,
    /// Where the term is reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Other values that other sources report for the same term.
    #[serde(default)]
    #[schemars(with = "Vec<RawAlternative>")]
    pub alternatives: Vec<Spanned<RawAlternative>>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
    /// Done by this day of the issue's phase (day 1 is its first day).
    #[schemars(with = "Option<u32>")]
    pub by_day: Option<Spanned<u32>>,
    /// Done on (or by) this date.
    #[schemars(with = "Option<RawDate>")]
    pub on: Option<Spanned<RawDate>>,
    /// Delivered in batches on days of the phase, adding up to the value.
    #[serde(default)]
    #[schemars(with = "Vec<RawBatch>")]
    pub schedule: Vec<Spanned<RawBatch>>,
    /// A rate per category of exchanged people (`{ civilian = 3, soldier = 10 }`).
    #[serde(default)]
    pub by_category: BTreeMap<String, f64>,
    /// Issues whose terms in this proposal must be met first.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub after: Vec<Spanned<String>>,
    /// `true`: holds only while talks on the next phase continue.
    pub while_talks: Option<bool>,
    /// What the text says follows if the talks stall.
    pub if_stalled: Option<String>,
}

/// One batch of a schedule.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Batch")]
pub(crate) struct RawBatch {
    /// The day of the phase, from 1.
    pub day: u32,
    /// How many.
    pub count: u32,
}

/// A value some source reports instead of the one used.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Alternative")]
pub(crate) struct RawAlternative {
    /// A definite value.
    #[schemars(with = "Option<RawValue>")]
    pub value: Option<Spanned<RawValue>>,
    /// With `max`: the lowest value of a range.
    #[schemars(with = "Option<RawValue>")]
    pub min: Option<Spanned<RawValue>>,
    /// With `min`: the highest value of a range.
    #[schemars(with = "Option<RawValue>")]
    pub max: Option<Spanned<RawValue>>,
    /// `true`: this source reports the issue as left open.
    #[schemars(with = "Option<bool>")]
    pub open: Option<Spanned<bool>>,
    /// The source(s) giving it.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst considers it, when no source gives it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
    /// Why it was not used.
    pub notes: Option<String>,
}

/// A party's recorded response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Stance")]
pub(crate) enum RawStance {
    /// Accepted the proposal.
    Accepted,
    /// Rejected it.
    Rejected,
    /// Answered with changes or a counterproposal (`countered_with`).
    Countered,
    /// Not known.
    Unknown,
}

/// `[[proposals.responses]]`: what one party said of a proposal.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Response")]
pub(crate) struct RawResponse {
    /// The responding party's id.
    #[schemars(with = "String")]
    pub party: Spanned<String>,
    /// What it said.
    pub stance: RawStance,
    /// When (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<Spanned<RawDate>>,
    /// The id of the counterproposal it answered with (only with `stance = "countered"`).
    #[schemars(with = "Option<String>")]
    pub countered_with: Option<Spanned<String>>,
    /// The party's stated reasons.
    pub reasons: Option<String>,
    /// Where the response is reported.
    #[schemars(with = "Option<Vec<RawCitation>>")]
    pub cite: Cite,
    /// Why the analyst assumes it, when no source reports it.
    #[schemars(with = "Option<String>")]
    pub assumption: Option<Spanned<String>>,
}

/// A citation: a source id (`"S03"`), or `{ source = "S03", quote = "..." }`.
pub(crate) struct RawCitation {
    /// The source's id.
    pub source: String,
    /// Where the id is written, in the table form (the bare form's span is the citation's own).
    pub source_span: Option<Span>,
    /// The passage relied on, verbatim.
    pub quote: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CitationTable")]
struct RawCitationTable {
    /// The cited source's id.
    #[schemars(with = "String")]
    source: Spanned<String>,
    /// The passage relied on, verbatim.
    quote: Option<String>,
}

/// A value as written: an option name, a number or a boolean (for yes/no issues).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RawValue {
    /// A string: an option name.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
}

/// A number as written: integer or float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Number {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

/// A date as written: a string `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or a TOML local date `2024-05-31`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawDate(pub String);

// ---------------------------------------------------------------------------------------------------
// Hand-written `Deserialize` impls: they dispatch on the TOML shape and hand tables and arrays back to
// the TOML deserializer (through `MapAccessDeserializer` / `SeqAccessDeserializer`) so spans survive.

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value: an option name (string), a number, or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                i64::try_from(v).map(RawValue::Int).map_err(|_| E::custom(too_large(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
                Err(E::custom(too_large(v)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
                Err(E::custom(too_large(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

fn too_large(v: impl fmt::Display) -> String {
    format!("the number {v} is too large: integers must lie between -2^63 and 2^63 - 1")
}

/// The start of the message for a TOML date-time given where a date is expected (`read.rs` gives it
/// the code `invalid-date`).
pub(crate) const DATE_WITH_TIME: &str = "a date has no time of day:";

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v).map(Number::Int).map_err(|_| E::custom(too_large(v)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Number, E> {
                Err(E::custom(too_large(v)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Number, E> {
                Err(E::custom(too_large(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number::Float(v))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date: \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDate, E> {
                Ok(RawDate(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDate, A::Error> {
                // A TOML date literal (`date = 2024-05-31`) arrives as toml's datetime map.
                let datetime = toml::value::Datetime::deserialize(MapAccessDeserializer::new(map))?;
                match (datetime.date, datetime.time, datetime.offset) {
                    (Some(d), None, None) => {
                        Ok(RawDate(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)))
                    }
                    _ => Err(de::Error::custom(format!(
                        "{DATE_WITH_TIME} give `{datetime}` as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\""
                    ))),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawCitation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCitation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a source id, or a table { source = \"...\", quote = \"...\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCitation, E> {
                Ok(RawCitation { source: v.to_owned(), source_span: None, quote: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCitation, A::Error> {
                let table = RawCitationTable::deserialize(MapAccessDeserializer::new(map))?;
                let source_span = Some(table.source.span());
                Ok(RawCitation { source: table.source.into_inner(), source_span, quote: table.quote })
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawTerm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTerm;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a value, or a table with `value`, `min` and `max`, or `open = true` (and `cite`, `notes`, ...)",
                )
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawTerm, E> {
                Ok(RawTerm::Value(RawValue::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTerm, E> {
                Ok(RawTerm::Value(RawValue::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTerm, E> {
                i64::try_from(v)
                    .map(|v| RawTerm::Value(RawValue::Int(v)))
                    .map_err(|_| E::custom(too_large(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawTerm, E> {
                Ok(RawTerm::Value(RawValue::Float(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawTerm, E> {
                Ok(RawTerm::Value(RawValue::Str(v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawTerm, A::Error> {
                RawTermTable::deserialize(MapAccessDeserializer::new(map))
                    .map(|t| RawTerm::Table(Box::new(t)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for GridNumbers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GridNumbers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of numbers by option name, or a list with one number per value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GridNumbers, A::Error> {
                BTreeMap::deserialize(MapAccessDeserializer::new(map)).map(GridNumbers::ByName)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<GridNumbers, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(GridNumbers::List)
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawProbability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawProbability;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a probability, or a table { issue = \"...\", values = ... }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawProbability, E> {
                #[allow(clippy::cast_precision_loss)] // reported as out of [0, 1] anyway when large
                Ok(RawProbability::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawProbability, E> {
                #[allow(clippy::cast_precision_loss)]
                Ok(RawProbability::Fixed(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawProbability, E> {
                Ok(RawProbability::Fixed(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawProbability, A::Error> {
                RawProbabilityByIssue::deserialize(MapAccessDeserializer::new(map))
                    .map(RawProbability::ByIssue)
            }
        }
        deserializer.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------------
// JSON schemas of the hand-written types.

impl JsonSchema for RawValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Value".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A value of an issue: an option name, a number, or true/false for a yes/no issue.",
            "type": ["string", "number", "boolean"]
        })
    }
}

impl JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}

impl JsonSchema for RawDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date known to the year, month or day: YYYY, YYYY-MM or YYYY-MM-DD.",
            "type": "string",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
        })
    }
}

impl JsonSchema for RawCitation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Citation".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let table = generator.subschema_for::<RawCitationTable>();
        json_schema!({
            "description": "A source id, or a table with the source id and the passage relied on.",
            "anyOf": [{ "type": "string" }, table]
        })
    }
}

impl JsonSchema for RawTerm {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Term".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<RawValue>();
        let table = generator.subschema_for::<RawTermTable>();
        json_schema!({
            "description": "A term: a bare value, or a table with `value`, a range `min`/`max`, or `open = true`.",
            "anyOf": [value, table]
        })
    }
}

impl JsonSchema for GridNumbers {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GridNumbers".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Numbers per value of an issue: a table by option name, or a list in grid order.",
            "anyOf": [
                { "type": "object", "additionalProperties": { "type": "number" } },
                { "type": "array", "items": { "type": "number" } }
            ]
        })
    }
}

impl JsonSchema for RawProbability {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Probability".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let by_issue = generator.subschema_for::<RawProbabilityByIssue>();
        json_schema!({
            "description": "A probability in [0, 1], or one per value of an issue.",
            "anyOf": [{ "type": "number", "minimum": 0, "maximum": 1 }, by_issue]
        })
    }
}
