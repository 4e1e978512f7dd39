//! Scenarios and scripted agents built in code, so the suite means something on a fresh clone.

use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use truce_model::{
    AdditiveUtility, Domain, Issue, IssueDomain, IssueUtility, OutcomeSpace, Preferences, Utility,
    ValueFunction,
};
use truce_sim::{Agent, AgentFactory, AgentSpec, Answer, Offer, Outcome, PartyView, Scenario, Turn};

/// One integer issue `0..=n`: party `a` wants it high, party `b` low, both linearly.
pub fn split(n: i64) -> Scenario {
    let space =
        OutcomeSpace::new(vec![Issue::new("share_a", IssueDomain::integer(0, n, 1).unwrap())]).unwrap();
    #[allow(clippy::cast_precision_loss)]
    let max = n as f64;
    let prefs = |from: f64, to: f64| {
        Preferences::new(Utility::Additive(AdditiveUtility {
            issues: vec![IssueUtility { weight: 1.0, value: ValueFunction::linear(0.0, from, max, to) }],
        }))
    };
    Scenario::new(
        "split",
        Domain::unphased(space),
        vec![("a".into(), "A".into(), prefs(0.0, 1.0)), ("b".into(), "B".into(), prefs(1.0, 0.0))],
    )
    .unwrap()
}

/// Random additive preferences over `radices`, for `parties` parties, with reservation values up to
/// `max_reservation`; table scores drawn from `seed`.
pub fn random_scenario(seed: u64, radices: &[u32], parties: usize, max_reservation: f64) -> Scenario {
    let (domain, list) = random_parts(seed, radices, parties, max_reservation);
    Scenario::new(format!("random-{seed}"), domain, list).unwrap()
}

/// The domain and parties of [`random_scenario`].
pub fn random_parts(
    seed: u64,
    radices: &[u32],
    parties: usize,
    max_reservation: f64,
) -> (Domain, Vec<(String, String, Preferences)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let space = OutcomeSpace::new(
        radices
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let options = (0..r).map(|v| format!("v{v}")).collect();
                Issue::new(format!("issue{i}"), IssueDomain::discrete(options, false).unwrap())
            })
            .collect(),
    )
    .unwrap();
    let list = (0..parties)
        .map(|p| {
            let weights: Vec<f64> = radices.iter().map(|_| rng.random_range(0.1..1.0)).collect();
            let total: f64 = weights.iter().sum();
            let mut prefs = Preferences::new(Utility::Additive(AdditiveUtility {
                issues: radices
                    .iter()
                    .zip(&weights)
                    .map(|(&r, w)| IssueUtility {
                        weight: w / total,
                        value: ValueFunction::Table {
                            scores: (0..r).map(|_| rng.random_range(0.0..10.0)).collect(),
                        },
                    })
                    .collect(),
            }));
            prefs.reservation = rng.random_range(0.0..=max_reservation);
            (format!("p{p}"), format!("Party {p}"), prefs)
        })
        .collect();
    (Domain::unphased(space), list)
}

pub fn agent(spec: &str) -> Arc<dyn AgentFactory> {
    Arc::new(AgentSpec::parse(spec).unwrap())
}

pub fn agents(specs: &[&str]) -> Vec<Arc<dyn AgentFactory>> {
    specs.iter().map(|s| agent(s)).collect()
}

/// An agent that offers the given outcomes in turn (repeating the last) and rejects everything.
pub struct Scripted(pub Vec<Outcome>);

struct ScriptedAgent {
    view: PartyView,
    offers: Vec<Outcome>,
    next: usize,
}

impl AgentFactory for Scripted {
    fn label(&self) -> String {
        "scripted".into()
    }
    fn build(&self, view: PartyView, _rng: ChaCha8Rng) -> Box<dyn Agent> {
        Box::new(ScriptedAgent { view, offers: self.0.clone(), next: 0 })
    }
}

impl Agent for ScriptedAgent {
    fn view(&self) -> &PartyView {
        &self.view
    }
    fn propose(&mut self, _turn: &Turn) -> Outcome {
        let o = self.offers[self.next.min(self.offers.len() - 1)].clone();
        self.next += 1;
        o
    }
    fn respond(&mut self, _turn: &Turn, _offer: Offer<'_>) -> Answer {
        Answer::Reject
    }
}
