//! The one way the readers read a file from disk: a regular file only (a FIFO, a socket or a device
//! would block or never end, so each is refused with the path), and never more than
//! [`MAX_FILE_BYTES`], whatever the file claims its size is.

use std::io::Read;
use std::path::Path;

use crate::Diagnostic;

/// The largest file any reader reads (64 MiB): larger files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of the regular file `path`, at most [`MAX_FILE_BYTES`] of them.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::error("io", path, format!("cannot read: {e}"));
    // `metadata` follows symbolic links, so a link to a regular file is read and a link to a FIFO
    // is refused; checking before opening matters, as opening a FIFO blocks until a writer comes.
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(not_regular(path, &metadata));
    }
    too_large(path, metadata.len())?;
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may have grown since: read one byte past the limit to tell.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    too_large(path, bytes.len() as u64)?;
    Ok(bytes)
}

/// Refuses a path that is neither a regular file nor a folder where a reader expects files.
pub(crate) fn not_regular(path: &Path, metadata: &std::fs::Metadata) -> Diagnostic {
    Diagnostic::error(
        "not-a-file",
        path,
        format!(
            "{} is a {}, not a regular file: Truce reads only regular files",
            path.display(),
            kind(metadata)
        ),
    )
    .with_hint("move it out of the case folder, or give the file it stands for")
}

fn kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "named pipe (FIFO)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "device";
        }
    }
    if metadata.is_dir() { "folder" } else { "special file" }
}

fn too_large(path: &Path, size: u64) -> Result<(), Diagnostic> {
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            path,
            format!("the file is {size} bytes or more; Truce reads files of at most {MAX_FILE_BYTES} bytes (64 MiB)"),
        )
        .with_hint("split the case into a folder of smaller files"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_and_a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "x = 1\n").unwrap();
        assert_eq!(read_bytes(&file).unwrap(), b"x = 1\n");
        let err = read_bytes(dir.path()).unwrap_err();
        assert_eq!(err.code, "not-a-file");
        assert!(err.message.contains("folder"), "{}", err.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success(), "mkfifo failed");
        let err = read_bytes(&fifo).unwrap_err();
        assert_eq!(err.code, "not-a-file");
        assert!(err.message.contains("FIFO"), "{}", err.message);
    }
}
