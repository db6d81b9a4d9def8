//! `utmost channel …`: create and list a team's channels.

use super::local::{all_pages, app_error, Local};
use super::output::{emit, yes_no, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::{Args, Subcommand};
use serde_json::json;
use utmost_app::channels;
use utmost_model::channel::{Channel, CHANNEL_OPEN, CHANNEL_PRIVATE};

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Create a channel in a team; its creator becomes its first member and channel admin.
    Create(CreateArgs),
    /// List a team's live public channels.
    List {
        /// Team name or id.
        team: String,
    },
    /// Archive a channel, or with --permanent --confirm delete it with its posts and files.
    Delete {
        /// TEAM:CHANNEL (team name or id, channel name).
        channel: String,
        #[command(flatten)]
        how: super::delete::DeleteHow,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Team name or id.
    #[arg(long)]
    pub team: String,
    /// URL name: lower-case letters, digits, `-` and `_`.
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub display_name: String,
    /// A private channel instead of a public one.
    #[arg(long)]
    pub private: bool,
    /// The account that creates the channel (default: the first system admin by username).
    #[arg(long, value_name = "USER")]
    pub creator: Option<String>,
}

pub async fn run(global: &GlobalArgs, command: ChannelCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        ChannelCommand::Create(args) => {
            let team = local.team(&args.team).await?;
            let creator = local.creator(args.creator.as_deref()).await?;
            let input = Channel {
                team_id: team.id,
                name: args.name,
                display_name: args.display_name,
                channel_type: if args.private {
                    CHANNEL_PRIVATE
                } else {
                    CHANNEL_OPEN
                }
                .to_string(),
                ..Channel::default()
            };
            let channel = channels::create_channel(&local.app, &creator.id, input)
                .await
                .map_err(app_error)?;
            emit(json, serde_json::to_value(&channel)?, || table([&channel]))
        }
        ChannelCommand::List { team } => {
            let team = local.team(&team).await?;
            let all = all_pages(async |limit, offset| {
                channels::public_channels_for_team(&local.app, &team.id, limit, offset).await
            })
            .await?;
            emit(json, serde_json::to_value(&all)?, || table(&all))
        }
        ChannelCommand::Delete { channel, how } => {
            super::delete::channel(local, &channel, &how, json).await
        }
    })
    .await
}

/// The same commands through the API of a running server (`--remote`). Created channels are
/// the token's user's: `--creator` applies to local mode only.
pub async fn remote(r: &Remote, command: ChannelCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ChannelCommand::Create(args) => {
            let team = r.team(&args.team).await?;
            let kind = if args.private {
                CHANNEL_PRIVATE
            } else {
                CHANNEL_OPEN
            };
            let body = json!({"team_id": team.id, "name": args.name, "display_name": args.display_name, "type": kind});
            let channel: Channel = r.post("/channels", body).await?;
            emit(json, serde_json::to_value(&channel)?, || table([&channel]))
        }
        ChannelCommand::List { team } => {
            let team = r.team(&team).await?;
            let all: Vec<Channel> = r
                .all_pages(&format!("/teams/{}/channels?", team.id))
                .await?;
            emit(json, serde_json::to_value(&all)?, || table(&all))
        }
        ChannelCommand::Delete { channel, how } => {
            super::delete::channel_remote(r, &channel, &how, json).await
        }
    }
}

fn table<'a>(channels: impl IntoIterator<Item = &'a Channel>) -> Table {
    channels.into_iter().fold(
        Table::new(&["id", "name", "display name", "type", "archived"]),
        |t, c| {
            let kind = if c.channel_type == CHANNEL_PRIVATE {
                "private"
            } else {
                "public"
            };
            t.row(vec![
                c.id.clone(),
                c.name.clone(),
                c.display_name.clone(),
                kind.to_string(),
                yes_no(c.delete_at != 0),
            ])
        },
    )
}
