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

use super::{Action, Actor, Ask, Ctx, Ending};
use crate::Outcome;
use crate::transcript::Event;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The parties state positions, in order.
    Position,
    /// The mediator tables a bridging text.
    Text,
    /// The parties answer it, in order.
    Answer,
}

/// Shuttle mediation, between moves.
#[derive(Clone, Debug)]
pub(crate) struct Shuttle {
    phase: Phase,
    positions: Vec<Outcome>,
    text: Outcome,
    all: bool,
    pos: usize,
}

impl Shuttle {
    pub(crate) fn new(parties: usize) -> Self {
        Self {
            phase: Phase::Position,
            positions: vec![Vec::new(); parties],
            text: Vec::new(),
            all: true,
            pos: 0,
        }
    }

    pub(crate) fn request(&self, order: &[usize]) -> (Actor, Ask<'_>) {
        match self.phase {
            Phase::Position => (Actor::Party(order[self.pos]), Ask::Position),
            Phase::Text => (Actor::Mediator, Ask::Text { text: None, positions: &self.positions }),
            Phase::Answer => (Actor::Party(order[self.pos]), Ask::Answer { offer: &self.text, from: None }),
        }
    }

    pub(crate) fn apply(&mut self, ctx: &mut Ctx<'_>, actor: Actor, action: Action) -> Option<Ending> {
        match (self.phase, actor, action) {
            (Phase::Position, Actor::Party(seat), Action::Position(outcome)) => {
                ctx.emit(|sc, round, time| Event::Position {
                    round,
                    time,
                    party: seat,
                    utilities: sc.known_utilities(&outcome),
                    outcome: outcome.clone(),
                });
                self.positions[seat] = outcome;
                self.pos += 1;
                if self.pos == ctx.parties() {
                    self.phase = Phase::Text;
                }
            }
            (Phase::Text, _, Action::Text(outcome)) => {
                ctx.emit(|sc, round, time| Event::Text {
                    round,
                    time,
                    utilities: sc.known_utilities(&outcome),
                    outcome: outcome.clone(),
                });
                self.text = outcome;
                self.pos = 0;
                self.all = true;
                self.phase = Phase::Answer;
            }
            (Phase::Answer, Actor::Party(seat), answer) => {
                match answer {
                    Action::Accept => ctx.emit(|_, round, time| Event::Accept { round, time, party: seat }),
                    Action::Reject => {
                        ctx.emit(|_, round, time| Event::Reject { round, time, party: seat });
                        self.all = false;
                    }
                    Action::End => {
                        ctx.emit(|_, round, time| Event::End { round, time, party: seat });
                        return Some(Ending::Walkaway);
                    }
                    _ => return None,
                }
                self.pos += 1;
                if self.pos == ctx.parties() {
                    if self.all {
                        return Some(Ending::Agreement(std::mem::take(&mut self.text)));
                    }
                    *ctx.round += 1;
                    self.pos = 0;
                    self.phase = Phase::Position;
                    if ctx.rounds_over() {
                        return Some(Ending::Deadline);
                    }
                }
            }
            _ => {}
        }
        None
    }
}
