//! Mention and direct-message emails for a post (Mattermost's `sendNotificationEmail`). Who
//! gets one is decided elsewhere; this builds each recipient's email, with the message
//! itself or only who sent it (`EmailNotificationContentsType` full or generic), and sends it
//! through the outbox at once or keeps it for the recipient's next digest.

use super::batching::{self, Notice};
use super::templates::{Content, Rendered, Words};
use super::{outbox, site_url};
use crate::{App, AppResult};
use std::collections::HashMap;
use utmost_model::channel::Channel;
use utmost_model::post::Post;
use utmost_model::user::User;
use utmost_model::AppError;

/// The preference of a user's email interval (category, name), in seconds as text.
pub const INTERVAL_CATEGORY: &str = "notifications";
pub const INTERVAL_NAME: &str = "email_interval";
/// The interval that means "send immediately", even when batching is on.
pub const INTERVAL_IMMEDIATELY: &str = "30";

/// Mattermost's `User.GetDisplayName` for a `TeammateNameDisplay` format.
pub fn display_name(user: &User, format: &str) -> String {
    let full = format!("{} {}", user.first_name, user.last_name)
        .trim()
        .to_string();
    match format {
        "nickname_full_name" if !user.nickname.is_empty() => user.nickname.clone(),
        "nickname_full_name" | "full_name" if !full.is_empty() => full,
        _ => user.username.clone(),
    }
}

/// Queues the email of `post` in `channel` for each of `recipient_ids`: at once, or, with
/// `EnableEmailBatching` and a recipient who did not choose "immediately", for their digest.
pub async fn queue(
    app: &App,
    post: &Post,
    channel: &Channel,
    recipient_ids: Vec<String>,
) -> Result<(), AppError> {
    let config = app.config();
    if !config.email_settings.send_email_notifications {
        return Ok(());
    }
    let sender = crate::users::get(app, &post.user_id).await?;
    let format = &config.team_settings.teammate_name_display;
    let sender_name = display_name(&sender, format);
    let team = if channel.team_id.is_empty() {
        None
    } else {
        Some(crate::teams::get(app, &channel.team_id).await?)
    };
    let mut immediate = Vec::new();
    // A post's email reads the same for everyone of a locale (and, for a direct or group
    // message, of a team): it is rendered once for them all.
    let mut rendered: HashMap<(String, String), Rendered> = HashMap::new();
    for recipient_id in recipient_ids {
        let recipient = crate::users::get(app, &recipient_id).await?;
        if recipient.delete_at > 0 || recipient.email.is_empty() {
            continue;
        }
        // A direct or group message belongs to no team: its link goes through one of the
        // recipient's teams, as Mattermost's does.
        let team = match &team {
            Some(t) => Some(t.clone()),
            None => utmost_store::teams::list_for_user(&app.store, &recipient.id)
                .await?
                .into_iter()
                .next(),
        };
        let (team_name, team_display) = team.map(|t| (t.name, t.display_name)).unwrap_or_default();
        let channel_name = match channel.channel_type.as_str() {
            "D" => sender_name.clone(),
            _ => channel.display_name.clone(),
        };
        let notice = Notice {
            sender: sender_name.clone(),
            channel: channel_name,
            team: team_display,
            kind: channel.channel_type.clone(),
            at: post.create_at,
            message: (config.email_settings.email_notification_contents_type == "full")
                .then(|| post.message.clone()),
            link: format!("{}/{team_name}/pl/{}", site_url(&config), post.id),
        };
        if config.email_settings.enable_email_batching && batched(app, &recipient).await? {
            batching::add(app, &recipient.id, &notice).await?;
        } else {
            let key = (recipient.locale.clone(), team_name);
            let email = rendered.entry(key).or_insert_with(|| {
                let words = Words {
                    locale: &recipient.locale,
                    site: &config.team_settings.site_name,
                };
                render(&words, &notice)
            });
            immediate.push((recipient.email, email.clone()));
        }
    }
    outbox::enqueue_all(app, immediate).await
}

/// Whether the recipient's emails wait for a digest: unless they chose "immediately".
async fn batched(app: &App, recipient: &User) -> AppResult<bool> {
    let interval =
        utmost_store::preferences::get(&app.store, &recipient.id, INTERVAL_CATEGORY, INTERVAL_NAME)
            .await?;
    Ok(interval.is_none_or(|p| p.value != INTERVAL_IMMEDIATELY))
}

/// The email of one notice: a mention in a channel, a direct or a group message.
fn render(words: &Words, notice: &Notice) -> super::templates::Rendered {
    let kind = match notice.kind.as_str() {
        "D" => "dm",
        "G" => "gm",
        _ => "mention",
    };
    let date = batching::date(notice.at);
    let values = [
        ("sender", notice.sender.as_str()),
        ("channel", notice.channel.as_str()),
        ("team", notice.team.as_str()),
        ("date", date.as_str()),
    ];
    let paragraphs = match &notice.message {
        Some(_) => Vec::new(),
        None => vec![words.get("mention.generic", &values)],
    };
    Content {
        subject: words.get(&format!("{kind}.subject"), &values),
        title: words.get(&format!("{kind}.title"), &values),
        paragraphs,
        quote: notice.message.clone(),
        button: Some((words.get("notice.button", &[]), notice.link.clone())),
        footer: words.get("footer", &[]),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_follow_the_format_with_the_username_as_fallback() {
        let mut u = User {
            username: "jo".into(),
            ..User::default()
        };
        assert_eq!(display_name(&u, "full_name"), "jo");
        u.first_name = "Jo".into();
        u.last_name = "Ann".into();
        assert_eq!(display_name(&u, "full_name"), "Jo Ann");
        assert_eq!(display_name(&u, "nickname_full_name"), "Jo Ann");
        u.nickname = "J".into();
        assert_eq!(display_name(&u, "nickname_full_name"), "J");
        assert_eq!(display_name(&u, "username"), "jo");
    }
}
