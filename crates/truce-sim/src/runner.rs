//! Running many negotiations on worker threads, with a watchdog for agents that never return.
//!
//! [`run_all`] hands negotiations to `threads` worker threads, each taking the next unstarted one, and
//! returns the runs in input order, so results do not depend on which thread ran what. A worker puts
//! each run it finishes in a shared outbox, which the calling thread empties every [`POLL`] (and at
//! once when the last job is taken): a run costs no wake-up of another thread, which would take
//! longer than many a negotiation. Worker threads are parked for reuse between runs (`workers.rs`).
//! Without a clock and with one thread, the negotiations run on the
//! calling thread itself. With a clock the calling thread is also a watchdog: every [`POLL`] it checks
//! each worker; when a negotiation's current agent call has run longer than its per-call limit plus
//! [`GRACE`], or the negotiation longer than its time limit plus [`GRACE`], the negotiation is
//! recorded as [`FailureKind::Stuck`](crate::FailureKind), the worker is abandoned and a fresh worker
//! takes its place.
//!
//! **What happens to a stuck thread:** Rust cannot kill a thread. The abandoned worker is flagged; if
//! its call ever returns, the negotiation stops at its next agent call and the thread exits. A call
//! that never returns (an infinite loop) keeps its thread, and one core, busy until the process exits;
//! the other workers go on and the tournament finishes within its limits. Run untrusted agents in a
//! separate process (a shard per process) to reclaim the core.

use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use crate::session::{panic_message, stuck_run};
use crate::watchdog::{IDLE, Slot, nanos};
use crate::workers::WORKERS;
use crate::{Clock, Failure, FailureKind, Negotiation, NegotiationResult, Run, SimError, Status};

/// How often the calling thread takes the runs the workers finished, and looks at the workers.
pub const POLL: Duration = Duration::from_millis(20);
/// How long past a limit the watchdog waits before abandoning a negotiation (the engine itself stops
/// a negotiation at its limits when the agent returns in time).
pub const GRACE: Duration = Duration::from_millis(500);

/// Builds job `i` of a run when a worker takes it.
pub(crate) type JobFn = dyn Fn(usize) -> Negotiation + Send + Sync;

struct Shared {
    job: Arc<JobFn>,
    count: usize,
    next: AtomicUsize,
    clock: Option<Arc<dyn Clock>>,
    /// Runs finished and not yet taken by the calling thread, in completion order.
    outbox: Mutex<Vec<(usize, Run)>>,
}

impl Shared {
    fn outbox(&self) -> MutexGuard<'_, Vec<(usize, Run)>> {
        // A worker holds the lock only to push a run: a poisoned outbox still holds whole runs.
        self.outbox.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs `jobs` on `threads` worker threads (at least 1) and returns their runs in input order.
/// `progress(done, total)` is called on the calling thread after each negotiation ends. Without a
/// clock there is no watchdog, and no job may have time limits.
///
/// # Errors
/// The first job that fails [`Negotiation::validate`], with its index.
pub fn run_all(
    jobs: Vec<Negotiation>,
    threads: usize,
    clock: Option<Arc<dyn Clock>>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Run>, (usize, SimError)> {
    for (i, job) in jobs.iter().enumerate() {
        job.validate(clock.is_some()).map_err(|e| (i, e))?;
    }
    // Build every pool before any clock starts, so that no time limit counts preparation.
    let mut prepared: Vec<*const crate::Scenario> = Vec::new();
    for job in &jobs {
        let ptr = Arc::as_ptr(&job.scenario);
        if !prepared.contains(&ptr) {
            prepared.push(ptr);
            for seat in 0..job.scenario.party_count() {
                let _ = job.scenario.pool(seat);
            }
        }
    }
    let total = jobs.len();
    let jobs = Arc::new(jobs);
    let job: Arc<JobFn> = Arc::new(move |i| jobs[i].clone());
    let mut results: Vec<Option<Run>> = vec![None; total];
    let mut done = 0;
    let mut record = |i, run| {
        results[i] = Some(run);
        done += 1;
        progress(done, total);
        ControlFlow::Continue(())
    };
    run_each(total, job.clone(), threads, clock, &mut record, &mut || ControlFlow::Continue(()));
    Ok(results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| stuck_run(&job(i), None, "no worker finished it".into())))
        .collect())
}

