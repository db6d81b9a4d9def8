use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type PostProps = BTreeMap<String, serde_json::Value>;

/// Message types a client may not create (`system_*`).
pub const POST_SYSTEM_MESSAGE_PREFIX: &str = "system_";
/// Plugins may use any type with this prefix.
pub const POST_CUSTOM_TYPE_PREFIX: &str = "custom_";
/// `PostMessageMaxRunesV2`: 65535 bytes / 4.
pub const POST_MESSAGE_MAX_RUNES: usize = 16383;
pub const POST_FILE_IDS_MAX_RUNES: usize = 300;
pub const POST_HASHTAGS_MAX_RUNES: usize = 1000;
pub const POST_PROPS_MAX_RUNES: usize = 800_000;
pub const POST_PRIORITY_URGENT: &str = "urgent";
pub const PROP_DELETE_BY: &str = "deleteBy";
pub const PROP_FROM_WEBHOOK: &str = "from_webhook";

/// Every type `Post.IsValid` accepts besides `""` and `custom_*`.
pub const KNOWN_POST_TYPES: &[&str] = &[
    "slack_attachment",
    "system_generic",
    "system_join_leave",
    "system_join_channel",
    "system_guest_join_channel",
    "system_leave_channel",
    "system_join_team",
    "system_leave_team",
    "system_auto_responder",
    "system_add_remove",
    "system_add_to_channel",
    "system_add_guest_to_chan",
    "system_remove_from_channel",
    "system_move_channel",
    "system_add_to_team",
    "system_remove_from_team",
    "system_header_change",
    "system_displayname_change",
    "system_convert_channel",
    "system_purpose_change",
    "system_channel_deleted",
    "system_channel_restored",
    "system_change_chan_privacy",
    "system_wrangler",
    "system_gm_to_channel",
    "add_bot_teams_channels",
    "me",
    "reminder",
];

/// Join/leave messages do not count towards a channel's message totals.
pub const JOIN_LEAVE_POST_TYPES: &[&str] = &[
    "system_join_leave",
    "system_add_remove",
    "system_join_channel",
    "system_leave_channel",
    "system_join_team",
    "system_leave_team",
    "system_add_to_channel",
    "system_remove_from_channel",
    "system_add_to_team",
    "system_remove_from_team",
];

/// `StripActionIntegrations`: a post's JSON never carries the `integration` (the URL the
/// server calls, and the context it sends) of its message attachments' buttons and menus:
/// every member of the channel would read an integration's URL and secrets. Mattermost strips
/// them in every JSON encoding of a post; so does this, for every API answer, WebSocket
/// event and export of a `Post`. The database keeps them (`props` is stored on its own).
fn props_without_integrations<S: serde::Serializer>(
    props: &PostProps,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let has_actions = props
        .get("attachments")
        .and_then(|a| a.as_array())
        .is_some_and(|a| a.iter().any(|att| att.get("actions").is_some()));
    if !has_actions {
        return props.serialize(serializer);
    }
    let mut stripped = props.clone();
    if let Some(attachments) = stripped
        .get_mut("attachments")
        .and_then(|a| a.as_array_mut())
    {
        let actions = attachments
            .iter_mut()
            .filter_map(|att| att.get_mut("actions").and_then(|a| a.as_array_mut()))
            .flatten();
        for action in actions {
            if let Some(action) = action.as_object_mut() {
                action.remove("integration");
            }
        }
    }
    stripped.serialize(serializer)
}

/// A message (`model/post.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Post {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub edit_at: i64,
    pub delete_at: i64,
    pub is_pinned: bool,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub original_id: String,
    pub message: String,
    #[serde(rename = "type")]
    pub post_type: String,
    /// Written out without the attachments' action integrations (see
    /// [`props_without_integrations`]); the store keeps them.
    #[serde(serialize_with = "props_without_integrations")]
    pub props: PostProps,
    pub hashtags: String,
    pub file_ids: Vec<String>,
    pub pending_post_id: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub has_reactions: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    pub reply_count: i64,
    pub last_reply_at: i64,
    /// Thread participants (`{id}` stubs) on collapsed-thread root posts, else null.
    pub participants: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_following: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PostMetadata>,
}

