//! `model.Reaction`: one user's emoji on one post.

use serde::{Deserialize, Serialize};

/// `EmojiNameMaxLength`.
pub const EMOJI_NAME_MAX_LENGTH: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reaction {
    pub user_id: String,
    pub post_id: String,
    pub emoji_name: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub remote_id: String,
    pub channel_id: String,
}

/// The name rule of `Reaction.IsValid` and the `{emoji_name}` path parameter: 1 to 64 of
/// `a-z A-Z 0-9 - + _`.
pub fn is_valid_emoji_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= EMOJI_NAME_MAX_LENGTH
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_names_follow_mattermosts_pattern() {
        for good in ["smile", "+1", "-1", "thumbs_up", "100", &"a".repeat(64)] {
            assert!(is_valid_emoji_name(good), "{good}");
        }
        for bad in ["", ":smile:", "smi le", "émoji", "a/b", &"a".repeat(65)] {
            assert!(!is_valid_emoji_name(bad), "{bad}");
        }
    }
}
