//! A case as a reader wants it (`truce show`): [`text`] and [`json`]. Title; parties with their
//! roles, who has preferences and their red lines; issues and their values; the exact number of
//! outcomes (and in scientific form with the report's formatter); phases; red lines with the periods
//! they are in force, their conditions and ends; constituencies and each party's approval rule;
//! stated positions; the state of play; signed agreements with their calendar and commitments;
//! proposals in date order with their terms (and each term's provision) and each party's response.
//! The JSON object carries the same and is documented in `docs/json-output.md`.

use std::fmt::Write as _;

use serde::Serialize;
use truce_formats::Format;
use truce_model::{Case, Issue, IssueDomain, PartialDate, Proposal, TermValue, Value};

/// The proposals in date order (`Case::chronological`): undated ones last, ties in case order, an
/// answer after what it answers.
fn by_date(case: &Case) -> Vec<&Proposal> {
    case.chronological().into_iter().map(|id| case.proposal(id)).collect()
}

/// The number of outcomes exactly, and in scientific form (3 significant digits, as the report
/// writes it) when it has more than 6 digits.
fn outcome_count(case: &Case) -> (String, Option<String>) {
    let exact = case.space().size().to_string();
    (exact.clone(), (exact.len() > 6).then(|| crate::fmt::scientific(&exact)))
}

/// A red line's rule as it is written in case files.
fn rule(red_line: &truce_model::RedLine, space: &truce_model::OutcomeSpace) -> String {
    truce_formats::rule_text(&red_line.rule, space).unwrap_or_else(|| red_line.rule.describe(space))
}

/// `since 2024-07-02`, `until 2024-07-01`, `2024-02 to 2024-07-01`, or `None` for an undated red line.
fn period_text(since: Option<PartialDate>, until: Option<PartialDate>) -> Option<String> {
    match (since, until) {
        (None, None) => None,
        (Some(s), None) => Some(format!("since {s}")),
        (None, Some(u)) => Some(format!("until {u}")),
        (Some(s), Some(u)) => Some(format!("{s} to {u}")),
    }
}

fn value_text(issue: &Issue, value: Value) -> String {
    issue.format_value(value)
}

fn term_text(issue: &Issue, value: &TermValue) -> String {
    match value {
        TermValue::Set { value } => value_text(issue, *value),
        TermValue::Range { min, max } => {
            format!("{} to {}", value_text(issue, *min), value_text(issue, *max))
        }
        TermValue::Open => "open".to_owned(),
    }
}

