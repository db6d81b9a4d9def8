//! Finding people: listings, search, autocomplete, lookups by id / username / e-mail, and
//! who may see whom (Mattermost's `GetViewUsersRestrictions`: without system-wide
//! view_members a user sees only people sharing a team or channel with them).

use super::{is_system_admin, sanitize_for};
use crate::authorization::{
    has_system_permission, has_team_permission, require_channel, require_system, require_team,
};
use crate::errors::UserError;
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::user::{
    User, UserAutocomplete, UserSearch, USER_SEARCH_DEFAULT_LIMIT, USER_SEARCH_MAX_LIMIT,
};
use utmost_model::AppError;
use utmost_store::users::{self as store, UserFilter, UserSort, Visibility};

/// What bounds the viewer's sight, or None when they see everyone: the teams where they
/// hold `view_members` (never, with the built-in team roles) and their channels. So a guest
/// sees only the people in their channels.
async fn visibility(app: &App, session: &Session) -> AppResult<Option<Visibility>> {
    if is_unrestricted(app, session) {
        return Ok(None);
    }
    let mut teams = Vec::new();
    let memberships = crate::teams::memberships_for_user(app, &session.user_id).await?;
    for member in memberships.into_iter().filter(|m| m.delete_at == 0) {
        if has_team_permission(app, session, &member.team_id, permissions::VIEW_MEMBERS).await? {
            teams.push(member.team_id);
        }
    }
    Ok(Some(Visibility {
        viewer: session.user_id.clone(),
        teams,
    }))
}

fn is_unrestricted(app: &App, session: &Session) -> bool {
    has_system_permission(app, session, permissions::VIEW_MEMBERS)
}

/// `UserCanSeeOtherUser`.
pub async fn can_see(app: &App, session: &Session, user_id: &str) -> AppResult<bool> {
    let Some(visibility) = visibility(app, session).await? else {
        return Ok(true);
    };
    if visibility.viewer == user_id {
        return Ok(true);
    }
    let filter = UserFilter {
        ids: Some(vec![user_id.to_string()]),
        visible_to: Some(visibility),
        limit: 1,
        ..UserFilter::default()
    };
    Ok(!store::list(&app.store, &filter).await?.is_empty())
}

/// `GET /users/stats`: the active accounts, bots included, that `session` may see —
/// Mattermost's `GetTotalUsersStats` under the caller's view restrictions.
pub async fn total_users_count(app: &App, session: &Session) -> AppResult<i64> {
    let filter = UserFilter {
        active: Some(true),
        visible_to: visibility(app, session).await?,
        ..UserFilter::default()
    };
    Ok(store::count(&app.store, &filter).await?)
}

/// `GET /users/stats/filtered` (Mattermost's `GetFilteredUsersStats`): the accounts in the
/// team or channel (when named), active ones unless `include_deleted`, holding one of `roles`
/// (when any). Utmost has no bot accounts, so `include_bots` changes nothing.
pub async fn filtered_users_count(
    app: &App,
    in_team: Option<String>,
    in_channel: Option<String>,
    include_deleted: bool,
    roles: Vec<String>,
) -> AppResult<i64> {
    let filter = UserFilter {
        in_team,
        in_channel,
        active: if include_deleted { None } else { Some(true) },
        any_role: roles,
        ..UserFilter::default()
    };
    Ok(store::count(&app.store, &filter).await?)
}

fn sanitize_all(app: &App, session: &Session, users: Vec<User>) -> Vec<User> {
    users
        .into_iter()
        .map(|u| sanitize_for(app, session, u))
        .collect()
}

/// `GET /users` query parameters.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub in_team: String,
    pub not_in_team: String,
    pub in_channel: String,
    pub not_in_channel: String,
    pub without_team: bool,
    pub active: bool,
    pub inactive: bool,
    pub role: String,
    pub sort: String,
    pub limit: i64,
    pub offset: i64,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// `GET /users`: validation and permission checks in Mattermost's order, then one page.
