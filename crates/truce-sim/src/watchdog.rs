//! The watchdog's view of a worker thread: which negotiation it runs and since when, and which agent
//! call it is in. The session writes it; the [`runner`](crate::run_all) reads it from another thread.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

pub(crate) const IDLE: usize = usize::MAX;

/// A worker's state, shared with the watchdog.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    pub(crate) job: AtomicUsize,
    pub(crate) job_started: AtomicU64,
    /// Nanoseconds + 1 when the current agent call started; 0 outside calls.
    pub(crate) call_started: AtomicU64,
    pub(crate) call_seat: AtomicUsize,
    pub(crate) cancelled: AtomicBool,
}

impl Slot {
    pub(crate) fn new() -> Self {
        Self { job: AtomicUsize::new(IDLE), ..Self::default() }
    }

    pub(crate) fn enter_call(&self, seat: usize, now: Duration) {
        self.call_seat.store(seat, Ordering::SeqCst);
        self.call_started.store(nanos(now).saturating_add(1), Ordering::SeqCst);
    }

    pub(crate) fn leave_call(&self) {
        self.call_started.store(0, Ordering::SeqCst);
    }
}

pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
