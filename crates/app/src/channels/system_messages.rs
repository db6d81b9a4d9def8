//! The system messages that membership and channel changes leave in a channel's history
//! (Mattermost's `post…Message` helpers in `app/channel.go` and `app/team.go`): the same
//! types, English texts and props. Writing one happens after the change has committed; a
//! message that cannot be written is logged and never undoes the change it reports.

use crate::posts::{create_system_post, POST_ADD_TO_CHANNEL, PROP_ADDED_USER_ID};
use crate::App;
use serde_json::Value;
use utmost_model::channel::{Channel, CHANNEL_OPEN};
use utmost_model::post::PostProps;
use utmost_model::user::User;

/// One system message: its post type, text and props.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SystemMessage {
    pub post_type: &'static str,
    pub message: String,
    pub props: PostProps,
}

impl SystemMessage {
    fn new<const N: usize>(
        post_type: &'static str,
        message: String,
        props: [(&str, &str); N],
    ) -> Self {
        let props = props
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::from(v)))
            .collect();
        Self {
            post_type,
            message,
            props,
        }
    }
}

/// `postJoinChannelMessage`: "joined the channel", "as guest" for guests.
pub(crate) fn join_channel(user: &User) -> SystemMessage {
    let (post_type, text) = if user.is_guest() {
        (
            "system_guest_join_channel",
            format!("{} joined the channel as guest.", user.username),
        )
    } else {
        (
            "system_join_channel",
            format!("{} joined the channel.", user.username),
        )
    };
    SystemMessage::new(post_type, text, [("username", &user.username)])
}

/// `postLeaveChannelMessage`. The text names `@username` so it still reads as a mention of
/// someone who is no longer a member.
pub(crate) fn leave_channel(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_leave_channel",
        format!("@{} left the channel.", user.username),
        [("username", &user.username)],
    )
}

/// `PostAddToChannelMessage`, written by the one who added `added`.
pub(crate) fn added_to_channel(adder: &User, added: &User) -> SystemMessage {
    let (post_type, text) = if added.is_guest() {
        (
            "system_add_guest_to_chan",
            format!(
                "{} added to the channel as guest by {}.",
                added.username, adder.username
            ),
        )
    } else {
        (
            POST_ADD_TO_CHANNEL,
            format!(
                "{} added to the channel by {}.",
                added.username, adder.username
            ),
        )
    };
    SystemMessage::new(
        post_type,
        text,
        [
            ("userId", &adder.id),
            ("username", &adder.username),
            (PROP_ADDED_USER_ID, &added.id),
            ("addedUsername", &added.username),
        ],
    )
}

/// `postRemoveFromChannelMessage`, written by the remover.
pub(crate) fn removed_from_channel(removed: &User) -> SystemMessage {
    SystemMessage::new(
        "system_remove_from_channel",
        format!("@{} removed from the channel.", removed.username),
        [
            ("removedUserId", &removed.id),
            ("removedUsername", &removed.username),
        ],
    )
}

/// `postJoinTeamMessage`, in Town Square.
pub(crate) fn join_team(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_join_team",
        format!("{} joined the team.", user.username),
        [("username", &user.username)],
    )
}

/// `postLeaveTeamMessage`, in Town Square.
pub(crate) fn leave_team(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_leave_team",
        format!("{} left the team.", user.username),
        [("username", &user.username)],
    )
}

/// `postRemoveFromTeamMessage`, in Town Square; Mattermost writes it as the removed user.
pub(crate) fn removed_from_team(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_remove_from_team",
        format!("{} removed from the team.", user.username),
        [("username", &user.username)],
    )
}

/// `PostUpdateChannelHeaderMessage`.
pub(crate) fn header_change(user: &User, old: &str, new: &str) -> SystemMessage {
    let name = &user.username;
    let text = if old.is_empty() {
        format!("{name} updated the channel header to: {new}")
    } else if new.is_empty() {
        format!("{name} removed the channel header (was: {old})")
    } else {
        format!("{name} updated the channel header from: {old} to: {new}")
    };
    SystemMessage::new(
        "system_header_change",
        text,
        [("username", name), ("old_header", old), ("new_header", new)],
    )
}

/// `PostUpdateChannelPurposeMessage`.
pub(crate) fn purpose_change(user: &User, old: &str, new: &str) -> SystemMessage {
    let name = &user.username;
    let text = if old.is_empty() {
        format!("{name} updated the channel purpose to: {new}")
    } else if new.is_empty() {
        format!("{name} removed the channel purpose (was: {old})")
    } else {
        format!("{name} updated the channel purpose from: {old} to: {new}")
    };
    SystemMessage::new(
        "system_purpose_change",
        text,
        [
            ("username", name),
            ("old_purpose", old),
            ("new_purpose", new),
        ],
    )
}

/// `PostUpdateChannelDisplayNameMessage`.
pub(crate) fn display_name_change(user: &User, old: &str, new: &str) -> SystemMessage {
    let name = &user.username;
    SystemMessage::new(
        "system_displayname_change",
        format!("{name} updated the channel display name from: {old} to: {new}"),
        [
            ("username", name),
            ("old_displayname", old),
            ("new_displayname", new),
        ],
    )
}

