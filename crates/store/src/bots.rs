//! Bot accounts: a `users` row and its `bots` row, written together.

use crate::db::transaction;
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
