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
//! - **Polls:** the rounds of the last tenth of the negotiation (at least the last round) end with a
//!   poll: every party, in order from `first`, accepts or rejects the current text, and it is the
//!   agreement if every party accepts. The mediator learns who rejected it (the objections of
//!   [`Ask::Decide`]), as a mediator who carries a text between the parties learns their criticism
//!   of it (Raiffa), and drafts the next round knowing them. A party may also end the negotiation at
//!   a poll.
//! - **Deadline:** the poll of the last round, `rounds - 1`, is the last: if a party rejects the
//!   text there, there is no agreement. This protocol needs a deadline in rounds.
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
    /// The parties accept or reject the current text, in order (a poll; the last is the
    /// ratification).
    Poll,
}

/// Single-text mediation, between moves.
#[derive(Clone, Debug)]
pub(crate) struct SingleText {
    phase: Phase,
    text: Outcome,
    candidate: Outcome,
    votes: Vec<bool>,
    /// Who rejected the text at the last poll, by seat.
    objections: Vec<bool>,
    /// Whether every party so far accepted at the current poll.
    unanimous: bool,
    pos: usize,
}

impl SingleText {
    pub(crate) fn new(parties: usize) -> Self {
        Self {
            phase: Phase::First,
            text: Vec::new(),
            candidate: Vec::new(),
            votes: vec![false; parties],
            objections: vec![false; parties],
            unanimous: true,
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
                Ask::Decide {
                    candidate: &self.candidate,
                    incumbent: &self.text,
                    votes: &self.votes,
                    objections: &self.objections,
                },
            ),
            Phase::Poll => (Actor::Party(order[self.pos]), Ask::Answer { offer: &self.text, from: None }),
        }
    }

    /// Starts the round `*ctx.round`: the final poll in the last round, else a candidate.
    fn start_round(&mut self, ctx: &Ctx<'_>) {
        if *ctx.round >= last_round(ctx) {
            self.start_poll();
        } else {
            self.phase = Phase::Candidate;
        }
    }

    fn start_poll(&mut self) {
        self.pos = 0;
        self.unanimous = true;
        self.phase = Phase::Poll;
    }

    /// A party's answer at a poll: the agreement once every party has accepted; the end of the
    /// negotiation when the last round's poll fails; else the next round.
    fn answer(&mut self, ctx: &mut Ctx<'_>, seat: usize, accept: bool) -> Option<Ending> {
        self.objections[seat] = !accept;
        self.unanimous &= accept;
        self.pos += 1;
        if self.pos < ctx.parties() {
            return None;
        }
        if self.unanimous {
            return Some(Ending::Agreement(self.text.clone()));
        }
        let last = *ctx.round >= last_round(ctx);
        *ctx.round += 1;
        if last {
            return Some(Ending::Deadline);
        }
        self.start_round(ctx);
        None
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
                    self.start_round(ctx);
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
                if *ctx.round >= first_poll(ctx) {
                    self.start_poll();
                } else {
                    *ctx.round += 1;
                    self.start_round(ctx);
                }
            }
            (Phase::Poll, answer @ (Action::Accept | Action::Reject)) => {
                let Actor::Party(seat) = actor else { return None };
                let accept = matches!(answer, Action::Accept);
                ctx.emit(|_, round, time| {
                    if accept {
                        Event::Accept { round, time, party: seat }
                    } else {
                        Event::Reject { round, time, party: seat }
                    }
                });
                return self.answer(ctx, seat, accept);
            }
            (Phase::Poll, Action::End) => {
                let Actor::Party(seat) = actor else { return None };
                ctx.emit(|_, round, time| Event::End { round, time, party: seat });
                return Some(Ending::Walkaway);
            }
            _ => {}
        }
        None
    }
}

/// The last round: its poll is the ratification.
fn last_round(ctx: &Ctx<'_>) -> u32 {
    ctx.setup.deadline.rounds.unwrap_or(1).saturating_sub(1)
}

/// The first round that ends with a poll: the rounds of the last tenth poll (at least the last).
fn first_poll(ctx: &Ctx<'_>) -> u32 {
    let rounds = ctx.setup.deadline.rounds.unwrap_or(1);
    rounds.saturating_sub((rounds / 10).max(1))
}
