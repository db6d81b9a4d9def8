//! Sidebar categories (`sidebarcategories`) and the channels placed in them
//! (`sidebarchannels`), as Mattermost's `channel_store_categories.go` keeps them.
//!
//! Only placements a user made are stored. A channel the user belongs to that no category of
//! the team holds is listed, when read, in the team's `channels` category (public and private
//! channels of the team) or `direct_messages` category (DMs and GMs), before the stored ones.
//! The Favorites category and the `favorite_channel` preferences mirror each other: writes to
//! either keep the other in step within the same transaction.

use crate::db::{for_each_connection, placeholders, read, transaction};
use crate::{Result, Store};
use utmost_model::channel_sidebar::{
    default_category_id, SidebarCategory, CATEGORY_FAVORITE_CHANNEL, SORTING_RECENT, SORT_DISTANCE,
    TYPE_CHANNELS, TYPE_CUSTOM, TYPE_DIRECT_MESSAGES, TYPE_FAVORITES,
};
use utmost_model::new_id;

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: String,
    userid: Option<String>,
    teamid: Option<String>,
    sortorder: Option<i64>,
    sorting: Option<String>,
    #[sqlx(rename = "type")]
    category_type: Option<String>,
    displayname: Option<String>,
    muted: Option<bool>,
    collapsed: Option<bool>,
    /// One placed channel (the rows are the categories left-joined with their channels).
    channelid: Option<String>,
}

impl CategoryRow {
    fn category(&self) -> SidebarCategory {
        SidebarCategory {
            id: self.id.clone(),
            user_id: self.userid.clone().unwrap_or_default(),
            team_id: self.teamid.clone().unwrap_or_default(),
            sort_order: self.sortorder.unwrap_or(0),
            sorting: self.sorting.clone().unwrap_or_default(),
            category_type: self.category_type.clone().unwrap_or_default(),
            display_name: self.displayname.clone().unwrap_or_default(),
            muted: self.muted.unwrap_or(false),
            collapsed: self.collapsed.unwrap_or(false),
            channel_ids: Vec::new(),
        }
    }
}

/// Folds rows ordered by category into categories, each with its placed channels in order.
fn group(rows: Vec<CategoryRow>) -> Vec<SidebarCategory> {
    let mut out: Vec<SidebarCategory> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|c| c.id != row.id) {
            out.push(row.category());
        }
        if let (Some(channel_id), Some(category)) = (row.channelid, out.last_mut()) {
            category.channel_ids.push(channel_id);
        }
    }
    out
}

const SELECT_WITH_CHANNELS: &str = "SELECT c.id, c.userid, c.teamid, c.sortorder, c.sorting, \
    c.type, c.displayname, c.muted, c.collapsed, s.channelid FROM sidebarcategories c \
    LEFT JOIN sidebarchannels s ON s.categoryid = c.id";

/// A user's categories in a team they are a live member of (the team not deleted).
const TEAM_CATEGORIES: &str = "JOIN teams t ON t.id = c.teamid \
    JOIN teammembers tm ON tm.teamid = c.teamid AND tm.userid = c.userid \
    WHERE c.userid = $1 AND c.teamid = $2 AND tm.deleteat = 0 AND t.deleteat = 0 \
    ORDER BY c.sortorder, c.id, s.sortorder";

/// The user's live channels of the given types that no category of the team holds, by name.
const UNPLACED_CHANNELS: &str = "SELECT ch.id FROM channelmembers m \
    JOIN channels ch ON ch.id = m.channelid \
    WHERE m.userid = $1 AND ch.deleteat = 0 AND NOT EXISTS (\
      SELECT 1 FROM sidebarchannels s JOIN sidebarcategories c ON c.id = s.categoryid \
      WHERE s.channelid = m.channelid AND c.userid = $1 AND c.teamid = $2) AND ";

const INSERT_DEFAULT: &str = "INSERT INTO sidebarcategories \
    (id, userid, teamid, sortorder, sorting, type, displayname, muted, collapsed) \
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8 WHERE NOT EXISTS (\
      SELECT 1 FROM sidebarcategories WHERE userid = $2 AND teamid = $3 AND type = $6) \
    ON CONFLICT (id) DO NOTHING";

/// The channels a user had marked favourite in a team (or DMs/GMs), by name, for a new
/// Favorites category.
const FAVORITED_CHANNELS: &str = "SELECT p.name FROM preferences p \
    JOIN channels ch ON ch.id = p.name \
    JOIN channelmembers m ON m.channelid = p.name AND m.userid = p.userid \
    WHERE p.userid = $1 AND p.category = $2 AND p.value = 'true' \
    AND (ch.teamid = $3 OR ch.teamid = '') ORDER BY ch.displayname, ch.name";

