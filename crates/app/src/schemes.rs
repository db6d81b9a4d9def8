//! Permission schemes (Mattermost's `app/scheme.go`): team and channel schemes with the roles
//! each owns, and which team or channel uses which.
//!
//! The permission engine holds every live scheme and the teams using one in memory
//! (`App::scheme_table`, a [`SchemeTable`]), beside the role table; both are rebuilt from the
//! database after each change here, so a warm permission check reads no scheme from the
//! database. A channel's scheme id travels with the cached channel.

use crate::bus::Event;
use crate::errors::{ChannelError, SchemeError, TeamError};
use crate::{roles, App, AppResult};
use utmost_model::channel::Channel;
use utmost_model::role::Role;
use utmost_model::roles::{
    CHANNEL_ADMIN, CHANNEL_GUEST, CHANNEL_USER, TEAM_ADMIN, TEAM_GUEST, TEAM_USER,
};
use utmost_model::scheme::{
    only_moderated, Scheme, SchemePatch, SchemeTable, SCOPE_CHANNEL, SCOPE_TEAM,
};
use utmost_model::team::Team;
use utmost_model::{new_id, now_millis};
use utmost_store::schemes as store;
use utmost_store::StoreError;

/// Mattermost's `SchemeRoleDisplayName…`, followed by the scheme's name.
const TEAM_ADMIN_NAME: &str = "Team Admin Role for Scheme";
const TEAM_USER_NAME: &str = "Team User Role for Scheme";
const TEAM_GUEST_NAME: &str = "Team Guest Role for Scheme";
const CHANNEL_ADMIN_NAME: &str = "Channel Admin Role for Scheme";
const CHANNEL_USER_NAME: &str = "Channel User Role for Scheme";
const CHANNEL_GUEST_NAME: &str = "Channel Guest Role for Scheme";

/// Rebuilds the engine's scheme table from the database.
pub async fn reload(app: &App) -> AppResult<()> {
    let schemes = store::list_live(&app.store).await?;
    let teams = store::team_schemes(&app.store).await?;
    app.set_scheme_table(SchemeTable::new(schemes, teams));
    Ok(())
}

/// `POST /schemes`: the scheme with its roles, copied from the built-in ones (a channel
/// scheme's roles hold only the moderated permissions, its admin role none), as Mattermost's
/// store creates them.
pub async fn create(app: &App, input: Scheme) -> AppResult<Scheme> {
    let now = now_millis();
    let mut scheme = Scheme {
        id: new_id(),
        name: if input.name.is_empty() {
            new_id()
        } else {
            input.name
        },
        display_name: input.display_name,
        description: input.description,
        create_at: now,
        update_at: now,
        delete_at: 0,
        scope: input.scope,
        ..Scheme::default()
    };
    if scheme.scope != SCOPE_TEAM && scheme.scope != SCOPE_CHANNEL {
        return Err(SchemeError::Invalid.into());
    }
    let names: Vec<String> = [
        TEAM_ADMIN,
        TEAM_USER,
        TEAM_GUEST,
        CHANNEL_ADMIN,
        CHANNEL_USER,
        CHANNEL_GUEST,
    ]
    .iter()
    .map(|n| n.to_string())
    .collect();
    let builtin = utmost_store::roles::get_by_names(&app.store, &names).await?;
    let copy = |builtin_name: &str| -> Vec<String> {
        builtin
            .iter()
            .find(|r| r.name == builtin_name)
            .map(|r| r.permissions.clone())
            .unwrap_or_default()
    };
    let scheme_name = scheme.name.clone();
    let role = |label: &str, permissions: Vec<String>| Role {
        id: new_id(),
        name: new_id(),
        display_name: format!("{label} {scheme_name}"),
        description: String::new(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        permissions,
        scheme_managed: true,
        built_in: false,
    };
    let mut new_roles = Vec::new();
    if scheme.scope == SCOPE_TEAM {
        let admin = role(TEAM_ADMIN_NAME, copy(TEAM_ADMIN));
        let user = role(TEAM_USER_NAME, copy(TEAM_USER));
        let guest = role(TEAM_GUEST_NAME, copy(TEAM_GUEST));
        scheme.default_team_admin_role = admin.name.clone();
        scheme.default_team_user_role = user.name.clone();
        scheme.default_team_guest_role = guest.name.clone();
        new_roles.extend([admin, user, guest]);
    }
    let channel_scheme = scheme.scope == SCOPE_CHANNEL;
    let (admin, user, guest) = if channel_scheme {
        (
            Vec::new(),
            only_moderated(&copy(CHANNEL_USER)),
            only_moderated(&copy(CHANNEL_GUEST)),
        )
    } else {
        (copy(CHANNEL_ADMIN), copy(CHANNEL_USER), copy(CHANNEL_GUEST))
    };
    let admin = role(CHANNEL_ADMIN_NAME, admin);
    let user = role(CHANNEL_USER_NAME, user);
    let guest = role(CHANNEL_GUEST_NAME, guest);
    scheme.default_channel_admin_role = admin.name.clone();
    scheme.default_channel_user_role = user.name.clone();
    scheme.default_channel_guest_role = guest.name.clone();
    new_roles.extend([admin, user, guest]);
    if !scheme.is_valid() {
        return Err(SchemeError::Invalid.into());
    }
    store::insert(&app.store, &scheme, &new_roles)
        .await
        .map_err(taken)?;
    roles::reload(app).await?;
    reload(app).await?;
    Ok(scheme)
}

fn taken(e: StoreError) -> crate::AppError {
    match e {
        StoreError::Conflict(_) => SchemeError::NameTaken.into(),
        other => other.into(),
    }
}

/// The scheme of that id (a deleted one too, as Mattermost's `GetScheme`).
pub async fn get(app: &App, id: &str) -> AppResult<Scheme> {
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| SchemeError::NotFound.into())
}

