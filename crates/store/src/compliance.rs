//! The `compliances` table (Mattermost's `SqlComplianceStore`) and the post rows compliance
//! reports and message exports write: each post with its channel, team and author, edits'
//! old versions and deleted posts included (they are rows of `posts` of their own).

use crate::db::{execute, placeholders, query_rows, Bind};
use crate::{Result, Store};
use sqlx::types::Json;
use utmost_model::compliance::Compliance;

#[derive(sqlx::FromRow)]
struct ComplianceRow {
    id: String,
    createat: Option<i64>,
    userid: Option<String>,
    status: Option<String>,
    count: Option<i32>,
    desc: Option<String>,
    #[sqlx(rename = "type")]
    kind: Option<String>,
    startat: Option<i64>,
    endat: Option<i64>,
    keywords: Option<String>,
    emails: Option<String>,
}

impl From<ComplianceRow> for Compliance {
    fn from(r: ComplianceRow) -> Self {
        Compliance {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            user_id: r.userid.unwrap_or_default(),
            status: r.status.unwrap_or_default(),
            count: r.count.map(i64::from).unwrap_or(0),
            desc: r.desc.unwrap_or_default(),
            kind: r.kind.unwrap_or_default(),
            start_at: r.startat.unwrap_or(0),
            end_at: r.endat.unwrap_or(0),
            keywords: r.keywords.unwrap_or_default(),
            emails: r.emails.unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT id, createat, userid, status, count, \"desc\", type, startat, \
    endat, keywords, emails FROM compliances";

pub async fn insert(store: &Store, c: &Compliance) -> Result<()> {
    execute!(
        store,
        "INSERT INTO compliances (id, createat, userid, status, count, \"desc\", type, \
         startat, endat, keywords, emails) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &c.id,
        c.create_at,
        &c.user_id,
        &c.status,
        i32::try_from(c.count).unwrap_or(i32::MAX),
        &c.desc,
        &c.kind,
        c.start_at,
        c.end_at,
        &c.keywords,
        &c.emails,
    )?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Compliance>> {
    let sql = format!("{SELECT} WHERE id = $1");
    Ok(
        query_rows::<ComplianceRow, Compliance>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// A page of reports, newest first.
pub async fn list(store: &Store, offset: i64, limit: i64) -> Result<Vec<Compliance>> {
    let sql = format!("{SELECT} ORDER BY createat DESC, id DESC LIMIT $1 OFFSET $2");
    query_rows::<ComplianceRow, Compliance>(store, &sql, &[Bind::Int(limit), Bind::Int(offset)])
        .await
}

/// The reports still `running`, oldest first (a restart runs them again).
pub async fn running(store: &Store) -> Result<Vec<Compliance>> {
    let sql = format!("{SELECT} WHERE status = 'running' ORDER BY createat, id");
    query_rows::<ComplianceRow, Compliance>(store, &sql, &[]).await
}

/// Records where a report's run ended.
pub async fn set_outcome(store: &Store, id: &str, status: &str, count: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE compliances SET status = $2, count = $3 WHERE id = $1",
        id,
        status,
        i32::try_from(count).unwrap_or(i32::MAX),
    )?;
    Ok(())
}

/// A post as reports and exports write it, with its channel, team and author. Direct and
/// group messages have no team: its fields are empty.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedPost {
    pub id: String,
    pub createat: i64,
    pub updateat: i64,
    pub deleteat: i64,
    pub rootid: String,
    pub originalid: String,
    pub message: String,
    #[sqlx(rename = "type")]
    pub post_type: String,
    pub props: Option<Json<serde_json::Value>>,
    pub hashtags: String,
    pub filenames: String,
    pub fileids: String,
    pub channelid: String,
    pub channelname: String,
    pub channeldisplayname: String,
    pub channeltype: String,
    pub teamid: String,
    pub teamname: String,
    pub teamdisplayname: String,
    pub userid: String,
    pub username: String,
    pub useremail: String,
    pub usernickname: String,
    pub isbot: bool,
}

/// The columns and joins of `ExportedPost`, for a query that adds its `WHERE`.
pub(crate) const EXPORTED_POST_FROM: &str = "SELECT p.id, COALESCE(p.createat, 0) AS createat, \
    COALESCE(p.updateat, 0) AS updateat, COALESCE(p.deleteat, 0) AS deleteat, \
    COALESCE(p.rootid, '') AS rootid, COALESCE(p.originalid, '') AS originalid, \
    COALESCE(p.message, '') AS message, COALESCE(p.type, '') AS type, p.props, \
    COALESCE(p.hashtags, '') AS hashtags, COALESCE(p.filenames, '') AS filenames, \
    COALESCE(p.fileids, '') AS fileids, COALESCE(p.channelid, '') AS channelid, \
    COALESCE(c.name, '') AS channelname, COALESCE(c.displayname, '') AS channeldisplayname, \
    COALESCE(CAST(c.type AS TEXT), '') AS channeltype, COALESCE(t.id, '') AS teamid, \
    COALESCE(t.name, '') AS teamname, \
    COALESCE(t.displayname, '') AS teamdisplayname, COALESCE(p.userid, '') AS userid, \
    COALESCE(u.username, '') AS username, COALESCE(u.email, '') AS useremail, \
    COALESCE(u.nickname, '') AS usernickname, \
    (EXISTS (SELECT 1 FROM bots b WHERE b.userid = p.userid)) AS isbot \
    FROM posts p JOIN channels c ON c.id = p.channelid \
    LEFT JOIN teams t ON t.id = c.teamid AND c.teamid <> '' \
    LEFT JOIN users u ON u.id = p.userid";

/// What a report covers.
pub struct ReportFilter<'a> {
    /// Creation times, both ends included.
    pub start_at: i64,
    pub end_at: i64,
    /// Lower-cased; empty: every author.
    pub emails: &'a [String],
    /// Lower-cased; empty: every message.
    pub keywords: &'a [String],
}

/// Up to `limit` posts `filter` covers, after (`create_at`, `id`) in that order: a batch of
/// a report, walked by keyset over `idx_posts_create_at_id`.
pub async fn report_posts(
    store: &Store,
    filter: &ReportFilter<'_>,
    after: (i64, &str),
    limit: i64,
) -> Result<Vec<ExportedPost>> {
    let mut binds = vec![
        Bind::Int(after.0),
        Bind::Str(after.1),
        Bind::Int(filter.end_at),
        Bind::Int(filter.start_at),
    ];
    let mut sql = format!(
        "{EXPORTED_POST_FROM} WHERE p.createat >= $1 AND (p.createat > $1 OR p.id > $2) \
         AND p.createat <= $3 AND p.createat >= $4"
    );
    if !filter.emails.is_empty() {
        sql.push_str(&format!(
            " AND LOWER(u.email) IN ({})",
            placeholders(binds.len() + 1, filter.emails.len())
        ));
        binds.extend(filter.emails.iter().map(|e| Bind::Str(e)));
    }
    if !filter.keywords.is_empty() {
        let first = binds.len() + 1;
        let matches: Vec<String> = (first..first + filter.keywords.len())
            .map(|i| format!("LOWER(p.message) LIKE ${i}"))
            .collect();
        sql.push_str(&format!(" AND ({})", matches.join(" OR ")));
        binds.extend(filter.keywords.iter().map(|k| Bind::Text(format!("%{k}%"))));
    }
    sql.push_str(&format!(
        " ORDER BY p.createat, p.id LIMIT ${}",
        binds.len() + 1
    ));
    binds.push(Bind::Int(limit));
    query_rows::<ExportedPost, ExportedPost>(store, &sql, &binds).await
}
