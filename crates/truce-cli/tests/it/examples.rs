//! Every example a new user meets runs: the `truce ...` command lines of every `--help` text, of the
//! README and of `docs/*.md`, each run on the repository's fixtures and asserted to exit with 0.
//!
//! Paths are mapped as a reader would: `cases/` and `crates/` from the repository's root; `domains/`,
//! `path/to/`, `path/to/domains/` and `../shared/domains/` to the shared ANAC domains
//! (`truce_testdata::domains()`; a command that needs them is skipped, saying so, when they are
//! absent). Globs are expanded, `$VARIABLE`s read as 0, and `> FILE` writes standard output to FILE.
//! The commands of one help text or document run in order in one temporary folder, so that a later
//! one can read what an earlier one wrote (`truce convert travel.toml travel-genius`).

use std::path::{Path, PathBuf};

use super::root;

/// The subcommands whose help is read (besides the top level).
const HELPS: [&[&str]; 11] = [
    &[],
    &["check"],
    &["show"],
    &["convert"],
    &["analyze"],
    &["monitor"],
    &["negotiate"],
    &["tournament"],
    &["tournament", "merge"],
    &["agents"],
    &["serve"],
];

fn help(sub: &[&str]) -> String {
    let mut args: Vec<&str> = sub.to_vec();
    args.push("--help");
    let output = assert_cmd::Command::cargo_bin("truce").unwrap().args(&args).output().unwrap();
    assert!(output.status.success(), "truce {}", args.join(" "));
    String::from_utf8(output.stdout).unwrap()
}

/// The `truce ...` command lines of a text: in a help text, the lines of its `Examples:` section; in
/// a document, code-block lines (after an optional `$ `); `\`-continued lines joined.
fn commands(text: &str, in_code_blocks: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut pending: Option<String> = None;
    for line in text.lines() {
        if in_code_blocks && line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_code_blocks {
            if line == "Examples:" {
                in_block = true;
                continue;
            }
            if !line.starts_with(' ') {
                in_block = false;
            }
        }
        if !in_block {
            continue;
        }
        let trimmed = line.trim();
        let command = match pending.take() {
            Some(before) => format!("{before} {trimmed}"),
            None => {
                let t = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
                if !t.starts_with("truce ") && t != "truce" {
                    continue;
                }
                t.to_owned()
            }
        };
        match command.strip_suffix('\\') {
            Some(head) => pending = Some(head.trim_end().to_owned()),
            None => out.push(command),
        }
    }
    out
}

/// Shell words: quotes removed, `$VARIABLE`s read as 0, a comment dropped; and the file after `>`.
fn words(command: &str) -> (Vec<String>, Option<String>) {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    let mut redirect = false;
    let mut target = None;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    w.push(q);
                }
            }
            '$' => {
                while chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_') {
                    chars.next();
                }
                word.get_or_insert_with(String::new).push('0');
            }
            '#' if word.is_none() => break,
            '>' if word.is_none() => redirect = true,
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    if redirect {
                        target = Some(w);
                        redirect = false;
                    } else {
                        words.push(w);
                    }
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        if redirect { target = Some(w) } else { words.push(w) }
    }
    (words, target)
}

/// A path of the documentation as the tests find it; `Err` names what is missing.
fn map(word: &str, domains: Option<&Path>) -> Result<String, String> {
    for prefix in ["../shared/domains/", "path/to/domains/", "path/to/", "domains/"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            let Some(domains) = domains else { return Err("the shared ANAC domains".into()) };
            return Ok(domains.join(rest).display().to_string());
        }
    }
    if word.starts_with("cases/") || word.starts_with("crates/") {
        return Ok(root().join(word).display().to_string());
    }
    Ok(word.to_owned())
}