pub async fn list(app: &App, session: &Session, q: &ListQuery) -> AppResult<Vec<User>> {
    if !q.not_in_channel.is_empty() && q.in_team.is_empty() {
        return Err(AppError::invalid_url_param("team_id"));
    }
    let sort = list_sort(q)?;
    if q.active && q.inactive {
        return Err(AppError::invalid_url_param("inactive"));
    }
    if !q.role.is_empty() && app.role_permissions().permissions(&q.role).is_none() {
        return Err(AppError::invalid_param("role"));
    }
    if q.without_team {
        require_system(app, session, permissions::LIST_USERS_WITHOUT_TEAM)?;
    } else if !q.not_in_channel.is_empty() {
        require_channel(app, session, &q.not_in_channel, permissions::READ_CHANNEL).await?;
    } else if !q.not_in_team.is_empty() {
        require_team(app, session, &q.not_in_team, permissions::VIEW_TEAM).await?;
    } else if !q.in_team.is_empty() {
        require_team(app, session, &q.in_team, permissions::VIEW_TEAM).await?;
    } else if !q.in_channel.is_empty() {
        require_channel(app, session, &q.in_channel, permissions::READ_CHANNEL).await?;
    }
    let filter = UserFilter {
        in_team: non_empty(&q.in_team),
        not_in_team: non_empty(&q.not_in_team),
        in_channel: non_empty(&q.in_channel),
        not_in_channel: non_empty(&q.not_in_channel),
        without_team: q.without_team,
        active: match (q.active, q.inactive) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        role: non_empty(&q.role),
        visible_to: visibility(app, session).await?,
        sort,
        limit: q.limit,
        offset: q.offset,
        ..UserFilter::default()
    };
    let users = store::list(&app.store, &filter).await?;
    Ok(sanitize_all(app, session, users))
}

/// Mattermost sorts by activity or age only within one team, by status or channel role only
/// within one channel; the latter two are served in username order.
fn list_sort(q: &ListQuery) -> AppResult<UserSort> {
    let only_team = !q.in_team.is_empty()
        && q.not_in_team.is_empty()
        && q.in_channel.is_empty()
        && q.not_in_channel.is_empty()
        && !q.without_team;
    match q.sort.as_str() {
        "" => Ok(UserSort::Username),
        "last_activity_at" if only_team => Ok(UserSort::LastActivity),
        "create_at" if only_team => Ok(UserSort::CreateAt),
        "status" | "admin" if !q.in_channel.is_empty() => Ok(UserSort::Username),
        _ => Err(AppError::invalid_url_param("sort")),
    }
}

