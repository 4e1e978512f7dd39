//! A tournament's result folder: checked before the run, written as negotiations finish, resumed
//! after an interruption, closed by a manifest, and read back (verified) by the merge.
//!
//! The folder holds [`RESULTS`] (`results.jsonl`: a header line, then one line per negotiation in
//! number order, each appended once every earlier one is, and written out with the batch it came
//! in: at least every [`POLL`](truce_sim::POLL) while negotiations end), with
//! `--transcripts` [`TRANSCRIPTS`]`/NNNNNN.jsonl` (one per negotiation, written as it ends), and,
//! once the run is over, [`NEGOTIATIONS_CSV`], [`RANKING_CSV`] and last [`MANIFEST`], which lists
//! each file's size and SHA-256. A folder without a manifest did not finish: `--resume` reads the
//! whole lines of its `results.jsonl`, cuts off a last line left incomplete, and runs only the
//! negotiations that follow; the file it ends with is the same, byte for byte, as one run without
//! interruption.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use truce_sim::{Clock, Collector, Manifest, Match, NegotiationRecord, Ranking, ResultsFile, Run, Shard};

use super::{Prepared, sim_error};
use crate::{Error, ErrorKind};

/// The results, as JSON Lines, written as the run goes.
pub const RESULTS: &str = "results.jsonl";
/// One row per negotiation and seat.
pub const NEGOTIATIONS_CSV: &str = "negotiations.csv";
/// The ranking, over every domain and on each.
pub const RANKING_CSV: &str = "ranking.csv";
/// Each file's size and SHA-256, written last.
pub const MANIFEST: &str = "manifest.json";
/// The folder of transcripts (`--transcripts`).
pub const TRANSCRIPTS: &str = "transcripts";

/// What to do with a result folder that already holds files a tournament writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Existing {
    /// Refuse to start (the default).
    #[default]
    Refuse,
    /// Start again, replacing them (`--force`).
    Overwrite,
    /// Go on from the negotiations its `results.jsonl` holds (`--resume`); start afresh when it
    /// holds none.
    Resume,
}

/// What [`run_to_folder`] did.
#[derive(Debug)]
pub struct FolderRun {
    /// The shard's results (those found and those run).
    pub results: ResultsFile,
    /// Negotiations found in the folder and not run again.
    pub resumed: u64,
    /// The ranking written to [`RANKING_CSV`].
    pub ranking: Ranking,
}

fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Output, format!("cannot write {}: {e}", path.display()))
}

fn read_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Input, format!("{}: cannot read: {e}", path.display()))
}

/// The absolute path a file would be written to, whether or not it exists yet.
fn absolute(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(absolute(parent)?.join(path.file_name()?))
}

