//! Where notification emails leave: the dispatcher calls [`post_emails`] once per post with
//! everyone whose decision says email. Building and sending the emails is the email module's
//! work; until it is wired here, the recipients are only logged.

use crate::App;
use utmost_model::channel::Channel;
use utmost_model::post::Post;

/// The post's email notifications for `recipients` (user ids).
pub async fn post_emails(_app: &App, post: &Post, channel: &Channel, recipients: Vec<String>) {
    tracing::debug!(
        post_id = %post.id,
        channel_id = %channel.id,
        recipients = ?recipients,
        "email notifications decided"
    );
}
