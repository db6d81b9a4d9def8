//! Rows written straight into a migrated Utmost database with multi-row INSERTs of SQL
//! literals (one text for both databases), far faster than the API: users with their team
//! membership, open channels with their `publicchannels` mirror, channel members and posts,
//! with the columns filled as the store writes them.

use crate::corpus::lit;
use crate::server::{Kind, Target};
use anyhow::Context;
use sqlx::{PgPool, SqlitePool};

/// Rows per INSERT statement.
const ROWS_PER_STATEMENT: usize = 500;

pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// One connection to the target's database (the server must not be running on SQLite).
    pub async fn connect(target: &Target) -> anyhow::Result<Self> {
        Ok(match target.kind {
            Kind::Sqlite => {
                let options = format!("sqlite://{}", target.database)
                    .parse::<sqlx::sqlite::SqliteConnectOptions>()?
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
                    .busy_timeout(std::time::Duration::from_secs(30));
                Db::Sqlite(
                    sqlx::sqlite::SqlitePoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await
                        .context("opening the SQLite database")?,
                )
            }
            Kind::Postgres => Db::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(&target.database)
                    .await
                    .context("connecting to PostgreSQL")?,
            ),
        })
    }

    /// Runs SQL text (one statement or several).
    pub async fn execute(&self, sql: &str) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        }
        .with_context(|| format!("running {}", &sql[..sql.len().min(200)]))
    }

    pub async fn count(&self, sql: &str) -> anyhow::Result<i64> {
        Ok(match self {
            Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await?,
            Db::Postgres(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await?,
        })
    }

    /// The first column of every row `sql` returns, as text.
    pub async fn strings(&self, sql: &str) -> anyhow::Result<Vec<String>> {
        Ok(match self {
            Db::Sqlite(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await?,
            Db::Postgres(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await?,
        })
    }

    /// Inserts `rows` (each a parenthesised tuple of literals) into `table (columns)`.
    pub async fn insert(
        &self,
        table: &str,
        columns: &str,
        rows: impl IntoIterator<Item = String>,
    ) -> anyhow::Result<usize> {
        let mut count = 0;
        let mut batch = Vec::with_capacity(ROWS_PER_STATEMENT);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            batch.clear();
            batch.extend(rows.by_ref().take(ROWS_PER_STATEMENT));
            count += batch.len();
            let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", batch.join(","));
            self.execute(&sql).await?;
        }
        Ok(count)
    }

    pub async fn close(self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// A user as the bulk rows describe one.
pub struct User {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: String,
}

pub async fn insert_users(db: &Db, team_id: &str, users: &[User], at: i64) -> anyhow::Result<()> {
    let notify = utmost_model::user::User::default_notify_props("");
    let notify = lit(&serde_json::to_string(&notify)?);
    let timezone = lit(&serde_json::to_string(
        &utmost_model::user::User::default_timezone(),
    )?);
    let rows = users.iter().map(|u| {
        format!(
            "({}, {at}, {at}, 0, {}, '', NULL, '', {}, TRUE, {}, {}, {}, '', 'system_user', \
             FALSE, '{{}}', {notify}, {at}, 0, 0, 'en', {timezone}, FALSE, '', NULL, 0, '[]')",
            lit(&u.id),
            lit(&u.username),
            lit(&format!("{}@example.com", u.username)),
            lit(&u.nickname),
            lit(&u.first_name),
            lit(&u.last_name),
        )
    });
    db.insert(
        "users",
        "id, createat, updateat, deleteat, username, password, authdata, authservice, email, \
         emailverified, nickname, firstname, lastname, position, roles, allowmarketing, props, \
         notifyprops, lastpasswordupdate, lastpictureupdate, failedattempts, locale, timezone, \
         mfaactive, mfasecret, remoteid, lastlogin, mfausedtimestamps",
        rows,
    )
    .await?;
    let members = users.iter().map(|u| {
        format!(
            "({}, {}, '', 0, TRUE, FALSE, FALSE, {at})",
            lit(team_id),
            lit(&u.id)
        )
    });
    db.insert(
        "teammembers",
        "teamid, userid, roles, deleteat, schemeuser, schemeadmin, schemeguest, createat",
        members,
    )
    .await?;
    Ok(())
}

/// An open channel of the team.
pub struct Channel {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub purpose: String,
}

pub async fn insert_channels(
    db: &Db,
    team_id: &str,
    creator_id: &str,
    channels: &[Channel],
    at: i64,
) -> anyhow::Result<()> {
    let team = lit(team_id);
    let rows = channels.iter().map(|c| {
        format!(
            "({}, {at}, {at}, 0, {team}, 'O', {}, {}, '', {}, {at}, 0, 0, {}, NULL, FALSE, \
             FALSE, 0, {at})",
            lit(&c.id),
            lit(&c.display_name),
            lit(&c.name),
            lit(&c.purpose),
            lit(creator_id),
        )
    });
    db.insert(
        "channels",
        "id, createat, updateat, deleteat, teamid, type, displayname, name, header, purpose, \
         lastpostat, totalmsgcount, extraupdateat, creatorid, schemeid, groupconstrained, \
         shared, totalmsgcountroot, lastrootpostat",
        rows,
    )
    .await?;
    let mirror = channels.iter().map(|c| {
        format!(
            "({}, 0, {team}, {}, {}, '', {})",
            lit(&c.id),
            lit(&c.display_name),
            lit(&c.name),
            lit(&c.purpose)
        )
    });
    db.insert(
        "publicchannels",
        "id, deleteat, teamid, displayname, name, header, purpose",
        mirror,
    )
    .await?;
    Ok(())
}

/// Makes `user_id` a member of each channel.
pub async fn insert_memberships(
    db: &Db,
    user_id: &str,
    channel_ids: &[String],
    at: i64,
) -> anyhow::Result<()> {
    let notify = utmost_model::channel::ChannelMember::default_notify_props();
    let notify = lit(&serde_json::to_string(&notify)?);
    let user = lit(user_id);
    let rows = channel_ids.iter().map(|c| {
        format!(
            "({}, {user}, '', {at}, 0, 0, {notify}, {at}, TRUE, FALSE, FALSE, 0, 0, 0)",
            lit(c)
        )
    });
    db.insert(
        "channelmembers",
        "channelid, userid, roles, lastviewedat, msgcount, mentioncount, notifyprops, \
         lastupdateat, schemeuser, schemeadmin, schemeguest, mentioncountroot, msgcountroot, \
         urgentmentioncount",
        rows,
    )
    .await?;
    Ok(())
}

/// A post as the bulk rows describe one.
pub struct Post {
    pub id: String,
    pub create_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub hashtags: String,
}

pub const POST_COLUMNS: &str = "id, createat, updateat, editat, deleteat, ispinned, userid, \
    channelid, rootid, originalid, message, type, props, hashtags, filenames, fileids, \
    hasreactions, remoteid";

pub fn post_row(p: &Post) -> String {
    format!(
        "({}, {at}, {at}, 0, 0, FALSE, {}, {}, {}, '', {}, '', '{{}}', {}, '[]', '[]', FALSE, \
         NULL)",
        lit(&p.id),
        lit(&p.user_id),
        lit(&p.channel_id),
        lit(&p.root_id),
        lit(&p.message),
        lit(&p.hashtags),
        at = p.create_at,
    )
}
