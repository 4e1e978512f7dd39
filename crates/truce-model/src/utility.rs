//! Utility functions: how much one party values an outcome, in `[0, sum of weights]` (usually `[0, 1]`).
//!
//! Two families:
//! - [`AdditiveUtility`]: `u(o) = sum_i w_i * f_i(o_i)`, with per-issue value functions `f_i` in `[0, 1]`.
//!   A [`ValueFunction::Table`] scores each grid value and is divided by its largest score, exactly as
//!   GENIUS does (`eval / max eval`), so scores can be written on any scale (0-100, 0-1, points).
//!   Numeric issues may instead use a [`ValueFunction::PiecewiseLinear`] curve, clamped to `[0, 1]` like
//!   GENIUS's linear evaluators; this also evaluates values off the issue's grid.
//! - [`RectangleUtility`]: the nonlinear hyper-rectangle utilities of the ANAC 2014 domains
//!   (GENIUS `NonlinearUtilitySpace`): nested sum/min/max aggregations of rectangles that pay a utility
//!   when an outcome lies inside (inclusive) or outside (exclusive) their bounds, divided by a
//!   maximum and capped at 1.

use serde::{Deserialize, Serialize};

use crate::{Issue, IssueId, OutcomeSpace, Value};

/// A party's utility over outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Utility {
    /// Linear additive over issues.
    Additive(AdditiveUtility),
    /// Nonlinear hyper-rectangle utility (ANAC 2014).
    Rectangles(RectangleUtility),
}

impl Utility {
    /// The additive utility, if this is one.
    #[must_use]
    pub fn as_additive(&self) -> Option<&AdditiveUtility> {
        match self {
            Self::Additive(a) => Some(a),
            Self::Rectangles(_) => None,
        }
    }

    /// The utility of a grid outcome, without phase weighting.
    #[must_use]
    pub fn of_outcome(&self, space: &OutcomeSpace, outcome: &[u32]) -> f64 {
        match self {
            Self::Additive(a) => a.of_outcome(space, outcome),
            Self::Rectangles(r) => r.of_values(space, |issue| {
                space.issue(issue).domain().grid_value(outcome[issue.index()]).map(Value::as_f64)
            }),
        }
    }
}

/// `u(o) = sum_i w_i * f_i(o_i)`: one [`IssueUtility`] per issue of the space, in issue order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdditiveUtility {
    /// Weight and value function of each issue, in the space's issue order.
    pub issues: Vec<IssueUtility>,
}

/// One issue's share of an additive utility.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueUtility {
    /// The issue's weight, as written (GENIUS keeps weights unnormalised; most sum to 1).
    pub weight: f64,
    /// How the party values the issue's values.
    pub value: ValueFunction,
}

impl AdditiveUtility {
    /// The utility of a grid outcome.
    #[must_use]
    pub fn of_outcome(&self, space: &OutcomeSpace, outcome: &[u32]) -> f64 {
        self.issues
            .iter()
            .zip(space.issues())
            .zip(outcome)
            .map(|((iu, issue), &d)| iu.weight * iu.value.grid_score(issue, d))
            .sum()
    }

    /// Per issue, the weighted contribution `w_i * f_i(v)` of each grid value `v`: the table every fast
    /// path (frontiers, agents) works from. It holds one number per value of every issue, which the
    /// model allows up to [`MAX_ISSUE_VALUES`](crate::MAX_ISSUE_VALUES): callers bound the issues'
    /// sizes first (the analysis' `issue_values` limit, the simulation's `MAX_TABLE_VALUES`).
    #[must_use]
    pub fn contribution_tables(&self, space: &OutcomeSpace) -> Vec<Vec<f64>> {
        self.issues
            .iter()
            .zip(space.issues())
            .map(|(iu, issue)| {
                let scorer = iu.value.scorer();
                (0..issue.cardinality()).map(|d| iu.weight * scorer.grid_score(issue, d)).collect()
            })
            .collect()
    }

    /// The sum of the weights: the utility of the best outcome when every issue's best value scores 1.
    #[must_use]
    pub fn weight_sum(&self) -> f64 {
        self.issues.iter().map(|i| i.weight).sum()
    }
}

