//! Times the analysis that `truce analyze PATH --json --bridging 0 --no-sensitivity` runs, many times
//! in one warm process, and prints the median time of each stage as JSON (milliseconds).
//!
//! `truce analyze` reports the stages of a single run in a fresh process, where the first touch of
//! code and memory costs as much as the computation on small domains. NegMAS's figures in
//! `bench/analysis.py` are medians of repeated calls in one process; this gives Truce's figure taken
//! the same way. `total` is the whole run (set-up included), the figure to hold a caller's against:
//!
//! ```sh
//! cargo run --release -p truce-analysis --example stage_timings -- PATH [RUNS]
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use truce_analysis::{Analysis, Progress, Stage};

/// Time spent in each stage of one run.
#[derive(Default)]
struct Timer {
    current: Mutex<Option<(Stage, Instant)>>,
    spent: Mutex<BTreeMap<&'static str, Duration>>,
}

impl Progress for Timer {
    fn start(&self, stage: Stage, _total: u64) {
        if let Ok(mut c) = self.current.lock() {
            *c = Some((stage, Instant::now()));
        }
    }

    fn finish(&self) {
        let Some((stage, since)) = self.current.lock().ok().and_then(|mut c| c.take()) else { return };
        if let Ok(mut spent) = self.spent.lock() {
            *spent.entry(stage.name()).or_default() += since.elapsed();
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: stage_timings PATH [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = match args.next().map(|r| r.parse()) {
        None => 101,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!("RUNS must be a positive whole number");
            return ExitCode::from(2);
        }
    };
    let case = match truce_formats::load(std::path::Path::new(&path)) {
        Ok(loaded) => loaded.case,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut samples: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for _ in 0..runs {
        let timer = Timer::default();
        let start = Instant::now();
        let run = Analysis::new(&case)
            .at(case.as_of)
            .with_bridging(0)
            .with_sensitivity(false)
            .with_cloud(false)
            .with_progress(&timer)
            .run();
        let total = start.elapsed();
        if let Err(e) = run {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
        let spent = timer.spent.into_inner().unwrap_or_default();
        samples.entry("total").or_default().push(total.as_secs_f64() * 1e3);
        for (stage, d) in spent {
            samples.entry(stage).or_default().push(d.as_secs_f64() * 1e3);
        }
    }
    let medians: BTreeMap<&str, f64> = samples
        .into_iter()
        .map(|(stage, mut ms)| {
            ms.sort_by(f64::total_cmp);
            (stage, ms[ms.len() / 2])
        })
        .collect();
    println!("{}", serde_json::json!({ "runs": runs, "median_ms": medians }));
    ExitCode::SUCCESS
}