impl Post {
    pub fn is_system_message(&self) -> bool {
        self.post_type.starts_with(POST_SYSTEM_MESSAGE_PREFIX)
    }

    pub fn is_join_leave_message(&self) -> bool {
        JOIN_LEAVE_POST_TYPES.contains(&self.post_type.as_str())
    }

    /// `metadata.priority.priority` when the post carries one.
    pub fn priority(&self) -> Option<&str> {
        self.metadata
            .as_ref()
            .and_then(|m| m.priority.as_ref())
            .and_then(|p| p.priority.as_deref())
    }

    pub fn is_urgent(&self) -> bool {
        self.priority() == Some(POST_PRIORITY_URGENT)
    }

    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.props.get(key).and_then(serde_json::Value::as_str)
    }

    /// `model.Post.Etag`.
    pub fn etag(&self, version: &str) -> String {
        format!("{version}.{}.{}", self.id, self.update_at)
    }
}

/// Data the server attaches to a post for clients (`model/post_metadata.go`); every key is
/// omitted when empty, so a post without any serialises `"metadata": {}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PostMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embeds: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emojis: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Vec<crate::reaction::Reaction>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<PostPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledgements: Option<Vec<crate::post_acknowledgement::PostAcknowledgement>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PostPriority {
    pub priority: Option<String>,
    pub requested_ack: Option<bool>,
    pub persistent_notifications: Option<bool>,
}

/// Mattermost's `PostList`: ids newest first plus a map of the posts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PostList {
    pub order: Vec<String>,
    pub posts: BTreeMap<String, Post>,
    pub next_post_id: String,
    pub prev_post_id: String,
    /// Set only by the thread endpoint when it fetched replies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_next: Option<bool>,
    pub first_inaccessible_post_time: i64,
}

impl PostList {
    /// Adds `post` to the map and its id to `order`.
    pub fn push_ordered(&mut self, post: Post) {
        self.order.push(post.id.clone());
        self.posts.insert(post.id.clone(), post);
    }

    /// Adds `post` to the map only (context such as thread roots).
    pub fn add_context(&mut self, post: Post) {
        self.posts.entry(post.id.clone()).or_insert(post);
    }

    /// Merges another list in: its posts and the ids of its order not already present.
    pub fn extend(&mut self, other: PostList) {
        for id in other.order {
            if !self.order.contains(&id) {
                self.order.push(id);
            }
        }
        for (id, post) in other.posts {
            self.posts.entry(id).or_insert(post);
        }
    }

    /// Orders `order` newest first by `create_at`, as `PostList.SortByCreateAt`.
    pub fn sort_by_create_at(&mut self) {
        let posts = &self.posts;
        self.order
            .sort_by_key(|id| std::cmp::Reverse(posts.get(id).map(|p| p.create_at).unwrap_or(0)));
    }

    /// `PostList.Etag`: the first ordered id and the newest `update_at` among the posts.
    pub fn etag(&self, version: &str) -> String {
        let (id, update_at) = self
            .posts
            .values()
            .max_by(|a, b| (a.update_at, &a.id).cmp(&(b.update_at, &b.id)))
            .map_or(("0", 0), |p| (p.id.as_str(), p.update_at));
        let first = self.order.first().map_or("", String::as_str);
        format!("{version}.{first}.{id}.{update_at}")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PostPatch {
    pub is_pinned: Option<bool>,
    pub message: Option<String>,
    pub props: Option<PostProps>,
    pub file_ids: Option<Vec<String>>,
    pub has_reactions: Option<bool>,
}

impl PostPatch {
    /// `Post.Patch`: applies the keys the patch carries.
    pub fn apply_to(self, post: &mut Post) {
        if let Some(v) = self.is_pinned {
            post.is_pinned = v;
        }
        if let Some(v) = self.message {
            post.message = v;
        }
        if let Some(v) = self.props {
            post.props = v;
        }
        if let Some(v) = self.file_ids {
            post.file_ids = v;
        }
        if let Some(v) = self.has_reactions {
            post.has_reactions = v;
        }
    }
}

/// `model.ParseHashtags`: the `#tags` of a message, space-separated, at most 1000 bytes.
pub fn parse_hashtags(text: &str) -> String {
    let mut tags: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = word.trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '#'));
        let word = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        let hashes = word.chars().take_while(|c| *c == '#').count();
        let word = if hashes > 1 {
            &word[hashes - 1..]
        } else {
            word
        };
        if is_valid_hashtag(word) {
            tags.push(word.to_string());
        }
    }
    let mut joined = tags.join(" ");
    if joined.len() + 1 > POST_HASHTAGS_MAX_RUNES {
        // Cut at the last whole tag that fits, as Mattermost does.
        let mut cut = 998.min(joined.len());
        while !joined.is_char_boundary(cut) {
            cut -= 1;
        }
        joined.truncate(cut);
        match joined.rfind(' ') {
            Some(space) => joined.truncate(space),
            None => joined.clear(),
        }
    }
    joined
}

