//! Stacked alternating offers (SAOP), bilateral and multilateral.
//!
//! # Rules
//! - **Who moves first:** the negotiation's `first` seat; the others follow in seat order, wrapping
//!   around (`first`, `first + 1`, ..., `n - 1`, `0`, ...).
//! - **A turn:** the first turn of the negotiation is an offer ([`Ask::Offer`](crate::Ask)). On every later turn the party answers ([`Ask::Answer`](crate::Ask))
//!   the offer on the table: it *accepts* it, *walks away* (the negotiation ends without agreement),
//!   or *rejects* it and makes a counter-offer, which replaces it on the table. Everyone sees every
//!   offer.
//! - **Agreement:** when every party other than the one that made the offer on the table has accepted
//!   it in turn (the offering party accepts its own offer).
//! - **A round:** every party takes one turn; time is `round / rounds`.
//! - **Deadline:** with `rounds`, the last turn is the last party's in round `rounds - 1`; with a time
//!   limit, no turn starts after it. Then the negotiation ends without agreement.
//!
//! Bilateral SAOP is Rubinstein's alternating offers with a deadline.
//!
//! # References
//! R. Aydoğan, D. Festen, K. V. Hindriks & C. M. Jonker (2017), "Alternating offers protocols for
//! multilateral negotiation", in *Modern Approaches to Agent-based Complex Automated Negotiation*,
//! Studies in Computational Intelligence 674, 153-167; A. Rubinstein (1982), "Perfect equilibrium in a
//! bargaining model", *Econometrica* 50(1).

use super::{Action, Actor, Ask, Ctx, Ending};
use crate::Outcome;
use crate::transcript::Event;

/// Stacked alternating offers, between moves.
#[derive(Clone, Debug)]
pub(crate) struct Sao {
    /// Whose turn it is, as a position in the moving order.
    pos: usize,
    /// The offer on the table and who made it.
    table: Option<(Outcome, usize)>,
    /// How many parties have accepted the offer on the table (its maker included).
    accepted: usize,
    /// The party in turn has rejected the offer and must now counter.
    countering: bool,
}

impl Sao {
    pub(crate) fn new() -> Self {
        Self { pos: 0, table: None, accepted: 0, countering: false }
    }

    pub(crate) fn request(&self, order: &[usize]) -> (Actor, Ask<'_>) {
        let seat = order[self.pos];
        let ask = match &self.table {
            Some((offer, from)) if !self.countering => Ask::Answer { offer, from: Some(*from) },
            _ => Ask::Offer,
        };
        (Actor::Party(seat), ask)
    }

    /// Applies a checked action; the ending, if the rules end the negotiation.
    pub(crate) fn apply(&mut self, ctx: &mut Ctx<'_>, actor: Actor, action: Action) -> Option<Ending> {
        let Actor::Party(seat) = actor else { return None };
        match action {
            Action::Accept => {
                ctx.emit(|_, round, time| Event::Accept { round, time, party: seat });
                self.accepted += 1;
                if self.accepted == ctx.parties() {
                    return self.table.take().map(|(outcome, _)| Ending::Agreement(outcome));
                }
            }
            Action::End => {
                ctx.emit(|_, round, time| Event::End { round, time, party: seat });
                return Some(Ending::Walkaway);
            }
            Action::Reject => {
                ctx.emit(|_, round, time| Event::Reject { round, time, party: seat });
                self.countering = true;
                return None;
            }
            Action::Offer(outcome) => {
                ctx.emit(|sc, round, time| Event::Offer {
                    round,
                    time,
                    party: seat,
                    utilities: sc.known_utilities(&outcome),
                    outcome: outcome.clone(),
                });
                self.table = Some((outcome, seat));
                self.accepted = 1;
                self.countering = false;
            }
            _ => return None,
        }
        // The next party's turn.
        self.pos += 1;
        if self.pos == ctx.parties() {
            self.pos = 0;
            *ctx.round += 1;
            if ctx.rounds_over() {
                return Some(Ending::Deadline);
            }
        }
        None
    }
}
