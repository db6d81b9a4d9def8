//! Custom data retention policies (`retentionpolicies`, `retentionpoliciesteams`,
//! `retentionpolicieschannels`: Mattermost's `SqlRetentionPolicyStore`). A team or channel
//! belongs to one policy at most (the tables' primary keys); adding it to another moves it.

use crate::db::{escape_like, placeholders, query_rows, read, transaction, Bind};
use crate::teams::{query_teams, SELECT_TEAMS};
use crate::{Result, Store};
use utmost_model::retention::{
    PolicyForChannel, PolicyForTeam, RetentionPolicy, RetentionPolicyWithCounts,
};
use utmost_model::team::Team;

/// What a policy covers: its teams or its channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    Teams,
    Channels,
}

impl Members {
    fn table(self) -> &'static str {
        match self {
            Members::Teams => "retentionpoliciesteams",
            Members::Channels => "retentionpolicieschannels",
        }
    }

    fn column(self) -> &'static str {
        match self {
            Members::Teams => "teamid",
            Members::Channels => "channelid",
        }
    }
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: String,
    displayname: Option<String>,
    postduration: Option<i64>,
    team_count: i64,
    channel_count: i64,
}

impl From<PolicyRow> for RetentionPolicyWithCounts {
    fn from(r: PolicyRow) -> Self {
        RetentionPolicyWithCounts {
            policy: RetentionPolicy {
                id: r.id,
                display_name: r.displayname.unwrap_or_default(),
                post_duration: r.postduration.unwrap_or(-1),
            },
            team_count: r.team_count,
            channel_count: r.channel_count,
        }
    }
}

const SELECT_POLICIES: &str = "SELECT p.id, p.displayname, p.postduration, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM retentionpoliciesteams t WHERE t.policyid = p.id) \
      AS team_count, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM retentionpolicieschannels c WHERE c.policyid = p.id) \
      AS channel_count \
    FROM retentionpolicies p";

/// How many custom policies there are.
pub async fn count(store: &Store) -> Result<i64> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM retentionpolicies"
    )
    .fetch_one(p)
    .await)?)
}

/// A page of the policies, by display name, with their counts.
pub async fn page(
    store: &Store,
    offset: i64,
    limit: i64,
) -> Result<Vec<RetentionPolicyWithCounts>> {
    let sql = format!("{SELECT_POLICIES} ORDER BY p.displayname, p.id LIMIT $1 OFFSET $2");
    query_rows::<PolicyRow, _>(store, &sql, &[Bind::Int(limit), Bind::Int(offset)]).await
}

pub async fn get(store: &Store, id: &str) -> Result<Option<RetentionPolicyWithCounts>> {
    let sql = format!("{SELECT_POLICIES} WHERE p.id = $1");
    Ok(query_rows::<PolicyRow, _>(store, &sql, &[Bind::Str(id)])
        .await?
        .pop())
}

/// Saves a new policy with its teams and channels, in one transaction.
pub async fn insert(
    store: &Store,
    policy: &RetentionPolicy,
    team_ids: &[String],
    channel_ids: &[String],
) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "INSERT INTO retentionpolicies (id, displayname, postduration) VALUES ($1, $2, $3)",
        )
        .bind(&policy.id)
        .bind(&policy.display_name)
        .bind(policy.post_duration)
        .execute(&mut *tx)
        .await?;
        for (members, ids) in [(Members::Teams, team_ids), (Members::Channels, channel_ids)] {
            for id in ids {
                sqlx::query(&add_sql(members))
                    .bind(&policy.id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    })
}

