//! `utmost user|team|channel delete`: mmctl's delete commands. Without `--permanent` a user
//! is deactivated and a team or channel archived (undone by `activate` or a restore); with
//! `--permanent --confirm` it goes for good with its posts and files (`app::purge`), which
//! nothing undoes. A running server sees the change through `outside_writes`.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use anyhow::bail;
use clap::Args;
use serde_json::json;
use utmost_app::{channels, purge, teams, users};

#[derive(Debug, Args)]
pub struct DeleteHow {
    /// Delete for good, with every post and file; without it the user is deactivated, the
    /// team or channel archived.
    #[arg(long)]
    pub permanent: bool,
    /// Confirms a permanent deletion (required with --permanent).
    #[arg(long)]
    pub confirm: bool,
}

impl DeleteHow {
    fn check(&self) -> anyhow::Result<()> {
        if self.permanent && !self.confirm {
            bail!("a permanent deletion cannot be undone: add --confirm to go ahead");
        }
        Ok(())
    }

    fn outcome(&self, undoable: &'static str) -> &'static str {
        if self.permanent {
            "deleted permanently"
        } else {
            undoable
        }
    }
}

/// `utmost user delete USER`.
pub async fn user(local: &Local, key: &str, how: &DeleteHow, json: bool) -> anyhow::Result<()> {
    how.check()?;
    let user = local.user(key).await?;
    if how.permanent {
        purge::user(&local.app, &user.id).await.map_err(app_error)?;
    } else {
        users::set_active(&local.app, &local.session, &user.id, false)
            .await
            .map_err(app_error)?;
    }
    report(
        json,
        "user",
        &user.id,
        &user.username,
        how.outcome("deactivated"),
    )
}

/// `utmost team delete TEAM`.
pub async fn team(local: &Local, key: &str, how: &DeleteHow, json: bool) -> anyhow::Result<()> {
    how.check()?;
    let team = local.team(key).await?;
    if how.permanent {
        teams::permanent_delete(&local.app, &team.id).await
    } else {
        teams::archive(&local.app, &team.id).await
    }
    .map_err(app_error)?;
    report(json, "team", &team.id, &team.name, how.outcome("archived"))
}

/// `utmost channel delete TEAM:CHANNEL`.
pub async fn channel(local: &Local, key: &str, how: &DeleteHow, json: bool) -> anyhow::Result<()> {
    how.check()?;
    let Some((team, name)) = key.split_once(':') else {
        bail!("{key:?}: expected TEAM:CHANNEL");
    };
    let team = local.team(team).await?;
    let channel = channels::get_channel_by_name(&local.app, &team.id, name, true)
        .await
        .map_err(app_error)?;
    if how.permanent {
        channels::permanent_delete_channel(&local.app, &channel)
            .await
            .map_err(app_error)?;
    } else {
        // The system message names who archived it: the first system admin, as for creation.
        let actor = local.creator(None).await?;
        channels::archive_channel(&local.app, &actor.id, channel.clone())
            .await
            .map_err(app_error)?;
    }
    let shown = format!("{}:{}", team.name, channel.name);
    report(
        json,
        "channel",
        &channel.id,
        &shown,
        how.outcome("archived"),
    )
}

/// `?permanent=true` for a permanent deletion (the server's own settings may refuse it:
/// `ServiceSettings.EnableAPIUserDeletion`, `EnableAPITeamDeletion`, `EnableAPIChannelDeletion`).
fn permanent_query(how: &DeleteHow) -> &'static str {
    if how.permanent {
        "?permanent=true"
    } else {
        ""
    }
}

/// `utmost --remote … user delete USER`.
pub async fn user_remote(r: &Remote, key: &str, how: &DeleteHow, json: bool) -> anyhow::Result<()> {
    how.check()?;
    let user = r.user(key).await?;
    r.delete(&format!("/users/{}{}", user.id, permanent_query(how)))
        .await?;
    report(
        json,
        "user",
        &user.id,
        &user.username,
        how.outcome("deactivated"),
    )
}

/// `utmost --remote … team delete TEAM`.
pub async fn team_remote(r: &Remote, key: &str, how: &DeleteHow, json: bool) -> anyhow::Result<()> {
    how.check()?;
    let team = r.team(key).await?;
    r.delete(&format!("/teams/{}{}", team.id, permanent_query(how)))
        .await?;
    report(json, "team", &team.id, &team.name, how.outcome("archived"))
}

/// `utmost --remote … channel delete TEAM:CHANNEL`.
pub async fn channel_remote(
    r: &Remote,
    key: &str,
    how: &DeleteHow,
    json: bool,
) -> anyhow::Result<()> {
    how.check()?;
    let Some((team, name)) = key.split_once(':') else {
        bail!("{key:?}: expected TEAM:CHANNEL");
    };
    let team = r.team(team).await?;
    let path = format!(
        "/teams/{}/channels/name/{name}?include_deleted=true",
        team.id
    );
    let channel: utmost_model::channel::Channel = r.get(&path).await?;
    r.delete(&format!("/channels/{}{}", channel.id, permanent_query(how)))
        .await?;
    let shown = format!("{}:{}", team.name, channel.name);
    report(
        json,
        "channel",
        &channel.id,
        &shown,
        how.outcome("archived"),
    )
}

fn report(json: bool, kind: &str, id: &str, name: &str, outcome: &str) -> anyhow::Result<()> {
    let value = json!({"type": kind, "id": id, "name": name, "outcome": outcome});
    emit(json, value, || {
        Table::new(&["type", "id", "name", "outcome"]).row(vec![
            kind.to_string(),
            id.to_string(),
            name.to_string(),
            outcome.to_string(),
        ])
    })
}
