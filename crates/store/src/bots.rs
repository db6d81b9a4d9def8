//! Bot accounts: a `users` row and its `bots` row, written together.

use crate::db::{execute, query_rows, read, transaction, Bind};
use crate::users::{unique_field, UserSteps};
use crate::{Deleted, Result, Store};
use utmost_model::bot::Bot;
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

/// A bot as `/bots` shows it: its `bots` row with its user's name and display name.
#[derive(sqlx::FromRow)]
struct BotRow {
    userid: String,
    username: Option<String>,
    firstname: Option<String>,
    description: Option<String>,
    ownerid: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    lasticonupdate: Option<i64>,
}

impl From<BotRow> for Bot {
    fn from(r: BotRow) -> Self {
        Bot {
            user_id: r.userid,
            username: r.username.unwrap_or_default(),
            display_name: r.firstname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            owner_id: r.ownerid.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            last_icon_update: r.lasticonupdate.unwrap_or(0),
        }
    }
}

const SELECT_BOTS: &str = "SELECT b.userid, u.username, u.firstname, b.description, b.ownerid, \
     b.createat, b.updateat, b.deleteat, b.lasticonupdate \
     FROM bots b JOIN users u ON u.id = b.userid";

/// Bot `user_id`; a disabled one only with `Deleted::Include`.
pub async fn get(store: &Store, user_id: &str, deleted: Deleted) -> Result<Option<Bot>> {
    let live = if deleted == Deleted::Include {
        ""
    } else {
        " AND b.deleteat = 0"
    };
    let sql = format!("{SELECT_BOTS} WHERE b.userid = $1{live}");
    Ok(
        query_rows::<BotRow, Bot>(store, &sql, &[Bind::Str(user_id)])
            .await?
            .pop(),
    )
}

/// Which bots `list` returns.
#[derive(Debug, Clone, Copy)]
pub struct BotFilter<'a> {
    /// Only the bots this user owns.
    pub owner_id: Option<&'a str>,
    pub deleted: Deleted,
    /// Only the bots whose owner is gone or deactivated.
    pub only_orphaned: bool,
    pub limit: i64,
    pub offset: i64,
}

/// One page of bots, by creation then username (`GetAll`).
pub async fn list(store: &Store, filter: &BotFilter<'_>) -> Result<Vec<Bot>> {
    let mut sql = format!("{SELECT_BOTS} LEFT JOIN users o ON o.id = b.ownerid WHERE 1 = 1");
    let mut binds = Vec::new();
    if filter.deleted == Deleted::Exclude {
        sql.push_str(" AND b.deleteat = 0");
    }
    if let Some(owner) = filter.owner_id {
        binds.push(Bind::Str(owner));
        sql.push_str(&format!(" AND b.ownerid = ${}", binds.len()));
    }
    if filter.only_orphaned {
        sql.push_str(" AND (o.id IS NULL OR o.deleteat != 0)");
    }
    binds.push(Bind::Int(filter.limit));
    binds.push(Bind::Int(filter.offset));
    sql.push_str(&format!(
        " ORDER BY b.createat, u.username LIMIT ${} OFFSET ${}",
        binds.len() - 1,
        binds.len()
    ));
    query_rows::<BotRow, Bot>(store, &sql, &binds).await
}

/// Writes a patched bot: its user's username and display name (`firstname`), its
/// description. A taken username is `Conflict("username")`.
pub async fn patch(store: &Store, bot: &Bot, now: i64) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query("UPDATE users SET username = $2, firstname = $3, updateat = $4 WHERE id = $1")
            .bind(&bot.user_id)
            .bind(&bot.username)
            .bind(&bot.display_name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE bots SET description = $2, updateat = $3 WHERE userid = $1")
            .bind(&bot.user_id)
            .bind(&bot.description)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    })
    .map_err(unique_field)
}

/// Gives bot `user_id` to `owner_id`.
pub async fn set_owner(store: &Store, user_id: &str, owner_id: &str, now: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE bots SET ownerid = $2, updateat = $3 WHERE userid = $1",
        user_id,
        owner_id,
        now,
    )?;
    Ok(())
}

/// Disables (`delete_at` > 0) or enables bot `user_id`'s own row (its user's row moves
/// through `users::set_delete_at`).
pub async fn set_delete_at(store: &Store, user_id: &str, delete_at: i64, now: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE bots SET deleteat = $2, updateat = $3 WHERE userid = $1",
        user_id,
        delete_at,
        now,
    )?;
    Ok(())
}

/// Makes user `user_id` a bot owned by `owner_id` (`ConvertUserToBot`).
pub async fn insert_for_user(
    store: &Store,
    user_id: &str,
    owner_id: &str,
    description: &str,
    now: i64,
) -> Result<()> {
    execute!(
        store,
        "INSERT INTO bots (userid, description, ownerid, createat, updateat, deleteat, \
         lasticonupdate) VALUES ($1, $2, $3, $4, $4, 0, 0)",
        user_id,
        description,
        owner_id,
        now,
    )?;
    Ok(())
}

/// Makes bot `user_id` a user again: its `bots` row goes (`ConvertBotToUser`).
pub async fn delete_row(store: &Store, user_id: &str) -> Result<bool> {
    Ok(execute!(store, "DELETE FROM bots WHERE userid = $1", user_id)? > 0)
}
