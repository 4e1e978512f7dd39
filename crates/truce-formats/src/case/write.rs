//! Writing a model `Case` as one TOML case file, in a stable order: `[case]`, sources, issues, phases,
//! parties (preferences, then red lines, then stated positions), proposals (terms, then responses).
//!
//! The case is first turned into a small tree of TOML values ([`V`]) and then laid out by one generic
//! emitter: tables and lists go inline when they fit on a line of [`WIDTH`] characters, and become
//! `[section]`s (or one item per line) when they do not. Assumptions and citations are kept; nothing is
//! dropped without a warning, and what the format cannot express is refused with an error.

use std::fmt::Write as _;
use std::path::Path;

use truce_model::{
    ApprovalRule, Basis, Case, Citation, Constituency, Continuation, IssueDomain, Party, Preferences,
    Probability, Proposal, RectangleFunction, RectangleUtility, RedLine, Response, StatedPosition, Term,
    TermValue, Utility, Value, ValueFunction,
};

use super::expr;
use super::raw::RawValue;
use super::values::{is_yes_no, raw_of};
use crate::Diagnostic;

/// The line width inline tables and arrays must fit in.
const WIDTH: usize = 100;

/// A TOML value, with how it prefers to be laid out.
#[derive(Clone, Debug)]
enum V {
    Str(String),
    /// A string written as a literal `'...'` when it can be (red-line rules, which hold `"`).
    Literal(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<V>, Layout),
    Table(Vec<(String, V)>, Layout),
}

/// How a table or an array of tables prefers to be written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    /// Inline if it fits, else a section (tables) or one item per line (arrays).
    Auto,
    /// Always a section: `[a.b]` for tables, `[[a.b]]` for arrays of tables.
    Section,
}

/// Writes `case` as TOML. Returns the text and warnings, or the errors that prevent writing it.
pub(crate) fn to_toml(case: &Case, path: &Path) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut w = Writer { case, path, warnings: Vec::new(), errors: Vec::new() };
    let root = w.case();
    if !w.errors.is_empty() {
        return Err(w.errors);
    }
    let mut out = String::from("# A Truce case file: see docs/case-format.md for the format.\n");
    emit_table(&mut out, &[], &root);
    Ok((out, w.warnings))
}

struct Writer<'a> {
    case: &'a Case,
    path: &'a Path,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
}

fn opt_str(entries: &mut Vec<(String, V)>, key: &str, value: Option<&String>) {
    if let Some(v) = value {
        entries.push((key.to_owned(), V::Str(v.clone())));
    }
}

fn strings<'s>(items: impl IntoIterator<Item = &'s str>) -> V {
    V::Array(items.into_iter().map(|s| V::Str(s.to_owned())).collect(), Layout::Auto)
}

