//! Where an import's lines and files come from: a `.jsonl` file (its attachments relative
//! to the file's own directory) or a zip holding one `.jsonl` and the files under `data/`,
//! as `mmctl export` writes it (`model.ExportDataDir`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The directory of a zip that attachment, emoji and profile image paths are relative to.
pub const DATA_DIR: &str = "data";
/// The name of the JSONL in a zip Utmost writes (Mattermost's exporter's name).
pub const JSONL_NAME: &str = "import.jsonl";
/// Lines read ahead of the importer.
const READ_AHEAD: usize = 1024;
/// The longest line read; a longer one is reported as bad rather than held in memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} is not a readable zip: {1}")]
    Zip(String, zip::result::ZipError),
    #[error("{0} holds no .jsonl file")]
    NoJsonl(String),
    #[error("the file must be a .jsonl or a .zip")]
    Kind,
}

#[derive(Clone)]
pub enum Source {
    Jsonl(PathBuf),
    Zip {
        path: PathBuf,
        archive: Arc<Mutex<zip::ZipArchive<File>>>,
        jsonl: String,
    },
}

/// One line read: its number (from 1) and text, or why it could not be read.
pub type ReadLine = (usize, Result<String, String>);

impl Source {
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        let shown = path.display().to_string();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "jsonl" => {
                File::open(path).map_err(|e| SourceError::Io(shown, e))?;
                Ok(Source::Jsonl(path.to_path_buf()))
            }
            "zip" => {
                let file = File::open(path).map_err(|e| SourceError::Io(shown.clone(), e))?;
                let archive =
                    zip::ZipArchive::new(file).map_err(|e| SourceError::Zip(shown.clone(), e))?;
                let names: Vec<String> = archive
                    .file_names()
                    .filter_map(|n| n.ok().map(|n| n.into_owned()))
                    .filter(|n| n.ends_with(".jsonl"))
                    .collect();
                // One at the top level first, as Mattermost looks.
                let jsonl = names
                    .iter()
                    .filter(|n| !n.contains('/'))
                    .min()
                    .or_else(|| names.iter().min())
                    .cloned()
                    .ok_or(SourceError::NoJsonl(shown))?;
                Ok(Source::Zip {
                    path: path.to_path_buf(),
                    archive: Arc::new(Mutex::new(archive)),
                    jsonl,
                })
            }
            _ => Err(SourceError::Kind),
        }
    }

    /// The lines, read on a blocking thread a bounded distance ahead of the reader.
    pub fn lines(&self) -> mpsc::Receiver<ReadLine> {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let source = self.clone();
        tokio::task::spawn_blocking(move || {
            let send = |line: ReadLine| tx.blocking_send(line).is_ok();
            let read = |reader: &mut dyn BufRead| read_lines(reader, &send);
            let outcome = match &source {
                Source::Jsonl(path) => File::open(path)
                    .map_err(|e| e.to_string())
                    .map(|f| read(&mut BufReader::new(f))),
                // An archive of its own: the shared one serves file reads meanwhile.
                Source::Zip { path, jsonl, .. } => File::open(path)
                    .map_err(|e| e.to_string())
                    .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()))
                    .and_then(|mut archive| {
                        let entry = archive.by_name(jsonl).map_err(|e| e.to_string())?;
                        read(&mut BufReader::new(entry));
                        Ok(())
                    }),
            };
            if let Err(e) = outcome {
                send((0, Err(e)));
            }
        });
        rx
    }

    /// The bytes of a file the lines name (`path` relative to `data/`, or to the `.jsonl`'s
    /// directory), at most `max` of them; `Err` says why not.
    pub async fn read_data(&self, path: &str, max: u64) -> Result<Vec<u8>, String> {
        let relative = safe_relative(path).ok_or_else(|| format!("bad path {path:?}"))?;
        let source = self.clone();
        let path = path.to_string();
        tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            let read = |r: &mut dyn Read, bytes: &mut Vec<u8>| {
                r.take(max + 1)
                    .read_to_end(bytes)
                    .map_err(|e| e.to_string())
            };
            match &source {
                Source::Jsonl(file) => {
                    let dir = file.parent().unwrap_or(Path::new("."));
                    let mut f = File::open(dir.join(&relative))
                        .map_err(|e| format!("{}: {e}", relative.display()))?;
                    read(&mut f, &mut bytes)?;
                }
                Source::Zip { archive, .. } => {
                    let name = format!("{DATA_DIR}/{}", relative.to_string_lossy());
                    let mut archive = archive.lock().unwrap_or_else(|e| e.into_inner());
                    let mut entry = archive
                        .by_name(&name)
                        .map_err(|e| format!("{name} in the zip: {e}"))?;
                    read(&mut entry, &mut bytes)?;
                }
            }
            if bytes.len() as u64 > max {
                return Err(format!("{path} is larger than {max} bytes"));
            }
            Ok(bytes)
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Whether a file the lines name is there (without reading it).
    pub fn has_data(&self, path: &str) -> bool {
        let Some(relative) = safe_relative(path) else {
            return false;
        };
        match self {
            Source::Jsonl(file) => file
                .parent()
                .unwrap_or(Path::new("."))
                .join(relative)
                .is_file(),
            Source::Zip { archive, .. } => {
                let name = format!("{DATA_DIR}/{}", relative.to_string_lossy());
                let archive = archive.lock().unwrap_or_else(|e| e.into_inner());
                archive.index_for_name(&name).is_some()
            }
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Source::Jsonl(path) | Source::Zip { path, .. } => path,
        }
    }
}

/// Reads `reader` line by line into `send` (until it refuses); a line longer than
/// [`MAX_LINE_BYTES`] or not UTF-8 is sent as an error.
fn read_lines(reader: &mut dyn BufRead, send: &dyn Fn(ReadLine) -> bool) {
    let mut number = 0;
    loop {
        number += 1;
        let mut buf = Vec::new();
        let read = reader
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf);
        let line = match read {
            Ok(0) => return,
            Err(e) => {
                send((number, Err(e.to_string())));
                return;
            }
            Ok(_) if buf.len() > MAX_LINE_BYTES => {
                send((
                    number,
                    Err(format!("line longer than {MAX_LINE_BYTES} bytes")),
                ));
                return;
            }
            Ok(_) => String::from_utf8(buf).map_err(|_| "line is not UTF-8".to_string()),
        };
        if !send((number, line)) {
            return;
        }
    }
}

/// `path` if it stays inside its directory (no `..`, not absolute).
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let safe = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    safe.then(|| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_may_not_leave_the_data_directory() {
        assert!(safe_relative("a/b.png").is_some());
        for bad in ["", "/etc/passwd", "../x", "a/../../x"] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }
}
