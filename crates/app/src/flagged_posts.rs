//! Saved posts: a user saves a post with a `flagged_post` preference (through the
//! preferences routes); this lists them (`GetFlaggedPosts*` and api4's
//! `getFlaggedPostsForUser`).

use crate::{App, AppResult};
use utmost_model::post::PostList;
use utmost_model::session::Session;
pub use utmost_store::flagged_posts::FlaggedIn;

/// One page of `user_id`'s saved posts in `scope`, newest first, keeping only the posts whose
/// channels the session may read (the page is cut before that filter, as in Mattermost).
pub async fn flagged_posts(
    app: &App,
    session: &Session,
    user_id: &str,
    scope: FlaggedIn<'_>,
    limit: i64,
    offset: i64,
) -> AppResult<PostList> {
    let posts =
        utmost_store::flagged_posts::flagged_posts(&app.store, user_id, scope, limit, offset)
            .await?;
    let mut list = PostList::default();
    for post in crate::posts::readable_by(app, session, posts).await? {
        list.push_ordered(post);
    }
    list.sort_by_create_at();
    crate::posts::add_metadata(app, list.posts.values_mut()).await?;
    Ok(list)
}
