//! Saved ("flagged") posts: the posts a user's `flagged_post` preferences name
//! (`SqlPostStore.getFlaggedPosts`).

use crate::db::Bind;
use crate::posts::{query_posts, select_posts};
use crate::{Result, Store};
use utmost_model::post::Post;

/// Which of a user's saved posts a listing returns.
#[derive(Debug, Clone, Copy, Default)]
pub enum FlaggedIn<'a> {
    /// Every channel.
    #[default]
    Anywhere,
    /// One team's channels, and direct and group messages (which belong to no team).
    Team(&'a str),
    Channel(&'a str),
}

/// The live posts `user_id` saved, in channels they are still a member of, newest first.
pub async fn flagged_posts(
    store: &Store,
    user_id: &str,
    scope: FlaggedIn<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Post>> {
    let mut sql = format!(
        "{} WHERE p.id IN (SELECT name FROM preferences \
         WHERE userid = $1 AND category = 'flagged_post') \
         AND p.deleteat = 0 \
         AND p.channelid IN (SELECT channelid FROM channelmembers WHERE userid = $1)",
        select_posts()
    );
    let mut args = vec![Bind::Str(user_id)];
    match scope {
        FlaggedIn::Anywhere => {}
        FlaggedIn::Team(team_id) => {
            args.push(Bind::Str(team_id));
            sql.push_str(
                " AND p.channelid IN (SELECT id FROM channels \
                 WHERE teamid = $2 OR COALESCE(teamid, '') = '')",
            );
        }
        FlaggedIn::Channel(channel_id) => {
            args.push(Bind::Str(channel_id));
            sql.push_str(" AND p.channelid = $2");
        }
    }
    sql.push_str(&format!(
        " ORDER BY p.createat DESC LIMIT {limit} OFFSET {offset}"
    ));
    query_posts(store, &sql, &args).await
}