/// `GET /schemes`: a page of the live schemes, newest first.
pub async fn list(app: &App, scope: &str, page: i64, per_page: i64) -> AppResult<Vec<Scheme>> {
    Ok(store::list_page(&app.store, scope, per_page, page * per_page).await?)
}

/// `PUT /schemes/{id}/patch`: name, display name and description.
pub async fn patch(app: &App, id: &str, patch: SchemePatch) -> AppResult<Scheme> {
    let mut scheme = get(app, id).await?;
    if let Some(name) = patch.name {
        scheme.name = name;
    }
    if let Some(display_name) = patch.display_name {
        scheme.display_name = display_name;
    }
    if let Some(description) = patch.description {
        scheme.description = description;
    }
    if !scheme.is_valid() {
        return Err(SchemeError::Invalid.into());
    }
    scheme.update_at = now_millis();
    if !store::update(&app.store, &scheme).await.map_err(taken)? {
        return Err(SchemeError::NotFound.into());
    }
    reload(app).await?;
    Ok(scheme)
}

/// `DELETE /schemes/{id}`: soft-deletes the scheme and its roles; the teams or channels that
/// used it go back to the defaults.
pub async fn delete(app: &App, id: &str) -> AppResult<Scheme> {
    let mut scheme = get(app, id).await?;
    let now = now_millis();
    let channels = store::delete(&app.store, &scheme, now).await?;
    scheme.delete_at = now;
    scheme.update_at = now;
    roles::reload(app).await?;
    reload(app).await?;
    for channel_id in channels {
        if let Some(channel) = utmost_store::channels::get(&app.store, &channel_id).await? {
            app.publish(Event::ChannelUpdated { channel }).await;
        }
    }
    Ok(scheme)
}

/// `GET /schemes/{id}/teams`.
pub async fn teams(app: &App, id: &str, page: i64, per_page: i64) -> AppResult<Vec<Team>> {
    let scheme = get(app, id).await?;
    if scheme.scope != SCOPE_TEAM {
        return Err(SchemeError::NotTeamScheme.into());
    }
    Ok(store::teams_page(&app.store, id, per_page, page * per_page).await?)
}

/// `GET /schemes/{id}/channels`.
pub async fn channels(app: &App, id: &str, page: i64, per_page: i64) -> AppResult<Vec<Channel>> {
    let scheme = get(app, id).await?;
    if scheme.scope != SCOPE_CHANNEL {
        return Err(SchemeError::NotChannelScheme.into());
    }
    Ok(utmost_store::channels::for_scheme_page(&app.store, id, per_page, page * per_page).await?)
}

/// `PUT /teams/{id}/scheme`: `scheme_id` empty takes the team back to the defaults.
pub async fn set_team_scheme(app: &App, team_id: &str, scheme_id: &str) -> AppResult<Team> {
    if !scheme_id.is_empty() && get(app, scheme_id).await?.scope != SCOPE_TEAM {
        return Err(SchemeError::TeamSchemeScope.into());
    }
    let mut team = utmost_store::teams::get(&app.store, team_id)
        .await?
        .ok_or(TeamError::NotFound)?;
    let now = now_millis();
    store::set_team_scheme(&app.store, team_id, scheme_id, now).await?;
    reload(app).await?;
    team.scheme_id = Some(scheme_id.to_string());
    team.update_at = now;
    app.publish(Event::TeamUpdated { team: team.clone() }).await;
    Ok(team)
}

/// `PUT /channels/{id}/scheme`: `scheme_id` empty takes the channel back to its team's
/// roles.
pub async fn set_channel_scheme(
    app: &App,
    channel_id: &str,
    scheme_id: &str,
) -> AppResult<Channel> {
    if !scheme_id.is_empty() && get(app, scheme_id).await?.scope != SCOPE_CHANNEL {
        return Err(SchemeError::ChannelSchemeScope.into());
    }
    write_channel_scheme(app, channel_id, scheme_id).await
}

/// Writes a channel's scheme and publishes the channel (its cached copy is dropped).
pub(crate) async fn write_channel_scheme(
    app: &App,
    channel_id: &str,
    scheme_id: &str,
) -> AppResult<Channel> {
    let mut channel = utmost_store::channels::get(&app.store, channel_id)
        .await?
        .ok_or(ChannelError::NotFound)?;
    let now = now_millis();
    store::set_channel_scheme(&app.store, channel_id, scheme_id, now).await?;
    channel.scheme_id = Some(scheme_id.to_string()).filter(|s| !s.is_empty());
    channel.update_at = now;
    app.publish(Event::ChannelUpdated {
        channel: channel.clone(),
    })
    .await;
    Ok(channel)
}

/// `member` with its `roles` naming the governing scheme's roles instead of the built-in
/// ones (Mattermost's member reads join the schemes; clients look those roles up to learn,
/// for one, that a channel is read-only).
pub async fn with_scheme_roles(
    app: &App,
    mut member: utmost_model::channel::ChannelMember,
) -> AppResult<utmost_model::channel::ChannelMember> {
    if let Some(channel) = crate::caches::channels::get(app, &member.channel_id).await? {
        member.roles = app.scheme_table().channel_member_roles(
            &channel.team_id,
            channel.scheme_id.as_deref(),
            &member.roles,
        );
    }
    Ok(member)
}
