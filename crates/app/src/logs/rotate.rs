//! The log file rotated by size as Mattermost's is (lumberjack): `mattermost.log` becomes
//! `mattermost-2026-01-02T15-04-05.000.log` when the next line would pass the limit, then
//! the rotated file is gzipped and the backups past the count or age are deleted. The names
//! and the gzip are the audit file's (`audit::file`), so both rotate alike.

use crate::audit::file::{compress, dir_of, older_than, rotated_files, rotation_target};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the file rotates (`LogSettings.FileMaxSizeMB`, `FileMaxBackups`, `FileMaxAgeDays`,
/// `FileCompress`; Mattermost's fixed values by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// A file grows up to this many bytes.
    pub max_bytes: u64,
    /// Rotated files kept (0: every one).
    pub max_backups: usize,
    /// Rotated files older than this are deleted (`None`: none for its age).
    pub max_age: Option<Duration>,
    pub compress: bool,
}

impl Rotation {
    pub fn from_settings(settings: &utmost_config::LogSettings) -> Rotation {
        let days = u64::try_from(settings.file_max_age_days).unwrap_or(0);
        Rotation {
            max_bytes: u64::try_from(settings.file_max_size_mb.max(1))
                .unwrap_or(100)
                .saturating_mul(1024 * 1024),
            max_backups: usize::try_from(settings.file_max_backups).unwrap_or(0),
            max_age: (days > 0).then(|| Duration::from_secs(days * 24 * 60 * 60)),
            compress: settings.file_compress,
        }
    }
}

/// The open log file and its size.
pub struct RotatingFile {
    path: PathBuf,
    file: File,
    size: u64,
}

impl RotatingFile {
    /// Opens (creating it and its directory) the file to append to; owner-only, as
    /// Mattermost's (0600).
    pub fn open(path: &Path) -> std::io::Result<RotatingFile> {
        fs::create_dir_all(dir_of(path))?;
        let file = append(path)?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            path: path.to_path_buf(),
            file,
            size,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one whole line (with its newline), rotating first when it would pass
    /// `max_bytes`. Returns the file just rotated away, which `settle` then compresses and
    /// prunes (off the logging thread: gzipping 100 MB takes a while).
    pub fn write_line(
        &mut self,
        line: &[u8],
        rotation: &Rotation,
    ) -> std::io::Result<Option<PathBuf>> {
        let mut rotated = None;
        let len = line.len() as u64;
        if self.size > 0 && self.size.saturating_add(len) > rotation.max_bytes {
            rotated = Some(self.rotate()?);
        }
        // One write per line: with O_APPEND a line is never split by another writer's.
        self.file.write_all(line)?;
        self.size += len;
        Ok(rotated)
    }

    /// Moves the full file aside under its rotation time and starts a new one.
    fn rotate(&mut self) -> std::io::Result<PathBuf> {
        let target = rotation_target(&self.path);
        fs::rename(&self.path, &target)?;
        self.file = append(&self.path)?;
        self.size = 0;
        Ok(target)
    }
}

fn append(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// What follows a rotation: the rotated file gzipped (with `compress`), then the backups of
/// `path` past `max_backups` or older than `max_age` deleted, oldest first.
pub fn settle(path: &Path, rotated: &Path, rotation: &Rotation) -> std::io::Result<()> {
    if rotation.compress {
        compress(rotated)?;
    }
    let mut backups = rotated_files(path);
    if rotation.max_backups > 0 {
        while backups.len() > rotation.max_backups {
            fs::remove_file(backups.remove(0))?;
        }
    }
    if let Some(max_age) = rotation.max_age {
        for file in backups {
            if older_than(&file, max_age) {
                fs::remove_file(&file)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn temp_log() -> PathBuf {
        std::env::temp_dir()
            .join(format!("utmost-log-unit-{}", utmost_model::new_id()))
            .join("mattermost.log")
    }

    #[test]
    fn rotates_at_the_size_limit_and_keeps_the_newest_backups() {
        let path = temp_log();
        let rotation = Rotation {
            max_bytes: 100,
            max_backups: 2,
            max_age: None,
            compress: true,
        };
        let mut file = RotatingFile::open(&path).unwrap();
        let mut rotations = 0;
        for n in 0..20 {
            // 25 bytes a line: four lines fill a file.
            let line = format!("{{\"msg\":\"line number {n:02}\"}}\n");
            assert_eq!(line.len(), 25);
            if let Some(rotated) = file.write_line(line.as_bytes(), &rotation).unwrap() {
                rotations += 1;
                settle(&path, &rotated, &rotation).unwrap();
            }
        }
        assert_eq!(rotations, 4);
        // The current file holds the last four lines, no file ever passed the limit.
        let current = fs::read_to_string(&path).unwrap();
        assert_eq!(current.lines().count(), 4);
        assert!(current.contains("line number 19"));
        let backups = rotated_files(&path);
        assert_eq!(backups.len(), 2, "{backups:?}");
        assert!(backups
            .iter()
            .all(|b| b.extension().is_some_and(|e| e == "gz")));
        // The two kept are the newest: lines 8 to 15.
        let mut text = String::new();
        for backup in &backups {
            let mut gz = flate2::read::GzDecoder::new(File::open(backup).unwrap());
            std::io::Read::read_to_string(&mut gz, &mut text).unwrap();
        }
        let numbers: Vec<&str> = text.lines().collect();
        assert_eq!(numbers.len(), 8);
        assert!(numbers[0].contains("line number 08"), "{numbers:?}");
        assert!(numbers[7].contains("line number 15"), "{numbers:?}");
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn without_a_backup_limit_every_rotated_file_stays() {
        let path = temp_log();
        let rotation = Rotation {
            max_bytes: 10,
            max_backups: 0,
            max_age: None,
            compress: false,
        };
        let mut file = RotatingFile::open(&path).unwrap();
        for _ in 0..5 {
            if let Some(rotated) = file.write_line(b"0123456789\n", &rotation).unwrap() {
                settle(&path, &rotated, &rotation).unwrap();
            }
        }
        assert_eq!(rotated_files(&path).len(), 4);
        // A reopened file carries on at its size.
        let mut again = RotatingFile::open(&path).unwrap();
        assert!(again.write_line(b"x\n", &rotation).unwrap().is_some());
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