/// Han ideographs, hiragana and katakana: the scripts written without spaces, which search
/// cuts into characters (both search engines, so they find the same words).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// `^#\pL[\pL\d\-_.]*[\pL\d]$`: a letter, then at least one more character.
pub fn is_valid_hashtag(word: &str) -> bool {
    let Some(rest) = word.strip_prefix('#') else {
        return false;
    };
    let chars: Vec<char> = rest.chars().collect();
    match (chars.first(), chars.last()) {
        (Some(first), Some(last)) if chars.len() >= 2 => {
            first.is_alphabetic()
                && last.is_alphanumeric()
                && chars
                    .iter()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posts_json_has_no_action_integrations_and_the_post_keeps_them() {
        let attachment = serde_json::json!({
            "text": "deploy?",
            "actions": [
                {"id": "yes", "name": "Yes", "integration": {"url": "http://ci.internal/hook", "context": {"secret": "s3"}}},
                {"id": "menu", "name": "Pick", "type": "select", "options": [{"text": "a", "value": "a"}]}
            ]
        });
        let mut post = Post::default();
        post.props
            .insert("attachments".into(), serde_json::json!([attachment]));
        post.props
            .insert("from_webhook".into(), serde_json::json!("true"));
        let json = serde_json::to_value(&post).unwrap();
        let actions = &json["props"]["attachments"][0]["actions"];
        assert_eq!(actions[0], serde_json::json!({"id": "yes", "name": "Yes"}));
        assert_eq!(actions[1]["options"][0]["value"], "a");
        assert_eq!(json["props"]["from_webhook"], "true");
        assert!(!json.to_string().contains("ci.internal"));
        // The value itself, as the store writes it, is untouched.
        let kept = &post.props["attachments"][0]["actions"][0]["integration"]["url"];
        assert_eq!(kept, "http://ci.internal/hook");
    }

    #[test]
    fn hashtags_are_parsed_like_mattermost() {
        assert_eq!(
            parse_hashtags("hello #world and #foo-bar."),
            "#world #foo-bar"
        );
        // `#a` is too short: validHashtag wants a letter and one more character.
        assert_eq!(
            parse_hashtags("##double (#paren) #1num #a #ab"),
            "#double #paren #ab"
        );
        assert_eq!(parse_hashtags("no tags here"), "");
        assert_eq!(parse_hashtags("#ünï"), "#ünï");
    }

    #[test]
    fn empty_metadata_serialises_as_an_empty_object() {
        let post = Post {
            metadata: Some(PostMetadata::default()),
            ..Post::default()
        };
        let v = serde_json::to_value(&post).unwrap();
        assert_eq!(v["metadata"], serde_json::json!({}));
        assert_eq!(v["file_ids"], serde_json::json!([]));
        assert_eq!(v["pending_post_id"], "");
        assert!(v["participants"].is_null());
        assert!(v.get("has_reactions").is_none());
    }

    #[test]
    fn urgent_priority_is_read_from_metadata() {
        let post: Post = serde_json::from_value(
            serde_json::json!({"metadata": {"priority": {"priority": "urgent"}}}),
        )
        .unwrap();
        assert!(post.is_urgent());
        assert!(!Post::default().is_urgent());
    }
}
