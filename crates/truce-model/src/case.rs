//! A case: everything known about one negotiation, with its sources.

use serde::{Deserialize, Serialize};

use crate::{
    Domain, OutcomeSpace, PartialDate, Party, PartyId, Preferences, Proposal, ProposalId, SignedAgreement,
    Source, SourceId, StateOfPlay,
};

/// One negotiation: its domain (issues and phases), parties with their preferences, the proposals
/// tabled and the responses to them, and the sources all of it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// A short id (`gaza-2024`).
    pub id: String,
    /// The case's title for people.
    pub title: String,
    /// What the case covers, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The date the case describes the talks as of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<PartialDate>,
    /// Issues and phases.
    pub domain: Domain,
    /// The parties, mediators included.
    pub parties: Vec<Party>,
    /// The proposals, in the order given (usually chronological).
    #[serde(default)]
    pub proposals: Vec<Proposal>,
    /// The sources cited anywhere in the case.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// What had been delivered under an agreement in force, and what was still held, by date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub state_of_play: Vec<StateOfPlay>,
    /// Proposals signed and followed as implemented (see `truce monitor`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<SignedAgreement>,
}

impl Case {
    /// A case with a domain and parties, and no proposals or sources.
    #[must_use]
    pub fn new(id: impl Into<String>, title: impl Into<String>, domain: Domain, parties: Vec<Party>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            description: None,
            as_of: None,
            domain,
            parties,
            proposals: Vec::new(),
            sources: Vec::new(),
            state_of_play: Vec::new(),
            agreements: Vec::new(),
        }
    }

    /// The outcome space.
    #[must_use]
    pub fn space(&self) -> &OutcomeSpace {
        self.domain.space()
    }

    /// The party with the given id.
    ///
    /// # Panics
    /// If the id does not belong to this case.
    #[must_use]
    pub fn party(&self, id: PartyId) -> &Party {
        &self.parties[id.index()]
    }

    /// The id of the party called `id`.
    #[must_use]
    pub fn party_id(&self, id: &str) -> Option<PartyId> {
        self.parties.iter().position(|p| p.id == id).map(PartyId::from_index)
    }

    /// The proposal with the given id.
    ///
    /// # Panics
    /// If the id does not belong to this case.
    #[must_use]
    pub fn proposal(&self, id: ProposalId) -> &Proposal {
        &self.proposals[id.index()]
    }

    /// The id of the proposal called `id`.
    #[must_use]
    pub fn proposal_id(&self, id: &str) -> Option<ProposalId> {
        self.proposals.iter().position(|p| p.id == id).map(ProposalId::from_index)
    }

    /// The source with the given id.
    ///
    /// # Panics
    /// If the id does not belong to this case.
    #[must_use]
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.index()]
    }

    /// The id of the source called `id`.
    #[must_use]
    pub fn source_id(&self, id: &str) -> Option<SourceId> {
        self.sources.iter().position(|s| s.id == id).map(SourceId::from_index)
    }

    /// The proposals in chronological order: by date (a less precise date before the more precise
    /// ones it contains, undated proposals last, case order among equal dates), except that a
    /// proposal never comes before the one it `responds_to` (a counterproposal dated `2024-07` follows
    /// the `2024-07-02` text it answers).
    #[must_use]
    pub fn chronological(&self) -> Vec<ProposalId> {
        let mut order: Vec<usize> = (0..self.proposals.len()).collect();
        order.sort_by_key(|&k| (self.proposals[k].date.is_none(), self.proposals[k].date, k));
        // Move each answer right after what it answers; at most one pass per proposal (validation
        // refuses cycles, and the bound keeps a cyclic case from looping).
        for _ in 0..self.proposals.len() {
            let mut moved = false;
            for pos in 0..order.len() {
                let Some(target) = self.proposals[order[pos]].responds_to else { continue };
                let Some(at) = order.iter().position(|&k| k == target.index()) else { continue };
                if at > pos {
                    let k = order.remove(pos);
                    order.insert(at, k);
                    moved = true;
                    break;
                }
            }
            if !moved {
                break;
            }
        }
        order.into_iter().map(ProposalId::from_index).collect()
    }

    /// The negotiating parties that have preferences, in case order: the parties whose agreement
    /// analysis and simulation are about.
    pub fn negotiators(&self) -> impl Iterator<Item = (PartyId, &Preferences)> + '_ {
        self.parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.negotiates())
            .filter_map(|(i, p)| p.preferences.as_ref().map(|prefs| (PartyId::from_index(i), prefs)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Issue, IssueDomain, ProposalKind};

    fn proposal(id: &str, date: Option<&str>, responds_to: Option<u32>) -> Proposal {
        Proposal {
            id: id.into(),
            title: id.into(),
            kind: ProposalKind::Proposal,
            date: date.map(|d| d.parse().unwrap()),
            tabled_by: vec![],
            via: vec![],
            responds_to: responds_to.map(ProposalId),
            terms: vec![],
            responses: vec![],
            basis: crate::Basis::Unsourced,
            notes: None,
        }
    }

    #[test]
    fn proposals_are_chronological_and_answers_follow_what_they_answer() {
        let space = OutcomeSpace::new(vec![Issue::new("x", IssueDomain::integer(0, 1, 1).unwrap())]).unwrap();
        let mut case = Case::new("c", "c", Domain::unphased(space), vec![]);
        case.proposals = vec![
            proposal("undated", None, None),
            proposal("july-text", Some("2024-07-02"), None),
            proposal("answer", Some("2024-07"), Some(1)),
            proposal("january", Some("2024-01"), None),
            proposal("paris", Some("2024-01-28"), None),
        ];
        let ids: Vec<&str> = case.chronological().iter().map(|&p| case.proposal(p).id.as_str()).collect();
        assert_eq!(ids, ["january", "paris", "july-text", "answer", "undated"]);
    }
}
