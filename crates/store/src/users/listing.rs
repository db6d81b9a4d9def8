//! User listings: `GET /users`, search and autocomplete share one filter, turned into one
//! SQL string with numbered binds for both databases.

use super::{query_users, SELECT_USERS};
use crate::db::{query_rows, Bind, DbKind};
use crate::{Result, Store};
use utmost_model::user::User;

/// Order of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UserSort {
    #[default]
    Username,
    /// Most recently active first.
    LastActivity,
    /// Newest account first.
    CreateAt,
}

/// What a listing keeps; every field left at its default filters nothing.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub ids: Option<Vec<String>>,
    pub usernames: Option<Vec<String>>,
    pub updated_after: Option<i64>,
    pub in_team: Option<String>,
    pub not_in_team: Option<String>,
    pub in_channel: Option<String>,
    pub not_in_channel: Option<String>,
    pub without_team: bool,
    /// Some(true): only active accounts; Some(false): only deactivated ones.
    pub active: Option<bool>,
    pub role: Option<String>,
    /// Users holding at least one of these system roles (none: no filter).
    pub any_role: Vec<String>,
    /// Every word must be a prefix of the username, nickname or (as allowed) names / e-mail.
    pub terms: Vec<String>,
    pub match_full_names: bool,
    pub match_emails: bool,
    /// Only the users this viewer may see (Mattermost's `ViewUsersRestrictions`).
    pub visible_to: Option<Visibility>,
    pub sort: UserSort,
    pub limit: i64,
    pub offset: i64,
}

/// Whom a viewer without system-wide `view_members` sees: themself, the members of the
/// teams listed (those where the viewer holds `view_members`), and whoever shares a channel
/// with them.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    pub viewer: String,
    pub teams: Vec<String>,
}

/// Accumulates WHERE conditions and their numbered binds.
#[derive(Default)]
struct Where {
    conditions: Vec<String>,
    binds: Vec<Bind<'static>>,
}

impl Where {
    fn bind(&mut self, value: Bind<'static>) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn text(&mut self, value: &str) -> String {
        self.bind(Bind::Text(value.to_string()))
    }

    fn list(&mut self, values: &[String]) -> String {
        if values.is_empty() {
            return "NULL".into();
        }
        let placeholders: Vec<String> = values.iter().map(|v| self.text(v)).collect();
        placeholders.join(", ")
    }
}

/// Escapes LIKE wildcards so a search term matches literally (`ESCAPE '\'`).
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn team_member(user: &str, team: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM teammembers tm WHERE tm.userid = {user} AND tm.teamid = {team} \
         AND tm.deleteat = 0)"
    )
}

fn channel_member(user: &str, channel: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM channelmembers cm WHERE cm.userid = {user} \
         AND cm.channelid = {channel})"
    )
}