/// Splits a search term into the words every result must match.
fn search_words(term: &str) -> Vec<String> {
    term.split_whitespace()
        .map(|w| w.trim_start_matches('@').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Full names are searchable for admins and when PrivacySettings.ShowFullName is on.
fn names_searchable(app: &App, session: &Session) -> bool {
    is_system_admin(app, session) || app.config().privacy_settings.show_full_name
}

/// `POST /users/search`.
pub async fn search(app: &App, session: &Session, mut s: UserSearch) -> AppResult<Vec<User>> {
    if s.limit == 0 {
        s.limit = USER_SEARCH_DEFAULT_LIMIT;
    }
    if s.term.is_empty() {
        return Err(AppError::invalid_param("term"));
    }
    if s.team_id.is_empty() && !s.not_in_channel_id.is_empty() {
        return Err(AppError::invalid_param("team_id"));
    }
    for channel in [&s.in_channel_id, &s.not_in_channel_id] {
        if !channel.is_empty() {
            require_channel(app, session, channel, permissions::READ_CHANNEL).await?;
        }
    }
    for team in [&s.team_id, &s.not_in_team_id] {
        if !team.is_empty() {
            require_team(app, session, team, permissions::VIEW_TEAM).await?;
        }
    }
    if s.limit <= 0 || s.limit > USER_SEARCH_MAX_LIMIT {
        return Err(AppError::invalid_param("limit"));
    }
    let filter = UserFilter {
        in_team: non_empty(&s.team_id),
        not_in_team: non_empty(&s.not_in_team_id),
        in_channel: non_empty(&s.in_channel_id),
        not_in_channel: non_empty(&s.not_in_channel_id),
        without_team: s.without_team,
        active: (!s.allow_inactive).then_some(true),
        role: non_empty(&s.role),
        terms: search_words(&s.term),
        match_full_names: names_searchable(app, session),
        match_emails: is_system_admin(app, session)
            || app.config().privacy_settings.show_email_address,
        visible_to: visibility(app, session).await?,
        limit: s.limit,
        ..UserFilter::default()
    };
    let users = store::list(&app.store, &filter).await?;
    Ok(sanitize_all(app, session, users))
}

/// `GET /users/autocomplete`: active users whose username, nickname or (as allowed) name
/// starts with `name`; with a channel, its members and, apart, the team's other members.
pub async fn autocomplete(
    app: &App,
    session: &Session,
    team_id: &str,
    channel_id: &str,
    name: &str,
    limit: i64,
) -> AppResult<UserAutocomplete> {
    if !channel_id.is_empty() {
        require_channel(app, session, channel_id, permissions::READ_CHANNEL).await?;
    }
    if !team_id.is_empty() {
        require_team(app, session, team_id, permissions::VIEW_TEAM).await?;
    }
    if !channel_id.is_empty() && team_id.is_empty() {
        return Err(UserError::AutocompleteWithoutTeam.into());
    }
    let base = UserFilter {
        in_team: non_empty(team_id),
        active: Some(true),
        terms: search_words(name),
        match_full_names: names_searchable(app, session),
        visible_to: visibility(app, session).await?,
        limit: limit.clamp(0, USER_SEARCH_MAX_LIMIT),
        ..UserFilter::default()
    };
    if channel_id.is_empty() {
        let users = store::list(&app.store, &base).await?;
        return Ok(UserAutocomplete {
            users: sanitize_all(app, session, users),
            out_of_channel: Vec::new(),
        });
    }
    let in_channel = UserFilter {
        in_channel: Some(channel_id.to_string()),
        ..base.clone()
    };
    let out_of_channel = UserFilter {
        not_in_channel: Some(channel_id.to_string()),
        ..base
    };
    let users = store::list(&app.store, &in_channel).await?;
    let others = store::list(&app.store, &out_of_channel).await?;
    Ok(UserAutocomplete {
        users: sanitize_all(app, session, users),
        out_of_channel: sanitize_all(app, session, others),
    })
}

/// `POST /users/ids`: the visible users among `ids`, only those updated after `since` if set.
pub async fn by_ids(
    app: &App,
    session: &Session,
    mut ids: Vec<String>,
    since: Option<i64>,
) -> AppResult<Vec<User>> {
    ids.sort();
    ids.dedup();
    let filter = UserFilter {
        limit: i64::try_from(ids.len()).unwrap_or(i64::MAX),
        ids: Some(ids),
        updated_after: since,
        visible_to: visibility(app, session).await?,
        ..UserFilter::default()
    };
    let users = store::list(&app.store, &filter).await?;
    Ok(sanitize_all(app, session, users))
}

/// `POST /users/usernames`.
pub async fn by_usernames(
    app: &App,
    session: &Session,
    mut names: Vec<String>,
) -> AppResult<Vec<User>> {
    names.sort();
    names.dedup();
    let filter = UserFilter {
        limit: i64::try_from(names.len()).unwrap_or(i64::MAX),
        usernames: Some(names),
        visible_to: visibility(app, session).await?,
        ..UserFilter::default()
    };
    let users = store::list(&app.store, &filter).await?;
    Ok(sanitize_all(app, session, users))
}

/// A lookup that found nothing: 403 for a viewer whose view is restricted (so lookups do not
/// reveal who exists), else `not_found`.
fn missing(app: &App, session: &Session, not_found: AppError) -> AppError {
    if !is_unrestricted(app, session) {
        AppError::permission_denied(permissions::VIEW_MEMBERS)
    } else {
        not_found
    }
}

async fn visible(app: &App, session: &Session, user: User) -> AppResult<User> {
    if can_see(app, session, &user.id).await? {
        Ok(user)
    } else {
        Err(AppError::permission_denied(permissions::VIEW_MEMBERS))
    }
}

/// `GET /users/username/{username}` (unsanitised: the caller computes the ETag first).
pub async fn by_username(app: &App, session: &Session, username: &str) -> AppResult<User> {
    let user = store::get_by_username(&app.store, username)
        .await?
        .ok_or_else(|| missing(app, session, UserError::UsernameNotFound.into()))?;
    visible(app, session, user).await
}

/// `GET /users/email/{email}` (unsanitised: the caller computes the ETag first). Other
/// people's addresses are only looked up when the viewer may see them.
pub async fn by_email(app: &App, session: &Session, email: &str) -> AppResult<User> {
    if !is_system_admin(app, session) && !app.config().privacy_settings.show_email_address {
        return Err(UserError::EmailLookupDenied.into());
    }
    let user = store::get_by_email(&app.store, email)
        .await?
        .ok_or_else(|| missing(app, session, UserError::NotFound.into()))?;
    visible(app, session, user).await
}
