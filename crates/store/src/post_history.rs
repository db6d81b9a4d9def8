//! A post's edit history: each edit keeps the version it replaced as a deleted row whose
//! `originalid` names the live post (`SqlPostStore.GetEditHistoryForPost`).

use crate::db::Bind;
use crate::posts::{query_posts, select_posts};
use crate::{Result, Store};
use utmost_model::post::Post;

/// At most this many versions are read; Mattermost reads every one, but a post edited more
/// often than this is no conversation anyone reads back.
pub const EDIT_HISTORY_LIMIT: i64 = 1000;

/// The earlier versions of `post_id`, the latest edit first.
pub async fn edit_history(store: &Store, post_id: &str) -> Result<Vec<Post>> {
    let sql = format!(
        "{} WHERE p.originalid = $1 AND p.deleteat <> 0 \
         ORDER BY p.editat DESC, p.updateat DESC LIMIT {EDIT_HISTORY_LIMIT}",
        select_posts()
    );
    query_posts(store, &sql, &[Bind::Str(post_id)]).await
}
