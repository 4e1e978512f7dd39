//! How far exact methods go before the analysis switches to a labelled approximation (or stops).

/// Size limits of the exact methods. Past a limit the analysis uses a clearly labelled estimate or
/// approximation, never a silent one. The defaults keep every step within a few seconds and a few
/// hundred megabytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most outcomes enumerated one by one, where utilities are not additive (hyper-rectangles) or a
    /// red line ties too many issues together; and most boxes of outcomes a branch and bound visits
    /// for hyper-rectangle utilities beyond that. Default 20,000,000.
    pub enumeration: u64,
    /// Most points any intermediate frontier may hold. Default 20,000,000.
    pub frontier_points: usize,
    /// Most grid values one issue may have (an integer issue from 0 to 10^9 by 1 is refused: use a
    /// larger step). Default 1,000,000.
    pub issue_values: u32,
    /// Most joint values of issues that must be considered together: the issues a continuation
    /// belief depends on, or the issues one red line reads. Default 1,000,000.
    pub conditioning: u64,
    /// Most partial utility vectors in each half of a meet-in-the-middle count (zone sizes,
    /// percentile ranks). Default 4,194,304 (2^22), which counts spaces of up to about 10^13
    /// outcomes exactly.
    pub counting: u64,
    /// Outcomes sampled for an estimate when exact counting is out of reach. Default 200,000.
    pub samples: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            enumeration: 20_000_000,
            frontier_points: 20_000_000,
            issue_values: 1_000_000,
            conditioning: 1_000_000,
            counting: 1 << 22,
            samples: 200_000,
        }
    }
}
