//! `utmost post create|list`: mmctl's `post` commands, a channel's messages as `TEAM:CHANNEL`.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::bail;
use clap::{Args, Subcommand};
use serde_json::json;
use utmost_app::posts::{channel_posts, ChannelPostsQuery};
use utmost_model::post::{Post, PostList};
use utmost_model::session::Session;

#[derive(Debug, Subcommand)]
pub enum PostCommand {
    /// Post a message to a channel.
    Create(CreateArgs),
    /// The newest messages of a channel, oldest first.
    List {
        /// TEAM:CHANNEL (team name or id, channel name).
        channel: String,
        /// How many (at most 200).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
        number: u32,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// TEAM:CHANNEL (team name or id, channel name).
    pub channel: String,
    #[arg(long)]
    pub message: String,
    /// Reply in the thread of this post id.
    #[arg(long, value_name = "POST_ID")]
    pub reply_to: Option<String>,
    /// Who posts (local mode; default: the first system admin by username). With --remote
    /// the token's user posts.
    #[arg(long, value_name = "USER")]
    pub author: Option<String>,
}

fn split(key: &str) -> anyhow::Result<(&str, &str)> {
    match key.split_once(':') {
        Some(parts) => Ok(parts),
        None => bail!("{key:?}: expected TEAM:CHANNEL"),
    }
}

pub async fn run(global: &GlobalArgs, command: PostCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| {
        let channel_of = async |key: &str| {
            let (team, name) = split(key)?;
            let team = local.team(team).await?;
            utmost_app::channels::get_channel_by_name(&local.app, &team.id, name, false)
                .await
                .map_err(app_error)
        };
        match command {
            PostCommand::Create(args) => {
                let channel = channel_of(&args.channel).await?;
                let author = local.creator(args.author.as_deref()).await?;
                let session = Session {
                    user_id: author.id.clone(),
                    roles: author.roles.clone(),
                    local: true,
                    ..Session::default()
                };
                let post = Post {
                    user_id: author.id.clone(),
                    channel_id: channel.id,
                    message: args.message,
                    root_id: args.reply_to.unwrap_or_default(),
                    ..Post::default()
                };
                let post = utmost_app::posts::create_as_user(&local.app, &session, post)
                    .await
                    .map_err(app_error)?;
                show_one(json, &post)
            }
            PostCommand::List { channel, number } => {
                let channel = channel_of(&channel).await?;
                let query = ChannelPostsQuery {
                    per_page: i64::from(number),
                    ..ChannelPostsQuery::default()
                };
                let list = channel_posts(&local.app, "", &channel.id, &query)
                    .await
                    .map_err(app_error)?;
                show_list(json, &list)
            }
        }
    })
    .await
}

pub async fn remote(r: &Remote, command: PostCommand, json: bool) -> anyhow::Result<()> {
    let channel_of = async |key: &str| -> anyhow::Result<utmost_model::channel::Channel> {
        let (team, name) = split(key)?;
        let team = r.team(team).await?;
        r.get(&format!("/teams/{}/channels/name/{name}", team.id))
            .await
    };
    match command {
        PostCommand::Create(args) => {
            let channel = channel_of(&args.channel).await?;
            let body = json!({
                "channel_id": channel.id,
                "message": args.message,
                "root_id": args.reply_to.unwrap_or_default(),
            });
            show_one(json, &r.post("/posts", body).await?)
        }
        PostCommand::List { channel, number } => {
            let channel = channel_of(&channel).await?;
            let path = format!("/channels/{}/posts?page=0&per_page={number}", channel.id);
            show_list(json, &r.get(&path).await?)
        }
    }
}

fn show_one(json: bool, post: &Post) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(post)?, || table([post]))
}

/// The list's posts oldest first, as a reader reads them.
fn show_list(json: bool, list: &PostList) -> anyhow::Result<()> {
    let posts: Vec<&Post> = list
        .order
        .iter()
        .rev()
        .filter_map(|id| list.posts.get(id))
        .collect();
    emit(json, serde_json::to_value(&posts)?, || {
        table(posts.iter().copied())
    })
}

fn table<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Table {
    posts
        .into_iter()
        .fold(Table::new(&["id", "user", "created", "message"]), |t, p| {
            t.row(vec![
                p.id.clone(),
                p.user_id.clone(),
                p.create_at.to_string(),
                p.message.clone(),
            ])
        })
}
