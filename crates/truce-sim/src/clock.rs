//! Clocks: the only source of wall-clock time the simulator uses, always handed in by the caller.
//!
//! A negotiation with a deadline in rounds needs no clock and is fully deterministic. A clock is needed
//! for deadlines in time and for the time limits that contain slow or stuck agents; the CLI hands in
//! [`SystemClock`], tests hand in [`ManualClock`] to make time-based behaviour reproducible.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A monotonic clock.
pub trait Clock: Send + Sync {
    /// Time elapsed since an origin fixed when the clock was made. Never decreases.
    fn now(&self) -> Duration;
}

/// The machine's monotonic clock ([`Instant`]), counting from its construction.
#[derive(Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock starting now.
    #[must_use]
    pub fn new() -> Self {
        Self { origin: Instant::now() }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A clock that moves only when told to, and optionally by a fixed step each time it is read: time-based
/// deadlines and limits become deterministic in tests.
#[derive(Debug, Default)]
pub struct ManualClock {
    nanos: AtomicU64,
    step: Mutex<Duration>,
}

impl ManualClock {
    /// A clock at zero that advances by `step` every time it is read (`Duration::ZERO` to stand still).
    #[must_use]
    pub fn new(step: Duration) -> Self {
        Self { nanos: AtomicU64::new(0), step: Mutex::new(step) }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.nanos.fetch_add(saturating_nanos(by), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        let step = self.step.lock().map_or(Duration::ZERO, |s| *s);
        let before = self.nanos.fetch_add(saturating_nanos(step), Ordering::SeqCst);
        Duration::from_nanos(before)
    }
}

fn saturating_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_steps_on_each_read_and_advances_on_demand() {
        let clock = ManualClock::new(Duration::from_millis(10));
        assert_eq!(clock.now(), Duration::ZERO);
        assert_eq!(clock.now(), Duration::from_millis(10));
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now(), Duration::from_millis(1020));
    }

    #[test]
    fn system_clock_is_monotonic() {
        let clock = SystemClock::new();
        let a = clock.now();
        assert!(clock.now() >= a);
    }
}
