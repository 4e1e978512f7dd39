//! The repository's example cases, loaded for the unit tests of the facade.

use truce_model::Case;

fn case(relative: &str) -> Case {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases").join(relative);
    crate::load_valid(&path).expect("the example cases are valid").loaded.case
}

/// The small fictional teaching case, `cases/harbour-truce.toml`.
pub(crate) fn harbour() -> Case {
    case("harbour-truce.toml")
}

/// The flagship case, `cases/gaza-2024`.
pub(crate) fn gaza() -> Case {
    case("gaza-2024")
}
