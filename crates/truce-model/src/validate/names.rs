//! Names a reader cannot trust: a control or bidirectional-formatting character in a name (an error:
//! `U+202E` prints `north` as `htron`, and a terminal obeys escape sequences), an invisible character
//! (a warning: the name prints like another), and two names of one kind that render alike (a
//! warning: `ratio` and `rati\u{43e}` with a Cyrillic `о`, compared by their UTS #39 skeletons after
//! NFKC, invisible characters removed).
//!
//! Each name is checked where it is declared; names are printed escaped ([`crate::escape_name`]).

use std::collections::HashMap;

use super::{Checker, Location};
use crate::display::{Hidden, hidden, skeleton};
use crate::{IssueId, PartyId, PhaseId, ProposalId, SourceId, escape_name};

pub(super) fn check(c: &mut Checker<'_>) {
    let case = c.case;
    let space = case.space();
    kind(
        c,
        "issue name",
        space
            .issues()
            .iter()
            .enumerate()
            .map(|(i, issue)| (issue.name.as_str(), Location::Issue { issue: IssueId::from_index(i) })),
    );
    for (i, issue) in space.issues().iter().enumerate() {
        if let Some(options) = issue.domain().options() {
            let at = Location::Issue { issue: IssueId::from_index(i) };
            kind(c, "option", options.iter().map(|o| (o.as_str(), at)));
        }
    }
    kind(
        c,
        "phase name",
        case.domain
            .phases()
            .iter()
            .enumerate()
            .map(|(k, p)| (p.name.as_str(), Location::Phase { phase: PhaseId::from_index(k) })),
    );
    kind(
        c,
        "party id",
        case.parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), Location::Party { party: PartyId::from_index(i) })),
    );
    for (i, party) in case.parties.iter().enumerate() {
        let pid = PartyId::from_index(i);
        kind(
            c,
            "constituency id",
            party
                .constituencies
                .iter()
                .enumerate()
                .map(|(k, x)| (x.id.as_str(), Location::Constituency { party: pid, index: k })),
        );
        for (j, constituency) in party.constituencies.iter().enumerate() {
            kind(
                c,
                "red line name",
                constituency.red_lines.iter().enumerate().map(|(k, r)| {
                    (r.name.as_str(), Location::ConstituencyRedLine { party: pid, constituency: j, index: k })
                }),
            );
        }
        let Some(prefs) = &party.preferences else { continue };
        let party = pid;
        kind(
            c,
            "red line name",
            prefs
                .red_lines
                .iter()
                .enumerate()
                .map(|(k, r)| (r.name.as_str(), Location::RedLine { party, index: k })),
        );
    }
    kind(
        c,
        "proposal id",
        case.proposals
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id.as_str(), Location::Proposal { proposal: ProposalId::from_index(k) })),
    );
    kind(
        c,
        "source id",
        case.sources
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), Location::Source { source: SourceId::from_index(k) })),
    );
}

/// Checks the names of one kind (issues, the options of one issue, ...): each on its own, then each
/// pair that renders alike.
fn kind<'a>(c: &mut Checker<'_>, what: &str, names: impl Iterator<Item = (&'a str, Location)>) {
    let mut seen: HashMap<String, &'a str> = HashMap::new();
    for (name, at) in names {
        let shown = escape_name(name);
        let worst = name.chars().filter_map(hidden).max_by_key(|h| match h {
            Hidden::Invisible => 0,
            Hidden::Control | Hidden::Bidi => 1,
        });
        match worst {
            Some(Hidden::Control | Hidden::Bidi) => c.error(
                "control-character",
                at,
                format!("the {what} `{shown}` holds a control or bidirectional-formatting character"),
                Some("such characters print as something else, or reorder the line: remove them"),
            ),
            Some(Hidden::Invisible) => c.warning(
                "invisible-character",
                at,
                format!("the {what} `{shown}` holds an invisible character"),
                Some("it prints like the name without it: remove it"),
            ),
            None => {}
        }
        if name.is_empty() {
            continue;
        }
        match seen.get(&skeleton(name)) {
            Some(&first) if first != name => c.warning(
                "confusable-names",
                at,
                format!("the {what}s `{shown}` and `{}` look alike", escape_name(first)),
                Some("readers cannot tell them apart: rename one"),
            ),
            Some(_) => {}
            None => {
                seen.insert(skeleton(name), name);
            }
        }
    }
}
