//! Resolution: raw items -> a `truce_model::Case`. Every name is looked up (issues, options, parties,
//! proposals, sources, phases), every problem is collected with its file position, and the position of
//! every model location is recorded in the [`SourceMap`] so that `Case::validate` problems can be shown
//! where they are written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_spanned::Spanned;
use truce_model::{
    AdditiveUtility, Aggregation, Alternative, Approval, ApprovalRule, Basis, Batch, Bound, Case,
    CategoryRate, Citation, Constituency, Constraint, Continuation, Count, Domain, HyperRectangle, Issue,
    IssueDomain, IssueId, IssueUtility, Location, ModelError, OutcomeSpace, PartialDate, Party, PartyId,
    Phase, PhaseId, PositionKind, Preferences, Probability, Problem, Proposal, ProposalId, ProposalKind,
    Provision, RectangleFunction, RectangleUtility, RedLine, RedLineCondition, Response, Role, Source,
    SourceId, SourceKind, Stance, StateOfPlay, StatedPosition, Term, TermValue, Utility, ValueFunction,
};

mod agreements;

use super::expr;
use super::raw::{
    Cite, Direction, GridNumbers, IssueType, Number, RawAggregation, RawApproval, RawApprovalRule,
    RawCitation, RawConstituency, RawContinuation, RawDate, RawIssue, RawParty, RawPositionKind,
    RawPreferences, RawProbability, RawProposal, RawProposalKind, RawRectangle, RawRectangleFunction,
    RawRedLine, RawRedLineCondition, RawResponse, RawRole, RawSourceKind, RawStance, RawStateOfPlay,
    RawStatedPosition, RawTerm, RawTermTable, RawValue, RawValueFunction,
};
use super::read::{Item, RawCaseFiles};
use super::suggest::did_you_mean;
use super::tomlstr::value_offsets;
use super::values::{ValueError, value_of};
use crate::{Diagnostic, Format, LoadFailure, Loaded, Position, SourceMap};

/// Resolves everything read from `root` into a case, or fails with every problem found.
pub(crate) fn resolve(raw: RawCaseFiles, root: &Path) -> Result<Loaded, LoadFailure> {
    let mut r = Resolver {
        raw: &raw,
        diagnostics: Vec::new(),
        map: SourceMap::new(root),
        sources: HashMap::new(),
        parties: HashMap::new(),
        proposals: HashMap::new(),
        stand_ins: Vec::new(),
        failed_issues: HashSet::new(),
    };
    let case = r.case();
    let (mut found, map, stand_ins) = (r.diagnostics, r.map, r.stand_ins);
    let issues_missing = !r.failed_issues.is_empty();
    let files: Vec<PathBuf> = raw.files.iter().map(|f| f.path.clone()).collect();
    // Items that could not be read at all are missing from the case, so checks of the case as a
    // whole (how many negotiators) would judge a different case: they wait until those read.
    let items_missing = raw.diagnostics.iter().any(Diagnostic::is_error);
    let mut diagnostics = raw.diagnostics;
    diagnostics.append(&mut found);
    if let Some(case) = &case
        && diagnostics.iter().any(Diagnostic::is_error)
    {
        // The case will not be built, but every part of it that read is checked now, so that one run
        // reports every problem: the model's checks on the best-effort case, except where a part that
        // did not read stands in (its problems are the reading errors already reported).
        let problems = case.validate();
        let stood_in = |p: &&Problem| {
            (items_missing && p.location == Location::Case)
                || (issues_missing && matches!(p.location, Location::Preferences { .. }))
                || stand_ins.iter().any(|s| within(p.location, *s))
        };
        for problem in problems.iter().filter(|p| !stood_in(p)) {
            let d = map.diagnostic(problem);
            let seen =
                diagnostics.iter().any(|o| o.code == d.code && o.file == d.file && o.position == d.position);
            if !seen {
                diagnostics.push(d);
            }
        }
    }
    sort_diagnostics(&mut diagnostics, &files);
    match case {
        Some(case) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Loaded {
            case,
            format: Format::TruceToml,
            warnings: diagnostics,
            source_map: map,
            sources: crate::Sources::new(),
        }),
        _ => Err(LoadFailure::new(root, diagnostics)),
    }
}

/// Whether `location` is `outer` or lies inside it (a red line inside its party's preferences).
fn within(location: Location, outer: Location) -> bool {
    let mut current = Some(location);
    while let Some(at) = current {
        if at == outer {
            return true;
        }
        current = crate::load::enclosing(at);
    }
    false
}

/// File order (as read), then position; diagnostics about no particular file come first.
fn sort_diagnostics(diagnostics: &mut [Diagnostic], files: &[PathBuf]) {
    diagnostics
        .sort_by_cached_key(|d| (files.iter().position(|f| *f == d.file).map_or(0, |i| i + 1), d.position));
}

struct Resolver<'a> {
    raw: &'a RawCaseFiles,
    diagnostics: Vec<Diagnostic>,
    map: SourceMap,
    /// Ids to positions, for references; the first of duplicates wins.
    sources: HashMap<&'a str, usize>,
    parties: HashMap<&'a str, usize>,
    proposals: HashMap<&'a str, usize>,
    /// Where a part that did not read is stood in for in the best-effort case (see [`resolve`]).
    stand_ins: Vec<Location>,
    /// Issues that read but could not be built (a reversed range): references to them are not
    /// reported as unknown, and checks of a party's preferences as a whole (the sum of its
    /// weights) wait until they are fixed.
    failed_issues: HashSet<String>,
}

/// What kind of thing a name refers to, for messages.
#[derive(Clone, Copy)]
enum Kind {
    Source,
    Party,
    Proposal,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Self::Source => "source",
            Self::Party => "party",
            Self::Proposal => "proposal",
        }
    }

    fn header(self) -> &'static str {
        match self {
            Self::Source => "[[sources]]",
            Self::Party => "[[parties]]",
            Self::Proposal => "[[proposals]]",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Source => "unknown-source",
            Self::Party => "unknown-party",
            Self::Proposal => "unknown-proposal",
        }
    }
}

impl<'a> Resolver<'a> {
    fn position(&self, file: usize, offset: usize) -> Position {
        self.raw.files[file].position(offset)
    }

    fn path(&self, file: usize) -> &Path {
        &self.raw.files[file].path
    }

    fn error(
        &mut self,
        code: &'static str,
        file: usize,
        offset: usize,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::error(code, self.path(file), message).at(self.position(file, offset));
        d.hint = hint;
        self.diagnostics.push(d);
    }

    fn warning(
        &mut self,
        code: &'static str,
        file: usize,
        offset: usize,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::warning(code, self.path(file), message).at(self.position(file, offset));
        d.hint = hint;
        self.diagnostics.push(d);
    }

    fn record(&mut self, location: Location, file: usize, offset: usize) {
        let position = self.position(file, offset);
        let path = self.path(file).to_path_buf();
        self.map.insert(location, path, Some(position));
    }

    /// "first declared at case.toml:3:6", for duplicates.
    fn first_at(&self, file: usize, offset: usize) -> String {
        let p = self.position(file, offset);
        format!("the first is at {}:{}:{}; rename one", self.path(file).display(), p.line, p.column)
    }

