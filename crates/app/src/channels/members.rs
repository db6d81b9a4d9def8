//! Channel membership: joining, leaving, member roles and notification preferences.

use super::system_messages;
use crate::bus::Event;
use crate::errors::{ChannelError, RoleError, TeamError};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::channel::{Channel, ChannelMember, DEFAULT_CHANNEL_NAME};
use utmost_model::roles::{CHANNEL_ADMIN, CHANNEL_GUEST, CHANNEL_USER, SYSTEM_GUEST};
use utmost_model::user::User;
use utmost_model::{now_millis, AppError};
use utmost_store::channels as store;

fn is_guest(user: &User) -> bool {
    user.roles.split_whitespace().any(|r| r == SYSTEM_GUEST)
}

/// A fresh membership: guests get the channel guest role, everyone else channel user.
pub(crate) fn new_member(channel: &Channel, user: &User) -> ChannelMember {
    let guest = is_guest(user);
    ChannelMember {
        channel_id: channel.id.clone(),
        user_id: user.id.clone(),
        notify_props: ChannelMember::default_notify_props(),
        scheme_guest: guest,
        scheme_user: !guest,
        ..ChannelMember::default()
    }
}

pub async fn get_member(app: &App, channel_id: &str, user_id: &str) -> AppResult<ChannelMember> {
    store::member(&app.store, channel_id, user_id)
        .await?
        .ok_or_else(|| ChannelError::MemberNotFound.into())
}

/// Adds a user to a public or private channel of a team they belong to (`AddChannelMember`);
/// an existing membership is answered as it is. The channel hears "joined" when `actor_id` is
/// the user (or empty), else "added by" the actor.
pub async fn add_member(
    app: &App,
    channel: &Channel,
    user_id: &str,
    actor_id: &str,
) -> AppResult<ChannelMember> {
    if let Some(existing) = store::member(&app.store, &channel.id, user_id).await? {
        return Ok(existing);
    }
    let user = crate::users::get(app, user_id).await?;
    let adder = if actor_id.is_empty() || actor_id == user_id {
        None
    } else {
        Some(crate::users::get(app, actor_id).await?)
    };
    let membership = utmost_store::teams::get_member(&app.store, &channel.team_id, user_id).await?;
    match membership.map(|m| m.delete_at) {
        None => return Err(TeamError::MemberNotFound.into()),
        Some(deleted) if deleted > 0 => return Err(ChannelError::LeftTeam.into()),
        Some(_) => {}
    }
    if channel.is_group_or_direct() {
        return Err(ChannelError::CannotAddToType.into());
    }
    if channel.is_deleted() {
        return Err(ChannelError::AddToArchived.into());
    }
    store::add_member(&app.store, &new_member(channel, &user), now_millis()).await?;
    app.publish(Event::ChannelMemberAdded {
        channel: channel.clone(),
        user_id: user_id.to_string(),
    })
    .await;
    let (author_id, message) = match &adder {
        Some(adder) => (&adder.id, system_messages::added_to_channel(adder, &user)),
        None => (&user.id, system_messages::join_channel(&user)),
    };
    system_messages::post(app, channel, author_id, message).await;
    get_member(app, &channel.id, user_id).await
}

/// Removes a member (`RemoveUserFromChannel`); nobody but a guest may leave Town Square.
/// The channel hears "left" when the remover is the member, else "removed" by the remover.
pub async fn remove_member(
    app: &App,
    channel: &Channel,
    user_id: &str,
    remover_id: &str,
) -> AppResult<()> {
    let user = crate::users::get(app, user_id).await?;
    if channel.name == DEFAULT_CHANNEL_NAME && !is_guest(&user) {
        return Err(ChannelError::RemoveFromDefault.into());
    }
    if !store::remove_member(&app.store, &channel.id, user_id, now_millis()).await? {
        return Err(ChannelError::MemberNotFound.into());
    }
    app.publish(Event::ChannelMemberRemoved {
        channel: channel.clone(),
        user_id: user_id.to_string(),
        remover_id: remover_id.to_string(),
    })
    .await;
    if remover_id == user_id {
        system_messages::post(app, channel, user_id, system_messages::leave_channel(&user)).await;
    } else if !remover_id.is_empty() {
        // Without a remover Mattermost writes as its system bot, which Utmost does not have.
        let removed = system_messages::removed_from_channel(&user);
        system_messages::post(app, channel, remover_id, removed).await;
    }
    Ok(())
}

