//! Dangling references: every typed index a case holds must name something in the case.
//!
//! A case read from a file is built with its references resolved, so none dangles; a case that
//! arrives as JSON (a server's request, a Python object) may hold any index. Each one is checked here
//! and reported with the code a file reader would use for an unknown name, and the other checks skip
//! what they cannot look up, so that validation never panics on any value it can be given.

use super::{Checker, Location};
use crate::{Basis, IssueId, PartyId, ProposalId, RectangleFunction, Utility};

pub(super) fn check(c: &mut Checker<'_>) {
    let case = c.case;
    for (k, phase) in case.domain.phases().iter().enumerate() {
        basis(c, Location::Phase { phase: crate::PhaseId::from_index(k) }, &phase.basis);
    }
    for (i, party) in case.parties.iter().enumerate() {
        let pid = PartyId::from_index(i);
        let at = Location::Party { party: pid };
        for &other in &party.aligned_with {
            self::party(c, at, other, "`aligned_with`");
        }
        basis(c, at, &party.basis);
        for (j, constituency) in party.constituencies.iter().enumerate() {
            basis(c, Location::Constituency { party: pid, index: j }, &constituency.basis);
            for (k, red_line) in constituency.red_lines.iter().enumerate() {
                let loc = Location::ConstituencyRedLine { party: pid, constituency: j, index: k };
                basis(c, loc, &red_line.basis);
                for condition in &red_line.conditions {
                    basis(c, loc, &condition.basis);
                }
            }
        }
        if let Some(approval) = &party.approval {
            basis(c, Location::Approval { party: pid }, &approval.basis);
        }
        for (k, position) in party.stated_positions.iter().enumerate() {
            basis(c, Location::StatedPosition { party: pid, index: k }, &position.basis);
        }
        let Some(prefs) = &party.preferences else { continue };
        let at = Location::Preferences { party: pid };
        basis(c, at, &prefs.basis);
        if let Utility::Rectangles(r) = &prefs.utility {
            rectangles(c, at, &r.root, 0);
        }
        for (k, belief) in prefs.continuation.iter().enumerate() {
            let loc = Location::Continuation { party: pid, index: k };
            // The issue of a belief by issue is checked with the belief's shape.
            basis(c, loc, &belief.basis);
        }
        for (k, red_line) in prefs.red_lines.iter().enumerate() {
            basis(c, Location::RedLine { party: pid, index: k }, &red_line.basis);
        }
    }
    for (k, proposal) in case.proposals.iter().enumerate() {
        let pid = ProposalId::from_index(k);
        let at = Location::Proposal { proposal: pid };
        for &p in &proposal.tabled_by {
            party(c, at, p, "`tabled_by`");
        }
        for &p in &proposal.via {
            party(c, at, p, "`via`");
        }
        if let Some(target) = proposal.responds_to {
            self::proposal(c, at, target, "`responds_to`");
        }
        basis(c, at, &proposal.basis);
        for (t, term) in proposal.terms.iter().enumerate() {
            let loc = Location::Term { proposal: pid, index: t };
            issue(c, loc, term.issue, "the term");
            for &after in &term.provision.after {
                issue(c, loc, after, "the term's condition (`after`)");
            }
            basis(c, loc, &term.basis);
            for alternative in &term.alternatives {
                basis(c, loc, &alternative.basis);
            }
        }
        for (r, response) in proposal.responses.iter().enumerate() {
            let loc = Location::Response { proposal: pid, index: r };
            party(c, loc, response.party, "the response");
            if let Some(counter) = response.countered_with {
                self::proposal(c, loc, counter, "`countered_with`");
            }
            basis(c, loc, &response.basis);
        }
    }
    for (k, record) in case.state_of_play.iter().enumerate() {
        let loc = Location::StateOfPlay { index: k };
        if let Some(agreement) = record.agreement {
            proposal(c, loc, agreement, "the state of play's `agreement`");
        }
        for count in record.delivered.iter().chain(&record.held) {
            issue(c, loc, count.issue, "the state of play");
        }
        basis(c, loc, &record.basis);
    }
    for (k, agreement) in case.agreements.iter().enumerate() {
        let loc = Location::Agreement { index: k };
        proposal(c, loc, agreement.proposal, "the agreement");
        basis(c, loc, &agreement.basis);
        for extension in &agreement.extensions {
            basis(c, loc, &extension.basis);
        }
        if let crate::Reconciliation::Trust { order } = &agreement.reconcile {
            let count = case.sources.len();
            for s in order.iter().filter(|s| s.index() >= count) {
                c.error(
                    "unknown-source",
                    loc,
                    format!(
                        "the order of trust names source #{s}, which does not exist (the case has {count})"
                    ),
                    Some("sources are numbered from 0 in the order of the case's `sources`"),
                );
            }
        }
        for (i, declared) in agreement.commitments.iter().enumerate() {
            let loc = Location::DeclaredCommitment { agreement: k, index: i };
            for &p in &declared.owed_by {
                party(c, loc, p, "`owed_by`");
            }
            basis(c, loc, &declared.basis);
        }
    }
}

fn party(c: &mut Checker<'_>, at: Location, id: PartyId, what: &str) {
    let count = c.case.parties.len();
    if id.index() >= count {
        c.error(
            "unknown-party",
            at,
            format!("{what} names party #{id}, which does not exist (the case has {count})"),
            Some("parties are numbered from 0 in the order of the case's `parties`"),
        );
    }
}

fn proposal(c: &mut Checker<'_>, at: Location, id: ProposalId, what: &str) {
    let count = c.case.proposals.len();
    if id.index() >= count {
        c.error(
            "unknown-proposal",
            at,
            format!("{what} names proposal #{id}, which does not exist (the case has {count})"),
            Some("proposals are numbered from 0 in the order of the case's `proposals`"),
        );
    }
}

fn issue(c: &mut Checker<'_>, at: Location, id: IssueId, what: &str) {
    let count = c.case.space().len();
    if id.index() >= count {
        c.error(
            "unknown-issue",
            at,
            format!("{what} names issue #{id}, which does not exist (the case has {count})"),
            Some("issues are numbered from 0 in the order of the domain's issues"),
        );
    }
}

fn basis(c: &mut Checker<'_>, at: Location, basis: &Basis) {
    let count = c.case.sources.len();
    for citation in basis.citations() {
        if citation.source.index() >= count {
            c.error(
                "unknown-source",
                at,
                format!(
                    "a citation names source #{}, which does not exist (the case has {count})",
                    citation.source
                ),
                Some("sources are numbered from 0 in the order of the case's `sources`"),
            );
        }
    }
}

/// Nesting deeper than this is refused rather than walked (JSON readers stop far earlier).
const MAX_DEPTH: usize = 256;

fn rectangles(c: &mut Checker<'_>, at: Location, f: &RectangleFunction, depth: usize) {
    if depth > MAX_DEPTH {
        c.error(
            "preferences-shape",
            at,
            format!("rectangle functions nest more than {MAX_DEPTH} deep"),
            None,
        );
        return;
    }
    for rectangle in &f.rectangles {
        for bound in &rectangle.bounds {
            issue(c, at, bound.issue, "a rectangle's bound");
        }
    }
    for child in &f.children {
        rectangles(c, at, child, depth + 1);
    }
}
