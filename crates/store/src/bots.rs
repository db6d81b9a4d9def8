//! Bot accounts: a `users` row and its `bots` row, written together.

use crate::db::{read, transaction};
use crate::users::{unique_field, UserSteps};
use crate::{Result, Store};
use utmost_model::user::User;

/// Inserts bot `user` (its `create_at` is the time) owned by `owner_id`. A taken username is
/// `Conflict("username")`, as for any user.
pub async fn insert(store: &Store, user: &User, owner_id: &str) -> Result<()> {
    transaction!(store, |tx| {
        tx.insert_user(user).await?;
        sqlx::query(
            "INSERT INTO bots (userid, description, ownerid, createat, updateat, deleteat, \
             lasticonupdate) VALUES ($1, $2, $3, $4, $4, 0, 0)",
        )
        .bind(&user.id)
        .bind(&user.bot_description)
        .bind(owner_id)
        .bind(user.create_at)
        .execute(&mut *tx)
        .await?;
    })
    .map_err(unique_field)
}

/// Brings bot `user_id`'s description, owner and display name (its `firstname`) in line,
/// with its deletion time (a bulk import's bot line).
pub async fn update(
    store: &Store,
    user_id: &str,
    description: &str,
    owner_id: &str,
    display_name: &str,
    delete_at: i64,
    now: i64,
) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "UPDATE bots SET description = $2, ownerid = $3, deleteat = $4, updateat = $5 \
             WHERE userid = $1",
        )
        .bind(user_id)
        .bind(description)
        .bind(owner_id)
        .bind(delete_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET firstname = $2, deleteat = $3, updateat = $4 WHERE id = $1")
            .bind(user_id)
            .bind(display_name)
            .bind(delete_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    })
}

/// The owner id and description of bot `user_id`, if it is a bot.
pub async fn owner_and_description(
    store: &Store,
    user_id: &str,
) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> = read!(store, |p| {
        sqlx::query_as("SELECT ownerid, description FROM bots WHERE userid = $1")
            .bind(user_id)
            .fetch_optional(p)
            .await
    })?;
    Ok(
        row.map(|(owner, description)| {
            (owner.unwrap_or_default(), description.unwrap_or_default())
        }),
    )
}
