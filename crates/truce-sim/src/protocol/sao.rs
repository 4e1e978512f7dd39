//! Stacked alternating offers (SAOP), bilateral and multilateral.
//!
//! # Rules
//! - **Who moves first:** the negotiation's `first` seat; the others follow in seat order, wrapping
//!   around (`first`, `first + 1`, ..., `n - 1`, `0`, ...).
//! - **A turn:** the first turn of the negotiation is an offer. On every later turn the party answers
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

use super::Ending;
use crate::session::{Session, Stop};
use crate::transcript::Event;
use crate::{Answer, Offer, Outcome};

pub(crate) fn run(s: &mut Session<'_>) -> Result<Ending, Stop> {
    let order = s.order();
    let parties = order.len();
    let mut table: Option<(Outcome, usize)> = None;
    let mut accepted = 0;
    loop {
        for &seat in &order {
            if s.deadline_passed() {
                return Ok(Ending::Deadline);
            }
            let turn = s.turn();
            if let Some((outcome, from)) = &table {
                let offer = Offer { outcome, from: Some(*from) };
                match s.call(seat, |a| a.respond(&turn, offer))? {
                    Answer::Accept => {
                        s.check_accept(seat, outcome)?;
                        s.record(|_| Event::Accept { round: turn.round, time: turn.time, party: seat });
                        accepted += 1;
                        if accepted == parties {
                            return Ok(Ending::Agreement(outcome.clone()));
                        }
                        continue;
                    }
                    Answer::End => {
                        s.record(|_| Event::End { round: turn.round, time: turn.time, party: seat });
                        return Ok(Ending::Walkaway);
                    }
                    Answer::Reject => {
                        s.record(|_| Event::Reject { round: turn.round, time: turn.time, party: seat });
                    }
                }
            }
            let outcome = s.call(seat, |a| a.propose(&turn))?;
            s.check_offer(seat, &outcome)?;
            s.record(|sc| Event::Offer {
                round: turn.round,
                time: turn.time,
                party: seat,
                utilities: sc.utilities(&outcome),
                outcome: outcome.clone(),
            });
            table = Some((outcome, seat));
            accepted = 1;
        }
        s.round += 1;
    }
}
