//! GENIUS profiles, read against a fixed domain with discrete, integer and real issues: any text
//! gives preferences or diagnostics, and the preferences evaluate without panicking.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_formats::genius::{GeniusDomain, parse_domain, parse_profile};

static DOMAIN: LazyLock<GeniusDomain> = LazyLock::new(|| {
    let text = include_str!("../../crates/truce-formats/tests/data/genius/small/small_domain.xml");
    parse_domain(text, Path::new("small_domain.xml")).expect("the fixture domain reads")
});

fuzz_target!(|text: &str| {
    if let Ok(profile) = parse_profile(text, Path::new("fuzz.xml"), &DOMAIN) {
        let domain = truce_model::Domain::unphased(DOMAIN.space().clone());
        let mut outcomes = DOMAIN.space().outcomes();
        while let Some(o) = outcomes.next() {
            let u = profile.preferences.utility(&domain, o);
            assert!(u.is_finite(), "utilities are finite");
        }
    }
});