/// `pattern` (`*`, `?` and `[a-z]` within one component) matched against `name`.
fn matches(pattern: &[char], name: &[char]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some('*'), _) => matches(&pattern[1..], name) || (!name.is_empty() && matches(pattern, &name[1..])),
        (Some('?'), Some(_)) => matches(&pattern[1..], &name[1..]),
        (Some('['), Some(c)) => {
            let Some(end) = pattern.iter().position(|x| *x == ']') else { return false };
            let set = &pattern[1..end];
            let hit = set.windows(3).any(|w| w[1] == '-' && w[0] <= *c && *c <= w[2]) || set.contains(c);
            hit && matches(&pattern[end + 1..], &name[1..])
        }
        (Some(p), Some(c)) => p == c && matches(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// A word with glob characters expanded against the folder `cwd` (sorted), or the word itself.
fn expand(word: &str, cwd: &Path) -> Vec<String> {
    if !word.contains(['*', '?', '[']) {
        return vec![word.to_owned()];
    }
    let absolute = Path::new(word).is_absolute();
    let mut found = vec![if absolute { PathBuf::from("/") } else { cwd.to_path_buf() }];
    for component in word.trim_end_matches('/').split('/').filter(|c| !c.is_empty()) {
        let pattern: Vec<char> = component.chars().collect();
        let mut next = Vec::new();
        for dir in &found {
            if !component.contains(['*', '?', '[']) {
                next.push(dir.join(component));
                continue;
            }
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let mut names: Vec<String> =
                entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            next.extend(
                names
                    .iter()
                    .filter(|n| matches(&pattern, &n.chars().collect::<Vec<_>>()))
                    .map(|n| dir.join(n)),
            );
        }
        found = next;
    }
    if found.is_empty() {
        return vec![word.to_owned()];
    }
    found.into_iter().map(|p| p.display().to_string()).collect()
}

/// Runs the commands of one text in a fresh folder; the failures, each with its output. A command
/// that needs what is absent is skipped, and so is a later one that reads what a skipped one would
/// have written (a word they share, or a glob that matches nothing).
#[allow(clippy::print_stderr)]
fn run_all(source: &str, commands: &[String], domains: Option<&Path>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for command in commands {
        let (words, target) = words(command);
        let mapped: Result<Vec<String>, String> = words[1..].iter().map(|w| map(w, domains)).collect();
        let after_skipped = !skipped.is_empty()
            && words[1..].iter().any(|w| {
                !w.starts_with('-')
                    && (skipped.contains(w) || (w.contains('*') && expand(w, dir.path()) == [w.clone()]))
            });
        let args: Vec<String> = match mapped {
            Ok(_) if after_skipped => {
                eprintln!(
                    "{source}: `{command}` not run: it reads what a command not run would have written"
                );
                continue;
            }
            Ok(args) => args.iter().flat_map(|a| expand(a, dir.path())).collect(),
            Err(missing) => {
                eprintln!("{source}: `{command}` not run: {missing} are absent");
                skipped.extend(words[1..].iter().filter(|w| !w.starts_with('-')).cloned());
                continue;
            }
        };
        if args.first().is_some_and(|a| a == "serve") {
            match serve_briefly(&args, dir.path()) {
                Ok(()) => {}
                Err(Skip::Absent(missing)) => eprintln!("{source}: `{command}` not run: {missing}"),
                Err(Skip::Failed(why)) => failures.push(format!("{source}: `{command}` {why}")),
            }
            continue;
        }
        let output = assert_cmd::Command::cargo_bin("truce")
            .unwrap()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        if let Some(target) = target {
            std::fs::write(dir.path().join(target), &output.stdout).unwrap();
        }
        if !output.status.success() {
            failures.push(format!(
                "{source}: `{command}` exited with {:?}\n{}{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout).chars().take(2000).collect::<String>(),
                String::from_utf8_lossy(&output.stderr).chars().take(2000).collect::<String>()
            ));
        }
    }
    failures
}

enum Skip {
    Absent(String),
    Failed(String),
}

/// Runs a `truce serve` example until it listens, then stops it: on a free loopback port, with its
/// database in `dir` (a PostgreSQL example on `TRUCE_TEST_POSTGRES`, skipped without it).
fn serve_briefly(args: &[String], dir: &Path) -> Result<(), Skip> {
    use std::io::BufRead;
    let mut args: Vec<String> = args.to_vec();
    let mut k = 0;
    while k < args.len() {
        if args[k] == "--addr" || args[k] == "--db" {
            if args[k] == "--db" && args.get(k + 1).is_some_and(|d| d.starts_with("postgres")) {
                match std::env::var("TRUCE_TEST_POSTGRES") {
                    Ok(url) if !url.is_empty() => args[k + 1] = url,
                    _ => return Err(Skip::Absent("TRUCE_TEST_POSTGRES is not set".into())),
                }
                k += 2;
                continue;
            }
            args.drain(k..(k + 2).min(args.len()));
            continue;
        }
        k += 1;
    }
    args.extend(["--addr".into(), "127.0.0.1:0".into()]);
    if !args.iter().any(|a| a == "--db") {
        args.extend(["--db".into(), format!("sqlite://{}", dir.join("truce.db").display())]);
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("truce"))
        .current_dir(dir)
        .args(&args)
        .env("TRUCE_ADMIN_TOKEN", "example-admin-token")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Skip::Failed(format!("did not start: {e}")))?;
    let stdout = child.stdout.take().ok_or_else(|| Skip::Failed("no output".into()))?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let status = child.wait().map_err(|e| Skip::Failed(e.to_string()))?;
    if first.contains("listening on http://127.0.0.1:") {
        Ok(())
    } else {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        Err(Skip::Failed(format!("did not listen ({status}): {first}\n{err}")))
    }
}