/// Runs the `count` jobs built by `job` (already validated, pools built) on `threads` worker
/// threads, handing each run to `done_with(i, run)` on the calling thread, in completion order,
/// within a [`POLL`] of its end, and calling `handed()` once the runs taken together have all been
/// handed over (a collector that buffers writes them out then). When either breaks, no further job
/// starts and the function returns (jobs already running finish on their own threads, and their
/// runs are dropped). Without a clock (no watchdog, no time limits) and with one thread, the jobs
/// run on the calling thread.
pub(crate) fn run_each(
    count: usize,
    job: Arc<JobFn>,
    threads: usize,
    clock: Option<Arc<dyn Clock>>,
    done_with: &mut dyn FnMut(usize, Run) -> ControlFlow<()>,
    handed: &mut dyn FnMut() -> ControlFlow<()>,
) {
    if clock.is_none() && threads <= 1 {
        run_here(count, job.as_ref(), None, done_with, handed);
        return;
    }
    let shared =
        Arc::new(Shared { job, count, next: AtomicUsize::new(0), clock, outbox: Mutex::new(Vec::new()) });
    let stop = |shared: &Shared| shared.next.store(shared.count, Ordering::SeqCst);
    // Workers say here when they run out of jobs, so that the last runs are taken at once.
    let (tx, rx) = mpsc::channel::<()>();
    let mut slots: Vec<Arc<Slot>> = Vec::new();
    for _ in 0..threads.max(1).min(count.max(1)) {
        if let Some(slot) = spawn_worker(&shared, &tx) {
            slots.push(slot);
        }
    }
    if slots.is_empty() {
        // No thread could be started: run here, without a watchdog.
        run_here(count, shared.job.as_ref(), shared.clock.as_deref(), done_with, handed);
        return;
    }
    let mut finished = vec![false; count];
    let mut done = 0;
    let mut taken = Vec::new();
    while done < count {
        match rx.recv_timeout(POLL) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        std::mem::swap(&mut taken, &mut *shared.outbox());
        if !taken.is_empty() {
            for (i, run) in taken.drain(..) {
                if !finished[i] {
                    finished[i] = true;
                    done += 1;
                    if done_with(i, run).is_break() {
                        stop(&shared);
                        return;
                    }
                }
            }
            if handed().is_break() {
                stop(&shared);
                return;
            }
        }
        let Some(clock) = shared.clock.clone() else { continue };
        let now = nanos(clock.now());
        for k in 0..slots.len() {
            let slot = &slots[k];
            if slot.cancelled.load(Ordering::SeqCst) {
                continue;
            }
            let i = slot.job.load(Ordering::SeqCst);
            if i == IDLE || finished[i] {
                continue;
            }
            let negotiation = (shared.job)(i);
            let limits = negotiation.limits;
            let grace = nanos(GRACE);
            let call = slot.call_started.load(Ordering::SeqCst);
            let call_over = limits
                .per_call
                .is_some_and(|l| call > 0 && now.saturating_sub(call - 1) > nanos(l).saturating_add(grace));
            let job_over = limits.per_negotiation.is_some_and(|l| {
                now.saturating_sub(slot.job_started.load(Ordering::SeqCst)) > nanos(l).saturating_add(grace)
            });
            if call_over || job_over {
                let seat = (call > 0).then(|| slot.call_seat.load(Ordering::SeqCst));
                let message = if call_over {
                    "an agent call did not return within its limit; the negotiation was abandoned".to_string()
                } else {
                    "the negotiation did not finish within its time limit; it was abandoned".to_string()
                };
                slot.cancelled.store(true, Ordering::SeqCst);
                finished[i] = true;
                done += 1;
                if done_with(i, stuck_run(&negotiation, seat, message)).is_break() || handed().is_break() {
                    stop(&shared);
                    return;
                }
                if let Some(fresh) = spawn_worker(&shared, &tx) {
                    slots.push(fresh);
                }
            }
        }
    }
    drop(tx);
    // Jobs no worker finished (every worker lost): recorded as stuck, so that each job gets a run.
    for (i, _) in finished.iter().enumerate().filter(|(_, f)| !**f) {
        if done_with(i, stuck_run(&(shared.job)(i), None, "no worker finished it".into())).is_break() {
            return;
        }
    }
    let _ = handed();
}

/// Runs the jobs one after the other on the calling thread, without a watchdog.
fn run_here(
    count: usize,
    job: &JobFn,
    clock: Option<&dyn Clock>,
    done_with: &mut dyn FnMut(usize, Run) -> ControlFlow<()>,
    handed: &mut dyn FnMut() -> ControlFlow<()>,
) {
    for i in 0..count {
        if done_with(i, run_one(&job(i), clock, None)).is_break() || handed().is_break() {
            return;
        }
    }
}

fn spawn_worker(shared: &Arc<Shared>, tx: &mpsc::Sender<()>) -> Option<Arc<Slot>> {
    let slot = Arc::new(Slot::new());
    let (shared, tx, mine) = (shared.clone(), tx.clone(), slot.clone());
    WORKERS
        .spawn(move || {
            loop {
                if mine.cancelled.load(Ordering::SeqCst) {
                    break;
                }
                let i = shared.next.fetch_add(1, Ordering::SeqCst);
                if i >= shared.count {
                    // Out of jobs: the calling thread takes the last runs now, not at its next look.
                    let _ = tx.send(());
                    break;
                }
                let job = (shared.job)(i);
                let now = shared.clock.as_ref().map_or(Duration::ZERO, |c| c.now());
                mine.job_started.store(nanos(now), Ordering::SeqCst);
                mine.job.store(i, Ordering::SeqCst);
                let run = run_one(&job, shared.clock.as_deref(), Some(&mine));
                mine.job.store(IDLE, Ordering::SeqCst);
                shared.outbox().push((i, run));
            }
        })
        .ok()
        .map(|_| slot)
}

/// Runs one job, turning a panic of the engine itself (not an agent's, which the session contains)
/// into a failed result rather than a lost worker.
fn run_one(job: &Negotiation, clock: Option<&dyn Clock>, slot: Option<&Slot>) -> Run {
    catch_unwind(AssertUnwindSafe(|| job.run_unchecked(clock, slot))).unwrap_or_else(|payload| {
        let result = NegotiationResult {
            status: Status::Failed,
            agreement: None,
            utilities: job.scenario.known_payoffs(None, 1.0),
            rounds: 0,
            time: 1.0,
            failure: Some(Failure {
                kind: FailureKind::Panic,
                party: None,
                agent: None,
                message: format!("the engine panicked: {}", panic_message(payload.as_ref())),
            }),
        };
        Run { result, events: Vec::new() }
    })
}
