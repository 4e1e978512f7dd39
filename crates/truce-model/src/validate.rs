//! Semantic checks on a built case: everything that can be wrong once every reference resolves.
//!
//! Each [`Problem`] names a [`Location`] in the model; the formats layer maps locations back to file,
//! line and column. Errors make a case unusable for analysis; warnings are lints (a term without a
//! source) that `truce check --strict` turns into errors.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// The largest sum of one party's additive weights: past it, utilities overflow (two weights of
/// `1e308` sum to infinity) or swamp the fixed-point resolution the analysis shares between the
/// parties (weights of `1e12` left another party's best found only to within 0.05). Weights are
/// ratios: rescaling them to sum to 1 changes no choice.
pub const MAX_WEIGHT_SUM: f64 = 1000.0;

use crate::source::period_is_reversed;
mod agreements;
mod names;
mod refs;
mod satisfy;

use crate::{
    Basis, Case, Constraint, Domain, IssueId, PartyId, PhaseId, Preferences, Probability, ProposalId,
    SourceId, TermValue, Utility, Value, ValueFunction,
};

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A lint: the case works, but something is likely missing or surprising.
    Warning,
    /// The case cannot be used as it is.
    Error,
}

/// Where in a case a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum Location {
    /// The case as a whole.
    Case,
    /// An issue's definition.
    Issue {
        /// The issue.
        issue: IssueId,
    },
    /// A phase's definition.
    Phase {
        /// The phase.
        phase: PhaseId,
    },
    /// A party's definition.
    Party {
        /// The party.
        party: PartyId,
    },
    /// A party's preferences as a whole (reservation value, discount).
    Preferences {
        /// The party.
        party: PartyId,
    },
    /// A party's weight and value function for one issue.
    IssueUtility {
        /// The party.
        party: PartyId,
        /// The issue.
        issue: IssueId,
    },
    /// A party's belief in one phase transition.
    Continuation {
        /// The party.
        party: PartyId,
        /// The transition (from phase `index` to `index + 1`).
        index: usize,
    },
    /// One of a party's stated positions.
    StatedPosition {
        /// The party.
        party: PartyId,
        /// Its position in the party's list.
        index: usize,
    },
    /// One of a party's red lines.
    RedLine {
        /// The party.
        party: PartyId,
        /// Its position in the party's list.
        index: usize,
    },
    /// One of a party's constituencies.
    Constituency {
        /// The party.
        party: PartyId,
        /// Its position in the party's list.
        index: usize,
    },
    /// One of a constituency's red lines.
    ConstituencyRedLine {
        /// The party.
        party: PartyId,
        /// The constituency's position in the party's list.
        constituency: usize,
        /// The red line's position in the constituency's list.
        index: usize,
    },
    /// A party's rule for what carries among its constituencies.
    Approval {
        /// The party.
        party: PartyId,
    },
    /// A proposal as a whole.
    Proposal {
        /// The proposal.
        proposal: ProposalId,
    },
    /// One term of a proposal.
    Term {
        /// The proposal.
        proposal: ProposalId,
        /// Its position in the proposal's terms.
        index: usize,
    },
    /// One response to a proposal.
    Response {
        /// The proposal.
        proposal: ProposalId,
        /// Its position in the proposal's responses.
        index: usize,
    },
    /// A state-of-play record.
    StateOfPlay {
        /// Its position in the case's list.
        index: usize,
    },
    /// A signed agreement (its start, extensions, reconciliation rule).
    Agreement {
        /// Its position in the case's list.
        index: usize,
    },
    /// A commitment declared in a signed agreement.
    DeclaredCommitment {
        /// The agreement's position in the case's list.
        agreement: usize,
        /// The commitment's position in the agreement's list.
        index: usize,
    },
    /// A source's definition.
    Source {
        /// The source.
        source: SourceId,
    },
}

/// One thing wrong with a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case identifier of the check (`value-out-of-range`).
    pub code: &'static str,
    /// Where.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

struct Checker<'a> {
    case: &'a Case,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        location: Location,
        message: String,
        hint: Option<&str>,
    ) {
        self.problems.push(Problem { severity, code, location, message, hint: hint.map(str::to_owned) });
    }

    fn error(&mut self, code: &'static str, location: Location, message: String, hint: Option<&str>) {
        self.push(Severity::Error, code, location, message, hint);
    }

    fn warning(&mut self, code: &'static str, location: Location, message: String, hint: Option<&str>) {
        self.push(Severity::Warning, code, location, message, hint);
    }
}

impl Case {
    /// Every semantic problem of the case, errors and warnings, in a stable order.
    #[must_use]
    pub fn validate(&self) -> Vec<Problem> {
        let mut c = Checker { case: self, problems: Vec::new() };
        check_unique(&mut c, self.sources.iter().map(|s| s.id.as_str()), ("source", "sources"), |i| {
            Location::Source { source: SourceId::from_index(i) }
        });
        check_unique(&mut c, self.parties.iter().map(|p| p.id.as_str()), ("party", "parties"), |i| {
            Location::Party { party: PartyId::from_index(i) }
        });
        check_unique(&mut c, self.proposals.iter().map(|p| p.id.as_str()), ("proposal", "proposals"), |i| {
            Location::Proposal { proposal: ProposalId::from_index(i) }
        });
        refs::check(&mut c);
        check_phases(&mut c);
        check_parties(&mut c);
        check_proposals(&mut c);
        check_quotes(&mut c);
        check_state_of_play(&mut c);
        agreements::check(&mut c);
        names::check(&mut c);
        c.problems
    }
}

fn check_unique<'a>(
    c: &mut Checker<'_>,
    ids: impl Iterator<Item = &'a str>,
    (what, plural): (&str, &str),
    location: impl Fn(usize) -> Location,
) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            c.error(
                "empty-id",
                location(i),
                format!("a {what} has an empty id"),
                Some("give it a short unique id"),
            );
        } else if !seen.insert(id) {
            c.error(
                "duplicate-id",
                location(i),
                format!("two {plural} have the id `{id}`"),
                Some("ids must be unique; rename one"),
            );
        }
    }
}

fn check_phases(c: &mut Checker<'_>) {
    let phases = c.case.domain.phases();
    for (k, phase) in phases.iter().enumerate() {
        let location = Location::Phase { phase: PhaseId::from_index(k) };
        if phase.issues.is_empty() {
            c.warning(
                "empty-phase",
                location,
                format!("phase `{}` fixes no issues", phase.name),
                Some("list the issues it settles"),
            );
        }
        if k + 1 == phases.len() && phase.next_condition.is_some() {
            c.warning(
                "dangling-phase-condition",
                location,
                format!("phase `{}` is the last but has a condition for a next phase", phase.name),
                None,
            );
        }
    }
}

