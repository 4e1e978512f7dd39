//! Running many negotiations on worker threads, with a watchdog for agents that never return.
//!
//! [`run_all`] hands negotiations to `threads` worker threads, each taking the next unstarted one, and
//! returns the runs in input order, so results do not depend on which thread ran what. With a clock
//! the calling thread is a watchdog: every [`POLL`] it checks each worker; when a negotiation's current
//! agent call has run longer than its per-call limit plus [`GRACE`], or the negotiation longer than its
//! time limit plus [`GRACE`], the negotiation is recorded as [`FailureKind::Stuck`](crate::FailureKind),
//! the worker is abandoned and a fresh worker takes its place.
//!
//! **What happens to a stuck thread:** Rust cannot kill a thread. The abandoned worker is flagged; if
//! its call ever returns, the negotiation stops at its next agent call and the thread exits. A call
//! that never returns (an infinite loop) keeps its thread, and one core, busy until the process exits;
//! the other workers go on and the tournament finishes within its limits. Run untrusted agents in a
//! separate process (a shard per process) to reclaim the core.

use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::session::{panic_message, stuck_run};
use crate::watchdog::{IDLE, Slot, nanos};
use crate::workers::WORKERS;
use crate::{Clock, Failure, FailureKind, Negotiation, NegotiationResult, Run, SimError, Status};

/// How often the watchdog looks at the workers.
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
    run_each(total, job.clone(), threads, clock, &mut |i, run| {
        results[i] = Some(run);
        done += 1;
        progress(done, total);
        ControlFlow::Continue(())
    });
    Ok(results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| stuck_run(&job(i), None, "no worker finished it".into())))
        .collect())
}

/// Runs the `count` jobs built by `job` (already validated, pools built) on `threads` worker
/// threads, handing each run to `done(i, run)` on the calling thread as it ends, in completion
/// order. When `done` breaks, no further job starts and the function returns (jobs already running
/// finish on their own threads, and their runs are dropped).
pub(crate) fn run_each(
    count: usize,
    job: Arc<JobFn>,
    threads: usize,
    clock: Option<Arc<dyn Clock>>,
    done_with: &mut dyn FnMut(usize, Run) -> ControlFlow<()>,
) {
    let shared = Arc::new(Shared { job, count, next: AtomicUsize::new(0), clock });
    let stop = |shared: &Shared| shared.next.store(shared.count, Ordering::SeqCst);
    let (tx, rx) = mpsc::channel::<(usize, Run)>();
    let mut slots: Vec<Arc<Slot>> = Vec::new();
    for _ in 0..threads.max(1).min(count.max(1)) {
        if let Some(slot) = spawn_worker(&shared, &tx) {
            slots.push(slot);
        }
    }
    let mut finished = vec![false; count];
    let mut done = 0;
    if slots.is_empty() {
        // No thread could be started: run here, without a watchdog.
        for i in 0..count {
            let run = run_one(&(shared.job)(i), shared.clock.as_deref(), None);
            if done_with(i, run).is_break() {
                return;
            }
        }
        return;
    }
    while done < count {
        match rx.recv_timeout(POLL) {
            Ok((i, run)) => {
                if !finished[i] {
                    finished[i] = true;
                    done += 1;
                    if done_with(i, run).is_break() {
                        stop(&shared);
                        return;
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
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
                if done_with(i, stuck_run(&negotiation, seat, message)).is_break() {
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
}

fn spawn_worker(shared: &Arc<Shared>, tx: &mpsc::Sender<(usize, Run)>) -> Option<Arc<Slot>> {
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
                    break;
                }
                let job = (shared.job)(i);
                let now = shared.clock.as_ref().map_or(Duration::ZERO, |c| c.now());
                mine.job_started.store(nanos(now), Ordering::SeqCst);
                mine.job.store(i, Ordering::SeqCst);
                let run = run_one(&job, shared.clock.as_deref(), Some(&mine));
                mine.job.store(IDLE, Ordering::SeqCst);
                if tx.send((i, run)).is_err() {
                    break;
                }
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
