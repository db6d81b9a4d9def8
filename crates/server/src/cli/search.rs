//! `utmost search …`: the post and file search indexes.

use super::local::Local;
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::anyhow;
use clap::Subcommand;
use utmost_app::search::index::IndexError;
use utmost_app::search::indexer;

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Empty the search indexes and index every post and file again (stop the server
    /// first: one process writes the indexes).
    Reindex,
}

pub async fn run(global: &GlobalArgs, command: SearchCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        SearchCommand::Reindex => {
            let rebuilt = indexer::rebuild(&local.app, &|_| false)
                .await
                .map_err(|e| match e {
                    IndexError::Locked => {
                        anyhow!("the search index is in use by a running server; stop it first")
                    }
                    e => anyhow!("reindexing failed: {e}"),
                })?;
            emit(
                json,
                serde_json::json!({
                    "indexed_posts": rebuilt.posts,
                    "indexed_files": rebuilt.files,
                }),
                || {
                    Table::new(&["indexed posts", "indexed files"])
                        .row(vec![rebuilt.posts.to_string(), rebuilt.files.to_string()])
                },
            )
        }
    })
    .await
}

/// Through a running server (`--remote`): a `bleve_post_indexing` job, waited for (the
/// server rebuilds its own index while it runs).
pub async fn remote(r: &Remote, command: SearchCommand, json: bool) -> anyhow::Result<()> {
    match command {
        SearchCommand::Reindex => {
            let job = r
                .run_job("bleve_post_indexing", serde_json::json!({}))
                .await?;
            super::output::show_job(json, &job)
        }
    }
}
