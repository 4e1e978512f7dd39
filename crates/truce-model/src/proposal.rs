//! Proposals: named, dated, attributed texts with terms for some or all issues, and each party's
//! recorded response.

use serde::{Deserialize, Serialize};

use crate::{Basis, IssueId, PartialDate, PartyId, ProposalId, Provision, Value};

/// A text tabled in the talks (or an agreement as implemented).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// A short id, unique in the case (`paris-framework`).
    pub id: String,
    /// The proposal's name for people.
    pub title: String,
    /// What kind of text it is.
    pub kind: ProposalKind,
    /// When it was tabled, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Who tabled it (a party, or mediators drafting a bridging text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tabled_by: Vec<PartyId>,
    /// The mediators it was carried through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<PartyId>,
    /// The proposal this one answers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responds_to: Option<ProposalId>,
    /// The terms. Issues without a term are open.
    pub terms: Vec<Term>,
    /// What each party said of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response>,
    /// Where the proposal as a whole is reported.
    #[serde(default)]
    pub basis: Basis,
    /// Anything else worth knowing, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What kind of text a proposal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// A party's or a mediator's proposal.
    Proposal,
    /// An answer to an earlier proposal.
    Counterproposal,
    /// A mediators' text meant to bridge the parties' positions.
    Bridging,
    /// Terms agreed and implemented.
    Agreement,
    /// A resolution endorsing terms (e.g. of the UN Security Council).
    Resolution,
}

/// The value a proposal gives one issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// The issue.
    pub issue: IssueId,
    /// The value, or how much of it is settled.
    pub value: TermValue,
    /// Where the term is reported.
    #[serde(default)]
    pub basis: Basis,
    /// Other values that other sources report for the same term; `value` is the one used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    /// Anything else worth knowing, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// What the text says beyond the value: when, in which batches, at which rate per category,
    /// under which condition.
    #[serde(default, skip_serializing_if = "Provision::is_empty")]
    pub provision: Provision,
}

impl Term {
    /// A term setting `issue` to `value`, with no source, alternatives, notes or provision.
    #[must_use]
    pub fn set(issue: IssueId, value: Value) -> Self {
        Self {
            issue,
            value: TermValue::Set { value },
            basis: Basis::Unsourced,
            alternatives: Vec::new(),
            notes: None,
            provision: Provision::default(),
        }
    }
}

/// How far a term is settled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermValue {
    /// A definite value.
    Set {
        /// The value.
        value: Value,
    },
    /// Somewhere between two values of an ordered issue, both included ("between 35 and 40").
    Range {
        /// The lowest value.
        min: Value,
        /// The highest value.
        max: Value,
    },
    /// Explicitly left open ("an agreed-upon number").
    Open,
}

impl TermValue {
    /// The definite value, if set.
    #[must_use]
    pub fn as_set(&self) -> Option<Value> {
        match self {
            Self::Set { value } => Some(*value),
            Self::Range { .. } | Self::Open => None,
        }
    }
}

/// A value for a term that some source reports instead of the one used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The value this source gives.
    pub value: TermValue,
    /// The source(s) giving it.
    #[serde(default)]
    pub basis: Basis,
    /// Why it was not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What one party said of a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The responding party.
    pub party: PartyId,
    /// What it said.
    pub stance: Stance,
    /// When, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The counterproposal it answered with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countered_with: Option<ProposalId>,
    /// Where the response is reported.
    #[serde(default)]
    pub basis: Basis,
    /// The party's stated reasons, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A party's recorded response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Accepted the proposal.
    Accepted,
    /// Rejected it.
    Rejected,
    /// Answered with changes or a counterproposal.
    Countered,
    /// Not known.
    Unknown,
}

impl Stance {
    /// The stance as written in case files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Countered => "countered",
            Self::Unknown => "unknown",
        }
    }
}

impl Proposal {
    /// The term for `issue`, if the proposal has one.
    #[must_use]
    pub fn term(&self, issue: IssueId) -> Option<&Term> {
        self.terms.iter().find(|t| t.issue == issue)
    }

    /// One entry per issue of a space of `issue_count` issues: the definite value, or `None` where the
    /// proposal leaves the issue open (no term, an explicit open term, or a range).
    #[must_use]
    pub fn values(&self, issue_count: usize) -> Vec<Option<Value>> {
        let mut out = vec![None; issue_count];
        for term in &self.terms {
            if let Some(slot) = out.get_mut(term.issue.index()) {
                *slot = term.value.as_set();
            }
        }
        out
    }

    /// Whether every one of `issue_count` issues has a definite value.
    #[must_use]
    pub fn is_complete(&self, issue_count: usize) -> bool {
        self.values(issue_count).iter().all(Option::is_some)
    }
}
