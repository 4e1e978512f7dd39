//! `truce convert`.

use super::truce;

/// A converter run into a fresh folder, with the folder's path replaced by `<OUT>` in its output.
fn convert(input: &str, output: &str, extra: &[&str]) -> (i32, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(output);
    let out_text = out.to_string_lossy().into_owned();
    let mut args = vec!["convert", input, &out_text];
    args.extend_from_slice(extra);
    let run = truce(&args);
    let tmp = dir.path().to_string_lossy().into_owned();
    (run.code, run.stdout.replace(&tmp, "<OUT>"), run.stderr.replace(&tmp, "<OUT>"), dir)
}

#[test]
fn genius_to_geniusweb_lists_the_files_and_the_warnings() {
    let (code, stdout, stderr, _dir) =
        convert("crates/truce-formats/tests/data/genius/small", "small-gw", &["--to", "geniusweb"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("convert_genius_to_geniusweb_stdout", stdout);
    insta::assert_snapshot!("convert_genius_to_geniusweb_stderr", stderr);
}

#[test]
fn the_json_summary_names_formats_and_files() {
    let (code, stdout, _, _dir) =
        convert("crates/truce-formats/tests/data/geniusweb/lease", "lease.toml", &["--json"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("convert_json_summary", stdout);
}

#[test]
fn a_case_that_cannot_be_read_exits_with_2_and_writes_nothing() {
    let (code, stdout, stderr, dir) =
        convert("crates/truce-formats/tests/data/case/bad/malformed.toml", "out", &[]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("error["), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn writing_into_the_input_is_refused() {
    let input = "crates/truce-formats/tests/data/genius/small";
    let run = truce(&["convert", input, "crates/truce-formats/tests/data/genius/small/out.toml"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: crates/truce-formats/tests/data/genius/small/out.toml is an input (inside, or the same \
         file as one in, the folder crates/truce-formats/tests/data/genius/small): writing it would \
         overwrite it; choose another output path\n"
    );
}

#[test]
fn a_phased_case_is_refused_unless_flattened_and_the_warning_says_what_is_folded_and_lost() {
    let (code, _, stderr, dir) = convert("cases/gaza-2024", "gaza-gw", &["--to", "geniusweb"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("truce convert --flatten"), "the refusal names the way out: {stderr}");
    assert!(!dir.path().join("gaza-gw").join("israel.json").exists());
    let (code, stdout, stderr, dir) =
        convert("cases/gaza-2024", "gaza-gw", &["--to", "geniusweb", "--flatten"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("israel.json") && stdout.contains("hamas.json"), "{stdout}");
    assert!(stderr.contains("warning[flattened]: 3 phase(s) folded into one profile per party"), "{stderr}");
    assert!(stderr.contains("`israel`'s beliefs depend on an issue's value"), "{stderr}");
    assert!(stderr.contains("the provisions (days, schedules, rates, conditions) of"), "{stderr}");
    assert!(stderr.contains("2 constituenc(ies) and their approval rules"), "{stderr}");
    // What was written reads back.
    let back = truce(&["check", &dir.path().join("gaza-gw").to_string_lossy()]);
    assert_eq!(back.code, 0, "{}", back.stderr);
}
