//! The repository's example case: phases, red lines and a mediator, through every protocol.

use std::sync::Arc;

use truce_sim::{Deadline, Negotiation, Protocol, Scenario};

use crate::fixtures::agents;

fn harbour() -> Arc<Scenario> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/harbour-truce.toml");
    let loaded = truce_formats::load(&path).unwrap();
    Arc::new(Scenario::from_case(&loaded.case).unwrap())
}

#[test]
fn the_harbour_truce_is_agreed_within_both_sides_red_lines_under_every_protocol() {
    let scenario = harbour();
    assert_eq!(scenario.party_count(), 2, "the mediator and the observer do not negotiate");
    assert_eq!(scenario.zone_of_agreement_exists(), Some(true));
    for (protocol, rounds) in [(Protocol::Sao, 100), (Protocol::Shuttle, 100), (Protocol::SingleText, 1000)] {
        let mut n = Negotiation::new(scenario.clone(), agents(&["linear", "linear"]));
        n.protocol = protocol;
        n.deadline = Deadline::rounds(rounds);
        let r = n.run(None).unwrap().result;
        let agreement =
            r.agreement.unwrap_or_else(|| panic!("no agreement under {protocol}: {:?}", r.status));
        // Every phase's terms are fixed, and both sides' red lines hold.
        assert!(scenario.domain().space().is_outcome(&agreement));
        assert!(scenario.acceptable_to_all(&agreement), "{protocol}: {agreement:?}");
    }
}
