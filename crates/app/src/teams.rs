//! Teams: creation, settings, archiving, listing and what a viewer may see of a team
//! (Mattermost's `app/team.go` and `app/teams`). Membership is in [`members`], unread sums in
//! [`unreads`].

mod invite_links;
mod members;
mod unreads;

pub use invite_links::{
    create_user_with_invite_id, invite_info, join_by_invite_id, regenerate_invite_id, InviteInfo,
};
pub use members::{
    add_user, add_users, get_member, member_page, members_by_ids, memberships_for_user,
    remove_user_by, update_member_roles, update_member_scheme_roles,
};
pub use unreads::{unread_for_team, unreads_for_user};
pub use utmost_store::teams::MemberSort;

use crate::authorization::has_team_permission;
use crate::bus::Event;
use crate::errors::TeamError;
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::team::{Team, TeamPatch, TeamStats, TEAM_INVITE};
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::teams as store;
use utmost_store::StoreError;

pub async fn get(app: &App, team_id: &str) -> AppResult<Team> {
    store::get(&app.store, team_id)
        .await?
        .ok_or_else(|| TeamError::NotFound.into())
}

pub async fn get_by_name(app: &App, name: &str) -> AppResult<Team> {
    find_by_name(app, name)
        .await?
        .ok_or_else(|| TeamError::NameNotFound.into())
}

pub async fn find_by_name(app: &App, name: &str) -> AppResult<Option<Team>> {
    Ok(store::get_by_name(&app.store, name).await?)
}

/// `POST /teams`: the team gets the creator's e-mail, its default channels, and the creator
/// as its first member — a team admin, because the e-mails match.
pub async fn create(app: &App, creator_id: &str, input: Team) -> AppResult<Team> {
    let creator = crate::users::get(app, creator_id).await?;
    let client_chose_id = !input.id.is_empty();
    let now = now_millis();
    let team = Team {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        email: creator.email.clone(),
        invite_id: new_id(),
        last_team_icon_update: 0,
        policy_id: None,
        ..input
    };
    if !is_team_email_allowed(app, &creator, &team) {
        return Err(TeamError::CreatorDomainNotAllowed.into());
    }
    if client_chose_id {
        return Err(TeamError::NameTaken.into());
    }
    team.is_valid()?;
    store::insert(&app.store, &team)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => AppError::from(TeamError::NameTaken),
            other => other.into(),
        })?;
    crate::channels::create_default_channels(app, &team.id, creator_id).await?;
    members::join(app, &team, &creator).await?;
    Ok(team)
}

/// `PUT /teams/{team_id}`: only the settings a team admin edits are taken from `input`.
pub async fn update(app: &App, input: Team) -> AppResult<Team> {
    let mut team = get(app, &input.id).await?;
    check_allowed_domains(app, &input.allowed_domains)?;
    team.display_name = input.display_name;
    team.description = input.description;
    team.allow_open_invite = input.allow_open_invite;
    team.company_name = input.company_name;
    team.allowed_domains = input.allowed_domains;
    team.last_team_icon_update = input.last_team_icon_update;
    team.group_constrained = input.group_constrained;
    let team = save(app, team).await?;
    app.publish(Event::TeamUpdated { team: team.clone() }).await;
    Ok(team)
}

/// `PUT /teams/{team_id}/patch`. Closing a team to open invites regenerates its invite id.
pub async fn patch(app: &App, team_id: &str, patch: &TeamPatch) -> AppResult<Team> {
    let mut team = get(app, team_id).await?;
    team.patch(patch);
    if patch.allow_open_invite == Some(false) {
        team.invite_id = new_id();
    }
    check_allowed_domains(app, &team.allowed_domains)?;
    let team = save(app, team).await?;
    app.publish(Event::TeamUpdated { team: team.clone() }).await;
    Ok(team)
}

/// `PUT /teams/{team_id}/privacy`: "O" opens the team, "I" makes it invite-only; becoming
/// more restricted regenerates the invite id.
pub async fn update_privacy(app: &App, team_id: &str, privacy: &str) -> AppResult<Team> {
    let mut team = get(app, team_id).await?;
    let allow_open_invite = privacy != TEAM_INVITE;
    let changed = allow_open_invite != team.allow_open_invite || privacy != team.team_type;
    if changed && !allow_open_invite {
        team.invite_id = new_id();
    }
    team.team_type = privacy.to_string();
    team.allow_open_invite = allow_open_invite;
    let team = save(app, team).await?;
    app.publish(Event::TeamUpdated { team: team.clone() }).await;
    Ok(team)
}

/// `DELETE /teams/{team_id}`: archives the team.
pub async fn archive(app: &App, team_id: &str) -> AppResult<()> {
    let team = get(app, team_id).await?;
    let team = save(
        app,
        Team {
            delete_at: now_millis(),
            ..team
        },
    )
    .await?;
    app.publish(Event::TeamDeleted { team: team.clone() }).await;
    Ok(())
}

/// `DELETE /teams/{team_id}?permanent=true`.
pub async fn permanent_delete(app: &App, team_id: &str) -> AppResult<()> {
    let team = get(app, team_id).await?;
    for channel_id in utmost_store::purge::channels_of_team(&app.store, team_id).await? {
        crate::purge::channel_contents(app, &channel_id).await?;
    }
    store::permanent_delete(&app.store, team_id).await?;
    app.publish(Event::TeamDeleted { team: team.clone() }).await;
    Ok(())
}

