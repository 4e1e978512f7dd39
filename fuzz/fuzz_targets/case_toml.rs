//! Truce TOML case files: any text reads without panicking; a case that reads validates without
//! panicking, and, when the writer reports no normalisation, writes back to text that reads as the same
//! case.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use truce_formats::{case_to_toml, parse_case};

fuzz_target!(|text: &str| {
    let file = Path::new("fuzz.toml");
    let Ok(loaded) = parse_case(text, file) else { return };
    let _ = loaded.validate();
    let Ok((written, warnings)) = case_to_toml(&loaded.case, file) else { return };
    if warnings.is_empty() {
        let again = parse_case(&written, file).expect("what the writer writes reads back");
        assert_eq!(again.case, loaded.case, "the round trip changed the case:\n{written}");
    }
});
