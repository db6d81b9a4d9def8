//! The `preferences` table: one row per (user, category, name).

use crate::categories::SidebarSteps;
use crate::db::{read, transaction};
use crate::{Result, Store};
use utmost_model::channel_sidebar::CATEGORY_FAVORITE_CHANNEL;
use utmost_model::preference::Preference;

#[derive(sqlx::FromRow)]
struct PreferenceRow {
    userid: String,
    category: String,
    name: String,
    value: Option<String>,
}

impl From<PreferenceRow> for Preference {
    fn from(r: PreferenceRow) -> Self {
        Preference {
            user_id: r.userid,
            category: r.category,
            name: r.name,
            value: r.value.unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT userid, category, name, value FROM preferences";

pub async fn get_all(store: &Store, user_id: &str) -> Result<Vec<Preference>> {
    let sql = format!("{SELECT} WHERE userid = $1 ORDER BY category, name");
    let rows: Vec<PreferenceRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Preference::from).collect())
}

pub async fn get_category(store: &Store, user_id: &str, category: &str) -> Result<Vec<Preference>> {
    let sql = format!("{SELECT} WHERE userid = $1 AND category = $2 ORDER BY name");
    let rows: Vec<PreferenceRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(category)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Preference::from).collect())
}

pub async fn get(
    store: &Store,
    user_id: &str,
    category: &str,
    name: &str,
) -> Result<Option<Preference>> {
    let sql = format!("{SELECT} WHERE userid = $1 AND category = $2 AND name = $3");
    let row: Option<PreferenceRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(category)
        .bind(name)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Preference::from))
}

/// Inserts or replaces every preference, all or nothing. A `favorite_channel` preference
/// moves its channel into (or, valued "false", out of) the user's Favorites categories.
pub async fn save(store: &Store, preferences: &[Preference]) -> Result<()> {
    let sql = "INSERT INTO preferences (userid, category, name, value) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (userid, category, name) DO UPDATE SET value = excluded.value";
    transaction!(store, |tx| {
        for p in preferences {
            sqlx::query(sql)
                .bind(&p.user_id)
                .bind(&p.category)
                .bind(&p.name)
                .bind(&p.value)
                .execute(&mut *tx)
                .await?;
            if p.category == CATEGORY_FAVORITE_CHANNEL {
                tx.sync_favorite(&p.user_id, &p.name, p.value != "false")
                    .await?;
            }
        }
    })
}

/// Deletes the named preferences of `user_id`, all or nothing; missing ones are no error.
/// A deleted `favorite_channel` preference takes its channel out of Favorites.
pub async fn delete(store: &Store, user_id: &str, preferences: &[Preference]) -> Result<()> {
    let sql = "DELETE FROM preferences WHERE userid = $1 AND category = $2 AND name = $3";
    transaction!(store, |tx| {
        for p in preferences {
            sqlx::query(sql)
                .bind(user_id)
                .bind(&p.category)
                .bind(&p.name)
                .execute(&mut *tx)
                .await?;
            if p.category == CATEGORY_FAVORITE_CHANNEL {
                tx.sync_favorite(user_id, &p.name, false).await?;
            }
        }
    })
}
