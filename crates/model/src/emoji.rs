//! `model.Emoji`: a custom emoji, and the system emoji names (`model/emoji.go`,
//! `model/emoji_data.go`).

mod system_names;

use crate::reaction::is_valid_emoji_name;
use serde::{Deserialize, Serialize};
use system_names::SYSTEM_EMOJI_NAMES;

/// `EmojiSortByName`: the one `sort` `GET /emoji` takes besides none.
pub const EMOJI_SORT_BY_NAME: &str = "name";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Emoji {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub creator_id: String,
    pub name: String,
}

/// The body of `POST /emoji/search`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EmojiSearch {
    pub term: String,
    pub prefix_only: bool,
}

/// Whether `name` is one of Mattermost's system emoji (`GetSystemEmojiId` finds it).
pub fn is_system_emoji_name(name: &str) -> bool {
    SYSTEM_EMOJI_NAMES.binary_search(&name).is_ok()
}

/// What `IsValidEmojiName` finds wrong with a custom emoji's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Empty, longer than 64 bytes, or a character outside `a-z A-Z 0-9 - + _`.
    Invalid,
    /// A system emoji has it.
    SystemEmoji,
}

/// `IsValidEmojiName`: the pattern first, then the system emoji names.
pub fn check_custom_name(name: &str) -> Result<(), NameProblem> {
    if !is_valid_emoji_name(name) {
        Err(NameProblem::Invalid)
    } else if is_system_emoji_name(name) {
        Err(NameProblem::SystemEmoji)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_names_are_sorted_and_found() {
        assert!(SYSTEM_EMOJI_NAMES.windows(2).all(|w| w[0] < w[1]));
        for name in [
            "smile",
            "+1",
            "thumbsup",
            "mattermost",
            "roll_eyes",
            "wave_dark_skin_tone",
        ] {
            assert!(is_system_emoji_name(name), "{name}");
        }
        for name in ["", "Smile", "not_an_emoji", "smile "] {
            assert!(!is_system_emoji_name(name), "{name}");
        }
    }

    #[test]
    fn custom_names_follow_is_valid_emoji_name() {
        assert_eq!(check_custom_name("party-parrot_2+"), Ok(()));
        assert_eq!(check_custom_name(&"a".repeat(64)), Ok(()));
        for bad in ["", "a b", ":x:", "émoji", &"a".repeat(65)] {
            assert_eq!(check_custom_name(bad), Err(NameProblem::Invalid), "{bad}");
        }
        assert_eq!(check_custom_name("smile"), Err(NameProblem::SystemEmoji));
    }
}
