//! Mediator strategies: how a mediator drafts texts and decides on them. One per file.
//!
//! A mediator sees the public domain, and whatever the protocol shows it (votes, private positions);
//! it never sees a party's preferences. In the [`Engine`](crate::Engine) the mediator is a seat
//! ([`Actor::Mediator`](crate::Actor)): a person can take it; the simulation runner plays it with the
//! protocol's built-in strategy ([`Mediator::for_protocol`]).

mod annealing;
mod mutation;
mod nash_bridge;
mod split_difference;

use rand_chacha::ChaCha8Rng;
use truce_model::OutcomeSpace;

pub use annealing::Annealing;
pub use mutation::Mutation;
pub use nash_bridge::NashBridge;
pub use split_difference::SplitDifference;

use crate::{Outcome, Protocol, Turn, seed};

/// An automated mediator, asked by the runner when the engine asks [`Ask::Text`](crate::Ask) or
/// [`Ask::Decide`](crate::Ask) of the mediator's seat.
pub trait Mediator: Send {
    /// The name written in the transcript's header.
    fn label(&self) -> String;

    /// Drafts a text: single-text mediation's first text (`text` is `None`) or a candidate replacing
    /// `text`; shuttle mediation's bridging text from the positions stated this round (by seat).
    fn text(
        &mut self,
        space: &OutcomeSpace,
        turn: &Turn,
        text: Option<&[u32]>,
        positions: &[Outcome],
    ) -> Outcome;

    /// Whether the candidate replaces the current text, given every party's vote and the objections
    /// to the text at the last poll. By default, when every party votes for it.
    fn decide(&mut self, turn: &Turn, ballot: &Ballot<'_>) -> bool {
        let _ = turn;
        ballot.votes.iter().all(|&v| v)
    }
}

/// What a single-text mediator decides on: a candidate against the current text.
#[derive(Clone, Copy, Debug)]
pub struct Ballot<'a> {
    /// The candidate text.
    pub candidate: &'a [u32],
    /// The current text.
    pub incumbent: &'a [u32],
    /// Each party's vote for the candidate, by seat.
    pub votes: &'a [bool],
    /// Who rejected the current text at the last poll, by seat (all `false` before the first).
    pub objections: &'a [bool],
}

impl dyn Mediator {
    /// The built-in mediator of `protocol`, drawing from stream 0 of `seed`; `None` for a protocol
    /// without a mediator.
    #[must_use]
    pub fn for_protocol(protocol: Protocol, seed: u64) -> Option<Box<dyn Mediator>> {
        let rng: ChaCha8Rng = seed::stream(seed, 0);
        match protocol {
            Protocol::Sao => None,
            Protocol::SingleText => Some(Box::new(Annealing::new(rng, 1.0, 0.5))),
            Protocol::Shuttle => Some(Box::new(NashBridge::new())),
        }
    }
}