/// How a party scores the values of one issue, as a number in `[0, 1]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ValueFunction {
    /// One score per grid value, in grid order, on any non-negative scale; the issue's score is
    /// `score / max score` (GENIUS semantics). If every score is zero the issue scores 0 everywhere.
    Table {
        /// Raw scores, one per grid value.
        scores: Vec<f64>,
    },
    /// Linear interpolation between `(value, score)` points sorted by value, constant beyond the end
    /// points, clamped to `[0, 1]`. Only for numeric issues.
    PiecewiseLinear {
        /// `(value, score)` pairs with strictly increasing values; at least one.
        points: Vec<(f64, f64)>,
    },
}

impl ValueFunction {
    /// A straight line from `(min, at_min)` to `(max, at_max)`.
    #[must_use]
    pub fn linear(min: f64, at_min: f64, max: f64, at_max: f64) -> Self {
        if min == max {
            Self::PiecewiseLinear { points: vec![(min, at_min)] }
        } else {
            Self::PiecewiseLinear { points: vec![(min, at_min), (max, at_max)] }
        }
    }

    /// The score in `[0, 1]` of grid value `index` of `issue`. Out-of-range indices and malformed
    /// functions score 0 (validation reports them).
    ///
    /// A table's divisor (its largest score) is found on every call, in time linear in the table:
    /// to score many values of one issue, take its [`scorer`](Self::scorer) once.
    #[must_use]
    pub fn grid_score(&self, issue: &Issue, index: u32) -> f64 {
        self.scorer().grid_score(issue, index)
    }

    /// The score of any value of `issue`, on or off its grid; `None` when a table function is asked for
    /// a value off the grid, or the value is not of the issue's kind. Linear in a table's length, as
    /// [`grid_score`](Self::grid_score) is.
    #[must_use]
    pub fn score(&self, issue: &Issue, value: Value) -> Option<f64> {
        self.scorer().score(issue, value)
    }

    /// This function with a table's divisor found once, so that each score after that is a lookup:
    /// what every loop over an issue's values uses (one issue of 10^6 values scores in milliseconds).
    #[must_use]
    pub fn scorer(&self) -> Scorer<'_> {
        let max = match self {
            Self::Table { scores } => {
                scores.iter().copied().filter(|s| s.is_finite()).fold(0.0_f64, f64::max)
            }
            Self::PiecewiseLinear { .. } => 1.0,
        };
        Scorer { function: self, max }
    }

    fn numeric_score(&self, x: f64) -> f64 {
        let Self::PiecewiseLinear { points } = self else { return 0.0 };
        let (Some(first), Some(last)) = (points.first(), points.last()) else { return 0.0 };
        let y = if x <= first.0 {
            first.1
        } else if x >= last.0 {
            last.1
        } else {
            let k = points.partition_point(|p| p.0 <= x);
            let (x0, y0) = points[k - 1];
            let (x1, y1) = points[k];
            y0 + (x - x0) / (x1 - x0) * (y1 - y0)
        };
        sanitize(y)
    }
}

/// A [`ValueFunction`] ready to score many values: a table's divisor is found once
/// ([`ValueFunction::scorer`]).
#[derive(Clone, Copy, Debug)]
pub struct Scorer<'a> {
    function: &'a ValueFunction,
    /// A table's largest finite score (1 for a curve).
    max: f64,
}

impl Scorer<'_> {
    /// [`ValueFunction::grid_score`], in constant time for a table.
    #[must_use]
    pub fn grid_score(&self, issue: &Issue, index: u32) -> f64 {
        match self.function {
            ValueFunction::Table { scores } => table_score(scores, self.max, index as usize),
            ValueFunction::PiecewiseLinear { .. } => {
                issue.domain().grid_value(index).map_or(0.0, |v| self.function.numeric_score(v.as_f64()))
            }
        }
    }

    /// [`ValueFunction::score`], in constant time for a table.
    #[must_use]
    pub fn score(&self, issue: &Issue, value: Value) -> Option<f64> {
        match self.function {
            ValueFunction::Table { scores } => {
                issue.domain().grid_index(value).map(|index| table_score(scores, self.max, index as usize))
            }
            ValueFunction::PiecewiseLinear { .. } => (issue.domain().is_numeric()
                && !matches!(value, Value::Option(_)))
            .then(|| self.function.numeric_score(value.as_f64())),
        }
    }
}

