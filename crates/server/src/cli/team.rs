//! `utmost team …`: create and list teams, add people to them.

use super::local::{all_pages, app_error, Local};
use super::output::{emit, yes_no, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::{Args, Subcommand};
use serde_json::json;
use utmost_app::teams;
use utmost_model::team::{Team, TeamMember, TEAM_INVITE, TEAM_OPEN};

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team; its creator becomes its first member and team admin.
    Create(CreateArgs),
    /// List every team, archived ones included.
    List,
    /// Add users to a team (they also join its default channels).
    Add {
        /// Team name or id.
        team: String,
        /// Usernames, e-mails or ids.
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Archive a team, or with --permanent --confirm delete it with its channels, posts and
    /// files.
    Delete {
        /// Team name or id.
        team: String,
        #[command(flatten)]
        how: super::delete::DeleteHow,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// URL name: 2–64 lower-case letters, digits and dashes.
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub display_name: String,
    /// Invite only, instead of open to every user of the server.
    #[arg(long)]
    pub private: bool,
    /// The account that creates the team (default: the first system admin by username).
    #[arg(long, value_name = "USER")]
    pub creator: Option<String>,
}

pub async fn run(global: &GlobalArgs, command: TeamCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        TeamCommand::Create(args) => {
            let creator = local.creator(args.creator.as_deref()).await?;
            let input = Team {
                name: args.name,
                display_name: args.display_name,
                team_type: if args.private { TEAM_INVITE } else { TEAM_OPEN }.to_string(),
                ..Team::default()
            };
            let team = teams::create(&local.app, &creator.id, input)
                .await
                .map_err(app_error)?;
            emit(json, serde_json::to_value(&team)?, || table([&team]))
        }
        TeamCommand::List => {
            let all = all_pages(async |limit, offset| {
                teams::list_page(&local.app, None, limit, offset).await
            })
            .await?;
            emit(json, serde_json::to_value(&all)?, || table(&all))
        }
        TeamCommand::Add { team, users } => {
            let team = local.team(&team).await?;
            // Every name is resolved before anyone is added, so a typo changes nothing.
            let mut found = Vec::with_capacity(users.len());
            for key in &users {
                found.push(local.user(key).await?);
            }
            let mut added = Vec::with_capacity(found.len());
            for user in found {
                let member = teams::add_user(&local.app, &team.id, &user.id)
                    .await
                    .map_err(app_error)?;
                added.push((user.username, member));
            }
            show_added(json, &team, &added)
        }
        TeamCommand::Delete { team, how } => super::delete::team(local, &team, &how, json).await,
    })
    .await
}

/// The same commands through the API of a running server (`--remote`). Created teams are
/// the token's user's: `--creator` applies to local mode only.
pub async fn remote(r: &Remote, command: TeamCommand, json: bool) -> anyhow::Result<()> {
    match command {
        TeamCommand::Create(args) => {
            let kind = if args.private { TEAM_INVITE } else { TEAM_OPEN };
            let body = json!({"name": args.name, "display_name": args.display_name, "type": kind});
            let team: Team = r.post("/teams", body).await?;
            emit(json, serde_json::to_value(&team)?, || table([&team]))
        }
        TeamCommand::List => {
            let all: Vec<Team> = r.all_pages("/teams?include_total_count=false").await?;
            emit(json, serde_json::to_value(&all)?, || table(&all))
        }
        TeamCommand::Add { team, users } => {
            let team = r.team(&team).await?;
            let mut found = Vec::with_capacity(users.len());
            for key in &users {
                found.push(r.user(key).await?);
            }
            let mut added = Vec::with_capacity(found.len());
            for user in found {
                let body = json!({"team_id": team.id, "user_id": user.id});
                let member: TeamMember =
                    r.post(&format!("/teams/{}/members", team.id), body).await?;
                added.push((user.username, member));
            }
            show_added(json, &team, &added)
        }
        TeamCommand::Delete { team, how } => super::delete::team_remote(r, &team, &how, json).await,
    }
}

/// The memberships `team add` made, with each user's name.
fn show_added(json: bool, team: &Team, added: &[(String, TeamMember)]) -> anyhow::Result<()> {
    let members: Vec<_> = added.iter().map(|(_, m)| m).collect();
    emit(json, serde_json::to_value(&members)?, || {
        added
            .iter()
            .fold(Table::new(&["team", "user", "roles"]), |t, (name, m)| {
                t.row(vec![team.name.clone(), name.clone(), m.roles.clone()])
            })
    })
}

fn table<'a>(teams: impl IntoIterator<Item = &'a Team>) -> Table {
    teams.into_iter().fold(
        Table::new(&["id", "name", "display name", "type", "archived"]),
        |t, team| {
            let kind = if team.team_type == TEAM_INVITE {
                "invite only"
            } else {
                "open"
            };
            t.row(vec![
                team.id.clone(),
                team.name.clone(),
                team.display_name.clone(),
                kind.to_string(),
                yes_no(team.delete_at != 0),
            ])
        },
    )
}