impl Writer<'_> {
    fn error(&mut self, message: String) {
        self.errors.push(
            Diagnostic::error("unwritable", self.path, message)
                .with_hint("fix the case (truce check lists its problems) and write it again"),
        );
    }

    fn case(&mut self) -> V {
        let c = self.case;
        let mut meta =
            vec![("id".to_owned(), V::Str(c.id.clone())), ("title".to_owned(), V::Str(c.title.clone()))];
        opt_str(&mut meta, "description", c.description.as_ref());
        if let Some(d) = c.as_of {
            meta.push(("as_of".into(), V::Str(d.to_string())));
        }
        let mut root = vec![("case".to_owned(), V::Table(meta, Layout::Section))];
        let sections = |items: Vec<V>| V::Array(items, Layout::Section);
        if !c.sources.is_empty() {
            let sources = c.sources.iter().map(|s| self.source(s)).collect();
            root.push(("sources".into(), sections(sources)));
        }
        let issues = c.space().issues().iter().map(issue).collect();
        root.push(("issues".into(), sections(issues)));
        if !c.domain.phases().is_empty() {
            let phases = c.domain.phases().iter().map(|p| self.phase(p)).collect();
            root.push(("phases".into(), sections(phases)));
        }
        if !c.parties.is_empty() {
            let parties = c.parties.iter().map(|p| self.party(p)).collect();
            root.push(("parties".into(), sections(parties)));
        }
        if !c.proposals.is_empty() {
            let proposals = c.proposals.iter().map(|p| self.proposal(p)).collect();
            root.push(("proposals".into(), sections(proposals)));
        }
        if !c.state_of_play.is_empty() {
            let records = c.state_of_play.iter().map(|s| self.state_of_play(s)).collect();
            root.push(("state_of_play".into(), sections(records)));
        }
        if !c.agreements.is_empty() {
            let agreements = c.agreements.iter().map(|a| self.agreement(a)).collect();
            root.push(("agreements".into(), sections(agreements)));
        }
        V::Table(root, Layout::Section)
    }

    fn phase_name(&mut self, id: truce_model::PhaseId) -> String {
        if let Some(p) = self.case.domain.phases().get(id.index()) {
            p.name.clone()
        } else {
            self.error(format!("a reference to phase #{id}, which does not exist"));
            String::new()
        }
    }

    fn source_name(&mut self, id: truce_model::SourceId) -> String {
        if let Some(s) = self.case.sources.get(id.index()) {
            s.id.clone()
        } else {
            self.error(format!("a reference to source #{id}, which does not exist"));
            String::new()
        }
    }

    fn agreement(&mut self, a: &truce_model::SignedAgreement) -> V {
        use truce_model::{CommitmentKind, Reconciliation};
        let id = self.proposal_id(a.proposal);
        let what = format!("the agreement `{id}`");
        let mut t =
            vec![("proposal".to_owned(), V::Str(id)), ("began".to_owned(), V::Str(a.began.to_string()))];
        if let Some(d) = a.days {
            t.push(("days".into(), V::Int(i64::from(d))));
        }
        if let Some(p) = a.last_phase {
            let name = self.phase_name(p);
            t.push(("last_phase".into(), V::Str(name)));
        }
        match &a.reconcile {
            Reconciliation::MostConservative => {}
            Reconciliation::PerSource => t.push(("reconcile".into(), V::Str("per_source".into()))),
            Reconciliation::Trust { order } => {
                t.push(("reconcile".into(), V::Str("trust".into())));
                let names: Vec<String> = order.iter().map(|s| self.source_name(*s)).collect();
                t.push(("trust".into(), strings(names.iter().map(String::as_str))));
            }
        }
        self.basis(&mut t, &a.basis, &what);
        opt_str(&mut t, "notes", a.notes.as_ref());
        if !a.extensions.is_empty() {
            let mut items = Vec::new();
            for e in &a.extensions {
                let mut et = Vec::new();
                if let Some(d) = e.agreed {
                    et.push(("agreed".to_owned(), V::Str(d.to_string())));
                }
                if let Some(p) = e.phase {
                    et.push(("phase".to_owned(), V::Str(self.phase_name(p))));
                }
                et.push(("days".to_owned(), V::Int(i64::from(e.days))));
                self.basis(&mut et, &e.basis, &format!("an extension of {what}"));
                opt_str(&mut et, "notes", e.notes.as_ref());
                items.push(V::Table(et, Layout::Section));
            }
            t.push(("extensions".into(), V::Array(items, Layout::Section)));
        }
        if !a.commitments.is_empty() {
            let mut items = Vec::new();
            for c in &a.commitments {
                let mut ct = vec![("id".to_owned(), V::Str(c.id.clone()))];
                if let Some(kind) = &c.kind {
                    ct.push(("kind".into(), V::Str(kind.as_str().into())));
                    match kind {
                        CommitmentKind::Total { total, schedule, by_day } => {
                            ct.push(("total".into(), V::Float(*total)));
                            if !schedule.is_empty() {
                                let batches = schedule
                                    .iter()
                                    .map(|b| {
                                        V::Table(
                                            vec![
                                                ("day".into(), V::Int(i64::from(b.day))),
                                                ("count".into(), V::Int(i64::from(b.count))),
                                            ],
                                            Layout::Auto,
                                        )
                                    })
                                    .collect();
                                ct.push(("schedule".into(), V::Array(batches, Layout::Auto)));
                            }
                            if let Some(d) = by_day {
                                ct.push(("by_day".into(), V::Int(i64::from(*d))));
                            }
                        }
                        CommitmentKind::Rate { per_day, tolerance, window_days } => {
                            ct.push(("per_day".into(), V::Float(*per_day)));
                            ct.push(("tolerance".into(), V::Float(*tolerance)));
                            ct.push(("window_days".into(), V::Int(i64::from(*window_days))));
                        }
                        CommitmentKind::Deadline { by_day } => {
                            ct.push(("by_day".into(), V::Int(i64::from(*by_day))));
                        }
                        CommitmentKind::Hold => {}
                        CommitmentKind::Gate { after } => {
                            ct.push(("after".into(), strings(after.iter().map(String::as_str))));
                        }
                    }
                }
                if !c.owed_by.is_empty() {
                    let names: Vec<String> = c.owed_by.iter().map(|p| self.party_id(*p)).collect();
                    ct.push(("owed_by".into(), strings(names.iter().map(String::as_str))));
                }
                opt_str(&mut ct, "unit", c.unit.as_ref());
                if let Some(p) = c.phase {
                    ct.push(("phase".into(), V::Str(self.phase_name(p))));
                }
                self.basis(&mut ct, &c.basis, &format!("commitment `{}`", c.id));
                opt_str(&mut ct, "notes", c.notes.as_ref());
                items.push(V::Table(ct, Layout::Section));
            }
            t.push(("commitments".into(), V::Array(items, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn state_of_play(&mut self, s: &truce_model::StateOfPlay) -> V {
        let mut t = vec![("date".to_owned(), V::Str(s.date.to_string()))];
        if let Some(a) = s.agreement {
            let id = self.proposal_id(a);
            t.push(("agreement".into(), V::Str(id)));
        }
        let space = self.case.space();
        let counts = |counts: &[truce_model::Count]| {
            let entries =
                counts.iter().map(|c| (space.issue(c.issue).name.clone(), V::Int(c.count))).collect();
            V::Table(entries, Layout::Auto)
        };
        if !s.delivered.is_empty() {
            t.push(("delivered".into(), counts(&s.delivered)));
        }
        if !s.held.is_empty() {
            t.push(("held".into(), counts(&s.held)));
        }
        self.basis(&mut t, &s.basis, &format!("the state of play of {}", s.date));
        opt_str(&mut t, "notes", s.notes.as_ref());
        V::Table(t, Layout::Section)
    }

    fn source(&self, s: &truce_model::Source) -> V {
        let mut t =
            vec![("id".to_owned(), V::Str(s.id.clone())), ("title".to_owned(), V::Str(s.title.clone()))];
        opt_str(&mut t, "publisher", s.publisher.as_ref());
        if let Some(d) = s.date {
            t.push(("date".into(), V::Str(d.to_string())));
        }
        if let Some(location) = &s.location {
            let key = if location.contains("://") { "url" } else { "file" };
            t.push((key.into(), V::Str(location.clone())));
        }
        opt_str(&mut t, "notes", s.notes.as_ref());
        if let Some(kind) = s.kind {
            t.push(("kind".into(), V::Str(kind.as_str().into())));
        }
        V::Table(t, Layout::Section)
    }

    fn basis(&mut self, entries: &mut Vec<(String, V)>, basis: &Basis, what: &str) {
        match basis {
            Basis::Sourced { citations } if citations.is_empty() => self.warnings.push(Diagnostic::warning(
                "empty-cite",
                self.path,
                format!("{what} is marked sourced but cites nothing: written as unsourced"),
            )),
            Basis::Sourced { citations } => entries.push(("cite".into(), self.citations(citations))),
            Basis::Assumption { rationale, citations } => {
                entries.push(("assumption".into(), V::Str(rationale.clone())));
                if !citations.is_empty() {
                    entries.push(("cite".into(), self.citations(citations)));
                }
            }
            Basis::Unsourced => {}
        }
    }

    fn citations(&mut self, citations: &[Citation]) -> V {
        let items = citations
            .iter()
            .map(|c| {
                let id = match self.case.sources.get(c.source.index()) {
                    Some(s) => s.id.clone(),
                    None => {
                        self.error(format!(
                            "a citation refers to source #{}, which does not exist",
                            c.source
                        ));
                        String::new()
                    }
                };
                match &c.quote {
                    None => V::Str(id),
                    Some(q) => V::Table(
                        vec![("source".into(), V::Str(id)), ("quote".into(), V::Str(q.clone()))],
                        Layout::Auto,
                    ),
                }
            })
            .collect();
        V::Array(items, Layout::Auto)
    }

    fn party_id(&mut self, id: truce_model::PartyId) -> String {
        if let Some(p) = self.case.parties.get(id.index()) {
            p.id.clone()
        } else {
            self.error(format!("a reference to party #{id}, which does not exist"));
            String::new()
        }
    }

    fn proposal_id(&mut self, id: truce_model::ProposalId) -> String {
        if let Some(p) = self.case.proposals.get(id.index()) {
            p.id.clone()
        } else {
            self.error(format!("a reference to proposal #{id}, which does not exist"));
            String::new()
        }
    }

    fn issue_name(&mut self, id: truce_model::IssueId) -> String {
        if let Some(i) = self.case.space().issues().get(id.index()) {
            i.name.clone()
        } else {
            self.error(format!("a reference to issue #{id}, which does not exist"));
            String::new()
        }
    }

    fn phase(&mut self, p: &truce_model::Phase) -> V {
        let mut t = vec![("name".to_owned(), V::Str(p.name.clone()))];
        if let Some(d) = p.duration_days {
            t.push(("duration_days".into(), V::Int(i64::from(d))));
        }
        let issues: Vec<String> = p.issues.iter().map(|i| self.issue_name(*i)).collect();
        t.push(("issues".into(), strings(issues.iter().map(String::as_str))));
        opt_str(&mut t, "next_condition", p.next_condition.as_ref());
        opt_str(&mut t, "description", p.description.as_ref());
        self.basis(&mut t, &p.basis, &format!("phase `{}`", p.name));
        V::Table(t, Layout::Section)
    }

    fn party(&mut self, p: &Party) -> V {
        let mut t = vec![
            ("id".to_owned(), V::Str(p.id.clone())),
            ("name".to_owned(), V::Str(p.name.clone())),
            ("roles".to_owned(), strings(p.roles.iter().map(|r| r.as_str()))),
        ];
        if !p.aligned_with.is_empty() {
            let ids: Vec<String> = p.aligned_with.iter().map(|a| self.party_id(*a)).collect();
            t.push(("aligned_with".into(), strings(ids.iter().map(String::as_str))));
        }
        opt_str(&mut t, "description", p.description.as_ref());
        self.basis(&mut t, &p.basis, &format!("party `{}`", p.id));
        if let Some(prefs) = &p.preferences {
            let preferences = self.preferences(&p.id, prefs);
            t.push(("preferences".into(), preferences));
            if !prefs.red_lines.is_empty() {
                let red_lines = prefs.red_lines.iter().map(|r| self.red_line(&p.id, r)).collect();
                t.push(("red_lines".into(), V::Array(red_lines, Layout::Section)));
            }
        }
        if !p.stated_positions.is_empty() {
            let positions = p.stated_positions.iter().map(|s| self.stated_position(&p.id, s)).collect();
            t.push(("stated_positions".into(), V::Array(positions, Layout::Section)));
        }
        if !p.constituencies.is_empty() {
            let constituencies = p.constituencies.iter().map(|c| self.constituency(&p.id, c)).collect();
            t.push(("constituencies".into(), V::Array(constituencies, Layout::Section)));
        }
        if let Some(approval) = &p.approval {
            let mut a = vec![("rule".to_owned(), V::Str(approval.rule.as_str().into()))];
            if let ApprovalRule::AllOf { constituencies } = &approval.rule {
                a.push(("constituencies".into(), strings(constituencies.iter().map(String::as_str))));
            }
            self.basis(&mut a, &approval.basis, &format!("the approval rule of `{}`", p.id));
            t.push(("approval".into(), V::Table(a, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn constituency(&mut self, party: &str, c: &Constituency) -> V {
        let mut t =
            vec![("id".to_owned(), V::Str(c.id.clone())), ("name".to_owned(), V::Str(c.name.clone()))];
        opt_str(&mut t, "description", c.description.as_ref());
        if c.weight != 1.0 {
            t.push(("weight".into(), V::Float(c.weight)));
        }
        self.basis(&mut t, &c.basis, &format!("constituency `{}` of `{party}`", c.id));
        if !c.red_lines.is_empty() {
            let owner = format!("{party}.{}", c.id);
            let red_lines = c.red_lines.iter().map(|r| self.red_line(&owner, r)).collect();
            t.push(("red_lines".into(), V::Array(red_lines, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn preferences(&mut self, party: &str, prefs: &Preferences) -> V {
        let mut t = Vec::new();
        if prefs.reservation != 0.0 || prefs.reservation.is_nan() {
            t.push(("reservation".to_owned(), V::Float(prefs.reservation)));
        }
        if let Some(d) = prefs.discount {
            t.push(("discount".into(), V::Float(d)));
        }
        self.basis(&mut t, &prefs.basis, &format!("the preferences of `{party}`"));
        let space = self.case.space();
        match &prefs.utility {
            Utility::Additive(additive) => {
                if additive.issues.len() != space.len() {
                    self.error(format!(
                        "the utility of `{party}` has {} entries for {} issues",
                        additive.issues.len(),
                        space.len()
                    ));
                }
                let weights = additive
                    .issues
                    .iter()
                    .zip(space.issues())
                    .map(|(iu, i)| (i.name.clone(), V::Float(iu.weight)));
                t.push(("weights".into(), V::Table(weights.collect(), Layout::Auto)));
                let values = additive
                    .issues
                    .iter()
                    .zip(space.issues())
                    .map(|(iu, issue)| (issue.name.clone(), value_function(issue, &iu.value)))
                    .collect();
                t.push(("values".into(), V::Table(values, Layout::Section)));
            }
            Utility::Rectangles(r) => {
                let rectangles = self.rectangles(r);
                t.push(("rectangles".into(), rectangles));
            }
        }
        if !prefs.continuation.is_empty() {
            let phases = self.case.domain.phases();
            if prefs.continuation.len() >= phases.len() {
                self.error(format!(
                    "`{party}` has {} continuation beliefs for {} phase transitions",
                    prefs.continuation.len(),
                    phases.len().saturating_sub(1)
                ));
            }
            let beliefs = prefs
                .continuation
                .iter()
                .zip(phases)
                .map(|(c, phase)| (phase.name.clone(), self.continuation(party, c)))
                .collect();
            t.push(("continuation".into(), V::Table(beliefs, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn continuation(&mut self, party: &str, c: &Continuation) -> V {
        let probability = match &c.probability {
            Probability::Fixed(p) => V::Float(*p),
            Probability::ByIssue { issue, values } => {
                let name = self.issue_name(*issue);
                let def = self.case.space().issues().get(issue.index());
                let values = match def {
                    Some(def) => grid_numbers(def.domain(), values),
                    None => V::Array(values.iter().map(|v| V::Float(*v)).collect(), Layout::Auto),
                };
                V::Table(vec![("issue".into(), V::Str(name)), ("values".into(), values)], Layout::Auto)
            }
        };
        let mut t = vec![("probability".to_owned(), probability)];
        self.basis(&mut t, &c.basis, &format!("a continuation belief of `{party}`"));
        V::Table(t, Layout::Auto)
    }

    fn rectangles(&mut self, r: &RectangleUtility) -> V {
        let mut t = vec![
            ("max_utility".to_owned(), V::Float(r.max_utility)),
            ("aggregation".to_owned(), V::Str(aggregation(r.root.aggregation).into())),
        ];
        if r.root.weight != 1.0 {
            t.push(("weight".into(), V::Float(r.root.weight)));
        }
        self.rectangle_parts(&mut t, &r.root);
        V::Table(t, Layout::Section)
    }

    fn rectangle_parts(&mut self, t: &mut Vec<(String, V)>, f: &RectangleFunction) {
        if !f.rectangles.is_empty() {
            let list = f
                .rectangles
                .iter()
                .map(|r| {
                    let mut rt = vec![
                        ("inclusive".to_owned(), V::Bool(r.inclusive)),
                        ("utility".to_owned(), V::Float(r.utility)),
                    ];
                    if r.weight != 1.0 {
                        rt.push(("weight".into(), V::Float(r.weight)));
                    }
                    let bounds = r
                        .bounds
                        .iter()
                        .map(|b| {
                            let issue = self.issue_name(b.issue);
                            V::Table(
                                vec![
                                    ("issue".into(), V::Str(issue)),
                                    ("min".into(), V::Float(b.min)),
                                    ("max".into(), V::Float(b.max)),
                                ],
                                Layout::Auto,
                            )
                        })
                        .collect();
                    rt.push(("bounds".into(), V::Array(bounds, Layout::Auto)));
                    V::Table(rt, Layout::Auto)
                })
                .collect();
            t.push(("rectangles".into(), V::Array(list, Layout::Auto)));
        }
        if !f.children.is_empty() {
            let children = f
                .children
                .iter()
                .map(|c| {
                    let mut ct = vec![
                        ("aggregation".to_owned(), V::Str(aggregation(c.aggregation).into())),
                        ("weight".to_owned(), V::Float(c.weight)),
                    ];
                    self.rectangle_parts(&mut ct, c);
                    V::Table(ct, Layout::Section)
                })
                .collect();
            t.push(("children".into(), V::Array(children, Layout::Section)));
        }
    }

    /// A rule in the case-file syntax; an error (and an empty rule) when it has none.
    fn rule_text(&mut self, rule: &truce_model::Constraint, what: &str, simplified: &mut bool) -> String {
        match expr::format(rule, self.case.space(), simplified) {
            Ok(rule) => rule,
            Err(e) => {
                let why = match e {
                    expr::FormatError::EmptyCombination => {
                        "an empty `all_of`/`any_of`/`one_of` has no rule syntax".to_owned()
                    }
                    expr::FormatError::Value(v) => format!("{v} is not a value of the issue's kind"),
                };
                self.error(format!("{what} cannot be written: {why}"));
                String::new()
            }
        }
    }

    fn red_line(&mut self, party: &str, r: &RedLine) -> V {
        let mut simplified = false;
        let rule = match expr::format(r.stated_rule(), self.case.space(), &mut simplified) {
            Ok(rule) => rule,
            Err(e) => {
                let why = match e {
                    expr::FormatError::EmptyCombination => {
                        "an empty `all_of`/`any_of`/`one_of` has no rule syntax".to_owned()
                    }
                    expr::FormatError::Value(v) => format!("{v} is not a value of the issue's kind"),
                };
                self.error(format!("red line `{}` of `{party}` cannot be written: {why}", r.name));
                String::new()
            }
        };
        if simplified {
            self.warnings.push(Diagnostic::warning(
                "simplified-red-line",
                self.path,
                format!(
                    "red line `{}` of `{party}` combines a single condition; it is written as that condition \
                     (same meaning)",
                    r.name
                ),
            ));
        }
        let mut t = vec![("name".to_owned(), V::Str(r.name.clone())), ("rule".to_owned(), V::Literal(rule))];
        opt_str(&mut t, "description", r.description.as_ref());
        if let Some(d) = r.since {
            t.push(("since".into(), V::Str(d.to_string())));
        }
        if r.ends_with_position {
            t.push(("ends_with_position".into(), V::Bool(true)));
        } else if let Some(d) = r.until {
            t.push(("until".into(), V::Str(d.to_string())));
        }
        let what = format!("red line `{}` of `{party}`", r.name);
        self.basis(&mut t, &r.basis, &what);
        if !r.conditions.is_empty() {
            let conditions = r
                .conditions
                .iter()
                .map(|c| {
                    let mut ct = vec![("text".to_owned(), V::Str(c.text.clone()))];
                    if let Some(rule) = &c.rule {
                        let mut simplified = false;
                        let text = self.rule_text(rule, &format!("a condition of {what}"), &mut simplified);
                        ct.push(("rule".into(), V::Literal(text)));
                    }
                    self.basis(&mut ct, &c.basis, &format!("a condition of {what}"));
                    V::Table(ct, Layout::Section)
                })
                .collect();
            t.push(("conditions".into(), V::Array(conditions, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn stated_position(&mut self, party: &str, s: &StatedPosition) -> V {
        let mut t = vec![("date".to_owned(), V::Str(s.date.to_string()))];
        if let Some(d) = s.until {
            t.push(("until".into(), V::Str(d.to_string())));
        }
        t.push(("kind".into(), V::Str(s.kind.as_str().into())));
        t.push(("text".into(), V::Str(s.text.clone())));
        opt_str(&mut t, "red_line", s.red_line.as_ref());
        self.basis(&mut t, &s.basis, &format!("a stated position of `{party}` ({})", s.date));
        V::Table(t, Layout::Section)
    }

    fn proposal(&mut self, p: &Proposal) -> V {
        let mut t = vec![
            ("id".to_owned(), V::Str(p.id.clone())),
            ("title".to_owned(), V::Str(p.title.clone())),
            ("kind".to_owned(), V::Str(kind(p.kind).into())),
        ];
        if let Some(d) = p.date {
            t.push(("date".into(), V::Str(d.to_string())));
        }
        if !p.tabled_by.is_empty() {
            let ids: Vec<String> = p.tabled_by.iter().map(|x| self.party_id(*x)).collect();
            t.push(("tabled_by".into(), strings(ids.iter().map(String::as_str))));
        }
        if !p.via.is_empty() {
            let ids: Vec<String> = p.via.iter().map(|x| self.party_id(*x)).collect();
            t.push(("via".into(), strings(ids.iter().map(String::as_str))));
        }
        if let Some(r) = p.responds_to {
            let id = self.proposal_id(r);
            t.push(("responds_to".into(), V::Str(id)));
        }
        opt_str(&mut t, "notes", p.notes.as_ref());
        self.basis(&mut t, &p.basis, &format!("proposal `{}`", p.id));
        let mut sorted: Vec<&Term> = p.terms.iter().collect();
        sorted.sort_by_key(|term| term.issue);
        if sorted.windows(2).any(|w| w[0].issue == w[1].issue) {
            self.error(format!("proposal `{}` has two terms for one issue", p.id));
        }
        if sorted.iter().zip(&p.terms).any(|(a, b)| a.issue != b.issue) {
            self.warnings.push(Diagnostic::warning(
                "reordered-terms",
                self.path,
                format!("the terms of proposal `{}` are written in issue order", p.id),
            ));
        }
        let terms: Vec<(String, V)> =
            sorted.into_iter().map(|term| (self.issue_name(term.issue), self.term(&p.id, term))).collect();
        if !terms.is_empty() {
            t.push(("terms".into(), V::Table(terms, Layout::Section)));
        }
        if !p.responses.is_empty() {
            let responses = p.responses.iter().map(|r| self.response(&p.id, r)).collect();
            t.push(("responses".into(), V::Array(responses, Layout::Section)));
        }
        V::Table(t, Layout::Section)
    }

    fn value(&mut self, issue: truce_model::IssueId, value: Value) -> V {
        let Some(def) = self.case.space().issues().get(issue.index()) else {
            self.error(format!("a term refers to issue #{issue}, which does not exist"));
            return V::Int(0);
        };
        match raw_of(def, value) {
            Some(raw) => raw_value(raw),
            None => {
                self.error(format!("{} is not a value of `{}`", def.format_value(value), def.name));
                V::Int(0)
            }
        }
    }

    fn term_value(&mut self, entries: &mut Vec<(String, V)>, issue: truce_model::IssueId, value: &TermValue) {
        match value {
            TermValue::Set { value } => entries.push(("value".into(), self.value(issue, *value))),
            TermValue::Range { min, max } => {
                entries.push(("min".into(), self.value(issue, *min)));
                entries.push(("max".into(), self.value(issue, *max)));
            }
            TermValue::Open => entries.push(("open".into(), V::Bool(true))),
        }
    }

    fn term(&mut self, proposal: &str, term: &Term) -> V {
        if let (TermValue::Set { value }, Basis::Unsourced, true, None, true) =
            (&term.value, &term.basis, term.alternatives.is_empty(), &term.notes, term.provision.is_empty())
        {
            return self.value(term.issue, *value);
        }
        let mut t = Vec::new();
        self.term_value(&mut t, term.issue, &term.value);
        let what = format!("a term of proposal `{proposal}`");
        self.basis(&mut t, &term.basis, &what);
        opt_str(&mut t, "notes", term.notes.as_ref());
        if !term.alternatives.is_empty() {
            let alternatives = term
                .alternatives
                .iter()
                .map(|a| {
                    let mut at = Vec::new();
                    self.term_value(&mut at, term.issue, &a.value);
                    self.basis(&mut at, &a.basis, &what);
                    opt_str(&mut at, "notes", a.notes.as_ref());
                    V::Table(at, Layout::Auto)
                })
                .collect();
            t.push(("alternatives".into(), V::Array(alternatives, Layout::Auto)));
        }
        self.provision(&mut t, &term.provision);
        V::Table(t, Layout::Auto)
    }

    fn provision(&mut self, t: &mut Vec<(String, V)>, p: &truce_model::Provision) {
        if let Some(day) = p.by_day {
            t.push(("by_day".into(), V::Int(i64::from(day))));
        }
        if let Some(on) = p.on {
            t.push(("on".into(), V::Str(on.to_string())));
        }
        if !p.schedule.is_empty() {
            let batches = p
                .schedule
                .iter()
                .map(|b| {
                    V::Table(
                        vec![
                            ("day".into(), V::Int(i64::from(b.day))),
                            ("count".into(), V::Int(i64::from(b.count))),
                        ],
                        Layout::Auto,
                    )
                })
                .collect();
            t.push(("schedule".into(), V::Array(batches, Layout::Auto)));
        }
        if !p.by_category.is_empty() {
            let rates = p.by_category.iter().map(|r| (r.category.clone(), V::Float(r.rate))).collect();
            t.push(("by_category".into(), V::Table(rates, Layout::Auto)));
        }
        if !p.after.is_empty() {
            let space = self.case.space();
            t.push(("after".into(), strings(p.after.iter().map(|i| space.issue(*i).name.as_str()))));
        }
        if p.while_talks {
            t.push(("while_talks".into(), V::Bool(true)));
        }
        opt_str(t, "if_stalled", p.if_stalled.as_ref());
    }

    fn response(&mut self, proposal: &str, r: &Response) -> V {
        let party = self.party_id(r.party);
        let mut t = vec![
            ("party".to_owned(), V::Str(party.clone())),
            ("stance".to_owned(), V::Str(r.stance.as_str().into())),
        ];
        if let Some(d) = r.date {
            t.push(("date".into(), V::Str(d.to_string())));
        }
        if let Some(c) = r.countered_with {
            if r.stance != truce_model::Stance::Countered {
                self.error(format!(
                    "the response of `{party}` to `{proposal}` names a counterproposal but its stance is `{}`",
                    r.stance.as_str()
                ));
            }
            let id = self.proposal_id(c);
            t.push(("countered_with".into(), V::Str(id)));
        }
        opt_str(&mut t, "reasons", r.notes.as_ref());
        self.basis(&mut t, &r.basis, &format!("the response of `{party}` to `{proposal}`"));
        V::Table(t, Layout::Section)
    }
}

fn issue(i: &truce_model::Issue) -> V {
    let mut t = vec![("name".to_owned(), V::Str(i.name.clone()))];
    opt_str(&mut t, "description", i.description.as_ref());
    let domain = i.domain();
    match domain {
        IssueDomain::Discrete(_) if is_yes_no(domain) && !domain.is_ordered() => {
            t.push(("type".into(), V::Str("boolean".into())));
        }
        IssueDomain::Discrete(_) => {
            t.push(("type".into(), V::Str("discrete".into())));
            t.push((
                "options".into(),
                strings(domain.options().unwrap_or_default().iter().map(String::as_str)),
            ));
            if domain.is_ordered() {
                t.push(("ordered".into(), V::Bool(true)));
            }
        }
        IssueDomain::Integer(_) => {
            t.push(("type".into(), V::Str("integer".into())));
            let (Some(Value::Int(min)), Some(step)) = (domain.grid_value(0), domain.integer_step()) else {
                unreachable!("an integer domain has an integer first value and a step")
            };
            let count = i64::from(domain.cardinality());
            t.push(("min".into(), V::Int(min)));
            t.push(("max".into(), V::Int(min + (count - 1) * step)));
            if step != 1 {
                t.push(("step".into(), V::Int(step)));
            }
        }
        IssueDomain::Real(_) => {
            t.push(("type".into(), V::Str("real".into())));
            let (min, max) = domain.numeric_bounds().unwrap_or_default();
            t.push(("min".into(), V::Float(min)));
            t.push(("max".into(), V::Float(max)));
            t.push(("levels".into(), V::Int(i64::from(domain.cardinality()))));
        }
    }
    V::Table(t, Layout::Section)
}

fn value_function(issue: &truce_model::Issue, f: &ValueFunction) -> V {
    let entry = match f {
        ValueFunction::Table { scores } => ("scores".to_owned(), grid_numbers(issue.domain(), scores)),
        ValueFunction::PiecewiseLinear { points } => (
            "points".to_owned(),
            V::Array(
                points
                    .iter()
                    .map(|(x, y)| V::Array(vec![V::Float(*x), V::Float(*y)], Layout::Auto))
                    .collect(),
                Layout::Auto,
            ),
        ),
    };
    V::Table(vec![entry], Layout::Auto)
}

/// Numbers per grid value: by option name when they match a discrete issue's options, else a list.
fn grid_numbers(domain: &IssueDomain, numbers: &[f64]) -> V {
    match domain.options() {
        Some(options) if options.len() == numbers.len() => V::Table(
            options.iter().zip(numbers).map(|(o, s)| (o.clone(), V::Float(*s))).collect(),
            Layout::Auto,
        ),
        _ => V::Array(numbers.iter().map(|s| V::Float(*s)).collect(), Layout::Auto),
    }
}

fn raw_value(raw: RawValue) -> V {
    match raw {
        RawValue::Str(s) => V::Str(s),
        RawValue::Int(v) => V::Int(v),
        RawValue::Float(v) => V::Float(v),
        RawValue::Bool(b) => V::Bool(b),
    }
}

fn aggregation(a: truce_model::Aggregation) -> &'static str {
    match a {
        truce_model::Aggregation::Sum => "sum",
        truce_model::Aggregation::Min => "min",
        truce_model::Aggregation::Max => "max",
    }
}

fn kind(k: truce_model::ProposalKind) -> &'static str {
    match k {
        truce_model::ProposalKind::Proposal => "proposal",
        truce_model::ProposalKind::Counterproposal => "counterproposal",
        truce_model::ProposalKind::Bridging => "bridging",
        truce_model::ProposalKind::Agreement => "agreement",
        truce_model::ProposalKind::Resolution => "resolution",
    }
}

// -------------------------------------------------------------------------------------------------
// The emitter.

/// How an entry of a table is laid out when the table is written as a section (or is the root).
enum Place {
    /// `key = value` on one line.
    Line,
    /// `key = [` with one item per line.
    Lines,
    /// A `[key]` section.
    Table,
    /// One `[[key]]` section per item.
    Tables,
}

fn place(key: &str, v: &V) -> Place {
    let indent = key_text(key).len() + 3;
    match v {
        V::Table(_, layout) if *layout == Layout::Section || inline_len(v) + indent > WIDTH => Place::Table,
        V::Array(items, layout)
            if !items.is_empty()
                && items.iter().all(|i| matches!(i, V::Table(..)))
                && (*layout == Layout::Section || items.iter().any(|i| inline_len(i) + 4 > WIDTH)) =>
        {
            Place::Tables
        }
        V::Array(items, _) if !items.is_empty() && inline_len(v) + indent > WIDTH => Place::Lines,
        _ => Place::Line,
    }
}

/// Writes the entries of the table at `path` (the root when empty): plain keys first, then the
/// sub-tables and arrays of tables that are laid out as sections. A `[header]` is left out when the
/// table holds nothing but sections, since TOML creates it implicitly.
fn emit_table(out: &mut String, path: &[String], value: &V) {
    let V::Table(entries, _) = value else { return };
    let mut sections = Vec::new();
    for (key, v) in entries {
        match place(key, v) {
            Place::Line => {
                let _ = writeln!(out, "{} = {}", key_text(key), inline(v));
            }
            Place::Lines => {
                let V::Array(items, _) = v else { continue };
                let _ = writeln!(out, "{} = [", key_text(key));
                for item in items {
                    let _ = writeln!(out, "  {},", inline(item));
                }
                out.push_str("]\n");
            }
            Place::Table => sections.push((key, v, false)),
            Place::Tables => sections.push((key, v, true)),
        }
    }
    for (key, v, is_array) in sections {
        let mut sub = path.to_vec();
        sub.push(key.clone());
        let header = sub.iter().map(|k| key_text(k)).collect::<Vec<_>>().join(".");
        if is_array {
            let V::Array(items, _) = v else { continue };
            for item in items {
                let _ = write!(out, "\n[[{header}]]\n");
                emit_table(out, &sub, item);
            }
        } else {
            let only_sections = matches!(v, V::Table(entries, _)
                if !entries.is_empty() && entries.iter().all(|(k, e)| matches!(place(k, e), Place::Table | Place::Tables)));
            if !only_sections {
                let _ = write!(out, "\n[{header}]\n");
            }
            emit_table(out, &sub, v);
        }
    }
}

fn inline_len(v: &V) -> usize {
    inline(v).chars().count()
}

fn inline(v: &V) -> String {
    match v {
        V::Str(s) => basic_string(s),
        V::Literal(s) => {
            if s.contains('\'') || s.chars().any(char::is_control) {
                basic_string(s)
            } else {
                format!("'{s}'")
            }
        }
        V::Int(i) => i.to_string(),
        V::Float(f) => float(*f),
        V::Bool(b) => b.to_string(),
        V::Array(items, _) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        V::Table(entries, _) if entries.is_empty() => "{}".to_owned(),
        V::Table(entries, _) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{} = {}", key_text(k), inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A float that reads back to the same bits (Rust's shortest round-trip form, in TOML syntax).
fn float(f: f64) -> String {
    if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".to_owned() } else { "-inf".to_owned() }
    } else {
        format!("{f:?}")
    }
}

fn key_text(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_owned()
    } else {
        basic_string(key)
    }
}

fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_back_exactly() {
        for f in [0.1, 1.0 / 3.0, 1e-300, 6.02e23, -0.0, 100.0, f64::MAX, f64::MIN_POSITIVE] {
            let text = format!("x = {}", float(f));
            let table: toml::Table = toml::from_str(&text).unwrap();
            assert_eq!(table["x"].as_float().unwrap().to_bits(), f.to_bits(), "{text}");
        }
    }

    #[test]
    fn strings_and_keys_are_escaped() {
        let text = format!("{} = {}", key_text("a b\"c"), basic_string("line\n\"quoted\" \\ \u{7} é"));
        let table: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(table["a b\"c"].as_str(), Some("line\n\"quoted\" \\ \u{7} é"));
    }

    #[test]
    fn long_tables_become_sections_and_short_ones_stay_inline() {
        let short = V::Table(vec![("a".into(), V::Int(1))], Layout::Auto);
        let long = V::Table((0..30).map(|i| (format!("key{i}"), V::Int(i))).collect(), Layout::Auto);
        let root = V::Table(vec![("short".into(), short), ("long".into(), long)], Layout::Section);
        let mut out = String::new();
        emit_table(&mut out, &[], &root);
        assert!(out.starts_with("short = { a = 1 }\n\n[long]\nkey0 = 0\n"), "{out}");
        let table: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(table["long"]["key29"].as_integer(), Some(29));
    }
}