/// `POST /teams/{team_id}/restore`.
pub async fn restore(app: &App, team_id: &str) -> AppResult<Team> {
    let team = get(app, team_id).await?;
    let team = save(
        app,
        Team {
            delete_at: 0,
            ..team
        },
    )
    .await?;
    app.publish(Event::TeamRestored { team: team.clone() })
        .await;
    Ok(team)
}

/// Validates and writes a changed team (Mattermost's store `Update`).
async fn save(app: &App, mut team: Team) -> AppResult<Team> {
    team.update_at = now_millis();
    team.is_valid()?;
    store::update(&app.store, &team).await?;
    Ok(team)
}

/// Which teams `GET /teams` lists: all, or only those open (`Some(true)`) or closed
/// (`Some(false)`) to open invites.
pub async fn list_page(
    app: &App,
    open_invite: Option<bool>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Team>> {
    let open_invite = store::OpenInvite::from_flag(open_invite);
    Ok(store::list_page(&app.store, open_invite, limit, offset).await?)
}

pub async fn count(app: &App, open_invite: Option<bool>) -> AppResult<i64> {
    Ok(store::count(&app.store, store::OpenInvite::from_flag(open_invite)).await?)
}

/// `POST /teams/search`: a page of the teams matching `term`, and how many match.
pub async fn search(
    app: &App,
    open_invite: Option<bool>,
    term: &str,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<Team>, i64)> {
    let open_invite = store::OpenInvite::from_flag(open_invite);
    Ok(store::search(&app.store, open_invite, term, limit, offset).await?)
}

/// The live teams a user is a live member of.
pub async fn list_for_user(app: &App, user_id: &str) -> AppResult<Vec<Team>> {
    Ok(store::list_for_user(&app.store, user_id).await?)
}

pub async fn stats(app: &App, team_id: &str) -> AppResult<TeamStats> {
    Ok(TeamStats {
        team_id: team_id.to_string(),
        total_member_count: store::total_member_count(&app.store, team_id).await?,
        active_member_count: store::active_member_count(&app.store, team_id).await?,
    })
}

/// What `session` may see of a team (`SanitizeTeam`): everything with `manage_team`; the
/// invite id with `invite_user`; otherwise neither the e-mail nor the invite id.
pub async fn sanitize_for(app: &App, session: &Session, mut team: Team) -> AppResult<Team> {
    if has_team_permission(app, session, &team.id, permissions::MANAGE_TEAM).await? {
        return Ok(team);
    }
    let invite_id = std::mem::take(&mut team.invite_id);
    team.sanitize();
    if has_team_permission(app, session, &team.id, permissions::INVITE_USER).await? {
        team.invite_id = invite_id;
    }
    Ok(team)
}

pub async fn sanitize_all_for(
    app: &App,
    session: &Session,
    teams: Vec<Team>,
) -> AppResult<Vec<Team>> {
    let mut out = Vec::with_capacity(teams.len());
    for team in teams {
        out.push(sanitize_for(app, session, team).await?);
    }
    Ok(out)
}

/// Commas, `@` signs and spaces all separate domains in these settings.
fn normalize_domains(domains: &str) -> Vec<String> {
    domains
        .to_lowercase()
        .replace(['@', ','], " ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// A team's allowed domains must lie within TeamSettings.RestrictCreationToDomains.
fn check_allowed_domains(app: &App, allowed_domains: &str) -> AppResult<()> {
    let valid = normalize_domains(&app.config().team_settings.restrict_creation_to_domains);
    if valid.is_empty() {
        return Ok(());
    }
    match normalize_domains(allowed_domains)
        .into_iter()
        .find(|d| !valid.contains(d))
    {
        Some(domain) => Err(TeamError::DomainNotAllowed(domain).into()),
        None => Ok(()),
    }
}

/// Whether a user's e-mail passes both the team's allowed domains and the server-wide
/// restriction (`IsTeamEmailAllowed`); bots always pass, and a guest's address answers to
/// GuestAccountsSettings.RestrictCreationToDomains alone (Mattermost's `GetAllowedDomains`).
pub(crate) fn is_team_email_allowed(app: &App, user: &User, team: &Team) -> bool {
    if user.is_bot {
        return true;
    }
    let config = app.config();
    if user.is_guest() {
        let guests = &config.guest_accounts_settings.restrict_creation_to_domains;
        return email_in_domains(&user.email, guests);
    }
    [
        team.allowed_domains.as_str(),
        config.team_settings.restrict_creation_to_domains.as_str(),
    ]
    .iter()
    .all(|restriction| email_in_domains(&user.email, restriction))
}

/// Mattermost's `CheckEmailDomain`: the address ends in `@` and one of the domains of
/// `restriction`, or `restriction` names none.
pub(crate) fn email_in_domains(email: &str, restriction: &str) -> bool {
    let domains = normalize_domains(restriction);
    let email = email.to_lowercase();
    domains.is_empty() || domains.iter().any(|d| email.ends_with(&format!("@{d}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_normalize_like_mattermost() {
        assert_eq!(
            normalize_domains("@Corp.example.com, example.com example.org"),
            vec!["corp.example.com", "example.com", "example.org"]
        );
        assert!(normalize_domains("  ").is_empty());
    }
}