/// Rewrites a policy's name and duration and, for each of `team_ids` and `channel_ids`
/// given, replaces its set. False (nothing written) when there is no such policy.
pub async fn update(
    store: &Store,
    policy: &RetentionPolicy,
    team_ids: Option<&[String]>,
    channel_ids: Option<&[String]>,
) -> Result<bool> {
    transaction!(store, |tx| {
        let updated = sqlx::query(
            "UPDATE retentionpolicies SET displayname = $2, postduration = $3 WHERE id = $1",
        )
        .bind(&policy.id)
        .bind(&policy.display_name)
        .bind(policy.post_duration)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if updated {
            for (members, ids) in [(Members::Teams, team_ids), (Members::Channels, channel_ids)] {
                let Some(ids) = ids else { continue };
                sqlx::query(&format!(
                    "DELETE FROM {} WHERE policyid = $1",
                    members.table()
                ))
                .bind(&policy.id)
                .execute(&mut *tx)
                .await?;
                for id in ids {
                    sqlx::query(&add_sql(members))
                        .bind(&policy.id)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        updated
    })
}

/// Deletes a policy with its team and channel rows (Mattermost's foreign keys cascade).
/// False when there was none.
pub async fn delete(store: &Store, id: &str) -> Result<bool> {
    transaction!(store, |tx| {
        let deleted = sqlx::query("DELETE FROM retentionpolicies WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        for members in [Members::Teams, Members::Channels] {
            sqlx::query(&format!(
                "DELETE FROM {} WHERE policyid = $1",
                members.table()
            ))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        deleted
    })
}

fn add_sql(members: Members) -> String {
    let (table, column) = (members.table(), members.column());
    format!(
        "INSERT INTO {table} (policyid, {column}) VALUES ($1, $2) \
         ON CONFLICT ({column}) DO UPDATE SET policyid = excluded.policyid"
    )
}

/// Adds teams or channels to a policy (moving them from another).
pub async fn add(store: &Store, policy_id: &str, members: Members, ids: &[String]) -> Result<()> {
    let sql = add_sql(members);
    transaction!(store, |tx| {
        for id in ids {
            sqlx::query(&sql)
                .bind(policy_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    })
}

/// Removes teams or channels from a policy (those of another policy stay).
pub async fn remove(
    store: &Store,
    policy_id: &str,
    members: Members,
    ids: &[String],
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM {} WHERE policyid = $1 AND {} IN ({})",
        members.table(),
        members.column(),
        placeholders(2, ids.len())
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query(&sql).bind(policy_id);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(&mut *tx).await?;
    })
}

/// A page of a policy's teams, by display name, narrowed to those whose name or display
/// name contains `term` (case-insensitive; empty keeps all), with how many there are.
pub async fn teams(
    store: &Store,
    policy_id: &str,
    term: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Team>, i64)> {
    let mut filter =
        String::from(" JOIN retentionpoliciesteams rt ON rt.teamid = t.id WHERE rt.policyid = $1");
    let mut binds = vec![Bind::Str(policy_id)];
    if !term.is_empty() {
        filter.push_str(
            " AND (LOWER(t.name) LIKE $2 ESCAPE '\\' OR LOWER(t.displayname) LIKE $2 ESCAPE '\\')",
        );
        binds.push(Bind::Text(format!(
            "%{}%",
            escape_like(&term.to_lowercase())
        )));
    }
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM teams t{filter}");
    let total = query_rows::<(i64,), (i64,)>(store, &count_sql, &binds)
        .await?
        .first()
        .map_or(0, |(n,)| *n);
    let n = binds.len();
    let sql = format!(
        "{SELECT_TEAMS}{filter} ORDER BY t.displayname, t.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset));
    let teams = query_teams(store, &sql, &binds)
        .await?
        .into_iter()
        .map(|team| Team {
            policy_id: Some(policy_id.to_string()),
            ..team
        })
        .collect();
    Ok((teams, total))
}

/// The policies over the live teams `user_id` is a member of, a page by team id, and how
/// many there are.
pub async fn for_user_teams(
    store: &Store,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<PolicyForTeam>, i64)> {
    let from = "FROM retentionpoliciesteams rt \
        JOIN retentionpolicies p ON p.id = rt.policyid \
        JOIN teammembers tm ON tm.teamid = rt.teamid \
        WHERE tm.userid = $1 AND tm.deleteat = 0";
    let (rows, total) = for_user(store, from, "rt.teamid", user_id, offset, limit).await?;
    let policies = rows
        .into_iter()
        .map(|(team_id, post_duration)| PolicyForTeam {
            team_id,
            post_duration,
        })
        .collect();
    Ok((policies, total))
}

/// The policies over the channels `user_id` is a member of, as [`for_user_teams`].
pub async fn for_user_channels(
    store: &Store,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<PolicyForChannel>, i64)> {
    let from = "FROM retentionpolicieschannels rc \
        JOIN retentionpolicies p ON p.id = rc.policyid \
        JOIN channelmembers cm ON cm.channelid = rc.channelid \
        WHERE cm.userid = $1";
    let (rows, total) = for_user(store, from, "rc.channelid", user_id, offset, limit).await?;
    let policies = rows
        .into_iter()
        .map(|(channel_id, post_duration)| PolicyForChannel {
            channel_id,
            post_duration,
        })
        .collect();
    Ok((policies, total))
}

async fn for_user(
    store: &Store,
    from: &str,
    id_column: &str,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<(String, i64)>, i64)> {
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) {from}");
    let total = query_rows::<(i64,), (i64,)>(store, &count_sql, &[Bind::Str(user_id)])
        .await?
        .first()
        .map_or(0, |(n,)| *n);
    let sql = format!(
        "SELECT {id_column}, COALESCE(p.postduration, -1) {from} \
         ORDER BY {id_column} LIMIT $2 OFFSET $3"
    );
    let rows = query_rows::<(String, i64), (String, i64)>(
        store,
        &sql,
        &[Bind::Str(user_id), Bind::Int(limit), Bind::Int(offset)],
    )
    .await?;
    Ok((rows, total))
}

/// Those of `ids` that name no team (or channel).
pub async fn unknown(store: &Store, members: Members, ids: &[String]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let table = match members {
        Members::Teams => "teams",
        Members::Channels => "channels",
    };
    let sql = format!(
        "SELECT id FROM {table} WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let binds: Vec<Bind> = ids.iter().map(|id| Bind::Str(id)).collect();
    let found = query_rows::<(String,), (String,)>(store, &sql, &binds).await?;
    Ok(ids
        .iter()
        .filter(|id| !found.iter().any(|(f,)| f == *id))
        .cloned()
        .collect())
}
