//! Ephemeral posts (`SendEphemeralPost`): shown to one user's connections as
//! `ephemeral_message`, never stored.

use crate::bus::Event;
use crate::posts::prepare_for_client;
use crate::App;
use utmost_model::post::Post;
use utmost_model::{new_id, now_millis};

/// `PostTypeEphemeral`.
pub const POST_TYPE_EPHEMERAL: &str = "system_ephemeral";

/// Sends `post` to `user_id` alone, filling in the id and time it lacks, and returns it as
/// the user's clients received it.
pub async fn send(app: &App, user_id: &str, mut post: Post) -> Post {
    post.post_type = POST_TYPE_EPHEMERAL.to_string();
    if post.id.is_empty() {
        post.id = new_id();
    }
    if post.create_at == 0 {
        post.create_at = now_millis();
    }
    // Its buttons and menus carry their integration sealed, as the post is not stored.
    crate::interactive::generate_action_ids(&mut post.props);
    if let Err(e) = crate::interactive::cookie::add_to_post(app, &mut post).await {
        tracing::error!(error = %e, "ephemeral post sent without action cookies");
    }
    let post = prepare_for_client(post);
    app.publish(Event::EphemeralPost {
        user_id: user_id.to_string(),
        post: post.clone(),
    })
    .await;
    post
}