fn check_parties(c: &mut Checker<'_>) {
    let case = c.case;
    if case.parties.iter().filter(|p| p.negotiates()).count() < 2 {
        c.warning(
            "too-few-negotiators",
            Location::Case,
            "fewer than two negotiating parties".into(),
            Some("give at least two parties the role `negotiator`"),
        );
    }
    for (i, party) in case.parties.iter().enumerate() {
        let pid = PartyId::from_index(i);
        if party.roles.is_empty() {
            c.error(
                "missing-role",
                Location::Party { party: pid },
                format!("party `{}` has no role", party.id),
                Some("give it at least one of negotiator, mediator, guarantor, observer"),
            );
        }
        if party.aligned_with.contains(&pid) {
            c.warning(
                "self-alignment",
                Location::Party { party: pid },
                format!("party `{}` is aligned with itself", party.id),
                None,
            );
        }
        check_stated_positions(c, pid);
        check_constituencies(c, pid);
        match &party.preferences {
            Some(prefs) => check_preferences(c, pid, prefs),
            None if party.negotiates() => c.warning(
                "missing-preferences",
                Location::Party { party: pid },
                format!(
                    "negotiating party `{}` has no preferences; analysis and simulation will leave it out",
                    party.id
                ),
                Some("add weights and option scores for it"),
            ),
            None => {}
        }
    }
}

/// A party's constituencies: unique ids, positive weights, their red lines checked as the party's
/// are, and an approval rule that names only constituencies the party has.
fn check_constituencies(c: &mut Checker<'_>, pid: PartyId) {
    let party = c.case.party(pid);
    let at = Location::Party { party: pid };
    check_unique(
        c,
        party.constituencies.iter().map(|x| x.id.as_str()),
        ("constituency", "constituencies"),
        |k| Location::Constituency { party: pid, index: k },
    );
    for (k, constituency) in party.constituencies.iter().enumerate() {
        let loc = Location::Constituency { party: pid, index: k };
        if !(constituency.weight.is_finite() && constituency.weight > 0.0) {
            c.error(
                "constituency-weight",
                loc,
                format!(
                    "constituency `{}` has weight {}, not a positive number",
                    constituency.id, constituency.weight
                ),
                Some("give its seats or votes, or leave `weight` out for 1"),
            );
        }
        if matches!(constituency.basis, Basis::Unsourced) {
            c.warning(
                "unsourced-constituency",
                loc,
                format!("constituency `{}` cites no source", constituency.id),
                Some("cite where its role in approving a deal is reported, or mark it as an assumption"),
            );
        }
        check_red_lines(c, pid, &constituency.red_lines, |index| Location::ConstituencyRedLine {
            party: pid,
            constituency: k,
            index,
        });
    }
    match &party.approval {
        None if !party.constituencies.is_empty() => c.error(
            "missing-approval",
            at,
            format!("party `{}` has constituencies but no rule for what carries among them", party.id),
            Some("add `[parties.approval]` with `rule = \"majority\"`, `\"veto\"` or `\"all_of\"`"),
        ),
        None => {}
        Some(approval) => {
            let loc = Location::Approval { party: pid };
            if party.constituencies.is_empty() {
                c.error(
                    "approval-without-constituencies",
                    loc,
                    format!("party `{}` has an approval rule but no constituencies", party.id),
                    Some("add its `[[parties.constituencies]]`, or drop `[parties.approval]`"),
                );
            }
            if let crate::ApprovalRule::AllOf { constituencies } = &approval.rule {
                if constituencies.is_empty() {
                    c.error(
                        "unknown-constituency",
                        loc,
                        "the rule `all_of` names no constituency".into(),
                        Some("list the ids of the constituencies that must all approve"),
                    );
                }
                for id in constituencies {
                    if !party.constituencies.iter().any(|x| &x.id == id) {
                        c.error(
                            "unknown-constituency",
                            loc,
                            format!("party `{}` has no constituency `{id}`", party.id),
                            Some("name one of the party's [[parties.constituencies]]"),
                        );
                    }
                }
            }
            if matches!(approval.basis, Basis::Unsourced) {
                c.warning(
                    "unsourced-approval",
                    loc,
                    format!("the approval rule of party `{}` cites no source", party.id),
                    Some("cite where the rule is stated, or mark it as an assumption"),
                );
            }
        }
    }
}

fn check_stated_positions(c: &mut Checker<'_>, pid: PartyId) {
    let party = c.case.party(pid);
    for (k, position) in party.stated_positions.iter().enumerate() {
        let loc = Location::StatedPosition { party: pid, index: k };
        if period_is_reversed(Some(position.date), position.until) {
            c.error(
                "reversed-period",
                loc,
                format!(
                    "the position is held until {}, before it was stated ({})",
                    position.until.map(|d| d.to_string()).unwrap_or_default(),
                    position.date
                ),
                Some("`until` is the last date the position is reported as held; it cannot precede `date`"),
            );
        }
        if position.basis.citations().is_empty() {
            c.warning(
                "unsourced-position",
                loc,
                format!("the position of `{}` stated {} cites no source", party.id, position.date),
                Some("a stated position is a fact: cite where it is reported"),
            );
        }
        if let Some(name) = &position.red_line {
            // A position may back the party's red line or one of its constituencies'.
            let red_lines: Vec<&crate::RedLine> = party
                .preferences
                .iter()
                .flat_map(|p| p.red_lines.iter())
                .chain(party.constituencies.iter().flat_map(|c| c.red_lines.iter()))
                .collect();
            if !red_lines.iter().any(|r| r.name == *name) {
                let known: Vec<String> = red_lines.iter().map(|r| format!("`{}`", r.name)).collect();
                let hint = if known.is_empty() {
                    format!("`{}` has no red lines", party.id)
                } else {
                    format!("its red lines are {}", known.join(", "))
                };
                c.error(
                    "unknown-red-line",
                    loc,
                    format!("the position backs red line `{name}`, which party `{}` does not have", party.id),
                    Some(&hint),
                );
            }
        }
    }
}

