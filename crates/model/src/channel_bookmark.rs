//! `model.ChannelBookmark`: a link (or a file) shown under a channel's header.

use serde::{Deserialize, Serialize};

/// `MaxBookmarksPerChannel`.
pub const MAX_BOOKMARKS_PER_CHANNEL: i64 = 50;
pub const BOOKMARK_LINK: &str = "link";
pub const BOOKMARK_FILE: &str = "file";
/// The `emoji` column is `varchar(64)`.
pub const BOOKMARK_EMOJI_MAX_LENGTH: usize = 64;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct ChannelBookmark {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub channel_id: String,
    pub owner_id: String,
    pub file_id: String,
    pub display_name: String,
    pub sort_order: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub link_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub emoji: String,
    #[serde(rename = "type")]
    pub bookmark_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub original_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub parent_id: String,
}

/// `ChannelBookmarkPatch`: the fields an edit may change; absent ones stay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct ChannelBookmarkPatch {
    pub file_id: Option<String>,
    pub display_name: Option<String>,
    pub sort_order: Option<i64>,
    pub link_url: Option<String>,
    pub image_url: Option<String>,
    pub emoji: Option<String>,
}

impl ChannelBookmark {
    /// `ChannelBookmark.Patch`.
    pub fn patch(&mut self, patch: &ChannelBookmarkPatch) {
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(v) = value {
                field.clone_from(v);
            }
        };
        set(&mut self.file_id, &patch.file_id);
        set(&mut self.display_name, &patch.display_name);
        set(&mut self.link_url, &patch.link_url);
        set(&mut self.image_url, &patch.image_url);
        set(&mut self.emoji, &patch.emoji);
        if let Some(order) = patch.sort_order {
            self.sort_order = order;
        }
    }
}

/// `UpdateChannelBookmarkResponse`: the bookmark as it now is and, when someone other than
/// its owner edited it, the owner's copy that the edit replaced (deleted).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct UpdateChannelBookmarkResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<ChannelBookmark>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<ChannelBookmark>,
}

/// `IsValidHTTPURL`: an `http://` or `https://` URL with a host, without spaces or control
/// characters.
pub fn is_valid_http_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls_need_a_scheme_and_a_host() {
        for good in [
            "http://example.com",
            "https://example.com/a?b#c",
            "https://h:8065",
        ] {
            assert!(is_valid_http_url(good), "{good}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "https://",
            "https:///path",
            "http://a b",
        ] {
            assert!(!is_valid_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let mut b = ChannelBookmark {
            display_name: "old".into(),
            link_url: "http://a".into(),
            ..ChannelBookmark::default()
        };
        b.patch(&ChannelBookmarkPatch {
            display_name: Some("new".into()),
            ..ChannelBookmarkPatch::default()
        });
        assert_eq!(
            (b.display_name.as_str(), b.link_url.as_str()),
            ("new", "http://a")
        );
    }
}
