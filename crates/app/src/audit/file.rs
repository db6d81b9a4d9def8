//! The audit file: JSON lines, each with the SHA-256 of the line before it (`prev_hash`), so
//! an edited, deleted or moved line breaks the chain where it stood. The file is rotated by
//! size as Mattermost's (lumberjack) is: `audit.log` becomes
//! `audit-2026-01-02T15-04-05.000.log` (gzipped with `FileCompress`), and the first line of
//! the new file chains to the last line of the rotated one. `verify` walks the rotated files
//! oldest first, then the current one.
//!
//! The `audit file` service is the only writer: requests queue their records (`record`) and
//! never wait on the disk; it writes on the blocking pool and flushes after each batch.

use super::{FileLine, Pending};
use crate::services::{Run, Service, Stop};
use crate::App;
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Weak;
use tokio::sync::mpsc;

/// `prev_hash` of the first line of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// At most this many queued records are written between two flushes.
const BATCH: usize = 256;

/// The file `FileName` names (empty: `audit.log`).
pub fn configured_path(config: &utmost_config::Config) -> PathBuf {
    let name = &config.experimental_audit_settings.file_name;
    if name.is_empty() {
        PathBuf::from("audit.log")
    } else {
        PathBuf::from(name)
    }
}

/// The hex SHA-256 of one line (without its newline).
pub fn line_hash(line: &[u8]) -> String {
    hex::encode(Sha256::digest(line))
}

/// `audit` and `.log` of `…/audit.log`.
/// Was `file` last written more than `max_age` ago? (Unknown: no.)
pub(crate) fn older_than(file: &Path, max_age: std::time::Duration) -> bool {
    fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > max_age)
}

/// The name a full file is moved to: `<stem>-<UTC time to the millisecond><ext>` beside it
/// (lumberjack's). Names sort by time, so a second rotation within the same millisecond waits
/// for the next one.
pub(crate) fn rotation_target(path: &Path) -> PathBuf {
    let (stem, ext) = stem_and_ext(path);
    let dir = dir_of(path);
    loop {
        let stamp = chrono::Utc::now()
            .format("%Y-%m-%dT%H-%M-%S%.3f")
            .to_string();
        let target = dir.join(format!("{stem}-{stamp}{ext}"));
        if !target.exists() && !dir.join(format!("{stem}-{stamp}{ext}.gz")).exists() {
            return target;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

pub(crate) fn stem_and_ext(path: &Path) -> (String, String) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (stem, ext)
}

pub(crate) fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The rotated files of `path`, oldest first (their names carry the rotation time).
pub fn rotated_files(path: &Path) -> Vec<PathBuf> {
    let (stem, ext) = stem_and_ext(path);
    let prefix = format!("{stem}-");
    let Ok(entries) = fs::read_dir(dir_of(path)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.starts_with(&prefix)
                && (name.ends_with(&ext) || name.ends_with(&format!("{ext}.gz")))
                && name.len() > prefix.len() + ext.len()
                && name[prefix.len()..].starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    found.sort();
    found
}

/// Every file of the chain, oldest first: the rotated ones, then `path` if it exists.
pub fn chain_files(path: &Path) -> Vec<PathBuf> {
    let mut files = rotated_files(path);
    if path.exists() {
        files.push(path.to_path_buf());
    }
    files
}

/// A file's lines as written (a rotated file may be gzipped).
fn open_lines(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let file = File::open(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::new(flate2::read::GzDecoder::new(file))))
    } else {
        Ok(Box::new(BufReader::new(file)))
    }
}

/// The last complete line of a file, if any.
fn last_line(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    if path.extension().is_some_and(|e| e == "gz") {
        let mut last = None;
        for line in open_lines(path)?.split(b'\n') {
            let line = line?;
            if !line.is_empty() {
                last = Some(line);
            }
        }
        return Ok(last);
    }
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    // Read backwards in growing windows until a whole last line is in one.
    let mut window: u64 = 64 * 1024;
    loop {
        let start = len.saturating_sub(window);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail)?;
        while tail.last() == Some(&b'\n') {
            tail.pop();
        }
        if tail.is_empty() {
            return Ok(None);
        }
        match tail.iter().rposition(|b| *b == b'\n') {
            Some(i) => return Ok(Some(tail[i + 1..].to_vec())),
            None if start == 0 => return Ok(Some(tail)),
            None => window = window.saturating_mul(4),
        }
    }
}

