//! Bot accounts (`model/bot.go`): a user row and its `bots` row, shown as one object.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Bot {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub description: String,
    pub owner_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_icon_update: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// What `POST /bots` and `PUT /bots/{id}` take (`BotPatch`): the fields given change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct BotPatch {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

/// `BotDescriptionMaxRunes` and the display name's limit (`Bot.IsValid`).
pub const BOT_DESCRIPTION_MAX_RUNES: usize = 1024;
pub const BOT_DISPLAY_NAME_MAX_RUNES: usize = 64;