fn check_preferences(c: &mut Checker<'_>, party: PartyId, prefs: &Preferences) {
    let domain = &c.case.domain;
    let space = domain.space();
    let at = Location::Preferences { party };
    if !prefs.reservation.is_finite() {
        c.error(
            "invalid-reservation",
            at,
            format!("the reservation value {} is not a finite number", prefs.reservation),
            None,
        );
    }
    if let Some(d) = prefs.discount
        && !(d > 0.0 && d <= 1.0)
    {
        c.error(
            "invalid-discount",
            at,
            format!("the discount factor {d} is outside (0, 1]"),
            Some("1 means no discounting"),
        );
    }
    match &prefs.utility {
        Utility::Additive(additive) => {
            if additive.issues.len() != space.len() {
                c.error(
                    "utility-shape",
                    at,
                    format!(
                        "the utility has {} issue entries but the domain has {} issues",
                        additive.issues.len(),
                        space.len()
                    ),
                    None,
                );
                return;
            }
            let mut all_zero = true;
            for (i, (iu, issue)) in additive.issues.iter().zip(space.issues()).enumerate() {
                let loc = Location::IssueUtility { party, issue: IssueId::from_index(i) };
                if !iu.weight.is_finite() || iu.weight < 0.0 {
                    c.error(
                        "invalid-weight",
                        loc,
                        format!("weight {} for `{}` is not a non-negative number", iu.weight, issue.name),
                        None,
                    );
                } else if iu.weight > 0.0 {
                    all_zero = false;
                }
                check_value_function(c, loc, issue, &iu.value);
            }
            let sum = additive.weight_sum();
            if !all_zero && sum > MAX_WEIGHT_SUM {
                // Past this, utilities overflow (two weights of 1e308 sum to infinity) or swamp the
                // fixed-point resolution the analysis shares between the parties, so that another
                // party's best is no longer found exactly.
                c.error(
                    "weights-too-large",
                    at,
                    format!("the weights sum to {sum:e}: Truce accepts weights summing to at most {MAX_WEIGHT_SUM}"),
                    Some("rescale the weights to sum to 1 (only their ratios matter)"),
                );
            } else if all_zero {
                c.warning(
                    "zero-weights",
                    at,
                    "every weight is zero: this party is indifferent between all outcomes".into(),
                    None,
                );
            } else if sum.is_finite() && (sum - 1.0).abs() > 1e-6 {
                c.warning(
                    "weights-not-normalised",
                    at,
                    format!("the weights sum to {sum}, not 1: utilities range over [0, {sum}]"),
                    Some("rescale the weights to sum to 1"),
                );
            }
            if prefs.reservation.is_finite() && sum.is_finite() && prefs.reservation > sum + 1e-12 {
                c.warning("unreachable-reservation", at, format!("the reservation value {} exceeds the best possible utility {sum}: nothing is acceptable", prefs.reservation), None);
            }
        }
        Utility::Rectangles(r) => {
            if !(r.max_utility.is_finite() && r.max_utility > 0.0) {
                c.error(
                    "invalid-max-utility",
                    at,
                    format!("the maximum utility {} is not a positive number", r.max_utility),
                    None,
                );
            }
            if prefs.is_phase_weighted(domain) {
                c.error(
                    "phase-weighted-rectangles",
                    at,
                    "phase weighting is not defined for hyper-rectangle utilities".into(),
                    Some("drop the continuation beliefs or use an additive utility"),
                );
            }
        }
    }
    let transitions = domain.phases().len().saturating_sub(1);
    if prefs.continuation.len() > transitions {
        c.error(
            "too-many-beliefs",
            at,
            format!("{} continuation beliefs for {transitions} phase transitions", prefs.continuation.len()),
            Some("give one belief per transition between consecutive phases"),
        );
    }
    for (k, cont) in prefs.continuation.iter().enumerate() {
        let loc = Location::Continuation { party, index: k };
        match &cont.probability {
            Probability::Fixed(p) => check_probability(c, loc, *p),
            Probability::ByIssue { issue, values } => {
                let Some(issue_def) = space.issues().get(issue.index()) else {
                    c.error("unknown-issue", loc, format!("issue #{issue} does not exist"), None);
                    continue;
                };
                if values.len() != issue_def.cardinality() as usize {
                    c.error(
                        "belief-shape",
                        loc,
                        format!(
                            "{} probabilities for the {} values of `{}`",
                            values.len(),
                            issue_def.cardinality(),
                            issue_def.name
                        ),
                        Some("give one probability per value"),
                    );
                }
                for p in values {
                    check_probability(c, loc, *p);
                }
            }
        }
        if matches!(cont.basis, Basis::Unsourced) {
            c.warning(
                "unsourced-belief",
                loc,
                "a transition belief is neither sourced nor marked as an assumption".into(),
                Some("mark it as an assumption with a rationale"),
            );
        }
    }
    if matches!(prefs.basis, Basis::Unsourced) && !c.case.sources.is_empty() {
        c.warning(
            "unsourced-preferences",
            at,
            "preferences are neither sourced nor marked as an assumption".into(),
            Some("mark the weights as an assumption with a rationale"),
        );
    }
    check_red_lines(c, party, &prefs.red_lines, |k| Location::RedLine { party, index: k });
}

/// The checks every red line gets, a party's or a constituency's (`loc`: where the `k`th is). A
/// constituency's red line may refuse every outcome the model can express (ministers against any
/// pause in the fighting): that is what it says, so it is not the lint a party's would be.
fn check_red_lines(
    c: &mut Checker<'_>,
    party: PartyId,
    red_lines: &[crate::RedLine],
    loc: impl Fn(usize) -> Location,
) {
    let domain = &c.case.domain;
    let mut names = HashSet::new();
    for (k, red_line) in red_lines.iter().enumerate() {
        let loc = loc(k);
        if !names.insert(red_line.name.as_str()) {
            c.error(
                "duplicate-red-line",
                loc,
                format!("two red lines are called `{}`", red_line.name),
                Some("red line names must be unique per party"),
            );
        }
        let errors_before = c.problems.len();
        check_constraint(c, loc, &red_line.rule);
        let of_party = matches!(loc, Location::RedLine { .. });
        if c.problems.len() == errors_before
            && of_party
            && satisfy::can_hold(domain.space(), &red_line.rule) == Some(false)
        {
            c.warning(
                "red-line-never-holds",
                loc,
                format!(
                    "red line `{}` can never hold: no values of its issues satisfy `{}`, so every outcome breaks it",
                    red_line.name,
                    red_line.rule.describe(domain.space())
                ),
                Some("a party with this red line accepts nothing; join the conditions with `or`, or widen them"),
            );
        }
        if period_is_reversed(red_line.since, red_line.until) {
            c.error(
                "reversed-period",
                loc,
                format!(
                    "red line `{}` is in force until {}, before it comes into force ({})",
                    red_line.name,
                    red_line.until.map(|d| d.to_string()).unwrap_or_default(),
                    red_line.since.map(|d| d.to_string()).unwrap_or_default()
                ),
                Some(
                    "`until` is the last date the red line is in force, included; it cannot precede `since`",
                ),
            );
        }
        for condition in &red_line.conditions {
            if let Some(rule) = &condition.rule {
                check_constraint(c, loc, rule);
            }
        }
        check_red_line_end(c, party, loc, red_line);
        if matches!(red_line.basis, Basis::Unsourced) {
            c.warning(
                "unsourced-red-line",
                loc,
                format!("red line `{}` cites no source", red_line.name),
                Some("add a citation, or mark it as an assumption"),
            );
        } else if red_line.is_dated() && red_line.basis.citations().is_empty() {
            c.warning(
                "unsourced-period",
                loc,
                format!("red line `{}` is dated but cites no source for when it was stated", red_line.name),
                Some("cite the report of when the party stated or dropped it"),
            );
        }
    }
}