fn table_score(scores: &[f64], max: f64, index: usize) -> f64 {
    match scores.get(index) {
        Some(&s) if max > 0.0 && s.is_finite() => sanitize(s / max),
        _ => 0.0,
    }
}

/// Clamps to `[0, 1]`, mapping NaN to 0, so that no malformed input ever yields NaN or infinity.
fn sanitize(y: f64) -> f64 {
    if y.is_nan() { 0.0 } else { y.clamp(0.0, 1.0) }
}

/// GENIUS's nonlinear utility: `min(1, root(o) / max_utility)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RectangleUtility {
    /// The normaliser (`maxutility` in GENIUS files); must be positive.
    pub max_utility: f64,
    /// The outermost aggregation.
    pub root: RectangleFunction,
}

/// An aggregation of rectangles and weighted inner functions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RectangleFunction {
    /// How the parts combine.
    pub aggregation: Aggregation,
    /// Multiplies this function's value when it is an inner function (ignored at the root, as in GENIUS).
    pub weight: f64,
    /// The rectangles.
    pub rectangles: Vec<HyperRectangle>,
    /// Inner functions.
    pub children: Vec<RectangleFunction>,
}

/// How a [`RectangleFunction`] combines its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The sum of the parts (0 when there are none).
    Sum,
    /// The smallest part.
    Min,
    /// The largest part.
    Max,
}

/// A box in the space of numeric issue values that pays `utility * weight`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HyperRectangle {
    /// Inclusive rectangles pay when the outcome lies within every bound (always, when there are no
    /// bounds); exclusive ones pay when it lies outside at least one.
    pub inclusive: bool,
    /// Per-issue bounds.
    pub bounds: Vec<Bound>,
    /// What the rectangle pays.
    pub utility: f64,
    /// Multiplies the utility (1 in every ANAC file).
    pub weight: f64,
}

/// `min <= value(issue) <= max`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// The bounded issue (numeric).
    pub issue: IssueId,
    /// Lowest value inside.
    pub min: f64,
    /// Highest value inside.
    pub max: f64,
}

impl RectangleUtility {
    /// The utility given each issue's numeric value (`None` for a value that is unknown, which lies
    /// outside every bound).
    pub fn of_values(&self, _space: &OutcomeSpace, value: impl Fn(IssueId) -> Option<f64>) -> f64 {
        if self.max_utility <= 0.0 || !self.max_utility.is_finite() {
            return 0.0;
        }
        let raw = self.root.evaluate(&value) / self.max_utility;
        if raw.is_nan() { 0.0 } else { raw.min(1.0) }
    }
}

impl RectangleFunction {
    fn evaluate(&self, value: &impl Fn(IssueId) -> Option<f64>) -> f64 {
        let rectangles = self.rectangles.iter().map(|r| r.pays(value));
        let children = self.children.iter().map(|c| c.evaluate(value) * c.weight);
        let parts = rectangles.chain(children);
        match self.aggregation {
            Aggregation::Sum => parts.sum(),
            // GENIUS starts MIN at Integer.MAX_VALUE and MAX at -Integer.MAX_VALUE.
            Aggregation::Min => parts.fold(f64::from(i32::MAX), f64::min),
            Aggregation::Max => parts.fold(-f64::from(i32::MAX), f64::max),
        }
    }
}

