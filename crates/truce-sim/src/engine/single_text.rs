//! Mediated single negotiating text.
//!
//! # Rules
//! - **The text:** the mediator drafts one text (a whole outcome) and improves it round by round; the
//!   parties never make offers.
//! - **A round:** the mediator proposes a candidate, a variation of the current text (see
//!   [`Mutation`](crate::Mutation)); every party votes, in seat order from `first`, whether the
//!   candidate should replace the text; it does if every party votes for it. Time is
//!   `round / rounds`.
//! - **Who moves first:** the mediator; the parties vote in order from `first` (votes are private to
//!   the mediator, so the order does not change what a party knows).
//! - **Deadline:** the last round, `rounds - 1`, is the ratification: each party accepts or rejects the
//!   final text. It is the agreement if every party accepts. This protocol needs a deadline in rounds.
//!
//! # References
//! H. Raiffa (1982), *The Art and Science of Negotiation*, Harvard University Press (the single
//! negotiating text of Camp David); M. Klein, P. Faratin, H. Sayama & Y. Bar-Yam (2003), "Negotiating
//! complex contracts", *Group Decision and Negotiation* 12(2), 111-125 (the mediator mutates the
//! contract, the agents vote, the candidate is adopted when all accept).

use super::{Action, Actor, Ask, Ctx, Ending};
use crate::Outcome;
use crate::transcript::Event;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The mediator tables the first text.
    First,
    /// The mediator tables a candidate.
    Candidate,
    /// The parties vote on it, in order.
    Vote,
    /// The mediator decides.
    Decide,
    /// The parties ratify the final text, in order.
    Ratify,
}

/// Single-text mediation, between moves.
#[derive(Clone, Debug)]
pub(crate) struct SingleText {
    phase: Phase,
    text: Outcome,
    candidate: Outcome,
    votes: Vec<bool>,
    pos: usize,
}

impl SingleText {
    pub(crate) fn new(parties: usize) -> Self {
        Self {
            phase: Phase::First,
            text: Vec::new(),
            candidate: Vec::new(),
            votes: vec![false; parties],
            pos: 0,
        }
    }

    pub(crate) fn request(&self, order: &[usize]) -> (Actor, Ask<'_>) {
        match self.phase {
            Phase::First => (Actor::Mediator, Ask::Text { text: None, positions: &[] }),
            Phase::Candidate => (Actor::Mediator, Ask::Text { text: Some(&self.text), positions: &[] }),
            Phase::Vote => (
                Actor::Party(order[self.pos]),
                Ask::Vote { candidate: &self.candidate, incumbent: &self.text },
            ),
            Phase::Decide => (
                Actor::Mediator,
                Ask::Decide { candidate: &self.candidate, incumbent: &self.text, votes: &self.votes },
            ),
            Phase::Ratify => (Actor::Party(order[self.pos]), Ask::Answer { offer: &self.text, from: None }),
        }
    }

    /// The phase that follows a finished round (or the first text).
    fn next_round(&mut self, ctx: &Ctx<'_>) -> Phase {
        let last = ctx.setup.deadline.rounds.unwrap_or(1).saturating_sub(1);
        self.pos = 0;
        if *ctx.round >= last { Phase::Ratify } else { Phase::Candidate }
    }

    pub(crate) fn apply(&mut self, ctx: &mut Ctx<'_>, actor: Actor, action: Action) -> Option<Ending> {
        match (self.phase, action) {
            (Phase::First | Phase::Candidate, Action::Text(outcome)) => {
                ctx.emit(|sc, round, time| Event::Text {
                    round,
                    time,
                    utilities: sc.known_utilities(&outcome),
                    outcome: outcome.clone(),
                });
                if self.phase == Phase::First {
                    self.text = outcome;
                    self.phase = self.next_round(ctx);
                } else {
                    self.candidate = outcome;
                    self.pos = 0;
                    self.phase = Phase::Vote;
                }
            }
            (Phase::Vote, Action::Vote(accept)) => {
                let Actor::Party(seat) = actor else { return None };
                ctx.emit(|_, round, time| Event::Vote { round, time, party: seat, accept });
                self.votes[seat] = accept;
                self.pos += 1;
                if self.pos == ctx.parties() {
                    self.phase = Phase::Decide;
                }
            }
            (Phase::Decide, Action::Decide(adopt)) => {
                ctx.emit(|_, round, time| Event::Decision { round, time, adopt });
                if adopt {
                    std::mem::swap(&mut self.text, &mut self.candidate);
                }
                *ctx.round += 1;
                self.phase = self.next_round(ctx);
            }
            (Phase::Ratify, Action::Accept) => {
                let Actor::Party(seat) = actor else { return None };
                ctx.emit(|_, round, time| Event::Accept { round, time, party: seat });
                self.pos += 1;
                if self.pos == ctx.parties() {
                    return Some(Ending::Agreement(self.text.clone()));
                }
            }
            (Phase::Ratify, Action::Reject) => {
                let Actor::Party(seat) = actor else { return None };
                ctx.emit(|_, round, time| Event::Reject { round, time, party: seat });
                *ctx.round += 1;
                return Some(Ending::Deadline);
            }
            (Phase::Ratify, Action::End) => {
                let Actor::Party(seat) = actor else { return None };
                ctx.emit(|_, round, time| Event::End { round, time, party: seat });
                return Some(Ending::Walkaway);
            }
            _ => {}
        }
        None
    }
}
