//! GeniusWeb JSON: domains and profiles (with their embedded domain) read from any text without
//! panicking, and the profiles evaluate.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use truce_formats::geniusweb::{parse_domain, parse_profile};

fuzz_target!(|text: &str| {
    let _ = parse_domain(text, Path::new("fuzz.json"));
    if let Ok(profile) = parse_profile(text, Path::new("fuzz.json"), None)
        && let Some(domain) = &profile.domain
    {
        let domain = truce_model::Domain::unphased(domain.space().clone());
        let mut outcomes = domain.space().outcomes();
        for _ in 0..64 {
            let Some(o) = outcomes.next() else { break };
            assert!(profile.preferences.utility(&domain, o).is_finite());
        }
    }
});