/// The WHERE clause (with its leading space, or empty) for `f` and its binds so far.
fn conditions(f: &UserFilter, kind: DbKind) -> (String, Where) {
    let mut w = Where::default();
    if let Some(ids) = &f.ids {
        let list = w.list(ids);
        w.conditions.push(format!("u.id IN ({list})"));
    }
    if let Some(names) = &f.usernames {
        let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        let list = w.list(&lower);
        w.conditions.push(format!("u.username IN ({list})"));
    }
    if let Some(since) = f.updated_after {
        let p = w.bind(Bind::Int(since));
        w.conditions.push(format!("u.updateat > {p}"));
    }
    if let Some(team) = &f.in_team {
        let p = w.text(team);
        w.conditions.push(team_member("u.id", &p));
    }
    if let Some(team) = &f.not_in_team {
        let p = w.text(team);
        w.conditions
            .push(format!("NOT {}", team_member("u.id", &p)));
    }
    if let Some(channel) = &f.in_channel {
        let p = w.text(channel);
        w.conditions.push(channel_member("u.id", &p));
    }
    if let Some(channel) = &f.not_in_channel {
        let p = w.text(channel);
        w.conditions
            .push(format!("NOT {}", channel_member("u.id", &p)));
    }
    if f.without_team {
        w.conditions.push(
            "NOT EXISTS (SELECT 1 FROM teammembers tm WHERE tm.userid = u.id AND tm.deleteat = 0)"
                .into(),
        );
    }
    match f.active {
        Some(true) => w.conditions.push("u.deleteat = 0".into()),
        Some(false) => w.conditions.push("u.deleteat > 0".into()),
        None => {}
    }
    if let Some(role) = &f.role {
        let p = w.text(&format!("% {} %", like_literal(role)));
        w.conditions.push(format!(
            "(' ' || COALESCE(u.roles, '') || ' ') LIKE {p} ESCAPE '\\'"
        ));
    }
    if !f.any_role.is_empty() {
        let any: Vec<String> = f
            .any_role
            .iter()
            .map(|role| {
                let p = w.text(&format!("% {} %", like_literal(role)));
                format!("(' ' || COALESCE(u.roles, '') || ' ') LIKE {p} ESCAPE '\\'")
            })
            .collect();
        w.conditions.push(format!("({})", any.join(" OR ")));
    }
    for term in &f.terms {
        let mut fields = vec!["username", "nickname"];
        if f.match_full_names {
            fields.extend(["firstname", "lastname"]);
        }
        if f.match_emails {
            fields.push("email");
        }
        // Each field's prefix matches are read through its `lower(field)` index (a scan of
        // every user in name order otherwise); a NULL field matches nothing, as before.
        let lower = term.to_lowercase();
        // SQLite reads an expression index for a range, never for LIKE.
        let bounds = match kind {
            DbKind::Postgres => (w.text(&format!("{}%", like_literal(&lower))), None),
            DbKind::Sqlite => (w.text(&lower), Some(w.text(&format!("{lower}\u{10FFFF}")))),
        };
        let any: Vec<String> = fields
            .iter()
            .map(|c| match &bounds {
                (pattern, None) => {
                    format!("SELECT id FROM users WHERE LOWER({c}) LIKE {pattern} ESCAPE '\\'")
                }
                (from, Some(to)) => {
                    format!("SELECT id FROM users WHERE LOWER({c}) >= {from} AND LOWER({c}) < {to}")
                }
            })
            .collect();
        w.conditions
            .push(format!("u.id IN ({})", any.join(" UNION ALL ")));
    }
    if let Some(visibility) = &f.visible_to {
        let v = w.text(&visibility.viewer);
        let teams = if visibility.teams.is_empty() {
            String::new()
        } else {
            format!(
                " OR EXISTS (SELECT 1 FROM teammembers a WHERE a.userid = u.id \
                 AND a.deleteat = 0 AND a.teamid IN ({}))",
                w.list(&visibility.teams)
            )
        };
        w.conditions.push(format!(
            "(u.id = {v}{teams} \
             OR EXISTS (SELECT 1 FROM channelmembers a JOIN channelmembers b \
                ON a.channelid = b.channelid WHERE a.userid = u.id AND b.userid = {v}))"
        ));
    }
    let filter = if w.conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", w.conditions.join(" AND "))
    };
    (filter, w)
}

fn build(f: &UserFilter, kind: DbKind) -> (String, Vec<Bind<'static>>) {
    let (filter, mut w) = conditions(f, kind);
    let order = match f.sort {
        UserSort::Username => "u.username ASC",
        UserSort::LastActivity => "COALESCE(s.lastactivityat, 0) DESC, u.username ASC",
        UserSort::CreateAt => "u.createat DESC, u.username ASC",
    };
    let limit = w.bind(Bind::Int(f.limit.max(0)));
    let offset = w.bind(Bind::Int(f.offset.max(0)));
    let sql = format!("{SELECT_USERS}{filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    (sql, w.binds)
}

/// The users `filter` keeps, in its order, one page of them.
pub async fn list(store: &Store, filter: &UserFilter) -> Result<Vec<User>> {
    let (sql, binds) = build(filter, store.kind());
    query_users(store, &sql, &binds).await
}

/// How many users `filter` keeps, ignoring its order and page.
pub async fn count(store: &Store, filter: &UserFilter) -> Result<i64> {
    let (filter, w) = conditions(filter, store.kind());
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users u{filter}");
    let rows = query_rows::<(i64,), (i64,)>(store, &sql, &w.binds).await?;
    Ok(rows.first().map_or(0, |(n,)| *n))
}

/// The sortable columns of the System Console's user report (Mattermost's
/// `UserReportSortColumns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportColumn {
    CreateAt,
    Username,
    FirstName,
    LastName,
    Nickname,
    Email,
    Roles,
}

