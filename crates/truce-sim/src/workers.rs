//! Worker threads kept for reuse across runs.
//!
//! [`run_all`](crate::run_all) needs a thread per worker so that its watchdog can abandon one whose
//! agent never returns. Starting (and ending) an operating-system thread costs tens of
//! microseconds, which is most of the fixed cost of a single negotiation run from Python or a server
//! request. So a worker that finishes its task parks here, waiting for the next one, and ends after
//! [`IDLE_LIFETIME`] without work. A worker whose task never returns is never parked again: it stays
//! abandoned, as before, and the next task gets another thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How long a parked worker waits for a task before its thread ends.
pub const IDLE_LIFETIME: Duration = Duration::from_secs(10);

/// The name of every worker thread (so that code can tell it runs on one).
pub const THREAD_NAME: &str = "truce-sim-worker";

type Task = Box<dyn FnOnce() + Send>;

/// Threads parked for reuse. The runner uses [`WORKERS`]; tests make their own.
pub(crate) struct Workers {
    pool: Mutex<Pool>,
    idle_lifetime: Duration,
}

/// The process's workers.
pub(crate) static WORKERS: Workers = Workers::new(IDLE_LIFETIME);

/// A parked worker: its id (to find it again) and where its next task goes.
struct Parked {
    id: u64,
    tasks: Sender<Task>,
}

struct Pool {
    parked: Vec<Parked>,
    next_id: u64,
    /// Workers that ended after waiting `idle_lifetime` for a task.
    retired: u64,
}

impl Workers {
    pub(crate) const fn new(idle_lifetime: Duration) -> Self {
        Self { pool: Mutex::new(Pool { parked: Vec::new(), next_id: 0, retired: 0 }), idle_lifetime }
    }

    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        // Only Vec operations run under the lock, which cannot panic; recover from poison anyway.
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `task` on a worker thread: a parked one when there is one, else a new one.
    ///
    /// # Errors
    /// The operating system refused a new thread.
    pub(crate) fn spawn(&'static self, task: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
        let mut task: Task = Box::new(task);
        loop {
            let Some(parked) = self.pool().parked.pop() else { break };
            // A parked worker keeps its inbox until it has taken itself off the list, so the send
            // reaches it; a failed send (a thread that ended some other way) gives the task back.
            match parked.tasks.send(task) {
                Ok(()) => return Ok(()),
                Err(mpsc::SendError(back)) => task = back,
            }
        }
        let (tasks, inbox) = mpsc::channel::<Task>();
        let id = {
            let mut pool = self.pool();
            pool.next_id += 1;
            pool.next_id
        };
        std::thread::Builder::new()
            .name(THREAD_NAME.to_string())
            .spawn(move || self.work(id, task, &tasks, &inbox))?;
        Ok(())
    }

    /// A worker's life: run the task, park, take the next, until idle for `idle_lifetime`.
    fn work(&self, id: u64, first: Task, tasks: &Sender<Task>, inbox: &Receiver<Task>) {
        let mut task = first;
        loop {
            // A task that panics leaves its thread to end rather than be reused in an unknown state.
            if catch_unwind(AssertUnwindSafe(task)).is_err() {
                return;
            }
            self.pool().parked.push(Parked { id, tasks: tasks.clone() });
            task = match inbox.recv_timeout(self.idle_lifetime) {
                Ok(next) => next,
                Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => {
                    let mut pool = self.pool();
                    match pool.parked.iter().position(|p| p.id == id) {
                        // Still parked: off the list, nobody can send to this worker any more.
                        Some(at) => {
                            pool.parked.swap_remove(at);
                            pool.retired += 1;
                            return;
                        }
                        // Taken off the list by `spawn`, whose task is on its way.
                        None => {
                            drop(pool);
                            match inbox.recv() {
                                Ok(next) => next,
                                Err(_) => return,
                            }
                        }
                    }
                }
            };
        }
    }

    #[cfg(test)]
    fn parked(&self) -> usize {
        self.pool().parked.len()
    }

    #[cfg(test)]
    fn retired(&self) -> u64 {
        self.pool().retired
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::thread::{ThreadId, current, yield_now};

    use super::*;

    fn thread_of(workers: &'static Workers) -> ThreadId {
        let (tx, rx) = mpsc::channel();
        workers.spawn(move || tx.send(current().id()).unwrap()).unwrap();
        rx.recv().unwrap()
    }

    fn wait_until(done: impl Fn() -> bool) {
        while !done() {
            yield_now();
        }
    }

    #[test]
    fn a_finished_worker_runs_the_next_task_on_the_same_thread() {
        static WORKERS: Workers = Workers::new(Duration::from_secs(3600));
        let first = thread_of(&WORKERS);
        wait_until(|| WORKERS.parked() == 1);
        assert_eq!(thread_of(&WORKERS), first);
        assert_ne!(first, current().id());
    }

    #[test]
    fn an_idle_worker_ends_and_the_next_task_gets_a_new_thread() {
        static WORKERS: Workers = Workers::new(Duration::ZERO);
        let first = thread_of(&WORKERS);
        wait_until(|| WORKERS.retired() == 1);
        assert_eq!(WORKERS.parked(), 0);
        assert_ne!(thread_of(&WORKERS), first);
    }

    #[test]
    fn a_task_that_never_returns_does_not_hold_up_the_next() {
        static WORKERS: Workers = Workers::new(Duration::from_secs(3600));
        let (block_tx, block_rx) = mpsc::channel::<()>();
        WORKERS
            .spawn(move || {
                let _ = block_rx.recv();
            })
            .unwrap();
        let (tx, rx) = mpsc::channel();
        WORKERS.spawn(move || tx.send(current().name().map(str::to_string)).unwrap()).unwrap();
        assert_eq!(rx.recv().unwrap().as_deref(), Some(THREAD_NAME));
        drop(block_tx);
    }

    #[test]
    fn a_task_that_panics_ends_its_thread_and_the_pool_goes_on() {
        static WORKERS: Workers = Workers::new(Duration::from_secs(3600));
        let (tx, rx) = mpsc::channel();
        WORKERS
            .spawn(move || {
                tx.send(current().id()).unwrap();
                panic!("a task's panic");
            })
            .unwrap();
        let panicked = rx.recv().unwrap();
        assert_ne!(thread_of(&WORKERS), panicked, "a thread whose task panicked is not reused");
    }
}
