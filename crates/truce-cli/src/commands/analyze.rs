//! `truce analyze`: frontiers, zone of agreement, solutions, proposals, bridging, sensitivity.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use truce::analysis::{Limits, Progress, Stage};

use crate::cli::parse_date;
use crate::error::{CliError, eprint, load_valid};

/// Arguments of `truce analyze`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  truce analyze cases/gaza-2024 --svg gaza.svg --html gaza.html
  truce analyze cases/gaza-2024 --at 2024-07-05
  truce analyze crates/truce-formats/tests/data/monitor/lakeside.toml --at 2031-05-05 \\
      --events crates/truce-formats/tests/data/monitor/lakeside-events.csv
  truce analyze domains/anac2010_Travel --json
  truce analyze cases/harbour-truce.toml --outcome 'withdrawal=full' \\
      --outcome 'withdrawal=full, prisoners_per_hostage=9..21'")]
pub struct Args {
    /// The case: a Truce case file or folder, or a GENIUS, GeniusWeb or NegMAS domain.
    pub path: PathBuf,
    /// Print the analysis as JSON (schema `truce-analysis/1`, see docs/json-analysis.md) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write the utility-space plot as SVG to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write a self-contained HTML report (with the plot) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also evaluate this outcome: `issue=value, issue=low..high, ...`; issues not named are open.
    /// Repeatable.
    #[arg(long, value_name = "TERMS")]
    pub outcome: Vec<String>,
    /// Analyse the case as of this date (YYYY, YYYY-MM or YYYY-MM-DD; default: the case's `as_of`):
    /// the zone, solutions, bridging and sensitivity use the red lines in force then.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub at: Option<truce::model::PartialDate>,
    /// Event logs of a signed agreement (CSV or JSON Lines, as `truce monitor` reads them): the state
    /// of play at --at (what was delivered, what is still held) is derived from them instead of read
    /// from the case alone (see docs/monitoring.md).
    #[arg(long, value_name = "FILE", num_args = 1.., requires = "at")]
    pub events: Vec<PathBuf>,
    /// The signed agreement the events follow, by its proposal's id (default: the case's only one).
    #[arg(long, value_name = "ID", requires = "events")]
    pub agreement: Option<String>,
    /// How many bridging packages to propose each way (0: none).
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub bridging: usize,
    /// Compute how far weights and reservation values may move before the Nash point or a
    /// proposal's acceptability changes (default: on when the case has proposals).
    #[arg(long, overrides_with = "no_sensitivity")]
    pub sensitivity: bool,
    /// Skip the sensitivity analysis.
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Seed of the samples used for estimates and approximations.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Outcomes to sample when exact counting or enumeration is out of reach.
    #[arg(long, value_name = "N", default_value_t = Limits::default().samples)]
    pub samples: u64,
    /// Most outcomes to enumerate one by one, or boxes of outcomes to search, for utilities that are
    /// not additive.
    #[arg(long, value_name = "N", default_value_t = Limits::default().enumeration)]
    pub enumeration_limit: u64,
    /// Print no warnings and no progress.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    for (parameter, output) in [("svg", &args.svg), ("html", &args.html)] {
        if let Some(output) = output {
            let mut inputs: Vec<&Path> = vec![&args.path];
            inputs.extend(args.events.iter().map(PathBuf::as_path));
            truce::refuse_overwrite(parameter, output, &inputs)?;
        }
    }
    if let (Some(a), Some(b)) = (&args.svg, &args.html)
        && a == b
    {
        return Err(CliError::input("--svg and --html name the same file"));
    }
    let valid = load_valid(&args.path, args.quiet)?;
    let load_ms = ms(started.elapsed());
    let case = valid.case();
    let progress = Bars::new(args.quiet);
    let options = truce::AnalyzeOptions {
        at: args.at,
        bridging: args.bridging,
        sensitivity: if args.no_sensitivity { Some(false) } else { args.sensitivity.then_some(true) },
        cloud: args.svg.is_some() || args.html.is_some(),
        limits: Limits { samples: args.samples, enumeration: args.enumeration_limit, ..Limits::default() },
        seed: args.seed,
        outcomes: args.outcome.clone(),
        events: args.events.clone(),
        agreement: args.agreement.clone(),
    };
    let findings = truce::analyze_valid(&valid, &options, Some(&progress))?;
    progress.clear();
    let warnings = truce::play_warnings(&valid, &findings);
    if !args.quiet && !warnings.is_empty() {
        eprint(&truce::render(&warnings, &valid.loaded.sources));
    }
    let mut timings = progress.timings();
    timings.insert("load".into(), load_ms);
    timings.insert("total".into(), ms(started.elapsed()));
    if args.json {
        writeln!(out, "{}", truce::report::json::to_string(case, &findings, Some(&timings)))?;
    } else {
        write!(out, "{}", truce::report::text::report_wrapped(case, &findings, width()))?;
    }
    if args.svg.is_some() || args.html.is_some() {
        let svg = truce::report::svg::plot(case, &findings);
        if let Some(path) = &args.svg {
            write_file(path, &svg)?;
        }
        if let Some(path) = &args.html {
            write_file(path, &truce::report::html::page(case, &findings, &svg))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The columns the text report wraps at: the terminal's width, or the report's default when the
/// output is not a terminal.
fn width() -> usize {
    if !std::io::stdout().is_terminal() {
        return truce::report::text::WIDTH;
    }
    terminal_size::terminal_size().map_or(truce::report::text::WIDTH, |(w, _)| usize::from(w.0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(CliError::Failure)
}

/// Progress bars on stderr (shown only on a terminal, and only once a stage has run for a moment),
/// and the time spent in each stage. A stage that ends before [`SHOW_AFTER`] never builds a bar, so
/// the bookkeeping costs next to nothing on the short stages that are the common case.
struct Bars {
    quiet: bool,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    stage: Option<Running>,
    timings: BTreeMap<String, f64>,
}

/// The stage under way: when it began, how far it is, and its bar once shown.
struct Running {
    stage: Stage,
    since: Instant,
    total: u64,
    done: u64,
    bar: Option<ProgressBar>,
}

/// How long a stage runs before its progress bar appears.
const SHOW_AFTER: Duration = Duration::from_millis(400);

impl Bars {
    fn new(quiet: bool) -> Self {
        Self { quiet: quiet || !std::io::stderr().is_terminal(), state: Mutex::new(State::default()) }
    }

    fn timings(&self) -> BTreeMap<String, f64> {
        self.state.lock().map(|s| s.timings.clone()).unwrap_or_default()
    }

    fn clear(&self) {
        if let Ok(mut s) = self.state.lock()
            && let Some(bar) = s.stage.take().and_then(|r| r.bar)
        {
            bar.finish_and_clear();
        }
    }
}

/// A bar on stderr for a stage that has run past [`SHOW_AFTER`].
fn bar(stage: Stage, total: u64, done: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = if total > 0 {
        ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({elapsed})")
    } else {
        ProgressStyle::with_template("{msg:>12} {spinner} ({elapsed})")
    };
    if let Ok(style) = style {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(stage.name());
    bar.set_position(done);
    bar
}

impl Progress for Bars {
    fn start(&self, stage: Stage, total: u64) {
        let Ok(mut s) = self.state.lock() else { return };
        if let Some(bar) = s.stage.take().and_then(|r| r.bar) {
            bar.finish_and_clear();
        }
        s.stage = Some(Running { stage, since: Instant::now(), total, done: 0, bar: None });
    }

    fn advance(&self, steps: u64) {
        let Ok(mut s) = self.state.lock() else { return };
        let Some(running) = &mut s.stage else { return };
        running.done += steps;
        match &running.bar {
            Some(bar) => bar.set_position(running.done),
            None if !self.quiet && running.since.elapsed() > SHOW_AFTER => {
                running.bar = Some(bar(running.stage, running.total, running.done));
            }
            None => {}
        }
    }

    fn finish(&self) {
        let Ok(mut s) = self.state.lock() else { return };
        if let Some(running) = s.stage.take() {
            let elapsed = ms(running.since.elapsed());
            if let Some(bar) = running.bar {
                bar.finish_and_clear();
            }
            *s.timings.entry(running.stage.name().to_owned()).or_insert(0.0) += elapsed;
        }
    }
}
