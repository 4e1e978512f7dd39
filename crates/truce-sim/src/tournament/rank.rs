//! The ranking table: per agent, mean payoff, agreement rate and welfare with 95% confidence
//! intervals.
//!
//! **Method.** Every seat an agent takes in a negotiation is one observation (self-play counts twice).
//! Means get a Student-t interval, `mean ± t(0.975, n - 1) * s / sqrt(n)` with `s` the sample standard
//! deviation; the agreement rate gets a Wilson score interval (Wilson 1927, *JASA* 22(158)), which
//! stays inside `[0, 1]` and behaves at rates of 0 and 1. Observations of one negotiation and of one
//! scenario are not independent, so read the intervals as a guide to run-to-run noise, not as a test.
//! Agents are ranked by mean payoff, then by name. The distances to the Nash point and the Pareto
//! frontier are means over an agent's negotiations that were measured (those of domains with exact
//! reference points), each negotiation counted once per seat the agent took. The same rows are
//! computed over every domain and on each domain alone.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ResultsFile;

/// A point estimate with a 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    /// The estimate.
    pub mean: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// One agent's row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankingRow {
    /// The agent's label.
    pub agent: String,
    /// Seats taken.
    pub negotiations: usize,
    /// Mean payoff.
    pub utility: ConfidenceInterval,
    /// Share of its negotiations that reached agreement.
    pub agreement_rate: ConfidenceInterval,
    /// Mean welfare (sum of all parties' payoffs) of its negotiations.
    pub welfare: ConfidenceInterval,
    /// Mean distance of its negotiations' outcomes to the Nash point, over those measured (`None`
    /// when none was).
    pub nash_distance: Option<ConfidenceInterval>,
    /// Mean distance of its negotiations' outcomes to the Pareto frontier, over those measured.
    pub pareto_distance: Option<ConfidenceInterval>,
    /// Negotiations it caused to fail or time out.
    pub failures: usize,
}

/// The ranking on one domain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DomainRanking {
    /// The domain's name.
    pub domain: String,
    /// Its rows, best first.
    pub rows: Vec<RankingRow>,
}

/// The ranking table, best first, over every domain and on each.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    /// The rows over every domain.
    pub rows: Vec<RankingRow>,
    /// The rows of each domain, in the tournament's order.
    pub domains: Vec<DomainRanking>,
}

/// What the `domain` column of `ranking.csv` holds for the rows over every domain.
pub const ALL_DOMAINS: &str = "(all)";

/// A running sum, mean and sum of squared deviations (Welford 1962, *Technometrics* 4(3)): memory
/// that does not grow with the tournament. The mean reported is the sum over the count, as a
/// two-pass computation gives it.
#[derive(Clone, Copy, Default)]
struct Moments {
    n: u64,
    sum: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        #[allow(clippy::cast_precision_loss)]
        let n = self.n as f64;
        let delta = x - self.mean;
        self.mean += delta / n;
        self.m2 += delta * (x - self.mean);
    }

    /// The mean with its Student-t 95% interval.
    fn interval(&self) -> ConfidenceInterval {
        #[allow(clippy::cast_precision_loss)]
        let nf = self.n as f64;
        let mean = self.sum / nf;
        match self.n {
            0 => ConfidenceInterval { mean: f64::NAN, low: f64::NAN, high: f64::NAN },
            1 => ConfidenceInterval { mean, low: mean, high: mean },
            n => {
                let var = (self.m2 / (nf - 1.0)).max(0.0);
                let half = t_critical_95(n - 1) * (var / nf).sqrt();
                ConfidenceInterval { mean, low: mean - half, high: mean + half }
            }
        }
    }
}

#[derive(Default)]
struct Acc {
    utility: Moments,
    welfare: Moments,
    nash: Moments,
    pareto: Moments,
    agreements: usize,
    failures: usize,
}

impl Acc {
    fn add(&mut self, n: &super::NegotiationRecord, seat: usize, u: f64) {
        self.utility.add(u);
        self.welfare.add(n.welfare);
        if let Some(d) = n.nash_distance {
            self.nash.add(d);
        }
        if let Some(d) = n.pareto_distance {
            self.pareto.add(d);
        }
        self.agreements += usize::from(n.agreed());
        self.failures += usize::from(n.failure.as_ref().is_some_and(|f| f.party == Some(seat)));
    }
}

