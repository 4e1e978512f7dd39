//! GENIUS domain files: reading any text gives a domain or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(domain) = truce_formats::genius::parse_domain(text, std::path::Path::new("fuzz.xml")) {
        let _ = domain.space().size();
    }
});
