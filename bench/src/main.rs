//! Utmost benchmarks against the release server, loopback only, every loop with a fixed count;
//! each prints a Markdown report (see docs/benchmarks.md):
//! - `posts` (the default): create-post and get-channel-posts throughput next to the raw
//!   INSERT rate of the same database;
//! - `login-flood`: the server's memory during a flood of wrong-password logins, next to the
//!   same flood against a login that does no password hashing;
//! - `requests`: the fixed cost of a request: a bare axum handler, `GET /system/ping` and the
//!   authenticated `GET /users/me`, under the same client load;
//! - `threads`: the collapsed-threads inbox of a user following 1,000 threads, next to a page
//!   of channel posts under the same load.
//! - `thumbnails`: the time per uploaded image of making its preview, thumbnail and mini
//!   preview (in-process, no server), next to decoding the same image alone.
//! - `search`: post search over millions of generated posts: Utmost's engine next to
//!   PostgreSQL full text and SQLite FTS5, with indexing rate, sizes and memory.
//! - `directory`: user and channel search and autocomplete at 100,000 users and 100,000
//!   channels, next to `GET /users/me` under the same load.
//! - `files`: upload and download MB/s of files (multipart, resumable, download) on local
//!   disk and S3, next to a raw write and read of the same bytes to the same store.
//! - `import`: `utmost import apply` of a generated bulk JSONL (1M posts by default), in
//!   posts per second, next to raw INSERTs of the same posts into the same database.
//! - `notify`: the server CPU of a post into a 10,000-member channel mentioning 100 of them,
//!   with notifications decided and queued, next to the same post with notifications off
//!   (in-process, no server).
//! - `cluster`: a post's fan-out to WebSocket clients spread over three nodes on one
//!   PostgreSQL and one Redis, next to the same load on one node; the Redis bus's cost per event.

mod analytics;
mod baseline;
mod bulk;
mod cluster;
mod corpus;
mod directory;
mod files;
mod import;
mod integrations;
mod load;
mod login_flood;
mod memory;
mod notify;
mod posts;
mod requests;
mod search;
mod server;
mod threads;
mod thumbnails;

use analytics::AnalyticsArgs;
use clap::{Parser, Subcommand};
use cluster::ClusterArgs;
use directory::DirectoryArgs;
use files::FilesArgs;
use import::ImportArgs;
use login_flood::FloodArgs;
use notify::NotifyArgs;
use posts::PostsArgs;
use requests::RequestsArgs;
use search::SearchArgs;
use std::path::PathBuf;
use threads::ThreadsArgs;
use thumbnails::ThumbnailsArgs;

#[derive(Parser)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    /// The `utmost` binary to benchmark (build it with `cargo build --release -p utmost`).
    #[arg(long, global = true, default_value = "target/release/utmost")]
    server: PathBuf,
    #[command(subcommand)]
    bench: Option<Bench>,
    /// Without a subcommand: the posts benchmark with these options (the original command line).
    #[command(flatten)]
    posts: PostsArgs,
}

#[derive(Subcommand)]
enum Bench {
    /// Create and read posts (the default).
    Posts(PostsArgs),
    /// Server memory during a flood of wrong-password logins.
    LoginFlood(FloodArgs),
    /// The fixed cost of a request: a bare handler, ping and the authenticated users/me.
    Requests(RequestsArgs),
    /// The collapsed-threads inbox of a user following many threads, next to a channel page.
    Threads(ThreadsArgs),
    /// Preview, thumbnail and mini preview per uploaded image, next to decoding alone.
    Thumbnails(ThumbnailsArgs),
    /// Post search over millions of generated posts, next to PostgreSQL and SQLite full text.
    Search(SearchArgs),
    /// User and channel search and autocomplete at 100,000 users and 100,000 channels.
    Directory(DirectoryArgs),
    /// Upload and download MB/s of files, next to raw writes and reads of the same store.
    Files(FilesArgs),
    /// `utmost import apply` of a generated bulk JSONL, next to raw INSERTs of its posts.
    Import(ImportArgs),
    /// Notifications of a post into a 10,000-member channel, next to the post alone.
    Notify(NotifyArgs),
    /// The System Console's statistics over a million posts, next to full-scan counts.
    Analytics(AnalyticsArgs),
    /// Fan-out over three nodes on one Redis, next to one node; the bus's cost per event.
    Cluster(ClusterArgs),
    /// Webhook posts next to normal posts; posts through a WebAssembly plugin next to without.
    Integrations(integrations::IntegrationsArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match &cli.bench {
        None => posts::run(&cli.server, &cli.posts).await,
        Some(Bench::Posts(args)) => posts::run(&cli.server, args).await,
        Some(Bench::LoginFlood(args)) => login_flood::run(&cli.server, args).await,
        Some(Bench::Requests(args)) => requests::run(&cli.server, args).await,
        Some(Bench::Threads(args)) => threads::run(&cli.server, args).await,
        Some(Bench::Thumbnails(args)) => thumbnails::run(args).await,
        Some(Bench::Search(args)) => search::run(&cli.server, args).await,
        Some(Bench::Directory(args)) => directory::run(&cli.server, args).await,
        Some(Bench::Files(args)) => files::run(&cli.server, args).await,
        Some(Bench::Import(args)) => import::run(&cli.server, args).await,
        Some(Bench::Notify(args)) => notify::run(args).await,
        Some(Bench::Analytics(args)) => analytics::run(&cli.server, args).await,
        Some(Bench::Cluster(args)) => cluster::run(&cli.server, args).await,
        Some(Bench::Integrations(args)) => integrations::run(&cli.server, args).await,
    }
}

/// The 1-minute load average: other work on the machine skews absolute figures (the ratios,
/// measured in the same run, much less).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}
