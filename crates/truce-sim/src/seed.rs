//! Seeds: how one seed handed in becomes the independent random streams of a tournament.
//!
//! Negotiation `k` of a tournament seeded `s` draws from `ChaCha8Rng::seed_from_u64(mix(s, k))`, and
//! party `p` of that negotiation from `mix(mix(s, k), p + 1)` (the mediator uses stream `0`). Streams
//! depend only on these indices, never on which thread runs what or in which order, so results are the
//! same byte for byte whatever the number of threads or shards.
//!
//! `mix(a, b) = splitmix64(a ^ splitmix64(b))`, with SplitMix64 the finaliser of Steele, Lea & Flood
//! (2014), "Fast splittable pseudorandom number generators", OOPSLA.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// SplitMix64's output function: a bijection of `u64` that scatters nearby inputs.
#[must_use]
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of stream `index` under `seed`.
#[must_use]
pub fn mix(seed: u64, index: u64) -> u64 {
    splitmix64(seed ^ splitmix64(index))
}

/// A ChaCha8 generator on stream `index` under `seed`.
#[must_use]
pub fn stream(seed: u64, index: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_index_and_by_seed() {
        assert_ne!(mix(1, 0), mix(1, 1));
        assert_ne!(mix(1, 0), mix(2, 0));
        assert_eq!(mix(42, 7), mix(42, 7));
        // SplitMix64 of 0 is a published test value.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }
}
