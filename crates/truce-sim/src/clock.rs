//! Clocks: the only source of wall-clock time the simulator uses, always handed in by the caller.
//!
//! A negotiation with a deadline in rounds needs no clock and is fully deterministic. A clock is needed
//! for deadlines in time and for the time limits that contain slow or stuck agents; front ends hand in
//! [`clock_for`] their limits (a [`CoarseClock`] for limits of seconds, else a [`SystemClock`]), tests
//! hand in [`ManualClock`] to make time-based behaviour reproducible.
//!
//! **Why a coarse clock.** A negotiation with time limits reads the clock once a move (see
//! [`Negotiation`](crate::Negotiation)), and a precise reading costs 20-50 ns (more on some virtual
//! machines): a quarter of a 100-round negotiation between the built-in agents. The kernel's coarse
//! clock costs a few nanoseconds at a resolution of one tick (1-10 ms), which is plenty to enforce
//! limits of seconds.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{Deadline, TimeLimits};

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

/// The machine's monotonic clock read at the kernel's tick: `CLOCK_MONOTONIC_COARSE` on Linux (a
/// few nanoseconds a reading, [`CoarseClock::resolution`] apart), elsewhere [`Instant`] as
/// [`SystemClock`] does. Counts from its construction.
#[derive(Debug)]
pub struct CoarseClock {
    origin: Duration,
}

impl CoarseClock {
    /// A clock starting now.
    #[must_use]
    pub fn new() -> Self {
        Self { origin: coarse::now() }
    }

    /// How far apart its readings are: the kernel's tick on Linux, 1 ns elsewhere.
    #[must_use]
    pub fn resolution() -> Duration {
        coarse::resolution()
    }
}

impl Default for CoarseClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for CoarseClock {
    fn now(&self) -> Duration {
        coarse::now().saturating_sub(self.origin)
    }
}

#[cfg(target_os = "linux")]
mod coarse {
    use std::time::Duration;

    use rustix::time::{ClockId, Timespec, clock_getres, clock_gettime};

    fn duration(t: Timespec) -> Duration {
        let secs = u64::try_from(t.tv_sec).unwrap_or(0);
        let nanos = u32::try_from(t.tv_nsec).unwrap_or(0);
        Duration::new(secs, nanos)
    }

    pub(super) fn now() -> Duration {
        duration(clock_gettime(ClockId::MonotonicCoarse))
    }

    pub(super) fn resolution() -> Duration {
        duration(clock_getres(ClockId::MonotonicCoarse))
    }
}

#[cfg(not(target_os = "linux"))]
mod coarse {
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    pub(super) fn now() -> Duration {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed()
    }

    pub(super) fn resolution() -> Duration {
        Duration::from_nanos(1)
    }
}

/// How many ticks of the coarse clock the shortest limit must span for [`clock_for`] to choose it:
/// a limit is then enforced to within 1% of itself.
pub const COARSE_TICKS: u32 = 100;

/// The clock to run negotiations under `deadline` and `limits` with: a [`CoarseClock`] when there is
/// no deadline in time (agents see time through it) and every limit spans at least
/// [`COARSE_TICKS`] of its ticks (with a 4 ms tick, limits of 0.4 s and more: the CLI's defaults
/// are 5 and 60 s), else a [`SystemClock`].
#[must_use]
pub fn clock_for(deadline: &Deadline, limits: &TimeLimits) -> Arc<dyn Clock> {
    if coarse_enough(deadline, limits, CoarseClock::resolution()) {
        Arc::new(CoarseClock::new())
    } else {
        Arc::new(SystemClock::new())
    }
}

/// Whether a clock ticking every `tick` serves `deadline` and `limits` (see [`clock_for`]).
fn coarse_enough(deadline: &Deadline, limits: &TimeLimits, tick: Duration) -> bool {
    let shortest = tick.saturating_mul(COARSE_TICKS);
    deadline.time.is_none()
        && [limits.per_call, limits.per_negotiation].into_iter().flatten().all(|l| l >= shortest)
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

    #[test]
    fn the_coarse_clock_is_monotonic_and_ticks_at_most_every_10_ms() {
        let clock = CoarseClock::new();
        let a = clock.now();
        assert!(clock.now() >= a);
        assert!(CoarseClock::resolution() <= Duration::from_millis(10), "{:?}", CoarseClock::resolution());
    }

    #[test]
    fn coarse_only_for_limits_of_many_ticks_and_no_deadline_in_time() {
        let tick = Duration::from_millis(4);
        let coarse = |deadline: Deadline, limits: TimeLimits| coarse_enough(&deadline, &limits, tick);
        let limits = |call: Duration| TimeLimits { per_call: Some(call), per_negotiation: Some(call * 12) };
        let rounds = Deadline::rounds(100);
        assert!(coarse(rounds, TimeLimits::default()));
        assert!(coarse(rounds, limits(Duration::from_secs(5))), "the CLI's defaults");
        assert!(coarse(rounds, limits(tick * COARSE_TICKS)));
        assert!(!coarse(rounds, limits(tick * COARSE_TICKS - Duration::from_nanos(1))));
        let short_negotiation =
            TimeLimits { per_call: None, per_negotiation: Some(Duration::from_millis(50)) };
        assert!(!coarse(rounds, short_negotiation));
        let timed = Deadline { rounds: Some(100), time: Some(Duration::from_secs(60)) };
        assert!(!coarse(timed, limits(Duration::from_secs(5))), "agents see time through the clock");
    }
}
