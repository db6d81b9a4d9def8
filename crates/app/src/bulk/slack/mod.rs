//! Slack import (Mattermost's `slackimport` and `mmetl transform slack`): a Slack export
//! zip is converted into bulk-import lines (`export` reads it, `plan` decides who and where
//! each Slack user and conversation becomes, `text` converts the markup, `write` writes the
//! lines and copies the files), which then go through the bulk import's own `validate` and
//! `apply`: checked whole before anything is written, and idempotent, so running the same
//! export again changes nothing. `report` lists what was left out and why.

pub mod export;
mod plan;
pub mod report;
pub mod text;
mod write;

use super::source::Source;
use super::{apply, validate};
use crate::{App, AppResult};
use report::Report;
use std::path::{Path, PathBuf};
use utmost_model::team::Team;
use utmost_model::AppError;

/// A directory of the conversion's lines and files, removed on drop.
struct Converted {
    dir: PathBuf,
    jsonl: PathBuf,
    report: Report,
}

impl Drop for Converted {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal("api.slackimport.slack_import.app_error", e)
}

fn not_an_export(e: impl std::fmt::Display) -> AppError {
    AppError::bad_request("api.slackimport.slack_import.zip.app_error", e.to_string())
}

/// Converts the Slack export at `path` into bulk-import lines for `team`.
async fn convert(app: &App, path: &Path, team: Team) -> AppResult<Converted> {
    let zip = path.to_path_buf();
    let export = tokio::task::spawn_blocking(move || export::Export::open(&zip))
        .await
        .map_err(failed)?
        .map_err(not_an_export)?;
    let mut report = Report::default();
    let plan = plan::plan(app, &export, team, &mut report).await?;
    let dir = std::env::temp_dir().join(format!("utmost-slack-{}", utmost_model::new_id()));
    std::fs::create_dir_all(&dir).map_err(failed)?;
    // Made first so the directory goes whatever fails next.
    let mut converted = Converted {
        dir: dir.clone(),
        jsonl: PathBuf::new(),
        report: Report::default(),
    };
    let max_file = u64::try_from(crate::files::upload::max_file_size(app)).unwrap_or(0);
    let (written, report) = tokio::task::spawn_blocking(move || {
        let mut export = export;
        let written = write::write(&mut export, &plan, &dir, max_file, &mut report);
        (written, report)
    })
    .await
    .map_err(failed)?;
    converted.jsonl = written.map_err(failed)?;
    converted.report = report;
    Ok(converted)
}

/// Imports the Slack export at `path` into the team named `team_name`: converts it, checks
/// the lines, and applies them. `progress(lines done, lines in all)` is told after each
/// line and stops the run when it answers false.
pub async fn import(
    app: &App,
    path: &Path,
    team_name: &str,
    progress: &(dyn Fn(u64, u64) -> bool + Sync),
) -> AppResult<Report> {
    let team = utmost_store::teams::get_by_name(&app.store, team_name)
        .await?
        .ok_or_else(|| {
            AppError::bad_request(
                "api.slackimport.slack_import.team_fail",
                format!("there is no team {team_name:?} to import into"),
            )
        })?;
    let mut converted = convert(app, path, team).await?;
    let source = Source::open(&converted.jsonl).map_err(failed)?;
    let checked = validate::validate(app, &source).await;
    if let Some(first) = checked.errors.first() {
        // Only a conversion that went wrong (or a database changed meanwhile) gets here.
        return Err(AppError::bad_request(
            "api.slackimport.slack_import.invalid.app_error",
            format!("the converted import is not valid, nothing was imported: {first}"),
        ));
    }
    let total: u64 = checked.lines.values().sum();
    apply::apply(app, &source, &|done| progress(done, total))
        .await
        .map_err(|e| {
            AppError::bad_request(
                "api.slackimport.slack_import.apply.app_error",
                format!("{e}; the lines before it are imported, run again to finish"),
            )
        })?;
    Ok(std::mem::take(&mut converted.report))
}
