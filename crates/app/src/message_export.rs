//! The `message_export` job (Mattermost's enterprise message export, `MessageExportSettings`):
//! the posts changed since the last successful export's end (new, edited, deleted), their
//! files, and who joined and left their channels, written in `ExportFormat` (`actiance`,
//! `csv`, `globalrelay`/`globalrelay-zip`) as zips on the file store under
//! `export/<job time>-<start>-<end>/`. Posts are read `BatchSize` at a time and each batch is
//! one zip, streamed to the store as it is written, so memory is bounded by a batch's
//! posts (and, for GlobalRelay, whose emails carry them, the batch's files). `schedule` creates the daily job.

mod actiance;
mod csv_export;
pub mod download;
mod global_relay;
pub mod schedule;

use crate::compliance::failed;
use crate::files::zip_upload::{deflated, ZipUpload};
use crate::jobs::runner::{JobRun, Progress, Worker};
use crate::{App, AppResult};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::io::Write;
use utmost_model::job::{self, Job};
use utmost_model::now_millis;
use utmost_store::compliance::ExportedPost;
use utmost_store::message_export::{self as store, ExportedFile, MemberStay};

pub const FORMAT_ACTIANCE: &str = "actiance";
pub const FORMAT_CSV: &str = "csv";
pub const FORMAT_GLOBALRELAY: &str = "globalrelay";
pub const FORMAT_GLOBALRELAY_ZIP: &str = "globalrelay-zip";

/// The most posts one batch reads, whatever `MessageExportSettings.BatchSize` says.
const MAX_BATCH: i64 = 10_000;

/// What one batch exports: its posts in `updateat` order, their files, and the stays of
/// their channels' members that overlap the window.
pub(crate) struct Batch {
    /// The export window, in milliseconds: (`start`, `end`].
    pub start: i64,
    pub end: i64,
    pub posts: Vec<ExportedPost>,
    pub files: Vec<ExportedFile>,
    pub stays: Vec<MemberStay>,
}

impl Batch {
    /// The batch's posts grouped by channel, channels in order of first appearance.
    pub fn by_channel(&self) -> Vec<(&ExportedPost, Vec<&ExportedPost>)> {
        let mut order: Vec<&str> = Vec::new();
        let mut groups: BTreeMap<&str, Vec<&ExportedPost>> = BTreeMap::new();
        for post in &self.posts {
            let group = groups.entry(&post.channelid).or_default();
            if group.is_empty() {
                order.push(&post.channelid);
            }
            group.push(post);
        }
        order
            .into_iter()
            .filter_map(|c| groups.remove(c))
            .map(|posts| (posts[0], posts))
            .collect()
    }

    pub fn files_of<'a>(&'a self, post_id: &'a str) -> impl Iterator<Item = &'a ExportedFile> {
        self.files.iter().filter(move |f| f.postid == post_id)
    }

    pub fn stays_in<'a>(&'a self, channel_id: &'a str) -> impl Iterator<Item = &'a MemberStay> {
        self.stays.iter().filter(move |s| s.channelid == channel_id)
    }
}

/// Mattermost's channel type names in exports.
pub(crate) fn channel_type_name(channel_type: &str) -> &'static str {
    match channel_type {
        "O" => "public",
        "P" => "private",
        "D" => "direct",
        _ => "group",
    }
}

/// `user` or `bot`, as exports name a poster.
pub(crate) fn user_type(is_bot: bool) -> &'static str {
    if is_bot {
        "bot"
    } else {
        "user"
    }
}

pub struct MessageExportJobs;

impl Worker for MessageExportJobs {
    fn job_type(&self) -> &'static str {
        job::TYPE_MESSAGE_EXPORT
    }

    fn service_name(&self) -> &'static str {
        "message export jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(export(app, job, progress))
    }
}

