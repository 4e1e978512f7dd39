//! The HardHeaded frequency model of an opponent's preferences, learnt from its offers.
//!
//! # Behaviour
//! Issue weights start equal (`1/n`) and every value's count at 1. For each new offer from the
//! opponent: the value offered on each issue gains `1` (its count); every issue whose value did not
//! change since the opponent's previous offer gains `l / n` weight, and the weights are then
//! normalised to sum to 1 (an opponent keeps its important issues fixed). The estimated utility of an
//! outcome is `sum_i w_i * count_i(v_i) / max_v count_i(v)`.
//!
//! # Parameters
//! - `l`: the learning coefficient, `0.2` in HardHeaded.
//!
//! # References
//! T. van Krimpen, D. Looije & S. Hajizadeh (2013), "HardHeaded", in *Complex Automated
//! Negotiations* (ANAC 2011), Studies in Computational Intelligence 435, 223-227; the model as
//! packaged in GENIUS (`HardHeadedFrequencyModel`, `learnCoef = 0.2`, `learnValueAddition = 1`).

/// A frequency model of one opponent (or of all of them together, in multilateral negotiations).
#[derive(Clone, Debug)]
pub struct FrequencyModel {
    weights: Vec<f64>,
    counts: Vec<Vec<f64>>,
    max_counts: Vec<f64>,
    previous: Option<Vec<u32>>,
    learn: f64,
    offers: usize,
}

impl FrequencyModel {
    /// A model over issues with the given numbers of values, learning at rate `l`.
    #[must_use]
    pub fn new(radices: &[u32], l: f64) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let n = radices.len().max(1) as f64;
        Self {
            weights: vec![1.0 / n; radices.len()],
            counts: radices.iter().map(|&r| vec![1.0; r as usize]).collect(),
            max_counts: vec![1.0; radices.len()],
            previous: None,
            learn: l,
            offers: 0,
        }
    }

    /// Learns from one offer of the opponent.
    pub fn observe(&mut self, offer: &[u32]) {
        #[allow(clippy::cast_precision_loss)]
        let golden = self.learn / self.weights.len().max(1) as f64;
        if let Some(previous) = &self.previous {
            let mut total = 0.0;
            for (i, w) in self.weights.iter_mut().enumerate() {
                if previous.get(i) == offer.get(i) {
                    *w += golden;
                }
                total += *w;
            }
            if total > 0.0 {
                for w in &mut self.weights {
                    *w /= total;
                }
            }
        }
        for (i, &v) in offer.iter().enumerate() {
            if let Some(c) = self.counts.get_mut(i).and_then(|row| row.get_mut(v as usize)) {
                *c += 1.0;
                self.max_counts[i] = self.max_counts[i].max(*c);
            }
        }
        self.previous = Some(offer.to_vec());
        self.offers += 1;
    }

    /// The opponent's estimated utility of an outcome, in `[0, 1]`.
    #[must_use]
    pub fn utility(&self, outcome: &[u32]) -> f64 {
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let c = self.counts.get(i).and_then(|row| row.get(v as usize)).copied().unwrap_or(0.0);
                self.weights[i] * c / self.max_counts[i]
            })
            .sum()
    }

    /// The current issue weights (summing to 1).
    #[must_use]
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// How many offers the model has seen.
    #[must_use]
    pub fn offers(&self) -> usize {
        self.offers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_issues_gain_l_over_n_then_weights_are_normalised() {
        let mut m = FrequencyModel::new(&[3, 3, 3, 3], 0.2);
        m.observe(&[0, 0, 0, 0]);
        assert_eq!(m.weights(), &[0.25; 4], "the first offer changes no weight");
        m.observe(&[0, 1, 1, 1]); // only issue 0 unchanged
        let total = 1.0 + 0.05;
        let expected = [(0.25 + 0.05) / total, 0.25 / total, 0.25 / total, 0.25 / total];
        for (w, e) in m.weights().iter().zip(expected) {
            assert!((w - e).abs() < 1e-15);
        }
        assert!((m.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Value counts: issue 0 saw value 0 twice (1 + 2 = 3, the max), value 1 never (1).
        assert!(m.utility(&[0, 1, 1, 1]) > m.utility(&[1, 1, 1, 1]));
    }
}