const PLACE_CHANNEL: &str = "INSERT INTO sidebarchannels (channelid, userid, categoryid, \
    sortorder) VALUES ($1, $2, $3, $4) ON CONFLICT (channelid, userid, categoryid) \
    DO UPDATE SET sortorder = excluded.sortorder";

/// Puts the channel first in the user's Favorites category of its team (every team's, for a
/// DM or GM) where it is not there yet.
const FAVORITE: &str = "INSERT INTO sidebarchannels (channelid, userid, categoryid, sortorder) \
    SELECT $1, $2, c.id, COALESCE((SELECT MIN(s.sortorder) FROM sidebarchannels s \
      WHERE s.categoryid = c.id), $4) - $4 \
    FROM sidebarcategories c JOIN channels ch ON ch.id = $1 \
    WHERE c.userid = $2 AND c.type = $3 AND (ch.teamid = '' OR c.teamid = ch.teamid) \
    AND NOT EXISTS (SELECT 1 FROM sidebarchannels s \
      WHERE s.categoryid = c.id AND s.channelid = $1)";

const UNFAVORITE: &str = "DELETE FROM sidebarchannels WHERE channelid = $1 AND userid = $2 \
    AND categoryid IN (SELECT id FROM sidebarcategories WHERE userid = $2 AND type = $3)";

/// Steps shared by the category writes, the reads, and the preference writes that keep the
/// Favorites category in step.
pub(crate) trait SidebarSteps {
    /// The user's categories in the team, in order, each with its channels.
    async fn team_categories(
        &mut self,
        user_id: &str,
        team_id: &str,
    ) -> Result<Vec<SidebarCategory>>;

    /// One category with its channels.
    async fn category(&mut self, id: &str) -> Result<Option<SidebarCategory>>;

    /// Adds, before the placed channels, the unplaced ones a `channels` or `direct_messages`
    /// category lists.
    async fn add_unplaced(&mut self, category: &mut SidebarCategory) -> Result<()>;

    /// Creates the user's missing default categories in the team; a new Favorites category
    /// takes the channels the user had marked favourite.
    async fn insert_defaults(&mut self, user_id: &str, team_id: &str) -> Result<()>;

    /// Places each channel in the category in this order, `SORT_DISTANCE` apart.
    async fn place(
        &mut self,
        user_id: &str,
        category_id: &str,
        channel_ids: &[String],
    ) -> Result<()>;

    /// Renumbers the categories in this order, `SORT_DISTANCE` apart.
    async fn renumber(&mut self, order: &[String]) -> Result<()>;

    /// A `favorite_channel` preference was saved (`favorite`) or deleted / set to "false".
    async fn sync_favorite(
        &mut self,
        user_id: &str,
        channel_id: &str,
        favorite: bool,
    ) -> Result<()>;

    /// Sets or deletes the `favorite_channel` preferences of these channels.
    async fn set_favorite_preferences(
        &mut self,
        user_id: &str,
        channel_ids: &[String],
        favorite: bool,
    ) -> Result<()>;
}