async fn export(app: &App, job: &mut Job, progress: &Progress<'_>) -> AppResult<()> {
    let settings = app.config().message_export_settings.clone();
    let format = match settings.export_format.as_str() {
        f @ (FORMAT_ACTIANCE | FORMAT_CSV | FORMAT_GLOBALRELAY | FORMAT_GLOBALRELAY_ZIP) => f,
        other => return Err(failed(format!("unknown ExportFormat {other:?}"))),
    };
    let start = match store::last_export_end(&app.store).await? {
        Some(end) => end,
        None => settings.export_from_timestamp,
    };
    let end = now_millis();
    let dir = format!("export/{}-{start}-{end}", dir_time(end));
    let data = &mut job.data;
    data.insert("job_start_time".into(), start.to_string());
    data.insert("job_end_time".into(), end.to_string());
    data.insert("export_type".into(), format.to_string());
    data.insert("export_dir".into(), dir.clone());
    let batch_size = settings.batch_size.clamp(1, MAX_BATCH);
    let (mut after, mut batches, mut messages, mut files) = ((start, String::new()), 0, 0, 0);
    while progress.go_on() {
        let posts =
            store::changed_posts(&app.store, start, end, (after.0, &after.1), batch_size).await?;
        let Some(last) = posts.last() else { break };
        let full = posts.len() as i64 == batch_size;
        after = (last.updateat, last.id.clone());
        let batch = gather(app, start, end, posts).await?;
        batches += 1;
        messages += batch.posts.len();
        files += batch.files.len();
        let path = format!("{dir}/batch{batches:03}.zip");
        write_batch(app, format, &batch, &path).await?;
        let data = &mut job.data;
        data.insert("batch_start_time".into(), after.0.to_string());
        data.insert("batch_start_id".into(), after.1.clone());
        progress.set(
            u64::try_from(after.0 - start).unwrap_or(0),
            u64::try_from(end - start).unwrap_or(0),
        );
        if !full {
            break;
        }
    }
    let data = &mut job.data;
    data.insert("batches".into(), batches.to_string());
    data.insert("messages_exported".into(), messages.to_string());
    data.insert("files_exported".into(), files.to_string());
    data.insert("is_downloadable".into(), (batches > 0).to_string());
    Ok(())
}

/// The batch's files and member stays.
async fn gather(app: &App, start: i64, end: i64, posts: Vec<ExportedPost>) -> AppResult<Batch> {
    let post_ids: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    let files = store::files_of_posts(&app.store, &post_ids).await?;
    let mut channel_ids: Vec<&str> = posts.iter().map(|p| p.channelid.as_str()).collect();
    channel_ids.sort_unstable();
    channel_ids.dedup();
    let stays = store::member_stays(&app.store, &channel_ids, start, end).await?;
    Ok(Batch {
        start,
        end,
        posts,
        files,
        stays,
    })
}

/// Bytes of an exported file handed to the zip at a time.
const FILE_PIECE: usize = 1024 * 1024;

/// Streams the batch in `format` to `path`, with its files' bytes under `files/`.
async fn write_batch(app: &App, format: &str, batch: &Batch, path: &str) -> AppResult<()> {
    let mut zip = ZipUpload::start(&app.files.store, path);
    let entries: Vec<(String, Vec<u8>)> = match format {
        FORMAT_ACTIANCE => vec![(
            "actiance_export.xml".into(),
            actiance::write(batch).map_err(failed)?,
        )],
        FORMAT_CSV => vec![(
            "csv_export.csv".into(),
            csv_export::write(batch).map_err(failed)?,
        )],
        // The emails carry the attachments: the files are read whole.
        _ => {
            let mut attached = Vec::new();
            for file in &batch.files {
                match app.files.store.read(&file.path).await {
                    Ok(bytes) => attached.push((format!("files/{}", file.path), bytes)),
                    Err(e) => missing(&file.path, e),
                }
            }
            let mut emails = global_relay::emails(batch, &attached).map_err(failed)?;
            emails.extend(attached);
            emails
        }
    };
    for (name, bytes) in entries {
        zip.write(move |z| {
            z.start_file(name, deflated(false))?;
            z.write_all(&bytes)
        })
        .await
        .map_err(failed)?;
    }
    if matches!(format, FORMAT_ACTIANCE | FORMAT_CSV) {
        for file in &batch.files {
            copy_file(app, &mut zip, &file.path).await?;
        }
    }
    zip.finish().await.map_err(failed)?;
    Ok(())
}

/// Copies the stored file at `path` into the zip as `files/<path>`, a piece at a time.
async fn copy_file(app: &App, zip: &mut ZipUpload, path: &str) -> AppResult<()> {
    let mut body = match app.files.store.open(path, None).await {
        Ok(opened) => opened.body,
        Err(e) => {
            missing(path, e);
            return Ok(());
        }
    };
    let name = format!("files/{path}");
    zip.write(move |z| Ok(z.start_file(name, deflated(true))?))
        .await
        .map_err(failed)?;
    let mut piece = Vec::new();
    loop {
        let chunk = body.next().await.transpose().map_err(failed)?;
        let end = chunk.is_none();
        piece.extend_from_slice(&chunk.unwrap_or_default());
        if end || piece.len() >= FILE_PIECE {
            let bytes = std::mem::take(&mut piece);
            zip.write(move |z| z.write_all(&bytes))
                .await
                .map_err(failed)?;
        }
        if end {
            return Ok(());
        }
    }
}

fn missing(path: &str, e: impl std::fmt::Display) {
    tracing::warn!(path, error = %e, "an exported file is missing");
}

/// `ComplianceExportDirectoryFormat`: a time as a directory name.
fn dir_time(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H-%M-%SZ")
        .to_string()
}