fn rows(by_agent: BTreeMap<&str, Acc>) -> Vec<RankingRow> {
    let mut rows: Vec<RankingRow> = by_agent
        .into_iter()
        .map(|(agent, acc)| {
            let n = usize::try_from(acc.utility.n).unwrap_or(usize::MAX);
            RankingRow {
                agent: agent.to_string(),
                negotiations: n,
                utility: acc.utility.interval(),
                agreement_rate: wilson_95(acc.agreements, n),
                welfare: acc.welfare.interval(),
                nash_distance: (acc.nash.n > 0).then(|| acc.nash.interval()),
                pareto_distance: (acc.pareto.n > 0).then(|| acc.pareto.interval()),
                failures: acc.failures,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.utility.mean.total_cmp(&a.utility.mean).then_with(|| a.agent.cmp(&b.agent)));
    rows
}

impl Ranking {
    /// Ranks the agents of `results`, over every domain and on each.
    #[must_use]
    pub fn of(results: &ResultsFile) -> Self {
        let fresh = || {
            let mut by_agent: BTreeMap<&str, Acc> = BTreeMap::new();
            for agent in &results.tournament.agents {
                by_agent.entry(agent.label.as_str()).or_default();
            }
            by_agent
        };
        let mut all = fresh();
        let mut by_domain: Vec<(&str, BTreeMap<&str, Acc>)> =
            results.tournament.scenarios.iter().map(|s| (s.name.as_str(), fresh())).collect();
        let numbers: BTreeMap<&str, usize> =
            by_domain.iter().enumerate().map(|(i, (name, _))| (*name, i)).collect();
        for n in &results.negotiations {
            let mut domain = numbers.get(n.scenario.as_str()).map(|&i| &mut by_domain[i].1);
            for (seat, (agent, &u)) in n.agents.iter().zip(&n.utilities).enumerate() {
                all.entry(agent).or_default().add(n, seat, u);
                if let Some(accs) = domain.as_deref_mut() {
                    accs.entry(agent).or_default().add(n, seat, u);
                }
            }
        }
        Self {
            rows: rows(all),
            domains: by_domain
                .into_iter()
                .map(|(domain, accs)| DomainRanking { domain: domain.to_string(), rows: rows(accs) })
                .collect(),
        }
    }

    /// The table as aligned text: every domain together, then each domain's when there are several.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = table(&self.rows);
        if self.domains.len() > 1 {
            for d in &self.domains {
                out.push_str(&format!("\n{}:\n", d.domain));
                out.push_str(&table(&d.rows));
            }
        }
        out
    }

    /// The table as CSV: the rows over every domain (domain `(all)`), then each domain's.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "domain",
            "rank",
            "agent",
            "negotiations",
            "utility",
            "utility_low",
            "utility_high",
            "agreement_rate",
            "agreement_low",
            "agreement_high",
            "welfare",
            "welfare_low",
            "welfare_high",
            "nash_distance",
            "nash_distance_low",
            "nash_distance_high",
            "pareto_distance",
            "pareto_distance_low",
            "pareto_distance_high",
            "failures",
        ])?;
        let tables = std::iter::once((ALL_DOMAINS, &self.rows))
            .chain(self.domains.iter().map(|d| (d.domain.as_str(), &d.rows)));
        for (domain, rows) in tables {
            for (i, r) in rows.iter().enumerate() {
                let mut row = vec![
                    domain.to_string(),
                    (i + 1).to_string(),
                    r.agent.clone(),
                    r.negotiations.to_string(),
                ];
                for x in [&r.utility, &r.agreement_rate, &r.welfare] {
                    row.extend([x.mean.to_string(), x.low.to_string(), x.high.to_string()]);
                }
                for x in [&r.nash_distance, &r.pareto_distance] {
                    match x {
                        Some(x) => row.extend([x.mean.to_string(), x.low.to_string(), x.high.to_string()]),
                        None => row.extend([String::new(), String::new(), String::new()]),
                    }
                }
                row.push(r.failures.to_string());
                w.write_record(&row)?;
            }
        }
        w.flush()
    }
}

