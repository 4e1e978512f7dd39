//! NegMAS YAML: outcome spaces from any text, and utility functions against a fixed outcome space,
//! read without panicking; the functions evaluate.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_formats::negmas::{NegmasDomain, parse_domain, parse_ufun};

static DOMAIN: LazyLock<NegmasDomain> = LazyLock::new(|| {
    let text = include_str!("../../crates/truce-formats/tests/data/negmas/relief/relief.yml");
    parse_domain(text, Path::new("relief.yml")).expect("the fixture outcome space reads")
});

fuzz_target!(|text: &str| {
    let _ = parse_domain(text, Path::new("fuzz.yml"));
    if let Ok(ufun) = parse_ufun(text, Path::new("fuzz.yml"), &DOMAIN) {
        let domain = truce_model::Domain::unphased(DOMAIN.space().clone());
        let mut outcomes = DOMAIN.space().outcomes();
        while let Some(o) = outcomes.next() {
            assert!(ufun.preferences.utility(&domain, o).is_finite());
        }
    }
});
