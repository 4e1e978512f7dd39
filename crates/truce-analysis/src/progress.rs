//! Progress reporting for long computations, handed in by the caller (the library never prints and
//! never reads a clock).

/// A stage of an analysis, as reported to [`Progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Pareto frontiers (over all outcomes, and within the red lines).
    Frontier,
    /// The size of the zone of agreement.
    Zone,
    /// Bargaining solutions and the opposition measure.
    Solutions,
    /// Proposals and given outcomes: utilities, ranks, red lines, dominance.
    Proposals,
    /// Bridging packages, or the red lines blocking agreement.
    Bridging,
    /// How far weights and reservation values may move before results change.
    Sensitivity,
}

impl Stage {
    /// The stage's name, as used for timings in reports (`frontier`, `zone`, ...).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Frontier => "frontier",
            Self::Zone => "zone",
            Self::Solutions => "solutions",
            Self::Proposals => "proposals",
            Self::Bridging => "bridging",
            Self::Sensitivity => "sensitivity",
        }
    }
}

/// Receives progress from long computations. Implementations must be cheap: `advance` may be called
/// often, from several threads. The default methods do nothing.
pub trait Progress: Sync {
    /// A stage begins, with `total` steps (0 when unknown). Stages may begin more than once (the
    /// frontier is computed over all outcomes and within the red lines).
    fn start(&self, stage: Stage, total: u64) {
        let _ = (stage, total);
    }
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: u64) {
        let _ = steps;
    }
    /// The current stage is over.
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {}