impl ReportColumn {
    fn sql(self) -> &'static str {
        match self {
            ReportColumn::CreateAt => "COALESCE(u.createat, 0)",
            ReportColumn::Username => "COALESCE(u.username, '')",
            ReportColumn::FirstName => "COALESCE(u.firstname, '')",
            ReportColumn::LastName => "COALESCE(u.lastname, '')",
            ReportColumn::Nickname => "COALESCE(u.nickname, '')",
            ReportColumn::Email => "COALESCE(u.email, '')",
            ReportColumn::Roles => "COALESCE(u.roles, '')",
        }
    }
}

/// One page of the user report (`GET /reports/users`): the accounts `filter` keeps, bots
/// left out, ordered by `column` then id (descending when `descending`), after the cursor
/// (`column`'s value and the id of the row it starts after) when given.
pub async fn report_page(
    store: &Store,
    filter: &UserFilter,
    column: ReportColumn,
    descending: bool,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<User>> {
    let (filter, mut w) = conditions(filter, store.kind());
    let mut more = vec!["b.userid IS NULL".to_string()];
    let expr = column.sql();
    if let Some((value, id)) = after {
        let value = match column {
            // A value that is no number orders before every account.
            ReportColumn::CreateAt => w.bind(Bind::Int(value.parse().unwrap_or(i64::MIN))),
            _ => w.text(value),
        };
        let id = w.text(id);
        let cmp = if descending { "<" } else { ">" };
        more.push(format!(
            "({expr} {cmp} {value} OR ({expr} = {value} AND u.id {cmp} {id}))"
        ));
    }
    let glue = if filter.is_empty() {
        " WHERE "
    } else {
        " AND "
    };
    let direction = if descending { "DESC" } else { "ASC" };
    let limit = w.bind(Bind::Int(limit.max(0)));
    let sql = format!(
        "{SELECT_USERS}{filter}{glue}{} ORDER BY {expr} {direction}, u.id {direction} LIMIT {limit}",
        more.join(" AND ")
    );
    query_users(store, &sql, &w.binds).await
}

/// How many accounts the user report's `filter` keeps, bots left out
/// (`GET /reports/users/count`).
pub async fn report_count(store: &Store, filter: &UserFilter) -> Result<i64> {
    let (filter, w) = conditions(filter, store.kind());
    let glue = if filter.is_empty() {
        " WHERE "
    } else {
        " AND "
    };
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users u{filter}{glue}\
         NOT EXISTS (SELECT 1 FROM bots bb WHERE bb.userid = u.id)"
    );
    let rows = query_rows::<(i64,), (i64,)>(store, &sql, &w.binds).await?;
    Ok(rows.first().map_or(0, |(n,)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_literal_prefixes() {
        assert_eq!(like_literal("a_b%c\\"), "a\\_b\\%c\\\\");
        let filter = UserFilter {
            terms: vec!["Jo_".into()],
            limit: 10,
            ..UserFilter::default()
        };
        let (sql, binds) = build(&filter, DbKind::Postgres);
        assert!(sql.contains("SELECT id FROM users WHERE LOWER(username) LIKE $1"));
        assert!(!sql.contains("LOWER(email)"));
        assert!(matches!(&binds[0], Bind::Text(t) if t == "jo\\_%"));
        let (sql, binds) = build(&filter, DbKind::Sqlite);
        assert!(sql.contains("WHERE LOWER(username) >= $1 AND LOWER(username) < $2"));
        assert!(matches!(&binds[0], Bind::Text(t) if t == "jo_"));
    }

    #[test]
    fn empty_id_lists_match_nothing() {
        let (sql, _) = build(
            &UserFilter {
                ids: Some(Vec::new()),
                ..UserFilter::default()
            },
            DbKind::Sqlite,
        );
        assert!(sql.contains("u.id IN (NULL)"));
    }
}