for_each_connection!(impl SidebarSteps {
    async fn team_categories(
        &mut self,
        user_id: &str,
        team_id: &str,
    ) -> Result<Vec<SidebarCategory>> {
        let rows: Vec<CategoryRow> =
            sqlx::query_as(&format!("{SELECT_WITH_CHANNELS} {TEAM_CATEGORIES}"))
                .bind(user_id)
                .bind(team_id)
                .fetch_all(&mut *self)
                .await?;
        let mut categories = group(rows);
        for category in &mut categories {
            self.add_unplaced(category).await?;
        }
        Ok(categories)
    }

    async fn category(&mut self, id: &str) -> Result<Option<SidebarCategory>> {
        let rows: Vec<CategoryRow> = sqlx::query_as(&format!(
            "{SELECT_WITH_CHANNELS} WHERE c.id = $1 ORDER BY s.sortorder"
        ))
        .bind(id)
        .fetch_all(&mut *self)
        .await?;
        let Some(mut category) = group(rows).pop() else {
            return Ok(None);
        };
        self.add_unplaced(&mut category).await?;
        Ok(Some(category))
    }

    async fn add_unplaced(&mut self, category: &mut SidebarCategory) -> Result<()> {
        let of_type = match category.category_type.as_str() {
            TYPE_CHANNELS => "ch.type IN ('O', 'P') AND ch.teamid = $2",
            TYPE_DIRECT_MESSAGES => "ch.type IN ('D', 'G')",
            _ => return Ok(()),
        };
        let mut ids: Vec<String> = sqlx::query_scalar(&format!(
            "{UNPLACED_CHANNELS} {of_type} ORDER BY ch.displayname, ch.id"
        ))
        .bind(&category.user_id)
        .bind(&category.team_id)
        .fetch_all(&mut *self)
        .await?;
        ids.append(&mut category.channel_ids);
        category.channel_ids = ids;
        Ok(())
    }

    async fn insert_defaults(&mut self, user_id: &str, team_id: &str) -> Result<()> {
        // Mattermost's defaults; the display names are translated by the clients.
        let defaults = [
            (TYPE_FAVORITES, 0, "", "Favorites"),
            (TYPE_CHANNELS, SORT_DISTANCE, "", "Channels"),
            (TYPE_DIRECT_MESSAGES, 2 * SORT_DISTANCE, SORTING_RECENT, "Direct Messages"),
        ];
        for (category_type, sort_order, sorting, name) in defaults {
            let id = default_category_id(category_type, user_id, team_id);
            let inserted = sqlx::query(INSERT_DEFAULT)
                .bind(&id)
                .bind(user_id)
                .bind(team_id)
                .bind(sort_order)
                .bind(sorting)
                .bind(category_type)
                .bind(name)
                .bind(false)
                .execute(&mut *self)
                .await?
                .rows_affected();
            if inserted == 1 && category_type == TYPE_FAVORITES {
                let favorites: Vec<String> = sqlx::query_scalar(FAVORITED_CHANNELS)
                    .bind(user_id)
                    .bind(CATEGORY_FAVORITE_CHANNEL)
                    .bind(team_id)
                    .fetch_all(&mut *self)
                    .await?;
                self.place(user_id, &id, &favorites).await?;
            }
        }
        Ok(())
    }

    async fn place(
        &mut self,
        user_id: &str,
        category_id: &str,
        channel_ids: &[String],
    ) -> Result<()> {
        for (i, channel_id) in (0i64..).zip(channel_ids) {
            sqlx::query(PLACE_CHANNEL)
                .bind(channel_id)
                .bind(user_id)
                .bind(category_id)
                .bind(i * SORT_DISTANCE)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    async fn renumber(&mut self, order: &[String]) -> Result<()> {
        for (i, id) in (0i64..).zip(order) {
            sqlx::query("UPDATE sidebarcategories SET sortorder = $1 WHERE id = $2")
                .bind(i * SORT_DISTANCE)
                .bind(id)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    async fn sync_favorite(
        &mut self,
        user_id: &str,
        channel_id: &str,
        favorite: bool,
    ) -> Result<()> {
        if favorite {
            sqlx::query(FAVORITE)
                .bind(channel_id)
                .bind(user_id)
                .bind(TYPE_FAVORITES)
                .bind(SORT_DISTANCE)
                .execute(&mut *self)
                .await?;
        } else {
            sqlx::query(UNFAVORITE)
                .bind(channel_id)
                .bind(user_id)
                .bind(TYPE_FAVORITES)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    async fn set_favorite_preferences(
        &mut self,
        user_id: &str,
        channel_ids: &[String],
        favorite: bool,
    ) -> Result<()> {
        let sql = if favorite {
            "INSERT INTO preferences (userid, category, name, value) VALUES ($1, $2, $3, 'true') \
             ON CONFLICT (userid, category, name) DO UPDATE SET value = excluded.value"
        } else {
            "DELETE FROM preferences WHERE userid = $1 AND category = $2 AND name = $3"
        };
        for channel_id in channel_ids {
            sqlx::query(sql)
                .bind(user_id)
                .bind(CATEGORY_FAVORITE_CHANNEL)
                .bind(channel_id)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }
});

/// The user's categories in a team they are a live member of, in order, with their channels.
pub async fn for_team(store: &Store, user_id: &str, team_id: &str) -> Result<Vec<SidebarCategory>> {
    read!(store, |pool| async {
        let mut conn = pool.acquire().await?;
        conn.team_categories(user_id, team_id).await
    }
    .await)
}

/// One category with its channels.
pub async fn get(store: &Store, id: &str) -> Result<Option<SidebarCategory>> {
    read!(store, |pool| async {
        let mut conn = pool.acquire().await?;
        conn.category(id).await
    }
    .await)
}

/// The ids of the user's categories in the team, in order.
pub async fn order(store: &Store, user_id: &str, team_id: &str) -> Result<Vec<String>> {
    Ok(read!(store, |pool| sqlx::query_scalar(
        "SELECT id FROM sidebarcategories WHERE userid = $1 AND teamid = $2 ORDER BY sortorder, id"
    )
    .bind(user_id)
    .bind(team_id)
    .fetch_all(pool)
    .await)?)
}

/// Creates whichever of the user's default categories in the team (Favorites, Channels,
/// Direct Messages) are missing. Their ids are fixed, so concurrent calls create each once.
pub async fn create_defaults(store: &Store, user_id: &str, team_id: &str) -> Result<()> {
    transaction!(store, |tx| tx.insert_defaults(user_id, team_id).await?)
}

/// Creates a custom category with `new`'s name, sorting, muting and channels (taken out of
/// the user's other categories of the team). It goes after Favorites when Favorites comes
/// first, else first. `None` when the user has no categories in the team.
pub async fn create(
    store: &Store,
    user_id: &str,
    team_id: &str,
    new: &SidebarCategory,
) -> Result<Option<SidebarCategory>> {
    let id = new_id();
    transaction!(store, |tx| {
        let existing: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT id, type FROM sidebarcategories WHERE userid = $1 AND teamid = $2 \
             ORDER BY sortorder, id",
        )
        .bind(user_id)
        .bind(team_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some((_, first_type)) = existing.first() else {
            return Ok(None);
        };
        let position = usize::from(first_type.as_deref() == Some(TYPE_FAVORITES));
        let mut order: Vec<String> = existing.iter().map(|(id, _)| id.clone()).collect();
        order.insert(position, id.clone());
        let category = SidebarCategory {
            id: id.clone(),
            user_id: user_id.to_string(),
            team_id: team_id.to_string(),
            sort_order: SORT_DISTANCE * position as i64,
            sorting: new.sorting.clone(),
            category_type: TYPE_CUSTOM.to_string(),
            display_name: new.display_name.clone(),
            muted: new.muted,
            collapsed: false,
            channel_ids: new.channel_ids.clone(),
        };
        sqlx::query(
            "INSERT INTO sidebarcategories (id, userid, teamid, sortorder, sorting, type, \
             displayname, muted, collapsed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&category.id)
        .bind(user_id)
        .bind(team_id)
        .bind(category.sort_order)
        .bind(&category.sorting)
        .bind(TYPE_CUSTOM)
        .bind(&category.display_name)
        .bind(category.muted)
        .bind(false)
        .execute(&mut *tx)
        .await?;
        if !category.channel_ids.is_empty() {
            let sql = format!(
                "DELETE FROM sidebarchannels WHERE userid = $1 AND categoryid IN \
                 (SELECT id FROM sidebarcategories WHERE userid = $1 AND teamid = $2 \
                  AND id <> $3) AND channelid IN ({})",
                placeholders(4, category.channel_ids.len())
            );
            let mut unplace = sqlx::query(&sql).bind(user_id).bind(team_id).bind(&id);
            for channel_id in &category.channel_ids {
                unplace = unplace.bind(channel_id);
            }
            unplace.execute(&mut *tx).await?;
            tx.place(user_id, &id, &category.channel_ids).await?;
        }
        tx.renumber(&order).await?;
        Some(category)
    })
}

/// What `update` wrote: each category as it is now and as it was, in the order asked.
pub struct Updated {
    pub updated: Vec<SidebarCategory>,
    pub original: Vec<SidebarCategory>,
}

/// Mattermost's `UpdateSidebarCategories`. Each category keeps its owner, team, order and
/// type; only a custom one takes a new name; a `direct_messages` one keeps its channels and
/// muting (their order is not stored). The named categories' placements are replaced, and
/// the `favorite_channel` preferences follow channels into and out of Favorites. `None` when
/// a category does not exist.
pub async fn update(
    store: &Store,
    user_id: &str,
    categories: &[SidebarCategory],
) -> Result<Option<Updated>> {
    transaction!(store, |tx| {
        let mut original = Vec::with_capacity(categories.len());
        for asked in categories {
            let Some(found) = tx.category(&asked.id).await? else {
                return Ok(None);
            };
            original.push(found);
        }
        let mut updated: Vec<SidebarCategory> = categories
            .iter()
            .zip(&original)
            .map(|(asked, found)| updated_category(asked, found))
            .collect();
        // In id order, so that concurrent updates lock the rows in one order.
        let mut by_id: Vec<&SidebarCategory> = updated.iter().collect();
        by_id.sort_by(|a, b| a.id.cmp(&b.id));
        for c in by_id {
            sqlx::query(
                "UPDATE sidebarcategories SET displayname = $1, sorting = $2, muted = $3, \
                 collapsed = $4 WHERE id = $5",
            )
            .bind(&c.display_name)
            .bind(&c.sorting)
            .bind(c.muted)
            .bind(c.collapsed)
            .bind(&c.id)
            .execute(&mut *tx)
            .await?;
        }
        let sql = format!(
            "DELETE FROM sidebarchannels WHERE categoryid IN ({})",
            placeholders(1, updated.len())
        );
        let mut unplace = sqlx::query(&sql);
        for c in &updated {
            unplace = unplace.bind(&c.id);
        }
        unplace.execute(&mut *tx).await?;
        for ((asked, c), before) in categories.iter().zip(&mut updated).zip(&original) {
            if c.category_type != TYPE_DIRECT_MESSAGES {
                tx.place(user_id, &c.id, &c.channel_ids).await?;
            }
            if c.category_type == TYPE_FAVORITES {
                tx.set_favorite_preferences(user_id, &before.channel_ids, false)
                    .await?;
                tx.set_favorite_preferences(user_id, &c.channel_ids, true)
                    .await?;
            } else {
                tx.set_favorite_preferences(user_id, &asked.channel_ids, false)
                    .await?;
            }
            tx.add_unplaced(c).await?;
        }
        Some(Updated { updated, original })
    })
}

/// `asked` as it may change `found`.
fn updated_category(asked: &SidebarCategory, found: &SidebarCategory) -> SidebarCategory {
    let custom = found.category_type == TYPE_CUSTOM;
    let direct = found.category_type == TYPE_DIRECT_MESSAGES;
    SidebarCategory {
        id: found.id.clone(),
        user_id: found.user_id.clone(),
        team_id: found.team_id.clone(),
        sort_order: found.sort_order,
        sorting: asked.sorting.clone(),
        category_type: found.category_type.clone(),
        display_name: if custom {
            asked.display_name.clone()
        } else {
            found.display_name.clone()
        },
        muted: if direct { found.muted } else { asked.muted },
        collapsed: asked.collapsed,
        channel_ids: if direct {
            Vec::new()
        } else {
            asked.channel_ids.clone()
        },
    }
}

/// What `set_order` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSet {
    Set,
    /// The order does not name exactly the user's categories in the team.
    Mismatch,
}

/// Renumbers the user's categories in the team in `order`, which must name each exactly once.
pub async fn set_order(
    store: &Store,
    user_id: &str,
    team_id: &str,
    order: &[String],
) -> Result<OrderSet> {
    transaction!(store, |tx| {
        let mut existing: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM sidebarcategories WHERE userid = $1 AND teamid = $2",
        )
        .bind(user_id)
        .bind(team_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut asked = order.to_vec();
        existing.sort_unstable();
        asked.sort_unstable();
        if existing != asked {
            OrderSet::Mismatch
        } else {
            tx.renumber(order).await?;
            OrderSet::Set
        }
    })
}

/// What `delete` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    NotFound,
    /// Only custom categories can be deleted.
    NotCustom,
}

/// Deletes a custom category; its channels fall back to the default categories.
pub async fn delete(store: &Store, id: &str) -> Result<Deleted> {
    transaction!(store, |tx| {
        let found: Option<Option<String>> =
            sqlx::query_scalar("SELECT type FROM sidebarcategories WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        match found {
            None => Deleted::NotFound,
            Some(t) if t.as_deref() != Some(TYPE_CUSTOM) => Deleted::NotCustom,
            Some(_) => {
                for sql in [
                    "DELETE FROM sidebarcategories WHERE id = $1",
                    "DELETE FROM sidebarchannels WHERE categoryid = $1",
                ] {
                    sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                }
                Deleted::Deleted
            }
        }
    })
}

/// Drops the user's categories in the team and their placements (the user left the team).
pub async fn clear_for_team(store: &Store, user_id: &str, team_id: &str) -> Result<()> {
    transaction!(store, |tx| {
        for sql in [
            "DELETE FROM sidebarchannels WHERE userid = $1 AND categoryid IN \
             (SELECT id FROM sidebarcategories WHERE userid = $1 AND teamid = $2)",
            "DELETE FROM sidebarcategories WHERE userid = $1 AND teamid = $2",
        ] {
            sqlx::query(sql)
                .bind(user_id)
                .bind(team_id)
                .execute(&mut *tx)
                .await?;
        }
    })
}
