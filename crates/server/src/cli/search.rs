//! `utmost search …`: the post search index.

use super::local::Local;
use super::output::{emit, Table};
use super::GlobalArgs;
use anyhow::anyhow;
use clap::Subcommand;
use utmost_app::search::index::IndexError;
use utmost_app::search::indexer;

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Empty the search index and index every post again (stop the server first: one
    /// process writes the index).
    Reindex,
}

pub async fn run(global: &GlobalArgs, command: SearchCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        SearchCommand::Reindex => {
            let indexed = indexer::rebuild(&local.app, &|_| false)
                .await
                .map_err(|e| match e {
                    IndexError::Locked => {
                        anyhow!("the search index is in use by a running server; stop it first")
                    }
                    e => anyhow!("reindexing failed: {e}"),
                })?;
            emit(
                json,
                serde_json::json!({ "indexed_posts": indexed }),
                || Table::new(&["indexed posts"]).row(vec![indexed.to_string()]),
            )
        }
    })
    .await
}