/// A red line that runs on past every stated position it rests on, when each of them has an end.
fn check_red_line_end(c: &mut Checker<'_>, party: PartyId, loc: Location, red_line: &crate::RedLine) {
    let positions: Vec<_> = c
        .case
        .party(party)
        .stated_positions
        .iter()
        .filter(|p| p.red_line.as_ref() == Some(&red_line.name))
        .collect();
    if red_line.ends_with_position && positions.is_empty() {
        c.error(
            "red-line-without-position",
            loc,
            format!("red line `{}` ends with its position, but no stated position backs it", red_line.name),
            Some("name it in a stated position's `red_line`, or give it an `until` date"),
        );
        return;
    }
    let Some(last) = positions
        .iter()
        .map(|p| p.until)
        .collect::<Option<Vec<_>>>()
        .and_then(|ends| ends.into_iter().max_by_key(|d| d.last_day()))
    else {
        return; // some position has no stated end: the record does not say the position ended
    };
    if positions.is_empty() {
        return;
    }
    let outlives = red_line.until.is_none_or(|u| u.last_day() > last.last_day());
    if outlives {
        let until = red_line.until.map_or_else(|| "has no end".to_owned(), |u| format!("runs until {u}"));
        c.warning(
            "red-line-outlives-position",
            loc,
            format!(
                "red line `{}` {until}, but the positions it rests on are last reported held on {last}",
                red_line.name
            ),
            Some("end it with its position (`ends_with_position = true`) or give it the `until` a source states"),
        );
    }
}

/// Whether a quote is (part of) its source's title rather than a statement from its text: its words
/// (three or more) are a run of the title's.
fn quote_is_title(quote: &str, title: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|ch: char| !ch.is_alphanumeric() && ch != '\'')
            .filter(|w| !w.is_empty())
            .map(|w| w.replace('\'', "").to_lowercase())
            .collect()
    };
    let (q, t) = (words(quote), words(title));
    q.len() >= 3 && t.windows(q.len()).any(|w| w == q.as_slice())
}

/// Warns at every citation whose quote is its source's title.
fn check_quotes(c: &mut Checker<'_>) {
    let case = c.case;
    let mut cited: Vec<(Location, &Basis)> = Vec::new();
    for (i, party) in case.parties.iter().enumerate() {
        let pid = PartyId::from_index(i);
        cited.push((Location::Party { party: pid }, &party.basis));
        for (k, p) in party.stated_positions.iter().enumerate() {
            cited.push((Location::StatedPosition { party: pid, index: k }, &p.basis));
        }
        for (k, r) in party.preferences.iter().flat_map(|p| p.red_lines.iter()).enumerate() {
            let loc = Location::RedLine { party: pid, index: k };
            cited.push((loc, &r.basis));
            cited.extend(r.conditions.iter().map(|x| (loc, &x.basis)));
        }
        for (j, constituency) in party.constituencies.iter().enumerate() {
            cited.push((Location::Constituency { party: pid, index: j }, &constituency.basis));
            for (k, r) in constituency.red_lines.iter().enumerate() {
                let loc = Location::ConstituencyRedLine { party: pid, constituency: j, index: k };
                cited.push((loc, &r.basis));
                cited.extend(r.conditions.iter().map(|x| (loc, &x.basis)));
            }
        }
        if let Some(approval) = &party.approval {
            cited.push((Location::Approval { party: pid }, &approval.basis));
        }
    }
    for (k, proposal) in case.proposals.iter().enumerate() {
        let pid = ProposalId::from_index(k);
        cited.push((Location::Proposal { proposal: pid }, &proposal.basis));
        for (t, term) in proposal.terms.iter().enumerate() {
            let loc = Location::Term { proposal: pid, index: t };
            cited.push((loc, &term.basis));
            cited.extend(term.alternatives.iter().map(|a| (loc, &a.basis)));
        }
        for (r, response) in proposal.responses.iter().enumerate() {
            cited.push((Location::Response { proposal: pid, index: r }, &response.basis));
        }
    }
    for (loc, basis) in cited {
        for citation in basis.citations() {
            let (Some(quote), Some(source)) = (&citation.quote, case.sources.get(citation.source.index()))
            else {
                continue;
            };
            if quote_is_title(quote, &source.title) {
                c.warning(
                    "quote-is-title",
                    loc,
                    format!("the quote \"{quote}\" is the title of `{}`, not a statement in it", source.id),
                    Some("quote the passage of the text that states the fact"),
                );
            }
        }
    }
}

