//! `utmost job list`: mmctl's `job list`, the server's jobs newest first.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::{Args, Subcommand};
use utmost_model::job::Job;

#[derive(Debug, Subcommand)]
pub enum JobCommand {
    /// List jobs, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only jobs of this type (e.g. `ldap_sync`, `data_retention`, `message_export`).
    #[arg(long = "type", value_name = "TYPE")]
    pub job_type: Option<String>,
    /// How many (at most 200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub number: u32,
}

pub async fn run(global: &GlobalArgs, command: JobCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        JobCommand::List(args) => {
            let types: Vec<&str> = match &args.job_type {
                Some(t) => vec![t.as_str()],
                None => utmost_app::jobs::readable_types(&local.app, &local.session),
            };
            let jobs = utmost_app::jobs::list(&local.app, &types, None, 0, i64::from(args.number))
                .await
                .map_err(app_error)?;
            show(json, &jobs)
        }
    })
    .await
}

pub async fn remote(r: &Remote, command: JobCommand, json: bool) -> anyhow::Result<()> {
    match command {
        JobCommand::List(args) => {
            let path = match &args.job_type {
                Some(t) => format!("/jobs/type/{t}?page=0&per_page={}", args.number),
                None => format!("/jobs?page=0&per_page={}", args.number),
            };
            show(json, &r.get::<Vec<Job>>(&path).await?)
        }
    }
}

fn show(json: bool, jobs: &[Job]) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(jobs)?, || {
        jobs.iter().fold(
            Table::new(&["id", "type", "status", "progress", "created"]),
            |t, j| {
                t.row(vec![
                    j.id.clone(),
                    j.job_type.clone(),
                    j.status.clone(),
                    j.progress.to_string(),
                    j.create_at.to_string(),
                ])
            },
        )
    })
}
