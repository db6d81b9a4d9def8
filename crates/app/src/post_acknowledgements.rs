//! Acknowledging a post (`app/post_acknowledgements.go`): a reader confirms they saw a post
//! that asked for it; they may take it back within five minutes.

use crate::bus::Event;
use crate::errors::AcknowledgementError;
use crate::posts::{get_channel, get_single};
use crate::{App, AppResult};
use utmost_model::now_millis;
use utmost_model::post_acknowledgement::{PostAcknowledgement, ACKNOWLEDGEMENT_UNDO_WINDOW_MS};
use utmost_store::post_acknowledgements as store;

/// `SaveAcknowledgementForPost`: the post must be live and its channel not archived.
/// Publishes `AcknowledgementAdded`.
pub async fn save(app: &App, post_id: &str, user_id: &str) -> AppResult<PostAcknowledgement> {
    let post = get_single(app, post_id, false).await?;
    let channel = get_channel(app, &post.channel_id).await?;
    if channel.delete_at > 0 {
        return Err(AcknowledgementError::SaveInArchived.into());
    }
    let acknowledgement = PostAcknowledgement {
        user_id: user_id.to_string(),
        post_id: post_id.to_string(),
        acknowledged_at: now_millis(),
    };
    store::save(&app.store, &acknowledgement).await?;
    app.publish(Event::AcknowledgementAdded {
        acknowledgement: acknowledgement.clone(),
        channel_id: channel.id,
    })
    .await;
    Ok(acknowledgement)
}

/// `DeleteAcknowledgementForPost`: only an acknowledgement younger than five minutes may be
/// taken back. Publishes `AcknowledgementRemoved` with the acknowledgement as it was.
pub async fn delete(app: &App, post_id: &str, user_id: &str) -> AppResult<()> {
    let post = get_single(app, post_id, false).await?;
    let channel = get_channel(app, &post.channel_id).await?;
    if channel.delete_at > 0 {
        return Err(AcknowledgementError::DeleteInArchived.into());
    }
    let acknowledgement = store::get(&app.store, post_id, user_id)
        .await?
        .ok_or(AcknowledgementError::NotFound)?;
    let now = now_millis();
    if now - acknowledgement.acknowledged_at > ACKNOWLEDGEMENT_UNDO_WINDOW_MS {
        return Err(AcknowledgementError::PastDeadline.into());
    }
    store::delete(&app.store, post_id, user_id, now).await?;
    app.publish(Event::AcknowledgementRemoved {
        acknowledgement,
        channel_id: channel.id,
    })
    .await;
    Ok(())
}