/// A state of play delivering no more than its agreement provides, over integer issues; and proposals
/// asking for no more than is held on their dates.
fn check_state_of_play(c: &mut Checker<'_>) {
    let case = c.case;
    let space = case.space();
    for (k, record) in case.state_of_play.iter().enumerate() {
        let loc = Location::StateOfPlay { index: k };
        for count in record.delivered.iter().chain(&record.held) {
            // A dangling issue is reported by `refs`.
            let Some(issue) = space.issues().get(count.issue.index()) else { continue };
            if !matches!(issue.domain(), crate::IssueDomain::Integer(_)) || count.count < 0 {
                c.error(
                    "state-of-play-shape",
                    loc,
                    format!("`{}` = {} is not a count", issue.name, count.count),
                    Some("a state of play counts integer issues, from 0"),
                );
            }
        }
        let Some(agreement) = record.agreement.and_then(|a| case.proposals.get(a.index())) else {
            if !record.delivered.is_empty() {
                c.error(
                    "state-of-play-shape",
                    loc,
                    "counts delivered, but under no agreement".into(),
                    Some("name the agreement in force (`agreement = \"...\"`)"),
                );
            }
            continue;
        };
        for count in &record.delivered {
            let term = agreement.terms.iter().find(|t| t.issue == count.issue);
            let agreed = match term.map(|t| &t.value) {
                Some(TermValue::Set { value: Value::Int(v) }) => Some(*v),
                Some(TermValue::Range { max: Value::Int(v), .. }) => Some(*v),
                _ => None,
            };
            let Some(name) = space.issues().get(count.issue.index()).map(|i| &i.name) else { continue };
            match agreed {
                Some(agreed) if count.count > agreed => c.error(
                    "delivered-more-than-agreed",
                    loc,
                    format!(
                        "{} of `{name}` delivered by {}, but `{}` agrees {agreed}",
                        count.count, record.date, agreement.id
                    ),
                    Some("a state of play counts what was delivered under the agreement in force"),
                ),
                Some(_) => {}
                None => c.error(
                    "delivered-more-than-agreed",
                    loc,
                    format!("`{}` has no number for `{name}` to deliver against", agreement.id),
                    Some("count only what the agreement gives a number for"),
                ),
            }
        }
    }
    if case.state_of_play.is_empty() {
        return;
    }
    for (k, proposal) in case.proposals.iter().enumerate() {
        let Some(date) = proposal.date else { continue };
        for (t, term) in proposal.terms.iter().enumerate() {
            let Some(held) = case.held_at(term.issue, Some(date)) else { continue };
            let asked = match &term.value {
                TermValue::Set { value: Value::Int(v) } | TermValue::Range { min: Value::Int(v), .. } => *v,
                _ => continue,
            };
            if asked > held {
                let name = space.issues().get(term.issue.index()).map_or("?", |i| i.name.as_str());
                c.warning(
                    "more-than-exists",
                    Location::Term { proposal: ProposalId::from_index(k), index: t },
                    format!("the term asks for {asked} of `{name}`, but {held} are held on {date}"),
                    Some("a term can give no more than is left (see [[state_of_play]])"),
                );
            }
        }
    }
}

/// A term's provision: days inside its phase, a schedule adding up to the term, conditions naming
/// the proposal's own terms, with no cycle.
fn check_provisions(c: &mut Checker<'_>, pid: ProposalId) {
    let case = c.case;
    let proposal = case.proposal(pid);
    let space = case.space();
    for (t, term) in proposal.terms.iter().enumerate() {
        let loc = Location::Term { proposal: pid, index: t };
        let p = &term.provision;
        // A dangling issue is reported by `refs`.
        let Some(issue) = space.issues().get(term.issue.index()) else { continue };
        let phase = case.domain.phase_of(term.issue).and_then(|ph| case.domain.phases().get(ph.index()));
        for day in p.days() {
            match phase {
                None => {
                    c.error(
                        "day-outside-phase",
                        loc,
                        format!("day {day} of `{}`, which is in no phase", issue.name),
                        Some("name a phase's day only for an issue of that phase, or give a date (`on`)"),
                    );
                    break;
                }
                Some(ph) if day == 0 || ph.duration_days.is_some_and(|d| day > d) => c.error(
                    "day-outside-phase",
                    loc,
                    format!(
                        "day {day} is outside `{}`, which runs from day 1 to day {}",
                        ph.name,
                        ph.duration_days.unwrap_or(0)
                    ),
                    Some("days count from 1 to the phase's `duration_days`"),
                ),
                Some(_) => {}
            }
        }
        if let Some(total) = p.scheduled_total() {
            match &term.value {
                TermValue::Set { value: Value::Int(v) } if i64::try_from(total).ok() != Some(*v) => c.error(
                    "schedule-total",
                    loc,
                    format!(
                        "the schedule of `{}` releases {total} in all, but the term says {v}",
                        issue.name
                    ),
                    Some("the batches' counts add up to the term's value"),
                ),
                TermValue::Set { value: Value::Int(_) } => {}
                _ => c.error(
                    "schedule-total",
                    loc,
                    format!("a schedule needs a definite number for `{}`", issue.name),
                    Some("give the term the total as its value"),
                ),
            }
        }
        for after in &p.after {
            if !proposal.terms.iter().any(|x| x.issue == *after) {
                let name = space.issues().get(after.index()).map_or("?", |i| i.name.as_str());
                c.error(
                    "unknown-condition",
                    loc,
                    format!(
                        "the term for `{}` waits for `{name}`, which this proposal has no term for",
                        issue.name
                    ),
                    Some("name a term of the same proposal in `after`"),
                );
            }
        }
    }
    let after: Vec<(IssueId, &[IssueId])> =
        proposal.terms.iter().map(|t| (t.issue, t.provision.after.as_slice())).collect();
    if let Some(cycle) = crate::condition_cycle(&after) {
        let names: Vec<&str> =
            cycle.iter().map(|i| space.issues().get(i.index()).map_or("?", |x| x.name.as_str())).collect();
        let index = proposal.terms.iter().position(|t| t.issue == cycle[0]).unwrap_or(0);
        c.error(
            "condition-cycle",
            Location::Term { proposal: pid, index },
            format!("the conditions of {} wait for each other in a cycle", names.join(" -> ")),
            Some("each term may wait only for terms that do not wait for it"),
        );
    }
}

fn check_probability(c: &mut Checker<'_>, loc: Location, p: f64) {
    if !(0.0..=1.0).contains(&p) {
        c.error("invalid-probability", loc, format!("probability {p} is outside [0, 1]"), None);
    }
}