/// Mattermost's `IsValidChannelMemberRoles` shape check: role names of `a-z 0-9 _`.
pub fn roles_are_well_formed(roles: &str) -> bool {
    roles.split_whitespace().all(|r| {
        r.len() <= 64
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Sets a member's roles from a role list (`UpdateChannelMemberRoles`): the channel scheme
/// roles become the scheme flags. Mattermost also keeps any role no scheme manages as an
/// explicit role, which let a channel admin hand themselves `system_manager` and use its
/// permissions inside the channel (e.g. to make a private channel public); here a role from
/// any other level is refused as Mattermost refuses another scheme's role.
pub async fn update_member_roles(
    app: &App,
    channel_id: &str,
    user_id: &str,
    roles: &str,
) -> AppResult<ChannelMember> {
    let mut member = get_member(app, channel_id, user_id).await?;
    let was_guest = member.scheme_guest;
    let (mut guest, mut user, mut admin) = (false, false, false);
    let known = app.role_permissions();
    for role in roles.split_whitespace() {
        if known.permissions(role).is_none() {
            return Err(RoleError::UnknownMemberRole(role.to_string()).into());
        }
        match role {
            CHANNEL_GUEST => guest = true,
            CHANNEL_USER => user = true,
            CHANNEL_ADMIN => admin = true,
            _ => return Err(ChannelError::NotAChannelRole(role.to_string()).into()),
        }
    }
    if guest && user {
        return Err(ChannelError::GuestAndUser.into());
    }
    if guest != was_guest {
        return Err(ChannelError::GuestRoleChanged.into());
    }
    member.explicit_roles = String::new();
    (member.scheme_guest, member.scheme_user, member.scheme_admin) = (guest, user, admin);
    save_roles(app, member).await
}

/// Sets a member's scheme flags directly (`UpdateChannelMemberSchemeRoles`).
pub async fn update_member_scheme_roles(
    app: &App,
    channel_id: &str,
    user_id: &str,
    (guest, user, admin): (bool, bool, bool),
) -> AppResult<ChannelMember> {
    let mut member = get_member(app, channel_id, user_id).await?;
    if guest && user {
        return Err(ChannelError::GuestAndUser.into());
    }
    (member.scheme_guest, member.scheme_user, member.scheme_admin) = (guest, user, admin);
    save_roles(app, member).await
}

async fn save_roles(app: &App, mut member: ChannelMember) -> AppResult<ChannelMember> {
    let at = now_millis();
    if !store::update_member_roles(&app.store, &member, at).await? {
        return Err(ChannelError::MemberNotFound.into());
    }
    member.last_update_at = at;
    member.roles = utmost_model::roles::effective_channel_roles(
        &member.explicit_roles,
        member.scheme_guest,
        member.scheme_user,
        member.scheme_admin,
    );
    app.publish(Event::ChannelMemberUpdated {
        member: member.clone(),
    })
    .await;
    Ok(member)
}

/// The notify props a member may set, each with its allowed values (`None`: any value) and
/// the error id of a bad value.
const NOTIFY_PROPS: [(&str, Option<&[&str]>, &str); 8] = [
    (
        "desktop",
        Some(&["default", "all", "mention", "none"]),
        "notify_level",
    ),
    (
        "push",
        Some(&["default", "all", "mention", "none"]),
        "push_level",
    ),
    ("email", Some(&["default", "true", "false"]), "email_value"),
    ("mark_unread", Some(&["all", "mention"]), "unread_level"),
    (
        "ignore_channel_mentions",
        Some(&["default", "off", "on"]),
        "ignore_channel_mentions_value",
    ),
    (
        "channel_auto_follow_threads",
        Some(&["off", "on"]),
        "channel_auto_follow_threads_value",
    ),
    ("desktop_threads", None, ""),
    ("push_threads", None, ""),
];

/// Keeps the notify props a member may set, checking their values.
fn filter_notify_props(props: &BTreeMap<String, String>) -> AppResult<BTreeMap<String, String>> {
    let mut kept = BTreeMap::new();
    for (key, allowed, error) in NOTIFY_PROPS {
        let Some(value) = props.get(key) else {
            continue;
        };
        if allowed.is_some_and(|a| !a.contains(&value.as_str())) {
            return Err(AppError::bad_request(
                &format!("model.channel_member.is_valid.{error}.app_error"),
                format!("Invalid {key} value."),
            ));
        }
        kept.insert(key.to_string(), value.clone());
    }
    Ok(kept)
}

/// Merges notify props into a member's (`UpdateChannelMemberNotifyProps`).
pub async fn update_member_notify_props(
    app: &App,
    channel_id: &str,
    user_id: &str,
    props: &BTreeMap<String, String>,
) -> AppResult<ChannelMember> {
    let kept = filter_notify_props(props)?;
    if !store::merge_notify_props(&app.store, channel_id, user_id, &kept, now_millis()).await? {
        return Err(ChannelError::MemberNotFound.into());
    }
    let member = get_member(app, channel_id, user_id).await?;
    app.publish(Event::ChannelMemberUpdated {
        member: member.clone(),
    })
    .await;
    Ok(member)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify_props_are_filtered_and_checked() {
        let props: BTreeMap<String, String> = [("desktop", "mention"), ("bogus", "x")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let kept = filter_notify_props(&props).unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept["desktop"], "mention");
        let bad: BTreeMap<String, String> = [("mark_unread".to_string(), "x".to_string())].into();
        assert_eq!(
            filter_notify_props(&bad).unwrap_err().id,
            "model.channel_member.is_valid.unread_level.app_error"
        );
    }
}
