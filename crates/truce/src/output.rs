//! Where a front end may write: an output path is refused when writing it would overwrite an input.
//!
//! An output clashes with an input when it is the input (its path, or, after resolving symbolic
//! links, the same path), lies inside an input folder, or is the *same file* as the input or as any
//! file under an input folder: the same device and inode, so that a hard link (`ln case.toml
//! out.svg`) is caught as surely as a symbolic one. Every front end calls [`refuse_overwrite`] before
//! it writes, so none can replace a case with a report.

use std::path::{Path, PathBuf};

use crate::Error;

/// Files looked at under an input folder when searching for a hard link to the output: a case or
/// domain folder holds far fewer; past this the search stops (the path checks still apply).
const MAX_FILES_SEARCHED: usize = 100_000;

/// Refuses `output` (the value of the parameter `parameter`, e.g. `"svg"`) when writing it would
/// overwrite one of `inputs` (files or folders read) or a file inside one: see the module's
/// documentation. An output that does not exist yet clashes only by its path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let case = dir.path().join("case.toml");
/// std::fs::write(&case, "[case]\n").unwrap();
/// let link = dir.path().join("out.svg");
/// std::fs::hard_link(&case, &link).unwrap();
/// let error = truce::refuse_overwrite("svg", &link, &[&case]).unwrap_err();
/// assert_eq!(error.parameter_name(), Some("svg"));
/// assert!(truce::refuse_overwrite("svg", &dir.path().join("new.svg"), &[&case]).is_ok());
/// ```
///
/// # Errors
/// A parameter error naming `parameter`, the output and the input it would overwrite.
pub fn refuse_overwrite(parameter: &'static str, output: &Path, inputs: &[&Path]) -> Result<(), Error> {
    let out = resolve(output);
    let identity = file_identity(output);
    for input in inputs {
        let resolved = resolve(input);
        let is_dir = resolved.is_dir();
        let clash = out == resolved
            || (is_dir && out.starts_with(&resolved))
            || identity.is_some_and(|id| same_file_under(input, is_dir, id));
        if clash {
            return Err(Error::parameter(
                parameter,
                format!(
                    "{} is an input ({} {}): writing it would overwrite it; choose another output path",
                    output.display(),
                    if is_dir {
                        "inside, or the same file as one in, the folder"
                    } else {
                        "the same file as"
                    },
                    input.display()
                ),
            ));
        }
    }
    Ok(())
}

/// `path` made absolute with its symbolic links resolved as far as it exists (an output that does
/// not exist yet resolves through its parent folder).
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// The device and inode of an existing file (links followed); `None` elsewhere or off Unix.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether the file `id` is `input` itself or a file under the folder `input` (folders found
/// through symbolic links are not entered, so the walk ends).
fn same_file_under(input: &Path, is_dir: bool, id: (u64, u64)) -> bool {
    if !is_dir {
        return file_identity(input) == Some(id);
    }
    let mut stack = vec![input.to_path_buf()];
    let mut seen = 0usize;
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.filter_map(Result::ok) {
            seen += 1;
            if seen > MAX_FILES_SEARCHED {
                return false;
            }
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(entry.path());
            } else if file_identity(&entry.path()) == Some(id) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_refused_when_it_is_an_input_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("domain");
        std::fs::create_dir(&folder).unwrap();
        let profile = folder.join("buyer.xml");
        std::fs::write(&profile, "<x/>").unwrap();
        let hard = dir.path().join("plot.svg");
        std::fs::hard_link(&profile, &hard).unwrap();
        let refused = |out: &Path, input: &Path| refuse_overwrite("out", out, &[input]).is_err();
        assert!(refused(&profile, &profile), "the input itself");
        assert!(refused(&hard, &profile), "a hard link to the input");
        assert!(refused(&hard, &folder), "a hard link to a file in the input folder");
        assert!(refused(&folder.join("new.svg"), &folder), "a new file inside the input folder");
        assert!(refused(&dir.path().join("domain/../domain/buyer.xml"), &profile), "another spelling");
        assert!(!refused(&dir.path().join("new.svg"), &folder), "a new file elsewhere");
        std::fs::write(dir.path().join("other.svg"), "").unwrap();
        assert!(!refused(&dir.path().join("other.svg"), &folder), "an unrelated existing file");
        #[cfg(unix)]
        {
            let soft = dir.path().join("soft.svg");
            std::os::unix::fs::symlink(&profile, &soft).unwrap();
            assert!(refused(&soft, &profile), "a symbolic link to the input");
        }
    }
}
