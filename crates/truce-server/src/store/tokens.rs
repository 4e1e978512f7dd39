//! The invitations this process has looked up, by token hash, so that a request does not read the
//! database to learn who is asking. Kept only where this process is the database's one writer (an
//! SQLite file): there every revocation passes through [`TokenCache::revoked`], so a revocation takes
//! effect for the very next request. PostgreSQL, where another process may revoke, has no cache.
//!
//! Only invitations that are not revoked are kept. A lookup that read the database while a
//! revocation was under way keeps nothing (the epoch it started in has passed), so a revoked
//! invitation can never come back into the cache.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::InvitationRow;

/// The most invitations kept; past it the cache starts again empty.
const CAPACITY: usize = 100_000;

/// Invitations that are not revoked, by token hash.
#[derive(Debug, Default)]
pub(super) struct TokenCache {
    map: Mutex<HashMap<String, InvitationRow>>,
    /// Counts revocations begun; a lookup keeps its answer only if none began meanwhile.
    epoch: AtomicU64,
}

impl TokenCache {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, InvitationRow>> {
        self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The invitation of `hash`, if kept.
    pub fn get(&self, hash: &str) -> Option<InvitationRow> {
        self.map().get(hash).cloned()
    }

    /// The epoch to give [`TokenCache::keep`] with what a lookup starting now reads.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Keeps `row` (read from the database in `epoch`) if it is not revoked and no revocation began
    /// since.
    pub fn keep(&self, epoch: u64, row: &InvitationRow) {
        if row.revoked {
            return;
        }
        let mut map = self.map();
        if self.epoch.load(Ordering::SeqCst) != epoch {
            return;
        }
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(row.token_sha256.clone(), row.clone());
    }

    /// A revocation of `participant`'s invitations in `negotiation_id` begins (call it again when it
    /// has committed): they are dropped, and lookups under way keep nothing.
    pub fn revoked(&self, negotiation_id: &str, participant: &str) {
        let mut map = self.map();
        self.epoch.fetch_add(1, Ordering::SeqCst);
        map.retain(|_, i| !(i.negotiation_id == negotiation_id && i.participant == participant));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hash: &str, participant: &str, revoked: bool) -> InvitationRow {
        InvitationRow {
            token_sha256: hash.into(),
            negotiation_id: "n".into(),
            participant: participant.into(),
            role: "party".into(),
            revoked,
            created_at: 0,
        }
    }

    #[test]
    fn a_revocation_drops_the_participants_invitations_only() {
        let cache = TokenCache::default();
        cache.keep(cache.epoch(), &row("a", "north", false));
        cache.keep(cache.epoch(), &row("b", "coast", false));
        cache.keep(cache.epoch(), &row("c", "north", true));
        assert!(cache.get("c").is_none(), "a revoked invitation is never kept");
        cache.revoked("n", "north");
        assert!(cache.get("a").is_none());
        assert_eq!(cache.get("b"), Some(row("b", "coast", false)));
    }

    #[test]
    fn a_lookup_that_raced_a_revocation_keeps_nothing() {
        let cache = TokenCache::default();
        // The lookup starts and reads the database before the revocation commits ...
        let epoch = cache.epoch();
        let read = row("a", "north", false);
        // ... the revocation begins, commits, and ends ...
        cache.revoked("n", "north");
        cache.revoked("n", "north");
        // ... and the lookup's stale answer is not kept.
        cache.keep(epoch, &read);
        assert!(cache.get("a").is_none());
    }
}
