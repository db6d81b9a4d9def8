//! `utmost backup verify DEST`: every file of a backup against the size and SHA-256 its
//! manifest gives, and the database snapshot opened (SQLite: its pages and indexes checked;
//! PostgreSQL: the archive's table of contents read by `pg_restore`).

use super::{
    checksum, local_path, BackupError, Entry, Manifest, PgTools, Progress, FILES_DIR,
    FORMAT_VERSION, MANIFEST,
};
use futures_util::StreamExt;
use std::path::Path;

/// Files checked at once.
const CHECKS_IN_FLIGHT: usize = 4;

/// One thing wrong with a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file's path in the backup directory.
    pub path: String,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.what)
    }
}

/// The backup's manifest when every check passes, `BackupError::Damaged` with every problem
/// found otherwise.
pub async fn verify(
    dir: &Path,
    tools: &PgTools,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(dir).await?;
    progress.step("checking the backup", Some(manifest.files.len() as u64 + 1));
    let mut problems = Vec::new();
    let snapshot = &manifest.database.snapshot;
    match check(dir, snapshot, progress).await {
        Some(problem) => problems.push(problem),
        None => {
            if let Some(problem) = open_database(dir, &manifest, tools).await {
                problems.push(problem);
            }
        }
    }
    let root = dir.join(FILES_DIR);
    let file_problems: Vec<Option<Problem>> = futures_util::stream::iter(&manifest.files)
        .map(|entry| check_file(&root, entry, progress))
        .buffer_unordered(CHECKS_IN_FLIGHT)
        .collect()
        .await;
    problems.extend(file_problems.into_iter().flatten());
    if problems.is_empty() {
        Ok(manifest)
    } else {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        Err(BackupError::Damaged(problems))
    }
}

async fn read_manifest(dir: &Path) -> Result<Manifest, BackupError> {
    let path = dir.join(MANIFEST);
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        BackupError::Refused(format!(
            "{} cannot be read ({e}): {} is not a backup, or an unfinished one",
            path.display(),
            dir.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
        BackupError::Refused(format!("{} is not a backup manifest: {e}", path.display()))
    })?;
    if manifest.format_version > FORMAT_VERSION {
        return Err(BackupError::Refused(format!(
            "this backup has format {} and this Utmost reads format {FORMAT_VERSION} at most: \
             use the Utmost version that made it ({})",
            manifest.format_version, manifest.utmost_version
        )));
    }
    Ok(manifest)
}

/// A file of the store, under `files/`.
async fn check_file(root: &Path, entry: &Entry, progress: &dyn Progress) -> Option<Problem> {
    check(root, entry, progress).await.map(|problem| Problem {
        path: format!("{FILES_DIR}/{}", problem.path),
        ..problem
    })
}

/// `entry` (a path under `root`) against its size and checksum.
async fn check(root: &Path, entry: &Entry, progress: &dyn Progress) -> Option<Problem> {
    let problem = |what: String| {
        Some(Problem {
            path: entry.path.clone(),
            what,
        })
    };
    let path = match local_path(root, &entry.path) {
        Ok(path) => path,
        Err(e) => return problem(e.to_string()),
    };
    let found = checksum(&path).await;
    progress.advance(1, entry.size);
    match found {
        Err(BackupError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            problem("missing".into())
        }
        Err(e) => problem(format!("cannot be read: {e}")),
        Ok((size, _)) if size != entry.size => problem(format!(
            "{size} bytes where the manifest says {}",
            entry.size
        )),
        Ok((_, sha256)) if sha256 != entry.sha256 => problem(format!(
            "SHA-256 {sha256} where the manifest says {}: the file was changed or damaged",
            entry.sha256
        )),
        Ok(_) => None,
    }
}

/// Opens the database snapshot (its bytes already match the manifest).
async fn open_database(dir: &Path, manifest: &Manifest, tools: &PgTools) -> Option<Problem> {
    let snapshot = &manifest.database.snapshot;
    let path = dir.join(&snapshot.path);
    let problem = |what: String| {
        Some(Problem {
            path: snapshot.path.clone(),
            what,
        })
    };
    match manifest.database.kind.as_str() {
        "sqlite" => match utmost_store::backup::check_sqlite_snapshot(&path).await {
            Ok(version) if version == manifest.database.schema_version => None,
            Ok(version) => problem(format!(
                "the snapshot is at migration {version}, the manifest says {}",
                manifest.database.schema_version
            )),
            Err(e) => problem(format!("the database snapshot does not open: {e}")),
        },
        "postgres" => match tools.list(&path).await {
            Ok(()) => None,
            Err(e) => problem(format!("the database archive does not open: {e}")),
        },
        other => problem(format!("unknown database kind {other:?}")),
    }
}
