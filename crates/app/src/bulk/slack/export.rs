//! A Slack export zip as Slack writes it: `users.json`, `channels.json` (public),
//! `groups.json` (private), `dms.json`, `mpims.json`, one folder per conversation of daily
//! `YYYY-MM-DD.json` message files, and (when the exporting tool downloaded them, as
//! `mmetl` does) the files under `__uploads/<file id>/<name>`. Only the fields the import
//! uses are read; every one may be missing.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The most bytes read of one JSON file of the export (Mattermost's `slackImportMaxFileSize`).
pub const MAX_JSON_BYTES: u64 = 70 * 1024 * 1024;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct User {
    pub id: String,
    pub name: String,
    pub deleted: bool,
    pub is_bot: bool,
    pub real_name: String,
    /// Seconds; when a deleted user was deactivated.
    pub updated: i64,
    pub profile: Profile,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub real_name: String,
    pub email: String,
    pub title: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Conversation {
    pub id: String,
    pub name: String,
    pub created: i64,
    pub is_archived: bool,
    pub members: Vec<String>,
    pub topic: Text,
    pub purpose: Text,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Text {
    pub value: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Message {
    #[serde(rename = "type")]
    pub kind: String,
    pub subtype: String,
    pub user: String,
    pub bot_id: String,
    pub username: String,
    pub bot_profile: Option<BotProfile>,
    pub text: String,
    pub ts: String,
    pub thread_ts: String,
    pub edited: Option<Edited>,
    pub reactions: Vec<Reaction>,
    pub files: Vec<FileRef>,
    pub file: Option<FileRef>,
    pub comment: Option<Comment>,
    pub attachments: Vec<serde_json::Value>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BotProfile {
    pub name: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Edited {
    pub ts: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Reaction {
    pub name: String,
    pub users: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FileRef {
    pub id: String,
    pub name: String,
    /// "tombstone" for a file deleted in Slack, "hidden_by_limit" past a free plan's limit.
    pub mode: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Comment {
    pub user: String,
    pub comment: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("not a readable zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{0} is not a Slack export: it has no users.json")]
    NoUsers(String),
    #[error("{0}: {1}")]
    Json(String, String),
}

/// An opened export: its lists read, its messages and files found by name.
pub struct Export {
    archive: zip::ZipArchive<File>,
    pub users: Vec<User>,
    pub public: Vec<Conversation>,
    pub private: Vec<Conversation>,
    pub direct: Vec<Conversation>,
    pub groups: Vec<Conversation>,
    /// Each folder's daily files, in date order.
    pub days: HashMap<String, Vec<String>>,
    /// `__uploads/<file id>/<name>` entries by file id.
    pub uploads: HashMap<String, String>,
}

impl Export {
    pub fn open(path: &Path) -> Result<Self, ExportError> {
        let shown = path.display().to_string();
        let file = File::open(path).map_err(|e| ExportError::Io(shown.clone(), e))?;
        let mut archive = zip::ZipArchive::new(file)?;
        let mut days: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut uploads = HashMap::new();
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        for name in &names {
            let parts: Vec<&str> = name.split('/').collect();
            match parts.as_slice() {
                ["__uploads", id, file] if !file.is_empty() => {
                    uploads.insert(id.to_string(), name.to_string());
                }
                [folder, day] if day.ends_with(".json") => {
                    days.entry(folder.to_string())
                        .or_default()
                        .push(name.to_string());
                }
                _ => {}
            }
        }
        for files in days.values_mut() {
            files.sort();
        }
        if archive.index_for_name("users.json").is_none() {
            return Err(ExportError::NoUsers(shown));
        }
        let users = read_list(&mut archive, "users.json")?;
        let public = read_list(&mut archive, "channels.json")?;
        let private = read_list(&mut archive, "groups.json")?;
        let direct = read_list(&mut archive, "dms.json")?;
        let groups = read_list(&mut archive, "mpims.json")?;
        Ok(Export {
            archive,
            users,
            public,
            private,
            direct,
            groups,
            days: days.into_iter().collect(),
            uploads,
        })
    }

    /// The messages of one folder's daily file; a message that does not parse is returned
    /// as its error, so the others still import.
    pub fn messages(&mut self, name: &str) -> Result<Vec<Result<Message, String>>, ExportError> {
        let values: Vec<serde_json::Value> = read_json(&mut self.archive, name)?;
        Ok(values
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
            .collect())
    }

    /// Copies an upload to `to`, refusing one larger than `max` bytes.
    pub fn extract(&mut self, entry: &str, to: &Path, max: u64) -> Result<(), String> {
        let mut file = self.archive.by_name(entry).map_err(|e| e.to_string())?;
        if file.size() > max {
            return Err(format!("larger than the {max} bytes of MaxFileSize"));
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let mut out = File::create(to).map_err(|e| e.to_string())?;
        let copied =
            std::io::copy(&mut (&mut file).take(max + 1), &mut out).map_err(|e| e.to_string())?;
        if copied > max {
            return Err(format!("larger than the {max} bytes of MaxFileSize"));
        }
        Ok(())
    }
}

fn read_json<T: DeserializeOwned>(
    archive: &mut zip::ZipArchive<File>,
    name: &str,
) -> Result<T, ExportError> {
    let entry = archive.by_name(name)?;
    let mut bytes = Vec::new();
    entry
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ExportError::Io(name.to_string(), e))?;
    if bytes.len() as u64 > MAX_JSON_BYTES {
        return Err(ExportError::Json(
            name.to_string(),
            format!("larger than {MAX_JSON_BYTES} bytes"),
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| ExportError::Json(name.to_string(), e.to_string()))
}

/// A top-level list, empty when the export has none of that kind.
fn read_list<T: DeserializeOwned>(
    archive: &mut zip::ZipArchive<File>,
    name: &str,
) -> Result<Vec<T>, ExportError> {
    if archive.index_for_name(name).is_none() {
        return Ok(Vec::new());
    }
    read_json(archive, name)
}

/// Slack's `ts` ("1600000000.000200", seconds) in milliseconds; 0 when unreadable.
pub fn millis(ts: &str) -> i64 {
    let (seconds, fraction) = ts.split_once('.').unwrap_or((ts, ""));
    let Ok(seconds) = seconds.parse::<i64>() else {
        return 0;
    };
    let millis: String = fraction.chars().chain("000".chars()).take(3).collect();
    seconds * 1000 + millis.parse::<i64>().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::millis;

    #[test]
    fn slack_timestamps_become_milliseconds() {
        assert_eq!(millis("1600000000.000200"), 1_600_000_000_000);
        assert_eq!(millis("1600000000.123456"), 1_600_000_000_123);
        assert_eq!(millis("1600000000.5"), 1_600_000_000_500);
        assert_eq!(millis("1600000000"), 1_600_000_000_000);
        assert_eq!(millis("soon"), 0);
    }
}
