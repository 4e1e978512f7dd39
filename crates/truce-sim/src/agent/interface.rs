//! The agent interface: what an automated negotiator is asked, and what it sees when asked.

use rand_chacha::ChaCha8Rng;

use crate::PartyView;

/// An outcome: one grid index per issue, in issue order.
pub type Outcome = Vec<u32>;

/// When an agent is asked to act.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Turn {
    /// The round, from 0.
    pub round: u32,
    /// Normalised time in `[0, 1]`: `round / rounds` for a deadline in rounds, elapsed time over the
    /// time limit for a deadline in time, the larger of the two when both are set.
    pub time: f64,
}

/// An offer on the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offer<'a> {
    /// The outcome offered.
    pub outcome: &'a [u32],
    /// Who offered it: a party's seat, or `None` for a mediator's text.
    pub from: Option<usize>,
}

/// An answer to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Agree to the offer as it stands.
    Accept,
    /// Do not agree (in alternating offers, the agent then makes a counter-offer).
    Reject,
    /// Walk away: the negotiation ends without agreement.
    End,
}

/// An automated negotiator.
///
/// An agent is built from the [`PartyView`] of its own seat and a random generator seeded by the
/// engine ([`AgentFactory::build`]); it keeps whatever it learns from the offers it is shown. The
/// protocols call:
/// - [`propose`](Agent::propose): make an offer (alternating offers), or state a position to the
///   mediator (shuttle mediation);
/// - [`respond`](Agent::respond): accept, reject or walk away from an offer or a mediator's text;
/// - [`vote`](Agent::vote): in single-text mediation, whether the mediator's candidate text should
///   replace the current one.
///
/// Every offer must be an outcome of the space acceptable to the agent itself, and every acceptance
/// must be of an outcome acceptable to it ([`PartyView::acceptable`]): the engine stops a negotiation
/// whose agent breaks this rule and records the failure.
pub trait Agent: Send {
    /// The agent's view of the negotiation.
    fn view(&self) -> &PartyView;

    /// Makes an offer.
    fn propose(&mut self, turn: &Turn) -> Outcome;

    /// Answers an offer made by another party or a mediator.
    fn respond(&mut self, turn: &Turn, offer: Offer<'_>) -> Answer;

    /// Whether `candidate` should replace `incumbent` as the single negotiating text. By default, a
    /// truthful hill-climber's vote (Klein et al. 2003): yes when the candidate is at least as good,
    /// an outcome the agent may agree to counting as better than one it may not.
    fn vote(&mut self, turn: &Turn, candidate: &[u32], incumbent: &[u32]) -> bool {
        let _ = turn;
        truthful_vote(self.view(), candidate, incumbent)
    }
}

/// Builds agents: a registered strategy with its parameters ([`AgentSpec`](crate::AgentSpec)), or any
/// type of your own.
pub trait AgentFactory: Send + Sync {
    /// The label results and transcripts use (`boulware`, `boulware(e=0.1)`).
    fn label(&self) -> String;

    /// A fresh agent for one negotiation.
    fn build(&self, view: PartyView, rng: ChaCha8Rng) -> Box<dyn Agent>;

    /// The strategy's name, without parameters (`boulware`), which tournament results record; by
    /// default the label.
    fn strategy(&self) -> String {
        self.label()
    }

    /// Every parameter's value, defaults included, which tournament results record so that two
    /// tournaments of differently tuned agents never merge; by default none.
    fn parameters(&self) -> Vec<(String, f64)> {
        Vec::new()
    }

    /// Runs a whole negotiation on this thread (this factory's `build` and every call to its agents
    /// included) inside whatever this kind of agent needs set up once per thread rather than once
    /// per call; by default nothing. It must call `negotiation` exactly once. Python agents use it to
    /// keep the thread's interpreter state for the negotiation instead of making one for each call.
    fn within(&self, negotiation: &mut (dyn FnMut() + Send)) {
        negotiation();
    }
}

/// The truthful hill-climber's vote: an outcome the party may agree to beats one it may not; otherwise
/// the better one for the party wins, ties going to the candidate.
#[must_use]
pub fn truthful_vote(view: &PartyView, candidate: &[u32], incumbent: &[u32]) -> bool {
    match (view.acceptable(candidate), view.acceptable(incumbent)) {
        (true, false) => true,
        (false, true) => false,
        _ => view.utility(candidate) >= view.utility(incumbent),
    }
}

/// A conceding agent's vote: truthful, and also yes to any candidate it may agree to that is worth at
/// least its current target. As the target falls, the agent lets the text move away from its own
/// optimum, much as the annealing voters of Klein et al. (2003) accept worse contracts, so that
/// single-text mediation does not stall at the first local optimum.
#[must_use]
pub fn conceding_vote(view: &PartyView, target: f64, candidate: &[u32], incumbent: &[u32]) -> bool {
    truthful_vote(view, candidate, incumbent)
        || (view.acceptable(candidate) && view.utility(candidate) >= target)
}
