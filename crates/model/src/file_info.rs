//! Uploaded files (`model/file_info.go`, `model/upload_session.go`) as clients see them.
//! Where the bytes live (`path`, `thumbnail_path`, `preview_path`) and the extracted text
//! never leave the server.

use serde::{Deserialize, Serialize};

/// One uploaded file's metadata.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct FileInfo {
    pub id: String,
    #[serde(rename = "user_id")]
    pub creator_id: String,
    pub post_id: String,
    pub channel_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    #[serde(skip)]
    pub path: String,
    #[serde(skip)]
    pub thumbnail_path: String,
    #[serde(skip)]
    pub preview_path: String,
    pub name: String,
    pub extension: String,
    pub size: i64,
    pub mime_type: String,
    pub width: i64,
    pub height: i64,
    pub has_preview_image: bool,
    /// A tiny JPEG for a blurred placeholder, base64 in JSON as Go writes `[]byte`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "base64_bytes",
        default
    )]
    pub mini_preview: Option<Vec<u8>>,
    #[serde(skip)]
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    pub archived: bool,
}

impl FileInfo {
    /// `FileInfo.IsImage`: Mattermost decides by MIME type.
    pub fn is_image(&self) -> bool {
        self.mime_type.starts_with("image")
    }
}

/// A list of files in an order (`model.FileInfoList`), as file search answers it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct FileInfoList {
    pub order: Vec<String>,
    pub file_infos: std::collections::BTreeMap<String, FileInfo>,
    pub next_file_info_id: String,
    pub prev_file_info_id: String,
    /// Cloud plans' file limit; always 0 here (every file is accessible).
    pub first_inaccessible_file_time: i64,
}

impl FileInfoList {
    /// Adds `info` at the end of the order.
    pub fn push(&mut self, info: FileInfo) {
        self.order.push(info.id.clone());
        self.file_infos.insert(info.id.clone(), info);
    }
}

/// The answer to `POST /files`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct FileUploadResponse {
    pub file_infos: Vec<FileInfo>,
    pub client_ids: Vec<String>,
}

/// `UploadTypeAttachment`, the only kind of upload a client creates.
pub const UPLOAD_TYPE_ATTACHMENT: &str = "attachment";
/// `UploadTypeImport`: a bulk-import archive, for system administrators.
pub const UPLOAD_TYPE_IMPORT: &str = "import";

/// A resumable upload in progress.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct UploadSession {
    pub id: String,
    #[serde(rename = "type")]
    pub upload_type: String,
    pub create_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub filename: String,
    #[serde(skip)]
    pub path: String,
    pub file_size: i64,
    pub file_offset: i64,
    #[serde(skip)]
    pub remote_id: String,
    #[serde(skip)]
    pub req_file_id: String,
}

/// Go's `[]byte` in JSON: standard base64 with padding.
mod base64_bytes {
    use data_encoding::BASE64;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_str(&BASE64.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        text.map(|t| {
            BASE64
                .decode(t.as_bytes())
                .map_err(serde::de::Error::custom)
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_content_stay_on_the_server() {
        let info = FileInfo {
            id: "f".into(),
            creator_id: "u".into(),
            path: "secret/path".into(),
            content: "extracted".into(),
            mini_preview: Some(b"abcd".to_vec()),
            ..FileInfo::default()
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["user_id"], "u");
        assert_eq!(json["mini_preview"], "YWJjZA==");
        let text = json.to_string();
        assert!(!text.contains("secret/path") && !text.contains("extracted"));
        let back: FileInfo = serde_json::from_value(json).unwrap();
        assert_eq!(back.mini_preview.as_deref(), Some(&b"abcd"[..]));
    }
}