/// Where the chain stands: the next sequence number and the hash the next line carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub next_seq: u64,
    pub prev_hash: String,
}

/// The head of the chain written so far under `path` (an empty one when nothing is).
pub fn chain_head(path: &Path) -> std::io::Result<ChainHead> {
    for file in chain_files(path).iter().rev() {
        if let Some(line) = last_line(file)? {
            let seq = serde_json::from_slice::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["seq"].as_u64())
                .unwrap_or(0);
            return Ok(ChainHead {
                next_seq: seq + 1,
                prev_hash: line_hash(&line),
            });
        }
    }
    Ok(ChainHead {
        next_seq: 1,
        prev_hash: GENESIS.to_string(),
    })
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds. `first_seq` above 1 means older files were deleted (by
    /// `FileMaxBackups`/`FileMaxAgeDays`): the first line's own link cannot be checked.
    Ok {
        records: u64,
        files: usize,
        first_seq: u64,
    },
    /// The first broken link: `line` (1-based) of `file` does not follow the line before it.
    Broken {
        file: PathBuf,
        line: u64,
        reason: String,
    },
}

/// Walks every file of the chain in order and checks each line's link to the one before.
pub fn verify(path: &Path) -> std::io::Result<Verdict> {
    let files = chain_files(path);
    let mut prev: Option<(String, u64)> = None;
    let mut records = 0u64;
    let mut first_seq = 0u64;
    for file in &files {
        for (index, line) in open_lines(file)?.split(b'\n').enumerate() {
            let line = line?;
            let number = index as u64 + 1;
            let broken = |reason: String| Verdict::Broken {
                file: file.clone(),
                line: number,
                reason,
            };
            if line.is_empty() {
                return Ok(broken("an empty line".into()));
            }
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) else {
                return Ok(broken("not a JSON record".into()));
            };
            let (Some(seq), Some(prev_hash)) = (value["seq"].as_u64(), value["prev_hash"].as_str())
            else {
                return Ok(broken("no seq or prev_hash".into()));
            };
            match &prev {
                None => {
                    first_seq = seq;
                    if seq == 1 && prev_hash != GENESIS {
                        return Ok(broken("the first record does not start the chain".into()));
                    }
                }
                Some((hash, prev_seq)) => {
                    if prev_hash != hash {
                        return Ok(broken(
                            "its prev_hash is not the hash of the line before it (that line was edited, or lines were removed or moved here)"
                                .into(),
                        ));
                    }
                    if seq != prev_seq + 1 {
                        return Ok(broken(format!("seq {seq} follows seq {prev_seq}")));
                    }
                }
            }
            prev = Some((line_hash(&line), seq));
            records += 1;
        }
    }
    Ok(Verdict::Ok {
        records,
        files: files.len(),
        first_seq,
    })
}

/// The writer's open file and the chain's head.
struct Writer {
    path: PathBuf,
    file: File,
    size: u64,
    head: ChainHead,
}

impl Writer {
    fn open(path: &Path) -> std::io::Result<Writer> {
        let dir = dir_of(path);
        fs::create_dir_all(&dir)?;
        let head = chain_head(path)?;
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        Ok(Writer {
            path: path.to_path_buf(),
            file,
            size,
            head,
        })
    }

    /// Writes a batch and flushes it; rotates first whenever a line would pass the limit.
    fn write(
        &mut self,
        batch: Vec<Pending>,
        settings: &utmost_config::ExperimentalAuditSettings,
    ) -> std::io::Result<()> {
        let max = u64::try_from(settings.file_max_size_mb.max(1))
            .unwrap_or(100)
            .saturating_mul(1024 * 1024);
        self.write_within(batch, max, settings)
    }