/// Checks a result folder before anything runs: `dir` must not be a file, nor an input, hold one or
/// lie inside one; a folder holding files the tournament writes is refused unless `existing` says
/// to overwrite or resume them.
///
/// # Errors
/// [`ErrorKind::Parameter`] (`out`) saying what is wrong and which flag would allow it.
pub fn check_out(dir: &Path, inputs: &[&Path], existing: Existing) -> Result<(), Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::parameter(
            "out",
            format!("{} is a file: give a folder (it is created if needed)", dir.display()),
        ));
    }
    if let Some(out) = absolute(dir) {
        for input in inputs {
            let Ok(input) = std::fs::canonicalize(input) else { continue };
            if out == input || input.starts_with(&out) || (input.is_dir() && out.starts_with(&input)) {
                return Err(Error::parameter(
                    "out",
                    format!(
                        "{} is an input, holds one, or lies inside one: choose another folder",
                        dir.display()
                    ),
                ));
            }
        }
    }
    if existing == Existing::Refuse {
        let found: Vec<&str> =
            [RESULTS, NEGOTIATIONS_CSV, RANKING_CSV, MANIFEST, TRANSCRIPTS, "results.json"]
                .into_iter()
                .filter(|name| dir.join(name).exists())
                .collect();
        if !found.is_empty() {
            return Err(Error::parameter(
                "out",
                format!(
                    "{} already holds {}, which this run would overwrite: choose another folder, add --force to replace them, or --resume to finish the run they come from",
                    dir.display(),
                    found.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Writes into a result folder as the run goes: records are buffered and written out after each
/// batch the run hands over ([`Collector::flush`]: at least every [`POLL`](truce_sim::POLL) while
/// negotiations end), not with a system call each.
struct Writer<'a> {
    file: BufWriter<File>,
    path: PathBuf,
    transcripts: Option<PathBuf>,
    results: ResultsFile,
    progress: &'a mut dyn FnMut(u64, u64),
}

impl Collector for Writer<'_> {
    fn finished(&mut self, m: &Match, run: &Run) -> std::io::Result<()> {
        if let Some(folder) = &self.transcripts {
            let mut bytes = Vec::new();
            truce_sim::write_jsonl(&run.events, &mut bytes).map_err(std::io::Error::other)?;
            std::fs::write(folder.join(format!("{:06}.jsonl", m.index)), bytes)?;
        }
        Ok(())
    }

    fn record(&mut self, record: NegotiationRecord) -> std::io::Result<()> {
        self.file.write_all(record.to_line().as_bytes())?;
        self.results.negotiations.push(record);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }

    fn progress(&mut self, done: u64, total: u64) {
        (self.progress)(done, total);
    }
}

/// Runs `shard` of `prepared` on `threads` workers into the folder `dir` (created if needed),
/// writing each negotiation's result as it finishes; with [`Existing::Resume`], only the
/// negotiations the folder does not hold yet. Then writes the CSV files and the manifest.
/// `progress(done, total)` counts the shard's negotiations, those resumed included.
///
/// # Errors
/// As [`check_out`] and [`Prepared::estimate`]; [`ErrorKind::Parameter`] (`resume`) when the folder
/// holds another tournament's results; [`ErrorKind::Output`] when a file cannot be written.
pub fn run_to_folder(
    prepared: &Prepared,
    shard: Shard,
    dir: &Path,
    existing: Existing,
    threads: usize,
    clock: Option<Arc<dyn Clock>>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FolderRun, Error> {
    check_out(dir, &[], existing)?;
    if threads == 0 {
        return Err(Error::parameter("threads", "a tournament needs at least 1 thread"));
    }
    prepared.estimate(shard, threads)?;
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    let path = dir.join(RESULTS);
    let mut results = prepared.tournament.results_header(shard);
    let header = results.header_line();
    let mut resumed = 0;
    let text = if existing == Existing::Resume && path.exists() {
        std::fs::read_to_string(&path).map_err(|e| read_error(&path, &e))?
    } else {
        String::new()
    };
    // A file without a whole header line holds nothing to resume: it starts afresh.
    let file = if text.contains('\n') {
        let name = path.display().to_string();
        let (found, whole) = ResultsFile::read_prefix(&text, &name).map_err(|e| {
            Error::parameter("resume", format!("{e}: it cannot be resumed; use --force to start again"))
        })?;
        let differences = results.tournament.differences(&found.tournament);
        if !differences.is_empty() || found.shards != results.shards {
            let what = if differences.is_empty() {
                format!("shard {} there, {shard} here", found.shards.first().copied().unwrap_or(Shard::ALL))
            } else {
                differences.join("; ")
            };
            return Err(Error::parameter(
                "resume",
                format!(
                    "{name} holds the results of another tournament (here: this run; there: the folder's), which differs in {what}: resume with the same arguments, or choose another --out"
                ),
            ));
        }
        let file = OpenOptions::new().write(true).open(&path).map_err(|e| write_error(&path, &e))?;
        file.set_len(whole as u64).map_err(|e| write_error(&path, &e))?;
        resumed = found.negotiations.len() as u64;
        results.negotiations = found.negotiations;
        OpenOptions::new().append(true).open(&path).map_err(|e| write_error(&path, &e))?
    } else {
        let mut file = File::create(&path).map_err(|e| write_error(&path, &e))?;
        file.write_all(header.as_bytes()).and_then(|()| file.flush()).map_err(|e| write_error(&path, &e))?;
        file
    };
    let manifest = dir.join(MANIFEST);
    if manifest.exists() {
        // A manifest stands for a finished folder: it goes before the run, and comes back last.
        std::fs::remove_file(&manifest).map_err(|e| write_error(&manifest, &e))?;
    }
    let transcripts = prepared.tournament.record.then(|| dir.join(TRANSCRIPTS));
    if existing == Existing::Overwrite {
        remove_transcripts(&dir.join(TRANSCRIPTS))?;
    }
    if let Some(folder) = &transcripts {
        std::fs::create_dir_all(folder).map_err(|e| write_error(folder, &e))?;
    }
    let file = BufWriter::with_capacity(1 << 16, file);
    let mut writer = Writer { file, path: path.clone(), transcripts, results, progress };
    prepared.tournament.run_into(shard, resumed, threads, clock, &mut writer).map_err(|e| match e {
        truce_sim::SimError::Write { reason } => {
            Error::new(ErrorKind::Output, format!("cannot write into {}: {reason}", dir.display()))
        }
        e => sim_error(&e),
    })?;
    writer.file.flush().map_err(|e| write_error(&writer.path, &e))?;
    writer.file.get_ref().sync_all().map_err(|e| write_error(&writer.path, &e))?;
    let mut results = writer.results;
    results.complete = results.is_complete();
    let ranking = write_folder(dir, &results, false)?;
    Ok(FolderRun { results, resumed, ranking })
}

/// Removes the transcripts an earlier run wrote (`NNNNNN.jsonl`), and nothing else.
fn remove_transcripts(folder: &Path) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name
            .strip_suffix(".jsonl")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if ours {
            std::fs::remove_file(entry.path()).map_err(|e| write_error(&entry.path(), &e))?;
        }
    }
    Ok(())
}

/// Writes the files of a finished result folder: [`RESULTS`] when `with_results` (a merge; a run
/// has written it as it went), the CSV files, and last the manifest of them all. Returns the
/// ranking.
///
/// # Errors
/// [`ErrorKind::Output`] when a file cannot be written or [`RESULTS`] read back.
pub fn write_folder(dir: &Path, results: &ResultsFile, with_results: bool) -> Result<Ranking, Error> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| write_error(&path, &e))
    };
    let path = dir.join(RESULTS);
    let jsonl = if with_results {
        let text = results.to_jsonl().into_bytes();
        write(RESULTS, &text)?;
        text
    } else {
        // What is on the disk is what the manifest vouches for.
        std::fs::read(&path).map_err(|e| write_error(&path, &e))?
    };
    let mut negotiations = Vec::new();
    results.write_csv(&mut negotiations).map_err(|e| write_error(&dir.join(NEGOTIATIONS_CSV), &e))?;
    write(NEGOTIATIONS_CSV, &negotiations)?;
    let ranking = Ranking::of(results);
    let mut csv = Vec::new();
    ranking.write_csv(&mut csv).map_err(|e| write_error(&dir.join(RANKING_CSV), &e))?;
    write(RANKING_CSV, &csv)?;
    let manifest = Manifest::of(&[(RESULTS, &jsonl), (NEGOTIATIONS_CSV, &negotiations), (RANKING_CSV, &csv)]);
    write(MANIFEST, manifest.to_json().as_bytes())?;
    Ok(ranking)
}

