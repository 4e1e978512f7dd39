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

use super::Ending;
use crate::mediator::Mutation;
use crate::session::{Session, Stop};
use crate::transcript::Event;
use crate::{Answer, Offer, seed};

pub(crate) fn run(s: &mut Session<'_>) -> Result<Ending, Stop> {
    let order = s.order();
    let rounds = s.negotiation.deadline.rounds.unwrap_or(1);
    let mut mediator = Mutation::new(seed::stream(s.negotiation.seed, 0));
    let space = s.scenario().domain().space().clone();
    let mut text = mediator.first_text(&space);
    let turn = s.turn();
    s.record(|sc| Event::Text {
        round: 0,
        time: turn.time,
        utilities: sc.utilities(&text),
        outcome: text.clone(),
    });
    while s.round + 1 < rounds {
        if s.deadline_passed() {
            return Ok(Ending::Deadline);
        }
        let turn = s.turn();
        let candidate = mediator.candidate(&space, &text);
        s.record(|sc| Event::Text {
            round: turn.round,
            time: turn.time,
            utilities: sc.utilities(&candidate),
            outcome: candidate.clone(),
        });
        let mut all = true;
        for &seat in &order {
            let yes = s.call(seat, |a| a.vote(&turn, &candidate, &text))?;
            s.record(|_| Event::Vote { round: turn.round, time: turn.time, party: seat, accept: yes });
            all &= yes;
        }
        if all {
            text = candidate;
            s.record(|_| Event::Adopt { round: turn.round, time: turn.time });
        }
        s.round += 1;
    }
    // Ratification, in the last round.
    let turn = s.turn();
    for &seat in &order {
        let offer = Offer { outcome: &text, from: None };
        match s.call(seat, |a| a.respond(&turn, offer))? {
            Answer::Accept => {
                s.check_accept(seat, &text)?;
                s.record(|_| Event::Accept { round: turn.round, time: turn.time, party: seat });
            }
            Answer::Reject => {
                s.record(|_| Event::Reject { round: turn.round, time: turn.time, party: seat });
                s.round += 1;
                return Ok(Ending::Deadline);
            }
            Answer::End => {
                s.record(|_| Event::End { round: turn.round, time: turn.time, party: seat });
                return Ok(Ending::Walkaway);
            }
        }
    }
    Ok(Ending::Agreement(text))
}