fn check_value_function(c: &mut Checker<'_>, loc: Location, issue: &crate::Issue, f: &ValueFunction) {
    match f {
        ValueFunction::Table { scores } => {
            if scores.len() != issue.cardinality() as usize {
                c.error(
                    "score-shape",
                    loc,
                    format!(
                        "{} scores for the {} values of `{}`",
                        scores.len(),
                        issue.cardinality(),
                        issue.name
                    ),
                    Some("give one score per value"),
                );
            }
            if let Some(bad) = scores.iter().find(|s| !s.is_finite() || **s < 0.0) {
                c.error(
                    "invalid-score",
                    loc,
                    format!("score {bad} for `{}` is not a non-negative number", issue.name),
                    None,
                );
            } else if !scores.is_empty() && scores.iter().all(|s| *s == 0.0) {
                c.warning(
                    "zero-scores",
                    loc,
                    format!("every score for `{}` is zero: the issue counts for nothing", issue.name),
                    None,
                );
            }
        }
        ValueFunction::PiecewiseLinear { points } => {
            if !issue.domain().is_numeric() {
                c.error(
                    "piecewise-on-discrete",
                    loc,
                    format!(
                        "`{}` is not numeric: a piecewise-linear function needs an integer or real issue",
                        issue.name
                    ),
                    Some("score its options in a table"),
                );
            }
            if points.is_empty() {
                c.error(
                    "empty-function",
                    loc,
                    format!("the function for `{}` has no points", issue.name),
                    None,
                );
            }
            if points.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
                c.error(
                    "invalid-point",
                    loc,
                    format!("the function for `{}` has a point that is not finite", issue.name),
                    None,
                );
            } else if points.windows(2).any(|w| w[0].0 >= w[1].0) {
                c.error(
                    "unsorted-points",
                    loc,
                    format!("the points for `{}` are not in strictly increasing order of value", issue.name),
                    None,
                );
            } else if points.iter().any(|(_, y)| !(0.0..=1.0).contains(y)) {
                c.warning(
                    "function-out-of-range",
                    loc,
                    format!("the function for `{}` leaves [0, 1]; it is clamped, as in GENIUS", issue.name),
                    None,
                );
            }
        }
    }
}

fn check_constraint(c: &mut Checker<'_>, loc: Location, rule: &Constraint) {
    let space = c.case.space();
    match rule {
        Constraint::Compare { issue, op, value } => {
            let Some(def) = space.issues().get(issue.index()) else {
                c.error("unknown-issue", loc, format!("issue #{issue} does not exist"), None);
                return;
            };
            if op.needs_order() && !def.domain().is_ordered() {
                c.error(
                    "unordered-comparison",
                    loc,
                    format!(
                        "`{}` is compared with `{}` but its options have no order",
                        def.name,
                        op.symbol()
                    ),
                    Some("mark the issue `ordered = true`, or use `==`, `!=` or `in [...]`"),
                );
            }
            check_value(c, loc, *issue, *value);
        }
        Constraint::OneOf { issue, values } => {
            if values.is_empty() {
                c.error(
                    "empty-one-of",
                    loc,
                    "the list of allowed values (`in [...]`) is empty: it can never hold".into(),
                    None,
                );
            }
            for v in values {
                check_value(c, loc, *issue, *v);
            }
        }
        Constraint::AllOf(parts) | Constraint::AnyOf(parts) => {
            if parts.is_empty() {
                c.error(
                    "empty-combination",
                    loc,
                    "an empty `all_of` / `any_of`".into(),
                    Some("list at least one condition"),
                );
            }
            for p in parts {
                check_constraint(c, loc, p);
            }
        }
    }
}

fn check_value(c: &mut Checker<'_>, loc: Location, issue: IssueId, value: Value) -> bool {
    let Some(def) = c.case.space().issues().get(issue.index()) else {
        c.error("unknown-issue", loc, format!("issue #{issue} does not exist"), None);
        return false;
    };
    let Some((message, hint)) = def.out_of_range(value) else { return true };
    c.error("value-out-of-range", loc, message, Some(&hint));
    false
}

fn check_proposals(c: &mut Checker<'_>) {
    let case = c.case;
    let domain: &Domain = &case.domain;
    for (k, proposal) in case.proposals.iter().enumerate() {
        let pid = ProposalId::from_index(k);
        let at = Location::Proposal { proposal: pid };
        let mut seen = HashMap::new();
        for (t, term) in proposal.terms.iter().enumerate() {
            let loc = Location::Term { proposal: pid, index: t };
            // A term for an issue that does not exist is reported by `refs`.
            let Some(name) = domain.space().issues().get(term.issue.index()).map(|i| &i.name) else {
                continue;
            };
            if let Some(first) = seen.insert(term.issue, t) {
                c.error(
                    "duplicate-term",
                    loc,
                    format!("`{name}` has two terms in this proposal (the first is term {})", first + 1),
                    Some("keep one; record other sources' values as alternatives"),
                );
            }
            check_term_value(c, loc, term.issue, &term.value);
            for alt in &term.alternatives {
                check_term_value(c, loc, term.issue, &alt.value);
            }
            if matches!(term.basis, Basis::Unsourced) && matches!(proposal.basis, Basis::Unsourced) {
                c.warning(
                    "unsourced-term",
                    loc,
                    format!("the term for `{name}` cites no source"),
                    Some("add a citation to the term or to the proposal"),
                );
            }
        }
        for (r, response) in proposal.responses.iter().enumerate() {
            let loc = Location::Response { proposal: pid, index: r };
            if response.countered_with == Some(pid) {
                c.error("self-counter", loc, "a proposal is countered with itself".into(), None);
            }
            if matches!(response.basis, Basis::Unsourced)
                && let Some(party) = case.parties.get(response.party.index()).map(|p| &p.id)
            {
                c.warning(
                    "unsourced-response",
                    loc,
                    format!("the response of `{party}` cites no source"),
                    Some("add a citation"),
                );
            }
        }
        check_provisions(c, pid);
        if responds_to_cycle(case, pid) {
            c.error(
                "responds-to-cycle",
                at,
                format!("proposal `{}` answers itself through a cycle of `responds_to`", proposal.id),
                Some("a proposal can only answer an earlier one"),
            );
        }
    }
}

fn check_term_value(c: &mut Checker<'_>, loc: Location, issue: IssueId, value: &TermValue) {
    match value {
        TermValue::Set { value } => {
            check_value(c, loc, issue, *value);
        }
        TermValue::Range { min, max } => {
            let ok_min = check_value(c, loc, issue, *min);
            let ok_max = check_value(c, loc, issue, *max);
            let Some(domain) = c.case.space().issues().get(issue.index()).map(crate::Issue::domain) else {
                return;
            };
            if !domain.is_ordered() {
                c.error(
                    "unordered-range",
                    loc,
                    "a range needs an ordered issue".into(),
                    Some("use a single value, or mark the issue ordered"),
                );
            } else if ok_min && ok_max && domain.compare(*min, *max) == Some(std::cmp::Ordering::Greater) {
                c.error("reversed-range", loc, "the range's minimum is above its maximum".into(), None);
            }
        }
        TermValue::Open => {}
    }
}