    fn case(&mut self) -> Option<Case> {
        let raw = self.raw;
        let as_of = raw.case.as_ref().and_then(|c| {
            self.record(Location::Case, c.file, c.span.start);
            c.value.as_of.as_ref().and_then(|d| self.date(c.file, d))
        });
        let sources = self.sources();
        let space = self.space();
        let phases = space.as_ref().map(|s| self.phases(s)).unwrap_or_default();
        let domain = space.and_then(|space| match Domain::new(space, phases) {
            Ok(d) => Some(d),
            Err(e) => {
                // Phases are checked above; this is a safety net, reported at the case.
                let file = raw.case.as_ref().map_or(0, |c| c.file);
                if !raw.files.is_empty() {
                    self.error(model_code(&e), file, 0, e.to_string(), None);
                }
                None
            }
        });
        self.declare_parties();
        self.declare_proposals();
        let parties: Vec<Option<Party>> = raw
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| self.party(PartyId::from_index(i), p, domain.as_ref()))
            .collect();
        let proposals: Vec<Option<Proposal>> = raw
            .proposals
            .iter()
            .enumerate()
            .map(|(i, p)| self.proposal(ProposalId::from_index(i), p, domain.as_ref()))
            .collect();
        let state_of_play: Vec<Option<StateOfPlay>> = raw
            .state_of_play
            .iter()
            .enumerate()
            .map(|(k, item)| {
                self.record(Location::StateOfPlay { index: k }, item.file, item.span.start);
                self.state_of_play(item, domain.as_ref())
            })
            .collect();
        let agreements: Vec<Option<truce_model::SignedAgreement>> = raw
            .agreements
            .iter()
            .enumerate()
            .map(|(k, item)| self.agreement(k, item, domain.as_ref()))
            .collect();
        // Every part is built, a part that did not read standing in, so that the rest can be
        // checked; `resolve` refuses the case when any error was reported.
        let meta = raw.case.as_ref().map(|c| &c.value);
        Some(Case {
            id: meta.map(|m| m.id.clone()).unwrap_or_default(),
            title: meta.map(|m| m.title.clone()).unwrap_or_default(),
            description: meta.and_then(|m| m.description.clone()),
            as_of,
            domain: domain?,
            parties: parties.into_iter().collect::<Option<Vec<_>>>()?,
            proposals: proposals.into_iter().collect::<Option<Vec<_>>>()?,
            sources,
            state_of_play: state_of_play.into_iter().collect::<Option<Vec<_>>>()?,
            agreements: agreements.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    fn state_of_play(&mut self, item: &Item<RawStateOfPlay>, domain: Option<&Domain>) -> Option<StateOfPlay> {
        let (file, raw) = (item.file, &item.value);
        let date = self.date(file, &raw.date);
        let agreement = raw.agreement.as_ref().map(|a| self.proposal_ref(file, a));
        let basis = self.basis(file, &raw.cite, raw.assumption.as_ref());
        let counts = |this: &mut Self, map: &BTreeMap<Spanned<String>, i64>| -> Option<Vec<Count>> {
            let space = domain?.space();
            let counts: Vec<Option<Count>> = map
                .iter()
                .map(|(name, count)| {
                    this.issue_ref(space, file, name.get_ref(), name.span().start)
                        .map(|issue| Count { issue, count: *count })
                })
                .collect();
            counts.into_iter().collect()
        };
        let delivered = counts(self, &raw.delivered);
        let held = counts(self, &raw.held);
        Some(StateOfPlay {
            date: date?,
            agreement: agreement.map_or(Some(None), |a| a.map(Some))?,
            delivered: delivered?,
            held: held?,
            basis,
            notes: raw.notes.clone(),
        })
    }

    // ---------------------------------------------------------------------------------------------
    // Shared pieces: dates, citations, references.

    fn date(&mut self, file: usize, date: &Spanned<RawDate>) -> Option<PartialDate> {
        match date.get_ref().0.parse::<PartialDate>() {
            Ok(d) => Some(d),
            Err(e) => {
                let hint =
                    Some("write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\", e.g. \"2024-05-31\"".to_owned());
                self.error("invalid-date", file, date.span().start, e.to_string(), hint);
                None
            }
        }
    }

    fn basis(&mut self, file: usize, cite: &Cite, assumption: Option<&Spanned<String>>) -> Basis {
        let citations: Vec<Citation> =
            cite.iter().flat_map(|c| c.get_ref()).filter_map(|c| self.citation(file, c)).collect();
        if let Some(list) = cite
            && list.get_ref().is_empty()
        {
            // `cite = []` cites nothing: it reads as unsourced, so that the lints still apply.
            self.warning(
                "empty-cite",
                file,
                list.span().start,
                "`cite = []` cites nothing",
                Some("list the sources, or remove `cite`".into()),
            );
        }
        match assumption {
            Some(a) => {
                if a.get_ref().trim().is_empty() {
                    self.error(
                        "empty-assumption",
                        file,
                        a.span().start,
                        "an assumption needs its rationale",
                        Some(
                            "say why the analyst assumes this, e.g. assumption = \"inferred from ...\""
                                .into(),
                        ),
                    );
                }
                Basis::Assumption { rationale: a.get_ref().clone(), citations }
            }
            None if !citations.is_empty() => Basis::Sourced { citations },
            None => Basis::Unsourced,
        }
    }

    fn citation(&mut self, file: usize, citation: &Spanned<RawCitation>) -> Option<Citation> {
        let c = citation.get_ref();
        let offset = c.source_span.as_ref().map_or(citation.span().start, |s| s.start);
        let source = self.reference(Kind::Source, file, &c.source, offset)?;
        Some(Citation { source: SourceId::from_index(source), quote: c.quote.clone() })
    }

    /// Looks up a source, party or proposal id; reports unknown ones (unless declared by an item that
    /// could not be read, whose error is already reported).
    fn reference(&mut self, kind: Kind, file: usize, name: &str, offset: usize) -> Option<usize> {
        let (table, broken) = match kind {
            Kind::Source => (&self.sources, &self.raw.broken.sources),
            Kind::Party => (&self.parties, &self.raw.broken.parties),
            Kind::Proposal => (&self.proposals, &self.raw.broken.proposals),
        };
        if let Some(index) = table.get(name) {
            return Some(*index);
        }
        if !broken.contains(name) {
            let mut names: Vec<&str> = table.keys().copied().collect();
            names.sort_unstable();
            let hint = match did_you_mean(name, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("declare it under {}, or use one of the ids declared there", kind.header()),
            };
            self.error(
                kind.code(),
                file,
                offset,
                format!("no {} has the id `{name}`", kind.what()),
                Some(hint),
            );
        }
        None
    }

    fn party_ref(&mut self, file: usize, name: &Spanned<String>) -> Option<PartyId> {
        self.reference(Kind::Party, file, name.get_ref(), name.span().start).map(PartyId::from_index)
    }

    fn proposal_ref(&mut self, file: usize, name: &Spanned<String>) -> Option<ProposalId> {
        self.reference(Kind::Proposal, file, name.get_ref(), name.span().start).map(ProposalId::from_index)
    }

    fn issue_ref(&mut self, space: &OutcomeSpace, file: usize, name: &str, offset: usize) -> Option<IssueId> {
        if let Some(id) = space.issue_id(name) {
            return Some(id);
        }
        if !self.raw.broken.issues.contains(name) && !self.failed_issues.contains(name) {
            let hint = match did_you_mean(name, space.issues().iter().map(|i| i.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "declare it under [[issues]]".to_owned(),
            };
            self.error("unknown-issue", file, offset, format!("no issue is called `{name}`"), Some(hint));
        }
        None
    }

    fn value(&mut self, issue: &Issue, file: usize, value: &Spanned<RawValue>) -> Option<truce_model::Value> {
        match value_of(issue, value.get_ref()) {
            Ok(v) => match issue.out_of_range(v) {
                None => Some(v),
                Some((message, hint)) => {
                    self.error("value-out-of-range", file, value.span().start, message, Some(hint));
                    None
                }
            },
            Err(ValueError { code, message, hint }) => {
                self.error(code, file, value.span().start, message, hint);
                None
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sources, issues, phases.

    fn sources(&mut self) -> Vec<Source> {
        let raw = self.raw;
        let mut out = Vec::with_capacity(raw.sources.len());
        let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut ok = true;
        for (i, item) in raw.sources.iter().enumerate() {
            let s = &item.value;
            let id = s.id.get_ref().as_str();
            self.record(Location::Source { source: SourceId::from_index(i) }, item.file, s.id.span().start);
            if let Some(&(file, offset)) = first.get(id) {
                let hint = Some(self.first_at(file, offset));
                self.error(
                    "duplicate-id",
                    item.file,
                    s.id.span().start,
                    format!("two sources have the id `{id}`"),
                    hint,
                );
                ok = false;
            } else {
                first.insert(id, (item.file, s.id.span().start));
                self.sources.insert(id, i);
            }
            let date = s.date.as_ref().and_then(|d| self.date(item.file, d));
            ok &= s.date.is_none() || date.is_some();
            let location = match (&s.url, &s.file) {
                (Some(url), Some(_)) => {
                    self.error(
                        "source-location",
                        item.file,
                        url.span().start,
                        "a source has a `url` and a `file`",
                        Some("give one of them; put the other in `notes`".into()),
                    );
                    ok = false;
                    None
                }
                (Some(x), None) | (None, Some(x)) => Some(x.get_ref().clone()),
                (None, None) => None,
            };
            out.push(Source {
                id: id.to_owned(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                date,
                location,
                notes: s.notes.clone(),
                kind: s.kind.map(|k| match k {
                    RawSourceKind::Report => SourceKind::Report,
                    RawSourceKind::UnnamedOfficials => SourceKind::UnnamedOfficials,
                    RawSourceKind::NamedOfficial => SourceKind::NamedOfficial,
                    RawSourceKind::OfficialText => SourceKind::OfficialText,
                }),
            });
        }
        // A source with an error keeps its id (so that citations resolve) with the bad field left out.
        let _ = ok;
        out
    }

    fn space(&mut self) -> Option<OutcomeSpace> {
        let raw = self.raw;
        let mut issues: Vec<Issue> = Vec::with_capacity(raw.issues.len());
        let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut ok = true;
        for item in &raw.issues {
            let name = &item.value.name;
            if let Some(&(file, offset)) = first.get(name.get_ref().as_str()) {
                let hint = Some(self.first_at(file, offset));
                self.error(
                    "duplicate-issue",
                    item.file,
                    name.span().start,
                    format!("two issues are called `{}`", name.get_ref()),
                    hint,
                );
                ok = false;
                continue;
            }
            first.insert(name.get_ref(), (item.file, name.span().start));
            match self.issue(item) {
                None => {
                    self.failed_issues.insert(name.get_ref().clone());
                    ok = false;
                }
                Some(issue) => {
                    let id = IssueId::from_index(issues.len());
                    self.record(Location::Issue { issue: id }, item.file, name.span().start);
                    issues.push(issue);
                }
            }
        }
        if issues.is_empty() {
            // With reading errors (a misspelt `[[issue]]`, say), those are the problems to fix.
            let read_errors = raw.diagnostics.iter().any(Diagnostic::is_error);
            if raw.issues.is_empty() && raw.broken.issues.is_empty() && !raw.files.is_empty() && !read_errors
            {
                let (file, offset) = raw.case.as_ref().map_or((0, 0), |c| (c.file, c.span.start));
                self.error(
                    "no-issues",
                    file,
                    offset,
                    "the case has no issues",
                    Some("declare at least one under [[issues]]".into()),
                );
            }
            return None;
        }
        // Even with errors, the issues that were read let the rest of the case be checked; the case is
        // not built then, since an error was reported.
        let _ = ok;
        OutcomeSpace::new(issues).ok()
    }

    fn issue(&mut self, item: &Item<RawIssue>) -> Option<Issue> {
        let file = item.file;
        let raw = &item.value;
        let name = raw.name.get_ref();
        if name.is_empty() {
            self.error("empty-name", file, raw.name.span().start, "an issue has an empty name", None);
            return None;
        }
        let kind = match (&raw.kind, &raw.options) {
            (Some(k), _) => *k.get_ref(),
            (None, Some(_)) => IssueType::Discrete,
            (None, None) => {
                self.error(
                    "missing-field",
                    file,
                    item.span.start,
                    format!("issue `{name}` has no `type`"),
                    Some(
                        "give type = \"discrete\" (with options), \"integer\", \"real\" or \"boolean\""
                            .into(),
                    ),
                );
                return None;
            }
        };
        let kind_name = match kind {
            IssueType::Discrete => "a discrete",
            IssueType::Integer => "an integer",
            IssueType::Real => "a real",
            IssueType::Boolean => "a boolean",
        };
        // Fields that do not apply to the issue's kind.
        let fields: [(&str, Option<usize>, &[IssueType]); 6] = [
            ("options", raw.options.as_ref().map(|v| v.span().start), &[IssueType::Discrete]),
            ("ordered", raw.ordered.as_ref().map(|v| v.span().start), &[IssueType::Discrete]),
            ("min", raw.min.as_ref().map(|v| v.span().start), &[IssueType::Integer, IssueType::Real]),
            ("max", raw.max.as_ref().map(|v| v.span().start), &[IssueType::Integer, IssueType::Real]),
            ("step", raw.step.as_ref().map(|v| v.span().start), &[IssueType::Integer]),
            ("levels", raw.levels.as_ref().map(|v| v.span().start), &[IssueType::Real]),
        ];
        let mut ok = true;
        for (field, offset, kinds) in fields {
            if let Some(offset) = offset
                && !kinds.contains(&kind)
            {
                self.error(
                    "issue-shape",
                    file,
                    offset,
                    format!("`{field}` does not apply to {kind_name} issue"),
                    Some(format!("remove it, or change the issue's type to {}", type_names(kinds))),
                );
                ok = false;
            }
        }
        let need = |this: &mut Self, field: &str| {
            this.error(
                "missing-field",
                file,
                item.span.start,
                format!("{kind_name} issue needs `{field}`"),
                Some(format!("add `{field}` to issue `{name}`")),
            );
        };
        let domain = match kind {
            IssueType::Boolean => ok.then(|| IssueDomain::discrete(vec!["no".into(), "yes".into()], false)),
            IssueType::Discrete => {
                let Some(options) = &raw.options else {
                    need(self, "options");
                    return None;
                };
                let mut seen = HashMap::new();
                for option in options.get_ref() {
                    if let Some(&first) = seen.get(option.get_ref().as_str()) {
                        let hint = Some(self.first_at(file, first));
                        self.error(
                            "duplicate-option",
                            file,
                            option.span().start,
                            format!("issue `{name}` lists the option `{}` twice", option.get_ref()),
                            hint,
                        );
                        ok = false;
                    }
                    seen.insert(option.get_ref().as_str(), option.span().start);
                }
                let names = options.get_ref().iter().map(|o| o.get_ref().clone()).collect();
                let ordered = raw.ordered.as_ref().is_some_and(|o| *o.get_ref());
                ok.then(|| IssueDomain::discrete(names, ordered))
            }
            IssueType::Integer => {
                let (Some(min), Some(max)) = (&raw.min, &raw.max) else {
                    need(self, if raw.min.is_none() { "min" } else { "max" });
                    return None;
                };
                let int = |this: &mut Self, n: &Spanned<Number>, field: &str| match n.get_ref() {
                    Number::Int(v) => Some(*v),
                    Number::Float(v) => {
                        this.error(
                            "wrong-type",
                            file,
                            n.span().start,
                            format!("`{field}` of an integer issue must be an integer, not {v}"),
                            Some("use type = \"real\" for fractional values".into()),
                        );
                        None
                    }
                };
                let (min, max) = (int(self, min, "min"), int(self, max, "max"));
                let step = raw.step.as_ref().map_or(1, |s| *s.get_ref());
                match (min, max) {
                    (Some(min), Some(max)) if ok => Some(IssueDomain::integer(min, max, step)),
                    _ => None,
                }
            }
            IssueType::Real => {
                let (Some(min), Some(max)) = (&raw.min, &raw.max) else {
                    need(self, if raw.min.is_none() { "min" } else { "max" });
                    return None;
                };
                let Some(levels) = &raw.levels else {
                    need(self, "levels");
                    return None;
                };
                let num = |n: &Spanned<Number>| match *n.get_ref() {
                    #[allow(clippy::cast_precision_loss)]
                    Number::Int(v) => v as f64,
                    Number::Float(v) => v,
                };
                ok.then(|| IssueDomain::real(num(min), num(max), *levels.get_ref()))
            }
        }?;
        match domain {
            Ok(domain) => {
                let mut issue = Issue::new(name.clone(), domain);
                issue.description.clone_from(&raw.description);
                Some(issue)
            }
            Err(e) => {
                let offset = match &e {
                    ModelError::EmptyIssue => {
                        raw.options.as_ref().map_or(item.span.start, |o| o.span().start)
                    }
                    _ => raw.min.as_ref().map_or(item.span.start, |m| m.span().start),
                };
                let hint = match &e {
                    ModelError::EmptyIssue => Some("list at least one option".to_owned()),
                    ModelError::TooManyValues { .. } => {
                        Some("use a larger step, or a real issue with fewer levels".to_owned())
                    }
                    _ => None,
                };
                self.error(model_code(&e), file, offset, format!("issue `{name}`: {e}"), hint);
                None
            }
        }
    }

    fn phases(&mut self, space: &OutcomeSpace) -> Vec<Phase> {
        let raw = self.raw;
        let mut phases = Vec::with_capacity(raw.phases.len());
        let mut names: HashMap<&str, (usize, usize)> = HashMap::new();
        let mut owner: HashMap<IssueId, (&str, usize, usize)> = HashMap::new();
        for item in &raw.phases {
            let p = &item.value;
            let name = p.name.get_ref().as_str();
            if name.is_empty() {
                self.error("empty-name", item.file, p.name.span().start, "a phase has an empty name", None);
            }
            if let Some(&(file, offset)) = names.get(name) {
                let hint = Some(self.first_at(file, offset));
                self.error(
                    "duplicate-phase",
                    item.file,
                    p.name.span().start,
                    format!("two phases are called `{name}`"),
                    hint,
                );
                continue;
            }
            names.insert(name, (item.file, p.name.span().start));
            let mut issues = Vec::with_capacity(p.issues.len());
            for issue in &p.issues {
                let Some(id) = self.issue_ref(space, item.file, issue.get_ref(), issue.span().start) else {
                    // The phase is checked without the issue it could not name (not as empty).
                    self.stand_ins.push(Location::Phase { phase: PhaseId::from_index(phases.len()) });
                    continue;
                };
                if let Some(&(first, file, offset)) = owner.get(&id) {
                    let hint =
                        format!("an issue belongs to one phase at most; {}", self.first_at(file, offset));
                    let message = if first == name {
                        format!("phase `{name}` lists `{}` twice", issue.get_ref())
                    } else {
                        format!("`{}` is already fixed by phase `{first}`", issue.get_ref())
                    };
                    self.error("issue-in-two-phases", item.file, issue.span().start, message, Some(hint));
                    self.stand_ins.push(Location::Phase { phase: PhaseId::from_index(phases.len()) });
                    continue;
                }
                owner.insert(id, (name, item.file, issue.span().start));
                issues.push(id);
            }
            let basis = self.basis(item.file, &p.cite, p.assumption.as_ref());
            self.record(
                Location::Phase { phase: PhaseId::from_index(phases.len()) },
                item.file,
                p.name.span().start,
            );
            phases.push(Phase {
                name: name.to_owned(),
                duration_days: p.duration_days,
                issues,
                next_condition: p.next_condition.clone(),
                description: p.description.clone(),
                basis,
            });
        }
        phases
    }

    // ---------------------------------------------------------------------------------------------
    // Parties and their preferences.

    fn declare_parties(&mut self) {
        let raw = self.raw;
        let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, item) in raw.parties.iter().enumerate() {
            let id = &item.value.id;
            if let Some(&(file, offset)) = first.get(id.get_ref().as_str()) {
                let hint = Some(self.first_at(file, offset));
                self.error(
                    "duplicate-id",
                    item.file,
                    id.span().start,
                    format!("two parties have the id `{}`", id.get_ref()),
                    hint,
                );
            } else {
                first.insert(id.get_ref(), (item.file, id.span().start));
                self.parties.insert(id.get_ref(), i);
            }
        }
    }

    fn party(&mut self, pid: PartyId, item: &'a Item<RawParty>, domain: Option<&Domain>) -> Option<Party> {
        let p = &item.value;
        let file = item.file;
        self.record(Location::Party { party: pid }, file, p.id.span().start);
        let aligned: Vec<Option<PartyId>> = p.aligned_with.iter().map(|a| self.party_ref(file, a)).collect();
        let basis = self.basis(file, &p.cite, p.assumption.as_ref());
        // Red lines are checked whether or not the preferences resolve, so that all problems show.
        let red_lines: Vec<Option<RedLine>> = match domain {
            Some(domain) => p
                .red_lines
                .iter()
                .enumerate()
                .map(|(k, red_line)| {
                    self.record(
                        Location::RedLine { party: pid, index: k },
                        file,
                        red_line.get_ref().rule.span().start,
                    );
                    self.red_line(file, red_line.get_ref(), domain.space())
                })
                .collect(),
            None => vec![None; p.red_lines.len()],
        };
        let stated_positions: Vec<Option<StatedPosition>> = p
            .stated_positions
            .iter()
            .enumerate()
            .map(|(k, position)| {
                self.record(Location::StatedPosition { party: pid, index: k }, file, position.span().start);
                self.stated_position(file, p, position)
            })
            .collect();
        let preferences = match (&p.preferences, domain) {
            (Some(prefs), Some(domain)) => Some(self.preferences(pid, file, prefs, domain)),
            (Some(_), None) => Some(None), // no issues to value: reported already
            (None, _) => {
                if let Some(first) = p.red_lines.first() {
                    self.error(
                        "red-lines-without-preferences",
                        file,
                        first.span().start,
                        format!("party `{}` has red lines but no [parties.preferences]", p.id.get_ref()),
                        Some(
                            "red lines are part of a party's preferences: add its weights and values".into(),
                        ),
                    );
                    Some(None)
                } else {
                    None
                }
            }
        };
        let stated_positions: Vec<StatedPosition> = stated_positions
            .into_iter()
            .enumerate()
            .map(|(k, position)| {
                position.unwrap_or_else(|| {
                    self.stand_ins.push(Location::StatedPosition { party: pid, index: k });
                    StatedPosition {
                        date: PartialDate::ymd(1, 1, 1).unwrap_or_else(|_| unreachable!("a real date")),
                        until: None,
                        kind: PositionKind::CoreDemand,
                        text: String::new(),
                        red_line: None,
                        basis: Basis::Unsourced,
                    }
                })
            })
            .collect();
        let preferences = match preferences {
            None => None,
            Some(prefs) => {
                let mut prefs = prefs.unwrap_or_else(|| {
                    self.stand_ins.push(Location::Preferences { party: pid });
                    Preferences::new(Utility::Additive(AdditiveUtility { issues: Vec::new() }))
                });
                prefs.red_lines = red_lines
                    .into_iter()
                    .enumerate()
                    .map(|(k, r)| {
                        r.unwrap_or_else(|| {
                            self.stand_ins.push(Location::RedLine { party: pid, index: k });
                            let name = p.red_lines[k].get_ref().name.get_ref().clone();
                            RedLine::new(name, Constraint::AllOf(Vec::new()), Basis::Unsourced)
                        })
                    })
                    .collect();
                // A red line that ends with its position is in force to the last day any position
                // naming it is reported held (validation reports one no position names).
                for red_line in prefs.red_lines.iter_mut().filter(|r| r.ends_with_position) {
                    red_line.until = stated_positions
                        .iter()
                        .filter(|s| s.red_line.as_ref() == Some(&red_line.name))
                        .map(|s| s.until.unwrap_or(s.date))
                        .max_by_key(|d| d.last_day());
                }
                Some(prefs)
            }
        };
        let constituencies: Vec<Constituency> = p
            .constituencies
            .iter()
            .enumerate()
            .map(|(j, c)| self.constituency(pid, file, j, c.get_ref(), domain, &stated_positions))
            .collect();
        let approval = p.approval.as_ref().map(|a| self.approval(pid, file, p, a));
        let roles = p
            .roles
            .iter()
            .map(|r| match r {
                RawRole::Negotiator => Role::Negotiator,
                RawRole::Mediator => Role::Mediator,
                RawRole::Guarantor => Role::Guarantor,
                RawRole::Observer => Role::Observer,
            })
            .collect();
        Some(Party {
            id: p.id.get_ref().clone(),
            name: p.name.clone(),
            roles,
            aligned_with: aligned.into_iter().flatten().collect(),
            description: p.description.clone(),
            basis,
            preferences,
            stated_positions,
            constituencies,
            approval,
        })
    }

    /// A constituency, its red lines read as a party's are (one that does not read is stood in for).
    fn constituency(
        &mut self,
        pid: PartyId,
        file: usize,
        j: usize,
        c: &RawConstituency,
        domain: Option<&Domain>,
        stated_positions: &[StatedPosition],
    ) -> Constituency {
        self.record(Location::Constituency { party: pid, index: j }, file, c.id.span().start);
        let basis = self.basis(file, &c.cite, c.assumption.as_ref());
        let red_lines = c
            .red_lines
            .iter()
            .enumerate()
            .filter_map(|(k, raw)| {
                let loc = Location::ConstituencyRedLine { party: pid, constituency: j, index: k };
                self.record(loc, file, raw.get_ref().rule.span().start);
                // With no issues (reported already), the red lines cannot be read.
                let domain = domain?;
                let mut red_line = self.red_line(file, raw.get_ref(), domain.space()).unwrap_or_else(|| {
                    self.stand_ins.push(loc);
                    RedLine::new(
                        raw.get_ref().name.get_ref().clone(),
                        Constraint::AllOf(Vec::new()),
                        Basis::Unsourced,
                    )
                });
                if red_line.ends_with_position {
                    red_line.until = stated_positions
                        .iter()
                        .filter(|s| s.red_line.as_ref() == Some(&red_line.name))
                        .map(|s| s.until.unwrap_or(s.date))
                        .max_by_key(|d| d.last_day());
                }
                Some(red_line)
            })
            .collect();
        Constituency {
            id: c.id.get_ref().clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            weight: c.weight.as_ref().map_or(1.0, |w| *w.get_ref()),
            red_lines,
            basis,
        }
    }

    /// A party's approval rule; the constituencies it names must be the party's.
    fn approval(
        &mut self,
        pid: PartyId,
        file: usize,
        party: &RawParty,
        a: &Spanned<RawApproval>,
    ) -> Approval {
        let loc = Location::Approval { party: pid };
        self.record(loc, file, a.span().start);
        let raw = a.get_ref();
        let basis = self.basis(file, &raw.cite, raw.assumption.as_ref());
        let ids: Vec<&str> = party.constituencies.iter().map(|c| c.get_ref().id.get_ref().as_str()).collect();
        let named = raw.constituencies.as_deref().unwrap_or_default();
        let mut failed = false;
        for name in named {
            if !ids.contains(&name.get_ref().as_str()) {
                let hint = match did_you_mean(name.get_ref(), ids.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if ids.is_empty() => {
                        format!("party `{}` has no [[parties.constituencies]]", party.id.get_ref())
                    }
                    None => format!("the constituencies are: {}", ids.join(", ")),
                };
                self.error(
                    "unknown-constituency",
                    file,
                    name.span().start,
                    format!("party `{}` has no constituency `{}`", party.id.get_ref(), name.get_ref()),
                    Some(hint),
                );
                failed = true;
            }
        }
        if raw.rule != RawApprovalRule::AllOf && raw.constituencies.is_some() {
            self.error(
                "approval-shape",
                file,
                a.span().start,
                "`constituencies` names who must approve under `rule = \"all_of\"` only".to_owned(),
                Some("drop `constituencies`, or make the rule `all_of`".into()),
            );
            failed = true;
        }
        if failed {
            self.stand_ins.push(loc);
        }
        let rule = match raw.rule {
            RawApprovalRule::Majority => ApprovalRule::Majority,
            RawApprovalRule::Veto => ApprovalRule::Veto,
            RawApprovalRule::AllOf => ApprovalRule::AllOf {
                constituencies: named
                    .iter()
                    .map(|n| n.get_ref().clone())
                    .filter(|n| ids.contains(&n.as_str()))
                    .collect(),
            },
        };
        Approval { rule, basis }
    }

    fn preferences(
        &mut self,
        party: PartyId,
        file: usize,
        prefs: &'a Spanned<RawPreferences>,
        domain: &Domain,
    ) -> Option<Preferences> {
        let at = prefs.span().start;
        self.record(Location::Preferences { party }, file, at);
        let p = prefs.get_ref();
        let space = domain.space();
        let utility = match (&p.weights, &p.values, &p.rectangles) {
            (None, None, Some(r)) => self.rectangles(file, r, space).map(Utility::Rectangles),
            (Some(weights), Some(values), None) => {
                self.additive(party, file, at, weights, values, space).map(Utility::Additive)
            }
            (_, _, Some(r)) => {
                self.error(
                    "preferences-shape",
                    file,
                    r.span().start,
                    "preferences have both `rectangles` and `weights`/`values`",
                    Some("give either `weights` and `values` (additive), or `rectangles`".into()),
                );
                None
            }
            (w, _, None) => {
                let missing = if w.is_none() { "weights" } else { "values" };
                self.error(
                    "missing-field",
                    file,
                    at,
                    format!("preferences have no `{missing}`"),
                    Some("give `weights` and `values` by issue name (or `rectangles`)".into()),
                );
                None
            }
        };
        let continuation = self.continuation(party, file, p.continuation.as_ref(), domain);
        let basis = self.basis(file, &p.cite, p.assumption.as_ref());
        Some(Preferences {
            utility: utility?,
            reservation: p.reservation.as_ref().map_or(0.0, |r| *r.get_ref()),
            red_lines: Vec::new(),
            discount: p.discount.as_ref().map(|d| *d.get_ref()),
            continuation: continuation?,
            basis,
        })
    }

    fn additive(
        &mut self,
        party: PartyId,
        file: usize,
        at: usize,
        weights: &BTreeMap<Spanned<String>, Spanned<f64>>,
        values: &BTreeMap<Spanned<String>, Spanned<RawValueFunction>>,
        space: &OutcomeSpace,
    ) -> Option<AdditiveUtility> {
        for key in weights.keys().chain(values.keys()) {
            self.issue_ref(space, file, key.get_ref(), key.span().start);
        }
        let mut issues = Vec::with_capacity(space.len());
        let mut ok = true;
        for (i, issue) in space.issues().iter().enumerate() {
            let weight = weights.get_key_value(issue.name.as_str());
            let value = values.get_key_value(issue.name.as_str());
            if weight.is_none() {
                self.error(
                    "missing-weight",
                    file,
                    at,
                    format!("no weight for issue `{}`", issue.name),
                    Some(format!(
                        "add `{} = ...` under weights (0 to ignore the issue)",
                        key_text(&issue.name)
                    )),
                );
            }
            if value.is_none() {
                self.error(
                    "missing-value-function",
                    file,
                    at,
                    format!("no value function for issue `{}`", issue.name),
                    Some(format!("add `{}` under values: scores, points or linear", key_text(&issue.name))),
                );
            }
            let (Some((_, w)), Some((vkey, v))) = (weight, value) else {
                ok = false;
                continue;
            };
            let weight = *w.get_ref();
            let location = Location::IssueUtility { party, issue: IssueId::from_index(i) };
            let offset = if weight.is_finite() && weight >= 0.0 { vkey.span().start } else { w.span().start };
            self.record(location, file, offset);
            match self.value_function(file, issue, v) {
                Some(value) => issues.push(IssueUtility { weight, value }),
                None => ok = false,
            }
        }
        ok.then_some(AdditiveUtility { issues })
    }

    fn value_function(
        &mut self,
        file: usize,
        issue: &Issue,
        f: &Spanned<RawValueFunction>,
    ) -> Option<ValueFunction> {
        let raw = f.get_ref();
        let given = usize::from(raw.scores.is_some())
            + usize::from(raw.points.is_some())
            + usize::from(raw.linear.is_some());
        if given != 1 {
            self.error(
                "value-function-shape",
                file,
                f.span().start,
                format!(
                    "the value function for `{}` needs exactly one of `scores`, `points`, `linear`",
                    issue.name
                ),
                Some("scores by option name for discrete issues; points or linear for numeric ones".into()),
            );
            return None;
        }
        if let Some(scores) = &raw.scores {
            return self
                .grid_numbers(file, issue, scores, "score", "missing-score")
                .map(|scores| ValueFunction::Table { scores });
        }
        if let Some(points) = &raw.points {
            return Some(ValueFunction::PiecewiseLinear { points: points.get_ref().clone() });
        }
        let direction = raw.linear.as_ref()?;
        let Some((lo, hi)) = issue.domain().numeric_bounds() else {
            self.error(
                "value-function-shape",
                file,
                direction.span().start,
                format!("`linear` needs a numeric issue, and `{}` is discrete", issue.name),
                Some("score its options with scores = { option = score, ... }".into()),
            );
            return None;
        };
        Some(match direction.get_ref() {
            Direction::Increasing => ValueFunction::linear(lo, 0.0, hi, 1.0),
            Direction::Decreasing => ValueFunction::linear(lo, 1.0, hi, 0.0),
        })
    }

    /// Numbers per grid value: a list as written, or a table by option name that must name every option.
    fn grid_numbers(
        &mut self,
        file: usize,
        issue: &Issue,
        numbers: &Spanned<GridNumbers>,
        what: &str,
        missing_code: &'static str,
    ) -> Option<Vec<f64>> {
        match numbers.get_ref() {
            GridNumbers::List(list) => Some(list.iter().map(|s| *s.get_ref()).collect()),
            GridNumbers::ByName(table) => {
                let Some(options) = issue.domain().options() else {
                    self.error(
                        "value-function-shape",
                        file,
                        numbers.span().start,
                        format!(
                            "`{}` is numeric: its {what}s are a list, one per value, not a table by name",
                            issue.name
                        ),
                        Some(format!("write [{what} for the lowest value, ..., {what} for the highest]")),
                    );
                    return None;
                };
                let mut ok = true;
                let known: HashSet<&str> = options.iter().map(String::as_str).collect();
                for key in table.keys() {
                    if !known.contains(key.get_ref().as_str()) {
                        let hint = match did_you_mean(key.get_ref(), options.iter().map(String::as_str)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "the options are {}",
                                crate::diagnostic::summarise(
                                    &options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>()
                                )
                            ),
                        };
                        self.error(
                            "unknown-option",
                            file,
                            key.span().start,
                            format!("`{}` has no option `{}`", issue.name, key.get_ref()),
                            Some(hint),
                        );
                        ok = false;
                    }
                }
                let missing: Vec<&str> =
                    options.iter().filter(|o| !table.contains_key(o.as_str())).map(String::as_str).collect();
                if !missing.is_empty() {
                    self.error(
                        missing_code,
                        file,
                        numbers.span().start,
                        format!(
                            "no {what} for {} of `{}`",
                            crate::diagnostic::summarise(
                                &missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>()
                            ),
                            issue.name
                        ),
                        Some(format!("give every option a {what} (0 for the worst)")),
                    );
                    ok = false;
                }
                ok.then(|| {
                    options.iter().filter_map(|o| table.get(o.as_str()).map(|s| *s.get_ref())).collect()
                })
            }
        }
    }

    fn continuation(
        &mut self,
        party: PartyId,
        file: usize,
        beliefs: Option<&BTreeMap<Spanned<String>, Spanned<RawContinuation>>>,
        domain: &Domain,
    ) -> Option<Vec<Continuation>> {
        let Some(beliefs) = beliefs else { return Some(Vec::new()) };
        let phases = domain.phases();
        let mut by_phase: Vec<Option<(&Spanned<String>, &Spanned<RawContinuation>)>> =
            vec![None; phases.len()];
        let mut ok = true;
        for (name, belief) in beliefs {
            match phases.iter().position(|p| p.name == *name.get_ref()) {
                Some(k) if k + 1 == phases.len() => {
                    self.error(
                        "no-next-phase",
                        file,
                        name.span().start,
                        format!("`{}` is the last phase: there is no transition after it", name.get_ref()),
                        Some("a belief is keyed by the phase it leaves".into()),
                    );
                    ok = false;
                }
                Some(k) => by_phase[k] = Some((name, belief)),
                None => {
                    if !self.raw.broken.phases.contains(name.get_ref()) {
                        let hint = match did_you_mean(name.get_ref(), phases.iter().map(|p| p.name.as_str()))
                        {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "a belief is keyed by the name of the phase it leaves".to_owned(),
                        };
                        self.error(
                            "unknown-phase",
                            file,
                            name.span().start,
                            format!("no phase is called `{}`", name.get_ref()),
                            Some(hint),
                        );
                    }
                    ok = false;
                }
            }
        }
        let count = by_phase.iter().rposition(Option::is_some).map_or(0, |k| k + 1);
        let mut out = Vec::with_capacity(count);
        for (k, entry) in by_phase.iter().take(count).enumerate() {
            let Some((_, belief)) = entry else {
                let (next_name, _) = by_phase[k + 1..].iter().flatten().next().copied()?;
                self.error(
                    "continuation-gap",
                    file,
                    next_name.span().start,
                    format!(
                        "no belief for leaving phase `{}`, which comes before `{}`",
                        phases[k].name,
                        next_name.get_ref()
                    ),
                    Some(format!("add one for `{}` (probability = 1 when certain)", phases[k].name)),
                );
                ok = false;
                continue;
            };
            self.record(Location::Continuation { party, index: k }, file, belief.span().start);
            let b = belief.get_ref();
            let probability = match b.probability.get_ref() {
                RawProbability::Fixed(p) => Some(Probability::Fixed(*p)),
                RawProbability::ByIssue(by) => {
                    let issue =
                        self.issue_ref(domain.space(), file, by.issue.get_ref(), by.issue.span().start);
                    issue.and_then(|id| {
                        let def = domain.space().issue(id);
                        self.grid_numbers(file, def, &by.values, "probability", "missing-probability")
                            .map(|values| Probability::ByIssue { issue: id, values })
                    })
                }
            };
            let basis = self.basis(file, &b.cite, b.assumption.as_ref());
            match probability {
                Some(probability) => out.push(Continuation { probability, basis }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn rectangles(
        &mut self,
        file: usize,
        r: &Spanned<super::raw::RawRectangles>,
        space: &OutcomeSpace,
    ) -> Option<RectangleUtility> {
        let r = r.get_ref();
        let root = RectangleFunction {
            aggregation: aggregation(r.aggregation),
            weight: r.weight.unwrap_or(1.0),
            rectangles: self.rectangle_list(file, &r.rectangles, space)?,
            children: self.rectangle_children(file, &r.children, space, 0)?,
        };
        Some(RectangleUtility { max_utility: r.max_utility, root })
    }

    fn rectangle_children(
        &mut self,
        file: usize,
        children: &[RawRectangleFunction],
        space: &OutcomeSpace,
        depth: usize,
    ) -> Option<Vec<RectangleFunction>> {
        // TOML nesting is bounded by the parser, but keep the recursion shallow regardless.
        if depth > 64 {
            self.error("preferences-shape", file, 0, "rectangle functions nest more than 64 deep", None);
            return None;
        }
        let mut out = Vec::with_capacity(children.len());
        let mut ok = true;
        for c in children {
            let rectangles = self.rectangle_list(file, &c.rectangles, space);
            let nested = self.rectangle_children(file, &c.children, space, depth + 1);
            match (rectangles, nested) {
                (Some(rectangles), Some(children)) => {
                    out.push(RectangleFunction {
                        aggregation: aggregation(c.aggregation),
                        weight: c.weight,
                        rectangles,
                        children,
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn rectangle_list(
        &mut self,
        file: usize,
        list: &[RawRectangle],
        space: &OutcomeSpace,
    ) -> Option<Vec<HyperRectangle>> {
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for r in list {
            let mut bounds = Vec::with_capacity(r.bounds.len());
            for b in &r.bounds {
                match self.issue_ref(space, file, b.issue.get_ref(), b.issue.span().start) {
                    Some(issue) => bounds.push(Bound { issue, min: b.min, max: b.max }),
                    None => ok = false,
                }
            }
            out.push(HyperRectangle {
                inclusive: r.inclusive,
                bounds,
                utility: r.utility,
                weight: r.weight.unwrap_or(1.0),
            });
        }
        ok.then_some(out)
    }

    fn red_line(&mut self, file: usize, r: &RawRedLine, space: &OutcomeSpace) -> Option<RedLine> {
        let rule = r.rule.get_ref();
        let span = r.rule.span();
        let text = &self.raw.files[file].text;
        let offsets = text.get(span.clone()).and_then(|raw| value_offsets(raw, rule));
        let at = |i: usize| span.start + offsets.as_ref().and_then(|o| o.get(i).copied()).unwrap_or(0);
        let parsed = expr::parse(rule);
        let mut errors = Vec::new();
        let constraint = match &parsed {
            Ok(e) => expr::resolve(e, space, &mut errors),
            Err(_) => None,
        };
        if let Err(e) = parsed {
            errors.push(e);
        }
        errors.retain(|e| {
            let name = rule.get(e.start..e.end).unwrap_or_default().trim_matches(['"', '\'']);
            !(e.code == "unknown-issue" && self.failed_issues.contains(name))
        });
        for e in errors {
            self.error(e.code, file, at(e.start), e.message, e.hint);
        }
        let basis = self.basis(file, &r.cite, r.assumption.as_ref());
        let (since, until) = self.period(file, r.since.as_ref(), r.until.as_ref(), "since")?;
        let ends_with_position = r.ends_with_position.as_ref().is_some_and(|e| *e.get_ref());
        if let (Some(ends), Some(_)) = (&r.ends_with_position, &r.until)
            && *ends.get_ref()
        {
            self.error(
                "two-ends",
                file,
                ends.span().start,
                format!("red line `{}` has an `until` and also ends with its position", r.name.get_ref()),
                Some("keep one: the date a source gives, or `ends_with_position = true`".into()),
            );
            return None;
        }
        let conditions: Vec<Option<RedLineCondition>> =
            r.conditions.iter().map(|c| self.red_line_condition(file, c.get_ref(), space)).collect();
        let conditions = conditions.into_iter().collect::<Option<Vec<_>>>()?;
        let stated = constraint?;
        Some(RedLine {
            name: r.name.get_ref().clone(),
            rule: RedLine::conditional(stated, &conditions),
            description: r.description.clone(),
            since,
            until,
            basis,
            conditions,
            ends_with_position,
        })
    }

    /// Reads a rule in the case-file syntax, reporting its errors at the values they are about.
    fn rule(&mut self, file: usize, rule: &Spanned<String>, space: &OutcomeSpace) -> Option<Constraint> {
        let (text, span) = (rule.get_ref(), rule.span());
        let offsets = self.raw.files[file].text.get(span.clone()).and_then(|raw| value_offsets(raw, text));
        let at = |i: usize| span.start + offsets.as_ref().and_then(|o| o.get(i).copied()).unwrap_or(0);
        let parsed = expr::parse(text);
        let mut errors = Vec::new();
        let constraint = match &parsed {
            Ok(e) => expr::resolve(e, space, &mut errors),
            Err(_) => None,
        };
        if let Err(e) = parsed {
            errors.push(e);
        }
        let failed = !errors.is_empty();
        for e in errors {
            self.error(e.code, file, at(e.start), e.message, e.hint);
        }
        if failed { None } else { constraint }
    }

    fn red_line_condition(
        &mut self,
        file: usize,
        c: &RawRedLineCondition,
        space: &OutcomeSpace,
    ) -> Option<RedLineCondition> {
        let basis = self.basis(file, &c.cite, c.assumption.as_ref());
        let rule = match &c.rule {
            Some(rule) => Some(self.rule(file, rule, space)?),
            None => None,
        };
        Some(RedLineCondition { text: c.text.clone(), rule, basis })
    }

    /// Reads the dates of a period (`since`/`until` of a red line, `date`/`until` of a stated position)
    /// and refuses one that ends before it begins, at `until`. `None` after an error.
    #[allow(clippy::type_complexity)]
    fn period(
        &mut self,
        file: usize,
        from: Option<&Spanned<RawDate>>,
        until: Option<&Spanned<RawDate>>,
        from_field: &str,
    ) -> Option<(Option<PartialDate>, Option<PartialDate>)> {
        let start = from.map(|d| self.date(file, d));
        let end = until.map(|d| self.date(file, d));
        let (start, end) =
            (start.map_or(Some(None), |d| d.map(Some))?, end.map_or(Some(None), |d| d.map(Some))?);
        if let (Some(s), Some(e), Some(at)) = (start, end, until)
            && e.last_day() < s.first_day()
        {
            self.error(
                "reversed-period",
                file,
                at.span().start,
                format!("`until` ({e}) is before `{from_field}` ({s})"),
                Some(format!("`until` is the last date included; it cannot precede `{from_field}`")),
            );
            return None;
        }
        Some((start, end))
    }

    fn stated_position(
        &mut self,
        file: usize,
        party: &RawParty,
        position: &Spanned<RawStatedPosition>,
    ) -> Option<StatedPosition> {
        let raw = position.get_ref();
        let period = self.period(file, Some(&raw.date), raw.until.as_ref(), "date");
        let all_red_lines = || {
            party
                .red_lines
                .iter()
                .chain(party.constituencies.iter().flat_map(|c| c.get_ref().red_lines.iter()))
                .map(|r| r.get_ref().name.get_ref().as_str())
        };
        if let Some(name) = &raw.red_line
            && !all_red_lines().any(|r| r == name.get_ref())
        {
            let names = all_red_lines();
            let hint = match did_you_mean(name.get_ref(), names) {
                Some(s) => format!("did you mean `{s}`?"),
                None if all_red_lines().next().is_none() => {
                    format!("party `{}` has no [[parties.red_lines]]", party.id.get_ref())
                }
                None => "name one of the party's [[parties.red_lines]]".to_owned(),
            };
            self.error(
                "unknown-red-line",
                file,
                name.span().start,
                format!("party `{}` has no red line called `{}`", party.id.get_ref(), name.get_ref()),
                Some(hint),
            );
            return None;
        }
        let basis = self.basis(file, &raw.cite, raw.assumption.as_ref());
        let (Some(date), until) = period? else { return None };
        Some(StatedPosition {
            date,
            until,
            kind: match raw.kind {
                RawPositionKind::RedLine => PositionKind::RedLine,
                RawPositionKind::CoreDemand => PositionKind::CoreDemand,
            },
            text: raw.text.clone(),
            red_line: raw.red_line.as_ref().map(|n| n.get_ref().clone()),
            basis,
        })
    }

    // ---------------------------------------------------------------------------------------------
    // Proposals.

    fn declare_proposals(&mut self) {
        let raw = self.raw;
        let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, item) in raw.proposals.iter().enumerate() {
            let id = &item.value.id;
            if let Some(&(file, offset)) = first.get(id.get_ref().as_str()) {
                let hint = Some(self.first_at(file, offset));
                self.error(
                    "duplicate-id",
                    item.file,
                    id.span().start,
                    format!("two proposals have the id `{}`", id.get_ref()),
                    hint,
                );
            } else {
                first.insert(id.get_ref(), (item.file, id.span().start));
                self.proposals.insert(id.get_ref(), i);
            }
        }
    }

    fn proposal(
        &mut self,
        pid: ProposalId,
        item: &'a Item<RawProposal>,
        domain: Option<&Domain>,
    ) -> Option<Proposal> {
        let p = &item.value;
        let file = item.file;
        self.record(Location::Proposal { proposal: pid }, file, p.id.span().start);
        let date = p.date.as_ref().map(|d| self.date(file, d));
        let tabled_by: Vec<Option<PartyId>> = p.tabled_by.iter().map(|x| self.party_ref(file, x)).collect();
        let via: Vec<Option<PartyId>> = p.via.iter().map(|x| self.party_ref(file, x)).collect();
        let responds_to = p.responds_to.as_ref().map(|x| self.proposal_ref(file, x));
        let mut terms = Vec::with_capacity(p.terms.len());
        let mut ok = true;
        if let Some(domain) = domain {
            for (issue_name, term) in &p.terms {
                let issue =
                    self.issue_ref(domain.space(), file, issue_name.get_ref(), issue_name.span().start);
                match issue
                    .and_then(|id| self.term(file, domain.space(), id, term).map(|t| (t, term.span().start)))
                {
                    Some(t) => terms.push(t),
                    None => ok = false,
                }
            }
        }
        // Terms are kept in issue order, whatever order the file lists them in.
        terms.sort_by_key(|(t, _)| t.issue);
        for (index, (_, offset)) in terms.iter().enumerate() {
            self.record(Location::Term { proposal: pid, index }, file, *offset);
        }
        let responses: Vec<Option<Response>> = p
            .responses
            .iter()
            .enumerate()
            .map(|(index, r)| {
                self.record(Location::Response { proposal: pid, index }, file, r.span().start);
                self.response(file, r)
            })
            .collect();
        let basis = self.basis(file, &p.cite, p.assumption.as_ref());
        let kind = match p.kind.unwrap_or(RawProposalKind::Proposal) {
            RawProposalKind::Proposal => ProposalKind::Proposal,
            RawProposalKind::Counterproposal => ProposalKind::Counterproposal,
            RawProposalKind::Bridging => ProposalKind::Bridging,
            RawProposalKind::Agreement => ProposalKind::Agreement,
            RawProposalKind::Resolution => ProposalKind::Resolution,
        };
        // What did not read is left out (a term, a date, a reference) or stood in for (a response),
        // so that the rest of the proposal is checked; the errors are reported already.
        let _ = ok;
        let responses = responses
            .into_iter()
            .enumerate()
            .map(|(index, r)| {
                r.unwrap_or_else(|| {
                    self.stand_ins.push(Location::Response { proposal: pid, index });
                    Response {
                        party: PartyId(0),
                        stance: Stance::Unknown,
                        date: None,
                        countered_with: None,
                        basis: Basis::Unsourced,
                        notes: None,
                    }
                })
            })
            .collect();
        let proposal = Proposal {
            id: p.id.get_ref().clone(),
            title: p.title.clone(),
            kind,
            date: date.flatten(),
            tabled_by: tabled_by.into_iter().flatten().collect(),
            via: via.into_iter().flatten().collect(),
            responds_to: responds_to.flatten(),
            terms: terms.into_iter().map(|(t, _)| t).collect(),
            responses,
            basis,
            notes: p.notes.clone(),
        };
        domain.is_some().then_some(proposal)
    }

    fn term(
        &mut self,
        file: usize,
        space: &OutcomeSpace,
        id: IssueId,
        term: &Spanned<RawTerm>,
    ) -> Option<Term> {
        let issue = space.issue(id);
        match term.get_ref() {
            RawTerm::Value(v) => {
                let value = self.value(issue, file, &Spanned::new(term.span(), v.clone()))?;
                Some(Term::set(id, value))
            }
            RawTerm::Table(t) => {
                let value = self.term_value(
                    file,
                    issue,
                    term.span().start,
                    t.value.as_ref(),
                    t.min.as_ref(),
                    t.max.as_ref(),
                    t.open.as_ref(),
                );
                let basis = self.basis(file, &t.cite, t.assumption.as_ref());
                let alternatives: Vec<Option<Alternative>> = t
                    .alternatives
                    .iter()
                    .map(|alt| {
                        let a = alt.get_ref();
                        let value = self.term_value(
                            file,
                            issue,
                            alt.span().start,
                            a.value.as_ref(),
                            a.min.as_ref(),
                            a.max.as_ref(),
                            a.open.as_ref(),
                        );
                        let basis = self.basis(file, &a.cite, a.assumption.as_ref());
                        value.map(|value| Alternative { value, basis, notes: a.notes.clone() })
                    })
                    .collect();
                let provision = self.provision(file, t, space);
                Some(Term {
                    issue: id,
                    value: value?,
                    basis,
                    // An alternative that did not read is left out (its error is reported), so
                    // that the term itself is still checked.
                    alternatives: alternatives.into_iter().flatten().collect(),
                    notes: t.notes.clone(),
                    provision: provision?,
                })
            }
        }
    }

    /// A term's provision; its checks against the phase and the proposal are the model's.
    fn provision(&mut self, file: usize, t: &RawTermTable, space: &OutcomeSpace) -> Option<Provision> {
        let mut ok = true;
        let on = match &t.on {
            Some(d) => {
                let d = self.date(file, d);
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let mut schedule = Vec::with_capacity(t.schedule.len());
        for batch in &t.schedule {
            match Batch::new(batch.get_ref().day, batch.get_ref().count) {
                Ok(b) => schedule.push(b),
                Err(message) => {
                    self.error(
                        "day-outside-phase",
                        file,
                        batch.span().start,
                        message,
                        Some("a batch is `{ day = N, count = M }`, N from 1".into()),
                    );
                    ok = false;
                }
            }
        }
        let mut by_category = Vec::with_capacity(t.by_category.len());
        for (category, rate) in &t.by_category {
            match CategoryRate::new(category.clone(), *rate) {
                Ok(r) => by_category.push(r),
                Err(message) => {
                    let at = t.schedule.first().map_or(0, |b| b.span().start);
                    self.error("invalid-rate", file, at, message, None);
                    ok = false;
                }
            }
        }
        let mut after = Vec::with_capacity(t.after.len());
        for name in &t.after {
            match self.issue_ref(space, file, name.get_ref(), name.span().start) {
                Some(id) => after.push(id),
                None => ok = false,
            }
        }
        if let Some(day) = &t.by_day
            && *day.get_ref() == 0
        {
            self.error(
                "day-outside-phase",
                file,
                day.span().start,
                "day 0 is before the phase: its first day is day 1".to_owned(),
                None,
            );
            ok = false;
        }
        ok.then(|| Provision {
            by_day: t.by_day.as_ref().map(|d| *d.get_ref()),
            on,
            schedule,
            by_category,
            after,
            while_talks: t.while_talks.unwrap_or(false),
            if_stalled: t.if_stalled.clone(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn term_value(
        &mut self,
        file: usize,
        issue: &Issue,
        at: usize,
        value: Option<&Spanned<RawValue>>,
        min: Option<&Spanned<RawValue>>,
        max: Option<&Spanned<RawValue>>,
        open: Option<&Spanned<bool>>,
    ) -> Option<TermValue> {
        let shape = |this: &mut Self, offset: usize, message: String| {
            this.error(
                "term-shape",
                file,
                offset,
                message,
                Some("a term is a `value`, a range `min` .. `max`, or `open = true`".into()),
            );
            None
        };
        match (value, min, max, open) {
            (None, None, None, Some(o)) if *o.get_ref() => Some(TermValue::Open),
            (_, _, _, Some(o)) if !*o.get_ref() => shape(
                self,
                o.span().start,
                "`open = false` says nothing: give the term's value instead".into(),
            ),
            (Some(_), _, _, Some(o)) | (_, Some(_), _, Some(o)) | (_, _, Some(_), Some(o)) => shape(
                self,
                o.span().start,
                format!("the term for `{}` is open and also has a value", issue.name),
            ),
            (Some(v), None, None, None) => self.value(issue, file, v).map(|value| TermValue::Set { value }),
            (None, Some(lo), Some(hi), None) => {
                let (lo, hi) = (self.value(issue, file, lo), self.value(issue, file, hi));
                Some(TermValue::Range { min: lo?, max: hi? })
            }
            (Some(v), _, _, None) => shape(
                self,
                v.span().start,
                format!("the term for `{}` has both a `value` and a range", issue.name),
            ),
            (None, Some(x), None, None) | (None, None, Some(x), None) => shape(
                self,
                x.span().start,
                format!("the range for `{}` needs both `min` and `max`", issue.name),
            ),
            (None, None, None, None) => {
                shape(self, at, format!("the term for `{}` has no value", issue.name))
            }
            (None, None, None, Some(_)) => None, // open = true: matched above
        }
    }

    fn response(&mut self, file: usize, r: &Spanned<RawResponse>) -> Option<Response> {
        let raw = r.get_ref();
        let party = self.party_ref(file, &raw.party);
        let date = raw.date.as_ref().map(|d| self.date(file, d));
        let countered_with = raw.countered_with.as_ref().map(|c| self.proposal_ref(file, c));
        let stance = match raw.stance {
            RawStance::Accepted => Stance::Accepted,
            RawStance::Rejected => Stance::Rejected,
            RawStance::Countered => Stance::Countered,
            RawStance::Unknown => Stance::Unknown,
        };
        let mut ok = true;
        if let Some(c) = &raw.countered_with
            && stance != Stance::Countered
        {
            self.error(
                "response-shape",
                file,
                c.span().start,
                format!("`countered_with` goes with stance = \"countered\", not \"{}\"", stance.as_str()),
                Some("set stance = \"countered\", or drop countered_with".into()),
            );
            ok = false;
        }
        let basis = self.basis(file, &raw.cite, raw.assumption.as_ref());
        let response = Response {
            party: party?,
            stance,
            date: date.map_or(Some(None), |d| d.map(Some))?,
            countered_with: countered_with.map_or(Some(None), |c| c.map(Some))?,
            basis,
            notes: raw.reasons.clone(),
        };
        ok.then_some(response)
    }
}

fn aggregation(a: RawAggregation) -> Aggregation {
    match a {
        RawAggregation::Sum => Aggregation::Sum,
        RawAggregation::Min => Aggregation::Min,
        RawAggregation::Max => Aggregation::Max,
    }
}

fn type_names(kinds: &[IssueType]) -> String {
    kinds
        .iter()
        .map(|k| match k {
            IssueType::Discrete => "\"discrete\"",
            IssueType::Integer => "\"integer\"",
            IssueType::Real => "\"real\"",
            IssueType::Boolean => "\"boolean\"",
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// An issue name as a TOML key, for hints.
fn key_text(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

/// The diagnostic code of a model constructor error.
fn model_code(e: &ModelError) -> &'static str {
    match e {
        ModelError::NoIssues => "no-issues",
        ModelError::EmptyIssue => "empty-issue",
        ModelError::DuplicateIssue { .. } => "duplicate-issue",
        ModelError::DuplicateOption { .. } => "duplicate-option",
        ModelError::InvalidRange { .. } => "invalid-range",
        ModelError::TooManyValues { .. } => "too-many-values",
        ModelError::DuplicatePhase { .. } => "duplicate-phase",
        ModelError::IssueInTwoPhases { .. } => "issue-in-two-phases",
        ModelError::InvalidDate { .. } => "invalid-date",
        _ => "invalid-case",
    }
}