/// `postChannelPrivacyMessage`: the text says what the channel became.
pub(crate) fn privacy_change(user: &User, channel: &Channel) -> SystemMessage {
    let text = if channel.channel_type == CHANNEL_OPEN {
        "This channel has been converted to a Public Channel and can be joined by any team member."
    } else {
        "This channel has been converted to a Private Channel."
    };
    SystemMessage::new(
        "system_change_chan_privacy",
        text.to_string(),
        [("username", &user.username)],
    )
}

/// `DeleteChannel`'s archive message.
pub(crate) fn archived(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_channel_deleted",
        format!("{} archived the channel.", user.username),
        [("username", &user.username)],
    )
}

/// `RestoreChannel`'s unarchive message.
pub(crate) fn restored(user: &User) -> SystemMessage {
    SystemMessage::new(
        "system_channel_restored",
        format!("{} unarchived the channel.", user.username),
        [("username", &user.username)],
    )
}

/// Writes `message` into `channel` as `author_id`; a failure is logged.
pub(crate) async fn post(app: &App, channel: &Channel, author_id: &str, message: SystemMessage) {
    let SystemMessage {
        post_type,
        message,
        props,
    } = message;
    if let Err(e) = create_system_post(app, channel, author_id, post_type, message, props).await {
        tracing::warn!(channel_id = %channel.id, post_type, error = %e,
            "could not post the system message");
    }
}

/// Writes the message `build` makes from the acting user's profile; a missing user is logged.
pub(crate) async fn post_as(
    app: &App,
    channel: &Channel,
    actor_id: &str,
    build: impl FnOnce(&User) -> SystemMessage,
) {
    match crate::users::get(app, actor_id).await {
        Ok(actor) => post(app, channel, actor_id, build(&actor)).await,
        Err(e) => tracing::warn!(channel_id = %channel.id, user_id = actor_id, error = %e,
            "could not load the author of a system message"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user(id: &str, username: &str, roles: &str) -> User {
        User {
            id: id.into(),
            username: username.into(),
            roles: roles.into(),
            ..User::default()
        }
    }

    #[test]
    fn membership_messages_match_mattermost() {
        let alice = user("a", "alice", "system_user");
        let guest = user("g", "gus", "system_guest");
        let join = join_channel(&alice);
        assert_eq!(join.post_type, "system_join_channel");
        assert_eq!(join.message, "alice joined the channel.");
        assert_eq!(join.props["username"], json!("alice"));
        assert_eq!(join_channel(&guest).post_type, "system_guest_join_channel");
        assert_eq!(
            join_channel(&guest).message,
            "gus joined the channel as guest."
        );
        assert_eq!(leave_channel(&alice).message, "@alice left the channel.");

        let added = added_to_channel(&alice, &user("b", "bob", "system_user"));
        assert_eq!(added.post_type, "system_add_to_channel");
        assert_eq!(added.message, "bob added to the channel by alice.");
        assert_eq!(added.props["userId"], json!("a"));
        assert_eq!(added.props["username"], json!("alice"));
        assert_eq!(added.props["addedUserId"], json!("b"));
        assert_eq!(added.props["addedUsername"], json!("bob"));
        let added_guest = added_to_channel(&alice, &guest);
        assert_eq!(added_guest.post_type, "system_add_guest_to_chan");
        assert_eq!(
            added_guest.message,
            "gus added to the channel as guest by alice."
        );

        let removed = removed_from_channel(&guest);
        assert_eq!(removed.message, "@gus removed from the channel.");
        assert_eq!(removed.props["removedUserId"], json!("g"));
        assert_eq!(removed.props["removedUsername"], json!("gus"));
        assert!(!removed.props.contains_key("username"));

        assert_eq!(join_team(&alice).message, "alice joined the team.");
        assert_eq!(leave_team(&alice).post_type, "system_leave_team");
        assert_eq!(
            removed_from_team(&alice).message,
            "alice removed from the team."
        );
    }

    #[test]
    fn property_messages_say_what_changed() {
        let alice = user("a", "alice", "system_user");
        assert_eq!(
            header_change(&alice, "", "new").message,
            "alice updated the channel header to: new"
        );
        assert_eq!(
            header_change(&alice, "old", "").message,
            "alice removed the channel header (was: old)"
        );
        let both = header_change(&alice, "old", "new");
        assert_eq!(
            both.message,
            "alice updated the channel header from: old to: new"
        );
        assert_eq!(both.props["old_header"], json!("old"));
        assert_eq!(both.props["new_header"], json!("new"));
        assert_eq!(
            purpose_change(&alice, "", "p").message,
            "alice updated the channel purpose to: p"
        );
        assert_eq!(
            purpose_change(&alice, "p", "").props["old_purpose"],
            json!("p")
        );
        let renamed = display_name_change(&alice, "Old", "New");
        assert_eq!(
            renamed.message,
            "alice updated the channel display name from: Old to: New"
        );
        assert_eq!(renamed.props["new_displayname"], json!("New"));
        assert_eq!(archived(&alice).message, "alice archived the channel.");
        assert_eq!(restored(&alice).post_type, "system_channel_restored");
        let private = Channel {
            channel_type: "P".into(),
            ..Channel::default()
        };
        assert_eq!(
            privacy_change(&alice, &private).message,
            "This channel has been converted to a Private Channel."
        );
    }
}