fn responds_to_cycle(case: &Case, start: ProposalId) -> bool {
    let mut current = case.proposal(start).responds_to;
    let mut steps = 0;
    while let Some(p) = current {
        if p == start {
            return true;
        }
        steps += 1;
        if steps > case.proposals.len() {
            return false; // a cycle not through `start`: reported at its own members
        }
        current = case.proposals.get(p.index()).and_then(|q| q.responds_to);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AdditiveUtility, CmpOp, Issue, IssueDomain, IssueUtility, OutcomeSpace, PartialDate, Party,
        PositionKind, Proposal, ProposalKind, RedLine, Role, StatedPosition, Term,
    };

    fn case() -> Case {
        let space = OutcomeSpace::new(vec![
            Issue::new("ratio", IssueDomain::integer(10, 50, 10).unwrap()),
            Issue::new("scope", IssueDomain::discrete(vec!["a".into(), "b".into()], false).unwrap()),
        ])
        .unwrap();
        let prefs = Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![
                IssueUtility { weight: 0.5, value: ValueFunction::linear(10.0, 0.0, 50.0, 1.0) },
                IssueUtility { weight: 0.5, value: ValueFunction::Table { scores: vec![1.0, 0.0] } },
            ],
        }));
        let party = |id: &str| Party {
            preferences: Some(prefs.clone()),
            ..Party::new(id, id, vec![Role::Negotiator])
        };
        Case::new("t", "test", Domain::unphased(space), vec![party("x"), party("y")])
    }

    fn errors(case: &Case) -> Vec<String> {
        case.validate().into_iter().filter(|p| p.severity == Severity::Error).map(|p| p.message).collect()
    }

    /// The test case with its first issue in a 10-day phase, and one proposal with `terms`.
    fn phased(terms: Vec<Term>) -> Case {
        let mut c = case();
        let phase = crate::Phase {
            name: "one".into(),
            duration_days: Some(10),
            issues: vec![IssueId(0)],
            next_condition: None,
            description: None,
            basis: Basis::Unsourced,
        };
        c.domain = Domain::new(c.domain.space().clone(), vec![phase]).unwrap();
        c.proposals.push(Proposal {
            id: "p".into(),
            title: "p".into(),
            kind: ProposalKind::Proposal,
            date: None,
            tabled_by: vec![],
            via: vec![],
            responds_to: None,
            terms,
            responses: vec![],
            basis: Basis::Unsourced,
            notes: None,
        });
        c
    }

    fn codes(case: &Case) -> Vec<(&'static str, Location)> {
        case.validate()
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.code, p.location))
            .collect()
    }

    #[test]
    fn provisions_are_checked_against_their_phase_and_proposal() {
        let term = |issue: u32, value: Value, provision: crate::Provision| Term {
            provision,
            ..Term::set(IssueId(issue), value)
        };
        let batches = |b: &[(u32, u32)]| b.iter().map(|&(day, count)| crate::Batch { day, count }).collect();
        // A schedule that adds up, a day inside the phase, a condition on a term the proposal has.
        let good = phased(vec![
            term(
                0,
                Value::Int(30),
                crate::Provision {
                    by_day: Some(10),
                    schedule: batches(&[(1, 10), (5, 20)]),
                    ..Default::default()
                },
            ),
            term(1, Value::Option(0), crate::Provision { after: vec![IssueId(0)], ..Default::default() }),
        ]);
        assert_eq!(codes(&good), vec![]);
        let at = |index| Location::Term { proposal: ProposalId(0), index };
        // Day 11 of a 10-day phase; 25 scheduled for a term of 30.
        let bad = phased(vec![term(
            0,
            Value::Int(30),
            crate::Provision {
                by_day: Some(11),
                schedule: batches(&[(1, 5), (2, 20)]),
                ..Default::default()
            },
        )]);
        assert_eq!(codes(&bad), vec![("day-outside-phase", at(0)), ("schedule-total", at(0))]);
        // A day for an issue in no phase.
        let unphased = phased(vec![term(
            1,
            Value::Option(0),
            crate::Provision { by_day: Some(1), ..Default::default() },
        )]);
        assert_eq!(codes(&unphased), vec![("day-outside-phase", at(0))]);
        // A condition on a term the proposal lacks, and a cycle.
        let missing = phased(vec![term(
            1,
            Value::Option(0),
            crate::Provision { after: vec![IssueId(0)], ..Default::default() },
        )]);
        assert_eq!(codes(&missing), vec![("unknown-condition", at(0))]);
        let cycle = phased(vec![
            term(0, Value::Int(30), crate::Provision { after: vec![IssueId(1)], ..Default::default() }),
            term(1, Value::Option(0), crate::Provision { after: vec![IssueId(0)], ..Default::default() }),
        ]);
        let problems = cycle.validate();
        assert_eq!(codes(&cycle), vec![("condition-cycle", at(0))]);
        assert!(problems.iter().any(|p| p.message.contains("ratio -> scope")), "{problems:#?}");
    }

    #[test]
    fn a_red_line_that_outlives_its_position_or_quotes_a_title_is_linted() {
        let mut c = case();
        c.sources.push(crate::Source {
            id: "S1".into(),
            title: "Israel describes Paris discussions as constructive".into(),
            publisher: None,
            date: None,
            location: None,
            notes: None,
            kind: None,
        });
        let quoted = |q: &str| Basis::Sourced {
            citations: vec![crate::Citation { source: SourceId(0), quote: Some(q.into()) }],
        };
        let rule = Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Int(30) };
        let prefs = c.parties[0].preferences.as_mut().unwrap();
        prefs.red_lines.push(RedLine::new("cap", rule, quoted("Israel describes Paris discussions")));
        c.parties[0].stated_positions = vec![StatedPosition {
            date: PartialDate::ymd(2024, 8, 18).unwrap(),
            until: Some(PartialDate::ymd(2024, 9, 5).unwrap()),
            kind: PositionKind::RedLine,
            text: "t".into(),
            red_line: Some("cap".into()),
            basis: quoted("the talks were constructive"),
        }];
        let warnings = |c: &Case| -> Vec<&'static str> {
            let lints = c.validate().into_iter().filter(|p| p.severity == Severity::Warning);
            lints.map(|p| p.code).filter(|code| *code != "unsourced-preferences").collect()
        };
        let w = warnings(&c);
        assert!(w.contains(&"red-line-outlives-position") && w.contains(&"quote-is-title"), "{w:?}");
        // Ended with its position: no warning; a statement, not the title: no warning.
        let prefs = c.parties[0].preferences.as_mut().unwrap();
        prefs.red_lines[0].until = Some(PartialDate::ymd(2024, 9, 5).unwrap());
        prefs.red_lines[0].basis = quoted("Paris discussions constructive, officials said");
        assert_eq!(warnings(&c), Vec::<&str>::new());
        // A position without an end says nothing about when the red line ends.
        c.parties[0].preferences.as_mut().unwrap().red_lines[0].until = None;
        c.parties[0].stated_positions[0].until = None;
        assert_eq!(warnings(&c), Vec::<&str>::new());
        // Ending with a position that no position names is an error.
        c.parties[0].stated_positions[0].red_line = None;
        c.parties[0].preferences.as_mut().unwrap().red_lines[0].ends_with_position = true;
        assert_eq!(
            codes(&c),
            vec![("red-line-without-position", Location::RedLine { party: PartyId(0), index: 0 })]
        );
    }

    #[test]
    fn a_clean_case_has_no_errors() {
        assert_eq!(errors(&case()), Vec::<String>::new());
    }

    /// Two weights of 1e308 once passed `check` and hung `analyze`; weights of 1e12 made another
    /// party's best 0.95 (issue 14).
    #[test]
    fn weights_that_overflow_or_swamp_are_errors() {
        for weights in [[1e308, 1e308], [1e12, 1.0], [1001.0, 0.0]] {
            let mut c = case();
            let Some(Utility::Additive(a)) = c.parties[0].preferences.as_mut().map(|p| &mut p.utility) else {
                panic!("additive")
            };
            for (iu, w) in a.issues.iter_mut().zip(weights) {
                iu.weight = w;
            }
            let errs = errors(&c);
            assert_eq!(errs.len(), 1, "{weights:?}: {errs:?}");
            assert!(errs[0].contains("Truce accepts weights summing to at most 1000"), "{errs:?}");
        }
        let mut c = case();
        if let Some(Utility::Additive(a)) = c.parties[0].preferences.as_mut().map(|p| &mut p.utility) {
            a.issues[0].weight = 999.0;
        }
        assert_eq!(errors(&c), Vec::<String>::new(), "a sum of 1000 or less is a warning at most");
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut c = case();
        let prefs = c.parties[0].preferences.as_mut().unwrap();
        prefs.reservation = f64::NAN;
        prefs.red_lines.push(RedLine::new(
            "order",
            Constraint::Compare { issue: IssueId(1), op: CmpOp::Ge, value: Value::Option(1) },
            Basis::Unsourced,
        ));
        c.parties[1].id = "x".into();
        c.proposals.push(Proposal {
            id: "p".into(),
            title: "p".into(),
            kind: ProposalKind::Proposal,
            date: None,
            tabled_by: vec![],
            via: vec![],
            responds_to: Some(ProposalId(0)),
            terms: vec![
                Term {
                    issue: IssueId(0),
                    value: TermValue::Set { value: Value::Int(35) },
                    basis: Basis::Unsourced,
                    alternatives: vec![],
                    notes: None,
                    provision: crate::Provision::default(),
                },
                Term {
                    issue: IssueId(0),
                    value: TermValue::Open,
                    basis: Basis::Unsourced,
                    alternatives: vec![],
                    notes: None,
                    provision: crate::Provision::default(),
                },
            ],
            responses: vec![],
            basis: Basis::Unsourced,
            notes: None,
        });
        let errs = errors(&c);
        assert_eq!(errs.len(), 6, "{errs:#?}");
        assert!(errs.iter().any(|e| e.contains("two parties have the id `x`")));
        assert!(errs.iter().any(|e| e.contains("not a finite number")));
        assert!(errs.iter().any(|e| e.contains("its options have no order")));
        assert!(errs.iter().any(|e| e.contains("35 is not a value of `ratio` (range 10 to 50)")));
        assert!(errs.iter().any(|e| e.contains("two terms")));
        assert!(errs.iter().any(|e| e.contains("cycle")));
        let codes: Vec<_> = c.validate().iter().map(|p| p.code).collect();
        assert!(codes.contains(&"value-out-of-range") && codes.contains(&"unsourced-term"), "{codes:?}");
        let warnings = c.validate().into_iter().filter(|p| p.severity == Severity::Warning).count();
        assert!(warnings >= 3, "unsourced red line and terms are linted");
    }

    #[test]
    fn periods_and_stated_positions_are_checked() {
        // Dates built without kebab-case literals, which the docs test reads as diagnostic codes.
        let month =
            |y: i32, m: u8| format!("{y:04}/{m:02}").replace('/', "-").parse::<PartialDate>().unwrap();
        let mut c = case();
        c.sources.push(crate::Source {
            id: "S1".into(),
            title: "t".into(),
            publisher: None,
            date: None,
            location: None,
            notes: None,
            kind: None,
        });
        let cited = Basis::Sourced { citations: vec![crate::Citation { source: SourceId(0), quote: None }] };
        let rule = Constraint::Compare { issue: IssueId(0), op: CmpOp::Le, value: Value::Int(30) };
        let prefs = c.parties[0].preferences.as_mut().unwrap();
        prefs.basis = Basis::Assumption { rationale: "r".into(), citations: vec![] };
        prefs.red_lines.push(RedLine {
            since: Some(month(2024, 7)),
            until: Some(PartialDate::ymd(2024, 6, 30).unwrap()),
            ..RedLine::new("reversed", rule.clone(), cited.clone())
        });
        prefs.red_lines.push(RedLine {
            since: Some(month(2024, 7)),
            until: Some(month(2024, 7)),
            ..RedLine::new(
                "one_month",
                rule.clone(),
                Basis::Assumption { rationale: "r".into(), citations: vec![] },
            )
        });
        c.parties[1].preferences.as_mut().unwrap().basis =
            Basis::Assumption { rationale: "r".into(), citations: vec![] };
        c.parties[0].stated_positions = vec![
            StatedPosition {
                date: month(2024, 9),
                until: Some(month(2024, 7)),
                kind: PositionKind::RedLine,
                text: "stay".into(),
                red_line: Some("one_month".into()),
                basis: cited,
            },
            StatedPosition {
                date: month(2024, 9),
                until: None,
                kind: PositionKind::CoreDemand,
                text: "more".into(),
                red_line: Some("one_mnoth".into()),
                basis: Basis::Unsourced,
            },
        ];
        let problems: Vec<(&str, Location)> =
            c.validate().into_iter().map(|p| (p.code, p.location)).collect();
        let party = PartyId(0);
        assert_eq!(
            problems,
            vec![
                ("reversed-period", Location::StatedPosition { party, index: 0 }),
                ("unsourced-position", Location::StatedPosition { party, index: 1 }),
                ("unknown-red-line", Location::StatedPosition { party, index: 1 }),
                ("reversed-period", Location::RedLine { party, index: 0 }),
                ("unsourced-period", Location::RedLine { party, index: 1 }),
            ]
        );
    }
}