#[test]
fn the_command_lines_are_read_as_a_shell_would() {
    let help = "Usage: truce <COMMAND>\n  truce x\nExamples:\n  truce check cases/a.toml --strict\n  truce tournament --agents a,b \\\n      --out r/\nExit codes:\n  truce y";
    assert_eq!(
        commands(help, false),
        ["truce check cases/a.toml --strict", "truce tournament --agents a,b --out r/"]
    );
    let doc = "text truce x\n```sh\n$ truce show cases/a  # comment\ncargo run\n```\ntruce not-code\n";
    assert_eq!(commands(doc, true), ["truce show cases/a  # comment"]);
    let (w, target) = words("truce analyze x --outcome 'a=1, b=2' --json > out.json # why");
    assert_eq!(w, ["truce", "analyze", "x", "--outcome", "a=1, b=2", "--json"]);
    assert_eq!(target.as_deref(), Some("out.json"));
    assert_eq!(words("truce x --shard $SLURM_ARRAY_TASK_ID/32").0[2], "--shard");
    assert_eq!(words("truce x --shard $SLURM_ARRAY_TASK_ID/32").0[3], "0/32");
    let c = |s: &str| s.chars().collect::<Vec<_>>();
    assert!(matches(&c("anac201[0-3]_*"), &c("anac2011_Camera")));
    assert!(!matches(&c("anac201[0-3]_*"), &c("anac2014_10issues")));
    assert!(matches(&c("shard-*"), &c("shard-0")));
}

/// Runs the examples of `sources` (each a name and its command lines), asserting that each exits
/// with 0.
fn check_examples(sources: Vec<(String, Vec<String>)>, at_least: usize) {
    let domains = truce_testdata::domains();
    let count: usize = sources.iter().map(|(_, c)| c.len()).sum();
    let failures: Vec<String> =
        sources.iter().flat_map(|(name, commands)| run_all(name, commands, domains.as_deref())).collect();
    assert!(count >= at_least, "only {count} examples found");
    assert!(
        failures.is_empty(),
        "{} of {count} examples failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_example_in_the_help_runs() {
    let sources = HELPS
        .iter()
        .map(|sub| (format!("truce {} --help", sub.join(" ")), commands(&help(sub), false)))
        .collect();
    check_examples(sources, 20);
}

#[test]
fn every_example_in_the_readme_runs() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    check_examples(vec![("README.md".into(), commands(&text, true))], 8);
}

#[test]
fn every_example_in_the_docs_runs() {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let sources = pages
        .iter()
        .map(|p| (p.display().to_string(), commands(&std::fs::read_to_string(p).unwrap(), true)))
        .collect();
    check_examples(sources, 15);
}

#[test]
fn help_texts_wrap_at_the_terminal_width_without_orphaned_words() {
    for sub in HELPS {
        let mut args: Vec<&str> = sub.to_vec();
        args.push("--help");
        let output = assert_cmd::Command::cargo_bin("truce")
            .unwrap()
            .env("COLUMNS", "80")
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            // Usage lines are clap's, and never wrapped.
            let usage = line.starts_with("Usage:") || line.starts_with("       truce");
            assert!(
                usage || line.chars().count() <= 80,
                "truce {}: a line past 80 columns: {line:?}",
                args.join(" ")
            );
            // A short line inside a paragraph (one that the next line continues) is a sentence broken by
            // a hard line break that the wrapping then broke again.
            let continues = lines.get(k + 1).is_some_and(|next| !next.trim().is_empty());
            let prose = !line.is_empty() && !line.starts_with(' ') && !line.ends_with([':', '.']);
            assert!(
                !(prose && continues && line.chars().count() < 40),
                "truce {}: a sentence broken mid-way: {line:?}",
                args.join(" ")
            );
        }
    }
}
