//! Scenarios: what a negotiation is about, as the engine sees it: the public domain and every
//! negotiating party's private preferences, with each party's outcome pool built once and shared.

use std::sync::{Arc, OnceLock};

use truce_model::{Case, Domain, Preferences};

use crate::{OutcomePool, SimError};

/// One negotiating party of a scenario.
#[derive(Debug)]
pub struct Seat {
    /// The party's id in the case (`israel`, or a GENIUS profile's file name).
    pub id: String,
    /// The party's name for people.
    pub name: String,
    preferences: Arc<Preferences>,
    pool: OnceLock<Arc<OutcomePool>>,
}

/// A domain and the parties that negotiate over it, each with private preferences.
///
/// **Information hiding:** a scenario is the engine's: agents never receive one. Each agent is built
/// from a [`PartyView`](crate::PartyView) holding only its own preferences, and the preferences here are
/// reachable only inside this crate.
#[derive(Debug)]
pub struct Scenario {
    name: String,
    domain: Arc<Domain>,
    seats: Vec<Seat>,
    pool_seed: u64,
}

impl Scenario {
    /// The negotiating parties with preferences of `case`, in case order.
    ///
    /// # Errors
    /// [`SimError::TooFewParties`] when the case has fewer than two.
    pub fn from_case(case: &Case) -> Result<Self, SimError> {
        let parties = case
            .negotiators()
            .map(|(id, prefs)| {
                let party = case.party(id);
                (party.id.clone(), party.name.clone(), prefs.clone())
            })
            .collect();
        Self::new(case.id.clone(), case.domain.clone(), parties)
    }

    /// A scenario from its parts: `(id, name, preferences)` per negotiating party.
    ///
    /// # Errors
    /// [`SimError::TooFewParties`] when fewer than two parties are given.
    pub fn new(
        name: impl Into<String>,
        domain: Domain,
        parties: Vec<(String, String, Preferences)>,
    ) -> Result<Self, SimError> {
        let name = name.into();
        if parties.len() < 2 {
            return Err(SimError::TooFewParties { scenario: name, parties: parties.len() });
        }
        let seats = parties
            .into_iter()
            .map(|(id, name, prefs)| Seat { id, name, preferences: Arc::new(prefs), pool: OnceLock::new() })
            .collect();
        Ok(Self { name, domain: Arc::new(domain), seats, pool_seed: 0 })
    }

    /// Sets the seed of the sampled pools of spaces too large to enumerate (see
    /// [`OutcomePool`]); exhaustive pools do not depend on it. Call before the first negotiation.
    #[must_use]
    pub fn with_pool_seed(mut self, seed: u64) -> Self {
        self.pool_seed = seed;
        for seat in &mut self.seats {
            seat.pool = OnceLock::new();
        }
        self
    }

    /// The scenario's name (the case id, or the domain folder's name).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public domain.
    #[must_use]
    pub fn domain(&self) -> &Arc<Domain> {
        &self.domain
    }

    /// The negotiating parties, in order.
    #[must_use]
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }

    /// The number of negotiating parties.
    #[must_use]
    pub fn party_count(&self) -> usize {
        self.seats.len()
    }

    pub(crate) fn preferences(&self, seat: usize) -> &Arc<Preferences> {
        &self.seats[seat].preferences
    }

    /// Party `seat`'s outcome pool, built on first use and shared afterwards.
    ///
    /// # Panics
    /// If `seat` is not a party of the scenario.
    #[must_use]
    pub fn pool(&self, seat: usize) -> Arc<OutcomePool> {
        let s = &self.seats[seat];
        s.pool
            .get_or_init(|| {
                let seed = crate::seed::mix(self.pool_seed, seat as u64);
                Arc::new(OutcomePool::build(&self.domain, &s.preferences, seed))
            })
            .clone()
    }

    /// Each party's utility of a grid outcome (undiscounted), in seat order.
    #[must_use]
    pub fn utilities(&self, outcome: &[u32]) -> Vec<f64> {
        self.seats.iter().map(|s| s.preferences.utility(&self.domain, outcome)).collect()
    }

    /// Each party's payoff for ending at normalised time `t` with `agreement` (or without one): the
    /// discounted utility of the agreement, or the discounted reservation value (GENIUS semantics).
    #[must_use]
    pub fn payoffs(&self, agreement: Option<&[u32]>, t: f64) -> Vec<f64> {
        self.seats
            .iter()
            .map(|s| {
                let p = &s.preferences;
                let u = agreement.map_or(p.reservation, |o| p.utility(&self.domain, o));
                p.discounted(u, t)
            })
            .collect()
    }

    /// The reservation value of each party.
    #[must_use]
    pub fn reservations(&self) -> Vec<f64> {
        self.seats.iter().map(|s| s.preferences.reservation).collect()
    }

    /// Whether every party finds `outcome` acceptable (no red line broken, utility at least the
    /// reservation value).
    #[must_use]
    pub fn acceptable_to_all(&self, outcome: &[u32]) -> bool {
        self.seats.iter().all(|s| s.preferences.accepts(&self.domain, outcome))
    }

    /// Checks that every party has an outcome it may agree to, and so an offer it may make; builds the
    /// pools on the way.
    ///
    /// # Errors
    /// [`SimError::NoAcceptableOutcome`] naming the party.
    pub fn check_acceptable(&self) -> Result<(), SimError> {
        for (i, seat) in self.seats.iter().enumerate() {
            let pool = self.pool(i);
            let ok = pool.best_utility().is_some_and(|u| u >= seat.preferences.reservation);
            if !ok {
                let reason = if pool.is_empty() {
                    format!("every outcome breaks a red line of `{}`", seat.id)
                } else {
                    format!(
                        "`{}`'s best outcome is worth {:.4}, below its reservation value {:.4}",
                        seat.id,
                        pool.best_utility().unwrap_or(0.0),
                        seat.preferences.reservation
                    )
                };
                return Err(SimError::NoAcceptableOutcome { scenario: self.name.clone(), reason });
            }
        }
        Ok(())
    }

    /// Whether some outcome is acceptable to every party (the zone of agreement is not empty): `None`
    /// when the space is too large to enumerate. A negotiation without one runs, and cannot end in
    /// agreement (ANAC 2013's Lunch domain is such a case, by design).
    #[must_use]
    pub fn zone_of_agreement_exists(&self) -> Option<bool> {
        let pool = self.pool(0);
        if !pool.is_exhaustive() {
            return None;
        }
        let n = pool.at_least(self.seats[0].preferences.reservation);
        Some((0..n).any(|rank| self.acceptable_to_all(pool.outcome(rank))))
    }
}
