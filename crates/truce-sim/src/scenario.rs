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
    /// `None` when the engine does not hold the party's preferences (a person keeps them).
    preferences: Option<Arc<Preferences>>,
    pool: OnceLock<Arc<OutcomePool>>,
}

/// A domain and the parties that negotiate over it, each with private preferences.
///
/// **Information hiding:** a scenario is the engine's: agents never receive one. Each agent is built
/// from a [`PartyView`](crate::PartyView) holding only its own preferences, and the preferences here are
/// reachable only inside this crate.
///
/// **Unknown preferences.** A seat may be held without preferences ([`Scenario::with_unknown`]): the
/// [`Engine`](crate::Engine) runs every protocol without them, checks offers and acceptances only for
/// the seats it knows, and records `null` utilities for the others. Agents need their own
/// preferences, so a [`Negotiation`](crate::Negotiation) between agents needs every seat's.
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
        Self::with_unknown(
            name,
            domain,
            parties.into_iter().map(|(id, name, p)| (id, name, Some(p))).collect(),
        )
    }

    /// A scenario in which some seats' preferences are unknown to the engine: `(id, name,
    /// preferences)` per negotiating party, `None` for a seat whose party keeps its preferences.
    ///
    /// # Errors
    /// [`SimError::TooFewParties`] when fewer than two parties are given.
    pub fn with_unknown(
        name: impl Into<String>,
        domain: Domain,
        parties: Vec<(String, String, Option<Preferences>)>,
    ) -> Result<Self, SimError> {
        let name = name.into();
        if parties.len() < 2 {
            return Err(SimError::TooFewParties { scenario: name, parties: parties.len() });
        }
        let seats = parties
            .into_iter()
            .map(|(id, name, prefs)| Seat {
                id,
                name,
                preferences: prefs.map(Arc::new),
                pool: OnceLock::new(),
            })
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

    /// The seed of the sampled pools ([`Scenario::with_pool_seed`]).
    #[must_use]
    pub fn pool_seed(&self) -> u64 {
        self.pool_seed
    }

    /// The SHA-256 of the scenario's content, in lower-case hex: its name, domain (issues, values,
    /// phases) and every seat's id, name and preferences, as canonical JSON. Tournament results record
    /// it, so that shards run on domains that differ in anything an agent or a payoff could see never
    /// merge.
    #[must_use]
    pub fn digest(&self) -> String {
        #[derive(serde::Serialize)]
        struct Content<'a> {
            name: &'a str,
            domain: &'a Domain,
            seats: Vec<(&'a str, &'a str, Option<&'a Preferences>)>,
        }
        let content = Content {
            name: &self.name,
            domain: &self.domain,
            seats: self
                .seats
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str(), s.preferences.as_deref()))
                .collect(),
        };
        crate::tournament::sha256_hex(&serde_json::to_vec(&content).unwrap_or_default())
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

    /// Party `seat`'s preferences, when the engine holds them (never handed to another party).
    pub(crate) fn known_preferences(&self, seat: usize) -> Option<&Arc<Preferences>> {
        self.seats.get(seat).and_then(|s| s.preferences.as_ref())
    }

    /// Whether the engine holds party `seat`'s preferences.
    #[must_use]
    pub fn knows(&self, seat: usize) -> bool {
        self.known_preferences(seat).is_some()
    }

    /// Whether the engine holds every party's preferences (as a negotiation between agents needs).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.seats.iter().all(|s| s.preferences.is_some())
    }

    /// The seats whose preferences the engine holds, with them.
    fn known(&self) -> impl Iterator<Item = (usize, &Arc<Preferences>)> {
        self.seats.iter().enumerate().filter_map(|(k, s)| s.preferences.as_ref().map(|p| (k, p)))
    }

    /// Party `seat`'s outcome pool, built on first use and shared afterwards.
    ///
    /// # Panics
    /// If `seat` is not a party of the scenario, or its preferences are unknown ([`Scenario::knows`]).
    #[must_use]
    pub fn pool(&self, seat: usize) -> Arc<OutcomePool> {
        let s = &self.seats[seat];
        let Some(prefs) = &s.preferences else {
            panic!("party {seat} of `{}` has no preferences the engine knows: it has no pool", self.name)
        };
        s.pool
            .get_or_init(|| {
                let seed = crate::seed::mix(self.pool_seed, seat as u64);
                Arc::new(OutcomePool::build(&self.domain, prefs, seed))
            })
            .clone()
    }

    /// Whether party `seat` may agree to `outcome` (`true` when the engine does not know its
    /// preferences): [`Preferences::accepts`], scored through the seat's pool once it is built
    /// ([`OutcomePool::utility_of`]).
    pub(crate) fn may_accept(&self, seat: usize, outcome: &[u32]) -> bool {
        let Some(s) = self.seats.get(seat) else { return true };
        let Some(prefs) = &s.preferences else { return true };
        match s.pool.get().and_then(|pool| pool.utility_of(outcome)) {
            Some(u) => {
                prefs.broken_red_lines(&self.domain, outcome).next().is_none() && u >= prefs.reservation
            }
            None => prefs.accepts(&self.domain, outcome),
        }
    }

    /// Each party's utility of a grid outcome (undiscounted), in seat order.
    ///
    /// # Panics
    /// When a party's preferences are unknown; see [`Scenario::known_utilities`].
    #[must_use]
    pub fn utilities(&self, outcome: &[u32]) -> Vec<f64> {
        self.known_utilities(outcome)
            .into_iter()
            .enumerate()
            .map(|(k, u)| u.unwrap_or_else(|| panic!("party {k}'s preferences are unknown")))
            .collect()
    }

    /// Each party's utility of a grid outcome (undiscounted), in seat order; `None` for a party whose
    /// preferences are unknown.
    #[must_use]
    pub fn known_utilities(&self, outcome: &[u32]) -> Vec<Option<f64>> {
        self.seats.iter().map(|s| s.preferences.as_ref().map(|p| p.utility(&self.domain, outcome))).collect()
    }

    /// Each party's payoff for ending at normalised time `t` with `agreement` (or without one): the
    /// discounted utility of the agreement, or the discounted reservation value (GENIUS semantics);
    /// `None` for a party whose preferences are unknown.
    #[must_use]
    pub fn known_payoffs(&self, agreement: Option<&[u32]>, t: f64) -> Vec<Option<f64>> {
        self.seats
            .iter()
            .map(|s| {
                s.preferences.as_ref().map(|p| {
                    let u = agreement.map_or(p.reservation, |o| p.utility(&self.domain, o));
                    p.discounted(u, t)
                })
            })
            .collect()
    }

    /// The reservation value of each party.
    ///
    /// # Panics
    /// When a party's preferences are unknown ([`Scenario::is_complete`]).
    #[must_use]
    pub fn reservations(&self) -> Vec<f64> {
        self.seats
            .iter()
            .enumerate()
            .map(|(k, s)| {
                s.preferences
                    .as_ref()
                    .map(|p| p.reservation)
                    .unwrap_or_else(|| panic!("party {k}'s preferences are unknown"))
            })
            .collect()
    }

    /// Whether every party whose preferences the engine holds finds `outcome` acceptable (no red line
    /// broken, utility at least the reservation value).
    #[must_use]
    pub fn acceptable_to_all(&self, outcome: &[u32]) -> bool {
        self.known().all(|(_, p)| p.accepts(&self.domain, outcome))
    }

    /// Checks that every party has an outcome it may agree to, and so an offer it may make; builds the
    /// pools on the way.
    ///
    /// # Errors
    /// [`SimError::NoAcceptableOutcome`] naming the party.
    pub fn check_acceptable(&self) -> Result<(), SimError> {
        for (i, prefs) in self.known() {
            let seat = &self.seats[i];
            let pool = self.pool(i);
            let ok = pool.best_utility().is_some_and(|u| u >= prefs.reservation);
            if !ok {
                let reason = if pool.is_empty() {
                    format!("every outcome breaks a red line of `{}`", seat.id)
                } else {
                    format!(
                        "`{}`'s best outcome is worth {:.4}, below its reservation value {:.4}",
                        seat.id,
                        pool.best_utility().unwrap_or(0.0),
                        prefs.reservation
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
        if !self.is_complete() {
            return None;
        }
        let pool = self.pool(0);
        if !pool.is_exhaustive() {
            return None;
        }
        let n = pool.at_least(self.known_preferences(0)?.reservation);
        Some((0..n).any(|rank| self.acceptable_to_all(pool.outcome(rank))))
    }
}
