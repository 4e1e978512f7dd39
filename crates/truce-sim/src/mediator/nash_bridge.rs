//! The bridging mediator of shuttle mediation: toward the Nash point of the positions revealed.
//!
//! # Behaviour
//! The mediator learns each party's preferences from the positions that party has stated to it, and
//! from nothing else: a frequency model per party ([`FrequencyModel`]: a value the party keeps
//! asking for scores high, an issue on which it never moves weighs much). Each round it drafts the
//! text that maximises the product of the parties' *estimated* utilities (the Nash point of its
//! estimates) among texts built from the positions: it starts from [`SplitDifference`]'s text and,
//! issue by issue, takes the value of whichever party's position raises the product, sweeping the
//! issues until nothing changes (at most 4 sweeps). On an issue one party cares about and the other
//! does not, the text thus follows the party that cares (logrolling), where splitting the difference
//! gives both half of everything.
//!
//! On an ordered issue (numeric, or discrete with an order) the text keeps the split difference: a
//! frequency model counts values and cannot see that a party asking for 7, then 6, then 5 would
//! rather have 6 than 3, so its estimate there would favour whichever party repeats itself.
//!
//! The estimate needs positions: in the first round, with one position per party, the text is the
//! split difference refined by that one observation.
//!
//! # Parameters
//! None: the mediator is deterministic. The frequency models learn at rate 0.2 (HardHeaded's).
//!
//! # References
//! J. F. Nash (1950), "The bargaining problem", *Econometrica* 18(2), 155-162; H. Raiffa (1982), *The
//! Art and Science of Negotiation*, ch. 14 (the mediator's bridging proposals, logrolling); T. van
//! Krimpen, D. Looije & S. Hajizadeh (2013), "HardHeaded" (the frequency model).

use truce_model::OutcomeSpace;

use crate::{FrequencyModel, Mediator, Outcome, SplitDifference, Turn};

const SWEEPS: usize = 4;

/// A mediator drafting the Nash point of its estimates of the parties, from their positions.
#[derive(Debug, Default)]
pub struct NashBridge {
    models: Vec<FrequencyModel>,
    split: SplitDifference,
}

impl NashBridge {
    /// The mediator, knowing nothing yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The product of the estimated utilities of `text`.
    fn product(&self, text: &[u32]) -> f64 {
        self.models.iter().map(|m| m.utility(text)).product()
    }

    /// Learns this round's positions (by seat) and drafts the bridging text.
    pub fn bridge(&mut self, space: &OutcomeSpace, positions: &[Outcome], round: u32) -> Outcome {
        if self.models.len() != positions.len() {
            self.models = positions.iter().map(|_| FrequencyModel::new(space.radices(), 0.2)).collect();
        }
        for (model, position) in self.models.iter_mut().zip(positions) {
            model.observe(position);
        }
        let mut text = self.split.bridge(space, positions, round);
        let mut best = self.product(&text);
        for _ in 0..SWEEPS {
            let mut changed = false;
            for issue in (0..space.len()).filter(|&i| !space.issues()[i].domain().is_ordered()) {
                let current = text[issue];
                for position in positions {
                    let v = position[issue];
                    if v == current || v == text[issue] {
                        continue;
                    }
                    let keep = text[issue];
                    text[issue] = v;
                    let p = self.product(&text);
                    if p > best {
                        best = p;
                        changed = true;
                    } else {
                        text[issue] = keep;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        text
    }
}

impl Mediator for NashBridge {
    fn label(&self) -> String {
        "nash_bridge".into()
    }

    fn text(
        &mut self,
        space: &OutcomeSpace,
        turn: &Turn,
        _: Option<&[u32]>,
        positions: &[Outcome],
    ) -> Outcome {
        self.bridge(space, positions, turn.round)
    }
}

#[cfg(test)]
mod tests {
    use truce_model::{Issue, IssueDomain};

    use super::*;

    /// Brute force: the text among every combination of the positions' values that maximises the
    /// product of the same estimates.
    fn brute(m: &NashBridge, positions: &[Outcome]) -> f64 {
        let issues = positions[0].len();
        let n = positions.len();
        let mut best = f64::NEG_INFINITY;
        for code in 0..n.pow(u32::try_from(issues).unwrap()) {
            let mut c = code;
            let text: Vec<u32> = (0..issues)
                .map(|i| {
                    let v = positions[c % n][i];
                    c /= n;
                    v
                })
                .collect();
            best = best.max(m.product(&text));
        }
        best
    }

    #[test]
    fn follows_the_party_that_cares_on_each_issue() {
        let space = OutcomeSpace::new(
            (0..3)
                .map(|i| {
                    let options = (0..5).map(|v| format!("v{v}")).collect();
                    Issue::new(format!("i{i}"), IssueDomain::discrete(options, false).unwrap())
                })
                .collect(),
        )
        .unwrap();
        let mut m = NashBridge::new();
        // Party 0 never moves on issue 0, party 1 never on issue 2; both concede on issue 1.
        let rounds = [
            vec![vec![4, 4, 0], vec![0, 0, 4]],
            vec![vec![4, 3, 1], vec![1, 1, 4]],
            vec![vec![4, 2, 2], vec![2, 2, 4]],
        ];
        let mut text = Vec::new();
        for (round, positions) in rounds.iter().enumerate() {
            text = m.bridge(&space, positions, u32::try_from(round).unwrap());
        }
        assert_eq!((text[0], text[2]), (4, 4), "{text:?}");
        // Here as good as the best combination of the positions' values.
        assert!(m.product(&text) >= brute(&m, &rounds[2]) - 1e-12);
    }
}