impl HyperRectangle {
    fn pays(&self, value: &impl Fn(IssueId) -> Option<f64>) -> f64 {
        let inside = self.bounds.iter().all(|b| value(b.issue).is_some_and(|x| b.min <= x && x <= b.max));
        if inside == self.inclusive { self.utility * self.weight } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IssueDomain;

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::new(
                "colour",
                IssueDomain::discrete(vec!["red".into(), "blue".into(), "green".into()], false).unwrap(),
            ),
            Issue::new("price", IssueDomain::integer(0, 10, 5).unwrap()),
        ])
        .unwrap()
    }

    #[test]
    fn table_scores_are_divided_by_their_maximum_like_genius() {
        let s = space();
        let u = AdditiveUtility {
            issues: vec![
                IssueUtility { weight: 0.6, value: ValueFunction::Table { scores: vec![12.0, 20.0, 30.0] } },
                IssueUtility { weight: 0.4, value: ValueFunction::linear(0.0, 1.0, 10.0, 0.0) },
            ],
        };
        let expected = 0.6 * 20.0 / 30.0 + 0.4 * 0.5;
        assert!((u.of_outcome(&s, &[1, 1]) - expected).abs() < 1e-15);
        assert_eq!(u.contribution_tables(&s)[1], vec![0.4, 0.2, 0.0]);
    }

    #[test]
    fn a_scorer_gives_the_same_scores_as_each_call() {
        let s = space();
        let functions = [
            ValueFunction::Table { scores: vec![12.0, f64::NAN, 30.0] },
            ValueFunction::Table { scores: vec![0.0, 0.0, 0.0] },
            ValueFunction::linear(0.0, 1.0, 10.0, 0.0),
        ];
        for (f, issue) in functions.iter().zip([&s.issues()[0], &s.issues()[0], &s.issues()[1]]) {
            let scorer = f.scorer();
            for d in 0..4 {
                assert_eq!(scorer.grid_score(issue, d).to_bits(), f.grid_score(issue, d).to_bits());
                if let Some(v) = issue.domain().grid_value(d) {
                    assert_eq!(scorer.score(issue, v), f.score(issue, v));
                }
            }
        }
    }

    #[test]
    fn degenerate_functions_never_yield_nan() {
        let issue = Issue::new("x", IssueDomain::integer(0, 2, 1).unwrap());
        let zeros = ValueFunction::Table { scores: vec![0.0, 0.0, 0.0] };
        assert_eq!(zeros.grid_score(&issue, 1), 0.0);
        let nan = ValueFunction::Table { scores: vec![f64::NAN, 1.0, 2.0] };
        assert_eq!(nan.grid_score(&issue, 0), 0.0);
        let empty = ValueFunction::PiecewiseLinear { points: vec![] };
        assert_eq!(empty.grid_score(&issue, 0), 0.0);
        let steep = ValueFunction::linear(0.0, -1.0, 2.0, 3.0);
        assert_eq!(steep.grid_score(&issue, 0), 0.0, "clamped below");
        assert_eq!(steep.grid_score(&issue, 2), 1.0, "clamped above");
    }

    #[test]
    fn piecewise_scores_off_grid_values_and_tables_refuse_them() {
        let issue = Issue::new("x", IssueDomain::real(0.0, 10.0, 3).unwrap());
        let f = ValueFunction::PiecewiseLinear { points: vec![(0.0, 0.0), (5.0, 1.0), (10.0, 0.0)] };
        assert_eq!(f.score(&issue, Value::Real(2.5)), Some(0.5));
        let t = ValueFunction::Table { scores: vec![0.0, 1.0, 0.0] };
        assert_eq!(t.score(&issue, Value::Real(5.0)), Some(1.0));
        assert_eq!(t.score(&issue, Value::Real(2.5)), None);
    }

    #[test]
    fn rectangles_follow_genius_nonlinear_semantics() {
        let s = space();
        let price = IssueId(1);
        let u = RectangleUtility {
            max_utility: 10.0,
            root: RectangleFunction {
                aggregation: Aggregation::Sum,
                weight: 1.0,
                rectangles: vec![
                    HyperRectangle {
                        inclusive: true,
                        bounds: vec![Bound { issue: price, min: 0.0, max: 5.0 }],
                        utility: 4.0,
                        weight: 1.0,
                    },
                    HyperRectangle {
                        inclusive: false,
                        bounds: vec![Bound { issue: price, min: 0.0, max: 5.0 }],
                        utility: 30.0,
                        weight: 1.0,
                    },
                ],
                children: vec![],
            },
        };
        let utility = Utility::Rectangles(u);
        assert!((utility.of_outcome(&s, &[0, 1]) - 0.4).abs() < 1e-15, "inside the inclusive box only");
        assert_eq!(utility.of_outcome(&s, &[0, 2]), 1.0, "30/10 is capped at 1");
    }
}