    /// `write` with the rotation size in bytes.
    fn write_within(
        &mut self,
        batch: Vec<Pending>,
        max: u64,
        settings: &utmost_config::ExperimentalAuditSettings,
    ) -> std::io::Result<()> {
        for pending in batch {
            let line = FileLine {
                seq: self.head.next_seq,
                timestamp: timestamp(pending.create_at),
                id: pending.id,
                event_name: pending.record.event_name,
                status: pending.record.status,
                actor: pending.record.actor,
                meta: pending.record.meta,
                event: pending.record.event,
                error: pending.record.error,
                prev_hash: self.head.prev_hash.clone(),
            };
            let mut bytes = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
            if self.size > 0 && self.size + bytes.len() as u64 + 1 > max {
                self.file.flush()?;
                self.rotate(settings)?;
            }
            self.head = ChainHead {
                next_seq: line.seq + 1,
                prev_hash: line_hash(&bytes),
            };
            bytes.push(b'\n');
            self.file.write_all(&bytes)?;
            self.size += bytes.len() as u64;
        }
        self.file.flush()
    }

    /// Moves the full file aside under its rotation time, starts a new one, then compresses
    /// and prunes the rotated files as configured.
    fn rotate(
        &mut self,
        settings: &utmost_config::ExperimentalAuditSettings,
    ) -> std::io::Result<()> {
        let target = rotation_target(&self.path);
        fs::rename(&self.path, &target)?;
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.size = 0;
        if settings.file_compress {
            compress(&target)?;
        }
        prune(&self.path, settings);
        Ok(())
    }
}

/// Gzips a rotated file in place of the plain one.
pub(crate) fn compress(path: &Path) -> std::io::Result<()> {
    let mut gz_name = path.as_os_str().to_os_string();
    gz_name.push(".gz");
    let gz_path = PathBuf::from(gz_name);
    let mut input = File::open(path)?;
    let output = File::create(&gz_path)?;
    let mut encoder = flate2::write::GzEncoder::new(output, flate2::Compression::default());
    std::io::copy(&mut input, &mut encoder)?;
    encoder.finish()?.sync_all()?;
    fs::remove_file(path)
}

/// Deletes the rotated files past `FileMaxBackups` or older than `FileMaxAgeDays`.
fn prune(path: &Path, settings: &utmost_config::ExperimentalAuditSettings) {
    let mut rotated = rotated_files(path);
    if settings.file_max_backups > 0 {
        let keep = usize::try_from(settings.file_max_backups).unwrap_or(usize::MAX);
        while rotated.len() > keep {
            let oldest = rotated.remove(0);
            if let Err(e) = fs::remove_file(&oldest) {
                tracing::warn!(file = %oldest.display(), error = %e, "could not delete an old audit file");
            }
        }
    }
    if settings.file_max_age_days > 0 {
        let max_age = std::time::Duration::from_secs(
            u64::try_from(settings.file_max_age_days).unwrap_or(0) * 24 * 60 * 60,
        );
        for file in rotated {
            if older_than(&file, max_age) {
                if let Err(e) = fs::remove_file(&file) {
                    tracing::warn!(file = %file.display(), error = %e, "could not delete an old audit file");
                }
            }
        }
    }
}