fn domain_text(domain: &IssueDomain) -> String {
    match domain {
        IssueDomain::Discrete(_) => {
            let sep = if domain.is_ordered() { " < " } else { " | " };
            domain.options().unwrap_or_default().join(sep)
        }
        IssueDomain::Integer(_) => {
            let (lo, hi) = domain.numeric_bounds().unwrap_or_default();
            match domain.integer_step() {
                Some(1) | None => format!("integer {lo} to {hi}"),
                Some(step) => format!("integer {lo} to {hi} by {step}"),
            }
        }
        IssueDomain::Real(_) => {
            let (lo, hi) = domain.numeric_bounds().unwrap_or_default();
            format!("real {lo} to {hi}")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Pads `rows` into aligned columns, two spaces apart, each line indented by `indent`.
fn table(out: &mut String, indent: &str, rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(indent);
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                line.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The case as text, read from a file of `format`.
#[must_use]
pub fn text(case: &Case, format: Format) -> String {
    let space = case.space();
    let mut out = String::new();
    let _ = writeln!(out, "{}", case.title);
    let mut facts = vec![format!("id {}", case.id)];
    if let Some(d) = case.as_of {
        facts.push(format!("as of {d}"));
    }
    facts.push(format.name().to_owned());
    facts.push(plural(case.sources.len(), "source"));
    let _ = writeln!(out, "{}", facts.join(" · "));
    if let Some(description) = &case.description {
        let _ = writeln!(out, "\n{}", description.trim());
    }

    let _ = writeln!(out, "\nParties ({})", case.parties.len());
    let rows: Vec<Vec<String>> = case
        .parties
        .iter()
        .map(|p| {
            let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
            let mut notes = Vec::new();
            if let Some(prefs) = &p.preferences {
                notes.push(if prefs.red_lines.is_empty() {
                    "preferences".to_owned()
                } else {
                    format!("preferences, {}", plural(prefs.red_lines.len(), "red line"))
                });
            }
            if !p.aligned_with.is_empty() {
                let ids: Vec<&str> = p.aligned_with.iter().map(|a| case.party(*a).id.as_str()).collect();
                notes.push(format!("aligned with {}", ids.join(", ")));
            }
            vec![p.id.clone(), p.name.clone(), roles.join(", "), notes.join("; ")]
        })
        .collect();
    table(&mut out, "  ", &rows);

    let _ = writeln!(out, "\nIssues ({})", space.len());
    let rows: Vec<Vec<String>> = space
        .issues()
        .iter()
        .map(|i| vec![i.name.clone(), domain_text(i.domain()), plural(i.cardinality() as usize, "value")])
        .collect();
    table(&mut out, "  ", &rows);
    let (exact, scientific) = outcome_count(case);
    match scientific {
        Some(s) => {
            let _ = writeln!(out, "\nOutcomes: {exact} (about {s})");
        }
        None => {
            let _ = writeln!(out, "\nOutcomes: {exact}");
        }
    }

    let phases = case.domain.phases();
    if !phases.is_empty() {
        let _ = writeln!(out, "\nPhases ({})", phases.len());
        for (k, phase) in phases.iter().enumerate() {
            let issues: Vec<&str> = phase.issues.iter().map(|i| space.issue(*i).name.as_str()).collect();
            let days =
                phase.duration_days.map_or(String::new(), |d| format!("  {}", plural(d as usize, "day")));
            let fixes = if issues.is_empty() {
                "fixes no issue".to_owned()
            } else {
                format!("fixes {}", issues.join(", "))
            };
            let _ = writeln!(out, "  {}. {}{days}  {fixes}", k + 1, phase.name);
            if let Some(condition) = &phase.next_condition {
                let _ = writeln!(out, "     next phase if: {condition}");
            }
        }
        let unphased: Vec<&str> = space
            .issue_ids()
            .filter(|i| case.domain.phase_of(*i).is_none())
            .map(|i| space.issue(i).name.as_str())
            .collect();
        if !unphased.is_empty() {
            let _ = writeln!(out, "  in no phase: {}", unphased.join(", "));
        }
    }

    // A column for the periods red lines are in force, when any is dated.
    let dated =
        case.parties.iter().flat_map(|p| &p.preferences).flat_map(|p| &p.red_lines).any(|r| r.is_dated());
    let red_lines: Vec<Vec<String>> = case
        .parties
        .iter()
        .filter_map(|p| p.preferences.as_ref().map(|prefs| (p, prefs)))
        .flat_map(|(p, prefs)| {
            prefs.red_lines.iter().map(move |r| {
                let mut row = vec![p.id.clone(), format!("{}:", r.name)];
                if dated {
                    row.push(period_text(r.since, r.until).unwrap_or_default());
                }
                let mut text = rule(r, space);
                if !r.conditions.is_empty() {
                    let unless: Vec<&str> = r.conditions.iter().map(|c| c.text.as_str()).collect();
                    text = format!("{text}; gives way if: {}", unless.join("; "));
                }
                if r.ends_with_position {
                    text.push_str(" (ends with the position it rests on)");
                }
                row.push(text);
                row
            })
        })
        .collect();
    if !red_lines.is_empty() {
        let _ = writeln!(out, "\nRed lines");
        table(&mut out, "  ", &red_lines);
    }

    // Who must approve: each constituency, its weight under a majority, and its red lines.
    let constituencies: Vec<Vec<String>> = case
        .parties
        .iter()
        .flat_map(|p| {
            let carries = p.approval.as_ref().map_or("", |a| a.rule.as_str());
            p.constituencies.iter().map(move |c| {
                let lines: Vec<String> =
                    c.red_lines.iter().map(|r| format!("{}: {}", r.name, rule(r, space))).collect();
                let weight = if c.weight == 1.0 { String::new() } else { format!("weight {}", c.weight) };
                vec![p.id.clone(), format!("{}:", c.id), carries.to_owned(), weight, lines.join("; ")]
            })
        })
        .collect();
    if !constituencies.is_empty() {
        let _ = writeln!(out, "\nConstituencies (who must approve, and the party's rule for what carries)");
        table(&mut out, "  ", &constituencies);
    }

    let positions: Vec<Vec<String>> = case
        .parties
        .iter()
        .flat_map(|p| {
            p.stated_positions.iter().map(|s| {
                let when = match s.until {
                    Some(until) if until != s.date => format!("{} to {until}", s.date),
                    _ => s.date.to_string(),
                };
                let kind = match s.kind {
                    truce_model::PositionKind::RedLine => "red line",
                    truce_model::PositionKind::CoreDemand => "demand",
                };
                let backs = s.red_line.as_ref().map_or(String::new(), |r| format!("  [{r}]"));
                vec![p.id.clone(), when, kind.to_owned(), format!("{}{backs}", s.text)]
            })
        })
        .collect();
    if !positions.is_empty() {
        let _ = writeln!(out, "\nStated positions");
        table(&mut out, "  ", &positions);
    }

    // What has been delivered under an agreement in force, and what is still held, by date.
    if !case.state_of_play.is_empty() {
        let _ = writeln!(out, "\nState of play");
        let counts = |list: &[truce_model::Count]| {
            list.iter()
                .map(|c| format!("{} {}", space.issue(c.issue).name, c.count))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let rows: Vec<Vec<String>> = case
            .state_of_play
            .iter()
            .map(|r| {
                let under = r.agreement.map_or(String::new(), |a| format!("under {}", case.proposal(a).id));
                let delivered = if r.delivered.is_empty() {
                    String::new()
                } else {
                    format!("delivered: {}", counts(&r.delivered))
                };
                let held =
                    if r.held.is_empty() { String::new() } else { format!("held: {}", counts(&r.held)) };
                let what: Vec<String> = [delivered, held].into_iter().filter(|x| !x.is_empty()).collect();
                vec![r.date.to_string(), under, what.join("; ")]
            })
            .collect();
        table(&mut out, "  ", &rows);
    }

    // Signed agreements followed as implemented (`truce monitor`): each with its calendar.
    if !case.agreements.is_empty() {
        let _ = writeln!(out, "\nSigned agreements");
        for a in &case.agreements {
            let mut facts = vec![format!("began {}", a.began)];
            if let Some(days) = a.days {
                facts.push(plural(days as usize, "day"));
            }
            for e in &a.extensions {
                let agreed = e.agreed.map_or(String::new(), |d| format!(" on {d}"));
                facts.push(format!("extended by {}{agreed}", plural(e.days as usize, "day")));
            }
            if let Some(last) = a.last_phase.and_then(|p| case.domain.phases().get(p.index())) {
                facts.push(format!("to {}", last.name));
            }
            facts.push(reconcile_text(case, &a.reconcile));
            let id = case.proposals.get(a.proposal.index()).map_or("?", |p| p.id.as_str());
            let _ = writeln!(out, "  {id}: {}", facts.join(", "));
            let rows: Vec<Vec<String>> = case
                .commitments(a)
                .iter()
                .map(|c| {
                    let owed: Vec<&str> = c.owed_by.iter().map(|p| case.party(*p).id.as_str()).collect();
                    let owed =
                        if owed.is_empty() { String::new() } else { format!("owed by {}", owed.join(", ")) };
                    let how = if c.declared { "declared" } else { "from the text" };
                    vec![
                        format!("{}:", c.id),
                        c.kind.as_str().to_owned(),
                        c.unit.clone(),
                        owed,
                        how.to_owned(),
                    ]
                })
                .collect();
            table(&mut out, "    ", &rows);
        }
    }

    // How well sourced the case is: its sources by kind, when the case gives their kinds.
    let kinds = sources_by_kind(case);
    if !kinds.is_empty() {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(out, "\nSources ({}): {}", case.sources.len(), list.join(", "));
    }

    if !case.proposals.is_empty() {
        let _ = writeln!(out, "\nProposals ({}, by date)", case.proposals.len());
        for p in by_date(case) {
            proposal_text(&mut out, case, p);
        }
    }
    // Names print as they are: a control, bidirectional or invisible character escaped.
    truce_model::escape_text(&out).into_owned()
}

fn proposal_text(out: &mut String, case: &Case, p: &Proposal) {
    let space = case.space();
    let ids = |list: &[truce_model::PartyId]| {
        list.iter().map(|x| case.party(*x).id.as_str()).collect::<Vec<_>>().join(", ")
    };
    let mut facts = vec![kind_name(p.kind).to_owned()];
    if !p.tabled_by.is_empty() {
        facts.push(format!("tabled by {}", ids(&p.tabled_by)));
    }
    if !p.via.is_empty() {
        facts.push(format!("via {}", ids(&p.via)));
    }
    if let Some(r) = p.responds_to {
        facts.push(format!("responds to {}", case.proposal(r).id));
    }
    let date = p.date.map_or_else(|| "undated".to_owned(), |d| d.to_string());
    let _ = writeln!(out, "\n  {date}  {}  {}  ({})", p.id, p.title, facts.join(", "));
    let mut rows = Vec::new();
    for term in &p.terms {
        let issue = space.issue(term.issue);
        let mut value = term_text(issue, &term.value);
        if matches!(term.value, TermValue::Open)
            && let Some(notes) = &term.notes
        {
            value = format!("open: {notes}");
        }
        if !term.alternatives.is_empty() {
            let alternatives: Vec<String> =
                term.alternatives.iter().map(|a| term_text(issue, &a.value)).collect();
            value = format!("{value}  (also reported: {})", alternatives.join(", "));
        }
        let provision = provision_text(case, &term.provision);
        if !provision.is_empty() {
            value = format!("{value}; {provision}");
        }
        rows.push(vec![issue.name.clone(), value]);
    }
    table(out, "      ", &rows);
    let missing: Vec<&str> =
        space.issue_ids().filter(|i| p.term(*i).is_none()).map(|i| space.issue(i).name.as_str()).collect();
    if missing.len() == space.len() {
        let _ = writeln!(out, "      no terms recorded");
    } else if !missing.is_empty() {
        let _ = writeln!(out, "      no term: {}", missing.join(", "));
    }
    if !p.responses.is_empty() {
        let rows: Vec<Vec<String>> = p
            .responses
            .iter()
            .map(|r| {
                let mut what = String::new();
                if let Some(c) = r.countered_with {
                    what = format!("with {}", case.proposal(c).id);
                }
                if let Some(reasons) = &r.notes {
                    what = if what.is_empty() { reasons.clone() } else { format!("{what}: {reasons}") };
                }
                let date = r.date.map_or(String::new(), |d| d.to_string());
                vec![case.party(r.party).id.clone(), r.stance.as_str().to_owned(), date, what]
            })
            .collect();
        let _ = writeln!(out, "    responses:");
        table(out, "      ", &rows);
    }
}

/// What a term says beyond its value: when, on what schedule, at what rate per category, after what.
fn provision_text(case: &Case, p: &truce_model::Provision) -> String {
    let mut parts = Vec::new();
    if let Some(day) = p.by_day {
        parts.push(format!("by day {day}"));
    }
    if let Some(on) = p.on {
        parts.push(format!("on {on}"));
    }
    if !p.schedule.is_empty() {
        let batches: Vec<String> =
            p.schedule.iter().map(|b| format!("{} on day {}", b.count, b.day)).collect();
        parts.push(format!("schedule: {}", batches.join(", ")));
    }
    if !p.by_category.is_empty() {
        let rates: Vec<String> = p.by_category.iter().map(|r| format!("{} {}", r.category, r.rate)).collect();
        parts.push(format!("per category: {}", rates.join(", ")));
    }
    if !p.after.is_empty() {
        let after: Vec<&str> = p
            .after
            .iter()
            .map(|i| case.space().issues().get(i.index()).map_or("?", |x| x.name.as_str()))
            .collect();
        parts.push(format!("after {}", after.join(", ")));
    }
    if p.while_talks {
        parts.push("while talks continue".into());
    }
    if let Some(stalled) = &p.if_stalled {
        parts.push(format!("if talks stall: {stalled}"));
    }
    parts.join("; ")
}

/// How an agreement reconciles its sources, in words.
fn reconcile_text(case: &Case, rule: &truce_model::Reconciliation) -> String {
    match rule {
        truce_model::Reconciliation::Trust { order } => {
            let ids: Vec<&str> = order.iter().map(|s| case.source(*s).id.as_str()).collect();
            format!("sources reconciled by trust: {}", ids.join(", "))
        }
        rule => format!("sources reconciled: {}", rule.as_str()),
    }
}

fn kind_name(kind: truce_model::ProposalKind) -> &'static str {
    match kind {
        truce_model::ProposalKind::Proposal => "proposal",
        truce_model::ProposalKind::Counterproposal => "counterproposal",
        truce_model::ProposalKind::Bridging => "bridging",
        truce_model::ProposalKind::Agreement => "agreement",
        truce_model::ProposalKind::Resolution => "resolution",
    }
}

// -------------------------------------------------------------------------------------------------
// `--json`

/// The case as the JSON object of `truce show --json` (documented in `docs/json-output.md`).
#[derive(Serialize)]
pub struct JsonCase {
    id: String,
    title: String,
    description: Option<String>,
    as_of: Option<String>,
    format: Format,
    sources: usize,
    sources_by_kind: Vec<JsonKindCount>,
    parties: Vec<JsonParty>,
    issues: Vec<JsonIssue>,
    outcomes: JsonOutcomes,
    phases: Vec<JsonPhase>,
    proposals: Vec<JsonProposal>,
    state_of_play: Vec<JsonStateOfPlay>,
    agreements: Vec<JsonAgreement>,
}

#[derive(Serialize)]
struct JsonKindCount {
    kind: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct JsonStateOfPlay {
    date: String,
    agreement: Option<String>,
    delivered: Vec<JsonCount>,
    held: Vec<JsonCount>,
    notes: Option<String>,
}

#[derive(Serialize)]
struct JsonCount {
    issue: String,
    count: i64,
}

#[derive(Serialize)]
struct JsonAgreement {
    proposal: String,
    began: String,
    days: Option<u32>,
    last_phase: Option<String>,
    extensions: Vec<JsonExtension>,
    reconcile: &'static str,
    trust: Vec<String>,
    phases: Vec<JsonPhaseSpan>,
    commitments: Vec<JsonCommitment>,
    notes: Option<String>,
}

#[derive(Serialize)]
struct JsonExtension {
    agreed: Option<String>,
    phase: Option<String>,
    days: u32,
    notes: Option<String>,
}

#[derive(Serialize)]
struct JsonPhaseSpan {
    phase: Option<String>,
    start_day: u32,
    days: Option<u32>,
}

#[derive(Serialize)]
struct JsonCommitment {
    id: String,
    kind: &'static str,
    unit: String,
    owed_by: Vec<String>,
    phase: Option<String>,
    declared: bool,
    due_day: Option<u32>,
    commitment: serde_json::Value,
}

#[derive(Serialize)]
struct JsonConstituency {
    id: String,
    name: String,
    description: Option<String>,
    weight: f64,
    red_lines: Vec<JsonRedLine>,
}

#[derive(Serialize)]
struct JsonApproval {
    rule: &'static str,
    constituencies: Vec<String>,
}

#[derive(Serialize)]
struct JsonProvision {
    by_day: Option<u32>,
    on: Option<String>,
    schedule: Vec<JsonBatch>,
    by_category: Vec<JsonRate>,
    after: Vec<String>,
    while_talks: bool,
    if_stalled: Option<String>,
}

#[derive(Serialize)]
struct JsonBatch {
    day: u32,
    count: u32,
}

#[derive(Serialize)]
struct JsonRate {
    category: String,
    rate: f64,
}

#[derive(Serialize)]
struct JsonCondition {
    text: String,
    rule: Option<String>,
}

#[derive(Serialize)]
struct JsonParty {
    id: String,
    name: String,
    roles: Vec<&'static str>,
    aligned_with: Vec<String>,
    has_preferences: bool,
    reservation: Option<f64>,
    red_lines: Vec<JsonRedLine>,
    stated_positions: Vec<JsonPosition>,
    constituencies: Vec<JsonConstituency>,
    approval: Option<JsonApproval>,
}

#[derive(Serialize)]
struct JsonRedLine {
    name: String,
    rule: String,
    since: Option<String>,
    until: Option<String>,
    conditions: Vec<JsonCondition>,
    ends_with_position: bool,
}

#[derive(Serialize)]
struct JsonPosition {
    date: String,
    until: Option<String>,
    kind: &'static str,
    text: String,
    red_line: Option<String>,
}

#[derive(Serialize)]
struct JsonIssue {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    values: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ordered: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<i64>,
    phase: Option<String>,
}

#[derive(Serialize)]
struct JsonOutcomes {
    exact: String,
    scientific: String,
    digits: usize,
}

#[derive(Serialize)]
struct JsonPhase {
    name: String,
    duration_days: Option<u32>,
    issues: Vec<String>,
    next_condition: Option<String>,
}

#[derive(Serialize)]
struct JsonProposal {
    id: String,
    title: String,
    kind: &'static str,
    date: Option<String>,
    tabled_by: Vec<String>,
    via: Vec<String>,
    responds_to: Option<String>,
    terms: Vec<JsonTerm>,
    no_term: Vec<String>,
    responses: Vec<JsonResponse>,
}

#[derive(Serialize)]
struct JsonTerm {
    issue: String,
    #[serde(flatten)]
    value: JsonTermValue,
    notes: Option<String>,
    alternatives: Vec<JsonAlternative>,
    provision: JsonProvision,
}

#[derive(Serialize)]
struct JsonAlternative {
    #[serde(flatten)]
    value: JsonTermValue,
    notes: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum JsonTermValue {
    Set { value: serde_json::Value },
    Range { min: serde_json::Value, max: serde_json::Value },
    Open,
}

#[derive(Serialize)]
struct JsonResponse {
    party: String,
    stance: &'static str,
    date: Option<String>,
    countered_with: Option<String>,
    reasons: Option<String>,
}

fn json_value(issue: &Issue, value: Value) -> serde_json::Value {
    match value {
        Value::Option(_) => serde_json::Value::String(issue.format_value(value)),
        Value::Int(v) => v.into(),
        Value::Real(v) => v.into(),
    }
}

fn json_term_value(issue: &Issue, value: &TermValue) -> JsonTermValue {
    match value {
        TermValue::Set { value } => JsonTermValue::Set { value: json_value(issue, *value) },
        TermValue::Range { min, max } => {
            JsonTermValue::Range { min: json_value(issue, *min), max: json_value(issue, *max) }
        }
        TermValue::Open => JsonTermValue::Open,
    }
}

/// The case as the JSON object of `truce show --json`, read from a file of `format`.
#[must_use]
pub fn json(case: &Case, format: Format) -> JsonCase {
    let space = case.space();
    let party_id = |id: truce_model::PartyId| case.party(id).id.clone();
    let (exact, _) = outcome_count(case);
    JsonCase {
        id: case.id.clone(),
        title: case.title.clone(),
        description: case.description.clone(),
        as_of: case.as_of.map(|d| d.to_string()),
        format,
        sources: case.sources.len(),
        sources_by_kind: sources_by_kind(case)
            .into_iter()
            .map(|(kind, count)| JsonKindCount { kind, count })
            .collect(),
        parties: case
            .parties
            .iter()
            .map(|p| JsonParty {
                id: p.id.clone(),
                name: p.name.clone(),
                roles: p.roles.iter().map(|r| r.as_str()).collect(),
                aligned_with: p.aligned_with.iter().map(|a| party_id(*a)).collect(),
                has_preferences: p.preferences.is_some(),
                reservation: p.preferences.as_ref().map(|prefs| prefs.reservation),
                red_lines: p
                    .preferences
                    .iter()
                    .flat_map(|prefs| &prefs.red_lines)
                    .map(|r| json_red_line(r, space))
                    .collect(),
                constituencies: p
                    .constituencies
                    .iter()
                    .map(|c| JsonConstituency {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        description: c.description.clone(),
                        weight: c.weight,
                        red_lines: c.red_lines.iter().map(|r| json_red_line(r, space)).collect(),
                    })
                    .collect(),
                approval: p.approval.as_ref().map(|a| JsonApproval {
                    rule: a.rule.as_str(),
                    constituencies: match &a.rule {
                        truce_model::ApprovalRule::AllOf { constituencies } => constituencies.clone(),
                        _ => Vec::new(),
                    },
                }),
                stated_positions: p
                    .stated_positions
                    .iter()
                    .map(|s| JsonPosition {
                        date: s.date.to_string(),
                        until: s.until.map(|d| d.to_string()),
                        kind: s.kind.as_str(),
                        text: s.text.clone(),
                        red_line: s.red_line.clone(),
                    })
                    .collect(),
            })
            .collect(),
        issues: space
            .issues()
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let domain = i.domain();
                let end = |index: u32| match domain {
                    IssueDomain::Discrete(_) => None,
                    _ => domain.grid_value(index).map(|v| json_value(i, v)),
                };
                JsonIssue {
                    name: i.name.clone(),
                    kind: match domain {
                        IssueDomain::Discrete(_) => "discrete",
                        IssueDomain::Integer(_) => "integer",
                        IssueDomain::Real(_) => "real",
                    },
                    values: i.cardinality(),
                    options: domain.options().map(<[String]>::to_vec),
                    ordered: domain.options().map(|_| domain.is_ordered()),
                    min: end(0),
                    max: end(i.cardinality() - 1),
                    step: domain.integer_step(),
                    phase: case
                        .domain
                        .phase_of(truce_model::IssueId::from_index(k))
                        .map(|p| case.domain.phases()[p.index()].name.clone()),
                }
            })
            .collect(),
        outcomes: JsonOutcomes { scientific: crate::fmt::scientific(&exact), digits: exact.len(), exact },
        phases: case
            .domain
            .phases()
            .iter()
            .map(|p| JsonPhase {
                name: p.name.clone(),
                duration_days: p.duration_days,
                issues: p.issues.iter().map(|i| space.issue(*i).name.clone()).collect(),
                next_condition: p.next_condition.clone(),
            })
            .collect(),
        proposals: by_date(case)
            .into_iter()
            .map(|p| JsonProposal {
                id: p.id.clone(),
                title: p.title.clone(),
                kind: kind_name(p.kind),
                date: p.date.map(|d| d.to_string()),
                tabled_by: p.tabled_by.iter().map(|x| party_id(*x)).collect(),
                via: p.via.iter().map(|x| party_id(*x)).collect(),
                responds_to: p.responds_to.map(|r| case.proposal(r).id.clone()),
                terms: p
                    .terms
                    .iter()
                    .map(|t| {
                        let issue = space.issue(t.issue);
                        JsonTerm {
                            issue: issue.name.clone(),
                            value: json_term_value(issue, &t.value),
                            notes: t.notes.clone(),
                            alternatives: t
                                .alternatives
                                .iter()
                                .map(|a| JsonAlternative {
                                    value: json_term_value(issue, &a.value),
                                    notes: a.notes.clone(),
                                })
                                .collect(),
                            provision: json_provision(case, &t.provision),
                        }
                    })
                    .collect(),
                no_term: space
                    .issue_ids()
                    .filter(|i| p.term(*i).is_none())
                    .map(|i| space.issue(i).name.clone())
                    .collect(),
                responses: p
                    .responses
                    .iter()
                    .map(|r| JsonResponse {
                        party: party_id(r.party),
                        stance: r.stance.as_str(),
                        date: r.date.map(|d| d.to_string()),
                        countered_with: r.countered_with.map(|c| case.proposal(c).id.clone()),
                        reasons: r.notes.clone(),
                    })
                    .collect(),
            })
            .collect(),
        state_of_play: case
            .state_of_play
            .iter()
            .map(|r| {
                let counts = |list: &[truce_model::Count]| {
                    list.iter()
                        .map(|c| JsonCount { issue: space.issue(c.issue).name.clone(), count: c.count })
                        .collect()
                };
                JsonStateOfPlay {
                    date: r.date.to_string(),
                    agreement: r.agreement.map(|a| case.proposal(a).id.clone()),
                    delivered: counts(&r.delivered),
                    held: counts(&r.held),
                    notes: r.notes.clone(),
                }
            })
            .collect(),
        agreements: case.agreements.iter().map(|a| json_agreement(case, a)).collect(),
    }
}

fn phase_name(case: &Case, phase: Option<truce_model::PhaseId>) -> Option<String> {
    phase.and_then(|p| case.domain.phases().get(p.index())).map(|p| p.name.clone())
}

fn json_red_line(r: &truce_model::RedLine, space: &truce_model::OutcomeSpace) -> JsonRedLine {
    JsonRedLine {
        name: r.name.clone(),
        rule: rule(r, space),
        since: r.since.map(|d| d.to_string()),
        until: r.until.map(|d| d.to_string()),
        conditions: r
            .conditions
            .iter()
            .map(|c| JsonCondition {
                text: c.text.clone(),
                rule: c
                    .rule
                    .as_ref()
                    .map(|x| truce_formats::rule_text(x, space).unwrap_or_else(|| x.describe(space))),
            })
            .collect(),
        ends_with_position: r.ends_with_position,
    }
}

fn json_provision(case: &Case, p: &truce_model::Provision) -> JsonProvision {
    JsonProvision {
        by_day: p.by_day,
        on: p.on.map(|d| d.to_string()),
        schedule: p.schedule.iter().map(|b| JsonBatch { day: b.day, count: b.count }).collect(),
        by_category: p
            .by_category
            .iter()
            .map(|r| JsonRate { category: r.category.clone(), rate: r.rate })
            .collect(),
        after: p
            .after
            .iter()
            .map(|i| case.space().issues().get(i.index()).map_or_else(String::new, |x| x.name.clone()))
            .collect(),
        while_talks: p.while_talks,
        if_stalled: p.if_stalled.clone(),
    }
}

fn json_agreement(case: &Case, a: &truce_model::SignedAgreement) -> JsonAgreement {
    JsonAgreement {
        proposal: case.proposals.get(a.proposal.index()).map_or_else(String::new, |p| p.id.clone()),
        began: a.began.to_string(),
        days: a.days,
        last_phase: phase_name(case, a.last_phase),
        extensions: a
            .extensions
            .iter()
            .map(|e| JsonExtension {
                agreed: e.agreed.map(|d| d.to_string()),
                phase: phase_name(case, e.phase),
                days: e.days,
                notes: e.notes.clone(),
            })
            .collect(),
        reconcile: a.reconcile.as_str(),
        trust: match &a.reconcile {
            truce_model::Reconciliation::Trust { order } => {
                order.iter().map(|s| case.source(*s).id.clone()).collect()
            }
            _ => Vec::new(),
        },
        phases: a
            .calendar(case)
            .iter()
            .map(|s| JsonPhaseSpan { phase: phase_name(case, s.phase), start_day: s.start, days: s.days })
            .collect(),
        commitments: case
            .commitments(a)
            .into_iter()
            .map(|c| JsonCommitment {
                kind: c.kind.as_str(),
                owed_by: c.owed_by.iter().map(|p| case.party(*p).id.clone()).collect(),
                phase: phase_name(case, c.phase),
                declared: c.declared,
                due_day: c.due_day(),
                // A model value of plain numbers and strings always serialises.
                commitment: serde_json::to_value(&c.kind).unwrap_or_default(),
                unit: c.unit,
                id: c.id,
            })
            .collect(),
        notes: a.notes.clone(),
    }
}

/// The case's sources by kind, in the order kinds first appear (empty when no source gives one).
fn sources_by_kind(case: &Case) -> Vec<(&'static str, usize)> {
    let mut kinds: Vec<(&'static str, usize)> = Vec::new();
    if case.sources.iter().any(|s| s.kind.is_some()) {
        for source in &case.sources {
            let kind = source.kind.map_or("kind not given", truce_model::SourceKind::as_str);
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((kind, 1)),
            }
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use truce_model::{Domain, Issue, OutcomeSpace};

    use super::*;

    /// `issues` binary issues: 2^issues outcomes.
    fn binary(issues: usize) -> Case {
        let issues = (0..issues)
            .map(|i| {
                Issue::new(
                    format!("i{i}"),
                    IssueDomain::discrete(vec!["no".into(), "yes".into()], true).unwrap(),
                )
            })
            .collect();
        Case::new("big", "Big", Domain::unphased(OutcomeSpace::new(issues).unwrap()), Vec::new())
    }

    #[test]
    fn the_outcome_count_uses_the_reports_number_format() {
        // 2^100 = 1267650600228229401496703205376: the report truncates to 1.26e30, and so does show.
        let case = binary(100);
        assert!(
            text(&case, Format::TruceToml)
                .contains("Outcomes: 1267650600228229401496703205376 (about 1.26e30)")
        );
        assert_eq!(json(&case, Format::TruceToml).outcomes.scientific, "1.26e30");
        assert!(text(&binary(10), Format::TruceToml).contains("Outcomes: 1024\n"));
        assert_eq!(json(&binary(10), Format::TruceToml).outcomes.scientific, "1.02e3");
    }
}