/// Reads result folders (or their `results.jsonl` files), verifies every file against its folder's
/// manifest, and merges them ([`truce_sim::merge`]).
///
/// # Errors
/// [`ErrorKind::Input`] for a folder without a manifest (its run did not finish), a file that is
/// missing, edited or cut short, a file that does not parse, or results of different tournaments
/// (naming what differs).
pub fn merge_folders(paths: &[&Path]) -> Result<ResultsFile, Error> {
    let input = |message: String| Error::new(ErrorKind::Input, message);
    let mut files = Vec::new();
    for path in paths {
        let dir = if path.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().unwrap_or(Path::new(".")).to_path_buf()
        };
        let manifest_path = dir.join(MANIFEST);
        if !manifest_path.is_file() {
            return Err(input(format!(
                "{}: no {MANIFEST}: its run did not finish (finish it with --resume) or it is not a tournament's result folder",
                dir.display()
            )));
        }
        let text = std::fs::read_to_string(&manifest_path).map_err(|e| read_error(&manifest_path, &e))?;
        let manifest = Manifest::from_json(&text, &manifest_path.display().to_string())
            .map_err(|e| input(e.to_string()))?;
        let mut results = None;
        for entry in &manifest.files {
            let file = dir.join(&entry.path);
            let bytes = std::fs::read(&file).map_err(|e| read_error(&file, &e))?;
            let name = file.display().to_string();
            manifest.verify(&entry.path, &bytes, &name).map_err(|e| input(e.to_string()))?;
            if entry.path == RESULTS {
                let text = String::from_utf8(bytes).map_err(|_| input(format!("{name}: not UTF-8")))?;
                results = Some(ResultsFile::from_jsonl(&text, &name).map_err(|e| input(e.to_string()))?);
            }
        }
        let results = results.ok_or_else(|| {
            input(format!("{}: its manifest does not list {RESULTS}", manifest_path.display()))
        })?;
        files.push((dir.join(RESULTS).display().to_string(), results));
    }
    truce_sim::merge(files).map_err(|e| input(e.to_string()))
}