fn table(rows: &[RankingRow]) -> String {
    let width = rows.iter().map(|r| r.agent.len()).max().unwrap_or(5).max(5);
    let mut out = format!(
        "{:>4}  {:<width$}  {:>6}  {:>22}  {:>22}  {:>22}  {:>6}  {:>6}  {:>8}\n",
        "rank",
        "agent",
        "n",
        "utility (95% CI)",
        "agreement (95% CI)",
        "welfare (95% CI)",
        "d_nash",
        "d_pf",
        "failures"
    );
    for (i, r) in rows.iter().enumerate() {
        let f = |x: &ConfidenceInterval| format!("{:.3} [{:.3}, {:.3}]", x.mean, x.low, x.high);
        let d =
            |x: &Option<ConfidenceInterval>| x.map_or_else(|| "-".to_string(), |x| format!("{:.3}", x.mean));
        out.push_str(&format!(
            "{:>4}  {:<width$}  {:>6}  {:>22}  {:>22}  {:>22}  {:>6}  {:>6}  {:>8}\n",
            i + 1,
            r.agent,
            r.negotiations,
            f(&r.utility),
            f(&r.agreement_rate),
            f(&r.welfare),
            d(&r.nash_distance),
            d(&r.pareto_distance),
            r.failures
        ));
    }
    out
}

impl super::NegotiationRecord {
    fn agreed(&self) -> bool {
        self.status == crate::Status::Agreement
    }
}

#[cfg(test)]
fn mean_interval(xs: &[f64]) -> ConfidenceInterval {
    let mut m = Moments::default();
    for &x in xs {
        m.add(x);
    }
    m.interval()
}

/// The two-sided 95% critical value of Student's t with `df` degrees of freedom: exact table values
/// to 30, the Cornish-Fisher expansion beyond (error below 1e-4).
#[must_use]
pub fn t_critical_95(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(&t) = TABLE.get(usize::try_from(df - 1).unwrap_or(usize::MAX)) {
        return t;
    }
    #[allow(clippy::cast_precision_loss)]
    let d = df as f64;
    let z: f64 = 1.959_963_984_540_054;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * d)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * d * d)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * d * d * d)
}

/// The Wilson score 95% interval of `successes` out of `n`.
#[must_use]
pub fn wilson_95(successes: usize, n: usize) -> ConfidenceInterval {
    if n == 0 {
        return ConfidenceInterval { mean: f64::NAN, low: f64::NAN, high: f64::NAN };
    }
    #[allow(clippy::cast_precision_loss)]
    let (k, nf) = (successes as f64, n as f64);
    let z: f64 = 1.959_963_984_540_054;
    let p = k / nf;
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    ConfidenceInterval { mean: p, low: (centre - half).max(0.0), high: (centre + half).min(1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_values_match_published_tables() {
        assert_eq!(t_critical_95(1), 12.706);
        assert!((t_critical_95(40) - 2.021).abs() < 1e-3);
        assert!((t_critical_95(120) - 1.980).abs() < 1e-3);
        assert!((t_critical_95(1_000_000) - 1.960).abs() < 1e-3);
    }

    #[test]
    fn wilson_interval_matches_a_worked_example_and_stays_in_range() {
        // 8 of 10: Wilson 95% interval [0.490, 0.943] (Newcombe 1998, Statistics in Medicine 17).
        let w = wilson_95(8, 10);
        assert!((w.low - 0.490).abs() < 1e-3 && (w.high - 0.943).abs() < 1e-3, "{w:?}");
        let zero = wilson_95(0, 5);
        assert_eq!(zero.low, 0.0);
        assert!(zero.high > 0.0 && zero.high < 1.0);
    }

    #[test]
    fn running_moments_match_the_two_pass_formulas() {
        let xs: Vec<f64> = (0..1000).map(|i| f64::from(i).sin() * 0.3 + 0.5).collect();
        let mean = xs.iter().sum::<f64>() / 1000.0;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 999.0;
        let i = mean_interval(&xs);
        assert!((i.mean - mean).abs() < 1e-12);
        assert!((i.high - i.mean - t_critical_95(999) * (var / 1000.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn mean_interval_of_known_sample() {
        let i = mean_interval(&[1.0, 2.0, 3.0, 4.0]);
        // mean 2.5, s = 1.291, t(3) = 3.182 -> half-width 2.054
        assert!((i.mean - 2.5).abs() < 1e-12);
        assert!((i.high - i.mean - 3.182 * 1.290_994 / 2.0).abs() < 1e-5);
    }
}
