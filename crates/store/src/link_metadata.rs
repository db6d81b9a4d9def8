//! `linkmetadata`: what a link points at, fetched once per link and hour
//! (`SqlLinkMetadataStore`). Rows are keyed by Mattermost's hash of (timestamp, URL), so a
//! Mattermost database's rows are found as they are.

use crate::db::{execute, placeholders, query_rows, Bind};
use crate::{Result, Store};
use sqlx::types::Json;

/// `LinkMetadataTypeImage`, `…Opengraph`, `…None`.
pub const TYPE_IMAGE: &str = "image";
pub const TYPE_OPENGRAPH: &str = "opengraph";
pub const TYPE_NONE: &str = "none";

/// One row: `data` is the OpenGraph object, the image's size and format, or null.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkMetadata {
    pub url: String,
    /// Milliseconds, rounded down to the hour.
    pub timestamp: i64,
    pub kind: String,
    pub data: serde_json::Value,
}

#[derive(sqlx::FromRow)]
struct Row {
    url: Option<String>,
    timestamp: Option<i64>,
    #[sqlx(rename = "type")]
    kind: Option<String>,
    data: Option<Json<serde_json::Value>>,
}

impl From<Row> for LinkMetadata {
    fn from(r: Row) -> Self {
        LinkMetadata {
            url: r.url.unwrap_or_default(),
            timestamp: r.timestamp.unwrap_or(0),
            kind: r.kind.unwrap_or_default(),
            data: r.data.map_or(serde_json::Value::Null, |d| d.0),
        }
    }
}

/// `GenerateLinkMetadataHash`: 32-bit FNV-1 over the timestamp (8 little-endian bytes) and
/// then the URL, widened to 64 bits.
pub fn hash(url: &str, timestamp: i64) -> i64 {
    const OFFSET: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    let bytes = timestamp.to_le_bytes().into_iter().chain(url.bytes());
    i64::from(bytes.fold(OFFSET, |h, b| h.wrapping_mul(PRIME) ^ u32::from(b)))
}

/// Saves a link's metadata, replacing what an earlier fetch saved for the same link and hour.
pub async fn save(store: &Store, metadata: &LinkMetadata) -> Result<()> {
    let data = (!metadata.data.is_null()).then_some(Json(&metadata.data));
    execute!(
        store,
        "INSERT INTO linkmetadata (hash, url, \"timestamp\", type, data) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (hash) DO UPDATE SET url = excluded.url, \"timestamp\" = excluded.\"timestamp\", \
         type = excluded.type, data = excluded.data",
        hash(&metadata.url, metadata.timestamp),
        &metadata.url,
        metadata.timestamp,
        &metadata.kind,
        data,
    )?;
    Ok(())
}

/// The saved metadata of these (URL, hour) pairs, in one query; pairs never fetched are
/// missing from the answer.
pub async fn get_many(store: &Store, links: &[(String, i64)]) -> Result<Vec<LinkMetadata>> {
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT url, \"timestamp\", type, data FROM linkmetadata WHERE hash IN ({})",
        placeholders(1, links.len())
    );
    let args: Vec<Bind> = links
        .iter()
        .map(|(url, ts)| Bind::Int(hash(url, *ts)))
        .collect();
    let rows = query_rows::<Row, LinkMetadata>(store, &sql, &args).await?;
    // Two links may share a 32-bit hash: keep only the rows of the pairs asked for.
    Ok(rows
        .into_iter()
        .filter(|m| links.iter().any(|(u, t)| *u == m.url && *t == m.timestamp))
        .collect())
}

#[cfg(test)]
mod tests {
    /// The value an independent FNV-1 implementation (checked against the published
    /// vectors: "a" → 0x050c5d7e, "foobar" → 0x31f0b262) gives for these bytes, so rows
    /// written by Mattermost are found under the same key.
    #[test]
    fn hash_is_mattermosts() {
        assert_eq!(
            super::hash("https://example.com/a", 1_700_000_000_000),
            191_261_515
        );
        assert_ne!(
            super::hash("https://example.com/a", 1_700_003_600_000),
            191_261_515
        );
    }
}