fn timestamp(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The `audit file` service: writes what `record` queued, in order.
pub(crate) struct AuditFileWriter {
    pub app: Weak<App>,
    pub queue: mpsc::Receiver<Pending>,
}

impl AuditFileWriter {
    /// Writes one batch on the blocking pool, opening (or reopening, after `FileName`
    /// changed) the file first. A batch that cannot be written is logged and lost.
    async fn write(&self, writer: &mut Option<Writer>, batch: Vec<Pending>) {
        let Some(app) = self.app.upgrade() else {
            return;
        };
        let config = app.config();
        drop(app);
        let path = configured_path(&config);
        let settings = config.experimental_audit_settings.clone();
        let current = writer.take().filter(|w| w.path == path);
        let count = batch.len();
        let result = tokio::task::spawn_blocking(move || {
            let mut w = match current {
                Some(w) => w,
                None => Writer::open(&path)?,
            };
            w.write(batch, &settings).map(|()| w)
        })
        .await;
        match result {
            Ok(Ok(w)) => *writer = Some(w),
            Ok(Err(e)) => {
                tracing::error!(error = %e, records = count, "could not write the audit file");
            }
            Err(e) => tracing::error!(error = %e, records = count, "the audit file writer failed"),
        }
    }
}

impl Service for AuditFileWriter {
    fn name(&self) -> &'static str {
        "audit file"
    }

    fn run(mut self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut writer: Option<Writer> = None;
            loop {
                let first = tokio::select! {
                    () = stop.requested() => None,
                    next = self.queue.recv() => next,
                };
                let Some(first) = first else {
                    break;
                };
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match self.queue.try_recv() {
                        Ok(p) => batch.push(p),
                        Err(_) => break,
                    }
                }
                self.write(&mut writer, batch).await;
            }
            // What was queued before the stop is written.
            self.queue.close();
            let mut rest = Vec::new();
            while let Ok(p) = self.queue.try_recv() {
                rest.push(p);
            }
            if !rest.is_empty() {
                self.write(&mut writer, rest).await;
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::audit::{Actor, AuditRecord, ErrorData, EventData, Meta, Status};

    fn pending(n: usize) -> Pending {
        Pending {
            id: format!("id{n}"),
            create_at: 1_700_000_000_000 + n as i64,
            record: AuditRecord {
                event_name: "login".into(),
                status: Status::Success,
                actor: Actor {
                    user_id: format!("user{n}"),
                    ..Actor::default()
                },
                meta: Meta::default(),
                event: EventData::default(),
                error: ErrorData::default(),
            },
        }
    }

    fn temp_log() -> PathBuf {
        std::env::temp_dir()
            .join(format!("utmost-audit-unit-{}", utmost_model::new_id()))
            .join("audit.log")
    }

    fn all_lines(path: &Path) -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        for file in chain_files(path) {
            for line in open_lines(&file).unwrap().split(b'\n') {
                lines.push(line.unwrap());
            }
        }
        lines
    }

    #[test]
    fn the_chain_survives_rotation_compression_and_a_restart() {
        let path = temp_log();
        let settings = utmost_config::ExperimentalAuditSettings {
            file_compress: true,
            ..Default::default()
        };
        let mut writer = Writer::open(&path).unwrap();
        writer
            .write_within((1..=10).map(pending).collect(), 1500, &settings)
            .unwrap();
        // A new writer (a restart) carries on from the last line written.
        let mut writer = Writer::open(&path).unwrap();
        writer
            .write_within((11..=20).map(pending).collect(), 1500, &settings)
            .unwrap();
        let rotated = rotated_files(&path);
        assert!(rotated.len() >= 2, "{rotated:?}");
        assert!(rotated
            .iter()
            .all(|f| f.extension().is_some_and(|e| e == "gz")));
        assert_eq!(
            verify(&path).unwrap(),
            Verdict::Ok {
                records: 20,
                files: rotated.len() + 1,
                first_seq: 1
            }
        );
        let lines = all_lines(&path);
        let seqs: Vec<u64> = lines
            .iter()
            .map(|l| serde_json::from_slice::<FileLine>(l).unwrap().seq)
            .collect();
        assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }

    #[test]
    fn reordered_and_pruned_files() {
        let path = temp_log();
        let settings = utmost_config::ExperimentalAuditSettings::default();
        let mut writer = Writer::open(&path).unwrap();
        writer
            .write_within((1..=5).map(pending).collect(), u64::MAX, &settings)
            .unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(1, 2);
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        match verify(&path).unwrap() {
            Verdict::Broken { line, .. } => assert_eq!(line, 2),
            ok => panic!("a reordered file verified: {ok:?}"),
        }
        fs::remove_dir_all(path.parent().unwrap()).unwrap();

        // Backups beyond FileMaxBackups go; the chain then starts at the first line left.
        let path = temp_log();
        let settings = utmost_config::ExperimentalAuditSettings {
            file_max_backups: 1,
            ..Default::default()
        };
        let mut writer = Writer::open(&path).unwrap();
        for n in 1..=12 {
            writer
                .write_within(vec![pending(n)], 1200, &settings)
                .unwrap();
        }
        assert_eq!(rotated_files(&path).len(), 1);
        match verify(&path).unwrap() {
            Verdict::Ok { first_seq, .. } => assert!(first_seq > 1),
            broken => panic!("{broken:?}"),
        }
        fs::remove_dir_all(path.parent().unwrap()).unwrap();
    }
}
