//! `postacknowledgements`: who acknowledged a post. Taking an acknowledgement back keeps
//! the row with `acknowledgedat` 0, as Mattermost does; either change moves the post's
//! `updateat` so that clients holding the post refetch it. Posts' `metadata.acknowledgements`
//! are read with their priority (`post_priority::metadata_for_posts`).

use crate::db::{query_rows, transaction, Bind};
use crate::{Result, Store};
use utmost_model::post_acknowledgement::PostAcknowledgement;

#[derive(sqlx::FromRow)]
struct AcknowledgementRow {
    postid: String,
    userid: String,
    acknowledgedat: Option<i64>,
}

impl From<AcknowledgementRow> for PostAcknowledgement {
    fn from(r: AcknowledgementRow) -> Self {
        PostAcknowledgement {
            user_id: r.userid,
            post_id: r.postid,
            acknowledged_at: r.acknowledgedat.unwrap_or(0),
        }
    }
}

const SELECT: &str = "SELECT postid, userid, acknowledgedat FROM postacknowledgements";

const TOUCH_POST: &str = "UPDATE posts SET updateat = $1 WHERE id = $2";

/// Saves (or renews) the acknowledgement and moves its post's `updateat` to it.
pub async fn save(store: &Store, ack: &PostAcknowledgement) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "INSERT INTO postacknowledgements (postid, userid, acknowledgedat) \
             VALUES ($1, $2, $3) \
             ON CONFLICT (postid, userid) DO UPDATE SET acknowledgedat = excluded.acknowledgedat",
        )
        .bind(&ack.post_id)
        .bind(&ack.user_id)
        .bind(ack.acknowledged_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(TOUCH_POST)
            .bind(ack.acknowledged_at)
            .bind(&ack.post_id)
            .execute(&mut *tx)
            .await?;
    })
}

/// The user's live acknowledgement of the post.
pub async fn get(
    store: &Store,
    post_id: &str,
    user_id: &str,
) -> Result<Option<PostAcknowledgement>> {
    let sql = format!("{SELECT} WHERE postid = $1 AND userid = $2 AND acknowledgedat <> 0");
    Ok(query_rows::<AcknowledgementRow, PostAcknowledgement>(
        store,
        &sql,
        &[Bind::Str(post_id), Bind::Str(user_id)],
    )
    .await?
    .pop())
}

/// Takes the acknowledgement back at `at` (its row stays with `acknowledgedat` 0).
pub async fn delete(store: &Store, post_id: &str, user_id: &str, at: i64) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "UPDATE postacknowledgements SET acknowledgedat = 0 \
             WHERE postid = $1 AND userid = $2",
        )
        .bind(post_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(TOUCH_POST)
            .bind(at)
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
    })
}
