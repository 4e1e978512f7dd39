//! Shuttle mediation: the mediator carries texts between parties who never see each other's offers.
//!
//! # Rules
//! - **A round:** every party states a position to the mediator in private (in seat order from
//!   `first`); the mediator drafts a bridging text from the positions alone (it does not know the
//!   parties' preferences; see [`SplitDifference`](crate::SplitDifference)) and puts it to each party in
//!   private; each accepts, rejects, or walks away (ending the negotiation). Time is `round / rounds`.
//! - **What a party sees:** only the mediator's texts, never another party's position or answer.
//! - **Agreement:** when every party accepts the same text.
//! - **Deadline:** after round `rounds - 1`, or when the time runs out, without agreement.
//!
//! This is how the 2024 Gaza talks ran: Qatar, Egypt and the United States met each side separately
//! and carried proposals between them (`seeds/001_37fb9af9c1db5dc3.txt`: "the Mossad chief separately
//! engaging with representatives from Qatar, Egypt, and the United States"; `gaza-talks-2023-2024.md`).
//!
//! # References
//! H. Kissinger's shuttle diplomacy as analysed by J. Z. Rubin (ed.) (1981), *Dynamics of Third Party
//! Intervention: Kissinger in the Middle East*, Praeger; H. Raiffa (1982), *The Art and Science of
//! Negotiation*, ch. 14 (mediators drafting bridging texts).

use super::Ending;
use crate::mediator::SplitDifference;
use crate::session::{Session, Stop};
use crate::transcript::Event;
use crate::{Answer, Offer};

pub(crate) fn run(s: &mut Session<'_>) -> Result<Ending, Stop> {
    let order = s.order();
    let space = s.scenario().domain().space().clone();
    let mut mediator = SplitDifference::new();
    let mut positions = vec![Vec::new(); s.parties()];
    loop {
        if s.deadline_passed() {
            return Ok(Ending::Deadline);
        }
        let turn = s.turn();
        for &seat in &order {
            let position = s.call(seat, |a| a.propose(&turn))?;
            s.check_offer(seat, &position)?;
            s.record(|sc| Event::Position {
                round: turn.round,
                time: turn.time,
                party: seat,
                utilities: sc.utilities(&position),
                outcome: position.clone(),
            });
            positions[seat] = position;
        }
        let text = mediator.bridge(&space, &positions, turn.round);
        s.record(|sc| Event::Text {
            round: turn.round,
            time: turn.time,
            utilities: sc.utilities(&text),
            outcome: text.clone(),
        });
        let mut all = true;
        for &seat in &order {
            let offer = Offer { outcome: &text, from: None };
            match s.call(seat, |a| a.respond(&turn, offer))? {
                Answer::Accept => {
                    s.check_accept(seat, &text)?;
                    s.record(|_| Event::Accept { round: turn.round, time: turn.time, party: seat });
                }
                Answer::Reject => {
                    s.record(|_| Event::Reject { round: turn.round, time: turn.time, party: seat });
                    all = false;
                }
                Answer::End => {
                    s.record(|_| Event::End { round: turn.round, time: turn.time, party: seat });
                    return Ok(Ending::Walkaway);
                }
            }
        }
        if all {
            return Ok(Ending::Agreement(text));
        }
        s.round += 1;
    }
}
